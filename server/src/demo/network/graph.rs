//! From noded lines to the file: coordinates rounded to 7 decimals (nodes are equal
//! rounded endpoints), duplicates removed, only the largest connected component kept,
//! chains through degree-2 nodes with equal attributes joined into one LineString,
//! written as GeoJSON with one feature per line.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::names::{NamedStop, road_names};
use super::{Attrs, Generated, Line};
use crate::geo::LocalProjection;

type Pt = (i64, i64);

/// What the generated network measures.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub nodes: usize,
    pub edges: usize,
    pub dead_ends: usize,
    pub dropped_components: usize,
    pub dropped_edges: usize,
    pub by_highway: BTreeMap<&'static str, usize>,
    pub private_edges: usize,
    pub bridges: usize,
    pub named_edges: usize,
    pub road_names: usize,
}

struct Edge {
    a: usize,
    b: usize,
    coords: Vec<Pt>,
    attrs: Attrs,
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

pub fn assemble(
    lines: Vec<Line>,
    projection: &LocalProjection,
    stops: &[NamedStop],
    seed: u64,
) -> Generated {
    let to_pt = |c: &geo::Coord<f64>| {
        let p = projection.unproject(c.x, c.y);
        (
            (p.lon() * 1e7).round() as i64,
            (p.lat() * 1e7).round() as i64,
        )
    };
    let mut node_ids: BTreeMap<Pt, usize> = BTreeMap::new();
    let mut seen: BTreeSet<(Vec<Pt>, Attrs)> = BTreeSet::new();
    let mut edges = Vec::new();
    for line in lines {
        let mut coords: Vec<Pt> = line.coords.iter().map(to_pt).collect();
        coords.dedup();
        if coords.len() < 2 || coords.first() == coords.last() {
            continue;
        }
        let key = if coords.first() <= coords.last() {
            coords.clone()
        } else {
            coords.iter().rev().copied().collect()
        };
        if !seen.insert((key, line.attrs)) {
            continue;
        }
        let next = node_ids.len();
        let a = *node_ids.entry(coords[0]).or_insert(next);
        let next = node_ids.len();
        let b = *node_ids.entry(coords[coords.len() - 1]).or_insert(next);
        edges.push(Edge {
            a,
            b,
            coords,
            attrs: line.attrs,
        });
    }

    // Keep the largest component; the rest are pieces cut off by the coast or by
    // dropped segments.
    let mut parent: Vec<usize> = (0..node_ids.len()).collect();
    for e in &edges {
        let (ra, rb) = (find(&mut parent, e.a), find(&mut parent, e.b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut sizes: BTreeMap<usize, usize> = BTreeMap::new();
    for i in 0..parent.len() {
        *sizes.entry(find(&mut parent, i)).or_default() += 1;
    }
    let main = sizes
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(&root, _)| root)
        .unwrap_or(0);
    let before = edges.len();
    edges.retain(|e| find(&mut parent, e.a) == main);
    let mut stats = Stats {
        dropped_components: sizes.len().saturating_sub(1),
        dropped_edges: before - edges.len(),
        ..Stats::default()
    };

    let chains = contract(&edges, parent.len());
    let mut degree: BTreeMap<Pt, usize> = BTreeMap::new();
    for (coords, _) in &chains {
        *degree.entry(coords[0]).or_default() += 1;
        *degree.entry(coords[coords.len() - 1]).or_default() += 1;
    }
    stats.nodes = degree.len();
    stats.dead_ends = degree.values().filter(|&&d| d == 1).count();
    stats.edges = chains.len();
    for (_, attrs) in &chains {
        *stats.by_highway.entry(attrs.highway).or_default() += 1;
        stats.private_edges += usize::from(attrs.private);
        stats.bridges += usize::from(attrs.bridge);
    }
    let in_metres: Vec<(Vec<geo::Coord<f64>>, Attrs)> = chains
        .iter()
        .map(|(coords, attrs)| {
            let metres = coords
                .iter()
                .map(|&(x, y)| {
                    let (x, y) = projection.project_xy(x as f64 / 1e7, y as f64 / 1e7);
                    geo::Coord { x, y }
                })
                .collect();
            (metres, *attrs)
        })
        .collect();
    let names = road_names(&in_metres, stops, seed);
    stats.named_edges = names.iter().filter(|n| n.is_some()).count();
    stats.road_names = names.iter().flatten().collect::<BTreeSet<_>>().len();
    Generated {
        geojson: write_geojson(&chains, &names),
        stats,
    }
}

/// Joins chains of edges through degree-2 nodes whose two edges have equal attributes.
fn contract(edges: &[Edge], node_count: usize) -> Vec<(Vec<Pt>, Attrs)> {
    let mut incident: Vec<Vec<usize>> = vec![Vec::new(); node_count];
    for (i, e) in edges.iter().enumerate() {
        incident[e.a].push(i);
        incident[e.b].push(i);
    }
    let passes_through = |n: usize| {
        let inc = &incident[n];
        inc.len() == 2 && inc[0] != inc[1] && edges[inc[0]].attrs == edges[inc[1]].attrs
    };
    let mut used = vec![false; edges.len()];
    let mut chains = Vec::new();
    let mut walk = |start: usize, first: usize, used: &mut Vec<bool>| {
        let mut coords: Vec<Pt> = Vec::new();
        let (mut node, mut edge) = (start, first);
        loop {
            used[edge] = true;
            let e = &edges[edge];
            let forward = e.a == node;
            let part: Vec<Pt> = if forward {
                e.coords.clone()
            } else {
                e.coords.iter().rev().copied().collect()
            };
            if coords.is_empty() {
                coords = part;
            } else {
                coords.extend_from_slice(&part[1..]);
            }
            node = if forward { e.b } else { e.a };
            if node == start || !passes_through(node) {
                break;
            }
            let Some(&next) = incident[node].iter().find(|&&i| !used[i]) else {
                break;
            };
            edge = next;
        }
        chains.push((coords, edges[first].attrs));
    };
    for (n, around) in incident.iter().enumerate() {
        if passes_through(n) {
            continue;
        }
        for &e in around {
            if !used[e] {
                walk(n, e, &mut used);
            }
        }
    }
    // Loops made only of pass-through nodes.
    for e in 0..edges.len() {
        if !used[e] {
            walk(edges[e].a, e, &mut used);
        }
    }
    chains
}

fn write_geojson(chains: &[(Vec<Pt>, Attrs)], names: &[Option<String>]) -> String {
    let mut out = String::with_capacity(chains.len() * 160);
    out.push_str("{\"type\":\"FeatureCollection\",\"name\":\"walk_network\",\"features\":[\n");
    for (i, (coords, attrs)) in chains.iter().enumerate() {
        let _ = write!(
            out,
            "{{\"type\":\"Feature\",\"properties\":{{\"highway\":\"{}\"",
            attrs.highway
        );
        if let Some(name) = &names[i] {
            let _ = write!(out, ",\"name\":\"{name}\"");
        }
        if attrs.bridge {
            out.push_str(",\"bridge\":true");
        }
        if attrs.private {
            out.push_str(",\"access\":\"private\"");
        }
        out.push_str(
            ",\"synthetic\":true},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[",
        );
        for (k, (x, y)) in coords.iter().enumerate() {
            let sep = if k == 0 { "" } else { "," };
            let _ = write!(out, "{sep}[{},{}]", fixed7(*x), fixed7(*y));
        }
        out.push_str("]}}");
        out.push_str(if i + 1 < chains.len() { ",\n" } else { "\n" });
    }
    out.push_str("]}\n");
    out
}

/// An integer in units of 1e-7 written as a decimal with 7 places.
fn fixed7(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    format!("{sign}{}.{:07}", a / 10_000_000, a % 10_000_000)
}
