//! The audit log: `BYOK_HOME/audit.jsonl`, one JSON object per action, never a value.
//!
//! Each line records the time, the action, the ref (by a keyed hash unless
//! `audit_names = "plain"`), the connector, the store, the outcome, the byok command and the
//! caller's pid and command name. Lines are appended with `O_APPEND` to a file opened with
//! `O_NOFOLLOW` (mode `0600`) under the log's own lock (`audit.lock`).
//!
//! **Chain.** A line written while the vault identity is at hand ends with
//! `"mac":"<hex>"`: HMAC-SHA256, keyed from the identity, over the previous MAC, every line
//! written since it without a MAC (an action that needed no identity, e.g. `byok lock`), and
//! this line without its MAC. Editing or removing a line breaks the MAC of the next keyed
//! line; `seq` numbers lines from 1, so a gap shows too. At every write of the home vault
//! the chain head (how many lines, and a MAC over the whole log) is recorded in the vault
//! document, after the entry of the action doing the write has been appended — so cutting
//! the tail is detected as well, up to the last vault write. Every keyed append also
//! rewrites `audit.head` in place: the head at that entry, MAC'd with the chain key — so
//! cutting entries written since the last vault write is detected too, down to the last
//! keyed entry (a read by a process that had the identity). What is left to a same-user
//! process without the identity: removing unkeyed entries after the last keyed one, or
//! rolling the log *and* `audit.head` back together to a copy of both it saved earlier
//! (never past the head in the vault). [`verify`] checks all of it.
//!
//! The log never holds a value, a label or a provider; ref names are private too (the vault
//! hides them), so by default they are written as `h:` + a keyed hash that only the
//! identity can resolve ([`Keys::name_hash`]).

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use hmac::{Hmac, Mac};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::fsutil::{self, WriteLock};
use crate::settings::Settings;
use crate::store::vault::doc::{AuditHead, VaultDoc};
use crate::unlock::{Unlocked, Unlocker};

type HmacSha256 = Hmac<Sha256>;

/// Lines longer than this are not byok's (a hand-edited log): verification stops there.
const MAX_LINE: usize = 16 * 1024;
/// How much of the log's end is read first to find the chain state before an append:
/// a few lines, since the last line is keyed whenever the identity was at hand. The window
/// doubles until it holds a keyed line or the whole log.
const TAIL: u64 = 4 * 1024;
/// The suffix of a keyed line: `,"mac":"` + 64 hex digits + `"}`.
const MAC_SUFFIX: usize = 8 + 64 + 2;

/// The keys derived from the vault identity: one for the chain, one for ref names.
pub struct Keys {
    chain: Zeroizing<[u8; 32]>,
    names: Zeroizing<[u8; 32]>,
}

impl Keys {
    pub fn from_identity(unlocked: &Unlocked) -> Self {
        let secret = unlocked.identity.to_string();
        let derive = |label: &[u8]| {
            let mut mac = HmacSha256::new_from_slice(secret.expose_secret().as_bytes())
                .expect("HMAC takes any key length");
            mac.update(label);
            Zeroizing::new(<[u8; 32]>::from(mac.finalize().into_bytes()))
        };
        Keys {
            chain: derive(b"byok audit chain v1"),
            names: derive(b"byok audit names v1"),
        }
    }

    /// `h:` and the first 24 hex digits of HMAC(names key, ref name).
    pub fn name_hash(&self, reference: &str) -> String {
        let mut mac = HmacSha256::new_from_slice(&*self.names).expect("any key length");
        mac.update(reference.as_bytes());
        format!("h:{}", &hex(&mac.finalize().into_bytes())[..24])
    }

    fn mac(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut mac = HmacSha256::new_from_slice(&*self.chain).expect("any key length");
        for part in parts {
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, chunk) in text.as_bytes().chunks(2).enumerate() {
        out[i] = u8::from_str_radix(std::str::from_utf8(chunk).ok()?, 16).ok()?;
    }
    Some(out)
}

/// What a command is about to do, for one audit entry.
#[derive(Clone, Debug, Default)]
pub struct Entry {
    pub action: &'static str,
    pub reference: Option<String>,
    pub connector: Option<String>,
    pub store: Option<String>,
}

impl Entry {
    pub fn new(action: &'static str) -> Self {
        Entry {
            action,
            ..Entry::default()
        }
    }

