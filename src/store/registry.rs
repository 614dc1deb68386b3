//! The stores of this home, by name, and the one rule that says which store a ref is in.
//!
//! Built once per command from settings and `config.toml`: the built-in `vault` (the home's
//! `vault.age`) and `keychain`, then each `[[store]]` in file order. Nothing is opened until
//! used: the vault is decrypted (and unlocked) on first access, the keychain is contacted
//! only for keychain secrets.
//!
//! **Resolution rule** (docs/secrets-and-stores.md, "Stores"): `--store NAME` wins; otherwise the
//! first store that holds the ref, in this order — a trusted project's `store`, the active
//! workspace's store (its own age file, a named `[[store]]` moved to this place, or that store's
//! backend under a prefix; with `fallback = false`, nothing after these two), the home's vault, the
//! keychain, then each `[[store]]` in config order. Later stores are not contacted.
//! [`Registry::scope_of`] tells which scope a store belongs to.

use std::path::PathBuf;
use std::sync::Arc;

use super::age_file::AgeFile;
use super::keychain::{HomeId, KeychainStore};
use super::vault::{VaultFile, VaultStore, WhenMissing};
use super::{BoxStore, Meta, Store};
use crate::config::Config;
use crate::error::{Error, Result, suggest};
use crate::paths::Paths;
use crate::secret::SecretValue;
use crate::unlock::Unlocker;

/// An `age-file` store: a byok vault document in its own age file and lock, encrypted to
/// the recipients in `FILE.recipients` (see [`super::age_file`]).
fn open_age_file(
    paths: &Paths,
    decl: &crate::config::StoreDecl,
    files: &mut Vec<PathBuf>,
    age_files: &mut Vec<Arc<AgeFile>>,
    unlocker: &Arc<Unlocker>,
) -> Result<BoxStore> {
    let path = PathBuf::from(&decl.settings["path"]);
    let path = if path.is_absolute() {
        path
    } else {
        paths.home.join(path)
    };
    // Two stores on one file would each take their own lock and lose each other's writes.
    let taken = std::iter::once(paths.vault()).chain(files.iter().cloned());
    if taken.into_iter().any(|p| same_file(&p, &path)) {
        return Err(Error::Config {
            path: paths.config(),
            message: format!(
                "store '{}': its path is the file of another store (or the home vault)",
                decl.name
            ),
        });
    }
    files.push(path.clone());
    let mut lock = path.clone().into_os_string();
    lock.push(".lock");
    let identity = decl.settings.get("identity").map(|p| {
        let p = PathBuf::from(p);
        if p.is_absolute() {
            p
        } else {
            paths.home.join(p)
        }
    });
    let (store, handle) = super::age_file::open(
        &decl.name,
        path,
        PathBuf::from(lock),
        identity,
        &paths.home,
        &paths.home.join("recipients"),
        unlocker,
    );
    age_files.push(handle);
    Ok(store)
}

/// A ref found in a store.
pub struct Located<'r> {
    pub store: &'r dyn Store,
    pub meta: Meta,
}

/// A secret as `list_all` gives it: its store, metadata, and whether an earlier store
/// shadows it.
pub type Listed<'r> = (&'r dyn Store, Meta, bool);

/// Every store of this home, in resolution order.
pub struct Registry {
    stores: Vec<BoxStore>,
    default_store: String,
    /// The `age-file` stores again, for `byok recipients` and `byok store diff`.
    age_files: Vec<Arc<AgeFile>>,
    home_vault: Arc<VaultFile>,
    /// The active workspace's name and the name of its store in this registry.
    workspace: Option<(String, String)>,
    /// With a project store: the ref names `.byok.toml` names, the only ones it may shadow.
    project_listed: Option<std::collections::BTreeSet<String>>,
}

