//! Process hardening done once at start-up, before any secret is read, and the hand-over to a
//! child that `byok exec` runs.
//!
//! * `PR_SET_DUMPABLE=0`: no core dump, no `ptrace` attach by other processes of the user,
//!   and `/proc/<pid>/mem`, `environ`… readable only by root. The kernel resets it on
//!   `execve`, so programs byok runs are unaffected.
//! * macOS: `ptrace(PT_DENY_ATTACH)`, the nearest thing it has to `PR_SET_DUMPABLE=0`: a
//!   debugger of the same user can no longer attach to byok (the kernel refuses it).
//! * `RLIMIT_CORE` soft limit 0: belt and braces should something make us dumpable again.
//!   The limit is inherited across `execve`, so the original one is put back
//!   just before a child is started (byok itself stays non-dumpable).
//! * [`prepare_exec`] and [`prepare_spawn`] also move byok onto a fresh, anonymous kernel
//!   session keyring before
//!   the child starts, so the child cannot read the identity `byok unlock` cached in the
//!   caller's session keyring (nor anything else in it).

use std::sync::OnceLock;

/// The core-size limit byok started with, restored for children.
static ORIGINAL_CORE_LIMIT: OnceLock<Option<(Option<u64>, Option<u64>)>> = OnceLock::new();

/// Makes this process non-dumpable and sets its core-size limit to 0. Failures are ignored:
/// a kernel without `prctl` has no core dumps of this kind to prevent either.
pub fn harden_process() {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{DumpableBehavior, set_dumpable_behavior};
        let _ = set_dumpable_behavior(DumpableBehavior::NotDumpable);
    }
    #[cfg(target_os = "macos")]
    #[allow(unsafe_code)]
    // SAFETY: PT_DENY_ATTACH reads no address or data; it only flags this process as not
    // traceable. A failure (already traced) leaves nothing to undo.
    unsafe {
        let _ = libc::ptrace(libc::PT_DENY_ATTACH, 0, std::ptr::null_mut(), 0);
    }
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
        let original = getrlimit(Resource::Core);
        let _ = ORIGINAL_CORE_LIMIT.set(Some((original.current, original.maximum)));
        let _ = setrlimit(
            Resource::Core,
            Rlimit {
                current: Some(0),
                maximum: original.maximum,
            },
        );
    }
    #[cfg(not(unix))]
    let _ = ORIGINAL_CORE_LIMIT.set(None);
}

/// Whether the process is currently non-dumpable (for `doctor` and tests).
pub fn is_non_dumpable() -> Option<bool> {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{DumpableBehavior, dumpable_behavior};
        dumpable_behavior()
            .ok()
            .map(|b| b == DumpableBehavior::NotDumpable)
    }
    #[cfg(not(target_os = "linux"))]
    None
}

/// Called right before `byok exec` replaces itself with its command (`execve`): restores
/// the core-size limit the user had, and joins a new anonymous session keyring so that the
/// command does not share byok's (the caller's) session keyring. byok stays non-dumpable
/// until `execve` replaces it.
pub fn prepare_exec() -> std::io::Result<()> {
    #[cfg(unix)]
    if let Some(Some((current, maximum))) = ORIGINAL_CORE_LIMIT.get() {
        use rustix::process::{Resource, Rlimit, setrlimit};
        let _ = setrlimit(
            Resource::Core,
            Rlimit {
                current: *current,
                maximum: *maximum,
            },
        );
    }
    join_anonymous_session_keyring()
}

/// Called before a supervising `byok exec` spawns its command: joins a new anonymous
/// session keyring, which the child inherits (byok has read everything it needs by now).
/// byok keeps its core-size limit of 0; [`restore_core_limit_of`] gives the child the user's.
pub fn prepare_spawn() -> std::io::Result<()> {
    join_anonymous_session_keyring()
}

/// Gives a child the core-size limit byok started with (`prlimit`; Linux only).
pub fn restore_core_limit_of(pid: u32) {
    #[cfg(target_os = "linux")]
    if let Some(Some((current, maximum))) = ORIGINAL_CORE_LIMIT.get()
        && let Some(pid) = rustix::process::Pid::from_raw(pid as i32)
    {
        use rustix::process::{Resource, Rlimit, prlimit};
        let _ = prlimit(
            Some(pid),
            Resource::Core,
            Rlimit {
                current: *current,
                maximum: *maximum,
            },
        );
    }
    #[cfg(not(target_os = "linux"))]
    let _ = pid;
}

/// `keyctl(KEYCTL_JOIN_SESSION_KEYRING, NULL)`: replaces this process's session keyring with
/// a new, empty, anonymous one. A kernel without keyrings (`ENOSYS`) or a sandbox that
/// forbids `keyctl` (`EPERM`/`EACCES`) has no session keyring to share either: not an error.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)] // one raw syscall that neither rustix nor linux-keyutils wraps
fn join_anonymous_session_keyring() -> std::io::Result<()> {
    const KEYCTL_JOIN_SESSION_KEYRING: libc::c_long = 1;
    // SAFETY: keyctl(JOIN_SESSION_KEYRING) takes one pointer argument, a NUL-terminated name
    // or NULL; we pass NULL, so no memory is read. The unused arguments are ignored.
    let id = unsafe {
        libc::syscall(
            libc::SYS_keyctl,
            KEYCTL_JOIN_SESSION_KEYRING,
            std::ptr::null::<libc::c_char>(),
            0 as libc::c_long,
            0 as libc::c_long,
            0 as libc::c_long,
        )
    };
    if id >= 0 {
        return Ok(());
    }
    let error = std::io::Error::last_os_error();
    match error.raw_os_error() {
        Some(libc::ENOSYS) | Some(libc::EPERM) | Some(libc::EACCES) => Ok(()),
        _ => Err(error),
    }
}

#[cfg(not(target_os = "linux"))]
fn join_anonymous_session_keyring() -> std::io::Result<()> {
    Ok(())
}
