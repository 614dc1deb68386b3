//! `byok adopt mcp`: MCP server configs without plaintext keys.
//!
//! A config (Claude Code's `.mcp.json` and `~/.claude.json` with its `projects`, Claude
//! Desktop's and Cursor's `mcpServers`, VS Code's `servers`, Codex's `[mcp_servers.*]`) is
//! read into [`Server`]s, each with the keys of its `env` found by the rule discovery uses
//! ([`crate::scan::discover::mcp_key`]). A local (stdio) server is rewritten to start
//! through `byok exec --set VAR=REF … -- its command`, its `env` keeping only what is not a
//! key: each server names only its own keys, so it gets exactly those. What byok cannot
//! start that way is left as it is, with the reason ([`Decision::Leave`]): remote servers
//! (a header token is sent by the client itself), keys in `args` (byok never puts a key in
//! argv), and every server of an agent-proof home until `[[api]]` recipes exist.
//!
//! Edits touch only what they change: JSON through byte spans ([`json`]), TOML through
//! `toml_edit` ([`codex`]). Before anything is written, the new text is parsed again and
//! must hold none of the keys taken out ([`check`]). Backups and `--undo`: [`backup`].

pub mod backup;
pub mod codex;
pub mod json;

use std::path::{Path, PathBuf};

use serde_json::Value;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::scan::discover::{self, Format};
use crate::scan::values::Needle;
use crate::secret::{SecretValue, mask};

/// The largest config read (a `~/.claude.json` holds a lot of other state).
pub const MAX_FILE: u64 = 64 * 1024 * 1024;

/// How a config file is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Json,
    Toml,
}

/// A key in a server's `env`.
pub struct Key {
    pub var: String,
    pub value: SecretValue,
    pub provider: Option<&'static str>,
}

/// One server definition.
pub struct Server {
    /// The keys from the root to the definition (`["projects", "/p", "mcpServers", "x"]`).
    pub path: Vec<String>,
    pub name: String,
    pub command: Option<String>,
    /// `None` when some argument is not a string.
    pub args: Option<Vec<String>>,
    pub keys: Vec<Key>,
    /// Header names holding a key (remote servers).
    pub header_keys: Vec<String>,
    /// Their keys (never adopted; masked in the preview).
    pub header_values: Vec<SecretValue>,
    /// Positions in `args` of key-shaped arguments.
    pub arg_keys: Vec<usize>,
    /// It has a `url`.
    pub remote: bool,
}

impl Server {
    /// Where it is, as its format names it: a JSON pointer or a TOML dotted path (escaped
    /// for a terminal: names come from the file).
    pub fn place(&self, kind: Kind, below: &[&str]) -> String {
        let mut path: Vec<&str> = self.path.iter().map(String::as_str).collect();
        path.extend_from_slice(below);
        let place = match kind {
            Kind::Json => json::pointer(&path),
            Kind::Toml => path
                .iter()
                .map(|k| {
                    if !k.is_empty()
                        && k.chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    {
                        (*k).to_owned()
                    } else {
                        json::string(k)
                    }
                })
                .collect::<Vec<_>>()
                .join("."),
        };
        crate::term::sanitize::line(&place).into_owned()
    }

    fn has_keys(&self) -> bool {
        !(self.keys.is_empty() && self.header_keys.is_empty() && self.arg_keys.is_empty())
    }
}

/// A config file read.
pub struct Config {
    pub path: PathBuf,
    pub kind: Kind,
    pub text: Zeroizing<String>,
    pub mode: Option<u32>,
    /// The servers that hold a key.
    pub servers: Vec<Server>,
}

impl Config {
    /// The file as the user would name it (escaped for a terminal).
    pub fn shown(&self) -> String {
        crate::term::sanitize::line(&self.path.display().to_string()).into_owned()
    }
}

/// The kind of a file, by its name (Codex's `config.toml`, any `.toml`; else JSON).
pub fn kind_of(path: &Path) -> Kind {
    if Format::of(path) == Format::CodexMcp || path.extension().is_some_and(|e| e == "toml") {
        Kind::Toml
    } else {
        Kind::Json
    }
}

fn shown(path: &Path) -> String {
    crate::term::sanitize::line(&path.display().to_string()).into_owned()
}

