//! `byok import …`: turns keys kept by other tools into byok secrets, in one vault write.

use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};

use crate::cli::{ImportArgs, ImportSource};
use crate::error::{Error, Result};
use crate::import::{self, Candidate, aichat, dotenv, llm};
use crate::output;
use crate::prompt;
use crate::secret::{SecretValue, mask};
use crate::settings::Settings;
use crate::store::vault::{self, SecretRecord};
use crate::target::KEY_FIELD;

/// What happens to one candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Action {
    Add,
    Replace,
    Skip,
}

impl Action {
    fn label(self) -> &'static str {
        match self {
            Action::Add => "add",
            Action::Replace => "replace",
            Action::Skip => "skip (exists; --force replaces)",
        }
    }
}

pub fn run(settings: &Settings, args: &ImportArgs) -> Result<()> {
    // Parse the whole source first: a malformed one imports nothing.
    let candidates = read_candidates(settings, &args.source)?;
    let (unlocked, doc) = super::open_doc(settings)?;
    let plan: Vec<(Candidate, Action)> = candidates
        .into_iter()
        .map(|c| {
            let action = match (doc.secrets.contains_key(&c.ref_name), args.force) {
                (false, _) => Action::Add,
                (true, true) => Action::Replace,
                (true, false) => Action::Skip,
            };
            (c, action)
        })
        .collect();
    drop(doc);

    if plan.is_empty() {
        output::status("No keys found to import.");
        return Ok(());
    }
    let table = plan_table(settings, &plan);
    if args.dry_run {
        output::print_table(&table)?;
        output::status("Dry run: nothing was changed.");
        return Ok(());
    }
    eprintln!("{table}");
    let count = plan.iter().filter(|(_, a)| *a != Action::Skip).count();
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
        if !prompt::confirm(&format!("Import {count} secret(s) as shown?"))? {
            return Err(Error::Cancelled);
        }
    }

    let now = output::now_rfc3339();
    let (added, replaced) = vault::modify(settings, &unlocked, |doc| {
        let (mut added, mut replaced) = (0, 0);
        for (candidate, action) in &plan {
            let value = SecretValue::new(candidate.value.expose_secret().to_owned());
            // Re-checked under the lock: a secret added meanwhile is not overwritten
            // without --force.
            match doc.secrets.get_mut(&candidate.ref_name) {
                Some(record) if args.force && *action != Action::Skip => {
                    record.fields.insert(KEY_FIELD.to_owned(), Some(value));
                    if let Some(provider) = candidate.provider {
                        record.provider = Some(provider.to_owned());
                    }
                    record.updated = now.clone();
                    record.rotated = now.clone();
                    replaced += 1;
                }
                Some(_) => {}
                None if *action != Action::Skip => {
                    doc.secrets.insert(
                        candidate.ref_name.clone(),
                        SecretRecord {
                            label: candidate.ref_name.clone(),
                            provider: candidate.provider.map(str::to_owned),
                            store: Default::default(),
                            created: now.clone(),
                            updated: now.clone(),
                            rotated: now.clone(),
                            fields: [(KEY_FIELD.to_owned(), Some(value))].into(),
                        },
                    );
                    added += 1;
                }
                None => {}
            }
        }
        Ok((added, replaced))
    })?;
    let skipped = plan.len() - added - replaced;
    output::status(&format!(
        "Imported {added} new secret(s), replaced {replaced}, skipped {skipped}."
    ));
    Ok(())
}

fn plan_table(settings: &Settings, plan: &[(Candidate, Action)]) -> comfy_table::Table {
    let mut table = output::table(settings, &["REF", "PROVIDER", "FROM", "VALUE", "ACTION"]);
    for (c, action) in plan {
        table.add_row(vec![
            c.ref_name.clone(),
            c.provider.unwrap_or("-").to_owned(),
            c.var_or_key.clone(),
            mask(c.value.expose_secret()),
            action.label().to_owned(),
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
