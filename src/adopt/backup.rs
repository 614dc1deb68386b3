//! The backups `byok adopt mcp` keeps of the files it rewrites, for `--undo`.
//!
//! Each backup is two files in `adopt-backups/` of the home (directory `0700`, files
//! `0600`): `ID.age`, the file's former bytes encrypted to the vault's identity (they held
//! plaintext keys: a backup must not be the plaintext copy the adoption took away), and
//! `ID.json`, what undo needs without unlocking — the original path, its mode, the SHA-256
//! of the bytes before and after, when, and whether it was undone:
//!
//! ```json
//! {"byok_adopt_backup": 1, "kind": "adopt", "path": "/home/me/.claude.json",
//!  "created": "2026-12-06T02:00:00Z", "mode": 384, "before_sha256": "…",
//!  "after_sha256": "…", "undone": null}
//! ```
//!
//! `mac` is an HMAC-SHA256 keyed from the vault identity over everything else: `ID.json` sits
//! in a folder a same-user program can write, and undo writes the decrypted bytes to `path`
//! with `mode`, so a description edited to point elsewhere must not verify.
//!
//! `kind` is `adopt` for an adoption's backup, `kept` for the content an `--undo --force`
//! replaced (never undone itself: restore it by hand with `age -d`).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::fsutil;
use crate::paths::Paths;

/// The folder of the backups.
pub fn dir(paths: &Paths) -> PathBuf {
    paths.home.join("adopt-backups")
}

/// A backup's description (`ID.json`).
#[derive(Debug, Serialize, Deserialize)]
pub struct Meta {
    pub byok_adopt_backup: u64,
    pub kind: String,
    pub path: String,
    pub created: String,
    pub mode: Option<u32>,
    pub before_sha256: String,
    pub after_sha256: Option<String>,
    pub undone: Option<String>,
    /// See the module's documentation; `None` in a description byok did not write.
    #[serde(default)]
    pub mac: Option<String>,
}

const MAC_CONTEXT: &[u8] = b"byok adopt backup v1";

/// The MAC of what undo trusts in `meta` (its kind, path, mode, digests and creation).
fn mac_of(identity: &age::x25519::Identity, meta: &Meta) -> String {
    use hmac::Mac;
    let mut mac = crate::unlock::identity_mac(identity, MAC_CONTEXT);
    let fields = serde_json::json!([
        meta.byok_adopt_backup,
        meta.kind,
        meta.path,
        meta.created,
        meta.mode,
        meta.before_sha256,
        meta.after_sha256,
    ]);
    mac.update(fields.to_string().as_bytes());
    format!("{:x}", mac.finalize().into_bytes())
}

/// Refuses a description whose MAC does not verify with this home's identity.
pub fn verify(ctx: &Context, meta_path: &Path, meta: &Meta) -> Result<()> {
    use subtle::ConstantTimeEq;
    let unlocked = ctx.unlocker().get()?;
    let expected = mac_of(&unlocked.identity, meta);
    let ok = meta
        .mac
        .as_deref()
        .is_some_and(|m| bool::from(m.as_bytes().ct_eq(expected.as_bytes())));
    if ok {
        Ok(())
    } else {
        Err(Error::Corrupt {
            path: meta_path.to_path_buf(),
            reason: "its authentication code does not verify with this home's identity (edited, \
                     or not written by byok); nothing was restored"
                .into(),
        })
    }
}

/// The SHA-256 of `bytes`, in hex.
pub fn digest(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Saves `before` (the bytes of `path`) as a backup of `kind`; returns the `ID.json` path.
pub fn save(
    ctx: &Context,
    kind: &str,
    path: &Path,
    before: &[u8],
    after: Option<&[u8]>,
    mode: Option<u32>,
) -> Result<PathBuf> {
    let dir = dir(&ctx.settings.paths);
    fsutil::create_private_dir(&dir)?;
    let unlocked = ctx.unlocker().get()?;
    let recipient = unlocked.recipient();
    let sealed = crate::store::vault::file::encrypt_to(before, &[&recipient])?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let path_text = path.display().to_string();
    let id = format!(
        "{:011}{:09}-{}",
        now.as_secs(),
        now.subsec_nanos(),
        &digest(path_text.as_bytes())[..12]
    );
    let mut meta = Meta {
        byok_adopt_backup: crate::formats::ADOPT_BACKUP.current,
        kind: kind.to_owned(),
        path: path_text,
        created: crate::term::output::now_rfc3339(),
        mode,
        before_sha256: digest(before),
        after_sha256: after.map(digest),
        undone: None,
        mac: None,
    };
    meta.mac = Some(mac_of(&unlocked.identity, &meta));
    let meta_path = dir.join(format!("{id}.json"));
    fsutil::write_new(&dir.join(format!("{id}.age")), &sealed)?;
    let text = serde_json::to_vec_pretty(&meta).expect("plain data serialises");
    fsutil::write_new(&meta_path, &text)?;
    Ok(meta_path)
}

/// Reads one `ID.json`.
fn read_meta(path: &Path) -> Result<Meta> {
    let bytes = fsutil::read_bounded(path, 64 * 1024)?;
    let meta: Meta = serde_json::from_slice(&bytes).map_err(|e| Error::Corrupt {
        path: path.to_path_buf(),
        reason: format!("not an adopt backup description (line {})", e.line()),
    })?;
    crate::formats::ADOPT_BACKUP.check(path, meta.byok_adopt_backup)?;
    Ok(meta)
}

/// The newest adoption backup not undone yet: of `path` when given, else of any file.
pub fn latest(paths: &Paths, path: Option<&Path>) -> Result<Option<(PathBuf, Meta)>> {
    let dir = dir(paths);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(None);
    };
    let mut ids: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    ids.sort();
    for meta_path in ids.into_iter().rev() {
        let meta = read_meta(&meta_path)?;
        if meta.kind != "adopt" || meta.undone.is_some() {
            continue;
        }
        if path.is_none_or(|p| p.display().to_string() == meta.path) {
            return Ok(Some((meta_path, meta)));
        }
    }
    Ok(None)
}

/// The former bytes a backup holds (decrypted with the vault identity).
pub fn content(ctx: &Context, meta_path: &Path, meta: &Meta) -> Result<Zeroizing<Vec<u8>>> {
    let sealed_path = meta_path.with_extension("age");
    let sealed = fsutil::read_bounded(&sealed_path, super::MAX_FILE + 64 * 1024)?;
    let unlocked = ctx.unlocker().get()?;
    let plain = crate::store::vault::file::decrypt_with(
        &sealed,
        &sealed_path,
        &[&unlocked.identity],
        || Error::Corrupt {
            path: sealed_path.clone(),
            reason: "not encrypted to this home's identity".into(),
        },
    )?;
    let bytes = Zeroizing::new(plain.bytes().to_vec());
    if digest(&bytes) != meta.before_sha256 {
        return Err(Error::Corrupt {
            path: sealed_path,
            reason: "its content does not have the digest its description records".into(),
        });
    }
    Ok(bytes)
}

/// Records that a backup was restored.
pub fn mark_undone(meta_path: &Path, mut meta: Meta) -> Result<()> {
    meta.undone = Some(crate::term::output::now_rfc3339());
    let text = serde_json::to_vec_pretty(&meta).expect("plain data serialises");
    fsutil::write_atomic(meta_path, &text)
}
