//! Splitting a set of adjacent blocks into contiguous regions of given weight shares:
//! a multi-source Dijkstra over the block adjacency graph (steps between block
//! centres) in which region r starts at distance −offset_r, so every region is a tree
//! grown from its seed and stays connected; the offsets are adjusted over a fixed
//! number of rounds to bring each region's weight near its target, and the most
//! balanced round is kept.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use geo::Coord;

use crate::demo::network::distance;

const ROUNDS: usize = 60;

#[derive(PartialEq)]
struct Key(f64);
impl Eq for Key {}
impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// The graph the regions grow on.
pub struct Space<'a> {
    pub adjacency: &'a [Vec<usize>],
    pub centres: &'a [Coord<f64>],
    pub weight: &'a [f64],
}

/// Assigns each of `members` (cell indices) to one of the regions seeded at `seeds`
/// (members too), aiming at weights proportional to `targets`. Returns the region of
/// each member, in the order of `members`.
pub fn grow(space: &Space, members: &[usize], seeds: &[usize], targets: &[f64]) -> Vec<usize> {
    let n = space.centres.len();
    let mut local = vec![usize::MAX; n];
    for (i, &m) in members.iter().enumerate() {
        local[m] = i;
    }
    let mut is_seed = vec![false; members.len()];
    for &s in seeds {
        is_seed[local[s]] = true;
    }
    let total_weight: f64 = members.iter().map(|&m| space.weight[m]).sum();
    let total_target: f64 = targets.iter().sum();
    let want: Vec<f64> = targets
        .iter()
        .map(|t| total_weight * t / total_target)
        .collect();
    let (mut lo, mut hi) = (
        Coord {
            x: f64::MAX,
            y: f64::MAX,
        },
        Coord {
            x: f64::MIN,
            y: f64::MIN,
        },
    );
    for &m in members {
        let c = space.centres[m];
        lo = Coord {
            x: lo.x.min(c.x),
            y: lo.y.min(c.y),
        };
        hi = Coord {
            x: hi.x.max(c.x),
            y: hi.y.max(c.y),
        };
    }
    let extent = distance(lo, hi).max(1.0);
    let mut step = extent / (seeds.len() as f64).sqrt() * 0.5;

    let mut offsets = vec![0.0; seeds.len()];
    let mut best: Option<(f64, Vec<usize>)> = None;
    for _ in 0..ROUNDS {
        let region = run(space, members, &local, &is_seed, seeds, &offsets);
        let mut got = vec![0.0; seeds.len()];
        for (i, &m) in members.iter().enumerate() {
            got[region[i]] += space.weight[m];
        }
        let misfit = got
            .iter()
            .zip(&want)
            .map(|(g, w)| if *w > 0.0 { (g / w - 1.0).abs() } else { 0.0 })
            .fold(0.0, f64::max);
        if best.as_ref().is_none_or(|(b, _)| misfit < *b) {
            best = Some((misfit, region));
        }
        for r in 0..seeds.len() {
            if want[r] > 0.0 {
                offsets[r] += step * (1.0 - got[r] / want[r]).clamp(-1.0, 1.0);
            }
        }
        step *= 0.95;
    }
    best.map(|(_, r)| r)
        .unwrap_or_else(|| vec![0; members.len()])
}

fn run(
    space: &Space,
    members: &[usize],
    local: &[usize],
    is_seed: &[bool],
    seeds: &[usize],
    offsets: &[f64],
) -> Vec<usize> {
    let mut dist = vec![f64::INFINITY; members.len()];
    let mut region = vec![usize::MAX; members.len()];
    let mut heap = BinaryHeap::new();
    for (r, &s) in seeds.iter().enumerate() {
        let i = local[s];
        dist[i] = -offsets[r];
        region[i] = r;
        heap.push(Reverse((Key(dist[i]), i)));
    }
    while let Some(Reverse((Key(d), i))) = heap.pop() {
        if d > dist[i] {
            continue;
        }
        let from = members[i];
        for &to in &space.adjacency[from] {
            let j = local[to];
            if j == usize::MAX || is_seed[j] {
                continue;
            }
            let nd = d + distance(space.centres[from], space.centres[to]);
            if nd < dist[j] {
                dist[j] = nd;
                region[j] = region[i];
                heap.push(Reverse((Key(nd), j)));
            }
        }
    }
    // Members no seed reaches join the region of the nearest reached member.
    let reached: Vec<usize> = (0..members.len())
        .filter(|&i| region[i] != usize::MAX)
        .collect();
    for i in 0..members.len() {
        if region[i] == usize::MAX {
            let c = space.centres[members[i]];
            region[i] = reached
                .iter()
                .min_by(|&&a, &&b| {
                    distance(c, space.centres[members[a]])
                        .total_cmp(&distance(c, space.centres[members[b]]))
                })
                .map_or(0, |&a| region[a]);
        }
    }
    region
}

