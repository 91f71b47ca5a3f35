//! The command line: parses arguments, runs the pipeline and maps every failure to a message and
//! an exit code (1: the scenario is wrong or the run failed; 2: the command was used wrongly).

use crate::chart::{self, ChartInput};
use crate::diag::Diagnostic;
use crate::engine::{self, RunOptions};
use crate::model::{self, MAX_TRIALS, Model, Zone};
use crate::output::{self, AtomicFile};
use crate::report::console::{self, RunFacts};
use crate::report::{Summary, outline, samples::CsvSamples};
use crate::scenario::{ReadError, Source};
use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Trials kept whole for the sensitivity analysis (bounded, so memory does not grow with trials).
pub const DRIVER_SAMPLE: u64 = 100_000;

#[derive(Debug, Parser)]
#[command(
    name = "eta",
    version,
    about = "Monte Carlo scenario engine: when will it happen, and will it beat the deadline?",
    after_help = "Examples:\n  eta run scenarios/kim-eef-2023.toml\n  eta check scenarios/kim-eef-2023.toml"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario's trials and report when each milestone is reached and each deadline's odds.
    #[command(after_help = "Examples:\n  eta run scenarios/kim-eef-2023.toml\n  \
        eta run scenarios/kim-eef-2023.toml --trials 100000 --seed 7 --out /tmp/kim\n  \
        eta run scenarios/kim-eef-2023.toml --trials 10000 --samples trials.csv")]
    Run(RunArgs),
    /// Validate a scenario and print an outline of its model, without running it.
    #[command(after_help = "Example:\n  eta check scenarios/kim-eef-2023.toml")]
    Check {
        /// The scenario file (TOML).
        file: PathBuf,
    },
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The scenario file (TOML).
    pub file: PathBuf,
    /// Number of trials (default: the scenario's `trials`, else 1,000,000).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=MAX_TRIALS as u64))]
    pub trials: Option<u64>,
    /// Random seed (default: the scenario's `seed`). The same seed gives the same results.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub threads: Option<u64>,
    /// Output folder (default: output/<scenario file name>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Also write one CSV row per trial (inputs, route, milestone times) to this file.
    #[arg(long, value_name = "FILE.csv")]
    pub samples: Option<PathBuf>,
    /// Show times in this IANA zone instead of the scenario's display zone.
    #[arg(long)]
    pub zone: Option<String>,
    /// Skip the charts (PNG by default) written beside summary.json.
    #[arg(long)]
    pub no_charts: bool,
    /// Chart file format.
    #[arg(long, value_enum, default_value = "png")]
    pub format: crate::chart::Format,
    /// The milestone the arrival histogram shows (default: the first deadline's milestone).
    #[arg(long, value_name = "ID")]
    pub milestone: Option<String>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// A failure and how the process should end because of it.
