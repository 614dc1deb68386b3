//! `byok import …`: turns keys kept by other tools into byok secrets, in one vault write.

use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};

use crate::cli::{ImportArgs, ImportSource};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::import::{self, Candidate, aichat, dotenv, llm};
use crate::prompt;
use crate::provider::catalog;
use crate::scan;
use crate::secret::{SecretValue, mask};
use crate::settings::Settings;
use crate::store::{DEFAULT_FIELD, Put, PutMode};
use crate::term::output;

/// What happens to one candidate.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Action {
    Add,
    Replace,
    Skip,
    /// The ref is in another store than the one imports go to.
    Elsewhere(String),
}

impl Action {
    fn label(&self) -> String {
        match self {
            Action::Add => "add".into(),
            Action::Replace => "replace".into(),
            Action::Skip => "skip (exists; --force replaces)".into(),
            Action::Elsewhere(store) => format!("skip (exists in the {store})"),
        }
    }

    fn writes(&self) -> bool {
        matches!(self, Action::Add | Action::Replace)
    }
}

pub fn run(ctx: &Context, args: &ImportArgs) -> Result<()> {
    let settings = &ctx.settings;
    if let ImportSource::Discover { path: None, json } = &args.source {
        return discover(ctx, *json);
    }
    let remove_from = if args.remove_source {
        Some(source_file(settings, &args.source)?)
    } else {
        None
    };
    // Parse the whole source first: a malformed one imports nothing.
    let candidates = read_candidates(settings, &args.source)?;
    let registry = ctx.registry()?;
    // Imports go where `secret add` puts a new secret.
    let store = registry.default_store();
    let plan: Vec<(Candidate, Action)> = candidates
        .into_iter()
        .map(|c| {
            let action = match registry.locate(&c.ref_name)? {
                None => Action::Add,
                Some(found) if found.store.name() != store.name() => {
                    Action::Elsewhere(found.store.name().to_owned())
                }
                Some(_) if args.force => Action::Replace,
                Some(_) => Action::Skip,
            };
            Ok((c, action))
        })
        .collect::<Result<_>>()?;

    for (candidate, action) in &plan {
        if let Some(warning) = candidate
            .provider
            .and_then(catalog::lookup)
            .filter(|_| action.writes())
            .and_then(|spec| catalog::key_shape_warning(spec, candidate.value.expose_secret()))
        {
            output::warn(settings, &format!("{}: {warning}", candidate.var_or_key));
        }
    }
    if plan.is_empty() {
        output::status("No keys found to import.");
        return Ok(());
    }
    let table = plan_table(settings, &plan);
    // Worked out before anything is imported: a source it cannot be taken out of is refused
    // while nothing has changed (never an import that then fails half-way).
    let removal = match &remove_from {
        Some(file) => Some((
            file,
            scan::remove::plan(file, &refs(&plan_values(&plan))).map_err(|e| match e {
                Error::Usage(why) => Error::Usage(format!("{why}; nothing was imported")),
                other => other,
            })?,
        )),
        None => None,
    };
    if args.dry_run {
        output::print_table(&table)?;
        if let Some((file, removal)) = &removal {
            preview_removal(file, removal.as_ref());
        }
        output::status("Dry run: nothing was changed.");
        return Ok(());
    }
    eprintln!(
        "{}",
        crate::term::sanitize::keep_colours(&table.to_string())
    );
    let count = plan.iter().filter(|(_, a)| a.writes()).count();
    if count == 0 {
        output::status("Nothing to import: every ref name exists already (--force replaces).");
        return Ok(());
    }
    if !args.yes {
        if !settings.interactive() {
            return Err(Error::NeedsConfirmation {
                action: format!("import {count} secret(s)"),
            });
        }
        let question = match &remove_from {
            Some(file) => format!(
                "Import {count} secret(s) as shown, then remove their lines from {}?",
                crate::term::sanitize::line(&file.display().to_string()).into_owned()
            ),
            None => format!("Import {count} secret(s) as shown?"),
        };
        if !prompt::confirm(&question)? {
            return Err(Error::Cancelled);
        }
    }

    let now = output::now_rfc3339();
    let puts: Vec<Put> = plan
        .iter()
        .filter(|(_, action)| action.writes())
        .map(|(candidate, action)| {
            // Re-checked by the store under its lock: a secret added meanwhile is not
            // overwritten without --force.
            let mode = if *action == Action::Add && !args.force {
                PutMode::Create
            } else {
                PutMode::Upsert
            };
            let mut put = Put::new(&candidate.ref_name, mode, &now);
            put.replace = args.force;
            put.provider = candidate.provider.map(str::to_owned);
            put.values = vec![(
                DEFAULT_FIELD.to_owned(),
                SecretValue::new(candidate.value.expose_secret().to_owned()),
            )];
            put
        })
        .collect();
    // One write for the whole import.
    let created = store.put(puts)?;
    let added = created.iter().filter(|c| **c).count();
    let replaced = created.len() - added;
    let skipped = plan.len() - added - replaced;
    output::status(&format!(
        "Imported {added} new secret(s), replaced {replaced}, skipped {skipped}."
    ));
    if let Some((_, removal)) = removal {
        remove_source(removal)?;
    }
    Ok(())
}

