//! The HTTP side of the OpenBao store: one request to a cluster of configured nodes, with
//! the rules of the fact sheet (`/work/shared/openbao-facts.md`, §0 and §4.6):
//!
//! - the token travels only in `X-Vault-Token` (a sensitive header, never in a URL);
//! - redirects are never followed by reqwest ([`crate::net::client`]); a 307 is followed here,
//!   by hand, once per attempt, and only to a configured node with the same scheme, so the
//!   token never reaches a host outside the list;
//! - every request is retried with exponential backoff (250 ms, ×2, ±20 %, at most 2 s a
//!   wait) across the nodes, within a bounded total time (20 s by default, longer than a Raft
//!   election): connection failures, sealed nodes, elections (`local node not active`),
//!   429 and other 5xx but 501. KV writes are check-and-set, so retrying them is safe — the
//!   caller learns that an attempt's outcome was unknown and compares the stored data;
//! - reads carry `X-Vault-Inconsistent: forward-active-node` (and the index of this process's
//!   last write): an OpenBao ≥ 2.5 standby serves reads from its own, possibly stale, data.
//!
//! Answers are read within a body cap and parsed leniently; errors are classified
//! ([`Failure`]) and never carry a body that was not redacted.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderValue};
use url::Url;
use zeroize::Zeroizing;

use crate::net::{self, TransportClass, TransportError};
use crate::secret::SecretValue;

/// Cap for one answer: a list of a few thousand keys, or one entry with its metadata.
pub const BODY_CAP: usize = 16 * 1024 * 1024;
/// Per-request timeout.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Default bound on the retries of one request.
pub const RETRY_FOR: Duration = Duration::from_secs(20);

/// The HTTP methods the KV v2 API uses (`LIST` is sent as `GET …?list=true`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    List,
    Post,
    Patch,
    Delete,
}

impl Method {
    /// The capability a policy needs for this method (for "permission denied" hints).
    pub fn capability(self) -> &'static str {
        match self {
            Method::Get => "read",
            Method::List => "list",
            Method::Post => "create/update",
            Method::Patch => "patch",
            Method::Delete => "delete",
        }
    }

    fn is_read(self) -> bool {
        matches!(self, Method::Get | Method::List)
    }
}

/// A request body: JSON bytes, zeroized when dropped (it may hold values).
pub type Body = Zeroizing<Vec<u8>>;

/// An answer with a status the caller handles (2xx, 400, 403, 404, 405, 415, …).
pub struct Reply {
    pub status: u16,
    /// Zeroized on drop: a KV read carries values.
    pub body: Zeroizing<Vec<u8>>,
    /// Whether an earlier attempt of this request may have reached the server and been
    /// carried out (a write that timed out, broke off, or lost leadership while committing).
    pub uncertain: bool,
}

impl Reply {
    /// The server's error messages, multierror wrappers removed, control characters escaped.
    pub fn errors(&self) -> Vec<String> {
        error_messages(&self.body)
    }
}

/// Why a request failed for good.
#[derive(Debug, Clone)]
pub enum Failure {
    /// No node answered (the last transport failure, with the node it came from).
    Unreachable {
        node: String,
        error: TransportError,
        nodes: usize,
    },
    /// TLS failed: unknown CA, name mismatch (not retried).
    Tls { node: String, detail: String },
    /// Every node that answered said it is sealed.
    Sealed { node: String },
    /// Not initialised (501 from `sys/health`, or the server says so).
    NotInitialised { node: String },
    /// A redirect to an address that is not one of the configured nodes (not followed).
    ForeignRedirect { node: String, location: String },
    /// Still failing when the retry time ran out: an election, a standby behind, a rate
    /// limit, a 5xx.
    GaveUp {
        node: String,
        status: u16,
        message: String,
        waited: Duration,
    },
}

/// One node of the cluster, as configured.
#[derive(Debug, Clone)]
pub struct Node {
    pub url: Url,
}

impl Node {
    /// The node's address as the user wrote it, without a trailing slash.
    pub fn display(&self) -> String {
        self.url.as_str().trim_end_matches('/').to_owned()
    }

    /// Scheme, host and port: what a redirect target must match.
    fn origin(&self) -> url::Origin {
        self.url.origin()
    }
}

