//! Street blocks: the faces of the planar graph of the public ground-level lines
//! (private compound roads and footbridges excluded), found by walking half-edges. Dead ends
//! and cut edges are pruned first, a street component lying inside a block becomes a
//! hole in it, and the land the blocks do not cover (the coastal fringe beyond the
//! outermost streets, and the islands) is cut by a 500 m lattice into pieces.
//! Blocks and pieces together partition the land.

use std::collections::BTreeMap;

use geo::{
    Area, BooleanOps, BoundingRect, Contains, Coord, InteriorPoint, LineString, MultiPolygon,
    Orient, Polygon, Rect, orient::Direction,
};

use super::inputs::NetLine;
use rstar::RTree;

use super::simple_rings::{node_polygon, simple_rings};

const PIECE_M: f64 = 500.0;
/// Every vertex sits on a 1/1024 m lattice, so the boolean operations (which map
/// floats to integers by a power of two) reproduce shared vertices exactly and the
/// areas built from the same cells share their borders bit for bit.
const LATTICE: f64 = 1024.0;
/// Smaller slivers of boolean operations are not worth a cell.
const MIN_CELL_M2: f64 = 0.01;

/// A block or a piece of unbuilt land.
pub struct Cell {
    pub polygon: Polygon<f64>,
    pub area: f64,
    /// A point inside the cell.
    pub inside: Coord<f64>,
    /// A face of the street graph (not a fringe piece or island).
    pub block: bool,
}

pub struct Cells {
    pub cells: Vec<Cell>,
    /// Blocks sharing a street, both ways; fringe pieces have none.
    pub adjacency: Vec<Vec<usize>>,
    /// Every cell vertex.
    vertices: RTree<[f64; 2]>,
}

impl Cells {
    /// The union of some cells, with every cell vertex on its border kept (the
    /// boolean operation drops collinear ones), so that areas made of the same cells
    /// have the same vertices along shared borders and round to 7 decimals alike.
    pub fn union(&self, of: &mut dyn Iterator<Item = usize>) -> MultiPolygon<f64> {
        let polygons: Vec<&Polygon<f64>> = of.map(|c| &self.cells[c].polygon).collect();
        geo::unary_union(polygons)
            .iter()
            .map(|p| node_polygon(p, &self.vertices))
            .collect()
    }
}

struct Graph {
    nodes: Vec<Coord<f64>>,
    /// (from, to, coordinates from → to).
    edges: Vec<(usize, usize, Vec<Coord<f64>>)>,
    alive: Vec<bool>,
}

/// Orders directions counter-clockwise from the positive x axis without trigonometry.
fn pseudo_angle(d: Coord<f64>) -> f64 {
    let p = d.x / (d.x.abs() + d.y.abs());
    if d.y >= 0.0 { 1.0 - p } else { 3.0 + p }
}

fn signed_area(ring: &[Coord<f64>]) -> f64 {
    let mut sum = 0.0;
    for i in 0..ring.len() {
        let (a, b) = (ring[i], ring[(i + 1) % ring.len()]);
        sum += a.x * b.y - b.x * a.y;
    }
    sum / 2.0
}

impl Graph {
    fn new(lines: &[NetLine]) -> Self {
        let key = |c: Coord<f64>| (c.x.to_bits(), c.y.to_bits());
        let mut ids: BTreeMap<(u64, u64), usize> = BTreeMap::new();
        let mut nodes = Vec::new();
        let mut edges = Vec::new();
        for line in lines.iter().filter(|l| l.bounds_blocks()) {
            let (Some(&first), Some(&last)) = (line.coords.first(), line.coords.last()) else {
                continue;
            };
            let mut node = |c: Coord<f64>| {
                *ids.entry(key(c)).or_insert_with(|| {
                    nodes.push(c);
                    nodes.len() - 1
                })
            };
            let (a, b) = (node(first), node(last));
            if a != b {
                edges.push((a, b, line.coords.clone()));
            }
        }
        let alive = vec![true; edges.len()];
        Self {
            nodes,
            edges,
            alive,
        }
    }

