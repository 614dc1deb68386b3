//! Agent-proof mode (`byok proxy --agent-proof`, or `agent_proof = true` under `[proxy]`):
//! an AI agent running as the same user can make API calls through the proxy but cannot
//! obtain a key, because the only thing holding the unlocked identity and the keys is this
//! non-dumpable process, and nothing on disk, in the environment or in a keyring can unlock
//! the vault without the passphrase.
//!
//! What this module owns:
//! * the start-up conditions ([`unmet_before_unlock`], [`unmet_store`]): each unmet one is
//!   reported with its fix, and the proxy refuses to start (exit 8);
//! * the passphrase, typed at the proxy's own prompt or read once from a file descriptor
//!   ([`read_passphrase`]); never from the environment, never written anywhere;
//! * the process checks after unlocking ([`check_process`]) and the memory-lock report that
//!   `byok proxy status` shows ([`StatusReport`]);
//! * the authentication of `proxy-tokens.age` ([`seal_tokens`], [`verify_tokens`]). The
//!   token file is encrypted to the vault's *public* recipient, which anyone may know, so
//!   encryption alone would let an agent that can write the file mint itself tokens. Every
//!   file byok writes therefore carries an HMAC-SHA256 keyed from the identity; an
//!   agent-proof proxy loads only files whose MAC verifies, so creating a token or changing
//!   a budget needs the identity, that is, the passphrase.
//!
//! Connectors are snapshotted at unlock: the proxy reads `config.toml` once, so a later
//! edit (a connector's `base_url` pointed at a listener of the agent's) changes nothing until
//! the proxy is restarted with the passphrase.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use hmac::{Hmac, Mac};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::settings::Settings;
use crate::unlock::IdentitySource;

use super::token::TokenDoc;

/// One unmet condition: what does not hold, and how to fix it.
pub type Unmet = (String, String);

/// What a start-up condition found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "state", content = "detail")]
pub enum State {
    Met,
    /// It does not hold: what was found.
    Unmet(String),
    /// byok could not find out (the answer was neither yes nor no): refused like unmet.
    CannotVerify(String),
}

/// One start-up condition of agent-proof mode, as `byok proxy --agent-proof --check` prints it.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    /// What must hold, in words.
    pub condition: &'static str,
    pub state: State,
    /// How to make it hold (for unmet and cannot-verify).
    pub fix: String,
}

impl Check {
    fn new(condition: &'static str, state: State, fix: impl Into<String>) -> Self {
        Check {
            condition,
            state,
            fix: fix.into(),
        }
    }

    /// The condition as the refusal names it, when it does not hold.
    pub fn unmet(&self) -> Option<Unmet> {
        match &self.state {
            State::Met => None,
            State::Unmet(found) => Some((found.clone(), self.fix.clone())),
            State::CannotVerify(why) => Some((
                format!("cannot verify that {}: {why}", self.condition),
                self.fix.clone(),
            )),
        }
    }
}

/// Variables that would let a same-user process unlock the vault or a store, or change what
/// runs.
const UNLOCKING_VARIABLES: &[&str] = &[
    crate::paths::ENV_PASSPHRASE,
    crate::paths::ENV_PASSPHRASE_FILE,
    crate::paths::ENV_IDENTITY_FILE,
    crate::paths::ENV_STORE_PASSPHRASE_FILE,
];
const LOADER_VARIABLES: &[&str] = &["LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT"];
const TEAM_TOKEN_VARIABLES: &[&str] = &["BAO_TOKEN", "VAULT_TOKEN"];

/// Whether this run is agent-proof: the flag, or `[proxy] agent_proof = true`.
pub fn enabled(flag: bool, config: &crate::config::Config) -> bool {
    flag || config.proxy().agent_proof
}

/// The conditions checked before the passphrase is asked for.
pub fn unmet_before_unlock(settings: &Settings, accept_ptrace: bool) -> Vec<Unmet> {
    checks_before_unlock(settings, accept_ptrace)
        .iter()
        .filter_map(Check::unmet)
        .collect()
}

