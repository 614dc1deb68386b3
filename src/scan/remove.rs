//! `--remove-source`: rewriting a file without the lines that held imported keys.
//!
//! A symbolic link is followed to its target (dotfile managers link `~/.zshrc`; replacing
//! the link by a file would fork the user's dotfiles), which is replaced atomically — a temp
//! file beside it, fsync, rename — keeping its permissions. No backup is written: it would be
//! the plaintext copy the user asked to be rid of. A JSON file loses the comma a removed
//! last entry leaves dangling; a one-line JSON object loses the members holding the values
//! instead of the line. A JSON or YAML file must still parse afterwards and hold none of the
//! values, else nothing is changed: [`plan`] says so before the import writes anything.

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::secret::SecretValue;

/// What a removal did.
#[derive(Debug)]
pub struct Removed {
    /// The file rewritten (the symlink's target when the path was a link).
    pub file: PathBuf,
    /// 1-based numbers of the lines removed.
    pub lines: Vec<usize>,
}

/// Which lines of `text` hold one of `values` (1-based).
pub fn lines_holding(text: &str, values: &[&SecretValue]) -> Vec<usize> {
    text.split_inclusive('\n')
        .enumerate()
        .filter(|(_, line)| {
            values
                .iter()
                .any(|v| !v.expose().is_empty() && line.contains(v.expose()))
        })
        .map(|(i, _)| i + 1)
        .collect()
}

/// The text without `remove` (1-based line numbers), with JSON commas fixed when `json`.
fn without(text: &str, remove: &[usize], json: bool) -> Zeroizing<String> {
    let mut kept: Vec<&str> = Vec::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if !remove.contains(&(i + 1)) {
            kept.push(line);
        }
    }
    let mut out = Zeroizing::new(String::with_capacity(text.len()));
    if !json {
        for line in kept {
            out.push_str(line);
        }
        return out;
    }
    // A `,` before a closing bracket is left over from a removed last entry.
    let mut lines: Vec<String> = kept.into_iter().map(str::to_owned).collect();
    for i in 0..lines.len() {
        let closes = lines[i + 1..]
            .iter()
            .find(|l| !l.trim().is_empty())
            .is_some_and(|l| l.trim_start().starts_with(['}', ']']));
        let trimmed = lines[i].trim_end();
        if closes && trimmed.ends_with(',') {
            let ending = &lines[i][trimmed.len()..];
            lines[i] = format!("{}{ending}", &trimmed[..trimmed.len() - 1]);
        }
    }
    for mut line in lines {
        out.push_str(&line);
        zeroize::Zeroize::zeroize(&mut line);
    }
    out
}

fn parses_like(before: &str, after: &str) -> bool {
    let is_json = |t: &str| serde_json::from_str::<serde::de::IgnoredAny>(t).is_ok();
    if is_json(before) {
        return is_json(after);
    }
    let is_yaml = |t: &str| {
        use saphyr::{LoadableYamlNode, Yaml};
        Yaml::load_from_str(t).is_ok()
    };
    !is_yaml(before) || is_yaml(after)
}

/// What a removal will do, worked out (and checked) before anything is imported: the new
/// text is ready, so a source it cannot be taken out of is refused while nothing is changed.
pub struct Plan {
    /// The file to rewrite (the symlink's target when the path was a link).
    pub file: PathBuf,
    /// 1-based numbers of the lines that held the values.
    pub lines: Vec<usize>,
    /// The JSON members removed when whole lines could not be (a one-line file): their names.
    pub members: Vec<String>,
    before: Zeroizing<Vec<u8>>,
    after: Zeroizing<String>,
}

impl std::fmt::Debug for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plan")
            .field("file", &self.file)
            .field("lines", &self.lines)
            .field("members", &self.members)
            .finish_non_exhaustive()
    }
}

impl Plan {
    /// What it does, for messages: "line(s) 2, 3" or "member(s) openai (line 1)".
    pub fn describe(&self) -> String {
        if self.members.is_empty() {
            format!("line(s) {}", join(&self.lines))
        } else {
            let names: Vec<String> = self
                .members
                .iter()
                .map(|m| crate::term::sanitize::line(m).into_owned())
                .collect();
            format!(
                "the JSON member(s) {} (line(s) {})",
                names.join(", "),
                join(&self.lines)
            )
        }
    }
}

/// Works out how to take `values` out of `path`, without writing: `None` when no line holds
/// one. Lines holding a value go; a JSON file that would not parse without them (the whole
/// object on one line) loses the members whose value is one of `values` instead. When neither
/// leaves a file that parses and holds none of the values, a usage error names the file.
pub fn plan(path: &Path, values: &[&SecretValue]) -> Result<Option<Plan>> {
    let file = std::fs::canonicalize(path).map_err(Error::io("resolve", path))?;
    let bytes = Zeroizing::new(std::fs::read(&file).map_err(Error::io("read", &file))?);
    let shown = || crate::term::sanitize::line(&file.display().to_string()).into_owned();
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| Error::Usage(format!("{} is not UTF-8 text", shown())))?;
    let lines = lines_holding(text, values);
    if lines.is_empty() {
        return Ok(None);
    }
    let json = serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok();
    let mut after = without(text, &lines, json);
    let mut members = Vec::new();
    if !parses_like(text, &after)
        && json
        && let Some((rewritten, removed)) = json_without(text, values)
    {
        after = rewritten;
        members = removed;
    }
    if !parses_like(text, &after) || !lines_holding(&after, values).is_empty() {
        return Err(Error::Usage(format!(
            "--remove-source cannot take the imported key(s) out of {} (line(s) {}) without \
             breaking it; import without --remove-source, then edit the file by hand",
            shown(),
            join(&lines)
        )));
    }
    Ok(Some(Plan {
        file,
        lines,
        members,
        before: Zeroizing::new(bytes.to_vec()),
        after,
    }))
}

