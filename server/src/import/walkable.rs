//! The pedestrian filter: which OpenStreetMap ways a person may walk, and on what
//! terms. Walking ignores `oneway`.
//!
//! - Walkable `highway` values: footway, path, pedestrian, steps, living_street,
//!   residential, service, unclassified, road, track, bridleway, corridor, platform,
//!   tertiary, secondary, primary and trunk with their `_link`s. `cycleway` only with
//!   an explicit `foot=yes|designated|permissive`. Motorways, roads under
//!   construction or proposed, raceways and bus guideways never.
//! - `foot` decides when present, else `access`: `no` (and `foot=use_sidepath`,
//!   `access=bus|psv|agricultural|forestry|emergency|military`) drops the way;
//!   `private|destination|customers|delivery|permit` keeps it as a private way, which
//!   may carry only the first or last leg of a walk; anything else is public.
//! - A closed `highway=pedestrian|footway` way tagged `area=yes` is a square that can be
//!   crossed; other `area=yes` highways (car parks, service areas) are not walked.

/// How a way may be walked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    No,
    Public,
    /// Walked only to or from a place inside.
    Private,
}

/// What the filter says of a way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WayRule {
    pub walk: Walk,
    /// A pedestrian square: its outline is walked and it can be crossed.
    pub square: bool,
}

const WALKABLE: &[&str] = &[
    "footway",
    "path",
    "pedestrian",
    "steps",
    "living_street",
    "residential",
    "service",
    "unclassified",
    "road",
    "track",
    "bridleway",
    "corridor",
    "platform",
    "tertiary",
    "tertiary_link",
    "secondary",
    "secondary_link",
    "primary",
    "primary_link",
    "trunk",
    "trunk_link",
];

const PERMITTED: &[&str] = &["yes", "designated", "permissive"];
const PRIVATE: &[&str] = &["private", "destination", "customers", "delivery", "permit"];
const FORBIDDEN_ACCESS: &[&str] = &[
    "no",
    "bus",
    "psv",
    "agricultural",
    "forestry",
    "emergency",
    "military",
];

/// Applies the filter to a way's tags.
pub fn way_rule<'a>(tags: impl IntoIterator<Item = (&'a str, &'a str)> + Clone) -> WayRule {
    let tag = |key: &str| {
        tags.clone()
            .into_iter()
            .find(|(k, _)| *k == key)
            .map(|t| t.1)
    };
    let no = WayRule {
        walk: Walk::No,
        square: false,
    };
    let Some(highway) = tag("highway") else {
        return no;
    };
    let foot = tag("foot");
    let walkable = WALKABLE.contains(&highway)
        || (highway == "cycleway" && foot.is_some_and(|f| PERMITTED.contains(&f)));
    if !walkable {
        return no;
    }
    let area = tag("area") == Some("yes");
    let square = area && matches!(highway, "pedestrian" | "footway");
    if area && !square {
        return no;
    }
    let walk = match foot {
        Some("no" | "use_sidepath") => Walk::No,
        Some(f) if PRIVATE.contains(&f) => Walk::Private,
        Some(_) => Walk::Public,
        None => match tag("access") {
            Some(a) if FORBIDDEN_ACCESS.contains(&a) => Walk::No,
            Some(a) if PRIVATE.contains(&a) => Walk::Private,
            _ => Walk::Public,
        },
    };
    WayRule { walk, square }
}

/// Whether a node's tags make it a compound entrance (`barrier=gate` and its kin),
/// kept as a node of the graph so walks can turn in there.
pub fn is_entrance<'a>(tags: impl IntoIterator<Item = (&'a str, &'a str)>) -> bool {
    tags.into_iter().any(|(k, v)| {
        (k == "barrier" && matches!(v, "gate" | "lift_gate" | "swing_gate" | "entrance"))
            || k == "entrance"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(tags: &[(&'static str, &'static str)]) -> WayRule {
        way_rule(tags.iter().copied())
    }

    #[test]
    fn streets_and_paths_are_walked_motorways_never() {
        assert_eq!(rule(&[("highway", "residential")]).walk, Walk::Public);
        assert_eq!(rule(&[("highway", "steps")]).walk, Walk::Public);
        assert_eq!(rule(&[("highway", "motorway")]).walk, Walk::No);
        assert_eq!(rule(&[("highway", "motorway_link")]).walk, Walk::No);
        assert_eq!(rule(&[("building", "yes")]).walk, Walk::No);
        assert_eq!(rule(&[("highway", "construction")]).walk, Walk::No);
    }

    #[test]
    fn foot_decides_before_access() {
        let t = [("highway", "service"), ("access", "no"), ("foot", "yes")];
        assert_eq!(rule(&t).walk, Walk::Public);
        let t = [("highway", "primary"), ("foot", "no")];
        assert_eq!(rule(&t).walk, Walk::No);
        let t = [("highway", "service"), ("access", "private")];
        assert_eq!(rule(&t).walk, Walk::Private);
        let t = [("highway", "service"), ("access", "destination")];
        assert_eq!(rule(&t).walk, Walk::Private);
        let t = [("highway", "service"), ("access", "bus")];
        assert_eq!(rule(&t).walk, Walk::No);
        assert_eq!(rule(&[("highway", "cycleway")]).walk, Walk::No);
        let t = [("highway", "cycleway"), ("foot", "designated")];
        assert_eq!(rule(&t).walk, Walk::Public);
    }

    #[test]
    fn pedestrian_areas_are_squares_car_parks_are_not_walked() {
        let t = [("highway", "pedestrian"), ("area", "yes")];
        assert_eq!(
            rule(&t),
            WayRule {
                walk: Walk::Public,
                square: true
            }
        );
        let t = [("highway", "service"), ("area", "yes")];
        assert_eq!(rule(&t).walk, Walk::No);
    }

    #[test]
    fn gates_are_entrances() {
        assert!(is_entrance([("barrier", "gate")]));
        assert!(!is_entrance([("barrier", "bollard")]));
    }
}
