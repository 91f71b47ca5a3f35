fn main() -> std::process::ExitCode {
    eta::cli::main()
}
