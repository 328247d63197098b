#!/usr/bin/env bash
# Write-to-visible delay between replicas, against the 1 s aim: a private PostGIS
# cluster (scripts/postgis) holding the demo district, two release replicas on
# loopback, and N site creations through replica A. For each: how long A took to
# answer (the write, plus A reloading so its writer reads it), and how long until
# replica B's nearest finds the new site (NOTIFY, 100 ms debounce, B's reload).
# Usage: bench/write_visible.sh [N]   (needs root, like scripts/postgis)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10}
cargo build --release -q -p redgrid
bin=./target/release/redgrid
eval "$(scripts/postgis start)"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; scripts/postgis stop "$REDGRID_PG_DIR"' EXIT
url=$REDGRID_TEST_DATABASE_URL
$bin import --database-url "$url" data/geojson >/dev/null 2>&1
token=$($bin token create --role admin --database-url "$url" 2>/dev/null | tail -1)
for name in a b; do
  port=$([[ $name == a ]] && echo 18101 || echo 18102)
  $bin serve --database-url "$url?application_name=bench_$name" --listen "127.0.0.1:$port" \
    >/dev/null 2>"/tmp/redgrid-bench-$name.log" &
  pids+=($!)
done
for port in 18101 18102; do
  until curl -sf "127.0.0.1:$port/api/v1/health" >/dev/null; do sleep 0.2; done
done
echo "demo district: $(curl -s 127.0.0.1:18101/api/v1/health | python3 -c 'import json,sys; c=json.load(sys.stdin)["counts"]; print(c["sites"], "sites,", c["buildings"], "buildings,", c["network_edges"], "edges")')"
python3 - "$n" "$token" <<'PY'
import json, statistics, sys, time, urllib.request
n, token = int(sys.argv[1]), sys.argv[2]
def call(port, path, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method="POST" if body else "GET",
        data=json.dumps(body).encode() if body else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)
written, visible = [], []
for i in range(n):
    lon, lat = 121.4005 + 0.0007 * i, 37.5365
    start = time.perf_counter()
    site = call(18101, "/api/v1/sites", {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                                         "properties": {"kind": "station", "name": f"测速站{i}"}})
    written.append(time.perf_counter() - start)
    while True:
        near = call(18102, f"/api/v1/nearest?lon={lon}&lat={lat}&k=1")
        if near["features"] and near["features"][0]["properties"]["id"] == site["id"]:
            break
        time.sleep(0.01)
    visible.append(time.perf_counter() - start)
fmt = lambda xs: f"median {statistics.median(xs)*1000:.0f} ms, min {min(xs)*1000:.0f} ms, max {max(xs)*1000:.0f} ms"
print(f"{n} writes through replica A")
print(f"  A answered (write + A's reload): {fmt(written)}")
print(f"  visible in B's nearest:          {fmt(visible)}")
PY
grep -h "data reloaded\|state built" /tmp/redgrid-bench-b.log | tail -4 | sed 's/\x1b\[[0-9;]*m//g'
