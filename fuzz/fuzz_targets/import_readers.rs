//! Fuzzes the import readers (GeoJSON, CSV in any encoding, XLSX/ODS workbooks,
//! zipped shapefiles): the first byte picks the format and whether rows need a
//! geometry, the rest is the file. Any input must be read or refused with named
//! problems, never panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use redgrid::formats::{self, File, Format, ReadOptions};

const FORMATS: [Format; 4] = [Format::GeoJson, Format::Csv, Format::Workbook, Format::Zip];

fuzz_target!(|data: &[u8]| {
    let Some((&choice, bytes)) = data.split_first() else {
        return;
    };
    let file = File {
        name: "sites.upload".to_owned(),
        format: FORMATS[usize::from(choice) % FORMATS.len()],
        bytes: bytes.to_vec(),
        parts: Default::default(),
    };
    if let Err(e) = formats::read(&file, choice & 0x80 != 0, ReadOptions::default()) {
        assert!(e.into_problems().iter().all(|p| !p.reason.is_empty()));
    }
});
