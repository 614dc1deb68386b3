//! Every key `config.toml` may hold, one [`TableSpec`] per table, and the check that refuses
//! any other key with its position (line, table) and the nearest known key.
//!
//! A misspelt key (`secrt = "…"`, `rotation-days = 30`) would otherwise be silently ignored,
//! and the user would believe a setting was in force. The readers in `config.rs` check the
//! values; this module checks only the names, so each table's list here is the one place a
//! new key is declared:
//!
//! - a top-level key or table: [`TOP`];
//! - a key of `[[connector]]`: [`CONNECTOR`];
//! - a key of `[[store]]` for every type: [`STORE`]; for one type: [`STORE_TYPES`]
//!   (`openbao` takes its list from `store::openbao::config::KEYS`);
//! - a new table `[x]`: a `static X: TableSpec` here, and `("x", Child::Table(&X))` in
//!   [`TOP`]; a table of user-chosen names (`[aliases]`) is `Child::AnyKeys`; a table of
//!   user-chosen sub-tables (`[prices."glob"]`) is `Child::AnyTables(&SPEC)`.

use std::path::Path;

use toml_edit::{Item, TableLike};

use crate::error::{Error, Result};

/// What a key holds, as far as the name check goes.
pub enum Child {
    /// A value (or anything the reader checks itself); not descended into.
    Value,
    /// A table with fixed keys.
    Table(&'static TableSpec),
    /// An array of tables with fixed keys (`[[connector]]`).
    Tables(&'static TableSpec),
    /// A table whose keys the user chooses (`[aliases]`, `options`); the reader checks values.
    AnyKeys,
    /// A table of user-named tables, each with fixed keys (`[prices."glob"]`).
    AnyTables(&'static TableSpec),
}

/// The keys of one table.
pub struct TableSpec {
    /// How the table is named in messages: `[[connector]]`, `the top level`.
    pub header: &'static str,
    pub keys: &'static [(&'static str, Child)],
    /// More keys allowed according to the table's `type = "…"` (the `[[store]]` types). An
    /// unknown type is left to the reader, which names it.
    pub by_type: &'static [(&'static str, &'static [&'static str])],
}

/// The top level of `config.toml`.
pub static TOP: TableSpec = TableSpec {
    header: "the top level",
    keys: &[
        ("connector", Child::Tables(&CONNECTOR)),
        ("store", Child::Tables(&STORE)),
        ("admin", Child::Tables(&ADMIN)),
        ("default_store", Child::Value),
        ("aliases", Child::AnyKeys),
        ("reveal", Child::Value),
        ("audit_names", Child::Value),
        ("rotation_days", Child::Value),
        ("proxy", Child::Table(&PROXY)),
        ("usage", Child::Table(&USAGE)),
        ("alerts", Child::Table(&ALERTS)),
        ("prices", Child::AnyTables(&PRICE)),
        ("api", Child::Tables(&API)),
        ("mcp", Child::Table(&MCP)),
    ],
    by_type: &[],
};

/// `[mcp]`: `[[mcp.policy]]` rules (`crate::mcp::policy`), which grant only once pinned.
pub static MCP: TableSpec = TableSpec {
    header: "[mcp]",
    keys: &[("policy", Child::Tables(&MCP_POLICY))],
    by_type: &[],
};

/// One `[[mcp.policy]]` rule.
pub static MCP_POLICY: TableSpec = TableSpec {
    header: "[[mcp.policy]]",
    keys: &[
        ("models", Child::Value),
        ("max_budget_usd_per_day", Child::Value),
        ("max_lifetime", Child::Value),
        ("agents", Child::Value),
    ],
    by_type: &[],
};

/// `[proxy]`.
pub static PROXY: TableSpec = TableSpec {
    header: "[proxy]",
    keys: &[("agent_proof", Child::Value), ("listen", Child::Value)],
    by_type: &[],
};

/// `[usage]`: the anomaly check of `byok usage --check`.
pub static USAGE: TableSpec = TableSpec {
    header: "[usage]",
    keys: &[
        ("anomaly_factor", Child::Value),
        ("auth_failure_threshold", Child::Value),
    ],
    by_type: &[],
};

/// `[alerts]`: the budget-threshold command of the proxy.
pub static ALERTS: TableSpec = TableSpec {
    header: "[alerts]",
    keys: &[("thresholds", Child::Value), ("command", Child::Value)],
    by_type: &[],
};

/// One `[prices."glob"]` table.
pub static PRICE: TableSpec = TableSpec {
    header: "[prices.\"…\"]",
    keys: &[
        ("input", Child::Value),
        ("output", Child::Value),
        ("cached", Child::Value),
        ("cache_write", Child::Value),
        ("source", Child::Value),
    ],
    by_type: &[],
};

