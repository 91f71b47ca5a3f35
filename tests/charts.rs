//! Charts: the files exist, are PNGs of the promised size with real content, the deadline line
//! sits at the pixel the axis mapping gives, and the drivers chart lists drivers strongest first.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

mod common;
use eta::chart::{self, ChartInput, DEADLINE, Format, x_pixel};

const SCENARIO: &str = r#"
[scenario]
name = "chart check"
zone = "Asia/Vladivostok"
[inputs]
speed = { dist = "uniform", min = 30, max = 60, unit = "km/h" }
ceremony = { dist = "uniform", min = "30 min", max = "1 h" }
[routes]
main = { probability = 0.8 }
other = { probability = 0.2 }
[milestones.start]
zone = "Asia/Pyongyang"
start = { date = "2023-09-11", time = "06:00" }
[milestones.border]
[milestones.arrival]
[milestones.elsewhere]
[[steps]]
from = "start"
to = "border"
kind = "travel"
distance = "600 km"
speed = "speed"
[[steps]]
from = "border"
to = "arrival"
kind = "dwell"
duration = "ceremony"
route = "main"
[[steps]]
from = "border"
to = "elsewhere"
kind = "travel"
duration = "10 h"
route = "other"
[deadlines.meeting]
milestone = "arrival"
at = "2023-09-12T08:00"
"#;

fn input_for<'a>(
    m: &'a eta::model::Model,
    t: &'a eta::engine::Tally,
    r: &'a eta::analysis::RunResults,
) -> ChartInput<'a> {
    ChartInput {
        model: m,
        tally: t,
        results: r,
        zone: &m.display_zone,
        milestone: m.final_milestone(),
    }
}

#[test]
fn every_chart_is_a_full_size_png_with_content() {
    let (model, tally, _) = common::run(SCENARIO, 50_000, 3);
    let results = eta::analysis::RunResults::new(&model, &tally);
    let dir = tempfile::tempdir().unwrap();
    let files = chart::render_all(
        &input_for(&model, &tally, &results),
        dir.path(),
        Format::Png,
    )
    .unwrap();
    assert_eq!(files.len(), chart::Chart::ALL.len());
    for name in chart::Chart::ALL.map(chart::Chart::file_stem) {
        let path = dir.path().join(format!("{name}.png"));
        let img = image::open(&path)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .to_rgb8();
        assert_eq!(img.dimensions(), (chart::WIDTH, chart::HEIGHT), "{name}");
        let mut colours = std::collections::HashSet::new();
        let mut inked = 0usize;
        for p in img.pixels() {
            colours.insert(p.0);
            if p.0 != [255, 255, 255] {
                inked += 1;
            }
        }
        assert!(colours.len() > 30, "{name}: only {} colours", colours.len());
        let share = inked as f64 / (chart::WIDTH * chart::HEIGHT) as f64;
        assert!(
            share > 0.03,
            "{name}: only {share:.3} of pixels are not background"
        );
    }
}

#[test]
fn svg_charts_are_written_too() {
    let (model, tally, _) = common::run(SCENARIO, 5_000, 3);
    let results = eta::analysis::RunResults::new(&model, &tally);
    let dir = tempfile::tempdir().unwrap();
    chart::render_all(
        &input_for(&model, &tally, &results),
        dir.path(),
        Format::Svg,
    )
    .unwrap();
    let text = std::fs::read_to_string(dir.path().join("arrival-cdf.svg")).unwrap();
    assert!(text.starts_with("<svg") && text.contains("meeting: P(on time)"));
}

#[test]
fn deadline_line_is_drawn_where_the_axis_maps_the_deadline() {
    let (model, tally, _) = common::run(SCENARIO, 50_000, 4);
    let results = eta::analysis::RunResults::new(&model, &tally);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.png");
    let input = input_for(&model, &tally, &results);
    let frame = chart::write_png(&path, |area| {
        chart::Chart::ArrivalHistogram.draw(&input, area)
    })
    .unwrap();
    let at = model.deadlines[0].instant().expect("a fixed deadline") as f64;
    assert!(
        frame.x.0 < at && at < frame.x.1,
        "deadline inside the axis range"
    );
    let x = x_pixel(at, frame.x.0, frame.x.1, frame.pixels.0, frame.pixels.1);
    let img = image::open(&path).unwrap().to_rgb8();
    let deadline_pixels = |col: i32| {
        (0..chart::HEIGHT)
            .filter(|&y| img.get_pixel(col as u32, y).0 == [DEADLINE.0, DEADLINE.1, DEADLINE.2])
            .count()
    };
    // The line is 3 px wide and spans the plot's height (about 700 px).
    let on_line = (x - 1..=x + 1).map(deadline_pixels).max().unwrap();
    assert!(
        on_line > 500,
        "only {on_line} deadline-coloured pixels at x = {x}"
    );
    let away = deadline_pixels(x + 40).max(deadline_pixels(x - 40));
    assert!(
        away < 100,
        "{away} deadline-coloured pixels 40 px away from the line"
    );
}

#[test]
fn drivers_are_ranked_by_their_effect_on_the_deadline() {
    let (_, _, summary) = common::run(SCENARIO, 50_000, 5);
    let d = &summary.drivers.ranked;
    let swing = |i: usize| d[i].on_time.as_ref().unwrap().difference.abs();
    assert!((1..d.len()).all(|i| swing(i - 1) >= swing(i)), "{d:?}");
    let speed = d.iter().find(|r| r.name == "speed").expect("speed");
    let rho = speed.rank_correlation.unwrap();
    assert!(rho < -0.5, "faster is earlier: {rho}");
}
