//! Clipping to a tile's buffered box, in tile units: polygons ring by ring
//! (Sutherland–Hodgman against the box's four sides), lines segment by segment
//! (Liang–Barsky), points by containment.

/// A box `[min_x, min_y, max_x, max_y]`.
pub type Bounds = [f64; 4];

/// A ring clipped to `b`, open (no repeated first point); empty when nothing is in.
pub fn ring(points: &[[f64; 2]], b: Bounds) -> Vec<[f64; 2]> {
    let mut out: Vec<[f64; 2]> = points.to_vec();
    if out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    // (axis, limit, keep when the coordinate is at least the limit)
    for (axis, limit, above) in [
        (0, b[0], true),
        (0, b[2], false),
        (1, b[1], true),
        (1, b[3], false),
    ] {
        if out.is_empty() {
            break;
        }
        let inside = |p: &[f64; 2]| {
            if above {
                p[axis] >= limit
            } else {
                p[axis] <= limit
            }
        };
        let cross = |p: [f64; 2], q: [f64; 2]| {
            let t = (limit - p[axis]) / (q[axis] - p[axis]);
            let mut r = [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
            r[axis] = limit;
            r
        };
        let input = std::mem::take(&mut out);
        let mut prev = input[input.len() - 1];
        for &p in &input {
            match (inside(&prev), inside(&p)) {
                (true, true) => out.push(p),
                (true, false) => out.push(cross(prev, p)),
                (false, true) => {
                    out.push(cross(prev, p));
                    out.push(p);
                }
                (false, false) => {}
            }
            prev = p;
        }
    }
    out
}

/// The pieces of a line inside `b`.
pub fn line(points: &[[f64; 2]], b: Bounds) -> Vec<Vec<[f64; 2]>> {
    let mut pieces: Vec<Vec<[f64; 2]>> = Vec::new();
    let mut current: Vec<[f64; 2]> = Vec::new();
    for w in points.windows(2) {
        match segment(w[0], w[1], b) {
            Some((p, q, cut_end)) => {
                if current.last() != Some(&p) {
                    if current.len() > 1 {
                        pieces.push(std::mem::take(&mut current));
                    }
                    current.clear();
                    current.push(p);
                }
                current.push(q);
                if cut_end && current.len() > 1 {
                    pieces.push(std::mem::take(&mut current));
                }
            }
            None => {
                if current.len() > 1 {
                    pieces.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() > 1 {
        pieces.push(current);
    }
    pieces
}

/// Liang–Barsky: the part of segment p→q inside `b`, and whether q was cut off.
fn segment(p: [f64; 2], q: [f64; 2], b: Bounds) -> Option<([f64; 2], [f64; 2], bool)> {
    let d = [q[0] - p[0], q[1] - p[1]];
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (num, den) in [
        (p[0] - b[0], -d[0]),
        (b[2] - p[0], d[0]),
        (p[1] - b[1], -d[1]),
        (b[3] - p[1], d[1]),
    ] {
        if den == 0.0 {
            if num < 0.0 {
                return None;
            }
        } else {
            let t = num / den;
            if den < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| [p[0] + t * d[0], p[1] + t * d[1]];
    Some((at(t0), at(t1), t1 < 1.0))
}

pub fn contains(b: Bounds, p: [f64; 2]) -> bool {
    p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3]
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOX: Bounds = [0.0, 0.0, 10.0, 10.0];

    #[test]
    fn a_ring_across_a_corner_is_cut_to_the_box() {
        let cut = ring(
            &[
                [5.0, 5.0],
                [15.0, 5.0],
                [15.0, 15.0],
                [5.0, 15.0],
                [5.0, 5.0],
            ],
            BOX,
        );
        assert_eq!(
            cut,
            vec![[5.0, 10.0], [5.0, 5.0], [10.0, 5.0], [10.0, 10.0]]
        );
        assert!(ring(&[[20.0, 20.0], [30.0, 20.0], [30.0, 30.0]], BOX).is_empty());
    }

    #[test]
    fn a_line_leaving_and_coming_back_is_two_pieces() {
        let pieces = line(&[[2.0, 2.0], [2.0, 20.0], [8.0, 20.0], [8.0, 2.0]], BOX);
        assert_eq!(
            pieces,
            vec![vec![[2.0, 2.0], [2.0, 10.0]], vec![[8.0, 10.0], [8.0, 2.0]]]
        );
        assert!(line(&[[-5.0, -5.0], [-1.0, -1.0]], BOX).is_empty());
    }
}