impl Registry {
    /// The stores of this home as settings and `config.toml` declare them (opens nothing).
    pub fn new(paths: &Paths, config: &Config, unlocker: Arc<Unlocker>) -> Result<Self> {
        let home_vault = Arc::new(VaultFile::new(
            paths.vault(),
            paths.lock(),
            paths.home.clone(),
            WhenMissing::NotInitialised,
            Arc::clone(&unlocker),
        ));
        let home_id = Arc::new(HomeId::new(paths.home_id()));
        let mut stores: Vec<BoxStore> = vec![
            Box::new(VaultStore::new("vault", Arc::clone(&home_vault))),
            Box::new(KeychainStore::new(
                Arc::clone(&home_vault),
                Arc::clone(&home_id),
            )),
        ];
        let mut files: Vec<PathBuf> = Vec::new();
        let mut age_files = Vec::new();
        for decl in config.stores() {
            let store = match decl.kind.as_str() {
                "age-file" => open_age_file(paths, decl, &mut files, &mut age_files, &unlocker)?,
                "openbao" => Box::new(super::openbao::OpenBaoStore::new(
                    &decl.name,
                    decl.settings.clone(),
                    Arc::clone(unlocker.settings()),
                    Arc::clone(&home_id),
                )),
                "aws-secrets-manager" => Box::new(super::aws::AwsStore::new(
                    &decl.name,
                    decl.settings.clone(),
                    Arc::clone(unlocker.settings()),
                )),
                other => {
                    return Err(Error::Config {
                        path: paths.config(),
                        message: format!("store '{}': unknown type '{other}'", decl.name),
                    });
                }
            };
            stores.push(store);
        }
        let default_store = config.default_store().unwrap_or("vault").to_owned();
        let registry = Registry {
            stores,
            default_store,
            age_files,
            home_vault,
            workspace: None,
            project_listed: None,
        };
        registry
            .store(&registry.default_store)
            .map_err(|_| Error::Config {
                path: paths.config(),
                message: format!(
                    "`default_store = \"{}\"` names no store (known: {})",
                    registry.default_store,
                    registry.names().join(", ")
                ),
            })?;
        Ok(registry)
    }

    /// The home's own vault file (where the keychain's index and the audit head live).
    pub fn home_vault(&self) -> &Arc<VaultFile> {
        &self.home_vault
    }

    /// Puts a trusted project's age-file store, `project`, first in the resolution order.
    /// Its recipients are `FILE.recipients` beside it (committed with the project); it is
    /// decrypted with the home's identity.
    ///
    /// The store is checked against the shape it had when the project was trusted before
    /// each use ([`crate::scope::project_store`]), and it shadows only the names in
    /// `listed` (the refs `.byok.toml` names): any other name a later store holds is taken
    /// from that store.
    pub fn add_project_store(
        &mut self,
        paths: &Paths,
        path: PathBuf,
        unlocker: &Arc<Unlocker>,
        listed: std::collections::BTreeSet<String>,
        trusted: crate::scope::project_store::TrustedProject,
    ) -> Result<()> {
        if self.stores.iter().any(|s| s.name() == "project") {
            return Err(Error::Config {
                path: paths.config(),
                message: "a store is called 'project', the name of the project store".into(),
            });
        }
        let (store, handle) = Self::open_project_store(paths, path, unlocker);
        let store = crate::scope::project_store::GuardedProjectStore::new(
            store,
            Arc::clone(&handle),
            trusted,
        );
        self.stores.insert(0, Box::new(store));
        self.age_files.push(handle);
        self.project_listed = Some(listed);
        Ok(())
    }

    /// A project's age-file store, `project`, as it is (unchecked): for `byok trust` to
    /// record its shape, and for [`Registry::add_project_store`] to guard.
    pub fn open_project_store(
        paths: &Paths,
        path: PathBuf,
        unlocker: &Arc<Unlocker>,
    ) -> (BoxStore, Arc<AgeFile>) {
        let id = crate::scope::project::root_id(&path);
        let mut lock = path.clone().into_os_string();
        lock.push(".lock");
        super::age_file::open(
            "project",
            path,
            PathBuf::from(lock),
            None,
            &paths.home,
            &paths.home.join("recipients").join(format!("project-{id}")),
            unlocker,
        )
    }

    /// Puts the active workspace's store after the project store and before the global
    /// stores; it becomes where `secret add` puts new secrets. Without `fallback`, the
    /// global stores leave the order altogether.
    ///
    /// The store is the workspace's own age file (registered as `workspace`); or a named
    /// `[[store]]`, which moves to that place under its own name; or, with a prefix, that
    /// store's backend under the prefix (registered as `workspace`). `--store workspace`
    /// names it in every case.
    pub fn add_workspace(
        &mut self,
        paths: &Paths,
        workspace: &crate::scope::workspace::Workspace,
        config: &Config,
        unlocker: &Arc<Unlocker>,
    ) -> Result<()> {
        let bad = |message: String| Error::Config {
            path: paths.home().join(crate::scope::workspace::FILE),
            message,
        };
        let store_name = match (&workspace.store, &workspace.prefix) {
            (None, _) => {
                self.add_workspace_store(
                    paths,
                    &workspace.name,
                    workspace.file(paths.home()),
                    unlocker,
                )?;
                "workspace".to_owned()
            }
            (Some(name), None) => {
                let index = self
                    .stores
                    .iter()
                    .position(|s| s.name() == name)
                    .filter(|_| name != "vault" && name != "keychain")
                    .ok_or_else(|| {
                        bad(format!(
                            "workspace '{}': its store '{name}' is not a [[store]] of config.toml",
                            workspace.name
                        ))
                    })?;
                let store = self.stores.remove(index);
                let at = usize::from(self.stores.first().is_some_and(|s| s.name() == "project"));
                self.stores.insert(at, store);
                name.clone()
            }
            (Some(name), Some(prefix)) => {
                if self.stores.iter().any(|s| s.name() == "workspace") {
                    return Err(Error::Config {
                        path: paths.config(),
                        message: "a store is called 'workspace', the name of the workspace store"
                            .into(),
                    });
                }
                let decl = config
                    .stores()
                    .iter()
                    .find(|d| &d.name == name)
                    .ok_or_else(|| {
                        bad(format!(
                            "workspace '{}': its store '{name}' is not a [[store]] of config.toml",
                            workspace.name
                        ))
                    })?;
                let mut settings = decl.settings.clone();
                settings.insert(
                    "prefix".into(),
                    nested_prefix(&decl.kind, &settings, prefix)?,
                );
                let store = super::openbao::OpenBaoStore::new(
                    "workspace",
                    settings,
                    Arc::clone(unlocker.settings()),
                    Arc::new(HomeId::new(paths.home_id())),
                )
                .with_login_of(name);
                let at = usize::from(self.stores.first().is_some_and(|s| s.name() == "project"));
                self.stores.insert(at, Box::new(store));
                "workspace".to_owned()
            }
        };
        if !workspace.fallback {
            self.stores
                .retain(|s| s.name() == "project" || s.name() == store_name);
        }
        self.default_store = store_name.clone();
        self.workspace = Some((workspace.name.clone(), store_name));
        Ok(())
    }

