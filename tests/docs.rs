//! The documentation checks itself: README.md, SECURITY.md and every page under docs/.
//!
//! * **Links.** Every relative link resolves to a file of the repository, and every `#anchor`
//!   to a heading of the page it names, by GitHub's rules (lowercase; punctuation other than `-`
//!   and `_` dropped; spaces become `-`; a repeated heading gets `-1`, `-2`, …).
//! * **Examples.** Every fenced block names its language, and a block that shows a `$ ` prompt
//!   is a `console` block — these run, page by page, and must print what they show:
//!   - each page gets a fresh temporary home: `HOME` (shown as `~` in the output), `BYOK_HOME`
//!     (`~/.config/byok`) and a working directory `~/work`; the environment is cleared except
//!     `PATH` (the `byok` this test built first), `NO_COLOR=1` and those;
//!   - the blocks of a page run in order and share that home; each `$ ` line (with its `> `
//!     continuation lines) runs through `sh -c`, with standard input from `/dev/null`;
//!   - standard output and standard error are compared together with the lines that follow,
//!     with snapbox's wildcards: `[..]` for any text within a line, `...` on a line of its own
//!     for any number of lines; trailing blanks of a line do not count;
//!   - the exit code must be 0 unless a `? N` line (or `? failed`: any but 0) follows the
//!     command, as in trycmd;
//!   - `<!-- $ command -->` on a line of its own, outside a block, is a hidden step (a set-up
//!     the reader does not need to see): it runs in order and must exit 0; its output is not
//!     compared.
//!
//! The same rules are written for authors in docs/README.md, "About the examples".

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs::File;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A step that runs longer than this has hung (a server, a prompt): it is killed and fails.
const STEP_TIMEOUT: Duration = Duration::from_secs(60);

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// README.md, SECURITY.md, CHANGELOG.md and docs/**/*.md, relative to the repository root,
/// sorted.
fn doc_files(root: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            return;
        };
        for entry in entries {
            let entry = entry.unwrap();
            let rel = dir.join(entry.file_name());
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                walk(root, &rel, out);
            } else if rel.extension().is_some_and(|e| e == "md") {
                out.push(rel);
            }
        }
    }
    let mut files = vec![
        PathBuf::from("README.md"),
        PathBuf::from("SECURITY.md"),
        PathBuf::from("CHANGELOG.md"),
    ];
    walk(root, Path::new("docs"), &mut files);
    files.sort();
    files
}

// ------------------------------------------------------------------------------------------
// A little Markdown: fenced blocks, ATX headings, links, hidden steps.
// ------------------------------------------------------------------------------------------

#[derive(Debug)]
struct Fence {
    /// The info string's first word (`console`, `sh`, …); empty when there is none.
    lang: String,
    /// 1-based line of the opening fence.
    line: usize,
    /// The lines inside, each with its 1-based line number, the fence's indentation removed.
    body: Vec<(usize, String)>,
}

#[derive(Debug)]
enum Item {
    Heading { line: usize, text: String },
    Text { line: usize, text: String },
    Fence(Fence),
    Hidden { line: usize, command: String },
}

fn parse(markdown: &str) -> Result<Vec<Item>, String> {
    let mut items = Vec::new();
    let mut lines = markdown.lines().enumerate().map(|(i, l)| (i + 1, l));
    while let Some((number, line)) = lines.next() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        if let Some((marker, count, info)) = fence_open(rest) {
            let mut body = Vec::new();
            let mut closed = false;
            for (n, l) in lines.by_ref() {
                let t = l.trim_start_matches(' ');
                if t.chars().take_while(|&c| c == marker).count() >= count
                    && t.trim_start_matches(marker).trim().is_empty()
                {
                    closed = true;
                    break;
                }
                let strip = (l.len() - t.len()).min(indent);
                body.push((n, l[strip..].to_string()));
            }
            if !closed {
                return Err(format!(
                    "line {number}: a fenced block that is never closed"
                ));
            }
            let lang = info.split([' ', ',', '{']).next().unwrap_or("").to_string();
            items.push(Item::Fence(Fence {
                lang,
                line: number,
                body,
            }));
        } else if indent <= 3 && is_heading(rest) {
            let text = rest.trim_start_matches('#').trim();
            let text = text.trim_end_matches('#').trim_end().to_string();
            items.push(Item::Heading { line: number, text });
        } else if let Some(command) = rest
            .strip_prefix("<!-- $ ")
            .and_then(|r| r.trim_end().strip_suffix("-->"))
        {
            items.push(Item::Hidden {
                line: number,
                command: command.trim().to_string(),
            });
        } else {
            items.push(Item::Text {
                line: number,
                text: line.to_string(),
            });
        }
    }
    Ok(items)
}

