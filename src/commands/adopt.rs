//! `byok adopt mcp [FILE]`: MCP configs without plaintext keys (the rewrite itself is
//! [`crate::adopt`]); `--undo` puts a file back from its backup.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::adopt::{self, Planned, backup};
use crate::cli::{AdoptCommand, AdoptMcpArgs};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::prompt;
use crate::scan::discover::{self, Format};
use crate::store::{DEFAULT_FIELD, Put, PutMode};
use crate::term::output;

pub fn run(ctx: &Context, command: AdoptCommand) -> Result<()> {
    match command {
        AdoptCommand::Mcp(args) if args.undo => undo(ctx, &args),
        AdoptCommand::Mcp(args) => adopt(ctx, &args),
    }
}

fn home_dir(ctx: &Context) -> Option<PathBuf> {
    let env = &ctx.settings.parent_env;
    crate::import::BaseDirs::from_lookup(|n| env.get(n).map(ToOwned::to_owned)).home
}

/// The MCP configs to adopt: FILE, or those discovery reads that exist.
fn files(ctx: &Context, file: Option<&Path>) -> Result<Vec<PathBuf>> {
    let home = home_dir(ctx);
    let cwd = ctx.settings.cwd.as_deref();
    if let Some(file) = file {
        return Ok(vec![adopt::resolve(file, home.as_deref(), cwd)?]);
    }
    let mut out = Vec::new();
    for location in discover::locations(&ctx.settings) {
        if !matches!(
            location.format,
            Format::McpServers | Format::VsCodeMcp | Format::CodexMcp
        ) {
            continue;
        }
        let Ok(meta) = std::fs::symlink_metadata(&location.path) else {
            continue;
        };
        if meta.file_type().is_symlink() && location.in_project {
            output::warn(
                &ctx.settings,
                &format!(
                    "{}: a symbolic link in the working directory, not followed (adopt the \
                     file it names by its own path if you mean it)",
                    crate::term::sanitize::line(&location.path.display().to_string())
                ),
            );
            continue;
        }
        // One file byok cannot take is no reason to leave the others.
        match adopt::resolve(&location.path, home.as_deref(), cwd) {
            Ok(path) if !out.contains(&path) => out.push(path),
            Ok(_) => {}
            Err(e) => output::warn(&ctx.settings, &format!("{e} (skipped)")),
        }
    }
    Ok(out)
}

/// What the servers run: `--byok`, else `byok` when that is this program on PATH, else this
/// program's full path.
fn program(ctx: &Context, given: Option<&str>) -> Result<String> {
    if let Some(given) = given {
        return Ok(given.to_owned());
    }
    let me = std::env::current_exe().map_err(Error::io("find", PathBuf::from("byok")))?;
    let me = std::fs::canonicalize(&me).unwrap_or(me);
    let on_path =
        crate::export::child::find_program(OsStr::new("byok"), ctx.settings.parent_env.get("PATH"))
            .and_then(|p| std::fs::canonicalize(p).ok());
    Ok(if on_path.as_deref() == Some(me.as_path()) {
        "byok".to_owned()
    } else {
        me.display().to_string()
    })
}

/// `--home DIR` for the servers when this home is not the default one.
fn home_flag(ctx: &Context) -> Option<String> {
    let home = &ctx.settings.paths.home;
    let default = crate::paths::Paths::default_home();
    if default.as_deref() == Some(home.as_path()) {
        return None;
    }
    let home = std::path::absolute(home).unwrap_or_else(|_| home.clone());
    Some(home.display().to_string())
}

