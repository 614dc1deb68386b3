//! The windowed read of a large vault: `secret get` of one record decrypts a few 64 KiB
//! chunks of the file instead of all of them.
//!
//! age encrypts the plaintext in 64 KiB chunks (STREAM), each authenticated with its
//! position, so any chunk can be decrypted alone; the last one is authenticated as the last
//! on opening, so a truncated file is still refused. byok writes its document pretty
//! (two-space indent) with the records of `secrets` sorted by name. A JSON string cannot
//! hold a raw line break, so every line break is structure, and in that layout a line of
//! four spaces and a quote inside `secrets` is a record's name. The record of a name is
//! then found by bisecting the chunks on the first record name that starts in each, and
//! scanning the records from there.
//!
//! The window is used only where the document proves that layout: its first chunk shows
//! byok's member order up to `secrets` ([`lookup::head`]: the version, then at most
//! `policy` and `index`), its last bytes show that nothing but an `audit` head follows
//! `secrets` ([`tail`]). A record found is parsed whole by serde, so a wrong cut cannot
//! produce a record; every other doubt — a line not in the layout, an escaped name, a
//! record larger than a chunk, and a name not found in `secrets` — is left to the
//! whole-file read, which decides exactly.

use std::collections::BTreeMap;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::{Arc, Mutex};

use zeroize::Zeroizing;

use super::file::{At, CHUNK, HEADER_BUFFER, open_stream};
use super::lookup;
use crate::error::Result;
use crate::unlock::Unlocked;

/// Files (ciphertext bytes) from this size on are read by window: below it, decrypting
/// the whole file costs no more than the chunks a lookup needs (the head, the last chunk
/// twice — once to authenticate the length — a bisection and the record's).
pub const FROM: u64 = 512 * 1024;

/// The last bytes checked by [`tail`]: enough for the `audit` head and the last record.
const TAIL: u64 = 16 * 1024;

/// How a record's name line starts (after the line break), and how one closes.
const RECORD_LINE: &[u8] = b"\n    \"";
const RECORD_CLOSE: &[u8] = b"\n    }";

type Reader = age::stream::StreamReader<BufReader<At<std::fs::File>>>;

/// A large vault file opened for windowed reads.
pub struct Window {
    reader: Mutex<Reader>,
    len: u64,
    layout: lookup::Head,
    /// The line break before the line that closes `secrets`.
    secrets_end: u64,
    /// Decrypted chunks by index, wiped on drop.
    chunks: Mutex<BTreeMap<u64, Arc<Zeroizing<Vec<u8>>>>>,
}

/// What the window found for a name.
pub enum Found {
    /// The record's JSON object.
    Record(Zeroizing<Vec<u8>>),
    /// No such record in this part of the document.
    Missing,
}

impl Window {
    /// Opens `file` (the vault, already checked) and checks its layout; `None` when the
    /// file is small or its document is not in the layout the window reads.
    pub fn open(file: std::fs::File, path: &Path, unlocked: &Unlocked) -> Result<Option<Window>> {
        let at = At { file, pos: 0 };
        let mut reader = open_stream(BufReader::with_capacity(HEADER_BUFFER, at), path, unlocked)?;
        // Authenticates the last chunk as the last: the length is the true one.
        let Ok(len) = reader.seek(SeekFrom::End(0)) else {
            return Ok(None);
        };
        if len < 3 * CHUNK as u64 {
            return Ok(None);
        }
        let mut window = Window {
            reader: Mutex::new(reader),
            len,
            layout: lookup::Head {
                policy: false,
                index: false,
                secrets: 0,
            },
            secrets_end: 0,
            chunks: Mutex::new(BTreeMap::new()),
        };
        let Some(first) = window.chunk(0) else {
            return Ok(None);
        };
        let Some(layout) = lookup::head(&first) else {
            return Ok(None);
        };
        let tail_from = len.saturating_sub(TAIL);
        let Some(tail_bytes) = window.bytes(tail_from, len) else {
            return Ok(None);
        };
        let Some(end) = tail(&tail_bytes) else {
            return Ok(None);
        };
        window.layout = layout;
        window.secrets_end = tail_from + end as u64;
        Ok(Some(window))
    }

    /// The first chunk: it holds `policy` and `index` whole when the document has them.
    pub fn head(&self) -> Option<Arc<Zeroizing<Vec<u8>>>> {
        self.chunk(0)
    }

