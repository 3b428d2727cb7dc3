// SPDX-License-Identifier: GPL-2.0

//! The one place that turns parown's internal refusals into errnos.
//!
//! The plain-Rust modules say why something failed in their own terms
//! ([`Refusal`], [`BadDevice`], [`Short`], [`Failure`]); the port turns
//! them into the errnos of the contract in `Documentation/parown.rst`
//! here, with `?`.

use crate::{
    compat::Short,
    ieee1284_3::Failure,
    kernel_compat::code,
    lines::Stop,
    ownership::Refusal,
    selection::BadDevice, //
};
use kernel::prelude::*;

impl From<Refusal> for Error {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::AlreadyOwner => code::edeadlk(),
            Refusal::AlreadyWaiting => code::ealready(),
            Refusal::Busy => EAGAIN,
            Refusal::NotOwner => EPERM,
            Refusal::Gone => ENODEV,
            Refusal::NoRoom => ENOMEM,
            // The port waits for the use to end rather than refuse; a
            // caller that cannot wait is told the port is busy.
            Refusal::InUse => EBUSY,
        }
    }
}

impl From<BadDevice> for Error {
    fn from(bad: BadDevice) -> Self {
        match bad {
            BadDevice::Invalid => EINVAL,
            BadDevice::Absent => ENXIO,
        }
    }
}

/// A daisy-chain device that does not answer its select or deselect.
impl From<Failure> for Error {
    fn from(_: Failure) -> Self {
        EIO
    }
}

/// Why an owner's write stopped part-way.
impl From<Short> for Error {
    fn from(short: Short) -> Self {
        match short {
            Short::Waiting(Stop::Signal) => ERESTARTSYS,
            Short::Waiting(Stop::Timeout) => ETIMEDOUT,
            Short::Waiting(Stop::Cancelled) => ENODEV,
            Short::Waiting(Stop::WouldBlock) => EAGAIN,
            Short::Fault => EIO,
        }
    }
}

/// The errno an in-kernel caller gets for `err`: a signal ends in-kernel
/// waits with `EINTR`, since there is no system call to restart.
pub(crate) fn for_in_kernel_caller(err: Error) -> Error {
    if err == ERESTARTSYS {
        EINTR
    } else {
        err
    }
}
