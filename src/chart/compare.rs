//! `compare-cdf` and `compare-deltas`: variants side by side. The S-curves of the compared
//! milestone overlaid with the deadline, and each variant's paired change in P(deadline).

use super::ChartError;
use super::histogram::time_range;
use super::{
    DEADLINE, FONT, Format, Frame, INK, MUTED, PALETTE, TimeAxis, boxed_text, frame, house_mesh,
    short_percent, titled, write_png, write_svg,
};
use crate::analysis::compare::Comparison;
use crate::engine::Tally;
use crate::model::{Model, Zone};
use plotters::prelude::*;
use plotters::style::FontStyle;
use std::path::{Path, PathBuf};

pub fn render(
    c: &Comparison,
    models: &[&Model],
    tallies: &[Tally],
    zone: &Zone,
    dir: &Path,
    format: Format,
) -> Result<Vec<PathBuf>, ChartError> {
    super::register_fonts();
    let cdf = dir.join(format!("compare-cdf.{}", format.extension()));
    let deltas = dir.join(format!("compare-deltas.{}", format.extension()));
    match format {
        Format::Png => {
            write_png(&cdf, |root| curves(c, models, tallies, zone, root))?;
            write_png(&deltas, |root| changes(c, models, root))?;
        }
        Format::Svg => {
            write_svg(&cdf, |root| curves(c, models, tallies, zone, root))?;
            write_svg(&deltas, |root| changes(c, models, root))?;
        }
    }
    Ok(vec![cdf, deltas])
}

/// Both comparison charts as SVG text in memory (for the HTML report): the curves, then the
/// changes.
pub fn svg(
    c: &Comparison,
    models: &[&Model],
    tallies: &[Tally],
    zone: &Zone,
) -> Result<[String; 2], ChartError> {
    let (cdf, _) = super::svg_text(|root| curves(c, models, tallies, zone, root))?;
    let (deltas, _) = super::svg_text(|root| changes(c, models, root))?;
    Ok([cdf, deltas])
}

fn subtitle(c: &Comparison, base: &Model) -> String {
    format!(
        "{} · {} trials per variant · seed {} · common random numbers",
        base.name,
        crate::format::thousands(c.trials),
        c.seed
    )
}

fn curves<DB: DrawingBackend>(
    c: &Comparison,
    models: &[&Model],
    tallies: &[Tally],
    zone: &Zone,
    root: DrawingArea<DB, plotters::coord::Shift>,
) -> Result<Frame, ChartError> {
    let Some(base) = models.first() else {
        return Ok(Frame::default());
    };
    let Some(milestone) = c.shared.milestone.map(|m| &base.milestones[m]) else {
        return Ok(Frame::default());
    };
    let label = &milestone.label;
    let area = titled(
        &root,
        &format!("Variants: when is \"{label}\" reached?"),
        &subtitle(c, base),
    )?;
    let hists: Vec<_> = models
        .iter()
        .zip(tallies)
        .filter_map(|(m, t)| {
            m.milestones
                .iter()
                .position(|x| x.id == milestone.id)
                .and_then(|i| t.milestones.get(i))
        })
        .collect();
    let deadline = c.shared.deadlines.first().map(|&d| &base.deadlines[d]);
    let at: Vec<f64> = deadline.iter().map(|d| d.at as f64).collect();
    let ranges: Vec<(f64, f64)> = hists.iter().filter_map(|h| time_range(h, &at)).collect();
    if ranges.is_empty() {
        return Ok(Frame::default());
    }
    let lo = ranges.iter().map(|r| r.0).fold(f64::INFINITY, f64::min);
    let hi = ranges.iter().map(|r| r.1).fold(f64::NEG_INFINITY, f64::max);
    let axis = TimeAxis::new(lo, hi, zone, 9);
    let mut chart = super::arrival_curve_chart(&root, &area, &axis)?;
    let n = c.trials as f64;
    let mut legend = Vec::new();
    for (k, (hist, v)) in hists.iter().zip(&c.variants).enumerate() {
        let colour = PALETTE[k % PALETTE.len()];
        let points: Vec<(f64, f64)> = (0..=500)
            .map(|i| {
                let t = axis.lo + (axis.hi - axis.lo) * i as f64 / 500.0;
                (t, hist.count_at_or_before(t) / n)
            })
            .collect();
        chart.draw_series(LineSeries::new(
            points,
            colour.stroke_width(if k == 0 { 5 } else { 3 }),
        ))?;
        let p = v
            .deadlines
            .first()
            .map(|d| format!(": {}", short_percent(d.made.fraction)))
            .unwrap_or_default();
        legend.push((format!("{}{p}", v.name), colour));
    }
    let corner = chart.backend_coord(&(axis.hi, 0.0));
    super::corner_legend(&root, corner, &legend)?;
    if let Some(d) = deadline {
        let at = d.at as f64;
        if at > axis.lo && at < axis.hi {
            chart.draw_series([PathElement::new(
                vec![(at, 0.0), (at, 1.0)],
                DEADLINE.stroke_width(3),
            )])?;
            let (x, y) = chart.backend_coord(&(at, 0.97));
            let style = TextStyle::from((FONT, 21, FontStyle::Bold).into_font()).color(&DEADLINE);
            boxed_text(
                &root,
                &format!("{} ({})", d.label, crate::time::local_short(at, zone)),
                (x + 10, y),
                &style,
            )?;
        }
    }
    Ok(frame(&chart, axis.lo, axis.hi))
}

