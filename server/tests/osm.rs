//! The OpenStreetMap import and the walking search on a real extract, central São
//! Paulo (`fixtures/sao_paulo/`), against an independent reference written by
//! `scripts/walk_reference.py`: pyosmium reads the file, the pedestrian filter is
//! written again from the README, every OSM segment is its own edge with a WGS-84
//! geodesic length, and networkx searches an explicit (node, leg) graph.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::LazyLock;

use redgrid::geo::LocalProjection;
use redgrid::network::{NodeId, UNREACHED, WalkGraph};
use redgrid::reach::{FIRST, SearchState, Seed};
use redgrid::store::{Dataset, LayerId};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sao_paulo")
        .join(name)
}

struct Imported {
    ds: Dataset,
    graph: WalkGraph,
    projection: LocalProjection,
    /// Graph nodes by their key: lon, lat in 1e-7 degrees.
    nodes: HashMap<(i64, i64), NodeId>,
}

static IMPORTED: LazyLock<Imported> = LazyLock::new(|| {
    let mut ds = Dataset::default();
    ds.replace_network(&fixture("sao_paulo_r5py.osm.pbf"))
        .unwrap();
    let extent = ds.layer(LayerId::WalkNetwork).bbox.unwrap();
    let projection = LocalProjection::for_extent(extent);
    let graph = WalkGraph::from_network(&ds.network, &projection);
    let by_position: HashMap<[u64; 2], NodeId> = graph
        .nodes()
        .map(|n| (graph.position(n).map(f64::to_bits), n))
        .collect();
    let mut nodes = HashMap::new();
    for edge in &ds.network {
        for c in [
            edge.geometry.0.first().unwrap(),
            edge.geometry.0.last().unwrap(),
        ] {
            let key = ((c.x * 1e7).round() as i64, (c.y * 1e7).round() as i64);
            let (x, y) = projection.project_xy(c.x, c.y);
            let node = by_position[&[x.to_bits(), y.to_bits()]];
            nodes.insert(key, node);
        }
    }
    Imported {
        ds,
        graph,
        projection,
        nodes,
    }
});

#[derive(serde::Deserialize)]
struct Reference {
    budget_m: f64,
    origins: Vec<OriginReference>,
}

#[derive(serde::Deserialize)]
struct OriginReference {
    origin: (i64, i64),
    /// lon, lat (1e-7 degrees), metres, segments on the path.
    reached: Vec<(i64, i64, f64, u32)>,
}

#[test]
fn the_import_keeps_walkable_ways_and_cuts_them_at_junctions() {
    let im = &*IMPORTED;
    assert_eq!(im.ds.network_file, "sao_paulo_r5py.osm.pbf");
    let highways: std::collections::BTreeSet<&str> = im
        .ds
        .network
        .iter()
        .filter_map(|e| e.props.highway.as_deref())
        .collect();
    assert!(highways.contains("footway") && highways.contains("steps"));
    assert!(!highways.contains("motorway"), "{highways:?}");
    assert!(im.ds.network.iter().all(|e| e.props.osm_way.is_some()));
    let private = im
        .ds
        .network
        .iter()
        .filter(|e| e.props.access.is_some())
        .count();
    assert!(private > 0, "private ways are kept, marked");
    // Lines run junction to junction: an inner vertex is never another line's end.
    let ends: std::collections::HashSet<(i64, i64)> = im.nodes.keys().copied().collect();
    let inner_ends = im
        .ds
        .network
        .iter()
        .flat_map(|e| &e.geometry.0[1..e.geometry.0.len() - 1])
        .filter(|c| ends.contains(&((c.x * 1e7).round() as i64, (c.y * 1e7).round() as i64)))
        .count();
    assert!(inner_ends < 20, "{inner_ends} inner vertices are line ends");
    println!(
        "{} lines, {} nodes, projection {:?}",
        im.ds.network.len(),
        im.graph.node_count(),
        im.projection
    );
}

#[test]
fn distances_match_the_independent_reference() {
    let im = &*IMPORTED;
    let text = std::fs::read_to_string(fixture("reference.json")).unwrap();
    let reference: Reference = serde_json::from_str(&text).unwrap();
    let budget_dm = (reference.budget_m * 10.0) as u32;
    let mut state = SearchState::new(im.graph.node_count());
    let mut compared = 0;
    let mut worst_m: f64 = 0.0;
    let mut signed_sum_m = 0.0;
    for origin in &reference.origins {
        let start = im.nodes[&origin.origin];
        let seed = Seed {
            node: start,
            dist_dm: 0,
            leg: FIRST,
            source: 0,
        };
        state.run(&im.graph, &[seed], budget_dm + 100, |_, _, _, _| true);
        let ours = |n: NodeId| (0..3).map(|leg| state.dist(n, leg)).min().unwrap();
        let mut in_reference = std::collections::HashSet::new();
        for &(lon, lat, metres, hops) in &origin.reached {
            let node = *im
                .nodes
                .get(&(lon, lat))
                .unwrap_or_else(|| panic!("reference junction {lon},{lat} is no node"));
            in_reference.insert(node);
            // Each of our edges rounds its length to 1 dm: 0.05 m per edge at most.
            let tolerance_m = 0.1 + 0.05 * f64::from(hops);
            let d = ours(node);
            assert!(d < UNREACHED, "{lon},{lat} at {metres} m unreached");
            let gap = (f64::from(d) / 10.0 - metres).abs();
            assert!(
                gap <= tolerance_m,
                "{lon},{lat}: {} m against {metres} m ({hops} segments)",
                f64::from(d) / 10.0
            );
            worst_m = worst_m.max(gap);
            signed_sum_m += f64::from(d) / 10.0 - metres;
            compared += 1;
        }
        // And no junction of ours within the budget is missing from the reference.
        for n in im.graph.nodes() {
            let degree = im.graph.arcs(n).len();
            if degree != 2 && ours(n).saturating_add(20) <= budget_dm {
                assert!(
                    in_reference.contains(&n),
                    "{:?} at {} dm not in the reference",
                    im.graph.position(n),
                    ours(n)
                );
            }
        }
    }
    println!(
        "{compared} distances compared; worst gap {worst_m:.3} m, mean signed gap {:.4} m",
        signed_sum_m / f64::from(compared)
    );
    assert!(compared > 1000);
}

#[test]
fn projected_lengths_are_geodesic_lengths() {
    // WGS-84 geodesics by geographiclib (Karney): 0.01° of latitude and of longitude
    // at 23.53° S, on and 0.06° off the projection's central meridian.
    let p = LocalProjection::centred_on(redgrid::geo::LonLat::new(-46.64, -23.53).unwrap());
    let length = |a: (f64, f64), b: (f64, f64)| {
        let (pa, pb) = (p.project_xy(a.0, a.1), p.project_xy(b.0, b.1));
        ((pb.0 - pa.0).powi(2) + (pb.1 - pa.1).powi(2)).sqrt()
    };
    for (a, b, geodesic) in [
        ((-46.64, -23.53), (-46.64, -23.52), 1_107.514_112_889_807_6),
        ((-46.64, -23.53), (-46.63, -23.53), 1_021.178_979_544_032_5),
        ((-46.70, -23.53), (-46.69, -23.53), 1_021.178_979_544_758),
    ] {
        let ours = length(a, b);
        assert!(
            (ours - geodesic).abs() < 0.005,
            "{ours} m against {geodesic} m"
        );
    }
}
