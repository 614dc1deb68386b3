//! The network layer every HTTP caller shares: one client builder, the proxy rule, a body
//! cap, the tokio runtime for network commands, and transport-error classes.
//!
//! Rules it owns (each has a test):
//! - redirects are never followed: one could carry a key header to another host;
//! - a proxy is never used for a loopback target nor for an `http://` target (the key would
//!   reach the proxy in cleartext); `https://` targets use `HTTPS_PROXY` / `ALL_PROXY` unless
//!   `NO_PROXY` matches, read from the start-up environment snapshot, never from the process;
//! - bodies are read chunk by chunk and reading stops once the cap is passed, so a huge
//!   answer is never buffered;
//! - transport errors are described from their cause chain, never from reqwest's `Display`,
//!   which includes the URL.
//!
//! Nothing here runs unless a network command calls it: start-up builds no client.

pub mod owner;

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use crate::settings::ParentEnv;

/// Cap for a chat reply body (a connection test's answer is a few hundred bytes).
pub const CHAT_BODY_CAP: usize = 1024 * 1024;
/// Cap for a model list body (some providers list hundreds of models with metadata).
pub const LIST_BODY_CAP: usize = 8 * 1024 * 1024;

/// Whether the URL's host is a loopback address (127.0.0.0/8, ::1) or `localhost`.
pub fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

// ---- proxies -------------------------------------------------------------------------

/// The proxy variables, taken from the environment snapshot of [`crate::settings::Settings`].
#[derive(Clone, Default)]
pub struct ProxySettings {
    /// `HTTPS_PROXY` / `https_proxy`.
    pub https: Option<String>,
    /// `ALL_PROXY` / `all_proxy`.
    pub all: Option<String>,
    /// `NO_PROXY` / `no_proxy`, split on commas.
    pub no_proxy: Vec<String>,
}

