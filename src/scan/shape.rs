//! Key-shaped strings: what a leak looks like when byok does not hold the value.
//!
//! Two rules, each found without looking at most of the text:
//!
//! * a catalog key prefix (`sk-ant-`, `gsk_`, `AIza`, …, in its exact case) at a token
//!   boundary, followed by at least [`MIN_BODY`] key characters with letters and digits
//!   mixed and enough entropy;
//! * a name containing `key`, `token` or `secret` (`OPENAI_API_KEY`, `"apiKey"`,
//!   `auth_token`) assigned (`=`, `:`, `:=`, `=>`) a token of [`MIN_ASSIGNED`]–[`MAX_TOKEN`]
//!   base64/URL-safe characters whose Shannon entropy is at least [`MIN_ENTROPY`] bits per
//!   character, and which is not an obvious placeholder.
//!
//! The prefixes are found by one Aho-Corasick automaton (a DFA, leftmost-first, whose SIMD
//! prefilter skips text holding none of their first bytes); assignments by `memchr` over `=`
//! and `:`, looking at the token after the operator first (most operators are followed by a
//! short word) and only then at the name before it. Nothing is allocated per line.
//!
//! A line containing `byok:allow` is exempt from both rules (never from stored values).

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::provider::catalog;

/// Shortest body after a prefix.
pub const MIN_BODY: usize = 20;
/// Shortest assigned token.
pub const MIN_ASSIGNED: usize = 16;
/// Longest token considered (longer runs are data, not keys).
pub const MAX_TOKEN: usize = 512;
/// Entropy an assigned token needs, in bits per character.
pub const MIN_ENTROPY: f64 = 3.5;
/// The pragma that exempts a line from shape findings.
pub const ALLOW: &[u8] = b"byok:allow";

const NAMES: &[&str] = &["key", "token", "secret"];

/// A key-shaped string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeHit {
    /// Byte offset and length of the token (without the name for an assignment).
    pub start: usize,
    pub len: usize,
    pub rule: Rule,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    /// A catalog prefix; the provider when exactly one has it.
    Prefix {
        prefix: &'static str,
        provider: Option<&'static str>,
    },
    /// A high-entropy token assigned to this name (escaped, at most 64 characters).
    Assigned { name: String },
}

fn automaton() -> &'static AhoCorasick {
    static AUTOMATON: OnceLock<AhoCorasick> = OnceLock::new();
    AUTOMATON.get_or_init(|| {
        // Only the shortest prefixes are needed to find a candidate: `prefix_hit` then takes
        // the longest catalog prefix there (`sk-ant-api03-` over `sk-`).
        let all = catalog::all_key_prefixes();
        let mut starts: Vec<&'static str> = all
            .iter()
            .copied()
            .filter(|p| !all.iter().any(|q| q.len() < p.len() && p.starts_with(q)))
            .collect();
        starts.sort_unstable();
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .kind(Some(AhoCorasickKind::DFA))
            .prefilter(true)
            .build(starts)
            .expect("static patterns")
    })
}

fn is_body(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.'
}

fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-' | b'.' | b'~')
}

