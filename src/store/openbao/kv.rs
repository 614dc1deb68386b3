//! The KV v2 wire format and how a byok secret maps onto one entry.
//!
//! A secret `REF` is the entry `<mount>/data/<prefix>REF`: its data are the secret's fields
//! (string values only); byok's metadata — label, provider, kind, timestamps, tags — is in
//! the entry's `custom_metadata` under `byok_*` keys (the server allows 64 keys of at most
//! 128 bytes with values of 1–512 bytes). Keys other tools put there are kept as they are;
//! entries written by others fall back to plain `label` / `provider` keys if present.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::secret::SecretValue;

/// `custom_metadata` limits (fact sheet §1.6).
pub const MAX_META_KEYS: usize = 64;
pub const MAX_META_KEY: usize = 128;
pub const MAX_META_VALUE: usize = 512;

/// The metadata keys byok owns.
pub const LABEL: &str = "byok_label";
pub const PROVIDER: &str = "byok_provider";
pub const KIND: &str = "byok_kind";
pub const CREATED: &str = "byok_created";
pub const ROTATED: &str = "byok_rotated";
pub const EXPIRES: &str = "byok_expires";
pub const REVEAL: &str = "byok_reveal";
pub const TAGS: &str = "byok_tags";

/// One value of an entry's `data`: a string (a field byok can use) or anything else.
pub enum FieldValue {
    Text(SecretValue),
    Other,
}

/// An entry's `data`, read without copying values into untracked buffers.
#[derive(Default)]
pub struct Fields(pub BTreeMap<String, FieldValue>);

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MapVisitor;
        impl<'de> Visitor<'de> for MapVisitor {
            type Value = Fields;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value = map.next_value::<FieldValue>()?;
                    out.insert(key, value);
                }
                Ok(Fields(out))
            }
        }
        d.deserialize_map(MapVisitor)
    }
}

