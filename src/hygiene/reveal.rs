//! The one gate every code path passes before it prints or writes a raw secret value:
//! `secret get`, `env`, `inject` and unencrypted exports call [`check`].
//!
//! Two rules:
//! - `byok env` does not print raw values onto a terminal (they would stay in scrollback)
//!   unless `--force` is given.
//! - The **reveal policy**: `never` (refuse, exit 8, and point at `byok exec`), `prompt` (ask
//!   on the terminal for each reveal) or `pipe` (the default: print). The policy in force is
//!   the strictest of the home's (`reveal` in `config.toml`, and the one `byok reveal`
//!   recorded in the vault, which editing the file cannot loosen), `BYOK_REVEAL` (which can
//!   only tighten), and each secret's own (`secret add --reveal`).
//!
//! A guardrail for AI coding agents that run shell commands as the user and read what a
//! command prints — not a security boundary: a process running as the user can still run
//! `byok exec -- printenv`. Loosening a policy needs the vault passphrase typed at a
//! terminal prompt ([`crate::unlock::unlock_typed`]).

use std::str::FromStr;

use crate::context::Context;
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
    /// An export that writes values unencrypted.
    Export,
}

impl Reveal {
    fn what(self) -> &'static str {
        match self {
            Reveal::Print => "`secret get`",
            Reveal::Env { .. } => "`env`",
            Reveal::Inject { .. } => "`inject`",
            Reveal::Export => "an unencrypted export",
        }
    }
}

/// A reveal policy, from loosest to strictest.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Policy {
    /// Print (today's behaviour).
    #[default]
    Pipe,
    /// Ask on the terminal for each reveal.
    Prompt,
    /// Refuse; `byok exec` still works.
    Never,
}

impl Policy {
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Pipe => "pipe",
            Policy::Prompt => "prompt",
            Policy::Never => "never",
        }
    }

    /// `self` or `other`, whichever is stricter.
    pub fn tighten(self, other: Option<Policy>) -> Policy {
        other.map_or(self, |o| self.max(o))
    }

    /// Parses an optional stored policy; an unknown word counts as `never` (a newer byok's
    /// stricter policy must not open up).
    pub fn from_stored(text: Option<&str>) -> Option<Policy> {
        text.map(|t| t.parse().unwrap_or(Policy::Never))
    }
}

impl FromStr for Policy {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self> {
        match text {
            "pipe" => Ok(Policy::Pipe),
            "prompt" => Ok(Policy::Prompt),
            "never" => Ok(Policy::Never),
            other => Err(Error::Usage(format!(
                "invalid reveal policy '{other}': expected never, prompt or pipe"
            ))),
        }
    }
}

/// The home's policy from `config.toml`, the vault and `BYOK_REVEAL`: the strictest.
///
/// The vault is consulted when its plaintext is at hand without a prompt (always so when a
/// vault secret was just read); otherwise only the file and the variable count.
pub fn home_policy(ctx: &Context) -> Result<Policy> {
    let config = Policy::from_stored(ctx.config()?.hygiene().reveal.as_deref());
    let env = env_policy(&ctx.settings);
    let registry = ctx.registry()?;
    let vault = registry.home_vault();
    let recorded = if vault.exists()
        && (vault.is_decrypted() || ctx.unlocker().get_without_prompt().is_some())
    {
        Policy::from_stored(vault.policy("home")?.and_then(|p| p.reveal).as_deref())
    } else {
        None
    };
    Ok(Policy::Pipe.tighten(config).tighten(env).tighten(recorded))
}

/// The home's policy without `BYOK_REVEAL` (what `byok reveal` changes).
pub fn recorded_policy(ctx: &Context) -> Result<Policy> {
    let config = Policy::from_stored(ctx.config()?.hygiene().reveal.as_deref());
    let vault = ctx.registry()?.home_vault();
    let recorded = if vault.exists() {
        Policy::from_stored(vault.policy("home")?.and_then(|p| p.reveal).as_deref())
    } else {
        None
    };
    Ok(Policy::Pipe.tighten(config).tighten(recorded))
}

