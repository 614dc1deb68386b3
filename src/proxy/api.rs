//! Tool APIs through the proxy: `http://127.0.0.1:PORT/api/NAME/…` for each `[[api]]` of
//! `config.toml` (GitHub's REST API, a search API, …). A client holding a placeholder
//! granted NAME (`proxy token create --api NAME`) sends it the way its tool sends a key; the
//! proxy strips it, puts the real key where the API's recipe says (a header, or a query
//! parameter), forwards only the allowed methods under the allowed path prefixes, and
//! answers with the same concealment as model traffic ([`super::scrub::Keys`]) and one
//! ledger row per request. No TLS is intercepted: the tool talks plain HTTP to loopback.
//!
//! The request target is checked on its raw, still percent-encoded text before anything
//! else: a `.` or `..` segment, `//`, a backslash, or a percent-escape of `.`, `/`, `\`,
//! `%` or a control character is refused (400), so what the prefix check sees is what the
//! upstream routes on; absolute-form targets (`GET http://host/…`) are refused too.
//! Redirects are neither followed nor passed on (one could carry the request elsewhere), and
//! an answer whose `content-encoding` byok did not ask for is not passed on (its bytes
//! cannot be checked for the key).

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use http::{HeaderMap, HeaderName, HeaderValue, Request, Response, StatusCode};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use super::recipes::KeyPlace;
use super::reply::ProxyBody;
use super::server::Shared;
use super::upstream::{self, CheckedLocalClient, Target};
use crate::config::ApiDecl;

/// Where every API is served.
pub const PREFIX: &str = "/api/";
/// Longest path accepted after `/api/NAME`.
pub const MAX_PATH: usize = 2048;
/// Longest query accepted.
pub const MAX_QUERY: usize = 8192;

/// One served API: its declaration and its key.
pub struct Api {
    pub decl: ApiDecl,
    key: SecretString,
    /// Who may hold a plain-http loopback port the key goes to (see `crate::net::owner`).
    owner: Option<Arc<crate::net::owner::OwnerPolicy>>,
    checked_client: OnceLock<CheckedLocalClient>,
}

impl std::fmt::Debug for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Api")
            .field("name", &self.decl.name)
            .field("base_url", &self.decl.base_url)
            .finish_non_exhaustive()
    }
}

impl Api {
    /// `agent_proof`: the key goes to a plain-http loopback port only if root holds it
    /// (never the user, who may be the agent), as for connectors.
    pub fn new(decl: ApiDecl, key: SecretString, agent_proof: bool) -> Api {
        Api {
            decl,
            key,
            owner: Some(Arc::new(crate::net::owner::OwnerPolicy {
                own_uid: !agent_proof,
                services: Vec::new(),
            })),
            checked_client: OnceLock::new(),
        }
    }

    pub fn key(&self) -> &SecretString {
        &self.key
    }
}

/// An answer made by the proxy itself, in the shape GitHub-style clients show
/// (`{"message": …}`).
pub fn refusal(status: u16, message: &str) -> Response<ProxyBody> {
    let body = json!({"message": message, "byok": "refused by the byok proxy"});
    let mut response = Response::new(ProxyBody::full(body.to_string()));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response
        .headers_mut()
        .insert("content-type", HeaderValue::from_static("application/json"));
    response
}

/// Why the path after `/api/NAME` cannot be forwarded (`None`: it can). Works on the raw
/// text: nothing is decoded, so nothing decodes differently upstream.
pub fn path_problem(rest: &str) -> Option<&'static str> {
    if rest.len() > MAX_PATH {
        return Some("the path is longer than 2048 bytes");
    }
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => return Some("the path holds a backslash"),
            b if b < 0x21 || b == 0x7f => return Some("the path holds a control character"),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    None => return Some("the path holds a '%' that is not an escape"),
                    Some(b'.' | b'/' | b'\\' | b'%') => {
                        return Some(
                            "the path holds an encoded '.', '/', '\\' or '%' (%2e, %2f, %5c, %25)",
                        );
                    }
                    // Some servers decode these before splitting off path parameters, the
                    // query or the fragment: `/repos%3b/../admin`.
                    Some(b';' | b'?' | b'#') => {
                        return Some("the path holds an encoded ';', '?' or '#' (%3b, %3f, %23)");
                    }
                    Some(c) if c < 0x20 || c == 0x7f => {
                        return Some("the path holds an encoded control character");
                    }
                    Some(_) => i += 3,
                }
            }
            _ => i += 1,
        }
    }
    if rest.contains("//") {
        return Some("the path holds '//'");
    }
    // `..;x` is `..` to some servers (path parameters).
    if rest
        .split('/')
        .any(|s| matches!(s.split(';').next(), Some("." | "..")))
    {
        return Some("the path holds a '.' or '..' segment");
    }
    None
}

