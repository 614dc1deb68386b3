//! The fast path of `secret get`: one record out of the vault plaintext, found by position.
//!
//! `secret get` needs one record out of thousands, and deserializing (even skipping) all of
//! them costs more than decrypting the file. This module walks the JSON structure instead:
//! the members of the top-level object, then the members of `secrets` (depth 2), comparing
//! only those member names with the ref name and skipping every value with a table-driven
//! byte loop to the next quote, backslash or bracket (see [`next_of`]). A name is therefore
//! only ever matched where a record's name stands — never a field called `fields`, a label
//! containing `"x": {`, or the top-level `secrets` key itself.
//!
//! A document that repeats a record's name (byok never writes one) gives the first record
//! here; the full parser would keep the last.
//!
//! Anything unusual — `byok_vault` not first, a format this byok does not know, an escaped
//! member name, malformed JSON — answers [`Scan::Undecidable`], and the caller uses the full
//! parser, which also produces the precise (position-only) errors.

use super::doc::{FORMAT_VERSION, OLDEST_FORMAT};

/// What the scan found for one name.
#[derive(Debug, PartialEq, Eq)]
pub enum Scan {
    /// The record's JSON object is `doc[start..end]`.
    Record { start: usize, end: usize },
    /// The document has no record of that name.
    Missing,
    /// The full parser must decide.
    Undecidable,
}

/// Finds the record `<path…>.<name>` — `["secrets"]` for the file's own secrets,
/// `["index", "keychain"]` for the keychain's index — the first one, should a document
/// repeat a name.
pub fn find(doc: &[u8], path: &[&str], name: &str) -> Scan {
    find_inner(doc, path, name.as_bytes()).unwrap_or(Scan::Undecidable)
}

fn find_inner(doc: &[u8], path: &[&str], name: &[u8]) -> Option<Scan> {
    let mut i = expect(doc, skip_ws(doc, 0), b'{')?;
    let mut first = true;
    loop {
        i = skip_ws(doc, i);
        match *doc.get(i)? {
            // `{}` has no version: the full parser says so.
            b'}' if !first => return Some(Scan::Missing),
            b',' if !first => i = skip_ws(doc, i + 1),
            _ if first => {}
            _ => return None,
        }
        let (key, after) = member_name(doc, i)?;
        i = expect(doc, skip_ws(doc, after), b':')?;
        i = skip_ws(doc, i);
        if first {
            // The version must come first, so it is known before any record is trusted.
            if key != b"byok_vault" {
                return None;
            }
            let digits = doc[i..].iter().take_while(|b| b.is_ascii_digit()).count();
            let version: u64 = std::str::from_utf8(&doc[i..i + digits])
                .ok()?
                .parse()
                .ok()?;
            if !(OLDEST_FORMAT..=FORMAT_VERSION).contains(&version) {
                return None;
            }
            i += digits;
            first = false;
            continue;
        }
        if key == path[0].as_bytes() {
            return find_member(doc, i, &path[1..], name);
        }
        i = skip_value(doc, i)?;
    }
}

/// Looks for member `<path…>.name` in the object opening at `doc[i]`.
fn find_member(doc: &[u8], i: usize, path: &[&str], name: &[u8]) -> Option<Scan> {
    let mut i = expect(doc, i, b'{')?;
    let mut first = true;
    loop {
        i = skip_ws(doc, i);
        match *doc.get(i)? {
            b'}' => return Some(Scan::Missing),
            b',' if !first => i = skip_ws(doc, i + 1),
            _ if first => {}
            _ => return None,
        }
        first = false;
        let (key, after) = member_name(doc, i)?;
        i = skip_ws(doc, expect(doc, skip_ws(doc, after), b':')?);
        if let Some((first, rest)) = path.split_first() {
            if key == first.as_bytes() {
                return find_member(doc, i, rest, name);
            }
            i = skip_value(doc, i)?;
            continue;
        }
        let end = skip_value(doc, i)?;
        if key == name {
            return (doc[i] == b'{').then_some(Scan::Record { start: i, end });
        }
        i = end;
    }
}

/// The raw bytes of the member name whose opening quote is `doc[i]`, and the index after
/// its closing quote. A name with escapes is undecidable here (byok never writes one).
fn member_name(doc: &[u8], i: usize) -> Option<(&[u8], usize)> {
    if doc.get(i) != Some(&b'"') {
        return None;
    }
    // Not `string_end`: the first quote or backslash either closes a plain name or makes
    // it undecidable.
    let end = next_of(doc, i + 1, QUOTE | BACKSLASH)?;
    if doc[end] == b'\\' {
        return None;
    }
    Some((&doc[i + 1..end], end + 1))
}

