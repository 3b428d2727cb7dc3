// SPDX-License-Identifier: GPL-2.0

//! A sample in-kernel client of parown, in Rust.
//!
//! It shows the intended use of the in-kernel API in
//! `include/linux/parown.h`: open a client on a port, allocate the port
//! (waiting in line with every other client, with a timeout), write to it,
//! free it, close. Loading it prints one line on the chosen port.
//!
//! The API is C; [`Client`] is the small safe wrapper a Rust driver would
//! keep next to its `extern "C"` declarations.

use core::ffi::c_void;
#[path = "../rust/kernel_compat.rs"]
mod kernel_compat;

use kernel::{
    error::to_result,
    ffi::{
        c_char,
        c_int,
        c_uint, //
    },
    prelude::*,
};

module! {
    type: ParownSample,
    name: "parown_sample",
    authors: ["The parown developers"],
    description: "Sample in-kernel client of parown",
    license: "GPL",
    params: {
        port: u32 {
            default: 0,
            description: "The parport to write to",
        },
    },
}

/// `struct parown_client`.
#[repr(C)]
struct RawClient {
    handle: *mut c_void,
}

unsafe extern "C" {
    fn parown_open(client: *mut RawClient, port: c_uint, name: *const c_char) -> c_int;
    fn parown_close(client: *mut RawClient);
    fn parown_allocate(client: *mut RawClient, timeout_ms: c_uint) -> c_int;
    fn parown_free(client: *mut RawClient) -> c_int;
    fn parown_write(client: *mut RawClient, buf: *const c_void, len: usize) -> isize;
}

/// An open parown client; closing it gives up whatever it holds.
///
/// # Invariants
///
/// `raw` was opened by `parown_open()` and is boxed, so its address is
/// stable until `Drop` closes it.
struct Client {
    raw: KBox<RawClient>,
}

impl Client {
    fn open(port: u32, name: &'static CStr) -> Result<Self> {
        let mut raw = KBox::new(
            RawClient {
                handle: core::ptr::null_mut(),
            },
            GFP_KERNEL,
        )?;
        // SAFETY: `raw` is a zeroed client, `name` is NUL-terminated.
        to_result(unsafe { parown_open(&mut *raw, port, name.as_char_ptr()) })?;
        // INVARIANT: `raw` is open.
        Ok(Self { raw })
    }

    fn allocate(&mut self, timeout_ms: u32) -> Result {
        // SAFETY: By the type invariant the client is open.
        to_result(unsafe { parown_allocate(&mut *self.raw, timeout_ms) })
    }

    fn write(&mut self, data: &[u8]) -> Result<usize> {
        // SAFETY: By the type invariant the client is open; `data` is
        // readable for its length.
        let ret = unsafe { parown_write(&mut *self.raw, data.as_ptr().cast(), data.len()) };
        to_result(c_int::try_from(ret).unwrap_or(0))?;
        Ok(ret.unsigned_abs())
    }

    fn free(&mut self) -> Result {
        // SAFETY: By the type invariant the client is open.
        to_result(unsafe { parown_free(&mut *self.raw) })
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // SAFETY: By the type invariant the client is open; it is closed
        // once, here.
        unsafe { parown_close(&mut *self.raw) };
    }
}

struct ParownSample;

impl kernel::Module for ParownSample {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let port = kernel_compat::param::<u32>(module_parameters::port.value());
        let mut client = Client::open(port, c"parown_sample")?;
        // Wait at most a second for the port, in line with everyone else.
        client.allocate(1000)?;
        let wrote = client.write(b"hello from parown_sample\n");
        // Free before reporting: the port is only ours for the write.
        client.free()?;
        pr_info!("parport{}: wrote {} bytes\n", port, wrote?);
        Ok(Self)
    }
}
