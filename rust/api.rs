// SPDX-License-Identifier: GPL-2.0

//! The in-kernel API, `include/linux/parown.h`: C-callable functions over
//! [`Client`], exported (GPL) by `parown_glue.c`. The second front door,
//! beside the ioctls of `/dev/parownN` ([`crate::file`]): it decodes its
//! arguments into the same requests.
//!
//! A `struct parown_client` lives in the caller's memory; its `handle` is a
//! `KBox<Client>` from `parown_open()` until `parown_close()`, and NULL
//! otherwise, which is how a call on a client that is not open, or a
//! second close, is detected without touching freed memory.

use crate::{
    client::Client,
    driver::Parown,
    errno,
    request::{
        DeviceRequest,
        Timeout, //
    },
    uapi, //
};
use core::ptr;
use kernel::{
    error::from_result,
    ffi::{
        c_char,
        c_int,
        c_uint,
        c_void, //
    },
    prelude::*,
    str::CStrExt,
    sync::{
        atomic::{
            ordering::{
                Acquire,
                Full,
                Release, //
            },
            Atomic,
        },
        Arc,
        ArcBorrow, //
    },
    types::ForeignOwnable,
};

/// `struct parown_client`.
#[repr(C)]
pub(crate) struct parown_client {
    handle: *mut c_void,
}

/// `struct parown_port_info`, as opaque bytes of its size.
#[repr(C)]
pub(crate) struct parown_port_info {
    _bytes: [u8; uapi::PortInfo::SIZE],
}

/// The driver the API reaches, while a [`Registration`] exists.
static DRIVER: Atomic<*const Parown> = Atomic::new(ptr::null());

/// Makes the in-kernel API reach `driver` for as long as it exists.
///
/// # Invariants
///
/// While it exists, `DRIVER` points to the `Parown` it keeps alive.
pub(crate) struct Registration {
    _driver: Arc<Parown>,
}

impl Registration {
    /// Lets the API reach `driver`; only one registration may exist.
    pub(crate) fn new(driver: Arc<Parown>) -> Self {
        // INVARIANT: `DRIVER` points to the `Parown` this keeps alive.
        DRIVER.store(Arc::as_ptr(&driver), Release);
        Self { _driver: driver }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        DRIVER.store(ptr::null(), Release);
    }
}

fn driver() -> Option<Arc<Parown>> {
    let driver = DRIVER.load(Acquire);
    if driver.is_null() {
        return None;
    }
    // SAFETY: By the invariant of `Registration`, a non-null `DRIVER` points
    // to a `Parown` kept alive by a `Registration`. That lives until module
    // exit, and no API call runs then: callers are modules that use
    // parown's symbols, and parown cannot be unloaded while they are loaded.
    let driver = unsafe { ArcBorrow::from_raw(driver) };
    Some(driver.into())
}

/// The `handle` field of `client`, as an atomic.
///
/// # Safety
///
/// `client` must point to a live `struct parown_client` for `'a`.
unsafe fn handle<'a>(client: *mut parown_client) -> &'a Atomic<*mut c_void> {
    // SAFETY: The caller guarantees `client` is live and aligned; `handle`
    // is only ever accessed atomically by parown.
    unsafe { Atomic::from_ptr(&raw mut (*client).handle) }
}

/// Runs `f` on the open client behind `client`.
///
/// # Safety
///
/// `client` is NULL or points to a live `struct parown_client` that no
/// `parown_close()` races with.
unsafe fn with_client<T>(
    client: *mut parown_client,
    f: impl FnOnce(&Client) -> Result<T>,
) -> Result<T> {
    if client.is_null() {
        return Err(EINVAL);
    }
    // SAFETY: `client` is live, by the caller's guarantee.
    let raw = unsafe { handle(client) }.load(Acquire);
    if raw.is_null() {
        return Err(EBADF);
    }
    // SAFETY: A non-null handle came from `KBox::into_foreign` in
    // `parown_open()`, and only `parown_close()`, which does not race with
    // this call, takes it back.
    let this = unsafe { <KBox<Client> as ForeignOwnable>::borrow(raw) };
    f(this).map_err(errno::for_in_kernel_caller)
}

