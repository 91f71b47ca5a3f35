//! Scenario text: reading the file and parsing its TOML into [`raw::RawScenario`], with syntax,
//! type and unknown-key errors located in the text.

pub mod comments;
pub mod overrides;
pub mod raw;

use crate::diag::{Diagnostic, closest};
use std::io::Read;
use std::path::Path;

/// Scenario files larger than this are refused before parsing (a scenario is hand-written text).
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A scenario's text and the path it came from, kept together so errors can quote it.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: String,
    pub text: String,
}

/// A diagnostic and the scenario text it points into: the one located error every error type
/// that reports a scenario problem carries (boxed, so results stay small).
#[derive(Debug, Clone)]
pub struct Located {
    pub diagnostic: Diagnostic,
    pub source: Source,
}

impl Located {
    pub fn new(diagnostic: Diagnostic, source: Source) -> Box<Located> {
        Box::new(Located { diagnostic, source })
    }

    /// The diagnostic rendered against its text (see [`Diagnostic::render`]).
    pub fn render(&self, color: bool) -> String {
        self.diagnostic
            .render(&self.source.path, &self.source.text, color)
    }
}

impl std::fmt::Display for Located {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Located {}

/// Why a scenario file could not be read at all (as opposed to being read and found wrong).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file is missing or unreadable.
    #[error("cannot read scenario file {path}: {error}")]
    Io {
        path: String,
        #[source]
        error: std::io::Error,
    },
    /// The path names a folder.
    #[error("{path} is a folder, not a scenario file")]
    Folder { path: String },
    /// The file was read but is not a scenario eta can parse (too big, not UTF-8).
    #[error(transparent)]
    Invalid(Box<Located>),
}

impl Source {
    pub fn read(path: &Path) -> Result<Source, ReadError> {
        let shown = path.display().to_string();
        let io = |error, path: &str| ReadError::Io {
            path: path.to_owned(),
            error,
        };
        let meta = std::fs::metadata(path).map_err(|e| io(e, &shown))?;
        if meta.is_dir() {
            return Err(ReadError::Folder { path: shown });
        }
        let too_big = |size: String, shown: String| {
            ReadError::Invalid(Located::new(
                Diagnostic::new(format!(
                    "the scenario file is {size}; eta reads scenario files up to {} MiB",
                    MAX_FILE_BYTES >> 20
                )),
                Source {
                    path: shown,
                    text: String::new(),
                },
            ))
        };
        if meta.len() > MAX_FILE_BYTES {
            let mib = meta.len() as f64 / f64::from(1 << 20);
            return Err(too_big(format!("{mib:.1} MiB"), shown));
        }
        // Read at most one byte past the limit: a device or a pipe (`/dev/zero`) reports no
        // size, and must not be read without end.
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(|e| io(e, &shown))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(too_big(
                format!("more than {} MiB", MAX_FILE_BYTES >> 20),
                shown,
            ));
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Source { path: shown, text }),
            Err(e) => {
                let valid_up_to = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                Err(ReadError::Invalid(Located::new(
                    Diagnostic::at(
                        "the scenario file is not valid UTF-8 text",
                        valid_up_to..valid_up_to + 1,
                        "this byte is not UTF-8",
                    )
                    .with_help("save the file as UTF-8"),
                    Source { path: shown, text },
                )))
            }
        }
    }

    /// Parses the text as a scenario document, turning TOML errors into located diagnostics.
    pub fn parse(&self) -> Result<raw::RawScenario, Diagnostic> {
        let blank = |l: &str| l.trim().is_empty() || l.trim_start().starts_with('#');
        if self.text.lines().all(blank) {
            let message = if self.text.trim().is_empty() {
                "the scenario file is empty"
            } else {
                "the scenario file is empty: it holds only comments"
            };
            return Err(Diagnostic::new(message).with_help(
                "a scenario needs at least [scenario] with name and zone, and one start milestone",
            ));
        }
        toml::from_str(&self.text).map_err(|e| toml_diagnostic(&e, &self.text))
    }

    /// Parses the text as an observations file (`--observed`): an `[observed]` table only.
    pub fn parse_observations(&self) -> Result<raw::RawObservationFile, Diagnostic> {
        toml::from_str(&self.text).map_err(|e| toml_diagnostic(&e, &self.text))
    }
}

/// A TOML error as a diagnostic: its first line as the message, a "did you mean" for unknown keys.
fn toml_diagnostic(e: &toml::de::Error, text: &str) -> Diagnostic {
    let message = e.message().trim();
    let first_line = message
        .lines()
        .next()
        .unwrap_or("invalid scenario")
        .to_owned();
    if first_line == "recursion limit" {
        return deepest_key(text);
    }
    if let Some(quoted) = e
        .span()
        .and_then(|s| text.get(s.clone()).map(|q| (s, q.trim())))
        && quoted.1.parse::<toml::value::Datetime>().is_ok()
        && (first_line.contains("$__toml_private_datetime")
            || first_line.contains("invalid type: map"))
    {
        let (span, value) = quoted;
        return Diagnostic::at(
            "a date or time must be written as a string here",
            span,
            "an unquoted TOML date or time",
        )
        .with_help(format!("put it in quotes: \"{value}\""));
    }
    if first_line == "missing field `scenario`" {
        return Diagnostic::new("the file has no [scenario] table").with_help(
            "start the file with [scenario], then `name = \"...\"` and `zone = \"...\"` (an IANA time-zone name)",
        );
    }
    let (title, label) = split_message(&first_line);
    let quoted = e
        .span()
        .and_then(|s| text.get(s))
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 80 && !k.contains('\n'));
    let title = match (title.as_str(), quoted) {
        ("duplicate key", Some(key)) => format!("duplicate key `{key}`"),
        ("string values must be quoted, expected literal string", None) => {
            "a value is missing after `=`".to_owned()
        }
        _ => human_types(&title),
    };
    let mut d = match e.span() {
        Some(span) => Diagnostic::at(title, span, label),
        None => Diagnostic::new(title),
    };
    if let Some(help) = syntax_help(&first_line) {
        d = d.with_help(help);
    }
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

