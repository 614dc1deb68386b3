//! Pure checks on a connector — its name, type, key and base URL — run when a connector is
//! added or edited, when connectors are loaded for use (`env`, `exec`, `doctor`), and the
//! base-URL rule again right before a request is built: a hand-edited `config.toml` is
//! never trusted.

use crate::config::Connector;
use crate::error::{Error, Result};
use crate::net::is_loopback;
use crate::provider::catalog::ProviderSpec;

/// Checks a connector against the catalog and the base-URL rule; `vault_has` tells whether
/// a store holds a ref (on load, where stores are not consulted, it answers yes).
pub fn check(
    connector: &Connector,
    allow_insecure_http: bool,
    vault_has: impl Fn(&str) -> Result<bool>,
) -> Result<&'static ProviderSpec> {
    crate::names::check_connector_name(&connector.name)?;
    let spec = crate::provider::catalog::lookup(&connector.kind).ok_or_else(|| {
        Error::UnknownConnectorType {
            name: connector.kind.clone(),
            known: crate::provider::catalog::ids()
                .collect::<Vec<_>>()
                .join(", "),
        }
    })?;
    match &connector.base_url {
        Some(url) => check_base_url(url, allow_insecure_http)?,
        None if spec.requires_base_url() => {
            return Err(Error::BaseUrlRequired {
                kind: spec.id.to_owned(),
                example: match spec.id {
                    "azure-openai" => "https://RESOURCE.openai.azure.com",
                    "aleph-alpha" => "https://api.aleph-alpha.com",
                    _ => "https://llm.example.com/v1",
                }
                .to_owned(),
            });
        }
        None => {}
    }
    match &connector.secret {
        None if !spec.local => {
            return Err(Error::SecretRequired {
                kind: spec.id.to_owned(),
            });
        }
        None => {}
        Some(reference) => {
            crate::names::check_ref(reference)?;
            if !vault_has(reference)? {
                return Err(Error::ConnectorSecretMissing {
                    reference: reference.clone(),
                    kind: spec.id.to_owned(),
                });
            }
        }
    }
    Ok(spec)
}

/// A base URL must be https://, or http:// on loopback (or with `allow_insecure_http`, the
/// user's recorded choice). No credentials, query or fragment.
pub fn check_base_url(text: &str, allow_insecure_http: bool) -> Result<()> {
    let bad = |shown: String, reason: &str| Error::InvalidBaseUrl {
        url: shown,
        reason: reason.to_owned(),
    };
    // Text that is not a URL is not repeated: it may be a key pasted in the wrong place.
    let url = url::Url::parse(text).map_err(|e| bad("(not a URL)".to_owned(), &e.to_string()))?;
    if !url.username().is_empty() || url.password().is_some() {
        // The error must not repeat the credentials it complains about.
        return Err(bad(
            without_credentials(&url),
            "credentials in URLs end up in logs; store them as a secret",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        // The query may hold a key (`?key=…`): show the URL without it.
        let mut shown = url.clone();
        shown.set_query(None);
        shown.set_fragment(None);
        return Err(bad(
            format!("{shown}?…"),
            "it must not have a query or fragment",
        ));
    }
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(&url) || allow_insecure_http => Ok(()),
        "http" => Err(Error::InsecureBaseUrl {
            url: text.to_owned(),
        }),
        _ => Err(bad(
            text.to_owned(),
            "the scheme must be https:// (or http:// on loopback)",
        )),
    }
}

/// The URL with its user name and password replaced by `***`.
pub fn without_credentials(url: &url::Url) -> String {
    let mut shown = url.clone();
    if shown.set_username("***").is_err() {
        return "(a URL with credentials)".into();
    }
    if shown.password().is_some() {
        let _ = shown.set_password(Some("***"));
    }
    shown.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_never_repeat_a_query_or_text_that_is_not_a_url() {
        let err = check_base_url("https://x.example/v1?key=sk-test-in-query-0001", false)
            .unwrap_err()
            .to_string();
        assert!(!err.contains("in-query"), "{err}");
        let err = check_base_url("sk-test-pasted-by-mistake-0001", false)
            .unwrap_err()
            .to_string();
        assert!(!err.contains("pasted"), "{err}");
    }

    #[test]
    fn base_urls_must_be_https_or_loopback() {
        assert!(check_base_url("https://api.openai.com/v1", false).is_ok());
        assert!(check_base_url("http://127.0.0.1:8080/v1", false).is_ok());
        assert!(check_base_url("http://127.1.2.3:8080", false).is_ok());
        assert!(check_base_url("http://[::1]:8080/v1", false).is_ok());
        assert!(check_base_url("http://localhost:1234/v1", false).is_ok());
        assert!(matches!(
            check_base_url("http://example.com/v1", false),
            Err(Error::InsecureBaseUrl { .. })
        ));
        assert!(check_base_url("http://example.com/v1", true).is_ok());
        assert!(matches!(
            check_base_url("http://localhost.example.com/v1", false),
            Err(Error::InsecureBaseUrl { .. })
        ));
        assert!(check_base_url("ftp://x", true).is_err());
        assert!(check_base_url("https://u:p@x.com", false).is_err());
    }

    #[test]
    fn credentials_never_appear_in_the_error() {
        let err = check_base_url("https://user:hunter2@x.test/v1", false).unwrap_err();
        let text = err.to_string();
        assert!(
            !text.contains("hunter2") && !text.contains("user"),
            "{text}"
        );
        let err = check_base_url("https://tok3n@x.test/v1?a=1", false).unwrap_err();
        assert!(!err.to_string().contains("tok3n"), "{err}");
    }
}
