//! Walking distances on real OpenStreetMap extracts — central São Paulo and central
//! Helsinki (separate sidewalks, crossings, footbridges, metro passages) — against
//! `scripts/walk_reference.py`, which shares no code with RedGrid: pyosmium reads the
//! file, every OSM segment is its own edge with its geodesic length, points reach the
//! network by the definition written again (shapely in a PROJ transverse Mercator),
//! and scipy searches an explicit (node, leg) graph.
//!
//! Each origin's distance to its nearest of 300 facilities must equal the reference
//! within 0.1 m + 0.05 m per segment (origins at every junction, along segments and
//! up to 80 m off the network). For 500 origins, at 300, 500 and 1,000 m, at least
//! 99 % of the sampled ground-level junctions the reference reaches must lie inside
//! the isochrone, and at most 0.5 % of those inside may lie farther than B + 2 cells.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;
use std::path::PathBuf;

use geo::Contains;
use redgrid::geo::LocalProjection;
use redgrid::network::WalkGraph;
use redgrid::reach::{
    Bands, CellSize, Reach, SNAP_RADIUS_M, SearchState, Targets, contours, nearest_sites, search,
};
use redgrid::store::{Dataset, LayerId};

/// An origin's kind (n: a junction, a: along a segment, o: off the network), lon, lat,
/// lowest and highest answer (metres; none beyond the snap radius, −1 cut off) and the
/// segments on the path.
type OriginAnswer = (String, f64, f64, Option<f64>, Option<f64>, u32);

#[derive(serde::Deserialize)]
struct Reference {
    facilities: Vec<(f64, f64)>,
    origins: Vec<OriginAnswer>,
    /// Ground-level junctions, lon, lat in 1e-7 degrees.
    junctions: Vec<(i64, i64)>,
    isochrones: Vec<IsochroneReference>,
}

#[derive(serde::Deserialize)]
struct IsochroneReference {
    origin: usize,
    /// Junctions within 1,100 m in a straight line, each with its distance in
    /// decimetres (−1 beyond 1,100 m).
    junctions: Vec<(usize, i64)>,
}

struct Extract {
    name: &'static str,
    graph: WalkGraph,
    projection: LocalProjection,
    reach: Reach,
    targets: Targets,
    reference: Reference,
}

fn load(name: &'static str, pbf: &str) -> Extract {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let mut ds = Dataset::default();
    ds.replace_network(&dir.join(pbf)).unwrap();
    let projection = LocalProjection::for_extent(ds.layer(LayerId::WalkNetwork).bbox.unwrap());
    let graph = WalkGraph::from_network(&ds.network, &projection);
    let reach = Reach::new(&graph, SNAP_RADIUS_M);
    let mut text = String::new();
    flate2::read::GzDecoder::new(
        std::fs::File::open(dir.join("access_reference.json.gz")).unwrap(),
    )
    .read_to_string(&mut text)
    .unwrap();
    let reference: Reference = serde_json::from_str(&text).unwrap();
    let local = |(lon, lat): (f64, f64)| {
        let (x, y) = projection.project_xy(lon, lat);
        [x, y]
    };
    let targets = Targets::new(
        &graph,
        &reach,
        reference.facilities.iter().map(|&f| local(f)),
        std::iter::empty(),
    );
    Extract {
        name,
        graph,
        projection,
        reach,
        targets,
        reference,
    }
}

impl Extract {
    fn local(&self, lon: f64, lat: f64) -> [f64; 2] {
        let (x, y) = self.projection.project_xy(lon, lat);
        [x, y]
    }

