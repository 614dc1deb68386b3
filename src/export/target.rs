//! What `byok env` and `byok exec` export: targets resolved to environment variables.
//!
//! A target is a connector name or a secret's ref name; a connector name wins over a secret of
//! the same name.
//!
//! Rules for a connector target: its secret's `api_key` goes to each of the provider's
//! `key_env_vars`; a base URL other than the provider's default goes to the provider's
//! base-URL variable (`OPENAI_BASE_URL`, `ANTHROPIC_BASE_URL`, `OLLAMA_HOST`,
//! `AZURE_OPENAI_ENDPOINT`, …); an `openai-compatible` connector uses `OPENAI_API_KEY` and
//! `OPENAI_BASE_URL`; Azure's `api-version` option goes to `OPENAI_API_VERSION`.
//!
//! Rules for a secret target:
//! * with a provider hint, its `api_key` goes to each of the provider's `key_env_vars`
//!   (`gemini` → `GEMINI_API_KEY` and `GOOGLE_API_KEY`), and a few well-known extra fields go
//!   to their conventional variables ([`FIELD_VARS`], e.g. Azure's `endpoint`);
//! * without one, its `api_key` goes to `REF_UPPERCASED`;
//! * `--set VAR=REF[.FIELD]` maps any field to any variable and beats the rules above.
//!
//! With no target and no `--set`, every active connector is exported in priority order (one
//! whose variables a higher-priority connector already sets is skipped whole, so keys and
//! base URLs never mix); with no connectors at all,
//! every secret with a provider hint is.

use std::str::FromStr;

use crate::config::{Config, Connector};
use crate::error::{Error, Result, suggest};
use crate::export::reference::Reference;
use crate::export::shell::valid_var_name;
use crate::names;
use crate::provider::catalog::{self, ProviderSpec};
use crate::secret::SecretValue;
pub use crate::store::DEFAULT_FIELD as KEY_FIELD;
use crate::store::Meta;
use crate::store::registry::{Registry, value_of};

/// Where targets' secrets come from: the store registry (a plain map in unit tests).
pub trait Secrets {
    /// The secret `name` resolves to, by the registry's rule.
    fn find(&self, name: &str) -> Result<Option<Meta>>;
    /// One field's value of a secret `find` returned.
    fn value(&self, meta: &Meta, field: &str) -> Result<SecretValue>;
    /// Every secret that a name resolves to (shadowed copies left out), sorted by name.
    fn all(&self) -> Result<Vec<Meta>>;
}

impl Secrets for Registry {
    fn find(&self, name: &str) -> Result<Option<Meta>> {
        Ok(self.locate(name)?.map(|found| found.meta))
    }

    fn value(&self, meta: &Meta, field: &str) -> Result<SecretValue> {
        value_of(&self.resolve(&meta.reference, None)?, field)
    }

    fn all(&self) -> Result<Vec<Meta>> {
        let (found, failed) = self.list_all();
        if let Some((_, error)) = failed.into_iter().next() {
            return Err(error);
        }
        let mut metas: Vec<Meta> = found
            .into_iter()
            .filter(|(_, _, shadowed)| !shadowed)
            .map(|(_, meta, _)| meta)
            .collect();
        metas.sort_by(|a, b| a.reference.cmp(&b.reference));
        Ok(metas)
    }
}

/// The value a `byok://` reference stands for: a connector's key (the connector wins), or
/// a secret's field (`api_key` by default).
pub fn resolve_reference(
    reference: &Reference,
    secrets: &dyn Secrets,
    config: &Config,
) -> Result<SecretValue> {
    if let Some(connector) = config
        .connectors()
        .iter()
        .find(|c| c.name == reference.name)
    {
        if reference.field.is_some() {
            return Err(Error::Usage(format!(
                "byok://{}/… names a field of connector '{}': a connector reference is byok://NAME (its key)",
                reference.name, reference.name
            )));
        }
        let secret = connector.secret.as_deref().ok_or_else(|| {
            Error::Usage(format!(
                "connector '{}' has no secret (a keyless local server)",
                connector.name
            ))
        })?;
        let meta = secrets
            .find(secret)?
            .ok_or_else(|| not_found(secret, secrets))?;
        return secrets.value(&meta, KEY_FIELD);
    }
    let meta = secrets
        .find(&reference.name)?
        .ok_or_else(|| not_found(&reference.name, secrets))?;
    secrets.value(&meta, reference.field.as_deref().unwrap_or(KEY_FIELD))
}