/// Reads the config at `path` (a regular file, at most [`MAX_FILE`] bytes, UTF-8).
pub fn read(path: &Path) -> Result<Config> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(Error::io("read", path))?;
    if !meta.is_file() {
        return Err(Error::Usage(format!("{}: not a regular file", shown(path))));
    }
    if meta.len() > MAX_FILE {
        return Err(Error::Usage(format!(
            "{}: larger than {} MiB, not an MCP config byok rewrites",
            shown(path),
            MAX_FILE >> 20
        )));
    }
    let mut bytes = Zeroizing::new(Vec::new());
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE + 1).read_to_end(&mut bytes))
        .map_err(Error::io("read", path))?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(Error::Usage(format!(
            "{}: larger than {} MiB, not an MCP config byok rewrites",
            shown(path),
            MAX_FILE >> 20
        )));
    }
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => Zeroizing::new(text.to_owned()),
        Err(_) => {
            return Err(Error::Usage(format!("{}: not UTF-8 text", shown(path))));
        }
    };
    let kind = kind_of(path);
    let servers =
        servers(&text, kind).map_err(|why| Error::Usage(format!("{}: {why}", shown(path))))?;
    #[cfg(unix)]
    let mode = Some(std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o7777);
    #[cfg(not(unix))]
    let mode = None;
    Ok(Config {
        path: path.to_path_buf(),
        kind,
        text,
        mode,
        servers,
    })
}

/// The servers of `text` that hold a key.
pub fn servers(text: &str, kind: Kind) -> std::result::Result<Vec<Server>, String> {
    let root = match kind {
        Kind::Json => serde_json::from_str::<Value>(text)
            .map_err(|e| format!("not valid JSON at line {}, column {}", e.line(), e.column()))?,
        Kind::Toml => {
            let table: toml::Table = toml::from_str(text).map_err(|e| {
                let at = e.span().map_or(0, |s| s.start);
                let line = text[..at.min(text.len())].matches('\n').count() + 1;
                format!("not valid TOML at line {line}")
            })?;
            discover::toml_to_json(&toml::Value::Table(table))
        }
    };
    let mut out = Vec::new();
    match kind {
        Kind::Json => {
            collect(root.get("mcpServers"), &["mcpServers"], &mut out);
            collect(root.get("servers"), &["servers"], &mut out);
            if let Some(projects) = root.get("projects").and_then(Value::as_object) {
                for (project, def) in projects {
                    collect(
                        def.get("mcpServers"),
                        &["projects", project, "mcpServers"],
                        &mut out,
                    );
                }
            }
        }
        Kind::Toml => collect(root.get("mcp_servers"), &["mcp_servers"], &mut out),
    }
    Ok(out)
}

fn collect(servers: Option<&Value>, at: &[&str], out: &mut Vec<Server>) {
    let Some(servers) = servers.and_then(Value::as_object) else {
        return;
    };
    for (name, def) in servers {
        let Some(def) = def.as_object() else {
            continue;
        };
        let string_map = |table: &str| -> Vec<(String, String)> {
            def.get(table)
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                        .collect()
                })
                .unwrap_or_default()
        };
        let keys = string_map("env")
            .into_iter()
            .filter_map(|(var, value)| {
                let key = discover::mcp_key(&var, &value, false)?;
                Some(Key {
                    provider: discover::provider_for_var(&var, key),
                    value: SecretValue::new(key.to_owned()),
                    var,
                })
            })
            .collect();
        let mut header_values = Vec::new();
        let header_keys = ["headers", "http_headers"]
            .iter()
            .flat_map(|t| string_map(t))
            .filter_map(|(h, v)| {
                let key = discover::mcp_key(&h, &v, true)?;
                header_values.push(SecretValue::new(key.to_owned()));
                Some(h)
            })
            .collect();
        let args: Option<Vec<String>> = match def.get("args") {
            None => Some(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect(),
            Some(_) => None,
        };
        let arg_keys = args.as_deref().map(arg_keys).unwrap_or_default();
        let mut path: Vec<String> = at.iter().map(|s| (*s).to_owned()).collect();
        path.push(name.clone());
        let server = Server {
            path,
            name: name.clone(),
            command: def
                .get("command")
                .and_then(Value::as_str)
                .map(str::to_owned),
            args,
            keys,
            header_keys,
            header_values,
            arg_keys,
            remote: def.contains_key("url"),
        };
        if server.has_keys() {
            out.push(server);
        }
    }
}

