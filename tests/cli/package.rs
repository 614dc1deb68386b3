//! The Debian package (`scripts/package-deb`) and `byok man --dir`: the package installs
//! with dpkg into a fresh root, and what it installed runs — the binary, a manual page per
//! subcommand, and the completion scripts from their system places.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::{Env, byok_bin, require_tool};

/// Builds the package of the binary under test (uncompressed: a test build is large) and
/// installs it with `dpkg -i` into `root`, a directory with an empty dpkg database.
fn installed_package(root: &Path) -> Option<PathBuf> {
    require_tool("dpkg-deb")?;
    require_tool("dpkg")?;
    let out = root.parent().unwrap().join("deb");
    let built = Command::new("bash")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/package-deb"))
        .arg("--binary")
        .arg(byok_bin())
        .arg("--out")
        .arg(&out)
        .args(["--compression", "none"])
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "package-deb failed: {}",
        String::from_utf8_lossy(&built.stderr)
    );
    let deb = PathBuf::from(String::from_utf8(built.stdout).unwrap().trim());
    assert!(deb.is_file(), "{}", deb.display());
    let admin = root.join("var/lib/dpkg");
    for dir in ["updates", "info", "triggers"] {
        std::fs::create_dir_all(admin.join(dir)).unwrap();
    }
    std::fs::write(admin.join("status"), "").unwrap();
    let installed = Command::new("dpkg")
        .arg(format!("--root={}", root.display()))
        .arg(format!("--admindir={}", admin.display()))
        .args([
            "--force-not-root",
            "--force-script-chrootless",
            "--force-depends",
        ])
        .args(["--log=/dev/null", "-i"])
        .arg(&deb)
        .output()
        .unwrap();
    assert!(
        installed.status.success(),
        "dpkg -i failed: {}",
        String::from_utf8_lossy(&installed.stderr)
    );
    Some(deb)
}

