//! `milestones`: the journey as a timeline, one row per milestone in journey order: a violin
//! (the density of the times the trials that reach it reach it, so two modes show as two bulges
//! rather than hiding in a box), its median marked, each deadline drawn across the row of
//! the milestone it applies to, and on a row reached by a timetabled step, the wait for its
//! departure as a lighter band with a note of the wait and the missed connections.

use super::histogram::no_data;
use super::{
    ChartInput, ChartResult, DEADLINE, FONT, Frame, Header, Layout, MUTED, TimeAxis, frame,
    house_mesh, plot_box, row_labels, series_colour, short_percent, titled, widest_label,
};
use crate::stats::TimeHistogram;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

/// Columns the violins are drawn with across the plot.
const COLUMNS: usize = 240;
/// Half a violin's greatest height, in rows.
const HALF_HEIGHT: f64 = 0.42;
/// Half the height of a row's wait band, in rows.
const WAIT_HALF_HEIGHT: f64 = 0.13;
/// The fill of a wait band: the violins' blue, lightened to 30% on white (a colour of its own in
/// the key, never mistaken for trials arriving).
pub const WAIT: RGBColor = RGBColor(179, 213, 232);

pub fn draw<DB: DrawingBackend>(input: &ChartInput, root: DrawingArea<DB, Shift>) -> ChartResult {
    let model = input.model;
    let mut layout = Layout::new();
    // Each fixed deadline with its instant; a relative one has none to draw (noted below).
    let on_axis: Vec<(usize, f64)> = (0..model.deadlines.len())
        .filter(|&d| {
            input.results.milestones[model.deadlines[d].milestone]
                .times
                .is_some()
        })
        .filter_map(|d| model.deadlines[d].instant().map(|at| (d, at as f64)))
        .collect();
    let texts: Vec<String> = on_axis
        .iter()
        .map(|&(d, at)| {
            let deadline = &model.deadlines[d];
            format!(
                "{} ({}) · P(on time) {}",
                deadline.label,
                crate::time::local_short(at, input.zone),
                short_percent(input.results.deadlines[d].made.fraction)
            )
        })
        .collect();
    let tags = super::cdf::DeadlineTags::always_keyed(&texts);
    let mut legend = tags.key();
    let waits: Vec<Wait> = model
        .eval_order
        .iter()
        .filter_map(|&m| Wait::of(input, m))
        .collect();
    if !waits.is_empty() {
        legend.push((
            "waiting for a timetabled departure: from the median time at its stop to the median departure taken (its note: over the trials that reach the stop)".to_owned(),
            WAIT,
        ));
    }
    let mut notes = vec![
        "Each shape: when the trials that reach that milestone reach it (taller = more of them); black mark: their median (P50 over the trials that reach it, as in the console); a deadline is drawn on the row of the milestone it applies to.".to_owned(),
    ];
    notes.extend(super::cdf::relative_deadline_notes(
        model,
        &input.results.deadlines,
    ));
    let area = titled(
        &root,
        &mut layout,
        &Header {
            title: "The journey, milestone by milestone",
            subtitle: &input.subtitle(),
            legend: &legend,
            notes: &notes,
        },
    )?;
    let rows: Vec<usize> = model
        .eval_order
        .iter()
        .copied()
        .filter(|&m| input.results.milestones[m].times.is_some())
        .collect();
    if rows.is_empty() {
        return no_data(&area, &mut layout, "No milestone is reached in any trial.")
            .map(|()| Frame::default());
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
    for at in model.deadlines.iter().filter_map(|d| d.instant()) {
        let at = at as f64;
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
    let label_room = widest_label(&area, &names).min(super::WIDTH / 3);
    let mut chart = ChartBuilder::on(&area)
        .margin_left(30)
        .margin_right(60)
        .margin_bottom(20)
        .x_label_area_size(70)
        .y_label_area_size(label_room + 30)
        .build_cartesian_2d(axis.lo..axis.hi, -0.6..k as f64 - 0.4)?;
    // Row 0 (the first milestone) is drawn at the top.
    let y_of = |row: usize| (k - 1 - row) as f64;
    let mut mesh = chart.configure_mesh();
    house_mesh(&mut mesh, 19.0, 22.0, 230)
        .x_labels(0)
        .disable_x_mesh()
        .y_labels(0)
        .disable_y_mesh()
        .x_desc(super::axis_desc(&root, &axis.title()))
        .draw()?;
    axis.draw_grid(&mut chart, -0.6, k as f64 - 0.4)?;
    axis.draw_labels(&root, &mut layout, &chart, -0.6)?;
    row_labels(&root, &mut layout, &chart, axis.lo, &names)?;
    let plot = plot_box(&chart);

    let colour = series_colour(0);
    let mut row_ends = Vec::new();
    // Each wait band under its row's violin, so arrivals are drawn over it where they overlap.
    let row_of = |m: usize| rows.iter().position(|&r| r == m);
    let mut bands = Vec::new();
    for wait in &waits {
        let Some(row) = row_of(wait.milestone) else {
            continue;
        };
        // A median wait too short to show as a band still gets its note, at the departure.
        let to = wait.departs.clamp(axis.lo, axis.hi);
        let from = wait.ready.clamp(axis.lo, to);
        let y = y_of(row);
        let corners = [(from, y - WAIT_HALF_HEIGHT), (to, y + WAIT_HALF_HEIGHT)];
        if from < to {
            chart.draw_series([Rectangle::new(corners, WAIT.filled())])?;
            chart.draw_series([Rectangle::new(corners, colour.stroke_width(1))])?;
        }
        let (left, top) = chart.backend_coord(&corners[0]);
        let (right, bottom) = chart.backend_coord(&corners[1]);
        let band = super::Rect::new(left, bottom.min(top), right + 1, bottom.max(top) + 1);
        layout.block(band);
        bands.push((wait, band));
    }
    for (row, &m) in rows.iter().enumerate() {
        let Some(s) = stats(m) else { continue };
        let y = y_of(row);
        let faded = input.results.milestones[m].reached.fraction < 1.0;
        let fill = if faded {
            colour.mix(0.55)
        } else {
            colour.mix(1.0)
        };
        // One shape per run of columns with arrivals, so a gap between two modes stays empty.
        let density = density(&input.tally.milestones[m], axis.lo, axis.hi);
        for run in density.split(|&(_, h)| h <= 0.0).filter(|r| !r.is_empty()) {
            let upper = run.iter().map(|&(t, h)| (t, y + h.max(0.02)));
            let lower = run.iter().rev().map(|&(t, h)| (t, y - h.max(0.02)));
            chart.draw_series([Polygon::new(
                upper.chain(lower).collect::<Vec<_>>(),
                fill.filled(),
            )])?;
        }
        let median = s.quantiles[3];
        chart.draw_series([PathElement::new(
            vec![(median, y - 0.36), (median, y + 0.36)],
            BLACK.stroke_width(4),
        )])?;
        // The shape's ends, where a note on the row can sit beside it.
        let drawn = || density.iter().filter(|c| c.1 > 0.0).map(|c| c.0);
        let first = drawn().fold(s.quantiles[0], f64::min);
        let last = drawn().fold(s.quantiles[6], f64::max);
        let half_column = (axis.hi - axis.lo) / COLUMNS as f64 / 2.0;
        let (left, _) = chart.backend_coord(&(first - half_column, y));
        let (right, py) = chart.backend_coord(&(last + half_column, y));
        // The shape and its median mark are taken, column by column, so no label covers them.
        for &(t, h) in density.iter().filter(|c| c.1 > 0.0) {
            let (a, top) = chart.backend_coord(&(t - half_column, y + h.max(0.02)));
            let (b, bottom) = chart.backend_coord(&(t + half_column, y - h.max(0.02)));
            layout.block(super::Rect::new(a, top, b.max(a + 1), bottom.max(top + 1)));
        }
        let (mx, top) = chart.backend_coord(&(median, y + 0.36));
        let (_, bottom) = chart.backend_coord(&(median, y - 0.36));
        layout.block(super::Rect::new(mx - 2, top, mx + 3, bottom));
        row_ends.push((m, left, right, py));
    }
    // Each deadline across its own milestone's row only.
    let style = TextStyle::from((FONT, 20, FontStyle::Bold).into_font()).color(&DEADLINE);
    let mut unplaced = Vec::new();
    let mut labels = Vec::new();
    for (k, &(d, at)) in on_axis.iter().enumerate() {
        let deadline = &model.deadlines[d];
        let Some(row) = row_of(deadline.milestone) else {
            continue;
        };
        if at < axis.lo || at > axis.hi {
            continue;
        }
        let y = y_of(row);
        chart.draw_series([PathElement::new(
            vec![(at, y - 0.48), (at, y + 0.48)],
            DEADLINE.stroke_width(3),
        )])?;
        let (x, top) = chart.backend_coord(&(at, y + 0.48));
        let (_, bottom) = chart.backend_coord(&(at, y - 0.48));
        layout.block_vertical(x, top, bottom);
        let p = input.results.deadlines[d].made.fraction;
        let text = tags.on_plot(k, &short_percent(p));
        labels.push((text, (x, top)));
    }
    for (text, point) in labels {
        if layout
            .place_near(&root, &text, &style, point, plot, DEADLINE)?
            .is_none()
        {
            unplaced.push((text, style.clone()));
        }
    }
    let note_style = TextStyle::from((FONT, 19).into_font()).color(&MUTED);
    for &(m, left, right, py) in &row_ends {
        let reached = input.results.milestones[m].reached.fraction;
        if reached >= 1.0 {
            continue;
        }
        let note = format!("reached in {} of trials", short_percent(reached));
        let (w, h) = Layout::measure(&root, &note, &note_style)?;
        let (w, h) = (w as i32, h as i32);
        let beside = [(right + 14, py - h / 2), (left - 14 - w, py - h / 2)];
        if layout
            .place(&root, &note, &note_style, beside, true)?
            .is_none()
            && layout
                .place_near(&root, &note, &note_style, (right, py), plot, MUTED)?
                .is_none()
        {
            unplaced.push((note, note_style.clone()));
        }
    }
    // Each wait band's note on its own row: beside the band, else beside the violin; only when
    // the row has no room is it put nearby with a leader line back to the band.
    for (wait, band) in bands {
        let lines = wait.note(input);
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        let Some(&(_, left, right, py)) = row_ends.iter().find(|e| e.0 == wait.milestone) else {
            continue;
        };
        let (w, h) = Layout::measure_lines(&root, &lines, &note_style)?;
        let (w, h) = (w as i32, h as i32);
        let top = py - h / 2;
        let beside = [
            (band.left - 14 - w, top),
            (band.right + 14, top),
            (right + 14, top),
            (left - 14 - w, top),
        ];
        // Under or over the band only while the note stays inside its own row.
        let row_band = {
            let y = y_of(row_of(wait.milestone).unwrap_or(0));
            let row_top = chart.backend_coord(&(axis.lo, y + 0.5)).1;
            let row_bottom = chart.backend_coord(&(axis.lo, y - 0.5)).1;
            super::Rect::new(plot.left, row_top, plot.right, row_bottom)
        };
        let centred = ((band.left + band.right) / 2 - w / 2).clamp(plot.left, plot.right - w);
        let around = [(centred, band.bottom + 12), (centred, band.top - 12 - h)];
        if layout
            .place_lines(&root, &lines, &note_style, beside, plot, true)?
            .is_some()
            || layout
                .place_lines(&root, &lines, &note_style, around, row_band, true)?
                .is_some()
        {
            continue;
        }
        let joined = lines.join(" · ");
        let point = ((band.left + band.right) / 2, band.top);
        if layout
            .place_near(&root, &joined, &note_style, point, plot, MUTED)?
            .is_none()
        {
            unplaced.push((joined, note_style.clone()));
        }
    }
    super::cdf::overflow(&root, &mut layout, plot, &unplaced)?;
    Ok(frame(&chart, axis.lo, axis.hi))
}

/// The timetabled step that reaches milestone `m` directly (the one most trials reached, if
/// several do).
pub(super) fn timetable_into<'a>(
    input: &'a ChartInput,
    m: usize,
) -> Option<&'a crate::analysis::TimetableResult> {
    input
        .results
        .timetables
        .iter()
        .filter(|t| input.model.steps[t.step].to == m)
        .max_by_key(|t| t.ready)
}

