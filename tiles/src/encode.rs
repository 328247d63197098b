//! One tile: search each layer, clip to the tile with a buffer, quantize to the
//! tile's 4096 units, and encode (the `mvt` crate writes the protobuf). There is no
//! simplification below the quantum, so polygons sharing a border quantize its
//! vertices identically and neighbours never open cracks. Rings that collapse to no
//! area are dropped; exterior rings get positive area in tile coordinates (y down)
//! and holes negative, as MVT 2.1 requires.

use geo::{Geometry, LineString, Polygon};
use mvt::{GeomEncoder, GeomType, Tile};

use crate::clip::{self, Bounds};
use crate::coord::TileCoord;
use crate::source::{Feature, Layer, Value};

/// Tile units per side.
pub const EXTENT: u32 = 4096;
/// Clip buffer beyond the tile's edge, tile units.
pub const BUFFER: f64 = 64.0;

#[derive(Debug, thiserror::Error)]
#[error("tile encoding failed: {0}")]
pub struct EncodeError(String);

/// Web Mercator → tile units for one tile.
struct ToTile {
    min_x: f64,
    max_y: f64,
    scale: f64,
}

impl ToTile {
    fn of(coord: TileCoord) -> Self {
        let [min_x, _, max_x, max_y] = coord.mercator_bounds();
        Self {
            min_x,
            max_y,
            scale: f64::from(EXTENT) / (max_x - min_x),
        }
    }

    fn point(&self, x: f64, y: f64) -> [f64; 2] {
        [(x - self.min_x) * self.scale, (self.max_y - y) * self.scale]
    }

    fn line(&self, l: &LineString<f64>) -> Vec<[f64; 2]> {
        l.0.iter().map(|c| self.point(c.x, c.y)).collect()
    }
}

const CLIP: Bounds = [
    -BUFFER,
    -BUFFER,
    EXTENT as f64 + BUFFER,
    EXTENT as f64 + BUFFER,
];

/// Rounds to whole units and drops repeated points.
fn quantize(points: &[[f64; 2]]) -> Vec<[i64; 2]> {
    let mut out: Vec<[i64; 2]> = Vec::with_capacity(points.len());
    for p in points {
        let q = [p[0].round() as i64, p[1].round() as i64];
        if out.last() != Some(&q) {
            out.push(q);
        }
    }
    out
}

/// Twice the signed area by the surveyor's formula, tile units.
fn area_2(ring: &[[i64; 2]]) -> i64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a[0] * b[1] - b[0] * a[1]
        })
        .sum()
}

/// A ring clipped, quantized and wound: exterior positive, hole negative; `None`
/// when it has no area left.
fn tile_ring(to: &ToTile, ring: &LineString<f64>, exterior: bool) -> Option<Vec<[i64; 2]>> {
    let mut q = quantize(&clip::ring(&to.line(ring), CLIP));
    if q.len() > 1 && q.first() == q.last() {
        q.pop();
    }
    if q.len() < 3 {
        return None;
    }
    let a = area_2(&q);
    if a == 0 {
        return None;
    }
    if (a > 0) != exterior {
        q.reverse();
    }
    Some(q)
}

fn polygon_rings(to: &ToTile, p: &Polygon<f64>) -> Vec<Vec<[i64; 2]>> {
    let Some(exterior) = tile_ring(to, p.exterior(), true) else {
        return Vec::new();
    };
    std::iter::once(exterior)
        .chain(p.interiors().iter().filter_map(|r| tile_ring(to, r, false)))
        .collect()
}

/// The encoded geometry of a feature in this tile, if any of it is in.
fn geometry(to: &ToTile, g: &Geometry<f64>) -> Result<Option<mvt::GeomData>, mvt::Error> {
    let encode_rings = |rings: Vec<Vec<[i64; 2]>>| -> Result<Option<mvt::GeomData>, mvt::Error> {
        if rings.is_empty() {
            return Ok(None);
        }
        let mut e = GeomEncoder::new(GeomType::Polygon);
        for ring in rings {
            for p in ring {
                e.add_point(p[0] as f64, p[1] as f64)?;
            }
            e.complete_geom()?;
        }
        e.encode().map(Some)
    };
    let encode_lines = |lines: Vec<Vec<[i64; 2]>>| -> Result<Option<mvt::GeomData>, mvt::Error> {
        let lines: Vec<_> = lines.into_iter().filter(|l| l.len() > 1).collect();
        if lines.is_empty() {
            return Ok(None);
        }
        let mut e = GeomEncoder::new(GeomType::Linestring);
        for line in lines {
            for p in line {
                e.add_point(p[0] as f64, p[1] as f64)?;
            }
            e.complete_geom()?;
        }
        e.encode().map(Some)
    };
    match g {
        Geometry::Point(p) => {
            let t = to.point(p.x(), p.y());
            if !clip::contains(CLIP, t) {
                return Ok(None);
            }
            let q = quantize(&[t])[0];
            GeomEncoder::new(GeomType::Point)
                .point(q[0] as f64, q[1] as f64)?
                .encode()
                .map(Some)
        }
        Geometry::LineString(l) => encode_lines(
            clip::line(&to.line(l), CLIP)
                .iter()
                .map(|piece| quantize(piece))
                .collect(),
        ),
        Geometry::MultiLineString(m) => encode_lines(
            m.0.iter()
                .flat_map(|l| clip::line(&to.line(l), CLIP))
                .map(|piece| quantize(&piece))
                .collect(),
        ),
        Geometry::Polygon(p) => encode_rings(polygon_rings(to, p)),
        Geometry::MultiPolygon(m) => {
            encode_rings(m.0.iter().flat_map(|p| polygon_rings(to, p)).collect())
        }
        _ => Ok(None),
    }
}

fn add_properties(feature: &mut mvt::Feature, source: &Feature) {
    if let Some(id) = source.id {
        feature.set_id(id);
    }
    for (key, value) in &source.properties {
        match value {
            Value::Text(t) => feature.add_tag_string(key, t),
            Value::Int(i) => feature.add_tag_sint(key, *i),
            Value::Double(d) => feature.add_tag_double(key, *d),
            Value::Bool(b) => feature.add_tag_bool(key, *b),
        }
    }
}

/// The tile `coord` of `layers` (those shown at its zoom); `None` when it holds no
/// feature at all. Layers of one name shown at different zooms share the name.
pub fn encode_tile(layers: &[&Layer], coord: TileCoord) -> Result<Option<Vec<u8>>, EncodeError> {
    let fail = |e: mvt::Error| EncodeError(e.to_string());
    let to = ToTile::of(coord);
    let [min_x, min_y, max_x, max_y] = coord.mercator_bounds();
    let pad = BUFFER / to.scale;
    let search = [min_x - pad, min_y - pad, max_x + pad, max_y + pad];
    let mut tile = Tile::new(EXTENT);
    let mut any = false;
    for layer in layers.iter().filter(|l| l.shown_at(coord.z())) {
        let mut out = tile.create_layer(&layer.name);
        for source in layer.within(search) {
            let Some(data) = geometry(&to, &source.geometry).map_err(fail)? else {
                continue;
            };
            let mut feature = out.into_feature(data);
            add_properties(&mut feature, source);
            out = feature.into_layer();
        }
        if out.num_features() > 0 {
            any = true;
            tile.add_layer(out).map_err(fail)?;
        }
    }
    if !any {
        return Ok(None);
    }
    tile.to_bytes().map(Some).map_err(fail)
}
