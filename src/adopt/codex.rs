//! Edits of Codex's `config.toml` through `toml_edit`: comments, order and the layout of
//! everything not edited stay; a server's table is edited where it is (a `[mcp_servers.X]`
//! header, dotted keys or an inline table alike), never added a second time.

use toml_edit::{Array, DocumentMut, Item, TableLike, Value};

/// Parses `text`; the error names the line, never the content.
pub fn parse(text: &str) -> Result<DocumentMut, String> {
    text.parse::<DocumentMut>().map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        let line = text[..at.min(text.len())].matches('\n').count() + 1;
        format!("not valid TOML at line {line}")
    })
}

/// Sets `key` to `value`, keeping the old value's surrounding whitespace and comments.
fn set(table: &mut dyn TableLike, key: &str, mut value: Value) {
    if let Some(old) = table.get_mut(key).and_then(Item::as_value_mut) {
        *value.decor_mut() = old.decor().clone();
        *old = value;
    } else {
        table.insert(key, Item::Value(value));
    }
}

/// Rewrites server `name` of `[mcp_servers]`: `remove` out of its `env` (the table too when
/// it is left empty), then `command` and `args`.
pub fn rewrite(
    doc: &mut DocumentMut,
    name: &str,
    remove: &[String],
    command: &str,
    args: &[String],
) -> Result<(), String> {
    let here = format!("mcp_servers.{name}");
    let server = doc
        .get_mut("mcp_servers")
        .and_then(Item::as_table_like_mut)
        .and_then(|s| s.get_mut(name))
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| format!("{here} is not a table"))?;
    if let Some(env) = server.get_mut("env").and_then(Item::as_table_like_mut) {
        for var in remove {
            env.remove(var);
        }
        if env.is_empty() {
            server.remove("env");
        }
    }
    set(server, "command", Value::from(command));
    let array: Array = args.iter().map(String::as_str).collect();
    set(server, "args", Value::Array(array));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_order_stay() {
        let text = "# mine\nmodel = \"o3\"\n\n[mcp_servers.t]  # the search\ncommand = \"npx\" # runs it\nargs = [\"-y\", \"t\"]\n\n[mcp_servers.t.env]\nK = \"v\"\nLOG = \"1\"\n\n[other]\nx = 1\n";
        let mut doc = parse(text).unwrap();
        rewrite(
            &mut doc,
            "t",
            &["K".into()],
            "byok",
            &["exec".into(), "--".into()],
        )
        .unwrap();
        assert_eq!(
            doc.to_string(),
            "# mine\nmodel = \"o3\"\n\n[mcp_servers.t]  # the search\ncommand = \"byok\" # runs it\nargs = [\"exec\", \"--\"]\n\n[mcp_servers.t.env]\nLOG = \"1\"\n\n[other]\nx = 1\n"
        );
    }

    #[test]
    fn an_emptied_env_goes() {
        let text = "[mcp_servers.t]\ncommand = \"x\"\nenv = { K = \"v\" }\n";
        let mut doc = parse(text).unwrap();
        rewrite(&mut doc, "t", &["K".into()], "byok", &["exec".into()]).unwrap();
        assert_eq!(
            doc.to_string(),
            "[mcp_servers.t]\ncommand = \"byok\"\nargs = [\"exec\"]\n"
        );
        assert!(parse("[a]\nx=1\n[a]\ny=2\n").is_err());
    }
}
