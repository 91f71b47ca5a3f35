//! Charts: the PNG (or SVG) pictures of a run. Each chart has its own file; this module owns what
//! they share: the embedded font, the colour-blind-safe palette, time axes in local time, and
//! writing files atomically.

mod axis;
mod cdf;
pub mod compare;
mod convergence;
mod drivers;
mod histogram;
mod milestones;
pub mod sweep;

pub use axis::{TimeAxis, x_pixel};

use crate::analysis::RunResults;
use crate::engine::Tally;
use crate::model::{Model, Zone};
use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;
use std::path::{Path, PathBuf};
use std::sync::Once;

pub const WIDTH: u32 = 1600;
pub const HEIGHT: u32 = 1000;
pub const FONT: &str = "sans-serif";

/// Okabe & Ito's palette, distinguishable with the common colour-vision deficiencies.
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(230, 159, 0),   // orange
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(240, 228, 66),  // yellow
    RGBColor(0, 0, 0),       // black
];
/// Deadlines are drawn in vermillion, which no series uses.
pub const DEADLINE: RGBColor = RGBColor(213, 94, 0);
pub const INK: RGBColor = RGBColor(40, 40, 40);

/// The house look of a chart's mesh: tick labels and axis titles in ink at `text` and `title`
/// points, no minor grid lines, major ones in the light grey (`grid`, `grid`, `grid`).
pub fn house_mesh<'m, 'a, 'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
    text: f64,
    title: f64,
    grid: u8,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB> {
    mesh.label_style((FONT, text).into_font().color(&INK))
        .axis_desc_style((FONT, title).into_font().color(&INK))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(grid, grid, grid))
}
pub const MUTED: RGBColor = RGBColor(110, 110, 110);

/// Why a chart could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The drawing library refused (a font, a coordinate, the backend).
    #[error("{0}")]
    Draw(String),
    #[error("cannot encode the PNG: {0}")]
    Encode(#[from] image::ImageError),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("out of memory: cannot allocate {bytes} bytes for the chart")]
    Memory { bytes: usize },
    /// One chart of a set failed; the name says which.
    #[error("cannot draw {chart}: {source}")]
    Chart {
        chart: &'static str,
        source: Box<ChartError>,
    },
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        ChartError::Draw(e.to_string())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Png,
    Svg,
}

impl Format {
    /// The file extension of charts in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
        }
    }
}

/// What every chart gets to draw from.
pub struct ChartInput<'a> {
    pub model: &'a Model,
    pub tally: &'a Tally,
    pub results: &'a RunResults,
    pub zone: &'a Zone,
    /// The milestone the histogram shows.
    pub milestone: usize,
}

impl ChartInput<'_> {
    /// "Scenario name · 1,000,000 trials · seed 7", the second line of every title.
    fn subtitle(&self) -> String {
        format!(
            "{} · {} trials · seed {}",
            self.model.name,
            crate::format::thousands(self.results.trials),
            self.results.seed
        )
    }
}

type DrawResult = Result<(), ChartError>;

/// Where a chart's x axis landed: its value range and the pixel columns it spans, so callers
/// (and tests) can map an instant to the pixel it was drawn at with [`x_pixel`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Frame {
    pub x: (f64, f64),
    pub pixels: (i32, i32),
}

type ChartResult = Result<Frame, ChartError>;

fn frame<DB: DrawingBackend, Y: plotters::coord::ranged1d::Ranged>(
    chart: &ChartContext<
        DB,
        plotters::coord::cartesian::Cartesian2d<plotters::coord::types::RangedCoordf64, Y>,
    >,
    lo: f64,
    hi: f64,
) -> Frame {
    let pixels = chart.plotting_area().get_pixel_range().0;
    Frame {
        x: (lo, hi),
        pixels: (pixels.start, pixels.end - 1),
    }
}

/// Registers the embedded DejaVu Sans faces once per process: no system fonts are used.
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// The charts every run draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chart {
    ArrivalHistogram,
    ArrivalCdf,
    Milestones,
    Drivers,
    Convergence,
}

impl Chart {
    pub const ALL: [Chart; 5] = [
        Chart::ArrivalHistogram,
        Chart::ArrivalCdf,
        Chart::Milestones,
        Chart::Drivers,
        Chart::Convergence,
    ];

