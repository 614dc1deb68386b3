//! byok — bring your own key: a command-line manager for AI-provider API keys.
//!
//! The flow of every invocation: parse the command line ([`cli`]) → resolve settings from
//! flags and environment ([`settings`]) → a [`context::Context`] that opens the config, the
//! store registry and the identity lazily, once → run the command ([`commands`]) → render
//! any error with its cause chain, hint and exit code ([`error`]).

#![deny(unsafe_code)]

pub mod admin;
pub mod audit;
pub mod backup;
pub mod cli;
pub mod commands;
pub mod config;
pub mod connector;
pub mod context;
pub mod env_refs;
pub mod error;
pub mod fsutil;
#[doc(hidden)]
pub mod fuzzing;
pub mod hardening;
pub mod home_trust;
pub mod import;
pub mod keychain;
pub mod ledger;
pub mod memlock;
pub mod names;
pub mod net;
pub mod output;
pub mod paths;
pub mod project;
pub mod prompt;
pub mod provider;
pub mod proxy;
pub mod reads;
pub mod redact;
pub mod reference;
pub mod reveal;
pub mod rotation;
pub mod run_child;
pub mod sanitize;
pub mod scan;
pub mod scope;
pub mod secret;
pub mod session_cache;
pub mod settings;
pub mod shell;
pub mod store;
pub mod target;
pub mod template;
pub mod translate;
pub mod trust;
pub mod unlock;
pub mod usage;
pub mod workspace;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;

use crate::error::{Error, Exit};
use crate::settings::Settings;

/// Runs byok with these arguments and returns the process exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    // Before anything is read: no core dumps, no ptrace by the user's other processes.
    hardening::harden_process();
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
    ctx.audit().set_command(audit::command_name(&cli.command));
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
    let shown =
        |text: &str| sanitize::text(&sanitize::shorten(&sanitize::hide_keys(text))).into_owned();
    let message = error.to_string();
    eprintln!(
        "{} {}",
        output::paint(settings, "31", "error:"),
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
        eprintln!("  {} {hint}", output::paint(settings, "36", "hint:"));
    }
    error.exit()
}
