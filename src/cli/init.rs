//! `eta init [NAME]`: writes the starting scenario ([`TEMPLATE`], `init.toml` beside this file)
//! to NAME.toml, never over an existing file, and says what to run next.

use super::failure::Failure;
use super::stdout;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

/// The starting scenario: two legs, one uncertain speed, a deadline; every number labelled as an
/// example to replace. It runs as it is (tests/shell.rs).
pub const TEMPLATE: &str = include_str!("init.toml");

pub fn init(name: Option<&Path>) -> Result<(), Failure> {
    let name = name.unwrap_or(Path::new("scenario"));
    if name.file_name().is_none() || name.as_os_str().to_string_lossy().ends_with('/') {
        return Err(Failure::Usage(format!(
            "eta init {}: NAME must name a file, e.g. eta init trip",
            name.display()
        )));
    }
    let path = file_name(name);
    // `create_new` refuses any existing entry, a dangling symbolic link included, atomically.
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            return Err(Failure::Usage(format!(
                "{} already exists; eta init never replaces a file (give another name: eta init NAME)",
                path.display()
            )));
        }
        Err(e) => return Err(Failure::cannot_write(&path, e)),
    };
    if let Err(e) = file
        .write_all(TEMPLATE.as_bytes())
        .and_then(|()| file.sync_all())
    {
        // Leave no half-written scenario behind.
        let _ = std::fs::remove_file(&path);
        return Err(Failure::cannot_write(&path, e));
    }
    let shown = quoted(&path.display().to_string());
    stdout::print(&format!(
        "Wrote {shown}: a starting scenario (two legs, one uncertain speed, a deadline).\n\
         Replace its example numbers with yours, then run it:\n  eta run {shown}\n"
    ))
}

/// NAME.toml; a NAME that already ends in `.toml` is kept as it is.
fn file_name(name: &Path) -> PathBuf {
    if name.extension().is_some_and(|e| e == "toml") {
        name.to_owned()
    } else {
        let mut text = name.as_os_str().to_owned();
        text.push(".toml");
        PathBuf::from(text)
    }
}

/// The path as a shell word to paste: single-quoted unless it is plain.
fn quoted(path: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./+,:@%".contains(c);
    if !path.is_empty() && path.chars().all(plain) {
        path.to_owned()
    } else {
        format!("'{}'", path.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_get_toml_once() {
        assert_eq!(file_name(Path::new("trip")), PathBuf::from("trip.toml"));
        assert_eq!(
            file_name(Path::new("trip.toml")),
            PathBuf::from("trip.toml")
        );
        assert_eq!(file_name(Path::new("a/v1.2")), PathBuf::from("a/v1.2.toml"));
    }

    #[test]
    fn odd_paths_are_quoted_for_the_shell() {
        assert_eq!(quoted("trip.toml"), "trip.toml");
        assert_eq!(quoted("my trip.toml"), "'my trip.toml'");
        assert_eq!(quoted("it's.toml"), r"'it'\''s.toml'");
    }
}