    /// The workspace's own age-file store, registered as `workspace`.
    fn add_workspace_store(
        &mut self,
        paths: &Paths,
        workspace: &str,
        path: PathBuf,
        unlocker: &Arc<Unlocker>,
    ) -> Result<()> {
        if self.stores.iter().any(|s| s.name() == "workspace") {
            return Err(Error::Config {
                path: paths.config(),
                message: "a store is called 'workspace', the name of the workspace store".into(),
            });
        }
        let mut lock = path.clone().into_os_string();
        lock.push(".lock");
        let (store, handle) = super::age_file::open(
            "workspace",
            path,
            PathBuf::from(lock),
            None,
            &paths.home,
            &paths
                .home
                .join("recipients")
                .join(format!("workspace-{workspace}")),
            unlocker,
        );
        let at = usize::from(self.stores.first().is_some_and(|s| s.name() == "project"));
        self.stores.insert(at, store);
        self.age_files.push(handle);
        Ok(())
    }

    /// The scope of the store called `store`: the project's, the active workspace's, or
    /// global (the home's own stores).
    pub fn scope_of(&self, store: &str) -> crate::scope::Scope {
        use crate::scope::Scope;
        match &self.workspace {
            Some((name, ws_store)) if ws_store == store => Scope::Workspace(name.clone()),
            _ if store == "project"
                && self.stores.first().is_some_and(|s| s.name() == "project") =>
            {
                Scope::Project
            }
            _ => Scope::Global,
        }
    }

    /// Every store, in resolution order.
    pub fn all(&self) -> impl Iterator<Item = &dyn Store> {
        self.stores.iter().map(|s| s.as_ref())
    }

    pub fn names(&self) -> Vec<&str> {
        self.all().map(|s| s.name()).collect()
    }

    /// The store called `name`.
    pub fn store(&self, name: &str) -> Result<&dyn Store> {
        // `workspace` always names the active workspace's store, whatever its own name.
        let name = match &self.workspace {
            Some((_, store)) if name == "workspace" => store.as_str(),
            _ => name,
        };
        self.all()
            .find(|s| s.name() == name)
            .ok_or_else(|| Error::UnknownStore {
                name: name.to_owned(),
                known: self.names().join(", "),
            })
    }

