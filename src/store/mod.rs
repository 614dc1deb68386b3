//! Where secrets live: every backend behind one object-safe [`Store`] trait.
//!
//! A store keeps named secrets (ref name → label, provider, timestamps, fields and their
//! values) and answers for them itself: `list`, `find` and `get` are the store's own
//! business, whatever index it keeps (the keychain keeps its index in the home vault).
//! Commands only ever see `dyn Store` through the [`registry::Registry`], which also owns the
//! one rule deciding which store a ref name resolves to; moves, renames and removals across
//! stores go through [`transfer`].

pub mod age_file;
pub mod aws;
pub mod keychain;
pub mod openbao;
pub mod record;
pub mod registry;
pub mod transfer;
pub mod vault;

use crate::error::Result;
use crate::secret::SecretValue;

pub use registry::Registry;

pub use crate::names::DEFAULT_FIELD;

/// What a store knows about one secret, values excluded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    pub reference: String,
    pub label: String,
    pub provider: Option<String>,
    pub kind: Option<String>,
    /// Field names, sorted.
    pub fields: Vec<String>,
    /// RFC 3339 timestamps, `None` where the store does not know.
    pub created: Option<String>,
    pub updated: Option<String>,
    pub rotated: Option<String>,
    pub expires: Option<String>,
    pub reveal: Option<String>,
    pub tags: Vec<String>,
    /// Fields that have a previous value to roll back to.
    pub previous: Vec<String>,
}

/// The `kind` of a secret holding an admin key (recorded by `byok admin add`).
pub const KIND_ADMIN: &str = "admin";

/// Whether a [`Put`] may create the secret, update it, or both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PutMode {
    /// Fails with "exists" when the store holds the ref already.
    Create,
    /// Fails with "not found" when it does not.
    Update,
    Upsert,
}

/// One write: metadata changes plus field values.
///
/// For a field that exists already the old value becomes its previous value (for
/// `secret rollback`) and the secret counts as rotated — unless `exact` is given, which
/// copies a secret as it is (a move or rename): timestamps and previous values included.
#[derive(Debug)]
pub struct Put {
    pub reference: String,
    pub mode: PutMode,
    /// Without it, setting a field that has a value fails with "field exists".
    pub replace: bool,
    pub label: Option<String>,
    pub provider: Option<String>,
    pub values: Vec<(String, SecretValue)>,
    pub exact: Option<Exact>,
    /// RFC 3339 time of the write.
    pub now: String,
    /// A new expiry: `Some(None)` clears it.
    pub expires: Option<Option<String>>,
    /// A new reveal policy for the secret (`never`, `prompt`, `pipe`).
    pub reveal: Option<String>,
    /// A new key kind (`admin`).
    pub kind: Option<String>,
}

impl Put {
    /// A write of `values` with no metadata change.
    pub fn new(reference: &str, mode: PutMode, now: &str) -> Self {
        Put {
            reference: reference.to_owned(),
            mode,
            replace: false,
            label: None,
            provider: None,
            values: Vec::new(),
            exact: None,
            now: now.to_owned(),
            expires: None,
            reveal: None,
            kind: None,
        }
    }
}

/// A secret copied as it is, for [`transfer`].
#[derive(Debug)]
pub struct Exact {
    pub meta: Meta,
    pub previous: Vec<(String, SecretValue)>,
}

/// One numbered version of a secret, for stores that keep versions (`secret show`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub number: u64,
    /// RFC 3339.
    pub created: String,
    /// When it was soft-deleted, if it was.
    pub deleted: Option<String>,
    pub destroyed: bool,
    pub current: bool,
}

/// The answer of [`Store::health`].
#[derive(Debug)]
pub struct Health {
    pub ok: bool,
    pub detail: String,
}

