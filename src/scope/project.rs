//! The project file `.byok.toml`: which keys a project's programs get, per environment.
//!
//! Found by walking up from the current directory, stopping below the user's home
//! directory (or at the filesystem root); a file not owned by the current user is ignored.
//! A project file arrives with `git clone`, so it is hostile input until the user trusts it
//! (`byok trust` in the project, recorded by [`crate::scope::trust`] with the file's hash): an
//! untrusted or changed file is never acted on. It never holds a value: every variable is a
//! `byok://` reference, and a project `store` must be a relative path inside the project
//! root (no `..`, no symlink out of it).
//!
//! The file is read once ([`TrustFile::read`], bounded), and the trust decision and the
//! parse are made on exactly those bytes.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::export::reference::Reference;
use crate::names;
use crate::paths::Paths;
use crate::scope::trust::{self, TrustFile, Verdict};

/// The project file's name.
pub const FILE_NAME: &str = ".byok.toml";
/// At most this many variables per table (a bound on hostile input).
const MAX_VARS: usize = 256;
/// At most this many environments.
const MAX_ENVS: usize = 64;

/// The file as written (unknown keys are refused, so a typo is not silently ignored).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    workspace: Option<String>,
    default_env: Option<String>,
    store: Option<String>,
    #[serde(default)]
    connectors: Vec<String>,
    #[serde(default)]
    vars: BTreeMap<String, String>,
    #[serde(default)]
    env: BTreeMap<String, RawEnv>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnv {
    fallback: Option<bool>,
    #[serde(default)]
    vars: BTreeMap<String, String>,
}

/// One environment's own table (`[env.NAME]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvDecl {
    /// `fallback = false`: a variable missing here is an error, never `[vars]`' value.
    pub fallback: bool,
    pub vars: BTreeMap<String, Reference>,
}

/// A validated project file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectDoc {
    pub workspace: Option<String>,
    pub default_env: Option<String>,
    /// The project store's path, relative to the project root (validated, not yet opened).
    pub store: Option<PathBuf>,
    pub connectors: Vec<String>,
    pub vars: BTreeMap<String, Reference>,
    pub envs: BTreeMap<String, EnvDecl>,
}

/// What a variable resolves to in one environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Binding {
    /// From `[env.NAME.vars]` (`Some(NAME)`) or `[vars]` (`None`).
    Ref {
        reference: Reference,
        env: Option<String>,
    },
    /// The environment says `fallback = false` and has no entry for it.
    Missing { env: String },
}

impl ProjectDoc {
    /// Parses and validates the text of `path` (named in errors; values never are).
    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        let bad = |message: String| Error::ProjectFile {
            path: path.to_owned(),
            message,
        };
        let raw: Raw = toml::from_str(text).map_err(|e| {
            // toml's message can quote the offending line (a value): give the position only.
            let at = e
                .span()
                .map(|s| {
                    let line = text[..s.start.min(text.len())].matches('\n').count() + 1;
                    format!(" (line {line})")
                })
                .unwrap_or_default();
            bad(format!("not a valid project file{at}"))
        })?;
        if let Some(ws) = &raw.workspace
            && !names::is_valid_connector_name(ws)
        {
            return Err(bad(
                "`workspace` is not a valid name (lower-case letters, digits, '-' and '_')".into(),
            ));
        }
        if let Some(env) = &raw.default_env
            && !valid_env_name(env)
        {
            return Err(bad("`default_env` is not a valid environment name".into()));
        }
        for connector in &raw.connectors {
            if !names::is_valid_connector_name(connector) {
                return Err(bad(
                    "a `connectors` entry is not a connector name (lower-case letters, digits, '-' and '_')".into(),
                ));
            }
        }
        let store = raw
            .store
            .as_deref()
            .map(|s| check_store_path(s).map_err(|m| bad(format!("`store`: {m}"))))
            .transpose()?;
        let vars = parse_vars("vars", &raw.vars).map_err(bad)?;
        if raw.env.len() > MAX_ENVS {
            return Err(bad(format!("more than {MAX_ENVS} environments")));
        }
        let mut envs = BTreeMap::new();
        for (name, env) in &raw.env {
            if !valid_env_name(name) {
                return Err(bad(
                    "an [env.NAME] table is not a valid environment name (letters, digits, '-' and '_')".into(),
                ));
            }
            let table = format!("env.{name}.vars");
            envs.insert(
                name.clone(),
                EnvDecl {
                    fallback: env.fallback.unwrap_or(true),
                    vars: parse_vars(&table, &env.vars).map_err(bad)?,
                },
            );
        }
        Ok(ProjectDoc {
            workspace: raw.workspace,
            default_env: raw.default_env,
            store,
            connectors: raw.connectors,
            vars,
            envs,
        })
    }

    /// Every ref name the file's variables point at, in any environment.
    pub fn ref_names(&self) -> std::collections::BTreeSet<String> {
        self.vars
            .values()
            .chain(self.envs.values().flat_map(|e| e.vars.values()))
            .map(|r| r.name.clone())
            .collect()
    }

    /// Every variable the environment `env` declares, with what it resolves to, by name.
    pub fn bindings(&self, env: Option<&str>) -> BTreeMap<String, Binding> {
        let decl = env.and_then(|name| self.envs.get(name).map(|d| (name, d)));
        let mut out = BTreeMap::new();
        for (var, reference) in &self.vars {
            let binding = match decl {
                Some((name, d)) if !d.fallback && !d.vars.contains_key(var) => Binding::Missing {
                    env: name.to_owned(),
                },
                _ => Binding::Ref {
                    reference: reference.clone(),
                    env: None,
                },
            };
            out.insert(var.clone(), binding);
        }
        if let Some((name, d)) = decl {
            for (var, reference) in &d.vars {
                out.insert(
                    var.clone(),
                    Binding::Ref {
                        reference: reference.clone(),
                        env: Some(name.to_owned()),
                    },
                );
            }
        }
        out
    }
}

