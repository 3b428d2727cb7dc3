// SPDX-License-Identifier: GPL-2.0

//! parown's devices on a port (`struct pardevice`): claim, release, and
//! the port's lines while parown holds it.
//!
//! C header: [`include/linux/parport.h`](srctree/include/linux/parport.h).

use super::{
    ffi,
    parport::Port, //
};
use core::marker::PhantomData;
use kernel::{
    error::{
        from_err_ptr,
        to_result, //
    },
    ffi::{
        c_int,
        c_uint,
        c_void, //
    },
    prelude::*,
    sync::{
        Arc,
        ArcBorrow, //
    },
};

/// What a pardevice's owner does when the parport core calls back.
pub(crate) trait Callbacks: Send + Sync + 'static {
    /// Another device wants the port we hold; return `true` to give it up
    /// at once. Runs with a spinlock held and interrupts off: no sleeping,
    /// no locks, no parport calls; atomics only.
    fn preempt(&self) -> bool;

    /// The port was released and we may claim it with `dev`. May run in
    /// interrupt context: no sleeping and no sleeping locks.
    fn wakeup(this: ArcBorrow<'_, Self>, dev: &Pardevice);

    /// The port interrupted while `dev` holds it. Hard interrupt context,
    /// under the core's `cad_lock`: no sleeping, no claim or release, no
    /// locks but spinlocks taken with interrupts off; `dev`'s lines may
    /// be used.
    fn irq(&self, dev: &Pardevice);
}

/// A registered pardevice, for the duration of a call.
///
/// # Invariants
///
/// The wrapped pointer is a registered `struct parown_glue_pardev`, valid
/// for the lifetime of the reference.
#[repr(transparent)]
pub(crate) struct Pardevice(ffi::parown_glue_pardev);

impl Pardevice {
    /// # Safety
    ///
    /// `ptr` must be a registered pardevice, valid for `'a`.
    unsafe fn from_raw<'a>(ptr: *mut ffi::parown_glue_pardev) -> &'a Self {
        // CAST: `Pardevice` is a transparent wrapper of the C type.
        // SAFETY: The caller guarantees validity for `'a`.
        unsafe { &*ptr.cast::<Self>() }
    }

    fn as_raw(&self) -> *mut ffi::parown_glue_pardev {
        core::ptr::from_ref(self).cast_mut().cast()
    }

    /// `parport_claim()`: takes the port if nobody holds it or its holder
    /// gives it up; otherwise returns `false`, and a later release calls
    /// `wakeup` unless a driver waiting in the core takes the port first.
    /// Never sleeps.
    pub(crate) fn claim(&self) -> bool {
        // SAFETY: By the type invariant the pardevice is registered.
        unsafe { ffi::parown_glue_claim(self.as_raw()) == 0 }
    }

    /// `parport_release()`: gives the port up, handing it to the core's
    /// longest waiter. The caller must hold the port.
    pub(crate) fn release(&self) {
        // SAFETY: By the type invariant the pardevice is registered.
        unsafe { ffi::parown_glue_release(self.as_raw()) };
    }

    /// Whether the core's current device (`port->cad`) is parown's
    /// claimer, read without the core's lock: a consistency check, whose
    /// answer the caller must know to be stable.
    pub(crate) fn holds_port(&self) -> bool {
        // SAFETY: By the type invariant the pardevice is registered.
        unsafe { ffi::parown_glue_holds_port(self.as_raw()) }
    }

    /// Reads the status register. The caller must hold the port.
    pub(crate) fn read_status(&self) -> u8 {
        // SAFETY: By the type invariant the pardevice is registered.
        unsafe { ffi::parown_glue_read_status(self.as_raw()) }
    }

    /// Sets the data lines. The caller must hold the port.
    pub(crate) fn write_data(&self, data: u8) {
        // SAFETY: By the type invariant the pardevice is registered.
        unsafe { ffi::parown_glue_write_data(self.as_raw(), data) };
    }

    /// Sets the control register. The caller must hold the port.
    pub(crate) fn write_control(&self, control: u8) {
        // SAFETY: By the type invariant the pardevice is registered.
        unsafe { ffi::parown_glue_write_control(self.as_raw(), control) };
    }

