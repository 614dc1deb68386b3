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

/// Applies `put` to the document. Values go into the record when `holder` is `None`, else
/// the record only lists the fields (their values live in the store named `holder`).
///
/// Returns whether the record was created and what happened to each field; on error the
/// document may be half-changed, so callers discard it (the vault then writes nothing).
pub fn apply(
    doc: &mut VaultDoc,
    put: &Put,
    holder: Option<&str>,
) -> Result<(bool, Vec<FieldChange>)> {
    let reference = put.reference.as_str();
    let records = doc.records_mut(holder);
    let exists = records.contains_key(reference);
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
    let record = records
        .entry(reference.to_owned())
        .or_insert_with(|| SecretRecord::new(reference.to_owned(), &put.now));
    record.store = holder.map(str::to_owned);
    if !put.replace
        && let Some((field, _)) = put
            .values
            .iter()
            .find(|(f, _)| record.fields.contains_key(f))
    {
        return Err(Error::FieldExists {
            reference: reference.to_owned(),
            field: field.clone(),
        });
    }
    let here = |value: &SecretValue| holder.is_none().then(|| value.clone());
    let mut changes = Vec::new();
    for (field, value) in &put.values {
        match record.fields.insert(field.clone(), here(value)) {
            Some(old) => {
                if put.exact.is_none() {
                    record.previous.insert(field.clone(), old);
                    record.rotated = put.now.clone();
                }
                changes.push(FieldChange::Replaced(field.clone()));
            }
            None => changes.push(FieldChange::Added(field.clone())),
        }
    }
    if let Some(label) = &put.label {
        record.label = label.clone();
    }
    if let Some(provider) = &put.provider {
        record.provider = Some(provider.clone());
    }
    if let Some(expires) = &put.expires {
        record.expires = expires.clone();
    }
    if let Some(reveal) = &put.reveal {
        record.reveal = Some(reveal.clone());
    }
    record.updated = put.now.clone();
    if let Some(exact) = &put.exact {
        let m = &exact.meta;
        record.label = m.label.clone();
        record.provider = m.provider.clone();
        record.kind = m.kind.clone();
        record.expires = m.expires.clone();
        record.reveal = m.reveal.clone();
        record.tags = m.tags.clone();
        if let Some(created) = &m.created {
            record.created = created.clone();
        }
        if let Some(rotated) = &m.rotated {
            record.rotated = rotated.clone();
        }
        record.previous = exact
            .previous
            .iter()
            .map(|(field, value)| (field.clone(), here(value)))
            .collect();
    }
    Ok((!exists, changes))
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
