//! `BBox`: an axis-aligned bounding box in lon/lat degrees, ordered min before max.

use geo::BoundingRect;
use serde::Serialize;

/// `[min_lon, min_lat, max_lon, max_lat]`, serialised in RFC 7946 order.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(into = "[f64; 4]")]
pub struct BBox {
    min_lon: f64,
    min_lat: f64,
    max_lon: f64,
    max_lat: f64,
}

/// Why four numbers do not make a bounding box.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BBoxError {
    #[error("bbox values must be finite numbers")]
    NotFinite,
    #[error("bbox must be ordered min_lon,min_lat,max_lon,max_lat")]
    Order,
    #[error("bbox lies outside -180..180 / -90..90")]
    Range,
}

impl BBox {
    /// ```
    /// use redgrid::geo::BBox;
    /// assert!(BBox::new(121.3, 37.4, 121.5, 37.6).is_ok());
    /// assert!(BBox::new(121.5, 37.4, 121.3, 37.6).is_err());
    /// ```
    pub fn new(min_lon: f64, min_lat: f64, max_lon: f64, max_lat: f64) -> Result<Self, BBoxError> {
        if ![min_lon, min_lat, max_lon, max_lat]
            .iter()
            .all(|v| v.is_finite())
        {
            return Err(BBoxError::NotFinite);
        }
        if min_lon > max_lon || min_lat > max_lat {
            return Err(BBoxError::Order);
        }
        if min_lon < -180.0 || max_lon > 180.0 || min_lat < -90.0 || max_lat > 90.0 {
            return Err(BBoxError::Range);
        }
        Ok(Self {
            min_lon,
            min_lat,
            max_lon,
            max_lat,
        })
    }

    /// The bounding box of a geometry, or `None` for an empty one.
    pub fn of<G: BoundingRect<f64>>(geometry: &G) -> Option<Self>
    where
        G::Output: Into<Option<geo::Rect<f64>>>,
    {
        let rect: Option<geo::Rect<f64>> = geometry.bounding_rect().into();
        rect.map(|r| Self {
            min_lon: r.min().x,
            min_lat: r.min().y,
            max_lon: r.max().x,
            max_lat: r.max().y,
        })
    }

    pub fn union(self, other: Self) -> Self {
        Self {
            min_lon: self.min_lon.min(other.min_lon),
            min_lat: self.min_lat.min(other.min_lat),
            max_lon: self.max_lon.max(other.max_lon),
            max_lat: self.max_lat.max(other.max_lat),
        }
    }

    pub fn intersects(self, other: Self) -> bool {
        self.min_lon <= other.max_lon
            && other.min_lon <= self.max_lon
            && self.min_lat <= other.max_lat
            && other.min_lat <= self.max_lat
    }

    pub fn center(self) -> (f64, f64) {
        (
            (self.min_lon + self.max_lon) / 2.0,
            (self.min_lat + self.max_lat) / 2.0,
        )
    }

    pub fn min_lon(self) -> f64 {
        self.min_lon
    }
    pub fn min_lat(self) -> f64 {
        self.min_lat
    }
    pub fn max_lon(self) -> f64 {
        self.max_lon
    }
    pub fn max_lat(self) -> f64 {
        self.max_lat
    }
}

impl From<BBox> for [f64; 4] {
    fn from(b: BBox) -> Self {
        [b.min_lon, b.min_lat, b.max_lon, b.max_lat]
    }
}
