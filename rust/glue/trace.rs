// SPDX-License-Identifier: GPL-2.0

//! parown's trace events, defined in C (`rust/parown_trace.h`) because
//! the kernel crate cannot define any; the fields are described there and
//! in `Documentation/parown.rst`.
//!
//! Each function tests its event's static key inline, as the kernel
//! crate's `declare_trace!` does for the kernel's own events (it names the
//! kernel's bindings, which hold no module's tracepoints): an event that
//! is off costs a patched-out jump, and only one that is on calls the C
//! function that records it.
//!
//! `port` is the parport's number, `client` the number parown gave the
//! client, and `wait_ns` how long it waited for the port.

use super::ffi;

/// Whether the tracepoint `$tp` of `parown_trace.c` is on.
#[cfg(CONFIG_TRACEPOINTS)]
macro_rules! on {
    ($tp:ident) => {
        // SAFETY: `$tp` is a `struct tracepoint` that `parown_trace.c`
        // defines (`CREATE_TRACE_POINTS`), whose `key` is a static key;
        // querying it is always allowed.
        unsafe { kernel::static_branch_unlikely!(ffi::$tp, kernel::bindings::tracepoint, key) }
    };
}

/// Without `CONFIG_TRACEPOINTS` there are no events.
#[cfg(not(CONFIG_TRACEPOINTS))]
macro_rules! on {
    ($tp:ident) => {
        false
    };
}

/// `parown:allocate`: `client` asks to own the port and may wait.
#[inline]
pub(crate) fn allocate(port: u32, client: u64) {
    if on!(__tracepoint_allocate) {
        // SAFETY: the function only records its arguments (and `current`).
        unsafe { ffi::parown_trace_allocate(port, client) }
    }
}

/// `parown:grant`: `client` owns the port, after `wait_ns`. `in_context`
/// is false where the grant happens in another task than the client's
/// (an in-kernel client's asynchronous request): the event records no
/// process then.
#[inline]
pub(crate) fn grant(port: u32, client: u64, wait_ns: u64, in_context: bool) {
    if on!(__tracepoint_grant) {
        // SAFETY: as for `allocate`.
        unsafe { ffi::parown_trace_grant(port, client, wait_ns, in_context) }
    }
}

/// `parown:free`: the owner `client` let the port go.
#[inline]
pub(crate) fn free(port: u32, client: u64) {
    if on!(__tracepoint_free) {
        // SAFETY: as for `allocate`.
        unsafe { ffi::parown_trace_free(port, client) }
    }
}

/// `parown:timeout`: `client`'s wait ran out.
#[inline]
pub(crate) fn timeout(port: u32, client: u64, wait_ns: u64) {
    if on!(__tracepoint_timeout) {
        // SAFETY: as for `allocate`.
        unsafe { ffi::parown_trace_timeout(port, client, wait_ns) }
    }
}

/// `parown:interrupt`: a signal ended `client`'s wait.
#[inline]
pub(crate) fn interrupt(port: u32, client: u64, wait_ns: u64) {
    if on!(__tracepoint_interrupt) {
        // SAFETY: as for `allocate`.
        unsafe { ffi::parown_trace_interrupt(port, client, wait_ns) }
    }
}

/// `parown:cancel`: `parown_cancel()`, or the stop of the kernel thread
/// waiting, ended `client`'s wait.
#[inline]
pub(crate) fn cancel(port: u32, client: u64, wait_ns: u64) {
    if on!(__tracepoint_cancel) {
        // SAFETY: as for `allocate`.
        unsafe { ffi::parown_trace_cancel(port, client, wait_ns) }
    }
}

/// `parown:select`: the owner `client` put `device` on the IEEE 1284.3
/// bus: a daisy-chain address, or -1 for the end-of-chain device.
#[inline]
pub(crate) fn select(port: u32, client: u64, device: i32) {
    if on!(__tracepoint_select) {
        // SAFETY: as for `allocate`.
        unsafe { ffi::parown_trace_select(port, client, device) }
    }
}

/// `parown:deselect`: the owner `client` deselected the chain's devices.
#[inline]
pub(crate) fn deselect(port: u32, client: u64) {
    if on!(__tracepoint_deselect) {
        // SAFETY: as for `allocate`.
        unsafe { ffi::parown_trace_deselect(port, client) }
    }
}

/// `parown:remove`: the port went away, failing its `waiters`.
#[inline]
pub(crate) fn remove(port: u32, waiters: u32) {
    if on!(__tracepoint_remove) {
        // SAFETY: as for `allocate`.
        unsafe { ffi::parown_trace_remove(port, waiters) }
    }
}
