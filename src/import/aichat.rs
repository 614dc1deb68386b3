//! Reading API keys from aichat's `config.yaml`.
//!
//! aichat lists its providers under `clients:`, each with a `type:`
//! (`openai`, `openai-compatible`, `claude`, `gemini`, `cohere`,
//! `azure-openai`, `vertexai`, `bedrock`, ...), an optional `name:` that
//! tells same-typed clients apart (and names the service for
//! `openai-compatible`, e.g. `groq`, `deepseek`), an `api_base:` and an
//! `api_key:`:
//!
//! ```yaml
//! clients:
//!   - type: openai
//!     api_key: sk-...
//!   - type: openai-compatible
//!     name: groq
//!     api_base: https://api.groq.com/openai/v1
//!     api_key: gsk_...
//! ```
//!
//! Clients without an `api_key` (aichat then reads `{NAME}_API_KEY` from the
//! environment) or with another kind of credential (bedrock, vertexai) are
//! skipped. `api_base` is not carried over; byok's provider defaults apply.
//!
//! The file is `$AICHAT_CONFIG_FILE` if set, else `config.yaml` in
//! `$AICHAT_CONFIG_DIR`, else in `$XDG_CONFIG_HOME/aichat`, else in the
//! platform config dir + `/aichat` (`~/.config/aichat` on Linux,
//! `~/Library/Application Support/aichat` on macOS, `%APPDATA%\aichat` on
//! Windows).

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

use saphyr::{LoadableYamlNode, Yaml};
use secrecy::SecretString;

use super::{
    BaseDirs, Candidate, ImportError, dedupe_ref_names, non_empty, propose_ref_name,
    provider_from_short_name,
};

/// The deepest nesting of mappings and sequences accepted. aichat's own config needs 4; a
/// hostile file nested thousands deep would overflow the stack of the tree loader (and of
/// dropping the tree), so it is refused after a streaming pass that keeps no tree.
pub const MAX_DEPTH: usize = 64;

