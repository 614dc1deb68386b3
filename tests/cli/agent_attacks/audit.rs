//! Item 7 of the agent-proof review: without the identity, the agent cut the entries written
//! since the last vault write and planted one blaming another caller; after the user's next
//! vault write `audit verify` said "intact". Every keyed entry now rewrites `audit.head` (the
//! head at that entry, MAC'd): the cut shows at the next vault write and in `audit verify`.

use std::path::Path;

use super::{PASSPHRASE, Setup};
use crate::harness::{stderr, stdout};

/// The agent's edit, as the user: drop the last `cut` lines of the log, then append an
/// unkeyed `secret.read` entry numbered to follow, naming another caller.
const CUT_AND_PLANT: &str = r#"
import json, os, sys
path, cut, remove_head = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
lines = open(path, "rb").read().splitlines(True)
kept = lines[:len(lines) - cut]
last = json.loads(kept[-1])
planted = {"seq": last["seq"] + 1, "time": last["time"], "action": "secret.read",
           "ref": last.get("ref", "?"), "outcome": "ok", "command": "secret get",
           "pid": 1, "caller": "cron"}
with open(path, "wb") as f:
    f.writelines(kept)
    f.write(json.dumps(planted, separators=(",", ":")).encode() + b"\n")
if remove_head:
    os.remove(os.path.join(os.path.dirname(path), "audit.head"))
"#;

impl Setup {
    /// The user reads `k` twice with the passphrase (two keyed entries after the last vault
    /// write), then the agent cuts them and plants one.
    fn cut_reads_and_plant(&self, remove_head: bool) {
        let pass = [("BYOK_PASSPHRASE", PASSPHRASE)];
        for _ in 0..2 {
            let out = self.byok(&["secret", "get", "k"], &pass);
            assert!(out.status.success(), "secret get: {}", stderr(&out));
        }
        let log = self.home().join("audit.jsonl");
        let out = self
            .user(
                Path::new("/usr/bin/python3"),
                &[
                    "-c",
                    CUT_AND_PLANT,
                    log.to_str().unwrap(),
                    "2",
                    if remove_head { "1" } else { "0" },
                ],
                &[],
            )
            .output()
            .unwrap();
        assert!(out.status.success(), "the agent's edit: {}", stderr(&out));
    }

    fn audit_verify(&self) -> std::process::Output {
        self.byok(&["audit", "verify"], &[("BYOK_PASSPHRASE", PASSPHRASE)])
    }
}

fn assert_cut_seen(setup: &Setup, expected: &str) {
    // The user's next vault write notices and keeps the old head (it would hide the cut).
    let out = setup.add_secret("k2", "sk-test-second-0123456789");
    assert!(out.status.success(), "secret add: {}", stderr(&out));
    assert!(
        stderr(&out).contains("no longer matches the head recorded in the vault or in"),
        "{}",
        stderr(&out)
    );
    let out = setup.audit_verify();
    let text = stdout(&out);
    assert!(!out.status.success(), "audit verify passed: {text}");
    assert!(!text.contains("intact"), "{text}");
    assert!(text.contains(expected), "{text}");
    // The planted entry is never taken for byok's.
    assert!(text.contains("carry no MAC of their own"), "{text}");
}

#[test]
fn reads_cut_from_the_audit_log_since_the_last_vault_write_are_seen() {
    let Some(setup) = Setup::new() else {
        return;
    };
    setup.init("http://127.0.0.1:9/v1");
    let out = setup.audit_verify();
    assert!(
        out.status.success(),
        "a fresh log verifies: {}",
        stdout(&out)
    );
    setup.cut_reads_and_plant(false);
    // Seen before any other write: audit.head holds the head at the last read.
    let out = setup.audit_verify();
    assert!(!out.status.success(), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("audit.head records"),
        "{}",
        stdout(&out)
    );
    assert_cut_seen(&setup, "a vault write found the log cut or changed");
    // A second write does not wash it out.
    let out = setup.add_secret("k3", "sk-test-third-0123456789");
    assert!(out.status.success(), "secret add: {}", stderr(&out));
    let out = setup.audit_verify();
    assert!(!out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).contains("a vault write found the log cut or changed"));
    // `audit reset` starts a new log that verifies.
    let out = setup.byok(
        &["audit", "reset", "--yes"],
        &[("BYOK_PASSPHRASE", PASSPHRASE)],
    );
    assert!(out.status.success(), "audit reset: {}", stderr(&out));
    let out = setup.audit_verify();
    assert!(out.status.success(), "after reset: {}", stdout(&out));
}

#[test]
fn removing_audit_head_with_the_cut_is_seen_too() {
    let Some(setup) = Setup::new() else {
        return;
    };
    setup.init("http://127.0.0.1:9/v1");
    setup.cut_reads_and_plant(true);
    let out = setup.audit_verify();
    assert!(!out.status.success(), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("audit.head was removed"),
        "{}",
        stdout(&out)
    );
    assert_cut_seen(&setup, "a vault write found the log cut or changed");
}
