//! Consistency checks across layers at load: unique ids and references that
//! resolve. Every problem is found before the dataset is refused.

use std::collections::HashSet;

use super::Dataset;
use super::entrances::entrance_problem;
use crate::error::{Error, Problem, Result};
use crate::model::{Entrance, Feature, HasId, Id};

pub fn references(ds: &Dataset) -> Result<()> {
    let mut problems = Vec::new();
    unique(&mut problems, "streets.geojson", &ds.streets);
    unique(&mut problems, "communities.geojson", &ds.communities);
    unique(&mut problems, "grids.geojson", &ds.grids);
    unique(&mut problems, "compounds.geojson", &ds.compounds);
    unique(&mut problems, "buildings.geojson", &ds.buildings);
    unique(&mut problems, "sites.geojson", &ds.sites);

    let ids = ds.ids();
    let mut refer = |file: &str, index: usize, field: &str, id: &Id, known: bool| {
        if !known {
            problems.push(
                Problem::feature(file, index, format!("property `{field}`: unknown id {id}"))
                    .with_field(field),
            );
        }
    };
    for (i, c) in ds.communities.iter().enumerate() {
        let s = &c.props.street_id;
        refer(
            "communities.geojson",
            i,
            "street_id",
            s,
            ids.streets.contains_key(s),
        );
    }
    for (i, g) in ds.grids.iter().enumerate() {
        let c = &g.props.community_id;
        refer(
            "grids.geojson",
            i,
            "community_id",
            c,
            ids.communities.contains_key(c),
        );
    }
    for (i, c) in ds.compounds.iter().enumerate() {
        let g = &c.props.grid_id;
        refer(
            "compounds.geojson",
            i,
            "grid_id",
            g,
            ids.grids.contains_key(g),
        );
    }
    for (i, b) in ds.buildings.iter().enumerate() {
        let g = &b.props.grid_id;
        refer(
            "buildings.geojson",
            i,
            "grid_id",
            g,
            ids.grids.contains_key(g),
        );
        if let Some(c) = &b.props.compound_id {
            refer(
                "buildings.geojson",
                i,
                "compound_id",
                c,
                ids.compounds.contains_key(c),
            );
        }
    }
    let mut entrances = Vec::new();
    let mut entrance = |file: &str, index: usize, e: &Entrance, own: Option<&Id>| {
        if let Some(reason) = entrance_problem(ds, e, own) {
            entrances.push(
                Problem::feature(file, index, format!("property `entrance`: {reason}"))
                    .with_field("entrance"),
            );
        }
    };
    for (i, b) in ds.buildings.iter().enumerate() {
        if let Some(e) = &b.props.entrance {
            entrance("buildings.geojson", i, e, b.props.compound_id.as_ref());
        }
    }
    for (i, s) in ds.sites.iter().enumerate() {
        if let Some(e) = &s.props.entrance {
            entrance("sites.geojson", i, e, None);
        }
    }
    for (i, s) in ds.sites.iter().enumerate() {
        if let Some(h) = &s.props.host_site_id {
            refer(
                "sites.geojson",
                i,
                "host_site_id",
                h,
                ids.sites.contains_key(h),
            );
        }
        for c in &s.props.paired_community_ids {
            refer(
                "sites.geojson",
                i,
                "paired_community_ids",
                c,
                ids.communities.contains_key(c),
            );
        }
    }
    for (i, w) in ds.workers.iter().enumerate() {
        for g in &w.grid_ids {
            refer("workers.json", i, "grid_ids", g, ids.grids.contains_key(g));
        }
    }
    for (i, h) in ds.building_heads.iter().enumerate() {
        for b in &h.building_ids {
            refer(
                "building_heads.json",
                i,
                "building_ids",
                b,
                ids.buildings.contains_key(b),
            );
        }
    }
    problems.extend(entrances);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

fn unique<P: HasId, G>(problems: &mut Vec<Problem>, file: &str, features: &[Feature<P, G>]) {
    let mut seen = HashSet::new();
    for (index, f) in features.iter().enumerate() {
        if !seen.insert(f.id()) {
            problems.push(
                Problem::feature(file, index, format!("duplicate id {}", f.id())).with_field("id"),
            );
        }
    }
}
