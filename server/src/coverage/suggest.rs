//! Site suggestions as maximal covering: choose `count` candidates whose cover sets
//! hold the most uncovered people. Lazy greedy (the gain of a candidate never grows
//! as others are chosen, so a stale gain is an upper bound), then one swap pass that
//! replaces a pick by the best outside candidate while that gains; the final set is
//! listed in greedy order of marginal gain, so gains never increase down the list.
//! Greedy alone is within 1 − 1/e of the optimum; the swap pass only improves it.

use std::collections::BinaryHeap;

use super::cover::reached_from_buildings;
use crate::network::WalkGraph;
use crate::reach::{Reach, SearchState, Targets};

/// A maximal-covering instance: element weights (people per uncovered building),
/// each candidate's cover set (element positions) and position (local metres), and
/// the least straight distance between two picks.
#[derive(Debug, Clone)]
pub struct Instance {
    pub weights: Vec<u64>,
    pub sets: Vec<Vec<u32>>,
    pub positions: Vec<[f64; 2]>,
    pub min_spacing_m: f64,
}

/// A chosen candidate and what it adds to those listed before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pick {
    pub candidate: usize,
    pub gain: u64,
}

/// The picks and the weight they cover together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggested {
    pub picks: Vec<Pick>,
    pub covered: u64,
}

impl Instance {
    fn too_close(&self, a: usize, b: usize) -> bool {
        let (p, q) = (self.positions[a], self.positions[b]);
        (p[0] - q[0]).hypot(p[1] - q[1]) < self.min_spacing_m
    }

    /// The weight of `set` not yet covered (`count[e]` pickers of element `e`).
    fn fresh(&self, set: &[u32], count: &[u32]) -> u64 {
        set.iter()
            .filter(|&&e| count[e as usize] == 0)
            .map(|&e| self.weights[e as usize])
            .sum()
    }

    /// The weight a set of picks covers.
    pub fn value(&self, picks: &[usize]) -> u64 {
        let mut count = vec![0u32; self.weights.len()];
        for &p in picks {
            for &e in &self.sets[p] {
                count[e as usize] += 1;
            }
        }
        count
            .iter()
            .zip(&self.weights)
            .filter(|(c, _)| **c > 0)
            .map(|(_, w)| w)
            .sum()
    }

    /// Lazy greedy among `pool`, up to `count` picks, skipping those too close to a
    /// pick; stops when nothing gains.
    fn greedy(&self, pool: impl Iterator<Item = usize>, count: usize) -> Vec<Pick> {
        let mut covered = vec![0u32; self.weights.len()];
        // (gain bound, reversed index): ties go to the lower index.
        let mut heap: BinaryHeap<(u64, std::cmp::Reverse<usize>)> = pool
            .map(|c| (self.fresh(&self.sets[c], &covered), std::cmp::Reverse(c)))
            .filter(|(g, _)| *g > 0)
            .collect();
        let mut picks: Vec<Pick> = Vec::new();
        while picks.len() < count {
            let Some((bound, std::cmp::Reverse(c))) = heap.pop() else {
                break;
            };
            if picks.iter().any(|p| self.too_close(p.candidate, c)) {
                continue;
            }
            let gain = self.fresh(&self.sets[c], &covered);
            if gain == 0 {
                continue;
            }
            let next = heap
                .peek()
                .map_or((0, std::cmp::Reverse(usize::MAX)), |t| (t.0, t.1));
            if gain < bound && (gain, std::cmp::Reverse(c)) < next {
                heap.push((gain, std::cmp::Reverse(c)));
                continue;
            }
            for &e in &self.sets[c] {
                covered[e as usize] += 1;
            }
            picks.push(Pick { candidate: c, gain });
        }
        picks
    }

