//! What-if analysis through the binary: overrides, variants, paired comparison, sweeps, solve
//! and watch.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use assert_cmd::Command;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::time::{Duration, Instant};

const SCENARIO: &str = r#"
[scenario]
name = "what-if check"
zone = "UTC"
seed = 9

[inputs]
distance = { dist = "fixed", value = 100, unit = "km" }
speed = { dist = "uniform", min = 40, max = 60, unit = "km/h" }
start_time = { dist = "fixed", value = "08:00" }

[milestones.a]
start = { date = "2023-01-01", time = "start_time" }

[milestones.b]

[[steps]]
from = "a"
to = "b"
kind = "travel"
distance = "distance"
speed = "speed"

[deadlines.noon]
milestone = "b"
at = "2023-01-01T18:00"

[variants.same]
description = "sets the speed to what it already is"
set = { speed = { dist = "uniform", min = 40, max = 60, unit = "km/h" } }

[variants.slightly_faster]
set = { "speed.max" = 61 }
"#;

fn write(dir: &Path, text: &str) -> std::path::PathBuf {
    let path = dir.join("s.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn eta() -> Command {
    Command::cargo_bin("eta").unwrap()
}

#[test]
fn set_reaches_the_model_and_moves_arrival_by_the_arithmetic() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), SCENARIO);
    let run = |extra: &[&str]| {
        let out = dir.path().join("out");
        eta()
            .args([
                "run",
                "--quiet",
                "--no-charts",
                "--trials",
                "20000",
                "--out",
            ])
            .arg(&out)
            .arg(&file)
            .args(extra)
            .assert()
            .success();
        json(&out.join("summary.json"))
    };
    // A fixed 50 km/h: 100 km take 2 h, 200 km take 4 h.
    let base = run(&["--set", "speed=50 km/h"]);
    assert_eq!(
        base["milestones"][1]["quantiles"]["p50"],
        "2023-01-01T10:00:00+00:00"
    );
    let doubled = run(&["--set", "speed=50 km/h", "--set", "distance.value=200"]);
    assert_eq!(
        doubled["milestones"][1]["quantiles"]["p50"],
        "2023-01-01T12:00:00+00:00"
    );
}

#[test]
fn a_set_that_names_nothing_or_breaks_the_scenario_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), SCENARIO);
    let out = eta()
        .args(["run", "--set", "sped.max=70"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--set sped.max=70") && err.contains("did you mean `speed`"),
        "{err}"
    );
    let out = eta()
        .args(["run", "--set", "speed.max=10"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("with --set speed.max=10") && err.contains("max"),
        "{err}"
    );
    let out = eta()
        .args(["run", "--variant", "fast"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such variant"));
}

#[test]
fn common_random_numbers_make_paired_intervals_exact_and_narrow() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), SCENARIO);
    let out = dir.path().join("cmp");
    eta()
        .args(["compare", "--quiet", "--trials", "100000", "--out"])
        .arg(&out)
        .arg(&file)
        .assert()
        .success();
    let c = json(&out.join("compare.json"));
    let variants = c["variants"].as_array().unwrap();
    let same = &variants[1]["deadlines"][0];
    assert_eq!(same["difference"], 0.0);
    assert_eq!(same["difference_ci95"], serde_json::json!([0.0, 0.0]));
    // Near-identical variant: the paired interval is far narrower than comparing two
    // independent estimates would allow.
    let near = &variants[2]["deadlines"][0];
    let paired =
        near["difference_ci95"][1].as_f64().unwrap() - near["difference_ci95"][0].as_f64().unwrap();
    let width =
        |d: &serde_json::Value| d["ci95"][1].as_f64().unwrap() - d["ci95"][0].as_f64().unwrap();
    let unpaired = (width(&variants[0]["deadlines"][0]).powi(2) + width(near).powi(2)).sqrt();
    assert!(
        paired < unpaired / 3.0,
        "paired {paired} vs unpaired {unpaired}"
    );
    assert!(out.join("compare-cdf.png").exists() && out.join("compare-deltas.png").exists());
}

