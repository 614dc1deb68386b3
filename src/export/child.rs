//! Running a command with keys in its environment (`byok exec`).
//!
//! Two ways, both without `unsafe`:
//! * [`replace`] (Unix, no redaction): byok `exec`s the command, which takes over byok's
//!   process. Signals then reach the command directly, its exit status is the one the
//!   caller sees, and no byok code stays resident holding the keys.
//! * [`supervise`] (`--redact`, and everywhere on Windows): byok stays the command's parent,
//!   pipes its stdout and stderr through a [`Redactor`], forwards SIGINT/SIGTERM/SIGHUP/SIGQUIT
//!   to it, and returns its exit code (128 + N when a signal N killed it, as shells report).
//!
//! The child's environment is built from scratch (`env_clear`), so only what the caller
//! passes reaches it; argv never carries a value.

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::error::{Error, Result};
use crate::export::stream_redact::Redactor;
use crate::paths;
use crate::settings::ParentEnv;

/// Never passed on to a program byok runs, by any path (`exec`, `exec --via-proxy`, the
/// agent-proof exec): the program gets the keys it asked for, never the means to unlock
/// or read the rest — the passphrase, the files that hold it or an identity, the tokens of
/// team stores (docs/teams.md, "Teams on OpenBao") — nor byok's own control variables.
/// `BYOK_HOME`, `BYOK_ENV`, `BYOK_WORKSPACE` and `BYOK_REVEAL` pass: they only select or
/// tighten, so a byok the program runs sees the same home the same way.
pub const NEVER_INHERITED: &[&str] = &[
    paths::ENV_PASSPHRASE,
    paths::ENV_PASSPHRASE_FILE,
    paths::ENV_IDENTITY_FILE,
    paths::ENV_STORE_PASSPHRASE_FILE,
    "BAO_TOKEN",
    "VAULT_TOKEN",
    paths::ENV_PROXY_TOKEN,
    paths::ENV_FAULT,
    paths::ENV_TEST_NOW,
];

/// Taken out of a child's environment when `config.toml` declares an AWS Secrets Manager
/// store (none of its `[[store]]` tables saying `pass_credentials = "true"`): with them the
/// program could read every secret of the team store, not only the keys it was given.
pub const AWS_CREDENTIALS: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
];

/// Whether `exec` strips [`AWS_CREDENTIALS`] for this config.
pub fn strips_aws_credentials(config: &crate::config::Config) -> bool {
    let aws: Vec<_> = config
        .stores()
        .iter()
        .filter(|s| s.kind == "aws-secrets-manager")
        .collect();
    !aws.is_empty()
        && !aws.iter().any(|s| {
            s.settings
                .get("pass_credentials")
                .is_some_and(|v| v == "true")
        })
}

/// Takes [`AWS_CREDENTIALS`] out of a child's environment when the config says so: every
/// command that runs a program calls this, so no path hands a team store's credentials on.
pub fn strip_store_credentials(
    config: &crate::config::Config,
    env: &mut Vec<(OsString, OsString)>,
) {
    if strips_aws_credentials(config) {
        env.retain(|(n, _)| !AWS_CREDENTIALS.iter().any(|a| n == a));
    }
}

/// What `--clean-env` keeps from byok's environment (besides the keys).
#[cfg(not(windows))]
pub const CLEAN_ENV_KEEP: &[&str] = &["PATH", "HOME", "TERM"];
/// Windows programs fail to start without `SystemRoot`, so it is kept too.
#[cfg(windows)]
pub const CLEAN_ENV_KEEP: &[&str] = &["PATH", "HOME", "TERM", "SystemRoot"];

/// The one place a child's environment is built: byok's own environment (only
/// [`CLEAN_ENV_KEEP`] with `clean`) without [`NEVER_INHERITED`], then `exports` on top (a
/// later export of a name replaces an earlier one and the inherited one).
pub fn environment(
    parent: &ParentEnv,
    clean: bool,
    exports: impl IntoIterator<Item = (OsString, OsString)>,
) -> Vec<(OsString, OsString)> {
    let mut env: Vec<(OsString, OsString)> = parent
        .iter()
        .filter(|(name, _)| !NEVER_INHERITED.iter().any(|n| name == n))
        .filter(|(name, _)| !clean || CLEAN_ENV_KEEP.iter().any(|n| name == n))
        .map(|(name, value)| (name.to_os_string(), value.to_os_string()))
        .collect();
    for (name, value) in exports {
        env.retain(|(n, _)| *n != name);
        env.push((name, value));
    }
    env
}

/// What to run and with which environment.
pub struct ChildSpec {
    pub program: OsString,
    pub args: Vec<OsString>,
    /// The complete environment of the child.
    pub env: Vec<(OsString, OsString)>,
}

