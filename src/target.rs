//! What `byok env` and `byok exec` export: targets resolved to environment variables.
//!
//! A target names something that holds a key. Today that is a secret's ref name; connectors
//! (a named provider configuration in `config.toml`) will join as [`Target::Connector`], and a
//! connector name will win over a secret of the same name. The seam for them is
//! [`exports_for_key`], which takes the variable names from a provider spec.
//!
//! Rules for a secret target:
//! * with a provider hint, its `api_key` goes to each of the provider's `key_env_vars`
//!   (`gemini` → `GEMINI_API_KEY` and `GOOGLE_API_KEY`), and a few well-known extra fields go
//!   to their conventional variables ([`FIELD_VARS`], e.g. Azure's `endpoint`);
//! * without one, its `api_key` goes to `REF_UPPERCASED`;
//! * `--set VAR=REF[.FIELD]` maps any field to any variable and beats the rules above.
//!
//! With no target and no `--set`, every secret with a provider hint is exported.

use std::str::FromStr;

use crate::error::{Error, Result, suggest};
use crate::names;
use crate::provider::catalog::{self, ProviderSpec};
use crate::secret::SecretValue;
use crate::shell::valid_var_name;
use crate::store::Store;
use crate::store::vault::{SecretRecord, VaultDoc};

/// The field a key lives in.
pub const KEY_FIELD: &str = "api_key";

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
    // Connector(ConnectorName) arrives with the connectors branch; `classify` will look
    // connectors up first so their names win.
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
        if !names::is_valid(reference) {
            return Err(format!(
                "invalid ref name '{reference}': a ref name is {}",
                crate::error::REF_RULE
            ));
        }
        if !names::is_valid(field) {
            return Err(format!("invalid field name '{field}'"));
        }
        Ok(Mapping {
            var: var.to_owned(),
            reference: reference.to_owned(),
            field: field.to_owned(),
        })
    }
}

/// Decides what a command-line name refers to.
pub fn classify(name: &str, doc: &VaultDoc) -> Result<Target> {
    names::check_ref(name)?;
    if doc.secrets.contains_key(name) {
        Ok(Target::Secret(name.to_owned()))
    } else {
        Err(not_found(name, doc))
    }
}

/// The variables for `targets` and `mappings`, in a stable order, names unique.
///
/// Fails before anything is exported when a target or a mapped field does not exist, or when
/// two explicit sources claim the same variable. With no targets and no mappings, every
/// secret with a provider hint is exported; a variable two of them claim goes to the first
/// ref name in sort order, and the others are reported in the returned warnings.
pub fn resolve(
    doc: &VaultDoc,
    targets: &[String],
    mappings: &[Mapping],
) -> Result<(Vec<Export>, Vec<String>)> {
    let mut exports: Vec<Export> = Vec::new();
    let mut warnings = Vec::new();
    if targets.is_empty() && mappings.is_empty() {
        for (reference, record) in &doc.secrets {
            let Some(spec) = record.provider.as_deref().and_then(catalog::lookup) else {
                continue;
            };
            for export in secret_exports(reference, record, Some(spec))? {
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
        match classify(name, doc)? {
            Target::Secret(reference) => {
                let record = &doc.secrets[&reference];
                let spec = record.provider.as_deref().and_then(catalog::lookup);
                for export in secret_exports(&reference, record, spec)? {
                    push_unique(&mut exports, export)?;
                }
            }
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
    reference: &str,
    record: &SecretRecord,
    spec: Option<&ProviderSpec>,
) -> Result<Vec<Export>> {
    let key = present_value(record, KEY_FIELD).ok_or_else(|| Error::FieldNotFound {
        reference: reference.to_owned(),
        field: KEY_FIELD.to_owned(),
        fields: record.fields.keys().cloned().collect(),
    })?;
    let origin = format!("{reference}.{KEY_FIELD}");
    let Some(spec) = spec.filter(|s| !s.key_env_vars.is_empty()) else {
        return Ok(exports_for_key(&[&default_var(reference)], &key, &origin));
    };
    let mut exports = exports_for_key(spec.key_env_vars, &key, &origin);
    for (_, field, var) in FIELD_VARS.iter().filter(|(id, _, _)| *id == spec.id) {
        if let Some(value) = present_value(record, field) {
            exports.push(Export {
                var: (*var).to_owned(),
                value,
                origin: format!("{reference}.{field}"),
            });
        }
    }
    Ok(exports)
}

fn present_value(record: &SecretRecord, field: &str) -> Option<SecretValue> {
    record.fields.get(field).and_then(Clone::clone)
}

fn field_value(doc: &VaultDoc, reference: &str, field: &str) -> Result<SecretValue> {
    let record = doc
        .secrets
        .get(reference)
        .ok_or_else(|| not_found(reference, doc))?;
    doc.get(reference, field)?
        .ok_or_else(|| Error::FieldNotFound {
            reference: reference.to_owned(),
            field: field.to_owned(),
            fields: record.fields.keys().cloned().collect(),
        })
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

fn not_found(name: &str, doc: &VaultDoc) -> Error {
    Error::SecretNotFound {
        name: name.to_owned(),
        suggestion: suggest(name, doc.secrets.keys().map(String::as_str)),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn record(provider: Option<&str>, fields: &[(&str, &str)]) -> SecretRecord {
        SecretRecord {
            label: "l".into(),
            provider: provider.map(str::to_owned),
            store: Default::default(),
            created: String::new(),
            updated: String::new(),
            rotated: String::new(),
            fields: fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), Some(SecretValue::new((*v).to_owned()))))
                .collect::<BTreeMap<_, _>>(),
        }
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
        let (exports, _) = resolve(&doc(), &["gem".into(), "az".into()], &[]).unwrap();
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
        let (exports, _) = resolve(&doc(), &["plain_key".into()], &[]).unwrap();
        assert_eq!(vars(&exports), [("PLAIN_KEY", "p-test")]);
    }

    #[test]
    fn set_maps_any_field_and_beats_the_target() {
        let set: Mapping = "OPENAI_API_KEY=oa_two".parse().unwrap();
        let endpoint: Mapping = "EP=az.endpoint".parse().unwrap();
        let (exports, _) = resolve(&doc(), &["oa_one".into()], &[set, endpoint]).unwrap();
        assert_eq!(
            vars(&exports),
            [("OPENAI_API_KEY", "sk-test-2"), ("EP", "https://x")]
        );
    }

    #[test]
    fn two_targets_claiming_one_variable_fail() {
        let err = resolve(&doc(), &["oa_one".into(), "oa_two".into()], &[]).unwrap_err();
        assert!(matches!(err, Error::DuplicateVariable { .. }), "{err}");
    }

    #[test]
    fn no_target_exports_every_provider_secret_first_name_wins() {
        let (exports, warnings) = resolve(&doc(), &[], &[]).unwrap();
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
        let err = resolve(&doc(), &["oa_onw".into()], &[]).unwrap_err();
        assert!(matches!(&err, Error::SecretNotFound { suggestion: Some(s), .. } if s == "oa_one"));
        let missing: Mapping = "X=az.nope".parse().unwrap();
        let err = resolve(&doc(), &[], &[missing]).unwrap_err();
        assert!(matches!(err, Error::FieldNotFound { .. }));
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
