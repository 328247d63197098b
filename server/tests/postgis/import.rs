//! `redgrid import` and the PostGIS store: a data directory imported and served from
//! the database answers exactly as the same directory served from memory (the
//! oracle); imports change only what they name, bump data versions only on change,
//! and a refused import leaves every row as it was.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use redgrid::AppState;
use redgrid::auth::TokenStore;
use redgrid::config::Profile;
use redgrid::geo::Crs;
use redgrid::store::postgis::{self, import::Mode};
use redgrid::store::{Dataset, Store};
use serde_json::Value;
use sqlx::PgPool;
use tower::ServiceExt;

use super::{fresh_database, options};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/district")
}

fn demo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data/geojson")
}

fn state(store: Store) -> AppState {
    AppState::new(
        store,
        TokenStore::default(),
        Profile::Internal,
        false,
        PathBuf::from("web/dist"),
    )
}

async fn get(state: &AppState, uri: &str) -> Value {
    let response = redgrid::app(state.clone())
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let mut json: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    strip_versions(&mut json);
    serde_json::json!({"status": status.as_u16(), "body": json})
}

/// Versions and dates name the source (content hashes vs data versions), not the data.
fn strip_versions(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for key in [
                "versions",
                "version",
                "data_version",
                "data_versions",
                "network_version",
                "data_date",
                "backend",
                "reloads",
            ] {
                map.remove(key);
            }
            map.values_mut().for_each(strip_versions);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_versions),
        _ => {}
    }
}

async fn import(pool: &PgPool, paths: &[&Path], mode: Mode) -> Vec<postgis::import::LayerChange> {
    let paths: Vec<PathBuf> = paths.iter().map(|p| p.to_path_buf()).collect();
    postgis::import::import(pool, &paths, options(mode, Crs::Wgs84))
        .await
        .unwrap()
        .changes
}

/// Every row of every layer table, as text, for comparing before and after.
pub async fn dump(pool: &PgPool) -> Vec<String> {
    let mut all = Vec::new();
    for table in &postgis::tables::TABLES {
        let sql = format!("SELECT t::text FROM {} t ORDER BY ord", table.name);
        all.extend(
            sqlx::query_scalar::<_, String>(&sql)
                .fetch_all(pool)
                .await
                .unwrap(),
        );
    }
    all.extend(
        sqlx::query_scalar::<_, String>("SELECT t::text FROM layer_versions t ORDER BY layer")
            .fetch_all(pool)
            .await
            .unwrap(),
    );
    all
}

/// Points over the fixture and the demo: inside buildings, between them, at sea.
fn probes(dataset: &Dataset) -> Vec<(f64, f64)> {
    let b = dataset
        .layer(redgrid::store::LayerId::District)
        .bbox
        .unwrap();
    let (w, s, e, n) = (b.min_lon(), b.min_lat(), b.max_lon(), b.max_lat());
    let mut points = Vec::new();
    for i in 0..5 {
        for j in 0..5 {
            points.push((
                w + (e - w) * (f64::from(i) + 0.5) / 5.0,
                s + (n - s) * (f64::from(j) + 0.5) / 5.0,
            ));
        }
    }
    points.extend(
        dataset
            .buildings
            .iter()
            .step_by(dataset.buildings.len().div_ceil(10))
            .map(|b| {
                use geo::Centroid;
                let c = b.geometry.centroid().unwrap();
                (c.x(), c.y())
            }),
    );
    points
}

/// Where two JSON values first differ, as a JSON pointer with both sides.
fn first_difference(a: &Value, b: &Value, at: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x
            .keys()
            .chain(y.keys())
            .find_map(|k| first_difference(&x[k], &y[k], format!("{at}/{k}")))
            .or_else(|| (x.len() != y.len()).then(|| at.clone())),
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, format!("{at}/{i}"))),
        _ if a == b => None,
        _ => Some(format!("{at}: {a} vs {b}")),
    }
}

