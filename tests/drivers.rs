//! Drivers: the first-order Sobol' estimator against models with known indices (a linear sum,
//! the Ishigami function) and its interval's coverage; P(on time) without and with an event or a
//! route, a cancelled departure and lost working days against hand values; only sources upstream of the focus are listed, a shared chance
//! event once; `--drivers-of` and the focus kept when `--set` adds a deadline.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

mod common;
use assert_cmd::Command;
use common::{assert_within, run};
use eta::stats::drivers::{Estimate, first_order_index};
use rand::RngExt;
use std::f64::consts::PI;

/// The sectioning interval is t(19) = 2.093 standard errors either side.
fn standard_error(e: &Estimate) -> f64 {
    (e.ci95.1 - e.ci95.0) / 2.0 / 2.093_024
}

/// `n` trials of three independent U(-pi, pi) inputs and `f` of them.
fn sample(n: usize, seed: u64, f: impl Fn(f64, f64, f64) -> f64) -> ([Vec<f64>; 3], Vec<f64>) {
    let mut rng = eta::random::stream_rng(seed, 0, 0);
    let mut x: [Vec<f64>; 3] = Default::default();
    let mut y = Vec::with_capacity(n);
    for _ in 0..n {
        let v: [f64; 3] = std::array::from_fn(|_| rng.random::<f64>() * 2.0 * PI - PI);
        for (column, value) in x.iter_mut().zip(v) {
            column.push(value);
        }
        y.push(f(v[0], v[1], v[2]));
    }
    (x, y)
}

fn ishigami(a: f64, b: f64) -> impl Fn(f64, f64, f64) -> f64 {
    move |x1, x2, x3| x1.sin() + a * x2.sin().powi(2) + b * x3.powi(4) * x1.sin()
}

/// The Ishigami function's first-order indices (Ishigami and Homma 1990; Sobol' and Levitan
/// 1999): V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8, V3 = 0,
/// V = a^2 / 8 + b pi^4 / 5 + b^2 pi^8 / 18 + 1/2.
fn ishigami_indices(a: f64, b: f64) -> [f64; 3] {
    let pi4 = PI.powi(4);
    let v = a * a / 8.0 + b * pi4 / 5.0 + b * b * pi4 * pi4 / 18.0 + 0.5;
    [
        (1.0 + b * pi4 / 5.0).powi(2) / 2.0 / v,
        a * a / 8.0 / v,
        0.0,
    ]
}

#[test]
fn ishigami_indices_are_the_textbook_values() {
    let s = ishigami_indices(7.0, 0.1);
    assert!(
        (s[0] - 0.3139).abs() < 1e-4 && (s[1] - 0.4424).abs() < 1e-4,
        "{s:?}"
    );
}

#[test]
fn linear_sum_indices_are_the_variance_shares() {
    // Y = X1 + 2 X2 + 3 X3 with independent equal-variance inputs: S = (1, 4, 9) / 14.
    let (x, y) = sample(100_000, 1, |a, b, c| a + 2.0 * b + 3.0 * c);
    for (i, truth) in [1.0 / 14.0, 4.0 / 14.0, 9.0 / 14.0].into_iter().enumerate() {
        let e = first_order_index(&x[i], &y).unwrap();
        let se = standard_error(&e);
        assert!(se < 0.01, "X{} standard error {se}", i + 1);
        assert_within(e.value, truth, se, 0.0, &format!("S{}", i + 1));
    }
}

#[test]
fn ishigami_indices_within_four_standard_errors() {
    let truth = ishigami_indices(7.0, 0.1);
    let (x, y) = sample(100_000, 2, ishigami(7.0, 0.1));
    for i in 0..3 {
        let e = first_order_index(&x[i], &y).unwrap();
        let se = standard_error(&e);
        assert!(se < 0.01, "X{} standard error {se}", i + 1);
        assert_within(e.value, truth[i], se, 0.0, &format!("S{}", i + 1));
    }
}

/// The interval is honest: over 200 independent samples of 2,000 Ishigami trials, each index's
/// 95% interval covers the truth in 95% of them, to 4 binomial standard errors (0.062).
#[test]
fn sectioning_intervals_cover_the_truth() {
    let truth = ishigami_indices(7.0, 0.1);
    let reps = 200;
    let mut covered = [0u32; 3];
    for rep in 0..reps {
        let (x, y) = sample(2000, 100 + rep, ishigami(7.0, 0.1));
        for i in 0..3 {
            let e = first_order_index(&x[i], &y).unwrap();
            covered[i] += u32::from(e.ci95.0 <= truth[i] && truth[i] <= e.ci95.1);
        }
    }
    let tolerance = 4.0 * (0.95f64 * 0.05 / reps as f64).sqrt();
    for (i, c) in covered.iter().enumerate() {
        let rate = f64::from(*c) / reps as f64;
        assert!(
            (rate - 0.95).abs() <= tolerance,
            "X{}: covered {rate}, want 0.95 ± {tolerance}",
            i + 1
        );
    }
}

