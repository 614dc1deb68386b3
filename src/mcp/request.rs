//! Access requests and their answers, as files in `BYOK_HOME/mcp/`.
//!
//! `byok mcp` (no identity) writes `requests/<id>.json`: the agent's name, reason, model
//! globs, daily budget and lifetime, bounded and redacted on the way in, plus the public half
//! of an X25519 key that exists only in that server process's memory. `byok approve` (the
//! passphrase) reads the file once, shows it with its SHA-256 digest, and answers exactly
//! those bytes: `answers/<id>.age`, encrypted to the request's own key, holding the
//! placeholder token (or the denial) and the digest it answers. So only the process that
//! asked can read its token, an edited request is not what was approved, and nothing in
//! this directory is a key: tokens are placeholders whose hashes live in `proxy-tokens.age`.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::fsutil;

/// Format of a request file.
pub const FORMAT: u64 = 1;
/// Largest request or answer file read.
const MAX_FILE: u64 = 16 * 1024;
/// How many requests may wait at once (an agent looping on `request_access` fills no disk).
pub const MAX_PENDING: usize = 20;
pub const MAX_AGENT: usize = 64;
pub const MAX_REASON: usize = 500;
pub const MAX_MODELS: usize = 16;
pub const MAX_GLOB: usize = 128;
pub const MAX_BUDGET_USD: f64 = 1000.0;
pub const MIN_LIFETIME: Duration = Duration::from_secs(60);
pub const MAX_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// A request as written to disk (the field order is the canonical order).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub byok_mcp_request: u64,
    pub id: String,
    /// RFC 3339 UTC.
    pub created: String,
    pub agent: String,
    pub reason: String,
    pub models: Vec<String>,
    pub budget_usd_per_day: f64,
    pub lifetime_secs: u64,
    /// The age X25519 recipient the answer is encrypted to.
    pub recipient: String,
}

/// What the approver answered (encrypted to the request's recipient).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// `granted` or `denied`.
    pub status: String,
    /// The digest of the request bytes this answers.
    pub digest: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_name: Option<String>,
    /// The placeholder (never a key); only in a grant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Who decided: `byok approve` or a pinned policy.
    pub by: String,
}

impl Drop for Answer {
    fn drop(&mut self) {
        if let Some(token) = self.token.as_mut() {
            zeroize::Zeroize::zeroize(token);
        }
    }
}

/// The directory of a home's requests.
pub fn dir(home: &Path) -> PathBuf {
    home.join("mcp")
}

fn requests_dir(home: &Path) -> PathBuf {
    dir(home).join("requests")
}

fn answers_dir(home: &Path) -> PathBuf {
    dir(home).join("answers")
}

/// Whether `id` has the shape of a request id (32 lower-case hex digits).
pub fn valid_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

pub fn request_path(home: &Path, id: &str) -> PathBuf {
    requests_dir(home).join(format!("{id}.json"))
}

pub fn answer_path(home: &Path, id: &str) -> PathBuf {
    answers_dir(home).join(format!("{id}.age"))
}

/// Lower-case hex SHA-256 of the bytes.
pub fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The name of the placeholder token a grant of `id` creates.
pub fn token_name(id: &str) -> String {
    format!("mcp-{}", &id[..12.min(id.len())])
}

