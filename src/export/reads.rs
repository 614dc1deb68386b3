//! The secrets an export actually read, recorded while it resolves: `env` checks each one's
//! reveal policy and `env`/`exec` audit each one — from the one resolution that produced
//! the values, so what is checked and logged is exactly what is exported.

use std::cell::RefCell;

use crate::error::Result;
use crate::export::target::Secrets;
use crate::secret::SecretValue;
use crate::store::Meta;
use crate::store::registry::{Registry, value_of};

/// One secret whose value was read: its metadata and the store that gave it.
#[derive(Clone, Debug)]
pub struct Read {
    pub meta: Meta,
    pub store: String,
}

/// The registry as [`Secrets`], noting each secret a value is read from (once per ref).
pub struct Recording<'r> {
    registry: &'r Registry,
    read: RefCell<Vec<Read>>,
}

impl<'r> Recording<'r> {
    pub fn new(registry: &'r Registry) -> Self {
        Recording {
            registry,
            read: RefCell::new(Vec::new()),
        }
    }

    /// What was read, in the order first read.
    pub fn into_reads(self) -> Vec<Read> {
        self.read.into_inner()
    }
}

impl Secrets for Recording<'_> {
    fn find(&self, name: &str) -> Result<Option<Meta>> {
        Secrets::find(self.registry, name)
    }

    fn value(&self, meta: &Meta, field: &str) -> Result<SecretValue> {
        let located = self.registry.resolve(&meta.reference, None)?;
        let value = value_of(&located, field)?;
        let mut read = self.read.borrow_mut();
        if !read
            .iter()
            .any(|r| r.meta.reference == located.meta.reference)
        {
            read.push(Read {
                store: located.store.name().to_owned(),
                meta: located.meta,
            });
        }
        Ok(value)
    }

    fn all(&self) -> Result<Vec<Meta>> {
        Secrets::all(self.registry)
    }
}

/// Appends a `secret.read` audit entry for each secret read (before the values are handed
/// over: on Unix `exec` becomes the command).
pub fn audit(ctx: &crate::context::Context, reads: &[Read]) -> Result<()> {
    for read in reads {
        ctx.audit_now(
            crate::hygiene::audit::Entry::secret(
                "secret.read",
                &read.meta.reference,
                Some(&read.store),
            ),
            Ok(()),
        )?;
    }
    Ok(())
}

/// `byok://NAME` or `byok://NAME/FIELD`, for messages.
pub fn shown(reference: &crate::export::reference::Reference) -> String {
    match &reference.field {
        Some(field) => format!("byok://{}/{field}", reference.name),
        None => format!("byok://{}", reference.name),
    }
}
