//! `milestones`: the journey as a timeline, one row per milestone in journey order: P5-P95
//! whisker, P25-P75 box, median mark, deadlines as vertical lines.

use super::histogram::no_data;
use super::{
    ChartInput, ChartResult, DEADLINE, FONT, Frame, MUTED, PALETTE, TimeAxis, boxed_text, frame,
    house_mesh, note_top_right, row_labels, short_percent, titled, widest_label,
};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

pub fn draw<DB: DrawingBackend>(input: &ChartInput, root: DrawingArea<DB, Shift>) -> ChartResult {
    let model = input.model;
    let area = titled(
        &root,
        "The journey, milestone by milestone",
        &input.subtitle(),
    )?;
    let rows: Vec<usize> = model
        .eval_order
        .iter()
        .copied()
        .filter(|&m| input.results.milestones[m].times.is_some())
        .collect();
    if rows.is_empty() {
        return no_data(&area, "No milestone is reached in any trial.").map(|()| Frame::default());
    }
    let stats = |m: usize| input.results.milestones[m].times;
    let mut lo = rows
        .iter()
        .filter_map(|&m| stats(m))
        .map(|s| s.quantiles[0])
        .fold(f64::INFINITY, f64::min);
    let mut hi = rows
        .iter()
        .filter_map(|&m| stats(m))
        .map(|s| s.quantiles[6])
        .fold(f64::NEG_INFINITY, f64::max);
    let span = hi - lo;
    for d in &model.deadlines {
        let at = d.at as f64;
        if at > lo - span * 0.5 && at < hi + span * 0.5 {
            lo = lo.min(at);
            hi = hi.max(at);
        }
    }
    let axis = TimeAxis::new(lo, hi, input.zone, 9);
    let k = rows.len();
    let names: Vec<String> = rows
        .iter()
        .map(|&m| model.milestones[m].label.clone())
        .collect();
    let mut chart = ChartBuilder::on(&area)
        .margin_left(30)
        .margin_right(60)
        .margin_bottom(20)
        .x_label_area_size(70)
        .y_label_area_size(widest_label(&area, &names) + 30)
        .build_cartesian_2d(axis.lo..axis.hi, -0.6..k as f64 - 0.4)?;
    // Row 0 (the first milestone) is drawn at the top.
    let y_of = |row: usize| (k - 1 - row) as f64;
    let mut mesh = chart.configure_mesh();
    house_mesh(&mut mesh, 19.0, 22.0, 230)
        .x_labels(0)
        .disable_x_mesh()
        .y_labels(0)
        .disable_y_mesh()
        .x_desc(axis.title())
        .draw()?;
    axis.draw_grid(&mut chart, -0.6, k as f64 - 0.4)?;
    axis.draw_labels(&root, &chart, -0.6)?;
    row_labels(&root, &chart, axis.lo, &names)?;
    for d in &model.deadlines {
        let at = d.at as f64;
        if at < axis.lo || at > axis.hi {
            continue;
        }
        chart.draw_series([PathElement::new(
            vec![(at, -0.6), (at, k as f64 - 0.4)],
            DEADLINE.stroke_width(3),
        )])?;
        let (x, y) = chart.backend_coord(&(at, k as f64 - 0.4));
        let text = format!("{} ({})", d.label, crate::time::local_short(at, input.zone));
        let style = (FONT, 20, FontStyle::Bold).into_font().color(&DEADLINE);
        let (w, _) = area.estimate_text_size(&text, &style)?;
        let right_edge = chart.backend_coord(&(axis.hi, 0.0)).0;
        let left = if x + 8 + w as i32 <= right_edge {
            x + 8
        } else {
            x - 8 - w as i32
        };
        root.draw(&Text::new(text, (left, y + 4), style))?;
    }
    let colour = PALETTE[0];
    for (row, &m) in rows.iter().enumerate() {
        let Some(s) = stats(m) else { continue };
        let y = y_of(row);
        let q = s.quantiles;
        let faded = input.results.milestones[m].reached.fraction < 1.0;
        let c = if faded {
            colour.mix(0.55)
        } else {
            colour.mix(1.0)
        };
        chart.draw_series([PathElement::new(
            vec![(q[0], y), (q[6], y)],
            c.stroke_width(3),
        )])?;
        for end in [q[0], q[6]] {
            chart.draw_series([PathElement::new(
                vec![(end, y - 0.15), (end, y + 0.15)],
                c.stroke_width(3),
            )])?;
        }
        chart.draw_series([Rectangle::new(
            [(q[2], y - 0.28), (q[4], y + 0.28)],
            c.filled(),
        )])?;
        chart.draw_series([PathElement::new(
            vec![(q[3], y - 0.36), (q[3], y + 0.36)],
            BLACK.stroke_width(4),
        )])?;
        let reached = input.results.milestones[m].reached.fraction;
        if reached < 1.0 {
            let note = format!("reached in {} of trials", short_percent(reached));
            let style = TextStyle::from((FONT, 19).into_font()).color(&MUTED);
            let (w, _) = root.estimate_text_size(&note, &style)?;
            let (right, py) = chart.backend_coord(&(q[6], y));
            let left = chart.backend_coord(&(q[0], y)).0;
            let plot_right = chart.backend_coord(&(axis.hi, y)).0;
            let x = if right + 14 + w as i32 <= plot_right {
                right + 14
            } else {
                left - 14 - w as i32
            };
            boxed_text(&root, &note, (x, py - 11), &style)?;
        }
    }
    note_top_right(
        &root,
        "box: middle half of trials (P25-P75) · whiskers: P5-P95 · black mark: median",
    )?;
    Ok(frame(&chart, axis.lo, axis.hi))
}
