//! Gaps: where uncovered people live, as H3 cells. A cell of resolution 11 (edge
//! ≈ 25 m, ≈ 50 m across, ≈ 2,150 m²) is fine enough that a 300 m walk spans about
//! six cells, so a gap map shows which side of a block is out of reach, and coarse
//! enough that a cell holds a building or two rather than a fraction of one. A cell
//! is a gap only if it holds an uncovered building with residents; cells holding no
//! building are no population, never a gap. Adjacent gap cells are dissolved into
//! one polygon carrying the population of its buildings; coarser resolutions (parent
//! cells) serve low zooms.

use std::collections::{BTreeMap, BTreeSet};

use geo::{Coord, LineString, MapCoords, MultiPolygon, Polygon, unary_union};
use h3o::{CellIndex, LatLng, Resolution};

/// The resolution gaps are found at.
pub const GAP_RESOLUTION: Resolution = Resolution::Eleven;

/// One dissolved gap: its cells, outline (WGS-84 lon/lat) and people.
#[derive(Debug, Clone)]
pub struct Gap {
    pub cells: Vec<CellIndex>,
    pub area: MultiPolygon<f64>,
    pub population: u64,
    pub buildings: u32,
    /// People of the gap within the budget of a service point in a straight line but
    /// not on foot: what they lack is a path, not a station.
    pub detour_excluded: u64,
}

/// The buildings gaps are found among, one entry each.
#[derive(Debug, Clone, Copy)]
pub struct Demand<'a> {
    /// Centroids, WGS-84 lon/lat.
    pub points: &'a [Option<[f64; 2]>],
    pub population: &'a [u32],
    pub covered: &'a [bool],
    /// Within the budget of a service point in a straight line.
    pub near_in_a_line: &'a [bool],
}

/// The gaps among `demand`'s uncovered buildings at `resolution` (at most 11),
/// largest population first (ties by first cell).
pub fn gaps(demand: &Demand, resolution: Resolution) -> Vec<Gap> {
    // People, buildings and people near in a straight line per gap cell.
    let mut cells: BTreeMap<CellIndex, (u64, u32, u64)> = BTreeMap::new();
    for (b, point) in demand.points.iter().enumerate() {
        let Some([lon, lat]) = *point else { continue };
        let people = demand.population[b];
        if demand.covered[b] || people == 0 {
            continue;
        }
        let Ok(at) = LatLng::new(lat, lon) else {
            continue;
        };
        let entry = cells.entry(at.to_cell(resolution)).or_default();
        entry.0 += u64::from(people);
        entry.1 += 1;
        if demand.near_in_a_line[b] {
            entry.2 += u64::from(people);
        }
    }
    let mut found: Vec<Gap> = components(&cells.keys().copied().collect())
        .into_iter()
        .map(|group| {
            let (population, buildings, detour_excluded) = group
                .iter()
                .map(|c| cells[c])
                .fold((0, 0, 0), |(p, n, d), (cp, cn, cd)| {
                    (p + cp, n + cn, d + cd)
                });
            Gap {
                area: dissolve(&group),
                cells: group,
                population,
                buildings,
                detour_excluded,
            }
        })
        .collect();
    found.sort_by(|a, b| {
        b.population
            .cmp(&a.population)
            .then(a.cells[0].cmp(&b.cells[0]))
    });
    found
}

/// The groups of edge-adjacent cells, each sorted.
fn components(cells: &BTreeSet<CellIndex>) -> Vec<Vec<CellIndex>> {
    let mut seen = BTreeSet::new();
    let mut groups = Vec::new();
    for &start in cells {
        if !seen.insert(start) {
            continue;
        }
        let mut group = vec![start];
        let mut stack = vec![start];
        while let Some(cell) = stack.pop() {
            for next in cell.grid_disk::<Vec<_>>(1) {
                if cells.contains(&next) && seen.insert(next) {
                    group.push(next);
                    stack.push(next);
                }
            }
        }
        group.sort_unstable();
        groups.push(group);
    }
    groups
}

/// The union of cells' hexagons, lon/lat to 7 decimals as in the data files.
pub fn dissolve(cells: &[CellIndex]) -> MultiPolygon<f64> {
    let hexagons: Vec<Polygon<f64>> = cells.iter().map(|&c| hexagon(c)).collect();
    let round = |v: f64| (v * 1e7).round() / 1e7;
    unary_union(&hexagons).map_coords(|c| Coord {
        x: round(c.x),
        y: round(c.y),
    })
}

/// A cell's outline, lon/lat, closed.
pub fn hexagon(cell: CellIndex) -> Polygon<f64> {
    let ring: Vec<Coord<f64>> = cell
        .boundary()
        .iter()
        .map(|v| Coord {
            x: v.lng(),
            y: v.lat(),
        })
        .collect();
    Polygon::new(LineString::new(ring), Vec::new())
}
