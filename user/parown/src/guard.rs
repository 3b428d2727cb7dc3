// SPDX-License-Identifier: GPL-2.0

//! The guards of a client's ownership: they give the port back when
//! dropped, and drive it meanwhile (they dereference to [`Owned`]).

use crate::{
    request,
    sys,
    Device,
    Owned,
    Port,
    Result, //
};
use core::ops::Deref;

/// The port, owned: freed when dropped. Drive it through [`Owned`]'s
/// methods, which the guard dereferences to.
#[derive(Debug)]
#[must_use = "the port is freed as soon as the guard is dropped"]
pub struct Allocation<'a> {
    owned: Owned<'a>,
}

impl<'a> Allocation<'a> {
    /// The guard of the ownership `port`'s client has.
    pub(crate) fn new(port: &'a Port) -> Self {
        Self {
            owned: Owned::new(port),
        }
    }

    /// `PPYIELD`: if another client or driver waits for the port, passes
    /// it to the longest waiter and returns once the client owns it
    /// again, queued behind everyone who waited before; otherwise returns
    /// at once, still owner. The port's lines and mode may have changed
    /// meanwhile. After [`Error::Interrupted`](crate::Error::Interrupted)
    /// (a signal during the wait, never restarted) the client owns
    /// nothing: drop the guard and allocate again.
    pub fn yield_port(&self) -> Result<()> {
        request::plain(self.port(), sys::ppyield)
    }

    /// Frees the port now, saying whether FREE succeeded (dropping the
    /// guard frees it too, but cannot report an error).
    pub fn free(self) -> Result<()> {
        let port = self.port();
        core::mem::forget(self);
        port.free()
    }

    /// Keeps the port owned after the guard goes: the client frees it
    /// itself ([`Port::free`], [`Port::adopt`]), or by closing.
    pub fn keep(self) {
        core::mem::forget(self);
    }
}

impl<'a> Deref for Allocation<'a> {
    type Target = Owned<'a>;

    fn deref(&self) -> &Owned<'a> {
        &self.owned
    }
}

impl Drop for Allocation<'_> {
    fn drop(&mut self) {
        let _ = self.port().free();
    }
}

/// The port, owned, with a device locked: unlocked and freed when dropped.
/// Drive it through [`Owned`]'s methods, which the guard dereferences to;
/// the transfers reach the locked device.
#[derive(Debug)]
#[must_use = "the device is unlocked as soon as the guard is dropped"]
pub struct Locked<'a> {
    owned: Owned<'a>,
    device: Device,
}

impl<'a> Locked<'a> {
    /// The guard of `device`, which `port`'s client has locked.
    pub(crate) fn new(port: &'a Port, device: Device) -> Self {
        Self {
            owned: Owned::new(port),
            device,
        }
    }

    /// The device locked.
    pub fn device(&self) -> Device {
        self.device
    }

    /// UNLOCK_PORT now, saying whether it succeeded.
    pub fn unlock(self) -> Result<()> {
        let (port, device) = (self.port(), self.device);
        core::mem::forget(self);
        port.unlock(device)
    }

    /// Keeps the device locked after the guard goes: the client unlocks
    /// it itself ([`Port::unlock`], [`Port::adopt_lock`]), or by closing.
    pub fn keep(self) {
        core::mem::forget(self);
    }
}

impl<'a> Deref for Locked<'a> {
    type Target = Owned<'a>;

    fn deref(&self) -> &Owned<'a> {
        &self.owned
    }
}

impl Drop for Locked<'_> {
    fn drop(&mut self) {
        let _ = self.port().unlock(self.device);
    }
}
