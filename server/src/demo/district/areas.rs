//! Households on blocks, and the three levels of areas grown from blocks: streets
//! (seeded at the register's proxy points, shares by community count), communities
//! (equal shares within their street) and grids (1,024, split over communities by
//! households, equal shares within their community). Fringe pieces and islands join
//! the grid of the nearest block; every area is the union of its cells.

use geo::Coord;
use rstar::RTree;
use rstar::primitives::{GeomWithData, Line as Segment};

use super::blocks::Cells;
use super::inputs::Inputs;
use super::partition::{Space, grow, spread_seeds};
use crate::demo::SeededRng;
use crate::demo::network::density::StopDensity;
use crate::demo::network::distance;
use crate::error::{Error, Result};

/// Assumed residents of the district (order of magnitude of its published
/// population; not a census figure) and persons per household.
pub const RESIDENTS: f64 = 1_000_000.0;
pub const PERSONS_PER_HOUSEHOLD: f64 = 2.8;
pub const GRIDS: usize = 1_024;
/// Share of blocks with no homes (schools, parks, offices, industry, hills).
const NON_RESIDENTIAL: f64 = 0.2;
/// Blocks smaller than this hold no homes.
const MIN_RESIDENTIAL_M2: f64 = 1_500.0;

/// Placements for the two streets with no real proxy point, (lon, lat): 向阳 in the
/// old downtown by the northern shore, 东山 on the eastern shore.
pub const PLACED_STREETS: [(&str, f64, f64); 2] = [
    ("370602001", 121.3935, 37.5430),
    ("370602002", 121.4250, 37.5335),
];

pub struct Grid {
    pub community: usize,
    pub cells: Vec<usize>,
    pub households: u32,
}

pub struct Community {
    pub street: usize,
    pub grids: Vec<usize>,
}

pub struct Areas {
    pub households: Vec<u32>,
    pub grid_of_cell: Vec<usize>,
    pub grids: Vec<Grid>,
    /// In register order.
    pub communities: Vec<Community>,
    /// Street seed points and the blocks they fell in, in register order.
    pub street_seeds: Vec<Coord<f64>>,
    pub street_seed_cells: Vec<usize>,
}

/// Integers proportional to `weights` summing to `total` (largest remainder, ties to
/// the lower index), each at least `min` when `total` allows.
pub fn apportion(weights: &[f64], total: u64, min: u64) -> Vec<u64> {
    let n = weights.len() as u64;
    let floor_total = min * n;
    if n == 0 || total < floor_total {
        return vec![0; weights.len()];
    }
    let sum: f64 = weights.iter().sum();
    let rest = (total - floor_total) as f64;
    let exact: Vec<f64> = weights
        .iter()
        .map(|w| {
            if sum > 0.0 {
                rest * w / sum
            } else {
                rest / n as f64
            }
        })
        .collect();
    let mut out: Vec<u64> = exact.iter().map(|e| e.floor() as u64 + min).collect();
    let mut left = total - out.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    for &i in order.iter().cycle() {
        if left == 0 {
            break;
        }
        out[i] += 1;
        left -= 1;
    }
    out
}

fn households(inputs: &Inputs, cells: &Cells, seed: u64) -> Vec<u32> {
    let density = StopDensity::new(&inputs.base.stops, &inputs.base.land);
    let floor = density.quantiles[0];
    let mut rng = SeededRng::new(seed, 0x686f_6d65);
    let weights: Vec<f64> = cells
        .cells
        .iter()
        .map(|c| {
            let homes = rng.chance(1.0 - NON_RESIDENTIAL);
            let factor = rng.range(0.6, 1.4);
            if !c.block || !homes || c.area < MIN_RESIDENTIAL_M2 {
                0.0
            } else {
                c.area / 1e6 * (density.at(c.inside) + floor) * factor
            }
        })
        .collect();
    let total = (RESIDENTS / PERSONS_PER_HOUSEHOLD).round() as u64;
    apportion(&weights, total, 0)
        .into_iter()
        .map(|h| h as u32)
        .collect()
}

fn nearest_cell(cells: &Cells, members: &[usize], p: Coord<f64>) -> Option<usize> {
    members.iter().copied().min_by(|&a, &b| {
        distance(p, cells.cells[a].inside).total_cmp(&distance(p, cells.cells[b].inside))
    })
}