/// The TOML reader stops on keys nested too deeply but does not say where: point at the line
/// whose key has the most levels.
fn deepest_key(text: &str) -> Diagnostic {
    let message = "a key has too many levels for eta to read";
    let help = "scenario keys are a few levels deep, e.g. `dprk_speed.mode` or [milestones.fefu]";
    let mut offset = 0;
    let mut deepest: Option<(usize, std::ops::Range<usize>)> = None;
    for line in text.split_inclusive('\n') {
        let key = line.split('=').next().unwrap_or("");
        let levels = key.matches('.').count();
        if deepest.as_ref().is_none_or(|(most, _)| levels > *most) {
            let start = offset + (line.len() - line.trim_start().len());
            deepest = Some((levels, start..offset + key.trim_end().len()));
        }
        offset += line.len();
    }
    match deepest {
        Some((levels, span)) if levels > 0 => {
            Diagnostic::at(message, span, format!("{} levels", levels + 1)).with_help(help)
        }
        _ => Diagnostic::new(message).with_help(help),
    }
}

/// serde's type words as a scenario author knows them: TOML's tables, arrays and integers, not
/// the Rust types they are read into.
fn human_types(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("invalid type: integer `")
        && let Some((digits, _)) = rest.split_once("` as i128")
    {
        return format!(
            "the integer {digits} is too large (the largest is {})",
            i64::MAX
        );
    }
    [
        (
            "expected struct RawStart",
            "expected a table such as { date = \"2023-09-10\", time = \"06:00\" }",
        ),
        ("expected struct RawDist", "expected a distribution table"),
        ("expected struct RawMeta", "expected a table"),
        ("expected struct RawRoute", "expected a table"),
        ("expected struct RawMilestone", "expected a table"),
        ("expected struct RawStep", "expected a table"),
        ("expected struct RawDeadline", "expected a table"),
        (
            "expected struct RawRequire",
            "expected a table such as { route = \"attend\" }",
        ),
        (
            "expected struct RawVariant",
            "expected a table such as { description = \"...\", set = { input = value } }",
        ),
        (
            "expected struct RawCorrelation",
            "expected a table such as { inputs = [\"a\", \"b\"], rank = 0.5 }",
        ),
        (
            "cannot recurse further; max recursion depth met",
            "values nest too deeply (arrays or tables inside one another)",
        ),
        ("unknown field `", "unknown key `"),
        ("missing field `", "missing key `"),
        ("expected i64", "expected an integer"),
        ("expected a sequence", "expected an array"),
        ("expected a map", "expected a table"),
        ("invalid type: map", "invalid type: table"),
        ("invalid type: sequence", "invalid type: array"),
    ]
    .iter()
    .fold(message.to_owned(), |m, (from, to)| m.replace(from, to))
}

/// A hint for the TOML mistakes people make most.
fn syntax_help(message: &str) -> Option<&'static str> {
    if message.starts_with("duplicate key") {
        Some(
            "a key may appear once in a table, and a table may be defined once; remove or rename one",
        )
    } else if message == "invalid type: map, expected a sequence" {
        Some("steps are a list: write each one as [[steps]], with double brackets")
    } else if message == "invalid type: sequence, expected a map" {
        Some("write this table with single brackets, e.g. [milestones.home]")
    } else if message.starts_with("string values must be quoted") {
        Some(
            "write text in quotes (\"Asia/Vladivostok\", \"870 km\") and numbers plainly (40, 0.25)",
        )
    } else if message.starts_with("key with no value") {
        Some("write `key = value`; a key is one word, so use `_` between words (`wait_for`)")
    } else if message.starts_with("missing escaped value") {
        Some(
            "write `\\\\` for a backslash, or use single quotes for a literal string: 'C:\\trains'",
        )
    } else {
        None
    }
}

/// Splits serde's "unknown field `x`, expected one of ..." into a title and a short label.
fn split_message(line: &str) -> (String, String) {
    match line.split_once(", expected") {
        Some((head, _)) if line.starts_with("unknown field") => {
            (head.to_owned(), "unknown key".to_owned())
        }
        _ => match line.strip_prefix("missing field `") {
            Some(rest) => (
                line.to_owned(),
                format!("`{}` missing in this table", rest.trim_end_matches('`')),
            ),
            None => (line.to_owned(), String::new()),
        },
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
        assert!(e.message.contains("unknown key `sed`"), "{e:?}");
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