    /// An action on a secret.
    pub fn secret(action: &'static str, reference: &str, store: Option<&str>) -> Self {
        Entry {
            action,
            reference: Some(reference.to_owned()),
            store: store.map(str::to_owned),
            ..Entry::default()
        }
    }

    /// An action on a connector.
    pub fn connector(action: &'static str, name: &str) -> Self {
        Entry {
            action,
            connector: Some(name.to_owned()),
            ..Entry::default()
        }
    }
}

/// One line of the log as written and read.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Record {
    pub seq: u64,
    pub time: String,
    pub action: String,
    /// `h:…` (keyed hash), the plain name with `audit_names = "plain"`, or `?` when no
    /// identity was at hand to hash it.
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connector: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<String>,
    /// `ok` or `error`.
    pub outcome: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit: Option<u8>,
    /// The byok command (`secret get`, …).
    pub command: String,
    pub pid: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller_pid: Option<u32>,
    /// The caller's command name (`/proc/<ppid>/comm`), control characters removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
}

struct Staged {
    id: u64,
    entry: Entry,
    plain: bool,
}

/// The audit log of one home, as one command uses it.
pub struct Audit {
    settings: Arc<Settings>,
    unlocker: Arc<Unlocker>,
    command: Mutex<String>,
    /// Entries of actions under way, not yet appended.
    staged: Mutex<Vec<Staged>>,
    /// Entries a vault write already appended (with outcome `ok`).
    flushed: Mutex<Vec<Staged>>,
    next_id: std::sync::atomic::AtomicU64,
}

/// Where the chain stands at the end of the log.
struct Tail {
    seq: u64,
    /// The log's length in bytes up to here.
    bytes: u64,
    chain: [u8; 32],
    /// Lines after the last keyed one (each with its newline).
    pending: Vec<u8>,
}

impl Tail {
    /// The head a vault write records: a MAC over the whole log so far.
    fn head(&self, keys: &Keys) -> AuditHead {
        let mac = if self.pending.is_empty() {
            self.chain
        } else {
            keys.mac(&[&self.chain, &self.pending, b"head"])
        };
        AuditHead {
            entries: self.seq,
            mac: hex(&mac),
            bytes: self.bytes,
            anchored: true,
            broken_at: 0,
        }
    }
}

impl Audit {
    pub fn new(settings: Arc<Settings>, unlocker: Arc<Unlocker>) -> Self {
        Audit {
            settings,
            unlocker,
            command: Mutex::new(String::new()),
            staged: Mutex::new(Vec::new()),
            flushed: Mutex::new(Vec::new()),
            next_id: Default::default(),
        }
    }

    pub fn path(&self) -> PathBuf {
        log_path(&self.settings)
    }

    /// The byok command entries name (`secret get`).
    pub fn set_command(&self, name: String) {
        *lock(&self.command) = name;
    }

    /// Runs `action`, recording `entries` for it: appended by the first vault write the
    /// action makes (so the head recorded in the vault covers them), else when it ends.
    /// An audit log that cannot be written fails a command that succeeded.
    pub fn record<T>(
        &self,
        entries: Vec<Entry>,
        plain: bool,
        action: impl FnOnce() -> Result<T>,
    ) -> Result<T> {
        use std::sync::atomic::Ordering;
        let mut ids = Vec::new();
        for entry in entries {
            let id = self.next_id.fetch_add(1, Ordering::Relaxed);
            ids.push(id);
            lock(&self.staged).push(Staged { id, entry, plain });
        }
        let result = action();
        let exit = result.as_ref().err().map(|e| e.exit() as u8);
        let take = |list: &Mutex<Vec<Staged>>| {
            let mut list = lock(list);
            let (mine, rest): (Vec<_>, Vec<_>) = list.drain(..).partition(|s| ids.contains(&s.id));
            *list = rest;
            mine
        };
        let mut to_write: Vec<(Entry, bool, Option<u8>)> = take(&self.staged)
            .into_iter()
            .map(|s| (s.entry, s.plain, exit))
            .collect();
        // An entry a vault write appended says `ok`; when the action failed after that
        // write, a second entry says so.
        for s in take(&self.flushed) {
            if exit.is_some() {
                to_write.push((s.entry, s.plain, exit));
            }
        }
        if !to_write.is_empty()
            && let Err(e) = self.append(&to_write, None).map(|_| ())
        {
            return match result {
                Ok(_) => Err(e),
                Err(original) => {
                    crate::term::output::warn(
                        &self.settings,
                        &format!("could not write the audit log: {e}"),
                    );
                    Err(original)
                }
            };
        }
        result
    }

