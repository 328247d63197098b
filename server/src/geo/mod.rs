//! Pure geometry helpers: validated lon/lat points, bounding boxes, the local metric
//! projection, label points and conversions between the coordinate systems used in
//! China, Gauss–Krüger grids included.

mod bbox;
mod crs;
mod gauss_kruger;
mod label;
mod lonlat;
mod projection;

pub use bbox::BBox;
pub use crs::{Crs, bd09_to_gcj02, gcj02_to_bd09, gcj02_to_wgs84, wgs84_to_gcj02};
pub use gauss_kruger::{GaussKruger, GaussKrugerError};
pub use label::label_point;
pub use lonlat::{LonLat, LonLatError};
pub use projection::LocalProjection;