/// The placeholders a request may carry for `decl`: `Authorization: Bearer|token P`,
/// `x-api-key`, the API's own key header (its format's prefix removed), or its key's query
/// parameter.
fn presented<'a>(
    headers: &'a HeaderMap,
    query: Option<&'a str>,
    decl: &ApiDecl,
) -> Vec<Cow<'a, str>> {
    let mut out: Vec<Cow<'a, str>> = Vec::new();
    if let Some(v) = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let v = v.trim();
        if let Some((scheme, token)) = v.split_once(' ')
            && (scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("token"))
        {
            out.push(Cow::Borrowed(token.trim()));
        }
    }
    if let Some(v) = headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        out.push(Cow::Borrowed(v.trim()));
    }
    match &decl.key {
        KeyPlace::Header { name, format } => {
            if let Some(v) = headers.get(name.as_str()).and_then(|v| v.to_str().ok()) {
                let prefix = format.split("{key}").next().unwrap_or_default();
                let v = v.trim();
                out.push(Cow::Borrowed(
                    v.strip_prefix(prefix.trim_start()).unwrap_or(v).trim(),
                ));
            }
        }
        KeyPlace::Query { name } => {
            for (k, v) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
                if k == name.as_str() {
                    out.push(Cow::Owned(v.into_owned()));
                }
            }
        }
    }
    out
}

/// The query the upstream gets: the client's, minus the key parameter (the placeholder),
/// plus the key when the API takes it there. Pairs are kept byte for byte.
fn upstream_query(query: Option<&str>, decl: &ApiDecl, key: &str) -> Option<String> {
    let mut pairs: Vec<Cow<'_, str>> = query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| match &decl.key {
            KeyPlace::Query { name } => {
                let raw = p.split('=').next().unwrap_or_default();
                let decoded: String = url::form_urlencoded::parse(raw.as_bytes())
                    .map(|(k, _)| k.into_owned())
                    .collect();
                decoded != *name
            }
            KeyPlace::Header { .. } => true,
        })
        .map(Cow::Borrowed)
        .collect();
    if let KeyPlace::Query { name } = &decl.key {
        let value: String = url::form_urlencoded::byte_serialize(key.as_bytes()).collect();
        pairs.push(Cow::Owned(format!("{name}={value}")));
    }
    (!pairs.is_empty()).then(|| pairs.join("&"))
}

/// The client's headers the upstream gets: its credentials, hop-by-hop and browser headers
/// and the API's key header removed, the API's headers added where the client sent none,
/// and the key where the recipe puts it.
fn upstream_headers(client: &HeaderMap, decl: &ApiDecl, key: &str) -> HeaderMap {
    let key_header = match &decl.key {
        KeyPlace::Header { name, .. } => Some(name.to_ascii_lowercase()),
        KeyPlace::Query { .. } => None,
    };
    let mut out = HeaderMap::with_capacity(client.len() + 4);
    for (name, value) in client {
        if upstream::DROPPED_REQUEST.contains(&name.as_str())
            || key_header.as_deref() == Some(name.as_str())
        {
            continue;
        }
        out.append(name.clone(), value.clone());
    }
    for (name, value) in &decl.headers {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) && !out.contains_key(&n)
        {
            out.insert(n, v);
        }
    }
    out.insert("accept-encoding", HeaderValue::from_static("identity"));
    if !out.contains_key(http::header::USER_AGENT) {
        // GitHub refuses requests without one.
        out.insert(
            http::header::USER_AGENT,
            HeaderValue::from_static(concat!("byok-proxy/", env!("CARGO_PKG_VERSION"))),
        );
    }
    if let KeyPlace::Header { name, format } = &decl.key
        && let (Ok(n), Ok(mut v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&format.replace("{key}", key)),
        )
    {
        v.set_sensitive(true);
        out.insert(n, v);
    }
    out
}

