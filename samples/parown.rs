// SPDX-License-Identifier: GPL-2.0

//! A safe Rust binding of parown's in-kernel API
//! (`include/linux/parown.h`), for Rust modules.
//!
//! parown exports a C API; this one file is all a Rust module needs to use
//! it safely: copy it into the module and `mod parown;`. It is the only
//! place with `unsafe` in such a module.
//!
//! The port is driven through [`Owned`], which exists only while the
//! client owns the port: [`Client::allocate`], [`Client::try_allocate`]
//! and [`Client::lock`] return it, the `granted` callback receives it, and
//! dropping it gives the port up. Using the lines without owning the port
//! cannot be written.
//!
//! A [`Client`] may be shared between threads (`&Client` is enough for
//! every request), so that one thread can [`Client::cancel`] another's
//! wait, as a module's exit or a driver's `remove()` must. Closing it (its
//! `Drop`) waits for a callback in progress; none runs afterwards.
#![allow(dead_code)]

use core::{
    cell::UnsafeCell,
    ffi::c_void,
    marker::PhantomData, //
};
use kernel::{
    error::to_result,
    ffi::{
        c_char,
        c_int,
        c_uint, //
    },
    prelude::*,
};

/// `struct parown_client`: parown reads and writes `handle` atomically,
/// also from its own threads, hence the cell.
#[repr(C)]
struct RawClient {
    handle: UnsafeCell<*mut c_void>,
}

/// `struct parown_client_ops`.
#[repr(C)]
struct RawOps {
    granted: Option<unsafe extern "C" fn(client: *mut RawClient, result: c_int)>,
    preempt: Option<unsafe extern "C" fn(client: *mut RawClient)>,
}

unsafe extern "C" {
    fn parown_open_ops(
        client: *mut RawClient,
        port: c_uint,
        name: *const c_char,
        ops: *const RawOps,
    ) -> c_int;
    fn parown_close(client: *mut RawClient);
    fn parown_allocate(client: *mut RawClient, timeout_ms: c_uint) -> c_int;
    fn parown_try_allocate(client: *mut RawClient) -> c_int;
    fn parown_allocate_async(client: *mut RawClient) -> c_int;
    fn parown_cancel(client: *mut RawClient) -> c_int;
    fn parown_free(client: *mut RawClient) -> c_int;
    fn parown_query_waiters(client: *mut RawClient) -> c_int;
    fn parown_lock_port(
        client: *mut RawClient,
        device: c_uint,
        flags: c_uint,
        timeout_ms: c_uint,
    ) -> c_int;
    fn parown_unlock_port(client: *mut RawClient, device: c_uint, flags: c_uint) -> c_int;
    fn parown_write(client: *mut RawClient, buf: *const c_void, len: usize) -> isize;
    fn parown_read(client: *mut RawClient, buf: *mut c_void, len: usize) -> isize;
    fn parown_read_status(client: *mut RawClient) -> c_int;
    fn parown_read_data(client: *mut RawClient) -> c_int;
    fn parown_write_data(client: *mut RawClient, data: u8) -> c_int;
    fn parown_read_control(client: *mut RawClient) -> c_int;
    fn parown_write_control(client: *mut RawClient, control: u8) -> c_int;
    fn parown_frob_control(client: *mut RawClient, mask: u8, val: u8) -> c_int;
    fn parown_data_dir(client: *mut RawClient, reverse: bool) -> c_int;
    fn parown_set_mode(client: *mut RawClient, mode: c_int) -> c_int;
    fn parown_select_device(
        client: *mut RawClient,
        device: c_uint,
        flags: c_uint,
        timeout_ms: c_uint,
    ) -> c_int;
    fn parown_negotiate(client: *mut RawClient, mode: c_int) -> c_int;
    fn parown_get_device_id(
        client: *mut RawClient,
        device: c_uint,
        flags: c_uint,
        timeout_ms: c_uint,
        buf: *mut c_char,
        size: usize,
    ) -> isize;
}

/// `PAROWN_END_OF_CHAIN_DEVICE`.
const END_OF_CHAIN_DEVICE: u32 = 0x1;
/// `PAROWN_HAVE_PORT_KEEP_PORT`.
const HAVE_PORT_KEEP_PORT: u32 = 0x2;

/// A device on the port, for [`Client::lock`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Device {
    /// An IEEE 1284.3 daisy-chain device, by its address (0-3).
    Daisy(u32),
    /// The device behind the chain (on a port without a chain, the one
    /// device).
    EndOfChain,
}