/// The positions of the arguments that hold a key: key-shaped (a provider's prefix, or
/// `--token=…` with a high-entropy value, as `byok scan` sees them), or the long value after
/// an option named like a key (`--api-key VALUE`).
fn arg_keys(args: &[String]) -> Vec<usize> {
    let named = |option: &str| {
        let lower = option.to_ascii_lowercase();
        lower.starts_with('-') && ["key", "token", "secret"].iter().any(|n| lower.contains(n))
    };
    args.iter()
        .enumerate()
        .filter(|(i, arg)| {
            let after_option = *i > 0
                && named(&args[i - 1])
                && !args[i - 1].contains('=')
                && arg.len() >= 16
                && !arg.contains(char::is_whitespace)
                && !arg.starts_with('$');
            discover::key_shaped(arg)
                || !crate::scan::shape::find_all(arg.as_bytes()).is_empty()
                || after_option
        })
        .map(|(i, _)| i)
        .collect()
}

/// What happens to a server.
#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    /// Rewritten to start through byok.
    Adopt,
    /// Left as it is, for this reason.
    Leave(String),
}

/// Decides what to do with `server` of a file of `kind`.
pub fn decide(server: &Server, kind: Kind, agent_proof: bool) -> Decision {
    if let Some(&at) = server.arg_keys.first() {
        return Decision::Leave(format!(
            "a key in its arguments ({}): byok hands keys over in environment variables only, \
             never in a command line; make the server read it from a variable (see its \
             documentation), then run `byok adopt mcp` again",
            server.place(kind, &["args", &at.to_string()])
        ));
    }
    if server.remote {
        let header = server.header_keys.first().map_or("", String::as_str);
        return Decision::Leave(format!(
            "a remote server with a key in {}: the client sends that header itself and byok \
             only starts local servers; keep the key in byok (`byok import discover --path \
             FILE`) and put it in the client's environment for the header's `${{VAR}}` where \
             the client expands one (docs/agents.md)",
            if header.is_empty() {
                server.place(kind, &["env"])
            } else {
                server.place(kind, &["headers", header])
            }
        ));
    }
    if server.command.is_none() {
        return Decision::Leave(format!(
            "{} is missing or not a string",
            server.place(kind, &["command"])
        ));
    }
    if server.args.is_none() {
        return Decision::Leave(format!(
            "{} is not a list of strings",
            server.place(kind, &["args"])
        ));
    }
    if let Some(key) = server
        .keys
        .iter()
        .find(|k| !crate::export::shell::valid_var_name(&k.var))
    {
        return Decision::Leave(format!(
            "{} is not a name `byok exec --set` gives a program (letters, digits and `_`, \
             not starting with a digit)",
            server.place(kind, &["env", &key.var])
        ));
    }
    if agent_proof {
        // Hook: with `[[api]]` recipes, a server whose API has one is rewritten to
        // `byok exec --via-proxy API -- …` instead (its key stays behind the proxy); see
        // `api_recipe`. Until then every server of an agent-proof home is left alone.
        if api_recipe(server).is_none() {
            return Decision::Leave(
                "this home is agent-proof, where a program gets no key, only the proxy: run \
                 the server through an `[[api]]` recipe instead (`byok exec --via-proxy --api \
                 NAME -- its command`, with a placeholder from `byok proxy token create TOKEN \
                 --api NAME`; docs/agents.md#tool-apis-through-the-proxy) where it can be \
                 pointed at the proxy's URL; left as is"
                    .to_owned(),
            );
        }
    }
    Decision::Adopt
}

/// HOOK for `[[api]]` (issue 31, tool APIs through the proxy): the recipe a server's API
/// would reach through the proxy, for `exec --via-proxy`. None exist on this branch.
fn api_recipe(_server: &Server) -> Option<std::convert::Infallible> {
    None
}

/// A server's grant: it gets `var` from `reference`'s `field`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub var: String,
    pub reference: String,
    pub field: String,
}

impl Grant {
    /// Its `--set` argument.
    pub fn mapping(&self) -> String {
        if self.field == crate::store::DEFAULT_FIELD {
            format!("{}={}", self.var, self.reference)
        } else {
            format!("{}={}.{}", self.var, self.reference, self.field)
        }
    }
}

/// A secret the adoption adds.
pub struct NewSecret {
    pub reference: String,
    /// Where it came from: `MCP server github: GITHUB_TOKEN`.
    pub label: String,
    pub provider: Option<&'static str>,
    pub value: SecretValue,
}

