//! Inputs the way analysts state them: quantiles (P10/P50/P90) fitted to a family, mixtures of
//! families, metalogs for shapes no family has, and `eta fit` turning observed values into a
//! ready-to-paste input.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

mod common;
use assert_cmd::Command;

#[test]
fn a_pert_given_by_quantiles_reproduces_them_in_the_run() {
    // A dwell whose P10/P50/P90 are 40 min, 1 h and 1 h 40 min: the arrival's percentiles are those,
    // within 4 standard errors of a quantile estimate (plus the 1-minute resolution).
    let text = r#"
[scenario]
name = "quantiles"
zone = "UTC"
[inputs]
dwell = { dist = "pert", p10 = "40 min", p50 = "1 h", p90 = "1h40m" }
[milestones.a]
start = { date = "2023-01-01", time = "00:00" }
[milestones.b]
[[steps]]
from = "a"
to = "b"
kind = "dwell"
duration = "dwell"
"#;
    let n = 200_000;
    let (model, tally, _) = common::run(text, n, 21);
    let dist = &model.inputs[0].dist;
    let start = common::instant("2023-01-01T00:00:00Z");
    let b = common::times(&model, &tally, &model.milestones[1].id);
    for (i, p, target) in [(1, 0.1, 2400.0), (3, 0.5, 3600.0), (5, 0.9, 6000.0)] {
        // The density at the quantile by a central difference of the fitted CDF.
        let h = 1.0;
        let density = (dist.cdf(target + h) - dist.cdf(target - h)) / (2.0 * h);
        let se = (p * (1.0 - p) / n as f64).sqrt() / density;
        common::assert_within(
            b.quantiles[i] - start,
            target,
            se,
            60.0,
            &format!("P{}", p * 100.0),
        );
    }
}

#[test]
fn quantiles_no_family_can_match_are_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.toml");
    std::fs::write(
        &file,
        "[scenario]\nname = \"q\"\nzone = \"UTC\"\n[inputs]\nx = { dist = \"normal\", p10 = 1, p50 = 2, p90 = 9, unit = \"h\" }\n[milestones.a]\nstart = { date = \"2023-01-01\", time = \"00:00\" }\n",
    )
    .unwrap();
    let out = Command::cargo_bin("eta")
        .unwrap()
        .arg("check")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot fit a normal") && err.contains("s.toml:5:5"),
        "{err}"
    );
}

