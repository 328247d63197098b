//! Invariants of the committed demo district (`data/geojson/`), read with the
//! `geojson` crate and checked with `geo`'s boolean operations in a local metric
//! projection: the exact counts of the source, the partitions (grids of their
//! community, communities of their street, streets of the land), every building,
//! compound and site in exactly one grid and the one it names, valid geometry, and a
//! regeneration that reproduces the committed bytes. Each test prints what it
//! measured (`cargo test --test district -- --nocapture`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use geo::{
    Area, BooleanOps, BoundingRect, Centroid, Contains, Coord, Distance, Euclidean, InteriorPoint,
    MultiPolygon, Point, Validation,
};
use redgrid::geo::{BBox, LocalProjection};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Line as RLine, Rectangle};
use serde_json::Value;

/// Overlap or gap allowed between an area and its parts, m².
const TOLERANCE_M2: f64 = 1.0;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

struct Feature {
    props: serde_json::Map<String, Value>,
    geometry: geo::Geometry<f64>,
}

impl Feature {
    fn str(&self, key: &str) -> &str {
        self.props.get(key).and_then(Value::as_str).unwrap_or("")
    }
}

struct District {
    projection: LocalProjection,
    land: MultiPolygon<f64>,
    layers: BTreeMap<&'static str, Vec<Feature>>,
    workers: Vec<Value>,
    heads: Vec<Value>,
    /// Grids in local metres with an index of their envelopes.
    grid_areas: Vec<MultiPolygon<f64>>,
    grid_tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
}

fn read(name: &str) -> Vec<Feature> {
    let text = std::fs::read_to_string(root().join("data/geojson").join(name)).unwrap();
    let collection =
        geojson::FeatureCollection::try_from(text.parse::<geojson::GeoJson>().unwrap()).unwrap();
    collection
        .features
        .into_iter()
        .map(|f| Feature {
            props: f.properties.unwrap_or_default(),
            geometry: f.geometry.unwrap().try_into().unwrap(),
        })
        .collect()
}

fn to_multi(g: &geo::Geometry<f64>) -> MultiPolygon<f64> {
    match g {
        geo::Geometry::Polygon(p) => MultiPolygon::new(vec![p.clone()]),
        geo::Geometry::MultiPolygon(m) => m.clone(),
        other => panic!("not an area: {other:?}"),
    }
}

impl District {
    fn project(&self, g: &geo::Geometry<f64>) -> geo::Geometry<f64> {
        use geo::MapCoords;
        g.map_coords(|c| {
            let (x, y) = self.projection.project_xy(c.x, c.y);
            Coord { x, y }
        })
    }

    fn area_of(&self, f: &Feature) -> MultiPolygon<f64> {
        to_multi(&self.project(&f.geometry))
    }

    /// Grids whose interior holds `p` (a point on a border is in neither).
    fn grids_holding(&self, p: Point<f64>) -> Vec<usize> {
        self.grid_tree
            .locate_all_at_point(&[p.x(), p.y()])
            .map(|e| e.data)
            .filter(|&g| self.grid_areas[g].contains(&p))
            .collect()
    }
}

static DISTRICT: LazyLock<District> = LazyLock::new(|| {
    let district = read("district.geojson");
    let land_lonlat: MultiPolygon<f64> = district
        .iter()
        .flat_map(|f| to_multi(&f.geometry).0)
        .collect();
    let projection = LocalProjection::for_extent(BBox::of(&land_lonlat).unwrap());
    let mut d = District {
        projection,
        land: MultiPolygon::new(Vec::new()),
        layers: BTreeMap::new(),
        workers: Vec::new(),
        heads: Vec::new(),
        grid_areas: Vec::new(),
        grid_tree: RTree::new(),
    };
    d.land = to_multi(&d.project(&geo::Geometry::MultiPolygon(land_lonlat)));
    for name in [
        "streets",
        "communities",
        "grids",
        "compounds",
        "buildings",
        "sites",
    ] {
        d.layers.insert(name, read(&format!("{name}.geojson")));
    }
    let records = |name: &str| -> Vec<Value> {
        serde_json::from_str(
            &std::fs::read_to_string(root().join("data/geojson").join(name)).unwrap(),
        )
        .unwrap()
    };
    d.workers = records("workers.json");
    d.heads = records("building_heads.json");
    d.grid_areas = d.layers["grids"].iter().map(|g| d.area_of(g)).collect();
    d.grid_tree = RTree::bulk_load(
        d.grid_areas
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let r = a.bounding_rect().unwrap();
                GeomWithData::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    i,
                )
            })
            .collect(),
    );
    d
});

fn count_kind(kind: &str) -> usize {
    DISTRICT.layers["sites"]
        .iter()
        .filter(|s| s.str("kind") == kind)
        .count()
}

