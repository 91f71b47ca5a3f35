//! Label layout: every text a chart draws has its box measured (with the bundled DejaVu Sans
//! metrics, through plotters' `estimate_text_size`) before it is drawn, and is placed only where
//! that box overlaps no text already placed, no line reserved as an obstacle, and stays on the
//! canvas. A label that fits nowhere near its point is stacked further away with a leader line,
//! or left for the caller to put in a legend.

use super::{ChartError, HEIGHT, WIDTH};
use plotters::coord::Shift;
use plotters::prelude::*;

/// A box in canvas pixels: `left..right` across, `top..bottom` down (right and bottom exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
}

impl Rect {
    pub fn new(left: i32, top: i32, right: i32, bottom: i32) -> Rect {
        Rect {
            left,
            top,
            right,
            bottom,
        }
    }

    /// The box `(w, h)` would take with its top-left corner at `(x, y)`.
    pub fn at((x, y): (i32, i32), (w, h): (u32, u32)) -> Rect {
        Rect::new(x, y, x + w as i32, y + h as i32)
    }

    /// Whether the two boxes share any pixel.
    pub fn intersects(&self, other: &Rect) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }

    /// Whether this box lies wholly inside `outer`.
    pub fn inside(&self, outer: &Rect) -> bool {
        self.left >= outer.left
            && self.top >= outer.top
            && self.right <= outer.right
            && self.bottom <= outer.bottom
    }

    /// The box grown by `by` pixels on every side.
    pub fn grown(&self, by: i32) -> Rect {
        Rect::new(
            self.left - by,
            self.top - by,
            self.right + by,
            self.bottom + by,
        )
    }

    pub fn width(&self) -> i32 {
        self.right - self.left
    }

    pub fn height(&self) -> i32 {
        self.bottom - self.top
    }
}

/// The whole canvas of a chart.
pub fn canvas() -> Rect {
    Rect::new(0, 0, WIDTH as i32, HEIGHT as i32)
}

/// Pixels kept between a label and its neighbours.
const GAP: i32 = 4;
/// How far (in pixels along and across) a label may move to stay clear of curves.
const NEAR: i32 = 80;
/// The white backing drawn round a boxed label, beyond its text.
const BACKING: i32 = 5;
/// Pixels between the lines of a block of text.
const LINE_GAP: i32 = 3;

/// The box of lines of the given sizes stacked [`LINE_GAP`] apart: the widest, and all tall.
fn lines_size(sizes: &[(u32, u32)]) -> (u32, u32) {
    let width = sizes.iter().map(|s| s.0).max().unwrap_or(0);
    let gaps = sizes.len().saturating_sub(1) as u32 * LINE_GAP as u32;
    (width, sizes.iter().map(|s| s.1).sum::<u32>() + gaps)
}

/// What is already on a chart that text must not cover: the boxes of placed texts and the
/// obstacles (lines, legend swatches) reserved by the chart.
#[derive(Debug, Clone)]
pub struct Layout {
    bounds: Rect,
    taken: Vec<Rect>,
    /// Taken, but a label may cover it (over a white backing) when nothing near its point is
    /// free: curves, which a label should avoid but not be sent far away by.
    soft: Vec<Rect>,
    /// Whether [`Layout::place`] keeps clear of the soft obstacles too (only while
    /// [`Layout::place_near`] tries the spots near its point).
    avoid_soft: bool,
}

impl Default for Layout {
    fn default() -> Layout {
        Layout::new()
    }
}

impl Layout {
    /// An empty layout on the whole canvas.
    pub fn new() -> Layout {
        Layout {
            bounds: canvas(),
            taken: Vec::new(),
            soft: Vec::new(),
            avoid_soft: false,
        }
    }

    /// Marks `rect` as taken (a line, a swatch, a text drawn by the plotting library).
    pub fn block(&mut self, rect: Rect) {
        self.taken.push(rect);
    }

    /// Marks `rect` as softly taken (see [`Layout::place_near`]).
    pub fn block_soft(&mut self, rect: Rect) {
        self.soft.push(rect);
    }

    /// Marks a vertical line at pixel column `x` from `top` to `bottom` as taken.
    pub fn block_vertical(&mut self, x: i32, top: i32, bottom: i32) {
        self.block(Rect::new(x - 2, top, x + 3, bottom));
    }

    /// Whether `rect` is on the canvas and clear of everything taken.
    pub fn is_free(&self, rect: &Rect) -> bool {
        rect.inside(&self.bounds) && !self.taken.iter().any(|t| t.intersects(rect))
    }

