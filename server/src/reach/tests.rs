//! The engine against independent oracles: Floyd–Warshall on random graphs, a plain
//! O(V²) Dijkstra over an explicitly built (node, leg) graph for the private-road
//! rule, and the geometry of fixtures whose answers are known in closed form.

#![allow(clippy::needless_range_loop)] // index loops read best on adjacency matrices

use geo::{Area, Contains, Winding};
use proptest::prelude::*;

use super::*;
use crate::network::GraphLine;

fn line(points: Vec<[f64; 2]>, ends: [usize; 2], private: bool) -> GraphLine<usize> {
    GraphLine {
        points,
        ends,
        private,
        bridge: false,
        tunnel: false,
        layer: 0,
        ferry: false,
    }
}

/// Nodes on a circle of radius 1 km (ids = keys), edges straight between them.
fn circle_graph(n: usize, edges: &[(usize, usize, bool)]) -> (WalkGraph, Vec<[f64; 2]>) {
    let pos: Vec<[f64; 2]> = (0..n)
        .map(|i| {
            let t = i as f64 / n as f64 * std::f64::consts::TAU;
            [1000.0 * t.cos(), 1000.0 * t.sin()]
        })
        .collect();
    // Zero-length lines first so that node i gets id i.
    let mut lines: Vec<GraphLine<usize>> = (0..n)
        .map(|i| line(vec![pos[i], pos[i]], [i, i], false))
        .collect();
    for &(a, b, private) in edges {
        lines.push(line(vec![pos[a], pos[b]], [a, b], private));
    }
    (WalkGraph::from_lines(lines), pos)
}

