//! `byok://` references: the one parser for `byok://NAME` and `byok://NAME/FIELD`.
//!
//! NAME is a secret's ref name or a connector name; the connector wins, as for TARGETs, and
//! stands for its secret's `api_key` (a FIELD after a connector is refused). There is no
//! store part, no query and no escapes: a reference names, it never configures. Errors name
//! the variable that held the reference, never its text (a mistyped value may be a key).

use crate::names;

/// The scheme every reference starts with.
pub const SCHEME: &str = "byok://";

/// A parsed reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// A ref name or a connector name.
    pub name: String,
    /// The field, when given (`None`: `api_key`, or the connector's key).
    pub field: Option<String>,
}

/// Whether `text` is meant as a reference (it starts with `byok://`).
pub fn is_reference(text: &str) -> bool {
    text.starts_with(SCHEME)
}

impl Reference {
    /// Parses `byok://NAME[/FIELD]`; the error says what is wrong, without quoting `text`.
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        let rest = text
            .strip_prefix(SCHEME)
            .ok_or("a reference starts with byok://")?;
        if rest.contains(['?', '#', '%']) {
            return Err("a reference has no query, fragment or %-escapes");
        }
        let (name, field) = match rest.split_once('/') {
            Some((name, field)) => (name, Some(field)),
            None => (rest, None),
        };
        if name.is_empty() {
            return Err("the name after byok:// is missing");
        }
        if !names::is_valid_ref(name) && !names::is_valid_connector_name(name) {
            return Err("the name is not a ref name or connector name");
        }
        if let Some(field) = field {
            if field.contains('/') {
                return Err("a reference is byok://NAME or byok://NAME/FIELD (no store part)");
            }
            if !names::is_valid_field(field) {
                return Err("the field is not a valid field name");
            }
        }
        Ok(Reference {
            name: name.to_owned(),
            field: field.map(str::to_owned),
        })
    }

    /// Parses a reference found in variable `var`, as a usage error naming `var`.
    pub fn parse_in(var: &str, text: &str) -> crate::error::Result<Self> {
        Self::parse(text).map_err(|problem| crate::error::Error::BadReference {
            var: var.to_owned(),
            problem: problem.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_and_fields() {
        assert_eq!(
            Reference::parse("byok://my_key").unwrap(),
            Reference {
                name: "my_key".into(),
                field: None
            }
        );
        assert_eq!(
            Reference::parse("byok://azure/endpoint")
                .unwrap()
                .field
                .as_deref(),
            Some("endpoint")
        );
        assert_eq!(
            Reference::parse("byok://azure-eu").unwrap().name,
            "azure-eu"
        );
    }

    #[test]
    fn refuses_everything_else_without_quoting_it() {
        for bad in [
            "sk-test-not-a-reference",
            "byok://",
            "byok:///api_key",
            "byok://a/b/c",
            "byok://vault/a/b",
            "byok://a?x=1",
            "byok://a#f",
            "byok://a%20b",
            "byok://A",
            "byok://a/B",
            "byok://a/",
        ] {
            let err = Reference::parse_in("OPENAI_API_KEY", bad)
                .unwrap_err()
                .to_string();
            assert!(err.contains("OPENAI_API_KEY"), "{bad}: {err}");
            let tail = bad.trim_start_matches("byok://");
            assert!(tail.len() < 3 || !err.contains(tail), "{bad}: {err}");
        }
    }
}
