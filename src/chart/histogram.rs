//! `arrival-histogram`: when the milestone is reached, stacked by route, with deadlines marked
//! and the late side shaded.

use super::ChartError;
use super::{
    ChartInput, ChartResult, DEADLINE, FONT, Frame, Header, Layout, MUTED, Rect, TimeAxis, frame,
    house_mesh, plot_box, series_colour, short_percent, titled,
};
use crate::model::Zone;
use crate::stats::TimeHistogram;
use crate::time::{clock, local_short};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

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
    let total = &input.tally.milestones[m];
    let n = input.results.trials as f64;
    // Stacked by route when the run counted this milestone route by route; one bar otherwise.
    let routes = input
        .tally
        .arrivals_by_route(m)
        .unwrap_or(std::slice::from_ref(total));
    let several = routes.len() > 1;
    let legend: Vec<(String, RGBColor)> = (0..routes.len())
        .filter(|&r| several && routes[r].count() > 0)
        .map(|r| {
            let route = &model.routes[r];
            let name = route.description.as_deref().unwrap_or(&route.name);
            let share = short_percent(input.results.routes[r].fraction);
            (format!("{name} ({share} of all trials)"), series_colour(r))
        })
        .collect();
    let mut notes = vec![
        "Bar heights are shares of all trials; bars right of the first deadline are paler (late)."
            .to_owned(),
    ];
    if reached < 1.0 {
        notes.push(format!(
            "{} of trials never reach \"{}\" (their route goes elsewhere) and are not in the bars.",
            short_percent(1.0 - reached),
            milestone.label
        ));
    }
    // A milestone reached straight off a timetable arrives in clusters, one per departure.
    if let Some(timetable) = super::milestones::timetable_into(input, m) {
        let mut taken: Vec<&(f64, crate::analysis::Share)> = timetable.departures.iter().collect();
        taken.sort_by(|a, b| b.1.fraction.total_cmp(&a.1.fraction));
        let listed: Vec<String> = taken
            .iter()
            .take(4)
            .map(|(at, share)| {
                format!(
                    "{} ({})",
                    crate::time::local_short(*at, input.zone),
                    short_percent(share.fraction)
                )
            })
            .collect();
        if !listed.is_empty() {
            notes.push(format!(
                "Reached off a timetable; departures taken, as shares of the trials that reach its step: {}.",
                listed.join(", ")
            ));
        }
    }
    // Relative deadlines fall at a different instant per trial: said in a note, not drawn.
    let deadlines: Vec<(usize, f64)> = model
        .deadlines
        .iter()
        .enumerate()
        .filter(|(_, d)| d.milestone == m)
        .filter_map(|(d, deadline)| deadline.instant().map(|at| (d, at as f64)))
        .collect();
    notes.extend(
        super::cdf::relative_deadline_notes(model, &input.results.deadlines)
            .into_iter()
            .zip(model.deadlines.iter().filter(|d| d.instant().is_none()))
            .filter(|(_, d)| d.milestone == m)
            .map(|(note, _)| note),
    );
    let deadline_times: Vec<f64> = deadlines.iter().map(|&(_, at)| at).collect();
    let range = time_range(total, &deadline_times);
    let (lo, hi) = range.unwrap_or((0.0, 3600.0));
    let axis = TimeAxis::new(lo, hi, input.zone, 9);
    let shown: Vec<(usize, f64)> = deadlines
        .iter()
        .copied()
        .filter(|&(_, at)| range.is_some() && at >= axis.lo && at <= axis.hi)
        .collect();
    let texts: Vec<String> = shown
        .iter()
        .map(|&(d, at)| {
            format!(
                "{} · {} · P(on time) {}",
                model.deadlines[d].label,
                local_short(at, input.zone),
                short_percent(input.results.deadlines[d].made.fraction)
            )
        })
        .collect();
    let tags = super::cdf::DeadlineTags::new(&texts);
    let legend: Vec<(String, RGBColor)> = legend.into_iter().chain(tags.key()).collect();
    let mut layout = Layout::new();
    let area = titled(
        &root,
        &mut layout,
        &Header {
            title: &format!("When is \"{}\" reached?", milestone.label),
            subtitle: &input.subtitle(),
            legend: &legend,
            notes: &notes,
        },
    )?;
    if range.is_none() {
        return no_data(
            &area,
            &mut layout,
            "This milestone is never reached in any trial.",
        )
        .map(|()| Frame::default());
    }
    let width_minutes = bin_minutes(total, axis.hi - axis.lo);
    let edges = bin_edges(axis.lo, axis.hi, width_minutes, input.zone);
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

    let mut chart = super::house_builder(&area).build_cartesian_2d(axis.lo..axis.hi, 0.0..y_max)?;
    let mut mesh = chart.configure_mesh();
    house_mesh(&mut mesh, 19.0, 22.0, 225)
        .x_labels(0)
        .disable_x_mesh()
        .y_label_formatter(&|y| format!("{y:.1}%"))
        .x_desc(super::axis_desc(&root, &axis.title()))
        .y_desc(format!(
            "share of all trials per {}",
            bin_name(width_minutes)
        ))
        .draw()?;
    axis.draw_grid(&mut chart, 0.0, y_max)?;
    axis.draw_labels(&root, &mut layout, &chart, 0.0)?;
    let plot = plot_box(&chart);

    // The late side of the first deadline, shaded so late trials stand apart.
    let late_from = deadlines.first().map_or(f64::INFINITY, |&(_, at)| at);
    if late_from < axis.hi {
        chart.draw_series([Rectangle::new(
            [(late_from.max(axis.lo), 0.0), (axis.hi, y_max)],
            DEADLINE.mix(0.07).filled(),
        )])?;
    }
    for r in 0..routes.len() {
        let colour = series_colour(r);
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
        // The bars are obstacles too: a label goes where no bar is.
        for b in (0..bins).filter(|&b| shares[r][b] > 0.0) {
            let top: f64 = shares[..=r].iter().map(|s| s[b]).sum();
            let (left, y) = chart.backend_coord(&(edges[b], top));
            let right = chart.backend_coord(&(edges[b + 1], 0.0)).0;
            layout.block(Rect::new(left, y, right.max(left + 1), plot.bottom));
        }
    }
    for &(_, at) in &shown {
        chart.draw_series([PathElement::new(
            vec![(at, 0.0), (at, y_max)],
            DEADLINE.stroke_width(3),
        )])?;
        let x = chart.backend_coord(&(at, 0.0)).0;
        layout.block_vertical(x, plot.top, plot.bottom);
    }
    let style = TextStyle::from((FONT, 21, FontStyle::Bold).into_font()).color(&DEADLINE);
    let mut unplaced = Vec::new();
    for (k, &(d, at)) in shown.iter().enumerate() {
        let p = input.results.deadlines[d].made.fraction;
        let text = tags.on_plot(k, &format!("P(on time) {}", short_percent(p)));
        let (x, y) = chart.backend_coord(&(at, y_max));
        if layout
            .place_near(&root, &text, &style, (x, y + 6), plot, DEADLINE)?
            .is_none()
        {
            unplaced.push((text, style.clone()));
        }
    }
    if late_from < axis.hi {
        let (w, _) = Layout::measure(&root, "late", &style)?;
        let spots: Vec<(i32, i32)> = (0..plot.height() / 10)
            .map(|k| (plot.right - w as i32 - 14, plot.top + 10 + 10 * k))
            .collect();
        layout.place(&root, "late", &style, spots, false)?;
    }
    super::cdf::overflow(&root, &mut layout, plot, &unplaced)?;
    Ok(frame(&chart, axis.lo, axis.hi))
}

