//! `[[api]]` tables: tool APIs the proxy serves at `/api/NAME/…` with a stored key
//! (`crate::proxy::api`). Each table is read here once, merged with its recipe
//! (`crate::proxy::recipes`) and checked whole: a hand-edited `config.toml` is never
//! trusted, so every value is bounded and every name is checked before the proxy uses it.
//! Errors name the table (`api #2 'github'`) and the key, never a value that could be a
//! key pasted in the wrong place.
//!
//! ```toml
//! [[api]]
//! name = "github"
//! recipe = "github"            # fills everything below; any key given overrides it
//! secret = "my_github_token"   # a byok ref (field `api_key` unless `field` says)
//! # base_url = "https://api.github.com"
//! # key_header = "Authorization"
//! # key_format = "Bearer {key}"
//! # key_query = "api_key"        # instead of key_header: the key as a query parameter
//! # methods = ["GET", "POST"]
//! # paths = ["/repos/", "/user"]  # prefixes, at a segment boundary
//! # headers = { "X-GitHub-Api-Version" = "2022-11-28" }  # added when the client sent none
//! # env = ["GITHUB_TOKEN"]          # what `exec --via-proxy --api` sets to the placeholder
//! # url_env = ["GITHUB_API_URL"]    # … and to http://127.0.0.1:PORT/api/NAME
//! ```

use std::path::Path;

use toml_edit::{DocumentMut, Item};

use crate::error::{Error, Result};
use crate::proxy::recipes::{self, KeyPlace};

/// Most `[[api]]` tables.
pub const MAX_APIS: usize = 64;
/// Most entries of `paths`, `methods`, `headers`, `env`, `url_env`.
pub const MAX_LIST: usize = 64;
/// Longest allowed path prefix.
pub const MAX_PREFIX: usize = 256;
/// Methods an API may allow.
pub const METHODS: &[&str] = &["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

/// One `[[api]]`, merged with its recipe and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiDecl {
    pub name: String,
    pub recipe: Option<String>,
    /// The ref of the key.
    pub secret: String,
    /// The field of the secret holding the key (default `api_key`).
    pub field: Option<String>,
    /// https, or http on loopback; no trailing slash.
    pub base_url: String,
    pub key: KeyPlace,
    /// Upper-case, from [`METHODS`].
    pub methods: Vec<String>,
    /// Path prefixes, each starting with `/`.
    pub paths: Vec<String>,
    /// Headers added when the client sent none of that name.
    pub headers: Vec<(String, String)>,
    pub env: Vec<String>,
    pub url_env: Vec<String>,
}

impl ApiDecl {
    /// Whether `path` (already checked by the proxy: no `..`, no `//`) is under one of the
    /// allowed prefixes, at a segment boundary: `/repos` allows `/repos` and `/repos/x`,
    /// never `/reposx`.
    pub fn allows_path(&self, path: &str) -> bool {
        self.paths.iter().any(|p| {
            path == p
                || (path.starts_with(p.as_str())
                    && (p.ends_with('/') || path.as_bytes().get(p.len()) == Some(&b'/')))
        })
    }

    pub fn allows_method(&self, method: &str) -> bool {
        self.methods.iter().any(|m| m == method)
    }
}

/// Headers that never come from `[[api]]`: the HTTP layer's own, and credentials (a fixed
/// credential header would be a key in plaintext in `config.toml`).
const RESERVED_HEADERS: &[&str] = &[
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "te",
    "trailer",
    "upgrade",
    "proxy-connection",
    "proxy-authorization",
    "cookie",
    "origin",
    "accept-encoding",
    "content-encoding",
];
const CREDENTIAL_HEADERS: &[&str] = &["authorization", "x-api-key", "api-key"];

/// Variables an `[[api]]` may not set in a child: byok's own and the ones that change what
/// runs or where it looks.
const RESERVED_VARIABLES: &[&str] = &[
    "PATH", "HOME", "SHELL", "USER", "LOGNAME", "TMPDIR", "IFS", "ENV", "BASH_ENV", "PWD",
];