/// An `X-Vault-Index` as a server sends it (base64 text), within a sane length.
fn valid_index(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 512
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=-_".contains(&b))
}

/// The cluster client. Cheap to share: one reqwest client, the nodes, and the state learnt
/// while talking (which node answered last, the last write's index).
pub struct Client {
    http: reqwest::Client,
    nodes: Vec<Node>,
    namespace: Option<String>,
    token: Mutex<Option<SecretValue>>,
    /// The `X-Vault-Index` of the last write (this process's, or an earlier one's on this
    /// machine, from `index_file`).
    index: Mutex<Option<String>>,
    /// Where the last write's index is kept between processes: a later `byok` reading through
    /// a standby then sends it, and the standby forwards the read when it is behind (OpenBao
    /// ≥ 2.5 standbys answer reads from their own, possibly stale, data).
    index_file: Option<std::path::PathBuf>,
    /// The node to try first: the one that answered last.
    preferred: AtomicUsize,
    retry_for: Duration,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("nodes", &self.nodes)
            .field("namespace", &self.namespace)
            .field("token", &"***")
            .finish()
    }
}

impl Client {
    pub fn new(
        http: reqwest::Client,
        nodes: Vec<Node>,
        namespace: Option<String>,
        retry_for: Duration,
    ) -> Self {
        Client {
            http,
            nodes,
            namespace,
            token: Mutex::new(None),
            index: Mutex::new(None),
            index_file: None,
            preferred: AtomicUsize::new(0),
            retry_for,
        }
    }

    /// Keeps the last write's index in `path` (read now, written after each write).
    pub fn with_index_file(mut self, path: std::path::PathBuf) -> Self {
        // Not a secret, but input all the same: bounded and checked before it is sent.
        let kept = crate::fsutil::read_bounded(&path, 1024)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .map(|t| t.trim().to_owned())
            .filter(|t| valid_index(t));
        *self.index.get_mut().unwrap_or_else(|e| e.into_inner()) = kept;
        self.index_file = Some(path);
        self
    }

    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    pub fn set_token(&self, token: Option<SecretValue>) {
        *self.token.lock().unwrap_or_else(|e| e.into_inner()) = token;
    }

    /// The token in use, to hide it from messages that quote the server.
    pub fn token(&self) -> Option<SecretValue> {
        self.token.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn has_token(&self) -> bool {
        self.token
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// The URL of `path` (segments after `/v1/`, each percent-encoded) on `node`.
    pub fn url(node: &Node, segments: &[&str], query: &[(&str, &str)]) -> Url {
        let mut url = node.url.clone();
        {
            let mut path = url
                .path_segments_mut()
                .expect("node addresses are http(s) URLs");
            path.pop_if_empty().push("v1");
            for segment in segments {
                path.push(segment);
            }
        }
        url.set_query(None);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query.iter());
        }
        url
    }

