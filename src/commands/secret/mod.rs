//! `byok secret …`: add, list, show, get, rotate, rename, move, roll back and remove named
//! secrets — in whichever store holds them, through the registry (never by store kind).

mod rotate_provider;
mod rotate_verify;

use std::io::Read;
use std::time::SystemTime;

use serde::Serialize;
use zeroize::Zeroizing;

use crate::cli::{
    AddArgs, GetArgs, ListArgs, MoveArgs, RenameArgs, RmArgs, RollbackArgs, RotateArgs,
    SecretCommand, SetArgs, ShowArgs,
};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::hygiene::audit::Entry;
use crate::hygiene::reveal::{self, Reveal};
use crate::names;
use crate::prompt;
use crate::provider::catalog;
use crate::secret::SecretValue;
use crate::settings::Settings;
use crate::store::registry::{Located, value_of};
use crate::store::transfer::transfer;
use crate::store::{DEFAULT_FIELD, Meta, Put, PutMode, Store};
use crate::term::output;

pub use rotate_provider::{retire_now, rotate_leaked};

pub fn run(ctx: &Context, command: SecretCommand) -> Result<()> {
    match command {
        SecretCommand::Add(args) => add(ctx, args),
        SecretCommand::List(args) => list(ctx, &args),
        SecretCommand::Show(args) => show(ctx, &args),
        SecretCommand::Get(args) => get(ctx, &args),
        SecretCommand::Rotate(args) => rotate(ctx, args),
        SecretCommand::Set(args) => set(ctx, &args),
        SecretCommand::Rename(args) => rename(ctx, &args),
        SecretCommand::Move(args) => move_to(ctx, &args),
        SecretCommand::Rollback(args) => rollback(ctx, &args),
        SecretCommand::Rm(args) => rm(ctx, &args),
    }
}

/// A value from `--stdin` or a hidden prompt; never from argv.
fn read_value(
    settings: &Settings,
    reference: &str,
    field: &str,
    from_stdin: bool,
) -> Result<SecretValue> {
    let value = if from_stdin {
        let mut text = Zeroizing::new(String::with_capacity(4096));
        let limit = crate::secret::MAX_VALUE_BYTES;
        std::io::stdin()
            .take(limit as u64 + 1)
            .read_to_string(&mut text)
            .map_err(|source| Error::Terminal {
                action: "read the value from standard input",
                source,
            })?;
        if text.len() > limit {
            return Err(Error::ValueTooLarge { limit });
        }
        let trimmed = text
            .strip_suffix("\r\n")
            .or_else(|| text.strip_suffix('\n'))
            .unwrap_or(&text);
        SecretValue::new(trimmed.to_owned())
    } else if settings.interactive() {
        let prompt = format!("Value for {reference}.{field} (input hidden)");
        SecretValue::from(prompt::password(&prompt)?)
    } else {
        return Err(Error::NoValueSource {
            reference: reference.to_owned(),
        });
    };
    if value.expose().is_empty() {
        return Err(Error::EmptyValue);
    }
    Ok(value)
}

