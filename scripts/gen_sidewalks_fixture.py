#!/usr/bin/env python3
"""Writes server/tests/fixtures/sidewalks/: a hand-drawn walking network of the three
shapes a real network has and a planar demo has not, laid out in local metres (x
east, y north) around 121.40 E, 37.50 N (a transverse Mercator there, by pyproj):

- two parallel sidewalks, y = 0 and y = 12, from x = 0 to 400, joined only by the
  crossings at their ends; station SN 2 m north of the northern one at x = 200;
- a street T at y = -100 and a street U at y = -150, joined at both ends; a footway
  from U at x = 200 north to y = -101.5, ending 1.5 m short of T; station ST 2 m
  north of T at x = 200;
- a road V at y = -300 crossed by a footbridge (bridge=yes) from W1 (y = -280) to W2
  (y = -320) at x = 200 without a shared vertex; W1 and W2 join V at both ends.

    pip install pyproj
    python3 scripts/gen_sidewalks_fixture.py
"""
import json
from pathlib import Path

from pyproj import Transformer

OUT = Path(__file__).resolve().parent.parent / "server/tests/fixtures/sidewalks"
TO_WGS84 = Transformer.from_crs(
    "+proj=tmerc +lat_0=37.5 +lon_0=121.4 +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=m",
    "EPSG:4326", always_xy=True)


def lon_lat(x, y):
    lon, lat = TO_WGS84.transform(x, y)
    return [round(lon, 7), round(lat, 7)]


def line(points, **props):
    return {"type": "Feature", "properties": {"highway": "footway", **props},
            "geometry": {"type": "LineString", "coordinates": [lon_lat(*p) for p in points]}}


def site(id_, name, x, y):
    return {"type": "Feature",
            "properties": {"id": id_, "kind": "station", "name": name, "synthetic": True},
            "geometry": {"type": "Point", "coordinates": lon_lat(x, y)}}


def collection(features):
    return json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=False, indent=1) + "\n"


network = [
    line([(0, 0), (400, 0)], name="南侧人行道"),
    line([(0, 12), (400, 12)], name="北侧人行道"),
    line([(0, 0), (0, 12)], footway="crossing"),
    line([(400, 0), (400, 12)], footway="crossing"),
    line([(0, -100), (0, 0)]),
    line([(0, -100), (400, -100)], highway="residential", name="T路"),
    line([(0, -150), (200, -150)], highway="residential", name="U路"),
    line([(200, -150), (400, -150)], highway="residential", name="U路"),
    line([(0, -150), (0, -100)]),
    line([(400, -150), (400, -100)]),
    line([(200, -150), (200, -101.5)], name="断头小路"),
    line([(0, -300), (400, -300)], highway="residential", name="V路"),
    line([(0, -280), (200, -280)]),
    line([(200, -280), (400, -280)]),
    line([(0, -320), (200, -320)]),
    line([(200, -320), (400, -320)]),
    line([(0, -300), (0, -280)]),
    line([(0, -320), (0, -300)]),
    line([(400, -300), (400, -280)]),
    line([(400, -320), (400, -300)]),
    line([(0, -280), (0, -150)]),
    line([(200, -280), (200, -320)], bridge=True, name="人行天桥"),
]
sites = [site("SN", "北侧驿站", 200, 14), site("ST", "T路驿站", 200, -98)]
OUT.mkdir(parents=True, exist_ok=True)
for f in network:
    f["properties"]["synthetic"] = True
(OUT / "walk_network.geojson").write_text(collection(network))
(OUT / "sites.geojson").write_text(collection(sites))
print(f"wrote {OUT}")