/// The wait for the departure of the timetabled step into a milestone, as its row shows it.
struct Wait<'a> {
    milestone: usize,
    result: &'a crate::analysis::TimetableResult,
    /// The median time the step's stop (its `from` milestone) is reached, epoch seconds.
    ready: f64,
    /// The median departure taken, epoch seconds.
    departs: f64,
    /// The median wait and its 95% interval, seconds.
    median: (f64, (f64, f64)),
}

impl<'a> Wait<'a> {
    /// None when no trial left on the step (there is no wait to show).
    fn of(input: &'a ChartInput, m: usize) -> Option<Wait<'a>> {
        let result = timetable_into(input, m)?;
        let from = input.model.steps[result.step].from;
        let wait = result.wait?;
        Some(Wait {
            milestone: m,
            result,
            ready: input.results.milestones[from].times?.median(),
            departs: result.median_departure?,
            median: (wait.median(), wait.quantiles_ci95[3]),
        })
    }

    /// Three lines: what is waited for, the median wait with its interval, and the share that
    /// missed the departure they aimed at with its interval, both over the trials that reached
    /// the step.
    fn note(&self, input: &ChartInput) -> [String; 3] {
        let step = &input.model.steps[self.result.step];
        let name = input.model.step_name(self.result.step);
        let (median, ci) = self.median;
        let wait = format!(
            "median wait {}",
            crate::format::duration_with_ci(median, ci)
        );
        let aimed = match step.timetable.as_ref().and_then(|t| t.booked) {
            Some(at) => format!("the booked {}", crate::time::local_short(at, input.zone)),
            None => "the first departure they could board".to_owned(),
        };
        [
            format!("waiting for: {name}"),
            wait,
            format!(
                "{} miss {aimed}",
                super::short_percent_with_ci(&self.result.missed_aim)
            ),
        ]
    }
}

/// The violin's half-height at [`COLUMNS`] instants across `[lo, hi]`: the share of arrivals in
/// each column (smoothed over three columns), scaled so the tallest column is [`HALF_HEIGHT`].
fn density(hist: &TimeHistogram, lo: f64, hi: f64) -> Vec<(f64, f64)> {
    let width = (hi - lo) / COLUMNS as f64;
    let counts: Vec<f64> = (0..COLUMNS)
        .map(|i| {
            let a = lo + i as f64 * width;
            hist.count_at_or_before(a + width) - hist.count_at_or_before(a)
        })
        .collect();
    let smooth: Vec<f64> = (0..COLUMNS)
        .map(|i| {
            let from = i.saturating_sub(1);
            let to = (i + 1).min(COLUMNS - 1);
            counts[from..=to].iter().sum::<f64>() / (to - from + 1) as f64
        })
        .collect();
    let peak = smooth.iter().copied().fold(0.0, f64::max).max(1e-12);
    smooth
        .iter()
        .enumerate()
        .map(|(i, c)| (lo + (i as f64 + 0.5) * width, HALF_HEIGHT * c / peak))
        .collect()
}