fn add(ctx: &Context, args: AddArgs) -> Result<()> {
    let settings = &ctx.settings;
    names::check_ref(&args.reference)?;
    names::check_field(&args.field)?;
    if args.value.is_some() {
        return Err(Error::ValueInArgv {
            reference: args.reference,
            verb: "add",
        });
    }
    let expires = args
        .expires
        .as_deref()
        .map(|text| crate::hygiene::rotation::parse_expires(text, SystemTime::now()))
        .transpose()?;
    let provider = args
        .provider
        .as_deref()
        .map(|name| {
            catalog::lookup(name).ok_or_else(|| Error::UnknownProvider {
                name: name.to_owned(),
                known: catalog::ids().collect::<Vec<_>>().join(", "),
            })
        })
        .transpose()?;
    let registry = ctx.registry()?;
    let store: &dyn Store = match &args.store {
        Some(name) => registry.store(name)?,
        None => {
            let default = registry.default_store();
            match registry.locate(&args.reference)? {
                Some(found) if found.store.name() != default.name() => {
                    return Err(Error::ExistsElsewhere {
                        reference: args.reference,
                        store: found.store.name().to_owned(),
                    });
                }
                Some(found) => found.store,
                None => default,
            }
        }
    };
    // Refuse before asking for the value, so nobody pastes a key for nothing.
    let existing = store.find(&args.reference)?;
    if let Some(existing) = &existing
        && existing.fields.contains(&args.field)
        && !args.force
    {
        return Err(Error::FieldExists {
            reference: args.reference,
            field: args.field,
        });
    }

    if let (Some(existing), Some(to)) = (&existing, &args.reveal) {
        guard_loosening(ctx, existing, to)?;
    }
    let value = read_value(settings, &args.reference, &args.field, args.stdin)?;
    if args.field == DEFAULT_FIELD
        && catalog::key_kind(value.expose()).is_some_and(catalog::KeyKind::is_admin)
    {
        output::warn(
            settings,
            "this is an admin key (it manages the organisation, it cannot call models); \
             env, exec and inject hand it to a program only when it is named and \
             --allow-admin is given",
        );
    }
    // On a terminal, offer the provider the key's shape points at.
    let provider = match provider {
        None if args.field == DEFAULT_FIELD
            && !args.stdin
            && settings.interactive()
            && existing.as_ref().is_none_or(|m| m.provider.is_none()) =>
        {
            match catalog::guess_provider(value.expose()) {
                Some(spec)
                    if prompt::confirm_yes(&format!(
                        "This key looks like one for {}; record provider '{}'?",
                        spec.display_name, spec.id
                    ))? =>
                {
                    Some(spec)
                }
                _ => None,
            }
        }
        provider => provider,
    };
    let effective_provider = provider.or_else(|| {
        existing
            .as_ref()
            .and_then(|m| m.provider.as_deref())
            .and_then(catalog::lookup)
    });
    if let Some(spec) = effective_provider
        && args.field == DEFAULT_FIELD
        && let Some(warning) = catalog::key_shape_warning(spec, value.expose())
    {
        output::warn(settings, &format!("{warning}; storing it anyway"));
    }

    let mut put = Put::new(&args.reference, PutMode::Upsert, &output::now_rfc3339());
    put.replace = args.force;
    put.label = args.name.clone();
    put.provider = provider.map(|spec| spec.id.to_owned());
    put.values = vec![(args.field.clone(), value)];
    put.expires = expires;
    put.reveal = args.reveal.clone();
    let action = if existing.is_some() {
        "secret.update"
    } else {
        "secret.add"
    };
    let created = ctx.audited(
        vec![Entry::secret(action, &args.reference, Some(store.name()))],
        || store.put(vec![put]),
    )?;
    let created = created.first().copied().unwrap_or(false);
    output::status(&if created {
        format!(
            "Added secret '{}' (field {}, in the {}).",
            args.reference,
            args.field,
            store.name()
        )
    } else {
        format!("Set field '{}' of secret '{}'.", args.field, args.reference)
    });
    Ok(())
}

/// Whether a secret is due: not rotated in `rotation_days`, or expiring within 14 days.
fn is_stale(meta: &Meta, now: SystemTime, rotation_days: u64) -> Option<bool> {
    crate::hygiene::rotation::due(meta, now, rotation_days).map(crate::hygiene::rotation::Due::any)
}

/// Refuses to loosen a secret's `never` policy unless the vault passphrase is typed.
fn guard_loosening(ctx: &Context, existing: &Meta, to: &str) -> Result<()> {
    use crate::hygiene::reveal::Policy;
    let from = Policy::from_stored(existing.reveal.as_deref()).unwrap_or_default();
    let to: Policy = to.parse()?;
    if crate::hygiene::reveal::loosens(from, to) {
        crate::hygiene::reveal::confirm_loosening(ctx, "to loosen the reveal policy")?;
    }
    Ok(())
}