fn adopt(ctx: &Context, args: &AdoptMcpArgs) -> Result<()> {
    let settings = &ctx.settings;
    let paths = files(ctx, args.file.as_deref())?;
    if paths.is_empty() {
        output::status("No MCP config found (name one: byok adopt mcp FILE).");
        return Ok(());
    }
    let mut configs = Vec::new();
    for path in &paths {
        match adopt::read(path) {
            Ok(config) if !config.servers.is_empty() => configs.push(config),
            Ok(_) => {}
            Err(e) if args.file.is_none() => output::warn(settings, &format!("{e} (skipped)")),
            Err(e) => return Err(e),
        }
    }
    if configs.is_empty() {
        let names: Vec<String> = paths
            .iter()
            .map(|p| crate::term::sanitize::line(&p.display().to_string()).into_owned())
            .collect();
        output::status(&format!(
            "No plaintext key in the MCP servers of {}.",
            names.join(", ")
        ));
        return Ok(());
    }

    let agent_proof = crate::proxy::agent_proof::home_is_agent_proof(ctx)?;
    let stored = crate::scan::load_stored(ctx)?;
    if let Some(why) = &stored.unavailable {
        return Err(Error::Usage(format!(
            "{why}: byok must read its secrets to adopt keys (unlock it, or run this in a terminal)"
        )));
    }
    for warning in &stored.warnings {
        output::warn(settings, warning);
    }
    let registry = ctx.registry()?;
    let store = registry.default_store();
    let taken = |name: &str| -> Result<bool> { Ok(registry.locate(name)?.is_some()) };
    let mut refs = adopt::Refs::new(&stored.needles, &taken);
    let program = program(ctx, args.byok.as_deref())?;
    let home = home_flag(ctx);

    let plans = configs
        .into_iter()
        .map(|config| adopt::plan(config, agent_proof, &mut refs, &program, home.as_deref()))
        .collect::<Result<Vec<_>>>()?;

    // The preview: each file's diff (stdout), then what happens to each server (stderr).
    for plan in &plans {
        let values: Vec<&str> = plan
            .config
            .servers
            .iter()
            .flat_map(|s| {
                let args = s.args.as_deref().unwrap_or_default();
                s.keys
                    .iter()
                    .map(|k| k.value.expose())
                    .chain(s.header_values.iter().map(|v| v.expose()))
                    .chain(
                        s.arg_keys
                            .iter()
                            .filter_map(|&i| args.get(i).map(String::as_str)),
                    )
            })
            .collect();
        if !plan.adopted.is_empty() {
            output::print(&adopt::diff(
                &plan.config.shown(),
                &plan.config.text,
                &plan.new_text,
                &values,
            ))?;
        }
        for (i, grants) in &plan.adopted {
            let server = &plan.config.servers[*i];
            let what: Vec<String> = grants
                .iter()
                .map(|g| {
                    let new = refs.new.iter().any(|s| s.reference == g.reference);
                    let field = if g.field == DEFAULT_FIELD {
                        String::new()
                    } else {
                        format!(".{}", g.field)
                    };
                    format!(
                        "{} from {}{field}{}",
                        g.var,
                        g.reference,
                        if new { " (imported)" } else { "" }
                    )
                })
                .collect();
            output::status(&format!(
                "{} {}: starts through byok with {}",
                plan.config.shown(),
                server.place(plan.config.kind, &[]),
                what.join(", ")
            ));
        }
        for (i, why) in &plan.left {
            output::warn(
                settings,
                &format!(
                    "{} {}: left as is: {why}",
                    plan.config.shown(),
                    plan.config.servers[*i].place(plan.config.kind, &[])
                ),
            );
        }
    }
    let writes: Vec<&Planned> = plans.iter().filter(|p| !p.adopted.is_empty()).collect();
    if args.dry_run {
        output::status("Dry run: nothing was changed.");
        return Ok(());
    }
    if writes.is_empty() {
        output::status("Nothing to adopt.");
        return Ok(());
    }
    let servers: usize = writes.iter().map(|p| p.adopted.len()).sum();
    if !args.yes {
        if !settings.interactive() {
            return Err(Error::NeedsConfirmation {
                action: format!("adopt {servers} MCP server(s)"),
            });
        }
        let question = format!(
            "Import {} key(s) and rewrite {servers} server(s) in {} file(s) as shown?",
            refs.new.len(),
            writes.len()
        );
        if !prompt::confirm(&question)? {
            return Err(Error::Cancelled);
        }
    }

    // The keys first (one vault write): a file is never rewritten to refs that do not exist.
    if !refs.new.is_empty() {
        let now = output::now_rfc3339();
        let puts = refs
            .new
            .iter()
            .map(|s| {
                let mut put = Put::new(&s.reference, PutMode::Create, &now);
                put.provider = s.provider.map(str::to_owned);
                put.label = Some(s.label.clone());
                put.values = vec![(
                    DEFAULT_FIELD.to_owned(),
                    crate::secret::SecretValue::new(s.value.expose().to_owned()),
                )];
                put
            })
            .collect();
        store.put(puts)?;
    }
    for plan in writes {
        write(ctx, plan)?;
    }
    if crate::unlock::unlock_cheap(settings).is_none() {
        output::status(
            "Note: the servers unlock byok when they start, without a terminal: keep the \
             identity in the keychain (`byok keychain remember`) or run `byok unlock` first.",
        );
    }
    Ok(())
}

