//! `byok proxy --agent-proof`, end to end as an unprivileged user: the proxy and the "agent"
//! run as the same non-root user (`setpriv`), each under its own `keyctl session`. The
//! agent's openai SDK calls work through the proxy; its attempts to get the key do not; a
//! dumpable process of the same user is readable (so the refusals are not vacuous); and the
//! proxy refuses to start, naming the condition, when one does not hold.
//!
//! Needs root (to create the user), `useradd`, `setpriv`, `keyctl`, and for the SDK part a
//! world-readable venv with openai (`target/py-openai-world`, made by .ci/run).

use std::io::Write;
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use crate::harness::{
    Mode, Upstream, byok_bin, free_port, require_keychain, require_tool, stderr, stdout,
};

const USER: &str = "byok-agent";
const PASSPHRASE: &str = "correct horse battery staple";
const KEY: &str = "sk-test-agentproof-0123456789abcdef";

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

fn skip(why: &str) {
    if ci() {
        panic!("{why}, and CI=true: the agent-proof tests must run");
    }
    eprintln!("\n!!! SKIPPED: {why} !!!\n");
}

/// Creates the test user once per run (the tests of this file run in parallel).
fn ensure_user() {
    static DONE: Mutex<bool> = Mutex::new(false);
    let mut done = DONE.lock().unwrap_or_else(|p| p.into_inner());
    if *done {
        return;
    }
    let exists = Command::new("id")
        .args(["-u", USER])
        .output()
        .is_ok_and(|o| o.status.success());
    if !exists {
        let out = Command::new("useradd")
            .args([
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                USER,
            ])
            .output()
            .unwrap();
        // Another test binary may have created it meanwhile.
        let now = Command::new("id").args(["-u", USER]).output().unwrap();
        assert!(now.status.success(), "useradd: {}", stderr(&out));
    }
    *done = true;
}

/// A scratch area: `bin/byok` root-owned 0755 (not writable by the user) and a user-owned
/// `u` (the user's HOME; the byok home is `u/h`).
struct Setup {
    dir: tempfile::TempDir,
    bin: PathBuf,
}