impl fmt::Debug for ProxySettings {
    /// Proxy URLs may carry credentials (`http://user:pass@proxy`): show only whether set.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxySettings")
            .field("https", &self.https.as_ref().map(|_| "(set)"))
            .field("all", &self.all.as_ref().map(|_| "(set)"))
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

impl ProxySettings {
    /// Reads the proxy variables from the start-up snapshot (upper case wins, as in curl).
    /// `HTTP_PROXY` is deliberately ignored: `http://` targets never use a proxy.
    pub fn from_env(env: &ParentEnv) -> Self {
        let var = |names: &[&str]| {
            names.iter().find_map(|n| {
                env.get(n)
                    .and_then(|v| v.to_str())
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned)
            })
        };
        ProxySettings {
            https: var(&["HTTPS_PROXY", "https_proxy"]),
            all: var(&["ALL_PROXY", "all_proxy"]),
            no_proxy: var(&["NO_PROXY", "no_proxy"])
                .map(|v| {
                    v.split(',')
                        .map(|s| s.trim().to_ascii_lowercase())
                        .filter(|s| !s.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    /// The proxy to use for `url`, if any.
    pub fn proxy_for(&self, url: &url::Url) -> Option<url::Url> {
        if url.scheme() != "https" || is_loopback(url) {
            return None;
        }
        let host = url
            .host_str()?
            .trim_matches(['[', ']'])
            .to_ascii_lowercase();
        if self
            .no_proxy
            .iter()
            .any(|rule| no_proxy_matches(rule, &host))
        {
            return None;
        }
        let proxy = self.https.as_deref().or(self.all.as_deref())?;
        // A bare `host:port` is how many people write it; curl reads it as http://.
        url::Url::parse(proxy)
            .ok()
            .filter(|u| u.has_host())
            .or_else(|| url::Url::parse(&format!("http://{proxy}")).ok())
    }
}

/// One `NO_PROXY` entry against a lower-case host: `*`, an exact host, or a domain suffix
/// (`.example.com` and `example.com` both match `api.example.com`). A `:port` is ignored.
fn no_proxy_matches(rule: &str, host: &str) -> bool {
    if rule == "*" {
        return true;
    }
    let rule = match rule.rsplit_once(':') {
        // Strip a port, but not the colons of a bare IPv6 address.
        Some((h, port)) if !h.contains(':') && port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => rule,
    };
    let rule = rule.trim_matches(['[', ']']);
    let domain = rule.trim_start_matches('.');
    if domain.is_empty() {
        return false;
    }
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|rest| rest.ends_with('.'))
}

// ---- client and runtime ----------------------------------------------------------------

/// The one HTTP client builder: a per-request timeout, no redirects, the proxy rule above.
pub fn client(
    timeout: Duration,
    proxies: &ProxySettings,
) -> Result<reqwest::Client, TransportError> {
    client_builder(timeout, proxies)
        .build()
        .map_err(|e| TransportError::from_reqwest(&e))
}

/// The builder [`client`] uses, for callers that add to it (a store's own CA certificate).
pub fn client_builder(timeout: Duration, proxies: &ProxySettings) -> reqwest::ClientBuilder {
    let proxies = proxies.clone();
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .user_agent(concat!("byok/", env!("CARGO_PKG_VERSION")))
        // A redirect could carry the key header to another host (reqwest strips only
        // `Authorization` across hosts, not `x-api-key` & co.): never follow one.
        .redirect(reqwest::redirect::Policy::none())
        // Drop reqwest's own reading of the process environment, then decide per URL.
        .no_proxy()
        .proxy(reqwest::Proxy::custom(move |url| proxies.proxy_for(url)))
}

/// [`client`] whose every new connection to a loopback address is checked with `policy`
/// before its first byte ([`owner`]): for keyed requests to plain-`http` loopback targets.
pub fn owner_checked_client(
    timeout: Duration,
    proxies: &ProxySettings,
    policy: owner::OwnerPolicy,
) -> Result<reqwest::Client, TransportError> {
    client_builder(timeout, proxies)
        .connector_layer(OwnerLayer(std::sync::Arc::new(policy)))
        .build()
        .map_err(|e| TransportError::from_reqwest(&e))
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The [`tower_layer::Layer`] of [`owner_checked_client`] and the proxy's local client.
#[derive(Clone)]
pub struct OwnerLayer(pub std::sync::Arc<owner::OwnerPolicy>);

impl<S> tower_layer::Layer<S> for OwnerLayer {
    type Service = OwnerChecked<S>;

    fn layer(&self, inner: S) -> OwnerChecked<S> {
        OwnerChecked {
            inner,
            policy: std::sync::Arc::clone(&self.0),
        }
    }
}

/// A connector that refuses a loopback connection whose server side the policy does not
/// trust, before anything is written to it.
#[derive(Clone)]
pub struct OwnerChecked<S> {
    inner: S,
    policy: std::sync::Arc<owner::OwnerPolicy>,
}

impl<S, R> tower_service::Service<R> for OwnerChecked<S>
where
    S: tower_service::Service<R>,
    S::Response: hyper_util::client::legacy::connect::Connection + Send + 'static,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = BoxError;
    type Future =
        std::pin::Pin<Box<dyn std::future::Future<Output = Result<S::Response, BoxError>> + Send>>;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, request: R) -> Self::Future {
        let connecting = self.inner.call(request);
        let policy = std::sync::Arc::clone(&self.policy);
        Box::pin(async move {
            let connection = connecting.await.map_err(Into::into)?;
            check_owner(&connection, &policy)?;
            Ok(connection)
        })
    }
}

/// The owner check of one new connection (non-loopback peers pass).
fn check_owner(
    connection: &impl hyper_util::client::legacy::connect::Connection,
    policy: &owner::OwnerPolicy,
) -> Result<(), BoxError> {
    let mut extras = http::Extensions::new();
    connection.connected().get_extras(&mut extras);
    let Some(info) = extras.get::<hyper_util::client::legacy::connect::HttpInfo>() else {
        return Err("byok could not tell which address it connected to".into());
    };
    let peer = info.remote_addr();
    if !peer.ip().is_loopback() && !is_mapped_loopback(peer.ip()) {
        return Ok(());
    }
    let owner = owner::connection_owner(info.local_addr(), peer)
        .map_err(|e| format!("cannot read who holds {peer} ({e})"))?;
    policy
        .check(owner)
        .map_err(|why| format!("byok did not send the key to {peer}: {why}").into())
}

fn is_mapped_loopback(ip: IpAddr) -> bool {
    matches!(ip, IpAddr::V6(v6) if v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()))
}

/// The runtime for network commands: one thread is plenty, the work is waiting.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}

/// An answer read within the body cap.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    /// Header names in lower case; values that are not text are left out.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Sends a request and reads at most `cap` bytes of the answer. A 3xx is an error
/// ([`TransportClass::Redirect`]) whose detail is the raw `Location` — redact it before
/// printing.
pub async fn send(
    request: reqwest::RequestBuilder,
    cap: usize,
) -> Result<Response, TransportError> {
    let mut response = request
        .send()
        .await
        .map_err(|e| TransportError::from_reqwest(&e))?;
    let status = response.status().as_u16();
    if response.status().is_redirection() {
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("(no location)");
        return Err(TransportError {
            class: TransportClass::Redirect,
            status: Some(status),
            detail: location.to_owned(),
        });
    }
    let headers = response
        .headers()
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect();
    let too_large = || TransportError {
        class: TransportClass::BodyTooLarge,
        status: Some(status),
        detail: cap_text(cap),
    };
    // A declared length over the cap fails before a byte of the body is read.
    if response.content_length().is_some_and(|n| n > cap as u64) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| TransportError::from_reqwest(&e))?
    {
        if body.len() + chunk.len() > cap {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Response {
        status,
        headers,
        body,
    })
}

/// `1 MiB`, `8 MiB`, `512 KiB`, `100 bytes`.
fn cap_text(cap: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if cap >= MIB && cap.is_multiple_of(MIB) {
        format!("{} MiB", cap / MIB)
    } else if cap >= KIB && cap.is_multiple_of(KIB) {
        format!("{} KiB", cap / KIB)
    } else {
        format!("{cap} bytes")
    }
}

// ---- transport errors -------------------------------------------------------------------

/// What went wrong below HTTP semantics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportClass {
    /// No answer within the timeout.
    Timeout,
    /// Nothing listens at the address.
    Refused,
    /// The host name did not resolve.
    Dns,
    /// The TLS handshake or certificate check failed (or TLS could not be set up).
    Tls,
    /// Any other failure to connect.
    Connect,
    /// The answer is larger than the cap; byok stopped reading.
    BodyTooLarge,
    /// The answer broke off or could not be decoded.
    BrokenOff,
    /// A 3xx answer, which byok never follows.
    Redirect,
}

/// A classified transport failure. `detail` comes from the error's cause chain (or is the
/// cap, or the redirect's `Location`); it never holds reqwest's URL-bearing message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    pub class: TransportClass,
    /// The HTTP status, when there was an answer (redirects, oversized bodies).
    pub status: Option<u16>,
    pub detail: String,
}

