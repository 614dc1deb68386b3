//! The OpenBao store against a real `bao` dev server (one per test binary, a prefix per
//! test): the secret commands, interop with the `bao` CLI both ways, policies, sealed and
//! stopped servers, AppRole, expired and revoked tokens, where an environment token goes,
//! and what `byok exec` children see. Skipped loudly without `bao`; failing under CI.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use predicates::prelude::*;

use crate::bao_server::{DevServer, ROOT_TOKEN, store_toml, unique_prefix};
use crate::harness::{Env, require_keychain, stderr, stdout};

/// A home with an openbao store `team` at a prefix of its own on `server`.
struct Team {
    env: Env,
    server: &'static DevServer,
    prefix: String,
}

impl Team {
    fn new(tag: &str) -> Option<Self> {
        let server = DevServer::shared()?;
        Some(Self::on(server, tag, ""))
    }

    fn on(server: &'static DevServer, tag: &str, extra: &str) -> Self {
        let env = Env::init();
        let prefix = unique_prefix(tag);
        std::fs::write(
            env.file("config.toml"),
            store_toml("team", &server.addr, &prefix, extra),
        )
        .unwrap();
        Team {
            env,
            server,
            prefix,
        }
    }

    /// byok with BAO_ADDR/BAO_TOKEN for the server (root, unless `token` says otherwise).
    fn cmd_as<I, S>(&self, token: Option<&str>, args: I) -> assert_cmd::Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = self.env.cmd(args);
        cmd.env("BAO_ADDR", &self.server.addr);
        if let Some(token) = token {
            cmd.env("BAO_TOKEN", token);
        }
        cmd
    }

    fn cmd<I, S>(&self, args: I) -> assert_cmd::Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.cmd_as(Some(ROOT_TOKEN), args)
    }

    fn add(&self, reference: &str, value: &str) {
        self.cmd(["secret", "add", reference, "--stdin", "--store", "team"])
            .write_stdin(value)
            .assert()
            .success();
    }

    fn get(&self, reference: &str) -> String {
        let out = self.cmd(["secret", "get", reference]).output().unwrap();
        assert!(out.status.success(), "get {reference}: {}", stderr(&out));
        stdout(&out).trim_end().to_owned()
    }

    /// `secret/<prefix>NAME` for the bao CLI.
    fn path(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }
}

