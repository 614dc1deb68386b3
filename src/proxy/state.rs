//! A running proxy on disk: one lock file per listen address (held for the proxy's life,
//! so a second proxy on the same address is refused, and a crashed one leaves nothing
//! held), and a status file next to it (pid, address, connectors, cooldowns) for
//! `byok proxy status`, `byok proxy stop`, `connector list` and `exec --via-proxy`.
//!
//! Both live in `BYOK_HOME/proxy/`, named after the address (`127.0.0.1_8787`).

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fsutil;

/// The proxy directory of a home.
pub fn dir(home: &Path) -> PathBuf {
    home.join("proxy")
}

fn stem(listen: &SocketAddr) -> String {
    listen
        .to_string()
        .replace(['[', ']'], "")
        .replace([':', '.'], "_")
}

pub fn lock_path(home: &Path, listen: &SocketAddr) -> PathBuf {
    dir(home).join(format!("{}.lock", stem(listen)))
}

pub fn status_path(home: &Path, listen: &SocketAddr) -> PathBuf {
    dir(home).join(format!("{}.json", stem(listen)))
}

pub fn log_path(home: &Path, listen: &SocketAddr) -> PathBuf {
    dir(home).join(format!("{}.log", stem(listen)))
}

/// The held lock of a running proxy.
#[derive(Debug)]
pub struct ProxyLock {
    _file: File,
}

impl ProxyLock {
    /// Takes the address's lock, or fails with [`Error::ProxyRunning`].
    pub fn acquire(home: &Path, listen: &SocketAddr) -> Result<Self> {
        fsutil::create_private_dir(home)?;
        fsutil::create_private_dir(&dir(home))?;
        let path = lock_path(home, listen);
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options
            .open(&path)
            .map_err(Error::io("open lock file", &path))?;
        match file.try_lock() {
            Ok(()) => Ok(ProxyLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::ProxyRunning {
                listen: listen.to_string(),
            }),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io("lock", &path)(e)),
        }
    }

    /// Whether a proxy holds the lock of `listen` now.
    pub fn held(home: &Path, listen: &SocketAddr) -> bool {
        let path = lock_path(home, listen);
        let Ok(file) = OpenOptions::new().read(true).write(true).open(&path) else {
            return false;
        };
        matches!(file.try_lock(), Err(std::fs::TryLockError::WouldBlock))
    }
}

/// What `proxy status` shows.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Status {
    pub pid: u32,
    pub listen: String,
    pub started: String,
    pub version: String,
    pub connectors: Vec<ConnectorStatus>,
    /// Set when the proxy runs agent-proof: what its process protections achieved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_proof: Option<super::agent_proof::StatusReport>,
    /// The last `byok proxy reload`, when one was asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reload: Option<ReloadStatus>,
    /// The tool APIs served at `/api/NAME/…`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub apis: Vec<ApiStatus>,
}

/// A tool API a running proxy serves (`[[api]]`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ApiStatus {
    pub name: String,
    pub base_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipe: Option<String>,
}

/// How the last reload went: the proxy routes with the new config only when `ok`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ReloadStatus {
    /// Reloads asked for since start (a waiting `proxy reload` sees it change).
    pub count: u64,
    pub at: String,
    pub ok: bool,
    /// Why it was refused or failed (the previous config is still served).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ConnectorStatus {
    pub name: String,
    pub wire: String,
    pub models: Vec<String>,
    /// RFC 3339 end of the cooldown, when cooling down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unhealthy_until: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

pub fn write_status(home: &Path, listen: &SocketAddr, status: &Status) -> Result<()> {
    let text = serde_json::to_vec_pretty(status).map_err(|e| Error::Encrypt(e.to_string()))?;
    fsutil::write_atomic(&status_path(home, listen), &text)
}

/// The status of the proxy at `listen`, if one runs there.
pub fn read_status(home: &Path, listen: &SocketAddr) -> Option<Status> {
    if !ProxyLock::held(home, listen) {
        return None;
    }
    let text = std::fs::read(status_path(home, listen)).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Every running proxy of this home.
pub fn running(home: &Path) -> Vec<Status> {
    let Ok(entries) = std::fs::read_dir(dir(home)) else {
        return Vec::new();
    };
    let mut out: Vec<Status> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter_map(|e| {
            let status: Status = serde_json::from_slice(&std::fs::read(e.path()).ok()?).ok()?;
            let listen: SocketAddr = status.listen.parse().ok()?;
            ProxyLock::held(home, &listen).then_some(status)
        })
        .collect();
    out.sort_by(|a, b| a.listen.cmp(&b.listen));
    out
}

/// Per connector name, the cooldown a running proxy reports (for `connector list`).
pub fn unhealthy(home: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for status in running(home) {
        for c in status.connectors {
            if let (Some(until), Some(reason)) = (c.unhealthy_until, c.reason) {
                out.insert(c.name, format!("{reason} until {until}"));
            }
        }
    }
    out
}
