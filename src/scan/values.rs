//! Finding stored values — whole, or any fragment of at least [`FRAGMENT`] bytes of the part
//! after the key's fixed provider prefix — in a byte buffer, in memory only.
//!
//! Every [`WINDOW`]-byte window of every value's body is indexed: a keyed hash of its bytes sets
//! a bit in a bitmap that fits the L2 cache, and a sorted table maps the window to (value,
//! offset). A fragment of [`FRAGMENT`] bytes holds a whole window at `FRAGMENT - WINDOW + 1`
//! consecutive positions, so the scan only samples the text every [`STRIDE`] bytes: it reads
//! eight bytes, tests one bit, and only on a hit looks the window up, compares it and extends
//! the match both ways to the longest run that equals the value. So a shared prefix such as
//! `sk-ant-api03-` never matches on its own, while a key cut or wrapped anywhere in its body
//! does. Values whose body is shorter than a fragment are matched whole (with a smaller
//! stride when a value is too short for [`STRIDE`]).
//!
//! This is byok's own structure rather than an Aho-Corasick automaton on purpose: everything
//! derived from a value — the window table, the bitmap, the value copies — lives in zeroizing
//! buffers and is wiped when the matcher is dropped, which a third-party automaton's internal
//! tables could not promise.

use zeroize::{Zeroize, Zeroizing};

use crate::provider::catalog;
use crate::secret::SecretValue;

/// Shortest fragment of a value's body (after its provider prefix) that counts as a leak.
pub const FRAGMENT: usize = 12;
/// Values shorter than this are not searched for: they would match ordinary text.
pub const MIN_VALUE: usize = 8;
/// Bytes of a value read at each sampled position of the text.
pub const WINDOW: usize = 8;
/// Distance between sampled positions: every fragment holds a whole window at one of them.
pub const STRIDE: usize = FRAGMENT - WINDOW + 1;
/// Offsets kept per (window, value).
const MAX_OFFSETS: usize = 4;
/// log2 of the bitmap's size in bits (2^23 bits = 1 MiB).
const FILTER_BITS: u32 = 23;

/// One value to look for.
pub struct Needle {
    /// What a finding names: the ref name.
    pub reference: String,
    /// The field.
    pub field: String,
    /// Whether this is the field's previous value (kept for `rollback`).
    pub previous: bool,
    value: Zeroizing<Vec<u8>>,
    /// Where the body starts (the length of the longest catalog prefix the value has).
    body_start: usize,
}

impl Needle {
    pub fn new(reference: &str, field: &str, previous: bool, value: &SecretValue) -> Self {
        let text = value.expose();
        let body_start = catalog::all_key_prefixes()
            .iter()
            .find(|p| text.starts_with(**p))
            .map_or(0, |p| p.len());
        Needle {
            reference: reference.to_owned(),
            field: field.to_owned(),
            previous,
            value: Zeroizing::new(text.as_bytes().to_vec()),
            body_start,
        }
    }

    fn len(&self) -> usize {
        self.value.len()
    }

    /// Whether this is exactly `value`.
    pub fn holds(&self, value: &str) -> bool {
        self.value.as_slice() == value.as_bytes()
    }
}

impl std::fmt::Debug for Needle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Needle({}.{}, ***)", self.reference, self.field)
    }
}

/// A stored value found in a buffer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueHit {
    /// Byte offset of the match in the buffer.
    pub start: usize,
    /// Length of the match in bytes.
    pub len: usize,
    /// Index into [`ValueMatcher::needles`].
    pub needle: usize,
    /// Whether the whole value matched (else a fragment).
    pub whole: bool,
}

/// The automaton over every stored value.
pub struct ValueMatcher {
    needles: Vec<Needle>,
    /// Bitmap of keyed hashes of the windows.
    filter: Zeroizing<Vec<u64>>,
    /// The windows (little-endian), sorted; parallel to `entries`.
    keys: Zeroizing<Vec<u64>>,
    /// (needle, offset of the window in the value).
    entries: Vec<Entry>,
    seed: u64,
    /// Distance between sampled positions of the text.
    stride: usize,
    /// Values skipped because they are shorter than [`MIN_VALUE`].
    pub skipped_short: usize,
}

