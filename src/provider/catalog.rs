//! The provider catalog, as data: one [`ProviderSpec`] per supported provider
//! type. Facts come from the official SDKs/docs where possible; see the shared
//! provider notes for sources and confidence.
//!
//! This is the one source of provider facts: `env`/`exec` export `key_env_vars`,
//! `import` recognises those plus `import_env_aliases` and `short_names`
//! ([`by_env_var`], [`by_short_name`]), masking uses [`all_key_prefixes`], and key-shape
//! warnings come from [`key_shape_warning`]. Add a spelling here, not next to its user.
//!
//! `default_base_url` is the value the official SDK takes as its base URL:
//! OpenAI-style hosts up to and including `/v1`, Anthropic/Cohere/Perplexity/Ollama
//! the bare root, Gemini up to `/v1beta`, Azure the resource endpoint. It is `None`
//! where the user must supply `--base-url`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::provider::wire::WireFormat;

/// How the key is presented to the provider. Local servers use [`AuthStyle::Bearer`]
/// and simply send nothing when no key is configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthStyle {
    /// `Authorization: Bearer <key>`.
    Bearer,
    /// `x-api-key: <key>` (Anthropic).
    XApiKey,
    /// `x-goog-api-key: <key>` (Gemini).
    XGoogApiKey,
    /// `api-key: <key>` (Azure OpenAI).
    AzureApiKey,
}

impl AuthStyle {
    /// Name of the header carrying the key.
    pub fn header_name(&self) -> &'static str {
        match self {
            AuthStyle::Bearer => "authorization",
            AuthStyle::XApiKey => "x-api-key",
            AuthStyle::XGoogApiKey => "x-goog-api-key",
            AuthStyle::AzureApiKey => "api-key",
        }
    }
}

/// Static description of one provider type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProviderSpec {
    /// Stable id used in config files and on the command line.
    pub id: &'static str,
    /// Human name.
    pub display_name: &'static str,
    /// Request/response dialect.
    pub wire: WireFormat,
    /// SDK-style base URL; `None` means `--base-url` is required.
    pub default_base_url: Option<&'static str>,
    /// Where the key goes.
    pub auth: AuthStyle,
    /// Key variables `env`/`exec` export, primary first.
    pub key_env_vars: &'static [&'static str],
    /// Other names tools use for this provider's key: recognised by `import`, never
    /// exported (exporting every spelling would clutter a child's environment).
    pub import_env_aliases: &'static [&'static str],
    /// Short names other tools use for this provider (`llm` key names, aichat client
    /// types), besides the id; lower-case with `-`, see [`by_short_name`].
    pub short_names: &'static [&'static str],
    /// Variable that conventionally overrides the base URL with the same meaning as
    /// `default_base_url`.
    pub base_url_env_var: Option<&'static str>,
    /// Every known key prefix, longest first; used for masking, redaction and key-shape
    /// warnings. Empty = keys have no prefix.
    pub key_prefixes: &'static [&'static str],
    /// Whether every valid key starts with one of `key_prefixes`. False where keys without
    /// one are still valid (Gemini is changing formats, Together has older hex keys): then
    /// the prefixes only help masking and never trigger a warning.
    pub key_prefix_required: bool,
    /// A cheap model for the probe; empty when there is no universal one (local
    /// servers, custom hosts): pick from the model list instead.
    pub default_model: &'static str,
    /// Output-token cap for the probe. 16 where reasoning models may spend hidden
    /// tokens (the answer may be empty but the key is proven) or the API floors at
    /// 16; 8 where thinking is strictly opt-in (Anthropic) or absent (Aleph Alpha).
    pub probe_max_tokens: u32,
    /// Local server: a key is optional.
    pub local: bool,
    /// Model-list endpoint relative to the base URL, if any.
    pub models_path: Option<&'static str>,
    /// Adapter options applied unless the connector overrides them.
    pub default_options: &'static [(&'static str, &'static str)],
}

impl ProviderSpec {
    /// Whether the user must give a base URL.
    pub fn requires_base_url(&self) -> bool {
        self.default_base_url.is_none()
    }

    /// Default options merged with the connector's own (connector wins).
    pub fn options_with(&self, overrides: &BTreeMap<String, String>) -> BTreeMap<String, String> {
        let mut out: BTreeMap<String, String> = self
            .default_options
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        out.extend(overrides.iter().map(|(k, v)| (k.clone(), v.clone())));
        out
    }
}

const OPENAI_MODELS: Option<&str> = Some("/models");

