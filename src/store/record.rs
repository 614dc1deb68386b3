//! The bookkeeping every record-keeping store shares: how a [`Put`] changes a
//! [`SecretRecord`] (timestamps, previous values, field checks), and the record's [`Meta`].
//!
//! The vault keeps values in its records; the keychain keeps records without values as its
//! index (in the home vault) and the values in the OS. Both apply writes through [`apply`],
//! so the rules — what counts as a rotation, when a field may be replaced — are written once.

use super::vault::doc::{SecretRecord, VaultDoc};
use super::{Meta, Put, PutMode};
use crate::error::{Error, Result};
use crate::secret::SecretValue;

/// The metadata of a record.
pub fn meta_of(reference: &str, record: &SecretRecord) -> Meta {
    Meta {
        reference: reference.to_owned(),
        label: record.label.clone(),
        provider: record.provider.clone(),
        kind: record.kind.clone(),
        fields: record.fields.keys().cloned().collect(),
        created: Some(record.created.clone()),
        updated: Some(record.updated.clone()),
        rotated: Some(record.rotated.clone()),
        expires: record.expires.clone(),
        reveal: record.reveal.clone(),
        tags: record.tags.clone(),
        previous: record.previous.keys().cloned().collect(),
    }
}

/// What a write did to one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldChange {
    Added(String),
    /// The field had a value, which is now its previous value.
    Replaced(String),
}

/// How a put changes a secret's metadata, whatever the store keeps it in: `None` leaves a
/// setting as it is; `Some(None)` clears an optional one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MetaChange {
    pub label: Option<String>,
    pub provider: Option<Option<String>>,
    pub kind: Option<Option<String>>,
    pub expires: Option<Option<String>>,
    pub reveal: Option<Option<String>>,
    pub tags: Option<Vec<String>>,
    pub created: Option<String>,
    pub rotated: Option<String>,
}

/// What a put does to one secret, decided before anything is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The secret did not exist.
    pub created: bool,
    /// Per field of the put, in its order.
    pub changes: Vec<FieldChange>,
    pub meta: MetaChange,
}

/// The rules of a put, for every store: the mode (create/update) against whether the secret
/// `exists`, a field that has a value (`has_field`) only with `replace`, and the metadata a
/// put sets — a new secret's label, created and rotated times; a replaced value (not an
/// exact copy) is a rotation; `label`, `provider`, `expires` and `reveal` when given; an
/// exact copy ([`super::Exact`]) sets every setting as copied.
pub fn plan(put: &Put, exists: bool, has_field: impl Fn(&str) -> bool) -> Result<Plan> {
    let reference = put.reference.as_str();
    match (put.mode, exists) {
        (PutMode::Create, true) => {
            return Err(Error::SecretExists {
                name: reference.to_owned(),
            });
        }
        (PutMode::Update, false) => {
            return Err(Error::SecretNotFound {
                name: reference.to_owned(),
                suggestion: None,
            });
        }
        _ => {}
    }
    if !put.replace
        && let Some((field, _)) = put.values.iter().find(|(f, _)| has_field(f))
    {
        return Err(Error::FieldExists {
            reference: reference.to_owned(),
            field: field.clone(),
        });
    }
    let mut seen = std::collections::BTreeSet::new();
    let changes: Vec<FieldChange> = put
        .values
        .iter()
        .map(|(field, _)| {
            if has_field(field) || !seen.insert(field.as_str()) {
                FieldChange::Replaced(field.clone())
            } else {
                FieldChange::Added(field.clone())
            }
        })
        .collect();
    let mut meta = MetaChange::default();
    if !exists {
        meta.label = Some(reference.to_owned());
        meta.created = Some(put.now.clone());
        meta.rotated = Some(put.now.clone());
    }
    if let Some(label) = &put.label {
        meta.label = Some(label.clone());
    }
    if let Some(provider) = &put.provider {
        meta.provider = Some(Some(provider.clone()));
    }
    if let Some(expires) = &put.expires {
        meta.expires = Some(expires.clone());
    }
    if let Some(reveal) = &put.reveal {
        meta.reveal = Some(Some(reveal.clone()));
    }
    if let Some(kind) = &put.kind {
        meta.kind = Some(Some(kind.clone()));
    }
    let rotated = changes
        .iter()
        .any(|c| matches!(c, FieldChange::Replaced(_)));
    if rotated && put.exact.is_none() {
        meta.rotated = Some(put.now.clone());
    }
    if let Some(exact) = &put.exact {
        let m = &exact.meta;
        meta.label = Some(m.label.clone());
        meta.provider = Some(m.provider.clone());
        meta.kind = Some(m.kind.clone());
        meta.expires = Some(m.expires.clone());
        meta.reveal = Some(m.reveal.clone());
        meta.tags = Some(m.tags.clone());
        if let Some(created) = &m.created {
            meta.created = Some(created.clone());
        }
        if let Some(rotated) = &m.rotated {
            meta.rotated = Some(rotated.clone());
        }
    }
    Ok(Plan {
        created: !exists,
        changes,
        meta,
    })
}

