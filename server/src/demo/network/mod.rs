//! The demo walking network: a street lattice whose density follows the real bus-stop
//! density, warped so streets curve, clipped to the land; arterials along the real
//! bus-line corridors; lanes, footpaths and private compound roads inside blocks;
//! everything noded into one planar graph, written as GeoJSON.

mod arterials;
pub(crate) mod density;
mod graph;
pub(crate) mod inputs;
mod land;
mod lattice;
mod names;
mod noding;

use std::path::Path;

pub use graph::Stats;
pub use inputs::Inputs;

use crate::error::Result;

/// What a line of the network is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Attrs {
    pub highway: &'static str,
    pub bridge: bool,
    pub private: bool,
}

impl Attrs {
    pub const fn road(highway: &'static str) -> Self {
        Self {
            highway,
            bridge: false,
            private: false,
        }
    }
}

/// A polyline in local metres with its attributes.
#[derive(Debug, Clone)]
pub struct Line {
    pub coords: Vec<geo::Coord<f64>>,
    pub attrs: Attrs,
}

/// Planar distance, metres; `sqrt` is exact in IEEE 754, unlike `hypot` in some libms.
pub fn distance(a: geo::Coord<f64>, b: geo::Coord<f64>) -> f64 {
    ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).sqrt()
}

/// The generated file and what it measures.
pub struct Generated {
    pub geojson: String,
    pub stats: Stats,
}

/// Generates the network from the land in `data_dir` and the bus data in `sources_dir`.
pub fn generate(data_dir: &Path, sources_dir: &Path, seed: u64) -> Result<Generated> {
    let inputs = Inputs::read(data_dir, sources_dir)?;
    let density = density::StopDensity::new(&inputs.stops, &inputs.land);
    let streets = lattice::streets(&inputs, &density, seed);
    let (streets, connectors) = arterials::route(&inputs, streets, seed);
    let lines = noding::node(streets, connectors);
    let named_stops: Vec<names::NamedStop> = inputs
        .stops
        .iter()
        .zip(&inputs.stop_names)
        .map(|(&at, name)| names::NamedStop {
            at,
            roads: names::road_tokens(name),
        })
        .filter(|s| !s.roads.is_empty())
        .collect();
    Ok(graph::assemble(
        lines,
        &inputs.projection,
        &named_stops,
        seed,
    ))
}
