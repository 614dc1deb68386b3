//! Whether the home directory and the vault files in it can be trusted, checked before any
//! of them is read.
//!
//! A home or vault file that another user can write (group/world-writable, or owned by
//! someone else) could have been swapped for one encrypted to an attacker's key, so byok
//! refuses it, with the `chmod`/`chown` that fixes it in the hint. Holding both identity
//! files is ambiguous (the clear `identity.txt` would silently win over `identity.age`), so
//! it is refused too. A `vault.age` that is not a regular file is refused before it is
//! opened: a FIFO would hang every command, a symlink would be replaced by the next write.

use std::path::Path;

use crate::error::{Error, Result};
use crate::paths::Paths;

/// Checks the home directory and its identity files. A missing home passes (commands then
/// say "not initialised").
pub fn check_home(paths: &Paths) -> Result<()> {
    let home = &paths.home;
    let Ok(meta) = std::fs::metadata(home) else {
        return Ok(());
    };
    if !meta.is_dir() {
        return Err(untrusted(
            home,
            "is not a directory".into(),
            "point BYOK_HOME at byok's home directory".into(),
        ));
    }
    check_owner_and_mode(home, &meta, 0o700)?;
    let (txt, age) = (paths.identity_txt(), paths.identity_age());
    if txt.symlink_metadata().is_ok() && age.symlink_metadata().is_ok() {
        return Err(untrusted(
            home,
            "holds both identity.txt and identity.age: it is not clear which one unlocks the vault"
                .into(),
            format!(
                "keep the one that belongs to this vault and move the other away, e.g. `mv {} {}.bak`",
                txt.display(),
                txt.display()
            ),
        ));
    }
    for file in [txt, age] {
        if let Ok(meta) = std::fs::symlink_metadata(&file) {
            check_regular(&file, &meta)?;
            check_owner_and_mode(&file, &meta, 0o600)?;
        }
    }
    Ok(())
}

/// Checks a vault file before it is opened: `Ok(false)` when it does not exist, `Ok(true)`
/// when it is a regular file of ours that no one else can write.
pub fn check_vault_file(path: &Path) -> Result<bool> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(Error::io("inspect", path)(e)),
    };
    check_regular(path, &meta)?;
    check_owner_and_mode(path, &meta, 0o600)?;
    Ok(true)
}

fn check_regular(path: &Path, meta: &std::fs::Metadata) -> Result<()> {
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(());
    }
    let what = if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_dir() {
        "a directory"
    } else {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if kind.is_fifo() {
                "a FIFO (named pipe)"
            } else if kind.is_socket() {
                "a socket"
            } else {
                "a device or special file"
            }
        }
        #[cfg(not(unix))]
        "not a regular file"
    };
    let fix = if kind.is_symlink() {
        format!(
            "byok reads and replaces only regular files; put the file itself there (e.g. `cp --remove-destination \"$(readlink -f {p})\" {p}`)",
            p = path.display()
        )
    } else {
        format!(
            "move it away (`mv {p} {p}.bak`) and restore the real file from a backup",
            p = path.display()
        )
    };
    Err(untrusted(
        path,
        format!("is {what}, not a regular file"),
        fix,
    ))
}

#[cfg(unix)]
fn check_owner_and_mode(path: &Path, meta: &std::fs::Metadata, want: u32) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let me = rustix::process::geteuid().as_raw();
    if meta.uid() != me {
        return Err(untrusted(
            path,
            format!("is owned by user {} (byok runs as user {me})", meta.uid()),
            format!(
                "if it is yours, take it back: `chown {me} {}`; otherwise point BYOK_HOME at your own home",
                path.display()
            ),
        ));
    }
    let mode = meta.mode() & 0o7777;
    if mode & 0o022 != 0 {
        let who = match (mode & 0o020 != 0, mode & 0o002 != 0) {
            (true, true) => "group- and world-writable",
            (true, false) => "group-writable",
            _ => "world-writable",
        };
        return Err(untrusted(
            path,
            format!("is {who} (mode {mode:o}): another user could replace what is in it"),
            format!("`chmod {want:o} {}`", path.display()),
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_owner_and_mode(_: &Path, _: &std::fs::Metadata, _: u32) -> Result<()> {
    Ok(())
}

fn untrusted(path: &Path, problem: String, fix: String) -> Error {
    Error::UntrustedHome {
        path: path.to_path_buf(),
        problem,
        fix,
    }
}
