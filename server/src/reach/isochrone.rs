//! Isochrone polygons. The walking distance field is sampled on a metric lattice:
//! each lattice point gets its own walking distance by the same definition as any
//! other point (its own access point, the private-road rule, offsets counted in full),
//! so the polygons agree with the distances the API reports; the access points are kept
//! between isochrones (see `lattice`). The reached network is burnt in: the corners of
//! each cell a reached edge crosses take its network distance there, where their own
//! access point is on that edge or one meeting it (see `Grid::burn_in_network`). Marching squares (the `contour`
//! crate) trace the budgets' isolines into polygons with holes, simplified by at most
//! half a cell while staying valid, exteriors counter-clockwise (RFC 7946). The polygons are a picture:
//! who and what is reached is decided from each building's and site's own walking
//! distance, never from polygon containment.

use geo::{
    BooleanOps, MultiPolygon, Orient, Simplify, SimplifyVwPreserve, Validation, orient::Direction,
};

use super::lattice::CellSize;
use super::search::SearchState;
use super::{Placed, Reach};
use crate::network::{SnapAt, UNREACHED, WalkGraph};

/// Grid points of one isochrone at most (4,000 × 4,000).
const MAX_CELLS: usize = 16_000_000;
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
    cell: CellSize,
    bands: Bands,
) -> Vec<Contour> {
    let cell_m = cell.metres();
    let empty = || {
        budgets_m
            .iter()
            .map(|&b| Contour {
                budget_m: b,
                area: MultiPolygon::new(Vec::new()),
            })
            .collect()
    };
    // A walk is never shorter than the straight line, so only grid points within the
    // largest budget of the origin (plus a cell, to close the isolines) can be in.
    let max_budget = budgets_m.iter().copied().fold(0.0, f64::max) + cell_m;
    // The grid covers every reached node and the snap radius around it, within that
    // circle.
    let margin = reach.snap_radius_m + 2.0 * cell_m;
    let (mut lo, mut hi) = (origin.point, origin.point);
    for &n in state.touched() {
        let p = graph.position(n);
        lo = [lo[0].min(p[0]), lo[1].min(p[1])];
        hi = [hi[0].max(p[0]), hi[1].max(p[1])];
    }
    let circle = max_budget + cell_m;
    let lo = [0, 1].map(|k| (lo[k] - margin).max(origin.point[k] - circle));
    let hi = [0, 1].map(|k| (hi[k] + margin).min(origin.point[k] + circle));
    let first = lo.map(|v| (v / cell_m).floor() as i64);
    let [nx, ny] =
        [0, 1].map(|k| ((hi[k] - first[k] as f64 * cell_m) / cell_m).ceil() as usize + 1);
    if nx * ny > MAX_CELLS {
        return empty();
    }
    let mut values = vec![-UNREACHED_VALUE; nx * ny];
    // Each grid point's access edge (u32::MAX: none, or not looked at).
    let mut edges = vec![u32::MAX; nx * ny];
    let raster = Raster {
        first,
        nx,
        cell,
        max_budget,
    };
    let fill = |rows: std::ops::Range<usize>, chunk: (&mut [f64], &mut [u32])| {
        raster.fill(graph, reach, state, origin, rows, chunk);
    };
    // Large grids are shared among the cores, in bands of rows.
    let parallel = nx * ny >= PARALLEL_CELLS;
    let threads = if parallel {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
    } else {
        1
    };
    let band_rows = ny.div_ceil(threads);
    std::thread::scope(|scope| {
        let mut chunks = values
            .chunks_mut(band_rows * nx)
            .zip(edges.chunks_mut(band_rows * nx))
            .enumerate();
        let first = chunks.next();
        for (c, chunk) in chunks {
            let rows = c * band_rows..c * band_rows + chunk.0.len() / nx;
            scope.spawn(move || fill(rows, chunk));
        }
        if let Some((_, chunk)) = first {
            fill(0..chunk.0.len() / nx, chunk);
        }
    });
    let mut grid = Grid {
        first,
        nx,
        ny,
        cell_m,
        values,
    };
    grid.burn_in_network(graph, state, origin, &edges, max_budget);

    // Each budget traced in the part of the grid its circle covers and simplified, on
    // its own thread when the grid is large.
    let outline = |budget: f64| {
        let window = grid.window(origin.point, budget + 2.0 * cell_m);
        simplified(&window.trace(budget), cell_m)
    };
    let areas: Vec<MultiPolygon<f64>> = if parallel && budgets_m.len() > 1 {
        std::thread::scope(|scope| {
            let handles: Vec<_> = budgets_m
                .iter()
                .map(|&b| scope.spawn(move || outline(b)))
                .collect();
            handles
                .into_iter()
                .zip(budgets_m)
                .map(|(h, &b)| h.join().unwrap_or_else(|_| outline(b)))
                .collect()
        })
    } else {
        budgets_m.iter().map(|&b| outline(b)).collect()
    };
    let nested: Vec<Contour> = areas
        .into_iter()
        .zip(budgets_m)
        .map(|(area, &b)| Contour { budget_m: b, area })
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

/// `traced` simplified by at most half a cell, valid and with RFC 7946 winding:
/// Douglas–Peucker with tolerance cell/2 (fast, and it bounds how far any point
/// moves), or, where that makes rings cross or collapse, Visvalingam–Whyatt with
/// topology preserved and tolerance (cell/2)² — slower, always valid.
fn simplified(traced: &MultiPolygon<f64>, cell_m: f64) -> MultiPolygon<f64> {
    let quick = traced.simplify(cell_m / 2.0);
    let area = if quick.is_valid() {
        quick
    } else {
        traced.simplify_vw_preserve(cell_m * cell_m / 4.0)
    };
    area.orient(Direction::Default)
}

/// Negated walking distances on part of a lattice, row by row from its first point.
struct Grid {
    first: [i64; 2],
    nx: usize,
    ny: usize,
    cell_m: f64,
    values: Vec<f64>,
}

impl Grid {
    /// The part of the grid within `half_m` of `centre` on either axis.
    fn window(&self, centre: [f64; 2], half_m: f64) -> Grid {
        let n = [self.nx, self.ny];
        let [(i0, i1), (j0, j1)] = [0, 1].map(|k| {
            let at = |v: f64| (v / self.cell_m).floor() as i64 - self.first[k];
            let lo = at(centre[k] - half_m).clamp(0, n[k] as i64) as usize;
            let hi = (at(centre[k] + half_m) + 1).clamp(lo as i64, n[k] as i64) as usize;
            (lo, hi)
        });
        let values = (j0..j1)
            .flat_map(|j| &self.values[j * self.nx + i0..j * self.nx + i1])
            .copied()
            .collect();
        Grid {
            first: [self.first[0] + i0 as i64, self.first[1] + j0 as i64],
            nx: i1 - i0,
            ny: j1 - j0,
            cell_m: self.cell_m,
            values,
        }
    }

    /// Every cell that a reached ground edge passes through takes that edge's network
    /// distance at those of its four corners whose own access point is on that edge
    /// or one meeting it (where it is less than theirs): lattice points lie off the
    /// network, so their own distances, which add the walk to the network, would
    /// trace the contour a few metres short of where the network itself is reached.
    /// The polygon then holds the network within the budget, and a corner that
    /// reaches the network elsewhere (across a wall, beside an unreached street) is
    /// never painted by it.
    fn burn_in_network(
        &mut self,
        graph: &WalkGraph,
        state: &SearchState,
        origin: &Placed,
        access_edges: &[u32],
        max_budget: f64,
    ) {
        let step_dm = ((self.cell_m * 10.0) as u32 / 2).max(1);
        let mut edges: Vec<crate::network::EdgeId> = state
            .touched()
            .iter()
            .flat_map(|&n| graph.arcs(n).iter().map(|a| a.edge))
            .chain([origin.snap.edge])
            .collect();
        edges.sort_unstable();
        edges.dedup();
        let origin_at = origin.snap.at();
        for edge in edges {
            let e = graph.edge(edge);
            if e.raised() || e.ferry {
                continue;
            }
            // The distance before entering the edge at either end, as `reach_snap`
            // takes it, and the direct walk along the origin's own edge.
            let at_a = state.dist_before(e.a, e.private).0;
            let at_b = state.dist_before(e.b, e.private).0;
            let own = edge == origin.snap.edge;
            if !own && f64::from(at_a.min(at_b)) / 10.0 > max_budget {
                continue;
            }
            let meets = |other: crate::network::EdgeId| {
                let o = graph.edge(other);
                other == edge || [o.a, o.b].iter().any(|n| *n == e.a || *n == e.b)
            };
            let mut along = Along::new(graph.geometry(edge));
            let mut along_dm = 0;
            loop {
                let at = along_dm.min(e.length_dm);
                let mut best = at_a
                    .saturating_add(at)
                    .min(at_b.saturating_add(e.length_dm - at));
                if own {
                    let here = SnapAt {
                        edge,
                        along_dm: at,
                        offset_dm: 0,
                    };
                    if let Some(direct) = super::along_one_edge(&origin_at, &here) {
                        best = best.min(direct);
                    }
                }
                if best < UNREACHED && f64::from(best) / 10.0 <= max_budget {
                    let q = along.at(f64::from(at) / 10.0);
                    let value = -f64::from(best) / 10.0;
                    for g in self.cell_corners(q) {
                        let at = g[1] * self.nx + g[0];
                        let own = access_edges[at];
                        if own != u32::MAX
                            && meets(crate::network::EdgeId::from_index(own as usize))
                        {
                            self.values[at] = self.values[at].max(value);
                        }
                    }
                }
                if along_dm >= e.length_dm {
                    break;
                }
                along_dm += step_dm;
            }
        }
    }

    /// The corners of the cell holding `q` that lie in the grid, as (column, row).
    fn cell_corners(&self, q: [f64; 2]) -> impl Iterator<Item = [usize; 2]> + use<> {
        let i = (q[0] / self.cell_m).floor() as i64 - self.first[0];
        let j = (q[1] / self.cell_m).floor() as i64 - self.first[1];
        let (nx, ny) = (self.nx, self.ny);
        [(0, 0), (1, 0), (0, 1), (1, 1)]
            .into_iter()
            .filter_map(move |(di, dj)| {
                let x = usize::try_from(i + di).ok()?;
                let y = usize::try_from(j + dj).ok()?;
                (x < nx && y < ny).then_some([x, y])
            })
    }

    /// The area within `budget_m`, traced by marching squares on −distance ("≥
    /// −budget" is "within budget"), unsimplified.
    fn trace(&self, budget_m: f64) -> MultiPolygon<f64> {
        if self.nx < 2 || self.ny < 2 {
            return MultiPolygon::new(Vec::new());
        }
        contour::ContourBuilder::new(self.nx, self.ny, true)
            .x_origin(self.first[0] as f64 * self.cell_m)
            .y_origin(self.first[1] as f64 * self.cell_m)
            .x_step(self.cell_m)
            .y_step(self.cell_m)
            .contours(&self.values, &[-budget_m])
            .ok()
            .and_then(|mut found| found.pop())
            .map_or_else(|| MultiPolygon::new(Vec::new()), |c| c.into_inner().0)
    }
}

/// The isochrone grid: its first lattice point, width, spacing, and the straight-line
/// reach beyond which no point can be in.
struct Raster {
    first: [i64; 2],
    nx: usize,
    cell: CellSize,
    max_budget: f64,
}

impl Raster {
    /// Walking distances (negated, metres) of the grid points of `rows` into `chunk`,
    /// which holds those rows, and their access edges into `edges`.
    fn fill(
        &self,
        graph: &WalkGraph,
        reach: &Reach,
        state: &SearchState,
        origin: &Placed,
        rows: std::ops::Range<usize>,
        (chunk, edges): (&mut [f64], &mut [u32]),
    ) {
        let cell_m = self.cell.metres();
        let reach_2 = self.max_budget * self.max_budget;
        let mut ends = EdgeEnds::new();
        for j in rows.clone() {
            let g_y = self.first[1] + j as i64;
            let dy = g_y as f64 * cell_m - origin.point[1];
            for i in 0..self.nx {
                let g_x = self.first[0] + i as i64;
                let dx = g_x as f64 * cell_m - origin.point[0];
                if dx * dx + dy * dy > reach_2 {
                    continue;
                }
                let Some(snap) = reach.lattice_snap(graph, self.cell, [g_x, g_y]) else {
                    continue;
                };
                let at = (j - rows.start) * self.nx + i;
                edges[at] = snap.edge.index() as u32;
                if let Some(dist_dm) = ends.distance_dm(graph, state, origin, snap) {
                    chunk[at] = -f64::from(dist_dm) / 10.0;
                }
            }
        }
    }
}

/// Slots of the [`EdgeEnds`] memo.
const MEMO: usize = 256;

/// The walking distance to lattice points, with each edge's distances at its two ends
/// remembered: neighbouring points mostly snap to the same few edges, and the search
/// state is large enough that reading it is the cost. The distance is
/// `reach_snap`'s (a test holds them equal).
struct EdgeEnds {
    /// Direct-mapped by edge id: (edge, distance before entering it at `a`, at `b`).
    slots: Box<[(u32, u32, u32); MEMO]>,
}

impl EdgeEnds {
    fn new() -> Self {
        Self {
            slots: Box::new([(u32::MAX, 0, 0); MEMO]),
        }
    }

    fn distance_dm(
        &mut self,
        graph: &WalkGraph,
        state: &SearchState,
        origin: &Placed,
        snap: SnapAt,
    ) -> Option<u32> {
        let e = graph.edge(snap.edge);
        let slot = &mut self.slots[snap.edge.index() % MEMO];
        if slot.0 as usize != snap.edge.index() {
            *slot = (
                snap.edge.index() as u32,
                state.dist_before(e.a, e.private).0,
                state.dist_before(e.b, e.private).0,
            );
        }
        let (_, at_a, at_b) = *slot;
        let via_a = at_a.saturating_add(snap.along_dm);
        let via_b = at_b.saturating_add(e.length_dm.saturating_sub(snap.along_dm));
        let mut best = via_a.min(via_b).saturating_add(snap.offset_dm);
        if let Some(direct) = super::along_one_edge(&origin.snap.at(), &snap) {
            best = best.min(direct);
        }
        (best < UNREACHED).then_some(best)
    }
}

/// Points along a polyline, asked for at distances that never decrease.
struct Along<'a> {
    points: &'a [[f64; 2]],
    /// The segment the last point was on, and the distance to its start.
    segment: usize,
    start_m: f64,
}

