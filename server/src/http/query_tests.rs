//! Property tests of query parsing: any query string, read by any endpoint's query
//! type, either yields a value or names what is wrong (pointers to parameters that
//! were given or are required), and never panics; coordinates in range always parse,
//! and come back as given.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;

use super::error::ApiError;
use super::extract::{FromParams, QueryParams};

/// Parameter names the endpoints read, and some they do not.
const NAMES: [&str; 28] = [
    "lon",
    "lat",
    "crs",
    "k",
    "kind",
    "kinds",
    "service",
    "open_now",
    "speed",
    "minutes",
    "metres",
    "bands",
    "cell_m",
    "bbox",
    "level",
    "limit",
    "offset",
    "q",
    "f",
    "format",
    "id",
    "min_population",
    "count",
    "budget",
    "z",
    "datetime",
    "LON",
    "",
];

/// Values near the edges of what the parameters take.
const VALUES: [&str; 30] = [
    "121.38165",
    "37.53165",
    "0",
    "-0",
    "1",
    "5",
    "3",
    "-1",
    "1e999",
    "-1e999",
    "NaN",
    "inf",
    "180.0000001",
    "90",
    "18446744073709551616",
    "121.38,37.53,121.39,37.538",
    "121.39,37.538,121.38,37.53",
    "1,2,3",
    "gcj02",
    "bd09",
    "wgs84",
    "station",
    "station,volunteer_team",
    "true",
    "grid",
    "json",
    "",
    " ",
    "\u{0}",
    "幸福",
];

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(&NAMES[..]).prop_map(str::to_owned),
        1 => ".{0,8}",
    ]
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(&VALUES[..]).prop_map(str::to_owned),
        1 => any::<f64>().prop_map(|v| v.to_string()),
        1 => ".{0,12}",
    ]
}

/// A query string: encoded pairs, or (now and then) raw text as a client might send.
fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        5 => proptest::collection::vec((name(), value()), 0..7).prop_map(|pairs| {
            let mut q = form_urlencoded::Serializer::new(String::new());
            for (k, v) in &pairs {
                q.append_pair(k, v);
            }
            q.finish()
        }),
        1 => "[ -~%]{0,40}",
    ]
}

/// Parses `query` as `T` does for its endpoint and checks the contract of
/// [`FromParams`]: a refusal lists at least one problem, each pointing at a parameter
/// that was given or at one that is required.
fn check<T: FromParams>(query: &str) -> Result<bool, TestCaseError> {
    let given: Vec<String> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, _)| k.into_owned())
        .collect();
    let mut q = QueryParams::from_query(Some(query));
    let value = T::from_params(&mut q);
    match q.finish(T::STRICT) {
        Ok(()) => {
            prop_assert!(value.is_some(), "{query:?}: no value and no problem");
            Ok(true)
        }
        Err(ApiError::InvalidParameters(errors)) => {
            prop_assert!(!errors.is_empty(), "{query:?}");
            for e in &errors {
                let named = e.pointer.strip_prefix('/').unwrap_or_default();
                prop_assert!(
                    given.iter().any(|g| g == named) || e.reason == "required",
                    "{query:?}: {} ({}) names no given parameter",
                    e.pointer,
                    e.reason
                );
            }
            Ok(false)
        }
        Err(other) => Err(TestCaseError::fail(format!("{query:?}: {other:?}"))),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn every_query_type_parses_or_names_its_problems(query in query()) {
        check::<super::reach::NearestQuery>(&query)?;
        check::<super::reach::IsochroneQuery>(&query)?;
        check::<super::reach::ServiceAreaQuery>(&query)?;
        check::<super::locate::LocateQuery>(&query)?;
        check::<super::dispatch::DispatchQuery>(&query)?;
        check::<super::search::SearchQuery>(&query)?;
        check::<super::coverage::CoverageQuery>(&query)?;
        check::<super::gaps::GapsQuery>(&query)?;
        check::<super::coverage::CatchmentsQuery>(&query)?;
        check::<super::export::ExportQuery>(&query)?;
        check::<super::tiles::TileQuery>(&query)?;
        check::<super::ogc::ItemsQuery>(&query)?;
    }

    #[test]
    fn coordinates_in_range_parse_and_come_back_as_given(
        lon in -180.0f64..=180.0,
        lat in -90.0f64..=90.0,
    ) {
        let query = format!("lon={lon}&lat={lat}");
        prop_assert!(check::<super::reach::NearestQuery>(&query)?);
        prop_assert!(check::<super::locate::LocateQuery>(&query)?);
        let mut q = QueryParams::from_query(Some(&query));
        let (point, _) = q.point().unwrap();
        prop_assert_eq!((point.lon(), point.lat()), (lon, lat));
    }
}
