//! Buildings and compounds inside the blocks. A block's households are split into
//! buildings of about `households / 13,000` households each (one building head per
//! building), larger where the block is denser; each building is a rectangle one or
//! more 12 m stair units long, set back from the block's edge facing the street, in a
//! first row (centre about 12 m from the street's centre line) and a second row
//! (about 34 m), never crossing a line of the network or another building. Households
//! that find no room are added to the block's other buildings, or else to the grid's.
//! Most blocks with two or more buildings are a compound (小区) whose gates are the
//! points where its private roads meet the street, or the street vertex nearest its
//! buildings. A compound's building whose nearest line is a street (beyond the
//! compound's wall) rather than a private road is walked from its nearest gate.

use std::collections::{BTreeMap, BTreeSet};

use geo::{Centroid, Contains, Coord, Intersects, LineString, Polygon};
use rstar::primitives::{GeomWithData, Line as Segment};
use rstar::{AABB, RTree};

use super::addresses::Addresses;
use super::areas::{Areas, PERSONS_PER_HOUSEHOLD, apportion};
use super::blocks::Cells;
use super::inputs::NetLine;
use super::vocabulary::Namer;
use crate::demo::SeededRng;
use crate::demo::network::distance;

/// Building heads in the source (1.3万), one per building by assumption.
pub const BUILDINGS: f64 = 13_000.0;
const UNIT_M: f64 = 12.0;
const SETBACKS_M: [f64; 2] = [6.0, 28.0];
const GAP_M: f64 = 8.0;
const STEP_M: f64 = 4.0;
const COMPOUND_SHARE: f64 = 0.85;
const MAX_GATES: usize = 4;

pub struct Building {
    pub footprint: Polygon<f64>,
    pub cell: usize,
    pub compound: Option<usize>,
    pub address: String,
    /// The road of its address.
    pub road: String,
    /// 楼栋号: the building's number at its address.
    pub number: usize,
    pub households: u32,
    pub population: u32,
    pub floors: u16,
    /// Stair units (单元), 12 m each.
    pub units: u16,
    /// The gate of its compound its residents walk through, when its nearest line is
    /// a street rather than one of the compound's private roads.
    pub gate: Option<usize>,
}

pub struct Compound {
    pub cell: usize,
    pub name: String,
    pub address: String,
    pub gates: Vec<Coord<f64>>,
}

pub struct Placed {
    pub buildings: Vec<Building>,
    pub compounds: Vec<Compound>,
    /// Households that found no building anywhere in their grid.
    pub homeless_households: u32,
}

/// The network's segments, each marked private or not.
struct Obstacles(RTree<GeomWithData<Segment<[f64; 2]>, bool>>);

impl Obstacles {
    fn new(network: &[NetLine]) -> Self {
        Self(RTree::bulk_load(
            network
                .iter()
                .flat_map(|l| l.coords.windows(2).map(move |w| (w, l.private)))
                .map(|(w, private)| {
                    GeomWithData::new(Segment::new([w[0].x, w[0].y], [w[1].x, w[1].y]), private)
                })
                .collect(),
        ))
    }

    /// Whether the line nearest `p` is a private road.
    fn nearest_is_private(&self, p: Coord<f64>) -> bool {
        self.0.nearest_neighbor(&[p.x, p.y]).is_some_and(|s| s.data)
    }

    fn crossed_by(&self, rect: &Polygon<f64>) -> bool {
        use geo::BoundingRect;
        let Some(r) = rect.bounding_rect() else {
            return true;
        };
        let envelope = AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
        self.0.locate_in_envelope_intersecting(&envelope).any(|s| {
            let [ax, ay] = s.geom().from;
            let [bx, by] = s.geom().to;
            geo::Line::new((ax, ay), (bx, by)).intersects(rect)
        })
    }
}

/// A rectangle `length` along `t` and `depth` along `n`, centred on `c`.
fn rectangle(c: Coord<f64>, t: Coord<f64>, n: Coord<f64>, length: f64, depth: f64) -> Polygon<f64> {
    let corner = |a: f64, b: f64| Coord {
        x: c.x + t.x * a * length / 2.0 + n.x * b * depth / 2.0,
        y: c.y + t.y * a * length / 2.0 + n.y * b * depth / 2.0,
    };
    Polygon::new(
        LineString::new(vec![
            corner(-1.0, -1.0),
            corner(1.0, -1.0),
            corner(1.0, 1.0),
            corner(-1.0, 1.0),
            corner(-1.0, -1.0),
        ]),
        Vec::new(),
    )
}

