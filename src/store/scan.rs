//! A fast path for reading one record out of the vault plaintext.
//!
//! `secret get` needs one record out of thousands, and parsing (even skipping) all of them
//! costs more than decrypting the file. In a version-1 vault document the only objects whose
//! members have object values are `secrets` itself, so a member `"NAME": {` that is not
//! inside a string (its quote is not escaped) can only be the record of `NAME`. This module
//! finds that with one SIMD substring search and hands only the record to serde.
//!
//! Anything else — no match, several matches, a document that does not start with
//! `{"byok_vault": 1`, a newer version — returns `None`, and the caller uses the full parser,
//! which also produces the precise errors and "did you mean" hints.

use super::vault::FORMAT_VERSION;

/// The raw JSON of `secrets.<name>`, or `None` when the full parser must decide.
pub fn find<'a>(doc: &'a [u8], name: &str) -> Option<&'a [u8]> {
    if !starts_with_supported_version(doc) {
        return None;
    }
    let needle = format!("\"{name}\"");
    let mut found = None;
    for at in memchr::memmem::find_iter(doc, needle.as_bytes()) {
        if at > 0 && doc[at - 1] == b'\\' {
            continue; // an escaped quote: inside some string
        }
        let mut i = skip_ws(doc, at + needle.len());
        if doc.get(i) != Some(&b':') {
            continue; // a string value, not a member name
        }
        i = skip_ws(doc, i + 1);
        if doc.get(i) != Some(&b'{') {
            continue; // a member with a non-object value, e.g. a field called NAME
        }
        if found.is_some() {
            return None; // duplicate names: let serde apply its rule
        }
        found = Some(&doc[i..object_end(doc, i)?]);
    }
    found
}

fn skip_ws(doc: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = doc.get(i) {
        i += 1;
    }
    i
}

/// `{"byok_vault": N` with N this byok can read.
fn starts_with_supported_version(doc: &[u8]) -> bool {
    let i = skip_ws(doc, 0);
    if doc.get(i) != Some(&b'{') {
        return false;
    }
    let i = skip_ws(doc, i + 1);
    let Some(rest) = doc[i..].strip_prefix(b"\"byok_vault\"") else {
        return false;
    };
    let i = skip_ws(rest, 0);
    if rest.get(i) != Some(&b':') {
        return false;
    }
    let i = skip_ws(rest, i + 1);
    let digits = rest[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    std::str::from_utf8(&rest[i..i + digits])
        .ok()
        .and_then(|d| d.parse::<u64>().ok())
        .is_some_and(|v| (1..=FORMAT_VERSION).contains(&v))
}

/// One past the `}` closing the object that opens at `start`.
fn object_end(doc: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = start;
    loop {
        match *doc.get(i)? {
            b'"' => {
                // Skip the string, escapes included.
                i += 1;
                loop {
                    match *doc.get(i)? {
                        b'"' => break,
                        b'\\' => i += 2,
                        _ => i += 1,
                    }
                }
            }
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"{
      "byok_vault": 1,
      "secrets": {
        "alpha": {"label": "has } and \" and { inside", "fields": {"api_key": "a\\b", "beta": "x"}},
        "beta": {"label": "trap: \"alpha\": {", "fields": {"api_key": "b"}}
      }
    }"#;

    fn record(name: &str) -> serde_json::Value {
        serde_json::from_slice(find(DOC.as_bytes(), name).expect("found")).unwrap()
    }

    #[test]
    fn finds_records_whatever_their_contents() {
        assert_eq!(record("alpha")["fields"]["api_key"], "a\\b");
        // `beta` is also a field name in `alpha`; only the record matches.
        assert_eq!(record("beta")["fields"]["api_key"], "b");
    }

    #[test]
    fn undecidable_documents_go_to_the_full_parser() {
        assert_eq!(find(DOC.as_bytes(), "gamma"), None);
        assert_eq!(
            find(br#"{"secrets": {"a": {}}, "byok_vault": 1}"#, "a"),
            None
        );
        assert_eq!(
            find(br#"{"byok_vault": 2, "secrets": {"a": {}}}"#, "a"),
            None
        );
        assert_eq!(
            find(br#"{"byok_vault": 1, "secrets": {"a": {}, "a": {}}}"#, "a"),
            None
        );
        assert_eq!(
            find(
                br#"{"byok_vault": 1, "secrets": {"a": {"x": "unterminated}}}"#,
                "a"
            ),
            None
        );
        assert_eq!(find(b"", "a"), None);
    }

    #[test]
    fn a_compact_document_works_too() {
        let doc = br#"{"byok_vault":1,"secrets":{"k":{"label":"K","fields":{"api_key":"v"}}}}"#;
        assert_eq!(
            find(doc, "k"),
            Some(&br#"{"label":"K","fields":{"api_key":"v"}}"#[..])
        );
    }
}
