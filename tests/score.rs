//! `eta score`: each scoring rule against a closed form (CRPS of a normal forecast, PIT on an
//! atom and at one sd, the log score of a known density, Brier by hand), through the library
//! and through the binary; and the [observed] table's errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;

use assert_cmd::Command;
use common::{assert_within, compile};
use eta::analysis::score::{self, rules};
use eta::engine::RunOptions;
use eta::numeric::special::{norm_cdf, norm_quantile};
use rand::RngExt;

/// A normal sample of `n` from the fixed-seed stream `stream`.
fn normal_sample(n: usize, stream: u64) -> Vec<f64> {
    let mut rng = eta::random::stream_rng(20_240_301, 0, stream);
    let mut xs: Vec<f64> = (0..n)
        .map(|_| norm_quantile(rng.random::<f64>().clamp(1e-15, 1.0 - 1e-15)))
        .collect();
    xs.sort_by(f64::total_cmp);
    xs
}

#[test]
fn fair_crps_of_normal_samples_matches_the_closed_form() {
    // 400 replicates of 500 draws from N(0, 1), outcome y = 0.7: the replicates' mean is within
    // 4 standard errors (their sd / sqrt(400)) of the closed form, and each replicate's own
    // standard error estimate agrees with the replicates' spread.
    let (replicates, n, y) = (400, 500, 0.7);
    let mut values = Vec::new();
    let mut reported = Vec::new();
    for r in 0..replicates {
        let xs = normal_sample(n, r);
        let (value, se) = rules::crps(&xs, y, rules::Estimator::Fair);
        values.push(value);
        reported.push(se);
    }
    let mean = values.iter().sum::<f64>() / replicates as f64;
    let sd =
        (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (replicates - 1) as f64).sqrt();
    let truth = rules::crps_normal(0.0, 1.0, y);
    assert_within(
        mean,
        truth,
        sd / (replicates as f64).sqrt(),
        0.0,
        "fair CRPS",
    );
    // The delta-method standard error against the replicates' spread: the sd of a sample sd
    // of 400 is about sd / sqrt(800), so 4 of those is 14%.
    let mean_se = reported.iter().sum::<f64>() / replicates as f64;
    assert!(
        (mean_se / sd - 1.0).abs() < 4.0 / (2.0 * (replicates - 1) as f64).sqrt(),
        "reported se {mean_se} vs replicate sd {sd}"
    );
    // The plain estimator is the fair one plus G / (2n), G the sample's mean absolute
    // difference, whose expectation for N(0, 1) is 2 / sqrt(pi): biased high by 1/(n sqrt(pi)).
    let gaps: Vec<f64> = (0..replicates)
        .map(|r| {
            let xs = normal_sample(n, r);
            let plain = rules::crps(&xs, y, rules::Estimator::Plain).0;
            plain - rules::crps(&xs, y, rules::Estimator::Fair).0
        })
        .collect();
    let gap = gaps.iter().sum::<f64>() / replicates as f64;
    let gap_sd =
        (gaps.iter().map(|g| (g - gap).powi(2)).sum::<f64>() / (replicates - 1) as f64).sqrt();
    assert_within(
        gap,
        1.0 / (n as f64 * std::f64::consts::PI.sqrt()),
        gap_sd / (replicates as f64).sqrt(),
        0.0,
        "plain minus fair",
    );
}

const ONE_LEG: &str = r#"
[scenario]
name = "One normal leg"
zone = "UTC"

[inputs]
leg = { dist = "normal", mean = "10h", sd = "1h", lower = "0h" }  # truncation 10 sd away: no effect

[milestones.start]
start = { date = "2024-03-01", time = "08:00" }

[milestones.end]

[[steps]]
from = "start"
to = "end"
kind = "travel"
duration = "leg"

[deadlines.on_time]
milestone = "end"
at = "2024-03-01T18:00"

[observed]
milestones.start = { at = "2024-03-01T08:00" }
milestones.end = { at = "2024-03-01T19:00" }
"#;

