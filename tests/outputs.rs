//! Outputs you can trust (issue 12), through the binary: eta never replaces a file it did not
//! write, never leaves a partial or mixed set of outputs, and never leaves temporary files
//! behind, whether the run succeeds, fails or is interrupted; plus a property test over random
//! combinations of `--out`, `--samples`, `--set`, `--force` and the chart flags.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use assert_cmd::Command;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn eta() -> Command {
    Command::cargo_bin("eta").expect("binary")
}

/// The README's worked example ("Worked example"), as `base.toml` in the issue.
fn base_toml() -> String {
    let readme = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README");
    let at = readme.find("### Worked example").expect("worked example");
    let start = at + readme[at..].find("```toml\n").expect("toml block") + 8;
    let end = start + readme[start..].find("```").expect("block end");
    readme[start..end].to_owned()
}

/// A folder holding `s.toml` (the worked example).
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("s.toml"), base_toml()).expect("scenario");
    dir
}

/// Every entry under `root`: its kind and contents (a file's bytes, a link's target).
fn tree(root: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("read_dir").flatten() {
            let path = entry.path();
            let meta = fs::symlink_metadata(&path).expect("meta");
            let what = if meta.is_symlink() {
                format!("link {}", fs::read_link(&path).expect("link").display())
            } else if meta.is_dir() {
                stack.push(path.clone());
                "folder".into()
            } else if meta.is_file() {
                let bytes = fs::read(&path).expect("read");
                format!("file {} {:x}", bytes.len(), fnv(&bytes))
            } else {
                "special".into()
            };
            out.insert(
                path.strip_prefix(root).expect("under root").to_owned(),
                what,
            );
        }
    }
    out
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

/// Temporary files and staging folders anywhere in the tree.
fn leftovers(tree: &BTreeMap<PathBuf, String>) -> Vec<&PathBuf> {
    tree.keys()
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".tmp") || name.contains("eta-staging")
        })
        .collect()
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    eta()
        .current_dir(dir)
        .args(["run", "s.toml", "--trials", "2000", "-q"])
        .args(args)
        .output()
        .expect("run")
}

