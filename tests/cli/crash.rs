//! Crash safety and concurrency: writers SIGKILLed at random moments never lose or corrupt
//! the vault, and concurrent writers never lose each other's changes.

use std::collections::BTreeMap;
use std::process::{Command as StdCommand, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::harness::{Env, byok_bin, stderr};

/// A small xorshift generator: no dependency, and a printed seed reproduces a failure.
struct Rng(u64);

impl Rng {
    fn from_time() -> Self {
        let seed = std::env::var("BYOK_CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("crash loop seed: BYOK_CRASH_SEED={seed}");
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn byok(env: &Env) -> StdCommand {
    let mut cmd = StdCommand::new(byok_bin());
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.dir.path())
        .env("BYOK_HOME", env.home());
    cmd
}

/// The secrets as `secret list --json` shows them (name → masked value); panics, naming
/// the iteration, if the vault does not decrypt.
fn names(env: &Env, when: &str) -> Vec<String> {
    let out = env.cmd(["secret", "list", "--json"]).output().unwrap();
    assert!(
        out.status.success(),
        "{when}: the vault does not read: {}",
        stderr(&out)
    );
    let list: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    list.iter()
        .map(|s| s["ref"].as_str().unwrap().to_owned())
        .collect()
}

pub(crate) fn leftovers(env: &Env) -> Vec<String> {
    std::fs::read_dir(env.home())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".byok-tmp-"))
        .collect()
}

/// What may be in the vault after a command that was killed, or must be after one that
/// completed.
#[derive(Clone, Debug)]
enum Expect {
    /// Present with one of these values (the first is the newest).
    Values(Vec<String>),
    /// Present or absent; if present, this value.
    Maybe(String),
}

/// How a command changes the model: (model, whether the command completed).
type Change = Box<dyn Fn(&mut BTreeMap<String, Expect>, bool)>;

#[test]
fn sigkill_at_random_moments_never_loses_a_completed_write() {
    let env = Env::init();
    let mut rng = Rng::from_time();
    let mut model: BTreeMap<String, Expect> = BTreeMap::new();
    let (mut completed, mut killed, mut stale_seen) = (0, 0, 0);
    let dotenv = env.dir.path().join("import.env");
    const ITERATIONS: usize = 200;
    for i in 0..ITERATIONS {
        let value = format!("sk-test-crash-{i:04}-{:016x}", rng.next());
        let committed: Vec<String> = model
            .iter()
            .filter(|(_, e)| matches!(e, Expect::Values(_)))
            .map(|(n, _)| n.clone())
            .collect();
        let op = if committed.is_empty() {
            0
        } else {
            rng.below(4)
        };
        let mut cmd = byok(&env);
        // Widen the window between the temp file's fsync and its rename, so a good share
        // of kills land inside it.
        cmd.env("BYOK_FAULT", "slow-rename:15");
        let mut stdin = None;
        let change: Change;
        match op {
            0 => {
                let name = format!("s{i}");
                cmd.args(["secret", "add", &name, "--stdin"]);
                stdin = Some(value.clone());
                let v = value.clone();
                change = Box::new(move |m, done| {
                    let e = if done {
                        Expect::Values(vec![v.clone()])
                    } else {
                        Expect::Maybe(v.clone())
                    };
                    m.insert(name.clone(), e);
                });
            }
            1 => {
                let name = committed[rng.below(committed.len() as u64) as usize].clone();
                cmd.args(["secret", "rotate", &name, "--stdin"]);
                stdin = Some(value.clone());
                let v = value.clone();
                change = Box::new(move |m, done| {
                    if let Some(Expect::Values(values)) = m.get_mut(&name) {
                        if done {
                            *values = vec![v.clone()];
                        } else {
                            values.insert(0, v.clone());
                        }
                    }
                });
            }
            2 => {
                let old = committed[rng.below(committed.len() as u64) as usize].clone();
                let new = format!("r{i}");
                cmd.args(["secret", "rename", &old, &new]);
                change = Box::new(move |m, done| {
                    if done {
                        let e = m.remove(&old).unwrap();
                        m.insert(new.clone(), e);
                    }
                    // Killed: exactly one of the two names holds it; checked below.
                });
            }
            _ => {
                let var = format!("IMP{i}_API_KEY");
                std::fs::write(&dotenv, format!("{var}={value}\n")).unwrap();
                cmd.args(["import", "dotenv", "--yes"]).arg(&dotenv);
                let name = format!("imp{i}_api_key");
                let v = value.clone();
                change = Box::new(move |m, done| {
                    let e = if done {
                        Expect::Values(vec![v.clone()])
                    } else {
                        Expect::Maybe(v.clone())
                    };
                    m.insert(name.clone(), e);
                });
            }
        }
        let rename = (op == 2).then(|| {
            let args: Vec<String> = cmd
                .get_args()
                .map(|a| a.to_string_lossy().into_owned())
                .collect();
            (args[2].clone(), args[3].clone())
        });
        cmd.stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        let mut child = cmd.spawn().unwrap();
        if let Some(text) = &stdin {
            use std::io::Write;
            let mut pipe = child.stdin.take().unwrap();
            let _ = pipe.write_all(text.as_bytes());
        }
        // One in five runs to completion; the others die somewhere between start-up and
        // well after the rename.
        if rng.below(5) != 0 {
            std::thread::sleep(Duration::from_micros(rng.below(80_000)));
            let _ = child.kill();
        }
        let status = child.wait().unwrap();
        let done = status.success();
        if done {
            completed += 1;
        } else {
            killed += 1;
        }
        change(&mut model, done);

        let when = format!("after iteration {i} (op {op}, completed: {done})");
        let left = leftovers(&env);
        if done {
            // A completed write removed what earlier kills left, and renamed its own.
            assert_eq!(left, Vec::<String>::new(), "{when}");
        } else if !left.is_empty() {
            stale_seen += 1;
        }
        let present = names(&env, &when);
        if let Some((old, new)) = &rename {
            // A rename of a vault secret is one rewrite of the document: after a kill the
            // secret is under exactly one of the two names, with its value intact; after a
            // completed rename only under the new one.
            let (has_old, has_new) = (present.contains(old), present.contains(new));
            assert!(
                has_old != has_new,
                "{when}: rename left {old}: {has_old}, {new}: {has_new} (want exactly one)"
            );
            if done {
                assert!(has_new, "{when}: completed rename, but {new} is missing");
            } else if has_new {
                let e = model.remove(old).unwrap();
                model.insert(new.clone(), e);
            }
            let name = if has_new { new } else { old };
            let Some(Expect::Values(values)) = model.get(name) else {
                panic!("{when}: {name} is not a committed secret in the model");
            };
            let got = env.get(name);
            assert!(
                values.contains(&got),
                "{when}: {name} holds a value no command wrote"
            );
        }
        for (name, expect) in model.clone() {
            match expect {
                Expect::Values(_) => {
                    assert!(present.contains(&name), "{when}: lost {name}")
                }
                Expect::Maybe(v) => {
                    if present.contains(&name) {
                        model.insert(name, Expect::Values(vec![v]));
                    } else {
                        model.remove(&name);
                    }
                }
            }
        }
    }
    // A completed write removes what the killed ones left.
    env.add("final", "sk-test-final-0000000000", &[]);
    assert_eq!(leftovers(&env), Vec::<String>::new());
    // Every value is one a command wrote (the newest, for a completed command).
    for (name, expect) in &model {
        let Expect::Values(values) = expect else {
            unreachable!()
        };
        let got = env.get(name);
        assert!(values.contains(&got), "{name}: unexpected value");
    }
    eprintln!("{completed} completed, {killed} killed, {stale_seen} left a temp file");
    assert!(
        stale_seen >= 5,
        "too few kills inside the write window: {stale_seen}"
    );
    assert!(killed >= 20, "too few kills to mean anything: {killed}");
    assert!(completed >= 5, "too few completed writes: {completed}");
}

/// Runs `n` byok processes at once, `args(i)` each, with `stdin(i)`; asserts all succeed.
fn all_at_once(
    env: &Env,
    n: usize,
    args: impl Fn(usize) -> Vec<String>,
    stdin: impl Fn(usize) -> Option<String>,
) {
    let children: Vec<_> = (0..n)
        .map(|i| {
            let mut cmd = byok(env);
            cmd.args(args(i))
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::piped());
            let mut child = cmd.spawn().unwrap();
            let mut pipe = child.stdin.take().unwrap();
            if let Some(text) = stdin(i) {
                use std::io::Write;
                pipe.write_all(text.as_bytes()).unwrap();
            }
            drop(pipe);
            child
        })
        .collect();
    for (i, child) in children.into_iter().enumerate() {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "process {i}: {}", stderr(&out));
    }
}

