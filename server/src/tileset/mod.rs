//! The district's vector tile layers, prepared once from the dataset (projected to
//! Web Mercator and indexed by `redgrid-tiles`), each with the data version that
//! names its tiles; and the cache of encoded tiles.
//!
//! Layers: `land` (the district; the sea is the map's background), `context`,
//! `streets`, `communities`, `grids` (codes and coverage under the 5-minute preset),
//! `compounds`, `buildings` (from zoom 14, with the walk to the nearest service point),
//! `sites` by kind, `major_roads` and `roads` (the walking network by highway class),
//! and `coverage`: H3 cells holding buildings with `walk_m` to the nearest service
//! point, res 11 from zoom 14 and parents below, so a page applies any minutes/speed
//! threshold itself. Personal data is never in a tile.

mod cache;
mod cells;
pub mod pmtiles;

use std::collections::BTreeMap;

use geo::Geometry;
use redgrid_tiles::{Feature, Layer, Value};

pub use cache::{DataChange, TileCache, TileKey};

use crate::coverage;
use crate::model::SiteKind;
use crate::network::WalkGraph;
use crate::reach::{Nearest, SearchState, Targets};
use crate::store::{Dataset, LayerId, content_version};

/// Highway classes drawn from zoom 10.
const MAJOR: [&str; 6] = [
    "trunk",
    "primary",
    "secondary",
    "tertiary",
    "trunk_link",
    "primary_link",
];
/// Walks longer than this are "beyond" in the coverage layers, metres.
pub const FIELD_REACH_M: f64 = 3_000.0;

/// One published layer: its tile layers (several for zoom ranges), version and the
/// fields its features carry.
#[derive(Debug)]
pub struct TileLayer {
    pub id: &'static str,
    pub title: &'static str,
    pub parts: Vec<Layer>,
    pub version: String,
    pub fields: Vec<(&'static str, &'static str)>,
    pub bounds: Option<[f64; 4]>,
}

impl TileLayer {
    pub fn min_zoom(&self) -> u8 {
        self.parts.iter().map(|l| l.min_zoom).min().unwrap_or(0)
    }

    pub fn max_zoom(&self) -> u8 {
        self.parts.iter().map(|l| l.max_zoom).max().unwrap_or(0)
    }

    /// The encoded tile; `None` when it holds nothing.
    pub fn tile(
        &self,
        coord: redgrid_tiles::TileCoord,
    ) -> Result<Option<Vec<u8>>, redgrid_tiles::EncodeError> {
        let parts: Vec<&Layer> = self.parts.iter().collect();
        redgrid_tiles::encode_tile(&parts, coord)
    }
}

