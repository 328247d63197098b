//! Walking parameters shared by the reachability endpoints: `minutes` (one value or a
//! comma list) with `speed` (m/min), or `metres`, or a named `preset`; never two of
//! them. Every answer echoes the basis it used.

use serde::Serialize;
use utoipa::ToSchema;

use super::extract::QueryParams;

/// Default walking speed, m/min: 5 minutes are GB 50180-2018's 300 m.
pub const DEFAULT_SPEED: f64 = 60.0;
const MAX_BUDGETS: usize = 6;
const MAX_MINUTES: f64 = 60.0;
const MAX_METRES: f64 = 5_000.0;

/// The named presets: GB 50180-2018's 5-, 10- and 15-minute life circles.
pub const PRESETS: [(&str, f64); 3] = [
    ("gb50180_5min", 300.0),
    ("gb50180_10min", 500.0),
    ("gb50180_15min", 1_000.0),
];

/// What a reachability answer is measured by.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Basis {
    /// The preset, when one was named.
    pub preset: Option<&'static str>,
    /// Walking budgets, metres, ascending.
    pub metres: Vec<f64>,
    /// The same in minutes at `speed_m_per_min`.
    pub minutes: Vec<f64>,
    pub speed_m_per_min: f64,
    /// Which walking network, and its data version.
    pub network: String,
    pub network_version: String,
    pub synthetic: bool,
}

/// Parsed walking parameters.
#[derive(Debug, Clone)]
pub struct Walking {
    pub preset: Option<&'static str>,
    pub metres: Vec<f64>,
    pub speed: f64,
}

fn list(
    q: &mut QueryParams,
    name: &'static str,
    range: std::ops::RangeInclusive<f64>,
) -> Option<Vec<f64>> {
    let raw = q.text(name)?;
    let mut values = Vec::new();
    for part in raw.split(',') {
        match part.trim().parse::<f64>() {
            Ok(v) if v.is_finite() && range.contains(&v) => values.push(v),
            _ => {
                q.reject(
                    name,
                    format!(
                        "must be numbers from {} to {}, comma-separated, got {part:?}",
                        range.start(),
                        range.end()
                    ),
                );
                return None;
            }
        }
    }
    if values.len() > MAX_BUDGETS {
        q.reject(name, format!("at most {MAX_BUDGETS} values"));
        return None;
    }
    values.sort_by(f64::total_cmp);
    values.dedup();
    Some(values)
}

/// `speed`, m/min (20–150), or the default; `None` only when a problem was recorded.
pub fn speed(q: &mut QueryParams) -> Option<f64> {
    if q.text("speed").is_some() {
        q.number("speed", 20.0..=150.0)
    } else {
        Some(DEFAULT_SPEED)
    }
}

impl Walking {
    /// Reads `minutes`, `speed`, `metres` and `preset`; `default_minutes` when none
    /// is given. `None` only when a problem was recorded.
    pub fn from_params(q: &mut QueryParams, default_minutes: &[f64]) -> Option<Self> {
        // Every parameter is read before any is judged, so none is reported unknown.
        let speed = speed(q);
        let minutes = list(q, "minutes", 1.0..=MAX_MINUTES);
        let metres = list(q, "metres", 10.0..=MAX_METRES);
        let preset_name = q.text("preset");
        let speed = speed?;
        let given = [minutes.is_some(), metres.is_some(), preset_name.is_some()];
        if given.iter().filter(|g| **g).count() > 1 {
            q.reject("minutes", "give only one of minutes, metres and preset");
            return None;
        }
        if let Some(name) = preset_name {
            let Some(&(preset, m)) = PRESETS.iter().find(|(p, _)| *p == name) else {
                let names: Vec<&str> = PRESETS.iter().map(|p| p.0).collect();
                q.reject(
                    "preset",
                    format!("must be one of {}, got {name:?}", names.join(", ")),
                );
                return None;
            };
            return Some(Self {
                preset: Some(preset),
                metres: vec![m],
                speed,
            });
        }
        let metres = match (minutes, metres) {
            (_, Some(metres)) => metres,
            (Some(minutes), None) => minutes.iter().map(|m| m * speed).collect(),
            (None, None) => default_minutes.iter().map(|m| m * speed).collect(),
        };
        if metres.iter().any(|&m| m > MAX_METRES) {
            q.reject(
                "minutes",
                format!("minutes × speed must stay within {MAX_METRES} m"),
            );
            return None;
        }
        Some(Self {
            preset: None,
            metres,
            speed,
        })
    }

    pub fn max_metres(&self) -> f64 {
        self.metres.iter().copied().fold(0.0, f64::max)
    }

    /// The basis of an answer computed on `ds`'s walking network.
    pub fn basis(&self, ds: &crate::store::Dataset) -> Basis {
        let network = ds.layer(crate::store::LayerId::WalkNetwork);
        Basis {
            preset: self.preset,
            metres: self.metres.clone(),
            minutes: self
                .metres
                .iter()
                .map(|m| (m / self.speed * 100.0).round() / 100.0)
                .collect(),
            speed_m_per_min: self.speed,
            network: ds.network_file.clone(),
            network_version: network.version.clone(),
            synthetic: network.synthetic,
        }
    }
}
