//! The vault document: the JSON plaintext inside every age vault file (format 2).
//!
//! ```json
//! { "byok_vault": 2,
//!   "secrets": { "my_openai_key": {
//!       "label": "My OpenAI key", "provider": "openai",
//!       "created": "2026-11-23T05:00:00Z", "updated": "…", "rotated": "…",
//!       "fields": { "api_key": "sk-…" },
//!       "previous": { "api_key": "sk-…(the value before the last rotation)" } } },
//!   "index": { "keychain": { "my_claude_key": { "label": "…", "store": "keychain", …,
//!       "fields": { "api_key": null } } } } }
//! ```
//!
//! `secrets` holds this file's own secrets. `index` holds, per store that keeps its values
//! elsewhere (the OS keychain), that store's records with `null` values: the keychain
//! cannot list its items or keep metadata, so its index lives here, in its own namespace
//! (a ref may be in the vault and in the keychain at once, like in any two stores).
//!
//! Every optional record key is listed in [`SecretRecord`]; anything else is refused
//! (`deny_unknown_fields`), so a newer byok that needs a new key bumps the format version
//! instead of having its data silently dropped by an older one. Format 1 documents are read
//! as they are and written back as format 2 (the migration is the version number: format 1's
//! keys are a subset of format 2's).
//!
//! Errors about a document never quote it: serde's messages can contain the text they
//! choked on (a value), so only positions are reported.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize, Serializer};

use crate::error::{Error, Result};
use crate::secret::SecretValue;

/// The newest plaintext format this byok reads and writes ([`crate::formats::VAULT`]).
pub const FORMAT_VERSION: u64 = crate::formats::VAULT.current;

/// The decrypted vault document. Unknown keys are refused here too: a key this byok does
/// not know would be dropped by its next write.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VaultDoc {
    /// Format version; also marks the document as a byok vault.
    pub byok_vault: u64,
    /// Policies by scope (`home`), recorded here so that editing `config.toml` cannot
    /// loosen them. Small, and written before the records.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub policy: BTreeMap<String, Policy>,
    /// Store name → that store's index records. Written before `secrets`, so the fast
    /// lookup of a keychain secret skips only the (small) index of other stores.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub index: BTreeMap<String, BTreeMap<String, SecretRecord>>,
    #[serde(default)]
    pub secrets: BTreeMap<String, SecretRecord>,
    /// The audit log's chain head at this write (see `crate::hygiene::audit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<AuditHead>,
    /// The home vault's HMAC over the document written before it ([`seal`]): the last key.
    /// Anyone may encrypt a document to the public recipient; only the identity can MAC one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
}

/// How far the audit log went, and a MAC over it, when the vault was last written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditHead {
    /// The number of log entries.
    pub entries: u64,
    /// HMAC-SHA256 (hex) over the whole log, keyed from the vault identity.
    pub mac: String,
    /// The log's length in bytes at that point.
    #[serde(default)]
    pub bytes: u64,
    /// Whether this home keeps `audit.head` (the head at the last keyed entry): when it does,
    /// a missing `audit.head` was removed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub anchored: bool,
    /// Non-zero once a vault write found the log cut or changed: how many entries the log
    /// had then. Kept (in the MAC'd vault, out of the agent's reach) until `audit reset`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub broken_at: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The policies of one scope (`byok reveal POLICY` sets the home's).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The home's reveal policy: `never`, `prompt` or `pipe`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reveal: Option<String>,
    /// The home is agent-proof: set when an agent-proof proxy starts, cleared by
    /// `byok proxy agent-proof off`; `byok unlock` and `keychain remember` refuse while set.
    /// Recorded here, not in a file an agent could delete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_proof: Option<bool>,
}

