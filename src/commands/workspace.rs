//! `byok workspace add|list|use|rm`: the declarations in `workspaces.toml`
//! ([`crate::workspace`]).

use std::path::PathBuf;

use serde::Serialize;

use crate::cli::WorkspaceCommand;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::output;
use crate::workspace::{Workspace, Workspaces};

#[derive(Serialize)]
struct Row {
    name: String,
    active: bool,
    fallback: bool,
    file: String,
}

pub fn run(ctx: &Context, command: WorkspaceCommand) -> Result<()> {
    let paths = &ctx.settings.paths;
    match command {
        WorkspaceCommand::Add {
            name,
            path,
            no_fallback,
        } => {
            if !crate::names::is_valid_connector_name(&name) {
                return Err(Error::Usage(
                    "a workspace name is lower-case letters, digits, '-' and '_'".into(),
                ));
            }
            let path = path.unwrap_or_else(|| PathBuf::from(format!("workspaces/{name}.age")));
            let workspace = Workspace {
                name: name.clone(),
                path,
                fallback: !no_fallback,
            };
            let file = workspace.file(paths.home());
            if let Some(dir) = file.parent() {
                crate::fsutil::create_private_dir(dir)?;
            }
            Workspaces::update(paths, |all| {
                if all.list.iter().any(|w| w.name == name) {
                    return Err(Error::WorkspaceExists { name: name.clone() });
                }
                all.list.push(workspace);
                Ok(())
            })?;
            output::status(&format!(
                "Added workspace '{name}' ({}{}). Use it with `byok workspace use {name}` or \
                 --workspace {name}; add its secrets with `byok --workspace {name} secret add REF --store workspace`; \
                 share it with `byok --workspace {name} recipients add KEY --store workspace`.",
                file.display(),
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
                    file: w.file(paths.home()).display().to_string(),
                })
                .collect();
            if json {
                return output::print_json(&rows);
            }
            if rows.is_empty() {
                output::status("No workspaces. Add one with `byok workspace add NAME`.");
                return Ok(());
            }
            let mut table = output::table(&ctx.settings, &["NAME", "ACTIVE", "FALLBACK", "FILE"]);
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
                    row.file,
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
            output::status(&format!(
                "Removed workspace '{name}'; its store file {} was kept.",
                removed.file(paths.home()).display()
            ));
            Ok(())
        }
    }
}
