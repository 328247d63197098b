//! Coverage, gaps, catchments, what-if and suggestions on the demo district, each
//! checked against an independent recomputation: a search from every building, the
//! field recomputed without a point, a fresh engine with the changed sites.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::LazyLock;

use geo::Centroid;
use redgrid::AppState;
use redgrid::config::Profile;
use redgrid::coverage::{self, Change, Level};
use redgrid::model::{Entrance, SiteKind};
use redgrid::reach::{SearchState, Targets, reach_target, search, service_field};

static DEMO: LazyLock<AppState> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/geojson");
    redgrid::state_for_dir(&dir, Profile::Internal, Default::default()).expect("demo loads")
});

const BUDGET_DM: u32 = 3_000;

fn mask() -> Vec<bool> {
    coverage::service_point_mask(DEMO.store.dataset(), &SiteKind::SERVICE_POINTS)
}

/// Covered flags from the field (one multi-source search).
fn field_covered(mask: &[bool]) -> Vec<bool> {
    let mut state = SearchState::new(DEMO.graph.node_count());
    coverage::field(&DEMO.graph, &DEMO.targets, &mut state, mask, BUDGET_DM)
        .iter()
        .map(Option::is_some)
        .collect()
}

/// Covered flags by brute force: a search from each building, then the walking
/// distance to every service point within the budget in a straight line.
fn brute_force_covered(targets: &Targets, sites: &[bool]) -> Vec<bool> {
    let mut state = SearchState::new(DEMO.graph.node_count());
    targets
        .buildings
        .iter()
        .map(|placed| {
            let Some(origin) = placed else { return false };
            search(&DEMO.graph, &mut state, origin, BUDGET_DM);
            targets
                .sites_near(origin.point, f64::from(BUDGET_DM) / 10.0)
                .filter(|&s| sites[s])
                .filter_map(|s| {
                    let placed = targets.sites[s].as_ref()?;
                    reach_target(&DEMO.graph, &state, origin, &placed.snap)
                })
                .any(|r| r.dist_dm <= BUDGET_DM)
        })
        .collect()
}

fn people(covered: &[bool], want: bool) -> u64 {
    let population = coverage::populations(DEMO.store.dataset());
    covered
        .iter()
        .zip(&population)
        .filter(|(c, _)| **c == want)
        .map(|(_, &p)| u64::from(p))
        .sum()
}

#[test]
fn coverage_matches_a_search_from_every_building_and_rows_sum_to_the_total() {
    let mask = mask();
    let covered = field_covered(&mask);
    assert_eq!(covered, brute_force_covered(&DEMO.targets, &mask));
    let population = coverage::populations(DEMO.store.dataset());
    let district = coverage::tally(&DEMO.areas, Level::District, &population, &covered, &mask);
    assert_eq!(district.total.covered_population, people(&covered, true));
    for level in [Level::Street, Level::Community, Level::Grid] {
        let table = coverage::tally(&DEMO.areas, level, &population, &covered, &mask);
        assert_eq!(table.total, district.total, "{level:?}");
        let sum: u64 = table.rows.iter().map(|r| r.covered_population).sum();
        assert_eq!(sum, table.total.covered_population);
        let points: u32 = table.rows.iter().map(|r| r.service_points).sum();
        assert_eq!(points as usize, mask.iter().filter(|m| **m).count());
    }
    // The demo is neither all covered nor all uncovered at 300 m.
    let share = district.total.coverage_pct().unwrap();
    assert!(share > 10.0 && share < 90.0, "{share}");
}

#[test]
fn compound_buildings_with_an_entrance_walk_from_their_nearest_gate() {
    let ds = DEMO.store.dataset();
    let projection = &DEMO.indexes.projection;
    let mut from_gates = 0;
    for (i, b) in ds.buildings.iter().enumerate() {
        let Some(Entrance::Gate { gate, .. }) = &b.props.entrance else {
            continue;
        };
        let own = b.props.compound_id.as_ref().expect("a compound's building");
        let compound = ds.compounds.iter().find(|c| &c.props.id == own).unwrap();
        let gates: Vec<(f64, f64)> = compound
            .props
            .gates
            .iter()
            .map(|&[lon, lat]| projection.project_xy(lon, lat))
            .collect();
        let placed = DEMO.targets.buildings[i].as_ref().unwrap();
        let (x, y) = gates[*gate];
        assert!(
            (placed.point[0] - x).hypot(placed.point[1] - y) < 1e-6,
            "{} is walked from {:?}, not its gate {gate}",
            b.props.id,
            placed.point
        );
        let centre = b.geometry.centroid().unwrap();
        let (cx, cy) = projection.project_xy(centre.x(), centre.y());
        let to = |&(gx, gy): &(f64, f64)| (gx - cx).hypot(gy - cy);
        assert!(gates.iter().all(|g| to(g) >= to(&gates[*gate]) - 1e-9));
        from_gates += 1;
    }
    println!("{from_gates} buildings walk from a gate of their compound");
    assert!(from_gates > 1_000, "{from_gates}");
}