/// `Link` headers (GitHub's pagination) point at the upstream: they are pointed back at
/// the proxy, so a client following them keeps going through it with its placeholder.
fn relink(headers: &mut HeaderMap, decl: &ApiDecl, proxy_root: &str) {
    let upstream_root = format!("{}/", decl.base_url);
    let ours = format!("{proxy_root}/");
    let links: Vec<HeaderValue> = headers
        .get_all(http::header::LINK)
        .iter()
        .map(|v| {
            let text = String::from_utf8_lossy(v.as_bytes());
            HeaderValue::from_str(&text.replace(&upstream_root, &ours))
                .unwrap_or_else(|_| v.clone())
        })
        .collect();
    if !links.is_empty() {
        headers.remove(http::header::LINK);
        for v in links {
            headers.append(http::header::LINK, v);
        }
    }
}

/// Serves one request whose path starts with `/api/` (the guard of [`super::server::respond`] passed).
pub async fn respond(shared: &Arc<Shared>, request: Request<Incoming>) -> Response<ProxyBody> {
    let started = Instant::now();
    let uri = request.uri().clone();
    if uri.scheme().is_some() || uri.authority().is_some() {
        return refusal(
            400,
            "byok proxy takes only origin-form request targets (/api/NAME/…)",
        );
    }
    let after = &uri.path()[PREFIX.len()..];
    let (name, rest) = match after.find('/') {
        Some(at) => (&after[..at], &after[at..]),
        None => (after, "/"),
    };
    if let Some(why) = path_problem(rest) {
        return refusal(400, why);
    }
    let query = uri.query();
    if query.is_some_and(|q| q.len() > MAX_QUERY || q.bytes().any(|b| b < 0x21 || b == 0x7f)) {
        return refusal(
            400,
            "the query is longer than 8192 bytes or holds a control character",
        );
    }
    let Some(api) = shared
        .apis
        .iter()
        .find(|a| a.decl.name == name && crate::names::is_valid_connector_name(name))
    else {
        return refusal(
            404,
            &format!(
                "this byok proxy serves no API named '{}' (see [[api]] in config.toml, and \
                 `byok proxy status`)",
                crate::term::sanitize::line(&name.chars().take(64).collect::<String>())
            ),
        );
    };
    let decl = &api.decl;
    let mut expired = false;
    let mut token = None;
    for p in presented(request.headers(), query, decl) {
        match shared.tokens.check(&p) {
            Ok(found) => {
                token = Some(found);
                break;
            }
            Err(r) => expired |= r == super::token::Refusal::Expired,
        }
    }
    let Some((token_name, record)) = token else {
        return refusal(
            401,
            if expired {
                "this byok placeholder has expired; create a new one with `byok proxy token create NAME --api API`"
            } else {
                "unknown or revoked byok placeholder; create one with `byok proxy token create NAME --api API`"
            },
        );
    };
    let row = |status: u16, cause: Option<&str>| {
        shared
            .meter
            .api_row(&token_name, &decl.name, status, cause, started.elapsed());
    };
    if !record.allows_api(&decl.name) {
        row(403, Some("refused: token not granted this API"));
        return refusal(
            403,
            &format!(
                "this placeholder may not use the API '{}' (grant it with `byok proxy token create NAME --api {}`)",
                decl.name, decl.name
            ),
        );
    }
    let method = request.method().as_str().to_owned();
    if !decl.allows_method(&method) {
        row(405, Some("refused: method"));
        let mut response = refusal(
            405,
            &format!(
                "the API '{}' allows only {} through byok (`methods` in its [[api]] table)",
                decl.name,
                decl.methods.join(", ")
            ),
        );
        if let Ok(v) = HeaderValue::from_str(&decl.methods.join(", ")) {
            response.headers_mut().insert(http::header::ALLOW, v);
        }
        return response;
    }
    if !decl.allows_path(rest) {
        row(403, Some("refused: path"));
        return refusal(
            403,
            &format!(
                "the API '{}' does not allow this path through byok (allowed prefixes: {}; \
                 `paths` in its [[api]] table)",
                decl.name,
                decl.paths.join(" ")
            ),
        );
    }
    let host = request
        .headers()
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let (parts, body) = request.into_parts();
    let body = match http_body_util::Limited::new(body, super::server::MAX_REQUEST)
        .collect()
        .await
    {
        Ok(c) => c.to_bytes(),
        Err(_) => {
            row(413, Some("refused: body too large"));
            return refusal(413, "the request body is larger than 32 MiB");
        }
    };
    let key = api.key.expose_secret();
    let mut url = format!("{}{rest}", decl.base_url);
    if let Some(q) = upstream_query(query, decl, key) {
        url.push('?');
        url.push_str(&q);
    }
    let headers = upstream_headers(&parts.headers, decl, key);
    let target = Target {
        client: &shared.client,
        owner: api.owner.as_ref(),
        checked_client: &api.checked_client,
    };
    let timeout = shared.options.timeout;
    let sent = tokio::time::timeout(
        timeout,
        upstream::send_to(&target, parts.method.clone(), url, headers, body),
    )
    .await;
    let failed = |status: u16, class: crate::provider::FailureClass, message: &str| {
        row(status, Some(class.label()));
        // Our words, but they may quote the upstream (and a query carries a key): masked.
        let message = format!("API '{}': {message}", decl.name);
        refusal(status, &shared.keys.mask_str(&message).unwrap_or(message))
    };
    let mut answer = match sent {
        Err(_) => {
            let f = upstream::timed_out();
            return failed(504, f.class, &f.message);
        }
        Ok(Err(f)) => return failed(502, f.class, &f.message),
        Ok(Ok(answer)) => answer,
    };
    let status = answer.status();
    if let Some(encoding) = upstream::foreign_encoding(answer.headers()) {
        return failed(
            502,
            crate::provider::FailureClass::BadResponse,
            &format!(
                "the API answered with content-encoding `{encoding}` although byok asked for \
                 identity; byok does not pass on a body it cannot check for keys"
            ),
        );
    }
    if status.is_redirection() {
        return failed(
            502,
            crate::provider::FailureClass::BadResponse,
            "the API answered with a redirect, which byok neither follows nor passes on",
        );
    }
    let body = match upstream::read_body(&mut answer, upstream::MAX_BODY, timeout).await {
        Ok(b) => b,
        Err(f) => return failed(502, f.class, &f.message),
    };
    let mut headers = upstream::client_headers(answer.headers(), &shared.keys, &decl.name);
    headers.remove("x-byok-connector");
    if let Ok(v) = HeaderValue::from_str(&decl.name) {
        headers.insert("x-byok-api", v);
    }
    relink(
        &mut headers,
        decl,
        &format!("http://{host}/api/{}", decl.name),
    );
    let mut response = Response::new(ProxyBody::full(shared.keys.body(body)));
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    row(status.as_u16(), None);
    response
}

