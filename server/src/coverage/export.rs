//! Coverage tables for reports: CSV (UTF-8 with a byte-order mark, so Excel reads
//! the Chinese names) and XLSX (codes as text cells, so all 15 digits of a grid code
//! survive; the basis on a second sheet). Every row of the CSV repeats the basis, so
//! a figure never leaves without it.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::table::{Row, Table};

const COLUMNS: [&str; 10] = [
    "level",
    "id",
    "code",
    "name",
    "population",
    "covered_population",
    "uncovered_population",
    "coverage_pct",
    "buildings",
    "service_points",
];

/// A CSV field: one a spreadsheet would take for a formula (it begins with `=`, `+`,
/// `-`, `@`, a tab or a carriage return; OWASP's rule) is written after a `'`, so it
/// reads as text; quoted when it needs it (RFC 4180).
fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn cells(level: &str, row: &Row) -> [String; 10] {
    [
        level.to_owned(),
        row.area.id.clone(),
        row.area.code.clone().unwrap_or_default(),
        row.area.name.clone(),
        row.population.to_string(),
        row.covered_population.to_string(),
        (row.population - row.covered_population).to_string(),
        row.coverage_pct()
            .map_or_else(String::new, |p| format!("{p:.2}")),
        row.buildings.to_string(),
        row.service_points.to_string(),
    ]
}

/// The table as CSV: a header, one line per row, then the total; each line ends
/// with the basis (`basis` as (name, value) pairs).
pub fn csv(table: &Table, basis: &[(&str, String)]) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    let header: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .chain(basis.iter().map(|b| b.0))
        .collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for (level, row) in table.lines() {
        let line: Vec<String> = cells(level, row)
            .iter()
            .map(|c| field(c))
            .chain(basis.iter().map(|b| field(&b.1)))
            .collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// The table as an XLSX workbook: sheet "coverage" (ids, codes and names as text,
/// figures as numbers) and sheet "basis".
pub fn xlsx(table: &Table, basis: &[(&str, String)]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet().set_name("coverage")?;
    for (c, name) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *name, &bold)?;
    }
    for (i, (level, row)) in table.lines().enumerate() {
        let r = i as u32 + 1;
        let text = cells(level, row);
        for (c, cell) in text.iter().take(4).enumerate() {
            sheet.write_string(r, c as u16, cell)?;
        }
        let numbers = [
            row.population as f64,
            row.covered_population as f64,
            (row.population - row.covered_population) as f64,
        ];
        for (c, v) in numbers.into_iter().enumerate() {
            sheet.write_number(r, 4 + c as u16, v)?;
        }
        if let Some(pct) = row.coverage_pct() {
            sheet.write_number(r, 7, pct)?;
        }
        sheet.write_number(r, 8, f64::from(row.buildings))?;
        sheet.write_number(r, 9, f64::from(row.service_points))?;
    }
    sheet.set_column_width(1, 18)?;
    sheet.set_column_width(2, 18)?;
    sheet.set_column_width(3, 24)?;
    let about = book.add_worksheet().set_name("basis")?;
    for (r, (name, value)) in basis.iter().enumerate() {
        about.write_string(r as u32, 0, *name)?;
        about.write_string(r as u32, 1, value)?;
    }
    about.set_column_width(0, 22)?;
    about.set_column_width(1, 60)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::areas::{Area, Level};

    fn row(name: &str) -> Row {
        Row {
            area: Area {
                id: "370602001".to_owned(),
                code: None,
                name: name.to_owned(),
            },
            population: 10,
            covered_population: 4,
            buildings: 2,
            covered_buildings: 1,
            service_points: 1,
        }
    }

    /// No cell of the CSV begins with a character a spreadsheet reads as a formula,
    /// whatever the names and the basis hold; the text is kept after the `'`.
    #[test]
    fn csv_cells_never_start_a_formula() {
        let hostile = [
            "=HYPERLINK(\"http://x\",\"点击\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\tcmd",
            "\r=1",
        ];
        let table = Table {
            level: Level::Street,
            rows: hostile.iter().map(|n| row(n)).collect(),
            total: row("芝罘区"),
        };
        let text = String::from_utf8(csv(&table, &[("preset", "=1+1".to_owned())])).unwrap();
        let mut reader = ::csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let mut names = Vec::new();
        for record in reader.records() {
            let record = record.unwrap();
            for cell in record.iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{cell:?}"
                );
            }
            names.push(record[3].to_owned());
        }
        for (name, got) in hostile.iter().zip(&names) {
            assert_eq!(got, &format!("'{name}"));
        }
        assert_eq!(names.last().unwrap(), "芝罘区");
    }
}