    /// The box `text` takes in `style` (top-left anchored, as [`Layout::place`] draws it).
    pub fn measure<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        text: &str,
        style: &TextStyle,
    ) -> Result<(u32, u32), ChartError> {
        Ok(area.estimate_text_size(text, style)?)
    }

    /// Draws `text` with its top-left corner at the first of `spots` where its box (with a
    /// white backing if `backed`, and a small gap) is free, and marks it taken. Returns the box,
    /// or None (nothing drawn) when no spot is free.
    pub fn place<DB: DrawingBackend>(
        &mut self,
        root: &DrawingArea<DB, Shift>,
        text: &str,
        style: &TextStyle,
        spots: impl IntoIterator<Item = (i32, i32)>,
        backed: bool,
    ) -> Result<Option<Rect>, ChartError> {
        self.place_lines(root, &[text], style, spots, self.bounds, backed)
    }

    /// Draws `lines` one under another, left-aligned, as one block with its top-left corner at
    /// the first of `spots` where the whole block (backing and gap included) lies inside
    /// `region` and is free, and marks it taken: a note of several lines stays together beside
    /// what it is about. Returns the block's box, or None (nothing drawn) when no spot is free.
    pub fn place_lines<DB: DrawingBackend>(
        &mut self,
        root: &DrawingArea<DB, Shift>,
        lines: &[&str],
        style: &TextStyle,
        spots: impl IntoIterator<Item = (i32, i32)>,
        region: Rect,
        backed: bool,
    ) -> Result<Option<Rect>, ChartError> {
        let soft = self.avoid_soft;
        let sizes = lines
            .iter()
            .map(|line| Layout::measure(root, line, style))
            .collect::<Result<Vec<_>, _>>()?;
        let size = lines_size(&sizes);
        let pad = if backed { BACKING } else { 0 };
        // Spots are in the area's own pixels; boxes are kept in the canvas's.
        let base = root.get_base_pixel();
        for spot in spots {
            let text_box = Rect::at((spot.0 + base.0, spot.1 + base.1), size);
            let claimed = text_box.grown(pad);
            let clear_of_soft = || {
                let spaced = claimed.grown(GAP);
                !self.soft.iter().any(|t| t.intersects(&spaced))
            };
            if claimed.inside(&region)
                && self.is_free_with_gap(&claimed)
                && (!soft || clear_of_soft())
            {
                if backed {
                    root.draw(&Rectangle::new(
                        [
                            (spot.0 - pad, spot.1 - pad),
                            (spot.0 + size.0 as i32 + pad, spot.1 + size.1 as i32 + pad),
                        ],
                        WHITE.mix(0.88).filled(),
                    ))?;
                }
                let mut y = spot.1;
                for (line, (_, h)) in lines.iter().zip(&sizes) {
                    root.draw(&Text::new((*line).to_owned(), (spot.0, y), style.clone()))?;
                    y += *h as i32 + LINE_GAP;
                }
                self.taken.push(claimed);
                return Ok(Some(text_box));
            }
        }
        Ok(None)
    }

    /// The box `lines` take as one block in `style` (see [`Layout::place_lines`]).
    pub fn measure_lines<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        lines: &[&str],
        style: &TextStyle,
    ) -> Result<(u32, u32), ChartError> {
        let sizes = lines
            .iter()
            .map(|line| Layout::measure(area, line, style))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(lines_size(&sizes))
    }

    /// On the canvas, and at least [`GAP`] pixels from everything taken (a label may touch the
    /// canvas edge, never come close to another label).
    fn is_free_with_gap(&self, rect: &Rect) -> bool {
        let spaced = rect.grown(GAP);
        rect.inside(&self.bounds) && !self.taken.iter().any(|t| t.intersects(&spaced))
    }

    /// Draws `text` at `spot` whatever is there (titles, which come first), and marks it taken.
    pub fn fixed<DB: DrawingBackend>(
        &mut self,
        root: &DrawingArea<DB, Shift>,
        text: &str,
        style: &TextStyle,
        spot: (i32, i32),
    ) -> Result<Rect, ChartError> {
        let size = Layout::measure(root, text, style)?;
        root.draw(&Text::new(text.to_owned(), spot, style.clone()))?;
        let base = root.get_base_pixel();
        let rect = Rect::at((spot.0 + base.0, spot.1 + base.1), size);
        self.taken.push(rect);
        Ok(rect)
    }

    /// Places a label for the point `(x, y)` (pixels of `root`, the whole canvas) inside `region`: beside the point (right, then
    /// left; above, then below) if that is free, else stacked up or down the same side in steps
    /// of one line, joined to the point by a leader line in `ink`. None when nothing in the
    /// region is free (the caller then lists the label in a legend).
    pub fn place_near<DB: DrawingBackend>(
        &mut self,
        root: &DrawingArea<DB, Shift>,
        text: &str,
        style: &TextStyle,
        (x, y): (i32, i32),
        region: Rect,
        ink: RGBColor,
    ) -> Result<Option<Rect>, ChartError> {
        let (w, h) = Layout::measure(root, text, style)?;
        let (w, h) = (w as i32, h as i32);
        let offset = 14;
        let step = h + 2 * BACKING + GAP;
        // Candidates nearest first: beside the point, then further along and further up or
        // down (stacked a line at a time).
        let mut spots = Vec::new();
        for k in 0..(region.height() / step.max(1)).max(1) {
            for dx in (0..=480).step_by(40) {
                for (sx, sy) in [
                    (x + offset + dx, y - offset - h - k * step),
                    (x + offset + dx, y + offset + k * step),
                    (x - offset - w - dx, y - offset - h - k * step),
                    (x - offset - w - dx, y + offset + k * step),
                ] {
                    let distance = dx + k * step;
                    spots.push((distance, (sx, sy)));
                }
            }
        }
        spots.sort_by_key(|&(distance, _)| distance);
        let inside = |&(_, (sx, sy)): &(i32, (i32, i32))| {
            Rect::at((sx, sy), (w as u32, h as u32))
                .grown(BACKING)
                .inside(&region)
        };
        let spots: Vec<(i32, (i32, i32))> = spots.into_iter().filter(inside).collect();
        // Near the point and clear of curves if possible; else the nearest spot clear of the
        // hard obstacles, over a curve if need be, rather than far away.
        let near = spots
            .iter()
            .filter(|(distance, _)| *distance <= NEAR)
            .map(|s| s.1);
        self.avoid_soft = true;
        let placed_near = self.place(root, text, style, near, true);
        self.avoid_soft = false;
        let placed = match placed_near? {
            Some(placed) => Some(placed),
            None => self.place(root, text, style, spots.iter().map(|s| s.1), true)?,
        };
        let Some(placed) = placed else {
            return Ok(None);
        };
        // A label moved off its point is tied back to it.
        let nearest = (
            x.clamp(placed.left, placed.right),
            y.clamp(placed.top, placed.bottom),
        );
        if (nearest.0 - x).abs() > offset + 4 || (nearest.1 - y).abs() > offset + 4 {
            // The leader ends at the backing's edge facing the point, on each axis.
            let edge = |p: i32, lo: i32, hi: i32, nearest: i32| {
                if lo > p {
                    lo - BACKING
                } else if hi < p {
                    hi + BACKING
                } else {
                    nearest
                }
            };
            let edge_x = edge(x, placed.left, placed.right, nearest.0);
            let edge_y = edge(y, placed.top, placed.bottom, nearest.1);
            root.draw(&PathElement::new(
                vec![(x, y), (edge_x, edge_y)],
                ink.mix(0.7).stroke_width(1),
            ))?;
        }
        Ok(Some(placed))
    }
}

