//! `byok://` references in a program's environment, the way `op run` does it: `byok exec`
//! replaces every variable whose value is a reference with the value it stands for, in
//! byok's own environment and in `--env-file` files.
//!
//! A reference in byok's environment was put there by the user. A file is another matter:
//! a cloned repository's `.env` could pair `OPENAI_API_KEY=byok://work` with its own
//! `OPENAI_BASE_URL`, so a file's references are resolved only when the file is trusted
//! ([`crate::scope::trust`], `byok trust FILE`) with exactly the contents read. A file without
//! references needs no trust: its plain values pass through as they are.

use std::ffi::OsString;
use std::path::Path;

use zeroize::Zeroizing;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::export::reference::{self, Reference};
use crate::export::target::{self, Export};
use crate::scope::trust::{self, TrustFile};
use crate::secret::SecretValue;

/// The variables of a dotenv file, in file order (a later line wins). Fails when the file
/// holds a reference and is not trusted with these contents (exit 8).
pub fn read_env_file(ctx: &Context, path: &Path) -> Result<Vec<(OsString, OsString)>> {
    let file = TrustFile::read(path)?;
    let entries = crate::import::dotenv::parse(file.text()?).map_err(|source| Error::Import {
        origin: Some(file.path.display().to_string()),
        source,
    })?;
    let has_references = entries
        .iter()
        .any(|(_, value)| reference::is_reference(secrecy::ExposeSecret::expose_secret(value)));
    if has_references {
        trust::require(&ctx.settings.paths, &file)?;
    }
    Ok(entries
        .into_iter()
        .map(|(name, value)| {
            let value = Zeroizing::new(secrecy::ExposeSecret::expose_secret(&value).to_owned());
            (OsString::from(name), OsString::from(value.as_str()))
        })
        .collect())
}

/// Whether any value is a reference (before anything is unlocked).
pub fn any_reference(env: &[(OsString, OsString)]) -> bool {
    env.iter()
        .any(|(_, value)| value.to_str().is_some_and(reference::is_reference))
}

/// Replaces every reference-valued variable of `env` with its value; returns what was set,
/// for `--redact` and the admin-key rule. All references are parsed before any is resolved,
/// and the first that fails to resolve fails the whole call: nothing runs half-configured.
pub fn resolve_in_place(ctx: &Context, env: &mut [(OsString, OsString)]) -> Result<Vec<Export>> {
    let mut found: Vec<(usize, Reference)> = Vec::new();
    for (index, (name, value)) in env.iter().enumerate() {
        let Some(text) = value.to_str().filter(|v| reference::is_reference(v)) else {
            continue;
        };
        let var = name.to_string_lossy();
        found.push((index, Reference::parse_in(&var, text)?));
    }
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let config = ctx.config()?;
    config.check_connectors(&ctx.settings.paths.config())?;
    let registry = ctx.registry()?;
    let recording = crate::export::reads::Recording::new(registry);
    let mut exports = Vec::with_capacity(found.len());
    for (index, reference) in found {
        let var = env[index].0.to_string_lossy().into_owned();
        // Named by variable and reference: "no secret 'x'" alone does not say which
        // variable of a long environment asked for it.
        let value: SecretValue = target::resolve_reference(&reference, &recording, config)
            .map_err(|e| Error::VarUnresolved {
                var: var.clone(),
                reference: crate::export::reads::shown(&reference),
                cause: Box::new(e),
            })?;
        let origin = match &reference.field {
            Some(field) => format!("byok://{}/{field} in {var}", reference.name),
            None => format!("byok://{} in {var}", reference.name),
        };
        exports.push((index, Export { var, value, origin }));
    }
    // Logged before the command runs (on Unix byok becomes the command), as for targets.
    crate::export::reads::audit(ctx, &recording.into_reads())?;
    for (index, export) in &exports {
        env[*index].1 = OsString::from(export.value.expose());
    }
    Ok(exports.into_iter().map(|(_, export)| export).collect())
}