#[test]
fn sweep_over_a_fixed_speed_reproduces_the_closed_form_arrival() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), SCENARIO);
    let out = dir.path().join("sweep");
    eta()
        .args([
            "sweep",
            "--quiet",
            "--trials",
            "5000",
            "--param",
            "speed",
            "--values",
            "40 km/h,50 km/h,80 km/h",
            "--out",
        ])
        .arg(&out)
        .arg(&file)
        .assert()
        .success();
    let s = json(&out.join("sweep.json"));
    let p50: Vec<&str> = s["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["p50"].as_str().unwrap())
        .collect();
    // 100 km at 40, 50, 80 km/h: 2 h 30 m, 2 h, 1 h 15 m after 08:00.
    assert_eq!(
        p50,
        [
            "2023-01-01T10:30:00+00:00",
            "2023-01-01T10:00:00+00:00",
            "2023-01-01T09:15:00+00:00"
        ]
    );
    assert!(out.join("sweep.png").exists());
}

#[test]
fn solve_finds_the_analytic_break_even_within_its_uncertainty() {
    // 500 km at U(40, 60) km/h, deadline 18:00: P(on time | start T) = (60 - 500 / (18 - T)) / 20.
    // P >= 0.8 needs 18 - T >= 500 / 44 h, i.e. T <= 06:38:11.
    let text = SCENARIO.replace("value = 100, unit = \"km\"", "value = 500, unit = \"km\"");
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), &text);
    let out = eta()
        .args([
            "solve",
            "--trials",
            "200000",
            "--param",
            "start_time",
            "--low",
            "00:00",
            "--high",
            "12:00",
            "--target",
            "P(noon) >= 0.8",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let found = text.split("start_time = ").nth(1).unwrap();
    let hhmm: Vec<f64> = found[..5].split(':').map(|x| x.parse().unwrap()).collect();
    let minutes = hhmm[0] * 60.0 + hhmm[1];
    let uncertainty: f64 = found
        .split("(± ")
        .nth(1)
        .unwrap()
        .split('m')
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let truth = 6.0 * 60.0 + 38.18;
    assert!(
        (minutes - truth).abs() <= uncertainty + 1.0,
        "found {minutes} min ± {uncertainty}, truth {truth}: {text}"
    );
}

#[test]
fn watch_reruns_when_the_file_changes() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), SCENARIO);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("eta"))
        .args([
            "run",
            "--watch",
            "--quiet",
            "--no-charts",
            "--trials",
            "20000",
            "--out",
        ])
        .arg(dir.path().join("out"))
        .arg(&file)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // A watchdog: if eta never reruns, killing it ends the read below and fails the test.
    let pid = child.id();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(60));
        let _ = std::process::Command::new("kill")
            .arg(pid.to_string())
            .status();
    });
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.contains("P(noon)"), "{first}");
    // A slower train: the deadline gets harder.
    std::thread::sleep(Duration::from_millis(300));
    std::fs::write(
        &file,
        SCENARIO.replace("value = 100, unit", "value = 550, unit"),
    )
    .unwrap();
    let started = Instant::now();
    let second = lines.next().unwrap().unwrap();
    child.kill().unwrap();
    let _ = child.wait();
    assert!(second.contains("P(noon) 100.0% ->"), "{second}");
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn override_and_target_errors_name_the_flag_that_gave_them() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), SCENARIO);
    let stderr = |args: &[&str]| {
        let out = eta().args(args).arg(&file).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let e = stderr(&["run", "--set", "speed"]);
    assert!(
        e.contains("--set speed: expected PATH=VALUE, e.g. --set dprk_speed.mode=55"),
        "{e}"
    );
    let e = stderr(&["sweep", "--param", "sped", "--values", "1,2"]);
    assert!(
        e.contains("--param sped=1: no input, route, milestone or deadline is called `sped`"),
        "{e}"
    );
    let e = stderr(&["sweep", "--param", "speed", "--range", "1:2"]);
    assert!(e.contains("--range 1:2: expected LOW:HIGH:STEPS"), "{e}");
    let e = stderr(&["solve", "--param", "speed", "--target", "P(noon) > 0.5"]);
    assert!(
        e.contains("--target P(noon) > 0.5: expected P(DEADLINE) >= 0.8 (or <=)"),
        "{e}"
    );
}

