//! Observed values: one column of a CSV file, read as CSV means it (a UTF-8 byte-order mark,
//! quoted fields, blank lines, comma-, semicolon- or tab-separated), each cell a plain number or a
//! quantity with its unit (`1h30m`, `45 min`, `12 km`). Errors give the file's own line numbers.

use crate::quantity::{self, Kind};

/// The most a data file may hold: more than any column a person fits by hand, and a bound on
/// what a mistaken path (`/dev/zero`) can make eta read.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// A column's values: plain numbers as written, quantities in their kind's base unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub values: Vec<f64>,
    /// The kind of quantity the cells gave with their units (None: plain numbers).
    pub kind: Option<Kind>,
}

/// Why a column could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("the file is empty")]
    Empty,
    #[error("no column `{name}`{near} (columns: {columns})")]
    NoColumn {
        name: String,
        near: String,
        columns: String,
    },
    #[error("line {line}: `{cell}` is not a number or a quantity such as \"1h30m\" or \"12 km\"")]
    NotANumber { line: u64, cell: String },
    #[error(
        "line {line}: `{cell}` is {kind}, which cannot be fitted (fit durations, distances, speeds or plain numbers)"
    )]
    NotFittable { line: u64, cell: String, kind: Kind },
    #[error(
        "line {line}: `{cell}` is {kind}, but line {first_line} (`{first_cell}`) is {first_kind}: give every value of the column in units of one kind"
    )]
    MixedKinds {
        line: u64,
        cell: String,
        kind: String,
        first_line: u64,
        first_cell: String,
        first_kind: String,
    },
    #[error(transparent)]
    Csv(#[from] csv::Error),
}

/// The 1-based line of the record the reader places at byte `offset`. The reader's record
/// starts where the previous record ended, before any blank lines it skipped: skip them too.
fn line_at(bytes: &[u8], offset: u64) -> u64 {
    let start = usize::try_from(offset).map_or(bytes.len(), |o| o.min(bytes.len()));
    let blank = bytes[start..]
        .iter()
        .take_while(|&&b| b == b'\n' || b == b'\r')
        .count();
    1 + bytes[..start + blank]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
}

/// The field separator: a comma, unless the header line has none and has semicolons (as
/// spreadsheets write CSV where the comma is the decimal mark) or tabs.
fn delimiter(bytes: &[u8]) -> u8 {
    let header = bytes.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let count = |c: u8| header.iter().filter(|&&b| b == c).count();
    match (count(b','), count(b';'), count(b'\t')) {
        (0, s, t) if s > 0 && s >= t => b';',
        (0, _, t) if t > 0 => b'\t',
        _ => b',',
    }
}

/// A cell's value: a number, or a quantity in its kind's base unit. In a semicolon-separated
/// file a decimal comma (`1,5`) reads as a decimal point.
fn cell_value(cell: &str, decimal_comma: bool) -> Option<(Option<Kind>, f64)> {
    let cell = if decimal_comma && cell.matches(',').count() == 1 && !cell.contains('.') {
        cell.replace(',', ".")
    } else {
        cell.to_owned()
    };
    match quantity::parse_literal(&cell).ok()? {
        (Kind::Number, v) => Some((None, v)),
        (kind, v) => Some((Some(kind), v)),
    }
}

/// The values of column `name` (the header row first, then one value per row; empty cells are
/// skipped).
pub fn read_column(bytes: &[u8], name: &str) -> Result<Column, DataError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let separator = delimiter(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let mut records = reader.records();
    let header = records.next().ok_or(DataError::Empty)??;
    let index = header.iter().position(|h| h == name).ok_or_else(|| {
        let near = crate::diag::closest(name, header.iter())
            .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
        DataError::NoColumn {
            name: name.to_owned(),
            near,
            columns: header.iter().collect::<Vec<_>>().join(", "),
        }
    })?;
    let mut values = Vec::new();
    // The first cell's kind (None: a plain number), its line and text, for mixed-kind errors.
    let mut first: Option<(Option<Kind>, u64, String)> = None;
    for record in records {
        let record = record?;
        let cell = record.get(index).unwrap_or("");
        if cell.is_empty() {
            continue;
        }
        let line = record.position().map_or(0, |p| line_at(bytes, p.byte()));
        let (kind, value) =
            cell_value(cell, separator == b';').ok_or_else(|| DataError::NotANumber {
                line,
                cell: cell.to_owned(),
            })?;
        if let Some(k @ (Kind::Date | Kind::TimeOfDay)) = kind {
            return Err(DataError::NotFittable {
                line,
                cell: cell.to_owned(),
                kind: k,
            });
        }
        match &first {
            None => first = Some((kind, line, cell.to_owned())),
            Some((first_kind, first_line, first_cell)) if *first_kind != kind => {
                let described = |k: Option<Kind>| {
                    k.map_or("a plain number (no unit)".to_owned(), |k| k.to_string())
                };
                return Err(DataError::MixedKinds {
                    line,
                    cell: cell.to_owned(),
                    kind: described(kind),
                    first_line: *first_line,
                    first_cell: first_cell.clone(),
                    first_kind: described(*first_kind),
                });
            }
            Some(_) => {}
        }
        values.push(value);
    }
    Ok(Column {
        values,
        kind: first.and_then(|(kind, _, _)| kind),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<f64> {
        read_column(text.as_bytes(), "x").unwrap().values
    }

    #[test]
    fn a_bom_quotes_and_blank_lines_read_as_csv() {
        let text = "\u{feff}name,\"x\"\n\n\"a, b\",1.5\n\nc,2\n\n";
        assert_eq!(values(text), [1.5, 2.0]);
        let e = read_column(b"x\n1\n\n\ntwo\n", "x")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("line 5: `two` is not a number"), "{e}");
        let e = read_column(b"\xEF\xBB\xBFx\r\n\r\n1\r\n\r\n\r\ntwo", "x")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("line 6: `two` is not a number"), "{e}");
        assert!(matches!(read_column(b"\n\n", "x"), Err(DataError::Empty)));
    }

    #[test]
    fn semicolons_and_tabs_separate_fields_too() {
        assert_eq!(values("id;x\na;1,5\nb;2\n"), [1.5, 2.0]);
        assert_eq!(values("id\tx\na\t1.5\nb\t2\n"), [1.5, 2.0]);
        // A comma-separated file keeps commas as separators, quoted or not.
        assert_eq!(values("x,id\n\"1.5\",\"a;b\"\n"), [1.5]);
    }

    #[test]
    fn cells_may_carry_units_of_one_kind() {
        let c = read_column(b"x\n1h30m\n45 min\n2 h\n", "x").unwrap();
        assert_eq!(c.values, [5400.0, 2700.0, 7200.0]);
        assert_eq!(c.kind, Some(Kind::Duration));
        let e = read_column(b"x\n1h\n12 km\n", "x").unwrap_err().to_string();
        assert!(
            e.contains("line 3: `12 km` is a distance, but line 2 (`1h`) is a duration"),
            "{e}"
        );
        let e = read_column(b"x\n1h\n45\n", "x").unwrap_err().to_string();
        assert!(e.contains("is a plain number (no unit)"), "{e}");
        let e = read_column(b"x\n2023-09-10\n", "x")
            .unwrap_err()
            .to_string();
        assert!(e.contains("is a date, which cannot be fitted"), "{e}");
    }
}