/// A secret as `list --json` / `show --json` print it (the fixed schema in
/// docs/reference/json.md).
#[derive(Serialize)]
struct SecretView {
    #[serde(rename = "ref")]
    reference: String,
    label: String,
    provider: Option<String>,
    store: String,
    /// `project`, `workspace:NAME` or `global` (see [`crate::scope`]).
    scope: String,
    /// An earlier store or scope holds the same ref name, so lookups never reach this one
    /// (only `list`).
    #[serde(skip_serializing_if = "Option::is_none")]
    shadowed: Option<bool>,
    kind: Option<String>,
    /// Field name → masked value.
    fields: std::collections::BTreeMap<String, String>,
    /// The masked default field (`api_key`, else the first field).
    value: Option<String>,
    created: Option<String>,
    updated: Option<String>,
    rotated: Option<String>,
    expires: Option<String>,
    stale: Option<bool>,
    /// `rotate`, `expiring`, `expired`: why the secret is flagged (empty: it is not).
    due: Vec<&'static str>,
    reveal: Option<String>,
    /// Numbered versions, for stores that keep them (only `show`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    versions: Vec<VersionView>,
}

#[derive(Serialize)]
struct VersionView {
    number: u64,
    created: String,
    deleted: Option<String>,
    destroyed: bool,
    current: bool,
}

/// The masked value of each field (or why it cannot be shown), and the key kind the
/// `api_key` value's shape tells.
fn masked_fields(store: &dyn Store, meta: &Meta) -> (Vec<String>, Option<&'static str>) {
    let fields: Vec<&str> = meta.fields.iter().map(String::as_str).collect();
    match store.get_many(&meta.reference, &fields) {
        Ok(values) => {
            let kind = fields
                .iter()
                .zip(&values)
                .find(|(f, _)| **f == DEFAULT_FIELD)
                .and_then(|(_, v)| v.as_ref())
                .and_then(|v| catalog::key_kind(v.expose()))
                .map(catalog::KeyKind::as_str);
            let masked = values
                .iter()
                .map(|v| match v {
                    Some(v) => v.masked(),
                    None => format!("(missing from {})", store.name()),
                })
                .collect();
            (masked, kind)
        }
        Err(_) => (
            vec![format!("({} unreachable)", store.name()); fields.len()],
            None,
        ),
    }
}

impl SecretView {
    fn new(store: &dyn Store, meta: Meta, now: SystemTime, rotation_days: u64) -> Self {
        let (masked, shape_kind) = masked_fields(store, &meta);
        let fields: std::collections::BTreeMap<String, String> =
            meta.fields.iter().cloned().zip(masked).collect();
        let value = fields
            .get(DEFAULT_FIELD)
            .or_else(|| fields.values().next())
            .cloned();
        SecretView {
            stale: is_stale(&meta, now, rotation_days),
            due: crate::hygiene::rotation::due(&meta, now, rotation_days)
                .map(crate::hygiene::rotation::Due::marks)
                .unwrap_or_default(),
            reveal: meta.reveal.clone(),
            reference: meta.reference,
            label: meta.label,
            provider: meta.provider,
            store: store.name().to_owned(),
            // Set by the caller, who knows the registry.
            scope: "global".into(),
            shadowed: None,
            // What the store recorded, else what the key's shape says.
            kind: meta.kind.or_else(|| shape_kind.map(str::to_owned)),
            fields,
            value,
            created: meta.created,
            updated: meta.updated,
            rotated: meta.rotated,
            expires: meta.expires,
            versions: Vec::new(),
        }
    }
}

