//! Policy grants: `[[mcp.policy]]` rules in `config.toml` that answer agents' requests
//! without a person reading each one — but only once pinned with the identity.
//!
//! An agent running as the user can edit `config.toml`, so a rule there proves nothing. `byok
//! mcp policy pin` (the passphrase) records the rules' canonical form with an HMAC keyed from
//! the vault identity in `mcp-policy.pin`; a policy grant is made only by a process holding
//! the identity (`byok approve --policy`), which checks that `config.toml`'s rules are the
//! pinned ones, MAC and all. An unpinned or edited policy grants nothing. `byok mcp` itself
//! never verifies a pin (it has no identity) and never grants.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::request::{self, Request};
use crate::error::{Error, Result};
use crate::fsutil;

const FORMAT: u64 = 1;
const MAC_CONTEXT: &[u8] = b"byok mcp-policy.pin mac v1\0";
const MAX_RULES: usize = 32;

/// One `[[mcp.policy]]` rule: requests within all of its limits are granted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Model names or globs; a request's every glob must fall within one of them.
    pub models: Vec<String>,
    pub max_budget_usd_per_day: f64,
    /// A duration (`8h`).
    pub max_lifetime: String,
    /// Agent names or globs (self-reported by the agent); empty: any agent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agents: Vec<String>,
}

#[derive(Deserialize)]
struct ConfigDoc {
    #[serde(default)]
    mcp: Option<McpTable>,
}