/// Words of `text` joined into lines no wider than `width` pixels in `style` (a word wider than
/// a line stands alone on its line and is cut with an ellipsis by the caller).
pub fn wrap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    width: u32,
) -> Vec<String> {
    let fits = |t: &str| {
        area.estimate_text_size(t, style)
            .is_ok_and(|(w, _)| w <= width)
    };
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let longer = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if line.is_empty() || fits(&longer) {
            line = longer;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_owned()));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{FONT, register_fonts};

    #[test]
    fn boxes_intersect_only_when_they_share_pixels() {
        let a = Rect::new(0, 0, 10, 10);
        assert!(a.intersects(&Rect::new(9, 9, 20, 20)));
        assert!(!a.intersects(&Rect::new(10, 0, 20, 10)), "touching edges");
        assert!(Rect::new(2, 2, 8, 8).inside(&a));
        assert!(!Rect::new(2, 2, 11, 8).inside(&a));
    }

    #[test]
    fn labels_for_one_point_are_stacked_apart_and_stay_on_the_canvas() {
        register_fonts();
        let mut pixels = vec![255u8; (WIDTH * HEIGHT * 3) as usize];
        let root = BitMapBackend::with_buffer(&mut pixels, (WIDTH, HEIGHT)).into_drawing_area();
        let style = TextStyle::from((FONT, 22).into_font());
        let mut layout = Layout::new();
        layout.block_vertical(1500, 0, 1000);
        let mut boxes = Vec::new();
        for k in 0..6 {
            let text = format!("deadline {k}: P(on time) = 50%");
            let placed = layout
                .place_near(&root, &text, &style, (1500, 500), canvas(), BLACK)
                .unwrap()
                .expect("room on the canvas");
            boxes.push(placed);
        }
        for (i, a) in boxes.iter().enumerate() {
            assert!(a.inside(&canvas()), "{a:?}");
            assert!(a.right < 1498 || a.left > 1503, "{a:?} covers the line");
            for b in &boxes[i + 1..] {
                assert!(!a.intersects(b), "{a:?} and {b:?}");
            }
        }
        // A region too small for any label gives None, and nothing is drawn.
        let tiny = Rect::new(0, 0, 30, 30);
        assert!(
            layout
                .place_near(
                    &root,
                    "too long for the region",
                    &style,
                    (10, 10),
                    tiny,
                    BLACK
                )
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn text_is_wrapped_at_words_to_the_width() {
        register_fonts();
        let mut pixels = vec![255u8; (WIDTH * HEIGHT * 3) as usize];
        let root = BitMapBackend::with_buffer(&mut pixels, (WIDTH, HEIGHT)).into_drawing_area();
        let style = TextStyle::from((FONT, 18).into_font());
        let text = "one two three four five six seven eight nine ten ".repeat(5);
        let lines = wrap(&root, &text, &style, 300);
        assert!(lines.len() > 2, "{lines:?}");
        for line in &lines {
            let (w, _) = root.estimate_text_size(line, &style).unwrap();
            assert!(w <= 300, "{line}: {w}");
        }
        assert_eq!(lines.join(" "), text.trim());
    }
}