/// See `parown_open()` in `include/linux/parown.h`.
///
/// # Safety
///
/// `client` is NULL or points to a live `struct parown_client`; `name` is
/// NULL or a NUL-terminated string.
#[no_mangle]
pub(crate) unsafe extern "C" fn parown_open(
    client: *mut parown_client,
    port: c_uint,
    name: *const c_char,
) -> c_int {
    from_result(|| {
        if client.is_null() {
            return Err(EINVAL);
        }
        // SAFETY: `client` is live, by the caller's guarantee.
        let slot = unsafe { handle(client) };
        if !slot.load(Acquire).is_null() {
            return Err(EBUSY);
        }
        let port = driver().and_then(|d| d.port(port)).ok_or(ENODEV)?;
        let name = if name.is_null() {
            None
        } else {
            // SAFETY: The caller passes a NUL-terminated string.
            Some(unsafe { CStr::from_char_ptr(name) }.to_cstring()?)
        };
        let raw = KBox::new(Client::new(&port, name)?, GFP_KERNEL)?.into_foreign();
        if slot.cmpxchg(ptr::null_mut(), raw, Full).is_err() {
            // SAFETY: `raw` came from `into_foreign` just above and was
            // never published.
            drop(unsafe { <KBox<Client> as ForeignOwnable>::from_foreign(raw) });
            return Err(EBUSY);
        }
        Ok(0)
    })
}

/// See `parown_close()` in `include/linux/parown.h`.
///
/// # Safety
///
/// `client` is NULL or points to a live `struct parown_client`.
#[no_mangle]
pub(crate) unsafe extern "C" fn parown_close(client: *mut parown_client) {
    if client.is_null() {
        return;
    }
    // SAFETY: `client` is live, by the caller's guarantee.
    let raw = unsafe { handle(client) }.xchg(ptr::null_mut(), Full);
    if raw.is_null() {
        pr_err!(
            "parown_close() of a client that is not open ({:p}): ignored\n",
            client
        );
        return;
    }
    // SAFETY: `raw` came from `into_foreign` in `parown_open()`, and the
    // exchange above made this the only place that takes it back.
    drop(unsafe { <KBox<Client> as ForeignOwnable>::from_foreign(raw) });
}

/// See `parown_allocate()` in `include/linux/parown.h`.
///
/// # Safety
///
/// As for [`with_client`].
#[no_mangle]
pub(crate) unsafe extern "C" fn parown_allocate(
    client: *mut parown_client,
    timeout_ms: c_uint,
) -> c_int {
    let timeout = Timeout::from_ms(timeout_ms);
    // SAFETY: The caller's guarantee is `with_client`'s.
    from_result(|| unsafe { with_client(client, |c| c.allocate(timeout)) }.map(|()| 0))
}

/// See `parown_try_allocate()` in `include/linux/parown.h`.
///
/// # Safety
///
/// As for [`with_client`].
#[no_mangle]
pub(crate) unsafe extern "C" fn parown_try_allocate(client: *mut parown_client) -> c_int {
    // SAFETY: The caller's guarantee is `with_client`'s.
    from_result(|| unsafe { with_client(client, Client::try_allocate) }.map(|()| 0))
}

/// See `parown_free()` in `include/linux/parown.h`.
///
/// # Safety
///
/// As for [`with_client`].
#[no_mangle]
pub(crate) unsafe extern "C" fn parown_free(client: *mut parown_client) -> c_int {
    // SAFETY: The caller's guarantee is `with_client`'s.
    from_result(|| unsafe { with_client(client, Client::free) }.map(|()| 0))
}

/// See `parown_query_waiters()` in `include/linux/parown.h`.
///
/// # Safety
///
/// As for [`with_client`].
#[no_mangle]
pub(crate) unsafe extern "C" fn parown_query_waiters(client: *mut parown_client) -> c_int {
    from_result(|| {
        // SAFETY: The caller's guarantee is `with_client`'s.
        let waiters = unsafe { with_client(client, Client::waiters) }?;
        Ok(c_int::try_from(waiters).unwrap_or(c_int::MAX))
    })
}

/// See `parown_get_port_info()` in `include/linux/parown.h`.
///
/// # Safety
///
/// As for [`with_client`]; `info` is NULL or points to a writable
/// `struct parown_port_info`.
#[no_mangle]
pub(crate) unsafe extern "C" fn parown_get_port_info(
    client: *mut parown_client,
    info: *mut parown_port_info,
) -> c_int {
    from_result(|| {
        if info.is_null() {
            return Err(EINVAL);
        }
        // SAFETY: The caller's guarantee is `with_client`'s.
        let bytes = unsafe { with_client(client, Client::port_info) }?.to_bytes();
        // SAFETY: `info` is writable for the structure's size, which is
        // `bytes.len()`, and cannot overlap our local copy.
        unsafe { ptr::copy_nonoverlapping(bytes.as_ptr(), info.cast::<u8>(), bytes.len()) };
        Ok(0)
    })
}

