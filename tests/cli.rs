//! The binary as a user meets it: the README's commands, reproducibility, exit codes, outputs.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn eta() -> Command {
    Command::cargo_bin("eta").expect("binary")
}

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

fn run_summary(file: &Path, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    eta()
        .args(["run", "--quiet", "--out"])
        .arg(dir.path())
        .arg(file)
        .args(extra)
        .assert()
        .success();
    std::fs::read_to_string(dir.path().join("summary.json")).expect("summary.json")
}

#[test]
fn flagship_runs_as_the_readme_says() {
    // The README's command, at fewer trials so the debug-build test stays quick.
    let dir = tempfile::tempdir().expect("tempdir");
    let out = eta()
        .current_dir(dir.path())
        .args(["run", "--trials", "20000"])
        .arg(scenario("kim-eef-2023.toml"))
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("P(on time)"), "{stdout}");
    assert!(stdout.contains("Asia/Vladivostok (UTC+10)"), "{stdout}");
    assert!(stdout.contains("Asia/Pyongyang (UTC+9)"), "{stdout}");
    let json: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("output/kim-eef-2023/summary.json"))
            .expect("default output folder"),
    )
    .expect("valid json");
    assert_eq!(json["trials"], 20000);
    let deadline = &json["deadlines"][0];
    let p = deadline["probability"].as_f64().expect("probability");
    let ci = deadline["ci95"].as_array().expect("ci95");
    assert!(ci[0].as_f64().expect("lo") <= p && p <= ci[1].as_f64().expect("hi"));
    for m in json["milestones"].as_array().expect("milestones") {
        if m["reached"].as_f64().expect("reached") > 0.0 {
            let q = &m["quantiles"];
            let keys = ["p5", "p10", "p25", "p50", "p75", "p90", "p95"];
            let times: Vec<jiff::Timestamp> = keys
                .iter()
                .map(|k| q[k].as_str().expect("rfc3339").parse().expect("parses"))
                .collect();
            assert!(times.windows(2).all(|w| w[0] <= w[1]), "{m}");
        }
    }
}

#[test]
fn same_seed_same_bytes_whatever_the_thread_count() {
    let file = scenario("kim-eef-2023.toml");
    let one = run_summary(
        &file,
        &["--trials", "30000", "--seed", "5", "--threads", "1"],
    );
    let two = run_summary(
        &file,
        &["--trials", "30000", "--seed", "5", "--threads", "2"],
    );
    let three = run_summary(
        &file,
        &["--trials", "30000", "--seed", "5", "--threads", "3"],
    );
    assert_eq!(one, two);
    assert_eq!(one, three);
    let other_seed = run_summary(
        &file,
        &["--trials", "30000", "--seed", "6", "--threads", "2"],
    );
    assert_ne!(one, other_seed);
}

#[test]
fn samples_csv_has_one_row_per_trial_in_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("trials.csv");
    eta()
        .args([
            "run",
            "--quiet",
            "--trials",
            "5000",
            "--threads",
            "2",
            "--out",
        ])
        .arg(dir.path().join("out"))
        .arg("--samples")
        .arg(&csv)
        .arg(scenario("kim-eef-2023.toml"))
        .assert()
        .success();
    let text = std::fs::read_to_string(&csv).expect("csv");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 5001);
    assert!(lines[0].starts_with("trial,route,"));
    for (i, line) in lines[1..].iter().enumerate() {
        assert!(line.starts_with(&format!("{i},")), "row {i}: {line}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn check_prints_an_outline() {
    let out = eta()
        .arg("check")
        .arg(scenario("kim-eef-2023.toml"))
        .output()
        .expect("check");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for part in [
        "valid scenario",
        "Inputs",
        "Milestones",
        "Deadlines",
        "Routes",
    ] {
        assert!(text.contains(part), "missing {part}: {text}");
    }
}

#[test]
fn usage_errors_exit_2_and_scenario_errors_exit_1() {
    eta().args(["run"]).assert().code(2);
    eta()
        .args(["run", "--trials", "0", "x.toml"])
        .assert()
        .code(2);
    eta().args(["frobnicate"]).assert().code(2);
    eta()
        .args(["run", "/nonexistent/file.toml"])
        .assert()
        .code(2);
    eta()
        .args(["run", "--zone", "Mars/Olympus"])
        .arg(scenario("kim-eef-2023.toml"))
        .assert()
        .code(2);
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "").expect("write");
    eta().arg("run").arg(&empty).assert().code(1);
}

