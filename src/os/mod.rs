//! What byok asks of the operating system: process hardening at start-up ([`hardening`]),
//! pinning secret memory ([`memlock`]), the OS keychain through the `keyring` crate
//! ([`keychain`]), whether the home directory may be trusted ([`home_trust`]), and this
//! machine's name ([`host_name`]).

pub mod hardening;
pub mod home_trust;
pub mod keychain;
pub mod memlock;

/// This machine's name (the kernel's, else `/etc/hostname`, else `$HOSTNAME` /
/// `$COMPUTERNAME` from `env`), for naming a member of a shared store: `None` when there is
/// none or it is not a short printable word.
pub fn host_name(env: &crate::settings::ParentEnv) -> Option<String> {
    let files = ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .into_iter()
        .filter_map(|f| std::fs::read_to_string(f).ok());
    let vars = ["HOSTNAME", "COMPUTERNAME"]
        .into_iter()
        .filter_map(|v| env.get(v)?.to_str().map(str::to_owned));
    files.chain(vars).map(|h| h.trim().to_owned()).find(|h| {
        !h.is_empty()
            && h.len() <= 64
            && h != "localhost"
            && h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
    })
}

/// Makes the calling thread the last to get a busy CPU (nice 19): for background work, such
/// as the proxy's ledger writer, that must not delay requests. Linux only, where a thread
/// has its own nice value (elsewhere `setpriority` would lower the whole process).
pub fn lower_this_thread_priority() {
    #[cfg(target_os = "linux")]
    {
        // On Linux the process id of `setpriority` may be a thread's id.
        let tid = rustix::thread::gettid();
        let _ = rustix::process::setpriority_process(Some(tid), 19);
    }
}