impl<'a> Along<'a> {
    fn new(points: &'a [[f64; 2]]) -> Self {
        Self {
            points,
            segment: 0,
            start_m: 0.0,
        }
    }

    /// The point `along_m` metres along the polyline (its end beyond).
    fn at(&mut self, along_m: f64) -> [f64; 2] {
        while let [p, q, ..] = self.points[self.segment..] {
            let length = ((q[0] - p[0]).powi(2) + (q[1] - p[1]).powi(2)).sqrt();
            let left = along_m - self.start_m;
            if left <= length && length > 0.0 {
                let t = left / length;
                return [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
            }
            self.start_m += length;
            self.segment += 1;
        }
        self.points.last().copied().unwrap_or([0.0, 0.0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::{GraphLine, UNREACHED};
    use crate::reach::{SNAP_RADIUS_M, reach_snap, search};

    /// The memo's distances are [`reach_snap`]'s at every lattice point around
    /// origins on a street grid with a compound's private roads.
    #[test]
    fn remembered_edge_ends_give_the_engines_distances() {
        let mut lines = Vec::new();
        let n = 12;
        for j in 0..n {
            for i in 0..n {
                let p = [i as f64 * 70.0, j as f64 * 55.0];
                for (di, dj) in [(1, 0), (0, 1)] {
                    if i + di < n && j + dj < n {
                        lines.push(GraphLine {
                            points: vec![p, [(i + di) as f64 * 70.0, (j + dj) as f64 * 55.0]],
                            ends: [j * n + i, (j + dj) * n + i + di],
                            private: (3..6).contains(&i) && (3..6).contains(&j),
                            bridge: false,
                            tunnel: false,
                            layer: 0,
                            ferry: false,
                        });
                    }
                }
            }
        }
        let graph = WalkGraph::from_lines(lines);
        let reach = Reach::new(&graph, SNAP_RADIUS_M);
        let mut state = SearchState::new(graph.node_count());
        let mut checked = 0;
        for at in [[10.0, 10.0], [280.0, 220.0], [500.0, 300.0]] {
            let origin = reach.place(&graph, at).unwrap();
            search(&graph, &mut state, &origin, 6_000);
            let mut ends = EdgeEnds::new();
            for gy in -5..70 {
                for gx in -5..90 {
                    let Some(snap) = reach.lattice_snap(&graph, CellSize::M10, [gx, gy]) else {
                        continue;
                    };
                    let want = reach_snap(&graph, &state, &origin, snap).map(|r| r.dist_dm);
                    assert_eq!(ends.distance_dm(&graph, &state, &origin, snap), want);
                    checked += usize::from(want.is_some_and(|d| d < UNREACHED));
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
    }
}
