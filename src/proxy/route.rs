//! Which connectors serve a model, and which of them are cooling down.
//!
//! A connector serves model M when its `model` is M or one of its `models = ["glob", …]`
//! matches M; `[aliases]` in `config.toml` map a name clients ask for to the model it
//! stands for (the request's `model` is rewritten). Candidates keep the connectors'
//! priority order; healthy ones come first, then those in cooldown (so a sole connector
//! still gets the provider's own answer rather than a synthetic one).
//!
//! Candidates are of either wire ([`Router::serving`]): a connector of the client's wire is
//! used as is, one of the other wire through [`crate::translate`] (see
//! [`super::translated`]), so fallback crosses wires.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use secrecy::SecretString;

use super::Wire;
use super::token::glob_match;
use crate::provider::AuthStyle;

/// A connector the proxy can forward to.
pub struct Upstream {
    pub name: String,
    pub wire: Wire,
    /// SDK-style base URL (OpenAI: up to `/v1`; Anthropic: the root).
    pub base_url: String,
    pub auth: AuthStyle,
    pub key: Option<SecretString>,
    pub model: Option<String>,
    pub globs: Vec<String>,
    /// Serves `POST /responses` itself (OpenAI, or a compatible server declared with
    /// `--option responses=true`); otherwise Responses requests are translated.
    pub responses: bool,
    /// Who may hold a plain-http loopback port this upstream's key goes to (`None`: no key,
    /// nothing to check); see `crate::net::owner`.
    pub owner: Option<std::sync::Arc<crate::net::owner::OwnerPolicy>>,
    /// The checking local client of this upstream, made on first use.
    pub checked_client: std::sync::OnceLock<super::upstream::CheckedLocalClient>,
}

impl std::fmt::Debug for Upstream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upstream")
            .field("name", &self.name)
            .field("wire", &self.wire)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl Upstream {
    /// The same upstream with another key (a placeholder token's own minted key).
    pub fn with_key(&self, key: SecretString) -> Upstream {
        Upstream {
            name: self.name.clone(),
            wire: self.wire,
            base_url: self.base_url.clone(),
            auth: self.auth,
            key: Some(key),
            model: self.model.clone(),
            globs: self.globs.clone(),
            responses: self.responses,
            owner: self.owner.clone(),
            checked_client: Default::default(),
        }
    }

    pub fn serves(&self, model: &str) -> bool {
        self.model.as_deref() == Some(model) || self.globs.iter().any(|g| glob_match(g, model))
    }

    /// The models it names outright (for `/v1/models`).
    pub fn listed(&self) -> impl Iterator<Item = &str> {
        self.model.as_deref().into_iter().chain(
            self.globs
                .iter()
                .filter(|g| !g.contains(['*', '?']))
                .map(String::as_str),
        )
    }
}

/// Why a connector is skipped, and until when.
#[derive(Clone, Debug)]
pub struct Cooldown {
    pub until: Instant,
    pub until_wall: SystemTime,
    /// The failure class label (`invalid key`, …).
    pub reason: String,
}

pub struct Router {
    pub upstreams: Vec<Upstream>,
    pub aliases: BTreeMap<String, String>,
    health: Mutex<BTreeMap<String, Cooldown>>,
}

impl Router {
    pub fn new(upstreams: Vec<Upstream>, aliases: BTreeMap<String, String>) -> Self {
        Router {
            upstreams,
            aliases,
            health: Mutex::new(BTreeMap::new()),
        }
    }

    /// The model an alias stands for (or the name itself).
    pub fn resolve<'a>(&'a self, model: &'a str) -> &'a str {
        self.aliases.get(model).map_or(model, String::as_str)
    }

    /// The connectors of `wire` serving `model`: healthy first, each group in priority order.
    pub fn candidates(&self, wire: Wire, model: &str) -> Vec<&Upstream> {
        self.pick(|u| u.wire == wire && u.serves(model))
    }

    /// The connectors of either wire serving `model`, in the same order as
    /// [`candidates`](Self::candidates): what a request may be sent to, translated or not.
    pub fn serving(&self, model: &str) -> Vec<&Upstream> {
        self.pick(|u| u.serves(model))
    }

    fn pick(&self, keep: impl Fn(&Upstream) -> bool) -> Vec<&Upstream> {
        let now = Instant::now();
        let health = self.health.lock().unwrap_or_else(|p| p.into_inner());
        let (mut healthy, mut cooling): (Vec<&Upstream>, Vec<&Upstream>) = self
            .upstreams
            .iter()
            .filter(|u| keep(u))
            .partition(|u| health.get(&u.name).is_none_or(|c| c.until <= now));
        healthy.append(&mut cooling);
        healthy
    }