    /// Turns the data lines to output. The caller must hold the port.
    pub(crate) fn data_forward(&self) {
        // SAFETY: By the type invariant the pardevice is registered.
        unsafe { ffi::parown_glue_data_forward(self.as_raw()) };
    }

    /// Turns the data lines to input, if the port can. The caller must
    /// hold the port.
    pub(crate) fn data_reverse(&self) {
        // SAFETY: By the type invariant the pardevice is registered.
        unsafe { ffi::parown_glue_data_reverse(self.as_raw()) };
    }

    /// Reads the data register. The caller must hold the port.
    pub(crate) fn read_data(&self) -> u8 {
        // SAFETY: By the type invariant the pardevice is registered.
        unsafe { ffi::parown_glue_read_data(self.as_raw()) }
    }

    /// Reads the control register. The caller must hold the port.
    pub(crate) fn read_control(&self) -> u8 {
        // SAFETY: By the type invariant the pardevice is registered.
        unsafe { ffi::parown_glue_read_control(self.as_raw()) }
    }

    /// Changes the control lines in `mask` to those of `val`; returns the
    /// new control register. The caller must hold the port.
    pub(crate) fn frob_control(&self, mask: u8, val: u8) -> u8 {
        // SAFETY: By the type invariant the pardevice is registered.
        unsafe { ffi::parown_glue_frob_control(self.as_raw(), mask, val) }
    }

    /// The port's IEEE 1284 mode and phase (`port->ieee1284`).
    pub(crate) fn ieee1284(&self) -> (i32, i32) {
        let (mut mode, mut phase) = (0, 0);
        // SAFETY: By the type invariant the pardevice is registered; the
        // fields are plain integers of its port, and the two pointers are
        // to locals, valid for the call.
        unsafe { ffi::parown_glue_ieee1284(self.as_raw(), &mut mode, &mut phase) };
        (mode, phase)
    }

    /// Sets the port's IEEE 1284 mode and phase. The caller must hold the
    /// port, and `phase` must be one of `enum ieee1284_phase`.
    pub(crate) fn set_ieee1284(&self, mode: i32, phase: i32) {
        // SAFETY: By the type invariant the pardevice is registered; while
        // the caller holds the port, nothing else changes these fields.
        unsafe { ffi::parown_glue_set_ieee1284(self.as_raw(), mode, phase) };
    }

    /// The inactivity timeout of the core's IEEE 1284 transfers through
    /// this pardevice, in jiffies.
    pub(crate) fn timeout(&self) -> isize {
        // SAFETY: By the type invariant the pardevice is registered.
        unsafe { ffi::parown_glue_timeout(self.as_raw()) }
    }

    /// Sets the inactivity timeout, in jiffies (positive).
    pub(crate) fn set_timeout(&self, jiffies: isize) {
        // SAFETY: By the type invariant the pardevice is registered.
        unsafe { ffi::parown_glue_set_timeout(self.as_raw(), jiffies) };
    }
}

/// The port driver's ECP and EPP transfers (`enum parown_glue_port_op`).
///
/// They run in process context with no lock held: the core's software
/// versions sleep between the peripheral's handshakes and stop early for
/// a signal; parport_pc's register-level EPP ones spin. The caller holds
/// the port, keeps the pieces short and looks for a signal between them.
impl Pardevice {
    /// `epp_read_data` (`addr` false) or `epp_read_addr` (`addr` true)
    /// into `buf`, with the driver's `flags`; the bytes read.
    pub(crate) fn epp_read(&self, addr: bool, buf: &mut [u8], flags: i32) -> Result<usize> {
        self.transfer_into(if addr { EPP_READ_ADDR } else { EPP_READ_DATA }, buf, flags)
    }

    /// `epp_write_data` or `epp_write_addr` from `buf`; the bytes written.
    pub(crate) fn epp_write(&self, addr: bool, buf: &[u8], flags: i32) -> Result<usize> {
        self.transfer_from(
            if addr { EPP_WRITE_ADDR } else { EPP_WRITE_DATA },
            buf,
            flags,
        )
    }

