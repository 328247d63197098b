#!/usr/bin/env python3
"""Copies the real inputs RedGrid ships from the shared data folder into data/.

    python3 scripts/copy_real_data.py [SHARED_DATA_DIR]   (default ../shared/data)

Writes data/geojson/district.geojson (Zhifu's land) and data/geojson/context.geojson
(the other ten county-level units of Yantai), adding the `id` property RedGrid
expects and keeping every original property, so the provenance travels with the
features. data/geojson/README.md describes the sources.
"""
import json
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


def main():
    district = json.loads((SHARED / "boundaries/zhifu_district_wgs84.geojson").read_text())
    districts = json.loads((SHARED / "boundaries/yantai_districts_wgs84.geojson").read_text())
    write("district.geojson", [with_id(f) for f in district["features"]])
    write("context.geojson", [with_id(f) for f in districts["features"] if f["properties"]["adcode"] != ZHIFU])


if __name__ == "__main__":
    main()