    /// The members before `secrets`.
    pub fn layout(&self) -> lookup::Head {
        self.layout
    }

    /// The record `name` of `secrets`; `None` when the window cannot decide.
    pub fn find_secret(&self, name: &str) -> Option<Found> {
        let name = name.as_bytes();
        let lo = self.layout.secrets as u64 / CHUNK as u64;
        let hi = self.secrets_end / CHUNK as u64;
        let (mut start, first) = self.first_record(lo)?;
        if name < first.as_slice() {
            return Some(Found::Missing);
        }
        // The last chunk whose first record name is at most `name`: the record, if any,
        // starts there, at or after that name.
        let (mut a, mut b) = (lo, hi);
        while a < b {
            let mid = a + (b - a).div_ceil(2);
            let (at, first) = self.first_record(mid)?;
            if first.as_slice() <= name {
                a = mid;
                start = at;
            } else {
                b = mid - 1;
            }
        }
        // Records from `start` to the first one past `name`: within this chunk and the next.
        let until = ((a + 2) * CHUNK as u64).min(self.secrets_end);
        let region = self.bytes(start, until)?;
        Some(
            match scan_records(&region, name, |end| start + end as u64 == self.secrets_end)? {
                Some((brace, end)) => Found::Record(Zeroizing::new(region[brace..end].to_vec())),
                None => Found::Missing,
            },
        )
    }

    /// The position and name of the first record line that starts in chunk `k` (inside
    /// `secrets`); `None` when there is none or it is not in the layout.
    fn first_record(&self, k: u64) -> Option<(u64, Vec<u8>)> {
        let base = k * CHUNK as u64;
        let chunk = self.chunk(k)?;
        let from = (self.layout.secrets as u64 + 1).saturating_sub(base) as usize;
        let at = base + (from + memchr::memmem::find(chunk.get(from..)?, RECORD_LINE)?) as u64;
        if at >= self.secrets_end {
            return None;
        }
        // The line may run into the next chunk: a name is short.
        let line = self.bytes(at, (at + 4096).min(self.len))?;
        let (name, _) = record_line(&line)?;
        Some((at, name.to_vec()))
    }

    /// Chunk `k`, decrypted (once).
    fn chunk(&self, k: u64) -> Option<Arc<Zeroizing<Vec<u8>>>> {
        if let Some(chunk) = lock(&self.chunks).get(&k) {
            return Some(Arc::clone(chunk));
        }
        let start = k.checked_mul(CHUNK as u64)?;
        if start >= self.len {
            return None;
        }
        let mut bytes = Zeroizing::new(vec![0u8; (self.len - start).min(CHUNK as u64) as usize]);
        {
            let mut reader = lock(&self.reader);
            reader.seek(SeekFrom::Start(start)).ok()?;
            reader.read_exact(&mut bytes).ok()?;
        }
        let chunk = Arc::new(bytes);
        lock(&self.chunks).insert(k, Arc::clone(&chunk));
        Some(chunk)
    }

    /// The plaintext bytes `from..to`.
    fn bytes(&self, from: u64, to: u64) -> Option<Zeroizing<Vec<u8>>> {
        let to = to.min(self.len);
        let mut out = Zeroizing::new(Vec::with_capacity(to.saturating_sub(from) as usize));
        let mut at = from;
        while at < to {
            let k = at / CHUNK as u64;
            let chunk = self.chunk(k)?;
            let offset = (at - k * CHUNK as u64) as usize;
            let take = ((to - at) as usize).min(chunk.len() - offset);
            out.extend_from_slice(&chunk[offset..offset + take]);
            at += take as u64;
        }
        Some(out)
    }
}

/// Where a whole plaintext (a vault below [`FROM`], decrypted) is in the window's layout:
/// the head [`lookup::head`] accepts, and the line break before the line that closes
/// `secrets` ([`tail`]). `None` for any other document.
pub fn sorted_layout(doc: &[u8]) -> Option<(lookup::Head, usize)> {
    let head = lookup::head(doc)?;
    let tail_from = doc.len().saturating_sub(TAIL as usize).max(head.secrets);
    let end = tail_from + tail(&doc[tail_from..])?;
    Some((head, end))
}