/// An opening code fence: its character, its length and its info string.
fn fence_open(line: &str) -> Option<(char, usize, &str)> {
    let marker = line.chars().next().filter(|&c| c == '`' || c == '~')?;
    let count = line.chars().take_while(|&c| c == marker).count();
    if count < 3 {
        return None;
    }
    let info = line[count..].trim();
    if marker == '`' && info.contains('`') {
        return None; // inline code such as ```a``` on one line
    }
    Some((marker, count, info))
}

fn is_heading(line: &str) -> bool {
    let hashes = line.chars().take_while(|&c| c == '#').count();
    (1..=6).contains(&hashes) && line[hashes..].chars().next().is_none_or(|c| c == ' ')
}

/// The line with every inline code span blanked out (links in code are not links).
fn without_code_spans(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '`' {
            let run = chars[i..].iter().take_while(|&&c| c == '`').count();
            // find the closing run of exactly the same length
            let mut j = i + run;
            let mut close = None;
            while j < chars.len() {
                if chars[j] == '`' {
                    let r = chars[j..].iter().take_while(|&&c| c == '`').count();
                    if r == run {
                        close = Some(j);
                        break;
                    }
                    j += r;
                } else {
                    j += 1;
                }
            }
            match close {
                Some(j) => {
                    out.push_str(&" ".repeat(j + run - i));
                    i = j + run;
                }
                None => {
                    out.extend(&chars[i..i + run]);
                    i += run;
                }
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The targets of the inline links and images of a line (`[text](target "title")`) and of a
/// reference definition (`[id]: target`).
fn link_targets(line: &str) -> Vec<String> {
    let line = without_code_spans(line);
    let mut targets = Vec::new();
    let trimmed = line.trim_start();
    if trimmed.starts_with('[')
        && let Some(end) = trimmed.find("]:")
        && !trimmed[1..end].contains('[')
    {
        if let Some(target) = trimmed[end + 2..].split_whitespace().next() {
            targets.push(target.trim_matches(['<', '>']).to_string());
        }
        return targets;
    }
    let mut rest = line.as_str();
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        let mut depth = 0usize;
        let mut end = after.len();
        for (i, c) in after.char_indices() {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => {
                    end = i;
                    break;
                }
                ')' => depth -= 1,
                _ => {}
            }
        }
        let inside = after[..end].trim();
        let target = match inside.strip_prefix('<') {
            Some(bracketed) => bracketed.split('>').next().unwrap_or(""),
            None => inside.split_whitespace().next().unwrap_or(""),
        };
        targets.push(target.to_string());
        rest = &after[end.min(after.len())..];
    }
    targets
}

/// GitHub's anchor for a heading's text.
fn slug(heading: &str) -> String {
    // The rendered text: code spans keep their content, links their text.
    let mut text = String::new();
    let mut rest = heading;
    while let Some(at) = rest.find("](") {
        text.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        rest = after.find(')').map_or("", |close| &after[close + 1..]);
    }
    text.push_str(rest);
    text.to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// Every anchor a page offers: its headings' slugs (repeats numbered) and explicit
/// `<a id="…">` / `<a name="…">` anchors.
fn anchors(items: &[Item]) -> BTreeSet<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut anchors = BTreeSet::new();
    for item in items {
        match item {
            Item::Heading { text, .. } => {
                let base = slug(text);
                let n = seen.entry(base.clone()).or_insert(0);
                anchors.insert(if *n == 0 {
                    base.clone()
                } else {
                    format!("{base}-{n}")
                });
                *n += 1;
            }
            Item::Text { text, .. } => {
                for key in ["<a id=\"", "<a name=\""] {
                    let mut rest = text.as_str();
                    while let Some(at) = rest.find(key) {
                        let after = &rest[at + key.len()..];
                        if let Some(end) = after.find('"') {
                            anchors.insert(after[..end].to_string());
                        }
                        rest = after;
                    }
                }
            }
            _ => {}
        }
    }
    anchors
}

/// `a/b/../c` → `a/c`; `None` when it climbs out of the repository.
fn normalise(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(p) => out.push(p),
            Component::RootDir | Component::Prefix(_) => {}
        }
    }
    Some(out)
}

