//! The local streets: a quadtree of square blocks on an integer lattice (20 m units),
//! subdivided where bus stops are dense, so downtown blocks are 80 m and hills 640 m.
//! Block sides meet at lattice points, T-junctions included, so the lattice is planar
//! by construction. Inside blocks: footpaths, service lanes and private compound
//! roads, each touching the block's side at one midpoint. A smooth warp (its
//! derivative well below 1, so it cannot fold) bends the streets; only lines wholly on
//! land are kept.

use std::collections::{BTreeMap, BTreeSet};

use geo::Coord;

use super::land::LandMask;

use super::density::StopDensity;
use super::{Attrs, Inputs, Line};
use crate::demo::SeededRng;

/// One lattice unit, metres.
pub const UNIT_M: f64 = 20.0;
/// Root block side, units (1,280 m).
const ROOT: i64 = 64;
/// Smallest block side, units (80 m).
const MIN_BLOCK: i64 = 4;
/// Shape points along long sides, so the warp shows, every this many units (320 m).
const SHAPE_STEP: i64 = 16;

type P = (i64, i64);

const STREET: Attrs = Attrs::road("residential");
const RURAL: Attrs = Attrs::road("unclassified");
const FOOTWAY: Attrs = Attrs::road("footway");
const LANE: Attrs = Attrs::road("service");
const PRIVATE: Attrs = Attrs {
    highway: "service",
    bridge: false,
    private: true,
};

/// Lattice coordinates → local metres: rotate, scale, warp.
struct Frame {
    origin: Coord<f64>,
    cos: f64,
    sin: f64,
    waves: [(f64, f64, f64); 4],
}

impl Frame {
    fn new(land: &LandMask, rng: &mut SeededRng) -> Self {
        use geo::BoundingRect;
        let rect = land
            .polygon()
            .bounding_rect()
            .unwrap_or_else(|| geo::Rect::new((0.0, 0.0), (1.0, 1.0)));
        let angle = rng.range(-0.25, 0.25);
        let mut wave = |amp: f64| {
            let length = rng.range(1800.0, 3200.0);
            (
                amp,
                2.0 * std::f64::consts::PI / length,
                rng.range(0.0, std::f64::consts::TAU),
            )
        };
        let waves = [wave(45.0), wave(25.0), wave(45.0), wave(25.0)];
        let pad = (ROOT as f64) * UNIT_M;
        Self {
            origin: Coord {
                x: rect.min().x - pad,
                y: rect.min().y - pad,
            },
            cos: libm::cos(angle),
            sin: libm::sin(angle),
            waves,
        }
    }

    fn metres(&self, x: f64, y: f64) -> Coord<f64> {
        let (u, v) = (x * UNIT_M, y * UNIT_M);
        let [a, b, c, d] = self.waves;
        let du = a.0 * libm::sin(a.1 * v + a.2) + b.0 * libm::sin(b.1 * (u + v) + b.2);
        let dv = c.0 * libm::sin(c.1 * u + c.2) + d.0 * libm::sin(d.1 * (u - v) + d.2);
        let (u, v) = (u + du, v + dv);
        Coord {
            x: self.origin.x + u * self.cos - v * self.sin,
            y: self.origin.y + u * self.sin + v * self.cos,
        }
    }

    fn point(&self, p: P) -> Coord<f64> {
        self.metres(p.0 as f64, p.1 as f64)
    }

    /// A lattice segment as metres, with shape points on long ones.
    fn polyline(&self, a: P, b: P) -> Vec<Coord<f64>> {
        let steps = ((b.0 - a.0).abs() + (b.1 - a.1).abs()) / SHAPE_STEP;
        let mut coords = vec![self.point(a)];
        for k in 1..steps {
            let t = k as f64 / steps as f64;
            coords.push(self.metres(
                a.0 as f64 + t * (b.0 - a.0) as f64,
                a.1 as f64 + t * (b.1 - a.1) as f64,
            ));
        }
        coords.push(self.point(b));
        coords
    }
}

#[derive(Debug, Clone, Copy)]
struct Block {
    x: i64,
    y: i64,
    size: i64,
}

