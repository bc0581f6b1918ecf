#!/bin/bash
# make bench: renders every region's full set (scorecards, summary, KPI
# report, monthly handout) of the national data set, N regions at a time,
# each region into its own folder (no two processes write the same file).
# Usage: bench_national.sh KHET DIR [N]
set -e
KHET=$1 D=$2 JOBS=${3:-1}
one() {
    "$KHET" render --data "$D/data" --scheme "$D/schemes/finance-r$1-2563" \
        --kpi-scheme "$D/schemes/kpi66-r$1-2563" --out "$D/out/r$1" --date 2563-10-15 >/dev/null
}
if [ "$JOBS" -gt 1 ]; then
    export KHET D
    export -f one
    seq 1 13 | xargs -P "$JOBS" -I{} bash -c 'one {}'
else
    for r in $(seq 1 13); do one "$r"; done
fi
