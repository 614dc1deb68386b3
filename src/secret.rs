//! `SecretValue`: the one type a secret value travels in.
//!
//! It zeroizes on drop, prints `***` in `Debug`, has no `Display` or `Serialize`, and is read
//! only through [`SecretValue::expose`] — grep for it to audit every place a value leaves.

use secrecy::{ExposeSecret, SecretString};

use crate::provider::catalog;

/// A secret value (an API key or any other field).
#[derive(Clone)]
pub struct SecretValue(SecretString, Kind);

/// What byok knows of a value besides its shape: read from a secret recorded as an admin
/// key (`kind = admin`, set by `byok admin add`), it stays out of programs even when its
/// shape does not say so (OpenRouter management keys look like any other key).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Kind {
    #[default]
    Unknown,
    Admin,
}

impl SecretValue {
    /// Wraps a value; the `String` is moved, not copied, so no stray copy is left behind.
    pub fn new(value: String) -> Self {
        Self(SecretString::from(value), Kind::Unknown)
    }

    /// This value came from a secret recorded as an admin key.
    pub fn recorded_admin(mut self) -> Self {
        self.1 = Kind::Admin;
        self
    }

    /// Whether it came from a secret recorded as an admin key.
    pub fn is_recorded_admin(&self) -> bool {
        self.1 == Kind::Admin
    }

    /// The raw value. Every caller is a place where a secret leaves its wrapper.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// The wrapped `SecretString`, for APIs that take one (it stays redacted).
    pub fn as_secret(&self) -> &SecretString {
        &self.0
    }

    /// The masked form shown in listings, e.g. `sk-ant-***-xx7K`.
    pub fn masked(&self) -> String {
        mask(self.expose())
    }
}

impl std::fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretValue(***)")
    }
}

impl From<SecretString> for SecretValue {
    fn from(value: SecretString) -> Self {
        Self(value, Kind::Unknown)
    }
}

impl<'de> serde::Deserialize<'de> for SecretValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        SecretString::deserialize(deserializer).map(SecretValue::from)
    }
}

/// How many characters the mask must hide at least; otherwise the prefix is dropped too.
const MIN_HIDDEN: usize = 8;
/// Values this short (or shorter) are shown as `***` only.
const SHORT_VALUE: usize = 12;

/// Masks a value: a recognisable prefix, `***-`, and the last four characters.
///
/// `sk-ant-api03-abc…xx7K` → `sk-ant-***-xx7K`; values of 12 characters or fewer → `***`.
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= SHORT_VALUE {
        return "***".to_owned();
    }
    let tail: String = chars[chars.len() - 4..].iter().collect();
    // Show the family (`sk-ant-`), not the version tag (`api03-`): the family is what users
    // recognise, and fewer revealed characters is better.
    // The catalog lists prefixes longest first, so `sk-ant-` wins over `sk-`.
    let prefix = catalog::all_key_prefixes()
        .iter()
        .find(|p| value.starts_with(**p))
        .map(|p| family_prefix(p))
        .filter(|p| chars.len() >= p.chars().count() + 4 + MIN_HIDDEN)
        .unwrap_or("");
    format!("{prefix}***-{tail}")
}

