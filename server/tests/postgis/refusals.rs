//! A property test of imports into the database: the fixture's layer files, each
//! with random edits (a property set to a random value, removed, or the geometry
//! moved, anywhere in the file), are imported whole or refused whole. A refused
//! import, and every dry run, leaves every row and every data version as it was; an
//! accepted one changes at most the layer it names.

use std::cell::Cell;
use std::path::PathBuf;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use redgrid::formats::{File, Format};
use redgrid::geo::Crs;
use redgrid::store::postgis::import::{Input, Mode, import_inputs};
use redgrid::store::postgis::{self, tables::Table};
use serde_json::{Value, json};

use super::import::dump;
use super::{fresh_database, options};

/// One edit of a layer file.
#[derive(Debug, Clone)]
enum Edit {
    Set {
        feature: usize,
        key: String,
        value: Value,
    },
    Remove {
        feature: usize,
        key: String,
    },
    Move {
        feature: usize,
        lon: f64,
        lat: f64,
    },
}

/// The layers edited: points, and areas at two levels of the hierarchy.
const LAYERS: [&str; 4] = ["sites", "grids", "buildings", "communities"];

const KEYS: [&str; 12] = [
    "id",
    "name",
    "kind",
    "host_site_id",
    "grid_id",
    "community_id",
    "street_id",
    "population",
    "services",
    "hours",
    "code",
    "synthetic",
];

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        "[A-Z0-9]{0,6}".prop_map(Value::from),
        proptest::sample::select(vec![
            "S1",
            "S2",
            "G370602901001001",
            "station",
            "幸福驿站",
            ""
        ])
        .prop_map(Value::from),
        Just(json!([])),
        Just(json!({"mon": "08:00-17:00"})),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    let key = proptest::sample::select(&KEYS[..]).prop_map(str::to_owned);
    prop_oneof![
        3 => (0usize..8, key.clone(), value()).prop_map(|(feature, key, value)| Edit::Set { feature, key, value }),
        1 => (0usize..8, key).prop_map(|(feature, key)| Edit::Remove { feature, key }),
        1 => (0usize..8, 121.37f64..121.40, 37.52f64..37.545)
            .prop_map(|(feature, lon, lat)| Edit::Move { feature, lon, lat }),
    ]
}

/// The fixture's file for `layer` with `edits` applied (features counted modulo
/// how many there are).
fn edited(layer: &str, edits: &[Edit]) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/district")
        .join(format!("{layer}.geojson"));
    let mut json: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let features = json["features"].as_array_mut().unwrap();
    let n = features.len();
    for e in edits {
        match e {
            Edit::Set {
                feature,
                key,
                value,
            } => {
                features[feature % n]["properties"][key] = value.clone();
            }
            Edit::Remove { feature, key } => {
                if let Some(p) = features[feature % n]["properties"].as_object_mut() {
                    p.remove(key);
                }
            }
            Edit::Move { feature, lon, lat } => {
                features[feature % n]["geometry"] =
                    json!({"type": "Point", "coordinates": [lon, lat]});
            }
        }
    }
    serde_json::to_vec(&json).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn a_refused_or_dry_run_import_changes_nothing_stored() {
    let Some(pool) = fresh_database().await else {
        return;
    };
    postgis::migrate(&pool).await.unwrap();
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/district");
    postgis::import::import(&pool, &[fixture], options(Mode::Upsert, Crs::Wgs84))
        .await
        .unwrap();
    let strategy = (
        proptest::sample::select(&LAYERS[..]),
        proptest::collection::vec(edit(), 1..4),
        any::<bool>(),
        any::<bool>(),
    );
    let mut runner = TestRunner::new(Config {
        cases: 40,
        failure_persistence: None,
        ..Config::default()
    });
    let (refused, accepted) = (Cell::new(0), Cell::new(0));
    let handle = tokio::runtime::Handle::current();
    tokio::task::block_in_place(|| {
        runner
            .run(&strategy, |(layer, edits, replace, dry_run)| {
                let bytes = edited(layer, &edits);
                handle.block_on(async {
                    let before = dump(&pool).await;
                    let input = Input {
                        table: Table::by_name(layer).unwrap(),
                        file: File {
                            name: format!("{layer}.geojson"),
                            format: Format::GeoJson,
                            bytes,
                            parts: Default::default(),
                        },
                    };
                    let mode = if replace {
                        Mode::ReplaceLayer
                    } else {
                        Mode::Upsert
                    };
                    let mut opts = options(mode, Crs::Wgs84);
                    opts.dry_run = dry_run;
                    let result = import_inputs(&pool, vec![input], opts).await;
                    let after = dump(&pool).await;
                    match result {
                        Err(e) => {
                            refused.set(refused.get() + 1);
                            prop_assert!(!e.into_problems().is_empty());
                            prop_assert_eq!(&before, &after, "a refused import changed rows");
                        }
                        Ok(_) if dry_run => {
                            accepted.set(accepted.get() + 1);
                            prop_assert_eq!(&before, &after, "a dry run changed rows");
                        }
                        Ok(imported) => {
                            accepted.set(accepted.get() + 1);
                            for change in &imported.changes {
                                prop_assert!(
                                    change.layer == layer
                                        || change.added + change.changed + change.removed == 0,
                                    "importing {} changed {}",
                                    layer,
                                    change.layer
                                );
                            }
                        }
                    }
                    Ok(())
                })
            })
            .unwrap();
    });
    // Both outcomes were tried, so the property says something about each.
    let (refused, accepted) = (refused.get(), accepted.get());
    assert!(
        refused >= 5 && accepted >= 1,
        "{refused} refused, {accepted} accepted"
    );
}