/// See `parown_write()` in `include/linux/parown.h`.
///
/// # Safety
///
/// As for [`with_client`]; `buf` is readable for `len` bytes (or NULL with
/// `len` 0).
#[no_mangle]
pub(crate) unsafe extern "C" fn parown_write(
    client: *mut parown_client,
    buf: *const c_void,
    len: usize,
) -> isize {
    from_result(|| {
        if buf.is_null() && len > 0 {
            return Err(EINVAL);
        }
        let data: &[u8] = if len == 0 {
            &[]
        } else {
            // SAFETY: The caller guarantees `buf` is readable for `len`.
            unsafe { core::slice::from_raw_parts(buf.cast::<u8>(), len) }
        };
        let mut rest = data;
        // SAFETY: The caller's guarantee is `with_client`'s.
        let wrote = unsafe {
            with_client(client, |c| {
                c.write(data.len(), false, |chunk| {
                    let n = chunk.len().min(rest.len());
                    chunk[..n].copy_from_slice(&rest[..n]);
                    rest = &rest[n..];
                    Ok(n)
                })
            })
        }?;
        Ok(isize::try_from(wrote).unwrap_or(isize::MAX))
    })
}

/// Runs a device request of the in-kernel API.
///
/// # Safety
///
/// As for [`with_client`].
unsafe fn device_request(
    client: *mut parown_client,
    device: c_uint,
    flags: c_uint,
    timeout_ms: c_uint,
    f: impl FnOnce(&Client, &DeviceRequest) -> Result,
) -> c_int {
    let req = DeviceRequest {
        device,
        flags,
        timeout: Timeout::from_ms(timeout_ms),
    };
    // SAFETY: The caller's guarantee is `with_client`'s.
    from_result(|| unsafe { with_client(client, |c| f(c, &req)) }.map(|()| 0))
}

/// See `parown_lock_port()` in `include/linux/parown.h`.
///
/// # Safety
///
/// As for [`with_client`].
#[no_mangle]
pub(crate) unsafe extern "C" fn parown_lock_port(
    client: *mut parown_client,
    device: c_uint,
    flags: c_uint,
    timeout_ms: c_uint,
) -> c_int {
    // SAFETY: The caller's guarantee is `device_request`'s.
    unsafe { device_request(client, device, flags, timeout_ms, |c, r| c.lock(r, true)) }
}

/// See `parown_lock_port_no_select()` in `include/linux/parown.h`.
///
/// # Safety
///
/// As for [`with_client`].
#[no_mangle]
pub(crate) unsafe extern "C" fn parown_lock_port_no_select(
    client: *mut parown_client,
    device: c_uint,
    flags: c_uint,
    timeout_ms: c_uint,
) -> c_int {
    // SAFETY: The caller's guarantee is `device_request`'s.
    unsafe { device_request(client, device, flags, timeout_ms, |c, r| c.lock(r, false)) }
}

/// See `parown_unlock_port()` in `include/linux/parown.h`.
///
/// # Safety
///
/// As for [`with_client`].
#[no_mangle]
pub(crate) unsafe extern "C" fn parown_unlock_port(
    client: *mut parown_client,
    device: c_uint,
    flags: c_uint,
) -> c_int {
    // SAFETY: The caller's guarantee is `device_request`'s.
    unsafe { device_request(client, device, flags, 0, |c, r| c.unlock(r, true)) }
}

/// See `parown_unlock_port_no_deselect()` in `include/linux/parown.h`.
///
/// # Safety
///
/// As for [`with_client`].
#[no_mangle]
pub(crate) unsafe extern "C" fn parown_unlock_port_no_deselect(
    client: *mut parown_client,
    device: c_uint,
    flags: c_uint,
) -> c_int {
    // SAFETY: The caller's guarantee is `device_request`'s.
    unsafe { device_request(client, device, flags, 0, |c, r| c.unlock(r, false)) }
}

/// See `parown_select_device()` in `include/linux/parown.h`.
///
/// # Safety
///
/// As for [`with_client`].
#[no_mangle]
pub(crate) unsafe extern "C" fn parown_select_device(
    client: *mut parown_client,
    device: c_uint,
    flags: c_uint,
    timeout_ms: c_uint,
) -> c_int {
    // SAFETY: The caller's guarantee is `device_request`'s.
    unsafe { device_request(client, device, flags, timeout_ms, Client::select) }
}

/// See `parown_deselect_device()` in `include/linux/parown.h`.
///
/// # Safety
///
/// As for [`with_client`].
#[no_mangle]
pub(crate) unsafe extern "C" fn parown_deselect_device(
    client: *mut parown_client,
    device: c_uint,
    flags: c_uint,
) -> c_int {
    // SAFETY: The caller's guarantee is `device_request`'s.
    unsafe { device_request(client, device, flags, 0, Client::deselect) }
}

/// See `parown_init_1284_3_bus()` in `include/linux/parown.h`.
///
/// # Safety
///
/// As for [`with_client`].
#[no_mangle]
pub(crate) unsafe extern "C" fn parown_init_1284_3_bus(client: *mut parown_client) -> c_int {
    from_result(|| {
        // SAFETY: The caller's guarantee is `with_client`'s.
        let devices = unsafe { with_client(client, Client::init_bus) }?;
        Ok(c_int::try_from(devices).unwrap_or(c_int::MAX))
    })
}
