//! `byok workspace add|list|use|rm`: the declarations in `workspaces.toml`
//! ([`crate::scope::workspace`]).

use std::path::PathBuf;

use serde::Serialize;

use crate::cli::WorkspaceCommand;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::scope::workspace::{Workspace, Workspaces};
use crate::term::output;

#[derive(Serialize)]
struct Row {
    name: String,
    active: bool,
    fallback: bool,
    /// The age file of a workspace with its own store (`null` with a named store).
    file: Option<String>,
    /// The named store holding its secrets, if any.
    store: Option<String>,
    prefix: Option<String>,
}

/// Checks `--store STORE [--prefix P]` against config.toml; returns how to show it.
fn team_store(ctx: &Context, store: &str, prefix: Option<&str>) -> Result<String> {
    let config = ctx.home_config()?;
    let decl = config
        .stores()
        .iter()
        .find(|d| d.name == store)
        .ok_or_else(|| Error::UnknownStore {
            name: store.to_owned(),
            known: config
                .stores()
                .iter()
                .map(|d| d.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    match prefix {
        None => Ok(format!("store {store}")),
        Some(prefix) => {
            let joined = crate::store::registry::nested_prefix(&decl.kind, &decl.settings, prefix)?;
            Ok(format!("store {store}, prefix {joined}"))
        }
    }
}

pub fn run(ctx: &Context, command: WorkspaceCommand) -> Result<()> {
    let paths = &ctx.settings.paths;
    match command {
        WorkspaceCommand::Add {
            name,
            path,
            no_fallback,
            store,
            prefix,
        } => {
            if !crate::names::is_valid_connector_name(&name) {
                return Err(Error::Usage(
                    "a workspace name is lower-case letters, digits, '-' and '_'".into(),
                ));
            }
            let store_text = match &store {
                Some(store) => Some(team_store(ctx, store, prefix.as_deref())?),
                None => None,
            };
            let path = path.unwrap_or_else(|| PathBuf::from(format!("workspaces/{name}.age")));
            let workspace = Workspace {
                name: name.clone(),
                path,
                fallback: !no_fallback,
                store: store.clone(),
                prefix: prefix
                    .as_deref()
                    .map(|p| format!("{}/", p.trim_matches('/'))),
            };
            let file = workspace.file(paths.home());
            if store.is_none()
                && let Some(dir) = file.parent()
            {
                crate::fsutil::create_private_dir(dir)?;
            }
            Workspaces::update(paths, |all| {
                if all.list.iter().any(|w| w.name == name) {
                    return Err(Error::WorkspaceExists { name: name.clone() });
                }
                all.list.push(workspace);
                Ok(())
            })?;
            let place = store_text.unwrap_or_else(|| file.display().to_string());
            let share = match &store {
                None => format!(
                    "share it with `byok --workspace {name} recipients add KEY --store workspace`"
                ),
                Some(_) => "whoever can read that store can read its secrets".to_owned(),
            };
            output::status(&format!(
                "Added workspace '{name}' ({place}{}). Use it with `byok workspace use {name}` or \
                 --workspace {name}; add its secrets with `byok --workspace {name} secret add REF` \
                 and its connectors with `byok --workspace {name} connector add`; {share}.",
                if no_fallback {
                    ", no fallback to your own secrets"
                } else {
                    ""
                }
            ));
            Ok(())
        }
        WorkspaceCommand::List { json } => {
            let all = Workspaces::load(paths)?;
            let active = ctx.workspace()?.map(|w| w.name);
            let rows: Vec<Row> = all
                .list
                .iter()
                .map(|w| Row {
                    name: w.name.clone(),
                    active: active.as_deref() == Some(w.name.as_str()),
                    fallback: w.fallback,
                    file: w
                        .store
                        .is_none()
                        .then(|| w.file(paths.home()).display().to_string()),
                    store: w.store.clone(),
                    prefix: w.prefix.clone(),
                })
                .collect();
            if json {
                return output::print_json(&rows);
            }
            if rows.is_empty() {
                output::status("No workspaces. Add one with `byok workspace add NAME`.");
                return Ok(());
            }
            let mut table = output::table(&ctx.settings, &["NAME", "ACTIVE", "FALLBACK", "STORE"]);
            for row in rows {
                table.add_row(vec![
                    row.name,
                    if row.active {
                        "*".into()
                    } else {
                        String::new()
                    },
                    if row.fallback {
                        "global".into()
                    } else {
                        "none".into()
                    },
                    match (row.store, row.prefix, row.file) {
                        (Some(store), Some(prefix), _) => format!("{store} (prefix {prefix})"),
                        (Some(store), None, _) => store,
                        (None, _, file) => file.unwrap_or_default(),
                    },
                ]);
            }
            output::print_table(&table)
        }
        WorkspaceCommand::Use { name, .. } => {
            Workspaces::update(paths, |all| {
                if let Some(name) = &name {
                    all.get(name)?;
                }
                all.active = name.clone();
                Ok(())
            })?;
            match name {
                Some(name) => output::status(&format!(
                    "Workspace '{name}' is active (unless --workspace, BYOK_WORKSPACE or a project file names another)."
                )),
                None => output::status("No workspace is active."),
            }
            Ok(())
        }
        WorkspaceCommand::Rm { name } => {
            let removed = Workspaces::update(paths, |all| {
                let workspace = all.get(&name)?.clone();
                all.list.retain(|w| w.name != name);
                if all.active.as_deref() == Some(name.as_str()) {
                    all.active = None;
                }
                Ok(workspace)
            })?;
            let kept = match &removed.store {
                Some(store) => format!("its secrets stay in store '{store}'"),
                None => format!(
                    "its store file {} was kept",
                    removed.file(paths.home()).display()
                ),
            };
            output::status(&format!(
                "Removed workspace '{name}'; {kept}, and its connectors file {} too.",
                removed.connectors_file(paths.home()).display()
            ));
            Ok(())
        }
    }
}
