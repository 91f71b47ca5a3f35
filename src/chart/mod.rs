//! Charts: the PNG (or SVG) pictures of a run. Each chart has its own file; this module owns what
//! they share: the embedded font, the colour-blind-safe palette, time axes in local time, and
//! writing files atomically.

mod axis;
mod cdf;
pub mod compare;
mod convergence;
mod drivers;
mod histogram;
pub mod layout;
mod milestones;
pub mod pit;
pub mod reliability;
pub mod sweep;

pub use axis::{TimeAxis, x_pixel};
pub use layout::{Layout, Rect};
pub use milestones::WAIT;

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
/// The colour of the `k`th series: the palette without its yellow, which is too pale against
/// white for lines and swatches.
pub fn series_colour(k: usize) -> RGBColor {
    const SERIES: [usize; 6] = [0, 1, 2, 3, 4, 6];
    PALETTE[SERIES[k % SERIES.len()]]
}

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
    /// "Scenario name · 1,000,000 trials · seed 7", the second line of every title; for a run
    /// conditioned on observations, "Given: ... · 1,000,000 trials worth 9,002 · seed 7".
    fn subtitle(&self) -> String {
        let thousands = crate::format::thousands;
        match &self.results.conditioning {
            None => format!(
                "{} · {} trials · seed {}",
                self.model.name,
                thousands(self.results.trials),
                self.results.seed
            ),
            Some(c) => format!(
                "Given: {} · {} weighted trials, worth {} · seed {}",
                c.given.join("; "),
                thousands(self.results.trials),
                thousands(c.effective.round() as u64),
                self.results.seed
            ),
        }
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

/// The plotting area of `chart` (inside its axes) in canvas pixels.
fn plot_box<DB: DrawingBackend, CT: plotters::coord::CoordTranslate>(
    chart: &ChartContext<DB, CT>,
) -> Rect {
    let (x, y) = chart.plotting_area().get_pixel_range();
    Rect::new(x.start, y.start, x.end, y.end)
}

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

/// Writes row labels left of a plot whose rows are drawn at y = 0..k (row 0 at the top),
/// right-aligned against the plot.
fn row_labels<DB: DrawingBackend, X: plotters::coord::ranged1d::Ranged<ValueType = f64>>(
    area: &DrawingArea<DB, Shift>,
    layout: &mut Layout,
    chart: &ChartContext<
        DB,
        plotters::coord::cartesian::Cartesian2d<X, plotters::coord::types::RangedCoordf64>,
    >,
    x: f64,
    labels: &[String],
) -> DrawResult {
    let k = labels.len();
    let style = TextStyle::from((FONT, 20).into_font()).color(&INK);
    for (row, label) in labels.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(x, (k - 1 - row) as f64));
        let label = fit_text(area, label, &style, (px - 24).max(40) as u32);
        let (w, h) = Layout::measure(area, &label, &style)?;
        let spot = (px - 12 - w as i32, py - h as i32 / 2);
        layout.place(area, &label, &style, [spot], false)?;
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

/// A chart that draws itself on any backend, so [`write_chart`] can write it as PNG or SVG.
pub trait Drawing {
    fn draw_on<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> ChartResult;
}

/// Writes `chart` to `dir/stem.png` (or `.svg`); returns the file written.
pub fn write_chart(
    chart: &impl Drawing,
    dir: &Path,
    stem: &str,
    format: Format,
) -> Result<PathBuf, ChartError> {
    let path = dir.join(format!("{stem}.{}", format.extension()));
    match format {
        Format::Png => write_png(&path, |root| chart.draw_on(root)),
        Format::Svg => write_svg(&path, |root| chart.draw_on(root)),
    }?;
    Ok(path)
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

/// What the header band of a chart holds: the title (bold), the subtitle, a colour key of
/// (text, colour) entries, and notes (keys and caveats), each wrapped to the canvas.
pub struct Header<'h> {
    pub title: &'h str,
    pub subtitle: &'h str,
    pub legend: &'h [(String, RGBColor)],
    pub notes: &'h [String],
}

/// Draws the header band (every text placed through `layout`) and returns the area below it:
/// the band grows by a line for each legend row and note line, so nothing in it overprints
/// another and the plot never starts under it.
fn titled<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &mut Layout,
    header: &Header,
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    let width = WIDTH - 80;
    let (left, right) = (40, WIDTH as i32 - 40);
    let title_style = TextStyle::from((FONT, 34, FontStyle::Bold).into_font()).color(&INK);
    let subtitle_style = TextStyle::from((FONT, 22).into_font()).color(&MUTED);
    let title = fit_text(root, header.title, &title_style, width);
    layout.fixed(root, &title, &title_style, (left, 22))?;
    let subtitle = fit_text(root, header.subtitle, &subtitle_style, width);
    let subtitle_box = layout.fixed(root, &subtitle, &subtitle_style, (left, 66))?;
    let mut y = subtitle_box.bottom + 8;

    // The key: entries in reading order, on the subtitle's line when they all fit beside it,
    // else on lines of their own under it.
    let style = TextStyle::from((FONT, 20).into_font()).color(&INK);
    let entries: Vec<(String, RGBColor, i32)> = header
        .legend
        .iter()
        .map(|(text, colour)| {
            let text = fit_text(root, text, &style, width - 40);
            let w = Layout::measure(root, &text, &style).map_or(0, |(w, _)| w as i32);
            (text, *colour, w + 28)
        })
        .collect();
    let spacing = 30;
    let all: i32 = entries.iter().map(|e| e.2 + spacing).sum::<i32>() - spacing;
    let beside = !entries.is_empty() && all <= right - subtitle_box.right - 40;
    let mut lines: Vec<Vec<&(String, RGBColor, i32)>> = Vec::new();
    let mut line_width = 0;
    for entry in &entries {
        match lines.last_mut() {
            Some(line) if beside || line_width + spacing + entry.2 <= width as i32 => {
                line.push(entry);
                line_width += spacing + entry.2;
            }
            _ => {
                lines.push(vec![entry]);
                line_width = entry.2;
            }
        }
    }
    for line in &lines {
        let line_top = if beside { subtitle_box.top } else { y };
        let total: i32 = line.iter().map(|e| e.2 + spacing).sum::<i32>() - spacing;
        // Beside the subtitle the key is right-aligned; on lines of its own it reads from the left.
        let mut x = if beside { right - total } else { left };
        for (text, colour, w) in line.iter().map(|e| (&e.0, e.1, e.2)) {
            let swatch = Rect::new(x, line_top + 3, x + 20, line_top + 21);
            root.draw(&Rectangle::new(
                [(swatch.left, swatch.top), (swatch.right, swatch.bottom)],
                colour.filled(),
            ))?;
            layout.block(swatch);
            let placed = layout.fixed(root, text, &style, (x + 28, line_top))?;
            y = y.max(placed.bottom + 8);
            x += w + spacing;
        }
    }
    let note_style = TextStyle::from((FONT, 18).into_font()).color(&MUTED);
    for note in header.notes {
        for line in layout::wrap(root, note, &note_style, width) {
            let line = fit_text(root, &line, &note_style, width);
            let (w, _) = Layout::measure(root, &line, &note_style)?;
            let placed = layout.fixed(root, &line, &note_style, (right - w as i32, y))?;
            y = placed.bottom + 6;
        }
    }
    let band = (y + 6).max(120).min(HEIGHT as i32 / 3);
    Ok(root.split_vertically(band).1)
}

