// SPDX-License-Identifier: GPL-2.0

//! The C side of an in-kernel API (`include/linux/parown.h`): the caller's
//! `struct parown_client` handles and C arguments, turned into safe calls
//! of a [`CApi`] implementation.
//!
//! [`export_in_kernel_api!`] defines the exported C functions over a
//! [`CApi`]; `parown_glue.c` exports their symbols (GPL). A
//! `struct parown_client` lives in the caller's memory; its `handle` is a
//! `KBox<A::Client>` from `parown_open()` until `parown_close()`, and NULL
//! otherwise, which is how a call on a client that is not open, or a
//! second close, is detected without touching freed memory.

use core::ptr;
use kernel::{
    error::from_result,
    ffi::{
        c_char,
        c_int,
        c_uint,
        c_void, //
    },
    new_mutex,
    prelude::*,
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
        ArcBorrow,
        Mutex, //
    },
    types::ForeignOwnable,
};

/// What the in-kernel API does, in safe Rust. The C entry points of
/// [`export_in_kernel_api!`] decode their arguments and call these.
pub(crate) trait CApi: 'static {
    /// What the API reaches to find ports: kept alive by a
    /// [`Registration`].
    type Driver: Send + Sync;
    /// One open client.
    type Client: Send + Sync;
    /// The size of `struct parown_port_info`.
    const PORT_INFO_SIZE: usize;

    /// `parown_open()` and `parown_open_ops()` of port `port`, named `name`
    /// in messages, with the callbacks of `ops` if any.
    fn open(
        driver: &Self::Driver,
        port: u32,
        name: Option<&CStr>,
        ops: Option<Arc<Notifier>>,
    ) -> Result<Self::Client>;
    /// `parown_cancel()`.
    fn cancel(client: &Self::Client) -> Result;
    /// Runs the callbacks a cancelled client is due (the report of its
    /// cancelled `parown_allocate_async()`) and waits for them; called by
    /// `parown_close()` before it disables the callbacks, so that the
    /// report `parown_cancel()` promises is not lost to a close that
    /// follows at once.
    fn deliver_cancellation(client: &Self::Client);
    /// `parown_allocate_async()`. Must not sleep.
    fn allocate_async(client: &Self::Client) -> Result;
    /// `parown_allocate()`.
    fn allocate(client: &Self::Client, timeout_ms: u32) -> Result;
    /// `parown_try_allocate()`.
    fn try_allocate(client: &Self::Client) -> Result;
    /// `parown_free()`.
    fn free(client: &Self::Client) -> Result;
    /// `parown_query_waiters()`.
    fn query_waiters(client: &Self::Client) -> Result<u32>;
    /// `parown_get_port_info()`, into `info`, `PORT_INFO_SIZE` bytes.
    fn port_info(client: &Self::Client, info: &mut [u8]) -> Result;
    /// `parown_write()`: the count written.
    fn write(client: &Self::Client, data: &[u8]) -> Result<usize>;
    /// `parown_lock_port()` (`select`) and `parown_lock_port_no_select()`.
    fn lock_port(
        client: &Self::Client,
        device: u32,
        flags: u32,
        timeout_ms: u32,
        select: bool,
    ) -> Result;
    /// `parown_unlock_port()` (`deselect`) and
    /// `parown_unlock_port_no_deselect()`.
    fn unlock_port(client: &Self::Client, device: u32, flags: u32, deselect: bool) -> Result;
    /// `parown_select_device()`.
    fn select_device(client: &Self::Client, device: u32, flags: u32, timeout_ms: u32) -> Result;
    /// `parown_deselect_device()`.
    fn deselect_device(client: &Self::Client, device: u32, flags: u32) -> Result;
    /// `parown_init_1284_3_bus()`: the number of devices found.
    fn init_1284_3_bus(client: &Self::Client) -> Result<u32>;
    /// The owner's line requests (`parown_read_status()` and the others):
    /// the byte read, or 0 for those that set lines.
    fn lines(client: &Self::Client, req: LineRequest) -> Result<u8>;
    /// `parown_set_mode()`.
    fn set_mode(client: &Self::Client, mode: i32) -> Result;
    /// `parown_get_mode()`.
    fn get_mode(client: &Self::Client) -> Result<i32>;
    /// `parown_read()`, into `buf`: the count read.
    fn read(client: &Self::Client, buf: &mut [u8]) -> Result<usize>;
    /// `parown_negotiate()`.
    fn negotiate(client: &Self::Client, mode: i32) -> Result;
    /// `parown_get_device_id()`: the ID's first bytes into `buf`, followed
    /// by a NUL if there is room; returns the ID's length.
    fn device_id(
        client: &Self::Client,
        device: u32,
        flags: u32,
        timeout_ms: u32,
        buf: &mut [u8],
    ) -> Result<usize>;
    /// The errno the C caller gets for `err`.
    fn errno(err: Error) -> Error;
}

