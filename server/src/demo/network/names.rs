//! Road names. Public street chains are joined into strokes (at each junction the two
//! straightest continuations within 40° pair up); a stroke passing within 40 m of a
//! real bus stop whose name contains a road name (胜利南路荆山路口 → 胜利南路, 荆山路)
//! takes that name, each real name going once, to the stroke with the most such stops;
//! every other stroke of 100 m or more gets a generated two-character name. Shorter
//! strokes, lanes, footways and private roads stay unnamed.

use std::collections::{BTreeMap, BTreeSet};

use geo::Coord;
use rstar::RTree;
use rstar::primitives::{GeomWithData, Line as Segment};

use super::{Attrs, distance};
use crate::demo::SeededRng;

const STRAIGHT_COS: f64 = 0.766; // cos 40°
const STOP_REACH_M: f64 = 40.0;
const MIN_NAMED_M: f64 = 100.0;
/// Characters of generated names: common, auspicious, and few enough to look local.
const NAME_CHARS: &str = "安宝昌长崇春大德东丰福富港海和恒华环佳建金锦康乐丽隆明南宁平祺青庆瑞山盛泰通同万文西祥新兴旭阳怡永裕振正忠卓";
const RANKS: [&str; 6] = ["一", "二", "三", "四", "五", "六"];

/// A real bus stop's position and the road names its name contains.
pub struct NamedStop {
    pub at: Coord<f64>,
    pub roads: Vec<String>,
}

/// The road names inside a stop name, read before any bracket: each run of characters
/// ending in 路 or 街 (大街 included), 2–6 characters long, without a trailing 口.
pub fn road_tokens(stop_name: &str) -> Vec<String> {
    let name = stop_name
        .split(['（', '('])
        .next()
        .unwrap_or_default()
        .trim_end_matches('口');
    let mut tokens = Vec::new();
    let mut current = String::new();
    for c in name.chars() {
        current.push(c);
        if c == '路' || c == '街' {
            let len = current.chars().count();
            if (2..=6).contains(&len) {
                tokens.push(std::mem::take(&mut current));
            } else {
                current.clear();
            }
        }
    }
    tokens
}