#[test]
fn fit_prints_a_line_that_is_a_valid_input() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("d.csv");
    // Exponential-looking data from a fixed sequence (inverse CDF at evenly spaced points).
    let rows: Vec<String> = (0..400)
        .map(|i| format!("{i},{:.5}", -(1.0 - (i as f64 + 0.5) / 400.0f64).ln() * 2.0))
        .collect();
    std::fs::write(&csv, format!("id,hours\n{}\n", rows.join("\n"))).unwrap();
    let out = Command::cargo_bin("eta")
        .unwrap()
        .args(["fit"])
        .arg(&csv)
        .args(["--column", "hours", "--unit", "h"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().last().unwrap();
    assert!(
        line.starts_with("hours = { dist = \"exponential\"")
            || line.starts_with("hours = { dist = \"gamma\""),
        "{text}"
    );
    // The printed line drops straight into a scenario.
    let scenario = format!(
        "[scenario]\nname = \"f\"\nzone = \"UTC\"\n[inputs]\n{line}\n[milestones.a]\nstart = {{ date = \"2023-01-01\", time = \"00:00\" }}\n[milestones.b]\n[[steps]]\nfrom = \"a\"\nto = \"b\"\nkind = \"dwell\"\nduration = \"hours\"\n"
    );
    common::compile(&scenario);
    let out = Command::cargo_bin("eta")
        .unwrap()
        .args(["fit"])
        .arg(&csv)
        .args(["--column", "hour"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `hours`"));
}

const CORRELATED: &str = r#"
[scenario]
name = "correlated legs"
zone = "UTC"
[inputs]
first = { dist = "gamma", shape = 2, scale = 1, unit = "h" }
second = { dist = "uniform", min = "1 h", max = "3 h" }
[milestones.a]
start = { date = "2023-01-01", time = "00:00" }
[milestones.b]
[milestones.c]
[[steps]]
from = "a"
to = "b"
kind = "dwell"
duration = "first"
[[steps]]
from = "a"
to = "c"
kind = "dwell"
duration = "second"
[[correlations]]
inputs = ["first", "second"]
rank = 0.7
"#;

#[test]
fn rank_correlations_are_achieved_and_marginals_are_untouched() {
    let (_, _, with) = common::run(CORRELATED, 200_000, 8);
    let c = &with.correlations[0];
    // Spearman's standard error is about (1 - rho^2) / sqrt(n) = 0.0016 on the 100,000 kept trials.
    common::assert_within(c.achieved, 0.7, 0.0016, 0.0, "achieved rank correlation");
    let without_text = CORRELATED.split("[[correlations]]").next().unwrap();
    let (_, _, without) = common::run(without_text, 200_000, 8);
    // Iman-Conover only reorders each chunk's draws: each input's own distribution is the same
    // multiset of values, so its milestone's histogram, and every percentile, is identical.
    for m in [1, 2] {
        assert_eq!(
            with.milestones[m].quantiles.p50,
            without.milestones[m].quantiles.p50
        );
        assert_eq!(
            with.milestones[m].quantiles.p90,
            without.milestones[m].quantiles.p90
        );
        assert_eq!(with.milestones[m].mean, without.milestones[m].mean);
    }
    assert!(without.correlations.is_empty());
}

#[test]
fn an_impossible_correlation_matrix_names_a_pair_and_suggests_a_valid_one() {
    let text = r#"
[scenario]
name = "bad"
zone = "UTC"
[inputs]
a = { dist = "uniform", min = 1, max = 2, unit = "h" }
b = { dist = "uniform", min = 1, max = 2, unit = "h" }
c = { dist = "uniform", min = 1, max = 2, unit = "h" }
[milestones.s]
start = { date = "2023-01-01", time = "00:00" }
[[correlations]]
inputs = ["a", "b"]
rank = 0.9
[[correlations]]
inputs = ["b", "c"]
rank = 0.9
[[correlations]]
inputs = ["a", "c"]
rank = -0.9
"#;
    let raw = eta::scenario::Source {
        path: "t.toml".into(),
        text: text.into(),
    }
    .parse()
    .unwrap();
    let e = eta::model::compile(&raw).unwrap_err();
    assert!(e.message.contains("cannot hold together"), "{e:?}");
    assert!(
        e.help
            .as_deref()
            .unwrap_or("")
            .contains("nearest valid set"),
        "{e:?}"
    );
    assert!(e.line_col(text).is_some());
}

#[test]
fn ninety_percent_between_two_values_sets_the_5th_and_95th_percentiles() {
    let model = common::compile(
        "[scenario]\nname = \"b\"\nzone = \"UTC\"\n[inputs]\ndelay = { dist = \"lognormal\", between = [\"30 min\", \"3 h\"] }\n[milestones.a]\nstart = { date = \"2023-01-01\", time = \"00:00\" }\n",
    );
    let d = &model.inputs[0].dist;
    assert!((d.quantile(0.05) - 1800.0).abs() < 1e-6 && (d.quantile(0.95) - 10_800.0).abs() < 1e-6);
}

/// A bimodal delay (usually a short PERT, sometimes a long lognormal given by its quantiles) and
/// a transfer known only by three quantiles, bounded below at zero.
const MIXTURE_AND_METALOG: &str = r#"
[scenario]
name = "mixture and metalog"
zone = "UTC"
[inputs]
delay = { dist = "mixture", unit = "h", components = [
    { weight = 0.8, dist = "pert", min = 0.5, mode = 1, max = 3 },
    { weight = 0.2, dist = "lognormal", p50 = "6h", p90 = "12h" },
] }
transfer = { dist = "metalog", p10 = "30 min", p50 = "50 min", p90 = "3h", min = "0 min" }
[milestones.a]
start = { date = "2023-01-01", time = "00:00" }
[milestones.b]
[milestones.c]
[[steps]]
from = "a"
to = "b"
kind = "delay"
probability = 1
duration = "delay"
[[steps]]
from = "a"
to = "c"
kind = "dwell"
duration = "transfer"
"#;

#[test]
fn a_mixture_and_a_metalog_keep_their_distributions_in_the_run() {
    let n = 400_000;
    let (model, tally, _) = common::run(MIXTURE_AND_METALOG, n, 31);
    let start = common::instant("2023-01-01T00:00:00Z");
    for (input, milestone) in [(0, 1), (1, 2)] {
        let dist = &model.inputs[input].dist;
        let arrivals = common::times(&model, &tally, &model.milestones[milestone].id);
        for (i, p) in [(1, 0.1), (3, 0.5), (5, 0.9)] {
            let target = dist.quantile(p);
            // The standard error of a sample quantile, from the density at it.
            let h = 1e-3 * target;
            let density = (dist.cdf(target + h) - dist.cdf(target - h)) / (2.0 * h);
            let se = (p * (1.0 - p) / n as f64).sqrt() / density;
            common::assert_within(
                arrivals.quantiles[i] - start,
                target,
                se,
                60.0,
                &format!("{} P{}", model.inputs[input].name, p * 100.0),
            );
        }
    }
    // The metalog goes through its quantiles; the mixture's mean is the weighted means'.
    let transfer = &model.inputs[1].dist;
    for (p, x) in [(0.1, 1800.0), (0.5, 3000.0), (0.9, 10_800.0)] {
        assert!((transfer.quantile(p) - x).abs() < 1e-9 * x);
    }
    let b = common::times(&model, &tally, &model.milestones[1].id);
    let delay = &model.inputs[0].dist;
    common::assert_within(
        b.mean - start,
        delay.mean(),
        (b.mean_ci95.1 - b.mean_ci95.0) / 2.0 / eta::stats::Z95,
        0.0,
        "mean delay",
    );
    // This transfer's upper tail is a power law too heavy for a variance: eta says so.
    assert!(transfer.mean().is_finite() && transfer.variance().is_infinite());
}

#[test]
fn mixture_components_are_written_like_inputs() {
    let model = common::compile(
        r#"
[scenario]
name = "components"
zone = "UTC"
[inputs]
x = { dist = "mixture", unit = "h", components = [
    { weight = 0.5, dist = "uniform", min = 1, max = 2 },
    { weight = 0.25, dist = "uniform", min = 30, max = 90, unit = "min" },
    { weight = 0.25, dist = "triangular", min = "1h", mode = "1h30m", max = "2 h", upper = "1h45m" },
] }
departure = { dist = "mixture", components = [
    { weight = 0.6, dist = "normal", mean = "07:30", sd = "20 min", lower = "05:00", upper = "10:00" },
    { weight = 0.4, dist = "metalog", p10 = "17:30", p50 = "18:00", p90 = "19:00", min = "15:00", max = "21:00" },
] }
[milestones.a]
start = { date = "2023-01-01", time = "departure" }
"#,
    );
    let eta::distribution::Family::Mixture { components } = model.inputs[0].dist.family() else {
        panic!("not a mixture")
    };
    use eta::distribution::Family;
    assert_eq!(
        components[0].family,
        Family::Uniform {
            min: 3600.0,
            max: 7200.0
        }
    );
    assert_eq!(
        components[1].family,
        Family::Uniform {
            min: 1800.0,
            max: 5400.0
        }
    );
    assert_eq!(
        components[2].family,
        Family::Triangular {
            min: 3600.0,
            mode: 5400.0,
            max: 7200.0
        }
    );
    assert_eq!(components[2].upper, Some(6300.0));
    assert_eq!(model.inputs[0].dist.support(), (1800.0, 7200.0));
    assert_eq!(model.inputs[1].kind, eta::quantity::Kind::TimeOfDay);
    // Two humps, one in the morning and one in the evening.
    let d = &model.inputs[1].dist;
    assert!((d.cdf(12.0 * 3600.0) - 0.6).abs() < 1e-12);
}

/// Compiles `text` and returns the error's message, help and line.
fn compile_error(text: &str) -> (String, String, usize) {
    let raw = eta::scenario::Source {
        path: "t.toml".into(),
        text: text.into(),
    }
    .parse();
    let e = match raw {
        Ok(raw) => eta::model::compile(&raw).unwrap_err(),
        Err(e) => e,
    };
    let line = e.line_col(text).map_or(0, |l| l.0);
    (e.message, e.help.unwrap_or_default(), line)
}

fn with_input(input: &str) -> String {
    format!(
        "[scenario]\nname = \"e\"\nzone = \"UTC\"\n[inputs]\n{input}\n[milestones.a]\nstart = {{ date = \"2023-01-01\", time = \"00:00\" }}\n[milestones.b]\n[[steps]]\nfrom = \"a\"\nto = \"b\"\nkind = \"dwell\"\nduration = \"x\"\n"
    )
}

#[test]
fn mixture_mistakes_are_located_and_say_how_to_fix_them() {
    let (message, help, line) = compile_error(&with_input(
        "x = { dist = \"mixture\", unit = \"h\", components = [\n  { weight = 0.8, dist = \"fixed\", value = 1 },\n  { weight = 0.3, dist = \"fixed\", value = 2 },\n] }",
    ));
    assert!(
        message.contains("must sum to 1, they sum to 1.1"),
        "{message}"
    );
    assert_eq!(help, "in the same proportions they would be 0.7273, 0.2727");
    assert_eq!(line, 5);
    let (message, help, line) = compile_error(&with_input(
        "x = { dist = \"mixture\", unit = \"h\", components = [\n  { weight = 1, dist = \"pert\", min = 1, mode = 2, max = 3 },\n  { wieght = 0, dist = \"fixed\", value = 2 },\n] }",
    ));
    assert!(message.contains("unknown key `wieght`"), "{message}");
    assert_eq!(help, "did you mean `weight`?");
    assert_eq!(line, 7);
    let (message, _, line) = compile_error(&with_input(
        "x = { dist = \"mixture\", components = [\n  { weight = 0.5, dist = \"fixed\", value = \"1 h\" },\n  { weight = 0.5, dist = \"fixed\", value = \"3 km\" },\n] }",
    ));
    assert_eq!(
        message,
        "component 2 is a distance, but component 1 is a duration"
    );
    assert_eq!(line, 7);
    let (message, _, line) = compile_error(&with_input(
        "x = { dist = \"mixture\", unit = \"h\", components = [\n  { weight = 1, dist = \"fixed\", value = \"3 km\" },\n] }",
    ));
    assert_eq!(
        message,
        "`value` must be a duration, but \"3 km\" is a distance"
    );
    assert_eq!(line, 6);
    let (message, _, line) = compile_error(&with_input(
        "x = { dist = \"mixture\", unit = \"h\", components = [\n  { weight = 0.5, dist = \"fixed\", value = 1 },\n  { weight = 0.5, dist = \"normal\", mean = 2, sd = -1 },\n] }",
    ));
    assert!(message.contains("sd must be greater than 0"), "{message}");
    assert_eq!(line, 7);
}

#[test]
fn metalog_mistakes_are_located_and_say_how_to_fix_them() {
    // Too skewed for three unbounded terms; a lower bound at 0 fits, and so do two terms.
    let (message, help, line) = compile_error(&with_input(
        "x = { dist = \"metalog\", p10 = \"1h\", p50 = \"2h\", p90 = \"20h\" }",
    ));
    assert!(
        message.contains("no 3-term metalog through these quantiles is a distribution"),
        "{message}"
    );
    assert!(
        help.contains("`terms = 2`") && help.contains("min = \"0 min\""),
        "{help}"
    );
    assert_eq!(line, 5);
    // Five points with a kink: the interpolating metalog turns down between them.
    let (message, _, _) = compile_error(&with_input(
        "x = { dist = \"metalog\", min = \"0 min\", quantiles = [[0.1, \"10 min\"], [0.3, \"11 min\"], [0.5, \"30 min\"], [0.7, \"31 min\"], [0.9, \"50 min\"]] }",
    ));
    assert!(
        message.contains("no 5-term metalog") && message.contains("would decrease"),
        "{message}"
    );
    // A plateau in the middle: the fit turns down there, and the error points at P50.
    let (message, _, line) = compile_error(&with_input(
        "x = { dist = \"metalog\", quantiles = [[0.1, \"10 min\"], [0.3, \"29 min\"],\n  [0.5, \"30 min\"], [0.7, \"31 min\"], [0.9, \"50 min\"]] }",
    ));
    assert!(message.ends_with("would decrease near P50"), "{message}");
    assert_eq!(line, 6);
    // An unbounded metalog cannot be a duration; the fix names the metalog's own bound.
    let (message, help, _) = compile_error(&with_input(
        "x = { dist = \"metalog\", p10 = \"30 min\", p50 = \"50 min\", p90 = \"1h30m\" }",
    ));
    assert_eq!(message, "a duration cannot be negative");
    assert!(help.contains("min = \"0 min\""), "{help}");
}

#[test]
fn check_prints_the_components_and_the_metalog_fit() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.toml");
    std::fs::write(&file, MIXTURE_AND_METALOG).unwrap();
    let out = Command::cargo_bin("eta")
        .unwrap()
        .arg("check")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "mixture of 2 components",
        "80%  pert 30m / 1h 00m / 3h 00m",
        "20%  lognormal median 6h 00m",
        "metalog, 3 terms, above 0m: a = [",
        "fitted to  P10 30m 00s · P50 50m 00s · P90 3h 00m 00s",
        "fit gives  P10 30m 00s · P50 50m 00s · P90 3h 00m 00s",
        "heavy tail: infinite variance",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}

#[test]
fn the_airport_scenario_agrees_across_sampling_methods() {
    // Latin hypercube and Sobol' points draw every input through its inverse CDF (the mixture's
    // root search, the metalog's quantile function), plain Monte Carlo through its samplers: all
    // three estimate the same probability, so they agree within their standard errors.
    use eta::engine::{RunOptions, Sampling};
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/airport-run-zurich.toml"),
    )
    .unwrap();
    let model = common::compile(&text);
    let trials = 20_000;
    let estimate = |sampling| {
        let options = RunOptions {
            threads: 2,
            sampling,
            ..RunOptions::new(trials, 12)
        };
        let tally = eta::engine::run(&model, &options, None).unwrap();
        tally.deadline_made[0].iter().sum::<u64>() as f64 / trials as f64
    };
    let mc = estimate(Sampling::MonteCarlo);
    // Plain Monte Carlo's standard error bounds the others' (they only reduce variance).
    let se = (mc * (1.0 - mc) / trials as f64).sqrt();
    for sampling in [Sampling::LatinHypercube, Sampling::Sobol] {
        let other = estimate(sampling);
        common::assert_within(
            other,
            mc,
            se * 2f64.sqrt(),
            0.0,
            &format!("P(gate) under {sampling:?}"),
        );
    }
    assert!((0.85..0.99).contains(&mc), "P(gate) = {mc}");
}
