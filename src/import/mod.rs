//! Reading API keys that users already keep elsewhere, so byok can offer to
//! import them.
//!
//! Each source module only parses text into [`Candidate`]s; nothing here
//! writes anywhere. Sources:
//!
//! * [`dotenv`]: `.env` files (`KEY=value` lines);
//! * [`llm`]: Simon Willison's `llm` CLI `keys.json`;
//! * [`aichat`]: aichat's `config.yaml` `clients:` list.
//!
//! Errors ([`ImportError`]) name the file position and the offending entry
//! name but never a value: parser messages from serde_json and saphyr are not
//! passed through because they can quote the input.

pub mod aichat;
pub mod dotenv;
pub mod llm;

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use zeroize::Zeroizing;

use crate::provider::catalog;

/// A key found in another tool's configuration, proposed for import.
pub struct Candidate {
    /// Name in the source: an environment variable (`OPENAI_API_KEY`), an
    /// `llm` key name (`openai`) or an aichat client name/type.
    pub var_or_key: String,
    /// Proposed byok reference name: `[a-z][a-z0-9_]{0,63}`.
    pub ref_name: String,
    /// Guessed byok provider id (a [`crate::provider::catalog`] id), if recognisable.
    pub provider: Option<&'static str>,
    /// The secret itself.
    pub value: SecretString,
}

impl fmt::Debug for Candidate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Candidate")
            .field("var_or_key", &self.var_or_key)
            .field("ref_name", &self.ref_name)
            .field("provider", &self.provider)
            .field("value", &"[REDACTED]")
            .finish()
    }
}

/// Why a source could not be read. Never contains a secret value.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file that failed.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not UTF-8 text.
    #[error("{} is not UTF-8 text; re-save it as UTF-8", path.display())]
    NotUtf8 {
        /// The file that failed.
        path: PathBuf,
    },
    /// A `.env` line could not be parsed.
    #[error("dotenv line {line}: {problem}")]
    Dotenv {
        /// 1-based line number where the problem starts.
        line: usize,
        /// What is wrong.
        problem: DotenvProblem,
    },
    /// The `llm` keys file is not valid JSON.
    #[error(
        "llm keys.json is not valid JSON ({kind}) at line {line}, column {column}; fix the file or re-create the keys with `llm keys set`"
    )]
    LlmJson {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// Error category (`syntax error`, `unexpected end of file`, ...).
        kind: &'static str,
    },
    /// The `llm` keys file is JSON but not a flat object of strings.
    #[error("llm keys.json: {problem}")]
    LlmShape {
        /// What is wrong, naming the entry but not its value.
        problem: String,
    },
    /// The aichat config is not valid YAML.
    #[error(
        "aichat config is not valid YAML at line {line}, column {column}; run `aichat --info` or check the file in an editor"
    )]
    AichatYaml {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The aichat config is YAML but not shaped as aichat expects.
    #[error("aichat config: {problem}")]
    AichatShape {
        /// What is wrong, naming the entry but not its value.
        problem: String,
    },
}

/// What is wrong with a dotenv line (see [`ImportError::Dotenv`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DotenvProblem {
    /// The line is neither a comment nor `NAME=value`.
    #[error("expected `NAME=value`, a `# comment` or a blank line")]
    MissingEquals,
    /// The variable name has characters other than letters, digits, `_`, `.` or `-`.
    #[error("invalid variable name: use letters, digits and `_` (and not a leading digit or `=`)")]
    InvalidName,
    /// A quoted value is never closed.
    #[error(
        "the {quote} quote opened here is never closed; close it, or escape quotes inside the value"
    )]
    Unterminated {
        /// `single` or `double`.
        quote: &'static str,
    },
    /// Text follows a closing quote on the same line.
    #[error(
        "unexpected text after the closing quote; only a ` # comment` may follow a quoted value"
    )]
    TrailingText,
}

/// Guesses the byok provider id from a conventional environment variable
/// name such as `OPENAI_API_KEY` or `CLAUDE_API_KEY` (case-insensitive): any
/// name the catalog exports or recognises ([`catalog::by_env_var`]).
pub fn guess_provider(var_name: &str) -> Option<&'static str> {
    catalog::by_env_var(var_name).map(|spec| spec.id)
}

/// Whether an environment variable name looks like it holds an API key:
/// any `*_API_KEY`, plus the known names of [`guess_provider`] (e.g.
/// `AA_TOKEN`, `LM_API_TOKEN`). Deliberately conservative: generic
/// `*_TOKEN`/`*_SECRET` names are not matched.
pub fn is_key_var(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    (upper.len() > "_API_KEY".len() && upper.ends_with("_API_KEY"))
        || guess_provider(name).is_some()
}