/// Every dead link of the given files (paths relative to `root`), one message each.
fn dead_links(root: &Path, files: &[PathBuf]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut anchor_cache: BTreeMap<PathBuf, Result<BTreeSet<String>, String>> = BTreeMap::new();
    let mut anchors_of = |file: &Path| -> Result<BTreeSet<String>, String> {
        anchor_cache
            .entry(file.to_path_buf())
            .or_insert_with(|| {
                let text = std::fs::read_to_string(root.join(file)).map_err(|e| e.to_string())?;
                Ok(anchors(&parse(&text)?))
            })
            .clone()
    };
    for file in files {
        let text = match std::fs::read_to_string(root.join(file)) {
            Ok(text) => text,
            Err(e) => {
                problems.push(format!("{}: {e}", file.display()));
                continue;
            }
        };
        let items = match parse(&text) {
            Ok(items) => items,
            Err(e) => {
                problems.push(format!("{}:{e}", file.display()));
                continue;
            }
        };
        let dir = file.parent().unwrap_or(Path::new(""));
        for item in &items {
            let (line, text) = match item {
                Item::Text { line, text } | Item::Heading { line, text } => (*line, text),
                _ => continue,
            };
            for target in link_targets(text) {
                let at = format!("{}:{line}: link `{target}`", file.display());
                if target.is_empty() {
                    problems.push(format!("{at}: empty target"));
                    continue;
                }
                if target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                let (path, fragment) = match target.split_once('#') {
                    Some((p, f)) => (p, Some(f)),
                    None => (target.as_str(), None),
                };
                let resolved = if path.is_empty() {
                    Some(file.to_path_buf())
                } else if let Some(absolute) = path.strip_prefix('/') {
                    normalise(Path::new(absolute))
                } else {
                    normalise(&dir.join(path))
                };
                let Some(resolved) = resolved else {
                    problems.push(format!("{at}: leaves the repository"));
                    continue;
                };
                if !root.join(&resolved).exists() {
                    problems.push(format!("{at}: {} does not exist", resolved.display()));
                    continue;
                }
                let Some(fragment) = fragment else { continue };
                if resolved.extension().is_some_and(|e| e == "md") {
                    match anchors_of(&resolved) {
                        Ok(set) if set.contains(fragment) => {}
                        Ok(set) => {
                            let near: Vec<&String> = set
                                .iter()
                                .filter(|a| {
                                    a.contains(fragment.split('-').next().unwrap_or(fragment))
                                })
                                .take(5)
                                .collect();
                            let target = resolved.display();
                            problems.push(format!(
                                "{at}: no heading of {target} has the anchor #{fragment} \
                                 (similar: {near:?})"
                            ));
                        }
                        Err(e) => problems.push(format!("{at}: {e}")),
                    }
                } else if !is_line_anchor(fragment) {
                    problems.push(format!(
                        "{at}: #{fragment} on a file that is not Markdown (only #L12 or #L12-L20)"
                    ));
                }
            }
        }
    }
    problems
}

