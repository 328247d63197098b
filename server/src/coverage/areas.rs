//! The areas coverage is reported by (the district, its streets, communities and
//! grids) and which area each building and each site lies in, followed through the
//! hierarchy: a building's grid, the grid's community, the community's street.

use crate::store::Dataset;

/// The level a coverage table is reported at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    District,
    Street,
    Community,
    Grid,
}

impl Level {
    pub const NAMES: [&'static str; 4] = ["district", "street", "community", "grid"];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

impl std::str::FromStr for Level {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "district" => Ok(Level::District),
            "street" => Ok(Level::Street),
            "community" => Ok(Level::Community),
            "grid" => Ok(Level::Grid),
            _ => Err(()),
        }
    }
}

/// One area of a level: its id (the grid's 15-digit code for grids) and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    pub id: String,
    pub code: Option<String>,
    pub name: String,
}

/// Not in any area of the level (an unknown reference).
pub const NONE: u32 = u32::MAX;

/// Where each building and site lies, at every level below the district.
#[derive(Debug, Clone)]
pub struct Areas {
    pub district: Area,
    pub streets: Vec<Area>,
    pub communities: Vec<Area>,
    pub grids: Vec<Area>,
    /// Per building: (street, community, grid) positions, or [`NONE`].
    pub of_building: Vec<[u32; 3]>,
    /// Per site, the same.
    pub of_site: Vec<[u32; 3]>,
}

impl Areas {
    /// The areas of `ds`. A building lies in the grid it names; a site in the grid
    /// `grid_at` finds at its point (WGS-84), else in the grid, community or street it
    /// names.
    pub fn of(ds: &Dataset, grid_at: impl Fn(geo::Point<f64>) -> Option<usize>) -> Self {
        let ids = ds.ids();
        let position = |found: Option<&usize>| found.map_or(NONE, |&i| i as u32);
        let from_grid = |grid: u32| -> [u32; 3] {
            let Some(g) = ds.grids.get(grid as usize) else {
                return [NONE; 3];
            };
            let community = position(ids.communities.get(&g.props.community_id));
            let street = ds
                .communities
                .get(community as usize)
                .map_or(NONE, |c| position(ids.streets.get(&c.props.street_id)));
            [street, community, grid]
        };
        let of_building = ds
            .buildings
            .iter()
            .map(|b| from_grid(position(ids.grids.get(&b.props.grid_id))))
            .collect();
        let of_site = ds
            .sites
            .iter()
            .map(|s| {
                let p = &s.props;
                let named = p.grid_id.as_ref().and_then(|g| ids.grids.get(g)).copied();
                if let Some(grid) = grid_at(s.geometry).or(named) {
                    return from_grid(grid as u32);
                }
                let community =
                    position(p.community_id.as_ref().and_then(|c| ids.communities.get(c)));
                let street = position(p.street_id.as_ref().and_then(|s| ids.streets.get(s)));
                [street, community, NONE]
            })
            .collect();
        let district = ds.district.first().map_or_else(
            || Area {
                id: String::new(),
                code: None,
                name: String::new(),
            },
            |d| Area {
                id: d.props.id.to_string(),
                code: Some(d.props.adcode.to_string()),
                name: d.props.name.clone(),
            },
        );
        Self {
            district,
            streets: ds
                .streets
                .iter()
                .map(|s| Area {
                    id: s.props.id.to_string(),
                    code: Some(s.props.id.to_string()),
                    name: s.props.name.clone(),
                })
                .collect(),
            communities: ds
                .communities
                .iter()
                .map(|c| Area {
                    id: c.props.id.to_string(),
                    code: Some(c.props.id.to_string()),
                    name: c.props.name.clone(),
                })
                .collect(),
            grids: ds
                .grids
                .iter()
                .map(|g| Area {
                    id: g.props.id.to_string(),
                    code: Some(g.props.code.as_str().to_owned()),
                    name: g
                        .props
                        .name
                        .clone()
                        .unwrap_or_else(|| g.props.party_branch.clone()),
                })
                .collect(),
            of_building,
            of_site,
        }
    }

    /// The areas of a level, in data order.
    pub fn at(&self, level: Level) -> &[Area] {
        match level {
            Level::District => std::slice::from_ref(&self.district),
            Level::Street => &self.streets,
            Level::Community => &self.communities,
            Level::Grid => &self.grids,
        }
    }

    /// The position of an area at `level` for an entry of `of_building`/`of_site`.
    pub fn pick(level: Level, entry: [u32; 3]) -> u32 {
        match level {
            Level::District => 0,
            Level::Street => entry[0],
            Level::Community => entry[1],
            Level::Grid => entry[2],
        }
    }

    /// The area with this id at any level below the district, with its level.
    pub fn find(&self, id: &str) -> Option<(Level, u32)> {
        [
            (Level::Street, &self.streets),
            (Level::Community, &self.communities),
            (Level::Grid, &self.grids),
        ]
        .into_iter()
        .find_map(|(level, areas)| {
            areas
                .iter()
                .position(|a| a.id == id || a.code.as_deref() == Some(id))
                .map(|i| (level, i as u32))
        })
    }
}
