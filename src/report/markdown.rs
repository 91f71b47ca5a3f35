//! `report.md`: a [`Document`] as GitHub-flavoured Markdown, for pasting into an issue or a wiki:
//! the same content as `report.html`, with the charts as linked images of the chart files the
//! run wrote beside it.

use super::document::{Cell, Document};
use std::fmt::Write;

/// The first bytes of every report.md eta writes (how eta knows the file is its own).
pub const START: &str = crate::output::MARKDOWN_REPORT_START;

/// The Markdown for `document`; `chart_extension` is that of the chart files (`png`, `svg`), or
/// None when no charts were written.
pub fn render(doc: &Document, chart_extension: Option<&str>) -> String {
    let mut out = String::from(START);
    let _ = writeln!(out, "# {}\n", inline(&doc.title));
    if let Some(q) = &doc.question {
        let _ = writeln!(out, "{}\n", inline(q.trim()));
    }
    if let Some(given) = &doc.given {
        let _ = writeln!(out, "> **{}**\n", inline(given));
    }
    for h in &doc.headline {
        let _ = writeln!(
            out,
            "## {}: **{}**\n\n{} · {}\n",
            inline(&h.name),
            h.probability,
            inline(&h.interval),
            inline(&h.detail)
        );
    }
    if let Some(ext) = chart_extension.filter(|_| !doc.charts.is_empty()) {
        out.push_str("## Charts\n\n");
        for c in &doc.charts {
            let file = format!("{}.{ext}", c.stem);
            let _ = writeln!(out, "[![{}]({file})]({file})\n", inline(&c.caption));
        }
    }
    for s in &doc.sections {
        let _ = writeln!(out, "## {}\n", inline(&s.title));
        if let Some(note) = &s.note {
            let _ = writeln!(out, "{}\n", inline(note));
        }
        let header: Vec<String> = s.table.header.iter().map(|h| inline(h)).collect();
        let _ = writeln!(out, "| {} |", header.join(" | "));
        let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
        for row in &s.table.rows {
            let cells: Vec<String> = row.iter().map(cell).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "_Written by eta {}._", env!("CARGO_PKG_VERSION"));
    out
}

fn cell(c: &Cell) -> String {
    match &c.note {
        Some(note) => format!("{}<br>{}", inline(&c.text), inline(note)),
        None => inline(&c.text),
    }
}

/// Text kept on one line and out of Markdown's way: table pipes, emphasis, links and HTML.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '|' | '*' | '_' | '[' | ']' | '`' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_syntax_in_text_is_escaped() {
        assert_eq!(inline("a|b *c*\n<x>"), "a\\|b \\*c\\* &lt;x&gt;");
    }
}
