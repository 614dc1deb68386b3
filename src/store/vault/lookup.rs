//! The fast path of `secret get`: one record out of the vault plaintext, found by position.
//!
//! `secret get` needs one record out of thousands, and deserializing (even skipping) all of
//! them costs more than decrypting the file. This module walks the JSON structure instead:
//! the members of the top-level object, then the members of `secrets` (depth 2), comparing
//! only those member names with the ref name and skipping every other value: containers 64
//! bytes a round with SSE2 bitmasks (see [`skip_container_blocks`]), strings and the rest
//! with a table-driven byte loop to the next quote or backslash (see [`next_of`]). A name is therefore
//! only ever matched where a record's name stands — never a field called `fields`, a label
//! containing `"x": {`, or the top-level `secrets` key itself.
//!
//! A document that repeats a record's name (byok never writes one) gives the first record
//! here; the full parser would keep the last.
//!
//! Anything unusual — `byok_vault` not first, a format this byok does not know, an escaped
//! member name, malformed JSON — answers [`Scan::Undecidable`], and the caller uses the full
//! parser, which also produces the precise (position-only) errors.

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
    find_resumable(doc, path, name).0
}

/// Where a later top-level lookup may pick up a walk that [`find_resumable`] left inside
/// a top-level member: a position between two of that member's members (depth 1, outside
/// any string), with nothing but the version before that member. Only meaningful for the
/// plaintext it was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resume(usize);

/// [`find`], plus where a lookup of another top-level member can resume
/// ([`find_from`]) instead of skipping the records this walk already passed: `secret get`
/// finds a record, then the reveal policy stored after `secrets`.
pub fn find_resumable(doc: &[u8], path: &[&str], name: &str) -> (Scan, Option<Resume>) {
    match find_inner(doc, path, name.as_bytes()) {
        Some((scan, resume)) => (scan, resume),
        None => (Scan::Undecidable, None),
    }
}

/// [`find`] of a top-level `path` whose member comes after the one `resume` stopped in:
/// skips the rest of that member, then walks the members after it.
pub fn find_from(doc: &[u8], resume: Resume, path: &[&str], name: &str) -> Scan {
    let walk = || {
        let end = match skip_container_blocks_from(doc, resume.0, 1, b'{', b'}') {
            Blocks::Done(end) => end?,
            Blocks::Fallback => return None,
        };
        walk_top(doc, end, false, path, name.as_bytes()).map(|(scan, _)| scan)
    };
    walk().unwrap_or(Scan::Undecidable)
}

fn find_inner(doc: &[u8], path: &[&str], name: &[u8]) -> Option<(Scan, Option<Resume>)> {
    let i = expect(doc, skip_ws(doc, 0), b'{')?;
    walk_top(doc, i, true, path, name)
}

/// The top-level walk from `doc[i]` (just after the opening brace, or after a member).
fn walk_top(
    doc: &[u8],
    mut i: usize,
    mut first: bool,
    path: &[&str],
    name: &[u8],
) -> Option<(Scan, Option<Resume>)> {
    // Whether a member other than the version was passed: a resumed walk would miss it.
    let mut passed_other = false;
    loop {
        i = skip_ws(doc, i);
        match *doc.get(i)? {
            // `{}` has no version: the full parser says so.
            b'}' if !first => return Some((Scan::Missing, None)),
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
            if !crate::formats::VAULT.reads(version) {
                return None;
            }
            i += digits;
            first = false;
            continue;
        }
        if key == path[0].as_bytes() {
            let (scan, after) = find_member(doc, i, &path[1..], name)?;
            let resume = (path.len() == 1 && !passed_other)
                .then_some(after)
                .flatten()
                .map(Resume);
            return Some((scan, resume));
        }
        passed_other = true;
        i = skip_value(doc, i)?;
    }
}

