//! Snapping points to the walking network — each edge's nearest point to a point, in
//! an R-tree of segments — and the walking distance between two snap points: origin
//! offset + network distance between them + destination offset, every part counted
//! in full, edges walked part-way from a snap point to either end. Which snap is a
//! point's access point is the engine's rule (`reach::Reach::access`).

use rstar::RTree;
use rstar::primitives::{GeomWithData, Line as RLine};

use super::dijkstra::{UNREACHED, distances};
use super::graph::{EdgeId, EdgeInfo, NodeId, WalkGraph};

/// Where a point meets one edge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    pub edge: EdgeId,
    /// Distance along the edge from its node `a` to the snap point, decimetres.
    pub along_dm: u32,
    /// Straight distance from the point to the snap point, decimetres.
    pub offset_dm: u32,
    /// The snap point, local metres.
    pub point: [f64; 2],
}

/// Where a point meets an edge, without the point itself: all a walking distance
/// needs, in 12 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SnapAt {
    pub edge: EdgeId,
    pub along_dm: u32,
    pub offset_dm: u32,
}

impl Snap {
    pub fn at(&self) -> SnapAt {
        SnapAt {
            edge: self.edge,
            along_dm: self.along_dm,
            offset_dm: self.offset_dm,
        }
    }
}

/// Segment of an edge: (edge, metres along the edge where the segment starts).
type Segment = GeomWithData<RLine<[f64; 2]>, (EdgeId, f64)>;

/// An R-tree over every segment of every edge.
pub struct Snapper {
    tree: RTree<Segment>,
}

impl std::fmt::Debug for Snapper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Snapper({} segments)", self.tree.size())
    }
}

fn dm(metres: f64) -> u32 {
    (metres * 10.0).round().clamp(0.0, f64::from(UNREACHED - 1)) as u32
}

impl Snapper {
    pub fn new(graph: &WalkGraph) -> Self {
        Self::over(graph, |_| true)
    }

    /// A snapper that sees only the edges `keep` admits.
    pub fn over(graph: &WalkGraph, keep: impl Fn(EdgeId) -> bool) -> Self {
        let mut segments = Vec::new();
        for (id, _) in graph.edges().filter(|(id, _)| keep(*id)) {
            let mut along = 0.0;
            for w in graph.geometry(id).windows(2) {
                segments.push(Segment::new(RLine::new(w[0], w[1]), (id, along)));
                along += ((w[1][0] - w[0][0]).powi(2) + (w[1][1] - w[0][1]).powi(2)).sqrt();
            }
        }
        Self {
            tree: RTree::bulk_load(segments),
        }
    }

    /// The corners (lower left, upper right) of the box around every segment; `None`
    /// when there are none.
    pub fn extent(&self) -> Option<([f64; 2], [f64; 2])> {
        (self.tree.size() > 0).then(|| {
            let env = self.tree.root().envelope();
            (env.lower(), env.upper())
        })
    }

    /// The nearest point of each edge within `radius_m` of `p`, nearest first (ties by
    /// edge id, so answers are stable).
    pub fn candidates(&self, graph: &WalkGraph, p: [f64; 2], radius_m: f64) -> Vec<Snap> {
        let mut best: Vec<(Snap, f64)> = Vec::new();
        let limit = radius_m * radius_m;
        // The tree's own distance may round the other way at exactly the radius: it
        // only proposes, and the same distance as `Nearby::nearest_into` decides.
        for seg in self
            .tree
            .locate_within_distance(p, limit * (1.0 + 1e-9) + 1e-12)
        {
            if distance_2(seg, p) > limit {
                continue;
            }
            let (snap, offset) = snap_on(graph, seg, p);
            match best.iter_mut().find(|(s, _)| s.edge == snap.edge) {
                Some(found) if offset < found.1 => *found = (snap, offset),
                Some(_) => {}
                None => best.push((snap, offset)),
            }
        }
        best.sort_by(|x, y| x.1.total_cmp(&y.1).then(x.0.edge.cmp(&y.0.edge)));
        best.into_iter().map(|(snap, _)| snap).collect()
    }

    /// The `k` nearest edges within `radius_m` of `p`, each at its nearest point,
    /// nearest first: `candidates` cut to `k` (ties by edge id), visiting only the
    /// segments it needs.
    pub fn nearest(&self, graph: &WalkGraph, p: [f64; 2], radius_m: f64, k: usize) -> Vec<Snap> {
        let mut found: Vec<(Snap, f64)> = Vec::with_capacity(k + 1);
        for (seg, d2) in self.tree.nearest_neighbor_iter_with_distance_2(&p) {
            let kth = (found.len() >= k).then(|| found[k - 1].1);
            // Past the radius, or past the k-th edge (ties with it still come in).
            if d2 > radius_m * radius_m || kth.is_some_and(|kth| d2.sqrt() > kth) {
                break;
            }
            // Segments come nearest first, so an edge's first segment is its nearest.
            if !found.iter().any(|(s, _)| s.edge == seg.data.0) {
                found.push(snap_on(graph, seg, p));
                found.sort_by(|x, y| x.1.total_cmp(&y.1).then(x.0.edge.cmp(&y.0.edge)));
            }
        }
        found.truncate(k);
        found.into_iter().map(|(snap, _)| snap).collect()
    }
}