    /// The `age-file` store called `name` (a usage error for any other store).
    pub fn age_file(&self, name: &str) -> Result<&AgeFile> {
        // `workspace` may stand for a named store (see `store`).
        let name = self.store(name)?.name();
        self.age_files
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.as_ref())
            .ok_or_else(|| {
                Error::Usage(format!(
                    "'{name}' is not an age-file store: only age-file stores have recipients and git history"
                ))
            })
    }

    /// Where `secret add` puts a new secret: `default_store`, else the vault.
    pub fn default_store(&self) -> &dyn Store {
        self.store(&self.default_store)
            .expect("checked when the registry was built")
    }

    /// The first store that holds `reference` (later stores are not contacted).
    ///
    /// The project store is the exception: for a name `.byok.toml` does not name, a later
    /// store that holds it wins, so a project store never shadows the user's own secrets.
    pub fn locate(&self, reference: &str) -> Result<Option<Located<'_>>> {
        let project_last = self
            .project_listed
            .as_ref()
            .is_some_and(|listed| !listed.contains(reference));
        let in_order = self
            .all()
            .filter(|s| !project_last || s.name() != "project");
        let project = self.all().filter(|s| project_last && s.name() == "project");
        for store in in_order.chain(project) {
            if let Some(meta) = store.find(reference)? {
                return Ok(Some(Located { store, meta }));
            }
        }
        Ok(None)
    }

    /// The store and metadata of `reference`: in `store` when given, else by the rule.
    pub fn resolve(&self, reference: &str, store: Option<&str>) -> Result<Located<'_>> {
        match store {
            Some(name) => {
                let store = self.store(name)?;
                match store.find(reference)? {
                    Some(meta) => Ok(Located { store, meta }),
                    None => match self.locate(reference)? {
                        Some(found) => Err(Error::WrongStore {
                            reference: reference.to_owned(),
                            actual: found.store.name().to_owned(),
                            requested: name.to_owned(),
                        }),
                        None => Err(self.not_found(reference)),
                    },
                }
            }
            None => self
                .locate(reference)?
                .ok_or_else(|| self.not_found(reference)),
        }
    }

    /// "Not found", with the closest name any store lists as a suggestion.
    pub fn not_found(&self, reference: &str) -> Error {
        let names: Vec<String> = self
            .all()
            .filter_map(|s| s.list().ok())
            .flatten()
            .map(|m| m.reference)
            .collect();
        Error::SecretNotFound {
            name: reference.to_owned(),
            suggestion: suggest(reference, names.iter().map(String::as_str)),
        }
    }

    /// Every secret of every store, in resolution order, with whether a store earlier in
    /// the order shadows it. A store that cannot be read is reported, not fatal.
    pub fn list_all(&self) -> (Vec<Listed<'_>>, Vec<(String, Error)>) {
        let mut out = Vec::new();
        let mut failed = Vec::new();
        for store in self.all() {
            match store.list() {
                Ok(metas) => out.extend(metas.into_iter().map(|meta| (store, meta, false))),
                Err(e) => failed.push((store.name().to_owned(), e)),
            }
        }
        // The entry `locate` would find wins; every other entry of its name is shadowed.
        let mut winner: std::collections::HashMap<String, (usize, bool)> = Default::default();
        for (index, (store, meta, _)) in out.iter().enumerate() {
            let yields = store.name() == "project"
                && self
                    .project_listed
                    .as_ref()
                    .is_some_and(|listed| !listed.contains(&meta.reference));
            match winner.get(&meta.reference) {
                Some((_, true)) if !yields => {
                    winner.insert(meta.reference.clone(), (index, false));
                }
                Some(_) => {}
                None => {
                    winner.insert(meta.reference.clone(), (index, yields));
                }
            }
        }
        for (index, (_, meta, shadowed)) in out.iter_mut().enumerate() {
            *shadowed = winner
                .get(&meta.reference)
                .is_some_and(|(w, _)| *w != index);
        }
        (out, failed)
    }
}

/// A workspace's prefix under a store's own: only stores with prefixes (openbao) have them.
pub fn nested_prefix(
    kind: &str,
    settings: &std::collections::BTreeMap<String, String>,
    prefix: &str,
) -> Result<String> {
    if kind != "openbao" {
        return Err(Error::Usage(format!(
            "--prefix is for stores with prefixes (openbao); a {kind} store has none: give the workspace a store of its own"
        )));
    }
    let base = settings.get("prefix").map_or("byok/", String::as_str);
    let mut base = base.to_owned();
    if !base.is_empty() && !base.ends_with('/') {
        base.push('/');
    }
    let mut sub = prefix.trim_matches('/').to_owned();
    sub.push('/');
    let joined = format!("{base}{sub}");
    let mut check = settings.clone();
    check.insert("prefix".into(), joined.clone());
    super::openbao::config::check(&check).map_err(|m| Error::Usage(format!("--prefix: {m}")))?;
    Ok(joined)
}

/// Whether two paths name one file (by their absolute, normalised form when they exist).
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    let norm = |p: &std::path::Path| {
        p.canonicalize()
            .or_else(|_| std::path::absolute(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    norm(a) == norm(b)
}

/// One field of a located secret: "field not found" when the secret has no such field,
/// "missing" when it lists the field but its store lost the value.
pub fn value_of(found: &Located<'_>, field: &str) -> Result<SecretValue> {
    if !found.meta.fields.iter().any(|f| f == field) {
        return Err(Error::FieldNotFound {
            reference: found.meta.reference.clone(),
            field: field.to_owned(),
            fields: found.meta.fields.clone(),
        });
    }
    let admin = found.meta.kind.as_deref() == Some(crate::store::KIND_ADMIN);
    found
        .store
        .get_many(&found.meta.reference, &[field])?
        .pop()
        .flatten()
        .map(|v| if admin { v.recorded_admin() } else { v })
        .ok_or_else(|| Error::MissingInStore {
            reference: found.meta.reference.clone(),
            field: field.to_owned(),
            store: found.store.name().to_owned(),
        })
}
