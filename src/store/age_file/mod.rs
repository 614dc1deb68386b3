//! `age-file` stores: a byok vault document (format 2) in an age file of its own, encrypted
//! to every recipient in `FILE.recipients` — a vault a small team keeps in git, each member
//! reading it with their own key. Never the home's personal vault: the recipients belong to
//! this store only.
//!
//! - **Opening**: with the store's `identity = PATH` ([`identity`]) or, without one, the
//!   home's own identity (which must then be a recipient).
//! - **Writing** encrypts to every recipient of the recipients file, and only if that file
//!   is the one this member accepted ([`trust`]): a recipients file changed behind byok's
//!   back (a pull brought a new recipient) refuses writes (exit 8) until
//!   `byok recipients accept`. Reads keep working.
//! - **Concurrency**: a write refuses to replace a file that changed since this process read
//!   it, unless this home's byok wrote that version under the file's lock; and it refuses a
//!   file git reports as unmerged. byok never merges encrypted files itself.
//! - **History**: [`AgeFile::diff`] decrypts two git versions in memory and compares refs.

pub mod accepted;
pub mod git;
pub mod identity;
pub mod recipients;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use self::accepted::{Accepted, Change};
use self::identity::Loaded;
use self::recipients::Member;
use super::BoxStore;
use super::vault::VaultStore;
use super::vault::doc::{self, VaultDoc};
use super::vault::file::{self, Digest, Plaintext, Sealing, VaultFile};
use crate::error::{Error, Result};
use crate::fsutil;
use crate::settings::Settings;
use crate::unlock::Unlocker;

/// `FILE.recipients` for the data file `FILE`.
pub fn recipients_path(data: &Path) -> PathBuf {
    let mut path = data.as_os_str().to_owned();
    path.push(".recipients");
    PathBuf::from(path)
}

/// The keys of one shared file: who may open it (this member's identity) and who it is
/// sealed to (the accepted recipients).
pub struct AgeFileKeys {
    store: String,
    data: PathBuf,
    recipients: PathBuf,
    identity: Option<PathBuf>,
    trust: PathBuf,
    settings: Arc<Settings>,
    unlocker: Arc<Unlocker>,
    own: OnceLock<Loaded>,
    failed: std::sync::atomic::AtomicBool,
}

impl AgeFileKeys {
    /// This member's identity and its public key (loaded once; may prompt).
    fn own(&self) -> Result<(&dyn age::Identity, String)> {
        let Some(path) = &self.identity else {
            let unlocked = self.unlocker.get()?;
            return Ok((&unlocked.identity, unlocked.recipient().to_string()));
        };
        if let Some(loaded) = self.own.get() {
            return Ok((loaded.key.as_identity(), loaded.public.clone()));
        }
        use std::sync::atomic::Ordering;
        if self.failed.load(Ordering::Relaxed) {
            return Err(Error::StoreLocked {
                store: self.store.clone(),
                identity: path.clone(),
            });
        }
        let loaded = identity::load(path, &self.store, &self.settings)
            .inspect_err(|_| self.failed.store(true, Ordering::Relaxed))?;
        let loaded = self.own.get_or_init(|| loaded);
        Ok((loaded.key.as_identity(), loaded.public.clone()))
    }

    /// This member's public key (`age1…` or `ssh-ed25519 AAAA…`).
    pub fn own_public(&self) -> Result<String> {
        self.own().map(|(_, public)| public)
    }

    fn read_recipients(&self) -> Result<Option<Vec<u8>>> {
        match std::fs::metadata(&self.recipients) {
            Ok(meta) if meta.len() > recipients::MAX_FILE as u64 => {
                return Err(Error::Config {
                    path: self.recipients.clone(),
                    message: format!("larger than {} KiB", recipients::MAX_FILE / 1024),
                });
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io("read", &self.recipients)(e)),
        }
        std::fs::read(&self.recipients)
            .map(Some)
            .map_err(Error::io("read", &self.recipients))
    }

