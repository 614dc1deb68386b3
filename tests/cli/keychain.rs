//! The OS keychain store (a real Secret Service: gnome-keyring in a private D-Bus session) and
//! the kernel-keyring session cache.

use std::time::Duration;

use predicates::prelude::*;

use crate::harness::{Env, require_keychain, secret_tool, stdout, unique};

#[test]
fn keychain_values_interoperate_with_secret_tool() {
    let Some(bus) = require_keychain() else {
        return;
    };
    let env = Env::init();
    let reference = unique("kc");
    let value = "sk-test-keychain-0123456789abcdef";
    env.cmd_kc(
        &bus,
        [
            "secret",
            "add",
            &reference,
            "--store",
            "keychain",
            "--provider",
            "openai",
            "--stdin",
        ],
    )
    .write_stdin(value)
    .assert()
    .success();
    let account = env.account(&reference, "api_key");
    let (ok, looked_up) = secret_tool(&["lookup", "service", "byok", "username", &account], None);
    assert!(ok);
    assert_eq!(looked_up, value);
    env.cmd_kc(&bus, ["secret", "get", &reference])
        .assert()
        .success()
        .stdout(format!("{value}\n"));
    // Listed with the vault's secrets, masked, with its store.
    let out = env
        .cmd_kc(&bus, ["secret", "list", "--json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0]["store"], "keychain");
    assert_eq!(json[0]["fields"]["api_key"], "sk-***-cdef");
    assert!(!stdout(&out).contains(value));

    // The other way: an item stored by secret-tool, read with no byok record at all.
    let foreign = unique("foreign");
    let foreign_account = env.account(&foreign, "api_key");
    let (ok, _) = secret_tool(
        &[
            "store",
            "--label=test",
            "service",
            "byok",
            "username",
            &foreign_account,
        ],
        Some("sk-test-stored-by-secret-tool-0001"),
    );
    assert!(ok);
    env.cmd_kc(&bus, ["secret", "get", &foreign, "--store", "keychain"])
        .assert()
        .success()
        .stdout("sk-test-stored-by-secret-tool-0001\n");
    // Without --store, byok only knows its own records.
    env.cmd_kc(&bus, ["secret", "get", &foreign])
        .assert()
        .code(3);
    secret_tool(
        &["clear", "service", "byok", "username", &foreign_account],
        None,
    );
}

#[test]
fn every_secret_command_works_on_keychain_secrets() {
    let Some(bus) = require_keychain() else {
        return;
    };
    let env = Env::init();
    let a = unique("moved");
    let b = unique("renamed");
    env.cmd_kc(
        &bus,
        ["secret", "add", &a, "--store", "keychain", "--stdin"],
    )
    .write_stdin("sk-test-first-value-000000001")
    .assert()
    .success();
    // A second field: the store must be named, since the secret is not in the default one.
    env.cmd_kc(&bus, ["secret", "add", &a, "--field", "org_id", "--stdin"])
        .write_stdin("org-test-1")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists in the keychain"));
    env.cmd_kc(
        &bus,
        [
            "secret", "add", &a, "--field", "org_id", "--store", "keychain", "--stdin",
        ],
    )
    .write_stdin("org-test-1")
    .assert()
    .success();
    let (ok, org) = secret_tool(
        &[
            "lookup",
            "service",
            "byok",
            "username",
            &env.account(&a, "org_id"),
        ],
        None,
    );
    assert!(ok && org == "org-test-1");
    // Reading it from another store is refused, naming where it is.
    env.cmd_kc(&bus, ["secret", "show", &a, "--store", "vault"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("lives in the keychain"));

    env.cmd_kc(&bus, ["secret", "rotate", &a, "--stdin"])
        .write_stdin("sk-test-rotated-value-00000002")
        .assert()
        .success();
    let (_, rotated) = secret_tool(
        &[
            "lookup",
            "service",
            "byok",
            "username",
            &env.account(&a, "api_key"),
        ],
        None,
    );
    assert_eq!(rotated, "sk-test-rotated-value-00000002");

    // Keychain → vault: the keychain items go, the vault has the values.
    env.cmd_kc(&bus, ["secret", "move", &a, "--to", "vault"])
        .assert()
        .success();
    let (found, _) = secret_tool(
        &[
            "lookup",
            "service",
            "byok",
            "username",
            &env.account(&a, "api_key"),
        ],
        None,
    );
    assert!(!found, "the keychain copy is removed after a move");
    env.cmd(["secret", "get", &a])
        .assert()
        .success()
        .stdout("sk-test-rotated-value-00000002\n");
    env.cmd(["secret", "get", &a, "--field", "org_id"])
        .assert()
        .success()
        .stdout("org-test-1\n");

    // Vault → keychain, then rename: the items follow the name.
    env.cmd_kc(&bus, ["secret", "move", &a, "--to", "keychain"])
        .assert()
        .success();
    env.cmd_kc(&bus, ["secret", "rename", &a, &b])
        .assert()
        .success();
    let (old_found, _) = secret_tool(
        &[
            "lookup",
            "service",
            "byok",
            "username",
            &env.account(&a, "api_key"),
        ],
        None,
    );
    let (new_found, new_value) = secret_tool(
        &[
            "lookup",
            "service",
            "byok",
            "username",
            &env.account(&b, "api_key"),
        ],
        None,
    );
    assert!(!old_found && new_found);
    assert_eq!(new_value, "sk-test-rotated-value-00000002");
    env.cmd_kc(&bus, ["secret", "show", &b])
        .assert()
        .success()
        .stdout(predicate::str::contains("keychain"));

    env.cmd_kc(&bus, ["secret", "rm", &b, "--yes"])
        .assert()
        .success();
    let (gone, _) = secret_tool(
        &[
            "lookup",
            "service",
            "byok",
            "username",
            &env.account(&b, "api_key"),
        ],
        None,
    );
    assert!(!gone, "rm removes the keychain items");
}

#[test]
fn default_store_from_config_is_used() {
    let Some(bus) = require_keychain() else {
        return;
    };
    let env = Env::init();
    std::fs::write(env.file("config.toml"), "default_store = \"keychain\"\n").unwrap();
    let reference = unique("dflt");
    env.add_kc(&bus, &reference);
    let (found, _) = secret_tool(
        &[
            "lookup",
            "service",
            "byok",
            "username",
            &env.account(&reference, "api_key"),
        ],
        None,
    );
    assert!(found);
    env.cmd_kc(&bus, ["secret", "rm", &reference, "--yes"])
        .assert()
        .success();
}

#[test]
fn an_unreachable_keychain_is_a_clear_error_and_nothing_is_stored() {
    let env = Env::init();
    env.cmd(["secret", "add", "k", "--store", "keychain", "--stdin"])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .env("XDG_RUNTIME_DIR", env.dir.path())
        .write_stdin("sk-test-never-stored-000000001")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Secret Service"))
        .stderr(predicate::str::contains("--store vault"));
    env.cmd(["secret", "list", "--json"])
        .assert()
        .success()
        .stdout("[]\n");
}

#[test]
fn a_remembered_identity_unlocks_without_a_passphrase() {
    let Some(bus) = require_keychain() else {
        return;
    };
    let env = Env::new();
    let pass = env.dir.path().join("pass");
    std::fs::write(&pass, "test passphrase\n").unwrap();
    env.cmd_kc(&bus, ["init", "--keychain"])
        .env("BYOK_PASSPHRASE_FILE", &pass)
        .assert()
        .success()
        .stderr(predicate::str::contains("OS keychain"));
    env.cmd_kc(&bus, ["secret", "add", "k", "--stdin"])
        .write_stdin("sk-test-remembered-0000000001")
        .assert()
        .success();
    env.cmd_kc(&bus, ["secret", "get", "k"]).assert().success();
    env.cmd_kc(&bus, ["doctor"])
        .assert()
        .success()
        .stdout(predicate::str::contains("OS keychain"));
    env.cmd_kc(&bus, ["keychain", "forget"]).assert().success();
    env.cmd_kc(&bus, ["secret", "get", "k"]).assert().code(4);
    env.cmd_kc(&bus, ["keychain", "remember"])
        .env("BYOK_PASSPHRASE_FILE", &pass)
        .assert()
        .success();
    env.cmd_kc(&bus, ["secret", "get", "k"]).assert().success();
    env.cmd_kc(&bus, ["keychain", "forget"]).assert().success();
}

/// The kernel keyring must be usable (it is on Linux unless seccomp blocks keyctl).
fn passphrase_vault() -> (Env, std::path::PathBuf) {
    let env = Env::new();
    let pass = env.dir.path().join("pass");
    std::fs::write(&pass, "test passphrase\n").unwrap();
    env.cmd(["init"])
        .env("BYOK_PASSPHRASE_FILE", &pass)
        .assert()
        .success();
    env.cmd(["secret", "add", "k", "--stdin"])
        .env("BYOK_PASSPHRASE_FILE", &pass)
        .write_stdin("sk-test-session-cache-000001")
        .assert()
        .success();
    (env, pass)
}

#[cfg(target_os = "linux")]
#[test]
fn the_session_cache_unlocks_until_it_expires_or_is_locked() {
    let (env, pass) = passphrase_vault();
    env.cmd(["secret", "get", "k"]).assert().code(4);
    env.cmd(["unlock", "--for", "8d"])
        .env("BYOK_PASSPHRASE_FILE", &pass)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("at most 7days"));
    env.cmd(["unlock", "--for", "2s"])
        .env("BYOK_PASSPHRASE_FILE", &pass)
        .assert()
        .success();
    env.cmd(["secret", "get", "k"])
        .assert()
        .success()
        .stdout("sk-test-session-cache-000001\n");
    env.cmd(["doctor"])
        .assert()
        .stdout(predicate::str::contains("session cache (byok unlock)"));
    std::thread::sleep(Duration::from_millis(3200));
    env.cmd(["secret", "get", "k"]).assert().code(4);

    env.cmd(["unlock"])
        .env("BYOK_PASSPHRASE_FILE", &pass)
        .assert()
        .success();
    env.cmd(["secret", "get", "k"]).assert().success();
    env.cmd(["lock"])
        .assert()
        .success()
        .stderr(predicate::str::contains("removed"));
    env.cmd(["secret", "get", "k"]).assert().code(4);
    env.cmd(["unlock"])
        .env("BYOK_PASSPHRASE", "wrong")
        .assert()
        .code(5);
    env.cmd(["secret", "get", "k"]).assert().code(4);
}

#[cfg(target_os = "linux")]
#[test]
fn the_cached_identity_is_never_written_to_a_file() {
    let (env, pass) = passphrase_vault();
    env.cmd(["unlock", "--for", "30s"])
        .env("BYOK_PASSPHRASE_FILE", &pass)
        .assert()
        .success();
    // Read the cached identity back from the kernel, as the possessor of the session keyring.
    let name = byok::unlock::session_cache::cache_name(&env.home());
    let cached = byok::unlock::session_cache::load(&name)
        .unwrap()
        .expect("cached");
    let identity = secrecy::ExposeSecret::expose_secret(&cached)
        .trim()
        .to_owned();
    assert!(identity.starts_with("AGE-SECRET-KEY-1"));
    for root in [env.home(), std::path::PathBuf::from("/tmp")] {
        assert_not_in_files(&root, identity.as_bytes(), 0);
    }
    env.cmd(["lock"]).assert().success();
}

fn assert_not_in_files(dir: &std::path::Path, needle: &[u8], depth: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        if kind.is_dir() && depth < 6 {
            assert_not_in_files(&path, needle, depth + 1);
        } else if kind.is_file()
            && entry.metadata().is_ok_and(|m| m.len() < 16 * 1024 * 1024)
            && let Ok(bytes) = std::fs::read(&path)
        {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "the identity is in {}",
                path.display()
            );
        }
    }
}