    /// Skips `name` for `for_`; returns whether this changed what is recorded.
    pub fn cool_down(&self, name: &str, for_: Duration, reason: &str) {
        let mut health = self.health.lock().unwrap_or_else(|p| p.into_inner());
        health.insert(
            name.to_owned(),
            Cooldown {
                until: Instant::now() + for_,
                until_wall: SystemTime::now() + for_,
                reason: reason.to_owned(),
            },
        );
    }

    /// A success clears a cooldown.
    pub fn healthy(&self, name: &str) -> bool {
        let mut health = self.health.lock().unwrap_or_else(|p| p.into_inner());
        health.remove(name).is_some()
    }

    /// The cooldowns still running.
    pub fn cooldowns(&self) -> BTreeMap<String, Cooldown> {
        let now = Instant::now();
        let health = self.health.lock().unwrap_or_else(|p| p.into_inner());
        health
            .iter()
            .filter(|(_, c)| c.until > now)
            .map(|(n, c)| (n.clone(), c.clone()))
            .collect()
    }
}

/// A `retry-after` value (seconds, or an HTTP date) as a duration, capped at a day.
pub fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    let d = if let Ok(secs) = value.parse::<f64>() {
        (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs))?
    } else {
        let when = httpdate_parse(value)?;
        when.duration_since(SystemTime::now()).unwrap_or_default()
    };
    Some(d.min(Duration::from_secs(86_400)))
}

fn httpdate_parse(value: &str) -> Option<SystemTime> {
    humantime::parse_rfc3339_weak(value).ok().or_else(|| {
        // `Wed, 21 Oct 2015 07:28:00 GMT`
        let parts: Vec<&str> = value.split_whitespace().collect();
        if parts.len() != 6 {
            return None;
        }
        let month = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ]
        .iter()
        .position(|m| *m == parts[2])?
            + 1;
        let text = format!("{}-{month:02}-{:0>2}T{}Z", parts[3], parts[1], parts[4]);
        humantime::parse_rfc3339_weak(&text).ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn up(name: &str, wire: Wire, model: Option<&str>, globs: &[&str]) -> Upstream {
        Upstream {
            name: name.into(),
            wire,
            base_url: "http://127.0.0.1:9".into(),
            auth: AuthStyle::Bearer,
            key: None,
            model: model.map(str::to_owned),
            globs: globs.iter().map(|g| g.to_string()).collect(),
            responses: false,
            owner: None,
            checked_client: Default::default(),
        }
    }

    #[test]
    fn candidates_keep_priority_and_put_cooling_last() {
        let r = Router::new(
            vec![
                up("a", Wire::OpenAi, Some("gpt-4o"), &[]),
                up("b", Wire::Anthropic, Some("gpt-4o"), &[]),
                up("c", Wire::OpenAi, None, &["gpt-*"]),
                up("d", Wire::OpenAi, None, &["claude-*"]),
            ],
            BTreeMap::from([("fast".to_owned(), "gpt-4o".to_owned())]),
        );
        let names = |v: Vec<&Upstream>| v.iter().map(|u| u.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(r.candidates(Wire::OpenAi, "gpt-4o")), ["a", "c"]);
        assert_eq!(r.resolve("fast"), "gpt-4o");
        assert_eq!(r.resolve("other"), "other");
        r.cool_down("a", Duration::from_secs(60), "invalid key");
        assert_eq!(names(r.candidates(Wire::OpenAi, "gpt-4o")), ["c", "a"]);
        assert!(r.cooldowns().contains_key("a"));
        assert!(r.healthy("a"));
        assert_eq!(names(r.candidates(Wire::OpenAi, "gpt-4o")), ["a", "c"]);
        assert!(r.candidates(Wire::OpenAi, "llama").is_empty());
        // Either wire, priority order kept, cooling last.
        r.cool_down("c", Duration::from_secs(60), "rate limited");
        assert_eq!(names(r.serving("gpt-4o")), ["a", "b", "c"]);
        assert_eq!(names(r.serving("claude-x")), ["d"]);
    }

    #[test]
    fn retry_after_values() {
        assert_eq!(retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(retry_after("99999999"), Some(Duration::from_secs(86_400)));
        assert_eq!(retry_after("soon"), None);
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
    }
}
