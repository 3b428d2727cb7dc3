// SPDX-License-Identifier: GPL-2.0

//! The one place that turns parown's internal refusals into errnos.
//!
//! The plain-Rust modules say why something failed in their own terms
//! ([`Refusal`], [`BadDevice`], [`Short`], [`Failure`], [`Negotiation`],
//! [`IdFailure`], [`NotRun`]); the port turns
//! them into the errnos of the contract in `Documentation/parown.rst`
//! here, with `?`.

use crate::{
    compat::Short,
    hw_transfer::NotRun,
    ieee1284::{
        IdFailure,
        Negotiation, //
    },
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

/// PPNEGOT's errors, as ppdev maps `parport_negotiate()`'s results.
impl From<Negotiation> for Error {
    fn from(n: Negotiation) -> Self {
        match n {
            // Not an error; never converted (see `port/transfer.rs`).
            Negotiation::Accepted => EINVAL,
            Negotiation::NotCompliant => EIO,
            Negotiation::Refused => ENXIO,
            Negotiation::Unsupported => code::enosys(),
        }
    }
}

/// Why a Device ID could not be read.
impl From<IdFailure> for Error {
    fn from(failure: IdFailure) -> Self {
        match failure {
            // The device speaks IEEE 1284 but sends no Device ID.
            IdFailure::Negotiation(Negotiation::Refused) => code::enodata(),
            IdFailure::Negotiation(n) => n.into(),
            IdFailure::BadLength => EIO,
        }
    }
}

/// Why a `read()` or `write()` in the owner's mode is not run.
impl From<NotRun> for Error {
    fn from(not_run: NotRun) -> Self {
        match not_run {
            NotRun::Unsupported => code::eopnotsupp(),
            NotRun::UnknownMode => code::enosys(),
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
