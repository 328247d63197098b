#!/usr/bin/env python3
"""Walking distances on real OpenStreetMap extracts, computed independently of RedGrid,
for the tests to compare against.

Independent means: the file is read with pyosmium (libosmium), the pedestrian filter
of README.md is written again here from its wording, ways are NOT cut into junction to
junction lines (every OSM segment is its own edge), lengths are WGS-84 geodesics
(geographiclib, Karney) instead of RedGrid's projection, the private-road rule (a
private way carries only the first or last leg of a walk) is an explicit (node, leg)
graph, and points reach the network by DESIGN's definition written again here: one
access point, the nearest point of the nearest segment within 100 m (shapely's
STRtree in a transverse Mercator by pyproj/PROJ), passing over a nearest bridge or
tunnel for a ground segment at most 10 m farther (not a private one for a point whose
nearest is public); walk = offset + network + offset.

    pip install osmium geographiclib networkx shapely scipy pyproj
    python3 scripts/walk_reference.py sao_paulo   # both files below
    python3 scripts/walk_reference.py helsinki    # access_reference.json.gz

Writes into server/tests/fixtures/NAME/:
- reference.json (São Paulo only): from the junction nearest each of a few fixed
  points, every junction within BUDGET_M: key (lon, lat in 1e-7 degrees), metres,
  segments on the path (networkx Dijkstra).
- access_reference.json.gz: 300 facilities at random points (some 5-25 m from a
  segment they are not nearest to) and, for origins at every junction, at random
  points along segments and at random points up to 80 m off the network, the walking
  distance to the nearest facility (scipy's Dijkstra from a super-source); for 500 of
  the origins, the distance (decimetres, -1 beyond 1,100 m) to each of a fixed sample
  of 200 junctions.
"""
import gzip
import json
import random
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import osmium
import shapely
from geographiclib.geodesic import Geodesic
from pyproj import Transformer
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from shapely.geometry import LineString, Point, Polygon

ROOT = Path(__file__).resolve().parent.parent
EXTRACTS = {
    "sao_paulo": "sao_paulo_r5py.osm.pbf",
    "helsinki": "Helsinki.osm.pbf",
}
BUDGET_M = 1200.0
ORIGINS = [(-46.6333, -23.5505), (-46.6560, -23.5610), (-46.6100, -23.5300),
           (-46.6800, -23.5000), (-46.6400, -23.5850)]
SNAP_RADIUS_M = 100.0
GROUND_SLACK_M = 10.0
# Answers whose access point is within this of another candidate's are ambiguous in
# any projection: every candidate's answer is given.
TIE_M = 0.02
FACILITIES = 300
ALONG_ORIGINS = 1000
OFF_ORIGINS = 1000
OFF_MAX_M = 80.0
ISOCHRONE_ORIGINS = 500
SAMPLED_JUNCTIONS = 200
ISOCHRONE_REACH_M = 1100.0

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


def level(tags):
    """(raised, layer): a bridge or tunnel (a building passage is walked at street
    level), and the OSM layer, default 1 on a bridge, -1 in a tunnel, else 0."""
    bridge = tags.get("bridge", "no") != "no"
    tunnel = tags.get("tunnel", "no") not in ("no", "building_passage")
    try:
        layer = int(tags["layer"])
    except (KeyError, ValueError):
        layer = 1 if bridge else -1 if tunnel else 0
    return bridge or tunnel, layer


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


def read(pbf):
    """Segments of the walkable network: (key_a, key_b, metres, private, raised), keys
    lon, lat in 1e-7 degrees; square crossings included."""
    locations, entrances, ways = {}, set(), []
    for o in osmium.FileProcessor(str(pbf)):
        if o.is_node():
            locations[o.id] = (o.location.x, o.location.y)
            if o.tags.get("barrier") in ENTRANCE_BARRIERS or "entrance" in o.tags:
                entrances.add(o.id)
        elif o.is_way():
            tags = {t.k: t.v for t in o.tags}
            walk, private, square = walk_rule(tags)
            if walk:
                raised, _ = level(tags)
                ways.append((o.id, [n.ref for n in o.nodes], private, square, raised))
    ways.sort()
    geod = Geodesic.WGS84
    segments = []

    def add(ka, kb, private, raised):
        if ka != kb:
            metres = geod.Inverse(ka[1] / 1e7, ka[0] / 1e7, kb[1] / 1e7, kb[0] / 1e7)["s12"]
            segments.append((ka, kb, metres, private, raised))

    uses = {}
    for _, refs, _, _, _ in ways:
        distinct = refs[:-1] if len(refs) > 1 and refs[0] == refs[-1] else refs
        for r in distinct:
            uses[r] = uses.get(r, 0) + 1
    for _, refs, private, square, raised in ways:
        for a, b in zip(refs, refs[1:]):
            if a in locations and b in locations:
                add(locations[a], locations[b], private, raised)
        if square and all(r in locations for r in refs):
            ring = Polygon([(locations[r][0], locations[r][1]) for r in refs])
            distinct = refs[:-1] if refs[0] == refs[-1] else refs
            doors = [r for r in distinct if uses[r] >= 2 or r in entrances]
            doors = doors[:MAX_SQUARE_ENTRANCES]
            for i, a in enumerate(doors):
                for b in doors[i + 1:]:
                    chord = LineString([locations[a], locations[b]])
                    if ring.contains(chord):
                        add(locations[a], locations[b], private, raised)
    return segments


