//! Discovery: API keys other tools keep in plaintext files.
//!
//! Where it looks ([`locations`]): `llm`'s `keys.json` (honouring `LLM_USER_PATH`), aichat's
//! `config.yaml`, opencode's `auth.json` (`$XDG_DATA_HOME/opencode`), aider's
//! `.aider.conf.yml` (home and current directory), Continue's `~/.continue/config.yaml` and
//! `config.json`, codex's `auth.json` (`$CODEX_HOME`, default `~/.codex`), `~/.netrc`, the
//! `.env*` files of the current directory, and `export *_API_KEY=` lines of shell rc files;
//! and the keys in MCP server definitions: Claude Code (`.mcp.json`, `~/.claude.json` with
//! its per-project servers), Claude Desktop, Cursor (`~/.cursor/mcp.json`, `.cursor/mcp.json`),
//! VS Code (`.vscode/mcp.json`, `servers`) and Codex (`[mcp_servers.*]` of `config.toml`).
//! Symbolic links among the current directory's files are not followed ([`Location`]).
//! Each file is parsed in its own format ([`parse`]); a key is then located in the text to
//! give its line. Nothing here writes anything; values stay in [`SecretValue`]s.

use std::path::{Path, PathBuf};

use secrecy::ExposeSecret;
use serde_json::Value;

use crate::import::{self, BaseDirs, aichat, dotenv, llm};
use crate::provider::catalog;
use crate::secret::SecretValue;
use crate::settings::Settings;

/// The file formats discovery reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Llm,
    Aichat,
    Opencode,
    Aider,
    Continue,
    Codex,
    Netrc,
    Dotenv,
    ShellRc,
    /// `{"mcpServers": {NAME: {env, headers}}}` (Claude Code, Claude Desktop, Cursor), and
    /// `~/.claude.json`'s `projects[PATH].mcpServers`.
    McpServers,
    /// VS Code's `mcp.json`: `{"servers": {NAME: {env, headers}}}`.
    VsCodeMcp,
    /// Codex's `config.toml`: `[mcp_servers.NAME]` with `env` and `http_headers`.
    CodexMcp,
}

impl Format {
    pub fn tool(self) -> &'static str {
        match self {
            Format::Llm => "llm",
            Format::Aichat => "aichat",
            Format::Opencode => "opencode",
            Format::Aider => "aider",
            Format::Continue => "continue",
            Format::Codex => "codex",
            Format::Netrc => "netrc",
            Format::Dotenv => "dotenv",
            Format::ShellRc => "shell rc",
            Format::McpServers => "mcp config",
            Format::VsCodeMcp => "vs code mcp",
            Format::CodexMcp => "codex mcp",
        }
    }

    /// The `byok import` command that takes this file's keys in.
    pub fn import_command(self, path: &Path) -> String {
        let path = quote(&path.display().to_string());
        match self {
            Format::Llm => format!("byok import llm {path}"),
            Format::Aichat => format!("byok import aichat {path}"),
            Format::Dotenv => format!("byok import dotenv {path}"),
            _ => format!("byok import discover --path {path}"),
        }
    }

    /// The format a file has, from its name (and its directory's).
    pub fn of(path: &Path) -> Format {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let parent = path
            .parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match name.as_str() {
            ".mcp.json" | ".claude.json" | "claude_desktop_config.json" => Format::McpServers,
            "mcp.json" if parent == ".vscode" || parent == "Code" || parent == "User" => {
                Format::VsCodeMcp
            }
            "mcp.json" => Format::McpServers,
            "config.toml" if parent == ".codex" => Format::CodexMcp,
            "keys.json" => Format::Llm,
            "auth.json" if parent == "opencode" => Format::Opencode,
            "auth.json" => Format::Codex,
            ".aider.conf.yml" | ".aider.conf.yaml" => Format::Aider,
            "config.yaml" | "config.json" if parent == ".continue" => Format::Continue,
            "config.yaml" => Format::Aichat,
            ".netrc" | "_netrc" => Format::Netrc,
            n if n.starts_with(".env") => Format::Dotenv,
            _ => Format::ShellRc,
        }
    }
}

