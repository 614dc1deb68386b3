//! `byok scan`: finds stored values and key-shaped strings in files, git history and the
//! index; `--install-hook` sets up the pre-commit hook.

use std::path::PathBuf;

use crate::cli::ScanArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::scan::{self, Finding, Scanner, ValueMatcher, What, hook, walk};
use crate::term::output;

pub fn run(ctx: &Context, args: &ScanArgs) -> Result<()> {
    let settings = &ctx.settings;
    if args.install_hook {
        return install_hook(args);
    }
    let git_mode = args.git.is_some() || args.staged;
    if git_mode && args.paths.len() > 1 {
        return Err(Error::Usage(
            "with --git or --staged, give at most one PATH: the repository".into(),
        ));
    }

    let mut needles = Vec::new();
    if !args.shapes_only {
        let loaded = scan::load_stored(ctx)?;
        for warning in &loaded.warnings {
            output::warn(settings, warning);
        }
        if let Some(why) = &loaded.unavailable {
            if args.values_only {
                return Err(Error::Usage(format!(
                    "{why}: --values-only has nothing to look for (run `byok unlock` first)"
                )));
            }
            output::warn(
                settings,
                &format!(
                    "{why}: scanning for key shapes only — stored values were NOT checked{}",
                    if ctx.settings.paths.vault().exists() {
                        " (`byok unlock` first to check them)"
                    } else {
                        ""
                    }
                ),
            );
        }
        needles = loaded.needles;
    }
    let scanner = Scanner {
        values: ValueMatcher::new(needles),
        shapes: !args.values_only,
    };

    let mut stats = walk::Stats::default();
    let mut findings: Vec<Finding> = Vec::new();
    if git_mode {
        let repo = args
            .paths
            .first()
            .cloned()
            .unwrap_or_else(|| PathBuf::from("."));
        if let Some(range) = &args.git {
            let range = Some(range.as_str()).filter(|r| !r.is_empty());
            findings.extend(scan::git::history(&scanner, &repo, range, &mut stats)?);
        }
        if args.staged {
            findings.extend(scan::git::staged(&scanner, &repo, &mut stats)?);
        }
    } else {
        let paths = if args.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            args.paths.clone()
        };
        let options = walk::Options {
            no_ignore: args.no_ignore,
        };
        findings.extend(walk::scan_paths(&scanner, &paths, options, &mut stats));
    }
    for warning in &stats.warnings {
        output::warn(settings, warning);
    }

    if args.json {
        output::print_json(&findings)?;
    } else {
        let mut text = String::new();
        for finding in &findings {
            text.push_str(&render(finding, !scanner.values.is_empty()));
            text.push('\n');
        }
        output::print(&text)?;
    }
    let stored = findings.iter().filter(|f| f.is_stored()).count();
    let shapes = findings.len() - stored;
    let against = if scanner.values.is_empty() {
        "no stored values".to_owned()
    } else {
        format!("{} stored value(s)", scanner.values.needles().len())
    };
    output::status(&format!(
        "Scanned {} file(s), {} byte(s), against {against}{}.",
        stats.files,
        stats.bytes,
        if scanner.shapes {
            " and the key shapes"
        } else {
            ""
        }
    ));
    if findings.is_empty() {
        output::status("Nothing found.");
        return Ok(());
    }
    Err(Error::LeaksFound { stored, shapes })
}

/// `commit:path:line:column: what` — like a compiler's message, so editors can jump to it.
fn render(finding: &Finding, checked: bool) -> String {
    let place = match (&finding.commit, finding.source) {
        (Some(commit), _) => format!("{}:{}", &commit[..commit.len().min(12)], finding.path),
        (None, "staged") => format!("(staged) {}", finding.path),
        (None, _) => finding.path.clone(),
    };
    let what = match &finding.what {
        What::Stored {
            reference,
            field,
            matched,
            previous,
            length,
        } => {
            let which = if *previous { "previous value" } else { "value" };
            let how = if *matched == "value" {
                format!("the stored {which}")
            } else {
                format!("a {length}-character fragment of the stored {which}")
            };
            format!("{how} of {reference}.{field}")
        }
        What::Shape { rule, provider } => {
            let rule = match provider {
                Some(p) => format!("{rule}, {p}"),
                None => rule.clone(),
            };
            if checked {
                format!("key-shaped ({rule}); not a value byok holds")
            } else {
                format!("key-shaped ({rule})")
            }
        }
    };
    format!("{place}:{}:{}: {what}", finding.line, finding.column)
}

fn install_hook(args: &ScanArgs) -> Result<()> {
    let repo = match args.paths.as_slice() {
        [] => PathBuf::from("."),
        [one] => one.clone(),
        _ => {
            return Err(Error::Usage(
                "--install-hook takes at most one PATH: the repository".into(),
            ));
        }
    };
    let byok = std::env::current_exe()
        .map_err(|e| Error::Usage(format!("cannot tell where byok is installed: {e}")))?;
    let shown = |p: &std::path::Path| scan::escape(&p.display().to_string());
    match hook::install(&repo, &byok)? {
        hook::Installed::New(path) => {
            output::status(&format!("Installed the pre-commit hook {}.", shown(&path)))
        }
        hook::Installed::Updated(path) => output::status(&format!(
            "Updated byok's block in the pre-commit hook {}.",
            shown(&path)
        )),
        hook::Installed::Inserted(path) => output::status(&format!(
            "Added `byok scan --staged` to the start of the existing pre-commit hook {}.",
            shown(&path)
        )),
        hook::Installed::Chained { hook, previous } => output::status(&format!(
            "Installed the pre-commit hook {}; it runs the previous hook, now {}, after the scan.",
            shown(&hook),
            shown(&previous)
        )),
    }
    Ok(())
}

