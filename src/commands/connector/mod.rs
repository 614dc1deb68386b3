//! `byok connector …` and `byok providers`: connectors in `config.toml` (see [`crate::config`]);
//! connection tests and model lists are run by [`crate::connector::runtime`].
//!
//! Only `test`, `add --test` and `models` reach the network (through the runtime); every
//! other command stays off it.

pub(super) mod guided;
mod scope;

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, SystemTime};

use secrecy::SecretString;
use serde::Serialize;
use serde_json::json;

use crate::cli::{
    ConnectorAddArgs, ConnectorCommand, ConnectorEditArgs, ConnectorJsonArgs, ConnectorListArgs,
    ConnectorMoveArgs, ConnectorRmArgs, ConnectorShowArgs, ConnectorTestArgs, ProvidersArgs,
};
use crate::config::Connector;
use crate::connector::runtime::{self, KeyLookup, ModelList, effective_model};
use crate::connector::validate;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ledger::probes::{self, UsageRecord};
use crate::prompt;
use crate::provider::catalog::{self, AuthStyle, ProviderSpec};
use crate::provider::probe;
use crate::settings::Settings;
use crate::store::Registry;
use crate::store::registry::value_of;
use crate::term::output;

/// The vault field a connector's key is read from.
const KEY_FIELD: &str = crate::names::DEFAULT_FIELD;

pub fn run(ctx: &Context, command: ConnectorCommand) -> Result<()> {
    let changes_routing = matches!(
        command,
        ConnectorCommand::Add(_)
            | ConnectorCommand::Edit(_)
            | ConnectorCommand::Archive(_)
            | ConnectorCommand::Unarchive(_)
            | ConnectorCommand::Move(_)
            | ConnectorCommand::Default(_)
            | ConnectorCommand::Rm(_)
    );
    match command {
        ConnectorCommand::Add(args) => add(ctx, args),
        ConnectorCommand::List(args) => list(ctx, &args),
        ConnectorCommand::Show(args) => show(ctx, &args),
        ConnectorCommand::Edit(args) => edit(ctx, args),
        ConnectorCommand::Test(args) => test(ctx, &args),
        ConnectorCommand::Archive(args) => set_archived(ctx, &args.name, args.global, true),
        ConnectorCommand::Unarchive(args) => set_archived(ctx, &args.name, args.global, false),
        ConnectorCommand::Move(args) => move_connector(ctx, &args),
        ConnectorCommand::Default(args) => default(ctx, &args),
        ConnectorCommand::Models(args) => models(ctx, &args),
        ConnectorCommand::Rm(args) => rm(ctx, &args),
    }?;
    if changes_routing {
        hint_running_proxies(ctx);
    }
    Ok(())
}

/// A running proxy routes with the connectors it read at start (or its last reload).
fn hint_running_proxies(ctx: &Context) {
    for status in crate::proxy::state::running(ctx.settings.paths.home()) {
        let how = if status.agent_proof.is_some() {
            "it is agent-proof and never reloads from disk: restart it with the passphrase"
                .to_owned()
        } else {
            format!(
                "run `byok proxy reload --listen {}` to route with this change",
                status.listen
            )
        };
        output::status(&format!(
            "the byok proxy on http://{} still routes with its previous connectors; {how}",
            status.listen
        ));
    }
}

// ---- validation -------------------------------------------------------------

fn spec_for(kind: &str) -> Result<&'static ProviderSpec> {
    catalog::lookup(kind).ok_or_else(|| Error::UnknownConnectorType {
        name: kind.to_owned(),
        known: catalog::ids().collect::<Vec<_>>().join(", "),
    })
}

/// `K=V` pairs from `--option`.
fn parse_options(texts: &[String]) -> Result<Vec<(String, String)>> {
    texts
        .iter()
        .map(|text| match text.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_owned(), v.to_owned())),
            _ => Err(Error::InvalidOption { text: text.clone() }),
        })
        .collect()
}

