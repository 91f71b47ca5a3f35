//! `arrival-cdf`: the S-curve of each deadline-bearing milestone (probability of having arrived
//! by each instant, over all trials), with P50/P80/P95 marked and each deadline's crossing
//! labelled; every label is placed through the layout so none covers another.

use super::histogram::{no_data, time_range};
use super::{
    ChartInput, ChartResult, DEADLINE, FONT, Frame, Header, INK, Layout, Rect, TimeAxis, frame,
    plot_box, series_colour, short_percent, titled,
};
use crate::model::Model;
use crate::time::local_short;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

pub fn draw<DB: DrawingBackend>(input: &ChartInput, root: DrawingArea<DB, Shift>) -> ChartResult {
    let model = input.model;
    let mut layout = Layout::new();
    let mut shown: Vec<usize> = model.deadlines.iter().map(|d| d.milestone).collect();
    shown.sort_unstable();
    shown.dedup();
    if shown.is_empty() {
        shown.push(input.milestone);
    }
    let reached = |m: usize| input.results.milestones[m].reached.fraction;
    let legend: Vec<(String, RGBColor)> = shown
        .iter()
        .enumerate()
        .map(|(k, &m)| (model.milestones[m].label.clone(), series_colour(k)))
        .collect();
    let mut notes = vec![
        "Curves and their P50/P80/P95 marks are over all trials; a trial that never reaches a milestone counts as not arrived.".to_owned(),
    ];
    for &m in shown.iter().filter(|&&m| reached(m) < 1.0) {
        notes.push(format!(
            "{} of trials never reach \"{}\" (their route goes elsewhere), so its curve levels off below 100% and its marks differ from the console's P50/P80/P95, which are over the trials that reach it.",
            short_percent(1.0 - reached(m)),
            model.milestones[m].label
        ));
    }
    notes.extend(relative_deadline_notes(model, &input.results.deadlines));
    // Shares of all trials: by weight in a run conditioned on observations.
    let n = input.tally.weight.sum as f64;
    let deadline_times: Vec<f64> = model
        .deadlines
        .iter()
        .filter_map(|d| d.instant().map(|at| at as f64))
        .collect();
    let ranges: Vec<(f64, f64)> = shown
        .iter()
        .filter_map(|&m| time_range(&input.tally.milestones[m], &deadline_times))
        .collect();
    let lo = ranges.iter().map(|r| r.0).fold(f64::INFINITY, f64::min);
    let hi = ranges.iter().map(|r| r.1).fold(f64::NEG_INFINITY, f64::max);
    let axis = TimeAxis::new(lo, hi, input.zone, 9);
    let deadlines: Vec<(usize, f64)> = model
        .deadlines
        .iter()
        .enumerate()
        .filter_map(|(d, deadline)| deadline.instant().map(|at| (d, at as f64)))
        .filter(|&(_, at)| !ranges.is_empty() && at >= axis.lo && at <= axis.hi)
        .collect();
    let texts: Vec<String> = deadlines
        .iter()
        .map(|&(d, _)| {
            format!(
                "{}: P(on time) = {}",
                model.deadlines[d].label,
                short_percent(input.results.deadlines[d].made.fraction)
            )
        })
        .collect();
    let tags = DeadlineTags::new(&texts);
    let legend: Vec<(String, RGBColor)> = legend.into_iter().chain(tags.key()).collect();
    let area = titled(
        &root,
        &mut layout,
        &Header {
            title: "How likely is it to have arrived by then?",
            subtitle: &input.subtitle(),
            legend: &legend,
            notes: &notes,
        },
    )?;
    if ranges.is_empty() {
        return no_data(
            &area,
            &mut layout,
            "None of these milestones is reached in any trial.",
        )
        .map(|()| Frame::default());
    }
    let mut chart = super::arrival_curve_chart(&root, &mut layout, &area, &axis)?;
    let plot = plot_box(&chart);

    // Deadline lines first, as obstacles no label may cover.
    for &(_, at) in &deadlines {
        chart.draw_series([PathElement::new(
            vec![(at, 0.0), (at, 1.0)],
            DEADLINE.stroke_width(3),
        )])?;
        let x = chart.backend_coord(&(at, 0.0)).0;
        layout.block_vertical(x, plot.top, plot.bottom);
    }
    let mut marks = Vec::new();
    for (k, &m) in shown.iter().enumerate() {
        let colour = series_colour(k);
        let hist = &input.tally.milestones[m];
        let points: Vec<(f64, f64)> = (0..=600)
            .map(|i| {
                let t = axis.lo + (axis.hi - axis.lo) * i as f64 / 600.0;
                (t, hist.count_at_or_before(t) / n)
            })
            .collect();
        // The curve is an obstacle too: a label goes beside it, not over it.
        for pair in points.windows(2) {
            let (a, b) = (chart.backend_coord(&pair[0]), chart.backend_coord(&pair[1]));
            layout.block_soft(Rect::new(
                a.0.min(b.0),
                a.1.min(b.1) - 2,
                a.0.max(b.0) + 1,
                a.1.max(b.1) + 3,
            ));
        }
        chart.draw_series(LineSeries::new(points, colour.stroke_width(4)))?;
        let all = if reached(m) < 1.0 {
            " of all trials"
        } else {
            ""
        };
        for p in [0.5, 0.8, 0.95] {
            let name = format!("P{:.0}", p * 100.0);
            match hist.at_rank(p * n).filter(|_| hist.count() as f64 >= p * n) {
                Some(t) => {
                    chart.draw_series([Circle::new((t, p), 7, colour.filled())])?;
                    let text = format!("{name}{all}: {}", local_short(t, input.zone));
                    marks.push((text, chart.backend_coord(&(t, p)), colour));
                }
                None => {
                    // Said, not silently left out: the curve tops out below this level.
                    let text = format!(
                        "no {name}: only {} of all trials reach it",
                        short_percent(reached(m))
                    );
                    let top = chart.backend_coord(&(axis.hi, reached(m)));
                    marks.push((text, (top.0 - 20, top.1), colour));
                }
            }
        }
    }
    let deadline_style = TextStyle::from((FONT, 21, FontStyle::Bold).into_font()).color(&DEADLINE);
    let mark_style = TextStyle::from((FONT, 19).into_font()).color(&INK);
    let mut unplaced = Vec::new();
    for (k, &(d, at)) in deadlines.iter().enumerate() {
        let p = input.results.deadlines[d].made.fraction;
        chart.draw_series([Circle::new((at, p), 9, DEADLINE.filled())])?;
        let text = tags.on_plot(k, &short_percent(p));
        let point = chart.backend_coord(&(at, p));
        if layout
            .place_near(&root, &text, &deadline_style, point, plot, DEADLINE)?
            .is_none()
        {
            unplaced.push((text, deadline_style.clone()));
        }
    }
    for (text, point, colour) in marks {
        if layout
            .place_near(&root, &text, &mark_style, point, plot, colour)?
            .is_none()
        {
            unplaced.push((text, mark_style.clone()));
        }
    }
    overflow(&root, &mut layout, plot, &unplaced)?;
    Ok(frame(&chart, axis.lo, axis.hi))
}

