//! One builder per published tile layer: its features with their properties, its
//! zooms, its data version and the fields its TileJSON lists.

use geo::Geometry;
use redgrid_tiles::{Feature, Layer, Value};

use super::{Inputs, TileLayer, Walks, cells};
use crate::coverage;
use crate::model::NetworkEdge;
use crate::store::{Dataset, LayerId, content_version};

/// Highway classes drawn from zoom 8 to 12.
const MAJOR: [&str; 6] = [
    "trunk",
    "primary",
    "secondary",
    "tertiary",
    "trunk_link",
    "primary_link",
];

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

fn prop(key: &str, value: Value) -> (String, Value) {
    (key.to_owned(), value)
}

fn bounds(ds: &Dataset, l: LayerId) -> Option<[f64; 4]> {
    ds.layer(l)
        .bbox
        .map(|b| [b.min_lon(), b.min_lat(), b.max_lon(), b.max_lat()])
}

/// A published layer drawn from one data layer.
fn published(
    id: &'static str,
    title: &'static str,
    parts: Vec<Layer>,
    ds: &Dataset,
    source: LayerId,
    fields: &[(&'static str, &'static str)],
) -> TileLayer {
    TileLayer {
        id,
        title,
        parts,
        version: ds.layer(source).version.clone(),
        fields: fields.to_vec(),
        bounds: bounds(ds, source),
    }
}

/// Polygon features of `items` with the properties `props` gives.
fn polygons<'a, P: 'a>(
    name: &str,
    zooms: std::ops::RangeInclusive<u8>,
    items: impl Iterator<Item = &'a crate::model::Feature<P, geo::MultiPolygon<f64>>>,
    props: impl Fn(usize, &P) -> Vec<(String, Value)>,
) -> Layer {
    let features = items
        .enumerate()
        .map(|(i, f)| {
            Feature::from_lon_lat(
                Some(i as u64),
                &Geometry::MultiPolygon(f.geometry.clone()),
                props(i, &f.props),
            )
        })
        .collect();
    Layer::new(name, zooms, features)
}

/// A layer of areas carrying their id and name, drawn from one data layer.
fn named_areas<'a, P: crate::model::HasId + 'a>(
    (id, title, zooms): (&'static str, &'static str, std::ops::RangeInclusive<u8>),
    items: &'a [crate::model::Feature<P, geo::MultiPolygon<f64>>],
    name: impl Fn(&P) -> &str,
    ds: &Dataset,
    source: LayerId,
) -> TileLayer {
    let part = polygons(id, zooms, items.iter(), |_, p| {
        vec![
            prop("id", text(p.id().to_string())),
            prop("name", text(name(p))),
        ]
    });
    published(
        id,
        title,
        vec![part],
        ds,
        source,
        &[("id", "String"), ("name", "String")],
    )
}

pub fn land(ds: &Dataset) -> TileLayer {
    let part = polygons("land", 0..=22, ds.district.iter(), |_, p| {
        vec![prop("name", text(p.name.clone()))]
    });
    let fields = [("name", "String")];
    published(
        "land",
        "芝罘区陆域 District land",
        vec![part],
        ds,
        LayerId::District,
        &fields,
    )
}

pub fn context(ds: &Dataset) -> TileLayer {
    let part = polygons("context", 0..=22, ds.context.iter(), |_, p| {
        vec![prop("name", text(p.name.clone()))]
    });
    let fields = [("name", "String")];
    published(
        "context",
        "周边区市 Neighbouring districts",
        vec![part],
        ds,
        LayerId::Context,
        &fields,
    )
}

pub fn streets(ds: &Dataset) -> TileLayer {
    let meta = ("streets", "街道 Streets", 0..=22);
    named_areas(meta, &ds.streets, |p| &p.name, ds, LayerId::Streets)
}

pub fn communities(ds: &Dataset) -> TileLayer {
    let meta = ("communities", "社区 Communities", 9..=22);
    named_areas(meta, &ds.communities, |p| &p.name, ds, LayerId::Communities)
}