/// Reads every `[[api]]` table.
pub fn read(path: &Path, doc: &DocumentMut) -> Result<Vec<ApiDecl>> {
    let bad = |message: String| Error::Config {
        path: path.to_path_buf(),
        message,
    };
    let Some(item) = doc.get("api") else {
        return Ok(Vec::new());
    };
    let Some(tables) = item.as_array_of_tables() else {
        return Err(bad("`api` must be an array of tables ([[api]])".into()));
    };
    if tables.len() > MAX_APIS {
        return Err(bad(format!(
            "at most {MAX_APIS} [[api]] tables ({} given)",
            tables.len()
        )));
    }
    let mut out: Vec<ApiDecl> = Vec::new();
    for (index, table) in tables.iter().enumerate() {
        let n = index + 1;
        let name = match table.get("name").map(Item::as_str) {
            None => return Err(bad(format!("api #{n} has no `name`"))),
            Some(None) => return Err(bad(format!("api #{n}: `name` must be a string"))),
            Some(Some(name)) => name.to_owned(),
        };
        if !crate::names::is_valid_connector_name(&name) {
            return Err(bad(format!(
                "api #{n}: invalid name (a name is {})",
                crate::names::CONNECTOR_NAME_RULE
            )));
        }
        let at = format!("api #{n} '{name}'");
        let decl = one(table, &name).map_err(|why| bad(format!("{at}: {why}")))?;
        if out.iter().any(|a| a.name == name) {
            return Err(bad(format!("{at}: two [[api]] tables are named '{name}'")));
        }
        out.push(decl);
    }
    Ok(out)
}

impl super::Config {
    /// Appends an `[[api]]` table that names a recipe (what `adopt mcp` writes for a server
    /// it sends through the proxy), checked as the reader checks one; refuses a duplicate
    /// name. Callers hold the lock and [`save`](super::Config::save).
    pub fn add_api(
        &mut self,
        name: &str,
        recipe: &str,
        secret: &str,
        field: Option<&str>,
    ) -> Result<&ApiDecl> {
        let mut table = toml_edit::Table::new();
        table.insert("name", toml_edit::value(name));
        table.insert("recipe", toml_edit::value(recipe));
        table.insert("secret", toml_edit::value(secret));
        if let Some(field) = field {
            table.insert("field", toml_edit::value(field));
        }
        if !crate::names::is_valid_connector_name(name) {
            return Err(Error::Usage(format!(
                "invalid API name (a name is {})",
                crate::names::CONNECTOR_NAME_RULE
            )));
        }
        if self.apis.iter().any(|a| a.name == name) {
            return Err(Error::Usage(format!(
                "an [[api]] named '{name}' exists already in config.toml"
            )));
        }
        let decl = one(&table, name).map_err(|why| Error::Usage(format!("api '{name}': {why}")))?;
        self.keep_trailing_above(&mut table);
        if !matches!(self.doc.get("api"), Some(Item::ArrayOfTables(_))) {
            self.doc
                .insert("api", Item::ArrayOfTables(toml_edit::ArrayOfTables::new()));
        }
        self.doc["api"]
            .as_array_of_tables_mut()
            .expect("just ensured")
            .push(table);
        self.apis.push(decl);
        Ok(self.apis.last().expect("just pushed"))
    }
}

