//! `config.toml`: the connectors, in priority order, as an array of `[[connector]]` tables.
//!
//! ```toml
//! # my connectors; comments survive byok's edits
//! [[connector]]
//! name = "work"
//! type = "openai"
//! secret = "my_openai_key"
//! model = "gpt-4.1-nano"
//!
//! [[connector]]
//! name = "azure-eu"
//! type = "azure-openai"
//! secret = "azure_key"
//! base_url = "https://my-res.openai.azure.com"
//! options = { deployment = "gpt-4o-mini", "api-version" = "2024-10-21" }
//! archived = true
//! ```
//!
//! Besides connectors it holds `default_store = "NAME"` (where `secret add` puts a new secret)
//! and named stores as `[[store]]` tables (`name`, `type`, and the type's settings):
//!
//! ```toml
//! default_store = "vault"
//!
//! [[store]]
//! name = "team"
//! type = "age-file"          # an age vault file encrypted to this home's identity
//! path = "team.age"          # relative to BYOK_HOME, or absolute
//! ```
//!
//! This module is the only reader and writer of `config.toml`: the file is parsed once per
//! command (strictly: a wrong type anywhere is an error naming the line, never ignored).
//! No secret value is ever stored here, only the vault ref name. The file is edited through
//! `toml_edit`, so the user's comments and layout survive; a file that does not parse is
//! reported with its line and column and never overwritten. A key byok does not know is an
//! error naming it, its line and its table (the known keys are declared in `config/keys.rs`);
//! the settings tables (`[proxy]`, `[usage]`, `[prices]`, the hygiene keys) are typed at load
//! in `config/sections.rs`. Writes hold the home directory's lock and replace the file
//! atomically.

mod apis;
mod keys;
mod sections;

pub use apis::ApiDecl;
pub use sections::{AlertsSection, Hygiene, PriceOverride, ProxySection, Sections, UsageSection};

use std::collections::BTreeMap;
use std::path::Path;

use toml_edit::{ArrayOfTables, DocumentMut, InlineTable, Item, Table, value};

use crate::error::{Error, Result};
use crate::fsutil::{self, WriteLock};
use crate::settings::Settings;

pub use crate::connector::Connector;

/// The store types a `[[store]]` table may name.
pub const STORE_TYPES: &[&str] = &["age-file", "openbao", "aws-secrets-manager"];

/// A named store declared in `config.toml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreDecl {
    pub name: String,
    /// One of [`STORE_TYPES`].
    pub kind: String,
    /// The type's settings (`path`, …), all strings.
    pub settings: BTreeMap<String, String>,
}

/// The provider types an `[[admin]]` table may name (the providers with a key-management
/// API byok drives).
pub const ADMIN_PROVIDERS: &[&str] = &["openai", "openrouter", "anthropic"];

/// An admin connection declared in `config.toml` (`[[admin]]`): a provider's admin key, the
/// organisation part it manages, and how byok mints keys with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AdminDecl {
    pub name: String,
    /// One of [`ADMIN_PROVIDERS`].
    pub provider: String,
    /// The ref of the secret (kind `admin`) holding the admin key.
    pub secret: String,
    /// OpenAI: the project (`proj_…`) minted keys belong to.
    pub project: Option<String>,
    /// OpenRouter: the workspace (uuid) keys are listed and made in.
    pub workspace: Option<String>,
    /// The admin API's base URL; `None`: the provider's.
    pub base_url: Option<String>,
    /// Secrets (refs) whose keys are used only through byok: `usage reconcile` exits 9 on
    /// spend the provider saw on them and the ledger did not.
    pub exclusive: Vec<String>,
}

/// The parsed `config.toml`, keeping its formatting for writing back.
#[derive(Clone, Debug)]
pub struct Config {
    doc: DocumentMut,
    connectors: Vec<Connector>,
    stores: Vec<StoreDecl>,
    admins: Vec<AdminDecl>,
    default_store: Option<String>,
    /// Per connector name, its `models = ["glob", …]` list (for `byok proxy` routing).
    connector_models: BTreeMap<String, Vec<String>>,
    /// `[aliases]`: a model name clients may ask for → the model it stands for.
    aliases: BTreeMap<String, String>,
    /// `[proxy]`, `[usage]`, `[prices]` and the hygiene keys, typed.
    sections: Sections,
    /// `[[api]]`: tool APIs the proxy serves at `/api/NAME/…`, merged with their recipes.
    apis: Vec<ApiDecl>,
}

