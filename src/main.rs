//! The `eta` binary: the command line ([`cli`]) over the `eta` library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
