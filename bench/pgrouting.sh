#!/usr/bin/env bash
# Peer comparison: RedGrid's walking search against pgRouting's pgr_drivingDistance
# (directed := false) on the same network, the public part of the demo district's
# (private roads left out of both: pgRouting has no first/last-leg rule), 300 m from
# 50 fixed origin nodes. Checks the reachable node sets are identical and costs equal
# within ±1 dm, then reports the time per query of pgRouting with edges restricted to
# a 300 m box around the origin and with the whole table, against RedGrid's median.
#
# Needs PostgreSQL 15 with PostGIS and pgRouting (Debian: postgresql-15
# postgresql-15-postgis-3 postgresql-15-pgrouting); starts its own throwaway cluster
# as the postgres user on port 54329 and stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
chmod 755 "$work"
cargo run --release -q -p redgrid --example pgrouting_peer -- "$work"
chmod 644 "$work"/*.csv

bin=/usr/lib/postgresql/15/bin
data="$work/pgdata"
port=54329
install -d -o postgres "$data"
as_pg() { su postgres -s /bin/bash -c "$*"; }
as_pg "$bin/initdb -D $data -A trust" >/dev/null
as_pg "$bin/pg_ctl -D $data -o '-p $port -k /tmp' -l $data/pg.log start -w" >/dev/null
trap 'as_pg "$bin/pg_ctl -D $data stop -m fast" >/dev/null; rm -rf "$work"' EXIT
psql_run() { psql -X -q -h /tmp -p "$port" -U postgres -v ON_ERROR_STOP=1 "$@"; }

psql_run <<SQL
CREATE EXTENSION postgis;
CREATE EXTENSION pgrouting;
CREATE TABLE edges (id bigint, source bigint, target bigint, cost float8,
                    x_min float8, y_min float8, x_max float8, y_max float8);
\copy edges FROM '$work/edges.csv' CSV HEADER
ALTER TABLE edges ADD COLUMN geom geometry(Polygon, 0);
UPDATE edges SET geom = ST_MakeEnvelope(x_min, y_min, x_max, y_max, 0);
CREATE INDEX ON edges USING gist (geom);
CREATE TABLE origins (origin bigint, x float8, y float8);
\copy origins FROM '$work/origins.csv' CSV HEADER
CREATE TABLE redgrid (origin bigint, node bigint, cost float8);
\copy redgrid FROM '$work/redgrid.csv' CSV HEADER
ANALYZE;
SQL

# One pgr_drivingDistance per origin, timed as a whole, results kept to compare.
time_queries() {
  local name=$1 where=$2
  psql_run -c "CREATE TABLE $name (origin bigint, node bigint, cost float8)"
  local started ended
  started=$(date +%s.%N)
  psql_run <<SQL
DO \$\$
DECLARE o record;
BEGIN
  FOR o IN SELECT * FROM origins LOOP
    INSERT INTO $name
    SELECT o.origin, node, agg_cost FROM pgr_drivingDistance(
      format('SELECT id, source, target, cost FROM edges $where', o.x, o.y),
      o.origin, 3000, directed := false);
  END LOOP;
END \$\$;
SQL
  ended=$(date +%s.%N)
  echo "scale=1; ($ended - $started) * 1000000 / 50" | bc
}
whole_us=$(time_queries pg_whole "")
bbox_us=$(time_queries pg_bbox "WHERE geom && ST_Expand(ST_MakePoint(%s, %s), 300)")

for name in pg_whole pg_bbox; do
  psql_run -t -A -F ' ' <<SQL
SELECT '$name: ' || count(*) FILTER (WHERE p.node IS NULL) || ' only in RedGrid, '
    || count(*) FILTER (WHERE r.node IS NULL) || ' only in pgRouting, '
    || count(*) FILTER (WHERE abs(p.cost - r.cost) > 1) || ' costs off by more than 1 dm, of '
    || count(*) || ' (origin, node) pairs'
FROM redgrid r FULL JOIN $name p USING (origin, node);
SQL
done
ours_us=$(cat "$work/redgrid_median_us.txt")
echo "per query: RedGrid ${ours_us} µs (median); pgRouting ${bbox_us} µs with a 300 m box, ${whole_us} µs with the whole table (mean, SQL round trip included)"
echo "ratios: bbox $(echo "scale=0; $bbox_us / $ours_us" | bc)×, whole table $(echo "scale=0; $whole_us / $ours_us" | bc)×"
