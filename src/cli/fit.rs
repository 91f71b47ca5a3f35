//! `eta fit DATA.csv --column NAME`: fits the supported families to observed values and prints
//! them ranked, the best as a line ready to paste under `[inputs]`.

use super::args::FitArgs;
use super::failure::Failure;
use super::stdout;
use eta::distribution::Family;
use eta::distribution::fit::{DataFit, fit_data};
use eta::format::trim_number;
use std::fmt::Write as _;

pub fn fit(args: &FitArgs) -> Result<(), Failure> {
    let bytes = std::fs::read(&args.data)
        .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", args.data.display())))?;
    let values = column(&bytes, &args.column)
        .map_err(|e| Failure::Run(format!("{}: {e}", args.data.display())))?;
    let fits =
        fit_data(&values).map_err(|e| Failure::Run(format!("{}: {e}", args.data.display())))?;
    let unit = args.unit.as_deref();
    if let Some(u) = unit
        && eta::quantity::parse_unit(u).is_none()
    {
        return Err(Failure::Usage(format!(
            "--unit {u}: not a unit eta knows (e.g. h, min, km, km/h)"
        )));
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} values of `{}` from {}",
        values.len(),
        args.column,
        args.data.display()
    );
    let _ = writeln!(
        out,
        "{:12} {:>12} {:>10} {:>8}  parameters",
        "family", "log-lik", "AIC", "KS"
    );
    for f in &fits {
        let _ = writeln!(
            out,
            "{:12} {:>12.2} {:>10.2} {:>8.4}  {} ({})",
            f.family.name(),
            f.log_likelihood,
            f.aic,
            f.ks,
            parameters(&f.family, unit),
            f.method
        );
    }
    if let Some(best) = fits.first() {
        let _ = writeln!(
            out,
            "\nBest by AIC (lowest), ready to paste under [inputs]:\n{}",
            input_line(&args.column, best, unit)
        );
    }
    stdout::print(&out)
}

/// Why a column could not be read.
#[derive(Debug, thiserror::Error)]
enum ColumnError {
    #[error("the file is empty")]
    Empty,
    #[error("no column `{name}`{near} (columns: {columns})")]
    NoColumn {
        name: String,
        near: String,
        columns: String,
    },
    #[error("line {line}: `{cell}` is not a number")]
    NotANumber { line: u64, cell: String },
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

/// The values of one column of CSV text: the header row first, then one value per row. A UTF-8
/// byte-order mark, quoted fields (with commas inside) and blank lines are read as CSV means
/// them; empty cells are skipped. Errors give the file's own line numbers.
fn column(bytes: &[u8], name: &str) -> Result<Vec<f64>, ColumnError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let mut records = reader.records();
    let header = records.next().ok_or(ColumnError::Empty)??;
    let index = header.iter().position(|h| h == name).ok_or_else(|| {
        let near = eta::diag::closest(name, header.iter())
            .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
        ColumnError::NoColumn {
            name: name.to_owned(),
            near,
            columns: header.iter().collect::<Vec<_>>().join(", "),
        }
    })?;
    let mut values = Vec::new();
    for record in records {
        let record = record?;
        let cell = record.get(index).unwrap_or("");
        if cell.is_empty() {
            continue;
        }
        let v: f64 = cell.parse().map_err(|_| ColumnError::NotANumber {
            line: record.position().map_or(0, |p| line_at(bytes, p.byte())),
            cell: cell.to_owned(),
        })?;
        values.push(v);
    }
    Ok(values)
}

/// A fitted family's parameters for people: `min 1 h, max 5 h` (units on locations and spreads).
fn parameters(f: &Family, unit: Option<&str>) -> String {
    let unit = unit.map_or(String::new(), |u| format!(" {u}"));
    f.fields()
        .iter()
        .map(|&(key, v, role)| {
            let u = if role.carries_unit() {
                unit.as_str()
            } else {
                ""
            };
            format!("{key} {}{u}", trim_number(v))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A family's parameters as scenario keys: `shape = 3.01, scale = 1.99`.
fn scenario_fields(f: &Family) -> String {
    f.fields()
        .iter()
        .map(|&(key, v, _)| format!("{key} = {}", trim_number(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The fit as a scenario line: `name = { dist = "gamma", shape = 3.01, scale = 1.99, unit = "h" }`.
fn input_line(name: &str, fit: &DataFit, unit: Option<&str>) -> String {
    let body = scenario_fields(&fit.family);
    let unit = unit.map_or(String::new(), |u| format!(", unit = \"{u}\""));
    let key = if name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        name.to_owned()
    } else {
        "fitted".to_owned()
    };
    format!(
        "{key} = {{ dist = \"{}\", {body}{unit} }}",
        fit.family.name()
    )
}

#[cfg(test)]
mod tests {
    use eta::distribution::Family;

    /// Every family a fit can give prints from the family table: units on locations and spreads.
    #[test]
    fn fitted_families_print_from_the_family_table() {
        let cases = [
            (
                Family::Normal {
                    mean: 1.5,
                    sd: 0.25,
                },
                "mean 1.5 h, sd 0.25 h",
                "mean = 1.5, sd = 0.25",
            ),
            (
                Family::LogNormal {
                    mu: 0.5,
                    sigma: 0.125,
                },
                "mu 0.5, sigma 0.125",
                "mu = 0.5, sigma = 0.125",
            ),
            (Family::Exponential { mean: 2.0 }, "mean 2 h", "mean = 2"),
            (
                Family::Gamma {
                    shape: 3.0,
                    scale: 1.5,
                },
                "shape 3, scale 1.5 h",
                "shape = 3, scale = 1.5",
            ),
            (
                Family::Weibull {
                    shape: 3.0,
                    scale: 1.5,
                },
                "shape 3, scale 1.5 h",
                "shape = 3, scale = 1.5",
            ),
            (
                Family::Uniform { min: 1.0, max: 2.0 },
                "min 1 h, max 2 h",
                "min = 1, max = 2",
            ),
            (
                Family::Triangular {
                    min: 1.0,
                    mode: 2.0,
                    max: 4.0,
                },
                "min 1 h, mode 2 h, max 4 h",
                "min = 1, mode = 2, max = 4",
            ),
        ];
        for (family, printed, line) in cases {
            assert_eq!(super::parameters(&family, Some("h")), printed);
            assert_eq!(super::scenario_fields(&family), line);
        }
    }

    use super::*;

    #[test]
    fn a_bom_quotes_and_blank_lines_read_as_csv() {
        let text = "\u{feff}name,\"x\"\n\n\"a, b\",1.5\n\nc,2\n\n";
        assert_eq!(column(text.as_bytes(), "x").unwrap(), [1.5, 2.0]);
        let e = column(b"x\n1\n\n\ntwo\n", "x").unwrap_err().to_string();
        assert_eq!(e, "line 5: `two` is not a number");
        let e = column(b"\xEF\xBB\xBFx\r\n\r\n1\r\n\r\n\r\ntwo", "x")
            .unwrap_err()
            .to_string();
        assert_eq!(e, "line 6: `two` is not a number");
        assert!(matches!(column(b"\n\n", "x"), Err(ColumnError::Empty)));
    }
}
