#!/usr/bin/env python3
"""Copies the real inputs RedGrid ships from the shared data folder into data/.

    python3 scripts/copy_real_data.py [SHARED_DATA_DIR]   (default ../shared/data)

Writes data/geojson/district.geojson (Zhifu's land) and data/geojson/context.geojson
(the other ten county-level units of Yantai), adding the `id` property RedGrid
expects and keeping every original property, so the provenance travels with the
features; and data/sources/transit/, the real bus stops of Zhifu and the stop
sequences of the bus lines that reach it, the inputs of `redgrid gen-demo network`;
and data/sources/places/, the register of streets and communities with the streets'
proxy points, inputs of `redgrid gen-demo district`.
data/geojson/README.md and data/sources/README.md describe the sources.
"""
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
OUT = ROOT / "data" / "geojson"
ZHIFU = "370602"


def with_id(feature):
    props = dict(feature["properties"])
    props = {"id": props["adcode"], **props}
    return {"type": "Feature", "id": props["adcode"], "properties": props, "geometry": feature["geometry"]}


def write(name, features):
    path = OUT / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features},
                               ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"wrote {len(features)} features to {path.relative_to(ROOT)}")


ZHIFU_BBOX = (121.2755, 37.4145, 121.5504, 37.6348)


def copy_transit():
    stops = json.loads((SHARED / "transit/zhifu_bus_stops_wgs84.geojson").read_text())
    routes = json.loads((SHARED / "transit/yantai_bus_routes_stop_sequence_wgs84.geojson").read_text())
    x0, y0, x1, y1 = ZHIFU_BBOX
    reaching = [f for f in routes["features"]
                if any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in f["geometry"]["coordinates"])]
    out = ROOT / "data" / "sources" / "transit"
    out.mkdir(parents=True, exist_ok=True)
    for name, features in [("zhifu_bus_stops_wgs84.geojson", stops["features"]),
                           ("zhifu_bus_routes_stop_sequence_wgs84.geojson", reaching)]:
        path = out / name
        path.write_text(json.dumps({"type": "FeatureCollection", "features": features},
                                   ensure_ascii=False, separators=(",", ":")) + "\n")
        print(f"wrote {len(features)} features to {path.relative_to(ROOT)}")


def copy_places():
    out = ROOT / "data" / "sources" / "places"
    out.mkdir(parents=True, exist_ok=True)
    for name in ["zhifu_subdistricts_nbs2023.csv", "zhifu_communities_nbs2023.csv",
                 "zhifu_subdistricts_wgs84.geojson"]:
        shutil.copyfile(SHARED / "places" / name, out / name)
        print(f"copied {(out / name).relative_to(ROOT)}")


def main():
    district = json.loads((SHARED / "boundaries/zhifu_district_wgs84.geojson").read_text())
    districts = json.loads((SHARED / "boundaries/yantai_districts_wgs84.geojson").read_text())
    write("district.geojson", [with_id(f) for f in district["features"]])
    write("context.geojson", [with_id(f) for f in districts["features"] if f["properties"]["adcode"] != ZHIFU])
    copy_transit()
    copy_places()


if __name__ == "__main__":
    main()
