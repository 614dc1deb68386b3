//! `byok backup` and `byok restore`: the documented JSON inside an age file, passphrase
//! backups, keychain values, and the replaced vault kept on restore.

use serde_json::Value;

use crate::harness::{Env, KEY, require_keychain, require_tool, stderr, stdout, unique};

const NEW_KEY: &str = "sk-test-new-key-9876543210zyxwvu";

#[test]
fn backup_decrypts_with_the_age_cli_to_the_documented_json() {
    let Some(age) = require_tool("age") else {
        return;
    };
    let env = Env::init();
    env.add("k", KEY, &["--provider", "openai"]);
    std::fs::write(
        env.file("config.toml"),
        "# mine\n[[store]]\nname = \"team\"\ntype = \"age-file\"\npath = \"team.age\"\n",
    )
    .unwrap();
    let backup = env.dir.path().join("backup.age");
    let out = env
        .cmd(["backup", backup.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("team"), "excluded stores are listed");
    assert!(
        !std::fs::read(&backup)
            .unwrap()
            .windows(7)
            .any(|w| w == b"sk-test")
    );
    let plain = std::process::Command::new(age)
        .args(["-d", "-i"])
        .arg(env.file("identity.txt"))
        .arg(&backup)
        .output()
        .unwrap();
    assert!(plain.status.success());
    let doc: Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert_eq!(doc["byok_backup"], 1);
    assert_eq!(doc["vault"]["byok_vault"], 3);
    assert_eq!(doc["vault"]["secrets"]["k"]["fields"]["api_key"], KEY);
    assert!(doc["config"].as_str().unwrap().contains("# mine"));
    assert_eq!(doc["keychain"], serde_json::json!({}));
    assert_eq!(doc["not_included"][0]["store"], "team");
    assert_eq!(doc["not_included"][0]["type"], "age-file");
    // Never overwritten.
    env.cmd(["backup", backup.to_str().unwrap()])
        .assert()
        .code(2);
}

#[test]
fn restore_brings_back_the_vault_and_keeps_the_replaced_one() {
    let env = Env::init();
    env.add("k", KEY, &[]);
    let backup = env.dir.path().join("backup.age");
    env.cmd(["backup", backup.to_str().unwrap()])
        .assert()
        .success();
    env.cmd(["secret", "rotate", "k", "--stdin"])
        .write_stdin(NEW_KEY)
        .assert()
        .success();
    env.add("later", NEW_KEY, &[]);
    env.cmd(["restore", backup.to_str().unwrap()])
        .assert()
        .code(1); // no terminal, no --yes
    env.cmd(["restore", backup.to_str().unwrap(), "--yes"])
        .assert()
        .success();
    assert_eq!(env.get("k"), KEY);
    env.cmd(["secret", "get", "later"]).assert().code(3);
    let kept: Vec<_> = std::fs::read_dir(env.home())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("vault.age.before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    // The kept vault is the one replaced: it still has `later`.
    let Some(age) = require_tool("age") else {
        return;
    };
    let plain = std::process::Command::new(age)
        .args(["-d", "-i"])
        .arg(env.file("identity.txt"))
        .arg(env.file(&kept[0]))
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&plain.stdout).contains("\"later\""));
    env.cmd(["audit", "verify"]).assert().success();
}

#[test]
fn a_passphrase_backup_round_trips() {
    let env = Env::init();
    env.add("k", KEY, &[]);
    let backup = env.dir.path().join("p.age");
    let pass = env.dir.path().join("pass.txt");
    std::fs::write(&pass, "backup pass\n").unwrap();
    let p = pass.to_str().unwrap();
    env.cmd([
        "backup",
        backup.to_str().unwrap(),
        "--passphrase",
        "--passphrase-file",
        p,
    ])
    .assert()
    .success();
    env.cmd(["secret", "rm", "k", "--yes"]).assert().success();
    let wrong = env.dir.path().join("wrong.txt");
    std::fs::write(&wrong, "nope\n").unwrap();
    env.cmd([
        "restore",
        backup.to_str().unwrap(),
        "--yes",
        "--passphrase-file",
        wrong.to_str().unwrap(),
    ])
    .assert()
    .code(5);
    env.cmd([
        "restore",
        backup.to_str().unwrap(),
        "--yes",
        "--passphrase-file",
        p,
    ])
    .assert()
    .success();
    assert_eq!(env.get("k"), KEY);
}

