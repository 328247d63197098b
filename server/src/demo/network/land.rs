//! A raster of the land for fast, exact-where-it-matters tests: 10 m cells marked
//! inside, outside, or on the coast. A line is inside the land if all its samples fall
//! in inside cells; near the coast the polygon itself decides.

use geo::{BoundingRect, Contains, Coord, LineString, Polygon};

const CELL_M: f64 = 10.0;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Cell {
    Outside,
    Inside,
    Coast,
}

pub struct LandMask {
    polygon: Polygon<f64>,
    origin: Coord<f64>,
    nx: usize,
    ny: usize,
    cells: Vec<Cell>,
    /// Summed-area table of non-outside cells, (nx + 1) × (ny + 1).
    sums: Vec<u32>,
}

impl LandMask {
    pub fn new(polygon: Polygon<f64>) -> Self {
        let rect = polygon
            .bounding_rect()
            .unwrap_or_else(|| geo::Rect::new((0.0, 0.0), (1.0, 1.0)));
        let origin = Coord {
            x: rect.min().x - CELL_M,
            y: rect.min().y - CELL_M,
        };
        let nx = (rect.width() / CELL_M) as usize + 3;
        let ny = (rect.height() / CELL_M) as usize + 3;
        let mut cells = vec![Cell::Outside; nx * ny];
        let rings: Vec<&LineString<f64>> = std::iter::once(polygon.exterior())
            .chain(polygon.interiors())
            .collect();
        // Scanline fill at cell centres (even-odd over all rings).
        for j in 0..ny {
            let y = origin.y + (j as f64 + 0.5) * CELL_M;
            let mut xs: Vec<f64> = Vec::new();
            for ring in &rings {
                for w in ring.0.windows(2) {
                    let (a, b) = (w[0], w[1]);
                    if (a.y <= y) != (b.y <= y) {
                        xs.push(a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x));
                    }
                }
            }
            xs.sort_by(f64::total_cmp);
            for span in xs.chunks(2) {
                if let [x0, x1] = span {
                    let i0 = ((x0 - origin.x) / CELL_M - 0.5).ceil().max(0.0) as usize;
                    let i1 = ((x1 - origin.x) / CELL_M - 0.5)
                        .floor()
                        .min(nx as f64 - 1.0) as usize;
                    for i in i0..=i1 {
                        cells[j * nx + i] = Cell::Inside;
                    }
                }
            }
        }
        // Cells an edge passes through, and their neighbours, are coast.
        for ring in &rings {
            for w in ring.0.windows(2) {
                let steps = (super::distance(w[0], w[1]) / (CELL_M / 4.0))
                    .ceil()
                    .max(1.0) as usize;
                for k in 0..=steps {
                    let t = k as f64 / steps as f64;
                    let x = w[0].x + t * (w[1].x - w[0].x);
                    let y = w[0].y + t * (w[1].y - w[0].y);
                    let ci = ((x - origin.x) / CELL_M) as i64;
                    let cj = ((y - origin.y) / CELL_M) as i64;
                    for j in cj - 1..=cj + 1 {
                        for i in ci - 1..=ci + 1 {
                            if i >= 0 && j >= 0 && (i as usize) < nx && (j as usize) < ny {
                                cells[j as usize * nx + i as usize] = Cell::Coast;
                            }
                        }
                    }
                }
            }
        }
        let mut sums = vec![0u32; (nx + 1) * (ny + 1)];
        for j in 0..ny {
            for i in 0..nx {
                let v = u32::from(cells[j * nx + i] != Cell::Outside);
                sums[(j + 1) * (nx + 1) + i + 1] =
                    v + sums[j * (nx + 1) + i + 1] + sums[(j + 1) * (nx + 1) + i]
                        - sums[j * (nx + 1) + i];
            }
        }
        Self {
            polygon,
            origin,
            nx,
            ny,
            cells,
            sums,
        }
    }

    pub fn polygon(&self) -> &Polygon<f64> {
        &self.polygon
    }

    fn cell(&self, p: Coord<f64>) -> Cell {
        let i = ((p.x - self.origin.x) / CELL_M).floor();
        let j = ((p.y - self.origin.y) / CELL_M).floor();
        if i < 0.0 || j < 0.0 || i as usize >= self.nx || j as usize >= self.ny {
            return Cell::Outside;
        }
        self.cells[j as usize * self.nx + i as usize]
    }

    /// Whether a point is on land.
    pub fn contains_point(&self, p: Coord<f64>) -> bool {
        match self.cell(p) {
            Cell::Inside => true,
            Cell::Outside => false,
            Cell::Coast => self.polygon.contains(&geo::Point::from(p)),
        }
    }

    /// Whether a polyline lies wholly on land.
    pub fn contains_line(&self, coords: &[Coord<f64>]) -> bool {
        let mut near_coast = false;
        for w in coords.windows(2) {
            let steps = (super::distance(w[0], w[1]) / (CELL_M / 2.0))
                .ceil()
                .max(1.0) as usize;
            for k in 0..=steps {
                let t = k as f64 / steps as f64;
                let p = Coord {
                    x: w[0].x + t * (w[1].x - w[0].x),
                    y: w[0].y + t * (w[1].y - w[0].y),
                };
                match self.cell(p) {
                    Cell::Outside => return false,
                    Cell::Coast => near_coast = true,
                    Cell::Inside => {}
                }
            }
        }
        !near_coast || self.polygon.contains(&LineString::from(coords.to_vec()))
    }

    /// Whether any land may lie in the axis-aligned box.
    pub fn any_in_box(&self, min: Coord<f64>, max: Coord<f64>) -> bool {
        let clamp = |v: f64, n: usize| v.clamp(0.0, n as f64) as usize;
        let i0 = clamp(((min.x - self.origin.x) / CELL_M).floor(), self.nx);
        let j0 = clamp(((min.y - self.origin.y) / CELL_M).floor(), self.ny);
        let i1 = clamp(((max.x - self.origin.x) / CELL_M).ceil(), self.nx);
        let j1 = clamp(((max.y - self.origin.y) / CELL_M).ceil(), self.ny);
        if i0 >= i1 || j0 >= j1 {
            return false;
        }
        let s = |i: usize, j: usize| self.sums[j * (self.nx + 1) + i];
        s(i1, j1) + s(i0, j0) > s(i0, j1) + s(i1, j0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Point;

    #[test]
    fn agrees_with_the_polygon_everywhere() {
        // A comb-shaped coast with a hole: every answer is checked against geo.
        let polygon = Polygon::new(
            LineString::from(vec![
                (0.0, 0.0),
                (300.0, 0.0),
                (300.0, 200.0),
                (220.0, 200.0),
                (220.0, 60.0),
                (180.0, 60.0),
                (180.0, 200.0),
                (0.0, 200.0),
                (0.0, 0.0),
            ]),
            vec![LineString::from(vec![
                (40.0, 40.0),
                (90.0, 40.0),
                (90.0, 90.0),
                (40.0, 90.0),
                (40.0, 40.0),
            ])],
        );
        let mask = LandMask::new(polygon.clone());
        let mut x = 1.0_f64;
        for i in 0..4000 {
            x = (x * 7919.0 + 0.37) % 331.0;
            let y = (i as f64 * 13.7) % 231.0 - 15.0;
            let p = Coord { x: x - 15.0, y };
            assert_eq!(
                mask.contains_point(p),
                polygon.contains(&Point::from(p)),
                "{p:?}"
            );
            let q = Coord {
                x: p.x + 37.0,
                y: p.y + 11.0,
            };
            assert_eq!(
                mask.contains_line(&[p, q]),
                polygon.contains(&LineString::from(vec![p, q])),
                "{p:?} {q:?}"
            );
        }
        assert!(mask.any_in_box(Coord { x: 250.0, y: 100.0 }, Coord { x: 260.0, y: 110.0 }));
        assert!(!mask.any_in_box(Coord { x: 400.0, y: 400.0 }, Coord { x: 500.0, y: 500.0 }));
    }
}
