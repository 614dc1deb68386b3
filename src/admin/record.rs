//! `admin-keys.json` in the home: every key byok asks a provider to make, written (and
//! fsynced) **before** the request goes out, then updated with the provider's id; and every
//! old key waiting for its grace period before it is disabled or deleted.
//!
//! The file holds ids and names, never a key value. A crash at any point leaves either an
//! intent (the sweep finds the key by its unique name), a live entry whose process is gone
//! (the sweep revokes it by id), or nothing made at all.
//!
//! Any process of the user can write the file, and an entry directs byok to delete or
//! disable a key at the provider. So each entry is sealed with an HMAC keyed from the vault
//! identity ([`Seal`]); the sweep acts only on entries whose seal holds, and an edit keeps
//! the seal only of the entries byok wrote or checked. A forged entry naming the user's own
//! production key is ignored, with a warning.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fsutil::{self, WriteLock};

/// The largest record file read (a hostile or runaway file is refused, not parsed).
const MAX_FILE: u64 = 4 << 20;

/// Why a key was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// For one command (`exec --ephemeral`): revoked when it ends.
    Ephemeral,
    /// The new value of a stored secret (`rotate --via-provider`): kept once switched.
    Rotation,
    /// A proxy placeholder token's own key (`proxy token create --mint`): revoked with the
    /// token, or when it expires.
    Token,
}

/// Where a made key stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// About to be asked for; the provider may or may not have made it.
    Intent,
    /// Made; its id is known.
    Live,
    /// A rotation's key now stored as the secret's value: byok no longer owns its end.
    Switched,
    /// Revoked at the provider (or never made).
    Revoked,
}

/// One key byok made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Made {
    /// The unique name given at the provider (`byok-eph-<home>-<session>`).
    pub name: String,
    pub admin: String,
    pub purpose: Purpose,
    pub state: State,
    /// The byok process that made it and revokes it when its command ends.
    pub pid: u32,
    /// That process's start time (`/proc/PID/stat`), so a reused pid is not mistaken for it.
    #[serde(default)]
    pub pid_start: Option<u64>,
    #[serde(default)]
    pub key_id: Option<String>,
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub expires_at: Option<u64>,
    pub created: u64,
    #[serde(default)]
    pub reference: Option<String>,
    /// For [`Purpose::Token`]: the placeholder token it serves.
    #[serde(default)]
    pub token: Option<String>,
    /// The last failure to revoke it (retried by the next sweep).
    #[serde(default)]
    pub error: Option<String>,
    /// HMAC of every field but `error` ([`Seal`]).
    #[serde(default)]
    pub seal: Option<String>,
}

/// What happens to an old key when its grace period ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Retire {
    Disable,
    Delete,
}

/// An old key waiting for its grace period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub admin: String,
    pub reference: String,
    pub key_id: String,
    #[serde(default)]
    pub account: Option<String>,
    /// The provider's hint of it (`sk-or-v1-0e6…1c96`), for listings.
    #[serde(default)]
    pub hint: Option<String>,
    pub action: Retire,
    /// Unix time from which it is done.
    pub due: u64,
    /// `None` while waiting; `Some(true)` done, `Some(false)` cancelled by a rollback.
    #[serde(default)]
    pub done: Option<bool>,
    /// Whether it was disabled (so a rollback re-enables it).
    #[serde(default)]
    pub disabled: bool,
    #[serde(default)]
    pub error: Option<String>,
    /// HMAC of every field but `error` ([`Seal`]).
    #[serde(default)]
    pub seal: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    #[serde(default)]
    pub made: Vec<Made>,
    #[serde(default)]
    pub pending: Vec<Pending>,
}

pub fn path(home: &Path) -> PathBuf {
    home.join("admin-keys.json")
}

fn lock_path(home: &Path) -> PathBuf {
    home.join("admin-keys.lock")
}