fn list(ctx: &Context, args: &ListArgs) -> Result<()> {
    let settings = &ctx.settings;
    let registry = ctx.registry()?;
    if let Some(name) = &args.store {
        registry.store(name)?;
    }
    let (found, failed) = registry.list_all();
    let first = registry.all().next().map(|s| s.name().to_owned());
    for (store, error) in failed {
        // The first store in the resolution order (the home vault) must be readable;
        // another store's trouble is only a warning.
        if Some(&store) == first.as_ref() {
            return Err(error);
        }
        output::warn(
            settings,
            &format!("could not list the {store} store: {error}"),
        );
    }
    let now = SystemTime::now();
    let days = crate::hygiene::rotation::rotation_days(ctx);
    let views: Vec<(SecretView, bool)> = found
        .into_iter()
        .filter(|(store, _, _)| args.store.as_deref().is_none_or(|n| n == store.name()))
        .filter(|(store, _, _)| registry.scope_of(store.name()).matches(args.scope))
        .filter(|(_, meta, _)| {
            !args.stale && !args.check
                || crate::hygiene::rotation::due(meta, now, days)
                    .is_some_and(crate::hygiene::rotation::Due::any)
        })
        .map(|(store, meta, shadowed)| {
            let mut view = SecretView::new(store, meta, now, days);
            view.scope = registry.scope_of(store.name()).label();
            view.shadowed = Some(shadowed);
            (view, shadowed)
        })
        .collect();
    let flagged = views.len();
    if args.rotate_due {
        let due: Vec<(String, String)> = views
            .iter()
            .filter(|(_, shadowed)| !shadowed)
            .map(|(v, _)| (v.reference.clone(), v.store.clone()))
            .collect();
        return rotate_provider::rotate_due(ctx, due);
    }
    let finish = || {
        if args.check && flagged > 0 {
            Err(Error::StaleFound { count: flagged })
        } else {
            Ok(())
        }
    };
    if args.json {
        output::print_json(&views.iter().map(|(v, _)| v).collect::<Vec<_>>())?;
        return finish();
    }
    if views.is_empty() {
        output::status(if args.stale || args.check {
            "No secret is due for rotation or expiring."
        } else {
            "No secrets yet. Add one with `byok secret add REF`."
        });
        return Ok(());
    }
    let mut table = output::table(
        settings,
        &[
            "REF", "LABEL", "PROVIDER", "KIND", "SCOPE", "STORE", "FIELDS", "VALUE", "ROTATED",
            "EXPIRES", "DUE",
        ],
    );
    for (view, shadowed) in &views {
        let store = if *shadowed {
            format!("{} (shadowed)", view.store)
        } else {
            view.store.clone()
        };
        table.add_row(vec![
            view.reference.clone(),
            view.label.clone(),
            view.provider.clone().unwrap_or_else(|| "-".into()),
            view.kind.clone().unwrap_or_else(|| "-".into()),
            view.scope.clone(),
            store,
            view.fields.keys().cloned().collect::<Vec<_>>().join(", "),
            view.value.clone().unwrap_or_default(),
            view.rotated
                .as_deref()
                .map_or_else(|| "-".into(), |r| output::ago(r, now)),
            view.expires
                .as_deref()
                .map_or_else(|| "-".into(), |e| crate::hygiene::rotation::until(e, now)),
            if view.due.is_empty() {
                "-".into()
            } else {
                view.due.join(", ")
            },
        ]);
    }
    output::print_table(&table)?;
    finish()
}

fn show(ctx: &Context, args: &ShowArgs) -> Result<()> {
    names::check_ref(&args.reference)?;
    let Located { store, meta } = ctx
        .registry()?
        .resolve(&args.reference, args.store.as_deref())?;
    let now = SystemTime::now();
    let mut view = SecretView::new(
        store,
        meta,
        now,
        crate::hygiene::rotation::rotation_days(ctx),
    );
    view.scope = ctx.registry()?.scope_of(store.name()).label();
    view.versions = store
        .versions(&args.reference)?
        .into_iter()
        .map(|v| VersionView {
            number: v.number,
            created: v.created,
            deleted: v.deleted,
            destroyed: v.destroyed,
            current: v.current,
        })
        .collect();
    if args.json {
        return output::print_json(&view);
    }
    let with_ago = |ts: &Option<String>| match ts {
        Some(ts) => format!("{ts} ({})", output::ago(ts, now)),
        None => "-".into(),
    };
    let mut rows = vec![
        ("ref".to_owned(), view.reference.clone()),
        ("label".to_owned(), view.label.clone()),
        (
            "provider".to_owned(),
            view.provider.clone().unwrap_or_else(|| "-".into()),
        ),
        ("store".to_owned(), view.store.clone()),
        ("created".to_owned(), with_ago(&view.created)),
        ("updated".to_owned(), with_ago(&view.updated)),
        ("rotated".to_owned(), with_ago(&view.rotated)),
    ];
    if let Some(expires) = &view.expires {
        rows.push((
            "expires".to_owned(),
            format!(
                "{expires} ({})",
                crate::hygiene::rotation::until(expires, now)
            ),
        ));
    }
    if !view.due.is_empty() {
        rows.push(("due".to_owned(), view.due.join(", ")));
    }
    if let Some(reveal) = &view.reveal {
        rows.push(("reveal".to_owned(), reveal.clone()));
    }
    for (name, masked) in &view.fields {
        rows.push((format!("field {name}"), masked.clone()));
    }
    for v in &view.versions {
        let state = match (&v.deleted, v.destroyed) {
            (_, true) => " destroyed".to_owned(),
            (Some(at), false) => format!(" deleted {at}"),
            _ => String::new(),
        };
        let current = if v.current { " (current)" } else { "" };
        rows.push((
            format!("version {}", v.number),
            format!("{}{state}{current}", v.created),
        ));
    }
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let text: String = rows
        .iter()
        .map(|(k, v)| format!("{k:<width$}  {v}\n"))
        .collect();
    output::print_text(&text)
}

