#!/usr/bin/env python3
"""Writes server/tests/fixtures/lattice/: a fictional 7 x 7 street lattice, 100 m
apart, with sites and buildings on its nodes, so walking distances are known in
closed form (L1 distance x 100 m). One street, community and grid cover it.

    python3 scripts/gen_lattice_fixture.py
"""
import json
import math
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "server/tests/fixtures/lattice"
LON0, LAT0 = 121.38, 37.53
DLAT = 100 / 111_132.954
DLON = 100 / (111_319.49 * math.cos(math.radians(LAT0)))


def at(i, j):
    return [round(LON0 + i * DLON, 7), round(LAT0 + j * DLAT, 7)]


def square(i, j, half=0.1):
    c = at(i, j)
    dx, dy = DLON * half, DLAT * half
    ring = [[c[0] - dx, c[1] - dy], [c[0] + dx, c[1] - dy], [c[0] + dx, c[1] + dy],
            [c[0] - dx, c[1] + dy], [c[0] - dx, c[1] - dy]]
    return {"type": "Polygon", "coordinates": [[[round(x, 7), round(y, 7)] for x, y in ring]]}


def collection(features):
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": p, "geometry": g} for p, g in features]}


def write(name, value):
    (OUT / name).write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    cover = square(3, 3, half=5.0)
    write("district.geojson", collection([({"id": "370602", "name": "测试区", "adcode": "370602",
                                             "synthetic": True}, cover)]))
    write("streets.geojson", collection([({"id": "370602901", "name": "格子街道", "synthetic": True}, cover)]))
    write("communities.geojson", collection([({"id": "370602901001", "street_id": "370602901",
                                                "name": "格子社区", "synthetic": True}, cover)]))
    write("grids.geojson", collection([({"id": "G370602901001001", "code": "370602901001001",
                                         "community_id": "370602901001", "party_branch": "格子网格党支部",
                                         "synthetic": True}, cover)]))
    lines = []
    for j in range(7):
        for i in range(7):
            if i < 6:
                lines.append(({"highway": "residential", "synthetic": True},
                              {"type": "LineString", "coordinates": [at(i, j), at(i + 1, j)]}))
            if j < 6:
                lines.append(({"highway": "residential", "synthetic": True},
                              {"type": "LineString", "coordinates": [at(i, j), at(i, j + 1)]}))
    write("walk_network.geojson", collection(lines))
    never = {"timezone": "Asia/Shanghai", "weekly": [], "closures": []}
    sites = [
        ("S1", "station", "一号驿站", (1, 1), ["饮水"], None),
        ("S2", "community_centre", "格子社区党群服务中心", (5, 6), ["党务"], None),
        ("S3", "station", "三号驿站", (3, 1), ["饮水", "低保"], None),
        ("S4", "volunteer_team", "格子志愿服务队", (3, 3), [], None),
        ("S5", "station", "五号驿站", (6, 6), ["饮水"], never),
    ]
    write("sites.geojson", collection([
        ({"id": sid, "kind": kind, "name": name, "services": services, "synthetic": True,
          **({"hours": hours} if hours else {})},
         {"type": "Point", "coordinates": at(*node)})
        for sid, kind, name, node, services, hours in sites]))
    buildings = [("B1", (2, 3), 100), ("B2", (3, 4), 200), ("B3", (0, 1), 300), ("B4", (6, 4), 400)]
    write("buildings.geojson", collection([
        ({"id": bid, "address": f"格子路{k + 1}号1号楼", "grid_id": "G370602901001001",
          "population": pop, "households": pop // 3, "floors": 6, "synthetic": True}, square(*node))
        for k, (bid, node, pop) in enumerate(buildings)]))


if __name__ == "__main__":
    main()
