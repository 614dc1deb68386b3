//! The project file from the command line: what `byok env` / `byok exec` export in a
//! project, `byok trust` in a project directory, and `byok status`.

use serde::Serialize;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::export::reads::{Read, Recording};
use crate::export::target::{self, Export};
use crate::scope::project::{self, Binding, Project, ProjectDoc};
use crate::term::output;

/// What `env`/`exec` export with no TARGET: `None` outside a project; in an untrusted or
/// changed project exit 8; in a trusted one exactly the variables it declares for the
/// active environment, then its `connectors`' variables (a declared variable wins). Also
/// returns each secret whose value was read, for the reveal check and the audit.
pub(crate) fn exports(ctx: &Context) -> Result<Option<(Vec<Export>, Vec<Read>)>> {
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

/// `byok trust` with no FILE: the nearest project file, after listing what it grants.
pub(crate) fn trust(ctx: &Context, yes: bool) -> Result<()> {
    let settings = &ctx.settings;
    let project = ctx.project()?.ok_or_else(|| {
        Error::Usage(format!(
            "no {} here or in a parent directory (below your home); name a file: `byok trust FILE`",
            project::FILE_NAME
        ))
    })?;
    // Refused before anything is recorded: a file byok would refuse to use is not trusted.
    let doc = project.doc()?;
    eprintln!("{}", grants(ctx, project, &doc));
    if !yes {
        if !settings.interactive() {
            return Err(Error::NeedsConfirmation {
                action: format!("trust {}", project.file.path.display()),
            });
        }
        if !crate::prompt::confirm("Trust this project file?")? {
            return Err(Error::Cancelled);
        }
    }
    let entry = crate::scope::trust::trust(&settings.paths, &project.file, &output::now_rfc3339())?;
    output::status(&format!(
        "Trusted {} (sha256 {}…); a change to it untrusts it again.",
        entry.path.display(),
        &entry.sha256[..16]
    ));
    Ok(())
}

/// The text `byok trust` shows: each variable per environment, the ref or connector behind
/// it (with the connector's base URL), the connectors, the store.
fn grants(ctx: &Context, project: &Project, doc: &ProjectDoc) -> String {
    use std::fmt::Write;
    let connectors = ctx.config().ok().map(|c| c.connectors().to_vec());
    let describe = |name: &str| -> String {
        match connectors
            .as_ref()
            .and_then(|cs| cs.iter().find(|c| c.name == name))
        {
            Some(c) => format!(
                "connector {name} ({})",
                c.base_url.as_deref().unwrap_or("provider default base URL")
            ),
            None => format!("secret {name}"),
        }
    };
    let mut text = format!("{} grants:\n", project.file.path.display());
    let mut envs: Vec<Option<&str>> = vec![None];
    envs.extend(doc.envs.keys().map(|k| Some(k.as_str())));
    for env in envs {
        let label = env.map_or("every environment".to_owned(), |e| format!("env {e}"));
        for (var, binding) in doc.bindings(env) {
            if env.is_some() && matches!(&binding, Binding::Ref { env: None, .. }) {
                continue;
            }
            let what = match &binding {
                Binding::Ref { reference, .. } => match &reference.field {
                    Some(field) => format!("field {field} of {}", describe(&reference.name)),
                    None => describe(&reference.name),
                },
                Binding::Missing { .. } => "nothing (fallback = false: an error)".to_owned(),
            };
            let _ = writeln!(text, "  {label}: {var} = {what}");
        }
    }
    for name in &doc.connectors {
        let _ = writeln!(text, "  connector variables: {}", describe(name));
    }
    if let Some(store) = &doc.store {
        let _ = writeln!(
            text,
            "  project store: {}",
            project.root.join(store).display()
        );
    }
    if let Some(ws) = &doc.workspace {
        let _ = writeln!(text, "  workspace: {ws}");
    }
    if let Some(env) = &doc.default_env {
        let _ = writeln!(text, "  default environment: {env}");
    }
    text.trim_end().to_owned()
}

#[derive(Serialize)]
struct StatusVar {
    var: String,
    reference: Option<String>,
    /// `[vars]` or `[env.NAME.vars]`.
    from: String,
    /// `project`, `workspace:NAME`, `global` (the home's stores), or `missing`.
    scope: String,
    store: Option<String>,
    /// Stores later in the order that also hold the ref (shadowed by this one).
    shadows: Vec<String>,
}

#[derive(Serialize)]
struct Status {
    project_file: Option<String>,
    trust: Option<&'static str>,
    environment: Option<String>,
    workspace: Option<String>,
    store: Option<String>,
    vars: Vec<StatusVar>,
}

/// `byok status [--json]`: the project file and its trust, the environment, and for each
/// declared variable which scope and store supply it and what it shadows. Reads store
/// metadata only: no value is decrypted for display.
pub fn status(ctx: &Context, json: bool) -> Result<()> {
    let mut status = Status {
        project_file: None,
        trust: None,
        environment: ctx.settings.project_env.clone(),
        workspace: None,
        store: None,
        vars: Vec::new(),
    };
    if let Some(project) = ctx.project()? {
        status.project_file = Some(project.file.path.display().to_string());
        status.trust = Some(project.verdict.as_str());
        if project.trusted() {
            let doc = project.doc()?;
            status.environment =
                project::active_env(ctx.settings.project_env.as_deref(), &doc).map(str::to_owned);
            status.store = doc
                .store
                .as_ref()
                .map(|s| project.root.join(s).display().to_string());
            let registry = ctx.registry()?;
            let config = ctx.config()?;
            for (var, binding) in doc.bindings(status.environment.as_deref()) {
                status.vars.push(match binding {
                    Binding::Missing { env } => StatusVar {
                        var,
                        reference: None,
                        from: format!("[env.{env}.vars]"),
                        scope: "missing".into(),
                        store: None,
                        shadows: Vec::new(),
                    },
                    Binding::Ref { reference, env } => {
                        let from = env.map_or("[vars]".to_owned(), |e| format!("[env.{e}.vars]"));
                        let connector = config
                            .connectors()
                            .iter()
                            .find(|c| c.name == reference.name);
                        let secret = match connector {
                            Some(c) => c.secret.clone(),
                            None => Some(reference.name.clone()),
                        };
                        let mut holders = Vec::new();
                        if let Some(secret) = &secret {
                            for store in registry.all() {
                                if store.find(secret)?.is_some() {
                                    holders.push(store.name().to_owned());
                                }
                            }
                        }
                        let store = holders.first().cloned();
                        let scope = match store.as_deref() {
                            None => "missing".to_owned(),
                            Some(store) => registry.scope_of(store).label(),
                        };
                        StatusVar {
                            var,
                            reference: Some(format!("byok://{}", reference.name)),
                            from,
                            scope,
                            store,
                            shadows: holders.into_iter().skip(1).collect(),
                        }
                    }
                });
            }
        }
    }
    // The workspace in force, whichever way it was chosen.
    status.workspace = ctx.workspace()?.map(|w| w.name);
    if json {
        return output::print_json(&status);
    }
    let mut text = String::new();
    use std::fmt::Write;
    match &status.project_file {
        Some(path) => {
            let _ = writeln!(
                text,
                "project file: {path} ({})",
                status.trust.unwrap_or("untrusted")
            );
        }
        None => text.push_str("project file: none (global scope only)\n"),
    }
    let _ = writeln!(
        text,
        "environment:  {}",
        status.environment.as_deref().unwrap_or("(none)")
    );
    if let Some(ws) = &status.workspace {
        let _ = writeln!(text, "workspace:    {ws}");
    }
    if let Some(store) = &status.store {
        let _ = writeln!(text, "store:        {store}");
    }
    output::print(&text)?;
    if status.project_file.is_some() && status.trust != Some("trusted") {
        output::status(
            "Run `byok trust` in the project to use it (it lists what it grants first).",
        );
    }
    if status.vars.is_empty() {
        return Ok(());
    }
    let mut table = output::table(
        &ctx.settings,
        &["VARIABLE", "REFERENCE", "FROM", "SCOPE", "STORE", "SHADOWS"],
    );
    for v in status.vars {
        table.add_row(vec![
            v.var,
            v.reference.unwrap_or_else(|| "-".into()),
            v.from,
            v.scope,
            v.store.unwrap_or_else(|| "-".into()),
            v.shadows.join(", "),
        ]);
    }
    output::print_table(&table)
}
