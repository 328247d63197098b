//! OGC API – Features: landing page, conformance, collections, paged items.

use crate::common::{PUBLIC, assert_problem, get, send};

#[tokio::test]
async fn landing_page_links_what_clients_need() {
    let r = get("/ogc").await;
    assert_eq!(r.status, 200);
    let rels: Vec<&str> = r.json["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["rel"].as_str().unwrap())
        .collect();
    for rel in ["self", "service-desc", "conformance", "data"] {
        assert!(rels.contains(&rel), "{rel} missing: {rels:?}");
    }
    let conformance = get("/ogc/conformance").await;
    let classes = conformance.json["conformsTo"].as_array().unwrap();
    assert!(
        classes
            .iter()
            .any(|c| c.as_str().unwrap().ends_with("/conf/core"))
    );
    assert!(
        classes
            .iter()
            .any(|c| c.as_str().unwrap().ends_with("/conf/geojson"))
    );
}

#[tokio::test]
async fn collections_list_layers_but_never_personal_data() {
    let r = get("/ogc/collections").await;
    let ids: Vec<&str> = r.json["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 9, "{ids:?}");
    assert!(ids.contains(&"grids") && ids.contains(&"sites"));
    assert!(
        !ids.iter()
            .any(|id| id.contains("worker") || id.contains("head"))
    );
    for id in ["workers", "building_heads", "nope"] {
        assert_problem(&get(&format!("/ogc/collections/{id}")).await, 404, None);
        assert_problem(
            &get(&format!("/ogc/collections/{id}/items")).await,
            404,
            None,
        );
    }
    let grids = get("/ogc/collections/grids").await;
    assert_eq!(grids.json["extent"]["spatial"]["bbox"][0][0], 121.38);
}

#[tokio::test]
async fn the_public_profile_hides_inner_boundaries() {
    let r = send(&PUBLIC, "GET", "/ogc/collections", None).await;
    let ids: Vec<&str> = r.json["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&"grids") && !ids.contains(&"streets") && !ids.contains(&"communities"));
    assert!(ids.contains(&"sites") && ids.contains(&"district"));
    assert_problem(
        &send(&PUBLIC, "GET", "/ogc/collections/grids/items", None).await,
        404,
        None,
    );
}

#[tokio::test]
async fn items_are_paged_with_next_links_and_counts() {
    let r = get("/ogc/collections/sites/items?limit=2").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type, "application/geo+json");
    assert_eq!(r.json["type"], "FeatureCollection");
    assert_eq!(r.json["numberMatched"], 5);
    assert_eq!(r.json["numberReturned"], 2);
    assert_eq!(r.json["features"][0]["id"], "S1");
    assert_eq!(r.json["features"][0]["properties"]["kind"], "station");
    let next = r.json["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "next")
        .expect("next link")["href"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(next.starts_with("http://"), "{next}");
    let path = &next[next.find("/ogc").unwrap()..];
    let page2 = get(path).await;
    assert_eq!(page2.json["features"][0]["id"], "S3");
    let last = get("/ogc/collections/sites/items?limit=2&offset=4").await;
    assert_eq!(last.json["numberReturned"], 1);
    assert!(
        !last.json["links"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["rel"] == "next")
    );
    let beyond = get("/ogc/collections/sites/items?offset=99").await;
    assert_eq!(beyond.json["numberReturned"], 0);
}

#[tokio::test]
async fn bbox_filters_by_intersection() {
    // Only the west half: B1 and B2.
    let r = get("/ogc/collections/buildings/items?bbox=121.380,37.530,121.384,37.538").await;
    assert_eq!(r.json["numberMatched"], 2, "{}", r.json);
    let r = get("/ogc/collections/buildings/items?bbox=0,0,1,1").await;
    assert_eq!(r.json["numberMatched"], 0);
}

#[tokio::test]
async fn one_item_by_id() {
    let r = get("/ogc/collections/grids/items/G370602902001001").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["properties"]["code"], "370602902001001");
    assert_eq!(r.json["geometry"]["type"], "Polygon");
    assert_problem(&get("/ogc/collections/grids/items/nope").await, 404, None);
}

#[tokio::test]
async fn bad_item_queries_are_400_problems() {
    let cases = [
        ("limit=0", "/limit"),
        ("limit=-1", "/limit"),
        ("limit=ten", "/limit"),
        ("offset=-5", "/offset"),
        ("bbox=1,2,3", "/bbox"),
        ("bbox=121.39,37.53,121.38,37.54", "/bbox"),
        ("bbox=a,b,c,d", "/bbox"),
        ("bbox=0,0,NaN,1", "/bbox"),
        ("bbox=-200,0,0,1", "/bbox"),
        ("f=html", "/f"),
    ];
    for (query, pointer) in cases {
        let r = get(&format!("/ogc/collections/sites/items?{query}")).await;
        assert_problem(&r, 400, Some(pointer));
    }
    // Over the maximum is clamped, as the standard requires, not refused.
    let r = get("/ogc/collections/sites/items?limit=1000000").await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn undecodable_paths_are_400_problems() {
    assert_problem(
        &get("/ogc/collections/%FF%FE/items").await,
        400,
        Some("/path"),
    );
    assert_problem(
        &get("/ogc/collections/sites/items/%C0").await,
        400,
        Some("/path"),
    );
}
