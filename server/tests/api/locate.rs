//! `GET /api/v1/locate`: the hierarchy at a point, masking, authorisation, bad input.

use redgrid::geo::{Crs, LonLat};

use crate::common::{ADMIN, DISPATCHER, INTERNAL, PUBLIC, VIEWER, assert_problem, get, send};

const IN_B1: &str = "lon=121.38165&lat=37.53165";

#[tokio::test]
async fn a_point_in_a_building_gives_the_whole_chain() {
    let r = get(&format!("/api/v1/locate?{IN_B1}")).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let j = &r.json;
    assert_eq!(j["building"]["id"], "B1");
    assert_eq!(j["building"]["distance_m"], 0.0);
    assert_eq!(j["building"]["party_group"], "测试路1号1号楼党小组");
    assert_eq!(j["compound"]["id"], "K1");
    assert_eq!(j["grid"]["id"], "G370602901001001");
    assert_eq!(j["grid"]["code"], "370602901001001");
    assert_eq!(j["grid"]["party_branch"], "西一网格党支部");
    assert_eq!(j["community"]["id"], "370602901001");
    assert_eq!(j["street"]["id"], "370602901");
    assert_eq!(j["street"]["public_contact"], "0535-6000001");
    assert_eq!(j["synthetic"], true);
}

