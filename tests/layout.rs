//! Chart layout: every chart of every shipped scenario, and the compare and sweep charts, drawn
//! through a recording backend that keeps the box of every text plotters draws (measured with the
//! bundled font, placed by the text's anchor and rotation exactly as plotters places it). No two
//! boxes may intersect, and every box must lie on the canvas.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: failing loudly is the point

use eta::analysis::RunResults;
use eta::analysis::compare::{self, Comparison};
use eta::analysis::sweep::{self, Sweep};
use eta::chart::{self, Chart, ChartInput, Frame, Rect, x_pixel};
use eta::engine::{self, RunOptions, Tally};
use eta::load::{self, Variant};
use eta::model::Model;
use eta::scenario::overrides::{self, Override};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};
use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;

/// A text drawn: what it said and the box it took, in canvas pixels.
#[derive(Debug, Clone)]
struct Drawn {
    text: String,
    rect: Rect,
}

/// A filled rectangle or a line drawn: its colour, stroke width (0 for a fill) and bounding box.
#[derive(Debug, Clone)]
struct Mark {
    colour: (u8, u8, u8),
    width: u32,
    rect: Rect,
}

impl Mark {
    fn new(style: &impl BackendStyle, width: u32, points: &[BackendCoord]) -> Mark {
        let xs = points.iter().map(|p| p.0);
        let ys = points.iter().map(|p| p.1);
        Mark {
            colour: style.color().rgb,
            width,
            rect: Rect::new(
                xs.clone().min().unwrap_or(0),
                ys.clone().min().unwrap_or(0),
                xs.max().unwrap_or(0),
                ys.max().unwrap_or(0),
            ),
        }
    }
}

/// A backend that draws through `inner` and records the box of every text, and every filled
/// rectangle and line (the marks a label must keep clear of).
struct Recorder<B> {
    inner: B,
    texts: Rc<RefCell<Vec<Drawn>>>,
    marks: Rc<RefCell<Vec<Mark>>>,
}

impl<B: DrawingBackend> DrawingBackend for Recorder<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }
    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if fill {
            let mark = Mark::new(style, 0, &[upper_left, bottom_right]);
            self.marks.borrow_mut().push(mark);
        }
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let points: Vec<BackendCoord> = path.into_iter().collect();
        let mark = Mark::new(style, style.stroke_width(), &points);
        self.marks.borrow_mut().push(mark);
        self.inner.draw_path(points, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if !text.trim().is_empty() && style.color().alpha > 0.0 {
            let ((min_x, min_y), (max_x, max_y)) = style.layout_box(text).unwrap();
            let (w, h) = (max_x - min_x, max_y - min_y);
            // Where plotters' own text drawing puts the box (plotters-backend's draw_text).
            let dx = match style.anchor().h_pos {
                HPos::Left => 0,
                HPos::Right => -w,
                HPos::Center => -w / 2,
            };
            let dy = match style.anchor().v_pos {
                VPos::Top => 0,
                VPos::Center => -h / 2,
                VPos::Bottom => -h,
            };
            let transform = style.transform();
            let (ax, ay) = transform.transform(dx, dy);
            let (bx, by) = transform.transform(dx + w, dy + h);
            let rect = Rect::new(
                pos.0 + ax.min(bx),
                pos.1 + ay.min(by),
                pos.0 + ax.max(bx),
                pos.1 + ay.max(by),
            );
            self.texts.borrow_mut().push(Drawn {
                text: text.to_owned(),
                rect,
            });
        }
        self.inner.draw_text(text, style, pos)
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        self.inner.estimate_text_size(text, style)
    }
}

/// Draws one chart through the recorder onto a real bitmap; returns every text's box.
fn record(draw: impl FnOnce(DrawingArea<Recorder<BitMapBackend>, Shift>) -> Frame) -> Vec<Drawn> {
    record_marks(draw).0
}

