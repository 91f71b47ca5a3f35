//! `sweep`: the probability of making the deadline against a swept parameter, with its 95%
//! band and the 50% and 80% crossings marked.

use super::ChartError;
use super::{
    DEADLINE, FONT, Format, Frame, Header, INK, Layout, PALETTE, frame, house_mesh, plot_box,
    short_percent, titled,
};
use crate::analysis::scale::Scale;
use crate::analysis::sweep::Curve;
use crate::model::{Model, Operand};
use crate::quantity::Kind;
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
    /// What the swept values are in, from [`axis_unit`]: "km/h", "local time of day,
    /// Asia/Pyongyang".
    pub unit: String,
}

/// What the values of `param` are in, for the sweep's axis title: the scale's unit, or the unit
/// of the input the parameter belongs to when the values were written as plain numbers (a
/// speed's mode swept as 40,50,60 is in km/h); times of day and dates name the zone of the
/// milestone whose start they set.
pub fn axis_unit(model: &Model, param: &str, scale: Scale) -> String {
    let input = param
        .split('.')
        .next()
        .and_then(|name| model.inputs.iter().position(|i| i.name == name));
    let kind = match (scale.kind, input) {
        (Kind::Number, Some(i)) => model.inputs[i].kind,
        (kind, _) => kind,
    };
    let zone = input.and_then(|i| {
        model.milestones.iter().find_map(|m| {
            let start = m.start.as_ref()?;
            [start.date, start.time]
                .contains(&Operand::Input(i))
                .then(|| m.zone.name.clone())
        })
    });
    let with_zone = |what: &str| match &zone {
        Some(z) => format!("{what}, {z}"),
        None => what.to_owned(),
    };
    match kind {
        Kind::TimeOfDay => with_zone("local time of day"),
        Kind::Date => with_zone("local date"),
        Kind::Duration => "duration".to_owned(),
        Kind::Number => "no unit".to_owned(),
        other => other.display_unit().to_owned(),
    }
}

/// Draws the sweep chart onto any backend (the file [`render`] writes, or a test's recorder).
pub fn draw_on<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    chart: &SweepChart,
) -> Result<Frame, ChartError> {
    draw(root, chart)
}

/// Draws the sweep chart into `dir` (`sweep.png` or `sweep.svg`); returns the file written.
pub fn render(chart: &SweepChart, dir: &Path, format: Format) -> Result<PathBuf, ChartError> {
    super::write_chart(chart, dir, "sweep", format)
}

impl super::Drawing for SweepChart<'_> {
    fn draw_on<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> super::ChartResult {
        draw(root, self)
    }
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
        ref unit,
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
    let mut notes = vec![format!(
        "P({deadline}) over all trials at each value, with its 95% interval."
    )];
    if scale.discrete() {
        notes.push(format!(
            "{param} takes whole values only: the points are not joined, and a crossing is shown as the two values it lies between."
        ));
    }
    let mut layout = Layout::new();
    let area = titled(
        &root,
        &mut layout,
        &Header {
            title: &format!("P({deadline}) as {param} changes"),
            subtitle: &subtitle,
            legend: &[],
            notes: &notes,
        },
    )?;
    let lo = series.iter().map(|s| s.0).fold(f64::INFINITY, f64::min);
    let hi = series.iter().map(|s| s.0).fold(f64::NEG_INFINITY, f64::max);
    let pad = (hi - lo).abs().max(1e-9) * 0.03;
    let mut chart = super::house_builder(&area).build_cartesian_2d(lo - pad..hi + pad, 0.0..1.0)?;
    let mut mesh = chart.configure_mesh();
    house_mesh(&mut mesh, 19.0, 22.0, 225)
        .x_labels(0)
        .y_labels(11)
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .x_desc(super::axis_desc(&root, &format!("{param} ({unit})")))
        .y_desc(format!("P({deadline})"))
        .draw()?;
    // Ticks at the swept values themselves, so every point can be read off the axis.
    let tick_style = TextStyle::from((FONT, 19).into_font()).color(&INK);
    for s in &series {
        let (x, y) = chart.backend_coord(&(s.0, 0.0));
        root.draw(&PathElement::new(
            vec![(x, y), (x, y + 6)],
            INK.stroke_width(1),
        ))?;
        let text = scale.show(s.0);
        let (w, _) = Layout::measure(&root, &text, &tick_style)?;
        // Every swept value is a tick; one whose label would touch its neighbour's is left bare.
        layout.place(
            &root,
            &text,
            &tick_style,
            [(x - w as i32 / 2, y + 10)],
            false,
        )?;
    }
    let plot = plot_box(&chart);
    if scale.discrete() {
        // Nothing was run between two dates: each point stands alone with its interval.
        for s in &series {
            chart.draw_series([PathElement::new(
                vec![(s.0, s.2.0), (s.0, s.2.1)],
                PALETTE[0].stroke_width(3),
            )])?;
        }
    } else {
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
    }
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
            let style = TextStyle::from((FONT, 20).into_font()).color(&DEADLINE);
            let (label, point) = if scale.discrete() {
                // No value between two dates was run: mark the span, not an interpolated point.
                let (a, b) = crossing.between;
                chart.draw_series([PathElement::new(
                    vec![(a, level), (b, level)],
                    DEADLINE.stroke_width(5),
                )])?;
                (
                    format!(
                        "{} crossed between {} and {}",
                        short_percent(level),
                        scale.show(a),
                        scale.show(b)
                    ),
                    chart.backend_coord(&((a + b) / 2.0, level)),
                )
            } else {
                let x = crossing.at;
                chart.draw_series([Circle::new((x, level), 9, DEADLINE.filled())])?;
                (
                    format!("{} at about {}", short_percent(level), scale.show(x)),
                    chart.backend_coord(&(x, level)),
                )
            };
            layout.place_near(&root, &label, &style, point, plot, DEADLINE)?;
        }
    }
    Ok::<Frame, ChartError>(frame(&chart, lo - pad, hi + pad))
}
