#!/usr/bin/env bash
# Site suggestions against an exact solver: the demo district's 5-minute instance
# (candidates every 50 m of public street, no spacing rule), RedGrid's lazy greedy +
# swap against the optimum of the integer programme solved by CBC (PyPI `pulp`,
# installed into a throwaway virtual environment). Usage: bench/suggest_exact.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q pulp
cargo run --release -q -p redgrid --example suggest_instance -- "$work/instance.json" "${1:-10}"
"$work/venv/bin/python" bench/suggest_exact.py "$work/instance.json"