#[tokio::test]
async fn personal_data_is_masked_for_anonymous_and_viewer_callers() {
    for token in [None, Some(VIEWER)] {
        let r = send(&INTERNAL, "GET", &format!("/api/v1/locate?{IN_B1}"), token).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.json["personal_data"], "masked");
        let worker = &r.json["grid"]["workers"][0];
        assert_eq!(worker["name"], "张*");
        assert_eq!(worker["phone"], "138****8001");
        assert_eq!(worker["masked"], true);
        let head = &r.json["building"]["building_head"];
        assert_eq!(head["name"], "李*");
        assert_eq!(head["phone"], "139****9001");
        let text = r.json.to_string();
        assert!(
            !text.contains("张伟") && !text.contains("13800138001"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn dispatchers_and_admins_see_names_and_phones() {
    for token in [DISPATCHER, ADMIN] {
        let r = send(
            &INTERNAL,
            "GET",
            &format!("/api/v1/locate?{IN_B1}"),
            Some(token),
        )
        .await;
        assert_eq!(r.json["personal_data"], "unmasked");
        assert_eq!(r.json["grid"]["workers"][0]["name"], "张伟");
        assert_eq!(r.json["grid"]["workers"][0]["phone"], "13800138001");
        assert_eq!(r.json["building"]["building_head"]["name"], "李四");
    }
}

#[tokio::test]
async fn the_public_profile_has_no_personal_data_at_all() {
    let r = send(
        &PUBLIC,
        "GET",
        &format!("/api/v1/locate?{IN_B1}"),
        Some(DISPATCHER),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["personal_data"], "not_loaded");
    assert_eq!(r.json["grid"]["workers"], serde_json::json!([]));
    assert!(r.json["building"]["building_head"].is_null());
}

#[tokio::test]
async fn unknown_or_malformed_tokens_are_refused() {
    let r = send(
        &INTERNAL,
        "GET",
        &format!("/api/v1/locate?{IN_B1}"),
        Some("rg_nope"),
    )
    .await;
    assert_problem(&r, 401, None);
    assert_eq!(r.headers["www-authenticate"], "Bearer");
}

#[tokio::test]
async fn a_point_near_a_building_takes_it_within_30_m() {
    // 0.0002° of longitude east of B3's east edge is about 17.6 m at 37.536 N.
    let r = get("/api/v1/locate?lon=121.3875&lat=37.53615").await;
    assert_eq!(r.json["building"]["id"], "B3");
    let d = r.json["building"]["distance_m"].as_f64().unwrap();
    assert!((d - 17.6).abs() < 0.3, "{d}");
    assert!(r.json["compound"].is_null());
    assert_eq!(r.json["grid"]["id"], "G370602902002001");
    assert_eq!(r.json["community"]["name"], "北社区");
    // 40 m away: no building, grid by polygon.
    let r = get("/api/v1/locate?lon=121.38775&lat=37.53615").await;
    assert!(r.json["building"].is_null(), "{}", r.json);
    assert_eq!(r.json["grid"]["id"], "G370602902002001");
}

#[tokio::test]
async fn a_point_without_building_is_placed_by_polygons() {
    let r = get("/api/v1/locate?lon=121.388&lat=37.531").await;
    assert!(r.json["building"].is_null());
    assert_eq!(r.json["grid"]["id"], "G370602902001001");
    assert_eq!(r.json["community"]["id"], "370602902001");
    assert_eq!(r.json["street"]["id"], "370602902");
    assert_eq!(r.json["grid"]["workers"][0]["id"], "W2");
}

#[tokio::test]
async fn the_island_is_land_but_in_no_grid() {
    let r = get("/api/v1/locate?lon=121.3955&lat=37.5305").await;
    assert_eq!(r.status, 200);
    assert!(r.json["grid"].is_null() && r.json["street"].is_null());
}

#[tokio::test]
async fn outside_the_district_is_a_404_problem() {
    for q in [
        "lon=121.392&lat=37.534",
        "lon=0&lat=0",
        "lon=121.38165&lat=37.5",
    ] {
        assert_problem(&get(&format!("/api/v1/locate?{q}")).await, 404, None);
    }
}

#[tokio::test]
async fn gcj02_and_bd09_input_is_converted_first() {
    let wgs = LonLat::new(121.38165, 37.53165).unwrap();
    for (name, crs) in [
        ("gcj02", Crs::Gcj02),
        ("bd09", Crs::Bd09),
        ("cgcs2000", Crs::Cgcs2000),
    ] {
        let p = crs.from_wgs84(wgs);
        let r = get(&format!(
            "/api/v1/locate?lon={}&lat={}&crs={name}",
            p.lon(),
            p.lat()
        ))
        .await;
        assert_eq!(r.json["building"]["id"], "B1", "{name}: {}", r.json);
        assert_eq!(r.json["crs"], name);
        assert!((r.json["point"][0].as_f64().unwrap() - wgs.lon()).abs() < 1e-9);
    }
    // The same GCJ-02 numbers taken as WGS-84 land ~500 m east: a different grid.
    let p = Crs::Gcj02.from_wgs84(wgs);
    let r = get(&format!("/api/v1/locate?lon={}&lat={}", p.lon(), p.lat())).await;
    assert_ne!(r.json["grid"]["id"], "G370602901001001");
}

#[tokio::test]
async fn every_bad_input_is_a_400_problem_naming_the_field() {
    let cases = [
        ("lat=37.53", "/lon"),
        ("lon=121.38", "/lat"),
        ("lon=abc&lat=37.53", "/lon"),
        ("lon=121.38&lat=91", "/lat"),
        ("lon=181&lat=37.53", "/lon"),
        ("lon=NaN&lat=37.53", "/lon"),
        ("lon=inf&lat=37.53", "/lon"),
        ("lon=-Infinity&lat=37.53", "/lon"),
        ("lon=&lat=37.53", "/lon"),
        ("lon=1e400&lat=37.53", "/lon"),
        ("lon=121.38&lon=121.39&lat=37.53", "/lon"),
        ("lon=121.38&lat=37.53&crs=mars", "/crs"),
        ("lon=121.38&lat=37.53&lng=121", "/lng"),
        ("lon=%FF%FE&lat=37.53", "/lon"),
    ];
    for (query, pointer) in cases {
        let r = get(&format!("/api/v1/locate?{query}")).await;
        assert_problem(&r, 400, Some(pointer));
    }
    // Both missing: both named in one answer.
    let r = get("/api/v1/locate").await;
    assert_problem(&r, 400, Some("/lon"));
    assert_problem(&r, 400, Some("/lat"));
}
