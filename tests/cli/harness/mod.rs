//! A hermetic test environment: a temp home, a cleared environment, the real binary.

// The fake AI provider of connection tests (every wire byok speaks); openbao_raft.rs
// shares this harness and does not use it.
pub mod admin_fake;
#[allow(dead_code)]
pub(crate) mod provider;
mod proxy;
mod upstream;

// openbao_raft.rs shares this harness and uses neither.
#[allow(unused_imports)]
pub(crate) use self::proxy::*;
#[allow(unused_imports)]
pub(crate) use self::upstream::*;

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;
use tempfile::TempDir;

pub const KEY: &str = "sk-test-0123456789abcdefghij";

pub struct Env {
    pub dir: TempDir,
}

impl Env {
    /// A home directory that does not exist yet.
    pub fn new() -> Self {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// An initialised vault with `identity.txt` (no passphrase).
    pub fn init() -> Self {
        let env = Self::new();
        env.cmd(["init", "--no-passphrase"]).assert().success();
        env
    }

    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.home().join(name)
    }

    /// Points this home's proxy address (`listen` under `[proxy]`) at a free port, for the
    /// commands that otherwise use 127.0.0.1:8787 (`exec --via-proxy`, `proxy stop`), so
    /// parallel tests and a proxy already running on this machine never meet. The port.
    pub fn proxy_on_free_port(&self) -> u16 {
        let port = free_port();
        let path = self.file("config.toml");
        let config = std::fs::read_to_string(&path).unwrap_or_default();
        let line = format!("listen = \"127.0.0.1:{port}\"\n");
        let config = match config.find("[proxy]\n") {
            Some(at) => {
                let end = at + "[proxy]\n".len();
                format!("{}{line}{}", &config[..end], &config[end..])
            }
            None => format!("{config}\n[proxy]\n{line}"),
        };
        std::fs::write(&path, config).unwrap();
        port
    }

    /// `byok ARGS` with only PATH, a temp HOME and BYOK_HOME in its environment.
    pub fn cmd<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = Command::cargo_bin("byok").unwrap();
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("BYOK_HOME", self.home())
            .args(args);
        cmd
    }

    /// Any program (a shell, `kill`) with the same hermetic environment as [`Env::cmd`], plus
    /// `BYOK` holding the path of the byok binary for scripts.
    pub fn program(&self, program: &str) -> StdCommand {
        let mut cmd = StdCommand::new(program);
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("BYOK_HOME", self.home())
            .env("BYOK", byok_bin());
        cmd
    }

    /// The keychain account of REF's FIELD in this home (`<home_id>/REF/FIELD`).
    pub fn account(&self, reference: &str, field: &str) -> String {
        let id = std::fs::read_to_string(self.file("home_id")).expect("home_id written by init");
        format!("{}/{reference}/{field}", id.trim())
    }

    /// Adds `value` as REF's `api_key` (plus extra flags) through `--stdin`.
    pub fn add(&self, reference: &str, value: &str, extra: &[&str]) {
        self.cmd(["secret", "add", reference, "--stdin"])
            .args(extra)
            .write_stdin(value)
            .assert()
            .success();
    }

    /// `byok secret get REF` → the value printed, without the newline.
    pub fn get(&self, reference: &str) -> String {
        let out = self.cmd(["secret", "get", reference]).output().unwrap();
        assert!(
            out.status.success(),
            "get {reference}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        text.strip_suffix('\n')
            .expect("a trailing newline")
            .to_owned()
    }
}

/// The byok binary under test.
pub fn byok_bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("byok")
}

/// The path of an external tool, or `None` (with a loud message) when it is absent locally.
/// Under CI (`CI=true`) an absent tool fails the test instead: CI must install it.
pub fn require_tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    });
    if found.is_none() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("`{name}` is not installed, and CI=true: .ci/run must install it");
        }
        eprintln!("\n!!! SKIPPED: `{name}` is not installed; install it to run this test !!!\n");
    }
    found
}

/// Encrypts `plaintext` with the reference `age` CLI to the recipients `to` names (`-r KEY`
/// or `-R FILE`), through its standard input.
pub fn age_seal(age: &Path, to: &[&std::ffi::OsStr], plaintext: &[u8], out: &Path) {
    use std::io::Write;
    let mut child = StdCommand::new(age)
        .args(to)
        .arg("-o")
        .arg(out)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(plaintext).unwrap();
    assert!(child.wait().unwrap().success());
}

