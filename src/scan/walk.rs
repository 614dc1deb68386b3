//! Scanning files and directory trees.
//!
//! Directories are walked in name order; `.git` directories are skipped (`--git` reads
//! history properly), symbolic links are not followed (a link to `/` would scan the whole
//! machine), and files larger than [`MAX_FILE`] are skipped with a warning. Every file is
//! read whole into a buffer that is wiped afterwards — it may hold keys.

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

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

/// Scans each path (a file, or a directory recursively).
pub fn scan_paths(scanner: &Scanner, paths: &[PathBuf], stats: &mut Stats) -> Vec<Finding> {
    let mut findings = Vec::new();
    for path in paths {
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.is_dir() => walk_dir(scanner, path, stats, &mut findings),
            // A path named on the command line is followed even when it is a link.
            Ok(_) => scan_file(scanner, path, stats, &mut findings),
            Err(e) => stats.warnings.push(format!(
                "cannot read {}: {e}",
                super::escape(&path.display().to_string())
            )),
        }
    }
    findings
}

fn walk_dir(scanner: &Scanner, dir: &Path, stats: &mut Stats, findings: &mut Vec<Finding>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            stats.warnings.push(format!(
                "cannot read directory {}: {e}",
                super::escape(&dir.display().to_string())
            ));
            return;
        }
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if entry.file_name() != ".git" {
                walk_dir(scanner, &path, stats, findings);
            }
        } else if kind.is_file() {
            scan_file(scanner, &path, stats, findings);
        }
    }
}

fn scan_file(scanner: &Scanner, path: &Path, stats: &mut Stats, findings: &mut Vec<Finding>) {
    let shown = super::escape(&display(path));
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => return,
        Ok(meta) if meta.len() > MAX_FILE => {
            stats
                .warnings
                .push(format!("skipped {shown}: larger than 1 GiB"));
            return;
        }
        Ok(_) => {}
        Err(e) => {
            stats.warnings.push(format!("cannot read {shown}: {e}"));
            return;
        }
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => Zeroizing::new(bytes),
        Err(e) => {
            stats.warnings.push(format!("cannot read {shown}: {e}"));
            return;
        }
    };
    stats.files += 1;
    stats.bytes += bytes.len() as u64;
    let origin = Origin {
        path: shown,
        commit: None,
        source: "worktree",
    };
    findings.extend(scanner.scan(&bytes, &origin));
}

/// A path as the user would type it: without a leading `./`.
fn display(path: &Path) -> String {
    let text = path.display().to_string();
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}
