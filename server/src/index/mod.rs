//! Spatial indexes over the loaded layers, built once in the local metric projection
//! and read-only per request.

mod area;

pub use area::AreaIndex;

use crate::geo::{BBox, LocalProjection, LonLat};
use crate::store::Dataset;

/// The indexes `locate` needs, each in local metres.
#[derive(Debug)]
pub struct Indexes {
    pub projection: LocalProjection,
    pub land: AreaIndex,
    pub streets: AreaIndex,
    pub communities: AreaIndex,
    pub grids: AreaIndex,
    pub compounds: AreaIndex,
    pub buildings: AreaIndex,
}

impl Indexes {
    pub fn build(ds: &Dataset) -> Self {
        let projection = data_extent(ds).map_or_else(
            || LocalProjection::centred_on(LonLat::clamped(0.0, 0.0)),
            LocalProjection::for_extent,
        );
        let project = |features: &mut dyn Iterator<Item = &geo::MultiPolygon<f64>>| {
            AreaIndex::new(features.map(|g| project_area(&projection, g)).collect())
        };
        Self {
            land: project(&mut ds.district.iter().map(|f| &f.geometry)),
            streets: project(&mut ds.streets.iter().map(|f| &f.geometry)),
            communities: project(&mut ds.communities.iter().map(|f| &f.geometry)),
            grids: project(&mut ds.grids.iter().map(|f| &f.geometry)),
            compounds: project(&mut ds.compounds.iter().map(|f| &f.geometry)),
            buildings: project(&mut ds.buildings.iter().map(|f| &f.geometry)),
            projection,
        }
    }

    pub fn project(&self, p: LonLat) -> geo::Point<f64> {
        let (x, y) = self.projection.project(p);
        geo::Point::new(x, y)
    }
}

/// The extent of the district, or of whatever was loaded when there is no district.
fn data_extent(ds: &Dataset) -> Option<BBox> {
    use crate::store::LayerId;
    ds.layer(LayerId::District).bbox.or_else(|| {
        LayerId::ALL
            .into_iter()
            .filter_map(|l| ds.layer(l).bbox)
            .reduce(BBox::union)
    })
}

fn project_area(proj: &LocalProjection, g: &geo::MultiPolygon<f64>) -> geo::MultiPolygon<f64> {
    use geo::MapCoords;
    g.map_coords(|c| {
        let (x, y) = proj.project_xy(c.x, c.y);
        geo::Coord { x, y }
    })
}