impl Setup {
    fn new() -> Option<Self> {
        let uid = Command::new("id").arg("-u").output().unwrap();
        if stdout(&uid).trim() != "0" {
            skip("the agent-proof tests run as root (they create a user with useradd)");
            return None;
        }
        for tool in ["useradd", "setpriv", "keyctl"] {
            require_tool(tool)?;
        }
        ensure_user();
        let dir = tempfile::Builder::new()
            .prefix("byok-agent-proof")
            .tempdir_in("/tmp")
            .unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let bin_dir = dir.path().join("bin");
        std::fs::create_dir(&bin_dir).unwrap();
        std::fs::set_permissions(&bin_dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let bin = bin_dir.join("byok");
        std::fs::copy(byok_bin(), &bin).unwrap();
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
        let user_dir = dir.path().join("u");
        std::fs::create_dir(&user_dir).unwrap();
        let status = Command::new("chown")
            .arg(format!("{USER}:"))
            .arg(&user_dir)
            .status()
            .unwrap();
        assert!(status.success());
        std::fs::set_permissions(&user_dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        Some(Setup { dir, bin })
    }

    fn user_home(&self) -> PathBuf {
        self.dir.path().join("u")
    }

    fn home(&self) -> PathBuf {
        self.user_home().join("h")
    }

    /// `PROGRAM ARGS` as the test user, with only PATH, HOME, BYOK_HOME and `env`.
    fn user(&self, program: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut cmd = Command::new("setpriv");
        cmd.args([
            "--reuid",
            USER,
            "--regid",
            USER,
            "--init-groups",
            "env",
            "-i",
        ])
        .arg("PATH=/usr/local/bin:/usr/bin:/bin")
        .arg(format!("HOME={}", self.user_home().display()))
        .arg(format!("BYOK_HOME={}", self.home().display()));
        for (k, v) in env {
            cmd.arg(format!("{k}={v}"));
        }
        cmd.arg(program).args(args).current_dir("/");
        cmd
    }

    /// The same, in a fresh session keyring of its own (`keyctl session - …`).
    fn user_session(&self, program: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut inner = vec!["session", "-"];
        let program = program.to_str().unwrap();
        inner.push(program);
        inner.extend_from_slice(args);
        self.user(Path::new("/usr/bin/keyctl"), &inner, env)
    }

    fn byok(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        self.user(&self.bin, args, env).output().unwrap()
    }

    /// [`Setup::user_session`] started with its output captured and the passphrase typed on
    /// its standard input (what the agent-proof proxy's own prompt reads).
    fn typing_passphrase(&self, program: &Path, args: &[&str], env: &[(&str, &str)]) -> Child {
        let mut child = self
            .user_session(program, args, env)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let _ = child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{PASSPHRASE}\n").as_bytes());
        child
    }

    /// A passphrase-protected home with KEY under `k` and one connector to `base_url`.
    fn init(&self, base_url: &str) {
        let pass = [("BYOK_PASSPHRASE", PASSPHRASE)];
        let out = self.byok(&["init"], &pass);
        assert!(out.status.success(), "init: {}", stderr(&out));
        // The public key `init` shows: all an agent needs to encrypt a vault of its own.
        let text = format!("{}{}", stdout(&out), stderr(&out));
        let public = text
            .split_whitespace()
            .find(|w| w.starts_with("age1"))
            .expect("init shows the public key");
        std::fs::write(self.dir.path().join("public-key"), public).unwrap();
        let out = self.add_secret("k", KEY);
        assert!(out.status.success(), "secret add: {}", stderr(&out));
        self.write_config(base_url);
    }

    /// `byok secret add NAME --stdin` with the passphrase, the value on stdin.
    fn add_secret(&self, name: &str, value: &str) -> Output {
        let mut child = self
            .user(
                &self.bin,
                &["secret", "add", name, "--stdin"],
                &[("BYOK_PASSPHRASE", PASSPHRASE)],
            )
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(value.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    fn write_config(&self, base_url: &str) {
        let text = format!(
            "[[connector]]\nname = \"work\"\ntype = \"openai-compatible\"\nsecret = \"k\"\n\
             base_url = \"{base_url}\"\nmodel = \"gpt-test\"\nallow_insecure_http = true\n"
        );
        // Written by the user, as an agent would.
        let mut child = self
            .user(
                Path::new("/usr/bin/tee"),
                &[self.home().join("config.toml").to_str().unwrap()],
                &[],
            )
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success());
    }

    /// `byok proxy pin --yes` with the passphrase: the user accepts the routes of
    /// `config.toml` as they are now.
    fn pin(&self) {
        let out = self.byok(
            &["proxy", "pin", "--yes"],
            &[("BYOK_PASSPHRASE", PASSPHRASE)],
        );
        assert!(out.status.success(), "proxy pin: {}", stderr(&out));
    }

    fn token(&self) -> String {
        self.token_with("agent", &[])
    }

    /// `byok proxy token create NAME EXTRA…` with the passphrase: the placeholder.
    fn token_with(&self, name: &str, extra: &[&str]) -> String {
        let mut args = vec!["proxy", "token", "create", name];
        args.extend_from_slice(extra);
        let out = self.byok(&args, &[("BYOK_PASSPHRASE", PASSPHRASE)]);
        assert!(out.status.success(), "token create: {}", stderr(&out));
        stdout(&out).trim().to_owned()
    }

    /// `byok proxy --agent-proof` (passphrase on fd 0) in its own session keyring; runs
    /// until the guard is dropped.
    fn start_proxy(&self) -> Proxy {
        self.pin();
        let port = free_port();
        let log = self.dir.path().join(format!("proxy-{port}.log"));
        let mut child = self
            .user_session(&self.bin, &proxy_args(&format!("127.0.0.1:{port}")), &[])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        {
            let mut stdin = child.stdin.take().unwrap();
            stdin
                .write_all(format!("{PASSPHRASE}\n").as_bytes())
                .unwrap();
        }
        let status_file = self.home().join(format!("proxy/127_0_0_1_{port}.json"));
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(text) = std::fs::read(&status_file)
                && let Ok(v) = serde_json::from_slice::<serde_json::Value>(&text)
                && TcpStream::connect(("127.0.0.1", port)).is_ok()
            {
                let pid = v["pid"].as_u64().unwrap() as u32;
                return Proxy {
                    child,
                    pid,
                    port,
                    status: v,
                    log,
                };
            }
            if let Ok(Some(_)) = child.try_wait() {
                panic!(
                    "the proxy exited: {}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                );
            }
            assert!(Instant::now() < deadline, "the proxy did not start");
            thread::sleep(Duration::from_millis(50));
        }
    }
}

struct Proxy {
    child: Child,
    pid: u32,
    port: u16,
    status: serde_json::Value,
    log: PathBuf,
}

impl Proxy {
    fn pid(&self) -> u32 {
        self.pid
    }

    /// Waits for the proxy to exit on its own: its exit code and its log.
    fn wait_exit(mut self, within: Duration) -> (Option<i32>, String) {
        let deadline = Instant::now() + within;
        let code = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status.code();
            }
            if Instant::now() > deadline {
                break None;
            }
            thread::sleep(Duration::from_millis(50));
        };
        (code, std::fs::read_to_string(&self.log).unwrap_or_default())
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid.to_string()])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The world-readable venv with the openai SDK (.ci/run makes it from /usr/bin/python3).
fn world_python() -> Option<PathBuf> {
    let python =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/py-openai-world/bin/python");
    let works = Command::new("setpriv")
        .args(["--reuid", USER, "--regid", USER, "--init-groups"])
        .arg(&python)
        .args(["-c", "import openai"])
        .output()
        .is_ok_and(|o| o.status.success());
    if works {
        return Some(python);
    }
    skip(&format!(
        "no openai SDK the user {USER} can run at {} (.ci/run makes target/py-openai-world)",
        python.display()
    ));
    None
}

const SDK: &str = r#"
import os, openai
o = openai.OpenAI(max_retries=0)
r = o.chat.completions.create(model="gpt-test", messages=[{"role": "user", "content": "hi"}])
print("openai:", r.choices[0].message.content)
print("placeholder:", os.environ["OPENAI_API_KEY"].startswith("sk-ant-byok01-"))
"#;

/// Every way a same-user process could read another's memory or environment, as JSON.
const ATTACK: &str = r#"
import ctypes, json, os, sys
pid = int(sys.argv[1])
out = {}
for name in ("environ", "maps", "mem"):
    try:
        with open(f"/proc/{pid}/{name}", "rb") as f:
            data = f.read(65536) if name != "mem" else b""
        out[name] = "read:" + ("byok-marker" if b"BYOK_MARKER=" in data else "")
    except OSError as e:
        out[name] = "refused: " + (e.strerror or str(e))
libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.restype = ctypes.c_long
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
if libc.ptrace(16, pid, None, None) == 0:
    os.waitpid(pid, getattr(os, "__WALL", 0x40000000))
    libc.ptrace(17, pid, None, None)
    out["ptrace"] = "attached"
else:
    out["ptrace"] = "refused: " + os.strerror(ctypes.get_errno())
print(json.dumps(out))
"#;

fn attack(setup: &Setup, pid: u32) -> serde_json::Value {
    let out = setup
        .user_session(
            Path::new("/usr/bin/python3"),
            &["-c", ATTACK, &pid.to_string()],
            &[],
        )
        .output()
        .unwrap();
    assert!(out.status.success(), "attack script: {}", stderr(&out));
    let text = stdout(&out);
    let line = text.lines().rfind(|l| l.starts_with('{')).unwrap_or("{}");
    serde_json::from_str(line).unwrap()
}

/// The child's exit code once it exits within `within`; `None` (the child killed) if not.
fn exit_within(child: &mut Child, within: Duration) -> Option<i32> {
    let deadline = Instant::now() + within;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        thread::sleep(Duration::from_millis(50));
    }
}

