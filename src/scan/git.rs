//! Scanning git history and the index through the git CLI.
//!
//! History: one `git log --raw -m --reverse` over RANGE (default `--all`) lists every blob
//! each commit added or changed, oldest first, so the first commit naming a blob is the one
//! that introduced it; each distinct blob is then read once through a single
//! `git cat-file --batch` (fed by a writer thread while the scan reads). The index: `git diff
//! --cached --raw` names the staged blobs the same way. Blobs larger than
//! [`super::walk::MAX_FILE`] are skipped with a warning.
//!
//! A submodule is a commit of another repository: its files are not in this one's objects, so
//! it is not scanned here. Each submodule path met is reported once, with the command that
//! scans it as its own repository (`byok scan --git PATH`).
//!
//! git inherits byok's environment on purpose: inside a pre-commit hook, `GIT_INDEX_FILE`
//! points at the index being committed.

use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use zeroize::Zeroizing;

use super::walk::{MAX_FILE, Stats};
use super::{Finding, Origin, Scanner};

/// Why git could not be read; never holds file content.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("could not run git: {0}")]
    Spawn(#[source] std::io::Error),
    #[error("git {command} failed: {message}")]
    Failed {
        command: &'static str,
        message: String,
    },
    #[error("unexpected output from git {0}")]
    Protocol(&'static str),
    #[error("invalid range '{0}': a range cannot start with '-'")]
    BadRange(String),
}

/// One blob to read and where it was first seen.
struct Blob {
    sha: String,
    path: String,
    commit: Option<String>,
}

fn git(repo: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(repo).args(["-c", "core.quotepath=off"]);
    cmd
}

fn run(repo: &Path, command: &'static str, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = git(repo)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(GitError::Spawn)?;
    if !out.status.success() {
        let message = String::from_utf8_lossy(&out.stderr);
        let message = message.lines().next().unwrap_or("no message").trim();
        return Err(GitError::Failed {
            command,
            message: crate::term::sanitize::line(message).into_owned(),
        });
    }
    Ok(out.stdout)
}

/// Parses `--raw -z` records (`:old new oldsha newsha status\0path\0`), keeping new blobs.
fn raw_entries(
    text: &[u8],
    commit: Option<&str>,
    seen: &mut HashMap<String, ()>,
    submodules: &mut BTreeSet<String>,
    out: &mut Vec<Blob>,
) {
    let mut tokens = text.split(|b| *b == 0).filter(|t| !t.is_empty());
    while let Some(meta) = tokens.next() {
        let meta = String::from_utf8_lossy(meta);
        let Some(meta) = meta.trim_start_matches('\n').strip_prefix(':') else {
            continue;
        };
        let fields: Vec<&str> = meta.split(' ').collect();
        let Some(path) = tokens.next() else { break };
        if fields.len() < 5 {
            continue;
        }
        let (mode, sha) = (fields[1], fields[3]);
        // Deletions have a zero id; submodules (160000) are commits in another repository.
        if sha.bytes().all(|b| b == b'0') {
            continue;
        }
        if mode == "160000" {
            submodules
                .insert(crate::term::sanitize::line(&String::from_utf8_lossy(path)).into_owned());
            continue;
        }
        if seen.insert(sha.to_owned(), ()).is_none() {
            out.push(Blob {
                sha: sha.to_owned(),
                path: crate::term::sanitize::line(&String::from_utf8_lossy(path)).into_owned(),
                commit: commit.map(str::to_owned),
            });
        }
    }
}

/// Every stored value and key-shaped string in the blobs reachable from `range`.
pub fn history(
    scanner: &Scanner,
    repo: &Path,
    range: Option<&str>,
    stats: &mut Stats,
) -> Result<Vec<Finding>, GitError> {
    let mut args = vec![
        "log",
        "-m",
        "--raw",
        "--no-abbrev",
        "--no-renames",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        "-z",
        "--reverse",
        "--format=format:%x01%H",
    ];
    match range {
        Some(r) if r.starts_with('-') => {
            return Err(GitError::BadRange(
                crate::term::sanitize::line(r).into_owned(),
            ));
        }
        Some(r) if !r.is_empty() => args.extend(["--end-of-options", r]),
        _ => args.push("--all"),
    }
    let log = run(repo, "log", &args)?;
    let mut seen = HashMap::new();
    let mut submodules = BTreeSet::new();
    let mut blobs = Vec::new();
    for record in log.split(|b| *b == 1).filter(|r| !r.is_empty()) {
        let end = memchr::memchr2(b'\n', 0, record).unwrap_or(record.len());
        let commit = String::from_utf8_lossy(&record[..end]).into_owned();
        raw_entries(
            &record[end..],
            Some(&commit),
            &mut seen,
            &mut submodules,
            &mut blobs,
        );
    }
    skipped_submodules(repo, &submodules, stats);
    read_blobs(scanner, repo, blobs, "history", stats)
}

/// Every stored value and key-shaped string in the blobs staged for the next commit.
pub fn staged(scanner: &Scanner, repo: &Path, stats: &mut Stats) -> Result<Vec<Finding>, GitError> {
    let diff = run(
        repo,
        "diff --cached",
        &[
            "diff",
            "--cached",
            "--raw",
            "--no-abbrev",
            "--no-renames",
            "--no-color",
            "--no-ext-diff",
            "-z",
            "--diff-filter=ACMRT",
        ],
    )?;
    let mut seen = HashMap::new();
    let mut submodules = BTreeSet::new();
    let mut blobs = Vec::new();
    raw_entries(&diff, None, &mut seen, &mut submodules, &mut blobs);
    skipped_submodules(repo, &submodules, stats);
    read_blobs(scanner, repo, blobs, "staged", stats)
}

/// One notice per submodule path: not scanned, and how to scan it.
fn skipped_submodules(repo: &Path, submodules: &BTreeSet<String>, stats: &mut Stats) {
    for path in submodules {
        let shown = format!(
            "{}/{path}",
            crate::term::sanitize::line(&repo.display().to_string()).into_owned()
        );
        stats.warnings.push(format!(
            "skipped the submodule {path}: it is another repository (scan it with `byok scan --git {shown}`)"
        ));
    }
}

fn read_blobs(
    scanner: &Scanner,
    repo: &Path,
    blobs: Vec<Blob>,
    source: &'static str,
    stats: &mut Stats,
) -> Result<Vec<Finding>, GitError> {
    let mut findings = Vec::new();
    if blobs.is_empty() {
        return Ok(findings);
    }
    let mut child = git(repo)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(GitError::Spawn)?;
    let mut stdin = child.stdin.take().ok_or(GitError::Protocol("cat-file"))?;
    let request: Vec<u8> = blobs
        .iter()
        .flat_map(|b| b.sha.bytes().chain(std::iter::once(b'\n')))
        .collect();
    // Written by a thread: git answers while we ask, and both pipes have limited buffers.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&request);
    });
    let mut out = BufReader::with_capacity(
        1 << 20,
        child.stdout.take().ok_or(GitError::Protocol("cat-file"))?,
    );
    let mut result = Ok(());
    let mut header = Vec::new();
    for blob in &blobs {
        header.clear();
        if out.read_until(b'\n', &mut header).unwrap_or(0) == 0 {
            result = Err(GitError::Protocol("cat-file"));
            break;
        }
        let text = String::from_utf8_lossy(&header);
        let parts: Vec<&str> = text.trim_end().split(' ').collect();
        if parts.len() == 2 && parts[1] == "missing" {
            continue;
        }
        let (Some(kind), Some(size)) = (
            parts.get(1),
            parts.get(2).and_then(|s| s.parse::<u64>().ok()),
        ) else {
            result = Err(GitError::Protocol("cat-file"));
            break;
        };
        if *kind != "blob" || size > MAX_FILE {
            if size > MAX_FILE {
                stats.warnings.push(format!(
                    "skipped {} in {}: larger than 1 GiB",
                    blob.path,
                    short(&blob.commit)
                ));
            }
            let skipped = std::io::copy(&mut (&mut out).take(size + 1), &mut std::io::sink());
            if skipped.ok() != Some(size + 1) {
                result = Err(GitError::Protocol("cat-file"));
                break;
            }
            continue;
        }
        let mut content = Zeroizing::new(Vec::with_capacity(size as usize + 1));
        if (&mut out).take(size + 1).read_to_end(&mut content).ok() != Some(size as usize + 1) {
            result = Err(GitError::Protocol("cat-file"));
            break;
        }
        content.pop();
        stats.files += 1;
        stats.bytes += size;
        let origin = Origin {
            path: blob.path.clone(),
            commit: blob.commit.clone(),
            source,
        };
        findings.extend(scanner.scan(&content, &origin));
    }
    drop(out);
    let _ = writer.join();
    let _ = child.wait();
    result.map(|()| findings)
}

fn short(commit: &Option<String>) -> String {
    commit.as_deref().map_or("the index".to_owned(), |c| {
        format!("commit {}", &c[..c.len().min(12)])
    })
}
