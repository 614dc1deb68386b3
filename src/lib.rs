//! byok — bring your own key: a command-line manager for AI-provider API keys.
//!
//! The flow of every invocation: parse the command line ([`cli`]) → resolve settings from
//! flags and environment ([`settings`]) → a [`context::Context`] that opens the config, the
//! store registry and the identity lazily, once → run the command ([`commands`]) → render
//! any error with its cause chain, hint and exit code ([`error`]).

#![deny(unsafe_code)]

pub mod admin;
pub mod adopt;
pub mod cli;
pub mod commands;
pub mod config;
pub mod connector;
pub mod context;
pub mod error;
pub mod export;
pub mod formats;
pub mod fsutil;
#[doc(hidden)]
pub mod fuzzing;
pub mod hygiene;
pub mod import;
pub mod ledger;
pub mod mcp;
pub mod names;
pub mod net;
pub mod os;
pub mod paths;
pub mod prompt;
pub mod provider;
pub mod proxy;
pub mod scan;
pub mod scope;
pub mod secret;
pub mod settings;
pub mod store;
pub mod term;
pub mod translate;
pub mod unlock;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;

use crate::error::{Error, Exit};
use crate::settings::Settings;

/// Runs byok with these arguments and returns the process exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    // Before anything is read: no core dumps, no ptrace by the user's other processes.
    os::hardening::harden_process();
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version land here too, with exit code 0.
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    let ctx = context::Context::new(
        Settings::from_env(cli.home.clone())
            .with_project_env(cli.project_env.clone())
            .with_workspace(cli.workspace.clone()),
    );
    ctx.audit()
        .set_command(hygiene::audit::command_name(&cli.command));
    match commands::dispatch(cli.command, &ctx) {
        Ok(()) => Exit::Ok.into(),
        // `byok exec`: the child's status becomes ours, with nothing printed.
        Err(Error::ChildExit { code }) => ExitCode::from(code),
        Err(e) => render(&ctx.settings, &e).into(),
    }
}

/// Prints an error and its hint on stderr; returns the exit code.
fn render(settings: &Settings, error: &Error) -> Exit {
    if matches!(error, Error::BrokenPipe) {
        return Exit::Ok;
    }
    // What the message names may come from a server or a file (escape its controls), or be
    // a key the user pasted in the wrong place (hide it).
    let shown = |text: &str| {
        term::sanitize::text(&term::sanitize::shorten(&term::sanitize::hide_keys(text)))
            .into_owned()
    };
    let message = error.to_string();
    eprintln!(
        "{} {}",
        term::output::paint(settings, "31", "error:"),
        shown(&message)
    );
    // The cause chain, minus what the message already says. Causes are our own errors or
    // I/O and TLS errors: none carries a value, and reqwest's URL-bearing message is never
    // in a chain (network failures are rendered from our classified type).
    let mut said = message;
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !said.contains(&text) {
            eprintln!("  Caused by: {}", shown(&text));
            said.push_str(&text);
        }
        source = cause.source();
    }
    if let Some(hint) = error.hint() {
        // Continuation lines line up under the hint's first word.
        let hint = shown(&hint).replace('\n', "\n        ");
        eprintln!("  {} {hint}", term::output::paint(settings, "36", "hint:"));
    }
    error.exit()
}
