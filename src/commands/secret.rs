//! `byok secret …`: add, list, show, get, rotate, rename and remove named secrets.

use std::collections::BTreeMap;
use std::io::Read;
use std::time::SystemTime;

use serde::Serialize;
use zeroize::Zeroizing;

use crate::cli::{
    AddArgs, GetArgs, ListArgs, MoveArgs, RenameArgs, RmArgs, RotateArgs, SecretCommand, ShowArgs,
};
use crate::error::{Error, Result, suggest};
use crate::names;
use crate::output;
use crate::prompt;
use crate::provider::catalog;
use crate::secret::SecretValue;
use crate::settings::Settings;
use crate::store::keychain::KeychainStore;
use crate::store::vault::{self, SecretRecord, VaultDoc};
use crate::store::{self, Store, StoreKind};
use crate::unlock::{self, Unlocked};

/// The default field of every secret.
pub const DEFAULT_FIELD: &str = "api_key";

pub fn run(settings: &Settings, command: SecretCommand) -> Result<()> {
    match command {
        SecretCommand::Add(args) => add(settings, args),
        SecretCommand::List(args) => list(settings, &args),
        SecretCommand::Show(args) => show(settings, &args),
        SecretCommand::Get(args) => get(settings, &args),
        SecretCommand::Rotate(args) => rotate(settings, args),
        SecretCommand::Rename(args) => rename(settings, &args),
        SecretCommand::Move(args) => move_to(settings, &args),
        SecretCommand::Rm(args) => rm(settings, &args),
    }
}

/// Checks the vault exists, then finds its identity (prompting only if needed).
fn open(settings: &Settings) -> Result<Unlocked> {
    vault::ensure_exists(settings)?;
    unlock::unlock(settings)
}

fn not_found<'a>(reference: &str, names: impl IntoIterator<Item = &'a str>) -> Error {
    Error::SecretNotFound {
        name: reference.to_owned(),
        suggestion: suggest(reference, names),
    }
}

fn record<'d>(doc: &'d VaultDoc, reference: &str) -> Result<&'d SecretRecord> {
    doc.secrets
        .get(reference)
        .ok_or_else(|| not_found(reference, doc.secrets.keys().map(String::as_str)))
}

fn field_not_found(reference: &str, field: &str, record: &SecretRecord) -> Error {
    Error::FieldNotFound {
        reference: reference.to_owned(),
        field: field.to_owned(),
        fields: record.fields.keys().cloned().collect(),
    }
}

/// Writes a value to `kind`; for the vault that is the document (saved by the caller).
fn write_field(
    doc: &mut VaultDoc,
    kind: StoreKind,
    reference: &str,
    field: &str,
    value: SecretValue,
) -> Result<()> {
    match kind {
        StoreKind::Vault => doc.put(reference, field, value),
        StoreKind::Keychain => {
            KeychainStore.put(reference, field, value)?;
            // The vault keeps only the field's name.
            if let Some(record) = doc.secrets.get_mut(reference) {
                record.fields.insert(field.to_owned(), None);
            }
            Ok(())
        }
    }
}

/// Removes a secret's values from an external store (the vault's go with its record).
fn delete_external(reference: &str, record: &SecretRecord) -> Result<()> {
    if record.store == StoreKind::Keychain {
        for field in record.fields.keys() {
            KeychainStore.delete(reference, field)?;
        }
    }
    Ok(())
}

