//! Time zones come from the database compiled into eta, never from the host: a `TZDIR` with a
//! forged zone file changes nothing, and the host's `localtime` is not a zone name.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use assert_cmd::Command;
use std::path::Path;

/// A valid TZif (version 1) file for a zone that is UTC all year: no transitions, one local time
/// type with offset 0, abbreviation "UTC".
fn forged_utc_zone() -> Vec<u8> {
    let mut bytes = b"TZif".to_vec();
    bytes.push(0); // version 1
    bytes.extend([0u8; 15]);
    // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
    for count in [0u32, 0, 0, 0, 1, 4] {
        bytes.extend(count.to_be_bytes());
    }
    bytes.extend(0i32.to_be_bytes()); // utoff
    bytes.extend([0u8, 0u8]); // isdst, abbreviation index
    bytes.extend(b"UTC\0");
    bytes
}

#[test]
fn a_forged_tzdir_does_not_move_the_deadline() {
    let tzdir = tempfile::tempdir().unwrap();
    for zone in ["Asia/Vladivostok", "Asia/Pyongyang", "Asia/Yakutsk"] {
        let path = tzdir.path().join(zone);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, forged_utc_zone()).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/kim-eef-2023.toml");
    Command::cargo_bin("eta")
        .unwrap()
        .env("TZDIR", tzdir.path())
        .env("TZ", "Asia/Vladivostok")
        .args(["run", "--quiet", "--no-charts", "--trials", "2000", "--out"])
        .arg(out.path())
        .arg(&scenario)
        .assert()
        .success();
    let summary = std::fs::read_to_string(out.path().join("summary.json")).unwrap();
    // The EEF plenary: 15:00 on 12 September 2023, Vladivostok, UTC+10 (not the forged UTC).
    assert!(
        summary.contains("\"at\": \"2023-09-12T15:00:00+10:00\""),
        "deadline moved by the host's zone files:\n{summary}"
    );
}
