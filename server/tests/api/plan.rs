//! Coverage, gaps, catchments, suggestions and what-if on the lattice fixture, where
//! every walking distance is the L1 distance × 100 m. Buildings: B1 (100 people) at
//! node (2, 3), B2 (200) at (3, 4), B3 (300) at (0, 1), B4 (400) at (6, 4); service
//! points: stations S1 (1, 1), S3 (3, 1), S5 (6, 6) and community centre S2 (5, 6).
//! Within 250 m: B3 by S1 (100 m) and B4 by S5 (200 m); B1 and B2 are uncovered.

use std::io::Read;

use std::sync::LazyLock;

use redgrid::AppState;

use crate::common::{PLANNER, PUBLIC, Reply, VIEWER, assert_problem, send, send_body, tokens};
use crate::reach::{LATTICE, node_lon_lat};

/// The lattice with the test tokens.
static PLANNING: LazyLock<AppState> = LazyLock::new(|| {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lattice");
    redgrid::state_for_dir(&dir, redgrid::config::Profile::Internal, tokens()).unwrap()
});

async fn get(uri: &str) -> Reply {
    send(&LATTICE, "GET", uri, None).await
}

async fn post(uri: &str, body: &str) -> Reply {
    send_body(
        &LATTICE,
        "POST",
        uri,
        None,
        Some(("application/json", body)),
    )
    .await
}

fn point(i: f64, j: f64) -> String {
    let [lon, lat] = node_lon_lat(i, j);
    format!("[{lon:.7}, {lat:.7}]")
}

#[tokio::test]
async fn coverage_counts_people_within_the_walk_and_states_its_basis() {
    let r = get("/api/v1/coverage?metres=250&level=grid").await;
    assert_eq!(r.status, 200, "{}", r.json);
    let rows = r.json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row["code"], "370602901001001");
    assert_eq!(row["population"], 1000);
    assert_eq!(row["covered_population"], 700);
    assert_eq!(row["uncovered_population"], 300);
    assert_eq!(row["coverage_pct"], 70.0);
    assert_eq!(row["service_points"], 4);
    assert_eq!(r.json["total"]["covered_population"], 700);
    let basis = &r.json["basis"];
    assert_eq!(basis["metres"], 250.0);
    assert_eq!(basis["speed_m_per_min"], 60.0);
    assert_eq!(basis["synthetic"], true);
    assert_eq!(basis["kinds"].as_array().unwrap().len(), 4);
    assert!(basis["network_version"].is_string() && basis["method"].is_string());
    // 6 minutes at 60 m/min (360 m) reach everyone; 3 minutes at 50 m/min (150 m) only
    // B3.
    let all = get("/api/v1/coverage?minutes=6").await;
    assert_eq!(
        all.json["total"]["covered_population"], 1000,
        "{}",
        all.json
    );
    let slow = get("/api/v1/coverage?minutes=3&speed=50").await;
    assert_eq!(slow.json["basis"]["metres"], 150.0);
    assert_eq!(slow.json["total"]["covered_population"], 300);
    // Only the volunteer team at (3, 3) as a service point: B1 and B2, 100 m away.
    let team = get("/api/v1/coverage?metres=250&kinds=volunteer_team").await;
    assert_eq!(team.json["total"]["covered_population"], 300);
    assert_eq!(team.json["total"]["service_points"], 1);
}

#[tokio::test]
async fn coverage_downloads_as_csv_with_a_bom_and_as_xlsx_with_text_codes() {
    let csv = get("/api/v1/coverage?metres=250&level=grid&format=csv").await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.content_type, "text/csv; charset=utf-8");
    let text = String::from_utf8(csv.bytes.clone()).unwrap();
    assert!(text.starts_with('\u{feff}'));
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 3, "header, one grid, the total: {text}");
    assert!(lines[0].contains("covered_population") && lines[0].ends_with("synthetic"));
    assert!(lines[1].starts_with("grid,G370602901001001,370602901001001,"));
    assert!(lines[1].contains(",1000,700,300,70.00,"), "{}", lines[1]);
    assert!(lines[2].starts_with("total,"));

    let xlsx = get("/api/v1/coverage?metres=250&level=grid&format=xlsx").await;
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.content_type.contains("spreadsheetml"));
    let mut book = zip::ZipArchive::new(std::io::Cursor::new(xlsx.bytes)).unwrap();
    let mut strings = String::new();
    book.by_name("xl/sharedStrings.xml")
        .unwrap()
        .read_to_string(&mut strings)
        .unwrap();
    // The 15-digit code is a string, never a number Excel would round.
    assert!(strings.contains("<t>370602901001001</t>"), "{strings}");
    assert!(strings.contains("格子网格党支部"));
    let mut sheets = String::new();
    book.by_name("xl/workbook.xml")
        .unwrap()
        .read_to_string(&mut sheets)
        .unwrap();
    assert!(sheets.contains("name=\"coverage\"") && sheets.contains("name=\"basis\""));
}