    /// Appends one entry at once (an action that is over).
    pub fn log(&self, entry: Entry, plain: bool, outcome: Result<(), u8>) -> Result<()> {
        self.append(&[(entry, plain, outcome.err())], None)
            .map(|_| ())
    }

    /// For the home vault's writes: appends the staged entries (outcome `ok`), then records
    /// the chain head in the document about to be written.
    /// Renames the connector of staged entries named `placeholder` to `name`: a guided
    /// form asks for the name after its command's entries were staged.
    pub fn name_staged_connector(&self, placeholder: &str, name: &str) {
        for staged in lock(&self.staged).iter_mut() {
            if staged.entry.connector.as_deref() == Some(placeholder) {
                staged.entry.connector = Some(name.to_owned());
            }
        }
    }

    pub fn before_vault_write(&self, doc: &mut VaultDoc, unlocked: &Unlocked) -> Result<()> {
        let staged: Vec<Staged> = lock(&self.staged).drain(..).collect();
        let entries: Vec<(Entry, bool, Option<u8>)> = staged
            .iter()
            .map(|s| (s.entry.clone(), s.plain, None))
            .collect();
        let keys = Keys::from_identity(unlocked);
        // The head the vault holds must still match the log: otherwise the log was cut (or
        // rewritten) since the last vault write, and a new head would hide that.
        let intact = match &doc.audit {
            Some(old) => {
                old.broken_at == 0
                    && self.head_matches(old, &keys)?
                    && self.anchor_matches(old, &keys)?
            }
            None => true,
        };
        let tail = self.append(&entries, Some(unlocked))?;
        lock(&self.flushed).extend(staged);
        match doc.audit.as_mut() {
            _ if intact => doc.audit = Some(tail.head(&keys)),
            Some(old) => {
                // Recorded in the vault, where a process without the identity cannot undo
                // it: the next `audit verify` reports it even if the log is put right again.
                if old.broken_at == 0 {
                    old.broken_at = tail.seq;
                }
                crate::term::output::warn(
                    &self.settings,
                    "the audit log no longer matches the head recorded in the vault or in \
                     audit.head (entries were removed or changed); the head is kept as it was: \
                     run `byok audit verify`",
                );
            }
            None => {}
        }
        Ok(())
    }