/// Every published tile layer, by id.
#[derive(Debug, Default)]
pub struct TileSet {
    pub layers: BTreeMap<&'static str, TileLayer>,
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

fn kind_name(kind: SiteKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn polygon_layer<'a, P: 'a>(
    name: &str,
    zooms: std::ops::RangeInclusive<u8>,
    features: impl Iterator<Item = &'a crate::model::Feature<P, geo::MultiPolygon<f64>>>,
    props: impl Fn(&P) -> Vec<(String, Value)>,
) -> Layer {
    let features = features
        .enumerate()
        .map(|(i, f)| {
            Feature::from_lon_lat(
                Some(i as u64),
                &Geometry::MultiPolygon(f.geometry.clone()),
                props(&f.props),
            )
        })
        .collect();
    Layer::new(name, zooms, features)
}

/// What the tile set is built from besides the dataset.
pub struct Inputs<'a> {
    pub graph: &'a WalkGraph,
    pub targets: &'a Targets,
    pub areas: &'a coverage::Areas,
    /// Coverage figures and walks are published (the internal profile).
    pub internal: bool,
    /// Street, community and grid boundaries are published.
    pub boundaries: bool,
}

impl TileSet {
    pub fn build(ds: &Dataset, inputs: &Inputs<'_>) -> Self {
        let mut set = TileSet::default();
        let version = |l: LayerId| ds.layer(l).version.clone();
        let bounds = |l: LayerId| {
            ds.layer(l)
                .bbox
                .map(|b| [b.min_lon(), b.min_lat(), b.max_lon(), b.max_lat()])
        };
        let mut add = |id,
                       title,
                       parts: Vec<Layer>,
                       version: String,
                       fields: Vec<(&'static str, &'static str)>,
                       bounds| {
            set.layers.insert(
                id,
                TileLayer {
                    id,
                    title,
                    parts,
                    version,
                    fields,
                    bounds,
                },
            );
        };
        add(
            "land",
            "芝罘区陆域 District land",
            vec![polygon_layer("land", 0..=22, ds.district.iter(), |p| {
                vec![("name".into(), text(p.name.clone()))]
            })],
            version(LayerId::District),
            vec![("name", "String")],
            bounds(LayerId::District),
        );
        add(
            "context",
            "周边区市 Neighbouring districts",
            vec![polygon_layer("context", 0..=22, ds.context.iter(), |p| {
                vec![("name".into(), text(p.name.clone()))]
            })],
            version(LayerId::Context),
            vec![("name", "String")],
            bounds(LayerId::Context),
        );
        // Every building's nearest service point within FIELD_REACH_M.
        let mask = coverage::service_point_mask(ds, &SiteKind::SERVICE_POINTS);
        let mut state = SearchState::new(inputs.graph.node_count());
        let field = coverage::field(
            inputs.graph,
            inputs.targets,
            &mut state,
            &mask,
            (FIELD_REACH_M * 10.0) as u32,
        );
        let walk_m = |b: usize| field[b].map(|n: Nearest| f64::from(n.dist_dm) / 10.0);
        if inputs.boundaries {
            let population = coverage::populations(ds);
            let within_5 = |b: &usize| walk_m(*b).is_some_and(|m| m <= 300.0);
            let covered: Vec<bool> = (0..population.len()).map(|b| within_5(&b)).collect();
            let grids = coverage::tally(
                inputs.areas,
                coverage::Level::Grid,
                &population,
                &covered,
                &mask,
            );
            let area_props = |id: &crate::model::Id, name: &str| {
                vec![
                    ("id".to_owned(), text(id.to_string())),
                    ("name".to_owned(), text(name)),
                ]
            };
            add(
                "streets",
                "街道 Streets",
                vec![polygon_layer("streets", 0..=22, ds.streets.iter(), |p| {
                    area_props(&p.id, &p.name)
                })],
                version(LayerId::Streets),
                vec![("id", "String"), ("name", "String")],
                bounds(LayerId::Streets),
            );
            add(
                "communities",
                "社区 Communities",
                vec![polygon_layer(
                    "communities",
                    9..=22,
                    ds.communities.iter(),
                    |p| area_props(&p.id, &p.name),
                )],
                version(LayerId::Communities),
                vec![("id", "String"), ("name", "String")],
                bounds(LayerId::Communities),
            );
            let grid_layer = Layer::new(
                "grids",
                11..=22,
                ds.grids
                    .iter()
                    .zip(&grids.rows)
                    .enumerate()
                    .map(|(i, (g, row))| {
                        let mut props = vec![
                            ("id".to_owned(), text(g.props.id.to_string())),
                            ("code".to_owned(), text(g.props.code.as_str())),
                            (
                                "party_branch".to_owned(),
                                text(g.props.party_branch.clone()),
                            ),
                            ("population".to_owned(), Value::Int(row.population as i64)),
                        ];
                        if inputs.internal {
                            props.push((
                                "covered_population_5min".to_owned(),
                                Value::Int(row.covered_population as i64),
                            ));
                            if let Some(pct) = row.coverage_pct() {
                                props.push(("coverage_pct_5min".to_owned(), Value::Double(pct)));
                            }
                        }
                        Feature::from_lon_lat(
                            Some(i as u64),
                            &Geometry::MultiPolygon(g.geometry.clone()),
                            props,
                        )
                    })
                    .collect(),
            );
            add(
                "grids",
                "红色网格 Red grids",
                vec![grid_layer],
                content_version(
                    format!(
                        "{}{}{}",
                        version(LayerId::Grids),
                        version(LayerId::Buildings),
                        version(LayerId::Sites)
                    )
                    .as_bytes(),
                ),
                vec![
                    ("id", "String"),
                    ("code", "String"),
                    ("party_branch", "String"),
                    ("population", "Number"),
                    ("covered_population_5min", "Number"),
                    ("coverage_pct_5min", "Number"),
                ],
                bounds(LayerId::Grids),
            );
        }
        if inputs.internal {
            let coverage_version = content_version(
                format!(
                    "{}{}{}",
                    version(LayerId::Buildings),
                    version(LayerId::Sites),
                    version(LayerId::WalkNetwork)
                )
                .as_bytes(),
            );
            add(
                "coverage",
                "步行覆盖 Walk to the nearest service point",
                cells::layers(ds, &walk_m),
                coverage_version,
                vec![
                    ("walk_m", "Number"),
                    ("walk_m_max", "Number"),
                    ("population", "Number"),
                    ("buildings", "Number"),
                    ("resolution", "Number"),
                ],
                bounds(LayerId::Buildings),
            );
        }
        add(
            "compounds",
            "小区 Compounds",
            vec![polygon_layer(
                "compounds",
                13..=22,
                ds.compounds.iter(),
                |p| {
                    vec![
                        ("id".into(), text(p.id.to_string())),
                        ("name".into(), text(p.name.clone())),
                    ]
                },
            )],
            version(LayerId::Compounds),
            vec![("id", "String"), ("name", "String")],
            bounds(LayerId::Compounds),
        );
        let buildings = Layer::new(
            "buildings",
            14..=22,
            ds.buildings
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    let mut props = vec![
                        ("id".to_owned(), text(b.props.id.to_string())),
                        ("address".to_owned(), text(b.props.address.clone())),
                        (
                            "population".to_owned(),
                            Value::Int(i64::from(b.props.population)),
                        ),
                        ("floors".to_owned(), Value::Int(i64::from(b.props.floors))),
                    ];
                    if let (true, Some(m)) = (inputs.internal, walk_m(i)) {
                        props.push(("walk_m".to_owned(), Value::Double(m)));
                    }
                    Feature::from_lon_lat(
                        Some(i as u64),
                        &Geometry::MultiPolygon(b.geometry.clone()),
                        props,
                    )
                })
                .collect(),
        );
        add(
            "buildings",
            "楼栋 Buildings",
            vec![buildings],
            version(LayerId::Buildings),
            vec![
                ("id", "String"),
                ("address", "String"),
                ("population", "Number"),
                ("floors", "Number"),
                ("walk_m", "Number"),
            ],
            bounds(LayerId::Buildings),
        );
        let sites = Layer::new(
            "sites",
            10..=22,
            ds.sites
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let p = &s.props;
                    let mut props = vec![
                        ("id".to_owned(), text(p.id.to_string())),
                        ("name".to_owned(), text(p.name.clone())),
                        ("kind".to_owned(), text(kind_name(p.kind))),
                        ("service_point".to_owned(), Value::Bool(mask[i])),
                    ];
                    if let Some(n) = &p.network {
                        props.push(("network".to_owned(), text(n.clone())));
                    }
                    Feature::from_lon_lat(Some(i as u64), &Geometry::Point(s.geometry), props)
                })
                .collect(),
        );
        add(
            "sites",
            "服务阵地与资源 Sites",
            vec![sites],
            version(LayerId::Sites),
            vec![
                ("id", "String"),
                ("name", "String"),
                ("kind", "String"),
                ("service_point", "Boolean"),
                ("network", "String"),
            ],
            bounds(LayerId::Sites),
        );
        let road = |i: usize, e: &crate::model::NetworkEdge| {
            let p = &e.props;
            let mut props = vec![(
                "highway".to_owned(),
                text(p.highway.clone().unwrap_or_default()),
            )];
            if let Some(n) = &p.name {
                props.push(("name".to_owned(), text(n.clone())));
            }
            if p.bridge {
                props.push(("bridge".to_owned(), Value::Bool(true)));
            }
            if p.access.is_some() {
                props.push(("private".to_owned(), Value::Bool(true)));
            }
            Feature::from_lon_lat(
                Some(i as u64),
                &Geometry::LineString(e.geometry.clone()),
                props,
            )
        };
        let is_major = |e: &crate::model::NetworkEdge| {
            e.props
                .highway
                .as_deref()
                .is_some_and(|h| MAJOR.contains(&h))
        };
        add(
            "major_roads",
            "主要道路 Major roads",
            vec![Layer::new(
                "major_roads",
                8..=12,
                ds.network
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| is_major(e))
                    .map(|(i, e)| road(i, e))
                    .collect(),
            )],
            version(LayerId::WalkNetwork),
            vec![
                ("highway", "String"),
                ("name", "String"),
                ("bridge", "Boolean"),
            ],
            bounds(LayerId::WalkNetwork),
        );
        add(
            "roads",
            "步行路网 Walking network",
            vec![Layer::new(
                "roads",
                13..=22,
                ds.network
                    .iter()
                    .enumerate()
                    .map(|(i, e)| road(i, e))
                    .collect(),
            )],
            version(LayerId::WalkNetwork),
            vec![
                ("highway", "String"),
                ("name", "String"),
                ("bridge", "Boolean"),
                ("private", "Boolean"),
            ],
            bounds(LayerId::WalkNetwork),
        );
        set
    }
}