/// Applies `put` to the document. Values go into the record when `holder` is `None`, else
/// the record only lists the fields (their values live in the store named `holder`).
///
/// Returns whether the record was created and what happened to each field; on error the
/// document is unchanged.
pub fn apply(
    doc: &mut VaultDoc,
    put: &Put,
    holder: Option<&str>,
) -> Result<(bool, Vec<FieldChange>)> {
    let reference = put.reference.as_str();
    let records = doc.records_mut(holder);
    let existing = records.get(reference);
    let plan = plan(put, existing.is_some(), |field| {
        existing.is_some_and(|r| r.fields.contains_key(field))
    })?;
    let record = records
        .entry(reference.to_owned())
        .or_insert_with(|| SecretRecord::new(reference.to_owned(), &put.now));
    record.store = holder.map(str::to_owned);
    let here = |value: &SecretValue| holder.is_none().then(|| value.clone());
    for (field, value) in &put.values {
        if let Some(old) = record.fields.insert(field.clone(), here(value))
            && put.exact.is_none()
        {
            record.previous.insert(field.clone(), old);
        }
    }
    let m = plan.meta;
    if let Some(label) = m.label {
        record.label = label;
    }
    if let Some(provider) = m.provider {
        record.provider = provider;
    }
    if let Some(kind) = m.kind {
        record.kind = kind;
    }
    if let Some(expires) = m.expires {
        record.expires = expires;
    }
    if let Some(reveal) = m.reveal {
        record.reveal = reveal;
    }
    if let Some(tags) = m.tags {
        record.tags = tags;
    }
    if let Some(created) = m.created {
        record.created = created;
    }
    if let Some(rotated) = m.rotated {
        record.rotated = rotated;
    }
    record.updated = put.now.clone();
    if let Some(exact) = &put.exact {
        record.previous = exact
            .previous
            .iter()
            .map(|(field, value)| (field.clone(), here(value)))
            .collect();
    }
    Ok((plan.created, plan.changes))
}

/// Swaps current and previous values in a record that keeps its values; returns the fields.
pub fn swap_previous(
    record: &mut SecretRecord,
    reference: &str,
    fields: &[String],
    now: &str,
) -> Result<Vec<String>> {
    let chosen = choose_rollback_fields(reference, &record.fields, &record.previous, fields)?;
    for field in &chosen {
        let previous = record.previous.remove(field).flatten();
        let current = record.fields.insert(field.clone(), previous).flatten();
        record.previous.insert(field.clone(), current);
    }
    record.rotated = now.to_owned();
    record.updated = now.to_owned();
    Ok(chosen)
}

