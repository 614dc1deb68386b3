//! Assembling a proxy from a command's [`Context`]: the connectors it serves with their
//! keys (each read once, audited once), aliases, the placeholder tokens, the usage meter
//! and the HTTP client — everything [`crate::proxy::server::run`] shares between requests.
//! In agent-proof mode the same pass refuses keys whose store an agent could open, requires
//! the token file's MAC, and locks the pages that hold the identity and the keys.

use std::collections::HashMap;
use std::time::Duration;

use zeroize::Zeroizing;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::provider::catalog;
use crate::proxy::route::{Router, Upstream};
use crate::proxy::scrub::Keys;
use crate::proxy::server::Shared;
use crate::proxy::token::{TokenCache, TokenFile};
use crate::proxy::{Options, Wire, agent_proof};
use crate::store::registry::value_of;
use crate::term::output;

/// The home's placeholder-token file.
pub fn token_file(ctx: &Context) -> TokenFile {
    TokenFile::new(
        ctx.settings.paths.home(),
        std::sync::Arc::clone(ctx.unlocker()),
    )
}

/// Reads connectors, keys, aliases and tokens into what the server shares. With `memory`
/// (agent-proof mode), a served key in the OS keychain is refused, the token file must be
/// authenticated, and the pages holding the identity and the keys are locked.
pub fn shared(
    ctx: &Context,
    options: Options,
    memory: Option<&mut crate::os::memlock::Report>,
) -> Result<Shared> {
    let agent_proof = memory.is_some();
    let mut unmet = Vec::new();
    let settings = &ctx.settings;
    let config = ctx.config()?;
    config.check_connectors(&settings.paths.config())?;
    for name in &options.connectors {
        config.get(name)?;
    }
    let chosen: Vec<_> = config
        .active()
        .filter(|c| options.connectors.is_empty() || options.connectors.contains(&c.name))
        .collect();
    let registry = ctx.registry()?;
    if agent_proof {
        // Anyone can encrypt a vault to the public recipient; only the identity MACs one. A
        // vault without a valid MAC could hold keys of the agent's choosing (whose accounts
        // would then see every request), so it is not served.
        use crate::store::vault::doc::MacState;
        match registry.home_vault().mac_state()? {
            MacState::Valid => {}
            state => {
                return Err(Error::AgentProofRefused {
                    reason: format!(
                        "the vault {} MAC of this home's identity: it was written by an older \
                         byok, or by someone else with the public recipient. If its secrets are \
                         yours (`byok secret list`), seal it with `byok proxy pin` (needs the \
                         passphrase)",
                        if state == MacState::Missing {
                            "carries no"
                        } else {
                            "carries an invalid"
                        }
                    ),
                });
            }
        }
    }
    let mut upstreams = Vec::new();
    let mut key_values: Vec<Zeroizing<String>> = Vec::new();
    let mut cache: HashMap<String, secrecy::SecretString> = HashMap::new();
    let mut providers: HashMap<String, String> = HashMap::new();
    let mut routes = std::collections::BTreeMap::new();
    for connector in chosen {
        let Some(spec) = catalog::lookup(&connector.kind) else {
            continue;
        };
        let served = match crate::proxy::serving::serving(spec, connector) {
            Ok(served) => served,
            Err(why) => {
                output::status(&format!(
                    "byok proxy: not serving connector '{}' ({}): {why}",
                    connector.name, connector.kind
                ));
                continue;
            }
        };
        let key = match &connector.secret {
            None => None,
            Some(reference) => {
                if let Some(k) = cache.get(reference) {
                    Some(k.clone())
                } else {
                    let found = registry.resolve(reference, None)?;
                    if agent_proof
                        && let Some(condition) = agent_proof::unmet_store(reference, found.store)
                    {
                        unmet.push(condition);
                        continue;
                    }
                    let value = value_of(&found, crate::names::DEFAULT_FIELD)?;
                    // One audit entry per key per run: the proxy reads each key once, here.
                    ctx.audit_now(
                        crate::hygiene::audit::Entry::secret(
                            "secret.read",
                            reference,
                            Some(found.store.name()),
                        ),
                        Ok(()),
                    )?;
                    key_values.push(Zeroizing::new(value.expose().to_owned()));
                    let secret = secrecy::SecretString::from(value.expose().to_owned());
                    cache.insert(reference.clone(), secret.clone());
                    Some(secret)
                }
            }
        };
        providers.insert(connector.name.clone(), connector.kind.clone());
        routes.insert(
            connector.name.clone(),
            crate::proxy::pin::route(connector, served.wire, &served.base_url),
        );
        let responses = responses_flag(connector)?;
        let globs = config.connector_models(&connector.name).to_vec();
        if served.model.is_none() && globs.is_empty() {
            output::warn(
                settings,
                &format!(
                    "connector '{name}' serves no model: its type has no default model and it                      names none; give it one with `byok connector edit {name} --model M` (or                      `--models 'GLOB'`)",
                    name = connector.name
                ),
            );
        }
        upstreams.push(Upstream {
            name: connector.name.clone(),
            wire: served.wire,
            base_url: served.base_url,
            auth: served.auth,
            key,
            model: served.model,
            globs,
            responses: responses && served.wire == Wire::OpenAi,
            // A key to a plain-http loopback port goes only to a trusted owner of it: root,
            // the connector's `service_user`, and you — never you in agent-proof mode.
            owner: connector.secret.as_ref().map(|_| {
                std::sync::Arc::new(crate::net::owner::OwnerPolicy {
                    own_uid: !agent_proof,
                    services: connector
                        .service_user
                        .as_deref()
                        .and_then(crate::net::owner::resolve_user)
                        .into_iter()
                        .collect(),
                })
            }),
            checked_client: Default::default(),
        });
    }
    // Tool APIs (`[[api]]`): every one declared, each key read once like a connector's.
    let mut apis = Vec::new();
    for decl in config.apis() {
        let found = registry.resolve(&decl.secret, None)?;
        if agent_proof && let Some(condition) = agent_proof::unmet_store(&decl.secret, found.store)
        {
            unmet.push(condition);
            continue;
        }
        let field = decl.field.as_deref().unwrap_or(crate::names::DEFAULT_FIELD);
        let value = value_of(&found, field)?;
        ctx.audit_now(
            crate::hygiene::audit::Entry::secret(
                "secret.read",
                &decl.secret,
                Some(found.store.name()),
            ),
            Ok(()),
        )?;
        key_values.push(Zeroizing::new(value.expose().to_owned()));
        routes.insert(
            crate::proxy::pin::api_route_name(&decl.name),
            crate::proxy::pin::api_route(decl),
        );
        apis.push(crate::proxy::api::Api::new(
            decl.clone(),
            secrecy::SecretString::from(value.expose().to_owned()),
            agent_proof,
        ));
    }
    if !unmet.is_empty() {
        return Err(Error::AgentProofUnmet { unmet });
    }
    if upstreams.is_empty() && apis.is_empty() {
        return Err(Error::NoProxyConnectors);
    }
    if agent_proof {
        crate::proxy::pin::check(ctx, &routes)?;
    }
    let tokens = if agent_proof {
        authenticate_tokens(ctx)?;
        TokenCache::open(token_file(ctx).authenticated())?
    } else {
        TokenCache::open(token_file(ctx))?
    };
    // Tokens with a key of their own (`token create --mint`): their connector's upstream
    // with that key, read from the vault now like every served key.
    let mut minted: HashMap<String, std::sync::Arc<Upstream>> = HashMap::new();
    for (token_name, record) in tokens.records() {
        let Some(own) = record.minted else { continue };
        let Some(base) = upstreams.iter().find(|u| u.name == own.connector) else {
            output::warn(
                settings,
                &format!(
                    "placeholder token '{token_name}' is served by connector '{}', which this \
                     proxy does not serve: its requests are refused",
                    own.connector
                ),
            );
            continue;
        };
        let found = registry.resolve(&own.secret, Some("vault"))?;
        let value = value_of(&found, crate::names::DEFAULT_FIELD)?;
        ctx.audit_now(
            crate::hygiene::audit::Entry::secret("secret.read", &own.secret, Some("vault")),
            Ok(()),
        )?;
        key_values.push(Zeroizing::new(value.expose().to_owned()));
        let upstream = base.with_key(secrecy::SecretString::from(value.expose().to_owned()));
        minted.insert(token_name, std::sync::Arc::new(upstream));
    }
    if let Some(report) = memory {
        for upstream in minted.values() {
            if let Some(key) = &upstream.key {
                report.add(crate::os::memlock::lock(
                    secrecy::ExposeSecret::expose_secret(key).as_bytes(),
                ));
            }
        }
        report.add(crate::os::memlock::lock_value(
            &ctx.unlocker().get()?.identity,
        ));
        for value in &key_values {
            report.add(crate::os::memlock::lock(value.as_bytes()));
        }
        for key in apis.iter().map(|a| a.key()) {
            report.add(crate::os::memlock::lock(
                secrecy::ExposeSecret::expose_secret(key).as_bytes(),
            ));
        }
        for key in upstreams.iter().filter_map(|u| u.key.as_ref()) {
            report.add(crate::os::memlock::lock(
                secrecy::ExposeSecret::expose_secret(key).as_bytes(),
            ));
        }
    }
    // A ledger that cannot be opened costs the record of usage, not the proxy.
    let meter = match crate::proxy::meter::Meter::open(settings, ctx.home_config()?, providers) {
        Ok(m) => m,
        Err(e) => {
            output::warn(
                settings,
                &format!("usage is not recorded, and budgets count only this run's requests: {e}"),
            );
            crate::proxy::meter::Meter::disabled()
        }
    }
    .with_alerts(crate::ledger::alerts::Alerts::new(
        settings.paths.home(),
        ctx.home_config()?.alerts(),
        &settings.parent_env,
    ));
    let client = crate::net::client(
        Duration::from_secs(24 * 3600),
        &crate::net::ProxySettings::from_env(&settings.parent_env),
    )
    .map_err(|e| Error::Http(e.to_string()))?;
    Ok(Shared {
        router: Router::new(upstreams, config.aliases().clone()),
        tokens,
        keys: std::sync::Arc::new(Keys::new(key_values)),
        client,
        options,
        home: settings.paths.home().to_path_buf(),
        started: output::now_rfc3339(),
        meter: std::sync::Arc::new(meter),
        minted,
        reload: Default::default(),
        retired: Default::default(),
        apis,
    })
}

/// Whether a connector serves the Responses API itself: the `responses` option when set
/// (`true`/`false`), else only the `openai` provider type.
fn responses_flag(connector: &crate::connector::Connector) -> Result<bool> {
    match connector.options.get("responses").map(String::as_str) {
        None => Ok(connector.kind == "openai"),
        Some("true") => Ok(true),
        Some("false") => Ok(false),
        Some(_) => Err(Error::ConnectorFlag {
            connector: connector.name.clone(),
            option: "responses".into(),
        }),
    }
}

/// Agent-proof start-up: a token file written before MACs existed is re-written with one,
/// under the identity just unlocked with the passphrase; the names it holds are shown, so
/// a token planted before the proxy started does not pass unseen.
fn authenticate_tokens(ctx: &Context) -> Result<()> {
    let file = token_file(ctx);
    if !file.path().exists() {
        return Ok(());
    }
    let doc = file.load()?;
    if doc.mac.is_some() {
        return Ok(());
    }
    let names: Vec<&str> = doc.tokens.keys().map(String::as_str).collect();
    output::status(&format!(
        "agent-proof: authenticated {} with the vault identity; it holds {} token(s): {}",
        file.path().display(),
        names.len(),
        if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        }
    ));
    file.modify(|_| Ok(()))
}