/// Bin widths to choose from, in minutes: round clock units up to three hours, then whole
/// local days and a week (a width between three hours and a day would alias with the daily
/// rhythm of departures and draw a day/night saw-tooth).
const BIN_MINUTES: [f64; 14] = [
    1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 60.0, 120.0, 180.0, 1440.0, 2880.0, 10080.0, 40320.0,
];
/// The fewest and most bins a histogram is drawn with.
const BINS: (f64, f64) = (20.0, 120.0);

/// The bin width, in minutes, for arrivals `hist` over an axis `span` seconds wide: the
/// Freedman-Diaconis width (2 IQR / n^(1/3)), kept between [`BINS`] bins across the axis, then
/// rounded up to the next of [`BIN_MINUTES`].
pub fn bin_minutes(hist: &TimeHistogram, span: f64) -> f64 {
    let n = hist.count() as f64;
    let iqr = match (hist.quantile(0.25), hist.quantile(0.75)) {
        (Some(a), Some(b)) => b - a,
        _ => 0.0,
    };
    let freedman_diaconis = 2.0 * iqr / n.max(1.0).cbrt();
    let seconds = freedman_diaconis.clamp(span / BINS.1, span / BINS.0);
    BIN_MINUTES
        .iter()
        .copied()
        .find(|&w| w * 60.0 >= seconds)
        .unwrap_or(BIN_MINUTES[BIN_MINUTES.len() - 1])
}

/// Bin edges covering `[lo, hi]` every `minutes`: on round local clock times, and on local
/// midnights for whole days (so a day's bin is a calendar day, across daylight-saving changes).
pub fn bin_edges(lo: f64, hi: f64, minutes: f64, zone: &Zone) -> Vec<f64> {
    let width = minutes * 60.0;
    let offset = clock::timestamp(lo).map_or(0.0, |ts| zone.tz.to_offset(ts).seconds() as f64);
    if minutes < 1440.0 {
        let first = ((lo + offset) / width).floor() * width - offset;
        return (0..)
            .map(|k| first + k as f64 * width)
            .take_while(|&e| e < hi + width)
            .collect();
    }
    let days = (minutes / 1440.0).round() as i64;
    let Some(start) = clock::timestamp(lo) else {
        return Vec::new();
    };
    let mut day = start.to_zoned_datetime(zone.tz.clone()).date();
    let mut edges = Vec::new();
    for _ in 0..1000 {
        let Ok(midnight) = zone
            .tz
            .to_timestamp(day.to_datetime(jiff::civil::Time::midnight()))
        else {
            break;
        };
        let edge = midnight.as_second() as f64;
        edges.push(edge);
        if edge >= hi {
            break;
        }
        match day.checked_add(jiff::Span::new().days(days)) {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    edges
}

/// "15 minutes", "hour", "2 hours", "day": how the y axis names a bin.
fn bin_name(minutes: f64) -> String {
    match minutes as i64 {
        60 => "hour".to_owned(),
        1440 => "local day".to_owned(),
        10080 => "week".to_owned(),
        m if m >= 2880 && m % 1440 == 0 => format!("{} days", m / 1440),
        m if m > 60 && m % 60 == 0 => format!("{} hours", m / 60),
        1 => "minute".to_owned(),
        m => format!("{m} minutes"),
    }
}

pub fn no_data<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &mut Layout,
    text: &str,
) -> Result<(), ChartError> {
    let style = TextStyle::from((FONT, 26).into_font()).color(&MUTED);
    layout.place(area, text, &style, [(60, 60)], false)?;
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
