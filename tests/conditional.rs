//! Decisions that depend on what happened (issue 14): conditional inputs, uncertain
//! probabilities, deadlines that require a route. Each checked against a closed form within 4
//! standard errors (fixed seeds), plus determinism across thread counts and pairing of variants.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

mod common;
use common::{assert_within, compile};
use eta::engine::{Sampling, Tally};
use eta::model::Model;

const N: u64 = 100_000;

/// `wait` is N(60 min, 10 min) when `regime` is 1 (30%), N(120 min, 20 min) when it is 2.
fn mixture_text(second_mean: u32) -> String {
    format!(
        r#"
[scenario]
name = "conditional normals"
zone = "UTC"
[inputs]
regime = {{ dist = "choice", values = [1, 2], weights = [0.3, 0.7] }}
wait = {{ dist = "conditional", on = "regime", unit = "min", cases = [
    {{ when = 1, dist = "normal", mean = 60, sd = 10, lower = 0 }},
    {{ when = 2, dist = "normal", mean = {second_mean}, sd = 20, lower = 0 }},
] }}
[milestones.a]
start = {{ date = "2024-01-01", time = "00:00" }}
[milestones.b]
[[steps]]
from = "a"
to = "b"
kind = "dwell"
duration = "wait"
"#
    )
}

fn run_with(model: &Model, seed: u64, threads: usize, sampling: Sampling) -> Tally {
    common::run_sampled(model, N, seed, threads, sampling)
}

fn column<'a>(model: &Model, tally: &'a Tally, name: &str) -> &'a [f64] {
    let k = model
        .inputs
        .iter()
        .position(|i| i.name == name)
        .expect("input");
    &tally.sample.inputs[k]
}

fn mean_and_variance(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var)
}

#[test]
fn a_conditional_on_a_choice_is_the_mixture_of_its_cases() {
    // Mixture of N(60, 10^2) w.p. 0.3 and N(120, 20^2) w.p. 0.7 (minutes): mean 102,
    // variance sum w (s^2 + m^2) - mean^2 = 1066, fourth central moment sum w (d^4 + 6 d^2 s^2
    // + 3 s^4) with d = m - mean. (The truncation at 0 removes mass below 6 and 6 sd: < 1e-9.)
    let (w, m, s) = ([0.3, 0.7], [60.0, 120.0], [10.0, 20.0]);
    let mean: f64 = (0..2).map(|i| w[i] * m[i]).sum();
    let var: f64 = (0..2)
        .map(|i| w[i] * (s[i] * s[i] + m[i] * m[i]))
        .sum::<f64>()
        - mean * mean;
    let mu4: f64 = (0..2)
        .map(|i| {
            let d: f64 = m[i] - mean;
            w[i] * (d.powi(4) + 6.0 * d * d * s[i] * s[i] + 3.0 * s[i].powi(4))
        })
        .sum();
    assert!((mean - 102.0).abs() < 1e-9 && (var - 1066.0).abs() < 1e-9);
    let model = compile(&mixture_text(120));
    for sampling in [
        Sampling::MonteCarlo,
        Sampling::LatinHypercube,
        Sampling::Sobol,
    ] {
        let tally = run_with(&model, 14, 2, sampling);
        let minutes: Vec<f64> = column(&model, &tally, "wait")
            .iter()
            .map(|x| x / 60.0)
            .collect();
        assert_eq!(minutes.len() as u64, N);
        let (got_mean, got_var) = mean_and_variance(&minutes);
        let n = N as f64;
        let what = format!("{sampling:?}");
        println!(
            "{what}: mean {got_mean:.3} min (truth {mean}, SE {:.3}); variance {got_var:.1} (truth {var}, SE {:.1})",
            (var / n).sqrt(),
            ((mu4 - var * var) / n).sqrt()
        );
        assert_within(
            got_mean,
            mean,
            (var / n).sqrt(),
            0.0,
            &format!("{what} mean"),
        );
        assert_within(
            got_var,
            var,
            ((mu4 - var * var) / n).sqrt(),
            0.0,
            &format!("{what} variance"),
        );
    }
}