impl std::fmt::Debug for ValueMatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ValueMatcher({} values, ***)", self.needles.len())
    }
}

/// (needle, offset of the window in the value).
type Entry = (u32, u32);

const MIX: u64 = 0x9E37_79B9_7F4A_7C15;
const MIX2: u64 = 0xC2B2_AE3D_27D4_EB4F;
const FILTER_WORDS: usize = (1 << FILTER_BITS) / 64;

/// The window's first bit in the bitmap: the one every sampled position tests.
#[inline(always)]
fn bucket(key: u64, seed: u64) -> usize {
    ((key ^ seed).wrapping_mul(MIX) >> (64 - FILTER_BITS)) as usize
}

/// Its second, independent bit, tested only when the first is set: with 1,000 values
/// together they let about one text window in nine thousand through to the table lookup,
/// instead of one in two hundred with one bit per window.
#[inline(always)]
fn bucket2(key: u64, seed: u64) -> usize {
    ((key.rotate_left(29) ^ seed.rotate_left(32)).wrapping_mul(MIX2) >> (64 - FILTER_BITS)) as usize
}

#[inline(always)]
fn bit(filter: &[u64; FILTER_WORDS], b: usize) -> bool {
    filter[b / 64] & (1 << (b % 64)) != 0
}

#[inline(always)]
fn load8(text: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&text[at..at + 8]);
    u64::from_le_bytes(b)
}

impl ValueMatcher {
    /// Builds the matcher. Values shorter than [`MIN_VALUE`] are counted in `skipped_short`.
    pub fn new(needles: Vec<Needle>) -> Self {
        let mut seed_bytes = [0u8; 8];
        // A random key makes the bitmap useless to anyone who reads this process's memory
        // without the seed; a failing RNG only costs that property.
        let _ = getrandom::fill(&mut seed_bytes);
        let seed = u64::from_le_bytes(seed_bytes);
        let mut skipped_short = 0;
        let mut stride = STRIDE;
        let mut pairs: Zeroizing<Vec<(u64, Entry)>> = Zeroizing::new(Vec::new());
        let mut kept = Vec::with_capacity(needles.len());
        for needle in needles {
            if needle.len() < MIN_VALUE {
                skipped_short += 1;
                continue;
            }
            let index = kept.len() as u32;
            let value = &needle.value;
            let body = needle.len() - needle.body_start;
            // Windows of the body, or of the whole value when only a whole match counts.
            let from = if body >= FRAGMENT {
                needle.body_start
            } else {
                stride = stride.min(needle.len() - WINDOW + 1);
                0
            };
            for offset in from..=needle.len() - WINDOW {
                pairs.push((load8(value, offset), (index, offset as u32)));
            }
            kept.push(needle);
        }
        pairs.sort_unstable_by_key(|(key, entry)| (*key, *entry));
        pairs.dedup();
        // A repetitive value (`aaaa…`) would index the same window at every offset and make
        // each hit cost its length squared; a few offsets per window and value are enough,
        // since a hit is extended both ways anyway.
        let mut run = 0;
        let mut previous: Option<(u64, u32)> = None;
        pairs.retain(|(key, (needle, _))| {
            let same = previous == Some((*key, *needle));
            previous = Some((*key, *needle));
            run = if same { run + 1 } else { 0 };
            run < MAX_OFFSETS
        });
        let mut filter = Zeroizing::new(vec![0u64; FILTER_WORDS]);
        let mut keys = Zeroizing::new(Vec::with_capacity(pairs.len()));
        let mut entries = Vec::with_capacity(pairs.len());
        for (key, entry) in pairs.iter() {
            for b in [bucket(*key, seed), bucket2(*key, seed)] {
                filter[b / 64] |= 1 << (b % 64);
            }
            keys.push(*key);
            entries.push(*entry);
        }
        ValueMatcher {
            needles: kept,
            filter,
            keys,
            entries,
            seed,
            stride,
            skipped_short,
        }
    }