/// A `[[connector]]` table.
pub static CONNECTOR: TableSpec = TableSpec {
    header: "[[connector]]",
    keys: &[
        ("name", Child::Value),
        ("type", Child::Value),
        ("secret", Child::Value),
        ("model", Child::Value),
        ("base_url", Child::Value),
        ("options", Child::AnyKeys),
        ("archived", Child::Value),
        ("allow_insecure_http", Child::Value),
        ("models", Child::Value),
        ("service_user", Child::Value),
    ],
    by_type: &[],
};

/// An `[[admin]]` table: an admin connection.
pub static ADMIN: TableSpec = TableSpec {
    header: "[[admin]]",
    keys: &[
        ("name", Child::Value),
        ("provider", Child::Value),
        ("secret", Child::Value),
        ("project", Child::Value),
        ("workspace", Child::Value),
        ("base_url", Child::Value),
        ("exclusive", Child::Value),
    ],
    by_type: &[],
};

/// A `[[store]]` table: the keys every type has, and each type's own.
pub static STORE: TableSpec = TableSpec {
    header: "[[store]]",
    keys: &[("name", Child::Value), ("type", Child::Value)],
    by_type: STORE_TYPES,
};

/// Per `[[store]]` type, its settings (all strings).
pub const STORE_TYPES: &[(&str, &[&str])] = &[
    ("age-file", &["path", "identity"]),
    ("openbao", crate::store::openbao::config::KEYS),
    ("aws-secrets-manager", crate::store::aws::config::KEYS),
];

/// An `[[api]]` table: a tool API served by the proxy (`config/apis.rs`).
pub static API: TableSpec = TableSpec {
    header: "[[api]]",
    keys: &[
        ("name", Child::Value),
        ("recipe", Child::Value),
        ("secret", Child::Value),
        ("field", Child::Value),
        ("base_url", Child::Value),
        ("key_header", Child::Value),
        ("key_format", Child::Value),
        ("key_query", Child::Value),
        ("methods", Child::Value),
        ("paths", Child::Value),
        ("headers", Child::AnyKeys),
        ("env", Child::Value),
        ("url_env", Child::Value),
    ],
    by_type: &[],
};

/// Refuses the first key in `doc` that no spec declares.
pub fn check(path: &Path, text: &str, doc: &dyn TableLike) -> Result<()> {
    check_table(path, text, doc, &TOP, None)
}