impl VaultDoc {
    /// Moves format-1 records that only pointed at another store (`"store": "keychain"`,
    /// the only one format 1 knew) into that store's index.
    pub fn migrate(&mut self) {
        let moved: Vec<String> = self
            .secrets
            .iter()
            .filter(|(_, r)| r.store.is_some())
            .map(|(name, _)| name.clone())
            .collect();
        for name in moved {
            let record = self.secrets.remove(&name).expect("listed above");
            let store = record.store.clone().expect("filtered above");
            self.index.entry(store).or_default().insert(name, record);
        }
    }

    /// The records of `holder` (`None`: this file's own secrets).
    pub fn records_mut(&mut self, holder: Option<&str>) -> &mut BTreeMap<String, SecretRecord> {
        match holder {
            None => &mut self.secrets,
            Some(store) => self.index.entry(store.to_owned()).or_default(),
        }
    }

    /// The records of `holder`, read-only.
    pub fn records(&self, holder: Option<&str>) -> Option<&BTreeMap<String, SecretRecord>> {
        match holder {
            None => Some(&self.secrets),
            Some(store) => self.index.get(store),
        }
    }
}

impl Default for VaultDoc {
    fn default() -> Self {
        Self {
            byok_vault: FORMAT_VERSION,
            index: BTreeMap::new(),
            secrets: BTreeMap::new(),
            audit: None,
            policy: BTreeMap::new(),
            mac: None,
        }
    }
}

/// One named secret: metadata and its values.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretRecord {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// In an index record, the store it indexes (whose values are `null` here). Format 1
    /// kept such records among `secrets`, marked `"keychain"` (and wrote `"vault"` for
    /// "this file"); [`VaultDoc::migrate`] moves them into `index`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "holder"
    )]
    pub store: Option<String>,
    /// Key kind (`admin`, `project`, `service-account`, …), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// RFC 3339 UTC timestamps.
    pub created: String,
    pub updated: String,
    /// When a value was last set by `add` of a new secret, `rotate` or `rollback`.
    pub rotated: String,
    /// When the key stops working (RFC 3339), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// The reveal policy of this secret (`never`, …); unset means the home's policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reveal: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Field name → value (`null` when the value lives in the `store` named above).
    #[serde(serialize_with = "serialize_values")]
    pub fields: BTreeMap<String, Option<SecretValue>>,
    /// Field name → the value it had before the last rotation, for `secret rollback`
    /// (`null` when that previous value lives in the `store` named above).
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        serialize_with = "serialize_values"
    )]
    pub previous: BTreeMap<String, Option<SecretValue>>,
}

impl SecretRecord {
    /// A new record with no fields yet.
    pub fn new(label: String, now: &str) -> Self {
        SecretRecord {
            label,
            provider: None,
            store: None,
            kind: None,
            created: now.to_owned(),
            updated: now.to_owned(),
            rotated: now.to_owned(),
            expires: None,
            reveal: None,
            tags: Vec::new(),
            fields: BTreeMap::new(),
            previous: BTreeMap::new(),
        }
    }
}

fn holder<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Option<String>, D::Error> {
    let name = Option::<String>::deserialize(deserializer)?;
    Ok(name.filter(|n| n != "vault"))
}

/// The one place values are serialized: into the vault plaintext, which is encrypted next.
fn serialize_values<S: Serializer>(
    values: &BTreeMap<String, Option<SecretValue>>,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    serializer.collect_map(
        values
            .iter()
            .map(|(name, value)| (name, value.as_ref().map(SecretValue::expose))),
    )
}

#[derive(Deserialize)]
struct VersionOnly {
    byok_vault: Option<u64>,
}

/// Parses a whole document (any supported version).
pub fn parse(plaintext: &[u8], path: &Path) -> Result<VaultDoc> {
    check_version(plaintext, path)?;
    let mut doc: VaultDoc =
        serde_json::from_slice(plaintext).map_err(|e| corrupt_at(path, plaintext, 0, &e))?;
    // The one migration step of the vault format (crate::formats::VAULT).
    if doc.byok_vault == 1 {
        doc.migrate();
    } else if let Some(name) = doc
        .secrets
        .iter()
        .find(|(_, r)| r.store.is_some())
        .map(|(n, _)| n)
    {
        // Format 2 keeps index records in `index`; one among `secrets` would be invisible.
        return Err(Error::Corrupt {
            path: path.to_path_buf(),
            reason: format!(
                "the record '{name}' among `secrets` names a store (only format 1 did that)"
            ),
        });
    }
    Ok(doc)
}