/// A key found in plaintext.
pub struct Found {
    pub path: PathBuf,
    /// 1-based line where the value is (0 when it could not be located).
    pub line: usize,
    pub format: Format,
    /// Its name in the file (`OPENAI_API_KEY`, `openai`, `api.openai.com`).
    pub name: String,
    /// The proposed byok ref name.
    pub ref_name: String,
    pub provider: Option<&'static str>,
    pub value: SecretValue,
}

impl std::fmt::Debug for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Found({}:{} {}, ***)",
            self.path.display(),
            self.line,
            self.name
        )
    }
}

/// A path for a shell command line: as is when it is plain, else single-quoted (and
/// escaped for the terminal).
pub(crate) fn quote(path: &str) -> String {
    let plain = path
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-~+:@,".contains(c));
    if plain && !path.is_empty() {
        path.to_owned()
    } else {
        crate::term::sanitize::line(&format!("'{}'", path.replace('\'', r"'\''"))).into_owned()
    }
}

/// A file discovery reads.
pub struct Location {
    pub path: PathBuf,
    pub format: Format,
    /// In the working directory: a project's file, perhaps a cloned repository's, which may
    /// be a symbolic link to anything (`.env -> /etc/shadow`). Such links are not followed:
    /// a link that resolves inside the directory too, since the file it names is read there
    /// anyway when it is one discovery looks for, and checking a target before opening it
    /// is a race the link's owner wins. The user's own dotfiles (often links into a dotfiles
    /// repository) are followed.
    pub in_project: bool,
}

/// Every file discovery reads, with its format; missing ones included (the caller skips them).
pub fn locations(settings: &Settings) -> Vec<Location> {
    let env = &settings.parent_env;
    let var = |name: &str| env.get(name).map(ToOwned::to_owned);
    let dirs = BaseDirs::from_lookup(var);
    let mut out = Vec::new();
    if let Some(p) = llm::default_path(var) {
        out.push((p, Format::Llm));
    }
    if let Some(p) = aichat::default_path(var) {
        out.push((p, Format::Aichat));
    }
    let home = dirs.home.clone();
    let data_home = import::non_empty(var("XDG_DATA_HOME").as_deref())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| home.as_ref().map(|h| h.join(".local").join("share")));
    if let Some(d) = data_home {
        out.push((d.join("opencode").join("auth.json"), Format::Opencode));
    }
    let codex_home = import::non_empty(var("CODEX_HOME").as_deref())
        .map(PathBuf::from)
        .or_else(|| home.as_ref().map(|h| h.join(".codex")));
    if let Some(d) = codex_home {
        out.push((d.join("auth.json"), Format::Codex));
        out.push((d.join("config.toml"), Format::CodexMcp));
    }
    if let Some(h) = &home {
        out.push((h.join(".claude.json"), Format::McpServers));
        out.push((h.join(".cursor").join("mcp.json"), Format::McpServers));
        out.push((
            h.join(".config").join("Code").join("User").join("mcp.json"),
            Format::VsCodeMcp,
        ));
        // Claude Desktop: macOS, and the unofficial Linux builds' place.
        out.push((
            h.join("Library/Application Support/Claude/claude_desktop_config.json"),
            Format::McpServers,
        ));
        out.push((
            h.join(".config")
                .join("Claude")
                .join("claude_desktop_config.json"),
            Format::McpServers,
        ));
    }
    if let Some(appdata) = import::non_empty(var("APPDATA").as_deref()) {
        out.push((
            PathBuf::from(appdata)
                .join("Claude")
                .join("claude_desktop_config.json"),
            Format::McpServers,
        ));
    }
    if let Some(h) = &home {
        out.push((h.join(".aider.conf.yml"), Format::Aider));
        out.push((h.join(".continue").join("config.yaml"), Format::Continue));
        out.push((h.join(".continue").join("config.json"), Format::Continue));
        out.push((h.join(".netrc"), Format::Netrc));
        for rc in [
            ".bashrc",
            ".bash_profile",
            ".bash_login",
            ".profile",
            ".zshrc",
            ".zprofile",
            ".zshenv",
            ".kshrc",
        ] {
            out.push((h.join(rc), Format::ShellRc));
        }
        out.push((
            h.join(".config").join("fish").join("config.fish"),
            Format::ShellRc,
        ));
    }
    let mut out: Vec<Location> = out
        .into_iter()
        .map(|(path, format)| Location {
            path,
            format,
            in_project: false,
        })
        .collect();
    // The current project: its `.env*` files, links included (to be named, not followed).
    if let Some(cwd) = &settings.cwd {
        let mut files = vec![
            (cwd.join(".aider.conf.yml"), Format::Aider),
            (cwd.join(".mcp.json"), Format::McpServers),
            (cwd.join(".cursor").join("mcp.json"), Format::McpServers),
            (cwd.join(".vscode").join("mcp.json"), Format::VsCodeMcp),
            (cwd.join(".codex").join("config.toml"), Format::CodexMcp),
        ];
        if let Ok(entries) = std::fs::read_dir(cwd) {
            let mut envs: Vec<PathBuf> = entries
                .filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().starts_with(".env"))
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink()))
                .map(|e| e.path())
                .collect();
            envs.sort();
            files.extend(envs.into_iter().map(|p| (p, Format::Dotenv)));
        }
        out.extend(files.into_iter().map(|(path, format)| Location {
            path,
            format,
            in_project: true,
        }));
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|l| seen.insert(l.path.clone()));
    out
}

