//! The `coverage` tile layer: H3 cells holding buildings, each with the shortest and
//! longest walk from its buildings to their nearest service point (`walk_m`,
//! `walk_m_max`; absent beyond the field's reach), its residents and buildings.
//! Resolution 11 from zoom 14, and parents below (10 at zooms 12–13, 9 at 10–11, 8
//! up to 9), where a cell's figures gather its children's.

use std::collections::BTreeMap;

use geo::Geometry;
use h3o::{CellIndex, LatLng, Resolution};
use redgrid_tiles::{Feature, Layer, Value};

use crate::coverage::{GAP_RESOLUTION, hexagon};
use crate::store::Dataset;

/// What a cell gathers.
#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    walk_min_m: Option<f64>,
    walk_max_m: Option<f64>,
    /// Some building of the cell is beyond the field's reach.
    beyond: bool,
    population: u64,
    buildings: u32,
}

impl Cell {
    /// One building: its walk (`None` beyond reach) and residents.
    fn building(walk_m: Option<f64>, population: u32) -> Self {
        Self {
            walk_min_m: walk_m,
            walk_max_m: walk_m,
            beyond: walk_m.is_none(),
            population: u64::from(population),
            buildings: 1,
        }
    }

    fn merge(&mut self, other: &Cell) {
        let pick = |a: Option<f64>, b: Option<f64>, f: fn(f64, f64) -> f64| match (a, b) {
            (Some(x), Some(y)) => Some(f(x, y)),
            (x, y) => x.or(y),
        };
        self.walk_min_m = pick(self.walk_min_m, other.walk_min_m, f64::min);
        self.walk_max_m = pick(self.walk_max_m, other.walk_max_m, f64::max);
        self.beyond |= other.beyond;
        self.population += other.population;
        self.buildings += other.buildings;
    }
}

const LEVELS: [(Resolution, u8, u8); 4] = [
    (Resolution::Eleven, 14, 22),
    (Resolution::Ten, 12, 13),
    (Resolution::Nine, 10, 11),
    (Resolution::Eight, 0, 9),
];

/// The coverage layers, one per zoom range.
pub fn layers(ds: &Dataset, walk_m: &dyn Fn(usize) -> Option<f64>) -> Vec<Layer> {
    use geo::Centroid;
    let mut finest: BTreeMap<CellIndex, Cell> = BTreeMap::new();
    for (b, building) in ds.buildings.iter().enumerate() {
        let Some(c) = building.geometry.centroid() else {
            continue;
        };
        let Ok(at) = LatLng::new(c.y(), c.x()) else {
            continue;
        };
        finest
            .entry(at.to_cell(GAP_RESOLUTION))
            .or_default()
            .merge(&Cell::building(walk_m(b), building.props.population));
    }
    LEVELS
        .iter()
        .map(|&(resolution, min_zoom, max_zoom)| {
            let mut cells: BTreeMap<CellIndex, Cell> = BTreeMap::new();
            for (cell, c) in &finest {
                let Some(parent) = cell.parent(resolution) else {
                    continue;
                };
                cells.entry(parent).or_default().merge(c);
            }
            let features = cells
                .iter()
                .map(|(cell, c)| {
                    let mut props = vec![
                        ("population".to_owned(), Value::Int(c.population as i64)),
                        ("buildings".to_owned(), Value::Int(i64::from(c.buildings))),
                        (
                            "resolution".to_owned(),
                            Value::Int(i64::from(u8::from(resolution))),
                        ),
                    ];
                    if let Some(m) = c.walk_min_m {
                        props.push(("walk_m".to_owned(), Value::Double(m)));
                    }
                    // The longest walk, or none when some building is beyond reach.
                    if let (Some(m), false) = (c.walk_max_m, c.beyond) {
                        props.push(("walk_m_max".to_owned(), Value::Double(m)));
                    }
                    Feature::from_lon_lat(
                        Some(u64::from(*cell)),
                        &Geometry::Polygon(hexagon(*cell)),
                        props,
                    )
                })
                .collect();
            Layer::new("coverage", min_zoom..=max_zoom, features)
        })
        .collect()
}
