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

/// One request a fake server saw: method, path with query, lower-case headers.
type Seen = (String, String, Vec<(String, String)>);

/// A tiny loopback HTTP server answering each request with `answer(request)` →
/// (status, extra headers, body); it counts and records what it was sent.
fn fake_server<F>(answer: F) -> (String, Arc<std::sync::Mutex<Vec<Seen>>>)
where
    F: Fn(&Seen) -> (u16, Vec<(&'static str, String)>, String) + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let mut buf = Vec::new();
            let mut chunk = [0u8; 8192];
            while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                match conn.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
            let head = String::from_utf8_lossy(&buf).to_string();
            let mut lines = head.split("\r\n");
            let mut first = lines.next().unwrap_or_default().split(' ');
            let method = first.next().unwrap_or_default().to_owned();
            let path = first.next().unwrap_or_default().to_owned();
            let headers: Vec<(String, String)> = lines
                .take_while(|l| !l.is_empty())
                .filter_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    Some((k.trim().to_lowercase(), v.trim().to_owned()))
                })
                .collect();
            let request = (method, path, headers);
            let (status, extra, body) = answer(&request);
            log.lock().unwrap().push(request);
            let mut reply = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (k, v) in extra {
                reply.push_str(&format!("{k}: {v}\r\n"));
            }
            reply.push_str("\r\n");
            reply.push_str(&body);
            let _ = conn.write_all(reply.as_bytes());
        }
    });
    (addr, seen)
}

fn header<'a>(seen: &'a Seen, name: &str) -> Option<&'a str> {
    seen.2
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Temporary credentials of a role allowed everything, from moto's own STS (`assume-role`):
/// key id, secret key, session token. moto checks the session token of such a key (and
/// refuses a session token on an IAM user's key), so SSO and IMDS hand out these.
struct RoleCreds {
    id: String,
    secret: String,
    token: String,
}

fn role_credentials(moto: &Moto, tag: &str) -> RoleCreds {
    let role = format!("byok-{tag}-{}", std::process::id());
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#;
    let role_json: serde_json::Value = serde_json::from_str(&moto.aws(&[
        "iam",
        "create-role",
        "--role-name",
        &role,
        "--assume-role-policy-document",
        trust,
        "--output",
        "json",
    ]))
    .unwrap();
    let policy =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    moto.aws(&[
        "iam",
        "put-role-policy",
        "--role-name",
        &role,
        "--policy-name",
        "all",
        "--policy-document",
        policy,
    ]);
    let assumed: serde_json::Value = serde_json::from_str(&moto.aws(&[
        "sts",
        "assume-role",
        "--role-arn",
        role_json["Role"]["Arn"].as_str().unwrap(),
        "--role-session-name",
        "byok-test",
        "--output",
        "json",
    ]))
    .unwrap();
    let c = &assumed["Credentials"];
    RoleCreds {
        id: c["AccessKeyId"].as_str().unwrap().to_owned(),
        secret: c["SecretAccessKey"].as_str().unwrap().to_owned(),
        token: c["SessionToken"].as_str().unwrap().to_owned(),
    }
}

const SSO_TOKEN: &str = "aoaAAAAAGfakeSSOtokenForByokTests0001";
/// `hashlib.sha1(b"byok-test-sso").hexdigest()`: the cache file of sso-session
/// `byok-test-sso`, as botocore names it (an independent check of byok's naming).
const SSO_CACHE_FILE: &str = "6dcd0368501ee809cb658606cf4b34808de45f06.json";

/// A fake IAM Identity Center portal handing out `role` as the credentials of role Reader
/// in account 111122223333 to a request with [`SSO_TOKEN`]; role Writer is not assigned
/// (ForbiddenException); any other token is refused (UnauthorizedException). The role
/// credentials say they expire `lifetime` seconds from now.
fn fake_portal(
    role: RoleCreds,
    lifetime: Arc<AtomicUsize>,
) -> (String, Arc<std::sync::Mutex<Vec<Seen>>>) {
    let RoleCreds { id, secret, token } = role;
    fake_server(move |r| {
        if header(r, "x-amz-sso_bearer_token") != Some(SSO_TOKEN) {
            return (
                401,
                vec![("x-amzn-ErrorType", "UnauthorizedException:".into())],
                r#"{"message":"Session token not found or invalid"}"#.into(),
            );
        }
        // The query in any order (botocore puts role_name first, byok account_id).
        let (path, query) = r.1.split_once('?').unwrap_or((&r.1, ""));
        let mut query: Vec<&str> = query.split('&').collect();
        query.sort_unstable();
        if r.0 != "GET"
            || path != "/federation/credentials"
            || query != ["account_id=111122223333", "role_name=Reader"]
        {
            return (
                403,
                vec![("x-amzn-ErrorType", "ForbiddenException:".into())],
                r#"{"message":"No access"}"#.into(),
            );
        }
        let expiration = (std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis()
            + lifetime.load(Ordering::SeqCst) as u128 * 1000)
            .to_string();
        (
            200,
            Vec::new(),
            format!(
                r#"{{"roleCredentials":{{"accessKeyId":"{id}","secretAccessKey":"{secret}","sessionToken":"{token}","expiration":{expiration}}}}}"#
            ),
        )
    })
}