/// An axis title cut to fit under the plot (plotters centres it and would let it run off).
fn axis_desc<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, text: &str) -> String {
    fit_text(
        area,
        text,
        &TextStyle::from((FONT, 22).into_font()),
        WIDTH - 240,
    )
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

/// A chart builder with the house margins and axis-label room, for plots with a y scale of
/// short numbers (percentages) and one line of x tick labels.
fn house_builder<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
) -> ChartBuilder<'a, 'b, DB> {
    let mut builder = ChartBuilder::on(area);
    builder
        .margin_left(30)
        .margin_right(50)
        .margin_bottom(20)
        .x_label_area_size(70)
        .y_label_area_size(90);
    builder
}

/// The frame of an S-curve chart: local time across, probability of having arrived up, with
/// grid and tick labels on round local times.
fn arrival_curve_chart<'a, DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    layout: &mut Layout,
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
    let mut chart = house_builder(area).build_cartesian_2d(axis.lo..axis.hi, 0.0..1.0)?;
    let mut mesh = chart.configure_mesh();
    house_mesh(&mut mesh, 19.0, 22.0, 225)
        .x_labels(0)
        .disable_x_mesh()
        .y_labels(11)
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .x_desc(axis_desc(root, &axis.title()))
        .y_desc("probability of having arrived")
        .draw()?;
    axis.draw_grid(&mut chart, 0.0, 1.0)?;
    axis.draw_labels(root, layout, &chart, 0.0)?;
    Ok(chart)
}

/// A signed tick label with `decimals` decimals, and zero as "0" (never "-0" or "+0.0").
fn signed_tick(x: f64, decimals: usize) -> String {
    let text = format!("{x:+.decimals$}");
    if text
        .trim_start_matches(['+', '-'])
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        "0".to_owned()
    } else {
        text
    }
}

/// A percentage for chart labels: "63%" or "0.4%" when small.
fn short_percent(p: f64) -> String {
    if p > 0.0 && p < 0.01 {
        format!("{:.1}%", p * 100.0)
    } else {
        format!("{:.0}%", p * 100.0)
    }
}

/// A share with its 95% interval for chart labels: `6.3% [6.2%, 6.3%]`, two decimals below 1%
/// (`0.12% [0.12%, 0.13%]`), three when the interval's upper end is under 0.01%
/// (`0.000% [0.000%, 0.004%]`).
fn short_percent_with_ci(share: &crate::analysis::Share) -> String {
    let decimals = match share {
        s if s.fraction >= 0.01 => 1,
        s if s.ci95.1 >= 0.0001 => 2,
        _ => 3,
    };
    let show = |p: f64| crate::format::percent(p, decimals);
    format!(
        "{} [{}, {}]",
        show(share.fraction),
        show(share.ci95.0),
        show(share.ci95.1)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_on_charts_carry_their_intervals_with_the_decimals_they_need() {
        use crate::analysis::Share;
        assert_eq!(
            short_percent_with_ci(&Share::new(62_680, 1_000_000)),
            "6.3% [6.2%, 6.3%]"
        );
        assert_eq!(
            short_percent_with_ci(&Share::new(1_230, 1_000_000)),
            "0.12% [0.12%, 0.13%]"
        );
        assert_eq!(
            short_percent_with_ci(&Share::new(0, 100_000)),
            "0.000% [0.000%, 0.004%]"
        );
    }

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
