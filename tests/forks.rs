//! Forks decided by the trial's state (issue 14, item 1): branch shares against closed forms
//! within 4 standard errors (fixed seeds), determinism across thread counts and sampling
//! methods, deadlines that require a branch, and pairing of a variant that changes one branch.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

mod common;
use common::{assert_within, compile};
use eta::engine::{self, RunOptions, Sampling, Tally};
use eta::model::Model;

const N: u64 = 100_000;

/// The traveller leaves at 08:00 Berlin time and reaches the gate after a uniform 0-120 min
/// (so between 08:00 and 10:00 local). Forks at the gate:
/// - `gate_closed`: `late` if reached at or after 09:30 local (P = 30/120 = 0.25), else `on_time`;
/// - `slow`: `yes` if the gate is reached later than the start plus 90 min (the same event);
/// - `surprise`: `taken` with 90% if reached after 09:30, 10% otherwise (total
///   0.25 * 0.9 + 0.75 * 0.1 = 0.3);
/// - `strike`: `yes` if the bernoulli `strike_called` (p = 0.4) came out 1.
///
/// Then `late` trials rebook (`rebook_hours`), `on_time` ones connect (1 h).
fn scenario(rebook_hours: u32) -> String {
    format!(
        r#"
[scenario]
name = "forks"
zone = "Europe/Berlin"
[inputs]
walk = {{ dist = "uniform", min = 0, max = 120, unit = "min" }}
strike_called = {{ dist = "bernoulli", p = 0.4 }}
[milestones.home]
start = {{ date = "2024-03-05", time = "08:00" }}
[milestones.gate]
[milestones.dest]
[[steps]]
from = "home"
to = "gate"
kind = "dwell"
duration = "walk"
[[steps]]
from = "gate"
to = "dest"
kind = "dwell"
duration = "{rebook_hours} h"
branch = "gate_closed.late"
[[steps]]
from = "gate"
to = "dest"
kind = "dwell"
duration = "1 h"
branch = "gate_closed.on_time"
[forks.gate_closed]
at = "gate"
branches = [{{ name = "late", when = {{ reached_after = "09:30" }} }}, {{ name = "on_time" }}]
[forks.slow]
at = "gate"
branches = [{{ name = "yes", when = {{ later_than = "home", by = "90 min" }} }}, {{ name = "no" }}]
[forks.surprise]
at = "gate"
branches = [
    {{ name = "taken", probability = {{ when = {{ reached_after = "09:30" }}, then = 0.9, else = 0.1 }} }},
    {{ name = "not_taken" }},
]
[forks.strike]
at = "gate"
branches = [{{ name = "yes", when = {{ happened = "strike_called" }} }}, {{ name = "no" }}]
[deadlines.connected]
milestone = "dest"
at = "2024-03-06T12:00"
require = {{ branch = "gate_closed.on_time" }}
[deadlines.early_afternoon]
milestone = "dest"
at = "2024-03-05T13:30"
"#
    )
}

fn run_with(model: &Model, seed: u64, threads: usize, sampling: Sampling) -> Tally {
    common::run_sampled(model, N, seed, threads, sampling)
}

fn share(model: &Model, tally: &Tally, fork: &str, branch: &str) -> f64 {
    let f = model
        .forks
        .iter()
        .position(|f| f.name == fork)
        .expect("fork");
    let b = model.forks[f]
        .branches
        .iter()
        .position(|b| b.name == branch)
        .expect("branch");
    tally.branch_trials[f][b] as f64 / tally.trials as f64
}

fn standard_error(p: f64) -> f64 {
    (p * (1.0 - p) / N as f64).sqrt()
}

/// Each (fork, branch, closed-form share) within 4 standard errors of a binomial share.
fn assert_shares(model: &Model, tally: &Tally, sampling: Sampling, cases: &[(&str, &str, f64)]) {
    for &(fork, branch, truth) in cases {
        let p = share(model, tally, fork, branch);
        let se = standard_error(truth);
        eprintln!("{sampling:?} {fork}.{branch}: {p:.5} vs {truth} (SE {se:.5})");
        assert_within(p, truth, se, 0.0, &format!("{sampling:?} {fork}.{branch}"));
    }
}

