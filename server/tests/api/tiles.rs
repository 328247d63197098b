//! Vector tiles, TileJSON and the style on the fixture district: versioned URLs,
//! caching headers, 204 for an empty tile, problems for what is not a tile, and
//! nothing in the style that points away from this server.

use crate::common::{INTERNAL, PUBLIC, assert_problem, get, send};

/// The z/x/y of the tile holding (lon, lat).
fn tile_of(z: u32, lon: f64, lat: f64) -> (u32, u32, u32) {
    let t = redgrid_tiles::TileCoord::containing(z, lon, lat).unwrap();
    (z, t.x(), t.y())
}

#[tokio::test]
async fn tilejson_names_versioned_tiles_and_revalidates_by_etag() {
    let r = get("/tiles/grids.json").await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["tilejson"], "3.0.0");
    let url = r.json["tiles"][0].as_str().unwrap();
    let etag = r.headers["etag"].to_str().unwrap().to_owned();
    let version = etag.trim_matches('"');
    assert!(
        url.ends_with(&format!("/tiles/grids/{{z}}/{{x}}/{{y}}.mvt?v={version}")),
        "{url}"
    );
    assert!(url.starts_with("http://"));
    assert_eq!(r.headers["cache-control"], "no-cache");
    assert_eq!(r.json["vector_layers"][0]["id"], "grids");
    assert!(r.json["vector_layers"][0]["fields"]["code"].is_string());
    let request = axum::http::Request::get("/tiles/grids.json")
        .header("if-none-match", &etag)
        .body(axum::body::Body::empty())
        .unwrap();
    use tower::ServiceExt;
    let again = redgrid::app(INTERNAL.clone())
        .oneshot(request)
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
}