#[test]
fn the_counts_are_the_sources() {
    let d = &*DISTRICT;
    assert_eq!(d.layers["streets"].len(), 12);
    assert_eq!(d.layers["communities"].len(), 158);
    assert_eq!(d.layers["grids"].len(), 1_024);
    assert_eq!(d.workers.len(), 750);
    for (kind, n) in [
        ("district_centre", 1),
        ("street_centre", 12),
        ("community_centre", 158),
        ("station", 302),
        ("alliance", 8),
        ("red_property", 15),
        ("property_centre", 1),
        ("governance_committee", 68),
        ("industry_party_org", 8),
        ("volunteer_team", 619),
        ("social_org", 486),
    ] {
        assert_eq!(count_kind(kind), n, "{kind}");
    }
    let buildings = d.layers["buildings"].len();
    assert!(
        (12_000..=14_000).contains(&buildings),
        "{buildings} buildings"
    );
    assert_eq!(d.heads.len(), buildings, "one building head per building");
    // Communities per street as in the register.
    let mut per_street: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &d.layers["communities"] {
        *per_street.entry(c.str("street_id")).or_default() += 1;
    }
    assert_eq!(per_street["370602009"], 32, "黄务");
    assert_eq!(per_street["370602004"], 5, "通伸");
    let everything_synthetic = d
        .layers
        .values()
        .flatten()
        .all(|f| f.props.get("synthetic") == Some(&Value::Bool(true)));
    assert!(everything_synthetic);
    println!(
        "buildings {buildings}, compounds {}, sites {}, service posts {}, co-building units {}",
        d.layers["compounds"].len(),
        d.layers["sites"].len(),
        count_kind("service_post"),
        count_kind("co_building")
    );
}

/// `parts` cover `whole` with overlaps and gaps of at most `tolerance` m² each.
fn assert_partition(
    label: &str,
    whole: &MultiPolygon<f64>,
    parts: &[MultiPolygon<f64>],
    tolerance: f64,
) -> f64 {
    let union = geo::unary_union(parts.iter());
    let sum: f64 = parts.iter().map(|p| p.unsigned_area()).sum();
    let overlap = sum - union.unsigned_area();
    let gap = whole.difference(&union).unsigned_area();
    let outside = union.difference(whole).unsigned_area();
    assert!(
        overlap <= tolerance && gap <= tolerance && outside <= tolerance,
        "{label}: overlap {overlap:.3} m², gap {gap:.3} m², outside {outside:.3} m²"
    );
    overlap.max(gap).max(outside)
}

#[test]
fn grids_partition_communities_communities_streets_and_streets_the_land() {
    let d = &*DISTRICT;
    let mut worst: f64 = 0.0;
    let areas_of = |layer: &str, key: &str| {
        let mut by: BTreeMap<String, Vec<MultiPolygon<f64>>> = BTreeMap::new();
        for f in &d.layers[layer] {
            by.entry(f.str(key).to_owned())
                .or_default()
                .push(d.area_of(f));
        }
        by
    };
    for (parent, child, key) in [
        ("communities", "grids", "community_id"),
        ("streets", "communities", "street_id"),
    ] {
        let children = areas_of(child, key);
        for p in &d.layers[parent] {
            let parts = &children[p.str("id")];
            let misfit = assert_partition(p.str("id"), &d.area_of(p), parts, TOLERANCE_M2);
            worst = worst.max(misfit);
        }
    }
    println!(
        "largest overlap, gap or overreach of grids in a community or communities in a street: {worst:.4} m²"
    );
    // Where the streets meet the sea they follow the real coast, except at the points
    // where the coastal fringe was cut into pieces: rounded to 7 decimals (≤ 0.6 cm),
    // those leave slivers; allowed: 1 m² per km of coast.
    let coast_km: f64 = d
        .land
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .map(|r| geo::Length::length(&geo::Euclidean, r))
        .sum::<f64>()
        / 1000.0;
    let streets: Vec<MultiPolygon<f64>> =
        d.layers["streets"].iter().map(|s| d.area_of(s)).collect();
    let land = assert_partition("land", &d.land, &streets, coast_km);
    println!("streets against the land ({coast_km:.0} km of coast): at most {land:.1} m²");
}

#[test]
fn every_geometry_is_valid() {
    let d = &*DISTRICT;
    let mut checked = 0;
    for (layer, features) in &d.layers {
        for f in features {
            assert!(
                f.geometry.is_valid(),
                "{layer} {}: {:?}",
                f.str("id"),
                f.geometry.validation_errors()
            );
            checked += 1;
        }
    }
    println!("{checked} geometries valid");
}