#[test]
fn branch_shares_match_their_closed_forms_under_every_sampling() {
    let model = compile(&scenario(3));
    for sampling in [
        Sampling::MonteCarlo,
        Sampling::LatinHypercube,
        Sampling::Sobol,
    ] {
        let tally = run_with(&model, 11, 2, sampling);
        let cases = [
            // Reached before 09:30: the arrival's CDF there, 90/120.
            ("gate_closed", "on_time", 0.75),
            ("gate_closed", "late", 0.25),
            ("slow", "yes", 0.25),
            ("surprise", "taken", 0.25 * 0.9 + 0.75 * 0.1),
            ("strike", "yes", 0.4),
        ];
        assert_shares(&model, &tally, sampling, &cases);
        // `late` and `slow.yes` are the same event, trial by trial.
        assert_eq!(tally.branch_trials[0][0], tally.branch_trials[1][0]);
        // The deadline requiring `gate_closed.on_time` (and far off) is made exactly by those trials.
        assert_eq!(
            tally.deadline_made[0].iter().sum::<u64>(),
            tally.branch_trials[0][1]
        );
    }
}

#[test]
fn forks_do_not_depend_on_the_thread_count() {
    let model = compile(&scenario(3));
    for sampling in [
        Sampling::MonteCarlo,
        Sampling::LatinHypercube,
        Sampling::Sobol,
    ] {
        let one = run_with(&model, 3, 1, sampling);
        let three = run_with(&model, 3, 3, sampling);
        assert_eq!(one.branch_trials, three.branch_trials, "{sampling:?}");
        let bits =
            |t: &Tally| -> Vec<u64> { t.sample.outcome.iter().map(|x| x.to_bits()).collect() };
        assert_eq!(bits(&one), bits(&three), "{sampling:?}");
    }
}

#[test]
fn a_variant_changing_one_branch_leaves_the_other_trials_alone() {
    // Rebooking takes 4 h instead of 3: on common random numbers every on-time trial keeps its
    // arrival bit for bit, and every late one arrives exactly an hour later.
    let base = compile(&scenario(3));
    let variant = compile(&scenario(4));
    for sampling in [
        Sampling::MonteCarlo,
        Sampling::LatinHypercube,
        Sampling::Sobol,
    ] {
        let (a, b) = (
            run_with(&base, 5, 2, sampling),
            run_with(&variant, 5, 2, sampling),
        );
        assert_eq!(a.branch_trials, b.branch_trials, "{sampling:?}");
        let (ta, tb) = (&a.sample.outcome, &b.sample.outcome);
        assert_eq!(ta.len(), N as usize);
        let mut moved = 0;
        for i in 0..ta.len() {
            if tb[i] == ta[i] {
                continue;
            }
            assert_eq!(tb[i] - ta[i], 3600.0, "{sampling:?} trial {i}");
            moved += 1;
        }
        // The moved trials are the late ones.
        assert_eq!(moved, a.branch_trials[0][0], "{sampling:?}");
    }
}

#[test]
fn reports_show_each_branch_share_and_the_rules() {
    let (model, tally, summary) = common::run(&scenario(3), 20_000, 1);
    let fork = &summary.forks[0];
    assert_eq!(
        (fork.name.as_str(), fork.at.as_str()),
        ("gate_closed", "gate")
    );
    let on_time = &fork.branches[1];
    assert_eq!(on_time.name, "on_time");
    assert_eq!(
        on_time.share,
        share(&model, &tally, "gate_closed", "on_time")
    );
    assert!(on_time.ci95[0] < on_time.share && on_time.share < on_time.ci95[1]);
    // A branch drives the outcome: late trials rebook, so `late` ranks with arrival.
    let late = summary
        .drivers
        .ranked
        .iter()
        .find(|d| d.kind == "branch" && d.name == "gate_closed.late")
        .expect("the branch as a driver");
    let rho = late.rank_correlation.expect("the branch varies");
    assert!(rho > 0.5, "{rho}");
    let json = summary.to_json();
    assert!(json.contains("\"forks\""), "{json}");
    let outline = eta::report::outline::render(&model, "forks.toml");
    for expected in [
        "late         if reached at or after 09:30 local (Europe/Berlin)",
        "taken        with probability 90% if reached at or after 09:30 local (Europe/Berlin), else 10%",
        "yes          if reached more than 1h 30m after home",
        "[branch gate_closed.late]",
        "and only in trials that took branch gate_closed.on_time",
    ] {
        assert!(outline.contains(expected), "{expected}\n{outline}");
    }
}

