//! The connection test and the model list over HTTP: build the request with the wire
//! adapter, send it with reqwest, classify the answer, redact the provider's message.
//!
//! This is the only module that touches the network. Its client and tokio runtime are built
//! by the commands that need them (`connector test`, `connector models`), never at start-up.
//! Transport errors are described from their cause chain, never from reqwest's `Display`,
//! which includes the URL.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use secrecy::SecretString;

use super::catalog::ProviderSpec;
use super::wire::{self, ChatOutcome, Failure, FailureClass, HttpRequest, Method, RequestContext};

/// The default prompt of a connection test.
pub const DEFAULT_PROMPT: &str = "Reply with 'ok'";

/// Everything needed to talk to one connector's provider.
pub struct Target {
    pub spec: &'static ProviderSpec,
    /// Base URL: the connector's or the catalog default.
    pub base_url: String,
    /// Model: the connector's or the catalog default; empty when neither has one.
    pub model: String,
    /// Catalog default options merged with the connector's.
    pub options: BTreeMap<String, String>,
    /// The key, when the connector has a secret. `SecretString` prints redacted.
    pub key: Option<SecretString>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("provider", &self.spec.id)
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("key", &self.key.as_ref().map(|_| "***"))
            .finish()
    }
}

/// The outcome of one connection test.
#[derive(Debug)]
pub struct Probe {
    /// The model actually asked (may have been picked from the model list).
    pub model: String,
    /// Success, or a classified failure whose message is already redacted.
    pub outcome: ChatOutcome,
    pub latency: Duration,
}

/// An HTTP client with a per-request timeout; proxies come from the standard variables
/// (`HTTPS_PROXY`, `NO_PROXY`, …), reqwest's default.
pub fn client(timeout: Duration) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .user_agent(concat!("byok/", env!("CARGO_PKG_VERSION")))
        // A redirect could carry the key header to another host (reqwest strips only
        // `Authorization` across hosts, not `x-api-key` & co.): never follow one.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        // The builder's error has no URL in it; it is about TLS set-up.
        .map_err(|e| e.to_string())
}

impl Target {
    fn context<'a>(&'a self, model: &'a str, prompt: &'a str) -> RequestContext<'a> {
        RequestContext {
            base_url: &self.base_url,
            model,
            prompt,
            max_tokens: self.spec.probe_max_tokens,
            key: self.key.as_ref(),
            options: &self.options,
        }
    }

    fn key_text(&self) -> Option<&str> {
        use secrecy::ExposeSecret;
        self.key.as_ref().map(|k| k.expose_secret())
    }
}

/// Sends the provider's minimal chat request and classifies the answer. A target without a
/// model (local servers) uses the first model the server lists.
pub async fn test(client: &reqwest::Client, target: &Target, prompt: &str) -> Probe {
    let started = Instant::now();
    let mut model = target.model.clone();
    if model.is_empty() {
        match models(client, target).await {
            Ok(list) if !list.is_empty() => model = list[0].clone(),
            Ok(_) => {
                return Probe {
                    model,
                    outcome: ChatOutcome::Failure(Failure {
                        class: FailureClass::ModelNotFound,
                        status: None,
                        message: "no model is configured and the server lists none".into(),
                        retry_after: None,
                    }),
                    latency: started.elapsed(),
                };
            }
            Err(failure) => {
                return Probe {
                    model,
                    outcome: ChatOutcome::Failure(failure),
                    latency: started.elapsed(),
                };
            }
        }
    }
    let request = wire::build_chat(target.spec.wire, &target.context(&model, prompt));
    let outcome = match send(client, &request).await {
        Ok((status, headers, body)) => wire::parse_chat(target.spec.wire, status, &headers, &body),
        Err(failure) => ChatOutcome::Failure(failure),
    };
    let outcome = match outcome {
        ChatOutcome::Failure(mut failure) => {
            failure.redact(target.key_text());
            ChatOutcome::Failure(failure)
        }
        // A server that echoes the request (a misconfigured gateway) must not print the key.
        ChatOutcome::Success {
            reply,
            input_tokens,
            output_tokens,
        } => ChatOutcome::Success {
            reply: crate::provider::redact::redact(&reply, target.key_text()),
            input_tokens,
            output_tokens,
        },
    };
    Probe {
        model,
        outcome,
        latency: started.elapsed(),
    }
}

/// Whether this provider type has a model-list endpoint.
pub fn has_models(spec: &ProviderSpec) -> bool {
    let options = BTreeMap::new();
    let ctx = RequestContext {
        base_url: "http://127.0.0.1",
        model: "",
        prompt: "",
        max_tokens: 1,
        key: None,
        options: &options,
    };
    wire::build_models(spec.wire, &ctx).is_some()
}

