//! The topology an import must keep, measured in square metres on a local
//! projection: valid polygons; every area and site on the district's land; each
//! area inside its parent (street ⊃ community ⊃ grid ⊃ compound, building); areas
//! of one parent not overlapping and together covering it. A discrepancy larger
//! than the tolerance refuses the import; a smaller one (slivers where boundaries
//! were drawn separately) is reported and kept. Land in no street is only reported.

use std::collections::HashMap;

use geo::{Area, BooleanOps, BoundingRect, Contains, MapCoords, MultiPolygon, Validation};

use super::Dataset;
use crate::error::Problem;
use crate::geo::LocalProjection;
use crate::model::Id;

/// The default tolerance, m².
pub const DEFAULT_TOLERANCE_M2: f64 = 10.0;

/// Discrepancies below this are floating-point noise, not worth a line.
const NOISE_M2: f64 = 0.05;

/// What the checks found.
#[derive(Debug, Default)]
pub struct Topology {
    /// Beyond the tolerance: the import is refused.
    pub refused: Vec<Problem>,
    /// Within it: reported, kept.
    pub reported: Vec<Problem>,
}

/// One layer's areas, projected to metres.
struct Areas<'a> {
    file: &'static str,
    ids: Vec<&'a Id>,
    shapes: Vec<MultiPolygon<f64>>,
    /// Each area's parent id, if the layer has parents.
    parents: Vec<Option<&'a Id>>,
}

impl Areas<'_> {
    fn position(&self) -> HashMap<&Id, usize> {
        self.ids
            .iter()
            .enumerate()
            .map(|(i, id)| (*id, i))
            .collect()
    }
}

pub fn check(ds: &Dataset, tolerance_m2: f64) -> Topology {
    let mut found = Topology::default();
    let Some(extent) = ds.layer(super::LayerId::District).bbox else {
        return found;
    };
    let projection = LocalProjection::for_extent(extent);
    let project = |g: &MultiPolygon<f64>| {
        g.map_coords(|c| {
            let (x, y) = projection.project_xy(c.x, c.y);
            geo::Coord { x, y }
        })
    };
    macro_rules! areas {
        ($file:literal, $features:expr, $parent:expr) => {
            Areas {
                file: $file,
                ids: $features.iter().map(|f| &f.props.id).collect(),
                shapes: $features.iter().map(|f| project(&f.geometry)).collect(),
                parents: $features.iter().map($parent).collect(),
            }
        };
    }
    let land = areas!("district.geojson", ds.district, |_| None);
    let streets = areas!("streets.geojson", ds.streets, |_| None);
    let communities = areas!("communities.geojson", ds.communities, |f| Some(
        &f.props.street_id
    ));
    let grids = areas!("grids.geojson", ds.grids, |f| Some(&f.props.community_id));
    let compounds = areas!("compounds.geojson", ds.compounds, |f| Some(
        &f.props.grid_id
    ));
    let buildings = areas!("buildings.geojson", ds.buildings, |f| Some(
        &f.props.grid_id
    ));
    let land_shape: MultiPolygon<f64> = MultiPolygon(
        land.shapes
            .iter()
            .flat_map(|m| m.0.iter().cloned())
            .collect(),
    );

    // Each sliver is judged on its own: a boundary drawn apart from another leaves
    // many small ones, a misplaced area one large one.
    let mut judge = |problem: Problem, pieces: Pieces| {
        if pieces.largest_m2 > tolerance_m2 {
            found.refused.push(problem.described(&pieces));
        } else if pieces.total_m2 > NOISE_M2 {
            found.reported.push(problem.described(&pieces));
        }
    };
    let all = [
        &land,
        &streets,
        &communities,
        &grids,
        &compounds,
        &buildings,
    ];
    let mut valid: HashMap<&'static str, Vec<bool>> = HashMap::new();
    for layer in all {
        let flags = valid.entry(layer.file).or_default();
        for (i, shape) in layer.shapes.iter().enumerate() {
            let ok = match shape.check_validation() {
                Ok(()) => true,
                Err(e) => {
                    judge(
                        Problem::feature(layer.file, i, format!("invalid polygon: {e}"))
                            .with_field("geometry"),
                        Pieces::ALWAYS,
                    );
                    false
                }
            };
            flags.push(ok);
        }
    }
    let is_valid = |layer: &Areas, i: usize| valid[layer.file][i];

    // On the land.
    for layer in [&streets, &communities, &grids, &compounds, &buildings] {
        for (i, shape) in layer.shapes.iter().enumerate() {
            if !is_valid(layer, i) {
                continue;
            }
            judge(
                Problem::feature(layer.file, i, "outside the district's land")
                    .with_field("geometry"),
                Pieces::of(&shape.difference(&land_shape)),
            );
        }
    }
    for (i, site) in ds.sites.iter().enumerate() {
        let (x, y) = projection.project_xy(site.geometry.x(), site.geometry.y());
        if !land_shape.contains(&geo::Point::new(x, y)) {
            judge(
                Problem::feature(
                    "sites.geojson",
                    i,
                    "the site is outside the district's land",
                )
                .with_field("geometry"),
                Pieces::ALWAYS,
            );
        }
    }

    // Inside the parent, and siblings tiling it.
    let families = [
        (&communities, &streets, "street"),
        (&grids, &communities, "community"),
        (&compounds, &grids, "grid"),
        (&buildings, &grids, "grid"),
    ];
    for (children, parents, parent_kind) in families {
        let parent_at = parents.position();
        let mut by_parent: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, parent) in children.parents.iter().enumerate() {
            let Some(&p) = parent.and_then(|id| parent_at.get(id)) else {
                continue;
            };
            if !is_valid(children, i) || !is_valid(parents, p) {
                continue;
            }
            by_parent.entry(p).or_default().push(i);
            judge(
                Problem::feature(
                    children.file,
                    i,
                    format!("outside its {parent_kind} {}", parents.ids[p]),
                )
                .with_field("geometry"),
                Pieces::of(&children.shapes[i].difference(&parents.shapes[p])),
            );
        }
        // Compounds and buildings need not tile their grid; areas do.
        if children.file == "compounds.geojson" || children.file == "buildings.geojson" {
            continue;
        }
        for (p, members) in &by_parent {
            siblings(children, members, &mut judge);
            let union = members.iter().fold(MultiPolygon::new(Vec::new()), |u, &i| {
                u.union(&children.shapes[i])
            });
            judge(
                Problem::feature(
                    parents.file,
                    *p,
                    format!(
                        "in none of its {}",
                        children.file.trim_end_matches(".geojson")
                    ),
                )
                .with_field("geometry"),
                Pieces::of(&parents.shapes[*p].difference(&union)),
            );
        }
    }
    let every_street: Vec<usize> = (0..streets.shapes.len())
        .filter(|&i| is_valid(&streets, i))
        .collect();
    siblings(&streets, &every_street, &mut judge);
    // Land in no street (an unassigned island, say) is reported, never refused.
    if !every_street.is_empty() && land.shapes.len() == 1 && is_valid(&land, 0) {
        let union = every_street
            .iter()
            .fold(MultiPolygon::new(Vec::new()), |u, &i| {
                u.union(&streets.shapes[i])
            });
        let gap = Pieces::of(&land.shapes[0].difference(&union));
        if gap.total_m2 > NOISE_M2 {
            found.reported.push(
                Problem::feature("district.geojson", 0, "in no street")
                    .with_field("geometry")
                    .described(&gap),
            );
        }
    }
    found
}

