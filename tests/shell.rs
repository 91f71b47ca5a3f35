//! eta in the shell: completion scripts and manual pages generated from the grammar, `eta init`'s
//! starting scenario (it runs as written), `eta run --json`, and colour on standard error only
//! where the rule allows it (a terminal, `NO_COLOR` unset).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use assert_cmd::Command;
use std::path::Path;
use std::process::Output;

const SUBCOMMANDS: [&str; 9] = [
    "run",
    "check",
    "compare",
    "sweep",
    "solve",
    "fit",
    "init",
    "completions",
    "man",
];

fn eta() -> Command {
    Command::cargo_bin("eta").expect("binary")
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "status {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `word` stands on its own in `text`: no letter or digit touches it.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

#[test]
fn every_shell_gets_a_script_naming_every_command() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = ok(eta().args(["completions", shell]).output().unwrap());
        assert!(!script.trim().is_empty(), "{shell}: empty script");
        for sub in SUBCOMMANDS {
            assert!(has_word(&script, sub), "{shell}: no `{sub}` in the script");
        }
        // Flags of the commands are completed too.
        assert!(has_word(&script, "precision-median"), "{shell}");
    }
    let refused = eta().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(refused.status.code(), Some(2));
}

#[test]
fn bash_accepts_the_bash_script() {
    let script = ok(eta().args(["completions", "bash"]).output().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eta.bash");
    std::fs::write(&path, &script).unwrap();
    let check = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .expect("bash is on the machine");
    assert!(
        check.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&check.stderr)
    );
    // Sourced, it registers the completion function for `eta`.
    let sourced = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("source {} && complete -p eta", path.display()))
        .output()
        .unwrap();
    let registered = String::from_utf8_lossy(&sourced.stdout);
    assert!(registered.contains("eta"), "{registered}");
    // And it completes: a command, a flag of that command, a shell name.
    for (words, want) in [
        ("eta ru", "run"),
        ("eta run --js", "--json"),
        ("eta completions fi", "fish"),
    ] {
        let words: Vec<&str> = words.split(' ').collect();
        let (current, previous) = (words[words.len() - 1], words[words.len() - 2]);
        let script = format!(
            "source {}; COMP_WORDS=({}); COMP_CWORD={}; _eta eta {current} {previous}; \
             echo \"${{COMPREPLY[@]}}\"",
            path.display(),
            words.join(" "),
            words.len() - 1
        );
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(script)
            .output()
            .unwrap();
        let offered = String::from_utf8_lossy(&out.stdout);
        assert_eq!(offered.trim(), want, "{words:?}");
    }
}

#[test]
fn the_man_page_is_roff_and_names_every_command() {
    let page = ok(eta().arg("man").output().unwrap());
    assert!(page.starts_with(".TH "), "{}", &page[..page.len().min(200)]);
    for sub in SUBCOMMANDS {
        assert!(page.contains(&format!("eta\\-{sub}(1)")), "no `{sub}`");
    }
    // Each command has a page of its own, with its options.
    let run = ok(eta().args(["man", "run"]).output().unwrap());
    assert!(
        run.starts_with(".TH eta\\-run 1") || run.starts_with(".TH eta-run 1"),
        "{run}"
    );
    assert!(run.contains("\\-\\-json"), "{run}");
    let unknown = eta().args(["man", "walk"]).output().unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no such command"));
}

