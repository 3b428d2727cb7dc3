// SPDX-License-Identifier: GPL-2.0

//! What differs between the kernels parown supports, and nothing else.
//!
//! parown builds from one source tree for the project's test kernel and
//! for every Rust-enabled kernel Debian ships (7.2 and 7.3). Their kernel
//! crates differ in a few places; this file is the only one that knows.
//! `kernel_compat.mk` sets the `cfg`s from the kernel version in Kbuild.
//! The module, the sample and the simulator include it with `#[path]`, so
//! some of it is unused in each of them.
#![allow(dead_code, unused_imports)]

use core::borrow::Borrow;

/// Error codes that 7.2's `kernel::error::code` lacks.
pub(crate) mod code {
    use kernel::error::Error;

    /// `EDEADLK` (in `kernel::error::code` from 7.3 on).
    #[inline]
    pub(crate) fn edeadlk() -> Error {
        #[cfg(not(parown_kernel_before_7_3))]
        return kernel::error::code::EDEADLK;
        #[cfg(parown_kernel_before_7_3)]
        return from_bindings(kernel::bindings::EDEADLK);
    }

    /// `EALREADY` (in `kernel::error::code` from 7.3 on).
    #[inline]
    pub(crate) fn ealready() -> Error {
        #[cfg(not(parown_kernel_before_7_3))]
        return kernel::error::code::EALREADY;
        #[cfg(parown_kernel_before_7_3)]
        return from_bindings(kernel::bindings::EALREADY);
    }

    /// `ENOSYS` (in `kernel::error::code` from 7.3 on).
    #[inline]
    pub(crate) fn enosys() -> Error {
        #[cfg(not(parown_kernel_before_7_3))]
        return kernel::error::code::ENOSYS;
        #[cfg(parown_kernel_before_7_3)]
        return from_bindings(kernel::bindings::ENOSYS);
    }

    /// `ENODATA` (in `kernel::error::code` from 7.3 on).
    #[inline]
    pub(crate) fn enodata() -> Error {
        #[cfg(not(parown_kernel_before_7_3))]
        return kernel::error::code::ENODATA;
        #[cfg(parown_kernel_before_7_3)]
        return from_bindings(kernel::bindings::ENODATA);
    }

    /// `EOPNOTSUPP` (in `kernel::error::code` from 7.3 on).
    #[inline]
    pub(crate) fn eopnotsupp() -> Error {
        #[cfg(not(parown_kernel_before_7_3))]
        return kernel::error::code::EOPNOTSUPP;
        #[cfg(parown_kernel_before_7_3)]
        return from_bindings(kernel::bindings::EOPNOTSUPP);
    }

    /// An errno constant of the C headers; these are small and positive,
    /// so the conversion and `from_errno` cannot fail.
    #[cfg(parown_kernel_before_7_3)]
    fn from_bindings(errno: u32) -> Error {
        Error::from_errno(-(errno as i32))
    }
}

/// A module parameter's value: 7.2's `value()` returns a reference, 7.3's
/// a copy. Both borrow as the value's type.
#[inline]
pub(crate) fn param<T: Copy>(value: impl Borrow<T>) -> T {
    *value.borrow()
}

/// A spinlock that may be taken with interrupts off: `SpinLockIrq` where
/// the kernel has it (7.3 on). 7.2 lacks it; the simulator's lock is never
/// taken from an interrupt handler, so a plain `SpinLock` is correct there,
/// only without the lock debugging's stricter check.
#[cfg(not(parown_kernel_before_7_3))]
pub(crate) use kernel::{
    new_spinlock_irq as new_irq_spinlock,
    sync::SpinLockIrq as IrqSpinLock, //
};

// Before 7.3: see above.
#[cfg(parown_kernel_before_7_3)]
pub(crate) use kernel::{
    new_spinlock as new_irq_spinlock,
    sync::SpinLock as IrqSpinLock, //
};
