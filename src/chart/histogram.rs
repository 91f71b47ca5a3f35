//! `arrival-histogram`: when the milestone is reached, stacked by route, with deadlines marked
//! and the late side shaded.

use super::ChartError;
use super::{
    ChartInput, ChartResult, DEADLINE, FONT, Frame, MUTED, PALETTE, TimeAxis, boxed_text, frame,
    header_legend, house_mesh, note_top_right, short_percent, titled,
};
use crate::stats::TimeHistogram;
use crate::time::local_short;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

/// Bin widths to choose from, in minutes.
const BIN_MINUTES: [f64; 12] = [
    1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 180.0, 360.0, 720.0, 1440.0,
];

/// The plotted time range: the central 99.6% of arrivals, stretched to show nearby deadlines.
pub fn time_range(total: &TimeHistogram, deadlines: &[f64]) -> Option<(f64, f64)> {
    let (mut lo, mut hi) = (total.quantile(0.002)?, total.quantile(0.998)?);
    let span = (hi - lo).max(3600.0);
    for &d in deadlines {
        if d > lo - span && d < hi + span {
            lo = lo.min(d);
            hi = hi.max(d);
        }
    }
    Some((lo, hi))
}

pub fn draw<DB: DrawingBackend>(input: &ChartInput, root: DrawingArea<DB, Shift>) -> ChartResult {
    let model = input.model;
    let m = input.milestone;
    let milestone = &model.milestones[m];
    let reached = input.results.milestones[m].reached.fraction;
    let area = titled(
        &root,
        &format!("When is \"{}\" reached?", milestone.label),
        &input.subtitle(),
    )?;
    let total = &input.tally.milestones[m];
    let deadlines: Vec<_> = model
        .deadlines
        .iter()
        .enumerate()
        .filter(|(_, d)| d.milestone == m)
        .collect();
    let deadline_times: Vec<f64> = deadlines.iter().map(|(_, d)| d.at as f64).collect();
    let Some((lo, hi)) = time_range(total, &deadline_times) else {
        return no_data(&area, "This milestone is never reached in any trial.")
            .map(|()| Frame::default());
    };
    let axis = TimeAxis::new(lo, hi, input.zone, 9);
    let width_minutes = BIN_MINUTES
        .iter()
        .copied()
        .find(|w| (axis.hi - axis.lo) / (w * 60.0) <= 90.0)
        .unwrap_or(1440.0);
    let width = width_minutes * 60.0;
    let first_edge = (axis.lo / width).floor() * width;
    let edges: Vec<f64> = (0..)
        .map(|k| first_edge + k as f64 * width)
        .take_while(|&e| e < axis.hi + width)
        .collect();
    let n = input.results.trials as f64;
    // Stacked by route when the run counted this milestone route by route; one bar otherwise.
    let routes = input
        .tally
        .arrivals_by_route(m)
        .unwrap_or(std::slice::from_ref(total));
    // shares[r][b]: share of all trials on route r arriving in bin b, in percent.
    let shares: Vec<Vec<f64>> = routes
        .iter()
        .map(|h| {
            edges
                .windows(2)
                .map(|w| 100.0 * (h.count_at_or_before(w[1]) - h.count_at_or_before(w[0])) / n)
                .collect()
        })
        .collect();
    let bins = edges.len().saturating_sub(1);
    let tallest = (0..bins)
        .map(|b| shares.iter().map(|s| s[b]).sum::<f64>())
        .fold(0.0, f64::max);
    let y_max = (tallest * 1.22).max(1e-9);

    let mut chart = super::house_plot(&area).build_cartesian_2d(axis.lo..axis.hi, 0.0..y_max)?;
    let mut mesh = chart.configure_mesh();
    house_mesh(&mut mesh, 19.0, 22.0, 225)
        .x_labels(0)
        .disable_x_mesh()
        .y_label_formatter(&|y| format!("{y:.1}%"))
        .x_desc(axis.title())
        .y_desc(format!(
            "share of all trials per {}",
            bin_name(width_minutes)
        ))
        .draw()?;
    axis.draw_grid(&mut chart, 0.0, y_max)?;
    axis.draw_labels(&root, &chart, 0.0)?;

    // The late side of the first deadline, shaded so late trials stand apart.
    if let Some(&(_, first)) = deadlines.first() {
        let at = first.at as f64;
        if at < axis.hi {
            chart.draw_series([Rectangle::new(
                [(at.max(axis.lo), 0.0), (axis.hi, y_max)],
                DEADLINE.mix(0.07).filled(),
            )])?;
            let x = chart.backend_coord(&(axis.hi, y_max * 0.9)).0 - 12;
            let y = chart.backend_coord(&(axis.hi, y_max * 0.97)).1;
            root.draw(&Text::new(
                "late".to_owned(),
                (x, y),
                (FONT, 22, FontStyle::Bold)
                    .into_font()
                    .color(&DEADLINE)
                    .pos(plotters::style::text_anchor::Pos::new(
                        plotters::style::text_anchor::HPos::Right,
                        plotters::style::text_anchor::VPos::Top,
                    )),
            ))?;
        }
    }

    let late_from = deadlines
        .first()
        .map_or(f64::INFINITY, |(_, d)| d.at as f64);
    let several = routes.len() > 1;
    let mut legend = Vec::new();
    for r in 0..routes.len() {
        let colour = PALETTE[r % PALETTE.len()];
        let bars = (0..bins).filter(|&b| shares[r][b] > 0.0).map(|b| {
            let below: f64 = shares[..r].iter().map(|s| s[b]).sum();
            // Late bins are drawn paler, so late trials stand apart from on-time ones.
            let fill = if edges[b] >= late_from {
                colour.mix(0.45)
            } else {
                colour.mix(1.0)
            };
            Rectangle::new(
                [(edges[b], below), (edges[b + 1], below + shares[r][b])],
                fill.filled(),
            )
        });
        chart.draw_series(bars)?;
        if several && routes[r].count() > 0 {
            let name = &model.routes[r].name;
            let share = input.results.routes[r].fraction;
            legend.push((
                format!("route {name} ({} of trials)", short_percent(share)),
                colour,
            ));
        }
    }
    header_legend(&root, &legend)?;

    for (k, (d, deadline)) in deadlines.iter().enumerate() {
        let at = deadline.at as f64;
        if at < axis.lo || at > axis.hi {
            continue;
        }
        chart.draw_series([PathElement::new(
            vec![(at, 0.0), (at, y_max)],
            DEADLINE.stroke_width(3),
        )])?;
        let p = input.results.deadlines[*d].made.fraction;
        let text = format!(
            "{} · {} · P(on time) {}",
            deadline.label,
            local_short(at, input.zone),
            short_percent(p)
        );
        let (x, y) = chart.backend_coord(&(at, y_max));
        let style = TextStyle::from((FONT, 21, FontStyle::Bold).into_font()).color(&DEADLINE);
        let (w, _) = area.estimate_text_size(&text, &style)?;
        // Put the label on the side of the line with room for it.
        let right_edge = chart.backend_coord(&(axis.hi, 0.0)).0;
        let left = if x + 10 + w as i32 <= right_edge {
            x + 10
        } else {
            x - 10 - w as i32
        };
        boxed_text(&root, &text, (left, y + 8 + 30 * k as i32), &style)?;
    }
    let unreached = 1.0 - reached;
    if unreached > 0.0 {
        let note = format!(
            "{} of trials never reach \"{}\" (their route goes elsewhere) and are not in the bars.",
            short_percent(unreached),
            milestone.label
        );
        note_top_right(&root, &note)?;
    }
    Ok(frame(&chart, axis.lo, axis.hi))
}

/// "15 minutes", "hour", "2 hours", "day": how the y axis names a bin.
fn bin_name(minutes: f64) -> String {
    match minutes as i64 {
        60 => "hour".to_owned(),
        1440 => "day".to_owned(),
        m if m > 60 && m % 60 == 0 => format!("{} hours", m / 60),
        1 => "minute".to_owned(),
        m => format!("{m} minutes"),
    }
}

pub fn no_data<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
) -> Result<(), ChartError> {
    area.draw(&Text::new(
        text.to_owned(),
        (60, 120),
        (FONT, 26).into_font().color(&MUTED),
    ))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_stretches_to_a_nearby_deadline() {
        let mut h = TimeHistogram::new(0);
        for i in 0..1000 {
            h.add(10_000.0 + i as f64 * 36.0);
        }
        let (lo, hi) = time_range(&h, &[60_000.0]).unwrap();
        assert!(lo < 10_200.0 && hi == 60_000.0);
        let (_, hi) = time_range(&h, &[10_000_000.0]).unwrap();
        assert!(hi < 50_000.0, "a far deadline is not in the range");
    }
}