fn one(table: &toml_edit::Table, name: &str) -> std::result::Result<ApiDecl, String> {
    let text = |key: &str| -> std::result::Result<Option<String>, String> {
        match table.get(key) {
            None => Ok(None),
            Some(item) => item
                .as_str()
                .map(|s| Some(s.to_owned()))
                .ok_or_else(|| format!("`{key}` must be a string")),
        }
    };
    let list = |key: &str| -> std::result::Result<Option<Vec<String>>, String> {
        let Some(item) = table.get(key) else {
            return Ok(None);
        };
        let values: Option<Vec<String>> = item.as_array().and_then(|a| {
            a.iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<Vec<String>>>()
        });
        let values = values.ok_or_else(|| format!("`{key}` must be an array of strings"))?;
        if values.len() > MAX_LIST {
            return Err(format!(
                "`{key}`: at most {MAX_LIST} entries ({} given)",
                values.len()
            ));
        }
        Ok(Some(values))
    };
    let recipe = match text("recipe")? {
        None => None,
        Some(id) => Some(recipes::lookup(&id).ok_or_else(|| {
            format!(
                "unknown recipe '{}' (known: {})",
                crate::term::sanitize::line(&id.chars().take(40).collect::<String>()),
                recipes::ids()
            )
        })?),
    };
    let secret = text("secret")?.ok_or("no `secret` (the ref of the key it sends)")?;
    if !crate::names::is_valid_ref(&secret) {
        return Err(format!(
            "`secret` is not a valid ref name ({})",
            crate::names::REF_NAME_RULE
        ));
    }
    let field = text("field")?;
    if let Some(f) = &field
        && !crate::names::is_valid_field(f)
    {
        return Err(format!(
            "`field` is not a valid field name ({})",
            crate::names::FIELD_NAME_RULE
        ));
    }
    let base_url = match (text("base_url")?, recipe) {
        (Some(url), _) => url,
        (None, Some(r)) => r.base_url.to_owned(),
        (None, None) => return Err("no `base_url` (and no `recipe` to take it from)".into()),
    };
    if base_url.len() > 2048 {
        return Err("`base_url` is longer than 2048 bytes".into());
    }
    crate::connector::validate::check_base_url(&base_url, false)
        .map_err(|e| format!("`base_url`: {e}"))?;
    let base_url = base_url.trim_end_matches('/').to_owned();

    let key = key_place(
        text("key_header")?,
        text("key_format")?,
        text("key_query")?,
        recipe,
    )?;
    let methods = match (list("methods")?, recipe) {
        (Some(m), _) => m,
        (None, Some(r)) => r.methods.iter().map(|s| (*s).to_owned()).collect(),
        (None, None) => vec!["GET".to_owned()],
    };
    let mut upper = Vec::new();
    for m in methods {
        let u = m.to_ascii_uppercase();
        if !METHODS.contains(&u.as_str()) {
            return Err(format!(
                "`methods`: '{}' is not one of {}",
                crate::term::sanitize::line(&m.chars().take(16).collect::<String>()),
                METHODS.join(", ")
            ));
        }
        if !upper.contains(&u) {
            upper.push(u);
        }
    }
    if upper.is_empty() {
        return Err("`methods` is empty: the API would refuse every request".into());
    }
    let paths = match (list("paths")?, recipe) {
        (Some(p), _) => p,
        (None, Some(r)) => r.paths.iter().map(|s| (*s).to_owned()).collect(),
        (None, None) => {
            return Err(
                "no `paths` (the path prefixes a placeholder may reach, e.g. [\"/\"])".into(),
            );
        }
    };
    if paths.is_empty() {
        return Err("`paths` is empty: the API would refuse every request".into());
    }
    for p in &paths {
        if let Some(why) = prefix_problem(p) {
            return Err(format!(
                "`paths`: '{}' {why}",
                crate::term::sanitize::line(&p.chars().take(64).collect::<String>())
            ));
        }
    }
    let headers = match table.get("headers") {
        None => recipe
            .map(|r| {
                r.headers
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect()
            })
            .unwrap_or_default(),
        Some(item) => {
            let t = item
                .as_table_like()
                .ok_or("`headers` must be a table of strings")?;
            let mut out = Vec::new();
            for (k, v) in t.iter() {
                let v = v
                    .as_str()
                    .ok_or_else(|| format!("`headers`: '{}' must be a string", shown_name(k)))?;
                out.push((k.to_owned(), v.to_owned()));
            }
            if out.len() > MAX_LIST {
                return Err(format!("`headers`: at most {MAX_LIST} entries"));
            }
            out
        }
    };
    for (k, v) in &headers {
        let lower = k.to_ascii_lowercase();
        if !is_header_name(k)
            || RESERVED_HEADERS.contains(&lower.as_str())
            || CREDENTIAL_HEADERS.contains(&lower.as_str())
        {
            return Err(format!(
                "`headers`: '{}' is not a header byok may set (credentials go in `secret`)",
                shown_name(k)
            ));
        }
        if let KeyPlace::Header { name, .. } = &key
            && name.eq_ignore_ascii_case(k)
        {
            return Err(format!(
                "`headers`: '{}' is where the key goes",
                shown_name(k)
            ));
        }
        if v.len() > 1024 || !is_header_value(v) || v.contains("{key}") {
            // The value is not shown: it may be a key pasted in the wrong place.
            return Err(format!(
                "`headers`: the value of '{}' must be at most 1024 visible ASCII characters \
                 and cannot hold the key",
                shown_name(k)
            ));
        }
    }
    let env = variables("env", list("env")?, recipe.map(|r| r.env))?;
    let url_env = variables("url_env", list("url_env")?, recipe.map(|r| r.url_env))?;
    if let Some(v) = env.iter().find(|v| url_env.contains(v)) {
        return Err(format!("`{v}` is in both `env` and `url_env`"));
    }
    Ok(ApiDecl {
        name: name.to_owned(),
        recipe: recipe.map(|r| r.id.to_owned()),
        secret,
        field,
        base_url,
        key,
        methods: upper,
        paths,
        headers,
        env,
        url_env,
    })
}