impl Device {
    fn raw(self) -> (u32, u32) {
        match self {
            Device::Daisy(address) => (address, 0),
            Device::EndOfChain => (0, END_OF_CHAIN_DEVICE),
        }
    }
}

/// What a client is told: implement the methods it needs. Both run in
/// process context from the kernel's system workqueue, with no lock of
/// parown held; they may sleep and use the client, but must not drop it
/// (closing waits for them). They never run concurrently for one client.
pub(crate) trait Events: Send + Sync + Sized + 'static {
    /// Whether [`Events::granted`] is implemented: only then does
    /// [`Client::allocate_async`] work.
    const GRANTED: bool = false;
    /// Whether [`Events::preempt`] is implemented.
    const PREEMPT: bool = false;

    /// The result of [`Client::allocate_async`]: the port, owned until the
    /// [`Owned`] drops (at the latest when this returns), or why not
    /// (`ECANCELED` after [`Client::cancel`], `ENODEV` if the port went
    /// away, ...).
    fn granted(&self, _port: Result<Owned<'_>>) {}

    /// Other clients wait for the port this client owns: give it up soon
    /// (drop the [`Owned`]). At most once per ownership; advisory.
    fn preempt(&self) {}
}

/// A client without callbacks.
pub(crate) struct NoEvents;

impl Events for NoEvents {}

/// The client and its events, boxed so that the address parown knows and
/// the callbacks come back with stays put.
///
/// # Invariants
///
/// `raw` is the first field, so a pointer to it is a pointer to the whole
/// (`repr(C)`).
#[repr(C)]
struct Inner<E> {
    raw: RawClient,
    events: E,
}

impl<E> Inner<E> {
    fn ptr(&self) -> *mut RawClient {
        core::ptr::from_ref(&self.raw).cast_mut()
    }
}

/// The callbacks for one `E`.
struct Adapter<E>(PhantomData<E>);

impl<E: Events> Adapter<E> {
    const OPS: RawOps = RawOps {
        granted: if E::GRANTED {
            Some(Self::granted)
        } else {
            None
        },
        preempt: if E::PREEMPT {
            Some(Self::preempt)
        } else {
            None
        },
    };

    /// # Safety
    ///
    /// `client` is the `raw` field of an open client's `Inner<E>`: parown
    /// calls the callbacks only while the client is open.
    unsafe extern "C" fn granted(client: *mut RawClient, result: c_int) {
        // SAFETY: By `Inner`'s invariant the client is the start of an
        // `Inner<E>`, alive while it is open, which it is during the call.
        let inner = unsafe { &*client.cast::<Inner<E>>() };
        let port = to_result(result).map(|()| Owned::new(&inner.raw, None));
        inner.events.granted(port);
    }

    /// # Safety
    ///
    /// As for [`Adapter::granted`].
    unsafe extern "C" fn preempt(client: *mut RawClient) {
        // SAFETY: As in `granted`.
        let inner = unsafe { &*client.cast::<Inner<E>>() };
        inner.events.preempt();
    }
}

/// An open in-kernel client of one parallel port. Dropping it closes it,
/// giving up whatever it owned or waited for.
///
/// # Invariants
///
/// `inner.raw` is open (by `parown_open_ops()`) until `Drop`.
pub(crate) struct Client<E: Events = NoEvents> {
    inner: KBox<Inner<E>>,
}

// SAFETY: parown's functions may be called on one client from any thread,
// concurrently, except `parown_close()`, which only `Drop` calls, with the
// client no longer shared. `E` is `Send + Sync`.
unsafe impl<E: Events> Send for Client<E> {}
// SAFETY: As above.
unsafe impl<E: Events> Sync for Client<E> {}

impl<E: Events> Client<E> {
    /// Opens a client of port `port` (parportN), named `name` in messages.
    pub(crate) fn open(port: u32, name: &'static CStr, events: E) -> Result<Self> {
        let inner = KBox::new(
            Inner {
                raw: RawClient {
                    handle: UnsafeCell::new(core::ptr::null_mut()),
                },
                events,
            },
            GFP_KERNEL,
        )?;
        // SAFETY: `inner.raw` is a zeroed client at a stable address, which
        // lives until `Drop` closes it; `name` is NUL-terminated and
        // static; `OPS` is a constant, promoted to a static, and its
        // callbacks get the `raw` field of this `Inner<E>`.
        to_result(unsafe {
            parown_open_ops(inner.ptr(), port, name.as_char_ptr(), &Adapter::<E>::OPS)
        })?;
        // INVARIANT: opened just above.
        Ok(Self { inner })
    }

