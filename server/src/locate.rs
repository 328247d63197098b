//! Locating a point in the grid system: building → compound → grid → community →
//! street, each taken from the level below where it names its parent, else by polygon.

use crate::geo::LonLat;
use crate::index::Indexes;
use crate::store::Dataset;

/// A building counts as the point's building when the point is inside it or this close.
pub const BUILDING_RADIUS_M: f64 = 30.0;

/// Positions, in their layers, of what holds a point.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Located {
    /// The building and the distance to it, metres (0 inside).
    pub building: Option<(usize, f64)>,
    pub compound: Option<usize>,
    pub grid: Option<usize>,
    pub community: Option<usize>,
    pub street: Option<usize>,
}

/// The point is not on the district's land.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("the point is outside the district")]
pub struct OutsideDistrict;

pub fn locate(ds: &Dataset, idx: &Indexes, p: LonLat) -> Result<Located, OutsideDistrict> {
    let xy = idx.project(p);
    if idx.land.containing(xy).is_none() {
        return Err(OutsideDistrict);
    }
    let ids = ds.ids();
    let building = idx.buildings.nearest_within(xy, BUILDING_RADIUS_M);
    let building_props = building.map(|(i, _)| &ds.buildings[i].props);

    let compound = building_props
        .and_then(|b| b.compound_id.as_ref())
        .and_then(|id| ids.compounds.get(id).copied())
        .or_else(|| idx.compounds.containing(xy));
    let grid = building_props
        .and_then(|b| ids.grids.get(&b.grid_id).copied())
        .or_else(|| idx.grids.containing(xy));
    let community = grid
        .and_then(|g| {
            ids.communities
                .get(&ds.grids[g].props.community_id)
                .copied()
        })
        .or_else(|| idx.communities.containing(xy));
    let street = community
        .and_then(|c| ids.streets.get(&ds.communities[c].props.street_id).copied())
        .or_else(|| idx.streets.containing(xy));
    Ok(Located {
        building,
        compound,
        grid,
        community,
        street,
    })
}