/// A request of the owner on its port's lines, as the C functions name it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum LineRequest {
    /// `parown_read_status()`.
    ReadStatus,
    /// `parown_read_data()`.
    ReadData,
    /// `parown_write_data()`.
    WriteData(u8),
    /// `parown_read_control()`.
    ReadControl,
    /// `parown_write_control()`.
    WriteControl(u8),
    /// `parown_frob_control()`: the lines in `mask` become `val`'s.
    FrobControl {
        /// The control lines to change.
        mask: u8,
        /// Their new values.
        val: u8,
    },
    /// `parown_data_dir()`: the peripheral drives the data lines if
    /// `reverse`, the host otherwise.
    DataDirection {
        /// Whether the data lines turn to input.
        reverse: bool,
    },
}

/// `struct parown_client`.
#[repr(C)]
pub(crate) struct parown_client {
    handle: *mut c_void,
}

/// `struct parown_client_ops`.
#[repr(C)]
pub(crate) struct parown_client_ops {
    granted: Option<unsafe extern "C" fn(client: *mut parown_client, result: c_int)>,
    preempt: Option<unsafe extern "C" fn(client: *mut parown_client)>,
}

/// An open client's callbacks, and the client they are called with.
///
/// # Invariants
///
/// `ops` and `client` are the arguments of a `parown_open_ops()` that
/// succeeded, and the C caller keeps both valid until `parown_close()` of
/// `client`, which removes this from its [`Notifier`] first.
struct Target {
    ops: *const parown_client_ops,
    client: *mut parown_client,
}

// SAFETY: The callbacks may be called from any thread in process context
// (the header says so); the pointers are only read.
unsafe impl Send for Target {}

/// The callbacks of an in-kernel client (`struct parown_client_ops`), as
/// safe calls. They can be called until the client is closed, and do
/// nothing after: `parown_close()` disables them, waiting for one in
/// progress. Hold it anywhere; call it only where the header says the
/// callbacks run (process context, no lock of parown held).
#[pin_data]
pub(crate) struct Notifier {
    has_granted: bool,
    has_preempt: bool,
    /// `None` once the client is closed. Held while a callback runs.
    #[pin]
    target: Mutex<Option<Target>>,
}

impl Notifier {
    /// Whether the client has a `granted` callback.
    pub(crate) fn has_granted(&self) -> bool {
        self.has_granted
    }

    /// Whether the client has a `preempt` callback.
    pub(crate) fn has_preempt(&self) -> bool {
        self.has_preempt
    }

    /// Calls the client's `granted` callback with `result`, unless it has
    /// none or was closed. May sleep.
    pub(crate) fn granted(&self, result: Result) {
        let target = self.target.lock();
        if let Some(target) = &*target {
            // SAFETY: By the invariant of `Target`, `ops` is valid while the
            // target is in the notifier, which the lock held keeps it.
            let granted = unsafe { (*target.ops).granted };
            if let Some(granted) = granted {
                let result = match result {
                    Ok(()) => 0,
                    Err(e) => e.to_errno(),
                };
                // SAFETY: The client is open (`Target`'s invariant, kept by
                // the lock held), so the callback may be called with it,
                // here in process context with no parown lock but this
                // one, which only `parown_close()` takes.
                unsafe { granted(target.client, result) };
            }
        }
    }

    /// Calls the client's `preempt` callback, unless it has none or was
    /// closed. May sleep.
    pub(crate) fn preempt(&self) {
        let target = self.target.lock();
        if let Some(target) = &*target {
            // SAFETY: As in `granted`.
            let preempt = unsafe { (*target.ops).preempt };
            if let Some(preempt) = preempt {
                // SAFETY: As in `granted`.
                unsafe { preempt(target.client) };
            }
        }
    }

    /// The client is being closed: no callback runs after this returns.
    fn disable(&self) {
        *self.target.lock() = None;
    }
}

/// What the `handle` of an open `struct parown_client` owns.
struct Handle<A: CApi> {
    client: A::Client,
    ops: Option<Arc<Notifier>>,
}

/// The driver the API reaches, while a [`Registration`] exists: a
/// `*const A::Driver` of the one registered `A`.
static DRIVER: Atomic<*const c_void> = Atomic::new(ptr::null());

