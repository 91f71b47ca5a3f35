//! The page's text: the question, the headline in large type, the charts, then each section's
//! table (times switchable between the display zone and each row's own).

use super::charts::{self, InlineChart};
use super::style::{SCRIPT, STYLE};
use super::{START, escape};
use crate::report::document::{Cell, Document, Section};
use std::fmt::Write;

pub fn render(doc: &Document, inline: &[InlineChart]) -> String {
    let mut out =
        String::with_capacity(64 * 1024 + inline.iter().map(|c| c.svg.len()).sum::<usize>());
    let title = escape(&doc.title);
    let _ = write!(
        out,
        "{START}<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n\
         <header>\n<h1>{title}</h1>\n"
    );
    if let Some(question) = &doc.question {
        let _ = writeln!(out, "<p class=\"question\">{}</p>", escape(question.trim()));
    }
    if let Some(given) = &doc.given {
        let _ = writeln!(out, "<p class=\"given\">{}</p>", escape(given));
    }
    out.push_str("</header>\n");
    if !doc.headline.is_empty() {
        out.push_str("<section id=\"headline\" class=\"headline\">\n");
        for h in &doc.headline {
            let _ = writeln!(
                out,
                "<div class=\"answer\"><h2>{}</h2>\
                 <p class=\"big\" data-probability=\"{}\">{}</p>\
                 <p class=\"interval\">{}</p><p class=\"detail\">{}</p></div>",
                escape(&h.name),
                h.value,
                escape(&h.probability),
                escape(&h.interval),
                escape(&h.detail)
            );
        }
        out.push_str("</section>\n");
    }
    if !inline.is_empty() {
        out.push_str("<section id=\"charts\">\n<h2>Charts</h2>\n");
        out.push_str(
            "<p class=\"note\">Hover a marked point (a percentile or a deadline) to read its value.</p>\n",
        );
        for (chart, drawn) in doc.charts.iter().zip(inline) {
            charts::figure(&mut out, chart, drawn);
        }
        out.push_str("</section>\n");
    }
    for section in &doc.sections {
        write_section(&mut out, section);
    }
    let _ = write!(
        out,
        "</main>\n<footer>Written by eta {}. This file is self-contained: it needs no network.</footer>\n\
         <script>{SCRIPT}</script>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    out
}

fn write_section(out: &mut String, s: &Section) {
    let _ = writeln!(
        out,
        "<section id=\"{}\">\n<h2>{}</h2>",
        s.id,
        escape(&s.title)
    );
    if s.zone_switch {
        out.push_str(
            "<p class=\"switch\" role=\"group\" aria-label=\"time zone\">Times: \
             <button type=\"button\" data-zone=\"display\" aria-pressed=\"true\">scenario's zone</button> \
             <button type=\"button\" data-zone=\"own\" aria-pressed=\"false\">each milestone's own zone</button></p>\n",
        );
    }
    if let Some(note) = &s.note {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(note));
    }
    out.push_str("<div class=\"table\"><table>\n<thead><tr>");
    for h in &s.table.header {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &s.table.rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            write_cell(out, cell, i == 0);
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n</section>\n");
}

fn write_cell(out: &mut String, cell: &Cell, first: bool) {
    let tag = if first { "th scope=\"row\"" } else { "td" };
    let class = if cell.prose { " class=\"prose\"" } else { "" };
    let _ = write!(out, "<{tag}{class}>");
    match &cell.own_zone {
        Some(own) => {
            let _ = write!(
                out,
                "<span class=\"t\" data-own=\"{}\" data-display=\"{}\">{}</span>",
                escape(own),
                escape(&cell.text),
                escape(&cell.text)
            );
        }
        None => out.push_str(&escape(&cell.text)),
    }
    if let Some(note) = &cell.note {
        let _ = write!(out, "<small>{}</small>", escape(note));
    }
    let close = if first { "th" } else { "td" };
    let _ = write!(out, "</{close}>");
}
