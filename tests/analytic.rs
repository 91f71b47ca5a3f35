//! Scenarios whose answers are known in closed form, checked within 4 standard errors.
//! Percentiles carry one more allowance: they are read from 1-minute bins (RESOLUTION_SECONDS).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

mod common;
use common::{assert_within, instant, run};
use eta::stats::RESOLUTION_SECONDS;

const N: u64 = 200_000;
const RES: f64 = RESOLUTION_SECONDS as f64;

fn milestone<'a>(s: &'a eta::report::Summary, id: &str) -> &'a eta::report::MilestoneSummary {
    s.milestones.iter().find(|m| m.id == id).expect("milestone")
}

#[test]
fn fixed_distance_at_uniform_speed() {
    // T = start + 500 km / V, V ~ U(40, 60) km/h: T_p = start + 3600 * 500 / (60 - 20 p).
    let text = r#"
[scenario]
name = "uniform speed"
zone = "UTC"
[inputs]
speed = { dist = "uniform", min = 40, max = 60, unit = "km/h" }
[milestones.a]
start = { date = "2023-09-10", time = "08:00" }
[milestones.b]
[[steps]]
from = "a"
to = "b"
kind = "travel"
distance = "500 km"
speed = "speed"
[deadlines.ten_hours]
milestone = "b"
at = "2023-09-10T18:00"
"#;
    let (model, tally, s) = run(text, N, 11);
    let start = instant("2023-09-10T08:00:00Z");
    let b = common::times(&model, &tally, "b");
    for (i, p) in [(1, 0.10), (3, 0.50), (5, 0.90)] {
        let truth = start + 3600.0 * 500.0 / (60.0 - 20.0 * p);
        let density = 500.0 * 3600.0 / ((truth - start).powi(2) * 20.0);
        let se = (p * (1.0 - p) / N as f64).sqrt() / density;
        assert_within(b.quantiles[i], truth, se, RES, &format!("quantile {p}"));
    }
    // P(T <= start + 10 h) = P(V >= 50) = 1/2.
    let d = &s.deadlines[0];
    assert_within(
        d.probability,
        0.5,
        (0.25 / N as f64).sqrt(),
        0.0,
        "deadline",
    );
    // Mean: E[1/V] = ln(60/40)/20.
    let mean = start + 3600.0 * 500.0 * (1.5f64).ln() / 20.0;
    let e2 = 1.0 / (40.0 * 60.0); // E[1/V^2] for U(40,60)
    let sd = 3600.0 * 500.0 * (e2 - ((1.5f64).ln() / 20.0).powi(2)).sqrt();
    assert_within(b.mean, mean, sd / (N as f64).sqrt(), 0.001, "mean");
}

#[test]
fn sum_of_normal_durations() {
    let text = r#"
[scenario]
name = "normal sum"
zone = "UTC"
[inputs]
first = { dist = "normal", mean = 10, sd = 1, unit = "h", lower = 0 }
second = { dist = "normal", mean = "5 h", sd = "30 min", lower = "0 h" }
[milestones.a]
start = { date = "2023-01-01", time = "00:00" }
[milestones.b]
[milestones.c]
[[steps]]
from = "a"
to = "b"
kind = "dwell"
duration = "first"
[[steps]]
from = "b"
to = "c"
kind = "dwell"
duration = "second"
"#;
    let (model, tally, _) = run(text, N, 12);
    let start = instant("2023-01-01T00:00:00Z");
    let c = common::times(&model, &tally, "c");
    let sd = (1.0f64 + 0.25).sqrt() * 3600.0;
    assert_within(
        c.mean,
        start + 15.0 * 3600.0,
        sd / (N as f64).sqrt(),
        0.001,
        "mean",
    );
    // P90 of a normal: mean + 1.2815516 sd; SE = sqrt(p(1-p)/n) / density.
    let p: f64 = 0.9;
    let z = 1.281_551_565_545;
    let density = (-z * z / 2.0f64).exp() / (sd * (2.0 * std::f64::consts::PI).sqrt());
    let se = (p * (1.0 - p) / N as f64).sqrt() / density;
    assert_within(
        c.quantiles[5],
        start + 15.0 * 3600.0 + z * sd,
        se,
        RES,
        "p90",
    );
}

#[test]
fn route_chosen_with_probability_and_delay_events() {
    let text = r#"
[scenario]
name = "routes"
zone = "UTC"
[routes]
main = { probability = 0.7 }
detour = { probability = 0.3 }
[milestones.a]
start = { date = "2023-01-01", time = "00:00" }
[milestones.b]
[milestones.c]
[[steps]]
from = "a"
to = "b"
kind = "delay"
probability = 0.25
duration = "2 h"
[[steps]]
from = "b"
to = "c"
kind = "travel"
duration = "1 h"
route = "detour"
[deadlines.early]
milestone = "b"
at = "2023-01-01T01:00"
"#;
    let (_, _, s) = run(text, N, 13);
    let se = |p: f64| (p * (1.0 - p) / N as f64).sqrt();
    assert_within(milestone(&s, "c").reached, 0.3, se(0.3), 0.0, "route share");
    assert_within(
        s.deadlines[0].probability,
        0.75,
        se(0.75),
        0.0,
        "delay probability",
    );
    assert_eq!(milestone(&s, "b").reached, 1.0);
}