fn get(ctx: &Context, args: &GetArgs) -> Result<()> {
    names::check_ref(&args.reference)?;
    names::check_field(&args.field)?;
    // Every attempt is in the log: a refused or failed read is how an agent probing for a
    // key shows. An unlock that failed is logged too (without a MAC: there was no key).
    let (value, store) = match read_for_get(ctx, args) {
        Ok(read) => read,
        Err(e) => {
            // (`audit_now` itself writes nothing in a home `init` did not make.)
            let _ = ctx.audit_now(
                Entry::secret("secret.read", &args.reference, args.store.as_deref()),
                Err(e.exit() as u8),
            );
            return Err(e);
        }
    };
    ctx.audit_now(
        Entry::secret("secret.read", &args.reference, Some(&store)),
        Ok(()),
    )?;
    let mut line = Zeroizing::new(String::with_capacity(value.expose().len() + 1));
    line.push_str(value.expose());
    line.push('\n');
    output::print(&line)
}

/// The value `secret get` prints and the store it came from, after the reveal policy.
fn read_for_get(ctx: &Context, args: &GetArgs) -> Result<(SecretValue, String)> {
    let registry = ctx.registry()?;
    // With --store, the store is asked directly.
    let (value, store) = match &args.store {
        Some(name) => {
            let store = registry.store(name)?;
            // The store is asked for the value directly: the keychain answers without its
            // index (no vault, no passphrase), even for a value byok has no record of. The
            // record's reveal policy counts whenever the index is at hand without a prompt
            // (the identity is cheap to have, or the vault was decrypted for the value).
            let value = store
                .get_many(&args.reference, &[args.field.as_str()])?
                .pop()
                .flatten()
                .ok_or_else(|| store.not_here(&args.reference, &args.field))?;
            let meta = if registry.home_vault().is_decrypted()
                || ctx.unlocker().get_without_prompt().is_some()
            {
                store.find(&args.reference).ok().flatten()
            } else {
                None
            };
            reveal::check(ctx, Reveal::Print, &meta.iter().collect::<Vec<_>>())?;
            (value, store.name().to_owned())
        }
        None => {
            let found = registry.resolve(&args.reference, None)?;
            reveal::check(ctx, Reveal::Print, &[&found.meta])?;
            (
                value_of(&found, &args.field)?,
                found.store.name().to_owned(),
            )
        }
    };
    Ok((value, store))
}