    fn parse_members(&self, bytes: &[u8]) -> Result<Vec<Member>> {
        let text = std::str::from_utf8(bytes).map_err(|_| Error::Config {
            path: self.recipients.clone(),
            message: "not UTF-8 text".into(),
        })?;
        recipients::parse(text, &self.recipients)
    }

    fn accepted(&self) -> Result<Option<Accepted>> {
        accepted::load(&self.trust)
    }

    /// The recipients as the file says now (empty when it does not exist).
    pub fn members(&self) -> Result<Vec<Member>> {
        match self.read_recipients()? {
            Some(bytes) => self.parse_members(&bytes),
            None => Ok(Vec::new()),
        }
    }

    /// The name the first member gets, as every other member will see it: `user@host`, else
    /// the login name or the machine's name, else the start of its public key (never a word
    /// like "me", which reads as each reader themself).
    fn own_name(&self, public: &str) -> String {
        let user = ["USER", "LOGNAME", "USERNAME"]
            .iter()
            .filter_map(|v| self.settings.parent_env.get(v))
            .filter_map(|v| v.to_str())
            .find(|v| recipients::check_name(v).is_ok() && !v.contains(char::is_whitespace));
        let host = crate::os::host_name(&self.settings.parent_env);
        let name = match (user, host) {
            (Some(user), Some(host)) => format!("{user}@{host}"),
            (Some(user), None) => user.to_owned(),
            (None, Some(host)) => host,
            (None, None) => recipients::short_key(public),
        };
        if recipients::check_name(&name).is_ok() {
            name
        } else {
            name.chars().take(recipients::MAX_NAME).collect()
        }
    }

    /// Writes the recipients file and records it as accepted by this member.
    fn write_members(&self, members: &[Member]) -> Result<()> {
        let file_name = self
            .data
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = recipients::render(members, &file_name);
        if let Some(dir) = self.recipients.parent() {
            fsutil::create_private_dir(dir)?;
        }
        fsutil::write_atomic(&self.recipients, text.as_bytes())?;
        let last_written = self.accepted()?.and_then(|a| a.last_written);
        let mut record = Accepted::new(&self.absolute_recipients(), text.as_bytes(), members);
        record.last_written = last_written;
        accepted::save(&self.trust, &record)
    }

    fn absolute_recipients(&self) -> PathBuf {
        std::path::absolute(&self.recipients).unwrap_or_else(|_| self.recipients.clone())
    }

    /// The recipients, if this member has accepted the file as it is now; else the refusal.
    fn trusted_members(&self, bytes: &[u8]) -> Result<Vec<Member>> {
        let members = self.parse_members(bytes)?;
        let accepted = self.accepted()?;
        match &accepted {
            Some(record) if record.accepts(&self.absolute_recipients(), bytes) => Ok(members),
            _ => {
                let old = accepted
                    .filter(|a| a.path == self.absolute_recipients())
                    .map(|a| a.members())
                    .unwrap_or_default();
                let change = Change::between(&old, &members);
                Err(Error::RecipientsUntrusted {
                    store: self.store.clone(),
                    path: self.recipients.clone(),
                    added: change.added.len(),
                    removed: change.removed.len(),
                })
            }
        }
    }
}

impl Sealing for AgeFileKeys {
    fn own_identity(&self) -> Option<&Path> {
        self.identity.as_deref()
    }

    fn decrypt(&self, ciphertext: &[u8], path: &Path) -> Result<Plaintext> {
        let (identity, public) = self.own()?;
        file::decrypt_with(ciphertext, path, &[identity], || Error::NotARecipient {
            store: self.store.clone(),
            path: path.to_path_buf(),
            public: public.clone(),
        })
    }

    fn encrypt(&self, plaintext: &[u8]) -> Result<Vec<u8>> {
        let bytes = self
            .read_recipients()?
            .ok_or_else(|| Error::RecipientsMissing {
                store: self.store.clone(),
                path: self.recipients.clone(),
            })?;
        let members = self.trusted_members(&bytes)?;
        let own = self.own_public()?;
        if !members.iter().any(|m| m.key == own) {
            return Err(Error::NotAMember {
                store: self.store.clone(),
                path: self.recipients.clone(),
                public: own,
            });
        }
        let boxed = members
            .iter()
            .map(Member::recipient)
            .collect::<Result<Vec<_>>>()?;
        let refs: Vec<&dyn age::Recipient> = boxed
            .iter()
            .map(|r| r.as_ref() as &dyn age::Recipient)
            .collect();
        file::encrypt_to(plaintext, &refs)
    }

