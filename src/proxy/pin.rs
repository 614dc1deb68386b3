//! The routing pin of an agent-proof proxy: where each connector sends its key, recorded in
//! `proxy-pin.json` with an HMAC keyed from the vault identity.
//!
//! An agent running as the user can edit `config.toml` while the proxy is down (or kill it)
//! and point a connector's `base_url` at its own https host; the restarted proxy would send
//! the key there. So an agent-proof proxy serves only the routes of a pin whose MAC verifies
//! with the identity it was just unlocked with: any difference — a connector added, removed
//! or re-pointed, another key behind it, another trusted owner of its port — is exit 8 with
//! the changes, unless the person who typed the passphrase at the proxy's own prompt accepts
//! them there, or runs `byok proxy pin` (which needs the passphrase too). The agent knows
//! neither, and cannot forge the MAC: deleting the pin refuses the start the same way.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::{Error, Result};
use crate::fsutil;

/// The pin's file name in the home.
pub const FILE: &str = "proxy-pin.json";
const FORMAT: u64 = 1;
const MAC_CONTEXT: &[u8] = b"byok proxy-pin.json mac v1\0";
const MAX_BYTES: u64 = 4 << 20;

/// Where one connector sends its key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// The wire format it speaks (`openai`, `anthropic`).
    pub wire: String,
    /// The base URL requests go to.
    pub base_url: String,
    /// The ref of the key it sends (`None`: no key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// The other user trusted to hold its loopback port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_user: Option<String>,
    /// A tool API's limits (`[[api]]` only): where the key goes and what a placeholder may
    /// do. Pinned whole, so widening `paths` or `methods`, or moving the key, needs the
    /// passphrase like re-pointing `base_url` does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api: Option<ApiLimits>,
}

/// What an `[[api]]` table lets a placeholder do, as resolved (recipe applied). `env` and
/// `url_env` are left out: the proxy never reads them (they only name a child's variables).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiLimits {
    /// `header NAME: FORMAT` or `query NAME`.
    pub key: String,
    pub methods: Vec<String>,
    pub paths: Vec<String>,
    pub headers: Vec<(String, String)>,
}

/// `proxy-pin.json`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinDoc {
    pub format: u64,
    pub routes: BTreeMap<String, Route>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
}

pub fn path(home: &Path) -> PathBuf {
    home.join(FILE)
}

fn mac_of(
    identity: &age::x25519::Identity,
    routes: &BTreeMap<String, Route>,
) -> Result<Hmac<Sha256>> {
    let bytes = serde_json::to_vec(routes).map_err(|e| Error::Encrypt(e.to_string()))?;
    let mut mac = crate::unlock::identity_mac(identity, MAC_CONTEXT);
    mac.update(&bytes);
    Ok(mac)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The routes the pin in `home` holds, when its MAC verifies with `identity`; `Err` says why
/// there are none to trust (no pin, damaged, or not written with this identity).
pub fn trusted_routes(
    home: &Path,
    identity: &age::x25519::Identity,
) -> std::result::Result<BTreeMap<String, Route>, String> {
    let path = path(home);
    let bytes = match fsutil::read_bounded(&path, MAX_BYTES) {
        Ok(bytes) => bytes,
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            return Err("there is no routing pin yet".into());
        }
        Err(e) => return Err(format!("the routing pin cannot be read ({e})")),
    };
    let doc: PinDoc = serde_json::from_slice(&bytes)
        .map_err(|e| format!("the routing pin is damaged (line {})", e.line()))?;
    if doc.format != FORMAT {
        return Err(format!(
            "the routing pin has format {}, not {FORMAT}",
            doc.format
        ));
    }
    let tag = doc
        .mac
        .as_deref()
        .filter(|t| t.len() == 64 && t.is_ascii())
        .and_then(|t| {
            (0..64)
                .step_by(2)
                .map(|i| u8::from_str_radix(&t[i..i + 2], 16).ok())
                .collect::<Option<Vec<u8>>>()
        })
        .ok_or("the routing pin carries no valid authentication code")?;
    let mac = mac_of(identity, &doc.routes).map_err(|e| e.to_string())?;
    mac.verify_slice(&tag)
        .map_err(|_| "the routing pin was not written with the vault identity".to_owned())?;
    Ok(doc.routes)
}

