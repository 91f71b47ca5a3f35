//! Diagnostics: errors that point at the offending text of a scenario file.
//!
//! Every problem eta finds in user input becomes a [`Diagnostic`]: a message, the byte span it is
//! about, a label for the span and an optional help line. Rendering (file, line, column, the line
//! itself with the span underlined) happens once, in [`Diagnostic::render`].

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use std::ops::Range;

/// A located problem in a scenario (or in a command-line override of one).
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub message: String,
    pub span: Option<Range<usize>>,
    pub label: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(message: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            span: None,
            label: String::new(),
            help: None,
        }
    }

    pub fn at(message: impl Into<String>, span: Range<usize>, label: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            span: Some(span),
            label: label.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a "did you mean" help when one of `candidates` is close to `wrong`.
    pub fn suggest<'a>(self, wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Self {
        match closest(wrong, candidates) {
            Some(near) => self.with_help(format!("did you mean `{near}`?")),
            None => self,
        }
    }

    /// Renders the diagnostic against the text it points into, rustc-style:
    /// `error: ...`, then `--> path:line:column` and the line with the span underlined.
    pub fn render(&self, path: &str, source: &str, color: bool) -> String {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let title = Level::ERROR.primary_title(self.message.as_str());
        let first = match &self.span {
            Some(span) => title.element(
                Snippet::source(source).path(path).annotation(
                    AnnotationKind::Primary
                        .span(clamp_span(span, source))
                        .label(self.label.as_str()),
                ),
            ),
            None => title.element(Origin::path(path)),
        };
        let mut report: Vec<Group> = vec![first];
        if let Some(help) = &self.help {
            report.push(Group::with_title(
                Level::HELP.secondary_title(help.as_str()),
            ));
        }
        renderer.render(&report)
    }

    /// The 1-based line and column where the span starts, for tests and summaries.
    pub fn line_col(&self, source: &str) -> Option<(usize, usize)> {
        let start = self.span.as_ref()?.start.min(source.len());
        let before = source.get(..start)?;
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = source.get(line_start..start)?.chars().count() + 1;
        Some((line, column))
    }
}

/// A span that lies inside `source` and on char boundaries, so rendering never panics.
fn clamp_span(span: &Range<usize>, source: &str) -> Range<usize> {
    let mut start = span.start.min(source.len());
    let mut end = span.end.clamp(start, source.len());
    while !source.is_char_boundary(start) {
        start -= 1;
    }
    while !source.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// The candidate nearest to `wrong` by edit distance, if it is near enough to be a likely typo.
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let letters = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase()
    };
    let wrong_lower = wrong.to_lowercase();
    let wrong_letters = letters(wrong);
    candidates
        .into_iter()
        // Same letters, other punctuation ("kmh" for "km/h") is the nearest miss of all.
        .map(|c| {
            (
                if letters(c) == wrong_letters {
                    0
                } else {
                    edit_distance(&wrong_lower, &c.to_lowercase())
                },
                c,
            )
        })
        .filter(|(d, c)| *d <= (c.chars().count().max(wrong.chars().count()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev_diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = prev_diag + usize::from(ca != *cb);
            prev_diag = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(prev_diag + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names_only() {
        assert_eq!(
            closest("trianglar", ["triangular", "uniform"]),
            Some("triangular")
        );
        assert_eq!(closest("speeed", ["speed", "seed"]), Some("speed"));
        assert_eq!(closest("xyz", ["triangular", "uniform"]), None);
        assert_eq!(closest("kmh", ["km", "km/h"]), Some("km/h"));
    }

    #[test]
    fn line_and_column_are_one_based() {
        let src = "a = 1\nbb = 2\n";
        let d = Diagnostic::at("x", 6..8, "here");
        assert_eq!(d.line_col(src), Some((2, 1)));
    }

    #[test]
    fn render_names_file_line_and_column() {
        let src = "[scenario]\nname = 3\n";
        let d = Diagnostic::at("expected a string", 18..19, "a number").with_help("quote it");
        let text = d.render("s.toml", src, false);
        assert!(text.contains("s.toml:2:8"), "{text}");
        assert!(text.contains("expected a string"), "{text}");
        assert!(text.contains("help: quote it"), "{text}");
    }
}