/// The record `name` of `secrets` in a whole plaintext in the window's layout
/// ([`sorted_layout`]): its `{`…`}` range, found by bisecting the record lines by byte
/// position instead of skipping every record before it. `Some(None)`: not where the sorted
/// records would hold it (certain only for a document byok wrote); `None`: the layout
/// breaks, and the caller's positional scan decides.
pub fn find_sorted(
    doc: &[u8],
    layout: (lookup::Head, usize),
    name: &str,
) -> Option<Option<(usize, usize)>> {
    // Below this many bytes between the bounds, the records are scanned in order.
    const SCAN: usize = 4096;
    let name = name.as_bytes();
    let (head, secrets_end) = layout;
    let region = doc.get(..secrets_end)?;
    // The first record line starting at or after `at`, and its name.
    let line_at = |at: usize| -> Option<(usize, &[u8])> {
        let line = at + memchr::memmem::find(region.get(at..)?, RECORD_LINE)?;
        Some((line, record_line(&region[line..])?.0))
    };
    let (mut lo, first) = line_at(head.secrets + 1)?;
    if name < first {
        return Some(None);
    }
    // `lo` is a record line whose name is at most `name`; every record line from `hi` on
    // has a greater one (or there is none).
    let mut hi = secrets_end;
    while hi - lo > SCAN {
        let mid = lo + (hi - lo) / 2;
        match line_at(mid) {
            Some((at, found)) if at < hi && found <= name => lo = at,
            _ => hi = mid,
        }
    }
    let found = scan_records(&region[lo..], name, |end| lo + end == secrets_end)?;
    Some(found.map(|(brace, end)| (lo + brace, lo + end)))
}

/// From the record line at the start of `region`, the records in order up to `name`: the
/// `{`…`}` range of its record, or `None` once a greater name or the end of `secrets`
/// (where `ends` says a record's end is) comes first. The outer `None`: a line out of the
/// layout, for the caller's full read.
fn scan_records(
    region: &[u8],
    name: &[u8],
    ends: impl Fn(usize) -> bool,
) -> Option<Option<(usize, usize)>> {
    let mut p = 0usize;
    loop {
        let (record, brace) = record_line(&region[p..])?;
        let brace = p + brace;
        let close = brace + memchr::memmem::find(&region[brace..], RECORD_CLOSE)?;
        let end = close + RECORD_CLOSE.len();
        match record.cmp(name) {
            std::cmp::Ordering::Equal => return Some(Some((brace, end))),
            std::cmp::Ordering::Greater => return Some(None),
            std::cmp::Ordering::Less => {}
        }
        // The next record, or the end of `secrets`.
        match region.get(end) {
            Some(b',') => p = end + 1,
            None | Some(b'\n') if ends(end) => return Some(None),
            _ => return None,
        }
    }
}

/// The record line at the start of `text` (`\n    "NAME": {\n`): the name and the
/// position of its `{`. `None` for anything else (an escaped name included).
fn record_line(text: &[u8]) -> Option<(&[u8], usize)> {
    let rest = text.strip_prefix(RECORD_LINE)?;
    let quote = memchr::memchr2(b'"', b'\\', rest)?;
    if rest[quote] != b'"' {
        return None;
    }
    let name = &rest[..quote];
    let brace = RECORD_LINE.len() + quote + 3;
    (text.get(brace - 3..brace + 2)? == b"\": {\n").then_some((name, brace))
}