#[test]
fn gap_population_equals_the_uncovered_population_counted_building_by_building() {
    let ds = DEMO.store.dataset();
    let mask = mask();
    let brute = brute_force_covered(&DEMO.targets, &mask);
    let points: Vec<Option<[f64; 2]>> = ds
        .buildings
        .iter()
        .map(|b| b.geometry.centroid().map(|p| [p.x(), p.y()]))
        .collect();
    let population = coverage::populations(ds);
    let covered = field_covered(&mask);
    for resolution in [h3o::Resolution::Eleven, h3o::Resolution::Nine] {
        let near = vec![false; points.len()];
        let demand = coverage::Demand {
            points: &points,
            population: &population,
            covered: &covered,
            near_in_a_line: &near,
        };
        let gaps = coverage::gaps(&demand, resolution);
        let total: u64 = gaps.iter().map(|g| g.population).sum();
        assert_eq!(total, people(&brute, false), "{resolution:?}");
        assert!(gaps.windows(2).all(|w| w[0].population >= w[1].population));
        // Each gap cell holds an uncovered building; no cell is in two gaps.
        let mut cells: Vec<h3o::CellIndex> = gaps.iter().flat_map(|g| g.cells.clone()).collect();
        let n = cells.len();
        cells.sort_unstable();
        cells.dedup();
        assert_eq!(cells.len(), n);
    }
}

#[test]
fn gaps_count_the_people_a_path_rather_than_a_station_would_cover() {
    // Brute force: uncovered buildings with a service point within 300 m in a
    // straight line, from every building to every site.
    let ds = DEMO.store.dataset();
    let mask = mask();
    let covered = brute_force_covered(&DEMO.targets, &mask);
    let population = coverage::populations(ds);
    let project = |p: geo::Point<f64>| DEMO.indexes.projection.project_xy(p.x(), p.y());
    let sites: Vec<(f64, f64)> = ds
        .sites
        .iter()
        .zip(&mask)
        .filter(|(_, m)| **m)
        .map(|(s, _)| project(s.geometry))
        .collect();
    let mut want = 0u64;
    for (b, building) in ds.buildings.iter().enumerate() {
        let Some((x, y)) = building.geometry.centroid().map(project) else {
            continue;
        };
        let near = sites
            .iter()
            .any(|&(sx, sy)| (sx - x).powi(2) + (sy - y).powi(2) <= 300.0 * 300.0);
        if !covered[b] && near {
            want += u64::from(population[b]);
        }
    }
    let answer = request("GET", "/api/v1/coverage/gaps?preset=gb50180_5min", "");
    let got: u64 = answer["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f["properties"]["detour_excluded_population"]
                .as_u64()
                .unwrap()
        })
        .sum();
    println!(
        "detour-excluded: {got} of {} uncovered",
        people(&covered, false)
    );
    assert_eq!(got, want);
    assert!(got > 0 && got < people(&covered, false));
}

#[test]
fn the_people_a_point_alone_covers_are_those_lost_without_it() {
    let ds = DEMO.store.dataset();
    let mask = mask();
    let sites: Vec<usize> = (0..mask.len())
        .filter(|&i| mask[i] && DEMO.targets.sites[i].is_some())
        .collect();
    let mut state = SearchState::new(DEMO.graph.node_count());
    let field = coverage::field(&DEMO.graph, &DEMO.targets, &mut state, &mask, BUDGET_DM);
    let reached: Vec<_> = sites
        .iter()
        .map(|&s| {
            let placed = DEMO.targets.sites[s].as_ref().unwrap();
            coverage::reached_from(&DEMO.graph, &DEMO.targets, &mut state, placed, BUDGET_DM)
        })
        .collect();
    let population = coverage::populations(ds);
    let found = coverage::catchments(&field, &sites, &reached, &population, Default::default());
    let covered = people(&field_covered(&mask), true);
    let served: u64 = found.iter().map(|c| c.population_served).sum();
    assert_eq!(
        served, covered,
        "every covered building is served by exactly one point"
    );
    // Every 20th point: remove it and recompute the whole field.
    for c in found.iter().step_by(20) {
        let mut without = mask.clone();
        without[c.site] = false;
        let after = people(&field_covered(&without), true);
        assert_eq!(
            covered - after,
            c.population_lost_if_removed,
            "site {}",
            c.site
        );
        assert!(c.farthest_walk_dm.is_none_or(|d| d <= BUDGET_DM));
    }
    assert!(found.iter().any(|c| c.redundant) && found.iter().any(|c| !c.redundant));
}