/// Extra fields exported for a provider: (provider id, field, variable). These are the
/// variables the providers' own SDKs read besides the key (/work/shared/providers.md §1).
pub const FIELD_VARS: &[(&str, &str, &str)] = &[
    ("azure-openai", "endpoint", "AZURE_OPENAI_ENDPOINT"),
    ("azure-openai", "api_version", "OPENAI_API_VERSION"),
    ("openai", "org_id", "OPENAI_ORG_ID"),
    ("openai", "project_id", "OPENAI_PROJECT_ID"),
];

/// Something named on the command line that resolves to variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A secret in the vault, by ref name.
    Secret(String),
    /// A connector in `config.toml`, by name.
    Connector(String),
}

/// One environment variable to set. `origin` (`ref.field`) is for messages; it never holds
/// a value.
#[derive(Debug, Clone)]
pub struct Export {
    pub var: String,
    pub value: SecretValue,
    pub origin: String,
}

/// `--set VAR=REF[.FIELD]`: an explicit variable for one field of one secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub var: String,
    pub reference: String,
    pub field: String,
}

impl FromStr for Mapping {
    type Err = String;

    /// Parses `VAR=REF` or `VAR=REF.FIELD` (the field defaults to `api_key`).
    fn from_str(text: &str) -> std::result::Result<Self, Self::Err> {
        let (var, source) = text
            .split_once('=')
            .ok_or_else(|| "expected VAR=REF or VAR=REF.FIELD".to_owned())?;
        if !valid_var_name(var) {
            return Err(format!(
                "'{var}' is not a variable name (letters, digits and '_', not starting with a digit)"
            ));
        }
        let (reference, field) = source.split_once('.').unwrap_or((source, KEY_FIELD));
        if !names::is_valid_ref(reference) {
            // Not quoted: a mistyped `--set VAR=<the key itself>` must not print the key.
            return Err(format!(
                "after '{var}=' comes a ref name (REF or REF.FIELD; a ref name is {}), never a value",
                crate::names::REF_NAME_RULE
            ));
        }
        if !names::is_valid_field(field) {
            return Err(format!("invalid field name '{field}'"));
        }
        Ok(Mapping {
            var: var.to_owned(),
            reference: reference.to_owned(),
            field: field.to_owned(),
        })
    }
}

/// Decides what a command-line name refers to: a connector first, then a secret.
pub fn classify(name: &str, secrets: &dyn Secrets, config: &Config) -> Result<Target> {
    if config.connectors().iter().any(|c| c.name == name) {
        return Ok(Target::Connector(name.to_owned()));
    }
    if secrets.find(name)?.is_some() {
        return Ok(Target::Secret(name.to_owned()));
    }
    let names: Vec<String> = secrets
        .all()
        .unwrap_or_default()
        .into_iter()
        .map(|m| m.reference)
        .collect();
    let known = names
        .iter()
        .map(String::as_str)
        .chain(config.connectors().iter().map(|c| c.name.as_str()));
    Err(Error::TargetNotFound {
        name: name.to_owned(),
        suggestion: suggest(name, known),
    })
}

/// Which targets a command asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// The names given (or, with none, everything active).
    Named,
    /// `--default`: only the default connector.
    DefaultConnector,
}

