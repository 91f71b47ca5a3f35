//! Every file in tests/bad/ holds one mistake and states, in its first lines, the error text
//! (`# expect: ...`) and the line (`# line: N`) eta must report. Each goes through the binary:
//! exit code 1, the message, `file:line:` in the location, and no output written.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use assert_cmd::Command;
use std::path::Path;

fn header(text: &str, key: &str) -> Option<String> {
    text.lines()
        .take_while(|l| l.starts_with('#'))
        .find_map(|l| {
            l.strip_prefix(&format!("# {key}:"))
                .map(|v| v.trim().to_owned())
        })
}

#[test]
fn every_bad_scenario_gets_a_located_error_and_writes_nothing() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/bad")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    let mut checked = 0;
    let mut failures = Vec::new();
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
    {
        let text = String::from_utf8_lossy(&std::fs::read(path).expect("read")).into_owned();
        let expect = header(&text, "expect")
            .unwrap_or_else(|| panic!("{} has no '# expect:' line", path.display()));
        let line = header(&text, "line");
        let out = tempfile::tempdir().expect("tempdir");
        let out_dir = out.path().join("run");
        let result = Command::cargo_bin("eta")
            .expect("binary")
            .args(["run", "--quiet", "--out"])
            .arg(&out_dir)
            .arg(path)
            .output()
            .expect("run eta");
        let stderr = String::from_utf8_lossy(&result.stderr);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut problems = Vec::new();
        if result.status.code() != Some(1) {
            problems.push(format!("exit code {:?}, expected 1", result.status.code()));
        }
        if !stderr.contains(&expect) {
            problems.push(format!("message lacks {expect:?}"));
        }
        if let Some(line) = &line
            && !stderr.contains(&format!("{name}:{line}:"))
        {
            problems.push(format!("location is not line {line}"));
        }
        if out_dir.exists() {
            problems.push("an output folder was created".into());
        }
        if stderr.contains("panicked") {
            problems.push("eta panicked".into());
        }
        if !problems.is_empty() {
            failures.push(format!("{name}: {}\n{stderr}", problems.join("; ")));
        }
        checked += 1;
    }
    assert!(checked >= 18, "only {checked} bad scenarios found");
    assert!(
        failures.is_empty(),
        "{} of {checked} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
