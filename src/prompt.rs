//! Terminal prompts (dialoguer). Callers check [`crate::settings::Settings::interactive`]
//! first: byok never prompts without a terminal, and every prompt has a flag or env alternative.

use secrecy::SecretString;

use crate::error::{Error, Result};

fn terminal_error(action: &'static str) -> impl FnOnce(dialoguer::Error) -> Error {
    move |e| {
        let dialoguer::Error::IO(source) = e;
        Error::Terminal { action, source }
    }
}

/// A hidden prompt for a passphrase or a secret value.
pub fn password(prompt: &str) -> Result<SecretString> {
    dialoguer::Password::new()
        .with_prompt(prompt)
        .allow_empty_password(true)
        .interact()
        .map(SecretString::from)
        .map_err(terminal_error("read from the terminal"))
}

/// A new passphrase, typed twice.
pub fn new_password(prompt: &str) -> Result<SecretString> {
    dialoguer::Password::new()
        .with_prompt(prompt)
        .with_confirmation(
            "Repeat passphrase",
            "The passphrases do not match; try again",
        )
        .allow_empty_password(true)
        .interact()
        .map(SecretString::from)
        .map_err(terminal_error("read from the terminal"))
}

/// A yes/no question; "no" unless the user types yes.
pub fn confirm(question: &str) -> Result<bool> {
    dialoguer::Confirm::new()
        .with_prompt(question)
        .default(false)
        .interact()
        .map_err(terminal_error("read from the terminal"))
}

/// A yes/no question answered "yes" by Enter.
pub fn confirm_yes(question: &str) -> Result<bool> {
    dialoguer::Confirm::new()
        .with_prompt(question)
        .default(true)
        .interact()
        .map_err(terminal_error("read from the terminal"))
}

/// A choice from `items`; returns the index.
pub fn select(prompt: &str, items: &[String], default: usize) -> Result<usize> {
    dialoguer::Select::new()
        .with_prompt(prompt)
        .items(items)
        .default(default)
        .interact()
        .map_err(terminal_error("read from the terminal"))
}

/// A line of text with `default` filled in (Enter keeps it); `allow_empty` lets an empty
/// answer through when there is no default.
pub fn input(prompt: &str, default: Option<&str>, allow_empty: bool) -> Result<String> {
    let mut input = dialoguer::Input::<String>::new()
        .with_prompt(prompt)
        .allow_empty(allow_empty);
    if let Some(default) = default {
        input = input.default(default.to_owned());
    }
    input
        .interact_text()
        .map_err(terminal_error("read from the terminal"))
}