/// Looks for member `<path…>.name` in the object opening at `doc[i]`; with the scan, the
/// position just after the record when one was found directly in this object.
fn find_member(doc: &[u8], i: usize, path: &[&str], name: &[u8]) -> Option<(Scan, Option<usize>)> {
    let mut i = expect(doc, i, b'{')?;
    let mut first = true;
    loop {
        i = skip_ws(doc, i);
        match *doc.get(i)? {
            b'}' => return Some((Scan::Missing, None)),
            b',' if !first => i = skip_ws(doc, i + 1),
            _ if first => {}
            _ => return None,
        }
        first = false;
        let (key, after) = member_name(doc, i)?;
        i = skip_ws(doc, expect(doc, skip_ws(doc, after), b':')?);
        if let Some((first, rest)) = path.split_first() {
            if key == first.as_bytes() {
                let (scan, _) = find_member(doc, i, rest, name)?;
                return Some((scan, None));
            }
            i = skip_value(doc, i)?;
            continue;
        }
        let end = skip_value(doc, i)?;
        if key == name {
            return (doc[i] == b'{').then_some((Scan::Record { start: i, end }, Some(end)));
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
    let (open, close) = match *doc.get(i)? {
        b'"' => return string_end(doc, i),
        b'{' => (b'{', b'}'),
        b'[' => (b'[', b']'),
        _ => {
            // A number, true, false or null.
            let len = doc[i..]
                .iter()
                .take_while(|b| !matches!(b, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t'))
                .count();
            return (len > 0).then_some(i + len);
        }
    };
    match skip_container_blocks(doc, i, open, close) {
        Blocks::Done(end) => end,
        Blocks::Fallback => skip_container_bytes(doc, i, open),
    }
}

/// [`skip_value`] of the container opening at `doc[i]`, a byte at a time.
///
/// Inside a container only its own bracket type needs counting: the other kind nests
/// in balanced pairs, and strings (skipped whole) may contain anything.
fn skip_container_bytes(doc: &[u8], i: usize, open: u8) -> Option<usize> {
    let classes = if open == b'{' {
        QUOTE | BRACE
    } else {
        QUOTE | BRACKET
    };
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

/// The answer of [`skip_container_blocks`].
enum Blocks {
    /// What [`skip_container_bytes`] answers.
    Done(Option<usize>),
    /// A backslash outside a string, which the byte loop ignores but the block masks would
    /// take for an escape: only the byte loop gives the same answer then.
    Fallback,
}

/// Block size of [`skip_container_blocks`].
const BLOCK: usize = 64;

/// One bit a byte of a [`BLOCK`], bit `k` for byte `k`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Masks {
    quote: u64,
    backslash: u64,
    open: u64,
    close: u64,
}

/// [`skip_container_bytes`], 64 bytes a round (the JSONSki / simdjson approach): bitmasks of
/// the quotes, backslashes and the container's brackets; the escaped bytes (after an
/// odd-length backslash run); the bytes inside strings (prefix XOR of the unescaped
/// quotes); then the brackets outside strings, counted to find the closing one. Escapes and strings carry across blocks.
///
/// Both loops agree on which bytes are inside strings up to the first backslash outside
/// one (never in valid JSON), which the byte loop ignores and the masks would not: such a
/// block answers [`Blocks::Fallback`].
fn skip_container_blocks(doc: &[u8], i: usize, open: u8, close: u8) -> Blocks {
    skip_container_blocks_from(doc, i, 0, open, close)
}

/// [`skip_container_blocks`] from `doc[i]`, already `depth` containers deep and outside
/// any string: one past the byte that closes the outermost of them.
fn skip_container_blocks_from(
    doc: &[u8],
    i: usize,
    mut depth: usize,
    open: u8,
    close: u8,
) -> Blocks {
    // All ones when the previous block ended inside a string.
    let mut in_string_carry = 0u64;
    // 1 when the first byte of this block is escaped.
    let mut escaped_carry = 0u64;
    let mut j = i;
    while j < doc.len() {
        let masks = match doc[j..].first_chunk::<BLOCK>() {
            Some(block) => block_masks(block, open, close),
            None => {
                // The document's last bytes: padded with zeros, in no class.
                let mut block = [0u8; BLOCK];
                block[..doc.len() - j].copy_from_slice(&doc[j..]);
                block_masks(&block, open, close)
            }
        };
        let escaped = if masks.backslash | escaped_carry == 0 {
            0
        } else {
            escaped_bytes(masks.backslash, &mut escaped_carry)
        };
        let in_string = prefix_xor(masks.quote & !escaped) ^ in_string_carry;
        in_string_carry = ((in_string as i64) >> 63) as u64;
        if masks.backslash & !in_string != 0 {
            return Blocks::Fallback;
        }
        // Bracket by bracket: a block holds few, and x86_64's baseline has no popcount
        // instruction.
        let mut brackets = (masks.open | masks.close) & !in_string;
        while brackets != 0 {
            let bit = brackets & brackets.wrapping_neg();
            if masks.open & bit != 0 {
                depth += 1;
            } else {
                // Never below 1 here: the first byte opens, and the loop stops at 0.
                depth -= 1;
                if depth == 0 {
                    return Blocks::Done(Some(j + bit.trailing_zeros() as usize + 1));
                }
            }
            brackets ^= bit;
        }
        j += BLOCK;
    }
    Blocks::Done(None)
}

/// The bytes escaped by a backslash: those after an odd-length run of them (simdjson's
/// `find_escaped`). `carry` is 1 when the first byte of the block is escaped, and is set
/// for the next block.
fn escaped_bytes(backslash: u64, carry: &mut u64) -> u64 {
    const EVEN: u64 = 0x5555_5555_5555_5555;
    // An escaped backslash starts no run.
    let backslash = backslash & !*carry;
    let follows_escape = (backslash << 1) | *carry;
    let odd_starts = backslash & !EVEN & !follows_escape;
    let (even_starts, overflow) = odd_starts.overflowing_add(backslash);
    *carry = overflow as u64;
    (EVEN ^ (even_starts << 1)) & follows_escape
}

/// Bit `k` is the XOR of bits `0..=k`: set from an opening quote up to (not including)
/// its closing one.
fn prefix_xor(mut x: u64) -> u64 {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    x
}

fn block_masks(block: &[u8; BLOCK], open: u8, close: u8) -> Masks {
    #[cfg(target_arch = "x86_64")]
    {
        block_masks_sse2(block, open, close)
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        block_masks_portable(block, open, close)
    }
}

#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn block_masks_portable(block: &[u8; BLOCK], open: u8, close: u8) -> Masks {
    let mask = |byte: u8| {
        block
            .iter()
            .enumerate()
            .fold(0u64, |m, (k, &b)| m | (u64::from(b == byte) << k))
    };
    Masks {
        quote: mask(b'"'),
        backslash: mask(b'\\'),
        open: mask(open),
        close: mask(close),
    }
}

/// [`block_masks`] with SSE2, which every x86_64 processor has.
///
/// Unsafe because the intrinsics are: `_mm_loadu_si128` reads 16 bytes through a raw
/// pointer. Sound: each pointer is `block.as_ptr() + 16 * k` for `k < 4`, inside the
/// 64-byte array the reference guarantees (the bounds are checked by construction, where
/// the caller takes `&[u8; 64]` from the document), and the unaligned load needs no
/// alignment; the other intrinsics only compute on registers, and SSE2 is part of the
/// x86_64 baseline, so the target feature is always enabled.
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
#[inline]
fn block_masks_sse2(block: &[u8; BLOCK], open: u8, close: u8) -> Masks {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    // SAFETY: see above.
    unsafe {
        let quote = _mm_set1_epi8(b'"' as i8);
        let backslash = _mm_set1_epi8(b'\\' as i8);
        let open = _mm_set1_epi8(open as i8);
        let close = _mm_set1_epi8(close as i8);
        let mut masks = Masks {
            quote: 0,
            backslash: 0,
            open: 0,
            close: 0,
        };
        for k in 0..BLOCK / 16 {
            let chunk = _mm_loadu_si128(block.as_ptr().add(16 * k).cast::<__m128i>());
            let bits = |needle| {
                u64::from(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, needle)) as u16) << (16 * k)
            };
            masks.quote |= bits(quote);
            masks.backslash |= bits(backslash);
            masks.open |= bits(open);
            masks.close |= bits(close);
        }
        masks
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

/// Where the members before `secrets` end, in the first bytes of a large vault (`head`),
/// for the windowed read (`super::window`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    /// Whether a `policy` member came before `secrets` (wholly inside the head).
    pub policy: bool,
    /// Whether an `index` member came before `secrets` (wholly inside the head).
    pub index: bool,
    /// The position of the `{` that opens `secrets`.
    pub secrets: usize,
}

/// The layout of a document's first bytes, when they show byok's own order: the current
/// version first, then at most `policy` and `index` (each ending inside `head`), then
/// `secrets`, whose first record starts on a line of its own (the pretty layout byok
/// writes). `None` for anything else.
pub fn head(doc: &[u8]) -> Option<Head> {
    let mut i = expect(doc, skip_ws(doc, 0), b'{')?;
    let mut out = Head {
        policy: false,
        index: false,
        secrets: 0,
    };
    let mut first = true;
    loop {
        i = skip_ws(doc, i);
        match *doc.get(i)? {
            b',' if !first => i = skip_ws(doc, i + 1),
            _ if first => {}
            _ => return None,
        }
        let (key, after) = member_name(doc, i)?;
        i = skip_ws(doc, expect(doc, skip_ws(doc, after), b':')?);
        if first {
            let digits = doc[i..].iter().take_while(|b| b.is_ascii_digit()).count();
            let version: u64 = std::str::from_utf8(&doc[i..i + digits])
                .ok()?
                .parse()
                .ok()?;
            if key != b"byok_vault" || version != crate::formats::VAULT.current {
                return None;
            }
            i += digits;
            first = false;
            continue;
        }
        match key {
            b"policy" if !out.policy => out.policy = true,
            b"index" if !out.index => out.index = true,
            b"secrets" => {
                out.secrets = i;
                return doc[i..].starts_with(b"{\n    \"").then_some(out);
            }
            _ => return None,
        }
        i = skip_value(doc, i)?;
    }
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
        assert!(undecidable(br#"{"byok_vault": 4, "secrets": {"a": {}}}"#));
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
    fn a_resumed_walk_finds_what_a_fresh_walk_finds() {
        let policy_after = br#"{"byok_vault": 2, "secrets": {"a": {"label": "}{\"x"},
            "b": {"fields": {"k": "v"}}, "c": {}}, "other": [1, {"policy": {}}],
            "policy": {"home": {"reveal": "never"}}}"#;
        let no_policy = br#"{"byok_vault": 2, "secrets": {"a": {}, "b": {}}}"#;
        let policy_first = br#"{"byok_vault": 2, "policy": {"home": {}}, "secrets": {"a": {}}}"#;
        for doc in [&policy_after[..], no_policy, policy_first] {
            for name in ["a", "b", "c"] {
                let (scan, resume) = find_resumable(doc, SECRETS, name);
                assert_eq!(scan, find(doc, SECRETS, name));
                // A walk that passed another member first must not be resumed: it would
                // miss that member.
                if doc == policy_first {
                    assert_eq!(resume, None);
                } else if name != "c" || doc == policy_after {
                    assert!(resume.is_some(), "{name}");
                }
                if let Some(resume) = resume {
                    for scope in ["home", "work"] {
                        assert_eq!(
                            find_from(doc, resume, &["policy"], scope),
                            find(doc, &["policy"], scope),
                            "{name} {scope}"
                        );
                    }
                }
            }
        }
        // Records found in a nested holder give no resume point.
        let index = br#"{"byok_vault": 2, "index": {"keychain": {"k": {}}}, "policy": {}}"#;
        assert_eq!(find_resumable(index, &["index", "keychain"], "k").1, None);
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

    /// `skip_value` of the container at `doc[i]` both ways: 64-byte blocks (unless they
    /// fall back) and bytes.
    fn both_skips(doc: &[u8], i: usize) -> (Option<usize>, Option<usize>) {
        (skip_value(doc, i), skip_container_bytes(doc, i, doc[i]))
    }

    #[test]
    fn sse2_and_portable_masks_agree() {
        let mut block = [0u8; BLOCK];
        for seed in 0..2000u64 {
            let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
            for b in &mut block {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                *b = b"\"\\{}[]ax\x80\xff"[(x % 10) as usize];
            }
            for (open, close) in [(b'{', b'}'), (b'[', b']')] {
                assert_eq!(
                    block_masks(&block, open, close),
                    block_masks_portable(&block, open, close)
                );
            }
        }
    }

    #[test]
    fn blocks_and_bytes_agree_on_random_containers() {
        // Random bytes from the classes that matter, including backslashes outside
        // strings and unbalanced brackets; the block loop must answer like the byte loop.
        let alphabet = b"\"\\{}[]x \\\\\"";
        for seed in 0..3000u64 {
            let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
            let len = 1 + (seed as usize * 7) % 300;
            let mut doc = vec![if seed % 2 == 0 { b'{' } else { b'[' }];
            for _ in 0..len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                doc.push(alphabet[(x % alphabet.len() as u64) as usize]);
            }
            let (blocks, bytes) = both_skips(&doc, 0);
            assert_eq!(blocks, bytes, "{:?}", String::from_utf8_lossy(&doc));
        }
    }

    /// A document of records, each with `label` (a JSON string's contents); checks every
    /// record against serde_json, and a miss.
    fn check_records(prefix: &str, labels: &[String]) {
        let mut doc = format!(r#"{{"byok_vault": 2, {prefix}"secrets": {{"#);
        for (k, label) in labels.iter().enumerate() {
            if k > 0 {
                doc.push(',');
            }
            doc.push_str(&format!(
                r#""r{k}": {{"label": "{label}", "tags": ["{label}", {{"x": "{label}"}}], "fields": {{"api_key": "v{k}"}}}}"#
            ));
        }
        doc.push_str("}}");
        let whole: serde_json::Value = serde_json::from_str(&doc).unwrap();
        for (k, label) in labels.iter().enumerate() {
            let name = format!("r{k}");
            let Scan::Record { start, end } = find(doc.as_bytes(), SECRETS, &name) else {
                panic!("{name}: {label:?}")
            };
            let record: serde_json::Value = serde_json::from_str(&doc[start..end]).unwrap();
            assert_eq!(record, whole["secrets"][&name], "{name}");
        }
        assert_eq!(find(doc.as_bytes(), SECRETS, "nope"), Scan::Missing);
    }

    #[test]
    fn strings_escape_runs_and_brackets_straddle_block_boundaries() {
        // Padding of every length shifts each record across the 64-byte boundaries, with
        // backslash runs of lengths 1 to 9 before a quote, a bracket or a letter.
        let mut labels = Vec::new();
        for pad in 0..70 {
            for run in 1..10 {
                let tail = ["}", "{", "]", "[", "x"][(pad + run) % 5];
                let mut label = "p".repeat(pad);
                // An even run escapes itself; an odd one escapes a quote after it.
                label.push_str(&"\\".repeat(run));
                if run % 2 == 1 {
                    label.push('"');
                }
                label.push_str(tail);
                labels.push(label);
            }
        }
        check_records("", &labels);
    }

    #[test]
    fn records_longer_than_several_blocks_and_deep_nesting() {
        let long: String = "ab\\\"c}{][\\\\ ".repeat(100);
        let labels = vec![long.clone(), "x".into(), long];
        check_records("", &labels);
        // 60 levels of each bracket (serde_json stops at 128), in a member skipped before `secrets`.
        let deep = format!(
            r#""deep": {}{}{}{}, "#,
            "[{\"a\": ".repeat(60),
            "\"]}\"",
            "}]".repeat(60),
            ""
        );
        check_records(&deep, &["y".to_string()]);
        let doc = format!("{}{}", "[".repeat(500), "]".repeat(500));
        assert_eq!(both_skips(doc.as_bytes(), 0), (Some(1000), Some(1000)));
    }

    #[test]
    fn a_backslash_outside_strings_answers_like_the_byte_loop() {
        // Invalid JSON: the byte loop ignores the backslash and opens a string.
        for doc in [r#"{\"}"}"#, r#"[\"]"]"#, r#"{"a": 1 \\" } " }"#] {
            let (blocks, bytes) = both_skips(doc.as_bytes(), 0);
            assert_eq!(blocks, bytes, "{doc}");
        }
    }

    #[test]
    fn never_panics_on_truncated_multi_block_documents() {
        let labels: Vec<String> = (0..40)
            .map(|k| format!("{}\\\\\\\"{}", "z".repeat(k * 3), "{[".repeat(k % 5)))
            .collect();
        let mut doc = String::from(r#"{"byok_vault": 2, "secrets": {"#);
        for (k, label) in labels.iter().enumerate() {
            if k > 0 {
                doc.push(',');
            }
            doc.push_str(&format!(
                r#""r{k}": {{"label": "{label}", "t": [[1], {{}}]}}"#
            ));
        }
        doc.push_str("}}");
        let full = doc.as_bytes();
        assert!(matches!(find(full, SECRETS, "r39"), Scan::Record { .. }));
        for end in 0..full.len() {
            assert_ne!(find(&full[..end], SECRETS, "r39"), Scan::Missing, "{end}");
            let _ = find(&full[..end], SECRETS, "nope");
        }
    }
}