    fn before_write(&self, on_disk: Option<&Digest>, read: Option<&Digest>) -> Result<()> {
        let accepted = self.accepted()?;
        // Changed since this process read it, and not by this home's byok (which re-reads
        // under the lock and so loses nothing)?
        if let Some(read) = read
            && on_disk != Some(read)
        {
            let ours = match (
                on_disk,
                accepted.as_ref().and_then(|a| a.last_written.as_ref()),
            ) {
                (Some(now), Some(last)) => accepted::hex(now) == *last,
                _ => false,
            };
            if !ours {
                return Err(Error::WriteConflict {
                    store: self.store.clone(),
                    path: self.data.clone(),
                });
            }
        }
        if git::unmerged(&self.data, &self.recipients) {
            return Err(Error::GitConflict {
                store: self.store.clone(),
                path: self.data.clone(),
            });
        }
        match self.read_recipients()? {
            Some(bytes) => self.trusted_members(&bytes).map(|_| ()),
            None if accepted.is_some_and(|a| a.path == self.absolute_recipients()) => {
                Err(Error::RecipientsMissing {
                    store: self.store.clone(),
                    path: self.recipients.clone(),
                })
            }
            // A new store (or one from before recipients): its first member is this one.
            None => {
                let key = self.own_public()?;
                self.write_members(&[Member {
                    name: Some(self.own_name(&key)),
                    key,
                }])
            }
        }
    }

    fn after_write(&self, written: &Digest) -> Result<()> {
        let mut record = self.accepted()?.unwrap_or_default();
        record.last_written = Some(accepted::hex(written));
        accepted::save(&self.trust, &record)
    }

