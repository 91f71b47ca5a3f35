//! Inputs the way analysts state them: quantiles (P10/P50/P90) fitted to a family, and
//! `eta fit` turning observed values into a ready-to-paste input.

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
    let (model, _, s) = common::run(text, n, 21);
    let dist = &model.inputs[0].dist;
    let start = common::instant("2023-01-01T00:00:00Z");
    let b = s.milestones[1].seconds.unwrap();
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