/// The variables for `targets` and `mappings`, in a stable order, names unique.
///
/// Fails before anything is exported when a target or a mapped field does not exist, or when
/// two explicit sources claim the same variable. With no targets and no mappings, every
/// active connector is exported in priority order, skipping one whose variables a
/// higher-priority connector already sets; without connectors, every secret with a provider hint is exported
/// (a variable two of them claim goes to the first ref name in sort order, and the others
/// are reported in the returned warnings).
pub fn resolve(
    doc: &dyn Secrets,
    config: &Config,
    targets: &[String],
    mappings: &[Mapping],
    selection: Selection,
) -> Result<(Vec<Export>, Vec<String>)> {
    let mut exports: Vec<Export> = Vec::new();
    let mut warnings = Vec::new();
    let default_target;
    let targets = match selection {
        Selection::DefaultConnector => {
            let first = config.active().next().ok_or(Error::NoDefaultConnector)?;
            default_target = [first.name.clone()];
            &default_target[..]
        }
        Selection::Named => targets,
    };
    if targets.is_empty() && mappings.is_empty() {
        if config.active().next().is_some() {
            for connector in config.active() {
                // A connector is exported whole or not at all: a lower-priority one must not
                // add its base URL to a higher-priority one's key.
                let found = connector_exports(connector, doc)?;
                if found.iter().any(|f| exports.iter().any(|e| e.var == f.var)) {
                    continue;
                }
                // An admin key goes out only when named (see crate::export::admin).
                if let Some(admin) = found
                    .iter()
                    .find(|e| crate::export::admin::is_admin(&e.value))
                {
                    warnings.push(admin_skipped(&admin.origin));
                    continue;
                }
                exports.extend(found);
            }
            return Ok((exports, warnings));
        }
        for meta in doc.all()? {
            let Some(spec) = meta.provider.as_deref().and_then(catalog::lookup) else {
                continue;
            };
            let found = secret_exports(doc, &meta, Some(spec))?;
            if let Some(admin) = found
                .iter()
                .find(|e| crate::export::admin::is_admin(&e.value))
            {
                warnings.push(admin_skipped(&admin.origin));
                continue;
            }
            for export in found {
                if let Some(kept) = exports.iter().find(|e| e.var == export.var) {
                    warnings.push(format!(
                        "{} is set from {}, not {}; name a target to choose",
                        export.var, kept.origin, export.origin
                    ));
                } else {
                    exports.push(export);
                }
            }
        }
        return Ok((exports, warnings));
    }
    for name in targets {
        let found = match classify(name, doc, config)? {
            Target::Connector(name) => connector_exports(config.get(&name)?, doc)?,
            Target::Secret(reference) => {
                let meta = doc
                    .find(&reference)?
                    .ok_or_else(|| not_found(&reference, doc))?;
                let spec = meta.provider.as_deref().and_then(catalog::lookup);
                secret_exports(doc, &meta, spec)?
            }
        };
        for export in found {
            push_unique(&mut exports, export)?;
        }
    }
    for mapping in mappings {
        let value = field_value(doc, &mapping.reference, &mapping.field)?;
        let export = Export {
            var: mapping.var.clone(),
            value,
            origin: format!("--set {}", mapping.var),
        };
        // An explicit --set beats what a target derived for the same variable.
        exports.retain(|e| e.var != export.var || e.origin.starts_with("--set"));
        push_unique(&mut exports, export)?;
    }
    Ok((exports, warnings))
}

fn admin_skipped(origin: &str) -> String {
    format!(
        "{origin} is an admin key and was left out (name it and pass --allow-admin to export it)"
    )
}

/// The variables one connector sets: key, non-default base URL, and provider extras.
fn connector_exports(connector: &Connector, doc: &dyn Secrets) -> Result<Vec<Export>> {
    let spec = catalog::lookup(&connector.kind).ok_or_else(|| Error::UnknownProvider {
        name: connector.kind.clone(),
        known: catalog::ids().collect::<Vec<_>>().join(", "),
    })?;
    // Tools that speak to "any OpenAI-compatible server" read the OpenAI SDK's variables.
    let (key_vars, base_var): (&[&str], Option<&str>) = if spec.key_env_vars.is_empty() {
        (&["OPENAI_API_KEY"], Some("OPENAI_BASE_URL"))
    } else {
        (spec.key_env_vars, spec.base_url_env_var)
    };
    let origin = format!("connector {}", connector.name);
    let mut exports = Vec::new();
    let mut add = |export: Export| {
        if !exports.iter().any(|e: &Export| e.var == export.var) {
            exports.push(export);
        }
    };
    let meta = match &connector.secret {
        Some(reference) => {
            let meta = doc
                .find(reference)?
                .ok_or_else(|| not_found(reference, doc))?;
            let key = doc.value(&meta, KEY_FIELD)?;
            for export in exports_for_key(key_vars, &key, &origin) {
                add(export);
            }
            Some(meta)
        }
        None => None,
    };
    if let (Some(var), Some(url)) = (base_var, &connector.base_url)
        && spec.default_base_url != Some(url.as_str())
    {
        add(plain(var, url, &origin));
    }
    if spec.id == "azure-openai"
        && let Some(version) = connector.options.get("api-version")
    {
        add(plain("OPENAI_API_VERSION", version, &origin));
    }
    if let Some(meta) = meta {
        for (_, field, var) in FIELD_VARS.iter().filter(|(id, _, _)| *id == spec.id) {
            if meta.fields.iter().any(|f| f == field) {
                add(Export {
                    var: (*var).to_owned(),
                    value: doc.value(&meta, field)?,
                    origin: format!("{}.{field}", meta.reference),
                });
            }
        }
    }
    Ok(exports)
}