#[test]
fn conditional_draws_do_not_depend_on_the_thread_count() {
    let model = compile(&mixture_text(120));
    for sampling in [
        Sampling::MonteCarlo,
        Sampling::LatinHypercube,
        Sampling::Sobol,
    ] {
        let one = run_with(&model, 3, 1, sampling);
        let three = run_with(&model, 3, 3, sampling);
        let bits = |t: &Tally| -> Vec<u64> {
            column(&model, t, "wait")
                .iter()
                .map(|x| x.to_bits())
                .collect()
        };
        assert_eq!(bits(&one), bits(&three), "{sampling:?}");
    }
}

#[test]
fn a_variant_that_changes_one_case_leaves_the_other_cases_draws_alone() {
    // The variant moves case 2's mean; on common random numbers (same seed) every trial in
    // case 1 keeps its value bit for bit, and every trial in case 2 moves by exactly 30 min
    // (a normal drawn by its own stream: the same standard normal, shifted; to a second, as
    // LHS and Sobol' invert the truncated normal's CDF numerically, to about a millisecond).
    let base = compile(&mixture_text(120));
    let variant = compile(&mixture_text(150));
    for sampling in [
        Sampling::MonteCarlo,
        Sampling::LatinHypercube,
        Sampling::Sobol,
    ] {
        let (a, b) = (
            run_with(&base, 5, 2, sampling),
            run_with(&variant, 5, 2, sampling),
        );
        let regime = column(&base, &a, "regime");
        assert_eq!(regime, column(&variant, &b, "regime"));
        let (wa, wb) = (column(&base, &a, "wait"), column(&variant, &b, "wait"));
        let mut same = 0;
        for i in 0..wa.len() {
            if regime[i] == 1.0 {
                assert_eq!(wa[i].to_bits(), wb[i].to_bits(), "{sampling:?} trial {i}");
                same += 1;
            } else {
                assert!(
                    (wb[i] - wa[i] - 1800.0).abs() < 1.0,
                    "{sampling:?} trial {i}: {} {}",
                    wa[i],
                    wb[i]
                );
            }
        }
        assert!(same > 25_000 && same < 35_000, "{same} trials in case 1");
    }
}

#[test]
fn a_conditional_on_the_route_draws_each_routes_case() {
    let text = r#"
[scenario]
name = "speed by route"
zone = "UTC"
[inputs]
speed = { dist = "conditional", on = "route", cases = [
    { when = "fast", dist = "fixed", value = "100 km/h" },
], default = { dist = "uniform", min = "20 km/h", max = "30 km/h" } }
[routes]
fast = { probability = 0.25 }
slow = { probability = 0.75 }
[milestones.a]
start = { date = "2024-01-01", time = "00:00" }
[milestones.b]
[[steps]]
from = "a"
to = "b"
kind = "travel"
distance = "100 km"
speed = "speed"
[deadlines.two_hours]
milestone = "b"
at = "2024-01-01T02:00"
"#;
    // On `fast` the trip takes 1 h; on `slow` 100 km at 20-30 km/h takes over 3 h: the deadline
    // is made exactly on `fast`, P = 0.25.
    let (_, tally, s) = common::run(text, N, 9);
    let p = s.deadlines[0].probability;
    assert_within(p, 0.25, (0.25 * 0.75 / N as f64).sqrt(), 0.0, "P(fast)");
    assert_eq!(tally.deadline_made[0][1], 0, "no slow trial makes it");
    assert_eq!(tally.deadline_made[0][0], tally.route_trials[0]);
}