/// One past the closing quote of the string opening at `doc[i]`.
fn string_end(doc: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    loop {
        j = next_of(doc, j, QUOTE | BACKSLASH)?;
        if doc[j] == b'\\' {
            j += 2;
        } else {
            return Some(j + 1);
        }
    }
}

/// Byte classes for [`next_of`].
const QUOTE: u8 = 1;
const BACKSLASH: u8 = 2;
const BRACE: u8 = 4;
const BRACKET: u8 = 8;

static CLASS: [u8; 256] = {
    let mut class = [0; 256];
    class[b'"' as usize] = QUOTE;
    class[b'\\' as usize] = BACKSLASH;
    class[b'{' as usize] = BRACE;
    class[b'}' as usize] = BRACE;
    class[b'[' as usize] = BRACKET;
    class[b']' as usize] = BRACKET;
    class
};

/// The index of the first byte at or after `j` in one of the `classes`.
///
/// A plain loop, eight bytes a round: in a vault the next quote is rarely more than a few
/// dozen bytes away, too close for a SIMD search to pay for its set-up on every call.
fn next_of(doc: &[u8], mut j: usize, classes: u8) -> Option<usize> {
    let hit = |b: &u8| CLASS[*b as usize] & classes != 0;
    while let Some(block) = doc.get(j..).and_then(<[u8]>::first_chunk::<8>) {
        if let Some(k) = block.iter().position(hit) {
            return Some(j + k);
        }
        j += 8;
    }
    doc.get(j..)?.iter().position(hit).map(|k| j + k)
}

