//! `eta fit DATA.csv --column NAME`: fits the supported families to observed values and prints
//! them ranked, the best as a line ready to paste under `[inputs]`.

use crate::cli::{Failure, FitArgs};
use crate::distribution::Family;
use crate::distribution::fit::{DataFit, fit_data};
use crate::format::trim_number;
use std::fmt::Write as _;

pub fn fit(args: &FitArgs) -> Result<(), Failure> {
    let text = std::fs::read_to_string(&args.data)
        .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", args.data.display())))?;
    let values = column(&text, &args.column)
        .map_err(|e| Failure::Run(format!("{}: {e}", args.data.display())))?;
    let fits =
        fit_data(&values).map_err(|e| Failure::Run(format!("{}: {e}", args.data.display())))?;
    let unit = args.unit.as_deref();
    if let Some(u) = unit
        && crate::quantity::parse_unit(u).is_none()
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
    print!("{out}");
    Ok(())
}

/// The values of one CSV column (header row first; empty cells skipped).
fn column(text: &str, name: &str) -> Result<Vec<f64>, String> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<String> = lines
        .next()
        .ok_or("the file is empty")?
        .split(',')
        .map(|h| h.trim().trim_matches('"').to_owned())
        .collect();
    let index = header.iter().position(|h| h == name).ok_or_else(|| {
        let near = crate::diag::closest(name, header.iter().map(String::as_str))
            .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
        format!("no column `{name}`{near} (columns: {})", header.join(", "))
    })?;
    let mut values = Vec::new();
    for (row, line) in lines.enumerate() {
        let cell = line
            .split(',')
            .nth(index)
            .map(|c| c.trim().trim_matches('"'))
            .unwrap_or("");
        if cell.is_empty() {
            continue;
        }
        let v: f64 = cell
            .parse()
            .map_err(|_| format!("row {}: `{cell}` is not a number", row + 2))?;
        values.push(v);
    }
    Ok(values)
}

fn parameters(f: &Family, unit: Option<&str>) -> String {
    let u = unit.map_or(String::new(), |u| format!(" {u}"));
    let n = |v: f64| trim_number(v);
    match *f {
        Family::Normal { mean, sd } => format!("mean {}{u}, sd {}{u}", n(mean), n(sd)),
        Family::LogNormal { mu, sigma } => format!("mu {}, sigma {}", n(mu), n(sigma)),
        Family::Exponential { mean } => format!("mean {}{u}", n(mean)),
        Family::Gamma { shape, scale } => format!("shape {}, scale {}{u}", n(shape), n(scale)),
        Family::Weibull { shape, scale } => format!("shape {}, scale {}{u}", n(shape), n(scale)),
        Family::Uniform { min, max } => format!("min {}{u}, max {}{u}", n(min), n(max)),
        Family::Triangular { min, mode, max } => {
            format!("min {}{u}, mode {}{u}, max {}{u}", n(min), n(mode), n(max))
        }
        _ => String::new(),
    }
}

/// The fit as a scenario line: `name = { dist = "gamma", shape = 3.01, scale = 1.99, unit = "h" }`.
fn input_line(name: &str, fit: &DataFit, unit: Option<&str>) -> String {
    let n = |v: f64| trim_number(v);
    let body = match fit.family {
        Family::Normal { mean, sd } => format!("mean = {}, sd = {}", n(mean), n(sd)),
        Family::LogNormal { mu, sigma } => format!("mu = {}, sigma = {}", n(mu), n(sigma)),
        Family::Exponential { mean } => format!("mean = {}", n(mean)),
        Family::Gamma { shape, scale } => format!("shape = {}, scale = {}", n(shape), n(scale)),
        Family::Weibull { shape, scale } => format!("shape = {}, scale = {}", n(shape), n(scale)),
        Family::Uniform { min, max } => format!("min = {}, max = {}", n(min), n(max)),
        Family::Triangular { min, mode, max } => {
            format!("min = {}, mode = {}, max = {}", n(min), n(mode), n(max))
        }
        _ => String::new(),
    };
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