    /// Sends one request, retrying across nodes until it gets an answer to hand back or the
    /// retry time runs out. `segments` are the path after `/v1/`.
    pub async fn call(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, &str)],
        body: Option<&Body>,
    ) -> Result<Reply, Failure> {
        let started = Instant::now();
        let mut uncertain = false;
        let mut wait = Duration::from_millis(250);
        let mut last: Option<Failure> = None;
        let mut sealed = 0usize;
        let mut attempt = 0usize;
        let n = self.nodes.len();
        loop {
            let first = self.preferred.load(Ordering::Relaxed) % n;
            // One round: every node once, starting with the preferred one.
            let mut round_failed_fast = true;
            for offset in 0..n {
                let index = (first + offset) % n;
                attempt += 1;
                let mut target = index;
                // At most one redirect hop per attempt.
                let mut hops = 0;
                loop {
                    let node = &self.nodes[target];
                    match self.send_once(node, method, segments, query, body).await {
                        Ok(answer) => {
                            match self.judge(node, method, &answer, &mut uncertain) {
                                Verdict::Done => {
                                    self.preferred.store(target, Ordering::Relaxed);
                                    if !method.is_read()
                                        && let Some(index) =
                                            header(&answer.headers, "x-vault-index")
                                    {
                                        if let Some(path) = &self.index_file
                                            && valid_index(&index)
                                        {
                                            // Best effort: without it a later process
                                            // may read a standby's older data, as before.
                                            let _ =
                                                crate::fsutil::write_atomic(path, index.as_bytes());
                                        }
                                        *self.index.lock().unwrap_or_else(|e| e.into_inner()) =
                                            Some(index);
                                    }
                                    return Ok(Reply {
                                        status: answer.status,
                                        body: answer.body,
                                        uncertain,
                                    });
                                }
                                Verdict::Redirect(location) => {
                                    let Some(to) = self.configured(&location) else {
                                        return Err(Failure::ForeignRedirect {
                                            node: node.display(),
                                            location: crate::term::sanitize::line(&redact_query(
                                                &location,
                                            ))
                                            .into_owned(),
                                        });
                                    };
                                    if hops == 0 && to != target {
                                        hops += 1;
                                        target = to;
                                        continue;
                                    }
                                    // A redirect to itself or a second hop: an election is
                                    // going on; retry later.
                                    last = Some(Failure::GaveUp {
                                        node: node.display(),
                                        status: 307,
                                        message:
                                            "the node redirects while the cluster elects a leader"
                                                .into(),
                                        waited: started.elapsed(),
                                    });
                                }
                                Verdict::Sealed => {
                                    sealed += 1;
                                    last = Some(Failure::Sealed {
                                        node: node.display(),
                                    });
                                }
                                Verdict::NotInitialised => {
                                    return Err(Failure::NotInitialised {
                                        node: node.display(),
                                    });
                                }
                                Verdict::Retry {
                                    message,
                                    retry_after,
                                } => {
                                    round_failed_fast = false;
                                    if let Some(after) = retry_after {
                                        wait = wait.max(after.min(Duration::from_secs(2)));
                                    }
                                    last = Some(Failure::GaveUp {
                                        node: node.display(),
                                        status: answer.status,
                                        message,
                                        waited: started.elapsed(),
                                    });
                                }
                            }
                        }
                        Err(error) => {
                            if error.class == TransportClass::Tls {
                                return Err(Failure::Tls {
                                    node: node.display(),
                                    detail: error.to_string(),
                                });
                            }
                            // Refused: nothing reached the server. Anything else may have.
                            if !method.is_read()
                                && !matches!(
                                    error.class,
                                    TransportClass::Refused | TransportClass::Dns
                                )
                            {
                                uncertain = true;
                            }
                            last = Some(Failure::Unreachable {
                                node: node.display(),
                                error,
                                nodes: n,
                            });
                        }
                    }
                    break;
                }
                if started.elapsed() >= self.retry_for {
                    break;
                }
            }
            if sealed >= n && attempt >= n {
                // Every node said sealed in this round: no point in waiting for an election.
                return Err(last.expect("a failure was recorded"));
            }
            sealed = 0;
            if started.elapsed() + wait > self.retry_for {
                return Err(match last.expect("a failure was recorded") {
                    Failure::GaveUp {
                        node,
                        status,
                        message,
                        ..
                    } => Failure::GaveUp {
                        node,
                        status,
                        message,
                        waited: started.elapsed(),
                    },
                    other => other,
                });
            }
            let _ = round_failed_fast;
            tokio::time::sleep(jitter(wait)).await;
            wait = (wait * 2).min(Duration::from_secs(2));
        }
    }

    /// The index of the configured node a redirect's `Location` points to, if any (same
    /// scheme, host and port — so never https→http).
    fn configured(&self, location: &str) -> Option<usize> {
        let url = Url::parse(location).ok()?;
        self.nodes.iter().position(|n| n.origin() == url.origin())
    }

    async fn send_once(
        &self,
        node: &Node,
        method: Method,
        segments: &[&str],
        query: &[(&str, &str)],
        body: Option<&Body>,
    ) -> Result<Answer, TransportError> {
        let mut query: Vec<(&str, &str)> = query.to_vec();
        if method == Method::List {
            query.push(("list", "true"));
        }
        let url = Self::url(node, segments, &query);
        let builder = match method {
            Method::Get | Method::List => self.http.get(url),
            Method::Post => self.http.post(url),
            Method::Patch => self.http.patch(url),
            Method::Delete => self.http.delete(url),
        };
        let mut headers = HeaderMap::new();
        if let Some(token) = self
            .token
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            && let Ok(mut value) = HeaderValue::from_str(token.expose())
        {
            value.set_sensitive(true);
            headers.insert("x-vault-token", value);
        }
        if let Some(ns) = &self.namespace
            && let Ok(value) = HeaderValue::from_str(ns)
        {
            headers.insert("x-vault-namespace", value);
        }
        headers.insert("x-vault-request", HeaderValue::from_static("true"));
        if method.is_read() {
            // Standbys serve reads from local data: have them forward to the active node,
            // and pass the index of our last write when there is one.
            let index = self.index.lock().unwrap_or_else(|e| e.into_inner()).clone();
            if let Some(index) = index
                && let Ok(value) = HeaderValue::from_str(&index)
            {
                headers.insert("x-vault-index", value);
            }
            headers.insert(
                "x-vault-inconsistent",
                HeaderValue::from_static("forward-active-node"),
            );
        }
        let mut builder = builder.headers(headers);
        if let Some(body) = body {
            let content_type = if method == Method::Patch {
                "application/merge-patch+json"
            } else {
                "application/json"
            };
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(body.to_vec());
        }
        match net::send(builder, BODY_CAP).await {
            Ok(response) => Ok(Answer {
                status: response.status,
                headers: response.headers,
                body: Zeroizing::new(response.body),
            }),
            Err(e) if e.class == TransportClass::Redirect => Ok(Answer {
                status: e.status.unwrap_or(307),
                headers: vec![("location".into(), e.detail)],
                body: Zeroizing::new(Vec::new()),
            }),
            Err(e) => Err(e),
        }
    }

    /// What to do with an answer.
    fn judge(
        &self,
        _node: &Node,
        method: Method,
        answer: &Answer,
        uncertain: &mut bool,
    ) -> Verdict {
        let status = answer.status;
        let messages = error_messages(&answer.body);
        let text = messages.join("; ");
        let lower = text.to_ascii_lowercase();
        match status {
            200..=299 => Verdict::Done,
            301 | 302 | 307 | 308 => match header(&answer.headers, "location") {
                Some(location) => {
                    // Go's path cleaning redirects (`//`, `..`): the path is refused
                    // before sending, so a relative Location is not ours to follow.
                    Verdict::Redirect(location)
                }
                None => Verdict::Retry {
                    message: format!("HTTP {status} without a Location"),
                    retry_after: None,
                },
            },
            503 if lower.contains("sealed") => Verdict::Sealed,
            501 if lower.contains("not initialized") || lower.contains("not initialised") => {
                Verdict::NotInitialised
            }
            429 => Verdict::Retry {
                message: if text.is_empty() {
                    "the standby has not caught up with the last write yet".into()
                } else {
                    text
                },
                retry_after: header(&answer.headers, "retry-after")
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs),
            },
            400 if lower.contains("x-vault-index") => {
                // An index the cluster cannot use (kept from a cluster since rebuilt): forget
                // it and ask again without one.
                *self.index.lock().unwrap_or_else(|e| e.into_inner()) = None;
                if let Some(path) = &self.index_file {
                    let _ = std::fs::remove_file(path);
                }
                Verdict::Retry {
                    message: "the node refused the last write's index".into(),
                    retry_after: None,
                }
            }
            412 => Verdict::Retry {
                message: "the node has not caught up with the last write yet".into(),
                retry_after: None,
            },
            500..=599 if status != 501 => {
                if lower.contains("leadership lost") && !method.is_read() {
                    // The write may have committed: the caller compares before believing
                    // a CAS failure of the retry.
                    *uncertain = true;
                }
                Verdict::Retry {
                    message: if text.is_empty() {
                        format!("HTTP {status}")
                    } else {
                        text
                    },
                    retry_after: None,
                }
            }
            _ => Verdict::Done,
        }
    }

    /// `GET sys/health` on each node (no token): which one is active, sealed, a standby.
    pub async fn health(&self) -> Vec<(String, Result<(u16, String), TransportError>)> {
        let mut out = Vec::new();
        for node in &self.nodes {
            let url = Self::url(node, &["sys", "health"], &[("standbyok", "true")]);
            let result = net::send(self.http.get(url), 64 * 1024).await.map(|r| {
                let version = serde_json::from_slice::<serde_json::Value>(&r.body)
                    .ok()
                    .and_then(|v| v.get("version").and_then(|v| v.as_str()).map(str::to_owned))
                    .unwrap_or_default();
                (r.status, crate::term::sanitize::line(&version).into_owned())
            });
            out.push((node.display(), result));
        }
        out
    }
}

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Zeroizing<Vec<u8>>,
}

