//! Which connector types the proxy serves, and how it reaches each.
//!
//! The proxy speaks two wires (same wire in and out). A connector serves the OpenAI wire
//! (`POST /v1/chat/completions`) when its provider answers OpenAI chat completions — every
//! `openai-chat` type of the catalog (OpenAI, Mistral, Groq, DeepSeek, OpenRouter, Together,
//! Fireworks, Novita, xAI, LM Studio, vLLM, any `openai-compatible` server), and also:
//! - Ollama, through its OpenAI compatibility API (`{host}/v1/chat/completions`), not its
//!   native `/api/chat`;
//! - Azure OpenAI, through its v1 API (`{endpoint}/openai/v1/chat/completions`, key in
//!   `api-key`), where a request's `model` is the deployment name: the connector serves its
//!   `deployment` option (or, without one, its `model`, the usual naming convention).
//!
//! It serves the Anthropic wire (`POST /v1/messages`) for `anthropic` connectors. Types
//! with another native wire — Gemini `generateContent`, Cohere v2 chat, Aleph Alpha
//! `complete`, Perplexity's Agent API — are not served; `byok proxy` names each such
//! connector in a one-line notice at start.

use super::Wire;
use crate::connector::Connector;
use crate::provider::catalog::{AuthStyle, ProviderSpec};
use crate::provider::wire::WireFormat;

/// How the proxy forwards to one connector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Serving {
    pub wire: Wire,
    /// SDK-style base URL the endpoint path is appended to (OpenAI wire: up to `/v1`, so
    /// `/chat/completions` follows; Anthropic wire: the root, `/v1/messages` follows).
    pub base_url: String,
    /// Where the connector's key goes.
    pub auth: AuthStyle,
    /// The model name the connector serves outright (besides its `models` globs).
    pub model: Option<String>,
}

/// How `connector` (of type `spec`) is served, or why it is not (a sentence naming the
/// wire, for the start-up notice).
pub fn serving(spec: &ProviderSpec, connector: &Connector) -> Result<Serving, String> {
    let base = connector
        .base_url
        .as_deref()
        .or(spec.default_base_url)
        .map(|b| b.trim_end_matches('/').to_owned())
        .ok_or_else(|| {
            "it has no base URL (set one with `byok connector edit NAME --base-url URL`)".to_owned()
        })?;
    // The effective model: the connector's, else its type's default — what `connector
    // list` shows and `connector test` uses, so a connector added without `--model` serves.
    let model = connector
        .model
        .clone()
        .filter(|m| !m.is_empty())
        .or_else(|| Some(spec.default_model.to_owned()).filter(|m| !m.is_empty()));
    let openai = |base_url: String, auth: AuthStyle, model: Option<String>| Serving {
        wire: Wire::OpenAi,
        base_url,
        auth,
        model,
    };
    match spec.wire {
        WireFormat::OpenAiChat => Ok(openai(base, spec.auth, model)),
        WireFormat::AnthropicMessages => Ok(Serving {
            wire: Wire::Anthropic,
            base_url: base,
            auth: spec.auth,
            model,
        }),
        WireFormat::OllamaChat => {
            let base = if base.ends_with("/v1") {
                base
            } else {
                format!("{base}/v1")
            };
            Ok(openai(base, AuthStyle::Bearer, model))
        }
        WireFormat::AzureDeployments => {
            let base = if base.ends_with("/openai/v1") {
                base
            } else if base.ends_with("/openai") {
                format!("{base}/v1")
            } else {
                format!("{base}/openai/v1")
            };
            let deployment = connector
                .options
                .get(crate::provider::wire::azure::OPT_DEPLOYMENT)
                .filter(|d| !d.is_empty())
                .cloned()
                .or(model);
            Ok(openai(base, AuthStyle::AzureApiKey, deployment))
        }
        WireFormat::GeminiGenerateContent => Err(
            "Gemini's native generateContent wire is neither OpenAI chat nor Anthropic messages"
                .into(),
        ),
        WireFormat::CohereChat => {
            Err("Cohere's native v2 chat wire is neither OpenAI chat nor Anthropic messages".into())
        }
        WireFormat::AlephAlphaComplete => {
            Err("Aleph Alpha's complete wire is neither OpenAI chat nor Anthropic messages".into())
        }
        WireFormat::PerplexityAgent => {
            Err("Perplexity's Agent API is neither OpenAI chat nor Anthropic messages".into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::catalog;
    use std::collections::BTreeMap;

    fn connector(kind: &str, base: Option<&str>) -> Connector {
        Connector {
            name: "c".into(),
            kind: kind.into(),
            secret: None,
            model: Some("m".into()),
            base_url: base.map(str::to_owned),
            options: BTreeMap::new(),
            archived: false,
            allow_insecure_http: false,
            service_user: None,
        }
    }

    fn of(kind: &str, base: Option<&str>) -> Result<Serving, String> {
        serving(catalog::lookup(kind).unwrap(), &connector(kind, base))
    }

    #[test]
    fn every_catalog_type_is_served_or_named_as_skipped() {
        for spec in catalog::all() {
            let base = spec.default_base_url.or(Some("https://host.test"));
            match serving(spec, &connector(spec.id, base)) {
                Ok(s) => {
                    let expected = if spec.id == "anthropic" {
                        Wire::Anthropic
                    } else {
                        Wire::OpenAi
                    };
                    assert_eq!(s.wire, expected, "{}", spec.id);
                }
                Err(why) => {
                    assert!(
                        ["gemini", "cohere", "aleph-alpha", "perplexity"].contains(&spec.id),
                        "{} skipped: {why}",
                        spec.id
                    );
                }
            }
        }
    }

    #[test]
    fn openai_compatible_types_keep_their_base_and_auth() {
        let groq = of("groq", None).unwrap();
        assert_eq!(groq.base_url, "https://api.groq.com/openai/v1");
        assert_eq!(groq.auth, AuthStyle::Bearer);
        let mistral = of("mistral", Some("http://127.0.0.1:9/v1/")).unwrap();
        assert_eq!(mistral.base_url, "http://127.0.0.1:9/v1");
        let claude = of("anthropic", None).unwrap();
        assert_eq!(claude.auth, AuthStyle::XApiKey);
    }

    #[test]
    fn ollama_and_azure_use_their_openai_compatible_apis() {
        assert_eq!(
            of("ollama", None).unwrap().base_url,
            "http://127.0.0.1:11434/v1"
        );
        assert_eq!(
            of("ollama", Some("http://127.0.0.1:9/v1"))
                .unwrap()
                .base_url,
            "http://127.0.0.1:9/v1"
        );
        let azure = of("azure-openai", Some("https://res.openai.azure.com")).unwrap();
        assert_eq!(azure.base_url, "https://res.openai.azure.com/openai/v1");
        assert_eq!(azure.auth, AuthStyle::AzureApiKey);
        assert_eq!(azure.model.as_deref(), Some("m"));
        let mut c = connector("azure-openai", Some("https://res.openai.azure.com/openai/"));
        c.options.insert("deployment".into(), "my-nano".into());
        let azure = serving(catalog::lookup("azure-openai").unwrap(), &c).unwrap();
        assert_eq!(azure.base_url, "https://res.openai.azure.com/openai/v1");
        assert_eq!(azure.model.as_deref(), Some("my-nano"));
    }

    #[test]
    fn other_native_wires_are_skipped_with_a_reason() {
        let why = of("gemini", None).unwrap_err();
        assert!(why.contains("Gemini"), "{why}");
        assert!(of("cohere", None).is_err());
        assert!(of("perplexity", None).is_err());
    }
}
