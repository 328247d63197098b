//! OGC-valid polygons from boolean-operation output. Output rings may touch
//! themselves: at a shared vertex (two blocks of one area meeting at a corner) or
//! where a vertex lies on another edge, or within a lattice step of it (a cut point
//! snapped to the 1/1024 m lattice), which rounding to 7 decimals would turn into a
//! crossing. Rings are first noded (such a vertex is inserted into the edge), then
//! split at repeated vertices into simple loops; counter-clockwise
//! loops are shells, clockwise ones holes, and each hole goes to the smallest shell
//! around it.

use geo::{Area, Contains, Coord, LineString, MultiPolygon, Point, Polygon};
use rstar::{AABB, RTree};

use crate::demo::network::distance;

/// How far off an edge a vertex may lie and still be taken as on it: two lattice steps.
const ON_EDGE_M: f64 = 2.0 / 1024.0;

/// Inserts into every edge the vertices lying on it, strictly between its ends.
fn node(ring: &LineString<f64>, vertices: &RTree<[f64; 2]>) -> LineString<f64> {
    let mut out: Vec<Coord<f64>> = Vec::with_capacity(ring.0.len());
    for w in ring.0.windows(2) {
        let (a, b) = (w[0], w[1]);
        out.push(a);
        let envelope =
            AABB::from_corners([a.x.min(b.x), a.y.min(b.y)], [a.x.max(b.x), a.y.max(b.y)]);
        let mut inside: Vec<(f64, Coord<f64>)> = vertices
            .locate_in_envelope(&envelope)
            .map(|&[x, y]| Coord { x, y })
            .filter(|&v| {
                let len = distance(a, b);
                let cross = (b.x - a.x) * (v.y - a.y) - (b.y - a.y) * (v.x - a.x);
                v != a && v != b && len > 0.0 && (cross / len).abs() <= ON_EDGE_M
            })
            .map(|v| ((v.x - a.x) * (b.x - a.x) + (v.y - a.y) * (b.y - a.y), v))
            .collect();
        inside.sort_by(|p, q| p.0.total_cmp(&q.0));
        out.extend(inside.into_iter().map(|(_, v)| v));
    }
    out.extend(ring.0.last());
    LineString::new(out)
}

/// Splits a closed ring at repeated vertices into simple closed loops.
fn split(ring: &LineString<f64>) -> Vec<LineString<f64>> {
    let coords = &ring.0;
    if coords.len() < 4 {
        return Vec::new();
    }
    let open = &coords[..coords.len() - 1];
    let mut loops = Vec::new();
    let mut stack: Vec<Coord<f64>> = Vec::new();
    for &c in open {
        if let Some(at) = stack.iter().position(|&s| s == c) {
            let mut lobe: Vec<Coord<f64>> = stack.split_off(at);
            lobe.push(c);
            if lobe.len() >= 4 {
                loops.push(LineString::new(lobe));
            }
        }
        stack.push(c);
    }
    if stack.len() >= 3 {
        stack.push(stack[0]);
        loops.push(LineString::new(stack));
    }
    loops
}

fn signed_area(ring: &LineString<f64>) -> f64 {
    Polygon::new(ring.clone(), Vec::new()).signed_area()
}

/// A vertex of `ring` that is not a vertex of `other`, as a point.
fn own_vertex(ring: &LineString<f64>, other: &LineString<f64>) -> Option<Point<f64>> {
    ring.0
        .iter()
        .find(|c| !other.0.contains(c))
        .map(|&c| Point::from(c))
}

/// `polygon` with the `vertices` lying on its edges inserted into them.
pub fn node_polygon(polygon: &Polygon<f64>, vertices: &RTree<[f64; 2]>) -> Polygon<f64> {
    Polygon::new(
        node(polygon.exterior(), vertices),
        polygon
            .interiors()
            .iter()
            .map(|r| node(r, vertices))
            .collect(),
    )
}

