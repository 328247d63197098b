//! The demo district's vector tiles: decoded by an independent decoder
//! (`mvt-reader`), unprojected and compared with the source grids within half a
//! pixel; and the largest tile of every layer at zooms 8–14, printed and kept under
//! 500 KB, and so the tiles of the PMTiles export, which hold every layer at once
//! (`cargo test -p redgrid --test tiles -- --nocapture`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::LazyLock;

use geo::{Coord, Distance, Euclidean, MapCoords};
use redgrid::AppState;
use redgrid::config::Profile;
use redgrid_tiles::{EXTENT, TileCoord, lon_lat_to_mercator};

static DEMO: LazyLock<AppState> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/geojson");
    redgrid::state_for_dir(&dir, Profile::Internal, Default::default()).expect("demo loads")
});

/// The tiles at `z` over the district's land.
fn district_tiles(z: u32) -> Vec<TileCoord> {
    let b = DEMO.tiles.layers["land"].bounds.unwrap();
    let lo = TileCoord::containing(z, b[0], b[3]).unwrap();
    let hi = TileCoord::containing(z, b[2], b[1]).unwrap();
    (lo.x()..=hi.x())
        .flat_map(|x| (lo.y()..=hi.y()).map(move |y| TileCoord::new(z, x, y).unwrap()))
        .collect()
}

#[test]
fn grid_tiles_come_back_within_half_a_pixel_of_the_grids() {
    let ds = DEMO.store.dataset();
    let grids = &DEMO.tiles.layers["grids"];
    let mut checked = 0;
    for coord in district_tiles(14).into_iter().step_by(7) {
        let Some(bytes) = grids.tile(coord).unwrap() else {
            continue;
        };
        let reader = mvt_reader::Reader::new(bytes).unwrap();
        let [min_x, _, max_x, max_y] = coord.mercator_bounds();
        let unit = (max_x - min_x) / f64::from(EXTENT);
        let half_pixel_m = unit * 16.0 / 2.0;
        for feature in reader.get_features(0).unwrap() {
            let source = ds.grids[feature.id.unwrap() as usize]
                .geometry
                .map_coords(|c| {
                    let (x, y) = lon_lat_to_mercator(c.x, c.y);
                    Coord { x, y }
                });
            let polygons = match &feature.geometry {
                geo::Geometry::Polygon(p) => vec![p.clone()],
                geo::Geometry::MultiPolygon(m) => m.0.clone(),
                other => panic!("{other:?}"),
            };
            for polygon in polygons {
                for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                    for c in ring.coords() {
                        let edge = [
                            -redgrid_tiles::BUFFER as f32,
                            EXTENT as f32 + redgrid_tiles::BUFFER as f32,
                        ];
                        if edge.contains(&c.x) || edge.contains(&c.y) {
                            continue;
                        }
                        let p = geo::Point::new(
                            min_x + f64::from(c.x) * unit,
                            max_y - f64::from(c.y) * unit,
                        );
                        let d = source
                            .0
                            .iter()
                            .flat_map(|poly| {
                                std::iter::once(poly.exterior()).chain(poly.interiors())
                            })
                            .map(|r| Euclidean.distance(&p, r))
                            .fold(f64::INFINITY, f64::min);
                        assert!(d <= half_pixel_m, "{coord:?}: {d} m from its grid");
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 1_000, "{checked}");
}

#[test]
fn the_largest_tile_of_every_layer_stays_under_500_kb() {
    for z in [8, 10, 12, 14] {
        let tiles = district_tiles(z);
        let mut line = format!("z{z:<2} ({} tiles):", tiles.len());
        for (id, layer) in &DEMO.tiles.layers {
            let largest = tiles
                .iter()
                .filter_map(|&c| layer.tile(c).unwrap())
                .map(|t| t.len())
                .max()
                .unwrap_or(0);
            assert!(largest < 500_000, "{id} z{z}: {largest} bytes");
            line.push_str(&format!(" {id} {:.1} KB,", largest as f64 / 1_000.0));
        }
        println!("{}", line.trim_end_matches(','));
    }
}

#[test]
fn the_exported_tiles_holding_every_layer_stay_under_500_kb() {
    let out = std::env::temp_dir().join(format!("redgrid-combined-{}.pmtiles", std::process::id()));
    let written = redgrid::tileset::pmtiles::write(&DEMO.tiles, &out, 10..=13, "test");
    std::fs::remove_file(&out).unwrap();
    let written = written.unwrap();
    println!(
        "combined tiles z10–z13: {}, largest {:.1} KB",
        written.tiles,
        written.largest_bytes as f64 / 1_000.0
    );
    assert!(written.tiles > 50, "{written:?}");
    assert!(written.largest_bytes < 500_000, "{written:?}");
}
