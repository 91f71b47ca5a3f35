//! Resolving the arguments into a [`Plan`], once: how many trials (for a precision run, the
//! most it may use), the seed, the worker threads, the display zone, the output folder, the
//! sampling method and the chart format. Commands read the plan, never the raw flags again.

use super::args::{Common, RunArgs};
use super::failure::Failure;
use eta::chart::Format;
use eta::engine::{self, Precision, RunOptions, Sampling};
use eta::model::{Model, Zone};
use eta::scenario::overrides::Override;
use std::path::{Path, PathBuf};

/// Trials kept whole for the sensitivity analysis (bounded, so memory does not grow with trials).
pub const DRIVER_SAMPLE: u64 = 100_000;

/// The most trials a precision run may use when `--max-trials` does not say.
pub const DEFAULT_MAX_TRIALS: u64 = 100_000_000;

/// What a command will do, resolved from its arguments and the scenario.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Trials to run; with a precision target, the most the run may use.
    pub trials: u64,
    pub seed: u64,
    /// Worker threads asked for; 0 means one per core (or `RAYON_NUM_THREADS`).
    pub threads: usize,
    pub precision: Option<Precision>,
    /// The zone times are shown in.
    pub zone: Zone,
    pub out_dir: PathBuf,
    pub sampling: Sampling,
    pub format: Format,
}

impl Plan {
    /// The plan of a command that runs `model` from `file` with the shared options; `suffix`
    /// tells the default output folder apart (`-compare`, `-sweep`).
    pub fn new(
        common: &Common,
        model: &Model,
        file: &Path,
        suffix: &str,
        format: Format,
    ) -> Result<Plan, Failure> {
        Plan {
            trials: common.trials.unwrap_or(model.default_trials),
            seed: common.seed.unwrap_or(model.default_seed),
            threads: common.threads.map_or(0, |t| t as usize),
            precision: None,
            zone: zone(common, model)?,
            out_dir: out_dir(common, file, suffix),
            sampling: common.sampling.into(),
            format,
        }
        .checked(model)
    }

    /// The plan of `eta run`: as [`Plan::new`], with a precision target if one is asked for.
    /// `--trials` and `--precision` do not go together: a precision run decides its own number
    /// of trials, and `--max-trials` caps it.
    pub fn for_run(args: &RunArgs, model: &Model) -> Result<Plan, Failure> {
        let common = &args.common;
        let plan = Plan::new(common, model, &args.file, "", args.charts.format.into())?;
        let Some(probability) = args.precision else {
            return Ok(plan);
        };
        if common.trials.is_some() {
            return Err(Failure::Usage(
                "--trials cannot be used with --precision: a precision run stops once it is \
                 precise enough; cap it with --max-trials"
                    .into(),
            ));
        }
        Plan {
            trials: args.max_trials.unwrap_or(DEFAULT_MAX_TRIALS),
            precision: Some(Precision {
                probability,
                median_seconds: args.precision_median,
            }),
            ..plan
        }
        .checked(model)
    }

    /// The plan, if its sampling method can serve the run.
    fn checked(self, model: &Model) -> Result<Plan, Failure> {
        engine::check_sampling(model, &self.options(None))?;
        Ok(self)
    }

    /// The engine's options for this plan.
    pub fn options<'a>(&self, progress: Option<&'a (dyn Fn(u64) + Sync)>) -> RunOptions<'a> {
        RunOptions {
            trials: self.trials,
            seed: self.seed,
            threads: self.threads,
            progress,
            keep_trials: DRIVER_SAMPLE,
            sample_milestone: None,
            precision: self.precision,
            sampling: self.sampling,
            split_by_route: None,
            cancel: Some(super::interrupt::flag()),
        }
    }
}

/// The display zone: `--zone`, else the scenario's.
fn zone(common: &Common, model: &Model) -> Result<Zone, Failure> {
    match &common.zone {
        Some(name) => Zone::get(name).ok_or_else(|| {
            Failure::Usage(format!(
                "--zone: unknown time zone \"{name}\" (use an IANA name such as Asia/Vladivostok)"
            ))
        }),
        None => Ok(model.display_zone.clone()),
    }
}

/// `--out`, else output/<file stem><suffix>/.
fn out_dir(common: &Common, file: &Path, suffix: &str) -> PathBuf {
    match &common.out {
        Some(dir) => dir.clone(),
        None => Path::new("output").join(default_folder_name(file, suffix)),
    }
}

/// The default output folder's name, always one plain path component: the file's stem and
/// `suffix`, or `scenario` and `suffix` when the stem is empty or only dots (`...toml` would
/// otherwise give `output/..`, the current folder).
fn default_folder_name(file: &Path, suffix: &str) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.chars().all(|c| c == '.'))
        .unwrap_or_else(|| "scenario".into());
    format!("{stem}{suffix}")
}

/// The `--set PATH=VALUE` overrides, each quoting its flag in messages.
pub fn overrides(set: &[String]) -> Result<Vec<Override>, Failure> {
    set.iter()
        .map(|text| Ok(Override::parse(text, format!("--set {text}"))?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::args::{Cli, Command};
    use clap::Parser;

    fn plan(extra: &[&str]) -> Result<Plan, Failure> {
        let kim = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/kim-eef-2023.toml");
        let cli = Cli::try_parse_from(["eta", "run", kim].iter().chain(extra)).unwrap();
        let Command::Run(args) = cli.command else {
            panic!("not a run")
        };
        let (_, model) = eta::load::load(&args.file, None, &[]).unwrap();
        Plan::for_run(&args, &model)
    }

    #[test]
    fn default_output_folder_is_one_plain_component() {
        for (file, suffix, want) in [
            ("a/kim.toml", "", "kim"),
            ("...toml", "", "scenario"),
            ("..toml", "", "scenario"),
            ("..toml", "-compare", "scenario-compare"),
            (".toml", "", ".toml"),
            ("x/..", "", "scenario"),
            ("", "-sweep", "scenario-sweep"),
        ] {
            let name = default_folder_name(Path::new(file), suffix);
            assert_eq!(name, want, "{file}");
            let mut parts = Path::new(&name).components();
            assert!(matches!(
                parts.next(),
                Some(std::path::Component::Normal(_))
            ));
            assert!(parts.next().is_none());
        }
    }

    #[test]
    fn trials_are_decided_once() {
        let p = plan(&["--trials", "5000", "--threads", "3"]).unwrap();
        assert_eq!((p.trials, p.threads, p.precision), (5000, 3, None));
        let p = plan(&["--precision", "0.01"]).unwrap();
        assert_eq!(p.trials, DEFAULT_MAX_TRIALS);
        assert_eq!(p.precision.map(|p| p.probability), Some(0.01));
        let p = plan(&["--precision", "0.01", "--max-trials", "20000"]).unwrap();
        assert_eq!(p.trials, 20000);
        match plan(&["--precision", "0.01", "--trials", "20000"]) {
            Err(Failure::Usage(message)) => assert!(message.contains("--max-trials"), "{message}"),
            other => panic!("{other:?}"),
        }
    }
}
