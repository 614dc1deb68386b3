//! Masking secret values in a byte stream (`byok exec --redact`), for tools whose logs echo
//! the keys they were given.
//!
//! The stream arrives in arbitrary chunks, so a value can be split across two reads. The
//! [`Redactor`] holds back only the bytes that could still be the start of a value and
//! passes everything else through at once, so interactive output is not delayed.

use zeroize::Zeroizing;

/// What a masked value is replaced with.
pub const MASK: &[u8] = b"<concealed by byok>";

/// The shortest fragment of a value that is masked on its own: a run of at least this many
/// bytes of the value, counted after its fixed provider prefix (`sk-ant-api03-` alone, or
/// any prefix plus 11 characters, never matches).
pub const MIN_FRAGMENT: usize = 12;

/// How many matching bytes make [`Redactor::streaming`] hold a tail back.
pub const STREAM_HOLD: usize = 4;

/// One value to mask.
struct Needle {
    value: Zeroizing<Vec<u8>>,
    /// Where the secret part starts: after the longest catalog key prefix it begins with.
    body: usize,
}

impl Needle {
    fn body(&self) -> &[u8] {
        &self.value[self.body..]
    }
}

/// A streaming masker for a set of values: whole values, and fragments of at least
/// [`MIN_FRAGMENT`] bytes of their secret part (a value split between stdout and stderr, or
/// printed minus a character, is still masked).
pub struct Redactor {
    /// Values to mask, longest first so a value that contains another is masked whole.
    needles: Vec<Needle>,
    /// For each byte, where a fragment may start with it: (needle, offset in its body).
    /// Offsets only, so no extra copy of any value exists.
    starts: Vec<Vec<(u32, u32)>>,
    /// Bytes held back because they may begin a value.
    pending: Zeroizing<Vec<u8>>,
    /// A tail that may begin a fragment is held back once it is this long (1: always).
    hold_from: usize,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Redactor({} values)", self.needles.len())
    }
}

/// The length of the longest catalog key prefix `value` starts with (0 if none).
fn prefix_len(value: &[u8]) -> usize {
    crate::provider::catalog::all_key_prefixes()
        .iter()
        .filter(|p| value.starts_with(p.as_bytes()))
        .map(|p| p.len())
        .max()
        .unwrap_or(0)
}