    /// The client's events.
    pub(crate) fn events(&self) -> &E {
        &self.inner.events
    }

    fn raw(&self) -> *mut RawClient {
        self.inner.ptr()
    }

    /// Waits (in arrival order, at most `timeout_ms`, 0 for no limit) until
    /// the client owns the port.
    pub(crate) fn allocate(&self, timeout_ms: u32) -> Result<Owned<'_>> {
        // SAFETY: The client is open (type invariant).
        to_result(unsafe { parown_allocate(self.raw(), timeout_ms) })?;
        Ok(Owned::new(&self.inner.raw, None))
    }

    /// Owns the port if it is free and nobody waits.
    pub(crate) fn try_allocate(&self) -> Result<Owned<'_>> {
        // SAFETY: The client is open (type invariant).
        to_result(unsafe { parown_try_allocate(self.raw()) })?;
        Ok(Owned::new(&self.inner.raw, None))
    }

    /// Allocates the port and selects `device`; dropping the [`Owned`]
    /// deselects it and frees the port.
    pub(crate) fn lock(&self, device: Device, timeout_ms: u32) -> Result<Owned<'_>> {
        let (address, flags) = device.raw();
        // SAFETY: The client is open (type invariant).
        to_result(unsafe { parown_lock_port(self.raw(), address, flags, timeout_ms) })?;
        Ok(Owned::new(&self.inner.raw, Some(device)))
    }

    /// Joins the queue without sleeping (any context); [`Events::granted`]
    /// reports the result.
    pub(crate) fn allocate_async(&self) -> Result {
        // SAFETY: The client is open (type invariant).
        to_result(unsafe { parown_allocate_async(self.raw()) })
    }

    /// Ends the client's waits, now and until it is closed: they and every
    /// later request that would own the port fail with `ECANCELED`.
    pub(crate) fn cancel(&self) {
        // SAFETY: The client is open (type invariant). It cannot fail.
        let _ = unsafe { parown_cancel(self.raw()) };
    }

    /// The number of clients waiting for the port.
    pub(crate) fn waiters(&self) -> Result<u32> {
        // SAFETY: The client is open (type invariant).
        let n = unsafe { parown_query_waiters(self.raw()) };
        to_result(n.min(0))?;
        Ok(n.unsigned_abs())
    }

    /// Sets the client's IEEE 1284 mode for transfers (`IEEE1284_MODE_*`).
    pub(crate) fn set_mode(&self, mode: i32) -> Result {
        // SAFETY: The client is open (type invariant).
        to_result(unsafe { parown_set_mode(self.raw(), mode) })
    }
}

impl<E: Events> Drop for Client<E> {
    fn drop(&mut self) {
        // SAFETY: The client is open (type invariant) and no longer shared;
        // it is closed once, here. This waits for a callback in progress.
        unsafe { parown_close(self.raw()) };
    }
}

/// The port, while the client owns it: the only way to drive it. Dropping
/// it gives the port up (and deselects the device it was locked for).
pub(crate) struct Owned<'a> {
    raw: &'a RawClient,
    device: Option<Device>,
    /// Not `Send`: it stands for the ownership of the request that got it.
    _not_send: PhantomData<*mut ()>,
}

impl<'a> Owned<'a> {
    fn new(raw: &'a RawClient, device: Option<Device>) -> Self {
        Self {
            raw,
            device,
            _not_send: PhantomData,
        }
    }

    fn ptr(&self) -> *mut RawClient {
        core::ptr::from_ref(self.raw).cast_mut()
    }

    /// A register read: the byte or an errno.
    fn byte(ret: c_int) -> Result<u8> {
        to_result(ret.min(0))?;
        u8::try_from(ret).map_err(|_| EIO)
    }

    /// Selects `device`, as [`Client::lock`] would have: dropping the
    /// result deselects it and gives the port up. On failure the port is
    /// given up too.
    pub(crate) fn select(mut self, device: Device) -> Result<Self> {
        let (address, flags) = device.raw();
        // SAFETY: As in `status`.
        to_result(unsafe {
            parown_select_device(self.ptr(), address, flags | HAVE_PORT_KEEP_PORT, 0)
        })?;
        self.device = Some(device);
        Ok(self)
    }