/// A value from `--stdin` or a hidden prompt; never from argv.
fn read_value(
    settings: &Settings,
    reference: &str,
    field: &str,
    from_stdin: bool,
) -> Result<SecretValue> {
    let value = if from_stdin {
        let mut text = Zeroizing::new(String::new());
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|source| Error::Terminal {
                action: "read the value from standard input",
                source,
            })?;
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

fn add(settings: &Settings, args: AddArgs) -> Result<()> {
    names::check_ref(&args.reference)?;
    names::check_field(&args.field)?;
    if args.value.is_some() {
        return Err(Error::ValueInArgv {
            reference: args.reference,
            verb: "add",
        });
    }
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
    let unlocked = open(settings)?;

    // Refuse before asking for the value, so nobody pastes a key for nothing.
    let path = settings.paths.vault();
    let (existing, _) = vault::load(settings, &unlocked)?.find(&path, &args.reference)?;
    if let Some(existing) = &existing
        && existing.fields.contains_key(&args.field)
        && !args.force
    {
        return Err(Error::FieldExists {
            reference: args.reference,
            field: args.field,
        });
    }

    let store_kind = match (&existing, args.store) {
        (Some(record), Some(requested)) if record.store != requested => {
            return Err(Error::WrongStore {
                reference: args.reference,
                actual: record.store.name(),
                requested: requested.name(),
            });
        }
        (Some(record), _) => record.store,
        (None, Some(requested)) => requested,
        (None, None) => store::configured_default(settings)?,
    };

    let value = read_value(settings, &args.reference, &args.field, args.stdin)?;
    let effective_provider = provider.or_else(|| {
        existing
            .as_ref()
            .and_then(|r| r.provider.as_deref())
            .and_then(catalog::lookup)
    });
    if let Some(spec) = effective_provider
        && args.field == DEFAULT_FIELD
        && !catalog::looks_like_key(spec, value.expose())
    {
        output::warn(
            settings,
            &format!(
                "this does not look like an API key for {} (those start with {}); storing it anyway",
                spec.display_name,
                spec.key_prefixes.join(" or ")
            ),
        );
    }

    let now = output::now_rfc3339();
    let created = vault::modify(settings, &unlocked, |doc| {
        let created = !doc.secrets.contains_key(&args.reference);
        let record = doc
            .secrets
            .entry(args.reference.clone())
            .or_insert_with(|| SecretRecord {
                label: args.reference.clone(),
                provider: None,
                store: store_kind,
                created: now.clone(),
                updated: now.clone(),
                rotated: now.clone(),
                fields: BTreeMap::new(),
            });
        if record.fields.contains_key(&args.field) && !args.force {
            return Err(Error::FieldExists {
                reference: args.reference.clone(),
                field: args.field.clone(),
            });
        }
        if let Some(label) = &args.name {
            record.label = label.clone();
        }
        if let Some(spec) = provider {
            record.provider = Some(spec.id.to_owned());
        }
        if record.fields.contains_key(&args.field) {
            record.rotated = now.clone();
        }
        record.updated = now.clone();
        let kind = record.store;
        write_field(doc, kind, &args.reference, &args.field, value)?;
        Ok(created)
    })?;
    output::status(&if created {
        format!(
            "Added secret '{}' (field {}, in the {}).",
            args.reference,
            args.field,
            store_kind.name()
        )
    } else {
        format!("Set field '{}' of secret '{}'.", args.field, args.reference)
    });
    Ok(())
}

/// The masked value of a field, fetched from its store when that is not the vault.
fn masked_value(
    reference: &str,
    field: &str,
    store: StoreKind,
    value: Option<&SecretValue>,
) -> String {
    match (value, store) {
        (Some(value), _) => value.masked(),
        (None, StoreKind::Keychain) => match KeychainStore.get(reference, field) {
            Ok(Some(value)) => value.masked(),
            Ok(None) => "(missing from keychain)".to_owned(),
            Err(_) => "(keychain unreachable)".to_owned(),
        },
        (None, StoreKind::Vault) => "(missing)".to_owned(),
    }
}

/// A secret as `list --json` / `show --json` print it: values masked.
#[derive(Serialize)]
struct SecretView<'a> {
    #[serde(rename = "ref")]
    reference: &'a str,
    label: &'a str,
    provider: Option<&'a str>,
    store: &'static str,
    fields: BTreeMap<&'a str, String>,
    created: &'a str,
    updated: &'a str,
    rotated: &'a str,
}

impl<'a> SecretView<'a> {
    fn new(reference: &'a str, record: &'a SecretRecord) -> Self {
        SecretView {
            reference,
            label: &record.label,
            provider: record.provider.as_deref(),
            store: record.store.name(),
            fields: record
                .fields
                .iter()
                .map(|(name, value)| {
                    let masked = masked_value(reference, name, record.store, value.as_ref());
                    (name.as_str(), masked)
                })
                .collect(),
            created: &record.created,
            updated: &record.updated,
            rotated: &record.rotated,
        }
    }

    fn default_masked(&self) -> &str {
        self.fields
            .get(DEFAULT_FIELD)
            .or_else(|| self.fields.values().next())
            .map_or("", String::as_str)
    }
}

fn list(settings: &Settings, args: &ListArgs) -> Result<()> {
    let unlocked = open(settings)?;
    let doc = vault::load(settings, &unlocked)?.parse(&settings.paths.vault())?;
    let views: Vec<SecretView<'_>> = doc
        .secrets
        .iter()
        .map(|(r, rec)| SecretView::new(r, rec))
        .collect();
    if args.json {
        return output::print_json(&views);
    }
    if views.is_empty() {
        output::status("No secrets yet. Add one with `byok secret add REF`.");
        return Ok(());
    }
    let now = SystemTime::now();
    let mut table = output::table(
        settings,
        &[
            "REF", "LABEL", "PROVIDER", "STORE", "FIELDS", "VALUE", "ROTATED",
        ],
    );
    for view in &views {
        table.add_row(vec![
            view.reference.to_owned(),
            view.label.to_owned(),
            view.provider.unwrap_or("-").to_owned(),
            view.store.to_owned(),
            view.fields.keys().copied().collect::<Vec<_>>().join(", "),
            view.default_masked().to_owned(),
            output::ago(view.rotated, now),
        ]);
    }
    output::print_table(&table)
}