#[derive(Deserialize)]
struct McpTable {
    #[serde(default)]
    policy: Vec<Rule>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PinFile {
    byok_mcp_policy_pin: u64,
    rules: Vec<Rule>,
    mac: String,
}

pub fn pin_path(home: &Path) -> PathBuf {
    home.join("mcp-policy.pin")
}

/// The rules of `config.toml`'s text, checked.
pub fn rules_of(config_text: &str) -> std::result::Result<Vec<Rule>, String> {
    let doc: ConfigDoc =
        toml::from_str(config_text).map_err(|e| format!("[[mcp.policy]]: {}", e.message()))?;
    let rules = doc.mcp.map(|m| m.policy).unwrap_or_default();
    if rules.len() > MAX_RULES {
        return Err(format!("[[mcp.policy]]: at most {MAX_RULES} rules"));
    }
    for (i, rule) in rules.iter().enumerate() {
        let bad = |what: &str| Err(format!("[[mcp.policy]] rule {}: {what}", i + 1));
        if rule.models.is_empty() || rule.models.iter().any(|m| m.is_empty() || m.len() > 128) {
            return bad("`models` lists 1 or more model names or globs");
        }
        let budget = rule.max_budget_usd_per_day;
        if !budget.is_finite() || budget <= 0.0 || budget > request::MAX_BUDGET_USD {
            return bad("`max_budget_usd_per_day` is more than 0 and at most 1000");
        }
        if lifetime(rule).is_none() {
            return bad("`max_lifetime` is a duration of at most 24h (`8h`)");
        }
    }
    Ok(rules)
}

fn lifetime(rule: &Rule) -> Option<Duration> {
    humantime::parse_duration(&rule.max_lifetime)
        .ok()
        .filter(|d| *d <= request::MAX_LIFETIME)
}

fn mac(identity: &age::x25519::Identity, rules: &[Rule]) -> String {
    use hmac::Mac;
    let mut mac = crate::unlock::identity_mac(identity, MAC_CONTEXT);
    mac.update(&serde_json::to_vec(rules).expect("rules serialize"));
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Records `rules` as the pinned policy.
pub fn pin(home: &Path, identity: &age::x25519::Identity, rules: &[Rule]) -> Result<()> {
    let file = PinFile {
        byok_mcp_policy_pin: FORMAT,
        rules: rules.to_vec(),
        mac: mac(identity, rules),
    };
    let bytes = serde_json::to_vec_pretty(&file).map_err(|e| Error::Encrypt(e.to_string()))?;
    fsutil::write_atomic(&pin_path(home), &bytes)
}

/// Whether `rules` (from `config.toml` now) are the pinned policy: `Err` says why not.
pub fn verify(
    home: &Path,
    identity: &age::x25519::Identity,
    rules: &[Rule],
) -> std::result::Result<(), String> {
    let path = pin_path(home);
    let bytes = match fsutil::read_bounded(&path, 256 * 1024) {
        Ok(bytes) => bytes,
        Err(_) if !path.exists() => {
            return Err("the policy is not pinned (`byok mcp policy pin`)".into());
        }
        Err(_) => return Err("mcp-policy.pin cannot be read".into()),
    };
    let file: PinFile = serde_json::from_slice(&bytes)
        .map_err(|_| "mcp-policy.pin is not a pin byok wrote".to_owned())?;
    use subtle::ConstantTimeEq;
    let ok: bool = mac(identity, &file.rules)
        .as_bytes()
        .ct_eq(file.mac.as_bytes())
        .into();
    if file.byok_mcp_policy_pin != FORMAT || !ok {
        return Err("mcp-policy.pin does not verify with this identity".into());
    }
    if file.rules != rules {
        return Err(
            "the policy in config.toml changed since it was pinned (`byok mcp policy pin` shows and pins it)"
                .into(),
        );
    }
    Ok(())
}

/// Whether a request's glob `asked` stays within the rule's glob `allowed`: a plain name the
/// glob matches, or, under an `allowed` of the form `prefix*`, anything starting with that
/// prefix. (A request's wildcards are never matched by a rule's `?`.)
fn within(allowed: &str, asked: &str) -> bool {
    let wild = |s: &str| s.contains(['*', '?']);
    if !wild(asked) {
        return crate::proxy::token::glob_match(allowed, asked);
    }
    match allowed.strip_suffix('*') {
        Some(prefix) if !wild(prefix) => asked.starts_with(prefix),
        _ => false,
    }
}

/// The first rule that covers `request` entirely, if any.
pub fn covering<'r>(rules: &'r [Rule], request: &Request) -> Option<&'r Rule> {
    rules.iter().find(|rule| {
        let agent_ok = rule.agents.is_empty()
            || rule
                .agents
                .iter()
                .any(|a| crate::proxy::token::glob_match(a, &request.agent));
        agent_ok
            && request.budget_usd_per_day <= rule.max_budget_usd_per_day
            && lifetime(rule).is_some_and(|l| Duration::from_secs(request.lifetime_secs) <= l)
            && request
                .models
                .iter()
                .all(|m| rule.models.iter().any(|a| within(a, m)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_cover_only_what_they_allow() {
        let rules = rules_of(
            "[[mcp.policy]]\nmodels = [\"claude-haiku-*\", \"gpt-4.1-nano\"]\nmax_budget_usd_per_day = 2\nmax_lifetime = \"8h\"\n",
        )
        .unwrap();
        let request = |models: &[&str], budget: f64, secs: u64| Request {
            byok_mcp_request: request::FORMAT,
            id: "0".repeat(32),
            created: String::new(),
            agent: "a".into(),
            reason: "r".into(),
            models: models.iter().map(|m| m.to_string()).collect(),
            budget_usd_per_day: budget,
            lifetime_secs: secs,
            recipient: String::new(),
        };
        assert!(covering(&rules, &request(&["claude-haiku-*"], 2.0, 3600)).is_some());
        assert!(
            covering(
                &rules,
                &request(&["claude-haiku-4-5", "gpt-4.1-nano"], 1.0, 60)
            )
            .is_some()
        );
        assert!(covering(&rules, &request(&["claude-*"], 1.0, 60)).is_none());
        assert!(covering(&rules, &request(&["gpt-4.1-*"], 1.0, 60)).is_none());
        assert!(covering(&rules, &request(&["claude-haiku-*"], 2.5, 60)).is_none());
        assert!(covering(&rules, &request(&["claude-haiku-*"], 1.0, 9 * 3600)).is_none());
        assert!(!within("gpt-?", "gpt-*"));
        assert!(
            rules_of(
                "[[mcp.policy]]\nmodels = []\nmax_budget_usd_per_day = 2\nmax_lifetime = \"8h\"\n"
            )
            .is_err()
        );
        assert!(rules_of("[[mcp.policy]]\nmodels = [\"x\"]\nmax_budget_usd_per_day = 2\nmax_lifetime = \"80h\"\n").is_err());
        assert_eq!(rules_of("").unwrap(), vec![]);
    }

    #[test]
    fn a_pin_holds_only_for_the_rules_and_identity_it_was_made_with() {
        let dir = tempfile::tempdir().unwrap();
        let identity = age::x25519::Identity::generate();
        let rules = rules_of("[[mcp.policy]]\nmodels = [\"a-*\"]\nmax_budget_usd_per_day = 1\nmax_lifetime = \"1h\"\n").unwrap();
        assert!(verify(dir.path(), &identity, &rules).is_err());
        pin(dir.path(), &identity, &rules).unwrap();
        assert_eq!(verify(dir.path(), &identity, &rules), Ok(()));
        let mut wider = rules.clone();
        wider[0].max_budget_usd_per_day = 100.0;
        assert!(verify(dir.path(), &identity, &wider).is_err());
        let other = age::x25519::Identity::generate();
        assert!(verify(dir.path(), &other, &rules).is_err());
        // A pin rewritten without the identity (the agent's own MAC) does not verify.
        pin(dir.path(), &other, &wider).unwrap();
        assert!(verify(dir.path(), &identity, &wider).is_err());
    }
}
