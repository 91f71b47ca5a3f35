//! `eta fit DATA.csv --column NAME`: fits the supported families to observed values and prints
//! them ranked, the best as a line ready to paste under `[inputs]`.

use super::args::FitArgs;
use super::failure::Failure;
use super::stdout;
use eta::dataset;
use eta::distribution::Family;
use eta::distribution::fit::{DataFit, fit_data};
use eta::format::trim_number;
use std::fmt::Write as _;

pub fn fit(args: &FitArgs) -> Result<(), Failure> {
    // The unit is checked before the data is read: a typo should not wait for a large file.
    let given_unit = match args.unit.as_deref() {
        Some(u) => Some(eta::quantity::parse_unit(u).ok_or_else(|| {
            Failure::Usage(format!(
                "--unit {u}: not a unit eta knows (e.g. h, min, km, km/h)"
            ))
        })?),
        None => None,
    };
    let bytes = read_limited(&args.data)?;
    let column = dataset::read_column(&bytes, &args.column)
        .map_err(|e| Failure::Run(format!("{}: {e}", args.data.display())))?;
    // Values given with units are fitted in --unit, else in their kind's usual unit.
    let unit = match (column.kind, given_unit) {
        (Some(kind), Some(u)) if u.kind != kind => {
            return Err(Failure::Usage(format!(
                "--unit {}: the values of `{}` are {kind}, not {}",
                u.name, args.column, u.kind
            )));
        }
        (Some(kind), None) => eta::quantity::parse_unit(kind.display_unit()),
        (_, given) => given,
    };
    let per_unit = match (column.kind, unit) {
        (Some(_), Some(u)) => u.to_base,
        _ => 1.0,
    };
    let values: Vec<f64> = column.values.iter().map(|v| v / per_unit).collect();
    let fits =
        fit_data(&values).map_err(|e| Failure::Run(format!("{}: {e}", args.data.display())))?;
    let unit = unit.map(|u| u.name);
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

/// The file's bytes, refusing more than [`dataset::MAX_BYTES`] (a device such as /dev/zero
/// would otherwise be read until memory runs out).
fn read_limited(path: &std::path::Path) -> Result<Vec<u8>, Failure> {
    use std::io::Read;
    let cannot = |e: std::io::Error| Failure::Usage(format!("cannot read {}: {e}", path.display()));
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(cannot)?
        .take(dataset::MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > dataset::MAX_BYTES {
        return Err(Failure::Usage(format!(
            "{} holds more than {} MiB: eta fit reads at most that much; fit a sample of the rows",
            path.display(),
            dataset::MAX_BYTES >> 20
        )));
    }
    Ok(bytes)
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
}
