//! The administrator's formats and console endpoints against a real PostGIS: CSV in
//! GBK with Chinese headings, spreadsheets, shapefiles written by GDAL (in CGCS2000
//! Gauss–Krüger, GBK attributes), sites known only by address, `POST
//! /api/v1/import` dry runs and commits, the audit log and revert, and export →
//! import changing nothing.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use redgrid::formats::{self, File, ReadOptions};
use redgrid::store::postgis::{self, import::Options};
use serde_json::{Value, json};
use tower::ServiceExt;

use super::import::{dump, temp_dir};
use super::writes::{Server, server};

/// Two sites' points of the fixture, on its land.
fn two_points(server: &Server) -> [[f64; 2]; 2] {
    let state = server.live.state();
    let sites = &state.store.dataset().sites;
    let at = |i: usize| {
        let p = sites[i].geometry;
        [p.x(), p.y()]
    };
    [at(0), at(1)]
}

fn sites_csv([a, b]: [[f64; 2]; 2]) -> String {
    format!(
        "名称,类型,经度,纬度,地址,服务内容\n\
         测试驿站甲,芝罘红港驿站,{},{},,理发；助餐\n\
         测试驿站乙,station,{},{},,\n\
         待落点驿站,station,,,幸福路1号,\n",
        a[0], a[1], b[0], b[1]
    )
}

