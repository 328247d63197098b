//! Encode → decode round trips with an independent decoder (`mvt-reader`): geometry
//! within half a pixel of the source, winding per MVT 2.1, shared borders identical,
//! collapsed rings dropped, properties kept.

use geo::{Coord, Distance, Euclidean, Geometry, LineString, MultiPolygon, Polygon};

use super::*;

/// A 256-pixel tile is 4096 units: 16 units a pixel.
const UNITS_PER_PIXEL: f64 = 16.0;

fn ring(points: &[(f64, f64)]) -> LineString<f64> {
    LineString::from(points.to_vec())
}

/// A lon/lat box.
fn square(lon: f64, lat: f64, d: f64) -> Polygon<f64> {
    Polygon::new(
        ring(&[
            (lon, lat),
            (lon + d, lat),
            (lon + d, lat + d),
            (lon, lat + d),
            (lon, lat),
        ]),
        Vec::new(),
    )
}

/// Decodes `bytes`: per layer name, its features.
fn decode(bytes: Vec<u8>) -> Vec<(String, Vec<mvt_reader::feature::Feature>)> {
    let reader = mvt_reader::Reader::new(bytes).unwrap();
    let names = reader.get_layer_names().unwrap();
    names
        .into_iter()
        .enumerate()
        .map(|(i, name)| (name, reader.get_features(i).unwrap()))
        .collect()
}

/// Tile units → Web Mercator metres for `coord`.
fn unproject(coord: TileCoord, c: Coord<f32>) -> [f64; 2] {
    let [min_x, _, max_x, max_y] = coord.mercator_bounds();
    let size = (max_x - min_x) / f64::from(EXTENT);
    [min_x + f64::from(c.x) * size, max_y - f64::from(c.y) * size]
}

fn polygons(g: &geo::Geometry<f32>) -> Vec<geo::Polygon<f32>> {
    match g {
        geo::Geometry::Polygon(p) => vec![p.clone()],
        geo::Geometry::MultiPolygon(m) => m.0.clone(),
        other => panic!("not polygonal: {other:?}"),
    }
}

#[test]
fn a_polygon_with_a_hole_comes_back_within_half_a_pixel() {
    let outer = ring(&[
        (121.380, 37.530),
        (121.386, 37.530),
        (121.387, 37.535),
        (121.381, 37.536),
        (121.380, 37.530),
    ]);
    let hole = ring(&[
        (121.382, 37.532),
        (121.382, 37.533),
        (121.384, 37.533),
        (121.384, 37.532),
        (121.382, 37.532),
    ]);
    let source = Geometry::Polygon(Polygon::new(outer, vec![hole]));
    let feature = Feature::from_lon_lat(
        Some(7),
        &source,
        vec![
            ("code".to_owned(), Value::Text("370602001001001".to_owned())),
            ("population".to_owned(), Value::Int(1234)),
        ],
    );
    let mercator = feature.geometry.clone();
    let layer = Layer::new("grids", 0..=22, vec![feature]);
    for z in [12, 14, 16] {
        let coord = TileCoord::containing(z, 121.383, 37.533).unwrap();
        let bytes = encode_tile(&[&layer], coord)
            .unwrap()
            .expect("the tile holds the grid");
        let layers = decode(bytes);
        assert_eq!(layers.len(), 1);
        let (name, features) = &layers[0];
        assert_eq!(name, "grids");
        assert_eq!(features.len(), 1);
        let f = &features[0];
        assert_eq!(f.id, Some(7));
        let props = f.properties.as_ref().unwrap();
        assert_eq!(
            props["code"],
            mvt_reader::feature::Value::String("370602001001001".to_owned())
        );
        let found = polygons(&f.geometry);
        assert_eq!(found.len(), 1, "z{z}");
        assert_eq!(found[0].interiors().len(), 1, "the hole is a hole at z{z}");
        // Every decoded vertex lies within half a pixel of the source outline, but
        // those the clip put on the buffer's edge.
        let Geometry::Polygon(src) = &mercator else {
            unreachable!()
        };
        let metres_per_pixel = (coord.mercator_bounds()[2] - coord.mercator_bounds()[0])
            / f64::from(EXTENT)
            * UNITS_PER_PIXEL;
        for decoded in std::iter::once(found[0].exterior()).chain(found[0].interiors()) {
            let edge = [-BUFFER, f64::from(EXTENT) + BUFFER];
            for c in decoded.coords() {
                if edge.contains(&f64::from(c.x)) || edge.contains(&f64::from(c.y)) {
                    continue;
                }
                let p = geo::Point::from(unproject(coord, *c));
                let d = std::iter::once(src.exterior())
                    .chain(src.interiors())
                    .map(|r| Euclidean.distance(&p, r))
                    .fold(f64::INFINITY, f64::min);
                assert!(
                    d <= metres_per_pixel / 2.0,
                    "z{z}: {d} m off, a pixel is {metres_per_pixel} m"
                );
            }
        }
    }
}

#[test]
fn rings_wind_as_mvt_2_1_requires() {
    // Source rings wound the "wrong" way for tiles both ways round.
    let cw = square(121.38, 37.53, 0.004);
    let ccw = Polygon::new(cw.exterior().0.iter().rev().copied().collect(), Vec::new());
    for p in [cw, ccw] {
        let layer = Layer::new(
            "l",
            0..=22,
            vec![Feature::from_lon_lat(
                None,
                &Geometry::Polygon(p),
                Vec::new(),
            )],
        );
        let coord = TileCoord::containing(15, 121.382, 37.532).unwrap();
        let bytes = encode_tile(&[&layer], coord).unwrap().unwrap();
        // Read the raw commands: the exterior's surveyor area in tile units is positive.
        let found = polygons(&decode(bytes)[0].1[0].geometry);
        let ring: Vec<Coord<f32>> = found[0].exterior().0.clone();
        let area: f64 = ring
            .windows(2)
            .map(|w| f64::from(w[0].x) * f64::from(w[1].y) - f64::from(w[1].x) * f64::from(w[0].y))
            .sum();
        assert!(area > 0.0, "{area}");
    }
}

