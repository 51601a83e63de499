//! Comma-separated tables for Excel, GraphPad Prism and pandas.
//!
//! Format (RFC 4180 style, UTF-8, `\n` line ends): one header row, then one line per row.
//! A text cell is quoted (`"..."`, inner quotes doubled) when it contains a comma, a quote,
//! a line break, or leading/trailing spaces. Numbers are written with the shortest text that
//! parses back to the identical `f64` (plain notation for magnitudes in `[1e-4, 1e16)`, else
//! exponent notation such as `2.5e-7`, which Excel, Prism and pandas all read as a number).
//! NaN is written as an empty cell (read as "missing" by all three); infinities as `inf`/`-inf`.
//! The bytes depend only on the table, so identical tables give identical files.
//!
//! Units belong in the header text, e.g. `time_d` or `glucose_min_mM`.

use super::{fmt_f64, invalid, write_file};
use std::path::Path;

/// A table: a header row and data rows of the same length.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CsvTable {
    /// Column names, including units (for example `"time_d"`).
    pub header: Vec<String>,
    /// Data rows; each must have `header.len()` cells.
    pub rows: Vec<Vec<CsvCell>>,
}

/// One cell of a [`CsvTable`]. Units are those of the column named in the header.
#[derive(Debug, Clone, PartialEq)]
pub enum CsvCell {
    /// Free text (quoted in the file when needed).
    Text(String),
    /// A floating-point value (NaN becomes an empty cell).
    Num(f64),
    /// An integer value (for example a count or an index).
    Int(i64),
}

impl From<&str> for CsvCell {
    fn from(s: &str) -> Self {
        CsvCell::Text(s.to_string())
    }
}

impl From<String> for CsvCell {
    fn from(s: String) -> Self {
        CsvCell::Text(s)
    }
}

impl From<f64> for CsvCell {
    fn from(x: f64) -> Self {
        CsvCell::Num(x)
    }
}

impl From<i64> for CsvCell {
    fn from(x: i64) -> Self {
        CsvCell::Int(x)
    }
}

/// Quotes a text field when a CSV reader would otherwise split or trim it.
fn quote(s: &str) -> String {
    let needs = s.contains([',', '"', '\n', '\r'])
        || s.starts_with(char::is_whitespace)
        || s.ends_with(char::is_whitespace);
    if needs {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn cell_text(c: &CsvCell) -> String {
    match c {
        CsvCell::Text(s) => quote(s),
        CsvCell::Num(x) if x.is_nan() => String::new(),
        CsvCell::Num(x) => fmt_f64(*x),
        CsvCell::Int(i) => i.to_string(),
    }
}

/// Renders `table` as CSV text. Errors name the first row whose length differs from the
/// header's (rows are numbered from 1, the header is row 0).
pub fn to_csv_string(table: &CsvTable) -> Result<String, String> {
    if table.header.is_empty() {
        return Err("header is empty; a CSV table needs at least one column".into());
    }
    let ncol = table.header.len();
    let mut out = String::new();
    let header: Vec<String> = table.header.iter().map(|h| quote(h)).collect();
    out.push_str(&header.join(","));
    out.push('\n');
    for (r, row) in table.rows.iter().enumerate() {
        if row.len() != ncol {
            return Err(format!(
                "row {} has {} cells but the header has {ncol} columns",
                r + 1,
                row.len()
            ));
        }
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    Ok(out)
}

/// Writes `table` to `path` (created or truncated). Identical tables give identical bytes.
/// Fails with `InvalidInput` (naming the file and row) if the header is empty or a row has a
/// different number of cells than the header; nothing is written in that case.
pub fn write_csv(path: &Path, table: &CsvTable) -> std::io::Result<()> {
    let text = to_csv_string(table).map_err(|m| invalid(path, m))?;
    write_file(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Minimal RFC 4180 parser used to check that what we write reads back.
    fn parse(text: &str) -> Vec<Vec<String>> {
        let mut rows = vec![];
        let mut row = vec![];
        let mut field = String::new();
        let mut in_q = false;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match (in_q, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                (true, '"') => in_q = false,
                (true, c) => field.push(c),
                (false, '"') => in_q = true,
                (false, ',') => row.push(std::mem::take(&mut field)),
                (false, '\n') => {
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                (false, c) => field.push(c),
            }
        }
        rows
    }

    fn sample() -> CsvTable {
        CsvTable {
            header: vec!["arm".into(), "time_d".into(), "n_cells".into()],
            rows: vec![
                vec!["control, no drug".into(), 0.1.into(), 3i64.into()],
                vec![r#"say "hi""#.into(), f64::NAN.into(), (-7i64).into()],
                vec!["line\nbreak".into(), 2.5e-7.into(), 0i64.into()],
                vec![" padded".into(), 1.0e20.into(), i64::MAX.into()],
            ],
        }
    }

    #[test]
    fn quoting_and_numbers_round_trip() {
        let text = to_csv_string(&sample()).unwrap();
        let rows = parse(&text);
        assert_eq!(rows.len(), 5);
        assert_eq!(rows[0], ["arm", "time_d", "n_cells"]);
        assert_eq!(rows[1], ["control, no drug", "0.1", "3"]);
        assert_eq!(rows[2], [r#"say "hi""#, "", "-7"]);
        assert_eq!(rows[3], ["line\nbreak", "2.5e-7", "0"]);
        assert_eq!(rows[4], [" padded", "1e20", "9223372036854775807"]);
        assert_eq!(rows[3][1].parse::<f64>().unwrap(), 2.5e-7);
        // the raw text of the quoted cells
        assert!(text.contains("\"control, no drug\",0.1,3\n"));
        assert!(text.contains("\"say \"\"hi\"\"\",,-7\n"));
    }

    #[test]
    fn full_precision_is_kept() {
        let x = 1.0 / 3.0;
        let t = CsvTable {
            header: vec!["x".into()],
            rows: vec![vec![x.into()]],
        };
        let text = to_csv_string(&t).unwrap();
        assert_eq!(text, format!("x\n{x}\n"));
        assert_eq!(parse(&text)[1][0].parse::<f64>().unwrap(), x);
    }

    #[test]
    fn file_bytes_are_deterministic() {
        let dir = std::env::temp_dir().join(format!("nanospine-csv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (a, b) = (dir.join("a.csv"), dir.join("b.csv"));
        write_csv(&a, &sample()).unwrap();
        write_csv(&b, &sample()).unwrap();
        let (ba, bb) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(ba, bb);
        assert!(ba.starts_with(b"arm,time_d,n_cells\n"));
    }

    #[test]
    fn ragged_row_is_rejected_with_row_number() {
        let mut t = sample();
        t.rows[2].pop();
        let err = to_csv_string(&t).unwrap_err();
        assert!(err.contains("row 3 has 2 cells"), "{err}");
        let path = std::env::temp_dir().join("nanospine-never-written.csv");
        let e = write_csv(&path, &t).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
        assert!(e.to_string().contains("nanospine-never-written.csv"));
        assert!(!path.exists());
    }
}