def junction_distances(segments, out):
    """The node-to-node reference of tests/osm.rs (networkx over (node, leg))."""
    edges = {}
    for ka, kb, metres, private, _ in segments:
        key = (min(ka, kb), max(ka, kb))
        if key not in edges or (metres, private) < edges[key]:
            edges[key] = (metres, private)
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

    result = {"budget_m": BUDGET_M, "edges": len(edges), "origins": []}
    for lon, lat in ORIGINS:
        origin = nearest_junction(lon, lat)
        dist, paths = nx.single_source_dijkstra(graph, (origin, FIRST), cutoff=BUDGET_M)
        best = {}
        for (key, _), d in dist.items():
            if len(neighbours[key]) != 2 and (key not in best or d < best[key][0]):
                best[key] = (d, len(paths[(key, _)]) - 1)
        reached = [[k[0], k[1], round(d, 3), hops] for k, (d, hops) in sorted(best.items())]
        result["origins"].append({"origin": list(origin), "reached": reached})
        print(f"origin {origin}: {len(reached)} junctions within {BUDGET_M} m")
    text = json.dumps(result, separators=(",", ":"))
    out.write_text(text + "\n")
    print(f"wrote {out} ({len(text)} bytes, {len(edges)} edges)")


class Network:
    """The segments in a transverse Mercator centred on their extent, with an R-tree."""

    def __init__(self, segments):
        self.segments = segments
        lons = [k[0] for s in segments for k in s[:2]]
        lats = [k[1] for s in segments for k in s[:2]]
        lon0 = (min(lons) + max(lons)) / 2e7
        lat0 = (min(lats) + max(lats)) / 2e7
        self.to_local = Transformer.from_crs(
            "EPSG:4326", f"+proj=tmerc +lat_0={lat0} +lon_0={lon0} +k=1 +x_0=0 +y_0=0 "
            "+ellps=WGS84 +units=m", always_xy=True)
        self.to_wgs84 = Transformer.from_crs(self.to_local.target_crs, "EPSG:4326",
                                             always_xy=True)
        self.lines = [LineString([self.local(ka), self.local(kb)])
                      for ka, kb, *_ in segments]
        self.tree = shapely.STRtree(self.lines)
        nodes = sorted({k for s in segments for k in s[:2]})
        self.node_index = {k: i for i, k in enumerate(nodes)}
        self.nodes = nodes
        degree = {}
        for ka, kb, *_ in segments:
            degree.setdefault(ka, set()).add(kb)
            degree.setdefault(kb, set()).add(ka)
        self.junctions = [k for k in nodes if len(degree[k]) != 2]

    def local(self, key):
        return self.to_local.transform(key[0] / 1e7, key[1] / 1e7)

    def lon_lat(self, xy):
        lon, lat = self.to_wgs84.transform(*xy)
        return round(lon, 7), round(lat, 7)

    def foot(self, i, p):
        """(offset, metres along segment i from its first key, the foot point)."""
        line = self.lines[i]
        t = line.project(Point(p), normalized=True)
        q = line.interpolate(t, normalized=True)
        return Point(p).distance(q), t * self.segments[i][2], (q.x, q.y)

    def access(self, p):
        """Every candidate access point of p by the definition, within TIE_M of the
        chosen one: [(segment, offset, along)], or [] beyond the snap radius."""
        near, dist = self.tree.query_nearest(Point(p), max_distance=SNAP_RADIUS_M,
                                             return_distance=True, all_matches=True)
        if len(near) == 0:
            return []
        d0 = float(min(dist))
        within = self.tree.query(Point(p), predicate="dwithin",
                                 distance=d0 + GROUND_SLACK_M + TIE_M)
        cands = sorted((self.foot(int(i), p)[0], int(i)) for i in within)
        private = lambda i: self.segments[i][3]
        raised = lambda i: self.segments[i][4]
        exact = [i for d, i in cands if d <= d0 + 1e-6]
        # As near a public segment as any: outside compounds.
        outside = any(not private(i) for i in exact)
        eligible = [(d, i) for d, i in cands if not raised(i) and d <= d0 + GROUND_SLACK_M
                    and not (outside and private(i))]
        chosen = eligible or cands
        best = chosen[0][0]
        out = []
        for d, i in chosen:
            if d <= best + TIE_M:
                offset, along, _ = self.foot(i, p)
                out.append((i, offset, along))
        return out


