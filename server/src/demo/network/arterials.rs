//! Arterials along the real bus corridors. Stops within 30 m of each other (the two
//! sides of a road, or lines sharing a stop) become one corridor stop; each corridor
//! stop joins the nearest street junction by a short footway, and consecutive
//! stops of every line are linked by the shortest street path between their
//! junctions — as a bus runs along streets, never across water. Streets that carry
//! lines are promoted: ≥ 6 line-directions primary, ≥ 3 secondary, else tertiary.
//! Paths prefer streets already promoted, so lines bundle onto shared main roads.
//! Where no street path exists but the straight stop-to-stop segment crosses at most
//! 300 m of water with both ends on land, it becomes a bridge.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use geo::Coord;
use rstar::RTree;
use rstar::primitives::GeomWithData;

use super::{Attrs, Inputs, Line, distance};

const CLUSTER_M: f64 = 30.0;
const MAX_BRIDGE_OVER_WATER_M: f64 = 300.0;
/// A street path longer than this times the straight distance (plus 300 m) is no route.
const MAX_DETOUR: f64 = 2.5;
/// Cost factor of a street not yet carrying a line.
const NEW_STREET_COST: f64 = 1.15;
/// A change of direction sharper than this costs `TURN_COST_M` metres.
const TURN_RAD: f64 = 0.5;
const TURN_COST_M: f64 = 120.0;

fn routable(attrs: Attrs) -> bool {
    !attrs.private
        && matches!(
            attrs.highway,
            "residential" | "unclassified" | "tertiary" | "secondary" | "primary"
        )
}

fn class(lines: usize) -> &'static str {
    match lines {
        n if n >= 6 => "primary",
        n if n >= 3 => "secondary",
        _ => "tertiary",
    }
}

/// How many line-directions run between each pair of corridor stops.
type LineCounts = BTreeMap<(usize, usize), usize>;

/// A search state (node, line arrived by) → its cost and the state it came from.
type Visited = BTreeMap<(usize, usize), (f64, Option<(usize, usize)>)>;

/// Corridor stops and how many line-directions run between each pair.
fn corridors(inputs: &Inputs) -> (Vec<Coord<f64>>, LineCounts) {
    // Leader clustering in input order: deterministic, and every stop stays within
    // 30 m of its corridor stop's first member.
    let mut leaders: RTree<GeomWithData<[f64; 2], usize>> = RTree::new();
    let mut sums: Vec<(f64, f64, f64)> = Vec::new();
    let mut counts: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for route in &inputs.routes {
        let mut previous: Option<usize> = None;
        for &c in route {
            if !inputs.land.contains_point(c) {
                previous = None;
                continue;
            }
            let id = match leaders.nearest_neighbor(&[c.x, c.y]) {
                Some(hit)
                    if distance(
                        Coord {
                            x: hit.geom()[0],
                            y: hit.geom()[1],
                        },
                        c,
                    ) <= CLUSTER_M =>
                {
                    hit.data
                }
                _ => {
                    leaders.insert(GeomWithData::new([c.x, c.y], sums.len()));
                    sums.push((0.0, 0.0, 0.0));
                    sums.len() - 1
                }
            };
            sums[id].0 += c.x;
            sums[id].1 += c.y;
            sums[id].2 += 1.0;
            if let Some(p) = previous.filter(|&p| p != id) {
                *counts.entry((p.min(id), p.max(id))).or_default() += 1;
            }
            previous = Some(id);
        }
    }
    let stops = sums
        .iter()
        .map(|&(x, y, n)| Coord { x: x / n, y: y / n })
        .collect();
    (stops, counts)
}

struct StreetGraph {
    nodes: Vec<Coord<f64>>,
    /// (neighbour, line index, length)
    adjacent: Vec<Vec<(usize, usize, f64)>>,
    tree: RTree<GeomWithData<[f64; 2], usize>>,
}

