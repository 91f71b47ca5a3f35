//! `reliability`: the reliability diagram of `eta score`: the yes/no forecasts (deadlines, routes)
//! binned by the probability given, against how often the event happened, with each bin's 95%
//! interval and its count. A calibrated forecast lies on the diagonal.

use super::{
    ChartError, DEADLINE, FONT, Format, Frame, Header, INK, Layout, MUTED, PALETTE, frame,
    house_mesh, titled,
};
use crate::analysis::score::ReliabilityBin;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// What the reliability diagram shows.
pub struct ReliabilityChart<'a> {
    pub bins: &'a [ReliabilityBin],
    pub files: usize,
}

/// Draws `reliability.png` (or `.svg`) into `dir`; returns the file written.
pub fn render(chart: &ReliabilityChart, dir: &Path, format: Format) -> Result<PathBuf, ChartError> {
    super::write_chart(chart, dir, "reliability", format)
}

impl super::Drawing for ReliabilityChart<'_> {
    fn draw_on<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> super::ChartResult {
        draw(root, self)
    }
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    c: &ReliabilityChart,
) -> Result<Frame, ChartError> {
    let forecasts: u64 = c.bins.iter().map(|b| b.happened.of).sum();
    let subtitle = format!(
        "{forecasts} yes/no forecast{} (deadlines, routes) in {} file{} · on the diagonal = calibrated · bars: 95% intervals",
        if forecasts == 1 { "" } else { "s" },
        c.files,
        if c.files == 1 { "" } else { "s" }
    );
    let mut layout = Layout::new();
    let area = titled(
        &root,
        &mut layout,
        &Header {
            title: "When the forecast said p, how often did it happen?",
            subtitle: &subtitle,
            legend: &[],
            notes: &[],
        },
    )?;
    let mut chart = super::house_builder(&area).build_cartesian_2d(0.0..1.0, 0.0..1.0)?;
    let mut mesh = chart.configure_mesh();
    house_mesh(&mut mesh, 19.0, 22.0, 225)
        .x_labels(11)
        .y_labels(11)
        .x_label_formatter(&|x| format!("{:.0}%", x * 100.0))
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .x_desc("probability forecast (mean within each 10% bin)")
        .y_desc("share that happened")
        .draw()?;
    chart.draw_series(DashedLineSeries::new(
        [(0.0, 0.0), (1.0, 1.0)],
        10,
        8,
        ShapeStyle::from(&MUTED).stroke_width(2),
    ))?;
    for b in c.bins {
        let x = b.mean_probability;
        chart.draw_series([PathElement::new(
            [(x, b.happened.ci95.0), (x, b.happened.ci95.1)],
            ShapeStyle::from(&PALETTE[0]).stroke_width(3),
        )])?;
    }
    chart.draw_series(c.bins.iter().map(|b| {
        Circle::new(
            (b.mean_probability, b.happened.fraction),
            9,
            DEADLINE.filled(),
        )
    }))?;
    let label = TextStyle::from((FONT, 18).into_font()).color(&INK);
    for b in c.bins {
        let (x, y) = chart.backend_coord(&(b.mean_probability, b.happened.fraction));
        root.draw(&Text::new(
            format!("n={}", b.happened.of),
            (x + 14, y - 8),
            label.clone(),
        ))?;
    }
    Ok(frame(&chart, 0.0, 1.0))
}