/// Reads the record (empty when there is none).
pub fn read(home: &Path) -> Result<Record> {
    let path = path(home);
    match fsutil::read_bounded(&path, MAX_FILE) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| Error::Config {
            path: path.clone(),
            message: format!(
                "line {}, column {}: not a byok admin-key record ({}); it lists keys byok made \
                 at providers — fix or move it, then `byok admin sweep`",
                e.line(),
                e.column(),
                e.classify_name()
            ),
        }),
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            Ok(Record::default())
        }
        Err(e) => Err(e),
    }
}

/// The key that seals entries: an HMAC keyed from the vault identity, for this file only.
#[derive(Clone)]
pub struct Seal(hmac::Hmac<sha2::Sha256>);

const SEAL_CONTEXT: &[u8] = b"byok admin-keys.json seal\0";

impl Seal {
    pub fn new(identity: &age::x25519::Identity) -> Self {
        Seal(crate::unlock::identity_mac(identity, SEAL_CONTEXT))
    }

    /// The seal of this home (unlocking the vault if need be).
    pub fn of(ctx: &crate::context::Context) -> Result<Self> {
        Ok(Seal::new(&ctx.unlocker().get()?.identity))
    }

    fn mac(&self, bytes: &[u8]) -> String {
        use hmac::Mac;
        let mut mac = self.0.clone();
        mac.update(bytes);
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    fn check(&self, bytes: &[u8], seal: Option<&str>) -> bool {
        use subtle::ConstantTimeEq;
        seal.is_some_and(|s| self.mac(bytes).as_bytes().ct_eq(s.as_bytes()).into())
    }

    pub fn made_ok(&self, m: &Made) -> bool {
        self.check(&made_bytes(m), m.seal.as_deref())
    }

    pub fn pending_ok(&self, p: &Pending) -> bool {
        self.check(&pending_bytes(p), p.seal.as_deref())
    }
}

fn made_bytes(m: &Made) -> Vec<u8> {
    serde_json::to_vec(&(
        &m.name,
        &m.admin,
        m.purpose,
        m.state,
        m.pid,
        m.pid_start,
        &m.key_id,
        &m.account,
        m.expires_at,
        m.created,
        &m.reference,
        &m.token,
    ))
    .expect("serialises")
}

fn pending_bytes(p: &Pending) -> Vec<u8> {
    serde_json::to_vec(&(
        &p.admin,
        &p.reference,
        &p.key_id,
        &p.account,
        &p.hint,
        p.action,
        p.due,
        p.done,
        p.disabled,
    ))
    .expect("serialises")
}

/// Changes the record under its lock and writes it durably (temp, fsync, rename, dir fsync)
/// before returning: a key's intent is on disk before the provider is asked. Entries that
/// were sealed, and entries `change` adds, are sealed again; any other entry keeps a seal
/// that does not hold.
pub fn update<T>(home: &Path, seal: &Seal, change: impl FnOnce(&mut Record) -> T) -> Result<T> {
    let _lock = WriteLock::acquire(&lock_path(home))?;
    let mut record = read(home)?;
    let made_ok: Vec<bool> = record.made.iter().map(|m| seal.made_ok(m)).collect();
    let pending_ok: Vec<bool> = record.pending.iter().map(|p| seal.pending_ok(p)).collect();
    let out = change(&mut record);
    for (i, m) in record.made.iter_mut().enumerate() {
        if made_ok.get(i).copied().unwrap_or(true) {
            m.seal = Some(seal.mac(&made_bytes(m)));
        }
    }
    for (i, p) in record.pending.iter_mut().enumerate() {
        if pending_ok.get(i).copied().unwrap_or(true) {
            p.seal = Some(seal.mac(&pending_bytes(p)));
        }
    }
    // Entries settled for a week are dropped, so the file does not grow for ever.
    let week_ago = super::unix_now().saturating_sub(7 * 86_400);
    record
        .made
        .retain(|m| !matches!(m.state, State::Revoked | State::Switched) || m.created > week_ago);
    record
        .pending
        .retain(|p| p.done.is_none() || p.due > week_ago);
    let text = serde_json::to_vec_pretty(&record).expect("the record serialises");
    fsutil::write_atomic(&path(home), &text)?;
    Ok(out)
}

trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "unreadable",
            serde_json::error::Category::Syntax => "not JSON",
            serde_json::error::Category::Data => "a field has the wrong shape",
            serde_json::error::Category::Eof => "cut short",
        }
    }
}

