//! A proxy in the background: started detached with its log in the home (`proxy
//! --background`, `exec --via-proxy`), found by its status file, and stopped with SIGTERM.

use std::net::SocketAddr;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::context::Context;
use crate::error::{Error, Result};
use crate::proxy::Options;
use crate::proxy::state::{self, ProxyLock};
use crate::term::output;

/// Starts `byok proxy` detached and returns once it serves.
pub fn start(ctx: &Context, options: &Options) -> Result<state::Status> {
    let listen = options.listen;
    let home = ctx.settings.paths.home().to_path_buf();
    if let Some(status) = state::read_status(&home, &listen) {
        return Err(Error::ProxyRunning {
            listen: status.listen,
        });
    }
    crate::fsutil::create_private_dir(&home)?;
    crate::fsutil::create_private_dir(&state::dir(&home))?;
    let log = state::log_path(&home, &listen);
    let log_file = {
        let mut o = std::fs::OpenOptions::new();
        o.create(true).write(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
        o.open(&log).map_err(Error::io("open", &log))?
    };
    let exe = std::env::current_exe().map_err(Error::io("find", "the byok executable"))?;
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("--home")
        .arg(&home)
        .arg("proxy")
        .arg("--listen")
        .arg(listen.to_string())
        .arg("--timeout")
        .arg(format!("{}ms", options.timeout.as_millis()))
        .arg("--cooldown")
        .arg(format!("{}s", options.cooldown.as_secs()))
        .arg("--unreachable-cooldown")
        .arg(format!("{}ms", options.unreachable_cooldown.as_millis()));
    for c in &options.connectors {
        cmd.arg("--connector").arg(c);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(log_file));
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child = cmd.spawn().map_err(|source| Error::CannotExecute {
        program: "byok proxy".into(),
        source,
    })?;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            // The child's own error and hint, once (not wrapped in a second hint).
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            let last = |prefix: &str| {
                text.lines()
                    .rev()
                    .find_map(|l| l.trim_start().strip_prefix(prefix))
                    .map(str::to_owned)
            };
            return Err(Error::ProxyStart {
                reason: format!(
                    "the background proxy exited: {}",
                    last("error: ").unwrap_or_else(|| format!("see {}", log.display()))
                ),
                hint: last("hint: ").unwrap_or_else(|| format!("its log: {}", log.display())),
            });
        }
        if let Some(status) = state::read_status(&home, &listen)
            && status.pid == child.id()
        {
            return Ok(status);
        }
        if Instant::now() > deadline {
            return Err(Error::ProxyStart {
                reason: format!(
                    "it did not start serving within 30 s (log: {})",
                    log.display()
                ),
                hint: "a background proxy cannot ask for the passphrase: unlock first (`byok \
                       unlock`, `byok keychain remember`, or BYOK_PASSPHRASE_FILE)"
                    .into(),
            });
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Stops the proxy this home runs on `addr` (SIGTERM: requests in flight finish) and
/// waits until its lock is free.
pub fn stop(home: &std::path::Path, addr: SocketAddr) -> Result<()> {
    stop_quietly(home, addr)?;
    output::status(&format!("stopped the byok proxy on http://{addr}"));
    Ok(())
}

/// [`stop`] without the message.
pub fn stop_quietly(home: &std::path::Path, addr: SocketAddr) -> Result<()> {
    let Some(status) = state::read_status(home, &addr) else {
        return Err(Error::ProxyNotRunning {
            listen: addr.to_string(),
        });
    };
    terminate(status.pid)?;
    let deadline = Instant::now() + Duration::from_secs(310);
    while ProxyLock::held(home, &addr) {
        if Instant::now() > deadline {
            return Err(Error::ProxyStart {
                reason: format!("the proxy (pid {}) did not stop", status.pid),
                hint: "it is still finishing requests; `kill` its pid to cut them".into(),
            });
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(())
}

/// Asks the proxy `pid` to reload (`byok proxy reload`).
#[cfg(unix)]
pub fn signal_reload(pid: u32) -> Result<()> {
    let pid = rustix::process::Pid::from_raw(pid as i32)
        .ok_or_else(|| Error::Usage("the status file names no process".into()))?;
    rustix::process::kill_process(pid, rustix::process::Signal::HUP)
        .map_err(|e| Error::Http(format!("could not signal the proxy: {e}")))
}

#[cfg(not(unix))]
pub fn signal_reload(_pid: u32) -> Result<()> {
    Err(Error::Usage(
        "`byok proxy reload` needs a Unix system".into(),
    ))
}

#[cfg(unix)]
fn terminate(pid: u32) -> Result<()> {
    let pid = rustix::process::Pid::from_raw(pid as i32)
        .ok_or_else(|| Error::Usage("the status file names no process".into()))?;
    rustix::process::kill_process(pid, rustix::process::Signal::TERM)
        .map_err(|e| Error::Http(format!("could not signal the proxy: {e}")))
}

#[cfg(not(unix))]
fn terminate(_pid: u32) -> Result<()> {
    Err(Error::Usage("`byok proxy stop` needs a Unix system".into()))
}