/// One past the end of the JSON value starting at `doc[i]`.
fn skip_value(doc: &[u8], i: usize) -> Option<usize> {
    let (open, classes) = match *doc.get(i)? {
        b'"' => return string_end(doc, i),
        b'{' => (b'{', QUOTE | BRACE),
        b'[' => (b'[', QUOTE | BRACKET),
        _ => {
            // A number, true, false or null.
            let len = doc[i..]
                .iter()
                .take_while(|b| !matches!(b, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t'))
                .count();
            return (len > 0).then_some(i + len);
        }
    };
    // Inside a container only its own bracket type needs counting: the other kind nests
    // in balanced pairs, and strings (skipped whole) may contain anything.
    let mut depth = 0usize;
    let mut j = i;
    loop {
        j = next_of(doc, j, classes)?;
        match doc[j] {
            b'"' => {
                j = string_end(doc, j)?;
                continue;
            }
            b if b == open => depth += 1,
            _ => {
                depth -= 1;
                if depth == 0 {
                    return Some(j + 1);
                }
            }
        }
        j += 1;
    }
}

/// The format version of a document that starts with `{"byok_vault": N`.
pub fn version(doc: &[u8]) -> Option<u64> {
    let i = expect(doc, skip_ws(doc, 0), b'{')?;
    let (key, after) = member_name(doc, skip_ws(doc, i))?;
    if key != b"byok_vault" {
        return None;
    }
    let i = skip_ws(doc, expect(doc, skip_ws(doc, after), b':')?);
    let digits = doc[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    std::str::from_utf8(&doc[i..i + digits]).ok()?.parse().ok()
}

fn skip_ws(doc: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = doc.get(i) {
        i += 1;
    }
    i
}

fn expect(doc: &[u8], i: usize, byte: u8) -> Option<usize> {
    (doc.get(i) == Some(&byte)).then_some(i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"{
      "byok_vault": 2,
      "secrets": {
        "alpha": {"label": "has } and \" and { inside", "tags": ["a]", "{"],
                  "fields": {"api_key": "a\\b", "beta": "x"}},
        "beta": {"label": "trap: \"alpha\": {", "fields": {"api_key": "b"}},
        "fields": {"label": "F", "fields": {"api_key": "f"}},
        "secrets": {"label": "S", "fields": {"secrets": "s"}}
      }
    }"#;

    const SECRETS: &[&str] = &["secrets"];

    fn record(name: &str) -> serde_json::Value {
        match find(DOC.as_bytes(), SECRETS, name) {
            Scan::Record { start, end } => serde_json::from_str(&DOC[start..end]).unwrap(),
            other => panic!("{name}: {other:?}"),
        }
    }

    #[test]
    fn finds_records_by_position_whatever_their_contents() {
        assert_eq!(record("alpha")["fields"]["api_key"], "a\\b");
        // `beta` is also a field name in `alpha`; only the record matches.
        assert_eq!(record("beta")["fields"]["api_key"], "b");
        // Names that are keys elsewhere in the document are records like any other.
        assert_eq!(record("fields")["fields"]["api_key"], "f");
        assert_eq!(record("secrets")["fields"]["secrets"], "s");
    }

    #[test]
    fn names_found_only_inside_records_are_missing() {
        for name in ["api_key", "label", "byok_vault", "gamma"] {
            assert_eq!(find(DOC.as_bytes(), SECRETS, name), Scan::Missing, "{name}");
        }
    }

    #[test]
    fn undecidable_documents_go_to_the_full_parser() {
        let undecidable = |doc: &[u8]| find(doc, SECRETS, "a") == Scan::Undecidable;
        assert!(undecidable(br#"{"secrets": {"a": {}}, "byok_vault": 2}"#));
        assert!(undecidable(br#"{"byok_vault": 3, "secrets": {"a": {}}}"#));
        assert!(undecidable(
            br#"{"byok_vault": 2, "secrets": {"\u0061": {}}}"#
        ));
        assert!(undecidable(
            br#"{"byok_vault": 2, "secrets": {"a": {"x": "unterminated}}}"#
        ));
        assert!(undecidable(br#"{"byok_vault": 2 "secrets": {}}"#));
        assert!(undecidable(b""));
        assert!(undecidable(b"[1]"));
        assert!(undecidable(b"{}"));
    }

    #[test]
    fn a_compact_format_1_document_works_too() {
        let doc = br#"{"byok_vault":1,"other":[1,{"a":{}}],"secrets":{"k":{"label":"K","fields":{"api_key":"v"}}}}"#;
        let Scan::Record { start, end } = find(doc, SECRETS, "k") else {
            panic!()
        };
        assert_eq!(
            &doc[start..end],
            br#"{"label":"K","fields":{"api_key":"v"}}"#
        );
        assert_eq!(find(doc, SECRETS, "a"), Scan::Missing);
    }

    #[test]
    fn index_records_are_found_under_their_store() {
        let doc = br#"{"byok_vault": 2, "index": {"keychain": {"k": {"label": "I"}}, "other": {}},
            "secrets": {"k": {"label": "V"}}}"#;
        let text = |scan| match scan {
            Scan::Record { start, end } => std::str::from_utf8(&doc[start..end]).unwrap(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            text(find(doc, &["index", "keychain"], "k")),
            r#"{"label": "I"}"#
        );
        assert_eq!(text(find(doc, SECRETS, "k")), r#"{"label": "V"}"#);
        assert_eq!(find(doc, &["index", "nope"], "k"), Scan::Missing);
        assert_eq!(find(doc, &["index", "other"], "k"), Scan::Missing);
    }

    #[test]
    fn a_record_that_is_not_an_object_is_undecidable() {
        assert_eq!(
            find(br#"{"byok_vault":2,"secrets":{"a":"x"}}"#, SECRETS, "a"),
            Scan::Undecidable
        );
    }

    #[test]
    fn quotes_escapes_and_brackets_at_every_offset_of_a_block() {
        // Labels of every length up to three blocks, with escapes and brackets placed at
        // every offset, so each lands at each position of `next_of`'s 8-byte rounds.
        let mut doc = String::from(r#"{"byok_vault": 2, "secrets": {"#);
        let mut labels = Vec::new();
        for len in 0..24 {
            for at in 0..len.max(1) {
                let mut label: String = "x".repeat(len);
                if len > 0 {
                    let insert = ["\\\"", "\\\\", "}", "{", "]", "["][at % 6];
                    label.insert_str(at, insert);
                }
                let name = format!("r{len}_{at}");
                if !labels.is_empty() {
                    doc.push(',');
                }
                doc.push_str(&format!(
                    r#""{name}": {{"label": "{label}", "tags": ["{label}"], "fields": {{"api_key": "{name}"}}}}"#
                ));
                labels.push(name);
            }
        }
        doc.push_str("}}");
        let whole: serde_json::Value = serde_json::from_str(&doc).unwrap();
        for name in &labels {
            let Scan::Record { start, end } = find(doc.as_bytes(), SECRETS, name) else {
                panic!("{name}")
            };
            let record: serde_json::Value = serde_json::from_str(&doc[start..end]).unwrap();
            assert_eq!(record, whole["secrets"][name], "{name}");
        }
        assert_eq!(find(doc.as_bytes(), SECRETS, "nope"), Scan::Missing);
    }

    #[test]
    fn never_panics_on_truncated_documents() {
        let full = DOC.as_bytes();
        for end in 0..full.len() {
            let _ = find(&full[..end], SECRETS, "beta");
        }
    }
}
