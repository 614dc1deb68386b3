//! Scrubbing key material out of provider messages before they are printed.
//!
//! Providers echo keys back: Gemini the whole key (`api_key:AIza…`), OpenAI a
//! prefix plus the last four (`sk-proj-...sQoA`), DeepSeek the last four
//! (`****fcc2`). [`redact`] removes the known key, its ≥4-character prefixes and
//! suffixes, and anything shaped like a provider key. Hand-written scanners keep
//! this free of a regex dependency.

/// Shortest key fragment treated as sensitive.
const MIN_FRAGMENT: usize = 4;
/// Below this length a "key" is not secret-grade and fragments would match noise.
const MIN_KEY_FOR_FRAGMENTS: usize = 8;

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

struct Pattern {
    prefix: &'static str,
    body: Body,
    /// Minimum body length for a match (guards against ordinary words).
    min: usize,
    /// Whether a `_` or `-` directly before the prefix still counts as a boundary
    /// (`api_key=…` should match `key=`).
    loose_boundary: bool,
}

/// Key-shaped patterns. Longer prefixes first so their nicer masks win.
const PATTERNS: &[Pattern] = &[
    pat("sk-ant-", Body::Word, 3),
    pat("sk-or-v1-", Body::Word, 3),
    pat("sk-", Body::Word, 3),
    pat("sk_", Body::Word, 8),
    pat("AIza", Body::Word, 10),
    pat("AQ.", Body::WordDot, 10),
    pat("xai-", Body::Word, 8),
    pat("gsk_", Body::Word, 8),
    pat("pplx-", Body::Word, 8),
    pat("tgp_v1_", Body::Word, 3),
    pat("fw_", Body::Word, 8),
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

const fn pat(prefix: &'static str, body: Body, min: usize) -> Pattern {
    Pattern {
        prefix,
        body,
        min,
        loose_boundary: false,
    }
}

/// Returns `text` with key material replaced by masks such as `sk-***` or `***`.
///
/// `key` is the key that was used, if known; its exact value and every prefix or
/// suffix of at least four characters are removed. Generic patterns require a
/// token boundary before the prefix (so `risk-based` stays intact) and at least
/// three key characters after it.
pub fn redact(text: &str, key: Option<&str>) -> String {
    let mut spans: Vec<Span> = Vec::new();
    if let Some(key) = key.map(str::trim).filter(|k| k.len() >= MIN_FRAGMENT) {
        key_spans(text, key, &mut spans);
    }
    pattern_spans(text, &mut spans);
    apply(text, spans)
}

/// A byte range of `text` to replace, with its mask.
struct Span {
    start: usize,
    end: usize,
    mask: String,
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// The visible part kept in a mask: a known public prefix, never key material.
fn mask_for(fragment: &str) -> String {
    PATTERNS
        .iter()
        .filter(|p| !matches!(p.body, Body::UntilDelimiter))
        .find(|p| fragment.starts_with(p.prefix) && fragment.len() > p.prefix.len())
        .map(|p| format!("{}***", p.prefix))
        .unwrap_or_else(|| "***".to_string())
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
    for (i, _) in text.char_indices() {
        // Prefix fragment starting at a token boundary.
        let prev_ok = text[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        if prev_ok {
            let n = t[i..].iter().zip(k).take_while(|(a, b)| a == b).count();
            let n = floor_boundary(text, i, n);
            if n >= MIN_FRAGMENT {
                spans.push(Span {
                    start: i,
                    end: i + n,
                    mask: mask_for(&text[i..i + n]),
                });
            }
        }
    }
    // Suffix fragments ending at a token boundary (or the end of the text).
    let mut ends: Vec<usize> = text
        .char_indices()
        .filter(|(_, c)| !c.is_ascii_alphanumeric())
        .map(|(i, _)| i)
        .collect();
    ends.push(text.len());
    for end in ends {
        let n = t[..end]
            .iter()
            .rev()
            .zip(k.iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
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

fn pattern_spans(text: &str, spans: &mut Vec<Span>) {
    for (i, _) in text.char_indices() {
        let prev = text[..i].chars().next_back();
        for p in PATTERNS {
            if !text[i..].starts_with(p.prefix) {
                continue;
            }
            let bounded = match prev {
                None => true,
                Some(c) if p.loose_boundary => !c.is_ascii_alphanumeric(),
                Some(c) => !is_word(c) && c != '.',
            };
            if !bounded {
                continue;
            }
            let body_start = i + p.prefix.len();
            let body_len: usize = text[body_start..]
                .chars()
                .take_while(|&c| match p.body {
                    Body::Word => is_word(c),
                    Body::WordDot => is_word(c) || c == '.',
                    Body::UntilDelimiter => {
                        !(c.is_whitespace() || matches!(c, '\'' | '"' | '&' | ',' | '`'))
                    }
                })
                .map(char::len_utf8)
                .sum();
            let chars = text[body_start..body_start + body_len].chars().count();
            // Already-masked text (`sk-***`) has no body and is left alone.
            if chars >= p.min && !text[body_start..body_start + body_len].starts_with("***") {
                spans.push(Span {
                    start: i,
                    end: body_start + body_len,
                    mask: format!("{}***", p.prefix),
                });
                break;
            }
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
}
