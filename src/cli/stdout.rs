//! The one writer of standard output: every command prints through [`print`]. A closed pipe
//! (`eta check x.toml | head -1`) is not an error but the reader's choice: the command ends
//! quietly with status 0.

use super::failure::Failure;
use std::io::{ErrorKind, Write};

/// Writes `text` to standard output and flushes it.
pub fn print(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Err(Failure::Closed),
        Err(e) => Err(Failure::Run(format!(
            "cannot write to standard output: {e}"
        ))),
    }
}
