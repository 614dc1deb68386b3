//! Ref names and field names: machine-readable identifiers (`my_openai_key`).

use crate::error::{Error, Result};

/// Whether `name` is 1–64 chars of `[a-z0-9_]`, starting with a letter.
pub fn is_valid(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z'))
        && name.len() <= 64
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
}

/// Checks a ref name, quoting it and the rule when it is bad.
pub fn check_ref(name: &str) -> Result<()> {
    if is_valid(name) {
        Ok(())
    } else {
        Err(Error::InvalidRef {
            name: name.to_owned(),
        })
    }
}

/// Checks a field name (same rule as ref names).
pub fn check_field(name: &str) -> Result<()> {
    if is_valid(name) {
        Ok(())
    } else {
        Err(Error::InvalidField {
            name: name.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ref_name_rule() {
        for good in ["a", "my_openai_key", "k2", &"a".repeat(64)] {
            assert!(is_valid(good), "{good}");
        }
        for bad in [
            "",
            "My_key",
            "1key",
            "_key",
            "my-key",
            "my key",
            "clé",
            &"a".repeat(65),
        ] {
            assert!(!is_valid(bad), "{bad}");
        }
    }
}