/// The store registry, only when the connector names a secret (so local connectors never
/// cost a passphrase prompt).
fn stores_if_needed<'c>(ctx: &'c Context, connector: &Connector) -> Result<Option<&'c Registry>> {
    match &connector.secret {
        Some(_) => Ok(Some(ctx.registry()?)),
        None => Ok(None),
    }
}

/// Whether some store holds `reference` (`stores` is `None` only when no secret is named).
/// A store that cannot be read (locked, corrupt) is an error, not "absent".
fn has_secret(stores: Option<&Registry>, reference: &str) -> Result<bool> {
    match stores {
        Some(registry) => Ok(registry.locate(reference)?.is_some()),
        None => Ok(false),
    }
}

// ---- add / edit / rm / archive / move ------------------------------------------

fn add(ctx: &Context, mut args: ConnectorAddArgs) -> Result<()> {
    let settings = &ctx.settings;
    if guided::connector_add_needed(&args) {
        guided::connector_add(ctx, &mut args)?;
    }
    let (Some(name), Some(kind)) = (args.name.clone(), args.kind.clone()) else {
        return Err(Error::Usage("a connector needs a name and --type".into()));
    };
    let connector = Connector {
        name,
        kind,
        secret: args.secret.clone(),
        model: args.model.clone().filter(|m| !m.is_empty()),
        base_url: args.base_url.clone().filter(|u| !u.is_empty()),
        options: parse_options(&args.options)?
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .collect(),
        archived: false,
        // Recorded so the URL is accepted again when the connector is used.
        allow_insecure_http: args.allow_insecure_http,
        service_user: service_user(args.service_user.as_deref())?,
    };
    let models = checked_models(&args.models)?;
    // Cheap checks first, so a typo does not cost a passphrase prompt.
    validate::check(&connector, args.allow_insecure_http, |_| Ok(true))?;
    // Only the file it goes to: a workspace connector may shadow one of your own.
    if scope::current(ctx, args.global)?
        .get(&connector.name)
        .is_ok()
    {
        return Err(Error::ConnectorExists {
            name: connector.name,
        });
    }
    let stores = stores_if_needed(ctx, &connector)?;
    validate::check(&connector, args.allow_insecure_http, |r| {
        has_secret(stores, r)
    })?;
    scope::modify(ctx, args.global, |config| {
        config.add(connector.clone())?;
        config.set_connector_models(&connector.name, &models)
    })?;
    let place = scope::target(ctx, args.global)?;
    output::status(&format!(
        "Added connector '{}' ({}){}.",
        connector.name,
        connector.kind,
        scope::place(place.as_ref())
    ));
    if args.test {
        // The vault opened above is reused: one unlock (and passphrase) per command.
        let keys = keys_for(ctx, std::slice::from_ref(&connector))?;
        return runtime::run_tests(
            settings,
            ctx.home_config()?,
            vec![connector],
            keys,
            Duration::from_secs(20),
            probe::DEFAULT_PROMPT,
            false,
        );
    }
    Ok(())
}

fn edit(ctx: &Context, args: ConnectorEditArgs) -> Result<()> {
    let options = parse_options(&args.options)?;
    // `--models GLOB…` replaces the list; `--models ''` or `--clear-models` empties it.
    let models = if args.clear_models {
        Some(Vec::new())
    } else if args.models.is_empty() {
        None
    } else {
        let given: Vec<String> = args
            .models
            .iter()
            .filter(|m| !m.is_empty())
            .cloned()
            .collect();
        Some(checked_models(&given)?)
    };
    // Validate against the current state first (this may unlock the vault, so it happens
    // outside the lock) …
    let service = args
        .service_user
        .as_deref()
        .map(|user| service_user(Some(user)))
        .transpose()?;
    let mut preview = scope::get(ctx, args.global, &args.name)?;
    apply_edit(&mut preview, &args, &options, &service);
    validate::check(&preview, preview.allow_insecure_http, |_| Ok(true))?;
    let stores = stores_if_needed(ctx, &preview)?;
    let secret_exists = |r: &str| has_secret(stores, r);
    validate::check(&preview, preview.allow_insecure_http, secret_exists)?;
    // … then apply the same edit to the connector as it is under the lock, so a concurrent
    // change to its other settings is not undone.
    scope::modify(ctx, args.global, |config| {
        let mut connector = config.get(&args.name)?.clone();
        apply_edit(&mut connector, &args, &options, &service);
        validate::check(&connector, connector.allow_insecure_http, secret_exists)?;
        config.replace(&args.name, connector)?;
        match &models {
            Some(models) => config.set_connector_models(&args.name, models),
            None => Ok(()),
        }
    })?;
    output::status(&format!("Updated connector '{}'.", args.name));
    Ok(())
}

