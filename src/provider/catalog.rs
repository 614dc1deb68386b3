//! The provider catalog as data: one row per provider type.

/// One provider type.
#[derive(Debug)]
pub struct ProviderSpec {
    /// The type name used on the command line (`openai`, `azure-openai`, …).
    pub id: &'static str,
    pub display_name: &'static str,
    /// Prefixes its keys start with; empty when keys have no reliable prefix.
    pub key_prefixes: &'static [&'static str],
    /// Environment variables that tools read this provider's key from, the conventional one
    /// first (`byok env` / `byok exec` export the key under each of them).
    pub key_env_vars: &'static [&'static str],
}

const fn spec(
    id: &'static str,
    display_name: &'static str,
    key_prefixes: &'static [&'static str],
    key_env_vars: &'static [&'static str],
) -> ProviderSpec {
    ProviderSpec {
        id,
        display_name,
        key_prefixes,
        key_env_vars,
    }
}

// Key variables: /work/shared/providers.md §1; openai-compatible servers are usually driven
// through the OpenAI SDKs, which read OPENAI_API_KEY.
static PROVIDERS: &[ProviderSpec] = &[
    spec("openai", "OpenAI", &["sk-"], &["OPENAI_API_KEY"]),
    spec(
        "anthropic",
        "Anthropic",
        &["sk-ant-"],
        &["ANTHROPIC_API_KEY"],
    ),
    spec(
        "gemini",
        "Google Gemini",
        &["AIza", "AQ."],
        &["GEMINI_API_KEY", "GOOGLE_API_KEY"],
    ),
    spec("mistral", "Mistral AI", &[], &["MISTRAL_API_KEY"]),
    spec(
        "azure-openai",
        "Azure OpenAI",
        &[],
        &["AZURE_OPENAI_API_KEY"],
    ),
    spec("ollama", "Ollama", &[], &["OLLAMA_API_KEY"]),
    spec("lmstudio", "LM Studio", &[], &["LM_API_TOKEN"]),
    spec("vllm", "vLLM", &[], &["VLLM_API_KEY"]),
    spec("xai", "xAI", &["xai-"], &["XAI_API_KEY"]),
    spec(
        "perplexity",
        "Perplexity",
        &["pplx-"],
        &["PERPLEXITY_API_KEY"],
    ),
    spec("cohere", "Cohere", &[], &["CO_API_KEY"]),
    spec("aleph-alpha", "Aleph Alpha", &[], &["AA_TOKEN"]),
    spec("novita", "Novita AI", &[], &["NOVITA_API_KEY"]),
    spec("groq", "Groq", &["gsk_"], &["GROQ_API_KEY"]),
    spec("deepseek", "DeepSeek", &["sk-"], &["DEEPSEEK_API_KEY"]),
    spec(
        "openrouter",
        "OpenRouter",
        &["sk-or-"],
        &["OPENROUTER_API_KEY"],
    ),
    spec("together", "Together AI", &[], &["TOGETHER_API_KEY"]),
    spec(
        "fireworks",
        "Fireworks AI",
        &["fw_"],
        &["FIREWORKS_API_KEY"],
    ),
    spec(
        "openai-compatible",
        "OpenAI-compatible",
        &[],
        &["OPENAI_API_KEY"],
    ),
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