fn join_scenario(wait_for: &str) -> String {
    format!(
        r#"
[scenario]
name = "join"
zone = "UTC"
[inputs]
a_time = {{ dist = "uniform", min = "08:00", max = "12:00" }}
b_time = {{ dist = "uniform", min = "09:00", max = "13:00" }}
[milestones.a]
start = {{ date = "2023-01-01", time = "a_time" }}
[milestones.b]
start = {{ date = "2023-01-01", time = "b_time" }}
[milestones.meet]
wait_for = "{wait_for}"
[[steps]]
from = "a"
to = "meet"
kind = "travel"
duration = "1 h"
[[steps]]
from = "b"
to = "meet"
kind = "travel"
duration = "1 h"
[deadlines.noon]
milestone = "meet"
at = "2023-01-01T12:30"
"#
    )
}

#[test]
fn join_of_two_independent_arrivals_multiplies_cdfs() {
    // Both must arrive by 12:30, i.e. start by 11:30: F_A = 3.5/4, F_B = 2.5/4.
    let (fa, fb) = (3.5 / 4.0, 2.5 / 4.0);
    let (_, _, all) = run(&join_scenario("all"), N, 14);
    let p = fa * fb;
    assert_within(
        all.deadlines[0].probability,
        p,
        (p * (1.0 - p) / N as f64).sqrt(),
        0.0,
        "join all",
    );
    let (_, _, first) = run(&join_scenario("first"), N, 14);
    let p = 1.0 - (1.0 - fa) * (1.0 - fb);
    assert_within(
        first.deadlines[0].probability,
        p,
        (p * (1.0 - p) / N as f64).sqrt(),
        0.0,
        "join first",
    );
}

#[test]
fn times_are_shown_in_their_zones() {
    // 06:00 in Pyongyang (UTC+9) + 20 h = 03:00 next day in Vladivostok (UTC+10).
    let text = r#"
[scenario]
name = "zones"
zone = "Asia/Vladivostok"
[milestones.pyongyang]
zone = "Asia/Pyongyang"
start = { date = "2023-09-10", time = "06:00" }
[milestones.vladivostok]
zone = "Asia/Vladivostok"
[[steps]]
from = "pyongyang"
to = "vladivostok"
kind = "travel"
duration = "20 h"
"#;
    let (_, _, s) = run(text, 1000, 1);
    assert_eq!(
        milestone(&s, "pyongyang").quantiles.p50,
        "2023-09-10T07:00:00+10:00"
    );
    assert_eq!(
        milestone(&s, "vladivostok").quantiles.p50,
        "2023-09-11T03:00:00+10:00"
    );
}

#[test]
fn daylight_saving_change_gives_correct_local_times() {
    // Berlin springs forward at 02:00 on 2023-03-26: 22:00 CET + 6 h = 05:00 CEST.
    let text = r#"
[scenario]
name = "dst"
zone = "Europe/Berlin"
[milestones.a]
start = { date = "2023-03-25", time = "22:00" }
[milestones.b]
[milestones.c]
start = { date = "2023-03-26", time = "12:00" }
[[steps]]
from = "a"
to = "b"
kind = "travel"
duration = "6 h"
"#;
    let (_, _, s) = run(text, 100, 1);
    assert_eq!(
        milestone(&s, "a").quantiles.p50,
        "2023-03-25T22:00:00+01:00"
    );
    assert_eq!(
        milestone(&s, "b").quantiles.p50,
        "2023-03-26T05:00:00+02:00"
    );
    assert_eq!(
        milestone(&s, "c").quantiles.p50,
        "2023-03-26T12:00:00+02:00"
    );
}

#[test]
fn not_before_waits_for_local_time_of_day() {
    let text = r#"
[scenario]
name = "not before"
zone = "Asia/Pyongyang"
[milestones.a]
start = { date = "2023-09-10", time = "03:00" }
[milestones.b]
[milestones.c]
[[steps]]
from = "a"
to = "b"
kind = "travel"
duration = "1 h"
not_before = "06:00"
[[steps]]
from = "b"
to = "c"
kind = "travel"
duration = "1 h"
not_before = "06:00"
"#;
    let (_, _, s) = run(text, 100, 1);
    assert_eq!(
        milestone(&s, "b").quantiles.p50,
        "2023-09-10T07:00:00+09:00"
    );
    // Ready at 07:00, after 06:00: no wait.
    assert_eq!(
        milestone(&s, "c").quantiles.p50,
        "2023-09-10T08:00:00+09:00"
    );
}