pub fn grow_areas(inputs: &Inputs, cells: &Cells, seed: u64) -> Result<Areas> {
    let households = households(inputs, cells, seed);
    let centres: Vec<Coord<f64>> = cells.cells.iter().map(|c| c.inside).collect();
    let weight: Vec<f64> = households.iter().map(|&h| f64::from(h)).collect();
    let space = Space {
        adjacency: &cells.adjacency,
        centres: &centres,
        weight: &weight,
    };
    let blocks: Vec<usize> = (0..cells.cells.len())
        .filter(|&c| cells.cells[c].block)
        .collect();

    // Streets.
    let mut street_seeds = Vec::new();
    for s in &inputs.streets {
        let point = s.proxy.or_else(|| {
            PLACED_STREETS
                .iter()
                .find(|p| p.0 == s.code)
                .map(|&(_, lon, lat)| {
                    let (x, y) = inputs.base.projection.project_xy(lon, lat);
                    Coord { x, y }
                })
        });
        let point = point.ok_or_else(|| Error::InvalidFile {
            file: "places/zhifu_subdistricts_wgs84.geojson".to_owned(),
            reason: format!("street {} has no point and no stated placement", s.code),
        })?;
        street_seeds.push(point);
    }
    let mut seed_cells: Vec<usize> = Vec::new();
    for &p in &street_seeds {
        let free: Vec<usize> = blocks
            .iter()
            .copied()
            .filter(|b| !seed_cells.contains(b))
            .collect();
        seed_cells.extend(nearest_cell(cells, &free, p));
    }
    let counts: Vec<f64> = inputs
        .streets
        .iter()
        .map(|s| {
            inputs
                .communities
                .iter()
                .filter(|c| c.street_code == s.code)
                .count() as f64
        })
        .collect();
    let street_of_block = grow(&space, &blocks, &seed_cells, &counts);

    // Communities (in register order), then grids.
    let mut slots: Vec<Option<(Community, Vec<usize>)>> =
        (0..inputs.communities.len()).map(|_| None).collect();
    for (s, street) in inputs.streets.iter().enumerate() {
        let members: Vec<usize> = blocks
            .iter()
            .zip(&street_of_block)
            .filter(|&(_, &r)| r == s)
            .map(|(&b, _)| b)
            .collect();
        let in_register: Vec<usize> = (0..inputs.communities.len())
            .filter(|&c| inputs.communities[c].street_code == street.code)
            .collect();
        let seeds = spread_seeds(&space, &members, in_register.len());
        if seeds.len() != in_register.len() {
            return Err(Error::InvalidFile {
                file: "walk_network.geojson".to_owned(),
                reason: format!("street {} has too few blocks", street.code),
            });
        }
        let region = grow(&space, &members, &seeds, &vec![1.0; seeds.len()]);
        for (r, &c) in in_register.iter().enumerate() {
            let mine = members
                .iter()
                .zip(&region)
                .filter(|&(_, &g)| g == r)
                .map(|(&b, _)| b)
                .collect();
            let community = Community {
                street: s,
                grids: Vec::new(),
            };
            slots[c] = Some((community, mine));
        }
    }
    let (mut communities, community_blocks): (Vec<Community>, Vec<Vec<usize>>) =
        slots.into_iter().flatten().unzip();
    if communities.len() != inputs.communities.len() {
        return Err(Error::InvalidFile {
            file: "places/zhifu_communities_nbs2023.csv".to_owned(),
            reason: "a community's street is not in the street register".to_owned(),
        });
    }

    let community_households: Vec<f64> = community_blocks
        .iter()
        .map(|m| m.iter().map(|&b| weight[b]).sum())
        .collect();
    let grid_counts = apportion(&community_households, GRIDS as u64, 1);
    let mut grids: Vec<Grid> = Vec::new();
    let mut grid_of_cell = vec![usize::MAX; cells.cells.len()];
    for (c, members) in community_blocks.iter().enumerate() {
        let k = grid_counts[c] as usize;
        let seeds = spread_seeds(&space, members, k);
        if seeds.len() != k {
            return Err(Error::InvalidFile {
                file: "walk_network.geojson".to_owned(),
                reason: format!(
                    "community {} has too few blocks",
                    inputs.communities[c].code
                ),
            });
        }
        let region = grow(&space, members, &seeds, &vec![1.0; k]);
        for r in 0..k {
            let mine: Vec<usize> = members
                .iter()
                .zip(&region)
                .filter(|&(_, &g)| g == r)
                .map(|(&b, _)| b)
                .collect();
            for &b in &mine {
                grid_of_cell[b] = grids.len();
            }
            communities[c].grids.push(grids.len());
            grids.push(Grid {
                community: c,
                households: mine.iter().map(|&b| households[b]).sum(),
                cells: mine,
            });
        }
    }

    // Fringe pieces and islands join the grid of the nearest block edge.
    let segments: Vec<GeomWithData<Segment<[f64; 2]>, usize>> = blocks
        .iter()
        .flat_map(|&b| {
            cells.cells[b]
                .polygon
                .exterior()
                .lines()
                .map(move |l| GeomWithData::new(Segment::new(l.start.into(), l.end.into()), b))
        })
        .collect();
    let tree = RTree::bulk_load(segments);
    for c in 0..cells.cells.len() {
        if grid_of_cell[c] != usize::MAX {
            continue;
        }
        let p = cells.cells[c].inside;
        if let Some(nearest) = tree.nearest_neighbor(&[p.x, p.y]) {
            let g = grid_of_cell[nearest.data];
            grid_of_cell[c] = g;
            grids[g].cells.push(c);
        }
    }
    Ok(Areas {
        households,
        grid_of_cell,
        grids,
        communities,
        street_seeds,
        street_seed_cells: seed_cells,
    })
}

#[cfg(test)]
mod tests {
    use super::apportion;

    #[test]
    fn apportion_sums_exactly_and_respects_the_minimum() {
        assert_eq!(apportion(&[1.0, 1.0, 1.0], 10, 0), [4, 3, 3]);
        assert_eq!(apportion(&[0.0, 5.0, 5.0], 10, 1), [1, 5, 4]);
        assert_eq!(apportion(&[2.0, 1.0], 3, 0), [2, 1]);
        let v = apportion(&[0.3, 0.9, 2.2, 7.1], 1_024, 1);
        assert_eq!(v.iter().sum::<u64>(), 1_024);
    }
}
