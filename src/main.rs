//! The `byok` binary: everything lives in the library so it can be tested.

fn main() -> std::process::ExitCode {
    byok::run(std::env::args_os())
}
