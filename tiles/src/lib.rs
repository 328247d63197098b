//! `redgrid-tiles`: turning RedGrid's layers into Mapbox Vector Tiles. No tokio, axum
//! or sqlx here: the crate is pure and synchronous.
//!
//! This part addresses tiles: [`TileCoord`] is a z/x/y that always names a tile that
//! exists, and knows the Web Mercator (EPSG:3857) area it covers.

mod coord;

pub use coord::{MAX_ZOOM, TileCoord, TileCoordError};
