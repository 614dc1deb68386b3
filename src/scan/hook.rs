//! Installing `byok scan --staged` as a git pre-commit hook, alone or chained with the hook
//! that is there already.
//!
//! The hook is a marked block (between [`BEGIN`] and [`END`]) so that installing again
//! replaces it, and removing it by hand uninstalls. An existing shell hook gets the block
//! right after its `#!` line (byok runs first; the hook's own `exit 0` cannot skip it). Any
//! other hook (Python, a binary) is renamed to `pre-commit.byok-chained` and run by the new
//! shell hook after the scan. Git runs pre-commit hooks with standard input from
//! `/dev/null`; the hook gives byok the terminal back when there is one, so a locked vault
//! can ask for its passphrase — and a scripted commit, without a terminal, gets the
//! shape-only scan instead of a hang.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub const BEGIN: &str = "# >>> byok scan --staged (installed by `byok scan --install-hook`) >>>";
pub const END: &str = "# <<< byok scan --staged <<<";
/// Where a hook byok cannot edit in place goes.
pub const CHAINED: &str = "pre-commit.byok-chained";

/// What [`install`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Installed {
    New(PathBuf),
    Updated(PathBuf),
    /// Inserted into the existing shell hook.
    Inserted(PathBuf),
    /// The existing hook was renamed and is run after the scan.
    Chained {
        hook: PathBuf,
        previous: PathBuf,
    },
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The marked block for a byok binary at `byok`.
pub fn block(byok: &Path) -> String {
    format!(
        r#"{BEGIN}
byok_bin={bin}
[ -x "$byok_bin" ] || byok_bin=byok
if ! command -v "$byok_bin" >/dev/null 2>&1; then
  echo "pre-commit: byok not found; remove the byok block from $0, or commit with --no-verify" >&2
  exit 1
fi
if [ -t 2 ] && [ ! -t 0 ] && (: </dev/tty) 2>/dev/null; then
  "$byok_bin" scan --staged </dev/tty || exit $?
else
  "$byok_bin" scan --staged || exit $?
fi
{END}
"#,
        bin = quote(&byok.display().to_string())
    )
}

fn is_shell_script(text: &str) -> bool {
    let Some(first) = text.lines().next() else {
        return false;
    };
    let Some(interpreter) = first.strip_prefix("#!") else {
        return false;
    };
    let words: Vec<&str> = interpreter.split_whitespace().collect();
    let program = match words.as_slice() {
        [env, program, ..] if env.ends_with("/env") => *program,
        [program, ..] => program.rsplit('/').next().unwrap_or(program),
        [] => return false,
    };
    matches!(program, "sh" | "bash" | "dash" | "zsh" | "ksh")
}

/// Replaces an existing marked block, if there is one.
fn replace_block(text: &str, block: &str) -> Option<String> {
    let start = text.find(BEGIN)?;
    let end = text[start..].find(END)? + start + END.len();
    let end = if text[end..].starts_with('\n') {
        end + 1
    } else {
        end
    };
    Some(format!("{}{block}{}", &text[..start], &text[end..]))
}

/// Installs the hook into the repository at `repo`.
pub fn install(repo: &Path, byok: &Path) -> Result<Installed> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["rev-parse", "--git-path", "hooks"])
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| Error::Usage(format!("could not run git: {e}")))?;
    if !out.status.success() {
        return Err(Error::Usage(format!(
            "{} is not in a git repository",
            crate::term::sanitize::line(&repo.display().to_string()).into_owned()
        )));
    }
    let hooks = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let hooks = if hooks.is_absolute() {
        hooks
    } else {
        repo.join(hooks)
    };
    std::fs::create_dir_all(&hooks).map_err(Error::io("create directory", &hooks))?;
    let hook = hooks.join("pre-commit");
    // A linked hook (a hook manager's) is edited where it lives.
    let target = std::fs::canonicalize(&hook).unwrap_or_else(|_| hook.clone());
    let block = block(byok);
    let installed = match std::fs::read(&target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            write_hook(&target, &format!("#!/bin/sh\n{block}"))?;
            Installed::New(hook)
        }
        Err(e) => return Err(Error::io("read", &target)(e)),
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) if text.contains(BEGIN) => {
                let updated = replace_block(&text, &block).ok_or_else(|| {
                    Error::Usage(format!(
                        "{} has a byok block without its end marker; fix it by hand",
                        crate::term::sanitize::line(&target.display().to_string()).into_owned()
                    ))
                })?;
                write_hook(&target, &updated)?;
                Installed::Updated(hook)
            }
            Ok(text) if is_shell_script(&text) => {
                let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
                write_hook(&target, &format!("{first}\n{block}{rest}"))?;
                Installed::Inserted(hook)
            }
            _ => {
                let previous = hooks.join(CHAINED);
                if previous.exists() {
                    return Err(Error::Usage(format!(
                        "{} exists already; move it away and try again",
                        crate::term::sanitize::line(&previous.display().to_string()).into_owned()
                    )));
                }
                std::fs::rename(&hook, &previous).map_err(Error::io("rename", &hook))?;
                let script =
                    format!("#!/bin/sh\n{block}exec \"$(dirname \"$0\")/{CHAINED}\" \"$@\"\n");
                write_hook(&hook, &script)?;
                Installed::Chained { hook, previous }
            }
        },
    };
    Ok(installed)
}

fn write_hook(path: &Path, text: &str) -> Result<()> {
    crate::fsutil::write_atomic(path, text.as_bytes())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
            .map_err(Error::io("make executable", path))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_scripts_are_recognised() {
        assert!(is_shell_script("#!/bin/sh\necho"));
        assert!(is_shell_script("#!/usr/bin/env bash\n"));
        assert!(is_shell_script("#! /bin/zsh -e\n"));
        assert!(!is_shell_script("#!/usr/bin/env python3\n"));
        assert!(!is_shell_script("echo\n"));
    }

    #[test]
    fn blocks_are_replaced_not_repeated() {
        let old = format!("#!/bin/sh\n{}echo mine\n", block(Path::new("/old/byok")));
        let new = replace_block(&old, &block(Path::new("/new/by'ok"))).unwrap();
        assert_eq!(new.matches(BEGIN).count(), 1);
        assert!(new.contains(r"'/new/by'\''ok'"));
        assert!(new.ends_with("echo mine\n"));
    }
}