fn key_place(
    header: Option<String>,
    format: Option<String>,
    query: Option<String>,
    recipe: Option<&recipes::Recipe>,
) -> std::result::Result<KeyPlace, String> {
    let place = match (header, query) {
        (Some(_), Some(_)) => {
            return Err("`key_header` and `key_query` both given: the key goes in one".into());
        }
        (Some(name), None) => KeyPlace::Header {
            name,
            format: format.clone().unwrap_or_else(|| "{key}".into()),
        },
        (None, Some(name)) => KeyPlace::Query { name },
        (None, None) => match recipe {
            Some(r) => match (r.key_header, r.key_query) {
                (Some((name, default)), _) => KeyPlace::Header {
                    name: name.to_owned(),
                    format: format.clone().unwrap_or_else(|| default.to_owned()),
                },
                (None, Some(q)) => KeyPlace::Query { name: q.to_owned() },
                (None, None) => unreachable!("every recipe places its key"),
            },
            None => {
                return Err(
                    "no `key_header` (with `key_format`) or `key_query`: byok would not know \
                     where the key goes"
                        .into(),
                );
            }
        },
    };
    match &place {
        KeyPlace::Header { name, format: f } => {
            let lower = name.to_ascii_lowercase();
            if !is_header_name(name) || RESERVED_HEADERS.contains(&lower.as_str()) {
                return Err(format!(
                    "`key_header`: '{}' is not a header byok may set",
                    shown_name(name)
                ));
            }
            if f.len() > 256 || f.matches("{key}").count() != 1 || !is_header_value(f) {
                return Err(
                    "`key_format` must hold `{key}` once, in at most 256 visible ASCII characters \
                     (e.g. \"Bearer {key}\")"
                        .into(),
                );
            }
        }
        KeyPlace::Query { name } => {
            if format.is_some() {
                return Err("`key_format` goes with `key_header`, not `key_query`".into());
            }
            if name.is_empty()
                || name.len() > 64
                || !name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
            {
                return Err(format!(
                    "`key_query`: '{}' must be 1-64 letters, digits, '_', '-' or '.'",
                    shown_name(name)
                ));
            }
        }
    }
    Ok(place)
}

/// Why `p` cannot be a path prefix (`None`: it can).
fn prefix_problem(p: &str) -> Option<&'static str> {
    if !p.starts_with('/') {
        return Some("must start with '/'");
    }
    if p.len() > MAX_PREFIX {
        return Some("is longer than 256 bytes");
    }
    if p.contains("//") {
        return Some("holds '//'");
    }
    if p.split('/').any(|s| s == "." || s == "..") {
        return Some("holds a '.' or '..' segment");
    }
    if !p
        .bytes()
        .all(|b| b.is_ascii_graphic() && !matches!(b, b'%' | b'?' | b'#' | b'\\'))
    {
        return Some("may hold only visible ASCII without '%', '?', '#' or '\\'");
    }
    None
}

