//! Deadlines relative to a milestone (`at = { milestone = ..., offset = ... }`), checked against
//! closed-form answers within 4 standard errors, and against the equivalent fixed deadline.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

mod common;

use common::{assert_within, run};

const N: u64 = 400_000;

/// Two independent legs from the same start, each uniform over 0-60 min: `gate` at A, `plane`
/// at B. The deadline "at the gate by c after the plane" is made when A <= B + c; for
/// |c| <= 1 h, with c in hours, P(A - B <= c) = 1 - (1 - c)^2 / 2 for c >= 0 and
/// (1 + c)^2 / 2 for c < 0 (the difference of two uniforms is triangular on [-1, 1]).
fn two_legs(deadlines: &str) -> String {
    format!(
        r#"
[scenario]
name = "two legs"
zone = "Europe/Zurich"
[milestones.start]
start = {{ date = "2023-09-11", time = "08:00" }}
[milestones.gate]
[milestones.plane]
[[steps]]
from = "start"
to = "gate"
kind = "dwell"
duration = {{ dist = "uniform", min = "0 min", max = "60 min" }}
[[steps]]
from = "start"
to = "plane"
kind = "dwell"
duration = {{ dist = "uniform", min = "0 min", max = "60 min" }}
{deadlines}
"#
    )
}

#[test]
fn a_deadline_after_another_branch_matches_the_triangular_closed_form() {
    let text = two_legs(
        r#"
[deadlines.ten_after]
milestone = "gate"
at = { milestone = "plane", offset = "10 min" }
[deadlines.twenty_before]
milestone = "gate"
at = { milestone = "plane", offset = "-20 min" }
"#,
    );
    let (_, _, s) = run(&text, N, 7);
    let n = N as f64;
    let c10: f64 = 10.0 / 60.0;
    let c20: f64 = 20.0 / 60.0;
    for (d, truth, what) in [
        (0, 1.0 - (1.0 - c10).powi(2) / 2.0, "A <= B + 10 min"),
        (1, (1.0 - c20).powi(2) / 2.0, "A <= B - 20 min"),
    ] {
        let p = s.deadlines[d].probability;
        println!("two uniform legs: P({what}) = {p:.5} (closed form {truth:.5})");
        assert!(
            s.deadlines[d].at.is_none(),
            "a relative deadline has no `at`"
        );
        assert_within(p, truth, (truth * (1.0 - truth) / n).sqrt(), 0.0, what);
    }
    let relative = s.deadlines[1].relative_to.as_ref().expect("relative_to");
    assert_eq!(relative.milestone, "plane");
    assert_eq!(relative.offset_hours, -20.0 / 60.0);
}

/// An offset from a milestone every trial reaches at one fixed instant is that fixed deadline:
/// the same trials make both, so the counts are equal, not merely close.
#[test]
fn an_offset_from_a_fixed_start_equals_the_fixed_deadline() {
    let text = two_legs(
        r#"
[deadlines.relative]
milestone = "gate"
at = { milestone = "start", offset = "25 min" }
[deadlines.fixed]
milestone = "gate"
at = "2023-09-11T08:25"
"#,
    );
    let (_, _, s) = run(&text, 100_000, 11);
    let (relative, fixed) = (&s.deadlines[0], &s.deadlines[1]);
    println!(
        "25 min after the start: {} made, 08:25 fixed: {} made (closed form 25/60 = {:.5})",
        relative.made,
        fixed.made,
        25.0 / 60.0
    );
    assert_eq!(relative.made, fixed.made);
    assert_eq!(relative.probability, fixed.probability);
    assert!(fixed.relative_to.is_none() && fixed.at.is_some());
    let truth: f64 = 25.0 / 60.0;
    let se = (truth * (1.0 - truth) / 100_000.0).sqrt();
    assert_within(relative.probability, truth, se, 0.0, "P(gate by 08:25)");
}

/// A trial that never reaches the reference milestone cannot make the deadline: the reference
/// is reached only on route `b` (probability 0.3), so even a generous offset gives P = 0.3; a
/// self-reference is always made with a non-negative offset and never with a negative one.
#[test]
fn an_unreached_reference_is_not_made_and_a_self_reference_is_all_or_nothing() {
    let text = r#"
[scenario]
name = "routes"
zone = "Europe/Zurich"
[routes]
a = { probability = 0.7 }
b = { probability = 0.3 }
[milestones.start]
start = { date = "2023-09-11", time = "08:00" }
[milestones.side]
[milestones.end]
[[steps]]
from = "start"
to = "side"
kind = "dwell"
route = "b"
duration = "5 min"
[[steps]]
from = "start"
to = "end"
kind = "dwell"
duration = { dist = "uniform", min = "0 min", max = "60 min" }
[deadlines.after_side]
milestone = "end"
at = { milestone = "side", offset = "2 h" }
[deadlines.self_now]
milestone = "end"
at = { milestone = "end", offset = "0 min" }
[deadlines.self_before]
milestone = "end"
at = { milestone = "end", offset = "-1 min" }
"#;
    let (_, _, s) = run(text, N, 5);
    let n = N as f64;
    let truth = 0.3;
    let p = s.deadlines[0].probability;
    println!("reference reached on route b only: P = {p:.5} (closed form {truth})");
    assert_within(p, truth, (truth * (1.0 - truth) / n).sqrt(), 0.0, "route b");
    assert_eq!(
        s.deadlines[1].made, N,
        "self-reference, offset 0: always made"
    );
    assert_eq!(
        s.deadlines[2].made, 0,
        "self-reference, negative offset: never made"
    );
}

