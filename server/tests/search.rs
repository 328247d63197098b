//! Place search over the demo district: the cases — initials, mixed input,
//! every reading of a polyphone — against the shipped data.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::LazyLock;

use redgrid::config::Profile;
use redgrid::search::{MatchKind, PlaceKind, SearchIndex};

static DEMO: LazyLock<SearchIndex> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/geojson");
    let ds = redgrid::store::Dataset::load(&dir, Profile::Internal).expect("demo loads");
    SearchIndex::build(&ds, true)
});

fn first(query: &str) -> (PlaceKind, String, MatchKind) {
    let hits = DEMO.search(query, None, 10);
    let h = hits
        .first()
        .unwrap_or_else(|| panic!("nothing for {query}"));
    (h.place.kind, h.place.name.clone(), h.matched)
}

#[test]
fn streets_by_initials_mixed_input_and_both_readings_of_a_polyphone() {
    assert_eq!(
        first("xyjd"),
        (PlaceKind::Street, "向阳街道".into(), MatchKind::Initials)
    );
    assert_eq!(
        first("xiangyang jd"),
        (PlaceKind::Street, "向阳街道".into(), MatchKind::Initials)
    );
    assert_eq!(
        first("向阳街道"),
        (PlaceKind::Street, "向阳街道".into(), MatchKind::Exact)
    );
    // 奇 reads qí and jī: both find 奇山街道.
    assert_eq!(first("qishanjiedao").1, "奇山街道");
    assert_eq!(first("jishanjiedao").1, "奇山街道");
    assert_eq!(
        first("zfdjd"),
        (PlaceKind::Street, "芝罘岛街道".into(), MatchKind::Initials)
    );
    assert_eq!(first("YUHUANGDING").1, "毓璜顶街道");
}

#[test]
fn every_kind_of_place_is_found_by_its_own_name() {
    let ds = redgrid::store::Dataset::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/geojson"),
        Profile::Internal,
    )
    .unwrap();
    let cases = [
        (PlaceKind::Community, ds.communities[7].props.name.clone()),
        (
            PlaceKind::Grid,
            ds.grids[100].props.code.as_str().to_owned(),
        ),
        (PlaceKind::Site, ds.sites[42].props.name.clone()),
        (PlaceKind::Compound, ds.compounds[300].props.name.clone()),
        (
            PlaceKind::Building,
            ds.buildings[5000].props.address.clone(),
        ),
        (
            PlaceKind::Road,
            ds.network
                .iter()
                .find_map(|e| e.props.name.clone())
                .unwrap(),
        ),
    ];
    for (kind, name) in cases {
        let hits = DEMO.search(&name, Some(&[kind]), 5);
        assert!(
            hits.iter().any(|h| h.matched == MatchKind::Exact),
            "{kind:?} {name}: {:?}",
            hits.iter().map(|h| &h.place.name).collect::<Vec<_>>()
        );
    }
}
