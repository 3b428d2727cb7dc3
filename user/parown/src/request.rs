// SPDX-License-Identifier: GPL-2.0

//! A request on a port, through the ioctl functions `nix` generates in
//! [`crate::sys`]: the one place their `unsafe` is, for the three shapes
//! of argument (none, a `T` the kernel reads, a `T` it writes), and their
//! errno turned into [`Error`](crate::Error).

use crate::{
    error::check,
    Port,
    Result, //
};

/// A request without an argument.
pub(crate) type Plain = unsafe fn(i32) -> nix::Result<i32>;
/// A request that writes a `T` out.
pub(crate) type Getter<T> = unsafe fn(i32, *mut T) -> nix::Result<i32>;
/// A request that reads a `T` in.
pub(crate) type Setter<T> = unsafe fn(i32, *const T) -> nix::Result<i32>;

/// Runs `ioctl` on `port`.
pub(crate) fn plain(port: &Port, ioctl: Plain) -> Result<()> {
    // SAFETY: a `Plain` request takes no argument.
    check(unsafe { ioctl(port.fd()) }).map(drop)
}

/// Runs `ioctl` on `port`; the `T` it wrote.
pub(crate) fn get<T: Default>(port: &Port, ioctl: Getter<T>) -> Result<T> {
    let mut out = T::default();
    // SAFETY: a `Getter<T>` request's argument is a `T` to write (its
    // number encodes `T`'s size), and `out` is one.
    check(unsafe { ioctl(port.fd(), &mut out) })?;
    Ok(out)
}

/// Runs `ioctl` on `port` with `arg`.
pub(crate) fn set<T>(port: &Port, ioctl: Setter<T>, arg: &T) -> Result<()> {
    // SAFETY: a `Setter<T>` request's argument is a `T` to read, and
    // `arg` is one.
    check(unsafe { ioctl(port.fd(), arg) }).map(drop)
}