    /// One pass over the picks, each replaced by the outside candidate that gains the
    /// most when that is a gain (and keeps the spacing).
    fn swap_pass(&self, picks: &mut [usize]) {
        let mut count = vec![0u32; self.weights.len()];
        for &p in picks.iter() {
            for &e in &self.sets[p] {
                count[e as usize] += 1;
            }
        }
        for slot in 0..picks.len() {
            let out = picks[slot];
            for &e in &self.sets[out] {
                count[e as usize] -= 1;
            }
            let loss = self.fresh(&self.sets[out], &count);
            let mut best = (loss, out);
            for c in 0..self.sets.len() {
                if picks.contains(&c)
                    || picks
                        .iter()
                        .enumerate()
                        .any(|(i, &p)| i != slot && self.too_close(p, c))
                {
                    continue;
                }
                let gain = self.fresh(&self.sets[c], &count);
                if gain > best.0 {
                    best = (gain, c);
                }
            }
            picks[slot] = best.1;
            for &e in &self.sets[best.1] {
                count[e as usize] += 1;
            }
        }
    }
}

/// The covering instance of candidate sites at `points` (local metres) and the
/// buildings `demand` (positions in `targets.buildings`, weighted by `population`):
/// each candidate's set holds the demand it reaches within `budget_dm`, found by
/// one search from each building.
#[allow(clippy::too_many_arguments)]
pub fn covering_instance(
    graph: &WalkGraph,
    reach: &Reach,
    targets: &Targets,
    state: &mut SearchState,
    points: &[[f64; 2]],
    demand: &[usize],
    population: &[u32],
    budget_dm: u32,
    min_spacing_m: f64,
) -> Instance {
    let candidates = Targets::new(graph, reach, points.iter().copied(), std::iter::empty());
    let sets = reached_from_buildings(graph, targets, &candidates, state, demand, budget_dm);
    // Elements are positions in `demand`.
    let position: std::collections::HashMap<u32, u32> = demand
        .iter()
        .enumerate()
        .map(|(i, &b)| (b as u32, i as u32))
        .collect();
    Instance {
        weights: demand.iter().map(|&b| u64::from(population[b])).collect(),
        sets: sets
            .iter()
            .map(|set| set.iter().map(|b| position[b]).collect())
            .collect(),
        positions: points.to_vec(),
        min_spacing_m,
    }
}

/// Up to `count` picks: lazy greedy, one swap pass, listed in greedy order.
pub fn greedy_with_swap(instance: &Instance, count: usize) -> Suggested {
    let first = instance.greedy(0..instance.sets.len(), count);
    let mut chosen: Vec<usize> = first.iter().map(|p| p.candidate).collect();
    instance.swap_pass(&mut chosen);
    let picks = instance.greedy(chosen.into_iter(), count);
    Suggested {
        covered: picks.iter().map(|p| p.gain).sum(),
        picks,
    }
}

/// Candidate sites on the public, walkable street network: every node and a point
/// every `every_m` along each edge, where `keep` accepts the point (inside the land,
/// inside the chosen area). Bridges, ferries and private roads are no site.
pub fn node_candidates(
    graph: &WalkGraph,
    every_m: f64,
    keep: impl Fn([f64; 2]) -> bool,
) -> Vec<[f64; 2]> {
    let mut points = Vec::new();
    let mut node_taken = vec![false; graph.node_count()];
    for (e, info) in graph.edges() {
        if info.private || info.bridge || info.ferry {
            continue;
        }
        for n in [info.a, info.b] {
            if !std::mem::replace(&mut node_taken[n.index()], true) {
                points.push(graph.position(n));
            }
        }
        let line = graph.geometry(e);
        let mut walked = 0.0;
        let mut next = every_m;
        for w in line.windows(2) {
            let length = (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]);
            while next < walked + length && length > 0.0 {
                let t = (next - walked) / length;
                points.push([
                    w[0][0] + t * (w[1][0] - w[0][0]),
                    w[0][1] + t * (w[1][1] - w[0][1]),
                ]);
                next += every_m;
            }
            walked += length;
        }
        // The last interior point is dropped when it would stand nearer than half the
        // spacing to the end node, which is a candidate already.
        if walked > every_m && walked - (next - every_m) < every_m / 2.0 {
            points.pop();
        }
    }
    points.retain(|&p| keep(p));
    points
}