/// Encrypts `plaintext` to the identity in `identity_file` with the reference `age` CLI.
pub fn age_encrypt(age: &Path, identity_file: &Path, plaintext: &[u8], out: &Path) {
    let keygen_out = StdCommand::new(age.with_file_name("age-keygen"))
        .arg("-y")
        .arg(identity_file)
        .output()
        .unwrap();
    assert!(keygen_out.status.success());
    let recipient = String::from_utf8(keygen_out.stdout).unwrap();
    let input = out.with_extension("plain");
    std::fs::write(&input, plaintext).unwrap();
    let status = StdCommand::new(age)
        .args(["-e", "-r", recipient.trim(), "-o"])
        .arg(out)
        .arg(&input)
        .status()
        .unwrap();
    std::fs::remove_file(&input).unwrap();
    assert!(status.success());
}

pub fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// The D-Bus session address when a Secret Service is expected to be reachable (the suite runs
/// under `scripts/with-keyring` in CI), or `None` with a loud message locally.
pub fn require_keychain() -> Option<std::ffi::OsString> {
    let address = std::env::var_os("DBUS_SESSION_BUS_ADDRESS");
    if address.is_none() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!(
                "no D-Bus session (DBUS_SESSION_BUS_ADDRESS unset) and CI=true: run the tests under scripts/with-keyring"
            );
        }
        eprintln!(
            "\n!!! SKIPPED: no Secret Service; run under scripts/with-keyring to test the OS keychain !!!\n"
        );
    }
    address
}

impl Env {
    /// `byok ARGS` that can reach the test Secret Service.
    pub fn cmd_kc<I, S>(&self, bus: &std::ffi::OsStr, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = self.cmd(args);
        cmd.env("DBUS_SESSION_BUS_ADDRESS", bus);
        if let Some(runtime) = std::env::var_os("XDG_RUNTIME_DIR") {
            cmd.env("XDG_RUNTIME_DIR", runtime);
        }
        cmd
    }
}

/// `secret-tool ARGS`, returning stdout.
pub fn secret_tool(args: &[&str], stdin: Option<&str>) -> (bool, String) {
    use std::io::Write;
    let mut child = StdCommand::new("secret-tool")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("secret-tool is installed with the keychain test tools");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

impl Env {
    /// Adds a value for REF through `--stdin`, able to reach the keychain.
    pub fn add_kc(&self, bus: &std::ffi::OsStr, reference: &str) {
        self.cmd_kc(bus, ["secret", "add", reference, "--stdin"])
            .write_stdin("sk-test-added-with-keychain-01")
            .assert()
            .success();
    }

    /// `secret add REF --stdin --store keychain` with VALUE.
    pub fn add_in_keychain(&self, bus: &std::ffi::OsStr, reference: &str, value: &str) {
        self.cmd_kc(
            bus,
            ["secret", "add", reference, "--stdin", "--store", "keychain"],
        )
        .write_stdin(value.to_owned())
        .assert()
        .success();
    }
}

/// A ref name no other test uses (all tests share one keychain).
pub fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{prefix}_{}_{nanos}", std::process::id())
}