/// `eta compare` pairs a relative deadline trial by trial, each variant against its own reference
/// time. With the deadline "at the gate by the plane" (A <= B), delaying the plane by 10 min, or
/// moving the offset to +10 min, turns exactly the trials with 0 < A - B <= 10 min from missed to
/// made and none back: the paired change is P(0 < A - B <= 1/6 h) = 47/72 - 1/2 = 11/72.
#[test]
fn compare_pairs_a_relative_deadline_with_each_variants_own_reference() {
    let text = two_legs(
        r#"
[deadlines.gate_by_plane]
milestone = "gate"
at = { milestone = "plane", offset = "0 min" }
[variants.later_plane]
description = "the plane leaves 10 minutes later"
set = { "steps.2.duration" = { dist = "uniform", min = "10 min", max = "70 min" } }
[variants.offset_ten]
description = "the gate closes 10 minutes after the plane leaves"
set = { "gate_by_plane.at.offset" = "10 min" }
"#,
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("relative.toml");
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join("cmp");
    let trials = 200_000u64;
    assert_cmd::Command::cargo_bin("eta")
        .unwrap()
        .args(["compare", "--quiet", "--seed", "4", "--trials"])
        .arg(trials.to_string())
        .arg("--out")
        .arg(&out)
        .arg(&file)
        .assert()
        .success();
    let c: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("compare.json")).unwrap()).unwrap();
    let n = trials as f64;
    let base = c["variants"][0]["deadlines"][0]["probability"]
        .as_f64()
        .unwrap();
    assert_within(base, 0.5, (0.25 / n).sqrt(), 0.0, "P(A <= B)");
    let change: f64 = 11.0 / 72.0;
    for v in [1, 2] {
        let d = &c["variants"][v]["deadlines"][0];
        let (p, diff) = (
            d["probability"].as_f64().unwrap(),
            d["difference"].as_f64().unwrap(),
        );
        println!(
            "{}: P = {p:.5} (closed form {:.5}), paired change {diff:.5} (closed form {change:.5})",
            c["variants"][v]["name"],
            47.0 / 72.0
        );
        let truth: f64 = 47.0 / 72.0;
        assert_within(
            p,
            truth,
            (truth * (1.0 - truth) / n).sqrt(),
            0.0,
            "P(variant)",
        );
        // Only gains: the change is one indicator, P(0 < A - B <= 1/6 h).
        assert_within(
            diff,
            change,
            (change * (1.0 - change) / n).sqrt(),
            0.0,
            "paired change",
        );
    }
}

/// The drivers of a relative deadline include what moves its reference milestone, and their
/// P(on time) uses each kept trial's own deadline. Deadline A <= B (A the gate leg, B the plane
/// leg, each uniform on [0, 1] h): in B's bottom quarter P(on time) = E[B | B < 1/4] = 1/8, in
/// its top quarter E[B | B > 3/4] = 7/8 (over the 100,000 kept trials, 25,000 a quarter).
#[test]
fn drivers_of_a_relative_deadline_include_its_reference_and_use_each_trials_deadline() {
    let text = two_legs(
        r#"
[deadlines.gate_by_plane]
milestone = "gate"
at = { milestone = "plane", offset = "0 min" }
"#,
    );
    let (_, _, s) = run(&text, 100_000, 8);
    let plane = s
        .drivers
        .ranked
        .iter()
        .find(|d| d.name == "start_to_plane.duration")
        .expect("the reference milestone's leg is a driver");
    let on_time = plane.on_time.as_ref().expect("P(on time) by quarter");
    for (share, truth, what) in [
        (&on_time.low, 1.0 / 8.0, "bottom quarter"),
        (&on_time.high, 7.0 / 8.0, "top quarter"),
    ] {
        println!(
            "plane leg {what}: P(on time) = {:.5} over {} trials (closed form {truth:.5})",
            share.probability, share.trials
        );
        let se = (truth * (1.0 - truth) / share.trials as f64).sqrt();
        assert_within(share.probability, truth, se, 0.0, what);
    }
}

/// `eta score` judges a relative deadline by the observed reference: the gate observed at 08:40
/// and the plane at 08:55 make "20 min before the plane" false (08:40 > 08:35) and "10 min
/// before" true; a deadline whose reference was not observed is left unscored.
#[test]
fn score_uses_the_observed_reference_plus_the_offset() {
    let text = two_legs(
        r#"
[deadlines.twenty_before]
milestone = "gate"
at = { milestone = "plane", offset = "-20 min" }
[deadlines.ten_before]
milestone = "gate"
at = { milestone = "plane", offset = "-10 min" }
[deadlines.after_start]
milestone = "plane"
at = { milestone = "gate", offset = "1 h" }
[observed]
milestones.gate = { at = "2023-09-11T08:40" }
"#,
    );
    let with_plane = text.replace(
        "milestones.gate = { at = \"2023-09-11T08:40\" }",
        "milestones.gate = { at = \"2023-09-11T08:40\" }\nmilestones.plane = { at = \"2023-09-11T08:55\" }",
    );
    let options = eta::engine::RunOptions::new(10_000, 1);
    let card = eta::analysis::score::score(&common::compile(&with_plane), &options).unwrap();
    let happened: Vec<(usize, bool)> = card
        .deadlines
        .iter()
        .map(|d| (d.deadline, d.happened))
        .collect();
    assert_eq!(happened, vec![(0, false), (1, true), (2, true)]);
    let card = eta::analysis::score::score(&common::compile(&text), &options).unwrap();
    assert!(card.deadlines.is_empty(), "{:?}", card.deadlines);
    assert_eq!(card.unscored_deadlines, vec![0, 1, 2]);
}