#[test]
fn every_building_compound_and_site_lies_in_exactly_the_grid_it_names() {
    let d = &*DISTRICT;
    let grid_ids: Vec<&str> = d.layers["grids"].iter().map(|g| g.str("id")).collect();
    for layer in ["buildings", "compounds"] {
        for f in &d.layers[layer] {
            let area = d.area_of(f);
            let inside = area.interior_point().unwrap();
            let holding = d.grids_holding(inside);
            assert_eq!(holding.len(), 1, "{layer} {}", f.str("id"));
            let g = holding[0];
            assert_eq!(grid_ids[g], f.str("grid_id"), "{layer} {}", f.str("id"));
            // Wholly inside: nothing of it outside its grid beyond rounding.
            let outside = area.difference(&d.grid_areas[g]).unsigned_area();
            assert!(
                outside < 0.05,
                "{layer} {}: {outside} m² outside",
                f.str("id")
            );
        }
    }
    for s in &d.layers["sites"] {
        let geo::Geometry::Point(p) = d.project(&s.geometry) else {
            panic!("site {} is not a point", s.str("id"));
        };
        let holding = d.grids_holding(p);
        assert_eq!(holding.len(), 1, "site {}", s.str("id"));
        assert_eq!(
            grid_ids[holding[0]],
            s.str("grid_id"),
            "site {}",
            s.str("id")
        );
        let border = Euclidean.distance(&p, &d.grid_areas[holding[0]].0[0].exterior().clone());
        assert!(
            border > 0.5 || d.grid_areas[holding[0]].0.len() > 1,
            "site {} on a border",
            s.str("id")
        );
    }
    println!(
        "{} buildings, {} compounds, {} sites each in one grid",
        d.layers["buildings"].len(),
        d.layers["compounds"].len(),
        d.layers["sites"].len()
    );
}

#[test]
fn the_hierarchy_names_the_areas_that_hold_each_other() {
    let d = &*DISTRICT;
    let communities: BTreeMap<&str, &Feature> = d.layers["communities"]
        .iter()
        .map(|c| (c.str("id"), c))
        .collect();
    for (g, grid) in d.layers["grids"].iter().enumerate() {
        let code = grid.str("code");
        let community = grid.str("community_id");
        assert_eq!(code.len(), 15);
        assert!(code.starts_with(community), "{code} not in {community}");
        assert_eq!(grid.str("id"), format!("G{code}"));
        let c = communities[community];
        let outside = d.grid_areas[g].difference(&d.area_of(c)).unsigned_area();
        assert!(
            outside < TOLERANCE_M2,
            "grid {code}: {outside} m² outside its community"
        );
    }
    // Sequences 001, 002, … within each community.
    let mut seqs: BTreeMap<&str, BTreeSet<u32>> = BTreeMap::new();
    for grid in &d.layers["grids"] {
        seqs.entry(grid.str("community_id"))
            .or_default()
            .insert(grid.str("code")[12..].parse().unwrap());
    }
    for (c, s) in seqs {
        assert_eq!(s, (1..=s.len() as u32).collect(), "{c}");
    }
}

#[test]
fn grids_are_sized_by_households_and_sum_their_buildings() {
    let d = &*DISTRICT;
    let mut from_buildings: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for b in &d.layers["buildings"] {
        let e = from_buildings.entry(b.str("grid_id")).or_default();
        e.0 += b.props["households"].as_u64().unwrap();
        e.1 += b.props["population"].as_u64().unwrap();
    }
    let mut households = Vec::new();
    for g in &d.layers["grids"] {
        let h = g.props["households"].as_u64().unwrap();
        let p = g.props["population"].as_u64().unwrap();
        assert_eq!(
            from_buildings.get(g.str("id")).copied().unwrap_or_default(),
            (h, p)
        );
        households.push(h);
    }
    households.sort_unstable();
    let within = households
        .iter()
        .filter(|h| (150..=800).contains(*h))
        .count();
    let share = within as f64 / households.len() as f64;
    let total: u64 = households.iter().sum();
    println!(
        "households per grid: median {}, p5 {}, p95 {}; {:.1} % within 150–800; {} households in all",
        households[households.len() / 2],
        households[households.len() / 20],
        households[households.len() * 19 / 20],
        share * 100.0,
        total
    );
    assert!(share >= 0.95);
    let median = households[households.len() / 2];
    assert!((300..=500).contains(&median), "median {median}");
}

