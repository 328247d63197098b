//! Place search on the fixture district: text, pinyin, initials, codes; ranking;
//! what the public profile leaves out; problems for bad queries.

use crate::common::{PUBLIC, assert_problem, get, send};

/// (kind, name, match) of each result.
async fn found(uri: &str) -> Vec<(String, String, String)> {
    let r = get(uri).await;
    assert_eq!(r.status, 200, "{}", r.json);
    r.json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let s = |k: &str| h[k].as_str().unwrap().to_owned();
            (s("kind"), s("name"), s("match"))
        })
        .collect()
}

fn names(results: &[(String, String, String)]) -> Vec<&str> {
    results.iter().map(|r| r.1.as_str()).collect()
}

#[tokio::test]
async fn streets_by_text_pinyin_and_initials_ranked_exact_first() {
    let r = found("/api/v1/search?q=xijiedao").await;
    assert_eq!(r[0], ("street".into(), "西街道".into(), "exact".into()));
    let r = found("/api/v1/search?q=xjd").await;
    assert_eq!(r[0].1, "西街道");
    assert_eq!(r[0].2, "initials");
    // 西一红港驿站 and 西一网格 start with 西一; 西社区 does not.
    let r = found("/api/v1/search?q=%E8%A5%BF%E4%B8%80").await;
    assert_eq!(names(&r)[..2], ["西一网格", "西一红港驿站"]);
    assert!(r.iter().all(|h| h.2 == "prefix"), "{r:?}");
    // Shorter names first among equal matches; fuzzy (within the name) last.
    let r = found("/api/v1/search?q=shequ").await;
    assert!(r.iter().all(|h| h.2 == "fuzzy"), "{r:?}");
    assert!(names(&r).contains(&"南社区"), "{r:?}");
}

#[tokio::test]
async fn grids_by_code_and_sites_by_kind_with_their_place() {
    let r = get("/api/v1/search?q=370602901001002").await;
    let hit = &r.json["results"][0];
    assert_eq!(hit["kind"], "grid");
    assert_eq!(hit["name"], "西二网格");
    assert_eq!(hit["match"], "exact");
    assert_eq!(hit["detail"], "西社区");
    let [lon, lat] = [hit["lon"].as_f64().unwrap(), hit["lat"].as_f64().unwrap()];
    let b = hit["bbox"].as_array().unwrap();
    assert!(b[0].as_f64().unwrap() <= lon && lon <= b[2].as_f64().unwrap());
    assert!(b[1].as_f64().unwrap() <= lat && lat <= b[3].as_f64().unwrap());
    let r = found("/api/v1/search?q=hg&kind=site").await;
    assert!(!r.is_empty() && r.iter().all(|h| h.0 == "site"), "{r:?}");
    let r = get("/api/v1/search?q=xyhgyz").await;
    assert_eq!(r.json["results"][0]["name"], "西一红港驿站");
    assert_eq!(r.json["results"][0]["detail"], "芝罘红港驿站");
}

#[tokio::test]
async fn the_public_profile_finds_sites_but_no_inner_areas() {
    let r = send(&PUBLIC, "GET", "/api/v1/search?q=xi&limit=50", None).await;
    assert_eq!(r.status, 200);
    let kinds: Vec<&str> = r.json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"site"), "{kinds:?}");
    assert!(
        kinds
            .iter()
            .all(|k| !["street", "community", "grid"].contains(k)),
        "{kinds:?}"
    );
}

#[tokio::test]
async fn bad_queries_are_problems_naming_the_parameter() {
    assert_problem(&get("/api/v1/search").await, 400, Some("/q"));
    assert_problem(&get("/api/v1/search?q=%20%20").await, 400, Some("/q"));
    let long = "a".repeat(65);
    assert_problem(
        &get(&format!("/api/v1/search?q={long}")).await,
        400,
        Some("/q"),
    );
    assert_problem(
        &get("/api/v1/search?q=x&limit=0").await,
        400,
        Some("/limit"),
    );
    assert_problem(
        &get("/api/v1/search?q=x&limit=51").await,
        400,
        Some("/limit"),
    );
    assert_problem(
        &get("/api/v1/search?q=x&kind=planet").await,
        400,
        Some("/kind"),
    );
    assert_problem(&get("/api/v1/search?q=x&q=y").await, 400, Some("/q"));
    assert_problem(
        &get("/api/v1/search?q=x&radius=5").await,
        400,
        Some("/radius"),
    );
    assert_eq!(found("/api/v1/search?q=zzzzqqq").await, []);
}
