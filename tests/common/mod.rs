//! Shared helpers for the integration tests: run a scenario given as text through the library.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use eta::analysis::{ArrivalTimes, RunResults};
use eta::engine::{self, RunOptions, Tally};
use eta::model::{self, Model};
use eta::report::Summary;
use eta::scenario::Source;

pub fn compile(text: &str) -> Model {
    let source = Source {
        path: "test.toml".into(),
        text: text.into(),
    };
    let raw = source
        .parse()
        .unwrap_or_else(|d| panic!("{}", d.render("test.toml", text, false)));
    model::compile(&raw).unwrap_or_else(|d| panic!("{}", d.render("test.toml", text, false)))
}

pub fn run(text: &str, trials: u64, seed: u64) -> (Model, Tally, Summary) {
    let model = compile(text);
    let options = RunOptions {
        threads: 2,
        keep_trials: 100_000,
        sample_milestone: None,
        ..RunOptions::new(trials, seed)
    };
    let tally = engine::run(&model, &options, None).expect("run");
    let results = RunResults::new(&model, &tally);
    let summary = Summary::new(&model, "test.toml", &results, &model.display_zone);
    (model, tally, summary)
}

/// Runs `model` for `trials` trials (all kept), with `threads` workers and `sampling`.
pub fn run_sampled(
    model: &Model,
    trials: u64,
    seed: u64,
    threads: usize,
    sampling: eta::engine::Sampling,
) -> Tally {
    let options = RunOptions {
        threads,
        keep_trials: trials,
        sampling,
        ..RunOptions::new(trials, seed)
    };
    engine::run(model, &options, None).expect("run")
}

/// When milestone `id` is reached (percentiles, mean, their intervals, epoch seconds).
pub fn times(model: &Model, tally: &Tally, id: &str) -> ArrivalTimes {
    let m = model
        .milestones
        .iter()
        .position(|m| m.id == id)
        .expect("milestone");
    RunResults::new(model, tally).milestones[m]
        .times
        .expect("reached")
}

/// Epoch seconds of a UTC instant written as RFC 3339.
pub fn instant(text: &str) -> f64 {
    text.parse::<jiff::Timestamp>()
        .expect("instant")
        .as_second() as f64
}

/// Asserts |estimate - truth| <= 4 standard errors (+ a fixed resolution allowance, stated).
#[track_caller]
pub fn assert_within(estimate: f64, truth: f64, standard_error: f64, resolution: f64, what: &str) {
    let tolerance = 4.0 * standard_error + resolution;
    assert!(
        (estimate - truth).abs() <= tolerance,
        "{what}: estimate {estimate} vs analytic {truth}: off by {} > 4 SE ({standard_error}) + resolution {resolution}",
        (estimate - truth).abs()
    );
}

/// The error function by its power series (exact to 1e-15 for |x| < 3), for closed forms.
pub fn erf(x: f64) -> f64 {
    let mut sum = x;
    let mut term = x;
    for n in 1..200 {
        term *= -x * x / n as f64;
        sum += term / (2 * n + 1) as f64;
    }
    2.0 / std::f64::consts::PI.sqrt() * sum
}

/// Two legs from 00:00 on 2023-01-01 (UTC), a -> b taking N(5 h, 1 h) and b -> c N(3 h, 30 min),
/// independent, with a deadline on c at 09:00: the base of the conditioning tests, which add an
/// `[observed]` table.
pub const TWO_NORMAL_LEGS: &str = r#"
[scenario]
name = "two normal legs"
zone = "UTC"
[inputs]
leg1 = { dist = "normal", mean = "5 h", sd = "1 h", lower = "0 h" }
leg2 = { dist = "normal", mean = "3 h", sd = "30 min", lower = "0 h" }
[milestones.a]
start = { date = "2023-01-01", time = "00:00" }
[milestones.b]
[milestones.c]
[[steps]]
from = "a"
to = "b"
kind = "dwell"
duration = "leg1"
[[steps]]
from = "b"
to = "c"
kind = "dwell"
duration = "leg2"
[deadlines.by_nine]
milestone = "c"
at = "2023-01-01T09:00"
"#;
