//! The walking network's hard cases, on the hand-drawn `fixtures/sidewalks/` (see
//! `scripts/gen_sidewalks_fixture.py`): parallel sidewalks 12 m apart joined only at
//! their ends, a footway that stops 1.5 m short of a street, and a footbridge over a
//! road. Distances run along the network only; the gap is reported, and crossed only
//! once the server is told to join it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use redgrid::config::Profile;
use redgrid::geo::LocalProjection;
use redgrid::store::{Dataset, LayerId, Store};
use redgrid::{AppState, auth::TokenStore};
use serde_json::Value;
use tower::ServiceExt;

fn state(join_gaps_m: f64) -> AppState {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sidewalks");
    let dataset = Dataset::load(&dir, Profile::Internal).unwrap();
    AppState::joining_gaps(
        Store::Memory(dataset),
        TokenStore::default(),
        Profile::Internal,
        false,
        PathBuf::from("web/dist"),
        join_gaps_m,
    )
}

async fn get(state: &AppState, uri: &str) -> Value {
    let response = redgrid::app(state.clone())
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{uri}");
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes).unwrap()
}

/// The fixture's local metres (x east, y north of 121.40 E, 37.50 N) as `lon=…&lat=…`.
fn at(x: f64, y: f64) -> String {
    let origin = LocalProjection::centred_on(redgrid::geo::LonLat::new(121.4, 37.5).unwrap());
    let p = origin.unproject(x, y);
    format!("lon={:.7}&lat={:.7}", p.lon(), p.lat())
}

async fn nearest(state: &AppState, x: f64, y: f64) -> Value {
    let answer = get(state, &format!("/api/v1/nearest?{}&k=1", at(x, y))).await;
    answer["features"][0].clone()
}

fn close(value: &Value, want: f64) -> bool {
    value.as_f64().is_some_and(|v| (v - want).abs() <= 0.3)
}

#[tokio::test]
async fn across_parallel_sidewalks_the_walk_goes_round_by_the_crossings() {
    let state = state(0.0);
    // 2 m south of the southern sidewalk; the station 2 m north of the northern one,
    // 16 m away in a straight line: 2 + 200 to a crossing, 12 over, 200 back, 2.
    let site = nearest(&state, 200.0, -2.0).await;
    assert_eq!(site["properties"]["id"], "SN");
    let p = &site["properties"];
    assert!(close(&p["walk_m"], 416.0), "{p}");
    assert!(close(&p["straight_m"], 16.0), "{p}");
    assert!(close(&p["detour_ratio"], 26.0), "{p}");
    // The route runs on the network: from the point to its sidewalk, never across.
    let route = p["route"]["coordinates"].as_array().unwrap();
    assert!(route.len() >= 6, "{route:?}");
}

#[tokio::test]
async fn a_dead_end_short_of_a_street_is_reported_and_walked_round_until_joined() {
    let state = state(0.0);
    // On the footway 1.5 m below its dead end; station ST 2 m north of the street it
    // misses: 47 m down, 200 along, 50 up, 200 back, 2 m off.
    let site = nearest(&state, 200.0, -103.0).await;
    assert_eq!(site["properties"]["id"], "ST");
    assert!(close(&site["properties"]["walk_m"], 499.0), "{site}");

    let issues = get(&state, "/api/v1/network/issues").await;
    let features = issues["features"].as_array().unwrap();
    assert_eq!(features.len(), 1, "{issues}");
    let gap = &features[0]["properties"];
    assert_eq!(gap["kind"], "dead_end");
    assert_eq!(gap["kind_zh"], "断头路未接");
    assert!(close(&gap["gap_m"], 1.5), "{gap}");
    assert_eq!(gap["joined"], false);
    let health = get(&state, "/api/v1/health").await;
    assert_eq!(health["counts"]["network_dead_end_gaps"], 1);
    assert_eq!(health["counts"]["network_connectors"], 0);

    // Joined by the operator: 1.5 m to the dead end, 1.5 m of connector, 2 m off.
    let joined = self::state(2.0);
    let site = nearest(&joined, 200.0, -103.0).await;
    assert!(close(&site["properties"]["walk_m"], 5.0), "{site}");
    let issues = get(&joined, "/api/v1/network/issues").await;
    assert_eq!(issues["features"][0]["properties"]["joined"], true);
    assert_eq!(issues["join_gaps_m"], 2.0);
    let health = get(&joined, "/api/v1/health").await;
    assert_eq!(health["counts"]["network_connectors"], 1);
    // A join of 1 m leaves a 1.5 m gap as it is.
    let short = self::state(1.0);
    let site = nearest(&short, 200.0, -103.0).await;
    assert!(close(&site["properties"]["walk_m"], 499.0), "{site}");
}

#[tokio::test]
async fn beside_a_footbridge_a_point_reaches_the_ground_and_the_bridge_is_no_gap() {
    let state = state(0.0);
    // 1 m from the footbridge, 10 m from the road beneath and the path beside it.
    let answer = get(
        &state,
        &format!("/api/v1/nearest?{}&k=1", at(201.0, -290.0)),
    )
    .await;
    assert!(
        close(&answer["snapped"]["offset_m"], 10.0),
        "{}",
        answer["snapped"]
    );
    // The bridge crosses the road without a shared vertex, by design: not an issue.
    let issues = get(&state, "/api/v1/network/issues").await;
    assert!(
        issues["features"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["properties"]["kind"] != "crossing"),
        "{issues}"
    );
    // The fixture is where the test thinks it is.
    let ds = state.store.dataset();
    assert_eq!(ds.network.len(), 22);
    assert!(ds.layer(LayerId::WalkNetwork).synthetic);
}
