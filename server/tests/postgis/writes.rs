//! Writes over HTTP against a real PostGIS: roles, generated ids and derived areas,
//! `If-Match`, validation naming the field, the audit log with before and after and
//! reverting from it, workers deactivated and reassigned, attributes patched, and
//! every write visible at once to the server that took it.

use std::path::PathBuf;

use axum::body::Body;
use axum::http::Request;
use clap::Parser;
use http_body_util::BodyExt;
use redgrid::auth::Role;
use redgrid::config::{Cli, Command};
use redgrid::geo::Crs;
use redgrid::http::live::LiveApp;
use redgrid::store::postgis::{self, import::Mode};
use serde_json::{Value, json};
use sqlx::PgPool;
use tower::ServiceExt;

use super::{fresh_database_url, options};

pub struct Reply {
    pub status: u16,
    pub etag: Option<String>,
    pub json: Value,
}

pub struct Server {
    pub live: LiveApp,
    pub pool: PgPool,
    pub url: String,
    pub admin: String,
    pub viewer: String,
}

impl Server {
    pub async fn send(
        &self,
        method: &str,
        uri: &str,
        token: Option<&str>,
        body: Option<Value>,
        if_match: Option<&str>,
    ) -> Reply {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        if let Some(version) = if_match {
            request = request.header("if-match", version);
        }
        let body = match body {
            Some(json) => {
                request = request.header("content-type", "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        let response = self
            .live
            .router()
            .oneshot(request.body(body).unwrap())
            .await
            .unwrap();
        let status = response.status().as_u16();
        let etag = response
            .headers()
            .get("etag")
            .map(|v| v.to_str().unwrap().to_owned());
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            etag,
            json: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        }
    }

    pub async fn admin(&self, method: &str, uri: &str, body: Option<Value>) -> Reply {
        self.send(method, uri, Some(&self.admin), body, None).await
    }
}

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/district")
}

/// The fixture imported into a fresh database, served the way `serve --database-url`
/// serves it, with an admin and a viewer token kept in the database.
pub async fn server() -> Option<Server> {
    let (pool, url) = fresh_database_url().await?;
    postgis::migrate(&pool).await.unwrap();
    postgis::import::import(&pool, &[fixture()], options(Mode::Upsert, Crs::Wgs84))
        .await
        .unwrap();
    let admin = postgis::create_token(&pool, Role::Admin, "tests")
        .await
        .unwrap();
    let viewer = postgis::create_token(&pool, Role::Viewer, "tests")
        .await
        .unwrap();
    let Command::Serve(config) =
        Cli::parse_from(["redgrid", "serve", "--database-url", &url]).command
    else {
        unreachable!()
    };
    let state = redgrid::open_state(&config).await.unwrap();
    Some(Server {
        live: LiveApp::new(state),
        pool,
        url,
        admin,
        viewer,
    })
}

/// A point on the fixture's walking network, inside a grid.
pub fn on_network(server: &Server) -> [f64; 2] {
    let state = server.live.state();
    let ds = state.store.dataset();
    ds.network
        .iter()
        .flat_map(|e| e.geometry.0.iter())
        .map(|c| [c.x, c.y])
        .find(|&[x, y]| {
            let p = redgrid::geo::LonLat::new(x, y).unwrap();
            redgrid::locate::locate(ds, &state.indexes, p).is_ok_and(|l| l.grid.is_some())
        })
        .expect("a network vertex inside a grid")
}

fn new_site(at: [f64; 2]) -> Value {
    json!({
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": at},
        "properties": {"kind": "station", "name": "新建红港驿站"},
    })
}

/// The audit entries of edits and reads (the fixture's import is logged before them).
async fn audit(pool: &PgPool) -> Vec<(i64, String, Option<String>, Option<Value>, Option<Value>)> {
    sqlx::query_as::<_, (i64, String, Option<String>, Option<String>, Option<String>)>(
        "SELECT id, action, record_id, before::text, after::text FROM audit_log \
         WHERE action <> 'import' ORDER BY id",
    )
    .fetch_all(pool)
    .await
    .unwrap()
    .into_iter()
    .map(|(id, action, record, before, after)| {
        let parse = |t: Option<String>| t.map(|t| serde_json::from_str(&t).unwrap());
        (id, action, record, parse(before), parse(after))
    })
    .collect()
}

#[tokio::test]
async fn a_site_is_created_changed_and_removed_with_versions_and_an_audit_trail() {
    let Some(s) = server().await else {
        return;
    };
    let at = on_network(&s);
    assert_eq!(
        s.send("POST", "/api/v1/sites", None, Some(new_site(at)), None)
            .await
            .status,
        401
    );
    let viewer = s.viewer.clone();
    assert_eq!(
        s.send(
            "POST",
            "/api/v1/sites",
            Some(&viewer),
            Some(new_site(at)),
            None
        )
        .await
        .status,
        403
    );

    let created = s.admin("POST", "/api/v1/sites", Some(new_site(at))).await;
    assert_eq!(created.status, 201, "{}", created.json);
    assert_eq!(created.etag.as_deref(), Some("\"1\""));
    let id = created.json["id"].as_str().unwrap().to_owned();
    let props = &created.json["properties"];
    assert_eq!(props["network"], "honggang", "a station's network defaults");
    let state = s.live.state();
    let ds = state.store.dataset();
    let p = redgrid::geo::LonLat::new(at[0], at[1]).unwrap();
    let located = redgrid::locate::locate(ds, &state.indexes, p).unwrap();
    let grid = &ds.grids[located.grid.unwrap()].props;
    assert_eq!(
        props["grid_id"],
        grid.id.to_string(),
        "the grid is where it stands"
    );
    assert_eq!(props["community_id"], grid.community_id.to_string());
    assert!(
        ds.sites.iter().any(|site| site.props.id.as_str() == id),
        "read-your-writes"
    );
    let nearest = s
        .send(
            "GET",
            &format!("/api/v1/nearest?lon={}&lat={}&k=1", at[0], at[1]),
            None,
            None,
            None,
        )
        .await;
    assert_eq!(
        nearest.json["features"][0]["properties"]["id"],
        id.as_str(),
        "{}",
        nearest.json
    );
    let health = s.send("GET", "/api/v1/health", None, None, None).await;
    assert_eq!(health.json["reloads"], 1);
    assert_eq!(health.json["backend"], "postgis");

    // If-Match: the current version passes, a stale one is refused and changes nothing.
    let rename = json!({"properties": {"name": "改名驿站", "hours": null}});
    let uri = format!("/api/v1/sites/{id}");
    let renamed = s
        .send(
            "PATCH",
            &uri,
            Some(&s.admin),
            Some(rename.clone()),
            Some("\"1\""),
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.json);
    assert_eq!(renamed.etag.as_deref(), Some("\"2\""));
    assert_eq!(renamed.json["properties"]["name"], "改名驿站");
    let stale = s
        .send(
            "PATCH",
            &uri,
            Some(&s.admin),
            Some(json!({"properties": {"name": "x"}})),
            Some("\"1\""),
        )
        .await;
    assert_eq!(stale.status, 412, "{}", stale.json);
    let read = s.send("GET", &uri, None, None, None).await;
    assert_eq!(read.json["properties"]["name"], "改名驿站");
    assert_eq!(read.etag.as_deref(), Some("\"2\""));

    let removed = s
        .send("DELETE", &uri, Some(&s.admin), None, Some("\"2\""))
        .await;
    assert_eq!(removed.status, 204);
    assert_eq!(s.send("GET", &uri, None, None, None).await.status, 404);
    assert_eq!(s.admin("DELETE", &uri, None).await.status, 404);

    let log = audit(&s.pool).await;
    let actions: Vec<&str> = log.iter().map(|e| e.1.as_str()).collect();
    assert_eq!(actions, ["create", "update", "delete"]);
    assert!(log.iter().all(|e| e.2.as_deref() == Some(id.as_str())));
    assert_eq!(log[0].3, None);
    assert_eq!(
        log[1].3.as_ref().unwrap()["properties"]["name"],
        "新建红港驿站"
    );
    assert_eq!(log[1].4.as_ref().unwrap()["properties"]["name"], "改名驿站");
    assert_eq!(log[2].4, None);

    // Reverting the deletion brings the site back as it was; reverting the creation
    // now is refused, as the record has changed since.
    let delete_entry = log[2].0;
    let refused = postgis::edit::revert(&s.pool, log[0].0, "tests").await;
    assert!(refused.unwrap_err().to_string().contains("changed since"));
    postgis::edit::revert(&s.pool, delete_entry, "tests")
        .await
        .unwrap();
    s.live.refresh().await.unwrap();
    let back = s.send("GET", &uri, None, None, None).await;
    assert_eq!(back.status, 200);
    assert_eq!(back.json["properties"]["name"], "改名驿站");
    assert_eq!(
        audit(&s.pool).await.last().unwrap().1,
        format!("revert {delete_entry}")
    );
}

#[tokio::test]
async fn bad_writes_are_problems_naming_the_field_and_store_nothing() {
    let Some(s) = server().await else {
        return;
    };
    let at = on_network(&s);
    let mut without_kind = new_site(at);
    without_kind["properties"]
        .as_object_mut()
        .unwrap()
        .remove("kind");
    let mut unknown_kind = new_site(at);
    unknown_kind["properties"]["kind"] = json!("castle");
    let mut given_id = new_site(at);
    given_id["properties"]["id"] = json!("S1");
    let mut unknown_host = new_site(at);
    unknown_host["properties"]["host_site_id"] = json!("S-NOWHERE");
    let mut unknown_gate = new_site(at);
    unknown_gate["properties"]["entrance"] = json!({"compound_id": "K-NOWHERE", "gate": 0});
    let mut gate_of_nothing = new_site(at);
    gate_of_nothing["properties"]["entrance"] = json!({"gate": 0});
    let mut dropped_member = new_site(at);
    dropped_member["properties"]["phone"] = json!("13800138000");
    let mut wrong_street = new_site(at);
    wrong_street["properties"]["street_id"] = json!("370602999");
    let mut nul = new_site(at);
    nul["properties"]["name"] = json!("驿\u{0}站");
    let cases = [
        (without_kind, "/body/properties/kind"),
        (unknown_kind, "/body/properties/kind"),
        (given_id, "/body/properties/id"),
        (unknown_host, "/body/properties/host_site_id"),
        (unknown_gate, "/body/properties/entrance"),
        (gate_of_nothing, "/body/properties/entrance"),
        (dropped_member, "/body/properties/phone"),
        (wrong_street, "/body/properties/street_id"),
        (nul, "/body/properties/name"),
        (new_site([122.9, 38.9]), "/body/geometry"),
        (new_site([200.0, 37.5]), "/body/geometry"),
        (
            json!({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [at, at]}, "properties": {"kind": "station", "name": "x"}}),
            "/body/geometry",
        ),
        (
            json!({"type": "Feature", "geometry": null, "properties": {"kind": "station", "name": "x"}, "extra": 1}),
            "/body/extra",
        ),
        (json!([1, 2]), "/body"),
    ];
    for (body, pointer) in cases {
        let r = s.admin("POST", "/api/v1/sites", Some(body.clone())).await;
        assert_eq!(r.status, 400, "{body}: {}", r.json);
        let pointers: Vec<&str> = r.json["errors"]
            .as_array()
            .map(|e| e.iter().filter_map(|e| e["pointer"].as_str()).collect())
            .unwrap_or_default();
        assert!(pointers.contains(&pointer), "{body}: {}", r.json);
    }
    let bad_match = s
        .send(
            "PATCH",
            "/api/v1/sites/S1",
            Some(&s.admin),
            Some(json!({})),
            Some("yesterday"),
        )
        .await;
    assert_eq!(bad_match.status, 400);
    let grid = s.live.state().store.dataset().grids[0].props.id.to_string();
    let not_editable = s
        .admin(
            "PATCH",
            &format!("/api/v1/grids/{grid}"),
            Some(json!({"properties": {"code": "370602999999999"}})),
        )
        .await;
    assert_eq!(not_editable.status, 400);
    assert_eq!(
        not_editable.json["errors"][0]["pointer"],
        "/body/properties/code"
    );
    let negative = s
        .admin(
            "PATCH",
            &format!("/api/v1/grids/{grid}"),
            Some(json!({"properties": {"population": -5}})),
        )
        .await;
    assert_eq!(negative.status, 400, "{}", negative.json);
    assert!(audit(&s.pool).await.is_empty(), "nothing was written");
    assert_eq!(
        s.send("GET", "/api/v1/health", None, None, None).await.json["reloads"],
        0
    );
}

