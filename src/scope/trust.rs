//! The trust record: which files in other people's hands (a repository's `.env` full of
//! `byok://` references, later a project's `.byok.toml`) byok may act on.
//!
//! A file is trusted by its canonical path *and* the SHA-256 of its contents at the time
//! `byok trust FILE` was run; any later change makes it untrusted again until trusted anew.
//! The record is `trusted.json` in the home (0600, written atomically under the home lock).
//! It holds paths and digests only, never contents.
//!
//! Callers read a file once with [`TrustFile::read`] (bounded size) and then decide on
//! exactly those bytes with [`require`] or [`verdict`], so a file swapped between the check
//! and the use cannot slip through. The `purpose` of an entry (`env-file`, `project`) is
//! informational: a file trusted for one is trusted for any.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::fsutil;
use crate::paths::Paths;
use crate::scope::project_store::StoreManifest;

/// The record's file name in the home.
pub const RECORD_FILE: &str = "trusted.json";
/// Files larger than this are never read for a trust decision.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
const FORMAT: u64 = crate::formats::TRUST.current;

/// One trusted file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Canonical absolute path.
    pub path: PathBuf,
    /// Lower-case hex SHA-256 of the contents when trusted.
    pub sha256: String,
    /// RFC 3339 time it was trusted.
    pub trusted: String,
    /// For a project file with a `store`: the store's shape when trusted (see
    /// [`crate::scope::project_store`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<StoreManifest>,
}

#[derive(Default, Serialize, Deserialize)]
struct Record {
    format: u64,
    #[serde(default)]
    files: Vec<Entry>,
}

/// What the record says about a file's current contents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Trusted,
    /// Never trusted (or untrusted since).
    Untrusted,
    /// Trusted once, with other contents.
    Changed,
}

impl Verdict {
    /// `trusted`, `untrusted`, `changed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Trusted => "trusted",
            Verdict::Untrusted => "untrusted",
            Verdict::Changed => "changed",
        }
    }
}

/// A file read for a trust decision: its canonical path, contents and digest.
pub struct TrustFile {
    pub path: PathBuf,
    /// The contents (zeroized on drop: an env file may hold plain values).
    pub bytes: Zeroizing<Vec<u8>>,
    pub sha256: String,
}

impl std::fmt::Debug for TrustFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrustFile")
            .field("path", &self.path)
            .field("sha256", &self.sha256)
            .finish_non_exhaustive()
    }
}

impl TrustFile {
    /// Reads `path` (at most [`MAX_FILE_BYTES`]) and hashes what was read.
    pub fn read(path: &Path) -> Result<Self> {
        use std::io::Read;
        let canonical = std::fs::canonicalize(path).map_err(Error::io("read", path))?;
        let file = std::fs::File::open(&canonical).map_err(Error::io("read", &canonical))?;
        let mut bytes = Zeroizing::new(Vec::new());
        file.take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(Error::io("read", &canonical))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(Error::Usage(format!(
                "{} is larger than {} KiB; byok does not read it",
                canonical.display(),
                MAX_FILE_BYTES / 1024
            )));
        }
        let sha256 = hex(&Sha256::digest(&bytes[..]));
        Ok(TrustFile {
            path: canonical,
            bytes,
            sha256,
        })
    }

    /// The contents as UTF-8 text.
    pub fn text(&self) -> Result<&str> {
        std::str::from_utf8(&self.bytes).map_err(|_| {
            Error::Usage(format!(
                "{} is not UTF-8 text; re-save it as UTF-8",
                self.path.display()
            ))
        })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn record_path(paths: &Paths) -> PathBuf {
    paths.home().join(RECORD_FILE)
}

/// The record is paths and digests: anything this large was not written by byok.
const MAX_RECORD_BYTES: u64 = 16 << 20;

fn load(paths: &Paths) -> Result<Record> {
    let path = record_path(paths);
    match fsutil::read_bounded(&path, MAX_RECORD_BYTES) {
        Ok(bytes) => parse(&path, &bytes),
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            Ok(Record {
                format: FORMAT,
                files: Vec::new(),
            })
        }
        Err(e) => Err(e),
    }
}