/// Refuses YAML nested deeper than [`MAX_DEPTH`], by the event parser (iterative, no tree).
fn check_depth(text: &str) -> Result<(), ImportError> {
    use saphyr_parser::{Event, Parser};
    let mut depth = 0usize;
    for event in Parser::new_from_str(text) {
        let (event, span) = match event {
            Ok(e) => e,
            Err(e) => {
                return Err(ImportError::AichatYaml {
                    line: e.marker().line(),
                    column: e.marker().col() + 1,
                });
            }
        };
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(shape(&format!(
                        "nested more than {MAX_DEPTH} levels deep (line {})",
                        span.start.line()
                    )));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Where aichat reads its config for the current user; `var` looks up an environment variable.
pub fn default_path(var: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    default_path_from(
        var("AICHAT_CONFIG_FILE").as_deref(),
        var("AICHAT_CONFIG_DIR").as_deref(),
        &BaseDirs::from_lookup(var),
    )
}

/// Where aichat reads its config, given `$AICHAT_CONFIG_FILE`,
/// `$AICHAT_CONFIG_DIR` and the base directories (whose
/// `xdg_config_home` is honoured on every OS, as aichat does). Empty
/// variables count as unset. `None` when no directory is known.
pub fn default_path_from(
    config_file: Option<&OsStr>,
    config_dir: Option<&OsStr>,
    dirs: &BaseDirs,
) -> Option<PathBuf> {
    if let Some(file) = non_empty(config_file) {
        return Some(PathBuf::from(file));
    }
    let dir = match non_empty(config_dir) {
        Some(dir) => PathBuf::from(dir),
        None => dirs
            .xdg_config_home
            .clone()
            .or_else(|| dirs.config_dir())?
            .join("aichat"),
    };
    Some(dir.join("config.yaml"))
}

/// Parses aichat's `config.yaml` text into candidates, in `clients:` order.
///
/// The source name is the client's `name:` if present, else its `type:`;
/// the provider comes from the type (`claude` → `anthropic`), or for
/// `openai-compatible` from the name when it is a known service
/// (`groq`, `deepseek`, ...), else `openai-compatible`.
///
/// # Errors
/// [`ImportError::AichatYaml`] for invalid YAML (position only),
/// [`ImportError::AichatShape`] when `clients` or one of its entries has an
/// unexpected shape (naming the entry, never a value).
pub fn parse(text: &str) -> Result<Vec<Candidate>, ImportError> {
    check_depth(text)?;
    let docs = Yaml::load_from_str(text).map_err(|e| ImportError::AichatYaml {
        line: e.marker().line(),
        column: e.marker().col() + 1,
    })?;
    let Some(root) = docs.first() else {
        return Ok(Vec::new());
    };
    if root.is_null() {
        return Ok(Vec::new());
    }
    if !root.is_mapping() {
        return Err(shape("the top level must be a mapping of settings"));
    }
    let clients = match root.as_mapping_get("clients") {
        None => return Ok(Vec::new()),
        Some(c) if c.is_null() => return Ok(Vec::new()),
        Some(c) => c
            .as_sequence()
            .ok_or_else(|| shape("`clients` must be a list of client settings"))?,
    };

    let mut out = Vec::new();
    for (i, client) in clients.iter().enumerate() {
        if !client.is_mapping() {
            return Err(shape(&format!("clients[{i}] must be a mapping")));
        }
        let field = |key: &str| -> Result<Option<&str>, ImportError> {
            match client.as_mapping_get(key) {
                None => Ok(None),
                Some(v) if v.is_null() => Ok(None),
                Some(v) => v.as_str().map(Some).ok_or_else(|| {
                    shape(&format!(
                        "clients[{i}].{key} is not a string; put the value in quotes"
                    ))
                }),
            }
        };
        let client_type = field("type")?
            .ok_or_else(|| shape(&format!("clients[{i}] has no `type`")))?
            .trim();
        let name = field("name")?.map(str::trim).filter(|n| !n.is_empty());
        let Some(api_key) = field("api_key")?.filter(|k| !k.is_empty()) else {
            continue;
        };
        let source = name.unwrap_or(client_type);
        let provider = match provider_from_short_name(client_type) {
            // The type says nothing about the service; the name may.
            Some("openai-compatible") => Some(
                name.and_then(provider_from_short_name)
                    .unwrap_or("openai-compatible"),
            ),
            Some(p) => Some(p),
            None => name.and_then(provider_from_short_name),
        };
        out.push(Candidate {
            var_or_key: source.to_owned(),
            ref_name: propose_ref_name(source),
            provider,
            value: SecretString::from(api_key),
        });
    }
    dedupe_ref_names(&mut out);
    Ok(out)
}

fn shape(problem: &str) -> ImportError {
    ImportError::AichatShape {
        problem: problem.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::Os;
    use secrecy::ExposeSecret;
    use std::path::Path;

    #[test]
    fn deeply_nested_yaml_is_refused_not_a_stack_overflow() {
        for (open, close) in [("[", "]"), ("{a: ", "}")] {
            let text = format!("clients: {}1{}", open.repeat(100), close.repeat(100));
            let err = parse(&text).unwrap_err().to_string();
            assert!(err.contains("nested more than 64"), "{err}");
            // Far deeper: refused one way or the other, never a stack overflow.
            let text = format!(
                "clients: {}1{}",
                open.repeat(100_000),
                close.repeat(100_000)
            );
            assert!(parse(&text).is_err());
        }
        let block: String = (0..5_000)
            .map(|i| format!("{}- \n", " ".repeat(i)))
            .collect();
        assert!(parse(&block).is_err());
        // Ordinary nesting still parses.
        let ok = "clients:\n  - type: openai\n    api_key: sk-test-1\n    extra: {a: [1, [2]]}\n";
        assert_eq!(parse(ok).unwrap().len(), 1);
    }

    #[test]
    fn paths() {
        let d = BaseDirs {
            os: Os::Unix,
            home: Some("/home/u".into()),
            xdg_config_home: None,
            appdata: None,
        };
        let p = |f: Option<&str>, dir: Option<&str>, d: &BaseDirs| {
            default_path_from(f.map(OsStr::new), dir.map(OsStr::new), d)
        };
        assert_eq!(
            p(Some("/f.yaml"), Some("/d"), &d).as_deref(),
            Some(Path::new("/f.yaml"))
        );
        assert_eq!(
            p(None, Some("/d"), &d).as_deref(),
            Some(Path::new("/d/config.yaml"))
        );
        assert_eq!(
            p(Some(""), None, &d).as_deref(),
            Some(Path::new("/home/u/.config/aichat/config.yaml"))
        );
        let mac = BaseDirs {
            os: Os::MacOs,
            ..d.clone()
        };
        assert_eq!(
            p(None, None, &mac).as_deref(),
            Some(Path::new(
                "/home/u/Library/Application Support/aichat/config.yaml"
            ))
        );
        let mac_xdg = BaseDirs {
            xdg_config_home: Some("/xdg".into()),
            ..mac
        };
        assert_eq!(
            p(None, None, &mac_xdg).as_deref(),
            Some(Path::new("/xdg/aichat/config.yaml"))
        );
    }

    #[test]
    fn provider_mapping() {
        let text = "clients:\n- type: claude\n  api_key: a\n- type: openai-compatible\n  name: moonshot\n  api_key: b\n- type: openai-compatible\n  name: deepseek\n  api_key: c\n- type: bedrock\n  access_key_id: x\n- {type: cohere, api_key: d}\n";
        let c = parse(text).unwrap();
        let got: Vec<_> = c
            .iter()
            .map(|c| (c.var_or_key.as_str(), c.ref_name.as_str(), c.provider))
            .collect();
        assert_eq!(
            got,
            [
                ("claude", "claude", Some("anthropic")),
                ("moonshot", "moonshot", Some("openai-compatible")),
                ("deepseek", "deepseek", Some("deepseek")),
                ("cohere", "cohere", Some("cohere")),
            ]
        );
        assert_eq!(c[3].value.expose_secret(), "d");
    }

    #[test]
    fn empty_and_shape_errors() {
        assert!(parse("").unwrap().is_empty());
        assert!(parse("model: openai:gpt-4o\n").unwrap().is_empty());
        assert!(parse("clients:\n").unwrap().is_empty());
        let err = parse("clients: sk-test-SECRET\n").unwrap_err();
        assert!(!err.to_string().contains("sk-test"), "{err}");
        let err = parse("clients:\n- type: openai\n  api_key: 12345\n").unwrap_err();
        assert!(err.to_string().contains("clients[0].api_key"), "{err}");
        assert!(!err.to_string().contains("12345"), "{err}");
        let err = parse("clients:\n- api_key: sk-test-SECRET\n").unwrap_err();
        assert!(err.to_string().contains("no `type`"), "{err}");
        let err = parse("clients:\n  - type: openai\n    api_key: 'sk-test-SECRET\n").unwrap_err();
        assert!(matches!(err, ImportError::AichatYaml { .. }), "{err}");
        assert!(!err.to_string().contains("sk-test"), "{err}");
    }
}
