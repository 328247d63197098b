//! Measures of the committed demo walking network, `data/geojson/walk_network.geojson`:
//! planarity, size, edge lengths, dead ends, circuity, the sea, the real bus stops and
//! connectivity. Each test prints what it measured (`cargo test --test network --
//! --nocapture`). A node is a distinct line endpoint, an edge one LineString.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use geo::{Contains, Coord, Distance, Euclidean, LineString, MultiPolygon};
use redgrid::geo::{BBox, LocalProjection, LonLat};
use rstar::primitives::{GeomWithData, Line as RLine};
use rstar::{RTree, RTreeObject};

type Pt = (i64, i64);

struct Edge {
    /// Coordinates in units of 1e-7 degrees, exactly as written.
    coords: Vec<Pt>,
    highway: String,
    bridge: bool,
    ferry: bool,
    private: bool,
}

struct Network {
    edges: Vec<Edge>,
    ends: Vec<(usize, usize)>,
    node_count: usize,
    degree: Vec<usize>,
    node_xy: Vec<Coord<f64>>,
    projection: LocalProjection,
    land: MultiPolygon<f64>,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn geometries(path: &Path) -> Vec<(geojson::JsonObject, geo::Geometry<f64>)> {
    let text = std::fs::read_to_string(path).unwrap();
    let collection =
        geojson::FeatureCollection::try_from(text.parse::<geojson::GeoJson>().unwrap()).unwrap();
    collection
        .features
        .into_iter()
        .map(|f| {
            (
                f.properties.unwrap_or_default(),
                f.geometry.unwrap().try_into().unwrap(),
            )
        })
        .collect()
}

static NET: LazyLock<Network> = LazyLock::new(|| {
    let land: MultiPolygon<f64> = geometries(&root().join("data/geojson/district.geojson"))
        .into_iter()
        .flat_map(|(_, g)| match g {
            geo::Geometry::MultiPolygon(mp) => mp.0,
            geo::Geometry::Polygon(p) => vec![p],
            _ => vec![],
        })
        .collect();
    let projection = LocalProjection::for_extent(BBox::of(&land).unwrap());
    let to_i = |v: f64| (v * 1e7).round() as i64;
    let edges: Vec<Edge> = geometries(&root().join("data/geojson/walk_network.geojson"))
        .into_iter()
        .map(|(props, g)| {
            let geo::Geometry::LineString(line) = g else {
                panic!("not a LineString")
            };
            Edge {
                coords: line.0.iter().map(|c| (to_i(c.x), to_i(c.y))).collect(),
                highway: props["highway"].as_str().unwrap().to_owned(),
                bridge: props
                    .get("bridge")
                    .and_then(|v| v.as_bool())
                    .unwrap_or(false),
                ferry: props
                    .get("ferry")
                    .and_then(|v| v.as_bool())
                    .unwrap_or(false),
                private: props.get("access").and_then(|v| v.as_str()) == Some("private"),
            }
        })
        .collect();
    let mut ids: BTreeMap<Pt, usize> = BTreeMap::new();
    let mut ends = Vec::new();
    for e in &edges {
        let mut id = |p: Pt| {
            let next = ids.len();
            *ids.entry(p).or_insert(next)
        };
        let a = id(e.coords[0]);
        let b = id(*e.coords.last().unwrap());
        ends.push((a, b));
    }
    let mut degree = vec![0; ids.len()];
    for &(a, b) in &ends {
        degree[a] += 1;
        degree[b] += 1;
    }
    let mut node_xy = vec![Coord { x: 0.0, y: 0.0 }; ids.len()];
    for (&(x, y), &i) in &ids {
        let (px, py) = projection.project_xy(x as f64 / 1e7, y as f64 / 1e7);
        node_xy[i] = Coord { x: px, y: py };
    }
    Network {
        node_count: ids.len(),
        edges,
        ends,
        degree,
        node_xy,
        projection,
        land,
    }
});

fn xy(p: Pt) -> Coord<f64> {
    let (x, y) = NET
        .projection
        .project_xy(p.0 as f64 / 1e7, p.1 as f64 / 1e7);
    Coord { x, y }
}

fn length_m(e: &Edge) -> f64 {
    e.coords
        .windows(2)
        .map(|w| Euclidean.distance(xy(w[0]), xy(w[1])))
        .sum()
}

/// Sign of the turn a→b→c, exact on integer coordinates.
fn orient(a: Pt, b: Pt, c: Pt) -> i128 {
    let v = (b.0 - a.0) as i128 * (c.1 - a.1) as i128 - (b.1 - a.1) as i128 * (c.0 - a.0) as i128;
    v.signum()
}

fn on_segment(a: Pt, b: Pt, p: Pt) -> bool {
    orient(a, b, p) == 0
        && p.0 >= a.0.min(b.0)
        && p.0 <= a.0.max(b.0)
        && p.1 >= a.1.min(b.1)
        && p.1 <= a.1.max(b.1)
}

/// Whether two segments share any point.
fn touch(a: Pt, b: Pt, c: Pt, d: Pt) -> bool {
    let (o1, o2, o3, o4) = (
        orient(a, b, c),
        orient(a, b, d),
        orient(c, d, a),
        orient(c, d, b),
    );
    (o1 * o2 < 0 && o3 * o4 < 0)
        || on_segment(a, b, c)
        || on_segment(a, b, d)
        || on_segment(c, d, a)
        || on_segment(c, d, b)
}

/// Whether segment `k` of edge `e` and segment `m` of edge `f`, which touch, do so
/// anywhere but at a shared end node (or, within one edge, at the vertex joining
/// consecutive segments).
fn crosses_without_node(e: &[Pt], k: usize, f: &[Pt], m: usize, same_edge: bool) -> bool {
    let (a, b, c, d) = (e[k], e[k + 1], f[m], f[m + 1]);
    let shared = [a, b].into_iter().find(|p| *p == c || *p == d);
    let only_there = |shared: Pt| {
        [a, b]
            .iter()
            .filter(|p| **p != shared)
            .all(|p| !on_segment(c, d, *p))
            && [c, d]
                .iter()
                .filter(|p| **p != shared)
                .all(|p| !on_segment(a, b, *p))
    };
    let allowed = match shared {
        Some(p) if same_edge => m == k + 1 && p == b && only_there(p),
        Some(p) => {
            [e[0], e[e.len() - 1]].contains(&p)
                && [f[0], f[f.len() - 1]].contains(&p)
                && only_there(p)
        }
        None => false,
    };
    !allowed
}

#[test]
fn the_planarity_check_itself_tells_crossings_from_junctions() {
    let x = |pts: &[(i64, i64)]| pts.to_vec();
    // Two edges crossing like an X.
    assert!(touch((0, 0), (10, 10), (0, 10), (10, 0)));
    assert!(crosses_without_node(
        &x(&[(0, 0), (10, 10)]),
        0,
        &x(&[(0, 10), (10, 0)]),
        0,
        false
    ));
    // One edge ending on the middle of another: a T with no node on the bar.
    assert!(crosses_without_node(
        &x(&[(5, 0), (5, 5)]),
        0,
        &x(&[(0, 5), (10, 5)]),
        0,
        false
    ));
    // Two edges meeting at their end node.
    assert!(!crosses_without_node(
        &x(&[(0, 0), (5, 5)]),
        0,
        &x(&[(5, 5), (10, 0)]),
        0,
        false
    ));
    // A shape point shared by two edges is not a node.
    assert!(crosses_without_node(
        &x(&[(0, 0), (5, 5), (10, 5)]),
        0,
        &x(&[(5, 5), (5, 10)]),
        0,
        false
    ));
    // Consecutive segments of one edge; overlapping ones are not fine.
    let bend = x(&[(0, 0), (5, 5), (10, 0)]);
    assert!(!crosses_without_node(&bend, 0, &bend, 1, true));
    let back = x(&[(0, 0), (10, 0), (5, 0)]);
    assert!(crosses_without_node(&back, 0, &back, 1, true));
    // Disjoint segments do not touch.
    assert!(!touch((0, 0), (1, 0), (0, 1), (1, 1)));
}

#[test]
fn planar_no_crossing_without_a_shared_node_except_bridges() {
    let net = &*NET;
    let mut segments = Vec::new();
    for (i, e) in net.edges.iter().enumerate() {
        for (k, w) in e.coords.windows(2).enumerate() {
            let (a, b) = (w[0], w[1]);
            segments.push(GeomWithData::new(
                RLine::new([a.0 as f64, a.1 as f64], [b.0 as f64, b.1 as f64]),
                (i, k),
            ));
        }
    }
    let tree = RTree::bulk_load(segments);
    let mut violations = Vec::new();
    let mut pairs = 0usize;
    for seg in tree.iter() {
        let (i, k) = seg.data;
        if net.edges[i].bridge {
            continue;
        }
        let e = &net.edges[i].coords;
        let (a, b) = (e[k], e[k + 1]);
        for other in tree.locate_in_envelope_intersecting(&seg.geom().envelope()) {
            let (j, m) = other.data;
            if (j, m) <= (i, k) || net.edges[j].bridge {
                continue;
            }
            let f = &net.edges[j].coords;
            let (c, d) = (f[m], f[m + 1]);
            if !touch(a, b, c, d) {
                continue;
            }
            pairs += 1;
            if crosses_without_node(e, k, f, m, i == j) {
                violations.push((i, j));
            }
        }
    }
    println!(
        "planarity: {pairs} touching segment pairs checked, {} crossings without a shared node",
        violations.len()
    );
    assert!(
        violations.is_empty(),
        "first crossings: {:?}",
        &violations[..violations.len().min(5)]
    );
}

#[test]
fn size_between_30k_and_80k_nodes_with_5_to_25_percent_dead_ends() {
    let dead_ends = NET.degree.iter().filter(|&&d| d == 1).count();
    let share = dead_ends as f64 / NET.node_count as f64;
    println!(
        "nodes: {}, edges: {}, dead ends: {dead_ends} ({:.1} %)",
        NET.node_count,
        NET.edges.len(),
        100.0 * share
    );
    assert!((30_000..=80_000).contains(&NET.node_count));
    assert!((0.05..=0.25).contains(&share));
}

#[test]
fn downtown_edges_have_a_median_length_of_40_to_120_m() {
    let centre = xy(((121.3786 * 1e7) as i64, (37.5391 * 1e7) as i64));
    let mut lengths: Vec<f64> = NET
        .edges
        .iter()
        .filter(|e| Euclidean.distance(xy(e.coords[0]), centre) < 1500.0)
        .map(length_m)
        .collect();
    lengths.sort_by(f64::total_cmp);
    let median = lengths[lengths.len() / 2];
    println!(
        "downtown (1.5 km around 南大街): {} edges, median length {median:.1} m",
        lengths.len()
    );
    assert!((40.0..=120.0).contains(&median));
}

/// Dijkstra over public edges (private compound roads carry no through walk).
fn distances_from(adjacent: &[Vec<(usize, f64)>], source: usize, target: usize) -> Option<f64> {
    let mut best = vec![f64::INFINITY; adjacent.len()];
    let mut heap = BinaryHeap::new();
    best[source] = 0.0;
    heap.push(Reverse((0f64.to_bits(), source)));
    while let Some(Reverse((bits, node))) = heap.pop() {
        let d = f64::from_bits(bits);
        if node == target {
            return Some(d);
        }
        if d > best[node] {
            continue;
        }
        for &(next, w) in &adjacent[node] {
            if d + w < best[next] {
                best[next] = d + w;
                heap.push(Reverse(((d + w).to_bits(), next)));
            }
        }
    }
    None
}

#[test]
fn circuity_median_between_1_15_and_1_45() {
    let net = &*NET;
    let mut adjacent = vec![Vec::new(); net.node_count];
    for (e, &(a, b)) in net.edges.iter().zip(&net.ends) {
        if !e.private {
            let w = length_m(e);
            adjacent[a].push((b, w));
            adjacent[b].push((a, w));
        }
    }
    let mut state: u64 = 20_261_128;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    let mut ratios = Vec::new();
    let mut tries = 0;
    while ratios.len() < 1000 && tries < 200_000 {
        tries += 1;
        let (s, t) = (next() % net.node_count, next() % net.node_count);
        let straight = Euclidean.distance(net.node_xy[s], net.node_xy[t]);
        if !(500.0..=2000.0).contains(&straight) || adjacent[s].is_empty() || adjacent[t].is_empty()
        {
            continue;
        }
        if let Some(d) = distances_from(&adjacent, s, t) {
            ratios.push(d / straight);
        }
    }
    ratios.sort_by(f64::total_cmp);
    let median = ratios[ratios.len() / 2];
    println!(
        "circuity over {} node pairs 0.5–2 km apart: median {median:.3}, p10 {:.3}, p90 {:.3}",
        ratios.len(),
        ratios[ratios.len() / 10],
        ratios[ratios.len() * 9 / 10]
    );
    assert_eq!(ratios.len(), 1000);
    assert!((1.15..=1.45).contains(&median));
}

#[test]
fn no_edge_in_the_sea_except_bridges_and_ferries() {
    let outside: Vec<usize> = NET
        .edges
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.bridge && !e.ferry)
        .filter(|(_, e)| {
            let line = LineString::from(
                e.coords
                    .iter()
                    .map(|p| (p.0 as f64 / 1e7, p.1 as f64 / 1e7))
                    .collect::<Vec<_>>(),
            );
            !NET.land.contains(&line)
        })
        .map(|(i, _)| i)
        .collect();
    let bridges = NET.edges.iter().filter(|e| e.bridge).count();
    let ferries = NET.edges.iter().filter(|e| e.ferry).count();
    println!(
        "edges not wholly on land: {} (bridges: {bridges}, ferries: {ferries})",
        outside.len()
    );
    assert!(outside.is_empty(), "{:?}", &outside[..outside.len().min(5)]);
}

