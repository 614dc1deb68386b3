//! Masking secret values in a byte stream (`byok exec --redact`), for tools whose logs echo
//! the keys they were given.
//!
//! The stream arrives in arbitrary chunks, so a value can be split across two reads. The
//! [`Redactor`] holds back only the bytes that could still be the start of a value and
//! passes everything else through at once, so interactive output is not delayed.

use zeroize::Zeroizing;

/// What a masked value is replaced with.
pub const MASK: &[u8] = b"<concealed by byok>";

/// A streaming masker for a set of values.
pub struct Redactor {
    /// Values to mask, longest first so a value that contains another is masked whole.
    needles: Vec<Zeroizing<Vec<u8>>>,
    /// Bytes held back because they may begin a value.
    pending: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Redactor({} values)", self.needles.len())
    }
}

impl Redactor {
    /// A redactor for these values; empty values are ignored.
    pub fn new<'a>(values: impl IntoIterator<Item = &'a str>) -> Self {
        let mut needles: Vec<Zeroizing<Vec<u8>>> = values
            .into_iter()
            .filter(|v| !v.is_empty())
            .map(|v| Zeroizing::new(v.as_bytes().to_vec()))
            .collect();
        needles.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        needles.dedup();
        Self {
            needles,
            pending: Zeroizing::new(Vec::new()),
        }
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

    /// Copies `pending` to `out` with values masked; returns how many bytes were consumed.
    /// Unless `at_end`, stops at the first position where a value may be starting.
    fn scan(&self, out: &mut Vec<u8>, at_end: bool) -> usize {
        let data = &self.pending[..];
        let (mut i, mut copied) = (0, 0);
        'outer: while i < data.len() {
            let rest = &data[i..];
            if !at_end
                && self
                    .needles
                    .iter()
                    .any(|n| n.len() > rest.len() && n.starts_with(rest))
            {
                break;
            }
            for needle in &self.needles {
                if rest.starts_with(needle) {
                    out.extend_from_slice(&data[copied..i]);
                    out.extend_from_slice(MASK);
                    i += needle.len();
                    copied = i;
                    continue 'outer;
                }
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

    #[test]
    fn a_partial_value_at_the_end_is_released() {
        assert_eq!(run(&["sk-test-abc"], &[b"tail sk-te"]), "tail sk-te");
    }
}