/// This process, as a record names it.
pub fn this_process() -> (u32, Option<u64>) {
    let pid = std::process::id();
    (pid, start_time(pid))
}

/// Whether the process that made an entry still runs (same pid, same start time).
pub fn alive(pid: u32, start: Option<u64>) -> bool {
    #[cfg(target_os = "linux")]
    {
        match start_time(pid) {
            None => false,
            Some(now) => start.is_none_or(|s| s == now),
        }
    }
    #[cfg(all(unix, not(target_os = "linux")))]
    {
        let _ = start;
        rustix::process::Pid::from_raw(pid as i32)
            .is_some_and(|p| rustix::process::test_kill_process(p).is_ok())
    }
    #[cfg(not(unix))]
    {
        let _ = (pid, start);
        false
    }
}

/// The start time of `pid` in clock ticks since boot (field 22 of `/proc/PID/stat`).
fn start_time(pid: u32) -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // The command name (field 2) may hold spaces and parentheses: count after the last ')'.
        let rest = &stat[stat.rfind(')')? + 1..];
        rest.split_whitespace().nth(19)?.parse().ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pid;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_are_durable_and_settled_entries_age_out() {
        let dir = tempfile::tempdir().unwrap();
        let seal = Seal::new(&age::x25519::Identity::generate());
        let (pid, start) = this_process();
        update(dir.path(), &seal, |r| {
            r.made.push(Made {
                name: "byok-eph-x-1".into(),
                admin: "oa".into(),
                purpose: Purpose::Ephemeral,
                state: State::Intent,
                pid,
                pid_start: start,
                key_id: None,
                account: None,
                expires_at: None,
                created: super::super::unix_now(),
                reference: None,
                token: None,
                error: None,
                seal: None,
            });
            r.made.push(Made {
                name: "old".into(),
                state: State::Revoked,
                created: 5,
                ..r.made[0].clone()
            });
        })
        .unwrap();
        let back = read(dir.path()).unwrap();
        assert_eq!(back.made.len(), 1, "the week-old revoked entry ages out");
        assert_eq!(back.made[0].name, "byok-eph-x-1");
        assert!(seal.made_ok(&back.made[0]));
        // A forged entry (or a sealed one edited by hand) does not hold its seal, and an
        // update by byok does not bless it.
        let mut text: serde_json::Value =
            serde_json::from_slice(&std::fs::read(path(dir.path())).unwrap()).unwrap();
        text["made"][0]["key_id"] = "key_production".into();
        let mut forged = text["made"][0].clone();
        forged["name"] = "forged".into();
        forged["seal"] = serde_json::Value::Null;
        text["made"].as_array_mut().unwrap().push(forged);
        std::fs::write(path(dir.path()), serde_json::to_vec(&text).unwrap()).unwrap();
        update(dir.path(), &seal, |r| r.made[0].error = Some("x".into())).unwrap();
        let back = read(dir.path()).unwrap();
        assert!(
            !seal.made_ok(&back.made[0]),
            "an edited entry stays unsealed"
        );
        assert!(
            !seal.made_ok(&back.made[1]),
            "a forged entry stays unsealed"
        );
        let other = Seal::new(&age::x25519::Identity::generate());
        update(dir.path(), &seal, |_| ()).unwrap();
        assert!(!other.made_ok(&read(dir.path()).unwrap().made[0]));
        assert!(alive(pid, start));
        assert!(!alive(pid, start.map(|s| s + 1)));
        std::fs::write(path(dir.path()), b"{not json").unwrap();
        let err = read(dir.path()).unwrap_err().to_string();
        assert!(err.contains("line 1"), "{err}");
    }
}