// Issue 12: the what-if commands' wrong answers. `monday-meeting.toml` is the README's worked
// example.

fn meeting() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/monday-meeting.toml")
}

fn kim() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/kim-eef-2023.toml")
}

/// Runs eta, expecting `code`; gives (stdout, stderr).
fn expect(args: &[&str], files: &[&Path], code: i32) -> (String, String) {
    let out = eta().args(args).args(files).output().unwrap();
    let text = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert_eq!(out.status.code(), Some(code), "{args:?}: {text:?}");
    text
}

#[test]
fn solve_on_a_date_answers_the_same_whole_day_whatever_the_bracket() {
    // Item 7: with --high 2023-09-13 bisection evaluated rounded days but printed a truncated
    // midpoint (the 9th); the boundary whole day is the 10th whichever bracket holds it.
    for high in ["2023-09-13", "2023-09-12"] {
        let out = solve_departure_day("2023-09-08", high);
        assert!(
            out.contains("departure_day = 2023-09-10, "),
            "{high}: {out}"
        );
    }
}

/// `eta solve` for the flagship's departure day between `low` and `high`: its output.
fn solve_departure_day(low: &str, high: &str) -> String {
    let args = [
        "solve",
        "--param",
        "departure_day",
        "--low",
        low,
        "--high",
        high,
        "--target",
        "P(plenary) >= 0.5",
        "--trials",
        "20000",
    ];
    expect(&args, &[&kim()], 0).0
}

#[test]
fn solve_reports_the_answers_own_probability() {
    // Item 8: it printed 0.00%, the last bisection point's, for a date whose P is 97.8%. The
    // answer's estimate is the one `eta run` gives at that value (same seed, same trials).
    let (out, _) = expect(
        &[
            "solve",
            "--param",
            "ana_home.start.date",
            "--target",
            "P(meeting) >= 0.5",
            "--trials",
            "2000",
        ],
        &[&meeting()],
        0,
    );
    assert!(
        out.contains("ana_home.start.date = 2024-06-03, ")
            && out.contains("P(meeting) = 97.80% [97.06%, 98.36%]"),
        "{out}"
    );
    let dir = tempfile::tempdir().unwrap();
    let run_out = dir.path().join("run");
    expect(
        &[
            "run",
            "--quiet",
            "--no-charts",
            "--trials",
            "2000",
            "--set",
            "ana_home.start.date=2024-06-03",
            "--out",
            run_out.to_str().unwrap(),
        ],
        &[&meeting()],
        0,
    );
    assert_eq!(
        json(&run_out.join("summary.json"))["deadlines"][0]["probability"],
        0.978
    );
}

