//! Isochrone polygons. The walking distance field is sampled on a metric grid: each
//! grid point gets its own walking distance by the same definition as any other
//! point (its snaps, the private-road rule, offsets counted in full), so the
//! polygons agree with the distances the API reports. Marching squares (the `contour`
//! crate) trace the budgets' isolines into polygons with holes, simplified by at most
//! half a cell, exteriors counter-clockwise (RFC 7946). The polygons are a picture:
//! who and what is reached is decided from each building's and site's own walking
//! distance, never from polygon containment.

use geo::{BooleanOps, MultiPolygon, Orient, SimplifyVwPreserve, orient::Direction};

use super::search::SearchState;
use super::{CANDIDATES, Placed, Reach, reach_target};
use crate::network::{UNREACHED, WalkGraph};

/// Grid points of one isochrone at most (4,000 × 4,000).
const MAX_CELLS: usize = 16_000_000;
/// Grid points per side of a block snapped together.
const BLOCK: usize = 6;
/// Grids of at least this many points are filled by several threads.
const PARALLEL_CELLS: usize = 20_000;
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
    // A walk is never shorter than the straight line, so only grid points within the
    // largest budget of the origin (plus a cell, to close the isolines) can be in.
    let max_budget = budgets_m.iter().copied().fold(0.0, f64::max) + cell_m;
    let mut values = vec![-UNREACHED_VALUE; nx * ny];
    let raster = Raster {
        x0,
        y0,
        nx,
        ny,
        cell_m,
        max_budget,
    };
    let fill = |rows: std::ops::Range<usize>, chunk: &mut [f64]| {
        raster.fill(graph, reach, state, origin, rows, chunk);
    };
    // Large grids are shared among the cores, in bands of whole blocks.
    let threads = if nx * ny >= PARALLEL_CELLS {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
    } else {
        1
    };
    let band_rows = ny.div_ceil(BLOCK).div_ceil(threads) * BLOCK;
    std::thread::scope(|scope| {
        let mut chunks = values.chunks_mut(band_rows * nx).enumerate();
        let first = chunks.next();
        for (c, chunk) in chunks {
            let rows = c * band_rows..c * band_rows + chunk.len() / nx;
            scope.spawn(move || fill(rows, chunk));
        }
        if let Some((_, chunk)) = first {
            fill(0..chunk.len() / nx, chunk);
        }
    });

    // Marching squares on −distance: "≥ −budget" is "within budget".
    let builder = contour::ContourBuilder::new(nx, ny, true)
        .x_origin(x0)
        .y_origin(y0)
        .x_step(cell_m)
        .y_step(cell_m);
    let thresholds: Vec<f64> = budgets_m.iter().map(|b| -b).collect();
    let Ok(found) = builder.contours(&values, &thresholds) else {
        return empty();
    };
    let nested: Vec<Contour> = found
        .into_iter()
        .zip(budgets_m)
        .map(|(c, &b)| Contour {
            budget_m: b,
            area: c
                .into_inner()
                .0
                .simplify_vw_preserve(cell_m * cell_m / 4.0)
                .orient(Direction::Default),
        })
        .collect();
    match bands {
        Bands::Nested => nested,
        // Each band is its contour less the one inside it, so the bands tile the
        // contours exactly (the crate's own isobands may leave rings touching).
        Bands::Disjoint => (0..nested.len())
            .map(|i| Contour {
                budget_m: nested[i].budget_m,
                area: match i {
                    0 => nested[0].area.clone(),
                    _ => nested[i]
                        .area
                        .difference(&nested[i - 1].area)
                        .orient(Direction::Default),
                },
            })
            .collect(),
    }
}

/// The isochrone grid: origin, size, spacing, and the straight-line reach beyond which
/// no point can be in.
struct Raster {
    x0: f64,
    y0: f64,
    nx: usize,
    ny: usize,
    cell_m: f64,
    max_budget: f64,
}

impl Raster {
    /// Walking distances (negated, metres) of the grid points of `rows` into `chunk`,
    /// which holds those rows. Points are snapped block by block: a point of a block of
    /// half-diagonal h around centre c has its k nearest edges among those within
    /// d_k(c) + 2h of c.
    fn fill(
        &self,
        graph: &WalkGraph,
        reach: &Reach,
        state: &SearchState,
        origin: &Placed,
        rows: std::ops::Range<usize>,
        chunk: &mut [f64],
    ) {
        let (nx, cell_m, max_budget) = (self.nx, self.cell_m, self.max_budget);
        let radius = reach.snap_radius_m;
        let half_diagonal = (BLOCK as f64 - 1.0) * cell_m / std::f64::consts::SQRT_2;
        let mut snaps = Vec::with_capacity(CANDIDATES);
        for bj in rows.clone().step_by(BLOCK) {
            for bi in (0..nx).step_by(BLOCK) {
                let centre = [
                    self.x0 + (bi as f64 + (BLOCK as f64 - 1.0) / 2.0) * cell_m,
                    self.y0 + (bj as f64 + (BLOCK as f64 - 1.0) / 2.0) * cell_m,
                ];
                let (dx, dy) = (centre[0] - origin.point[0], centre[1] - origin.point[1]);
                if (dx * dx + dy * dy).sqrt() > max_budget + half_diagonal {
                    continue;
                }
                let k_nearest =
                    reach
                        .snapper
                        .nearest(graph, centre, radius + half_diagonal, CANDIDATES);
                let reach_m = match k_nearest.get(CANDIDATES - 1) {
                    Some(kth) => (f64::from(kth.offset_dm) / 10.0 + 0.1 + 2.0 * half_diagonal)
                        .min(radius + half_diagonal),
                    None => radius + half_diagonal,
                };
                let nearby = reach.snapper.nearby(centre, reach_m);
                // Every point of the block snaps among these edges: if the search
                // reached none of them, the whole block is out of reach.
                let reached = |e: crate::network::EdgeId| {
                    let info = graph.edge(e);
                    state.dist_before(info.a, info.private).0 < UNREACHED
                        || state.dist_before(info.b, info.private).0 < UNREACHED
                        || origin.snaps.iter().any(|s| s.edge == e)
                };
                if !nearby.edges().any(reached) {
                    continue;
                }
                for j in bj..(bj + BLOCK).min(rows.end).min(self.ny) {
                    for i in bi..(bi + BLOCK).min(nx) {
                        let p = [self.x0 + i as f64 * cell_m, self.y0 + j as f64 * cell_m];
                        let (dx, dy) = (p[0] - origin.point[0], p[1] - origin.point[1]);
                        if dx * dx + dy * dy > max_budget * max_budget {
                            continue;
                        }
                        nearby.nearest_into(graph, p, radius, CANDIDATES, &mut snaps);
                        reach.admit_in_place(graph, &mut snaps);
                        if let Some(r) = reach_target(graph, state, origin, &snaps) {
                            chunk[(j - rows.start) * nx + i] = -f64::from(r.dist_dm) / 10.0;
                        }
                    }
                }
            }
        }
    }
}
