//! `byok trust FILE`, `byok trust --list`, `byok untrust [FILE]`: the trust record
//! ([`crate::scope::trust`]) from the command line; `byok trust` with no FILE trusts the
//! nearest project file after showing what it grants.

use serde::Serialize;

use crate::cli::{TrustArgs, UntrustArgs};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::scope::project::{self, Binding, Project, ProjectDoc};
use crate::scope::project_store::{self, Routing, StoreManifest};
use crate::scope::trust::{self, TrustFile};
use crate::store::registry::Registry;
use crate::term::output;

#[derive(Serialize)]
struct View {
    path: String,
    sha256: String,
    trusted: String,
    state: &'static str,
}

pub fn trust(ctx: &Context, args: &TrustArgs) -> Result<()> {
    let settings = &ctx.settings;
    if args.file.is_none() && !args.list {
        return trust_project(ctx, args.yes);
    }
    let Some(file) = &args.file else {
        let views: Vec<View> = trust::list(&settings.paths)?
            .into_iter()
            .map(|(entry, state)| View {
                path: entry.path.display().to_string(),
                sha256: entry.sha256,
                trusted: entry.trusted,
                state: state.as_str(),
            })
            .collect();
        if args.json {
            return output::print_json(&views);
        }
        if views.is_empty() {
            output::status("No trusted files. Trust one with `byok trust FILE`.");
            return Ok(());
        }
        let mut table = output::table(settings, &["FILE", "STATE", "TRUSTED", "SHA-256"]);
        for view in views {
            table.add_row(vec![
                view.path,
                view.state.to_owned(),
                view.trusted,
                view.sha256[..16].to_owned(),
            ]);
        }
        return output::print_table(&table);
    };
    let file = TrustFile::read(file)?;
    let entry = trust::trust(&settings.paths, &file, &output::now_rfc3339())?;
    output::status(&format!(
        "Trusted {} (sha256 {}…); a change to it untrusts it again.",
        entry.path.display(),
        &entry.sha256[..16]
    ));
    Ok(())
}

pub fn untrust(ctx: &Context, args: &UntrustArgs) -> Result<()> {
    let paths = &ctx.settings.paths;
    match &args.file {
        Some(file) => {
            if trust::untrust(paths, file)? {
                output::status(&format!("{} is no longer trusted.", file.display()));
            } else {
                output::status(&format!("{} was not trusted.", file.display()));
            }
        }
        None => {
            let gone = trust::prune(paths)?;
            if gone.is_empty() {
                output::status("Every trusted file is unchanged; nothing to forget.");
            }
            for path in gone {
                output::status(&format!("Forgot {} (changed or gone).", path.display()));
            }
        }
    }
    Ok(())
}

/// `byok trust` with no FILE: the nearest project file, after listing what it grants.
fn trust_project(ctx: &Context, yes: bool) -> Result<()> {
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
    let manifest = store_manifest(ctx, project, &doc)?;
    if let Some(now) = &manifest {
        eprintln!("{}", store_review(ctx, project, now));
    }
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
    let entry = crate::scope::trust::trust_with_store(
        &settings.paths,
        &project.file,
        &output::now_rfc3339(),
        manifest,
    )?;
    output::status(&format!(
        "Trusted {} (sha256 {}…); a change to it untrusts it again.",
        entry.path.display(),
        &entry.sha256[..16]
    ));
    Ok(())
}

/// The project store's shape as it is now, to record with the trust (`None`: no store).
/// A store this member cannot open yet is recorded as not reviewed (a warning says so).
fn store_manifest(
    ctx: &Context,
    project: &Project,
    doc: &ProjectDoc,
) -> Result<Option<StoreManifest>> {
    let Some(store) = &doc.store else {
        return Ok(None);
    };
    let path = project.store_path(store)?;
    let (store, handle) = Registry::open_project_store(&ctx.settings.paths, path, ctx.unlocker());
    match project_store::current(store.as_ref(), &handle, &Routing::of(doc)) {
        Ok(manifest) => Ok(Some(manifest)),
        Err(Error::NotARecipient { .. }) => {
            output::warn(
                &ctx.settings,
                "you are not a recipient of the project store yet: its contents are not \
                 reviewed, and byok refuses it until you run `byok trust` again once you are",
            );
            Ok(Some(project_store::unreviewed(&handle)))
        }
        Err(e) => Err(e),
    }
}

/// The store's refs, and what changed since the project was last trusted.
fn store_review(ctx: &Context, project: &Project, now: &StoreManifest) -> String {
    use std::fmt::Write;
    let mut text = String::new();
    let names: Vec<&str> = now.refs.keys().map(String::as_str).collect();
    let _ = write!(
        text,
        "  project store refs: {}",
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    );
    let before = trust::entry_for_path(&ctx.settings.paths, &project.file.path)
        .ok()
        .flatten()
        .and_then(|e| e.store);
    if let Some(before) = before {
        let changes = project_store::changes(&before, now, false);
        if changes.is_empty() {
            text.push_str("\n  project store: unchanged since you last trusted it");
        } else {
            text.push_str("\n  project store changes since you last trusted it:");
            for change in changes {
                let _ = write!(text, "\n    {change}");
            }
        }
    }
    crate::term::sanitize::text(&text).into_owned()
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
