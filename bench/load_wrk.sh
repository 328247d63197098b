#!/usr/bin/env bash
# Load over HTTP: the release server on the demo district, on loopback, pinned to
# core 0; wrk pinned to core 1 (one thread, 32 connections), SECONDS each (default
# 60) on nearest, isochrone, locate and tiles. Requests cycle through 2,000 building
# points of the district drawn with a fixed seed, so no two neighbouring requests
# ask the same thing; tiles are the zoom-15 and 16 building tiles holding them,
# asked with Accept-Encoding: gzip as browsers ask (the JSON endpoints without it,
# as a machine client may). Reports requests/s, p50/p99 latency, errors (socket
# errors and non-2xx answers) and the server's resident memory before and after
# each run. The server logs at its default level (an access line per answer) to
# /dev/null; loopback is exempt from rate limits by default. Needs wrk and taskset
# (Debian packages wrk, util-linux).
# isochrone10 is the isochrone at 10 m cells (the default is 5 m up to 500 m), to
# compare with releases whose default was 10 m. REDGRID_BIN serves another build of
# redgrid (say, an earlier release) instead of building this tree's.
# Usage: bench/load_wrk.sh [SECONDS [ENDPOINT...]]   (default: all four)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
seconds=${1:-60}
shift $(($# > 0))
wanted=${*:-nearest isochrone locate tiles}
bin=${REDGRID_BIN:-}
if [[ -z $bin ]]; then
  cargo build --release -q -p redgrid
  bin=./target/release/redgrid
fi
work=$(mktemp -d)
port=18094
taskset -c 0 "$bin" serve --listen "127.0.0.1:$port" >/dev/null 2>&1 &
server=$!
trap 'kill $server; rm -rf "$work"' EXIT
until curl -sf "127.0.0.1:$port/readyz" >/dev/null; do sleep 0.2; done

python3 - "$work" <<'EOF'
import json, math, random, sys
work = sys.argv[1]
buildings = json.load(open("data/geojson/buildings.geojson"))["features"]
random.seed(20261202)
with open(f"{work}/points.txt", "w") as points, open(f"{work}/tiles.txt", "w") as tiles:
    for b in random.sample(buildings, 2000):
        ring = b["geometry"]["coordinates"][0]
        if b["geometry"]["type"] == "MultiPolygon":
            ring = ring[0]
        lon = sum(p[0] for p in ring[:-1]) / (len(ring) - 1)
        lat = sum(p[1] for p in ring[:-1]) / (len(ring) - 1)
        points.write(f"{lon:.6f},{lat:.6f}\n")
        z = random.choice([15, 16])
        n = 2 ** z
        x = int((lon + 180) / 360 * n)
        y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
        tiles.write(f"{z},{x},{y}\n")
EOF
cat >"$work/cycle.lua" <<'EOF'
-- Each request takes the next line of WRK_VALUES (comma-separated) into WRK_PATH's
-- {1}, {2}, {3}.
local values = {}
for line in io.lines(os.getenv("WRK_VALUES")) do
  local fields = {}
  for field in line:gmatch("[^,]+") do fields[#fields + 1] = field end
  values[#values + 1] = fields
end
local template = os.getenv("WRK_PATH")
local i = 0
request = function()
  i = i % #values + 1
  local path = template:gsub("{(%d)}", function(n) return values[i][tonumber(n)] end)
  return wrk.format("GET", path)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT %d requests in %.1f s: %.0f req/s, p50 %.2f ms, p99 %.2f ms, errors %d (connect %d, read %d, write %d, timeout %d, non-2xx %d)\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1e3, latency:percentile(99) / 1e3,
    e.connect + e.read + e.write + e.timeout + e.status,
    e.connect, e.read, e.write, e.timeout, e.status))
end
EOF

rss() { awk '/VmRSS/ {printf "%.1f MiB", $2 / 1024}' "/proc/$server/status"; }
version=$(curl -s "127.0.0.1:$port/tiles/buildings.json" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["tiles"][0].split("v=")[1])')
run() {
  local name=$1 values=$2 path=$3
  shift 3
  [[ " $wanted " == *" $name "* ]] || return 0
  echo "== $name: $path $*"
  echo "RSS before: $(rss)"
  WRK_VALUES="$work/$values" WRK_PATH="$path" taskset -c 1 \
    wrk -t1 -c32 -d"${seconds}s" -s "$work/cycle.lua" "$@" "http://127.0.0.1:$port" | grep RESULT
  echo "RSS after: $(rss)"
}
run nearest points.txt '/api/v1/nearest?lon={1}&lat={2}&k=3'
run isochrone points.txt '/api/v1/isochrone?lon={1}&lat={2}&minutes=5'
run isochrone10 points.txt '/api/v1/isochrone?lon={1}&lat={2}&minutes=5&cell_m=10'
run locate points.txt '/api/v1/locate?lon={1}&lat={2}'
run tiles tiles.txt "/tiles/buildings/{1}/{2}/{3}.mvt?v=$version" -H 'Accept-Encoding: gzip'
