//! byok — bring your own key: a command-line manager for AI-provider API keys.
//!
//! The flow of every invocation: parse the command line ([`cli`]) → resolve settings from
//! flags and environment ([`settings`]) → run the command ([`commands`]) → render any error
//! with its hint and exit code ([`error`]).

#![forbid(unsafe_code)]

pub mod cli;
pub mod commands;
pub mod config;
pub mod connector;
pub mod error;
pub mod fsutil;
pub mod import;
pub mod keychain;
pub mod names;
pub mod net;
pub mod output;
pub mod paths;
pub mod prompt;
pub mod provider;
pub mod redact;
pub mod run_child;
pub mod secret;
pub mod session_cache;
pub mod settings;
pub mod shell;
pub mod store;
pub mod target;
pub mod unlock;
pub mod usage;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;

use crate::error::{Error, Exit};
use crate::settings::Settings;

/// Runs byok with these arguments and returns the process exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version land here too, with exit code 0.
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    let settings = Settings::from_env(cli.home.clone());
    match commands::dispatch(cli.command, &settings) {
        Ok(()) => Exit::Ok.into(),
        // `byok exec`: the child's status becomes ours, with nothing printed.
        Err(Error::ChildExit { code }) => ExitCode::from(code),
        Err(e) => render(&settings, &e).into(),
    }
}

/// Prints an error and its hint on stderr; returns the exit code.
fn render(settings: &Settings, error: &Error) -> Exit {
    if matches!(error, Error::BrokenPipe) {
        return Exit::Ok;
    }
    eprintln!("{} {error}", output::paint(settings, "31", "error:"));
    if let Some(hint) = error.hint() {
        // Continuation lines line up under the hint's first word.
        let hint = hint.replace('\n', "\n        ");
        eprintln!("  {} {hint}", output::paint(settings, "36", "hint:"));
    }
    error.exit()
}