/// Parses one record's JSON, `start` being its offset in the document (for positions).
pub fn parse_record(
    plaintext: &[u8],
    start: usize,
    end: usize,
    path: &Path,
) -> Result<SecretRecord> {
    serde_json::from_slice(&plaintext[start..end])
        .map_err(|e| corrupt_at(path, plaintext, start, &e))
}

/// Fails on documents of a newer format or without the `byok_vault` marker (the rules of
/// [`crate::formats`]).
pub fn check_version(plaintext: &[u8], path: &Path) -> Result<()> {
    match serde_json::from_slice::<VersionOnly>(plaintext) {
        Ok(VersionOnly {
            byok_vault: Some(v),
        }) => crate::formats::VAULT.check(path, v).map(drop),
        Ok(VersionOnly { byok_vault: None }) => Err(Error::Corrupt {
            path: path.to_path_buf(),
            reason: "it decrypts, but is not a byok vault document (no \"byok_vault\" key)".into(),
        }),
        _ => Ok(()),
    }
}

/// A "corrupt" error that says where, never what: serde's own message may quote a value.
fn corrupt_at(path: &Path, doc: &[u8], start: usize, e: &serde_json::Error) -> Error {
    let (line, column) = absolute_position(doc, start, e.line(), e.column());
    let what = match e.classify() {
        serde_json::error::Category::Eof => "the document ends early",
        serde_json::error::Category::Syntax => "it is not valid JSON",
        serde_json::error::Category::Data => "a record does not have the vault format's shape",
        serde_json::error::Category::Io => "it could not be read",
    };
    Error::Corrupt {
        path: path.to_path_buf(),
        reason: format!("{what} (plaintext line {line}, column {column})"),
    }
}

/// Turns serde's line/column inside `doc[start..]` into a line/column of the whole document.
fn absolute_position(doc: &[u8], start: usize, line: usize, column: usize) -> (usize, usize) {
    let before = &doc[..start.min(doc.len())];
    let lines_before = memchr::memchr_iter(b'\n', before).count();
    if line <= 1 {
        let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
        (lines_before + 1, start - line_start + column)
    } else {
        (lines_before + line, column)
    }
}

/// Encodes a document as the plaintext written into the age file (pretty, newline-ended),
/// always in the current format, without a MAC ([`seal`] adds the home vault's).
pub fn encode(doc: &mut VaultDoc) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    doc.byok_vault = FORMAT_VERSION;
    doc.mac = None;
    let mut plaintext = zeroize::Zeroizing::new(Vec::with_capacity(4096 + doc.secrets.len() * 320));
    serde_json::to_writer_pretty(&mut *plaintext, doc)
        .map_err(|e| Error::Encrypt(e.to_string()))?;
    plaintext.push(b'\n');
    Ok(plaintext)
}

const MAC_CONTEXT: &[u8] = b"byok vault.age document mac v1\0";
/// The context of a backup's MAC (`crate::hygiene::backup`): the same construction, another
/// key, so one document's MAC never passes for the other's.
pub const BACKUP_MAC_CONTEXT: &[u8] = b"byok backup mac v1\0";
/// What [`seal`] appends before the document's closing brace.
const MAC_PREFIX: &[u8] = b",\n  \"mac\": \"";

fn mac_over(
    context: &[u8],
    identity: &age::x25519::Identity,
    document: &[u8],
) -> hmac::Hmac<sha2::Sha256> {
    use hmac::Mac;
    let mut mac = crate::unlock::identity_mac(identity, context);
    mac.update(document);
    mac
}