#[test]
fn a_normal_forecast_scores_as_its_closed_forms() {
    let model = compile(ONE_LEG);
    let trials = 200_000;
    let options = RunOptions {
        threads: 2,
        ..RunOptions::new(trials, 11)
    };
    let card = score::score(&model, &options).unwrap();
    assert_eq!(card.trials, trials);
    let (start, end) = (&card.milestones[0], &card.milestones[1]);

    // A fixed start is an atom at the outcome: every trial ties, so the mid-point PIT is 1/2
    // and the tie range all of [0, 1]; its CRPS is 0.
    assert_eq!((start.pit.below, start.pit.at_or_below), (0.0, 1.0));
    assert_eq!(start.pit.value, 0.5);
    assert!(start.crps_hours.abs() < 1e-9);

    // The end: N(18:00, 1 h), observed at 19:00, one sd late.
    let n = trials as f64;
    let p = norm_cdf(1.0);
    assert_within(
        end.pit.value,
        p,
        (p * (1.0 - p) / n).sqrt(),
        0.0,
        "PIT at +1 sd",
    );
    let crps = rules::crps_normal(0.0, 1.0, 1.0);
    let se = (end.crps_ci95_hours.1 - end.crps_ci95_hours.0) / (2.0 * eta::stats::Z95);
    assert_within(end.crps_hours, crps, se, 0.0, "CRPS in hours");
    // The KDE's expectation at y for a normal sample is the N(mu, 1 + h²) density (hours);
    // its relative sd is sqrt(R(K) / (n h f(y))), R(K) = 1 / (2 sqrt(pi)).
    let h = end.bandwidth_hours;
    let var = 1.0 + h * h;
    let density = (-0.5 / var).exp() / (2.0 * std::f64::consts::PI * var).sqrt();
    let relative_sd = (1.0 / (2.0 * std::f64::consts::PI.sqrt()) / (n * h * density)).sqrt();
    assert_within(
        end.log_score,
        -density.ln(),
        relative_sd,
        0.0,
        "log score per hour",
    );
    // Silverman's bandwidth for a normal of sd 1 h: 0.9 n^(-1/5) hours.
    assert!((h / (0.9 * n.powf(-0.2)) - 1.0).abs() < 0.02, "{h}");
    // +1 sd: outside the central 50%, inside 80% (10th-90th percentile) and 90%.
    let held: Vec<bool> = end.intervals.iter().map(|i| i.contains).collect();
    assert_eq!(held, [false, true, true]);

    // The deadline 18:00 is the median: missed at 19:00, so Brier = p² and log = -ln(1 - p).
    let d = &card.deadlines[0];
    assert!(!d.happened);
    let q = d.probability.fraction;
    assert_within(q, 0.5, (0.25 / n).sqrt(), 0.0, "P(on time)");
    assert!((d.brier - q * q).abs() < 1e-15);
    assert!((d.log_score + (1.0 - q).ln()).abs() < 1e-12);
}

#[test]
fn observed_routes_are_scored_by_hand() {
    let text = r#"
[scenario]
name = "Two routes"
zone = "UTC"

[routes]
north = { probability = 0.3 }
south = { probability = 0.7 }

[milestones.a]
start = { date = "2024-03-01", time = "08:00" }

[milestones.b]

[[steps]]
from = "a"
to = "b"
kind = "travel"
route = "north"
duration = "2h"

[[steps]]
from = "a"
to = "b"
kind = "travel"
route = "south"
duration = "3h"

[observed]
route = "north"
"#;
    let model = compile(text);
    let card = score::score(&model, &RunOptions::new(100_000, 5)).unwrap();
    let r = card.route.clone().unwrap();
    let p = r.shares[0].fraction;
    assert_within(p, 0.3, (0.21 / 100_000f64).sqrt(), 0.0, "P(north)");
    // Sum over routes of (share - taken)²: (p - 1)² + (1 - p - 0)² = 2 (1 - p)².
    assert!((r.brier - 2.0 * (1.0 - p).powi(2)).abs() < 1e-12);
    assert!((r.log_score + p.ln()).abs() < 1e-12);
    let events = card.events();
    assert_eq!(events, vec![(p, true), (1.0 - p, false)]);
}

fn eta() -> Command {
    Command::cargo_bin("eta").unwrap()
}

#[test]
fn eta_score_writes_score_json_and_its_charts() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("leg.toml");
    std::fs::write(&scenario, ONE_LEG).unwrap();
    let out = dir.path().join("out");
    let assert = eta()
        .args(["score", "--trials", "20000", "--out"])
        .arg(&out)
        .arg(&scenario)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(stdout.contains("times in UTC"), "{stdout}");
    assert!(stdout.contains("deadline on_time: missed"), "{stdout}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("score.json")).unwrap()).unwrap();
    let end = &json["files"][0]["milestones"][1];
    assert_eq!(end["id"], "end");
    assert_eq!(end["observed"], "2024-03-01T19:00:00+00:00");
    assert!((end["pit"].as_f64().unwrap() - norm_cdf(1.0)).abs() < 0.02);
    assert_eq!(
        json["overall"]["pit_histogram"].as_array().unwrap().len(),
        10
    );
    assert!(eta::output::written_by_eta(&out.join("score.json")));
    for chart in ["pit.png", "reliability.png"] {
        assert!(eta::output::written_by_eta(&out.join(chart)), "{chart}");
    }
}