/// Walks a block's ring, row by row, offering building positions.
struct Frontage<'a> {
    ring: &'a [Coord<f64>],
    row: usize,
    segment: usize,
    along: f64,
}

impl Frontage<'_> {
    /// The next free footprint of `length` × `depth` accepted by `fits`.
    fn place(
        &mut self,
        length: f64,
        depth: f64,
        mut fits: impl FnMut(&Polygon<f64>) -> bool,
    ) -> Option<Polygon<f64>> {
        while self.row < SETBACKS_M.len() {
            if self.segment + 1 >= self.ring.len() {
                self.row += 1;
                self.segment = 0;
                self.along = 0.0;
                continue;
            }
            let (a, b) = (self.ring[self.segment], self.ring[self.segment + 1]);
            let len = distance(a, b);
            if self.along + length + 2.0 * STEP_M > len {
                self.segment += 1;
                self.along = 0.0;
                continue;
            }
            let t = Coord {
                x: (b.x - a.x) / len,
                y: (b.y - a.y) / len,
            };
            let n = Coord { x: -t.y, y: t.x };
            let s = self.along + STEP_M + length / 2.0;
            let off = SETBACKS_M[self.row] + depth / 2.0;
            let centre = Coord {
                x: a.x + t.x * s + n.x * off,
                y: a.y + t.y * s + n.y * off,
            };
            let rect = rectangle(centre, t, n, length, depth);
            if fits(&rect) {
                self.along += length + GAP_M;
                return Some(rect);
            }
            self.along += STEP_M;
        }
        None
    }
}

