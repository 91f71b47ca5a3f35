//! The command line: parses arguments, runs the pipeline and maps every failure to a message and
//! an exit code (1: the scenario is wrong or the run failed; 2: the command was used wrongly).

use crate::analysis::RunResults;
use crate::analysis::whatif;
use crate::chart::{self, ChartInput};
use crate::diag::Diagnostic;
use crate::engine::{self, RunOptions};
use crate::model::{self, MAX_TRIALS, Model, Zone};
use crate::output::{self, AtomicFile};
use crate::report::console::{self, RunFacts};
use crate::report::{Summary, outline, samples::CsvSamples};
use crate::scenario::overrides::{self, Override};
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
    /// Compare variants of a scenario (or two scenario files) on common random numbers.
    #[command(
        after_help = "Examples:\n  eta compare scenarios/kim-eef-2023.toml\n  \
        eta compare scenarios/kim-eef-2023.toml --variants leaves_on_11th,surprise_twice_as_likely\n  \
        eta compare a.toml b.toml"
    )]
    Compare(CompareArgs),
    /// Run a scenario at several values of one parameter, on common random numbers.
    #[command(
        after_help = "Examples:\n  eta sweep scenarios/kim-eef-2023.toml --param dprk_speed.mode --values 40,45,50,55,60\n  \
        eta sweep scenarios/kim-eef-2023.toml --param surprise.probability --range 0:0.5:6 --set disclosed.probability=1"
    )]
    Sweep(SweepArgs),
    /// Find the parameter value at which a deadline target is just met (bisection).
    #[command(
        after_help = "Example:\n  eta solve scenarios/kim-eef-2023.toml --param planned_departure.start.time \\\n    \
        --target 'P(plenary) >= 0.8' --set departure_day=2023-09-11"
    )]
    Solve(SolveArgs),
    /// Fit the supported distributions to observed values and print the best as a scenario line.
    #[command(after_help = "Example:\n  eta fit delays.csv --column dwell_hours --unit h")]
    Fit(FitArgs),
    /// Validate a scenario and print an outline of its model, without running it.
    #[command(after_help = "Example:\n  eta check scenarios/kim-eef-2023.toml")]
    Check {
        /// The scenario file (TOML).
        file: PathBuf,
    },
}

/// Options every running command shares.
#[derive(Debug, Clone, clap::Args)]
pub struct Common {
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
    /// Override any input or field, in the file's own syntax (repeatable), e.g.
    /// --set dprk_speed.mode=55 or --set 'ceremony={ dist = "fixed", value = "1h" }'.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Show times in this IANA zone instead of the scenario's display zone.
    #[arg(long)]
    pub zone: Option<String>,
    /// How inputs are drawn: plain Monte Carlo, Latin hypercube (stratified per chunk), or
    /// scrambled Sobol' quasi-Monte Carlo.
    #[arg(long, value_enum, default_value = "mc")]
    pub sampling: engine::Sampling,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// One scenario (its variants are compared with it) or several scenario files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Which variants to compare with the baseline (default: all the scenario declares).
    #[arg(long, value_delimiter = ',')]
    pub variants: Vec<String>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    pub file: PathBuf,
    /// The parameter to vary, as in --set (e.g. dprk_speed.mode).
    #[arg(long)]
    pub param: String,
    /// The values to try, comma-separated (in the file's syntax, e.g. 40,50,60 or 05:00,08:00).
    #[arg(
        long,
        value_delimiter = ',',
        conflicts_with = "range",
        required_unless_present = "range"
    )]
    pub values: Vec<String>,
    /// LOW:HIGH:STEPS, evenly spaced (numbers, or quantities such as 30min:3h:6).
    #[arg(long)]
    pub range: Option<String>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, clap::Args)]