/// Parses and checks the record's bytes (`path` names it in errors, with a position).
fn parse(path: &Path, bytes: &[u8]) -> Result<Record> {
    let path = path.to_path_buf();
    let record: Record = serde_json::from_slice(bytes).map_err(|e| Error::Corrupt {
        path: path.clone(),
        reason: format!(
            "not a trust record (line {}, column {})",
            e.line(),
            e.column()
        ),
    })?;
    crate::formats::TRUST.check(&path, record.format)?;
    // Written by byok, but a file in the home can still be edited or damaged: every entry is
    // checked before it is used (a short digest used to panic `trust --list`).
    for (index, entry) in record.files.iter().enumerate() {
        let problem = if !is_digest(&entry.sha256) {
            Some("its sha256 is not 64 hexadecimal digits")
        } else if !entry.path.is_absolute() {
            Some("its path is not absolute")
        } else if entry.store.as_ref().is_some_and(|m| !m.is_well_formed()) {
            Some("its `store` record is not one byok wrote")
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(Error::Corrupt {
                path: path.clone(),
                reason: format!(
                    "entry {} of `files`: {problem}; remove that entry (or the file: every \
                     file then needs `byok trust` again)",
                    index + 1
                ),
            });
        }
    }
    Ok(record)
}

/// For the fuzz target: the record parser on arbitrary bytes.
pub fn parse_for_fuzzing(bytes: &[u8]) {
    let _ = parse(Path::new("fuzz/trusted.json"), bytes);
}

/// A lower-case hex SHA-256.
pub fn is_digest(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Loads, changes and saves the record under the home lock.
fn update<T>(paths: &Paths, change: impl FnOnce(&mut Record) -> T) -> Result<T> {
    fsutil::create_private_dir(paths.home())?;
    let _lock = fsutil::WriteLock::acquire(&paths.lock())?;
    let mut record = load(paths)?;
    let out = change(&mut record);
    record.format = FORMAT;
    let mut text = serde_json::to_string_pretty(&record).expect("the record serialises");
    text.push('\n');
    fsutil::write_atomic(&record_path(paths), text.as_bytes())?;
    Ok(out)
}

/// What the record says about these contents of this file.
pub fn verdict(paths: &Paths, file: &TrustFile) -> Result<Verdict> {
    let record = load(paths)?;
    Ok(match record.files.iter().find(|e| e.path == file.path) {
        Some(entry) if entry.sha256 == file.sha256 => Verdict::Trusted,
        Some(_) => Verdict::Changed,
        None => Verdict::Untrusted,
    })
}

/// Fails with exit 8 unless the file is trusted with exactly these contents.
pub fn require(paths: &Paths, file: &TrustFile) -> Result<()> {
    match verdict(paths, file)? {
        Verdict::Trusted => Ok(()),
        Verdict::Untrusted => Err(Error::Untrusted {
            path: file.path.clone(),
        }),
        Verdict::Changed => Err(Error::TrustChanged {
            path: file.path.clone(),
        }),
    }
}

/// Trusts the file's current contents (replacing an older entry for the same path).
pub fn trust(paths: &Paths, file: &TrustFile, now: &str) -> Result<Entry> {
    trust_with_store(paths, file, now, None)
}

/// Trusts a project file's current contents together with its store's shape.
pub fn trust_with_store(
    paths: &Paths,
    file: &TrustFile,
    now: &str,
    store: Option<StoreManifest>,
) -> Result<Entry> {
    let entry = Entry {
        path: file.path.clone(),
        sha256: file.sha256.clone(),
        trusted: now.to_owned(),
        store,
    };
    update(paths, |record| {
        record.files.retain(|e| e.path != entry.path);
        record.files.push(entry.clone());
        record.files.sort_by(|a, b| a.path.cmp(&b.path));
    })?;
    Ok(entry)
}

/// The entry that trusts exactly these contents of this file, if any.
pub fn entry(paths: &Paths, file: &TrustFile) -> Result<Option<Entry>> {
    Ok(load(paths)?
        .files
        .into_iter()
        .find(|e| e.path == file.path && e.sha256 == file.sha256))
}

/// The entry for this path, whatever contents it trusted (for `byok trust` to show what
/// changed since).
pub fn entry_for_path(paths: &Paths, path: &Path) -> Result<Option<Entry>> {
    Ok(load(paths)?.files.into_iter().find(|e| e.path == path))
}

/// Records a project store's new shape on the entry that trusts `path` with `sha256`
/// (after the user's own write to the store); nothing when that entry is gone.
pub fn set_store(paths: &Paths, path: &Path, sha256: &str, store: &StoreManifest) -> Result<()> {
    update(paths, |record| {
        if let Some(entry) = record
            .files
            .iter_mut()
            .find(|e| e.path == path && e.sha256 == sha256)
        {
            entry.store = Some(store.clone());
        }
    })
}

/// Forgets `path` (canonicalised when it still exists); `false` when it was not trusted.
pub fn untrust(paths: &Paths, path: &Path) -> Result<bool> {
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| absolute(path));
    if !load(paths)?.files.iter().any(|e| e.path == target) {
        return Ok(false);
    }
    update(paths, |record| {
        let before = record.files.len();
        record.files.retain(|e| e.path != target);
        record.files.len() != before
    })
}