/// Makes the in-kernel API of `A` reach a driver for as long as it exists.
/// Only one registration may exist at a time (the C symbols are global).
///
/// # Invariants
///
/// While it exists, `DRIVER` points to the `A::Driver` it keeps alive.
pub(crate) struct Registration<A: CApi> {
    _driver: Arc<A::Driver>,
}

impl<A: CApi> Registration<A> {
    /// Lets the API reach `driver`.
    pub(crate) fn new(driver: Arc<A::Driver>) -> Self {
        // INVARIANT: `DRIVER` points to the driver this keeps alive.
        DRIVER.store(Arc::as_ptr(&driver).cast::<c_void>(), Release);
        Self { _driver: driver }
    }
}

impl<A: CApi> Drop for Registration<A> {
    fn drop(&mut self) {
        DRIVER.store(ptr::null(), Release);
    }
}

fn driver<A: CApi>() -> Option<Arc<A::Driver>> {
    let driver = DRIVER.load(Acquire);
    if driver.is_null() {
        return None;
    }
    // SAFETY: By the invariant of `Registration`, a non-null `DRIVER` points
    // to an `A::Driver` (only `A`'s entry points read it) kept alive by a
    // registration. That lives until module exit, and no API call runs
    // then: callers are modules that use parown's symbols, and parown
    // cannot be unloaded while they are loaded.
    let driver = unsafe { ArcBorrow::from_raw(driver.cast::<A::Driver>()) };
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

/// Runs `f` on the open client behind `client`, with the caller's errnos.
///
/// # Safety
///
/// `client` is NULL or points to a live `struct parown_client` that no
/// `parown_close()` races with.
unsafe fn with_client<A: CApi, T>(
    client: *mut parown_client,
    f: impl FnOnce(&A::Client) -> Result<T>,
) -> Result<T> {
    if client.is_null() {
        return Err(EINVAL);
    }
    // SAFETY: `client` is live, by the caller's guarantee.
    let raw = unsafe { handle(client) }.load(Acquire);
    if raw.is_null() {
        return Err(EBADF);
    }
    // SAFETY: A non-null handle came from `KBox::into_foreign` in `open`,
    // and only `close`, which does not race with this call, takes it back.
    let this = unsafe { <KBox<Handle<A>> as ForeignOwnable>::borrow(raw) };
    f(&this.client).map_err(A::errno)
}

/// Runs a request that returns nothing but success.
///
/// # Safety
///
/// As for [`with_client`].
unsafe fn request<A: CApi>(
    client: *mut parown_client,
    f: impl FnOnce(&A::Client) -> Result,
) -> c_int {
    // SAFETY: The caller's guarantee is `with_client`'s.
    from_result(|| unsafe { with_client::<A, _>(client, f) }.map(|()| 0))
}

/// Runs a request that returns a count.
///
/// # Safety
///
/// As for [`with_client`].
unsafe fn count<A: CApi>(
    client: *mut parown_client,
    f: impl FnOnce(&A::Client) -> Result<u32>,
) -> c_int {
    from_result(|| {
        // SAFETY: The caller's guarantee is `with_client`'s.
        let n = unsafe { with_client::<A, _>(client, f) }?;
        Ok(c_int::try_from(n).unwrap_or(c_int::MAX))
    })
}

/// `parown_open()` and `parown_open_ops()`.
///
/// # Safety
///
/// `client` is NULL or points to a live `struct parown_client`; `name` is
/// NULL or a NUL-terminated string; `ops` is NULL or points to a
/// `struct parown_client_ops` that, like `client`, stays valid until
/// `parown_close()` of `client`, and whose callbacks may be called as the
/// header says.
pub(crate) unsafe fn open<A: CApi>(
    client: *mut parown_client,
    port: c_uint,
    name: *const c_char,
    ops: *const parown_client_ops,
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
        let driver = driver::<A>().ok_or(ENODEV)?;
        let name = if name.is_null() {
            None
        } else {
            // SAFETY: The caller passes a NUL-terminated string, which
            // outlives this call.
            Some(unsafe { CStr::from_char_ptr(name) })
        };
        let ops = if ops.is_null() {
            None
        } else {
            // SAFETY: `ops` points to a valid structure, by the caller's
            // guarantee.
            let (has_granted, has_preempt) =
                unsafe { ((*ops).granted.is_some(), (*ops).preempt.is_some()) };
            // INVARIANT: The caller keeps `ops` and `client` valid until
            // `close`, which disables the notifier first.
            let target = Target { ops, client };
            Some(Arc::pin_init(
                pin_init!(Notifier {
                    has_granted,
                    has_preempt,
                    target <- new_mutex!(Some(target), "Notifier::target"),
                }),
                GFP_KERNEL,
            )?)
        };
        let opened = A::open(&driver, port, name, ops.clone()).map_err(A::errno)?;
        let raw = KBox::new(
            Handle::<A> {
                client: opened,
                ops,
            },
            GFP_KERNEL,
        )?
        .into_foreign();
        if slot.cmpxchg(ptr::null_mut(), raw, Full).is_err() {
            // SAFETY: `raw` came from `into_foreign` just above and was
            // never published.
            let handle = unsafe { <KBox<Handle<A>> as ForeignOwnable>::from_foreign(raw) };
            if let Some(ops) = &handle.ops {
                ops.disable();
            }
            return Err(EBUSY);
        }
        Ok(0)
    })
}

