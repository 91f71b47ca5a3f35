//! Variance reduction: Latin hypercube and scrambled Sobol' points against plain Monte Carlo at
//! equal trial counts, over replicate runs with independent seeds.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

mod common;
use eta::engine::{RunOptions, Sampling};

/// Each replicate run's estimates: the final milestone's mean and median, and the first
/// deadline's probability.
#[derive(Default)]
struct Replicates {
    mean: Vec<f64>,
    median: Vec<f64>,
    p: Vec<f64>,
}

fn replicates(text: &str, sampling: Sampling, runs: u64, trials: u64) -> Replicates {
    let model = common::compile(text);
    let final_milestone = model.final_milestone();
    let mut out = Replicates::default();
    for r in 0..runs {
        let options = RunOptions {
            threads: 1,
            sampling,
            ..RunOptions::new(trials, 500 + r)
        };
        let tally = eta::engine::run(&model, &options, None).unwrap();
        let made: u64 = tally.deadline_made[0].iter().sum();
        let arrivals = &tally.milestones[final_milestone];
        out.mean.push(arrivals.mean().unwrap());
        out.median.push(arrivals.quantile(0.5).unwrap());
        out.p.push(made as f64 / trials as f64);
    }
    out
}

/// Variance of plain Monte Carlo's estimates over `other`'s: (mean, median, probability).
fn reduction(mc: &Replicates, other: &Replicates) -> (f64, f64, f64) {
    (
        variance(&mc.mean) / variance(&other.mean),
        variance(&mc.median) / variance(&other.median),
        variance(&mc.p) / variance(&other.p),
    )
}

fn variance(x: &[f64]) -> f64 {
    let m = x.iter().sum::<f64>() / x.len() as f64;
    x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() - 1) as f64
}

const ANALYTIC: &str = r#"
[scenario]
name = "lhs"
zone = "UTC"
[inputs]
speed = { dist = "uniform", min = 40, max = 60, unit = "km/h" }
dwell = { dist = "normal", mean = "2 h", sd = "20 min", lower = "0 h" }
[milestones.a]
start = { date = "2023-01-01", time = "00:00" }
[milestones.b]
[milestones.c]
[[steps]]
from = "a"
to = "b"
kind = "travel"
distance = "500 km"
speed = "speed"
[[steps]]
from = "b"
to = "c"
kind = "dwell"
duration = "dwell"
[deadlines.noon]
milestone = "c"
at = "2023-01-01T12:00"
"#;

#[test]
fn stratified_sampling_cuts_the_variance_of_an_additive_model() {
    // The arrival is a sum of monotone functions of independent inputs: LHS removes the
    // first-order part of the variance, so the mean's variance falls by far more than 10x, and
    // scrambled Sobol' points (a net in every pair of dimensions) by more again.
    let runs = 40;
    let mc = replicates(ANALYTIC, Sampling::MonteCarlo, runs, 2048);
    let m = |x: &[f64]| x.iter().sum::<f64>() / x.len() as f64;
    for (name, sampling, at_least) in [
        ("lhs", Sampling::LatinHypercube, 10.0),
        ("sobol", Sampling::Sobol, 100.0),
    ] {
        let other = replicates(ANALYTIC, sampling, runs, 2048);
        let (mean, median, p) = reduction(&mc, &other);
        eprintln!(
            "{name}: variance reduction: mean {mean:.1}x, median {median:.1}x, P(deadline) {p:.1}x"
        );
        // With 40 runs each, a variance ratio is within a factor 2 of the truth beyond doubt
        // (F(39, 39) has its 0.1% points near 0.35 and 2.8), and the truth is far above these.
        assert!(mean > at_least, "{name}, mean: {mean}");
        // The deadline indicator and the median are not additive, so less, but clearly so.
        assert!(p > 1.5, "{name}, P(deadline): {p}");
        assert!(median > 1.5, "{name}, median: {median}");
        // And unbiased: the replicate means agree within their standard errors.
        let se = (variance(&mc.mean) / runs as f64 + variance(&other.mean) / runs as f64).sqrt();
        assert!(
            (m(&mc.mean) - m(&other.mean)).abs() < 4.0 * se,
            "{name}: biased mean"
        );
        let se = (variance(&mc.p) / runs as f64 + variance(&other.p) / runs as f64).sqrt();
        assert!(
            (m(&mc.p) - m(&other.p)).abs() < 4.0 * se,
            "{name}: biased P"
        );
    }
}

#[test]
fn sobol_points_do_not_depend_on_the_thread_count() {
    let model = common::compile(ANALYTIC);
    let run = |threads| {
        let options = RunOptions {
            threads,
            sampling: Sampling::Sobol,
            ..RunOptions::new(20_000, 9)
        };
        let tally = eta::engine::run(&model, &options, None).unwrap();
        let arrivals = &tally.milestones[model.final_milestone()];
        (
            tally.deadline_made.clone(),
            arrivals.mean(),
            arrivals.quantile(0.5),
        )
    };
    assert_eq!(run(1), run(3));
}

/// The variance reduction of LHS and Sobol' at equal trials, on the analytic scenario and on the
/// flagship (slow: `cargo test --release --test sampling -- --ignored --nocapture`).
#[test]
#[ignore]
fn variance_reduction_report() {
    let flagship = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/kim-eef-2023.toml"
    ))
    .unwrap();
    for (label, text, trials) in [
        ("analytic (travel + dwell)", ANALYTIC, 2048),
        ("flagship", flagship.as_str(), 10_240),
    ] {
        let runs = 100;
        let mc = replicates(text, Sampling::MonteCarlo, runs, trials);
        for (name, sampling) in [
            ("lhs", Sampling::LatinHypercube),
            ("sobol", Sampling::Sobol),
        ] {
            let (mean, median, p) = reduction(&mc, &replicates(text, sampling, runs, trials));
            eprintln!(
                "{label}, {runs} runs of {trials} trials, {name}: variance reduction of \
                 P(deadline) {p:.2}x, of the median {median:.2}x, of the mean {mean:.2}x"
            );
        }
    }
}
