//! Scrubbing key material out of everything a server returns before it is printed or logged.
//!
//! Providers echo keys back: Gemini the whole key (`api_key:AIza…`), OpenAI a
//! prefix plus the last four (`sk-proj-...sQoA`), DeepSeek the last four
//! (`****fcc2`). [`redact`] removes the known key, its ≥4-character prefixes and
//! suffixes, and anything shaped like a provider key (the prefixes come from the catalog,
//! [`crate::provider::catalog::all`], plus a few shapes it does not list and the generic
//! `Bearer `, `api_key:`, `key=`). It also escapes control characters (ANSI escapes, `\r`,
//! bidi overrides) so a server cannot drive the terminal.
//!
//! The cost is bounded: the text is cut to [`MAX_INPUT`] bytes first, and the scan is linear
//! (one Aho-Corasick pass for the prefixes, precomputed run ends for the bodies, Z-arrays for
//! the key's prefixes and suffixes), so a hostile 100 MB message costs microseconds.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};

/// Longest text redacted; longer text is cut (on a char boundary) and ends with `…`.
pub const MAX_INPUT: usize = 4096;
/// Shortest key fragment treated as sensitive.
const MIN_FRAGMENT: usize = 4;
/// Below this length a "key" is not secret-grade and fragments would match noise.
const MIN_KEY_FOR_FRAGMENTS: usize = 8;
/// Minimum body length after a catalog key prefix unless [`EAGER`] says otherwise.
const DEFAULT_MIN_BODY: usize = 8;

/// Which characters may follow a pattern's prefix.
#[derive(Clone, Copy)]
enum Body {
    /// `[A-Za-z0-9_-]`
    Word,
    /// `[A-Za-z0-9_.-]` (Google `AQ.` keys contain dots).
    WordDot,
    /// Anything up to a quote, whitespace, `&` or `,`.
    UntilDelimiter,
}

#[derive(Clone, Copy)]
struct Pattern {
    prefix: &'static str,
    body: Body,
    /// Minimum body length for a match (guards against ordinary words).
    min: usize,
    /// Whether a `_` or `-` directly before the prefix still counts as a boundary
    /// (`api_key=…` should match `key=`).
    loose_boundary: bool,
}

/// Key shapes the catalog does not list (its `key_prefixes` drive the "this does not look
/// like a key" warning, where these would be wrong or too new), and the generic patterns.
const LOCAL: &[Pattern] = &[
    // Gemini: legacy keys; the catalog lists no prefix since `AQ.` keys appeared.
    pat("AIza", Body::Word, 10),
    pat("AQ.", Body::WordDot, 10),
    // Together AI.
    pat("tgp_v1_", Body::Word, 3),
    pat("Bearer ", Body::UntilDelimiter, 8),
    Pattern {
        prefix: "api_key:",
        body: Body::UntilDelimiter,
        min: 1,
        loose_boundary: true,
    },
    Pattern {
        prefix: "key=",
        body: Body::UntilDelimiter,
        min: 1,
        loose_boundary: true,
    },
];

/// Catalog prefixes matched with a shorter body: OpenAI-style masks echo only a few
/// characters after `sk-` (`sk-PMafP*****E873`).
const EAGER: &[(&str, usize)] = &[("sk-", 3), ("sk-ant-", 3), ("sk-or-", 3)];

const fn pat(prefix: &'static str, body: Body, min: usize) -> Pattern {
    Pattern {
        prefix,
        body,
        min,
        loose_boundary: false,
    }
}

/// The patterns, longest prefix first (so the nicer mask wins), and their automaton.
struct Patterns {
    list: Vec<Pattern>,
    automaton: AhoCorasick,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let mut list: Vec<Pattern> = Vec::new();
        for spec in crate::provider::catalog::all() {
            for &prefix in spec.key_prefixes {
                if list.iter().any(|p| p.prefix == prefix) {
                    continue;
                }
                let min = EAGER
                    .iter()
                    .find(|(p, _)| *p == prefix)
                    .map_or(DEFAULT_MIN_BODY, |(_, m)| *m);
                list.push(pat(prefix, Body::Word, min));
            }
        }
        for p in LOCAL {
            if !list.iter().any(|q| q.prefix == p.prefix) {
                list.push(*p);
            }
        }
        list.sort_by_key(|p| std::cmp::Reverse(p.prefix.len()));
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(list.iter().map(|p| p.prefix))
            .expect("static patterns");
        Patterns { list, automaton }
    })
}

