//! A three-node OpenBao Raft cluster on loopback (`storage "raft"`, `performance_multiplier
//! = 1`, Shamir 1/1, `retry_join`), and byok configured with the three addresses:
//!
//! - a write through any node is read back at once through any other (standbys serve reads
//!   from local, possibly stale, data: byok asks them to forward to the active node);
//! - the leader is killed with SIGKILL while `secret get`s and `secret rotate`s run; every
//!   get succeeds within 30 s of retries, and no acknowledged write is lost or duplicated.
//!   The longest wait is printed and written to `target/openbao-failover.txt`.
//!
//! One test, run on its own (its own test binary), bounded to about two minutes. Skipped
//! loudly without `bao`; failing under `CI=true`.

#[path = "cli/bao_server.rs"]
mod bao_server;
#[allow(dead_code)]
#[path = "cli/harness/mod.rs"]
mod harness;

use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bao_server::{bao_bin, free_port, run_bao, server_pid, spawn_watched};
use harness::{Env, stderr, stdout};

struct Node {
    api: String,
    log: PathBuf,
    _watchdog: Child,
}

struct Cluster {
    bao: PathBuf,
    dir: tempfile::TempDir,
    nodes: Vec<Node>,
    token: String,
}

impl Cluster {
    fn bao_on(&self, node: usize, args: &[&str]) -> std::process::Output {
        run_bao(
            &self.bao,
            &self.nodes[node].api,
            &self.token,
            self.dir.path(),
            args,
            None,
        )
    }

