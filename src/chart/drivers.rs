//! `drivers`: a tornado chart of the inputs that drive the outcome's spread: bars of rank
//! correlation, strongest at the top, each labelled with its median swing.

use super::histogram::no_data;
use super::{
    ChartInput, ChartResult, FONT, INK, PALETTE, frame, house_mesh, note_top_right, row_labels,
    titled, widest_label,
};
use crate::format::format_duration;
use crate::format::published::{RANK_CORRELATION, SWING_HOURS, published, published_seconds};
use plotters::coord::Shift;
use plotters::prelude::*;

pub fn draw<DB: DrawingBackend>(input: &ChartInput, root: DrawingArea<DB, Shift>) -> ChartResult {
    let drivers = &input.results.drivers;
    let name = &input.model.milestones[drivers.milestone].label;
    let area = titled(
        &root,
        &format!("What drives when \"{name}\" is reached?"),
        &input.subtitle(),
    )?;
    let top = drivers.top();
    if top.is_empty() {
        return no_data(
            &area,
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
        .x_label_formatter(&|x| format!("{x:+.1}"))
        .y_labels(0)
        .disable_y_mesh()
        .x_desc(format!(
            "rank correlation with the time \"{name}\" is reached (+: later when the input is larger)"
        ))
        .draw()
        ?;
    row_labels(&root, &chart, -1.0, &labels)?;
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
        let style = (FONT, 19).into_font().color(&INK);
        let (w, _) = area.estimate_text_size(&text, &style)?;
        // Beside the bar's end where there is room, else inside it in white.
        let (plot_left, plot_right) = (
            chart.backend_coord(&(-1.0, y)).0,
            chart.backend_coord(&(1.0, y)).0,
        );
        let (left, style) = match rho >= 0.0 {
            true if x + 10 + w as i32 <= plot_right => (x + 10, style),
            true => (x - 10 - w as i32, style.color(&WHITE)),
            false if x - 10 - w as i32 >= plot_left => (x - 10 - w as i32, style),
            false => (x + 10, style.color(&WHITE)),
        };
        root.draw(&Text::new(text, (left, py - 10), style))?;
    }
    let key = format!(
        "median: how much later the median arrival is with the input in its top tenth vs its bottom tenth · {} trials",
        crate::format::thousands(drivers.sample_reached)
    );
    note_top_right(&root, &key)?;
    Ok(frame(&chart, -1.0, 1.0))
}