/// `--models` globs, checked (duplicates dropped, order kept).
fn checked_models(given: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::with_capacity(given.len());
    for glob in given {
        if !out.contains(glob) {
            out.push(glob.clone());
        }
    }
    match crate::config::model_globs_problem(&out) {
        Some(problem) => Err(Error::Usage(format!("invalid --models: {problem}"))),
        None => Ok(out),
    }
}

/// The changes `connector edit` asks for; an empty value clears a setting.
fn apply_edit(
    connector: &mut Connector,
    args: &ConnectorEditArgs,
    options: &[(String, String)],
    service: &Option<Option<String>>,
) {
    if let Some(kind) = &args.kind {
        connector.kind = kind.clone();
    }
    if let Some(secret) = &args.secret {
        connector.secret = Some(secret.clone()).filter(|s| !s.is_empty());
    }
    if let Some(model) = &args.model {
        connector.model = Some(model.clone()).filter(|m| !m.is_empty());
    }
    if let Some(url) = &args.base_url {
        connector.base_url = Some(url.clone()).filter(|u| !u.is_empty());
    }
    if let Some(user) = service {
        connector.service_user = user.clone();
    }
    // The choice to accept plain http is recorded with the URL it was made for: a new URL
    // needs it again.
    if args.allow_insecure_http {
        connector.allow_insecure_http = true;
    } else if args.base_url.is_some() {
        connector.allow_insecure_http = false;
    }
    for (k, v) in options {
        if v.is_empty() {
            connector.options.remove(k);
        } else {
            connector.options.insert(k.clone(), v.clone());
        }
    }
}

fn rm(ctx: &Context, args: &ConnectorRmArgs) -> Result<()> {
    let settings = &ctx.settings;
    scope::get(ctx, args.global, &args.name)?;
    if !args.yes {
        if !settings.interactive() {
            return Err(Error::NeedsConfirmation {
                action: format!("remove connector '{}'", args.name),
            });
        }
        if !prompt::confirm(&format!("Remove connector '{}'?", args.name))? {
            return Err(Error::Cancelled);
        }
    }
    scope::modify(ctx, args.global, |config| config.remove(&args.name))?;
    output::status(&format!(
        "Removed connector '{}' (its secret stays in the vault).",
        args.name
    ));
    Ok(())
}

fn set_archived(ctx: &Context, name: &str, global: bool, archived: bool) -> Result<()> {
    scope::get(ctx, global, name)?;
    scope::modify(ctx, global, |config| {
        let mut connector = config.get(name)?.clone();
        connector.archived = archived;
        config.replace(name, connector)
    })?;
    let verb = if archived { "Archived" } else { "Unarchived" };
    output::status(&format!("{verb} connector '{name}'."));
    Ok(())
}

fn move_connector(ctx: &Context, args: &ConnectorMoveArgs) -> Result<()> {
    scope::get(ctx, args.global, &args.name)?;
    let position = scope::modify(ctx, args.global, |config| {
        let from = config.index_of(&args.name)?;
        let to = if args.top {
            0
        } else if args.up {
            from.saturating_sub(1)
        } else if args.down {
            from + 1
        } else {
            args.to.map_or(from, |n| n as usize - 1)
        };
        config.move_to(&args.name, to)
    })?;
    output::status(&format!(
        "Moved connector '{}' to position {}.",
        args.name,
        position + 1
    ));
    Ok(())
}

// ---- list / show / default ------------------------------------------------------

