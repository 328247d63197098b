//! `POST /api/v1/plan/suggest` and `/api/v1/plan/what-if`: where new service points
//! would cover the most uncovered people, and what adding and removing points would
//! do, for the district and per street. Bodies carry points as `[lon, lat]` with an
//! optional top-level `crs`; this module reads what every planning body shares.

use super::AppState;
use super::coverage::Budget;
use super::error::{ApiError, FieldError};
use super::extract::QueryParams;
use super::walking::Walking;
use crate::geo::{Crs, LonLat};
use crate::model::SiteKind;

const MAX_POINTS: usize = 500;

/// Declares a request body: its own fields, then the walking budget, the
/// service-point kinds and the datum of its points, which every planning body takes.
macro_rules! planning_body {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $vis:vis $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($(#[$fmeta])* $vis $field: $ty,)*
            /// A named preset: gb50180_5min, gb50180_10min or gb50180_15min.
            #[serde(default)]
            preset: Option<String>,
            /// Walking budget, minutes (default 5).
            #[serde(default)]
            minutes: Option<f64>,
            /// Walking speed, m/min (default 60).
            #[serde(default)]
            speed: Option<f64>,
            /// Walking budget, metres, instead of minutes.
            #[serde(default)]
            metres: Option<f64>,
            /// Site kinds counted as service points (default the four of the 5-minute circle).
            #[serde(default)]
            kinds: Option<Vec<SiteKind>>,
            /// wgs84 (default), gcj02, bd09 or cgcs2000: the datum of the body's points.
            #[serde(default)]
            crs: Option<String>,
        }

        impl $name {
            fn budget_fields(&self) -> BudgetFields {
                BudgetFields {
                    preset: self.preset.clone(),
                    minutes: self.minutes,
                    speed: self.speed,
                    metres: self.metres,
                    kinds: self.kinds.clone(),
                    crs: self.crs.clone(),
                }
            }
        }
    };
}

/// The walking budget, the service-point kinds and the datum of a body.
#[derive(Debug, Clone, Default)]
struct BudgetFields {
    preset: Option<String>,
    minutes: Option<f64>,
    speed: Option<f64>,
    metres: Option<f64>,
    kinds: Option<Vec<SiteKind>>,
    crs: Option<String>,
}

impl BudgetFields {
    /// The budget, read by the same rules as the query parameters; problems point
    /// into the body.
    fn budget(&self, errors: &mut Vec<FieldError>) -> Option<(Budget, Crs)> {
        let mut pairs = Vec::new();
        let mut put = |name: &str, v: Option<String>| {
            if let Some(v) = v {
                pairs.push((name.to_owned(), v));
            }
        };
        put("preset", self.preset.clone());
        put("minutes", self.minutes.map(|v| v.to_string()));
        put("speed", self.speed.map(|v| v.to_string()));
        put("metres", self.metres.map(|v| v.to_string()));
        let mut q = QueryParams::from_pairs(pairs);
        let walking = Walking::from_params(&mut q, &[5.0]);
        let crs: Option<Crs> = match &self.crs {
            None => Some(Crs::default()),
            Some(raw) => raw.parse().ok().or_else(|| {
                errors.push(FieldError::new(
                    "/body/crs",
                    format!("must be one of {}, got {raw:?}", Crs::NAMES.join(", ")),
                ));
                None
            }),
        };
        let walking = match (q.finish(false), walking) {
            (Ok(()), Some(w)) if w.metres.len() == 1 => Some(w),
            (Err(ApiError::InvalidParameters(found)), _) => {
                errors.extend(
                    found
                        .into_iter()
                        .map(|e| FieldError::new(format!("/body{}", e.pointer), e.reason)),
                );
                None
            }
            _ => None,
        };
        let kinds = self
            .kinds
            .clone()
            .unwrap_or_else(|| SiteKind::SERVICE_POINTS.to_vec());
        Some((Budget::of(walking?, kinds), crs?))
    }
}

/// Each `[lon, lat]` in `crs`, projected to local metres; a problem for each point
/// out of range or off the district's land.
fn local_points(
    state: &AppState,
    points: &[[f64; 2]],
    crs: Crs,
    field: &str,
    errors: &mut Vec<FieldError>,
) -> Vec<[f64; 2]> {
    let mut out = Vec::new();
    for (i, &[lon, lat]) in points.iter().enumerate() {
        let pointer = format!("/body/{field}/{i}");
        let Ok(given) = LonLat::new(lon, lat) else {
            errors.push(FieldError::new(
                pointer,
                format!("not a WGS-84 lon/lat: [{lon}, {lat}]"),
            ));
            continue;
        };
        let p = state.indexes.project(crs.to_wgs84(given));
        if state.indexes.land.containing(p).is_none() {
            errors.push(FieldError::new(pointer, "outside the district's land"));
            continue;
        }
        out.push([p.x(), p.y()]);
    }
    out
}

fn refuse(errors: Vec<FieldError>) -> Result<(), ApiError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::InvalidParameters(errors))
    }
}

pub mod suggest;
pub mod what_if;

pub use suggest::suggest;
pub use what_if::{ScenarioBody, what_if, what_if_answer};
