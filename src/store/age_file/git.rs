//! The little git a shared file needs: an older version of it (`git show REV:FILE`, read
//! into memory only) and whether it is in the middle of a merge conflict.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::error::{Error, Result};

/// The most a `git show` may print before byok stops reading it.
const MAX_BLOB: u64 = 64 << 20;

/// A revision as the user gave it, checked so git cannot take it for an option.
fn check_rev(rev: &str) -> Result<()> {
    if rev.is_empty()
        || rev.starts_with('-')
        || rev.len() > 256
        || rev.chars().any(|c| c.is_control() || c == ':')
    {
        return Err(Error::Usage(
            "invalid revision: give a commit, branch or tag (e.g. HEAD~1, main, a1b2c3d)".into(),
        ));
    }
    Ok(())
}

fn git_in(file: &Path) -> Result<(Command, String)> {
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Error::Usage("the store's file name must be valid UTF-8".into()))?;
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(dir).stdin(Stdio::null());
    Ok((cmd, name.to_owned()))
}

/// The bytes of `file` as of `rev` in the git repository it lives in.
pub fn show(file: &Path, rev: &str) -> Result<Vec<u8>> {
    check_rev(rev)?;
    let (mut cmd, name) = git_in(file)?;
    let child = cmd
        .arg("show")
        .arg(format!("{rev}:./{name}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::Git {
            message: format!("could not run git ({e})"),
        })?;
    let out = read_bounded(child)?;
    if !out.status.success() {
        let first = String::from_utf8_lossy(&out.stderr)
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(300)
            .collect::<String>();
        return Err(Error::Git {
            message: format!(
                "no version of {} at {rev}: {}",
                file.display(),
                crate::term::sanitize::line(&first).into_owned()
            ),
        });
    }
    Ok(out.stdout)
}

fn read_bounded(mut child: std::process::Child) -> Result<std::process::Output> {
    use std::io::Read;
    let mut stdout = Vec::new();
    let mut pipe = child.stdout.take().expect("piped");
    let mut stderr_pipe = child.stderr.take().expect("piped");
    let err_thread = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = (&mut stderr_pipe).take(64 * 1024).read_to_end(&mut buf);
        buf
    });
    let read = (&mut pipe).take(MAX_BLOB + 1).read_to_end(&mut stdout);
    drop(pipe);
    let too_large = stdout.len() as u64 > MAX_BLOB;
    if too_large {
        let _ = child.kill();
    }
    let status = child.wait().map_err(|e| Error::Git {
        message: format!("git failed ({e})"),
    })?;
    let stderr = err_thread.join().unwrap_or_default();
    read.map_err(|e| Error::Git {
        message: format!("could not read git's output ({e})"),
    })?;
    if too_large {
        return Err(Error::Git {
            message: format!("that version is larger than {} MiB", MAX_BLOB >> 20),
        });
    }
    Ok(std::process::Output {
        status,
        stdout,
        stderr,
    })
}

/// Whether git reports `file` or `sibling` (a file in the same directory) as unmerged (a
/// merge or rebase stopped on it). `false` when the file is not in a git work tree or git
/// is not installed. One `git` run, only inside a work tree.
pub fn unmerged(file: &Path, sibling: &Path) -> bool {
    if !in_work_tree(file) {
        return false;
    }
    let Ok((mut cmd, name)) = git_in(file) else {
        return false;
    };
    cmd.args(["ls-files", "--unmerged", "--"]).arg(name);
    if let Some(other) = sibling.file_name() {
        cmd.arg(other);
    }
    cmd.stdout(Stdio::piped()).stderr(Stdio::null());
    match cmd.output() {
        Ok(out) => out.status.success() && !out.stdout.is_empty(),
        Err(_) => false,
    }
}

/// Whether a `.git` exists in the file's directory or above (so git is only run there).
fn in_work_tree(file: &Path) -> bool {
    let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    absolute
        .ancestors()
        .skip(1)
        .any(|d| d.join(".git").exists())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_that_look_like_options_are_refused() {
        for rev in ["--output=/tmp/x", "-p", "", "HEAD:other", "a\nb"] {
            assert!(check_rev(rev).is_err(), "{rev:?}");
        }
        for rev in ["HEAD", "HEAD~1", "main", "a1b2c3d", "v1.0"] {
            assert!(check_rev(rev).is_ok(), "{rev:?}");
        }
    }
}
