//! The observations a command is given besides the scenario's own `[observed]`: `--observed`
//! files, and `--at` and `--not-by` flags, each turned into a small `[observed]` table of its
//! own (so they are read, checked and located exactly like the scenario's), and `--prior`,
//! which drops every observation for the forecast as written.

use super::args::Common;
use super::failure::Failure;
use eta::load::{self, LoadError};
use eta::model::{Model, Observed};
use eta::scenario::Source;

/// The observations the command line gives, in the order they apply: files, then `--at`, then
/// `--not-by`.
pub fn sources(common: &Common) -> Result<Vec<Source>, Failure> {
    let mut out = Vec::new();
    for path in &common.observed {
        out.push(load::read(path)?);
    }
    for text in &common.at {
        out.push(flag_source("--at", text, "at")?);
    }
    for text in &common.not_by {
        out.push(flag_source("--not-by", text, "not_by")?);
    }
    Ok(out)
}

/// Whether the command line adds observations of its own.
pub fn any(common: &Common) -> bool {
    !(common.at.is_empty() && common.not_by.is_empty() && common.observed.is_empty())
}

/// Conditions `model` as the command line says: nothing with `--prior`, else the scenario's
/// observations and then `sources`.
pub fn condition(common: &Common, model: &mut Model, sources: &[Source]) -> Result<(), Failure> {
    if common.prior {
        model.given = Observed::default();
        return Ok(());
    }
    load::observe(model, sources).map_err(|e| match e {
        // A flag's own table is not a file the user can open: say what is wrong with the flag.
        LoadError::Invalid(located) if located.source.path.starts_with("--") => {
            let d = &located.diagnostic;
            Failure::Usage(format!(
                "{}: {}{}",
                located.source.path,
                d.message,
                d.help
                    .as_ref()
                    .map_or(String::new(), |h| format!("\n  help: {h}"))
            ))
        }
        e => e.into(),
    })
}

/// `MILESTONE=TIME`, optionally `MILESTONE=TIME ±DURATION` (or `+-DURATION`) for `--at`, as an
/// `[observed]` table whose path names the flag.
fn flag_source(flag: &str, text: &str, key: &str) -> Result<Source, Failure> {
    let usage = |why: &str| {
        Failure::Usage(format!(
            "{flag} {text}: {why}, e.g. {flag} departure=2023-09-10T15:00{}",
            if key == "at" { " (or ... ±30m)" } else { "" }
        ))
    };
    let (milestone, when) = text
        .split_once('=')
        .ok_or_else(|| usage("expected MILESTONE=TIME"))?;
    let (milestone, when) = (milestone.trim(), when.trim());
    if milestone.is_empty() || when.is_empty() {
        return Err(usage("expected MILESTONE=TIME"));
    }
    let (time, within) = match when.split_once('±').or_else(|| when.split_once("+-")) {
        Some((time, within)) if key == "at" => (time.trim(), Some(within.trim())),
        Some(_) => return Err(usage("\"not yet reached\" takes no ± (it is exact)")),
        None => (when, None),
    };
    let quoted = |s: &str| toml::Value::String(s.to_owned()).to_string();
    let within = within.map_or(String::new(), |w| format!(", within = {}", quoted(w)));
    Ok(Source {
        path: format!("{flag} {text}"),
        text: format!(
            "[observed]\nmilestones.{} = {{ {key} = {}{within} }}\n",
            quoted(milestone),
            quoted(time)
        ),
    })
}