#[test]
fn a_reference_variant_gives_a_skill_score() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("leg.toml");
    let text = format!(
        "{ONE_LEG}\n[variants.vague]\nset = {{ leg = {{ dist = \"uniform\", min = \"4h\", max = \"16h\" }} }}\n"
    );
    std::fs::write(&scenario, text).unwrap();
    let out = dir.path().join("out");
    eta()
        .args([
            "score",
            "--trials",
            "20000",
            "--reference",
            "vague",
            "--out",
        ])
        .arg(&out)
        .arg(&scenario)
        .assert()
        .success();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("score.json")).unwrap()).unwrap();
    let reference = &json["reference"];
    assert_eq!(reference["variant"], "vague");
    // CRPS skill = 1 - mean CRPS / mean reference CRPS, both over the same two outcomes.
    let crps = json["overall"]["crps_hours"]["mean"].as_f64().unwrap();
    let vague = reference["overall"]["crps_hours"]["mean"].as_f64().unwrap();
    let skill = reference["skill"]["crps"].as_f64().unwrap();
    assert!((skill - (1.0 - crps / vague)).abs() < 1e-3, "{skill}");
    assert!(
        skill > 0.0,
        "the sharp forecast should beat the vague one at +1 sd"
    );
}

#[test]
fn a_file_without_observed_outcomes_is_a_usage_error() {
    let kim = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/kim-eef-2023.toml");
    let dir = tempfile::tempdir().unwrap();
    let assert = eta()
        .args(["score", "--trials", "1000", "--out"])
        .arg(dir.path().join("out"))
        .arg(kim)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("records no outcome to score against"),
        "{stderr}"
    );
}

#[test]
fn a_race_does_not_order_its_branches() {
    // `c` is reached by the first of two starts: observing it before `a` is possible (via `b`).
    let text = r#"
[scenario]
name = "race"
zone = "UTC"

[milestones.a]
start = { date = "2024-03-01", time = "10:00" }

[milestones.b]
start = { date = "2024-03-01", time = "08:00" }

[milestones.c]
wait_for = "first"

[[steps]]
from = "a"
to = "c"
kind = "travel"
duration = "1h"

[[steps]]
from = "b"
to = "c"
kind = "travel"
duration = "1h"

[observed]
milestones.a = { at = "2024-03-01T10:00" }
milestones.c = { at = "2024-03-01T09:00" }
"#;
    let model = compile(text);
    assert_eq!(model.observed.milestones.len(), 2);
    let card = score::score(&model, &RunOptions::new(1000, 1)).unwrap();
    // Every trial reaches c at 09:00 via b: the outcome is an atom, PIT 1/2, CRPS 0.
    assert_eq!(card.milestones[1].pit.value, 0.5);
    assert!(card.milestones[1].crps_hours.abs() < 1e-12);
}

#[test]
fn inconsistent_observations_are_located_errors() {
    let cases = [
        (
            "milestones.nowhere = { at = \"2024-03-01T19:00\" }",
            "unknown milestone `nowhere`",
        ),
        (
            "milestones.start = { at = \"2024-03-01T20:00\" }\nmilestones.end = { at = \"2024-03-01T19:00\" }",
            "no trial reaches `end` before `start`",
        ),
        ("route = \"north\"", "unknown route `north`"),
        (
            "milestones.end = { at = \"2024-03-01T19:00+01:00\" }",
            "gives a UTC offset or zone",
        ),
        (
            "milestones.end = { when = \"2024-03-01T19:00\" }",
            "unknown key `when`",
        ),
    ];
    let base = &ONE_LEG[..ONE_LEG.find("[observed]").unwrap()];
    for (observed, message) in cases {
        let text = format!("{base}[observed]\n{observed}\n");
        let source = eta::scenario::Source {
            path: "t.toml".into(),
            text: text.clone(),
        };
        let error = match source.parse() {
            Err(d) => d.render("t.toml", &text, false),
            Ok(raw) => match eta::model::compile(&raw) {
                Err(d) => d.render("t.toml", &text, false),
                Ok(_) => panic!("accepted: {observed}"),
            },
        };
        assert!(error.contains(message), "{observed}: {error}");
        assert!(error.contains("t.toml:"), "not located: {error}");
    }
}
