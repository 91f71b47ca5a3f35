//! Every file in tests/bad/ holds one mistake and states, in its first lines, the error text
//! (`# expect: ...`) and the line (`# line: N`) eta must report; a file without `# line:` has an
//! error about the whole file, which must still name it. Each goes through the binary: exit
//! code 1, the message, `file:line:` in the location, and no output written. Cases that cannot be
//! files in the corpus (a 10 MB file, a truly empty one) are generated below.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use assert_cmd::Command;
use std::path::Path;

/// Runs `eta run --quiet --out <tempdir>/run FILE` and returns (exit code, stderr, output made).
fn run_eta(path: &Path) -> (Option<i32>, String, bool) {
    let out = tempfile::tempdir().expect("tempdir");
    let out_dir = out.path().join("run");
    let result = Command::cargo_bin("eta")
        .expect("binary")
        .args(["run", "--quiet", "--out"])
        .arg(&out_dir)
        .arg(path)
        .output()
        .expect("run eta");
    let stderr = String::from_utf8_lossy(&result.stderr).into_owned();
    (result.status.code(), stderr, out_dir.exists())
}

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
        let (code, stderr, wrote) = run_eta(path);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut problems = Vec::new();
        if code != Some(1) {
            problems.push(format!("exit code {code:?}, expected 1"));
        }
        if !stderr.contains(&expect) {
            problems.push(format!("message lacks {expect:?}"));
        }
        match &line {
            Some(line) if !stderr.contains(&format!("{name}:{line}:")) => {
                problems.push(format!("location is not line {line}"));
            }
            None if !stderr.contains(&name) && !expect.contains("beyond the year 9999") => {
                problems.push("the error does not name the file".into());
            }
            _ => {}
        }
        if wrote {
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
    assert!(checked >= 65, "only {checked} bad scenarios found");
    assert!(
        failures.is_empty(),
        "{} of {checked} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A 10 MB scenario (a valid one, padded with comments) is refused before it is parsed.
#[test]
fn a_scenario_over_the_size_limit_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge.toml");
    let mut text = String::from(
        "[scenario]\nname = \"huge\"\nzone = \"UTC\"\n\n[milestones.a]\n\
         start = { date = \"2023-09-10\", time = \"06:00\" }\n",
    );
    let pad = format!("# {}\n", "x".repeat(98));
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&pad);
    }
    std::fs::write(&path, &text).expect("write");
    let (code, stderr, wrote) = run_eta(&path);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("the scenario file is 10.0 MiB; eta reads scenario files up to 8 MiB"),
        "{stderr}"
    );
    assert!(stderr.contains("huge.toml"), "{stderr}");
    // Just over the limit reads as just over it, not as "8 MB; up to 8 MB".
    text.truncate(8 * 1024 * 1024 + 400 * 1024);
    std::fs::write(&path, &text).expect("write");
    let (_, stderr, _) = run_eta(&path);
    assert!(stderr.contains("the scenario file is 8.4 MiB;"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!wrote, "an output folder was created");
}

/// A file with no bytes at all, or only whitespace, cannot carry the corpus header.
#[test]
fn an_empty_file_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, content) in [("empty.toml", ""), ("blank.toml", "\n  \n\t\n")] {
        let path = dir.path().join(name);
        std::fs::write(&path, content).expect("write");
        let (code, stderr, wrote) = run_eta(&path);
        assert_eq!(code, Some(1), "{name}: {stderr}");
        assert!(
            stderr.contains("the scenario file is empty"),
            "{name}: {stderr}"
        );
        assert!(stderr.contains(name), "{name}: {stderr}");
        assert!(!wrote, "{name}: an output folder was created");
    }
}