    /// The values searched for.
    pub fn needles(&self) -> &[Needle] {
        &self.needles
    }

    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    /// Every stored value (or fragment) in `text`, in order and not overlapping; a place
    /// matching several values is reported once, by the longest match.
    pub fn find_all(&self, text: &[u8]) -> Vec<ValueHit> {
        let mut hits = Vec::new();
        if self.needles.is_empty() || text.len() < WINDOW {
            return hits;
        }
        let last = text.len() - WINDOW;
        let Ok(filter) = <&[u64; FILTER_WORDS]>::try_from(&self.filter[..]) else {
            return hits; // unreachable: `new` sizes the bitmap
        };
        let seed = self.seed;
        let stride = self.stride;
        let probe = |at: usize| bit(filter, bucket(load8(text, at), seed));
        // Where the previous hit ended: a match is never extended back over it.
        let mut floor = 0;
        let mut i = 0;
        while i <= last {
            // Four samples a round: their bitmap reads overlap, and one branch covers them.
            if i + 3 * stride <= last
                && !(probe(i) | probe(i + stride) | probe(i + 2 * stride) | probe(i + 3 * stride))
            {
                i += 4 * stride;
                continue;
            }
            let key = load8(text, i);
            if bit(filter, bucket(key, seed))
                && bit(filter, bucket2(key, seed))
                && let Some(hit) = self.confirm(text, i, key, floor)
            {
                floor = hit.start + hit.len;
                // The next sampled position at or after the hit's end.
                i = floor.div_ceil(stride) * stride;
                hits.push(hit);
                continue;
            }
            i += stride;
        }
        hits
    }

    /// Checks the entries whose window is `key` against the text at `at`, extends each match
    /// both ways (not before `floor`), and returns the longest that counts: the whole value, or
    /// at least [`FRAGMENT`] bytes of its body.
    fn confirm(&self, text: &[u8], at: usize, key: u64, floor: usize) -> Option<ValueHit> {
        let from = self.keys.partition_point(|k| *k < key);
        let mut best: Option<ValueHit> = None;
        for (k, &(needle, offset)) in self.keys[from..].iter().zip(&self.entries[from..]) {
            if *k != key {
                break;
            }
            let found = &self.needles[needle as usize];
            let value = &found.value[..];
            let offset = offset as usize;
            // Extend left and right while text and value agree (the window itself is equal:
            // the key is its eight bytes).
            let mut left = 0;
            while left < offset
                && at - left > floor
                && text[at - left - 1] == value[offset - left - 1]
            {
                left += 1;
            }
            let mut right = WINDOW;
            while offset + right < value.len()
                && at + right < text.len()
                && text[at + right] == value[offset + right]
            {
                right += 1;
            }
            let (v_start, v_end) = (offset - left, offset + right);
            let whole = v_start == 0 && v_end == value.len();
            let body = value.len() - found.body_start;
            let counts =
                whole || (body >= FRAGMENT && v_end - v_start.max(found.body_start) >= FRAGMENT);
            if !counts {
                continue;
            }
            let hit = ValueHit {
                start: at - left,
                len: left + right,
                needle: needle as usize,
                whole,
            };
            if best.as_ref().is_none_or(|b| hit.len > b.len) {
                best = Some(hit);
            }
        }
        best
    }
}