impl<'de> Deserialize<'de> for FieldValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ValueVisitor;
        impl<'de> Visitor<'de> for ValueVisitor {
            type Value = FieldValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FieldValue, E> {
                Ok(FieldValue::Text(SecretValue::new(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<FieldValue, E> {
                Ok(FieldValue::Text(SecretValue::new(v)))
            }
            fn visit_bool<E>(self, _: bool) -> Result<FieldValue, E> {
                Ok(FieldValue::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<FieldValue, E> {
                Ok(FieldValue::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<FieldValue, E> {
                Ok(FieldValue::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<FieldValue, E> {
                Ok(FieldValue::Other)
            }
            fn visit_unit<E>(self) -> Result<FieldValue, E> {
                Ok(FieldValue::Other)
            }
            fn visit_none<E>(self) -> Result<FieldValue, E> {
                Ok(FieldValue::Other)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<FieldValue, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(FieldValue::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FieldValue, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(FieldValue::Other)
            }
        }
        d.deserialize_any(ValueVisitor)
    }
}

/// The outer envelope of every JSON answer (unknown fields ignored).
#[derive(Deserialize)]
pub struct Envelope<T> {
    #[serde(default = "none")]
    pub data: Option<T>,
    #[serde(default)]
    pub auth: Option<AuthInfo>,
}

fn none<T>() -> Option<T> {
    None
}

/// `auth` of a login or renewal.
#[derive(Deserialize)]
pub struct AuthInfo {
    pub client_token: SecretValue,
    #[serde(default)]
    pub lease_duration: u64,
    #[serde(default)]
    pub renewable: bool,
}

/// `data` of a `GET <mount>/data/<path>`.
#[derive(Deserialize)]
pub struct DataRead {
    #[serde(default)]
    pub data: Option<Fields>,
    #[serde(default)]
    pub metadata: Option<VersionMeta>,
}

/// The metadata of one version, as a data read or write returns it.
#[derive(Deserialize, Clone, Default)]
pub struct VersionMeta {
    #[serde(default)]
    pub created_time: String,
    #[serde(default)]
    pub custom_metadata: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default)]
    pub deletion_time: String,
    #[serde(default)]
    pub destroyed: bool,
    #[serde(default)]
    pub version: u64,
}

/// `data` of a `GET <mount>/metadata/<path>`.
#[derive(Deserialize)]
pub struct KeyMeta {
    #[serde(default)]
    pub current_version: u64,
    #[serde(default)]
    pub versions: BTreeMap<String, VersionState>,
    #[serde(default)]
    pub custom_metadata: Option<BTreeMap<String, serde_json::Value>>,
}

#[derive(Deserialize, Clone)]
pub struct VersionState {
    #[serde(default)]
    pub created_time: String,
    #[serde(default)]
    pub deletion_time: String,
    #[serde(default)]
    pub destroyed: bool,
}

/// `data` of a LIST.
#[derive(Deserialize)]
pub struct Keys {
    #[serde(default)]
    pub keys: Vec<String>,
}

/// `data` of `auth/token/lookup-self`.
#[derive(Deserialize)]
pub struct TokenInfo {
    #[serde(default)]
    pub policies: Vec<String>,
    #[serde(default)]
    pub ttl: i64,
    #[serde(default)]
    pub renewable: bool,
    #[serde(default)]
    pub creation_ttl: i64,
}

/// A custom metadata map as strings (the server turns non-strings into strings anyway).
pub fn string_map(map: Option<BTreeMap<String, serde_json::Value>>) -> BTreeMap<String, String> {
    map.unwrap_or_default()
        .into_iter()
        .map(|(k, v)| {
            let text = match v {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            (k, text)
        })
        .collect()
}

/// A value serialised through `expose()`: only for request bodies.
struct Exposed<'a>(&'a SecretValue);

impl Serialize for Exposed<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.expose())
    }
}

/// `{"data":{…},"options":{"cas":N}}`, zeroized when dropped.
pub fn write_body(data: &BTreeMap<String, SecretValue>, cas: u64) -> super::client::Body {
    #[derive(Serialize)]
    struct Options {
        cas: u64,
    }
    #[derive(Serialize)]
    struct Write<'a> {
        data: BTreeMap<&'a str, Exposed<'a>>,
        options: Options,
    }
    let body = Write {
        data: data.iter().map(|(k, v)| (k.as_str(), Exposed(v))).collect(),
        options: Options { cas },
    };
    zeroize::Zeroizing::new(serde_json::to_vec(&body).unwrap_or_default())
}

/// Any JSON body (no values in it).
pub fn json_body(value: &serde_json::Value) -> super::client::Body {
    zeroize::Zeroizing::new(serde_json::to_vec(value).unwrap_or_default())
}

/// Checks a custom metadata map against the server's limits, naming the key at fault.
pub fn check_custom(map: &BTreeMap<String, String>) -> Result<(), String> {
    if map.len() > MAX_META_KEYS {
        return Err(format!(
            "custom_metadata would have {} keys; the server allows {MAX_META_KEYS}",
            map.len()
        ));
    }
    for (key, value) in map {
        if key.is_empty() || key.len() > MAX_META_KEY {
            return Err(format!(
                "custom_metadata key '{}' must be 1–{MAX_META_KEY} bytes",
                crate::term::sanitize::line(key).into_owned()
            ));
        }
        if value.is_empty() || value.len() > MAX_META_VALUE {
            return Err(format!(
                "custom_metadata '{}' must be 1–{MAX_META_VALUE} bytes (it is {})",
                crate::term::sanitize::line(key).into_owned(),
                value.len()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_with_strings_and_others() {
        let read: Envelope<DataRead> = serde_json::from_str(
            r#"{"request_id":"x","data":{"data":{"api_key":"sk-test-1","n":1,"o":{"a":[1]},"z":null},
               "metadata":{"created_time":"2026-12-01T09:28:47.44Z","custom_metadata":{"byok_label":"L","n":3},
               "deletion_time":"","destroyed":false,"version":2}},"mount_type":"kv"}"#,
        )
        .unwrap();
        let read = read.data.unwrap();
        let fields = read.data.unwrap().0;
        assert!(matches!(&fields["api_key"], FieldValue::Text(v) if v.expose() == "sk-test-1"));
        assert!(matches!(fields["n"], FieldValue::Other));
        assert!(matches!(fields["o"], FieldValue::Other));
        assert!(matches!(fields["z"], FieldValue::Other));
        let meta = read.metadata.unwrap();
        assert_eq!(meta.version, 2);
        let custom = string_map(meta.custom_metadata);
        assert_eq!(custom["byok_label"], "L");
        assert_eq!(custom["n"], "3");
        // A deleted version: data null.
        let read: Envelope<DataRead> = serde_json::from_str(
            r#"{"data":{"data":null,"metadata":{"deletion_time":"2026-12-01T09:29:31Z","destroyed":false,"version":3}}}"#,
        )
        .unwrap();
        assert!(read.data.unwrap().data.is_none());
        // Never existed.
        let read: Envelope<DataRead> = serde_json::from_str(r#"{"errors":[]}"#).unwrap();
        assert!(read.data.is_none());
    }

    #[test]
    fn write_bodies_carry_cas() {
        let mut data = BTreeMap::new();
        data.insert("api_key".to_owned(), SecretValue::new("sk-test-2".into()));
        let body = write_body(&data, 4);
        assert_eq!(
            std::str::from_utf8(&body).unwrap(),
            r#"{"data":{"api_key":"sk-test-2"},"options":{"cas":4}}"#
        );
    }

    #[test]
    fn custom_metadata_limits() {
        let mut m = BTreeMap::new();
        m.insert("byok_label".to_owned(), "x".repeat(512));
        assert!(check_custom(&m).is_ok());
        m.insert("byok_label".to_owned(), "x".repeat(513));
        assert!(check_custom(&m).unwrap_err().contains("512"));
        let many: BTreeMap<String, String> =
            (0..65).map(|i| (format!("k{i}"), "v".into())).collect();
        assert!(check_custom(&many).is_err());
    }
}
