//! What eta prints cannot drive the terminal: an ESC or BEL written into a scenario's name or
//! labels is shown as a visible picture by `run` and `check`, never sent raw.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use assert_cmd::Command;

const SCENARIO: &str = r#"
[scenario]
name = "red\u001b[31m alert\u0007"
zone = "UTC"
trials = 2000
[milestones.a]
label = "start\u001b]0;title\u0007"
start = { date = "2023-01-01", time = "00:00" }
[milestones.b]
[[steps]]
from = "a"
to = "b"
kind = "dwell"
duration = "1 h"
[deadlines.soon]
label = "soon\u0007"
milestone = "b"
at = "2023-01-01T02:00"
"#;

#[test]
fn control_characters_in_names_are_shown_not_sent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.toml");
    std::fs::write(&path, SCENARIO).unwrap();
    for args in [
        vec!["check"],
        vec![
            "run",
            "--no-charts",
            "--out",
            dir.path().join("o").to_str().unwrap(),
        ],
    ] {
        let out = Command::cargo_bin("eta")
            .unwrap()
            .args(&args)
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(
            !stdout.contains(['\u{1b}', '\u{7}']),
            "{args:?} printed a control character: {stdout:?}"
        );
        assert!(stdout.contains("red␛[31m alert␇"), "{args:?}: {stdout}");
    }
}
