//! The provider catalog as data: one row per provider type.

/// One provider type.
#[derive(Debug)]
pub struct ProviderSpec {
    /// The type name used on the command line (`openai`, `azure-openai`, …).
    pub id: &'static str,
    pub display_name: &'static str,
    /// Prefixes its keys start with; empty when keys have no reliable prefix.
    pub key_prefixes: &'static [&'static str],
}

const fn spec(
    id: &'static str,
    display_name: &'static str,
    key_prefixes: &'static [&'static str],
) -> ProviderSpec {
    ProviderSpec {
        id,
        display_name,
        key_prefixes,
    }
}

static PROVIDERS: &[ProviderSpec] = &[
    spec("openai", "OpenAI", &["sk-"]),
    spec("anthropic", "Anthropic", &["sk-ant-"]),
    spec("gemini", "Google Gemini", &["AIza", "AQ."]),
    spec("mistral", "Mistral AI", &[]),
    spec("azure-openai", "Azure OpenAI", &[]),
    spec("ollama", "Ollama", &[]),
    spec("lmstudio", "LM Studio", &[]),
    spec("vllm", "vLLM", &[]),
    spec("xai", "xAI", &["xai-"]),
    spec("perplexity", "Perplexity", &["pplx-"]),
    spec("cohere", "Cohere", &[]),
    spec("aleph-alpha", "Aleph Alpha", &[]),
    spec("novita", "Novita AI", &[]),
    spec("groq", "Groq", &["gsk_"]),
    spec("deepseek", "DeepSeek", &["sk-"]),
    spec("openrouter", "OpenRouter", &["sk-or-"]),
    spec("together", "Together AI", &[]),
    spec("fireworks", "Fireworks AI", &["fw_"]),
    spec("openai-compatible", "OpenAI-compatible", &[]),
];

/// Every provider type, in catalog order.
pub fn all() -> &'static [ProviderSpec] {
    PROVIDERS
}

/// The provider type named `id`.
pub fn lookup(id: &str) -> Option<&'static ProviderSpec> {
    PROVIDERS.iter().find(|p| p.id == id)
}

/// The type names, in catalog order.
pub fn ids() -> impl Iterator<Item = &'static str> {
    PROVIDERS.iter().map(|p| p.id)
}

/// Whether `value` looks like one of this provider's keys (always true without known prefixes).
pub fn looks_like_key(spec: &ProviderSpec, value: &str) -> bool {
    spec.key_prefixes.is_empty() || spec.key_prefixes.iter().any(|p| value.starts_with(p))
}