fn nameable(attrs: &Attrs) -> bool {
    !attrs.private
        && !attrs.bridge
        && matches!(
            attrs.highway,
            "primary" | "secondary" | "tertiary" | "residential" | "unclassified"
        )
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Strokes as a representative chain index per chain (`None` for chains that are not
/// public streets).
fn strokes(chains: &[(Vec<Coord<f64>>, Attrs)]) -> Vec<Option<usize>> {
    type Key = (i64, i64);
    let key = |c: Coord<f64>| ((c.x * 100.0).round() as i64, (c.y * 100.0).round() as i64);
    // Chain ends at each node with the direction leaving the node.
    let mut at_node: BTreeMap<Key, Vec<(usize, Coord<f64>)>> = BTreeMap::new();
    for (i, (coords, attrs)) in chains.iter().enumerate() {
        if !nameable(attrs) {
            continue;
        }
        let n = coords.len();
        let out = |a: Coord<f64>, b: Coord<f64>| {
            let d = distance(a, b).max(1e-9);
            Coord {
                x: (b.x - a.x) / d,
                y: (b.y - a.y) / d,
            }
        };
        at_node
            .entry(key(coords[0]))
            .or_default()
            .push((i, out(coords[0], coords[1])));
        at_node
            .entry(key(coords[n - 1]))
            .or_default()
            .push((i, out(coords[n - 1], coords[n - 2])));
    }
    let mut parent: Vec<usize> = (0..chains.len()).collect();
    for ends in at_node.values() {
        let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
        for a in 0..ends.len() {
            for b in a + 1..ends.len() {
                let straightness = -(ends[a].1.x * ends[b].1.x + ends[a].1.y * ends[b].1.y);
                if straightness >= STRAIGHT_COS && ends[a].0 != ends[b].0 {
                    pairs.push((straightness, a, b));
                }
            }
        }
        pairs.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
        let mut used = vec![false; ends.len()];
        for (_, a, b) in pairs {
            if used[a] || used[b] {
                continue;
            }
            used[a] = true;
            used[b] = true;
            let (ra, rb) = (find(&mut parent, ends[a].0), find(&mut parent, ends[b].0));
            if ra != rb {
                parent[ra.max(rb)] = ra.min(rb);
            }
        }
    }
    (0..chains.len())
        .map(|i| nameable(&chains[i].1).then(|| find(&mut parent, i)))
        .collect()
}

/// A name for every chain, `None` where it stays unnamed.
pub fn road_names(
    chains: &[(Vec<Coord<f64>>, Attrs)],
    stops: &[NamedStop],
    seed: u64,
) -> Vec<Option<String>> {
    let stroke_of = strokes(chains);
    let mut length: BTreeMap<usize, f64> = BTreeMap::new();
    let mut segments = Vec::new();
    for (i, (coords, _)) in chains.iter().enumerate() {
        let Some(stroke) = stroke_of[i] else { continue };
        *length.entry(stroke).or_default() +=
            coords.windows(2).map(|w| distance(w[0], w[1])).sum::<f64>();
        for w in coords.windows(2) {
            segments.push(GeomWithData::new(
                Segment::new([w[0].x, w[0].y], [w[1].x, w[1].y]),
                stroke,
            ));
        }
    }
    let tree = RTree::bulk_load(segments);

    // Votes of real names for the strokes passing their stops.
    let mut votes: BTreeMap<(&str, usize), usize> = BTreeMap::new();
    for stop in stops {
        let near: BTreeSet<usize> = tree
            .locate_within_distance([stop.at.x, stop.at.y], STOP_REACH_M * STOP_REACH_M)
            .map(|s| s.data)
            .collect();
        for road in &stop.roads {
            for &stroke in &near {
                *votes.entry((road.as_str(), stroke)).or_default() += 1;
            }
        }
    }
    let mut ranked: Vec<((&str, usize), usize)> = votes.into_iter().collect();
    ranked.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(length[&b.0.1].total_cmp(&length[&a.0.1]))
            .then(a.0.cmp(&b.0))
    });
    let mut names: BTreeMap<usize, String> = BTreeMap::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for ((road, stroke), _) in ranked {
        if !taken.contains(road) && !names.contains_key(&stroke) {
            taken.insert(road.to_owned());
            names.insert(stroke, road.to_owned());
        }
    }
    // Every real road token is reserved, named here or not.
    for stop in stops {
        taken.extend(stop.roads.iter().cloned());
    }

    let chars: Vec<char> = NAME_CHARS.chars().collect();
    let mut rng = SeededRng::new(seed, 0x6e61_6d65);
    let by_stroke: BTreeMap<usize, usize> = stroke_of
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.map(|s| (s, i)))
        .collect();
    for (&stroke, &chain) in &by_stroke {
        if names.contains_key(&stroke) || length[&stroke] < MIN_NAMED_M {
            continue;
        }
        let suffix = match chains[chain].1.highway {
            "residential" if rng.chance(0.5) => "街",
            _ => "路",
        };
        // A free pair of characters; when pairs run out, numbered ones (楚凤二街 style).
        let name = (0..64)
            .flat_map(|attempt| {
                let a = chars[(rng.unit() * chars.len() as f64) as usize % chars.len()];
                let b = chars[(rng.unit() * chars.len() as f64) as usize % chars.len()];
                let ranks: &[&str] = if attempt < 32 { &[""] } else { &RANKS };
                ranks
                    .iter()
                    .filter(move |_| a != b)
                    .map(move |r| format!("{a}{b}{r}{suffix}"))
                    .collect::<Vec<_>>()
            })
            .find(|n| !taken.contains(n))
            .unwrap_or_else(|| format!("{stroke}号{suffix}"));
        taken.insert(name.clone());
        names.insert(stroke, name);
    }
    stroke_of
        .iter()
        .map(|s| s.and_then(|s| names.get(&s).cloned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn road_tokens_split_junction_names_and_drop_brackets() {
        assert_eq!(road_tokens("胜利南路荆山路口"), ["胜利南路", "荆山路"]);
        assert_eq!(road_tokens("德广街口"), ["德广街"]);
        assert_eq!(
            road_tokens("华海中医医院（楚凤一街南口）"),
            Vec::<String>::new()
        );
        assert_eq!(road_tokens("毓璜顶公园"), Vec::<String>::new());
        assert_eq!(road_tokens("奇山中街"), ["奇山中街"]);
    }

    fn line(points: &[(f64, f64)]) -> (Vec<Coord<f64>>, Attrs) {
        (
            points.iter().map(|&(x, y)| Coord { x, y }).collect(),
            Attrs::road("residential"),
        )
    }

    #[test]
    fn a_straight_road_through_a_junction_is_one_stroke_and_the_side_street_another() {
        let chains = [
            line(&[(0.0, 0.0), (100.0, 0.0)]),
            line(&[(100.0, 0.0), (200.0, 5.0)]),
            line(&[(100.0, 0.0), (100.0, 150.0)]),
        ];
        let s = strokes(&chains);
        assert_eq!(s[0], s[1]);
        assert_ne!(s[0], s[2]);
        let stops = [NamedStop {
            at: Coord { x: 150.0, y: 10.0 },
            roads: vec!["胜利路".to_owned()],
        }];
        let names = road_names(&chains, &stops, 1);
        assert_eq!(names[0].as_deref(), Some("胜利路"));
        assert_eq!(names[1].as_deref(), Some("胜利路"));
        let side = names[2].clone().expect("a 150 m stroke is named");
        assert_ne!(side, "胜利路");
    }
}