/// Overlaps between areas of one parent.
fn siblings(layer: &Areas, members: &[usize], judge: &mut impl FnMut(Problem, Pieces)) {
    let boxes: Vec<Option<geo::Rect<f64>>> = members
        .iter()
        .map(|&i| layer.shapes[i].bounding_rect())
        .collect();
    for (a, &i) in members.iter().enumerate() {
        for (b, &j) in members.iter().enumerate().skip(a + 1) {
            let (Some(p), Some(q)) = (boxes[a], boxes[b]) else {
                continue;
            };
            if p.max().x < q.min().x
                || q.max().x < p.min().x
                || p.max().y < q.min().y
                || q.max().y < p.min().y
            {
                continue;
            }
            judge(
                Problem::feature(layer.file, j, format!("overlaps {}", layer.ids[i]))
                    .with_field("geometry"),
                Pieces::of(&layer.shapes[i].intersection(&layer.shapes[j])),
            );
        }
    }
}

/// The separate pieces of a discrepancy.
#[derive(Debug, Clone, Copy)]
struct Pieces {
    count: usize,
    total_m2: f64,
    largest_m2: f64,
}

impl Pieces {
    /// A discrepancy with no area that is always refused (invalid, or a point).
    const ALWAYS: Pieces = Pieces {
        count: 0,
        total_m2: f64::INFINITY,
        largest_m2: f64::INFINITY,
    };

    fn of(shape: &MultiPolygon<f64>) -> Self {
        let areas: Vec<f64> = shape.0.iter().map(|p| p.unsigned_area()).collect();
        Pieces {
            count: areas.iter().filter(|a| **a > NOISE_M2).count(),
            total_m2: areas.iter().sum(),
            largest_m2: areas.iter().copied().fold(0.0, f64::max),
        }
    }
}

trait Described {
    fn described(self, pieces: &Pieces) -> Self;
}

impl Described for Problem {
    /// "… : 12.5 m² in 3 pieces, the largest 9.1 m²".
    fn described(mut self, pieces: &Pieces) -> Self {
        if pieces.total_m2.is_finite() {
            self.reason = match pieces.count {
                0 | 1 => format!("{}: {:.1} m²", self.reason, pieces.total_m2),
                n => format!(
                    "{}: {:.1} m² in {n} pieces, the largest {:.1} m²",
                    self.reason, pieces.total_m2, pieces.largest_m2
                ),
            };
        }
        self
    }
}
