//! `byok status`: the project file of the current directory, whether it is trusted, and
//! what `env` / `exec` would export from it.

use serde::Serialize;

use crate::context::Context;
use crate::error::Result;
use crate::scope::project::{self, Binding};
use crate::term::output;

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
