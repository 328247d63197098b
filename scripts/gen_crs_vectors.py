#!/usr/bin/env python3
"""Writes server/tests/fixtures/crs_vectors.json: WGS-84 / GCJ-02 / BD-09 test vectors.

The values come from an independent implementation, PyPI `prcoords` 1.0.2
(public domain / GPLv3+, https://github.com/Artoria2e5/PRCoords), so the Rust
conversions in server/src/geo/crs.rs are checked against code they share nothing
with. Run once; the output is committed:

    pip install prcoords==1.0.2 && python3 scripts/gen_crs_vectors.py

The inverses use prcoords' iterative ("bored") functions with the stopping
tolerance tightened from 1e-5 deg to 1e-12 deg, which makes them exact to
floating-point precision. Outside China's bounding box GCJ-02 is the identity
(prcoords' `sanity_in_china_p`); BD-09 still applies its own offset there.
"""
import json
import random
from pathlib import Path

import prcoords

prcoords.PRC_EPS = 1e-12

OUT = Path(__file__).resolve().parent.parent / "server/tests/fixtures/crs_vectors.json"


def round9(x):
    return round(x, 10)


def vector(region, lon, lat):
    wgs = prcoords.Coords(lat, lon)
    in_china = prcoords.sanity_in_china_p(wgs)
    gcj = prcoords.wgs_gcj(wgs)
    bd = prcoords.wgs_bd(wgs)
    if in_china:
        gcj_back = prcoords.gcj_wgs_bored(gcj)
        bd_back = prcoords.bd_wgs_bored(bd)
    else:
        gcj_back = gcj
        bd_back = prcoords.bd_gcj_bored(bd)
    return {
        "region": region,
        "in_china": in_china,
        "wgs84": [round9(lon), round9(lat)],
        "gcj02": [round9(gcj.lon), round9(gcj.lat)],
        "bd09": [round9(bd.lon), round9(bd.lat)],
        "gcj02_to_wgs84": [round9(gcj_back.lon), round9(gcj_back.lat)],
        "bd09_to_wgs84": [round9(bd_back.lon), round9(bd_back.lat)],
    }


def main():
    rng = random.Random(20261128)
    vectors = []
    # Zhifu district bounding box.
    for _ in range(120):
        vectors.append(vector("zhifu", rng.uniform(121.2755, 121.5504), rng.uniform(37.4145, 37.6348)))
    # Near China's borders and the edges of the GCJ-02 bounding box, inside and outside it.
    places = [
        ("mohe", 122.53, 53.48), ("fuyuan", 134.29, 48.36), ("kashgar", 75.99, 39.47),
        ("ruili", 97.85, 24.01), ("sanya", 109.51, 18.25), ("zengmu", 112.28, 3.97),
        ("bbox_west", 72.004, 39.0), ("bbox_east", 137.8347, 45.0),
        ("bbox_south", 110.0, 0.8293), ("bbox_north", 120.0, 55.8271),
    ]
    for name, lon, lat in places:
        for _ in range(8):
            vectors.append(vector(name, lon + rng.uniform(-0.3, 0.3), lat + rng.uniform(-0.3, 0.3)))
    OUT.write_text(json.dumps(vectors, ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {len(vectors)} vectors to {OUT}")


if __name__ == "__main__":
    main()