/// Draws one chart through the recorder onto a real bitmap; returns every text's box, every
/// mark, and the frame the chart landed in.
fn record_marks(
    draw: impl FnOnce(DrawingArea<Recorder<BitMapBackend>, Shift>) -> Frame,
) -> (Vec<Drawn>, Vec<Mark>, Frame) {
    chart::register_fonts();
    let mut pixels = vec![255u8; (chart::WIDTH * chart::HEIGHT * 3) as usize];
    let texts = Rc::new(RefCell::new(Vec::new()));
    let marks = Rc::new(RefCell::new(Vec::new()));
    let frame = {
        let backend = Recorder {
            inner: BitMapBackend::with_buffer(&mut pixels, (chart::WIDTH, chart::HEIGHT)),
            texts: texts.clone(),
            marks: marks.clone(),
        };
        let root = backend.into_drawing_area();
        root.fill(&WHITE).unwrap();
        let frame = draw(root.clone());
        root.present().unwrap();
        frame
    };
    (texts.take(), marks.take(), frame)
}

/// Every collision in `texts`: a box off the canvas, or two boxes sharing a pixel.
fn collisions(texts: &[Drawn]) -> Vec<String> {
    let canvas = chart::layout::canvas();
    let mut found = Vec::new();
    for (i, a) in texts.iter().enumerate() {
        if !a.rect.inside(&canvas) {
            found.push(format!("off the canvas: {:?} at {:?}", a.text, a.rect));
        }
        for b in &texts[i + 1..] {
            if a.rect.intersects(&b.rect) {
                found.push(format!(
                    "overlap: {:?} at {:?} and {:?} at {:?}",
                    a.text, a.rect, b.text, b.rect
                ));
            }
        }
    }
    found
}

const TRIALS: u64 = 20_000;

fn options(trials: u64) -> RunOptions<'static> {
    RunOptions {
        threads: 2,
        keep_trials: 20_000,
        ..RunOptions::new(trials, 11)
    }
}

fn scenarios() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
    files.sort();
    files
}

fn model_of(path: &Path) -> Model {
    let (_, model) = load::checked(load::read(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    model
}

/// What the run charts draw from, in the model's display zone, with `milestone` as the
/// histogram's.
fn chart_input<'a>(
    model: &'a Model,
    tally: &'a Tally,
    results: &'a RunResults,
    milestone: usize,
) -> ChartInput<'a> {
    ChartInput {
        model,
        tally,
        results,
        zone: &model.display_zone,
        milestone,
    }
}