    fn prune_dead_ends(&mut self) {
        let mut incident: Vec<Vec<usize>> = vec![Vec::new(); self.nodes.len()];
        for (e, (a, b, _)) in self.edges.iter().enumerate() {
            if self.alive[e] {
                incident[*a].push(e);
                incident[*b].push(e);
            }
        }
        let mut degree: Vec<usize> = incident.iter().map(Vec::len).collect();
        let mut stack: Vec<usize> = (0..self.nodes.len()).filter(|&n| degree[n] == 1).collect();
        while let Some(n) = stack.pop() {
            for &e in &incident[n] {
                if !self.alive[e] {
                    continue;
                }
                self.alive[e] = false;
                let (a, b, _) = &self.edges[e];
                for m in [*a, *b] {
                    degree[m] -= 1;
                    if degree[m] == 1 {
                        stack.push(m);
                    }
                }
            }
        }
    }

    /// Faces as (half-edge → face, rings); half-edge `2e` runs along edge `e`'s
    /// coordinates, `2e + 1` against them.
    fn faces(&self) -> (Vec<usize>, Vec<Vec<Coord<f64>>>) {
        let coords_of = |h: usize| -> Vec<Coord<f64>> {
            let c = &self.edges[h / 2].2;
            if h % 2 == 0 {
                c.clone()
            } else {
                c.iter().rev().copied().collect()
            }
        };
        let from = |h: usize| {
            let (a, b, _) = &self.edges[h / 2];
            if h % 2 == 0 { *a } else { *b }
        };
        let mut outgoing: Vec<Vec<(f64, usize)>> = vec![Vec::new(); self.nodes.len()];
        for e in (0..self.edges.len()).filter(|&e| self.alive[e]) {
            for h in [2 * e, 2 * e + 1] {
                let c = coords_of(h);
                let d = Coord {
                    x: c[1].x - c[0].x,
                    y: c[1].y - c[0].y,
                };
                outgoing[from(h)].push((pseudo_angle(d), h));
            }
        }
        let mut position = vec![0usize; self.edges.len() * 2];
        for around in &mut outgoing {
            around.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            for (i, &(_, h)) in around.iter().enumerate() {
                position[h] = i;
            }
        }
        let next = |h: usize| {
            let twin = h ^ 1;
            let around = &outgoing[from(twin)];
            around[(position[twin] + around.len() - 1) % around.len()].1
        };
        let mut face_of = vec![usize::MAX; self.edges.len() * 2];
        let mut rings = Vec::new();
        for e in (0..self.edges.len()).filter(|&e| self.alive[e]) {
            for start in [2 * e, 2 * e + 1] {
                if face_of[start] != usize::MAX {
                    continue;
                }
                let face = rings.len();
                let mut ring: Vec<Coord<f64>> = Vec::new();
                let mut h = start;
                while face_of[h] == usize::MAX {
                    face_of[h] = face;
                    let c = coords_of(h);
                    ring.extend_from_slice(&c[..c.len() - 1]);
                    h = next(h);
                }
                rings.push(ring);
            }
        }
        (face_of, rings)
    }

    /// Removes edges with the same face on both sides; true if any was removed.
    fn remove_cut_edges(&mut self, face_of: &[usize]) -> bool {
        let mut removed = false;
        for e in 0..self.edges.len() {
            if self.alive[e] && face_of[2 * e] == face_of[2 * e + 1] {
                self.alive[e] = false;
                removed = true;
            }
        }
        removed
    }
}

fn closed(ring: &[Coord<f64>]) -> LineString<f64> {
    let mut coords = ring.to_vec();
    if let Some(&first) = ring.first() {
        coords.push(first);
    }
    LineString::new(coords)
}

fn snapped(polygon: &Polygon<f64>) -> Polygon<f64> {
    use geo::MapCoords;
    polygon.map_coords(|c| Coord {
        x: (c.x * LATTICE).round() / LATTICE,
        y: (c.y * LATTICE).round() / LATTICE,
    })
}

fn cell(polygon: Polygon<f64>, block: bool) -> Option<Cell> {
    let area = polygon.unsigned_area();
    let inside = polygon.interior_point()?.0;
    (area >= MIN_CELL_M2).then_some(Cell {
        polygon,
        area,
        inside,
        block,
    })
}