/// Every condition checked before the passphrase is asked for, met or not.
pub fn checks_before_unlock(settings: &Settings, accept_ptrace: bool) -> Vec<Check> {
    let paths = &settings.paths;
    let mut checks = Vec::new();
    let met_if = |unmet: Option<String>| unmet.map_or(State::Met, State::Unmet);

    checks.push(Check::new(
        "the system is Linux (agent-proof mode relies on its process controls)",
        met_if((!cfg!(target_os = "linux")).then(|| {
            format!(
                "agent-proof mode is implemented on Linux only (this is {})",
                std::env::consts::OS
            )
        })),
        "run the agent-proof proxy on Linux; here, `byok exec --via-proxy` still hands agents \
         placeholders instead of keys, but an agent running as you can read the vault",
    ));

    checks.push(Check::new(
        "the identity is behind a passphrase (identity.age)",
        met_if(
            (!paths.identity_age().exists())
                .then(|| "the vault is not passphrase-protected (no identity.age)".to_owned()),
        ),
        "protect the identity with a passphrase: `byok init` without --no-passphrase on a new home",
    ));
    checks.push(Check::new(
        "no plain-text identity (identity.txt)",
        met_if(paths.identity_txt().exists().then(|| {
            format!(
                "identity.txt holds the vault identity in plain text ({})",
                paths.identity_txt().display()
            )
        })),
        "move it behind a passphrase (age -p identity.txt > identity.age), then delete identity.txt",
    ));
    let set = |name: &str| settings.parent_env.get(name).is_some_and(|v| !v.is_empty());
    for name in UNLOCKING_VARIABLES {
        checks.push(Check::new(
            "no passphrase, identity or store passphrase file in the environment",
            met_if(set(name).then(|| format!("{name} is set in the environment"))),
            format!(
                "unset {name}: the proxy takes the passphrase at its own prompt or from --passphrase-fd"
            ),
        ));
    }
    for name in LOADER_VARIABLES {
        checks.push(Check::new(
            "no variable that loads code into the proxy",
            met_if(set(name).then(|| format!("{name} is set (it loads code into the proxy)"))),
            format!("unset {name} before starting the proxy"),
        ));
    }
    checks.push(Check::new(
        "no session-cache entry (byok unlock) in this session",
        match crate::unlock::session_cache::load(&crate::unlock::cache_name(settings)) {
            Ok(None) => State::Met,
            Ok(Some(_)) => State::Unmet(
                "a session-cache entry holds the unlocked identity (byok unlock)".into(),
            ),
            Err(e) => State::CannotVerify(format!("the kernel keyring did not answer ({e})")),
        },
        "run `byok lock`: any process of this session could read the cached identity",
    ));
    checks.push(Check::new(
        "no `byok unlock` session cache alive in another session",
        match crate::unlock::marker::live_until(settings) {
            None => State::Met,
            Some(until) => State::Unmet(format!(
                "`byok unlock` ran and its session cache may live until {} in the session that ran it",
                humantime::format_rfc3339_seconds(until)
            )),
        },
        "run `byok lock` in the terminal where you ran `byok unlock` (an agent using that \
         terminal can read the cached identity), or wait until it expires",
    ));
    checks.push(Check::new(
        "the OS keychain does not hold the vault identity",
        keychain_identity_state(settings),
        "run `byok keychain forget` (any process of yours can read the keychain); if the \
         keychain cannot be reached, start the proxy where it can (in a service: \
         DBUS_SESSION_BUS_ADDRESS of your session)",
    ));
    for name in TEAM_TOKEN_VARIABLES {
        checks.push(Check::new(
            "no team-store token in the environment",
            met_if(set(name).then(|| format!("a team-store token is set in {name}"))),
            format!("unset {name}: every process of yours could use it to read the team store"),
        ));
    }
    if let Some(home) = &settings.user_home {
        let file = home.join(".vault-token");
        checks.push(Check::new(
            "no team-store token in ~/.vault-token",
            met_if(
                std::fs::metadata(&file)
                    .is_ok_and(|m| m.len() > 0)
                    .then(|| format!("a team-store token lies in {}", file.display())),
            ),
            format!(
                "delete {} (`bao token revoke -self` first): every process of yours can read it",
                file.display()
            ),
        ));
    }
    let (state, fix) = match std::env::current_exe() {
        Ok(exe) => (
            met_if(
                writable_chain(&exe)
                    .map(|reason| format!("the byok binary can be replaced by you: {reason}")),
            ),
            format!(
                "install byok where your user cannot write, e.g. `sudo install -m 0755 -o root {} /usr/local/bin/byok`, and start that one",
                exe.display()
            ),
        ),
        Err(e) => (
            State::CannotVerify(format!("the byok binary cannot be located ({e})")),
            "run byok from a file path (not a deleted or memory-only binary)".to_owned(),
        ),
    };
    checks.push(Check::new(
        "the byok binary cannot be replaced by you",
        state,
        fix,
    ));
    checks.push(Check::new(
        "no process traces the proxy",
        match tracer() {
            Ok(None) => State::Met,
            Ok(Some(tracer)) => State::Unmet(format!("the proxy is traced (ptrace) by {tracer}")),
            Err(why) => State::CannotVerify(why),
        },
        "start the proxy from a shell nothing traces: a tracer attached to your shell follows \
         it into the proxy and can read its memory",
    ));
    checks.push(Check::new(
        "the kernel restricts ptrace (Yama ptrace_scope 1 or more)",
        match ptrace_scope() {
            Some(scope) if scope >= 1 => State::Met,
            _ if accept_ptrace => State::Met,
            Some(scope) => State::Unmet(format!(
                "Yama's ptrace_scope is {scope}: any process of yours may trace another"
            )),
            None => State::Unmet(
                "the kernel has no Yama ptrace restriction: any process of yours may trace another"
                    .into(),
            ),
        },
        "`sudo sysctl -w kernel.yama.ptrace_scope=1` (persist it in /etc/sysctl.d/): otherwise \
         an agent can trace the terminal you type the passphrase in; or accept that risk with \
         --accept-same-user-ptrace",
    ));
    checks
}