/// Adds the home vault's MAC to an [`encode`]d document: an HMAC-SHA256 keyed from the
/// identity over the whole plaintext as encoded, written as the document's last key.
pub fn seal(plaintext: &mut zeroize::Zeroizing<Vec<u8>>, identity: &age::x25519::Identity) {
    seal_with(MAC_CONTEXT, plaintext, identity);
}

/// [`seal`] under another context (a backup's document, which also ends `\n}\n`).
pub fn seal_with(
    context: &[u8],
    plaintext: &mut zeroize::Zeroizing<Vec<u8>>,
    identity: &age::x25519::Identity,
) {
    use hmac::Mac;
    let tag = mac_over(context, identity, plaintext)
        .finalize()
        .into_bytes();
    let hex: String = tag.iter().map(|b| format!("{b:02x}")).collect();
    // `…\n}\n` → `…,\n  "mac": "HEX"\n}\n`.
    let close = plaintext.len() - b"\n}\n".len();
    let mut line = MAC_PREFIX.to_vec();
    line.extend_from_slice(hex.as_bytes());
    line.push(b'"');
    plaintext.splice(close..close, line);
}

/// What a home vault's plaintext says of its MAC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MacState {
    Valid,
    /// None at all: written by an older byok, or by anyone with the public recipient.
    Missing,
    /// One that does not verify with this identity.
    Invalid,
}

/// Checks the MAC [`seal`] wrote, on the plaintext exactly as decrypted.
pub fn mac_state(plaintext: &[u8], identity: &age::x25519::Identity) -> MacState {
    mac_state_with(MAC_CONTEXT, plaintext, identity)
}

