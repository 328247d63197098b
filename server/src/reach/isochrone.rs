//! Isochrone polygons. The walking distance field is sampled on a metric grid: each
//! grid point gets its own walking distance by the same definition as any other
//! point (its snaps, the private-road rule, offsets counted in full), so the
//! polygons agree with the distances the API reports. Marching squares (the `contour`
//! crate) trace the budgets' isolines into polygons with holes, simplified by at most
//! half a cell, exteriors counter-clockwise (RFC 7946). The polygons are a picture:
//! who and what is reached is decided from each building's and site's own walking
//! distance, never from polygon containment.

use geo::{MultiPolygon, Orient, SimplifyVwPreserve, orient::Direction};

use super::search::SearchState;
use super::{Placed, Reach, reach_target};
use crate::network::WalkGraph;

/// Grid points of one isochrone at most (4,000 × 4,000).
const MAX_CELLS: usize = 16_000_000;
/// The value of a grid point out of reach, metres.
const UNREACHED_VALUE: f64 = 1e12;

/// Nested polygons (each contour holds the smaller ones) or disjoint bands (rings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Bands {
    #[default]
    Nested,
    Disjoint,
}

/// One contour: the area within `budget_m` (or, for a disjoint band, between the
/// previous budget and this one), local metres.
#[derive(Debug, Clone)]
pub struct Contour {
    pub budget_m: f64,
    pub area: MultiPolygon<f64>,
}

/// Contours at `budgets_m` (ascending) around `origin`, from a search that reached at
/// least the largest budget.
pub fn contours(
    graph: &WalkGraph,
    reach: &Reach,
    state: &SearchState,
    origin: &Placed,
    budgets_m: &[f64],
    cell_m: f64,
    bands: Bands,
) -> Vec<Contour> {
    let empty = || {
        budgets_m
            .iter()
            .map(|&b| Contour {
                budget_m: b,
                area: MultiPolygon::new(Vec::new()),
            })
            .collect()
    };
    // The grid covers every reached node and the snap radius around it.
    let margin = reach.snap_radius_m + 2.0 * cell_m;
    let (mut lo, mut hi) = (origin.point, origin.point);
    for &n in state.touched() {
        let p = graph.position(n);
        lo = [lo[0].min(p[0]), lo[1].min(p[1])];
        hi = [hi[0].max(p[0]), hi[1].max(p[1])];
    }
    let x0 = ((lo[0] - margin) / cell_m).floor() * cell_m;
    let y0 = ((lo[1] - margin) / cell_m).floor() * cell_m;
    let nx = (((hi[0] + margin) - x0) / cell_m).ceil() as usize + 1;
    let ny = (((hi[1] + margin) - y0) / cell_m).ceil() as usize + 1;
    if nx * ny > MAX_CELLS {
        return empty();
    }
    let mut values = vec![-UNREACHED_VALUE; nx * ny];
    for j in 0..ny {
        for i in 0..nx {
            let p = [x0 + i as f64 * cell_m, y0 + j as f64 * cell_m];
            let snaps = reach.snaps(graph, p);
            if let Some(r) = reach_target(graph, state, origin, &snaps) {
                values[j * nx + i] = -f64::from(r.dist_dm) / 10.0;
            }
        }
    }

    // Marching squares on −distance: "≥ −budget" is "within budget".
    let builder = contour::ContourBuilder::new(nx, ny, true)
        .x_origin(x0)
        .y_origin(y0)
        .x_step(cell_m)
        .y_step(cell_m);
    let finish = |area: MultiPolygon<f64>| {
        area.simplify_vw_preserve(cell_m * cell_m / 4.0)
            .orient(Direction::Default)
    };
    match bands {
        Bands::Nested => {
            let thresholds: Vec<f64> = budgets_m.iter().map(|b| -b).collect();
            match builder.contours(&values, &thresholds) {
                Ok(found) => found
                    .into_iter()
                    .zip(budgets_m)
                    .map(|(c, &b)| Contour {
                        budget_m: b,
                        area: finish(c.into_inner().0),
                    })
                    .collect(),
                Err(_) => empty(),
            }
        }
        Bands::Disjoint => {
            let mut thresholds: Vec<f64> = budgets_m.iter().rev().map(|b| -b).collect();
            thresholds.push(1.0);
            match builder.isobands(&values, &thresholds) {
                Ok(found) => found
                    .into_iter()
                    .rev()
                    .zip(budgets_m)
                    .map(|(band, &b)| Contour {
                        budget_m: b,
                        area: finish(band.into_inner().0),
                    })
                    .collect(),
                Err(_) => empty(),
            }
        }
    }
}