fn show(settings: &Settings, args: &ShowArgs) -> Result<()> {
    names::check_ref(&args.reference)?;
    let unlocked = open(settings)?;
    let doc = vault::load(settings, &unlocked)?.parse(&settings.paths.vault())?;
    let record = record(&doc, &args.reference)?;
    let view = SecretView::new(&args.reference, record);
    if args.json {
        return output::print_json(&view);
    }
    let now = SystemTime::now();
    let with_ago = |ts: &str| format!("{ts} ({})", output::ago(ts, now));
    let mut rows = vec![
        ("ref".to_owned(), view.reference.to_owned()),
        ("label".to_owned(), view.label.to_owned()),
        (
            "provider".to_owned(),
            view.provider.unwrap_or("-").to_owned(),
        ),
        ("store".to_owned(), view.store.to_owned()),
        ("created".to_owned(), with_ago(view.created)),
        ("updated".to_owned(), with_ago(view.updated)),
        ("rotated".to_owned(), with_ago(view.rotated)),
    ];
    for (name, masked) in &view.fields {
        rows.push((format!("field {name}"), masked.clone()));
    }
    let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let text: String = rows
        .iter()
        .map(|(k, v)| format!("{k:<width$}  {v}\n"))
        .collect();
    output::print(&text)
}

fn get(settings: &Settings, args: &GetArgs) -> Result<()> {
    names::check_ref(&args.reference)?;
    names::check_field(&args.field)?;
    let value = if args.store == Some(StoreKind::Keychain) {
        // Straight from the keychain: no vault, no passphrase, no record needed.
        KeychainStore
            .get(&args.reference, &args.field)?
            .ok_or_else(|| Error::NotInKeychain {
                reference: args.reference.clone(),
                field: args.field.clone(),
            })?
    } else {
        let unlocked = open(settings)?;
        let path = settings.paths.vault();
        let plaintext = vault::load(settings, &unlocked)?;
        let (record, names) = plaintext.find(&path, &args.reference)?;
        let record =
            record.ok_or_else(|| not_found(&args.reference, names.iter().map(String::as_str)))?;
        if let Some(requested) = args.store
            && requested != record.store
        {
            return Err(Error::WrongStore {
                reference: args.reference.clone(),
                actual: record.store.name(),
                requested: requested.name(),
            });
        }
        store::read_field(&args.reference, &args.field, &record)?
    };
    let mut line = Zeroizing::new(String::with_capacity(value.expose().len() + 1));
    line.push_str(value.expose());
    line.push('\n');
    output::print(&line)
}

fn rotate(settings: &Settings, args: RotateArgs) -> Result<()> {
    names::check_ref(&args.reference)?;
    names::check_field(&args.field)?;
    if args.value.is_some() {
        return Err(Error::ValueInArgv {
            reference: args.reference,
            verb: "rotate",
        });
    }
    let unlocked = open(settings)?;
    let path = settings.paths.vault();
    let (existing, names) = vault::load(settings, &unlocked)?.find(&path, &args.reference)?;
    let existing =
        existing.ok_or_else(|| not_found(&args.reference, names.iter().map(String::as_str)))?;
    if !existing.fields.contains_key(&args.field) {
        return Err(field_not_found(&args.reference, &args.field, &existing));
    }
    let value = read_value(settings, &args.reference, &args.field, args.stdin)?;
    let now = output::now_rfc3339();
    vault::modify(settings, &unlocked, |doc| {
        let record = doc
            .secrets
            .get_mut(&args.reference)
            .ok_or_else(|| not_found(&args.reference, []))?;
        record.updated = now.clone();
        record.rotated = now.clone();
        let kind = record.store;
        write_field(doc, kind, &args.reference, &args.field, value)
    })?;
    output::status(&format!("Rotated {}.{}.", args.reference, args.field));
    Ok(())
}

