//! Shared vault files: `age-file` stores encrypted to every recipient in `FILE.recipients`,
//! with identities from `age-keygen`, `ssh-keygen` and a byok home, checked against the
//! reference `age` CLI and git.

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use predicates::prelude::*;

use crate::harness::{Env, require_tool, stderr, stdout};

/// One member: their own byok home, and (unless they use the home's identity) a key file.
struct Member {
    env: Env,
    identity: Option<PathBuf>,
    passphrase_file: Option<PathBuf>,
}

impl Member {
    /// A home with the store `team` on `file`, opened with `identity` (or the home's own).
    fn new(file: &Path, identity: Option<PathBuf>) -> Self {
        let env = Env::init();
        let mut args = vec![
            "store".to_owned(),
            "add".into(),
            "team".into(),
            "--type".into(),
            "age-file".into(),
            "--path".into(),
            file.display().to_string(),
        ];
        if let Some(identity) = &identity {
            args.extend(["--identity".into(), identity.display().to_string()]);
        }
        env.cmd(args).assert().success();
        Member {
            env,
            identity,
            passphrase_file: None,
        }
    }

    fn cmd<I, S>(&self, args: I) -> assert_cmd::Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = self.env.cmd(args);
        if let Some(file) = &self.passphrase_file {
            cmd.env("BYOK_STORE_PASSPHRASE_FILE", file);
        }
        cmd
    }

    fn add(&self, reference: &str, value: &str) {
        self.cmd(["secret", "add", reference, "--store", "team", "--stdin"])
            .write_stdin(value)
            .assert()
            .success();
    }

    fn get(&self, reference: &str) -> std::process::Output {
        self.cmd(["secret", "get", reference, "--store", "team"])
            .output()
            .unwrap()
    }

    fn reads(&self, reference: &str, value: &str) {
        let out = self.get(reference);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(stdout(&out), format!("{value}\n"));
    }

    /// This member's public key, as `recipients add` takes it.
    fn public(&self) -> String {
        match &self.identity {
            Some(path) if path.extension().is_none_or(|e| e != "txt") => {
                std::fs::read_to_string(path.with_extension("pub")).unwrap()
            }
            Some(path) => age_keygen_y(path),
            None => age_keygen_y(&self.env.file("identity.txt")),
        }
    }
}

fn age_keygen_y(identity: &Path) -> String {
    let out = StdCommand::new("age-keygen")
        .arg("-y")
        .arg(identity)
        .output()
        .unwrap();
    assert!(out.status.success());
    stdout(&out).trim().to_owned()
}

fn age_keygen(path: &Path) {
    let out = StdCommand::new("age-keygen")
        .arg("-o")
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

fn ssh_keygen(path: &Path, passphrase: &str) {
    let out = StdCommand::new("ssh-keygen")
        .args([
            "-q",
            "-t",
            "ed25519",
            "-C",
            "carol@laptop",
            "-N",
            passphrase,
            "-f",
        ])
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

/// `age -d -i IDENTITY FILE` → whether it decrypted, and the plaintext.
fn age_decrypt(identity: &Path, file: &Path) -> (bool, String) {
    let out = StdCommand::new("age")
        .arg("-d")
        .arg("-i")
        .arg(identity)
        .arg(file)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    (out.status.success(), stdout(&out))
}

fn tools(names: &[&str]) -> bool {
    names.iter().all(|n| require_tool(n).is_some())
}

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    StdCommand::new("git")
        .args([
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.invalid",
        ])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "advice.detachedHead=false",
        ])
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .unwrap()
}

fn git_ok(dir: &Path, args: &[&str]) {
    let out = git(dir, args);
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
}