/// `BYOK_REVEAL` (an unknown value counts as `never`).
pub fn env_policy(settings: &Settings) -> Option<Policy> {
    Policy::from_stored(settings.reveal.as_deref())
}

/// The policy in force for `secret` under `home`.
pub fn effective(home: Policy, secret: &Meta) -> Policy {
    home.tighten(Policy::from_stored(secret.reveal.as_deref()))
}

/// Fails when policy forbids revealing these secrets this way (exit 2/8 by the error);
/// asks on the terminal under `prompt`.
pub fn check(ctx: &Context, how: Reveal, secrets: &[&Meta]) -> Result<()> {
    check_terminal(&ctx.settings, how)?;
    let home = home_policy(ctx)?;
    check_with(&ctx.settings, home, how, secrets)
}

/// The terminal rule alone: `byok env` prints raw values onto a terminal only with `--force`.
pub fn check_terminal(settings: &Settings, how: Reveal) -> Result<()> {
    match how {
        Reveal::Env { forced: false } if settings.stdout_is_terminal => {
            Err(Error::RawValuesToTerminal)
        }
        Reveal::Inject { to_stdout: true } if settings.stdout_is_terminal => {
            Err(Error::RenderedToTerminal)
        }
        _ => Ok(()),
    }
}

/// [`check`] with the home's policy already known.
pub fn check_with(settings: &Settings, home: Policy, how: Reveal, secrets: &[&Meta]) -> Result<()> {
    let strictest = secrets
        .iter()
        .map(|m| (effective(home, m), Some(m.reference.as_str())))
        .max_by_key(|(p, _)| *p)
        .unwrap_or((home, None));
    match strictest {
        (Policy::Pipe, _) => Ok(()),
        (Policy::Never, reference) => Err(Error::RevealRefused {
            reference: reference.map(str::to_owned),
            how: how.what(),
            policy: "never".into(),
        }),
        (Policy::Prompt, reference) => {
            let refused = || Error::RevealRefused {
                reference: reference.map(str::to_owned),
                how: how.what(),
                policy: "prompt".into(),
            };
            if !settings.interactive() {
                return Err(refused());
            }
            let names: Vec<&str> = secrets.iter().map(|m| m.reference.as_str()).collect();
            let question = if names.is_empty() {
                "Reveal the secret value?".to_owned()
            } else {
                format!("Reveal {}?", names.join(", "))
            };
            if crate::prompt::confirm(&question)? {
                Ok(())
            } else {
                Err(refused())
            }
        }
    }
}

/// Whether going from `from` to `to` loosens (needs the typed passphrase).
pub fn loosens(from: Policy, to: Policy) -> bool {
    to < from
}

/// Loosening needs the vault passphrase typed at a terminal prompt, for this home's
/// identity; nothing cached or stored counts.
pub fn confirm_loosening(ctx: &crate::context::Context, why: &str) -> crate::error::Result<()> {
    let typed = crate::unlock::unlock_typed(&ctx.settings, why)?;
    if let Some(current) = ctx.unlocker().get_without_prompt()
        && current.recipient().to_string() != typed.recipient().to_string()
    {
        return Err(crate::error::Error::LoosenRefused {
            reason: "identity.age does not hold this vault's identity".into(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_strictest_policy_wins_and_unknown_words_are_strict() {
        assert_eq!(Policy::Pipe.tighten(Some(Policy::Never)), Policy::Never);
        assert_eq!(Policy::Never.tighten(Some(Policy::Pipe)), Policy::Never);
        assert_eq!(Policy::from_stored(Some("sometimes")), Some(Policy::Never));
        assert!(loosens(Policy::Never, Policy::Prompt));
        assert!(!loosens(Policy::Prompt, Policy::Never));
    }
}