fn yama_restricts_ptrace() -> bool {
    std::fs::read_to_string("/proc/sys/kernel/yama/ptrace_scope").is_ok_and(|s| s.trim() != "0")
}

/// `proxy --agent-proof --passphrase-fd 0 --listen ADDR`, accepting same-user ptrace where
/// the kernel does not restrict it (this machine may have no Yama): the Yama condition has
/// its own test.
fn proxy_args(listen: &str) -> Vec<&str> {
    let mut args = vec![
        "proxy",
        "--agent-proof",
        "--passphrase-fd",
        "0",
        "--listen",
        listen,
    ];
    if !yama_restricts_ptrace() {
        args.push("--accept-same-user-ptrace");
    }
    args
}

/// The same flag for the shell scripts below.
fn accept_flag() -> &'static str {
    if yama_restricts_ptrace() {
        ""
    } else {
        "--accept-same-user-ptrace"
    }
}

#[test]
fn an_agent_of_the_same_user_uses_the_keys_but_cannot_get_one() {
    let Some(setup) = Setup::new() else {
        return;
    };
    let Some(python) = world_python() else {
        return;
    };
    let real = Upstream::start("real", Mode::Ok);
    let decoy = Upstream::start("decoy", Mode::Ok);
    setup.init(&format!("{}/v1", real.root()));
    let placeholder = setup.token();
    let proxy = setup.start_proxy();
    assert_eq!(proxy.status["agent_proof"]["non_dumpable"], true);
    assert_eq!(proxy.status["agent_proof"]["core_limit_zero"], true);
    assert!(
        proxy.status["agent_proof"]["memory"]
            .as_str()
            .is_some_and(|m| m.starts_with("locked") || m.starts_with("not locked")),
        "{}",
        proxy.status
    );
    let status = setup.byok(&["proxy", "status"], &[]);
    assert!(
        stdout(&status).contains("agent-proof: non-dumpable, no core files; memory "),
        "{}",
        stdout(&status)
    );

    // The agent's SDK, through `byok exec --via-proxy` with the placeholder it was given.
    let run_sdk = || {
        setup
            .user_session(
                &setup.bin,
                &[
                    "exec",
                    "--via-proxy",
                    "--",
                    python.to_str().unwrap(),
                    "-c",
                    SDK,
                ],
                &[("BYOK_PROXY_TOKEN", &placeholder)],
            )
            .output()
            .unwrap()
    };
    let out = run_sdk();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("openai: Hello from real"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("placeholder: True"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        real.seen()
            .iter()
            .map(|r| r.header("authorization").unwrap_or_default().to_owned())
            .collect::<Vec<_>>(),
        vec![format!("Bearer {KEY}")]
    );
    assert!(!stdout(&out).contains(KEY) && !stderr(&out).contains(KEY));

    // The agent-proof exec path hands the child the placeholder and none of the
    // never-inherited variables (tests/cli/child_env.rs covers the other paths).
    let mut vars: Vec<(&str, &str)> = crate::child_env::NEVER_INHERITED
        .iter()
        .filter(|(name, _)| *name != "BYOK_PROXY_TOKEN" && *name != "BYOK_IDENTITY_FILE")
        .copied()
        .collect();
    vars.push(("BYOK_PROXY_TOKEN", &placeholder));
    let out = setup
        .user_session(
            &setup.bin,
            &["exec", "--via-proxy", "--", "/usr/bin/env"],
            &vars,
        )
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let child_env = stdout(&out);
    assert!(
        child_env.contains(&format!("OPENAI_API_KEY={placeholder}")),
        "{child_env}"
    );
    assert!(!child_env.contains("BYOK_PROXY_TOKEN="), "{child_env}");
    crate::child_env::assert_none_inherited(&child_env, "agent-proof exec");

    // Without a placeholder, exec cannot mint one for an agent-proof proxy.
    let out = setup
        .user_session(&setup.bin, &["exec", "--via-proxy", "--", "/bin/true"], &[])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("BYOK_PROXY_TOKEN"),
        "{}",
        stderr(&out)
    );

    // Nothing on disk unlocks the vault: get, env and token creation fail locked.
    for args in [
        &["secret", "get", "k"][..],
        &["env", "work"][..],
        &["proxy", "token", "create", "mine"][..],
    ] {
        let out = setup
            .user_session(&setup.bin, args, &[])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(4), "{args:?}: {}", stderr(&out));
        assert!(!stdout(&out).contains(KEY));
    }

    // The proxy's memory, environment and maps, and ptrace: all refused.
    let seen = attack(&setup, proxy.pid);
    for name in ["environ", "maps", "mem", "ptrace"] {
        let outcome = seen[name].as_str().unwrap_or_default();
        assert!(outcome.starts_with("refused"), "{name}: {seen}");
    }
    // The positive control: a dumpable process of the same user is readable.
    let mut control = setup
        .user(Path::new("/bin/sleep"), &["120"], &[("BYOK_MARKER", "1")])
        .spawn()
        .unwrap();
    thread::sleep(Duration::from_millis(300));
    let control_seen = attack(&setup, control.id());
    let _ = control.kill();
    let _ = control.wait();
    assert_eq!(
        control_seen["environ"], "read:byok-marker",
        "{control_seen}"
    );
    assert!(
        control_seen["maps"]
            .as_str()
            .unwrap_or_default()
            .starts_with("read"),
        "{control_seen}"
    );
    if !yama_restricts_ptrace() {
        assert_eq!(control_seen["ptrace"], "attached", "{control_seen}");
        assert!(
            control_seen["mem"]
                .as_str()
                .unwrap_or_default()
                .starts_with("read"),
            "{control_seen}"
        );
    }

    // The agent's keyrings hold no byok material (the proxy keeps no session cache).
    for ring in ["@s", "@u"] {
        let out = setup
            .user_session(Path::new("/usr/bin/keyctl"), &["show", ring], &[])
            .output()
            .unwrap();
        let text = format!("{}{}", stdout(&out), stderr(&out));
        assert!(!text.contains("byok:"), "{ring}: {text}");
    }

    // Redirecting the connector in config.toml changes nothing: the proxy kept its snapshot.
    setup.write_config(&format!("{}/v1", decoy.root()));
    let out = run_sdk();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("openai: Hello from real"),
        "{}",
        stdout(&out)
    );
    assert!(decoy.seen().is_empty(), "the decoy got {:?}", decoy.seen());
    assert_eq!(real.seen().len(), 2);

    // …nor does asking it to reload: `byok proxy reload` refuses, and a SIGHUP sent
    // straight to it is recorded as refused while the snapshot serves on.
    let out = setup
        .user_session(&setup.bin, &["proxy", "reload"], &[])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("restart it with the passphrase"),
        "{}",
        stderr(&out)
    );
    let pid = proxy.pid.to_string();
    let out = setup
        .user_session(Path::new("/bin/kill"), &["-HUP", &pid], &[])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let status = stdout(&setup.byok(&["proxy", "status", "--json"], &[]));
        if status.contains("never reloads from disk") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{status}");
        thread::sleep(Duration::from_millis(50));
    }
    let out = run_sdk();
    assert!(
        stdout(&out).contains("openai: Hello from real"),
        "{}",
        stdout(&out)
    );
    assert!(decoy.seen().is_empty(), "the decoy got {:?}", decoy.seen());
    drop(proxy);
}

