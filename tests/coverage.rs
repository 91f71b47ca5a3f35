//! Are the 95% intervals honest? Over many independent runs of scenarios with known answers,
//! each interval should cover the truth in about 95% of runs. With 1,000 runs the coverage
//! estimate has a standard error of 0.7 points, so the 93%-97% window is about 3 standard errors
//! wide on each side: a sound interval passes, one that is 20% too narrow (about 91% coverage)
//! fails.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

mod common;

const RUNS: u64 = 1000;
const TRIALS: u64 = 1000;

fn coverage(text: &str, covered: impl Fn(&eta::analysis::RunResults) -> bool) -> f64 {
    let model = common::compile(text);
    let hits = (0..RUNS)
        .filter(|&seed| {
            let options = eta::engine::RunOptions {
                threads: 1,
                ..eta::engine::RunOptions::new(TRIALS, 1_000_000 + seed)
            };
            let tally = eta::engine::run(&model, &options, None).unwrap();
            covered(&eta::analysis::RunResults::new(&model, &tally))
        })
        .count();
    hits as f64 / RUNS as f64
}

#[test]
fn wilson_intervals_cover_a_known_probability_about_95_percent_of_the_time() {
    let text = r#"
[scenario]
name = "coverage"
zone = "UTC"
[milestones.a]
start = { date = "2023-01-01", time = "00:00" }
[milestones.b]
[[steps]]
from = "a"
to = "b"
kind = "delay"
probability = 0.3
duration = "2 h"
[deadlines.early]
milestone = "b"
at = "2023-01-01T01:00"
"#;
    let c = coverage(text, |s| {
        let (lo, hi) = s.deadlines[0].made.ci95;
        lo <= 0.7 && 0.7 <= hi
    });
    eprintln!("coverage {c}");
    assert!((0.93..=0.97).contains(&c), "coverage {c}");
}

#[test]
fn median_intervals_cover_the_true_median_about_95_percent_of_the_time() {
    // 500 km at U(40, 60) km/h from 00:00: the median arrival is 500 / 50 h = 10 h later.
    let text = r#"
[scenario]
name = "coverage"
zone = "UTC"
[inputs]
speed = { dist = "uniform", min = 40, max = 60, unit = "km/h" }
[milestones.a]
start = { date = "2023-01-01", time = "00:00" }
[milestones.b]
[[steps]]
from = "a"
to = "b"
kind = "travel"
distance = "500 km"
speed = "speed"
"#;
    let truth = common::instant("2023-01-01T10:00:00Z");
    let c = coverage(text, |s| {
        let (lo, hi) = s.milestones[1].times.unwrap().quantiles_ci95[3];
        lo <= truth && truth <= hi
    });
    eprintln!("coverage {c}");
    assert!((0.93..=0.97).contains(&c), "coverage {c}");
}

/// Conditioned on a noisy observation (b seen at 06:00 with a normal error of sd 30 min, so
/// trials carry unequal weights), b's posterior is normal: precision 1/1 + 1/0.25 per h^2, so
/// variance 0.2 h^2 and mean 0.2 (5/1 + 6/0.25) = 5.8 h; c = b + N(3 h, 30 min) is
/// N(8.8 h, 0.45 h^2). The weighted deadline interval (delta method, effective trials) and the
/// weighted median interval must cover P(c by 09:00) = Phi(0.2 / sqrt(0.45)) and 08:48 about
/// 95% of the time.
#[test]
fn weighted_intervals_cover_conditional_answers_about_95_percent_of_the_time() {
    let text = &format!(
        "{}[observed]\nmilestones.b = {{ at = \"2023-01-01T06:00\", sd = \"30 min\" }}\n",
        common::TWO_NORMAL_LEGS
    );
    let z = 0.2 / 0.45f64.sqrt();
    let p = 0.5 * (1.0 + common::erf(z / std::f64::consts::SQRT_2));
    let c = coverage(text, |s| {
        let (lo, hi) = s.deadlines[0].made.ci95;
        lo <= p && p <= hi
    });
    eprintln!("deadline coverage {c} (p {p})");
    assert!((0.93..=0.97).contains(&c), "coverage {c}");
    let truth = common::instant("2023-01-01T08:48:00Z");
    let c = coverage(text, |s| {
        let (lo, hi) = s.milestones[2].times.unwrap().quantiles_ci95[3];
        lo <= truth && truth <= hi
    });
    eprintln!("median coverage {c}");
    assert!((0.93..=0.97).contains(&c), "coverage {c}");
}