/// A connector as `list --json` / `show --json` print it.
#[derive(Serialize)]
struct ConnectorView<'a> {
    priority: usize,
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    secret: Option<&'a str>,
    model: Option<&'a str>,
    effective_model: String,
    /// The `models` globs `byok proxy` routes by, besides `model`.
    models: &'a [String],
    base_url: Option<&'a str>,
    effective_base_url: Option<String>,
    options: &'a BTreeMap<String, String>,
    archived: bool,
    last_test: Option<&'a UsageRecord>,
    /// `workspace:NAME` or `global` (only `list`).
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    /// A workspace connector of the same name is used instead (only `list`).
    #[serde(skip_serializing_if = "Option::is_none")]
    shadowed: Option<bool>,
}

impl<'a> ConnectorView<'a> {
    fn new(
        priority: usize,
        c: &'a Connector,
        models: &'a [String],
        last: Option<&'a UsageRecord>,
    ) -> Self {
        let spec = catalog::lookup(&c.kind);
        ConnectorView {
            priority,
            name: &c.name,
            kind: &c.kind,
            secret: c.secret.as_deref(),
            model: c.model.as_deref(),
            effective_model: effective_model(c, spec).to_owned(),
            models,
            base_url: c.base_url.as_deref(),
            effective_base_url: c
                .base_url
                .clone()
                .or_else(|| spec.and_then(|s| s.default_base_url).map(str::to_owned)),
            options: &c.options,
            archived: c.archived,
            last_test: last,
            scope: None,
            shadowed: None,
        }
    }
}

fn last_test_text(record: Option<&UsageRecord>, now: SystemTime) -> String {
    match record {
        None => "-".into(),
        Some(r) if r.ok => format!("✓ {}", output::ago(&r.time, now)),
        Some(r) => format!(
            "✗ {} ({})",
            output::ago(&r.time, now),
            r.cause.as_deref().unwrap_or("failed")
        ),
    }
}

fn list(ctx: &Context, args: &ConnectorListArgs) -> Result<()> {
    let settings = &ctx.settings;
    let listed = scope::list(ctx, args.global)?;
    let last = probes::last_tests(settings);
    let views: Vec<ConnectorView<'_>> = listed
        .iter()
        .filter(|l| args.all || !l.connector.archived)
        .filter(|l| l.scope.matches(args.scope))
        .map(|l| {
            let mut view = ConnectorView::new(
                l.priority,
                &l.connector,
                &l.models,
                last.get(&l.connector.name),
            );
            view.scope = Some(l.scope.label());
            view.shadowed = Some(l.shadowed);
            view
        })
        .collect();
    if args.json {
        return output::print_json(&views);
    }
    if views.is_empty() {
        output::status(
            "No connectors yet. Add one with `byok connector add NAME --type TYPE --secret REF`.",
        );
        return Ok(());
    }
    let now = SystemTime::now();
    let mut header = vec![
        "#",
        "NAME",
        "TYPE",
        "SECRET",
        "MODEL",
        "BASE URL",
        "LAST TEST",
        "SCOPE",
    ];
    if args.all {
        header.insert(6, "ARCHIVED");
    }
    let mut table = output::table(settings, &header);
    for view in &views {
        let model = match view.model {
            Some(m) => m.to_owned(),
            None if view.effective_model.is_empty() => "-".to_owned(),
            None => format!("{} (default)", view.effective_model),
        };
        let mut row = vec![
            if view.shadowed == Some(true) {
                "-".to_owned()
            } else {
                view.priority.to_string()
            },
            view.name.to_owned(),
            view.kind.to_owned(),
            view.secret.unwrap_or("-").to_owned(),
            model,
            // Only a non-default base URL is worth the column width.
            view.base_url.unwrap_or("").to_owned(),
            last_test_text(view.last_test, now),
            match (&view.scope, view.shadowed) {
                (Some(scope), Some(true)) => format!("{scope} (shadowed)"),
                (Some(scope), _) => scope.clone(),
                (None, _) => String::new(),
            },
        ];
        if args.all {
            row.insert(6, if view.archived { "yes" } else { "" }.to_owned());
        }
        table.add_row(row);
    }
    output::print_table(&table)?;
    // A running `byok proxy` reports the connectors it skips (cooldown after a refused key).
    for (name, why) in crate::proxy::state::unhealthy(settings.paths.home()) {
        output::status(&format!(
            "byok proxy: connector '{name}' is unhealthy: {why}"
        ));
    }
    Ok(())
}

