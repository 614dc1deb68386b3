//! What a failed OpenBao request means to the user: a transport [`Failure`] or a non-2xx
//! answer becomes a message and a fix. Pure functions, so every mapping is unit-tested.
//!
//! Server text in a message (the `errors` of an answer) is already control-escaped by
//! [`super::client::error_messages`]; [`hide_credentials`] then takes out anything that is
//! the token in use or looks like one, because a server (or a proxy in front of it) may echo
//! the request's token in its errors.

use super::client::{Failure, Method};

/// What replaces a token or secret id found in a server's message.
pub const HIDDEN_TOKEN: &str = "<token hidden>";

/// The message and fix for a request that failed for good before an answer was usable.
pub fn transport(failure: Failure) -> (String, String) {
    match failure {
        Failure::Unreachable { node, error, nodes } => (
            format!(
                "unreachable: {node}: {error}{}",
                if nodes > 1 {
                    format!(" (and none of the other {} node(s) answered)", nodes - 1)
                } else {
                    String::new()
                }
            ),
            "check that the server runs and the address is right (`byok store show NAME`); a firewall or VPN may be in the way".into(),
        ),
        Failure::Tls { node, detail } => (
            format!("TLS with {node} failed: {detail}"),
            "an unknown CA needs `ca_cert` (or BAO_CACERT) naming its PEM file; a name mismatch means the address is not a name in the server's certificate".into(),
        ),
        Failure::Sealed { node } => (
            format!("the server is sealed ({node}; every node that answered is sealed)"),
            "an operator must unseal it: `bao operator unseal`".into(),
        ),
        Failure::NotInitialised { node } => (
            format!("the server at {node} is not initialised"),
            "an operator must run `bao operator init` first".into(),
        ),
        Failure::ForeignRedirect { node, location } => (
            format!("{node} redirected to {location}, which is not one of this store's addresses; byok did not follow (the token would go there)"),
            "add that node's address to the store (`address` in config.toml), or fix the server's api_addr".into(),
        ),
        Failure::GaveUp {
            node,
            status,
            message,
            waited,
        } => {
            let (what, fix) = if status == 429 && message.contains("rate limit") {
                ("rate limited", "wait and try again, or ask the admin to raise the quota")
            } else if status == 429 || status == 412 {
                ("the standby has not caught up with the last write", "try again in a moment")
            } else if message.contains("not active")
                || message.contains("no active")
                || status == 307
            {
                ("no active node (a leader election is going on, or quorum is lost)", "try again in a moment; if it lasts, an operator should check `bao operator raft list-peers`")
            } else {
                ("the server keeps failing", "check the server's logs")
            };
            (
                format!(
                    "{what}: {node} answered HTTP {status} ({message}); gave up after {:.1} s of retries",
                    waited.as_secs_f64()
                ),
                fix.into(),
            )
        }
    }
}

/// The message and fix for a non-2xx answer to `method path` (`errors`: the server's,
/// joined), when byok was trying to `action`.
pub fn status(
    store: &str,
    status: u16,
    errors: &str,
    action: &str,
    path: &str,
    method: Method,
) -> (String, String) {
    let fix = match status {
        404 if errors.contains("no handler for route") => format!(
            "the mount does not exist or is not KV v2: check `mount` in `byok store show {store}`"
        ),
        404 if errors.contains("namespace not found") => {
            "check `namespace` (or BAO_NAMESPACE)".to_owned()
        }
        405 => {
            "the path is not a KV v2 path: check `mount` (it must be a KV version 2 engine)".into()
        }
        _ => format!("`byok store test {store}` checks the connection"),
    };
    let message = format!(
        "could not {action} ({} {path}): HTTP {status}{}",
        method_name(method),
        if errors.is_empty() {
            String::new()
        } else {
            format!(", {errors}")
        }
    );
    (message, fix)
}

pub fn method_name(method: Method) -> &'static str {
    match method {
        Method::Get => "GET",
        Method::List => "LIST",
        Method::Post => "POST",
        Method::Patch => "PATCH",
        Method::Delete => "DELETE",
    }
}