/// A fresh request id.
pub fn new_id() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| Error::Encrypt(format!("no randomness: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Checks the fields an agent chose; `Err` says which and why, never echoing the value.
pub fn check(request: &Request) -> std::result::Result<(), String> {
    let agent = &request.agent;
    if agent.is_empty() || agent.chars().count() > MAX_AGENT {
        return Err(format!("agent: 1 to {MAX_AGENT} characters"));
    }
    if !agent
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '_' | '-' | '@' | '/'))
    {
        return Err("agent: letters, digits, spaces and . _ - @ / only".into());
    }
    if request.reason.trim().is_empty() || request.reason.chars().count() > MAX_REASON {
        return Err(format!("reason: 1 to {MAX_REASON} characters"));
    }
    if request.models.is_empty() || request.models.len() > MAX_MODELS {
        return Err(format!("models: 1 to {MAX_MODELS} model names or globs"));
    }
    for glob in &request.models {
        if glob.is_empty()
            || glob.len() > MAX_GLOB
            || !glob
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-:/*?@".contains(&b))
        {
            return Err(format!(
                "models: each 1 to {MAX_GLOB} characters of letters, digits and . _ - : / * ? @"
            ));
        }
        if glob.chars().all(|c| c == '*' || c == '?') {
            return Err("models: name models or families (claude-haiku-*), not every model".into());
        }
    }
    let budget = request.budget_usd_per_day;
    if !budget.is_finite() || budget_cents(budget) <= 0.0 || budget > MAX_BUDGET_USD {
        return Err(format!(
            "budget_usd_per_day: at least 0.01 and at most {MAX_BUDGET_USD}"
        ));
    }
    let lifetime = Duration::from_secs(request.lifetime_secs);
    if !(MIN_LIFETIME..=MAX_LIFETIME).contains(&lifetime) {
        return Err("lifetime: from 1m to 24h".into());
    }
    if !valid_id(&request.id) {
        return Err("id: not a request id".into());
    }
    if request.recipient.len() > 128 || request.recipient.parse::<age::x25519::Recipient>().is_err()
    {
        return Err("recipient: not an age X25519 recipient".into());
    }
    Ok(())
}

/// The budget as a token budget (`2usd/day`).
/// A request's daily budget as granted: whole cents, rounded down, so a grant never exceeds
/// what was shown or what a rule allows.
pub fn budget_cents(usd: f64) -> f64 {
    (usd * 100.0).floor() / 100.0
}

pub fn budget_text(usd: f64) -> String {
    // Cents are enough; the budget parser takes decimals.
    let text = format!("{:.2}", budget_cents(usd));
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}usd/day")
}

/// Writes a new request; refuses when [`MAX_PENDING`] already wait.
pub fn write(home: &Path, request: &Request) -> Result<Vec<u8>> {
    fsutil::create_private_dir(&dir(home))?;
    fsutil::create_private_dir(&requests_dir(home))?;
    if pending_ids(home).len() >= MAX_PENDING {
        return Err(Error::Usage(format!(
            "{MAX_PENDING} access requests are already waiting for `byok approve`"
        )));
    }
    let mut bytes = serde_json::to_vec(request).map_err(|e| Error::Encrypt(e.to_string()))?;
    bytes.push(b'\n');
    fsutil::write_new(&request_path(home, &request.id), &bytes)?;
    Ok(bytes)
}

/// The ids of the waiting requests (files named like one), oldest name first.
pub fn pending_ids(home: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(requests_dir(home)) else {
        return Vec::new();
    };
    let mut ids: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let id = name.strip_suffix(".json")?;
            valid_id(id).then(|| id.to_owned())
        })
        .collect();
    ids.sort();
    ids
}

/// A request read from disk: its exact bytes, their digest and the parsed, checked fields.
pub struct Loaded {
    pub bytes: Vec<u8>,
    pub digest: String,
    pub request: Request,
}

/// Reads request `id` (bounded, parsed strictly, checked as when it was made).
pub fn load(home: &Path, id: &str) -> Result<Loaded> {
    let path = request_path(home, id);
    // A FIFO or device planted under a request's name would block or never end the read.
    if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file()) {
        return Err(Error::Corrupt {
            path,
            reason: "not a regular file".into(),
        });
    }
    let bytes = fsutil::read_bounded(&path, MAX_FILE)?;
    let corrupt = |reason: String| Error::Corrupt {
        path: path.clone(),
        reason,
    };
    let request: Request = serde_json::from_slice(&bytes)
        .map_err(|e| corrupt(format!("not an access request ({e})")))?;
    if request.byok_mcp_request != FORMAT {
        return Err(corrupt("an unknown request format".into()));
    }
    if request.id != id {
        return Err(corrupt("its id is not its file name".into()));
    }
    check(&request).map_err(corrupt)?;
    Ok(Loaded {
        digest: digest(&bytes),
        bytes,
        request,
    })
}

/// Writes the answer to `loaded` (encrypted to its recipient), then removes the request.
pub fn answer(home: &Path, loaded: &Loaded, answer: &Answer) -> Result<()> {
    let recipient: age::x25519::Recipient = loaded
        .request
        .recipient
        .parse()
        .map_err(|_| Error::Usage("the request's recipient is not an age recipient".into()))?;
    let plain =
        Zeroizing::new(serde_json::to_vec(answer).map_err(|e| Error::Encrypt(e.to_string()))?);
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .map_err(|e| Error::Encrypt(e.to_string()))?;
    let mut out = Vec::new();
    let mut writer = encryptor
        .wrap_output(&mut out)
        .map_err(|e| Error::Encrypt(e.to_string()))?;
    std::io::Write::write_all(&mut writer, &plain).map_err(|e| Error::Encrypt(e.to_string()))?;
    writer.finish().map_err(|e| Error::Encrypt(e.to_string()))?;
    fsutil::create_private_dir(&answers_dir(home))?;
    fsutil::write_atomic(&answer_path(home, &loaded.request.id), &out)?;
    let path = request_path(home, &loaded.request.id);
    std::fs::remove_file(&path).map_err(Error::io("remove", &path))
}

/// Reads and decrypts the answer to `id` with the asking process's key; `None`: none yet.
pub fn read_answer(
    home: &Path,
    id: &str,
    identity: &age::x25519::Identity,
) -> std::result::Result<Option<Answer>, String> {
    let path = answer_path(home, id);
    let bytes = match fsutil::read_bounded(&path, MAX_FILE) {
        Ok(bytes) => bytes,
        Err(_) if !path.exists() => return Ok(None),
        Err(_) => return Err("the answer file cannot be read".into()),
    };
    let decryptor = age::Decryptor::new(&bytes[..]).map_err(|_| "the answer is not age data")?;
    let mut reader = decryptor
        .decrypt(std::iter::once(identity as &dyn age::Identity))
        .map_err(|_| "the answer is not encrypted to this request")?;
    let mut plain = Zeroizing::new(Vec::new());
    std::io::Read::read_to_end(&mut reader, &mut plain).map_err(|_| "the answer is damaged")?;
    serde_json::from_slice(&plain)
        .map(Some)
        .map_err(|_| "the answer is not one byok wrote".into())
}

/// How long ago `created` was, for people (`3m`, `2h`).
pub fn age_of(created: &str, now: SystemTime) -> String {
    let Ok(then) = humantime::parse_rfc3339_weak(created) else {
        return "?".into();
    };
    let secs = now.duration_since(then).map(|d| d.as_secs()).unwrap_or(0);
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m", secs / 60),
        3600..86400 => format!("{}h", secs / 3600),
        _ => format!("{}d", secs / 86400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_are_granted_in_whole_cents_rounded_down() {
        assert_eq!(budget_text(1.999), "1.99usd/day");
        assert_eq!(budget_text(2.0), "2usd/day");
        assert_eq!(budget_text(0.5), "0.5usd/day");
        // Under a cent would be granted as nothing: refused instead.
        let mut r = sample();
        r.budget_usd_per_day = 0.004;
        assert!(check(&r).is_err());
        r.budget_usd_per_day = 0.01;
        assert!(check(&r).is_ok());
    }

    fn sample() -> Request {
        Request {
            byok_mcp_request: FORMAT,
            id: "0123456789abcdef0123456789abcdef".into(),
            created: "2026-12-06T00:00:00Z".into(),
            agent: "claude code".into(),
            reason: "run the tests".into(),
            models: vec!["claude-haiku-*".into()],
            budget_usd_per_day: 2.0,
            lifetime_secs: 3600,
            recipient: age::x25519::Identity::generate().to_public().to_string(),
        }
    }

    #[test]
    fn bounds() {
        assert_eq!(check(&sample()), Ok(()));
        let bad = |f: fn(&mut Request)| {
            let mut r = sample();
            f(&mut r);
            check(&r).is_err()
        };
        assert!(bad(|r| r.agent = "a".repeat(65)));
        assert!(bad(|r| r.agent = "a\u{1b}[2J".into()));
        assert!(bad(|r| r.reason = "x".repeat(501)));
        assert!(bad(|r| r.models = vec![]));
        assert!(bad(|r| r.models = vec!["*".into()]));
        assert!(bad(|r| r.models = vec!["a b".into()]));
        assert!(bad(|r| r.budget_usd_per_day = f64::NAN));
        assert!(bad(|r| r.budget_usd_per_day = 0.0));
        assert!(bad(|r| r.budget_usd_per_day = 1e9));
        assert!(bad(|r| r.lifetime_secs = 5));
        assert!(bad(|r| r.lifetime_secs = 90_000));
        assert!(bad(|r| r.recipient = "age1nope".into()));
        assert_eq!(budget_text(2.0), "2usd/day");
        assert_eq!(budget_text(0.5), "0.5usd/day");
        assert!(crate::ledger::budget::Budget::parse(&budget_text(0.25)).is_some());
    }
}