def graph_with(net, points):
    """A (node, leg) CSR graph of the segments cut at the access points of `points`
    (lists of candidates); returns (matrix, state of each candidate, pieces)."""
    n = len(net.nodes)
    cuts = {}
    vid = {}
    for p, cands in enumerate(points):
        for c, (i, offset, along) in enumerate(cands):
            ka, kb, metres, *_ = net.segments[i]
            if along <= 1e-9:
                vid[(p, c)] = net.node_index[ka]
            elif along >= metres - 1e-9:
                vid[(p, c)] = net.node_index[kb]
            else:
                vid[(p, c)] = n
                cuts.setdefault(i, []).append((along, n))
                n += 1
    rows, cols, weights = [], [], []

    def arc(u, v, w, private):
        for leg in (FIRST, PUBLIC, LAST):
            nxt = next_leg(leg, private)
            if nxt is not None:
                rows.extend((3 * u + leg, 3 * v + leg))
                cols.extend((3 * v + nxt, 3 * u + nxt))
                weights.extend((w, w))

    for i, (ka, kb, metres, private, _) in enumerate(net.segments):
        prev, prev_along = net.node_index[ka], 0.0
        for along, v in sorted(cuts.get(i, [])):
            arc(prev, v, max(along - prev_along, 1e-9), private)
            prev, prev_along = v, along
        arc(prev, net.node_index[kb], max(metres - prev_along, 1e-9), private)
    return n, rows, cols, weights, vid


def start_leg(net, candidate):
    """The leg a walk starts on: FIRST on a private segment, else PUBLIC."""
    return FIRST if net.segments[candidate[0]][3] else PUBLIC


def matrix(size, rows, cols, weights):
    """A CSR matrix of the arcs, the shortest of parallel ones (a plain COO to CSR
    conversion would add their weights up)."""
    best = {}
    for r, c, w in zip(rows, cols, weights):
        if w < best.get((r, c), float("inf")):
            best[(r, c)] = w
    keys = list(best)
    return csr_matrix(([best[k] for k in keys], ([k[0] for k in keys], [k[1] for k in keys])),
                      shape=(size, size))


def hops(pred, state, source):
    count = 0
    while state != source and state >= 0:
        state = pred[state]
        count += 1
    return count