#[test]
fn compare_of_files_compares_only_what_both_define_and_refuses_when_nothing_is() {
    // Item 9: two files with different deadlines exited 0 with "+0.00 points [+0.00, +0.00]".
    let (_, err) = expect(&["compare"], &[&meeting(), &kim()], 2);
    assert!(
        err.contains("nothing to compare") && err.contains("share no deadline"),
        "{err}"
    );
    // One deadline in common, one not: the common one is compared, the other named as left out.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(meeting()).unwrap().replace(
        "[deadlines.meeting]",
        "[deadlines.early]\nmilestone = \"office\"\nat = \"2024-06-03T09:30\"\n\n[deadlines.meeting]",
    );
    let early = dir.path().join("early.toml");
    std::fs::write(&early, text).unwrap();
    let out_dir = dir.path().join("cmp");
    let (out, _) = expect(
        &[
            "compare",
            "--trials",
            "2000",
            "--out",
            out_dir.to_str().unwrap(),
        ],
        &[&early, &meeting()],
        0,
    );
    assert!(!out.contains("P(early)"), "{out}");
    assert!(out.contains("P(meeting)"), "{out}");
    assert!(
        out.contains("Not compared (not in every scenario):")
            && out.contains("deadline `early` (only in early)"),
        "{out}"
    );
    let c = json(&out_dir.join("compare.json"));
    let deadlines = c["variants"][1]["deadlines"].as_array().unwrap();
    assert_eq!(deadlines.len(), 1);
    assert_eq!(deadlines[0]["id"], "meeting");
    assert_eq!(c["milestone"], "office");
    assert_eq!(c["not_compared"][0], "deadline `early` (only in early)");
}

#[test]
fn sweeping_or_solving_the_seed_or_trials_is_refused() {
    // Item 11: it silently did nothing (the seed and trials come from the command line).
    for param in ["scenario.seed", "scenario.trials"] {
        let flag = if param.ends_with("seed") {
            "--seed"
        } else {
            "--trials"
        };
        let (_, err) = expect(
            &["sweep", "--param", param, "--values", "1,2"],
            &[&meeting()],
            2,
        );
        assert!(err.contains(&format!("use {flag}")), "{err}");
        let (_, err) = expect(
            &["solve", "--param", param, "--target", "P(meeting) >= 0.5"],
            &[&meeting()],
            2,
        );
        assert!(err.contains(&format!("use {flag}")), "{err}");
    }
}

#[test]
fn sweep_values_are_capped_like_a_range_and_of_one_kind() {
    // Item 16: --values had no cap (100,000 values exhausted 24 GB).
    let many: Vec<String> = (0..201).map(|k| format!("{} min", 30 + k % 10)).collect();
    let (_, err) = expect(
        &[
            "sweep",
            "--param",
            "drive.mode",
            "--values",
            &many.join(","),
        ],
        &[&meeting()],
        2,
    );
    assert!(
        err.contains("--values: 201 values, more than the 200 a sweep runs"),
        "{err}"
    );
    // Mixed kinds were plotted on one axis (40 min in seconds beside 0.5).
    let (_, err) = expect(
        &["sweep", "--param", "drive.mode", "--values", "40 min,0.5"],
        &[&meeting()],
        2,
    );
    assert!(
        err.contains("`40 min` is a duration but `0.5` is a plain number"),
        "{err}"
    );
}

#[test]
fn sweep_and_compare_load_a_broken_scenario_as_run_does() {
    // Item 19: they exited 2 with the TOML parser's raw message.
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "[scenario]\nname = \"x\"\nzone = \n").unwrap();
    let (_, expected) = expect(&["run"], &[&broken], 1);
    assert!(expected.contains("broken.toml:3:8"), "{expected}");
    for args in [
        &["sweep", "--param", "a", "--values", "1,2"][..],
        &["compare", "--set", "a=1"][..],
        &["solve", "--param", "a", "--target", "P(x) >= 0.5"][..],
    ] {
        let (_, err) = expect(args, &[&broken], 1);
        assert_eq!(err, expected, "{args:?}");
    }
}

#[test]
fn solve_says_when_its_search_range_breaks_the_scenario() {
    // Item 20: the default range (a quarter to four times 45 min) takes the PERT's mode below
    // its min; that is the range's fault, not the scenario's.
    let (_, err) = expect(
        &[
            "solve",
            "--param",
            "drive.mode",
            "--target",
            "P(meeting) >= 0.9",
            "--trials",
            "2000",
        ],
        &[&meeting()],
        2,
    );
    assert!(
        err.contains("the search range produced an invalid scenario at drive.mode = 675 s")
            && err.contains("give --low and --high"),
        "{err}"
    );
}

