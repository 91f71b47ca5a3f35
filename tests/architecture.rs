//! The shape of the code, checked: data flows one way through the library's modules (each
//! imports only modules below it in the pipeline, never one above or beside it), and every
//! module file says what it owns.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every top-level library module with its layer: a module may use only modules of a lower
/// layer. Foundations first; then the pipeline, scenario text -> model -> trials -> results ->
/// reports and charts (README, "How eta works").
const LAYERS: &[(&str, u32)] = &[
    ("diag", 0),
    ("numeric", 0),
    ("random", 0),
    ("time", 0),
    ("output", 0),
    ("quantity", 1),
    ("format", 2),
    ("dataset", 2),
    ("scenario", 2),
    ("distribution", 3),
    ("stats", 3),
    ("model", 4),
    ("load", 5),
    ("engine", 5),
    ("analysis", 6),
    ("report", 7),
    ("chart", 7),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The library's source files by top-level module (the command line, in `src/cli/`, is the
/// binary's and may use everything).
fn modules() -> BTreeMap<String, Vec<PathBuf>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut by_module: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        let top = relative
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let top = top.trim_end_matches(".rs").to_owned();
        if ["cli", "main", "lib"].contains(&top.as_str()) {
            continue;
        }
        by_module.entry(top).or_default().push(file);
    }
    by_module
}

/// Test code may reach anywhere to build its cases: only the code before `#[cfg(test)]`, in files
/// that are not test files, counts.
fn non_test_code(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_string_lossy();
    let in_tests_dir = path.components().any(|c| c.as_os_str() == "tests");
    if name == "tests.rs" || in_tests_dir {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    Some(text.split("#[cfg(test)]").next().unwrap_or("").to_owned())
}

/// The top-level modules a piece of code names through `crate::`.
fn used_modules(code: &str) -> Vec<String> {
    let mut used = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        let rest = rest.trim_start_matches('{');
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            used.push(name);
        }
        // `use crate::{a::x, b::y}` names several.
        if code[i + "crate::".len()..].starts_with('{') {
            let group = rest.split('}').next().unwrap_or("");
            for part in group.split(',') {
                let first: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !first.is_empty() {
                    used.push(first);
                }
            }
        }
    }
    used
}

#[test]
fn every_module_is_placed_in_a_layer() {
    let layers: BTreeMap<&str, u32> = LAYERS.iter().copied().collect();
    for module in modules().keys() {
        assert!(
            layers.contains_key(module.as_str()),
            "src/{module}: add it to LAYERS in tests/architecture.rs (and to README's module map)"
        );
    }
}

#[test]
fn data_flows_one_way() {
    let layers: BTreeMap<&str, u32> = LAYERS.iter().copied().collect();
    let mut upward = Vec::new();
    for (module, files) in modules() {
        let Some(&own) = layers.get(module.as_str()) else {
            continue;
        };
        for file in files {
            let Some(code) = non_test_code(&file) else {
                continue;
            };
            for used in used_modules(&code) {
                if used == module {
                    continue;
                }
                match layers.get(used.as_str()) {
                    Some(&layer) if layer < own => {}
                    Some(&layer) => upward.push(format!(
                        "{} (layer {own}) uses crate::{used} (layer {layer})",
                        file.display()
                    )),
                    None => {}
                }
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports against the flow:\n{}",
        upward.join("\n")
    );
}

#[test]
fn every_source_file_says_what_it_owns_and_stays_small() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut problems = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        if !text.trim_start().starts_with("//!") {
            problems.push(format!(
                "{}: no //! line saying what it owns",
                file.display()
            ));
        }
        if let Some(code) = non_test_code(&file) {
            let lines = code.lines().count();
            if lines > 800 {
                problems.push(format!(
                    "{}: {lines} lines of code (split it by job)",
                    file.display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
