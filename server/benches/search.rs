//! Place search over the demo district's index (streets, communities, grids, sites,
//! compounds, roads and buildings): building it, and queries of each form.
//!
//!     cargo bench -p redgrid --bench search

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use redgrid::config::Profile;
use redgrid::search::SearchIndex;

fn search(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/geojson");
    let ds = redgrid::store::Dataset::load(&dir, Profile::Internal).unwrap();
    c.bench_function("search/build the demo index", |b| {
        b.iter(|| black_box(SearchIndex::build(&ds, true)))
    });
    let index = SearchIndex::build(&ds, true);
    println!("{} places", index.len());
    for query in ["向阳街道", "xyjd", "xiangyang jd", "德明街3号", "370602001"] {
        println!(
            "{query}: {} hits",
            index.search(query, None, usize::MAX).len()
        );
        c.bench_function(&format!("search/{query}"), |b| {
            b.iter(|| black_box(index.search(black_box(query), None, 10)))
        });
    }
}

criterion_group!(benches, search);
criterion_main!(benches);
