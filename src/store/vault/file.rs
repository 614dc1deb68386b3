//! One age vault file: decrypting (once per process), finding records, and atomic rewrites.
//!
//! The file is a standard age file encrypted to the home's X25519 identity (a shared
//! `age-file` store's file: to its recipients, through a [`Sealing`]); its plaintext
//! is a [`VaultDoc`]. Writes hold an exclusive lock, re-read the file, and replace it
//! atomically (temp file, fsync, rename, fsync of the directory); a file that cannot be
//! parsed is reported and never overwritten.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use zeroize::Zeroizing;

use super::doc::{self, SecretRecord, VaultDoc};
use super::lookup::{self, Scan};
use super::window::{self, Window};
use crate::error::{Error, Result};
use crate::fsutil::{self, WriteLock};
use crate::unlock::{Unlocked, Unlocker};

/// The decrypted plaintext of a vault file, wiped from memory on drop.
pub struct Plaintext {
    /// The whole allocation; the document is its first `len` bytes.
    buffer: Vec<u8>,
    len: usize,
    /// Where the last record lookup in `secrets` stopped, so the reveal policy after it is
    /// found without skipping those records again.
    resume: OnceLock<lookup::Resume>,
    /// Whether the document is in the layout byok writes (`window::sorted_layout`), where
    /// a record is found by bisection and the policy in the head.
    sorted: OnceLock<Option<(lookup::Head, usize)>>,
}

impl Plaintext {
    /// Takes the bytes out of `bytes` (which is left empty); `len` of them are the document.
    fn new(mut bytes: Zeroizing<Vec<u8>>, len: usize) -> Self {
        Plaintext {
            buffer: std::mem::take(&mut *bytes),
            len,
            resume: OnceLock::new(),
            sorted: OnceLock::new(),
        }
    }

    /// All of `bytes` is the document.
    fn whole(bytes: Zeroizing<Vec<u8>>) -> Self {
        let len = bytes.len();
        Plaintext::new(bytes, len)
    }

    pub fn bytes(&self) -> &[u8] {
        &self.buffer[..self.len]
    }

    /// The document's layout when it is byok's own (checked once).
    fn sorted(&self) -> Option<(lookup::Head, usize)> {
        *self
            .sorted
            .get_or_init(|| window::sorted_layout(self.bytes()))
    }
}

impl Drop for Plaintext {
    fn drop(&mut self) {
        // The spare capacity too: within capacity, `resize` never reallocates.
        self.buffer.resize(self.buffer.capacity(), 0);
        wipe(&mut self.buffer);
    }
}

/// Overwrites `bytes` with zeroes that the compiler may not remove, a machine word at a
/// time: zeroize's byte loop took about 1 ms for the plaintext of a 10,000-secret vault.
pub fn wipe(bytes: &mut [u8]) {
    use zeroize::Zeroize;
    let (head, words, tail) = bytemuck::pod_align_to_mut::<u8, u64>(bytes);
    head.zeroize();
    words.zeroize();
    tail.zeroize();
}

/// What to do when the file does not exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WhenMissing {
    /// The home's own vault: "not initialised", before any passphrase is asked for.
    NotInitialised,
    /// Another vault file: an empty store, created by its first write.
    Empty,
}

/// How a shared vault file (an `age-file` store with recipients) is opened and sealed,
/// instead of with the home's identity: see [`crate::store::age_file`].
pub trait Sealing: Send + Sync {
    /// Decrypts the whole ciphertext of the file.
    fn decrypt(&self, ciphertext: &[u8], path: &Path) -> Result<Plaintext>;
    /// Encrypts a new plaintext to the file's current recipients.
    fn encrypt(&self, plaintext: &[u8]) -> Result<Vec<u8>>;
    /// Called under the writer lock before a write, with the SHA-256 of the file as it is
    /// on disk now and of the version this process read earlier (if any): may refuse it.
    fn before_write(&self, on_disk: Option<&Digest>, read: Option<&Digest>) -> Result<()>;
    /// Called under the writer lock after a write, with the SHA-256 of what was written.
    fn after_write(&self, written: &Digest) -> Result<()>;
    /// Called before a write takes the lock (a test hook: debug builds may pause here).
    fn before_lock(&self) {}
    /// The identity file that opens the file, when it is not the home's own identity.
    fn own_identity(&self) -> Option<&Path> {
        None
    }
}

/// A SHA-256 digest of a file's ciphertext.
pub type Digest = [u8; 32];

/// The SHA-256 of `bytes`.
pub fn digest(bytes: &[u8]) -> Digest {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes).into()
}