/// The segments near one place, to snap many points close to it without the tree:
/// sorted by their distance from the centre, so a point's search stops once the
/// rest are surely farther than its k-th nearest.
pub struct Nearby<'a> {
    centre: [f64; 2],
    /// Each segment with its distance from the centre, nearest first.
    segments: Vec<(f64, &'a Segment)>,
}

impl Snapper {
    /// Every segment within `reach_m` of `centre`.
    pub fn nearby(&self, centre: [f64; 2], reach_m: f64) -> Nearby<'_> {
        let mut segments: Vec<(f64, &Segment)> = self
            .tree
            .locate_within_distance(centre, reach_m * reach_m)
            .map(|s| (distance_2(s, centre).sqrt(), s))
            .collect();
        segments.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        Nearby { centre, segments }
    }
}

/// Most candidates [`Nearby::nearest_into`] keeps.
const MAX_K: usize = 8;

impl Nearby<'_> {
    /// As [`Snapper::candidates`] cut to `k`, for a point whose `k` nearest edges
    /// within `radius_m` are among these segments.
    pub fn nearest(&self, graph: &WalkGraph, p: [f64; 2], radius_m: f64, k: usize) -> Vec<Snap> {
        let mut out = Vec::with_capacity(k);
        self.nearest_into(graph, p, radius_m, k, &mut out);
        out
    }

    /// The edges of these segments.
    pub fn edges(&self) -> impl Iterator<Item = EdgeId> + '_ {
        self.segments.iter().map(|(_, s)| s.data.0)
    }

    /// [`Nearby::nearest`] into a buffer (cleared first), for the hot loop of
    /// isochrone lattices: only the winners become snaps.
    pub fn nearest_into(
        &self,
        graph: &WalkGraph,
        p: [f64; 2],
        radius_m: f64,
        k: usize,
        out: &mut Vec<Snap>,
    ) {
        let k = k.min(MAX_K);
        out.clear();
        if k == 0 {
            return;
        }
        // The best segment of each of the k nearest edges so far, by (distance, edge):
        // distances, not their squares, so that ties break as in `Snapper::nearest`.
        let mut best: [(f64, EdgeId, usize); MAX_K] = [(f64::INFINITY, EdgeId(u32::MAX), 0); MAX_K];
        let mut len = 0;
        let limit = radius_m * radius_m;
        let from_centre =
            ((p[0] - self.centre[0]).powi(2) + (p[1] - self.centre[1]).powi(2)).sqrt();
        for (i, &(centre_m, seg)) in self.segments.iter().enumerate() {
            // No segment from here on is nearer than centre_m − from_centre (less a
            // micrometre, so rounding never cuts off a tie).
            let bound = centre_m - from_centre - 1e-6;
            if bound > 0.0 && bound > if len == k { best[k - 1].0 } else { radius_m } {
                break;
            }
            let d2 = distance_2(seg, p);
            if d2 > limit {
                continue;
            }
            let d = d2.sqrt();
            let edge = seg.data.0;
            let key = (d, edge);
            let before =
                |a: (f64, EdgeId), b: (f64, EdgeId)| a.0 < b.0 || (a.0 == b.0 && a.1 < b.1);
            // Drop this edge's worse entry, or skip if it already has a better one.
            if let Some(j) = best[..len].iter().position(|b| b.1 == edge) {
                if !before(key, (best[j].0, best[j].1)) {
                    continue;
                }
                best.copy_within(j + 1..len, j);
                len -= 1;
            }
            if len == k && !before(key, (best[k - 1].0, best[k - 1].1)) {
                continue;
            }
            let mut at = len.min(k - 1);
            while at > 0 && before(key, (best[at - 1].0, best[at - 1].1)) {
                best[at] = best[at - 1];
                at -= 1;
            }
            best[at] = (d, edge, i);
            len = (len + 1).min(k);
        }
        out.extend(
            best[..len]
                .iter()
                .map(|&(_, _, i)| snap_on(graph, self.segments[i].1, p).0),
        );
    }
}