/// Forgets every entry whose file is gone or has changed; returns their paths.
pub fn prune(paths: &Paths) -> Result<Vec<PathBuf>> {
    let stale: Vec<PathBuf> = list(paths)?
        .into_iter()
        .filter(|(_, state)| *state != Verdict::Trusted)
        .map(|(entry, _)| entry.path)
        .collect();
    if stale.is_empty() {
        return Ok(stale);
    }
    update(paths, |record| {
        record.files.retain(|e| !stale.contains(&e.path));
    })?;
    Ok(stale)
}

/// Every entry with what its file looks like now (`Changed` also for a file that is gone
/// or unreadable).
pub fn list(paths: &Paths) -> Result<Vec<(Entry, Verdict)>> {
    Ok(load(paths)?
        .files
        .into_iter()
        .map(|entry| {
            let state = match TrustFile::read(&entry.path) {
                Ok(file) if file.path == entry.path && file.sha256 == entry.sha256 => {
                    Verdict::Trusted
                }
                _ => Verdict::Changed,
            };
            (entry, state)
        })
        .collect())
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trust_follows_path_and_contents() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::new(dir.path().join("home"));
        let file = dir.path().join(".env");
        std::fs::write(&file, "A=byok://a\n").unwrap();
        let read = || TrustFile::read(&file).unwrap();
        assert_eq!(verdict(&paths, &read()).unwrap(), Verdict::Untrusted);
        assert!(matches!(
            require(&paths, &read()),
            Err(Error::Untrusted { .. })
        ));
        trust(&paths, &read(), "t").unwrap();
        assert_eq!(verdict(&paths, &read()).unwrap(), Verdict::Trusted);
        // Through another spelling of the same path.
        let other = dir.path().join(".").join(".env");
        assert_eq!(
            verdict(&paths, &TrustFile::read(&other).unwrap()).unwrap(),
            Verdict::Trusted
        );
        std::fs::write(&file, "A=byok://a\nOPENAI_BASE_URL=http://evil\n").unwrap();
        assert!(matches!(
            require(&paths, &read()),
            Err(Error::TrustChanged { .. })
        ));
        assert_eq!(list(&paths).unwrap()[0].1, Verdict::Changed);
        assert_eq!(prune(&paths).unwrap().len(), 1);
        assert!(list(&paths).unwrap().is_empty());
        trust(&paths, &read(), "t").unwrap();
        assert!(untrust(&paths, &file).unwrap());
        assert!(!untrust(&paths, &file).unwrap());
        let text = std::fs::read_to_string(paths.home().join(RECORD_FILE)).unwrap();
        assert!(!text.contains("evil"), "contents never go into the record");
    }

    #[test]
    fn oversized_files_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("big");
        std::fs::write(&file, vec![b'a'; MAX_FILE_BYTES as usize + 1]).unwrap();
        assert!(matches!(TrustFile::read(&file), Err(Error::Usage(_))));
    }
}
