//! The fuzz targets' pipeline without `cargo fuzz`: every file of the committed fuzz corpus (the
//! seeds, and every input the fuzzer found worth keeping as a regression) goes through it, then a
//! fixed-seed sweep of structure-aware mutations. A panic anywhere fails the test. The long sweep
//! is `#[ignore]`d: `cargo test --release --test fuzz_corpus -- --ignored`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

#[path = "../fuzz/src/lib.rs"]
mod fuzz;

use std::path::Path;

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).expect("read"))
        })
        .collect()
}

/// Runs `f` and names the input if it panics.
fn survive(what: &str, f: impl FnOnce() + std::panic::UnwindSafe) {
    if let Err(e) = std::panic::catch_unwind(f) {
        let message = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        panic!("{what} panicked: {message}");
    }
}

#[test]
fn the_fuzz_corpus_goes_through_the_pipeline() {
    let bytes = corpus("scenario_bytes");
    assert!(bytes.len() >= 100, "only {} seeds", bytes.len());
    for (name, data) in &bytes {
        survive(&format!("scenario_bytes/{name}"), || fuzz::bytes(data));
    }
    let mutate = corpus("scenario_mutate");
    assert!(mutate.len() >= 100, "only {} seeds", mutate.len());
    for (name, data) in &mutate {
        survive(&format!("scenario_mutate/{name}"), || {
            fuzz::structured(data)
        });
    }
}

/// Deterministic guidance bytes for mutation number `i` (SplitMix64).
fn guide(i: u64, len: usize) -> Vec<u8> {
    let mut x = i.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (0..len)
        .map(|_| {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            (z ^ (z >> 31)) as u8
        })
        .collect()
}

fn sweep(from: u64, count: u64) {
    for i in from..from + count {
        let data = guide(i, 48);
        survive(&format!("mutation {i} (guide {data:?})"), || {
            fuzz::structured(&data)
        });
    }
}

#[test]
fn a_fixed_sweep_of_mutations_never_panics() {
    sweep(0, 300);
}

#[test]
#[ignore = "long: run with --release --ignored"]
fn a_long_sweep_of_mutations_never_panics() {
    sweep(300, 200_000);
}
