//! Where an area's name goes: one point inside its largest part.

use geo::{Area, InteriorPoint, MultiPolygon, Point};

/// A point inside the largest part of `area`; `None` when it has no part.
pub fn label_point(area: &MultiPolygon<f64>) -> Option<Point<f64>> {
    area.0
        .iter()
        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))
        .and_then(InteriorPoint::interior_point)
}

#[cfg(test)]
mod tests {
    use geo::{Contains, polygon};

    use super::*;

    #[test]
    fn the_point_is_inside_the_largest_part() {
        let small =
            polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
        // An L shape whose centroid falls outside it.
        let large = polygon![(x: 10.0, y: 0.0), (x: 20.0, y: 0.0), (x: 20.0, y: 2.0),
                             (x: 12.0, y: 2.0), (x: 12.0, y: 10.0), (x: 10.0, y: 10.0)];
        let p = label_point(&MultiPolygon(vec![small, large.clone()])).unwrap();
        assert!(large.contains(&p), "{p:?}");
        assert_eq!(label_point(&MultiPolygon(vec![])), None);
    }
}
