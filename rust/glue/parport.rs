// SPDX-License-Identifier: GPL-2.0

//! The parport core: a driver registration and the ports it reports.
//!
//! C header: [`include/linux/parport.h`](srctree/include/linux/parport.h).

use super::ffi;
use core::ptr::NonNull;
use kernel::{
    error::to_result,
    ffi::c_void,
    prelude::*,
    sync::{
        aref::AlwaysRefCounted,
        Arc, //
    },
    types::Opaque,
};

/// A parallel port known to the parport core (`struct parport`).
///
/// # Invariants
///
/// A `&Port` is only handed out while the `struct parport` is alive: for the
/// duration of a driver callback, or through an [`ARef<Port>`], which holds a
/// reference taken with `parport_get_port()`.
#[repr(transparent)]
pub(crate) struct Port(Opaque<ffi::parport>);

// SAFETY: A `struct parport` is reference counted and may be used, and its
// last reference dropped, from any thread.
unsafe impl Send for Port {}
// SAFETY: `Port` only reads fields that do not change after registration.
unsafe impl Sync for Port {}

// SAFETY: `parport_get_port()`/`parport_put_port()` keep the port alive while
// the count is non-zero.
unsafe impl AlwaysRefCounted for Port {
    fn inc_ref(&self) {
        // SAFETY: By the type invariant the port is alive.
        unsafe { ffi::parown_glue_get_port(self.as_raw()) };
    }

    unsafe fn dec_ref(obj: NonNull<Self>) {
        // SAFETY: The caller gives up a reference it owns.
        unsafe { ffi::parown_glue_put_port(obj.cast::<ffi::parport>().as_ptr()) };
    }
}

/// What a port says about itself; fixed while it is registered.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct PortInfo {
    /// The parport number, N in `parportN`.
    pub(crate) number: u32,
    /// Base I/O address.
    pub(crate) base: u64,
    /// Base address of the ECP registers (0 if none).
    pub(crate) base_hi: u64,
    /// IRQ line, or a negative value for none.
    pub(crate) irq: i32,
    /// DMA channel, or a negative value for none.
    pub(crate) dma: i32,
    /// `PARPORT_MODE_*` bits.
    pub(crate) modes: u32,
}

impl Port {
    /// Returns the port behind a pointer the parport core passed in.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a live `struct parport` for the lifetime `'a`.
    unsafe fn from_raw<'a>(ptr: *mut ffi::parport) -> &'a Self {
        // CAST: `Port` is a transparent wrapper of `struct parport`.
        // SAFETY: The caller guarantees the pointer is live for `'a`.
        unsafe { &*ptr.cast::<Self>() }
    }

    pub(super) fn as_raw(&self) -> *mut ffi::parport {
        self.0.get()
    }

    /// Reads the port's fixed description.
    pub(crate) fn info(&self) -> PortInfo {
        let mut raw = ffi::parown_glue_port_info::default();
        // SAFETY: By the type invariant the port is alive; `raw` is writable.
        unsafe { ffi::parown_glue_port_info(self.as_raw(), &mut raw) };
        PortInfo {
            // The core numbers ports from 0.
            number: u32::try_from(raw.number).unwrap_or(u32::MAX),
            base: raw.base as u64,
            base_hi: raw.base_hi as u64,
            irq: raw.irq,
            dma: raw.dma,
            modes: raw.modes,
        }
    }

    /// The name of the pardevice the parport core gave the port to, into
    /// `name` (NUL-terminated, cut to fit); `false` if none holds it.
    pub(crate) fn holder(&self, name: &mut [u8]) -> bool {
        // SAFETY: By the type invariant the port is alive; `name` is
        // writable for its length.
        unsafe { ffi::parown_glue_core_holder(self.as_raw(), name.as_mut_ptr().cast(), name.len()) }
    }

    /// The names of the pardevices waiting for the port in the parport
    /// core, in order and space-separated, into `names` (NUL-terminated,
    /// cut to fit).
    pub(crate) fn waiting(&self, names: &mut [u8]) {
        // SAFETY: As for `holder`.
        unsafe {
            ffi::parown_glue_core_waiting(self.as_raw(), names.as_mut_ptr().cast(), names.len())
        }
    }
}

