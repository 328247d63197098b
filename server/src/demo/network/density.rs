//! Bus-stop density over the land, as a smoothed field, and the street spacing it
//! calls for: where stops are dense, blocks are small.

use geo::{BoundingRect, Coord};

use super::land::LandMask;

/// Kernel width: about a 10-minute walk, the scale of a neighbourhood.
const BANDWIDTH_M: f64 = 450.0;
const GRID_M: f64 = 100.0;

/// Stops per km², smoothed with a Gaussian kernel, on a 100 m grid.
pub struct StopDensity {
    origin: Coord<f64>,
    nx: usize,
    ny: usize,
    values: Vec<f64>,
    /// Density quantiles over land cells, ascending: 25 %, 50 %, 75 %, 90 %.
    pub quantiles: [f64; 4],
}

impl StopDensity {
    pub fn new(stops: &[Coord<f64>], land: &LandMask) -> Self {
        let rect = land
            .polygon()
            .bounding_rect()
            .unwrap_or_else(|| geo::Rect::new((0.0, 0.0), (1.0, 1.0)));
        let origin = rect.min();
        let nx = (rect.width() / GRID_M).ceil() as usize + 1;
        let ny = (rect.height() / GRID_M).ceil() as usize + 1;
        let mut values = vec![0.0; nx * ny];
        let reach = (3.0 * BANDWIDTH_M / GRID_M).ceil() as i64;
        let norm = 1e6 / (2.0 * std::f64::consts::PI * BANDWIDTH_M * BANDWIDTH_M);
        for s in stops {
            let ci = ((s.x - origin.x) / GRID_M).round() as i64;
            let cj = ((s.y - origin.y) / GRID_M).round() as i64;
            for j in (cj - reach).max(0)..=(cj + reach).min(ny as i64 - 1) {
                for i in (ci - reach).max(0)..=(ci + reach).min(nx as i64 - 1) {
                    let dx = origin.x + i as f64 * GRID_M - s.x;
                    let dy = origin.y + j as f64 * GRID_M - s.y;
                    let w = libm::exp(-(dx * dx + dy * dy) / (2.0 * BANDWIDTH_M * BANDWIDTH_M));
                    values[j as usize * nx + i as usize] += norm * w;
                }
            }
        }
        let mut on_land: Vec<f64> = (0..ny)
            .flat_map(|j| (0..nx).map(move |i| (i, j)))
            .filter(|&(i, j)| {
                land.contains_point(Coord {
                    x: origin.x + i as f64 * GRID_M,
                    y: origin.y + j as f64 * GRID_M,
                })
            })
            .map(|(i, j)| values[j * nx + i])
            .collect();
        on_land.sort_by(f64::total_cmp);
        let q = |f: f64| {
            on_land
                .get((f * on_land.len() as f64) as usize)
                .copied()
                .unwrap_or(0.0)
        };
        Self {
            origin,
            nx,
            ny,
            values,
            quantiles: [q(0.25), q(0.5), q(0.75), q(0.9)],
        }
    }

    /// Density at a point, stops per km² (nearest grid value).
    pub fn at(&self, p: Coord<f64>) -> f64 {
        let i = ((p.x - self.origin.x) / GRID_M).round();
        let j = ((p.y - self.origin.y) / GRID_M).round();
        if i < 0.0 || j < 0.0 || i as usize >= self.nx || j as usize >= self.ny {
            return 0.0;
        }
        self.values[j as usize * self.nx + i as usize]
    }
}
