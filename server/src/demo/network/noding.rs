//! Making the lines one planar graph. The street lattice is planar by construction;
//! only the straight connectors from bus stops to their junctions can cross it, and
//! every such crossing becomes a node on both lines, computed once so both carry the
//! very same coordinates. Bridges cross without a node.

use geo::Coord;
use rstar::RTree;
use rstar::primitives::{GeomWithData, Line as RLine};

use super::Line;

type SegmentTree = RTree<GeomWithData<RLine<[f64; 2]>, (usize, usize)>>;

fn segment_tree(lines: &[Line], include: impl Fn(&Line) -> bool) -> SegmentTree {
    RTree::bulk_load(
        lines
            .iter()
            .enumerate()
            .filter(|(_, l)| include(l))
            .flat_map(|(i, l)| {
                l.coords.windows(2).enumerate().map(move |(k, w)| {
                    GeomWithData::new(RLine::new([w[0].x, w[0].y], [w[1].x, w[1].y]), (i, k))
                })
            })
            .collect(),
    )
}

/// Where two segments cross properly (strictly inside both): (t on the first, u on
/// the second, the point).
fn crossing(
    p0: Coord<f64>,
    p1: Coord<f64>,
    q0: Coord<f64>,
    q1: Coord<f64>,
) -> Option<(f64, f64, Coord<f64>)> {
    let r = Coord {
        x: p1.x - p0.x,
        y: p1.y - p0.y,
    };
    let s = Coord {
        x: q1.x - q0.x,
        y: q1.y - q0.y,
    };
    let denom = r.x * s.y - r.y * s.x;
    if denom.abs() < 1e-9 {
        return None;
    }
    let qp = Coord {
        x: q0.x - p0.x,
        y: q0.y - p0.y,
    };
    let t = (qp.x * s.y - qp.y * s.x) / denom;
    let u = (qp.x * r.y - qp.y * r.x) / denom;
    let inside = |v: f64| v > 1e-9 && v < 1.0 - 1e-9;
    (inside(t) && inside(u)).then_some((
        t,
        u,
        Coord {
            x: p0.x + t * r.x,
            y: p0.y + t * r.y,
        },
    ))
}

/// Splits of one line: (segment index, position along it, point).
type Splits = Vec<(usize, f64, Coord<f64>)>;

/// All lines, cut at every crossing with an arterial.
pub fn node(local: Vec<Line>, arterials: Vec<Line>) -> Vec<Line> {
    let local_tree = segment_tree(&local, |_| true);
    let mut local_splits: Vec<Splits> = vec![Vec::new(); local.len()];
    let mut arterial_splits: Vec<Splits> = vec![Vec::new(); arterials.len()];
    for (i, a) in arterials.iter().enumerate() {
        if a.attrs.bridge {
            continue;
        }
        let (p0, p1) = (a.coords[0], a.coords[1]);
        let envelope = rstar::AABB::from_corners(
            [p0.x.min(p1.x), p0.y.min(p1.y)],
            [p0.x.max(p1.x), p0.y.max(p1.y)],
        );
        let mut hits: Vec<(usize, usize)> = local_tree
            .locate_in_envelope_intersecting(&envelope)
            .map(|h| h.data)
            .collect();
        hits.sort_unstable();
        for (line, k) in hits {
            let c = &local[line].coords;
            if let Some((t, u, point)) = crossing(p0, p1, c[k], c[k + 1]) {
                arterial_splits[i].push((0, t, point));
                local_splits[line].push((k, u, point));
            }
        }
        for (j, b) in arterials.iter().enumerate().skip(i + 1) {
            if b.attrs.bridge {
                continue;
            }
            if let Some((t, u, point)) = crossing(p0, p1, b.coords[0], b.coords[1]) {
                arterial_splits[i].push((0, t, point));
                arterial_splits[j].push((0, u, point));
            }
        }
    }
    let mut out = Vec::new();
    for (line, splits) in local
        .into_iter()
        .zip(local_splits)
        .chain(arterials.into_iter().zip(arterial_splits))
    {
        cut(line, splits, &mut out);
    }
    out
}

fn cut(line: Line, mut splits: Splits, out: &mut Vec<Line>) {
    if splits.is_empty() {
        out.push(line);
        return;
    }
    splits.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut piece = vec![line.coords[0]];
    let mut next = splits.iter().peekable();
    for (k, w) in line.coords.windows(2).enumerate() {
        while let Some(&(_, _, point)) = next.next_if(|s| s.0 == k) {
            piece.push(point);
            out.push(Line {
                coords: std::mem::replace(&mut piece, vec![point]),
                attrs: line.attrs,
            });
        }
        piece.push(w[1]);
    }
    out.push(Line {
        coords: piece,
        attrs: line.attrs,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::network::Attrs;

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    fn line(coords: &[(f64, f64)]) -> Line {
        Line {
            coords: coords.iter().map(|&(x, y)| c(x, y)).collect(),
            attrs: Attrs::road("residential"),
        }
    }

    #[test]
    fn crossing_is_proper_only() {
        let (t, u, p) = crossing(c(0.0, 0.0), c(10.0, 0.0), c(5.0, -5.0), c(5.0, 5.0)).unwrap();
        assert_eq!((t, u, p), (0.5, 0.5, c(5.0, 0.0)));
        // Touching at an end, parallel, or apart: no crossing.
        assert!(crossing(c(0.0, 0.0), c(10.0, 0.0), c(10.0, 0.0), c(10.0, 5.0)).is_none());
        assert!(crossing(c(0.0, 0.0), c(10.0, 0.0), c(0.0, 1.0), c(10.0, 1.0)).is_none());
        assert!(crossing(c(0.0, 0.0), c(1.0, 0.0), c(5.0, -5.0), c(5.0, 5.0)).is_none());
    }

    #[test]
    fn crossings_become_shared_nodes_on_both_lines() {
        let street = line(&[(0.0, 0.0), (10.0, 0.0), (20.0, 0.0)]);
        let connector = line(&[(15.0, -5.0), (15.0, 5.0)]);
        let pieces = node(vec![street], vec![connector]);
        assert_eq!(pieces.len(), 4);
        let meeting = c(15.0, 0.0);
        let ends: Vec<Coord<f64>> = pieces
            .iter()
            .flat_map(|p| [p.coords[0], p.coords[p.coords.len() - 1]])
            .collect();
        assert_eq!(ends.iter().filter(|&&e| e == meeting).count(), 4);
        // The street's shape point survives inside its first piece.
        assert!(
            pieces
                .iter()
                .any(|p| p.coords == vec![c(0.0, 0.0), c(10.0, 0.0), meeting])
        );
    }
}
