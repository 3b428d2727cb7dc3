// SPDX-License-Identifier: GPL-2.0

//! What the kernel crate lacks of the scheduler: `cond_resched()`, a macro
//! it has no binding for, and whether the current kernel thread is being
//! stopped.
//!
//! C headers: [`include/linux/sched.h`](srctree/include/linux/sched.h),
//! [`include/linux/kthread.h`](srctree/include/linux/kthread.h).

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

/// Whether the current task is a kernel thread that `kthread_stop()` asks
/// to stop (`kthread_should_stop()`); `false` for any other task.
pub(crate) fn kthread_should_stop() -> bool {
    // SAFETY: `parown_glue_kthread_should_stop()` calls
    // `kthread_should_stop()` only for a kernel thread, which has the
    // kthread structure it reads.
    unsafe { ffi::parown_glue_kthread_should_stop() }
}