fn rotate(ctx: &Context, args: RotateArgs) -> Result<()> {
    names::check_ref(&args.reference)?;
    names::check_field(&args.field)?;
    if args.value.is_some() {
        return Err(Error::ValueInArgv {
            reference: args.reference,
            verb: "rotate",
        });
    }
    if args.via_provider {
        return rotate_provider::rotate(ctx, args);
    }
    let expires = args
        .expires
        .as_deref()
        .map(|text| crate::hygiene::rotation::parse_expires(text, SystemTime::now()))
        .transpose()?;
    let Located { store, meta } = ctx
        .registry()?
        .resolve(&args.reference, args.store.as_deref())?;
    if !meta.fields.contains(&args.field) {
        return Err(Error::FieldNotFound {
            reference: args.reference,
            field: args.field,
            fields: meta.fields,
        });
    }
    let value = read_value(&ctx.settings, &args.reference, &args.field, args.stdin)?;
    let entry = Entry::secret("secret.rotate", &args.reference, Some(store.name()));
    if args.verify
        && let Err(e) =
            rotate_verify::verify(ctx, &args.reference, &args.field, &value, args.timeout)
    {
        let _ = ctx.audit_now(entry, Err(e.exit() as u8));
        return Err(e);
    }
    let mut put = Put::new(&args.reference, PutMode::Update, &output::now_rfc3339());
    put.replace = true;
    put.values = vec![(args.field.clone(), value)];
    put.expires = expires;
    ctx.audited(vec![entry], || store.put(vec![put]))?;
    output::status(&format!("Rotated {}.{}.", args.reference, args.field));
    Ok(())
}

fn set(ctx: &Context, args: &SetArgs) -> Result<()> {
    names::check_ref(&args.reference)?;
    if args.expires.is_none() && args.reveal.is_none() {
        return Err(Error::Usage(
            "nothing to change: give --expires and/or --reveal".into(),
        ));
    }
    let Located { store, meta } = ctx
        .registry()?
        .resolve(&args.reference, args.store.as_deref())?;
    let expires = args
        .expires
        .as_deref()
        .map(|text| crate::hygiene::rotation::parse_expires(text, SystemTime::now()))
        .transpose()?;
    if let Some(to) = &args.reveal {
        guard_loosening(ctx, &meta, to)?;
    }
    let mut put = Put::new(&args.reference, PutMode::Update, &output::now_rfc3339());
    put.expires = expires;
    put.reveal = args.reveal.clone();
    ctx.audited(
        vec![Entry::secret(
            "secret.set",
            &args.reference,
            Some(store.name()),
        )],
        || store.put(vec![put]),
    )?;
    output::status(&format!("Updated '{}'.", args.reference));
    Ok(())
}

fn rename(ctx: &Context, args: &RenameArgs) -> Result<()> {
    names::check_ref(&args.old)?;
    names::check_ref(&args.new)?;
    // A config.toml that does not parse must stop the rename before anything changes, or
    // the connectors could not be repointed afterwards.
    let config = ctx.config()?;
    let registry = ctx.registry()?;
    let Located { store, .. } = registry.resolve(&args.old, args.store.as_deref())?;
    // The new name must be free everywhere: connectors follow the rename, and a copy of the
    // new name in another store would silently win (or lose) the resolution.
    if let Some(found) = registry.locate(&args.new)? {
        return Err(if found.store.name() == store.name() {
            Error::SecretExists {
                name: args.new.clone(),
            }
        } else {
            Error::ExistsElsewhere {
                reference: args.new.clone(),
                store: found.store.name().to_owned(),
            }
        });
    }
    ctx.audited(
        vec![Entry::secret(
            "secret.rename",
            &args.old,
            Some(store.name()),
        )],
        || {
            store.rename(
                &args.old,
                &args.new,
                &output::now_rfc3339(),
                ctx.transfer_fault(),
            )
        },
    )?;
    output::status(&format!("Renamed '{}' to '{}'.", args.old, args.new));
    for connector in crate::config::rename_secret_refs(&ctx.settings, config, &args.old, &args.new)?
    {
        output::status(&format!("Connector '{connector}' now uses '{}'.", args.new));
    }
    // The active workspace's connectors follow too.
    if let Some(workspace) = ctx.workspace()?
        && !workspace
            .connectors(ctx.settings.paths.home())?
            .using_secret(&args.old)
            .is_empty()
    {
        let renamed = workspace.modify_connectors(&ctx.settings.paths, |c| {
            Ok(c.rename_secret(&args.old, &args.new))
        })?;
        for connector in renamed {
            output::status(&format!(
                "Connector '{connector}' (workspace {}) now uses '{}'.",
                workspace.name, args.new
            ));
        }
    }
    Ok(())
}