/// Backs up and rewrites one file, unless it changed since it was read.
fn write(ctx: &Context, plan: &Planned) -> Result<()> {
    let config = &plan.config;
    let now = adopt::read(&config.path)?;
    if now.text.as_bytes() != config.text.as_bytes() {
        return Err(Error::Usage(format!(
            "{} changed while byok was adopting it (its program is running?); nothing was \
             written to it — run `byok adopt mcp` again",
            config.shown()
        )));
    }
    let backup = backup::save(
        ctx,
        "adopt",
        &config.path,
        config.text.as_bytes(),
        Some(plan.new_text.as_bytes()),
        config.mode,
    )?;
    // Again just before the rename: a client that rewrote the file while the backup was
    // being encrypted (Claude Code rewrites ~/.claude.json often) must not lose its write.
    if crate::fsutil::read_bounded(&config.path, adopt::MAX_FILE)? != config.text.as_bytes() {
        return Err(Error::Usage(format!(
            "{} changed while byok was adopting it (its program is running?); nothing was \
             written to it — run `byok adopt mcp` again",
            config.shown()
        )));
    }
    write_with_mode(&config.path, plan.new_text.as_bytes(), config.mode)?;
    output::status(&format!(
        "Adopted {} server(s) in {}; `byok adopt mcp --undo {}` puts it back (backup in {}).",
        plan.adopted.len(),
        config.shown(),
        discover::quote(&config.path.display().to_string()),
        crate::term::sanitize::line(&backup.parent().unwrap_or(&backup).display().to_string())
    ));
    Ok(())
}

fn write_with_mode(path: &Path, bytes: &[u8], mode: Option<u32>) -> Result<()> {
    crate::fsutil::write_atomic(path, bytes)?;
    #[cfg(unix)]
    if let Some(mode) = mode {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
            .map_err(Error::io("set the mode of", path))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    Ok(())
}

/// `--undo [FILE]`: the newest adoption's backup (of FILE, or of any file) put back.
fn undo(ctx: &Context, args: &AdoptMcpArgs) -> Result<()> {
    let settings = &ctx.settings;
    let path = match &args.file {
        Some(file) => Some(
            std::fs::canonicalize(file)
                .or_else(|_| std::path::absolute(file))
                .map_err(Error::io("read", file))?,
        ),
        None => None,
    };
    let Some((meta_path, meta)) = backup::latest(&settings.paths, path.as_deref())? else {
        return Err(Error::Usage(match &args.file {
            Some(file) => format!(
                "no adoption of {} to undo",
                crate::term::sanitize::line(&file.display().to_string())
            ),
            None => "no adoption to undo".to_owned(),
        }));
    };
    // The restored file holds plaintext keys again: in an agent-proof home the agent could
    // read it (adoption refuses there too).
    if crate::proxy::agent_proof::home_is_agent_proof(ctx)? {
        return Err(Error::AgentProofRefused {
            reason: "undo would write the file's plaintext keys back where the agent can read \
                     them; restore it by hand from the backup (`age -d`) if you must"
                .into(),
        });
    }
    backup::verify(ctx, &meta_path, &meta)?;
    let target = PathBuf::from(&meta.path);
    let shown = crate::term::sanitize::line(&meta.path).into_owned();
    // Raw bytes, not parsed: a file broken since is exactly when `--force` is wanted.
    let current = match std::fs::symlink_metadata(&target) {
        Ok(_) => Some(crate::fsutil::read_bounded(&target, adopt::MAX_FILE)?),
        Err(_) => None,
    };
    let changed = current
        .as_ref()
        .is_some_and(|bytes| Some(backup::digest(bytes)) != meta.after_sha256);
    if changed && !args.force {
        return Err(Error::Usage(format!(
            "{shown} changed since it was adopted ({}); nothing was restored — `--force` \
             restores it anyway and keeps the current content as a backup of its own",
            meta.created
        )));
    }
    let before = backup::content(ctx, &meta_path, &meta)?;
    if changed && let Some(bytes) = &current {
        let kept = backup::save(ctx, "kept", &target, bytes, None, meta.mode)?;
        output::status(&format!(
            "Kept the content it had in {} (encrypted to this home's identity).",
            crate::term::sanitize::line(&kept.display().to_string())
        ));
    }
    write_with_mode(&target, &before, meta.mode)?;
    backup::mark_undone(&meta_path, meta)?;
    output::status(&format!(
        "Restored {shown}. The keys it held stay in byok too (`byok secret list`)."
    ));
    Ok(())
}