/// `parown_close()`.
///
/// # Safety
///
/// `client` is NULL or points to a live `struct parown_client`.
pub(crate) unsafe fn close<A: CApi>(client: *mut parown_client) {
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
    // SAFETY: `raw` came from `into_foreign` in `open`, and the exchange
    // above made this the only place that takes it back.
    let handle = unsafe { <KBox<Handle<A>> as ForeignOwnable>::from_foreign(raw) };
    // Then no callback runs while the client goes away, nor after this
    // returns.
    if let Some(ops) = &handle.ops {
        A::deliver_cancellation(&handle.client);
        ops.disable();
    }
    drop(handle);
}

/// `parown_cancel()`.
///
/// # Safety
///
/// As for [`with_client`].
pub(crate) unsafe fn cancel<A: CApi>(client: *mut parown_client) -> c_int {
    // SAFETY: The caller's guarantee is `request`'s.
    unsafe { request::<A>(client, A::cancel) }
}

/// `parown_allocate_async()`. Sleeps nowhere.
///
/// # Safety
///
/// As for [`with_client`].
pub(crate) unsafe fn allocate_async<A: CApi>(client: *mut parown_client) -> c_int {
    // SAFETY: The caller's guarantee is `request`'s.
    unsafe { request::<A>(client, A::allocate_async) }
}

/// `parown_allocate()`.
///
/// # Safety
///
/// As for [`with_client`].
pub(crate) unsafe fn allocate<A: CApi>(client: *mut parown_client, timeout_ms: c_uint) -> c_int {
    // SAFETY: The caller's guarantee is `request`'s.
    unsafe { request::<A>(client, |c| A::allocate(c, timeout_ms)) }
}

/// `parown_try_allocate()`.
///
/// # Safety
///
/// As for [`with_client`].
pub(crate) unsafe fn try_allocate<A: CApi>(client: *mut parown_client) -> c_int {
    // SAFETY: The caller's guarantee is `request`'s.
    unsafe { request::<A>(client, A::try_allocate) }
}

/// `parown_free()`.
///
/// # Safety
///
/// As for [`with_client`].
pub(crate) unsafe fn free<A: CApi>(client: *mut parown_client) -> c_int {
    // SAFETY: The caller's guarantee is `request`'s.
    unsafe { request::<A>(client, A::free) }
}

/// `parown_query_waiters()`.
///
/// # Safety
///
/// As for [`with_client`].
pub(crate) unsafe fn query_waiters<A: CApi>(client: *mut parown_client) -> c_int {
    // SAFETY: The caller's guarantee is `count`'s.
    unsafe { count::<A>(client, A::query_waiters) }
}

/// `parown_get_port_info()`.
///
/// # Safety
///
/// As for [`with_client`]; `info` is NULL or points to a writable
/// `struct parown_port_info`, `A::PORT_INFO_SIZE` bytes.
pub(crate) unsafe fn get_port_info<A: CApi>(
    client: *mut parown_client,
    info: *mut c_void,
) -> c_int {
    if info.is_null() {
        return EINVAL.to_errno();
    }
    // SAFETY: `info` is writable for the structure's size, by the caller's
    // guarantee, and nothing else refers to it during the call.
    let info = unsafe { core::slice::from_raw_parts_mut(info.cast::<u8>(), A::PORT_INFO_SIZE) };
    // SAFETY: The caller's guarantee is `request`'s.
    unsafe { request::<A>(client, |c| A::port_info(c, info)) }
}

