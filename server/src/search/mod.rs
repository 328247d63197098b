//! Place search for the map page: compounds, building addresses, roads, streets,
//! communities, grids (by name or code) and sites, found by Chinese text, full
//! pinyin, initials or a mix ([`spelling`]), ranked exact > prefix > initials > fuzzy.
//!
//! Every entry is spelled once when the index is built; a query is matched against
//! each entry's keys (its name first, then its code or address).

mod spelling;

use std::collections::BTreeMap;

use geo::{Centroid, Euclidean, Length};
use serde::Serialize;

use spelling::Spelling;
pub use spelling::{MatchKind, normalise};

use crate::store::Dataset;

/// What a result is, in the order results of equal match are listed.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    Street,
    Community,
    Grid,
    Site,
    Compound,
    Road,
    Building,
}

/// One place that can be found.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Place {
    pub kind: PlaceKind,
    pub id: String,
    pub name: String,
    /// What tells it apart: a site's kind and address, a community's street …
    pub detail: Option<String>,
    /// Where to put the map: a site's location, a label point inside an area, the
    /// middle of a road's longest stretch.
    pub lon: f64,
    pub lat: f64,
    /// The extent of an area or road, `[min_lon, min_lat, max_lon, max_lat]`.
    pub bbox: Option<[f64; 4]>,
}

/// A place found and how well it matched.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Hit {
    #[serde(flatten)]
    pub place: Place,
    #[serde(rename = "match")]
    pub matched: MatchKind,
}

struct Entry {
    place: Place,
    keys: Vec<Spelling>,
}

/// Every searchable place of a dataset.
#[derive(Default)]
pub struct SearchIndex {
    entries: Vec<Entry>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SearchIndex({} places)", self.entries.len())
    }
}

fn bbox_of(g: &impl geo::BoundingRect<f64, Output = Option<geo::Rect<f64>>>) -> Option<[f64; 4]> {
    g.bounding_rect()
        .map(|r| [r.min().x, r.min().y, r.max().x, r.max().y])
}

impl SearchIndex {
    /// The places of `ds`; streets, communities and grids only when `areas`.
    pub fn build(ds: &Dataset, areas: bool) -> Self {
        let mut index = Self::default();
        let ids = ds.ids();
        if areas {
            for s in &ds.streets {
                index.area(
                    PlaceKind::Street,
                    &s.props.id,
                    &s.props.name,
                    None,
                    &s.geometry,
                    &[],
                );
            }
            for c in &ds.communities {
                let street = ids
                    .streets
                    .get(&c.props.street_id)
                    .map(|&i| ds.streets[i].props.name.clone());
                index.area(
                    PlaceKind::Community,
                    &c.props.id,
                    &c.props.name,
                    street,
                    &c.geometry,
                    &[],
                );
            }
            for g in &ds.grids {
                let p = &g.props;
                let community = ids
                    .communities
                    .get(&p.community_id)
                    .map(|&i| ds.communities[i].props.name.clone());
                let name = p.name.clone().unwrap_or_else(|| p.code.as_str().to_owned());
                index.area(
                    PlaceKind::Grid,
                    &p.id,
                    &name,
                    community,
                    &g.geometry,
                    &[p.code.as_str()],
                );
            }
        }
        for s in &ds.sites {
            let p = &s.props;
            let detail = match &p.address {
                Some(a) => format!("{} · {a}", p.kind.label().0),
                None => p.kind.label().0.to_owned(),
            };
            let keys = std::iter::once(p.name.as_str()).chain(p.address.as_deref());
            index.entries.push(Entry {
                place: Place {
                    kind: PlaceKind::Site,
                    id: p.id.to_string(),
                    name: p.name.clone(),
                    detail: Some(detail),
                    lon: s.geometry.x(),
                    lat: s.geometry.y(),
                    bbox: None,
                },
                keys: keys.map(Spelling::new).collect(),
            });
        }
        for c in &ds.compounds {
            let p = &c.props;
            let extra: Vec<&str> = p.address.as_deref().into_iter().collect();
            index.area(
                PlaceKind::Compound,
                &p.id,
                &p.name,
                p.address.clone(),
                &c.geometry,
                &extra,
            );
        }
        index.roads(ds);
        for b in &ds.buildings {
            let p = &b.props;
            let compound = p
                .compound_id
                .as_ref()
                .and_then(|id| ids.compounds.get(id))
                .map(|&i| ds.compounds[i].props.name.clone());
            index.area(
                PlaceKind::Building,
                &p.id,
                &p.address,
                compound,
                &b.geometry,
                &[],
            );
        }
        index
    }

    fn area(
        &mut self,
        kind: PlaceKind,
        id: &impl ToString,
        name: &str,
        detail: Option<String>,
        geometry: &geo::MultiPolygon<f64>,
        extra_keys: &[&str],
    ) {
        let Some(point) = crate::geo::label_point(geometry) else {
            return;
        };
        self.entries.push(Entry {
            place: Place {
                kind,
                id: id.to_string(),
                name: name.to_owned(),
                detail,
                lon: point.x(),
                lat: point.y(),
                bbox: bbox_of(geometry),
            },
            keys: std::iter::once(name)
                .chain(extra_keys.iter().copied())
                .map(Spelling::new)
                .collect(),
        });
    }

    /// One place per road name: its edges' extent, placed at the middle of its
    /// longest edge.
    fn roads(&mut self, ds: &Dataset) {
        let mut by_name: BTreeMap<&str, Vec<&geo::LineString<f64>>> = BTreeMap::new();
        for e in &ds.network {
            if let Some(name) = e.props.name.as_deref().filter(|n| !n.trim().is_empty()) {
                by_name.entry(name).or_default().push(&e.geometry);
            }
        }
        for (name, lines) in by_name {
            let longest = lines
                .iter()
                .max_by(|a, b| Euclidean.length(**a).total_cmp(&Euclidean.length(**b)));
            let Some(middle) = longest.and_then(|l| l.centroid()) else {
                continue;
            };
            let all = geo::MultiLineString(lines.into_iter().cloned().collect());
            self.entries.push(Entry {
                place: Place {
                    kind: PlaceKind::Road,
                    id: name.to_owned(),
                    name: name.to_owned(),
                    detail: None,
                    lon: middle.x(),
                    lat: middle.y(),
                    bbox: bbox_of(&all),
                },
                keys: vec![Spelling::new(name)],
            });
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The best `limit` places for `query`, best first: by match, then whether the
    /// name (not an address or code) matched, shorter names, kind, name.
    pub fn search(&self, query: &str, kinds: Option<&[PlaceKind]>, limit: usize) -> Vec<Hit> {
        let q = normalise(query);
        let mut found: Vec<(MatchKind, usize, usize, &Entry)> = self
            .entries
            .iter()
            .filter(|e| kinds.is_none_or(|k| k.contains(&e.place.kind)))
            .filter_map(|e| {
                let (key, kind) = e
                    .keys
                    .iter()
                    .enumerate()
                    .filter_map(|(i, k)| Some((i.min(1), k.matches(&q)?)))
                    .min_by_key(|&(i, kind)| (kind, i))?;
                Some((kind, key, e.place.name.chars().count(), e))
            })
            .collect();
        found.sort_by(|a, b| {
            (a.0, a.1, a.2, a.3.place.kind, &a.3.place.name).cmp(&(
                b.0,
                b.1,
                b.2,
                b.3.place.kind,
                &b.3.place.name,
            ))
        });
        found
            .into_iter()
            .take(limit)
            .map(|(matched, _, _, e)| Hit {
                place: e.place.clone(),
                matched,
            })
            .collect()
    }
}