fn is_line_anchor(fragment: &str) -> bool {
    let line = |s: &str| {
        s.strip_prefix('L')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    match fragment.split_once('-') {
        Some((a, b)) => line(a) && line(b),
        None => line(fragment),
    }
}

/// Blocks without a language, and prompts (`$ `) outside `console` blocks: output shown next to
/// a command must be a tested example.
fn untested_examples(file: &Path, items: &[Item]) -> Vec<String> {
    let mut problems = Vec::new();
    for item in items {
        let Item::Fence(fence) = item else { continue };
        let at = format!("{}:{}", file.display(), fence.line);
        if fence.lang.is_empty() {
            problems.push(format!(
                "{at}: a fenced block without a language (`console` for a tested example with \
                 its output, `sh` for commands alone, `text` for other text)"
            ));
        } else if fence.lang != "console"
            && let Some((n, _)) = fence.body.iter().find(|(_, l)| l.starts_with("$ "))
        {
            problems.push(format!(
                "{}:{n}: a `$ ` prompt in a `{}` block: a command shown with its output is a \
                 `console` block (tested); commands alone go in an `sh` block without `$ `",
                file.display(),
                fence.lang
            ));
        }
    }
    problems
}

// ------------------------------------------------------------------------------------------
// Examples
// ------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Status {
    Code(i32),
    Failed,
}

#[derive(Debug, Clone)]
struct Step {
    line: usize,
    command: String,
    status: Status,
    /// `None` for a hidden step (its output is not compared).
    expected: Option<String>,
}

/// The steps of one page, in order: its `console` blocks and hidden steps.
fn steps(items: &[Item]) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    for item in items {
        match item {
            Item::Hidden { line, command } => steps.push(Step {
                line: *line,
                command: command.clone(),
                status: Status::Code(0),
                expected: None,
            }),
            Item::Fence(fence) if fence.lang == "console" => {
                let mut body = fence.body.iter().peekable();
                if body.peek().is_none() {
                    return Err(format!("line {}: an empty console block", fence.line));
                }
                while let Some((line, text)) = body.next() {
                    let Some(command) = text.strip_prefix("$ ") else {
                        return Err(format!(
                            "line {line}: expected a `$ ` command, got `{text}`"
                        ));
                    };
                    let mut command = command.to_string();
                    while let Some((_, more)) = body.next_if(|(_, l)| l.starts_with("> ")) {
                        command.push('\n');
                        command.push_str(&more[2..]);
                    }
                    let mut status = Status::Code(0);
                    if let Some((n, s)) = body.next_if(|(_, l)| l.starts_with("? ")) {
                        status = match s[2..].trim() {
                            "failed" => Status::Failed,
                            code => Status::Code(code.parse().map_err(|_| {
                                format!("line {n}: `? {code}`: expected an exit code or `failed`")
                            })?),
                        };
                    }
                    let mut expected = String::new();
                    while let Some((_, out)) = body.next_if(|(_, l)| !l.starts_with("$ ")) {
                        expected.push_str(out);
                        expected.push('\n');
                    }
                    steps.push(Step {
                        line: *line,
                        command,
                        status,
                        expected: Some(expected),
                    });
                }
            }
            _ => {}
        }
    }
    Ok(steps)
}

/// Trailing blanks of each line and trailing empty lines do not count.
fn tidy(text: &str) -> String {
    let mut out: String = text
        .lines()
        .map(|l| format!("{}\n", l.trim_end()))
        .collect();
    while out.ends_with("\n\n") {
        out.pop();
    }
    if out == "\n" {
        out.clear();
    }
    out
}

