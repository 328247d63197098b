//! `nearest`, `isochrone` and `sites/{id}/service-area` on the lattice fixture, where
//! every walking distance is the L1 distance × 100 m (see fixtures/README.md).

use std::sync::LazyLock;

use redgrid::http::AppState;

use crate::common::{assert_problem, send};

pub static LATTICE: LazyLock<AppState> = LazyLock::new(|| {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lattice");
    redgrid::state_for_dir(
        &dir,
        redgrid::config::Profile::Internal,
        redgrid::auth::TokenStore::default(),
    )
    .unwrap()
});

/// Lon/lat of lattice node (i, j), as the fixture script places them.
pub fn node_lon_lat(i: f64, j: f64) -> [f64; 2] {
    let lat0: f64 = 37.53;
    let dlat = 100.0 / 111_132.954;
    let dlon = 100.0 / (111_319.49 * lat0.to_radians().cos());
    [121.38 + i * dlon, lat0 + j * dlat]
}

/// Node (i, j) as query parameters.
pub fn node(i: f64, j: f64) -> String {
    let [lon, lat] = node_lon_lat(i, j);
    format!("lon={lon:.7}&lat={lat:.7}")
}

async fn get(uri: &str) -> crate::common::Reply {
    send(&LATTICE, "GET", uri, None).await
}

/// The ids of a list of sites in an answer, in order.
fn ids(list: &serde_json::Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["id"].as_str().or(f["id"].as_str()).unwrap())
        .collect()
}

fn close(value: &serde_json::Value, metres: f64) -> bool {
    (value.as_f64().unwrap() - metres).abs() <= 1.0
}

#[tokio::test]
async fn nearest_service_points_come_by_walking_distance_with_their_routes() {
    let r = get(&format!("/api/v1/nearest?{}", node(3.0, 3.0))).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let features = r.json["features"].as_array().unwrap();
    let found = ids(&r.json["features"]);
    // The volunteer team on the spot is not a service point.
    assert_eq!(found, ["S3", "S1", "S2"]);
    for (f, metres) in features.iter().zip([200.0, 400.0, 500.0]) {
        let p = &f["properties"];
        assert!(close(&p["walk_m"], metres), "{p}");
        assert!((p["walk_min"].as_f64().unwrap() - metres / 60.0).abs() < 0.06);
        let route = p["route"]["coordinates"].as_array().unwrap();
        assert_eq!(route.last().unwrap(), &f["geometry"]["coordinates"]);
        // The destination for phone map apps, in their datums.
        let at = &f["geometry"]["coordinates"];
        let at =
            redgrid::geo::LonLat::new(at[0].as_f64().unwrap(), at[1].as_f64().unwrap()).unwrap();
        let gcj = redgrid::geo::wgs84_to_gcj02(at);
        let bd = redgrid::geo::gcj02_to_bd09(gcj);
        for (got, want) in [(&p["navigate"]["gcj02"], gcj), (&p["navigate"]["bd09"], bd)] {
            assert!(
                (got[0].as_f64().unwrap() - want.lon()).abs() < 1e-7,
                "{got}"
            );
            assert!(
                (got[1].as_f64().unwrap() - want.lat()).abs() < 1e-7,
                "{got}"
            );
        }
        assert!(p["navigate"]["bd09"] != p["navigate"]["gcj02"]);
    }
    assert!(r.json["snapped"]["offset_m"].as_f64().unwrap() < 0.5);
    assert_eq!(r.json["basis"]["synthetic"], true);
}

#[tokio::test]
async fn nearest_filters_by_kind_service_and_opening_hours() {
    let at = node(3.0, 3.0);
    let r = get(&format!("/api/v1/nearest?{at}&service=低保")).await;
    let found = ids(&r.json["features"]);
    assert_eq!(found, ["S3"]);
    let r = get(&format!("/api/v1/nearest?{at}&kind=station&k=5")).await;
    let found = ids(&r.json["features"]);
    assert_eq!(found, ["S3", "S1", "S5"]);
    let r = get(&format!(
        "/api/v1/nearest?{at}&kind=station&k=5&open_now=true"
    ))
    .await;
    let found = ids(&r.json["features"]);
    assert!(!found.contains(&"S5"), "S5 is never open: {found:?}");
    let r = get(&format!("/api/v1/nearest?{at}&kind=volunteer_team&k=1")).await;
    assert!(close(&r.json["features"][0]["properties"]["walk_m"], 0.0));
    // Nothing of the kind anywhere: an empty answer that says so.
    let none = get(&format!(
        "/api/v1/nearest?{}&kind=district_centre",
        node(3.0, 3.0)
    ))
    .await;
    assert_eq!(none.status, 200, "{}", none.json);
    assert_eq!(none.json["features"], serde_json::json!([]));
    assert!(
        none.json["reason"]
            .as_str()
            .unwrap()
            .contains("no site of the kinds"),
        "{}",
        none.json
    );
    let found = get(&format!("/api/v1/nearest?{}", node(3.0, 3.0))).await;
    assert_eq!(found.json["reason"], serde_json::Value::Null);
}

