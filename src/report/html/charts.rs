//! The charts inlined as SVG (drawn in memory by the chart module), each with a layer of
//! invisible bands over its marked instants whose SVG `<title>` shows the value on hover.

use super::escape;
use crate::report::document::ChartRef;
use std::fmt::Write;

/// A chart drawn as SVG text, and where its time axis landed (values and pixel columns), if it
/// has one: what the hover layer needs to place its marks.
#[derive(Debug, Clone)]
pub struct InlineChart {
    pub svg: String,
    pub time_axis: Option<((f64, f64), (i32, i32))>,
}

/// Half the width, in the chart's pixels, of the band a mark can be hovered in.
const BAND: i32 = 7;

/// One chart as a figure: its SVG (without the XML namespace declaration, which HTML does not
/// need and which would be the page's only URL) with the hover layer before its end.
pub fn figure(out: &mut String, chart: &ChartRef, inline: &InlineChart) {
    let svg = inline
        .svg
        .replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
        .replacen("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "", 1);
    let svg = svg.trim();
    let (body, end) = svg
        .rsplit_once("</svg>")
        .map_or((svg, ""), |(body, _)| (body, "</svg>"));
    let _ = write!(out, "<figure id=\"chart-{}\">\n{body}", escape(&chart.stem));
    if let Some(((lo, hi), (left, right))) = inline.time_axis
        && hi > lo
        && !chart.marks.is_empty()
    {
        out.push_str("<g class=\"hover\">");
        for mark in chart.marks.iter().filter(|m| m.at >= lo && m.at <= hi) {
            let x = (f64::from(left) + (mark.at - lo) / (hi - lo) * f64::from(right - left)).round()
                as i32;
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"120\" width=\"{}\" height=\"760\"><title>{}</title></rect>",
                x - BAND,
                2 * BAND,
                escape(&mark.title)
            );
        }
        out.push_str("</g>");
    }
    let _ = writeln!(
        out,
        "{end}\n<figcaption>{}</figcaption>\n</figure>",
        escape(&chart.caption)
    );
}