/// Chooses the ref of each key: a stored secret holding the same value, or one this run
/// adds (named as `import discover` names it, `SERVER.VAR`, made unique).
pub struct Refs<'a> {
    stored: &'a [Needle],
    taken: &'a dyn Fn(&str) -> Result<bool>,
    pub new: Vec<NewSecret>,
}

impl<'a> Refs<'a> {
    pub fn new(stored: &'a [Needle], taken: &'a dyn Fn(&str) -> Result<bool>) -> Self {
        Refs {
            stored,
            taken,
            new: Vec::new(),
        }
    }

    pub fn grant(&mut self, server: &str, key: &Key) -> Result<Grant> {
        let value = key.value.expose();
        let grant = |reference: &str, field: &str| Grant {
            var: key.var.clone(),
            reference: reference.to_owned(),
            field: field.to_owned(),
        };
        if let Some(n) = self.stored.iter().find(|n| !n.previous && n.holds(value)) {
            return Ok(grant(&n.reference, &n.field));
        }
        if let Some(s) = self.new.iter().find(|s| s.value.expose() == value) {
            return Ok(grant(&s.reference, crate::store::DEFAULT_FIELD));
        }
        let base = crate::import::propose_ref_name(&format!("{server}.{}", key.var));
        let mut name = base.clone();
        let mut n = 2;
        while (self.taken)(&name)? || self.new.iter().any(|s| s.reference == name) {
            let suffix = format!("_{n}");
            let mut cut = base.clone();
            cut.truncate(64 - suffix.len());
            name = format!("{cut}{suffix}");
            n += 1;
        }
        self.new.push(NewSecret {
            reference: name.clone(),
            label: format!("MCP server {server}: {}", key.var),
            provider: key.provider,
            value: SecretValue::new(value.to_owned()),
        });
        Ok(grant(&name, crate::store::DEFAULT_FIELD))
    }
}

/// Where `--` is in the arguments of a server that already starts through `byok exec`.
fn through_byok(server: &Server) -> Option<usize> {
    let command = server.command.as_deref()?;
    if Path::new(command).file_stem()? != "byok" {
        return None;
    }
    let args = server.args.as_ref()?;
    let dash = args.iter().position(|a| a == "--")?;
    args[..dash].iter().any(|a| a == "exec").then_some(dash)
}

/// How one server is rewritten.
pub struct Rewrite {
    pub server: usize,
    pub remove: Vec<String>,
    pub command: String,
    pub args: Vec<String>,
}

/// The rewrite of `server` (at `index`) with `grants`: `program [--home H] exec --set …
/// -- command args…`, or the `--set`s added to a server already started through byok.
pub fn rewrite_of(
    index: usize,
    server: &Server,
    grants: &[Grant],
    program: &str,
    home: Option<&str>,
) -> Rewrite {
    let sets = grants
        .iter()
        .flat_map(|g| ["--set".to_owned(), g.mapping()]);
    let old_args = server.args.clone().unwrap_or_default();
    let (command, args) = if let Some(dash) = through_byok(server) {
        let mut args = old_args;
        args.splice(dash..dash, sets);
        (server.command.clone().unwrap_or_default(), args)
    } else {
        let mut args = Vec::new();
        if let Some(home) = home {
            args.extend(["--home".to_owned(), home.to_owned()]);
        }
        args.push("exec".to_owned());
        args.extend(sets);
        args.push("--".to_owned());
        args.push(server.command.clone().unwrap_or_default());
        args.extend(old_args);
        (program.to_owned(), args)
    };
    Rewrite {
        server: index,
        remove: server.keys.iter().map(|k| k.var.clone()).collect(),
        command,
        args,
    }
}

/// One file's plan: its new text, the servers adopted with their grants, those left with
/// the reason.
pub struct Planned {
    pub config: Config,
    pub new_text: Zeroizing<String>,
    pub adopted: Vec<(usize, Vec<Grant>)>,
    pub left: Vec<(usize, String)>,
}