#[test]
fn no_text_on_any_run_chart_of_any_shipped_scenario_collides_or_leaves_the_canvas() {
    let files = scenarios();
    assert!(files.len() >= 5, "{files:?}");
    let mut failures = Vec::new();
    for path in &files {
        let model = model_of(path);
        let mut run = options(TRIALS);
        run.split_by_route = Some(model.final_milestone());
        let tally = engine::run(&model, &run, None).unwrap();
        let results = RunResults::new(&model, &tally);
        let input = chart_input(&model, &tally, &results, model.final_milestone());
        for chart in Chart::ALL {
            let texts = record(|area| chart.draw(&input, area).unwrap());
            assert!(
                texts.len() >= 5,
                "{} {}: only {} texts",
                path.display(),
                chart.file_stem(),
                texts.len()
            );
            // Placing never drops a label silently: every deadline is named on the charts that
            // mark deadlines (beside its line, or in the header's key), and the S-curve names its
            // percentiles.
            let said = |needle: &str| texts.iter().any(|t| t.text.contains(needle));
            if matches!(chart, Chart::ArrivalCdf | Chart::Milestones) {
                for d in &model.deadlines {
                    assert!(
                        said(&d.label),
                        "{} {}: deadline {:?} is not named",
                        path.display(),
                        chart.file_stem(),
                        d.label
                    );
                }
            }
            // Where a timetabled step reaches a milestone, the journey chart says the wait.
            if chart == Chart::Milestones && !results.timetables.is_empty() {
                assert!(
                    said("median wait ") && said(" miss the booked "),
                    "{} milestones: no wait note",
                    path.display()
                );
            }
            if chart == Chart::ArrivalCdf {
                for p in ["P50", "P80", "P95"] {
                    assert!(said(p), "{} arrival-cdf: no {p}", path.display());
                }
            }
            for c in collisions(&texts) {
                failures.push(format!(
                    "{} {}: {c}",
                    path.file_stem().unwrap().to_string_lossy(),
                    chart.file_stem()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The flagship's declared variants, as `eta compare FILE` runs them.
fn declared_variants(path: &Path) -> Vec<Variant> {
    let source = load::read(path).unwrap();
    let mut variants = vec![
        load::variant(
            &source,
            "baseline",
            Some("the scenario as written".into()),
            &[],
        )
        .unwrap(),
    ];
    for (name, description, set) in overrides::variants(&source).unwrap() {
        variants.push(load::variant(&source, &name, description, &set).unwrap());
    }
    variants
}

fn compare_collisions(variants: &[Variant], what: &str) -> Vec<String> {
    let (comparison, tallies): (Comparison, Vec<Tally>) =
        compare::compare(variants, &options(TRIALS)).unwrap();
    let models: Vec<&Model> = variants.iter().map(|v| &v.model).collect();
    let zone = &models[0].display_zone;
    let curves = record(|area| {
        chart::compare::draw_curves(&comparison, &models, &tallies, zone, area).unwrap()
    });
    let changes = record(|area| chart::compare::draw_changes(&comparison, &models, area).unwrap());
    assert!(curves.len() >= 5 && changes.len() >= 5, "{what}");
    collisions(&curves)
        .into_iter()
        .map(|c| format!("{what} compare-cdf: {c}"))
        .chain(
            collisions(&changes)
                .into_iter()
                .map(|c| format!("{what} compare-deltas: {c}")),
        )
        .collect()
}

#[test]
fn no_text_on_the_compare_charts_collides_or_leaves_the_canvas() {
    let flagship = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/kim-eef-2023.toml");
    let mut failures = compare_collisions(&declared_variants(&flagship), "variants");
    // Two files, as `eta compare a.toml b.toml` names them: by file name, no description.
    let source = load::read(&flagship).unwrap();
    let later = Override {
        path: "departure_day".into(),
        value: r#"{ dist = "fixed", value = "2023-09-11" }"#.into(),
        origin: "test".into(),
    };
    let two = vec![
        load::variant(&source, "kim-eef-2023", None, &[]).unwrap(),
        load::variant(&source, "kim-eef-2023-late", None, &[later]).unwrap(),
    ];
    failures.extend(compare_collisions(&two, "two files"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn sweep_collisions(param: &str, values: &[&str]) -> Vec<String> {
    let flagship = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/kim-eef-2023.toml");
    let source = load::read(&flagship).unwrap();
    let values: Vec<String> = values.iter().map(|v| (*v).to_owned()).collect();
    let (scale, points) = sweep::values(&values).unwrap();
    let variants: Vec<Variant> = points
        .iter()
        .map(|(value, _)| {
            let o = Override {
                path: param.into(),
                value: value.clone(),
                origin: "test".into(),
            };
            load::variant(&source, value, None, &[o]).unwrap()
        })
        .collect();
    let (comparison, _) = compare::compare(&variants, &options(TRIALS)).unwrap();
    let result = Sweep::new(&comparison, &points, scale);
    let curve = result.curve.as_ref().unwrap();
    let base = &variants[0].model;
    let drawn = chart::sweep::SweepChart {
        scenario: &base.name,
        param,
        deadline: &base.deadlines[result.deadlines[0]].label,
        curve,
        trials: result.trials,
        unit: chart::sweep::axis_unit(base, param, curve.scale),
    };
    let texts = record(|area| chart::sweep::draw_on(area, &drawn).unwrap());
    assert!(texts.len() >= 5, "{param}");
    collisions(&texts)
        .into_iter()
        .map(|c| format!("sweep {param}: {c}"))
        .collect()
}

#[test]
fn no_text_on_the_sweep_charts_collides_or_leaves_the_canvas() {
    let hours: Vec<String> = (4..=20).step_by(2).map(|h| format!("{h:02}:00")).collect();
    let hours: Vec<&str> = hours.iter().map(String::as_str).collect();
    let mut failures = sweep_collisions("departure_time", &hours);
    failures.extend(sweep_collisions(
        "dprk_speed.mode",
        &["40", "45", "50", "55", "60"],
    ));
    failures.extend(sweep_collisions(
        "departure_day",
        &["2023-09-10", "2023-09-11"],
    ));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_sweep_axis_names_units_and_zones() {
    let flagship = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/kim-eef-2023.toml");
    let model = model_of(&flagship);
    let number = eta::analysis::scale::Scale::read("50").unwrap().0;
    let time = eta::analysis::scale::Scale::read("06:00").unwrap().0;
    assert_eq!(
        chart::sweep::axis_unit(&model, "dprk_speed.mode", number),
        "km/h"
    );
    assert_eq!(
        chart::sweep::axis_unit(&model, "departure_time", time),
        "local time of day, Asia/Pyongyang"
    );
}

/// A deadline relative to a milestone has no instant to draw: the run and compare charts say so
/// in a note (naming it), draw no line for it, and still place every text apart.
#[test]
fn a_relative_deadline_is_named_in_a_note_and_nothing_collides() {
    let flagship = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/kim-eef-2023.toml");
    let mut source = load::read(&flagship).unwrap();
    source.text.push_str(
        "\n[deadlines.after_khasan]\nlabel = \"FEFU within 30 hours of Khasan\"\nmilestone = \"fefu\"\nat = { milestone = \"khasan\", offset = \"30 h\" }\n",
    );
    let (_, model) = load::checked(source.clone()).unwrap();
    let tally = engine::run(&model, &options(TRIALS), None).unwrap();
    let results = RunResults::new(&model, &tally);
    // The histogram notes the deadlines of the milestone it shows: the deadline's own.
    let fefu = model
        .milestones
        .iter()
        .position(|m| m.id == "fefu")
        .unwrap();
    let input = chart_input(&model, &tally, &results, fefu);
    let mut failures = Vec::new();
    for chart in Chart::ALL {
        let texts = record(|area| chart.draw(&input, area).unwrap());
        if matches!(
            chart,
            Chart::ArrivalCdf | Chart::Milestones | Chart::ArrivalHistogram
        ) {
            // A long note wraps onto several lines: read them as one text.
            let all: Vec<&str> = texts.iter().map(|t| t.text.as_str()).collect();
            assert!(
                all.join(" ").contains(
                    "Deadline \"FEFU within 30 hours of Khasan\": 1d 6h 00m after \"Arrives Khasan (Russia)\", per trial (no single instant, so no line)"
                ),
                "{}: the relative deadline is not named in a note: {all:?}",
                chart.file_stem()
            );
        }
        failures.extend(
            collisions(&texts)
                .into_iter()
                .map(|c| format!("{}: {c}", chart.file_stem())),
        );
    }
    let later = Override {
        path: "after_khasan.at.offset".into(),
        value: "36 h".into(),
        origin: "test".into(),
    };
    let variants = vec![
        load::variant(&source, "relative", None, &[]).unwrap(),
        load::variant(&source, "relative-later", None, &[later]).unwrap(),
    ];
    failures.extend(compare_collisions(&variants, "relative deadline"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// One chart of a shipped scenario's run, drawn through the recorder.
struct Shipped {
    model: Model,
    results: RunResults,
    /// The histogram's milestone.
    milestone: usize,
    texts: Vec<Drawn>,
    marks: Vec<Mark>,
    frame: Frame,
}

/// Runs scenario `stem` and draws `chart` with the milestone `id` as the histogram's.
fn shipped(stem: &str, id: &str, chart: Chart) -> Shipped {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{stem}.toml"));
    let model = model_of(&path);
    let milestone = model.milestones.iter().position(|m| m.id == id).unwrap();
    let tally = engine::run(&model, &options(TRIALS), None).unwrap();
    let results = RunResults::new(&model, &tally);
    let input = chart_input(&model, &tally, &results, milestone);
    let (texts, marks, frame) = record_marks(|area| chart.draw(&input, area).unwrap());
    Shipped {
        model,
        results,
        milestone,
        texts,
        marks,
        frame,
    }
}

/// The vertical middle of a box, in pixels.
fn middle(rect: &Rect) -> i32 {
    (rect.top + rect.bottom) / 2
}

/// Every box of `texts` that covers one of `marks`.
fn covered(texts: &[Drawn], marks: &[&Mark]) -> Vec<String> {
    texts
        .iter()
        .flat_map(|t| marks.iter().map(move |m| (t, m)))
        .filter(|(t, m)| t.rect.intersects(&m.rect))
        .map(|(t, m)| {
            format!(
                "{:?} at {:?} covers the mark at {:?}",
                t.text, t.rect, m.rect
            )
        })
        .collect()
}

/// On the journey chart, the row a timetabled step reaches shows its wait: a band in the wait
/// colour from the median time the stop is reached to the median departure taken, and beside it,
/// on the same row, the median wait with its interval (as the analysis computed it) and the share
/// that missed the booked departure. No text covers the band, and no two texts collide.
#[test]
fn the_journey_chart_shows_each_wait_on_its_own_row() {
    for (stem, id) in [
        ("client-meeting-munich", "priya_muc"),
        ("rail-chongqing-duisburg", "duisburg_train"),
    ] {
        let drawn = shipped(stem, id, Chart::Milestones);
        let (model, results, texts, frame) =
            (&drawn.model, &drawn.results, &drawn.texts, drawn.frame);
        let (marks, milestone) = (&drawn.marks, drawn.milestone);
        let label = |text: &str| {
            texts
                .iter()
                .find(|t| t.text == text)
                .unwrap_or_else(|| panic!("{stem}: no text {text:?}"))
                .rect
        };
        let row = middle(&label(&model.milestones[milestone].label));
        let first_rows: Vec<i32> = model.eval_order[..2]
            .iter()
            .map(|&m| middle(&label(&model.milestones[m].label)))
            .collect();
        let half_row = (first_rows[1] - first_rows[0]).abs() / 2;
        let wait_colour = (chart::WAIT.0, chart::WAIT.1, chart::WAIT.2);
        let bands: Vec<&Mark> = marks
            .iter()
            .filter(|m| m.width == 0 && m.colour == wait_colour)
            .collect();
        // The key's swatch and the band on the plot.
        assert_eq!(bands.len(), 2, "{stem}: {bands:?}");
        let bands: Vec<&Mark> = bands
            .into_iter()
            .filter(|m| m.rect.left >= frame.pixels.0)
            .collect();
        let band = bands[0].rect;
        assert!(
            (middle(&band) - row).abs() <= 2,
            "{stem}: band {band:?} off the row at {row}"
        );
        let timetable = &results.timetables[0];
        let step = &model.steps[timetable.step];
        let x = |t: f64| x_pixel(t, frame.x.0, frame.x.1, frame.pixels.0, frame.pixels.1);
        let ready = results.milestones[step.from].times.unwrap().median();
        let departs = timetable.median_departure.unwrap();
        assert!(
            (band.left - x(ready)).abs() <= 2 && (band.right - x(departs)).abs() <= 2,
            "{stem}: band {band:?}, ready at x = {}, departs at x = {}",
            x(ready),
            x(departs)
        );
        let wait = timetable.wait.unwrap();
        let median = eta::format::duration_with_ci(wait.quantiles[3], wait.quantiles_ci95[3]);
        for needle in [
            format!("waiting for: {}", step.label.as_deref().unwrap()),
            format!("median wait {median}"),
            " miss the booked ".to_owned(),
        ] {
            let line = texts
                .iter()
                .find(|t| t.text.contains(&needle))
                .unwrap_or_else(|| panic!("{stem}: no {needle:?}"));
            assert!(
                (middle(&line.rect) - row).abs() < half_row,
                "{stem}: {:?} at {:?} is not on the row at {row}",
                line.text,
                line.rect
            );
        }
        assert!(
            covered(texts, &bands).is_empty(),
            "{:?}",
            covered(texts, &bands)
        );
        assert!(collisions(texts).is_empty(), "{:?}", collisions(texts));
    }
}

/// The ticks a histogram draws for departures: lines 4 pixels wide in the ink colour.
fn departure_ticks(marks: &[Mark]) -> Vec<&Mark> {
    let ink = (chart::INK.0, chart::INK.1, chart::INK.2);
    marks
        .iter()
        .filter(|m| m.width == 4 && m.colour == ink)
        .collect()
}

/// Priya lands in Munich straight off the shuttle: every departure taken is ticked on the time
/// axis where it leaves, the most taken labelled with its share and interval, nothing covering a
/// tick or another label.
#[test]
fn the_histogram_of_a_timetabled_arrival_ticks_its_departures() {
    let Shipped {
        results,
        texts,
        marks,
        frame,
        ..
    } = shipped(
        "client-meeting-munich",
        "priya_muc",
        Chart::ArrivalHistogram,
    );
    let ticks = departure_ticks(&marks);
    let departures = &results.timetables[0].departures;
    assert_eq!(ticks.len(), departures.len(), "{ticks:?}");
    for ((at, share), tick) in departures.iter().zip(&ticks) {
        let x = x_pixel(*at, frame.x.0, frame.x.1, frame.pixels.0, frame.pixels.1);
        assert!((tick.rect.left - x).abs() <= 1, "{tick:?} not at x = {x}");
        println!(
            "departure at x = {x}: {:.4} [{:.4}, {:.4}]",
            share.fraction, share.ci95.0, share.ci95.1
        );
    }
    // The booked 08:30 (Berlin) takes about 94% of the trials, the 09:30 about 6%.
    let said = |needle: &str| texts.iter().any(|t| t.text.starts_with(needle));
    assert!(
        said("departs 08:30 · 93.") && said("departs 09:30 · 6."),
        "{texts:?}"
    );
    assert!(
        covered(&texts, &ticks).is_empty(),
        "{:?}",
        covered(&texts, &ticks)
    );
    assert!(collisions(&texts).is_empty(), "{:?}", collisions(&texts));
}

/// The Chongqing train's departures are two weeks before its arrivals: too far to tick on the
/// axis, so a note lists them (with their intervals) and no tick is drawn.
#[test]
fn the_histogram_of_a_timetabled_arrival_lists_far_departures_in_a_note() {
    let Shipped { texts, marks, .. } = shipped(
        "rail-chongqing-duisburg",
        "duisburg_train",
        Chart::ArrivalHistogram,
    );
    let all: Vec<&str> = texts.iter().map(|t| t.text.as_str()).collect();
    let all = all.join(" ");
    // The train leaves Tue and Fri 10:00 Beijing time: 03:00 in Berlin (CET, before Mar 31).
    assert!(
        all.contains("too far from these arrivals to tick") && all.contains("Tue Mar 19 03:00 · 9"),
        "{all}"
    );
    assert!(departure_ticks(&marks).is_empty());
    assert!(collisions(&texts).is_empty(), "{:?}", collisions(&texts));
}