    /// Whether the log's first `head.entries` entries still give `head`'s MAC.
    fn head_matches(&self, head: &AuditHead, keys: &Keys) -> Result<bool> {
        let path = self.path();
        let _lock = WriteLock::acquire(&lock_path(&self.settings))?;
        let mut file = match open_log(&path, false) {
            Ok(file) => file,
            Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                return Ok(head.entries == 0);
            }
            Err(e) => return Err(e),
        };
        let len = file.metadata().map_err(Error::io("read", &path))?.len();
        if len < head.bytes {
            return Ok(false);
        }
        let tail = read_tail(&mut file, &path, head.bytes)?;
        Ok(tail.seq == head.entries && tail.head(keys).mac == head.mac)
    }

    /// Whether `audit.head` still describes the log: it verifies, the log still gives its MAC
    /// at its length, and no keyed entry came after it (an older copy put back). A home
    /// whose vault head says it keeps `audit.head` must have one.
    fn anchor_matches(&self, vault_head: &AuditHead, keys: &Keys) -> Result<bool> {
        let anchor = match read_anchor(&self.settings, keys)? {
            Anchor::Missing => return Ok(!vault_head.anchored),
            Anchor::Invalid(_) => return Ok(false),
            Anchor::Valid(anchor) => anchor,
        };
        if !self.head_matches(&anchor, keys)? {
            return Ok(false);
        }
        let path = self.path();
        let _lock = WriteLock::acquire(&lock_path(&self.settings))?;
        let mut file = open_log(&path, false)?;
        let len = file.metadata().map_err(Error::io("read", &path))?.len();
        Ok(hex(&read_tail(&mut file, &path, len)?.chain) == anchor.mac)
    }

    /// Appends entries with these outcomes; keyed when an identity is at hand without a
    /// prompt (`unlocked`, one this process has, or a cheap source). Returns the new tail.
    fn append(
        &self,
        entries: &[(Entry, bool, Option<u8>)],
        unlocked: Option<&Unlocked>,
    ) -> Result<Tail> {
        let unlocked_given = unlocked.is_some();
        let unlocked = unlocked.or_else(|| self.unlocker.get_without_prompt());
        let keys = unlocked.map(Keys::from_identity);
        let path = self.path();
        fsutil::create_private_dir(self.settings.paths.home())?;
        let _lock = WriteLock::acquire(&lock_path(&self.settings))?;
        let mut file = open_log(&path, true)?;
        let len = file.metadata().map_err(Error::io("read", &path))?.len();
        let mut state = read_tail(&mut file, &path, len)?;
        if entries.is_empty() {
            if unlocked_given {
                file.sync_data().map_err(Error::io("sync", &path))?;
            }
            return Ok(state);
        }
        let command = lock(&self.command).clone();
        let (caller_pid, caller) = caller();
        let mut out = Vec::new();
        for (entry, plain, exit) in entries {
            state.seq += 1;
            let reference = entry.reference.as_deref().map(|r| {
                if *plain {
                    r.to_owned()
                } else {
                    keys.as_ref()
                        .map_or_else(|| "?".to_owned(), |k| k.name_hash(r))
                }
            });
            let record = Record {
                seq: state.seq,
                time: crate::term::output::now_rfc3339(),
                action: entry.action.to_owned(),
                reference,
                connector: entry.connector.clone(),
                store: entry.store.clone(),
                outcome: if exit.is_some() { "error" } else { "ok" }.to_owned(),
                exit: *exit,
                command: command.clone(),
                pid: std::process::id(),
                caller_pid,
                caller: caller.clone(),
                mac: None,
            };
            let body = serde_json::to_vec(&record).map_err(|e| Error::Encrypt(e.to_string()))?;
            match &keys {
                Some(keys) => {
                    let mac = keys.mac(&[&state.chain, &state.pending, &body]);
                    state.chain = mac;
                    state.pending.clear();
                    out.extend_from_slice(&body[..body.len() - 1]);
                    out.extend_from_slice(format!(",\"mac\":\"{}\"}}\n", hex(&mac)).as_bytes());
                }
                None => {
                    state.pending.extend_from_slice(&body);
                    state.pending.push(b'\n');
                    out.extend_from_slice(&body);
                    out.push(b'\n');
                }
            }
        }
        file.write_all(&out)
            .map_err(Error::io("append to", &path))?;
        state.bytes += out.len() as u64;
        if let Some(keys) = &keys {
            write_anchor(&self.settings, keys, &state.head(keys))?;
        }
        // Before a vault write the log must be on disk first: the head the vault records
        // must never be ahead of the log after a crash. Other appends skip the fsync (a
        // crash may lose the last entries; verification then flags a cut-off line).
        if unlocked_given {
            file.sync_data().map_err(Error::io("sync", &path))?;
        }
        Ok(state)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// `BYOK_HOME/audit.jsonl`.
pub fn log_path(settings: &Settings) -> PathBuf {
    settings.paths.home().join("audit.jsonl")
}

fn lock_path(settings: &Settings) -> PathBuf {
    settings.paths.home().join("audit.lock")
}

/// `BYOK_HOME/audit.head`: the chain head at the last keyed entry.
fn anchor_path(settings: &Settings) -> PathBuf {
    settings.paths.home().join("audit.head")
}

/// The first word of `audit.head`; the line has a fixed length, so a rewrite in place
/// always covers the whole of the previous one.
const ANCHOR_MAGIC: &str = "byok-audit-head-1";

fn anchor_mac(keys: &Keys, head: &AuditHead) -> [u8; 32] {
    keys.mac(&[
        b"byok audit head v1",
        &head.entries.to_be_bytes(),
        &head.bytes.to_be_bytes(),
        head.mac.as_bytes(),
    ])
}

/// Rewrites `audit.head` in place (one small write at offset 0, under the log's lock): a
/// keyed read pays an open and a write, not a rename and two fsyncs. A crash between the
/// log's append and this write leaves an older head, which [`verify`] reports.
fn write_anchor(settings: &Settings, keys: &Keys, head: &AuditHead) -> Result<()> {
    let line = format!(
        "{ANCHOR_MAGIC} {:020} {:020} {} {}\n",
        head.entries,
        head.bytes,
        head.mac,
        hex(&anchor_mac(keys, head))
    );
    let path = anchor_path(settings);
    let file = open_private(&path, OpenOptions::new().write(true).create(true))?;
    // No truncation: the line's length never changes, and a file someone made longer no
    // longer parses, which `verify` reports.
    crate::fsutil::write_all_at(&file, line.as_bytes(), 0).map_err(Error::io("write", &path))
}

/// What `audit.head` says.
enum Anchor {
    Missing,
    /// Why it cannot be trusted (it names no content).
    Invalid(&'static str),
    Valid(AuditHead),
}

fn read_anchor(settings: &Settings, keys: &Keys) -> Result<Anchor> {
    let path = anchor_path(settings);
    let mut file = match open_private(&path, OpenOptions::new().read(true)) {
        Ok(file) => file,
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Anchor::Missing);
        }
        Err(e) => return Err(e),
    };
    let mut bytes = Vec::new();
    (&mut file)
        .take(256)
        .read_to_end(&mut bytes)
        .map_err(Error::io("read", &path))?;
    let text = std::str::from_utf8(&bytes).unwrap_or("");
    let words: Vec<&str> = text.split_ascii_whitespace().collect();
    let [ANCHOR_MAGIC, entries, len, mac, sig] = words[..] else {
        return Ok(Anchor::Invalid("is not a head byok wrote"));
    };
    let (Ok(entries), Ok(bytes), Some(_), Some(sig)) =
        (entries.parse(), len.parse(), unhex(mac), unhex(sig))
    else {
        return Ok(Anchor::Invalid("is not a head byok wrote"));
    };
    let head = AuditHead {
        entries,
        mac: mac.to_owned(),
        bytes,
        anchored: true,
        broken_at: 0,
    };
    if anchor_mac(keys, &head) != sig {
        return Ok(Anchor::Invalid("does not verify"));
    }
    Ok(Anchor::Valid(head))
}