/// Plans the adoption of `config`: decides for each server, grants its keys (choosing or
/// adding refs in `refs`), rewrites the text and checks it.
pub fn plan(
    config: Config,
    agent_proof: bool,
    refs: &mut Refs<'_>,
    program: &str,
    home: Option<&str>,
) -> Result<Planned> {
    let mut adopted = Vec::new();
    let mut left = Vec::new();
    let mut rewrites = Vec::new();
    for (i, server) in config.servers.iter().enumerate() {
        match decide(server, config.kind, agent_proof) {
            Decision::Leave(why) => left.push((i, why)),
            Decision::Adopt => {
                let grants = server
                    .keys
                    .iter()
                    .map(|key| refs.grant(&server.name, key))
                    .collect::<Result<Vec<_>>>()?;
                rewrites.push(rewrite_of(i, server, &grants, program, home));
                adopted.push((i, grants));
            }
        }
    }
    let new_text = apply(&config, &rewrites)?;
    let indices: Vec<usize> = adopted.iter().map(|(i, _)| *i).collect();
    check(&config, &new_text, &indices)?;
    Ok(Planned {
        config,
        new_text,
        adopted,
        left,
    })
}

/// The text of `config` with `rewrites` applied.
pub fn apply(config: &Config, rewrites: &[Rewrite]) -> Result<Zeroizing<String>> {
    // `why` names keys of the file (a pointer): escaped for the terminal.
    let fail = |why: String| {
        Error::Usage(format!(
            "{}: {}; nothing was changed",
            config.shown(),
            crate::term::sanitize::line(&why)
        ))
    };
    match config.kind {
        Kind::Toml => {
            let mut doc = codex::parse(&config.text).map_err(fail)?;
            for r in rewrites {
                let name = &config.servers[r.server].name;
                codex::rewrite(&mut doc, name, &r.remove, &r.command, &r.args).map_err(fail)?;
            }
            Ok(Zeroizing::new(doc.to_string()))
        }
        Kind::Json => {
            let mut text = Zeroizing::new(config.text.to_string());
            for r in rewrites {
                let server = &config.servers[r.server];
                apply_json(&mut text, server, r).map_err(fail)?;
            }
            Ok(text)
        }
    }
}

fn apply_json(text: &mut String, server: &Server, r: &Rewrite) -> std::result::Result<(), String> {
    fn join<'a>(path: &[&'a str], below: &[&'a str]) -> Vec<&'a str> {
        let mut p = path.to_vec();
        p.extend_from_slice(below);
        p
    }
    let path: Vec<&str> = server.path.iter().map(String::as_str).collect();
    let find = |text: &str, p: &[&str]| -> std::result::Result<Option<json::Span>, String> {
        json::find(text, p).map_err(|e| match e {
            json::Lookup::Duplicate(pointer) => {
                format!("{pointer} appears twice (a tool reads only one of them); remove one")
            }
            json::Lookup::Unreadable => format!("{} could not be read", json::pointer(p)),
        })
    };
    let missing = |p: &[&str]| format!("{} is missing", json::pointer(p));
    for var in &r.remove {
        let env =
            find(text, &join(&path, &["env"]))?.ok_or_else(|| missing(&join(&path, &["env"])))?;
        if !json::remove_member(text, env, var) {
            return Err(missing(&join(&path, &["env", var])));
        }
    }
    if let Some(env) = find(text, &join(&path, &["env"]))?
        && json::members(text, env).is_some_and(|m| m.is_empty())
    {
        let object = find(text, &path)?.ok_or_else(|| missing(&path))?;
        json::remove_member(text, object, "env");
    }
    let args_text = |text: &str, old| json::array_like(text, old, &r.args);
    match find(text, &join(&path, &["args"]))? {
        Some(old) => {
            let new = args_text(text, Some(old));
            json::splice(text, old, &new);
        }
        None => {
            let object = find(text, &path)?.ok_or_else(|| missing(&path))?;
            let new = args_text(text, None);
            if !json::insert_after(text, object, "command", "args", &new) {
                return Err(missing(&join(&path, &["command"])));
            }
        }
    }
    let command = find(text, &join(&path, &["command"]))?
        .ok_or_else(|| missing(&join(&path, &["command"])))?;
    json::splice(text, command, &json::string(&r.command));
    Ok(())
}