/// Discovery over every location: the keys found, and warnings for files that exist but could
/// not be read or parsed (naming the file and the problem, never content).
pub fn discover(settings: &Settings) -> (Vec<Found>, Vec<String>) {
    let mut found = Vec::new();
    let mut warnings = Vec::new();
    for Location {
        path,
        format,
        in_project,
    } in locations(settings)
    {
        let read = if in_project {
            match std::fs::symlink_metadata(&path) {
                Ok(meta) if meta.file_type().is_symlink() => {
                    warnings.push(format!(
                        "{}: a symbolic link in the working directory, not followed (import the \
                         file it names by its own path if you mean it)",
                        crate::term::sanitize::line(&path.display().to_string()).into_owned()
                    ));
                    continue;
                }
                Ok(meta) if meta.is_file() => {
                    read_text(&path, format, import::read_source_no_follow(&path))
                }
                _ => continue,
            }
        } else if path.is_file() {
            read(&path, format)
        } else {
            continue;
        };
        match read {
            Ok(mut keys) => found.append(&mut keys),
            Err(problem) => warnings.push(format!(
                "{}: {problem}",
                crate::term::sanitize::line(&path.display().to_string()).into_owned()
            )),
        }
    }
    (found, warnings)
}

/// The keys of one file in `format`.
pub fn read(path: &Path, format: Format) -> Result<Vec<Found>, String> {
    read_text(path, format, import::read_source(path))
}

/// The keys of `text`, read from `path`, in `format`.
fn read_text(
    path: &Path,
    format: Format,
    text: Result<zeroize::Zeroizing<String>, import::ImportError>,
) -> Result<Vec<Found>, String> {
    let text = text.map_err(|e| e.to_string())?;
    let entries = parse(&text, format)?;
    Ok(entries
        .into_iter()
        .map(|(name, provider, value)| {
            let line = locate(&text, value.expose());
            Found {
                path: path.to_owned(),
                line,
                format,
                ref_name: import::propose_ref_name(&name),
                name: crate::term::sanitize::line(&name).into_owned(),
                provider,
                value,
            }
        })
        .collect())
}

/// The 1-based line of the first occurrence of `value` (0 when absent, e.g. escaped in JSON).
fn locate(text: &str, value: &str) -> usize {
    match memchr::memmem::find(text.as_bytes(), value.as_bytes()) {
        Some(at) => memchr::memchr_iter(b'\n', &text.as_bytes()[..at]).count() + 1,
        None => 0,
    }
}