/// `parown_write()`.
///
/// # Safety
///
/// As for [`with_client`]; `buf` is readable for `len` bytes (or NULL with
/// `len` 0).
pub(crate) unsafe fn write<A: CApi>(
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
        // SAFETY: The caller's guarantee is `with_client`'s.
        let wrote = unsafe { with_client::<A, _>(client, |c| A::write(c, data)) }?;
        Ok(isize::try_from(wrote).unwrap_or(isize::MAX))
    })
}

/// `parown_lock_port()` and `parown_lock_port_no_select()`.
///
/// # Safety
///
/// As for [`with_client`].
pub(crate) unsafe fn lock_port<A: CApi>(
    client: *mut parown_client,
    device: c_uint,
    flags: c_uint,
    timeout_ms: c_uint,
    select: bool,
) -> c_int {
    // SAFETY: The caller's guarantee is `request`'s.
    unsafe {
        request::<A>(client, |c| {
            A::lock_port(c, device, flags, timeout_ms, select)
        })
    }
}

/// `parown_unlock_port()` and `parown_unlock_port_no_deselect()`.
///
/// # Safety
///
/// As for [`with_client`].
pub(crate) unsafe fn unlock_port<A: CApi>(
    client: *mut parown_client,
    device: c_uint,
    flags: c_uint,
    deselect: bool,
) -> c_int {
    // SAFETY: The caller's guarantee is `request`'s.
    unsafe { request::<A>(client, |c| A::unlock_port(c, device, flags, deselect)) }
}

/// `parown_select_device()`.
///
/// # Safety
///
/// As for [`with_client`].
pub(crate) unsafe fn select_device<A: CApi>(
    client: *mut parown_client,
    device: c_uint,
    flags: c_uint,
    timeout_ms: c_uint,
) -> c_int {
    // SAFETY: The caller's guarantee is `request`'s.
    unsafe { request::<A>(client, |c| A::select_device(c, device, flags, timeout_ms)) }
}

/// `parown_deselect_device()`.
///
/// # Safety
///
/// As for [`with_client`].
pub(crate) unsafe fn deselect_device<A: CApi>(
    client: *mut parown_client,
    device: c_uint,
    flags: c_uint,
) -> c_int {
    // SAFETY: The caller's guarantee is `request`'s.
    unsafe { request::<A>(client, |c| A::deselect_device(c, device, flags)) }
}

/// `parown_init_1284_3_bus()`.
///
/// # Safety
///
/// As for [`with_client`].
pub(crate) unsafe fn init_1284_3_bus<A: CApi>(client: *mut parown_client) -> c_int {
    // SAFETY: The caller's guarantee is `count`'s.
    unsafe { count::<A>(client, A::init_1284_3_bus) }
}

/// The owner's line requests.
///
/// # Safety
///
/// As for [`with_client`].
pub(crate) unsafe fn lines<A: CApi>(client: *mut parown_client, req: LineRequest) -> c_int {
    // SAFETY: The caller's guarantee is `count`'s.
    unsafe { count::<A>(client, |c| A::lines(c, req).map(u32::from)) }
}

/// `parown_set_mode()`.
///
/// # Safety
///
/// As for [`with_client`].
pub(crate) unsafe fn set_mode<A: CApi>(client: *mut parown_client, mode: c_int) -> c_int {
    // SAFETY: The caller's guarantee is `request`'s.
    unsafe { request::<A>(client, |c| A::set_mode(c, mode)) }
}

/// `parown_get_mode()`.
///
/// # Safety
///
/// As for [`with_client`].
pub(crate) unsafe fn get_mode<A: CApi>(client: *mut parown_client) -> c_int {
    from_result(|| {
        // SAFETY: The caller's guarantee is `with_client`'s.
        let mode = unsafe { with_client::<A, _>(client, A::get_mode) }?;
        Ok(mode)
    })
}

/// `parown_read()`.
///
/// # Safety
///
/// As for [`with_client`]; `buf` is writable for `len` bytes (or NULL with
/// `len` 0), and nothing else uses it during the call.
pub(crate) unsafe fn read<A: CApi>(
    client: *mut parown_client,
    buf: *mut c_void,
    len: usize,
) -> isize {
    from_result(|| {
        if buf.is_null() && len > 0 {
            return Err(EINVAL);
        }
        let data: &mut [u8] = if len == 0 {
            &mut []
        } else {
            // SAFETY: The caller guarantees `buf` is writable for `len`
            // bytes and used by nothing else meanwhile.
            unsafe { core::slice::from_raw_parts_mut(buf.cast::<u8>(), len) }
        };
        // SAFETY: The caller's guarantee is `with_client`'s.
        let got = unsafe { with_client::<A, _>(client, |c| A::read(c, data)) }?;
        Ok(isize::try_from(got).unwrap_or(isize::MAX))
    })
}