/// Opens the log without following a symlink (mode `0600` when created).
fn open_log(path: &Path, append: bool) -> Result<File> {
    let mut options = OpenOptions::new();
    if append {
        options.append(true).create(true).read(true);
    } else {
        options.read(true);
    }
    open_private(path, &mut options)
}

/// Opens one of the log's files with `options`, never through a symlink, mode `0600` when
/// created; anything but a regular file is refused.
fn open_private(path: &Path, options: &mut OpenOptions) -> Result<File> {
    #[cfg(unix)]
    crate::fsutil::private_no_follow(options);
    // Without O_NOFOLLOW, a link is refused before opening (a race Windows' privileged
    // symlinks make unlikely).
    #[cfg(not(unix))]
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Error::Corrupt {
            path: path.to_path_buf(),
            reason: "it is a symbolic link (byok never follows one for its audit log)".into(),
        });
    }
    let file = options.open(path).map_err(|e| {
        if crate::fsutil::refused_symlink(&e) {
            Error::Corrupt {
                path: path.to_path_buf(),
                reason: "it is a symbolic link (byok never follows one for its audit log)".into(),
            }
        } else {
            Error::io("open", path)(e)
        }
    })?;
    let meta = file.metadata().map_err(Error::io("read", path))?;
    if !meta.is_file() {
        return Err(Error::Corrupt {
            path: path.to_path_buf(),
            reason: "it is not a regular file".into(),
        });
    }
    Ok(file)
}

