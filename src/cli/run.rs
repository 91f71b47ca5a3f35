//! `eta run FILE`: runs a scenario's trials (with a progress bar on a terminal), writes
//! summary.json, the charts and optionally the per-trial samples, and prints the console report
//! (or, with `--json`, summary.json's text).

use super::args::RunArgs;
use super::failure::Failure;
use super::interrupt;
use super::observe;
use super::options::{self, Plan};
use super::report;
use super::stdout;
use eta::analysis::{Focus, RunResults};
use eta::chart::Chart;
use eta::chart::{self, ChartInput};
use eta::engine;
use eta::format::{format_duration, thousands};
use eta::load;
use eta::model::Model;
use eta::output::{self, AtomicFile, OutputError, OutputSet, SamplesFile};
use eta::report::console::{self, RunFacts};
use eta::report::{Summary, samples::CsvSamples};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Runs once; returns the summary (for `--watch`, which compares runs).
pub fn run(args: &RunArgs) -> Result<Summary, Failure> {
    let set = options::overrides(&args.common.set)?;
    let (source, mut model) = load::load(&args.file, args.variant.as_deref(), &set)?;
    let observations = observe::sources(&args.common)?;
    observe::condition(&args.common, &mut model, &observations)?;
    let plan = Plan::for_run(args, &model)?;
    let chart_milestone = chart_milestone(args, &model)?;
    let focus = match &args.drivers_of {
        Some(name) => Focus::named(&model, name).map_err(|e| Failure::flag("--drivers-of", e))?,
        None if set.is_empty() => Focus::default_for(&model),
        // The scenario as written decides the default, so a deadline added by --set never takes
        // the focus over silently.
        None => match load::load(&args.file, args.variant.as_deref(), &[]) {
            Ok((_, written)) => Focus::kept_from(&written, &model),
            Err(_) => Focus::default_for(&model),
        },
    };

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
    options.sample_milestone = Some(focus.milestone);

    // Every output is checked (and the folder locked) before the first trial.
    let mut outputs = OutputSet::begin(&plan.out_dir, args.force).map_err(folder_failure)?;
    let summary_path = outputs.path("summary.json").map_err(folder_failure)?;
    let mut written = vec![outputs.dir().join("summary.json")];
    if !args.no_charts {
        for chart in Chart::ALL {
            let name = format!("{}.{}", chart.file_stem(), plan.format.extension());
            outputs.path(&name).map_err(folder_failure)?;
            written.push(outputs.dir().join(name));
        }
    }
    let report_file = report::claim(&mut outputs, &args.charts)?;
    if let Some(claimed) = &report_file {
        written.push(claimed.shown.clone());
    }
    let samples_file = match &args.samples {
        Some(path) => {
            written.push(path.clone());
            Some(samples(args, path, &args.file, &mut outputs)?)
        }
        None => None,
    };
    let sink = match (samples_file, &args.samples) {
        (Some(file), Some(path)) => Some(
            CsvSamples::new(file, &model, &plan.zone)
                .map_err(|e| Failure::cannot_write(path, e))?,
        ),
        _ => None,
    };
    let tally = engine::run(
        &model,
        &options,
        sink.as_ref().map(|s| s as &dyn engine::TrialSink),
    )?;
    bar.finish_and_clear();
    let elapsed = started.elapsed().as_secs_f64();
    eta::analysis::conditioning::check(&model, &tally).map_err(|e| Failure::Run(e.to_string()))?;

    let results = RunResults::with_focus(&model, &tally, focus);
    let summary = Summary::new(&model, &source.path, &results, &plan.zone);
    let json = summary.to_json();
    output::write_atomic(&summary_path, json.as_bytes())
        .map_err(|e| Failure::cannot_write(&outputs.dir().join("summary.json"), e))?;
    let input = ChartInput {
        model: &model,
        tally: &tally,
        results: &results,
        zone: &plan.zone,
        milestone: chart_milestone,
    };
    if !args.no_charts {
        chart::render_all(&input, outputs.staging(), plan.format)?;
    }
    if let Some(claimed) = &report_file {
        let (refs, svgs) = if args.no_charts {
            Default::default()
        } else {
            report::run_charts(claimed, &summary, &input)?
        };
        let comments = eta::scenario::comments::inputs(&source);
        let facts = report::facts(&source.text, args.common.sampling);
        let document = eta::report::document::run(&summary, &model, &comments, &facts, refs);
        let extension = (!args.no_charts).then(|| plan.format.extension());
        report::write(claimed, &document, &svgs, extension)?;
    }
    if interrupt::requested() {
        return Err(Failure::Interrupted);
    }
    // The samples first: the output folder's files follow only if they are in place.
    if let (Some(sink), Some(path)) = (sink, &args.samples) {
        sink.into_inner()
            .commit()
            .map_err(|e| Failure::cannot_write(path, e))?;
    }
    outputs.commit().map_err(folder_failure)?;
    if args.json {
        stdout::print(&json)?;
    } else if !args.common.quiet {
        let facts = RunFacts {
            seconds: elapsed,
            threads: tally.threads,
            precision: plan
                .precision
                .map(|p| precision_line(&p, tally.trials, tally.stopped_early)),
        };
        let mut text = console::render(&model, &source.path, &results, &plan.zone, &facts);
        text.push('\n');
        text.push_str(&wrote(&written));
        stdout::print(&text)?;
    }
    Ok(summary)
}

/// Where `--samples` goes: into the staging folder if it names a file of the output folder
/// (moved in with the rest; never one of the run's own reports or charts), else to the path
/// itself (see [`SamplesFile::open`]); never onto the scenario.
fn samples(
    args: &RunArgs,
    path: &Path,
    scenario: &Path,
    outputs: &mut OutputSet,
) -> Result<SamplesFile, Failure> {
    let refuse = |why: &str| Failure::flag("--samples", format!("{}: {why}", path.display()));
    if output::same_file(path, scenario) {
        return Err(refuse("is the scenario file"));
    }
    // A symbolic link is judged by where it points.
    let resolved = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_symlink() => std::fs::canonicalize(path)
            .map_err(|_| refuse("is a symbolic link to nothing that exists"))?,
        _ => path.to_owned(),
    };
    if let Some(name) = outputs.name_in_folder(&resolved) {
        if output::is_own_name(&name) {
            return Err(refuse("is one of the run's own outputs"));
        }
        let staged = outputs
            .path(&name)
            .map_err(|e| Failure::flag("--samples", e))?;
        let file = AtomicFile::create(&staged).map_err(|e| Failure::cannot_write(path, e))?;
        return Ok(SamplesFile::Atomic(file));
    }
    SamplesFile::open(&resolved, args.force, scenario).map_err(|e| Failure::flag("--samples", e))
}

/// Moves a finished what-if command's outputs into place, unless an interrupt came meanwhile
/// (then nothing moves); returns the files written.
pub(super) fn finish(outputs: OutputSet) -> Result<Vec<PathBuf>, Failure> {
    if interrupt::requested() {
        return Err(Failure::Interrupted);
    }
    outputs.commit().map_err(folder_failure)
}

/// One "Wrote PATH" line per file, as every command ends its report.
pub(super) fn wrote<'a>(files: impl IntoIterator<Item = &'a PathBuf>) -> String {
    files
        .into_iter()
        .map(|f| format!("Wrote {}\n", f.display()))
        .collect()
}

/// A failure of the output folder (exit 1).
pub(super) fn folder_failure(e: OutputError) -> Failure {
    Failure::Run(format!("cannot write the outputs: {e}"))
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