/// The fields a rollback touches: those asked for (each must have a previous value), or
/// every field that has one.
pub fn choose_rollback_fields<V>(
    reference: &str,
    fields: &std::collections::BTreeMap<String, V>,
    previous: &std::collections::BTreeMap<String, V>,
    asked: &[String],
) -> Result<Vec<String>> {
    if asked.is_empty() {
        if previous.is_empty() {
            return Err(Error::NothingToRollBack {
                reference: reference.to_owned(),
                field: None,
            });
        }
        return Ok(previous.keys().cloned().collect());
    }
    for field in asked {
        if !fields.contains_key(field) {
            return Err(Error::FieldNotFound {
                reference: reference.to_owned(),
                field: field.clone(),
                fields: fields.keys().cloned().collect(),
            });
        }
        if !previous.contains_key(field) {
            return Err(Error::NothingToRollBack {
                reference: reference.to_owned(),
                field: Some(field.clone()),
            });
        }
    }
    Ok(asked.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Exact, Meta};

    fn put(mode: PutMode, fields: &[&str]) -> Put {
        let mut put = Put::new("k", mode, "2026-12-05T00:00:00Z");
        put.values = fields
            .iter()
            .map(|f| ((*f).to_owned(), SecretValue::new("sk-test-plan".into())))
            .collect();
        put
    }

    #[test]
    fn the_mode_and_existing_fields_are_checked_first() {
        let none = |_: &str| false;
        let api_key = |f: &str| f == "api_key";
        assert!(matches!(
            plan(&put(PutMode::Create, &["api_key"]), true, none),
            Err(Error::SecretExists { .. })
        ));
        assert!(matches!(
            plan(&put(PutMode::Update, &["api_key"]), false, none),
            Err(Error::SecretNotFound { .. })
        ));
        assert!(matches!(
            plan(&put(PutMode::Upsert, &["api_key"]), true, api_key),
            Err(Error::FieldExists { .. })
        ));
        let mut replace = put(PutMode::Upsert, &["api_key", "org"]);
        replace.replace = true;
        let p = plan(&replace, true, api_key).unwrap();
        assert!(!p.created);
        assert_eq!(
            p.changes,
            [
                FieldChange::Replaced("api_key".into()),
                FieldChange::Added("org".into())
            ]
        );
        // A replaced value is a rotation.
        assert_eq!(p.meta.rotated.as_deref(), Some("2026-12-05T00:00:00Z"));
        assert_eq!(p.meta.created, None);
    }

    #[test]
    fn a_new_secret_gets_its_label_and_times_and_every_given_setting() {
        let mut p = put(PutMode::Create, &["api_key"]);
        p.provider = Some("openai".into());
        p.expires = Some(Some("2027-01-01".into()));
        p.reveal = Some("never".into());
        let planned = plan(&p, false, |_| false).unwrap();
        assert!(planned.created);
        let m = planned.meta;
        assert_eq!(m.label.as_deref(), Some("k"));
        assert_eq!(m.created.as_deref(), Some("2026-12-05T00:00:00Z"));
        assert_eq!(m.provider, Some(Some("openai".into())));
        assert_eq!(m.expires, Some(Some("2027-01-01".into())));
        assert_eq!(m.reveal, Some(Some("never".into())));
        assert_eq!(m.kind, None);
        // Clearing an expiry on an existing secret, nothing else.
        let mut clear = put(PutMode::Update, &[]);
        clear.expires = Some(None);
        let m = plan(&clear, true, |_| false).unwrap().meta;
        assert_eq!(
            m,
            MetaChange {
                expires: Some(None),
                ..MetaChange::default()
            }
        );
    }

    #[test]
    fn an_exact_copy_sets_every_setting_and_is_no_rotation() {
        let mut p = put(PutMode::Upsert, &["api_key"]);
        p.replace = true;
        p.exact = Some(Exact {
            meta: Meta {
                reference: "k".into(),
                label: "copied".into(),
                kind: Some("admin".into()),
                tags: vec!["a".into()],
                created: Some("2020-01-01T00:00:00Z".into()),
                rotated: Some("2021-01-01T00:00:00Z".into()),
                reveal: Some("pipe".into()),
                ..Meta::default()
            },
            previous: Vec::new(),
        });
        let m = plan(&p, true, |_| true).unwrap().meta;
        assert_eq!(m.label.as_deref(), Some("copied"));
        assert_eq!(m.kind, Some(Some("admin".into())));
        assert_eq!(m.provider, Some(None));
        assert_eq!(m.tags, Some(vec!["a".to_owned()]));
        assert_eq!(m.created.as_deref(), Some("2020-01-01T00:00:00Z"));
        assert_eq!(m.rotated.as_deref(), Some("2021-01-01T00:00:00Z"));
        assert_eq!(m.reveal, Some(Some("pipe".into())));
    }
}