struct Sandbox {
    _dir: tempfile::TempDir,
    root: PathBuf,
    home: PathBuf,
    work: PathBuf,
    path: std::ffi::OsString,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::Builder::new()
            .prefix("byok-docs-")
            .tempdir()
            .unwrap();
        let root = dir.path().canonicalize().unwrap();
        let home = root.join("home");
        let work = home.join("work");
        std::fs::create_dir_all(&work).unwrap();
        let bin = Path::new(env!("CARGO_BIN_EXE_byok"))
            .parent()
            .unwrap()
            .to_path_buf();
        let mut dirs = vec![bin];
        let inherited = std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into());
        dirs.extend(std::env::split_paths(&inherited));
        let path = std::env::join_paths(dirs).unwrap();
        Sandbox {
            _dir: dir,
            root,
            home,
            work,
            path,
        }
    }

    /// Runs one command line; its exit code (`None`: killed by a signal) and its output.
    fn run(&self, command: &str) -> Result<(Option<i32>, String), String> {
        let out_path = self.root.join(".output");
        let out = File::create(&out_path).map_err(|e| e.to_string())?;
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(command)
            .current_dir(&self.work)
            .env_clear()
            .env("PATH", &self.path)
            .env("HOME", &self.home)
            .env("BYOK_HOME", self.home.join(".config/byok"))
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(out.try_clone().map_err(|e| e.to_string())?)
            .stderr(out)
            .spawn()
            .map_err(|e| format!("cannot run sh: {e}"))?;
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
                break status;
            }
            if started.elapsed() > STEP_TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("still running after {STEP_TIMEOUT:?}: killed"));
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        let output = std::fs::read(&out_path).map_err(|e| e.to_string())?;
        let output = String::from_utf8_lossy(&output).replace(self.home.to_str().unwrap(), "~");
        Ok((status.code(), output))
    }
}

/// Runs a page's steps in a fresh sandbox; the number of steps, or the first failure.
fn run_page(name: &str, steps: &[Step]) -> Result<usize, String> {
    let sandbox = Sandbox::new();
    let assert = snapbox::Assert::new()
        .normalize_paths(false)
        .palette(snapbox::report::Palette::plain());
    for step in steps {
        let at = format!("{name}:{}: `{}`", step.line, step.command);
        let (code, output) = sandbox
            .run(&step.command)
            .map_err(|e| format!("{at}: {e}"))?;
        let status_ok = match (&step.status, code) {
            (Status::Code(want), Some(got)) => *want == got,
            (Status::Failed, Some(got)) => got != 0,
            (_, None) => false,
        };
        let shown = match &step.status {
            Status::Code(0) => "exit code 0 (no `? N` line)".to_string(),
            Status::Code(n) => format!("`? {n}`"),
            Status::Failed => "`? failed`".to_string(),
        };
        let code_text = code.map_or("a signal".to_string(), |c| format!("exit code {c}"));
        let Some(expected) = &step.expected else {
            if !status_ok {
                return Err(format!(
                    "{at}: the hidden step ended with {code_text}; its output:\n{output}"
                ));
            }
            continue;
        };
        let compared = assert.try_eq(
            Some(&"what the command printed"),
            snapbox::Data::text(tidy(&output)),
            snapbox::Data::text(tidy(expected)),
        );
        if let Err(diff) = compared {
            return Err(format!("{at}: the output differs from the page's\n{diff}"));
        }
        if !status_ok {
            return Err(format!(
                "{at}: ended with {code_text}, the page shows {shown}; its output:\n{output}"
            ));
        }
    }
    Ok(steps.len())
}

// ------------------------------------------------------------------------------------------
// The tests
// ------------------------------------------------------------------------------------------

#[test]
fn every_link_and_anchor_resolves() {
    let root = root();
    let files = doc_files(&root);
    assert!(files.len() > 3, "no docs found: {files:?}");
    let problems = dead_links(&root, &files);
    assert!(problems.is_empty(), "dead links:\n{}", problems.join("\n"));
}