impl Drop for ValueMatcher {
    fn drop(&mut self) {
        self.seed.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(values: &[(&str, &str)]) -> ValueMatcher {
        ValueMatcher::new(
            values
                .iter()
                .map(|(r, v)| Needle::new(r, "api_key", false, &SecretValue::new((*v).into())))
                .collect(),
        )
    }

    const ANT: &str = "sk-ant-api03-test-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";

    #[test]
    fn whole_values_and_fragments_are_found() {
        let m = matcher(&[("claude", ANT), ("openai", "sk-test-0123456789abcdefghij")]);
        let text = format!("a = \"{ANT}\"\nb = sk-test-0123456789abcdefghij\n");
        let hits = m.find_all(text.as_bytes());
        assert_eq!(hits.len(), 2);
        assert!(hits[0].whole && hits[1].whole);
        assert_eq!(hits[0].start, 5);
        assert_eq!(m.needles()[hits[1].needle].reference, "openai");

        // A 12-byte piece from the middle of the body.
        let piece = &ANT[20..32];
        let hits = m.find_all(format!("log: …{piece}… end").as_bytes());
        assert_eq!(hits.len(), 1);
        assert!(!hits[0].whole);
        assert_eq!(hits[0].len, 12);
    }

    #[test]
    fn a_bare_prefix_or_a_short_piece_is_not_a_finding() {
        let m = matcher(&[("claude", ANT)]);
        let text = "sk-ant-api03-test-AbCdEfGhIj sk-ant-api03- zzzz";
        // `test-AbCdEfGhIj` after the prefix: 15 bytes, matches. Cut to 11 and it must not.
        assert_eq!(m.find_all(text.as_bytes()).len(), 1);
        assert!(m.find_all(b"sk-ant-api03-test-AbCdE nothing").is_empty());
        assert!(
            m.find_all(b"sk-ant-api03-sk-ant-api03-sk-ant-api03-")
                .is_empty()
        );
    }

    #[test]
    fn short_values_match_whole_only() {
        let m = matcher(&[("tiny", "xai-shortkey9"), ("mini", "abc")]);
        assert_eq!(m.skipped_short, 1);
        assert_eq!(m.find_all(b"k=xai-shortkey9;").len(), 1);
        assert!(m.find_all(b"k=xai-shortkey").is_empty());
    }

    #[test]
    fn matches_at_both_ends_of_the_buffer() {
        let m = matcher(&[("k", "sk-test-0123456789abcdefghij")]);
        assert_eq!(m.find_all(b"sk-test-0123456789abcdefghij").len(), 1);
        assert_eq!(m.find_all(b"0123456789ab").len(), 1);
        assert!(m.find_all(b"").is_empty());
        assert!(m.find_all(b"0123456").is_empty());
    }

    #[test]
    fn repetitive_values_still_match_whole() {
        let value = format!("sk-{}", "a".repeat(200));
        let m = matcher(&[("rep", &value)]);
        let hits = m.find_all(format!("x {value} y").as_bytes());
        assert_eq!(hits.len(), 1);
        assert!(hits[0].whole);
    }

    #[test]
    fn every_fragment_is_found_at_every_alignment_to_the_stride() {
        let m = matcher(&[("claude", ANT)]);
        let body = &ANT[13..];
        // Pads and tails long enough for the four-sample rounds, and the single samples
        // around them, to meet the fragment at every alignment.
        for pad in 0..=4 * STRIDE + 1 {
            for tail in [1, 3 * STRIDE + 2, 8 * STRIDE] {
                for from in 0..=body.len() - FRAGMENT {
                    let piece = &body[from..from + FRAGMENT];
                    let text = format!("{}{piece}{}", "~".repeat(pad), ".".repeat(tail));
                    let hits = m.find_all(text.as_bytes());
                    assert_eq!(hits.len(), 1, "pad {pad}, tail {tail}, from {from}");
                    assert_eq!((hits[0].start, hits[0].len), (pad, FRAGMENT));
                    // One byte shorter is not a finding.
                    let text = format!("{}{}{}", "~".repeat(pad), &piece[1..], ".".repeat(tail));
                    assert!(
                        m.find_all(text.as_bytes()).is_empty(),
                        "pad {pad}, tail {tail}, from {from}"
                    );
                }
            }
        }
        // Two values back to back are two findings.
        let text = format!("{ANT}{ANT}");
        let hits = m.find_all(text.as_bytes());
        assert_eq!(hits.len(), 2);
        assert!(hits.iter().all(|h| h.whole));
        assert_eq!(hits[1].start, ANT.len());
    }

    #[test]
    fn a_value_too_short_for_the_stride_is_still_found() {
        let m = matcher(&[("eight", "q7Zp2Xk9"), ("claude", ANT)]);
        for pad in 0..8 {
            let text = format!("{}q7Zp2Xk9 and {ANT}", "-".repeat(pad));
            assert_eq!(m.find_all(text.as_bytes()).len(), 2, "pad {pad}");
        }
    }

    #[test]
    fn debug_hides_values() {
        let m = matcher(&[("k", "sk-test-0123456789abcdefghij")]);
        let shown = format!("{m:?} {:?}", m.needles());
        assert!(!shown.contains("0123456789"), "{shown}");
    }
}
