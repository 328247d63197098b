//! CSV files and spreadsheets (XLSX, XLS, ODS) read as a heading row and rows of
//! cells, for [`super::tabular`].

use std::io::Cursor;

use calamine::{Data, Reader};
use encoding_rs::Encoding;
use serde_json::Value;

use super::text;
use crate::error::{Error, Result};

/// A heading row and the rows under it.
pub type Sheet = (Vec<String>, Vec<Vec<Value>>);

/// A CSV file in any encoding [`text::decode`] knows, separated by commas,
/// semicolons or tabs (whichever the heading row uses most).
pub fn csv(file: &str, bytes: &[u8], encoding: Option<&'static Encoding>) -> Result<Sheet> {
    let (text, _) = text::decode(bytes, encoding);
    let first = text.lines().next().unwrap_or_default();
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.matches(char::from(*d)).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let invalid = |e: csv::Error| Error::InvalidFile {
        file: file.to_owned(),
        reason: format!("not CSV: {e}"),
    };
    let headings = match records.next() {
        Some(record) => record.map_err(invalid)?.iter().map(str::to_owned).collect(),
        None => {
            return Err(Error::InvalidFile {
                file: file.to_owned(),
                reason: "empty file: the first row must name the columns".to_owned(),
            });
        }
    };
    let rows = records
        .map(|r| r.map(|r| r.iter().map(Value::from).collect()))
        .collect::<std::result::Result<_, _>>()
        .map_err(invalid)?;
    Ok((headings, rows))
}

/// The first sheet of a workbook.
pub fn workbook(file: &str, bytes: &[u8]) -> Result<Sheet> {
    let invalid = |reason: String| Error::InvalidFile {
        file: file.to_owned(),
        reason,
    };
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| invalid(format!("not a spreadsheet: {e}")))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| invalid("the workbook has no sheet".to_owned()))?
        .map_err(|e| invalid(format!("cannot read the first sheet: {e}")))?;
    let mut rows = range
        .rows()
        .map(|row| row.iter().map(cell).collect::<Vec<_>>());
    let headings = rows
        .next()
        .ok_or_else(|| invalid("empty sheet: the first row must name the columns".to_owned()))?
        .into_iter()
        .map(|v| match v {
            Value::String(s) => s,
            Value::Null => String::new(),
            other => other.to_string(),
        })
        .collect();
    Ok((headings, rows.collect()))
}

fn cell(data: &Data) -> Value {
    match data {
        Data::Int(i) => Value::from(*i),
        Data::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Value::from(s.as_str()),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(d) => Value::from(d.to_string()),
        Data::Error(e) => Value::from(format!("#{e:?}")),
        Data::Empty => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_gbk_with_semicolons() {
        let text = "名称;经度;纬度\n\"幸福;驿站\";121.4;37.5\n短行\n";
        let (bytes, _, _) = encoding_rs::GBK.encode(text);
        let (headings, rows) = csv("sites.csv", &bytes, None).expect("read");
        assert_eq!(headings, ["名称", "经度", "纬度"]);
        assert_eq!(
            rows[0],
            [
                Value::from("幸福;驿站"),
                Value::from("121.4"),
                Value::from("37.5")
            ]
        );
        assert_eq!(rows[1], [Value::from("短行")]);
        assert!(matches!(
            csv("sites.csv", b"", None),
            Err(Error::InvalidFile { .. })
        ));
    }

    #[test]
    fn not_a_workbook() {
        let Err(Error::InvalidFile { reason, .. }) = workbook("sites.xlsx", b"PK\x03\x04junk")
        else {
            panic!("refused");
        };
        assert!(reason.starts_with("not a spreadsheet"), "{reason}");
    }
}