fn refs(values: &[SecretValue]) -> Vec<&SecretValue> {
    values.iter().collect()
}

/// The values an import writes (what `--remove-source` takes out of the source).
fn plan_values(plan: &[(Candidate, Action)]) -> Vec<SecretValue> {
    plan.iter()
        .filter(|(_, action)| action.writes())
        .map(|(c, _)| SecretValue::new(c.value.expose_secret().to_owned()))
        .collect()
}

fn plan_table(settings: &Settings, plan: &[(Candidate, Action)]) -> comfy_table::Table {
    let mut table = output::table(settings, &["REF", "PROVIDER", "FROM", "VALUE", "ACTION"]);
    for (c, action) in plan {
        table.add_row(vec![
            c.ref_name.clone(),
            c.provider.unwrap_or("-").to_owned(),
            c.var_or_key.clone(),
            mask(c.value.expose_secret()),
            action.label(),
        ]);
    }
    table
}

fn read_candidates(settings: &Settings, source: &ImportSource) -> Result<Vec<Candidate>> {
    let env = &settings.parent_env;
    let var = |name: &str| env.get(name).map(ToOwned::to_owned);
    Ok(match source {
        ImportSource::Dotenv { file } => {
            let parsed = import::read_source(file).and_then(|text| dotenv::parse(&text));
            dotenv::candidates(parsed.map_err(import_error(file))?)
        }
        ImportSource::Env => {
            // Names and values that are not UTF-8 cannot be API keys byok stores.
            let entries = env
                .iter()
                .filter_map(|(k, v)| {
                    Some((k.to_str()?.to_owned(), SecretString::from(v.to_str()?)))
                })
                .collect();
            dotenv::candidates(entries)
        }
        ImportSource::Llm { path } => {
            let path = source_path(path.as_deref(), llm::default_path(var), "llm")?;
            import::read_source(&path)
                .and_then(|text| llm::parse(&text))
                .map_err(import_error(&path))?
        }
        ImportSource::Aichat { path } => {
            let path = source_path(path.as_deref(), aichat::default_path(var), "aichat")?;
            import::read_source(&path)
                .and_then(|text| aichat::parse(&text))
                .map_err(import_error(&path))?
        }
        ImportSource::Discover { path, .. } => discovered_candidates(path.as_deref())?,
    })
}

fn source_path(
    given: Option<&Path>,
    default: Option<PathBuf>,
    tool: &'static str,
) -> Result<PathBuf> {
    given
        .map(Path::to_path_buf)
        .or(default)
        .ok_or(Error::NoImportPath { tool })
}

fn import_error(path: &Path) -> impl FnOnce(import::ImportError) -> Error {
    let path = path.display().to_string();
    move |source| {
        let origin = match source {
            import::ImportError::Io { .. } | import::ImportError::NotUtf8 { .. } => None,
            _ => Some(path),
        };
        Error::Import { origin, source }
    }
}

