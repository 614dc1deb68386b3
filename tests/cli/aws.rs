//! The AWS Secrets Manager store against a real moto server (one per test binary, SigV4
//! checked, a prefix per test): every `secret` command, interop with the `aws` CLI both ways,
//! secrets not in byok's shape, classified errors (wrong and missing credentials, a secret
//! scheduled for deletion, throttling through a fault proxy), and what `exec` children see.
//! Skipped loudly without moto; failing under CI.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use predicates::prelude::*;

use crate::harness::Env;
use crate::moto_server::{Moto, unique_prefix};

/// A home whose `[[store]]` `aws` is a prefix of its own on the shared moto server.
struct Team {
    env: Env,
    moto: &'static Moto,
    prefix: String,
}

impl Team {
    fn new(tag: &str) -> Option<Self> {
        let moto = Moto::shared()?;
        let env = Env::init();
        let prefix = unique_prefix(tag);
        std::fs::write(env.file("config.toml"), moto.store_toml("aws", &prefix)).unwrap();
        Some(Team { env, moto, prefix })
    }

    fn cmd<I, S>(&self, args: I) -> assert_cmd::Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = self.env.cmd(args);
        for (k, v) in self.moto.env() {
            cmd.env(k, v);
        }
        cmd
    }

    fn get(&self, reference: &str) -> String {
        let out = self
            .cmd(["secret", "get", reference, "--store", "aws"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "get {reference}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim_end().to_owned()
    }

    fn add(&self, reference: &str, value: &str) {
        self.cmd(["secret", "add", reference, "--stdin", "--store", "aws"])
            .write_stdin(value)
            .assert()
            .success();
    }
}

#[test]
fn aws_every_secret_command() {
    let Some(t) = Team::new("cmds") else { return };
    t.cmd([
        "secret",
        "add",
        "openai",
        "--stdin",
        "--store",
        "aws",
        "--provider",
        "openai",
    ])
    .write_stdin("sk-test-aws-0001")
    .assert()
    .success();
    assert_eq!(t.get("openai"), "sk-test-aws-0001");
    // The value is a JSON object of fields and the metadata tags, as the AWS CLI sees them.
    let name = format!("{}openai", t.prefix);
    let raw = t.moto.aws(&[
        "secretsmanager",
        "get-secret-value",
        "--secret-id",
        &name,
        "--query",
        "SecretString",
        "--output",
        "text",
    ]);
    assert_eq!(raw.trim(), r#"{"api_key":"sk-test-aws-0001"}"#);
    let described = t.moto.aws(&[
        "secretsmanager",
        "describe-secret",
        "--secret-id",
        &name,
        "--output",
        "json",
    ]);
    assert!(
        described.contains("byok:provider") && described.contains("byok:created"),
        "{described}"
    );
    t.cmd(["secret", "list", "--store", "aws"])
        .assert()
        .success()
        .stdout(predicate::str::contains("openai").and(predicate::str::contains("api_key")))
        .stdout(predicate::str::contains("sk-test-aws-0001").not());
    // Rotation writes a new version; rollback moves AWSCURRENT back, and again forward.
    t.cmd(["secret", "rotate", "openai", "--stdin", "--store", "aws"])
        .write_stdin("sk-test-aws-0002")
        .assert()
        .success();
    assert_eq!(t.get("openai"), "sk-test-aws-0002");
    t.cmd(["secret", "show", "openai", "--store", "aws"])
        .assert()
        .success()
        .stdout(predicate::str::contains("version 2").and(predicate::str::contains("(current)")));
    t.cmd(["secret", "rollback", "openai", "--store", "aws"])
        .assert()
        .success();
    assert_eq!(t.get("openai"), "sk-test-aws-0001");
    let stages = t.moto.aws(&[
        "secretsmanager",
        "get-secret-value",
        "--secret-id",
        &name,
        "--version-stage",
        "AWSCURRENT",
        "--query",
        "SecretString",
        "--output",
        "text",
    ]);
    assert!(stages.contains("sk-test-aws-0001"), "{stages}");
    t.cmd(["secret", "rollback", "openai", "--store", "aws"])
        .assert()
        .success();
    assert_eq!(t.get("openai"), "sk-test-aws-0002");
    // rollback --version N: a version from `secret show`'s list.
    t.cmd([
        "secret",
        "rollback",
        "openai",
        "--version",
        "1",
        "--store",
        "aws",
    ])
    .assert()
    .success();
    assert_eq!(t.get("openai"), "sk-test-aws-0001");
    t.cmd([
        "secret",
        "rollback",
        "openai",
        "--version",
        "9",
        "--store",
        "aws",
    ])
    .assert()
    .failure()
    .stderr(predicate::str::contains("no other version 9"));
    t.cmd([
        "secret",
        "rollback",
        "openai",
        "--version",
        "2",
        "--store",
        "aws",
    ])
    .assert()
    .success();
    assert_eq!(t.get("openai"), "sk-test-aws-0002");
    // set, rename, move to the vault and back.
    t.cmd([
        "secret",
        "set",
        "openai",
        "--expires",
        "2030-01-01",
        "--store",
        "aws",
    ])
    .assert()
    .success();
    t.cmd(["secret", "show", "openai", "--store", "aws"])
        .assert()
        .success()
        .stdout(predicate::str::contains("2030-01-01"));
    t.cmd(["secret", "rename", "openai", "oa", "--store", "aws"])
        .assert()
        .success();
    assert_eq!(t.get("oa"), "sk-test-aws-0002");
    t.cmd(["secret", "move", "oa", "--to", "vault"])
        .assert()
        .success();
    t.cmd(["secret", "get", "oa", "--store", "vault"])
        .assert()
        .success()
        .stdout("sk-test-aws-0002\n");
    t.cmd(["secret", "move", "oa", "--to", "aws"])
        .assert()
        .success();
    assert_eq!(t.get("oa"), "sk-test-aws-0002");
    // rm schedules deletion: reads say so; rm --destroy forces it.
    t.cmd(["secret", "rm", "oa", "--yes", "--store", "aws"])
        .assert()
        .success();
    let oa = format!("{}oa", t.prefix);
    let d = t.moto.aws(&[
        "secretsmanager",
        "describe-secret",
        "--secret-id",
        &oa,
        "--output",
        "json",
    ]);
    assert!(d.contains("DeletedDate"), "{d}");
    t.add("gone", "sk-test-aws-0003");
    t.cmd([
        "secret",
        "rm",
        "gone",
        "--destroy",
        "--yes",
        "--store",
        "aws",
    ])
    .assert()
    .success();
    t.cmd(["secret", "get", "gone", "--store", "aws"])
        .assert()
        .failure();
}

#[test]
fn aws_interop_with_the_aws_cli_both_ways() {
    let Some(t) = Team::new("interop") else {
        return;
    };
    let name = format!("{}fromcli", t.prefix);
    t.moto.aws(&[
        "secretsmanager",
        "create-secret",
        "--name",
        &name,
        "--secret-string",
        r#"{"api_key":"sk-test-cli-0001"}"#,
    ]);
    // Not byok's shape: skipped with a count.
    let odd = format!("{}plain", t.prefix);
    t.moto.aws(&[
        "secretsmanager",
        "create-secret",
        "--name",
        &odd,
        "--secret-string",
        "just text",
    ]);
    t.cmd(["secret", "list", "--store", "aws"])
        .assert()
        .success()
        .stdout(predicate::str::contains("fromcli"))
        .stderr(predicate::str::contains("skipped 1 secret(s)"));
    assert_eq!(t.get("fromcli"), "sk-test-cli-0001");
    t.add("frombyok", "sk-test-byok-0001");
    let by = format!("{}frombyok", t.prefix);
    let raw = t.moto.aws(&[
        "secretsmanager",
        "get-secret-value",
        "--secret-id",
        &by,
        "--query",
        "SecretString",
        "--output",
        "text",
    ]);
    let v: serde_json::Value = serde_json::from_str(raw.trim()).unwrap();
    assert_eq!(v["api_key"], "sk-test-byok-0001");
}

#[test]
fn aws_credentials_errors_are_classified_and_never_shown() {
    let Some(t) = Team::new("creds") else { return };
    t.add("k", "sk-test-aws-0009");
    // A wrong secret key: moto checks the signature.
    t.env
        .cmd(["secret", "get", "k", "--store", "aws"])
        .env("AWS_ACCESS_KEY_ID", &t.moto.key_id)
        .env("AWS_SECRET_ACCESS_KEY", "wrong-secret-key-000")
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "refused the credentials from environment",
        ))
        .stderr(predicate::str::contains("wrong-secret-key-000").not());
    // None at all: says what it tried.
    t.env
        .cmd(["secret", "get", "k", "--store", "aws"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "no AWS credentials found; tried: environment",
        ))
        .stderr(predicate::str::contains(".aws/credentials"));
    // A profile from the shared credentials file.
    let creds = t.env.file("aws-credentials");
    std::fs::write(
        &creds,
        format!(
            "[team]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            t.moto.key_id, t.moto.secret
        ),
    )
    .unwrap();
    let config = std::fs::read_to_string(t.env.file("config.toml")).unwrap();
    std::fs::write(
        t.env.file("config.toml"),
        format!("{config}profile = \"team\"\n"),
    )
    .unwrap();
    t.env
        .cmd(["secret", "get", "k", "--store", "aws"])
        .env("AWS_SHARED_CREDENTIALS_FILE", &creds)
        .assert()
        .success()
        .stdout("sk-test-aws-0009\n");
}

