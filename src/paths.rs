//! Where byok keeps its files, and every `BYOK_*` environment variable in one place.
//!
//! | variable               | meaning                                                        |
//! |------------------------|----------------------------------------------------------------|
//! | `BYOK_HOME`            | the home directory (default: the platform config dir + `byok`) |
//! | `BYOK_IDENTITY_FILE`   | a decrypted age identity file to unlock the vault with          |
//! | `BYOK_PASSPHRASE_FILE` | a file whose first line is the passphrase                       |
//! | `BYOK_PASSPHRASE`      | the passphrase itself (visible to the user's other processes)   |
//! | `BYOK_STORE_PASSPHRASE_FILE` | the passphrase (first line) of an age-file store's `identity` |
//! | `NO_COLOR`             | no colours on any stream                                         |
//! | `BYOK_REVEAL`          | a reveal policy (`never`, `prompt`) that tightens the configured one |
//! | `BYOK_FAULT`           | debug builds only: a failure to inject (`slow-rename:<ms>` …)   |
//! | `BYOK_TEST_NOW`        | debug builds only: the RFC 3339 time the usage ledger's clock starts at |
//! | `BYOK_PROXY_TOKEN`     | `exec --via-proxy` into an agent-proof proxy: the placeholder to use |

use std::path::{Path, PathBuf};

pub const ENV_HOME: &str = "BYOK_HOME";
pub const ENV_IDENTITY_FILE: &str = "BYOK_IDENTITY_FILE";
pub const ENV_PASSPHRASE_FILE: &str = "BYOK_PASSPHRASE_FILE";
pub const ENV_PASSPHRASE: &str = "BYOK_PASSPHRASE";
pub const ENV_STORE_PASSPHRASE_FILE: &str = "BYOK_STORE_PASSPHRASE_FILE";
pub const ENV_REVEAL: &str = "BYOK_REVEAL";
/// The placeholder `exec --via-proxy` hands on when the proxy is agent-proof (it cannot mint).
pub const ENV_PROXY_TOKEN: &str = "BYOK_PROXY_TOKEN";
/// Debug builds only: a fault to inject (`slow-rename:<ms>` widens the write→rename window).
pub const ENV_FAULT: &str = "BYOK_FAULT";
/// Debug builds only: the time the usage ledger and budgets take as "now" at start-up.
pub const ENV_TEST_NOW: &str = "BYOK_TEST_NOW";

/// The files under the home directory.
#[derive(Clone, Debug)]
pub struct Paths {
    pub home: PathBuf,
}

impl Paths {
    pub fn new(home: PathBuf) -> Self {
        Self { home }
    }

    /// `$BYOK_HOME`, else `~/.config/byok` (Linux), `~/Library/Application Support/byok`
    /// (macOS) or `%APPDATA%\byok\config` (Windows).
    pub fn default_home() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "byok").map(|d| d.config_dir().to_path_buf())
    }

    /// The age-encrypted secrets.
    pub fn vault(&self) -> PathBuf {
        self.home.join("vault.age")
    }

    /// The vault identity, encrypted with the passphrase.
    pub fn identity_age(&self) -> PathBuf {
        self.home.join("identity.age")
    }

    /// The vault identity in the clear (`init --no-passphrase` only).
    pub fn identity_txt(&self) -> PathBuf {
        self.home.join("identity.txt")
    }

    /// Non-secret settings.
    pub fn config(&self) -> PathBuf {
        self.home.join("config.toml")
    }

    /// The append-only usage log of connection tests (no keys).
    pub fn usage_log(&self) -> PathBuf {
        self.home.join("usage.jsonl")
    }

    /// The usage ledger (SQLite; no keys).
    pub fn ledger(&self) -> PathBuf {
        self.home.join("usage.db")
    }

    /// The home's random id (keychain accounts are namespaced with it).
    pub fn home_id(&self) -> PathBuf {
        self.home.join("home_id")
    }

    /// Serialises writers.
    pub fn lock(&self) -> PathBuf {
        self.home.join(".lock")
    }

    pub fn home(&self) -> &Path {
        &self.home
    }
}
