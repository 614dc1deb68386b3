//! What trusting a project covers beyond `.byok.toml`: the project store beside it.
//!
//! A project store arrives with `git pull` like the project file, and age does not say who
//! encrypted a file: anyone who can commit can replace `.byok/team.age` with a file sealed
//! to the committed recipients. So `byok trust` records the store's *shape* with the
//! project file's digest ([`StoreManifest`]): the refs it holds, the digest of its
//! recipients file, and the digest of every value that decides where a key is sent (a
//! `*_BASE_URL`/`*_ENDPOINT` variable's value, a `base_url`-like field). Before the store is
//! used, [`GuardedProjectStore`] compares it with that record: a ref added or removed, a
//! re-pointed URL, or another recipients file (unless this member accepted it with
//! `byok recipients accept`) is exit 8 with the list of changes, until `byok trust` again.
//! A changed key value is not a change of shape: teammates rotate keys without anyone
//! re-trusting.
//!
//! The user's own writes through byok (`secret add --store project`, `rm`, `rename`,
//! `rollback`) pass the same check first and then record the new shape: only changes made
//! behind byok's back need a review.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::paths::Paths;
use crate::scope::project::ProjectDoc;
use crate::scope::trust;
use crate::secret::SecretValue;
use crate::store::age_file::AgeFile;
use crate::store::{Advisory, BoxStore, Health, Meta, Put, Store, Version, transfer::Fault};

/// The most refs a manifest records (a bound on hostile input; far above any real store).
pub const MAX_REFS: usize = 4096;

/// A project store's shape when its project was trusted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreManifest {
    /// Lower-case hex SHA-256 of `FILE.recipients`; `None` when there was none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipients_sha256: Option<String>,
    /// `false` when the store could not be opened at trust time (this member was not a
    /// recipient yet): its contents were never reviewed.
    pub reviewed: bool,
    /// Every ref with its routing fields' value digests.
    #[serde(default)]
    pub refs: BTreeMap<String, RefShape>,
}

/// One ref of a project store, as trust records it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefShape {
    /// Field name → SHA-256 of its value, for the fields that decide where a key is sent.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub routing: BTreeMap<String, String>,
}

impl StoreManifest {
    /// Whether every digest is a digest and the size is bounded (the record is home input).
    pub fn is_well_formed(&self) -> bool {
        self.refs.len() <= MAX_REFS
            && self
                .recipients_sha256
                .as_deref()
                .is_none_or(trust::is_digest)
            && self.refs.iter().all(|(name, shape)| {
                crate::names::is_valid_ref(name)
                    && shape.routing.len() <= 64
                    && shape.routing.values().all(|d| trust::is_digest(d))
            })
    }
}

/// One difference between the trusted shape and the store now (names only, never values).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Added(String),
    Removed(String),
    /// A routing field's value changed, appeared or went away.
    Repointed {
        reference: String,
        field: String,
    },
    Recipients,
    NotReviewed,
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Added(name) => write!(f, "+ {name} (added)"),
            Change::Removed(name) => write!(f, "- {name} (removed)"),
            Change::Repointed { reference, field } => {
                write!(
                    f,
                    "~ {reference}/{field} (re-pointed: decides where a key is sent)"
                )
            }
            Change::Recipients => write!(f, "~ the recipients file (not the one you accepted)"),
            Change::NotReviewed => write!(
                f,
                "? its contents (never reviewed: unreadable or not recorded when you trusted the project)"
            ),
        }
    }
}

