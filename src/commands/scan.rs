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
    if args.revoke {
        revoke(ctx, &findings)?;
    }
    Err(Error::LeaksFound { stored, shapes })
}

/// `--revoke`: each stored API key found (its current value) is rotated through its
/// provider and the leaked key disabled or deleted there now; a previous value found whose
/// retirement is still pending is retired now. Every other finding is left to the user.
fn revoke(ctx: &Context, findings: &[Finding]) -> Result<()> {
    let mut done: Vec<String> = Vec::new();
    for finding in findings {
        let What::Stored {
            reference,
            field,
            previous,
            ..
        } = &finding.what
        else {
            continue;
        };
        if field != crate::names::DEFAULT_FIELD || done.contains(reference) {
            continue;
        }
        done.push(reference.clone());
        let place = match &finding.commit {
            Some(commit) => format!(
                "{} (commit {})",
                finding.path,
                &commit[..commit.len().min(12)]
            ),
            None => finding.path.clone(),
        };
        if *previous {
            match crate::commands::secret::retire_now(ctx, reference)? {
                true => output::status(&format!(
                    "the previous key of '{reference}' leaked in {place}: retired at its provider now"
                )),
                false => output::warn(
                    &ctx.settings,
                    &format!(
                        "the previous key of '{reference}' leaked in {place}; byok has no pending \
                         retirement for it: disable it in the provider's console"
                    ),
                ),
            }
            continue;
        }
        output::status(&format!(
            "'{reference}' leaked in {place}: rotating it through its provider and retiring the leaked key"
        ));
        if let Err(e) = crate::commands::secret::rotate_leaked(ctx, reference) {
            output::warn(
                &ctx.settings,
                &format!("'{reference}' was not revoked: {e}; rotate it by hand"),
            );
        }
    }
    Ok(())
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
    let shown =
        |p: &std::path::Path| crate::term::sanitize::line(&p.display().to_string()).into_owned();
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
