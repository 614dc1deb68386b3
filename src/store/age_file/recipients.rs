//! `FILE.recipients`: who a shared vault file is encrypted to.
//!
//! The format is age's recipients file (`age -R FILE.recipients`): one recipient per line,
//! `#` comments and blank lines ignored. byok writes a `# name` comment right above each
//! recipient, so a `git diff` of the file shows who was added or removed, and reads that
//! comment back as the member's name. Two kinds of recipient are accepted: age X25519
//! (`age1…`) and OpenSSH ed25519 (`ssh-ed25519 AAAA… [comment]`).
//!
//! The file is hostile input (anyone who can commit can change it): its size and number of
//! members are bounded, and names are checked before they are printed.

use std::path::Path;
use std::str::FromStr;

use crate::error::{Error, Result};

/// Files larger than this are refused (a few thousand members fit easily).
pub const MAX_FILE: usize = 1 << 20;
/// More members than this are refused.
pub const MAX_MEMBERS: usize = 1000;
/// The longest member name.
pub const MAX_NAME: usize = 64;

/// One recipient of a shared file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// The `# name` comment above the recipient (`None` in a hand-written file without one).
    pub name: Option<String>,
    /// The recipient as written, normalised: `age1…` or `ssh-ed25519 AAAA…` (no comment).
    pub key: String,
}

impl Member {
    /// The name shown in listings: the name, else the key shortened.
    pub fn display(&self) -> String {
        match &self.name {
            Some(name) => name.clone(),
            None => short_key(&self.key),
        }
    }

    /// The age recipient this member's key stands for.
    pub fn recipient(&self) -> Result<Box<dyn age::Recipient + Send>> {
        parse_key(&self.key).map(|(_, r)| r)
    }

    /// `x25519` or `ssh-ed25519`.
    pub fn kind(&self) -> &'static str {
        if self.key.starts_with("ssh-ed25519 ") {
            "ssh-ed25519"
        } else {
            "x25519"
        }
    }
}

/// A key cut to its start and end, for tables: `age1qyz…k3d9`.
pub fn short_key(key: &str) -> String {
    let body = key.strip_prefix("ssh-ed25519 ").unwrap_or(key);
    if body.len() <= 16 {
        return key.to_owned();
    }
    let prefix = if key.starts_with("ssh-ed25519 ") {
        "ssh-ed25519 "
    } else {
        ""
    };
    format!("{prefix}{}…{}", &body[..8], &body[body.len() - 6..])
}

/// Parses one recipient: the normalised key text and the age recipient.
pub fn parse_key(text: &str) -> Result<(String, Box<dyn age::Recipient + Send>)> {
    let text = text.trim();
    if text.starts_with("age1") {
        let recipient = age::x25519::Recipient::from_str(text)
            .map_err(|_| Error::Usage("not a valid age X25519 recipient (age1…)".into()))?;
        return Ok((recipient.to_string(), Box::new(recipient)));
    }
    if text.starts_with("ssh-ed25519 ") {
        // `ssh-ed25519 AAAA… comment`: the comment is not part of the key.
        let mut parts = text.split_whitespace();
        let key = format!(
            "{} {}",
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default()
        );
        let recipient = age::ssh::Recipient::from_str(&key).map_err(|_| {
            Error::Usage("not a valid OpenSSH ed25519 public key (ssh-ed25519 AAAA…)".into())
        })?;
        return match recipient {
            age::ssh::Recipient::SshEd25519(..) => Ok((key, Box::new(recipient))),
            age::ssh::Recipient::SshRsa(..) => {
                Err(Error::Usage("only ssh-ed25519 keys are accepted".into()))
            }
        };
    }
    Err(Error::Usage(
        "a recipient is an age X25519 public key (age1…) or an OpenSSH ed25519 public key \
         (ssh-ed25519 AAAA…)"
            .into(),
    ))
}

/// Checks a member name given with `--name`: 1–64 printable characters, no `#` at the start.
pub fn check_name(name: &str) -> Result<()> {
    let ok = !name.trim().is_empty()
        && name.chars().count() <= MAX_NAME
        && name == name.trim()
        && !name.chars().any(char::is_control);
    if ok {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "invalid member name: 1–{MAX_NAME} printable characters without leading or trailing spaces"
        )))
    }
}

