//! Links GCC's unwinder statically on Linux (glibc).
//!
//! Rust's standard library links `libgcc_s.so.1` for unwinding, which byok never does
//! (`panic = "abort"`) beyond printing a backtrace. Loading that library costs every byok
//! process about 0.2 ms on a virtual machine: its constructor asks the CPU for its features
//! with ten `CPUID` instructions, each a trap to the hypervisor (docs/development.md,
//! "Performance of `secret get`"). GCC ships the same unwinder as a static archive,
//! `libgcc_eh.a`; offered to the linker under the name `libgcc_s.a`, in a directory searched
//! before the system's, it is linked into the binary instead. Where the archive cannot be
//! found (another C compiler, another libc), or with `BYOK_DYNAMIC_LIBGCC` set, nothing
//! changes.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CC");
    println!("cargo:rerun-if-env-changed=BYOK_DYNAMIC_LIBGCC");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os != "linux" || env != "gnu" || std::env::var_os("BYOK_DYNAMIC_LIBGCC").is_some() {
        return;
    }
    let Some(archive) = libgcc_eh() else {
        println!("cargo:warning=libgcc_eh.a not found: byok links libgcc_s.so.1 dynamically");
        return;
    };
    let Some(out) = std::env::var_os("OUT_DIR") else {
        return;
    };
    let dir = PathBuf::from(out).join("static-unwinder");
    let link = dir.join("libgcc_s.a");
    let _ = std::fs::remove_file(&link);
    // A copy, not a symlink: the build script also runs on hosts without symlinks.
    if std::fs::create_dir_all(&dir).is_err() || std::fs::copy(&archive, &link).is_err() {
        return;
    }
    println!("cargo:rustc-link-search=native={}", dir.display());
}

/// The C compiler's `libgcc_eh.a`, if it has one.
fn libgcc_eh() -> Option<PathBuf> {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let out = Command::new(cc)
        .arg("-print-file-name=libgcc_eh.a")
        .output()
        .ok()?;
    let path = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    // An unknown file name is echoed back bare, not as a path.
    (path.is_absolute() && path.is_file()).then_some(path)
}