#[tokio::test]
async fn workers_are_reassigned_and_deactivated_and_attributes_patched() {
    let Some(s) = server().await else {
        return;
    };
    let state = s.live.state();
    let ds = state.store.dataset();
    let (g0, g1) = (
        ds.grids[0].props.id.to_string(),
        ds.grids[1].props.id.to_string(),
    );
    let building = ds.buildings[0].props.id.to_string();
    drop(state);

    let unknown = s
        .admin(
            "POST",
            "/api/v1/workers",
            Some(json!({"name": "王芳", "phone": "13800000000", "grid_ids": ["G-NOWHERE"]})),
        )
        .await;
    assert_eq!(unknown.status, 400);
    assert_eq!(unknown.json["errors"][0]["pointer"], "/body/grid_ids/0");
    let created = s
        .admin(
            "POST",
            "/api/v1/workers",
            Some(json!({"name": "王芳", "phone": "13800000000", "grid_ids": [g0]})),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.json);
    let id = created.json["id"].as_str().unwrap().to_owned();
    let serves = |grid: &str| {
        let state = s.live.state();
        let ds = state.store.dataset();
        ds.workers
            .iter()
            .any(|w| w.id.as_str() == id && w.grid_ids.iter().any(|g| g.as_str() == grid))
    };
    assert!(serves(&g0));
    let moved = s
        .admin(
            "PATCH",
            &format!("/api/v1/workers/{id}"),
            Some(json!({"grid_ids": [g1]})),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.json);
    assert!(serves(&g1) && !serves(&g0));
    assert_eq!(
        s.admin("DELETE", &format!("/api/v1/workers/{id}"), None)
            .await
            .status,
        204
    );
    assert!(
        !s.live
            .state()
            .store
            .dataset()
            .workers
            .iter()
            .any(|w| w.id.as_str() == id)
    );
    assert_eq!(
        s.admin(
            "PATCH",
            &format!("/api/v1/workers/{id}"),
            Some(json!({"name": "x"}))
        )
        .await
        .status,
        404
    );
    // Members a worker has no place for are refused by name, never dropped; so is a
    // NUL character, which no store keeps, on a path as in a body.
    let w = s.live.state().store.dataset().workers[0].id.to_string();
    let sneaky = s
        .admin(
            "PATCH",
            &format!("/api/v1/workers/{w}"),
            Some(json!({"role": "admin", "token": "x"})),
        )
        .await;
    assert_eq!(sneaky.status, 400, "{}", sneaky.json);
    let pointers: Vec<&str> = sneaky.json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["pointer"].as_str())
        .collect();
    assert_eq!(pointers, ["/body/role", "/body/token"]);
    let nul = s
        .admin(
            "PATCH",
            &format!("/api/v1/workers/{w}"),
            Some(json!({"name": "张\u{0}三"})),
        )
        .await;
    assert_eq!(nul.status, 400, "{}", nul.json);
    assert_eq!(nul.json["errors"][0]["pointer"], "/body/name");
    for (method, uri) in [
        ("GET", "/api/v1/sites/S%001"),
        ("PATCH", "/api/v1/workers/W%00"),
    ] {
        let r = s.admin(method, uri, Some(json!({}))).await;
        assert_eq!(r.status, 400, "{uri}: {}", r.json);
        assert_eq!(r.json["errors"][0]["pointer"], "/path", "{uri}");
    }

    let grid = s
        .admin(
            "PATCH",
            &format!("/api/v1/grids/{g0}"),
            Some(json!({"properties": {"population": 1234}})),
        )
        .await;
    assert_eq!(grid.status, 200, "{}", grid.json);
    let b = s
        .admin(
            "PATCH",
            &format!("/api/v1/buildings/{building}"),
            Some(json!({"properties": {"address": "新地址1号", "population": 77}})),
        )
        .await;
    assert_eq!(b.status, 200, "{}", b.json);
    let state = s.live.state();
    let ds = state.store.dataset();
    assert_eq!(ds.grids[0].props.population, 1234);
    assert_eq!(ds.buildings[0].props.address, "新地址1号");
    assert_eq!(ds.buildings[0].props.population, 77);

    // Each reload read only the changed tables; the result is what reading
    // everything afresh gives.
    let (fresh, versions) = postgis::load(&s.pool, redgrid::config::Profile::Internal)
        .await
        .unwrap();
    assert_eq!(fresh.versions(), ds.versions());
    let full = redgrid::AppState::new(
        redgrid::store::Store::Postgis {
            dataset: fresh,
            pool: s.pool.clone(),
            versions,
        },
        Default::default(),
        redgrid::config::Profile::Internal,
        false,
        PathBuf::from("web/dist"),
    );
    super::import::assert_same_answers(&full, &state).await;
}

#[tokio::test]
async fn unmasked_reads_of_personal_data_are_logged() {
    let Some(s) = server().await else {
        return;
    };
    let at = on_network(&s);
    let uri = format!("/api/v1/locate?lon={}&lat={}", at[0], at[1]);
    let anonymous = s.send("GET", &uri, None, None, None).await;
    assert_eq!(anonymous.json["personal_data"], "masked");
    let admin = s.admin("GET", &uri, None).await;
    assert_eq!(admin.json["personal_data"], "unmasked", "{}", admin.json);
    let mut logged = Vec::new();
    for _ in 0..50 {
        logged = audit(&s.pool).await;
        if !logged.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        logged.len(),
        1,
        "one unmasked read, none for the masked one"
    );
    assert_eq!(logged[0].1, "read_unmasked");
    assert_eq!(logged[0].2.as_deref(), Some("locate"));
    let actor: String = sqlx::query_scalar("SELECT actor FROM audit_log WHERE action <> 'import'")
        .fetch_one(&s.pool)
        .await
        .unwrap();
    assert!(
        actor.starts_with("admin token ") && !actor.contains(&s.admin),
        "{actor}"
    );
}