#[tokio::test]
async fn isochrones_count_people_and_sites_by_their_own_walking_distance() {
    let r = get(&format!(
        "/api/v1/isochrone?{}&minutes=5,10",
        node(3.0, 3.0)
    ))
    .await;
    assert_eq!(r.status, 200, "{}", r.json);
    let f = r.json["features"].as_array().unwrap();
    assert_eq!(f.len(), 2);
    assert_eq!(f[0]["properties"]["metres"], 300.0);
    assert_eq!(f[0]["properties"]["population"], 300);
    assert_eq!(f[1]["properties"]["population"], 1000);
    assert_eq!(f[0]["properties"]["sites"]["station"], 1);
    assert_eq!(f[0]["properties"]["sites"]["volunteer_team"], 1);
    assert_eq!(f[0]["geometry"]["type"], "MultiPolygon");
    let a5 = f[0]["properties"]["area_m2"].as_f64().unwrap();
    let a10 = f[1]["properties"]["area_m2"].as_f64().unwrap();
    assert!(a5 > 0.0 && a10 > a5);
    assert_eq!(r.json["cell_m"], 10.0);
    assert_eq!(r.json["basis"]["minutes"], serde_json::json!([5.0, 10.0]));
    // Disjoint bands: the second ring holds only what lies between 300 and 600 m.
    let d = get(&format!(
        "/api/v1/isochrone?{}&minutes=5,10&bands=disjoint",
        node(3.0, 3.0)
    ))
    .await;
    assert_eq!(d.json["features"][1]["properties"]["population"], 700);
    // A finer lattice draws the same walk: the counts do not depend on it.
    let fine = get(&format!(
        "/api/v1/isochrone?{}&minutes=5&cell_m=5",
        node(3.0, 3.0)
    ))
    .await;
    assert_eq!(fine.json["cell_m"], 5.0);
    assert_eq!(fine.json["features"][0]["properties"]["population"], 300);
    let fine_m2 = fine.json["features"][0]["properties"]["area_m2"]
        .as_f64()
        .unwrap();
    assert!((fine_m2 / a5 - 1.0).abs() < 0.1, "{fine_m2} against {a5}");
}

#[tokio::test]
async fn walks_past_15_minutes_are_answered_from_the_heavy_pool_alike() {
    // 20 minutes = 1,200 m covers the whole 600 m × 600 m lattice from its centre.
    let r = get(&format!(
        "/api/v1/isochrone?{}&minutes=5,20",
        node(3.0, 3.0)
    ))
    .await;
    assert_eq!(r.status, 200, "{}", r.json);
    let f = r.json["features"].as_array().unwrap();
    assert_eq!(f[1]["properties"]["metres"], 1200.0);
    assert_eq!(f[1]["properties"]["population"], 1000);
    assert_eq!(f[0]["properties"]["population"], 300);
    assert_eq!(r.json["cell_m"], 20.0);
}

#[tokio::test]
async fn a_service_area_is_the_isochrone_of_its_site() {
    let r = get("/api/v1/sites/S3/service-area?preset=gb50180_5min").await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["site"]["id"], "S3");
    assert_eq!(r.json["basis"]["preset"], "gb50180_5min");
    // From node (3, 1): B1 (2, 3) is 300 m away, on the budget, B2 (3, 4) 300 m too:
    // within ±1 m of projection error either may count; nothing else can.
    let population = r.json["features"][0]["properties"]["population"]
        .as_u64()
        .unwrap();
    assert!([0, 100, 200, 300].contains(&population), "{population}");
    // S3 itself and S1, 200 m west.
    assert_eq!(r.json["features"][0]["properties"]["sites"]["station"], 2);
    let missing = get("/api/v1/sites/S99/service-area").await;
    assert_problem(&missing, 404, None);
}

#[tokio::test]
async fn bad_reachability_input_is_a_problem_naming_the_field() {
    let at = node(3.0, 3.0);
    for (query, pointer) in [
        (format!("isochrone?{at}&minutes=5&metres=300"), "/minutes"),
        (format!("isochrone?{at}&minutes=0"), "/minutes"),
        (format!("isochrone?{at}&minutes=NaN"), "/minutes"),
        (format!("isochrone?{at}&preset=fast"), "/preset"),
        (format!("isochrone?{at}&bands=rings"), "/bands"),
        (format!("isochrone?{at}&cell_m=15"), "/cell_m"),
        (format!("isochrone?{at}&cell_m=ten"), "/cell_m"),
        (format!("nearest?{at}&k=0"), "/k"),
        (format!("nearest?{at}&kind=shop"), "/kind"),
        ("nearest?lon=200&lat=37.53".to_owned(), "/lon"),
    ] {
        assert_problem(&get(&format!("/api/v1/{query}")).await, 400, Some(pointer));
    }
    // Far from every street: 422, saying so.
    let far = get(&format!("/api/v1/nearest?{}", node(3.0, 20.0))).await;
    assert_problem(&far, 422, None);
    assert!(
        far.json["detail"]
            .as_str()
            .unwrap()
            .contains("no walkable edge")
    );
}

#[tokio::test]
async fn dispatch_lists_what_can_walk_to_an_incident_nearest_first() {
    let r = get(&format!("/api/v1/dispatch?{}&minutes=5", node(3.0, 3.0))).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let found = ids(&r.json["walking"]["resources"]);
    // The team on the spot, then S3 at 200 m; S1 (400 m) is beyond 5 minutes.
    assert_eq!(found, ["S4", "S3"]);
    // Each route runs from the resource to the incident, as long as its walk.
    let s3 = &r.json["walking"]["resources"][1];
    let line: Vec<[f64; 2]> = serde_json::from_value(s3["route"]["coordinates"].clone()).unwrap();
    let incident = r.json["locate"]["point"].clone();
    assert_eq!(serde_json::json!(line.last().unwrap()), incident);
    let metres: f64 = line
        .windows(2)
        .map(|w| {
            use geo::Distance;
            geo::Haversine.distance(geo::Point::from(w[0]), geo::Point::from(w[1]))
        })
        .sum();
    assert!(
        (metres - s3["walk_m"].as_f64().unwrap()).abs() < 1.0,
        "{metres} {s3}"
    );
}