enum Verdict {
    Done,
    Redirect(String),
    Sealed,
    NotInitialised,
    Retry {
        message: String,
        retry_after: Option<Duration>,
    },
}

fn header(headers: &[(String, String)], name: &str) -> Option<String> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
}

/// `wait` ±20 %.
fn jitter(wait: Duration) -> Duration {
    let mut byte = [0u8; 1];
    let _ = getrandom::fill(&mut byte);
    let factor = 0.8 + 0.4 * (f64::from(byte[0]) / 255.0);
    wait.mul_f64(factor)
}

/// A Location without its query (it is ours, but keep printed URLs short and clean).
fn redact_query(location: &str) -> String {
    location.split(['?', '#']).next().unwrap_or("").to_owned()
}

/// The `errors` of an error body, with Go multierror wrappers removed and control
/// characters escaped; at most 4 messages of 300 characters each.
pub fn error_messages(body: &[u8]) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Errors {
        #[serde(default)]
        errors: Vec<String>,
    }
    let Ok(parsed) = serde_json::from_slice::<Errors>(body) else {
        return Vec::new();
    };
    parsed
        .errors
        .iter()
        .take(4)
        .flat_map(|e| unwrap_multierror(e))
        .map(|e| {
            let e = crate::term::sanitize::line(e.trim()).into_owned();
            if e.chars().count() > 300 {
                let cut: String = e.chars().take(300).collect();
                format!("{cut}…")
            } else {
                e
            }
        })
        .filter(|e| !e.is_empty())
        .collect()
}