/// The MAC a keyed line ends with, and the line as it was MACed (without it).
fn split_mac(line: &[u8]) -> Option<([u8; 32], Vec<u8>)> {
    if line.len() < MAC_SUFFIX + 2 || !line.ends_with(b"\"}") {
        return None;
    }
    let suffix = &line[line.len() - MAC_SUFFIX..];
    if !suffix.starts_with(b",\"mac\":\"") {
        return None;
    }
    let mac = unhex(std::str::from_utf8(&suffix[8..72]).ok()?)?;
    let mut body = line[..line.len() - MAC_SUFFIX].to_vec();
    body.push(b'}');
    Some((mac, body))
}

fn seq_of(line: &[u8]) -> Option<u64> {
    #[derive(Deserialize)]
    struct Seq {
        seq: u64,
    }
    serde_json::from_slice::<Seq>(line).ok().map(|s| s.seq)
}

/// The chain state at byte `len` of the log (its end, or where a head was taken), from the
/// smallest window before it that holds a keyed line (the whole log when none does).
/// Trusts what it reads: [`verify`] is what checks.
fn read_tail(file: &mut File, path: &Path, len: u64) -> Result<Tail> {
    let mut window = TAIL;
    let mut start = len.saturating_sub(window);
    loop {
        file.seek(SeekFrom::Start(start))
            .map_err(Error::io("read", path))?;
        let mut bytes = Vec::with_capacity((len - start) as usize);
        file.take(len - start)
            .read_to_end(&mut bytes)
            .map_err(Error::io("read", path))?;
        let mut text: &[u8] = &bytes;
        if start > 0 {
            // Drop the partial first line.
            let cut = memchr::memchr(b'\n', text).map_or(text.len(), |i| i + 1);
            text = &text[cut..];
        }
        let lines: Vec<&[u8]> = text
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .collect();
        let keyed = lines.iter().rposition(|l| split_mac(l).is_some());
        if keyed.is_none() && start > 0 {
            window = window.saturating_mul(2);
            start = len.saturating_sub(window);
            continue;
        }
        let seq = match lines.last() {
            None => 0,
            Some(last) => match seq_of(last) {
                Some(seq) => seq,
                // Not a line of ours: count the lines instead.
                None => {
                    let mut all = Vec::new();
                    file.seek(SeekFrom::Start(0))
                        .and_then(|_| file.take(len).read_to_end(&mut all))
                        .map_err(Error::io("read", path))?;
                    memchr::memchr_iter(b'\n', &all).count() as u64
                }
            },
        };
        let (chain, after) = match keyed {
            Some(i) => (split_mac(lines[i]).expect("found above").0, i + 1),
            None => ([0u8; 32], 0),
        };
        let mut pending = Vec::new();
        for line in &lines[after..] {
            pending.extend_from_slice(line);
            pending.push(b'\n');
        }
        return Ok(Tail {
            seq,
            bytes: len,
            chain,
            pending,
        });
    }
}

/// What [`verify`] found.
#[derive(Debug, Default)]
pub struct Verdict {
    pub entries: u64,
    /// Entries after the last MAC and after the recorded head: not covered yet.
    pub unsealed: u64,
    /// The `seq` of every entry without a MAC of its own: written without the identity (a
    /// locked attempt, `byok lock`) — or by anyone who can write the file. A later keyed
    /// entry seals it against edits, but cannot say who wrote it.
    pub unauthenticated: Vec<u64>,
    pub problems: Vec<String>,
}