#[test]
fn aws_scheduled_for_deletion_is_not_not_found() {
    let Some(t) = Team::new("sched") else { return };
    let name = format!("{}k", t.prefix);
    t.moto.aws(&[
        "secretsmanager",
        "create-secret",
        "--name",
        &name,
        "--secret-string",
        r#"{"api_key":"sk-test-aws-0004"}"#,
    ]);
    t.moto
        .aws(&["secretsmanager", "delete-secret", "--secret-id", &name]);
    t.cmd(["secret", "get", "k", "--store", "aws"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("scheduled for deletion"))
        .stderr(predicate::str::contains("restore-secret"));
}

/// A fault proxy in front of moto: the first `throttle` requests get a ThrottlingException,
/// or every GetSecretValue gets a KMS DecryptionFailure.
fn fault_proxy(upstream: &str, throttle: usize, kms: bool) -> (String, Arc<AtomicUsize>) {
    fault_proxy_with(upstream, throttle, kms.then_some(KMS_FAILURE))
}

const KMS_FAILURE: &str = r#"{"__type":"DecryptionFailure","Message":"Secrets Manager can't decrypt the protected secret text using the provided KMS key."}"#;
const EXPIRED: &str = r#"{"__type":"ExpiredTokenException","message":"The security token included in the request is expired"}"#;

/// As [`fault_proxy`], with `read_error` the answer to every GetSecretValue.
fn fault_proxy_with(
    upstream: &str,
    throttle: usize,
    read_error: Option<&'static str>,
) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = format!("http://{}", listener.local_addr().unwrap());
    let upstream = upstream.trim_start_matches("http://").to_owned();
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let mut buf = Vec::new();
            let mut chunk = [0u8; 65536];
            // Read the head, then the body by Content-Length.
            let (head_end, len) = loop {
                let r = conn.read(&mut chunk).unwrap_or(0);
                if r == 0 {
                    break (0, 0);
                }
                buf.extend_from_slice(&chunk[..r]);
                if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&buf[..at]).to_lowercase();
                    let len = head
                        .lines()
                        .find_map(|l| {
                            l.strip_prefix("content-length:")
                                .map(|v| v.trim().parse().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    break (at + 4, len);
                }
            };
            if head_end == 0 {
                continue;
            }
            while buf.len() < head_end + len {
                let r = conn.read(&mut chunk).unwrap_or(0);
                if r == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..r]);
            }
            let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
            let fail = if n < throttle {
                Some((
                    "400",
                    r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
                ))
            } else {
                read_error
                    .filter(|_| head.contains("secretsmanager.GetSecretValue"))
                    .map(|body| ("400", body))
            };
            let reply = match fail {
                Some((status, body)) => format!("HTTP/1.1 {status} Bad Request\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).into_bytes(),
                None => {
                    let mut up = std::net::TcpStream::connect(&upstream).unwrap();
                    let req = String::from_utf8_lossy(&buf).replace("Connection: keep-alive", "Connection: close");
                    let req = if req.to_lowercase().contains("connection:") { req } else { req.replacen("\r\n", "\r\nConnection: close\r\n", 1) };
                    up.write_all(req.as_bytes()).unwrap();
                    let mut out = Vec::new();
                    let _ = up.read_to_end(&mut out);
                    out
                }
            };
            let _ = conn.write_all(&reply);
        }
    });
    (addr, seen)
}

