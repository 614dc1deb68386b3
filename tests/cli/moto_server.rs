//! A real moto server (AWS Secrets Manager's JSON protocol) for the tests, from the
//! `moto[server]` PyPI package that `.ci/run` installs into `target/py-aws` with `awscli`.
//!
//! It binds 127.0.0.1 on a free port and starts with `INITIAL_NO_AUTH_ACTION_COUNT=3`: the
//! first three requests (create an IAM user, give it a policy, make its access key) pass
//! unsigned, every later one has its SigV4 signature and IAM policy checked. Skipped loudly
//! locally when moto is missing; under `CI=true` a missing one fails the test.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub const REGION: &str = "us-east-1";

/// The venv's bin directory, or `None` (loudly) when moto or awscli is missing.
pub fn bin_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/py-aws/bin");
    if dir.join("moto_server").is_file() && dir.join("aws").is_file() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "moto/awscli are not installed, and CI=true: .ci/run must install moto[server] and awscli into target/py-aws"
        );
    }
    eprintln!(
        "\n!!! SKIPPED: moto is not installed (pip install 'moto[server]' awscli into target/py-aws, as .ci/run does) !!!\n"
    );
    None
}

/// A running moto server and the access key of an IAM user allowed everything.
pub struct Moto {
    pub endpoint: String,
    pub bin: PathBuf,
    pub key_id: String,
    pub secret: String,
    dir: tempfile::TempDir,
    watchdog: Child,
}

impl Moto {
    /// The one server of this test binary.
    pub fn shared() -> Option<&'static Moto> {
        static SERVER: OnceLock<Option<Moto>> = OnceLock::new();
        SERVER.get_or_init(Moto::start).as_ref()
    }

    fn start() -> Option<Moto> {
        let bin = bin_dir()?;
        let dir = tempfile::tempdir().unwrap();
        let port = crate::harness::free_port();
        let log = dir.path().join("moto.log");
        // A watchdog kills the server when this test process exits.
        let script = "\"$BIN/moto_server\" -H 127.0.0.1 -p \"$PORT\" >\"$LOG\" 2>&1 & s=$!; \
             while kill -0 \"$WATCH\" 2>/dev/null && kill -0 $s 2>/dev/null; do sleep 0.5; done; \
             kill -9 $s 2>/dev/null; wait $s 2>/dev/null";
        let watchdog = Command::new("sh")
            .arg("-c")
            .arg(script)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", dir.path())
            .env("BIN", &bin)
            .env("PORT", port.to_string())
            .env("LOG", &log)
            .env("WATCH", std::process::id().to_string())
            .env("INITIAL_NO_AUTH_ACTION_COUNT", "3")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let endpoint = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "moto did not start:\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut moto = Moto {
            endpoint,
            bin,
            key_id: "AKIAUNSIGNEDBOOTSTRAP".into(),
            secret: "bootstrap".into(),
            dir,
            watchdog,
        };
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
        moto.aws(&["iam", "create-user", "--user-name", "byok-test"]);
        moto.aws(&[
            "iam",
            "put-user-policy",
            "--user-name",
            "byok-test",
            "--policy-name",
            "all",
            "--policy-document",
            policy,
        ]);
        let key: serde_json::Value = serde_json::from_str(&moto.aws(&[
            "iam",
            "create-access-key",
            "--user-name",
            "byok-test",
            "--output",
            "json",
        ]))
        .unwrap();
        moto.key_id = key["AccessKey"]["AccessKeyId"].as_str().unwrap().to_owned();
        moto.secret = key["AccessKey"]["SecretAccessKey"]
            .as_str()
            .unwrap()
            .to_owned();
        Some(moto)
    }

    /// `aws ARGS` against the server with the test user's keys; its stdout (panics on failure).
    pub fn aws(&self, args: &[&str]) -> String {
        let out = self.aws_cmd(args).output().unwrap();
        assert!(
            out.status.success(),
            "aws {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn aws_cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(self.bin.join("aws"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("AWS_ACCESS_KEY_ID", &self.key_id)
            .env("AWS_SECRET_ACCESS_KEY", &self.secret)
            .env("AWS_DEFAULT_REGION", REGION)
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .args(["--endpoint-url", &self.endpoint])
            .args(args);
        cmd
    }

    /// The environment byok needs for this server's user.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("AWS_ACCESS_KEY_ID".into(), self.key_id.clone()),
            ("AWS_SECRET_ACCESS_KEY".into(), self.secret.clone()),
        ]
    }

    /// A `[[store]]` table for this server under `prefix`.
    pub fn store_toml(&self, name: &str, prefix: &str) -> String {
        format!(
            "[[store]]\nname = \"{name}\"\ntype = \"aws-secrets-manager\"\nregion = \"{REGION}\"\nendpoint = \"{}\"\nprefix = \"{prefix}\"\n",
            self.endpoint
        )
    }
}

/// A prefix no other test uses.
pub fn unique_prefix(tag: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "t{}-{tag}-{}/",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}