#[test]
fn every_example_with_output_is_a_console_block() {
    let root = root();
    let mut problems = Vec::new();
    for file in doc_files(&root) {
        let text = std::fs::read_to_string(root.join(&file)).unwrap();
        match parse(&text) {
            Ok(items) => problems.extend(untested_examples(&file, &items)),
            Err(e) => problems.push(format!("{}:{e}", file.display())),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn console_examples_print_what_they_show() {
    let root = root();
    // `DOCS_PAGE=docs/proxy.md cargo test --test docs` runs one page's examples.
    let only = std::env::var("DOCS_PAGE").ok();
    let mut pages = Vec::new();
    for file in doc_files(&root) {
        if only.as_ref().is_some_and(|only| Path::new(only) != file) {
            continue;
        }
        let text = std::fs::read_to_string(root.join(&file)).unwrap();
        let items = parse(&text).unwrap_or_else(|e| panic!("{}:{e}", file.display()));
        let steps = steps(&items).unwrap_or_else(|e| panic!("{}:{e}", file.display()));
        if !steps.is_empty() {
            pages.push((file.display().to_string(), steps));
        }
    }
    // Pages are independent (each has its own home): run them side by side.
    let results: Vec<(String, Result<usize, String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = pages
            .iter()
            .map(|(name, steps)| (name, scope.spawn(move || run_page(name, steps))))
            .collect();
        handles
            .into_iter()
            .map(|(name, h)| (name.clone(), h.join().unwrap()))
            .collect()
    });
    let mut failures = String::new();
    let mut total = 0;
    for (_, result) in &results {
        match result {
            Ok(n) => total += n,
            Err(e) => writeln!(failures, "{e}\n").unwrap(),
        }
    }
    println!("ran {total} example steps on {} pages", results.len());
    assert!(
        failures.is_empty(),
        "examples that no longer print what the docs show:\n\n{failures}"
    );
}

// --- the checks check themselves -----------------------------------------------------------

#[test]
fn slugs_follow_githubs_rules() {
    assert_eq!(slug("Set-up (two commands)"), "set-up-two-commands");
    assert_eq!(
        slug("`byok init [--no-passphrase]`"),
        "byok-init---no-passphrase"
    );
    assert_eq!(
        slug("Backups: `byok backup FILE` / `byok restore FILE`"),
        "backups-byok-backup-file--byok-restore-file"
    );
    assert_eq!(
        slug("References: `byok://NAME[/FIELD]`"),
        "references-byoknamefield"
    );
    assert_eq!(
        slug("Performance of `secret get`"),
        "performance-of-secret-get"
    );
    assert_eq!(
        slug("See [the proxy](proxy.md) — again"),
        "see-the-proxy--again"
    );
    assert_eq!(slug("snake_case stays"), "snake_case-stays");
    let items = parse("# Usage\n\n## Usage\n\n```sh\n# not a heading\n```\n## Usage\n").unwrap();
    let set = anchors(&items);
    assert_eq!(
        set,
        ["usage", "usage-1", "usage-2"].map(String::from).into()
    );
}

#[test]
fn link_targets_skip_code_and_read_titles() {
    assert_eq!(
        link_targets("see [a](a.md#x) and `[b](b.md)` and [c](<c d.md> \"t\") ![i](img/i.png)"),
        vec!["a.md#x", "c d.md", "img/i.png"]
    );
    assert_eq!(link_targets("[ref]: ../x.md#y"), vec!["../x.md#y"]);
    assert_eq!(link_targets("[f(x)](f.md)"), vec!["f.md"]);
}

/// A planted dead file, a planted dead anchor and a planted escape are each reported; the
/// sound links beside them are not.
#[test]
fn planted_dead_links_are_caught() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("docs/reference")).unwrap();
    std::fs::write(
        root.join("README.md"),
        "# Top\n\nSee [the guide](docs/guide.md#usage).\n",
    )
    .unwrap();
    std::fs::write(
        root.join("docs/guide.md"),
        "# Guide\n\n## Usage\n\n## Usage\n\n[ok](#usage-1) [codes](reference/codes.md#exit-codes)\n\
         [gone](missing.md) [bad anchor](reference/codes.md#exit-code) [up](../../etc/passwd)\n\
         [top](../README.md#top) [source](../src/main.rs#L3)\n",
    )
    .unwrap();
    std::fs::write(root.join("docs/reference/codes.md"), "# Exit codes\n").unwrap();
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(root.join("src/main.rs"), "fn main() {}\n").unwrap();
    let files = vec![
        PathBuf::from("README.md"),
        PathBuf::from("docs/guide.md"),
        PathBuf::from("docs/reference/codes.md"),
    ];
    let problems = dead_links(root, &files);
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(
        problems[0].contains("docs/guide.md:8: link `missing.md`"),
        "{problems:#?}"
    );
    assert!(problems[1].contains("#exit-code"), "{problems:#?}");
    assert!(
        problems[2].contains("leaves the repository"),
        "{problems:#?}"
    );
}

