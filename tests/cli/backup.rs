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
        format!(
            "# mine\n[[store]]\nname = \"team\"\ntype = \"age-file\"\npath = \"team.age\"\n{}",
            crate::bao_server::store_toml("bao", "http://127.0.0.1:9", "byok/", "")
        ),
    )
    .unwrap();
    env.cmd(["secret", "add", "t", "--stdin", "--store", "team"])
        .write_stdin("sk-test-team-0000000000")
        .assert()
        .success();
    let backup = env.dir.path().join("backup.age");
    let out = env
        .cmd(["backup", backup.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("bao"), "excluded stores are listed");
    assert!(
        !stderr(&out).contains("the team store"),
        "an age-file store in the home is carried"
    );
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
    assert_eq!(doc["byok_backup"], 2);
    assert_eq!(doc["vault"]["byok_vault"], 3);
    assert_eq!(doc["vault"]["secrets"]["k"]["fields"]["api_key"], KEY);
    assert!(doc["config"].as_str().unwrap().contains("# mine"));
    assert_eq!(doc["keychain"], serde_json::json!({}));
    assert_eq!(doc["not_included"][0]["store"], "bao");
    assert_eq!(doc["not_included"][0]["type"], "openbao");
    // The age-file store's data and recipients files, base64, by path in the home.
    let files = doc["files"].as_object().unwrap();
    assert!(files.contains_key("team.age") && files.contains_key("team.age.recipients"));
    // Sealed with the identity's MAC, the last key.
    assert_eq!(doc["mac"].as_str().unwrap().len(), 64);
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
    for (version, expected) in [(3, "newer byok"), (0, "never wrote")] {
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

/// The hands-on test's findings on moving machines: docs/key-hygiene.md's `byok init && byok
/// restore` failed for a backup encrypted to the old identity ("is not a byok backup", and a hint
/// back to `byok backup`); a restore into a fresh home left `audit verify` at exit 9 and
/// `doctor` at exit 1 for good; backups dropped workspaces while saying `not_included: []`.
///
/// Now, between two fresh homes: the error names the other identity and both fixes;
/// `init --identity OLD` keeps the old identity and `restore` brings back the vault, the
/// keychain's secret, an age-file store and a workspace (its store and connectors); the new
/// home's `doctor` and `audit verify` pass, the restore being the entry that re-anchors the
/// chain. `restore --identity OLD` into a home with its own identity works too.
#[test]
fn backup_and_restore_between_two_fresh_homes_restores_everything() {
    let bus = require_keychain();
    // Every command that may reach the keychain gets the test Secret Service.
    let cmd = |env: &Env, args: &[&str]| match &bus {
        Some(bus) => env.cmd_kc(bus, args),
        None => env.cmd(args),
    };
    let old = Env::init();
    old.add("v", KEY, &[]);
    std::fs::write(
        old.file("config.toml"),
        "[[store]]\nname = \"team\"\ntype = \"age-file\"\npath = \"team.age\"\n",
    )
    .unwrap();
    old.cmd(["secret", "add", "t", "--stdin", "--store", "team"])
        .write_stdin("sk-test-team-0000000000001")
        .assert()
        .success();
    old.cmd(["workspace", "add", "acme"]).assert().success();
    old.cmd([
        "--workspace",
        "acme",
        "secret",
        "add",
        "w",
        "--stdin",
        "--store",
        "workspace",
    ])
    .write_stdin("sk-test-acme-0000000000001")
    .assert()
    .success();
    old.cmd([
        "--workspace",
        "acme",
        "connector",
        "add",
        "acme_ai",
        "--type",
        "openai",
        "--secret",
        "w",
    ])
    .assert()
    .success();
    let kc = unique("kc");
    if let Some(bus) = &bus {
        old.add_in_keychain(bus, &kc, "sk-test-keychain-000000001");
    }
    let file = old.dir.path().join("moving.age");
    let out = cmd(&old, &["backup", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("not in the backup"),
        "{}",
        stderr(&out)
    );

    // A fresh home with its own identity: told exactly what to do.
    let fresh = Env::init();
    let out = fresh
        .cmd(["restore", file.to_str().unwrap(), "--yes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("another identity"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--identity"), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("byok backup FILE\n"),
        "{}",
        stderr(&out)
    );
    // …and `restore --identity OLD` brings the vault back into it.
    let out = cmd(
        &fresh,
        &[
            "restore",
            file.to_str().unwrap(),
            "--yes",
            "--identity",
            old.file("identity.txt").to_str().unwrap(),
        ],
    )
    .output()
    .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(fresh.get("v"), KEY);
    fresh.cmd(["audit", "verify"]).assert().success();

    // The recipe for moving machines: keep the identity, then restore.
    let new = Env::new();
    new.cmd([
        "init",
        "--no-passphrase",
        "--identity",
        old.file("identity.txt").to_str().unwrap(),
    ])
    .assert()
    .success();
    let out = cmd(&new, &["restore", file.to_str().unwrap(), "--yes"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(new.get("v"), KEY);
    let team = new
        .cmd(["secret", "get", "t", "--store", "team"])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&team).trim(),
        "sk-test-team-0000000000001",
        "{}",
        stderr(&team)
    );
    let ws = new
        .cmd(["--workspace", "acme", "secret", "get", "w"])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&ws).trim(),
        "sk-test-acme-0000000000001",
        "{}",
        stderr(&ws)
    );
    let connectors = new
        .cmd(["--workspace", "acme", "connector", "list", "--json"])
        .output()
        .unwrap();
    assert!(
        stdout(&connectors).contains("acme_ai"),
        "{}",
        stdout(&connectors)
    );
    if let Some(bus) = &bus {
        let got = new.cmd_kc(bus, ["secret", "get", &kc]).output().unwrap();
        assert_eq!(
            stdout(&got).trim(),
            "sk-test-keychain-000000001",
            "{}",
            stderr(&got)
        );
    }
    new.cmd(["audit", "verify"]).assert().success();
    let out = cmd(&new, &["doctor"]).output().unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    // The passphrase form between two fresh homes: no identity moves at all.
    let pass = old.dir.path().join("pass.txt");
    std::fs::write(&pass, "moving machines passphrase\n").unwrap();
    let sealed = old.dir.path().join("moving-pass.age");
    let p = pass.to_str().unwrap();
    let out = cmd(
        &old,
        &[
            "backup",
            sealed.to_str().unwrap(),
            "--passphrase",
            "--passphrase-file",
            p,
        ],
    )
    .output()
    .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let third = Env::init();
    let out = cmd(
        &third,
        &[
            "restore",
            sealed.to_str().unwrap(),
            "--yes",
            "--passphrase-file",
            p,
        ],
    )
    .output()
    .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(third.get("v"), KEY);
    third.cmd(["audit", "verify"]).assert().success();
    if let Some(bus) = &bus {
        for env in [&old, &fresh, &new, &third] {
            let _ = env.cmd_kc(bus, ["secret", "rm", &kc, "--yes"]).output();
        }
    }
}

/// The review's findings on `restore` as a side door: a backup with ref names like
/// `../../etc/x` or a terminal escape, or a `config.toml` that is not TOML, was written
/// without a check; its `created` field was printed raw (an escape set the terminal title);
/// and restoring an older backup loosened a `reveal never` home. Each is refused before
/// anything is written, or escaped.
#[test]
fn restore_goes_through_the_same_doors_as_everything_else() {
    let Some(age) = require_tool("age") else {
        return;
    };
    let env = Env::init();
    env.add("k", KEY, &[]);
    let file = env.dir.path().join("b.age");
    env.cmd(["backup", file.to_str().unwrap()])
        .assert()
        .success();
    let plain = std::process::Command::new(&age)
        .args(["-d", "-i"])
        .arg(env.file("identity.txt"))
        .arg(&file)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&plain.stdout).unwrap();
    let keygen = std::process::Command::new(age.with_file_name("age-keygen"))
        .arg("-y")
        .arg(env.file("identity.txt"))
        .output()
        .unwrap();
    let recipient = String::from_utf8(keygen.stdout).unwrap();
    let forge = |change: &dyn Fn(&mut Value)| {
        let mut doc = doc.clone();
        change(&mut doc);
        doc.as_object_mut().unwrap().remove("mac");
        let out = env.dir.path().join(format!("{}.age", unique("forged")));
        crate::harness::age_seal(
            &age,
            &["-r".as_ref(), recipient.trim().as_ref()],
            &serde_json::to_vec(&doc).unwrap(),
            &out,
        );
        out
    };
    let vault_before = std::fs::read(env.file("vault.age")).unwrap();
    let config_before = std::fs::read(env.file("config.toml")).unwrap();
    let record = doc["vault"]["secrets"]["k"].clone();
    type Change = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(Change, &str)> = vec![
        (
            Box::new(move |d: &mut Value| {
                d["vault"]["secrets"]["../../etc/x"] = record.clone();
            }),
            "not a ref name",
        ),
        (
            Box::new(|d: &mut Value| d["config"] = "[[[ not toml".into()),
            "config.toml would not load",
        ),
        (
            Box::new(|d: &mut Value| {
                d["files"] = serde_json::json!({"../outside": "eA=="});
            }),
            "a file byok does not restore",
        ),
    ];
    for (change, expected) in cases {
        let forged = forge(&*change);
        let out = env
            .cmd(["restore", forged.to_str().unwrap(), "--yes"])
            .output()
            .unwrap();
        assert_ne!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(
            stderr(&out).contains(expected),
            "{expected}: {}",
            stderr(&out)
        );
        assert!(!stderr(&out).contains('\u{1b}'));
        assert_eq!(std::fs::read(env.file("vault.age")).unwrap(), vault_before);
        assert_eq!(
            std::fs::read(env.file("config.toml")).unwrap(),
            config_before
        );
    }
    // An escape in `created` reaches the terminal only escaped (the prompt, on a pty).
    let forged = forge(&|d: &mut Value| d["created"] = "\u{1b}]0;pwned\u{7}now".into());
    if require_tool("script").is_some() {
        let out = crate::harness::on_terminal(
            &env,
            &format!("restore {}", forged.display()),
            &["n"],
            crate::harness::Pace::PROMPT,
        );
        assert!(
            !stdout(&out).contains("\u{1b}]0;pwned"),
            "{:?}",
            stdout(&out)
        );
    }
    // A backup made before `reveal never`: restoring it would loosen the home's policy. This
    // `--no-passphrase` home cannot loosen at all: refused, nothing changed.
    env.cmd(["reveal", "never"]).assert().success();
    let vault_before = std::fs::read(env.file("vault.age")).unwrap();
    let out = env
        .cmd(["restore", file.to_str().unwrap(), "--yes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(8), "{}", stderr(&out));
    assert_eq!(std::fs::read(env.file("vault.age")).unwrap(), vault_before);
    env.cmd(["reveal"]).assert().success().stdout("never\n");
    // A forged backup (sealed with the public key, no MAC) says so.
    let forged = forge(&|_: &mut Value| {});
    let out = env
        .cmd(["restore", forged.to_str().unwrap(), "--yes"])
        .output()
        .unwrap();
    assert!(stderr(&out).contains("carries no MAC"), "{}", stderr(&out));
}