/// A free loopback port (bound and released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The exit code (-1 when a signal ended the process).
pub fn exit_code(out: &std::process::Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// The home's audit log, one JSON value per entry (empty when there is none yet).
pub fn audit_lines(env: &Env) -> Vec<serde_json::Value> {
    match std::fs::read_to_string(env.file("audit.jsonl")) {
        Ok(text) => text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// `byok secret list --json EXTRA…` as its array.
pub fn secret_list_json(env: &Env, extra: &[&str]) -> Vec<serde_json::Value> {
    let out = env
        .cmd(["secret", "list", "--json"])
        .args(extra)
        .output()
        .unwrap();
    serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// How [`on_terminal`] types: seconds before the first answer and between the next ones,
/// after the last, and the limit for the whole run.
pub struct Pace {
    pub first: &'static str,
    pub then: &'static str,
    pub tail: &'static str,
    pub timeout: u32,
}

impl Pace {
    /// A prompt that answers at once.
    pub const PROMPT: Pace = Pace {
        first: "0.7",
        then: "0.7",
        tail: "1",
        timeout: 30,
    };
    /// A guided form: several questions, each after a check.
    pub const FORM: Pace = Pace {
        first: "0.8",
        then: "0.8",
        tail: "2",
        timeout: 60,
    };
    /// Answers after a passphrase, whose scrypt work takes seconds (input typed before a
    /// prompt is dropped).
    pub const SCRYPT: Pace = Pace {
        first: "0.7",
        then: "4",
        tail: "1",
        timeout: 30,
    };
}

/// Runs `byok ARGS` on a pty (`script`), typing each answer (an empty one is Enter) at
/// `pace`; a prompt left waiting for an answer that never comes ends the run at the limit
/// instead of hanging.
pub fn on_terminal(env: &Env, args: &str, answers: &[&str], pace: Pace) -> std::process::Output {
    let typed: String = answers
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let pause = if i == 0 { pace.first } else { pace.then };
            format!("sleep {pause}; printf '%s\\r' '{a}'; ")
        })
        .collect();
    env.program("sh")
        .arg("-c")
        .arg(format!(
            "({typed} sleep {}) | timeout {} script -qec \"\\\"$BYOK\\\" {args}\" /dev/null",
            pace.tail, pace.timeout
        ))
        .output()
        .unwrap()
}

/// A listener run as another user (`setpriv`), recording every byte it receives: the
/// port squatter of the owner-check tests. Answers each request with a 200 chat reply.
pub struct Squatter {
    child: std::process::Child,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Squatter {
    /// Listens on `addr` (`127.0.0.1:PORT` or `[::1]:PORT`) as `user`; `None` (a loud skip,
    /// a failure under CI) without root, setpriv or python3.
    pub fn start(user: &str, addr: &str) -> Option<Squatter> {
        require_tool("setpriv")?;
        // The system python: another user cannot run a python under root's home.
        let python = PathBuf::from("/usr/bin/python3");
        if !python.exists() {
            require_tool("/usr/bin/python3")?;
        }
        let dir = tempfile::Builder::new()
            .prefix("byok-squatter")
            .tempdir_in("/tmp")
            .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        let log = dir.path().join("received");
        let (host, port) = addr.rsplit_once(':').unwrap();
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let script = r#"
import socket, sys
host, port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
family = socket.AF_INET6 if ':' in host else socket.AF_INET
s = socket.socket(family, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
if family == socket.AF_INET6:
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
s.bind((host, port)); s.listen(16)
open(log + '.ready', 'w').close()
while True:
    c, _ = s.accept()
    c.settimeout(2)
    data = b''
    try:
        while b'\r\n\r\n' not in data:
            chunk = c.recv(65536)
            if not chunk: break
            data += chunk
    except Exception:
        pass
    with open(log, 'ab') as f: f.write(data)
    body = b'{"choices":[{"message":{"role":"assistant","content":"ok"}}]}'
    try:
        c.sendall(b'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ' + str(len(body)).encode() + b'\r\nconnection: close\r\n\r\n' + body)
    except Exception:
        pass
    c.close()
"#;
        let child = std::process::Command::new("setpriv")
            .args([
                "--reuid",
                user,
                "--regid",
                &group_of(user),
                "--clear-groups",
            ])
            .arg(&python)
            .args(["-c", script, host, port])
            .arg(&log)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        let ready = dir.path().join("received.ready");
        while !ready.exists() {
            assert!(
                std::time::Instant::now() < deadline,
                "the squatter did not start"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        Some(Squatter {
            child,
            log,
            _dir: dir,
        })
    }

    /// Everything it received so far.
    pub fn received(&self) -> String {
        String::from_utf8_lossy(&std::fs::read(&self.log).unwrap_or_default()).into_owned()
    }
}

impl Drop for Squatter {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The primary group of `user` (its gid, from /etc/passwd).
fn group_of(user: &str) -> String {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    passwd
        .lines()
        .find_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            (f.first() == Some(&user)).then(|| f.get(3).map(|g| (*g).to_owned()))?
        })
        .unwrap_or_else(|| user.to_owned())
}

/// `byok ARGS` in `env`, a home `init` never made: refused with the "not initialised" error
/// (exit 1) and nothing written — no home directory, or (when it exists) nothing new in it.
pub fn refused_uninitialised(env: &Env, args: &[&str]) {
    let listing = |env: &Env| -> Vec<String> {
        std::fs::read_dir(env.home())
            .map(|entries| {
                let mut names: Vec<String> = entries
                    .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect();
                names.sort();
                names
            })
            .unwrap_or_default()
    };
    let existed = env.home().exists();
    let before = listing(env);
    let out = env.cmd(args).write_stdin(KEY).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("is not initialised"), "{args:?}: {err}");
    assert!(err.contains("byok init"), "{args:?}: {err}");
    assert_eq!(env.home().exists(), existed, "{args:?} created the home");
    assert_eq!(listing(env), before, "{args:?} wrote into the home");
}
