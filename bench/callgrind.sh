#!/usr/bin/env bash
# Instruction counts of the core walking search under valgrind's callgrind: a stable
# regression figure (times vary from run to run; counts of one build do not).
# Needs valgrind (apt-get install valgrind). Prints the instructions spent in the
# search itself and in the whole program (loading the demo data included).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p redgrid --example search_workload
out=$(mktemp -d)
valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" \
  target/release/examples/search_workload
callgrind_annotate --inclusive=yes "$out/callgrind.out" 2>/dev/null \
  | grep -E "PROGRAM TOTALS|search_workload::searches" | head -5