/// Block side wanted where the stop density is `d`, in units.
fn wanted_size(d: f64, quantiles: &[f64; 4]) -> i64 {
    if d >= quantiles[1] + 0.75 * (quantiles[2] - quantiles[1]) {
        MIN_BLOCK
    } else if d >= quantiles[1] {
        2 * MIN_BLOCK
    } else if d >= quantiles[0] {
        4 * MIN_BLOCK
    } else {
        8 * MIN_BLOCK
    }
}

fn blocks(frame: &Frame, density: &StopDensity, land: &LandMask) -> Vec<Block> {
    use geo::BoundingRect;
    let rect = land
        .polygon()
        .bounding_rect()
        .unwrap_or_else(|| geo::Rect::new((0.0, 0.0), (1.0, 1.0)));
    let span = (rect.width().max(rect.height()) / UNIT_M) as i64 + 4 * ROOT;
    let roots = span / ROOT + 1;
    let mut out = Vec::new();
    let mut stack = Vec::new();
    for ry in -roots / 2..roots {
        for rx in -roots / 2..roots {
            stack.push(Block {
                x: rx * ROOT,
                y: ry * ROOT,
                size: ROOT,
            });
            while let Some(b) = stack.pop() {
                let corners = [
                    (b.x, b.y),
                    (b.x + b.size, b.y),
                    (b.x + b.size, b.y + b.size),
                    (b.x, b.y + b.size),
                ];
                let pts: Vec<Coord<f64>> = corners.iter().map(|&p| frame.point(p)).collect();
                let min = Coord {
                    x: pts.iter().map(|p| p.x).fold(f64::INFINITY, f64::min),
                    y: pts.iter().map(|p| p.y).fold(f64::INFINITY, f64::min),
                };
                let max = Coord {
                    x: pts.iter().map(|p| p.x).fold(f64::NEG_INFINITY, f64::max),
                    y: pts.iter().map(|p| p.y).fold(f64::NEG_INFINITY, f64::max),
                };
                if !land.any_in_box(min, max) {
                    continue;
                }
                let half = b.size / 2;
                let wanted = corners
                    .iter()
                    .chain(&[(b.x + half, b.y + half)])
                    .map(|&p| wanted_size(density.at(frame.point(p)), &density.quantiles))
                    .min()
                    .unwrap_or(ROOT);
                if b.size > wanted && b.size > MIN_BLOCK {
                    // Pushed in reverse so children come out SW, SE, NW, NE.
                    for (dx, dy) in [(half, half), (0, half), (half, 0), (0, 0)] {
                        stack.push(Block {
                            x: b.x + dx,
                            y: b.y + dy,
                            size: half,
                        });
                    }
                } else {
                    out.push(b);
                }
            }
        }
    }
    out
}

/// Lattice segments keyed by their endpoints (lower first), with the nodes on each
/// horizontal line (`rows`: (y, x)) and vertical line (`cols`: (x, y)).
#[derive(Default)]
struct Segments {
    lines: BTreeMap<(P, P), Attrs>,
    rows: BTreeSet<(i64, i64)>,
    cols: BTreeSet<(i64, i64)>,
}

impl Segments {
    fn add_node(&mut self, p: P) {
        self.rows.insert((p.1, p.0));
        self.cols.insert((p.0, p.1));
    }

    fn add(&mut self, a: P, b: P, attrs: Attrs) {
        let key = if a <= b { (a, b) } else { (b, a) };
        self.lines.entry(key).or_insert(attrs);
    }

    /// The nodes on the side from `a` to `b` (axis-aligned), in order, ends included.
    fn nodes_on(&self, a: P, b: P) -> Vec<P> {
        if a.1 == b.1 {
            let (lo, hi) = (a.0.min(b.0), a.0.max(b.0));
            self.rows
                .range((a.1, lo)..=(a.1, hi))
                .map(|&(y, x)| (x, y))
                .collect()
        } else {
            let (lo, hi) = (a.1.min(b.1), a.1.max(b.1));
            self.cols
                .range((a.0, lo)..=(a.0, hi))
                .map(|&(x, y)| (x, y))
                .collect()
        }
    }