/// Strips version tags: while `prefix` is a shorter known prefix plus a tag with a digit in
/// it (`api03-`, `admin01-`, `v1-`), the shorter one is the family (`sk-ant-`, `sk-or-`).
/// Tags without digits name a kind of key (`sk-proj-`, `sk-admin-`) and are kept.
fn family_prefix(mut prefix: &'static str) -> &'static str {
    while let Some(shorter) = catalog::all_key_prefixes()
        .iter()
        .find(|q| q.len() < prefix.len() && prefix.starts_with(**q))
        .filter(|q| prefix[q.len()..].contains(|c: char| c.is_ascii_digit()))
    {
        prefix = shorter;
    }
    prefix
}

/// The largest value byok stores (1 MiB): API keys are far smaller, and every command
/// decrypts the whole vault, so a huge value would slow them all.
pub const MAX_VALUE_BYTES: usize = 1024 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_prints_the_value() {
        let value = SecretValue::new("sk-test-very-secret-value-1234".into());
        let printed = format!("{value:?} {:?}", vec![value.clone()]);
        assert!(!printed.contains("very-secret"), "{printed}");
        assert!(printed.contains("***"));
    }

    #[test]
    fn masks_keep_the_family_prefix_and_last_four() {
        assert_eq!(mask("sk-ant-api03-abcdefghijklmnopxx7K"), "sk-ant-***-xx7K");
        assert_eq!(mask("sk-proj-abcdefghijklmnop1234"), "sk-proj-***-1234");
        assert_eq!(mask("AIzaSyAbcdefghijklmnopqrstuvwxyz0"), "AIza***-xyz0");
        assert_eq!(mask("xai-abcdefghijklmnopqrstuv9876"), "xai-***-9876");
        assert_eq!(mask("0123456789abcdefghij"), "***-ghij");
    }

    #[test]
    fn masks_use_every_catalog_prefix() {
        assert_eq!(
            mask("sk-ant-admin01-abcdefghijklmnop7K7K"),
            "sk-ant-***-7K7K"
        );
        assert_eq!(
            mask("sk-svcacct-abcdefghijklmnop1234"),
            "sk-svcacct-***-1234"
        );
        assert_eq!(mask("sk-admin-abcdefghijklmnop1234"), "sk-admin-***-1234");
        assert_eq!(mask("sk-or-v1-0123456789abcdef0123"), "sk-or-***-0123");
        assert_eq!(mask("tgp_v1_abcdefghijklmnop1234"), "tgp_v1_***-1234");
        assert_eq!(mask("AQ.abcdefghijklmnop1234"), "AQ.***-1234");
        assert_eq!(mask("gsk_abcdefghijklmnop1234"), "gsk_***-1234");
        assert_eq!(mask("sk-0123456789abcdef0123"), "sk-***-0123");
        for prefix in catalog::all_key_prefixes() {
            let masked = mask(&format!("{prefix}abcdefghijklmnopqrstuvwx9876"));
            assert!(masked.starts_with(family_prefix(prefix)), "{masked}");
            assert!(masked.ends_with("***-9876"), "{masked}");
            assert!(!masked.contains("abcdefgh"), "{masked}");
        }
    }

    #[test]
    fn short_values_are_fully_hidden() {
        assert_eq!(mask("sk-12345678"), "***");
        assert_eq!(mask("abcdefghijkl"), "***");
        assert_eq!(mask(""), "***");
    }

    #[test]
    fn prefix_is_dropped_when_it_would_reveal_too_much() {
        // 17 chars: keeping `sk-proj-` and 4 would hide only 5.
        assert_eq!(mask("sk-proj-abcde1234"), "***-1234");
    }

    #[test]
    fn masking_handles_multibyte_characters() {
        assert_eq!(mask("ключ-ключ-ключ-ключ"), "***-ключ");
    }

    proptest::proptest! {
        /// Masking never reveals more than a catalog prefix and the last four characters.
        #[test]
        fn masking_reveals_at_most_the_prefix_and_four_characters(
            prefix in proptest::sample::select(
                [&["", "x"][..], catalog::all_key_prefixes()].concat()
            ),
            body in "\\PC{0,40}",
        ) {
            let value = format!("{prefix}{body}");
            let masked = mask(&value);
            if masked != "***" {
                let (shown, tail) = masked.rsplit_once("***-").expect("the mask's shape");
                let chars: Vec<char> = value.chars().collect();
                proptest::prop_assert_eq!(tail.chars().count(), 4);
                let last4: String = chars[chars.len() - 4..].iter().collect();
                proptest::prop_assert_eq!(tail, last4.as_str());
                proptest::prop_assert!(shown.is_empty() || catalog::all_key_prefixes().contains(&shown));
                proptest::prop_assert!(value.starts_with(shown));
                // At least MIN_HIDDEN characters stay hidden.
                proptest::prop_assert!(chars.len() >= shown.chars().count() + 4 + MIN_HIDDEN);
            }
        }
    }
}