/// A vault file and the identity that opens it.
pub struct VaultFile {
    path: PathBuf,
    lock: PathBuf,
    home: PathBuf,
    when_missing: WhenMissing,
    unlocker: Arc<Unlocker>,
    cached: Mutex<Option<Arc<Plaintext>>>,
    /// A shared file's keys (`None`: the home's identity).
    sealing: Option<Arc<dyn Sealing>>,
    /// The digest of the ciphertext this process read last (shared files only).
    read_digest: Mutex<Option<Digest>>,
    /// Called with each document about to be written (the home vault: the audit head).
    hook: std::sync::OnceLock<Arc<dyn WriteHook>>,
    /// The windowed read of a large file, once tried (`Some(None)`: not applicable).
    window: Mutex<Option<Option<Arc<Window>>>>,
}

/// Something that adds to every document a vault file writes.
pub trait WriteHook: Send + Sync {
    fn before_write(&self, doc: &mut VaultDoc, unlocked: &Unlocked) -> Result<()>;
}

impl std::fmt::Debug for VaultFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VaultFile")
            .field("path", &self.path)
            .finish()
    }
}

impl VaultFile {
    pub fn new(
        path: PathBuf,
        lock: PathBuf,
        home: PathBuf,
        when_missing: WhenMissing,
        unlocker: Arc<Unlocker>,
    ) -> Self {
        VaultFile {
            path,
            lock,
            home,
            when_missing,
            unlocker,
            cached: Mutex::new(None),
            sealing: None,
            read_digest: Mutex::new(None),
            hook: std::sync::OnceLock::new(),
            window: Mutex::new(None),
        }
    }

    /// A shared file, opened and sealed by `sealing` rather than the home's identity; an
    /// absent file is an empty store.
    pub fn shared(
        path: PathBuf,
        lock: PathBuf,
        home: PathBuf,
        unlocker: Arc<Unlocker>,
        sealing: Arc<dyn Sealing>,
    ) -> Self {
        let mut file = Self::new(path, lock, home, WhenMissing::Empty, unlocker);
        file.sealing = Some(sealing);
        file
    }