#[test]
fn aws_sso_profile_reads_the_cache_and_exchanges_the_token() {
    let Some(t) = Team::new("sso") else { return };
    t.add("k", "sk-test-aws-sso1");
    let lifetime = Arc::new(AtomicUsize::new(3600));
    let role = role_credentials(t.moto, "sso");
    let role_key_id = role.id.clone();
    let (portal, seen) = fake_portal(role, Arc::clone(&lifetime));
    let config = std::fs::read_to_string(t.env.file("config.toml")).unwrap();
    std::fs::write(
        t.env.file("config.toml"),
        format!("{config}profile = \"team\"\nsso_endpoint = \"{portal}\"\n"),
    )
    .unwrap();
    // ~/.aws of the hermetic HOME: an sso-session profile and the token `aws sso login` leaves.
    let aws = t.env.dir.path().join(".aws");
    std::fs::create_dir_all(aws.join("sso/cache")).unwrap();
    let profile = |role: &str| {
        format!(
            "[profile team]\nsso_session = byok-test-sso\nsso_account_id = 111122223333\nsso_role_name = {role}\nregion = us-east-1\n\n[sso-session byok-test-sso]\nsso_start_url = https://d-0000000000.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n"
        )
    };
    std::fs::write(aws.join("config"), profile("Reader")).unwrap();
    let cache = aws.join("sso/cache").join(SSO_CACHE_FILE);
    let token_file = |expires: &str| {
        format!(
            r#"{{"startUrl":"https://d-0000000000.awsapps.com/start","region":"us-east-1","accessToken":"{SSO_TOKEN}","expiresAt":"{expires}","refreshToken":"fake-refresh-0001"}}"#
        )
    };
    std::fs::write(&cache, token_file("2099-01-01T00:00:00Z")).unwrap();
    // No AWS_* variables: the role credentials come from the portal, and moto checks their
    // signature.
    t.env
        .cmd(["secret", "get", "k", "--store", "aws"])
        .assert()
        .success()
        .stdout("sk-test-aws-sso1\n");
    assert_eq!(seen.lock().unwrap().len(), 1, "one exchange per process");
    // The AWS SDK's own SSO provider (botocore) reads the same profile and cache file and is
    // served by the same fake portal: the fake speaks what AWS tools send.
    let boto = std::process::Command::new(t.moto.bin.join("python"))
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", t.env.dir.path())
        .env("AWS_ENDPOINT_URL_SSO", &portal)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .args([
            "-c",
            "import boto3; print(boto3.Session(profile_name='team').get_credentials().get_frozen_credentials().access_key)",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&boto.stdout).trim(),
        role_key_id,
        "botocore: {}",
        String::from_utf8_lossy(&boto.stderr)
    );
    assert_eq!(seen.lock().unwrap().len(), 2);
    // Role credentials about to expire (within 5 minutes) are fetched again before each
    // request rather than used stale (a `secret get` signs at least two).
    lifetime.store(60, Ordering::SeqCst);
    t.env
        .cmd(["secret", "get", "k", "--store", "aws"])
        .assert()
        .success()
        .stdout("sk-test-aws-sso1\n");
    assert!(
        seen.lock().unwrap().len() >= 5,
        "expiring credentials were not refreshed"
    );
    lifetime.store(3600, Ordering::SeqCst);
    let exchanges = seen.lock().unwrap().len();
    // The reference exit code of a credentials failure: none found at all.
    std::fs::write(aws.join("config"), "[profile team]\nregion = us-east-1\n").unwrap();
    let none = t
        .env
        .cmd(["secret", "get", "k", "--store", "aws"])
        .output()
        .unwrap();
    assert!(!none.status.success());
    assert!(
        String::from_utf8_lossy(&none.stderr).contains("no AWS credentials found"),
        "{}",
        String::from_utf8_lossy(&none.stderr)
    );
    std::fs::write(aws.join("config"), profile("Reader")).unwrap();
    // An expired token: named as such, with the login command; the portal is not asked.
    std::fs::write(&cache, token_file("2020-01-01T00:00:00Z")).unwrap();
    let expired = t
        .env
        .cmd(["secret", "get", "k", "--store", "aws"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&expired.stderr);
    assert!(stderr.contains("expired"), "{stderr}");
    assert!(stderr.contains("aws sso login --profile team"), "{stderr}");
    assert!(
        !stderr.contains(SSO_TOKEN) && !stderr.contains("fake-refresh"),
        "{stderr}"
    );
    assert_eq!(expired.status.code(), none.status.code(), "{stderr}");
    assert_eq!(
        seen.lock().unwrap().len(),
        exchanges,
        "an expired token is not sent"
    );
    // A token the portal refuses (revoked since login): the same class, without the token.
    std::fs::write(
        &cache,
        token_file("2099-01-01T00:00:00Z").replace(SSO_TOKEN, "aoaAAAAArevokedToken0002"),
    )
    .unwrap();
    t.env
        .cmd(["secret", "get", "k", "--store", "aws"])
        .assert()
        .code(none.status.code().unwrap())
        .stderr(predicate::str::contains("expired or is invalid"))
        .stderr(predicate::str::contains("aws sso login --profile team"))
        .stderr(predicate::str::contains("aoaAAAAArevokedToken0002").not());
    // A role the user is not assigned.
    std::fs::write(&cache, token_file("2099-01-01T00:00:00Z")).unwrap();
    std::fs::write(aws.join("config"), profile("Writer")).unwrap();
    t.env
        .cmd(["secret", "get", "k", "--store", "aws"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "not assigned role Writer in account 111122223333",
        ))
        .stderr(predicate::str::contains(SSO_TOKEN).not());
    // No cache file at all: says where it looked and how to log in.
    std::fs::remove_file(&cache).unwrap();
    std::fs::write(aws.join("config"), profile("Reader")).unwrap();
    t.env
        .cmd(["secret", "get", "k", "--store", "aws"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(SSO_CACHE_FILE))
        .stderr(predicate::str::contains("aws sso login --profile team"));
}

/// A fake EC2 metadata service (IMDSv2) handing out `role` as the instance role's
/// credentials; a GET without the IMDS session token is refused (401).
fn fake_imds(role: RoleCreds) -> (String, Arc<std::sync::Mutex<Vec<Seen>>>) {
    let RoleCreds { id, secret, token } = role;
    fake_server(move |r| {
        const TOKEN: &str = "fake-imds-token-0001";
        match (r.0.as_str(), r.1.as_str()) {
            ("PUT", "/latest/api/token")
                if header(r, "x-aws-ec2-metadata-token-ttl-seconds").is_some() =>
            {
                (200, Vec::new(), TOKEN.into())
            }
            _ if header(r, "x-aws-ec2-metadata-token") != Some(TOKEN) => {
                (401, Vec::new(), String::new())
            }
            ("GET", "/latest/meta-data/iam/security-credentials/") => {
                (200, Vec::new(), "byok-test-role".into())
            }
            ("GET", "/latest/meta-data/iam/security-credentials/byok-test-role") => (
                200,
                Vec::new(),
                format!(
                    r#"{{"Code":"Success","LastUpdated":"2026-12-06T00:00:00Z","Type":"AWS-HMAC","AccessKeyId":"{id}","SecretAccessKey":"{secret}","Token":"{token}","Expiration":"2099-01-01T00:00:00Z"}}"#
                ),
            ),
            _ => (404, Vec::new(), String::new()),
        }
    })
}

#[test]
fn aws_imds_only_when_asked() {
    let Some(t) = Team::new("imds") else { return };
    t.add("k", "sk-test-aws-imds");
    let (imds, seen) = fake_imds(role_credentials(t.moto, "imds"));
    let config = std::fs::read_to_string(t.env.file("config.toml")).unwrap();
    // Not asked: never contacted, and the error says so.
    t.env
        .cmd(["secret", "get", "k", "--store", "aws"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no AWS credentials found"))
        .stderr(predicate::str::contains("IMDS: not asked"));
    assert_eq!(seen.lock().unwrap().len(), 0, "IMDS contacted unasked");
    // An endpoint without `imds = "true"` is refused rather than silently unused.
    std::fs::write(
        t.env.file("config.toml"),
        format!("{config}imds_endpoint = \"{imds}\"\n"),
    )
    .unwrap();
    t.env
        .cmd(["secret", "get", "k", "--store", "aws"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("`imds` is not \"true\""));
    assert_eq!(seen.lock().unwrap().len(), 0, "IMDS contacted unasked");
    // Asked: the IMDSv2 token, the role, its credentials; moto checks their signature.
    std::fs::write(
        t.env.file("config.toml"),
        format!("{config}imds = \"true\"\nimds_endpoint = \"{imds}\"\n"),
    )
    .unwrap();
    t.env
        .cmd(["secret", "get", "k", "--store", "aws"])
        .assert()
        .success()
        .stdout("sk-test-aws-imds\n");
    let seen = seen.lock().unwrap();
    let steps: Vec<(&str, &str)> = seen
        .iter()
        .map(|(m, p, _)| (m.as_str(), p.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            ("PUT", "/latest/api/token"),
            ("GET", "/latest/meta-data/iam/security-credentials/"),
            (
                "GET",
                "/latest/meta-data/iam/security-credentials/byok-test-role"
            ),
        ]
    );
}