pub async fn assert_same_answers(memory: &AppState, database: &AppState) {
    let mut uris = vec![
        "/api/v1/health".to_owned(),
        "/api/v1/layers".to_owned(),
        "/api/v1/coverage?level=grid&format=json".to_owned(),
        "/api/v1/coverage?level=community&format=json&minutes=10".to_owned(),
        "/api/v1/search?q=%E7%A4%BE%E5%8C%BA".to_owned(),
        "/ogc/collections/sites/items?limit=1000".to_owned(),
    ];
    for (lon, lat) in probes(memory.store.dataset()) {
        uris.push(format!("/api/v1/locate?lon={lon:.7}&lat={lat:.7}"));
        uris.push(format!("/api/v1/nearest?lon={lon:.7}&lat={lat:.7}&k=3"));
    }
    let mut compared = 0;
    for uri in &uris {
        let (a, b) = (get(memory, uri).await, get(database, uri).await);
        if let Some(at) = first_difference(&a, &b, String::new()) {
            panic!("{uri}: answers differ at {at}");
        }
        compared += usize::from(a["status"] == 200);
    }
    assert!(
        compared >= uris.len() / 3,
        "enough probes answer to compare: {compared} of {}",
        uris.len()
    );
}

#[tokio::test]
async fn the_fixture_served_from_postgis_answers_as_from_its_files() {
    let Some(pool) = fresh_database().await else {
        return;
    };
    postgis::migrate(&pool).await.unwrap();
    let changes = import(&pool, &[&fixture()], Mode::Upsert).await;
    assert!(
        changes.iter().all(|c| c.added > 0 && c.data_version == 2),
        "{changes:?}"
    );
    let memory = state(Store::Memory(
        Dataset::load(&fixture(), Profile::Internal).unwrap(),
    ));
    let (dataset, versions) = postgis::load(&pool, Profile::Internal).await.unwrap();
    assert_eq!(dataset.versions()["sites"], "2");
    let database = state(Store::Postgis {
        dataset,
        pool,
        versions,
    });
    assert_same_answers(&memory, &database).await;
}

#[tokio::test]
async fn the_demo_district_served_from_postgis_answers_as_from_its_files() {
    let Some(pool) = fresh_database().await else {
        return;
    };
    postgis::migrate(&pool).await.unwrap();
    import(&pool, &[&demo()], Mode::Upsert).await;
    let memory = state(Store::Memory(
        Dataset::load(&demo(), Profile::Internal).unwrap(),
    ));
    let (dataset, versions) = postgis::load(&pool, Profile::Internal).await.unwrap();
    assert_eq!(dataset.sites.len(), memory.store.dataset().sites.len());
    let database = state(Store::Postgis {
        dataset,
        pool,
        versions,
    });
    assert_same_answers(&memory, &database).await;
}

#[tokio::test]
async fn the_public_profile_reads_no_personal_data_from_the_database() {
    let Some(pool) = fresh_database().await else {
        return;
    };
    postgis::migrate(&pool).await.unwrap();
    import(&pool, &[&fixture()], Mode::Upsert).await;
    let public = postgis::load(&pool, Profile::Public).await.unwrap().0;
    assert!(public.workers.is_empty() && public.building_heads.is_empty());
    let internal = postgis::load(&pool, Profile::Internal).await.unwrap().0;
    assert!(!internal.workers.is_empty() && !internal.building_heads.is_empty());
}

/// A copy of the fixture's sites file with `edit` applied to its JSON.
fn edited_sites(dir: &Path, edit: impl FnOnce(&mut Value)) -> PathBuf {
    let mut json: Value =
        serde_json::from_slice(&std::fs::read(fixture().join("sites.geojson")).unwrap()).unwrap();
    edit(&mut json);
    let path = dir.join("sites.geojson");
    std::fs::write(&path, serde_json::to_vec(&json).unwrap()).unwrap();
    path
}

pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("redgrid-import-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn imports_change_what_they_name_and_versions_move_only_on_change() {
    let Some(pool) = fresh_database().await else {
        return;
    };
    postgis::migrate(&pool).await.unwrap();
    import(&pool, &[&fixture()], Mode::Upsert).await;
    let again = import(&pool, &[&fixture()], Mode::Upsert).await;
    assert!(
        again
            .iter()
            .all(|c| c.added + c.changed + c.removed == 0 && c.data_version == 2),
        "{again:?}"
    );

    // Upsert: one site renamed, one added; the others stay, and so do other layers.
    let dir = temp_dir("upsert");
    let sites = edited_sites(&dir, |json| {
        let features = json["features"].as_array_mut().unwrap();
        let mut first = features[0].clone();
        features.truncate(1);
        features[0]["properties"]["name"] = Value::from("改名的站点");
        first["properties"]["id"] = Value::from("S-NEW-1");
        first["geometry"]["coordinates"][0] = Value::from(121.3871);
        features.push(first);
    });
    let before = postgis::load(&pool, Profile::Internal).await.unwrap().0;
    let changes = import(&pool, &[&sites], Mode::Upsert).await;
    assert_eq!(changes.len(), 1);
    let c = &changes[0];
    assert_eq!((c.layer, c.added, c.changed, c.removed), ("sites", 1, 1, 0));
    assert_eq!(c.unchanged, before.sites.len() - 1);
    assert_eq!(c.data_version, 3);
    let after = postgis::load(&pool, Profile::Internal).await.unwrap().0;
    assert_eq!(after.sites.len(), before.sites.len() + 1);
    assert_eq!(after.sites[0].props.name, "改名的站点");
    assert_eq!(after.sites.last().unwrap().props.id.to_string(), "S-NEW-1");
    assert_eq!(after.versions()["grids"], "2");
    let row_version: i64 = sqlx::query_scalar("SELECT version FROM sites WHERE id = $1")
        .bind(before.sites[0].props.id.to_string())
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(row_version, 2, "the renamed row's version moved");
    let kind: String = sqlx::query_scalar("SELECT name FROM sites WHERE id = 'S-NEW-1'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        kind, before.sites[0].props.name,
        "typed columns follow the properties"
    );

    // Replace-layer: the file is the whole layer.
    let changes = import(&pool, &[&sites], Mode::ReplaceLayer).await;
    assert_eq!(changes[0].removed, before.sites.len() - 1);
    let replaced = postgis::load(&pool, Profile::Internal).await.unwrap().0;
    let ids: Vec<String> = replaced
        .sites
        .iter()
        .map(|s| s.props.id.to_string())
        .collect();
    assert_eq!(
        ids,
        [before.sites[0].props.id.to_string(), "S-NEW-1".to_owned()]
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// A copy of one fixture file with `edit` applied to its JSON, in `dir`.
fn edited(dir: &Path, file: &str, edit: &dyn Fn(&mut Value)) -> PathBuf {
    let mut json: Value =
        serde_json::from_slice(&std::fs::read(fixture().join(file)).unwrap()).unwrap();
    edit(&mut json);
    let path = dir.join(file);
    std::fs::write(&path, serde_json::to_vec(&json).unwrap()).unwrap();
    path
}

fn rectangle(w: f64, s: f64, e: f64, n: f64) -> Value {
    serde_json::json!({"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]})
}

type Edit = Box<dyn Fn(&mut Value)>;

/// A broken file: which file, how it is broken, the feature the problem names (or
/// the stored record, for one the file left alone), the field and the reason.
type Case = (
    &'static str,
    Edit,
    Result<usize, &'static str>,
    &'static str,
    &'static str,
);

/// The corpus of broken files: each is refused with a problem naming the file,
/// the feature and the field, and nothing stored changes.
#[tokio::test]
async fn every_broken_file_of_the_corpus_is_refused_naming_feature_and_field_and_changes_nothing() {
    let Some(pool) = fresh_database().await else {
        return;
    };
    postgis::migrate(&pool).await.unwrap();
    import(&pool, &[&fixture()], Mode::Upsert).await;
    let before = dump(&pool).await;
    let set = |pointer: &'static str, value: Value| -> Edit {
        Box::new(move |json: &mut Value| *json.pointer_mut(pointer).unwrap() = value.clone())
    };
    let corpus: Vec<Case> = vec![
        (
            "sites.geojson",
            set("/features/0/properties/kind", "castle".into()),
            Ok(0),
            "kind",
            "unknown variant",
        ),
        (
            "sites.geojson",
            Box::new(|j| {
                j["features"][1]["properties"]
                    .as_object_mut()
                    .unwrap()
                    .remove("name");
            }),
            Ok(1),
            "name",
            "missing field",
        ),
        (
            "sites.geojson",
            set(
                "/features/0/geometry/coordinates",
                serde_json::json!([1210.383, 37.532]),
            ),
            Ok(0),
            "geometry",
            "invalid coordinate",
        ),
        (
            "sites.geojson",
            set(
                "/features/0/geometry/coordinates",
                serde_json::json!([121.37, 37.532]),
            ),
            Ok(0),
            "geometry",
            "outside the district's land",
        ),
        (
            "sites.geojson",
            set("/features/1/properties/id", "S1".into()),
            Ok(1),
            "id",
            "duplicate id S1",
        ),
        (
            "sites.geojson",
            set("/features/2/properties/host_site_id", "S-NOWHERE".into()),
            Ok(2),
            "host_site_id",
            "unknown id S-NOWHERE",
        ),
        (
            "sites.geojson",
            set(
                "/features/3/geometry",
                serde_json::json!({"type": "LineString", "coordinates": [[121.383, 37.532], [121.384, 37.533]]}),
            ),
            Ok(3),
            "geometry",
            "must be a Point",
        ),
        (
            "grids.geojson",
            set("/features/2/properties/community_id", "370602999999".into()),
            Ok(2),
            "community_id",
            "unknown id",
        ),
        (
            "grids.geojson",
            set("/features/1/properties/code", "3706".into()),
            Ok(1),
            "code",
            "15 digits",
        ),
        (
            "grids.geojson",
            set(
                "/features/0/geometry",
                rectangle(121.38, 37.53, 121.385, 37.536),
            ),
            Ok(1),
            "geometry",
            "overlaps G370602901001001",
        ),
        (
            "grids.geojson",
            set(
                "/features/0/geometry",
                rectangle(121.38, 37.53, 121.385, 37.532),
            ),
            Err("stored communities 370602901001"),
            "geometry",
            "in none of its grids",
        ),
        (
            "communities.geojson",
            set(
                "/features/1/geometry",
                rectangle(121.382, 37.53, 121.39, 37.534),
            ),
            Ok(1),
            "geometry",
            "outside its street 370602902",
        ),
        (
            "buildings.geojson",
            set(
                "/features/0/geometry",
                serde_json::json!({"type": "Polygon", "coordinates": [[[121.3815, 37.5315], [121.3818, 37.5318], [121.3818, 37.5315], [121.3815, 37.5318], [121.3815, 37.5315]]]}),
            ),
            Ok(0),
            "geometry",
            "invalid polygon",
        ),
        (
            "buildings.geojson",
            set(
                "/features/2/geometry",
                rectangle(121.3848, 37.536, 121.3853, 37.5363),
            ),
            Ok(2),
            "geometry",
            "outside its grid",
        ),
        (
            "workers.json",
            set("/0/grid_ids/0", "G-NOWHERE".into()),
            Ok(0),
            "grid_ids",
            "unknown id G-NOWHERE",
        ),
        (
            "district.geojson",
            set("/type", "Feature".into()),
            Err(""),
            "",
            "FeatureCollection",
        ),
    ];
    let dir = temp_dir("corpus");
    for (file, edit, index, field, reason) in &corpus {
        let path = edited(&dir, file, edit.as_ref());
        let refused = postgis::import::import(
            &pool,
            std::slice::from_ref(&path),
            options(Mode::Upsert, Crs::Wgs84),
        )
        .await
        .expect_err(&format!("{file} / {field} / {reason}: refused"));
        let problems = refused.into_problems();
        let (expected_file, expected_index) = match index {
            Ok(i) => (path.display().to_string(), Some(*i)),
            Err("") => (path.display().to_string(), None),
            Err(stored) => ((*stored).to_owned(), None),
        };
        let found = problems.iter().any(|p| {
            p.file == expected_file
                && p.index == expected_index
                && (field.is_empty() || p.field.as_deref() == Some(*field))
                && p.reason.contains(reason)
        });
        assert!(
            found,
            "{file} feature {index:?} `{field}`: {reason} not in {problems:#?}"
        );
        assert_eq!(
            dump(&pool).await,
            before,
            "{file} / {reason}: nothing stored changed"
        );
    }

    // One file with three problems lists all three.
    let path = edited(&dir, "sites.geojson", &|j| {
        j["features"][0]["properties"]["kind"] = "castle".into();
        j["features"][2]["geometry"]["coordinates"] = serde_json::json!([121.37, 37.532]);
        j["features"][4]["properties"]["id"] = "S1".into();
    });
    let problems = postgis::import::import(
        &pool,
        std::slice::from_ref(&path),
        options(Mode::Upsert, Crs::Wgs84),
    )
    .await
    .unwrap_err()
    .into_problems();
    assert_eq!(
        problems.len(),
        1,
        "parse problems come first: {problems:#?}"
    );
    let path = edited(&dir, "sites.geojson", &|j| {
        j["features"][2]["geometry"]["coordinates"] = serde_json::json!([121.37, 37.532]);
        j["features"][3]["geometry"]["coordinates"] = serde_json::json!([121.37, 37.533]);
        j["features"][4]["properties"]["host_site_id"] = "S-NOWHERE".into();
    });
    let problems = postgis::import::import(
        &pool,
        std::slice::from_ref(&path),
        options(Mode::Upsert, Crs::Wgs84),
    )
    .await
    .unwrap_err()
    .into_problems();
    let indexes: Vec<Option<usize>> = problems.iter().map(|p| p.index).collect();
    assert_eq!(
        indexes,
        [Some(4)],
        "references before topology: {problems:#?}"
    );

    let error = postgis::import::import(
        &pool,
        &[dir.join("roads.geojson")],
        options(Mode::Upsert, Crs::Wgs84),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(error.contains("not a layer file"), "{error}");
    assert_eq!(dump(&pool).await, before);
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn discrepancies_within_the_tolerance_are_reported_and_kept() {
    let Some(pool) = fresh_database().await else {
        return;
    };
    postgis::migrate(&pool).await.unwrap();
    import(&pool, &[&fixture()], Mode::Upsert).await;
    // Grid 0 pushed 0.00002° (2.2 m) into grid 1 along their 441 m edge: about 980 m².
    let dir = temp_dir("tolerance");
    let path = edited(&dir, "grids.geojson", &|j| {
        j["features"][0]["geometry"] = rectangle(121.38, 37.53, 121.385, 37.53402);
    });
    let strict = postgis::import::import(
        &pool,
        std::slice::from_ref(&path),
        options(Mode::Upsert, Crs::Wgs84),
    )
    .await;
    assert!(strict.unwrap_err().to_string().contains("overlaps"));
    let lenient = postgis::import::Options {
        topology_tolerance_m2: 1_500.0,
        ..options(Mode::Upsert, Crs::Wgs84)
    };
    let imported = postgis::import::import(&pool, std::slice::from_ref(&path), lenient)
        .await
        .unwrap();
    assert_eq!(imported.changes[0].changed, 1);
    let overlap = imported
        .reported
        .iter()
        .find(|p| p.reason.starts_with("overlaps G370602901001001"))
        .expect("the overlap is reported");
    let area: f64 = overlap
        .reason
        .split(": ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((900.0..1_060.0).contains(&area), "{overlap}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn gcj02_files_are_stored_in_wgs84() {
    let Some(pool) = fresh_database().await else {
        return;
    };
    postgis::migrate(&pool).await.unwrap();
    import(&pool, &[&fixture()], Mode::Upsert).await;
    let stored = postgis::load(&pool, Profile::Internal).await.unwrap().0;
    let site = &stored.sites[0];
    let wgs = redgrid::geo::LonLat::new(site.geometry.x(), site.geometry.y()).unwrap();
    let shifted = Crs::Gcj02.from_wgs84(wgs);
    let dir = temp_dir("gcj02");
    let sites = edited_sites(&dir, |json| {
        let features = json["features"].as_array_mut().unwrap();
        features[0]["geometry"]["coordinates"] = serde_json::json!([shifted.lon(), shifted.lat()]);
    });
    postgis::import::import(&pool, &[sites], options(Mode::Upsert, Crs::Gcj02))
        .await
        .unwrap();
    let back = postgis::load(&pool, Profile::Internal)
        .await
        .unwrap()
        .0
        .sites[0]
        .geometry;
    assert!(
        (back.x() - wgs.lon()).abs() < 1e-9 && (back.y() - wgs.lat()).abs() < 1e-9,
        "{back:?} is {wgs:?}, given in GCJ-02 as {shifted:?}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn gauss_kruger_files_are_stored_in_wgs84() {
    use postgis::import::FileCrs;
    assert!(
        FileCrs::parse("cgcs2000-gk3:121").is_err(),
        "not a 3-degree meridian"
    );
    assert!(FileCrs::parse("cgcs2000-gk3:x").is_err());
    let Ok(FileCrs::GaussKruger(zone)) = FileCrs::parse("CGCS2000-GK3:120") else {
        panic!("a zone");
    };
    let Some(pool) = fresh_database().await else {
        return;
    };
    postgis::migrate(&pool).await.unwrap();
    import(&pool, &[&fixture()], Mode::Upsert).await;
    let site = postgis::load(&pool, Profile::Internal)
        .await
        .unwrap()
        .0
        .sites[0]
        .clone();
    let wgs = redgrid::geo::LonLat::new(site.geometry.x(), site.geometry.y()).unwrap();
    let (easting, northing) = zone.forward(wgs);
    let dir = temp_dir("gk3");
    let sites = edited_sites(&dir, |json| {
        let features = json["features"].as_array_mut().unwrap();
        for f in features.iter_mut() {
            let c = &f["geometry"]["coordinates"];
            let p =
                redgrid::geo::LonLat::new(c[0].as_f64().unwrap(), c[1].as_f64().unwrap()).unwrap();
            let (x, y) = zone.forward(p);
            f["geometry"]["coordinates"] = serde_json::json!([x, y]);
        }
        assert!(
            (features[0]["geometry"]["coordinates"][0].as_f64().unwrap() - easting).abs() < 1e-6
        );
    });
    let options = postgis::import::Options {
        crs: Some(FileCrs::GaussKruger(zone)),
        ..options(Mode::Upsert, Crs::Wgs84)
    };
    postgis::import::import(&pool, &[sites], options)
        .await
        .unwrap();
    let back = postgis::load(&pool, Profile::Internal)
        .await
        .unwrap()
        .0
        .sites[0]
        .geometry;
    assert!(
        (back.x() - wgs.lon()).abs() < 1e-9 && (back.y() - wgs.lat()).abs() < 1e-9,
        "{back:?} is {wgs:?}, given as ({easting}, {northing}) on CM 120° E"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