    /// Reads the file whole (`None` when absent).
    fn read_bytes(&self) -> Result<Option<Vec<u8>>> {
        match std::fs::read(&self.path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io("read", &self.path)(e)),
        }
    }

    /// Sets the hook every write of this file calls (once).
    pub fn set_write_hook(&self, hook: Arc<dyn WriteHook>) {
        let _ = self.hook.set(hook);
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The identity file that opens this file, when not the home's own (shared files).
    pub fn own_identity(&self) -> Option<&Path> {
        self.sealing.as_ref().and_then(|s| s.own_identity())
    }

    pub fn exists(&self) -> bool {
        self.path.exists()
    }

    /// The identity, unlocking it if this is the first use (may prompt).
    pub fn unlocked(&self) -> Result<&Unlocked> {
        self.unlocker.get()
    }

    /// The decrypted plaintext, read once per process (`None`: an absent non-home file).
    pub fn plaintext(&self) -> Result<Option<Arc<Plaintext>>> {
        let mut cached = self.cached.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(plaintext) = cached.as_ref() {
            return Ok(Some(Arc::clone(plaintext)));
        }
        let Some(plaintext) = self.read_from_disk()? else {
            return Ok(None);
        };
        let plaintext = Arc::new(plaintext);
        *cached = Some(Arc::clone(&plaintext));
        Ok(Some(plaintext))
    }

    /// Whether the whole document, as on disk now, carries a valid MAC of this home's
    /// identity (decrypts it whole; for the agent-proof proxy's start).
    pub fn mac_state(&self) -> Result<doc::MacState> {
        let plaintext = self
            .read_from_disk()?
            .ok_or_else(|| Error::NotInitialised {
                home: self.home.clone(),
            })?;
        Ok(doc::mac_state(
            plaintext.bytes(),
            &self.unlocked()?.identity,
        ))
    }

    fn read_from_disk(&self) -> Result<Option<Plaintext>> {
        // Before opening: a FIFO would block the open, a symlink would be replaced on write.
        crate::os::home_trust::check_vault_file(&self.path)?;
        if let Some(sealing) = &self.sealing {
            let Some(bytes) = self.read_bytes()? else {
                return Ok(None);
            };
            let plaintext = sealing.decrypt(&bytes, &self.path)?;
            *self.read_digest.lock().unwrap_or_else(|p| p.into_inner()) = Some(digest(&bytes));
            return Ok(Some(plaintext));
        }
        let file = match std::fs::File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return match self.when_missing {
                    WhenMissing::NotInitialised => Err(Error::NotInitialised {
                        home: self.home.clone(),
                    }),
                    WhenMissing::Empty => Ok(None),
                };
            }
            Err(e) => return Err(Error::io("read", &self.path)(e)),
        };
        let size = file.metadata().map(|m| m.len() as usize).unwrap_or(0);
        let unlocked = self.unlocked()?;
        if size >= HALVES_FROM
            && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
            && let Some(plaintext) = decrypt_halves(&file, size, &self.path, unlocked)?
        {
            return Ok(Some(plaintext));
        }
        // A small buffer for the header only: age reads the payload in whole encrypted
        // chunks (64 KiB + tag), larger than this buffer, and `BufReader` passes reads
        // larger than its capacity straight to the file once it is empty. So only the
        // first few bytes of the payload are copied twice, not the whole file.
        decrypt(
            BufReader::with_capacity(HEADER_BUFFER, file),
            size,
            &self.path,
            unlocked,
        )
        .map(Some)
    }

    /// One record of `holder` (`None`: the file's own secrets; `Some(store)`: that store's
    /// index), by the fast positional scan when it can decide, else by the full parser.
    pub fn find(&self, holder: Option<&str>, name: &str) -> Result<Option<SecretRecord>> {
        if let Some(found) = self.find_windowed(holder, name)? {
            return Ok(found);
        }
        let Some(plaintext) = self.plaintext()? else {
            return Ok(None);
        };
        let bytes = plaintext.bytes();
        if holder.is_none()
            && let Some(layout) = plaintext.sorted()
        {
            match window::find_sorted(bytes, layout, name) {
                Some(Some((start, end))) => {
                    // A cut the parser refuses is the positional scan's to decide and report.
                    if let Ok(record) = doc::parse_record(bytes, start, end, &self.path)
                        && record.store.is_none()
                    {
                        return Ok(Some(record));
                    }
                }
                // Not in `secrets`: certain only when another store holds the name (a name
                // lives in one store), since the bisection assumes sorted records.
                Some(None) if layout.0.index && indexed(bytes, name) => return Ok(None),
                _ => {}
            }
        }
        let index_path;
        let path: &[&str] = match holder {
            None => &["secrets"],
            Some(store) => {
                index_path = ["index", store];
                &index_path
            }
        };
        let (scan, resume) = lookup::find_resumable(bytes, path, name);
        if let Some(resume) = resume {
            let _ = plaintext.resume.set(resume);
        }
        match scan {
            Scan::Record { start, end } => {
                let record = doc::parse_record(bytes, start, end, &self.path)?;
                if holder.is_none() && record.store.is_some() {
                    // A format-1 index record: the full parser moves it where it belongs.
                    return self.find_slow(bytes, holder, name);
                }
                Ok(Some(record))
            }
            // A format-1 document keeps index records among `secrets`.
            Scan::Missing if holder.is_some() && lookup::version(bytes) == Some(1) => {
                self.find_slow(bytes, holder, name)
            }
            Scan::Missing => Ok(None),
            Scan::Undecidable => self.find_slow(bytes, holder, name),
        }
    }

    fn find_slow(
        &self,
        bytes: &[u8],
        holder: Option<&str>,
        name: &str,
    ) -> Result<Option<SecretRecord>> {
        let mut doc = doc::parse(bytes, &self.path)?;
        Ok(doc.records_mut(holder).remove(name))
    }

    /// The window over a large home vault not yet decrypted whole (opened on first use).
    fn windowed(&self) -> Result<Option<Arc<Window>>> {
        if self.sealing.is_some() || self.is_decrypted() {
            return Ok(None);
        }
        let mut slot = self.window.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(window) = &*slot {
            return Ok(window.clone());
        }
        crate::os::home_trust::check_vault_file(&self.path)?;
        let window = match std::fs::File::open(&self.path) {
            Ok(file) if file.metadata().is_ok_and(|m| m.len() >= window::FROM) => {
                Window::open(file, &self.path, self.unlocked()?)?.map(Arc::new)
            }
            // Missing or small: the whole-file read says what to.
            _ => None,
        };
        *slot = Some(window.clone());
        Ok(window)
    }

    /// [`find`](Self::find) through the window: `None` when it cannot decide.
    fn find_windowed(
        &self,
        holder: Option<&str>,
        name: &str,
    ) -> Result<Option<Option<SecretRecord>>> {
        let Some(window) = self.windowed()? else {
            return Ok(None);
        };
        let layout = window.layout();
        let Some(head) = window.head() else {
            return Ok(None);
        };
        let parsed = |bytes: &[u8], start: usize, end: usize| {
            // A cut the parser refuses is the whole-file read's to report.
            doc::parse_record(bytes, start, end, &self.path)
                .ok()
                .filter(|r| r.store.is_none() == holder.is_none())
                .map(Some)
        };
        Ok(match holder {
            // `index` precedes `secrets` whole in the first chunk, or there is none.
            Some(_) if !layout.index => Some(None),
            Some(store) => match lookup::find(&head, &["index", store], name) {
                Scan::Record { start, end } => parsed(&head, start, end),
                Scan::Missing => Some(None),
                Scan::Undecidable => None,
            },
            None => match window.find_secret(name) {
                Some(window::Found::Record(bytes)) => parsed(&bytes, 0, bytes.len()),
                // Not in `secrets`: certain only when another store holds the name (a
                // name lives in one store), since the bisection assumes sorted records.
                Some(window::Found::Missing) if layout.index && indexed(&head, name) => Some(None),
                _ => None,
            },
        })
    }

    /// The policies of `scope` (`home`) recorded in the document, if any.
    pub fn policy(&self, scope: &str) -> Result<Option<doc::Policy>> {
        if let Some(window) = self.windowed()? {
            // `policy` precedes `secrets` whole in the first chunk, or there is none.
            if !window.layout().policy {
                return Ok(None);
            }
            if let Some(head) = window.head() {
                match lookup::find(&head, &["policy"], scope) {
                    Scan::Record { start, end } => {
                        if let Ok(policy) = serde_json::from_slice(&head[start..end]) {
                            return Ok(Some(policy));
                        }
                    }
                    Scan::Missing => return Ok(None),
                    Scan::Undecidable => {}
                }
            }
        }
        let Some(plaintext) = self.plaintext()? else {
            return Ok(None);
        };
        let bytes = plaintext.bytes();
        let scan = match (plaintext.sorted(), plaintext.resume.get()) {
            // byok's layout keeps `policy` before `secrets`, or has none.
            (Some((head, _)), _) if !head.policy => return Ok(None),
            (Some(_), _) => lookup::find(bytes, &["policy"], scope),
            (None, Some(&resume)) => lookup::find_from(bytes, resume, &["policy"], scope),
            (None, None) => lookup::find(bytes, &["policy"], scope),
        };
        match scan {
            Scan::Record { start, end } => serde_json::from_slice(&bytes[start..end])
                .map(Some)
                .map_err(|_| Error::Corrupt {
                    path: self.path.clone(),
                    reason: format!("its `policy.{scope}` does not have the vault format's shape"),
                }),
            Scan::Missing => Ok(None),
            Scan::Undecidable => Ok(doc::parse(bytes, &self.path)?.policy.remove(scope)),
        }
    }

    /// Whether the plaintext is already in memory (reading it again costs nothing).
    pub fn is_decrypted(&self) -> bool {
        self.cached
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some()
    }

    /// The whole document (an absent non-home file is an empty one).
    pub fn load(&self) -> Result<VaultDoc> {
        match self.plaintext()? {
            Some(plaintext) => doc::parse(plaintext.bytes(), &self.path),
            None => Ok(VaultDoc::default()),
        }
    }

    /// Takes the file's exclusive writer lock (blocking until other writers are done).
    pub fn lock(&self) -> Result<WriteLock> {
        if let Some(dir) = self.path.parent() {
            fsutil::create_private_dir(dir)?;
        }
        WriteLock::acquire(&self.lock)
    }

    /// Forgets the cached plaintext: the next read decrypts the file on disk again.
    pub fn refresh(&self) {
        *self.cached.lock().unwrap_or_else(|p| p.into_inner()) = None;
        *self.window.lock().unwrap_or_else(|p| p.into_inner()) = Some(None);
    }

    /// Reads, changes and atomically rewrites the file under its exclusive writer lock.
    ///
    /// The closure sees the current document (re-read under the lock, so concurrent writers
    /// do not lose each other's changes). When it fails, nothing is written.
    pub fn modify<T>(&self, change: impl FnOnce(&mut VaultDoc) -> Result<T>) -> Result<T> {
        if let Some(sealing) = &self.sealing {
            sealing.before_lock();
        }
        let lock = self.lock()?;
        self.modify_locked(&lock, change)
    }

    /// [`modify`](Self::modify) for a caller that already holds the lock from
    /// [`lock`](Self::lock) (taking it twice in one process would wait forever).
    pub fn modify_locked<T>(
        &self,
        _lock: &WriteLock,
        change: impl FnOnce(&mut VaultDoc) -> Result<T>,
    ) -> Result<T> {
        if let Some(sealing) = &self.sealing {
            return self.modify_shared(sealing.as_ref(), change);
        }
        let mut doc = match self.read_from_disk()? {
            Some(plaintext) => doc::parse(plaintext.bytes(), &self.path)?,
            None => VaultDoc::default(),
        };
        let result = change(&mut doc)?;
        if let Some(hook) = self.hook.get() {
            hook.before_write(&mut doc, self.unlocked()?)?;
        }
        let mut plaintext = doc::encode(&mut doc)?;
        // The home vault is the identity's own: it carries the identity's MAC.
        doc::seal(&mut plaintext, &self.unlocked()?.identity);
        let bytes = encrypt(&plaintext, self.unlocked()?)?;
        fsutil::write_atomic(&self.path, &bytes)?;
        *self.window.lock().unwrap_or_else(|p| p.into_inner()) = Some(None);
        *self.cached.lock().unwrap_or_else(|p| p.into_inner()) =
            Some(Arc::new(Plaintext::whole(plaintext)));
        Ok(result)
    }

    /// [`modify_locked`](Self::modify_locked) of a shared file: refuses to write over a file
    /// that changed since this process read it (unless this home's byok wrote that
    /// version), and lets the sealing check the recipients first.
    fn modify_shared<T>(
        &self,
        sealing: &dyn Sealing,
        change: impl FnOnce(&mut VaultDoc) -> Result<T>,
    ) -> Result<T> {
        let bytes = self.read_bytes()?;
        let on_disk = bytes.as_deref().map(digest);
        let read = *self.read_digest.lock().unwrap_or_else(|p| p.into_inner());
        sealing.before_write(on_disk.as_ref(), read.as_ref())?;
        let mut doc = match &bytes {
            Some(bytes) => doc::parse(sealing.decrypt(bytes, &self.path)?.bytes(), &self.path)?,
            None => VaultDoc::default(),
        };
        let result = change(&mut doc)?;
        let plaintext = doc::encode(&mut doc)?;
        let sealed = sealing.encrypt(&plaintext)?;
        fsutil::write_atomic(&self.path, &sealed)?;
        let written = digest(&sealed);
        *self.read_digest.lock().unwrap_or_else(|p| p.into_inner()) = Some(written);
        *self.cached.lock().unwrap_or_else(|p| p.into_inner()) =
            Some(Arc::new(Plaintext::whole(plaintext)));
        sealing.after_write(&written)?;
        Ok(result)
    }

    /// Writes a new, empty vault (for `init`); fails if one exists.
    pub fn create(&self) -> Result<()> {
        let mut plaintext = doc::encode(&mut VaultDoc::default())?;
        doc::seal(&mut plaintext, &self.unlocked()?.identity);
        fsutil::write_new(&self.path, &encrypt(&plaintext, self.unlocked()?)?)
    }
}

