//! `eta fit` through the binary: any finite data is fitted without a panic, data files are read
//! as people write them (units, semicolons, decimal commas), and mistakes are caught before work.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use assert_cmd::Command;
use std::path::Path;

/// Runs `eta fit FILE --column x [extra]` on `data`; returns (exit code, stdout, stderr).
fn fit(data: &[u8], extra: &[&str]) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.csv");
    std::fs::write(&path, data).unwrap();
    fit_path(&path, extra)
}

fn fit_path(path: &Path, extra: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::cargo_bin("eta")
        .unwrap()
        .arg("fit")
        .arg(path)
        .args(["--column", "x"])
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The best fit's scenario line (the last line of the output).
fn best_line(stdout: &str) -> &str {
    stdout.lines().last().unwrap_or("")
}

#[test]
fn a_huge_value_is_fitted_without_a_panic() {
    // Issue 12: this panicked in the Weibull fit (exit 101).
    let (code, stdout, stderr) = fit(b"x\n1\n2\n3\n4\n1e155\n", &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"));
    assert!(
        stdout.contains("weibull") && stdout.contains("lognormal"),
        "{stdout}"
    );
    // Huge parameters read in scientific notation, not 155 digits.
    assert!(stdout.lines().all(|l| l.len() < 200), "{stdout}");
    for extreme in ["1e308", "-1.7e308", "1e-300"] {
        let data = format!("x\n1\n2\n3\n4\n{extreme}\n");
        let (code, _, stderr) = fit(data.as_bytes(), &[]);
        assert_eq!(code, Some(0), "{extreme}: {stderr}");
    }
}

#[test]
fn distinct_subnormal_values_are_not_all_the_same() {
    let (code, stdout, stderr) = fit(b"x\n1e-310\n2e-310\n3e-310\n4e-310\n5e-310\n", &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        best_line(&stdout),
        "x = { dist = \"uniform\", min = 1e-310, max = 5e-310 }"
    );
    let (code, _, stderr) = fit(b"x\n2\n2\n2\n2\n2\n", &[]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("all values are the same"), "{stderr}");
}

#[test]
fn a_bad_unit_is_refused_before_the_data_is_read() {
    // Too few values to fit, and a bad unit: the unit is what is wrong first.
    let (code, _, stderr) = fit(b"x\n1\n", &["--unit", "hourz"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("--unit hourz: not a unit eta knows"),
        "{stderr}"
    );
}

#[test]
fn values_with_units_are_fitted_in_one_unit() {
    let data = b"x\n1h\n1h30m\n90 min\n2 h\n2h15m\n";
    let (code, stdout, stderr) = fit(data, &[]);
    assert_eq!(code, Some(0), "{stderr}");
    // In hours by default (a duration's usual unit): the values are 1, 1.5, 1.5, 2, 2.25 h.
    assert!(stdout.contains("mean 1.65 h"), "{stdout}");
    assert!(best_line(&stdout).ends_with("unit = \"h\" }"), "{stdout}");
    let (code, stdout, _) = fit(data, &["--unit", "min"]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("mean 99 min"), "{stdout}");
    let (code, _, stderr) = fit(data, &["--unit", "km"]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("are a duration, not a distance"),
        "{stderr}"
    );
    let (code, _, stderr) = fit(b"x\n1h\n2h\n3\n4h\n5h\n", &[]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("line 4: `3` is a plain number (no unit), but line 2 (`1h`) is a duration"),
        "{stderr}"
    );
}

#[test]
fn semicolon_separated_files_with_decimal_commas_are_read() {
    let (code, stdout, stderr) = fit(b"id;x\na;1,5\nb;2\nc;2,5\nd;3\ne;3,5\n", &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("mean 2.5"), "{stdout}");
}

#[test]
fn a_device_without_end_is_not_read_forever() {
    let (code, _, stderr) = fit_path(Path::new("/dev/zero"), &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("holds more than 64 MiB"), "{stderr}");
}