def access_reference(name, net, out):
    rng = random.Random(22)
    n_seg = len(net.segments)

    def along_point(i, t, off=0.0):
        a, b = net.local(net.segments[i][0]), net.local(net.segments[i][1])
        dx, dy = b[0] - a[0], b[1] - a[1]
        length = (dx * dx + dy * dy) ** 0.5 or 1.0
        return (a[0] + t * dx - off * dy / length, a[1] + t * dy + off * dx / length)

    def rounded(p):
        lon, lat = net.lon_lat(p)
        return (lon, lat), net.to_local.transform(lon, lat)

    facilities = []
    while len(facilities) < FACILITIES:
        i = rng.randrange(n_seg)
        if len(facilities) % 3 == 0:
            # 5-25 m off segment i, kept only where another edge is nearer.
            side = rng.choice((-1, 1))
            ll, p = rounded(along_point(i, rng.random(), side * rng.uniform(5, 25)))
            cands = net.access(p)
            if not cands or net.segments[cands[0][0]][:2] == net.segments[i][:2]:
                continue
        else:
            ll, p = rounded(along_point(i, rng.random(), rng.uniform(-10, 10)))
        facilities.append((ll, p))
    origins = [("node", rounded(net.local(k))) for k in net.junctions]
    for _ in range(ALONG_ORIGINS):
        origins.append(("along", rounded(along_point(rng.randrange(n_seg), rng.random()))))
    for _ in range(OFF_ORIGINS):
        off = rng.choice((-1, 1)) * rng.uniform(0, OFF_MAX_M)
        origins.append(("off", rounded(along_point(rng.randrange(n_seg), rng.random(), off))))

    f_access = [net.access(p) for _, p in facilities]
    o_access = [net.access(p) for _, (_, p) in origins]
    size, rows, cols, weights, vid = graph_with(net, f_access + o_access)
    source = 3 * size
    for f, cands in enumerate(f_access):
        for c, (i, offset, _) in enumerate(cands[:1]):
            rows.append(source)
            cols.append(3 * vid[(f, c)] + start_leg(net, cands[c]))
            weights.append(max(offset, 1e-9))
    graph = matrix(3 * size + 1, rows, cols, weights)
    dist, pred = dijkstra(graph, indices=source, return_predecessors=True)
    answers = []
    for o, cands in enumerate(o_access):
        kind, ((lon, lat), _) = origins[o]
        if not cands:
            answers.append([kind[0], lon, lat, None, None, 0])
            continue
        walks = []
        for c, (i, offset, _) in enumerate(cands):
            # Arriving on a leg that may go on along the origin's own segment.
            legs = [leg for leg in (FIRST, PUBLIC, LAST)
                    if next_leg(leg, net.segments[i][3]) is not None]
            states = [3 * vid[(FACILITIES + o, c)] + leg for leg in legs]
            best = min(states, key=lambda s: dist[s])
            if np.isfinite(dist[best]):
                walks.append((dist[best] + offset, hops(pred, best, source) + 1))
        if not walks:
            answers.append([kind[0], lon, lat, -1, -1, 0])
            continue
        lo, hi = min(w for w, _ in walks), max(w for w, _ in walks)
        answers.append([kind[0], lon, lat, round(lo, 3), round(hi, 3),
                        max(h for _, h in walks)])
    print(f"{name}: {len(origins)} origins, {sum(1 for a in answers if a[3] is None)} "
          f"beyond the snap radius, {sum(1 for a in answers if a[3] == -1)} cut off")

    # Isochrones: distances from some origins to junctions near them. Only junctions
    # whose every segment is on the ground: a flat polygon cannot tell which layer of
    # a bridge or tunnel is reached.
    raised_nodes = {k for s in net.segments if s[4] for k in s[:2]}
    ground = [k for k in net.junctions if k not in raised_nodes]
    ground_xy = np.array([net.local(k) for k in ground])
    # Only origins with one candidate: a tie between two sidewalks is either's.
    usable = [o for o in range(len(origins)) if len(o_access[o]) == 1]
    chosen = rng.sample(usable, min(ISOCHRONE_ORIGINS, len(usable)))
    iso_graph = matrix(3 * size, rows[:len(rows) - len(f_access)],
                       cols[:len(cols) - len(f_access)],
                       weights[:len(weights) - len(f_access)])
    isochrones = []
    for o in chosen:
        start = 3 * vid[(FACILITIES + o, 0)] + start_leg(net, o_access[o][0])
        offset = o_access[o][0][1]
        d = dijkstra(iso_graph, indices=start, limit=ISOCHRONE_REACH_M)
        p = np.array(origins[o][1][1])
        near = np.flatnonzero(((ground_xy - p) ** 2).sum(axis=1) <= ISOCHRONE_REACH_M ** 2)
        picked = sorted(rng.sample(list(near), min(SAMPLED_JUNCTIONS, len(near))))
        reached = []
        for j in picked:
            s = 3 * net.node_index[ground[j]]
            best = min(d[s], d[s + 1], d[s + 2]) + offset
            reached.append([int(j), round(best * 10) if best <= ISOCHRONE_REACH_M else -1])
        isochrones.append({"origin": o, "junctions": reached})
    result = {
        "extract": EXTRACTS[name],
        "snap_radius_m": SNAP_RADIUS_M,
        "facilities": [list(ll) for ll, _ in facilities],
        "origins": answers,
        "junctions": [[k[0], k[1]] for k in ground],
        "isochrone_reach_m": ISOCHRONE_REACH_M,
        "isochrones": isochrones,
    }
    text = json.dumps(result, separators=(",", ":"))
    with gzip.GzipFile(out, "wb", mtime=0) as f:
        f.write(text.encode())
    print(f"wrote {out} ({out.stat().st_size} bytes gzipped)")


def main():
    name = sys.argv[1] if len(sys.argv) > 1 else "sao_paulo"
    fixture = ROOT / "server/tests/fixtures" / name
    segments = read(fixture / EXTRACTS[name])
    if name == "sao_paulo":
        junction_distances(segments, fixture / "reference.json")
    access_reference(name, Network(segments), fixture / "access_reference.json.gz")


if __name__ == "__main__":
    main()