#[test]
fn help_shows_examples() {
    let out = eta().args(["run", "--help"]).output().expect("help");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("eta run scenarios/kim-eef-2023.toml"));
}

#[test]
fn an_output_path_that_is_a_file_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("taken");
    std::fs::write(&file, "x").expect("write");
    let out = eta()
        .args(["run", "--quiet", "--trials", "1000", "--out"])
        .arg(&file)
        .arg(scenario("kim-eef-2023.toml"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a folder"));
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "x");
}

/// Runs eta with its standard output a pipe nobody reads (the read end closed before eta
/// starts, as `eta ... | true` may do); returns the exit code and stderr.
fn with_closed_stdout(args: &[&str], dir: &Path) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("eta"))
        .current_dir(dir)
        .args(args)
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .expect("run eta");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_closed_stdout_ends_every_command_quietly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let kim = scenario("kim-eef-2023.toml");
    let kim = kim.to_str().expect("utf-8 path");
    std::fs::write(dir.path().join("data.csv"), "x\n1\n2\n3\n4\n5\n2.5\n3.5\n").expect("csv");
    let commands: [&[&str]; 6] = [
        &["run", kim, "--trials", "2000", "--no-charts"],
        &["check", kim],
        &[
            "compare",
            kim,
            "--trials",
            "2000",
            "--variants",
            "leaves_on_11th",
        ],
        &[
            "sweep",
            kim,
            "--trials",
            "2000",
            "--param",
            "dprk_speed.mode",
            "--values",
            "40,60",
        ],
        &[
            "solve",
            kim,
            "--trials",
            "2000",
            "--param",
            "departure_time",
            "--low",
            "00:00",
            "--high",
            "23:59",
            "--target",
            "P(plenary) >= 0.5",
            "--set",
            "departure_day=2023-09-11",
        ],
        &["fit", "data.csv", "--column", "x"],
    ];
    for args in commands {
        let (code, stderr) = with_closed_stdout(args, dir.path());
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

/// The second line of `eta run`'s report, which says how many threads ran the trials.
fn threads_line(env: Option<(&str, &str)>, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cmd = eta();
    if let Some((key, value)) = env {
        cmd.env(key, value);
    }
    let out = cmd
        .args(["run", "--trials", "3000", "--no-charts", "--out"])
        .arg(dir.path())
        .arg(scenario("kim-eef-2023.toml"))
        .args(extra)
        .output()
        .expect("run");
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    stdout.lines().nth(1).expect("second line").to_owned()
}

#[test]
fn the_report_says_how_many_threads_really_ran() {
    let one = threads_line(Some(("RAYON_NUM_THREADS", "1")), &[]);
    assert!(one.ends_with(" on 1 thread"), "{one}");
    let one = threads_line(None, &["--threads", "1"]);
    assert!(one.ends_with(" on 1 thread"), "{one}");
    let three = threads_line(Some(("RAYON_NUM_THREADS", "1")), &["--threads", "3"]);
    assert!(three.ends_with(" on 3 threads"), "{three}");
}

#[test]
fn trials_with_precision_is_refused_and_points_at_max_trials() {
    let out = eta()
        .args(["run", "--trials", "20000", "--precision", "0.01"])
        .arg(scenario("kim-eef-2023.toml"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--trials") && stderr.contains("--max-trials"),
        "{stderr}"
    );
    // --max-trials is how a precision run is capped.
    let dir = tempfile::tempdir().expect("tempdir");
    let out = eta()
        .args([
            "run",
            "--precision",
            "0.0001",
            "--max-trials",
            "5000",
            "--no-charts",
            "--out",
        ])
        .arg(dir.path())
        .arg(scenario("kim-eef-2023.toml"))
        .output()
        .expect("run");
    assert!(out.status.success());
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("summary.json")).expect("summary"))
            .expect("json");
    assert_eq!(summary["trials"], 5000);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Ran the most trials allowed (5,000)"));
}

