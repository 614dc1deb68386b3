//! Which connectors file a `connector` command reads and writes: the active workspace's
//! (`workspaces/NAME.connectors.toml`) when one is active, the home's `config.toml` with
//! `--global` or without a workspace; and the scoped listing behind `connector list`.

use crate::config::{self, Config, Connector};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::scope::Scope;
use crate::scope::workspace::Workspace;

/// The workspace whose connectors a command edits (`None`: the home's).
pub(crate) fn target(ctx: &Context, global: bool) -> Result<Option<Workspace>> {
    if global {
        return Ok(None);
    }
    ctx.workspace()
}

/// Where a command's connector goes, for messages: "" for the home, " in workspace NAME".
pub(crate) fn place(workspace: Option<&Workspace>) -> String {
    workspace.map_or_else(String::new, |w| format!(" in workspace '{}'", w.name))
}

/// The connectors file the command edits, as it is now (for checks before the lock).
pub(crate) fn current(ctx: &Context, global: bool) -> Result<Config> {
    match target(ctx, global)? {
        Some(workspace) => workspace.connectors(ctx.settings.paths.home()),
        None => Config::load(&ctx.settings),
    }
}

/// The connector `name` of the file the command edits; in a workspace, a name only the
/// home has is an error that says to pass `--global`.
pub(crate) fn get(ctx: &Context, global: bool, name: &str) -> Result<Connector> {
    let here = current(ctx, global)?;
    match here.get(name) {
        Ok(c) => Ok(c.clone()),
        Err(e) => match target(ctx, global)? {
            Some(workspace) if ctx.home_config()?.get(name).is_ok() => Err(Error::Usage(format!(
                "connector '{name}' is one of your own (global) connectors, not workspace '{}''s: \
                 pass --global to change it",
                workspace.name
            ))),
            _ => Err(e),
        },
    }
}

/// Loads the file the command edits under the home lock, applies `change`, saves it.
pub(crate) fn modify<T>(
    ctx: &Context,
    global: bool,
    change: impl FnOnce(&mut Config) -> Result<T>,
) -> Result<T> {
    match target(ctx, global)? {
        Some(workspace) => workspace.modify_connectors(&ctx.settings.paths, change),
        None => config::modify(&ctx.settings, change),
    }
}

/// One row of `connector list`.
pub(crate) struct Listed {
    pub connector: Connector,
    pub scope: Scope,
    /// A workspace connector of the same name wins: this one is never used here.
    pub shadowed: bool,
    /// 1-based position in the order in force (0 when shadowed).
    pub priority: usize,
    /// Its `models = ["glob", …]` list.
    pub models: Vec<String>,
}

/// Every connector that applies here, each under its own scope, in the order in force: the
/// active workspace's, then (with fallback) the home's, the ones a workspace connector of
/// the same name shadows marked so. With `global`, only the home's.
pub(crate) fn list(ctx: &Context, global: bool) -> Result<Vec<Listed>> {
    let home = ctx.home_config()?;
    let workspace = if global { None } else { ctx.workspace()? };
    let mut out: Vec<Listed> = Vec::new();
    let mut next = 1;
    let mut own: Vec<String> = Vec::new();
    if let Some(workspace) = &workspace {
        let config = workspace.connectors(ctx.settings.paths.home())?;
        for connector in config.connectors() {
            own.push(connector.name.clone());
            out.push(Listed {
                connector: connector.clone(),
                scope: Scope::Workspace(workspace.name.clone()),
                shadowed: false,
                priority: next,
                models: config.connector_models(&connector.name).to_vec(),
            });
            next += 1;
        }
        if !workspace.fallback {
            return Ok(out);
        }
    }
    for connector in home.connectors() {
        let shadowed = own.contains(&connector.name);
        out.push(Listed {
            connector: connector.clone(),
            scope: Scope::Global,
            shadowed,
            priority: if shadowed { 0 } else { next },
            models: home.connector_models(&connector.name).to_vec(),
        });
        if !shadowed {
            next += 1;
        }
    }
    Ok(out)
}