/// Runs `byok proxy --agent-proof` (passphrase on stdin) and returns its output; it must
/// not start.
fn refused(setup: &Setup, bin: &Path, env: &[(&str, &str)]) -> Output {
    let port = free_port().to_string();
    let mut child = setup.typing_passphrase(bin, &proxy_args(&format!("127.0.0.1:{port}")), env);
    if exit_within(&mut child, Duration::from_secs(60)).is_none() {
        panic!("the proxy started although a condition is unmet ({env:?})");
    }
    child.wait_with_output().unwrap()
}

fn assert_refused(out: &Output, condition: &str) {
    assert_eq!(out.status.code(), Some(8), "{}", stderr(out));
    let text = stderr(out);
    assert!(text.contains("agent-proof mode refused"), "{text}");
    assert!(
        text.contains(condition),
        "missing {condition:?} in:\n{text}"
    );
    assert!(text.contains("fix: "), "{text}");
}

#[test]
fn the_proxy_refuses_to_start_naming_each_unmet_condition() {
    let Some(setup) = Setup::new() else {
        return;
    };
    setup.init("http://127.0.0.1:9/v1");
    let bin = setup.bin.clone();

    for (env, condition) in [
        (
            ("BYOK_PASSPHRASE", PASSPHRASE),
            "BYOK_PASSPHRASE is set in the environment",
        ),
        (
            ("BYOK_IDENTITY_FILE", "/nonexistent"),
            "BYOK_IDENTITY_FILE is set",
        ),
        (
            ("BAO_TOKEN", "s.test"),
            "a team-store token is set in BAO_TOKEN",
        ),
        (
            ("VAULT_TOKEN", "s.test"),
            "a team-store token is set in VAULT_TOKEN",
        ),
        (("LD_PRELOAD", "/nonexistent.so"), "LD_PRELOAD is set"),
        (
            ("BYOK_STORE_PASSPHRASE_FILE", "/nonexistent"),
            "BYOK_STORE_PASSPHRASE_FILE is set",
        ),
    ] {
        let out = refused(&setup, &bin, &[env]);
        assert_refused(&out, condition);
        // Only the unmet condition is named.
        assert_eq!(
            stderr(&out).matches("\n  - ").count(),
            1,
            "{}",
            stderr(&out)
        );
    }

    // A team token in ~/.vault-token.
    let token_file = setup.user_home().join(".vault-token");
    std::fs::write(&token_file, "s.test").unwrap();
    assert_refused(&refused(&setup, &bin, &[]), ".vault-token");
    std::fs::remove_file(&token_file).unwrap();

    // A byok the user can replace.
    let own_bin = setup.user_home().join("byok");
    std::fs::copy(&bin, &own_bin).unwrap();
    Command::new("chown")
        .arg(format!("{USER}:"))
        .arg(&own_bin)
        .status()
        .unwrap();
    assert_refused(
        &refused(&setup, &own_bin, &[]),
        "the byok binary can be replaced by you",
    );

    // A session-cache entry (`byok unlock` in the proxy's session).
    let script = format!(
        "BYOK_PASSPHRASE='{PASSPHRASE}' {bin} unlock >/dev/null 2>&1 || exit 99; \
         echo '{PASSPHRASE}' | {bin} proxy --agent-proof --passphrase-fd 0 --listen 127.0.0.1:{port} {accept}",
        bin = bin.display(),
        port = free_port(),
        accept = accept_flag()
    );
    let out = setup
        .user_session(Path::new("/bin/sh"), &["-c", &script], &[])
        .output()
        .unwrap();
    if out.status.code() == Some(99) {
        skip("`byok unlock` found no usable kernel keyring here");
    } else {
        assert_refused(&out, "a session-cache entry holds the unlocked identity");
    }

    // identity.txt: a home without a passphrase.
    let plain_home = setup.user_home().join("plain");
    let out = setup.byok(
        &[
            "--home",
            plain_home.to_str().unwrap(),
            "init",
            "--no-passphrase",
        ],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = refused(&setup, &bin, &[("BYOK_HOME", plain_home.to_str().unwrap())]);
    assert_refused(&out, "the vault is not passphrase-protected");
    assert_refused(&out, "identity.txt holds the vault identity");

    // --background cannot take the passphrase.
    let out = setup.byok(&["proxy", "--agent-proof", "--background"], &[]);
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    assert!(stderr(&out).contains("--background"), "{}", stderr(&out));
}

#[test]
fn a_keychain_held_identity_is_refused() {
    // Runs as the test's own user (the Secret Service of scripts/with-keyring is its own);
    // the binary is then writable too, so both conditions are named.
    let Some(bus) = require_keychain() else {
        return;
    };
    let env = crate::harness::Env::new();
    let pass = ("BYOK_PASSPHRASE", PASSPHRASE);
    env.cmd_kc(&bus, ["init"])
        .env(pass.0, pass.1)
        .assert()
        .success();
    env.cmd_kc(&bus, ["keychain", "remember"])
        .env(pass.0, pass.1)
        .assert()
        .success();
    let out = env
        .cmd_kc(&bus, ["proxy", "--agent-proof", "--listen", "127.0.0.1:1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the OS keychain holds the vault identity"),
        "{}",
        stderr(&out)
    );
    let _ = env.cmd_kc(&bus, ["keychain", "forget"]).output();
}

#[test]
fn agent_proof_in_config_toml_is_honoured_and_checked() {
    let env = crate::harness::Env::init();
    std::fs::write(env.file("config.toml"), "[proxy]\nagent_proof = true\n").unwrap();
    let out = env
        .cmd(["proxy", "--listen", "127.0.0.1:1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("identity.txt holds the vault identity"),
        "{}",
        stderr(&out)
    );
    // Token changes need the passphrase while agent-proof is configured.
    let out = env.cmd(["proxy", "token", "create", "t"]).output().unwrap();
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("needs the vault passphrase"),
        "{}",
        stderr(&out)
    );
    std::fs::write(env.file("config.toml"), "[proxy]\nagent_proof = \"yes\"\n").unwrap();
    let out = env
        .cmd(["proxy", "--listen", "127.0.0.1:1"])
        .output()
        .unwrap();
    assert!(
        stderr(&out).contains("`agent_proof` under [proxy] must be true or false"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_served_key_in_the_os_keychain_is_refused_after_unlocking() {
    let Some(setup) = Setup::new() else {
        return;
    };
    for tool in ["dbus-run-session", "gnome-keyring-daemon", "secret-tool"] {
        if require_tool(tool).is_none() {
            return;
        }
    }
    // The user's own Secret Service: scripts/with-keyring run as that user.
    let with_keyring = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/with-keyring");
    let script = format!(
        "set -e; export BYOK_PASSPHRASE='{PASSPHRASE}'; {bin} init >/dev/null 2>&1; \
         printf %s '{KEY}' | {bin} secret add kk --stdin --store keychain >/dev/null 2>&1; \
         printf '[[connector]]\\nname = \"kc\"\\ntype = \"openai-compatible\"\\nsecret = \"kk\"\\n\
         base_url = \"http://127.0.0.1:9/v1\"\\nmodel = \"m\"\\nallow_insecure_http = true\\n' \
         > \"$BYOK_HOME/config.toml\"; unset BYOK_PASSPHRASE; set +e; \
         echo '{PASSPHRASE}' | {bin} proxy --agent-proof --passphrase-fd 0 --listen 127.0.0.1:{port} {accept}",
        bin = setup.bin.display(),
        port = free_port(),
        accept = accept_flag()
    );
    let out = setup
        .user(&with_keyring, &["/bin/sh", "-c", &script], &[])
        .output()
        .unwrap();
    assert_refused(&out, "the key 'kk' lives in the store 'keychain'");
    assert_refused(&out, "any process of yours can read the OS keychain");
    assert!(!stderr(&out).contains(KEY));
}

/// Attack: a tracer attached to the user's shell follows the fork into the proxy (here
/// `strace -f`, run by the user). The proxy refuses before asking for the passphrase, naming
/// the tracer. A tracer that attaches later (root here: the user cannot attach to the
/// non-dumpable proxy) stops a serving proxy within seconds.
#[test]
fn a_traced_proxy_refuses_to_start_and_a_late_tracer_stops_it() {
    let Some(setup) = Setup::new() else {
        return;
    };
    let Some(strace) = require_tool("strace") else {
        return;
    };
    let upstream = Upstream::start("work", Mode::Ok);
    setup.init(&format!("{}/v1", upstream.root()));
    let port = free_port().to_string();
    let listen = format!("127.0.0.1:{port}");
    let mut args = vec!["-f", "-o", "/dev/null", setup.bin.to_str().unwrap()];
    args.extend(proxy_args(&listen));
    let mut child = setup.typing_passphrase(&strace, &args, &[]);
    if exit_within(&mut child, Duration::from_secs(60)).is_none() {
        panic!("the proxy started under strace -f");
    }
    let out = child.wait_with_output().unwrap();
    assert_refused(&out, "the proxy is traced (ptrace) by process");
    assert!(stderr(&out).contains("(strace)"), "{}", stderr(&out));
    assert!(!stderr(&out).contains(KEY));

    // A proxy that serves, then a tracer attaches: it stops (exit 8) and says why.
    let proxy = setup.start_proxy();
    let pid = proxy.pid().to_string();
    let mut tracer = Command::new(&strace)
        .args(["-p", &pid, "-o", "/dev/null"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (code, log) = proxy.wait_exit(Duration::from_secs(20));
    let _ = tracer.kill();
    let _ = tracer.wait();
    assert_eq!(code, Some(8), "{log}");
    assert!(log.contains("is being traced by"), "{log}");
}

/// Without Yama's restriction any process of the user may trace another (the terminal the
/// passphrase is typed in): unmet unless accepted by name. `--check` lists every condition
/// without starting anything.
#[test]
fn yama_and_the_check_command() {
    let Some(setup) = Setup::new() else {
        return;
    };
    setup.init("http://127.0.0.1:9/v1");
    let base = ["proxy", "--agent-proof", "--check"];
    let out = setup.byok(&base, &[]);
    let text = stdout(&out);
    assert!(
        text.contains("✓ the identity is behind a passphrase"),
        "{text}"
    );
    assert!(text.contains("✓ no process traces the proxy"), "{text}");
    if yama_restricts_ptrace() {
        assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
        assert!(text.contains("✓ the kernel restricts ptrace"), "{text}");
    } else {
        assert_eq!(out.status.code(), Some(8), "{text}{}", stderr(&out));
        assert!(text.contains("✗ the kernel restricts ptrace"), "{text}");
        assert!(text.contains("--accept-same-user-ptrace"), "{text}");
        let accepted = setup.byok(&[&base[..], &["--accept-same-user-ptrace"]].concat(), &[]);
        assert_eq!(accepted.status.code(), Some(0), "{}", stdout(&accepted));
        // Without the flag the proxy itself refuses, naming Yama.
        let mut child = setup
            .user_session(
                &setup.bin,
                &[
                    "proxy",
                    "--agent-proof",
                    "--passphrase-fd",
                    "0",
                    "--listen",
                    "127.0.0.1:1",
                ],
                &[],
            )
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let _ = child.stdin.take().unwrap().write_all(b"x\n");
        assert_refused(&child.wait_with_output().unwrap(), "ptrace");
    }
    // An unmet condition: named with its fix, exit 8, nothing started or unlocked.
    let out = setup.byok(&base, &[("BYOK_PASSPHRASE", PASSPHRASE)]);
    assert_eq!(out.status.code(), Some(8));
    let text = stdout(&out);
    assert!(text.contains("✗ no passphrase, identity or store passphrase file in the environment: BYOK_PASSPHRASE is set"), "{text}");
    assert!(text.contains("fix: unset BYOK_PASSPHRASE"), "{text}");
    assert!(!text.contains(PASSPHRASE));
}

/// Attack: the key lives in an age-file store that opens with its own identity file, which
/// the agent can read (`byok secret get team_key --store team`). The proxy refuses to serve
/// it, naming the store, before reading any value.
#[test]
fn a_key_in_a_store_the_agent_can_open_is_not_served() {
    let Some(setup) = Setup::new() else {
        return;
    };
    setup.init("http://127.0.0.1:9/v1");
    let identity = setup.home().join("team-identity.txt");
    let script = format!(
        "set -e; export BYOK_PASSPHRASE='{PASSPHRASE}'; age-keygen -o {id} 2>/dev/null; \
         {bin} store add team --type age-file --path team.age --identity {id} >/dev/null 2>&1; \
         printf %s '{KEY}' | {bin} secret add team_key --stdin --store team >/dev/null 2>&1; \
         printf '[[connector]]\\nname = \"t\"\\ntype = \"openai-compatible\"\\nsecret = \"team_key\"\\n\
         base_url = \"http://127.0.0.1:9/v1\"\\nmodel = \"m\"\\nallow_insecure_http = true\\n' \
         >> \"$BYOK_HOME/config.toml\"; unset BYOK_PASSPHRASE; set +e; \
         echo '{PASSPHRASE}' | {bin} proxy --agent-proof --passphrase-fd 0 --listen 127.0.0.1:{port} {accept}",
        id = identity.display(),
        bin = setup.bin.display(),
        port = free_port(),
        accept = accept_flag()
    );
    if require_tool("age-keygen").is_none() {
        return;
    }
    let out = setup
        .user_session(Path::new("/bin/sh"), &["-c", &script], &[])
        .output()
        .unwrap();
    assert_refused(&out, "the key 'team_key' lives in the store 'team'");
    assert_refused(&out, "its own identity file");
    assert!(!stderr(&out).contains(KEY));
    // The key was really there for the agent to take (so the refusal is not vacuous).
    let got = setup.byok(&["secret", "get", "team_key", "--store", "team"], &[]);
    assert_eq!(stdout(&got).trim(), KEY, "{}", stderr(&got));
}

/// Attack: the connector is a plain-http local gateway; while it is down, the agent (same
/// user as the proxy) binds its port and asks the proxy with its placeholder. The proxy
/// checks who holds the other end before the first byte: its own uid is never trusted in
/// agent-proof mode, so the agent's listener receives nothing, the key least of all.
#[test]
fn an_agent_squatting_a_local_connector_port_gets_nothing() {
    let Some(setup) = Setup::new() else {
        return;
    };
    let port = free_port();
    setup.init(&format!("http://127.0.0.1:{port}/v1"));
    let placeholder = setup.token();
    let proxy = setup.start_proxy();
    let Some(squatter) = crate::harness::Squatter::start(USER, &format!("127.0.0.1:{port}")) else {
        return;
    };
    let listen = proxy.status["listen"].as_str().unwrap().to_owned();
    let proxy_port: u16 = listen.rsplit(':').next().unwrap().parse().unwrap();
    let r = crate::harness::chat(proxy_port, &placeholder, "gpt-test", false);
    assert_eq!(r.status, 502, "{}", r.body);
    assert!(r.body.contains("byok did not send the key"), "{}", r.body);
    assert!(r.body.contains("agent-proof"), "{}", r.body);
    std::thread::sleep(Duration::from_millis(300));
    let received = squatter.received();
    assert_eq!(received, "", "the agent's listener received bytes");
    assert!(!received.contains(KEY));
}

/// Attack: the user ran `byok unlock` in a terminal the agent uses; the proxy, in its own
/// session, cannot see that session's keyring. The unlock marker (an expiry, never the
/// identity) makes the proxy refuse while such a cache may live; `byok lock` in that
/// session removes it.
#[test]
fn a_session_cache_in_another_session_is_seen() {
    let Some(setup) = Setup::new() else {
        return;
    };
    setup.init("http://127.0.0.1:9/v1");
    let flags = setup.user_home().join("flags");
    std::fs::create_dir(&flags).unwrap();
    Command::new("chown")
        .arg(format!("{USER}:"))
        .arg(&flags)
        .status()
        .unwrap();
    let script = format!(
        "BYOK_PASSPHRASE='{PASSPHRASE}' {bin} unlock --for 10m >/dev/null 2>&1 || exit 99; \
         touch {f}/unlocked; while [ ! -e {f}/go ]; do sleep 0.1; done; \
         {bin} lock >/dev/null 2>&1; touch {f}/locked; sleep 30",
        bin = setup.bin.display(),
        f = flags.display()
    );
    let mut terminal = setup
        .user_session(Path::new("/bin/sh"), &["-c", &script], &[])
        .spawn()
        .unwrap();
    let wait_for = |name: &str, terminal: &mut Child| {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !flags.join(name).exists() {
            if let Ok(Some(status)) = terminal.try_wait() {
                panic!("the terminal's script ended: {status:?}");
            }
            assert!(Instant::now() < deadline, "{name} never came");
            thread::sleep(Duration::from_millis(50));
        }
    };
    wait_for("unlocked", &mut terminal);
    let mut check = vec!["proxy", "--agent-proof", "--check"];
    if !yama_restricts_ptrace() {
        check.push("--accept-same-user-ptrace");
    }
    let out = setup
        .user_session(&setup.bin, &check, &[])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(8), "{text}{}", stderr(&out));
    assert!(
        text.contains("✓ no session-cache entry (byok unlock) in this session"),
        "{text}"
    );
    assert!(
        text.contains("✗ no `byok unlock` session cache alive in another session"),
        "{text}"
    );
    // The proxy itself refuses, before the passphrase.
    assert_refused(&refused(&setup, &setup.bin, &[]), "`byok unlock` ran");
    std::fs::write(flags.join("go"), "").unwrap();
    wait_for("locked", &mut terminal);
    let out = setup
        .user_session(&setup.bin, &check, &[])
        .output()
        .unwrap();
    let _ = terminal.kill();
    let _ = terminal.wait();
    assert!(
        stdout(&out).contains("✓ no `byok unlock` session cache alive in another session"),
        "{}",
        stdout(&out)
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

/// Attack (binding precision of the review): the agent kills the proxy, points the
/// connector's `base_url` at its own listener in `config.toml`, and waits for the restart
/// (a service manager restarts it with the passphrase on a descriptor). The restarted proxy
/// serves only the routes of the pin MAC'd with the identity: exit 8 naming the re-pointed
/// connector, and the agent's listener never gets a request. Deleting the pin, or writing
/// one of its own (it has no identity to MAC it with), refuses the start the same way.
#[test]
fn a_connector_re_pointed_while_the_proxy_was_down_is_not_served() {
    let Some(setup) = Setup::new() else {
        return;
    };
    let upstream = Upstream::start("work", Mode::Ok);
    let decoy = Upstream::start("agent", Mode::Ok);
    setup.init(&format!("{}/v1", upstream.root()));
    let proxy = setup.start_proxy();
    drop(proxy);
    // The agent (the same user) edits config.toml.
    setup.write_config(&format!("{}/v1", decoy.root()));
    let pinned_out = |out: &Output, why: &str| {
        assert_eq!(out.status.code(), Some(8), "{}", stderr(out));
        assert!(
            stderr(out).contains(why),
            "missing {why:?} in {}",
            stderr(out)
        );
        assert!(stderr(out).contains("byok proxy pin"), "{}", stderr(out));
    };
    let out = refused(&setup, &setup.bin, &[]);
    pinned_out(&out, "the connectors differ from the routing pin");
    assert!(
        stderr(&out).contains("~ work: base_url"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains(&decoy.root()), "{}", stderr(&out));
    // The pin removed, or replaced by one the agent wrote: the same refusal.
    let pin = setup.home().join("proxy-pin.json");
    let original = std::fs::read_to_string(&pin).unwrap();
    std::fs::remove_file(&pin).unwrap();
    pinned_out(
        &refused(&setup, &setup.bin, &[]),
        "there is no routing pin yet",
    );
    let forged = original.replace(&upstream.root(), &decoy.root());
    std::fs::write(&pin, forged).unwrap();
    pinned_out(
        &refused(&setup, &setup.bin, &[]),
        "the routing pin was not written with the vault identity",
    );
    assert!(
        decoy.seen().is_empty(),
        "the agent's listener got {:?}",
        decoy.seen()
    );
    assert!(!stderr(&out).contains(KEY));
    // The user accepts the change with the passphrase: it starts.
    let proxy = setup.start_proxy();
    drop(proxy);
}

/// Attack (binding precision of the review): anyone with the public recipient can encrypt
/// a vault. The agent replaces `vault.age` with one holding a key of its own under the
/// served ref (its account would then see every request). The vault carries no MAC of the
/// identity, so the agent-proof proxy refuses to serve it: exit 8, and the agent's key never
/// reaches an upstream.
#[test]
fn a_vault_forged_with_the_public_recipient_is_not_served() {
    let Some(setup) = Setup::new() else {
        return;
    };
    let Some(age) = require_tool("age") else {
        return;
    };
    let upstream = Upstream::start("work", Mode::Ok);
    setup.init(&format!("{}/v1", upstream.root()));
    drop(setup.start_proxy());
    let public = std::fs::read_to_string(setup.dir.path().join("public-key")).unwrap();
    let forged = serde_json::json!({"byok_vault": 3, "secrets": {"k": {
        "label": "k", "created": "2026-01-01T00:00:00Z", "updated": "2026-01-01T00:00:00Z",
        "rotated": "2026-01-01T00:00:00Z", "fields": {"api_key": "sk-test-agent-owned-0000000"}}}});
    let vault = setup.home().join("vault.age");
    let out = setup.dir.path().join("forged.age");
    crate::harness::age_seal(
        &age,
        &["-r".as_ref(), public.trim().as_ref()],
        forged.to_string().as_bytes(),
        &out,
    );
    std::fs::write(&vault, std::fs::read(&out).unwrap()).unwrap();
    let refused_out = refused(&setup, &setup.bin, &[]);
    assert_eq!(
        refused_out.status.code(),
        Some(8),
        "{}",
        stderr(&refused_out)
    );
    assert!(
        stderr(&refused_out).contains("the vault carries no MAC of this home's identity"),
        "{}",
        stderr(&refused_out)
    );
    assert!(upstream.seen().is_empty(), "{:?}", upstream.seen());
}

/// Binding precision: "this home is agent-proof" is recorded in the vault (which the agent
/// cannot rewrite without the identity), not in a file it could delete; `byok unlock` and
/// `keychain remember` refuse there, so the user cannot hand a session cache to the agent
/// by habit. Leaving the mode needs the passphrase.
#[test]
fn an_agent_proof_home_refuses_byok_unlock() {
    let Some(setup) = Setup::new() else {
        return;
    };
    let upstream = Upstream::start("work", Mode::Ok);
    setup.init(&format!("{}/v1", upstream.root()));
    let pass = [("BYOK_PASSPHRASE", PASSPHRASE)];
    let state = setup.byok(&["proxy", "agent-proof"], &pass);
    assert_eq!(stdout(&state), "off\n", "{}", stderr(&state));
    drop(setup.start_proxy());
    let state = setup.byok(&["proxy", "agent-proof"], &pass);
    assert_eq!(stdout(&state), "on\n", "{}", stderr(&state));
    for args in [&["unlock"][..], &["keychain", "remember"]] {
        let out = setup.byok(args, &pass);
        assert_eq!(out.status.code(), Some(8), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("this home is agent-proof"),
            "{}",
            stderr(&out)
        );
    }
    // No file in the home says so: removing every file but the vault and identity changes
    // nothing.
    for name in ["proxy-pin.json", "unlocked-sessions", "config.toml"] {
        let _ = std::fs::remove_file(setup.home().join(name));
    }
    let out = setup.byok(&["unlock"], &pass);
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    // Leaving needs the passphrase; then unlock is no longer refused for this reason.
    let out = setup.byok(&["proxy", "agent-proof", "off"], &pass);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = setup.byok(&["unlock"], &pass);
    assert!(
        !stderr(&out).contains("this home is agent-proof"),
        "{}",
        stderr(&out)
    );
}

mod answers;
mod api;
mod audit;
mod mcp;
#[cfg(target_arch = "x86_64")]
mod tracer;