/// The same area with every ring simple.
pub fn simple_rings(area: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    let vertices: RTree<[f64; 2]> = RTree::bulk_load(
        area.iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .flat_map(|r| r.0.iter().map(|c| [c.x, c.y]))
            .collect(),
    );
    let mut shells: Vec<LineString<f64>> = Vec::new();
    let mut holes: Vec<LineString<f64>> = Vec::new();
    for polygon in area {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            for lobe in split(&node(ring, &vertices)) {
                let a = signed_area(&lobe);
                if a > 0.0 {
                    shells.push(lobe);
                } else if a < 0.0 {
                    holes.push(lobe);
                }
            }
        }
    }
    let mut polygons: Vec<Polygon<f64>> = shells
        .iter()
        .map(|s| Polygon::new(s.clone(), Vec::new()))
        .collect();
    for hole in holes {
        let owner = (0..shells.len())
            .filter(|&i| own_vertex(&hole, &shells[i]).is_some_and(|p| polygons[i].contains(&p)))
            .min_by(|&a, &b| {
                polygons[a]
                    .unsigned_area()
                    .total_cmp(&polygons[b].unsigned_area())
            });
        if let Some(i) = owner {
            polygons[i].interiors_push(hole);
        }
    }
    MultiPolygon::new(polygons)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Validation;

    fn ring(points: &[(f64, f64)]) -> LineString<f64> {
        LineString::new(points.iter().map(|&(x, y)| Coord { x, y }).collect())
    }

    #[test]
    fn two_squares_touching_at_a_corner_become_two_polygons() {
        // One CCW ring visiting (1, 1) twice.
        let pinched = ring(&[
            (0.0, 0.0),
            (1.0, 0.0),
            (1.0, 1.0),
            (2.0, 1.0),
            (2.0, 2.0),
            (1.0, 2.0),
            (1.0, 1.0),
            (0.0, 1.0),
            (0.0, 0.0),
        ]);
        let area = MultiPolygon::new(vec![Polygon::new(pinched, Vec::new())]);
        assert!(!area.is_valid());
        let fixed = simple_rings(&area);
        assert!(fixed.is_valid());
        assert_eq!(fixed.0.len(), 2);
        assert!((fixed.unsigned_area() - 2.0).abs() < 1e-12);
    }

    #[test]
    fn a_vertex_touching_an_edge_of_its_own_ring_splits_it() {
        // A spike: the ring runs to (3, 1) and back along a line through (2, 2).
        let touching = ring(&[
            (0.0, 0.0),
            (4.0, 0.0),
            (4.0, 2.0),
            (2.0, 2.0),
            (3.0, 1.0),
            (1.0, 3.0),
            (0.0, 3.0),
            (0.0, 0.0),
        ]);
        let area = MultiPolygon::new(vec![Polygon::new(touching, Vec::new())]);
        assert!(!area.is_valid());
        let before = area.unsigned_area();
        let fixed = simple_rings(&area);
        assert!(fixed.is_valid(), "{fixed:?}");
        assert!((fixed.unsigned_area() - before).abs() < 1e-12);
    }

    #[test]
    fn a_clockwise_lobe_touching_the_shell_becomes_a_hole() {
        // The shell dips into the triangle (2,0)-(1,1)-(3,1), clockwise, and back.
        let inverted = ring(&[
            (0.0, 0.0),
            (2.0, 0.0),
            (1.0, 1.0),
            (3.0, 1.0),
            (2.0, 0.0),
            (4.0, 0.0),
            (4.0, 4.0),
            (0.0, 4.0),
            (0.0, 0.0),
        ]);
        let area = MultiPolygon::new(vec![Polygon::new(inverted, Vec::new())]);
        let fixed = simple_rings(&area);
        assert!(fixed.is_valid());
        assert_eq!(fixed.0.len(), 1);
        assert_eq!(fixed.0[0].interiors().len(), 1);
        assert!((fixed.unsigned_area() - 15.0).abs() < 1e-12);
    }
}
