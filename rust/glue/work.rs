// SPDX-License-Identifier: GPL-2.0

//! What the kernel crate's workqueue support lacks: waiting for a work
//! item to finish.
//!
//! C header: [`include/linux/workqueue.h`](srctree/include/linux/workqueue.h).

use kernel::{
    bindings,
    workqueue::Work, //
};

/// Waits until `work`, if queued or running, has finished (`flush_work()`).
/// May sleep.
pub(crate) fn flush<T: ?Sized, const ID: u64>(work: &Work<T, ID>) {
    // SAFETY: `work` is a live, initialised work item, so `raw_get` yields a
    // valid `work_struct` that `flush_work()` may wait on.
    unsafe { bindings::flush_work(Work::raw_get(work)) };
}