/// Returns `text` with key material replaced by masks such as `sk-***` or `***`, and
/// control characters other than newline and tab escaped (`\u{1b}`, `\r`).
///
/// `key` is the key that was used, if known; its exact value and every prefix or
/// suffix of at least four characters are removed. Generic patterns require a
/// token boundary before the prefix (so `risk-based` stays intact) and at least
/// three key characters after it. Text longer than [`MAX_INPUT`] is cut first.
pub fn redact(text: &str, key: Option<&str>) -> String {
    scrub(text, key, true)
}

/// Like [`redact`], for text shown on one line (model ids, URLs): newlines and tabs are
/// escaped too.
pub fn redact_line(text: &str, key: Option<&str>) -> String {
    scrub(text, key, false)
}

fn scrub(text: &str, key: Option<&str>, keep_newlines: bool) -> String {
    let (text, cut) = truncate(text);
    let mut spans: Vec<Span> = Vec::new();
    if let Some(key) = key.map(str::trim).filter(|k| k.len() >= MIN_FRAGMENT) {
        key_spans(text, key, &mut spans);
    }
    pattern_spans(text, &mut spans);
    let applied = apply(text, spans);
    let mut out = if keep_newlines {
        crate::term::sanitize::text(&applied).into_owned()
    } else {
        crate::term::sanitize::line(&applied).into_owned()
    };
    if cut {
        out.push('…');
    }
    out
}

/// At most [`MAX_INPUT`] bytes of `text`, cut on a char boundary; whether it was cut.
fn truncate(text: &str) -> (&str, bool) {
    if text.len() <= MAX_INPUT {
        return (text, false);
    }
    let mut end = MAX_INPUT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (&text[..end], true)
}

/// A byte range of `text` to replace, with its mask.
struct Span {
    start: usize,
    end: usize,
    mask: String,
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// The visible part kept in a mask: a known public prefix, never key material.
fn mask_for(fragment: &str) -> String {
    patterns()
        .list
        .iter()
        .filter(|p| !matches!(p.body, Body::UntilDelimiter))
        .find(|p| fragment.starts_with(p.prefix) && fragment.len() > p.prefix.len())
        .map(|p| format!("{}***", p.prefix))
        .unwrap_or_else(|| "***".to_string())
}

/// The Z-array of `needle ++ SEP ++ hay`, sliced to `hay`: entry `i` is the length of the
/// longest common prefix of `hay[i..]` and `needle` (linear time).
fn prefix_matches(needle: &[u8], hay: &[u8]) -> Vec<usize> {
    const SEP: u16 = 256;
    let s: Vec<u16> = needle
        .iter()
        .map(|&b| u16::from(b))
        .chain(std::iter::once(SEP))
        .chain(hay.iter().map(|&b| u16::from(b)))
        .collect();
    let n = s.len();
    let mut z = vec![0usize; n];
    let (mut l, mut r) = (0, 0);
    for i in 1..n {
        if i < r {
            z[i] = (r - i).min(z[i - l]);
        }
        while i + z[i] < n && s[z[i]] == s[i + z[i]] {
            z[i] += 1;
        }
        if i + z[i] > r {
            l = i;
            r = i + z[i];
        }
    }
    z.split_off(needle.len() + 1)
}

fn key_spans(text: &str, key: &str, spans: &mut Vec<Span>) {
    for (start, m) in text.match_indices(key) {
        spans.push(Span {
            start,
            end: start + m.len(),
            mask: mask_for(key),
        });
    }
    if key.len() < MIN_KEY_FOR_FRAGMENTS {
        return;
    }
    let t = text.as_bytes();
    let k = key.as_bytes();
    // Prefix fragments starting at a token boundary.
    let forward = prefix_matches(k, t);
    for i in (0..t.len()).filter(|&i| text.is_char_boundary(i)) {
        let prev_ok = i == 0 || !t[i - 1].is_ascii_alphanumeric();
        if prev_ok {
            let n = floor_boundary(text, i, forward[i]);
            if n >= MIN_FRAGMENT {
                spans.push(Span {
                    start: i,
                    end: i + n,
                    mask: mask_for(&text[i..i + n]),
                });
            }
        }
    }
    // Suffix fragments ending at a token boundary (or the end of the text): prefixes of
    // the reversed key in the reversed text.
    let rk: Vec<u8> = k.iter().rev().copied().collect();
    let rt: Vec<u8> = t.iter().rev().copied().collect();
    let backward = prefix_matches(&rk, &rt);
    let ends = (0..t.len())
        .filter(|&i| text.is_char_boundary(i) && !t[i].is_ascii_alphanumeric())
        .chain(std::iter::once(t.len()));
    for end in ends {
        let n = backward.get(t.len() - end).copied().unwrap_or(0);
        let start = end - n;
        if n >= MIN_FRAGMENT && text.is_char_boundary(start) {
            spans.push(Span {
                start,
                end,
                mask: "***".to_string(),
            });
        }
    }
}

/// Shrinks a byte length so `text[i..i+n]` ends on a char boundary.
fn floor_boundary(text: &str, i: usize, mut n: usize) -> usize {
    while n > 0 && !text.is_char_boundary(i + n) {
        n -= 1;
    }
    n
}

/// Where a run of each body kind starting at a byte position ends, and how many chars
/// precede each position: precomputed once so every candidate is checked in O(1).
struct Runs {
    word: Vec<usize>,
    word_dot: Vec<usize>,
    until_delimiter: Vec<usize>,
    chars_before: Vec<usize>,
}

impl Runs {
    fn new(text: &str) -> Self {
        let t = text.as_bytes();
        let n = t.len();
        let mut word = vec![n; n + 1];
        let mut word_dot = vec![n; n + 1];
        for i in (0..n).rev() {
            word[i] = if is_word(t[i]) { word[i + 1] } else { i };
            word_dot[i] = if is_word(t[i]) || t[i] == b'.' {
                word_dot[i + 1]
            } else {
                i
            };
        }
        let mut until_delimiter = vec![n; n + 1];
        for (i, c) in text.char_indices().rev() {
            let delimiter = c.is_whitespace() || matches!(c, '\'' | '"' | '&' | ',' | '`');
            until_delimiter[i] = if delimiter {
                i
            } else {
                until_delimiter[i + c.len_utf8()]
            };
        }
        let mut chars_before = vec![0; n + 1];
        let mut count = 0;
        for (i, slot) in chars_before.iter_mut().enumerate() {
            *slot = count;
            if i < n && text.is_char_boundary(i) {
                count += 1;
            }
        }
        Runs {
            word,
            word_dot,
            until_delimiter,
            chars_before,
        }
    }