pub fn place(
    cells: &Cells,
    areas: &Areas,
    network: &[NetLine],
    addresses: &mut Addresses,
    namer: &mut Namer,
    seed: u64,
) -> Placed {
    let obstacles = Obstacles::new(network);
    let mut rng = SeededRng::new(seed, 0x6275_696c);
    let residential: Vec<usize> = (0..cells.cells.len())
        .filter(|&c| areas.households[c] > 0)
        .collect();
    // Density rank of each residential block, 0 (sparsest) to 1.
    let density = |c: usize| f64::from(areas.households[c]) / cells.cells[c].area;
    let mut by_density = residential.clone();
    by_density.sort_by(|&a, &b| density(a).total_cmp(&density(b)).then(a.cmp(&b)));
    let mut rank = vec![0.0; cells.cells.len()];
    for (i, &c) in by_density.iter().enumerate() {
        rank[c] = i as f64 / by_density.len().max(1) as f64;
    }
    let total: f64 = residential
        .iter()
        .map(|&c| f64::from(areas.households[c]))
        .sum();
    let mean = total / BUILDINGS;
    // Denser blocks have bigger buildings; scaled so the count comes out near 13,000.
    let raw = |c: usize, scale: f64| {
        let size = mean * scale * (0.5 + rank[c]);
        (f64::from(areas.households[c]) / size).round().max(1.0)
    };
    let count: f64 = residential.iter().map(|&c| raw(c, 1.0)).sum();
    let scale = count / BUILDINGS;

    let mut buildings: Vec<Building> = Vec::new();
    let mut compounds: Vec<Compound> = Vec::new();
    let mut unplaced_by_grid: BTreeMap<usize, u32> = BTreeMap::new();
    let private_ends: BTreeSet<(u64, u64)> = network
        .iter()
        .filter(|l| l.private)
        .flat_map(|l| [l.coords[0], l.coords[l.coords.len() - 1]])
        .map(|c| (c.x.to_bits(), c.y.to_bits()))
        .collect();
    for &c in &residential {
        let cell = &cells.cells[c];
        let n = raw(c, scale) as usize;
        let shares: Vec<f64> = (0..n).map(|_| rng.range(0.7, 1.3)).collect();
        let split = apportion(&shares, u64::from(areas.households[c]), 0);
        let target_floors = (3.0 + 12.0 * rank[c] + rng.range(-2.0, 2.0))
            .round()
            .clamp(2.0, 30.0);
        let ring = &cell.polygon.exterior().0;
        let mut frontage = Frontage {
            ring,
            row: 0,
            segment: (rng.unit() * ring.len() as f64) as usize % ring.len().max(1),
            along: 0.0,
        };
        let first = buildings.len();
        let mut unplaced = 0u32;
        for &h in &split {
            let h = h as u32;
            let units = (f64::from(h) / (2.0 * target_floors))
                .round()
                .clamp(1.0, 5.0);
            let length = units * UNIT_M + 4.0;
            let depth = rng.range(11.0, 14.0);
            let placed = &buildings[first..];
            let footprint = frontage.place(length, depth, |rect| {
                rect.centroid().is_some_and(|p| cell.polygon.contains(&p))
                    && !obstacles.crossed_by(rect)
                    && !placed.iter().any(|b| b.footprint.intersects(rect))
            });
            match footprint {
                Some(footprint) => buildings.push(Building {
                    footprint,
                    cell: c,
                    compound: None,
                    address: String::new(),
                    road: String::new(),
                    number: 0,
                    households: h,
                    population: 0,
                    floors: 0,
                    units: units as u16,
                    gate: None,
                }),
                None => unplaced += h,
            }
        }
        let here = first..buildings.len();
        if here.is_empty() {
            *unplaced_by_grid.entry(areas.grid_of_cell[c]).or_default() += unplaced;
            continue;
        }
        for k in 0..unplaced as usize {
            buildings[first + k % here.len()].households += 1;
        }
        // Compound, gates and addresses.
        let centre = mean_point(
            buildings[here.clone()]
                .iter()
                .filter_map(|b| b.footprint.centroid()),
        );
        let is_compound = here.len() >= 2 && rng.chance(COMPOUND_SHARE);
        let mut gates: Vec<Coord<f64>> = ring
            .iter()
            .filter(|v| private_ends.contains(&(v.x.to_bits(), v.y.to_bits())))
            .copied()
            .collect();
        gates.dedup();
        gates.truncate(MAX_GATES);
        if gates.is_empty() {
            gates.extend(
                ring.iter()
                    .copied()
                    .min_by(|a, b| distance(*a, centre).total_cmp(&distance(*b, centre))),
            );
        }
        let (road, number) = addresses
            .number(gates[0])
            .unwrap_or_else(|| ("无名路".to_owned(), 1));
        let compound = is_compound.then(|| {
            compounds.push(Compound {
                cell: c,
                name: namer.compound(),
                address: format!("{road}{number}号"),
                gates,
            });
            compounds.len() - 1
        });
        for (k, b) in buildings[here].iter_mut().enumerate() {
            if let (Some(at), Some(centre)) = (compound, b.footprint.centroid()) {
                b.gate = (!obstacles.nearest_is_private(centre.0))
                    .then(|| nearest(&compounds[at].gates, centre.0))
                    .flatten();
            }
            b.compound = compound;
            b.number = k + 1;
            b.road = road.clone();
            b.address = format!("{road}{number}号{}号楼", k + 1);
        }
    }

    // Households with no room in their block go to the other buildings of their grid.
    let mut homeless_households = 0;
    for (grid, households) in unplaced_by_grid {
        let mine: Vec<usize> = (0..buildings.len())
            .filter(|&b| areas.grid_of_cell[buildings[b].cell] == grid)
            .collect();
        if mine.is_empty() {
            homeless_households += households;
            continue;
        }
        for k in 0..households as usize {
            buildings[mine[k % mine.len()]].households += 1;
        }
    }
    for b in &mut buildings {
        let per_floor = 2.0 * f64::from(b.units);
        b.floors = (f64::from(b.households) / per_floor)
            .ceil()
            .clamp(1.0, 33.0) as u16;
        b.population = (f64::from(b.households) * rng.range(0.85, 1.15) * PERSONS_PER_HOUSEHOLD)
            .round() as u32;
    }
    Placed {
        buildings,
        compounds,
        homeless_households,
    }
}

/// The position of the point of `points` nearest `p`.
fn nearest(points: &[Coord<f64>], p: Coord<f64>) -> Option<usize> {
    (0..points.len()).min_by(|&a, &b| distance(points[a], p).total_cmp(&distance(points[b], p)))
}

fn mean_point(points: impl Iterator<Item = geo::Point<f64>>) -> Coord<f64> {
    let (mut x, mut y, mut n) = (0.0, 0.0, 0.0_f64);
    for p in points {
        x += p.x();
        y += p.y();
        n += 1.0;
    }
    Coord {
        x: x / n.max(1.0),
        y: y / n.max(1.0),
    }
}
