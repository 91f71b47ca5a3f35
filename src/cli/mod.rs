//! The command line: parses the arguments, hands each command to its own module, and turns the
//! outcome into an exit code. The library below knows nothing of it.
//!
//! - [`args`]: the grammar (clap); [`options`]: the arguments resolved into a plan, once;
//! - one module per command: [`run`], [`check`], [`compare`], [`sweep`], [`solve`], [`score`], [`fit`],
//!   [`watch`] (`run --watch`), [`init`]; [`shell`]: completion scripts and manual pages;
//! - [`stdout`]: the one writer of standard output; [`failure`]: errors, messages, exit codes;
//!   [`interrupt`]: Ctrl-C and SIGTERM turned into a clean stop.

mod args;
mod check;
mod compare;
mod failure;
mod fit;
mod init;
mod interrupt;
mod observe;
mod options;
mod report;
mod run;
mod score;
mod shell;
mod solve;
mod stdout;
mod sweep;
mod watch;

use args::{Cli, Command};
use clap::Parser;
use std::process::ExitCode;

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            failure::print_usage_error(&e);
            return ExitCode::from(2);
        }
        Err(e) => {
            // --help and --version, on standard output.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
    };
    // Commands that run trials stop cleanly on a signal; the others keep the default (they
    // write at most one small file and are quick to die).
    if matches!(
        cli.command,
        Command::Run(_)
            | Command::Compare(_)
            | Command::Sweep(_)
            | Command::Solve(_)
            | Command::Score(_)
    ) {
        interrupt::install();
    }
    let result = match &cli.command {
        Command::Run(args) if args.watch => watch::watch(args),
        Command::Run(args) => run::run(args).map(|_| ()),
        Command::Compare(args) => compare::compare(args),
        Command::Sweep(args) => sweep::sweep(args),
        Command::Solve(args) => solve::solve(args),
        Command::Score(args) => score::score(args),
        Command::Fit(args) => fit::fit(args),
        Command::Check { file } => check::check(file),
        Command::Init { name } => init::init(name.as_deref()),
        Command::Completions { shell } => shell::completions(*shell),
        Command::Man { command } => shell::man(command.as_deref()),
        Command::Schema => shell::schema(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