/// A place that keeps secrets. Object safe: the registry holds `Box<dyn Store>`.
pub trait Store: Send + Sync {
    /// The name `--store` takes (`vault`, `keychain`, or a `[[store]]` name).
    fn name(&self) -> &str;
    /// What it is, for listings and `doctor` (e.g. "age vault", "OS keychain").
    fn describe(&self) -> String;
    /// Every secret this store holds, sorted by ref name.
    fn list(&self) -> Result<Vec<Meta>>;
    /// One secret's metadata, `None` when the store does not hold it.
    fn find(&self, reference: &str) -> Result<Option<Meta>>;
    /// Values of `fields` (`None` for a field without a value here), in the same order.
    fn get_many(&self, reference: &str, fields: &[&str]) -> Result<Vec<Option<SecretValue>>>;
    /// The previous values of `fields` (what `rollback` restores).
    fn get_previous(&self, reference: &str, fields: &[&str]) -> Result<Vec<Option<SecretValue>>>;
    /// Applies writes in order, atomically where the backend can; returns for each whether
    /// it created the secret.
    fn put(&self, puts: Vec<Put>) -> Result<Vec<bool>>;
    /// Removes a secret with all its values (previous ones included); `false` when absent.
    fn delete(&self, reference: &str) -> Result<bool>;
    /// Swaps the current and previous value of `fields` (all fields with a previous value
    /// when empty); returns the fields rolled back. `version` is for stores with versions.
    fn rollback(
        &self,
        reference: &str,
        fields: &[String],
        version: Option<u64>,
        now: &str,
    ) -> Result<Vec<String>>;
    /// Whether the store works right now, with a short explanation.
    fn health(&self) -> Health;

    /// Renames a secret within this store (`secret rename`), keeping it as it is: values,
    /// previous values, timestamps (a label that was only the old name follows the new one).
    /// Fails when `old` is absent or `new` exists.
    ///
    /// The default copies, verifies, then deletes ([`transfer::transfer`]): two writes, so a
    /// crash between them leaves both names (never neither). Stores that can do it in one
    /// atomic write override it (the age vaults: one document rewrite under the lock).
    fn rename(
        &self,
        old: &str,
        new: &str,
        now: &str,
        fault: Option<transfer::Fault>,
    ) -> Result<()> {
        transfer::transfer(self, self, old, new, now, fault)
    }

    /// Drops whatever the store cached in this process, so the next read asks the backend
    /// itself (a transfer reads its copy back this way).
    fn refresh(&self) {}

    /// Whether an agent-proof proxy may serve this store's keys: every way to read them
    /// must be closed to a process of the same user once the vault passphrase is typed at the
    /// proxy only. The allow-list: a store type is refused until it says otherwise here.
    /// `Err` says what stays open.
    fn agent_proof_safe(&self) -> std::result::Result<(), String> {
        Err("this kind of store is not known to be closed to a same-user agent".into())
    }

    /// Removes a secret for good, every version included (`secret rm --destroy`). For stores
    /// without versions this is [`Store::delete`], which already removes everything.
    fn destroy(&self, reference: &str) -> Result<bool> {
        self.delete(reference)
    }

    /// The numbered versions of a secret, oldest first (none for stores without versions).
    fn versions(&self, _reference: &str) -> Result<Vec<Version>> {
        Ok(Vec::new())
    }

    /// What `byok store login` asks for (e.g. "OpenBao token"); `None`: the store has no login.
    fn login_kind(&self) -> Option<&'static str> {
        None
    }

    /// Checks and keeps a credential for this store (`byok store login`); returns a
    /// description of what was kept.
    fn login(&self, _credential: SecretValue) -> Result<String> {
        Err(crate::error::Error::Usage(format!(
            "the {} store has no login",
            self.name()
        )))
    }

    /// Forgets the kept credential (`byok store rm`); `false` when there was none.
    fn logout(&self) -> Result<bool> {
        Ok(false)
    }

    /// Warnings for `doctor` about these secrets of the store (none by default).
    fn advisories(&self, _secrets: &[Meta]) -> Vec<Advisory> {
        Vec::new()
    }

    /// The error for "asked directly (`--store`), this store has nothing for that field";
    /// a store can word it in its own terms.
    fn not_here(&self, reference: &str, _field: &str) -> crate::error::Error {
        crate::error::Error::SecretNotFound {
            name: reference.to_owned(),
            suggestion: None,
        }
    }
}

/// Something `doctor` should tell about a store beyond its health.
#[derive(Debug)]
pub struct Advisory {
    pub check: String,
    pub detail: String,
    pub fix: String,
}

/// A store as the registry keeps it.
pub type BoxStore = Box<dyn Store>;