/// The process tracing this one, from `TracerPid` in /proc/self/status (`None`: none).
pub fn tracer() -> std::result::Result<Option<String>, String> {
    let status = std::fs::read_to_string("/proc/self/status")
        .map_err(|e| format!("/proc/self/status cannot be read ({e})"))?;
    let pid: u32 = status
        .lines()
        .find_map(|l| l.strip_prefix("TracerPid:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| "/proc/self/status has no TracerPid".to_owned())?;
    if pid == 0 {
        return Ok(None);
    }
    let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
    let name = crate::term::sanitize::line(name.trim()).into_owned();
    Ok(Some(if name.is_empty() {
        format!("process {pid}")
    } else {
        format!("process {pid} ({name})")
    }))
}

/// Yama's `ptrace_scope`, `None` when the kernel has no Yama.
fn ptrace_scope() -> Option<u8> {
    std::fs::read_to_string("/proc/sys/kernel/yama/ptrace_scope")
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Why this process must stop serving now, if it must: a tracer attached, or it became
/// dumpable (checked every second while an agent-proof proxy serves).
pub fn compromised() -> Option<String> {
    if let Ok(Some(tracer)) = tracer() {
        return Some(format!("the proxy is being traced by {tracer}"));
    }
    if crate::os::hardening::is_non_dumpable() != Some(true) {
        return Some("the proxy became dumpable".into());
    }
    None
}

/// Starts the watchdog of an agent-proof proxy: every second, [`compromised`]; on a finding
/// the process says why, overwrites the keys and the identity with zeros and exits at once
/// (exit 8) — see [`crate::os::memlock::wipe_and_exit`].
pub fn start_watchdog() {
    let _ = std::thread::Builder::new()
        .name("byok-agent-proof-watchdog".into())
        .spawn(|| {
            loop {
                std::thread::sleep(std::time::Duration::from_secs(1));
                if let Some(why) = compromised() {
                    eprintln!("byok proxy: agent-proof: {why}; stopping now");
                    crate::os::memlock::wipe_and_exit(8);
                }
            }
        });
}

/// Team stores whose `byok store login` token sits in the OS keychain, where any process of
/// the user can read it: one check per OpenBao store.
pub fn checks_team_logins(settings: &Settings, config: &crate::config::Config) -> Vec<Check> {
    let ids = crate::store::keychain::HomeId::new(settings.paths.home_id());
    let Ok(home_id) = ids.get() else {
        return Vec::new();
    };
    config
        .stores()
        .iter()
        .filter(|s| s.kind == "openbao")
        .map(|s| {
            let account = crate::store::openbao::auth::account(home_id, &s.name);
            let state = match crate::os::keychain::get(crate::store::keychain::SERVICE, &account)
            {
                Ok(None) => State::Met,
                Ok(Some(_)) => State::Unmet(format!(
                    "the login token of team store '{}' is held in the OS keychain",
                    s.name
                )),
                Err(e) if session_bus_exists(settings) => {
                    State::CannotVerify(format!("the OS keychain did not answer ({e})"))
                }
                Err(_) => State::Met,
            };
            Check::new(
                "no team-store login token in the OS keychain",
                state,
                format!(
                    "remove that keychain item (service byok, account {account}): any process of yours can read it"
                ),
            )
        })
        .collect()
}

/// The condition on a served secret's store, checked once the registry can say where it
/// lives (before its value is read): the store must be on the allow-list
/// ([`crate::store::Store::agent_proof_safe`]).
pub fn unmet_store(reference: &str, store: &dyn crate::store::Store) -> Option<Unmet> {
    store.agent_proof_safe().err().map(|why| {
        (
            format!(
                "the key '{reference}' lives in the store '{}', and {why}",
                store.name()
            ),
            format!(
                "move it into the vault (`byok secret move {reference} --to vault`), which only \
                 the passphrase typed at the proxy opens"
            ),
        )
    })
}

fn keychain_identity_state(settings: &Settings) -> State {
    use crate::store::keychain::SERVICE;
    let mut accounts = vec![crate::unlock::legacy_keychain_account(settings)];
    // Without a home id nothing was remembered under the current name.
    if let Ok(account) = crate::unlock::keychain_account(settings) {
        accounts.push(account);
    }
    for account in accounts {
        match crate::os::keychain::get(SERVICE, &account) {
            Ok(None) => {}
            Ok(Some(_)) => {
                return State::Unmet(
                    "the OS keychain holds the vault identity (byok keychain remember)".into(),
                );
            }
            // Only a definite "absent" counts: a keychain that did not answer may hold it,
            // and the agent (in your desktop session) may reach it. On Linux the keychain is
            // a service of the user's session bus: with none at all, nothing can reach one.
            Err(e) if session_bus_exists(settings) => {
                return State::CannotVerify(format!("the OS keychain did not answer ({e})"));
            }
            Err(_) => {}
        }
    }
    State::Met
}

/// Whether this user has a D-Bus session bus anywhere (the environment names one, or the
/// systemd user bus socket exists): then the Secret Service may be reachable by the agent.
fn session_bus_exists(settings: &Settings) -> bool {
    if settings
        .parent_env
        .get("DBUS_SESSION_BUS_ADDRESS")
        .is_some_and(|v| !v.is_empty())
    {
        return true;
    }
    #[cfg(unix)]
    {
        let uid = rustix::process::getuid().as_raw();
        std::path::Path::new(&format!("/run/user/{uid}/bus")).exists()
    }
    #[cfg(not(unix))]
    true
}

/// Why the user can replace `exe`, if they can: the file or a directory on its path is
/// writable by them or owned by them. A writable directory with the sticky bit (`/tmp`)
/// is fine when the entry below it is not theirs: only its owner may rename it.
pub fn writable_chain(exe: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use rustix::fs::{Access, Mode, access, stat};
        let uid = rustix::process::geteuid();
        let mut path: PathBuf = exe.to_path_buf();
        let mut first = true;
        loop {
            let Ok(meta) = stat(&path) else {
                return Some(format!("{} cannot be examined", path.display()));
            };
            let what = if first { "the file" } else { "the directory" };
            if meta.st_uid == uid.as_raw() {
                return Some(format!("{what} {} is owned by you", path.display()));
            }
            if access(&path, Access::WRITE_OK).is_ok() {
                let sticky = Mode::from_raw_mode(meta.st_mode).contains(Mode::SVTX);
                if first || !sticky {
                    return Some(format!("{what} {} is writable by you", path.display()));
                }
            }
            first = false;
            match path.parent() {
                Some(parent) if parent != path => path = parent.to_path_buf(),
                _ => return None,
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = exe;
        Some("agent-proof mode is implemented on Linux only".into())
    }
}

/// Largest passphrase read from a descriptor.
const MAX_PASSPHRASE: u64 = 4096;

/// `--passphrase-fd N`: descriptor N, inherited from the parent, taken over as a file.
/// Called first thing in `byok proxy`, before byok opens any descriptor of its own, so N
/// cannot name one of byok's files.
pub struct PassphraseFd {
    fd: u32,
    file: std::fs::File,
}

/// Takes descriptor `fd` over (it is closed once read).
pub fn take_passphrase_fd(fd: u32) -> Result<PassphraseFd> {
    let refused = |why: &str| Error::AgentProofRefused {
        reason: format!("--passphrase-fd {fd} {why}"),
    };
    if fd == 1 || fd == 2 {
        return Err(refused(
            "is stdout or stderr; pass the descriptor holding the passphrase",
        ));
    }
    let raw = i32::try_from(fd).map_err(|_| refused("is not a descriptor number"))?;
    let file = imp::take(raw).ok_or_else(|| refused("is not an open file descriptor"))?;
    Ok(PassphraseFd { fd, file })
}

#[cfg(unix)]
mod imp {
    use std::os::fd::FromRawFd;

    // Taking a descriptor over by number is `unsafe` in Rust's I/O-safety model: nothing
    // else may own it. It is called before byok opens any file, so an open descriptor is
    // one the parent handed down for us (the passphrase), and only this File owns it.
    #[allow(unsafe_code)]
    pub fn take(fd: i32) -> Option<std::fs::File> {
        if fd < 0 {
            return None;
        }
        // SAFETY: borrowed for one F_GETFD, which reads no memory and only reports whether
        // `fd` is open; `fd` is not -1 (checked above).
        let borrowed = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
        if rustix::io::fcntl_getfd(borrowed).is_err() {
            return None;
        }
        // SAFETY: `fd` is open (checked above) and owned by nothing else in this process
        // (see above); the File closes it when dropped.
        Some(unsafe { std::fs::File::from_raw_fd(fd) })
    }
}

#[cfg(not(unix))]
mod imp {
    pub fn take(_fd: i32) -> Option<std::fs::File> {
        None
    }
}

/// The passphrase: read once from `fd` (its first line), else typed at the terminal
/// prompt. Never from the environment.
pub fn read_passphrase(
    settings: &Settings,
    fd: Option<PassphraseFd>,
) -> Result<(SecretString, IdentitySource)> {
    if let Some(PassphraseFd { fd, file }) = fd {
        let path = PathBuf::from(format!("descriptor {fd}"));
        let mut bytes = Zeroizing::new(Vec::new());
        file.take(MAX_PASSPHRASE + 1)
            .read_to_end(&mut bytes)
            .map_err(Error::io("read the passphrase from", &path))?;
        if bytes.len() as u64 > MAX_PASSPHRASE {
            return Err(Error::AgentProofRefused {
                reason: format!("--passphrase-fd {fd} gave more than {MAX_PASSPHRASE} bytes"),
            });
        }
        let text = std::str::from_utf8(&bytes).map_err(|_| Error::AgentProofRefused {
            reason: format!("--passphrase-fd {fd} gave text that is not UTF-8"),
        })?;
        let first = text.lines().next().unwrap_or("");
        if first.is_empty() {
            return Err(Error::EmptyPassphrase);
        }
        return Ok((SecretString::from(first), IdentitySource::PassphraseFile));
    }
    if !settings.interactive() {
        return Err(Error::AgentProofRefused {
            reason: "no terminal to type the vault passphrase on".into(),
        });
    }
    let typed = crate::prompt::password("Vault passphrase (agent-proof proxy)")?;
    Ok((typed, IdentitySource::Prompt))
}

/// Checks that the process is still non-dumpable with no core files, after unlocking;
/// hardens it again first, should anything have undone it.
pub fn check_process() -> Result<(bool, bool)> {
    if crate::os::hardening::is_non_dumpable() != Some(true) || !core_limit_zero() {
        crate::os::hardening::harden_process();
    }
    let non_dumpable = crate::os::hardening::is_non_dumpable() == Some(true);
    let no_core = core_limit_zero();
    if !non_dumpable {
        return Err(Error::AgentProofRefused {
            reason: "the process could not be made non-dumpable (PR_SET_DUMPABLE): same-user \
                     processes could read its memory"
                .into(),
        });
    }
    if !no_core {
        return Err(Error::AgentProofRefused {
            reason: "the core-file size limit could not be set to 0".into(),
        });
    }
    Ok((non_dumpable, no_core))
}

fn core_limit_zero() -> bool {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, getrlimit};
        getrlimit(Resource::Core).current == Some(0)
    }
    #[cfg(not(unix))]
    false
}

/// What `byok proxy status` shows of an agent-proof proxy.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct StatusReport {
    pub non_dumpable: bool,
    pub core_limit_zero: bool,
    /// Whether every page holding the identity and the keys was locked.
    pub memory_locked: bool,
    /// The memory-lock outcome in words.
    pub memory: String,
    /// The process tracing the proxy right now, if any (the watchdog stops it within a
    /// second of one attaching).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traced_by: Option<String>,
}

static REPORT: OnceLock<StatusReport> = OnceLock::new();

/// Records this process's report (once, at unlock).
pub fn set_report(report: StatusReport) {
    let _ = REPORT.set(report);
}

/// This process's report, when it runs agent-proof.
/// What `proxy status` shows: the memory-lock outcome from start-up, and the process's state
/// read again now (dumpable flag, core limit, tracer), never the start-up snapshot of it.
pub fn report() -> Option<StatusReport> {
    let mut report = REPORT.get().cloned()?;
    report.non_dumpable = crate::os::hardening::is_non_dumpable() == Some(true);
    report.core_limit_zero = core_limit_zero();
    report.traced_by = tracer().unwrap_or_else(Some);
    Some(report)
}

// ---- token-file authentication ------------------------------------------------------------

const MAC_CONTEXT: &[u8] = b"byok proxy-tokens.age mac v1\0";

fn mac_of(identity: &age::x25519::Identity, doc: &TokenDoc) -> Result<Hmac<Sha256>> {
    // The MAC covers the document without its `mac` field, as serde writes it.
    let mut value = serde_json::to_value(doc).map_err(|e| Error::Encrypt(e.to_string()))?;
    if let Some(map) = value.as_object_mut() {
        map.remove("mac");
    }
    let bytes =
        Zeroizing::new(serde_json::to_vec(&value).map_err(|e| Error::Encrypt(e.to_string()))?);
    let mut mac = crate::unlock::identity_mac(identity, MAC_CONTEXT);
    mac.update(&bytes);
    Ok(mac)
}

/// Sets `doc.mac` for the identity (every write of the token file does this).
pub fn seal_tokens(identity: &age::x25519::Identity, doc: &mut TokenDoc) -> Result<()> {
    doc.mac = None;
    let tag = mac_of(identity, doc)?.finalize().into_bytes();
    doc.mac = Some(tag.iter().map(|b| format!("{b:02x}")).collect());
    Ok(())
}

/// Checks `doc.mac`: a wrong one is always refused, a missing one when `required`.
/// Returns the reason to report.
pub fn verify_tokens(
    identity: &age::x25519::Identity,
    doc: &TokenDoc,
    required: bool,
) -> std::result::Result<(), String> {
    let Some(text) = &doc.mac else {
        return if required {
            Err(
                "it carries no authentication code (not written with the vault identity); \
                 the agent-proof proxy ignores it"
                    .into(),
            )
        } else {
            Ok(())
        };
    };
    let tag = unhex(text).ok_or_else(|| "its authentication code is malformed".to_owned())?;
    let mac = mac_of(identity, doc).map_err(|e| e.to_string())?;
    mac.verify_slice(&tag).map_err(|_| {
        "its authentication code does not match (it was not written with the vault identity)"
            .to_owned()
    })
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// Whether the vault records this home as agent-proof (see
/// [`crate::store::vault::doc::Policy::agent_proof`]).
pub fn home_is_agent_proof(ctx: &crate::context::Context) -> Result<bool> {
    let vault = ctx.registry()?.home_vault();
    Ok(vault.policy("home")?.and_then(|p| p.agent_proof) == Some(true))
}

/// Records in the vault that this home is agent-proof (or no longer is).
pub fn record_home(ctx: &crate::context::Context, on: bool) -> Result<()> {
    let vault = ctx.registry()?.home_vault();
    vault.modify(|doc| {
        doc.policy.entry("home".to_owned()).or_default().agent_proof = on.then_some(true);
        Ok(())
    })
}

/// Refuses a way to unlock without the passphrase (`byok unlock`, `keychain remember`) on a
/// home the vault records as agent-proof: it would hand the identity to every process of
/// the session, the agent's included.
pub fn refuse_cached_unlock(ctx: &crate::context::Context, what: &str) -> Result<()> {
    if home_is_agent_proof(ctx)? {
        return Err(Error::AgentProofRefused {
            reason: format!(
                "this home is agent-proof (the vault records it since an agent-proof proxy \
                 started here): {what} would hand the identity to every process of your session. \
                 Leave agent-proof mode first with `byok proxy agent-proof off` (needs the \
                 passphrase)"
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proxy::token::TokenRecord;

    fn doc() -> TokenDoc {
        let mut doc = TokenDoc {
            byok_proxy_tokens: 1,
            ..Default::default()
        };
        doc.tokens.insert(
            "agent".into(),
            TokenRecord {
                sha256: "ab".repeat(32),
                created: "2026-01-01T00:00:00Z".into(),
                expires: None,
                models: vec![],
                budget: None,
                minted: None,
                apis: vec![],
                api_only: false,
            },
        );
        doc
    }

    #[test]
    fn a_sealed_document_verifies_and_a_changed_one_does_not() {
        let identity = age::x25519::Identity::generate();
        let mut d = doc();
        assert!(verify_tokens(&identity, &d, false).is_ok());
        assert!(verify_tokens(&identity, &d, true).is_err());
        seal_tokens(&identity, &mut d).unwrap();
        assert!(verify_tokens(&identity, &d, true).is_ok());
        // Another identity (an agent's own) cannot produce a valid code.
        let other = age::x25519::Identity::generate();
        assert!(verify_tokens(&other, &d, true).is_err());
        // A token added after sealing breaks the code.
        let mut forged = doc();
        forged.mac = d.mac.clone();
        forged.tokens.insert(
            "minted".into(),
            d.tokens.get("agent").cloned().expect("inserted above"),
        );
        assert!(verify_tokens(&identity, &forged, false).is_err());
        forged.mac = Some("zz".repeat(32));
        assert!(verify_tokens(&identity, &forged, false).is_err());
    }

    #[test]
    fn a_binary_in_a_directory_of_the_user_is_replaceable() {
        let dir = tempfile::tempdir().unwrap();
        let exe = dir.path().join("byok");
        std::fs::write(&exe, b"x").unwrap();
        let reason = writable_chain(&exe).expect("a temp file of ours");
        assert!(reason.contains("owned by you"), "{reason}");
    }

    #[test]
    fn a_check_names_what_it_found_or_why_it_could_not_tell() {
        let met = Check::new("c", State::Met, "f");
        assert_eq!(met.unmet(), None);
        let unmet = Check::new("c", State::Unmet("found x".into()), "fix x");
        assert_eq!(unmet.unmet(), Some(("found x".into(), "fix x".into())));
        let unknown = Check::new(
            "the keychain is empty",
            State::CannotVerify("no answer".into()),
            "f",
        );
        let (condition, _) = unknown.unmet().unwrap();
        assert_eq!(
            condition,
            "cannot verify that the keychain is empty: no answer"
        );
    }

    #[test]
    fn this_test_process_is_not_traced_unless_it_is() {
        // Under a debugger this is Some: the answer must match /proc either way.
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let traced = !status.contains("TracerPid:\t0\n");
        assert_eq!(tracer().unwrap().is_some(), traced);
    }
}
