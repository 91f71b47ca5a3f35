//! The one writer of standard output: every command prints through [`print`]. A closed pipe
//! (`eta check x.toml | head -1`) is not an error but the reader's choice: the command ends
//! quietly with status 0. Nothing it prints can drive the terminal: control characters (an ESC
//! or BEL in a scenario's name) are shown as visible pictures ([`eta::format::printable`]).

use super::failure::Failure;
use std::io::{ErrorKind, Write};

/// Writes `text` to standard output and flushes it.
pub fn print(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    let text = eta::format::printable(text);
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Err(Failure::Closed),
        Err(e) => Err(Failure::Run(format!(
            "cannot write to standard output: {e}"
        ))),
    }
}
