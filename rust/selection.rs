// SPDX-License-Identifier: GPL-2.0

//! Device selection: which device a request names, and what the owner of
//! a port has locked or selected on it.
//!
//! Windows locks a port *for a device*: LOCK_PORT allocates the port and
//! selects an IEEE 1284.3 daisy-chain device (or the end-of-chain device
//! behind the chain), UNLOCK_PORT deselects and frees. parown records the
//! owner's lock, so that only the device locked can be unlocked and a
//! client that goes away leaves nothing selected. Plain Rust, tested on
//! the host; the bus cycles are [`crate::ieee1284_3`]'s.

use crate::ieee1284_3::MAX_DEVICES;

/// `PAROWN_END_OF_CHAIN_DEVICE`: the request names the device at the end of
/// the chain; the device number is ignored.
pub(crate) const END_OF_CHAIN_DEVICE: u32 = 1 << 0;
/// `PAROWN_HAVE_PORT_KEEP_PORT`: SELECT_DEVICE by a client that owns the
/// port already; DESELECT_DEVICE that keeps the port.
pub(crate) const HAVE_PORT_KEEP_PORT: u32 = 1 << 1;

/// A device on a port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Device {
    /// The IEEE 1284.3 daisy-chain device with this address.
    Daisy(u8),
    /// The device behind the chain; selecting it deselects every daisy
    /// device, so the bus passes through to it.
    EndOfChain,
}

/// Why a request's device is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BadDevice {
    /// Out of range, or flags the request does not take (EINVAL).
    Invalid,
    /// In range, but no such device on the chain (ENXIO).
    Absent,
}

/// What the owner of a port holds beyond the port itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Lock {
    /// The device locked or selected.
    pub(crate) device: Device,
    /// Whether parown selected it on the bus (LOCK_PORT, SELECT_DEVICE), as
    /// opposed to LOCK_PORT_NO_SELECT.
    pub(crate) selected: bool,
}

/// The selection state of one port.
///
/// # Invariants
///
/// `lock` belongs to the port's current owner; the caller clears it
/// whenever ownership ends.
#[derive(Default)]
pub(crate) struct Selection {
    /// Daisy-chain devices found by the last enumeration.
    devices: u8,
    /// The chain was enumerated at least once.
    known: bool,
    lock: Option<Lock>,
}

impl Selection {
    /// Daisy-chain devices known on the port.
    pub(crate) fn devices(&self) -> u8 {
        self.devices
    }

    /// Whether the chain was ever enumerated.
    pub(crate) fn known(&self) -> bool {
        self.known
    }

    /// The owner's lock.
    pub(crate) fn lock(&self) -> Option<Lock> {
        self.lock
    }

    /// The device a request names: `id` and `flags` as the caller gave
    /// them, `allowed` the flags this request takes.
    pub(crate) fn device(&self, id: u32, flags: u32, allowed: u32) -> Result<Device, BadDevice> {
        if flags & !allowed != 0 {
            return Err(BadDevice::Invalid);
        }
        if flags & END_OF_CHAIN_DEVICE != 0 {
            return Ok(Device::EndOfChain);
        }
        match u8::try_from(id) {
            Ok(addr) if addr < MAX_DEVICES => {
                if addr < self.devices {
                    Ok(Device::Daisy(addr))
                } else {
                    Err(BadDevice::Absent)
                }
            }
            _ => Err(BadDevice::Invalid),
        }
    }

    /// Whether putting `device` on the bus takes a bus cycle: selecting a
    /// daisy device does; selecting the end of the chain means deselecting
    /// every daisy device, which only a chain needs.
    pub(crate) fn select_needs_cycle(&self, device: Device) -> bool {
        matches!(device, Device::Daisy(_)) || self.devices > 0
    }

    /// Whether a deselect takes a bus cycle: only with a chain.
    pub(crate) fn deselect_needs_cycle(&self) -> bool {
        self.devices > 0
    }

    /// The owner locked or selected `device`.
    pub(crate) fn locked(&mut self, device: Device, selected: bool) {
        self.lock = Some(Lock { device, selected });
    }

    /// The owner asks to unlock `device`: its lock, if that is the device
    /// it locked.
    pub(crate) fn unlock_check(&self, device: Device) -> Option<Lock> {
        self.lock.filter(|lock| lock.device == device)
    }

    /// Ownership ended (free, unlock, close) or the lock was let go.
    pub(crate) fn unlocked(&mut self) {
        self.lock = None;
    }

    /// The chain was enumerated again: `devices` found, every device
    /// deselected, the owner's device perhaps at another address now.
    pub(crate) fn enumerated(&mut self, devices: u8) {
        self.devices = devices.min(MAX_DEVICES);
        self.known = true;
        if let Some(lock) = &mut self.lock {
            lock.selected = false;
        }
    }
}

// The path works for both the kernel crate and the host crate; see
// `ownership.rs`.
#[cfg(test)]
#[path = "selection/tests.rs"]
mod tests;
