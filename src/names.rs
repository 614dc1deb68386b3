//! Names and their rules, in one place: ref names and field names (`my_openai_key`,
//! `api_key`), connector names (`azure-eu`), and the default field a key lives in.

use crate::error::{Error, Result};

/// The field an API key lives in unless `--field` says otherwise.
pub const DEFAULT_FIELD: &str = "api_key";

/// The rule a ref name must follow, quoted in errors.
pub const REF_NAME_RULE: &str =
    "1-64 characters of lowercase letters, digits and '_', starting with a letter";

/// The rule a field name must follow (the ref-name rule), quoted in errors.
pub const FIELD_NAME_RULE: &str = REF_NAME_RULE;

/// The rule a connector name must follow, quoted in errors.
pub const CONNECTOR_NAME_RULE: &str =
    "1-64 characters of lowercase letters, digits, '_' and '-', starting with a letter";

/// Whether `name` is 1–64 chars of `[a-z]` then `[a-z0-9_]` or, with `dash`, also `-`.
fn follows_rule(name: &str, dash: bool) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z'))
        && name.len() <= 64
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_') || (dash && c == '-'))
}

/// Whether `name` is a valid ref name ([`REF_NAME_RULE`]).
pub fn is_valid_ref(name: &str) -> bool {
    follows_rule(name, false)
}

/// Whether `name` is a valid field name ([`FIELD_NAME_RULE`]).
pub fn is_valid_field(name: &str) -> bool {
    follows_rule(name, false)
}

/// Whether `name` is a valid connector name ([`CONNECTOR_NAME_RULE`]): the ref-name rule
/// plus '-', which reads better in names like `azure-eu`.
pub fn is_valid_connector_name(name: &str) -> bool {
    follows_rule(name, true)
}

/// Checks a ref name, quoting it and the rule when it is bad.
pub fn check_ref(name: &str) -> Result<()> {
    if is_valid_ref(name) {
        Ok(())
    } else {
        Err(Error::InvalidRef {
            name: name.to_owned(),
        })
    }
}

/// Checks a field name (same rule as ref names).
pub fn check_field(name: &str) -> Result<()> {
    if is_valid_field(name) {
        Ok(())
    } else {
        Err(Error::InvalidField {
            name: name.to_owned(),
        })
    }
}

/// Checks a connector name, quoting it and the rule when it is bad.
pub fn check_connector_name(name: &str) -> Result<()> {
    if is_valid_connector_name(name) {
        Ok(())
    } else {
        Err(Error::InvalidConnectorName {
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
            assert!(is_valid_ref(good), "{good}");
            assert!(is_valid_ref(good), "{good}");
            assert!(is_valid_field(good), "{good}");
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
            assert!(!is_valid_ref(bad), "{bad}");
            assert!(!is_valid_ref(bad), "{bad}");
            assert!(!is_valid_field(bad), "{bad}");
        }
        assert!(is_valid_field(DEFAULT_FIELD));
    }

    #[test]
    fn connector_name_rule() {
        for good in ["azure-eu", "work_2", "a", &"a".repeat(64)] {
            assert!(is_valid_connector_name(good), "{good}");
            assert!(check_connector_name(good).is_ok(), "{good}");
        }
        for bad in ["-x", "Work", "", "2x", "a b", &"a".repeat(65)] {
            assert!(!is_valid_connector_name(bad), "{bad}");
            assert!(check_connector_name(bad).is_err(), "{bad}");
        }
    }
}