impl Config {
    /// Reads `config.toml`; a missing file is an empty config.
    pub fn load(settings: &Settings) -> Result<Self> {
        let path = settings.paths.config();
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(Error::io("read", &path)(e)),
        };
        Self::parse(&path, &text)
    }

    /// Parses the text of `config.toml` (named `path` in errors).
    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        let doc = toml_edit::ImDocument::parse(text).map_err(|e: toml_edit::TomlError| {
            let (line, column) = e
                .span()
                .map(|span| line_column(text, span.start))
                .unwrap_or((1, 1));
            Error::Config {
                path: path.to_path_buf(),
                message: format!("line {line}, column {column}: {}", e.message().trim_end()),
            }
        })?;
        keys::check(path, text, doc.as_table())?;
        let doc: DocumentMut = doc.into_mut();
        let connectors = read_connectors(path, &doc)?;
        let stores = read_stores(path, &doc)?;
        let admins = read_admins(path, &doc)?;
        let default_store = match doc.get("default_store") {
            None => None,
            Some(item) => Some(
                item.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| Error::Config {
                        path: path.to_path_buf(),
                        message: "`default_store` must be a string (a store name)".into(),
                    })?,
            ),
        };
        let connector_models = read_connector_models(path, &doc)?;
        let aliases = read_aliases(path, &doc)?;
        let sections = sections::read(path, &doc)?;
        let apis = apis::read(path, &doc)?;
        Ok(Self {
            doc,
            connectors,
            stores,
            admins,
            default_store,
            connector_models,
            aliases,
            sections,
            apis,
        })
    }

    /// The `[[api]]` tables, in file order.
    pub fn apis(&self) -> &[ApiDecl] {
        &self.apis
    }

    /// The `[[api]]` named `name`, or a not-found error naming the known ones.
    pub fn api(&self, name: &str) -> Result<&ApiDecl> {
        self.apis.iter().find(|a| a.name == name).ok_or_else(|| {
            let known: Vec<&str> = self.apis.iter().map(|a| a.name.as_str()).collect();
            Error::Usage(format!(
                "no [[api]] in config.toml is named '{}' (known: {})",
                crate::term::sanitize::line(name),
                if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                }
            ))
        })
    }

    /// A connector's `models = ["glob", …]` list (empty when it has none).
    pub fn connector_models(&self, name: &str) -> &[String] {
        self.connector_models
            .get(name)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Sets (empty: removes) the `models = ["glob", …]` list of the connector `name`;
    /// callers check it with [`model_globs_problem`] and hold the lock.
    pub fn set_connector_models(&mut self, name: &str, globs: &[String]) -> Result<()> {
        let index = self.position(name)?;
        let table = self
            .tables_mut()
            .get_mut(index)
            .expect("tables and connectors stay in step");
        if globs.is_empty() {
            table.remove("models");
            self.connector_models.remove(name);
        } else {
            let array: toml_edit::Array = globs.iter().map(String::as_str).collect();
            table.insert("models", value(array));
            self.connector_models
                .insert(name.to_owned(), globs.to_vec());
        }
        Ok(())
    }

    /// The `[aliases]` table: model name → the model it stands for.
    pub fn aliases(&self) -> &BTreeMap<String, String> {
        &self.aliases
    }

    /// `[proxy]`: `agent_proof` and `listen`.
    pub fn proxy(&self) -> &ProxySection {
        &self.sections.proxy
    }

    /// `[usage]`: the thresholds of `byok usage --check`.
    pub fn alerts(&self) -> &AlertsSection {
        &self.sections.alerts
    }

    pub fn usage(&self) -> &UsageSection {
        &self.sections.usage
    }

    /// The `[prices."glob"]` overrides, in file order.
    pub fn prices(&self) -> &[PriceOverride] {
        &self.sections.prices
    }

    /// The `[[store]]` tables, in file order.
    pub fn stores(&self) -> &[StoreDecl] {
        &self.stores
    }

    /// Checks every connector as `connector add` would (name, type, key, base-URL rule),
    /// for the commands that hand connectors' settings on: a hand-edited file is not trusted.
    pub fn check_connectors(&self, path: &Path) -> Result<()> {
        for (index, connector) in self.connectors.iter().enumerate() {
            crate::connector::validate::check(connector, connector.allow_insecure_http, |_| {
                Ok(true)
            })
            .map_err(|e| Error::Config {
                path: path.to_path_buf(),
                message: format!("connector #{} '{}': {e}", index + 1, connector.name),
            })?;
        }
        Ok(())
    }

    /// The file's text as byok would write it (for backups).
    pub fn text(&self) -> String {
        self.doc.to_string()
    }

    /// `reveal`, `audit_names` and `rotation_days`.
    pub fn hygiene(&self) -> &Hygiene {
        &self.sections.hygiene
    }

    /// Sets the top-level `reveal` key (callers hold the lock, then [`save`](Self::save)).
    pub fn set_reveal(&mut self, policy: &str) {
        self.doc.insert("reveal", value(policy));
        self.sections.hygiene.reveal = Some(policy.to_owned());
    }

    /// `default_store`, if set.
    pub fn default_store(&self) -> Option<&str> {
        self.default_store.as_deref()
    }

    /// The `[[admin]]` connections, in file order.
    pub fn admins(&self) -> &[AdminDecl] {
        &self.admins
    }

    /// The admin connection named `name`.
    pub fn admin(&self, name: &str) -> Result<&AdminDecl> {
        self.admins.iter().find(|a| a.name == name).ok_or_else(|| {
            let known: Vec<&str> = self.admins.iter().map(|a| a.name.as_str()).collect();
            Error::Usage(format!(
                "no admin connection is named '{name}' (known: {}; add one with `byok admin add`)",
                if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                }
            ))
        })
    }

    /// Adds an `[[admin]]` table.
    pub fn add_admin(&mut self, decl: AdminDecl) -> Result<()> {
        if !crate::names::is_valid_connector_name(&decl.name) {
            return Err(Error::Usage(format!(
                "invalid admin connection name (a name is {})",
                crate::names::CONNECTOR_NAME_RULE
            )));
        }
        if self.admins.iter().any(|a| a.name == decl.name) {
            return Err(Error::Usage(format!(
                "an admin connection named '{}' exists already (see `byok admin list`)",
                decl.name
            )));
        }
        let mut table = Table::new();
        table.insert("name", value(decl.name.as_str()));
        table.insert("provider", value(decl.provider.as_str()));
        table.insert("secret", value(decl.secret.as_str()));
        for (key, text) in [
            ("project", &decl.project),
            ("workspace", &decl.workspace),
            ("base_url", &decl.base_url),
        ] {
            if let Some(text) = text {
                table.insert(key, value(text.as_str()));
            }
        }
        if !decl.exclusive.is_empty() {
            let refs: toml_edit::Array = decl.exclusive.iter().map(String::as_str).collect();
            table.insert("exclusive", value(refs));
        }
        self.keep_trailing_above(&mut table);
        if !matches!(self.doc.get("admin"), Some(Item::ArrayOfTables(_))) {
            self.doc
                .insert("admin", Item::ArrayOfTables(ArrayOfTables::new()));
        }
        self.doc["admin"]
            .as_array_of_tables_mut()
            .expect("just ensured")
            .push(table);
        self.admins.push(decl);
        Ok(())
    }

    /// Removes the `[[admin]]` named `name`.
    pub fn remove_admin(&mut self, name: &str) -> Result<AdminDecl> {
        self.admin(name)?;
        let index = self
            .admins
            .iter()
            .position(|a| a.name == name)
            .expect("just found");
        if let Some(tables) = self
            .doc
            .get_mut("admin")
            .and_then(Item::as_array_of_tables_mut)
        {
            tables.remove(index);
            if tables.is_empty() {
                self.doc.remove("admin");
            }
        }
        Ok(self.admins.remove(index))
    }

    /// Adds a `[[store]]` table (checked as the reader checks one); with `make_default`,
    /// also sets `default_store`.
    pub fn add_store(&mut self, decl: StoreDecl, make_default: bool) -> Result<()> {
        if decl.name == "vault"
            || decl.name == "keychain"
            || !crate::names::is_valid_connector_name(&decl.name)
        {
            return Err(Error::Usage(format!(
                "invalid store name (a store name is {}, and not `vault` or `keychain`)",
                crate::names::CONNECTOR_NAME_RULE
            )));
        }
        if self.stores.iter().any(|s| s.name == decl.name) {
            return Err(Error::Usage(format!(
                "a store named '{}' exists already (see `byok store list`)",
                decl.name
            )));
        }
        let mut table = Table::new();
        table.insert("name", value(decl.name.as_str()));
        table.insert("type", value(decl.kind.as_str()));
        for (key, text) in &decl.settings {
            table.insert(key, value(text.as_str()));
        }
        self.keep_trailing_above(&mut table);
        if !matches!(self.doc.get("store"), Some(Item::ArrayOfTables(_))) {
            self.doc
                .insert("store", Item::ArrayOfTables(ArrayOfTables::new()));
        }
        self.doc["store"]
            .as_array_of_tables_mut()
            .expect("just ensured")
            .push(table);
        if make_default {
            self.set_default_store(Some(&decl.name));
        }
        self.stores.push(decl);
        Ok(())
    }

    /// Removes the `[[store]]` named `name`; refuses the store `default_store` names.
    pub fn remove_store(&mut self, name: &str) -> Result<StoreDecl> {
        let index = self
            .stores
            .iter()
            .position(|s| s.name == name)
            .ok_or_else(|| Error::UnknownStore {
                name: name.to_owned(),
                known: self
                    .stores
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
        if self.default_store.as_deref() == Some(name) {
            return Err(Error::Usage(format!(
                "'{name}' is the default store: set another first (`byok store add … --default`, \
                 or remove `default_store` from config.toml)"
            )));
        }
        if let Some(tables) = self
            .doc
            .get_mut("store")
            .and_then(Item::as_array_of_tables_mut)
        {
            tables.remove(index);
            if tables.is_empty() {
                self.doc.remove("store");
            }
        }
        Ok(self.stores.remove(index))
    }

    /// Sets one setting of the `[[store]]` named `name` (e.g. `login` after `store login`).
    pub fn set_store_setting(&mut self, name: &str, key: &str, text: &str) -> Result<()> {
        let index = self
            .stores
            .iter()
            .position(|s| s.name == name)
            .ok_or_else(|| Error::UnknownStore {
                name: name.to_owned(),
                known: self
                    .stores
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
        if let Some(table) = self
            .doc
            .get_mut("store")
            .and_then(Item::as_array_of_tables_mut)
            .and_then(|t| t.get_mut(index))
        {
            table.insert(key, value(text));
        }
        self.stores[index]
            .settings
            .insert(key.to_owned(), text.to_owned());
        Ok(())
    }

    /// Sets (or, with `None`, removes) `default_store`.
    pub fn set_default_store(&mut self, name: Option<&str>) {
        match name {
            Some(name) => {
                self.doc.insert("default_store", value(name));
            }
            None => {
                self.doc.remove("default_store");
            }
        }
        self.default_store = name.map(str::to_owned);
    }

    /// The connectors in priority order (archived ones included).
    pub fn connectors(&self) -> &[Connector] {
        &self.connectors
    }

    /// Puts `first`'s connectors (a workspace's) before these, by name: a connector of
    /// `first` shadows one of the same name here; without `fallback` only `first`'s remain.
    /// For reading only — the document is untouched, and writes reload the file.
    pub fn overlay_connectors(&mut self, first: &Config, fallback: bool) {
        let mut connectors = first.connectors.clone();
        let mut models = first.connector_models.clone();
        if fallback {
            for c in &self.connectors {
                if !connectors.iter().any(|f| f.name == c.name) {
                    if let Some(m) = self.connector_models.get(&c.name) {
                        models.insert(c.name.clone(), m.clone());
                    }
                    connectors.push(c.clone());
                }
            }
        }
        self.connectors = connectors;
        self.connector_models = models;
    }

    /// The connectors not archived, in priority order.
    pub fn active(&self) -> impl Iterator<Item = &Connector> {
        self.connectors.iter().filter(|c| !c.archived)
    }

    /// The connector named `name`, or a not-found error with a suggestion.
    pub fn get(&self, name: &str) -> Result<&Connector> {
        self.connectors
            .iter()
            .find(|c| c.name == name)
            .ok_or_else(|| self.not_found(name))
    }

    fn position(&self, name: &str) -> Result<usize> {
        self.connectors
            .iter()
            .position(|c| c.name == name)
            .ok_or_else(|| self.not_found(name))
    }

    fn not_found(&self, name: &str) -> Error {
        Error::ConnectorNotFound {
            name: name.to_owned(),
            suggestion: crate::error::suggest(
                name,
                self.connectors.iter().map(|c| c.name.as_str()),
            ),
        }
    }

    /// Appends a connector (lowest priority); refuses a duplicate name.
    pub fn add(&mut self, connector: Connector) -> Result<()> {
        if self.connectors.iter().any(|c| c.name == connector.name) {
            return Err(Error::ConnectorExists {
                name: connector.name,
            });
        }
        let mut table = Table::new();
        write_table(&mut table, &connector);
        if self.connectors.is_empty() {
            self.keep_trailing_above(&mut table);
        }
        self.tables_mut().push(table);
        self.connectors.push(connector);
        Ok(())
    }

    /// Replaces the connector named `name` in place (keeping its comments and position).
    pub fn replace(&mut self, name: &str, connector: Connector) -> Result<()> {
        let index = self.position(name)?;
        if connector.name != name && self.connectors.iter().any(|c| c.name == connector.name) {
            return Err(Error::ConnectorExists {
                name: connector.name,
            });
        }
        let table = self
            .tables_mut()
            .get_mut(index)
            .expect("tables and connectors stay in step");
        write_table(table, &connector);
        self.connectors[index] = connector;
        Ok(())
    }

    /// Removes a connector.
    pub fn remove(&mut self, name: &str) -> Result<Connector> {
        let index = self.position(name)?;
        self.tables_mut().remove(index);
        Ok(self.connectors.remove(index))
    }

    /// Moves a connector to position `to` (0-based, clamped); position 0 is the default.
    pub fn move_to(&mut self, name: &str, to: usize) -> Result<usize> {
        let from = self.position(name)?;
        let to = to.min(self.connectors.len() - 1);
        let tables = self.tables_mut();
        // ArrayOfTables has no insert: rebuild it; each table keeps its own comments.
        let mut all: Vec<Table> = tables.iter().cloned().collect();
        // The document prints tables in the order of their recorded positions, not the
        // array's: hand the old positions out again in the new order.
        let mut positions: Vec<usize> = all.iter().filter_map(Table::position).collect();
        positions.sort_unstable();
        let moved = all.remove(from);
        all.insert(to, moved);
        if positions.len() == all.len() {
            for (table, position) in all.iter_mut().zip(positions) {
                table.set_position(position);
            }
        }
        tables.clear();
        for table in all {
            tables.push(table);
        }
        let connector = self.connectors.remove(from);
        self.connectors.insert(to, connector);
        Ok(to)
    }

    /// Index of a connector (0-based priority).
    pub fn index_of(&self, name: &str) -> Result<usize> {
        self.position(name)
    }

    /// Points every connector using secret `old` at `new`; returns the names changed.
    pub fn rename_secret(&mut self, old: &str, new: &str) -> Vec<String> {
        let mut changed = Vec::new();
        for index in 0..self.connectors.len() {
            if self.connectors[index].secret.as_deref() == Some(old) {
                let mut connector = self.connectors[index].clone();
                connector.secret = Some(new.to_owned());
                changed.push(connector.name.clone());
                let table = self.tables_mut().get_mut(index).expect("in step");
                write_table(table, &connector);
                self.connectors[index] = connector;
            }
        }
        changed
    }

    /// Names of the connectors whose key is the vault secret `reference`.
    pub fn using_secret(&self, reference: &str) -> Vec<String> {
        self.connectors
            .iter()
            .filter(|c| c.secret.as_deref() == Some(reference))
            .map(|c| c.name.clone())
            .collect()
    }

    /// Writes the file atomically (mode 0600). Callers hold the [`WriteLock`].
    pub fn save(&self, settings: &Settings) -> Result<()> {
        fsutil::write_atomic(&settings.paths.config(), self.doc.to_string().as_bytes())
    }

    /// Comments after the last table belong to the document's trailing text; in a file
    /// without tables yet (the one `byok init` writes) they would end up below a new table.
    /// Keeps them above `table`, which is about to be appended.
    fn keep_trailing_above(&mut self, table: &mut Table) {
        let trailing = self.doc.trailing().as_str().unwrap_or("").to_owned();
        if !trailing.trim().is_empty() {
            let mut prefix = trailing.trim_end().to_owned();
            prefix.push_str("\n\n");
            table.decor_mut().set_prefix(prefix);
            self.doc.set_trailing("");
        }
    }

    fn tables_mut(&mut self) -> &mut ArrayOfTables {
        if !matches!(self.doc.get("connector"), Some(Item::ArrayOfTables(_))) {
            self.doc
                .insert("connector", Item::ArrayOfTables(ArrayOfTables::new()));
        }
        self.doc["connector"]
            .as_array_of_tables_mut()
            .expect("just ensured")
    }
}

/// Loads the config under the home's write lock, applies `change`, and saves it if `change`
/// succeeded. A file that does not parse is never overwritten.
pub fn modify<T>(settings: &Settings, change: impl FnOnce(&mut Config) -> Result<T>) -> Result<T> {
    fsutil::create_private_dir(settings.paths.home())?;
    let _lock = WriteLock::acquire(&settings.paths.lock())?;
    let mut config = Config::load(settings)?;
    let result = change(&mut config)?;
    config.save(settings)?;
    Ok(result)
}

/// For `byok secret rename`: repoints connectors from `old` to `new`; returns their names.
pub fn rename_secret_refs(
    settings: &Settings,
    config: &Config,
    old: &str,
    new: &str,
) -> Result<Vec<String>> {
    // Only take the lock and rewrite the file when some connector uses the secret.
    if config.using_secret(old).is_empty() {
        return Ok(Vec::new());
    }
    modify(settings, |config| Ok(config.rename_secret(old, new)))
}

/// Longest model name or glob accepted in `models` and `[aliases]`.
const MAX_MODEL_NAME: usize = 256;
/// Most `models` globs on one connector.
pub const MAX_MODEL_GLOBS: usize = 64;
/// What a model glob may contain besides ASCII letters and digits (model names such as
/// `accounts/fireworks/models/gpt-oss-20b`, `llama3:8b`, `openai/gpt-4o-mini:free`).
const MODEL_GLOB_PUNCTUATION: &str = "-._/:@+*?";

/// Why a `models` list is refused (`None`: it is fine): at most [`MAX_MODEL_GLOBS`] entries,
/// each 1 to 256 bytes of letters, digits and `-._/:@+` plus the glob characters `*` and `?`.
/// The message names the entry's position, never echoes text that is not a model name.
pub fn model_globs_problem(globs: &[String]) -> Option<String> {
    if globs.len() > MAX_MODEL_GLOBS {
        return Some(format!(
            "at most {MAX_MODEL_GLOBS} model globs per connector ({} given)",
            globs.len()
        ));
    }
    for (i, glob) in globs.iter().enumerate() {
        let ok = !glob.is_empty()
            && glob.len() <= MAX_MODEL_NAME
            && glob
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || MODEL_GLOB_PUNCTUATION.contains(c));
        if !ok {
            return Some(format!(
                "model glob #{} is not 1 to {MAX_MODEL_NAME} characters of letters, digits, \
                 '{MODEL_GLOB_PUNCTUATION}' (`*` matches any run, `?` one character)",
                i + 1
            ));
        }
    }
    None
}

/// `models = ["glob", …]` of each `[[connector]]` (the key is otherwise ignored by
/// [`read_connectors`], so this stays apart from the [`Connector`] model).
fn read_connector_models(path: &Path, doc: &DocumentMut) -> Result<BTreeMap<String, Vec<String>>> {
    let bad = |message: String| Error::Config {
        path: path.to_path_buf(),
        message,
    };
    let mut out = BTreeMap::new();
    let Some(tables) = doc.get("connector").and_then(Item::as_array_of_tables) else {
        return Ok(out);
    };
    for (index, table) in tables.iter().enumerate() {
        let Some(item) = table.get("models") else {
            continue;
        };
        let name = table
            .get("name")
            .and_then(Item::as_str)
            .unwrap_or_default()
            .to_owned();
        let list = item
            .as_array()
            .ok_or_else(|| {
                bad(format!(
                    "connector #{} '{name}': `models` must be an array of strings (globs)",
                    index + 1
                ))
            })?
            .iter()
            .map(|v| {
                v.as_str()
                    .filter(|s| !s.is_empty() && s.len() <= MAX_MODEL_NAME)
                    .map(str::to_owned)
                    .ok_or_else(|| {
                        bad(format!(
                            "connector #{} '{name}': each `models` entry must be a non-empty string of at most {MAX_MODEL_NAME} bytes",
                            index + 1
                        ))
                    })
            })
            .collect::<Result<Vec<_>>>()?;
        if let Some(problem) = model_globs_problem(&list) {
            return Err(bad(format!(
                "connector #{} '{name}': `models`: {problem}",
                index + 1
            )));
        }
        out.insert(name, list);
    }
    Ok(out)
}

/// `[aliases]`: `name = "model"` pairs.
fn read_aliases(path: &Path, doc: &DocumentMut) -> Result<BTreeMap<String, String>> {
    let bad = |message: String| Error::Config {
        path: path.to_path_buf(),
        message,
    };
    let mut out = BTreeMap::new();
    let Some(item) = doc.get("aliases") else {
        return Ok(out);
    };
    let table = item
        .as_table_like()
        .ok_or_else(|| bad("`aliases` must be a table of name = \"model\"".into()))?;
    for (key, item) in table.iter() {
        let target = item
            .as_str()
            .filter(|s| !s.is_empty() && s.len() <= MAX_MODEL_NAME)
            .ok_or_else(|| {
                bad(format!(
                    "alias `{key}` must be a non-empty model name (a string)"
                ))
            })?;
        out.insert(key.to_owned(), target.to_owned());
    }
    Ok(out)
}

fn read_stores(path: &Path, doc: &DocumentMut) -> Result<Vec<StoreDecl>> {
    let bad = |message: String| Error::Config {
        path: path.to_path_buf(),
        message,
    };
    let Some(item) = doc.get("store") else {
        return Ok(Vec::new());
    };
    let Some(tables) = item.as_array_of_tables() else {
        return Err(bad("`store` must be an array of tables ([[store]])".into()));
    };
    let mut out: Vec<StoreDecl> = Vec::new();
    for (index, table) in tables.iter().enumerate() {
        let n = index + 1;
        let mut settings = BTreeMap::new();
        for (key, item) in table.iter() {
            let text = item
                .as_str()
                .ok_or_else(|| bad(format!("store #{n}: `{key}` must be a string")))?;
            settings.insert(key.to_owned(), text.to_owned());
        }
        let name = settings
            .remove("name")
            .ok_or_else(|| bad(format!("store #{n} has no `name`")))?;
        if !crate::names::is_valid_connector_name(&name) || name == "vault" || name == "keychain" {
            return Err(bad(format!(
                "store #{n}: invalid name '{name}' (a store name is {}, and not `vault` or `keychain`)",
                crate::names::CONNECTOR_NAME_RULE
            )));
        }
        let kind = settings
            .remove("type")
            .ok_or_else(|| bad(format!("store '{name}' has no `type`")))?;
        if !STORE_TYPES.contains(&kind.as_str()) {
            return Err(bad(format!(
                "store '{name}': unknown type '{kind}' (known: {})",
                STORE_TYPES.join(", ")
            )));
        }
        if kind == "age-file" && !settings.contains_key("path") {
            return Err(bad(format!("store '{name}' (age-file) has no `path`")));
        }
        if kind == "openbao" {
            crate::store::openbao::config::check(&settings)
                .map_err(|m| bad(format!("store '{name}' (openbao): {m}")))?;
        }
        if kind == "aws-secrets-manager" {
            crate::store::aws::config::check(&settings)
                .map_err(|m| bad(format!("store '{name}' (aws-secrets-manager): {m}")))?;
        }
        if out.iter().any(|s| s.name == name) {
            return Err(bad(format!("two stores are named '{name}'")));
        }
        out.push(StoreDecl {
            name,
            kind,
            settings,
        });
    }
    Ok(out)
}

fn read_admins(path: &Path, doc: &DocumentMut) -> Result<Vec<AdminDecl>> {
    let bad = |message: String| Error::Config {
        path: path.to_path_buf(),
        message,
    };
    let Some(item) = doc.get("admin") else {
        return Ok(Vec::new());
    };
    let Some(tables) = item.as_array_of_tables() else {
        return Err(bad("`admin` must be an array of tables ([[admin]])".into()));
    };
    let mut out: Vec<AdminDecl> = Vec::new();
    for (index, table) in tables.iter().enumerate() {
        let n = index + 1;
        let text = |key: &str| -> Result<Option<String>> {
            match table.get(key) {
                None => Ok(None),
                Some(item) => item
                    .as_str()
                    .map(|s| Some(s.to_owned()))
                    .ok_or_else(|| bad(format!("admin #{n}: `{key}` must be a string"))),
            }
        };
        let name = text("name")?.ok_or_else(|| bad(format!("admin #{n} has no `name`")))?;
        if !crate::names::is_valid_connector_name(&name) {
            return Err(bad(format!(
                "admin #{n}: invalid name (a name is {})",
                crate::names::CONNECTOR_NAME_RULE
            )));
        }
        let provider =
            text("provider")?.ok_or_else(|| bad(format!("admin '{name}' has no `provider`")))?;
        if !ADMIN_PROVIDERS.contains(&provider.as_str()) {
            return Err(bad(format!(
                "admin '{name}': unknown provider (known: {})",
                ADMIN_PROVIDERS.join(", ")
            )));
        }
        let secret =
            text("secret")?.ok_or_else(|| bad(format!("admin '{name}' has no `secret`")))?;
        if !crate::names::is_valid_ref(&secret) {
            return Err(bad(format!(
                "admin '{name}': `secret` is not a valid ref name"
            )));
        }
        let base_url = text("base_url")?;
        if let Some(url) = &base_url
            && let Some(problem) = crate::admin::base_url_problem(url)
        {
            return Err(bad(format!("admin '{name}': `base_url` {problem}")));
        }
        if out.iter().any(|a| a.name == name) {
            return Err(bad(format!("two admin connections are named '{name}'")));
        }
        let exclusive = match table.get("exclusive") {
            None => Vec::new(),
            Some(item) => {
                let refs: Option<Vec<String>> = item.as_array().and_then(|a| {
                    a.iter()
                        .map(|v| v.as_str().map(str::to_owned))
                        .collect::<Option<Vec<String>>>()
                });
                let refs = refs.ok_or_else(|| {
                    bad(format!(
                        "admin '{name}': `exclusive` must be an array of secret refs"
                    ))
                })?;
                if let Some(r) = refs.iter().find(|r| !crate::names::is_valid_ref(r)) {
                    return Err(bad(format!(
                        "admin '{name}': `exclusive`: '{}' is not a valid ref name",
                        crate::term::sanitize::line(r)
                    )));
                }
                refs
            }
        };
        out.push(AdminDecl {
            name,
            provider,
            secret,
            project: text("project")?,
            workspace: text("workspace")?,
            base_url,
            exclusive,
        });
    }
    Ok(out)
}

/// 1-based line and column of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn read_connectors(path: &Path, doc: &DocumentMut) -> Result<Vec<Connector>> {
    let bad = |message: String| Error::Config {
        path: path.to_path_buf(),
        message,
    };
    let Some(item) = doc.get("connector") else {
        return Ok(Vec::new());
    };
    let Some(tables) = item.as_array_of_tables() else {
        return Err(bad(
            "`connector` must be an array of tables ([[connector]])".into(),
        ));
    };
    let mut out: Vec<Connector> = Vec::new();
    for (index, table) in tables.iter().enumerate() {
        let n = index + 1;
        let string = |key: &str| -> Result<Option<String>> {
            match table.get(key) {
                None => Ok(None),
                Some(item) => item
                    .as_str()
                    .map(|s| Some(s.to_owned()))
                    .ok_or_else(|| bad(format!("connector #{n}: `{key}` must be a string"))),
            }
        };
        let name = string("name")?.ok_or_else(|| bad(format!("connector #{n} has no `name`")))?;
        let kind =
            string("type")?.ok_or_else(|| bad(format!("connector '{name}' has no `type`")))?;
        let archived = match table.get("archived") {
            None => false,
            Some(item) => item.as_bool().ok_or_else(|| {
                bad(format!(
                    "connector '{name}': `archived` must be true or false"
                ))
            })?,
        };
        let allow_insecure_http = match table.get("allow_insecure_http") {
            None => false,
            Some(item) => item.as_bool().ok_or_else(|| {
                bad(format!(
                    "connector '{name}': `allow_insecure_http` must be true or false"
                ))
            })?,
        };
        let mut options = BTreeMap::new();
        if let Some(item) = table.get("options") {
            let Some(opts) = item.as_table_like() else {
                return Err(bad(format!(
                    "connector '{name}': `options` must be a table"
                )));
            };
            for (key, item) in opts.iter() {
                let value = item.as_str().ok_or_else(|| {
                    bad(format!(
                        "connector '{name}': option `{key}` must be a string"
                    ))
                })?;
                options.insert(key.to_owned(), value.to_owned());
            }
        }
        if out.iter().any(|c| c.name == name) {
            return Err(bad(format!("two connectors are named '{name}'")));
        }
        out.push(Connector {
            secret: string("secret")?,
            model: string("model")?,
            base_url: string("base_url")?,
            name,
            kind,
            options,
            archived,
            allow_insecure_http,
            service_user: string("service_user")?,
        });
    }
    Ok(out)
}

/// Writes `connector` into `table`, leaving unknown keys and the table's comments alone.
fn write_table(table: &mut Table, connector: &Connector) {
    let set = |table: &mut Table, key: &str, v: Option<&str>| match v {
        Some(v) => {
            // Keep the key's decor (trailing comments) when only the value changes.
            match table.get_mut(key).and_then(Item::as_value_mut) {
                Some(existing) if existing.as_str() == Some(v) => {}
                Some(existing) => {
                    let decor = existing.decor().clone();
                    *existing = v.into();
                    *existing.decor_mut() = decor;
                }
                None => {
                    table.insert(key, value(v));
                }
            }
        }
        None => {
            table.remove(key);
        }
    };
    set(table, "name", Some(&connector.name));
    set(table, "type", Some(&connector.kind));
    set(table, "secret", connector.secret.as_deref());
    set(table, "model", connector.model.as_deref());
    set(table, "base_url", connector.base_url.as_deref());
    if connector.options.is_empty() {
        table.remove("options");
    } else {
        let mut inline = InlineTable::new();
        for (k, v) in &connector.options {
            inline.insert(k, v.as_str().into());
        }
        table.insert("options", value(inline));
    }
    if connector.archived {
        table.insert("archived", value(true));
    } else {
        table.remove("archived");
    }
    if connector.allow_insecure_http {
        table.insert("allow_insecure_http", value(true));
    } else {
        table.remove("allow_insecure_http");
    }
    match &connector.service_user {
        Some(user) => {
            table.insert("service_user", value(user.as_str()));
        }
        None => {
            table.remove("service_user");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connector(name: &str) -> Connector {
        Connector {
            name: name.into(),
            kind: "openai".into(),
            secret: Some("k".into()),
            model: None,
            base_url: None,
            options: BTreeMap::new(),
            archived: false,
            allow_insecure_http: false,
            service_user: None,
        }
    }

    #[test]
    fn comments_survive_add_move_and_edit() {
        let text = "# top comment\n\n# first one\n[[connector]]\nname = \"a\" # inline\ntype = \"openai\"\nsecret = \"k\"\n";
        let mut config = Config::parse(Path::new("c.toml"), text).unwrap();
        config.add(connector("b")).unwrap();
        config.move_to("b", 0).unwrap();
        let mut a = config.get("a").unwrap().clone();
        a.model = Some("m".into());
        config.replace("a", a).unwrap();
        let out = config.doc.to_string();
        assert!(out.contains("# top comment"), "{out}");
        assert!(out.contains("# first one"), "{out}");
        assert!(out.contains("# inline"), "{out}");
        let again = Config::parse(Path::new("c.toml"), &out).unwrap();
        let names: Vec<_> = again.connectors().iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["b", "a"]);
        assert_eq!(again.get("a").unwrap().model.as_deref(), Some("m"));
    }

    #[test]
    fn a_header_comment_stays_on_top() {
        let text = "# byok settings\n# more\n";
        let mut config = Config::parse(Path::new("c.toml"), text).unwrap();
        config.add(connector("a")).unwrap();
        let out = config.doc.to_string();
        assert!(
            out.starts_with("# byok settings\n# more\n\n[[connector]]"),
            "{out}"
        );
    }

    #[test]
    fn parse_errors_name_line_and_column() {
        let err = Config::parse(Path::new("c.toml"), "[[connector]]\nname = \n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("c.toml"), "{text}");
        assert!(text.contains("line 2, column"), "{text}");
    }

    #[test]
    fn duplicate_names_are_refused() {
        let mut config = Config::parse(Path::new("c.toml"), "").unwrap();
        config.add(connector("a")).unwrap();
        assert!(matches!(
            config.add(connector("a")),
            Err(Error::ConnectorExists { .. })
        ));
    }

    #[test]
    fn secret_renames_follow() {
        let mut config = Config::parse(Path::new("c.toml"), "").unwrap();
        config.add(connector("a")).unwrap();
        assert_eq!(config.using_secret("k"), ["a"]);
        assert_eq!(config.rename_secret("k", "k2"), ["a"]);
        assert!(config.doc.to_string().contains("secret = \"k2\""));
    }
}