#[test]
fn an_uncertain_probability_behaves_as_its_mean() {
    // Route `rare` has probability p ~ Beta(2, 6) per trial (mean 1/4); `usual` takes 1 - p.
    // A delay whose probability is q ~ Beta(3, 3) (mean 1/2) happens in each trial with
    // probability q. Marginally: P(rare) = 1/4, P(delay) = 1/2, each a Bernoulli share.
    let text = r#"
[scenario]
name = "uncertain odds"
zone = "UTC"
[inputs]
rare_p = { dist = "beta", alpha = 2, beta = 6 }
late_p = { dist = "beta", alpha = 3, beta = 3 }
[routes]
usual = { probability = 0.9 }
rare = { probability = "rare_p" }
[milestones.a]
start = { date = "2024-01-01", time = "00:00" }
[milestones.b]
[[steps]]
from = "a"
to = "b"
kind = "delay"
label = "late"
probability = "late_p"
duration = "1h"
[deadlines.on_time]
milestone = "b"
at = "2024-01-01T00:30"
"#;
    let model = compile(text);
    assert!((model.routes[1].probability - 0.25).abs() < 1e-12);
    assert!(
        (model.routes[0].probability - 0.75).abs() < 1e-12,
        "usual takes the rest"
    );
    for sampling in [
        Sampling::MonteCarlo,
        Sampling::LatinHypercube,
        Sampling::Sobol,
    ] {
        let tally = run_with(&model, 21, 2, sampling);
        let n = tally.trials as f64;
        let rare = tally.route_trials[1] as f64 / n;
        let on_time = tally.deadline_made[0].iter().sum::<u64>() as f64 / n;
        println!(
            "{sampling:?}: P(rare) {rare:.4} (truth 0.25, SE {:.4}); P(delay) {:.4} (truth 0.5, SE {:.4})",
            (0.25 * 0.75 / n).sqrt(),
            1.0 - on_time,
            (0.25 / n).sqrt()
        );
        assert_within(rare, 0.25, (0.25 * 0.75 / n).sqrt(), 0.0, "route share");
        assert_within(1.0 - on_time, 0.5, (0.25 / n).sqrt(), 0.0, "delay share");
    }
}

#[test]
fn one_route_probability_set_alone_rescales_the_others_in_proportion() {
    let text = r#"
[scenario]
name = "three routes"
zone = "UTC"
[routes]
a = { probability = 0.5 }
b = { probability = 0.2 }
c = { probability = 0.3 }
[milestones.a0]
start = { date = "2024-01-01", time = "00:00" }
[milestones.b0]
[[steps]]
from = "a0"
to = "b0"
kind = "dwell"
duration = "1h"
"#;
    use eta::scenario::Source;
    use eta::scenario::overrides::{self, Override};
    let source = Source {
        path: "t.toml".into(),
        text: text.into(),
    };
    let set = |path: &str, value: &str| Override {
        path: path.into(),
        value: value.into(),
        origin: format!("--set {path}={value}"),
    };
    // b = 0.3 alone: a and c share 0.7 as 0.5 : 0.3, i.e. 0.4375 and 0.2625.
    let edited = overrides::apply(&source, &[set("b.probability", "0.3")]).unwrap();
    let model = compile(&edited.text);
    let p: Vec<f64> = model.routes.iter().map(|r| r.probability).collect();
    for (got, want) in p.iter().zip([0.4375, 0.3, 0.2625]) {
        assert!((got - want).abs() < 1e-12, "{p:?}");
    }
    let note = overrides::route_rescaling_note(&source, &[set("b.probability", "0.3")]).unwrap();
    assert!(
        note.contains("(`a`, `c`) are rescaled in proportion"),
        "{note}"
    );
    // Two routes set together are taken as written (and must then sum to 1 with the third).
    let edited = overrides::apply(
        &source,
        &[set("a.probability", "0.6"), set("b.probability", "0.1")],
    )
    .unwrap();
    let model = compile(&edited.text);
    let p: Vec<f64> = model.routes.iter().map(|r| r.probability).collect();
    assert_eq!(p, [0.6, 0.1, 0.3]);
    assert!(
        overrides::route_rescaling_note(
            &source,
            &[set("a.probability", "0.6"), set("b.probability", "0.1")]
        )
        .is_none()
    );
}