#[test]
fn what_if_matches_a_full_recomputation_with_the_changed_sites() {
    let mask = mask();
    let points: Vec<usize> = (0..mask.len()).filter(|&i| mask[i]).collect();
    let remove: Vec<usize> = points.iter().copied().step_by(7).collect();
    // New points at every 97th uncovered building.
    let covered = field_covered(&mask);
    let uncovered: Vec<[f64; 2]> = (0..covered.len())
        .filter(|&b| !covered[b])
        .filter_map(|b| DEMO.targets.buildings[b].as_ref().map(|p| p.point))
        .step_by(97)
        .collect();
    let add: Vec<_> = uncovered
        .iter()
        .filter_map(|&p| DEMO.reach.place(&DEMO.graph, p).ok())
        .collect();
    assert!(add.len() > 10);
    let change = Change {
        remove: remove.clone(),
        add: add.clone(),
    };
    let mut state = SearchState::new(DEMO.graph.node_count());
    let scenario = coverage::what_if(
        &DEMO.graph,
        &DEMO.targets,
        &mut state,
        &points,
        &change,
        BUDGET_DM,
    );
    assert_eq!(scenario.before, covered);
    // Independently: a fresh engine whose sites are the points left and the new ones.
    let left: Vec<[f64; 2]> = points
        .iter()
        .filter(|s| !remove.contains(s))
        .filter_map(|&s| DEMO.targets.sites[s].as_ref().map(|p| p.point))
        .chain(add.iter().map(|p| p.point))
        .collect();
    let buildings = DEMO
        .targets
        .buildings
        .iter()
        .map(|b| b.as_ref().map(|p| p.point));
    let changed = Targets::new(&DEMO.graph, &DEMO.reach, left.iter().copied(), buildings);
    let all = vec![true; left.len()];
    let recomputed: Vec<bool> =
        service_field(&DEMO.graph, &changed, &mut state, |i| all[i], BUDGET_DM)
            .iter()
            .map(Option::is_some)
            .collect();
    assert_eq!(scenario.after, recomputed);
    assert_ne!(scenario.after, scenario.before);
}

/// POSTs `body` to `uri` on the demo and returns the JSON answer.
fn post(uri: &str, body: &str) -> serde_json::Value {
    request("POST", uri, body)
}

/// A request to the demo and its JSON answer.
fn request(method: &str, uri: &str, body: &str) -> serde_json::Value {
    use tower::ServiceExt;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let request = axum::http::Request::builder()
            .method(method)
            .uri(uri)
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body.to_owned()))
            .unwrap();
        let response = redgrid::app(DEMO.clone()).oneshot(request).await.unwrap();
        assert_eq!(response.status(), 200);
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        serde_json::from_slice(&bytes).unwrap()
    })
}

#[test]
fn suggestions_stand_on_the_land_apart_and_gain_what_a_what_if_confirms() {
    let found = post(
        "/api/v1/plan/suggest",
        r#"{"count": 8, "preset": "gb50180_5min", "min_spacing_m": 400}"#,
    );
    let picks = found["suggestions"].as_array().unwrap();
    assert_eq!(picks.len(), 8, "{found}");
    let local: Vec<geo::Point<f64>> = picks
        .iter()
        .map(|p| {
            let lon_lat =
                redgrid::geo::LonLat::new(p["lon"].as_f64().unwrap(), p["lat"].as_f64().unwrap())
                    .unwrap();
            DEMO.indexes.project(lon_lat)
        })
        .collect();
    for (i, p) in local.iter().enumerate() {
        assert!(
            DEMO.indexes.land.containing(*p).is_some(),
            "suggestion {i} off the land"
        );
        for q in &local[i + 1..] {
            // Coordinates are rounded to 7 decimals (about 1 cm).
            assert!((p.x() - q.x()).hypot(p.y() - q.y()) >= 400.0 - 0.05);
        }
    }
    let gains: Vec<u64> = picks
        .iter()
        .map(|p| p["gain_population"].as_u64().unwrap())
        .collect();
    assert!(gains.windows(2).all(|w| w[0] >= w[1]), "{gains:?}");
    // Adding them all covers exactly the sum of the gains more: nobody counted twice.
    let points: Vec<String> = picks
        .iter()
        .map(|p| format!("[{}, {}]", p["lon"], p["lat"]))
        .collect();
    let check = post(
        "/api/v1/plan/what-if",
        &format!(
            r#"{{"add": [{}], "preset": "gb50180_5min"}}"#,
            points.join(", ")
        ),
    );
    let delta = check["delta"]["district"]["covered_population"]
        .as_i64()
        .unwrap();
    assert_eq!(delta as u64, gains.iter().sum::<u64>());
    assert_eq!(
        picks.last().unwrap()["cumulative_covered_population"],
        check["after"]["district"]["covered_population"]
    );
}
