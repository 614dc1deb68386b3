//! One contract, every store: the same tests run against the vault, the OS keychain (a real
//! Secret Service) and an `age-file` store declared in `config.toml`, through the binary.
//! The age-file store is encrypted to three recipients (this home and two teammates, in
//! `team.age.recipients`). Team stores add a `contract!` line of their own; the OpenBao one
//! runs against a real dev server (skipped loudly when `bao` is missing; fails under CI=true).

use std::ffi::OsString;

use predicates::prelude::*;

use crate::harness::{Env, require_keychain};

/// A home with every kind of store, and the one under test.
struct Subject {
    env: Env,
    store: &'static str,
    bus: Option<OsString>,
    /// A unique prefix: the keychain is shared by all tests.
    prefix: String,
    /// Environment for stores on a server (OpenBao: its address and token).
    extra_env: Vec<(String, String)>,
}

impl Subject {
    fn new(store: &'static str) -> Option<Self> {
        let bus = if store == "keychain" {
            Some(require_keychain()?)
        } else {
            None
        };
        let mut config =
            "[[store]]\nname = \"team\"\ntype = \"age-file\"\npath = \"team.age\"\n".to_owned();
        let mut extra_env = Vec::new();
        if store == "bao" {
            let server = crate::bao_server::DevServer::shared()?;
            config.push_str(&crate::bao_server::store_toml(
                "bao",
                &server.addr,
                &crate::bao_server::unique_prefix("contract"),
                "",
            ));
            extra_env.push(("BAO_ADDR".to_owned(), server.addr.clone()));
            extra_env.push((
                "BAO_TOKEN".to_owned(),
                crate::bao_server::ROOT_TOKEN.to_owned(),
            ));
        }
        if store == "aws" {
            let moto = crate::moto_server::Moto::shared()?;
            config
                .push_str(&moto.store_toml("aws", &crate::moto_server::unique_prefix("contract")));
            extra_env.extend(moto.env());
        }
        let env = Env::init();
        std::fs::write(env.file("config.toml"), config).unwrap();
        // The age-file store is a shared one: encrypted to this home and two teammates.
        for key in [
            "age1m3m4y4cj6mnavakj4m66tgdp6y8v5rjv4ld3gh8gxhlwr5quevds3m9ymn",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJl+9d1DrVqz0SbKTokf5ZAniSPhXl7THdJCmI8sLu0Y teammate",
        ] {
            env.cmd(["recipients", "add", key, "--store", "team"])
                .assert()
                .success();
        }
        Some(Subject {
            env,
            store,
            bus,
            prefix: crate::harness::unique("c"),
            extra_env,
        })
    }

    fn name(&self, short: &str) -> String {
        format!("{}_{short}", self.prefix)
    }

    fn cmd<I, S>(&self, args: I) -> assert_cmd::Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = match &self.bus {
            Some(bus) => self.env.cmd_kc(bus, args),
            None => self.env.cmd(args),
        };
        for (k, v) in &self.extra_env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Where a move from this store goes.
    fn other(&self) -> &'static str {
        if self.store == "vault" {
            "team"
        } else {
            "vault"
        }
    }

    fn add(&self, reference: &str, field: &str, value: &str) {
        self.cmd(["secret", "add", reference, "--field", field, "--stdin"])
            .args(["--store", self.store])
            .write_stdin(value)
            .assert()
            .success();
    }

    fn get(&self, reference: &str, field: &str) -> String {
        let out = self
            .cmd(["secret", "get", reference, "--field", field])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "get {reference}.{field}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim_end().to_owned()
    }

    fn list(&self) -> Vec<serde_json::Value> {
        let out = self.cmd(["secret", "list", "--json"]).output().unwrap();
        assert!(out.status.success());
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn rm(&self, reference: &str) {
        self.cmd(["secret", "rm", reference, "--yes"])
            .assert()
            .success();
    }
}