#[test]
fn neighbours_share_their_border_vertex_for_vertex() {
    // Two grids sharing a jagged border of many vertices.
    let border: Vec<(f64, f64)> = (0..=40)
        .map(|i| {
            (
                121.38 + 0.0001 * f64::from(i),
                37.532 + if i % 2 == 0 { 0.0 } else { 0.00003 },
            )
        })
        .collect();
    let mut south = vec![(121.38, 37.528)];
    south.extend(border.iter().copied());
    south.extend([(121.384, 37.528), (121.38, 37.528)]);
    let mut north = vec![(121.38, 37.536), (121.384, 37.536)];
    north.extend(border.iter().rev().copied());
    north.push((121.38, 37.536));
    let features = [south, north]
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            Feature::from_lon_lat(
                Some(i as u64),
                &Geometry::Polygon(Polygon::new(ring(&r), Vec::new())),
                Vec::new(),
            )
        })
        .collect();
    let layer = Layer::new("grids", 0..=22, features);
    for z in [10, 13, 16] {
        let coord = TileCoord::containing(z, 121.382, 37.532).unwrap();
        let decoded = decode(encode_tile(&[&layer], coord).unwrap().unwrap());
        let rings: Vec<Vec<(i64, i64)>> = decoded[0]
            .1
            .iter()
            .map(|f| {
                polygons(&f.geometry)[0]
                    .exterior()
                    .0
                    .iter()
                    .map(|c| (c.x as i64, c.y as i64))
                    .collect()
            })
            .collect();
        assert_eq!(rings.len(), 2, "z{z}");
        let shared = rings[0].iter().filter(|p| rings[1].contains(p)).count();
        assert!(shared >= 2, "z{z}");
        let only_south: usize = rings[0].iter().filter(|p| !rings[1].contains(p)).count();
        let only_north: usize = rings[1].iter().filter(|p| !rings[0].contains(p)).count();
        // Besides the shared border, each has only its own two far corners (and the
        // closing point the decoder repeats).
        assert!(
            only_south <= 3 && only_north <= 3,
            "z{z}: {only_south} {only_north}"
        );
    }
}

#[test]
fn what_collapses_or_lies_elsewhere_is_dropped() {
    // A 1 m building at zoom 10 is far below one tile unit (≈ 38 m).
    let tiny = Feature::from_lon_lat(
        None,
        &Geometry::Polygon(square(121.38, 37.53, 0.00001)),
        Vec::new(),
    );
    let layer = Layer::new("buildings", 0..=22, vec![tiny]);
    assert!(
        encode_tile(&[&layer], TileCoord::containing(10, 121.38, 37.53).unwrap())
            .unwrap()
            .is_none()
    );
    assert!(
        encode_tile(&[&layer], TileCoord::containing(18, 121.38, 37.53).unwrap())
            .unwrap()
            .is_some()
    );
    // Below the layer's minimum zoom, and in a tile elsewhere, nothing.
    let big = Feature::from_lon_lat(
        None,
        &Geometry::MultiPolygon(MultiPolygon::new(vec![square(121.38, 37.53, 0.01)])),
        Vec::new(),
    );
    let layer = Layer::new("buildings", 14..=22, vec![big]);
    assert!(
        encode_tile(
            &[&layer],
            TileCoord::containing(13, 121.385, 37.535).unwrap()
        )
        .unwrap()
        .is_none()
    );
    assert!(
        encode_tile(
            &[&layer],
            TileCoord::containing(14, 121.385, 37.535).unwrap()
        )
        .unwrap()
        .is_some()
    );
    assert!(
        encode_tile(&[&layer], TileCoord::containing(14, 100.0, 30.0).unwrap())
            .unwrap()
            .is_none()
    );
}

#[test]
fn lines_and_points_are_clipped_to_the_buffered_tile() {
    let road = Geometry::LineString(LineString::from(vec![(121.30, 37.53), (121.50, 37.53)]));
    let site = Geometry::Point(geo::Point::new(121.383, 37.531));
    let layer = Layer::new(
        "roads",
        0..=22,
        vec![
            Feature::from_lon_lat(
                None,
                &road,
                vec![("highway".to_owned(), Value::Text("primary".to_owned()))],
            ),
            Feature::from_lon_lat(None, &site, Vec::new()),
        ],
    );
    let coord = TileCoord::containing(15, 121.383, 37.531).unwrap();
    let decoded = decode(encode_tile(&[&layer], coord).unwrap().unwrap());
    let features = &decoded[0].1;
    assert_eq!(features.len(), 2);
    let geo::Geometry::LineString(line) = &features[0].geometry else {
        panic!("{:?}", features[0].geometry)
    };
    for c in line.coords() {
        assert!(f64::from(c.x) >= -BUFFER && f64::from(c.x) <= f64::from(EXTENT) + BUFFER);
    }
    assert!(matches!(
        features[1].geometry,
        geo::Geometry::Point(_) | geo::Geometry::MultiPoint(_)
    ));
}
