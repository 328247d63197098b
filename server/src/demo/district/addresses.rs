//! Street addresses on the named roads of the walking network: a point takes the
//! nearest named road, and a number from its position along the road (one number per
//! 15 m of road, measured along the road's longer bounding-box axis; odd numbers on the
//! left of the line's direction, even on the right). An address already given moves to
//! the next free number on the same side.

use std::collections::{BTreeMap, BTreeSet};

use geo::Coord;
use rstar::RTree;
use rstar::primitives::{GeomWithData, Line as Segment};

use super::inputs::NetLine;

const METRES_PER_NUMBER: f64 = 15.0;

struct Axis {
    origin: Coord<f64>,
    unit: Coord<f64>,
}

pub struct Addresses {
    names: Vec<String>,
    axes: Vec<Axis>,
    tree: RTree<GeomWithData<Segment<[f64; 2]>, usize>>,
    used: BTreeSet<(usize, u32)>,
}

impl Addresses {
    pub fn new(network: &[NetLine]) -> Self {
        let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
        let mut boxes: Vec<(Coord<f64>, Coord<f64>)> = Vec::new();
        let mut segments = Vec::new();
        for line in network {
            let Some(name) = line.name.as_deref() else {
                continue;
            };
            let next = ids.len();
            let id = *ids.entry(name).or_insert(next);
            if id == boxes.len() {
                boxes.push((line.coords[0], line.coords[0]));
            }
            for c in &line.coords {
                let b = &mut boxes[id];
                b.0 = Coord {
                    x: b.0.x.min(c.x),
                    y: b.0.y.min(c.y),
                };
                b.1 = Coord {
                    x: b.1.x.max(c.x),
                    y: b.1.y.max(c.y),
                };
            }
            for w in line.coords.windows(2) {
                segments.push(GeomWithData::new(
                    Segment::new([w[0].x, w[0].y], [w[1].x, w[1].y]),
                    id,
                ));
            }
        }
        let mut names = vec![String::new(); ids.len()];
        for (name, id) in ids {
            names[id] = name.to_owned();
        }
        let axes = boxes
            .iter()
            .map(|(lo, hi)| {
                let unit = if hi.x - lo.x >= hi.y - lo.y {
                    Coord { x: 1.0, y: 0.0 }
                } else {
                    Coord { x: 0.0, y: 1.0 }
                };
                Axis { origin: *lo, unit }
            })
            .collect();
        Self {
            names,
            axes,
            tree: RTree::bulk_load(segments),
            used: BTreeSet::new(),
        }
    }

    /// The road and a free house number for a point, e.g. ("胜利路", 15).
    pub fn number(&mut self, p: Coord<f64>) -> Option<(String, u32)> {
        let nearest = self.tree.nearest_neighbor(&[p.x, p.y])?;
        let road = nearest.data;
        let [ax, ay] = nearest.geom().from;
        let [bx, by] = nearest.geom().to;
        let axis = &self.axes[road];
        // Numbers grow along the axis; the side is taken facing that way.
        let forward = (bx - ax) * axis.unit.x + (by - ay) * axis.unit.y >= 0.0;
        let cross = (bx - ax) * (p.y - ay) - (by - ay) * (p.x - ax);
        let left = (cross > 0.0) == forward;
        let along = (p.x - axis.origin.x) * axis.unit.x + (p.y - axis.origin.y) * axis.unit.y;
        let mut number = 2 * (along.max(0.0) / (2.0 * METRES_PER_NUMBER)) as u32 + 1;
        if !left {
            number += 1;
        }
        while !self.used.insert((road, number)) {
            number += 2;
        }
        Some((self.names[road].clone(), number))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_grow_along_the_road_odd_on_one_side_and_never_repeat() {
        let road = NetLine {
            coords: vec![Coord { x: 0.0, y: 0.0 }, Coord { x: 300.0, y: 0.0 }],
            highway: "residential".to_owned(),
            private: false,
            bridge: false,
            name: Some("胜利路".to_owned()),
        };
        let mut a = Addresses::new(&[road]);
        let at = |x: f64, y: f64| Coord { x, y };
        assert_eq!(a.number(at(10.0, 20.0)), Some(("胜利路".to_owned(), 1)));
        assert_eq!(a.number(at(10.0, -20.0)), Some(("胜利路".to_owned(), 2)));
        assert_eq!(a.number(at(12.0, 20.0)), Some(("胜利路".to_owned(), 3)));
        assert_eq!(a.number(at(250.0, 20.0)), Some(("胜利路".to_owned(), 17)));
    }
}
