//! Conditioning on observations, checked against closed forms: each weighted estimate lies
//! within 4 of its standard errors (from the run's effective sample size) of the exact answer.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

mod common;

use eta::analysis::RunResults;
use eta::engine::{RunOptions, Tally};
use eta::model::Model;

/// 2023-01-01 00:00 UTC, the start of every scenario here.
const T0: f64 = 1_672_531_200.0;
const HOUR: f64 = 3600.0;

fn run(text: &str, trials: u64) -> (Model, Tally, RunResults) {
    let model = common::compile(text);
    let options = RunOptions {
        threads: 2,
        keep_trials: 10_000,
        ..RunOptions::new(trials, 11)
    };
    let tally = eta::engine::run(&model, &options, None).unwrap();
    let results = RunResults::new(&model, &tally);
    (model, tally, results)
}

fn index(model: &Model, id: &str) -> usize {
    model.milestones.iter().position(|m| m.id == id).unwrap()
}

/// The weighted mean of milestone `id`, its sd, and the effective trials that reach it.
fn moments(model: &Model, tally: &Tally, id: &str) -> (f64, f64, f64) {
    let h = &tally.milestones[index(model, id)];
    (h.mean().unwrap(), h.sd().unwrap(), h.effective())
}

/// Asserts `estimate` within 4 standard errors of `exact`.
fn within_4se(what: &str, estimate: f64, exact: f64, se: f64) {
    eprintln!("{what}: {estimate:.4} exact {exact:.4} (se {se:.4})");
    assert!(
        (estimate - exact).abs() <= 4.0 * se,
        "{what}: {estimate} is more than 4 se ({se}) from {exact}"
    );
}

use common::TWO_NORMAL_LEGS;

/// b observed exactly at 06:00: c is 06:00 plus the second leg, N(3 h, 30 min), whatever the
/// first leg did (it shares nothing with the second), so c's mean is 09:00, its sd 30 min, and
/// P(c by 09:00) one half.
#[test]
fn an_exact_observation_shifts_an_independent_next_leg_to_it() {
    let text =
        format!("{TWO_NORMAL_LEGS}[observed]\nmilestones.b = {{ at = \"2023-01-01T06:00\" }}\n");
    let (model, tally, results) = run(&text, 400_000);
    let (mean, sd, n) = moments(&model, &tally, "c");
    let exact_sd = 0.5 * HOUR;
    within_4se("mean of c (s)", mean, T0 + 9.0 * HOUR, exact_sd / n.sqrt());
    // The sd's standard error for a normal sample: sd / sqrt(2 n).
    within_4se("sd of c (s)", sd, exact_sd, exact_sd / (2.0 * n).sqrt());
    let made = results.deadlines[0].made;
    within_4se("P(c by 09:00)", made.fraction, 0.5, (0.25 / n).sqrt());
    // The interval rests on the effective trials, not on the 400,000 drawn.
    let effective = results.conditioning.as_ref().unwrap().effective;
    assert!(effective < 0.2 * 400_000.0, "{effective}");
    assert!((made.effective.unwrap() - effective).abs() < 0.05 * effective);
    // Every trial's b is the observed instant.
    let b = &tally.milestones[index(&model, "b")];
    assert_eq!(b.range(), Some((T0 + 6.0 * HOUR, T0 + 6.0 * HOUR)));
}

