//! The providers' admin APIs: byok mints short-lived keys for one command
//! (`exec --ephemeral`), rotates stored keys at the provider (`secret rotate
//! --via-provider`) and retires old ones after a grace period.
//!
//! - [`api`]: one client for the three admin APIs (OpenAI, OpenRouter, Anthropic): check,
//!   mint, list, find, disable, enable, revoke — each call an audit entry made by its caller;
//! - [`record`]: the write-ahead record of every key byok makes (its intent is on disk before
//!   the provider is asked) and of every old key waiting for its grace period;
//! - [`sweep`]: revokes what a crashed or finished run left, and retires what is due;
//! - [`reconcile`]: the providers' usage per key against the ledger (`usage reconcile`).
//!
//! Only the commands that call a provider load this module's HTTP path.

pub mod api;
pub mod reconcile;
pub mod record;
pub mod sweep;

use std::time::{SystemTime, UNIX_EPOCH};

/// A provider with an admin API byok drives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    OpenAi,
    OpenRouter,
    Anthropic,
}

impl Provider {
    pub fn from_id(id: &str) -> Option<Self> {
        match id {
            "openai" => Some(Provider::OpenAi),
            "openrouter" => Some(Provider::OpenRouter),
            "anthropic" => Some(Provider::Anthropic),
            _ => None,
        }
    }

    /// The catalog id (`openai`, …).
    pub fn id(self) -> &'static str {
        match self {
            Provider::OpenAi => "openai",
            Provider::OpenRouter => "openrouter",
            Provider::Anthropic => "anthropic",
        }
    }

    pub fn display(self) -> &'static str {
        match self {
            Provider::OpenAi => "OpenAI",
            Provider::OpenRouter => "OpenRouter",
            Provider::Anthropic => "Anthropic",
        }
    }

    /// The admin API's base URL.
    pub fn default_base_url(self) -> &'static str {
        match self {
            Provider::OpenAi => "https://api.openai.com/v1",
            Provider::OpenRouter => "https://openrouter.ai/api/v1",
            Provider::Anthropic => "https://api.anthropic.com",
        }
    }

    /// Whether the API creates keys (Anthropic's does not: keys are made in the Console).
    pub fn can_mint(self) -> bool {
        !matches!(self, Provider::Anthropic)
    }

    /// Whether a key can be switched off and on again (OpenAI's can only be deleted).
    pub fn can_disable(self) -> bool {
        !matches!(self, Provider::OpenAi)
    }

    /// What the provider's API lets byok do, for `admin test` and the docs.
    pub fn capabilities(self) -> &'static [&'static str] {
        match self {
            Provider::OpenAi => &[
                "mint: a service account with its key, expiring at the provider",
                "revoke: delete the key or its service account (no pause: OpenAI keys cannot be disabled)",
                "find a stored key's id by its redacted value (prefix and last 4)",
            ],
            Provider::OpenRouter => &[
                "mint: a key with a dollar limit and an expiry",
                "disable and re-enable a key; delete it",
                "find a stored key's id (the SHA-256 of its value)",
            ],
            Provider::Anthropic => &[
                "no minting: Anthropic's API cannot create keys (make them in the Console)",
                "disable (inactive) and re-enable a key; archive it (for good)",
                "find a stored key's id by its hint (prefix and last 4)",
            ],
        }
    }
}

/// Why `url` cannot be an admin API's base URL, if it cannot: https, or http to loopback
/// (a local fake or gateway).
pub fn base_url_problem(url: &str) -> Option<&'static str> {
    let Ok(parsed) = url::Url::parse(url) else {
        return Some("is not a URL");
    };
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Some("must not hold credentials");
    }
    match parsed.scheme() {
        "https" => None,
        "http" if crate::net::is_loopback(&parsed) => None,
        "http" => Some("must be https (plain http only to a loopback address)"),
        _ => Some("must be an http(s) URL"),
    }
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `2026-12-05T10:00:00Z` for a Unix time.
pub fn rfc3339(unix: u64) -> String {
    humantime::format_rfc3339_seconds(UNIX_EPOCH + std::time::Duration::from_secs(unix)).to_string()
}

/// A Unix time from RFC 3339 text (`None` when it does not parse).
pub fn parse_time(text: &str) -> Option<u64> {
    humantime::parse_rfc3339_weak(text.trim_end_matches('Z').trim_end_matches("+00:00"))
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_https_or_loopback() {
        assert_eq!(base_url_problem("https://api.openai.com/v1"), None);
        assert_eq!(base_url_problem("http://127.0.0.1:8080/v1"), None);
        assert!(base_url_problem("http://example.com/v1").is_some());
        assert!(base_url_problem("https://u:p@example.com").is_some());
        assert!(base_url_problem("file:///etc").is_some());
    }

    #[test]
    fn times_round_trip() {
        let t = parse_time("2026-12-05T10:00:00Z").unwrap();
        assert_eq!(rfc3339(t), "2026-12-05T10:00:00Z");
        assert_eq!(parse_time("2026-12-05T10:00:00.123Z"), Some(t));
        assert_eq!(parse_time("2026-12-05T10:00:00+00:00"), Some(t));
        assert_eq!(parse_time("soon"), None);
    }
}