/// A discovered key as `import discover --json` shows it (the value masked).
#[derive(serde::Serialize)]
struct DiscoveredJson {
    path: String,
    line: usize,
    tool: &'static str,
    name: String,
    provider: Option<&'static str>,
    value: String,
    /// `true`/`false`, or `null` when the vault could not be read.
    in_byok: Option<bool>,
    /// The ref name holding the same value.
    held_by: Option<String>,
    import: String,
}

/// For each found key: the ref of a stored value equal to it (`Some(None)`: not held),
/// or `None` for all when the stored values could not be read.
fn holders(
    found: &[scan::discover::Found],
    stored: Option<&[scan::Needle]>,
) -> Vec<Option<Option<String>>> {
    found
        .iter()
        .map(|f| {
            stored.map(|needles| {
                needles
                    .iter()
                    .find(|n| n.holds(f.value.expose()))
                    .map(|n| n.reference.clone())
            })
        })
        .collect()
}

fn discovered_json(
    found: &[scan::discover::Found],
    held: &[Option<Option<String>>],
) -> Vec<DiscoveredJson> {
    found
        .iter()
        .zip(held)
        .map(|(f, held)| DiscoveredJson {
            path: scan::escape(&f.path.display().to_string()),
            line: f.line,
            tool: f.format.tool(),
            name: f.name.clone(),
            provider: f.provider,
            value: f.value.masked(),
            in_byok: held.as_ref().map(Option::is_some),
            held_by: held.clone().flatten(),
            import: f.format.import_command(&f.path),
        })
        .collect()
}

/// `byok import discover`: lists plaintext keys in other tools' files; changes nothing.
pub fn discover(ctx: &Context, json: bool) -> Result<()> {
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
    let held = holders(&found, loaded.as_ref().map(|l| l.needles.as_slice()));
    let rows = discovered_json(&found, &held);
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

/// `doctor`'s section: one (check, detail, fix) per plaintext key found; `held` says whether
/// the stored values may be read to tell which ones byok holds.
pub fn doctor_findings(ctx: &Context, check_held: bool) -> Vec<(String, String, String)> {
    let (found, _) = scan::discover::discover(&ctx.settings);
    let stored = if check_held && !found.is_empty() {
        scan::load_stored(ctx)
            .ok()
            .filter(|l| l.unavailable.is_none())
    } else {
        None
    };
    let held = holders(&found, stored.as_ref().map(|l| l.needles.as_slice()));
    discovered_json(&found, &held)
        .into_iter()
        .map(|row| {
            let state = match (row.in_byok, &row.held_by) {
                (Some(true), Some(r)) => format!("; byok holds it as {r}"),
                (Some(_), _) => "; byok does not hold it".to_owned(),
                (None, _) => String::new(),
            };
            (
                "plaintext key".to_owned(),
                format!(
                    "{}:{}: {} key {} ({}) in plaintext{state}",
                    row.path,
                    row.line,
                    row.provider.unwrap_or(row.tool),
                    row.name,
                    row.value
                ),
                format!("{} --remove-source", row.import),
            )
        })
        .collect()
}

/// The file an import reads, for `--remove-source`.
pub fn source_file(
    settings: &crate::settings::Settings,
    source: &crate::cli::ImportSource,
) -> Result<PathBuf> {
    use crate::cli::ImportSource;
    use crate::commands::import::source_path;
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
        } => Ok(path.clone()),
        ImportSource::Env | ImportSource::Discover { path: None, .. } => Err(Error::Usage(
            "--remove-source needs a source file (dotenv, llm, aichat or discover --path)".into(),
        )),
    }
}

/// The candidates `import discover --path FILE` proposes.
pub fn discovered_candidates(
    path: Option<&std::path::Path>,
) -> Result<Vec<crate::import::Candidate>> {
    let Some(path) = path else {
        return Ok(Vec::new());
    };
    let format = scan::discover::Format::of(path);
    let found = scan::discover::read(path, format).map_err(|problem| {
        Error::Usage(format!(
            "{} ({}): {problem}",
            scan::escape(&path.display().to_string()),
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

/// `--dry-run --remove-source`: which lines would go.
pub fn preview_removal(
    file: &std::path::Path,
    values: &[crate::secret::SecretValue],
) -> Result<()> {
    let text = crate::import::read_source(file).map_err(|source| Error::Import {
        origin: None,
        source,
    })?;
    let refs: Vec<&crate::secret::SecretValue> = values.iter().collect();
    let lines = scan::remove::lines_holding(&text, &refs);
    output::status(&format!(
        "--remove-source would remove line(s) {} of {}.",
        if lines.is_empty() {
            "(none)".to_owned()
        } else {
            scan::remove::join(&lines)
        },
        scan::escape(&file.display().to_string())
    ));
    Ok(())
}

/// `--remove-source`: takes the imported lines out of the source file.
pub fn remove_source(file: &std::path::Path, values: &[crate::secret::SecretValue]) -> Result<()> {
    let refs: Vec<&crate::secret::SecretValue> = values.iter().collect();
    match scan::remove::remove_lines(file, &refs)? {
        Some(removed) => output::status(&format!(
            "Removed line(s) {} from {} (no backup kept).",
            scan::remove::join(&removed.lines),
            scan::escape(&removed.file.display().to_string())
        )),
        None => output::status("No imported line to remove from the source."),
    }
    Ok(())
}