/// Every supported provider type.
pub static PROVIDERS: &[ProviderSpec] = &[
    ProviderSpec {
        id: "openai",
        display_name: "OpenAI",
        wire: WireFormat::OpenAiChat,
        default_base_url: Some("https://api.openai.com/v1"),
        auth: AuthStyle::Bearer,
        key_env_vars: &["OPENAI_API_KEY"],
        import_env_aliases: &[],
        short_names: &[],
        base_url_env_var: Some("OPENAI_BASE_URL"),
        key_prefixes: &["sk-svcacct-", "sk-admin-", "sk-proj-", "sk-None-", "sk-"],
        key_prefix_required: true,
        default_model: "gpt-4.1-nano",
        probe_max_tokens: 16,
        local: false,
        models_path: OPENAI_MODELS,
        // o-series/GPT-5 reject `max_tokens`.
        default_options: &[("max_tokens_field", "max_completion_tokens")],
    },
    ProviderSpec {
        id: "anthropic",
        display_name: "Anthropic",
        wire: WireFormat::AnthropicMessages,
        default_base_url: Some("https://api.anthropic.com"),
        auth: AuthStyle::XApiKey,
        // ANTHROPIC_AUTH_TOKEN is a Bearer token, not an x-api-key, so it is not listed.
        key_env_vars: &["ANTHROPIC_API_KEY"],
        import_env_aliases: &["CLAUDE_API_KEY"],
        short_names: &["claude"],
        base_url_env_var: Some("ANTHROPIC_BASE_URL"),
        key_prefixes: &["sk-ant-admin01-", "sk-ant-api03-", "sk-ant-"],
        key_prefix_required: true,
        default_model: "claude-haiku-4-5",
        probe_max_tokens: 8,
        local: false,
        models_path: Some("/v1/models"),
        default_options: &[],
    },
    ProviderSpec {
        id: "gemini",
        display_name: "Google Gemini",
        wire: WireFormat::GeminiGenerateContent,
        default_base_url: Some("https://generativelanguage.googleapis.com/v1beta"),
        auth: AuthStyle::XGoogApiKey,
        key_env_vars: &["GEMINI_API_KEY", "GOOGLE_API_KEY"],
        import_env_aliases: &["GOOGLE_GENERATIVE_AI_API_KEY"],
        short_names: &["google", "google-ai", "gemini-api"],
        base_url_env_var: None,
        // AIza… keys are being replaced by AQ./IQ. keys: no prefix is required.
        key_prefixes: &["AIza", "AQ.", "IQ."],
        key_prefix_required: false,
        default_model: "gemini-flash-lite-latest",
        probe_max_tokens: 16,
        local: false,
        models_path: Some("/models"),
        default_options: &[],
    },
    ProviderSpec {
        id: "mistral",
        display_name: "Mistral AI",
        wire: WireFormat::OpenAiChat,
        default_base_url: Some("https://api.mistral.ai/v1"),
        auth: AuthStyle::Bearer,
        key_env_vars: &["MISTRAL_API_KEY"],
        import_env_aliases: &[],
        short_names: &["mistralai", "mistral-ai"],
        base_url_env_var: None,
        key_prefixes: &[],
        key_prefix_required: false,
        default_model: "mistral-small-latest",
        probe_max_tokens: 16,
        local: false,
        models_path: OPENAI_MODELS,
        default_options: &[],
    },
    ProviderSpec {
        id: "azure-openai",
        display_name: "Azure OpenAI",
        wire: WireFormat::AzureDeployments,
        default_base_url: None,
        auth: AuthStyle::AzureApiKey,
        key_env_vars: &["AZURE_OPENAI_API_KEY"],
        import_env_aliases: &["AZURE_OPENAI_KEY"],
        short_names: &["azure", "azureopenai"],
        base_url_env_var: Some("AZURE_OPENAI_ENDPOINT"),
        key_prefixes: &[],
        key_prefix_required: false,
        // Used as the deployment name unless the `deployment` option is set.
        default_model: "gpt-4.1-nano",
        probe_max_tokens: 16,
        local: false,
        // No key-scoped list proves a deployment exists.
        models_path: None,
        default_options: &[("api-version", "2024-10-21")],
    },
    ProviderSpec {
        id: "ollama",
        display_name: "Ollama",
        wire: WireFormat::OllamaChat,
        default_base_url: Some("http://127.0.0.1:11434"),
        auth: AuthStyle::Bearer,
        key_env_vars: &["OLLAMA_API_KEY"],
        import_env_aliases: &[],
        short_names: &[],
        base_url_env_var: Some("OLLAMA_HOST"),
        key_prefixes: &[],
        key_prefix_required: false,
        default_model: "",
        probe_max_tokens: 16,
        local: true,
        models_path: Some("/api/tags"),
        default_options: &[],
    },
    ProviderSpec {
        id: "lmstudio",
        display_name: "LM Studio",
        wire: WireFormat::OpenAiChat,
        default_base_url: Some("http://localhost:1234/v1"),
        auth: AuthStyle::Bearer,
        key_env_vars: &["LM_API_TOKEN"],
        import_env_aliases: &["LMSTUDIO_API_KEY", "LM_STUDIO_API_KEY"],
        short_names: &["lm-studio"],
        base_url_env_var: None,
        key_prefixes: &[],
        key_prefix_required: false,
        default_model: "",
        probe_max_tokens: 16,
        local: true,
        models_path: OPENAI_MODELS,
        default_options: &[],
    },
    ProviderSpec {
        id: "vllm",
        display_name: "vLLM",
        wire: WireFormat::OpenAiChat,
        default_base_url: Some("http://localhost:8000/v1"),
        auth: AuthStyle::Bearer,
        key_env_vars: &["VLLM_API_KEY"],
        import_env_aliases: &[],
        short_names: &[],
        base_url_env_var: None,
        key_prefixes: &[],
        key_prefix_required: false,
        default_model: "",
        probe_max_tokens: 16,
        local: true,
        models_path: OPENAI_MODELS,
        default_options: &[],
    },
    ProviderSpec {
        id: "xai",
        display_name: "xAI (Grok)",
        wire: WireFormat::OpenAiChat,
        default_base_url: Some("https://api.x.ai/v1"),
        auth: AuthStyle::Bearer,
        key_env_vars: &["XAI_API_KEY"],
        import_env_aliases: &["GROK_API_KEY"],
        short_names: &["grok", "x-ai"],
        base_url_env_var: None,
        key_prefixes: &["xai-"],
        key_prefix_required: true,
        default_model: "grok-4.20-non-reasoning",
        probe_max_tokens: 16,
        local: false,
        models_path: OPENAI_MODELS,
        default_options: &[],
    },
    ProviderSpec {
        id: "perplexity",
        display_name: "Perplexity",
        wire: WireFormat::PerplexityAgent,
        default_base_url: Some("https://api.perplexity.ai"),
        auth: AuthStyle::Bearer,
        key_env_vars: &["PERPLEXITY_API_KEY", "PERPLEXITYAI_API_KEY"],
        import_env_aliases: &["PPLX_API_KEY"],
        short_names: &["pplx"],
        base_url_env_var: None,
        key_prefixes: &["pplx-"],
        key_prefix_required: true,
        default_model: "perplexity/sonar",
        probe_max_tokens: 16,
        local: false,
        models_path: Some("/v1/models"),
        default_options: &[],
    },
    ProviderSpec {
        id: "cohere",
        display_name: "Cohere",
        wire: WireFormat::CohereChat,
        default_base_url: Some("https://api.cohere.com"),
        auth: AuthStyle::Bearer,
        key_env_vars: &["CO_API_KEY", "COHERE_API_KEY"],
        import_env_aliases: &[],
        short_names: &["co"],
        base_url_env_var: Some("CO_API_URL"),
        key_prefixes: &[],
        key_prefix_required: false,
        default_model: "command-r7b-12-2024",
        probe_max_tokens: 16,
        local: false,
        models_path: Some("/v1/models"),
        default_options: &[],
    },
    ProviderSpec {
        id: "aleph-alpha",
        display_name: "Aleph Alpha",
        wire: WireFormat::AlephAlphaComplete,
        default_base_url: None,
        auth: AuthStyle::Bearer,
        key_env_vars: &["AA_TOKEN", "ALEPH_ALPHA_API_KEY"],
        import_env_aliases: &["ALEPHALPHA_API_KEY"],
        short_names: &["aleph", "alephalpha"],
        base_url_env_var: None,
        key_prefixes: &[],
        key_prefix_required: false,
        default_model: "pharia-1-llm-7b-control",
        probe_max_tokens: 8,
        local: false,
        models_path: None,
        default_options: &[],
    },
    ProviderSpec {
        id: "novita",
        display_name: "Novita AI",
        wire: WireFormat::OpenAiChat,
        default_base_url: Some("https://api.novita.ai/openai/v1"),
        auth: AuthStyle::Bearer,
        key_env_vars: &["NOVITA_API_KEY"],
        import_env_aliases: &[],
        short_names: &["novita-ai", "novitaai"],
        base_url_env_var: None,
        key_prefixes: &["sk_"],
        key_prefix_required: true,
        default_model: "meta-llama/llama-3.1-8b-instruct",
        probe_max_tokens: 16,
        local: false,
        models_path: OPENAI_MODELS,
        default_options: &[],
    },
    ProviderSpec {
        id: "groq",
        display_name: "Groq",
        wire: WireFormat::OpenAiChat,
        default_base_url: Some("https://api.groq.com/openai/v1"),
        auth: AuthStyle::Bearer,
        key_env_vars: &["GROQ_API_KEY"],
        import_env_aliases: &[],
        short_names: &[],
        // groq-python reads GROQ_BASE_URL as the bare host (it appends /openai/v1),
        // which is not this catalog's base URL, so it is not offered.
        base_url_env_var: None,
        key_prefixes: &["gsk_"],
        key_prefix_required: true,
        default_model: "llama-3.1-8b-instant",
        probe_max_tokens: 16,
        local: false,
        models_path: OPENAI_MODELS,
        default_options: &[],
    },
    ProviderSpec {
        id: "deepseek",
        display_name: "DeepSeek",
        wire: WireFormat::OpenAiChat,
        default_base_url: Some("https://api.deepseek.com"),
        auth: AuthStyle::Bearer,
        key_env_vars: &["DEEPSEEK_API_KEY"],
        import_env_aliases: &[],
        short_names: &[],
        base_url_env_var: None,
        key_prefixes: &["sk-"],
        key_prefix_required: true,
        default_model: "deepseek-v4-flash",
        probe_max_tokens: 16,
        local: false,
        models_path: OPENAI_MODELS,
        // V4 thinks by default; turning it off keeps the probe cheap and visible.
        default_options: &[("thinking", "disabled")],
    },
    ProviderSpec {
        id: "openrouter",
        display_name: "OpenRouter",
        wire: WireFormat::OpenAiChat,
        default_base_url: Some("https://openrouter.ai/api/v1"),
        auth: AuthStyle::Bearer,
        key_env_vars: &["OPENROUTER_API_KEY"],
        import_env_aliases: &[],
        short_names: &[],
        base_url_env_var: None,
        key_prefixes: &["sk-or-v1-", "sk-or-"],
        key_prefix_required: true,
        default_model: "openai/gpt-4o-mini",
        probe_max_tokens: 16,
        local: false,
        models_path: OPENAI_MODELS,
        default_options: &[],
    },
    ProviderSpec {
        id: "together",
        display_name: "Together AI",
        wire: WireFormat::OpenAiChat,
        default_base_url: Some("https://api.together.xyz/v1"),
        auth: AuthStyle::Bearer,
        key_env_vars: &["TOGETHER_API_KEY"],
        import_env_aliases: &["TOGETHERAI_API_KEY", "TOGETHER_AI_API_KEY"],
        short_names: &["togetherai", "together-ai"],
        base_url_env_var: Some("TOGETHER_BASE_URL"),
        // New keys are tgp_v1_…, but older hex keys may still be valid.
        key_prefixes: &["tgp_v1_"],
        key_prefix_required: false,
        default_model: "meta-llama/Llama-3.2-3B-Instruct-Turbo",
        probe_max_tokens: 16,
        local: false,
        models_path: OPENAI_MODELS,
        default_options: &[],
    },
    ProviderSpec {
        id: "fireworks",
        display_name: "Fireworks AI",
        wire: WireFormat::OpenAiChat,
        default_base_url: Some("https://api.fireworks.ai/inference/v1"),
        auth: AuthStyle::Bearer,
        key_env_vars: &["FIREWORKS_API_KEY"],
        import_env_aliases: &["FIREWORKS_AI_API_KEY"],
        short_names: &["fireworks-ai", "fireworksai"],
        base_url_env_var: None,
        key_prefixes: &["fw_"],
        key_prefix_required: true,
        default_model: "accounts/fireworks/models/gpt-oss-20b",
        probe_max_tokens: 16,
        local: false,
        // Exists, but 500s for accounts without deployments: don't treat 5xx as a bad key.
        models_path: OPENAI_MODELS,
        default_options: &[],
    },
    ProviderSpec {
        id: "openai-compatible",
        display_name: "OpenAI-compatible server",
        wire: WireFormat::OpenAiChat,
        default_base_url: None,
        auth: AuthStyle::Bearer,
        key_env_vars: &[],
        import_env_aliases: &[],
        short_names: &[],
        base_url_env_var: None,
        key_prefixes: &[],
        key_prefix_required: false,
        default_model: "",
        probe_max_tokens: 16,
        local: false,
        models_path: OPENAI_MODELS,
        default_options: &[],
    },
];

