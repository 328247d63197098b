//! Reading an OpenStreetMap `.osm.pbf` file into walking-network lines, in two passes
//! (walkable ways, then the nodes they use) with a progress bar on a terminal.
//!
//! Ways are cut at every node another walkable way shares, at entrances (gates) and
//! where the extract lost a node, so each line runs junction to junction with its full
//! geometry: degree-2 chains are contracted and routes still follow the street.
//! Pedestrian squares add a straight crossing between every two of their entrances
//! whose chord stays inside the square.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use geo::{Contains, Coord, Line, LineString, Polygon};
use osmpbf::{Element, ElementReader};

use super::walkable::{Walk, WayRule, is_entrance, way_rule};
use crate::error::{Error, Result};
use crate::model::NetworkProps;

/// A line of the imported network, lon/lat.
#[derive(Debug, Clone)]
pub struct OsmLine {
    pub coords: Vec<[f64; 2]>,
    pub props: NetworkProps,
}

/// What the import read and kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OsmStats {
    pub ways_walkable: usize,
    pub ways_private: usize,
    pub squares: usize,
    pub square_crossings: usize,
    pub entrances: usize,
    /// Node references the extract has no location for (cut at its edge).
    pub missing_nodes: usize,
    pub lines: usize,
}

/// A walkable way as read in the first pass.
struct Way {
    id: i64,
    refs: Vec<i64>,
    rule: WayRule,
    props: NetworkProps,
}

/// A squares' crossings are added between at most this many entrances (their count
/// grows as its square).
const MAX_SQUARE_ENTRANCES: usize = 64;

/// Reads the walkable network of a `.osm.pbf` file.
pub fn read_pbf(path: &Path) -> Result<(Vec<OsmLine>, OsmStats)> {
    let ways = read_ways(path)?;
    let needed: HashSet<i64> = ways.iter().flat_map(|w| w.refs.iter().copied()).collect();
    let (locations, entrances) = read_nodes(path, &needed)?;
    Ok(cut_lines(&ways, &locations, &entrances))
}

fn invalid(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::InvalidFile {
        file: path.display().to_string(),
        reason: format!("not a readable .osm.pbf file: {e}"),
    }
}