/// The point of a segment nearest `p`: its position, how far along the segment it
/// lies (metres) and its squared distance from `p`.
fn foot(seg: &Segment, p: [f64; 2]) -> ([f64; 2], f64, f64) {
    let (a, b) = (seg.geom().from, seg.geom().to);
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let point = [a[0] + t * dx, a[1] + t * dy];
    let (ex, ey) = (p[0] - point[0], p[1] - point[1]);
    (point, t * len2.sqrt(), ex * ex + ey * ey)
}

/// Squared distance from `p` to a segment.
fn distance_2(seg: &Segment, p: [f64; 2]) -> f64 {
    foot(seg, p).2
}

/// Where `p` meets one segment, and how far it is.
fn snap_on(graph: &WalkGraph, seg: &Segment, p: [f64; 2]) -> (Snap, f64) {
    let (edge, start_m) = seg.data;
    let (point, along_segment, offset_2) = foot(seg, p);
    let offset = offset_2.sqrt();
    let along = (start_m + along_segment).min(f64::from(graph.edge(edge).length_dm) / 10.0);
    let snap = Snap {
        edge,
        along_dm: dm(along),
        offset_dm: dm(offset),
        point,
    };
    (snap, offset)
}

/// Search sources for a snap: it reaches both ends of its edge.
pub fn sources(graph: &WalkGraph, s: &Snap) -> [(NodeId, u32); 2] {
    let e = graph.edge(s.edge);
    [
        (e.a, s.offset_dm.saturating_add(s.along_dm)),
        (
            e.b,
            s.offset_dm
                .saturating_add(e.length_dm.saturating_sub(s.along_dm)),
        ),
    ]
}

