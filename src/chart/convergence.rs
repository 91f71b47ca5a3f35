//! `convergence`: each deadline probability and the final milestone's median against the number
//! of trials (log scale), with their 95% bands, so a reader sees whether the run was long enough.

use super::ChartError;
use super::{
    ChartInput, DEADLINE, FONT, Frame, Header, INK, Layout, PALETTE, house_mesh, series_colour,
    titled,
};
use crate::time::local_short;
use plotters::coord::Shift;
use plotters::prelude::*;

pub fn draw<DB: DrawingBackend>(
    input: &ChartInput,
    root: DrawingArea<DB, Shift>,
) -> Result<Frame, ChartError> {
    let colour = |d: usize| {
        if d == 0 {
            DEADLINE
        } else {
            series_colour(d + 1)
        }
    };
    let final_label = &input.model.milestones[input.model.final_milestone()].label;
    let mut legend: Vec<(String, RGBColor)> = input
        .model
        .deadlines
        .iter()
        .enumerate()
        .map(|(d, deadline)| (format!("P({})", deadline.label), colour(d)))
        .collect();
    legend.push((format!("median arrival at \"{final_label}\""), PALETTE[0]));
    let notes = ["Lines: the estimate over all trials so far; bands: its 95% interval; each point adds a batch of trials (batches double).".to_owned()];
    let mut layout = Layout::new();
    let area = titled(
        &root,
        &mut layout,
        &Header {
            title: "Has the estimate settled?",
            subtitle: &input.subtitle(),
            legend: &legend,
            notes: &notes,
        },
    )?;
    let trace = &input.tally.trace;
    let (Some(first), Some(last)) = (trace.first(), trace.last()) else {
        return Ok(Frame::default());
    };
    let x_range = (first.trials.max(1) as f64)..(last.trials.max(2) as f64 * 1.05);
    let (top, bottom) = area.split_vertically(area.dim_in_pixel().1 / 2);
    let caption = (FONT, 21).into_font().color(&INK);
    let (p_lo, p_hi) = trace
        .iter()
        .flat_map(|c| c.deadlines.iter().map(|(_, (lo, hi))| (*lo, *hi)))
        .fold((1.0f64, 0.0f64), |(a, b), (lo, hi)| (a.min(lo), b.max(hi)));
    let (p_lo, p_hi) = if p_lo <= p_hi {
        ((p_lo - 0.02).max(0.0), (p_hi + 0.02).min(1.0))
    } else {
        (0.0, 1.0)
    };
    let mut chart = ChartBuilder::on(&top)
        .caption("probability of each deadline (key above)", caption.clone())
        .margin_left(30)
        .margin_right(50)
        .x_label_area_size(40)
        .y_label_area_size(150)
        .build_cartesian_2d(x_range.clone().log_scale(), p_lo..p_hi)?;
    let mut mesh = chart.configure_mesh();
    house_mesh(&mut mesh, 18.0, 20.0, 225)
        .x_labels(8)
        .x_label_formatter(&|x| crate::format::thousands(*x as u64))
        .y_labels(6)
        .y_label_formatter(&|y| format!("{:.1}%", y * 100.0))
        .y_desc("P(on time)")
        .draw()?;
    for d in 0..input.model.deadlines.len() {
        let colour = colour(d);
        let points: Vec<(f64, f64, f64, f64)> = trace
            .iter()
            .filter_map(|c| {
                c.deadlines
                    .get(d)
                    .map(|(p, (lo, hi))| (c.trials as f64, *p, *lo, *hi))
            })
            .collect();
        let band: Vec<(f64, f64)> = points
            .iter()
            .map(|p| (p.0, p.3))
            .chain(points.iter().rev().map(|p| (p.0, p.2)))
            .collect();
        chart.draw_series([Polygon::new(band, colour.mix(0.2).filled())])?;
        chart.draw_series(LineSeries::new(
            points.iter().map(|p| (p.0, p.1)),
            colour.stroke_width(3),
        ))?;
    }

    let medians: Vec<(f64, f64, f64, f64)> = trace
        .iter()
        .filter_map(|c| c.median.map(|(m, (lo, hi))| (c.trials as f64, m, lo, hi)))
        .collect();
    if !medians.is_empty() {
        let lo = medians.iter().map(|m| m.2).fold(f64::INFINITY, f64::min);
        let hi = medians
            .iter()
            .map(|m| m.3)
            .fold(f64::NEG_INFINITY, f64::max);
        let pad = ((hi - lo) * 0.1).max(300.0);
        let zone = input.zone;
        // Plotted in hours after a whole hour, so the ticks plotters picks (1, 2 or 5 times a
        // power of ten) fall on round clock times rather than on round numbers of seconds.
        let origin = ((lo - pad) / 3600.0).floor() * 3600.0;
        let hours = move |t: f64| (t - origin) / 3600.0;
        let y_fmt = move |h: &f64| {
            local_short(origin + h * 3600.0, zone)
                .get(4..)
                .unwrap_or("")
                .to_owned()
        };
        let medians: Vec<(f64, f64, f64, f64)> = medians
            .iter()
            .map(|&(n, m, lo, hi)| (n, hours(m), hours(lo), hours(hi)))
            .collect();
        let (lo, hi, pad) = (hours(lo), hours(hi), pad / 3600.0);
        let mut chart = ChartBuilder::on(&bottom)
            .caption(
                super::axis_desc(
                    &root,
                    &format!("median arrival at \"{final_label}\" (over the trials that reach it)"),
                ),
                caption,
            )
            .margin_left(30)
            .margin_right(50)
            .margin_top(10)
            .x_label_area_size(60)
            .y_label_area_size(150)
            .build_cartesian_2d(x_range.clone().log_scale(), (lo - pad)..(hi + pad))?;
        let mut mesh = chart.configure_mesh();
        house_mesh(&mut mesh, 18.0, 20.0, 225)
            .x_labels(8)
            .x_label_formatter(&|x| crate::format::thousands(*x as u64))
            .y_labels(6)
            .y_label_formatter(&y_fmt)
            .x_desc("trials (log scale)")
            .y_desc(format!("median, {}", zone.name))
            .draw()?;
        let band: Vec<(f64, f64)> = medians
            .iter()
            .map(|p| (p.0, p.3))
            .chain(medians.iter().rev().map(|p| (p.0, p.2)))
            .collect();
        chart.draw_series([Polygon::new(band, PALETTE[0].mix(0.2).filled())])?;
        chart.draw_series(LineSeries::new(
            medians.iter().map(|p| (p.0, p.1)),
            PALETTE[0].stroke_width(3),
        ))?;
    }
    Ok(Frame::default())
}