/// Blocks and fringe pieces covering `land`.
pub fn cells(lines: &[NetLine], land: &[Polygon<f64>]) -> Cells {
    let mut graph = Graph::new(lines);
    let (face_of, rings) = loop {
        graph.prune_dead_ends();
        let (face_of, rings) = graph.faces();
        if !graph.remove_cut_edges(&face_of) {
            break (face_of, rings);
        }
    };
    let areas: Vec<f64> = rings.iter().map(|r| signed_area(r)).collect();
    let mut polygons: BTreeMap<usize, Polygon<f64>> = rings
        .iter()
        .enumerate()
        .filter(|&(f, _)| areas[f] > 0.0)
        .map(|(f, r)| (f, Polygon::new(closed(r), Vec::new())))
        .collect();
    // A negative ring is a component's outline: a hole in the smallest face around it.
    let mut owner: BTreeMap<usize, usize> = BTreeMap::new();
    for (f, ring) in rings.iter().enumerate().filter(|&(f, _)| areas[f] < 0.0) {
        let probe = geo::Point::from(ring[0]);
        let container = polygons
            .iter()
            .filter(|(_, p)| p.contains(&probe))
            .min_by(|a, b| areas[*a.0].total_cmp(&areas[*b.0]))
            .map(|(&g, _)| g);
        if let Some(g) = container {
            owner.insert(f, g);
        }
    }
    for (&hole, &g) in &owner {
        if let Some(p) = polygons.get_mut(&g) {
            p.interiors_push(closed(&rings[hole]));
        }
    }

    // Each face, made valid (pinched rings split), becomes one or more cells.
    let mut cells = Vec::new();
    let mut cells_of_face: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (&f, polygon) in &polygons {
        let parts = geo::unary_union([&snapped(&polygon.orient(Direction::Default))]);
        for part in simple_rings(&parts) {
            if let Some(c) = cell(part.orient(Direction::Default), true) {
                cells_of_face.entry(f).or_default().push(cells.len());
                cells.push(c);
            }
        }
    }
    let face_cells = |f: usize| {
        let f = owner.get(&f).copied().unwrap_or(f);
        cells_of_face.get(&f).cloned().unwrap_or_default()
    };
    let mut adjacency: Vec<Vec<usize>> = vec![Vec::new(); cells.len()];
    for e in 0..graph.edges.len() {
        if !graph.alive[e] {
            continue;
        }
        for a in face_cells(face_of[2 * e]) {
            for b in face_cells(face_of[2 * e + 1]) {
                if a != b {
                    adjacency[a].push(b);
                    adjacency[b].push(a);
                }
            }
        }
    }
    for around in &mut adjacency {
        around.sort_unstable();
        around.dedup();
    }

    let blocks = MultiPolygon::new(cells.iter().map(|c| c.polygon.clone()).collect());
    let land = MultiPolygon::new(land.iter().map(snapped).collect());
    let fringe = land.difference(&blocks);
    for polygon in fringe {
        let Some(rect) = polygon.bounding_rect() else {
            continue;
        };
        let (x0, y0) = (
            (rect.min().x / PIECE_M).floor() as i64,
            (rect.min().y / PIECE_M).floor() as i64,
        );
        let (x1, y1) = (
            (rect.max().x / PIECE_M).ceil() as i64,
            (rect.max().y / PIECE_M).ceil() as i64,
        );
        for j in y0..y1 {
            for i in x0..x1 {
                let square = Rect::new(
                    Coord {
                        x: i as f64 * PIECE_M,
                        y: j as f64 * PIECE_M,
                    },
                    Coord {
                        x: (i + 1) as f64 * PIECE_M,
                        y: (j + 1) as f64 * PIECE_M,
                    },
                )
                .to_polygon();
                for piece in polygon.intersection(&square) {
                    if let Some(c) = cell(snapped(&piece.orient(Direction::Default)), false) {
                        cells.push(c);
                        adjacency.push(Vec::new());
                    }
                }
            }
        }
    }
    share_cut_points(&mut cells);
    let vertices = RTree::bulk_load(
        cells
            .iter()
            .flat_map(|c| std::iter::once(c.polygon.exterior()).chain(c.polygon.interiors()))
            .flat_map(|r| r.0.iter().map(|v| [v.x, v.y]))
            .collect(),
    );
    Cells {
        cells,
        adjacency,
        vertices,
    }
}