/// What a child gets for `api` behind the proxy at `root` (`http://127.0.0.1:PORT`): each of
/// its `env` variables set to the placeholder, each of its `url_env` to its URL.
pub fn exports(decl: &ApiDecl, root: &str, placeholder: &str) -> Vec<(String, String)> {
    let url = format!("{root}/api/{}", decl.name);
    decl.env
        .iter()
        .map(|v| (v.clone(), placeholder.to_owned()))
        .chain(decl.url_env.iter().map(|v| (v.clone(), url.clone())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decl(place: KeyPlace) -> ApiDecl {
        ApiDecl {
            name: "x".into(),
            recipe: None,
            secret: "k".into(),
            field: None,
            base_url: "https://api.example".into(),
            key: place,
            methods: vec!["GET".into()],
            paths: vec!["/".into()],
            headers: vec![("X-Version".into(), "1".into())],
            env: vec![],
            url_env: vec![],
        }
    }

    #[test]
    fn traversal_and_encoded_separators_are_refused_on_the_raw_path() {
        for bad in [
            "/repos/../admin",
            "/repos/./x",
            "/..",
            "/a/..;x/b",
            "/repos//x",
            "/a%2e%2e/b",
            "/a%2E/b",
            "/a%2fb",
            "/a%2Fb",
            "/a%5cb",
            "/a%252e",
            "/a%00",
            "/a%0d%0a",
            "/a%",
            "/a%zz",
            "/a\\b",
        ] {
            assert!(path_problem(bad).is_some(), "{bad}");
        }
        assert!(path_problem(&format!("/{}", "a".repeat(MAX_PATH))).is_some());
        for good in [
            "/",
            "/repos/o/r/issues",
            "/search/code",
            "/x/caf%C3%A9",
            "/a.b/c..d",
        ] {
            assert_eq!(path_problem(good), None, "{good}");
        }
    }

    /// Percent-decodes once, as an upstream would.
    fn decoded(path: &str) -> String {
        let bytes = path.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let hex = (bytes[i] == b'%')
                .then(|| bytes.get(i + 1..i + 3))
                .flatten()
                .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
            match hex {
                Some(b) => {
                    out.push(b);
                    i += 3;
                }
                None => {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    proptest::proptest! {
        /// Whatever the proxy accepts means the same segments once the upstream decodes it
        /// (once, or twice: nothing accepted decodes to a '%'): no separator appears, and no
        /// `.` or `..` segment, so the prefix check saw what the upstream routes on.
        #[test]
        fn an_accepted_path_decodes_to_the_same_segments(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "/", ".", "..", "%2e", "%2E", "%2f", "%2F", "%5c", "%25", "%252e", ";", "a",
                    "%41", "%", "%e", "2e", "\\",
                ]),
                0..10,
            )
        ) {
            let path = format!("/{}", parts.concat());
            if path_problem(&path).is_none() {
                let once = decoded(&path);
                proptest::prop_assert!(!once.contains('%') && !once.contains('\\'), "{once}");
                proptest::prop_assert!(!once.contains("//"), "{once}");
                proptest::prop_assert_eq!(path.matches('/').count(), once.matches('/').count());
                for segment in once.split('/') {
                    let head = segment.split(';').next().unwrap_or_default();
                    proptest::prop_assert!(head != "." && head != "..", "{path} -> {once}");
                }
            }
        }
    }

    #[test]
    fn the_placeholder_is_swapped_for_the_key_where_the_recipe_puts_it() {
        let mut h = HeaderMap::new();
        h.insert("authorization", "token sk-ant-byok01-p".parse().unwrap());
        h.insert("x-version", "client".parse().unwrap());
        h.insert("cookie", "a=b".parse().unwrap());
        let d = decl(KeyPlace::Header {
            name: "X-Key".into(),
            format: "Key {key}".into(),
        });
        h.insert("x-key", "Key sk-ant-byok01-q".parse().unwrap());
        assert_eq!(
            presented(&h, None, &d),
            ["sk-ant-byok01-p", "sk-ant-byok01-q"]
        );
        let out = upstream_headers(&h, &d, "ghp_test_real");
        assert_eq!(out.get("x-key").unwrap(), "Key ghp_test_real");
        assert!(out.get("x-key").unwrap().is_sensitive());
        assert!(out.get("authorization").is_none() && out.get("cookie").is_none());
        assert_eq!(
            out.get("x-version").unwrap(),
            "client",
            "the client's own value wins"
        );
        assert_eq!(out.get("accept-encoding").unwrap(), "identity");

        let q = decl(KeyPlace::Query {
            name: "api_key".into(),
        });
        let query = Some("q=rust&api_key=sk-ant-byok01-p&api%5Fkey=x&n=1");
        assert_eq!(
            presented(&HeaderMap::new(), query, &q),
            ["sk-ant-byok01-p", "x"]
        );
        assert_eq!(
            upstream_query(query, &q, "k y").as_deref(),
            Some("q=rust&n=1&api_key=k+y")
        );
        assert_eq!(upstream_query(None, &d, "k"), None);
    }

    #[test]
    fn pagination_links_point_back_at_the_proxy() {
        let d = decl(KeyPlace::Query { name: "k".into() });
        let mut h = HeaderMap::new();
        h.insert(
            "link",
            "<https://api.example/repos/o/r/issues?page=2>; rel=\"next\""
                .parse()
                .unwrap(),
        );
        relink(&mut h, &d, "http://127.0.0.1:1/api/x");
        assert_eq!(
            h.get("link").unwrap(),
            "<http://127.0.0.1:1/api/x/repos/o/r/issues?page=2>; rel=\"next\""
        );
    }
}