#[test]
fn a_deadline_that_requires_a_route_counts_only_that_route() {
    // Both routes reach `venue` after U(0, 2 h); `attend` is taken with probability 0.6. The
    // deadline at 1 h requiring `attend` is made with P(attend) * P(U <= 1 h) = 0.6 * 0.5 = 0.3,
    // and trial by trial exactly where the plain deadline is made on `attend`.
    let text = r#"
[scenario]
name = "arriving is not attending"
zone = "UTC"
[inputs]
trip = { dist = "uniform", min = "0 h", max = "2 h" }
[routes]
attend = { probability = 0.6 }
skip = { probability = 0.4 }
[milestones.home]
start = { date = "2024-01-01", time = "08:00" }
[milestones.venue]
[[steps]]
from = "home"
to = "venue"
kind = "travel"
duration = "trip"
[deadlines.arrived]
milestone = "venue"
at = "2024-01-01T09:00"
[deadlines.attended]
milestone = "venue"
at = "2024-01-01T09:00"
require = { route = "attend" }
"#;
    let model = compile(text);
    for threads in [1, 2] {
        let tally = run_with(&model, 8, threads, Sampling::MonteCarlo);
        let n = tally.trials as f64;
        let (plain, required) = (&tally.deadline_made[0], &tally.deadline_made[1]);
        assert_eq!(required[0], plain[0], "on attend, the same trials");
        assert_eq!(required[1], 0, "never on skip");
        let p = required.iter().sum::<u64>() as f64 / n;
        println!(
            "P(attended) {p:.4} (truth 0.3, SE {:.4})",
            (0.21 / n).sqrt()
        );
        assert_within(p, 0.3, (0.3 * 0.7 / n).sqrt(), 0.0, "P(route and on time)");
        let arrived = plain.iter().sum::<u64>() as f64 / n;
        assert_within(arrived, 0.5, (0.25 / n).sqrt(), 0.0, "P(on time)");
    }
}

#[test]
fn a_probability_that_depends_on_a_chance_event_has_its_total_probability() {
    // A storm happens with probability 0.2 (a bernoulli); the delay's chance is 0.9 in a storm
    // and 0.1 otherwise (a conditional input on the bernoulli, `when = true`/`false`). By total
    // probability P(delay) = 0.2 * 0.9 + 0.8 * 0.1 = 0.26.
    let text = r#"
[scenario]
name = "storm"
zone = "UTC"
[inputs]
storm = { dist = "bernoulli", p = 0.2 }
late_p = { dist = "conditional", on = "storm", cases = [
    { when = true, dist = "fixed", value = 0.9 },
    { when = false, dist = "fixed", value = 0.1 },
] }
[milestones.a]
start = { date = "2024-01-01", time = "00:00" }
[milestones.b]
[[steps]]
from = "a"
to = "b"
kind = "delay"
probability = "late_p"
duration = "1h"
[deadlines.on_time]
milestone = "b"
at = "2024-01-01T00:30"
"#;
    let model = compile(text);
    for sampling in [
        Sampling::MonteCarlo,
        Sampling::LatinHypercube,
        Sampling::Sobol,
    ] {
        let tally = run_with(&model, 2, 2, sampling);
        let n = tally.trials as f64;
        let delayed = 1.0 - tally.deadline_made[0].iter().sum::<u64>() as f64 / n;
        let se = (0.26 * 0.74 / n).sqrt();
        println!("{sampling:?}: P(delay) {delayed:.4} (truth 0.26, SE {se:.4})");
        assert_within(delayed, 0.26, se, 0.0, "total probability");
        // Trial by trial, the chance is the case of the storm's value.
        let (storm, p) = (
            column(&model, &tally, "storm"),
            column(&model, &tally, "late_p"),
        );
        assert!(
            storm
                .iter()
                .zip(p)
                .all(|(&s, &p)| p == if s == 1.0 { 0.9 } else { 0.1 })
        );
    }
}