#[tokio::test]
async fn gaps_are_the_cells_of_uncovered_buildings_largest_first() {
    let r = get("/api/v1/coverage/gaps?metres=250").await;
    assert_eq!(r.status, 200, "{}", r.json);
    let features = r.json["features"].as_array().unwrap();
    let people: Vec<u64> = features
        .iter()
        .map(|f| f["properties"]["population"].as_u64().unwrap())
        .collect();
    assert_eq!(people, [200, 100]);
    assert_eq!(r.json["uncovered_population"], 300);
    assert!(
        features
            .iter()
            .all(|f| f["geometry"]["type"] == "MultiPolygon")
    );
    let coarse = get("/api/v1/coverage/gaps?metres=250&resolution=7").await;
    let features = coarse.json["features"].as_array().unwrap();
    assert_eq!(features.len(), 1, "one parent cell holds both");
    assert_eq!(features[0]["properties"]["population"], 300);
    let everyone = get("/api/v1/coverage/gaps?metres=350").await;
    assert_eq!(everyone.json["features"], serde_json::json!([]));
}

#[tokio::test]
async fn catchments_tell_what_each_point_serves_and_what_closing_it_would_cost() {
    let r = get("/api/v1/catchments?metres=250&max_population=350").await;
    assert_eq!(r.status, 200, "{}", r.json);
    let by_id = |id: &str| {
        r.json["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["properties"]["id"] == id)
            .map(|f| f["properties"].clone())
            .unwrap()
    };
    let s1 = by_id("S1");
    assert_eq!(s1["population_served"], 300);
    assert!((s1["farthest_walk_m"].as_f64().unwrap() - 100.0).abs() < 1.0);
    assert_eq!(s1["population_lost_if_removed"], 300);
    assert_eq!(
        (s1["overloaded"].as_bool(), s1["redundant"].as_bool()),
        (Some(false), Some(false))
    );
    let s5 = by_id("S5");
    assert_eq!(s5["population_served"], 400);
    assert_eq!(s5["overloaded"], true);
    for idle in ["S2", "S3"] {
        let p = by_id(idle);
        assert_eq!(p["population_served"], 0);
        assert_eq!(p["farthest_walk_m"], serde_json::Value::Null);
        assert_eq!(p["redundant"], true);
    }
    assert_eq!(r.json["rules"]["max_population"], 350);
    assert_eq!(r.json["rules"]["redundant_population"], 50);
}

#[tokio::test]
async fn suggestions_cover_the_uncovered_and_gains_add_up() {
    let r = post("/api/v1/plan/suggest", r#"{"count": 3, "metres": 250}"#).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let picks = r.json["suggestions"].as_array().unwrap();
    // One point reaches both B1 and B2; nothing else is left to gain.
    assert_eq!(picks.len(), 1, "{}", r.json);
    assert_eq!(picks[0]["gain_population"], 300);
    assert_eq!(picks[0]["cumulative_covered_population"], 1000);
    assert_eq!(picks[0]["cumulative_coverage_pct"], 100.0);
    assert_eq!(r.json["before"]["covered_population"], 700);
    assert_eq!(r.json["candidates"]["source"], "nodes");
    // What-if with the suggestion confirms its gain.
    let at = format!("[{}, {}]", picks[0]["lon"], picks[0]["lat"]);
    let check = post(
        "/api/v1/plan/what-if",
        &format!(r#"{{"add": [{at}], "metres": 250}}"#),
    )
    .await;
    assert_eq!(check.json["after"]["district"]["covered_population"], 1000);

    let own = format!(
        r#"{{"count": 2, "metres": 250, "candidates": [{}, {}]}}"#,
        point(0.0, 6.0),
        point(2.0, 4.0)
    );
    let r = post("/api/v1/plan/suggest", &own).await;
    let picks = r.json["suggestions"].as_array().unwrap();
    assert_eq!(
        picks.len(),
        1,
        "(0, 6) reaches nobody uncovered: {}",
        r.json
    );
    assert!((picks[0]["lon"].as_f64().unwrap() - node_lon_lat(2.0, 4.0)[0]).abs() < 1e-6);
    assert_eq!(r.json["candidates"]["source"], "caller");
}

#[tokio::test]
async fn what_if_reports_before_and_after_for_the_district_and_each_street() {
    let body = format!(
        r#"{{"add": [{}], "remove": ["S1"], "metres": 250}}"#,
        point(2.0, 4.0)
    );
    let r = post("/api/v1/plan/what-if", &body).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["before"]["district"]["covered_population"], 700);
    // B3 loses S1; B1 and B2 gain the new point.
    assert_eq!(r.json["after"]["district"]["covered_population"], 700);
    assert_eq!(r.json["delta"]["district"]["covered_population"], 0);
    assert_eq!(r.json["after"]["district"]["service_points"], 4);
    let streets = r.json["after"]["streets"].as_array().unwrap();
    assert_eq!(streets.len(), 1);
    assert_eq!(streets[0]["covered_population"], 700);
    let closed = post(
        "/api/v1/plan/what-if",
        r#"{"remove": ["S1"], "metres": 250}"#,
    )
    .await;
    assert_eq!(closed.json["delta"]["district"]["covered_population"], -300);
    assert_eq!(closed.json["delta"]["streets"][0]["service_points"], -1);
}

#[tokio::test]
async fn bad_planning_input_is_a_problem_naming_the_field() {
    for (uri, pointer) in [
        ("/api/v1/coverage?level=town", "/level"),
        ("/api/v1/coverage?format=pdf", "/format"),
        ("/api/v1/coverage?minutes=5,10", "/minutes"),
        ("/api/v1/coverage?kinds=shop", "/kinds"),
        ("/api/v1/coverage?metres=NaN", "/metres"),
        ("/api/v1/coverage?colour=red", "/colour"),
        ("/api/v1/coverage/gaps?resolution=12", "/resolution"),
        ("/api/v1/catchments?max_population=0", "/max_population"),
    ] {
        assert_problem(&get(uri).await, 400, Some(pointer));
    }
    let not_json = send_body(
        &LATTICE,
        "POST",
        "/api/v1/plan/suggest",
        None,
        Some(("text/plain", "{}")),
    )
    .await;
    assert_problem(&not_json, 415, None);
    for (path, body, pointer) in [
        ("suggest", "{", "/body"),
        ("suggest", r#"{"count": 0}"#, "/body/count"),
        ("suggest", r#"{"count": 2, "bogus": 1}"#, "/body/bogus"),
        (
            "suggest",
            r#"{"count": 2, "candidates": "roads"}"#,
            "/body/candidates",
        ),
        (
            "suggest",
            r#"{"count": 2, "within": "nowhere"}"#,
            "/body/within",
        ),
        (
            "suggest",
            r#"{"count": 2, "minutes": "five"}"#,
            "/body/minutes",
        ),
        (
            "suggest",
            r#"{"count": 2, "preset": "fast"}"#,
            "/body/preset",
        ),
        (
            "suggest",
            r#"{"count": 2, "min_spacing_m": -1}"#,
            "/body/min_spacing_m",
        ),
        (
            "suggest",
            r#"{"count": 2, "candidates": [[121.0, 37.0]]}"#,
            "/body/candidates/0",
        ),
        ("what-if", r#"{"remove": ["S4"]}"#, "/body/remove/0"),
        ("what-if", r#"{"remove": ["NOPE"]}"#, "/body/remove/0"),
        ("what-if", r#"{"add": [[200, 0]]}"#, "/body/add/0"),
        ("what-if", r#"{"add": [[121.0, 37.0]]}"#, "/body/add/0"),
        ("what-if", r#"{"crs": "utm"}"#, "/body/crs"),
        ("what-if", r#"{"kinds": ["shop"]}"#, "/body/kinds/0"),
        ("what-if", r#"{"add": "here"}"#, "/body/add"),
    ] {
        let r = post(&format!("/api/v1/plan/{path}"), body).await;
        assert_problem(&r, 400, Some(pointer));
    }
}

#[tokio::test]
async fn planners_save_scenarios_that_anyone_reads_back_by_url() {
    let body = format!(
        r#"{{"name": "关闭S1，新增一处", "author": "组织部", "add": [{}], "remove": ["S1"], "metres": 250}}"#,
        point(2.0, 4.0)
    );
    let save = |token: Option<&'static str>, body: String| async move {
        send_body(
            &PLANNING,
            "POST",
            "/api/v1/plan/scenarios",
            token,
            Some(("application/json", &body)),
        )
        .await
    };
    assert_problem(&save(None, body.clone()).await, 401, None);
    assert_problem(&save(Some(VIEWER), body.clone()).await, 403, None);
    let nameless = save(Some(PLANNER), r#"{"name": " ", "metres": 250}"#.to_owned()).await;
    assert_problem(&nameless, 400, Some("/body/name"));
    let saved = save(Some(PLANNER), body).await;
    assert_eq!(saved.status, 201, "{}", saved.json);
    let url = saved.headers["location"].to_str().unwrap().to_owned();
    assert_eq!(saved.json["url"], url.as_str());
    let read = send(&PLANNING, "GET", &url, None).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.json["name"], "关闭S1，新增一处");
    assert_eq!(read.json["author"], "组织部");
    assert_eq!(read.json["request"]["remove"][0], "S1");
    assert_eq!(
        read.json["results"]["after"]["district"]["covered_population"],
        700
    );
    let list = send(&PLANNING, "GET", "/api/v1/plan/scenarios", None).await;
    assert!(
        list.json["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["url"] == url.as_str())
    );
    assert_problem(
        &send(&PLANNING, "GET", "/api/v1/plan/scenarios/sc_nothing", None).await,
        404,
        None,
    );
}

#[tokio::test]
async fn the_public_profile_has_no_planning_endpoints() {
    for uri in [
        "/api/v1/coverage",
        "/api/v1/coverage/gaps",
        "/api/v1/catchments",
        "/api/v1/plan/scenarios",
    ] {
        assert_problem(&send(&PUBLIC, "GET", uri, None).await, 404, None);
    }
    let r = send_body(
        &PUBLIC,
        "POST",
        "/api/v1/plan/what-if",
        None,
        Some(("application/json", "{}")),
    )
    .await;
    assert_problem(&r, 404, None);
}

#[tokio::test]
async fn every_planner_layer_exports_to_one_geopackage_that_gdal_reads() {
    let r = get("/api/v1/export/planning.gpkg?metres=250").await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.content_type, "application/geopackage+sqlite3");
    let path = std::env::temp_dir().join(format!("redgrid-export-{}.gpkg", std::process::id()));
    std::fs::write(&path, &r.bytes).unwrap();
    let db = rusqlite::Connection::open(&path).unwrap();
    let count = |sql: &str| -> i64 { db.query_row(sql, [], |row| row.get(0)).unwrap() };
    assert_eq!(count("SELECT covered_population FROM grids_coverage"), 700);
    assert_eq!(count("SELECT count(*) FROM buildings WHERE covered = 1"), 2);
    assert_eq!(count("SELECT sum(population) FROM gaps"), 300);
    assert_eq!(count("SELECT count(*) FROM service_points"), 4);
    assert_eq!(
        count("SELECT count(*) FROM gpkg_geometry_columns WHERE srs_id = 4326"),
        7
    );
    let code: String = db
        .query_row("SELECT code FROM grids_coverage", [], |row| row.get(0))
        .unwrap();
    assert_eq!(code, "370602901001001");
    drop(db);
    // GDAL, an independent reader, opens it as a GeoPackage (required in CI).
    match std::process::Command::new("ogrinfo")
        .args(["-ro", "-so", "-al"])
        .arg(&path)
        .output()
    {
        Ok(out) => {
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(out.status.success(), "{out:?}");
            assert!(text.contains("using driver `GPKG'"), "{text}");
            for layer in [
                "streets_coverage",
                "grids_coverage",
                "gaps",
                "catchments",
                "service_points",
                "buildings",
            ] {
                assert!(
                    text.contains(&format!("Layer name: {layer}")),
                    "{layer} in {text}"
                );
            }
            assert!(text.contains("Feature Count: 4"), "{text}");
        }
        Err(e) => assert!(
            std::env::var_os("CI").is_none(),
            "ogrinfo is needed in CI: {e}"
        ),
    }
    std::fs::remove_file(&path).unwrap();
}