#[test]
fn at_least_95_percent_of_real_bus_stops_within_30_m_of_an_edge() {
    let tree = RTree::bulk_load(
        NET.edges
            .iter()
            .flat_map(|e| e.coords.windows(2).map(|w| (xy(w[0]), xy(w[1]))))
            .map(|(a, b)| RLine::new([a.x, a.y], [b.x, b.y]))
            .collect(),
    );
    let stops: Vec<Coord<f64>> =
        geometries(&root().join("data/sources/transit/zhifu_bus_stops_wgs84.geojson"))
            .into_iter()
            .filter_map(|(_, g)| match g {
                geo::Geometry::Point(p) => Some(p.0),
                _ => None,
            })
            .map(|c| {
                let (x, y) = NET.projection.project(LonLat::new(c.x, c.y).unwrap());
                Coord { x, y }
            })
            .collect();
    let near = stops
        .iter()
        .filter(|s| {
            tree.locate_within_distance([s.x, s.y], 30.0 * 30.0)
                .next()
                .is_some()
        })
        .count();
    let share = near as f64 / stops.len() as f64;
    println!(
        "bus stops within 30 m of an edge: {near} of {} ({:.1} %)",
        stops.len(),
        100.0 * share
    );
    assert!(share >= 0.95);
}

#[test]
fn one_connected_component() {
    let net = &*NET;
    let mut parent: Vec<usize> = (0..net.node_count).collect();
    fn find(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for &(a, b) in &net.ends {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        parent[ra] = rb;
    }
    let roots: std::collections::BTreeSet<usize> =
        (0..net.node_count).map(|i| find(&mut parent, i)).collect();
    let by_highway = net
        .edges
        .iter()
        .fold(BTreeMap::<&str, usize>::new(), |mut m, e| {
            *m.entry(e.highway.as_str()).or_default() += 1;
            m
        });
    println!(
        "components: {}; edges by highway: {by_highway:?}",
        roots.len()
    );
    assert_eq!(roots.len(), 1);
}
