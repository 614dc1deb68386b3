//! Workspaces: named sets of secrets with their own age-file store in the home, resolved
//! before the person's own (global) stores — `workspace → global` — unless the workspace
//! says `fallback = false`.
//!
//! Declared in `workspaces.toml` in the home (0600, written atomically under the home lock):
//! each workspace's name, store (its own age file, or a named `[[store]]` with an optional
//! prefix) and fallback, and the one chosen by `workspace use`.
//!
//! A workspace's connectors live in `workspaces/NAME.connectors.toml` in the home, in
//! `config.toml`'s `[[connector]]` format and nothing else; they resolve before the home's
//! by name (workspace → global), and without fallback the home's are not used at all.
//! Which workspace is active: `--workspace` > `BYOK_WORKSPACE` > a trusted project file's
//! `workspace` > `workspace use`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::fsutil;
use crate::paths::Paths;

/// The declarations' file name in the home.
pub const FILE: &str = "workspaces.toml";
/// A workspaces file larger than this is not one byok wrote.
const MAX_FILE_BYTES: u64 = 1 << 20;
/// At most this many workspaces (a bound on a damaged file).
const MAX_WORKSPACES: usize = 1024;

/// One workspace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workspace {
    pub name: String,
    /// The age-file store's file (relative to the home, or absolute).
    pub path: PathBuf,
    /// `false` (`--no-fallback`): names never resolve from the global stores.
    #[serde(default = "yes")]
    pub fallback: bool,
    /// A named `[[store]]` of `config.toml` holding the workspace's secrets (then `path`
    /// is unused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<String>,
    /// Where under that store's own prefix the workspace's secrets live (stores with
    /// prefixes only, e.g. openbao).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
}

fn yes() -> bool {
    true
}

/// `workspaces.toml`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workspaces {
    /// Set by `workspace use`.
    pub active: Option<String>,
    #[serde(default, rename = "workspace")]
    pub list: Vec<Workspace>,
}

