//! Scanning files and directory trees.
//!
//! Directories are walked in name order by the `ignore` crate: files a `.gitignore` (or
//! `.git/info/exclude`, or git's global excludes file) leaves out are not scanned — they are
//! not going to be committed, and `--git` finds them if they were — unless `--no-ignore` asks
//! for everything. Hidden files are scanned (`.env` files matter); `.git` itself is skipped
//! (`--git` reads history properly). The ignore files are honoured in any directory, a git
//! repository or not. Symbolic links are not followed (a link to `/` would scan the whole
//! machine); a path named on the command line is scanned even when ignored or a link. Files
//! larger than [`MAX_FILE`] are skipped with a warning.
//!
//! Every file is read into one buffer reused from file to file (no allocation per file); the
//! buffer may hold keys, so it is wiped when the scan ends, and before it is ever grown.

use std::io::Read;
use std::path::{Path, PathBuf};

use zeroize::{Zeroize, Zeroizing};

use super::{Finding, Origin, Scanner};

/// Largest file scanned.
pub const MAX_FILE: u64 = 1 << 30;

/// What a scan looked at.
#[derive(Debug, Default)]
pub struct Stats {
    pub files: usize,
    pub bytes: u64,
    /// Warnings for the user (paths skipped and why), already escaped.
    pub warnings: Vec<String>,
}

/// How a tree is walked.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Scan what `.gitignore` files leave out too.
    pub no_ignore: bool,
}

/// Scans each path (a file, or a directory recursively).
pub fn scan_paths(
    scanner: &Scanner,
    paths: &[PathBuf],
    options: Options,
    stats: &mut Stats,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut buffer = Buffer::default();
    for path in paths {
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.is_dir() => {
                walk_dir(scanner, path, options, &mut buffer, stats, &mut findings)
            }
            // A path named on the command line is followed even when it is a link.
            Ok(_) => scan_file(scanner, path, &mut buffer, stats, &mut findings),
            Err(e) => stats.warnings.push(format!(
                "cannot read {}: {e}",
                crate::term::sanitize::line(&path.display().to_string()).into_owned()
            )),
        }
    }
    findings
}

fn walk_dir(
    scanner: &Scanner,
    dir: &Path,
    options: Options,
    buffer: &mut Buffer,
    stats: &mut Stats,
    findings: &mut Vec<Finding>,
) {
    let honour = !options.no_ignore;
    let walk = ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .hidden(false)
        .git_ignore(honour)
        .git_exclude(honour)
        .git_global(honour)
        .parents(honour)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(|entry| entry.file_name() != ".git")
        .build();
    for entry in walk {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                stats.warnings.push(format!(
                    "cannot read part of {}: {}",
                    crate::term::sanitize::line(&dir.display().to_string()).into_owned(),
                    crate::term::sanitize::line(&e.to_string()).into_owned()
                ));
                continue;
            }
        };
        if entry.file_type().is_some_and(|t| t.is_file()) {
            scan_file(scanner, entry.path(), buffer, stats, findings);
        }
    }
}

fn scan_file(
    scanner: &Scanner,
    path: &Path,
    buffer: &mut Buffer,
    stats: &mut Stats,
    findings: &mut Vec<Finding>,
) {
    let shown = crate::term::sanitize::line(&display(path)).into_owned();
    let text = match buffer.read(path) {
        Ok(Contents::Text(text)) => text,
        Ok(Contents::TooLarge) => {
            stats
                .warnings
                .push(format!("skipped {shown}: larger than 1 GiB"));
            return;
        }
        Ok(Contents::NotAFile) => return,
        Err(e) => {
            stats.warnings.push(format!("cannot read {shown}: {e}"));
            return;
        }
    };
    stats.files += 1;
    stats.bytes += text.len() as u64;
    let origin = Origin {
        path: shown,
        commit: None,
        source: "worktree",
    };
    findings.extend(scanner.scan(text, &origin));
}

/// What [`Buffer::read`] found.
enum Contents<'a> {
    Text(&'a [u8]),
    TooLarge,
    /// A fifo, a device…: never read (it could block forever).
    NotAFile,
}

/// One buffer for every file of a scan, wiped when dropped and before it grows (a grown
/// `Vec` would leave the old copy in freed memory).
#[derive(Default)]
struct Buffer {
    bytes: Zeroizing<Vec<u8>>,
}

impl Buffer {
    /// The file's bytes, unless it is larger than [`MAX_FILE`] or not a regular file.
    fn read(&mut self, path: &Path) -> std::io::Result<Contents<'_>> {
        // Checked before opening: opening a fifo would block.
        let meta = std::fs::metadata(path)?;
        if !meta.is_file() {
            return Ok(Contents::NotAFile);
        }
        if meta.len() > MAX_FILE {
            return Ok(Contents::TooLarge);
        }
        let mut file = std::fs::File::open(path)?;
        // Room for the size the file had, plus one byte to notice that it grew.
        let want = meta.len() as usize + 1;
        if self.bytes.capacity() < want {
            self.bytes.zeroize();
            self.bytes = Zeroizing::new(Vec::with_capacity(want.max(1 << 20)));
        }
        let capacity = self.bytes.capacity();
        self.bytes.resize(capacity, 0);
        let mut filled = 0;
        loop {
            match file.read(&mut self.bytes[filled..]) {
                Ok(0) => break,
                Ok(n) => {
                    filled += n;
                    // A file growing while read: what fits is scanned (it is MAX_FILE at most).
                    if filled == self.bytes.len() {
                        break;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(Contents::Text(&self.bytes[..filled]))
    }
}

/// A path as the user would type it: without a leading `./`.
fn display(path: &Path) -> String {
    let text = path.display().to_string();
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}