/// Checks the whole log: every line parses and is numbered in order, every MAC matches
/// the chain, and the head recorded in the vault (`head`) matches the log at that length.
pub fn verify(settings: &Settings, keys: &Keys, head: Option<&AuditHead>) -> Result<Verdict> {
    let path = log_path(settings);
    let bytes = match open_log(&path, false) {
        Ok(mut file) => {
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes)
                .map_err(Error::io("read", &path))?;
            bytes
        }
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            Vec::new()
        }
        Err(e) => return Err(e),
    };
    let mut verdict = Verdict::default();
    if !bytes.is_empty() && !bytes.ends_with(b"\n") {
        verdict
            .problems
            .push("the last line is cut off (no newline at its end)".into());
    }
    // The heads to hold the log against: the vault's, and `audit.head` (the last keyed entry).
    if let Some(h) = head.filter(|h| h.broken_at > 0) {
        verdict.problems.push(format!(
            "a vault write found the log cut or changed when it had {} entries (entries \
             written since the last keyed one were removed or edited); keep this log for \
             review, then start a new one with `byok audit reset`",
            h.broken_at
        ));
    }
    let mut heads: Vec<(&str, &AuditHead, bool)> = Vec::new();
    if let Some(h) = head {
        heads.push(("the vault", h, h.entries == 0));
    }
    let anchor = read_anchor(settings, keys)?;
    match &anchor {
        Anchor::Valid(h) => heads.push(("audit.head", h, h.entries == 0)),
        Anchor::Invalid(why) => verdict.problems.push(format!(
            "audit.head {why}: it was forged or damaged, so entries after the last vault write \
             are not covered"
        )),
        Anchor::Missing if head.is_some_and(|h| h.anchored) => verdict.problems.push(
            "audit.head was removed: entries after the last vault write may have been removed \
             with it"
                .to_owned(),
        ),
        Anchor::Missing => {}
    }
    let mut chain = [0u8; 32];
    let mut pending: Vec<u8> = Vec::new();
    let mut last_keyed = 0u64;
    for line in bytes.split(|b| *b == b'\n') {
        if line.is_empty() {
            continue;
        }
        let n = verdict.entries + 1;
        verdict.entries = n;
        if line.len() > MAX_LINE {
            verdict
                .problems
                .push(format!("line {n} is longer than any byok entry"));
            break;
        }
        match seq_of(line) {
            Some(seq) if seq == n => {}
            Some(seq) => verdict.problems.push(format!(
                "line {n} carries seq {seq} (an entry was removed or inserted)"
            )),
            None => verdict
                .problems
                .push(format!("line {n} is not an audit entry")),
        }
        match split_mac(line) {
            Some((mac, body)) => {
                if keys.mac(&[&chain, &pending, &body]) != mac {
                    verdict.problems.push(format!(
                        "line {n}: the MAC does not match (this entry or one before it was changed)"
                    ));
                }
                chain = mac;
                pending.clear();
                last_keyed = n;
            }
            None => {
                pending.extend_from_slice(line);
                pending.push(b'\n');
                verdict.unauthenticated.push(n);
            }
        }
        for (place, h, checked) in heads.iter_mut().filter(|(_, h, c)| !*c && h.entries == n) {
            let tail = Tail {
                seq: n,
                bytes: 0,
                chain,
                pending: pending.clone(),
            };
            if tail.head(keys).mac != h.mac {
                verdict.problems.push(format!(
                    "the log's first {n} entries do not match the head recorded in {place} \
                     (entries were edited, removed or inserted)"
                ));
            }
            *checked = true;
        }
    }
    for (place, h, checked) in &heads {
        if !checked {
            verdict.problems.push(format!(
                "{place} records {} entries, the log has {}: its tail was cut off",
                h.entries, verdict.entries
            ));
        }
    }
    if let Anchor::Valid(h) = &anchor
        && last_keyed > h.entries
    {
        verdict.problems.push(format!(
            "audit.head records {} entries but entry {last_keyed} is keyed: an older copy of \
             audit.head was put back (or byok was interrupted between the two writes)",
            h.entries
        ));
    }
    let anchored = match &anchor {
        Anchor::Valid(h) => h.entries,
        _ => 0,
    };
    let covered = last_keyed.max(head.map_or(0, |h| h.entries)).max(anchored);
    verdict.unsealed = verdict.entries.saturating_sub(covered);
    Ok(verdict)
}

/// Every entry of the log (lines that do not parse are skipped; `verify` reports them).
pub fn read_all(settings: &Settings) -> Result<Vec<Record>> {
    let path = log_path(settings);
    let mut file = match open_log(&path, false) {
        Ok(file) => file,
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Vec::new());
        }
        Err(e) => return Err(e),
    };
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(Error::io("read", &path))?;
    Ok(bytes
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty() && l.len() <= MAX_LINE)
        .filter_map(|l| serde_json::from_slice(l).ok())
        .collect())
}