    /// `ecp_read_data` into `buf`; the bytes read. Never call it while
    /// [`Pardevice::ecp_read_releases`].
    pub(crate) fn ecp_read(&self, buf: &mut [u8]) -> Result<usize> {
        self.transfer_into(ECP_READ_DATA, buf, 0)
    }

    /// `ecp_write_data` (`addr` false) or `ecp_write_addr` (channel
    /// addresses) from `buf`; the bytes written.
    pub(crate) fn ecp_write(&self, addr: bool, buf: &[u8]) -> Result<usize> {
        self.transfer_from(if addr { ECP_WRITE_ADDR } else { ECP_WRITE_DATA }, buf, 0)
    }

    /// Whether the port's `ecp_read_data` is the core's, which on a port
    /// with an interrupt releases the port while the peripheral has no
    /// data and claims it back with `parport_claim_or_block()`.
    pub(crate) fn ecp_read_releases(&self) -> bool {
        // SAFETY: By the type invariant the pardevice is registered; the
        // port's operations and interrupt are set when it is registered.
        unsafe { ffi::parown_glue_ecp_read_releases(self.as_raw()) }
    }

    fn transfer_into(&self, op: c_uint, buf: &mut [u8], flags: i32) -> Result<usize> {
        // SAFETY: By the type invariant the pardevice is registered; `buf`
        // is valid for writes of `buf.len()` bytes, and a read operation
        // writes at most that many.
        let moved = unsafe {
            ffi::parown_glue_port_transfer(
                self.as_raw(),
                op,
                buf.as_mut_ptr().cast(),
                buf.len(),
                flags,
            )
        };
        moved_bytes(moved, buf.len())
    }

    fn transfer_from(&self, op: c_uint, buf: &[u8], flags: i32) -> Result<usize> {
        // SAFETY: By the type invariant the pardevice is registered; `buf`
        // is valid for reads of `buf.len()` bytes, and a write operation
        // (`op` is one) only reads them: the C signature takes `const
        // void *`, the glue's one pointer type drops the `const`.
        let moved = unsafe {
            ffi::parown_glue_port_transfer(
                self.as_raw(),
                op,
                buf.as_ptr().cast_mut().cast(),
                buf.len(),
                flags,
            )
        };
        moved_bytes(moved, buf.len())
    }
}

/// `enum parown_glue_port_op`.
const EPP_READ_DATA: c_uint = 0;
const EPP_WRITE_DATA: c_uint = 1;
const EPP_READ_ADDR: c_uint = 2;
const EPP_WRITE_ADDR: c_uint = 3;
const ECP_READ_DATA: c_uint = 4;
const ECP_WRITE_DATA: c_uint = 5;
const ECP_WRITE_ADDR: c_uint = 6;

/// `MAX_ERRNO`: the largest errno a negative return can carry.
const MAX_ERRNO: c_int = 4095;

/// A driver's result as bytes moved (at most `len`) or its errno.
fn moved_bytes(moved: isize, len: usize) -> Result<usize> {
    match usize::try_from(moved) {
        Ok(n) => Ok(n.min(len)),
        // An errno of the kernel's range, or else a failure of the port.
        Err(_) => match c_int::try_from(moved) {
            Ok(errno) if errno >= -MAX_ERRNO => {
                to_result(errno)?;
                Err(EIO)
            }
            _ => Err(EIO),
        },
    }
}

/// The callbacks for one `T`, in the shape the C glue calls.
struct Adapter<T>(PhantomData<T>);

impl<T: Callbacks> Adapter<T> {
    const OPS: ffi::parown_glue_pardev_ops = ffi::parown_glue_pardev_ops {
        preempt: Self::preempt,
        wakeup: Self::wakeup,
        irq: Self::irq,
    };

    /// # Safety
    ///
    /// `ctx` must be the pointer of a live [`Registration<T>`]'s `Arc<T>`.
    unsafe extern "C" fn preempt(ctx: *const c_void) -> c_int {
        // SAFETY: The glue calls this with the registration's `ctx` only
        // while the pardevice holds the port, which ends before
        // `parown_glue_unregister_device()` returns; `Registration::drop`
        // keeps the `Arc<T>` until then.
        let this = unsafe { &*ctx.cast::<T>() };
        c_int::from(!this.preempt())
    }