fn add_get_and_list(s: &Subject) {
    let k = s.name("key");
    s.add(&k, "api_key", "sk-test-contract-value-0001");
    s.add(&k, "endpoint", "https://contract.example");
    assert_eq!(s.get(&k, "api_key"), "sk-test-contract-value-0001");
    assert_eq!(s.get(&k, "endpoint"), "https://contract.example");
    let list = s.list();
    let entry = list
        .iter()
        .find(|e| e["ref"] == k.as_str())
        .expect("listed");
    assert_eq!(entry["store"], s.store);
    assert_eq!(entry["value"], "sk-***-0001");
    assert_eq!(entry["fields"]["endpoint"], "***-mple");
    assert!(
        !serde_json::to_string(&list)
            .unwrap()
            .contains("contract-value")
    );
    // Adding a field that has a value needs --force, and loses nothing.
    s.cmd(["secret", "add", &k, "--stdin", "--store", s.store])
        .write_stdin("sk-test-other-0000")
        .assert()
        .failure()
        .stderr(predicate::str::contains("already has a field"));
    assert_eq!(s.get(&k, "api_key"), "sk-test-contract-value-0001");
    s.rm(&k);
}

fn rotate_and_roll_back(s: &Subject) {
    let k = s.name("rot");
    s.add(&k, "api_key", "sk-test-old-value-0001");
    s.cmd(["secret", "rollback", &k])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no previous values"));
    s.cmd(["secret", "rotate", &k, "--stdin"])
        .write_stdin("sk-test-new-value-0002")
        .assert()
        .success();
    assert_eq!(s.get(&k, "api_key"), "sk-test-new-value-0002");
    s.cmd(["secret", "rollback", &k]).assert().success();
    assert_eq!(s.get(&k, "api_key"), "sk-test-old-value-0001");
    // Rolling back again restores the newer value.
    s.cmd(["secret", "rollback", &k, "--field", "api_key"])
        .assert()
        .success();
    assert_eq!(s.get(&k, "api_key"), "sk-test-new-value-0002");
    s.cmd(["secret", "rollback", &k, "--version", "99"])
        .assert()
        .code(2);
    s.rm(&k);
}

fn rename_keeps_values_and_history(s: &Subject) {
    let (old, new) = (s.name("old"), s.name("new"));
    s.add(&old, "api_key", "sk-test-rename-0001");
    s.cmd(["secret", "rotate", &old, "--stdin"])
        .write_stdin("sk-test-rename-0002")
        .assert()
        .success();
    s.cmd(["secret", "rename", &old, &new]).assert().success();
    assert_eq!(s.get(&new, "api_key"), "sk-test-rename-0002");
    s.cmd(["secret", "get", &old]).assert().code(3);
    let list = s.list();
    let entry = list.iter().find(|e| e["ref"] == new.as_str()).unwrap();
    assert_eq!(
        entry["label"],
        new.as_str(),
        "a default label follows the name"
    );
    assert_eq!(entry["store"], s.store);
    s.cmd(["secret", "rollback", &new]).assert().success();
    assert_eq!(s.get(&new, "api_key"), "sk-test-rename-0001");
    s.rm(&new);
}