/// Maps a short tool-specific name (an `llm` key name, an aichat client
/// type or name) to a byok provider id ([`catalog::by_short_name`]).
/// Case-insensitive; `_` and `-` are interchangeable.
pub(crate) fn provider_from_short_name(name: &str) -> Option<&'static str> {
    catalog::by_short_name(name).map(|spec| spec.id)
}

/// Whether `s` is a valid byok reference name (see [`crate::names::is_valid_ref`]).
pub fn is_valid_ref_name(s: &str) -> bool {
    crate::names::is_valid_ref(s)
}

/// Turns a source name into a valid byok reference name: lowercased, every
/// other character replaced by `_`, repeated/trailing `_` collapsed, prefixed
/// with `key_` if it does not start with a letter, cut to 64 characters.
pub fn propose_ref_name(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for c in source.chars() {
        let c = c.to_ascii_lowercase();
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() {
            c
        } else {
            '_'
        };
        if c == '_' && (out.is_empty() || out.ends_with('_')) {
            continue;
        }
        out.push(c);
    }
    while out.ends_with('_') {
        out.pop();
    }
    if !out.starts_with(|c: char| c.is_ascii_lowercase()) {
        out.insert_str(0, "key_");
        if out.ends_with('_') {
            out.pop();
        }
    }
    out.truncate(64);
    while out.ends_with('_') {
        out.pop();
    }
    debug_assert!(is_valid_ref_name(&out), "{out}");
    out
}

/// Makes proposed reference names unique within one import by appending
/// `_2`, `_3`, ... to later duplicates.
pub(crate) fn dedupe_ref_names(candidates: &mut [Candidate]) {
    let mut used = std::collections::HashSet::new();
    for c in candidates.iter_mut() {
        if used.insert(c.ref_name.clone()) {
            continue;
        }
        let mut n = 2;
        loop {
            let suffix = format!("_{n}");
            let mut base = c.ref_name.clone();
            base.truncate(64 - suffix.len());
            let candidate = format!("{base}{suffix}");
            if used.insert(candidate.clone()) {
                c.ref_name = candidate;
                break;
            }
            n += 1;
        }
    }
}

/// Reads a source file into a buffer that is wiped when dropped.
///
/// # Errors
/// [`ImportError::Io`] when the file cannot be read, [`ImportError::NotUtf8`]
/// when it is not UTF-8.
pub fn read_source(path: &Path) -> Result<Zeroizing<String>, ImportError> {
    let bytes = std::fs::read(path).map_err(|source| ImportError::Io {
        path: path.to_owned(),
        source,
    })?;
    // Convert in place: no second copy of the secrets is made.
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Zeroizing::new(text)),
        Err(err) => {
            drop(Zeroizing::new(err.into_bytes()));
            Err(ImportError::NotUtf8 {
                path: path.to_owned(),
            })
        }
    }
}

/// [`read_source`] for a file that must not be a symbolic link (nor a FIFO or a device): the
/// check is made on the file opened, so a link swapped in after it was listed is not followed.
pub fn read_source_no_follow(path: &Path) -> Result<Zeroizing<String>, ImportError> {
    use std::io::Read;
    let io = |source| ImportError::Io {
        path: path.to_owned(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK: opening a FIFO must not wait for a writer.
        options.custom_flags(
            (rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK).bits() as i32,
        );
    }
    let mut file = options.open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        )));
    }
    // Sized up front: a growing buffer would leave copies of the keys behind.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0) + 1);
    file.read_to_end(&mut bytes).map_err(io)?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Zeroizing::new(text)),
        Err(err) => {
            drop(Zeroizing::new(err.into_bytes()));
            Err(ImportError::NotUtf8 {
                path: path.to_owned(),
            })
        }
    }
}

/// Operating-system family, for locating other tools' config directories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    /// Linux, the BSDs and other XDG-style systems.
    Unix,
    /// macOS.
    MacOs,
    /// Windows.
    Windows,
}

impl Os {
    /// The OS this binary was compiled for.
    pub const fn current() -> Self {
        if cfg!(target_os = "macos") {
            Os::MacOs
        } else if cfg!(windows) {
            Os::Windows
        } else {
            Os::Unix
        }
    }
}

/// The environment facts the `default_path` functions depend on, gathered
/// once so they can be tested with made-up values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseDirs {
    /// Which OS rules to apply.
    pub os: Os,
    /// The home directory (`$HOME`, or `%USERPROFILE%` on Windows).
    pub home: Option<PathBuf>,
    /// `$XDG_CONFIG_HOME`, if set and non-empty.
    pub xdg_config_home: Option<PathBuf>,
    /// `%APPDATA%` (the roaming application-data folder), if set and non-empty.
    pub appdata: Option<PathBuf>,
}