fn print_view(view: &ConnectorView<'_>, json: bool) -> Result<()> {
    if json {
        return output::print_json(view);
    }
    let now = SystemTime::now();
    let mut rows = vec![
        ("name", view.name.to_owned()),
        ("priority", view.priority.to_string()),
        ("type", view.kind.to_owned()),
        ("secret", view.secret.unwrap_or("-").to_owned()),
        ("model", view.effective_model.clone()),
        (
            "base url",
            view.effective_base_url
                .clone()
                .unwrap_or_else(|| "-".into()),
        ),
        ("archived", if view.archived { "yes" } else { "no" }.into()),
        ("last test", last_test_text(view.last_test, now)),
    ];
    let options: Vec<String> = view
        .options
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if !options.is_empty() {
        rows.push(("options", options.join(", ")));
    }
    if !view.models.is_empty() {
        // After `model`: the other models the proxy routes here.
        rows.insert(5, ("models", view.models.join(" ")));
    }
    let text: String = rows.iter().map(|(k, v)| format!("{k:<9}  {v}\n")).collect();
    output::print_text(&text)
}

fn show(ctx: &Context, args: &ConnectorShowArgs) -> Result<()> {
    let settings = &ctx.settings;
    let config = ctx.config()?;
    let connector = config.get(&args.name)?;
    let last = probes::last_tests(settings);
    let index = config.index_of(&args.name)?;
    print_view(
        &ConnectorView::new(
            index + 1,
            connector,
            config.connector_models(&connector.name),
            last.get(&connector.name),
        ),
        args.json,
    )
}

fn default(ctx: &Context, args: &ConnectorJsonArgs) -> Result<()> {
    let settings = &ctx.settings;
    let config = ctx.config()?;
    let connector = config.active().next().ok_or(Error::NoConnectors)?;
    let last = probes::last_tests(settings);
    let index = config.index_of(&connector.name)?;
    print_view(
        &ConnectorView::new(
            index + 1,
            connector,
            config.connector_models(&connector.name),
            last.get(&connector.name),
        ),
        args.json,
    )
}

// ---- test / models ---------------------------------------------------------------

/// The keys of these connectors, read from whichever store holds each secret; the vault is
/// unlocked once, only if needed.
fn keys_for(ctx: &Context, connectors: &[Connector]) -> Result<HashMap<String, KeyLookup>> {
    if connectors.iter().all(|c| c.secret.is_none()) {
        return Ok(HashMap::new());
    }
    let registry = ctx.registry()?;
    let mut keys = HashMap::new();
    for reference in connectors.iter().filter_map(|c| c.secret.as_deref()) {
        let value = match registry.locate(reference)? {
            None => Err(format!(
                "secret '{reference}' is not in the vault; add it with `byok secret add {reference}`"
            )),
            Some(found) => value_of(&found, KEY_FIELD)
                .map(|v| SecretString::from(v.expose().to_owned()))
                .map_err(|e| e.to_string()),
        };
        keys.insert(reference.to_owned(), value);
    }
    Ok(keys)
}

fn test(ctx: &Context, args: &ConnectorTestArgs) -> Result<()> {
    let settings = &ctx.settings;
    let config = ctx.config()?;
    let connectors: Vec<Connector> = if args.names.is_empty() || args.all {
        config.active().cloned().collect()
    } else {
        args.names
            .iter()
            .map(|n| config.get(n).cloned())
            .collect::<Result<_>>()?
    };
    if connectors.is_empty() {
        return Err(Error::NoConnectors);
    }
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        return Err(Error::InvalidOption {
            text: format!("--timeout {}", args.timeout),
        });
    }
    let prompt = args.prompt.as_deref().unwrap_or(probe::DEFAULT_PROMPT);
    let keys = keys_for(ctx, &connectors)?;
    runtime::run_tests(
        settings,
        ctx.home_config()?,
        connectors,
        keys,
        Duration::from_secs_f64(args.timeout),
        prompt,
        args.json,
    )
}