/// Seen "at 06:00 ± 10 min" (a box): b is N(5 h, 1 h) truncated to [05:50, 06:10], whose mean
/// is 5 h + sigma (phi(a) - phi(b)) / (Phi(b) - Phi(a)) with a, b the bounds in sd units; c is
/// that plus the second leg.
#[test]
fn a_box_observation_gives_the_truncated_distribution() {
    let text = format!(
        "{TWO_NORMAL_LEGS}[observed]\nmilestones.b = {{ at = \"2023-01-01T06:00\", within = \"10 min\" }}\n"
    );
    let (model, tally, _) = run(&text, 400_000);
    let (a, b) = ((50.0 / 60.0), (70.0 / 60.0));
    let phi = |z: f64| (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let big_phi = |z: f64| 0.5 * (1.0 + common::erf(z / std::f64::consts::SQRT_2));
    let shift = (phi(a) - phi(b)) / (big_phi(b) - big_phi(a));
    let b_mean = T0 + (5.0 + shift) * HOUR;
    let (mean_b, sd_b, n) = moments(&model, &tally, "b");
    within_4se("mean of b (s)", mean_b, b_mean, sd_b / n.sqrt());
    let (mean_c, sd_c, n) = moments(&model, &tally, "c");
    within_4se(
        "mean of c (s)",
        mean_c,
        b_mean + 3.0 * HOUR,
        sd_c / n.sqrt(),
    );
    // Every b lies inside the box.
    let (lo, hi) = tally.milestones[index(&model, "b")].range().unwrap();
    assert!(lo >= T0 + 5.0 * HOUR + 50.0 * 60.0 && hi <= T0 + 6.0 * HOUR + 10.0 * 60.0);
}

/// Two legs at one uniform speed v ~ U(40, 80) km/h, 200 km then 100 km: seeing the first
/// arrival at 04:00 says v = 50 km/h, so the second leg takes t1 / 2 = 2 h. With the exact
/// kernel (normal, sd 5 min, around each trial's own t1), the posterior of t1 is the prior
/// density of t1 = 200 / v (proportional to 1 / t1^2 on [2.5 h, 5 h]) times that kernel; its
/// mean and sd, found by integrating that density, halve for the second leg.
#[test]
fn a_shared_speed_is_learned_from_the_first_leg() {
    let text = r#"
[scenario]
name = "one speed, two legs"
zone = "UTC"
[inputs]
speed = { dist = "uniform", min = "40 km/h", max = "80 km/h" }
[milestones.a]
start = { date = "2023-01-01", time = "00:00" }
[milestones.b]
[milestones.c]
[[steps]]
from = "a"
to = "b"
kind = "travel"
distance = "200 km"
speed = "speed"
[[steps]]
from = "b"
to = "c"
kind = "travel"
distance = "100 km"
speed = "speed"
[observed]
milestones.b = { at = "2023-01-01T04:00" }
"#;
    let (model, tally, _) = run(text, 1_000_000);
    // The posterior of t1 by the midpoint rule over [2.5 h, 5 h] in 1-second steps.
    let sd = eta::model::observed::EXACT_SD_SECONDS;
    let (mut w, mut m1, mut m2) = (0.0, 0.0, 0.0);
    let mut t = 2.5 * HOUR + 0.5;
    while t < 5.0 * HOUR {
        let z = (t - 4.0 * HOUR) / sd;
        let density = (-0.5 * z * z).exp() / (t * t);
        w += density;
        m1 += density * t;
        m2 += density * t * t;
        t += 1.0;
    }
    let (mean_t1, var_t1) = (m1 / w, m2 / w - (m1 / w).powi(2));
    // c = the observed b (04:00) + t1 / 2.
    let exact_mean = T0 + 4.0 * HOUR + mean_t1 / 2.0;
    let exact_sd = var_t1.sqrt() / 2.0;
    let (mean, sd_c, n) = moments(&model, &tally, "c");
    within_4se("mean of c (s)", mean, exact_mean, exact_sd / n.sqrt());
    within_4se("sd of c (s)", sd_c, exact_sd, exact_sd / (2.0 * n).sqrt());
    // Without the observation, c spreads over 3 h 45 min to 7 h 30 min.
    assert!(exact_sd < 200.0, "{exact_sd}");
}

/// An exponential first leg (mean 2 h) not yet done at 03:00: by memorylessness the rest of it
/// is again exponential with mean 2 h, so b's mean is 05:00 and P(b by 04:00) = 1 - e^(-1/2).
#[test]
fn not_yet_reached_on_an_exponential_leg_is_memoryless() {
    let text = r#"
[scenario]
name = "memoryless"
zone = "UTC"
[inputs]
leg = { dist = "exponential", mean = "2 h" }
[milestones.a]
start = { date = "2023-01-01", time = "00:00" }
[milestones.b]
[[steps]]
from = "a"
to = "b"
kind = "dwell"
duration = "leg"
[deadlines.by_four]
milestone = "b"
at = "2023-01-01T04:00"
[observed]
milestones.b = { not_by = "2023-01-01T03:00" }
"#;
    let (model, tally, results) = run(text, 400_000);
    let (mean, _, n) = moments(&model, &tally, "b");
    within_4se(
        "mean of b (s)",
        mean,
        T0 + 5.0 * HOUR,
        2.0 * HOUR / n.sqrt(),
    );
    let p = 1.0 - (-0.5f64).exp();
    let made = results.deadlines[0].made;
    within_4se(
        "P(b by 04:00)",
        made.fraction,
        p,
        (p * (1.0 - p) / n).sqrt(),
    );
    // Weights are 0 or 1: the effective trials are the e^(-3/2) share that survive 03:00.
    let survive = (-1.5f64).exp();
    let effective = results.conditioning.as_ref().unwrap().effective;
    within_4se(
        "effective share",
        effective / 400_000.0,
        survive,
        (survive * (1.0 - survive) / 400_000.0).sqrt(),
    );
    let (lo, _) = tally.milestones[index(&model, "b")].range().unwrap();
    assert!(lo > T0 + 3.0 * HOUR);
}

/// Two routes (30% fast, a fixed 2 h; 70% slow, U(2, 6) h) and a deadline at 03:00: seeing the
/// slow route taken gives P(by 03:00) = 1/4, that route's own answer, and every trial on it.
#[test]
fn an_observed_route_gives_that_routes_answers() {
    let text = r#"
[scenario]
name = "routes"
zone = "UTC"
[inputs]
slow_time = { dist = "uniform", min = "2 h", max = "6 h" }
[routes]
fast = { probability = 0.3 }
slow = { probability = 0.7 }
[milestones.a]
start = { date = "2023-01-01", time = "00:00" }
[milestones.b]
[[steps]]
from = "a"
to = "b"
kind = "dwell"
duration = "2 h"
route = "fast"
[[steps]]
from = "a"
to = "b"
kind = "dwell"
duration = "slow_time"
route = "slow"
[deadlines.by_three]
milestone = "b"
at = "2023-01-01T03:00"
[observed]
route = "slow"
"#;
    let (model, tally, results) = run(text, 400_000);
    assert_eq!(results.routes[0].fraction, 0.0);
    assert_eq!(results.routes[1].fraction, 1.0);
    let (_, _, n) = moments(&model, &tally, "b");
    let made = results.deadlines[0].made;
    within_4se(
        "P(by 03:00 | slow)",
        made.fraction,
        0.25,
        (0.25 * 0.75 / n).sqrt(),
    );
    within_4se(
        "effective share",
        n / 400_000.0,
        0.7,
        (0.21 / 400_000.0f64).sqrt(),
    );
}

/// An independent input's observed value is simply set: nothing drawn before it depends on
/// it, so no trial loses weight, and c = b + 2 h exactly, b keeping its own distribution.
#[test]
fn an_observed_independent_input_is_set_and_costs_no_trials() {
    let text = format!("{TWO_NORMAL_LEGS}[observed]\ninputs.leg2 = \"2 h\"\n");
    let (model, tally, results) = run(&text, 200_000);
    let effective = results.conditioning.as_ref().unwrap().effective;
    assert_eq!(effective, 200_000.0);
    let (mean_b, sd_b, n) = moments(&model, &tally, "b");
    within_4se("mean of b (s)", mean_b, T0 + 5.0 * HOUR, HOUR / n.sqrt());
    within_4se("sd of b (s)", sd_b, HOUR, HOUR / (2.0 * n).sqrt());
    let (mean_c, _, _) = moments(&model, &tally, "c");
    // c - b is exactly 2 h in every trial, so the means differ by 2 h to rounding.
    assert!(
        (mean_c - mean_b - 2.0 * HOUR).abs() < 1e-3,
        "{}",
        mean_c - mean_b
    );
}

const DELAY_AND_FORK: &str = r#"
[scenario]
name = "a delay and a fork"
zone = "UTC"
[milestones.a]
start = { date = "2023-01-01", time = "00:00" }
[milestones.b]
[milestones.c]
[[steps]]
from = "a"
to = "b"
kind = "delay"
label = "strike"
probability = 0.3
duration = "2 h"
[[steps]]
from = "b"
to = "c"
kind = "dwell"
duration = "1 h"
[forks.weather]
at = "b"
branches = [{ name = "storm", probability = 0.2 }, { name = "calm" }]
[deadlines.by_two]
milestone = "c"
at = "2023-01-01T02:00"
"#;

/// The strike seen to happen: every trial then has it (c at 03:00, the deadline missed), and
/// the weights (0 or 1) leave the 30% of trials that drew it; the fork, independent of it,
/// keeps its 20%.
#[test]
fn an_observed_event_keeps_only_the_trials_where_it_happened() {
    let text = format!("{DELAY_AND_FORK}[observed]\nevents.strike = true\n");
    let (model, tally, results) = run(&text, 200_000);
    assert_eq!(results.deadlines[0].made.fraction, 0.0);
    let c = &tally.milestones[index(&model, "c")];
    assert_eq!(c.range(), Some((T0 + 3.0 * HOUR, T0 + 3.0 * HOUR)));
    let n = results.conditioning.as_ref().unwrap().effective;
    within_4se(
        "effective share",
        n / 200_000.0,
        0.3,
        (0.21 / 200_000.0f64).sqrt(),
    );
    let storm = results.forks[0][0];
    within_4se("P(storm | strike)", storm.fraction, 0.2, (0.16 / n).sqrt());
}

/// A branch seen taken: every trial takes it, and the strike, independent of the fork, keeps
/// its 30% (P(by 02:00) = 0.7).
#[test]
fn an_observed_branch_keeps_only_the_trials_that_took_it() {
    let text = format!("{DELAY_AND_FORK}[observed]\nbranches.weather = \"storm\"\n");
    let (_, _, results) = run(&text, 200_000);
    assert_eq!(results.forks[0][0].fraction, 1.0);
    assert_eq!(results.forks[0][1].fraction, 0.0);
    let n = results.conditioning.as_ref().unwrap().effective;
    within_4se(
        "effective share",
        n / 200_000.0,
        0.2,
        (0.16 / 200_000.0f64).sqrt(),
    );
    within_4se(
        "P(by 02:00 | storm)",
        results.deadlines[0].made.fraction,
        0.7,
        (0.21 / n).sqrt(),
    );
}

/// Weighted runs are as reproducible as plain ones: the same figures on one thread or two,
/// under every sampling method.
#[test]
fn weighted_runs_do_not_depend_on_the_thread_count() {
    let text = format!(
        "{TWO_NORMAL_LEGS}[observed]\nmilestones.b = {{ at = \"2023-01-01T06:00\", sd = \"20 min\" }}\n"
    );
    let model = common::compile(&text);
    for sampling in [
        eta::engine::Sampling::MonteCarlo,
        eta::engine::Sampling::LatinHypercube,
        eta::engine::Sampling::Sobol,
    ] {
        let one = common::run_sampled(&model, 50_000, 3, 1, sampling);
        let two = common::run_sampled(&model, 50_000, 3, 2, sampling);
        assert_eq!(one.weight, two.weight, "{sampling:?}");
        assert_eq!(one.deadline_made, two.deadline_made, "{sampling:?}");
        assert_eq!(one.deadline_sq, two.deadline_sq, "{sampling:?}");
        let (a, b) = (RunResults::new(&model, &one), RunResults::new(&model, &two));
        assert_eq!(a.milestones[2].times, b.milestones[2].times, "{sampling:?}");
        assert_eq!(a.deadlines[0].made, b.deadlines[0].made, "{sampling:?}");
    }
}

/// Observations no trial fits are refused, naming the one that no trial fits alone and the
/// times the trials reached its milestone between.
#[test]
fn observations_no_trial_fits_are_an_error_that_names_them() {
    let text = format!(
        "{TWO_NORMAL_LEGS}[observed]\nmilestones.b = {{ at = \"2023-01-02T06:00\", within = \"10 min\" }}\n"
    );
    let model = common::compile(&text);
    let tally = eta::engine::run(&model, &RunOptions::new(20_000, 5), None).unwrap();
    let e = eta::analysis::conditioning::check(&model, &tally).unwrap_err();
    assert!(e.message.contains("no trial of 20,000"), "{}", e.message);
    assert!(
        e.message.contains("b at 2023-01-02 06:00 +00:00 ± 10m"),
        "{}",
        e.message
    );
    assert!(
        e.message.contains("reach b between 2023-01-01"),
        "{}",
        e.message
    );
}

/// An input in a rank correlation, observed: its partner is updated. Iman-Conover draws the
/// pair with a normal copula whose correlation is rho = 2 sin(pi r / 6) for the rank
/// correlation r, so with normal marginals, leg1 seen at 6 h (one sd above its mean) gives leg2
/// a mean of 3 h + rho 30 min and an sd of 30 min sqrt(1 - rho^2); c = 06:00 + leg2.
#[test]
fn an_observed_correlated_input_updates_its_partner() {
    let text = format!(
        "{TWO_NORMAL_LEGS}[[correlations]]\ninputs = [\"leg1\", \"leg2\"]\nrank = 0.5\n[observed]\ninputs.leg1 = \"6 h\"\n"
    );
    let (model, tally, results) = run(&text, 1_000_000);
    let rho = 2.0 * (std::f64::consts::PI * 0.5 / 6.0).sin();
    let exact_sd = 0.5 * HOUR * (1.0 - rho * rho).sqrt();
    let (mean, sd, n) = moments(&model, &tally, "c");
    within_4se(
        "mean of c (s)",
        mean,
        T0 + 9.0 * HOUR + rho * 0.5 * HOUR,
        exact_sd / n.sqrt(),
    );
    within_4se("sd of c (s)", sd, exact_sd, exact_sd / (2.0 * n).sqrt());
    // Only the trials whose leg1 lies near its 84th percentile keep much weight.
    assert!(results.conditioning.as_ref().unwrap().effective < 100_000.0);
}

/// `--precision` counts effective trials: a run conditioned on "not by 03:00" (which leaves
/// about 22% of the weight) stops once the deadline's interval is within ±1 point, later than
/// an unweighted run would, and its answer is the memoryless one.
#[test]
fn precision_runs_count_effective_trials() {
    let text = r#"
[scenario]
name = "memoryless, to a precision"
zone = "UTC"
[inputs]
leg = { dist = "exponential", mean = "2 h" }
[milestones.a]
start = { date = "2023-01-01", time = "00:00" }
[milestones.b]
[[steps]]
from = "a"
to = "b"
kind = "dwell"
duration = "leg"
[deadlines.by_four]
milestone = "b"
at = "2023-01-01T04:00"
[observed]
milestones.b = { not_by = "2023-01-01T03:00" }
"#;
    let model = common::compile(text);
    let options = RunOptions {
        threads: 2,
        precision: Some(eta::engine::Precision {
            probability: 0.01,
            median_seconds: None,
        }),
        ..RunOptions::new(10_000_000, 9)
    };
    let tally = eta::engine::run(&model, &options, None).unwrap();
    assert!(tally.stopped_early);
    let results = RunResults::new(&model, &tally);
    let made = results.deadlines[0].made;
    assert!((made.ci95.1 - made.ci95.0) / 2.0 <= 0.01, "{:?}", made.ci95);
    // p (1 - p) / 0.01^2 / 1.96^-2 ~ 9,160 effective trials, from about 41,000 drawn.
    let effective = results.conditioning.as_ref().unwrap().effective;
    assert!(effective >= 8_000.0, "{effective}");
    assert!(tally.trials as f64 >= effective / 0.25, "{}", tally.trials);
    let p = 1.0 - (-0.5f64).exp();
    within_4se(
        "P(b by 04:00)",
        made.fraction,
        p,
        (p * (1.0 - p) / effective).sqrt(),
    );
}