    /// The chart's file name without its extension.
    pub fn file_stem(self) -> &'static str {
        match self {
            Chart::ArrivalHistogram => "arrival-histogram",
            Chart::ArrivalCdf => "arrival-cdf",
            Chart::Milestones => "milestones",
            Chart::Drivers => "drivers",
            Chart::Convergence => "convergence",
        }
    }

    pub fn draw<DB: DrawingBackend>(
        self,
        input: &ChartInput,
        area: DrawingArea<DB, Shift>,
    ) -> ChartResult {
        match self {
            Chart::ArrivalHistogram => histogram::draw(input, area),
            Chart::ArrivalCdf => cdf::draw(input, area),
            Chart::Milestones => milestones::draw(input, area),
            Chart::Drivers => drivers::draw(input, area),
            Chart::Convergence => convergence::draw(input, area),
        }
    }
}

/// Renders every chart of a run (in parallel) into `dir`; returns the files written.
pub fn render_all(
    input: &ChartInput,
    dir: &Path,
    format: Format,
) -> Result<Vec<PathBuf>, ChartError> {
    register_fonts();
    use rayon::prelude::*;
    Chart::ALL
        .par_iter()
        .map(|&chart| {
            let path = dir.join(format!("{}.{}", chart.file_stem(), format.extension()));
            match format {
                Format::Png => write_png(&path, |area| chart.draw(input, area)),
                Format::Svg => write_svg(&path, |area| chart.draw(input, area)),
            }
            .map(|_| path)
            .map_err(|e| ChartError::Chart {
                chart: chart.file_stem(),
                source: Box::new(e),
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

/// Every chart of a run drawn as SVG text in memory (in parallel), with the frame each landed
/// in: what the HTML report inlines. Nothing is written to disk.
pub fn svg_all(input: &ChartInput) -> Result<Vec<(Chart, String, Frame)>, ChartError> {
    use rayon::prelude::*;
    Chart::ALL
        .par_iter()
        .map(|&chart| {
            svg_text(|area| chart.draw(input, area))
                .map(|(text, frame)| (chart, text, frame))
                .map_err(|e| ChartError::Chart {
                    chart: chart.file_stem(),
                    source: Box::new(e),
                })
        })
        .collect()
}

/// One chart drawn by `draw` as SVG text in memory, with the frame it landed in.
pub fn svg_text(
    draw: impl FnOnce(DrawingArea<SVGBackend, Shift>) -> ChartResult,
) -> Result<(String, Frame), ChartError> {
    register_fonts();
    // About what a chart takes, so a short memory fails here rather than mid-drawing.
    let mut text = String::new();
    text.try_reserve(SVG_RESERVE)
        .map_err(|_| ChartError::Memory { bytes: SVG_RESERVE })?;
    let frame = {
        let root = SVGBackend::with_string(&mut text, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        let frame = draw(root.clone())?;
        root.present()?;
        frame
    };
    Ok((text, frame))
}

/// Writes row labels left of a plot whose rows are drawn at y = 0..k (row 0 at the top).
fn row_labels<DB: DrawingBackend, X: plotters::coord::ranged1d::Ranged<ValueType = f64>>(
    area: &DrawingArea<DB, Shift>,
    chart: &ChartContext<
        DB,
        plotters::coord::cartesian::Cartesian2d<X, plotters::coord::types::RangedCoordf64>,
    >,
    x: f64,
    labels: &[String],
) -> DrawResult {
    let k = labels.len();
    let style = TextStyle::from((FONT, 20).into_font()).color(&INK).pos(
        plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Right,
            plotters::style::text_anchor::VPos::Center,
        ),
    );
    for (row, label) in labels.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(x, (k - 1 - row) as f64));
        area.draw(&Text::new(label.clone(), (px - 12, py), style.clone()))?;
    }
    Ok(())
}

/// Width in pixels of the widest of `labels` in the row-label font.
fn widest_label<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, labels: &[String]) -> u32 {
    let style = TextStyle::from((FONT, 20).into_font());
    labels
        .iter()
        .filter_map(|l| area.estimate_text_size(l, &style).ok())
        .map(|(w, _)| w)
        .max()
        .unwrap_or(100)
}

/// Draws into an in-memory RGB buffer and writes the PNG atomically.
pub fn write_png(
    path: &Path,
    draw: impl FnOnce(DrawingArea<BitMapBackend, Shift>) -> ChartResult,
) -> ChartResult {
    register_fonts();
    let mut pixels = allocate(&[255u8], (WIDTH * HEIGHT * 3) as usize)?;
    let frame = {
        let root = BitMapBackend::with_buffer(&mut pixels, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        let frame = draw(root.clone())?;
        root.present()?;
        frame
    };
    let png = encode_png(&pixels, WIDTH, HEIGHT)?;
    crate::output::write_atomic(path, &png).map_err(|source| ChartError::Write {
        path: path.to_owned(),
        source,
    })?;
    Ok(frame)
}

pub fn write_svg(
    path: &Path,
    draw: impl FnOnce(DrawingArea<SVGBackend, Shift>) -> ChartResult,
) -> ChartResult {
    let (text, frame) = svg_text(draw)?;
    crate::output::write_atomic(path, text.as_bytes()).map_err(|source| ChartError::Write {
        path: path.to_owned(),
        source,
    })?;
    Ok(frame)
}

/// A buffer of `len` bytes (filled with `fill`, which is empty or one byte), or
/// [`ChartError::Memory`] if the allocator cannot give it: a short memory fails the run with a
/// message instead of aborting the process.
fn allocate(fill: &[u8], len: usize) -> Result<Vec<u8>, ChartError> {
    let mut buffer = Vec::new();
    buffer
        .try_reserve_exact(len)
        .map_err(|_| ChartError::Memory { bytes: len })?;
    if let Some(&byte) = fill.first() {
        buffer.resize(len, byte);
    }
    Ok(buffer)
}

/// What an SVG chart usually takes.
const SVG_RESERVE: usize = 256 * 1024;

fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    use image::ImageEncoder;
    // A chart's PNG is rarely more than a quarter of its pixels' bytes.
    let mut bytes = allocate(b"", rgb.len() / 4)?;
    image::codecs::png::PngEncoder::new(&mut bytes).write_image(
        rgb,
        width,
        height,
        image::ColorType::Rgb8,
    )?;
    Ok(bytes)
}

/// Title (bold) and subtitle at the top of a chart; returns the area below them.
fn titled<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    let width = WIDTH - 80;
    let title_style = TextStyle::from((FONT, 34, FontStyle::Bold).into_font()).color(&INK);
    let subtitle_style = TextStyle::from((FONT, 22).into_font()).color(&MUTED);
    root.draw(&Text::new(
        fit_text(root, title, &title_style, width),
        (40, 22),
        title_style.clone(),
    ))?;
    root.draw(&Text::new(
        fit_text(root, subtitle, &subtitle_style, width),
        (40, 66),
        subtitle_style.clone(),
    ))?;
    Ok(root.split_vertically(120).1)
}

/// `text` shortened with an ellipsis until it is at most `width` pixels wide in `style` (a
/// scenario's name can be any length; measuring is slow on long text, so it is cut to a few
/// hundred characters first, more than any line of the canvas holds).
fn fit_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    width: u32,
) -> String {
    let fits = |t: &str| {
        area.estimate_text_size(t, style)
            .is_ok_and(|(w, _)| w <= width)
    };
    let cut = |chars: usize| crate::format::truncate(text, chars);
    let longest = text.chars().count().min(400);
    if fits(&cut(longest)) {
        return cut(longest);
    }
    // The widest cut that fits, by bisection: width grows with the characters kept.
    let (mut fits_at, mut too_wide) = (1, longest);
    while too_wide - fits_at > 1 {
        let mid = (fits_at + too_wide) / 2;
        if fits(&cut(mid)) {
            fits_at = mid;
        } else {
            too_wide = mid;
        }
    }
    cut(fits_at)
}