fn check_table(
    path: &Path,
    text: &str,
    table: &dyn TableLike,
    spec: &TableSpec,
    at: Option<&str>,
) -> Result<()> {
    let kind = table.get("type").and_then(Item::as_str);
    let typed: Option<&[&str]> = spec
        .by_type
        .iter()
        .find(|(name, _)| Some(*name) == kind)
        .map(|(_, keys)| *keys);
    // A `[[store]]` of an unknown type: the reader names the type; its keys mean nothing yet.
    if !spec.by_type.is_empty() && typed.is_none() {
        return Ok(());
    }
    for (key, item) in table.iter() {
        let child = spec.keys.iter().find(|(k, _)| *k == key).map(|(_, c)| c);
        let known_typed = typed.is_some_and(|keys| keys.contains(&key));
        let Some(child) = child else {
            if known_typed {
                continue;
            }
            let span = table.get_key_value(key).and_then(|(k, _)| k.span());
            return Err(unknown(path, text, key, span, spec, typed, kind, at));
        };
        let here = |n: usize| {
            let name = item
                .as_array_of_tables()
                .and_then(|t| t.get(n))
                .and_then(|t| t.get("name"))
                .and_then(Item::as_str);
            match name {
                Some(name) => format!("#{} '{}'", n + 1, name),
                None => format!("#{}", n + 1),
            }
        };
        match child {
            Child::Value | Child::AnyKeys => {}
            Child::Table(inner) => {
                if let Some(t) = item.as_table_like() {
                    check_table(path, text, t, inner, None)?;
                }
            }
            Child::Tables(inner) => {
                if let Some(tables) = item.as_array_of_tables() {
                    for (n, t) in tables.iter().enumerate() {
                        check_table(path, text, t, inner, Some(&here(n)))?;
                    }
                }
            }
            Child::AnyTables(inner) => {
                if let Some(t) = item.as_table_like() {
                    for (name, sub) in t.iter() {
                        if let Some(sub) = sub.as_table_like() {
                            check_table(path, text, sub, inner, Some(&format!("\"{name}\"")))?;
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn unknown(
    path: &Path,
    text: &str,
    key: &str,
    span: Option<std::ops::Range<usize>>,
    spec: &TableSpec,
    typed: Option<&[&str]>,
    kind: Option<&str>,
    at: Option<&str>,
) -> Error {
    let mut known: Vec<&str> = spec.keys.iter().map(|(k, _)| *k).collect();
    known.extend(typed.unwrap_or_default());
    let table = match (at, kind, typed) {
        (Some(at), Some(kind), Some(_)) => format!("{} {at} (type {kind})", spec.header),
        (Some(at), _, _) => format!("{} {at}", spec.header),
        (None, _, _) => spec.header.to_owned(),
    };
    let line = span.map(|s| super::line_column(text, s.start).0);
    let suggestion = crate::error::suggest(key, known.iter().copied());
    Error::ConfigUnknownKey {
        path: path.to_path_buf(),
        message: format!(
            "{}unknown key `{}` in {}",
            line.map(|l| format!("line {l}: ")).unwrap_or_default(),
            shown(key),
            shown(&table)
        ),
        hint: format!(
            "{}the keys this table takes: {}. Fix or remove the key by hand; byok did not \
             change the file",
            suggestion
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default(),
            known.join(", ")
        ),
    }
}

/// A name from the file as it may be printed: controls escaped, a very long or key-shaped
/// word shortened or hidden.
fn shown(text: &str) -> String {
    let text = crate::term::sanitize::line(text);
    let text = crate::term::sanitize::shorten(&text);
    crate::term::sanitize::hide_keys(&text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_text(text: &str) -> Result<()> {
        let doc = toml_edit::ImDocument::parse(text).unwrap();
        check(Path::new("c.toml"), text, doc.as_table())
    }

    /// The message and the hint of the refusal.
    fn unknown_key(text: &str) -> (String, String) {
        match check_text(text) {
            Err(e @ Error::ConfigUnknownKey { .. }) => (e.to_string(), e.hint().unwrap()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_key_the_readers_know_passes() {
        let text = r#"
default_store = "team"
reveal = "prompt"
audit_names = "plain"
rotation_days = 30
[aliases]
fast = "gpt-4.1-nano"
[[connector]]
name = "a"
type = "openai"
secret = "k"
model = "m"
base_url = "https://x"
options = { anything = "goes" }
archived = false
allow_insecure_http = false
models = ["gpt-*"]
[[store]]
name = "team"
type = "age-file"
path = "team.age"
identity = "id.txt"
[[store]]
name = "bao"
type = "openbao"
address = "https://b:8200"
mount = "secret"
prefix = "byok/"
namespace = "n"
ca_cert = "/ca.pem"
auth = "approle"
role_id = "r"
login = "keychain"
retry_for = "20s"
"#;
        check_text(text).unwrap();
    }

    #[test]
    fn unknown_keys_are_named_with_line_and_table() {
        let (message, hint) = unknown_key("reveal = \"never\"\nrotation-days = 3\n");
        assert_eq!(
            message,
            "c.toml: line 2: unknown key `rotation-days` in the top level"
        );
        assert!(hint.starts_with("did you mean `rotation_days`?"), "{hint}");

        let text = "[[connector]]\nname = \"a\"\ntype = \"openai\"\n[[connector]]\nname = \"w\"\nsecrt = \"k\"\n";
        let (message, hint) = unknown_key(text);
        assert_eq!(
            message,
            "c.toml: line 6: unknown key `secrt` in [[connector]] #2 'w'"
        );
        assert!(hint.starts_with("did you mean `secret`?"), "{hint}");
    }

    #[test]
    fn store_keys_depend_on_the_type() {
        let (message, hint) = unknown_key(
            "[[store]]\nname = \"t\"\ntype = \"age-file\"\npath = \"t.age\"\nmount = \"x\"\n",
        );
        assert_eq!(
            message,
            "c.toml: line 5: unknown key `mount` in [[store]] #1 't' (type age-file)"
        );
        assert!(
            hint.contains("takes: name, type, path, identity."),
            "{hint}"
        );
        // An unknown type is the reader's to name.
        check_text("[[store]]\nname = \"t\"\ntype = \"s3\"\nbucket = \"x\"\n").unwrap();
    }

    #[test]
    fn fixed_and_named_sub_tables_are_checked() {
        static INNER: TableSpec = TableSpec {
            header: "[inner]",
            keys: &[("a", Child::Value)],
            by_type: &[],
        };
        static OUTER: TableSpec = TableSpec {
            header: "the top level",
            keys: &[
                ("inner", Child::Table(&INNER)),
                ("named", Child::AnyTables(&INNER)),
            ],
            by_type: &[],
        };
        let run = |text: &str| {
            let doc = toml_edit::ImDocument::parse(text).unwrap();
            check_table(Path::new("c.toml"), text, doc.as_table(), &OUTER, None)
        };
        run("[inner]\na = 1\n[named.\"x*\"]\na = 2\n").unwrap();
        let err = run("[inner]\nb = 1\n").unwrap_err().to_string();
        assert!(err.contains("line 2: unknown key `b` in [inner]"), "{err}");
        let err = run("[named.\"x*\"]\na = 1\nc = 2\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown key `c` in [inner] \"x*\""), "{err}");
    }

    #[test]
    fn names_from_the_file_are_escaped() {
        let (message, _) = unknown_key("\"\\u001b]52;c;x\\u0007\" = 1\n");
        assert!(!message.contains('\u{1b}'), "{message:?}");
        let (message, _) = unknown_key("sk-test-AAAAAAAAAAAAAAAAAAAAAAAA = 1\n");
        assert!(!message.contains("AAAAAAAAAAAAAAAA"), "{message:?}");
    }
}