#[test]
fn the_deb_installs_the_binary_its_manual_pages_and_completions() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    std::fs::create_dir_all(&root).unwrap();
    if installed_package(&root).is_none() {
        return;
    }
    let usr = root.join("usr");
    // The installed binary runs and is the one under test.
    let version = Command::new(usr.join("bin/byok"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(version.status.success());
    assert_eq!(
        String::from_utf8(version.stdout).unwrap().trim(),
        format!("byok {}", env!("CARGO_PKG_VERSION"))
    );
    // dpkg knows every file it put there.
    let listed = Command::new("dpkg")
        .arg(format!(
            "--admindir={}",
            root.join("var/lib/dpkg").display()
        ))
        .args(["-L", "byok"])
        .output()
        .unwrap();
    let listed = String::from_utf8(listed.stdout).unwrap();
    for path in [
        "/usr/bin/byok",
        "/usr/share/man/man1/byok.1.gz",
        "/usr/share/man/man1/byok-secret-get.1.gz",
        "/usr/share/man/man1/byok-proxy-token-create.1.gz",
        "/usr/share/bash-completion/completions/byok",
        "/usr/share/zsh/vendor-completions/_byok",
        "/usr/share/fish/vendor_completions.d/byok.fish",
        "/usr/share/doc/byok/copyright",
        "/usr/share/doc/byok/docs/README.md",
    ] {
        assert!(
            listed.lines().any(|l| l == path),
            "{path} not in the package"
        );
        assert!(root.join(path.trim_start_matches('/')).is_file(), "{path}");
    }
    // A page per subcommand, each a manual page of that command.
    let pages: Vec<_> = std::fs::read_dir(usr.join("share/man/man1"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(pages.len() > 60, "{} pages", pages.len());
    let get = Command::new("gzip")
        .arg("-dc")
        .arg(usr.join("share/man/man1/byok-secret-get.1.gz"))
        .output()
        .unwrap();
    let get = String::from_utf8(get.stdout).unwrap();
    assert!(get.contains(".TH byok-secret-get 1"), "{get}");
    assert!(
        get.contains("\\-\\-json") || get.contains("REFERENCE"),
        "{get}"
    );

    // The bash completion, sourced from its system place, completes subcommands.
    if let Some(bash) = require_tool("bash") {
        let script = usr.join("share/bash-completion/completions/byok");
        let out = Command::new(bash)
            .arg("-c")
            .arg(format!(
                "source '{}'; COMP_WORDS=(byok sec); COMP_CWORD=1; _byok byok sec byok; \
                 printf '%s\\n' \"${{COMPREPLY[@]}}\"",
                script.display()
            ))
            .env("PATH", usr.join("bin"))
            .output()
            .unwrap();
        let words = String::from_utf8(out.stdout).unwrap();
        assert!(
            words.lines().any(|w| w == "secret"),
            "bash completed: {words:?}"
        );
    }
    // The fish completion too.
    if let Some(fish) = require_tool("fish") {
        let script = usr.join("share/fish/vendor_completions.d/byok.fish");
        let out = Command::new(fish)
            .arg("--no-config")
            .arg("-c")
            .arg(format!(
                "source '{}'; complete -C 'byok secret ge'",
                script.display()
            ))
            .env("PATH", usr.join("bin"))
            .output()
            .unwrap();
        let words = String::from_utf8(out.stdout).unwrap();
        assert!(
            words.lines().any(|w| w.starts_with("get")),
            "fish completed: {words:?}"
        );
    }
}

#[test]
fn man_dir_writes_a_page_per_subcommand_and_hides_none_it_should_show() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let out = env
        .cmd(["man", "--dir"])
        .arg(dir.path().join("man1"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let names: std::collections::BTreeSet<String> = std::fs::read_dir(dir.path().join("man1"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for page in [
        "byok.1",
        "byok-secret.1",
        "byok-secret-get.1",
        "byok-exec.1",
        "byok-proxy.1",
        "byok-proxy-token-create.1",
        "byok-import-dotenv.1",
        "byok-audit-verify.1",
    ] {
        assert!(names.contains(page), "{page} missing from {names:?}");
    }
    assert!(!names.iter().any(|n| n.contains("__complete")), "{names:?}");
    // A deferred command's page holds its arguments.
    let exec = std::fs::read_to_string(dir.path().join("man1/byok-exec.1")).unwrap();
    assert!(exec.contains("via\\-proxy"), "{exec}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{} manual pages", names.len())),
        "{stderr}"
    );
}

/// `cargo package` ships sources and docs, never the tests' data: fixtures, fuzz corpora,
/// CI and benchmark scripts stay in the repository.
#[test]
fn the_crate_package_holds_no_test_data() {
    let Some(cargo) = require_tool("cargo") else {
        return;
    };
    let out = Command::new(cargo)
        .args(["package", "--list", "--allow-dirty", "--offline", "--quiet"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files = String::from_utf8(out.stdout).unwrap();
    for needed in [
        "src/main.rs",
        "src/ledger/prices.toml",
        "build.rs",
        "LICENSE",
        "README.md",
    ] {
        assert!(files.lines().any(|f| f == needed), "{needed} not packaged");
    }
    let stray: Vec<&str> = files
        .lines()
        .filter(|f| {
            [
                "tests/",
                "fuzz/",
                "scripts/",
                ".ci/",
                "examples/",
                ".github/",
            ]
            .iter()
            .any(|dir| f.starts_with(dir))
        })
        .collect();
    assert!(stray.is_empty(), "test data in the crate: {stray:?}");
}

/// build.rs links GCC's unwinder into the binary: loading `libgcc_s.so.1` cost every byok
/// process about 0.2 ms (docs/development.md, "Performance of `secret get`").
#[test]
fn the_binary_does_not_load_libgcc_s() {
    let Some(readelf) = require_tool("readelf") else {
        return;
    };
    let out = Command::new(readelf)
        .args(["-d", "-W"])
        .arg(byok_bin())
        .output()
        .unwrap();
    assert!(out.status.success());
    let dynamic = String::from_utf8(out.stdout).unwrap();
    assert!(dynamic.contains("libc.so"), "{dynamic}");
    assert!(!dynamic.contains("libgcc_s"), "{dynamic}");
}
