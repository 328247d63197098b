#!/usr/bin/env python3
"""Writes server/tests/fixtures/sao_paulo/reference.json: walking distances on the real
OpenStreetMap extract sao_paulo_r5py.osm.pbf, computed independently of RedGrid, for
tests/osm.rs to compare against.

Independent means: the file is read with pyosmium (libosmium), the pedestrian filter
of README.md is written again here from its wording, ways are NOT cut into junction to
junction lines (every OSM segment is its own edge), lengths are WGS-84 geodesics
(geographiclib, Karney) instead of a projection, and the private-road rule (a private
way carries only the first or last leg of a walk) is an explicit (node, leg) graph
searched by networkx's Dijkstra.

For each origin (the junction nearest each of a few fixed points) the file lists every
junction (a node with other than two neighbours) within BUDGET_M: its key (lon, lat in
1e-7 degrees), its distance in metres and the number of segments on its shortest path.

    pip install osmium geographiclib networkx shapely
    python3 scripts/sao_paulo_reference.py
"""
import json
from pathlib import Path

import networkx as nx
import osmium
from geographiclib.geodesic import Geodesic
from shapely.geometry import LineString, Polygon

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "server/tests/fixtures/sao_paulo"
PBF = FIXTURE / "sao_paulo_r5py.osm.pbf"
BUDGET_M = 1200.0
ORIGINS = [(-46.6333, -23.5505), (-46.6560, -23.5610), (-46.6100, -23.5300),
           (-46.6800, -23.5000), (-46.6400, -23.5850)]

WALKABLE = {"footway", "path", "pedestrian", "steps", "living_street", "residential",
            "service", "unclassified", "road", "track", "bridleway", "corridor",
            "platform", "tertiary", "tertiary_link", "secondary", "secondary_link",
            "primary", "primary_link", "trunk", "trunk_link"}
PERMITTED = {"yes", "designated", "permissive"}
PRIVATE = {"private", "destination", "customers", "delivery", "permit"}
FORBIDDEN = {"no", "bus", "psv", "agricultural", "forestry", "emergency", "military"}
ENTRANCE_BARRIERS = {"gate", "lift_gate", "swing_gate", "entrance"}
MAX_SQUARE_ENTRANCES = 64
FIRST, PUBLIC, LAST = 0, 1, 2


def walk_rule(tags):
    """(walk, private, square) for a way's tags, per README's pedestrian filter."""
    highway, foot = tags.get("highway"), tags.get("foot")
    if highway is None:
        return False, False, False
    if not (highway in WALKABLE or (highway == "cycleway" and foot in PERMITTED)):
        return False, False, False
    area = tags.get("area") == "yes"
    square = area and highway in ("pedestrian", "footway")
    if area and not square:
        return False, False, False
    if foot is not None:
        if foot in ("no", "use_sidepath"):
            return False, False, False
        return True, foot in PRIVATE, square
    access = tags.get("access")
    if access in FORBIDDEN:
        return False, False, False
    return True, access in PRIVATE, square


def next_leg(leg, private):
    if leg == FIRST:
        return FIRST if private else PUBLIC
    if leg == PUBLIC:
        return LAST if private else PUBLIC
    return LAST if private else None


def main():
    locations, entrances, ways = {}, set(), []
    for o in osmium.FileProcessor(str(PBF)):
        if o.is_node():
            locations[o.id] = (o.location.x, o.location.y)
            if o.tags.get("barrier") in ENTRANCE_BARRIERS or "entrance" in o.tags:
                entrances.add(o.id)
        elif o.is_way():
            tags = {t.k: t.v for t in o.tags}
            walk, private, square = walk_rule(tags)
            if walk:
                ways.append((o.id, [n.ref for n in o.nodes], private, square))
    ways.sort()

    geod = Geodesic.WGS84
    edges = {}  # (key_a, key_b) sorted -> (metres, private)

    def add_edge(ka, kb, private):
        if ka == kb:
            return
        la, lb = ka, kb
        metres = geod.Inverse(la[1] / 1e7, la[0] / 1e7, lb[1] / 1e7, lb[0] / 1e7)["s12"]
        key = (min(ka, kb), max(ka, kb))
        if key not in edges or (metres, private) < edges[key]:
            edges[key] = (metres, private)

    uses = {}
    for _, refs, _, _ in ways:
        distinct = refs[:-1] if len(refs) > 1 and refs[0] == refs[-1] else refs
        for r in distinct:
            uses[r] = uses.get(r, 0) + 1
    for _, refs, private, square in ways:
        for a, b in zip(refs, refs[1:]):
            if a in locations and b in locations:
                add_edge(locations[a], locations[b], private)
        if square and all(r in locations for r in refs):
            ring = Polygon([(locations[r][0], locations[r][1]) for r in refs])
            distinct = refs[:-1] if refs[0] == refs[-1] else refs
            doors = [r for r in distinct if uses[r] >= 2 or r in entrances]
            doors = doors[:MAX_SQUARE_ENTRANCES]
            for i, a in enumerate(doors):
                for b in doors[i + 1:]:
                    chord = LineString([locations[a], locations[b]])
                    if ring.contains(chord):
                        add_edge(locations[a], locations[b], private)

    neighbours = {}
    graph = nx.DiGraph()
    for (ka, kb), (metres, private) in edges.items():
        neighbours.setdefault(ka, set()).add(kb)
        neighbours.setdefault(kb, set()).add(ka)
        for u, v in ((ka, kb), (kb, ka)):
            for leg in (FIRST, PUBLIC, LAST):
                nxt = next_leg(leg, private)
                if nxt is not None:
                    graph.add_edge((u, leg), (v, nxt), weight=metres)
    junctions = [k for k, n in neighbours.items() if len(n) != 2]

    def nearest_junction(lon, lat):
        x, y = lon * 1e7, lat * 1e7
        return min(junctions, key=lambda k: ((k[0] - x) * 0.917) ** 2 + (k[1] - y) ** 2)

    out = {"budget_m": BUDGET_M, "edges": len(edges), "origins": []}
    for lon, lat in ORIGINS:
        origin = nearest_junction(lon, lat)
        dist, paths = nx.single_source_dijkstra(graph, (origin, FIRST), cutoff=BUDGET_M)
        best = {}
        for (key, _), d in dist.items():
            if len(neighbours[key]) != 2 and (key not in best or d < best[key][0]):
                best[key] = (d, len(paths[(key, _)]) - 1)
        reached = [[k[0], k[1], round(d, 3), hops] for k, (d, hops) in sorted(best.items())]
        out["origins"].append({"origin": list(origin), "reached": reached})
        print(f"origin {origin}: {len(reached)} junctions within {BUDGET_M} m")
    text = json.dumps(out, separators=(",", ":"))
    (FIXTURE / "reference.json").write_text(text + "\n")
    print(f"wrote {FIXTURE / 'reference.json'} ({len(text)} bytes, {len(edges)} edges)")


if __name__ == "__main__":
    main()