impl TransportError {
    /// Classifies a reqwest error from its cause chain, skipping reqwest's own message.
    pub fn from_reqwest(error: &reqwest::Error) -> Self {
        let mut causes: Vec<String> = Vec::new();
        let mut source = std::error::Error::source(error);
        while let Some(cause) = source {
            let text = cause.to_string();
            if !causes.iter().any(|c| c.contains(&text)) {
                causes.push(text);
            }
            source = cause.source();
        }
        Self::classify(
            &causes,
            error.is_timeout(),
            error.is_connect(),
            error.is_body() || error.is_decode(),
            error.is_builder(),
        )
    }

    /// The classification itself, on plain data so it can be tested without a network.
    fn classify(
        causes: &[String],
        timeout: bool,
        connect: bool,
        body: bool,
        builder: bool,
    ) -> Self {
        // The innermost cause says what happened ("Connection refused", "failed to lookup
        // address information: …"); the outer ones only repeat the layer names.
        let detail = causes.last().cloned().unwrap_or_default();
        let lower = causes.join(": ").to_ascii_lowercase();
        let class = if timeout || lower.contains("timed out") {
            TransportClass::Timeout
        } else if lower.contains("dns") || lower.contains("lookup") {
            TransportClass::Dns
        } else if lower.contains("refused") {
            TransportClass::Refused
        } else if builder
            || lower.contains("certificate")
            || lower.contains("tls")
            || lower.contains("handshake")
        {
            TransportClass::Tls
        } else if connect {
            TransportClass::Connect
        } else if body {
            TransportClass::BrokenOff
        } else {
            TransportClass::Connect
        };
        TransportError {
            class,
            status: None,
            detail,
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let detail = &self.detail;
        match self.class {
            TransportClass::Timeout => f.write_str("no answer within the timeout"),
            TransportClass::Refused => f.write_str("connection refused"),
            TransportClass::Dns => write!(f, "DNS lookup failed ({detail})"),
            TransportClass::Tls => write!(f, "TLS failed ({detail})"),
            TransportClass::Connect if detail.is_empty() => f.write_str("could not connect"),
            TransportClass::Connect => write!(f, "could not connect ({detail})"),
            TransportClass::BodyTooLarge => {
                write!(
                    f,
                    "the answer is larger than {detail}; byok stopped reading"
                )
            }
            TransportClass::BrokenOff => write!(f, "the answer broke off ({detail})"),
            TransportClass::Redirect => write!(
                f,
                "the server redirects to {detail}; byok does not follow redirects with a key \
                 (they could carry it to another host): set --base-url to the final address"
            ),
        }
    }
}

impl std::error::Error for TransportError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        let l = |u: &str| is_loopback(&url::Url::parse(u).unwrap());
        assert!(l("http://127.0.0.1:1") && l("http://127.1.2.3") && l("http://[::1]:8"));
        assert!(l("http://localhost:1234/v1") && l("http://LocalHost"));
        assert!(!l("http://localhost.example.com") && !l("http://10.0.0.1"));
    }
    use std::ffi::OsString;

    fn env(pairs: &[(&str, &str)]) -> ParentEnv {
        ParentEnv::from_pairs(
            pairs
                .iter()
                .map(|(k, v)| (OsString::from(k), OsString::from(v))),
        )
    }

    fn proxy(settings: &ProxySettings, url: &str) -> Option<String> {
        settings
            .proxy_for(&url::Url::parse(url).unwrap())
            .map(|u| u.to_string())
    }

    #[test]
    fn no_proxy_for_loopback_or_plain_http() {
        let s = ProxySettings::from_env(&env(&[
            ("HTTPS_PROXY", "http://127.0.0.1:3128"),
            ("HTTP_PROXY", "http://127.0.0.1:3128"),
            ("ALL_PROXY", "http://127.0.0.1:3128"),
        ]));
        assert_eq!(proxy(&s, "http://example.com/v1"), None);
        assert_eq!(proxy(&s, "https://127.0.0.1:8443/v1"), None);
        assert_eq!(proxy(&s, "https://127.9.9.9/v1"), None);
        assert_eq!(proxy(&s, "https://[::1]:8443/v1"), None);
        assert_eq!(proxy(&s, "https://LOCALHOST/v1"), None);
        assert_eq!(
            proxy(&s, "https://api.openai.com/v1").as_deref(),
            Some("http://127.0.0.1:3128/")
        );
    }

    #[test]
    fn https_proxy_beats_all_proxy_and_lower_case_works() {
        let s = ProxySettings::from_env(&env(&[
            ("all_proxy", "http://all.test:1"),
            ("https_proxy", "https.test:2"),
        ]));
        assert_eq!(
            proxy(&s, "https://api.x.ai").as_deref(),
            Some("http://https.test:2/")
        );
        let s = ProxySettings::from_env(&env(&[("all_proxy", "http://all.test:1")]));
        assert_eq!(
            proxy(&s, "https://api.x.ai").as_deref(),
            Some("http://all.test:1/")
        );
        assert_eq!(proxy(&ProxySettings::default(), "https://api.x.ai"), None);
    }

    #[test]
    fn no_proxy_rules() {
        let s = ProxySettings::from_env(&env(&[
            ("HTTPS_PROXY", "http://p.test:1"),
            (
                "NO_PROXY",
                " .corp.test, example.com:443 ,10.1.2.3,[fd00::1]",
            ),
        ]));
        assert_eq!(proxy(&s, "https://a.corp.test/v1"), None);
        assert_eq!(proxy(&s, "https://corp.test/v1"), None);
        assert_eq!(proxy(&s, "https://example.com/v1"), None);
        assert_eq!(proxy(&s, "https://api.example.com/v1"), None);
        assert_eq!(proxy(&s, "https://10.1.2.3/v1"), None);
        assert_eq!(proxy(&s, "https://[fd00::1]/v1"), None);
        assert!(proxy(&s, "https://notexample.com/v1").is_some());
        assert!(proxy(&s, "https://corp.test.evil/v1").is_some());
        let all = ProxySettings::from_env(&env(&[
            ("HTTPS_PROXY", "http://p.test:1"),
            ("no_proxy", "*"),
        ]));
        assert_eq!(proxy(&all, "https://api.openai.com"), None);
    }

    #[test]
    fn debug_hides_proxy_credentials() {
        let s = ProxySettings::from_env(&env(&[("HTTPS_PROXY", "http://u:hunter2@p.test:1")]));
        assert!(!format!("{s:?}").contains("hunter2"));
    }

    #[test]
    fn classification_from_the_cause_chain() {
        let c = |causes: &[&str], timeout, connect, body| {
            let causes: Vec<String> = causes.iter().map(|s| s.to_string()).collect();
            TransportError::classify(&causes, timeout, connect, body, false).class
        };
        assert_eq!(
            c(&["operation timed out"], false, true, false),
            TransportClass::Timeout
        );
        assert_eq!(c(&[], true, false, false), TransportClass::Timeout);
        assert_eq!(
            c(
                &["dns error", "failed to lookup address information"],
                false,
                true,
                false
            ),
            TransportClass::Dns
        );
        assert_eq!(
            c(
                &["tcp connect error", "Connection refused (os error 111)"],
                false,
                true,
                false
            ),
            TransportClass::Refused
        );
        assert_eq!(
            c(
                &["invalid peer certificate: UnknownIssuer"],
                false,
                true,
                false
            ),
            TransportClass::Tls
        );
        assert_eq!(c(&["reset"], false, true, false), TransportClass::Connect);
        assert_eq!(
            c(&["unexpected EOF"], false, false, true),
            TransportClass::BrokenOff
        );
    }

    #[test]
    fn messages_are_clear() {
        let e = TransportError {
            class: TransportClass::BodyTooLarge,
            status: Some(200),
            detail: cap_text(CHAT_BODY_CAP),
        };
        assert_eq!(
            e.to_string(),
            "the answer is larger than 1 MiB; byok stopped reading"
        );
        assert_eq!(cap_text(LIST_BODY_CAP), "8 MiB");
        assert_eq!(cap_text(4096), "4 KiB");
        assert_eq!(cap_text(100), "100 bytes");
    }
}
