//! The core without HTTP: coordinate conversions against an independent
//! implementation, and loading data directories (good, bad, and the shipped one).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use redgrid::config::Profile;
use redgrid::geo::{Crs, LonLat, bd09_to_gcj02, gcj02_to_bd09, gcj02_to_wgs84, wgs84_to_gcj02};
use redgrid::index::Indexes;
use redgrid::locate::locate;
use redgrid::store::Dataset;
use serde_json::Value;

fn point(v: &Value) -> LonLat {
    LonLat::new(v[0].as_f64().unwrap(), v[1].as_f64().unwrap()).unwrap()
}

fn close(a: LonLat, b: LonLat, tolerance_deg: f64) -> bool {
    (a.lon() - b.lon()).abs() <= tolerance_deg && (a.lat() - b.lat()).abs() <= tolerance_deg
}

#[test]
fn conversions_match_prcoords_on_200_points() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/crs_vectors.json");
    let vectors: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(vectors.len(), 200);
    for v in &vectors {
        let (wgs, gcj, bd) = (point(&v["wgs84"]), point(&v["gcj02"]), point(&v["bd09"]));
        // Forward: the same formulas, so agreement to rounding of the fixture.
        assert!(close(wgs84_to_gcj02(wgs), gcj, 1e-9), "{v}");
        assert!(close(Crs::Bd09.from_wgs84(wgs), bd, 1e-9), "{v}");
        // Inverse: ours against prcoords' iterative inverse, and back to the start.
        assert!(
            close(gcj02_to_wgs84(gcj), point(&v["gcj02_to_wgs84"]), 1e-9),
            "{v}"
        );
        assert!(
            close(Crs::Bd09.to_wgs84(bd), point(&v["bd09_to_wgs84"]), 1e-9),
            "{v}"
        );
        assert!(close(gcj02_to_wgs84(gcj), wgs, 1e-6), "{v}");
        assert!(close(Crs::Bd09.to_wgs84(bd), wgs, 1e-6), "{v}");
        assert!(close(bd09_to_gcj02(gcj02_to_bd09(gcj)), gcj, 1e-9), "{v}");
        if v["in_china"] == false {
            assert_eq!(
                wgs84_to_gcj02(wgs),
                wgs,
                "GCJ-02 is the identity outside China"
            );
        }
    }
    let outside = vectors.iter().filter(|v| v["in_china"] == false).count();
    assert!(
        outside > 5,
        "the fixture must hold points outside China: {outside}"
    );
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("redgrid-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn fixture(file: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/district")
            .join(file),
    )
    .unwrap()
}

#[test]
fn a_missing_data_directory_names_the_path_and_the_flag() {
    let err = Dataset::load(Path::new("/nonexistent/redgrid"), Profile::Internal).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("/nonexistent/redgrid") && message.contains("--data"),
        "{message}"
    );
}