impl BaseDirs {
    /// Reads `HOME`/`USERPROFILE`, `XDG_CONFIG_HOME` and `APPDATA` through `var`, which
    /// looks a name up in the environment captured by [`crate::settings::Settings`]
    /// (commands never read the process environment themselves).
    pub fn from_lookup(var: impl Fn(&str) -> Option<OsString>) -> Self {
        let os = Os::current();
        let home_var = if os == Os::Windows {
            "USERPROFILE"
        } else {
            "HOME"
        };
        BaseDirs {
            os,
            home: non_empty(var(home_var).as_deref()).map(PathBuf::from),
            xdg_config_home: non_empty(var("XDG_CONFIG_HOME").as_deref()).map(PathBuf::from),
            appdata: non_empty(var("APPDATA").as_deref()).map(PathBuf::from),
        }
    }

    /// The per-user configuration directory as the Rust `dirs` crate reports
    /// it: `$XDG_CONFIG_HOME` (if absolute) or `~/.config` on Unix,
    /// `~/Library/Application Support` on macOS, `%APPDATA%` on Windows.
    pub fn config_dir(&self) -> Option<PathBuf> {
        match self.os {
            Os::Unix => self
                .xdg_config_home
                .clone()
                .filter(|p| p.is_absolute())
                .or_else(|| self.home.as_ref().map(|h| h.join(".config"))),
            Os::MacOs => self
                .home
                .as_ref()
                .map(|h| h.join("Library").join("Application Support")),
            Os::Windows => self.appdata.clone(),
        }
    }
}

