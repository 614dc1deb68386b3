//! Placeholder tokens: what tools hold instead of a real key.
//!
//! A token is `sk-ant-byok01-` followed by 43 URL-safe base64 characters (32 random bytes),
//! so it passes tools' `sk-` and `sk-ant-` shape checks. It is printed once, by
//! `byok proxy token create`, and never stored: `proxy-tokens.age` in the home keeps its
//! SHA-256 hash, its expiry and its model globs, encrypted to the vault identity like the
//! vault itself (a separate file rather than a vault section: the proxy re-reads it whenever
//! it changes on disk, without re-reading or locking the vault, and older byoks that refuse
//! unknown vault keys keep reading the vault).
//!
//! Checking a presented token hashes it and compares the hash with every stored hash in
//! constant time ([`subtle`]); a running proxy looks at the file's size, inode and mtime
//! (one `stat`, at most once per [`RECHECK`] however many requests arrive) and reloads it
//! when they change, so a revocation takes effect at once — within a millisecond.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::fsutil::{self, WriteLock};
use crate::secret::SecretValue;
use crate::unlock::Unlocker;

/// What every placeholder starts with.
pub const PREFIX: &str = "sk-ant-byok01-";
/// Characters after the prefix.
pub const BODY_LEN: usize = 43;
const FORMAT: u64 = crate::formats::PROXY_TOKENS.current;
/// Largest token file read (thousands of tokens fit in far less).
const MAX_FILE: u64 = 4 * 1024 * 1024;

/// The decrypted token file.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenDoc {
    pub byok_proxy_tokens: u64,
    #[serde(default)]
    pub tokens: BTreeMap<String, TokenRecord>,
    /// HMAC-SHA256 of the rest, keyed from the vault identity ([`super::agent_proof`]):
    /// only a holder of the identity can write a file an agent-proof proxy accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
    /// Counts the writes (under the MAC): an agent-proof proxy refuses an older copy put back.
    #[serde(default)]
    pub generation: u64,
}

/// One token: never its value, only the value's hash.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRecord {
    /// Lower-case hex SHA-256 of the whole token.
    pub sha256: String,
    /// RFC 3339 UTC.
    pub created: String,
    /// RFC 3339 UTC; `None`: does not expire.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Model globs the token may ask for; empty: any model.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub models: Vec<String>,
    /// A daily budget, `5usd/day` or `2Mtok/day` ([`crate::ledger::budget`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<String>,
    /// A key minted at the provider for this token alone (`token create --mint`): the
    /// token is served only by this connector, with that key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minted: Option<MintedKey>,
    /// The `[[api]]` names the token may reach at `/api/NAME/…`; empty: none (tokens made
    /// before tool APIs existed reach none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub apis: Vec<String>,
    /// Made for tool APIs alone (`token create --api` without `--models`): no model.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub api_only: bool,
}

/// Where a token's own key is: its connector, and the vault secret holding the key the
/// provider made for it (revoked with the token).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MintedKey {
    pub connector: String,
    pub secret: String,
}

impl TokenRecord {
    /// Whether the token has expired at `now`.
    pub fn expired(&self, now: SystemTime) -> bool {
        self.expires
            .as_deref()
            .and_then(|e| humantime::parse_rfc3339_weak(e).ok())
            .is_some_and(|t| t <= now)
    }

    /// Whether the token may use `model`.
    pub fn allows(&self, model: &str) -> bool {
        !self.api_only
            && (self.models.is_empty() || self.models.iter().any(|g| glob_match(g, model)))
    }

    /// Whether the token may reach the `[[api]]` named `api`.
    pub fn allows_api(&self, api: &str) -> bool {
        self.apis.iter().any(|a| a == api)
    }
}

/// A fresh placeholder and its hash.
pub fn generate() -> Result<(SecretValue, String)> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    getrandom::fill(&mut bytes[..]).map_err(|e| Error::Encrypt(format!("no randomness: {e}")))?;
    let body = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes[..]);
    let token = format!("{PREFIX}{body}");
    let hash = hex(&Sha256::digest(token.as_bytes()));
    Ok((SecretValue::new(token), hash))
}

