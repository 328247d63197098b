//! `TileCoord`: a validated z/x/y tile address in the Web Mercator tiling scheme.

use std::f64::consts::PI;

/// The deepest zoom served; at z22 a tile is about 10 m across at Zhifu's latitude.
pub const MAX_ZOOM: u8 = 22;

/// Half the Web Mercator world width, metres.
const HALF_WORLD_M: f64 = 20_037_508.342_789_244;

/// Why z/x/y does not name a tile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TileCoordError {
    #[error("zoom must be from 0 to {MAX_ZOOM}, got {0}")]
    Zoom(u32),
    #[error("x and y must be below 2^z = {limit} at zoom {z}, got x={x} y={y}")]
    OutOfRange { z: u8, x: u32, y: u32, limit: u32 },
}

/// A tile that exists: `z ≤ MAX_ZOOM`, `x, y < 2^z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileCoord {
    z: u8,
    x: u32,
    y: u32,
}

impl TileCoord {
    /// ```
    /// use redgrid_tiles::TileCoord;
    /// assert!(TileCoord::new(14, 13_716, 6_346).is_ok());
    /// assert!(TileCoord::new(1, 2, 0).is_err());
    /// assert!(TileCoord::new(23, 0, 0).is_err());
    /// ```
    pub fn new(z: u32, x: u32, y: u32) -> Result<Self, TileCoordError> {
        let z = u8::try_from(z)
            .ok()
            .filter(|z| *z <= MAX_ZOOM)
            .ok_or(TileCoordError::Zoom(z))?;
        let limit = 1u32 << z;
        if x >= limit || y >= limit {
            return Err(TileCoordError::OutOfRange { z, x, y, limit });
        }
        Ok(Self { z, x, y })
    }

    /// The tile holding a WGS-84 point at zoom `z` (latitudes clamped to the Mercator limit).
    ///
    /// ```
    /// use redgrid_tiles::TileCoord;
    /// let t = TileCoord::containing(14, 121.3786, 37.5391).unwrap();
    /// assert_eq!((t.x(), t.y()), (13_716, 6_346));
    /// ```
    pub fn containing(z: u32, lon: f64, lat: f64) -> Result<Self, TileCoordError> {
        let n = f64::from(1u32 << z.min(u32::from(MAX_ZOOM)));
        let (mx, my) = lon_lat_to_mercator(lon, lat);
        let fx = (mx + HALF_WORLD_M) / (2.0 * HALF_WORLD_M) * n;
        let fy = (HALF_WORLD_M - my) / (2.0 * HALF_WORLD_M) * n;
        let clamp = |v: f64| v.floor().clamp(0.0, n - 1.0) as u32;
        Self::new(z, clamp(fx), clamp(fy))
    }

    pub fn z(self) -> u8 {
        self.z
    }
    pub fn x(self) -> u32 {
        self.x
    }
    pub fn y(self) -> u32 {
        self.y
    }

    /// `[min_x, min_y, max_x, max_y]` in Web Mercator metres.
    pub fn mercator_bounds(self) -> [f64; 4] {
        let size = 2.0 * HALF_WORLD_M / f64::from(1u32 << self.z);
        let min_x = -HALF_WORLD_M + f64::from(self.x) * size;
        let max_y = HALF_WORLD_M - f64::from(self.y) * size;
        [min_x, max_y - size, min_x + size, max_y]
    }
}

/// WGS-84 lon/lat degrees → Web Mercator metres (EPSG:3857).
pub fn lon_lat_to_mercator(lon: f64, lat: f64) -> (f64, f64) {
    let lat = lat.clamp(-85.051_128_779_806_59, 85.051_128_779_806_59);
    let x = lon.to_radians() * HALF_WORLD_M / PI;
    let y = (PI / 4.0 + lat.to_radians() / 2.0).tan().ln() * HALF_WORLD_M / PI;
    (x, y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_zero_covers_the_world() {
        let [a, b, c, d] = TileCoord::new(0, 0, 0).unwrap().mercator_bounds();
        assert_eq!(
            [a, b, c, d],
            [-HALF_WORLD_M, -HALF_WORLD_M, HALF_WORLD_M, HALF_WORLD_M]
        );
    }

    #[test]
    fn a_point_lies_in_the_bounds_of_its_tile_at_every_zoom() {
        let (mx, my) = lon_lat_to_mercator(121.3786, 37.5391);
        for z in 0..=u32::from(MAX_ZOOM) {
            let [min_x, min_y, max_x, max_y] = TileCoord::containing(z, 121.3786, 37.5391)
                .unwrap()
                .mercator_bounds();
            assert!(
                (min_x..max_x).contains(&mx) && (min_y..max_y).contains(&my),
                "z{z}"
            );
        }
    }

    #[test]
    fn rejects_what_is_not_a_tile() {
        assert_eq!(TileCoord::new(23, 0, 0), Err(TileCoordError::Zoom(23)));
        assert!(matches!(
            TileCoord::new(3, 8, 0),
            Err(TileCoordError::OutOfRange { .. })
        ));
        assert!(TileCoord::new(3, 7, 7).is_ok());
    }
}
