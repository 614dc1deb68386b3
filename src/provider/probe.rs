//! The connection test and the model list over HTTP: build the request with the wire
//! adapter, send it with reqwest, classify the answer, redact the provider's message.
//!
//! The client, body caps and transport-error classes come from [`crate::net`]; this module
//! maps a [`TransportError`] into a provider [`Failure`]. Everything a server returns —
//! messages, replies, model ids, redirect targets — is redacted and stripped of control
//! characters here, before anyone prints or logs it.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use secrecy::SecretString;

use super::catalog::ProviderSpec;
use super::redact::{redact, redact_line};
use super::wire::{self, ChatOutcome, Failure, FailureClass, HttpRequest, Method, RequestContext};
use crate::net::{self, TransportClass, TransportError};

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
    let key = target.key_text();
    // The model as sent (raw) and as shown (redacted: a server may list anything).
    let mut model = target.model.clone();
    let mut shown = target.model.clone();
    if model.is_empty() {
        let fail = |shown: String, failure: Failure| Probe {
            model: shown,
            outcome: ChatOutcome::Failure(failure),
            latency: started.elapsed(),
        };
        match models_raw(client, target).await {
            Ok(list) if !list.is_empty() => {
                shown = redact_line(&list[0], key);
                model = list.into_iter().next().unwrap_or_default();
            }
            Ok(_) => {
                return fail(
                    String::new(),
                    Failure {
                        class: FailureClass::ModelNotFound,
                        status: None,
                        message: "no model is configured and the server lists none".into(),
                        retry_after: None,
                    },
                );
            }
            Err(failure) => return fail(String::new(), failure),
        }
    }
    let request = wire::build_chat(target.spec.wire, &target.context(&model, prompt));
    let outcome = match send(client, &request, net::CHAT_BODY_CAP, key).await {
        Ok(r) => wire::parse_chat(target.spec.wire, r.status, &r.headers, &r.body),
        Err(failure) => ChatOutcome::Failure(failure),
    };
    let outcome = match outcome {
        ChatOutcome::Failure(mut failure) => {
            failure.redact(key);
            ChatOutcome::Failure(failure)
        }
        // A server that echoes the request (a misconfigured gateway) must not print the key.
        ChatOutcome::Success {
            reply,
            input_tokens,
            output_tokens,
        } => ChatOutcome::Success {
            reply: redact(&reply, key),
            input_tokens,
            output_tokens,
        },
    };
    Probe {
        model: shown,
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

/// The provider's model list, each id redacted and stripped of control characters (a
/// server may list anything, the key included); a failure's message is redacted too.
pub async fn models(client: &reqwest::Client, target: &Target) -> Result<Vec<String>, Failure> {
    let key = target.key_text();
    let list = models_raw(client, target).await?;
    Ok(list.iter().map(|m| redact_line(m, key)).collect())
}

/// The model list as the server sent it: for building requests only, never for printing.
async fn models_raw(client: &reqwest::Client, target: &Target) -> Result<Vec<String>, Failure> {
    let Some(request) = wire::build_models(target.spec.wire, &target.context(&target.model, ""))
    else {
        return Err(Failure {
            class: FailureClass::NotReady,
            status: None,
            message: format!("{} has no model-list endpoint", target.spec.display_name),
            retry_after: None,
        });
    };
    let key = target.key_text();
    let result = match send(client, &request, net::LIST_BODY_CAP, key).await {
        Ok(r) if (200..300).contains(&r.status) => wire::parse_models(target.spec.wire, &r.body)
            .map_err(|e| Failure {
                class: FailureClass::BadResponse,
                status: Some(r.status),
                message: e.to_string(),
                retry_after: None,
            }),
        Ok(r) => Err(wire::parse_failure(r.status, &r.headers, &r.body)),
        Err(failure) => Err(failure),
    };
    result.map_err(|mut failure| {
        failure.redact(key);
        failure
    })
}

/// Sends one request through [`net::send`] with a body cap; transport problems become
/// provider failures (see [`transport_failure`]).
async fn send(
    client: &reqwest::Client,
    request: &HttpRequest,
    cap: usize,
    key: Option<&str>,
) -> Result<net::Response, Failure> {
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
    net::send(builder, cap)
        .await
        .map_err(|e| transport_failure(e, key))
}

/// A transport error as a provider failure: timeouts stay timeouts, connection problems are
/// "unreachable", and what did arrive but cannot be used (redirects, oversized or broken
/// answers) is a "bad response". The detail may hold server text (a `Location`): redacted.
pub fn transport_failure(error: TransportError, key: Option<&str>) -> Failure {
    let class = match error.class {
        TransportClass::Timeout => FailureClass::Timeout,
        TransportClass::Refused
        | TransportClass::Dns
        | TransportClass::Tls
        | TransportClass::Connect => FailureClass::Unreachable,
        TransportClass::BodyTooLarge | TransportClass::BrokenOff | TransportClass::Redirect => {
            FailureClass::BadResponse
        }
    };
    let status = error.status;
    let error = TransportError {
        detail: redact_line(&error.detail, key),
        ..error
    };
    Failure {
        class,
        status,
        message: error.to_string(),
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
