//! Moving a secret between stores, or renaming it: copy, verify, then delete.
//!
//! One routine for every pair of stores, so a failure at any step loses nothing: until the
//! copy has been read back and compared, the source is untouched; a copy that does not
//! verify is removed again; and if removing the source fails, the secret is in both stores
//! (the error says so) rather than in neither.

use super::{Exact, Put, PutMode, Store};
use crate::error::{Error, Result};
use crate::secret::SecretValue;

/// Where a fault can be injected in debug builds (`BYOK_FAULT`), to test the routine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Fail after the copy is written and verified, before the source is removed.
    AfterCopy,
    /// Make the verification fail (as if the destination returned other values).
    Verify,
}

/// Copies `reference` from `from` to `to` as `new_reference` (metadata, timestamps, every
/// field and previous value), checks the copy, then removes the source.
pub fn transfer<F: Store + ?Sized, T: Store + ?Sized>(
    from: &F,
    to: &T,
    reference: &str,
    new_reference: &str,
    now: &str,
    fault: Option<Fault>,
) -> Result<()> {
    let meta = from.find(reference)?.ok_or_else(|| Error::SecretNotFound {
        name: reference.to_owned(),
        suggestion: None,
    })?;
    if to.find(new_reference)?.is_some() {
        return Err(Error::SecretExistsIn {
            name: new_reference.to_owned(),
            store: to.name().to_owned(),
        });
    }
    let fields: Vec<&str> = meta.fields.iter().map(String::as_str).collect();
    let values = from
        .get_many(reference, &fields)?
        .into_iter()
        .zip(&fields)
        .map(|(value, field)| {
            value.ok_or_else(|| Error::MissingInStore {
                reference: reference.to_owned(),
                field: (*field).to_owned(),
                store: from.name().to_owned(),
            })
        })
        .collect::<Result<Vec<SecretValue>>>()?;
    let previous_fields: Vec<&str> = meta.previous.iter().map(String::as_str).collect();
    let previous: Vec<(String, SecretValue)> = from
        .get_previous(reference, &previous_fields)?
        .into_iter()
        .zip(&previous_fields)
        .filter_map(|(value, field)| Some(((*field).to_owned(), value?)))
        .collect();

    let mut copied_meta = meta.clone();
    if new_reference != reference && copied_meta.label == reference {
        // A label that was only the default follows the new name.
        copied_meta.label = new_reference.to_owned();
    }
    let mut put = Put::new(new_reference, PutMode::Create, now);
    put.replace = true;
    put.values = fields
        .iter()
        .map(|f| (*f).to_owned())
        .zip(values.iter().cloned())
        .collect();
    put.exact = Some(Exact {
        meta: copied_meta,
        previous,
    });
    to.put(vec![put])?;

    // Read back from the backend itself, not from what this process just wrote.
    to.refresh();
    let copied = to.get_many(new_reference, &fields)?;
    let same = copied.len() == values.len()
        && copied
            .iter()
            .zip(&values)
            .all(|(c, v)| c.as_ref().is_some_and(|c| c.expose() == v.expose()));
    if !same || fault == Some(Fault::Verify) {
        let reason = match to.delete(new_reference) {
            Ok(_) => "the copy read back differs from the original; the copy was removed and the original kept".to_owned(),
            Err(e) => format!(
                "the copy read back differs from the original, and removing the copy failed ({e}); the original was kept"
            ),
        };
        return Err(Error::TransferFailed {
            reference: reference.to_owned(),
            from: from.name().to_owned(),
            to: to.name().to_owned(),
            reason,
        });
    }
    if fault == Some(Fault::AfterCopy) {
        return Err(Error::TransferFailed {
            reference: reference.to_owned(),
            from: from.name().to_owned(),
            to: to.name().to_owned(),
            reason: "injected fault after the copy (BYOK_FAULT); the secret is in both stores"
                .into(),
        });
    }
    from.delete(reference).map_err(|e| Error::TransferFailed {
        reference: reference.to_owned(),
        from: from.name().to_owned(),
        to: to.name().to_owned(),
        reason: format!(
            "copied and verified, but removing the original failed ({e}); the secret is in both stores"
        ),
    })?;
    Ok(())
}