async fn send_raw(
    server: &Server,
    method: &str,
    uri: &str,
    token: Option<&str>,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Vec<u8>) {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", content_type);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = server
        .live
        .router()
        .oneshot(request.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = response.status().as_u16();
    (
        status,
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
}

async fn upload(server: &Server, query: &str, content_type: &str, body: Vec<u8>) -> (u16, Value) {
    let uri = format!("/api/v1/import?{query}");
    let (status, bytes) = send_raw(
        server,
        "POST",
        &uri,
        Some(&server.admin),
        content_type,
        body,
    )
    .await;
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[tokio::test]
async fn a_gbk_csv_with_chinese_headings_imports_its_sites_and_lists_the_unplaced() {
    let Some(server) = server().await else { return };
    let points = two_points(&server);
    let text = sites_csv(points);
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let dir = temp_dir("gbk-csv");
    let path = write(&dir, "sites.csv", &gbk);
    let inputs = || postgis::import::inputs(std::slice::from_ref(&path), None).unwrap();

    let before = dump(&server.pool).await;
    let dry = Options {
        dry_run: true,
        ..Default::default()
    };
    let planned = postgis::import::import_inputs(&server.pool, inputs(), dry)
        .await
        .unwrap();
    assert_eq!(dump(&server.pool).await, before, "a dry run writes nothing");
    let done = postgis::import::import_inputs(&server.pool, inputs(), Options::default())
        .await
        .unwrap();
    assert_eq!(
        planned.changes, done.changes,
        "the dry run's diff is the commit's"
    );
    assert_eq!(
        (
            done.changes[0].added,
            done.changes[0].changed,
            done.unplaced
        ),
        (2, 0, 1)
    );

    let stored: Vec<(String, Value)> = sqlx::query_as::<_, (String, String)>(
        "SELECT id, props::text FROM sites WHERE props->>'name' LIKE '测试驿站%' ORDER BY id",
    )
    .fetch_all(&server.pool)
    .await
    .unwrap()
    .into_iter()
    .map(|(id, p)| (id, serde_json::from_str(&p).unwrap()))
    .collect();
    assert_eq!(stored.len(), 2);
    assert_eq!(
        done.changes[0].added_ids,
        stored.iter().map(|(id, _)| id.clone()).collect::<Vec<_>>()
    );
    assert!(
        stored
            .iter()
            .all(|(id, p)| id.starts_with('S') && p["kind"] == "station")
    );
    assert_eq!(stored[0].1["services"], json!(["理发", "助餐"]));
    let unplaced: Vec<String> = sqlx::query_scalar("SELECT props->>'address' FROM unplaced_sites")
        .fetch_all(&server.pool)
        .await
        .unwrap();
    assert_eq!(unplaced, ["幸福路1号"]);
}

#[tokio::test]
async fn spreadsheets_and_gdal_shapefiles_read_as_the_same_sites() {
    let Some(server) = server().await else { return };
    let points = two_points(&server);
    let csv = File {
        name: "sites.csv".to_owned(),
        format: formats::Format::Csv,
        bytes: sites_csv(points).into_bytes(),
        parts: Default::default(),
    };
    let from_csv = formats::read(&csv, true, ReadOptions::default()).unwrap();

    // The same rows as an XLSX workbook, numbers as numbers.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let text = sites_csv(points);
    for (r, line) in text.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell.parse::<f64>() {
                Ok(n) if r > 0 => sheet.write_number(r, c, n).map(|_| ()),
                _ => sheet.write_string(r, c, cell).map(|_| ()),
            }
            .unwrap();
        }
    }
    let xlsx = File {
        name: "sites.xlsx".to_owned(),
        format: formats::Format::Workbook,
        bytes: book.save_to_buffer().unwrap(),
        parts: Default::default(),
    };
    assert_eq!(
        formats::read(&xlsx, true, ReadOptions::default()).unwrap(),
        from_csv
    );

    // GDAL writes the placed sites as a shapefile in CGCS2000 / 3-degree GK CM 120E
    // (EPSG:4549) with GBK attributes and a .cpg; we read it back to WGS-84.
    let dir = temp_dir("shapefile");
    let placed: Vec<Value> = from_csv["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["geometry"].is_null())
        .cloned()
        .collect();
    let source = write(
        &dir,
        "in.geojson",
        json!({"type": "FeatureCollection", "features": placed})
            .to_string()
            .as_bytes(),
    );
    let shp = dir.join("sites.shp");
    let made = std::process::Command::new("ogr2ogr")
        .args([
            "-f",
            "ESRI Shapefile",
            "-t_srs",
            "EPSG:4549",
            "-lco",
            "ENCODING=GBK",
        ])
        .arg(&shp)
        .arg(&source)
        .output()
        .expect("ogr2ogr (Debian gdal-bin) is installed");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(
        std::fs::read_to_string(dir.join("sites.prj"))
            .unwrap()
            .contains("120")
    );
    let from_shp = formats::read(
        &File::from_path(&shp).unwrap(),
        true,
        ReadOptions::default(),
    )
    .unwrap();
    let features = from_shp["features"].as_array().unwrap();
    assert_eq!(features.len(), 2);
    for (got, want) in features.iter().zip(&placed) {
        assert_eq!(
            got["properties"]["name"], want["properties"]["name"],
            "GBK decoded by the .cpg"
        );
        assert_eq!(got["properties"]["kind"], "station");
        for i in 0..2 {
            let (g, w) = (
                got["geometry"]["coordinates"][i].as_f64().unwrap(),
                want["geometry"]["coordinates"][i].as_f64().unwrap(),
            );
            assert!((g - w).abs() < 1e-8, "coordinate {i}: {g} against {w}");
        }
    }

    // The same parts zipped, as an upload sends them.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
        zip.start_file(
            format!("sites.{ext}"),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        std::io::Write::write_all(&mut zip, &std::fs::read(shp.with_extension(ext)).unwrap())
            .unwrap();
    }
    let zipped = File {
        name: "sites.zip".to_owned(),
        format: formats::Format::Zip,
        bytes: zip.finish().unwrap().into_inner(),
        parts: Default::default(),
    };
    assert_eq!(
        formats::read(&zipped, true, ReadOptions::default()).unwrap(),
        from_shp
    );
}

#[tokio::test]
async fn http_import_dry_runs_commits_and_refuses_with_chinese_messages() {
    let Some(server) = server().await else { return };
    let points = two_points(&server);
    let mut csv = b"\xEF\xBB\xBF".to_vec();
    csv.extend_from_slice(sites_csv(points).as_bytes());

    let (status, _) = send_raw(
        &server,
        "POST",
        "/api/v1/import?layer=sites",
        None,
        "text/csv",
        csv.clone(),
    )
    .await;
    assert_eq!(status, 401);
    let (status, _) = send_raw(
        &server,
        "POST",
        "/api/v1/import?layer=sites",
        Some(&server.viewer),
        "text/csv",
        csv.clone(),
    )
    .await;
    assert_eq!(status, 403);
    let (status, body) = upload(&server, "layer=nowhere", "text/csv", csv.clone()).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errors"][0]["pointer"], "/layer");
    let (status, _) = upload(&server, "layer=sites", "image/png", csv.clone()).await;
    assert_eq!(status, 415);
    let (status, body) = upload(
        &server,
        "layer=sites",
        "text/csv",
        vec![b'a'; (64 << 20) + 1],
    )
    .await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["type"], "urn:redgrid:problem:payload-too-large");

    let before = dump(&server.pool).await;
    let (status, report) =
        upload(&server, "layer=sites&dry_run=true", "text/csv", csv.clone()).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        (report["accepted"].clone(), report["dry_run"].clone()),
        (json!(true), json!(true))
    );
    assert_eq!(
        report["changes"][0]["added_ids"].as_array().unwrap().len(),
        2
    );
    assert_eq!(report["unplaced"], 1);
    assert_eq!(dump(&server.pool).await, before, "a dry run writes nothing");

    let broken = "名称,类型,经度,纬度\n坏驿站,shop,121.4,37.5\n另一个,station,东边,37.5\n";
    let (status, report) = upload(
        &server,
        "layer=sites&dry_run=true",
        "text/csv; charset=utf-8",
        broken.into(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(report["accepted"], false);
    let problems = report["problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|p| p["field"] == "lon" && p["message_zh"].as_str().unwrap().contains("应为数字")),
        "{report}"
    );
    let (status, refused) = upload(&server, "layer=sites", "text/csv", broken.into()).await;
    assert_eq!(status, 422, "{refused}");
    assert!(!refused["problems"].as_array().unwrap().is_empty());
    assert!(
        refused["problems"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["reason_zh"].is_string())
    );
    assert_eq!(dump(&server.pool).await, before, "a refusal writes nothing");

    // Committed as a multipart upload: visible at once in the console's table.
    let boundary = "redgridboundary";
    let mut form = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"sites.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    form.extend_from_slice(&csv);
    form.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let (status, report) = upload(
        &server,
        "layer=sites",
        &format!("multipart/form-data; boundary={boundary}"),
        form,
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["accepted"], true);
    let listed = server
        .admin("GET", "/api/v1/admin/records/sites?q=测试驿站", None)
        .await;
    assert_eq!(listed.json["total"], 2, "{}", listed.json);
    let anonymous = server
        .send("GET", "/api/v1/admin/records/sites", None, None, None)
        .await;
    assert_eq!(anonymous.status, 401);

    // The address-only site waits, and is placed by a click.
    let waiting = server.admin("GET", "/api/v1/admin/unplaced", None).await;
    assert_eq!(
        waiting.json.as_array().unwrap().len(),
        1,
        "{}",
        waiting.json
    );
    let id = waiting.json[0]["id"].as_i64().unwrap();
    let at = json!({"lon": points[0][0], "lat": points[0][1]});
    let placed = server
        .admin(
            "POST",
            &format!("/api/v1/admin/unplaced/{id}/place"),
            Some(at),
        )
        .await;
    assert_eq!(placed.status, 201, "{}", placed.json);
    assert_eq!(placed.json["properties"]["address"], "幸福路1号");
    assert!(
        placed.json["properties"]["grid_id"].is_string(),
        "areas derived: {}",
        placed.json
    );
    let waiting = server.admin("GET", "/api/v1/admin/unplaced", None).await;
    assert_eq!(waiting.json, json!([]));

    // The audit log names the import; a site's creation is reverted from it.
    let log = server
        .admin("GET", "/api/v1/admin/audit?limit=10", None)
        .await;
    let entries = log.json.as_array().unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e["action"] == "import" && e["layer"] == "sites"),
        "{}",
        log.json
    );
    let created = entries
        .iter()
        .find(|e| e["action"] == "create")
        .expect("the placing");
    let site = created["record_id"].as_str().unwrap().to_owned();
    let refused = server
        .admin(
            "POST",
            &format!(
                "/api/v1/admin/audit/{}/revert",
                entries.iter().find(|e| e["action"] == "import").unwrap()["id"]
            ),
            None,
        )
        .await;
    assert_eq!(
        refused.status, 409,
        "an import entry names no record: {}",
        refused.json
    );
    let reverted = server
        .admin(
            "POST",
            &format!("/api/v1/admin/audit/{}/revert", created["id"]),
            None,
        )
        .await;
    assert_eq!(reverted.status, 200, "{}", reverted.json);
    let gone = server
        .admin("GET", &format!("/api/v1/sites/{site}"), None)
        .await;
    assert_eq!(gone.status, 404);
}

