//! Reading a client's request: the loopback guard, the endpoint and its wire, and the
//! placeholder the client sent the way its SDK sends a key.

use http::HeaderMap;
use http::header::{AUTHORIZATION, HOST, ORIGIN};

use super::Wire;

/// The endpoints served.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    ChatCompletions,
    Messages,
    CountTokens,
    Models,
    /// OpenAI Responses (`/v1/responses`): passed through to connectors that serve it,
    /// otherwise translated to chat completions.
    Responses,
    /// OpenAI embeddings (`/v1/embeddings`): OpenAI-wire connectors only, body untouched.
    Embeddings,
}

impl Endpoint {
    /// The path appended to a connector's SDK-style base URL.
    pub fn upstream_path(self) -> &'static str {
        match self {
            Endpoint::ChatCompletions => "/chat/completions",
            Endpoint::Messages => "/v1/messages",
            Endpoint::CountTokens => "/v1/messages/count_tokens",
            Endpoint::Models => "/models",
            Endpoint::Responses => "/responses",
            Endpoint::Embeddings => "/embeddings",
        }
    }
}

/// Why a request is refused before anything else is looked at.
#[derive(Debug, PartialEq, Eq)]
pub enum Guard {
    /// `Host` is missing or not a loopback name (DNS rebinding).
    ForeignHost,
    /// An `Origin` header: a browser page is calling.
    Origin,
}

/// Host must name loopback: `localhost`, `127.x.y.z`, `[::1]`, with an optional port.
pub fn check_guard(headers: &HeaderMap) -> Result<(), Guard> {
    if headers.contains_key(ORIGIN) {
        return Err(Guard::Origin);
    }
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .ok_or(Guard::ForeignHost)?;
    if is_loopback_host(host) {
        Ok(())
    } else {
        Err(Guard::ForeignHost)
    }
}

fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((inner, port)) if port.is_empty() || valid_port(port) => inner,
            _ => return false,
        }
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if valid_port(&format!(":{port}")) => name,
            Some(_) => return false,
            None => host,
        }
    };
    let name = name.to_ascii_lowercase();
    if name == "localhost" || name == "localhost." {
        return true;
    }
    name.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

fn valid_port(text: &str) -> bool {
    text.strip_prefix(':')
        .is_some_and(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// The endpoint of a method and path (`/v1/…`, or bare `/…` for a base URL missing `/v1`),
/// and the wire it speaks. `/v1/models` is Anthropic-wire when the request carries
/// `anthropic-version` or `x-api-key`.
pub fn endpoint(
    method: &http::Method,
    path: &str,
    headers: &HeaderMap,
) -> Option<(Endpoint, Wire)> {
    let path = path.strip_prefix("/v1").unwrap_or(path);
    let path = path.trim_end_matches('/');
    let post = method == http::Method::POST;
    match path {
        "/chat/completions" if post => Some((Endpoint::ChatCompletions, Wire::OpenAi)),
        "/messages" if post => Some((Endpoint::Messages, Wire::Anthropic)),
        "/messages/count_tokens" if post => Some((Endpoint::CountTokens, Wire::Anthropic)),
        "/responses" if post => Some((Endpoint::Responses, Wire::OpenAi)),
        "/embeddings" if post => Some((Endpoint::Embeddings, Wire::OpenAi)),
        "/models" if method == http::Method::GET => {
            let anthropic =
                headers.contains_key("anthropic-version") || headers.contains_key("x-api-key");
            Some((
                Endpoint::Models,
                if anthropic {
                    Wire::Anthropic
                } else {
                    Wire::OpenAi
                },
            ))
        }
        _ => None,
    }
}

/// The placeholders the request carries (`x-api-key`, `Authorization: Bearer`); the
/// Anthropic SDK may send both.
pub fn presented(headers: &HeaderMap) -> Vec<&str> {
    let mut out = Vec::new();
    if let Some(v) = headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        out.push(v.trim());
    }
    if let Some(v) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        let v = v.trim();
        if let Some(token) = v
            .strip_prefix("Bearer ")
            .or_else(|| v.strip_prefix("bearer "))
        {
            out.push(token.trim());
        }
    }
    out
}

/// The request fields the proxy routes on.
#[derive(serde::Deserialize)]
pub struct Peek {
    pub model: Option<String>,
    #[serde(default)]
    pub stream: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn loopback_hosts_only() {
        for ok in [
            "127.0.0.1:8787",
            "localhost",
            "LOCALHOST:1",
            "[::1]:8787",
            "127.9.9.9",
        ] {
            assert_eq!(check_guard(&headers(&[("host", ok)])), Ok(()), "{ok}");
        }
        for bad in [
            "evil.test",
            "evil.test:8787",
            "127.0.0.1.evil.test",
            "[::2]:1",
            "localhost:x",
            "10.0.0.1",
        ] {
            assert_eq!(
                check_guard(&headers(&[("host", bad)])),
                Err(Guard::ForeignHost),
                "{bad}"
            );
        }
        assert_eq!(check_guard(&headers(&[])), Err(Guard::ForeignHost));
        assert_eq!(
            check_guard(&headers(&[("host", "localhost"), ("origin", "http://x")])),
            Err(Guard::Origin)
        );
    }

    #[test]
    fn endpoints_and_wires() {
        let none = headers(&[]);
        let post = http::Method::POST;
        let get = http::Method::GET;
        assert_eq!(
            endpoint(&post, "/v1/chat/completions", &none),
            Some((Endpoint::ChatCompletions, Wire::OpenAi))
        );
        assert_eq!(
            endpoint(&post, "/messages", &none),
            Some((Endpoint::Messages, Wire::Anthropic))
        );
        assert_eq!(
            endpoint(&get, "/v1/models", &none),
            Some((Endpoint::Models, Wire::OpenAi))
        );
        assert_eq!(
            endpoint(
                &get,
                "/v1/models",
                &headers(&[("anthropic-version", "2023-06-01")])
            ),
            Some((Endpoint::Models, Wire::Anthropic))
        );
        assert_eq!(endpoint(&get, "/v1/chat/completions", &none), None);
        assert_eq!(
            endpoint(&post, "/v1/embeddings", &none),
            Some((Endpoint::Embeddings, Wire::OpenAi))
        );
        assert_eq!(
            endpoint(&post, "/responses", &none),
            Some((Endpoint::Responses, Wire::OpenAi))
        );
        assert_eq!(endpoint(&get, "/v1/responses", &none), None);
        assert_eq!(endpoint(&post, "/v1/completions", &none), None);
    }

    #[test]
    fn both_auth_headers_are_read() {
        let h = headers(&[("x-api-key", "a"), ("authorization", "Bearer b")]);
        assert_eq!(presented(&h), ["a", "b"]);
    }
}