fn move_there_and_back(s: &Subject) {
    let k = s.name("mv");
    s.add(&k, "api_key", "sk-test-move-0001");
    s.cmd(["secret", "move", &k, "--to", s.other()])
        .assert()
        .success();
    let store_of = |s: &Subject| {
        s.list()
            .into_iter()
            .filter(|e| e["ref"] == k.as_str())
            .map(|e| e["store"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(store_of(s), [s.other()]);
    assert_eq!(s.get(&k, "api_key"), "sk-test-move-0001");
    s.cmd(["secret", "move", &k, "--to", s.store])
        .assert()
        .success();
    assert_eq!(store_of(s), [s.store]);
    assert_eq!(s.get(&k, "api_key"), "sk-test-move-0001");
    s.rm(&k);
}

fn rm_removes_values_and_previous_values(s: &Subject) {
    let k = s.name("rm");
    s.add(&k, "api_key", "sk-test-rm-0001");
    s.cmd(["secret", "rotate", &k, "--stdin"])
        .write_stdin("sk-test-rm-0002")
        .assert()
        .success();
    s.rm(&k);
    s.cmd(["secret", "get", &k, "--store", s.store])
        .assert()
        .code(3);
    assert!(!s.list().iter().any(|e| e["ref"] == k.as_str()));
    // A new secret of the same name starts without the old one's history.
    s.add(&k, "api_key", "sk-test-rm-0003");
    s.cmd(["secret", "rollback", &k]).assert().code(1);
    s.rm(&k);
}

fn missing_values_and_names(s: &Subject) {
    let k = s.name("miss");
    s.add(&k, "api_key", "sk-test-missing-0001");
    s.cmd(["secret", "get", &k, "--field", "nope"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("has no field 'nope'"));
    s.cmd(["secret", "get", &s.name("never_added")])
        .assert()
        .code(3);
    s.cmd(["secret", "rm", &s.name("never_added"), "--yes"])
        .assert()
        .code(3);
    s.rm(&k);
}

fn concurrent_writers_lose_nothing(s: &Subject) {
    let names: Vec<String> = (0..8).map(|i| s.name(&format!("par{i}"))).collect();
    // Eight processes at once, each adding its own secret.
    std::thread::scope(|scope| {
        for name in &names {
            scope.spawn(move || {
                s.cmd(["secret", "add", name, "--stdin", "--store", s.store])
                    .write_stdin(format!("sk-test-{name}"))
                    .assert()
                    .success();
            });
        }
    });
    for name in &names {
        assert_eq!(s.get(name, "api_key"), format!("sk-test-{name}"));
        s.rm(name);
    }
}

fn a_failure_half_way_through_a_move_loses_nothing(s: &Subject) {
    let k = s.name("half");
    s.add(&k, "api_key", "sk-test-half-0001");
    // The copy does not verify: it is removed, the original stays.
    s.cmd(["secret", "move", &k, "--to", s.other()])
        .env("BYOK_FAULT", "transfer-verify")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("the original kept"));
    let stores: Vec<_> = s
        .list()
        .into_iter()
        .filter(|e| e["ref"] == k.as_str())
        .map(|e| e["store"].clone())
        .collect();
    assert_eq!(stores, [s.store]);
    assert_eq!(s.get(&k, "api_key"), "sk-test-half-0001");
    // Stopped after the copy, before the original is removed: in both, readable from both.
    s.cmd(["secret", "move", &k, "--to", s.other()])
        .env("BYOK_FAULT", "transfer-after-copy")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("in both stores"));
    for store in [s.store, s.other()] {
        s.cmd(["secret", "get", &k, "--store", store])
            .assert()
            .success()
            .stdout("sk-test-half-0001\n");
    }
    s.cmd(["secret", "rm", &k, "--yes", "--store", s.other()])
        .assert()
        .success();
    s.rm(&k);
}

macro_rules! contract {
    ($module:ident, $store:literal) => {
        mod $module {
            use super::*;

            fn subject() -> Option<Subject> {
                Subject::new($store)
            }

            #[test]
            fn add_get_and_list() {
                if let Some(s) = subject() {
                    super::add_get_and_list(&s);
                }
            }

            #[test]
            fn rotate_and_roll_back() {
                if let Some(s) = subject() {
                    super::rotate_and_roll_back(&s);
                }
            }

            #[test]
            fn rename_keeps_values_and_history() {
                if let Some(s) = subject() {
                    super::rename_keeps_values_and_history(&s);
                }
            }

            #[test]
            fn move_there_and_back() {
                if let Some(s) = subject() {
                    super::move_there_and_back(&s);
                }
            }

            #[test]
            fn rm_removes_values_and_previous_values() {
                if let Some(s) = subject() {
                    super::rm_removes_values_and_previous_values(&s);
                }
            }

            #[test]
            fn missing_values_and_names() {
                if let Some(s) = subject() {
                    super::missing_values_and_names(&s);
                }
            }

            #[test]
            fn concurrent_writers_lose_nothing() {
                if let Some(s) = subject() {
                    super::concurrent_writers_lose_nothing(&s);
                }
            }

            #[test]
            fn a_failure_half_way_through_a_move_loses_nothing() {
                if let Some(s) = subject() {
                    super::a_failure_half_way_through_a_move_loses_nothing(&s);
                }
            }
        }
    };
}

contract!(vault, "vault");
contract!(keychain, "keychain");
contract!(age_file, "team");
contract!(openbao, "bao");
contract!(aws, "aws");
