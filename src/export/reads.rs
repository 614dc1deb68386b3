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
    log(ctx, reads, Ok(()))
}

/// Runs `policy` (the reveal check) on what was read, then audits the reads: as `ok` when
/// it allows them, as refused (with the exit code) when it does not, so a refused read is
/// in the log like any other attempt.
pub fn audit_after(
    ctx: &crate::context::Context,
    reads: &[Read],
    policy: impl FnOnce() -> Result<()>,
) -> Result<()> {
    match policy() {
        Ok(()) => audit(ctx, reads),
        Err(refused) => {
            // The refusal is what the user needs to see; a log that cannot be written is
            // reported by `doctor`.
            let _ = log(ctx, reads, Err(refused.exit() as u8));
            Err(refused)
        }
    }
}

fn log(
    ctx: &crate::context::Context,
    reads: &[Read],
    outcome: std::result::Result<(), u8>,
) -> Result<()> {
    for read in reads {
        ctx.audit_now(
            crate::hygiene::audit::Entry::secret(
                "secret.read",
                &read.meta.reference,
                Some(&read.store),
            ),
            outcome,
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
