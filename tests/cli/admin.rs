//! Keys managed through the providers' admin APIs, against wire-faithful fakes
//! (`harness::admin_fake`): admin connections, `exec --ephemeral` (the minted key lives at
//! the provider only while the command runs, even when byok is killed), `secret rotate
//! --via-provider` with a proxy serving throughout, the old key's retirement after its grace
//! period, and rollback.

use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::harness::admin_fake::{AdminFake, Flavor, KeyStatus, PROJECT};
use crate::harness::{
    Env, audit_lines, byok_bin, chat, exit_code, start_proxy, stderr, stdout, token,
};

const OPENAI_ADMIN: &str = "sk-admin-test-0123456789abcdefABCDEF";
const OPENROUTER_ADMIN: &str =
    "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";
const ANTHROPIC_ADMIN: &str = "sk-ant-admin01-test-0123456789abcdefABCDEF";
const MODEL: &str = "gpt-test-mini";

fn admin_key(flavor: Flavor) -> &'static str {
    match flavor {
        Flavor::OpenAi => OPENAI_ADMIN,
        Flavor::OpenRouter => OPENROUTER_ADMIN,
        Flavor::Anthropic => ANTHROPIC_ADMIN,
    }
}

fn provider(flavor: Flavor) -> &'static str {
    match flavor {
        Flavor::OpenAi => "openai",
        Flavor::OpenRouter => "openrouter",
        Flavor::Anthropic => "anthropic",
    }
}

/// A home with the admin key stored and an admin connection `main` to `fake`.
fn admin_home(flavor: Flavor) -> (Env, AdminFake) {
    let fake = AdminFake::start(flavor, admin_key(flavor));
    let env = Env::init();
    env.add("admin_key", admin_key(flavor), &[]);
    let base = fake.api_base();
    let mut args = vec![
        "admin",
        "add",
        "main",
        "--provider",
        provider(flavor),
        "--secret",
        "admin_key",
        "--base-url",
        &base,
    ];
    if flavor == Flavor::OpenAi {
        args.extend(["--project", PROJECT]);
    }
    env.cmd(&args).assert().success();
    (env, fake)
}

/// A connector `work` of the fake's provider using `secret` (whose value the fake knows).
fn connector(env: &Env, fake: &AdminFake, flavor: Flavor, secret: &str) {
    let base = fake.api_base();
    let base = match flavor {
        Flavor::Anthropic => base,
        _ => base,
    };
    env.cmd([
        "connector",
        "add",
        "work",
        "--type",
        provider(flavor),
        "--model",
        MODEL,
        "--base-url",
        &base,
        "--secret",
        secret,
    ])
    .assert()
    .success();
}

/// The child of `exec --ephemeral`: writes its environment to `$OUT/env`, then waits for
/// `$OUT/go`.
const CHILD: &str = r#"env > "$OUT/env.tmp" && mv "$OUT/env.tmp" "$OUT/env"; while [ ! -e "$OUT/go" ]; do sleep 0.05; done"#;