/// A non-secret setting (a URL, a version) exported alongside the keys.
fn plain(var: &str, value: &str, origin: &str) -> Export {
    Export {
        var: var.to_owned(),
        value: SecretValue::new(value.to_owned()),
        origin: origin.to_owned(),
    }
}

/// A key exported under each of a provider's variables. Connectors will call this with
/// their provider spec's `key_env_vars`.
pub fn exports_for_key(key_env_vars: &[&str], value: &SecretValue, origin: &str) -> Vec<Export> {
    key_env_vars
        .iter()
        .map(|var| Export {
            var: (*var).to_owned(),
            value: value.clone(),
            origin: origin.to_owned(),
        })
        .collect()
}

/// The variable a secret without a provider hint is exported as: `my_key` → `MY_KEY`.
pub fn default_var(reference: &str) -> String {
    reference.to_ascii_uppercase()
}

fn secret_exports(
    doc: &dyn Secrets,
    meta: &Meta,
    spec: Option<&ProviderSpec>,
) -> Result<Vec<Export>> {
    let reference = meta.reference.as_str();
    let key = doc.value(meta, KEY_FIELD)?;
    let origin = format!("{reference}.{KEY_FIELD}");
    let Some(spec) = spec.filter(|s| !s.key_env_vars.is_empty()) else {
        return Ok(exports_for_key(&[&default_var(reference)], &key, &origin));
    };
    let mut exports = exports_for_key(spec.key_env_vars, &key, &origin);
    for (_, field, var) in FIELD_VARS.iter().filter(|(id, _, _)| *id == spec.id) {
        if meta.fields.iter().any(|f| f == field) {
            exports.push(Export {
                var: (*var).to_owned(),
                value: doc.value(meta, field)?,
                origin: format!("{reference}.{field}"),
            });
        }
    }
    Ok(exports)
}

fn field_value(doc: &dyn Secrets, reference: &str, field: &str) -> Result<SecretValue> {
    let meta = doc
        .find(reference)?
        .ok_or_else(|| not_found(reference, doc))?;
    doc.value(&meta, field)
}

fn push_unique(exports: &mut Vec<Export>, export: Export) -> Result<()> {
    if let Some(first) = exports.iter().find(|e| e.var == export.var) {
        return Err(Error::DuplicateVariable {
            var: export.var,
            first: first.origin.clone(),
            second: export.origin,
        });
    }
    exports.push(export);
    Ok(())
}

