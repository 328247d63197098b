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
    let mut rows = Vec::new();
    for record in records {
        if rows.len() == MAX_ROWS {
            return Err(too_many_rows(file));
        }
        rows.push(record.map_err(invalid)?.iter().map(Value::from).collect());
    }
    Ok((headings, rows))
}

/// Rows a file may hold under its heading row: more is refused before it is read on.
pub const MAX_ROWS: usize = 200_000;
/// Columns a spreadsheet row may reach.
pub const MAX_COLUMNS: usize = 256;

fn too_many_rows(file: &str) -> Error {
    Error::InvalidFile {
        file: file.to_owned(),
        reason: format!("more than {MAX_ROWS} rows: split the file"),
    }
}

/// The first sheet of a workbook. XLSX and XLSB sheets are read cell by cell, so a
/// sheet whose used range is huge but nearly empty costs only the cells it holds; a
/// cell beyond row [`MAX_ROWS`] + 1 or column [`MAX_COLUMNS`] refuses the file.
pub fn workbook(file: &str, bytes: &[u8]) -> Result<Sheet> {
    use calamine::Sheets;
    let invalid = |reason: String| Error::InvalidFile {
        file: file.to_owned(),
        reason,
    };
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| invalid(format!("not a spreadsheet: {e}")))?;
    let first = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or_else(|| invalid("the workbook has no sheet".to_owned()))?;
    let cannot = |e: &dyn std::fmt::Display| invalid(format!("cannot read the first sheet: {e}"));
    let mut cells = Cells::new(file);
    match &mut book {
        Sheets::Xlsx(x) => {
            let mut reader = x.worksheet_cells_reader(&first).map_err(|e| cannot(&e))?;
            while let Some(c) = reader.next_cell().map_err(|e| cannot(&e))? {
                cells.add(c.get_position(), &Data::from(c.get_value().clone()))?;
            }
        }
        Sheets::Xlsb(x) => {
            let mut reader = x.worksheet_cells_reader(&first).map_err(|e| cannot(&e))?;
            while let Some(c) = reader.next_cell().map_err(|e| cannot(&e))? {
                cells.add(c.get_position(), &Data::from(c.get_value().clone()))?;
            }
        }
        // XLS holds at most 65,536 × 256 cells; ODS is read whole by the crate.
        other => {
            let range = other
                .worksheet_range_at(0)
                .ok_or_else(|| invalid("the workbook has no sheet".to_owned()))?
                .map_err(|e| cannot(&e))?;
            for (row, col, data) in range.used_cells() {
                let (top, left) = range.start().unwrap_or_default();
                cells.add((top + row as u32, left + col as u32), data)?;
            }
        }
    }
    cells
        .sheet()
        .ok_or_else(|| invalid("empty sheet: the first row must name the columns".to_owned()))
}

/// A sheet's cells gathered by row, within the limits.
struct Cells<'a> {
    file: &'a str,
    rows: std::collections::BTreeMap<u32, Vec<Value>>,
}

impl<'a> Cells<'a> {
    fn new(file: &'a str) -> Self {
        Self {
            file,
            rows: Default::default(),
        }
    }

    fn add(&mut self, (row, col): (u32, u32), data: &Data) -> Result<()> {
        if col as usize >= MAX_COLUMNS {
            return Err(Error::InvalidFile {
                file: self.file.to_owned(),
                reason: format!("a cell beyond column {MAX_COLUMNS} (row {})", row + 1),
            });
        }
        let first = self.rows.keys().next().copied().unwrap_or(row).min(row);
        if (row - first) as usize > MAX_ROWS {
            return Err(too_many_rows(self.file));
        }
        if matches!(data, Data::Empty) {
            return Ok(());
        }
        let cells = self.rows.entry(row).or_default();
        if cells.len() <= col as usize {
            cells.resize(col as usize + 1, Value::Null);
        }
        cells[col as usize] = cell(data);
        Ok(())
    }

    /// The first row holding a cell as headings, every row after it (blank rows
    /// between kept blank).
    fn sheet(self) -> Option<Sheet> {
        let mut rows = self.rows.into_iter();
        let (first, headings) = rows.next()?;
        let headings = headings
            .into_iter()
            .map(|v| match v {
                Value::String(s) => s,
                Value::Null => String::new(),
                other => other.to_string(),
            })
            .collect();
        let mut out = Vec::new();
        let mut next = first + 1;
        for (row, cells) in rows {
            out.extend((next..row).map(|_| Vec::new()));
            out.push(cells);
            next = row + 1;
        }
        Some((headings, out))
    }
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

    /// A workbook with `cells` (row, column, text) on its first sheet.
    fn xlsx(cells: &[(u32, u16, &str)]) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for &(row, col, text) in cells {
            sheet.write_string(row, col, text).unwrap();
        }
        book.save_to_buffer().unwrap()
    }

    /// Two cells at opposite corners of the largest sheet (a used range of 2^34
    /// cells) are refused at the far one, without reserving the range.
    #[test]
    fn a_sparse_sheet_is_read_by_its_cells_and_bounded() {
        let corners = xlsx(&[(0, 0, "name"), (1_048_575, 16_383, "x")]);
        let Err(Error::InvalidFile { reason, .. }) = workbook("bomb.xlsx", &corners) else {
            panic!("refused");
        };
        assert!(reason.contains("beyond column 256"), "{reason}");
        let tall = xlsx(&[(0, 0, "name"), (1_048_575, 0, "x")]);
        let Err(Error::InvalidFile { reason, .. }) = workbook("tall.xlsx", &tall) else {
            panic!("refused");
        };
        assert!(reason.contains("more than 200000 rows"), "{reason}");
        // Within the limits, blank rows between are kept as blank rows.
        let gappy = xlsx(&[(2, 0, "name"), (2, 1, "kind"), (5, 1, "station")]);
        let (headings, rows) = workbook("gappy.xlsx", &gappy).unwrap();
        assert_eq!(headings, ["name", "kind"]);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[2], [Value::Null, Value::from("station")]);
        assert!(rows[0].is_empty() && rows[1].is_empty());
    }

    #[test]
    fn a_csv_of_more_rows_than_the_limit_is_refused() {
        let mut text = String::from("name\n");
        for i in 0..=MAX_ROWS {
            text.push_str(&format!("{i}\n"));
        }
        let Err(Error::InvalidFile { reason, .. }) = csv("many.csv", text.as_bytes(), None) else {
            panic!("refused");
        };
        assert!(reason.contains("more than 200000 rows"), "{reason}");
    }
}