    fn before_lock(&self) {
        // `BYOK_FAULT=age-file-pause:DIR` (debug builds): between reading and writing, say
        // so in DIR/ready and wait for DIR/go, so a test can change the file in between.
        let Some(dir) = self
            .settings
            .fault
            .as_deref()
            .and_then(|f| f.strip_prefix("age-file-pause:"))
        else {
            return;
        };
        let dir = Path::new(dir);
        let _ = std::fs::write(dir.join("ready"), b"");
        for _ in 0..3000 {
            if dir.join("go").exists() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

/// A shared store as `byok recipients` and `byok store diff` see it.
pub struct AgeFile {
    pub name: String,
    pub file: Arc<VaultFile>,
    pub keys: Arc<AgeFileKeys>,
}

/// What `recipients accept` is asked to accept.
#[derive(Debug)]
pub struct Pending {
    /// Whether this member had accepted any version of the file before.
    pub first: bool,
    /// Whether the file as it is now is the accepted one.
    pub accepted: bool,
    pub change: Change,
    pub members: Vec<Member>,
}

/// One ref in `store diff`.
#[derive(Debug, serde::Serialize)]
pub struct RefChange {
    #[serde(rename = "ref")]
    pub reference: String,
    /// `added`, `removed` or `changed`.
    pub change: &'static str,
    /// Fields whose value differs (names only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// The record's `updated` time before and after.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

impl AgeFile {
    /// `FILE.recipients`.
    pub fn keys_path(&self) -> &Path {
        &self.keys.recipients
    }

    /// The recipients as the file says now.
    pub fn members(&self) -> Result<Vec<Member>> {
        self.keys.members()
    }

    /// Whether this member has accepted the recipients file as it is now.
    pub fn pending(&self) -> Result<Pending> {
        let members = self.keys.members()?;
        let bytes = self.keys.read_recipients()?;
        let record = self
            .keys
            .accepted()?
            .filter(|a| a.path == self.keys.absolute_recipients());
        let accepted = match (&record, &bytes) {
            (Some(r), Some(b)) => r.accepts(&self.keys.absolute_recipients(), b),
            _ => false,
        };
        let old = record.as_ref().map(|r| r.members()).unwrap_or_default();
        Ok(Pending {
            first: record.is_none(),
            accepted,
            change: Change::between(&old, &members),
            members,
        })
    }

    /// Records the recipients file as it is now as accepted by this member.
    pub fn accept(&self) -> Result<Vec<Member>> {
        let _lock = self.file.lock()?;
        let bytes = self
            .keys
            .read_recipients()?
            .ok_or_else(|| Error::RecipientsMissing {
                store: self.name.clone(),
                path: self.keys.recipients.clone(),
            })?;
        let members = self.keys.parse_members(&bytes)?;
        if members.is_empty() {
            return Err(Error::Config {
                path: self.keys.recipients.clone(),
                message: "it lists no recipient".into(),
            });
        }
        let last_written = self.keys.accepted()?.and_then(|a| a.last_written);
        let mut record = Accepted::new(&self.keys.absolute_recipients(), &bytes, &members);
        record.last_written = last_written;
        accepted::save(&self.keys.trust, &record)?;
        Ok(members)
    }

    /// The members before a change, checked: the accepted file, or (no file yet) this
    /// member alone.
    fn current_for_change(&self) -> Result<Vec<Member>> {
        match self.keys.read_recipients()? {
            Some(bytes) => self.keys.trusted_members(&bytes),
            None => {
                let key = self.keys.own_public()?;
                Ok(vec![Member {
                    name: Some(self.keys.own_name(&key)),
                    key,
                }])
            }
        }
    }

    /// Adds a recipient and re-encrypts the file to everyone.
    pub fn add(&self, key_text: &str, name: Option<&str>) -> Result<Member> {
        let (key, _) = recipients::parse_key(key_text)?;
        let name = match name {
            Some(name) => Some(name.to_owned()),
            // The comment of an OpenSSH public key line (`ssh-ed25519 AAAA… bob@laptop`).
            None => key_text
                .split_whitespace()
                .nth(2)
                .filter(|c| key.starts_with("ssh-") && recipients::check_name(c).is_ok())
                .map(str::to_owned),
        };
        if let Some(name) = &name {
            recipients::check_name(name)?;
        }
        let lock = self.file.lock()?;
        let mut members = self.current_for_change()?;
        if let Some(existing) = members.iter().find(|m| m.key == key) {
            return Err(Error::Usage(format!(
                "that key is already a recipient of the {} store (as '{}')",
                self.name,
                crate::term::sanitize::line(&existing.display()).into_owned()
            )));
        }
        if let Some(name) = &name
            && members.iter().any(|m| m.name.as_deref() == Some(name))
        {
            return Err(Error::Usage(format!(
                "the {} store already has a member named '{name}'; pick another --name",
                self.name
            )));
        }
        let member = Member { name, key };
        members.push(member.clone());
        self.keys.write_members(&members)?;
        if self.file.exists() {
            self.file.modify_locked(&lock, |_| Ok(()))?;
        }
        Ok(member)
    }

    /// Removes a recipient (by name or key), re-encrypts the file to the others, and
    /// returns the member and the refs they could read.
    pub fn remove(&self, who: &str) -> Result<(Member, Vec<String>)> {
        let lock = self.file.lock()?;
        let mut members = self.current_for_change()?;
        let index = recipients::position(&members, who).ok_or_else(|| Error::MemberNotFound {
            store: self.name.clone(),
            who: crate::term::sanitize::line(who).into_owned(),
        })?;
        if members[index].key == self.keys.own_public()? {
            return Err(Error::Usage(format!(
                "you cannot remove yourself from the {} store: the file would be sealed \
                 without your key; ask another member to do it",
                self.name
            )));
        }
        let removed = members.remove(index);
        self.keys.write_members(&members)?;
        let readable = if self.file.exists() {
            self.file.modify_locked(&lock, |doc| {
                Ok(doc.secrets.keys().cloned().collect::<Vec<_>>())
            })?
        } else {
            Vec::new()
        };
        Ok((removed, readable))
    }

    /// The refs added, changed and removed between two versions of the file: `from` a git
    /// revision, `to` another one or (`None`) the file as it is now. Decrypted in memory.
    pub fn diff(&self, from: &str, to: Option<&str>) -> Result<Vec<RefChange>> {
        let old = self.doc_at(Some(from))?;
        let new = self.doc_at(to)?;
        Ok(compare(&old, &new))
    }

    fn doc_at(&self, rev: Option<&str>) -> Result<VaultDoc> {
        let bytes = match rev {
            Some(rev) => Some(git::show(&self.keys.data, rev)?),
            None => match std::fs::read(&self.keys.data) {
                Ok(bytes) => Some(bytes),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(Error::io("read", &self.keys.data)(e)),
            },
        };
        let Some(bytes) = bytes else {
            return Ok(VaultDoc::default());
        };
        let label = match rev {
            Some(rev) => PathBuf::from(format!("{}@{rev}", self.keys.data.display())),
            None => self.keys.data.clone(),
        };
        let plaintext = self.keys.decrypt(&bytes, &label)?;
        doc::parse(plaintext.bytes(), &label)
    }
}

fn compare(old: &VaultDoc, new: &VaultDoc) -> Vec<RefChange> {
    let mut out = Vec::new();
    let names: std::collections::BTreeSet<&String> =
        old.secrets.keys().chain(new.secrets.keys()).collect();
    for name in names {
        match (old.secrets.get(name), new.secrets.get(name)) {
            (None, Some(after)) => out.push(RefChange {
                reference: name.clone(),
                change: "added",
                fields: Vec::new(),
                before: None,
                after: Some(after.updated.clone()),
            }),
            (Some(before), None) => out.push(RefChange {
                reference: name.clone(),
                change: "removed",
                fields: Vec::new(),
                before: Some(before.updated.clone()),
                after: None,
            }),
            (Some(before), Some(after)) => {
                let fields = changed_fields(&before.fields, &after.fields);
                let meta_changed = before.updated != after.updated
                    || before.label != after.label
                    || before.provider != after.provider;
                if !fields.is_empty() || meta_changed {
                    out.push(RefChange {
                        reference: name.clone(),
                        change: "changed",
                        fields,
                        before: Some(before.updated.clone()),
                        after: Some(after.updated.clone()),
                    });
                }
            }
            (None, None) => {}
        }
    }
    out
}

/// Names of fields added, removed or with another value (compared in memory, never shown).
fn changed_fields(
    before: &BTreeMap<String, Option<crate::secret::SecretValue>>,
    after: &BTreeMap<String, Option<crate::secret::SecretValue>>,
) -> Vec<String> {
    let names: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    names
        .into_iter()
        .filter(|name| {
            let a = before.get(*name).map(|v| v.as_ref().map(|v| v.expose()));
            let b = after.get(*name).map(|v| v.as_ref().map(|v| v.expose()));
            a != b
        })
        .cloned()
        .collect()
}

/// Opens an `age-file` store declared in `config.toml`.
#[allow(clippy::too_many_arguments)]
pub fn open(
    name: &str,
    data: PathBuf,
    lock: PathBuf,
    identity: Option<PathBuf>,
    home: &Path,
    trust_dir: &Path,
    unlocker: &Arc<Unlocker>,
) -> (BoxStore, Arc<AgeFile>) {
    let keys = Arc::new(AgeFileKeys {
        store: name.to_owned(),
        recipients: recipients_path(&data),
        data: data.clone(),
        identity,
        trust: trust_dir.join(format!("{name}.json")),
        settings: Arc::clone(unlocker.settings()),
        unlocker: Arc::clone(unlocker),
        own: OnceLock::new(),
        failed: Default::default(),
    });
    let file = Arc::new(VaultFile::shared(
        data,
        lock,
        home.to_path_buf(),
        Arc::clone(unlocker),
        Arc::clone(&keys) as Arc<dyn Sealing>,
    ));
    let store = Box::new(VaultStore::new(name, Arc::clone(&file)));
    let handle = Arc::new(AgeFile {
        name: name.to_owned(),
        file,
        keys,
    });
    (store, handle)
}