/// Writes a [`plan`]'s new text, atomically and keeping the file's permissions; refuses when
/// the file changed since it was planned.
pub fn apply(plan: Plan) -> Result<Removed> {
    let file = &plan.file;
    let now = Zeroizing::new(std::fs::read(file).map_err(Error::io("read", file))?);
    if *now != *plan.before {
        return Err(Error::Usage(format!(
            "{} changed while importing; nothing was removed from it",
            crate::term::sanitize::line(&file.display().to_string()).into_owned()
        )));
    }
    let permissions = std::fs::metadata(file).map(|m| m.permissions()).ok();
    crate::fsutil::write_atomic(file, plan.after.as_bytes())?;
    if let Some(permissions) = permissions {
        std::fs::set_permissions(file, permissions)
            .map_err(Error::io("set permissions of", file))?;
    }
    Ok(Removed {
        file: plan.file,
        lines: plan.lines,
    })
}

/// Removes the lines of `path` holding any of `values`. Returns `None` when no line does.
pub fn remove_lines(path: &Path, values: &[&SecretValue]) -> Result<Option<Removed>> {
    plan(path, values)?.map(apply).transpose()
}

/// A JSON object's members in file order, each value as its original text.
struct Members(Vec<(String, Box<serde_json::value::RawValue>)>);

impl<'de> serde::Deserialize<'de> for Members {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Members;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Members, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    out.push(entry);
                }
                Ok(Members(out))
            }
        }
        d.deserialize_map(Visit)
    }
}

/// `text` (a JSON object) without the members, at any depth, whose value is a string equal
/// to one of `values`, written compactly in the original order (other values keep their own
/// text); and the names of the members removed. `None` when it is not an object.
fn json_without(text: &str, values: &[&SecretValue]) -> Option<(Zeroizing<String>, Vec<String>)> {
    fn object(text: &str, values: &[&SecretValue], removed: &mut Vec<String>) -> Option<String> {
        let Members(members) = serde_json::from_str(text).ok()?;
        let mut out = String::from("{");
        for (name, value) in members {
            let raw = value.get();
            let string: Option<Zeroizing<String>> =
                serde_json::from_str::<String>(raw).ok().map(Zeroizing::new);
            if string.is_some_and(|s| values.iter().any(|v| v.expose() == s.as_str())) {
                removed.push(name);
                continue;
            }
            if out.len() > 1 {
                out.push(',');
            }
            out.push_str(&serde_json::to_string(&name).ok()?);
            out.push(':');
            match object(raw, values, removed) {
                Some(inner) => out.push_str(&inner),
                None => out.push_str(raw.trim()),
            }
        }
        out.push('}');
        Some(out)
    }
    let mut removed = Vec::new();
    let mut out = Zeroizing::new(object(text, values, &mut removed)?);
    if text.ends_with('\n') {
        out.push('\n');
    }
    Some((out, removed))
}

pub fn join(lines: &[usize]) -> String {
    lines
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_commas_follow_removed_last_entries() {
        let text = "{\n  \"// Note\": \"x\",\n  \"openai\": \"sk-test-1\"\n}\n";
        let v = SecretValue::new("sk-test-1".into());
        let lines = lines_holding(text, &[&v]);
        assert_eq!(lines, [3]);
        let out = without(text, &lines, true);
        assert_eq!(&*out, "{\n  \"// Note\": \"x\"\n}\n");
        assert!(parses_like(text, &out));
    }

    #[test]
    fn a_one_line_json_object_loses_the_member_not_the_line() {
        let text = "{\"openai\": \"sk-test-1\", \"other\": {\"n\": 1, \"k\": \"sk-test-1\"}, \"x\": [1, 2]}\n";
        let v = SecretValue::new("sk-test-1".into());
        let (out, removed) = json_without(text, &[&v]).unwrap();
        assert_eq!(&*out, "{\"other\":{\"n\":1},\"x\":[1, 2]}\n");
        assert_eq!(removed, ["openai", "k"]);
        assert!(parses_like(text, &out));
    }

    #[test]
    fn other_lines_stay_byte_for_byte() {
        let text = "A=1\r\nOPENAI_API_KEY=sk-test-2\nB=2";
        let v = SecretValue::new("sk-test-2".into());
        assert_eq!(
            &*without(text, &lines_holding(text, &[&v]), false),
            "A=1\r\nB=2"
        );
    }
}