#[test]
fn fit_reads_csv_as_csv() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data.csv");
    // A byte-order mark, a quoted comma, blank lines and CRLF line ends.
    std::fs::write(
        &data,
        "\u{feff}\"name\",hours\r\n\r\n\"Lee, A\",1\r\nKim,2\r\n\r\nPark,3\r\n\"Choi, B\",\"4\"\r\nYoon,5\r\n\r\n",
    )
    .expect("write");
    let fit = || {
        eta()
            .arg("fit")
            .arg(&data)
            .args(["--column", "hours"])
            .output()
            .expect("fit")
    };
    let out = fit();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("5 values of `hours`"), "{text}");
    // The values 1..5: a uniform fit spans them exactly, a normal one has their mean.
    assert!(text.contains("mean 3,"), "{text}");
    // A bad cell is reported at its own line of the file, blank lines counted.
    std::fs::write(&data, "\u{feff}name,hours\n\n\"Lee, A\",1\n\nKim,two\n").expect("write");
    let out = fit();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 5: `two` is not a number"), "{stderr}");
}

#[test]
fn compare_and_sweep_honour_format_svg() {
    let dir = tempfile::tempdir().expect("tempdir");
    let kim = scenario("kim-eef-2023.toml");
    let out = dir.path().join("cmp");
    eta()
        .args(["compare", "--quiet", "--trials", "2000", "--format", "svg"])
        .args(["--variants", "leaves_on_11th", "--out"])
        .arg(&out)
        .arg(&kim)
        .assert()
        .success();
    for name in ["compare-cdf.svg", "compare-deltas.svg"] {
        let text = std::fs::read_to_string(out.join(name)).expect(name);
        assert!(text.contains("<svg"), "{name}");
    }
    assert!(!out.join("compare-cdf.png").exists());
    let out = dir.path().join("sweep");
    eta()
        .args(["sweep", "--quiet", "--trials", "2000", "--format", "svg"])
        .args([
            "--param",
            "dprk_speed.mode",
            "--values",
            "40,50,60",
            "--out",
        ])
        .arg(&out)
        .arg(&kim)
        .assert()
        .success();
    let text = std::fs::read_to_string(out.join("sweep.svg")).expect("sweep.svg");
    assert!(text.contains("<svg"));
    assert!(!out.join("sweep.png").exists());
}

/// `--at` conditions the run: summary.json says on what, and with how many effective trials;
/// `--prior` on the same command gives the forecast as written, byte for byte.
#[test]
fn at_conditions_a_run_and_prior_ignores_it() {
    let kim = scenario("kim-eef-2023.toml");
    let common = ["--trials", "20000", "--no-charts", "--report", "none"];
    let given = run_summary(
        &kim,
        &[&common[..], &["--at", "pyongyang=2023-09-10T15:00 ±3h"]].concat(),
    );
    let json: serde_json::Value = serde_json::from_str(&given).unwrap();
    let c = &json["conditioning"];
    assert_eq!(
        c["given"][0],
        "Train leaves Pyongyang at 2023-09-10 15:00 +09:00 ± 3h 00m"
    );
    let effective = c["effective_trials"].as_u64().unwrap();
    assert!(effective > 1000 && effective < 20000, "{effective}");
    let plain = run_summary(&kim, &common);
    assert!(!plain.contains("conditioning"));
    let prior = run_summary(&kim, &[&common[..], &["--prior"]].concat());
    assert_eq!(prior, plain);
}