/// Walking distance, decimetres, between two points given by their snaps, within
/// `budget_dm` over the edges `allow` admits (the snapped edges themselves are always
/// walkable: they carry the first and last leg).
pub fn walk_distance(
    graph: &WalkGraph,
    from: &Snap,
    to: &Snap,
    budget_dm: u32,
    allow: impl Fn(&EdgeInfo) -> bool,
) -> Option<u32> {
    let dist = distances(graph, &sources(graph, from), budget_dm, allow);
    let e = graph.edge(to.edge);
    let to_a = dist[e.a.index()].checked_add(to.along_dm);
    let to_b = dist[e.b.index()].checked_add(e.length_dm.saturating_sub(to.along_dm));
    let via_network = [to_a, to_b]
        .into_iter()
        .flatten()
        .filter(|&d| d < UNREACHED)
        .min()
        .map(|d| d.saturating_add(to.offset_dm));
    let same_edge = (from.edge == to.edge)
        .then(|| from.offset_dm + from.along_dm.abs_diff(to.along_dm) + to.offset_dm);
    via_network
        .into_iter()
        .chain(same_edge)
        .filter(|&d| d <= budget_dm)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::GraphLine;

    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> f64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// A 4×4 street grid, 100 m apart, some streets missing, some bent.
    fn grid(rng: &mut Lcg) -> WalkGraph {
        let mut lines = Vec::new();
        for j in 0..4 {
            for i in 0..4 {
                for (di, dj) in [(1, 0), (0, 1)] {
                    let (i2, j2) = (i + di, j + dj);
                    if i2 > 3 || j2 > 3 || rng.next() < 0.25 {
                        continue;
                    }
                    let a = [i as f64 * 100.0, j as f64 * 100.0];
                    let b = [i2 as f64 * 100.0, j2 as f64 * 100.0];
                    let mut points = vec![a];
                    if rng.next() < 0.4 {
                        let bend = 30.0 * (rng.next() - 0.5);
                        points.push([
                            (a[0] + b[0]) / 2.0 + bend * dj as f64,
                            (a[1] + b[1]) / 2.0 + bend * di as f64,
                        ]);
                    }
                    points.push(b);
                    lines.push(GraphLine {
                        points,
                        ends: [(i, j), (i2, j2)],
                        private: false,
                        bridge: false,
                        tunnel: false,
                        layer: 0,
                        ferry: false,
                    });
                }
            }
        }
        WalkGraph::from_lines(lines)
    }

    /// Brute force: the nearest point of every edge, scanning all segments.
    fn brute_snaps(g: &WalkGraph, p: [f64; 2], radius: f64) -> Vec<(EdgeId, f64, f64)> {
        let mut out = Vec::new();
        for (id, _) in g.edges() {
            let pts = g.geometry(id);
            let mut best: Option<(f64, f64)> = None;
            let mut start = 0.0;
            for w in pts.windows(2) {
                let len = ((w[1][0] - w[0][0]).powi(2) + (w[1][1] - w[0][1]).powi(2)).sqrt();
                for k in 0..=2000 {
                    let t = k as f64 / 2000.0;
                    let q = [
                        w[0][0] + t * (w[1][0] - w[0][0]),
                        w[0][1] + t * (w[1][1] - w[0][1]),
                    ];
                    let d = ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt();
                    if best.is_none_or(|b| d < b.0) {
                        best = Some((d, start + t * len));
                    }
                }
                start += len;
            }
            if let Some((d, along)) = best.filter(|b| b.0 <= radius) {
                out.push((id, d, along));
            }
        }
        out
    }

    /// Brute force: split every edge at the snap points, join both points to theirs,
    /// and run a plain O(V²) Dijkstra in metres.
    fn brute_distance(
        g: &WalkGraph,
        from: &[(EdgeId, f64, f64)],
        to: &[(EdgeId, f64, f64)],
    ) -> Option<f64> {
        let n0 = g.node_count();
        let (p, q) = (n0, n0 + 1);
        let mut weights: Vec<(usize, usize, f64)> = Vec::new();
        let mut next = n0 + 2;
        for (id, e) in g.edges() {
            let length = f64::from(e.length_dm) / 10.0;
            let mut snaps: Vec<(f64, usize, f64)> = Vec::new();
            for &(edge, offset, along) in from {
                if edge == id {
                    snaps.push((along.min(length), p, offset));
                }
            }
            for &(edge, offset, along) in to {
                if edge == id {
                    snaps.push((along.min(length), q, offset));
                }
            }
            snaps.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut prev = (e.a.index(), 0.0);
            for (along, who, offset) in snaps {
                let node = next;
                next += 1;
                weights.push((prev.0, node, along - prev.1));
                weights.push((node, who, offset));
                prev = (node, along);
            }
            weights.push((prev.0, e.b.index(), length - prev.1));
        }
        let n = next;
        let mut dist = vec![f64::INFINITY; n];
        let mut done = vec![false; n];
        dist[p] = 0.0;
        while let Some(u) = (0..n)
            .filter(|&i| !done[i] && dist[i].is_finite())
            .min_by(|&a, &b| dist[a].total_cmp(&dist[b]))
        {
            done[u] = true;
            for &(a, b, w) in &weights {
                for (x, y) in [(a, b), (b, a)] {
                    if x == u && dist[u] + w < dist[y] {
                        dist[y] = dist[u] + w;
                    }
                }
            }
        }
        dist[q].is_finite().then_some(dist[q])
    }

    #[test]
    fn snapping_and_walking_distance_match_brute_force() {
        let mut rng = Lcg(7);
        let mut compared = 0;
        for _ in 0..30 {
            let g = grid(&mut rng);
            let snapper = Snapper::new(&g);
            for _ in 0..20 {
                let mut point = || [rng.next() * 360.0 - 30.0, rng.next() * 360.0 - 30.0];
                let (p, q) = (point(), point());
                let (sp, sq) = (
                    snapper.candidates(&g, p, 60.0),
                    snapper.candidates(&g, q, 60.0),
                );
                // The k-nearest search and a block's nearby segments agree with it.
                for k in [1, 3] {
                    let mut cut = sp.clone();
                    cut.truncate(k);
                    assert_eq!(snapper.nearest(&g, p, 60.0, k), cut);
                    let nearby = snapper.nearby([p[0] + 7.0, p[1] - 4.0], 60.0 + 9.0);
                    assert_eq!(nearby.nearest(&g, p, 60.0, k), cut);
                }
                let (bp, bq) = (brute_snaps(&g, p, 60.0), brute_snaps(&g, q, 60.0));
                assert_eq!(sp.len(), bp.len(), "{p:?}");
                for (s, b) in sp.iter().zip({
                    let mut b = bp.clone();
                    b.sort_by(|x, y| x.1.total_cmp(&y.1));
                    b
                }) {
                    assert!(
                        (f64::from(s.offset_dm) / 10.0 - b.1).abs() < 0.2,
                        "{s:?} vs {b:?}"
                    );
                }
                let (Some(p0), Some(q0)) = (sp.first(), sq.first()) else {
                    continue;
                };
                let ours = walk_distance(&g, p0, q0, UNREACHED - 1, |_| true);
                // The oracle from the same two edges' nearest points.
                let nearest_of = |b: &[(EdgeId, f64, f64)], e: EdgeId| {
                    b.iter().filter(|x| x.0 == e).copied().collect::<Vec<_>>()
                };
                let oracle =
                    brute_distance(&g, &nearest_of(&bp, p0.edge), &nearest_of(&bq, q0.edge));
                match (ours, oracle) {
                    (Some(a), Some(b)) => {
                        assert!(
                            (f64::from(a) / 10.0 - b).abs() < 0.5,
                            "{a} dm vs {b} m for {p:?} → {q:?}"
                        );
                        compared += 1;
                    }
                    (None, None) => {}
                    other => panic!("{other:?} for {p:?} → {q:?}"),
                }
            }
        }
        assert!(compared > 200, "{compared}");
    }
}
