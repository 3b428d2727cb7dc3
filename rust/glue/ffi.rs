// SPDX-License-Identifier: GPL-2.0

//! Declarations of the C glue, mirroring `rust/parown_glue.h`.
//!
//! The kernel crate has no parport binding, so the parport structures are
//! only ever handled here by pointer and read through the glue's functions.

use core::marker::{
    PhantomData,
    PhantomPinned, //
};
use kernel::ffi::{
    c_char,
    c_int,
    c_long,
    c_uint,
    c_ulong,
    c_void, //
};

/// `struct parport`, opaque to Rust.
#[repr(C)]
pub(super) struct parport {
    _opaque: [u8; 0],
    _not_send_sync_unpin: PhantomData<(*mut u8, PhantomPinned)>,
}

/// `struct parown_glue_pardev`, opaque to Rust.
#[repr(C)]
pub(super) struct parown_glue_pardev {
    _opaque: [u8; 0],
    _not_send_sync_unpin: PhantomData<(*mut u8, PhantomPinned)>,
}

/// `struct seq_file`, opaque to Rust.
#[repr(C)]
pub(super) struct seq_file {
    _opaque: [u8; 0],
    _not_send_sync_unpin: PhantomData<(*mut u8, PhantomPinned)>,
}

/// `struct dentry`, opaque to Rust.
#[repr(C)]
pub(super) struct dentry {
    _opaque: [u8; 0],
    _not_send_sync_unpin: PhantomData<(*mut u8, PhantomPinned)>,
}

/// `struct pid`, opaque to Rust.
#[repr(C)]
pub(super) struct pid {
    _opaque: [u8; 0],
    _not_send_sync_unpin: PhantomData<(*mut u8, PhantomPinned)>,
}

/// `struct parown_glue_state_ops`.
#[repr(C)]
pub(super) struct parown_glue_state_ops {
    pub(super) show: unsafe extern "C" fn(ctx: *const c_void, m: *mut seq_file) -> c_int,
}

/// `struct parown_glue_pardev_ops`.
#[repr(C)]
pub(super) struct parown_glue_pardev_ops {
    pub(super) preempt: unsafe extern "C" fn(ctx: *const c_void) -> c_int,
    pub(super) wakeup: unsafe extern "C" fn(ctx: *const c_void, pd: *mut parown_glue_pardev),
    pub(super) irq: unsafe extern "C" fn(ctx: *const c_void, pd: *mut parown_glue_pardev),
}

/// `struct parown_glue_driver`.
#[repr(C)]
pub(super) struct parown_glue_driver {
    pub(super) ctx: *const c_void,
    pub(super) attach: unsafe extern "C" fn(ctx: *const c_void, port: *mut parport),
    pub(super) detach: unsafe extern "C" fn(ctx: *const c_void, port: *mut parport),
}

/// `struct parown_glue_port_info`.
#[repr(C)]
#[derive(Default)]
pub(super) struct parown_glue_port_info {
    pub(super) number: c_int,
    pub(super) irq: c_int,
    pub(super) dma: c_int,
    pub(super) modes: c_uint,
    pub(super) base: c_ulong,
    pub(super) base_hi: c_ulong,
}

