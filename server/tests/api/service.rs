//! Health, layers, the OpenAPI document, routing errors and write authorisation.

use crate::common::{ADMIN, INTERNAL, PUBLIC, VIEWER, assert_problem, get, send};

#[tokio::test]
async fn health_counts_the_fixture() {
    let r = get("/api/v1/health").await;
    assert_eq!(r.status, 200);
    let j = &r.json;
    assert_eq!(j["status"], "ok");
    assert_eq!(j["backend"], "memory");
    assert_eq!(j["profile"], "internal");
    assert_eq!(j["synthetic"], true);
    let expected = [
        ("streets", 2),
        ("communities", 3),
        ("grids", 4),
        ("compounds", 1),
        ("buildings", 3),
        ("sites", 5),
        ("stations", 2),
        ("workers", 2),
        ("building_heads", 2),
        ("network_nodes", 4),
        ("network_edges", 3),
    ];
    for (key, n) in expected {
        assert_eq!(j["counts"][key], n, "{key}");
    }
    assert_eq!(j["versions"]["grids"].as_str().unwrap().len(), 12);
    let public = send(&PUBLIC, "GET", "/api/v1/health", None).await;
    assert_eq!(public.json["profile"], "public");
    assert_eq!(public.json["counts"]["workers"], 0);
    assert!(public.json["versions"].get("workers").is_none());
}

