//! The core search: Dijkstra over (node, leg) states with whole-decimetre distances.
//!
//! A walk may use private roads (`access=private|destination`) only at its start, to
//! leave a place inside, or at its end, to reach one: never as a through route. The
//! leg says where a walk is: `FIRST` (only private edges so far), `PUBLIC` (it has used
//! a public edge), `LAST` (back on private edges after a public one; it may not return
//! to a public edge). The rule is symmetric, so a search from targets finds the same
//! walks as one from the origin.
//!
//! State arrays are stamped with a generation, so a search costs what it touches, not
//! the size of the graph; states come from a bounded [`SearchPool`].

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Mutex;

use crate::network::{EdgeId, NodeId, UNREACHED, WalkGraph};

/// Where a walk is with respect to private roads.
pub type Leg = u8;
pub const FIRST: Leg = 0;
pub const PUBLIC: Leg = 1;
pub const LAST: Leg = 2;
const LEGS: usize = 3;

/// The leg after walking an edge, if the walk may take it.
pub fn next_leg(leg: Leg, private: bool) -> Option<Leg> {
    match (leg, private) {
        (FIRST, true) => Some(FIRST),
        (FIRST | PUBLIC, false) => Some(PUBLIC),
        (PUBLIC | LAST, true) => Some(LAST),
        _ => None,
    }
}

/// The leg of a walk that has just walked part of an edge from its start.
pub fn leg_on(private: bool) -> Leg {
    if private { FIRST } else { PUBLIC }
}

/// A starting point of a search: a node reached at `dist_dm` on `leg`, from source
/// number `source` (a snap of the origin, or a site of a multi-source search).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seed {
    pub node: NodeId,
    pub dist_dm: u32,
    pub leg: Leg,
    pub source: u32,
}

/// How a state was reached: from `node` on `leg` along `edge`, or from a seed when
/// `edge` is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pred {
    pub node: u32,
    pub leg: Leg,
    pub edge: Option<EdgeId>,
}

const NO_PRED: Pred = Pred {
    node: u32::MAX,
    leg: 0,
    edge: None,
};

/// The arrays of one search, reusable.
pub struct SearchState {
    generation: u32,
    stamp: Vec<u32>,
    dist: Vec<[u32; LEGS]>,
    pred: Vec<[Pred; LEGS]>,
    source: Vec<[u32; LEGS]>,
    touched: Vec<NodeId>,
    heap: BinaryHeap<Reverse<(u32, u32, Leg)>>,
}

