//! Near-misses on hand-drawn networks whose gaps are known.

use super::*;
use crate::network::GraphLine;

fn line(points: &[[f64; 2]], ends: [u32; 2]) -> GraphLine<u32> {
    GraphLine::street(points.to_vec(), ends)
}

#[test]
fn a_dead_end_short_of_a_street_is_reported_a_far_one_and_a_stub_not() {
    let graph = WalkGraph::from_lines([
        line(&[[0.0, 0.0], [100.0, 0.0]], [0, 1]),
        // Stops 1.5 m short of the street.
        line(&[[50.0, 30.0], [50.0, 1.5]], [2, 3]),
        // Stops 10 m short.
        line(&[[80.0, 30.0], [80.0, 10.0]], [4, 5]),
        // A 1 m stub off the street's end: it meets the street there.
        line(&[[100.0, 0.0], [100.0, 1.0]], [1, 6]),
    ]);
    let found = near_misses(&graph, 2.0);
    assert_eq!(found.len(), 1, "{found:?}");
    let gap = &found[0];
    assert_eq!(gap.kind, GapKind::DeadEnd);
    assert_eq!(gap.at, [50.0, 1.5]);
    assert_eq!(gap.edges.map(EdgeId::index), [1, 0]);
    assert!((gap.gap_m - 1.5).abs() < 1e-9);
    assert_eq!(gap.foot, [50.0, 0.0]);
    assert_eq!(gap.foot_along_dm, 500);
}

#[test]
fn lines_crossing_without_a_vertex_are_reported_bridges_and_junctions_not() {
    let mut over = line(&[[50.0, -50.0], [50.0, 50.0]], [10, 11]);
    over.bridge = true;
    let mut other_layer = line(&[[70.0, -50.0], [70.0, 50.0]], [12, 13]);
    other_layer.layer = -1;
    let graph = WalkGraph::from_lines([
        line(&[[0.0, 0.0], [100.0, 0.0]], [0, 1]),
        // Crosses the street at (20, 0) without a shared vertex.
        line(&[[20.0, -40.0], [20.0, 40.0]], [2, 3]),
        // Meets it at its end, a real junction.
        line(&[[100.0, 0.0], [100.0, 40.0]], [1, 4]),
        over,
        other_layer,
    ]);
    let found = near_misses(&graph, 2.0);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, GapKind::Crossing);
    assert_eq!(found[0].edges.map(EdgeId::index), [0, 1]);
    assert!(distance(found[0].at, [20.0, 0.0]) < 1e-9);
}

#[test]
fn a_dead_end_on_a_bridge_is_no_gap_to_the_road_beneath() {
    let mut ramp = line(&[[50.0, 30.0], [50.0, 0.5]], [2, 3]);
    ramp.bridge = true;
    let graph = WalkGraph::from_lines([line(&[[0.0, 0.0], [100.0, 0.0]], [0, 1]), ramp]);
    assert!(near_misses(&graph, 2.0).is_empty());
}

#[test]
fn lines_of_one_area_cross_freely() {
    // Two crossings of one pedestrian square, drawn as its own lines.
    let graph = WalkGraph::from_lines([
        line(&[[0.0, 0.0], [20.0, 20.0]], [0, 1]),
        line(&[[0.0, 20.0], [20.0, 0.0]], [2, 3]),
    ]);
    assert_eq!(near_misses(&graph, 2.0).len(), 1);
    assert!(near_misses_apart(&graph, 2.0, |_, _| true).is_empty());
}