#[tokio::test]
async fn layers_describe_each_published_layer() {
    let r = get("/api/v1/layers").await;
    let layers = r.json["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 9);
    let grids = layers.iter().find(|l| l["id"] == "grids").unwrap();
    assert_eq!(grids["count"], 4);
    assert_eq!(grids["title"]["zh"], "红色网格");
    assert_eq!(grids["synthetic"], true);
    assert_eq!(
        grids["bbox"],
        serde_json::json!([121.38, 37.53, 121.39, 37.538])
    );
    assert_eq!(grids["links"][0]["href"], "/ogc/collections/grids/items");
    assert!(grids.get("services").is_none());
    // Each service with how many sites offer it, most first, ties by name.
    let sites = layers.iter().find(|l| l["id"] == "sites").unwrap();
    assert_eq!(
        sites["services"],
        serde_json::json!([
            {"name": "低保", "sites": 2}, {"name": "饮水", "sites": 2},
            {"name": "充电", "sites": 1}, {"name": "党务", "sites": 1},
        ])
    );
}

#[tokio::test]
async fn openapi_describes_every_endpoint() {
    let r = get("/api/v1/openapi.json").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["openapi"], "3.1.0");
    let paths = r.json["paths"].as_object().unwrap();
    for path in [
        "/api/v1/health",
        "/api/v1/layers",
        "/api/v1/locate",
        "/api/v1/openapi.json",
        "/api/v1/nearest",
        "/api/v1/isochrone",
        "/api/v1/sites/{id}/service-area",
        "/api/v1/dispatch",
        "/api/v1/coverage",
        "/api/v1/coverage/gaps",
        "/api/v1/catchments",
        "/api/v1/plan/suggest",
        "/api/v1/plan/what-if",
        "/api/v1/plan/scenarios",
        "/api/v1/plan/scenarios/{id}",
        "/api/v1/export/planning.gpkg",
        "/api/v1/sites",
        "/api/v1/sites/{id}",
        "/api/v1/workers",
        "/api/v1/workers/{id}",
        "/api/v1/grids/{id}",
        "/api/v1/buildings/{id}",
        "/api/v1/import",
        "/ogc",
        "/ogc/conformance",
        "/ogc/collections",
        "/ogc/collections/{id}",
        "/ogc/collections/{id}/items",
        "/ogc/collections/{id}/items/{fid}",
    ] {
        assert!(paths.contains_key(path), "{path} undocumented");
    }
    let suggest = &r.json["paths"]["/api/v1/plan/suggest"]["post"]["requestBody"];
    assert!(
        suggest["content"]["application/json"]["schema"].is_object(),
        "{suggest}"
    );
    let locate_params = &r.json["paths"]["/api/v1/locate"]["get"]["parameters"];
    assert_eq!(locate_params.as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn unknown_routes_and_methods_are_problems() {
    assert_problem(&get("/api/v1/nope").await, 404, None);
    assert_problem(
        &send(&INTERNAL, "POST", "/api/v1/health", None).await,
        405,
        None,
    );
    assert_problem(
        &send(&INTERNAL, "DELETE", "/api/v1/locate", None).await,
        405,
        None,
    );
}

#[tokio::test]
async fn writes_need_an_admin_token_and_then_postgis() {
    for (method, uri) in [
        ("POST", "/api/v1/sites"),
        ("PATCH", "/api/v1/sites/S1"),
        ("DELETE", "/api/v1/workers/W1"),
        ("PATCH", "/api/v1/grids/G370602901001001"),
        ("PATCH", "/api/v1/buildings/B1"),
        ("POST", "/api/v1/import"),
    ] {
        assert_problem(&send(&INTERNAL, method, uri, None).await, 401, None);
        assert_problem(&send(&INTERNAL, method, uri, Some(VIEWER)).await, 403, None);
        let r = send(&INTERNAL, method, uri, Some(ADMIN)).await;
        assert_problem(&r, 405, None);
        assert!(
            r.json["detail"]
                .as_str()
                .unwrap()
                .contains("--database-url")
        );
    }
    // The public profile has no write endpoints at all.
    assert_problem(
        &send(&PUBLIC, "POST", "/api/v1/sites", Some(ADMIN)).await,
        404,
        None,
    );
}

#[tokio::test]
async fn without_a_built_page_the_root_explains_how_to_build_it() {
    // The fixture state points at web/dist relative to the test's working
    // directory (server/), where no page is built.
    let r = send(&INTERNAL, "GET", "/", None).await;
    assert_eq!(r.status, 200);
    assert!(
        r.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'self'")
    );
}

/// Deterministic pseudo-random query strings against every GET endpoint: the answer
/// is never a 5xx, and every 4xx is a problem document.
#[tokio::test]
async fn random_queries_never_reach_a_5xx() {
    const PIECES: [&str; 24] = [
        "lon", "lat", "crs", "bbox", "limit", "offset", "f", "=", "&", "%", "%zz", "%00", "-", ".",
        "1e999", "NaN", "121.3816", "37.5316", ",", "gcj02", "json", "🙂", "[", "\u{7f}",
    ];
    let paths = [
        "/api/v1/locate",
        "/api/v1/health",
        "/api/v1/layers",
        "/ogc/collections/sites/items",
        "/ogc/collections/grids",
        "/ogc/collections/buildings/items/B1",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..400 {
        let path = paths[(next() % paths.len() as u64) as usize];
        let query: String = (0..next() % 8)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        let uri = format!(
            "{path}?{}",
            query.replace(' ', "%20").replace('\u{7f}', "%7F")
        );
        let Ok(uri) = uri.parse::<axum::http::Uri>() else {
            continue;
        };
        let r = get(&uri.to_string()).await;
        assert!(r.status.as_u16() < 500, "{uri} -> {}", r.status);
        if r.status.is_client_error() {
            assert_problem(&r, r.status.as_u16(), None);
        }
    }
}

/// The value of one sample line of a Prometheus exposition, if present.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test]
async fn metrics_count_requests_by_route_pattern_and_show_the_indexes() {
    // A state of its own, so no other test's requests are counted.
    let state = redgrid::state_for_dir(
        &crate::common::fixture_dir(),
        redgrid::config::Profile::Internal,
        crate::common::tokens(),
    )
    .unwrap();
    for _ in 0..2 {
        assert_eq!(
            send(&state, "GET", "/api/v1/locate?lon=500", None)
                .await
                .status,
            400
        );
    }
    assert_eq!(
        send(&state, "GET", "/api/v1/no/such/path/42", None)
            .await
            .status,
        404
    );
    let site = send(&state, "GET", "/ogc/collections/sites/items/S1", None).await;
    let r = send(&state, "GET", "/metrics", None).await;
    assert_eq!(r.status, 200);
    assert!(
        r.content_type.starts_with("text/plain"),
        "{}",
        r.content_type
    );
    let text = String::from_utf8(r.bytes).unwrap();
    let locate = r#"redgrid_http_requests_total{route="/api/v1/locate",method="GET",status="400"}"#;
    assert_eq!(sample(&text, locate), Some(2.0), "{text}");
    let unmatched = r#"redgrid_http_requests_total{route="unmatched",method="GET",status="404"}"#;
    assert_eq!(sample(&text, unmatched), Some(1.0), "{text}");
    assert!(
        !text.contains("no/such/path"),
        "asked paths are never labels"
    );
    let item = format!(
        r#"redgrid_http_requests_total{{route="/ogc/collections/{{collection_id}}/items/{{feature_id}}",method="GET",status="{}"}}"#,
        site.status.as_u16()
    );
    assert!(
        text.contains(&item) || text.contains("route=\"/ogc/collections/"),
        "{text}"
    );
    assert_eq!(
        sample(
            &text,
            r#"redgrid_http_request_duration_seconds_count{route="/api/v1/locate"}"#
        ),
        Some(2.0)
    );
    assert_eq!(
        sample(&text, r#"redgrid_index_items{name="sites"}"#),
        Some(5.0)
    );
    assert_eq!(
        sample(&text, r#"redgrid_index_items{name="network_edges"}"#),
        Some(3.0)
    );
    assert_eq!(sample(&text, "redgrid_reloads_total"), Some(0.0));
    assert!(
        text.contains(r#"redgrid_data_version_info{layer="sites",version=""#),
        "{text}"
    );
    assert!(text.trim_end().ends_with("# EOF"));

    let live = send(&state, "GET", "/healthz", None).await;
    assert_eq!(
        (live.status.as_u16(), live.bytes.as_slice()),
        (200, b"ok".as_slice())
    );
    let ready = send(&state, "GET", "/readyz", None).await;
    assert_eq!(
        (ready.status.as_u16(), ready.bytes.as_slice()),
        (200, b"ready".as_slice())
    );
}

/// A NUL character in a path or a query is refused alike on the memory backend as
/// on the database's, naming where it is.
#[tokio::test]
async fn a_nul_character_is_a_problem_naming_where_it_is() {
    for (uri, pointer) in [
        ("/api/v1/sites/S%001", "/path"),
        ("/api/v1/nearest?lon=121.38%00&lat=37.53", "/lon"),
        ("/api/v1/search?q=%E5%8D%97%00", "/q"),
    ] {
        let r = get(uri).await;
        assert_problem(&r, 400, Some(pointer));
        assert!(r.json["detail"].is_string(), "{uri}");
    }
}
