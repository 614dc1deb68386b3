//! What a member has accepted: per shared store, a record in the member's own home
//! (`BYOK_HOME/recipients/NAME.json`) of the recipients file they last accepted — its path,
//! its SHA-256, the members it listed — and of the version of the data file this home
//! last wrote. Public keys and digests only; no secret.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::recipients::Member;
use crate::error::{Error, Result};
use crate::fsutil;

/// A record is small; anything larger is not one of ours.
const MAX_RECORD: u64 = 4 << 20;

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Accepted {
    /// The recipients file this record is about (absolute).
    pub path: PathBuf,
    /// The SHA-256 (hex) of its bytes when accepted.
    pub sha256: String,
    /// Its members when accepted (to show what changed since).
    pub members: Vec<AcceptedMember>,
    /// The SHA-256 (hex) of the data file as this home last wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_written: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct AcceptedMember {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub key: String,
}

impl Accepted {
    pub fn new(path: &Path, bytes: &[u8], members: &[Member]) -> Self {
        Accepted {
            path: path.to_path_buf(),
            sha256: hex(&crate::store::vault::file::digest(bytes)),
            members: members
                .iter()
                .map(|m| AcceptedMember {
                    name: m.name.clone(),
                    key: m.key.clone(),
                })
                .collect(),
            last_written: None,
        }
    }

    /// Whether this record accepts exactly these recipients-file bytes at `path`.
    pub fn accepts(&self, path: &Path, bytes: &[u8]) -> bool {
        self.path == path && self.sha256 == hex(&crate::store::vault::file::digest(bytes))
    }

    pub fn members(&self) -> Vec<Member> {
        self.members
            .iter()
            .map(|m| Member {
                name: m.name.clone(),
                key: m.key.clone(),
            })
            .collect()
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The record at `path`, `None` when there is none.
pub fn load(path: &Path) -> Result<Option<Accepted>> {
    let corrupt = |reason: String| Error::Corrupt {
        path: path.to_path_buf(),
        reason,
    };
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() > MAX_RECORD => return Err(corrupt("too large".into())),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("read", path)(e)),
    }
    let text = std::fs::read(path).map_err(Error::io("read", path))?;
    serde_json::from_slice(&text)
        .map(Some)
        .map_err(|e| corrupt(format!("line {}, column {}", e.line(), e.column())))
}

/// Writes the record atomically (mode 0600, its directory 0700).
pub fn save(path: &Path, record: &Accepted) -> Result<()> {
    if let Some(dir) = path.parent() {
        fsutil::create_private_dir(dir)?;
    }
    let mut text = serde_json::to_vec_pretty(record).map_err(|e| Error::Encrypt(e.to_string()))?;
    text.push(b'\n');
    fsutil::write_atomic(path, &text)
}

/// What changed between two member lists.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Change {
    pub added: Vec<Member>,
    pub removed: Vec<Member>,
    /// Same key, another name: (old, new).
    pub renamed: Vec<(Member, Member)>,
}

impl Change {
    pub fn between(old: &[Member], new: &[Member]) -> Self {
        let mut change = Change::default();
        for member in new {
            match old.iter().find(|o| o.key == member.key) {
                None => change.added.push(member.clone()),
                Some(o) if o.name != member.name => {
                    change.renamed.push((o.clone(), member.clone()));
                }
                Some(_) => {}
            }
        }
        for member in old {
            if !new.iter().any(|n| n.key == member.key) {
                change.removed.push(member.clone());
            }
        }
        change
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.renamed.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(name: &str, key: &str) -> Member {
        Member {
            name: Some(name.into()),
            key: key.into(),
        }
    }

    #[test]
    fn changes_are_added_removed_and_renamed_by_key() {
        let old = [member("alice", "k1"), member("bob", "k2")];
        let new = [
            member("alice", "k1"),
            member("robert", "k2"),
            member("eve", "k3"),
        ];
        let change = Change::between(&old, &new);
        assert_eq!(change.added, [member("eve", "k3")]);
        assert!(change.removed.is_empty());
        assert_eq!(change.renamed.len(), 1);
        let back = Change::between(&new, &old);
        assert_eq!(back.removed, [member("eve", "k3")]);
        assert!(Change::between(&old, &old).is_empty());
    }

    #[test]
    fn a_record_accepts_only_its_own_bytes_at_its_own_path() {
        let record = Accepted::new(Path::new("/r"), b"age1x\n", &[]);
        assert!(record.accepts(Path::new("/r"), b"age1x\n"));
        assert!(!record.accepts(Path::new("/r"), b"age1x\nage1y\n"));
        assert!(!record.accepts(Path::new("/other"), b"age1x\n"));
    }
}