/// Whether `text` has the placeholder shape.
pub fn is_placeholder(text: &str) -> bool {
    text.strip_prefix(PREFIX).is_some_and(|body| {
        body.len() == BODY_LEN
            && body
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, chunk) in text.as_bytes().chunks(2).enumerate() {
        let s = std::str::from_utf8(chunk).ok()?;
        out[i] = u8::from_str_radix(s, 16).ok()?;
    }
    Some(out)
}

/// `*` (any run) and `?` (one character) globs, as in `models = ["gpt-4*"]`. Iterative
/// with one backtrack point: linear enough for model names (bounded at 256 bytes). Runs on
/// the bytes when both are ASCII (model names are: no allocation per request and price).
pub fn glob_match(glob: &str, text: &str) -> bool {
    if glob.is_ascii() && text.is_ascii() {
        return glob_match_in(glob.as_bytes(), text.as_bytes(), b'*', b'?');
    }
    let (g, t): (Vec<char>, Vec<char>) = (glob.chars().collect(), text.chars().collect());
    glob_match_in(&g, &t, '*', '?')
}

fn glob_match_in<T: Copy + PartialEq>(g: &[T], t: &[T], any: T, one: T) -> bool {
    let (mut gi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if gi < g.len() && (g[gi] == one || g[gi] == t[ti]) {
            gi += 1;
            ti += 1;
        } else if gi < g.len() && g[gi] == any {
            star = Some((gi, ti));
            gi += 1;
        } else if let Some((sg, st)) = star {
            gi = sg + 1;
            ti = st + 1;
            star = Some((sg, st + 1));
        } else {
            return false;
        }
    }
    g[gi..].iter().all(|&c| c == any)
}

/// The token file of a home.
pub struct TokenFile {
    path: PathBuf,
    lock: PathBuf,
    unlocker: Arc<Unlocker>,
    /// Refuse a file without a valid MAC (agent-proof mode).
    authenticated: bool,
}

impl TokenFile {
    pub fn new(home: &Path, unlocker: Arc<Unlocker>) -> Self {
        TokenFile {
            path: home.join("proxy-tokens.age"),
            lock: home.join(".lock"),
            unlocker,
            authenticated: false,
        }
    }

    /// The same file, read only when its MAC proves it was written with the identity.
    pub fn authenticated(mut self) -> Self {
        self.authenticated = true;
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the file (absent: no tokens).
    pub fn load(&self) -> Result<TokenDoc> {
        let bytes = match std::fs::File::open(&self.path) {
            Ok(file) => {
                let mut bytes = Vec::new();
                std::io::Read::read_to_end(
                    &mut std::io::Read::take(file, MAX_FILE + 1),
                    &mut bytes,
                )
                .map_err(Error::io("read", &self.path))?;
                if bytes.len() as u64 > MAX_FILE {
                    return Err(self.corrupt("larger than 4 MiB".into()));
                }
                bytes
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(TokenDoc {
                    byok_proxy_tokens: FORMAT,
                    tokens: BTreeMap::new(),
                    mac: None,
                    generation: 0,
                });
            }
            Err(e) => return Err(Error::io("read", &self.path)(e)),
        };
        let unlocked = self.unlocker.get()?;
        let decryptor = age::Decryptor::new(&bytes[..]).map_err(|e| self.corrupt(e.to_string()))?;
        let mut reader = decryptor
            .decrypt(std::iter::once(&unlocked.identity as &dyn age::Identity))
            .map_err(|e| self.corrupt(e.to_string()))?;
        let mut plain = Zeroizing::new(Vec::new());
        std::io::Read::read_to_end(&mut reader, &mut plain)
            .map_err(|e| self.corrupt(format!("decryption failed ({e})")))?;
        let doc: TokenDoc = serde_json::from_slice(&plain).map_err(|e| {
            self.corrupt(format!(
                "not a token document (line {}, column {})",
                e.line(),
                e.column()
            ))
        })?;
        crate::formats::PROXY_TOKENS.check(&self.path, doc.byok_proxy_tokens)?;
        super::agent_proof::verify_tokens(&unlocked.identity, &doc, self.authenticated)
            .map_err(|reason| self.corrupt(reason))?;
        Ok(doc)
    }

    fn corrupt(&self, reason: String) -> Error {
        Error::Corrupt {
            path: self.path.clone(),
            reason,
        }
    }

    /// Applies `change` under the home's lock and rewrites the file atomically.
    pub fn modify<T>(&self, change: impl FnOnce(&mut TokenDoc) -> Result<T>) -> Result<T> {
        let _lock = WriteLock::acquire(&self.lock)?;
        let mut doc = self.load()?;
        let out = change(&mut doc)?;
        doc.byok_proxy_tokens = FORMAT;
        doc.generation = doc.generation.saturating_add(1);
        super::agent_proof::seal_tokens(&self.unlocker.get()?.identity, &mut doc)?;
        let plain = Zeroizing::new(
            serde_json::to_vec_pretty(&doc).map_err(|e| Error::Encrypt(e.to_string()))?,
        );
        let recipient = self.unlocker.get()?.recipient();
        let encryptor =
            age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                .map_err(|e| Error::Encrypt(e.to_string()))?;
        let mut out_bytes = Vec::new();
        let mut writer = encryptor
            .wrap_output(&mut out_bytes)
            .map_err(|e| Error::Encrypt(e.to_string()))?;
        std::io::Write::write_all(&mut writer, &plain)
            .map_err(|e| Error::Encrypt(e.to_string()))?;
        writer.finish().map_err(|e| Error::Encrypt(e.to_string()))?;
        fsutil::write_atomic(&self.path, &out_bytes)?;
        Ok(out)
    }
}

/// Why a presented token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No token, not a placeholder, unknown or revoked.
    Unknown,
    /// Known but past its expiry.
    Expired,
}

/// What identifies a version of the file on disk.
type Stamp = Option<(u64, u64, SystemTime)>;

fn stamp(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some((meta.len(), inode, meta.modified().ok()?))
}

/// How long a look at the token file stands for: requests arriving within this much of
/// the last look reuse it (at 10,000 requests/s, one `stat` per ten requests).
pub const RECHECK: Duration = Duration::from_millis(1);

struct Loaded {
    stamp: Stamp,
    /// When the file was last looked at.
    looked: Instant,
    entries: Arc<Vec<(String, [u8; 32], TokenRecord)>>,
    /// The highest `generation` loaded.
    generation: u64,
}

/// The tokens a running proxy checks against, reloaded whenever the file changes.
pub struct TokenCache {
    file: TokenFile,
    loaded: Mutex<Loaded>,
}

impl TokenCache {
    /// Loads the file once (an unreadable file is an error at start-up).
    pub fn open(file: TokenFile) -> Result<Self> {
        let stamp = stamp(file.path());
        let doc = file.load()?;
        let generation = doc.generation;
        let entries = Arc::new(entries_of(doc));
        Ok(TokenCache {
            file,
            loaded: Mutex::new(Loaded {
                stamp,
                looked: Instant::now(),
                entries,
                generation,
            }),
        })
    }

    fn current(&self) -> Arc<Vec<(String, [u8; 32], TokenRecord)>> {
        let mut loaded = self.loaded.lock().unwrap_or_else(|p| p.into_inner());
        let instant = Instant::now();
        if instant.duration_since(loaded.looked) < RECHECK {
            return Arc::clone(&loaded.entries);
        }
        loaded.looked = instant;
        let now = stamp(self.file.path());
        if loaded.stamp != now {
            // A file that cannot be read now (being replaced, corrupted) admits nobody
            // rather than the tokens of its previous version.
            loaded.entries = match self.file.load() {
                // An authenticated but older copy put back (reviving a revoked token):
                // keep what was loaded.
                Ok(doc) if self.file.authenticated && doc.generation < loaded.generation => {
                    Arc::clone(&loaded.entries)
                }
                Ok(doc) => {
                    loaded.generation = doc.generation;
                    Arc::new(entries_of(doc))
                }
                Err(_) => Arc::default(),
            };
            loaded.stamp = now;
        }
        Arc::clone(&loaded.entries)
    }

    /// The token's name and record, or why it is refused.
    /// Every token's name and record, as loaded now.
    pub fn records(&self) -> Vec<(String, TokenRecord)> {
        self.current()
            .iter()
            .map(|(name, _, record)| (name.clone(), record.clone()))
            .collect()
    }

    pub fn check(&self, presented: &str) -> std::result::Result<(String, TokenRecord), Refusal> {
        if !is_placeholder(presented) {
            return Err(Refusal::Unknown);
        }
        let digest: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        let entries = self.current();
        // Every stored hash is compared, in constant time, whatever matched before.
        let mut found: Option<usize> = None;
        for (i, (_, hash, _)) in entries.iter().enumerate() {
            if bool::from(hash.ct_eq(&digest)) {
                found = Some(i);
            }
        }
        let (name, _, record) = &entries[found.ok_or(Refusal::Unknown)?];
        if record.expired(SystemTime::now()) {
            return Err(Refusal::Expired);
        }
        Ok((name.clone(), record.clone()))
    }
}

fn entries_of(doc: TokenDoc) -> Vec<(String, [u8; 32], TokenRecord)> {
    doc.tokens
        .into_iter()
        .filter_map(|(name, r)| Some((name, unhex(&r.sha256)?, r)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_the_promised_shape() {
        let (token, hash) = generate().unwrap();
        assert!(is_placeholder(token.expose()), "{}", token.expose());
        assert_eq!(token.expose().len(), PREFIX.len() + BODY_LEN);
        assert!(token.expose().starts_with("sk-ant-"));
        assert_eq!(unhex(&hash).map(|h| hex(&h)), Some(hash.clone()));
        assert!(!format!("{token:?}").contains(PREFIX));
        let (other, _) = generate().unwrap();
        assert_ne!(token.expose(), other.expose());
        assert!(!is_placeholder("sk-ant-byok01-short"));
        assert!(!is_placeholder(&format!(
            "{PREFIX}{}",
            "!".repeat(BODY_LEN)
        )));
    }

    #[test]
    fn an_agent_proof_cache_refuses_forged_and_rolled_back_files() {
        let dir = tempfile::tempdir().unwrap();
        let settings = Arc::new(crate::settings::Settings::from_env(Some(
            dir.path().to_path_buf(),
        )));
        let unlocked = crate::unlock::Unlocked {
            identity: age::x25519::Identity::generate(),
            source: crate::unlock::IdentitySource::Prompt,
        };
        let unlocker = Arc::new(Unlocker::with(Arc::clone(&settings), unlocked));
        let file = || TokenFile::new(dir.path(), Arc::clone(&unlocker));
        let (old_token, old_hash) = generate().unwrap();
        let record = |sha256: String| TokenRecord {
            sha256,
            created: "2026-01-01T00:00:00Z".into(),
            expires: None,
            models: vec![],
            budget: None,
            minted: None,
            apis: vec![],
            api_only: false,
        };
        file()
            .modify(|doc| {
                doc.tokens.insert("old".into(), record(old_hash.clone()));
                Ok(())
            })
            .unwrap();
        let before = std::fs::read(file().path()).unwrap();
        let cache = TokenCache::open(file().authenticated()).unwrap();
        assert!(cache.check(old_token.expose()).is_ok());
        file()
            .modify(|doc| {
                doc.tokens.remove("old");
                Ok(())
            })
            .unwrap();
        assert_eq!(
            cache.check(old_token.expose()).err(),
            Some(Refusal::Unknown)
        );
        let plain_cache = TokenCache::open(file()).unwrap();
        // The older, authenticated copy put back does not revive the revoked token (an
        // ordinary proxy's cache does take it: the copy was seen).
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(file().path(), &before).unwrap();
        assert_eq!(
            cache.check(old_token.expose()).err(),
            Some(Refusal::Unknown)
        );
        assert!(plain_cache.check(old_token.expose()).is_ok());
        // A file encrypted to the recipient without the identity's MAC admits nobody.
        let (minted, minted_hash) = generate().unwrap();
        let mut forged = TokenDoc {
            byok_proxy_tokens: FORMAT,
            generation: 99,
            ..Default::default()
        };
        forged.tokens.insert("minted".into(), record(minted_hash));
        let plain = serde_json::to_vec(&forged).unwrap();
        let recipient = unlocker.get().unwrap().recipient();
        let encryptor =
            age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                .unwrap();
        let mut out = Vec::new();
        let mut writer = encryptor.wrap_output(&mut out).unwrap();
        std::io::Write::write_all(&mut writer, &plain).unwrap();
        writer.finish().unwrap();
        std::fs::write(file().path(), &out).unwrap();
        assert_eq!(cache.check(minted.expose()).err(), Some(Refusal::Unknown));
        // A non-agent-proof reader still reads it (no MAC is not an error there).
        assert!(file().load().is_ok());
        assert!(file().authenticated().load().is_err());
    }

    #[test]
    fn globs() {
        assert!(glob_match("gpt-4*", "gpt-4.1-nano"));
        assert!(glob_match("*", ""));
        assert!(glob_match("claude-?-5", "claude-a-5"));
        assert!(glob_match("*haiku*", "claude-haiku-4-5"));
        assert!(!glob_match("gpt-4*", "gpt-5"));
        assert!(!glob_match("a?c", "abbc"));
        assert!(glob_match("a*b*c", "aXbYbZc"));
        assert!(!glob_match("exact", "exactly"));
        // Non-ASCII: `?` is one character, not one byte.
        assert!(glob_match("caf?-*", "café-x"));
        assert!(!glob_match("caf??-*", "café-x"));
        assert!(glob_match("*é", "modèle-é"));
    }

    #[test]
    fn expiry_and_models() {
        let r = TokenRecord {
            sha256: String::new(),
            created: "2026-01-01T00:00:00Z".into(),
            expires: Some("2026-01-02T00:00:00Z".into()),
            models: vec!["gpt-*".into()],
            budget: None,
            minted: None,
            apis: vec![],
            api_only: false,
        };
        let day = humantime::parse_rfc3339("2026-01-01T12:00:00Z").unwrap();
        assert!(!r.expired(day));
        assert!(r.expired(day + std::time::Duration::from_secs(86400)));
        assert!(r.allows("gpt-4o"));
        assert!(!r.allows("claude-haiku-4-5"));
    }
}