#[test]
fn each_identity_reads_after_add_and_a_removed_one_cannot() {
    if !tools(&["age", "age-keygen", "ssh-keygen"]) {
        return;
    }
    let keys = tempfile::tempdir().unwrap();
    let repo = tempfile::tempdir().unwrap();
    let file = repo.path().join("team.age");
    let (alice_key, bob_key, carol_key) = (
        keys.path().join("alice.txt"),
        keys.path().join("bob.txt"),
        keys.path().join("carol"),
    );
    age_keygen(&alice_key);
    age_keygen(&bob_key);
    ssh_keygen(&carol_key, "carol-passphrase");
    let pass = keys.path().join("carol-pass");
    std::fs::write(&pass, "carol-passphrase\n").unwrap();

    let alice = Member::new(&file, Some(alice_key.clone()));
    let bob = Member::new(&file, Some(bob_key.clone()));
    let mut carol = Member::new(&file, Some(carol_key.clone()));
    let dave = Member::new(&file, None); // the home's own identity

    // The first write makes Alice the first recipient.
    alice.add("team_openai", "sk-test-team-value-0001");
    let recipients = std::fs::read_to_string(file.with_extension("age.recipients")).unwrap();
    assert!(recipients.contains(&alice.public()), "{recipients}");
    for member in [&bob, &carol, &dave] {
        member
            .cmd(["secret", "get", "team_openai", "--store", "team"])
            .env("BYOK_STORE_PASSPHRASE_FILE", &pass)
            .assert()
            .code(7)
            .stderr(predicate::str::contains("is not encrypted to your key"));
    }

    for (member, name) in [(&bob, "bob"), (&carol, "carol"), (&dave, "dave")] {
        alice
            .cmd([
                "recipients",
                "add",
                &member.public(),
                "--store",
                "team",
                "--name",
                name,
            ])
            .assert()
            .success();
    }
    let recipients = std::fs::read_to_string(file.with_extension("age.recipients")).unwrap();
    for name in ["# bob", "# carol", "# dave"] {
        assert!(recipients.contains(name), "{recipients}");
    }
    alice.reads("team_openai", "sk-test-team-value-0001");
    bob.reads("team_openai", "sk-test-team-value-0001");
    dave.reads("team_openai", "sk-test-team-value-0001");
    // Carol's key is passphrase-protected: without a passphrase source there is no prompt.
    carol
        .get("team_openai")
        .status
        .code()
        .map(|c| assert_eq!(c, 4))
        .unwrap();
    carol.passphrase_file = Some(pass.clone());
    carol.reads("team_openai", "sk-test-team-value-0001");
    let wrong = keys.path().join("wrong");
    std::fs::write(&wrong, "not-it\n").unwrap();
    carol
        .cmd(["secret", "get", "team_openai", "--store", "team"])
        .env("BYOK_STORE_PASSPHRASE_FILE", &wrong)
        .assert()
        .code(5);

    let listed = alice
        .cmd(["recipients", "list", "--store", "team", "--json"])
        .output()
        .unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed["accepted"], true);
    let rows = listed["recipients"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[2]["type"], "ssh-ed25519");
    assert_eq!(rows[0]["you"], true);

    // A new member reads at once, but writes only once they have accepted the list.
    bob.cmd(["secret", "add", "bob_key", "--store", "team", "--stdin"])
        .write_stdin("sk-test-bob-0002")
        .assert()
        .code(8);
    for member in [&bob, &carol, &dave] {
        member
            .cmd(["recipients", "accept", "--store", "team", "--yes"])
            .assert()
            .success()
            .stderr(predicate::str::contains("+ carol"));
    }
    // Everyone writes.
    bob.add("bob_key", "sk-test-bob-0002");
    carol.add("carol_key", "sk-test-carol-0003");
    dave.add("dave_key", "sk-test-dave-0004");
    alice.reads("carol_key", "sk-test-carol-0003");

    // Bob leaves: told what he could read, and he can no longer decrypt the new file.
    alice
        .cmd(["recipients", "rm", "bob", "--store", "team"])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("bob_key")
                .and(predicate::str::contains("team_openai"))
                .and(predicate::str::contains("byok secret rotate"))
                .and(predicate::str::contains("sk-test").not()),
        );
    bob.cmd(["secret", "get", "bob_key", "--store", "team"])
        .assert()
        .code(7);
    assert!(!age_decrypt(&bob_key, &file).0);
    // The reference age CLI decrypts with each remaining identity (Carol's through a copy
    // without its passphrase: age would ask for it on a terminal).
    let carol_plain = keys.path().join("carol-plain");
    std::fs::copy(&carol_key, &carol_plain).unwrap();
    let out = StdCommand::new("ssh-keygen")
        .args(["-q", "-p", "-P", "carol-passphrase", "-N", "", "-f"])
        .arg(&carol_plain)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    for identity in [&alice_key, &carol_plain, &dave.env.file("identity.txt")] {
        let (ok, plain) = age_decrypt(identity, &file);
        assert!(ok, "age -d -i {}", identity.display());
        assert!(plain.contains("sk-test-dave-0004"));
        assert!(plain.contains("\"byok_vault\": 3") || plain.contains("\"byok_vault\":3"));
    }
    // Nobody can remove the last way back in: yourself.
    alice
        .cmd(["recipients", "rm", &alice.public(), "--store", "team"])
        .assert()
        .code(2);
    alice
        .cmd(["recipients", "rm", "nobody", "--store", "team"])
        .assert()
        .code(3);
}

