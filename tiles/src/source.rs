//! A tile source: one layer's features in Web Mercator metres with their properties,
//! projected and indexed once (an R-tree of bounding boxes), so that each tile only
//! searches, clips and encodes.

use geo::{BoundingRect, Coord, Geometry, MapCoords};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use crate::coord::lon_lat_to_mercator;

/// A property value as MVT carries it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Int(i64),
    Double(f64),
    Bool(bool),
}

/// One feature: its geometry in Web Mercator metres, its id and its properties.
#[derive(Debug, Clone)]
pub struct Feature {
    pub id: Option<u64>,
    pub geometry: Geometry<f64>,
    pub properties: Vec<(String, Value)>,
}

impl Feature {
    /// A feature from WGS-84 lon/lat geometry.
    pub fn from_lon_lat(
        id: Option<u64>,
        geometry: &Geometry<f64>,
        properties: Vec<(String, Value)>,
    ) -> Self {
        let geometry = geometry.map_coords(|c| {
            let (x, y) = lon_lat_to_mercator(c.x, c.y);
            Coord { x, y }
        });
        Self {
            id,
            geometry,
            properties,
        }
    }
}

/// A named layer of features shown at zooms `min_zoom..=max_zoom`.
#[derive(Debug)]
pub struct Layer {
    pub name: String,
    pub min_zoom: u8,
    pub max_zoom: u8,
    pub features: Vec<Feature>,
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
}

impl Layer {
    pub fn new(
        name: impl Into<String>,
        zooms: std::ops::RangeInclusive<u8>,
        features: Vec<Feature>,
    ) -> Self {
        let boxes = features
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let r = f.geometry.bounding_rect()?;
                let rect = Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
                Some(GeomWithData::new(rect, i))
            })
            .collect();
        Self {
            name: name.into(),
            min_zoom: *zooms.start(),
            max_zoom: *zooms.end(),
            features,
            tree: RTree::bulk_load(boxes),
        }
    }

    /// The features whose bounding boxes meet `[min_x, min_y, max_x, max_y]`, in
    /// data order.
    pub fn within(&self, bounds: [f64; 4]) -> Vec<&Feature> {
        let envelope = AABB::from_corners([bounds[0], bounds[1]], [bounds[2], bounds[3]]);
        let mut found: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(&envelope)
            .map(|g| g.data)
            .collect();
        found.sort_unstable();
        found.into_iter().map(|i| &self.features[i]).collect()
    }

    /// Whether the layer is shown at zoom `z`.
    pub fn shown_at(&self, z: u8) -> bool {
        (self.min_zoom..=self.max_zoom).contains(&z)
    }

    /// The extent of all features, Web Mercator metres; `None` when empty.
    pub fn extent(&self) -> Option<[f64; 4]> {
        (self.tree.size() > 0).then(|| {
            let e = self.tree.root().envelope();
            [e.lower()[0], e.lower()[1], e.upper()[0], e.upper()[1]]
        })
    }
}