/// `k` seeds spread over `members`: members ordered along a Z-order curve and cut into
/// `k` runs of equal weight, the middle member of each run (members of zero weight
/// only when there are fewer than `k` others).
pub fn spread_seeds(space: &Space, members: &[usize], k: usize) -> Vec<usize> {
    let (mut x0, mut y0) = (f64::MAX, f64::MAX);
    for &m in members {
        x0 = x0.min(space.centres[m].x);
        y0 = y0.min(space.centres[m].y);
    }
    let z = |m: usize| {
        let c = space.centres[m];
        let (x, y) = (((c.x - x0) / 10.0) as u64, ((c.y - y0) / 10.0) as u64);
        (0..24).fold(0u64, |acc, b| {
            acc | ((x >> b & 1) << (2 * b)) | ((y >> b & 1) << (2 * b + 1))
        })
    };
    // Seeds sit where the weight is, when there are enough such members.
    let weighted: Vec<usize> = members
        .iter()
        .copied()
        .filter(|&m| space.weight[m] > 0.0)
        .collect();
    let mut order = if weighted.len() >= k {
        weighted
    } else {
        members.to_vec()
    };
    order.sort_by_key(|&m| (z(m), m));
    let weight = |m: usize| space.weight[m].max(1e-9);
    let total: f64 = order.iter().map(|&m| weight(m)).sum();
    let mut seeds = Vec::with_capacity(k);
    let mut cumulative = 0.0;
    let mut next = 0;
    for (pos, &m) in order.iter().enumerate() {
        cumulative += weight(m);
        while next < k && cumulative >= total * (next as f64 + 0.5) / k as f64 {
            // One seed per member: later runs take the next free member.
            let free = order[pos..]
                .iter()
                .chain(order[..pos].iter().rev())
                .find(|c| !seeds.contains(*c));
            if let Some(&f) = free {
                seeds.push(f);
            }
            next += 1;
        }
    }
    seeds
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 10 × 10 lattice of unit-weight cells.
    fn lattice() -> (Vec<Vec<usize>>, Vec<Coord<f64>>) {
        let mut adjacency = vec![Vec::new(); 100];
        let mut centres = Vec::new();
        for j in 0..10 {
            for i in 0..10 {
                centres.push(Coord {
                    x: i as f64 * 100.0,
                    y: j as f64 * 100.0,
                });
                let id = j * 10 + i;
                if i > 0 {
                    adjacency[id].push(id - 1);
                    adjacency[id - 1].push(id);
                }
                if j > 0 {
                    adjacency[id].push(id - 10);
                    adjacency[id - 10].push(id);
                }
            }
        }
        (adjacency, centres)
    }

    #[test]
    fn regions_are_connected_and_near_their_targets() {
        let (adjacency, centres) = lattice();
        let weight = vec![1.0; 100];
        let space = Space {
            adjacency: &adjacency,
            centres: &centres,
            weight: &weight,
        };
        let members: Vec<usize> = (0..100).collect();
        let seeds = spread_seeds(&space, &members, 4);
        assert_eq!(seeds.len(), 4);
        let region = grow(&space, &members, &seeds, &[1.0, 1.0, 1.0, 3.0]);
        let mut counts = [0usize; 4];
        for &r in &region {
            counts[r] += 1;
        }
        assert!((counts[3] as f64 - 50.0).abs() <= 8.0, "{counts:?}");
        for (r, &c) in counts.iter().enumerate().take(3) {
            assert!((c as f64 - 16.7).abs() <= 5.0, "{r}: {counts:?}");
        }
        // Connected: a flood fill inside each region from its seed reaches all of it.
        for (r, &seed) in seeds.iter().enumerate() {
            let mut seen = [false; 100];
            let mut stack = vec![seed];
            seen[seed] = true;
            while let Some(c) = stack.pop() {
                for &d in &adjacency[c] {
                    if !seen[d] && region[d] == r {
                        seen[d] = true;
                        stack.push(d);
                    }
                }
            }
            assert_eq!(seen.iter().filter(|&&s| s).count(), counts[r]);
        }
    }
}
