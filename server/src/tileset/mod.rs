//! The district's vector tile layers, prepared once from the dataset (projected to
//! Web Mercator and indexed by `redgrid-tiles`), each with the data version that
//! names its tiles; and the cache of encoded tiles.
//!
//! Layers: `land` (the district; the sea is the map's background), `context`,
//! `streets`, `communities`, `grids` (codes and coverage under the 5-minute preset),
//! `compounds`, `buildings` (from zoom 14, with the walk to the nearest service point),
//! `sites` by kind (resources from zoom 14), `labels` (one point per named area),
//! `major_roads` and `roads` (the walking network by highway class),
//! and `coverage`: H3 cells holding buildings with `walk_m` to the nearest service
//! point, res 11 from zoom 14 and parents below, so a page applies any minutes/speed
//! threshold itself. Personal data is never in a tile.

mod cache;
mod cells;
mod layers;
pub mod pmtiles;
mod style;

use std::collections::BTreeMap;

use redgrid_tiles::Layer;

pub use cache::{DataChange, TileCache, TileKey};
pub use style::{StyleInputs, style};

use crate::coverage;
use crate::model::SiteKind;
use crate::network::WalkGraph;
use crate::reach::{SearchState, Targets};
use crate::store::Dataset;

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
    /// The kinds of site present, in legend order.
    pub site_kinds: Vec<SiteKind>,
    /// The district's name, when the data has its boundary.
    pub district_name: Option<String>,
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

/// Each building's walk to its nearest service point (within [`FIELD_REACH_M`]) and
/// which sites are service points.
pub struct Walks {
    pub service_point: Vec<bool>,
    walk_dm: Vec<Option<u32>>,
}

impl Walks {
    fn of(ds: &Dataset, inputs: &Inputs<'_>) -> Self {
        let service_point = coverage::service_point_mask(ds, &SiteKind::SERVICE_POINTS);
        let mut state = SearchState::new(inputs.graph.node_count());
        let field = coverage::field(
            inputs.graph,
            inputs.targets,
            &mut state,
            &service_point,
            (FIELD_REACH_M * 10.0) as u32,
        );
        Self {
            service_point,
            walk_dm: field.iter().map(|n| n.map(|n| n.dist_dm)).collect(),
        }
    }

    /// Building `b`'s walk, metres; `None` beyond reach.
    pub fn walk_m(&self, b: usize) -> Option<f64> {
        self.walk_dm[b].map(|d| f64::from(d) / 10.0)
    }
}

impl TileSet {
    pub fn build(ds: &Dataset, inputs: &Inputs<'_>) -> Self {
        let walks = Walks::of(ds, inputs);
        let mut set = TileSet {
            site_kinds: SiteKind::ALL
                .into_iter()
                .filter(|k| ds.sites.iter().any(|s| s.props.kind == *k))
                .collect(),
            district_name: ds.district.first().map(|d| d.props.name.clone()),
            ..TileSet::default()
        };
        let mut layers = vec![
            layers::land(ds),
            layers::context(ds),
            layers::labels(ds, inputs.boundaries),
        ];
        if inputs.boundaries {
            layers.extend([
                layers::streets(ds),
                layers::communities(ds),
                layers::grids(ds, inputs, &walks),
            ]);
        }
        if inputs.internal {
            layers.push(layers::coverage(ds, &walks));
        }
        layers.extend([
            layers::compounds(ds),
            layers::buildings(ds, inputs.internal, &walks),
            layers::sites(ds, &walks),
            layers::major_roads(ds),
            layers::roads(ds),
        ]);
        for layer in layers {
            set.layers.insert(layer.id, layer);
        }
        set
    }
}