/// A reader of the file that draws a progress bar on a terminal.
fn progress_reader(path: &Path, pass: &str) -> Result<impl Read> {
    let file = File::open(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = indicatif::ProgressBar::new(size).with_message(pass.to_owned());
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{msg:12} [{bar:40}] {bytes}/{total_bytes} ({eta})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    Ok(BufReader::with_capacity(1 << 20, bar.wrap_read(file)))
}

fn read_ways(path: &Path) -> Result<Vec<Way>> {
    let mut ways = Vec::new();
    ElementReader::new(progress_reader(path, "ways")?)
        .for_each(|element| {
            let Element::Way(way) = element else {
                return;
            };
            let rule = way_rule(way.tags());
            if rule.walk == Walk::No {
                return;
            }
            let tag = |key: &str| way.tags().find(|(k, _)| *k == key).map(|t| t.1.to_owned());
            ways.push(Way {
                id: way.id(),
                refs: way.refs().collect(),
                rule,
                props: NetworkProps {
                    highway: tag("highway"),
                    name: tag("name"),
                    bridge: tag("bridge").is_some_and(|b| b != "no"),
                    // A passage through a building is walked at street level.
                    tunnel: tag("tunnel").is_some_and(|t| t != "no" && t != "building_passage"),
                    layer: tag("layer").and_then(|l| l.trim().parse().ok()),
                    access: (rule.walk == Walk::Private).then(|| "private".to_owned()),
                    ferry: false,
                    square_crossing: false,
                    synthetic: false,
                    osm_way: Some(way.id()),
                },
            });
        })
        .map_err(|e| invalid(path, e))?;
    ways.sort_by_key(|w| w.id);
    Ok(ways)
}

/// Locations (lon, lat in 1e-7 degrees) of the needed nodes, and which are entrances.
type Locations = HashMap<i64, [i32; 2]>;

fn read_nodes(path: &Path, needed: &HashSet<i64>) -> Result<(Locations, HashSet<i64>)> {
    let mut locations = HashMap::with_capacity(needed.len());
    let mut entrances = HashSet::new();
    let mut keep = |id: i64, lon: i32, lat: i32, entrance: bool| {
        if needed.contains(&id) {
            locations.insert(id, [lon, lat]);
            if entrance {
                entrances.insert(id);
            }
        }
    };
    ElementReader::new(progress_reader(path, "nodes")?)
        .for_each(|element| match element {
            Element::Node(n) => keep(
                n.id(),
                n.decimicro_lon(),
                n.decimicro_lat(),
                is_entrance(n.tags()),
            ),
            Element::DenseNode(n) => keep(
                n.id(),
                n.decimicro_lon(),
                n.decimicro_lat(),
                is_entrance(n.tags()),
            ),
            _ => {}
        })
        .map_err(|e| invalid(path, e))?;
    Ok((locations, entrances))
}

fn lon_lat(l: [i32; 2]) -> [f64; 2] {
    [f64::from(l[0]) / 1e7, f64::from(l[1]) / 1e7]
}

/// The refs a way walks, once each for a closed way (its last ref repeats its first).
fn distinct_refs(way: &Way) -> &[i64] {
    match way.refs.as_slice() {
        [first, .., last] if first == last => &way.refs[..way.refs.len() - 1],
        refs => refs,
    }
}

fn cut_lines(
    ways: &[Way],
    locations: &Locations,
    entrances: &HashSet<i64>,
) -> (Vec<OsmLine>, OsmStats) {
    let mut uses: HashMap<i64, u32> = HashMap::new();
    for way in ways {
        for r in distinct_refs(way) {
            *uses.entry(*r).or_default() += 1;
        }
    }
    let mut stats = OsmStats {
        ways_walkable: ways.len(),
        ways_private: ways.iter().filter(|w| w.rule.walk == Walk::Private).count(),
        entrances: entrances.len(),
        ..OsmStats::default()
    };
    let mut lines = Vec::new();
    for way in ways {
        let is_cut = |r: &i64| uses.get(r).copied().unwrap_or(0) >= 2 || entrances.contains(r);
        let mut piece: Vec<[f64; 2]> = Vec::new();
        for (i, r) in way.refs.iter().enumerate() {
            let Some(&location) = locations.get(r) else {
                stats.missing_nodes += 1;
                push_piece(&mut lines, std::mem::take(&mut piece), &way.props);
                continue;
            };
            piece.push(lon_lat(location));
            let last = i + 1 == way.refs.len();
            if i > 0 && !last && is_cut(r) && piece.len() >= 2 {
                let start = vec![lon_lat(location)];
                push_piece(&mut lines, std::mem::replace(&mut piece, start), &way.props);
            }
        }
        push_piece(&mut lines, piece, &way.props);
        if way.rule.square {
            stats.squares += 1;
            let entrances: Vec<i64> = distinct_refs(way)
                .iter()
                .copied()
                .filter(|r| is_cut(r))
                .take(MAX_SQUARE_ENTRANCES)
                .collect();
            stats.square_crossings += crossings(way, &entrances, locations, &mut lines);
        }
    }
    stats.lines = lines.len();
    (lines, stats)
}

fn push_piece(lines: &mut Vec<OsmLine>, coords: Vec<[f64; 2]>, props: &NetworkProps) {
    if coords.len() >= 2 {
        lines.push(OsmLine {
            coords,
            props: props.clone(),
        });
    }
}

/// Straight crossings of a square between every two entrances whose chord stays inside.
fn crossings(
    way: &Way,
    entrances: &[i64],
    locations: &Locations,
    lines: &mut Vec<OsmLine>,
) -> usize {
    let ring: Option<Vec<Coord>> = way
        .refs
        .iter()
        .map(|r| locations.get(r).map(|&l| lon_lat(l).into()))
        .collect();
    let Some(ring) = ring else {
        return 0;
    };
    let square = Polygon::new(LineString::new(ring), Vec::new());
    let chord = NetworkProps {
        square_crossing: true,
        ..way.props.clone()
    };
    let mut added = 0;
    for (i, a) in entrances.iter().enumerate() {
        for b in &entrances[i + 1..] {
            let (Some(&la), Some(&lb)) = (locations.get(a), locations.get(b)) else {
                continue;
            };
            let (pa, pb) = (lon_lat(la), lon_lat(lb));
            if square.contains(&Line::new(Coord::from(pa), Coord::from(pb))) {
                push_piece(lines, vec![pa, pb], &chord);
                added += 1;
            }
        }
    }
    added
}

#[cfg(test)]
mod tests {
    use super::*;

    fn way(id: i64, refs: &[i64], tags: &[(&'static str, &'static str)]) -> Way {
        Way {
            id,
            refs: refs.to_vec(),
            rule: way_rule(tags.iter().copied()),
            props: NetworkProps {
                osm_way: Some(id),
                ..NetworkProps::default()
            },
        }
    }

    fn grid_locations(ids: &[(i64, i32, i32)]) -> Locations {
        ids.iter().map(|&(id, x, y)| (id, [x, y])).collect()
    }

    #[test]
    fn ways_are_cut_at_shared_nodes_and_entrances_only() {
        // 1-2-3-4 straight; 5-3 meets it at 3; 2 is a gate; 4 is not shared.
        let locations =
            grid_locations(&[(1, 0, 0), (2, 10, 0), (3, 20, 0), (4, 30, 0), (5, 20, 10)]);
        let street = [("highway", "residential")];
        let ways = [way(10, &[1, 2, 3, 4], &street), way(11, &[5, 3], &street)];
        let entrances = HashSet::from([2]);
        let (lines, stats) = cut_lines(&ways, &locations, &entrances);
        let lengths: Vec<usize> = lines.iter().map(|l| l.coords.len()).collect();
        assert_eq!(lengths, [2, 2, 2, 2], "1-2, 2-3, 3-4 and 5-3");
        assert_eq!(stats.lines, 4);
        let (lines, _) = cut_lines(&ways, &locations, &HashSet::new());
        let lengths: Vec<usize> = lines.iter().map(|l| l.coords.len()).collect();
        assert_eq!(lengths, [3, 2, 2], "1-2-3 kept whole without the gate");
    }

    #[test]
    fn a_missing_node_cuts_the_way() {
        let locations = grid_locations(&[(1, 0, 0), (2, 10, 0), (4, 30, 0), (5, 40, 0)]);
        let ways = [way(10, &[1, 2, 3, 4, 5], &[("highway", "footway")])];
        let (lines, stats) = cut_lines(&ways, &locations, &HashSet::new());
        assert_eq!(stats.missing_nodes, 1);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].coords.len(), 2);
    }

    #[test]
    fn squares_are_crossed_between_entrances_inside_only() {
        // An L-shaped square 1(0,0) 2(20,0) 3(20,10) 4(10,10) 5(10,20) 6(0,20); streets
        // enter at 1, 3 and 5. The chords 1-3 and 1-5 stay inside; 3-5 cuts across the
        // notch of the L.
        let locations = grid_locations(&[
            (1, 0, 0),
            (2, 20, 0),
            (3, 20, 10),
            (4, 10, 10),
            (5, 10, 20),
            (6, 0, 20),
            (7, -10, 0),
            (8, 30, 10),
            (9, 10, 30),
        ]);
        let square = [("highway", "pedestrian"), ("area", "yes")];
        let street = [("highway", "residential")];
        let ways = [
            way(10, &[1, 2, 3, 4, 5, 6, 1], &square),
            way(11, &[7, 1], &street),
            way(12, &[8, 3], &street),
            way(13, &[9, 5], &street),
        ];
        let (lines, stats) = cut_lines(&ways, &locations, &HashSet::new());
        assert_eq!(stats.squares, 1);
        let chords: Vec<_> = lines
            .iter()
            .filter(|l| l.coords.len() == 2 && l.props.osm_way == Some(10))
            .map(|l| (l.coords[0], l.coords[1]))
            .collect();
        let at = |x: i32, y: i32| lon_lat([x, y]);
        assert!(
            chords.contains(&(at(0, 0), at(20, 10))),
            "1-3 crosses inside"
        );
        assert!(
            chords.contains(&(at(0, 0), at(10, 20))),
            "1-5 crosses inside"
        );
        assert!(
            !chords.contains(&(at(20, 10), at(10, 20))),
            "3-5 leaves the L"
        );
        assert_eq!(stats.square_crossings, 2);
    }
}
