//! An optional basemap under the district's layers, for intranets with their own:
//! a local raster PMTiles file, served by RedGrid at `/basemap/{z}/{x}/{y}`, or the
//! URL template of an intranet XYZ/WMTS-RESTful service (e.g. Tianditu on the
//! government network) that the viewer's browser fetches itself. The data are
//! WGS-84, so the basemap must be WGS-84 or CGCS2000 (the same to well under a metre
//! on a map); GCJ-02 and BD-09 tiles would sit hundreds of metres off and are
//! refused, by the declared datum and by the hosts known to serve them.

use std::path::Path;

use pmtiles::{AsyncPmTilesReader, MmapBackend, TileCoord, TileType};

/// The datum a basemap's tiles are drawn in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BasemapCrs {
    Wgs84,
    Cgcs2000,
    Gcj02,
    Bd09,
}

/// Hosts whose tiles are GCJ-02 or BD-09.
const SHIFTED_HOSTS: [&str; 8] = [
    "amap.com",
    "autonavi.com",
    "gaode.com",
    "map.qq.com",
    "gtimg.com",
    "map.baidu.com",
    "bdimg.com",
    "bdstatic.com",
];

/// A basemap in service.
pub enum Basemap {
    /// Tiles the browser fetches from this URL template.
    Url { template: String },
    /// A raster PMTiles file this server reads.
    Pmtiles {
        reader: Box<AsyncPmTilesReader<MmapBackend>>,
        content_type: &'static str,
        min_zoom: u8,
        max_zoom: u8,
    },
}

impl std::fmt::Debug for Basemap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Basemap::Url { template } => write!(f, "Basemap::Url({template})"),
            Basemap::Pmtiles { content_type, .. } => write!(f, "Basemap::Pmtiles({content_type})"),
        }
    }
}

/// Checks an XYZ/WMTS URL template: http(s), with {z} {x} {y}, not a shifted host.
pub fn check_url(template: &str) -> Result<(), String> {
    let rest = template
        .strip_prefix("https://")
        .or_else(|| template.strip_prefix("http://"))
        .ok_or_else(|| {
            format!("a basemap URL must start with http:// or https://, got {template:?}")
        })?;
    let host = rest
        .split(['/', '?', ':'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if let Some(shifted) = SHIFTED_HOSTS
        .iter()
        .find(|h| host == **h || host.ends_with(&format!(".{h}")))
    {
        return Err(format!(
            "{host} serves GCJ-02 or BD-09 tiles ({shifted}); under WGS-84 data they sit hundreds of metres off. Use a WGS-84 or CGCS2000 service such as Tianditu"
        ));
    }
    for part in ["{z}", "{x}", "{y}"] {
        if !template.contains(part) {
            return Err(format!(
                "a basemap URL template needs {{z}}, {{x}} and {{y}}; {part} is missing"
            ));
        }
    }
    Ok(())
}

/// Opens `source` (a `.pmtiles` path or a URL template) drawn in `crs`.
pub async fn open(source: &str, crs: BasemapCrs) -> Result<Basemap, String> {
    if matches!(crs, BasemapCrs::Gcj02 | BasemapCrs::Bd09) {
        return Err(
            "a GCJ-02 or BD-09 basemap would sit hundreds of metres off the WGS-84 data; give a WGS-84 or CGCS2000 one".to_owned(),
        );
    }
    if source.starts_with("http://") || source.starts_with("https://") {
        check_url(source)?;
        return Ok(Basemap::Url {
            template: source.to_owned(),
        });
    }
    let path = Path::new(source);
    let reader = AsyncPmTilesReader::new_with_path(path)
        .await
        .map_err(|e| format!("cannot read the basemap {}: {e}", path.display()))?;
    let header = reader.get_header();
    let content_type = match header.tile_type {
        TileType::Png => "image/png",
        TileType::Jpeg => "image/jpeg",
        TileType::Webp => "image/webp",
        TileType::Avif => "image/avif",
        other => {
            return Err(format!(
                "the basemap {} holds {other:?} tiles; a raster PMTiles (PNG, JPEG, WebP) is needed",
                path.display()
            ));
        }
    };
    Ok(Basemap::Pmtiles {
        content_type,
        min_zoom: header.min_zoom,
        max_zoom: header.max_zoom,
        reader: Box::new(reader),
    })
}

impl Basemap {
    /// A tile of a PMTiles basemap, with its content type; `None` when absent.
    pub async fn tile(
        &self,
        z: u8,
        x: u32,
        y: u32,
    ) -> Result<Option<(Vec<u8>, &'static str)>, String> {
        let Basemap::Pmtiles {
            reader,
            content_type,
            ..
        } = self
        else {
            return Ok(None);
        };
        let Ok(coord) = TileCoord::new(z, x, y) else {
            return Ok(None);
        };
        let tile = reader
            .get_tile_decompressed(coord)
            .await
            .map_err(|e| e.to_string())?;
        Ok(tile.map(|bytes| (bytes.to_vec(), *content_type)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_wgs84_services_with_a_full_template_are_taken() {
        assert!(
            check_url(
                "http://t0.tianditu.gov.cn/img_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
            )
            .is_ok()
        );
        assert!(check_url("https://tiles.intranet.example/{z}/{x}/{y}.png").is_ok());
        for shifted in [
            "https://webrd01.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}",
            "http://wprd01.amap.com/{z}/{x}/{y}",
            "https://maponline0.bdimg.com/tile/?qt=vtile&x={x}&y={y}&z={z}",
        ] {
            let refused = check_url(shifted).unwrap_err();
            assert!(refused.contains("GCJ-02"), "{refused}");
        }
        assert!(check_url("ftp://tiles/{z}/{x}/{y}").is_err());
        assert!(
            check_url("https://tiles.example/{z}/{x}.png")
                .unwrap_err()
                .contains("{y}")
        );
    }
}