fn decrypt(
    ciphertext: impl BufRead,
    size: usize,
    path: &Path,
    unlocked: &Unlocked,
) -> Result<Plaintext> {
    let mut reader = open_stream(ciphertext, path, unlocked)?;
    read_plaintext(&mut reader, size).map_err(|e| broken(path, format!("decryption failed ({e})")))
}

/// Whether any store's `index` in `head` (where it is whole) lists `name`.
fn indexed(head: &[u8], name: &str) -> bool {
    let Some(start) = memchr::memmem::find(head, b"\n  \"index\": ") else {
        return false;
    };
    let from = start + b"\n  \"index\": ".len();
    let mut stream = serde_json::Deserializer::from_slice(&head[from..])
        .into_iter::<BTreeMap<String, BTreeMap<String, serde::de::IgnoredAny>>>();
    matches!(stream.next(), Some(Ok(index)) if index.values().any(|records| records.contains_key(name)))
}

fn broken(path: &Path, reason: String) -> Error {
    Error::Corrupt {
        path: path.to_path_buf(),
        reason,
    }
}

/// The age header of `ciphertext` unwrapped with the home's identity: a reader of the
/// plaintext.
pub(super) fn open_stream<R: BufRead>(
    ciphertext: R,
    path: &Path,
    unlocked: &Unlocked,
) -> Result<age::stream::StreamReader<R>> {
    let decryptor =
        age::Decryptor::new_buffered(ciphertext).map_err(|e| broken(path, e.to_string()))?;
    decryptor
        .decrypt(std::iter::once(&unlocked.identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => wrong_identity(path, unlocked),
            other => broken(path, other.to_string()),
        })
}