#[test]
fn init_writes_a_scenario_that_runs_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let said = ok(eta().current_dir(dir.path()).arg("init").output().unwrap());
    assert!(said.contains("Wrote scenario.toml"), "{said}");
    assert!(said.contains("eta run scenario.toml"), "{said}");
    let file = dir.path().join("scenario.toml");
    let written = std::fs::read_to_string(&file).unwrap();
    ok(eta()
        .current_dir(dir.path())
        .args(["check", "scenario.toml"])
        .output()
        .unwrap());
    let report = ok(eta()
        .current_dir(dir.path())
        .args(["run", "scenario.toml"])
        .output()
        .unwrap());
    assert!(report.contains("P(on time)"), "{report}");
    assert!(dir.path().join("output/scenario/summary.json").exists());

    // A second init refuses, and leaves the file as it was.
    let again = eta().current_dir(dir.path()).arg("init").output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    let message = String::from_utf8_lossy(&again.stderr);
    assert!(
        message.contains("scenario.toml already exists"),
        "{message}"
    );
    assert!(again.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), written);

    // A name of one's own gets .toml (once).
    ok(eta()
        .current_dir(dir.path())
        .args(["init", "trip"])
        .output()
        .unwrap());
    ok(eta()
        .current_dir(dir.path())
        .args(["init", "other.toml"])
        .output()
        .unwrap());
    assert!(dir.path().join("trip.toml").exists());
    assert!(dir.path().join("other.toml").exists());
    let refused = eta()
        .current_dir(dir.path())
        .args(["init", "trip.toml"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    // A folder is not a name (and clap refuses an empty one).
    let empty = eta()
        .current_dir(dir.path())
        .args(["init", ""])
        .output()
        .unwrap();
    assert_eq!(empty.status.code(), Some(2));
    for name in [".", "..", "output/"] {
        let refused = eta()
            .current_dir(dir.path())
            .args(["init", name])
            .output()
            .unwrap();
        assert_eq!(refused.status.code(), Some(2), "{name:?}");
        let message = String::from_utf8_lossy(&refused.stderr);
        assert!(message.contains("must name a file"), "{name:?}: {message}");
    }
}

/// Every number in the template is labelled, on its line, as an example to replace.
#[test]
fn every_number_in_the_template_is_labelled_an_example() {
    let dir = tempfile::tempdir().unwrap();
    ok(eta().current_dir(dir.path()).arg("init").output().unwrap());
    let text = std::fs::read_to_string(dir.path().join("scenario.toml")).unwrap();
    for line in text.lines() {
        let code = line.split('#').next().unwrap();
        if code.chars().any(|c| c.is_ascii_digit()) {
            let comment = line.split_once('#').map_or("", |(_, c)| c);
            assert!(
                comment.contains("example"),
                "not labelled an example: {line}"
            );
        }
    }
}

#[test]
fn run_json_prints_summary_json_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/kim-eef-2023.toml");
    let out = eta()
        .args(["run", "--json", "--trials", "5000", "--no-charts", "--out"])
        .arg(dir.path())
        .arg(&scenario)
        .output()
        .unwrap();
    let stdout = ok(out);
    let file = std::fs::read_to_string(dir.path().join("summary.json")).unwrap();
    assert_eq!(stdout, file);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["trials"], 5000);
    // Not with --quiet or --watch: each would say otherwise about standard output.
    for other in ["--quiet", "--watch"] {
        let out = eta()
            .args(["run", "--json", other])
            .arg(&scenario)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{other}");
    }
}

/// What a scenario error and a usage error print (one each), with `env` set, through `script`
/// (a terminal) or not.
fn stderr_of_errors(terminal: bool, env: &[(&str, &str)]) -> Vec<Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[scenario]\nname = \"x\"\nzone = \"Nowhere/Atlantis\"\n",
    )
    .unwrap();
    let eta = assert_cmd::cargo::cargo_bin("eta");
    let mut all = Vec::new();
    for args in [
        vec![
            eta.display().to_string(),
            "check".into(),
            bad.display().to_string(),
        ],
        vec![
            eta.display().to_string(),
            "run".into(),
            "--no-such-flag".into(),
        ],
    ] {
        let mut command = if terminal {
            // util-linux `script` gives the command a pseudo-terminal; its stderr arrives in the
            // typescript on our stdout.
            let mut c = std::process::Command::new("script");
            let words: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
            c.args(["-qec", &words.join(" "), "/dev/null"]);
            c
        } else {
            let mut c = std::process::Command::new(&args[0]);
            c.args(&args[1..]);
            c
        };
        command.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
        for (k, v) in env {
            command.env(k, v);
        }
        let out = command.output().unwrap();
        assert!(!out.status.success());
        all.push([out.stdout, out.stderr].concat());
    }
    all
}

fn has_escape(bytes: &[u8]) -> bool {
    bytes.contains(&0x1b)
}

#[test]
fn no_colour_on_a_pipe_whatever_the_environment() {
    for env in [&[][..], &[("CLICOLOR_FORCE", "1")], &[("NO_COLOR", "1")]] {
        for text in stderr_of_errors(false, env) {
            let shown = String::from_utf8_lossy(&text);
            assert!(shown.contains("error"), "{env:?}: {shown}");
            assert!(!has_escape(&text), "{env:?}: {shown}");
        }
    }
}

#[test]
fn colour_on_a_terminal_only_without_no_color() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("SKIP: no `script` to give eta a terminal");
        return;
    }
    // Both the scenario error and clap's usage error are coloured on a terminal...
    for text in stderr_of_errors(true, &[]) {
        assert!(has_escape(&text), "{}", String::from_utf8_lossy(&text));
    }
    // ...and neither is once NO_COLOR is set, to anything.
    for value in ["1", ""] {
        for text in stderr_of_errors(true, &[("NO_COLOR", value)]) {
            let shown = String::from_utf8_lossy(&text);
            assert!(shown.contains("error"), "NO_COLOR={value:?}: {shown}");
            assert!(!has_escape(&text), "NO_COLOR={value:?}: {shown}");
        }
    }
}