#[test]
fn aws_throttling_is_retried_and_kms_failures_named() {
    let Some(t) = Team::new("faults") else { return };
    t.add("k", "sk-test-aws-0005");
    // The Host header is signed, so the proxy forwards the bytes as they are and moto checks
    // the signature made for the proxy's host: moto accepts it (it signs over what it got).
    let (addr, seen) = fault_proxy(&t.moto.endpoint, 2, false);
    let config = std::fs::read_to_string(t.env.file("config.toml")).unwrap();
    std::fs::write(
        t.env.file("config.toml"),
        config.replace(&t.moto.endpoint, &addr),
    )
    .unwrap();
    assert_eq!(t.get("k"), "sk-test-aws-0005");
    assert!(seen.load(Ordering::SeqCst) >= 3);
    let (kms, _) = fault_proxy(&t.moto.endpoint, 0, true);
    std::fs::write(
        t.env.file("config.toml"),
        config.replace(&t.moto.endpoint, &kms),
    )
    .unwrap();
    t.cmd(["secret", "get", "k", "--store", "aws"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("KMS key"))
        .stderr(predicate::str::contains("kms:Decrypt"));
    let (expired, _) = fault_proxy_with(&t.moto.endpoint, 0, Some(EXPIRED));
    std::fs::write(
        t.env.file("config.toml"),
        config.replace(&t.moto.endpoint, &expired),
    )
    .unwrap();
    t.cmd(["secret", "get", "k", "--store", "aws"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "session token from environment (AWS_ACCESS_KEY_ID) has expired",
        ));
}

#[test]
fn aws_exec_children_lose_aws_credentials_unless_asked() {
    let Some(t) = Team::new("exec") else { return };
    t.add("k", "sk-test-aws-0006");
    let run = |t: &Team| {
        let out = t
            .cmd(["exec", "--set", "OPENAI_API_KEY=k", "--", "sh", "-c", "env"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let env = run(&t);
    assert!(env.contains("OPENAI_API_KEY=sk-test-aws-0006"));
    for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] {
        assert!(
            !env.contains(&format!("{name}=")),
            "{name} reached the child"
        );
    }
    let config = std::fs::read_to_string(t.env.file("config.toml")).unwrap();
    std::fs::write(
        t.env.file("config.toml"),
        format!("{config}pass_credentials = \"true\"\n"),
    )
    .unwrap();
    assert!(run(&t).contains("AWS_SECRET_ACCESS_KEY="));
}

#[test]
fn aws_access_denied_names_the_action_and_the_resource() {
    let Some(t) = Team::new("denied") else { return };
    t.add("k", "sk-test-aws-0007");
    // A reader: may read byok's secrets, not write them.
    let user = format!("reader-{}", std::process::id());
    t.moto.aws(&["iam", "create-user", "--user-name", &user]);
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:GetSecretValue","secretsmanager:DescribeSecret"],"Resource":"*"}]}"#;
    t.moto.aws(&[
        "iam",
        "put-user-policy",
        "--user-name",
        &user,
        "--policy-name",
        "read",
        "--policy-document",
        policy,
    ]);
    let key: serde_json::Value = serde_json::from_str(&t.moto.aws(&[
        "iam",
        "create-access-key",
        "--user-name",
        &user,
        "--output",
        "json",
    ]))
    .unwrap();
    let id = key["AccessKey"]["AccessKeyId"].as_str().unwrap();
    let secret = key["AccessKey"]["SecretAccessKey"].as_str().unwrap();
    let reader = |args: &[&str]| {
        let mut cmd = t.env.cmd(args);
        cmd.env("AWS_ACCESS_KEY_ID", id)
            .env("AWS_SECRET_ACCESS_KEY", secret);
        cmd
    };
    reader(&["secret", "get", "k", "--store", "aws"])
        .assert()
        .success()
        .stdout("sk-test-aws-0007\n");
    reader(&["secret", "rotate", "k", "--stdin", "--store", "aws"])
        .write_stdin("sk-test-aws-0008")
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "access denied to secretsmanager:PutSecretValue",
        ))
        .stderr(predicate::str::contains(format!("user/{user}")))
        .stderr(predicate::str::contains(secret).not());
}
