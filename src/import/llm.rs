//! Reading the `keys.json` of Simon Willison's `llm` CLI.
//!
//! `llm keys set NAME` stores keys in a flat JSON object of key names to
//! strings, with a `"// Note"` entry warning that the file holds secrets:
//!
//! ```json
//! { "// Note": "This file stores secret API credentials. Do not share!",
//!   "openai": "sk-...", "anthropic": "sk-ant-..." }
//! ```
//!
//! The file lives in llm's user directory (`llm keys path` prints it):
//! `$LLM_USER_PATH/keys.json` when that variable is set and non-empty,
//! otherwise click's app dir for `io.datasette.llm`:
//! `$XDG_CONFIG_HOME` or `~/.config` + `/io.datasette.llm` on Linux,
//! `~/Library/Application Support/io.datasette.llm` on macOS,
//! `%APPDATA%\io.datasette.llm` on Windows.
//!
//! Key names are chosen by llm plugins (`openai`, `anthropic` or the older
//! `claude`, `gemini`, `mistral`, `groq`, `openrouter`, `grok`, ...); the
//! provider is guessed from the name.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

use secrecy::SecretString;
use serde_json::Value;

use super::{
    BaseDirs, Candidate, ImportError, Os, dedupe_ref_names, non_empty, propose_ref_name,
    provider_from_short_name,
};

/// llm's application directory name.
const APP_DIR: &str = "io.datasette.llm";

/// Where llm keeps `keys.json` for the current user; `var` looks up an environment variable.
pub fn default_path(var: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    default_path_from(var("LLM_USER_PATH").as_deref(), &BaseDirs::from_lookup(var))
}

/// Where llm keeps `keys.json`, given `$LLM_USER_PATH` and the base
/// directories. `None` when no home directory is known.
pub fn default_path_from(llm_user_path: Option<&OsStr>, dirs: &BaseDirs) -> Option<PathBuf> {
    if let Some(dir) = non_empty(llm_user_path) {
        return Some(PathBuf::from(dir).join("keys.json"));
    }
    // Mirrors click.get_app_dir(APP_DIR) with its defaults.
    let app_dir = match dirs.os {
        Os::Unix => dirs
            .xdg_config_home
            .clone()
            .or_else(|| dirs.home.as_ref().map(|h| h.join(".config")))?
            .join(APP_DIR),
        Os::MacOs => dirs
            .home
            .as_ref()?
            .join("Library")
            .join("Application Support")
            .join(APP_DIR),
        Os::Windows => dirs
            .appdata
            .clone()
            .or_else(|| dirs.home.clone())?
            .join(APP_DIR),
    };
    Some(app_dir.join("keys.json"))
}

/// Parses the text of llm's `keys.json` into candidates (sorted by key name),
/// skipping `//` note entries and empty keys.
///
/// # Errors
/// [`ImportError::LlmJson`] for invalid JSON (position only),
/// [`ImportError::LlmShape`] when the top level is not an object or an entry
/// is not a string (naming the entry).
pub fn parse(text: &str) -> Result<Vec<Candidate>, ImportError> {
    let root: Value = serde_json::from_str(text).map_err(|e| ImportError::LlmJson {
        line: e.line(),
        column: e.column(),
        kind: match e.classify() {
            serde_json::error::Category::Eof => "unexpected end of file",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected data",
            serde_json::error::Category::Io => "read error",
        },
    })?;
    let Value::Object(map) = root else {
        return Err(ImportError::LlmShape {
            problem: "the top level must be an object mapping key names to strings".into(),
        });
    };
    let mut out = Vec::new();
    for (name, value) in map {
        if name.starts_with("//") {
            continue;
        }
        let Value::String(value) = value else {
            return Err(ImportError::LlmShape {
                problem: format!(
                    "entry {name:?} is not a string; set it again with `llm keys set {name}`"
                ),
            });
        };
        if value.is_empty() {
            continue;
        }
        out.push(Candidate {
            ref_name: propose_ref_name(&name),
            provider: provider_from_short_name(&name),
            var_or_key: name,
            value: SecretString::from(value),
        });
    }
    dedupe_ref_names(&mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn dirs(os: Os) -> BaseDirs {
        BaseDirs {
            os,
            home: Some("/home/u".into()),
            xdg_config_home: None,
            appdata: Some("C:\\Users\\u\\AppData\\Roaming".into()),
        }
    }

    #[test]
    fn paths() {
        let p = |user: Option<&str>, d: &BaseDirs| default_path_from(user.map(OsStr::new), d);
        assert_eq!(
            p(Some("/custom"), &dirs(Os::Unix)).as_deref(),
            Some(Path::new("/custom/keys.json"))
        );
        assert_eq!(
            p(Some(""), &dirs(Os::Unix)).as_deref(),
            Some(Path::new("/home/u/.config/io.datasette.llm/keys.json"))
        );
        let mut xdg = dirs(Os::Unix);
        xdg.xdg_config_home = Some("/xdg".into());
        assert_eq!(
            p(None, &xdg).as_deref(),
            Some(Path::new("/xdg/io.datasette.llm/keys.json"))
        );
        assert_eq!(
            p(None, &dirs(Os::MacOs)).as_deref(),
            Some(Path::new(
                "/home/u/Library/Application Support/io.datasette.llm/keys.json"
            ))
        );
        assert_eq!(
            p(None, &dirs(Os::Windows)),
            Some(
                PathBuf::from("C:\\Users\\u\\AppData\\Roaming")
                    .join("io.datasette.llm")
                    .join("keys.json")
            )
        );
        let nothing = BaseDirs {
            os: Os::Unix,
            home: None,
            xdg_config_home: None,
            appdata: None,
        };
        assert_eq!(p(None, &nothing), None);
    }

    #[test]
    fn shape_errors_name_entry_not_value() {
        let err = parse(r#"{"openai": 123}"#).unwrap_err();
        assert!(err.to_string().contains("\"openai\""), "{err}");
        let err = parse(r#"["sk-test-SECRET"]"#).unwrap_err();
        assert!(!err.to_string().contains("sk-test"), "{err}");
        let err = parse("{\"openai\": \"sk-test-SECRET}").unwrap_err();
        assert!(matches!(err, ImportError::LlmJson { line: 1, .. }), "{err}");
        assert!(!err.to_string().contains("sk-test"), "{err}");
        let err = parse("{\"openai\": sk-test-SECRET}").unwrap_err();
        assert!(!err.to_string().contains("sk-test"), "{err}");
    }
}
