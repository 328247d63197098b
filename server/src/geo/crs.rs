//! Coordinate systems used for input in China and the conversions between them.
//!
//! * WGS-84: what GPS, OpenStreetMap and RedGrid's data use.
//! * GCJ-02: the obfuscated datum required of maps published in China (AMap,
//!   Tencent). The forward formula is the widely published one; the inverse is
//!   solved by fixed-point iteration to 1e-12 deg, so a round trip is exact to
//!   floating-point precision. Outside China's bounding box GCJ-02 is WGS-84.
//! * BD-09: Baidu's further offset of GCJ-02, applied everywhere.
//! * CGCS2000 geographic coordinates are treated as WGS-84: the two frames differ
//!   by a few centimetres, far below the accuracy of anything RedGrid maps.

use std::f64::consts::PI;
use std::str::FromStr;

use super::LonLat;

/// Datum of a point given by a caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Crs {
    #[default]
    Wgs84,
    Gcj02,
    Bd09,
    Cgcs2000,
}

impl Crs {
    pub const NAMES: [&'static str; 4] = ["wgs84", "gcj02", "bd09", "cgcs2000"];

    /// Converts a point in this datum to WGS-84.
    pub fn to_wgs84(self, p: LonLat) -> LonLat {
        match self {
            Crs::Wgs84 | Crs::Cgcs2000 => p,
            Crs::Gcj02 => gcj02_to_wgs84(p),
            Crs::Bd09 => gcj02_to_wgs84(bd09_to_gcj02(p)),
        }
    }

    /// Converts a WGS-84 point to this datum.
    pub fn from_wgs84(self, p: LonLat) -> LonLat {
        match self {
            Crs::Wgs84 | Crs::Cgcs2000 => p,
            Crs::Gcj02 => wgs84_to_gcj02(p),
            Crs::Bd09 => gcj02_to_bd09(wgs84_to_gcj02(p)),
        }
    }
}

impl FromStr for Crs {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s.to_ascii_lowercase().as_str() {
            "wgs84" | "wgs-84" | "epsg:4326" => Ok(Crs::Wgs84),
            "gcj02" | "gcj-02" => Ok(Crs::Gcj02),
            "bd09" | "bd-09" => Ok(Crs::Bd09),
            "cgcs2000" | "epsg:4490" => Ok(Crs::Cgcs2000),
            _ => Err(()),
        }
    }
}

/// Krasovsky 1940 semi-major axis and squared eccentricity, as the GCJ-02 formula uses them.
const GCJ_A: f64 = 6_378_245.0;
const GCJ_EE: f64 = 0.006_693_421_622_965_943;
/// Baidu's constant offsets and angular factor.
const BD_DLON: f64 = 0.0065;
const BD_DLAT: f64 = 0.006;
const BD_X_PI: f64 = PI * 3000.0 / 180.0;
const INVERSE_TOLERANCE_DEG: f64 = 1e-12;
const INVERSE_MAX_ITERATIONS: usize = 30;

fn in_china(lon: f64, lat: f64) -> bool {
    (72.004..=137.8347).contains(&lon) && (0.8293..=55.8271).contains(&lat)
}

/// The GCJ-02 offset at a WGS-84 point, in degrees, with no check for China.
fn gcj_offset(lon: f64, lat: f64) -> (f64, f64) {
    let x = lon - 105.0;
    let y = lat - 35.0;
    let waves_x = (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    let d_lat_m = -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * x.abs().sqrt()
        + waves_x
        + (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0
        + (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    let d_lon_m = 300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * x.abs().sqrt()
        + waves_x
        + (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0
        + (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    let rad_lat = lat.to_radians();
    let magic = 1.0 - GCJ_EE * rad_lat.sin().powi(2);
    let sqrt_magic = magic.sqrt();
    let d_lat = d_lat_m * 180.0 / ((GCJ_A * (1.0 - GCJ_EE)) / (magic * sqrt_magic) * PI);
    let d_lon = d_lon_m * 180.0 / (GCJ_A / sqrt_magic * rad_lat.cos() * PI);
    (d_lon, d_lat)
}

/// WGS-84 → GCJ-02.
///
/// ```
/// use redgrid::geo::{LonLat, wgs84_to_gcj02};
/// let p = wgs84_to_gcj02(LonLat::new(121.3786, 37.5391).unwrap());
/// assert!((p.lon() - 121.3786 - 0.0053).abs() < 0.0002);
/// ```
pub fn wgs84_to_gcj02(p: LonLat) -> LonLat {
    if !in_china(p.lon(), p.lat()) {
        return p;
    }
    let (d_lon, d_lat) = gcj_offset(p.lon(), p.lat());
    LonLat::clamped(p.lon() + d_lon, p.lat() + d_lat)
}

/// GCJ-02 → WGS-84, the exact inverse of [`wgs84_to_gcj02`].
pub fn gcj02_to_wgs84(p: LonLat) -> LonLat {
    let (lon, lat) = invert(p, |lon, lat| {
        let (d_lon, d_lat) = gcj_offset(lon, lat);
        (lon + d_lon, lat + d_lat)
    });
    if in_china(lon, lat) {
        LonLat::clamped(lon, lat)
    } else {
        p
    }
}

/// GCJ-02 → BD-09.
pub fn gcj02_to_bd09(p: LonLat) -> LonLat {
    let (lon, lat) = gcj_to_bd_raw(p.lon(), p.lat());
    LonLat::clamped(lon, lat)
}

/// BD-09 → GCJ-02, the exact inverse of [`gcj02_to_bd09`].
pub fn bd09_to_gcj02(p: LonLat) -> LonLat {
    let (lon, lat) = invert(p, gcj_to_bd_raw);
    LonLat::clamped(lon, lat)
}

fn gcj_to_bd_raw(lon: f64, lat: f64) -> (f64, f64) {
    let z = (lon * lon + lat * lat).sqrt() + 0.00002 * (lat * BD_X_PI).sin();
    let theta = lat.atan2(lon) + 0.000003 * (lon * BD_X_PI).cos();
    (z * theta.cos() + BD_DLON, z * theta.sin() + BD_DLAT)
}

/// Solves `forward(x) = target` by fixed-point iteration, starting from `target`.
/// The offsets vary slowly, so each step gains several digits.
fn invert(target: LonLat, forward: impl Fn(f64, f64) -> (f64, f64)) -> (f64, f64) {
    let (mut lon, mut lat) = (target.lon(), target.lat());
    for _ in 0..INVERSE_MAX_ITERATIONS {
        let (f_lon, f_lat) = forward(lon, lat);
        let (e_lon, e_lat) = (f_lon - target.lon(), f_lat - target.lat());
        lon -= e_lon;
        lat -= e_lat;
        if e_lon.abs() < INVERSE_TOLERANCE_DEG && e_lat.abs() < INVERSE_TOLERANCE_DEG {
            break;
        }
    }
    (lon, lat)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_case_insensitively() {
        assert_eq!("GCJ02".parse(), Ok(Crs::Gcj02));
        assert_eq!("bd-09".parse(), Ok(Crs::Bd09));
        assert_eq!("mars".parse::<Crs>(), Err(()));
    }

    #[test]
    fn gcj_is_identity_outside_china() {
        let p = LonLat::new(2.35, 48.85).unwrap();
        assert_eq!(wgs84_to_gcj02(p), p);
        assert_eq!(gcj02_to_wgs84(p), p);
    }
}