/// Finds a provider type by id (exact, lower-case).
pub fn lookup(id: &str) -> Option<&'static ProviderSpec> {
    PROVIDERS.iter().find(|p| p.id == id)
}

/// All provider types, in display order.
pub fn all() -> &'static [ProviderSpec] {
    PROVIDERS
}

/// All provider ids, in display order.
pub fn ids() -> impl Iterator<Item = &'static str> {
    PROVIDERS.iter().map(|p| p.id)
}

/// Finds the provider whose key an environment variable holds: an exported
/// `key_env_vars` entry or an import-only alias, case-insensitively.
pub fn by_env_var(name: &str) -> Option<&'static ProviderSpec> {
    PROVIDERS.iter().find(|p| {
        p.key_env_vars
            .iter()
            .chain(p.import_env_aliases)
            .any(|v| v.eq_ignore_ascii_case(name))
    })
}

/// Finds a provider by its id or one of its `short_names`. Case-insensitive, `_` and `-`
/// are interchangeable, surrounding blanks are ignored (`Azure_OpenAI` → `azure-openai`).
pub fn by_short_name(name: &str) -> Option<&'static ProviderSpec> {
    let norm = name.trim().to_ascii_lowercase().replace('_', "-");
    PROVIDERS
        .iter()
        .find(|p| p.id == norm || p.short_names.contains(&norm.as_str()))
}