/// The changes from `trusted` to `now`. `recipients_accepted`: this member accepted the
/// recipients file as it is now (`byok recipients accept`), which is a review of its own.
pub fn changes(
    trusted: &StoreManifest,
    now: &StoreManifest,
    recipients_accepted: bool,
) -> Vec<Change> {
    let mut out = Vec::new();
    if !trusted.reviewed {
        out.push(Change::NotReviewed);
    }
    if trusted.recipients_sha256 != now.recipients_sha256 && !recipients_accepted {
        out.push(Change::Recipients);
    }
    if !trusted.reviewed {
        return out;
    }
    for (name, shape) in &now.refs {
        match trusted.refs.get(name) {
            None => out.push(Change::Added(name.clone())),
            Some(old) => {
                let fields: BTreeSet<&String> =
                    old.routing.keys().chain(shape.routing.keys()).collect();
                for field in fields {
                    if old.routing.get(field) != shape.routing.get(field) {
                        out.push(Change::Repointed {
                            reference: name.clone(),
                            field: field.clone(),
                        });
                    }
                }
            }
        }
    }
    for name in trusted.refs.keys() {
        if !now.refs.contains_key(name) {
            out.push(Change::Removed(name.clone()));
        }
    }
    out
}

/// Which values of a project store decide where a key is sent.
#[derive(Clone, Debug, Default)]
pub struct Routing {
    /// Refs a `*_BASE_URL`-like variable of `.byok.toml` points at, with the field (`None`:
    /// the ref's default field).
    vars: BTreeSet<(String, Option<String>)>,
}

/// Variable names whose value is where requests go.
fn is_routing_var(var: &str) -> bool {
    const ENDS: [&str; 6] = [
        "_BASE_URL",
        "_URL",
        "_ENDPOINT",
        "_HOST",
        "_API_BASE",
        "_BASE",
    ];
    let var = var.to_ascii_uppercase();
    ENDS.iter().any(|end| var.ends_with(end))
}

/// Field names whose value is where requests go (a connector's `base_url` and its kin).
fn is_routing_field(field: &str) -> bool {
    let field = field.to_ascii_lowercase();
    matches!(
        field.as_str(),
        "base_url" | "url" | "endpoint" | "api_base" | "host"
    ) || field.ends_with("_url")
        || field.ends_with("_endpoint")
}

impl Routing {
    pub fn of(doc: &ProjectDoc) -> Self {
        let mut vars = BTreeSet::new();
        let all = doc
            .vars
            .iter()
            .chain(doc.envs.values().flat_map(|e| e.vars.iter()));
        for (var, reference) in all {
            if is_routing_var(var) {
                vars.insert((reference.name.clone(), reference.field.clone()));
            }
        }
        Routing { vars }
    }