/// A valid identity the vault at `path` is not encrypted to: names where it came from and
/// how to give byok the right one.
fn wrong_identity(path: &Path, unlocked: &Unlocked) -> Error {
    use crate::unlock::IdentitySource as S;
    let home = path.parent().unwrap_or(Path::new("."));
    let txt = home.join("identity.txt");
    let (identity, fix) = match &unlocked.source {
        S::IdentityFileEnv(file) => (
            format!("BYOK_IDENTITY_FILE ({})", file.display()),
            format!(
                "point BYOK_IDENTITY_FILE at the identity of this vault, or unset it to use the \
                 home's own ({} or identity.age); {} was left untouched",
                txt.display(),
                path.display()
            ),
        ),
        S::IdentityTxt => (
            txt.display().to_string(),
            format!(
                "{} belongs to another vault: put back the identity.txt that was created with \
                 this vault (from a backup), or set BYOK_IDENTITY_FILE to it; {} was left untouched",
                txt.display(),
                path.display()
            ),
        ),
        S::SessionCache => (
            unlocked.source.to_string(),
            "the cached identity is another vault's: `byok lock`, then unlock again".into(),
        ),
        S::Keychain => (
            unlocked.source.to_string(),
            "the OS keychain holds another vault's identity: `byok keychain forget`, then \
             unlock with the passphrase (and `byok keychain remember` again)"
                .into(),
        ),
        S::PassphraseFile | S::PassphraseEnv | S::Prompt => {
            let age = home.join("identity.age");
            (
                format!("{} ({})", age.display(), unlocked.source),
                format!(
                    "{} belongs to another vault: put back the identity.age that was created \
                     with this vault (from a backup); {} was left untouched",
                    age.display(),
                    path.display()
                ),
            )
        }
    };
    Error::WrongIdentity {
        vault: path.to_path_buf(),
        identity,
        public: unlocked.recipient().to_string(),
        fix,
    }
}

