//! `arrival-cdf`: the S-curve of each deadline-bearing milestone (probability of having arrived
//! by each instant), with P50/P80/P95 marked and each deadline's crossing labelled.

use super::histogram::{no_data, time_range};
use super::{
    ChartInput, ChartResult, DEADLINE, FONT, Frame, INK, PALETTE, TimeAxis, boxed_text, frame,
    header_legend, note_top_right, short_percent, titled,
};
use crate::time::local_short;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

pub fn draw<DB: DrawingBackend>(input: &ChartInput, root: DrawingArea<DB, Shift>) -> ChartResult {
    let model = input.model;
    let area = titled(
        &root,
        "How likely is it to have arrived by then?",
        &input.subtitle(),
    )?;
    let mut shown: Vec<usize> = model.deadlines.iter().map(|d| d.milestone).collect();
    shown.dedup();
    if shown.is_empty() {
        shown.push(input.milestone);
    }
    let n = input.results.trials as f64;
    let deadline_times: Vec<f64> = model.deadlines.iter().map(|d| d.at as f64).collect();
    let ranges: Vec<(f64, f64)> = shown
        .iter()
        .filter_map(|&m| time_range(&input.tally.milestones[m], &deadline_times))
        .collect();
    if ranges.is_empty() {
        return no_data(&area, "None of these milestones is reached in any trial.")
            .map(|()| Frame::default());
    }
    let lo = ranges.iter().map(|r| r.0).fold(f64::INFINITY, f64::min);
    let hi = ranges.iter().map(|r| r.1).fold(f64::NEG_INFINITY, f64::max);
    let axis = TimeAxis::new(lo, hi, input.zone, 9);
    let mut chart = super::arrival_curve_chart(&root, &area, &axis)?;

    let mut legend = Vec::new();
    for (k, &m) in shown.iter().enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let hist = &input.tally.milestones[m];
        let points: Vec<(f64, f64)> = (0..=600)
            .map(|i| {
                let t = axis.lo + (axis.hi - axis.lo) * i as f64 / 600.0;
                (t, hist.count_at_or_before(t) / n)
            })
            .collect();
        let label = model.milestones[m].label.clone();
        chart.draw_series(LineSeries::new(points, colour.stroke_width(4)))?;
        legend.push((label, colour));
        for p in [0.5, 0.8, 0.95] {
            let Some(t) = hist.at_rank(p * n).filter(|_| hist.count() as f64 >= p * n) else {
                continue;
            };
            chart.draw_series([Circle::new((t, p), 7, colour.filled())])?;
            let (x, y) = chart.backend_coord(&(t, p));
            let text = format!(
                "P{:.0} {}",
                p * 100.0,
                local_short(t, input.zone).get(4..).unwrap_or("")
            );
            root.draw(&Text::new(
                text,
                (x + 12, y + 4),
                (FONT, 19).into_font().color(&INK),
            ))?;
        }
    }
    for (d, deadline) in model.deadlines.iter().enumerate() {
        let at = deadline.at as f64;
        if at < axis.lo || at > axis.hi {
            continue;
        }
        chart.draw_series([PathElement::new(
            vec![(at, 0.0), (at, 1.0)],
            DEADLINE.stroke_width(3),
        )])?;
        let p = input.results.deadlines[d].made.fraction;
        chart.draw_series([Circle::new((at, p), 9, DEADLINE.filled())])?;
        let text = format!("{}: P(on time) = {}", deadline.label, short_percent(p));
        let style = TextStyle::from((FONT, 22, FontStyle::Bold).into_font()).color(&DEADLINE);
        let (x, y) = chart.backend_coord(&(at, p));
        let (w, _) = area.estimate_text_size(&text, &style)?;
        let right_edge = chart.backend_coord(&(axis.hi, 0.0)).0;
        let left = if x + 14 + w as i32 <= right_edge {
            x + 14
        } else {
            x - 14 - w as i32
        };
        // Above the crossing when the curve is low there, below it when high.
        let top = if p > 0.85 { y + 16 } else { y - 40 };
        boxed_text(&root, &text, (left, top), &style)?;
    }
    header_legend(&root, &legend)?;
    if let Some(&m) = shown
        .iter()
        .find(|&&m| input.results.milestones[m].reached.fraction < 1.0)
    {
        let never = 1.0 - input.results.milestones[m].reached.fraction;
        note_top_right(
            &root,
            &format!(
                "The curve levels off below 100%: {} of trials never reach \"{}\" (their route goes elsewhere).",
                short_percent(never),
                model.milestones[m].label
            ),
        )?;
    }
    Ok(frame(&chart, axis.lo, axis.hi))
}