    fn is_routing(&self, reference: &str, field: &str) -> bool {
        is_routing_field(field)
            || self
                .vars
                .contains(&(reference.to_owned(), Some(field.to_owned())))
            || (field == crate::names::DEFAULT_FIELD
                && self.vars.contains(&(reference.to_owned(), None)))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The shape of the store as it is now (decrypts it; may prompt to unlock).
pub fn current(store: &dyn Store, age_file: &AgeFile, routing: &Routing) -> Result<StoreManifest> {
    let recipients_sha256 = match std::fs::read(age_file.keys_path()) {
        Ok(bytes) => Some(hex(&Sha256::digest(&bytes))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io("read", age_file.keys_path())(e)),
    };
    let mut refs = BTreeMap::new();
    for meta in store.list()?.into_iter().take(MAX_REFS + 1) {
        let fields: Vec<&str> = meta
            .fields
            .iter()
            .map(String::as_str)
            .filter(|f| routing.is_routing(&meta.reference, f))
            .collect();
        let values = if fields.is_empty() {
            Vec::new()
        } else {
            store.get_many(&meta.reference, &fields)?
        };
        let routing = fields
            .iter()
            .zip(values)
            .map(|(field, value)| {
                let digest = match value {
                    Some(value) => hex(&Sha256::digest(value.expose().as_bytes())),
                    None => hex(&Sha256::digest(b"")),
                };
                ((*field).to_owned(), digest)
            })
            .collect();
        refs.insert(meta.reference, RefShape { routing });
    }
    Ok(StoreManifest {
        recipients_sha256,
        reviewed: true,
        refs,
    })
}

/// The shape to record when the store cannot be read now (not a recipient yet).
pub fn unreviewed(age_file: &AgeFile) -> StoreManifest {
    StoreManifest {
        recipients_sha256: std::fs::read(age_file.keys_path())
            .ok()
            .map(|b| hex(&Sha256::digest(&b))),
        reviewed: false,
        refs: BTreeMap::new(),
    }
}

/// Where the trust of the project stands, for the guard.
pub struct TrustedProject {
    pub paths: Paths,
    /// The project file's canonical path and the digest it was trusted with.
    pub file: PathBuf,
    pub sha256: String,
    /// `None`: trusted before byok recorded project stores.
    pub manifest: Option<StoreManifest>,
    pub routing: Routing,
}

/// The project store, checked against its trusted shape before every use.
pub struct GuardedProjectStore {
    inner: BoxStore,
    age_file: Arc<AgeFile>,
    trusted: Mutex<TrustedProject>,
    /// Set once the store matched (this process then keeps using what it checked).
    checked: std::sync::OnceLock<()>,
}

impl GuardedProjectStore {
    pub fn new(inner: BoxStore, age_file: Arc<AgeFile>, trusted: TrustedProject) -> Self {
        GuardedProjectStore {
            inner,
            age_file,
            trusted: Mutex::new(trusted),
            checked: std::sync::OnceLock::new(),
        }
    }

    fn check(&self) -> Result<()> {
        if self.checked.get().is_some() {
            return Ok(());
        }
        let trusted = self.trusted.lock().unwrap_or_else(|e| e.into_inner());
        let changes = match &trusted.manifest {
            None => vec![Change::NotReviewed],
            Some(manifest) => {
                let now = current(self.inner.as_ref(), &self.age_file, &trusted.routing)?;
                let accepted = self.age_file.pending().is_ok_and(|p| p.accepted);
                changes(manifest, &now, accepted)
            }
        };
        if !changes.is_empty() {
            return Err(Error::ProjectStoreChanged {
                path: trusted.file.clone(),
                changes: changes.iter().map(ToString::to_string).collect(),
            });
        }
        let _ = self.checked.set(());
        Ok(())
    }

    /// After the user's own write: the new shape is the trusted one.
    fn record(&self) -> Result<()> {
        let mut trusted = self.trusted.lock().unwrap_or_else(|e| e.into_inner());
        self.inner.refresh();
        let now = current(self.inner.as_ref(), &self.age_file, &trusted.routing)?;
        trust::set_store(&trusted.paths, &trusted.file, &trusted.sha256, &now)?;
        trusted.manifest = Some(now);
        Ok(())
    }

    fn write<T>(&self, action: impl FnOnce() -> Result<T>) -> Result<T> {
        self.check()?;
        let out = action()?;
        self.record()?;
        Ok(out)
    }
}

impl Store for GuardedProjectStore {
    fn name(&self) -> &str {
        self.inner.name()
    }
    fn describe(&self) -> String {
        self.inner.describe()
    }
    fn list(&self) -> Result<Vec<Meta>> {
        self.check()?;
        self.inner.list()
    }
    fn find(&self, reference: &str) -> Result<Option<Meta>> {
        self.check()?;
        self.inner.find(reference)
    }
    fn get_many(&self, reference: &str, fields: &[&str]) -> Result<Vec<Option<SecretValue>>> {
        self.check()?;
        self.inner.get_many(reference, fields)
    }
    fn get_previous(&self, reference: &str, fields: &[&str]) -> Result<Vec<Option<SecretValue>>> {
        self.check()?;
        self.inner.get_previous(reference, fields)
    }
    fn put(&self, puts: Vec<Put>) -> Result<Vec<bool>> {
        self.write(|| self.inner.put(puts))
    }
    fn delete(&self, reference: &str) -> Result<bool> {
        self.write(|| self.inner.delete(reference))
    }
    fn rollback(
        &self,
        reference: &str,
        fields: &[String],
        version: Option<u64>,
        now: &str,
    ) -> Result<Vec<String>> {
        self.write(|| self.inner.rollback(reference, fields, version, now))
    }
    fn health(&self) -> Health {
        self.inner.health()
    }
    fn rename(&self, old: &str, new: &str, now: &str, fault: Option<Fault>) -> Result<()> {
        self.write(|| self.inner.rename(old, new, now, fault))
    }
    fn refresh(&self) {
        self.inner.refresh()
    }
    fn agent_proof_safe(&self) -> std::result::Result<(), String> {
        self.inner.agent_proof_safe()
    }
    fn destroy(&self, reference: &str) -> Result<bool> {
        self.write(|| self.inner.destroy(reference))
    }
    fn versions(&self, reference: &str) -> Result<Vec<Version>> {
        self.check()?;
        self.inner.versions(reference)
    }
    fn advisories(&self, secrets: &[Meta]) -> Vec<Advisory> {
        self.inner.advisories(secrets)
    }
    fn not_here(&self, reference: &str, field: &str) -> Error {
        self.inner.not_here(reference, field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(routing: &[(&str, &str)]) -> RefShape {
        RefShape {
            routing: routing
                .iter()
                .map(|(f, d)| ((*f).to_owned(), (*d).to_owned()))
                .collect(),
        }
    }

    fn manifest(refs: &[(&str, RefShape)], recipients: Option<&str>) -> StoreManifest {
        StoreManifest {
            recipients_sha256: recipients.map(str::to_owned),
            reviewed: true,
            refs: refs
                .iter()
                .map(|(n, s)| ((*n).to_owned(), s.clone()))
                .collect(),
        }
    }

    #[test]
    fn added_removed_and_repointed_refs_are_changes_and_a_new_key_value_is_not() {
        let before = manifest(
            &[
                ("proj_key", shape(&[])),
                ("proj_url", shape(&[("api_key", "aa")])),
            ],
            Some("r1"),
        );
        // A rotated key does not show in the shape at all.
        assert!(changes(&before, &before.clone(), false).is_empty());
        let after = manifest(
            &[
                ("proj_url", shape(&[("api_key", "bb")])),
                ("my_openai", shape(&[])),
            ],
            Some("r1"),
        );
        assert_eq!(
            changes(&before, &after, false),
            [
                Change::Added("my_openai".into()),
                Change::Repointed {
                    reference: "proj_url".into(),
                    field: "api_key".into()
                },
                Change::Removed("proj_key".into()),
            ]
        );
        // Another recipients file: a change unless this member accepted it.
        let moved = manifest(
            &[
                ("proj_key", shape(&[])),
                ("proj_url", shape(&[("api_key", "aa")])),
            ],
            Some("r2"),
        );
        assert_eq!(changes(&before, &moved, false), [Change::Recipients]);
        assert!(changes(&before, &moved, true).is_empty());
        // Never reviewed: always a change.
        let unread = StoreManifest::default();
        assert_eq!(changes(&unread, &unread, true), [Change::NotReviewed]);
    }

    #[test]
    fn routing_values_are_known_by_variable_and_by_field_name() {
        let doc = ProjectDoc::parse(
            std::path::Path::new("/p/.byok.toml"),
            "[vars]\nOPENAI_API_KEY = \"byok://proj_key\"\nOPENAI_BASE_URL = \"byok://proj_url\"\nAZURE_ENDPOINT = \"byok://azure/endpoint_value\"\n",
        )
        .unwrap();
        let routing = Routing::of(&doc);
        assert!(routing.is_routing("proj_url", "api_key"));
        assert!(!routing.is_routing("proj_key", "api_key"));
        assert!(routing.is_routing("azure", "endpoint_value"));
        assert!(routing.is_routing("anything", "base_url"));
        assert!(routing.is_routing("anything", "gateway_url"));
        assert!(!routing.is_routing("anything", "org_id"));
    }
}