/// [`mac_state`] under another context.
pub fn mac_state_with(
    context: &[u8],
    plaintext: &[u8],
    identity: &age::x25519::Identity,
) -> MacState {
    use hmac::Mac;
    let Some(body) = plaintext.strip_suffix(b"\"\n}\n") else {
        return MacState::Missing;
    };
    let Some(start) = memchr::memmem::rfind(body, MAC_PREFIX) else {
        return MacState::Missing;
    };
    let hex = &body[start + MAC_PREFIX.len()..];
    if hex.len() != 64 || !hex.iter().all(u8::is_ascii_hexdigit) {
        return MacState::Invalid;
    }
    let tag: Vec<u8> = hex
        .chunks(2)
        .filter_map(|p| u8::from_str_radix(std::str::from_utf8(p).ok()?, 16).ok())
        .collect();
    let mut unsealed = zeroize::Zeroizing::new(body[..start].to_vec());
    unsealed.extend_from_slice(b"\n}\n");
    match mac_over(context, identity, &unsealed).verify_slice(&tag) {
        Ok(()) => MacState::Valid,
        Err(_) => MacState::Invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_document_verifies_with_its_identity_only_and_still_parses() {
        let identity = age::x25519::Identity::generate();
        let mut doc = VaultDoc::default();
        doc.secrets.insert(
            "k".into(),
            parse_record(
                br#"{"label": "K", "created": "t", "updated": "t", "rotated": "t", "fields": {"api_key": "sk-test-x"}}"#,
                0,
                98,
                Path::new("v"),
            )
            .unwrap_or_else(|_| panic!("record")),
        );
        let mut plaintext = encode(&mut doc).unwrap();
        assert_eq!(mac_state(&plaintext, &identity), MacState::Missing);
        seal(&mut plaintext, &identity);
        assert_eq!(mac_state(&plaintext, &identity), MacState::Valid);
        let parsed = parse(&plaintext, Path::new("v")).unwrap();
        assert!(parsed.mac.is_some() && parsed.secrets.contains_key("k"));
        assert_eq!(
            mac_state(&plaintext, &age::x25519::Identity::generate()),
            MacState::Invalid
        );
        let text = String::from_utf8(plaintext.to_vec()).unwrap();
        let forged = text.replace("sk-test-x", "sk-test-y");
        assert_eq!(mac_state(forged.as_bytes(), &identity), MacState::Invalid);
        // Re-encoding drops the old MAC (a write seals anew).
        let mut again = parse(&plaintext, Path::new("v")).unwrap();
        assert_eq!(
            mac_state(&encode(&mut again).unwrap(), &identity),
            MacState::Missing
        );
    }

    #[test]
    fn format_1_reads_and_is_written_as_the_current_format() {
        let v1 = br#"{"byok_vault": 1, "secrets": {"k": {"label": "K", "store": "vault",
            "created": "t", "updated": "t", "rotated": "t", "fields": {"api_key": "v"}},
            "kc": {"label": "C", "store": "keychain", "created": "t", "updated": "t",
            "rotated": "t", "fields": {"api_key": null}}}}"#;
        let mut doc = parse(v1, Path::new("v")).unwrap();
        assert_eq!(doc.secrets["k"].store, None, "\"vault\" means this file");
        let text = encode(&mut doc).unwrap();
        let again: serde_json::Value = serde_json::from_slice(&text).unwrap();
        assert_eq!(again["byok_vault"], FORMAT_VERSION);
        assert_eq!(again["secrets"]["k"]["fields"]["api_key"], "v");
        assert_eq!(again["secrets"].get("kc"), None);
        assert_eq!(again["index"]["keychain"]["kc"]["label"], "C");
    }

    #[test]
    fn errors_give_positions_never_content() {
        let doc = br#"{"byok_vault": 2, "secrets": {"k": {"label": "K", "created": "t",
 "updated": "t", "rotated": "t", "fields": {"api_key": 42}, "sk-test-canary-value": 1}}}"#;
        let err = parse(doc, Path::new("v")).unwrap_err().to_string();
        assert!(!err.contains("canary"), "{err}");
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn a_format_2_record_naming_a_store_among_secrets_is_corrupt() {
        let doc = br#"{"byok_vault": 2, "secrets": {"k": {"label": "K", "store": "team",
            "created": "t", "updated": "t", "rotated": "t", "fields": {"api_key": "v"}}}}"#;
        assert!(matches!(
            parse(doc, Path::new("v")),
            Err(Error::Corrupt { .. })
        ));
    }

    #[test]
    fn every_optional_key_round_trips() {
        let text =
            br#"{"byok_vault": 3, "index": {"keychain": {"k": {"label": "K", "provider": "openai",
            "store": "keychain", "kind": "project", "created": "t", "updated": "t",
            "rotated": "t", "expires": "2027-01-01T00:00:00Z", "reveal": "never",
            "tags": ["team"], "fields": {"api_key": null}, "previous": {"api_key": null}}}},
            "secrets": {}}"#;
        let mut doc = parse(text, Path::new("v")).unwrap();
        let out: serde_json::Value = serde_json::from_slice(&encode(&mut doc).unwrap()).unwrap();
        let original: serde_json::Value = serde_json::from_slice(text).unwrap();
        assert_eq!(out, original);
    }

    #[test]
    fn policy_and_audit_head_round_trip_and_policy_comes_first() {
        let text = br#"{"byok_vault": 3, "policy": {"home": {"reveal": "never"}}, "secrets": {},
            "audit": {"entries": 3, "mac": "ab", "bytes": 700}}"#;
        let mut doc = parse(text, Path::new("v")).unwrap();
        assert_eq!(doc.policy["home"].reveal.as_deref(), Some("never"));
        let encoded = encode(&mut doc).unwrap();
        let out: serde_json::Value = serde_json::from_slice(&encoded).unwrap();
        assert_eq!(
            out,
            serde_json::from_slice::<serde_json::Value>(text).unwrap()
        );
        let text = std::str::from_utf8(&encoded).unwrap();
        assert!(text.find("\"policy\"") < text.find("\"secrets\""), "{text}");
    }
}