fn changes<DB: DrawingBackend>(
    c: &Comparison,
    models: &[&Model],
    root: DrawingArea<DB, plotters::coord::Shift>,
) -> Result<Frame, ChartError> {
    let Some(base) = models.first() else {
        return Ok(Frame::default());
    };
    let Some(deadline) = c.shared.deadlines.first().map(|&d| &base.deadlines[d]) else {
        return Ok(Frame::default());
    };
    let area = titled(
        &root,
        &format!("How each variant changes P({})", deadline.label),
        &subtitle(c, base),
    )?;
    let rows: Vec<(String, f64, [f64; 2])> = c
        .variants
        .iter()
        .skip(1)
        .filter_map(|v| {
            let d = v.deadlines.first()?;
            let (diff, (lo, hi)) = d.difference?;
            Some((v.name.clone(), diff * 100.0, [lo * 100.0, hi * 100.0]))
        })
        .collect();
    if rows.is_empty() {
        return Ok(Frame::default());
    }
    let extent = rows
        .iter()
        .flat_map(|r| [r.2[0].abs(), r.2[1].abs()])
        .fold(1.0, f64::max)
        * 1.8;
    let k = rows.len();
    let labels: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let mut chart = ChartBuilder::on(&area)
        .margin_left(30)
        .margin_right(60)
        .margin_bottom(20)
        .x_label_area_size(70)
        .y_label_area_size(super::widest_label(&area, &labels) + 30)
        .build_cartesian_2d(-extent..extent, -0.6..k as f64 - 0.4)?;
    let mut mesh = chart.configure_mesh();
    house_mesh(&mut mesh, 19.0, 22.0, 230)
        .y_labels(0)
        .disable_y_mesh()
        .x_labels(11)
        .x_label_formatter(&|x| format!("{x:+.0}"))
        .x_desc(format!(
            "change in P({}) against the baseline, percentage points (95% paired interval)",
            deadline.label
        ))
        .draw()?;
    super::row_labels(&root, &chart, -extent, &labels)?;
    chart.draw_series([PathElement::new(
        vec![(0.0, -0.6), (0.0, k as f64 - 0.4)],
        BLACK.stroke_width(2),
    )])?;
    for (row, (_, diff, [lo, hi])) in rows.iter().enumerate() {
        let y = (k - 1 - row) as f64;
        let colour = if *diff >= 0.0 { PALETTE[2] } else { DEADLINE };
        chart.draw_series([Rectangle::new(
            [(0.0, y - 0.25), (*diff, y + 0.25)],
            colour.mix(0.85).filled(),
        )])?;
        chart.draw_series([PathElement::new(
            vec![(*lo, y), (*hi, y)],
            INK.stroke_width(3),
        )])?;
        for end in [*lo, *hi] {
            chart.draw_series([PathElement::new(
                vec![(end, y - 0.12), (end, y + 0.12)],
                INK.stroke_width(3),
            )])?;
        }
        let (x, py) = chart.backend_coord(&(if *diff >= 0.0 { *hi } else { *lo }, y));
        let text = format!("{diff:+.1} points [{lo:+.1}, {hi:+.1}]");
        let style = TextStyle::from((FONT, 19).into_font()).color(&MUTED);
        let (w, _) = root.estimate_text_size(&text, &style)?;
        let left = if *diff >= 0.0 {
            x + 12
        } else {
            x - 12 - w as i32
        };
        boxed_text(&root, &text, (left, py - 10), &style)?;
    }
    Ok(frame(&chart, -extent, extent))
}