/// Plain O(V²) Dijkstra over (node, leg) states built from the rule's table.
fn reference(graph: &WalkGraph, seeds: &[Seed]) -> Vec<[u64; 3]> {
    const TABLE: [[Option<u8>; 2]; 3] = [
        // (public, private) from FIRST, PUBLIC, LAST
        [Some(1), Some(0)],
        [Some(1), Some(2)],
        [None, Some(2)],
    ];
    let n = graph.node_count();
    let mut dist = vec![[u64::MAX; 3]; n];
    let mut done = vec![[false; 3]; n];
    for s in seeds {
        let d = &mut dist[s.node.index()][s.leg as usize];
        *d = (*d).min(u64::from(s.dist_dm));
    }
    loop {
        let mut best: Option<(u64, usize, usize)> = None;
        for (i, row) in dist.iter().enumerate() {
            for l in 0..3 {
                if !done[i][l] && row[l] < u64::MAX && best.is_none_or(|b| row[l] < b.0) {
                    best = Some((row[l], i, l));
                }
            }
        }
        let Some((d, i, l)) = best else { break };
        done[i][l] = true;
        for arc in graph.arcs(crate::network::NodeId::from_index(i)) {
            let private = graph.edge(arc.edge).private;
            if let Some(next) = TABLE[l][usize::from(private)] {
                let nd = d + u64::from(arc.length_dm);
                let h = arc.head.index();
                if nd < dist[h][next as usize] {
                    dist[h][next as usize] = nd;
                }
            }
        }
    }
    dist
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_search_matches_a_plain_dijkstra_over_legs(
        n in 2usize..12,
        raw_edges in proptest::collection::vec((0usize..12, 0usize..12, any::<bool>()), 1..30),
        origin in 0usize..12,
    ) {
        let edges: Vec<(usize, usize, bool)> = raw_edges
            .into_iter()
            .map(|(a, b, p)| (a % n, b % n, p))
            .filter(|(a, b, _)| a != b)
            .collect();
        let (graph, _) = circle_graph(n, &edges);
        let origin = origin % n;
        let seeds = [Seed { node: crate::network::NodeId::from_index(origin), dist_dm: 0, leg: FIRST, source: 0 }];
        let mut state = SearchState::new(graph.node_count());
        state.run(&graph, &seeds, UNREACHED - 1, |_, _, _, _| true);
        let expected = reference(&graph, &seeds);
        for i in 0..n {
            for l in 0..3u8 {
                let got = state.dist(crate::network::NodeId::from_index(i), l);
                let want = expected[i][l as usize];
                prop_assert_eq!(u64::from(got), if want == u64::MAX { u64::from(UNREACHED) } else { want });
            }
        }
        // A second search on the same state forgets the first (generation stamps).
        state.run(&graph, &seeds, 0, |_, _, _, _| true);
        for i in (0..n).filter(|&i| i != origin) {
            prop_assert_eq!(state.dist_before(crate::network::NodeId::from_index(i), false).0, UNREACHED);
        }
    }

    #[test]
    fn with_public_edges_only_the_search_matches_floyd_warshall(
        n in 2usize..10,
        raw_edges in proptest::collection::vec((0usize..10, 0usize..10), 1..25),
    ) {
        let edges: Vec<(usize, usize, bool)> = raw_edges
            .into_iter()
            .map(|(a, b)| (a % n, b % n, false))
            .filter(|(a, b, _)| a != b)
            .collect();
        let (graph, _) = circle_graph(n, &edges);
        let mut fw = vec![vec![u64::MAX / 4; n]; n];
        for (i, row) in fw.iter_mut().enumerate() {
            row[i] = 0;
        }
        for (_, e) in graph.edges() {
            let (a, b) = (e.a.index(), e.b.index());
            let w = u64::from(e.length_dm);
            fw[a][b] = fw[a][b].min(w);
            fw[b][a] = fw[b][a].min(w);
        }
        for k in 0..n { for i in 0..n { for j in 0..n {
            fw[i][j] = fw[i][j].min(fw[i][k] + fw[k][j]);
        }}}
        let mut state = SearchState::new(n);
        for origin in 0..n {
            let seeds = [Seed { node: crate::network::NodeId::from_index(origin), dist_dm: 0, leg: PUBLIC, source: 0 }];
            state.run(&graph, &seeds, UNREACHED - 1, |_, _, _, _| true);
            for j in 0..n {
                let got = state.dist_before(crate::network::NodeId::from_index(j), false).0;
                let want = if fw[origin][j] >= u64::MAX / 4 { u64::from(UNREACHED) } else { fw[origin][j] };
                prop_assert_eq!(u64::from(got), want);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The kept lattice access points are each point's own, as one search of the tree
    /// finds it, whatever the spacing and wherever the point lies near the edges (ties
    /// included: the chords of a circle meet at many equal distances).
    #[test]
    fn lattice_access_points_are_each_points_own(
        n in 3usize..10,
        raw_edges in proptest::collection::vec((0usize..10, 0usize..10, any::<bool>()), 1..20),
        cell in 0usize..4,
        near in proptest::collection::vec((0usize..20, 0.0f64..1.0, -130.0f64..130.0, -130.0f64..130.0), 40),
    ) {
        let edges: Vec<(usize, usize, bool)> = raw_edges
            .into_iter()
            .map(|(a, b, p)| (a % n, b % n, p))
            .filter(|(a, b, _)| a != b)
            .collect();
        let (graph, pos) = circle_graph(n, &edges);
        let reach = Reach::new(&graph, SNAP_RADIUS_M);
        let cell = CellSize::ALL[cell];
        let c = cell.metres();
        for (e, t, dx, dy) in near {
            let Some(&(a, b, _)) = edges.get(e % edges.len().max(1)) else { continue };
            let p = [
                pos[a][0] + t * (pos[b][0] - pos[a][0]) + dx,
                pos[a][1] + t * (pos[b][1] - pos[a][1]) + dy,
            ];
            let g = [(p[0] / c).round() as i64, (p[1] / c).round() as i64];
            let want = reach.access(&graph, [g[0] as f64 * c, g[1] as f64 * c]).map(|s| s.at());
            prop_assert_eq!(reach.lattice_snap(&graph, cell, g), want);
        }
    }
}

/// A square lattice of `n` × `n` nodes `step` metres apart.
fn lattice(n: usize, step: f64) -> WalkGraph {
    let mut lines = Vec::new();
    for j in 0..n {
        for i in 0..n {
            let p = [i as f64 * step, j as f64 * step];
            if i + 1 < n {
                lines.push(line(
                    vec![p, [p[0] + step, p[1]]],
                    [j * n + i, j * n + i + 1],
                    false,
                ));
            }
            if j + 1 < n {
                lines.push(line(
                    vec![p, [p[0], p[1] + step]],
                    [j * n + i, (j + 1) * n + i],
                    false,
                ));
            }
        }
    }
    WalkGraph::from_lines(lines)
}

fn isochrone(graph: &WalkGraph, at: [f64; 2], budgets: &[f64], bands: Bands) -> Vec<Contour> {
    let reach = Reach::new(graph, SNAP_RADIUS_M);
    let origin = reach.place(graph, at).unwrap();
    let mut state = SearchState::new(graph.node_count());
    let max = budgets.iter().copied().fold(0.0, f64::max);
    search(graph, &mut state, &origin, (max * 10.0) as u32);
    contours(
        graph,
        &reach,
        &state,
        &origin,
        budgets,
        CellSize::M10,
        bands,
    )
}

#[test]
fn on_a_10_m_lattice_the_300_m_contour_is_the_l1_diamond() {
    let graph = lattice(101, 10.0);
    let c = isochrone(&graph, [500.0, 500.0], &[300.0], Bands::Nested);
    // The burnt-in network carries the contour at most a cell and a half out (a cell
    // of burn-in, half a cell of simplification): between the 300 m and 315 m diamonds.
    let area = c[0].area.unsigned_area();
    let diamond = |r: f64| 2.0 * r * r;
    assert!(
        (diamond(300.0)..=diamond(315.0)).contains(&area),
        "area {area:.0} m² against {:.0}–{:.0}",
        diamond(300.0),
        diamond(315.0)
    );
    assert!(c[0].area.contains(&geo::Point::new(790.0, 500.0)));
    assert!(
        !c[0].area.contains(&geo::Point::new(720.0, 720.0)),
        "a corner of the square is out"
    );
}

#[test]
fn along_one_400_m_edge_from_its_end_the_contour_stops_at_300_m() {
    let graph = WalkGraph::from_lines([line(vec![[0.0, 0.0], [400.0, 0.0]], [0, 1], false)]);
    let c = isochrone(&graph, [0.0, 0.0], &[300.0], Bands::Nested);
    use geo::BoundingRect;
    let rect = c[0].area.bounding_rect().unwrap();
    // At least to 300 m, at most a cell and a half beyond (see the diamond).
    assert!(
        (300.0..=315.01).contains(&rect.max().x),
        "ends at {}",
        rect.max().x
    );
    assert!(rect.min().x >= -110.0);
}

#[test]
fn contours_nest_and_have_valid_counter_clockwise_exteriors() {
    let graph = lattice(61, 20.0);
    let budgets = [300.0, 500.0, 800.0];
    let c = isochrone(&graph, [600.0, 600.0], &budgets, Bands::Nested);
    for pair in c.windows(2) {
        let inner_outside =
            geo::BooleanOps::difference(&pair[0].area, &pair[1].area).unsigned_area();
        assert!(
            inner_outside < 1.0,
            "{} m² of the smaller contour outside the larger",
            inner_outside
        );
    }
    for contour in &c {
        use geo::Validation;
        assert!(contour.area.is_valid());
        for p in &contour.area {
            assert!(p.exterior().is_ccw());
            assert!(p.interiors().iter().all(|r| r.is_cw()));
        }
    }
    let disjoint = isochrone(&graph, [600.0, 600.0], &budgets, Bands::Disjoint);
    let ring = disjoint[1].area.unsigned_area();
    let expected = c[1].area.unsigned_area() - c[0].area.unsigned_area();
    assert!(
        (ring / expected - 1.0).abs() < 0.03,
        "ring {ring:.0} m², expected {expected:.0}"
    );
}

#[test]
fn an_origin_with_nothing_in_budget_gets_empty_polygons() {
    let graph = WalkGraph::from_lines([line(vec![[0.0, 0.0], [400.0, 0.0]], [0, 1], false)]);
    let c = isochrone(&graph, [200.0, 90.0], &[50.0], Bands::Nested);
    assert!(c[0].area.0.is_empty());
}

#[test]
fn origin_and_target_on_one_edge_walk_directly_along_it() {
    let graph = WalkGraph::from_lines([line(vec![[0.0, 0.0], [1000.0, 0.0]], [0, 1], false)]);
    let reach = Reach::new(&graph, SNAP_RADIUS_M);
    let origin = reach.place(&graph, [300.0, 10.0]).unwrap();
    let target = reach.place(&graph, [420.0, -20.0]).unwrap();
    let mut state = SearchState::new(graph.node_count());
    search(&graph, &mut state, &origin, 100_000);
    let r = reach_target(&graph, &state, &origin, &target.snap).unwrap();
    assert_eq!(r.dist_dm, 100 + 1200 + 200);
    let path = route(&graph, &state, &origin, &target.snap, target.point, &r);
    assert_eq!(
        path,
        vec![[300.0, 10.0], [300.0, 0.0], [420.0, 0.0], [420.0, -20.0]]
    );
}

#[test]
fn a_compound_road_is_no_short_cut_but_leads_to_homes_inside() {
    // Public street 0-1-2-3 around a square, 100 m sides; a private road 0-4-2
    // through the compound (141 m); a home on the private road at node 4.
    let pos = [
        [0.0, 0.0],
        [100.0, 0.0],
        [100.0, 100.0],
        [0.0, 100.0],
        [50.0, 50.0],
    ];
    let mut lines = vec![];
    for (a, b) in [(0, 1), (1, 2), (2, 3), (3, 0)] {
        lines.push(line(vec![pos[a], pos[b]], [a, b], false));
    }
    lines.push(line(vec![pos[0], pos[4]], [0, 4], true));
    lines.push(line(vec![pos[4], pos[2]], [4, 2], true));
    let graph = WalkGraph::from_lines(lines);
    let reach = Reach::new(&graph, SNAP_RADIUS_M);
    let origin = reach.place(&graph, [-5.0, -5.0]).unwrap();
    let mut state = SearchState::new(graph.node_count());
    search(&graph, &mut state, &origin, 100_000);
    // To the far corner: around the square (200 m), not through the compound (141 m).
    let corner = reach.place(&graph, [105.0, 105.0]).unwrap();
    let r = reach_target(&graph, &state, &origin, &corner.snap).unwrap();
    assert!(
        r.dist_dm >= 2000,
        "walked through the compound: {} dm",
        r.dist_dm
    );
    // Home inside, 1.4 m off the road's second half, by the compound road from the
    // gate at node 0: 7.1 m to the gate, 70.7 + 1.4 m along, 1.4 m off.
    let home = reach.place(&graph, [50.0, 52.0]).unwrap();
    let r = reach_target(&graph, &state, &origin, &home.snap).unwrap();
    assert!((805..=807).contains(&r.dist_dm), "{} dm", r.dist_dm);
}

#[test]
fn nearest_sites_stop_early_yet_match_a_full_search() {
    let graph = lattice(30, 25.0);
    let reach = Reach::new(&graph, SNAP_RADIUS_M);
    // Sites on a pseudo-random scatter, some off the streets.
    let mut seed = 7u64;
    let mut next = || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as f64 / f64::from(1u32 << 31)
    };
    let sites: Vec<[f64; 2]> = (0..60).map(|_| [next() * 725.0, next() * 725.0]).collect();
    let targets = Targets::new(&graph, &reach, sites.iter().copied(), std::iter::empty());
    let mut state = SearchState::new(graph.node_count());
    for origin_xy in [[10.0, 10.0], [362.0, 371.0], [700.0, 20.0]] {
        let origin = reach.place(&graph, origin_xy).unwrap();
        for k in [1, 3, 10] {
            let wanted = |i: usize| i % 3 != 0;
            let fast = nearest_sites(&graph, &targets, &mut state, &origin, k, 50_000, wanted);
            // Brute force: a full search, every wanted site's distance, sorted.
            search(&graph, &mut state, &origin, 50_000);
            let mut all: Vec<(u32, usize)> = (0..sites.len())
                .filter(|&i| wanted(i))
                .filter_map(|i| {
                    let placed = targets.sites[i].as_ref()?;
                    reach_target(&graph, &state, &origin, &placed.snap).map(|r| (r.dist_dm, i))
                })
                .collect();
            all.sort_unstable();
            let fast_d: Vec<u32> = fast.iter().map(|(_, r)| r.dist_dm).collect();
            let slow_d: Vec<u32> = all.iter().take(k).map(|&(d, _)| d).collect();
            assert_eq!(fast_d, slow_d, "origin {origin_xy:?}, k {k}");
        }
    }
}

#[test]
fn the_service_field_gives_every_building_its_nearest_site() {
    let graph = lattice(25, 30.0);
    let reach = Reach::new(&graph, SNAP_RADIUS_M);
    let mut seed = 11u64;
    let mut next = || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as f64 / f64::from(1u32 << 31)
    };
    let sites: Vec<[f64; 2]> = (0..12).map(|_| [next() * 720.0, next() * 720.0]).collect();
    let buildings: Vec<[f64; 2]> = (0..80).map(|_| [next() * 720.0, next() * 720.0]).collect();
    let targets = Targets::new(
        &graph,
        &reach,
        sites.iter().copied(),
        buildings.iter().map(|&b| Some(b)),
    );
    let chosen = |i: usize| i % 4 != 1;
    let mut state = SearchState::new(graph.node_count());
    let field = service_field(&graph, &targets, &mut state, chosen, 4_000);
    for (b, nearest) in field.iter().enumerate() {
        // Brute force: from the building, every chosen site's walking distance.
        let origin = targets.buildings[b].clone().unwrap();
        search(&graph, &mut state, &origin, 4_000);
        let best = (0..sites.len())
            .filter(|&i| chosen(i))
            .filter_map(|i| {
                let placed = targets.sites[i].as_ref()?;
                reach_target(&graph, &state, &origin, &placed.snap).map(|r| r.dist_dm)
            })
            .filter(|&d| d <= 4_000)
            .min();
        assert_eq!(nearest.map(|n| n.dist_dm), best, "building {b}");
    }
    assert!(field.iter().filter(|n| n.is_some()).count() > 40);
}

/// The walking distance between two points, from a full search.
fn walk_dm(graph: &WalkGraph, reach: &Reach, from: [f64; 2], to: [f64; 2]) -> Option<u32> {
    let origin = reach.place(graph, from).unwrap();
    let target = reach.place(graph, to).unwrap();
    let mut state = SearchState::new(graph.node_count());
    search(graph, &mut state, &origin, 1_000_000);
    reach_target(graph, &state, &origin, &target.snap).map(|r| r.dist_dm)
}

#[test]
fn a_walled_block_with_no_entrance_is_a_hole() {
    // A 400 m square of streets; inside it, 100 m in from each side, a walled compound
    // whose 200 m ring of paths meets no street.
    let ring = |lo: f64, hi: f64, first: usize| {
        let corners = [[lo, lo], [hi, lo], [hi, hi], [lo, hi]];
        (0..4)
            .map(move |i| {
                let j = (i + 1) % 4;
                line(vec![corners[i], corners[j]], [first + i, first + j], false)
            })
            .collect::<Vec<_>>()
    };
    let mut lines = ring(0.0, 400.0, 0);
    lines.extend(ring(100.0, 300.0, 4));
    let graph = WalkGraph::from_lines(lines);
    let c = isochrone(&graph, [200.0, 0.0], &[1000.0], Bands::Nested);
    let area = &c[0].area;
    assert_eq!(area.0.len(), 1);
    assert!(!area.0[0].interiors().is_empty(), "the compound is a hole");
    assert!(!area.contains(&geo::Point::new(200.0, 200.0)));
    assert!(!area.contains(&geo::Point::new(105.0, 200.0)));
    assert!(area.contains(&geo::Point::new(40.0, 200.0)));
}

#[test]
fn beside_a_bridge_a_point_snaps_to_the_bank_and_the_river_stays_a_river() {
    // Banks along y = 0 and y = 100, 1 km long; one bridge at x = 0.
    let mut lines = vec![
        line(vec![[-500.0, 0.0], [0.0, 0.0]], [0, 1], false),
        line(vec![[0.0, 0.0], [500.0, 0.0]], [1, 2], false),
        line(vec![[-500.0, 100.0], [0.0, 100.0]], [3, 4], false),
        line(vec![[0.0, 100.0], [500.0, 100.0]], [4, 5], false),
    ];
    let mut bridge = line(vec![[0.0, 0.0], [0.0, 100.0]], [1, 4], false);
    bridge.bridge = true;
    lines.push(bridge);
    let graph = WalkGraph::from_lines(lines);
    let reach = Reach::new(&graph, SNAP_RADIUS_M);
    // 4 m from the bridge, 8 m from the bank street: it snaps to the street.
    let beside = reach.place(&graph, [4.0, 8.0]).unwrap();
    assert!(!graph.edge(beside.snap.edge).bridge);
    assert_eq!(beside.snap.point, [4.0, 0.0]);
    // 2 m from the bridge and 15 m from the street, more than 10 m farther: the bridge.
    let on_the_bridge = reach.place(&graph, [2.0, 15.0]).unwrap();
    assert!(graph.edge(on_the_bridge.snap.edge).bridge);
    assert_eq!(on_the_bridge.snap.point, [0.0, 15.0]);
    // A building 100 m straight across the river, 250 m from the bridge, is 600 m away.
    let d = walk_dm(&graph, &reach, [250.0, 5.0], [250.0, 105.0]).unwrap();
    assert_eq!(d, 50 + 2500 + 1000 + 2500 + 50);
    assert!(d > 3000, "within 300 m across the river");
}

#[test]
fn the_nearest_edge_is_the_nearest_in_metres_not_in_degrees() {
    use crate::geo::{BBox, LocalProjection};
    use crate::model::{NetworkEdge, NetworkProps};
    // At 37.5° N a degree of longitude is 0.79 of a degree of latitude. Edge A runs
    // north 0.0001° east of the point (8.8 m), edge B east 0.00009° north (10.0 m):
    // B is nearer in degrees, A in metres.
    let (lon, lat) = (121.40, 37.50);
    let edge = |coords: [[f64; 2]; 2]| NetworkEdge {
        props: NetworkProps {
            synthetic: true,
            ..NetworkProps::default()
        },
        geometry: geo::LineString::from(coords.to_vec()),
        bbox: BBox::new(lon - 0.01, lat - 0.01, lon + 0.01, lat + 0.01).unwrap(),
    };
    let network = [
        edge([[lon + 0.0001, lat - 0.001], [lon + 0.0001, lat + 0.001]]),
        edge([[lon - 0.001, lat + 0.00009], [lon + 0.001, lat + 0.00009]]),
    ];
    let projection = LocalProjection::for_extent(network[0].bbox);
    let graph = WalkGraph::from_network(&network, &projection);
    let reach = Reach::new(&graph, SNAP_RADIUS_M);
    let (x, y) = projection.project_xy(lon, lat);
    let placed = reach.place(&graph, [x, y]).unwrap();
    assert_eq!(placed.snap.edge.index(), 0, "edge A, 8.8 m east");
    assert!((f64::from(placed.snap.offset_dm) - 88.0).abs() <= 1.0);
}

#[test]
fn an_island_walks_on_its_own_and_lone_fragments_are_dropped() {
    // The mainland: a 20 × 20 lattice (400 nodes). An island of one 300 m street 150 m
    // off its east shore, with a building on it; a lone 50 m footway with nothing on it.
    let mut lines = Vec::new();
    for j in 0..20usize {
        for i in 0..20usize {
            let p = [i as f64 * 50.0, j as f64 * 50.0];
            if i + 1 < 20 {
                lines.push(line(
                    vec![p, [p[0] + 50.0, p[1]]],
                    [j * 20 + i, j * 20 + i + 1],
                    false,
                ));
            }
            if j + 1 < 20 {
                lines.push(line(
                    vec![p, [p[0], p[1] + 50.0]],
                    [j * 20 + i, j * 20 + i + 20],
                    false,
                ));
            }
        }
    }
    lines.push(line(
        vec![[1100.0, 300.0], [1100.0, 600.0]],
        [1000, 1001],
        false,
    ));
    lines.push(line(
        vec![[400.0, -100.0], [450.0, -100.0]],
        [1002, 1003],
        false,
    ));
    let graph = WalkGraph::from_lines(lines);
    let home = [1110.0, 450.0];
    let reach = Reach::for_places(&graph, SNAP_RADIUS_M, &[home]);
    assert_eq!(reach.components.count(), 3);
    assert_eq!(
        reach.kept.iter().filter(|&&k| k).count(),
        2,
        "mainland and island"
    );
    // By the lone footway, a point snaps to the mainland instead (it is within 100 m).
    let by_footway = reach.place(&graph, [425.0, -70.0]).unwrap();
    assert_eq!(reach.component_of(&graph, &by_footway), 0);
    // Halfway to the island but nearer it: it reaches the network on the island.
    let islander = reach.place(&graph, [1040.0, 450.0]).unwrap();
    let island = reach.component_of(&graph, &islander);
    assert_ne!(island, 0);
    assert_eq!(
        walk_dm(&graph, &reach, [1040.0, 450.0], [900.0, 450.0]),
        None
    );
    assert!(walk_dm(&graph, &reach, [1040.0, 450.0], home).is_some());
}
