//! `--remove-source`: rewriting a file without the lines that held imported keys.
//!
//! A symbolic link is followed to its target (dotfile managers link `~/.zshrc`; replacing
//! the link by a file would fork the user's dotfiles), which is replaced atomically — a temp
//! file beside it, fsync, rename — keeping its permissions. No backup is written: it would be
//! the plaintext copy the user asked to be rid of. A JSON file loses the comma a removed
//! last entry leaves dangling, and a JSON or YAML file must still parse afterwards, else
//! nothing is changed.

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

/// Removes the lines of `path` holding any of `values`. Returns `None` when no line does.
pub fn remove_lines(path: &Path, values: &[&SecretValue]) -> Result<Option<Removed>> {
    let file = std::fs::canonicalize(path).map_err(Error::io("resolve", path))?;
    let bytes = Zeroizing::new(std::fs::read(&file).map_err(Error::io("read", &file))?);
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        Error::Usage(format!(
            "{} is not UTF-8 text; nothing was removed",
            crate::term::sanitize::line(&file.display().to_string()).into_owned()
        ))
    })?;
    let lines = lines_holding(text, values);
    if lines.is_empty() {
        return Ok(None);
    }
    let json = serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok();
    let new = without(text, &lines, json);
    if !parses_like(text, &new) {
        return Err(Error::Usage(format!(
            "removing line(s) {} would leave {} unparsable; nothing was removed — edit it by hand",
            join(&lines),
            crate::term::sanitize::line(&file.display().to_string()).into_owned()
        )));
    }
    let permissions = std::fs::metadata(&file).map(|m| m.permissions()).ok();
    crate::fsutil::write_atomic(&file, new.as_bytes())?;
    if let Some(permissions) = permissions {
        std::fs::set_permissions(&file, permissions)
            .map_err(Error::io("set permissions of", &file))?;
    }
    Ok(Some(Removed { file, lines }))
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
    fn other_lines_stay_byte_for_byte() {
        let text = "A=1\r\nOPENAI_API_KEY=sk-test-2\nB=2";
        let v = SecretValue::new("sk-test-2".into());
        assert_eq!(
            &*without(text, &lines_holding(text, &[&v]), false),
            "A=1\r\nB=2"
        );
    }
}