impl std::fmt::Debug for ChildSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The environment holds the keys: names only.
        f.debug_struct("ChildSpec")
            .field("program", &self.program)
            .field("args", &self.args)
            .field("env", &self.env.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .finish()
    }
}

impl ChildSpec {
    fn command(&self) -> Command {
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.args)
            .env_clear()
            .envs(self.env.iter().cloned());
        cmd
    }

    fn program_name(&self) -> String {
        self.program.to_string_lossy().into_owned()
    }

    fn path_var(&self) -> Option<&OsStr> {
        self.env
            .iter()
            .find(|(k, _)| k == "PATH")
            .map(|(_, v)| v.as_os_str())
    }

    /// Fails with [`Error::CommandNotFound`] unless the program exists, looked up on the
    /// child's `PATH` like the system will; called before anything is unlocked or run.
    pub fn check_program(&self) -> Result<PathBuf> {
        if let Some(found) = find_program(&self.program, self.path_var()) {
            return Ok(found);
        }
        // A file that is there but not executable: 126, as shells report it.
        if find_file(&self.program, self.path_var()) {
            return Err(Error::CannotExecute {
                program: self.program_name(),
                source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
            });
        }
        Err(Error::CommandNotFound {
            program: self.program_name(),
        })
    }
}

/// Where `program` would be found: itself when it holds a path separator, else the first
/// executable file of that name on `path`.
pub fn find_program(program: &OsStr, path: Option<&OsStr>) -> Option<PathBuf> {
    let candidate = Path::new(program);
    if candidate.components().count() > 1 {
        return is_executable(candidate).then(|| candidate.to_path_buf());
    }
    if program.is_empty() {
        return None;
    }
    std::env::split_paths(path?)
        .flat_map(|dir| executable_names(&dir, program))
        .find(|p| is_executable(p))
}

/// Whether `program` names an existing file (executable or not), looked up like
/// [`find_program`].
fn find_file(program: &OsStr, path: Option<&OsStr>) -> bool {
    let candidate = Path::new(program);
    if candidate.components().count() > 1 {
        return candidate.is_file();
    }
    !program.is_empty()
        && path.is_some_and(|path| {
            std::env::split_paths(path)
                .flat_map(|dir| executable_names(&dir, program))
                .any(|p| p.is_file())
        })
}

#[cfg(unix)]
fn executable_names(dir: &Path, program: &OsStr) -> Vec<PathBuf> {
    vec![dir.join(program)]
}

#[cfg(not(unix))]
fn executable_names(dir: &Path, program: &OsStr) -> Vec<PathBuf> {
    let mut names = vec![dir.join(program)];
    for ext in ["exe", "cmd", "bat", "com"] {
        names.push(dir.join(program).with_extension(ext));
    }
    names
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

fn spawn_error(spec: &ChildSpec, source: std::io::Error) -> Error {
    if source.kind() == std::io::ErrorKind::NotFound {
        Error::CommandNotFound {
            program: spec.program_name(),
        }
    } else {
        Error::CannotExecute {
            program: spec.program_name(),
            source,
        }
    }
}

/// Replaces byok with the command (`execvp`). Returns only on failure.
#[cfg(unix)]
pub fn replace(spec: &ChildSpec) -> Error {
    use std::os::unix::process::CommandExt;
    // Anything byok printed must be out before the process image goes away.
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    if let Err(source) = crate::os::hardening::prepare_exec() {
        return Error::CannotExecute {
            program: spec.program_name(),
            source,
        };
    }
    let source = spec.command().exec();
    spawn_error(spec, source)
}

/// Runs the command as byok's child and returns its exit code; with `redact`, its stdout
/// and stderr pass through a masker for these values.
pub fn supervise(spec: &ChildSpec, redact: Option<&[&str]>) -> Result<u8> {
    let mut cmd = spec.command();
    if redact.is_some() {
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    }
    // Signal handlers go in before the child exists, so there is no moment when a Ctrl-C
    // kills byok and leaves the child orphaned.
    let mut forwarder = signals::Forwarder::install()?;
    crate::os::hardening::prepare_spawn().map_err(|source| Error::CannotExecute {
        program: spec.program_name(),
        source,
    })?;
    let mut child = cmd.spawn().map_err(|e| spawn_error(spec, e))?;
    forwarder.forward_to(child.id());
    crate::os::hardening::restore_core_limit_of(child.id());

    let pumps: Vec<_> = match redact {
        Some(values) => {
            let out = child.stdout.take().expect("piped");
            let err = child.stderr.take().expect("piped");
            vec![
                pump(
                    out,
                    Redactor::new(values.iter().copied()),
                    std::io::stdout(),
                ),
                pump(
                    err,
                    Redactor::new(values.iter().copied()),
                    std::io::stderr(),
                ),
            ]
        }
        None => Vec::new(),
    };
    let status = child.wait().map_err(|source| Error::CannotExecute {
        program: spec.program_name(),
        source,
    })?;
    for pump in pumps {
        let _ = pump.join();
    }
    forwarder.stop();
    Ok(exit_code(status))
}

/// Copies a child's stream to ours through a redactor, flushing after every read so
/// interactive output is not held back.
fn pump(
    mut from: impl Read + Send + 'static,
    mut redactor: Redactor,
    to: impl Write + Send + 'static,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut to = to;
        let mut buf = vec![0u8; 16 * 1024];
        let mut out = zeroize::Zeroizing::new(Vec::with_capacity(32 * 1024));
        loop {
            let n = match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            out.clear();
            redactor.push(&buf[..n], &mut out);
            // A closed reader on our side (`| head`) must not stop the child: keep draining.
            let _ = to.write_all(&out).and_then(|()| to.flush());
        }
        out.clear();
        redactor.finish(&mut out);
        let _ = to.write_all(&out).and_then(|()| to.flush());
        zeroize::Zeroize::zeroize(&mut buf);
    })
}

