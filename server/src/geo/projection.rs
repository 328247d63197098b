//! The local metric projection: a transverse Mercator on the WGS-84 ellipsoid whose
//! central meridian and origin latitude are the centre of the loaded data's extent,
//! so metres are true to well under a millimetre per kilometre anywhere a district
//! can be. Krüger's series to third order in n (Karney 2011, eqs. 35–36), accurate
//! to about a millimetre within 1,000 km of the central meridian. Transcendental
//! functions come from the `libm` crate, so results are bit-identical on every
//! machine (the demo generator depends on that).

use super::{BBox, LonLat};

const WGS84_A: f64 = 6_378_137.0;
const WGS84_F: f64 = 1.0 / 298.257_223_563;

/// Projects lon/lat to local x (east) / y (north) metres and back.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalProjection {
    lon0_rad: f64,
    northing0_m: f64,
    series: Series,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Series {
    /// Rectifying radius A.
    a_rect: f64,
    /// First eccentricity e.
    e: f64,
    alpha: [f64; 3],
    beta: [f64; 3],
    delta: [f64; 3],
}

impl Series {
    fn wgs84() -> Self {
        let n = WGS84_F / (2.0 - WGS84_F);
        let (n2, n3) = (n * n, n * n * n);
        Self {
            a_rect: WGS84_A / (1.0 + n) * (1.0 + n2 / 4.0 + n2 * n2 / 64.0),
            e: (WGS84_F * (2.0 - WGS84_F)).sqrt(),
            alpha: [
                n / 2.0 - 2.0 * n2 / 3.0 + 5.0 * n3 / 16.0,
                13.0 * n2 / 48.0 - 3.0 * n3 / 5.0,
                61.0 * n3 / 240.0,
            ],
            beta: [
                n / 2.0 - 2.0 * n2 / 3.0 + 37.0 * n3 / 96.0,
                n2 / 48.0 + n3 / 15.0,
                17.0 * n3 / 480.0,
            ],
            delta: [
                2.0 * n - 2.0 * n2 / 3.0 - 2.0 * n3,
                7.0 * n2 / 3.0 - 8.0 * n3 / 5.0,
                56.0 * n3 / 15.0,
            ],
        }
    }

    /// (ξ, η) of a point `dlon` radians from the central meridian.
    fn forward(&self, lat_rad: f64, dlon_rad: f64) -> (f64, f64) {
        let sin_lat = libm::sin(lat_rad);
        let t = libm::sinh(libm::atanh(sin_lat) - self.e * libm::atanh(self.e * sin_lat));
        let xi_p = libm::atan2(t, libm::cos(dlon_rad));
        let eta_p = libm::atanh(libm::sin(dlon_rad) / (1.0 + t * t).sqrt());
        let (mut xi, mut eta) = (xi_p, eta_p);
        for (j, a) in self.alpha.iter().enumerate() {
            let k = 2.0 * (j as f64 + 1.0);
            xi += a * libm::sin(k * xi_p) * libm::cosh(k * eta_p);
            eta += a * libm::cos(k * xi_p) * libm::sinh(k * eta_p);
        }
        (xi, eta)
    }

    /// Latitude and longitude offset, radians, of (ξ, η).
    fn inverse(&self, xi: f64, eta: f64) -> (f64, f64) {
        let (mut xi_p, mut eta_p) = (xi, eta);
        for (j, b) in self.beta.iter().enumerate() {
            let k = 2.0 * (j as f64 + 1.0);
            xi_p -= b * libm::sin(k * xi) * libm::cosh(k * eta);
            eta_p -= b * libm::cos(k * xi) * libm::sinh(k * eta);
        }
        let chi = libm::asin(libm::sin(xi_p) / libm::cosh(eta_p));
        let mut lat = chi;
        for (j, d) in self.delta.iter().enumerate() {
            lat += d * libm::sin(2.0 * (j as f64 + 1.0) * chi);
        }
        (lat, libm::atan2(libm::sinh(eta_p), libm::cos(xi_p)))
    }
}

impl LocalProjection {
    /// A projection centred on `origin`.
    pub fn centred_on(origin: LonLat) -> Self {
        let series = Series::wgs84();
        let (xi0, _) = series.forward(origin.lat().to_radians(), 0.0);
        Self {
            lon0_rad: origin.lon().to_radians(),
            northing0_m: series.a_rect * xi0,
            series,
        }
    }

    /// A projection centred on the middle of `extent`.
    pub fn for_extent(extent: BBox) -> Self {
        let (lon, lat) = extent.center();
        Self::centred_on(LonLat::clamped(lon, lat))
    }

    /// Lon/lat degrees → local metres (x east, y north).
    ///
    /// ```
    /// use redgrid::geo::{LocalProjection, LonLat};
    /// let proj = LocalProjection::centred_on(LonLat::new(121.4, 37.5).unwrap());
    /// let (x, y) = proj.project(LonLat::new(121.4, 37.5).unwrap());
    /// assert!(x.abs() < 1e-6 && y.abs() < 1e-6);
    /// ```
    pub fn project(&self, p: LonLat) -> (f64, f64) {
        let (xi, eta) = self
            .series
            .forward(p.lat().to_radians(), p.lon().to_radians() - self.lon0_rad);
        (
            self.series.a_rect * eta,
            self.series.a_rect * xi - self.northing0_m,
        )
    }

    /// Projects a raw coordinate pair; for geometry already validated at load.
    pub fn project_xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        self.project(LonLat::clamped(lon, lat))
    }

    /// Local metres → lon/lat degrees.
    pub fn unproject(&self, x_m: f64, y_m: f64) -> LonLat {
        let (lat, dlon) = self.series.inverse(
            (y_m + self.northing0_m) / self.series.a_rect,
            x_m / self.series.a_rect,
        );
        LonLat::clamped((self.lon0_rad + dlon).to_degrees(), lat.to_degrees())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Distance, Geodesic, Point};

    fn zhifu() -> LocalProjection {
        LocalProjection::centred_on(LonLat::new(121.41, 37.52).unwrap())
    }

    #[test]
    fn round_trip_is_exact_to_a_millimetre() {
        let proj = zhifu();
        for i in 0..50 {
            let p = LonLat::new(121.2 + i as f64 * 0.008, 37.3 + i as f64 * 0.01).unwrap();
            let (x, y) = proj.project(p);
            let back = proj.unproject(x, y);
            assert!((back.lon() - p.lon()).abs() < 1e-8, "{p} -> {back}");
            assert!((back.lat() - p.lat()).abs() < 1e-8, "{p} -> {back}");
        }
    }

    #[test]
    fn planar_distances_match_geodesic_ones() {
        // Oracle: Karney's geodesic on the WGS-84 ellipsoid (geographiclib-rs via geo).
        let proj = zhifu();
        let pairs = [
            ((121.3786, 37.5391), (121.3810, 37.5402)),
            ((121.28, 37.42), (121.55, 37.63)),
            ((121.30, 37.60), (121.31, 37.45)),
            ((121.45, 37.58), (121.52, 37.58)),
        ];
        for ((lon1, lat1), (lon2, lat2)) in pairs {
            let (x1, y1) = proj.project(LonLat::new(lon1, lat1).unwrap());
            let (x2, y2) = proj.project(LonLat::new(lon2, lat2).unwrap());
            let planar = (x2 - x1).hypot(y2 - y1);
            let geodesic = Geodesic.distance(Point::new(lon1, lat1), Point::new(lon2, lat2));
            let relative = (planar - geodesic).abs() / geodesic;
            assert!(relative < 1e-5, "planar {planar} geodesic {geodesic}");
        }
    }
}