fn not_found(name: &str, doc: &dyn Secrets) -> Error {
    let names: Vec<String> = doc
        .all()
        .unwrap_or_default()
        .into_iter()
        .map(|m| m.reference)
        .collect();
    Error::SecretNotFound {
        name: name.to_owned(),
        suggestion: suggest(name, names.iter().map(String::as_str)),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::store::record::meta_of;
    use crate::store::vault::doc::{SecretRecord, VaultDoc};

    impl Secrets for VaultDoc {
        fn find(&self, name: &str) -> Result<Option<Meta>> {
            Ok(self.secrets.get(name).map(|r| meta_of(name, r)))
        }

        fn value(&self, meta: &Meta, field: &str) -> Result<SecretValue> {
            let record = &self.secrets[&meta.reference];
            record
                .fields
                .get(field)
                .cloned()
                .flatten()
                .ok_or_else(|| Error::FieldNotFound {
                    reference: meta.reference.clone(),
                    field: field.to_owned(),
                    fields: meta.fields.clone(),
                })
        }

        fn all(&self) -> Result<Vec<Meta>> {
            Ok(self.secrets.iter().map(|(n, r)| meta_of(n, r)).collect())
        }
    }

    fn no_config() -> Config {
        Config::parse(std::path::Path::new("config.toml"), "").unwrap()
    }

    fn connectors() -> Config {
        Config::parse(
            std::path::Path::new("config.toml"),
            r#"
[[connector]]
name = "work"
type = "openai"
secret = "oa_one"
base_url = "http://127.0.0.1:9/v1"

[[connector]]
name = "claude"
type = "anthropic"
secret = "ant"

[[connector]]
name = "backup"
type = "openai"
secret = "plain_key"

[[connector]]
name = "gone"
type = "gemini"
secret = "gem"
archived = true
"#,
        )
        .unwrap()
    }

    #[test]
    fn connectors_export_provider_variables_and_win_by_priority() {
        let mut d = doc();
        d.secrets.insert(
            "ant".into(),
            record(Some("anthropic"), &[("api_key", "sk-ant-test-1")]),
        );
        let (exports, _) = resolve(&d, &connectors(), &[], &[], Selection::Named).unwrap();
        let get = |var: &str| {
            exports
                .iter()
                .find(|e| e.var == var)
                .map(|e| e.value.expose().to_owned())
        };
        // `work` outranks `backup`: its key and its non-default base URL win.
        assert_eq!(get("OPENAI_API_KEY").as_deref(), Some("sk-test-1"));
        assert_eq!(
            get("OPENAI_BASE_URL").as_deref(),
            Some("http://127.0.0.1:9/v1")
        );
        assert_eq!(get("ANTHROPIC_API_KEY").as_deref(), Some("sk-ant-test-1"));
        assert_eq!(
            get("ANTHROPIC_BASE_URL"),
            None,
            "the default base URL is not exported"
        );
        assert_eq!(
            get("GEMINI_API_KEY"),
            None,
            "archived connectors are not exported"
        );

        let (only_default, _) =
            resolve(&d, &connectors(), &[], &[], Selection::DefaultConnector).unwrap();
        let vars: Vec<_> = only_default.iter().map(|e| e.var.as_str()).collect();
        assert!(
            vars.contains(&"OPENAI_API_KEY") && !vars.contains(&"ANTHROPIC_API_KEY"),
            "{vars:?}"
        );

        // A connector name beats a secret of the same name; a named backup gives its own key.
        let (named, _) =
            resolve(&d, &connectors(), &["backup".into()], &[], Selection::Named).unwrap();
        assert_eq!(named[0].value.expose(), "p-test");
        let err = resolve(&d, &connectors(), &["wrok".into()], &[], Selection::Named).unwrap_err();
        assert!(
            matches!(&err, Error::TargetNotFound { suggestion: Some(s), .. } if s == "work"),
            "{err}"
        );
    }

    fn record(provider: Option<&str>, fields: &[(&str, &str)]) -> SecretRecord {
        let mut record = SecretRecord::new("l".into(), "");
        record.provider = provider.map(str::to_owned);
        record.fields = fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Some(SecretValue::new((*v).to_owned()))))
            .collect::<BTreeMap<_, _>>();
        record
    }

    fn doc() -> VaultDoc {
        let mut doc = VaultDoc::default();
        doc.secrets.insert(
            "gem".into(),
            record(Some("gemini"), &[("api_key", "AIza-test")]),
        );
        doc.secrets.insert(
            "az".into(),
            record(
                Some("azure-openai"),
                &[("api_key", "az-test"), ("endpoint", "https://x")],
            ),
        );
        doc.secrets
            .insert("plain_key".into(), record(None, &[("api_key", "p-test")]));
        doc.secrets.insert(
            "oa_one".into(),
            record(Some("openai"), &[("api_key", "sk-test-1")]),
        );
        doc.secrets.insert(
            "oa_two".into(),
            record(Some("openai"), &[("api_key", "sk-test-2")]),
        );
        doc
    }

    fn vars(exports: &[Export]) -> Vec<(&str, &str)> {
        exports
            .iter()
            .map(|e| (e.var.as_str(), e.value.expose()))
            .collect()
    }

    #[test]
    fn provider_secrets_use_the_conventional_variables() {
        let (exports, _) = resolve(
            &doc(),
            &no_config(),
            &["gem".into(), "az".into()],
            &[],
            Selection::Named,
        )
        .unwrap();
        assert_eq!(
            vars(&exports),
            [
                ("GEMINI_API_KEY", "AIza-test"),
                ("GOOGLE_API_KEY", "AIza-test"),
                ("AZURE_OPENAI_API_KEY", "az-test"),
                ("AZURE_OPENAI_ENDPOINT", "https://x"),
            ]
        );
    }

    #[test]
    fn secrets_without_a_provider_use_the_upper_cased_ref() {
        let (exports, _) = resolve(
            &doc(),
            &no_config(),
            &["plain_key".into()],
            &[],
            Selection::Named,
        )
        .unwrap();
        assert_eq!(vars(&exports), [("PLAIN_KEY", "p-test")]);
    }

    #[test]
    fn set_maps_any_field_and_beats_the_target() {
        let set: Mapping = "OPENAI_API_KEY=oa_two".parse().unwrap();
        let endpoint: Mapping = "EP=az.endpoint".parse().unwrap();
        let (exports, _) = resolve(
            &doc(),
            &no_config(),
            &["oa_one".into()],
            &[set, endpoint],
            Selection::Named,
        )
        .unwrap();
        assert_eq!(
            vars(&exports),
            [("OPENAI_API_KEY", "sk-test-2"), ("EP", "https://x")]
        );
    }

    #[test]
    fn two_targets_claiming_one_variable_fail() {
        let err = resolve(
            &doc(),
            &no_config(),
            &["oa_one".into(), "oa_two".into()],
            &[],
            Selection::Named,
        )
        .unwrap_err();
        assert!(matches!(err, Error::DuplicateVariable { .. }), "{err}");
    }

    #[test]
    fn no_target_exports_every_provider_secret_first_name_wins() {
        let (exports, warnings) =
            resolve(&doc(), &no_config(), &[], &[], Selection::Named).unwrap();
        let names: Vec<_> = exports.iter().map(|e| e.var.as_str()).collect();
        assert!(names.contains(&"GEMINI_API_KEY"));
        assert!(!names.contains(&"PLAIN_KEY"));
        let openai = exports.iter().find(|e| e.var == "OPENAI_API_KEY").unwrap();
        assert_eq!(openai.value.expose(), "sk-test-1");
        assert_eq!(warnings.len(), 1);
        assert!(!warnings[0].contains("sk-test"));
    }

    #[test]
    fn unknown_targets_and_fields_fail_with_suggestions() {
        let err = resolve(
            &doc(),
            &no_config(),
            &["oa_onw".into()],
            &[],
            Selection::Named,
        )
        .unwrap_err();
        assert!(matches!(&err, Error::TargetNotFound { suggestion: Some(s), .. } if s == "oa_one"));
        let missing: Mapping = "X=az.nope".parse().unwrap();
        let err = resolve(&doc(), &no_config(), &[], &[missing], Selection::Named).unwrap_err();
        assert!(matches!(err, Error::FieldNotFound { .. }));
    }

    #[test]
    fn references_resolve_connectors_first_then_secrets() {
        let mut d = doc();
        d.secrets.insert(
            "work".into(),
            record(None, &[("api_key", "sk-test-secret-work")]),
        );
        let config = connectors();
        let resolve = |text: &str| {
            resolve_reference(&Reference::parse(text).unwrap(), &d, &config)
                .map(|v| v.expose().to_owned())
        };
        // `work` is a connector (its secret is oa_one) and a secret: the connector wins.
        assert_eq!(resolve("byok://work").unwrap(), "sk-test-1");
        assert!(matches!(
            resolve("byok://work/api_key"),
            Err(Error::Usage(_))
        ));
        assert_eq!(resolve("byok://az/endpoint").unwrap(), "https://x");
        assert_eq!(resolve("byok://plain_key").unwrap(), "p-test");
        assert!(matches!(
            resolve("byok://nope"),
            Err(Error::SecretNotFound { .. })
        ));
        assert!(matches!(
            resolve("byok://az/nope"),
            Err(Error::FieldNotFound { .. })
        ));
    }

    #[test]
    fn mappings_parse() {
        assert_eq!(
            "A=b".parse::<Mapping>().unwrap(),
            Mapping {
                var: "A".into(),
                reference: "b".into(),
                field: "api_key".into()
            }
        );
        assert!("1A=b".parse::<Mapping>().is_err());
        assert!("A".parse::<Mapping>().is_err());
        assert!("A=B".parse::<Mapping>().is_err());
        assert!("A=b.".parse::<Mapping>().is_err());
    }
}