impl Workspaces {
    /// Reads the file (a missing file is no workspaces).
    pub fn load(paths: &Paths) -> Result<Self> {
        let path = paths.home().join(FILE);
        let bytes = match crate::fsutil::read_bounded(&path, MAX_FILE_BYTES) {
            Ok(bytes) => bytes,
            Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Self::default());
            }
            Err(e) => return Err(e),
        };
        Self::parse(&path, &bytes)
    }

    /// Parses and checks the file's bytes (`path` is for messages: a position, never the
    /// contents). Names become file names and store names, so each is checked here.
    pub fn parse(path: &Path, bytes: &[u8]) -> Result<Self> {
        let corrupt = |reason: String| Error::Corrupt {
            path: path.to_path_buf(),
            reason,
        };
        let text = std::str::from_utf8(bytes)
            .map_err(|e| corrupt(format!("not UTF-8 text (byte {})", e.valid_up_to() + 1)))?;
        let doc: Self = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            corrupt(match line {
                Some(line) => format!("not a workspaces file (line {line})"),
                None => "not a workspaces file".into(),
            })
        })?;
        if doc.list.len() > MAX_WORKSPACES {
            return Err(corrupt(format!("more than {MAX_WORKSPACES} workspaces")));
        }
        for (index, ws) in doc.list.iter().enumerate() {
            let at = |problem: &str| corrupt(format!("workspace {}: {problem}", index + 1));
            if !crate::names::is_valid_connector_name(&ws.name) {
                return Err(at(
                    "its name is not a workspace name (lower-case letters, digits, '-' and '_')",
                ));
            }
            if ws.path.as_os_str().is_empty() || ws.path.as_os_str().len() > 4096 {
                return Err(at("its path is empty or too long"));
            }
            if ws
                .store
                .as_deref()
                .is_some_and(|s| !crate::names::is_valid_connector_name(s))
            {
                return Err(at("its store is not a store name"));
            }
            if ws
                .prefix
                .as_deref()
                .is_some_and(|p| p.is_empty() || p.len() > 256 || p.chars().any(|c| c.is_control()))
            {
                return Err(at(
                    "its prefix is empty, too long or holds control characters",
                ));
            }
        }
        if let Some(active) = &doc.active
            && !doc.list.iter().any(|w| &w.name == active)
        {
            return Err(corrupt("`active` names no workspace of the file".into()));
        }
        Ok(doc)
    }

    /// The workspace called `name`.
    pub fn get(&self, name: &str) -> Result<&Workspace> {
        self.list
            .iter()
            .find(|w| w.name == name)
            .ok_or_else(|| Error::WorkspaceNotFound {
                name: name.to_owned(),
                known: self
                    .list
                    .iter()
                    .map(|w| w.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// Loads, changes and saves the file under the home lock.
    pub fn update<T>(paths: &Paths, change: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        fsutil::create_private_dir(paths.home())?;
        let _lock = fsutil::WriteLock::acquire(&paths.lock())?;
        let mut doc = Self::load(paths)?;
        let out = change(&mut doc)?;
        let text = toml::to_string_pretty(&doc).expect("workspaces serialise");
        fsutil::write_atomic(&paths.home().join(FILE), text.as_bytes())?;
        Ok(out)
    }
}

impl Workspace {
    /// The store file's absolute path.
    pub fn file(&self, home: &Path) -> PathBuf {
        if self.path.is_absolute() {
            self.path.clone()
        } else {
            home.join(&self.path)
        }
    }
}

impl Workspace {
    /// The file of the workspace's connectors (in the home, whatever its store).
    pub fn connectors_file(&self, home: &Path) -> PathBuf {
        home.join("workspaces")
            .join(format!("{}.connectors.toml", self.name))
    }

    /// The workspace's connectors (a missing file is none).
    pub fn connectors(&self, home: &Path) -> Result<Config> {
        let path = self.connectors_file(home);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(Error::io("read", path)(e)),
        };
        parse_connectors(&path, &text)
    }

    /// Loads the workspace's connectors under the home lock, applies `change`, and saves
    /// them (atomically, 0600) when it succeeded.
    pub fn modify_connectors<T>(
        &self,
        paths: &Paths,
        change: impl FnOnce(&mut Config) -> Result<T>,
    ) -> Result<T> {
        let path = self.connectors_file(paths.home());
        if let Some(dir) = path.parent() {
            fsutil::create_private_dir(dir)?;
        }
        let _lock = fsutil::WriteLock::acquire(&paths.lock())?;
        let mut config = self.connectors(paths.home())?;
        let out = change(&mut config)?;
        fsutil::write_atomic(&path, config.text().as_bytes())?;
        Ok(out)
    }
}

/// A workspace connectors file: `[[connector]]` tables only (a store, policy or anything
/// else there is refused, not ignored).
fn parse_connectors(path: &Path, text: &str) -> Result<Config> {
    let config = Config::parse(path, text)?;
    if let Ok(doc) = text.parse::<toml_edit::DocumentMut>()
        && let Some((key, _)) = doc.iter().find(|(key, _)| *key != "connector")
    {
        return Err(Error::Config {
            path: path.to_path_buf(),
            message: format!(
                "`{}`: a workspace's connectors file holds only [[connector]] tables",
                crate::term::sanitize::line(key).into_owned()
            ),
        });
    }
    Ok(config)
}

/// The active workspace's name, by precedence: the flag or `BYOK_WORKSPACE` (merged into
/// `chosen`), the project's `workspace`, then `workspace use`.
pub fn active_name(
    chosen: Option<&str>,
    project: Option<&str>,
    workspaces: &Workspaces,
) -> Option<String> {
    chosen
        .or(project)
        .or(workspaces.active.as_deref())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connectors_file_holds_connectors_only() {
        let ok = "[[connector]]\nname = \"w\"\ntype = \"openai\"\nsecret = \"k\"\n";
        let config = parse_connectors(Path::new("c.toml"), ok).unwrap();
        assert_eq!(config.connectors()[0].name, "w");
        let bad = format!("reveal = \"pipe\"\n{ok}");
        let err = parse_connectors(Path::new("c.toml"), &bad).unwrap_err();
        assert!(err.to_string().contains("only [[connector]]"), "{err}");
    }

    #[test]
    fn precedence_is_flag_then_project_then_use() {
        let ws = Workspaces {
            active: Some("used".into()),
            list: Vec::new(),
        };
        assert_eq!(
            active_name(Some("flag"), Some("proj"), &ws).as_deref(),
            Some("flag")
        );
        assert_eq!(
            active_name(None, Some("proj"), &ws).as_deref(),
            Some("proj")
        );
        assert_eq!(active_name(None, None, &ws).as_deref(), Some("used"));
        assert_eq!(active_name(None, None, &Workspaces::default()), None);
    }
}
