//! `redgrid-tiles`: turning RedGrid's layers into Mapbox Vector Tiles. No tokio, axum
//! or sqlx here: the crate is pure and synchronous.
//!
//! [`TileCoord`] is a z/x/y that always names a tile that exists, and knows the Web
//! Mercator (EPSG:3857) area it covers; a [`Layer`] holds features projected and
//! indexed once; [`encode_tile`] searches, clips, quantizes and encodes one tile.

mod clip;
mod coord;
mod encode;
mod source;

pub use coord::{MAX_ZOOM, TileCoord, TileCoordError, lon_lat_to_mercator};
pub use encode::{BUFFER, EXTENT, EncodeError, encode_tile};
pub use source::{Feature, Layer, Value};

#[cfg(test)]
mod tests;