/// Arrival = 08:00 + U(30, 90) min + 30 min if the breakdown (p = 0.2) happens + 1 min on route
/// fast (p = 0.6) or 20 min on route slow (0.4); deadline 09:21 (81 minutes). So, with U
/// uniform: P(on time | no breakdown) = 0.6 * 50/60 + 0.4 * 31/60 = 0.706667, with it
/// 0.6 * 20/60 + 0.4 * 1/60 = 0.206667; on route slow (breakdown or not)
/// 0.8 * 31/60 + 0.2 * 1/60 = 0.416667, on route fast 0.8 * 50/60 + 0.2 * 20/60 = 0.733333.
/// The leg after the deadline's milestone reads `later`, which cannot move it.
const HAND: &str = r#"
[scenario]
name = "drivers by hand"
zone = "UTC"
[inputs]
leg = { dist = "uniform", min = "30 min", max = "90 min" }
later = { dist = "uniform", min = "1 h", max = "2 h" }
[routes]
fast = { probability = 0.6 }
slow = { probability = 0.4, description = "the slow way round" }
[milestones.start]
start = { date = "2024-03-01", time = "08:00" }
[milestones.mid]
[milestones.after]
[milestones.end]
[milestones.home]
[[steps]]
from = "start"
to = "mid"
kind = "travel"
duration = "leg"
[[steps]]
from = "mid"
to = "after"
kind = "delay"
label = "Breakdown"
probability = 0.2
duration = "30 min"
[[steps]]
from = "after"
to = "end"
kind = "dwell"
route = "fast"
duration = "1 min"
[[steps]]
from = "after"
to = "end"
kind = "dwell"
route = "slow"
duration = "20 min"
[[steps]]
from = "end"
to = "home"
kind = "travel"
duration = "later"
[deadlines.arrive]
milestone = "end"
at = "2024-03-01T09:21"
"#;

#[test]
fn event_and_route_odds_match_hand_values_and_downstream_inputs_are_not_listed() {
    let (_, _, s) = run(HAND, 100_000, 3);
    let d = &s.drivers;
    assert_eq!(
        (d.milestone.as_str(), d.deadline.as_deref()),
        ("end", Some("arrive"))
    );
    let names: Vec<&str> = d.ranked.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names.len(), 3, "leg, the breakdown, the route: {names:?}");
    assert!(
        !names.contains(&"later"),
        "downstream input listed: {names:?}"
    );
    let row = |name: &str| d.ranked.iter().find(|r| r.name == name).expect(name);
    let check = |name: &str, kind: &str, without: f64, with: f64| {
        let r = row(name);
        assert_eq!(r.kind, kind);
        let o = r.on_time.as_ref().expect("a deadline in focus");
        for (share, truth, what) in [(&o.low, without, "without"), (&o.high, with, "with")] {
            let se = (truth * (1.0 - truth) / share.trials as f64).sqrt();
            assert_within(share.probability, truth, se, 0.0, &format!("{name} {what}"));
            assert!(share.ci95[0] <= share.probability && share.probability <= share.ci95[1]);
        }
        let [lo, hi] = o.difference_ci95;
        assert!(
            lo <= o.difference && o.difference <= hi && hi < 0.0,
            "{name}: {lo} {hi}"
        );
    };
    check("Breakdown", "event", 0.706_667, 0.206_667);
    check("slow", "route", 0.733_333, 0.416_667);
    assert_eq!(row("slow").label, "the slow way round");
    // The leg moves the time most: Var = 60^2/12 of 305 min^2 in all (leg 300, breakdown
    // 0.16 * 900 = 144, route 0.24 * 361 = 86.64), so S = 300 / 530.64 = 0.565.
    let leg = row("leg");
    let share = leg.variance_share.unwrap();
    let [lo, hi] = leg.variance_share_ci95.unwrap();
    assert_within(
        share,
        300.0 / 530.64,
        (hi - lo) / 2.0 / 2.093,
        1e-4,
        "leg share",
    );
}

#[test]
fn a_shared_chance_event_is_one_row() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/client-meeting-munich.toml"
    ))
    .unwrap();
    let (_, _, s) = run(&text, 20_000, 4);
    let names: Vec<&str> = s.drivers.ranked.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names.iter().filter(|n| **n == "A9 jam (shared)").count(),
        1,
        "{names:?}"
    );
    assert!(
        !names.contains(&"a9_jam"),
        "the coin is the event: {names:?}"
    );
    // (The file's missed connection now follows from a timetable, not from a route drawn at the
    // start; a two-route scenario's single row is tested by the route tests above.)
}

