//! `redgrid export-pmtiles`: every tile layer, all layers in each tile, for a range
//! of zooms over the district, into one PMTiles v3 archive for static hosting
//! (tiles gzip-compressed, identical tiles stored once, written in tile-id order).

use std::path::Path;

use pmtiles::{PmTilesWriter, TileCoord as PmCoord, TileId, TileType};
use redgrid_tiles::{Layer, TileCoord};
use serde_json::json;

use super::TileSet;

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub tiles: usize,
    /// Tiles per zoom.
    pub per_zoom: Vec<(u8, usize)>,
    pub largest_bytes: usize,
}

/// The tiles at `z` over `[min_lon, min_lat, max_lon, max_lat]`.
fn covering(z: u8, b: [f64; 4]) -> Vec<TileCoord> {
    let (Ok(lo), Ok(hi)) = (
        TileCoord::containing(u32::from(z), b[0], b[3]),
        TileCoord::containing(u32::from(z), b[2], b[1]),
    ) else {
        return Vec::new();
    };
    (lo.x()..=hi.x())
        .flat_map(|x| {
            (lo.y()..=hi.y()).filter_map(move |y| TileCoord::new(u32::from(z), x, y).ok())
        })
        .collect()
}

/// Writes zooms `zooms` of `set` over its land to `out`.
pub fn write(
    set: &TileSet,
    out: &Path,
    zooms: std::ops::RangeInclusive<u8>,
    attribution: &str,
) -> Result<Written, String> {
    let bounds = set
        .layers
        .get("land")
        .and_then(|l| l.bounds)
        .or_else(|| set.layers.values().find_map(|l| l.bounds))
        .ok_or("nothing to export: no layer has any feature")?;
    let parts: Vec<&Layer> = set.layers.values().flat_map(|l| l.parts.iter()).collect();
    let vector_layers: Vec<_> = set
        .layers
        .values()
        .map(|l| {
            let fields: serde_json::Map<String, serde_json::Value> = l
                .fields
                .iter()
                .map(|(n, k)| ((*n).to_owned(), json!(k)))
                .collect();
            json!({"id": l.id, "fields": fields, "minzoom": l.min_zoom(), "maxzoom": l.max_zoom()})
        })
        .collect();
    let metadata = json!({
        "name": "RedGrid",
        "attribution": attribution,
        "vector_layers": vector_layers,
        "versions": set.layers.values().map(|l| (l.id, l.version.clone())).collect::<std::collections::BTreeMap<_, _>>(),
    });
    let file =
        std::fs::File::create(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let (min_zoom, max_zoom) = (*zooms.start(), *zooms.end());
    let mut writer = PmTilesWriter::new(TileType::Mvt)
        .min_zoom(min_zoom)
        .max_zoom(max_zoom)
        .bounds(bounds[0], bounds[1], bounds[2], bounds[3])
        .center((bounds[0] + bounds[2]) / 2.0, (bounds[1] + bounds[3]) / 2.0)
        .center_zoom(min_zoom.max(12).min(max_zoom))
        .metadata(metadata.to_string())
        .create(std::io::BufWriter::new(file))
        .map_err(|e| e.to_string())?;
    let mut coords: Vec<(u64, TileCoord)> = zooms
        .flat_map(|z| covering(z, bounds))
        .filter_map(|c| {
            let pm = PmCoord::new(c.z(), c.x(), c.y()).ok()?;
            Some((u64::from(TileId::from(pm)), c))
        })
        .collect();
    coords.sort_unstable_by_key(|(id, _)| *id);
    let mut written = Written {
        tiles: 0,
        per_zoom: (min_zoom..=max_zoom).map(|z| (z, 0)).collect(),
        largest_bytes: 0,
    };
    for (_, c) in coords {
        let Some(bytes) = redgrid_tiles::encode_tile(&parts, c).map_err(|e| e.to_string())? else {
            continue;
        };
        let pm = PmCoord::new(c.z(), c.x(), c.y()).map_err(|e| e.to_string())?;
        writer.add_tile(pm, &bytes).map_err(|e| e.to_string())?;
        written.tiles += 1;
        written.largest_bytes = written.largest_bytes.max(bytes.len());
        if let Some(entry) = written.per_zoom.iter_mut().find(|(z, _)| *z == c.z()) {
            entry.1 += 1;
        }
    }
    writer.finalize().map_err(|e| e.to_string())?;
    Ok(written)
}