    /// The status lines (`PARPORT_STATUS_*`).
    pub(crate) fn status(&self) -> Result<u8> {
        // SAFETY: `raw` is an open client (it outlives `'a`).
        Self::byte(unsafe { parown_read_status(self.ptr()) })
    }

    /// The data lines.
    pub(crate) fn data(&self) -> Result<u8> {
        // SAFETY: As in `status`.
        Self::byte(unsafe { parown_read_data(self.ptr()) })
    }

    /// Sets the data lines.
    pub(crate) fn set_data(&self, data: u8) -> Result {
        // SAFETY: As in `status`.
        to_result(unsafe { parown_write_data(self.ptr(), data) })
    }

    /// The control lines (`PARPORT_CONTROL_*`).
    pub(crate) fn control(&self) -> Result<u8> {
        // SAFETY: As in `status`.
        Self::byte(unsafe { parown_read_control(self.ptr()) })
    }

    /// Sets the control lines.
    pub(crate) fn set_control(&self, control: u8) -> Result {
        // SAFETY: As in `status`.
        to_result(unsafe { parown_write_control(self.ptr(), control) })
    }

    /// Sets the control lines in `mask` to `val`'s.
    pub(crate) fn frob_control(&self, mask: u8, val: u8) -> Result {
        // SAFETY: As in `status`.
        to_result(unsafe { parown_frob_control(self.ptr(), mask, val) })
    }

    /// Turns the data lines: `reverse`, the peripheral drives them.
    pub(crate) fn data_reverse(&self, reverse: bool) -> Result {
        // SAFETY: As in `status`.
        to_result(unsafe { parown_data_dir(self.ptr(), reverse) })
    }

    /// Writes `data` in the client's mode; the count the peripheral took.
    pub(crate) fn write(&self, data: &[u8]) -> Result<usize> {
        // SAFETY: As in `status`; `data` is readable for its length.
        let ret = unsafe { parown_write(self.ptr(), data.as_ptr().cast(), data.len()) };
        to_result(c_int::try_from(ret.min(0)).unwrap_or(0))?;
        Ok(ret.unsigned_abs())
    }

    /// Negotiates IEEE 1284 mode `mode` (`IEEE1284_MODE_*`) with the
    /// peripheral.
    pub(crate) fn negotiate(&self, mode: i32) -> Result {
        // SAFETY: As in `status`.
        to_result(unsafe { parown_negotiate(self.ptr(), mode) })
    }

    /// Reads the IEEE 1284 Device ID of the device the port was locked for
    /// (the end-of-chain device if it was allocated without a device) into
    /// `buf`; returns the ID's length, which may exceed `buf`'s. The device
    /// stays selected; the port ends in compatibility mode.
    pub(crate) fn device_id(&self, buf: &mut [u8]) -> Result<usize> {
        let (address, flags) = self.device.unwrap_or(Device::EndOfChain).raw();
        // SAFETY: As in `status`; `buf` is writable for its length and
        // borrowed for the call.
        let ret = unsafe {
            parown_get_device_id(
                self.ptr(),
                address,
                flags | HAVE_PORT_KEEP_PORT,
                0,
                buf.as_mut_ptr().cast(),
                buf.len(),
            )
        };
        to_result(c_int::try_from(ret.min(0)).unwrap_or(0))?;
        Ok(ret.unsigned_abs())
    }

    /// Reads into `buf` in the client's mode; the count read.
    pub(crate) fn read(&self, buf: &mut [u8]) -> Result<usize> {
        // SAFETY: As in `status`; `buf` is writable for its length and
        // borrowed for the call.
        let ret = unsafe { parown_read(self.ptr(), buf.as_mut_ptr().cast(), buf.len()) };
        to_result(c_int::try_from(ret.min(0)).unwrap_or(0))?;
        Ok(ret.unsigned_abs())
    }
}

impl Drop for Owned<'_> {
    fn drop(&mut self) {
        // Fails only if the port went away, or the client lost it anyway.
        let _ = match self.device {
            Some(device) => {
                let (address, flags) = device.raw();
                // SAFETY: As in `status`.
                unsafe { parown_unlock_port(self.ptr(), address, flags) }
            }
            // SAFETY: As in `status`.
            None => unsafe { parown_free(self.ptr()) },
        };
    }
}