pub struct SolveArgs {
    pub file: PathBuf,
    /// The parameter to solve for, as in --set.
    #[arg(long)]
    pub param: String,
    /// The target, e.g. 'P(plenary) >= 0.8'.
    #[arg(long)]
    pub target: String,
    /// Lowest value to search (default: from the parameter's kind and current value).
    #[arg(long)]
    pub low: Option<String>,
    /// Highest value to search.
    #[arg(long)]
    pub high: Option<String>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, clap::Args)]
pub struct FitArgs {
    /// A CSV file with a header row.
    pub data: PathBuf,
    /// The column to fit.
    #[arg(long)]
    pub column: String,
    /// The unit of the values (e.g. h, min, km, km/h), written into the scenario line.
    #[arg(long)]
    pub unit: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The scenario file (TOML).
    pub file: PathBuf,
    #[command(flatten)]
    pub common: Common,
    /// Run one of the variants the scenario declares under [variants.NAME].
    #[arg(long)]
    pub variant: Option<String>,
    /// Rerun whenever the file is saved, printing what changed.
    #[arg(long)]
    pub watch: bool,
    /// Run until every deadline probability's 95% interval is within ± this (e.g. 0.005 for
    /// ±0.5 points), in doubling batches, up to --max-trials.
    #[arg(long, value_name = "HALF_WIDTH", value_parser = parse_probability)]
    pub precision: Option<f64>,
    /// With --precision: also run until the final milestone's median is known within ± this
    /// duration (e.g. 5min).
    #[arg(long, value_name = "DURATION", requires = "precision", value_parser = parse_duration)]
    pub precision_median: Option<f64>,
    /// With --precision: the most trials to run (default 100,000,000).
    #[arg(long, requires = "precision", value_parser = clap::value_parser!(u64).range(1000..=MAX_TRIALS as u64))]
    pub max_trials: Option<u64>,
    /// Also write one CSV row per trial (inputs, route, milestone times) to this file.
    #[arg(long, value_name = "FILE.csv")]
    pub samples: Option<PathBuf>,
    /// Skip the charts (PNG by default) written beside summary.json.
    #[arg(long)]
    pub no_charts: bool,
    /// Chart file format.
    #[arg(long, value_enum, default_value = "png")]
    pub format: crate::chart::Format,
    /// The milestone the arrival histogram shows (default: the first deadline's milestone).
    #[arg(long, value_name = "ID")]
    pub milestone: Option<String>,
}

fn parse_probability(text: &str) -> Result<f64, String> {
    let v: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if v > 0.0 && v < 0.5 {
        Ok(v)
    } else {
        Err("expected a half-width between 0 and 0.5, e.g. 0.005".into())
    }
}

fn parse_duration(text: &str) -> Result<f64, String> {
    match crate::quantity::parse_literal(text) {
        Ok((crate::quantity::Kind::Duration, v)) if v > 0.0 => Ok(v),
        _ => Err(format!(
            "`{text}` is not a positive duration such as 5min or 1h"
        )),
    }
}

/// A failure and how the process should end because of it.
pub(crate) enum Failure {
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
        Command::Run(args) if args.watch => crate::whatif_cli::watch(args),
        Command::Run(args) => run(args).map(|_| ()),
        Command::Compare(args) => crate::whatif_cli::compare(args),
        Command::Sweep(args) => crate::whatif_cli::sweep(args),
        Command::Solve(args) => crate::whatif_cli::solve(args),
        Command::Fit(args) => crate::fit_cli::fit(args),
        Command::Check { file } => check(file),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => report(failure),
    }
}

