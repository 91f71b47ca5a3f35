//! `report.html`: a [`Document`] laid out as one self-contained page (inline CSS, inline SVG
//! charts, one small inline script, no reference to anything outside the file) that opens
//! offline in any current browser and prints on A4. `page` lays out the text, `charts` inlines
//! the charts, `style` holds the CSS and the script.

mod charts;
mod page;
mod style;

pub use charts::InlineChart;

use super::document::Document;

/// The first bytes of every report.html eta writes (how eta knows the file is its own).
pub const START: &str = crate::output::HTML_REPORT_START;

/// The page for `document`, with `charts` inlined where the document lists them.
pub fn render(document: &Document, charts: &[InlineChart]) -> String {
    page::render(document, charts)
}

/// Text made safe to place in HTML text and in double-quoted attributes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_is_escaped() {
        assert_eq!(
            escape("<b>\"A&B's\"</b>"),
            "&lt;b&gt;&quot;A&amp;B&#39;s&quot;&lt;/b&gt;"
        );
    }
}
