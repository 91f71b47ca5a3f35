//! The command line's grammar: every command, argument and flag as clap parses them, with the
//! value enums the CLI maps onto the library's types (the library does not know clap).

use clap::{Parser, Subcommand, ValueEnum};
use eta::model::MAX_TRIALS;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "eta",
    version,
    about = "Monte Carlo scenario engine: when will it happen, and will it beat the deadline?",
    after_help = "Examples:\n  eta init trip && eta run trip.toml\n  eta run scenarios/kim-eef-2023.toml\n  \
        eta check scenarios/kim-eef-2023.toml\n  eta completions bash > ~/.local/share/bash-completion/completions/eta"
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
    /// Score each scenario's forecast against the outcome its [observed] table records.
    #[command(
        after_help = "Examples:\n  eta score scenarios/kim-vladivostok-2019.toml\n  \
        eta score scenarios/kim-vladivostok-2019.toml scenarios/kim-hanoi-2019.toml --trials 200000"
    )]
    Score(ScoreArgs),
    /// Fit the supported distributions to observed values and print the best as a scenario line.
    #[command(after_help = "Example:\n  eta fit delays.csv --column dwell_hours --unit h")]
    Fit(FitArgs),
    /// Validate a scenario and print an outline of its model, without running it.
    #[command(after_help = "Example:\n  eta check scenarios/kim-eef-2023.toml")]
    Check {
        /// The scenario file (TOML).
        file: PathBuf,
    },
    /// Write a small, commented starting scenario to edit (NAME.toml, default scenario.toml).
    #[command(after_help = "Examples:\n  eta init\n  eta init trip && eta run trip.toml")]
    Init {
        /// The new file's name, without .toml (default: scenario); never an existing file.
        name: Option<PathBuf>,
    },
    /// Print a shell completion script generated from these definitions.
    #[command(
        after_help = "Examples:\n  eta completions bash > ~/.local/share/bash-completion/completions/eta\n  \
        eta completions zsh > ~/.zfunc/_eta\n  \
        eta completions fish > ~/.config/fish/completions/eta.fish"
    )]
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a JSON Schema of the scenario format, for editors that check TOML against one.
    #[command(after_help = "Examples:\n  eta schema > eta.schema.json\n  \
        (then put `#:schema ./eta.schema.json` on a scenario's first line)")]
    Schema,
    /// Print the manual page (roff): eta(1), or eta-COMMAND(1) for one command.
    #[command(after_help = "Examples:\n  eta man | man -l -\n  \
        eta man run > ~/.local/share/man/man1/eta-run.1")]
    Man {
        /// The command whose page to print (default: eta's own page).
        command: Option<String>,
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
    pub sampling: SamplingArg,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Condition the forecast on a milestone reached at a local time (repeatable), e.g.
    /// --at departure=2023-09-10T15:00, or "around" it: --at 'departure=2023-09-10T15:00 ±30m'.
    #[arg(long = "at", value_name = "MILESTONE=TIME")]
    pub at: Vec<String>,
    /// Condition the forecast on a milestone not yet reached at a local time (repeatable), e.g.
    /// --not-by border=2023-09-11T10:00.
    #[arg(long = "not-by", value_name = "MILESTONE=TIME")]
    pub not_by: Vec<String>,
    /// Condition the forecast on the observations in a file holding an [observed] table
    /// (repeatable; later files and flags replace earlier observations of the same thing).
    #[arg(long = "observed", value_name = "FILE")]
    pub observed: Vec<PathBuf>,
    /// The forecast as written: ignore every observation (the scenario's [observed] included).
    #[arg(long, conflicts_with_all = ["at", "not_by", "observed"])]
    pub prior: bool,
}

/// `--sampling`: how inputs are drawn (see [`eta::engine::Sampling`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SamplingArg {
    /// Independent draws.
    #[value(name = "mc")]
    MonteCarlo,
    /// Latin hypercube: within each chunk, each input takes exactly one draw from each of
    /// 2,048 equally likely strata of its distribution (by its inverse CDF), in random order.
    #[value(name = "lhs")]
    LatinHypercube,
    /// Scrambled Sobol' quasi-Monte Carlo: trial i takes point i of an Owen-scrambled Sobol'
    /// sequence, one dimension per input, route choice and chance step.
    #[value(name = "sobol")]
    Sobol,
}