    /// # Safety
    ///
    /// As for [`Adapter::preempt`], and `pd` must be the registered
    /// pardevice.
    unsafe extern "C" fn wakeup(ctx: *const c_void, pd: *mut ffi::parown_glue_pardev) {
        // SAFETY: The glue calls this with a registration's `ctx` only
        // while that registration's gate is open, under the lock that
        // `parown_glue_unregister_device()` takes to close it; the
        // registration keeps the `Arc<T>` until that call returns.
        let this = unsafe { ArcBorrow::from_raw(ctx.cast::<T>()) };
        // SAFETY: The glue passes the pardevice of that same registration,
        // which stays registered while the gate is open.
        T::wakeup(this, unsafe { Pardevice::from_raw(pd) });
    }
}

impl<T: Callbacks> Adapter<T> {
    /// # Safety
    ///
    /// As for [`Adapter::preempt`], and `pd` must be the registered
    /// pardevice.
    unsafe extern "C" fn irq(ctx: *const c_void, pd: *mut ffi::parown_glue_pardev) {
        // SAFETY: The glue calls this with the registration's `ctx` only
        // while the pardevice holds the port (the core calls the holder's
        // `irq_func` under `cad_lock`), which ends before
        // `parown_glue_unregister_device()` returns; `Registration::drop`
        // keeps the `Arc<T>` until then.
        let this = unsafe { &*ctx.cast::<T>() };
        // SAFETY: The glue passes the pardevice of that same registration,
        // registered while it holds the port.
        this.irq(unsafe { Pardevice::from_raw(pd) });
    }
}

/// parown's pardevice on a port, registered with the parport core.
///
/// # Invariants
///
/// `pd` is registered, with callbacks into the `T` that `ctx` owns.
pub(crate) struct Registration<T: Callbacks> {
    pd: *mut ffi::parown_glue_pardev,
    ctx: *const T,
}

// SAFETY: The pardevice may be used and unregistered from any thread; `T`
// is `Send + Sync`.
unsafe impl<T: Callbacks> Send for Registration<T> {}
// SAFETY: `device` only hands out a `&Pardevice`. Claim and release are
// parport functions that do their own locking; the port operations take
// no lock and are only called by parown while it holds the port, with
// the port's mutex or its `on_wire` discipline keeping a single user.
unsafe impl<T: Callbacks> Sync for Registration<T> {}

impl<T: Callbacks> Registration<T> {
    /// Registers parown's pardevice on `port`, calling back into `ctx`,
    /// which the registration keeps alive. Fails with `EBUSY` while
    /// another driver holds the port exclusively (ppdev's `PPEXCL`).
    pub(crate) fn new(port: &Port, ctx: Arc<T>) -> Result<Self> {
        let ctx = Arc::into_raw(ctx);
        // SAFETY: `port` is alive; `OPS` is static; `ctx` stays alive until
        // `Drop` has unregistered the pardevice.
        let pd = unsafe {
            ffi::parown_glue_register_device(
                port.as_raw(),
                &Adapter::<T>::OPS,
                ctx.cast::<c_void>(),
            )
        };
        match from_err_ptr(pd) {
            // INVARIANT: The pardevice is registered with callbacks into
            // `ctx`.
            Ok(pd) => Ok(Self { pd, ctx }),
            Err(err) => {
                // SAFETY: `ctx` came from `Arc::into_raw` above, and the
                // glue let go of it when the registration failed.
                drop(unsafe { Arc::from_raw(ctx) });
                Err(err)
            }
        }
    }

    /// The pardevice, to claim, release and write with.
    pub(crate) fn device(&self) -> &Pardevice {
        // SAFETY: By the type invariant `pd` is registered for as long as
        // `self` lives.
        unsafe { Pardevice::from_raw(self.pd) }
    }
}

impl<T: Callbacks> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: By the type invariant `pd` is registered. When this
        // returns, no callback runs with `ctx` any more (the glue's
        // structure itself outlives late callers; see `parown_glue.c`).
        unsafe { ffi::parown_glue_unregister_device(self.pd) };
        // SAFETY: `ctx` came from `Arc::into_raw` in `new`, and nothing
        // uses it any more.
        drop(unsafe { Arc::from_raw(self.ctx) });
    }
}
