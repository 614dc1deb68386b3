//! Workspaces: named sets of secrets with their own age-file store in the home, resolved
//! before the person's own (global) stores — `workspace → global` — unless the workspace
//! says `fallback = false`.
//!
//! Declared in `workspaces.toml` in the home (0600, written atomically under the home lock):
//! each workspace's name, store file and fallback, and the one chosen by `workspace use`.
//! Which workspace is active: `--workspace` > `BYOK_WORKSPACE` > a trusted project file's
//! `workspace` > `workspace use`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fsutil;
use crate::paths::Paths;

/// The declarations' file name in the home.
pub const FILE: &str = "workspaces.toml";

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
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(Error::io("read", path)(e)),
        };
        toml::from_str(&text).map_err(|_| Error::Corrupt {
            path,
            reason: "not a workspaces file".into(),
        })
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