/// Files from this size on are decrypted in two halves on two threads where the machine
/// has two cores: decryption is most of a large vault's `secret get` (10,000 secrets:
/// 3.2 MB), and age's STREAM chunks decrypt independently, each authenticated with its
/// position.
const HALVES_FROM: usize = 1024 * 1024;

/// Size of an age STREAM plaintext chunk: the second half starts on a chunk boundary.
pub(super) const CHUNK: usize = 64 * 1024;

/// Reads of one open file at positions of its own (`pread`), so two threads share the
/// descriptor — both halves decrypt the very file that was opened and checked — without
/// sharing an offset.
pub(super) struct At<F> {
    pub(super) file: F,
    pub(super) pos: u64,
}

impl<F: std::borrow::Borrow<std::fs::File>> Read for At<F> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(self.file.borrow(), buf, self.pos)?;
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_read(self.file.borrow(), buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl<F: std::borrow::Borrow<std::fs::File>> std::io::Seek for At<F> {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        let base = match to {
            std::io::SeekFrom::Start(offset) => {
                self.pos = offset;
                return Ok(offset);
            }
            std::io::SeekFrom::Current(delta) => (self.pos, delta),
            std::io::SeekFrom::End(delta) => (self.file.borrow().metadata()?.len(), delta),
        };
        self.pos = base
            .0
            .checked_add_signed(base.1)
            .ok_or(std::io::ErrorKind::InvalidInput)?;
        Ok(self.pos)
    }
}

/// [`decrypt`] of a large file in two halves: this thread the chunks before the middle,
/// another thread (with its own unwrap of the header) the rest, into one buffer. `None`
/// when the halves do not fit the file's size as measured (it changed, or its header is
/// unusually large): the caller decrypts it in one pass.
fn decrypt_halves(
    file: &std::fs::File,
    size: usize,
    path: &Path,
    unlocked: &Unlocked,
) -> Result<Option<Plaintext>> {
    let split = size / 2 / CHUNK * CHUNK;
    let mut buffer = Zeroizing::new(vec![0u8; size]);
    let (first, second) = buffer.split_at_mut(split);
    let failed = |e: std::io::Error| broken(path, format!("decryption failed ({e})"));
    let halves = std::thread::scope(|scope| {
        let later = scope.spawn(|| -> Result<Option<usize>> {
            let at = At { file, pos: 0 };
            let mut reader =
                open_stream(BufReader::with_capacity(HEADER_BUFFER, at), path, unlocked)?;
            std::io::Seek::seek(&mut reader, std::io::SeekFrom::Start(split as u64))
                .map_err(failed)?;
            let mut filled = 0;
            loop {
                if filled == second.len() {
                    // More plaintext than the file's size allows: it grew meanwhile.
                    return Ok(None);
                }
                match reader.read(&mut second[filled..]) {
                    Ok(0) => return Ok(Some(filled)),
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(failed(e)),
                }
            }
        });
        let at = At { file, pos: 0 };
        let earlier = open_stream(BufReader::with_capacity(HEADER_BUFFER, at), path, unlocked)
            .and_then(|mut reader| match reader.read_exact(first) {
                Ok(()) => Ok(true),
                // The plaintext ends before the middle: a header of unusual size.
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(false),
                Err(e) => Err(failed(e)),
            });
        let later = later
            .join()
            .unwrap_or_else(|_| Err(broken(path, "decryption failed".into())));
        Ok::<_, Error>((earlier?, later?))
    })?;
    Ok(match halves {
        (true, Some(len)) if len > 0 => Some(Plaintext::new(buffer, split + len)),
        _ => None,
    })
}

