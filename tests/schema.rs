//! `eta schema`: the JSON Schema generated from the format's own definitions accepts every
//! shipped scenario (converted from TOML to JSON) and rejects a typo'd key, a key the family does
//! not take, and an unknown family.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

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
    assert!(files.len() >= 5, "{files:?}");
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