fn parse_vars(
    table: &str,
    raw: &BTreeMap<String, String>,
) -> std::result::Result<BTreeMap<String, Reference>, String> {
    if raw.len() > MAX_VARS {
        return Err(format!("[{table}] has more than {MAX_VARS} variables"));
    }
    let mut out = BTreeMap::new();
    for (var, value) in raw {
        if !crate::export::shell::valid_var_name(var) {
            return Err(format!(
                "[{table}]: a key is not a variable name (letters, digits and '_', not starting with a digit)"
            ));
        }
        if !crate::export::reference::is_reference(value) {
            return Err(format!(
                "[{table}] {var}: a project file holds byok:// references only, never a value \
                 (base URLs come from connectors)"
            ));
        }
        let reference = Reference::parse(value).map_err(|p| format!("[{table}] {var}: {p}"))?;
        out.insert(var.clone(), reference);
    }
    Ok(out)
}

/// An environment name: `[A-Za-z0-9_-]`, 1–64 characters.
pub fn valid_env_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A store path as written: relative, no `..`, no empty or root parts.
fn check_store_path(text: &str) -> std::result::Result<PathBuf, String> {
    let path = PathBuf::from(text);
    if text.is_empty() || text.len() > 255 {
        return Err("must be a relative path inside the project".into());
    }
    if path.is_absolute() || path.has_root() {
        return Err("must be relative to the project root, not absolute".into());
    }
    for part in path.components() {
        match part {
            Component::Normal(_) | Component::CurDir => {}
            _ => return Err("must stay inside the project root (no `..`)".into()),
        }
    }
    Ok(path)
}

/// A project file found on disk: where, its bytes, and what the trust record says of them.
#[derive(Debug)]
pub struct Project {
    /// The directory holding the file.
    pub root: PathBuf,
    pub file: TrustFile,
    pub verdict: Verdict,
}

impl Project {
    /// The nearest project file from `cwd` up, not above `user_home`; `None` when there is
    /// none (or only files owned by someone else).
    pub fn discover(
        paths: &Paths,
        cwd: Option<&Path>,
        user_home: Option<&Path>,
    ) -> Result<Option<Self>> {
        let Some(path) = cwd.and_then(|cwd| find(cwd, user_home)) else {
            return Ok(None);
        };
        let file = TrustFile::read(&path)?;
        let root = file
            .path
            .parent()
            .map(Path::to_owned)
            .unwrap_or_else(|| PathBuf::from("/"));
        let verdict = trust::verdict(paths, &file)?;
        Ok(Some(Project {
            root,
            file,
            verdict,
        }))
    }

    /// The parsed, validated file (including the store path against the disk).
    pub fn doc(&self) -> Result<ProjectDoc> {
        let doc = ProjectDoc::parse(&self.file.path, self.file.text()?)?;
        if let Some(store) = &doc.store {
            self.store_path(store)?;
        }
        Ok(doc)
    }

    /// The project store's absolute path, checked not to leave the project root through a
    /// symlink (on any existing part of it).
    pub fn store_path(&self, relative: &Path) -> Result<PathBuf> {
        let full = self.root.join(relative);
        let mut existing = full.as_path();
        // The longest existing prefix must resolve inside the root.
        loop {
            if let Ok(real) = std::fs::canonicalize(existing) {
                if !real.starts_with(&self.root) {
                    return Err(Error::ProjectFile {
                        path: self.file.path.clone(),
                        message: "`store` leaves the project root through a symlink".into(),
                    });
                }
                let rest = full.strip_prefix(existing).unwrap_or(Path::new(""));
                return Ok(if rest.as_os_str().is_empty() {
                    real
                } else {
                    real.join(rest)
                });
            }
            match existing.parent() {
                Some(parent) => existing = parent,
                None => return Ok(full),
            }
        }
    }

    /// Fails with exit 8 unless the file is trusted with these contents.
    pub fn require_trusted(&self) -> Result<()> {
        match self.verdict {
            Verdict::Trusted => Ok(()),
            verdict => Err(Error::ProjectUntrusted {
                path: self.file.path.clone(),
                changed: verdict == Verdict::Changed,
            }),
        }
    }

    pub fn trusted(&self) -> bool {
        self.verdict == Verdict::Trusted
    }
}