#[tokio::test]
async fn a_versioned_tile_is_immutable_and_decodes_to_the_layer() {
    let version = get("/tiles/grids.json").await.headers["etag"]
        .to_str()
        .unwrap()
        .trim_matches('"')
        .to_owned();
    let (z, x, y) = tile_of(15, 121.385, 37.534);
    let r = get(&format!("/tiles/grids/{z}/{x}/{y}.mvt?v={version}")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type, "application/vnd.mapbox-vector-tile");
    assert_eq!(
        r.headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let reader = mvt_reader::Reader::new(r.bytes.clone()).unwrap();
    assert_eq!(reader.get_layer_names().unwrap(), ["grids"]);
    let features = reader.get_features(0).unwrap();
    assert_eq!(
        features.len(),
        4,
        "the four quarter grids meet at the centre"
    );
    let codes: Vec<String> = features
        .iter()
        .filter_map(|f| match &f.properties.as_ref()?["code"] {
            mvt_reader::feature::Value::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    assert!(codes.iter().all(|c| c.len() == 15), "{codes:?}");
    // Without the version (or with an old one) the same tile is revalidated.
    let stale = get(&format!("/tiles/grids/{z}/{x}/{y}.mvt?v=old")).await;
    assert_eq!(stale.headers["cache-control"], "no-cache");
    assert_eq!(stale.bytes, r.bytes);
}

#[tokio::test]
async fn empty_tiles_are_204_and_bad_ones_are_problems() {
    let (z, x, y) = tile_of(14, 100.0, 20.0);
    assert_eq!(
        get(&format!("/tiles/grids/{z}/{x}/{y}.mvt")).await.status,
        204
    );
    // Buildings start at zoom 14.
    let (z, x, y) = tile_of(12, 121.385, 37.534);
    assert_eq!(
        get(&format!("/tiles/buildings/{z}/{x}/{y}.mvt"))
            .await
            .status,
        204
    );
    for (uri, status) in [
        ("/tiles/grids/3/8/0.mvt", 400),
        ("/tiles/grids/23/0/0.mvt", 400),
        ("/tiles/grids/1/1/x.mvt", 400),
        ("/tiles/grids/1/1/1.png", 400),
        ("/tiles/grids/-1/0/0.mvt", 400),
        ("/tiles/workers/1/1/1.mvt", 404),
        ("/tiles/workers.json", 404),
        ("/tiles/grids.xml", 404),
    ] {
        assert_problem(&get(uri).await, status, None);
    }
}

#[tokio::test]
async fn tiles_are_gzipped_for_clients_that_ask_and_plain_for_the_rest() {
    use http_body_util::BodyExt;
    use std::io::Read;
    use tower::ServiceExt;
    let (z, x, y) = tile_of(15, 121.385, 37.534);
    let fetch = |encoding: &'static str| async move {
        let request = axum::http::Request::get(format!("/tiles/grids/{z}/{x}/{y}.mvt"))
            .header("accept-encoding", encoding)
            .body(axum::body::Body::empty())
            .unwrap();
        let response = redgrid::app(INTERNAL.clone())
            .oneshot(request)
            .await
            .unwrap();
        let encoding = response
            .headers()
            .get("content-encoding")
            .map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(response.headers()["vary"], "accept-encoding");
        let bytes = response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        (encoding, bytes)
    };
    let (gzip, zipped) = fetch("gzip, deflate, br").await;
    assert_eq!(gzip.as_deref(), Some("gzip"));
    let mut inflated = Vec::new();
    flate2::read::GzDecoder::new(&zipped[..])
        .read_to_end(&mut inflated)
        .unwrap();
    for refusing in ["identity", "gzip;q=0"] {
        let (none, plain) = fetch(refusing).await;
        assert_eq!(none, None, "{refusing}");
        assert_eq!(plain, inflated, "the same tile either way");
    }
    assert_eq!(
        mvt_reader::Reader::new(inflated)
            .unwrap()
            .get_layer_names()
            .unwrap(),
        ["grids"]
    );
}

#[tokio::test]
async fn the_public_profile_publishes_no_coverage_and_no_inner_boundaries() {
    for layer in ["coverage", "grids", "communities", "streets"] {
        let r = send(&PUBLIC, "GET", &format!("/tiles/{layer}.json"), None).await;
        assert_problem(&r, 404, None);
    }
    assert_eq!(
        send(&PUBLIC, "GET", "/tiles/sites.json", None).await.status,
        200
    );
    assert_eq!(get("/tiles/coverage.json").await.status, 200);
}

#[tokio::test]
async fn the_style_points_only_at_this_server() {
    let r = get("/style.json").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["version"], 8);
    assert!(r.json.get("glyphs").is_none() && r.json.get("sprite").is_none());
    let sources = r.json["sources"].as_object().unwrap();
    assert!(sources.contains_key("grids") && sources.contains_key("coverage"));
    for (id, source) in sources {
        assert_eq!(
            source["url"],
            format!("http://127.0.0.1:8080/tiles/{id}.json")
        );
    }
    for layer in r.json["layers"].as_array().unwrap() {
        if let Some(source) = layer["source"].as_str() {
            assert!(sources.contains_key(source), "{layer}");
        }
    }
    let text = r.json.to_string();
    assert_eq!(text.matches("http").count(), sources.len());
}

#[tokio::test]
async fn every_style_layer_draws_a_published_layer_and_the_legend_lists_what_is_there() {
    let style = get("/style.json").await.json;
    for layer in style["layers"].as_array().unwrap() {
        let Some(source) = layer["source-layer"].as_str() else {
            continue;
        };
        let tilejson = get(&format!("/tiles/{source}.json")).await;
        assert_eq!(tilejson.status, 200, "{layer}");
        let fields = &tilejson.json["vector_layers"][0]["fields"];
        // Every property a filter or paint reads is one the tiles carry.
        let text = format!("{}{}{}", layer["filter"], layer["paint"], layer["layout"]);
        for got in text.split("[\"get\",\"").skip(1) {
            let field = got.split('"').next().unwrap();
            assert!(fields.get(field).is_some(), "{} reads {field}", layer["id"]);
        }
    }
    let legend = style["metadata"]["redgrid:legend"].as_array().unwrap();
    let kinds: Vec<&str> = legend[0]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    // The fixture's kinds, in legend order (service points first).
    assert_eq!(
        kinds,
        [
            "community_centre",
            "station",
            "co_building",
            "volunteer_team"
        ]
    );
    let sections: Vec<&str> = legend.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(sections, ["sites", "boundaries", "roads", "coverage"]);
    assert_eq!(style["metadata"]["redgrid:district"], "测试区");
    let date = style["metadata"]["redgrid:data_date"].as_str().unwrap();
    assert!(date.len() == 10 && date.starts_with("20"), "{date}");
    let public = send(&PUBLIC, "GET", "/style.json", None).await.json;
    let sections: Vec<&str> = public["metadata"]["redgrid:legend"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(sections, ["sites", "roads"], "no coverage or boundaries");
    assert!(
        public["layers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["source"] != "coverage")
    );
}

#[tokio::test]
async fn sites_tiles_carry_only_service_sites_below_zoom_14_and_labels_once_per_area() {
    let features = |z: u32, layer: &'static str| async move {
        let (z, x, y) = tile_of(z, 121.383, 37.532);
        let r = get(&format!("/tiles/{layer}/{z}/{x}/{y}.mvt")).await;
        assert_eq!(r.status, 200);
        let reader = mvt_reader::Reader::new(r.bytes).unwrap();
        reader.get_features(0).unwrap()
    };
    let kinds = |features: &[mvt_reader::feature::Feature]| -> Vec<String> {
        let mut kinds: Vec<String> = features
            .iter()
            .map(|f| match &f.properties.as_ref().unwrap()["kind"] {
                mvt_reader::feature::Value::String(s) => s.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        kinds.sort();
        kinds.dedup();
        kinds
    };
    assert_eq!(
        kinds(&features(13, "sites").await),
        ["community_centre", "station"]
    );
    assert_eq!(
        kinds(&features(14, "sites").await),
        [
            "co_building",
            "community_centre",
            "station",
            "volunteer_team"
        ]
    );
    let labels = features(12, "labels").await;
    let names: Vec<String> = labels
        .iter()
        .map(|f| format!("{:?}", f.properties.as_ref().unwrap()["name"]))
        .collect();
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(names.len(), unique.len(), "{names:?}");
    assert!(names.iter().any(|n| n.contains("街道")), "{names:?}");
}