/// The exit code a shell would report: the child's own, or 128 + N when signal N ended it.
fn exit_code(status: std::process::ExitStatus) -> u8 {
    if let Some(code) = status.code() {
        return (code & 0xff) as u8;
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return (128 + signal).clamp(0, 255) as u8;
        }
    }
    1
}

#[cfg(unix)]
mod signals {
    //! Forwarding termination signals to the child while byok supervises it.

    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    use signal_hook::iterator::SignalsInfo;
    use signal_hook::iterator::exfiltrator::WithOrigin;
    use signal_hook::low_level::siginfo::Cause;

    use crate::error::{Error, Result};

    pub struct Forwarder {
        handle: signal_hook::iterator::Handle,
        signals: Option<SignalsInfo<WithOrigin>>,
        thread: Option<std::thread::JoinHandle<()>>,
    }

    impl Forwarder {
        /// Catches the signals (byok no longer dies of them); nothing is forwarded yet.
        pub fn install() -> Result<Self> {
            let signals = SignalsInfo::<WithOrigin>::new([SIGINT, SIGTERM, SIGHUP, SIGQUIT])
                .map_err(|source| Error::Terminal {
                    action: "install signal handlers",
                    source,
                })?;
            Ok(Self {
                handle: signals.handle(),
                signals: Some(signals),
                thread: None,
            })
        }

        /// Starts passing caught signals on to `pid`.
        pub fn forward_to(&mut self, pid: u32) {
            let Some(mut signals) = self.signals.take() else {
                return;
            };
            let Some(pid) = rustix::process::Pid::from_raw(pid as i32) else {
                return;
            };
            self.thread = Some(std::thread::spawn(move || {
                for origin in signals.forever() {
                    // A terminal's Ctrl-C / Ctrl-\ / hang-up comes from the kernel and already
                    // went to the whole foreground process group, child included: sending it
                    // again would deliver it twice.
                    if origin.cause == Cause::Kernel {
                        continue;
                    }
                    if let Some(signal) = rustix::process::Signal::from_named_raw(origin.signal) {
                        let _ = rustix::process::kill_process(pid, signal);
                    }
                }
            }));
        }

        /// Stops forwarding.
        pub fn stop(mut self) {
            self.handle.close();
            if let Some(thread) = self.thread.take() {
                let _ = thread.join();
            }
        }
    }
}

#[cfg(not(unix))]
mod signals {
    //! On Windows, Ctrl-C goes to every process on the console, child included: nothing to do.

    use crate::error::Result;

    pub struct Forwarder;

    impl Forwarder {
        pub fn install() -> Result<Self> {
            Ok(Self)
        }
        pub fn forward_to(&mut self, _pid: u32) {}
        pub fn stop(self) {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_variable_names_only() {
        let spec = ChildSpec {
            program: "env".into(),
            args: vec![],
            env: vec![("OPENAI_API_KEY".into(), "sk-test-secret".into())],
        };
        let printed = format!("{spec:?}");
        assert!(printed.contains("OPENAI_API_KEY"));
        assert!(!printed.contains("sk-test-secret"));
    }

    #[cfg(unix)]
    #[test]
    fn programs_are_found_on_the_given_path_only() {
        let path = std::env::var_os("PATH");
        assert!(find_program(OsStr::new("sh"), path.as_deref()).is_some());
        assert!(find_program(OsStr::new("sh"), None).is_none());
        assert!(find_program(OsStr::new("/bin/sh"), None).is_some());
        assert!(find_program(OsStr::new("no-such-byok-cmd"), path.as_deref()).is_none());
        assert!(find_program(OsStr::new(""), path.as_deref()).is_none());
    }
}