fn spawn_ephemeral(env: &Env, out: &Path, extra: &[&str], vars: &[(&str, &str)]) -> Child {
    env.program(byok_bin().to_str().unwrap())
        .args(["exec", "--ephemeral", "work"])
        .args(extra)
        .args(["--", "sh", "-c", CHILD])
        .env("OUT", out)
        .envs(vars.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The child's environment once it is written.
fn child_env(out: &Path, byok: &mut Child) -> Vec<(String, String)> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let path = out.join("env");
    while !path.exists() {
        if let Ok(Some(status)) = byok.try_wait() {
            let mut text = String::new();
            std::io::Read::read_to_string(byok.stderr.as_mut().unwrap(), &mut text).unwrap();
            panic!("byok exited ({status}) before the child ran: {text}");
        }
        assert!(Instant::now() < deadline, "the child did not start");
        thread::sleep(Duration::from_millis(20));
    }
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn var<'a>(vars: &'a [(String, String)], name: &str) -> Option<&'a str> {
    vars.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn finish(out: &Path, byok: Child) -> std::process::Output {
    std::fs::write(out.join("go"), "").unwrap();
    byok.wait_with_output().unwrap()
}

/// The name byok gave a minted key: OpenAI names the service account (its key is called
/// "Secret Key"), OpenRouter the key.
fn name_at_provider(fake: &AdminFake, key: &crate::harness::admin_fake::FakeKey) -> String {
    match &key.service_account {
        Some(account) => fake
            .service_accounts()
            .into_iter()
            .find(|(id, _, _)| id == account)
            .map(|(_, name, _)| name)
            .unwrap(),
        None => key.name.clone(),
    }
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn record(env: &Env) -> Value {
    let out = env.cmd(["admin", "status", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn actions(env: &Env) -> Vec<(String, String)> {
    audit_lines(env)
        .iter()
        .map(|l| {
            (
                l["action"].as_str().unwrap_or("").to_owned(),
                l["outcome"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

#[test]
fn admin_test_says_what_each_provider_allows_and_refuses_a_wrong_key() {
    for flavor in [Flavor::OpenAi, Flavor::OpenRouter, Flavor::Anthropic] {
        let (env, fake) = admin_home(flavor);
        let out = env.cmd(["admin", "test", "main"]).output().unwrap();
        assert!(out.status.success(), "{flavor:?}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains("admin key works"), "{text}");
        let expected = match flavor {
            Flavor::Anthropic => "no minting",
            _ => "mint:",
        };
        assert!(text.contains(expected), "{flavor:?}: {text}");
        let json: Value = serde_json::from_slice(
            &env.cmd(["admin", "test", "main", "--json"])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        assert_eq!(json["can_mint"], flavor != Flavor::Anthropic);
        assert_eq!(json["can_disable"], flavor != Flavor::OpenAi);
        // The admin secret is recorded as an admin key: never handed to a program.
        let listed: Value = serde_json::from_slice(
            &env.cmd(["secret", "list", "--json"])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        assert_eq!(listed[0]["kind"], "admin", "{listed}");
        let refused = env
            .cmd(["exec", "admin_key", "--", "env"])
            .output()
            .unwrap();
        assert_eq!(exit_code(&refused), 8, "{}", stderr(&refused));
        assert!(!stdout(&refused).contains(admin_key(flavor)));

        assert!(fake.problems().is_empty(), "{:?}", fake.problems());
        // A wrong admin key: refused (exit 8), the key in no message.
        let wrong = match flavor {
            Flavor::OpenAi => "sk-admin-test-WRONGWRONGWRONGWRONG99",
            Flavor::OpenRouter => "sk-or-v1-wrongwrongwrongwrongwrongwrongwrongwrongwrongwrong00",
            Flavor::Anthropic => "sk-ant-admin01-test-WRONGWRONGWRONG99",
        };
        env.cmd(["secret", "rotate", "admin_key", "--stdin"])
            .write_stdin(wrong)
            .assert()
            .success();
        let out = env.cmd(["admin", "test", "main"]).output().unwrap();
        assert_eq!(exit_code(&out), 8, "{flavor:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("admin API"), "{err}");
        assert!(
            !err.contains("WRONGWRONG") && !err.contains("wrongwrong"),
            "{err}"
        );
        let tests: Vec<_> = actions(&env)
            .into_iter()
            .filter(|(a, _)| a == "admin.test")
            .map(|(_, o)| o)
            .collect();
        assert_eq!(tests.len(), 3, "{tests:?}");
        assert_eq!(tests.last().unwrap(), "error");
    }
}

/// The minted key exists at the provider while the command runs, is the only key the
/// command gets, and is gone when it ends.
#[test]
fn an_ephemeral_key_lives_only_while_its_command_runs() {
    for flavor in [Flavor::OpenAi, Flavor::OpenRouter] {
        let (env, fake) = admin_home(flavor);
        let stored = match flavor {
            Flavor::OpenAi => "sk-proj-test-stored-0123456789abcdefWXYZ",
            _ => "sk-or-v1-test-stored-0123456789abcdef0123456789abcdef0123456789",
        };
        fake.seed_key("stored by a person", stored);
        env.add("stored", stored, &[]);
        connector(&env, &fake, flavor, "stored");
        let out_dir = env.dir.path().join(format!("run-{flavor:?}"));
        std::fs::create_dir_all(&out_dir).unwrap();
        let mut byok = spawn_ephemeral(&env, &out_dir, &["--ttl", "10m", "--limit", "2.5"], &[]);
        let vars = child_env(&out_dir, &mut byok);
        let var_name = match flavor {
            Flavor::OpenAi => "OPENAI_API_KEY",
            _ => "OPENROUTER_API_KEY",
        };
        let minted = var(&vars, var_name)
            .expect("the minted key is exported")
            .to_owned();
        assert_ne!(minted, stored);
        assert!(
            fake.is_usable(&minted),
            "{flavor:?}: the key works during the run"
        );
        let all: String = vars.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
        assert!(!all.contains(stored), "the stored key stays home");
        assert!(!all.contains(admin_key(flavor)), "the admin key stays home");
        let key = fake.keys().into_iter().find(|k| k.value == minted).unwrap();
        assert!(
            name_at_provider(&fake, &key).starts_with("byok-eph-"),
            "{}",
            key.name
        );
        let expires = key.expires_at.expect("an expiry at the provider");
        assert!(
            expires.abs_diff(now() + 600) < 120,
            "{flavor:?}: expires in ~10 minutes, not {}",
            expires as i64 - now() as i64
        );
        if flavor == Flavor::OpenRouter {
            assert_eq!(key.limit, Some(2.5));
        } else {
            assert!(key.service_account.is_some());
            assert_eq!(
                var(&vars, "OPENAI_BASE_URL"),
                Some(fake.api_base().as_str())
            );
        }
        let made = record(&env)["made"].clone();
        assert_eq!(made[0]["state"], "live", "{made}");

        let out = finish(&out_dir, byok);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(
            !fake.is_usable(&minted),
            "{flavor:?}: revoked when the command ended"
        );
        let after = fake.keys().into_iter().find(|k| k.value == minted).unwrap();
        assert_eq!(after.status, KeyStatus::Deleted);
        if flavor == Flavor::OpenAi {
            let accounts = fake.service_accounts();
            assert!(
                accounts.iter().all(|(_, _, deleted)| *deleted),
                "the session's service account is deleted: {accounts:?}"
            );
        }
        assert!(fake.is_usable(stored), "the stored key is untouched");
        assert_eq!(record(&env)["made"][0]["state"], "revoked");
        let acts = actions(&env);
        for action in ["admin.mint", "admin.revoke"] {
            assert!(
                acts.iter().any(|(a, o)| a == action && o == "ok"),
                "{action} in {acts:?}"
            );
        }
        // Every call to the admin API is an audit entry (admin.add made none).
        let admin_calls = fake
            .requests()
            .iter()
            .filter(|r| r.target.contains("/organization") || r.target.contains("/keys"))
            .count();
        let audited = acts
            .iter()
            .filter(|(a, _)| a.starts_with("admin.") && a != "admin.add")
            .count();
        assert_eq!(admin_calls, audited, "{acts:?}");
        assert!(fake.problems().is_empty(), "{:?}", fake.problems());
    }
}

/// byok killed while its command runs: the key lives on at the provider only until the
/// next byok command that sweeps.
#[test]
fn a_killed_run_leaves_no_live_key_after_the_next_command() {
    for flavor in [Flavor::OpenAi, Flavor::OpenRouter] {
        let (env, fake) = admin_home(flavor);
        let stored = match flavor {
            Flavor::OpenAi => "sk-proj-test-stored-0123456789abcdefWXYZ",
            _ => "sk-or-v1-test-stored-0123456789abcdef0123456789abcdef0123456789",
        };
        env.add("stored", stored, &[]);
        connector(&env, &fake, flavor, "stored");
        let out_dir = env.dir.path().join("killed");
        std::fs::create_dir_all(&out_dir).unwrap();
        let mut byok = spawn_ephemeral(&env, &out_dir, &[], &[]);
        let vars = child_env(&out_dir, &mut byok);
        let minted = vars
            .iter()
            .find(|(k, _)| k.ends_with("_API_KEY"))
            .map(|(_, v)| v.clone())
            .unwrap();
        byok.kill().unwrap(); // SIGKILL
        byok.wait().unwrap();
        std::fs::write(out_dir.join("go"), "").unwrap(); // the orphaned child ends
        assert!(fake.is_usable(&minted), "nobody revoked it yet");

        // The next command (another ephemeral run) sweeps first.
        let out = env
            .cmd(["exec", "--ephemeral", "work", "--", "true"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stderr(&out).contains("swept: revoked"), "{}", stderr(&out));
        assert!(!fake.is_usable(&minted), "{flavor:?}: swept");
        assert!(
            fake.keys().iter().all(|k| !fake.is_usable(&k.value)),
            "no minted key is live"
        );
        assert!(fake.problems().is_empty(), "{:?}", fake.problems());
    }
}

/// SIGKILL between the provider's answer and the record: the intent written before the
/// request lets the sweep find the key by its name.
#[test]
fn a_crash_between_create_and_record_is_swept_by_name() {
    for flavor in [Flavor::OpenAi, Flavor::OpenRouter] {
        let (env, fake) = admin_home(flavor);
        env.add("stored", "sk-test-stored-0123456789abcdef", &[]);
        connector(&env, &fake, flavor, "stored");
        let out = env
            .cmd(["exec", "--ephemeral", "work", "--", "true"])
            .env("BYOK_FAULT", "kill-after-mint")
            .output()
            .unwrap();
        assert!(!out.status.success());
        let made = record(&env)["made"].clone();
        assert_eq!(made[0]["state"], "intent", "{made}");
        let live: Vec<_> = fake
            .keys()
            .into_iter()
            .filter(|k| fake.is_usable(&k.value))
            .collect();
        assert_eq!(live.len(), 1, "the provider made the key");
        assert_eq!(
            name_at_provider(&fake, &live[0]),
            made[0]["name"].as_str().unwrap()
        );

        let out = env.cmd(["admin", "sweep"]).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(!fake.is_usable(&live[0].value), "{flavor:?}: swept by name");
        assert_eq!(record(&env)["made"][0]["state"], "revoked");
        assert!(fake.problems().is_empty(), "{:?}", fake.problems());
    }
}

/// A provider that refuses the deletion: byok says so, keeps the key in its record with the
/// error, and the next sweep revokes it.
#[test]
fn a_refused_deletion_is_reported_and_retried() {
    let (env, fake) = admin_home(Flavor::OpenRouter);
    env.add("stored", "sk-or-v1-test-stored-0123456789abcdef", &[]);
    connector(&env, &fake, Flavor::OpenRouter, "stored");
    fake.set_refuse_deletes(true);
    let out = env
        .cmd(["exec", "--ephemeral", "work", "--", "true"])
        .output()
        .unwrap();
    assert_eq!(exit_code(&out), 8, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("could not be revoked"),
        "{}",
        stderr(&out)
    );
    let made = record(&env)["made"][0].clone();
    assert_eq!(made["state"], "live");
    assert!(
        made["error"].as_str().unwrap().contains("admin API"),
        "{made}"
    );
    let minted: Vec<_> = fake
        .keys()
        .into_iter()
        .filter(|k| fake.is_usable(&k.value))
        .collect();
    assert_eq!(minted.len(), 1);
    let status = stdout(&env.cmd(["admin", "status"]).output().unwrap());
    assert!(status.contains("last error"), "{status}");

    // Still refused: the sweep fails loudly and keeps it.
    let out = env.cmd(["admin", "sweep"]).output().unwrap();
    assert!(!out.status.success());
    fake.set_refuse_deletes(false);
    env.cmd(["admin", "sweep"]).assert().success();
    assert!(!fake.is_usable(&minted[0].value));
    assert_eq!(record(&env)["made"][0]["state"], "revoked");
}

/// A key that expires at the provider while the command runs: the end of the run still
/// cleans up.
#[test]
fn a_key_expiring_mid_run_is_still_cleaned_up() {
    let (env, fake) = admin_home(Flavor::OpenAi);
    env.add("stored", "sk-proj-test-stored-0123456789abcd", &[]);
    connector(&env, &fake, Flavor::OpenAi, "stored");
    let out_dir = env.dir.path().join("expiring");
    std::fs::create_dir_all(&out_dir).unwrap();
    let mut byok = spawn_ephemeral(&env, &out_dir, &[], &[]);
    let vars = child_env(&out_dir, &mut byok);
    let minted = var(&vars, "OPENAI_API_KEY").unwrap().to_owned();
    let id = fake
        .keys()
        .into_iter()
        .find(|k| k.value == minted)
        .unwrap()
        .id;
    fake.expire(&id);
    assert!(!fake.is_usable(&minted));
    let out = finish(&out_dir, byok);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(record(&env)["made"][0]["state"], "revoked");
    assert!(
        fake.service_accounts()
            .iter()
            .all(|(_, _, deleted)| *deleted)
    );
}

/// Anthropic cannot mint: the command gets the stored key, with a warning saying why.
#[test]
fn anthropic_falls_back_to_the_stored_key() {
    let (env, fake) = admin_home(Flavor::Anthropic);
    let stored = "sk-ant-api03-test-stored-0123456789abcdef";
    env.add("stored", stored, &[]);
    connector(&env, &fake, Flavor::Anthropic, "stored");
    let out = env
        .cmd([
            "exec",
            "--ephemeral",
            "work",
            "--",
            "sh",
            "-c",
            "printf %s \"$ANTHROPIC_API_KEY\"",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), stored);
    assert!(
        stderr(&out).contains("cannot create keys"),
        "{}",
        stderr(&out)
    );
    assert!(
        fake.requests().iter().all(|r| r.method == "GET"),
        "nothing was asked of the admin API"
    );
}

/// `rotate --via-provider` with a proxy serving throughout: no request fails during the
/// switch, the proxy uses the new key after it, and the old key is disabled after the grace
/// period.
#[test]
fn rotation_through_the_provider_switches_a_running_proxy_without_a_failed_request() {
    let (env, fake) = admin_home(Flavor::OpenRouter);
    let old = "sk-or-v1-0000000000000000000000000000000000000000000000000000000000old1";
    let old_id = fake.seed_key("made by a person", old);
    env.add("orkey", old, &["--provider", "openrouter"]);
    connector(&env, &fake, Flavor::OpenRouter, "orkey");
    let proxy = start_proxy(&env, &[]);
    let placeholder = token(&env, "rotation", &[]);

    let stop = Arc::new(AtomicBool::new(false));
    let sender = {
        let stop = Arc::clone(&stop);
        let (port, placeholder) = (proxy.port, placeholder.clone());
        thread::spawn(move || {
            let mut statuses = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                statuses.push(chat(port, &placeholder, MODEL, false).status);
                thread::sleep(Duration::from_millis(20));
            }
            statuses
        })
    };
    thread::sleep(Duration::from_millis(300));
    let out = env
        .cmd([
            "secret",
            "rotate",
            "orkey",
            "--via-provider",
            "--grace",
            "3s",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stderr(&out);
    for step in ["step 1/5", "step 2/5", "step 3/5", "step 4/5", "step 5/5"] {
        assert!(text.contains(step), "{step}: {text}");
    }
    let new = env.get("orkey");
    assert_ne!(new, old);
    assert!(fake.is_usable(&new));
    // The proxy now injects the new key.
    let before = fake.inference_count(&new);
    let deadline = Instant::now() + Duration::from_secs(10);
    while fake.inference_count(&new) <= before + 2 {
        assert!(
            Instant::now() < deadline,
            "the proxy never used the new key"
        );
        thread::sleep(Duration::from_millis(50));
    }
    stop.store(true, Ordering::Relaxed);
    let statuses = sender.join().unwrap();
    assert!(statuses.len() > 10, "{}", statuses.len());
    assert!(
        statuses.iter().all(|s| *s == 200),
        "every request succeeded: {statuses:?}"
    );
    let old_used = fake.inference_count(old);
    assert!(old_used > 0, "the proxy used the old key before");

    // Within the grace period the old key still works; after it, the sweep disables it.
    assert!(fake.is_usable(old));
    env.cmd(["admin", "sweep"]).assert().success();
    assert!(fake.is_usable(old), "not before the grace period ends");
    thread::sleep(Duration::from_secs(3));
    let out = env.cmd(["admin", "sweep"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let old_key = fake.keys().into_iter().find(|k| k.id == old_id).unwrap();
    assert_eq!(old_key.status, KeyStatus::Disabled);
    assert!(!fake.is_usable(old));
    let acts: Vec<String> = actions(&env).into_iter().map(|(a, _)| a).collect();
    let order: Vec<&str> = [
        "admin.mint",
        "secret.rotate",
        "admin.retire",
        "admin.disable",
    ]
    .to_vec();
    let mut at = 0;
    for action in &acts {
        if at < order.len() && action == order[at] {
            at += 1;
        }
    }
    assert_eq!(
        at,
        order.len(),
        "each step in the audit log, in order: {acts:?}"
    );

    // Rollback: the old value is stored again and the old key is enabled again.
    let out = env.cmd(["secret", "rollback", "orkey"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(env.get("orkey"), old);
    assert!(fake.is_usable(old), "re-enabled at the provider");
    assert!(fake.problems().is_empty(), "{:?}", fake.problems());
}

/// OpenAI: a person's key is found by its redacted value and deleted (OpenAI keys cannot be
/// paused) — at once with `--grace 0`.
#[test]
fn openai_rotation_deletes_the_old_key_with_no_grace() {
    let (env, fake) = admin_home(Flavor::OpenAi);
    let old = "sk-proj-test-person-0123456789abcdefQRST";
    let old_id = fake.seed_key("laptop", old);
    env.add("oakey", old, &["--provider", "openai"]);
    connector(&env, &fake, Flavor::OpenAi, "oakey");
    let out = env
        .cmd([
            "secret",
            "rotate",
            "oakey",
            "--via-provider",
            "--grace",
            "0s",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let new = env.get("oakey");
    assert!(new.starts_with("sk-svcacct-"), "{new}");
    assert!(fake.is_usable(&new));
    let old_key = fake.keys().into_iter().find(|k| k.id == old_id).unwrap();
    assert_eq!(old_key.status, KeyStatus::Deleted);
    // Rotated again, the key byok made is found by its redacted form and its own service
    // account (made for it alone) is deleted.
    let out = env
        .cmd([
            "secret",
            "rotate",
            "oakey",
            "--via-provider",
            "--grace",
            "0s",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let newer = env.get("oakey");
    assert!(fake.is_usable(&newer));
    assert!(
        !fake.is_usable(&new),
        "the previous rotation's key is retired"
    );
    let first_account = fake
        .keys()
        .into_iter()
        .find(|k| k.value == new)
        .unwrap()
        .service_account
        .unwrap();
    assert!(
        fake.service_accounts()
            .iter()
            .any(|(id, _, deleted)| *id == first_account && *deleted),
        "its service account is gone with it"
    );
    // A rollback cannot bring a deleted OpenAI key back, and says so.
    let out = env.cmd(["secret", "rollback", "oakey"]).output().unwrap();
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("cannot come back"),
        "{}",
        stderr(&out)
    );
    assert!(fake.problems().is_empty(), "{:?}", fake.problems());
}

/// `--dry-run` shows every step and changes nothing, here or at the provider.
#[test]
fn a_dry_run_changes_nothing() {
    let (env, fake) = admin_home(Flavor::OpenRouter);
    let old = "sk-or-v1-1111111111111111111111111111111111111111111111111111111111dry1";
    fake.seed_key("made by a person", old);
    env.add("orkey", old, &["--provider", "openrouter"]);
    connector(&env, &fake, Flavor::OpenRouter, "orkey");
    let out = env
        .cmd(["secret", "rotate", "orkey", "--via-provider", "--dry-run"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stderr(&out);
    for step in [
        "would 1/5",
        "would 2/5",
        "would 3/5",
        "would 4/5",
        "would 5/5",
    ] {
        assert!(text.contains(step), "{step}: {text}");
    }
    assert!(
        text.contains("disable the old key after the grace period"),
        "{text}"
    );
    assert_eq!(env.get("orkey"), old);
    assert!(
        fake.requests().iter().all(|r| r.method == "GET"),
        "only reads reached the provider"
    );
    assert_eq!(fake.keys().len(), 1);
}

/// Anthropic: the person makes the new key in the Console; byok tests, stores, disables
/// the old one, and a rollback enables it again.
#[test]
fn anthropic_rotation_takes_the_new_key_and_disables_the_old_one() {
    let (env, fake) = admin_home(Flavor::Anthropic);
    let old = "sk-ant-api03-test-old-0123456789abcdefOLD1";
    let new = "sk-ant-api03-test-new-0123456789abcdefNEW2";
    let old_id = fake.seed_key("old", old);
    fake.seed_key("new", new);
    env.add("ankey", old, &["--provider", "anthropic"]);
    connector(&env, &fake, Flavor::Anthropic, "ankey");
    let out = env
        .cmd(["secret", "rotate", "ankey", "--via-provider"])
        .output()
        .unwrap();
    assert_eq!(exit_code(&out), 2, "without --stdin: {}", stderr(&out));
    assert!(stderr(&out).contains("cannot create keys"));
    let out = env
        .cmd([
            "secret",
            "rotate",
            "ankey",
            "--via-provider",
            "--stdin",
            "--grace",
            "0s",
        ])
        .write_stdin(new)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(env.get("ankey"), new);
    let old_key = fake.keys().into_iter().find(|k| k.id == old_id).unwrap();
    assert_eq!(old_key.status, KeyStatus::Disabled);
    env.cmd(["secret", "rollback", "ankey"]).assert().success();
    let old_key = fake.keys().into_iter().find(|k| k.id == old_id).unwrap();
    assert_eq!(old_key.status, KeyStatus::Active);
    assert!(fake.problems().is_empty(), "{:?}", fake.problems());
}

/// A new key that fails its connection test is revoked and the old value kept.
#[test]
fn a_new_key_that_fails_its_test_is_revoked() {
    let (env, fake) = admin_home(Flavor::OpenRouter);
    let old = "sk-or-v1-2222222222222222222222222222222222222222222222222222222222bad1";
    fake.seed_key("made by a person", old);
    env.add("orkey", old, &["--provider", "openrouter"]);
    // The connector points at a port where nothing answers: the test of the new key fails.
    env.cmd([
        "connector",
        "add",
        "work",
        "--type",
        "openrouter",
        "--model",
        MODEL,
        "--base-url",
        &crate::harness::provider::refused_url(),
        "--secret",
        "orkey",
    ])
    .assert()
    .success();
    let out = env
        .cmd([
            "secret",
            "rotate",
            "orkey",
            "--via-provider",
            "--timeout",
            "5",
        ])
        .output()
        .unwrap();
    assert_eq!(exit_code(&out), 6, "{}", stderr(&out));
    assert_eq!(env.get("orkey"), old);
    let minted: Vec<_> = fake
        .keys()
        .into_iter()
        .filter(|k| k.name.starts_with("byok-rot-"))
        .collect();
    assert_eq!(minted.len(), 1);
    assert_eq!(
        minted[0].status,
        KeyStatus::Deleted,
        "the untested key is revoked"
    );
    assert!(fake.is_usable(old));
}

/// `secret list --stale --rotate-due`: the due secrets byok can rotate through a provider
/// are rotated (their expiry follows the new key); the others are named to rotate by hand.
#[test]
fn due_secrets_rotate_in_one_go() {
    let (env, fake) = admin_home(Flavor::OpenRouter);
    let old = "sk-or-v1-3333333333333333333333333333333333333333333333333333333333due1";
    fake.seed_key("made by a person", old);
    env.add(
        "orkey",
        old,
        &["--provider", "openrouter", "--expires", "3d"],
    );
    connector(&env, &fake, Flavor::OpenRouter, "orkey");
    env.add(
        "by_hand",
        "sk-ant-api03-test-hand-0123456789abcdef",
        &["--provider", "anthropic", "--expires", "3d"],
    );
    env.add(
        "fresh",
        "sk-or-v1-test-fresh-0123456789",
        &["--provider", "openrouter"],
    );
    let out = env
        .cmd(["secret", "list", "--stale", "--rotate-due"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(text.contains("rotate by hand"), "{text}");
    assert!(text.contains("by_hand"), "{text}");
    assert!(text.contains("1 secret(s) rotated"), "{text}");
    let new = env.get("orkey");
    assert_ne!(new, old);
    assert!(fake.is_usable(&new));
    assert_eq!(
        env.get("fresh"),
        "sk-or-v1-test-fresh-0123456789",
        "not due, not touched"
    );
    // Rotated, it is no longer due.
    let out = env
        .cmd(["secret", "list", "--stale", "--json"])
        .output()
        .unwrap();
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    let refs: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["ref"].as_str().unwrap())
        .collect();
    assert_eq!(refs, ["by_hand"]);
    assert!(fake.problems().is_empty(), "{:?}", fake.problems());
}

/// `scan --revoke`: a stored key found in a commit is rotated through its provider and the
/// leaked key disabled at once; the message names the file and the commit.
#[test]
fn a_leaked_key_found_by_scan_is_revoked() {
    let (env, fake) = admin_home(Flavor::OpenRouter);
    let old = "sk-or-v1-4444444444444444444444444444444444444444444444444444444444lk01";
    let old_id = fake.seed_key("made by a person", old);
    env.add("orkey", old, &["--provider", "openrouter"]);
    connector(&env, &fake, Flavor::OpenRouter, "orkey");
    let repo = env.dir.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    std::fs::write(repo.join("settings.py"), format!("KEY = \"{old}\"\n")).unwrap();
    let git = |args: &[&str]| {
        let out = env
            .program("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
            .args(args)
            .current_dir(&repo)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
        stdout(&out)
    };
    git(&["init", "-q"]);
    git(&["add", "settings.py"]);
    git(&["commit", "-qm", "oops"]);
    let commit = git(&["rev-parse", "HEAD"]).trim().to_owned();
    std::fs::remove_file(repo.join("settings.py")).unwrap();
    git(&["commit", "-qam", "removed"]);

    let out = env
        .cmd(["scan", "--git", "--revoke", repo.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        exit_code(&out),
        9,
        "the leak is still reported: {}",
        stderr(&out)
    );
    let text = stderr(&out);
    assert!(
        text.contains(&format!("settings.py (commit {})", &commit[..12])),
        "names the file and commit: {text}"
    );
    let new = env.get("orkey");
    assert_ne!(new, old);
    assert!(fake.is_usable(&new));
    let leaked = fake.keys().into_iter().find(|k| k.id == old_id).unwrap();
    assert_eq!(leaked.status, KeyStatus::Disabled, "disabled at once");
    assert!(!text.contains(old) && !stdout(&out).contains(old));
    assert!(fake.problems().is_empty(), "{:?}", fake.problems());
}

/// `admin-keys.json` is writable by any process of the user: entries forged there (a "made"
/// key or a pending retirement naming the user's production key) are ignored by the sweep.
#[test]
fn forged_record_entries_never_reach_the_provider() {
    let (env, fake) = admin_home(Flavor::OpenRouter);
    let production = "sk-or-v1-5555555555555555555555555555555555555555555555555555555555prd1";
    let production_id = fake.seed_key("production", production);
    // A sealed record first (a real run), so the forgery sits next to genuine entries.
    env.add("stored", "sk-or-v1-test-stored-0123456789abcdef", &[]);
    connector(&env, &fake, Flavor::OpenRouter, "stored");
    env.cmd(["exec", "--ephemeral", "work", "--", "true"])
        .assert()
        .success();
    let path = env.file("admin-keys.json");
    let mut record: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let mut made = record["made"][0].clone();
    made["name"] = "byok-eph-forged".into();
    made["state"] = "live".into();
    made["key_id"] = production_id.clone().into();
    made["pid"] = 999_999.into();
    record["made"].as_array_mut().unwrap().push(made);
    record["pending"] = serde_json::json!([{
        "admin": "main", "reference": "stored", "key_id": production_id,
        "action": "delete", "due": 0, "seal": "00"
    }]);
    std::fs::write(&path, serde_json::to_vec(&record).unwrap()).unwrap();

    let out = env.cmd(["admin", "sweep"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("do not carry this home's seal"),
        "{}",
        stderr(&out)
    );
    assert!(
        fake.is_usable(production),
        "the production key is untouched"
    );
    let status = stdout(&env.cmd(["admin", "status"]).output().unwrap());
    assert!(status.contains("not sealed by this home"), "{status}");
    assert!(
        fake.requests()
            .iter()
            .all(|r| !r.target.contains(&production_id) || r.method == "GET"),
        "nothing was asked about the production key"
    );
}

/// `proxy token create --mint`: the token is served only with a key minted for it (held in
/// the vault, loaded by the running proxy through its reload path), and `token revoke`
/// revokes that key at the provider.
#[test]
fn a_placeholder_token_can_have_its_own_minted_key() {
    let (env, fake) = admin_home(Flavor::OpenRouter);
    let stored = "sk-or-v1-6666666666666666666666666666666666666666666666666666666666sto1";
    fake.seed_key("made by a person", stored);
    env.add("orkey", stored, &["--provider", "openrouter"]);
    connector(&env, &fake, Flavor::OpenRouter, "orkey");
    let proxy = start_proxy(&env, &[]);
    let plain = token(&env, "plain", &[]);

    let out = env
        .cmd([
            "proxy",
            "token",
            "create",
            "agent",
            "--mint",
            "work",
            "--expires",
            "1h",
            "--limit",
            "3",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let own = stdout(&out).trim().to_owned();
    let key = fake
        .keys()
        .into_iter()
        .find(|k| k.name.starts_with("byok-tok-"))
        .expect("a key minted for the token");
    assert_eq!(key.limit, Some(3.0));
    assert!(key.expires_at.unwrap().abs_diff(now() + 3600) < 120);
    assert!(!stdout(&out).contains(&key.value) && !stderr(&out).contains(&key.value));

    // The running proxy reloaded: the token's requests use its own key, others the stored one.
    assert_eq!(chat(proxy.port, &own, MODEL, false).status, 200);
    assert_eq!(fake.inference_count(&key.value), 1);
    assert_eq!(fake.inference_count(stored), 0);
    assert_eq!(chat(proxy.port, &plain, MODEL, false).status, 200);
    assert_eq!(fake.inference_count(stored), 1);
    assert_eq!(fake.inference_count(&key.value), 1);
    let listed: Value = serde_json::from_slice(
        &env.cmd(["proxy", "token", "list", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let agent = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "agent")
        .unwrap();
    assert_eq!(agent["minted_for"], "work");

    // Revoked with the token, at the provider and in the vault.
    let out = env
        .cmd(["proxy", "token", "revoke", "agent"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!fake.is_usable(&key.value));
    let gone = fake.keys().into_iter().find(|k| k.id == key.id).unwrap();
    assert_eq!(gone.status, KeyStatus::Deleted);
    assert_eq!(chat(proxy.port, &own, MODEL, false).status, 401);
    let secrets: Value = serde_json::from_slice(
        &env.cmd(["secret", "list", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        secrets
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["ref"] != "minted_for_agent"),
        "{secrets}"
    );
    assert_eq!(record(&env)["made"][0]["state"], "revoked");
    assert!(fake.problems().is_empty(), "{:?}", fake.problems());
}

/// A key of a person's service account that holds other keys: rotating it deletes that key
/// alone, never the service account (which would revoke its other keys).
#[test]
fn rotating_a_key_of_a_shared_service_account_keeps_its_other_keys() {
    let (env, fake) = admin_home(Flavor::OpenAi);
    let port: u16 = fake.root.rsplit(':').next().unwrap().parse().unwrap();
    let auth = format!("Bearer {OPENAI_ADMIN}");
    let made = crate::harness::http(
        port,
        "POST",
        &format!("/v1/organization/projects/{PROJECT}/service_accounts"),
        &[("authorization", &auth)],
        Some(&serde_json::json!({"name": "ci-bot"})),
    );
    assert_eq!(made.status, 200, "{}", made.body);
    let account = made.json()["id"].as_str().unwrap().to_owned();
    let first = made.json()["api_key"]["value"].as_str().unwrap().to_owned();
    let second = crate::harness::http(
        port,
        "POST",
        &format!("/v1/organization/projects/{PROJECT}/service_accounts/{account}/api_keys"),
        &[("authorization", &auth)],
        Some(&serde_json::json!({"name": "deploys"})),
    );
    assert_eq!(second.status, 200, "{}", second.body);
    let second = second.json()["value"].as_str().unwrap().to_owned();
    env.add("cikey", &first, &["--provider", "openai"]);
    connector(&env, &fake, Flavor::OpenAi, "cikey");
    let out = env
        .cmd([
            "secret",
            "rotate",
            "cikey",
            "--via-provider",
            "--grace",
            "0s",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!fake.is_usable(&first), "the rotated key is deleted");
    assert!(
        fake.is_usable(&second),
        "the service account's other key still works"
    );
    assert!(
        fake.service_accounts()
            .iter()
            .any(|(id, _, deleted)| *id == account && !deleted)
    );
    assert!(fake.problems().is_empty(), "{:?}", fake.problems());
}