impl SearchState {
    pub fn new(nodes: usize) -> Self {
        Self {
            generation: 0,
            stamp: vec![0; nodes],
            dist: vec![[UNREACHED; LEGS]; nodes],
            pred: vec![[NO_PRED; LEGS]; nodes],
            source: vec![[u32::MAX; LEGS]; nodes],
            touched: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    fn begin(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            // Wrapped: every stamp may look current; clear once every 2³² searches.
            self.stamp.fill(0);
            self.generation = 1;
        }
        self.touched.clear();
        self.heap.clear();
    }

    fn touch(&mut self, n: usize) {
        if self.stamp[n] != self.generation {
            self.stamp[n] = self.generation;
            self.dist[n] = [UNREACHED; LEGS];
            self.pred[n] = [NO_PRED; LEGS];
            self.source[n] = [u32::MAX; LEGS];
            self.touched.push(NodeId::from_index(n));
        }
    }

    /// Distance to `node` on `leg`, `UNREACHED` if the search did not settle it.
    pub fn dist(&self, node: NodeId, leg: Leg) -> u32 {
        let n = node.index();
        if self.stamp[n] == self.generation {
            self.dist[n][leg as usize]
        } else {
            UNREACHED
        }
    }

    /// The source whose walk reached `node` on `leg`.
    pub fn source(&self, node: NodeId, leg: Leg) -> Option<u32> {
        let n = node.index();
        (self.stamp[n] == self.generation && self.source[n][leg as usize] != u32::MAX)
            .then(|| self.source[n][leg as usize])
    }

    pub fn pred(&self, node: NodeId, leg: Leg) -> Pred {
        let n = node.index();
        if self.stamp[n] == self.generation {
            self.pred[n][leg as usize]
        } else {
            NO_PRED
        }
    }

    /// Distance to `node` on the best leg from which an edge of the given kind may be
    /// walked next: the distance to a point on that edge, less the part along it.
    pub fn dist_before(&self, node: NodeId, private: bool) -> (u32, Leg) {
        (0..LEGS as Leg)
            .filter(|&l| next_leg(l, private).is_some())
            .map(|l| (self.dist(node, l), l))
            .min()
            .unwrap_or((UNREACHED, FIRST))
    }

    /// Nodes the search reached.
    pub fn touched(&self) -> &[NodeId] {
        &self.touched
    }

    /// Runs Dijkstra from `seeds` up to `budget_dm`. `settle` sees each settled state
    /// in order of distance and may stop the search by returning `false`.
    pub fn run(
        &mut self,
        graph: &WalkGraph,
        seeds: &[Seed],
        budget_dm: u32,
        mut settle: impl FnMut(&Self, NodeId, Leg, u32) -> bool,
    ) {
        self.begin();
        for s in seeds {
            let n = s.node.index();
            self.touch(n);
            let l = s.leg as usize;
            if s.dist_dm <= budget_dm && s.dist_dm < self.dist[n][l] {
                self.dist[n][l] = s.dist_dm;
                self.source[n][l] = s.source;
                self.pred[n][l] = Pred {
                    node: s.source,
                    leg: s.leg,
                    edge: None,
                };
                self.heap.push(Reverse((s.dist_dm, n as u32, s.leg)));
            }
        }
        while let Some(Reverse((d, n, leg))) = self.heap.pop() {
            let n = n as usize;
            if d > self.dist[n][leg as usize] {
                continue;
            }
            let node = NodeId::from_index(n);
            if !settle(self, node, leg, d) {
                break;
            }
            let source = self.source[n][leg as usize];
            for arc in graph.arcs(node) {
                let Some(next) = next_leg(leg, graph.edge(arc.edge).private) else {
                    continue;
                };
                let nd = d.saturating_add(arc.length_dm);
                if nd > budget_dm {
                    continue;
                }
                let h = arc.head.index();
                self.touch(h);
                if nd < self.dist[h][next as usize] {
                    self.dist[h][next as usize] = nd;
                    self.source[h][next as usize] = source;
                    self.pred[h][next as usize] = Pred {
                        node: n as u32,
                        leg,
                        edge: Some(arc.edge),
                    };
                    self.heap.push(Reverse((nd, h as u32, next)));
                }
            }
        }
    }
}

/// A bounded pool of search states: a query takes one and gives it back when done.
pub struct SearchPool {
    nodes: usize,
    keep: usize,
    free: Mutex<Vec<SearchState>>,
}

impl SearchPool {
    /// A pool for a graph of `nodes` nodes keeping at most `keep` idle states.
    pub fn new(nodes: usize, keep: usize) -> Self {
        Self {
            nodes,
            keep,
            free: Mutex::new(Vec::new()),
        }
    }

    /// Runs `f` with a search state from the pool.
    pub fn with<R>(&self, f: impl FnOnce(&mut SearchState) -> R) -> R {
        let taken = self.free.lock().ok().and_then(|mut free| free.pop());
        let mut state = taken.unwrap_or_else(|| SearchState::new(self.nodes));
        let result = f(&mut state);
        if let Ok(mut free) = self.free.lock()
            && free.len() < self.keep
        {
            free.push(state);
        }
        result
    }
}

impl std::fmt::Debug for SearchPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchPool")
            .field("nodes", &self.nodes)
            .field("keep", &self.keep)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_roads_carry_only_the_first_and_last_leg() {
        use FIRST as F;
        assert_eq!(next_leg(F, true), Some(F));
        assert_eq!(next_leg(F, false), Some(PUBLIC));
        assert_eq!(next_leg(PUBLIC, true), Some(LAST));
        assert_eq!(next_leg(LAST, true), Some(LAST));
        assert_eq!(next_leg(LAST, false), None, "no through route");
    }
}