impl From<SamplingArg> for eta::engine::Sampling {
    fn from(arg: SamplingArg) -> Self {
        match arg {
            SamplingArg::MonteCarlo => eta::engine::Sampling::MonteCarlo,
            SamplingArg::LatinHypercube => eta::engine::Sampling::LatinHypercube,
            SamplingArg::Sobol => eta::engine::Sampling::Sobol,
        }
    }
}

/// `--format`: the charts' file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Png,
    Svg,
}

impl From<FormatArg> for eta::chart::Format {
    fn from(arg: FormatArg) -> Self {
        match arg {
            FormatArg::Png => eta::chart::Format::Png,
            FormatArg::Svg => eta::chart::Format::Svg,
        }
    }
}

/// The chart and report options of the commands that draw charts.
#[derive(Debug, Clone, clap::Args)]
pub struct ChartArgs {
    /// Chart file format.
    #[arg(long, value_enum, default_value = "png")]
    pub format: FormatArg,
    /// The shareable report written beside the results: report.html (one self-contained page),
    /// report.md (GitHub-flavoured Markdown linking the chart files), or none.
    #[arg(long, value_enum, default_value = "html")]
    pub report: ReportArg,
}

/// `--report`: which shareable report a command writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportArg {
    None,
    Html,
    Md,
}

impl ReportArg {
    /// The report's file name, if one is written.
    pub fn file_name(self) -> Option<&'static str> {
        match self {
            ReportArg::None => None,
            ReportArg::Html => Some("report.html"),
            ReportArg::Md => Some("report.md"),
        }
    }
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
    #[command(flatten)]
    pub charts: ChartArgs,
}

#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    pub file: PathBuf,
    /// The parameter to vary, as in --set (e.g. dprk_speed.mode).
    #[arg(long, value_parser = parse_param)]
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
    #[command(flatten)]
    pub charts: ChartArgs,
}

#[derive(Debug, clap::Args)]
pub struct SolveArgs {
    pub file: PathBuf,
    /// The parameter to solve for, as in --set.
    #[arg(long, value_parser = parse_param)]
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
pub struct ScoreArgs {
    /// Scenario files with an [observed] table (their forecasts are pooled in the overall scores).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Also score this variant of every file (each must declare it under [variants.NAME]) and
    /// report the skill of the forecast against it.
    #[arg(long, value_name = "VARIANT")]
    pub reference: Option<String>,
    /// Replace a file eta did not write where the command writes one.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub charts: ChartArgs,
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
    /// Print summary.json's text to standard output instead of the console report (the files
    /// are still written).
    #[arg(long, conflicts_with_all = ["quiet", "watch"])]
    pub json: bool,
    /// Run until every deadline probability's 95% interval is within ± this (e.g. 0.005 for
    /// ±0.5 points), in doubling batches, up to --max-trials (not with --trials).
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
    /// Replace a file eta did not write where the run writes one (--samples, or the output
    /// folder's summary.json and charts); never the scenario itself.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub charts: ChartArgs,
    /// The milestone the arrival histogram shows (default: the first deadline's milestone).
    #[arg(long, value_name = "ID")]
    pub milestone: Option<String>,
    /// What the drivers explain: a deadline (its milestone's time and its odds) or a milestone
    /// (its time, and the odds of its first deadline if it has one). Default: the first deadline.
    #[arg(long, value_name = "MILESTONE|DEADLINE")]
    pub drivers_of: Option<String>,
}

/// A parameter to sweep or solve: anything `--set` reaches except the run's own settings, which
/// every point shares (the seed, for common random numbers) or the command line sets.
fn parse_param(text: &str) -> Result<String, String> {
    let path: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '"')
        .collect();
    match path.as_str() {
        "scenario.seed" => Err(
            "the seed is not a scenario parameter to vary (every point runs on the same random numbers); use --seed to set it".into(),
        ),
        "scenario.trials" => Err(
            "the trial count is not a scenario parameter to vary; use --trials to set it".into(),
        ),
        _ => Ok(text.to_owned()),
    }
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
    match eta::quantity::parse_literal(text) {
        Ok((eta::quantity::Kind::Duration, v)) if v > 0.0 => Ok(v),
        _ => Err(format!(
            "`{text}` is not a positive duration such as 5min or 1h"
        )),
    }
}
