// SPDX-License-Identifier: GPL-2.0

//! The process that opened a client, held by its `struct pid` (which,
//! unlike a number, cannot come to name another process), for the live
//! state.
//!
//! C header: [`include/linux/pid.h`](srctree/include/linux/pid.h).

use super::ffi;
use core::ptr::NonNull;

/// A reference to the current process's `struct pid` (its thread group).
///
/// # Invariants
///
/// `pid` holds a reference taken by `get_task_pid()`, dropped in `drop`.
pub(crate) struct Process {
    pid: NonNull<ffi::pid>,
}

// SAFETY: a `struct pid` reference may be used and put from any thread.
unsafe impl Send for Process {}
// SAFETY: `describe` only reads through the reference.
unsafe impl Sync for Process {}

impl Process {
    /// The current process; `None` for a kernel thread's, which has none
    /// to show.
    pub(crate) fn current() -> Option<Self> {
        // SAFETY: no requirements; returns a new reference or null.
        let pid = NonNull::new(unsafe { ffi::parown_glue_current_tgid() })?;
        // INVARIANT: the reference `get_task_pid()` took.
        Some(Self { pid })
    }

    /// The process's number as the calling process sees it (0 if it
    /// cannot), and its command into `comm` (NUL-terminated; empty once
    /// the process has exited).
    pub(crate) fn describe(&self, comm: &mut [u8]) -> i32 {
        // SAFETY: by the type invariant `pid` is referenced; `comm` is
        // valid for `comm.len()` bytes.
        unsafe {
            ffi::parown_glue_pid_describe(self.pid.as_ptr(), comm.as_mut_ptr().cast(), comm.len())
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        // SAFETY: by the type invariant, the reference is ours to put.
        unsafe { ffi::parown_glue_put_pid(self.pid.as_ptr()) };
    }
}