    /// Every origin's walk to its nearest facility against the reference.
    fn check_nearest(&self) {
        let mut state = SearchState::new(self.graph.node_count());
        let (mut compared, mut worst_m, mut wrong) = (0, 0.0f64, Vec::new());
        let mut by_kind = std::collections::BTreeMap::<&str, usize>::new();
        for (kind, lon, lat, lo, hi, segments) in &self.reference.origins {
            let placed = self.reach.place(&self.graph, self.local(*lon, *lat));
            let (Some(lo), Some(hi)) = (lo, hi) else {
                assert!(placed.is_err(), "{lon},{lat} is beyond the snap radius");
                continue;
            };
            let origin = placed.unwrap_or_else(|e| panic!("{lon},{lat}: {e}"));
            let found = nearest_sites(
                &self.graph,
                &self.targets,
                &mut state,
                &origin,
                1,
                500_000,
                |_| true,
            );
            let ours = found.first().map(|(_, r)| f64::from(r.dist_dm) / 10.0);
            let Some(ours) = ours else {
                if *lo >= 0.0 {
                    wrong.push(format!("{kind} {lon},{lat}: none against {lo} m"));
                }
                continue;
            };
            if *lo < 0.0 {
                wrong.push(format!(
                    "{kind} {lon},{lat}: {ours} m, the reference is cut off"
                ));
                continue;
            }
            let tolerance = 0.1 + 0.05 * f64::from(*segments);
            let off = if ours < *lo {
                lo - ours
            } else if ours > *hi {
                ours - hi
            } else {
                0.0
            };
            worst_m = worst_m.max(off);
            if off > tolerance {
                wrong.push(format!(
                    "{kind} {lon},{lat}: {ours} m against {lo}–{hi} m ({segments} segments)"
                ));
            }
            compared += 1;
            *by_kind.entry(kind).or_default() += 1;
        }
        println!(
            "{}: {compared} nearest walks compared ({by_kind:?}), largest difference {worst_m:.3} m, {} wrong",
            self.name,
            wrong.len()
        );
        assert!(compared > 3000, "{compared}");
        assert!(
            wrong.is_empty(),
            "{} wrong:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }

    /// The isochrones of the reference's origins hold the junctions it reaches.
    /// Each budget at the server's default spacing for it (5, 5 and 10 m).
    fn check_isochrones(&self) {
        let budgets = [300.0, 500.0, 1000.0];
        let cells = budgets.map(CellSize::for_budget);
        let junctions: Vec<geo::Point> = self
            .reference
            .junctions
            .iter()
            .map(|&(lon, lat)| {
                let [x, y] = self.local(lon as f64 / 1e7, lat as f64 / 1e7);
                geo::Point::new(x, y)
            })
            .collect();
        let mut state = SearchState::new(self.graph.node_count());
        // Per budget: reached, reached and inside, inside, inside and farther than B + 2 cells.
        let mut counts = [[0usize; 4]; 3];
        for iso in &self.reference.isochrones {
            let (_, lon, lat, ..) = &self.reference.origins[iso.origin];
            let origin = self
                .reach
                .place(&self.graph, self.local(*lon, *lat))
                .unwrap();
            search(&self.graph, &mut state, &origin, 10_000);
            for (b, &cell) in cells.iter().enumerate() {
                let areas = contours(
                    &self.graph,
                    &self.reach,
                    &state,
                    &origin,
                    &budgets[b..=b],
                    cell,
                    Bands::Nested,
                );
                let contour = &areas[0];
                let budget_dm = (budgets[b] * 10.0) as i64;
                let far_dm = ((budgets[b] + 2.0 * cell.metres()) * 10.0) as i64;
                for &(j, d) in &iso.junctions {
                    let inside = contour.area.contains(&junctions[j]);
                    let reached = (0..=budget_dm).contains(&d);
                    counts[b][0] += usize::from(reached);
                    counts[b][1] += usize::from(reached && inside);
                    counts[b][2] += usize::from(inside);
                    counts[b][3] += usize::from(inside && !(0..=far_dm).contains(&d));
                }
            }
        }
        for (b, [reached, held, inside, far]) in counts.into_iter().enumerate() {
            let held_share = held as f64 / reached.max(1) as f64;
            let far_share = far as f64 / inside.max(1) as f64;
            println!(
                "{}: {} m: {held} of {reached} reached junctions inside ({:.2} %); {far} of {inside} inside farther than B + 2 cells ({:.2} %)",
                self.name,
                budgets[b],
                100.0 * held_share,
                100.0 * far_share
            );
            assert!(reached > 1000, "{reached}");
        }
        for (b, [reached, held, inside, far]) in counts.into_iter().enumerate() {
            let held_share = held as f64 / reached.max(1) as f64;
            let far_share = far as f64 / inside.max(1) as f64;
            assert!(held_share >= 0.99, "{} m: {held_share}", budgets[b]);
            assert!(far_share <= 0.005, "{} m: {far_share}", budgets[b]);
        }
    }
}

/// Both checks on one extract.
fn check(name: &'static str, pbf: &str) {
    let extract = load(name, pbf);
    assert_eq!(extract.reference.isochrones.len(), 500);
    extract.check_nearest();
    extract.check_isochrones();
}

#[test]
fn sao_paulo_nearest_walks_and_isochrones_match_the_reference() {
    check("sao_paulo", "sao_paulo_r5py.osm.pbf");
}

#[test]
fn helsinki_nearest_walks_and_isochrones_match_the_reference() {
    check("helsinki", "Helsinki.osm.pbf");
}

#[test]
fn a_real_city_centre_has_few_near_misses_and_square_crossings_are_none() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/helsinki");
    let mut ds = Dataset::default();
    ds.replace_network(&dir.join("Helsinki.osm.pbf")).unwrap();
    let projection = LocalProjection::for_extent(ds.layer(LayerId::WalkNetwork).bbox.unwrap());
    let (graph, report) = WalkGraph::joining_gaps(&ds.network, &projection, 0.0);
    let count = |kind| report.gaps.iter().filter(|g| g.kind == kind).count();
    let (dead_ends, crossings) = (
        count(redgrid::network::GapKind::DeadEnd),
        count(redgrid::network::GapKind::Crossing),
    );
    println!("Helsinki: {dead_ends} dead-end gaps, {crossings} unnoded crossings");
    assert!((1..20).contains(&dead_ends) && crossings < 20);
    // The import's straight crossings of pedestrian squares cross the squares' other
    // lines by design: counted, they would be hundreds.
    let all = redgrid::network::near_misses(&graph, 2.0);
    let chords = all
        .iter()
        .filter(|g| {
            g.edges
                .iter()
                .any(|e| ds.network[e.index()].props.square_crossing)
        })
        .count();
    assert!(chords > 100, "{chords}");
    assert!(report.gaps.iter().all(|g| {
        g.edges
            .iter()
            .all(|e| !ds.network[e.index()].props.square_crossing)
    }));
    assert!(report.joined.iter().all(|j| !j));
}
