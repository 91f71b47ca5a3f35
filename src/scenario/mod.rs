//! Scenario text: reading the file and parsing its TOML into [`raw::RawScenario`], with syntax,
//! type and unknown-key errors located in the text.

pub mod overrides;
pub mod raw;
pub mod units;

use crate::diag::{Diagnostic, closest};
use std::path::Path;

/// Scenario files larger than this are refused before parsing (a scenario is hand-written text).
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A scenario's text and the path it came from, kept together so errors can quote it.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: String,
    pub text: String,
}

/// Why a scenario file could not be read at all (as opposed to being read and found wrong).
#[derive(Debug)]
pub enum ReadError {
    /// The file is missing or unreadable: a usage problem.
    Io(String),
    /// The file was read but is not a scenario eta can parse (too big, not UTF-8).
    Invalid(Box<(Diagnostic, Source)>),
}

impl Source {
    pub fn read(path: &Path) -> Result<Source, ReadError> {
        let shown = path.display().to_string();
        let meta = std::fs::metadata(path)
            .map_err(|e| ReadError::Io(format!("cannot read scenario file {shown}: {e}")))?;
        if meta.is_dir() {
            return Err(ReadError::Io(format!(
                "{shown} is a folder, not a scenario file"
            )));
        }
        if meta.len() > MAX_FILE_BYTES {
            let empty = Source {
                path: shown,
                text: String::new(),
            };
            return Err(ReadError::Invalid(Box::new((
                Diagnostic::new(format!(
                    "the scenario file is {} MB; eta reads scenario files up to {} MB",
                    meta.len() / 1_000_000,
                    MAX_FILE_BYTES / 1024 / 1024
                )),
                empty,
            ))));
        }
        let bytes = std::fs::read(path)
            .map_err(|e| ReadError::Io(format!("cannot read scenario file {shown}: {e}")))?;
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Source { path: shown, text }),
            Err(e) => {
                let valid_up_to = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                Err(ReadError::Invalid(Box::new((
                    Diagnostic::at(
                        "the scenario file is not valid UTF-8 text",
                        valid_up_to..valid_up_to + 1,
                        "this byte is not UTF-8",
                    )
                    .with_help("save the file as UTF-8"),
                    Source { path: shown, text },
                ))))
            }
        }
    }

    /// Parses the text as a scenario document, turning TOML errors into located diagnostics.
    pub fn parse(&self) -> Result<raw::RawScenario, Diagnostic> {
        if self.text.trim().is_empty() {
            return Err(Diagnostic::new("the scenario file is empty").with_help(
                "a scenario needs at least [scenario] with name and zone, and one start milestone",
            ));
        }
        toml::from_str(&self.text).map_err(|e| toml_diagnostic(&e))
    }
}

/// A TOML error as a diagnostic: its first line as the message, a "did you mean" for unknown keys.
fn toml_diagnostic(e: &toml::de::Error) -> Diagnostic {
    let message = e.message().trim();
    let first_line = message
        .lines()
        .next()
        .unwrap_or("invalid scenario")
        .to_owned();
    let (title, label) = split_message(&first_line);
    let mut d = match e.span() {
        Some(span) => Diagnostic::at(title, span, label),
        None => Diagnostic::new(title),
    };
    if let Some(rest) = first_line.strip_prefix("unknown field `") {
        let wrong = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        if let Some(near) = closest(wrong, expected.iter().copied()) {
            d = d.with_help(format!("did you mean `{near}`?"));
        } else if !expected.is_empty() {
            d = d.with_help(format!("expected one of: {}", expected.join(", ")));
        }
    } else if let Some(missing) = first_line.strip_prefix("missing field `") {
        let key = missing.split('`').next().unwrap_or("");
        d = d.with_help(format!("add `{key} = ...` to this table"));
    }
    d
}

/// Splits serde's "unknown field `x`, expected one of ..." into a title and a short label.
fn split_message(line: &str) -> (String, String) {
    match line.split_once(", expected") {
        Some((head, _)) if line.starts_with("unknown field") => {
            (head.to_owned(), "unknown key".to_owned())
        }
        _ => (line.to_owned(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<raw::RawScenario, Diagnostic> {
        Source {
            path: "t.toml".into(),
            text: text.into(),
        }
        .parse()
    }

    #[test]
    fn unknown_key_suggests_the_near_one() {
        let e = parse("[scenario]\nname = \"x\"\nzone = \"UTC\"\nsed = 3\n").unwrap_err();
        assert!(e.message.contains("unknown field `sed`"), "{e:?}");
        assert_eq!(e.help.as_deref(), Some("did you mean `seed`?"));
        assert_eq!(
            e.line_col("[scenario]\nname = \"x\"\nzone = \"UTC\"\nsed = 3\n"),
            Some((4, 1))
        );
    }

    #[test]
    fn syntax_error_is_located() {
        let text = "[scenario]\nname = \"x\nzone = \"UTC\"\n";
        let e = parse(text).unwrap_err();
        assert_eq!(e.line_col(text).map(|l| l.0), Some(2));
    }
}