/// Shannon entropy of `s` in bits per byte.
pub fn entropy(s: &[u8]) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in s {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|c| **c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

fn mixed(s: &[u8]) -> bool {
    s.iter().any(u8::is_ascii_digit) && s.iter().any(u8::is_ascii_alphabetic)
}

fn placeholder(s: &[u8]) -> bool {
    let lower = s.to_ascii_lowercase();
    let has = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
    has(b"xxxx")
        || has(b"your")
        || has(b"example")
        || has(b"placeholder")
        || has(b"changeme")
        || has(b"0000000")
        || has(b"1234567")
}

/// Every key-shaped string in `text`, in order.
pub fn find_all(text: &[u8]) -> Vec<ShapeHit> {
    let mut found: Vec<ShapeHit> = automaton()
        .find_iter(text)
        .filter_map(|m| prefix_hit(text, m.start()))
        .collect();
    let prefixes = found.len();
    for at in memchr::memchr2_iter(b'=', b':', text) {
        if let Some(hit) = assigned_at(text, at) {
            found.push(hit);
        }
    }
    if found.len() > prefixes {
        // At one place a prefix says more than an assignment: it sorts first.
        found.sort_by_key(|h| (h.start, matches!(h.rule, Rule::Assigned { .. })));
    }
    let mut hits: Vec<ShapeHit> = Vec::with_capacity(found.len());
    for hit in found {
        match hits.last_mut() {
            // The value of `OPENAI_API_KEY=sk-…` is reported by its prefix, which says more.
            Some(last) if hit.start < last.start + last.len => {
                if matches!(last.rule, Rule::Assigned { .. })
                    && matches!(hit.rule, Rule::Prefix { .. })
                {
                    *last = hit;
                }
            }
            _ => hits.push(hit),
        }
    }
    hits.retain(|h| !line_allows(text, h.start));
    hits
}

fn prefix_hit(text: &[u8], start: usize) -> Option<ShapeHit> {
    if start > 0 && is_body(text[start - 1]) {
        return None;
    }
    // The longest catalog prefix there.
    let prefix = *catalog::all_key_prefixes()
        .iter()
        .find(|p| text[start..].starts_with(p.as_bytes()))?;
    let body_start = start + prefix.len();
    let dot = prefix.ends_with('.');
    let body_len = text[body_start..]
        .iter()
        .take_while(|&&b| is_body(b) || (dot && b == b'.'))
        .count();
    let body = &text[body_start..body_start + body_len];
    if body_len < MIN_BODY || !mixed(body) || entropy(body) < 3.0 || placeholder(body) {
        return None;
    }
    let mut owners = catalog::all()
        .iter()
        .filter(|s| s.key_prefixes.contains(&prefix));
    let provider = match (owners.next(), owners.next()) {
        (Some(only), None) => Some(only.id),
        _ => None,
    };
    Some(ShapeHit {
        start,
        len: prefix.len() + body_len,
        rule: Rule::Prefix { prefix, provider },
    })
}

/// Longest name looked at before an operator.
const MAX_NAME: usize = 64;

/// An assignment whose operator has its first byte at `at` (a `=` or `:`): the token after
/// it is checked first, then whether the name before it holds `key`, `token` or `secret`.
fn assigned_at(text: &[u8], at: usize) -> Option<ShapeHit> {
    let next = text.get(at + 1).copied();
    let prev = at.checked_sub(1).map(|i| text[i]);
    let (op_start, op_end) = match (text[at], next) {
        // `==`, and the second byte of `:=`, `==`, `!=`, `<=`, `>=`: not assignments.
        (b'=', Some(b'=')) => return None,
        (b'=', _) if matches!(prev, Some(b':' | b'=' | b'!' | b'<' | b'>')) => return None,
        (b'=', Some(b'>')) => (at, at + 2),
        (b'=', _) if prev == Some(b'?') => (at - 1, at + 1),
        (b':', Some(b'=')) => (at, at + 2),
        // `::` paths, and the first byte of one.
        (b':', Some(b':')) => return None,
        (b':', _) if prev == Some(b':') => return None,
        _ => (at, at + 1),
    };
    // The token: blanks, an optional quote, then token bytes.
    let skip_blanks = |mut i: usize| {
        while i < text.len() && matches!(text[i], b' ' | b'\t') {
            i += 1;
        }
        i
    };
    let mut i = skip_blanks(op_end);
    let quote = text.get(i).copied().filter(|b| matches!(b, b'"' | b'\''));
    if quote.is_some() {
        i += 1;
    }
    let token_len = text[i..]
        .iter()
        .take(MAX_TOKEN + 1)
        .take_while(|&&b| is_token(b))
        .count();
    if !(MIN_ASSIGNED..=MAX_TOKEN).contains(&token_len) {
        return None;
    }
    let after = text.get(i + token_len).copied();
    let closed = match quote {
        Some(q) => after == Some(q),
        None => after.is_none_or(|b| {
            matches!(
                b,
                b'\n' | b'\r' | b' ' | b'\t' | b',' | b';' | b')' | b'}' | b']' | b'#'
            )
        }),
    };
    if !closed {
        return None;
    }
    // The name: blanks, an optional closing quote, then name bytes, right to left.
    let mut name_end = op_start;
    while name_end > 0 && matches!(text[name_end - 1], b' ' | b'\t') {
        name_end -= 1;
    }
    if name_end > 0 && matches!(text[name_end - 1], b'"' | b'\'' | b'`') {
        name_end -= 1;
    }
    let mut name_start = name_end;
    while name_start > 0 && is_ident(text[name_start - 1]) && name_end - name_start < MAX_NAME {
        name_start -= 1;
    }
    let name = &text[name_start..name_end];
    if !key_like(name) {
        return None;
    }
    let token = &text[i..i + token_len];
    if !mixed(token) || entropy(token) < MIN_ENTROPY || placeholder(token) {
        return None;
    }
    Some(ShapeHit {
        start: i,
        len: token_len,
        rule: Rule::Assigned {
            name: crate::term::sanitize::line(&String::from_utf8_lossy(name)).into_owned(),
        },
    })
}

/// Whether a name holds `key`, `token` or `secret`, in any case.
fn key_like(name: &[u8]) -> bool {
    NAMES.iter().any(|n| {
        name.windows(n.len())
            .any(|w| w.eq_ignore_ascii_case(n.as_bytes()))
    })
}

/// Whether the line holding `at` carries the `byok:allow` pragma.
fn line_allows(text: &[u8], at: usize) -> bool {
    let start = memchr::memrchr(b'\n', &text[..at]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |i| at + i);
    memchr::memmem::find(&text[start..end], ALLOW).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::fixtures;

    #[test]
    fn catalog_prefixes_with_a_real_body() {
        let text = format!("x = sk-ant-api03-{}\n", fixtures::body());
        let hits = find_all(text.as_bytes());
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(
            hits[0].rule,
            Rule::Prefix {
                prefix: "sk-ant-api03-",
                provider: Some("anthropic")
            }
        );
        assert_eq!(hits[0].start, 4);
        // Words, bare prefixes, placeholders and prefixes inside words are not keys.
        for text in [
            &b"use sk-learn-and-other-libraries-for-ml"[..],
            b"sk-ant-api03-",
            b"risk-8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c",
            b"OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            b"OPENAI_API_KEY=sk-your-key-here-1234567890",
        ] {
            assert!(
                find_all(text).is_empty(),
                "{}",
                String::from_utf8_lossy(text)
            );
        }
    }

    #[test]
    fn high_entropy_values_of_key_names() {
        let t = fixtures::token();
        for text in [
            format!("MY_SERVICE_TOKEN={t}\n"),
            format!("  \"apiKey\": \"{t}\","),
            format!("client_secret: '{t}'"),
            format!("let secret := {t};"),
            format!("auth_token ?= {t}"),
            format!("{{ refresh_token => \"{t}\" }}"),
        ] {
            let hits = find_all(text.as_bytes());
            assert_eq!(hits.len(), 1, "{text}");
            assert!(matches!(hits[0].rule, Rule::Assigned { .. }));
            assert_eq!(
                &text.as_bytes()[hits[0].start..hits[0].start + hits[0].len],
                t.as_bytes()
            );
        }
        for text in [
            "api_key = os.environ.get(\"API_KEY\")".to_owned(),
            "token: aaaaaaaaaaaaaaaaaaaaaaaaa1".to_owned(),
            format!("if key == {t}"),
            format!("if key != {t}"),
            format!("key <= {t}"),
            format!("monkey = {} {}", &t[..8], &t[8..]),
            format!("keyboard layout is {t}"),
            format!("name = {t}"),
            format!("token = {t}x!"),
            format!("SECRET={t} # byok:allow"),
        ] {
            assert!(find_all(text.as_bytes()).is_empty(), "{text}");
        }
    }

    #[test]
    fn an_assigned_prefix_is_reported_by_its_prefix() {
        let text = format!("OPENAI_API_KEY=\"sk-proj-{}\"", fixtures::body());
        let hits = find_all(text.as_bytes());
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert!(matches!(
            hits[0].rule,
            Rule::Prefix {
                prefix: "sk-proj-",
                ..
            }
        ));
        assert_eq!(hits[0].start, 16);
    }

    #[test]
    fn entropy_is_bits_per_byte() {
        assert_eq!(entropy(b"aaaa"), 0.0);
        assert!((entropy(b"abcd") - 2.0).abs() < 1e-9);
    }
}