fn eta() -> Command {
    Command::cargo_bin("eta").expect("binary")
}

const MUNICH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/scenarios/client-meeting-munich.toml"
);

fn drivers_of(extra: &[&str]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let out = eta()
        .args([
            "run",
            MUNICH,
            "--trials",
            "4000",
            "--no-charts",
            "--json",
            "--out",
        ])
        .arg(dir.path().join("o"))
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    summary["drivers"].clone()
}

#[test]
fn drivers_of_names_a_deadline_or_a_milestone() {
    let d = drivers_of(&[]);
    assert_eq!(
        (d["milestone"].as_str(), d["deadline"].as_str()),
        (Some("client_office"), Some("meeting"))
    );
    let d = drivers_of(&["--drivers-of", "prep"]);
    assert_eq!(
        (d["milestone"].as_str(), d["deadline"].as_str()),
        (Some("client_office"), Some("prep"))
    );
    let d = drivers_of(&["--drivers-of", "tom_muc"]);
    assert_eq!(
        (d["milestone"].as_str(), d["deadline"].is_null()),
        (Some("tom_muc"), true)
    );
    let names: Vec<&str> = d["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    for upstream_only in [
        "priya_airport_to_office",
        "missed_connection",
        "A9 jam (shared)",
    ] {
        assert!(
            !names.contains(&upstream_only),
            "{upstream_only} cannot move Tom's landing: {names:?}"
        );
    }
    assert!(names.contains(&"lhr_muc_flight"), "{names:?}");
}

#[test]
fn an_unknown_focus_is_a_usage_error_listing_the_names() {
    let out = eta()
        .args([
            "run",
            MUNICH,
            "--trials",
            "1000",
            "--no-charts",
            "--drivers-of",
            "meting",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--drivers-of") && err.contains("did you mean `meeting`"),
        "{err}"
    );
    assert!(
        err.contains("client_office") && err.contains("prep"),
        "{err}"
    );
}

#[test]
fn a_deadline_added_with_set_does_not_take_the_focus() {
    // The new deadline comes first in the replaced table, on another milestone.
    let set = r#"deadlines={early={milestone="tom_muc",at="2024-10-15T09:30"},meeting={milestone="client_office",at="2024-10-15T11:30"}}"#;
    let d = drivers_of(&["--set", set]);
    assert_eq!(
        (d["milestone"].as_str(), d["deadline"].as_str()),
        (Some("client_office"), Some("meeting"))
    );
}

/// With three routes, each route is a row against the other two; P(on time) on a route that
/// always makes it is 1 and on the others 0 by construction.
#[test]
fn three_routes_are_each_a_row_against_the_rest() {
    let text = r#"
[scenario]
name = "three routes"
zone = "UTC"
[routes]
a = { probability = 0.5 }
b = { probability = 0.3 }
c = { probability = 0.2 }
[milestones.start]
start = { date = "2024-03-01", time = "08:00" }
[milestones.end]
[[steps]]
from = "start"
to = "end"
kind = "dwell"
route = "a"
duration = "10 min"
[[steps]]
from = "start"
to = "end"
kind = "dwell"
route = "b"
duration = "2 h"
[[steps]]
from = "start"
to = "end"
kind = "dwell"
route = "c"
duration = "3 h"
[deadlines.by_nine]
milestone = "end"
at = "2024-03-01T09:00"
"#;
    let (_, _, s) = run(text, 50_000, 6);
    let rows = &s.drivers.ranked;
    let mut names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["a", "b", "c"]);
    let a = rows.iter().find(|r| r.name == "a").unwrap();
    let o = a.on_time.as_ref().unwrap();
    assert_eq!((o.low.probability, o.high.probability), (0.0, 1.0));
    assert_eq!(rows[0].name, "a", "taking a decides the deadline most");
}

#[test]
fn a_deadline_that_requires_a_route_is_made_only_on_it_in_the_drivers_too() {
    // The same file, but the deadline counts only on the fast route: off it nothing is on time,
    // and each figure is the fast route's share (0.6) of the plain one.
    let text = HAND.replace(
        "at = \"2024-03-01T09:21\"",
        "at = \"2024-03-01T09:21\"\nrequire = { route = \"fast\" }",
    );
    let (_, _, s) = run(&text, 100_000, 3);
    let row = |name: &str| {
        s.drivers
            .ranked
            .iter()
            .find(|r| r.name == name)
            .expect(name)
            .on_time
            .clone()
            .expect("a deadline in focus")
    };
    let slow = row("slow");
    assert_eq!(slow.high.probability, 0.0, "made off the required route");
    let se = |p: f64, n: u64| (p * (1.0 - p) / n as f64).sqrt();
    // Without the slow route (on the fast one): leg <= 80 min of U(30, 90) without the breakdown,
    // <= 50 min with it: 0.8 * 5/6 + 0.2 * 1/3.
    let fast = 0.8 * 5.0 / 6.0 + 0.2 / 3.0;
    assert_within(
        slow.low.probability,
        fast,
        se(fast, slow.low.trials),
        0.0,
        "fast",
    );
    let breakdown = row("Breakdown");
    let (without, with) = (0.6 * 5.0 / 6.0, 0.6 / 3.0);
    assert_within(
        breakdown.low.probability,
        without,
        se(without, breakdown.low.trials),
        0.0,
        "without the breakdown",
    );
    assert_within(
        breakdown.high.probability,
        with,
        se(with, breakdown.high.trials),
        0.0,
        "with the breakdown",
    );
}

