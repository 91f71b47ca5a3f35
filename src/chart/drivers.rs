//! `drivers`: a tornado chart of the inputs that drive the outcome's spread: bars of rank
//! correlation, strongest at the top, each labelled with its median swing.

use super::histogram::no_data;
use super::{
    ChartInput, ChartResult, FONT, Header, INK, Layout, PALETTE, frame, house_mesh, plot_box,
    row_labels, titled, widest_label,
};
use crate::format::format_duration;
use crate::format::published::{RANK_CORRELATION, SWING_HOURS, published, published_seconds};
use plotters::coord::Shift;
use plotters::prelude::*;

pub fn draw<DB: DrawingBackend>(input: &ChartInput, root: DrawingArea<DB, Shift>) -> ChartResult {
    let drivers = &input.results.drivers;
    let name = &input.model.milestones[drivers.milestone].label;
    let key = format!(
        "Over the first {} trials that reach \"{name}\". Beside each bar: its rank correlation, then how much later the median arrival (of those trials) is with the input in its top tenth than in its bottom tenth.",
        crate::format::thousands(drivers.sample_reached)
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
            "No input varies, or too few trials reach this milestone to rank inputs.",
        )
        .map(|()| super::Frame::default());
    }
    let k = top.len();
    let labels: Vec<String> = top.iter().map(|d| d.input.clone()).collect();
    let mut chart = ChartBuilder::on(&area)
        .margin_left(30)
        .margin_right(60)
        .margin_bottom(20)
        .x_label_area_size(80)
        .y_label_area_size(widest_label(&area, &labels) + 30)
        .build_cartesian_2d(-1.0..1.0, -0.6..k as f64 - 0.4)?;
    let mut mesh = chart.configure_mesh();
    house_mesh(&mut mesh, 19.0, 22.0, 230)
        .x_labels(11)
        .x_label_formatter(&|x| super::signed_tick(*x, 1))
        .y_labels(0)
        .disable_y_mesh()
        .x_desc(super::axis_desc(
            &root,
            &format!(
                "rank correlation with the time \"{name}\" is reached (+: later when the input is larger)"
            ),
        ))
        .draw()
        ?;
    row_labels(&root, &mut layout, &chart, -1.0, &labels)?;
    let plot = plot_box(&chart);
    chart.draw_series([PathElement::new(
        vec![(0.0, -0.6), (0.0, k as f64 - 0.4)],
        BLACK.stroke_width(2),
    )])?;
    for (row, d) in top.iter().enumerate() {
        let y = (k - 1 - row) as f64;
        let rho = published(d.rank_correlation, RANK_CORRELATION);
        let colour = if rho >= 0.0 { PALETTE[1] } else { PALETTE[0] };
        chart.draw_series([Rectangle::new(
            [(0.0, y - 0.32), (rho, y + 0.32)],
            colour.filled(),
        )])?;
        let swing = published_seconds(d.median_swing, SWING_HOURS);
        let text = format!(
            "{:+.2} · median {}{}",
            rho,
            if swing >= 0.0 { "+" } else { "" },
            format_duration(swing)
        );
        let (x, py) = chart.backend_coord(&(rho, y));
        let style = TextStyle::from((FONT, 19).into_font()).color(&INK);
        let (w, h) = Layout::measure(&root, &text, &style)?;
        let (w, h) = (w as i32, h as i32);
        // Beside the bar's end where there is room, else inside the bar: dark ink on the orange
        // (white on orange is too faint to read), white on the blue.
        let (outside, inside_style) = if rho >= 0.0 {
            ((x + 10, py - h / 2), style.color(&INK))
        } else {
            ((x - 10 - w, py - h / 2), style.color(&WHITE))
        };
        let inside = if rho >= 0.0 {
            (x - 10 - w, py - h / 2)
        } else {
            (x + 10, py - h / 2)
        };
        let fits_outside = outside.0 >= plot.left + 4 && outside.0 + w <= plot.right - 4;
        if !fits_outside
            || layout
                .place(&root, &text, &style, [outside], false)?
                .is_none()
        {
            let spot = (inside.0.clamp(plot.left + 4, plot.right - w - 4), inside.1);
            layout.place(&root, &text, &inside_style, [spot], false)?;
        }
    }
    Ok(frame(&chart, -1.0, 1.0))
}
