//! The top-level error: every way a command can fail, how each is printed, and the exit code it
//! gives (1: the scenario is wrong or the run failed; 2: the command was used wrongly; 130: a
//! signal interrupted the run, which left nothing behind; 0 and no message: standard output was
//! closed, e.g. by `| head`). Library errors arrive typed; this is
//! the one place that adds the command line's context (the flag, the file) to them.

use eta::chart::ChartError;
use eta::engine::{RunError, SamplingError};
use eta::load::{LoadError, unknown_variant};
use eta::scenario::overrides::OverrideError;
use eta::scenario::{Located, ReadError};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The scenario is wrong: a diagnostic located in its text.
    #[error(transparent)]
    Scenario(Box<Located>),
    /// The command was used wrongly.
    #[error("{0}")]
    Usage(String),
    /// The run (or writing its results) failed.
    #[error("{0}")]
    Run(String),
    /// Ctrl-C, SIGTERM or SIGHUP stopped the command (see `interrupt`).
    #[error("interrupted")]
    Interrupted,
    /// Standard output was closed: a normal, quiet end.
    #[error("standard output is closed")]
    Closed,
}

impl Failure {
    /// `cannot write PATH: ERROR`, a failed run.
    pub fn cannot_write(path: &Path, e: impl std::fmt::Display) -> Failure {
        Failure::Run(format!("cannot write {}: {e}", path.display()))
    }

    /// `FLAG: ERROR`, a usage error.
    pub fn flag(flag: &str, e: impl std::fmt::Display) -> Failure {
        Failure::Usage(format!("{flag}: {e}"))
    }

    /// Prints the failure the way its kind calls for and gives the exit code.
    pub fn report(self) -> ExitCode {
        let mut stderr = std::io::stderr();
        match self {
            Failure::Scenario(located) => {
                let _ = writeln!(stderr, "{}", located.render(colour()));
                ExitCode::from(1)
            }
            Failure::Usage(message) => {
                let _ = writeln!(stderr, "error: {message}");
                ExitCode::from(2)
            }
            Failure::Run(message) => {
                let _ = writeln!(stderr, "error: {message}");
                ExitCode::from(1)
            }
            Failure::Interrupted => {
                let _ = writeln!(stderr, "interrupted: stopped before changing any output");
                ExitCode::from(130)
            }
            Failure::Closed => ExitCode::SUCCESS,
        }
    }
}

/// Whether diagnostics on standard error may be coloured: only when it is a terminal and
/// `NO_COLOR` is unset (set to anything, even empty, it turns colour off). The one rule for every
/// message eta writes there, clap's usage errors included.
pub fn colour() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// A usage error found by clap (unknown flag, missing argument), coloured by [`colour`]'s rule
/// rather than clap's own (which also heeds `CLICOLOR_FORCE`, even on a pipe).
pub fn print_usage_error(e: &clap::Error) {
    let rendered = e.render();
    let text = if colour() {
        rendered.ansi().to_string()
    } else {
        rendered.to_string()
    };
    let _ = write!(std::io::stderr(), "{text}");
}

impl From<ChartError> for Failure {
    fn from(e: ChartError) -> Failure {
        Failure::Run(e.to_string())
    }
}

impl From<LoadError> for Failure {
    fn from(e: LoadError) -> Failure {
        match e {
            LoadError::Read(ReadError::Invalid(located)) | LoadError::Invalid(located) => {
                Failure::Scenario(located)
            }
            LoadError::Read(e) => Failure::Usage(e.to_string()),
            LoadError::Override(e) => e.into(),
            LoadError::UnknownVariant { name, declared } => Failure::Usage(format!(
                "--variant {name}: the scenario has no such variant{}",
                unknown_variant(&name, &declared)
            )),
        }
    }
}

impl From<OverrideError> for Failure {
    fn from(e: OverrideError) -> Failure {
        match e {
            OverrideError::Syntax { .. } => {
                Failure::Usage(format!("{e}, e.g. --set dprk_speed.mode=55"))
            }
            e => Failure::Usage(e.to_string()),
        }
    }
}

impl From<SamplingError> for Failure {
    fn from(e: SamplingError) -> Failure {
        match e {
            SamplingError::Dimensions { .. } => {
                Failure::Usage(format!("--sampling sobol: {e}; use --sampling lhs or mc"))
            }
            SamplingError::Points { .. } => Failure::flag("--sampling sobol", e),
        }
    }
}

impl From<RunError> for Failure {
    fn from(e: RunError) -> Failure {
        match e {
            RunError::Sampling(e) => e.into(),
            RunError::Cancelled => Failure::Interrupted,
            e => Failure::Run(e.to_string()),
        }
    }
}
