//! `GET /api/v1/dispatch`: responsibility, walking resources and emergency units.

use redgrid::geo::{Crs, LonLat};

use crate::common::{DISPATCHER, INTERNAL, SERVICE, assert_problem, get, send};

#[tokio::test]
async fn dispatch_names_who_is_responsible_and_labels_straight_line_units() {
    // In the north-east grid of 北社区, which the volunteer team S5 is paired with.
    let r = get("/api/v1/dispatch?lon=121.3875&lat=37.5365").await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["locate"]["community"]["id"], "370602902002");
    let paired: Vec<&str> = r.json["responsibility"]["paired_units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap())
        .collect();
    assert_eq!(paired, ["S5"]);
    assert_eq!(r.json["emergency"]["distance"], "straight_line");
    let police = &r.json["emergency"]["units"][0];
    assert_eq!(police["id"], "S4");
    assert!(police["straight_line_m"].as_f64().unwrap() > 0.0);
    // 220 m from the fixture's streets: no walk, and the answer says why.
    let why = r.json["walking"]["unavailable"].as_str().unwrap();
    assert!(why.contains("no walkable edge within 100 m"), "{why}");
    assert_eq!(r.json["synthetic"], true);
}

#[tokio::test]
async fn dispatch_masks_people_unless_the_caller_is_a_dispatcher() {
    let uri = "/api/v1/dispatch?lon=121.38165&lat=37.53165";
    let anonymous = get(uri).await;
    assert_eq!(
        anonymous.json["locate"]["grid"]["workers"][0]["masked"],
        true
    );
    let dispatcher = send(&INTERNAL, "GET", uri, Some(DISPATCHER)).await;
    assert_eq!(
        dispatcher.json["locate"]["grid"]["workers"][0]["masked"],
        false
    );
    assert_eq!(dispatcher.json["locate"]["personal_data"], "unmasked");
}

#[tokio::test]
async fn the_e_hu_ying_service_role_dispatches_in_gcj02_with_people_unmasked() {
    let gcj = Crs::Gcj02.from_wgs84(LonLat::new(121.38165, 37.53165).unwrap());
    let uri = format!(
        "/api/v1/dispatch?lon={:.7}&lat={:.7}&crs=gcj02",
        gcj.lon(),
        gcj.lat()
    );
    let r = send(&INTERNAL, "GET", &uri, Some(SERVICE)).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["locate"]["building"]["id"], "B1");
    assert_eq!(r.json["locate"]["grid"]["workers"][0]["masked"], false);
}

#[tokio::test]
async fn dispatch_refuses_bad_input_and_points_outside() {
    assert_problem(
        &get("/api/v1/dispatch?lon=121.3875").await,
        400,
        Some("/lat"),
    );
    assert_problem(
        &get("/api/v1/dispatch?lon=121.3875&lat=37.5365&minutes=99").await,
        400,
        Some("/minutes"),
    );
    assert_problem(&get("/api/v1/dispatch?lon=120.0&lat=37.0").await, 404, None);
}