impl StreetGraph {
    fn new(lines: &[Line]) -> Self {
        let mut ids: BTreeMap<(u64, u64), usize> = BTreeMap::new();
        let mut nodes = Vec::new();
        let mut adjacent: Vec<Vec<(usize, usize, f64)>> = Vec::new();
        let mut id_of = |c: Coord<f64>, nodes: &mut Vec<Coord<f64>>, adjacent: &mut Vec<Vec<_>>| {
            *ids.entry((c.x.to_bits(), c.y.to_bits()))
                .or_insert_with(|| {
                    nodes.push(c);
                    adjacent.push(Vec::new());
                    nodes.len() - 1
                })
        };
        for (i, line) in lines.iter().enumerate().filter(|(_, l)| routable(l.attrs)) {
            let a = id_of(line.coords[0], &mut nodes, &mut adjacent);
            let b = id_of(
                line.coords[line.coords.len() - 1],
                &mut nodes,
                &mut adjacent,
            );
            let length: f64 = line.coords.windows(2).map(|w| distance(w[0], w[1])).sum();
            adjacent[a].push((b, i, length));
            adjacent[b].push((a, i, length));
        }
        let tree = RTree::bulk_load(
            nodes
                .iter()
                .enumerate()
                .map(|(i, c)| GeomWithData::new([c.x, c.y], i))
                .collect(),
        );
        Self {
            nodes,
            adjacent,
            tree,
        }
    }

    fn nearest(&self, c: Coord<f64>) -> Option<usize> {
        self.tree.nearest_neighbor(&[c.x, c.y]).map(|n| n.data)
    }

    /// Heading (radians) of travel along `line` when leaving `node`.
    fn heading_from(&self, lines: &[Line], line: usize, node: usize) -> f64 {
        let c = &lines[line].coords;
        let (a, b) = if c[0] == self.nodes[node] {
            (c[0], c[1])
        } else {
            (c[c.len() - 1], c[c.len() - 2])
        };
        libm::atan2(b.y - a.y, b.x - a.x)
    }

    /// Lines of the cheapest path from `from` to `to`, if within `budget` cost. States
    /// are (node, line arrived by), so turns can cost: buses keep to a road.
    fn path(
        &self,
        lines: &[Line],
        from: usize,
        to: usize,
        budget: f64,
        promoted: &[bool],
    ) -> Option<Vec<usize>> {
        const START: usize = usize::MAX;
        let mut best: Visited = BTreeMap::new();
        let mut heap = BinaryHeap::new();
        best.insert((from, START), (0.0, None));
        heap.push(Reverse((0f64.to_bits(), from, START)));
        while let Some(Reverse((bits, node, via))) = heap.pop() {
            let cost = f64::from_bits(bits);
            if node == to {
                let mut path = Vec::new();
                let mut state = (node, via);
                while let Some(&(_, Some(prev))) = best.get(&state) {
                    path.push(state.1);
                    state = prev;
                }
                return Some(path);
            }
            if cost > best.get(&(node, via)).map_or(f64::INFINITY, |b| b.0) || cost > budget {
                continue;
            }
            let arrival =
                (via != START).then(|| self.heading_from(lines, via, node) + std::f64::consts::PI);
            for &(next, line, length) in &self.adjacent[node] {
                if line == via {
                    continue;
                }
                let mut step = if promoted[line] {
                    length
                } else {
                    length * NEW_STREET_COST
                };
                if let Some(arrival) = arrival {
                    let mut turn = (self.heading_from(lines, line, node) - arrival).abs()
                        % std::f64::consts::TAU;
                    if turn > std::f64::consts::PI {
                        turn = std::f64::consts::TAU - turn;
                    }
                    if turn > TURN_RAD {
                        step += TURN_COST_M;
                    }
                }
                let total = cost + step;
                if total < best.get(&(next, line)).map_or(f64::INFINITY, |b| b.0) {
                    best.insert((next, line), (total, Some((node, via))));
                    heap.push(Reverse((total.to_bits(), next, line)));
                }
            }
        }
        None
    }
}

