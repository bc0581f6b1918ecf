#!/bin/bash
# The closing check of `make test`: every job of the run (one per test program
# and one per tests/cli/NN-*.sh file, see the Makefile) exited 0 and every CLI
# file ran exactly its plan. Prints the totals and fails otherwise, so that a
# job that never ran or a file whose checks vanished cannot pass unnoticed.
#   tests/summary.sh RESULTS "test_a test_b ..." "cli-10-check cli-20-score ..."
set -u
R=$1 progs=$2 clis=$3
failed=() pass=0 fail=0 planned=0 files=0
for p in $progs $clis; do
  [ "$(cat "$R/$p.rc" 2>/dev/null)" = 0 ] || failed+=("$p")
done
for c in $clis; do
  if read -r a b n f <"$R/$c.res" 2>/dev/null; then
    pass=$((pass + a)) fail=$((fail + b)) planned=$((planned + n)) files=$((files + f))
  else
    failed+=("$c (no result: did it run to the end?)")
  fi
done
start=$(cat "$R/start" 2>/dev/null || date +%s%N)
t=$((($(date +%s%N) - start) / 100000000))
nprogs=$(wc -w <<<"$progs")
# the jobs' processor time (RESULTS/NAME.time, "WALL CPU", from the Makefile's
# job): the longest eight, and the sum, which does not depend on the load
cpus=$(for p in $progs $clis; do [ -f "$R/$p.time" ] && echo "$p $(cat "$R/$p.time")"; done)
if [ -n "$cpus" ]; then
  echo "longest jobs (wall s, cpu s): $(sort -k2 -rn <<<"$cpus" | head -8 | awk '{printf "%s%s %s/%s", (NR > 1 ? ", " : ""), $1, $2, $3}')"
  echo "processor time of all jobs: $(awk '{c += $3} END {printf "%.1f", c}' <<<"$cpus") s"
fi
[ -z "$clis" ] || echo "cli: $pass passed, $fail failed ($planned planned in $files files)"
if [ ${#failed[@]} -eq 0 ] && [ "$fail" -eq 0 ] && [ "$pass" -eq "$planned" ]; then
  echo "make test: passed ($nprogs programs, $files CLI files) in $((t / 10)).$((t % 10)) s"
else
  echo "make test: FAILED: ${failed[*]:-the checks run differ from the plans} ($((t / 10)).$((t % 10)) s)"
  exit 1
fi