fn variables(
    key: &str,
    given: Option<Vec<String>>,
    recipe: Option<&[&str]>,
) -> std::result::Result<Vec<String>, String> {
    let names = match (given, recipe) {
        (Some(v), _) => v,
        (None, Some(r)) => r.iter().map(|s| (*s).to_owned()).collect(),
        (None, None) => Vec::new(),
    };
    for v in &names {
        let shape = !v.is_empty()
            && v.len() <= 64
            && v.bytes()
                .next()
                .is_some_and(|b| b.is_ascii_uppercase() || b == b'_')
            && v.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
        let reserved = RESERVED_VARIABLES.contains(&v.as_str())
            || v.starts_with("BYOK_")
            || v.starts_with("LD_")
            || v.starts_with("DYLD_")
            || crate::export::child::NEVER_INHERITED.contains(&v.as_str());
        if !shape || reserved {
            return Err(format!(
                "`{key}`: '{}' is not a variable byok may set (1-64 of A-Z, 0-9 and '_'; not \
                 PATH, HOME, LD_*, BYOK_* or the like)",
                shown_name(v)
            ));
        }
    }
    Ok(names)
}

/// RFC 9110 token characters.
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'!' | b'#'
                        | b'$'
                        | b'%'
                        | b'&'
                        | b'\''
                        | b'*'
                        | b'+'
                        | b'-'
                        | b'.'
                        | b'^'
                        | b'_'
                        | b'`'
                        | b'|'
                        | b'~'
                )
        })
}

fn is_header_value(value: &str) -> bool {
    value.bytes().all(|b| b == b' ' || b.is_ascii_graphic())
}