#[test]
fn an_empty_directory_is_an_empty_district() {
    let dir = temp_dir("empty");
    let ds = Dataset::load(&dir, Profile::Internal).unwrap();
    assert!(ds.grids.is_empty() && ds.sites.is_empty());
    assert!(!ds.synthetic());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn bad_files_are_refused_naming_file_feature_and_field() {
    let cases: [(&str, String, &str); 7] = [
        (
            "grids.geojson",
            fixture("grids.geojson").replacen(
                "\"code\": \"370602901001001\"",
                "\"code\": \"3706\"",
                1,
            ),
            "`code`",
        ),
        (
            "grids.geojson",
            fixture("grids.geojson").replacen("\"party_branch\"", "\"branch\"", 1),
            "party_branch",
        ),
        (
            "sites.geojson",
            fixture("sites.geojson").replacen("\"station\"", "\"castle\"", 1),
            "`kind`",
        ),
        (
            "sites.geojson",
            fixture("sites.geojson").replacen("121.383", "1210.383", 1),
            "invalid coordinate",
        ),
        (
            "streets.geojson",
            fixture("streets.geojson").replacen("\"Polygon\"", "\"Point\"", 1),
            "feature 0: invalid geometry",
        ),
        (
            "district.geojson",
            "{\"type\": \"Feature\"".to_owned(),
            "not JSON",
        ),
        (
            "district.geojson",
            "{\"type\": \"Feature\"}".to_owned(),
            "FeatureCollection",
        ),
    ];
    for (file, text, expected) in cases {
        let dir = temp_dir("bad");
        std::fs::write(dir.join(file), text).unwrap();
        let message = Dataset::load(&dir, Profile::Internal)
            .unwrap_err()
            .to_string();
        assert!(message.starts_with(file), "{message}");
        assert!(message.contains(expected), "{expected} not in {message}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}

#[test]
fn dangling_references_and_duplicate_ids_are_refused() {
    let dir = temp_dir("refs");
    for file in ["streets.geojson", "communities.geojson", "grids.geojson"] {
        std::fs::write(dir.join(file), fixture(file)).unwrap();
    }
    assert!(Dataset::load(&dir, Profile::Internal).is_ok());
    let workers = fixture("workers.json").replace("G370602902002001", "G999");
    std::fs::write(dir.join("workers.json"), workers).unwrap();
    let message = Dataset::load(&dir, Profile::Internal)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("workers.json") && message.contains("G999"),
        "{message}"
    );
    // The public profile never reads personal data, so the same directory loads.
    assert!(Dataset::load(&dir, Profile::Public).is_ok());
    std::fs::remove_file(dir.join("workers.json")).unwrap();
    let communities =
        fixture("communities.geojson").replace("\"370602902002\"", "\"370602902001\"");
    std::fs::write(dir.join("communities.geojson"), communities).unwrap();
    let message = Dataset::load(&dir, Profile::Internal)
        .unwrap_err()
        .to_string();
    assert!(message.contains("duplicate id 370602902001"), "{message}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_entrance_must_name_a_gate_its_compound_has() {
    let dir = temp_dir("entrance");
    for file in [
        "streets.geojson",
        "communities.geojson",
        "grids.geojson",
        "compounds.geojson",
    ] {
        std::fs::write(dir.join(file), fixture(file)).unwrap();
    }
    let with = |entrance: &str| {
        fixture("buildings.geojson").replacen(
            "\"floors\": 6,",
            &format!("\"floors\": 6, \"entrance\": {entrance},"),
            1,
        )
    };
    let load = |entrance: &str| {
        std::fs::write(dir.join("buildings.geojson"), with(entrance)).unwrap();
        Dataset::load(&dir, Profile::Internal)
    };
    // Gate 0 of its own compound K1 is walked from, not the centroid.
    let ds = load("{\"gate\": 0}").unwrap();
    let at = ds.building_walk_point(0).unwrap();
    assert_eq!([at.x(), at.y()], ds.compounds[0].props.gates[0]);
    let ds = load("[121.3816, 37.5314]").unwrap();
    let at = ds.building_walk_point(0).unwrap();
    assert_eq!([at.x(), at.y()], [121.3816, 37.5314]);
    for (entrance, says) in [
        ("{\"gate\": 1}", "no gate 1 of compound K1 (it has 1)"),
        ("{\"compound_id\": \"K9\", \"gate\": 0}", "unknown id K9"),
        ("[200.0, 37.5]", "not a longitude and latitude"),
    ] {
        let message = load(entrance).unwrap_err().to_string();
        assert!(
            message.contains("buildings.geojson") && message.contains(says),
            "{entrance}: {message}"
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_shipped_data_holds_the_real_district() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/geojson");
    let ds = Dataset::load(&dir, Profile::Internal).unwrap();
    assert_eq!(ds.district.len(), 1);
    assert_eq!(ds.district[0].props.adcode.as_str(), "370602");
    assert_eq!(ds.context.len(), 10);
    // The demo district at the source's counts.
    assert_eq!(ds.streets.len(), 12);
    assert_eq!(ds.communities.len(), 158);
    assert_eq!(ds.grids.len(), 1_024);
    assert_eq!(ds.workers.len(), 750);
    let stations = ds
        .sites
        .iter()
        .filter(|s| s.props.kind == redgrid::model::SiteKind::Station)
        .count();
    assert_eq!(stations, 302);
    let idx = Indexes::build(&ds);
    // 南大街 downtown is land and names its building and grid; the sea north of 芝罘岛 is not.
    let nandajie = locate(&ds, &idx, LonLat::new(121.3786, 37.5391).unwrap()).unwrap();
    assert!(nandajie.building.is_some() && nandajie.grid.is_some());
    assert!(locate(&ds, &idx, LonLat::new(121.40, 37.65).unwrap()).is_err());
    // The 崆峒岛 islands are part of the district's land.
    assert!(ds.district[0].geometry.0.len() > 20);
}

#[test]
fn the_walking_graph_of_the_fixture_measures_like_the_geodesic() {
    use geo::{Distance, Geodesic, Point};
    use redgrid::network::{UNREACHED, WalkGraph, distances};

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/district");
    let ds = Dataset::load(&dir, Profile::Internal).unwrap();
    let idx = Indexes::build(&ds);
    let graph = WalkGraph::from_network(&ds.network, &idx.projection);
    assert_eq!((graph.node_count(), graph.edge_count()), (4, 3));
    for (i, e) in ds.network.iter().enumerate() {
        let geodesic: f64 = e
            .geometry
            .0
            .windows(2)
            .map(|w| Geodesic.distance(Point::from(w[0]), Point::from(w[1])))
            .sum();
        let (_, info) = graph.edges().nth(i).unwrap();
        let ours = f64::from(info.length_dm) / 10.0;
        assert!(
            (ours - geodesic).abs() < 0.1,
            "edge {i}: {ours} m vs geodesic {geodesic} m"
        );
    }
    // From the far west end, everything is reached through the junction.
    let west = graph.nodes().next().unwrap();
    let d = distances(&graph, &[(west, 0)], u32::MAX - 1, |_| true);
    assert!(d.iter().all(|&v| v != UNREACHED));
    let d = distances(&graph, &[(west, 0)], 3000, |_| true);
    assert_eq!(
        d.iter().filter(|&&v| v != UNREACHED).count(),
        1,
        "3000 dm reach only the start"
    );
}

#[test]
fn the_demo_and_the_fixture_keep_their_topology() {
    use redgrid::store::topology;
    for dir in [
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data/geojson"),
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/district"),
    ] {
        let ds = Dataset::load(&dir, Profile::Internal).unwrap();
        let started = std::time::Instant::now();
        let found = topology::check(&ds, topology::DEFAULT_TOLERANCE_M2);
        eprintln!(
            "{}: {} reported in {:.1} s",
            dir.display(),
            found.reported.len(),
            started.elapsed().as_secs_f64()
        );
        assert!(
            found.refused.is_empty(),
            "{:?}",
            &found.refused[..found.refused.len().min(5)]
        );
    }
    // The fixture's island (0.001° × 0.001° at 37.53° N: 88.2 m × 111.2 m) is land in
    // no street: reported, not refused.
    let ds = Dataset::load(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/district"),
        Profile::Internal,
    )
    .unwrap();
    let found = topology::check(&ds, topology::DEFAULT_TOLERANCE_M2);
    let island = found
        .reported
        .iter()
        .find(|p| p.file == "district.geojson" && p.reason.starts_with("in no street"))
        .expect("the island is reported");
    let area: f64 = island
        .reason
        .split(": ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((9_700.0..9_900.0).contains(&area), "{island}");
}

#[test]
fn gauss_kruger_agrees_with_proj_to_a_millimetre_both_ways() {
    use redgrid::geo::GaussKruger;
    let text = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gk3_vectors.json"),
    )
    .unwrap();
    let fixture: Value = serde_json::from_str(&text).unwrap();
    let vectors = fixture["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 160);
    let (mut worst_m, mut worst_deg) = (0.0f64, 0.0f64);
    for v in vectors {
        let zone = GaussKruger::new(v["cm"].as_f64().unwrap()).unwrap();
        let p = LonLat::new(v["lon"].as_f64().unwrap(), v["lat"].as_f64().unwrap()).unwrap();
        let (x, y) = zone.forward(p);
        let (ex, ey) = (v["x"].as_f64().unwrap(), v["y"].as_f64().unwrap());
        worst_m = worst_m.max((x - ex).abs()).max((y - ey).abs());
        let back = zone.inverse(ex, ey).unwrap();
        worst_deg = worst_deg
            .max((back.lon() - p.lon()).abs())
            .max((back.lat() - p.lat()).abs());
    }
    eprintln!("worst: {worst_m:.2e} m forward, {worst_deg:.2e}° inverse");
    assert!(worst_m < 1e-3, "forward off by {worst_m} m");
    assert!(
        worst_deg < 1e-8,
        "inverse off by {worst_deg}° (1e-8° ≈ 1 mm)"
    );
}