/// The capacity of the buffer the age header is read through (see `read_from_disk`).
pub(super) const HEADER_BUFFER: usize = 4 * 1024;

/// Reads the whole plaintext into one buffer sized up front from `size`, the file's size
/// (the plaintext is smaller), so it does not reallocate and leave unwiped copies behind.
///
/// The buffer is zeroed by allocation (`vec![0; n]`: fresh pages, already zero, for a large
/// file) rather than by `read_to_end`, which would zero it again chunk by chunk before
/// each read. Should the file have grown since `size` was taken, the buffer is replaced
/// by a larger one and the old one wiped (on drop), never reallocated in place.
fn read_plaintext(reader: &mut impl Read, size: usize) -> std::io::Result<Plaintext> {
    let mut plaintext = Zeroizing::new(vec![0u8; size.max(1)]);
    let mut filled = 0;
    loop {
        if filled == plaintext.len() {
            let mut larger = Zeroizing::new(vec![0u8; 2 * plaintext.len()]);
            larger[..filled].copy_from_slice(&plaintext[..filled]);
            plaintext = larger;
        }
        match reader.read(&mut plaintext[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    // The tail past `filled` (zeroes) stays in the allocation and is wiped with the rest.
    Ok(Plaintext::new(plaintext, filled))
}

/// Decrypts a whole ciphertext with any of `identities`; `no_match` is the error when none
/// of them is a recipient.
pub fn decrypt_with(
    ciphertext: &[u8],
    path: &Path,
    identities: &[&dyn age::Identity],
    no_match: impl FnOnce() -> Error,
) -> Result<Plaintext> {
    let broken = |reason: String| Error::Corrupt {
        path: path.to_path_buf(),
        reason,
    };
    let decryptor = age::Decryptor::new_buffered(ciphertext).map_err(|e| broken(e.to_string()))?;
    let mut reader = decryptor
        .decrypt(identities.iter().copied())
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => no_match(),
            other => broken(other.to_string()),
        })?;
    read_plaintext(&mut reader, ciphertext.len())
        .map_err(|e| broken(format!("decryption failed ({e})")))
}

/// Encrypts a plaintext to every one of `recipients`.
pub fn encrypt_to(plaintext: &[u8], recipients: &[&dyn age::Recipient]) -> Result<Vec<u8>> {
    let encryptor = age::Encryptor::with_recipients(recipients.iter().copied())
        .map_err(|e| Error::Encrypt(e.to_string()))?;
    let mut out = Vec::with_capacity(plaintext.len() + 256 * recipients.len() + 256);
    let mut writer = encryptor
        .wrap_output(&mut out)
        .map_err(|e| Error::Encrypt(e.to_string()))?;
    std::io::Write::write_all(&mut writer, plaintext).map_err(|e| Error::Encrypt(e.to_string()))?;
    writer.finish().map_err(|e| Error::Encrypt(e.to_string()))?;
    Ok(out)
}

/// Encrypts a plaintext to the identity's recipient.
fn encrypt(plaintext: &[u8], unlocked: &Unlocked) -> Result<Vec<u8>> {
    let recipient = unlocked.recipient();
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .map_err(|e| Error::Encrypt(e.to_string()))?;
    let mut out = Vec::with_capacity(plaintext.len() + 512);
    let mut writer = encryptor
        .wrap_output(&mut out)
        .map_err(|e| Error::Encrypt(e.to_string()))?;
    std::io::Write::write_all(&mut writer, plaintext).map_err(|e| Error::Encrypt(e.to_string()))?;
    writer.finish().map_err(|e| Error::Encrypt(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A vault-sized age file of `len` plaintext bytes, and the identity that opens it.
    fn large_file(len: usize) -> (tempfile::TempDir, PathBuf, Unlocked, Vec<u8>) {
        let unlocked = Unlocked {
            identity: age::x25519::Identity::generate(),
            source: crate::unlock::IdentitySource::IdentityTxt,
        };
        let plaintext: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.age");
        std::fs::write(&path, encrypt(&plaintext, &unlocked).unwrap()).unwrap();
        (dir, path, unlocked, plaintext)
    }

    fn halves(path: &Path, unlocked: &Unlocked) -> Result<Option<Plaintext>> {
        let file = std::fs::File::open(path).unwrap();
        let size = file.metadata().unwrap().len() as usize;
        decrypt_halves(&file, size, path, unlocked)
    }

    #[test]
    fn indexed_names_are_found_in_the_head_index_only() {
        let head = b"{\n  \"byok_vault\": 2,\n  \"index\": {\n    \"keychain\": {\n      \"kc\": {\n        \"label\": \"x\"\n      }\n    }\n  },\n  \"secrets\": {\n    \"a\"";
        assert!(indexed(head, "kc"));
        assert!(!indexed(head, "a"));
        assert!(!indexed(head, "keychain"));
        assert!(!indexed(b"{\n  \"byok_vault\": 2,\n  \"secrets\": {", "kc"));
    }

    #[test]
    fn two_halves_decrypt_to_the_whole_plaintext() {
        // Chunk-aligned and not, around the threshold and well past it.
        for len in [
            HALVES_FROM,
            HALVES_FROM + 1,
            3 * HALVES_FROM + 12_345,
            64 * 1024 * 40,
        ] {
            let (_dir, path, unlocked, plaintext) = large_file(len);
            let got = halves(&path, &unlocked)
                .unwrap()
                .expect("large enough for halves");
            assert!(got.bytes() == plaintext.as_slice(), "{len}");
        }
    }

    #[test]
    fn a_changed_or_cut_second_half_is_an_error_not_a_shorter_vault() {
        let (_dir, path, unlocked, _) = large_file(3 * HALVES_FROM);
        let whole = std::fs::read(&path).unwrap();
        // A flipped byte late in the file, in the second thread's half.
        let mut changed = whole.clone();
        let at = changed.len() - 100;
        changed[at] ^= 1;
        std::fs::write(&path, &changed).unwrap();
        assert!(matches!(
            halves(&path, &unlocked),
            Err(Error::Corrupt { .. })
        ));
        // The last chunk cut off at a chunk boundary: the one before it is not marked last.
        let encrypted_chunk = CHUNK + 16;
        let cut = whole.len() - (whole.len() - 200) % encrypted_chunk;
        std::fs::write(&path, &whole[..cut]).unwrap();
        assert!(matches!(
            halves(&path, &unlocked),
            Err(Error::Corrupt { .. })
        ));
        // A flipped byte in the first half.
        let mut changed = whole.clone();
        changed[1000] ^= 1;
        std::fs::write(&path, &changed).unwrap();
        assert!(matches!(
            halves(&path, &unlocked),
            Err(Error::Corrupt { .. })
        ));
    }

    #[test]
    fn another_identity_is_told_apart_from_a_broken_file() {
        let (_dir, path, _, _) = large_file(HALVES_FROM);
        let other = Unlocked {
            identity: age::x25519::Identity::generate(),
            source: crate::unlock::IdentitySource::IdentityTxt,
        };
        assert!(matches!(
            halves(&path, &other),
            Err(Error::WrongIdentity { .. })
        ));
    }

    #[test]
    fn wipe_clears_every_byte_whatever_the_alignment() {
        for len in [0, 1, 7, 8, 9, 63, 64, 65, 1000] {
            for offset in 0..8 {
                let mut bytes = vec![0xa5u8; len + 16];
                wipe(&mut bytes[offset..offset + len]);
                assert!(
                    bytes[offset..offset + len].iter().all(|b| *b == 0),
                    "{len} {offset}"
                );
                // Nothing outside the slice is touched.
                assert!(bytes[..offset].iter().all(|b| *b == 0xa5));
                assert!(bytes[offset + len..].iter().all(|b| *b == 0xa5));
            }
        }
    }

    #[test]
    fn a_plaintext_is_its_first_len_bytes() {
        let mut buffer = Zeroizing::new(Vec::with_capacity(32));
        buffer.extend_from_slice(b"{\"byok_vault\": 2}\0\0\0");
        let plaintext = Plaintext::new(buffer, 17);
        assert_eq!(plaintext.bytes(), b"{\"byok_vault\": 2}");
    }

    /// A reader that hands out its bytes a few at a time, interrupted now and then.
    struct Dribble<'a> {
        data: &'a [u8],
        calls: usize,
    }

    impl Read for Dribble<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.calls += 1;
            if self.calls.is_multiple_of(3) {
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            let n = buf.len().min(self.data.len()).min(7);
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    #[test]
    fn reads_the_whole_plaintext_whatever_the_size_hint() {
        let data: Vec<u8> = (0..1000u32).map(|i| i as u8).collect();
        for size in [0, 1, 999, 1000, 1001, 4096] {
            let mut reader = Dribble {
                data: &data,
                calls: 0,
            };
            let plaintext = read_plaintext(&mut reader, size).unwrap();
            assert_eq!(plaintext.bytes(), &data[..], "size hint {size}");
        }
    }

    #[test]
    fn a_read_error_is_returned() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("bad tag"))
            }
        }
        assert!(read_plaintext(&mut Failing, 10).is_err());
    }
}