/// A name from the file, as an error shows it: escaped, and cut at 64 characters.
fn shown_name(name: &str) -> String {
    crate::term::sanitize::line(&name.chars().take(64).collect::<String>()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> std::result::Result<Vec<ApiDecl>, String> {
        let doc: DocumentMut = text.parse().unwrap();
        read(Path::new("config.toml"), &doc).map_err(|e| e.to_string())
    }

    #[test]
    fn a_recipe_fills_what_the_table_leaves_out() {
        let apis = parse(
            "[[api]]\nname = \"gh\"\nrecipe = \"github\"\nsecret = \"tok\"\npaths = [\"/repos/\"]\n",
        )
        .unwrap();
        let gh = &apis[0];
        assert_eq!(gh.base_url, "https://api.github.com");
        assert_eq!(
            gh.key,
            KeyPlace::Header {
                name: "Authorization".into(),
                format: "Bearer {key}".into()
            }
        );
        assert_eq!(gh.paths, ["/repos/"]);
        assert!(gh.allows_method("GET") && !gh.allows_method("DELETE"));
        assert!(gh.allows_path("/repos/o/r") && !gh.allows_path("/user"));
        assert!(gh.env.contains(&"GITHUB_TOKEN".to_owned()));
    }

    #[test]
    fn prefixes_match_at_segment_boundaries() {
        let mut d = parse(
            "[[api]]\nname = \"x\"\nbase_url = \"https://x.example\"\nsecret = \"k\"\nkey_query = \"k\"\npaths = [\"/user\", \"/repos/\"]\n",
        )
        .unwrap()
        .remove(0);
        assert!(d.allows_path("/user") && d.allows_path("/user/repos"));
        assert!(!d.allows_path("/users") && !d.allows_path("/userx/a"));
        assert!(d.allows_path("/repos/a") && !d.allows_path("/repos"));
        d.paths = vec!["/".into()];
        assert!(d.allows_path("/anything/at/all"));
    }

    #[test]
    fn hostile_tables_are_refused_with_their_position_and_never_a_value() {
        let base =
            "[[api]]\nname = \"x\"\nsecret = \"k\"\nkey_header = \"X-Key\"\npaths = [\"/\"]\n";
        for (extra, says) in [
            ("base_url = \"http://evil.example\"\n", "base_url"),
            ("base_url = \"ftp://x.example\"\n", "base_url"),
            (
                "base_url = \"https://x.example/?key=sk-test-pasted-1234567890\"\n",
                "query",
            ),
            (
                "base_url = \"https://u:sk-test-pasted-1234567890@x.example\"\n",
                "credentials",
            ),
        ] {
            let err = parse(&format!("{base}{extra}")).unwrap_err();
            assert!(err.contains("api #1 'x'") && err.contains(says), "{err}");
            assert!(!err.contains("sk-test-pasted"), "{err}");
        }
        let with_base = format!("{base}base_url = \"https://x.example\"\n");
        for (extra, says) in [
            ("paths = [\"/a/../b\"]\n", "paths"),
            ("paths = [\"/a//b\"]\n", "paths"),
            ("paths = [\"/a%2e\"]\n", "paths"),
            ("paths = [\"a\"]\n", "paths"),
            ("paths = []\n", "paths"),
            ("methods = [\"TRACE\"]\n", "methods"),
            ("methods = []\n", "methods"),
            ("key_format = \"Bearer\"\n", "key_format"),
            ("key_format = \"{key}{key}\"\n", "key_format"),
            ("key_query = \"k\"\n", "both"),
            (
                "headers = { Authorization = \"Bearer sk-test-pasted-1234567890\" }\n",
                "headers",
            ),
            (
                "headers = { \"X-A\" = \"sk-test-pasted-1234567890\\n\" }\n",
                "headers",
            ),
            ("headers = { Host = \"evil\" }\n", "headers"),
            ("env = [\"LD_PRELOAD\"]\n", "env"),
            ("env = [\"PATH\"]\n", "env"),
            ("env = [\"BYOK_HOME\"]\n", "env"),
            ("url_env = [\"lower\"]\n", "url_env"),
            ("recipe = \"nope\"\n", "recipe"),
            ("field = \"Bad Field\"\n", "field"),
        ] {
            // A key repeated later in the same table is a TOML error; these replace it.
            let text = if extra.starts_with("paths") || extra.starts_with("key_query") {
                with_base.replace("paths = [\"/\"]\n", "") + extra
            } else {
                format!("{with_base}{extra}")
            };
            let err = parse(&text).unwrap_err();
            assert!(err.contains(says), "{extra}: {err}");
            assert!(!err.contains("sk-test-pasted"), "{err}");
        }
        let err = parse(&format!("{with_base}\n{with_base}")).unwrap_err();
        assert!(err.contains("two [[api]] tables"), "{err}");
        let many = with_base.replace("name = \"x\"", "name = \"a\"").repeat(65);
        assert!(parse(&many).unwrap_err().contains("at most 64"));
        assert!(
            parse("[[api]]\nname = \"Bad Name\"\n")
                .unwrap_err()
                .contains("invalid name")
        );
    }

    #[test]
    fn an_added_recipe_table_reads_back_the_same() {
        let path = Path::new("config.toml");
        let mut config = crate::config::Config::parse(
            path,
            "# mine\n[[connector]]\nname = \"a\"\ntype = \"openai\"\nsecret = \"k\"\n",
        )
        .unwrap();
        let added = config
            .add_api("github", "github", "gh_token", None)
            .unwrap()
            .clone();
        assert!(
            config
                .add_api("github", "github", "gh_token", None)
                .is_err()
        );
        assert!(config.add_api("x", "nope", "gh_token", None).is_err());
        assert!(config.add_api("y", "github", "Bad Ref", None).is_err());
        let text = config.text();
        assert!(text.starts_with("# mine\n"), "{text}");
        let again = crate::config::Config::parse(path, &text).unwrap();
        assert_eq!(again.apis(), [added]);
        assert_eq!(again.connectors().len(), 1);
    }

    #[test]
    fn http_is_allowed_on_loopback_only() {
        let t = "[[api]]\nname = \"x\"\nsecret = \"k\"\nkey_query = \"k\"\npaths = [\"/\"]\nbase_url = \"http://127.0.0.1:9/v1/\"\n";
        assert_eq!(parse(t).unwrap()[0].base_url, "http://127.0.0.1:9/v1");
    }
}