/// Every known key prefix of every provider, once each, longest first (so the most
/// specific one matches first: `sk-ant-` before `sk-`).
pub fn all_key_prefixes() -> &'static [&'static str] {
    static ALL: OnceLock<Vec<&'static str>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut all: Vec<&'static str> = PROVIDERS
            .iter()
            .flat_map(|p| p.key_prefixes.iter().copied())
            .collect();
        all.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        all.dedup();
        all
    })
}

/// Whether another provider claims `value` by a longer, more specific prefix than any of
/// `spec`'s own (an `sk-ant-…` value is Anthropic's, not OpenAI's or DeepSeek's). The
/// inner value names that provider when its prefix is no one else's (`sk-` is shared).
fn claimed_by_other(spec: &ProviderSpec, value: &str) -> Option<Option<&'static ProviderSpec>> {
    let own = spec
        .key_prefixes
        .iter()
        .filter(|p| value.starts_with(**p))
        .map(|p| p.len())
        .max()
        .unwrap_or(0);
    let prefix = all_key_prefixes()
        .iter()
        .find(|p| p.len() > own && value.starts_with(**p) && !spec.key_prefixes.contains(p))?;
    let mut owners = PROVIDERS.iter().filter(|o| o.key_prefixes.contains(prefix));
    Some(match (owners.next(), owners.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    })
}