enum Failure {
    Scenario(Box<(Diagnostic, Source)>),
    Usage(String),
    Run(String),
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match &cli.command {
        Command::Run(args) => run(args),
        Command::Check { file } => check(file),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Scenario(located)) => {
            let (diag, source) = *located;
            let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            eprintln!("{}", diag.render(&source.path, &source.text, color));
            ExitCode::from(1)
        }
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Run(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

/// Reads, parses and compiles a scenario file.
fn load(path: &Path) -> Result<(Source, Model), Failure> {
    let source = Source::read(path).map_err(|e| match e {
        ReadError::Io(message) => Failure::Usage(message),
        ReadError::Invalid(located) => Failure::Scenario(located),
    })?;
    let raw = match source.parse() {
        Ok(raw) => raw,
        Err(diag) => return Err(Failure::Scenario(Box::new((diag, source)))),
    };
    match model::compile(&raw) {
        Ok(model) => Ok((source, model)),
        Err(diag) => Err(Failure::Scenario(Box::new((diag, source)))),
    }
}

fn check(file: &Path) -> Result<(), Failure> {
    let (source, model) = load(file)?;
    print!("{}", outline::render(&model, &source.path));
    Ok(())
}

fn run(args: &RunArgs) -> Result<(), Failure> {
    let (source, model) = load(&args.file)?;
    let display = match &args.zone {
        Some(name) => Zone::get(name).ok_or_else(|| {
            Failure::Usage(format!(
                "--zone: unknown time zone \"{name}\" (use an IANA name such as Asia/Vladivostok)"
            ))
        })?,
        None => model.display_zone.clone(),
    };
    let out_dir = match &args.out {
        Some(dir) => dir.clone(),
        None => {
            let stem = args
                .file
                .file_stem()
                .map_or("scenario".into(), |s| s.to_string_lossy().into_owned());
            Path::new("output").join(stem)
        }
    };
    let chart_milestone = match &args.milestone {
        None => model.final_milestone(),
        Some(id) => model
            .milestones
            .iter()
            .position(|m| &m.id == id)
            .ok_or_else(|| {
                let ids: Vec<&str> = model.milestones.iter().map(|m| m.id.as_str()).collect();
                let near = crate::diag::closest(id, ids.iter().copied())
                    .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
                Failure::Usage(format!(
                    "--milestone: no milestone `{id}` in this scenario{near} (milestones: {})",
                    ids.join(", ")
                ))
            })?,
    };
    let trials = args.trials.unwrap_or(model.default_trials);
    let seed = args.seed.unwrap_or(model.default_seed);
    let threads = args.threads.map_or(0, |t| t as usize);

    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(trials),
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
    let options = RunOptions {
        trials,
        seed,
        threads,
        progress: Some(&progress),
        keep_trials: DRIVER_SAMPLE,
    };

    let mut samples_file = None;
    if let Some(path) = &args.samples {
        let file = AtomicFile::create(path).map_err(|e| {
            Failure::Usage(format!("--samples: cannot write {}: {e}", path.display()))
        })?;
        let sink = CsvSamples::new(file, &model, &display)
            .map_err(|e| Failure::Run(format!("cannot write {}: {e}", path.display())))?;
        samples_file = Some(sink);
    }
    let tally = engine::run(
        &model,
        &options,
        samples_file
            .as_mut()
            .map(|s| s as &mut dyn engine::TrialSink),
    )
    .map_err(|e| Failure::Run(e.to_string()))?;
    bar.finish_and_clear();
    let elapsed = started.elapsed().as_secs_f64();

    let summary = Summary::new(&model, &source.path, &tally, &display);
    output::prepare_dir(&out_dir).map_err(|e| {
        Failure::Run(format!(
            "cannot use output folder {}: {e}",
            out_dir.display()
        ))
    })?;
    output::write_atomic(&out_dir.join("summary.json"), summary.to_json().as_bytes()).map_err(
        |e| {
            Failure::Run(format!(
                "cannot write {}: {e}",
                out_dir.join("summary.json").display()
            ))
        },
    )?;
    let mut written = vec![out_dir.join("summary.json")];
    if !args.no_charts {
        let input = ChartInput {
            model: &model,
            tally: &tally,
            summary: &summary,
            zone: &display,
            milestone: chart_milestone,
        };
        written.extend(chart::render_all(&input, &out_dir, args.format).map_err(Failure::Run)?);
    }
    if let (Some(sink), Some(path)) = (samples_file, &args.samples) {
        sink.into_inner()
            .commit()
            .map_err(|e| Failure::Run(format!("cannot write {}: {e}", path.display())))?;
    }
    if !args.quiet {
        let facts = RunFacts {
            seconds: elapsed,
            threads: rayon_threads(threads),
        };
        let mut text = console::render(&summary, &model, &display, &facts);
        text.push('\n');
        for path in &written {
            text.push_str(&format!("Wrote {}\n", path.display()));
        }
        if let Some(path) = &args.samples {
            text.push_str(&format!("Wrote {}\n", path.display()));
        }
        let _ = std::io::stdout().write_all(text.as_bytes());
    }
    Ok(())
}

fn rayon_threads(requested: usize) -> usize {
    if requested > 0 {
        requested
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
}