/// Prints a failure the way its kind calls for and gives the exit code.
pub(crate) fn report(failure: Failure) -> ExitCode {
    match failure {
        Failure::Scenario(located) => {
            let (diag, source) = *located;
            let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            eprintln!("{}", diag.render(&source.path, &source.text, color));
            ExitCode::from(1)
        }
        Failure::Usage(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Failure::Run(message) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}

/// Reads a scenario file's text.
pub(crate) fn read(path: &Path) -> Result<Source, Failure> {
    Source::read(path).map_err(|e| match e {
        ReadError::Io(message) => Failure::Usage(message),
        ReadError::Invalid(located) => Failure::Scenario(located),
    })
}

/// Reads, parses and compiles a scenario file, with `--set` overrides and a variant applied.
pub(crate) fn load_with(
    path: &Path,
    set: &[String],
    variant: Option<&str>,
) -> Result<(Source, Model), Failure> {
    // The scenario as written must be valid (variants included) before anything overrides it.
    let (source, base) = load_source(read(path)?)?;
    let mut overrides = Vec::new();
    if let Some(name) = variant {
        let declared = overrides::variants(&source).map_err(Failure::Usage)?;
        let names: Vec<&str> = declared.iter().map(|(n, _, _)| n.as_str()).collect();
        let Some((_, _, set)) = declared.iter().find(|(n, _, _)| n == name) else {
            let near = crate::diag::closest(name, names.iter().copied())
                .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
            let list = if names.is_empty() {
                "it declares none".to_owned()
            } else {
                format!("it declares {}", names.join(", "))
            };
            return Err(Failure::Usage(format!(
                "--variant {name}: the scenario has no such variant{near} ({list})"
            )));
        };
        overrides.extend(set.iter().cloned());
    }
    for text in set {
        overrides.push(Override::parse(text).map_err(Failure::Usage)?);
    }
    if overrides.is_empty() {
        return Ok((source, base));
    }
    let variant = whatif::variant(&source, "", None, &overrides).map_err(Failure::from)?;
    Ok((variant.source, variant.model))
}

impl From<whatif::VariantError> for Failure {
    fn from(e: whatif::VariantError) -> Failure {
        match e {
            whatif::VariantError::Override(message) => Failure::Usage(message),
            whatif::VariantError::Scenario(located) => Failure::Scenario(located),
        }
    }
}

fn load(path: &Path) -> Result<(Source, Model), Failure> {
    load_source(read(path)?)
}

fn load_source(source: Source) -> Result<(Source, Model), Failure> {
    let raw = match source.parse() {
        Ok(raw) => raw,
        Err(diag) => return Err(Failure::Scenario(Box::new((diag, source)))),
    };
    let checked = model::compile(&raw).and_then(|model| {
        overrides::check_variants(&source, &raw).map(|declared| (model, declared))
    });
    match checked {
        Ok((model, declared)) => {
            // Each variant must make a valid scenario too: one that would fail is an error
            // whenever the file is used, not only when it is run.
            for (name, description, set) in declared {
                whatif::variant(&source, &name, description, &set)?;
            }
            Ok((source, model))
        }
        Err(diag) => Err(Failure::Scenario(Box::new((diag, source)))),
    }
}

fn check(file: &Path) -> Result<(), Failure> {
    // Loading checked the variants already; this only lists them.
    let (source, model) = load(file)?;
    let mut text = outline::render(&model, &source.path);
    let variants = overrides::variants(&source).map_err(Failure::Usage)?;
    if !variants.is_empty() {
        text.push_str("\nVariants\n");
    }
    for (name, description, _) in &variants {
        text.push_str(&format!(
            "  {name}: {}\n",
            description.as_deref().unwrap_or("")
        ));
    }
    print!("{text}");
    Ok(())
}

impl Common {
    /// The display zone: `--zone`, else the scenario's.
    pub(crate) fn zone(&self, model: &Model) -> Result<Zone, Failure> {
        match &self.zone {
            Some(name) => Zone::get(name).ok_or_else(|| {
                Failure::Usage(format!(
                    "--zone: unknown time zone \"{name}\" (use an IANA name such as Asia/Vladivostok)"
                ))
            }),
            None => Ok(model.display_zone.clone()),
        }
    }

    /// `--out`, else output/<file stem>/ (plus a suffix for what-if commands).
    pub(crate) fn out_dir(&self, file: &Path, suffix: &str) -> PathBuf {
        match &self.out {
            Some(dir) => dir.clone(),
            None => {
                let stem = file
                    .file_stem()
                    .map_or("scenario".into(), |s| s.to_string_lossy().into_owned());
                Path::new("output").join(format!("{stem}{suffix}"))
            }
        }
    }

    /// The run's options, checked against the model (a sampling method that cannot serve it
    /// is a usage error).
    pub(crate) fn options<'a>(
        &self,
        model: &Model,
        progress: Option<&'a (dyn Fn(u64) + Sync)>,
    ) -> Result<RunOptions<'a>, Failure> {
        let options = RunOptions {
            trials: self.trials.unwrap_or(model.default_trials),
            seed: self.seed.unwrap_or(model.default_seed),
            threads: self.threads.map_or(0, |t| t as usize),
            progress,
            keep_trials: DRIVER_SAMPLE,
            precision: None,
            sampling: self.sampling,
            split_by_route: None,
        };
        engine::check_sampling(model, &options).map_err(Failure::Usage)?;
        Ok(options)
    }
}

