//! `eta sweep`: a scenario run at each value of one parameter on common random numbers; writes
//! sweep.json and the sweep chart, prints each point's probabilities and the 50%/80% crossings.

use super::args::SweepArgs;
use super::compare::{prepare, write_json};
use super::failure::Failure;
use super::options::{self, Plan};
use super::stdout;
use eta::analysis::sweep::{self, SweepReport};
use eta::analysis::{Scale, compare};
use eta::chart::{self, sweep::SweepChart};
use eta::format::{percent, percent_with_ci, thousands};
use eta::load;
use eta::scenario::overrides::Override;
use std::fmt::Write as _;

/// `eta sweep`: the scenario at each value of one parameter.
pub fn sweep(args: &SweepArgs) -> Result<(), Failure> {
    let source = load::read(&args.file)?;
    let set = options::overrides(&args.common.set)?;
    let (scale, points) = match &args.range {
        Some(range) => sweep::range(range)
            .map(|(scale, points)| (Some(scale), points))
            .map_err(|e| Failure::flag(&format!("--range {range}"), e))?,
        None => sweep::values(&args.values),
    };
    let mut variants = Vec::new();
    for (value, _) in &points {
        let o = Override {
            path: args.param.clone(),
            value: value.clone(),
            origin: format!("--param {}={value}", args.param),
        };
        let all: Vec<Override> = set.iter().cloned().chain([o]).collect();
        variants.push(load::variant(&source, value, None, &all)?);
    }
    let base = &variants[0].model;
    let plan = Plan::new(
        &args.common,
        base,
        &args.file,
        "-sweep",
        args.charts.format.into(),
    )?;
    let (comparison, _) = compare::compare(&variants, &plan.options(None), &plan.zone)?;
    let report = SweepReport::new(&args.param, &comparison, &points);
    let out_dir = &plan.out_dir;
    prepare(out_dir)?;
    write_json(&out_dir.join("sweep.json"), &report)?;
    let series = report.series();
    let deadline_label = base
        .deadlines
        .first()
        .map_or(String::new(), |d| d.label.clone());
    let chart_file = match (scale, series.len() >= 2) {
        (Some(scale), true) => Some(chart::sweep::render(
            &SweepChart {
                scenario: &base.name,
                param: &args.param,
                scale,
                deadline: &deadline_label,
                series: &series,
                trials: comparison.trials,
            },
            out_dir,
            plan.format,
        )?),
        _ => None,
    };
    if !args.common.quiet {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} · sweep of {} · {} trials per point · seed {} · common random numbers\n",
            base.name,
            args.param,
            thousands(comparison.trials),
            comparison.seed
        );
        for (d, deadline) in base.deadlines.iter().enumerate() {
            let _ = writeln!(out, "P({}) — {}", deadline.id, deadline.label);
            for p in &report.points {
                if let Some(o) = p.deadlines.get(d) {
                    let _ = writeln!(
                        out,
                        "  {} = {:16} {}",
                        args.param,
                        p.value,
                        percent_with_ci(o.probability, o.ci95)
                    );
                }
            }
        }
        if let Some(scale) = scale {
            for level in [0.5, 0.8] {
                let _ = writeln!(out, "{}", crossing_text(&series, level, scale, &args.param));
            }
        }
        let _ = writeln!(out, "\nWrote {}", out_dir.join("sweep.json").display());
        if let Some(file) = chart_file {
            let _ = writeln!(out, "Wrote {}", file.display());
        }
        stdout::print(&out)?;
    }
    Ok(())
}

fn crossing_text(series: &[(f64, f64, [f64; 2])], level: f64, scale: Scale, param: &str) -> String {
    match sweep::crossing(series, level) {
        Some(x) => format!(
            "P crosses {} at {param} ≈ {}",
            percent(level, 0),
            scale.show(x)
        ),
        None => format!("P does not cross {} in the swept range", percent(level, 0)),
    }
}