#[test]
fn a_file_encrypted_with_age_dash_r_is_read() {
    if !tools(&["age", "age-keygen"]) {
        return;
    }
    let keys = tempfile::tempdir().unwrap();
    let repo = tempfile::tempdir().unwrap();
    let file = repo.path().join("team.age");
    let bob_key = keys.path().join("bob.txt");
    age_keygen(&bob_key);
    let alice = Member::new(&file, None);
    let bob = Member::new(&file, Some(bob_key.clone()));
    // A hand-written recipients file in age's own format, names in comments.
    let recipients = file.with_extension("age.recipients");
    std::fs::write(
        &recipients,
        format!("# alice\n{}\n\n# bob\n{}\n", alice.public(), bob.public()),
    )
    .unwrap();
    let plain = keys.path().join("doc.json");
    std::fs::write(
        &plain,
        r#"{"byok_vault":2,"secrets":{"made_by_age":{"label":"By age","created":"2026-01-01T00:00:00Z","updated":"2026-01-01T00:00:00Z","rotated":"2026-01-01T00:00:00Z","fields":{"api_key":"sk-test-from-age-cli-0001"}}}}"#,
    )
    .unwrap();
    let out = StdCommand::new("age")
        .arg("-R")
        .arg(&recipients)
        .arg("-o")
        .arg(&file)
        .arg(&plain)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    alice.reads("made_by_age", "sk-test-from-age-cli-0001");
    bob.reads("made_by_age", "sk-test-from-age-cli-0001");
    let listed = bob
        .cmd(["recipients", "list", "--store", "team"])
        .output()
        .unwrap();
    assert!(stdout(&listed).contains("alice") && stdout(&listed).contains("bob"));
    // Neither accepted this list yet: writes wait for it (reads did not).
    bob.cmd(["secret", "add", "more", "--store", "team", "--stdin"])
        .write_stdin("sk-test-more-0002")
        .assert()
        .code(8)
        .stderr(predicate::str::contains("recipients accept --store team"));
    bob.cmd(["recipients", "accept", "--store", "team", "--yes"])
        .assert()
        .success()
        .stderr(predicate::str::contains("+ alice").and(predicate::str::contains("+ bob")));
    bob.add("more", "sk-test-more-0002");
    alice.reads("more", "sk-test-more-0002");
}