/// The provider's model list; a failure's message is redacted.
pub async fn models(client: &reqwest::Client, target: &Target) -> Result<Vec<String>, Failure> {
    let Some(request) = wire::build_models(target.spec.wire, &target.context(&target.model, ""))
    else {
        return Err(Failure {
            class: FailureClass::NotReady,
            status: None,
            message: format!("{} has no model-list endpoint", target.spec.display_name),
            retry_after: None,
        });
    };
    let result = match send(client, &request).await {
        Ok((status, _, body)) if (200..300).contains(&status) => {
            wire::parse_models(target.spec.wire, &body).map_err(|e| Failure {
                class: FailureClass::BadResponse,
                status: Some(status),
                message: e.to_string(),
                retry_after: None,
            })
        }
        Ok((status, headers, body)) => Err(wire::parse_failure(status, &headers, &body)),
        Err(failure) => Err(failure),
    };
    result.map_err(|mut failure| {
        failure.redact(target.key_text());
        failure
    })
}

type Response = (u16, Vec<(String, String)>, Vec<u8>);

/// Sends one request; transport problems become [`FailureClass::Unreachable`] or
/// [`FailureClass::Timeout`].
async fn send(client: &reqwest::Client, request: &HttpRequest) -> Result<Response, Failure> {
    let mut builder = match request.method {
        Method::Get => client.get(&request.url),
        Method::Post => client.post(&request.url),
    };
    for header in &request.headers {
        // The only place a key leaves byok: in a header of the request to its provider.
        let mut value = reqwest::header::HeaderValue::from_str(header.value.expose_for_transport())
            .map_err(|_| Failure {
                class: FailureClass::InvalidKey,
                status: None,
                message: format!(
                    "the value for header `{}` is not valid in HTTP",
                    header.name
                ),
                retry_after: None,
            })?;
        value.set_sensitive(header.value.is_secret());
        builder = builder.header(header.name.as_str(), value);
    }
    if let Some(body) = &request.body {
        builder = builder.body(serde_json::to_vec(body).expect("JSON body"));
    }
    let response = builder.send().await.map_err(transport_failure)?;
    let status = response.status().as_u16();
    if response.status().is_redirection() {
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("(no location)");
        return Err(Failure {
            class: FailureClass::BadResponse,
            status: Some(status),
            message: format!(
                "the server redirects to {}; byok does not follow redirects with a key \
                 (they could carry it to another host): set --base-url to the final address",
                crate::provider::redact::redact(location, None)
            ),
            retry_after: None,
        });
    }
    let headers = response
        .headers()
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect();
    let body = response.bytes().await.map_err(transport_failure)?;
    Ok((status, headers, body.to_vec()))
}

/// Classifies a transport error from its cause chain (skipping reqwest's own message, which
/// carries the URL).
fn transport_failure(error: reqwest::Error) -> Failure {
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !causes.iter().any(|c: &String| c.contains(&text)) {
            causes.push(text);
        }
        source = cause.source();
    }
    // The innermost cause says what happened ("Connection refused", "failed to lookup
    // address information: …"); the outer ones only repeat the layer names.
    let detail = causes.last().cloned().unwrap_or_default();
    let lower = causes.join(": ").to_ascii_lowercase();
    let (class, message) = if error.is_timeout() || lower.contains("timed out") {
        (
            FailureClass::Timeout,
            "no answer within the timeout".to_owned(),
        )
    } else if lower.contains("dns") || lower.contains("lookup") {
        (
            FailureClass::Unreachable,
            format!("DNS lookup failed ({detail})"),
        )
    } else if lower.contains("refused") {
        (FailureClass::Unreachable, "connection refused".to_owned())
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake")
    {
        (FailureClass::Unreachable, format!("TLS failed ({detail})"))
    } else if error.is_connect() {
        (
            FailureClass::Unreachable,
            format!("could not connect ({detail})"),
        )
    } else if error.is_body() || error.is_decode() {
        (
            FailureClass::BadResponse,
            format!("the answer broke off ({detail})"),
        )
    } else {
        (FailureClass::Unreachable, detail)
    };
    Failure {
        class,
        status: None,
        message,
        retry_after: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_debug_hides_the_key() {
        let target = Target {
            spec: crate::provider::catalog::lookup("openai").unwrap(),
            base_url: "https://api.openai.com/v1".into(),
            model: "m".into(),
            options: BTreeMap::new(),
            key: Some(SecretString::from("sk-test-target-debug-0001".to_owned())),
        };
        let printed = format!("{target:?}");
        assert!(!printed.contains("target-debug"), "{printed}");
        assert!(printed.contains("***"));
    }

    #[test]
    fn only_some_wires_have_model_lists() {
        let has = |id| has_models(crate::provider::catalog::lookup(id).unwrap());
        assert!(has("openai") && has("anthropic") && has("ollama"));
        assert!(!has("azure-openai") && !has("aleph-alpha"));
    }
}
