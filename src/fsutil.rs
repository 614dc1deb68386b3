//! Safe file writes: private permissions, atomic replacement, and an exclusive writer lock.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Creates `dir` (and parents) with mode `0700` if it does not exist.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(Error::io("create directory", dir))
}

/// The prefix of every temporary file byok writes beside a file it replaces.
pub const TEMP_PREFIX: &str = ".byok-tmp-";

/// The prefix of the temporary files that replace `path`: `.byok-tmp-<file name>.`, so a
/// writer that holds `path`'s lock knows every file with it is a leftover of a crash.
fn temp_prefix(path: &Path) -> String {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    format!("{TEMP_PREFIX}{name}.")
}

/// Replaces `path` with `contents` atomically: a temp file in the same directory (mode
/// `0600`), fsync, rename over the target, fsync the directory. A crash leaves either the
/// old file or the new one, never a mix.
///
/// Callers hold the lock that serialises writers of `path`. So any temp file for `path`
/// already there was left by a writer that died before its rename (each one a complete
/// copy of the old contents, encrypted, which would outlive a `secret rm`): they are removed
/// first.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = parent_dir(path);
    remove_stale_temps(path);
    // tempfile creates the file with mode 0600 on unix.
    let mut tmp = tempfile::Builder::new()
        .prefix(&temp_prefix(path))
        .tempfile_in(dir)
        .map_err(Error::io("create a temporary file in", dir))?;
    tmp.write_all(contents)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(Error::io("write", tmp.path().to_path_buf()))?;
    fault_delay_before_rename();
    tmp.persist(path)
        .map_err(|e| Error::io("replace", path)(e.error))?;
    sync_dir(dir)
}

/// Removes the temp files a crashed writer of `path` left (see [`write_atomic`]), and those
/// of older byok versions (`.byok-tmp-` and six random characters). Best effort: a file
/// that cannot be removed is reported by `doctor`.
pub fn remove_stale_temps(path: &Path) {
    let dir = parent_dir(path);
    let ours = temp_prefix(path);
    for stale in stale_temps(dir) {
        let name = stale.file_name().unwrap_or_default().to_string_lossy();
        let legacy =
            name.len() == TEMP_PREFIX.len() + 6 && !name[TEMP_PREFIX.len()..].contains('.');
        if name.starts_with(&ours) || legacy {
            let _ = fs::remove_file(&stale);
        }
    }
}

/// The `.byok-tmp-*` files in `dir` (regular files only).
pub fn stale_temps(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(TEMP_PREFIX))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// Debug builds only: `BYOK_FAULT=slow-rename:<ms>` sleeps between writing the temp file
/// and renaming it, so the crash tests can kill a writer inside that window.
fn fault_delay_before_rename() {
    #[cfg(debug_assertions)]
    if let Some(fault) = std::env::var_os(crate::paths::ENV_FAULT)
        && let Some(ms) = fault.to_str().and_then(|f| f.strip_prefix("slow-rename:"))
        && let Ok(ms) = ms.parse::<u64>()
    {
        std::thread::sleep(std::time::Duration::from_millis(ms.min(10_000)));
    }
}

/// Reads at most `limit` bytes of `path`; a larger file is an error naming it (a file in the
/// home or a project is input: a damaged or planted one must not exhaust memory).
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let file = File::open(path).map_err(Error::io("read", path))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(Error::io("read", path))?;
    if bytes.len() as u64 > limit {
        return Err(Error::Corrupt {
            path: path.to_path_buf(),
            reason: format!("larger than {} KiB, so not a file byok wrote", limit / 1024),
        });
    }
    Ok(bytes)
}

/// Creates `path` with `contents`, failing if it exists (never silently overwrites).
pub fn write_new(path: &Path, contents: &[u8]) -> Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(Error::io("create", path))?;
    file.write_all(contents)
        .and_then(|()| file.sync_all())
        .map_err(Error::io("write", path))?;
    sync_dir(parent_dir(path))
}

/// The directory `path` lives in. A bare file name (`out.yml`) has the empty path as its
/// parent, which cannot be opened: that is the working directory.
pub fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(Error::io("sync directory", dir))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Mode `0600` for a created file, and `O_NOFOLLOW`: a symlink planted where a log or the lock
/// file goes makes the open fail instead of writing through it.
#[cfg(unix)]
pub fn private_no_follow(options: &mut OpenOptions) {
    use std::os::unix::fs::OpenOptionsExt;
    options
        .mode(0o600)
        .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
}

/// Writes all of `bytes` at `offset` of `file`, leaving the file's cursor and the rest of its
/// contents alone.
pub fn write_all_at(file: &File, bytes: &[u8], offset: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
    }
    #[cfg(windows)]
    {
        let mut written = 0;
        while written < bytes.len() {
            match std::os::windows::fs::FileExt::seek_write(
                file,
                &bytes[written..],
                offset + written as u64,
            ) {
                Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
                Ok(n) => written += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

/// Whether an open failed because the path is a symbolic link that `O_NOFOLLOW` refused.
pub fn refused_symlink(error: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        error.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error())
    }
    #[cfg(not(unix))]
    {
        let _ = error;
        false
    }
}

/// An exclusive lock on the home directory's lock file, held until dropped.
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
}

impl WriteLock {
    /// Blocks until no other byok process is writing.
    pub fn acquire(path: &Path) -> Result<Self> {
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        private_no_follow(&mut options);
        let file = options
            .open(path)
            .map_err(Error::io("open lock file", path))?;
        file.lock()
            .map_err(Error::io("lock", PathBuf::from(path)))?;
        Ok(Self { _file: file })
    }
}