/// In the last bytes of a document, the position of the line break before the line that
/// closes `secrets`, when the document ends as byok writes it: the last record (its
/// `label` first, which tells a record from a store of `index`), `secrets` closing, then
/// at most the `audit` head of scalar lines, then the document closing.
pub fn tail(text: &[u8]) -> Option<usize> {
    let trimmed = text.trim_ascii_end();
    let mut body = trimmed.strip_suffix(b"\n}")?;
    // The home vault's MAC line (`,\n  "mac": "HEX"`) comes last of all.
    if let Some(at) = memchr::memmem::rfind(body, b",\n  \"mac\": \"")
        && body[at + b",\n  \"mac\": \"".len()..]
            .strip_suffix(b"\"")
            .is_some_and(|hex| hex.len() == 64 && hex.iter().all(u8::is_ascii_hexdigit))
    {
        body = &body[..at];
    }
    let secrets_close_end = match memchr::memmem::rfind(body, b",\n  \"audit\": {\n") {
        Some(comma) => {
            let audit = body[comma..].strip_prefix(b",\n  \"audit\": {")?;
            let audit = audit.strip_suffix(b"\n  }")?;
            let scalar_lines = audit.split(|&b| b == b'\n').skip(1).all(|line| {
                line.strip_prefix(b"    \"").is_some_and(|rest| {
                    !rest.is_empty()
                        && rest
                            .iter()
                            .all(|&b| b.is_ascii_alphanumeric() || b"_\": ,".contains(&b))
                })
            });
            if !scalar_lines {
                return None;
            }
            comma
        }
        None => body.len(),
    };
    let records = body[..secrets_close_end].strip_suffix(b"\n  }")?;
    if !records.ends_with(RECORD_CLOSE) {
        return None;
    }
    let last = memchr::memmem::rfind(records, RECORD_LINE)?;
    let (_, brace) = record_line(&records[last..])?;
    records[last + brace + 1..]
        .starts_with(b"\n      \"label\": \"")
        .then_some(records.len())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(label: &str) -> String {
        format!(
            "{{\n      \"label\": \"{label}\",\n      \"created\": \"t\",\n      \"updated\": \"t\",\n      \"rotated\": \"t\",\n      \"fields\": {{\n        \"api_key\": \"sk-test\"\n      }}\n    }}"
        )
    }

    #[test]
    fn record_lines_are_recognised_and_nothing_else() {
        let line = b"\n    \"secret_001\": {\n      \"label\"";
        let (name, brace) = record_line(line).unwrap();
        assert_eq!(name, b"secret_001");
        assert_eq!(line[brace], b'{');
        assert!(record_line(b"\n    \"a\\\"b\": {\n").is_none(), "escaped");
        assert!(record_line(b"\n    \"a\": \"b\",\n").is_none(), "a scalar");
        assert!(record_line(b"\n     \"a\": {\n").is_none(), "five spaces");
        assert!(record_line(b"\n    \"a\": {}").is_none(), "inline");
    }

    #[test]
    fn the_tail_must_end_as_byok_writes_a_vault() {
        let records = format!("\n    \"a\": {},\n    \"b\": {}", record("A"), record("B"));
        let plain = format!("{records}\n  }}\n}}\n");
        assert_eq!(tail(plain.as_bytes()), Some(records.len()));
        let audit = format!(
            "{records}\n  }},\n  \"audit\": {{\n    \"entries\": 3,\n    \"mac\": \"00ff\",\n    \"bytes\": 12\n  }}\n}}"
        );
        assert_eq!(tail(audit.as_bytes()), Some(records.len()));
        // The home vault's MAC, last of all (format 3), with or without an audit head.
        let mac = format!(",\n  \"mac\": \"{}\"", "ab".repeat(32));
        let sealed = format!("{}{mac}\n}}\n", audit.strip_suffix("\n}").unwrap());
        assert_eq!(tail(sealed.as_bytes()), Some(records.len()));
        let sealed = format!("{records}\n  }}{mac}\n}}\n");
        assert_eq!(tail(sealed.as_bytes()), Some(records.len()));
        let short = format!("{records}\n  }},\n  \"mac\": \"abc\"\n}}\n");
        assert_eq!(tail(short.as_bytes()), None, "not a MAC line");
        // Anything else after `secrets`: a policy, an index, an object inside `audit`.
        for after in [
            "\n  },\n  \"policy\": {\n    \"home\": {\n      \"reveal\": \"never\"\n    }\n  }\n}",
            "\n  },\n  \"index\": {}\n}",
            "\n  },\n  \"audit\": {\n    \"x\": {\n    }\n  }\n}",
        ] {
            assert_eq!(
                tail(format!("{records}{after}").as_bytes()),
                None,
                "{after}"
            );
        }
        // An `index` last: its stores close like records, but hold no label.
        let index = "\n    \"keychain\": {\n      \"k\": {\n        \"label\": \"K\"\n      }\n    }\n  }\n}";
        assert_eq!(tail(index.as_bytes()), None);
    }

    /// A vault document as byok writes it (`doc::encode`) with `n` records of about
    /// `size` bytes, some `index` records and a policy, encrypted with a fresh identity.
    fn vault(n: usize, size: usize, index: &[&str]) -> (tempfile::TempDir, Unlocked, Vec<u8>) {
        use crate::store::vault::doc::{SecretRecord, VaultDoc};
        let mut doc = VaultDoc::default();
        for i in 0..n {
            let mut r = SecretRecord::new(format!("k{i:05}"), "2026-12-05T00:00:00Z");
            r.fields.insert(
                "api_key".into(),
                Some(crate::secret::SecretValue::new(format!(
                    "sk-test-{i:05}-{}",
                    "x".repeat(size)
                ))),
            );
            doc.secrets.insert(format!("k{i:05}"), r);
        }
        for name in index {
            let mut r = SecretRecord::new((*name).into(), "2026-12-05T00:00:00Z");
            r.fields.insert("api_key".into(), None);
            doc.records_mut(Some("keychain")).insert((*name).into(), r);
        }
        doc.policy.insert(
            "home".into(),
            crate::store::vault::doc::Policy {
                reveal: Some("prompt".into()),
                ..Default::default()
            },
        );
        let mut plaintext = crate::store::vault::doc::encode(&mut doc).unwrap();
        let identity = age::x25519::Identity::generate();
        // Sealed like the home vault: the MAC line is the document's last.
        crate::store::vault::doc::seal(&mut plaintext, &identity);
        let recipient = identity.to_public();
        let ciphertext =
            super::super::file::encrypt_to(&plaintext, &[&recipient as &dyn age::Recipient])
                .unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("vault.age"), &ciphertext).unwrap();
        let unlocked = Unlocked {
            identity,
            source: crate::unlock::IdentitySource::IdentityTxt,
        };
        (dir, unlocked, plaintext.to_vec())
    }

    fn open(dir: &tempfile::TempDir, unlocked: &Unlocked) -> Option<Window> {
        let path = dir.path().join("vault.age");
        Window::open(std::fs::File::open(&path).unwrap(), &path, unlocked).unwrap()
    }

    #[test]
    fn every_record_is_found_as_the_whole_parser_finds_it() {
        let (dir, unlocked, plaintext) = vault(2_000, 60, &["kc_only"]);
        let window = open(&dir, &unlocked).expect("a byok vault is windowed");
        let doc = crate::store::vault::doc::parse(&plaintext, Path::new("v")).unwrap();
        for (name, record) in &doc.secrets {
            let Some(Found::Record(bytes)) = window.find_secret(name) else {
                panic!("{name} not found");
            };
            let found: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(
                found["fields"]["api_key"],
                record.fields["api_key"].as_ref().unwrap().expose(),
                "{name}"
            );
        }
        // Names between, before and after the records.
        for missing in ["k", "a", "k00000a", "k01999z", "z", "kc_only", "k1"] {
            assert!(
                matches!(window.find_secret(missing), Some(Found::Missing)),
                "{missing}"
            );
        }
    }

    #[test]
    fn one_lookup_decrypts_a_few_chunks_of_a_large_vault() {
        let (dir, unlocked, plaintext) = vault(8_000, 60, &[]);
        let total = plaintext.len().div_ceil(CHUNK);
        for name in ["k00000", "k04321", "k07999"] {
            let window = open(&dir, &unlocked).unwrap();
            assert!(matches!(window.find_secret(name), Some(Found::Record(_))));
            let chunks = window.chunks.lock().unwrap().len();
            // The head, the tail, a bisection (log2 of the chunks) and the record's.
            assert!(
                chunks <= 4 + total.ilog2() as usize,
                "{name}: {chunks} of {total} chunks"
            );
        }
    }

    #[test]
    fn small_files_and_other_layouts_are_left_to_the_whole_read() {
        let (dir, unlocked, _) = vault(10, 10, &[]);
        assert!(open(&dir, &unlocked).is_none(), "small");
        // The same records, compact (as a hand-written vault might be): not windowed.
        let (dir, unlocked, plaintext) = vault(2_000, 60, &[]);
        let value: serde_json::Value = serde_json::from_slice(&plaintext).unwrap();
        let compact = serde_json::to_vec(&value).unwrap();
        let recipient = unlocked.identity.to_public();
        let ciphertext =
            super::super::file::encrypt_to(&compact, &[&recipient as &dyn age::Recipient]).unwrap();
        std::fs::write(dir.path().join("vault.age"), ciphertext).unwrap();
        assert!(open(&dir, &unlocked).is_none(), "compact");
    }

    #[test]
    fn a_small_vault_in_byok_s_layout_is_bisected_and_others_are_not() {
        let (_dir, _unlocked, plaintext) = vault(300, 40, &["kc_only"]);
        let layout = sorted_layout(&plaintext).expect("byok's own layout");
        assert!(layout.0.policy && layout.0.index);
        let doc = crate::store::vault::doc::parse(&plaintext, Path::new("v")).unwrap();
        for (name, record) in &doc.secrets {
            let (start, end) = find_sorted(&plaintext, layout, name).unwrap().unwrap();
            let found: serde_json::Value = serde_json::from_slice(&plaintext[start..end]).unwrap();
            assert_eq!(
                found["fields"]["api_key"],
                record.fields["api_key"].as_ref().unwrap().expose(),
                "{name}"
            );
        }
        for missing in ["a", "k", "k00000a", "k00299z", "z", "kc_only"] {
            assert_eq!(
                find_sorted(&plaintext, layout, missing),
                Some(None),
                "{missing}"
            );
        }
        // The same document compact, or with a policy after `secrets`: not that layout.
        let value: serde_json::Value = serde_json::from_slice(&plaintext).unwrap();
        assert!(sorted_layout(&serde_json::to_vec(&value).unwrap()).is_none());
        let text = String::from_utf8(plaintext.clone()).unwrap();
        let moved = text.replacen("\n  \"policy\"", "\n  \"zpolicy\"", 1);
        assert!(
            sorted_layout(moved.as_bytes()).is_none(),
            "an unknown member first"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(16))]

        /// The bisection over a whole small plaintext finds exactly what the whole parser
        /// finds, whatever the number and sizes of the records.
        #[test]
        fn the_bisection_agrees_with_the_whole_parser(
            n in 1usize..600,
            size in 0usize..2_000,
            probe in proptest::collection::vec(0usize..700, 1..16),
        ) {
            let (_dir, _unlocked, plaintext) = vault(n, size, &[]);
            let doc = crate::store::vault::doc::parse(&plaintext, Path::new("v")).unwrap();
            let layout = sorted_layout(&plaintext);
            proptest::prop_assert!(layout.is_some());
            for i in probe {
                let name = format!("k{i:05}");
                match (find_sorted(&plaintext, layout.unwrap(), &name), doc.secrets.get(&name)) {
                    (Some(Some((start, end))), Some(record)) => {
                        let found: serde_json::Value =
                            serde_json::from_slice(&plaintext[start..end]).unwrap();
                        proptest::prop_assert_eq!(
                            found["fields"]["api_key"].as_str(),
                            Some(record.fields["api_key"].as_ref().unwrap().expose())
                        );
                    }
                    (Some(None), None) => {}
                    (found, record) => proptest::prop_assert!(
                        false, "{}: {:?} but the parser has it: {}", name, found, record.is_some()
                    ),
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(8))]

        /// Whatever the record sizes, a record is found iff the whole parser has it, with
        /// the same value.
        #[test]
        fn the_window_agrees_with_the_whole_parser(
            n in 700usize..1_500,
            size in 0usize..400,
            probe in proptest::collection::vec(0usize..1_600, 1..12),
        ) {
            let (dir, unlocked, plaintext) = vault(n, size, &[]);
            let doc = crate::store::vault::doc::parse(&plaintext, Path::new("v")).unwrap();
            let Some(window) = open(&dir, &unlocked) else {
                // Small enough for the whole read.
                proptest::prop_assert!(plaintext.len() < 3 * CHUNK + 4096);
                return Ok(());
            };
            for i in probe {
                let name = format!("k{i:05}");
                match (window.find_secret(&name), doc.secrets.get(&name)) {
                    (Some(Found::Record(bytes)), Some(record)) => {
                        let found: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                        proptest::prop_assert_eq!(
                            found["fields"]["api_key"].as_str(),
                            Some(record.fields["api_key"].as_ref().unwrap().expose())
                        );
                    }
                    (Some(Found::Missing), None) | (None, _) => {}
                    (Some(Found::Missing), Some(_)) => proptest::prop_assert!(false, "{} missed", name),
                    (Some(Found::Record(_)), None) => proptest::prop_assert!(false, "{} invented", name),
                }
            }
        }
    }
}
