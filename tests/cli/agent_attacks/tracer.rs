//! Item 2 of the agent-proof review: a tracer that attached to the user's shell before the
//! proxy started follows the fork into `byok proxy --agent-proof`, turns one of its system
//! calls into `prctl(PR_SET_DUMPABLE, 1)` and reads the key from `/proc/PID/mem`.
//! `tracer.c` is that attacker; against a non-dumpable control process of its own it
//! succeeds, so its failure against byok is byok's doing.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::{KEY, Setup, exit_within, proxy_args};
use crate::harness::{Mode, Upstream, free_port, require_tool, stderr};

impl Setup {
    /// `tracer.c` compiled into the root-owned `bin/`, and a needle file holding KEY that
    /// the user can read (the attacker knows what it is looking for).
    fn tracer(&self) -> Option<(PathBuf, PathBuf)> {
        let cc = require_tool("cc")?;
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/agent_attacks/tracer.c");
        let tracer = self.dir.path().join("bin/tracer");
        let out = Command::new(cc)
            .args(["-O2", "-Wall", "-o"])
            .arg(&tracer)
            .arg(&source)
            .output()
            .unwrap();
        assert!(out.status.success(), "cc tracer.c: {}", stderr(&out));
        std::fs::set_permissions(&tracer, std::fs::Permissions::from_mode(0o755)).unwrap();
        let needle = self.dir.path().join("needle");
        std::fs::write(&needle, KEY).unwrap();
        std::fs::set_permissions(&needle, std::fs::Permissions::from_mode(0o644)).unwrap();
        Some((tracer, needle))
    }
}

#[test]
fn a_tracer_attached_before_the_start_cannot_flip_dumpability_and_read_the_key() {
    let Some(setup) = Setup::new() else {
        return;
    };
    let Some((tracer, needle)) = setup.tracer() else {
        return;
    };
    let report = |name: &str| setup.user_home().join(name);
    let tracer_args = |report: &Path| {
        vec![
            report.to_str().unwrap().to_owned(),
            needle.to_str().unwrap().to_owned(),
            "--".to_owned(),
        ]
    };

    // The control: a non-dumpable process of the user holding the key is unreadable, until
    // the tracer flips it; then its memory gives the key up.
    let control = report("control.txt");
    let mut args = tracer_args(&control);
    args.extend([
        tracer.to_str().unwrap().to_owned(),
        "victim".to_owned(),
        needle.to_str().unwrap().to_owned(),
    ]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut child = setup.user(&tracer, &args, &[]).spawn().unwrap();
    exit_within(&mut child, Duration::from_secs(30));
    let text = std::fs::read_to_string(&control).unwrap_or_default();
    assert!(
        text.contains("memory before: maps refused") || text.contains("memory before: mem refused"),
        "the control was readable before the flip: {text}"
    );
    assert!(text.contains("dumpable yes"), "{text}");
    assert!(
        text.contains("memory: found"),
        "the tracer must read a flipped process: {text}"
    );

    // The attack: the same tracer around `byok proxy --agent-proof`, the passphrase typed.
    let upstream = Upstream::start("work", Mode::Ok);
    setup.init(&format!("{}/v1", upstream.root()));
    setup.pin();
    let attack = report("attack.txt");
    let listen = format!("127.0.0.1:{}", free_port());
    let mut args = tracer_args(&attack);
    args.push(setup.bin.to_str().unwrap().to_owned());
    args.extend(proxy_args(&listen).into_iter().map(str::to_owned));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut child = setup.typing_passphrase(&tracer, &args, &[]);
    let code = exit_within(&mut child, Duration::from_secs(60));
    let out = child.wait_with_output().unwrap();
    let text = std::fs::read_to_string(&attack).unwrap_or_default();
    assert!(
        !text.contains("memory: found"),
        "the tracer read the key from the proxy: {text}"
    );
    assert!(
        !text.contains("listen by"),
        "the traced proxy served: {text}"
    );
    assert!(text.contains("exit 8"), "{text}");
    assert_eq!(code, Some(8), "{text}\n{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("traced (ptrace) by process"), "{err}");
    assert!(err.contains("(tracer)"), "the tracer is named: {err}");
    assert!(!err.contains(KEY));
}