/// `Some(s)` unless `s` is missing or empty (tools treat an empty variable as unset).
pub(crate) fn non_empty(s: Option<&OsStr>) -> Option<OsString> {
    s.filter(|s| !s.is_empty()).map(OsStr::to_os_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn providers_guess() {
        assert_eq!(guess_provider("OPENAI_API_KEY"), Some("openai"));
        assert_eq!(guess_provider("openai_api_key"), Some("openai"));
        assert_eq!(guess_provider("GOOGLE_API_KEY"), Some("gemini"));
        assert_eq!(guess_provider("PPLX_API_KEY"), Some("perplexity"));
        assert_eq!(guess_provider("CO_API_KEY"), Some("cohere"));
        assert_eq!(guess_provider("AA_TOKEN"), Some("aleph-alpha"));
        assert_eq!(guess_provider("AZURE_OPENAI_API_KEY"), Some("azure-openai"));
        assert_eq!(guess_provider("MY_API_KEY"), None);
    }

    /// Regression: `byok env` exported `LM_API_TOKEN` but `import env` ignored it,
    /// because import kept its own list. Every exported name must import back.
    #[test]
    fn every_exported_and_alias_var_is_recognised() {
        for spec in catalog::all() {
            for var in spec.key_env_vars.iter().chain(spec.import_env_aliases) {
                assert!(is_key_var(var), "{var}");
                assert_eq!(guess_provider(var), Some(spec.id), "{var}");
            }
        }
        assert!(is_key_var("LM_API_TOKEN"));
        assert_eq!(guess_provider("LM_API_TOKEN"), Some("lmstudio"));
        // Everything import's own list (KNOWN_VARS) knew before the catalog took over.
        for (var, id) in [
            ("OPENAI_API_KEY", "openai"),
            ("ANTHROPIC_API_KEY", "anthropic"),
            ("CLAUDE_API_KEY", "anthropic"),
            ("GEMINI_API_KEY", "gemini"),
            ("GOOGLE_API_KEY", "gemini"),
            ("GOOGLE_GENERATIVE_AI_API_KEY", "gemini"),
            ("MISTRAL_API_KEY", "mistral"),
            ("AZURE_OPENAI_API_KEY", "azure-openai"),
            ("AZURE_OPENAI_KEY", "azure-openai"),
            ("OLLAMA_API_KEY", "ollama"),
            ("LMSTUDIO_API_KEY", "lmstudio"),
            ("LM_STUDIO_API_KEY", "lmstudio"),
            ("VLLM_API_KEY", "vllm"),
            ("XAI_API_KEY", "xai"),
            ("GROK_API_KEY", "xai"),
            ("PERPLEXITY_API_KEY", "perplexity"),
            ("PPLX_API_KEY", "perplexity"),
            ("CO_API_KEY", "cohere"),
            ("COHERE_API_KEY", "cohere"),
            ("AA_TOKEN", "aleph-alpha"),
            ("ALEPH_ALPHA_API_KEY", "aleph-alpha"),
            ("NOVITA_API_KEY", "novita"),
            ("GROQ_API_KEY", "groq"),
            ("DEEPSEEK_API_KEY", "deepseek"),
            ("OPENROUTER_API_KEY", "openrouter"),
            ("TOGETHER_API_KEY", "together"),
            ("TOGETHERAI_API_KEY", "together"),
            ("TOGETHER_AI_API_KEY", "together"),
            ("FIREWORKS_API_KEY", "fireworks"),
            ("FIREWORKS_AI_API_KEY", "fireworks"),
        ] {
            assert_eq!(guess_provider(var), Some(id), "{var}");
        }
    }

    #[test]
    fn key_vars() {
        assert!(is_key_var("OPENAI_API_KEY"));
        assert!(is_key_var("SOMETHING_API_KEY"));
        assert!(is_key_var("AA_TOKEN"));
        assert!(!is_key_var("_API_KEY"));
        assert!(!is_key_var("GITHUB_TOKEN"));
        assert!(!is_key_var("DATABASE_URL"));
        assert!(!is_key_var("API_KEY_FILE"));
    }

    #[test]
    fn short_names() {
        assert_eq!(provider_from_short_name("claude"), Some("anthropic"));
        assert_eq!(
            provider_from_short_name("Azure_OpenAI"),
            Some("azure-openai")
        );
        assert_eq!(
            provider_from_short_name("openai-compatible"),
            Some("openai-compatible")
        );
        assert_eq!(provider_from_short_name("grok"), Some("xai"));
        assert_eq!(provider_from_short_name("moonshot"), None);
    }

    #[test]
    fn ref_names() {
        assert_eq!(propose_ref_name("OPENAI_API_KEY"), "openai_api_key");
        assert_eq!(propose_ref_name("azure-openai"), "azure_openai");
        assert_eq!(propose_ref_name("__x..y__"), "x_y");
        assert_eq!(propose_ref_name("1password"), "key_1password");
        assert_eq!(propose_ref_name(""), "key");
        assert_eq!(propose_ref_name("ÄÖ"), "key");
        let long = propose_ref_name(&"A".repeat(100));
        assert_eq!(long.len(), 64);
        for s in ["OPENAI_API_KEY", "_", "9", "a-b-", &"x_".repeat(40)] {
            assert!(is_valid_ref_name(&propose_ref_name(s)), "{s}");
        }
        assert!(!is_valid_ref_name("Openai"));
        assert!(!is_valid_ref_name(&"a".repeat(65)));
    }

    #[test]
    fn dedupe() {
        let mk = |r: &str| Candidate {
            var_or_key: r.into(),
            ref_name: r.into(),
            provider: None,
            value: SecretString::from("v"),
        };
        let mut c = vec![mk("openai"), mk("openai"), mk("openai_2"), mk("openai")];
        dedupe_ref_names(&mut c);
        let refs: Vec<_> = c.iter().map(|c| c.ref_name.as_str()).collect();
        assert_eq!(refs, ["openai", "openai_2", "openai_2_2", "openai_3"]);
        let mut c = vec![mk(&"a".repeat(64)), mk(&"a".repeat(64))];
        dedupe_ref_names(&mut c);
        assert_eq!(c[1].ref_name.len(), 64);
        assert!(c[1].ref_name.ends_with("_2"));
    }

    #[test]
    fn debug_redacts() {
        let c = Candidate {
            var_or_key: "OPENAI_API_KEY".into(),
            ref_name: "openai_api_key".into(),
            provider: Some("openai"),
            value: SecretString::from("sk-test-123"),
        };
        let shown = format!("{c:?}");
        assert!(!shown.contains("sk-test-123"));
        assert!(shown.contains("REDACTED"));
    }

    #[test]
    fn config_dirs() {
        let mut d = BaseDirs {
            os: Os::Unix,
            home: Some("/home/u".into()),
            xdg_config_home: None,
            appdata: None,
        };
        assert_eq!(d.config_dir(), Some("/home/u/.config".into()));
        d.xdg_config_home = Some("/x".into());
        assert_eq!(d.config_dir(), Some("/x".into()));
        d.xdg_config_home = Some("relative".into());
        assert_eq!(d.config_dir(), Some("/home/u/.config".into()));
        d.os = Os::MacOs;
        assert_eq!(
            d.config_dir(),
            Some("/home/u/Library/Application Support".into())
        );
        d.os = Os::Windows;
        assert_eq!(d.config_dir(), None);
    }
}