/// `s`'s driver row `name`, checked to be of `kind` and read as `label`: P(on time) and trials
/// low (without) and high (with).
fn odds(s: &eta::report::Summary, name: &str, kind: &str, label: &str) -> (f64, u64, f64, u64) {
    let r = s
        .drivers
        .ranked
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no row {name}: {:?}", s.drivers.ranked));
    assert_eq!((r.kind, r.label.as_str()), (kind, label));
    let o = r.on_time.as_ref().expect("a deadline in focus");
    (
        o.low.probability,
        o.low.trials,
        o.high.probability,
        o.high.trials,
    )
}

/// A walk of U(0, 60) min from 10:00 to a train leaving hourly from 10:30 (10-minute ride), each
/// departure cancelled with p = 0.3, and a deadline of 10:40: only the 10:30 makes it. A trial
/// that passed a cancelled departure took a later one, so P(on time | cancelled) = 0; one that
/// did not took the first it could board, the 10:30 when the walk took 30 min or less:
/// P(on time | not cancelled) = 1/2. Trials with a cancellation: 0.3 of them.
#[test]
fn a_cancelled_departure_is_a_row_against_hand_values() {
    let text = r#"
[scenario]
name = "cancellations"
zone = "Asia/Tokyo"
[milestones.a]
start = { date = "2023-09-11", time = "10:00" }
[milestones.b]
[milestones.c]
[[steps]]
from = "a"
to = "b"
kind = "dwell"
duration = { dist = "uniform", min = "0 min", max = "60 min" }
[[steps]]
from = "b"
to = "c"
kind = "travel"
label = "Train"
duration = "10 min"
timetable = { every = "60 min", first = "10:30", last = "23:30", cancelled = 0.3 }
[deadlines.arrive]
milestone = "c"
at = "2023-09-11T10:40"
"#;
    let (_, _, s) = run(text, 100_000, 5);
    let (without, n0, with, n1) = odds(&s, "Train", "cancellation", "Train: a departure cancelled");
    assert_eq!(with, 0.0, "a cancelled departure leaves only late ones");
    let n = (n0 + n1) as f64;
    assert_within(
        without,
        0.5,
        (0.25 / n0 as f64).sqrt(),
        0.0,
        "P(on time | none)",
    );
    assert_within(
        n1 as f64 / n,
        0.3,
        (0.21 / n).sqrt(),
        0.0,
        "share cancelled",
    );
}

/// An 8-hour job from Monday 08:00 on a Mon-Fri 08:00-16:00 calendar losing each working day with
/// p = 0.4, due Tuesday 16:00: the lost days met X are geometric (P(X = k) = 0.6 * 0.4^k) and
/// the job is on time iff X <= 1. X's quarters are 0 (P(X = 0) = 0.6, over a quarter) and 1
/// (P(X <= 1) = 0.84, over three quarters), so the rows compare X = 0 (always on time) with
/// X >= 1 (on time when X = 1: 0.24 / 0.4 = 0.6).
#[test]
fn lost_working_days_are_a_row_against_hand_values() {
    let text = r#"
[scenario]
name = "calendar"
zone = "Europe/Berlin"
[calendars.customs]
hours = "Mon-Fri 08:00-16:00"
lost_day = 0.4
[milestones.a]
start = { date = "2024-12-16", time = "08:00" }
[milestones.b]
[[steps]]
from = "a"
to = "b"
kind = "dwell"
duration = "8 h"
calendar = "customs"
[deadlines.due]
milestone = "b"
at = "2024-12-17T16:00"
"#;
    let (_, _, s) = run(text, 100_000, 6);
    let (low, n0, high, n1) = odds(&s, "customs", "lost_days", "customs: working days lost");
    assert_eq!(low, 1.0, "no day lost: done Monday");
    assert_within(
        high,
        0.6,
        (0.24 / n1 as f64).sqrt(),
        0.0,
        "P(on time | X >= 1)",
    );
    let n = (n0 + n1) as f64;
    assert_within(n0 as f64 / n, 0.6, (0.24 / n).sqrt(), 0.0, "P(X = 0)");
}