/// The frame of an S-curve chart: local time across, probability of having arrived up, with
/// grid and tick labels on round local times.
fn arrival_curve_chart<'a, DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &'a DrawingArea<DB, Shift>,
    axis: &TimeAxis,
) -> Result<
    ChartContext<
        'a,
        DB,
        plotters::coord::cartesian::Cartesian2d<
            plotters::coord::types::RangedCoordf64,
            plotters::coord::types::RangedCoordf64,
        >,
    >,
    ChartError,
> {
    let mut chart = ChartBuilder::on(area)
        .margin_left(30)
        .margin_right(50)
        .margin_bottom(20)
        .x_label_area_size(70)
        .y_label_area_size(90)
        .build_cartesian_2d(axis.lo..axis.hi, 0.0..1.0)?;
    let mut mesh = chart.configure_mesh();
    house_mesh(&mut mesh, 19.0, 22.0, 225)
        .x_labels(0)
        .disable_x_mesh()
        .y_labels(11)
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .x_desc(axis.title())
        .y_desc("probability of having arrived")
        .draw()?;
    axis.draw_grid(&mut chart, 0.0, 1.0)?;
    axis.draw_labels(root, &chart, 0.0)?;
    Ok(chart)
}

/// Text on a white backing, so a label stays legible over lines and bars.
fn boxed_text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    (x, y): (i32, i32),
    style: &TextStyle,
) -> DrawResult {
    let (w, h) = root.estimate_text_size(text, style)?;
    root.draw(&Rectangle::new(
        [(x - 6, y - 4), (x + w as i32 + 6, y + h as i32 + 4)],
        WHITE.mix(0.85).filled(),
    ))?;
    root.draw(&Text::new(text.to_owned(), (x, y), style.clone()))?;
    Ok(())
}

