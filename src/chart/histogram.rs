//! `arrival-histogram`: when the milestone is reached, stacked by route, with deadlines marked
//! and the late side shaded; a milestone reached straight off a timetable has the departures its
//! trials took ticked on the time axis, so the arrivals are seen bunching behind them.

use super::ChartError;
use super::{
    ChartInput, ChartResult, DEADLINE, FONT, Frame, Header, INK, Layout, MUTED, Rect, TimeAxis,
    frame, house_mesh, plot_box, series_colour, short_percent, titled,
};
use crate::model::Zone;
use crate::stats::TimeHistogram;
use crate::time::{clock, local_short};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

/// The plotted time range: the central 99.6% of arrivals, stretched to show nearby marks
/// (deadlines, departures): those within one span of the arrivals.
pub fn time_range(total: &TimeHistogram, marks: &[f64]) -> Option<(f64, f64)> {
    let (mut lo, mut hi) = (total.quantile(0.002)?, total.quantile(0.998)?);
    let span = (hi - lo).max(3600.0);
    for &d in marks {
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
    // Shares of all trials: by weight in a run conditioned on observations.
    let n = input.tally.weight.sum as f64;
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
    // A milestone reached straight off a timetable arrives in clusters behind its departures:
    // they are ticked on the axis when all of them are near enough to stretch it (as a deadline
    // is), else listed in a note, never split between the two.
    let timetable = super::milestones::timetable_into(input, m);
    let departures = timetable.map_or(&[][..], |t| t.departures.as_slice());
    let stretches = |at: f64| time_range(total, &[at]).is_some_and(|(lo, hi)| at >= lo && at <= hi);
    let on_axis = departures.iter().all(|&(at, _)| stretches(at));
    let marks: Vec<f64> = deadlines
        .iter()
        .map(|&(_, at)| at)
        .chain(departures.iter().filter(|_| on_axis).map(|&(at, _)| at))
        .collect();
    let range = time_range(total, &marks);
    let (ticked, off_axis): (Vec<_>, Vec<_>) =
        departures.iter().partition(|_| on_axis && range.is_some());
    // A departure at the edge of the range is moved in from the axis's end, clear of it.
    let (lo, hi) = range.map_or((0.0, 3600.0), |(lo, hi)| {
        let margin = 0.03 * (hi - lo);
        ticked.iter().fold((lo, hi), |(lo, hi), &&(at, _)| {
            (lo.min(at - margin), hi.max(at + margin))
        })
    });
    let axis = TimeAxis::new(lo, hi, input.zone, 9);
    // Departures read as clock times when they all fall on one local day, else with the day.
    let day_of = |at: f64| {
        let text = local_short(at, input.zone);
        text.rsplit_once(' ').map(|(day, _)| day.to_owned())
    };
    let one_day = axis.hi - axis.lo < 86_400.0
        && ticked
            .iter()
            .all(|d| day_of(d.0) == ticked.first().and_then(|f| day_of(f.0)));
    let departure_text = |&(at, ref share): &(f64, crate::analysis::Share), clock: bool| {
        let text = local_short(at, input.zone);
        let when = match text.rsplit_once(' ') {
            Some((_, time)) if clock => time,
            _ => &text,
        };
        format!("{when} · {}", super::short_percent_with_ci(share))
    };
    if !off_axis.is_empty() {
        let name = timetable
            .and_then(|t| model.steps[t.step].label.as_deref())
            .unwrap_or("the timetabled step");
        notes.push(format!(
            "Departures of \"{name}\" taken, too far from these arrivals to tick on the axis, as shares of the trials that reach that step [95% interval]:"
        ));
        let listed = most_taken(&off_axis);
        let more = off_axis.len() - listed.len();
        let mut list: Vec<String> = listed.iter().map(|d| departure_text(d, false)).collect();
        if more > 0 {
            list.push(format!("{more} more"));
        }
        notes.push(list.join("; "));
    }
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
    let mut legend: Vec<(String, RGBColor)> = legend.into_iter().chain(tags.key()).collect();
    if !ticked.is_empty() {
        legend.push((
            "departure taken (tick on the time axis; labelled: share of the trials that reach the timetabled step, 95% interval)".to_owned(),
            INK,
        ));
    }
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
    // Each departure taken as a tick up from the time axis, over the bars; the most taken
    // labelled with their local time and share.
    let tick_top = plot.bottom - DEPARTURE_TICK;
    for &(at, _) in &ticked {
        let x = chart.backend_coord(&(*at, 0.0)).0;
        root.draw(&PathElement::new(
            vec![(x, plot.bottom), (x, tick_top)],
            INK.stroke_width(4),
        ))?;
        layout.block(Rect::new(x - 2, tick_top, x + 3, plot.bottom));
    }
    let mut unplaced = Vec::new();
    let departure_style = TextStyle::from((FONT, 19).into_font()).color(&INK);
    for departure in most_taken(&ticked) {
        let text = format!("departs {}", departure_text(departure, one_day));
        let x = chart.backend_coord(&(departure.0, 0.0)).0;
        if layout
            .place_near(&root, &text, &departure_style, (x, tick_top), plot, INK)?
            .is_none()
        {
            unplaced.push((text, departure_style.clone()));
        }
    }
    let style = TextStyle::from((FONT, 21, FontStyle::Bold).into_font()).color(&DEADLINE);
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

/// How many departures (the most taken) are labelled with their time and share.
const DEPARTURES_LABELLED: usize = 3;
/// How far a departure's tick reaches up from the time axis, in pixels.
const DEPARTURE_TICK: i32 = 26;

/// The [`DEPARTURES_LABELLED`] departures most taken, in time order.
fn most_taken<'a>(
    departures: &[&'a (f64, crate::analysis::Share)],
) -> Vec<&'a (f64, crate::analysis::Share)> {
    let mut most = departures.to_vec();
    most.sort_by(|a, b| b.1.fraction.total_cmp(&a.1.fraction));
    most.truncate(DEPARTURES_LABELLED);
    most.sort_by(|a, b| a.0.total_cmp(&b.0));
    most
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
/// Freedman-Diaconis width (2 IQR / n^(1/3), n the effective number of trials), kept between [`BINS`] bins across the axis, then
/// rounded up to the next of [`BIN_MINUTES`].
pub fn bin_minutes(hist: &TimeHistogram, span: f64) -> f64 {
    // The effective number of trials: the count itself unless weighted.
    let n = hist.effective();
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