/// Grids with their codes, branch and population, and in the internal profile their
/// coverage under the 5-minute preset (300 m).
pub fn grids(ds: &Dataset, inputs: &Inputs<'_>, walks: &Walks) -> TileLayer {
    let population = coverage::populations(ds);
    let covered: Vec<bool> = (0..population.len())
        .map(|b| walks.walk_m(b).is_some_and(|m| m <= 300.0))
        .collect();
    let table = coverage::tally(
        inputs.areas,
        coverage::Level::Grid,
        &population,
        &covered,
        &walks.service_point,
    );
    let part = polygons("grids", 11..=22, ds.grids.iter(), |i, p| {
        let mut props = vec![
            prop("id", text(p.id.to_string())),
            prop("code", text(p.code.as_str())),
            prop("party_branch", text(p.party_branch.clone())),
        ];
        if let Some(row) = table.rows.get(i) {
            props.push(prop("population", Value::Int(row.population as i64)));
            if inputs.internal {
                props.push(prop(
                    "covered_population_5min",
                    Value::Int(row.covered_population as i64),
                ));
                if let Some(pct) = row.coverage_pct() {
                    props.push(prop("coverage_pct_5min", Value::Double(pct)));
                }
            }
        }
        props
    });
    let versions = [
        LayerId::Grids,
        LayerId::Buildings,
        LayerId::Sites,
        LayerId::WalkNetwork,
    ]
    .map(|l| ds.layer(l).version.clone())
    .concat();
    TileLayer {
        version: content_version(versions.as_bytes()),
        ..published(
            "grids",
            "红色网格 Red grids",
            vec![part],
            ds,
            LayerId::Grids,
            &[
                ("id", "String"),
                ("code", "String"),
                ("party_branch", "String"),
                ("population", "Number"),
                ("covered_population_5min", "Number"),
                ("coverage_pct_5min", "Number"),
            ],
        )
    }
}

/// The H3 coverage cells, one part per zoom range.
pub fn coverage(ds: &Dataset, walks: &Walks) -> TileLayer {
    let versions = [LayerId::Buildings, LayerId::Sites, LayerId::WalkNetwork]
        .map(|l| ds.layer(l).version.clone())
        .concat();
    TileLayer {
        id: "coverage",
        title: "步行覆盖 Walk to the nearest service point",
        parts: cells::layers(ds, &|b| walks.walk_m(b)),
        version: content_version(versions.as_bytes()),
        fields: vec![
            ("walk_m", "Number"),
            ("walk_m_max", "Number"),
            ("population", "Number"),
            ("buildings", "Number"),
            ("resolution", "Number"),
        ],
        bounds: bounds(ds, LayerId::Buildings),
    }
}

pub fn compounds(ds: &Dataset) -> TileLayer {
    let meta = ("compounds", "小区 Compounds", 13..=22);
    named_areas(meta, &ds.compounds, |p| &p.name, ds, LayerId::Compounds)
}

/// Buildings from zoom 14, with their walk in the internal profile.
pub fn buildings(ds: &Dataset, internal: bool, walks: &Walks) -> TileLayer {
    let part = polygons("buildings", 14..=22, ds.buildings.iter(), |i, p| {
        let mut props = vec![
            prop("id", text(p.id.to_string())),
            prop("address", text(p.address.clone())),
            prop("population", Value::Int(i64::from(p.population))),
            prop("floors", Value::Int(i64::from(p.floors))),
        ];
        if let (true, Some(m)) = (internal, walks.walk_m(i)) {
            props.push(prop("walk_m", Value::Double(m)));
        }
        props
    });
    let fields = [
        ("id", "String"),
        ("address", "String"),
        ("population", "Number"),
        ("floors", "Number"),
        ("walk_m", "Number"),
    ];
    published(
        "buildings",
        "楼栋 Buildings",
        vec![part],
        ds,
        LayerId::Buildings,
        &fields,
    )
}

/// Sites: from zoom 10 the places residents go for service, from 14 every resource.
pub fn sites(ds: &Dataset, walks: &Walks) -> TileLayer {
    let features = |all: bool| {
        ds.sites
            .iter()
            .enumerate()
            .filter(|(_, s)| all || s.props.kind.serves_residents())
            .map(|(i, s)| {
                let p = &s.props;
                let mut props = vec![
                    prop("id", text(p.id.to_string())),
                    prop("name", text(p.name.clone())),
                    prop("kind", text(p.kind.as_str())),
                    prop("service_point", Value::Bool(walks.service_point[i])),
                ];
                if let Some(n) = &p.network {
                    props.push(prop("network", text(n.clone())));
                }
                Feature::from_lon_lat(Some(i as u64), &Geometry::Point(s.geometry), props)
            })
            .collect()
    };
    let fields = [
        ("id", "String"),
        ("name", "String"),
        ("kind", "String"),
        ("service_point", "Boolean"),
        ("network", "String"),
    ];
    let parts = vec![
        Layer::new("sites", 10..=13, features(false)),
        Layer::new("sites", 14..=22, features(true)),
    ];
    published(
        "sites",
        "服务阵地与资源 Sites",
        parts,
        ds,
        LayerId::Sites,
        &fields,
    )
}

