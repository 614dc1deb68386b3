//! The entry codec: one KV v2 answer → what byok knows of a secret ([`Entry`]), its
//! `custom_metadata` → byok's [`Meta`], and a put's [`MetaChange`] → new `custom_metadata`.
//! [`super::kv`] holds the wire types; the rules of a put are [`crate::store::record::plan`].

use std::collections::BTreeMap;
use std::sync::Arc;

use super::client::Reply;
use super::kv::{self, DataRead, Envelope, FieldValue, VersionMeta};
use crate::secret::SecretValue;
use crate::store::Meta;
use crate::store::record::MetaChange;

/// What the store knows of one entry.
#[derive(Clone)]
pub enum Entry {
    Missing,
    /// Its latest version is soft-deleted or destroyed.
    Removed {
        version: u64,
        deleted: String,
        destroyed: bool,
    },
    Present(Arc<Current>),
}

/// A readable version of an entry.
pub struct Current {
    pub version: u64,
    pub created_time: String,
    pub fields: BTreeMap<String, SecretValue>,
    /// Data values that are not strings, or under names that are not field names (byok
    /// leaves such entries alone).
    pub other: usize,
    pub custom: BTreeMap<String, String>,
}

/// An answer to a data read that is not KV v2 JSON.
#[derive(Debug, PartialEq, Eq)]
pub struct NotKv;

/// Decodes the answer to `GET <mount>/data/<path>`: `None` when its status is an error
/// for the caller to report (anything but a 200, or a 404 without `errors`).
pub fn decode(reply: &Reply) -> Option<Result<Entry, NotKv>> {
    if !matches!(reply.status, 200 | 404) || !reply.errors().is_empty() {
        return None;
    }
    let Ok(parsed) = serde_json::from_slice::<Envelope<DataRead>>(&reply.body) else {
        return Some(Err(NotKv));
    };
    let Some(read) = parsed.data else {
        return Some(Ok(Entry::Missing));
    };
    let meta = read.metadata.unwrap_or_default();
    Some(Ok(match read.data {
        Some(fields) if reply.status == 200 => Entry::Present(Arc::new(current(fields, meta))),
        _ if meta.version > 0 => Entry::Removed {
            version: meta.version,
            deleted: crate::term::sanitize::line(&meta.deletion_time).into_owned(),
            destroyed: meta.destroyed,
        },
        _ => Entry::Missing,
    }))
}

fn current(fields: kv::Fields, meta: VersionMeta) -> Current {
    let mut out = BTreeMap::new();
    let mut other = 0;
    for (name, value) in fields.0 {
        match value {
            FieldValue::Text(v) if crate::names::is_valid_field(&name) => {
                out.insert(name, v);
            }
            _ => other += 1,
        }
    }
    Current {
        version: meta.version,
        created_time: crate::term::sanitize::line(&meta.created_time).into_owned(),
        fields: out,
        other,
        custom: kv::string_map(meta.custom_metadata),
    }
}