/// The parent process: its pid and command name (Linux: `/proc/<ppid>/comm`).
fn caller() -> (Option<u32>, Option<String>) {
    #[cfg(unix)]
    {
        let ppid = std::os::unix::process::parent_id();
        let name = std::fs::read_to_string(format!("/proc/{ppid}/comm"))
            .ok()
            .map(|n| {
                n.trim_end()
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(64)
                    .collect::<String>()
            })
            .filter(|n| !n.is_empty());
        (Some(ppid), name)
    }
    #[cfg(not(unix))]
    {
        (None, None)
    }
}

/// `secret get` for `Command::Secret(SecretCommand::Get(…))`: the command's words, from
/// the variant names (never from argv, which may hold ref names).
pub fn command_name(command: &impl std::fmt::Debug) -> String {
    let text = format!("{command:?}");
    let mut words = Vec::new();
    let mut rest = text.as_str();
    loop {
        let end = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let word = &rest[..end];
        if word.is_empty() || word.ends_with("Args") {
            break;
        }
        words.push(kebab(word));
        if !rest[end..].starts_with('(') || words.len() == 3 {
            break;
        }
        rest = &rest[end + 1..];
    }
    words.join(" ")
}

fn kebab(word: &str) -> String {
    let mut out = String::new();
    for (i, c) in word.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    #[allow(dead_code)]
    enum Cmd {
        Secret(Sub),
        Lock,
    }
    #[derive(Debug)]
    #[allow(dead_code)]
    enum Sub {
        Get(GetArgs),
    }
    #[derive(Debug)]
    #[allow(dead_code)]
    struct GetArgs {
        reference: String,
    }

    #[test]
    fn command_names_come_from_variants_only() {
        let c = Cmd::Secret(Sub::Get(GetArgs {
            reference: "private_name".into(),
        }));
        assert_eq!(command_name(&c), "secret get");
        assert_eq!(command_name(&Cmd::Lock), "lock");
    }

    #[test]
    fn the_tail_window_grows_until_it_holds_a_keyed_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let keyed = |seq: u64, mac: u8| {
            format!(
                "{{\"seq\":{seq},\"x\":\"k\",\"mac\":\"{}\"}}\n",
                format!("{mac:02x}").repeat(32)
            )
        };
        let mut log = String::new();
        for seq in 1..=200 {
            log.push_str(&keyed(seq, 1));
        }
        log.push_str(&keyed(201, 7));
        let mut unkeyed = String::new();
        // Unkeyed lines (written without the identity) well past the first window.
        for seq in 202..=600 {
            unkeyed.push_str(&format!(
                "{{\"seq\":{seq},\"x\":\"no identity at hand\"}}\n"
            ));
        }
        log.push_str(&unkeyed);
        assert!(unkeyed.len() as u64 > 2 * TAIL);
        std::fs::write(&path, &log).unwrap();
        let mut file = File::open(&path).unwrap();
        let tail = read_tail(&mut file, &path, log.len() as u64).unwrap();
        assert_eq!(tail.seq, 600);
        assert_eq!(tail.chain, [7; 32]);
        assert_eq!(tail.pending, unkeyed.as_bytes());
        // A log with no keyed line at all: everything is pending.
        std::fs::write(&path, &unkeyed).unwrap();
        let mut file = File::open(&path).unwrap();
        let tail = read_tail(&mut file, &path, unkeyed.len() as u64).unwrap();
        assert_eq!((tail.seq, tail.chain), (600, [0; 32]));
        assert_eq!(tail.pending, unkeyed.as_bytes());
    }

    #[test]
    fn keyed_lines_split_back_into_their_body() {
        let body = br#"{"seq":1,"a":"b"}"#;
        let mut line = body[..body.len() - 1].to_vec();
        line.extend_from_slice(format!(",\"mac\":\"{}\"}}", "ab".repeat(32)).as_bytes());
        let (mac, back) = split_mac(&line).unwrap();
        assert_eq!(mac, [0xab; 32]);
        assert_eq!(back, body);
        assert!(split_mac(body).is_none());
    }
}