    /// Makes `m`, a point inside the side from `a` to `b`, a node, splitting the
    /// segment it falls on. False if that segment is gone.
    fn split_at(&mut self, a: P, b: P, m: P) -> bool {
        let nodes = self.nodes_on(a, b);
        if nodes.contains(&m) {
            return true;
        }
        let Some(pair) = nodes.windows(2).find(|w| w[0] < m && m < w[1]) else {
            return false;
        };
        let Some(attrs) = self.lines.remove(&(pair[0], pair[1])) else {
            return false;
        };
        self.add(pair[0], m, attrs);
        self.add(m, pair[1], attrs);
        self.add_node(m);
        true
    }
}

fn block_sides(b: &Block) -> [(P, P); 4] {
    let (x0, y0, x1, y1) = (b.x, b.y, b.x + b.size, b.y + b.size);
    [
        ((x0, y0), (x1, y0)),
        ((x1, y0), (x1, y1)),
        ((x0, y1), (x1, y1)),
        ((x0, y0), (x0, y1)),
    ]
}

/// A point of the block in its own frame (u, v in 0..=size), turned a quarter `turns` times.
fn local(b: &Block, turns: u8, u: i64, v: i64) -> P {
    let s = b.size;
    let (u, v) = match turns % 4 {
        0 => (u, v),
        1 => (s - v, u),
        2 => (s - u, s - v),
        _ => (v, s - u),
    };
    (b.x + u, b.y + v)
}

/// What fills a block, by its size in units.
fn infill(segs: &mut Segments, b: &Block, rng: &mut SeededRng) {
    let s = b.size;
    let turns = (rng.unit() * 4.0) as u8;
    let roll = rng.unit();
    let gate = local(b, turns, s / 2, 0);
    let sides = block_sides(b);
    let gate_side = sides[usize::from(turns % 4)];
    let centre = local(b, turns, s / 2, s / 2);
    let (footway, compound, lane) = match s {
        4 => (0.15, 0.30, 0.35),
        8 => (0.10, 0.30, 0.50),
        _ => (0.0, 0.0, 0.70),
    };
    if roll < footway {
        let far = local(b, turns, s / 2, s);
        let far_side = sides[usize::from((turns + 2) % 4)];
        if segs.split_at(gate_side.0, gate_side.1, gate)
            && segs.split_at(far_side.0, far_side.1, far)
        {
            segs.add(gate, far, FOOTWAY);
        }
    } else if roll < footway + compound {
        // A compound's internal road, entered by a gate on each of two sides.
        let other = local(b, turns, s, s / 2);
        let other_side = sides[usize::from((turns + 1) % 4)];
        if segs.split_at(gate_side.0, gate_side.1, gate)
            && segs.split_at(other_side.0, other_side.1, other)
        {
            segs.add(gate, centre, PRIVATE);
            segs.add(centre, other, PRIVATE);
        }
    } else if roll < footway + compound + lane && segs.split_at(gate_side.0, gate_side.1, gate) {
        segs.add(gate, centre, LANE);
    }
}

/// The local streets, lanes, footpaths and compound roads, in local metres.
pub fn streets(inputs: &Inputs, density: &StopDensity, seed: u64) -> Vec<Line> {
    let mut rng = SeededRng::new(seed, 1);
    let frame = Frame::new(&inputs.land, &mut rng);
    let blocks = blocks(&frame, density, &inputs.land);

    let mut segs = Segments::default();
    for b in &blocks {
        for (a, c) in block_sides(b) {
            segs.add_node(a);
            segs.add_node(c);
        }
    }
    for b in &blocks {
        let attrs = if b.size >= 4 * MIN_BLOCK {
            RURAL
        } else {
            STREET
        };
        for (a, c) in block_sides(b) {
            let nodes = segs.nodes_on(a, c);
            for w in nodes.windows(2) {
                segs.add(w[0], w[1], attrs);
            }
        }
    }
    let mut fill_rng = SeededRng::new(seed, 2);
    for b in &blocks {
        infill(&mut segs, b, &mut fill_rng);
    }

    let mut drop_rng = SeededRng::new(seed, 3);
    segs.lines
        .iter()
        .filter(|(_, attrs)| {
            // Some street segments go, so blocks merge and streets end.
            let p = match attrs.highway {
                "residential" => 0.16,
                "unclassified" => 0.15,
                _ => 0.0,
            };
            !drop_rng.chance(p)
        })
        .map(|(&(a, b), &attrs)| Line {
            coords: frame.polyline(a, b),
            attrs,
        })
        .filter(|line| inputs.land.contains_line(&line.coords))
        .collect()
}
