//! `LonLat`: a longitude/latitude pair that is always finite and in range.

use std::fmt;

/// A point in geographic coordinates, degrees. Which datum it is in (WGS-84,
/// GCJ-02, BD-09) is up to the caller; the domain model holds WGS-84 only.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LonLat {
    lon: f64,
    lat: f64,
}

/// Why a pair of numbers is not a valid point.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LonLatError {
    #[error("longitude must be a finite number between -180 and 180, got {0}")]
    Lon(f64),
    #[error("latitude must be a finite number between -90 and 90, got {0}")]
    Lat(f64),
}

impl LonLat {
    /// Checks that both values are finite and within their ranges.
    ///
    /// ```
    /// use redgrid::geo::LonLat;
    /// assert!(LonLat::new(121.38, 37.54).is_ok());
    /// assert!(LonLat::new(f64::NAN, 37.54).is_err());
    /// assert!(LonLat::new(121.38, 91.0).is_err());
    /// ```
    pub fn new(lon: f64, lat: f64) -> Result<Self, LonLatError> {
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(LonLatError::Lon(lon));
        }
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(LonLatError::Lat(lat));
        }
        Ok(Self { lon, lat })
    }

    /// Clamps into range; for results of conversions whose offsets of a few hundred
    /// metres can step past a pole or the antimeridian. NaN becomes 0.
    pub(crate) fn clamped(lon: f64, lat: f64) -> Self {
        let fix = |v: f64, limit: f64| {
            if v.is_nan() {
                0.0
            } else {
                v.clamp(-limit, limit)
            }
        };
        Self {
            lon: fix(lon, 180.0),
            lat: fix(lat, 90.0),
        }
    }

    pub fn lon(self) -> f64 {
        self.lon
    }

    pub fn lat(self) -> f64 {
        self.lat
    }

    /// Rounds to 7 decimals (about 1 cm), the precision of the data files.
    pub fn rounded7(self) -> Self {
        let r = |v: f64| (v * 1e7).round() / 1e7;
        Self {
            lon: r(self.lon),
            lat: r(self.lat),
        }
    }
}

impl From<LonLat> for geo::Coord<f64> {
    fn from(p: LonLat) -> Self {
        geo::Coord { x: p.lon, y: p.lat }
    }
}

impl From<LonLat> for geo::Point<f64> {
    fn from(p: LonLat) -> Self {
        geo::Point::new(p.lon, p.lat)
    }
}

impl fmt::Display for LonLat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.7},{:.7}", self.lon, self.lat)
    }
}