fn rename(settings: &Settings, args: &RenameArgs) -> Result<()> {
    names::check_ref(&args.old)?;
    names::check_ref(&args.new)?;
    // A config.toml that does not parse must stop the rename before anything changes, or
    // the connectors could not be repointed afterwards.
    crate::config::Config::load(settings)?;
    let unlocked = open(settings)?;
    let now = output::now_rfc3339();
    let moved_keychain = vault::modify(settings, &unlocked, |doc| {
        record(doc, &args.old)?;
        if doc.secrets.contains_key(&args.new) {
            return Err(Error::SecretExists {
                name: args.new.clone(),
            });
        }
        let mut record = doc.secrets.remove(&args.old).expect("checked above");
        // Keychain items are keyed by ref name: copy them to the new name before the vault
        // says so; the old items are removed only after the vault is saved.
        if record.store == StoreKind::Keychain {
            for field in record.fields.keys() {
                let value = store::read_field(&args.old, field, &record)?;
                KeychainStore.put(&args.new, field, value)?;
            }
        }
        // A label that was only the default follows the new name.
        if record.label == args.old {
            record.label = args.new.clone();
        }
        record.updated = now.clone();
        let old_record_fields = (record.store == StoreKind::Keychain)
            .then(|| record.fields.keys().cloned().collect::<Vec<_>>());
        doc.secrets.insert(args.new.clone(), record);
        Ok(old_record_fields)
    })?;
    output::status(&format!("Renamed '{}' to '{}'.", args.old, args.new));
    for connector in crate::config::rename_secret_refs(settings, &args.old, &args.new)? {
        output::status(&format!("Connector '{connector}' now uses '{}'.", args.new));
    }
    // Last: the old keychain items, once nothing refers to them any more.
    for field in moved_keychain.into_iter().flatten() {
        KeychainStore.delete(&args.old, &field)?;
    }
    Ok(())
}

fn move_to(settings: &Settings, args: &MoveArgs) -> Result<()> {
    names::check_ref(&args.reference)?;
    let unlocked = open(settings)?;
    let now = output::now_rfc3339();
    let from = vault::modify(settings, &unlocked, |doc| {
        let from = record(doc, &args.reference)?.store;
        if from == args.to {
            return Ok(None);
        }
        let fields: Vec<String> = doc.secrets[&args.reference]
            .fields
            .keys()
            .cloned()
            .collect();
        // Read every value from the old store first, then write them all to the new one;
        // values pass only through memory.
        let values = fields
            .iter()
            .map(|field| store::read_field(&args.reference, field, &doc.secrets[&args.reference]))
            .collect::<Result<Vec<_>>>()?;
        for (field, value) in fields.iter().zip(values) {
            write_field(doc, args.to, &args.reference, field, value)?;
        }
        let record = doc.secrets.get_mut(&args.reference).expect("checked above");
        record.store = args.to;
        record.updated = now.clone();
        Ok(Some((from, fields)))
    })?;
    let Some((from, fields)) = from else {
        output::status(&format!(
            "'{}' is already in the {}.",
            args.reference,
            args.to.name()
        ));
        return Ok(());
    };
    // Only now that the vault points at the new store are the old copies removed.
    if from == StoreKind::Keychain {
        for field in &fields {
            KeychainStore.delete(&args.reference, field)?;
        }
    }
    output::status(&format!(
        "Moved '{}' from the {} to the {}.",
        args.reference,
        from.name(),
        args.to.name()
    ));
    Ok(())
}

fn rm(settings: &Settings, args: &RmArgs) -> Result<()> {
    names::check_ref(&args.reference)?;
    let unlocked = open(settings)?;
    let path = settings.paths.vault();
    let (existing, names) = vault::load(settings, &unlocked)?.find(&path, &args.reference)?;
    if existing.is_none() {
        return Err(not_found(&args.reference, names.iter().map(String::as_str)));
    }
    let users = crate::config::connectors_using_secret(settings, &args.reference)?;
    if !users.is_empty() && !args.force {
        return Err(Error::SecretInUse {
            reference: args.reference.clone(),
            connectors: users,
        });
    }
    if !args.yes {
        if !settings.interactive() {
            return Err(Error::NeedsConfirmation {
                action: format!("remove secret '{}'", args.reference),
            });
        }
        if !prompt::confirm(&format!(
            "Remove secret '{}' and all its fields?",
            args.reference
        ))? {
            return Err(Error::Cancelled);
        }
    }
    // Keychain items go first: if that fails, the vault still lists the secret and `rm`
    // can be retried; the other order would leave items no byok command can reach.
    delete_external(&args.reference, existing.as_ref().expect("checked above"))?;
    vault::modify(settings, &unlocked, |doc| {
        record(doc, &args.reference)?;
        doc.secrets.remove(&args.reference);
        Ok(())
    })?;
    output::status(&format!("Removed secret '{}'.", args.reference));
    Ok(())
}