/// Writes `routes` as the pin, sealed with `identity` (atomically, 0600, under the home lock).
pub fn save(
    home: &Path,
    lock: &Path,
    identity: &age::x25519::Identity,
    routes: &BTreeMap<String, Route>,
) -> Result<()> {
    let tag = mac_of(identity, routes)?.finalize().into_bytes();
    let doc = PinDoc {
        format: FORMAT,
        routes: routes.clone(),
        mac: Some(hex(&tag)),
    };
    let mut text = serde_json::to_string_pretty(&doc).map_err(|e| Error::Encrypt(e.to_string()))?;
    text.push('\n');
    let _lock = fsutil::WriteLock::acquire(lock)?;
    fsutil::write_atomic(&path(home), text.as_bytes())
}

/// An agent-proof start: the routes about to be served must be the pinned ones. A
/// difference (or no valid pin) is accepted only by the person who typed the passphrase at
/// this proxy's own prompt, on its terminal; otherwise it is exit 8 with the changes.
pub fn check(ctx: &crate::context::Context, now: &BTreeMap<String, Route>) -> Result<()> {
    let unlocked = ctx.unlocker().get()?;
    let settings = &ctx.settings;
    let home = settings.paths.home();
    let (why, changes) = match trusted_routes(home, &unlocked.identity) {
        Ok(pinned) => {
            // Serving fewer connectors than pinned (`--connector`, one archived) sends no key
            // anywhere new.
            let pinned: BTreeMap<String, Route> = pinned
                .into_iter()
                .filter(|(name, _)| now.contains_key(name))
                .collect();
            let changes = changes(&pinned, now);
            if changes.is_empty() {
                return Ok(());
            }
            (
                "the connectors differ from the routing pin".to_owned(),
                changes,
            )
        }
        Err(why) => (why, changes(&BTreeMap::new(), now)),
    };
    let typed_here =
        matches!(unlocked.source, crate::unlock::IdentitySource::Prompt) && settings.interactive();
    if typed_here {
        eprintln!("agent-proof: {why}:\n  {}", changes.join("\n  "));
        if !crate::prompt::confirm("Serve these routes, and pin them?")? {
            return Err(Error::Cancelled);
        }
        save(home, &settings.paths.lock(), &unlocked.identity, now)?;
        crate::term::output::status("agent-proof: the routes are pinned.");
        return Ok(());
    }
    Err(Error::AgentProofRefused {
        reason: format!(
            "{why}:\n  {}\nAccept them by typing the passphrase at the proxy's own prompt \
             (start it on a terminal), or with `byok proxy pin` (needs the passphrase)",
            changes.join("\n  ")
        ),
    })
}

/// The differences from `pinned` to `now`, by connector name (never a key).
pub fn changes(pinned: &BTreeMap<String, Route>, now: &BTreeMap<String, Route>) -> Vec<String> {
    let names: BTreeSet<&String> = pinned.keys().chain(now.keys()).collect();
    let mut out = Vec::new();
    for name in names {
        match (pinned.get(name), now.get(name)) {
            (None, Some(route)) => out.push(format!("+ {name} → {} (added)", route.base_url)),
            (Some(_), None) => out.push(format!("- {name} (removed)")),
            (Some(old), Some(new)) if old != new => {
                let mut what = Vec::new();
                if old.base_url != new.base_url {
                    what.push(format!("base_url {} → {}", old.base_url, new.base_url));
                }
                if old.wire != new.wire {
                    what.push(format!("wire {} → {}", old.wire, new.wire));
                }
                if old.secret != new.secret {
                    what.push(format!(
                        "key {} → {}",
                        old.secret.as_deref().unwrap_or("none"),
                        new.secret.as_deref().unwrap_or("none")
                    ));
                }
                if old.service_user != new.service_user {
                    what.push(format!(
                        "service_user {} → {}",
                        old.service_user.as_deref().unwrap_or("none"),
                        new.service_user.as_deref().unwrap_or("none")
                    ));
                }
                what.extend(api_changes(old.api.as_ref(), new.api.as_ref()));
                out.push(format!("~ {name}: {}", what.join(", ")));
            }
            _ => {}
        }
    }
    out.into_iter()
        .map(|line| crate::term::sanitize::line(&line).into_owned())
        .collect()
}

