//! Cold tile latency through the whole router on the demo district: every tile of
//! every layer over the district at zooms 10–16 requested once, first time (so each
//! is encoded), and the p50, p99 and worst per zoom; then the largest tile of each
//! layer. Timings belong here, not in tests.
//!
//!     cargo run --release -p redgrid --example tile_latency

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::Instant;

use redgrid::config::Profile;
use redgrid_tiles::TileCoord;
use tower::ServiceExt;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/geojson");
    let state = redgrid::state_for_dir(&dir, Profile::Internal, Default::default()).unwrap();
    let app = redgrid::app(state.clone());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let b = state.tiles.layers["land"].bounds.unwrap();
    let layers: Vec<&'static str> = state.tiles.layers.keys().copied().collect();
    let mut largest: std::collections::BTreeMap<&str, (usize, String)> = Default::default();
    for z in 10..=16u32 {
        let lo = TileCoord::containing(z, b[0], b[3]).unwrap();
        let hi = TileCoord::containing(z, b[2], b[1]).unwrap();
        let mut times = Vec::new();
        for layer in &layers {
            for x in lo.x()..=hi.x() {
                for y in lo.y()..=hi.y() {
                    let uri = format!("/tiles/{layer}/{z}/{x}/{y}.mvt");
                    let started = Instant::now();
                    let response = runtime.block_on(async {
                        let request = axum::http::Request::get(&uri)
                            .body(axum::body::Body::empty())
                            .unwrap();
                        let response = app.clone().oneshot(request).await.unwrap();
                        axum::body::to_bytes(response.into_body(), usize::MAX)
                            .await
                            .unwrap()
                    });
                    times.push(started.elapsed().as_secs_f64() * 1_000.0);
                    let entry = largest.entry(layer).or_insert((0, String::new()));
                    if response.len() > entry.0 {
                        *entry = (response.len(), format!("z{z}"));
                    }
                }
            }
        }
        times.sort_by(f64::total_cmp);
        let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        println!(
            "z{z:<2} cold, {:6} requests: p50 {:6.2} ms  p99 {:6.2} ms  max {:6.2} ms",
            times.len(),
            at(0.5),
            at(0.99),
            at(1.0)
        );
    }
    for (layer, (bytes, z)) in largest {
        println!(
            "largest {layer:12} {:8.1} KB at {z}",
            bytes as f64 / 1_000.0
        );
    }
}
