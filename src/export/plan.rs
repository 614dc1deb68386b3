//! What a program is handed, planned in one place for every export path: `env` prints it,
//! `exec` runs a child with it, the shell hook loads it — in a trusted project the
//! variables `.byok.toml` declares ([`project`]), else the TARGETs named on the command line
//! ([`targets`]); `inject` writes it into a file ([`template`]). Each plan also returns the secrets whose values were read, from this same
//! resolution, for the reveal gate and the audit; the child's environment around it is built
//! by [`crate::export::child::environment`].

use crate::context::Context;
use crate::error::{Error, Result};
use crate::export::reads::{Read, Recording};
use crate::export::target::{self, Export};
use crate::scope::project::{self, Binding};
use crate::term::output;

/// What `env`/`exec` export with no TARGET: `None` outside a project; in an untrusted or
/// changed project exit 8; in a trusted one exactly the variables it declares for the
/// active environment, then its `connectors`' variables (a declared variable wins). Also
/// returns each secret whose value was read, for the reveal check and the audit.
pub fn project(ctx: &Context) -> Result<Option<(Vec<Export>, Vec<Read>)>> {
    let Some(project) = ctx.project()? else {
        return Ok(None);
    };
    project.require_trusted()?;
    let doc = project.doc()?;
    let env = project::active_env(ctx.settings.project_env.as_deref(), &doc);
    let config = ctx.config()?;
    config.check_connectors(&ctx.settings.paths.config())?;
    let registry = ctx.registry()?;
    let recording = Recording::new(registry);
    let mut exports = Vec::new();
    for (var, binding) in doc.bindings(env) {
        let reference = match binding {
            Binding::Ref { reference, .. } => reference,
            Binding::Missing { env } => return Err(Error::ProjectVarMissing { var, env }),
        };
        let value =
            target::resolve_reference(&reference, &recording, config).map_err(|e| match e {
                Error::SecretNotFound { .. } | Error::ConnectorSecretMissing { .. } => {
                    Error::ProjectRefNotFound {
                        var: var.clone(),
                        name: reference.name.clone(),
                    }
                }
                other => Error::VarUnresolved {
                    var: var.clone(),
                    reference: crate::export::reads::shown(&reference),
                    cause: Box::new(other),
                },
            })?;
        let origin = format!(
            "byok://{} in {}",
            reference.name,
            project.file.path.display()
        );
        exports.push(Export { var, value, origin });
    }
    if !doc.connectors.is_empty() {
        let (found, warnings) = target::resolve(
            &recording,
            config,
            &doc.connectors,
            &[],
            target::Selection::Named,
        )?;
        for warning in &warnings {
            output::warn(&ctx.settings, warning);
        }
        for export in found {
            if !exports.iter().any(|e| e.var == export.var) {
                exports.push(export);
            }
        }
    }
    Ok(Some((exports, recording.into_reads())))
}

/// What `env` and `exec` export: reads the connectors, resolves the targets through the
/// store registry, and prints the warnings. Also returns the secrets whose values were
/// read (for the reveal check and the audit), from this same resolution.
pub fn targets(
    ctx: &Context,
    targets: &[String],
    mappings: &[String],
    default_only: bool,
) -> Result<(
    Vec<crate::export::target::Export>,
    Vec<crate::export::reads::Read>,
)> {
    use crate::export::target::{self, Mapping, Selection};
    let settings = &ctx.settings;
    // Parsed here rather than by clap, whose error would quote the whole argument: a
    // mistyped `--set VAR=<key>` must not print the key.
    let mappings = mappings
        .iter()
        .map(|text| {
            text.parse::<Mapping>().map_err(|problem| {
                let var = text.split_once('=').map_or(text.as_str(), |(v, _)| v);
                crate::error::Error::Usage(format!("--set {var}=…: {problem}"))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let config = ctx.config()?;
    // Base URLs go into the child's environment: a hand-edited http:// remote is refused.
    config.check_connectors(&settings.paths.config())?;
    let registry = ctx.registry()?;
    let selection = if default_only {
        Selection::DefaultConnector
    } else {
        Selection::Named
    };
    let recording = crate::export::reads::Recording::new(registry);
    let (exports, warnings) = target::resolve(&recording, config, targets, &mappings, selection)?;
    for warning in &warnings {
        crate::term::output::warn(settings, warning);
    }
    if exports.is_empty() {
        crate::term::output::warn(
            settings,
            "no keys to export: no active connector and no secret with a provider hint \
             (name a TARGET, or add a connector with `byok connector add`)",
        );
    }
    Ok((exports, recording.into_reads()))
}

/// What `inject` writes: the value of each `{{ byok://… }}` placeholder, in order, resolved
/// as `env` resolves a reference (a connector by name, else a secret), an admin key refused
/// without `allow_admin`. Also returns the secrets read, for the reveal check and the audit.
pub fn template(
    ctx: &Context,
    references: &[&crate::export::reference::Reference],
    allow_admin: bool,
) -> Result<(Vec<crate::secret::SecretValue>, Vec<Read>)> {
    if references.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let config = ctx.config()?;
    // Base URLs may be written into the file: a hand-edited http:// remote is refused.
    config.check_connectors(&ctx.settings.paths.config())?;
    let recording = Recording::new(ctx.registry()?);
    let mut values = Vec::with_capacity(references.len());
    for reference in references {
        let value = target::resolve_reference(reference, &recording, config)?;
        let origin = crate::export::reads::shown(reference);
        crate::export::admin::check_value(&value, &origin, allow_admin)?;
        values.push(value);
    }
    Ok((values, recording.into_reads()))
}
