//! `eta compare`: a scenario's baseline and its variants (or several scenario files) run on
//! common random numbers; writes compare.json and the comparison charts, prints the differences.

use super::args::CompareArgs;
use super::failure::Failure;
use super::observe;
use super::options::{self, Plan};
use super::report;
use super::run;
use super::stdout;
use eta::analysis::compare;
use eta::chart;
use eta::load::{self, Variant};
use eta::model::Model;
use eta::output::{self, OutputSet};
use eta::report::compare::{CompareReport, render};
use eta::scenario::overrides::{self, Override};
use serde::Serialize;
use std::path::Path;

/// `eta compare`: the baseline and its variants (or several files), paired.
pub fn compare(args: &CompareArgs) -> Result<(), Failure> {
    let common = &args.common;
    let set = options::overrides(&common.set)?;
    let first = args
        .files
        .first()
        .ok_or_else(|| Failure::Usage("compare needs a scenario file".into()))?;
    let variants = if observe::any(common) {
        before_and_after(args, first, &set)?
    } else if args.files.len() > 1 {
        files(args, &set)?
    } else {
        declared(args, first, &set)?
    };
    let base = &variants[0].model;
    let models: Vec<&Model> = variants.iter().map(|v| &v.model).collect();
    if compare::Shared::new(&models).is_empty() {
        return Err(Failure::Usage(format!(
            "nothing to compare: {} share no deadline (by id) and not the milestone `{}`",
            args.files
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(" and "),
            base.milestones[base.final_milestone()].id
        )));
    }
    let plan = Plan::new(common, base, first, "-compare", args.charts.format.into())?;
    // Every output path is claimed (and checked) before the trials run.
    let mut outputs = OutputSet::begin(&plan.out_dir, false).map_err(run::folder_failure)?;
    let json = outputs.path("compare.json").map_err(run::folder_failure)?;
    for stem in ["compare-cdf", "compare-deltas"] {
        outputs
            .path(&format!("{stem}.{}", plan.format.extension()))
            .map_err(run::folder_failure)?;
    }
    let report_file = report::claim(&mut outputs, &args.charts)?;
    let (comparison, tallies) = compare::compare(&variants, &plan.options(None))?;
    for (variant, tally) in variants.iter().zip(&tallies) {
        eta::analysis::conditioning::check(&variant.model, tally)
            .map_err(|e| Failure::Run(e.to_string()))?;
    }
    let contract = CompareReport::new(&comparison, &models, &plan.zone);
    write_json(&json, &contract)?;
    if let Some(claimed) = &report_file {
        let svgs = if report::inlines_charts(claimed) {
            chart::compare::svg(&comparison, &models, &tallies, &plan.zone)?.to_vec()
        } else {
            vec![String::new(), String::new()]
        };
        let [cdf, deltas]: [String; 2] = svgs.try_into().unwrap_or_default();
        let (refs, inline) = report::plain_charts(vec![
            (
                "compare-cdf",
                "Each variant's S-curve of the compared milestone, with the deadline.",
                cdf,
            ),
            (
                "compare-deltas",
                "Each variant's paired change in the probability of making the deadline, with its 95% interval.",
                deltas,
            ),
        ]);
        let text = std::fs::read_to_string(first).unwrap_or_default();
        let facts = report::facts(&text, common.sampling);
        let file = first.display().to_string();
        let document = eta::report::document::compare(&contract, base, &file, &facts, refs);
        report::write(claimed, &document, &inline, Some(plan.format.extension()))?;
    }
    chart::compare::render(
        &comparison,
        &models,
        &tallies,
        &plan.zone,
        outputs.staging(),
        plan.format,
    )?;
    let files = run::finish(outputs)?;
    if !common.quiet {
        let mut text = render(&comparison, &models, &plan.zone);
        text.push_str(&run::wrote(&files));
        stdout::print(&text)?;
    }
    Ok(())
}

/// One scenario's forecast before the observations the command line gives (conditioned only on
/// its own `[observed]`, if that says to) and after them.
fn before_and_after(
    args: &CompareArgs,
    file: &Path,
    set: &[Override],
) -> Result<Vec<Variant>, Failure> {
    if args.files.len() > 1 || !args.variants.is_empty() {
        return Err(Failure::Usage(
            "with --at, --not-by or --observed, compare shows one scenario's forecast before and \
             after those observations: give one file and no --variants"
                .into(),
        ));
    }
    let (source, _) = load::checked(load::read(file)?)?;
    let mut before = load::variant(&source, "before", None, set)?;
    let mut after = load::variant(&source, "after", None, set)?;
    let sources = observe::sources(&args.common)?;
    observe::condition(&args.common, &mut after.model, &sources)?;
    let given = |v: &Variant| v.model.given.describe(&v.model).join("; ");
    before.description = Some(if before.model.given.is_empty() {
        "the forecast as written".to_owned()
    } else {
        format!("given: {}", given(&before))
    });
    after.description = Some(format!("given: {}", given(&after)));
    Ok(vec![before, after])
}

/// Several scenario files, each with the `--set` overrides, named by their file names.
fn files(args: &CompareArgs, set: &[Override]) -> Result<Vec<Variant>, Failure> {
    if !args.variants.is_empty() {
        return Err(Failure::Usage(
            "--variants compares variants of one scenario; give one file".into(),
        ));
    }
    let mut variants = Vec::new();
    for file in &args.files {
        let (source, _) = load::checked(load::read(file)?)?;
        let name = file
            .file_stem()
            .map_or("scenario".into(), |s| s.to_string_lossy().into_owned());
        variants.push(load::variant(&source, &name, None, set)?);
    }
    Ok(variants)
}

/// One scenario's baseline, then the variants it declares (those `--variants` names, or all).
fn declared(args: &CompareArgs, file: &Path, set: &[Override]) -> Result<Vec<Variant>, Failure> {
    let (source, _) = load::checked(load::read(file)?)?;
    let mut variants = vec![load::variant(
        &source,
        "baseline",
        Some("the scenario as written".into()),
        set,
    )?];
    let declared = overrides::variants(&source)?;
    if declared.is_empty() {
        return Err(Failure::Usage(format!(
            "{} declares no [variants.NAME] to compare; add some, or give two scenario files",
            file.display()
        )));
    }
    let names: Vec<&str> = declared.iter().map(|(n, _, _)| n.as_str()).collect();
    for wanted in &args.variants {
        if !names.contains(&wanted.as_str()) {
            let near = eta::diag::closest(wanted, names.iter().copied())
                .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
            return Err(Failure::Usage(format!(
                "--variants: no variant `{wanted}`{near} (declared: {})",
                names.join(", ")
            )));
        }
    }
    for (name, description, overrides) in declared {
        if args.variants.is_empty() || args.variants.contains(&name) {
            let all: Vec<Override> = overrides.into_iter().chain(set.iter().cloned()).collect();
            variants.push(load::variant(&source, &name, description, &all)?);
        }
    }
    Ok(variants)
}

/// Writes `value` as pretty JSON (with a final newline) to `path`, atomically.
pub fn write_json(path: &Path, value: &impl Serialize) -> Result<(), Failure> {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| Failure::Run(e.to_string()))?;
    text.push('\n');
    output::write_atomic(path, text.as_bytes()).map_err(|e| Failure::cannot_write(path, e))
}
