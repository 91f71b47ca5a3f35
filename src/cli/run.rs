//! `eta run FILE`: runs a scenario's trials (with a progress bar on a terminal), writes
//! summary.json, the charts and optionally the per-trial samples, and prints the console report.

use super::args::RunArgs;
use super::failure::Failure;
use super::options::{self, Plan};
use super::stdout;
use eta::analysis::RunResults;
use eta::chart::{self, ChartInput};
use eta::engine;
use eta::format::{format_duration, thousands};
use eta::load;
use eta::model::Model;
use eta::output::{self, AtomicFile};
use eta::report::console::{self, RunFacts};
use eta::report::{Summary, samples::CsvSamples};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Runs once; returns the summary (for `--watch`, which compares runs).
pub fn run(args: &RunArgs) -> Result<Summary, Failure> {
    let set = options::overrides(&args.common.set)?;
    let (source, model) = load::load(&args.file, args.variant.as_deref(), &set)?;
    let plan = Plan::for_run(args, &model)?;
    let chart_milestone = chart_milestone(args, &model)?;

    let show_progress = !args.common.quiet && std::io::stderr().is_terminal();
    // The bar's length is the most trials the run can take (a precision run may stop sooner).
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(plan.trials),
        indicatif::ProgressDrawTarget::hidden(),
    );
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {percent:>3}%  {human_pos}/{human_len} trials  eta {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let started = Instant::now();
    let shown = AtomicBool::new(false);
    // Only runs that last more than about a second get a bar: shorter ones would just flicker.
    let progress = |n: u64| {
        bar.inc(n);
        if show_progress && !shown.load(Ordering::Relaxed) && started.elapsed().as_secs_f64() > 0.8
        {
            shown.store(true, Ordering::Relaxed);
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    };
    let mut options = plan.options(Some(&progress));
    options.split_by_route = Some(chart_milestone);

    let mut samples_file = None;
    if let Some(path) = &args.samples {
        let file = AtomicFile::create(path).map_err(|e| {
            Failure::flag("--samples", format!("cannot write {}: {e}", path.display()))
        })?;
        let sink = CsvSamples::new(file, &model, &plan.zone)
            .map_err(|e| Failure::cannot_write(path, e))?;
        samples_file = Some(sink);
    }
    let tally = engine::run(
        &model,
        &options,
        samples_file.as_ref().map(|s| s as &dyn engine::TrialSink),
    )?;
    bar.finish_and_clear();
    let elapsed = started.elapsed().as_secs_f64();

    let results = RunResults::new(&model, &tally);
    let summary = Summary::new(&model, &source.path, &results, &plan.zone);
    let out_dir = &plan.out_dir;
    output::prepare_dir(out_dir).map_err(|e| {
        Failure::Run(format!(
            "cannot use output folder {}: {e}",
            out_dir.display()
        ))
    })?;
    let summary_file = out_dir.join("summary.json");
    output::write_atomic(&summary_file, summary.to_json().as_bytes())
        .map_err(|e| Failure::cannot_write(&summary_file, e))?;
    let mut written = vec![summary_file];
    if !args.no_charts {
        let input = ChartInput {
            model: &model,
            tally: &tally,
            results: &results,
            zone: &plan.zone,
            milestone: chart_milestone,
        };
        written.extend(chart::render_all(&input, out_dir, plan.format)?);
    }
    if let (Some(sink), Some(path)) = (samples_file, &args.samples) {
        sink.into_inner()
            .commit()
            .map_err(|e| Failure::cannot_write(path, e))?;
        written.push(path.clone());
    }
    if !args.common.quiet {
        let facts = RunFacts {
            seconds: elapsed,
            threads: tally.threads,
            precision: plan
                .precision
                .map(|p| precision_line(&p, tally.trials, tally.stopped_early)),
        };
        let mut text = console::render(&model, &source.path, &results, &plan.zone, &facts);
        text.push('\n');
        for path in &written {
            text.push_str(&format!("Wrote {}\n", path.display()));
        }
        stdout::print(&text)?;
    }
    Ok(summary)
}

/// The milestone the arrival histogram shows: `--milestone`, else the final one.
fn chart_milestone(args: &RunArgs, model: &Model) -> Result<usize, Failure> {
    let Some(id) = &args.milestone else {
        return Ok(model.final_milestone());
    };
    model
        .milestones
        .iter()
        .position(|m| &m.id == id)
        .ok_or_else(|| {
            let ids: Vec<&str> = model.milestones.iter().map(|m| m.id.as_str()).collect();
            let near = eta::diag::closest(id, ids.iter().copied())
                .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
            Failure::Usage(format!(
                "--milestone: no milestone `{id}` in this scenario{near} (milestones: {})",
                ids.join(", ")
            ))
        })
}

/// How a precision run ended: precise enough, or out of trials.
fn precision_line(p: &engine::Precision, trials: u64, stopped_early: bool) -> String {
    let median = p.median_seconds.map_or(String::new(), |m| {
        format!(" and the median's within ±{}", format_duration(m))
    });
    if stopped_early {
        format!(
            "Stopped at {} trials: every deadline's 95% interval is within ±{:.2} points{median}.",
            thousands(trials),
            p.probability * 100.0
        )
    } else {
        format!(
            "Ran the most trials allowed ({}) without reaching ±{:.2} points{median}: raise --max-trials.",
            thousands(trials),
            p.probability * 100.0
        )
    }
}
