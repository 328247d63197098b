//! The import readers on any input (property tests): no bytes, in any format, make
//! them panic; whatever they accept is a layer file of the expected shape, and
//! whatever they refuse names what is wrong.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use redgrid::error::Error;
use redgrid::formats::{self, File, Format, ReadOptions};
use serde_json::Value;

fn file(format: Format, bytes: Vec<u8>) -> File {
    File {
        name: "sites.upload".to_owned(),
        format,
        bytes,
        parts: Default::default(),
    }
}

/// Accepted from a table: a FeatureCollection (or an array of records); GeoJSON is
/// any JSON, checked later by the layer's loader. Refused: named problems.
fn well_formed(
    result: Result<Value, Error>,
    format: Format,
    geometry: bool,
) -> Result<(), TestCaseError> {
    match result {
        Ok(json) if format != Format::GeoJson && geometry => {
            prop_assert_eq!(&json["type"], "FeatureCollection");
            prop_assert!(json["features"].is_array(), "{}", json);
        }
        Ok(json) if format != Format::GeoJson => prop_assert!(json.is_array(), "{}", json),
        Ok(_) => {}
        Err(e) => {
            let problems = e.into_problems();
            prop_assert!(!problems.is_empty());
            prop_assert!(problems.iter().all(|p| !p.reason.is_empty()));
        }
    }
    Ok(())
}

const FORMATS: [Format; 4] = [Format::GeoJson, Format::Csv, Format::Workbook, Format::Zip];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_bytes_make_a_reader_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600), which in 0usize..4, geometry in any::<bool>()) {
        let result = formats::read(&file(FORMATS[which], bytes), geometry, ReadOptions::default());
        well_formed(result, FORMATS[which], geometry)?;
    }

    #[test]
    fn any_csv_under_known_headings_reads_or_names_its_problems(
        rows in proptest::collection::vec(proptest::collection::vec("[0-9a-z;，、.\\- 幸福驿站\"]{0,12}", 0..8), 0..12),
        gbk in any::<bool>(),
    ) {
        let headings = "名称,类型,经度,纬度,人口,服务内容,wkt,synthetic";
        let mut text = format!("{headings}\n");
        for row in &rows {
            text.push_str(&row.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect::<Vec<_>>().join(","));
            text.push('\n');
        }
        let bytes = if gbk { encoding_rs::GBK.encode(&text).0.into_owned() } else { text.into_bytes() };
        let result = formats::read(&file(Format::Csv, bytes), true, ReadOptions::default());
        if let Ok(json) = &result {
            let features = json["features"].as_array().unwrap();
            prop_assert!(features.len() <= rows.len());
            for f in features {
                prop_assert_eq!(&f["type"], "Feature");
                let kind = &f["geometry"];
                prop_assert!(kind.is_null() || kind.get("type").is_some());
            }
        }
        well_formed(result, Format::Csv, true)?;
    }

    #[test]
    fn any_cells_of_a_workbook_read_or_name_their_problems(
        cells in proptest::collection::vec((0u32..6, 0u16..6, prop_oneof![
            "[0-9a-z.\\- 驿站]{0,10}".prop_map(Value::from),
            any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ]), 0..30),
    ) {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (c, heading) in ["名称", "类型", "经度", "纬度", "人口", "地址"].iter().enumerate() {
            sheet.write_string(0, c as u16, *heading).unwrap();
        }
        for (r, c, value) in &cells {
            match value {
                Value::Number(n) => { sheet.write_number(r + 1, *c, n.as_f64().unwrap()).unwrap(); }
                Value::String(s) => { sheet.write_string(r + 1, *c, s).unwrap(); }
                _ => {}
            }
        }
        let bytes = book.save_to_buffer().unwrap();
        let result = formats::read(&file(Format::Workbook, bytes), true, ReadOptions::default());
        well_formed(result, Format::Workbook, true)?;
    }
}