fn code(out: &std::process::Output) -> i32 {
    out.status.code().expect("exit code, not a signal")
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn samples_never_replace_the_scenario_or_a_file_eta_did_not_write() {
    let dir = workspace();
    let d = dir.path();
    let scenario = fs::read(d.join("s.toml")).unwrap();
    let out = run(d, &["--no-charts", "--samples", "s.toml"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is the scenario file"),
        "{}",
        stderr(&out)
    );
    // Not even with --force, nor through a symbolic link or a hard link.
    std::os::unix::fs::symlink("s.toml", d.join("link.csv")).unwrap();
    fs::hard_link(d.join("s.toml"), d.join("hard.csv")).unwrap();
    for target in ["s.toml", "link.csv", "hard.csv", "./s.toml"] {
        let out = run(d, &["--no-charts", "--force", "--samples", target]);
        assert_eq!(code(&out), 2, "{target}: {}", stderr(&out));
    }
    assert_eq!(fs::read(d.join("s.toml")).unwrap(), scenario);

    // A foreign file needs --force; an earlier samples file is replaced.
    fs::write(d.join("notes.csv"), "my notes\n").unwrap();
    let out = run(d, &["--no-charts", "--samples", "notes.csv"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(
        fs::read_to_string(d.join("notes.csv")).unwrap(),
        "my notes\n"
    );
    let out = run(d, &["--no-charts", "--samples", "trials.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = run(
        d,
        &["--no-charts", "--samples", "trials.csv", "--seed", "9"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = run(d, &["--no-charts", "--force", "--samples", "notes.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        fs::read_to_string(d.join("notes.csv"))
            .unwrap()
            .starts_with("trial,route,")
    );
    assert!(leftovers(&tree(d)).is_empty());
}

/// `d/null`: a null device of the test's own where it may make one (as root, where a binary
/// with the bug would replace the real /dev/null with a regular file: the bug itself), else a
/// symbolic link to /dev/null (which no one else can replace). Returns the device's path.
fn null_device(d: &Path) -> PathBuf {
    let private = d.join("null");
    let made = std::process::Command::new("mknod")
        .arg(&private)
        .args(["c", "1", "3"])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if made {
        return private;
    }
    std::os::unix::fs::symlink("/dev/null", &private).unwrap();
    PathBuf::from("/dev/null")
}

#[test]
fn samples_write_through_devices_and_fifos_and_refuse_folders() {
    use std::os::unix::fs::FileTypeExt;
    let dir = workspace();
    let d = dir.path();
    let null = null_device(d);
    let out = run(d, &["--no-charts", "--samples", "null"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(fs::metadata(&null).unwrap().file_type().is_char_device());
    assert!(
        fs::metadata(d.join("null"))
            .unwrap()
            .file_type()
            .is_char_device()
    );

    let fifo = d.join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = std::thread::spawn({
        let fifo = fifo.clone();
        move || fs::read_to_string(fifo).unwrap()
    });
    let out = run(d, &["--no-charts", "--samples", "pipe"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = reader.join().unwrap();
    assert_eq!(text.lines().count(), 2001);
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());

    for target in [".", "output", "missing/x.csv"] {
        fs::create_dir_all(d.join("output")).unwrap();
        let out = run(d, &["--no-charts", "--samples", target]);
        assert_eq!(code(&out), 2, "{target}: {}", stderr(&out));
    }
    let after = tree(d);
    assert!(leftovers(&after).is_empty(), "{after:?}");
}

#[test]
fn samples_onto_the_runs_own_outputs_are_refused_before_the_run() {
    let dir = workspace();
    let d = dir.path();
    for target in ["o/summary.json", "o/drivers.png", "o/../o/summary.json"] {
        let out = run(d, &["--out", "o", "--samples", target]);
        assert_eq!(code(&out), 2, "{target}: {}", stderr(&out));
        assert!(stderr(&out).contains("own outputs"), "{}", stderr(&out));
        assert!(!d.join("o").exists(), "a refused run leaves no folder");
    }
    // A samples file inside the output folder under another name joins the set.
    let out = run(
        d,
        &["--out", "o", "--no-charts", "--samples", "o/trials.csv"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let names: Vec<_> = tree(&d.join("o")).into_keys().collect();
    assert_eq!(
        names,
        [
            PathBuf::from("report.html"),
            "summary.json".into(),
            "trials.csv".into()
        ]
    );
}

#[test]
fn bad_out_is_refused_before_sampling() {
    let dir = workspace();
    let d = dir.path();
    fs::write(d.join("file"), "x").unwrap();
    for out_dir in ["file", "s.toml", "file/sub"] {
        let started = Instant::now();
        let out = eta()
            .current_dir(d)
            .args([
                "run",
                "s.toml",
                "--trials",
                "100000000",
                "-q",
                "--out",
                out_dir,
            ])
            .args(["--samples", "t.csv"])
            .output()
            .unwrap();
        assert_eq!(code(&out), 1, "{out_dir}: {}", stderr(&out));
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{out_dir}: ran first"
        );
    }
    assert_eq!(fs::read_to_string(d.join("file")).unwrap(), "x");
    assert!(!d.join("t.csv").exists());
}

#[test]
fn the_default_output_folder_is_always_inside_output() {
    let dir = workspace();
    let d = dir.path();
    for name in ["...toml", "..toml"] {
        fs::copy(d.join("s.toml"), d.join(name)).unwrap();
        let out = eta()
            .current_dir(d)
            .args(["run", name, "--trials", "2000", "-q", "--no-charts"])
            .output()
            .unwrap();
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    }
    assert!(d.join("output/scenario/summary.json").exists());
    assert!(!d.join("summary.json").exists());
    assert!(!d.join("output/summary.json").exists());
}

#[test]
fn a_run_replaces_the_whole_set_and_keeps_foreign_files() {
    let dir = workspace();
    let d = dir.path();
    let out = run(d, &["--out", "o"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(d.join("o/drivers.png").exists());
    fs::write(d.join("o/notes.txt"), "mine").unwrap();
    fs::write(d.join("o/sweep.png"), "not a chart of eta's").unwrap();
    // SVG charts replace the PNG ones; --no-charts leaves none; foreign files stay.
    let out = run(d, &["--out", "o", "--format", "svg"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(d.join("o/drivers.svg").exists() && !d.join("o/drivers.png").exists());
    let out = run(d, &["--out", "o", "--no-charts"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let names: Vec<_> = tree(&d.join("o")).into_keys().collect();
    assert_eq!(
        names,
        [
            PathBuf::from("notes.txt"),
            "report.html".into(),
            "summary.json".into(),
            "sweep.png".into()
        ]
    );
    // A foreign file at a name the run writes is refused before the run, unless forced.
    fs::write(d.join("o/summary.json"), "{}").unwrap();
    let out = run(d, &["--out", "o", "--no-charts"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not written by eta"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(d.join("o/summary.json")).unwrap(), "{}");
    let out = run(d, &["--out", "o", "--no-charts", "--force"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(fs::read_to_string(d.join("o/notes.txt")).unwrap(), "mine");
}

/// Starts a long run with `--samples` into `o`, waits until it is sampling, and sends `signal`.
fn interrupted(d: &Path, signal: &str, extra: &[&str]) -> (std::process::ExitStatus, String) {
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("eta"))
        .current_dir(d)
        .args(["run", "s.toml", "--trials", "100000000", "-q", "--out", "o"])
        .args(["--samples", "t.csv"])
        .args(extra)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Until the temporary samples file grows (the run is sampling).
    let started = Instant::now();
    while !fs::read_dir(d).unwrap().flatten().any(|e| {
        e.file_name().to_string_lossy().ends_with(".tmp")
            && e.metadata().is_ok_and(|m| m.len() > 100_000)
    }) {
        assert!(started.elapsed() < Duration::from_secs(60), "never sampled");
        std::thread::sleep(Duration::from_millis(20));
    }
    let kill = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    (
        out.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn an_interrupted_run_leaves_nothing_behind() {
    let dir = workspace();
    let d = dir.path();
    let out = run(d, &["--out", "o", "--samples", "t.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let before = tree(d);
    for signal in ["-INT", "-TERM"] {
        let (status, err) = interrupted(d, signal, &[]);
        assert_eq!(status.code(), Some(130), "{signal}: {err}");
        assert!(err.contains("interrupted"), "{err}");
        assert_eq!(
            tree(d),
            before,
            "{signal}: the earlier outputs stay as they were"
        );
    }
}

#[test]
fn a_run_interrupted_at_any_moment_leaves_the_old_set_or_the_new_one() {
    // SIGINT at moments spread over a whole run (start-up, sampling, summary, charts, moving
    // in): the folder then holds the earlier set unchanged (exit 130, or killed by the signal
    // before the handler is installed) or the whole new one (exit 0).
    let dir = workspace();
    let d = dir.path();
    let out = run(d, &["--out", "o", "--samples", "o/t.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let before = tree(d);
    let args = [
        "--trials",
        "100000",
        "--seed",
        "4",
        "--out",
        "o",
        "--samples",
        "o/t.csv",
    ];
    let started = Instant::now();
    let whole = eta()
        .current_dir(d)
        .args(["run", "s.toml", "-q"])
        .args(args)
        .output()
        .unwrap();
    let full = started.elapsed();
    assert_eq!(code(&whole), 0, "{}", stderr(&whole));
    let after = tree(d);
    let out = run(d, &["--out", "o", "--samples", "o/t.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    for step in 0..7 {
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("eta"))
            .current_dir(d)
            .args(["run", "s.toml", "-q"])
            .args(args)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(full * step / 6);
        let _ = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
        let out = child.wait_with_output().unwrap();
        let now = tree(d);
        match out.status.code() {
            Some(0) => assert_eq!(now, after, "step {step}"),
            Some(130) => assert_eq!(now, before, "step {step}"),
            // Killed before the handler was installed: nothing had begun.
            None => assert_eq!(now, before, "step {step}"),
            other => panic!("step {step}: {other:?} {}", stderr(&out)),
        }
        // Back to the earlier set for the next step.
        let out = run(d, &["--out", "o", "--samples", "o/t.csv"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        assert_eq!(tree(d), before);
    }
}

#[test]
fn a_second_run_into_a_busy_folder_is_refused() {
    let dir = workspace();
    let d = dir.path();
    let mut first = std::process::Command::new(assert_cmd::cargo::cargo_bin!("eta"))
        .current_dir(d)
        .args(["run", "s.toml", "--trials", "100000000", "-q", "--out", "o"])
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !fs::read_dir(d.join("o")).is_ok_and(|mut r| {
        r.any(|e| e.is_ok_and(|e| e.file_name().to_string_lossy().contains("staging")))
    }) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "first run never began"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = run(d, &["--out", "o", "--no-charts"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("another eta command"),
        "{}",
        stderr(&out)
    );
    std::process::Command::new("kill")
        .args(["-INT", &first.id().to_string()])
        .status()
        .unwrap();
    assert_eq!(first.wait().unwrap().code(), Some(130));
    assert!(
        !d.join("o").exists(),
        "the interrupted first run removes the folder it made"
    );
}

/// `eta run s.toml -q --out o EXTRA` in `d` under the shell's `limits` (e.g. `ulimit -f 100`).
fn limited(d: &Path, limits: &str, extra: &str) -> std::process::Output {
    let bin = assert_cmd::cargo::cargo_bin!("eta");
    let script = format!(
        "{limits}; exec '{}' run s.toml -q --out o {extra}",
        bin.display()
    );
    std::process::Command::new("sh")
        .arg("-c")
        .arg(&script)
        .current_dir(d)
        .output()
        .unwrap()
}

#[test]
fn a_write_that_fails_leaves_everything_as_it_was() {
    // "File too large" (RLIMIT_FSIZE with SIGXFSZ ignored) at any of the run's writes: the
    // samples, a chart, or both; exit 1, nothing changed (not even summary.json, which is small
    // enough to be written), nothing temporary left.
    let dir = workspace();
    let d = dir.path();
    let out = run(d, &["--out", "o", "--samples", "t.csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let before = tree(d);
    for extra in [
        "--samples t.csv --no-charts",
        "",
        "--samples o/t2.csv",
        "--samples t.csv",
    ] {
        let out = limited(
            d,
            "trap '' XFSZ; ulimit -f 100",
            &format!("--trials 2000 --seed 9 {extra}"),
        );
        assert_eq!(code(&out), 1, "{extra}: {}", stderr(&out));
        assert!(stderr(&out).contains("cannot write"), "{}", stderr(&out));
        assert_eq!(tree(d), before, "{extra}");
    }
}

#[test]
fn short_memory_never_leaves_a_mixed_set() {
    // Under a small address space a run finishes, fails with a message (exit 1: a chart's
    // buffer is allocated fallibly), or, when some small allocation elsewhere fails, aborts
    // (Rust's allocator gives no other choice). In every case the folder holds the whole new
    // set or the earlier one, and the next run cleans any staging folder an abort left.
    let dir = workspace();
    let d = dir.path();
    let out = run(d, &["--out", "o", "--seed", "3"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let earlier = tree(&d.join("o"));
    for limit in [60_000, 80_000, 100_000, 120_000, 150_000] {
        let out = limited(
            d,
            &format!("ulimit -v {limit}"),
            "--trials 20000 --threads 2",
        );
        let visible: BTreeMap<_, _> = tree(&d.join("o"))
            .into_iter()
            .filter(|(p, _)| !p.to_string_lossy().contains("eta-staging"))
            .collect();
        match out.status.code() {
            Some(0) => assert_eq!(visible.len(), 7, "{limit}: {visible:?}"),
            _ => assert_eq!(visible, earlier, "{limit}: {}", stderr(&out)),
        }
        assert!(
            !stderr(&out).contains("panicked"),
            "{limit}: {}",
            stderr(&out)
        );
        let out = run(d, &["--out", "o", "--seed", "3"]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        assert!(leftovers(&tree(d)).is_empty(), "{limit}");
        assert_eq!(tree(&d.join("o")), earlier);
    }
}

/// A fake of an earlier eta run's chart: a PNG header saying 1600 × 1000.
fn eta_png() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend(1600u32.to_be_bytes());
    png.extend(1000u32.to_be_bytes());
    png.extend([8, 2, 0, 0, 0]);
    png
}

/// The workspace of a property case: the scenario, a foreign file, an earlier samples file, an
/// earlier run's folder `o` (with a foreign file), a folder `f` whose summary.json is foreign,
/// and symbolic links to the scenario, the foreign file, `o` and nothing.
fn property_workspace() -> tempfile::TempDir {
    let dir = workspace();
    let d = dir.path();
    fs::write(d.join("foreign.txt"), "mine").unwrap();
    fs::write(d.join("prev.csv"), "trial,route,x\n0,a,1\n").unwrap();
    fs::create_dir_all(d.join("o")).unwrap();
    fs::write(d.join("o/summary.json"), "{\n  \"eta_version\": \"0\"\n}\n").unwrap();
    fs::write(d.join("o/drivers.png"), eta_png()).unwrap();
    fs::write(d.join("o/notes.txt"), "mine").unwrap();
    fs::create_dir_all(d.join("f")).unwrap();
    fs::write(d.join("f/summary.json"), "{}").unwrap();
    null_device(d);
    for (link, target) in [
        ("lnk-scen", "s.toml"),
        ("lnk-foreign", "foreign.txt"),
        ("lnk-out", "o"),
        ("dangling", "nowhere"),
    ] {
        std::os::unix::fs::symlink(target, d.join(link)).unwrap();
    }
    dir
}

/// Where a path of the property workspace really leads (its links followed, `o/` as `o`).
fn resolved(path: &str) -> PathBuf {
    let path = path.trim_end_matches('/');
    let path = path.replacen("lnk-out", "o", 1);
    PathBuf::from(match path.as_str() {
        "lnk-scen" => "s.toml",
        "lnk-foreign" => "foreign.txt",
        p => p,
    })
}

const OUTS: [&str; 9] = [
    "o",
    "o/",
    "lnk-out",
    "new/sub",
    "f",
    "s.toml",
    "foreign.txt",
    "dangling",
    "fresh",
];
const SAMPLES: [&str; 17] = [
    "",
    "new.csv",
    "prev.csv",
    "s.toml",
    "foreign.txt",
    "o/summary.json",
    "o/x.csv",
    "o/notes.txt",
    "lnk-out/summary.json",
    "missing/x.csv",
    "lnk-scen",
    "lnk-foreign",
    "dangling",
    "null",
    ".",
    "o",
    "f/summary.json",
];
const SETS: [&str; 3] = ["", "drive.mode=50min", "nope=1"];
const CHARTS: [&str; 3] = ["--no-charts", "png", "svg"];

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    /// Whatever the paths: exit 0, 1 or 2 (no panic); the scenario and every file eta did not
    /// write unchanged (unless forced onto it); no temporary file left; a failed run changes
    /// nothing; a run that succeeds leaves its output folder holding exactly its set of eta's
    /// files beside the foreign ones.
    #[test]
    fn outputs_are_all_or_nothing_and_foreign_files_survive(
        out_dir in prop::sample::select(OUTS.to_vec()),
        samples in prop::sample::select(SAMPLES.to_vec()),
        set in prop::sample::select(SETS.to_vec()),
        charts in prop::sample::select(CHARTS.to_vec()),
        force in any::<bool>(),
    ) {
        let dir = property_workspace();
        let d = dir.path();
        let mut args = vec!["--out", out_dir];
        if !samples.is_empty() { args.extend(["--samples", samples]); }
        if !set.is_empty() { args.extend(["--set", set]); }
        match charts { "--no-charts" => args.push("--no-charts"), f => args.extend(["--format", f]) }
        if force { args.push("--force"); }
        let before = tree(d);
        let out = run(d, &args);
        let after = tree(d);
        let err = stderr(&out);
        let status = out.status.code();
        prop_assert!(matches!(status, Some(0..=2)), "{args:?}: {status:?} {err}");
        prop_assert!(!err.contains("panicked"), "{args:?}: {err}");
        prop_assert!(leftovers(&after).is_empty(), "{args:?}: {after:?}");
        prop_assert_eq!(&before[Path::new("s.toml")], &after[Path::new("s.toml")]);
        if status != Some(0) {
            prop_assert_eq!(&before, &after, "{:?}: a failed run changed files: {}", args, err);
            return Ok(());
        }
        let out_path = resolved(out_dir);
        let samples_path = (!samples.is_empty()).then(|| resolved(samples));
        // Every change is one of eta's own files in the output folder, or the samples file.
        let paths: std::collections::BTreeSet<&PathBuf> = before.keys().chain(after.keys()).collect();
        for p in paths {
            if before.get(p) == after.get(p) { continue; }
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let own = p.parent() == Some(out_path.as_path()) && eta::output::is_own_name(&name);
            let made = out_path.starts_with(p);
            let sampled = samples_path.as_deref() == Some(p.as_path());
            prop_assert!(own || made || sampled, "{:?}: {} changed", args, p.display());
            if sampled && !own && !force {
                prop_assert!(!before.contains_key(p) || p == Path::new("prev.csv"),
                    "{:?}: replaced {} without --force", args, p.display());
            }
        }
        // The folder holds this run's set and nothing else of eta's.
        let listed: Vec<String> = fs::read_dir(d.join(&out_path)).unwrap().flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| eta::output::is_own_name(n) && eta::output::written_by_eta(&d.join(&out_path).join(n)))
            .collect();
        let want = if charts == "--no-charts" { 2 } else { 7 };
        prop_assert_eq!(listed.len(), want, "{:?}: {:?}", args, listed);
        prop_assert!(listed.iter().all(|n| n == "summary.json" || n == "report.html" || n.ends_with(charts)), "{:?}: {:?}", args, listed);
    }
}

/// `eta compare` and `eta sweep` write their outputs as one set too: a foreign file at one of
/// their names is refused before the run, charts in another format replace the old ones, and
/// foreign files stay.
#[test]
fn compare_and_sweep_outputs_are_sets_too() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let flagship = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/kim-eef-2023.toml");
    let what_if = |command: &str, out: &str, extra: &[&str]| {
        let mut c = eta();
        c.current_dir(d).arg(command).arg(&flagship);
        if command == "sweep" {
            c.args(["--param", "dprk_speed.mode", "--values", "45,55"]);
        } else {
            c.args(["--variants", "leaves_on_11th"]);
        }
        c.args(["--trials", "2000", "--quiet", "--out", out])
            .args(extra)
            .output()
            .unwrap()
    };
    for (command, json, charts) in [
        (
            "compare",
            "compare.json",
            &["compare-cdf", "compare-deltas"][..],
        ),
        ("sweep", "sweep.json", &["sweep"][..]),
    ] {
        fs::create_dir_all(d.join(command)).unwrap();
        fs::write(d.join(command).join(json), "mine").unwrap();
        fs::write(d.join(command).join("notes.txt"), "mine").unwrap();
        let out = what_if(command, command, &[]);
        assert_eq!(code(&out), 1, "{command}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("not written by eta"),
            "{}",
            stderr(&out)
        );
        assert_eq!(
            fs::read_to_string(d.join(command).join(json)).unwrap(),
            "mine"
        );
        fs::remove_file(d.join(command).join(json)).unwrap();
        let out = what_if(command, command, &[]);
        assert_eq!(code(&out), 0, "{command}: {}", stderr(&out));
        let out = what_if(command, command, &["--format", "svg"]);
        assert_eq!(code(&out), 0, "{command}: {}", stderr(&out));
        let mut expected: Vec<String> = charts.iter().map(|c| format!("{c}.svg")).collect();
        expected.extend([
            json.to_owned(),
            "notes.txt".to_owned(),
            "report.html".to_owned(),
        ]);
        expected.sort();
        let names: Vec<String> = tree(&d.join(command))
            .into_keys()
            .map(|p| p.display().to_string())
            .collect();
        assert_eq!(names, expected, "{command}");
    }
}