/// Parses a recipients file. `path` names it in errors, with line numbers, never content.
pub fn parse(text: &str, path: &Path) -> Result<Vec<Member>> {
    let bad = |line: usize, why: String| Error::Config {
        path: path.to_path_buf(),
        message: format!("line {line}: {why}"),
    };
    if text.len() > MAX_FILE {
        return Err(Error::Config {
            path: path.to_path_buf(),
            message: format!("larger than {} KiB", MAX_FILE / 1024),
        });
    }
    let mut members: Vec<Member> = Vec::new();
    let mut pending: Option<String> = None;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            pending = None;
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            let comment = comment.trim();
            pending = if comment.is_empty() || check_name(comment).is_err() {
                None
            } else {
                Some(comment.to_owned())
            };
            continue;
        }
        let (key, _) = parse_key(line).map_err(|e| bad(n + 1, e.to_string()))?;
        if members.iter().any(|m| m.key == key) {
            return Err(bad(n + 1, "this recipient is listed twice".into()));
        }
        if let Some(name) = &pending
            && members.iter().any(|m| m.name.as_deref() == Some(name))
        {
            return Err(bad(n + 1, format!("the name '{name}' is used twice")));
        }
        if members.len() == MAX_MEMBERS {
            return Err(bad(n + 1, format!("more than {MAX_MEMBERS} recipients")));
        }
        members.push(Member {
            name: pending.take(),
            key,
        });
    }
    Ok(members)
}

/// The file text for these members, in the format [`parse`] reads.
pub fn render(members: &[Member], file_name: &str) -> String {
    let mut out = format!(
        "# Recipients of {file_name}, written by byok (`byok recipients add|rm`).\n\
         # age -R format: one recipient per line, its member's name in the comment above.\n"
    );
    for member in members {
        out.push('\n');
        if let Some(name) = &member.name {
            out.push_str(&format!("# {name}\n"));
        }
        out.push_str(&member.key);
        out.push('\n');
    }
    out
}

/// Finds a member by name, or by its key (whole or as `byok recipients list` shows it).
pub fn position(members: &[Member], who: &str) -> Option<usize> {
    members
        .iter()
        .position(|m| m.name.as_deref() == Some(who))
        .or_else(|| {
            let key = who.trim();
            members
                .iter()
                .position(|m| m.key == key || short_key(&m.key) == key)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn x25519() -> String {
        age::x25519::Identity::generate().to_public().to_string()
    }

    const SSH: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA33Kk7SA+UsgpdgLb1MOz8Aw/RlsgDljZkDe+7g0zfk";

    #[test]
    fn round_trips_with_names() {
        let members = vec![
            Member {
                name: Some("alice".into()),
                key: x25519(),
            },
            Member {
                name: Some("bob laptop".into()),
                key: SSH.into(),
            },
            Member {
                name: None,
                key: x25519(),
            },
        ];
        let text = render(&members, "team.age");
        assert_eq!(parse(&text, Path::new("r")).unwrap(), members);
    }

    #[test]
    fn reads_a_hand_written_age_file() {
        let key = x25519();
        let text = format!("# a header\n\n{key}\n# carol\n{SSH} carol@host\n");
        let members = parse(&text, Path::new("r")).unwrap();
        assert_eq!(members.len(), 2);
        assert_eq!(members[0].name, None);
        assert_eq!(members[1].name.as_deref(), Some("carol"));
        assert_eq!(members[1].key, SSH);
    }

    #[test]
    fn refuses_garbage_duplicates_and_rsa_without_quoting_them() {
        let err = parse("AGE-SECRET-KEY-1XYZ\n", Path::new("r")).unwrap_err();
        assert!(!err.to_string().contains("XYZ"), "{err}");
        assert!(err.to_string().contains("line 1"), "{err}");
        let key = x25519();
        assert!(parse(&format!("{key}\n{key}\n"), Path::new("r")).is_err());
        assert!(parse_key("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ").is_err());
    }

    #[test]
    fn finds_members_by_name_or_key() {
        let key = x25519();
        let members = vec![Member {
            name: Some("alice".into()),
            key: key.clone(),
        }];
        assert_eq!(position(&members, "alice"), Some(0));
        assert_eq!(position(&members, &key), Some(0));
        assert_eq!(position(&members, &short_key(&key)), Some(0));
        assert_eq!(position(&members, "bob"), None);
    }

    #[test]
    fn names_are_checked() {
        assert!(check_name("alice").is_ok());
        assert!(check_name("").is_err());
        assert!(check_name("a\u{1b}[31m").is_err());
        assert!(check_name(&"x".repeat(65)).is_err());
    }
}