/// Promotes the streets that carry bus lines and returns the connectors from corridor
/// stops to their junctions, plus any bridges.
pub fn route(inputs: &Inputs, mut local: Vec<Line>, seed: u64) -> (Vec<Line>, Vec<Line>) {
    let (stops, counts) = corridors(inputs);
    let graph = StreetGraph::new(&local);
    let junction: Vec<Option<usize>> = stops.iter().map(|&s| graph.nearest(s)).collect();
    let mut carried = vec![0usize; local.len()];
    let mut stop_lines = vec![0usize; stops.len()];
    let mut bridges = Vec::new();
    // Busiest corridors first, so the main roads form before the branches.
    let mut order: Vec<((usize, usize), usize)> = counts.into_iter().collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for ((a, b), lines) in order {
        let straight = distance(stops[a], stops[b]);
        let path = match (junction[a], junction[b]) {
            (Some(ja), Some(jb)) => {
                let promoted: Vec<bool> = carried.iter().map(|&n| n > 0).collect();
                graph.path(&local, ja, jb, MAX_DETOUR * straight + 300.0, &promoted)
            }
            _ => None,
        };
        match path {
            Some(path) => {
                for line in path {
                    carried[line] += lines;
                }
                stop_lines[a] += lines;
                stop_lines[b] += lines;
            }
            None => {
                if is_short_bridge(inputs, stops[a], stops[b]) {
                    bridges.push(Line {
                        coords: vec![stops[a], stops[b]],
                        attrs: Attrs {
                            highway: class(lines),
                            bridge: true,
                            private: false,
                        },
                    });
                    stop_lines[a] += lines;
                    stop_lines[b] += lines;
                }
            }
        }
    }
    for (line, &n) in local.iter_mut().zip(&carried) {
        if n > 0 {
            line.attrs.highway = class(n);
        }
    }
    let mut extra = bridges;
    extra.extend(footbridges(&local, &graph, seed));
    for (i, &stop) in stops.iter().enumerate() {
        if stop_lines[i] == 0 {
            continue;
        }
        if let Some(j) = junction[i] {
            let node = graph.nodes[j];
            if distance(stop, node) > 1.0 && inputs.land.contains_line(&[stop, node]) {
                // The walk from the street to the stop's platform.
                extra.push(Line {
                    coords: vec![stop, node],
                    attrs: Attrs::road("footway"),
                });
            }
        }
    }
    (local, extra)
}

fn is_short_bridge(inputs: &Inputs, a: Coord<f64>, b: Coord<f64>) -> bool {
    if !inputs.land.contains_point(a) || !inputs.land.contains_point(b) {
        return false;
    }
    let steps = (distance(a, b) / 5.0).ceil().max(1.0) as usize;
    let water = (0..=steps)
        .filter(|&k| {
            let t = k as f64 / steps as f64;
            !inputs.land.contains_point(Coord {
                x: a.x + t * (b.x - a.x),
                y: a.y + t * (b.y - a.y),
            })
        })
        .count() as f64
        * 5.0;
    water > 0.0 && water <= MAX_BRIDGE_OVER_WATER_M
}

/// Pedestrian overpasses (人行天桥) over some primary roads: a 30 m footway bridge
/// across the middle of a primary segment at least 70 m long (so it spans that road
/// alone), its stairs joined by footways to the nearest junction on each side.
fn footbridges(local: &[Line], graph: &StreetGraph, seed: u64) -> Vec<Line> {
    const HALF_SPAN_M: f64 = 15.0;
    let mut rng = crate::demo::SeededRng::new(seed, 4);
    let mut out = Vec::new();
    for line in local
        .iter()
        .filter(|l| l.attrs.highway == "primary" && l.coords.len() == 2)
    {
        let (a, b) = (line.coords[0], line.coords[1]);
        let length = distance(a, b);
        if length < 70.0 || !rng.chance(0.06) {
            continue;
        }
        let mid = Coord {
            x: (a.x + b.x) / 2.0,
            y: (a.y + b.y) / 2.0,
        };
        let normal = Coord {
            x: -(b.y - a.y) / length,
            y: (b.x - a.x) / length,
        };
        let ends = [1.0, -1.0].map(|side| Coord {
            x: mid.x + side * HALF_SPAN_M * normal.x,
            y: mid.y + side * HALF_SPAN_M * normal.y,
        });
        let side_of = |p: Coord<f64>| (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
        let stairs: Vec<Option<Coord<f64>>> = ends
            .iter()
            .map(|&end| {
                graph
                    .tree
                    .nearest_neighbor_iter(&[end.x, end.y])
                    .take(8)
                    .map(|n| graph.nodes[n.data])
                    .find(|&n| side_of(n) * side_of(end) > 0.0 && distance(n, end) < 120.0)
            })
            .collect();
        if let [Some(s0), Some(s1)] = stairs[..] {
            out.push(Line {
                coords: vec![ends[0], ends[1]],
                attrs: Attrs {
                    highway: "footway",
                    bridge: true,
                    private: false,
                },
            });
            out.push(Line {
                coords: vec![ends[0], s0],
                attrs: Attrs::road("footway"),
            });
            out.push(Line {
                coords: vec![ends[1], s1],
                attrs: Attrs::road("footway"),
            });
        }
    }
    out
}
