//! The isochrone lattices: points every 5, 10, 20 or 40 m of the local metric plane,
//! each with its own access point found once and kept. A lattice point's access point
//! does not depend on the origin, and finding it is most of an isochrone's work, so
//! every isochrone after the first in an area only reads them. They are found per tile
//! of 8 × 8 points, on a tile's first use; a lattice's table of tiles is made on its
//! spacing's first use and covers the snapper's extent plus the snap radius.

use std::sync::OnceLock;

use super::Reach;
use crate::network::{Snap, SnapAt, WalkGraph};

/// The spacings of the isochrone lattices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellSize {
    M5,
    M10,
    M20,
    M40,
}

impl CellSize {
    pub const ALL: [CellSize; 4] = [CellSize::M5, CellSize::M10, CellSize::M20, CellSize::M40];

    pub fn metres(self) -> f64 {
        match self {
            CellSize::M5 => 5.0,
            CellSize::M10 => 10.0,
            CellSize::M20 => 20.0,
            CellSize::M40 => 40.0,
        }
    }

    /// The default spacing for contours up to `max_metres`: 5 m up to 500 m (the
    /// 5-minute circle drawn true to its sidewalks), 10 m up to 1 km, 20 m up to 2 km,
    /// 40 m above.
    pub fn for_budget(max_metres: f64) -> Self {
        if max_metres <= 500.0 {
            CellSize::M5
        } else if max_metres <= 1_000.0 {
            CellSize::M10
        } else if max_metres <= 2_000.0 {
            CellSize::M20
        } else {
            CellSize::M40
        }
    }

    /// The spacing of exactly `metres`, if it is one.
    pub fn from_metres(metres: f64) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.metres() == metres)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Lattice points per side of a tile.
const TILE: usize = 8;

/// The access points of a tile's points, row by row; `None` beyond the snap radius.
struct Tile {
    snaps: [Option<SnapAt>; TILE * TILE],
}

/// One lattice: its spacing and its tiles, made on first use.
struct Lattice {
    cell_m: f64,
    /// The lattice index of the first tile's first point.
    first: [i64; 2],
    columns: usize,
    rows: usize,
    tiles: Vec<OnceLock<Box<Tile>>>,
}

/// Every lattice of an engine.
#[derive(Default)]
pub struct Lattices {
    spacings: [OnceLock<Lattice>; 4],
}

impl std::fmt::Debug for Lattices {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let made: Vec<String> = CellSize::ALL
            .iter()
            .filter_map(|c| {
                let lattice = self.spacings[c.index()].get()?;
                let tiles = lattice.tiles.iter().filter(|t| t.get().is_some()).count();
                Some(format!("{} m: {tiles} tiles", c.metres()))
            })
            .collect();
        write!(f, "Lattices({})", made.join(", "))
    }
}

impl Reach {
    /// The access point of lattice point `g` (its position is `g` × the spacing, local
    /// metres), by the rules of [`Reach::access`]; none beyond the snap radius of every
    /// edge.
    pub fn lattice_snap(&self, graph: &WalkGraph, cell: CellSize, g: [i64; 2]) -> Option<SnapAt> {
        let lattice = self.lattices.spacings[cell.index()].get_or_init(|| self.lattice(cell));
        let t = [
            g[0].div_euclid(TILE as i64) - lattice.first[0] / TILE as i64,
            g[1].div_euclid(TILE as i64) - lattice.first[1] / TILE as i64,
        ];
        let (Ok(tx), Ok(ty)) = (usize::try_from(t[0]), usize::try_from(t[1])) else {
            return None;
        };
        if tx >= lattice.columns || ty >= lattice.rows {
            return None;
        }
        let tile = lattice.tiles[ty * lattice.columns + tx].get_or_init(|| {
            let corner = [
                lattice.first[0] + (tx * TILE) as i64,
                lattice.first[1] + (ty * TILE) as i64,
            ];
            Box::new(self.tile(graph, lattice.cell_m, corner))
        });
        let local =
            g[1].rem_euclid(TILE as i64) as usize * TILE + g[0].rem_euclid(TILE as i64) as usize;
        tile.snaps[local]
    }