    fn end(&self, body: Body, start: usize) -> usize {
        match body {
            Body::Word => self.word[start],
            Body::WordDot => self.word_dot[start],
            Body::UntilDelimiter => self.until_delimiter[start],
        }
    }
}

fn pattern_spans(text: &str, spans: &mut Vec<Span>) {
    let patterns = patterns();
    let t = text.as_bytes();
    // Every (start, pattern) where a prefix occurs; at one start the longest prefix is tried
    // first and the first that matches wins.
    let mut candidates: Vec<(usize, usize)> = patterns
        .automaton
        .find_overlapping_iter(text)
        .map(|m| (m.start(), m.pattern().as_usize()))
        .collect();
    if candidates.is_empty() {
        return;
    }
    candidates.sort_unstable();
    let runs = Runs::new(text);
    let mut done_at = None;
    for (i, index) in candidates {
        if done_at == Some(i) {
            continue;
        }
        let p = &patterns.list[index];
        // Prefixes are ASCII, so `i - 1` is the last byte of the previous char; a
        // non-ASCII char is a boundary either way.
        let bounded = match i.checked_sub(1).map(|j| t[j]) {
            None => true,
            Some(b) if p.loose_boundary => !b.is_ascii_alphanumeric(),
            Some(b) => !is_word(b) && b != b'.',
        };
        if !bounded {
            continue;
        }
        let body_start = i + p.prefix.len();
        let body_end = runs.end(p.body, body_start);
        let chars = runs.chars_before[body_end] - runs.chars_before[body_start];
        // Already-masked text (`sk-***`) has no body and is left alone.
        if chars >= p.min && !text[body_start..body_end].starts_with("***") {
            spans.push(Span {
                start: i,
                end: body_end,
                mask: format!("{}***", p.prefix),
            });
            done_at = Some(i);
        }
    }
}

/// Replaces the union of `spans`; where spans overlap, the earliest (then longest) mask wins.
fn apply(text: &str, mut spans: Vec<Span>) -> String {
    spans.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    let mut i = 0;
    while i < spans.len() {
        let start = spans[i].start;
        let mut end = spans[i].end;
        let mask = std::mem::take(&mut spans[i].mask);
        i += 1;
        while i < spans.len() && spans[i].start < end {
            end = end.max(spans[i].end);
            i += 1;
        }
        if start >= pos {
            out.push_str(&text[pos..start]);
            out.push_str(&mask);
            pos = end;
        } else if end > pos {
            pos = end;
        }
    }
    out.push_str(&text[pos..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No fragment of `key` of at least `len` characters survives in `out`.
    fn assert_no_fragment(out: &str, key: &str, len: usize) {
        for start in 0..=key.len() - len {
            let frag = &key[start..start + len];
            assert!(!out.contains(frag), "fragment {frag:?} survived in {out:?}");
        }
    }

    #[test]
    fn gemini_403_full_key_echo() {
        let key = "AIzaSyTEST0000fakefakefake0000fakeXyZ9";
        let body = format!(
            r#"{{"error":{{"code":403,"message":"Permission denied: Consumer 'api_key:{key}' has been suspended.","status":"PERMISSION_DENIED"}}}}"#
        );
        let out = redact(&body, Some(key));
        assert_no_fragment(&out, key, 6);
        assert!(out.contains("Consumer '"), "{out}");
        assert!(out.contains("has been suspended"));
        // Without knowing the key, the pattern still catches it.
        let out = redact(&body, None);
        assert_no_fragment(&out, key, 8);
        assert!(out.contains("api_key:***"), "{out}");
    }

    #[test]
    fn openai_prefix_and_last_four() {
        let key = "sk-proj-test0000fakefake0000T3BlbkFJfake0000sQoA";
        let msg = "Incorrect API key provided: sk-proj-...sQoA. You can find your API key at https://platform.openai.com/account/api-keys.";
        let out = redact(msg, Some(key));
        assert!(!out.contains("sQoA"), "{out}");
        assert!(!out.contains("sk-proj-"), "{out}");
        assert!(out.starts_with("Incorrect API key provided: "));
        assert!(out.contains("https://platform.openai.com/account/api-keys"));
        // The mask form OpenAI also uses.
        let msg2 = "Incorrect API key provided: sk-PMafP*****E873.";
        let out2 = redact(msg2, Some("sk-PMafPtest0000fakeE873"));
        assert!(!out2.contains("PMafP") && !out2.contains("E873"), "{out2}");
        // Pattern alone hides the visible prefix.
        assert!(!redact(msg2, None).contains("PMafP"));
    }

    #[test]
    fn deepseek_last_four() {
        let key = "sk-0123456789abcdeftest00000000fcc2";
        let msg = "Authentication Fails, Your api key: ****fcc2 is invalid";
        let out = redact(msg, Some(key));
        assert!(!out.contains("fcc2"), "{out}");
        assert!(out.starts_with("Authentication Fails, Your api key: "));
        assert!(out.ends_with(" is invalid"));
    }

    #[test]
    fn exact_key_anywhere_and_long_fragments() {
        let key = "test-key-ABCDEFGH12345678";
        let text = format!("got {key} then x{key}y and ...GH12345678 and test-key-ABC...");
        let out = redact(&text, Some(key));
        assert_no_fragment(&out, key, 10);
        assert!(!out.contains("test-key-ABC"), "{out}");
    }

    #[test]
    fn generic_patterns() {
        let cases = [
            ("Bearer sk-test-abc123 failed", "sk-test-abc123"),
            ("key sk-ant-api03-test0000AA bad", "api03-test0000AA"),
            ("id: sk-or-v1-0123abcd", "0123abcd"),
            (
                "url https://x.test/v1?key=AIzaTest00000000000&alt=json",
                "AIzaTest",
            ),
            ("got AQ.Ab8RN6test0000.fake-0000 here", "Ab8RN6test"),
            ("xai-test00000000000000 is wrong", "test00000000"),
            ("gsk_test0000000000000000", "test000000"),
            ("pplx-test000000000000000", "test000000"),
            ("tgp_v1_test0000", "test0000"),
            ("fw_test0000000000", "test000000"),
            ("novita sk_test00000000", "test00000000"),
            (
                "header Authorization: Bearer abcdefgh12345678",
                "abcdefgh12345678",
            ),
            ("?api_key=secretvalue1&x=1", "secretvalue1"),
        ];
        for (input, secret) in cases {
            let out = redact(input, None);
            assert!(!out.contains(secret), "{input:?} -> {out:?}");
            assert!(out.contains("***"), "{input:?} -> {out:?}");
        }
        assert_eq!(redact("key=abc&x=1", None), "key=***&x=1");
        assert_eq!(redact("token sk-test-abc123.", None), "token sk-***.");
        assert_eq!(redact("\"sk-ant-api03-x0000\"", None), "\"sk-ant-***\"");
    }

    #[test]
    fn ordinary_text_is_untouched() {
        let prose = [
            "risk-based pricing, task-sk-items and desk-top",
            "ask-me-anything; sk-1 is too short",
            "monkey=banana is not a key=",
            "the AIza word alone, AQ.short, fw_v1, xai-sdk",
            "Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM)",
            "Bearer token missing",
        ];
        for p in prose {
            assert_eq!(redact(p, None), p);
            assert_eq!(redact(p, Some("sk-test-unrelated-000000")), p);
        }
    }

    #[test]
    fn idempotent_and_unicode_safe() {
        let once = redact(
            "Incorrect API key provided: sk-test-abcdef. ✓ ünïcode",
            None,
        );
        assert_eq!(redact(&once, None), once);
        assert!(once.ends_with("✓ ünïcode"));
        let key = "ünïcode-key-0000";
        let out = redact("x ünïcode-key-0000 y ünïc", Some(key));
        assert!(!out.contains("key-0000"), "{out}");
    }

    #[test]
    fn short_or_missing_key_is_harmless() {
        assert_eq!(redact("ok fine", Some("ok")), "ok fine");
        assert_eq!(redact("ok fine", Some("")), "ok fine");
        assert_eq!(redact("use abcd here", Some("abcd")), "use *** here");
    }

    #[test]
    fn a_huge_message_is_cut_and_finishes_fast() {
        let key = "sk-test-huge-message-0000000000";
        // Worst cases of the old scanner: `key=` repeated, and key fragments everywhere.
        let huge = format!(
            "{}{}",
            "key=".repeat(128 * 1024),
            "sk-test-huge ".repeat(40_000)
        );
        assert!(huge.len() >= 1_000_000);
        let started = std::time::Instant::now();
        let out = redact(&huge, Some(key));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert!(out.ends_with('…'), "{}", &out[out.len() - 20..]);
        assert!(out.len() <= MAX_INPUT + '…'.len_utf8(), "{}", out.len());
        let cut = redact(&"é".repeat(1 << 20), None);
        assert!(cut.len() <= MAX_INPUT + 3 && cut.ends_with("é…"));
    }

    #[test]
    fn a_key_cut_by_the_limit_is_still_masked() {
        let key = "sk-test-cut-by-limit-00000000";
        let text = format!("{} {key}", "x".repeat(MAX_INPUT - 14));
        let out = redact(&text, Some(key));
        assert!(!out.contains("cut-by"), "{}", &out[out.len() - 30..]);
        assert!(out.ends_with("sk-***…"), "{}", &out[out.len() - 30..]);
    }

    #[test]
    fn control_characters_are_escaped() {
        let evil = "model\x1b[2J\x1b]0;pwned\x07\r\u{202e}txt\nnext\tcol";
        let out = redact(evil, None);
        assert!(
            !out.chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "{out:?}"
        );
        assert!(out.contains("\\u{1b}[2J") && out.contains("\\u{d}") && out.contains("\\u{202e}"));
        assert!(out.contains("\nnext\tcol"));
        let line = redact_line(evil, None);
        assert!(!line.chars().any(char::is_control), "{line:?}");
        assert!(line.contains("\\u{a}next\\u{9}col"), "{line}");
    }

    #[test]
    fn catalog_prefixes_are_all_patterns() {
        for spec in crate::provider::catalog::all() {
            for prefix in spec.key_prefixes {
                let text = format!("got {prefix}test0000000000000 here");
                assert_eq!(
                    redact(&text, None),
                    format!("got {prefix}*** here"),
                    "{}",
                    spec.id
                );
            }
        }
    }
}