#[test]
fn a_sweep_over_dates_runs_whole_days() {
    // A --range over dates interpolated fractional days: x said 2024-06-01.67 where the scenario
    // ran 2024-06-02.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep");
    expect(
        &[
            "sweep",
            "--quiet",
            "--trials",
            "1000",
            "--param",
            "ana_home.start.date",
            "--range",
            "2024-06-01:2024-06-04:3",
            "--out",
            out.to_str().unwrap(),
        ],
        &[&meeting()],
        0,
    );
    let s = json(&out.join("sweep.json"));
    let points = s["points"].as_array().unwrap();
    let values: Vec<&str> = points
        .iter()
        .map(|p| p["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["2024-06-01", "2024-06-03", "2024-06-04"]);
    for p in points {
        let x = p["x"].as_f64().unwrap();
        assert_eq!(x, x.round(), "{p}");
    }
    let (_, err) = expect(
        &[
            "sweep",
            "--param",
            "ana_home.start.date",
            "--range",
            "2024-06-01:2024-06-03:4",
        ],
        &[&meeting()],
        2,
    );
    assert!(err.contains("only 3 whole dates"), "{err}");
}

#[test]
fn solve_answers_the_same_with_its_bounds_either_way_round() {
    // --low above --high: a date search collapsed to one day ("holds nowhere from 2023-09-13 to
    // 2023-09-13"), and a time search said "met at and above" a start time the meeting is met
    // only before.
    let out = solve_departure_day("2023-09-13", "2023-09-08");
    assert!(out.contains("departure_day = 2023-09-10, "), "{out}");
    let time = |low: &str, high: &str| {
        expect(
            &[
                "solve",
                "--param",
                "ana_home.start.time",
                "--low",
                low,
                "--high",
                high,
                "--target",
                "P(meeting) >= 0.5",
                "--trials",
                "2000",
            ],
            &[&meeting()],
            0,
        )
        .0
    };
    let (up, down) = (time("06:00", "10:00"), time("10:00", "06:00"));
    assert_eq!(up, down);
    assert!(up.contains("is met at and below it"), "{up}");
}

#[test]
fn a_sweep_over_dates_says_between_which_days_it_crosses() {
    // A crossing on dates was interpolated to a fraction of a day and printed floored: "crosses
    // 50% at 2024-06-03", a day whose P is 98%.
    let dir = tempfile::tempdir().unwrap();
    let (out, _) = expect(
        &[
            "sweep",
            "--trials",
            "1000",
            "--param",
            "ana_home.start.date",
            "--range",
            "2024-06-01:2024-06-05:5",
            "--out",
            dir.path().join("sweep").to_str().unwrap(),
        ],
        &[&meeting()],
        0,
    );
    assert!(
        out.contains("P crosses 50% between ana_home.start.date = 2024-06-03 and 2024-06-04"),
        "{out}"
    );
}

#[test]
fn a_sweep_reads_its_curve_along_the_scale_whatever_order_the_values_come_in() {
    // Listed out of order, the curve was drawn and its crossings interpolated between
    // neighbours in the list (09:30 then 08:00), not on the scale.
    let crossings = |values: &str| {
        let dir = tempfile::tempdir().unwrap();
        let (out, _) = expect(
            &[
                "sweep",
                "--trials",
                "2000",
                "--param",
                "ana_home.start.time",
                "--values",
                values,
                "--out",
                dir.path().join("sweep").to_str().unwrap(),
            ],
            &[&meeting()],
            0,
        );
        out.lines()
            .filter(|l| l.starts_with("P crosses") || l.starts_with("P does not"))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let sorted = crossings("08:00,09:00,09:30");
    assert_eq!(crossings("09:30,08:00,09:00"), sorted);
    assert!(sorted[0].starts_with("P crosses 50% at"), "{sorted:?}");
}