/// Cutting the fringe makes vertices on block edges that, snapped to the lattice, lie
/// a hair off them; each is inserted into the block edges it lies on (and the blocks'
/// vertices into the pieces' edges), so neighbouring cells share them exactly.
fn share_cut_points(cells: &mut [Cell]) {
    let vertices = |block: bool, cells: &[Cell]| -> RTree<[f64; 2]> {
        RTree::bulk_load(
            cells
                .iter()
                .filter(|c| c.block == block)
                .flat_map(|c| {
                    std::iter::once(c.polygon.exterior())
                        .chain(c.polygon.interiors())
                        .flat_map(|r| r.0.iter().map(|v| [v.x, v.y]))
                })
                .collect(),
        )
    };
    let piece_vertices = vertices(false, cells);
    let block_vertices = vertices(true, cells);
    for c in cells.iter_mut() {
        let others = if c.block {
            &piece_vertices
        } else {
            &block_vertices
        };
        c.polygon = node_polygon(&c.polygon, others);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(points: &[(f64, f64)]) -> NetLine {
        NetLine {
            coords: points.iter().map(|&(x, y)| Coord { x, y }).collect(),
            highway: "residential".to_owned(),
            private: false,
            bridge: false,
            name: None,
        }
    }

    #[test]
    fn two_blocks_a_dead_end_and_the_fringe_partition_the_land() {
        // A 200 × 100 rectangle of streets split in two, a dead end into the left block,
        // inside a 300 × 200 land square.
        let lines = [
            line(&[(0.0, 0.0), (100.0, 0.0)]),
            line(&[(100.0, 0.0), (200.0, 0.0)]),
            line(&[(200.0, 0.0), (200.0, 100.0)]),
            line(&[(200.0, 100.0), (100.0, 100.0)]),
            line(&[(100.0, 100.0), (0.0, 100.0)]),
            line(&[(0.0, 100.0), (0.0, 0.0)]),
            line(&[(100.0, 0.0), (100.0, 100.0)]),
            line(&[(0.0, 100.0), (50.0, 50.0)]),
        ];
        let land = Rect::new(Coord { x: -50.0, y: -50.0 }, Coord { x: 250.0, y: 150.0 });
        let result = cells(&lines, &[land.to_polygon()]);
        let blocks: Vec<&Cell> = result.cells.iter().filter(|c| c.block).collect();
        assert_eq!(blocks.len(), 2);
        for b in &blocks {
            assert!((b.area - 10_000.0).abs() < 1e-6, "{}", b.area);
        }
        assert_eq!(result.adjacency[0], [1]);
        let total: f64 = result.cells.iter().map(|c| c.area).sum();
        assert!((total - 60_000.0).abs() < 1e-3, "{total}");
    }

    #[test]
    fn a_street_ring_inside_a_block_is_a_hole_in_it() {
        let square = |x0: f64, x1: f64| {
            [
                line(&[(x0, x0), (x1, x0)]),
                line(&[(x1, x0), (x1, x1)]),
                line(&[(x1, x1), (x0, x1)]),
                line(&[(x0, x1), (x0, x0)]),
            ]
        };
        let lines: Vec<NetLine> = square(0.0, 300.0)
            .into_iter()
            .chain(square(100.0, 200.0))
            .collect();
        let land = Rect::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 300.0, y: 300.0 });
        let result = cells(&lines, &[land.to_polygon()]);
        let mut areas: Vec<f64> = result.cells.iter().map(|c| c.area).collect();
        areas.sort_by(f64::total_cmp);
        assert_eq!(areas.len(), 2);
        assert!((areas[0] - 10_000.0).abs() < 1e-6);
        assert!((areas[1] - 80_000.0).abs() < 1e-6);
        assert_eq!(result.adjacency[0].len(), 1);
    }
}