#[test]
fn a_recipients_file_changed_behind_byoks_back_stops_writes_until_accepted() {
    if !tools(&["age", "age-keygen"]) {
        return;
    }
    let keys = tempfile::tempdir().unwrap();
    let repo = tempfile::tempdir().unwrap();
    let file = repo.path().join("team.age");
    let alice = Member::new(&file, None);
    alice.add("team_key", "sk-test-tamper-0001");
    // Mallory commits herself into the recipients file.
    let mallory = keys.path().join("mallory.txt");
    age_keygen(&mallory);
    let recipients = file.with_extension("age.recipients");
    let mut text = std::fs::read_to_string(&recipients).unwrap();
    text.push_str(&format!("\n# mallory\n{}\n", age_keygen_y(&mallory)));
    std::fs::write(&recipients, text).unwrap();
    let before = std::fs::read(&file).unwrap();

    for args in [
        vec!["secret", "rotate", "team_key", "--store", "team", "--stdin"],
        vec!["secret", "add", "other", "--store", "team", "--stdin"],
    ] {
        alice
            .cmd(&args)
            .write_stdin("sk-test-tamper-0002")
            .assert()
            .code(8)
            .stderr(predicate::str::contains("1 added, 0 removed"));
    }
    alice
        .cmd(["secret", "rm", "team_key", "--store", "team", "--yes"])
        .assert()
        .code(8);
    alice
        .cmd([
            "recipients",
            "add",
            &age_keygen_y(&mallory),
            "--store",
            "team",
        ])
        .assert()
        .code(8);
    assert_eq!(std::fs::read(&file).unwrap(), before, "nothing was written");
    assert!(!age_decrypt(&mallory, &file).0);
    // Reads still work.
    alice.reads("team_key", "sk-test-tamper-0001");
    // `accept` shows the difference and, without a terminal, wants --yes.
    alice
        .cmd(["recipients", "accept", "--store", "team"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("+ mallory").and(predicate::str::contains("--yes")));
    alice
        .cmd(["recipients", "accept", "--store", "team", "--yes"])
        .assert()
        .success();
    alice
        .cmd(["secret", "rotate", "team_key", "--store", "team", "--stdin"])
        .write_stdin("sk-test-tamper-0002")
        .assert()
        .success();
    // Accepted: the next write went to Mallory too.
    assert!(
        age_decrypt(&mallory, &file)
            .1
            .contains("sk-test-tamper-0002")
    );
    // A removed recipients file is not taken for a new store.
    std::fs::remove_file(&recipients).unwrap();
    alice
        .cmd(["secret", "add", "again", "--store", "team", "--stdin"])
        .write_stdin("sk-test-tamper-0003")
        .assert()
        .code(8)
        .stderr(predicate::str::contains("is missing"));
}

/// Two clones of one repository, Alice's and Bob's, both members of `team`.
struct Clones {
    _dir: tempfile::TempDir,
    a: PathBuf,
    b: PathBuf,
    alice: Member,
    bob: Member,
}

fn clones() -> Clones {
    let dir = tempfile::tempdir().unwrap();
    let origin = dir.path().join("origin.git");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    git_ok(
        dir.path(),
        &["init", "-q", "--bare", origin.to_str().unwrap()],
    );
    git_ok(
        dir.path(),
        &["clone", "-q", origin.to_str().unwrap(), a.to_str().unwrap()],
    );
    let alice = Member::new(&a.join("team.age"), None);
    alice.add("alice_key", "sk-test-alice-0001");
    let bob_in_b = Member::new(&b.join("team.age"), None);
    alice
        .cmd([
            "recipients",
            "add",
            &bob_in_b.public(),
            "--store",
            "team",
            "--name",
            "bob",
        ])
        .assert()
        .success();
    git_ok(&a, &["add", "team.age", "team.age.recipients"]);
    git_ok(&a, &["commit", "-q", "-m", "team store"]);
    git_ok(&a, &["push", "-q", "origin", "HEAD:main"]);
    git_ok(
        dir.path(),
        &[
            "clone",
            "-q",
            "-b",
            "main",
            origin.to_str().unwrap(),
            b.to_str().unwrap(),
        ],
    );
    bob_in_b
        .cmd(["recipients", "accept", "--store", "team", "--yes"])
        .assert()
        .success();
    Clones {
        _dir: dir,
        a,
        b,
        alice,
        bob: bob_in_b,
    }
}

#[test]
fn a_write_over_a_file_changed_since_it_was_read_is_refused_not_lost() {
    if !tools(&["age", "git"]) {
        return;
    }
    let c = clones();
    let pause = tempfile::tempdir().unwrap();
    // Bob starts a write; it has read the file and waits before writing.
    let mut bob = c
        .bob
        .cmd(["secret", "add", "bob_key", "--store", "team", "--stdin"]);
    bob.env(
        "BYOK_FAULT",
        format!("age-file-pause:{}", pause.path().display()),
    )
    .write_stdin("sk-test-bob-0002")
    .timeout(std::time::Duration::from_secs(120));
    let handle = std::thread::spawn(move || bob.output().unwrap());
    while !pause.path().join("ready").exists() {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // Meanwhile Alice writes and pushes, and Bob's clone pulls her version.
    c.alice.add("alice_second", "sk-test-alice-0003");
    git_ok(&c.a, &["commit", "-q", "-am", "alice_second"]);
    git_ok(&c.a, &["push", "-q", "origin", "HEAD:main"]);
    git_ok(&c.b, &["pull", "-q", "--ff-only"]);
    std::fs::write(pause.path().join("go"), b"").unwrap();
    let out = handle.join().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("changed since byok read it"),
        "{}",
        stderr(&out)
    );
    // Refused, not lost: Bob's clone has Alice's version, and Bob's value was not written.
    c.bob.reads("alice_second", "sk-test-alice-0003");
    assert_eq!(c.bob.get("bob_key").status.code(), Some(3));
    // Run again, it applies to the new version.
    c.bob.add("bob_key", "sk-test-bob-0002");
    c.bob.reads("alice_second", "sk-test-alice-0003");
    c.bob.reads("bob_key", "sk-test-bob-0002");
}

#[test]
fn a_git_merge_conflict_refuses_writes_and_store_diff_names_the_other_side() {
    if !tools(&["age", "git"]) {
        return;
    }
    let c = clones();
    // Both write from their own clone without pulling first.
    c.alice.add("alice_new", "sk-test-alice-new-0004");
    git_ok(&c.a, &["commit", "-q", "-am", "alice_new"]);
    git_ok(&c.a, &["push", "-q", "origin", "HEAD:main"]);
    c.bob.add("bob_new", "sk-test-bob-new-0005");
    git_ok(&c.b, &["commit", "-q", "-am", "bob_new"]);
    // Git refuses Bob's push; his pull stops on the encrypted file.
    assert!(
        !git(&c.b, &["push", "-q", "origin", "HEAD:main"])
            .status
            .success()
    );
    assert!(!git(&c.b, &["pull", "-q", "--no-rebase"]).status.success());
    c.bob
        .cmd(["secret", "add", "third", "--store", "team", "--stdin"])
        .write_stdin("sk-test-third-0006")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unresolved git merge conflict"));
    // Neither side is lost: the other side's refs are listed, without values.
    let out = c
        .bob
        .cmd(["store", "diff", "team", "HEAD", "MERGE_HEAD", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let changes: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let summary: Vec<(String, String)> = changes
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["ref"].as_str().unwrap().into(),
                c["change"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("alice_new".to_owned(), "added".to_owned()),
            ("bob_new".to_owned(), "removed".to_owned())
        ]
    );
    assert!(!stdout(&out).contains("sk-test"));
}

#[test]
fn store_diff_lists_refs_added_changed_and_removed_across_commits() {
    if !tools(&["git"]) {
        return;
    }
    let repo = tempfile::tempdir().unwrap();
    git_ok(repo.path(), &["init", "-q"]);
    let alice = Member::new(&repo.path().join("team.age"), None);
    alice.add("kept", "sk-test-kept-0001");
    alice.add("rotated", "sk-test-rotated-0001");
    alice.add("dropped", "sk-test-dropped-0001");
    git_ok(repo.path(), &["add", "-A"]);
    git_ok(repo.path(), &["commit", "-q", "-m", "one"]);
    alice
        .cmd(["secret", "rotate", "rotated", "--store", "team", "--stdin"])
        .write_stdin("sk-test-rotated-0002")
        .assert()
        .success();
    alice
        .cmd(["secret", "rm", "dropped", "--store", "team", "--yes"])
        .assert()
        .success();
    alice.add("new_one", "sk-test-new-0001");
    // Against the working file, then across two commits.
    let now = alice
        .cmd(["store", "diff", "team", "HEAD"])
        .output()
        .unwrap();
    assert!(now.status.success(), "{}", stderr(&now));
    git_ok(repo.path(), &["commit", "-q", "-am", "two"]);
    let out = alice
        .cmd(["store", "diff", "team", "HEAD~1", "HEAD"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text, stdout(&now));
    assert!(text.contains("- dropped  removed"), "{text}");
    assert!(text.contains("+ new_one  added"), "{text}");
    assert!(
        text.contains("~ rotated  changed field(s) api_key"),
        "{text}"
    );
    assert!(!text.contains("kept"), "{text}");
    assert!(!text.contains("sk-test") && !stderr(&out).contains("sk-test"));
    alice
        .cmd(["store", "diff", "team", "HEAD", "HEAD"])
        .assert()
        .success()
        .stderr(predicate::str::contains("No ref changed"));
    alice
        .cmd(["store", "diff", "team", "--output=/tmp/x"])
        .assert()
        .failure();
    alice
        .cmd(["store", "diff", "vault", "HEAD"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an age-file store"));
}

#[test]
fn exec_does_not_pass_the_store_passphrase_file_on() {
    let env = Env::init();
    env.add(
        "my_openai_key",
        crate::harness::KEY,
        &["--provider", "openai"],
    );
    let out = env
        .cmd(["exec", "my_openai_key", "--", "env"])
        .env("BYOK_STORE_PASSPHRASE_FILE", "/nonexistent/store-pass")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("OPENAI_API_KEY="));
    assert!(!stdout(&out).contains("BYOK_STORE_PASSPHRASE_FILE"));
}

#[test]
fn a_passphrase_protected_age_identity_opens_the_store() {
    if !tools(&["age"]) {
        return;
    }
    let repo = tempfile::tempdir().unwrap();
    let file = repo.path().join("team.age");
    // `identity.age` of a byok home is an age identity encrypted with a passphrase (age -p).
    let keys = Env::new();
    let pass = keys.dir.path().join("pass");
    std::fs::write(&pass, "erin-passphrase\n").unwrap();
    keys.cmd(["init"])
        .env("BYOK_PASSPHRASE_FILE", &pass)
        .assert()
        .success();
    let mut erin = Member::new(&file, Some(keys.file("identity.age")));
    erin.passphrase_file = Some(pass.clone());
    let alice = Member::new(&file, None);
    alice.add("shared", "sk-test-erin-0001");
    // Not a recipient yet: the error gives Erin's public key to send to a member.
    let out = erin.get("shared");
    assert_eq!(out.status.code(), Some(7), "{}", stderr(&out));
    let key = stderr(&out)
        .split_whitespace()
        .find(|w| w.starts_with("age1"))
        .expect("the public key is named")
        .to_owned();
    alice
        .cmd([
            "recipients",
            "add",
            &key,
            "--store",
            "team",
            "--name",
            "erin",
        ])
        .assert()
        .success();
    erin.reads("shared", "sk-test-erin-0001");
    erin.cmd(["recipients", "accept", "--store", "team", "--yes"])
        .assert()
        .success();
    erin.add("from_erin", "sk-test-erin-0002");
    alice.reads("from_erin", "sk-test-erin-0002");
    // Without a passphrase source, no prompt and no wait: exit 4.
    erin.passphrase_file = None;
    assert_eq!(erin.get("shared").status.code(), Some(4));
}

/// The finding: the first member of a shared store was named `me`, which every other member's
/// `recipients list` then showed for someone else. It is named `user@host` (or the user, the
/// host, or the start of its key), never `me`.
#[test]
fn a_shared_store_s_first_member_is_named_for_who_it_is_not_me() {
    let repo = tempfile::tempdir().unwrap();
    let file = repo.path().join("team.age");
    let alice = Member::new(&file, None);
    alice
        .cmd(["secret", "add", "shared", "--store", "team", "--stdin"])
        .env("USER", "alice")
        .write_stdin("sk-test-first-member-0001")
        .assert()
        .success();
    let bob = Member::new(&file, None);
    let out = bob
        .cmd(["recipients", "list", "--store", "team", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &listed["recipients"][0];
    let name = first["name"].as_str().unwrap();
    assert!(name == "alice" || name.starts_with("alice@"), "{listed}");
    assert_eq!(first["key"].as_str().unwrap(), alice.public(), "{listed}");

    // Without a user name in the environment: still not `me`.
    let other = repo.path().join("other.age");
    let carol = Member::new(&other, None);
    carol.add("mine", "sk-test-first-member-0002");
    let text = std::fs::read_to_string(other.with_extension("age.recipients")).unwrap();
    assert!(!text.lines().any(|l| l.trim() == "# me"), "{text}");
    assert!(text.contains(&carol.public()), "{text}");
}