/// Runs once; returns the summary (for `--watch`, which compares runs).
pub(crate) fn run(args: &RunArgs) -> Result<Summary, Failure> {
    let (source, model) = load_with(&args.file, &args.common.set, args.variant.as_deref())?;
    let display = args.common.zone(&model)?;
    let out_dir = args.common.out_dir(&args.file, "");
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
    let trials = args.common.trials.unwrap_or(model.default_trials);
    let threads = args.common.threads.map_or(0, |t| t as usize);

    let show_progress = !args.common.quiet && std::io::stderr().is_terminal();
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
    let mut options = args.common.options(&model, Some(&progress))?;
    options.split_by_route = Some(chart_milestone);
    if let Some(probability) = args.precision {
        options.trials = args.max_trials.unwrap_or(100_000_000);
        options.precision = Some(engine::Precision {
            probability,
            median_seconds: args.precision_median,
        });
    }

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
        samples_file.as_ref().map(|s| s as &dyn engine::TrialSink),
    )
    .map_err(|e| Failure::Run(e.to_string()))?;
    bar.finish_and_clear();
    let elapsed = started.elapsed().as_secs_f64();

    let results = RunResults::new(&model, &tally);
    let summary = Summary::new(&model, &source.path, &results, &display);
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
            results: &results,
            zone: &display,
            milestone: chart_milestone,
        };
        written.extend(
            chart::render_all(&input, &out_dir, args.format)
                .map_err(|e| Failure::Run(e.to_string()))?,
        );
    }
    if let (Some(sink), Some(path)) = (samples_file, &args.samples) {
        sink.into_inner()
            .commit()
            .map_err(|e| Failure::Run(format!("cannot write {}: {e}", path.display())))?;
    }
    if !args.common.quiet {
        let precision = args.precision.map(|p| {
            let median = args.precision_median.map_or(String::new(), |m| {
                format!(" and the median's within ±{}", crate::format::format_duration(m))
            });
            if tally.stopped_early {
                format!(
                    "Stopped at {} trials: every deadline's 95% interval is within ±{:.2} points{median}.",
                    crate::format::thousands(tally.trials),
                    p * 100.0
                )
            } else {
                format!(
                    "Ran the most trials allowed ({}) without reaching ±{:.2} points{median}: raise --max-trials.",
                    crate::format::thousands(tally.trials),
                    p * 100.0
                )
            }
        });
        let facts = RunFacts {
            seconds: elapsed,
            threads: rayon_threads(threads),
            precision,
        };
        let mut text = console::render(&model, &source.path, &results, &display, &facts);
        text.push('\n');
        for path in &written {
            text.push_str(&format!("Wrote {}\n", path.display()));
        }
        if let Some(path) = &args.samples {
            text.push_str(&format!("Wrote {}\n", path.display()));
        }
        let _ = std::io::stdout().write_all(text.as_bytes());
    }
    Ok(summary)
}

pub(crate) fn rayon_threads(requested: usize) -> usize {
    if requested > 0 {
        requested
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
}