/// A legend in the header band, right-aligned on the subtitle line, so it never covers data or
/// labels in the plot. Entries are (text, colour) drawn as a swatch then the text.
fn header_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    entries: &[(String, RGBColor)],
) -> DrawResult {
    let style = TextStyle::from((FONT, 20).into_font()).color(&INK);
    let mut right = WIDTH as i32 - 40;
    for (text, colour) in entries.iter().rev() {
        let (w, _) = root.estimate_text_size(text, &style)?;
        let left = right - w as i32;
        root.draw(&Text::new(text.clone(), (left, 58), style.clone()))?;
        root.draw(&Rectangle::new(
            [(left - 28, 60), (left - 8, 78)],
            colour.filled(),
        ))?;
        right = left - 48;
    }
    Ok(())
}

/// A legend as a boxed list in the lower-right corner of the plot (for many entries, where the
/// header band is too narrow); S-curves leave that corner empty.
fn corner_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (right, bottom): (i32, i32),
    entries: &[(String, RGBColor)],
) -> DrawResult {
    let style = TextStyle::from((FONT, 20).into_font()).color(&INK);
    let widest = entries
        .iter()
        .filter_map(|(t, _)| root.estimate_text_size(t, &style).ok())
        .map(|(w, _)| w as i32)
        .max()
        .unwrap_or(0);
    let (w, h) = (widest + 60, 30 * entries.len() as i32 + 16);
    let (left, top) = (right - w - 16, bottom - h - 16);
    root.draw(&Rectangle::new(
        [(left, top), (left + w, top + h)],
        WHITE.mix(0.92).filled(),
    ))?;
    root.draw(&Rectangle::new(
        [(left, top), (left + w, top + h)],
        RGBColor(200, 200, 200).stroke_width(1),
    ))?;
    for (k, (text, colour)) in entries.iter().enumerate() {
        let y = top + 10 + 30 * k as i32;
        root.draw(&Rectangle::new(
            [(left + 12, y + 3), (left + 36, y + 19)],
            colour.filled(),
        ))?;
        root.draw(&Text::new(text.clone(), (left + 46, y), style.clone()))?;
    }
    Ok(())
}

/// A small grey note right-aligned on the subtitle line, for keys and caveats.
fn note_top_right<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, text: &str) -> DrawResult {
    let style = TextStyle::from((FONT, 18).into_font()).color(&MUTED).pos(
        plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Right,
            plotters::style::text_anchor::VPos::Top,
        ),
    );
    root.draw(&Text::new(text.to_owned(), (WIDTH as i32 - 40, 96), style))?;
    Ok(())
}

/// A percentage for chart labels: "63%" or "0.4%" when small.
fn short_percent(p: f64) -> String {
    if p > 0.0 && p < 0.01 {
        format!("{:.1}%", p * 100.0)
    } else {
        format!("{:.0}%", p * 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_buffer_too_large_is_an_error_not_an_abort() {
        match allocate(&[255], usize::MAX / 2) {
            Err(ChartError::Memory { bytes }) => assert_eq!(bytes, usize::MAX / 2),
            other => panic!("{:?}", other.map(|b| b.len())),
        }
        assert_eq!(allocate(&[7], 3).unwrap(), [7, 7, 7]);
        assert!(allocate(b"", 5).unwrap().is_empty());
    }

    #[test]
    fn long_titles_are_cut_to_the_canvas() {
        register_fonts();
        let mut pixels = vec![255u8; (WIDTH * HEIGHT * 3) as usize];
        let root = BitMapBackend::with_buffer(&mut pixels, (WIDTH, HEIGHT)).into_drawing_area();
        let style = TextStyle::from((FONT, 34, FontStyle::Bold).into_font());
        let long = "Kim Jong-un to the EEF ".repeat(10_000);
        let shown = fit_text(&root, &long, &style, WIDTH - 80);
        assert!(
            shown.ends_with('…') && shown.chars().count() < 200,
            "{shown}"
        );
        let (w, _) = root.estimate_text_size(&shown, &style).unwrap();
        assert!(w <= WIDTH - 80, "{w}");
        assert_eq!(fit_text(&root, "short", &style, WIDTH - 80), "short");
    }
}