#[test]
fn every_building_is_within_50_m_of_a_walkable_edge() {
    let d = &*DISTRICT;
    let network = read("walk_network.geojson");
    let mut segments = Vec::new();
    for f in &network {
        if let geo::Geometry::LineString(l) = d.project(&f.geometry) {
            for w in l.0.windows(2) {
                segments.push(RLine::new([w[0].x, w[0].y], [w[1].x, w[1].y]));
            }
        }
    }
    let tree = RTree::bulk_load(segments);
    let mut worst: f64 = 0.0;
    for b in &d.layers["buildings"] {
        let c = d.area_of(b).centroid().unwrap();
        let nearest = tree.nearest_neighbor(&[c.x(), c.y()]).unwrap();
        let dist = rstar::PointDistance::distance_2(nearest, &[c.x(), c.y()]).sqrt();
        worst = worst.max(dist);
        assert!(
            dist <= 50.0,
            "building {} is {dist:.1} m from the network",
            b.str("id")
        );
    }
    println!("farthest building centre from the network: {worst:.1} m");
}

#[test]
fn workers_cover_every_grid_and_heads_every_building() {
    let d = &*DISTRICT;
    let mut served: BTreeMap<&str, usize> = BTreeMap::new();
    for w in &d.workers {
        let grids = w["grid_ids"].as_array().unwrap();
        assert!((1..=2).contains(&grids.len()));
        for g in grids {
            *served.entry(g.as_str().unwrap()).or_default() += 1;
        }
        assert!(
            w["phone"].as_str().unwrap().starts_with("100"),
            "not a real number"
        );
    }
    for g in &d.layers["grids"] {
        assert!(
            served.get(g.str("id")).copied().unwrap_or(0) >= 1,
            "grid {}",
            g.str("id")
        );
    }
    let heads: BTreeSet<&str> = d
        .heads
        .iter()
        .flat_map(|h| h["building_ids"].as_array().unwrap())
        .map(|b| b.as_str().unwrap())
        .collect();
    for b in &d.layers["buildings"] {
        assert!(heads.contains(b.str("id")), "building {}", b.str("id"));
    }
}

#[test]
fn hosted_stations_sit_on_their_centres_and_proxies_carry_real_names() {
    let d = &*DISTRICT;
    let by_id: BTreeMap<&str, &Feature> =
        d.layers["sites"].iter().map(|s| (s.str("id"), s)).collect();
    let mut hosted = 0;
    for s in d.layers["sites"]
        .iter()
        .filter(|s| s.str("kind") == "station")
    {
        assert_eq!(s.str("network"), "honggang");
        if let Some(host) = s.props.get("host_site_id").and_then(Value::as_str) {
            let centre = by_id[host];
            assert!(centre.str("kind").ends_with("centre"));
            assert_eq!(centre.geometry, s.geometry);
            hosted += 1;
        }
    }
    let stops =
        std::fs::read_to_string(root().join("data/sources/transit/zhifu_bus_stops_wgs84.geojson"))
            .unwrap();
    let proxies: Vec<&Feature> = d.layers["sites"]
        .iter()
        .filter(|s| s.str("location_quality") == "bus_stop_proxy")
        .collect();
    for s in &proxies {
        let place = s
            .str("name")
            .trim_end_matches("红港驿站")
            .trim_end_matches("商圈党建联盟");
        let place = place
            .trim_end_matches("口袋公园服务点")
            .trim_end_matches("游客中心服务点");
        assert!(
            stops.contains(place),
            "{} is not a real stop's place",
            s.str("name")
        );
    }
    let hospitals: BTreeSet<&str> = d.layers["sites"]
        .iter()
        .filter(|s| s.str("category") == "hospital")
        .map(|s| s.str("name"))
        .collect();
    assert!(
        hospitals
            .iter()
            .all(|h| h.ends_with("医院") || h.ends_with("院"))
    );
    println!(
        "{hosted} stations hosted by centres; {} sites placed at real stops, {} hospitals",
        proxies.len(),
        hospitals.len()
    );
}

#[test]
fn regenerating_reproduces_the_committed_files() {
    let generated = redgrid::demo::district::generate(
        &root().join("data/geojson"),
        &root().join("data/sources"),
        1,
    )
    .unwrap();
    for (name, text) in &generated.files {
        let committed = std::fs::read_to_string(root().join("data/geojson").join(name)).unwrap();
        assert!(
            committed == *text,
            "{name} differs from `redgrid gen-demo district --seed 1`"
        );
    }
    println!("{:#?}", generated.stats);
}

#[test]
fn the_district_layers_stay_compact() {
    let files = [
        "streets.geojson",
        "communities.geojson",
        "grids.geojson",
        "compounds.geojson",
        "buildings.geojson",
        "sites.geojson",
        "workers.json",
        "building_heads.json",
    ];
    let bytes: u64 = files
        .iter()
        .map(|f| {
            std::fs::metadata(root().join("data/geojson").join(f))
                .unwrap()
                .len()
        })
        .sum();
    println!("district layers: {:.1} MB", bytes as f64 / 1e6);
    assert!(bytes <= 15_000_000, "{bytes} bytes");
}
