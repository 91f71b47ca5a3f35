//! `eta sweep`: a scenario run at each value of one parameter on common random numbers; writes
//! sweep.json and the sweep chart, prints each point's probabilities and the 50%/80% crossings.

use super::args::SweepArgs;
use super::compare::write_json;
use super::failure::Failure;
use super::observe;
use super::options::{self, Plan};
use super::report as shared_report;
use super::run;
use super::stdout;
use eta::analysis::compare;
use eta::analysis::sweep::{self, Sweep};
use eta::chart::{self, sweep::SweepChart};
use eta::load;
use eta::output::OutputSet;
use eta::report::{self, sweep::SweepReport};
use eta::scenario::Source;
use eta::scenario::overrides::{self, Override};

/// `eta sweep`: the scenario at each value of one parameter.
pub fn sweep(args: &SweepArgs) -> Result<(), Failure> {
    let (source, _) = load::checked(load::read(&args.file)?)?;
    let set = options::overrides(&args.common.set)?;
    let (scale, points) = match &args.range {
        Some(range) => sweep::range(range)
            .map(|(scale, points)| (Some(scale), points))
            .map_err(|e| Failure::flag(&format!("--range {range}"), e))?,
        None => sweep::values(&args.values).map_err(|e| Failure::flag("--values", e))?,
    };
    let observations = observe::sources(&args.common)?;
    let mut variants = Vec::new();
    for (value, _) in &points {
        let o = Override {
            path: args.param.clone(),
            value: value.clone(),
            origin: format!("--param {}={value}", args.param),
        };
        let all: Vec<Override> = set.iter().cloned().chain([o]).collect();
        let mut variant = load::variant(&source, value, None, &all)?;
        observe::condition(&args.common, &mut variant.model, &observations)?;
        variants.push(variant);
    }
    let base = &variants[0].model;
    let plan = Plan::new(
        &args.common,
        base,
        &args.file,
        "-sweep",
        args.charts.format.into(),
    )?;
    // Every output path is claimed (and checked) before the trials run.
    let mut outputs = OutputSet::begin(&plan.out_dir, false).map_err(run::folder_failure)?;
    let json = outputs.path("sweep.json").map_err(run::folder_failure)?;
    outputs
        .path(&format!("sweep.{}", plan.format.extension()))
        .map_err(run::folder_failure)?;
    let report_file = shared_report::claim(&mut outputs, &args.charts)?;
    let (comparison, _) = compare::compare(&variants, &plan.options(None))?;
    let sweep = Sweep::new(&comparison, &points, scale);
    let contract = SweepReport::new(&args.param, &sweep, base, &plan.zone);
    write_json(&json, &contract)?;
    let deadline_label = sweep
        .deadlines
        .first()
        .map_or(String::new(), |&d| base.deadlines[d].label.clone());
    let drawn = sweep
        .curve
        .as_ref()
        .filter(|c| c.points.len() >= 2)
        .map(|curve| SweepChart {
            scenario: &base.name,
            param: &args.param,
            deadline: &deadline_label,
            curve,
            trials: sweep.trials,
            unit: chart::sweep::axis_unit(base, &args.param, curve.scale),
        });
    if let Some(sweep_chart) = &drawn {
        chart::sweep::render(sweep_chart, outputs.staging(), plan.format)?;
    }
    if let Some(claimed) = &report_file {
        let mut charts = Vec::new();
        if let Some(sweep_chart) = &drawn {
            let svg = if shared_report::inlines_charts(claimed) {
                chart::sweep::svg(sweep_chart)?
            } else {
                String::new()
            };
            charts.push((
                "sweep",
                "The probability of making the deadline at each value, with its 95% band and the 50% and 80% crossings.",
                svg,
            ));
        }
        let (refs, inline) = shared_report::plain_charts(charts);
        let facts = shared_report::facts(&source.text, args.common.sampling);
        let file = args.file.display().to_string();
        let document =
            eta::report::document::sweep(&contract, base, &plan.zone, &file, &facts, refs);
        shared_report::write(claimed, &document, &inline, Some(plan.format.extension()))?;
    }
    let files = run::finish(outputs)?;
    if !args.common.quiet {
        let mut out = report::sweep::render(&args.param, &sweep, base);
        if let Some(note) = rescaling_note(&source, &args.param, &points) {
            out.push_str(&format!("\nNote: {note}.\n"));
        }
        out.push('\n');
        out.push_str(&run::wrote(&files));
        stdout::print(&out)?;
    }
    Ok(())
}

/// What varying `param` does to the other routes, when it is one route's probability.
pub fn rescaling_note(
    source: &Source,
    param: &str,
    points: &[(String, Option<f64>)],
) -> Option<String> {
    let (value, _) = points.first()?;
    let o = Override {
        path: param.to_owned(),
        value: value.clone(),
        origin: format!("--param {param}"),
    };
    overrides::route_rescaling_note(source, &[o])
}