/// A short stable id of a project store's path: where this home keeps the recipients it
/// accepted for that store (one record per project, not one for every project's `project`).
pub fn root_id(store: &Path) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(store.as_os_str().as_encoded_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Walks up from `start` looking for [`FILE_NAME`]; stops below `user_home` and at `/`.
fn find(start: &Path, user_home: Option<&Path>) -> Option<PathBuf> {
    let home = user_home.and_then(|h| std::fs::canonicalize(h).ok());
    let start = std::fs::canonicalize(start).ok()?;
    let mut dir = Some(start.as_path());
    while let Some(d) = dir {
        if home.as_deref() == Some(d) {
            return None;
        }
        let candidate = d.join(FILE_NAME);
        if let Ok(meta) = std::fs::symlink_metadata(&candidate)
            && meta.is_file()
            && owned_by_me(&meta)
        {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

#[cfg(unix)]
fn owned_by_me(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.uid() == rustix::process::geteuid().as_raw()
}

#[cfg(not(unix))]
fn owned_by_me(_meta: &std::fs::Metadata) -> bool {
    true
}

/// The environment in effect: `--env`/`BYOK_ENV` (already merged into `chosen`), else the
/// project's `default_env`.
pub fn active_env<'a>(chosen: Option<&'a str>, doc: &'a ProjectDoc) -> Option<&'a str> {
    chosen.or(doc.default_env.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
workspace = "acme"
default_env = "dev"
store = ".byok/team.age"
connectors = ["work"]

[vars]
OPENAI_API_KEY = "byok://proj_openai"
ANTHROPIC_API_KEY = "byok://proj_claude"

[env.prod]
fallback = false
[env.prod.vars]
OPENAI_API_KEY = "byok://proj_prod_openai"

[env.staging.vars]
OPENAI_API_KEY = "byok://proj_staging_openai"
"#;

    fn parse(text: &str) -> Result<ProjectDoc> {
        ProjectDoc::parse(Path::new("/p/.byok.toml"), text)
    }

    #[test]
    fn parses_the_documented_format() {
        let doc = parse(GOOD).unwrap();
        assert_eq!(doc.workspace.as_deref(), Some("acme"));
        assert_eq!(doc.store, Some(PathBuf::from(".byok/team.age")));
        assert_eq!(doc.connectors, ["work"]);
        assert!(!doc.envs["prod"].fallback);
        assert!(doc.envs["staging"].fallback);
    }

    #[test]
    fn environments_override_and_fallback() {
        let doc = parse(GOOD).unwrap();
        let name = |b: &Binding| match b {
            Binding::Ref { reference, .. } => reference.name.clone(),
            Binding::Missing { env } => format!("missing in {env}"),
        };
        let dev = doc.bindings(Some("dev"));
        assert_eq!(name(&dev["OPENAI_API_KEY"]), "proj_openai");
        let staging = doc.bindings(Some("staging"));
        assert_eq!(name(&staging["OPENAI_API_KEY"]), "proj_staging_openai");
        assert_eq!(name(&staging["ANTHROPIC_API_KEY"]), "proj_claude");
        let prod = doc.bindings(Some("prod"));
        assert_eq!(name(&prod["OPENAI_API_KEY"]), "proj_prod_openai");
        assert_eq!(name(&prod["ANTHROPIC_API_KEY"]), "missing in prod");
        assert_eq!(name(&doc.bindings(None)["OPENAI_API_KEY"]), "proj_openai");
    }

    #[test]
    fn refuses_literals_escapes_and_bad_names_without_quoting_values() {
        for (text, needle) in [
            (
                "[vars]\nOPENAI_BASE_URL = \"https://evil.example\"\n",
                "references only",
            ),
            ("[vars]\nK = \"sk-test-abcdef\"\n", "references only"),
            ("[vars]\nK = \"byok://Bad Name\"\n", "K"),
            ("[vars]\n\"1BAD\" = \"byok://a\"\n", "variable name"),
            ("store = \"/etc/passwd\"\n", "absolute"),
            ("store = \"../x.age\"\n", "`..`"),
            ("store = \"a/../../x.age\"\n", "`..`"),
            ("unknown = 1\n", "not a valid project file"),
            (
                "[env.\"p rod\".vars]\nK = \"byok://a\"\n",
                "environment name",
            ),
            ("connectors = [\"Work!\"]\n", "connector name"),
        ] {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.contains(needle), "{text}: {err}");
            assert!(!err.contains("evil") && !err.contains("sk-test"), "{err}");
        }
    }

    #[test]
    fn discovery_stops_at_home_and_root() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("u");
        let deep = home.join("proj/src/deep");
        std::fs::create_dir_all(&deep).unwrap();
        // A file in the home itself is not a project file for everything below it.
        std::fs::write(home.join(FILE_NAME), "").unwrap();
        assert_eq!(find(&deep, Some(&home)), None);
        std::fs::write(home.join("proj").join(FILE_NAME), "").unwrap();
        let found = find(&deep, Some(&home)).unwrap();
        assert!(found.ends_with("proj/.byok.toml"), "{found:?}");
    }
}