#[test]
fn backup_and_restore_include_keychain_values() {
    let Some(bus) = require_keychain() else {
        return;
    };
    let env = Env::init();
    let name = unique("backup_kc");
    env.add_in_keychain(&bus, &name, KEY);
    let backup = env.dir.path().join("kc.age");
    env.cmd_kc(&bus, ["backup", backup.to_str().unwrap()])
        .assert()
        .success();
    env.cmd_kc(&bus, ["secret", "rm", &name, "--yes"])
        .assert()
        .success();
    env.cmd_kc(&bus, ["secret", "get", &name]).assert().code(3);
    env.cmd_kc(&bus, ["restore", backup.to_str().unwrap(), "--yes"])
        .assert()
        .success();
    let out = env.cmd_kc(&bus, ["secret", "get", &name]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim_end(), KEY);
    let listed = env
        .cmd_kc(&bus, ["secret", "list", "--json"])
        .output()
        .unwrap();
    assert!(
        stdout(&listed).contains("\"store\": \"keychain\""),
        "{}",
        stdout(&listed)
    );
    env.cmd_kc(&bus, ["secret", "rm", &name, "--yes"])
        .assert()
        .success();
}

/// The format rules of `src/formats.rs` hold for backups: a backup from a newer byok is
/// refused before anything is touched (exit 7, "upgrade byok"), and a format that never
/// existed is called corrupt.
#[test]
fn a_backup_from_a_newer_byok_is_refused_and_nothing_changes() {
    let (Some(age), Some(keygen)) = (require_tool("age"), require_tool("age-keygen")) else {
        return;
    };
    let env = Env::init();
    env.add("k", KEY, &[]);
    let backup = env.dir.path().join("backup.age");
    env.cmd(["backup", backup.to_str().unwrap()])
        .assert()
        .success();
    let plain = std::process::Command::new(&age)
        .args(["-d", "-i"])
        .arg(env.file("identity.txt"))
        .arg(&backup)
        .output()
        .unwrap();
    assert!(plain.status.success());
    let recipient = std::process::Command::new(&keygen)
        .arg("-y")
        .arg(env.file("identity.txt"))
        .output()
        .unwrap();
    let recipient = String::from_utf8(recipient.stdout).unwrap();
    env.cmd(["secret", "rotate", "k", "--stdin"])
        .write_stdin("sk-test-after-the-backup-0001")
        .assert()
        .success();
    let vault_before = std::fs::read(env.file("vault.age")).unwrap();
    for (version, expected) in [(2, "newer byok"), (0, "never wrote")] {
        let mut doc: Value = serde_json::from_slice(&plain.stdout).unwrap();
        doc["byok_backup"] = version.into();
        let forged = env.dir.path().join(format!("forged-{version}.age"));
        let mut child = std::process::Command::new(&age)
            .args(["-r", recipient.trim(), "-o"])
            .arg(&forged)
            .stdin(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(&serde_json::to_vec(&doc).unwrap())
            .unwrap();
        assert!(child.wait().unwrap().success());
        let out = env
            .cmd(["restore", forged.to_str().unwrap(), "--yes"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
        assert!(stderr(&out).contains(expected), "{}", stderr(&out));
        assert_eq!(std::fs::read(env.file("vault.age")).unwrap(), vault_before);
    }
    assert_eq!(env.get("k"), "sk-test-after-the-backup-0001");
}