/// `text` with every whole-word occurrence of a `known` credential, and every word shaped
/// like an OpenBao or Vault token (`s.`, `b.`, `r.`, `hvs.`, `hvb.`, `hvr.` and 20 or more
/// letters and digits), replaced by [`HIDDEN_TOKEN`]. Credentials shorter than 4 characters
/// are not searched for (they would hide ordinary words).
pub fn hide_credentials(text: &str, known: &[&str]) -> String {
    let is_word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    let token_shaped = |word: &str| {
        ["s.", "b.", "r.", "hvs.", "hvb.", "hvr."].iter().any(|p| {
            word.strip_prefix(p).is_some_and(|rest| {
                rest.len() >= 20 && rest.bytes().all(|b| b.is_ascii_alphanumeric())
            })
        })
    };
    let secret = |word: &str| known.iter().any(|k| k.len() >= 4 && *k == word);
    let mut out = String::with_capacity(text.len());
    let mut start: Option<usize> = None;
    let mut last = 0;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let inside = i < text.len() && is_word(c);
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                // A sentence's full stop is not part of the word.
                let word = text[s..i].trim_end_matches('.');
                if secret(word) || token_shaped(word) {
                    out.push_str(&text[last..s]);
                    out.push_str(HIDDEN_TOKEN);
                    last = s + word.len();
                }
                start = None;
            }
            _ => {}
        }
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::net::{TransportClass, TransportError};

    #[test]
    fn transport_failures_each_get_their_own_fix() {
        let (m, f) = transport(Failure::Unreachable {
            node: "http://127.0.0.1:1".into(),
            error: TransportError {
                class: TransportClass::Refused,
                status: None,
                detail: "connection refused".into(),
            },
            nodes: 3,
        });
        assert!(m.starts_with("unreachable: http://127.0.0.1:1:"), "{m}");
        assert!(m.contains("none of the other 2 node(s)"), "{m}");
        assert!(f.contains("firewall"), "{f}");
        let (m, f) = transport(Failure::Sealed { node: "n1".into() });
        assert!(m.contains("sealed (n1;"), "{m}");
        assert!(f.contains("bao operator unseal"), "{f}");
        let (_, f) = transport(Failure::NotInitialised { node: "n1".into() });
        assert!(f.contains("bao operator init"), "{f}");
        let (m, f) = transport(Failure::ForeignRedirect {
            node: "n1".into(),
            location: "https://evil.example/v1/x".into(),
        });
        assert!(m.contains("byok did not follow"), "{m}");
        assert!(f.contains("api_addr"), "{f}");
        let (_, f) = transport(Failure::Tls {
            node: "n1".into(),
            detail: "unknown issuer".into(),
        });
        assert!(f.contains("ca_cert"), "{f}");
    }

    #[test]
    fn giving_up_says_why_by_status_and_message() {
        let gave_up = |status, message: &str| {
            transport(Failure::GaveUp {
                node: "n1".into(),
                status,
                message: message.into(),
                waited: Duration::from_millis(20_500),
            })
        };
        let (m, f) = gave_up(429, "request rate limit exceeded");
        assert!(m.starts_with("rate limited: n1 answered HTTP 429"), "{m}");
        assert!(m.ends_with("gave up after 20.5 s of retries"), "{m}");
        assert!(f.contains("quota"), "{f}");
        assert!(
            gave_up(412, "")
                .0
                .starts_with("the standby has not caught up")
        );
        assert!(
            gave_up(500, "local node not active")
                .0
                .starts_with("no active node")
        );
        assert!(gave_up(307, "").0.starts_with("no active node"));
        assert!(
            gave_up(502, "bad gateway")
                .0
                .starts_with("the server keeps failing")
        );
    }

    #[test]
    fn status_answers_name_the_request_and_the_fix() {
        let (m, f) = status(
            "team",
            404,
            "no handler for route \"kv/data/x\"",
            "read the secret",
            "kv/data/x",
            Method::Get,
        );
        assert_eq!(
            m,
            "could not read the secret (GET kv/data/x): HTTP 404, no handler for route \"kv/data/x\""
        );
        assert!(f.contains("byok store show team"), "{f}");
        let (_, f) = status("t", 404, "namespace not found", "a", "p", Method::List);
        assert!(f.contains("namespace"), "{f}");
        let (m, f) = status("t", 405, "", "write the secret", "p", Method::Post);
        assert_eq!(m, "could not write the secret (POST p): HTTP 405");
        assert!(f.contains("KV v2 path"), "{f}");
        let (_, f) = status("t", 500, "boom", "a", "p", Method::Delete);
        assert_eq!(f, "`byok store test t` checks the connection");
    }

    #[test]
    fn echoed_tokens_are_hidden() {
        let known = ["s.faketoken123", "root"];
        assert_eq!(
            hide_credentials("invalid token s.faketoken123, try again", &known),
            "invalid token <token hidden>, try again"
        );
        assert_eq!(
            hide_credentials("bad token: root.", &known),
            "bad token: <token hidden>."
        );
        // A longer word that merely contains the token stays.
        assert_eq!(hide_credentials("rootless", &known), "rootless");
        // Token-shaped words of any origin.
        let shaped = "got hvs.CAESIJ0123456789abcdefghijk and s.AbCdEfGhIjKlMnOpQrStUvWx";
        assert_eq!(
            hide_credentials(shaped, &[]),
            "got <token hidden> and <token hidden>"
        );
        // Too short to be searched for.
        assert_eq!(hide_credentials("a b c", &["b"]), "a b c");
        assert_eq!(hide_credentials("", &known), "");
    }
}
