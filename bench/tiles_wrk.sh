#!/usr/bin/env bash
# Cached-tile throughput over HTTP: the release server on loopback pinned to core 0,
# wrk pinned to core 1, 20 s on one building tile of downtown at zoom 15 (warmed
# first, so every request is a cache hit), with and without gzip. Needs wrk
# (Debian package `wrk`). Usage: bench/tiles_wrk.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
seconds=${1:-20}
cargo build --release -q -p redgrid
port=18093
taskset -c 0 ./target/release/redgrid serve --listen "127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
trap 'kill $server' EXIT
until curl -sf "127.0.0.1:$port/api/v1/health" >/dev/null; do sleep 0.2; done
version=$(curl -s "127.0.0.1:$port/tiles/buildings.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tiles"][0].split("v=")[1])')
url="http://127.0.0.1:$port/tiles/buildings/15/27432/12692.mvt?v=$version"
curl -sf -o /dev/null "$url"
echo "tile: $url ($(curl -s "$url" | wc -c) bytes)"
echo "== identity"
taskset -c 1 wrk -t1 -c16 -d"${seconds}s" --latency "$url"
echo "== gzip"
taskset -c 1 wrk -t1 -c16 -d"${seconds}s" --latency -H 'Accept-Encoding: gzip' "$url"
