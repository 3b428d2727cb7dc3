// SPDX-License-Identifier: GPL-2.0

//! What the kernel crate lacks of the scheduler: `cond_resched()`, a macro
//! it has no binding for.
//!
//! C header: [`include/linux/sched.h`](srctree/include/linux/sched.h).

use super::ffi;

/// Lets other tasks run if this one should give up the CPU, on kernels
/// that are not fully preemptible (`cond_resched()`). May sleep: call it
/// in process context with no lock held.
pub(crate) fn cond_resched() {
    // SAFETY: `parown_glue_cond_resched()` only calls `cond_resched()`,
    // which has no memory-safety requirements; sleeping in atomic context
    // would be a bug the kernel reports, and the caller promises it is not.
    unsafe { ffi::parown_glue_cond_resched() };
}