/// One point per named area (context districts, and streets and communities when
/// boundaries are published) carrying `layer` and `name`, so each name is written
/// once instead of once per tile.
pub fn labels(ds: &Dataset, boundaries: bool) -> TileLayer {
    let mut features = Vec::new();
    let mut add = |layer: &str, name: &str, area: &geo::MultiPolygon<f64>| {
        if let Some(point) = crate::geo::label_point(area) {
            let props = vec![prop("layer", text(layer)), prop("name", text(name))];
            let id = features.len() as u64;
            features.push(Feature::from_lon_lat(
                Some(id),
                &Geometry::Point(point),
                props,
            ));
        }
    };
    for f in &ds.context {
        add("context", &f.props.name, &f.geometry);
    }
    let mut sources = vec![LayerId::Context];
    if boundaries {
        for f in &ds.streets {
            add("streets", &f.props.name, &f.geometry);
        }
        for f in &ds.communities {
            add("communities", &f.props.name, &f.geometry);
        }
        sources.extend([LayerId::Streets, LayerId::Communities]);
    }
    let versions: String = sources
        .iter()
        .map(|l| ds.layer(*l).version.clone())
        .collect();
    TileLayer {
        version: content_version(versions.as_bytes()),
        ..published(
            "labels",
            "名称 Area names",
            vec![Layer::new("labels", 0..=22, features)],
            ds,
            LayerId::Context,
            &[("layer", "String"), ("name", "String")],
        )
    }
}

fn road(i: usize, e: &NetworkEdge) -> Feature {
    let p = &e.props;
    let mut props = vec![prop("highway", text(p.highway.clone().unwrap_or_default()))];
    if let Some(n) = &p.name {
        props.push(prop("name", text(n.clone())));
    }
    if p.bridge {
        props.push(prop("bridge", Value::Bool(true)));
    }
    if p.access.is_some() {
        props.push(prop("private", Value::Bool(true)));
    }
    Feature::from_lon_lat(
        Some(i as u64),
        &Geometry::LineString(e.geometry.clone()),
        props,
    )
}

/// A major road's class, name and whether it is a bridge.
type RoadKey<'a> = (&'a str, Option<&'a str>, bool);

/// The major roads for zooms 8–12, one feature per class, name and bridge (their
/// edges gathered into one multi-line), so a tile over the district stays small.
pub fn major_roads(ds: &Dataset) -> TileLayer {
    let mut groups: std::collections::BTreeMap<RoadKey<'_>, Vec<geo::LineString<f64>>> =
        Default::default();
    for e in &ds.network {
        let p = &e.props;
        if let Some(h) = p.highway.as_deref().filter(|h| MAJOR.contains(h)) {
            groups
                .entry((h, p.name.as_deref(), p.bridge))
                .or_default()
                .push(e.geometry.clone());
        }
    }
    let features = groups
        .into_iter()
        .enumerate()
        .map(|(i, ((highway, name, bridge), lines))| {
            let mut props = vec![prop("highway", text(highway))];
            if let Some(n) = name {
                props.push(prop("name", text(n)));
            }
            if bridge {
                props.push(prop("bridge", Value::Bool(true)));
            }
            let lines = Geometry::MultiLineString(geo::MultiLineString(lines));
            Feature::from_lon_lat(Some(i as u64), &lines, props)
        })
        .collect();
    let fields = [
        ("highway", "String"),
        ("name", "String"),
        ("bridge", "Boolean"),
    ];
    let part = Layer::new("major_roads", 8..=12, features);
    published(
        "major_roads",
        "主要道路 Major roads",
        vec![part],
        ds,
        LayerId::WalkNetwork,
        &fields,
    )
}

pub fn roads(ds: &Dataset) -> TileLayer {
    let features = ds
        .network
        .iter()
        .enumerate()
        .map(|(i, e)| road(i, e))
        .collect();
    let fields = [
        ("highway", "String"),
        ("name", "String"),
        ("bridge", "Boolean"),
        ("private", "Boolean"),
    ];
    let part = Layer::new("roads", 13..=22, features);
    published(
        "roads",
        "步行路网 Walking network",
        vec![part],
        ds,
        LayerId::WalkNetwork,
        &fields,
    )
}
