//! `pit`: the PIT histogram of `eta score`: where each observed milestone fell in its forecast
//! (its percentile rank), in ten equal bins. A calibrated forecast gives a flat histogram at the
//! dashed line; a U shape says too narrow, a hump too wide, a slope a bias.

use super::{
    ChartError, DEADLINE, FONT, Format, Frame, Header, INK, Layout, MUTED, PALETTE, frame,
    house_mesh, titled,
};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// What the PIT histogram shows.
pub struct PitChart<'a> {
    /// Shares of the PIT mass in equal bins from 0 to 1 (summing to 1).
    pub bins: &'a [f64],
    /// How many observed milestones, in how many files.
    pub outcomes: usize,
    pub files: usize,
}

/// Draws `pit.png` (or `.svg`) into `dir`; returns the file written.
pub fn render(chart: &PitChart, dir: &Path, format: Format) -> Result<PathBuf, ChartError> {
    super::write_chart(chart, dir, "pit", format)
}

impl super::Drawing for PitChart<'_> {
    fn draw_on<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> super::ChartResult {
        draw(root, self)
    }
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    c: &PitChart,
) -> Result<Frame, ChartError> {
    let subtitle = format!(
        "{} observed milestone{} in {} file{} · flat at the dashed line = calibrated",
        c.outcomes,
        if c.outcomes == 1 { "" } else { "s" },
        c.files,
        if c.files == 1 { "" } else { "s" }
    );
    let mut layout = Layout::new();
    let area = titled(
        &root,
        &mut layout,
        &Header {
            title: "Where did the outcomes fall in their forecasts? (PIT histogram)",
            subtitle: &subtitle,
            legend: &[],
            notes: &[],
        },
    )?;
    let k = c.bins.len().max(1);
    let tallest = c.bins.iter().copied().fold(1.0 / k as f64, f64::max);
    let y_max = (tallest * 1.15 * 100.0).clamp(1.0, 110.0);
    let mut chart = super::house_builder(&area).build_cartesian_2d(0.0..1.0, 0.0..y_max)?;
    let mut mesh = chart.configure_mesh();
    house_mesh(&mut mesh, 19.0, 22.0, 225)
        .x_labels(11)
        .disable_x_mesh()
        .x_label_formatter(&|x| format!("{:.0}%", x * 100.0))
        .y_label_formatter(&|y| format!("{y:.0}%"))
        .x_desc("percentile rank of the outcome in its forecast (PIT; ties counted half)")
        .y_desc("share of outcomes")
        .draw()?;
    chart.draw_series(c.bins.iter().enumerate().map(|(i, &b)| {
        let (lo, hi) = (i as f64 / k as f64, (i + 1) as f64 / k as f64);
        Rectangle::new(
            [(lo + 0.004, 0.0), (hi - 0.004, b * 100.0)],
            PALETTE[0].filled(),
        )
    }))?;
    let flat = 100.0 / k as f64;
    chart.draw_series(DashedLineSeries::new(
        [(0.0, flat), (1.0, flat)],
        10,
        8,
        ShapeStyle::from(&DEADLINE).stroke_width(3),
    ))?;
    let style = TextStyle::from((FONT, 19).into_font()).color(&MUTED);
    // At the right end, clear of the bars' labels unless the last bin is near the line.
    let (x, y) = chart.backend_coord(&(0.99, flat));
    let style = style.pos(plotters::style::text_anchor::Pos::new(
        plotters::style::text_anchor::HPos::Right,
        plotters::style::text_anchor::VPos::Bottom,
    ));
    root.draw(&Text::new(
        format!("calibrated: {flat:.0}% per bin"),
        (x, y - 8),
        style,
    ))?;
    let label = TextStyle::from((FONT, 18).into_font()).color(&INK);
    for (i, &b) in c.bins.iter().enumerate() {
        if b > 0.0 {
            let (x, y) = chart.backend_coord(&((i as f64 + 0.5) / k as f64, b * 100.0));
            root.draw(&Text::new(
                format!("{:.0}%", b * 100.0),
                (x - 18, y - 26),
                label.clone(),
            ))?;
        }
    }
    Ok(frame(&chart, 0.0, 1.0))
}