fn move_to(ctx: &Context, args: &MoveArgs) -> Result<()> {
    names::check_ref(&args.reference)?;
    let registry = ctx.registry()?;
    let to = registry.store(&args.to)?;
    let Located { store: from, meta } = registry.resolve(&args.reference, args.from.as_deref())?;
    if from.name() == to.name() {
        output::status(&format!(
            "'{}' is already in the {}.",
            args.reference,
            to.name()
        ));
        return Ok(());
    }
    // A `never` secret moved to a store other tools can read (the keychain) loosens it.
    if to.name() == crate::store::keychain::NAME
        && crate::hygiene::reveal::effective(crate::hygiene::reveal::recorded_policy(ctx)?, &meta)
            == crate::hygiene::reveal::Policy::Never
    {
        crate::hygiene::reveal::confirm_loosening(ctx, "to move a `never` secret to the keychain")?;
    }
    ctx.audited(
        vec![Entry::secret(
            "secret.move",
            &args.reference,
            Some(to.name()),
        )],
        || {
            transfer(
                from,
                to,
                &args.reference,
                &args.reference,
                &output::now_rfc3339(),
                ctx.transfer_fault(),
            )
        },
    )?;
    output::status(&format!(
        "Moved '{}' from the {} to the {}.",
        args.reference,
        from.name(),
        to.name()
    ));
    Ok(())
}

fn rollback(ctx: &Context, args: &RollbackArgs) -> Result<()> {
    names::check_ref(&args.reference)?;
    for field in &args.fields {
        names::check_field(field)?;
    }
    let Located { store, .. } = ctx
        .registry()?
        .resolve(&args.reference, args.store.as_deref())?;
    let fields = ctx.audited(
        vec![Entry::secret(
            "secret.rollback",
            &args.reference,
            Some(store.name()),
        )],
        || {
            store.rollback(
                &args.reference,
                &args.fields,
                args.to_version,
                &output::now_rfc3339(),
            )
        },
    )?;
    output::status(&format!(
        "Rolled back {} of '{}' to the previous value (rolling back again restores the newer one).",
        fields.join(", "),
        args.reference
    ));
    if fields.iter().any(|f| f == DEFAULT_FIELD) {
        rotate_provider::after_rollback(ctx, &args.reference)?;
    }
    Ok(())
}

fn rm(ctx: &Context, args: &RmArgs) -> Result<()> {
    names::check_ref(&args.reference)?;
    let Located { store, .. } = ctx
        .registry()?
        .resolve(&args.reference, args.store.as_deref())?;
    let users = ctx.config()?.using_secret(&args.reference);
    if !users.is_empty() && !args.force {
        return Err(Error::SecretInUse {
            reference: args.reference.clone(),
            connectors: users,
        });
    }
    let action = if args.destroy { "destroy" } else { "remove" };
    if !args.yes {
        if !ctx.settings.interactive() {
            return Err(Error::NeedsConfirmation {
                action: format!("{action} secret '{}'", args.reference),
            });
        }
        let question = if args.destroy {
            format!(
                "Destroy secret '{}' with every version, for good (it cannot be undeleted)?",
                args.reference
            )
        } else {
            format!("Remove secret '{}' and all its fields?", args.reference)
        };
        if !prompt::confirm(&question)? {
            return Err(Error::Cancelled);
        }
    }
    let action = if args.destroy {
        "secret.destroy"
    } else {
        "secret.remove"
    };
    ctx.audited(
        vec![Entry::secret(action, &args.reference, Some(store.name()))],
        || {
            if args.destroy {
                store.destroy(&args.reference)
            } else {
                store.delete(&args.reference)
            }
        },
    )?;
    if args.destroy {
        output::status(&format!(
            "Destroyed secret '{}' (every version).",
            args.reference
        ));
    } else {
        output::status(&format!("Removed secret '{}'.", args.reference));
    }
    Ok(())
}
