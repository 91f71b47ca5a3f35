//! `compare-cdf` and `compare-deltas`: variants side by side. The S-curves of the compared
//! milestone overlaid with the deadline, and each variant's paired change in P(deadline).

use super::ChartError;
use super::histogram::time_range;
use super::{
    DEADLINE, FONT, Format, Frame, Header, INK, Layout, MUTED, PALETTE, TimeAxis, frame,
    house_mesh, plot_box, series_colour, short_percent, titled, write_png, write_svg,
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
            write_png(&cdf, |root| draw_curves(c, models, tallies, zone, root))?;
            write_png(&deltas, |root| draw_changes(c, models, root))?;
        }
        Format::Svg => {
            write_svg(&cdf, |root| draw_curves(c, models, tallies, zone, root))?;
            write_svg(&deltas, |root| draw_changes(c, models, root))?;
        }
    }
    Ok(vec![cdf, deltas])
}

/// A variant as a reader knows it: its description when it has one, else its name.
fn variant_label(v: &crate::analysis::compare::VariantOutcome) -> String {
    v.description.clone().unwrap_or_else(|| v.name.clone())
}

/// Both comparison charts as SVG text in memory (for the HTML report): the curves, then the
/// changes.
pub fn svg(
    c: &Comparison,
    models: &[&Model],
    tallies: &[Tally],
    zone: &Zone,
) -> Result<[String; 2], ChartError> {
    let (cdf, _) = super::svg_text(|root| draw_curves(c, models, tallies, zone, root))?;
    let (deltas, _) = super::svg_text(|root| draw_changes(c, models, root))?;
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

/// Draws `compare-cdf` onto any backend (the files [`render`] writes, or a test's recorder).
pub fn draw_curves<DB: DrawingBackend>(
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
    let legend: Vec<(String, RGBColor)> = c
        .variants
        .iter()
        .enumerate()
        .map(|(k, v)| {
            let p = v
                .deadlines
                .first()
                .map(|d| format!(": {}", short_percent(d.made.fraction)))
                .unwrap_or_default();
            (format!("{}{p}", variant_label(v)), series_colour(k))
        })
        .collect();
    let deadline = c.shared.deadlines.first().map(|&d| &base.deadlines[d]);
    let mut notes = vec![format!(
        "Curves over all trials of each variant{}",
        deadline.map_or(".".to_owned(), |d| format!(
            "; the percentages are P({}) over all trials.",
            d.label
        ))
    )];
    if let Some(phrase) = deadline.and_then(|d| d.relative_phrase(&base.milestones)) {
        notes.push(format!(
            "The deadline falls {phrase}, at a different instant in each trial, so no line marks it."
        ));
    }
    let mut layout = Layout::new();
    let area = titled(
        &root,
        &mut layout,
        &Header {
            title: &format!("Variants: when is \"{label}\" reached?"),
            subtitle: &subtitle(c, base),
            legend: &legend,
            notes: &notes,
        },
    )?;
    let hists: Vec<_> = models
        .iter()
        .zip(tallies)
        .filter_map(|(m, t)| {
            m.milestones
                .iter()
                .position(|x| x.id == milestone.id)
                .and_then(|i| t.milestones.get(i))
                // Shares of all the variant's trials, by weight when it is conditioned.
                .map(|h| (h, t.weight.sum as f64))
        })
        .collect();
    let at: Vec<f64> = deadline
        .iter()
        .filter_map(|d| d.instant().map(|at| at as f64))
        .collect();
    let ranges: Vec<(f64, f64)> = hists
        .iter()
        .filter_map(|(h, _)| time_range(h, &at))
        .collect();
    if ranges.is_empty() {
        return Ok(Frame::default());
    }
    let lo = ranges.iter().map(|r| r.0).fold(f64::INFINITY, f64::min);
    let hi = ranges.iter().map(|r| r.1).fold(f64::NEG_INFINITY, f64::max);
    let axis = TimeAxis::new(lo, hi, zone, 9);
    let mut chart = super::arrival_curve_chart(&root, &mut layout, &area, &axis)?;
    let plot = plot_box(&chart);
    for (k, &(hist, n)) in hists.iter().enumerate() {
        let colour = series_colour(k);
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
    }
    // A relative deadline has no one instant: no line (the note says so).
    let line = deadline
        .and_then(|d| d.instant().map(|at| (d, at as f64)))
        .filter(|&(_, at)| at > axis.lo && at < axis.hi);
    if let Some((d, at)) = line {
        chart.draw_series([PathElement::new(
            vec![(at, 0.0), (at, 1.0)],
            DEADLINE.stroke_width(3),
        )])?;
        let (x, y) = chart.backend_coord(&(at, 0.97));
        layout.block_vertical(x, plot.top, plot.bottom);
        let style = TextStyle::from((FONT, 21, FontStyle::Bold).into_font()).color(&DEADLINE);
        let text = format!("{} ({})", d.label, crate::time::local_short(at, zone));
        layout.place_near(&root, &text, &style, (x, y), plot, DEADLINE)?;
    }
    Ok(frame(&chart, axis.lo, axis.hi))
}

/// Draws `compare-deltas` onto any backend.
pub fn draw_changes<DB: DrawingBackend>(
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
    let notes = [format!(
        "Each bar: the variant's P({}) minus the baseline's, over all trials, paired on common random numbers; whiskers: its 95% interval.",
        deadline.label
    )];
    let mut layout = Layout::new();
    let area = titled(
        &root,
        &mut layout,
        &Header {
            title: &format!("How each variant changes P({})", deadline.label),
            subtitle: &subtitle(c, base),
            legend: &[],
            notes: &notes,
        },
    )?;
    let rows: Vec<(String, f64, [f64; 2])> = c
        .variants
        .iter()
        .skip(1)
        .filter_map(|v| {
            let d = v.deadlines.first()?;
            let (diff, (lo, hi)) = d.difference?;
            Some((variant_label(v), diff * 100.0, [lo * 100.0, hi * 100.0]))
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
        .y_label_area_size(super::widest_label(&area, &labels).min(super::WIDTH * 2 / 5) + 30)
        .build_cartesian_2d(-extent..extent, -0.6..k as f64 - 0.4)?;
    let mut mesh = chart.configure_mesh();
    house_mesh(&mut mesh, 19.0, 22.0, 230)
        .y_labels(0)
        .disable_y_mesh()
        .x_labels(11)
        .x_label_formatter(&|x| signed_points(*x, extent))
        .x_desc(super::axis_desc(
            &root,
            &format!(
                "change in P({}) against the baseline, percentage points",
                deadline.label
            ),
        ))
        .draw()?;
    super::row_labels(&root, &mut layout, &chart, -extent, &labels)?;
    let plot = plot_box(&chart);
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
        // Signed to one decimal, with a change that rounds to nothing written "0", not "-0.0".
        let text = format!(
            "{} points [{}, {}]",
            super::signed_tick(*diff, 1),
            super::signed_tick(*lo, 1),
            super::signed_tick(*hi, 1)
        );
        let style = TextStyle::from((FONT, 19).into_font()).color(&MUTED);
        let (w, h) = Layout::measure(&root, &text, &style)?;
        let (w, h) = (w as i32, h as i32);
        let (right, left) = ((x + 12, py - h / 2), (x - 12 - w, py - h / 2));
        let spots = if *diff >= 0.0 {
            [right, left]
        } else {
            [left, right]
        };
        if layout.place(&root, &text, &style, spots, true)?.is_none() {
            layout.place_near(&root, &text, &style, (x, py), plot, MUTED)?;
        }
    }
    Ok(frame(&chart, -extent, extent))
}

/// A tick of the change axis: signed, with as many decimals as the axis's extent needs.
fn signed_points(x: f64, extent: f64) -> String {
    let decimals = if extent < 2.0 {
        2
    } else if extent < 20.0 {
        1
    } else {
        0
    };
    super::signed_tick(x, decimals)
}

#[cfg(test)]
mod tests {
    use super::signed_points;

    #[test]
    fn change_ticks_are_distinct_and_zero_is_unsigned() {
        let ticks: Vec<String> = [-2.0, -1.5, -1.0, -0.5, -0.0, 0.0, 0.5, 1.0, 1.5, 2.0]
            .iter()
            .map(|&x| signed_points(x, 2.4))
            .collect();
        assert_eq!(
            ticks,
            [
                "-2.0", "-1.5", "-1.0", "-0.5", "0", "0", "+0.5", "+1.0", "+1.5", "+2.0"
            ]
        );
        assert_eq!(signed_points(-1e-12, 30.0), "0");
        assert_eq!(signed_points(25.0, 30.0), "+25");
        assert_eq!(signed_points(0.25, 1.0), "+0.25");
    }
}
