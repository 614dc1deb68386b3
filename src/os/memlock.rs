//! Best-effort pinning of the memory that holds secrets: `mlock` (never written to swap)
//! and `madvise(MADV_DONTDUMP)` (left out of any core dump), for the agent-proof proxy.
//!
//! Both are advisory hardening on top of what really keeps a same-user process out (the
//! process is non-dumpable, see [`crate::os::hardening`]): an unprivileged user's
//! `RLIMIT_MEMLOCK` is small (often 64 KiB or 8 MiB), so locking may fail, and the caller
//! reports rather than refuses. The range is widened to whole pages; locking a page that
//! also holds other data is harmless.
//!
//! Every region locked is also remembered, so that [`wipe_and_exit`] can overwrite the
//! secrets with zeros when the proxy must stop at once (a tracer attached while it serves).

use std::fmt;
use std::sync::Mutex;

/// `(address, len)` of every region handed to [`lock`] or [`lock_value`]: secrets that live
/// until the process ends (the proxy's keys and identity).
static REGIONS: Mutex<Vec<(usize, usize)>> = Mutex::new(Vec::new());

fn remember(address: usize, len: usize) {
    REGIONS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push((address, len));
}

/// What locking a set of regions achieved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Regions both locked and marked don't-dump.
    pub locked: usize,
    /// Regions that could not be locked (or marked).
    pub failed: usize,
    /// Bytes of whole pages locked.
    pub bytes: usize,
    /// The first failure, as the OS named it.
    pub error: Option<String>,
}

impl Report {
    /// Whether every region was locked.
    pub fn complete(&self) -> bool {
        self.failed == 0 && self.locked > 0
    }