/// `parown_negotiate()`.
///
/// # Safety
///
/// As for [`with_client`].
pub(crate) unsafe fn negotiate<A: CApi>(client: *mut parown_client, mode: c_int) -> c_int {
    // SAFETY: The caller's guarantee is `request`'s.
    unsafe { request::<A>(client, |c| A::negotiate(c, mode)) }
}

/// `parown_get_device_id()`.
///
/// # Safety
///
/// As for [`with_client`]; `buf` is writable for `size` bytes (or NULL
/// with `size` 0), and nothing else uses it during the call.
pub(crate) unsafe fn get_device_id<A: CApi>(
    client: *mut parown_client,
    device: c_uint,
    flags: c_uint,
    timeout_ms: c_uint,
    buf: *mut c_char,
    size: usize,
) -> isize {
    from_result(|| {
        if buf.is_null() && size > 0 {
            return Err(EINVAL);
        }
        let out: &mut [u8] = if size == 0 {
            &mut []
        } else {
            // SAFETY: The caller guarantees `buf` is writable for `size`
            // bytes and used by nothing else meanwhile.
            unsafe { core::slice::from_raw_parts_mut(buf.cast::<u8>(), size) }
        };
        // SAFETY: The caller's guarantee is `with_client`'s.
        let len = unsafe {
            with_client::<A, _>(client, |c| A::device_id(c, device, flags, timeout_ms, out))
        }?;
        Ok(isize::try_from(len).unwrap_or(isize::MAX))
    })
}