/// Checks the new text before it is written: it parses, every adopted server holds no key
/// any more, and no value taken out is anywhere in it (unless a server left as it is holds
/// it too).
pub fn check(config: &Config, new: &str, adopted: &[usize]) -> Result<()> {
    let fail = |why: String| {
        Error::Usage(format!(
            "{}: {}; this is a bug of byok, nothing was changed",
            config.shown(),
            crate::term::sanitize::line(&why)
        ))
    };
    let after = servers(new, config.kind).map_err(|e| fail(format!("the rewrite is {e}")))?;
    for &i in adopted {
        let server = &config.servers[i];
        if let Some(still) = after
            .iter()
            .find(|s| s.path == server.path && !s.keys.is_empty())
        {
            return Err(fail(format!(
                "{} still holds a key after the rewrite",
                still.place(config.kind, &["env"])
            )));
        }
    }
    let kept: Vec<&str> = config
        .servers
        .iter()
        .enumerate()
        .filter(|(i, _)| !adopted.contains(i))
        .flat_map(|(_, s)| s.keys.iter().map(|k| k.value.expose()))
        .collect();
    for &i in adopted {
        for key in &config.servers[i].keys {
            let value = key.value.expose();
            if !kept.contains(&value)
                && memchr::memmem::find(new.as_bytes(), value.as_bytes()).is_some()
            {
                return Err(fail(format!(
                    "the key of {} is still in the rewritten file",
                    config.servers[i].place(config.kind, &["env", &key.var])
                )));
            }
        }
    }
    Ok(())
}

/// A unified diff of `old` and `new` with every one of `values` masked; a changed line that
/// would still show one (written with escapes, say) is replaced by a note.
pub fn diff(shown: &str, old: &str, new: &str, values: &[&str]) -> String {
    let hide = |text: &str| -> String {
        let mut text = text.to_owned();
        for value in values {
            let escaped = json::string(value);
            let escaped = &escaped[1..escaped.len() - 1];
            for form in [*value, escaped] {
                if !form.is_empty() {
                    text = text.replace(form, &mask(value));
                }
            }
        }
        text
    };
    let (old, new) = (hide(old), hide(new));
    let diff = similar::TextDiff::from_lines(old.as_str(), new.as_str());
    let mut out = String::new();
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header(shown, &format!("{shown} (adopted)"))
        .to_string();
    for line in text.lines() {
        let line = hide_literals(line, values);
        // Keys byok does not adopt (a remote server's header token, a key in `args`, a
        // minified file's other secrets) may sit on a changed or context line too.
        let line = crate::term::sanitize::hide_keys(&line).into_owned();
        let unmasked = values.iter().any(|v| !v.is_empty() && line.contains(v));
        if unmasked {
            out.extend(line.chars().next());
            out.push_str("  (a line holding a key, not shown)");
        } else {
            // Tabs stay (a file indented with them), every other control is escaped.
            out.push_str(&crate::term::sanitize::text(&line));
        }
        out.push('\n');
    }
    out
}