#[test]
fn thirty_two_concurrent_adds_all_land() {
    let env = Env::init();
    all_at_once(
        &env,
        32,
        |i| {
            vec![
                "secret".into(),
                "add".into(),
                format!("c{i}"),
                "--stdin".into(),
            ]
        },
        |i| Some(format!("sk-test-concurrent-{i:04}-xxxxxxxx")),
    );
    let present = names(&env, "after 32 adds");
    for i in 0..32 {
        assert!(present.contains(&format!("c{i}")), "c{i} lost");
    }
    assert_eq!(env.get("c17"), "sk-test-concurrent-0017-xxxxxxxx");
}

#[test]
fn thirty_two_concurrent_connector_adds_all_land() {
    let env = Env::init();
    env.add("k", "sk-test-connkey-0000000000", &[]);
    all_at_once(
        &env,
        32,
        |i| {
            [
                "connector",
                "add",
                &format!("n{i}"),
                "--type",
                "openai",
                "--secret",
                "k",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect()
        },
        |_| None,
    );
    let out = env.cmd(["connector", "list", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    for i in 0..32 {
        assert!(
            text.contains(&format!("\"n{i}\"")),
            "connector n{i} lost: {text}"
        );
    }
}

#[test]
fn thirty_two_concurrent_mixed_adds_rotates_and_removals() {
    let env = Env::init();
    for i in 0..16 {
        env.add(
            &format!("m{i}"),
            &format!("sk-test-old-{i:04}-yyyyyyyy"),
            &[],
        );
    }
    // 0..8 remove m0..m7; 8..16 rotate m8..m15; 16..32 add a16..a31.
    all_at_once(
        &env,
        32,
        |i| match i {
            0..8 => vec![
                "secret".into(),
                "rm".into(),
                format!("m{i}"),
                "--yes".into(),
            ],
            8..16 => vec![
                "secret".into(),
                "rotate".into(),
                format!("m{i}"),
                "--stdin".into(),
            ],
            _ => vec![
                "secret".into(),
                "add".into(),
                format!("a{i}"),
                "--stdin".into(),
            ],
        },
        |i| (i >= 8).then(|| format!("sk-test-new-{i:04}-zzzzzzzz")),
    );
    let present = names(&env, "after the mixed writers");
    for i in 0..32 {
        let (name, there) = match i {
            0..8 => (format!("m{i}"), false),
            8..16 => (format!("m{i}"), true),
            _ => (format!("a{i}"), true),
        };
        assert_eq!(present.contains(&name), there, "{name}");
    }
    for i in 8..32 {
        let name = if i < 16 {
            format!("m{i}")
        } else {
            format!("a{i}")
        };
        assert_eq!(env.get(&name), format!("sk-test-new-{i:04}-zzzzzzzz"));
    }
}
