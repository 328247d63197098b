//! `AreaIndex`: polygons in an R-tree of their envelopes, answering "which polygon
//! holds this point" and "which is nearest within a distance".

use geo::{Contains, Distance, Euclidean, MultiPolygon, Point};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

type Envelope = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Polygons (local metres) indexed by position in their layer.
#[derive(Debug)]
pub struct AreaIndex {
    areas: Vec<MultiPolygon<f64>>,
    tree: RTree<Envelope>,
}

impl AreaIndex {
    pub fn new(areas: Vec<MultiPolygon<f64>>) -> Self {
        use geo::BoundingRect;
        let envelopes = areas
            .iter()
            .enumerate()
            .filter_map(|(i, a)| {
                let r = a.bounding_rect()?;
                Some(Envelope::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    i,
                ))
            })
            .collect();
        Self {
            areas,
            tree: RTree::bulk_load(envelopes),
        }
    }

    pub fn len(&self) -> usize {
        self.areas.len()
    }

    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
    }

    /// The lowest-numbered area containing `p` (boundary included), so the answer
    /// does not depend on the tree's layout.
    pub fn containing(&self, p: Point<f64>) -> Option<usize> {
        self.tree
            .locate_all_at_point(&[p.x(), p.y()])
            .map(|e| e.data)
            .filter(|&i| {
                self.areas[i].contains(&p) || Euclidean.distance(&p, &self.areas[i]) == 0.0
            })
            .min()
    }

    /// The nearest area within `max_m` metres (0 when inside), ties to the lower index.
    pub fn nearest_within(&self, p: Point<f64>, max_m: f64) -> Option<(usize, f64)> {
        let search = AABB::from_corners(
            [p.x() - max_m, p.y() - max_m],
            [p.x() + max_m, p.y() + max_m],
        );
        self.tree
            .locate_in_envelope_intersecting(&search)
            .map(|e| {
                let i = e.data;
                let d = if self.areas[i].contains(&p) {
                    0.0
                } else {
                    Euclidean.distance(&p, &self.areas[i])
                };
                (i, d)
            })
            .filter(|&(_, d)| d <= max_m)
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Rect, coord};

    fn square(x: f64, y: f64, size: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![
            Rect::new(coord! { x: x, y: y }, coord! { x: x + size, y: y + size }).to_polygon(),
        ])
    }

    #[test]
    fn matches_brute_force_on_a_lattice() {
        let areas: Vec<_> = (0..25)
            .map(|i| square((i % 5) as f64 * 12.0, (i / 5) as f64 * 12.0, 10.0))
            .collect();
        let index = AreaIndex::new(areas.clone());
        for qx in (-5..65).step_by(3) {
            for qy in (-5..65).step_by(4) {
                let p = Point::new(qx as f64, qy as f64);
                let brute_inside =
                    (0..areas.len()).find(|&i| Euclidean.distance(&p, &areas[i]) == 0.0);
                assert_eq!(index.containing(p), brute_inside, "{p:?}");
                let brute_near = (0..areas.len())
                    .map(|i| (i, Euclidean.distance(&p, &areas[i])))
                    .filter(|&(_, d)| d <= 3.0)
                    .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
                assert_eq!(index.nearest_within(p, 3.0), brute_near, "{p:?}");
            }
        }
    }
}
