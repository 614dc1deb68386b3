//! The unlock marker: `BYOK_HOME/unlocked-sessions`, one line per live `byok unlock` — its
//! expiry (RFC 3339) and a random id — never the identity. A session cache lives in the
//! kernel keyring of the session that ran `byok unlock`, where no other session can see it;
//! the marker lets an agent-proof proxy (in its own session) know that one may still live
//! elsewhere — in a terminal an agent uses — and refuse to start instead of claiming "no
//! session cache". `byok lock` removes its own session's line (the id is kept in that
//! session's keyring beside the cached identity); lines past their expiry are ignored and
//! dropped by the next write.

use std::time::{Duration, SystemTime};

use crate::error::Result;
use crate::fsutil;
use crate::settings::Settings;

/// The marker file of a home.
fn path(settings: &Settings) -> std::path::PathBuf {
    settings.paths.home().join("unlocked-sessions")
}

/// The session-cache key holding this session's marker id.
fn id_key(settings: &Settings) -> String {
    format!("{}-marker", super::cache_name(settings))
}

/// The live lines: (expiry, id).
fn live(settings: &Settings, now: SystemTime) -> Vec<(SystemTime, String)> {
    let text = std::fs::read_to_string(path(settings)).unwrap_or_default();
    text.lines()
        .filter_map(|line| {
            let (time, id) = line.split_once(' ')?;
            let expiry = humantime::parse_rfc3339(time).ok()?;
            (expiry > now).then(|| (expiry, id.to_owned()))
        })
        .collect()
}

fn write(settings: &Settings, lines: &[(SystemTime, String)]) -> Result<()> {
    let text: String = lines
        .iter()
        .map(|(expiry, id)| format!("{} {id}\n", humantime::format_rfc3339_seconds(*expiry)))
        .collect();
    if text.is_empty() {
        match std::fs::remove_file(path(settings)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(crate::error::Error::io("remove", &path(settings))(e));
            }
            _ => return Ok(()),
        }
    }
    fsutil::write_atomic(&path(settings), text.as_bytes())
}

/// Records a session cache living for `ttl` (after `byok unlock` stored it).
pub fn record(settings: &Settings, ttl: Duration) -> Result<()> {
    let _lock = fsutil::WriteLock::acquire(&settings.paths.lock())?;
    let now = SystemTime::now();
    let mut id = [0u8; 8];
    getrandom::fill(&mut id).map_err(|e| crate::error::Error::Usage(e.to_string()))?;
    let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
    let mut lines = live(settings, now);
    // Rounded up: the marker must not expire before the cache does.
    lines.push((now + ttl + Duration::from_secs(1), id.clone()));
    write(settings, &lines)?;
    let _ = super::session_cache::store(&id_key(settings), &id.into(), ttl);
    Ok(())
}

/// Removes this session's line (after `byok lock` cleared its cache).
pub fn remove_own(settings: &Settings) -> Result<()> {
    let Ok(Some(id)) = super::session_cache::load(&id_key(settings)) else {
        return Ok(());
    };
    let _ = super::session_cache::clear(&id_key(settings));
    let _lock = fsutil::WriteLock::acquire(&settings.paths.lock())?;
    let id = secrecy::ExposeSecret::expose_secret(&id).to_owned();
    let lines: Vec<_> = live(settings, SystemTime::now())
        .into_iter()
        .filter(|(_, line_id)| *line_id != id)
        .collect();
    write(settings, &lines)
}

/// The latest expiry of a session cache that may still live in some session.
pub fn live_until(settings: &Settings) -> Option<SystemTime> {
    live(settings, SystemTime::now())
        .into_iter()
        .map(|(expiry, _)| expiry)
        .max()
}