/// byok's metadata of a readable entry; server text is control-escaped. Entries written by
/// other tools fall back to plain `label` / `provider` keys, and to the version's time.
pub fn meta_of(reference: &str, current: &Current) -> Meta {
    let c = &current.custom;
    let text = |key: &str| {
        c.get(key)
            .map(|v| crate::term::sanitize::line(v).into_owned())
    };
    let created = text(kv::CREATED).or_else(|| Some(current.created_time.clone()));
    Meta {
        reference: reference.to_owned(),
        label: text(kv::LABEL)
            .or_else(|| text("label"))
            .unwrap_or_else(|| reference.to_owned()),
        provider: text(kv::PROVIDER).or_else(|| text("provider")),
        kind: text(kv::KIND),
        fields: current.fields.keys().cloned().collect(),
        rotated: text(kv::ROTATED).or_else(|| created.clone()),
        created,
        updated: Some(current.created_time.clone()),
        expires: text(kv::EXPIRES),
        reveal: text(kv::REVEAL),
        tags: text(kv::TAGS)
            .map(|t| {
                t.split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        // An earlier version may hold earlier values (read on demand).
        previous: if current.version > 1 {
            current.fields.keys().cloned().collect()
        } else {
            Vec::new()
        },
    }
}

/// Writes a put's metadata change into an entry's `custom_metadata`; an empty value removes
/// the key (the server refuses empty values). Other tools' keys stay.
pub fn apply_meta(custom: &mut BTreeMap<String, String>, change: MetaChange) {
    let mut set = |key: &str, value: Option<String>| match value.filter(|v| !v.is_empty()) {
        Some(v) => {
            custom.insert(key.to_owned(), v);
        }
        None => {
            custom.remove(key);
        }
    };
    if let Some(label) = change.label {
        set(kv::LABEL, Some(label));
    }
    if let Some(provider) = change.provider {
        set(kv::PROVIDER, provider);
    }
    if let Some(kind) = change.kind {
        set(kv::KIND, kind);
    }
    if let Some(expires) = change.expires {
        set(kv::EXPIRES, expires);
    }
    if let Some(reveal) = change.reveal {
        set(kv::REVEAL, reveal);
    }
    if let Some(tags) = change.tags {
        set(kv::TAGS, Some(tags.join(",")));
    }
    if let Some(created) = change.created {
        set(kv::CREATED, Some(created));
    }
    if let Some(rotated) = change.rotated {
        set(kv::ROTATED, Some(rotated));
    }
}

/// Whether two sets of fields hold the same values (a retried write that got through).
pub fn same(a: &BTreeMap<String, SecretValue>, b: &BTreeMap<String, SecretValue>) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|((ka, va), (kb, vb))| ka == kb && va.expose() == vb.expose())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, body: &str) -> Reply {
        Reply {
            status,
            body: zeroize::Zeroizing::new(body.as_bytes().to_vec()),
            uncertain: false,
        }
    }

    fn present(r: &Reply) -> Arc<Current> {
        match decode(r) {
            Some(Ok(Entry::Present(c))) => c,
            _ => panic!("expected a readable entry"),
        }
    }

    #[test]
    fn a_readable_entry_keeps_string_fields_and_counts_the_rest() {
        let c = present(&reply(
            200,
            r#"{"data":{"data":{"api_key":"sk-test-entry-1","n":3,"bad name":"x","obj":{"a":1}},
                "metadata":{"version":4,"created_time":"2026-12-01T00:00:00Z",
                "custom_metadata":{"byok_label":"Work\u001b]0;x\u0007","byok_tags":"a,,b","other":"kept"}}}}"#,
        ));
        assert_eq!(c.version, 4);
        assert_eq!(c.fields.len(), 1);
        assert_eq!(c.fields["api_key"].expose(), "sk-test-entry-1");
        assert_eq!(c.other, 3);
        let m = meta_of("work", &c);
        assert!(
            !m.label.contains('\u{1b}') && m.label.starts_with("Work"),
            "{m:?}"
        );
        assert_eq!(m.tags, ["a", "b"]);
        assert_eq!(m.created.as_deref(), Some("2026-12-01T00:00:00Z"));
        assert_eq!(m.rotated, m.created);
        assert_eq!(m.previous, ["api_key"]);
    }

    #[test]
    fn missing_deleted_and_destroyed_entries_are_told_apart() {
        assert!(matches!(
            decode(&reply(404, "{}")),
            Some(Ok(Entry::Missing))
        ));
        let deleted = r#"{"data":{"data":null,"metadata":{"version":2,"deletion_time":"2026-12-02T00:00:00Z","destroyed":false}}}"#;
        match decode(&reply(404, deleted)) {
            Some(Ok(Entry::Removed {
                version: 2,
                deleted,
                destroyed: false,
            })) => assert_eq!(deleted, "2026-12-02T00:00:00Z"),
            _ => panic!("expected a deleted entry"),
        }
        let destroyed = r#"{"data":{"data":null,"metadata":{"version":5,"destroyed":true}}}"#;
        assert!(matches!(
            decode(&reply(404, destroyed)),
            Some(Ok(Entry::Removed {
                destroyed: true,
                ..
            }))
        ));
        // Not KV v2, and statuses the caller reports.
        assert!(matches!(decode(&reply(200, "<html>")), Some(Err(NotKv))));
        assert!(decode(&reply(403, r#"{"errors":["permission denied"]}"#)).is_none());
        assert!(decode(&reply(404, r#"{"errors":["no handler for route"]}"#)).is_none());
        assert!(decode(&reply(500, "{}")).is_none());
    }

    #[test]
    fn a_metadata_change_round_trips_through_custom_metadata() {
        let mut custom = BTreeMap::from([
            ("other".to_owned(), "kept".to_owned()),
            (kv::EXPIRES.to_owned(), "2027-01-01".to_owned()),
        ]);
        apply_meta(
            &mut custom,
            MetaChange {
                label: Some("Team key".into()),
                provider: Some(Some("anthropic".into())),
                expires: Some(None),
                reveal: Some(Some("never".into())),
                tags: Some(vec!["ci".into(), "prod".into()]),
                created: Some("2026-12-05T00:00:00Z".into()),
                ..MetaChange::default()
            },
        );
        assert_eq!(custom["other"], "kept");
        assert!(!custom.contains_key(kv::EXPIRES));
        let c = Current {
            version: 1,
            created_time: "2026-12-05T00:00:01Z".into(),
            fields: BTreeMap::new(),
            other: 0,
            custom,
        };
        let m = meta_of("k", &c);
        assert_eq!(m.label, "Team key");
        assert_eq!(m.provider.as_deref(), Some("anthropic"));
        assert_eq!(m.reveal.as_deref(), Some("never"));
        assert_eq!(m.expires, None);
        assert_eq!(m.tags, ["ci", "prod"]);
        assert_eq!(m.created.as_deref(), Some("2026-12-05T00:00:00Z"));
        assert!(m.previous.is_empty());
    }

    #[test]
    fn same_compares_names_and_values() {
        let v = |s: &str| SecretValue::new(s.into());
        let a = BTreeMap::from([("api_key".to_owned(), v("sk-test-1"))]);
        let b = BTreeMap::from([("api_key".to_owned(), v("sk-test-1"))]);
        let c = BTreeMap::from([("api_key".to_owned(), v("sk-test-2"))]);
        let d = BTreeMap::from([("other".to_owned(), v("sk-test-1"))]);
        assert!(same(&a, &b));
        assert!(!same(&a, &c));
        assert!(!same(&a, &d));
        assert!(!same(&a, &BTreeMap::new()));
    }
}
