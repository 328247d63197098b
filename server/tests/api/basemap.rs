//! A basemap under the layers: a raster PMTiles file served by us, refused when it
//! is in a shifted datum or holds vector tiles; and the PMTiles export read back by
//! the `pmtiles` reader, tile for tile.

use pmtiles::{PmTilesWriter, TileCoord as PmCoord, TileType};
use redgrid::basemap::{BasemapCrs, open};

use crate::common::{assert_problem, fixture_dir, get, send};

/// A tiny PNG-typed archive with two tiles.
fn raster_archive(path: &std::path::Path) {
    let file = std::fs::File::create(path).unwrap();
    let mut writer = PmTilesWriter::new(TileType::Png)
        .min_zoom(0)
        .max_zoom(1)
        .create(file)
        .unwrap();
    writer
        .add_tile(PmCoord::new(0, 0, 0).unwrap(), b"\x89PNG\r\n\x1a\nzero")
        .unwrap();
    writer
        .add_tile(PmCoord::new(1, 1, 0).unwrap(), b"\x89PNG\r\n\x1a\none")
        .unwrap();
    writer.finalize().unwrap();
}

#[tokio::test]
async fn a_raster_pmtiles_basemap_is_served_and_named_in_the_style() {
    let path = std::env::temp_dir().join(format!("redgrid-basemap-{}.pmtiles", std::process::id()));
    raster_archive(&path);
    let basemap = open(path.to_str().unwrap(), BasemapCrs::Cgcs2000)
        .await
        .unwrap();
    let state = redgrid::state_for_dir(
        &fixture_dir(),
        redgrid::config::Profile::Internal,
        Default::default(),
    )
    .unwrap()
    .with_basemap(basemap);
    let tile = send(&state, "GET", "/basemap/1/1/0", None).await;
    assert_eq!(tile.status, 200);
    assert_eq!(tile.content_type, "image/png");
    assert_eq!(tile.bytes, b"\x89PNG\r\n\x1a\none");
    assert_eq!(
        send(&state, "GET", "/basemap/1/0/1", None).await.status,
        204
    );
    assert_problem(
        &send(&state, "GET", "/basemap/1/2/0", None).await,
        400,
        None,
    );
    let style = send(&state, "GET", "/style.json", None).await;
    assert_eq!(
        style.json["sources"]["basemap"]["tiles"][0],
        "http://127.0.0.1:8080/basemap/{z}/{x}/{y}"
    );
    assert_eq!(style.json["layers"][1]["type"], "raster");
    // Without a basemap there is none to serve.
    assert_problem(&get("/basemap/0/0/0").await, 404, None);
    std::fs::remove_file(&path).unwrap();
}

#[tokio::test]
async fn shifted_datums_and_vector_archives_are_refused() {
    for crs in [BasemapCrs::Gcj02, BasemapCrs::Bd09] {
        let refused = open("https://tiles.example/{z}/{x}/{y}.png", crs)
            .await
            .unwrap_err();
        assert!(refused.contains("GCJ-02"), "{refused}");
    }
    let amap = open(
        "https://webrd01.is.autonavi.com/{z}/{x}/{y}",
        BasemapCrs::Wgs84,
    )
    .await
    .unwrap_err();
    assert!(amap.contains("autonavi.com"), "{amap}");
    assert!(
        open("/no/such/file.pmtiles", BasemapCrs::Wgs84)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn the_pmtiles_export_reads_back_tile_for_tile() {
    let state = redgrid::state_for_dir(
        &fixture_dir(),
        redgrid::config::Profile::Internal,
        Default::default(),
    )
    .unwrap();
    let path = std::env::temp_dir().join(format!(
        "redgrid-export-read-{}.pmtiles",
        std::process::id()
    ));
    let written = redgrid::tileset::pmtiles::write(&state.tiles, &path, 12..=15, "test").unwrap();
    assert!(written.tiles > 0);
    let reader = pmtiles::AsyncPmTilesReader::new_with_path(&path)
        .await
        .unwrap();
    assert_eq!(reader.get_header().tile_type, TileType::Mvt);
    let parts: Vec<&redgrid_tiles::Layer> = state
        .tiles
        .layers
        .values()
        .flat_map(|l| l.parts.iter())
        .collect();
    let mut compared = 0;
    for z in 12..=15u32 {
        let t = redgrid_tiles::TileCoord::containing(z, 121.385, 37.534).unwrap();
        let want = redgrid_tiles::encode_tile(&parts, t).unwrap().unwrap();
        let coord = PmCoord::new(t.z(), t.x(), t.y()).unwrap();
        let got = reader.get_tile_decompressed(coord).await.unwrap().unwrap();
        assert_eq!(got.to_vec(), want, "z{z}");
        compared += 1;
    }
    // A vector archive is no basemap.
    let refused = open(path.to_str().unwrap(), BasemapCrs::Wgs84)
        .await
        .unwrap_err();
    assert!(refused.contains("raster"), "{refused}");
    assert_eq!(compared, 4);
    std::fs::remove_file(&path).unwrap();
}
