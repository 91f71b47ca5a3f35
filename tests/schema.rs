//! `eta schema`: the JSON Schema generated from the format's own definitions accepts every
//! shipped scenario (converted from TOML to JSON) and a file using every construct added since it
//! was first written, and rejects a typo'd key anywhere, a key the family does not take, an
//! unknown family, and a value of a shape its key never takes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

mod common;

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::PathBuf;

fn schema() -> Value {
    let out = Command::cargo_bin("eta")
        .unwrap()
        .arg("schema")
        .output()
        .unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

fn as_json(toml_text: &str) -> Value {
    let value: toml::Value = toml::from_str(toml_text).unwrap();
    serde_json::to_value(value).unwrap()
}

fn scenarios() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_shipped_scenario_is_valid_and_typos_are_not() {
    let schema = schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let files = scenarios();
    assert_eq!(files.len(), 7, "the shipped scenarios: {files:?}");
    for file in &files {
        let doc = as_json(&fs::read_to_string(file).unwrap());
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", file.display());
    }

    let flagship = fs::read_to_string(
        files
            .iter()
            .find(|f| f.ends_with("kim-eef-2023.toml"))
            .unwrap(),
    )
    .unwrap();
    let broken = [
        // A typo'd key in [scenario].
        flagship.replacen("seed = 20230907", "seeed = 20230907", 1),
        // A typo'd distribution key.
        flagship.replacen("mode = 50, max = 65", "mdoe = 50, max = 65", 1),
        // A key another family takes, not pert.
        flagship.replacen("mode = 50, max = 65", "mode = 50, max = 65, sd = 3", 1),
        // A family that does not exist.
        flagship.replacen("dist = \"pert\", min = 35", "dist = \"perty\", min = 35", 1),
        // A typo'd key in a step.
        flagship.replacen("kind = \"travel\"", "knd = \"travel\"", 1),
    ];
    for text in broken {
        assert_ne!(text, flagship, "the edit applies");
        assert!(!validator.is_valid(&as_json(&text)));
    }
}

/// Every construct added after the schema was first written, in one file (snippets from the
/// tests of forks, clocks, conditional inputs and scoring): `[observed]`, `[calendars]`, a
/// step's `window` (one or a list), `timetable` (with `late`), `calendar` and `branch`, forks
/// with every kind of `when` and a conditional probability, conditional inputs with cases and a
/// default, a route probability naming an input, and `require = { route, branch }`.
const NEW_CONSTRUCTS: &str = r#"
[scenario]
name = "every new construct"
zone = "Europe/Berlin"
[inputs]
regime = { dist = "choice", values = [1, 2], weights = [0.3, 0.7] }
wait = { dist = "conditional", on = "regime", unit = "min", cases = [
    { when = 1, dist = "normal", mean = 60, sd = 10, lower = 0 },
    { when = 2, dist = "normal", mean = 80, sd = 20, lower = 0 },
] }
speed = { dist = "conditional", on = "route", cases = [
    { when = "fast", dist = "fixed", value = "100 km/h" },
], default = { dist = "uniform", min = "20 km/h", max = "30 km/h" } }
rare_p = { dist = "beta", alpha = 2, beta = 8 }
strike_called = { dist = "bernoulli", p = 0.4 }
[routes]
fast = { probability = "rare_p" }
slow = { probability = 0.5 }
[calendars.customs]
hours = "Mon-Fri 08:00-16:00"
holidays = ["2024-12-25"]
[calendars.port]
hours = ["Mon-Fri 06:00-22:00", "Sat 08:00-12:00"]
zone = "Asia/Shanghai"
[milestones.home]
start = { date = "2024-03-05", time = "08:00" }
[milestones.gate]
[milestones.dest]
[[steps]]
from = "home"
to = "gate"
kind = "dwell"
duration = "wait"
window = "22:00-06:00+1"
[[steps]]
from = "gate"
to = "dest"
kind = "dwell"
duration = "8 h"
calendar = "customs"
branch = "gate_closed.late"
window = ["06:00-12:00", "14:00-20:00"]
[[steps]]
from = "gate"
to = "dest"
kind = "travel"
distance = "30 km"
speed = "speed"
branch = "gate_closed.on_time"
timetable = { every = "30 min", first = "00:00", last = "23:30", cancelled = 0.3, late = { dist = "uniform", min = "0 min", max = "10 min" } }
[forks.gate_closed]
at = "gate"
branches = [{ name = "late", when = { reached_after = "09:30" } }, { name = "on_time" }]
[forks.slow]
at = "gate"
branches = [{ name = "yes", when = { later_than = "home", by = "90 min" } }, { name = "no" }]
[forks.surprise]
at = "gate"
branches = [
    { name = "taken", probability = { when = { reached_after = "09:30" }, then = 0.9, else = 0.1 } },
    { name = "not_taken" },
]
[forks.strike]
at = "gate"
branches = [{ name = "yes", when = { happened = "strike_called" }, probability = 0.5 }, { name = "no" }]
[deadlines.connected]
milestone = "dest"
at = "2024-03-06T12:00"
require = { route = "fast", branch = "gate_closed.on_time" }
[observed]
route = "fast"
milestones.home = { at = "2024-03-05T08:00" }
milestones.dest = { at = "2024-03-05T19:00", zone = "Europe/Berlin" }
"#;

#[test]
fn every_new_construct_is_valid_and_typos_in_them_are_not() {
    let schema = schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    // The file is a real scenario: eta itself accepts it.
    common::compile(NEW_CONSTRUCTS);

    let doc = as_json(NEW_CONSTRUCTS);
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");

    let broken = [
        // [observed]: a typo'd key, and a milestone's time that is not a string.
        NEW_CONSTRUCTS.replacen(
            "route = \"fast\"\nmilestones",
            "rout = \"fast\"\nmilestones",
            1,
        ),
        NEW_CONSTRUCTS.replacen("at = \"2024-03-05T08:00\"", "at = 8", 1),
        // A calendar: a typo'd key, hours neither a string nor a list of strings.
        NEW_CONSTRUCTS.replacen("holidays = [", "holiday = [", 1),
        NEW_CONSTRUCTS.replacen("hours = \"Mon-Fri 08:00-16:00\"", "hours = 8", 1),
        // A step's window as a number; a typo'd timetable key and one in its `late` table.
        NEW_CONSTRUCTS.replacen("window = \"22:00-06:00+1\"", "window = 22", 1),
        NEW_CONSTRUCTS.replacen("cancelled = 0.3", "canceled = 0.3", 1),
        NEW_CONSTRUCTS.replacen("max = \"10 min\" }", "mxa = \"10 min\" }", 1),
        // Forks: a typo in a branch, in a `when`, and in a conditional probability.
        NEW_CONSTRUCTS.replacen("{ name = \"on_time\" }", "{ nme = \"on_time\" }", 1),
        NEW_CONSTRUCTS.replacen("later_than = \"home\"", "later = \"home\"", 1),
        NEW_CONSTRUCTS.replacen("then = 0.9, else = 0.1", "then = 0.9, otherwise = 0.1", 1),
        // A branch's probability is a number or a table, never a string.
        NEW_CONSTRUCTS.replacen(
            "probability = 0.5 }, { name = \"no\" }",
            "probability = \"half\" }, { name = \"no\" }",
            1,
        ),
        // Conditional inputs: a typo in a case and in the default; an unknown `dist`.
        NEW_CONSTRUCTS.replacen("mean = 60, sd = 10", "mean = 60, sdd = 10", 1),
        NEW_CONSTRUCTS.replacen("max = \"30 km/h\"", "maxx = \"30 km/h\"", 1),
        NEW_CONSTRUCTS.replacen(
            "dist = \"conditional\", on = \"route\"",
            "dist = \"conditionl\", on = \"route\"",
            1,
        ),
        // A conditional takes no family's parameters.
        NEW_CONSTRUCTS.replacen(
            "on = \"regime\", unit",
            "on = \"regime\", mean = 3, unit",
            1,
        ),
        // A deadline's `require` with a typo'd key.
        NEW_CONSTRUCTS.replacen("require = { route", "require = { rute", 1),
    ];
    for text in broken {
        assert_ne!(text, NEW_CONSTRUCTS, "the edit applies");
        assert!(!validator.is_valid(&as_json(&text)), "accepted:\n{text}");
    }
}