#[test]
fn connectors_test_keys_kept_in_the_keychain() {
    let Some(bus) = require_keychain() else {
        return;
    };
    use crate::harness::provider::{Fake, Reply, Wire};
    let env = Env::init();
    let reference = unique("conn_kc");
    let key = "sk-test-connector-in-keychain-01";
    env.cmd_kc(
        &bus,
        [
            "secret", "add", &reference, "--store", "keychain", "--stdin",
        ],
    )
    .write_stdin(key)
    .assert()
    .success();
    let fake = Fake::start(Wire::OpenAi, Some(key), "test-model", Reply::Success);
    env.cmd_kc(
        &bus,
        [
            "connector",
            "add",
            "kc",
            "--type",
            "openai",
            "--secret",
            &reference,
            "--model",
            "test-model",
            "--base-url",
            &fake.base_url(),
        ],
    )
    .assert()
    .success();
    env.cmd_kc(&bus, ["connector", "test", "kc"])
        .assert()
        .success()
        .stdout(predicate::str::contains("✓ kc"));
    assert_eq!(fake.problems(), Vec::<String>::new());
    env.cmd_kc(&bus, ["secret", "rm", &reference, "--yes", "--force"])
        .assert()
        .success();
}

#[test]
fn a_failed_keychain_delete_keeps_the_secret_listed() {
    let Some(bus) = require_keychain() else {
        return;
    };
    let env = Env::init();
    let reference = unique("stays");
    env.cmd_kc(
        &bus,
        [
            "secret", "add", &reference, "--store", "keychain", "--stdin",
        ],
    )
    .write_stdin("sk-test-stays-listed-000001")
    .assert()
    .success();
    env.cmd(["secret", "rm", &reference, "--yes"])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .env("XDG_RUNTIME_DIR", env.dir.path())
        .assert()
        .code(1);
    // Still listed, still readable, and removable once the keychain is back.
    env.cmd_kc(&bus, ["secret", "get", &reference])
        .assert()
        .success();
    env.cmd_kc(&bus, ["secret", "rm", &reference, "--yes"])
        .assert()
        .success();
    env.cmd_kc(
        &bus,
        ["secret", "get", "nothing_here", "--store", "keychain"],
    )
    .assert()
    .code(3)
    .stderr(predicate::str::contains(format!(
        "no item for service byok, account {}",
        env.account("nothing_here", "api_key")
    )));
}
