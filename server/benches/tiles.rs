//! Vector tiles on the demo district: tiles per second encoding grids and buildings
//! over the whole district at zooms 14, 15 and 16 (every tile that holds something),
//! and one cached tile through the router.
//!
//!     cargo bench -p redgrid --bench tiles

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use redgrid::config::Profile;
use redgrid_tiles::TileCoord;
use tower::ServiceExt;

fn district_tiles(state: &redgrid::AppState, z: u32) -> Vec<TileCoord> {
    let b = state.tiles.layers["land"].bounds.unwrap();
    let lo = TileCoord::containing(z, b[0], b[3]).unwrap();
    let hi = TileCoord::containing(z, b[2], b[1]).unwrap();
    (lo.x()..=hi.x())
        .flat_map(|x| (lo.y()..=hi.y()).map(move |y| TileCoord::new(z, x, y).unwrap()))
        .collect()
}

fn tiles(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/geojson");
    let state = redgrid::state_for_dir(&dir, Profile::Internal, Default::default()).unwrap();
    for layer in ["grids", "buildings"] {
        for z in [14, 15, 16] {
            let found = &state.tiles.layers[layer];
            let coords: Vec<TileCoord> = district_tiles(&state, z)
                .into_iter()
                .filter(|&t| found.tile(t).unwrap().is_some())
                .collect();
            let mut group = c.benchmark_group(format!("encode {layer}"));
            group.throughput(Throughput::Elements(coords.len() as u64));
            group.sample_size(10);
            group.bench_function(format!("z{z}, {} tiles", coords.len()), |b| {
                b.iter(|| {
                    for &t in &coords {
                        black_box(found.tile(t).unwrap());
                    }
                })
            });
            group.finish();
        }
    }
    let app = redgrid::app(state.clone());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let t = TileCoord::containing(15, 121.40, 37.535).unwrap();
    let uri = format!("/tiles/buildings/15/{}/{}.mvt", t.x(), t.y());
    c.bench_function("cached buildings tile through the router", |b| {
        b.iter(|| {
            let request = axum::http::Request::get(&uri)
                .body(axum::body::Body::empty())
                .unwrap();
            let response = runtime.block_on(app.clone().oneshot(request)).unwrap();
            assert_eq!(response.status(), 200);
            black_box(response)
        })
    });
}

criterion_group!(benches, tiles);
criterion_main!(benches);