/// How a tool API's limits changed, one entry per field that differs.
fn api_changes(old: Option<&ApiLimits>, new: Option<&ApiLimits>) -> Vec<String> {
    let (old, new) = match (old, new) {
        (Some(old), Some(new)) => (old, new),
        (None, None) => return Vec::new(),
        // A pin written before the limits were pinned: everything is new.
        _ => return vec!["limits (key placement, methods, paths, headers) not pinned".into()],
    };
    let mut what = Vec::new();
    if old.key != new.key {
        what.push(format!("key placement {} → {}", old.key, new.key));
    }
    if old.methods != new.methods {
        what.push(format!(
            "methods {} → {}",
            old.methods.join(","),
            new.methods.join(",")
        ));
    }
    if old.paths != new.paths {
        what.push(format!(
            "paths {} → {}",
            old.paths.join(","),
            new.paths.join(",")
        ));
    }
    if old.headers != new.headers {
        // Header values are config text, not keys (credential headers are refused), but
        // only the names are needed to see the change.
        let names = |h: &[(String, String)]| {
            h.iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(",")
        };
        what.push(format!(
            "headers {} → {}",
            names(&old.headers),
            names(&new.headers)
        ));
    }
    what
}

/// The routes `config.toml` declares now: every active connector the proxy would serve
/// (connectors `--connector` leaves out are left out here too).
pub fn routes_of_config(
    config: &crate::config::Config,
    only: &[String],
) -> BTreeMap<String, Route> {
    let mut routes = BTreeMap::new();
    for connector in config
        .active()
        .filter(|c| only.is_empty() || only.contains(&c.name))
    {
        let Some(spec) = crate::provider::catalog::lookup(&connector.kind) else {
            continue;
        };
        let Ok(served) = crate::proxy::serving::serving(spec, connector) else {
            continue;
        };
        routes.insert(
            connector.name.clone(),
            route(connector, served.wire, &served.base_url),
        );
    }
    // `[[api]]` tables send keys too (`--connector` does not leave them out).
    for api in config.apis() {
        routes.insert(api_route_name(&api.name), api_route(api));
    }
    routes
}

/// A tool API's name in the pin: `api/NAME` (a connector name never holds '/').
pub fn api_route_name(name: &str) -> String {
    format!("api/{name}")
}

/// A tool API's route: where its key goes, and which key (ref and field) it is.
pub fn api_route(api: &crate::config::ApiDecl) -> Route {
    Route {
        wire: "api".into(),
        base_url: api.base_url.clone(),
        secret: Some(match &api.field {
            Some(field) => format!("{}/{field}", api.secret),
            None => api.secret.clone(),
        }),
        service_user: None,
        api: Some(ApiLimits {
            key: match &api.key {
                crate::proxy::recipes::KeyPlace::Header { name, format } => {
                    format!("header {name}: {format}")
                }
                crate::proxy::recipes::KeyPlace::Query { name } => format!("query {name}"),
            },
            methods: api.methods.clone(),
            paths: api.paths.clone(),
            headers: api.headers.clone(),
        }),
    }
}

