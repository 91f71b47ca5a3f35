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