fn models(ctx: &Context, args: &ConnectorShowArgs) -> Result<()> {
    let settings = &ctx.settings;
    let config = ctx.config()?;
    let connector = config.get(&args.name)?.clone();
    let spec = spec_for(&connector.kind)?;
    if !probe::has_models(spec) {
        return Err(Error::NoModelList {
            kind: spec.display_name.to_owned(),
        });
    }
    let keys = keys_for(ctx, std::slice::from_ref(&connector))?;
    let ModelList { current, models } = runtime::models(settings, &connector, keys)?;
    if args.json {
        return output::print_json(&json!({
            "connector": connector.name,
            "model": current,
            "models": models,
        }));
    }
    if !current.is_empty() && !models.contains(&current) {
        output::warn(
            settings,
            &format!("the connector's model '{current}' is not in the provider's list"),
        );
    }
    let text: String = models
        .iter()
        .map(|m| {
            let mark = if *m == current { "*" } else { " " };
            format!("{mark} {m}\n")
        })
        .collect();
    output::print_text(&text)
}

// ---- providers ---------------------------------------------------------------------

fn auth_text(auth: AuthStyle) -> &'static str {
    match auth {
        AuthStyle::Bearer => "Authorization: Bearer",
        AuthStyle::XApiKey => "x-api-key",
        AuthStyle::XGoogApiKey => "x-goog-api-key",
        AuthStyle::AzureApiKey => "api-key",
    }
}

/// `byok providers`: the catalog.
pub fn providers(settings: &Settings, args: &ProvidersArgs) -> Result<()> {
    if args.json {
        let list: Vec<_> = catalog::all()
            .iter()
            .map(|s| {
                json!({
                    "type": s.id, "name": s.display_name,
                    "default_base_url": s.default_base_url,
                    "auth_header": s.auth.header_name(),
                    "key_env_vars": s.key_env_vars,
                    "base_url_env_var": s.base_url_env_var,
                    "default_model": s.default_model,
                    "local": s.local,
                    "has_model_list": probe::has_models(s),
                    "default_options": s.default_options.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>(),
                })
            })
            .collect();
        return output::print_json(&list);
    }
    let mut table = output::table(
        settings,
        &[
            "TYPE",
            "PROVIDER",
            "BASE URL",
            "AUTH",
            "KEY ENV VARS",
            "DEFAULT MODEL",
        ],
    );
    for s in catalog::all() {
        table.add_row(vec![
            s.id.to_owned(),
            s.display_name.to_owned(),
            s.default_base_url
                .unwrap_or("(--base-url required)")
                .to_owned(),
            if s.local {
                format!("{} (optional)", auth_text(s.auth))
            } else {
                auth_text(s.auth).to_owned()
            },
            s.key_env_vars.join(", "),
            if s.default_model.is_empty() {
                "(first listed)".to_owned()
            } else {
                s.default_model.to_owned()
            },
        ]);
    }
    output::print_table(&table)
}

/// `--service-user USER`: a user this system knows (a name or a uid); "" removes it.
fn service_user(user: Option<&str>) -> Result<Option<String>> {
    match user {
        None | Some("") => Ok(None),
        Some(user) if crate::net::owner::resolve_user(user).is_some() => Ok(Some(user.to_owned())),
        Some(user) => Err(Error::Usage(format!(
            "--service-user {}: no such user on this system (a name from /etc/passwd, or a uid)",
            crate::term::sanitize::line(&crate::term::sanitize::shorten(user))
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_parse() {
        let opts = parse_options(&["a=b".into(), "api-version=2024-10-21".into()]).unwrap();
        assert_eq!(opts[1], ("api-version".into(), "2024-10-21".into()));
        assert!(parse_options(&["novalue".into()]).is_err());
        assert!(parse_options(&["=x".into()]).is_err());
    }
}