unsafe extern "C" {
    pub(super) fn parown_glue_register_driver(drv: *const parown_glue_driver) -> c_int;
    pub(super) fn parown_glue_unregister_driver();
    pub(super) fn parown_glue_free_pardev_pool();
    pub(super) fn parown_glue_get_port(port: *mut parport);
    pub(super) fn parown_glue_put_port(port: *mut parport);
    pub(super) fn parown_glue_port_info(port: *const parport, info: *mut parown_glue_port_info);
    pub(super) fn parown_glue_register_device(
        port: *mut parport,
        ops: *const parown_glue_pardev_ops,
        ctx: *const c_void,
    ) -> *mut parown_glue_pardev;
    pub(super) fn parown_glue_unregister_device(pd: *mut parown_glue_pardev);
    pub(super) fn parown_glue_claim(pd: *mut parown_glue_pardev) -> c_int;
    pub(super) fn parown_glue_release(pd: *mut parown_glue_pardev);
    pub(super) fn parown_glue_holds_port(pd: *mut parown_glue_pardev) -> bool;
    pub(super) fn parown_glue_read_status(pd: *mut parown_glue_pardev) -> u8;
    pub(super) fn parown_glue_write_data(pd: *mut parown_glue_pardev, data: u8);
    pub(super) fn parown_glue_write_control(pd: *mut parown_glue_pardev, control: u8);
    pub(super) fn parown_glue_data_forward(pd: *mut parown_glue_pardev);
    pub(super) fn parown_glue_read_data(pd: *mut parown_glue_pardev) -> u8;
    pub(super) fn parown_glue_read_control(pd: *mut parown_glue_pardev) -> u8;
    pub(super) fn parown_glue_frob_control(pd: *mut parown_glue_pardev, mask: u8, val: u8) -> u8;
    pub(super) fn parown_glue_data_reverse(pd: *mut parown_glue_pardev);
    pub(super) fn parown_glue_ieee1284(
        pd: *mut parown_glue_pardev,
        mode: *mut c_int,
        phase: *mut c_int,
    );
    pub(super) fn parown_glue_set_ieee1284(pd: *mut parown_glue_pardev, mode: c_int, phase: c_int);
    pub(super) fn parown_glue_timeout(pd: *mut parown_glue_pardev) -> c_long;
    pub(super) fn parown_glue_set_timeout(pd: *mut parown_glue_pardev, timeout: c_long);
    pub(super) fn parown_glue_port_transfer(
        pd: *mut parown_glue_pardev,
        op: c_uint,
        buf: *mut c_void,
        len: usize,
        flags: c_int,
    ) -> isize;
    pub(super) fn parown_glue_ecp_read_releases(pd: *mut parown_glue_pardev) -> bool;
    pub(super) fn parown_glue_cond_resched();
    pub(super) fn parown_glue_kthread_should_stop() -> bool;
    pub(super) fn parown_trace_allocate(port: c_uint, client: u64);
    pub(super) fn parown_trace_free(port: c_uint, client: u64);
    pub(super) fn parown_trace_grant(port: c_uint, client: u64, wait_ns: u64, in_context: bool);
    pub(super) fn parown_trace_timeout(port: c_uint, client: u64, wait_ns: u64);
    pub(super) fn parown_trace_interrupt(port: c_uint, client: u64, wait_ns: u64);
    pub(super) fn parown_trace_cancel(port: c_uint, client: u64, wait_ns: u64);
    pub(super) fn parown_trace_select(port: c_uint, client: u64, device: c_int);
    pub(super) fn parown_trace_deselect(port: c_uint, client: u64);
    pub(super) fn parown_trace_remove(port: c_uint, waiters: u32);
    pub(super) fn parown_glue_core_holder(port: *mut parport, buf: *mut c_char, len: usize)
        -> bool;
    pub(super) fn parown_glue_core_waiting(port: *mut parport, buf: *mut c_char, len: usize);
    pub(super) fn parown_glue_debugfs_init(ops: *const parown_glue_state_ops);
    pub(super) fn parown_glue_debugfs_exit();
    pub(super) fn parown_glue_debugfs_port(number: c_uint, ctx: *const c_void) -> *mut dentry;
    pub(super) fn parown_glue_debugfs_remove(file: *mut dentry);
    pub(super) fn parown_glue_seq_write(m: *mut seq_file, bytes: *const u8, len: usize);
    pub(super) fn parown_glue_current_tgid() -> *mut pid;
    pub(super) fn parown_glue_put_pid(pid: *mut pid);
    pub(super) fn parown_glue_pid_describe(pid: *mut pid, comm: *mut c_char, len: usize) -> c_int;
}

// The tracepoints `parown_trace.c` defines (`CREATE_TRACE_POINTS`), whose
// static keys `trace.rs` tests. Only the address of their `key` is taken;
// `struct tracepoint` has a zero-sized member on some configurations,
// which the lint flags (the kernel's bindings allow it likewise).
#[cfg(CONFIG_TRACEPOINTS)]
#[allow(improper_ctypes)]
unsafe extern "C" {
    pub(super) static __tracepoint_allocate: kernel::bindings::tracepoint;
    pub(super) static __tracepoint_free: kernel::bindings::tracepoint;
    pub(super) static __tracepoint_grant: kernel::bindings::tracepoint;
    pub(super) static __tracepoint_timeout: kernel::bindings::tracepoint;
    pub(super) static __tracepoint_interrupt: kernel::bindings::tracepoint;
    pub(super) static __tracepoint_cancel: kernel::bindings::tracepoint;
    pub(super) static __tracepoint_select: kernel::bindings::tracepoint;
    pub(super) static __tracepoint_deselect: kernel::bindings::tracepoint;
    pub(super) static __tracepoint_remove: kernel::bindings::tracepoint;
}
