//! Journeys on clocks: windows, checked against closed-form answers (within 4 standard errors)
//! and against instants worked out by hand across midnight, weekends and daylight-saving changes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

mod common;

use common::{assert_within, instant, run};

const N: u64 = 400_000;

/// A dwell uniform over a whole day, then a step that may only start between 22:00 and 06:00
/// the next morning: ready at t (hours after midnight), it starts at t before 06:00 or from 22:00,
/// else at 22:00. So P(started by 21:59) = 6/24, P(by 22:00) = 22/24, and the mean start is
/// (18 + 16 * 22 + 46) / 24 = 416/24 h with E[X^2] = (72 + 16 * 484 + 3176/3) / 24 h^2.
#[test]
fn a_window_across_midnight_holds_the_day_and_keeps_the_night() {
    let text = r#"
[scenario]
name = "night window"
zone = "Asia/Tokyo"
[milestones.a]
start = { date = "2023-09-11", time = "00:00" }
[milestones.b]
[milestones.c]
[[steps]]
from = "a"
to = "b"
kind = "dwell"
duration = { dist = "uniform", min = "0 h", max = "24 h" }
[[steps]]
from = "b"
to = "c"
kind = "dwell"
duration = "0 min"
window = "22:00-06:00+1"
[deadlines.before_ten]
milestone = "c"
at = "2023-09-11T21:59"
[deadlines.at_ten]
milestone = "c"
at = "2023-09-11T22:00"
"#;
    let (model, tally, s) = run(text, N, 3);
    let n = N as f64;
    for (d, truth) in [(0, 6.0 / 24.0), (1, 22.0 / 24.0)] {
        let p = s.deadlines[d].probability;
        println!("window 22:00-06:00+1: P(deadline {d}) = {p:.5} (closed form {truth:.5})");
        assert_within(
            p,
            truth,
            (truth * (1.0 - truth) / n).sqrt(),
            0.0,
            "deadline",
        );
    }
    let midnight = instant("2023-09-10T15:00:00Z");
    let mean: f64 = 416.0 / 24.0;
    let second = (72.0 + 16.0 * 484.0 + 3176.0 / 3.0) / 24.0;
    let sd = (second - mean * mean).sqrt() * 3600.0;
    let c = common::times(&model, &tally, "c");
    println!(
        "window 22:00-06:00+1: mean start {:.4} h after midnight (closed form {mean:.4} h)",
        (c.mean - midnight) / 3600.0
    );
    assert_within(
        c.mean,
        midnight + mean * 3600.0,
        sd / n.sqrt(),
        0.001,
        "mean",
    );
}

/// The whole-instant checks, by hand.
fn reached(text: &str, id: &str) -> String {
    let (_, _, s) = run(text, 64, 1);
    let m = s.milestones.iter().find(|m| m.id == id).expect("milestone");
    m.quantiles.p50.clone()
}

fn one_step(zone: &str, date: &str, time: &str, window: &str) -> String {
    format!(
        r#"
[scenario]
name = "window"
zone = "{zone}"
[milestones.a]
start = {{ date = "{date}", time = "{time}" }}
[milestones.b]
[[steps]]
from = "a"
to = "b"
kind = "dwell"
duration = "1 h"
window = {window}
"#
    )
}

#[test]
fn weekday_windows_wait_over_the_weekend() {
    // Ready Friday 17:00 on Mon-Fri 08:00-16:00: starts Monday 08:00, done 09:00.
    let text = one_step(
        "Europe/Berlin",
        "2023-09-15",
        "17:00",
        "\"Mon-Fri 08:00-16:00\"",
    );
    assert_eq!(reached(&text, "b"), "2023-09-18T09:00:00+02:00");
    // Ready exactly at closing (16:00) is outside: Monday too.
    let text = one_step(
        "Europe/Berlin",
        "2023-09-15",
        "16:00",
        "\"Mon-Fri 08:00-16:00\"",
    );
    assert_eq!(reached(&text, "b"), "2023-09-18T09:00:00+02:00");
    // Ready exactly at opening starts at once.
    let text = one_step(
        "Europe/Berlin",
        "2023-09-15",
        "08:00",
        "\"Mon-Fri 08:00-16:00\"",
    );
    assert_eq!(reached(&text, "b"), "2023-09-15T09:00:00+02:00");
}

#[test]
fn the_hours_after_midnight_belong_to_the_day_the_window_opens() {
    // "Fri 22:00-02:00+1" is open Saturday 01:00 (Friday's window)...
    let text = one_step("Asia/Tokyo", "2023-09-16", "01:00", "\"Fri 22:00-02:00+1\"");
    assert_eq!(reached(&text, "b"), "2023-09-16T02:00:00+09:00");
    // ...but not Sunday 01:00: the next opening is Friday 22:00.
    let text = one_step("Asia/Tokyo", "2023-09-17", "01:00", "\"Fri 22:00-02:00+1\"");
    assert_eq!(reached(&text, "b"), "2023-09-22T23:00:00+09:00");
    // A list: the first window open or opening next.
    let list = "[\"06:00-09:00\", \"17:00-20:00\"]";
    let text = one_step("Asia/Tokyo", "2023-09-16", "10:00", list);
    assert_eq!(reached(&text, "b"), "2023-09-16T18:00:00+09:00");
}

#[test]
fn windows_follow_the_clocks_across_daylight_saving_changes() {
    // Berlin springs forward 02:00 -> 03:00 on 26 March 2023: a window opening at 02:30 opens
    // at 03:30 (a time in the gap moves forward, like every local time in eta).
    let text = one_step("Europe/Berlin", "2023-03-26", "00:30", "\"02:30-05:00\"");
    assert_eq!(reached(&text, "b"), "2023-03-26T04:30:00+02:00");
    // It falls back 03:00 -> 02:00 on 29 October: 06:00 local is 05:00Z, seven hours (not six)
    // after local midnight; a window opening at 06:00 opens then.
    let text = one_step("Europe/Berlin", "2023-10-29", "00:00", "\"06:00-07:00\"");
    assert_eq!(reached(&text, "b"), "2023-10-29T07:00:00+01:00");
}

/// `not_before` holds the start first, then the window: a step ready at 23:00 with
/// `not_before = "06:00"` (no wait, it is after 06:00 that day) and window 06:00-20:00 waits for
/// the next morning.
#[test]
fn not_before_then_window() {
    let text = one_step("Asia/Vladivostok", "2023-09-11", "23:00", "\"06:00-20:00\"")
        .replace("window =", "not_before = \"06:00\"\nwindow =");
    assert_eq!(reached(&text, "b"), "2023-09-12T07:00:00+10:00");
}
