//! Where buildings and sites are walked from: their `entrance` when they carry one
//! (a point, or a compound's gate), else their centroid or point; and the check
//! that every gate an entrance names exists.

use geo::{Centroid, Point};

use super::Dataset;
use crate::model::{Entrance, Id};

impl Dataset {
    /// The point building `index`'s residents walk from, lon/lat.
    pub fn building_walk_point(&self, index: usize) -> Option<Point<f64>> {
        let b = &self.buildings[index];
        b.props
            .entrance
            .as_ref()
            .and_then(|e| self.entrance_point(e, b.props.compound_id.as_ref()))
            .or_else(|| b.geometry.centroid())
    }

    /// The point site `index`'s visitors walk to, lon/lat.
    pub fn site_walk_point(&self, index: usize) -> Point<f64> {
        let s = &self.sites[index];
        s.props
            .entrance
            .as_ref()
            .and_then(|e| self.entrance_point(e, None))
            .unwrap_or(s.geometry)
    }

    /// Every building's walk point, `[lon, lat]`.
    pub fn building_walk_points(&self) -> Vec<Option<[f64; 2]>> {
        (0..self.buildings.len())
            .map(|i| self.building_walk_point(i).map(|p| [p.x(), p.y()]))
            .collect()
    }

    fn entrance_point(&self, entrance: &Entrance, own: Option<&Id>) -> Option<Point<f64>> {
        match entrance {
            Entrance::At([lon, lat]) => Some(Point::new(*lon, *lat)),
            Entrance::Gate { compound_id, gate } => {
                let id = compound_id.as_ref().or(own)?;
                let compound = &self.compounds[*self.ids().compounds.get(id)?];
                compound
                    .props
                    .gates
                    .get(*gate)
                    .map(|&[lon, lat]| Point::new(lon, lat))
            }
        }
    }
}

/// What is wrong with an entrance of a feature whose own compound, if any, is `own`.
pub fn entrance_problem(ds: &Dataset, entrance: &Entrance, own: Option<&Id>) -> Option<String> {
    match entrance {
        Entrance::At([lon, lat]) => (!((-180.0..=180.0).contains(lon)
            && (-90.0..=90.0).contains(lat)))
        .then(|| format!("not a longitude and latitude: [{lon}, {lat}]")),
        Entrance::Gate { compound_id, gate } => {
            let Some(id) = compound_id.as_ref().or(own) else {
                return Some("a gate needs a compound_id".to_owned());
            };
            let Some(&c) = ds.ids().compounds.get(id) else {
                return Some(format!("unknown id {id}"));
            };
            let gates = ds.compounds[c].props.gates.len();
            (*gate >= gates).then(|| format!("no gate {gate} of compound {id} (it has {gates})"))
        }
    }
}