/// `byok import discover`: lists plaintext keys in other tools' files; changes nothing.
fn discover(ctx: &Context, json: bool) -> Result<()> {
    let settings = &ctx.settings;
    let (found, warnings) = scan::discover::discover(settings);
    for warning in &warnings {
        output::warn(settings, &format!("{warning} (skipped)"));
    }
    let loaded = if found.is_empty() {
        None
    } else {
        let loaded = scan::load_stored(ctx)?;
        if let Some(why) = &loaded.unavailable {
            output::warn(
                settings,
                &format!("{why}: cannot tell which keys byok holds"),
            );
        }
        Some(loaded).filter(|l| l.unavailable.is_none())
    };
    let held = scan::discover::holders(&found, loaded.as_ref().map(|l| l.needles.as_slice()));
    let rows = scan::discover::rows(&found, &held);
    if json {
        return output::print_json(&rows);
    }
    if rows.is_empty() {
        output::status("No plaintext keys found in other tools' files.");
        return Ok(());
    }
    let mut table = output::table(
        settings,
        &[
            "WHERE",
            "TOOL",
            "NAME",
            "PROVIDER",
            "VALUE",
            "IN BYOK",
            "IMPORT WITH",
        ],
    );
    for row in &rows {
        table.add_row(vec![
            format!("{}:{}", row.path, row.line),
            row.tool.to_owned(),
            row.name.clone(),
            row.provider.unwrap_or("-").to_owned(),
            row.value.clone(),
            match (&row.in_byok, &row.held_by) {
                (Some(true), Some(r)) => format!("yes ({r})"),
                (Some(_), _) => "no".to_owned(),
                (None, _) => "?".to_owned(),
            },
            row.import.clone(),
        ]);
    }
    output::print_table(&table)?;
    output::status(
        "Add --remove-source to an import to take the lines out of the file once imported.",
    );
    Ok(())
}

/// The file an import reads, for `--remove-source`.
fn source_file(
    settings: &crate::settings::Settings,
    source: &crate::cli::ImportSource,
) -> Result<PathBuf> {
    use crate::cli::ImportSource;
    use crate::import::{aichat, llm};
    let env = &settings.parent_env;
    let var = |name: &str| env.get(name).map(ToOwned::to_owned);
    match source {
        ImportSource::Dotenv { file } => Ok(file.clone()),
        ImportSource::Llm { path } => source_path(path.as_deref(), llm::default_path(var), "llm"),
        ImportSource::Aichat { path } => {
            source_path(path.as_deref(), aichat::default_path(var), "aichat")
        }
        ImportSource::Discover {
            path: Some(path), ..
        } => {
            use crate::scan::discover::Format;
            if matches!(
                Format::of(path),
                Format::McpServers | Format::VsCodeMcp | Format::CodexMcp
            ) {
                return Err(Error::Usage(
                    "--remove-source takes lines out of a file, which would break an MCP \
                     server definition: import without it, then replace the value in the file \
                     by hand (the tool then needs the key from byok, e.g. `byok exec REF -- \
                     its command`)"
                        .into(),
                ));
            }
            Ok(path.clone())
        }
        ImportSource::Env | ImportSource::Discover { path: None, .. } => Err(Error::Usage(
            "--remove-source needs a source file (dotenv, llm, aichat or discover --path)".into(),
        )),
    }
}

/// The candidates `import discover --path FILE` proposes.
fn discovered_candidates(path: Option<&std::path::Path>) -> Result<Vec<crate::import::Candidate>> {
    let Some(path) = path else {
        return Ok(Vec::new());
    };
    let format = scan::discover::Format::of(path);
    let found = scan::discover::read(path, format).map_err(|problem| {
        Error::Usage(format!(
            "{} ({}): {problem}",
            crate::term::sanitize::line(&path.display().to_string()).into_owned(),
            format.tool()
        ))
    })?;
    let mut candidates: Vec<crate::import::Candidate> = found
        .into_iter()
        .map(|f| crate::import::Candidate {
            var_or_key: f.name,
            ref_name: f.ref_name,
            provider: f.provider,
            value: f.value.as_secret().clone(),
        })
        .collect();
    crate::import::dedupe_ref_names(&mut candidates);
    Ok(candidates)
}

/// `--dry-run --remove-source`: what would go.
fn preview_removal(file: &std::path::Path, removal: Option<&scan::remove::Plan>) {
    output::status(&match removal {
        Some(plan) => format!(
            "--remove-source would remove {} of {}.",
            plan.describe(),
            crate::term::sanitize::line(&plan.file.display().to_string()).into_owned()
        ),
        None => format!(
            "--remove-source would remove line(s) (none) of {}.",
            crate::term::sanitize::line(&file.display().to_string()).into_owned()
        ),
    });
}

/// `--remove-source`: takes the imported keys out of the source file, as planned.
fn remove_source(removal: Option<scan::remove::Plan>) -> Result<()> {
    let Some(plan) = removal else {
        output::status("No imported line to remove from the source.");
        return Ok(());
    };
    let what = plan.describe();
    let removed = scan::remove::apply(plan)?;
    output::status(&format!(
        "Removed {what} from {} (no backup kept).",
        crate::term::sanitize::line(&removed.file.display().to_string()).into_owned()
    ));
    Ok(())
}
