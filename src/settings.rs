//! Flags and environment resolved once, before any command runs: commands never read
//! environment variables themselves.

use std::io::IsTerminal;
use std::path::PathBuf;

use secrecy::SecretString;

use crate::paths::{self, Paths};

/// Everything a command may consult about its surroundings.
#[derive(Debug)]
pub struct Settings {
    pub paths: Paths,
    /// `BYOK_IDENTITY_FILE`.
    pub identity_file: Option<PathBuf>,
    /// `BYOK_PASSPHRASE_FILE`.
    pub passphrase_file: Option<PathBuf>,
    /// `BYOK_PASSPHRASE` (`SecretString` prints redacted in `Debug`).
    pub passphrase: Option<SecretString>,
    pub stdin_is_terminal: bool,
    pub stdout_is_terminal: bool,
    pub stderr_is_terminal: bool,
    /// Colours on stderr (a terminal and no `NO_COLOR`).
    pub color: bool,
}

impl Settings {
    /// Reads the process environment; `home_flag` (`--home`) beats `BYOK_HOME`.
    pub fn from_env(home_flag: Option<PathBuf>) -> Self {
        let non_empty = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let home = home_flag
            .or_else(|| non_empty(paths::ENV_HOME).map(PathBuf::from))
            .or_else(Paths::default_home)
            .unwrap_or_else(|| PathBuf::from(".byok"));
        let stderr_is_terminal = std::io::stderr().is_terminal();
        Settings {
            paths: Paths::new(home),
            identity_file: non_empty(paths::ENV_IDENTITY_FILE).map(PathBuf::from),
            passphrase_file: non_empty(paths::ENV_PASSPHRASE_FILE).map(PathBuf::from),
            passphrase: std::env::var(paths::ENV_PASSPHRASE)
                .ok()
                .filter(|v| !v.is_empty())
                .map(SecretString::from),
            stdin_is_terminal: std::io::stdin().is_terminal(),
            stdout_is_terminal: std::io::stdout().is_terminal(),
            stderr_is_terminal,
            color: stderr_is_terminal && non_empty("NO_COLOR").is_none(),
        }
    }

    /// Whether we may ask the user something: both the input and the prompt's stream are a terminal.
    pub fn interactive(&self) -> bool {
        self.stdin_is_terminal && self.stderr_is_terminal
    }
}