#[test]
fn prompts_outside_console_blocks_are_refused() {
    let items = parse("```sh\n$ byok --version\nbyok 0.1.0\n```\n```\nplain\n```\n").unwrap();
    let problems = untested_examples(Path::new("x.md"), &items);
    assert_eq!(problems.len(), 2, "{problems:#?}");
}

/// The runner passes a page that shows what byok prints, and fails one whose example drifted:
/// other text, another exit code, or a hidden step that fails.
#[test]
fn planted_drifted_examples_are_caught() {
    let page = |markdown: &str| {
        let items = parse(markdown).unwrap();
        run_page("planted.md", &steps(&items).unwrap())
    };
    let good = "<!-- $ byok init --no-passphrase -->\n\
                ```console\n\
                $ byok --version\n\
                byok [..]\n\
                $ byok secret get missing_key\n\
                ? 3\n\
                error: no secret named 'missing_key'\n\
                ...\n\
                $ printf '%s' 'sk-test-0000' | byok secret add ci_token --stdin\n\
                Added secret 'ci_token' (field api_key, in the vault).\n\
                $ echo $HOME/x\n\
                ~/x\n\
                ```\n";
    assert_eq!(page(good), Ok(5));

    let drifted_text = good.replace("Added secret 'ci_token'", "Stored secret 'ci_token'");
    let err = page(&drifted_text).unwrap_err();
    assert!(
        err.contains("planted.md:9:") && err.contains("Stored secret"),
        "{err}"
    );

    let drifted_code = good.replace("? 3", "? 2");
    let err = page(&drifted_code).unwrap_err();
    assert!(
        err.contains("ended with exit code 3, the page shows `? 2`"),
        "{err}"
    );

    let unshown_failure = "```console\n$ byok secret list\n...\n```\n";
    let err = page(unshown_failure).unwrap_err();
    assert!(err.contains("ended with exit code 1"), "{err}");

    let failing_hidden = "<!-- $ false -->\n```console\n$ true\n```\n";
    let err = page(failing_hidden).unwrap_err();
    assert!(
        err.contains("planted.md:1: `false`: the hidden step ended with exit code 1"),
        "{err}"
    );
}

/// The exit-code table lists exactly the codes of `Exit` in src/error.rs (and `other`, a
/// command's own code under `byok exec`).
#[test]
fn exit_code_table_matches_the_exit_enum() {
    let root = root();
    let source = std::fs::read_to_string(root.join("src/error.rs")).unwrap();
    let body = source
        .split("pub enum Exit {")
        .nth(1)
        .unwrap()
        .split('}')
        .next()
        .unwrap();
    let mut in_code: Vec<String> = body
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_suffix(',')?
                .split_once(" = ")
                .map(|(_, n)| n.to_string())
        })
        .collect();
    in_code.push("other".to_string());
    let page = std::fs::read_to_string(root.join("docs/reference/exit-codes.md")).unwrap();
    let in_docs: Vec<String> = page
        .lines()
        .filter_map(|l| l.strip_prefix("| ")?.split(" |").next())
        .filter(|c| *c != "code" && !c.starts_with('-'))
        .map(String::from)
        .collect();
    assert_eq!(
        in_docs, in_code,
        "docs/reference/exit-codes.md against `Exit` in src/error.rs"
    );
}
