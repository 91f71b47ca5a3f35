//! Variance reduction: Latin hypercube against plain Monte Carlo at equal trial counts, over
//! replicate runs with independent seeds.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

mod common;
use eta::engine::{RunOptions, Sampling};

/// The mean and the first deadline's probability of each replicate run.
fn replicates(text: &str, sampling: Sampling, runs: u64, trials: u64) -> (Vec<f64>, Vec<f64>) {
    let model = common::compile(text);
    let final_milestone = model.final_milestone();
    (0..runs)
        .map(|r| {
            let options = RunOptions {
                threads: 1,
                sampling,
                ..RunOptions::new(trials, 500 + r)
            };
            let tally = eta::engine::run(&model, &options, None).unwrap();
            let made: u64 = tally.deadline_made[0].iter().sum();
            (
                tally.milestones[final_milestone].mean().unwrap(),
                made as f64 / trials as f64,
            )
        })
        .unzip()
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
fn latin_hypercube_cuts_the_variance_of_an_additive_model() {
    // The arrival is a sum of monotone functions of independent inputs: LHS removes the
    // first-order part of the variance, so the mean's variance falls by far more than 10x.
    let (mc_mean, mc_p) = replicates(ANALYTIC, Sampling::MonteCarlo, 40, 2048);
    let (lhs_mean, lhs_p) = replicates(ANALYTIC, Sampling::LatinHypercube, 40, 2048);
    let mean_factor = variance(&mc_mean) / variance(&lhs_mean);
    let p_factor = variance(&mc_p) / variance(&lhs_p);
    eprintln!("variance reduction: mean {mean_factor:.1}x, P(deadline) {p_factor:.1}x");
    assert!(mean_factor > 10.0, "mean: {mean_factor}");
    // The deadline indicator is not additive, so less, but still clearly below 1.
    assert!(p_factor > 1.5, "P(deadline): {p_factor}");
    // And LHS is unbiased: the replicate means agree within their standard errors.
    let m = |x: &[f64]| x.iter().sum::<f64>() / x.len() as f64;
    let se = (variance(&mc_mean) / 40.0 + variance(&lhs_mean) / 40.0).sqrt();
    assert!((m(&mc_mean) - m(&lhs_mean)).abs() < 4.0 * se);
}

/// The flagship's variance reduction at equal trials (slow: run with
/// `cargo test --release --test sampling -- --ignored --nocapture`).
#[test]
#[ignore]
fn flagship_variance_reduction() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/kim-eef-2023.toml"
    ))
    .unwrap();
    let (mc_mean, mc_p) = replicates(&text, Sampling::MonteCarlo, 100, 10_240);
    let (lhs_mean, lhs_p) = replicates(&text, Sampling::LatinHypercube, 100, 10_240);
    eprintln!(
        "flagship, 100 runs of 10,240 trials: variance reduction of P(plenary) {:.2}x, of the mean arrival {:.2}x",
        variance(&mc_p) / variance(&lhs_p),
        variance(&mc_mean) / variance(&lhs_mean)
    );
}
