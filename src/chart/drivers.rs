//! `drivers`: the sources of randomness that drive the focus, strongest first: bars of the share
//! of the time's variance each explains alone (with its 95% interval), each labelled with its
//! rank correlation and P(on time) low against high.

use super::histogram::no_data;
use super::{
    ChartInput, ChartResult, FONT, Header, INK, Layout, PALETTE, frame, house_mesh, plot_box,
    row_labels, titled, widest_label,
};
use crate::format::published::{RANK_CORRELATION, SHARE, published};
use plotters::coord::Shift;
use plotters::prelude::*;

pub fn draw<DB: DrawingBackend>(input: &ChartInput, root: DrawingArea<DB, Shift>) -> ChartResult {
    let drivers = &input.results.drivers;
    let name = &input.model.milestones[drivers.focus.milestone].label;
    let kept = match drivers.resampled_from {
        Some(from) => format!(
            "kept trials (drawn by weight from the first {})",
            crate::format::thousands(from)
        ),
        None => "kept trials".to_owned(),
    };
    let key = format!(
        "Bars: the share of the time's variance each driver explains alone, over the {} {kept} that reach \"{name}\". Beside each: its rank correlation, then P(on time) in its bottom vs top quarter (or without vs with an event or route) over all {} kept trials.",
        crate::format::thousands(drivers.sample_reached),
        crate::format::thousands(drivers.sample_trials)
    );
    let mut layout = Layout::new();
    let area = titled(
        &root,
        &mut layout,
        &Header {
            title: &format!("What drives when \"{name}\" is reached?"),
            subtitle: &input.subtitle(),
            legend: &[],
            notes: &[key],
        },
    )?;
    let top = drivers.top();
    if top.is_empty() {
        return no_data(
            &area,
            &mut layout,
            "Nothing random reaches this milestone, or too few trials were kept to rank drivers.",
        )
        .map(|()| super::Frame::default());
    }
    let k = top.len();
    // A route's description can run to a sentence: the plot keeps most of the width.
    let labels: Vec<String> = top
        .iter()
        .map(|d| crate::format::truncate(&d.label, 40))
        .collect();
    let mut chart = ChartBuilder::on(&area)
        .margin_left(30)
        .margin_right(60)
        .margin_bottom(20)
        .x_label_area_size(80)
        .y_label_area_size(widest_label(&area, &labels) + 30)
        .build_cartesian_2d(0.0..1.0, -0.6..k as f64 - 0.4)?;
    let mut mesh = chart.configure_mesh();
    house_mesh(&mut mesh, 19.0, 22.0, 230)
        .x_labels(11)
        .x_label_formatter(&|x| format!("{x:.1}"))
        .y_labels(0)
        .disable_y_mesh()
        .x_desc(super::axis_desc(
            &root,
            &format!(
                "share of the variance of the time \"{name}\" is reached that the driver explains alone"
            ),
        ))
        .draw()?;
    row_labels(&root, &mut layout, &chart, 0.0, &labels)?;
    let plot = plot_box(&chart);
    for (row, d) in top.iter().enumerate() {
        let y = (k - 1 - row) as f64;
        let share = d.variance_share.map(|e| {
            let p = |x: f64| published(x, SHARE);
            (p(e.value), p(e.ci95.0), p(e.ci95.1))
        });
        let rho = d.rank_correlation.map(|r| published(r, RANK_CORRELATION));
        let colour = if rho.unwrap_or(0.0) >= 0.0 {
            PALETTE[1]
        } else {
            PALETTE[0]
        };
        let bar = share.map_or(0.0, |s| s.0.clamp(0.0, 1.0));
        if let Some((_, lo, hi)) = share {
            chart.draw_series([Rectangle::new(
                [(0.0, y - 0.32), (bar, y + 0.32)],
                colour.filled(),
            )])?;
            let (lo, hi) = (lo.clamp(0.0, 1.0), hi.clamp(0.0, 1.0));
            chart.draw_series([PathElement::new(
                vec![(lo, y), (hi, y)],
                INK.stroke_width(2),
            )])?;
        }
        // Rounded to the two decimals shown first, so no "-0.00".
        let two = |x: f64| (x * 100.0).round() / 100.0 + 0.0;
        let mut text = match (share, rho) {
            (Some((v, lo, hi)), Some(r)) => format!(
                "{:.2} [{:.2}, {:.2}]{} · ρ {r:+.2}",
                two(v),
                two(lo),
                two(hi),
                if lo > 0.0 { "" } else { " could be 0" }
            ),
            _ => "time: n/a".to_owned(),
        };
        if let Some(o) = d.on_time {
            let (low, high) = if d.kind.is_yes_no() {
                ("without", "with")
            } else {
                ("low", "high")
            };
            let points = |x: f64| (x * 100.0).round() + 0.0;
            let (lo, hi) = o.difference.ci95;
            text.push_str(&format!(
                " · on time {low} {:.0}% → {high} {:.0}% ({:+} [{:+}, {:+}] pts{})",
                o.low.fraction * 100.0,
                o.high.fraction * 100.0,
                points(o.difference.value),
                points(lo),
                points(hi),
                if o.difference.excludes_zero() {
                    ""
                } else {
                    ", could be 0"
                }
            ));
        }
        // Beside the interval's end where there is room, else inside the bar: dark ink on the
        // orange (white on orange is too faint to read), white on the blue.
        let end = share.map_or(0.0, |s| s.2.clamp(bar, 1.0));
        let (x, py) = chart.backend_coord(&(end, y));
        let style = TextStyle::from((FONT, 19).into_font()).color(&INK);
        let (w, h) = Layout::measure(&root, &text, &style)?;
        let (w, h) = (w as i32, h as i32);
        let outside = (x + 10, py - h / 2);
        let bar_end = chart.backend_coord(&(bar, y)).0;
        let inside = (
            (bar_end - 10 - w).clamp(plot.left + 4, (plot.right - w - 4).max(plot.left + 4)),
            py - h / 2,
        );
        let inside_style = if rho.unwrap_or(0.0) >= 0.0 {
            style.color(&INK)
        } else {
            style.color(&WHITE)
        };
        let fits_outside = outside.0 + w <= plot.right - 4;
        if !fits_outside
            || layout
                .place(&root, &text, &style, [outside], false)?
                .is_none()
        {
            layout.place(&root, &text, &inside_style, [inside], false)?;
        }
    }
    Ok(frame(&chart, 0.0, 1.0))
}
