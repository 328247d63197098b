//! Mapbox Vector Tile encoding for RedGrid layers (see issue: vector tiles).
