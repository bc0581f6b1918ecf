#!/bin/bash
# make bench: layout speed and memory, then a whole `make run` render.
set -eu
cd "$(dirname "$0")/.."
"${BENCH:-build/tests/bench_layout}"
start=$(date +%s%N)
"$KHET" render --out build/bench-out --date 2563-10-15 >/dev/null
echo "khet render (10 documents): $(( ($(date +%s%N) - start) / 1000000 )) ms"