    /// Adds the outcome of one region.
    pub fn add(&mut self, outcome: std::io::Result<usize>) {
        match outcome {
            Ok(bytes) => {
                self.locked += 1;
                self.bytes += bytes;
            }
            Err(e) => {
                self.failed += 1;
                if self.error.is_none() {
                    self.error = Some(e.to_string());
                }
            }
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.complete() {
            write!(
                f,
                "locked ({} region(s), {} KiB, not swapped, not in core dumps)",
                self.locked,
                self.bytes / 1024
            )
        } else {
            write!(
                f,
                "not locked: {} of {} region(s) failed ({}; raise RLIMIT_MEMLOCK, e.g. LimitMEMLOCK= in the unit)",
                self.failed,
                self.failed + self.locked,
                self.error.as_deref().unwrap_or("unknown error")
            )
        }
    }
}

/// Locks the pages holding `region` in memory and marks them don't-dump; returns the
/// number of bytes of whole pages covered. `region` must live until the process ends: it is
/// remembered for [`wipe_and_exit`].
pub fn lock(region: &[u8]) -> std::io::Result<usize> {
    if region.is_empty() {
        return Ok(0);
    }
    remember(region.as_ptr() as usize, region.len());
    imp::lock(region.as_ptr() as usize, region.len())
}

/// Locks the memory of one value (e.g. a struct holding a key inline).
pub fn lock_value<T>(value: &T) -> std::io::Result<usize> {
    let start = value as *const T as usize;
    remember(start, std::mem::size_of::<T>());
    imp::lock(start, std::mem::size_of::<T>().max(1))
}

/// Overwrites every remembered region with zeros, then ends the process at once with
/// `code`: no destructor, no buffered output, no allocation after the wipe (the watchdog of
/// an agent-proof proxy that finds a tracer). The regions must still be allocated: only
/// secrets that live as long as the process are handed to [`lock`].
pub fn wipe_and_exit(code: i32) -> ! {
    wipe();
    imp::exit_now(code)
}

// Zeroing memory other threads may hold shared references to is outside what safe Rust
// can say; it is the last thing the process does before `_exit`, and the writes are
// volatile so that they are not optimised away.
#[allow(unsafe_code)]
fn wipe() {
    let regions = REGIONS.lock().unwrap_or_else(|p| p.into_inner());
    for &(address, len) in regions.iter() {
        for offset in 0..len {
            // SAFETY: [address, address + len) was a live allocation when remembered and,
            // by `lock`'s contract, stays allocated until the process ends.
            unsafe { std::ptr::write_volatile((address + offset) as *mut u8, 0) };
        }
    }
    std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
}

#[cfg(target_os = "linux")]
mod imp {
    /// Page-aligned `[start, end)` covering `[address, address + len)`.
    fn pages(address: usize, len: usize) -> std::io::Result<(usize, usize)> {
        let page = page_size()?;
        let start = address & !(page - 1);
        let end = address
            .checked_add(len)
            .and_then(|e| e.checked_add(page - 1))
            .map(|e| e & !(page - 1))
            .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::InvalidInput))?;
        Ok((start, end))
    }

    #[allow(unsafe_code)] // sysconf is a plain libc call without pointers
    fn page_size() -> std::io::Result<usize> {
        // SAFETY: sysconf takes an integer name and reads no memory of ours.
        let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        if size <= 0 || (size as usize).count_ones() != 1 {
            return Err(std::io::Error::other("no page size"));
        }
        Ok(size as usize)
    }

    // mlock and madvise are the only way to keep pages out of swap and core dumps; neither
    // rustix (its mlock is `unsafe fn` too) nor std wraps them safely.
    #[allow(unsafe_code)]
    pub fn lock(address: usize, len: usize) -> std::io::Result<usize> {
        let (start, end) = pages(address, len)?;
        let size = end - start;
        let ptr = start as *mut libc::c_void;
        // SAFETY: [start, end) is page-aligned and covers memory of a live allocation the
        // caller holds a reference to, so the pages are mapped. mlock only pins them, and
        // MADV_DONTDUMP only changes what a core dump contains: neither reads, writes,
        // moves or unmaps the memory, so no Rust reference is invalidated.
        if unsafe { libc::mlock(ptr, size) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: as above.
        if unsafe { libc::madvise(ptr, size, libc::MADV_DONTDUMP) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(size)
    }

    #[allow(unsafe_code)] // _exit is the one exit that runs no code of ours afterwards
    pub fn exit_now(code: i32) -> ! {
        // SAFETY: _exit takes an integer and does not return.
        unsafe { libc::_exit(code) }
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn pages_cover_the_region() {
            let page = super::page_size().unwrap();
            let (s, e) = super::pages(page + 5, 10).unwrap();
            assert_eq!((s, e), (page, 2 * page));
            let (s, e) = super::pages(page - 1, 2).unwrap();
            assert_eq!((s, e), (0, 2 * page));
            assert!(super::pages(usize::MAX - 2, 10).is_err());
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    pub fn lock(_address: usize, _len: usize) -> std::io::Result<usize> {
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "memory locking is implemented on Linux only",
        ))
    }

    pub fn exit_now(code: i32) -> ! {
        std::process::exit(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_buffer_locks_or_reports_why() {
        // Leaked: a locked region is remembered for the wipe, so it must stay allocated.
        let secret: &'static [u8] = Box::leak(vec![7u8; 64].into_boxed_slice());
        let mut report = Report::default();
        report.add(lock(secret));
        // A user with RLIMIT_MEMLOCK 0 fails; the report then says why.
        if report.complete() {
            assert!(report.to_string().starts_with("locked (1 region(s)"));
        } else {
            assert!(report.to_string().contains("not locked"), "{report}");
            assert!(report.error.is_some());
        }
        assert_eq!(lock(&[]).unwrap(), 0);
    }

    #[test]
    fn the_wipe_zeroes_every_locked_region() {
        // Leaked: a locked region must outlive the process, as the proxy's keys do.
        let key: &'static mut [u8] =
            Box::leak(b"sk-test-wipe-0123456789".to_vec().into_boxed_slice());
        let inline: &'static mut [u8; 32] = Box::leak(Box::new([9u8; 32]));
        let _ = lock(key);
        let _ = lock_value(inline);
        wipe();
        // Read back through the raw addresses: the compiler may not assume the bytes kept.
        let read = |p: *const u8, n: usize| -> Vec<u8> {
            (0..n)
                .map(|i| {
                    #[allow(unsafe_code)]
                    // SAFETY: the leaked allocations above are live and `n` bytes long.
                    unsafe {
                        std::ptr::read_volatile(p.add(i))
                    }
                })
                .collect()
        };
        assert_eq!(read(key.as_ptr(), key.len()), vec![0u8; key.len()]);
        assert_eq!(read(inline.as_ptr(), 32), vec![0u8; 32]);
    }
}