type Entry = (String, Option<&'static str>, SecretValue);

/// Parses `text` as `format` into (name, provider, value).
pub fn parse(text: &str, format: Format) -> Result<Vec<Entry>, String> {
    let from_candidates = |c: Vec<import::Candidate>| -> Vec<Entry> {
        c.into_iter()
            .map(|c| {
                (
                    c.var_or_key,
                    c.provider,
                    SecretValue::new(c.value.expose_secret().to_owned()),
                )
            })
            .collect()
    };
    let entries = match format {
        Format::Llm => from_candidates(llm::parse(text).map_err(|e| e.to_string())?),
        Format::Aichat => from_candidates(aichat::parse(text).map_err(|e| e.to_string())?),
        Format::Dotenv => from_candidates(dotenv::candidates(
            dotenv::parse(text).map_err(|e| e.to_string())?,
        )),
        Format::Opencode => opencode(&json(text)?),
        Format::Codex => codex(&json(text)?),
        Format::Aider => aider(&yaml(text)?),
        Format::Continue => {
            let root = if text.trim_start().starts_with('{') {
                json(text)?
            } else {
                yaml(text)?
            };
            let mut out = Vec::new();
            continue_models(&root, &mut out, 0);
            out
        }
        Format::Netrc => netrc(text),
        Format::ShellRc => shell_rc(text),
        Format::McpServers => {
            let root = json(text)?;
            let mut out = Vec::new();
            mcp_servers(root.get("mcpServers"), "", &mut out);
            // `~/.claude.json`: the servers of each project (local scope).
            if let Some(projects) = root.get("projects").and_then(Value::as_object) {
                for project in projects.values() {
                    mcp_servers(project.get("mcpServers"), "", &mut out);
                }
            }
            out
        }
        Format::VsCodeMcp => {
            let mut out = Vec::new();
            mcp_servers(json(text)?.get("servers"), "", &mut out);
            out
        }
        Format::CodexMcp => {
            let doc: toml::Table = toml::from_str(text).map_err(|e| {
                let at = e.span().map(|s| s.start).unwrap_or(0);
                let line = text[..at.min(text.len())].matches('\n').count() + 1;
                format!("not valid TOML at line {line}")
            })?;
            let servers = doc.get("mcp_servers").map(toml_to_json);
            let mut out = Vec::new();
            mcp_servers(servers.as_ref(), "", &mut out);
            out
        }
    };
    Ok(entries
        .into_iter()
        .filter(|(_, _, v)| !v.expose().trim().is_empty())
        .collect())
}

fn json(text: &str) -> Result<Value, String> {
    serde_json::from_str(text)
        .map_err(|e| format!("not valid JSON at line {}, column {}", e.line(), e.column()))
}

/// YAML as a JSON value (strings, mappings and sequences; other scalars as their text).
fn yaml(text: &str) -> Result<Value, String> {
    use saphyr::{LoadableYamlNode, Yaml};
    let docs = Yaml::load_from_str(text).map_err(|e| {
        format!(
            "not valid YAML at line {}, column {}",
            e.marker().line(),
            e.marker().col() + 1
        )
    })?;
    fn convert(y: &Yaml<'_>, depth: usize) -> Value {
        if depth > 64 {
            return Value::Null;
        }
        match y {
            Yaml::Mapping(m) => Value::Object(
                m.iter()
                    .filter_map(|(k, v)| Some((k.as_str()?.to_owned(), convert(v, depth + 1))))
                    .collect(),
            ),
            Yaml::Sequence(s) => Value::Array(s.iter().map(|v| convert(v, depth + 1)).collect()),
            other => other
                .as_str()
                .map_or(Value::Null, |s| Value::String(s.to_owned())),
        }
    }
    Ok(docs.first().map_or(Value::Null, |d| convert(d, 0)))
}

fn secret(s: &str) -> SecretValue {
    SecretValue::new(s.trim().to_owned())
}

/// opencode: `{ "<provider>": { "type": "api", "key": "…" }, … }` (OAuth entries are not keys).
fn opencode(root: &Value) -> Vec<Entry> {
    let Some(map) = root.as_object() else {
        return Vec::new();
    };
    map.iter()
        .filter(|(_, v)| v.get("type").and_then(Value::as_str) == Some("api"))
        .filter_map(|(name, v)| {
            let key = v.get("key")?.as_str()?;
            Some((name.clone(), provider_for(name, key), secret(key)))
        })
        .collect()
}

/// codex: `{ "OPENAI_API_KEY": "sk-…" | null, "tokens": … }`.
fn codex(root: &Value) -> Vec<Entry> {
    root.get("OPENAI_API_KEY")
        .and_then(Value::as_str)
        .map(|k| vec![("OPENAI_API_KEY".to_owned(), Some("openai"), secret(k))])
        .unwrap_or_default()
}

/// aider: `openai-api-key: …`, `anthropic-api-key: …`, and `api-key: [provider=key, …]`.
fn aider(root: &Value) -> Vec<Entry> {
    let mut out = Vec::new();
    let Some(map) = root.as_object() else {
        return out;
    };
    for (name, value) in map {
        if name == "api-key" {
            let items: Vec<&Value> = match value {
                Value::Array(a) => a.iter().collect(),
                other => vec![other],
            };
            for item in items.into_iter().filter_map(Value::as_str) {
                if let Some((provider, key)) = item.split_once('=') {
                    let provider = provider.trim();
                    out.push((
                        provider.to_owned(),
                        provider_for(provider, key),
                        secret(key),
                    ));
                }
            }
        } else if let Some(provider) = name.strip_suffix("-api-key")
            && let Some(key) = value.as_str()
        {
            out.push((name.clone(), provider_for(provider, key), secret(key)));
        }
    }
    out
}

/// Continue: any object with an `apiKey` (its `provider` says whose) in `models` and the rest.
fn continue_models(v: &Value, out: &mut Vec<Entry>, depth: usize) {
    if depth > 32 {
        return;
    }
    match v {
        Value::Object(map) => {
            if let Some(key) = map.get("apiKey").and_then(Value::as_str) {
                let provider = map.get("provider").and_then(Value::as_str).unwrap_or("");
                let name = map
                    .get("name")
                    .or_else(|| map.get("title"))
                    .and_then(Value::as_str)
                    .unwrap_or(provider);
                out.push((name.to_owned(), provider_for(provider, key), secret(key)));
            }
            for child in map.values() {
                continue_models(child, out, depth + 1);
            }
        }
        Value::Array(items) => {
            for item in items {
                continue_models(item, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// `~/.netrc`: `machine HOST [login L] password P` entries for AI providers' hosts, or whose
/// password has a catalog key prefix.
fn netrc(text: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    let tokens: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(str::split_whitespace)
        .collect();
    let mut machine: Option<&str> = None;
    let mut i = 0;
    while i < tokens.len() {
        match tokens[i] {
            "machine" => machine = tokens.get(i + 1).copied(),
            "default" => machine = Some("default"),
            "password" => {
                if let (Some(host), Some(password)) = (machine, tokens.get(i + 1)) {
                    let provider = provider_by_host(host).or_else(|| provider_by_prefix(password));
                    if provider.is_some() {
                        out.push((host.to_owned(), provider, secret(password)));
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// `export NAME_API_KEY=value` (sh), `set -gx NAME_API_KEY value` (fish). Values computed by
/// the shell (`$(…)`, `$VAR`, backticks) are not plaintext keys and are skipped.
fn shell_rc(text: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let (name, value) = if let Some(rest) = line.strip_prefix("export ") {
            match rest.trim_start().split_once('=') {
                Some((n, v)) => (n.trim(), v),
                None => continue,
            }
        } else if let Some(rest) = line.strip_prefix("set ") {
            let mut words = rest.split_whitespace().skip_while(|w| w.starts_with('-'));
            let Some(n) = words.next() else { continue };
            let v = rest[rest.find(n).map_or(0, |i| i + n.len())..].trim();
            (n, v)
        } else {
            continue;
        };
        if !import::is_key_var(name) {
            continue;
        }
        let value = value.trim();
        let value = match value.chars().next() {
            Some(q @ ('"' | '\'')) => match value[1..].find(q) {
                Some(end) => &value[1..1 + end],
                None => continue,
            },
            _ => value.split_whitespace().next().unwrap_or(""),
        };
        if value.contains('$') || value.contains('`') || value.is_empty() {
            continue;
        }
        out.push((
            name.to_owned(),
            provider_for_var(name, value),
            secret(value),
        ));
    }
    out
}

/// The keys in MCP server definitions: each server's `env` values and `headers` /
/// `http_headers` that hold a key (a key-named variable, or a value with a provider's key
/// shape, or a bearer token), named `SERVER.VAR`. References (`${VAR}`, `${input:id}`,
/// `${env:NAME}`) are not keys.
fn mcp_servers(servers: Option<&Value>, prefix: &str, out: &mut Vec<Entry>) {
    let Some(servers) = servers.and_then(Value::as_object) else {
        return;
    };
    for (server, def) in servers {
        for (table, headers) in [("env", false), ("headers", true), ("http_headers", true)] {
            let Some(map) = def.get(table).and_then(Value::as_object) else {
                continue;
            };
            for (var, value) in map {
                let Some(value) = value.as_str() else {
                    continue;
                };
                if let Some(value) = mcp_key(var, value, headers) {
                    out.push((
                        format!("{prefix}{server}.{var}"),
                        provider_for_var(var, value),
                        secret(value),
                    ));
                }
            }
        }
    }
}

/// The key `value` of an MCP server's variable or header `var` holds (a bearer token without
/// its `Bearer `), or `None` when it is no key: a reference (`${VAR}`, `${input:id}`,
/// `${env:NAME}`), an ordinary setting, a value neither key-named nor key-shaped. The one
/// rule discovery and `byok adopt mcp` share.
pub fn mcp_key<'v>(var: &str, value: &'v str, header: bool) -> Option<&'v str> {
    let value = value.trim();
    let value = if header {
        value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .unwrap_or(value)
            .trim()
    } else {
        value
    };
    if value.is_empty() || value.contains("${") || value.starts_with('$') {
        return None;
    }
    let shaped = provider_by_prefix(value).is_some() || catalog::key_kind(value).is_some();
    let named = import::is_key_var(var) || {
        let upper = var.to_ascii_uppercase();
        [
            "_KEY",
            "_TOKEN",
            "_SECRET",
            "_PAT",
            "AUTHORIZATION",
            "API-KEY",
            "X-API-KEY",
        ]
        .iter()
        .any(|s| upper.ends_with(s))
            && value.len() >= 16
            && !value.contains(char::is_whitespace)
    };
    (shaped || named).then_some(value)
}

/// Whether `value` has a provider's key shape (a catalog prefix or key kind): how a key
/// passed as a command-line argument is recognised.
pub fn key_shaped(value: &str) -> bool {
    let value = value.trim();
    provider_by_prefix(value).is_some() || catalog::key_kind(value).is_some()
}

/// A TOML value as JSON (for the one reader of MCP servers).
pub(crate) fn toml_to_json(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Table(t) => Value::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
        toml::Value::Array(a) => Value::Array(a.iter().map(toml_to_json).collect()),
        _ => Value::Null,
    }
}

pub(crate) fn provider_for_var(var: &str, value: &str) -> Option<&'static str> {
    import::guess_provider(var).or_else(|| provider_by_prefix(value))
}

/// A provider from a tool's short name, else from the key's prefix.
fn provider_for(name: &str, value: &str) -> Option<&'static str> {
    catalog::by_short_name(name)
        .map(|s| s.id)
        .or_else(|| provider_by_prefix(value.trim()))
}

/// The provider whose catalog prefix `value` has, when exactly one provider has it.
fn provider_by_prefix(value: &str) -> Option<&'static str> {
    let prefix = catalog::all_key_prefixes()
        .iter()
        .find(|p| value.starts_with(**p))?;
    let mut owners = catalog::all()
        .iter()
        .filter(|s| s.key_prefixes.contains(prefix));
    match (owners.next(), owners.next()) {
        (Some(only), None) => Some(only.id),
        _ => None,
    }
}

fn provider_by_host(host: &str) -> Option<&'static str> {
    catalog::all().iter().find_map(|spec| {
        let base = spec.default_base_url?;
        let base_host = url::Url::parse(base).ok()?.host_str()?.to_owned();
        (base_host == host).then_some(spec.id)
    })
}

/// A discovered key as `import discover --json` shows it (the value masked).
#[derive(serde::Serialize)]
pub struct Discovered {
    pub path: String,
    pub line: usize,
    pub tool: &'static str,
    pub name: String,
    pub provider: Option<&'static str>,
    pub value: String,
    /// `true`/`false`, or `null` when the vault could not be read.
    pub in_byok: Option<bool>,
    /// The ref name holding the same value.
    pub held_by: Option<String>,
    pub import: String,
}

/// For each found key: the ref of a stored value equal to it (`Some(None)`: not held),
/// or `None` for all when the stored values could not be read.
pub fn holders(
    found: &[Found],
    stored: Option<&[crate::scan::Needle]>,
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

pub fn rows(found: &[Found], held: &[Option<Option<String>>]) -> Vec<Discovered> {
    found
        .iter()
        .zip(held)
        .map(|(f, held)| Discovered {
            path: crate::term::sanitize::line(&f.path.display().to_string()).into_owned(),
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

/// `doctor`'s section: one (check, detail, fix) per plaintext key found; `held` says whether
/// the stored values may be read to tell which ones byok holds.
pub fn doctor_findings(
    ctx: &crate::context::Context,
    check_held: bool,
) -> Vec<(String, String, String)> {
    let (found, _) = discover(&ctx.settings);
    let stored = if check_held && !found.is_empty() {
        crate::scan::load_stored(ctx)
            .ok()
            .filter(|l| l.unavailable.is_none())
    } else {
        None
    };
    let held = holders(&found, stored.as_ref().map(|l| l.needles.as_slice()));
    rows(&found, &held)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn names(entries: &[Entry]) -> Vec<(String, Option<&'static str>, String)> {
        entries
            .iter()
            .map(|(n, p, v)| (n.clone(), *p, v.expose().to_owned()))
            .collect()
    }

    #[test]
    fn formats_by_file_name() {
        assert_eq!(Format::of(Path::new("/h/.codex/auth.json")), Format::Codex);
        assert_eq!(
            Format::of(Path::new("/h/.local/share/opencode/auth.json")),
            Format::Opencode
        );
        assert_eq!(
            Format::of(Path::new("/h/.continue/config.json")),
            Format::Continue
        );
        assert_eq!(
            Format::of(Path::new("/h/.config/aichat/config.yaml")),
            Format::Aichat
        );
        assert_eq!(Format::of(Path::new("/p/.env.local")), Format::Dotenv);
        assert_eq!(Format::of(Path::new("/h/.zshrc")), Format::ShellRc);
    }

    #[test]
    fn shell_rc_lines() {
        let text = "export OPENAI_API_KEY=sk-test-abc123\nexport GROQ_API_KEY=\"gsk_test\" # x\n\
                    export ANTHROPIC_API_KEY=\"$(byok secret get claude)\"\nexport PATH=/bin\n\
                    set -gx MISTRAL_API_KEY 'mist-test'\n";
        assert_eq!(
            names(&shell_rc(text)),
            [
                (
                    "OPENAI_API_KEY".into(),
                    Some("openai"),
                    "sk-test-abc123".into()
                ),
                ("GROQ_API_KEY".into(), Some("groq"), "gsk_test".into()),
                (
                    "MISTRAL_API_KEY".into(),
                    Some("mistral"),
                    "mist-test".into()
                ),
            ]
        );
    }

    #[test]
    fn netrc_entries_of_provider_hosts() {
        let text = "machine github.com login me password ghp_x\n\
                    machine api.openai.com\n  login me\n  password sk-test-netrc\n";
        assert_eq!(
            names(&netrc(text)),
            [(
                "api.openai.com".into(),
                Some("openai"),
                "sk-test-netrc".into()
            )]
        );
    }

    #[test]
    fn aider_and_continue() {
        let aider = parse(
            "openai-api-key: sk-test-a\napi-key:\n  - gemini=AIza-test\n  - groq=gsk_test\n",
            Format::Aider,
        )
        .unwrap();
        assert_eq!(aider.len(), 3);
        let cont = parse(
            "models:\n  - name: Claude\n    provider: anthropic\n    apiKey: sk-ant-test-c\n",
            Format::Continue,
        )
        .unwrap();
        assert_eq!(
            names(&cont),
            [("Claude".into(), Some("anthropic"), "sk-ant-test-c".into())]
        );
    }
}