/// `line` with every quoted string whose decoded text holds one of `values` masked: a key
/// written with escapes (`\u0073k-…`, `\/`) is not found as it is.
fn hide_literals(line: &str, values: &[&str]) -> String {
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let (mut i, mut copied) = (0, 0);
    while i < bytes.len() {
        if bytes[i] != b'"' {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < bytes.len() && bytes[i] != b'"' {
            i += if bytes[i] == b'\\' { 2 } else { 1 };
        }
        let end = (i + 1).min(bytes.len());
        i = end;
        let Some(literal) = line.get(start..end) else {
            continue;
        };
        if let Ok(decoded) = serde_json::from_str::<String>(literal)
            && let Some(value) = values
                .iter()
                .find(|v| !v.is_empty() && decoded.contains(**v))
        {
            out.push_str(&line[copied..start]);
            out.push_str(&json::string(&mask(value)));
            copied = end;
        }
    }
    out.push_str(&line[copied..]);
    out
}

/// The file to rewrite for `path`: itself, or the file a symbolic link names when that is in
/// `home` or `cwd` (a link elsewhere is refused: byok would write a file it was not shown).
pub fn resolve(path: &Path, home: Option<&Path>, cwd: Option<&Path>) -> Result<PathBuf> {
    let meta = std::fs::symlink_metadata(path).map_err(Error::io("read", path))?;
    if !meta.file_type().is_symlink() {
        return std::path::absolute(path).map_err(Error::io("read", path));
    }
    let target = std::fs::canonicalize(path).map_err(Error::io("follow", path))?;
    let inside = [home, cwd]
        .into_iter()
        .flatten()
        .filter_map(|d| std::fs::canonicalize(d).ok())
        .any(|d| target.starts_with(&d));
    if !inside {
        return Err(Error::Usage(format!(
            "{} is a symbolic link to a file outside your home and this directory; byok \
             does not rewrite it through the link (adopt the file it names by its own path \
             if you mean it)",
            shown(path)
        )));
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GH: &str = "ghp_test0123456789abcdefghijklmnopqrstuv";

    fn config(text: &str, kind: Kind) -> Config {
        Config {
            path: PathBuf::from("/x/.mcp.json"),
            kind,
            text: Zeroizing::new(text.to_owned()),
            mode: None,
            servers: servers(text, kind).unwrap(),
        }
    }

    #[test]
    fn a_json_server_is_rewritten_in_place() {
        let text = format!(
            "{{\n  \"other\": [1,2],\n  \"mcpServers\": {{\n    \"gh\": {{\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"gh\"],\n      \"env\": {{\n        \"GITHUB_TOKEN\": \"{GH}\",\n        \"LOG\": \"debug\"\n      }}\n    }}\n  }}\n}}\n"
        );
        let c = config(&text, Kind::Json);
        assert_eq!(c.servers.len(), 1);
        assert_eq!(decide(&c.servers[0], Kind::Json, false), Decision::Adopt);
        let grant = Grant {
            var: "GITHUB_TOKEN".into(),
            reference: "gh_github_token".into(),
            field: "api_key".into(),
        };
        let r = rewrite_of(0, &c.servers[0], &[grant], "byok", None);
        let new = apply(&c, &[r]).unwrap();
        assert_eq!(
            new.as_str(),
            "{\n  \"other\": [1,2],\n  \"mcpServers\": {\n    \"gh\": {\n      \"command\": \"byok\",\n      \"args\": [\"exec\", \"--set\", \"GITHUB_TOKEN=gh_github_token\", \"--\", \"npx\", \"-y\", \"gh\"],\n      \"env\": {\n        \"LOG\": \"debug\"\n      }\n    }\n  }\n}\n"
        );
        check(&c, &new, &[0]).unwrap();
        let shown = diff(".mcp.json", &c.text, &new, &[GH]);
        assert!(!shown.contains(GH), "{shown}");
        assert!(
            shown.contains("-        \"GITHUB_TOKEN\": \"***-stuv\","),
            "{shown}"
        );
        // Written with escapes, a key is masked all the same.
        let escaped = GH.replace('t', "\\u0074");
        let line = format!("-  \"K\": \"{escaped}\", \"x\": \"\\/\"");
        assert_eq!(
            hide_literals(&line, &[GH]),
            "-  \"K\": \"***-stuv\", \"x\": \"\\/\""
        );
    }

    #[test]
    fn keys_in_args_and_remote_servers_are_left() {
        let text = format!(
            r#"{{"mcpServers": {{"a": {{"command": "x", "args": ["--token=ghp_testZq8xK2mP9vL4nR7tW3yB6cF1dH5"]}},
               "b": {{"command": "x", "args": ["--api-key", "0123456789abcdefXYZ"]}},
               "c": {{"command": "x", "args": ["-y", "@scope/server-name", "--port", "8080"], "env": {{"K_API_KEY": "{GH}"}}}},
               "d": {{"command": "x", "env": {{"MY-API-KEY": "{GH}"}}}},
               "r": {{"url": "https://h.invalid", "headers": {{"Authorization": "Bearer {GH}"}}}}}}}}"#
        );
        let c = config(&text, Kind::Json);
        let decisions: Vec<(&str, bool)> = c
            .servers
            .iter()
            .map(|s| {
                (
                    s.name.as_str(),
                    decide(s, Kind::Json, false) == Decision::Adopt,
                )
            })
            .collect();
        assert_eq!(
            decisions,
            [
                ("a", false),
                ("b", false),
                ("c", true),
                ("d", false),
                ("r", false)
            ]
        );
        // Names from the file reach the terminal escaped.
        let hostile = config(
            &format!(
                r#"{{"mcpServers": {{"x\u001b[2J\ny": {{"command": "a", "env": {{"K_API_KEY": "{GH}"}}}}}}}}"#
            ),
            Kind::Json,
        );
        let place = hostile.servers[0].place(Kind::Json, &[]);
        assert!(
            !place.contains('\u{1b}') && !place.contains('\n'),
            "{place}"
        );
        // An agent-proof home: refused, until `[[api]]` recipes exist.
        let c_server = &c.servers[2];
        match decide(c_server, Kind::Json, true) {
            Decision::Leave(why) => assert!(why.contains("agent-proof"), "{why}"),
            other => panic!("{other:?}"),
        }
    }
}
