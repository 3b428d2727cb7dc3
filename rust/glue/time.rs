// SPDX-License-Identifier: GPL-2.0

//! Conversions between `struct timeval` values and jiffies that round as
//! the kernel's own (`timespec64_to_jiffies()` and
//! `jiffies_to_timespec64()`), so that ppdev's `PPSETTIME` and
//! `PPGETTIME` give the same numbers on parown as on ppdev; and the
//! monotonic clock as a number, which a field of a client can keep
//! (the kernel crate's `Instant` cannot be stored in an atomic).
//!
//! C headers: [`include/linux/jiffies.h`](srctree/include/linux/jiffies.h),
//! [`include/linux/timekeeping.h`](srctree/include/linux/timekeeping.h).

use kernel::bindings;

/// `sec` seconds and `usec` microseconds in jiffies, rounded up; at most
/// `MAX_JIFFY_OFFSET`. The caller checks that neither is negative and
/// `usec` is below a million.
pub(crate) fn timeval_to_jiffies(sec: i64, usec: i64) -> usize {
    let ts = bindings::timespec64 {
        tv_sec: sec,
        // Below a million microseconds: fits any `long`.
        tv_nsec: (usec * 1000) as isize,
    };
    // SAFETY: `ts` is a valid `timespec64` for the call, which only reads
    // it.
    unsafe { bindings::timespec64_to_jiffies(&ts) }
}

/// `jiffies` as seconds and microseconds, rounded down.
pub(crate) fn jiffies_to_timeval(jiffies: usize) -> (i64, i64) {
    let mut ts = bindings::timespec64 {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is valid for writes for the call.
    unsafe { bindings::jiffies_to_timespec64(jiffies, &mut ts) };
    (ts.tv_sec, (ts.tv_nsec / 1000) as i64)
}

/// The monotonic clock, in nanoseconds (`ktime_get_ns()`).
pub(crate) fn now_ns() -> u64 {
    // SAFETY: `ktime_get()` has no requirements; it may be called in any
    // context.
    let now = unsafe { bindings::ktime_get() };
    // Monotonic time since boot is never negative.
    now.unsigned_abs()
}
