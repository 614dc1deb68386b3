//! The one gate every code path passes before it prints or writes a raw secret value:
//! `secret get`, `env` (and later `inject` and backups) call [`check`].
//!
//! Today it enforces one rule: `byok env` does not print raw values onto a terminal (they
//! would stay in scrollback) unless `--force` is given. A reveal policy (`reveal = "never"`
//! per home or per secret) plugs in here, in one place, and every caller obeys it.

use crate::error::{Error, Result};
use crate::settings::Settings;
use crate::store::Meta;

/// How a raw value is about to leave byok.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reveal {
    /// `secret get`: one value on stdout, usually into `$(…)` or a pipe.
    Print,
    /// `byok env`: shell code with values on stdout; `forced` is `--force`.
    Env { forced: bool },
    /// `byok inject`: a rendered template to a file (`to_stdout` false) or standard output.
    Inject { to_stdout: bool },
}

/// Fails when policy forbids revealing these secrets this way (exit 2/8 by the error).
pub fn check(settings: &Settings, how: Reveal, _secrets: &[&Meta]) -> Result<()> {
    match how {
        Reveal::Env { forced: false } if settings.stdout_is_terminal => {
            Err(Error::RawValuesToTerminal)
        }
        Reveal::Inject { to_stdout: true } if settings.stdout_is_terminal => {
            Err(Error::RenderedToTerminal)
        }
        Reveal::Env { .. } | Reveal::Print | Reveal::Inject { .. } => Ok(()),
    }
}