#[tokio::test]
async fn an_exported_dataset_imports_back_as_no_change() {
    let Some(server) = server().await else { return };
    // A write first, so the export holds more than the fixture's files.
    let points = two_points(&server);
    let (status, _) = upload(
        &server,
        "layer=sites",
        "text/csv",
        sites_csv(points).into_bytes(),
    )
    .await;
    assert_eq!(status, 200);
    let (status, zipped) = send_raw(
        &server,
        "GET",
        "/api/v1/admin/export",
        Some(&server.admin),
        "application/json",
        Vec::new(),
    )
    .await;
    assert_eq!(status, 200);
    let dir = temp_dir("export");
    zip::ZipArchive::new(std::io::Cursor::new(zipped.clone()))
        .unwrap()
        .extract(&dir)
        .unwrap();
    assert!(dir.join("sites.geojson").is_file() && dir.join("workers.json").is_file());

    let before = dump(&server.pool).await;
    let imported =
        postgis::import::import(&server.pool, std::slice::from_ref(&dir), Options::default())
            .await
            .unwrap();
    for change in &imported.changes {
        assert_eq!(
            (change.added, change.changed, change.removed),
            (0, 0, 0),
            "{change:?}"
        );
    }
    assert_eq!(
        dump(&server.pool).await,
        before,
        "export → import is a no-op"
    );
    let (status, report) = upload(
        &server,
        "layer=sites&dry_run=true",
        "application/geo+json",
        std::fs::read(dir.join("sites.geojson")).unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(report["changes"][0]["added"], 0);
    assert_eq!(report["changes"][0]["changed"], 0);
    let (_, again) = send_raw(
        &server,
        "GET",
        "/api/v1/admin/export",
        Some(&server.admin),
        "application/json",
        Vec::new(),
    )
    .await;
    assert_eq!(
        again.len(),
        zipped.len(),
        "the same dataset exports the same"
    );
}

#[tokio::test]
async fn a_second_import_while_one_runs_is_told_to_come_back() {
    let Some(server) = server().await else { return };
    let points = two_points(&server);
    let csv = sites_csv(points).into_bytes();
    let query = "layer=sites&dry_run=true";
    let (first, second) = tokio::join!(
        upload(&server, query, "text/csv", csv.clone()),
        upload(&server, query, "text/csv", csv.clone()),
    );
    assert_eq!(first.0, 200, "{}", first.1);
    assert_eq!(second.0, 409, "{}", second.1);
    assert!(
        second.1["detail"]
            .as_str()
            .unwrap()
            .contains("another import")
    );
    // Once the first has finished, the next goes through.
    let (status, body) = upload(&server, query, "text/csv", csv).await;
    assert_eq!(status, 200, "{body}");
}