/// The secret part of a value: what follows its catalog key prefix. Its runs of
/// [`MIN_FRAGMENT`] bytes are the fragments a fragment-aware [`Redactor`] masks.
pub fn secret_part(value: &[u8]) -> &[u8] {
    &value[prefix_len(value)..]
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

impl Redactor {
    /// A redactor for these values; empty values are ignored.
    pub fn new<'a>(values: impl IntoIterator<Item = &'a str>) -> Self {
        let mut values: Vec<Zeroizing<Vec<u8>>> = values
            .into_iter()
            .filter(|v| !v.is_empty())
            .map(|v| Zeroizing::new(v.as_bytes().to_vec()))
            .collect();
        values.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        values.dedup();
        let needles: Vec<Needle> = values
            .into_iter()
            .map(|value| Needle {
                body: prefix_len(&value),
                value,
            })
            .collect();
        let mut starts = vec![Vec::new(); 256];
        for (k, needle) in needles.iter().enumerate() {
            let body = needle.body();
            if body.len() < MIN_FRAGMENT {
                continue;
            }
            for j in 0..=body.len() - MIN_FRAGMENT {
                starts[usize::from(body[j])].push((k as u32, j as u32));
            }
        }
        Self {
            needles,
            starts,
            pending: Zeroizing::new(Vec::new()),
            hold_from: 1,
        }
    }

    /// A redactor for a stream of small pieces (the proxy's SSE text deltas): whole values
    /// and fragments are masked as by [`Redactor::new`], but a tail is held back for a
    /// possible fragment only once [`STREAM_HOLD`] of its bytes match one, so ordinary text
    /// passes at once and unchanged. The price, stated in SECURITY.md: a fragment split
    /// across pieces with fewer than [`STREAM_HOLD`] bytes before the split is masked from
    /// the split on, so a run of `MIN_FRAGMENT + STREAM_HOLD - 1` bytes is always masked.
    pub fn streaming<'a>(values: impl IntoIterator<Item = &'a str>) -> Self {
        let mut redactor = Self::new(values);
        redactor.hold_from = STREAM_HOLD;
        redactor
    }

    /// A redactor that masks whole values only, holding back nothing but a tail that could
    /// begin one: for streams where holding back every possible fragment start would delay
    /// ordinary text (the proxy's SSE deltas; whole bodies there still mask fragments).
    pub fn exact<'a>(values: impl IntoIterator<Item = &'a str>) -> Self {
        let mut redactor = Self::new(values);
        redactor.starts.iter_mut().for_each(Vec::clear);
        redactor
    }

    /// Feeds a chunk; appends to `out` everything that can be released now.
    pub fn push(&mut self, input: &[u8], out: &mut Vec<u8>) {
        self.pending.extend_from_slice(input);
        let released = self.scan(out, false);
        self.pending.drain(..released);
    }

    /// Ends the stream: releases what was held back.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        let released = self.scan(out, true);
        debug_assert_eq!(released, self.pending.len());
        self.pending.clear();
    }

    /// Masks everything in one piece of text (not a stream).
    pub fn redact_all(values: &[&str], text: &[u8]) -> Vec<u8> {
        let mut redactor = Redactor::new(values.iter().copied());
        let mut out = Vec::with_capacity(text.len());
        redactor.push(text, &mut out);
        redactor.finish(&mut out);
        out
    }

    /// The longest fragment starting at `rest[0]`: (its length, whether more input could
    /// make it longer or make a too-short one long enough).
    fn fragment_at(&self, rest: &[u8]) -> (usize, bool) {
        let (mut best, mut open) = (0, false);
        for &(k, j) in &self.starts[usize::from(rest[0])] {
            let body = &self.needles[k as usize].body()[j as usize..];
            let m = common_prefix(rest, body);
            if m == rest.len() && m < body.len() {
                open = true;
            }
            best = best.max(m);
        }
        (if best >= MIN_FRAGMENT { best } else { 0 }, open)
    }

    /// Copies `pending` to `out` with values masked; returns how many bytes were consumed.
    /// Unless `at_end`, stops at the first position where a value may be starting.
    fn scan(&self, out: &mut Vec<u8>, at_end: bool) -> usize {
        let data = &self.pending[..];
        let (mut i, mut copied) = (0, 0);
        while i < data.len() {
            let rest = &data[i..];
            let (fragment, open) = self.fragment_at(rest);
            if !at_end
                && ((open && rest.len() >= self.hold_from)
                    || self
                        .needles
                        .iter()
                        .any(|n| n.value.len() > rest.len() && n.value.starts_with(rest)))
            {
                break;
            }
            let whole = self
                .needles
                .iter()
                .find(|n| rest.starts_with(&n.value))
                .map(|n| n.value.len())
                .unwrap_or(0);
            let masked = whole.max(fragment);
            if masked > 0 {
                out.extend_from_slice(&data[copied..i]);
                out.extend_from_slice(MASK);
                i += masked;
                copied = i;
                continue;
            }
            i += 1;
        }
        out.extend_from_slice(&data[copied..i]);
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn run(values: &[&str], chunks: &[&[u8]]) -> String {
        let mut r = Redactor::new(values.iter().copied());
        let mut out = Vec::new();
        for chunk in chunks {
            r.push(chunk, &mut out);
        }
        r.finish(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn exact_masks_whole_values_but_not_fragments_and_holds_back_only_a_value_start() {
        let key = "sk-ant-api03-Zx9aQ2bR7cT4dU1eV8fW3gX6hY5i";
        let fragment = &key[13..30];
        let text = format!("a {key} b {fragment} c");
        let mut exact = Redactor::exact([key]);
        let mut out = Vec::new();
        exact.push(text.as_bytes(), &mut out);
        exact.finish(&mut out);
        let out = String::from_utf8(out).unwrap();
        assert!(!out.contains(key) && out.contains(fragment), "{out}");
        // Text that cannot begin the value goes out at once.
        let mut exact = Redactor::exact([key]);
        let mut out = Vec::new();
        exact.push(b"hello", &mut out);
        assert_eq!(out, b"hello");
        // The fragment-aware one masks the fragment too.
        assert!(!run(&[key], &[text.as_bytes()]).contains(fragment));
    }

    #[test]
    fn masks_whole_values() {
        assert_eq!(
            run(&["sk-test-abc"], &[b"key=sk-test-abc ok\n"]),
            "key=<concealed by byok> ok\n"
        );
    }

    #[test]
    fn masks_values_split_across_chunks() {
        let s = "x sk-test-abc y sk-test-abc";
        let bytes = s.as_bytes();
        for split in 0..bytes.len() {
            let (a, b) = bytes.split_at(split);
            assert_eq!(
                run(&["sk-test-abc"], &[a, b]),
                "x <concealed by byok> y <concealed by byok>",
                "split at {split}"
            );
        }
    }

    #[test]
    fn releases_non_matching_text_at_once() {
        let mut r = Redactor::new(["sk-test-abc"]);
        let mut out = Vec::new();
        r.push(b"hello sk-te", &mut out);
        assert_eq!(out, b"hello ");
        r.push(b"xt", &mut out);
        assert_eq!(out, b"hello sk-text");
    }

    #[test]
    fn longer_values_win_and_empty_values_are_ignored() {
        assert_eq!(
            run(&["abc", "abcdef", ""], &[b"abcdef abc", b"de"]),
            "<concealed by byok> <concealed by byok>de"
        );
    }

    const KEY: &str = "sk-ant-api03-Zx9aQ2bR7cT4dU1eV8fW3gX6hY5i";

    #[test]
    fn fragments_of_twelve_or_more_after_the_prefix_are_masked() {
        let body = &KEY["sk-ant-api03-".len()..];
        // Printed minus its last character.
        assert_eq!(
            run(
                &[KEY],
                &[format!("k={}.", &KEY[..KEY.len() - 1]).as_bytes()]
            ),
            "k=sk-ant-api03-<concealed by byok>."
        );
        // Split in two halves (as between stdout and stderr): each half alone.
        let (a, b) = body.split_at(body.len() / 2);
        assert_eq!(run(&[KEY], &[a.as_bytes()]), "<concealed by byok>");
        assert_eq!(run(&[KEY], &[b.as_bytes()]), "<concealed by byok>");
        // 12 characters are masked, 11 are not; the prefix alone never is.
        assert_eq!(
            run(&[KEY], &[&body.as_bytes()[3..15]]),
            "<concealed by byok>"
        );
        assert_eq!(run(&[KEY], &[&body.as_bytes()[3..14]]), &body[3..14]);
        assert_eq!(run(&[KEY], &[b"sk-ant-api03-"]), "sk-ant-api03-");
        assert_eq!(
            run(
                &[KEY],
                &[format!("sk-ant-api03-{}", &body[..11]).as_bytes()]
            ),
            format!("sk-ant-api03-{}", &body[..11])
        );
    }

    #[test]
    fn fragments_split_across_chunks_are_masked() {
        let body = &KEY["sk-ant-api03-".len()..];
        let text = format!("a {} b {}", &body[2..20], &body[5..]);
        let whole = run(&[KEY], &[text.as_bytes()]);
        assert_eq!(whole, "a <concealed by byok> b <concealed by byok>");
        for split in 0..text.len() {
            let (x, y) = text.as_bytes().split_at(split);
            assert_eq!(run(&[KEY], &[x, y]), whole, "split at {split}");
        }
    }

    proptest! {
        #[test]
        fn redaction_removes_every_occurrence_and_fragment(
            body in "[A-Za-z0-9_]{12,60}",
            noise in proptest::collection::vec("[ -~]{0,20}", 1..6),
            cut in 0usize..48,
            len in 12usize..60,
            splits in proptest::collection::vec(0usize..400, 0..4),
        ) {
            let key = format!("sk-proj-{body}");
            let start = cut.min(body.len() - 12);
            let end = (start + len).min(body.len());
            let fragment = &body[start..end];
            let mut text = String::new();
            for (i, n) in noise.iter().enumerate() {
                text.push_str(n);
                text.push_str(if i % 2 == 0 { &key } else { fragment });
            }
            let bytes = text.as_bytes();
            let mut cuts: Vec<usize> = splits.iter().map(|s| s % (bytes.len() + 1)).collect();
            cuts.sort();
            let mut chunks = Vec::new();
            let mut last = 0;
            for c in cuts {
                chunks.push(&bytes[last..c]);
                last = c;
            }
            chunks.push(&bytes[last..]);
            let out = run(&[key.as_str()], &chunks);
            prop_assert_eq!(&out, &run(&[key.as_str()], &[bytes]));
            // No run of 12 bytes of the secret part survives, anywhere.
            for w in body.as_bytes().windows(MIN_FRAGMENT) {
                prop_assert!(!out.as_bytes().windows(MIN_FRAGMENT).any(|o| o == w));
            }
        }
    }

    #[test]
    fn a_partial_value_at_the_end_is_released() {
        assert_eq!(run(&["sk-test-abc"], &[b"tail sk-te"]), "tail sk-te");
    }
}