/// Labels that found no room beside their points, listed from the plot's lower-right corner
/// upward wherever the layout has room (a legend of last resort).
pub(super) fn overflow<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &mut Layout,
    plot: Rect,
    labels: &[(String, TextStyle)],
) -> Result<(), super::ChartError> {
    for (text, style) in labels {
        let (w, h) = Layout::measure(root, text, style)?;
        let spots: Vec<(i32, i32)> = (0..plot.height() / 8)
            .map(|k| {
                (
                    plot.right - w as i32 - 16,
                    plot.bottom - h as i32 - 16 - 8 * k,
                )
            })
            .collect();
        layout.place(root, text, style, spots, true)?;
    }
    Ok(())
}

/// A note per deadline relative to a milestone: it falls at a different instant in each trial,
/// so no line can show it; the note says when it falls and how often it is made.
pub(super) fn relative_deadline_notes(
    model: &Model,
    results: &[crate::analysis::DeadlineResult],
) -> Vec<String> {
    model
        .deadlines
        .iter()
        .zip(results)
        .filter_map(|(deadline, result)| {
            let phrase = deadline.relative_phrase(&model.milestones)?;
            Some(format!(
                "Deadline \"{}\": {phrase}, per trial (no single instant, so no line): P(on time) = {} of all trials.",
                deadline.label,
                short_percent(result.made.fraction)
            ))
        })
        .collect()
}

/// How the deadlines on a plot are labelled: one deadline gets its full label beside its line;
/// several get a letter each ("A 9%") beside their lines and their full labels in the header's
/// key, since several long labels cannot sit between lines an hour apart.
pub(super) struct DeadlineTags<'t> {
    texts: &'t [String],
    keyed: bool,
}

impl<'t> DeadlineTags<'t> {
    /// Full labels for one deadline, letters and a key for several.
    pub fn new(texts: &'t [String]) -> Self {
        DeadlineTags {
            texts,
            keyed: texts.len() > 1,
        }
    }

    /// Letters and a key even for one deadline (where rows leave no room for a long label).
    pub fn always_keyed(texts: &'t [String]) -> Self {
        DeadlineTags {
            texts,
            keyed: !texts.is_empty(),
        }
    }

    fn keyed(&self) -> bool {
        self.keyed
    }

    fn letter(k: usize) -> char {
        char::from(b'A' + (k % 26) as u8)
    }

    /// The header's key entries (none for a single deadline).
    pub fn key(&self) -> Vec<(String, RGBColor)> {
        if !self.keyed() {
            return Vec::new();
        }
        self.texts
            .iter()
            .enumerate()
            .map(|(k, t)| (format!("{} {t}", Self::letter(k)), DEADLINE))
            .collect()
    }

    /// The label beside deadline `k`'s line: its full text, or its letter and `short`.
    pub fn on_plot(&self, k: usize, short: &str) -> String {
        if self.keyed() {
            format!("{} {short}", Self::letter(k))
        } else {
            self.texts[k].clone()
        }
    }
}