#[test]
fn compare_pairs_trials_through_the_fork() {
    // Late trials reach the gate 09:30-10:00 and, rebooking in 3 h, `dest` by 13:00: in time for
    // 13:30. With 4 h they arrive 13:30-14:00: each late trial loses the deadline (bar the
    // measure-zero 09:30 exactly), no trial gains it, and `connected` (on time only) is untouched.
    let base = compile(&scenario(3));
    let variant = compile(&scenario(4));
    let options = RunOptions {
        threads: 2,
        ..RunOptions::new(N, 9)
    };
    let (tallies, pairs) = engine::run_paired(&[&base, &variant], &options).expect("paired run");
    let late = tallies[0].branch_trials[0][0];
    assert_eq!(tallies[0].branch_trials, tallies[1].branch_trials);
    let pair = &pairs[0];
    assert_eq!((pair.gained[0], pair.lost[0]), (0, 0), "connected");
    assert_eq!((pair.gained[1], pair.lost[1]), (0, late), "early_afternoon");
    assert_eq!(pair.both_reached, N);
    assert_eq!(pair.sum_diff_ms, i128::from(late) * 3_600_000);
    eprintln!("late trials {late} of {N}; paired lost {}", pair.lost[1]);
}

/// Forks on the route and on a delay: route `a` 60% (else `b`); a delay labelled `jam` (25%)
/// on the way to the gate.
const ROUTE_AND_DELAY: &str = r#"
[scenario]
name = "forks on route and delay"
zone = "Asia/Vladivostok"
[routes]
a = { probability = 0.6 }
b = { probability = 0.4 }
[milestones.home]
start = { date = "2024-01-01", time = "23:00" }
[milestones.gate]
[milestones.dest]
[[steps]]
from = "home"
to = "gate"
kind = "delay"
label = "jam"
duration = "2 h"
probability = 0.25
[[steps]]
from = "gate"
to = "dest"
kind = "dwell"
duration = "1 h"
route = "a"
branch = "half_of_a.yes"
[forks.on_a]
at = "gate"
branches = [{ name = "yes", when = { route = "a" } }, { name = "no" }]
[forks.jammed]
at = "gate"
branches = [{ name = "yes", when = { happened = "jam" } }, { name = "no" }]
[forks.half_of_a]
at = "gate"
branches = [{ name = "yes", when = { route = "a" }, probability = 0.5 }, { name = "no" }]
[forks.after_midnight]
at = "gate"
branches = [{ name = "yes", when = { reached_after = "2024-01-02T00:00" } }, { name = "no" }]
"#;

#[test]
fn forks_on_the_route_and_on_a_delay_take_their_closed_form_shares() {
    let model = compile(ROUTE_AND_DELAY);
    for sampling in [
        Sampling::MonteCarlo,
        Sampling::LatinHypercube,
        Sampling::Sobol,
    ] {
        let tally = run_with(&model, 21, 2, sampling);
        let cases = [
            ("on_a", "yes", 0.6),
            ("jammed", "yes", 0.25),
            ("half_of_a", "yes", 0.6 * 0.5),
            // Reached at 23:00 unless jammed (01:00 the next day): after midnight iff jammed.
            ("after_midnight", "yes", 0.25),
        ];
        assert_shares(&model, &tally, sampling, &cases);
        assert_eq!(
            tally.branch_trials[1], tally.branch_trials[3],
            "{sampling:?}"
        );
        // `dest` is reached only on route a and branch half_of_a.yes, in the same trials.
        let reached = tally.milestones[2].count();
        assert_eq!(reached, tally.branch_trials[2][0], "{sampling:?}");
    }
}