    /// Finds the access points of every tile of a lattice now rather than on first use
    /// (the server does this for the default lattices in the background at start-up);
    /// returns the number of tiles and of access points kept.
    pub fn prepare_lattice(&self, graph: &WalkGraph, cell: CellSize) -> (usize, usize) {
        let lattice = self.lattices.spacings[cell.index()].get_or_init(|| self.lattice(cell));
        let mut snaps = 0;
        for ty in 0..lattice.rows {
            for tx in 0..lattice.columns {
                let g = [
                    lattice.first[0] + (tx * TILE) as i64,
                    lattice.first[1] + (ty * TILE) as i64,
                ];
                self.lattice_snap(graph, cell, g);
                snaps += lattice.tiles[ty * lattice.columns + tx]
                    .get()
                    .map_or(0, |t| t.snaps.iter().flatten().count());
            }
        }
        (lattice.tiles.len(), snaps)
    }

    /// An empty lattice over the snapper's extent plus the snap radius.
    fn lattice(&self, cell: CellSize) -> Lattice {
        let cell_m = cell.metres();
        let tile_m = cell_m * TILE as f64;
        let Some((lo, hi)) = self.snapper.extent() else {
            return Lattice {
                cell_m,
                first: [0, 0],
                columns: 0,
                rows: 0,
                tiles: Vec::new(),
            };
        };
        let r = self.snap_radius_m;
        let first_tile = [
            ((lo[0] - r) / tile_m).floor(),
            ((lo[1] - r) / tile_m).floor(),
        ];
        let last_tile = [
            ((hi[0] + r) / tile_m).floor(),
            ((hi[1] + r) / tile_m).floor(),
        ];
        let columns = (last_tile[0] - first_tile[0]) as usize + 1;
        let rows = (last_tile[1] - first_tile[1]) as usize + 1;
        Lattice {
            cell_m,
            first: [
                first_tile[0] as i64 * TILE as i64,
                first_tile[1] as i64 * TILE as i64,
            ],
            columns,
            rows,
            tiles: (0..columns * rows).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The access points of the tile whose first point is lattice point `corner`. A
    /// point of the tile (half-diagonal h around its centre c) has its two nearest
    /// edges within d₂(c) + 2h of c, so one search of the tree serves all 64.
    fn tile(&self, graph: &WalkGraph, cell_m: f64, corner: [i64; 2]) -> Tile {
        let radius = self.snap_radius_m;
        let centre_offset = (TILE as f64 - 1.0) / 2.0;
        let centre = [
            (corner[0] as f64 + centre_offset) * cell_m,
            (corner[1] as f64 + centre_offset) * cell_m,
        ];
        let half_diagonal = (TILE as f64 - 1.0) * cell_m / std::f64::consts::SQRT_2;
        let reach_m = match self
            .snapper
            .nearest(graph, centre, radius + half_diagonal, 2)
            .get(1)
        {
            Some(second) => (f64::from(second.offset_dm) / 10.0 + 0.1 + 2.0 * half_diagonal)
                .min(radius + half_diagonal),
            None => radius + half_diagonal,
        };
        let nearby = self.snapper.nearby(centre, reach_m);
        let mut snaps = [None; TILE * TILE];
        let mut found: Vec<Snap> = Vec::with_capacity(2);
        for (n, slot) in snaps.iter_mut().enumerate() {
            let p = [
                (corner[0] + (n % TILE) as i64) as f64 * cell_m,
                (corner[1] + (n / TILE) as i64) as f64 * cell_m,
            ];
            nearby.nearest_into(graph, p, radius, 2, &mut found);
            *slot = self.by_the_rules(graph, p, &found).map(|s| s.at());
        }
        Tile { snaps }
    }
}