/// Whether `value` plausibly is a key for `spec`: not empty, no whitespace, one of
/// the known prefixes (where one is required), and not a more specific prefix of
/// *another* provider (an `sk-ant-…` key is not an OpenAI key even though it starts `sk-`).
pub fn looks_like_key(spec: &ProviderSpec, value: &str) -> bool {
    key_shape_problem(spec, value).is_none()
}

/// Why `value` does not look like a key for `spec`, if it does not.
enum ShapeProblem {
    Empty,
    Blank,
    Prefix(Option<&'static ProviderSpec>),
}

fn key_shape_problem(spec: &ProviderSpec, value: &str) -> Option<ShapeProblem> {
    if value.is_empty() {
        return Some(ShapeProblem::Empty);
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some(ShapeProblem::Blank);
    }
    if !spec.key_prefix_required {
        return None;
    }
    let own = spec.key_prefixes.iter().any(|p| value.starts_with(*p));
    match claimed_by_other(spec, value) {
        Some(other) => Some(ShapeProblem::Prefix(other)),
        None if !own => Some(ShapeProblem::Prefix(None)),
        None => None,
    }
}

/// The prefixes worth naming to a user: those not already covered by a shorter one of
/// the same provider (OpenAI: `sk-`, not `sk-proj-`, `sk-svcacct-`, …), shortest first.
fn family_prefixes(spec: &ProviderSpec) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = spec
        .key_prefixes
        .iter()
        .copied()
        .filter(|p| {
            !spec
                .key_prefixes
                .iter()
                .any(|q| q.len() < p.len() && p.starts_with(*q))
        })
        .collect();
    out.sort_by_key(|p| p.len());
    out
}

/// The warning `secret add` and `import` print when `value` does not look like a key for
/// `spec` (see [`looks_like_key`]), e.g. `this does not look like an API key for
/// Anthropic (those start with sk-ant-)`; `None` when it does. Never quotes the value.
pub fn key_shape_warning(spec: &ProviderSpec, value: &str) -> Option<String> {
    let why = match key_shape_problem(spec, value)? {
        ShapeProblem::Empty => "it is empty".to_owned(),
        ShapeProblem::Blank => "it contains spaces or control characters".to_owned(),
        ShapeProblem::Prefix(other) => {
            let families = family_prefixes(spec);
            let mut why = match families.split_last() {
                Some((last, [])) => format!("those start with {last}"),
                Some((last, rest)) => format!("those start with {} or {last}", rest.join(", ")),
                None => "its keys have a different shape".to_owned(),
            };
            if let Some(other) = other {
                why.push_str(&format!(
                    "; this looks like a key for {}",
                    other.display_name
                ));
            }
            why
        }
    };
    Some(format!(
        "this does not look like an API key for {} ({why})",
        spec.display_name
    ))
}

/// What a key can do, as far as its shape tells: a plain key, or one with wider rights
/// (an organisation's admin key) that byok never hands to a program unless asked to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// Organisation administration (OpenAI `sk-admin-`, Anthropic `sk-ant-admin01-`): it
    /// manages users, keys and billing, and cannot make model requests.
    Admin,
    /// An OpenAI service-account key (`sk-svcacct-`): a project key not tied to a person.
    ServiceAccount,
    /// An OpenAI project key (`sk-proj-`).
    Project,
    /// A Google "auth" key (`AQ.`, `IQ.`): bound to a service account, replacing `AIza`.
    Auth,
    /// A standard key of its provider (Anthropic `sk-ant-api03-`, Google `AIza`).
    Standard,
}

impl KeyKind {
    /// The name `secret list` shows in its KIND column and `--json` prints.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::Admin => "admin",
            KeyKind::ServiceAccount => "service-account",
            KeyKind::Project => "project",
            KeyKind::Auth => "auth",
            KeyKind::Standard => "standard",
        }
    }

    /// Whether this kind is kept from programs unless named with `--allow-admin`.
    pub fn is_admin(self) -> bool {
        self == KeyKind::Admin
    }
}

/// Key kinds by prefix: (provider id, prefix, kind), longest prefix first within a
/// provider. Every prefix is one of that provider's `key_prefixes` (a test checks it).
/// Sources: /work/shared/providers.md §2.1–2.3 (gitleaks/trufflehog rules, Google's
/// 2026 key change).
pub const KEY_KINDS: &[(&str, &str, KeyKind)] = &[
    ("openai", "sk-admin-", KeyKind::Admin),
    ("openai", "sk-svcacct-", KeyKind::ServiceAccount),
    ("openai", "sk-proj-", KeyKind::Project),
    ("anthropic", "sk-ant-admin01-", KeyKind::Admin),
    ("anthropic", "sk-ant-api03-", KeyKind::Standard),
    ("gemini", "AQ.", KeyKind::Auth),
    ("gemini", "IQ.", KeyKind::Auth),
    ("gemini", "AIza", KeyKind::Standard),
];

/// The kind of `value` by its shape alone (a provider hint is not trusted for this: an
/// admin key stored under the wrong provider is still an admin key); `None` when the
/// shape says nothing.
pub fn key_kind(value: &str) -> Option<KeyKind> {
    KEY_KINDS
        .iter()
        .filter(|(_, prefix, _)| value.starts_with(prefix))
        .max_by_key(|(_, prefix, _)| prefix.len())
        .map(|&(_, _, kind)| kind)
}