/// Defines the exported C functions of `include/linux/parown.h` over the
/// [`CApi`] implementation `$api`. Use it once, in the crate's root or a
/// module of it; `parown_glue.c` exports the symbols.
macro_rules! export_in_kernel_api {
    ($api:ty) => {
        /// The C entry points; see `include/linux/parown.h` for each. Their
        /// C callers give the guarantees that header states, which are the
        /// `# Safety` sections of `glue::c_api`'s functions.
        mod c_entry_points {
            use super::*;
            use ::kernel::ffi::{
                c_char,
                c_int,
                c_uint,
                c_void, //
            };
            use $crate::glue::c_api::{
                self,
                parown_client, //
            };

            /// See `parown_open()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::open`].
            #[no_mangle]
            unsafe extern "C" fn parown_open(
                client: *mut parown_client,
                port: c_uint,
                name: *const c_char,
            ) -> c_int {
                // SAFETY: The C caller's guarantees are `open`'s, with no
                // callbacks.
                unsafe { c_api::open::<$api>(client, port, name, ::core::ptr::null()) }
            }

            /// See `parown_open_ops()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::open`].
            #[no_mangle]
            unsafe extern "C" fn parown_open_ops(
                client: *mut parown_client,
                port: c_uint,
                name: *const c_char,
                ops: *const c_api::parown_client_ops,
            ) -> c_int {
                // SAFETY: The C caller's guarantees are `open`'s.
                unsafe { c_api::open::<$api>(client, port, name, ops) }
            }

            /// See `parown_cancel()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::cancel`].
            #[no_mangle]
            unsafe extern "C" fn parown_cancel(client: *mut parown_client) -> c_int {
                // SAFETY: The C caller's guarantees are `cancel`'s.
                unsafe { c_api::cancel::<$api>(client) }
            }

            /// See `parown_allocate_async()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::allocate_async`].
            #[no_mangle]
            unsafe extern "C" fn parown_allocate_async(client: *mut parown_client) -> c_int {
                // SAFETY: The C caller's guarantees are `allocate_async`'s.
                unsafe { c_api::allocate_async::<$api>(client) }
            }

            /// See `parown_close()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::close`].
            #[no_mangle]
            unsafe extern "C" fn parown_close(client: *mut parown_client) {
                // SAFETY: The C caller's guarantees are `close`'s.
                unsafe { c_api::close::<$api>(client) }
            }

            /// See `parown_allocate()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::allocate`].
            #[no_mangle]
            unsafe extern "C" fn parown_allocate(
                client: *mut parown_client,
                timeout_ms: c_uint,
            ) -> c_int {
                // SAFETY: The C caller's guarantees are `allocate`'s.
                unsafe { c_api::allocate::<$api>(client, timeout_ms) }
            }

            /// See `parown_try_allocate()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::try_allocate`].
            #[no_mangle]
            unsafe extern "C" fn parown_try_allocate(client: *mut parown_client) -> c_int {
                // SAFETY: The C caller's guarantees are `try_allocate`'s.
                unsafe { c_api::try_allocate::<$api>(client) }
            }

            /// See `parown_free()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::free`].
            #[no_mangle]
            unsafe extern "C" fn parown_free(client: *mut parown_client) -> c_int {
                // SAFETY: The C caller's guarantees are `free`'s.
                unsafe { c_api::free::<$api>(client) }
            }

            /// See `parown_query_waiters()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::query_waiters`].
            #[no_mangle]
            unsafe extern "C" fn parown_query_waiters(client: *mut parown_client) -> c_int {
                // SAFETY: The C caller's guarantees are `query_waiters`'s.
                unsafe { c_api::query_waiters::<$api>(client) }
            }

            /// See `parown_get_port_info()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::get_port_info`].
            #[no_mangle]
            unsafe extern "C" fn parown_get_port_info(
                client: *mut parown_client,
                info: *mut c_void,
            ) -> c_int {
                // SAFETY: The C caller's guarantees are `get_port_info`'s.
                unsafe { c_api::get_port_info::<$api>(client, info) }
            }

            /// See `parown_write()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::write`].
            #[no_mangle]
            unsafe extern "C" fn parown_write(
                client: *mut parown_client,
                buf: *const c_void,
                len: usize,
            ) -> isize {
                // SAFETY: The C caller's guarantees are `write`'s.
                unsafe { c_api::write::<$api>(client, buf, len) }
            }

            /// See `parown_lock_port()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::lock_port`].
            #[no_mangle]
            unsafe extern "C" fn parown_lock_port(
                client: *mut parown_client,
                device: c_uint,
                flags: c_uint,
                timeout_ms: c_uint,
            ) -> c_int {
                // SAFETY: The C caller's guarantees are `lock_port`'s.
                unsafe { c_api::lock_port::<$api>(client, device, flags, timeout_ms, true) }
            }

            /// See `parown_lock_port_no_select()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::lock_port`].
            #[no_mangle]
            unsafe extern "C" fn parown_lock_port_no_select(
                client: *mut parown_client,
                device: c_uint,
                flags: c_uint,
                timeout_ms: c_uint,
            ) -> c_int {
                // SAFETY: The C caller's guarantees are `lock_port`'s.
                unsafe { c_api::lock_port::<$api>(client, device, flags, timeout_ms, false) }
            }

            /// See `parown_unlock_port()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::unlock_port`].
            #[no_mangle]
            unsafe extern "C" fn parown_unlock_port(
                client: *mut parown_client,
                device: c_uint,
                flags: c_uint,
            ) -> c_int {
                // SAFETY: The C caller's guarantees are `unlock_port`'s.
                unsafe { c_api::unlock_port::<$api>(client, device, flags, true) }
            }

            /// See `parown_unlock_port_no_deselect()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::unlock_port`].
            #[no_mangle]
            unsafe extern "C" fn parown_unlock_port_no_deselect(
                client: *mut parown_client,
                device: c_uint,
                flags: c_uint,
            ) -> c_int {
                // SAFETY: The C caller's guarantees are `unlock_port`'s.
                unsafe { c_api::unlock_port::<$api>(client, device, flags, false) }
            }

            /// See `parown_select_device()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::select_device`].
            #[no_mangle]
            unsafe extern "C" fn parown_select_device(
                client: *mut parown_client,
                device: c_uint,
                flags: c_uint,
                timeout_ms: c_uint,
            ) -> c_int {
                // SAFETY: The C caller's guarantees are `select_device`'s.
                unsafe { c_api::select_device::<$api>(client, device, flags, timeout_ms) }
            }

            /// See `parown_deselect_device()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::deselect_device`].
            #[no_mangle]
            unsafe extern "C" fn parown_deselect_device(
                client: *mut parown_client,
                device: c_uint,
                flags: c_uint,
            ) -> c_int {
                // SAFETY: The C caller's guarantees are `deselect_device`'s.
                unsafe { c_api::deselect_device::<$api>(client, device, flags) }
            }

            /// See `parown_init_1284_3_bus()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::init_1284_3_bus`].
            #[no_mangle]
            unsafe extern "C" fn parown_init_1284_3_bus(client: *mut parown_client) -> c_int {
                // SAFETY: The C caller's guarantees are `init_1284_3_bus`'s.
                unsafe { c_api::init_1284_3_bus::<$api>(client) }
            }

            /// See `parown_read_status()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::lines`].
            #[no_mangle]
            unsafe extern "C" fn parown_read_status(client: *mut parown_client) -> c_int {
                // SAFETY: The C caller's guarantees are `lines`'s.
                unsafe { c_api::lines::<$api>(client, c_api::LineRequest::ReadStatus) }
            }

            /// See `parown_read_data()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::lines`].
            #[no_mangle]
            unsafe extern "C" fn parown_read_data(client: *mut parown_client) -> c_int {
                // SAFETY: The C caller's guarantees are `lines`'s.
                unsafe { c_api::lines::<$api>(client, c_api::LineRequest::ReadData) }
            }

            /// See `parown_write_data()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::lines`].
            #[no_mangle]
            unsafe extern "C" fn parown_write_data(client: *mut parown_client, data: u8) -> c_int {
                // SAFETY: The C caller's guarantees are `lines`'s.
                unsafe { c_api::lines::<$api>(client, c_api::LineRequest::WriteData(data)) }
            }

            /// See `parown_read_control()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::lines`].
            #[no_mangle]
            unsafe extern "C" fn parown_read_control(client: *mut parown_client) -> c_int {
                // SAFETY: The C caller's guarantees are `lines`'s.
                unsafe { c_api::lines::<$api>(client, c_api::LineRequest::ReadControl) }
            }

            /// See `parown_write_control()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::lines`].
            #[no_mangle]
            unsafe extern "C" fn parown_write_control(
                client: *mut parown_client,
                control: u8,
            ) -> c_int {
                // SAFETY: The C caller's guarantees are `lines`'s.
                unsafe { c_api::lines::<$api>(client, c_api::LineRequest::WriteControl(control)) }
            }

            /// See `parown_frob_control()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::lines`].
            #[no_mangle]
            unsafe extern "C" fn parown_frob_control(
                client: *mut parown_client,
                mask: u8,
                val: u8,
            ) -> c_int {
                // SAFETY: The C caller's guarantees are `lines`'s.
                unsafe {
                    c_api::lines::<$api>(client, c_api::LineRequest::FrobControl { mask, val })
                }
            }

            /// See `parown_data_dir()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::lines`].
            #[no_mangle]
            unsafe extern "C" fn parown_data_dir(
                client: *mut parown_client,
                reverse: bool,
            ) -> c_int {
                // SAFETY: The C caller's guarantees are `lines`'s.
                unsafe {
                    c_api::lines::<$api>(client, c_api::LineRequest::DataDirection { reverse })
                }
            }

            /// See `parown_set_mode()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::set_mode`].
            #[no_mangle]
            unsafe extern "C" fn parown_set_mode(client: *mut parown_client, mode: c_int) -> c_int {
                // SAFETY: The C caller's guarantees are `set_mode`'s.
                unsafe { c_api::set_mode::<$api>(client, mode) }
            }

            /// See `parown_get_mode()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::get_mode`].
            #[no_mangle]
            unsafe extern "C" fn parown_get_mode(client: *mut parown_client) -> c_int {
                // SAFETY: The C caller's guarantees are `get_mode`'s.
                unsafe { c_api::get_mode::<$api>(client) }
            }

            /// See `parown_read()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::read`].
            #[no_mangle]
            unsafe extern "C" fn parown_read(
                client: *mut parown_client,
                buf: *mut c_void,
                len: usize,
            ) -> isize {
                // SAFETY: The C caller's guarantees are `read`'s.
                unsafe { c_api::read::<$api>(client, buf, len) }
            }

            /// See `parown_negotiate()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::negotiate`].
            #[no_mangle]
            unsafe extern "C" fn parown_negotiate(
                client: *mut parown_client,
                mode: c_int,
            ) -> c_int {
                // SAFETY: The C caller's guarantees are `negotiate`'s.
                unsafe { c_api::negotiate::<$api>(client, mode) }
            }

            /// See `parown_get_device_id()` in `include/linux/parown.h`.
            ///
            /// # Safety
            ///
            /// As for [`c_api::get_device_id`].
            #[no_mangle]
            unsafe extern "C" fn parown_get_device_id(
                client: *mut parown_client,
                device: c_uint,
                flags: c_uint,
                timeout_ms: c_uint,
                buf: *mut c_char,
                size: usize,
            ) -> isize {
                // SAFETY: The C caller's guarantees are `get_device_id`'s.
                unsafe {
                    c_api::get_device_id::<$api>(client, device, flags, timeout_ms, buf, size)
                }
            }
        }
    };
}
pub(crate) use export_in_kernel_api;