/// One connector's route, as served.
pub fn route(connector: &crate::connector::Connector, wire: super::Wire, base_url: &str) -> Route {
    Route {
        wire: format!("{wire:?}").to_ascii_lowercase(),
        base_url: base_url.to_owned(),
        secret: connector.secret.clone(),
        service_user: connector.service_user.clone(),
        api: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(url: &str, secret: &str) -> Route {
        Route {
            wire: "openai".into(),
            base_url: url.into(),
            secret: Some(secret.into()),
            service_user: None,
            api: None,
        }
    }

    #[test]
    fn a_pin_verifies_with_its_identity_only_and_names_every_change() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path();
        let identity = age::x25519::Identity::generate();
        let mut routes = BTreeMap::new();
        routes.insert("work".to_owned(), route("https://api.example/v1", "k"));
        assert!(trusted_routes(home, &identity).is_err(), "no pin yet");
        save(home, &home.join("lock"), &identity, &routes).unwrap();
        assert_eq!(trusted_routes(home, &identity).unwrap(), routes);
        // Another identity (anyone can compute a MAC with their own): refused.
        let other = age::x25519::Identity::generate();
        assert!(trusted_routes(home, &other).is_err());
        // An edited file: refused.
        let text = std::fs::read_to_string(path(home)).unwrap();
        std::fs::write(path(home), text.replace("api.example", "evil.example")).unwrap();
        assert!(trusted_routes(home, &identity).is_err());

        let mut now = routes.clone();
        now.insert("work".into(), route("https://evil.example/v1", "k"));
        now.insert("new".into(), route("https://x/v1", "k2"));
        let changes = changes(&routes, &now);
        assert_eq!(changes.len(), 2, "{changes:?}");
        assert!(changes[0].contains("+ new"), "{changes:?}");
        assert!(changes[1].contains("evil.example"), "{changes:?}");
    }

    fn github_api() -> crate::config::ApiDecl {
        crate::config::ApiDecl {
            name: "github".into(),
            recipe: Some("github".into()),
            secret: "gh".into(),
            field: None,
            base_url: "https://api.github.com".into(),
            key: crate::proxy::recipes::KeyPlace::Header {
                name: "Authorization".into(),
                format: "Bearer {key}".into(),
            },
            methods: vec!["GET".into()],
            paths: vec!["/repos/".into()],
            headers: vec![("X-GitHub-Api-Version".into(), "2022-11-28".into())],
            env: vec!["GITHUB_TOKEN".into()],
            url_env: vec![],
        }
    }

    /// Review finding: only `base_url` and the key's ref were pinned, so an agent could widen
    /// `paths`/`methods` or move the key into a query parameter and restart the proxy.
    #[test]
    fn a_widened_api_table_differs_from_its_pin() {
        let pinned = BTreeMap::from([("api/github".to_owned(), api_route(&github_api()))]);
        let same = BTreeMap::from([("api/github".to_owned(), api_route(&github_api()))]);
        assert!(changes(&pinned, &same).is_empty());

        let mut wide = github_api();
        wide.paths = vec!["/".into()];
        let mut delete = github_api();
        delete.methods.push("DELETE".into());
        let mut query = github_api();
        query.key = crate::proxy::recipes::KeyPlace::Query {
            name: "access_token".into(),
        };
        let mut header = github_api();
        header.headers.push(("X-Other".into(), "1".into()));
        for (api, what) in [
            (wide, "paths /repos/ → /"),
            (delete, "methods GET → GET,DELETE"),
            (
                query,
                "key placement header Authorization: Bearer {key} → query access_token",
            ),
            (
                header,
                "headers X-GitHub-Api-Version → X-GitHub-Api-Version,X-Other",
            ),
        ] {
            let now = BTreeMap::from([("api/github".to_owned(), api_route(&api))]);
            let changes = changes(&pinned, &now);
            assert_eq!(changes.len(), 1, "{changes:?}");
            assert!(changes[0].contains(what), "{changes:?}");
        }

        // A pin written before the limits were pinned does not verify the table either.
        let mut old = pinned.clone();
        old.get_mut("api/github").unwrap().api = None;
        assert_eq!(changes(&old, &pinned).len(), 1);
    }
}