/// The provider whose key kind table claims `value`'s prefix, if any.
pub fn key_kind_provider(value: &str) -> Option<&'static ProviderSpec> {
    KEY_KINDS
        .iter()
        .filter(|(_, prefix, _)| value.starts_with(prefix))
        .max_by_key(|(_, prefix, _)| prefix.len())
        .and_then(|(id, _, _)| lookup(id))
}

/// The provider a key's shape points at, for guessing `--provider`: the kind table first,
/// then a required prefix that only one provider uses (`xai-`, `gsk_`, …). `None` when the
/// shape is shared (`sk-`) or unknown.
pub fn guess_provider(value: &str) -> Option<&'static ProviderSpec> {
    if let Some(spec) = key_kind_provider(value) {
        return Some(spec);
    }
    let prefix = all_key_prefixes().iter().find(|p| value.starts_with(**p))?;
    let mut owners = PROVIDERS.iter().filter(|o| o.key_prefixes.contains(prefix));
    match (owners.next(), owners.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use secrecy::SecretString;

    use super::*;
    use crate::provider::wire::{self, RequestContext};

    const EXPECTED_IDS: [&str; 19] = [
        "openai",
        "anthropic",
        "gemini",
        "mistral",
        "azure-openai",
        "ollama",
        "lmstudio",
        "vllm",
        "xai",
        "perplexity",
        "cohere",
        "aleph-alpha",
        "novita",
        "groq",
        "deepseek",
        "openrouter",
        "together",
        "fireworks",
        "openai-compatible",
    ];

    #[test]
    fn ids_are_exactly_the_expected_set() {
        let got: Vec<_> = ids().collect();
        assert_eq!(got, EXPECTED_IDS);
        assert_eq!(all().len(), EXPECTED_IDS.len());
        let unique: BTreeSet<_> = got.iter().collect();
        assert_eq!(unique.len(), got.len());
    }

    #[test]
    fn lookup_finds_and_misses() {
        assert_eq!(lookup("gemini").unwrap().display_name, "Google Gemini");
        assert_eq!(
            lookup("cohere").unwrap().key_env_vars,
            ["CO_API_KEY", "COHERE_API_KEY"]
        );
        assert!(lookup("OpenAI").is_none());
        assert!(lookup("nope").is_none());
    }

    #[test]
    fn base_url_rules() {
        for id in ["azure-openai", "aleph-alpha", "openai-compatible"] {
            assert!(lookup(id).unwrap().requires_base_url(), "{id}");
        }
        for spec in all() {
            if let Some(url) = spec.default_base_url {
                assert!(!url.ends_with('/'), "{}: trailing slash", spec.id);
                assert!(
                    url.starts_with("https://") || spec.local,
                    "{}: plain http",
                    spec.id
                );
            }
            if spec.wire == WireFormat::OpenAiChat
                && let Some(url) = spec.default_base_url
            {
                // OpenAI-style bases include the version (DeepSeek documents its root as the base).
                assert!(url.ends_with("/v1") || spec.id == "deepseek", "{}", spec.id);
            }
        }
        assert_eq!(
            lookup("gemini").unwrap().default_base_url,
            Some("https://generativelanguage.googleapis.com/v1beta")
        );
        assert_eq!(
            lookup("anthropic").unwrap().default_base_url,
            Some("https://api.anthropic.com")
        );
    }

    #[test]
    fn local_providers_are_the_three_servers() {
        let local: Vec<_> = all().iter().filter(|p| p.local).map(|p| p.id).collect();
        assert_eq!(local, ["ollama", "lmstudio", "vllm"]);
    }

    #[test]
    fn every_cloud_provider_with_a_default_host_has_a_model_and_key_var() {
        for spec in all() {
            if !spec.local && !spec.requires_base_url() {
                assert!(!spec.default_model.is_empty(), "{}", spec.id);
                assert!(!spec.key_env_vars.is_empty(), "{}", spec.id);
            }
            assert!(spec.probe_max_tokens >= 1 && spec.probe_max_tokens <= 16);
        }
    }

    /// The catalog's `auth` and `models_path` must match what the adapters actually build.
    #[test]
    fn catalog_agrees_with_adapters() {
        let key = SecretString::from("test-key-000000000000".to_string());
        for spec in all() {
            let base = spec.default_base_url.unwrap_or("http://127.0.0.1:9999/v1");
            let opts = spec.options_with(&BTreeMap::new());
            let ctx = RequestContext {
                base_url: base,
                model: "m",
                prompt: "Reply with 'ok'",
                max_tokens: spec.probe_max_tokens,
                key: Some(&key),
                options: &opts,
            };
            let chat = wire::build_chat(spec.wire, &ctx);
            let v = chat
                .header(spec.auth.header_name())
                .unwrap_or_else(|| panic!("{}: no {}", spec.id, spec.auth.header_name()));
            assert!(v.is_secret(), "{}", spec.id);
            assert!(!chat.url.contains("test-key"), "{}", spec.id);
            let models = wire::build_models(spec.wire, &ctx);
            match (spec.models_path, models) {
                (Some(path), Some(req)) => {
                    let url = req.url.split('?').next().unwrap().to_string();
                    assert_eq!(url, format!("{base}{path}"), "{}", spec.id);
                }
                (None, None) => {}
                (p, r) => panic!(
                    "{}: catalog {p:?} vs adapter {:?}",
                    spec.id,
                    r.map(|r| r.url)
                ),
            }
        }
    }

    #[test]
    fn openai_defaults_to_max_completion_tokens_and_overrides_win() {
        let spec = lookup("openai").unwrap();
        let mut over = BTreeMap::new();
        assert_eq!(
            spec.options_with(&over)
                .get("max_tokens_field")
                .map(String::as_str),
            Some("max_completion_tokens")
        );
        over.insert("max_tokens_field".to_string(), "max_tokens".to_string());
        assert_eq!(
            spec.options_with(&over)
                .get("max_tokens_field")
                .map(String::as_str),
            Some("max_tokens")
        );
    }

    #[test]
    fn env_vars() {
        assert_eq!(lookup("gemini").unwrap().key_env_vars[0], "GEMINI_API_KEY");
        assert_eq!(
            lookup("ollama").unwrap().base_url_env_var,
            Some("OLLAMA_HOST")
        );
        assert_eq!(
            lookup("azure-openai").unwrap().base_url_env_var,
            Some("AZURE_OPENAI_ENDPOINT")
        );
        assert_eq!(
            lookup("together").unwrap().base_url_env_var,
            Some("TOGETHER_BASE_URL")
        );
        assert_eq!(
            lookup("openai").unwrap().base_url_env_var,
            Some("OPENAI_BASE_URL")
        );
    }

    #[test]
    fn key_shape_warnings() {
        let openai = lookup("openai").unwrap();
        assert!(looks_like_key(
            openai,
            "sk-proj-test000000000000T3BlbkFJ000"
        ));
        assert!(!looks_like_key(openai, "sk-ant-api03-test"));
        assert!(!looks_like_key(openai, "sk-or-v1-test"));
        assert!(!looks_like_key(openai, "gsk_test0000"));
        assert!(!looks_like_key(openai, "sk-test with space"));
        assert!(!looks_like_key(openai, ""));
        let anthropic = lookup("anthropic").unwrap();
        assert!(looks_like_key(anthropic, "sk-ant-api03-test000AA"));
        assert!(!looks_like_key(anthropic, "sk-test-0000"));
        let openrouter = lookup("openrouter").unwrap();
        assert!(looks_like_key(openrouter, "sk-or-v1-0000"));
        let deepseek = lookup("deepseek").unwrap();
        assert!(looks_like_key(
            deepseek,
            "sk-0123456789abcdef0123456789abcdef"
        ));
        assert!(!looks_like_key(deepseek, "sk-or-v1-0000"));
        // No reliable prefix: anything non-blank passes.
        let gemini = lookup("gemini").unwrap();
        assert!(looks_like_key(gemini, "AQ.test-0000"));
        assert!(looks_like_key(gemini, "AIzaTest0000"));
        assert!(!looks_like_key(gemini, "AIza test\n"));
        assert!(looks_like_key(lookup("groq").unwrap(), "gsk_test0000"));
        assert!(!looks_like_key(lookup("groq").unwrap(), "sk-test0000"));
    }

    #[test]
    fn env_var_names_are_upper_case_and_belong_to_one_provider() {
        let mut seen = BTreeSet::new();
        for spec in all() {
            for var in spec.key_env_vars.iter().chain(spec.import_env_aliases) {
                assert_eq!(*var, var.to_ascii_uppercase(), "{}", spec.id);
                assert!(seen.insert(*var), "{var} listed twice");
                assert_eq!(by_env_var(var).map(|s| s.id), Some(spec.id), "{var}");
            }
        }
    }

    #[test]
    fn env_var_lookup_covers_exports_and_aliases() {
        let id = |v| by_env_var(v).map(|s| s.id);
        assert_eq!(id("LM_API_TOKEN"), Some("lmstudio"));
        assert_eq!(id("lm_api_token"), Some("lmstudio"));
        assert_eq!(id("LM_STUDIO_API_KEY"), Some("lmstudio"));
        assert_eq!(id("CLAUDE_API_KEY"), Some("anthropic"));
        assert_eq!(id("GROK_API_KEY"), Some("xai"));
        assert_eq!(id("PPLX_API_KEY"), Some("perplexity"));
        assert_eq!(id("TOGETHERAI_API_KEY"), Some("together"));
        assert_eq!(id("GOOGLE_API_KEY"), Some("gemini"));
        assert_eq!(id("ANTHROPIC_AUTH_TOKEN"), None);
        assert_eq!(id("MY_API_KEY"), None);
        // Aliases are for import only: env/exec export just `key_env_vars`.
        assert!(
            !lookup("anthropic")
                .unwrap()
                .key_env_vars
                .contains(&"CLAUDE_API_KEY")
        );
    }

    #[test]
    fn short_names_are_normalised_and_belong_to_one_provider() {
        let mut seen: BTreeSet<&str> = ids().collect();
        for spec in all() {
            for name in spec.short_names {
                assert_eq!(*name, name.to_ascii_lowercase().replace('_', "-"));
                assert!(seen.insert(*name), "{name} listed twice");
                assert_eq!(by_short_name(name).map(|s| s.id), Some(spec.id), "{name}");
            }
        }
        let id = |n| by_short_name(n).map(|s| s.id);
        assert_eq!(id("claude"), Some("anthropic"));
        assert_eq!(id(" Azure_OpenAI "), Some("azure-openai"));
        assert_eq!(id("openai_compatible"), Some("openai-compatible"));
        assert_eq!(id("CO"), Some("cohere"));
        assert_eq!(id("moonshot"), None);
        assert_eq!(id(""), None);
    }

    #[test]
    fn key_prefixes_are_longest_first_and_complete() {
        for spec in all() {
            let lens: Vec<_> = spec.key_prefixes.iter().map(|p| p.len()).collect();
            assert!(lens.windows(2).all(|w| w[0] >= w[1]), "{}", spec.id);
            assert!(
                !spec.key_prefix_required || !spec.key_prefixes.is_empty(),
                "{}",
                spec.id
            );
        }
        let all = all_key_prefixes();
        assert!(all.windows(2).all(|w| w[0].len() >= w[1].len()), "{all:?}");
        let unique: BTreeSet<_> = all.iter().collect();
        assert_eq!(unique.len(), all.len(), "{all:?}");
        // Everything the three old lists (catalog, masking, redaction) knew.
        for p in [
            "sk-ant-admin01-",
            "sk-ant-api03-",
            "sk-or-v1-",
            "sk-svcacct-",
            "sk-admin-",
            "sk-proj-",
            "sk-ant-",
            "tgp_v1_",
            "sk-or-",
            "pplx-",
            "gsk_",
            "xai-",
            "AIza",
            "sk-",
            "sk_",
            "fw_",
            "AQ.",
        ] {
            assert!(all.contains(&p), "{p}");
        }
        assert_eq!(all.last().map(|p| p.len()), Some(3));
    }

    #[test]
    fn key_shape_warning_texts() {
        let warn = |id, v| key_shape_warning(lookup(id).unwrap(), v);
        assert_eq!(
            warn("anthropic", "sk-test-0000").as_deref(),
            Some("this does not look like an API key for Anthropic (those start with sk-ant-)")
        );
        assert_eq!(
            warn("openai", "sk-ant-api03-test").as_deref(),
            Some(
                "this does not look like an API key for OpenAI \
                 (those start with sk-; this looks like a key for Anthropic)"
            )
        );
        assert_eq!(
            warn("openrouter", "gsk_test0000").as_deref(),
            Some(
                "this does not look like an API key for OpenRouter \
                 (those start with sk-or-; this looks like a key for Groq)"
            )
        );
        assert_eq!(
            warn("gemini", "AIza test").as_deref(),
            Some(
                "this does not look like an API key for Google Gemini \
                 (it contains spaces or control characters)"
            )
        );
        assert_eq!(
            warn("mistral", "").as_deref(),
            Some("this does not look like an API key for Mistral AI (it is empty)")
        );
        assert_eq!(warn("openai", "sk-proj-test0000"), None);
        assert_eq!(warn("together", "0123456789abcdef"), None);
        let secret = "sk-test-secret-0000";
        for spec in all() {
            if let Some(w) = key_shape_warning(spec, secret) {
                assert!(!w.contains("secret"), "{w}");
            }
        }
    }

    #[test]
    fn key_kinds_follow_the_prefixes() {
        assert_eq!(key_kind("sk-admin-abcdefghijklmnop"), Some(KeyKind::Admin));
        assert_eq!(key_kind("sk-ant-admin01-abcdefgh"), Some(KeyKind::Admin));
        assert_eq!(
            key_kind("sk-svcacct-abcdefgh"),
            Some(KeyKind::ServiceAccount)
        );
        assert_eq!(key_kind("sk-proj-abcdefgh"), Some(KeyKind::Project));
        assert_eq!(key_kind("sk-ant-api03-abcdefgh"), Some(KeyKind::Standard));
        assert_eq!(key_kind("AQ.Ab8RN6abcdefgh"), Some(KeyKind::Auth));
        assert_eq!(key_kind("AIzaSyabcdefgh"), Some(KeyKind::Standard));
        assert_eq!(key_kind("sk-0123456789"), None);
        assert_eq!(key_kind("xsk-admin-abc"), None);
        assert!(key_kind("sk-admin-x").unwrap().is_admin());
        assert!(!KeyKind::Project.is_admin());
        for (id, prefix, _) in KEY_KINDS {
            let spec = lookup(id).unwrap();
            assert!(spec.key_prefixes.contains(prefix), "{id} {prefix}");
            assert_eq!(key_kind_provider(prefix).map(|s| s.id), Some(*id));
        }
    }

    #[test]
    fn provider_guesses_need_an_unshared_prefix() {
        let guess = |v: &str| guess_provider(v).map(|s| s.id);
        assert_eq!(guess("sk-ant-api03-abc"), Some("anthropic"));
        assert_eq!(guess("sk-proj-abc"), Some("openai"));
        assert_eq!(guess("AQ.abc"), Some("gemini"));
        assert_eq!(guess("xai-abc"), Some("xai"));
        assert_eq!(guess("gsk_abc"), Some("groq"));
        assert_eq!(guess("sk-or-v1-abc"), Some("openrouter"));
        assert_eq!(
            guess("sk-abc"),
            None,
            "sk- is shared by OpenAI and DeepSeek"
        );
        assert_eq!(guess("0123abcd"), None);
    }
}
