//! `sweep`: the probability of making the deadline against a swept parameter, with its 95%
//! band and the 50% and 80% crossings marked.

use super::ChartError;
use super::{
    DEADLINE, FONT, Format, Frame, INK, PALETTE, boxed_text, frame, house_mesh, short_percent,
    titled, write_png, write_svg,
};
use crate::analysis::sweep::Curve;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// What the sweep chart shows: the first deadline's probability (and 95% band) at each swept
/// value of `param`, and the curve's crossings, as the sweep's analysis found them.
pub struct SweepChart<'a> {
    pub scenario: &'a str,
    pub param: &'a str,
    pub deadline: &'a str,
    pub curve: &'a Curve,
    pub trials: u64,
}

/// Draws the sweep chart into `dir` (`sweep.png` or `sweep.svg`); returns the file written.
pub fn render(chart: &SweepChart, dir: &Path, format: Format) -> Result<PathBuf, ChartError> {
    super::register_fonts();
    let path = dir.join(format!("sweep.{}", format.extension()));
    match format {
        Format::Png => write_png(&path, |root| draw(root, chart)),
        Format::Svg => write_svg(&path, |root| draw(root, chart)),
    }?;
    Ok(path)
}

/// The sweep chart as SVG text in memory (for the HTML report).
pub fn svg(chart: &SweepChart) -> Result<String, ChartError> {
    super::svg_text(|root| draw(root, chart)).map(|(text, _)| text)
}

fn draw<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    c: &SweepChart,
) -> Result<Frame, ChartError> {
    let SweepChart {
        scenario,
        param,
        deadline,
        curve,
        trials,
    } = *c;
    let scale = curve.scale;
    let series: Vec<(f64, f64, (f64, f64))> = curve
        .points
        .iter()
        .map(|(x, p)| (*x, p.fraction, p.ci95))
        .collect();
    let subtitle = format!(
        "{scenario} · {} trials per point · common random numbers",
        crate::format::thousands(trials)
    );
    let area = titled(
        &root,
        &format!("P({deadline}) as {param} changes"),
        &subtitle,
    )?;
    let lo = series.iter().map(|s| s.0).fold(f64::INFINITY, f64::min);
    let hi = series.iter().map(|s| s.0).fold(f64::NEG_INFINITY, f64::max);
    let pad = (hi - lo).abs().max(1e-9) * 0.03;
    let mut chart = ChartBuilder::on(&area)
        .margin_left(30)
        .margin_right(50)
        .margin_bottom(20)
        .x_label_area_size(70)
        .y_label_area_size(90)
        .build_cartesian_2d(lo - pad..hi + pad, 0.0..1.0)?;
    let mut mesh = chart.configure_mesh();
    house_mesh(&mut mesh, 19.0, 22.0, 225)
        .x_labels(0)
        .y_labels(11)
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .x_desc(format!("{param} ({})", scale.kind.described()))
        .y_desc(format!("P({deadline})"))
        .draw()?;
    // Ticks at the swept values themselves, so every point can be read off the axis.
    let tick_style = TextStyle::from((FONT, 19).into_font()).color(&INK).pos(
        plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Top,
        ),
    );
    for s in &series {
        let (x, y) = chart.backend_coord(&(s.0, 0.0));
        root.draw(&PathElement::new(
            vec![(x, y), (x, y + 6)],
            INK.stroke_width(1),
        ))?;
        root.draw(&Text::new(scale.show(s.0), (x, y + 10), tick_style.clone()))?;
    }
    let band: Vec<(f64, f64)> = series
        .iter()
        .map(|s| (s.0, s.2.1))
        .chain(series.iter().rev().map(|s| (s.0, s.2.0)))
        .collect();
    chart.draw_series([Polygon::new(band, PALETTE[0].mix(0.2).filled())])?;
    chart.draw_series(LineSeries::new(
        series.iter().map(|s| (s.0, s.1)),
        PALETTE[0].stroke_width(4),
    ))?;
    chart.draw_series(
        series
            .iter()
            .map(|s| Circle::new((s.0, s.1), 6, PALETTE[0].filled())),
    )?;
    for (level, crossing) in curve.crossings {
        chart.draw_series([PathElement::new(
            vec![(lo - pad, level), (hi + pad, level)],
            RGBColor(150, 150, 150).stroke_width(1),
        )])?;
        if let Some(crossing) = crossing {
            let x = crossing.at;
            chart.draw_series([Circle::new((x, level), 9, DEADLINE.filled())])?;
            let (px, py) = chart.backend_coord(&(x, level));
            let style = TextStyle::from((FONT, 20).into_font()).color(&DEADLINE);
            let label = if scale.discrete() {
                let (a, b) = crossing.between;
                format!(
                    "{} between {} and {}",
                    short_percent(level),
                    scale.show(a),
                    scale.show(b)
                )
            } else {
                format!("{} at {}", short_percent(level), scale.show(x))
            };
            boxed_text(&root, &label, (px + 12, py - 32), &style)?;
        }
    }
    Ok::<Frame, ChartError>(frame(&chart, lo - pad, hi + pad))
}