#[test]
fn bad_at_flags_are_usage_errors_that_say_why() {
    let kim = scenario("kim-eef-2023.toml");
    let dir = tempfile::tempdir().unwrap();
    let out = eta()
        .args(["run", "--quiet", "--out"])
        .arg(dir.path())
        .arg(&kim)
        .args(["--at", "pyongyang"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("--at pyongyang: expected MILESTONE=TIME"),
        "{stderr}"
    );
    let out = eta()
        .args(["run", "--quiet", "--out"])
        .arg(dir.path())
        .arg(&kim)
        .args(["--at", "pyongyan=2023-09-10T15:00"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("unknown milestone `pyongyan`"), "{stderr}");
    assert!(stderr.contains("pyongyang"), "{stderr}");
    assert!(!dir.path().join("summary.json").exists());
}

/// `eta compare FILE --at ...`: the forecast before and after the observation, side by side.
#[test]
fn compare_shows_the_forecast_before_and_after_an_observation() {
    let kim = scenario("kim-eef-2023.toml");
    let dir = tempfile::tempdir().unwrap();
    eta()
        .args([
            "compare", "--quiet", "--trials", "20000", "--report", "none", "--out",
        ])
        .arg(dir.path())
        .arg(&kim)
        .args(["--at", "pyongyang=2023-09-10T15:00 ±3h"])
        .assert()
        .success();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("compare.json")).unwrap())
            .unwrap();
    let variants = json["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 2);
    assert_eq!(variants[0]["name"], "before");
    assert_eq!(variants[1]["name"], "after");
    assert!(
        variants[1]["description"]
            .as_str()
            .unwrap()
            .starts_with("given: Train leaves Pyongyang")
    );
    let before = variants[0]["deadlines"][0]["probability"].as_f64().unwrap();
    let after = variants[1]["deadlines"][0]["probability"].as_f64().unwrap();
    assert!(after > before + 0.1, "{before} -> {after}");
}

/// A conditioned run's samples carry each trial's weight: 0 outside the observed window, 1
/// inside it (a box), so the rows reproduce the run's figures.
#[test]
fn conditioned_samples_carry_each_trials_weight() {
    let kim = scenario("kim-eef-2023.toml");
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("s.csv");
    eta()
        .args([
            "run",
            "--quiet",
            "--no-charts",
            "--report",
            "none",
            "--trials",
            "3000",
        ])
        .args(["--at", "pyongyang=2023-09-10T15:00 ±3h", "--samples"])
        .arg(&csv)
        .arg("--out")
        .arg(dir.path().join("out"))
        .arg(&kim)
        .assert()
        .success();
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header.last(), Some(&"weight"));
    let column = header.iter().position(|h| *h == "pyongyang").unwrap();
    let (mut inside, mut outside) = (0, 0);
    for line in lines {
        let fields: Vec<&str> = line.split(',').collect();
        let weight: f64 = fields.last().unwrap().parse().unwrap();
        // Shown in the display zone, Vladivostok (UTC+10): 15:00 +09:00 ± 3 h is 13:00-19:00.
        let left = fields[column];
        assert!(left.ends_with("+10:00"), "{left}");
        let near = ("2023-09-10T13:00:00+10:00"..="2023-09-10T19:00:00+10:00").contains(&left);
        if weight == 1.0 {
            inside += 1;
            assert!(near, "{left}");
        } else {
            assert_eq!(weight, 0.0, "{line}");
            assert!(!near, "{left}");
            outside += 1;
        }
    }
    assert!(inside > 100 && outside > 100, "{inside} {outside}");
}

/// `--observed FILE` reads an [observed] table like the scenario's (an input's value here),
/// errors in it are located in that file, and `condition` has no place in it.
#[test]
fn an_observations_file_conditions_the_run_and_is_checked_like_a_scenario() {
    let kim = scenario("kim-eef-2023.toml");
    let dir = tempfile::tempdir().unwrap();
    let seen = dir.path().join("seen.toml");
    std::fs::write(&seen, "[observed]\ninputs.departure_day = \"2023-09-10\"\n").unwrap();
    let given = run_summary(
        &kim,
        &[
            "--trials",
            "20000",
            "--no-charts",
            "--report",
            "none",
            "--observed",
            seen.to_str().unwrap(),
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&given).unwrap();
    assert_eq!(
        json["conditioning"]["given"][0],
        "departure_day = 2023-09-10"
    );
    // An independent input is set: no trial loses weight.
    assert_eq!(json["conditioning"]["effective_trials"], 20000);
    for (text, expected) in [
        (
            "[observed]\ncondition = false\n",
            "`condition` belongs in a scenario's [observed]",
        ),
        (
            "[observed]\ninputs.departure_day = \"2023-09-13\"\n",
            "its distribution never draws it",
        ),
        ("[observd]\n", "did you mean `observed`?"),
    ] {
        std::fs::write(&seen, text).unwrap();
        let out = eta()
            .args(["run", "--quiet", "--out"])
            .arg(dir.path().join("out"))
            .arg(&kim)
            .arg("--observed")
            .arg(&seen)
            .assert()
            .code(1);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(stderr.contains(expected), "{stderr}");
        assert!(stderr.contains("seen.toml:"), "{stderr}");
        assert!(!dir.path().join("out").exists());
    }
}