/// `1 error occurred:\n\t* permission denied\n\n` → `["permission denied"]`.
fn unwrap_multierror(text: &str) -> Vec<String> {
    let trimmed = text.trim();
    if trimmed.contains("error occurred:") || trimmed.contains("errors occurred:") {
        trimmed
            .lines()
            .filter_map(|l| l.trim().strip_prefix("* "))
            .map(str::to_owned)
            .collect()
    } else {
        vec![trimmed.to_owned()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multierror_wrappers_are_removed() {
        let body = br#"{"errors":["1 error occurred:\n\t* permission denied\n\n"]}"#;
        assert_eq!(error_messages(body), ["permission denied"]);
        assert_eq!(
            error_messages(br#"{"errors":["Vault is sealed"]}"#),
            ["Vault is sealed"]
        );
        assert!(error_messages(br#"{"errors":[]}"#).is_empty());
        assert!(error_messages(b"not json").is_empty());
        assert_eq!(
            error_messages(br#"{"errors":["a\u001b[31mb"]}"#),
            [crate::term::sanitize::line("a\u{1b}[31mb").into_owned()]
        );
    }

    #[test]
    fn urls_encode_each_segment() {
        let node = Node {
            url: Url::parse("https://bao.example:8200/").unwrap(),
        };
        let url = Client::url(&node, &["secret", "data", "byok", "my key"], &[]);
        assert_eq!(
            url.as_str(),
            "https://bao.example:8200/v1/secret/data/byok/my%20key"
        );
        let url = Client::url(&node, &["secret", "data", "a"], &[("version", "2")]);
        assert_eq!(
            url.as_str(),
            "https://bao.example:8200/v1/secret/data/a?version=2"
        );
    }

    #[test]
    fn redirects_only_to_configured_origins() {
        let client = Client::new(
            reqwest::Client::new(),
            vec![
                Node {
                    url: Url::parse("https://a.example:8200").unwrap(),
                },
                Node {
                    url: Url::parse("https://b.example:8200").unwrap(),
                },
            ],
            None,
            RETRY_FOR,
        );
        assert_eq!(
            client.configured("https://b.example:8200/v1/secret/data/x"),
            Some(1)
        );
        assert_eq!(
            client.configured("http://b.example:8200/v1/secret/data/x"),
            None
        );
        assert_eq!(client.configured("https://b.example:8201/v1/x"), None);
        assert_eq!(client.configured("https://evil.example/v1/x"), None);
        assert_eq!(client.configured("/v1/secret/data/x"), None);
        assert!(!format!("{client:?}").contains("token\": Some"));
    }
}