/// The callbacks of a parport driver.
///
/// Both run in process context with the core's `registration_lock` held, so
/// they may sleep but must not register or unregister parport drivers or
/// ports.
pub(crate) trait Driver: Send + Sync + 'static {
    /// A port appeared (`match_port`). May be called twice for one port.
    fn attach(&self, port: &Port);

    /// A port is going away, or the driver is being unregistered
    /// (`detach`). May name a port that was never attached.
    fn detach(&self, port: &Port);

    /// The driver was unregistered: the core has detached every port.
    /// Anything still attached is a leftover to tear down now, before the
    /// glue frees what the ports' pardevices used.
    fn unregistered(&self);
}

/// The parport core's callbacks, forwarded to a [`Driver`].
struct Adapter<T: Driver>(core::marker::PhantomData<T>);

impl<T: Driver> Adapter<T> {
    /// # Safety
    ///
    /// `ctx` must be the pointer to `T` that a live [`Registration<T>`] gave
    /// the glue, and `port` a port that is alive for the call.
    unsafe extern "C" fn attach(ctx: *const c_void, port: *mut ffi::parport) {
        // SAFETY: The registration keeps `T` alive until the driver is
        // unregistered, after which no callback runs.
        let driver = unsafe { &*ctx.cast::<T>() };
        // SAFETY: The core passes a port that is alive during the callback.
        driver.attach(unsafe { Port::from_raw(port) });
    }

    /// # Safety
    ///
    /// As for [`Adapter::attach`].
    unsafe extern "C" fn detach(ctx: *const c_void, port: *mut ffi::parport) {
        // SAFETY: As in `attach`.
        let driver = unsafe { &*ctx.cast::<T>() };
        // SAFETY: As in `attach`.
        driver.detach(unsafe { Port::from_raw(port) });
    }
}

/// The registration of parown's one parport driver.
///
/// The glue has a single `struct parport_driver`, so only one registration
/// may exist at a time; the module holds it.
///
/// # Invariants
///
/// The glue's driver is registered with the parport core and calls back into
/// `driver` through `callbacks`, whose `ctx` points to `driver`.
pub(crate) struct Registration<T: Driver> {
    _callbacks: KBox<ffi::parown_glue_driver>,
    _driver: Arc<T>,
}

// SAFETY: The callbacks are only read, by the parport core, and `ctx`
// points to a `T`, which is `Send + Sync`; dropping unregisters, which may
// happen on any thread.
unsafe impl<T: Driver> Send for Registration<T> {}
// SAFETY: `Registration` has no `&self` methods.
unsafe impl<T: Driver> Sync for Registration<T> {}

impl<T: Driver> Registration<T> {
    /// Registers the driver; `attach` runs for existing ports before this
    /// returns.
    pub(crate) fn new(driver: Arc<T>) -> Result<Self> {
        let callbacks = KBox::new(
            ffi::parown_glue_driver {
                ctx: Arc::as_ptr(&driver).cast::<c_void>(),
                attach: Adapter::<T>::attach,
                detach: Adapter::<T>::detach,
            },
            GFP_KERNEL,
        )?;
        // SAFETY: `callbacks` and the `T` it points to stay alive until
        // `Drop` has unregistered the driver.
        to_result(unsafe { ffi::parown_glue_register_driver(&*callbacks) })?;
        // INVARIANT: The driver is registered with these callbacks.
        Ok(Self {
            _callbacks: callbacks,
            _driver: driver,
        })
    }
}

impl<T: Driver> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: By the type invariant the driver is registered. When this
        // returns, `detach` has run for every port and no callback that
        // uses `callbacks` or `driver` runs any more.
        unsafe { ffi::parown_glue_unregister_driver() };
        self._driver.unregistered();
        // SAFETY: The driver is unregistered and has dropped every
        // pardevice registration.
        unsafe { ffi::parown_glue_free_pardev_pool() };
    }
}