#[test]
fn every_secret_command_works_and_keeps_versions() {
    let Some(t) = Team::new("cmds") else { return };
    t.cmd(["secret", "add", "svc", "--stdin", "--store", "team"])
        .args(["--provider", "openai", "--name", "Team key"])
        .write_stdin("sk-test-team-value-0001")
        .assert()
        .success();
    assert_eq!(t.get("svc"), "sk-test-team-value-0001");
    for n in 2..=3 {
        t.cmd(["secret", "rotate", "svc", "--stdin"])
            .write_stdin(format!("sk-test-team-value-000{n}"))
            .assert()
            .success();
    }
    let out = t.cmd(["secret", "show", "svc", "--json"]).output().unwrap();
    let show: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(show["label"], "Team key");
    assert_eq!(show["provider"], "openai");
    assert_eq!(show["store"], "team");
    let versions = show["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 3);
    assert_eq!(versions[2]["current"], true);
    t.cmd(["secret", "show", "svc"])
        .assert()
        .success()
        .stdout(predicate::str::contains("version 3").and(predicate::str::contains("(current)")));
    // Roll back to version 1 explicitly: a new version 4 with version 1's value.
    t.cmd(["secret", "rollback", "svc", "--version", "1"])
        .assert()
        .success();
    assert_eq!(t.get("svc"), "sk-test-team-value-0001");
    assert_eq!(
        t.server.ok(&[
            "kv",
            "get",
            "-mount=secret",
            "-field=api_key",
            &t.path("svc")
        ]),
        "sk-test-team-value-0001"
    );
    // Rename: a copy at the new name, the old entry soft-deleted.
    t.cmd(["secret", "rename", "svc", "svc2"])
        .assert()
        .success();
    assert_eq!(t.get("svc2"), "sk-test-team-value-0001");
    t.cmd(["secret", "get", "svc"]).assert().code(3);
    let old = t.server.bao(&[
        "kv",
        "get",
        "-mount=secret",
        "-field=api_key",
        &t.path("svc"),
    ]);
    assert!(!old.status.success(), "the old entry is deleted");
    assert!(
        t.server
            .ok(&["kv", "metadata", "get", "-mount=secret", &t.path("svc")])
            .contains("deletion_time"),
        "soft-deleted, not destroyed"
    );
    // rm soft-deletes: the versions are still there for `bao kv undelete`.
    t.cmd(["secret", "rm", "svc2", "--yes"]).assert().success();
    t.cmd(["secret", "get", "svc2", "--store", "team"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("was deleted"));
    t.server.ok(&[
        "kv",
        "undelete",
        "-mount=secret",
        "-versions=2",
        &t.path("svc2"),
    ]);
    assert_eq!(t.get("svc2"), "sk-test-team-value-0001");
    // --destroy needs a confirmation (none without a terminal), then removes everything.
    t.cmd(["secret", "rm", "svc2", "--destroy"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("destroy secret"));
    t.cmd(["secret", "rm", "svc2", "--destroy", "--yes"])
        .assert()
        .success()
        .stderr(predicate::str::contains("Destroyed"));
    let meta = t
        .server
        .bao(&["kv", "metadata", "get", "-mount=secret", &t.path("svc2")]);
    assert!(!meta.status.success(), "metadata gone after --destroy");
}

#[test]
fn interop_with_the_bao_cli_both_ways() {
    let Some(t) = Team::new("interop") else {
        return;
    };
    t.add("from_byok", "sk-test-interop-byok-0001");
    assert_eq!(
        t.server.ok(&[
            "kv",
            "get",
            "-mount=secret",
            "-field=api_key",
            &t.path("from_byok")
        ]),
        "sk-test-interop-byok-0001"
    );
    t.server.ok(&[
        "kv",
        "put",
        "-mount=secret",
        &t.path("from_bao"),
        "api_key=sk-test-interop-bao-0002",
        "org=o1",
    ]);
    assert_eq!(t.get("from_bao"), "sk-test-interop-bao-0002");
    t.cmd(["secret", "get", "from_bao", "--field", "org"])
        .assert()
        .success()
        .stdout("o1\n");
    // Entries byok cannot use are skipped with a count.
    t.server.ok(&[
        "kv",
        "put",
        "-mount=secret",
        &t.path("nested/deeper"),
        "api_key=x",
    ]);
    t.server.ok(&[
        "kv",
        "put",
        "-mount=secret",
        &t.path("Not-A-Ref"),
        "api_key=x",
    ]);
    let json = t.server.dir.path().join("nonstring.json");
    std::fs::write(&json, r#"{"api_key": 12345}"#).unwrap();
    t.server.ok(&[
        "kv",
        "put",
        "-mount=secret",
        &t.path("numbers"),
        &format!("@{}", json.display()),
    ]);
    let out = t.cmd(["secret", "list", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    let refs: Vec<&str> = list.iter().filter_map(|e| e["ref"].as_str()).collect();
    assert_eq!(refs, ["from_bao", "from_byok"]);
    let err = stderr(&out);
    assert!(err.contains("skipped 3"), "{err}");
    assert!(err.contains("1 nested folder"), "{err}");
    assert!(err.contains("non-string data"), "{err}");
    // byok refuses to rewrite an entry it cannot represent.
    t.cmd([
        "secret", "add", "numbers", "--stdin", "--store", "team", "--force",
    ])
    .write_stdin("sk-test-overwrite-0001")
    .assert()
    .failure()
    .stderr(predicate::str::contains("not strings"));
}

#[test]
fn a_read_only_token_can_get_but_not_add() {
    let Some(t) = Team::new("ro") else { return };
    t.add("shared", "sk-test-read-only-0001");
    let policy = format!(
        "path \"secret/data/{p}*\" {{ capabilities = [\"read\"] }}\n\
         path \"secret/metadata/{p}*\" {{ capabilities = [\"read\", \"list\"] }}\n",
        p = t.prefix
    );
    let name = format!("ro-{}", t.prefix.trim_end_matches('/'));
    let out = t
        .server
        .bao_as(ROOT_TOKEN, &["policy", "write", &name, "-"], Some(&policy));
    assert!(out.status.success(), "{}", stderr(&out));
    let token = t.server.ok(&[
        "token",
        "create",
        &format!("-policy={name}"),
        "-ttl=10m",
        "-field=token",
    ]);
    t.cmd_as(Some(&token), ["secret", "get", "shared"])
        .assert()
        .success()
        .stdout("sk-test-read-only-0001\n");
    let path = format!("secret/data/{}new_one", t.prefix);
    t.cmd_as(
        Some(&token),
        ["secret", "add", "new_one", "--stdin", "--store", "team"],
    )
    .write_stdin("sk-test-denied-0001")
    .assert()
    .code(1)
    .stderr(
        predicate::str::contains("permission denied")
            .and(predicate::str::contains(path))
            .and(predicate::str::contains("create/update")),
    );
    // A revoked token is told apart from a policy denial (lookup-self).
    t.server.ok(&["token", "revoke", &token]);
    t.cmd_as(Some(&token), ["secret", "get", "shared", "--store", "team"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("expired, was revoked"));
}

#[test]
fn sealed_then_stopped_server() {
    let Some(server) = DevServer::start() else {
        return;
    };
    let server: &'static DevServer = Box::leak(Box::new(server));
    let t = Team::on(server, "seal", "");
    t.add("k", "sk-test-sealed-0001");
    server.ok(&["operator", "seal"]);
    t.cmd(["secret", "get", "k", "--store", "team"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("sealed").and(predicate::str::contains("unseal")));
    server.kill();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let out = t
        .cmd(["secret", "get", "k", "--store", "team"])
        .env("BYOK_TEST_UNUSED", "1")
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("unreachable") && err.contains("connection refused"),
        "{err}"
    );
    t.cmd(["store", "test", "team"])
        .assert()
        .failure()
        .stdout(predicate::str::contains("unreachable"));
}

/// A listener that counts requests and remembers whether any carried the root token.
fn counting_listener() -> (String, Arc<AtomicUsize>, Arc<Mutex<bool>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let saw_token = Arc::new(Mutex::new(false));
    let (c, s) = (Arc::clone(&count), Arc::clone(&saw_token));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            c.fetch_add(1, Ordering::SeqCst);
            let mut buf = [0u8; 8192];
            let n = stream.read(&mut buf).unwrap_or(0);
            if String::from_utf8_lossy(&buf[..n]).contains(ROOT_TOKEN) {
                *s.lock().unwrap() = true;
            }
            let _ = stream.write_all(
                b"HTTP/1.1 403 Forbidden\r\ncontent-type: application/json\r\ncontent-length: 33\r\nconnection: close\r\n\r\n{\"errors\":[\"permission denied\"]}",
            );
        }
    });
    (addr, count, saw_token)
}

#[test]
fn an_environment_token_goes_only_to_the_store_bao_addr_names() {
    let Some(server) = DevServer::shared() else {
        return;
    };
    let (other, count, saw_token) = counting_listener();
    let env = Env::init();
    let prefix = unique_prefix("envtok");
    std::fs::write(
        env.file("config.toml"),
        format!(
            "{}{}",
            store_toml("team", &server.addr, &prefix, ""),
            store_toml("other", &other, "byok/", "")
        ),
    )
    .unwrap();
    let cmd = |args: &[&str]| {
        let mut c = env.cmd(args);
        c.env("BAO_ADDR", &server.addr).env("BAO_TOKEN", ROOT_TOKEN);
        c
    };
    cmd(&["secret", "add", "k", "--stdin", "--store", "team"])
        .write_stdin("sk-test-env-token-0001")
        .assert()
        .success();
    cmd(&["secret", "get", "k", "--store", "other"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no token for this store"));
    let out = cmd(&["secret", "list", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("could not list the other store"));
    cmd(&["secret", "get", "k"]).assert().success();
    assert!(
        !*saw_token.lock().unwrap(),
        "the token reached the other store"
    );
    assert_eq!(
        count.load(Ordering::SeqCst),
        0,
        "the other store was contacted"
    );
    // ~/.vault-token follows the same rule.
    std::fs::write(env.dir.path().join(".vault-token"), ROOT_TOKEN).unwrap();
    env.cmd(["secret", "get", "k", "--store", "team"])
        .env("BAO_ADDR", &server.addr)
        .assert()
        .success()
        .stdout("sk-test-env-token-0001\n");
    env.cmd(["secret", "get", "k", "--store", "other"])
        .env("BAO_ADDR", &server.addr)
        .assert()
        .code(1);
    env.cmd(["secret", "get", "k", "--store", "team"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no token"));
    assert!(!*saw_token.lock().unwrap());
}

#[test]
fn exec_children_get_the_key_and_never_the_token() {
    let Some(t) = Team::new("exec") else { return };
    t.add("team_openai", "sk-test-exec-child-0001");
    t.cmd([
        "connector",
        "add",
        "work",
        "--type",
        "openai",
        "--secret",
        "team_openai",
    ])
    .assert()
    .success();
    let out = t
        .cmd([
            "exec",
            "work",
            "--",
            "sh",
            "-c",
            "env; cat \"$HOME/.vault-token\" 2>/dev/null; true",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let seen = stdout(&out);
    assert!(
        seen.contains("OPENAI_API_KEY=sk-test-exec-child-0001"),
        "{seen}"
    );
    assert!(!seen.contains(ROOT_TOKEN), "the child saw the token");
    assert!(!seen.contains("BAO_TOKEN"), "{seen}");
}

#[test]
fn approle_login_and_relogin_after_expiry() {
    let Some(bus) = require_keychain() else {
        return;
    };
    let Some(server) = DevServer::shared() else {
        return;
    };
    let prefix = unique_prefix("approle");
    let role = format!("byok-{}", prefix.trim_end_matches('/'));
    let policy = format!(
        "path \"secret/data/{prefix}*\" {{ capabilities = [\"create\", \"read\", \"update\", \"delete\"] }}\n\
         path \"secret/metadata/{prefix}*\" {{ capabilities = [\"create\", \"read\", \"update\", \"list\", \"delete\"] }}\n\
         path \"secret/delete/{prefix}*\" {{ capabilities = [\"update\"] }}\n"
    );
    let out = server.bao_as(ROOT_TOKEN, &["policy", "write", &role, "-"], Some(&policy));
    assert!(out.status.success(), "{}", stderr(&out));
    // Enabling twice fails harmlessly (another test binary run may have done it).
    let _ = server.bao(&["auth", "enable", "approle"]);
    server.ok(&[
        "write",
        &format!("auth/approle/role/{role}"),
        &format!("token_policies={role}"),
        "token_ttl=7s",
        "token_max_ttl=1h",
    ]);
    let role_id = server.ok(&[
        "read",
        "-field=role_id",
        &format!("auth/approle/role/{role}/role-id"),
    ]);
    let secret_id = server.ok(&[
        "write",
        "-f",
        "-field=secret_id",
        &format!("auth/approle/role/{role}/secret-id"),
    ]);
    let env = Env::init();
    let cmd = |args: &[&str]| env.cmd_kc(&bus, args);
    cmd(&[
        "store",
        "add",
        "team",
        "--type",
        "openbao",
        "--address",
        &server.addr,
        "--prefix",
        &prefix,
        "--auth",
        "approle",
        "--role-id",
        &role_id,
    ])
    .assert()
    .success();
    cmd(&["secret", "get", "x", "--store", "team"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("store login team"));
    cmd(&["store", "login", "team", "--stdin"])
        .write_stdin("not-the-secret-id")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("AppRole login refused"));
    cmd(&["store", "login", "team", "--stdin"])
        .write_stdin(secret_id.clone())
        .assert()
        .success()
        .stderr(predicate::str::contains(role.as_str()));
    let config = std::fs::read_to_string(env.file("config.toml")).unwrap();
    assert!(config.contains("login = \"keychain\""), "{config}");
    assert!(
        !config.contains(&secret_id),
        "the secret id is not in config.toml"
    );
    cmd(&["secret", "add", "k", "--stdin", "--store", "team"])
        .write_stdin("sk-test-approle-0001")
        .assert()
        .success();
    // The token expires (7 s TTL); byok logs in again with the kept secret id.
    std::thread::sleep(std::time::Duration::from_secs(8));
    cmd(&["secret", "get", "k"])
        .assert()
        .success()
        .stdout("sk-test-approle-0001\n");
    cmd(&["store", "test", "team"]).assert().success();
    // `store rm` forgets the login.
    cmd(&["store", "rm", "team"]).assert().success();
}

/// The put rules are the vault's: `--expires` and `--reveal` on `secret add`, and `secret
/// set`, hold on an OpenBao secret as on a vault one (they were dropped outside copies).
#[test]
fn expiry_and_reveal_policy_hold_on_an_openbao_secret() {
    let Some(t) = Team::new("putrules") else {
        return;
    };
    t.cmd(["secret", "add", "k", "--stdin", "--store", "team"])
        .args(["--expires", "2027-03-01", "--reveal", "never"])
        .write_stdin("sk-test-put-rules-0001")
        .assert()
        .success();
    let out = t.cmd(["secret", "list", "--json"]).output().unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let k = &listed.as_array().unwrap()[0];
    assert_eq!(k["ref"], "k", "{k}");
    assert_eq!(k["expires"], "2027-03-01T00:00:00Z", "{k}");
    // `reveal never` on the secret: get refuses (exit 8), exec still works.
    t.cmd(["secret", "get", "k"]).assert().code(8);
    t.cmd([
        "exec",
        "--set",
        "K=k",
        "--",
        "sh",
        "-c",
        "test \"$K\" = sk-test-put-rules-0001",
    ])
    .assert()
    .success();
    // The metadata sits in the entry where the bao CLI sees it.
    let meta: serde_json::Value = serde_json::from_str(&t.server.ok(&[
        "kv",
        "metadata",
        "get",
        "-mount=secret",
        "-format=json",
        &t.path("k"),
    ]))
    .unwrap();
    let custom = &meta["data"]["custom_metadata"];
    assert_eq!(custom["byok_reveal"], "never", "{meta}");
    assert_eq!(custom["byok_expires"], "2027-03-01T00:00:00Z", "{meta}");
    // Clearing the expiry removes the key.
    t.cmd(["secret", "set", "k", "--expires", "never"])
        .assert()
        .success();
    let meta: serde_json::Value = serde_json::from_str(&t.server.ok(&[
        "kv",
        "metadata",
        "get",
        "-mount=secret",
        "-format=json",
        &t.path("k"),
    ]))
    .unwrap();
    assert!(
        meta["data"]["custom_metadata"]
            .get("byok_expires")
            .is_none(),
        "{meta}"
    );
}

/// A server (or something in front of it) that echoes the request's token in its `errors`
/// never gets it printed: not in errors, not in `secret list` warnings, not in `store test`.
#[test]
fn a_server_that_echoes_the_token_never_gets_it_printed() {
    const TOKEN: &str = "s.faketoken123";
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut buf = [0u8; 8192];
            let n = stream.read(&mut buf).unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]).to_string();
            let token = request
                .lines()
                .find_map(|l| l.strip_prefix("x-vault-token: "))
                .unwrap_or("none")
                .trim()
                .to_owned();
            let body = if request.contains("/sys/health") {
                r#"{"initialized":true,"sealed":false,"standby":false,"version":"2.4.0"}"#
                    .to_owned()
            } else {
                format!(
                    r#"{{"errors":["invalid token {token} (also hvs.CAESIJ0123456789abcdefghijk)"]}}"#
                )
            };
            let status = if request.contains("/sys/health") {
                "200 OK"
            } else {
                "400 Bad Request"
            };
            let _ = stream.write_all(
                format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                )
                .as_bytes(),
            );
        }
    });
    let env = Env::init();
    std::fs::write(
        env.file("config.toml"),
        store_toml("echo", &addr, "byok/", ""),
    )
    .unwrap();
    let run = |args: &[&str]| {
        env.cmd(args)
            .env("BAO_ADDR", &addr)
            .env("BAO_TOKEN", TOKEN)
            .output()
            .unwrap()
    };
    for args in [
        &["secret", "get", "k", "--store", "echo"][..],
        &["secret", "list"],
        &["store", "test", "echo"],
    ] {
        let out = run(args);
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(
            all.contains("invalid token <token hidden>"),
            "{args:?}: {all}"
        );
        assert!(!all.contains(TOKEN), "{args:?} printed the token: {all}");
        assert!(!all.contains("hvs.CAESIJ"), "{args:?}: {all}");
    }
}
