//! Personal data typed in any form — full-width digits, mathematical digits, the
//! digits of every other script, names of one character — is stored normalised or
//! refused, and never served unmasked to an anonymous caller or a viewer.

use serde_json::{Value, json};

use super::writes::{Server, server};

/// The zero of each run of decimal digits (Unicode category Nd, 15.0): the digits of
/// a run are its zero and the nine code points after it.
const DIGIT_ZEROS: [u32; 68] = [
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x11F50, 0x16A60, 0x16AC0,
    0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0, 0x1E950,
    0x1FBF0,
];

/// Separators a number may be typed with, full-width and ideographic among them.
const SEPARATORS: [&str; 6] = ["", " ", "-", "\u{3000}", "\u{FF0D}", "\u{2010}"];

/// A small seeded generator, so every run tries the same cases.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u32) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % u64::from(n)) as u32
    }
}

/// Every answer an anonymous caller and a viewer get at the worker's grid.
async fn shown(s: &Server, uri: &str) -> Vec<String> {
    let mut texts = Vec::new();
    for token in [None, Some(s.viewer.as_str())] {
        let r = s.send("GET", uri, token, None, None).await;
        assert_eq!(r.status, 200, "{uri}: {}", r.json);
        texts.push(r.json.to_string());
    }
    texts
}

#[tokio::test]
async fn names_and_phones_in_every_digit_form_are_never_served_unmasked() {
    let Some(s) = server().await else {
        return;
    };
    let (lon, lat) = (121.38165, 37.53165);
    let worker = {
        let state = s.live.state();
        let ds = state.store.dataset();
        let at = redgrid::geo::LonLat::new(lon, lat).unwrap();
        let grid = redgrid::locate::locate(ds, &state.indexes, at)
            .unwrap()
            .grid;
        let grid = &ds.grids[grid.expect("the point is in a grid")].props.id;
        ds.workers
            .iter()
            .find(|w| w.grid_ids.contains(grid))
            .expect("a worker serves the grid")
            .id
            .to_string()
    };
    let uris = [
        format!("/api/v1/dispatch?lon={lon}&lat={lat}"),
        format!("/api/v1/locate?lon={lon}&lat={lat}"),
    ];
    let mut rng = Lcg(20_261_204);
    let (mut stored, mut refused) = (0, 0);
    for zero in DIGIT_ZEROS {
        let digits: String = std::iter::once('1')
            .chain((0..10).map(|_| char::from(b'0' + rng.below(10) as u8)))
            .collect();
        let separator = SEPARATORS[rng.below(SEPARATORS.len() as u32) as usize];
        let mut typed = String::new();
        for (i, d) in digits.bytes().enumerate() {
            if i == 3 || i == 7 {
                typed.push_str(separator);
            }
            typed.push(char::from_u32(zero + u32::from(d - b'0')).unwrap());
        }
        let name: String = (0..=rng.below(3))
            .map(|_| char::from_u32(0x4E00 + rng.below(0x51A5)).unwrap())
            .collect();
        let r = s
            .admin(
                "PATCH",
                &format!("/api/v1/workers/{worker}"),
                Some(json!({"name": name, "phone": typed})),
            )
            .await;
        match r.status {
            200 => {
                assert_eq!(r.json["phone"], Value::from(digits.as_str()), "{typed}");
                stored += 1;
            }
            400 => {
                assert_eq!(r.json["errors"][0]["pointer"], "/body/phone", "{typed}");
                refused += 1;
                // The name alone is accepted, so it is what is served.
                let r = s
                    .admin(
                        "PATCH",
                        &format!("/api/v1/workers/{worker}"),
                        Some(json!({"name": name})),
                    )
                    .await;
                assert_eq!(r.status, 200, "{}", r.json);
            }
            other => panic!("{typed}: {other} {}", r.json),
        }
        for uri in &uris {
            for text in shown(&s, uri).await {
                assert!(
                    !text.contains(&digits) && !text.contains(&typed),
                    "{uri} shows the phone {typed}"
                );
                assert!(
                    !text.contains(&format!("\"name\":\"{name}\"")),
                    "{uri} shows the name {name}"
                );
            }
        }
    }
    println!("{stored} digit forms stored as ASCII, {refused} refused");
    // Full-width and the five mathematical forms fold to ASCII digits, and ASCII is
    // ASCII; the digits of other scripts are refused.
    assert_eq!(stored, 7);
    assert_eq!(refused, DIGIT_ZEROS.len() - 7);
}
