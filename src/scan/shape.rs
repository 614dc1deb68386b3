//! Key-shaped strings: what a leak looks like when byok does not hold the value.
//!
//! Two rules, found in one Aho-Corasick pass (ASCII case-insensitive):
//!
//! * a catalog key prefix (`sk-ant-`, `gsk_`, `AIza`, …, in its exact case) at a token
//!   boundary, followed by at least [`MIN_BODY`] key characters with letters and digits
//!   mixed and enough entropy;
//! * a name containing `key`, `token` or `secret` (`OPENAI_API_KEY`, `"apiKey"`,
//!   `auth_token`) assigned (`=`, `:`, `:=`, `=>`) a token of [`MIN_ASSIGNED`]–[`MAX_TOKEN`]
//!   base64/URL-safe characters whose Shannon entropy is at least [`MIN_ENTROPY`] bits per
//!   character, and which is not an obvious placeholder.
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

struct Automaton {
    ac: AhoCorasick,
    /// Patterns `0..prefixes.len()` are prefixes, the rest names.
    prefixes: Vec<&'static str>,
}

fn automaton() -> &'static Automaton {
    static AUTOMATON: OnceLock<Automaton> = OnceLock::new();
    AUTOMATON.get_or_init(|| {
        let prefixes: Vec<&'static str> = catalog::all_key_prefixes().to_vec();
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(prefixes.iter().copied().chain(NAMES.iter().copied()))
            .expect("static patterns");
        Automaton { ac, prefixes }
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
    let auto = automaton();
    let mut hits: Vec<ShapeHit> = Vec::new();
    for m in auto.ac.find_iter(text) {
        let pattern = m.pattern().as_usize();
        let hit = if let Some(&prefix) = auto.prefixes.get(pattern) {
            prefix_hit(text, m.start(), prefix)
        } else {
            assigned_hit(text, m.start(), m.end())
        };
        let Some(hit) = hit else { continue };
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

fn prefix_hit(text: &[u8], start: usize, _matched: &'static str) -> Option<ShapeHit> {
    if start > 0 && is_body(text[start - 1]) {
        return None;
    }
    // The longest prefix in its exact case (the automaton ignores case).
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

fn assigned_hit(text: &[u8], start: usize, end: usize) -> Option<ShapeHit> {
    // The whole name around `key`/`token`/`secret`.
    let mut name_start = start;
    while name_start > 0 && is_ident(text[name_start - 1]) && start - name_start < 64 {
        name_start -= 1;
    }
    let mut name_end = end;
    while name_end < text.len() && is_ident(text[name_end]) && name_end - end < 64 {
        name_end += 1;
    }
    let name = &text[name_start..name_end];
    let mut i = name_end;
    // A closing quote of a quoted name (`"apiKey": …`).
    if i < text.len() && matches!(text[i], b'"' | b'\'' | b'`') {
        i += 1;
    }
    let skip_blanks = |mut i: usize| {
        while i < text.len() && matches!(text[i], b' ' | b'\t') {
            i += 1;
        }
        i
    };
    i = skip_blanks(i);
    let rest = &text[i..];
    let op = if rest.starts_with(b":=") || rest.starts_with(b"=>") || rest.starts_with(b"?=") {
        2
    } else if rest.starts_with(b"==") {
        return None;
    } else if rest.starts_with(b"=") || rest.starts_with(b":") {
        1
    } else {
        return None;
    };
    i = skip_blanks(i + op);
    let quote = text.get(i).copied().filter(|b| matches!(b, b'"' | b'\''));
    if quote.is_some() {
        i += 1;
    }
    let token_len = text[i..].iter().take_while(|&&b| is_token(b)).count();
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
    let token = &text[i..i + token_len];
    if !closed
        || !(MIN_ASSIGNED..=MAX_TOKEN).contains(&token_len)
        || !mixed(token)
        || entropy(token) < MIN_ENTROPY
        || placeholder(token)
    {
        return None;
    }
    Some(ShapeHit {
        start: i,
        len: token_len,
        rule: Rule::Assigned {
            name: super::escape(&String::from_utf8_lossy(name)),
        },
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

    #[test]
    fn catalog_prefixes_with_a_real_body() {
        let hits = find_all(b"x = sk-ant-api03-Zq8Lr2Vt7Wm4Kd9Hs1Jc6Pb3Nf5Gx0Ya\n");
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
        for text in [
            &b"MY_SERVICE_TOKEN=q8Lr2Vt7Wm4Kd9Hs1Jc6Pb3N\n"[..],
            b"  \"apiKey\": \"q8Lr2Vt7Wm4Kd9Hs1Jc6Pb3N\",",
            b"client_secret: 'q8Lr2Vt7Wm4Kd9Hs1Jc6Pb3N'",
            b"let secret := q8Lr2Vt7Wm4Kd9Hs1Jc6Pb3N;",
        ] {
            let hits = find_all(text);
            assert_eq!(hits.len(), 1, "{}", String::from_utf8_lossy(text));
            assert!(matches!(hits[0].rule, Rule::Assigned { .. }));
            assert_eq!(
                &text[hits[0].start..hits[0].start + hits[0].len],
                b"q8Lr2Vt7Wm4Kd9Hs1Jc6Pb3N"
            );
        }
        for text in [
            &b"api_key = os.environ.get(\"API_KEY\")"[..],
            b"token: aaaaaaaaaaaaaaaaaaaaaaaaa1",
            b"if key == q8Lr2Vt7Wm4Kd9Hs1Jc6Pb3N",
            b"monkey = q8Lr2Vt7 Wm4Kd9Hs1Jc6Pb3N",
            b"keyboard layout is q8Lr2Vt7Wm4Kd9Hs1Jc6Pb3N",
            b"SECRET=q8Lr2Vt7Wm4Kd9Hs1Jc6Pb3N # byok:allow",
        ] {
            assert!(
                find_all(text).is_empty(),
                "{}",
                String::from_utf8_lossy(text)
            );
        }
    }

    #[test]
    fn entropy_is_bits_per_byte() {
        assert_eq!(entropy(b"aaaa"), 0.0);
        assert!((entropy(b"abcd") - 2.0).abs() < 1e-9);
    }
}
