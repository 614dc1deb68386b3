//! Flags and environment resolved once, before any command runs: commands never read
//! environment variables themselves.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::IsTerminal;
use std::path::PathBuf;

use secrecy::SecretString;

use crate::paths::{self, Paths};

/// Everything a command may consult about its surroundings.
#[derive(Clone, Debug)]
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
    /// Colours on stdout (a terminal and no `NO_COLOR`).
    pub color_stdout: bool,
    /// The environment byok was started with: `exec` passes it on to the child, `import env`
    /// reads keys from it, and `import llm|aichat` find their default files with it.
    pub parent_env: ParentEnv,
    /// `BYOK_STORE_PASSPHRASE_FILE`: the passphrase of an age-file store's `identity`.
    pub store_passphrase_file: Option<PathBuf>,
    /// `--env NAME` over `BYOK_ENV`: the project environment (the project's `default_env`
    /// applies when neither is set).
    pub project_env: Option<String>,
    /// `--workspace NAME` over `BYOK_WORKSPACE`.
    pub workspace: Option<String>,
    /// The directory byok was started in (where the project file is looked for).
    pub cwd: Option<PathBuf>,
    /// The user's home directory (`HOME`): the project file search stops below it.
    pub user_home: Option<PathBuf>,
    /// `BYOK_FAULT` (debug builds only): a failure to inject, for the store tests.
    pub fault: Option<String>,
    /// `BYOK_REVEAL`: a reveal policy that can only tighten the configured one.
    pub reveal: Option<String>,
}

/// A snapshot of the process environment, taken once at start-up.
///
/// It may hold keys (`OPENAI_API_KEY=…`), so `Debug` prints the names only.
#[derive(Clone, Default)]
pub struct ParentEnv(Vec<(OsString, OsString)>);

impl ParentEnv {
    /// Takes the snapshot of the current process environment.
    pub fn capture() -> Self {
        Self(std::env::vars_os().collect())
    }

    /// A snapshot made of these pairs (for tests).
    pub fn from_pairs(pairs: impl IntoIterator<Item = (OsString, OsString)>) -> Self {
        Self(pairs.into_iter().collect())
    }

    /// The value of `name`, if set (empty values included).
    pub fn get(&self, name: &str) -> Option<&OsStr> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_os_str())
    }

    /// Every variable, in the order the operating system gave them.
    pub fn iter(&self) -> impl Iterator<Item = (&OsStr, &OsStr)> {
        self.0.iter().map(|(k, v)| (k.as_os_str(), v.as_os_str()))
    }
}

impl fmt::Debug for ParentEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.0.iter().map(|(k, _)| k))
            .finish()
    }
}

impl Settings {
    /// Whether `init` made this home: its vault or its identity is there. A home that lost
    /// one of them is still a home (commands then say which is missing, and `audit` can
    /// still list with hashed names); a mistyped `BYOK_HOME` has neither. Anything at those
    /// paths counts (a symlink or a FIFO there is refused later, by name).
    pub fn initialised(&self) -> bool {
        let there = |p: PathBuf| std::fs::symlink_metadata(p).is_ok();
        there(self.paths.vault())
            || there(self.paths.identity_txt())
            || there(self.paths.identity_age())
    }

    /// Reads the process environment; `home_flag` (`--home`) beats `BYOK_HOME`.
    pub fn from_env(home_flag: Option<PathBuf>) -> Self {
        let non_empty = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let home = home_flag
            .or_else(|| non_empty(paths::ENV_HOME).map(PathBuf::from))
            .or_else(Paths::default_home)
            .unwrap_or_else(|| PathBuf::from(".byok"));
        let stderr_is_terminal = std::io::stderr().is_terminal();
        let stdout_is_terminal = std::io::stdout().is_terminal();
        Settings {
            paths: Paths::new(home),
            identity_file: non_empty(paths::ENV_IDENTITY_FILE).map(PathBuf::from),
            passphrase_file: non_empty(paths::ENV_PASSPHRASE_FILE).map(PathBuf::from),
            passphrase: std::env::var(paths::ENV_PASSPHRASE)
                .ok()
                .filter(|v| !v.is_empty())
                .map(SecretString::from),
            stdin_is_terminal: std::io::stdin().is_terminal(),
            stdout_is_terminal,
            stderr_is_terminal,
            color: stderr_is_terminal && non_empty("NO_COLOR").is_none(),
            color_stdout: stdout_is_terminal && non_empty("NO_COLOR").is_none(),
            parent_env: ParentEnv::capture(),
            store_passphrase_file: non_empty(paths::ENV_STORE_PASSPHRASE_FILE).map(PathBuf::from),
            reveal: non_empty(paths::ENV_REVEAL).map(|v| v.to_string_lossy().into_owned()),
            project_env: non_empty("BYOK_ENV").and_then(|v| v.into_string().ok()),
            workspace: non_empty("BYOK_WORKSPACE").and_then(|v| v.into_string().ok()),
            cwd: std::env::current_dir().ok(),
            user_home: non_empty("HOME").map(PathBuf::from),
            fault: if cfg!(debug_assertions) {
                std::env::var("BYOK_FAULT").ok()
            } else {
                None
            },
        }
    }

    /// `--env NAME` wins over `BYOK_ENV`.
    pub fn with_project_env(mut self, flag: Option<String>) -> Self {
        if flag.is_some() {
            self.project_env = flag;
        }
        self
    }

    /// `--workspace NAME` wins over `BYOK_WORKSPACE`.
    pub fn with_workspace(mut self, flag: Option<String>) -> Self {
        if flag.is_some() {
            self.workspace = flag;
        }
        self
    }

    /// Whether we may ask the user something: both the input and the prompt's stream are a terminal.
    pub fn interactive(&self) -> bool {
        self.stdin_is_terminal && self.stderr_is_terminal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_env_debug_shows_names_only() {
        let env = ParentEnv::from_pairs([("OPENAI_API_KEY".into(), "sk-test-secret-value".into())]);
        let printed = format!("{env:?}");
        assert!(printed.contains("OPENAI_API_KEY"), "{printed}");
        assert!(!printed.contains("sk-test"), "{printed}");
        assert_eq!(
            env.get("OPENAI_API_KEY"),
            Some(OsStr::new("sk-test-secret-value"))
        );
    }
}