    /// `bao ARGS` on a node, retried for a while (standby races right after setup).
    fn ok_on(&self, node: usize, args: &[&str]) -> String {
        let started = Instant::now();
        loop {
            let out = self.bao_on(node, args);
            if out.status.success() {
                return stdout(&out).trim().to_owned();
            }
            if started.elapsed() > Duration::from_secs(30) {
                panic!("bao {args:?} on node {node}: {}", stderr(&out));
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// The index of the active node, as `sys/leader` on `asked` says.
    fn leader(&self, asked: usize) -> Option<usize> {
        let out = self.bao_on(asked, &["read", "-format=json", "sys/leader"]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
        let addr = v["data"]["leader_address"].as_str()?;
        self.nodes.iter().position(|n| n.api == addr)
    }

    fn kill(&self, node: usize) {
        let pid = server_pid(&self.nodes[node].log).expect("the server's pid");
        assert!(
            std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status()
                .unwrap()
                .success()
        );
    }
}

fn start_cluster(bao: PathBuf) -> Cluster {
    let dir = tempfile::tempdir().unwrap();
    let ports: Vec<(u16, u16)> = (0..3).map(|_| (free_port(), free_port())).collect();
    let joins: String = ports
        .iter()
        .map(|(api, _)| {
            format!("  retry_join {{\n    leader_api_addr = \"http://127.0.0.1:{api}\"\n  }}\n")
        })
        .collect();
    let mut nodes = Vec::new();
    for (i, (api, cluster)) in ports.iter().enumerate() {
        let data = dir.path().join(format!("n{i}"));
        std::fs::create_dir_all(&data).unwrap();
        let config = format!(
            "storage \"raft\" {{\n  path = \"{}\"\n  node_id = \"n{i}\"\n  performance_multiplier = 1\n{joins}}}\n\
             listener \"tcp\" {{\n  address = \"127.0.0.1:{api}\"\n  cluster_address = \"127.0.0.1:{cluster}\"\n  tls_disable = true\n}}\n\
             api_addr = \"http://127.0.0.1:{api}\"\ncluster_addr = \"https://127.0.0.1:{cluster}\"\ndisable_mlock = true\n",
            data.display()
        );
        let file = dir.path().join(format!("n{i}.hcl"));
        std::fs::write(&file, config).unwrap();
        let log = dir.path().join(format!("n{i}.log"));
        let watchdog = spawn_watched(
            &bao,
            &["server".to_owned(), format!("-config={}", file.display())],
            dir.path(),
            &log,
        );
        nodes.push(Node {
            api: format!("http://127.0.0.1:{api}"),
            log,
            _watchdog: watchdog,
        });
    }
    let mut cluster = Cluster {
        bao,
        dir,
        nodes,
        token: String::new(),
    };
    // Initialise node 0, unseal everyone (the others join through retry_join).
    let init = {
        let started = Instant::now();
        loop {
            let out = cluster.bao_on(
                0,
                &[
                    "operator",
                    "init",
                    "-key-shares=1",
                    "-key-threshold=1",
                    "-format=json",
                ],
            );
            if out.status.success() {
                break serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap();
            }
            if started.elapsed() > Duration::from_secs(30) {
                panic!(
                    "operator init: {}\n{}",
                    stderr(&out),
                    std::fs::read_to_string(&cluster.nodes[0].log).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    };
    let key = init["unseal_keys_b64"][0].as_str().unwrap().to_owned();
    cluster.token = init["root_token"].as_str().unwrap().to_owned();
    for i in 0..3 {
        cluster.ok_on(i, &["operator", "unseal", &key]);
        if i == 0 {
            cluster.ok_on(0, &["secrets", "list"]);
        }
    }
    // Autopilot makes joined nodes voters after its stabilisation time: shorten it.
    cluster.ok_on(
        0,
        &[
            "operator",
            "raft",
            "autopilot",
            "set-config",
            "-server-stabilization-time=1s",
        ],
    );
    cluster.ok_on(
        0,
        &["secrets", "enable", "-path=secret", "-version=2", "kv"],
    );
    let started = Instant::now();
    loop {
        let out = cluster.bao_on(0, &["operator", "raft", "list-peers", "-format=json"]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        let voters = v["data"]["config"]["servers"]
            .as_array()
            .map(|s| s.iter().filter(|p| p["voter"] == true).count())
            .unwrap_or(0);
        if voters == 3 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the three nodes did not become voters: {}",
            stdout(&out)
        );
        std::thread::sleep(Duration::from_millis(300));
    }
    cluster
}

/// A home with three stores on the same cluster, each listing node `i` first.
fn home(cluster: &Cluster, prefix: &str) -> Env {
    let env = Env::init();
    let mut config = String::new();
    for i in 0..3 {
        let order: Vec<&str> = (0..3)
            .map(|k| cluster.nodes[(i + k) % 3].api.as_str())
            .collect();
        config.push_str(&bao_server::store_toml(
            &format!("via{i}"),
            &order.join(", "),
            prefix,
            "retry_for = \"30s\"\n",
        ));
    }
    std::fs::write(env.file("config.toml"), config).unwrap();
    env
}

fn byok(env: &Env, cluster: &Cluster, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let mut cmd = env.cmd(args);
    cmd.env("BAO_ADDR", &cluster.nodes[0].api)
        .env("BAO_TOKEN", &cluster.token)
        .timeout(Duration::from_secs(45));
    if let Some(text) = stdin {
        cmd.write_stdin(text);
    }
    cmd.output().unwrap()
}

#[test]
fn three_node_raft_cluster_reads_its_writes_and_survives_losing_the_leader() {
    let Some(bao) = bao_bin() else { return };
    let began = Instant::now();
    let cluster = start_cluster(bao);
    let env = home(&cluster, "raft/");
    // BAO_ADDR names node 0, which every store lists: the token goes to all three stores.
    // An index this cluster cannot decode (as one kept from a cluster since rebuilt) is
    // forgotten on the first refusal, not a dead end.
    let stale_index = env.file("openbao-via1.index");
    std::fs::write(&stale_index, "bm90LWFuLWluZGV4").unwrap();

    // Read-after-write through different nodes, in separate processes.
    for round in 0..6 {
        let (w, r) = (round % 3, (round + 1 + round / 3) % 3);
        let value = format!("sk-test-raft-raw-{round:04}");
        let add = byok(
            &env,
            &cluster,
            &[
                "secret",
                "add",
                &format!("raw{round}"),
                "--stdin",
                "--store",
                &format!("via{w}"),
            ],
            Some(&value),
        );
        assert!(add.status.success(), "{}", stderr(&add));
        let get = byok(
            &env,
            &cluster,
            &[
                "secret",
                "get",
                &format!("raw{round}"),
                "--store",
                &format!("via{r}"),
            ],
            None,
        );
        assert!(get.status.success(), "round {round}: {}", stderr(&get));
        assert_eq!(
            stdout(&get).trim(),
            value,
            "written via node {w}, read via node {r}"
        );
        // And a rotation is seen at once too (not the old version).
        let newer = format!("sk-test-raft-new-{round:04}");
        let rot = byok(
            &env,
            &cluster,
            &[
                "secret",
                "rotate",
                &format!("raw{round}"),
                "--stdin",
                "--store",
                &format!("via{r}"),
            ],
            Some(&newer),
        );
        assert!(rot.status.success(), "{}", stderr(&rot));
        let get = byok(
            &env,
            &cluster,
            &[
                "secret",
                "get",
                &format!("raw{round}"),
                "--store",
                &format!("via{w}"),
            ],
            None,
        );
        assert_eq!(
            stdout(&get).trim(),
            newer,
            "round {round}: {}",
            stderr(&get)
        );
    }

    // Each store kept its last write's index for the next process (the reads above, in new
    // processes, sent it: a standby behind forwards instead of answering stale data).
    for i in 0..3 {
        let kept = std::fs::read_to_string(env.file(&format!("openbao-via{i}.index"))).unwrap();
        assert!(
            kept.len() > 8 && kept != "bm90LWFuLWluZGV4",
            "via{i}: {kept:?}"
        );
    }

    // Failover: kill the leader while readers and a writer run.
    let leader = cluster.leader(0).expect("a leader");
    let survivor = (leader + 1) % 3;
    let reader_store = format!("via{leader}"); // lists the doomed node first
    let add = byok(
        &env,
        &cluster,
        &["secret", "add", "hot", "--stdin", "--store", &reader_store],
        Some("sk-test-raft-hot-0000"),
    );
    assert!(add.status.success(), "{}", stderr(&add));
    // Keep the whole history (the engine keeps 10 versions by default).
    cluster.ok_on(
        0,
        &[
            "kv",
            "metadata",
            "put",
            "-mount=secret",
            "-max-versions=1000",
            "raft/hot",
        ],
    );
    let stop = Arc::new(AtomicBool::new(false));
    let write_waits: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let waits: Arc<Mutex<Vec<(Duration, bool, String)>>> = Arc::default();
    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::default();
    std::thread::scope(|scope| {
        for _ in 0..2 {
            let (stop, waits, env, cluster, store) = (&stop, &waits, &env, &cluster, &reader_store);
            scope.spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    let t = Instant::now();
                    let out = byok(
                        env,
                        cluster,
                        &["secret", "get", "hot", "--store", store],
                        None,
                    );
                    waits
                        .lock()
                        .unwrap()
                        .push((t.elapsed(), out.status.success(), stderr(&out)));
                    std::thread::sleep(Duration::from_millis(50));
                }
            });
        }
        {
            let (stop, acknowledged, env, cluster, store, write_waits) = (
                &stop,
                &acknowledged,
                &env,
                &cluster,
                &reader_store,
                &write_waits,
            );
            scope.spawn(move || {
                let mut n = 1;
                while !stop.load(Ordering::SeqCst) {
                    let value = format!("sk-test-raft-hot-{n:04}");
                    let t = Instant::now();
                    let out = byok(
                        env,
                        cluster,
                        &["secret", "rotate", "hot", "--stdin", "--store", store],
                        Some(&value),
                    );
                    write_waits.lock().unwrap().push(t.elapsed());
                    if out.status.success() {
                        acknowledged.lock().unwrap().push(value);
                    }
                    n += 1;
                    std::thread::sleep(Duration::from_millis(100));
                }
            });
        }
        std::thread::sleep(Duration::from_secs(2));
        cluster.kill(leader);
        let killed = Instant::now();
        // Keep going until a new leader took writes, and a few seconds more.
        while killed.elapsed() < Duration::from_secs(12) {
            std::thread::sleep(Duration::from_millis(200));
        }
        stop.store(true, Ordering::SeqCst);
    });

    let waits = waits.lock().unwrap();
    let longest = waits.iter().map(|(d, _, _)| *d).max().unwrap_or_default();
    let failed: Vec<&String> = waits
        .iter()
        .filter(|(_, ok, _)| !ok)
        .map(|(_, _, e)| e)
        .collect();
    let (writes, longest_write) = {
        let w = write_waits.lock().unwrap();
        (w.len(), w.iter().max().copied().unwrap_or_default())
    };
    let acknowledged_count = acknowledged.lock().unwrap().len();
    let report = format!(
        "openbao raft failover: {} gets during the run, {} failed, longest get {:.2} s; {} writes, {} acknowledged, longest write {:.2} s; whole test {:.1} s\n",
        waits.len(),
        failed.len(),
        longest.as_secs_f64(),
        writes,
        acknowledged_count,
        longest_write.as_secs_f64(),
        began.elapsed().as_secs_f64()
    );
    eprint!("{report}");
    let _ = std::fs::write(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("target/openbao-failover.txt"),
        &report,
    );
    assert!(
        failed.is_empty(),
        "gets failed during the failover: {failed:?}"
    );
    assert!(longest < Duration::from_secs(30), "{report}");

    // No acknowledged write lost or duplicated: each appears exactly once in the history,
    // in order, and the last one is the current value.
    let acknowledged = acknowledged.lock().unwrap();
    assert!(!acknowledged.is_empty());
    let meta = cluster.ok_on(
        survivor,
        &[
            "kv",
            "metadata",
            "get",
            "-format=json",
            "-mount=secret",
            "raft/hot",
        ],
    );
    let meta: serde_json::Value = serde_json::from_str(&meta).unwrap();
    let current = meta["data"]["current_version"].as_u64().unwrap();
    let mut history = Vec::new();
    for v in 1..=current {
        history.push(cluster.ok_on(
            survivor,
            &[
                "kv",
                "get",
                "-mount=secret",
                &format!("-version={v}"),
                "-field=api_key",
                "raft/hot",
            ],
        ));
    }
    let mut last = 0;
    for value in acknowledged.iter() {
        let at: Vec<usize> = history
            .iter()
            .enumerate()
            .filter(|(_, h)| *h == value)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(
            at.len(),
            1,
            "{value} appears {} times in {history:?}",
            at.len()
        );
        assert!(at[0] >= last, "out of order: {history:?}");
        last = at[0];
    }
    let get = byok(
        &env,
        &cluster,
        &["secret", "get", "hot", "--store", &format!("via{survivor}")],
        None,
    );
    assert_eq!(stdout(&get).trim(), history.last().unwrap().as_str());
    assert!(
        began.elapsed() < Duration::from_secs(150),
        "the cluster test must stay within about two minutes"
    );
}
