//! Best-effort pinning of the memory that holds secrets: `mlock` (never written to swap)
//! and `madvise(MADV_DONTDUMP)` (left out of any core dump), for the agent-proof proxy.
//!
//! Both are advisory hardening on top of what really keeps a same-user process out (the
//! process is non-dumpable, see [`crate::os::hardening`]): an unprivileged user's
//! `RLIMIT_MEMLOCK` is small (often 64 KiB or 8 MiB), so locking may fail, and the caller
//! reports rather than refuses. The range is widened to whole pages; locking a page that
//! also holds other data is harmless.

use std::fmt;

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
/// number of bytes of whole pages covered.
pub fn lock(region: &[u8]) -> std::io::Result<usize> {
    if region.is_empty() {
        return Ok(0);
    }
    imp::lock(region.as_ptr() as usize, region.len())
}

/// Locks the memory of one value (e.g. a struct holding a key inline).
pub fn lock_value<T>(value: &T) -> std::io::Result<usize> {
    let start = value as *const T as usize;
    imp::lock(start, std::mem::size_of::<T>().max(1))
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_buffer_locks_or_reports_why() {
        let secret = vec![7u8; 64];
        let mut report = Report::default();
        report.add(lock(&secret));
        // A user with RLIMIT_MEMLOCK 0 fails; the report then says why.
        if report.complete() {
            assert!(report.to_string().starts_with("locked (1 region(s)"));
        } else {
            assert!(report.to_string().contains("not locked"), "{report}");
            assert!(report.error.is_some());
        }
        assert_eq!(lock(&[]).unwrap(), 0);
    }
}
