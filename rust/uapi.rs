// SPDX-License-Identifier: GPL-2.0

//! The user-space ABI: ioctl numbers and structures.
//!
//! C header: `include/uapi/linux/parown.h`. The host tests compile a probe
//! against that header and compare every number, size and offset with
//! this file; the kernel build checks the ioctl numbers against the
//! kernel's own encoding.
//!
//! Structures are read and written as byte arrays in native byte order,
//! field by field, so no `unsafe` transmutation is needed.

/// The ioctl type byte.
pub(crate) const IOC_MAGIC: u32 = 0xB9;

const IOC_NONE: u32 = 0;
const IOC_WRITE: u32 = 1;
const IOC_READ: u32 = 2;

/// `_IOC()` as in `include/uapi/asm-generic/ioctl.h`.
const fn ioc(dir: u32, nr: u32, size: usize) -> u32 {
    (dir << 30) | ((size as u32) << 16) | (IOC_MAGIC << 8) | nr
}

/// `PAROWN_ALLOCATE`.
pub(crate) const ALLOCATE: u32 = ioc(IOC_WRITE, 0x01, Allocate::SIZE);
/// `PAROWN_TRY_ALLOCATE`.
pub(crate) const TRY_ALLOCATE: u32 = ioc(IOC_NONE, 0x02, 0);
/// `PAROWN_FREE`.
pub(crate) const FREE: u32 = ioc(IOC_NONE, 0x03, 0);
/// `PAROWN_QUERY_WAITERS`.
pub(crate) const QUERY_WAITERS: u32 = ioc(IOC_READ, 0x04, 4);
/// `PAROWN_GET_PORT_INFO`.
pub(crate) const GET_PORT_INFO: u32 = ioc(IOC_READ, 0x05, PortInfo::SIZE);

/// `PAROWN_LOCK_PORT`.
pub(crate) const LOCK_PORT: u32 = ioc(IOC_WRITE, 0x06, Device::SIZE);
/// `PAROWN_UNLOCK_PORT`.
pub(crate) const UNLOCK_PORT: u32 = ioc(IOC_WRITE, 0x07, Device::SIZE);
/// `PAROWN_LOCK_PORT_NO_SELECT`.
pub(crate) const LOCK_PORT_NO_SELECT: u32 = ioc(IOC_WRITE, 0x08, Device::SIZE);
/// `PAROWN_UNLOCK_PORT_NO_DESELECT`.
pub(crate) const UNLOCK_PORT_NO_DESELECT: u32 = ioc(IOC_WRITE, 0x09, Device::SIZE);
/// `PAROWN_SELECT_DEVICE`.
pub(crate) const SELECT_DEVICE: u32 = ioc(IOC_WRITE, 0x0a, Device::SIZE);
/// `PAROWN_DESELECT_DEVICE`.
pub(crate) const DESELECT_DEVICE: u32 = ioc(IOC_WRITE, 0x0b, Device::SIZE);
/// `PAROWN_INIT_1284_3_BUS`.
pub(crate) const INIT_1284_3_BUS: u32 = ioc(IOC_READ, 0x0c, 4);

/// `PAROWN_PORT_OWNED`.
pub(crate) const PORT_OWNED: u32 = 1 << 0;
/// `PAROWN_PORT_OWNED_BY_ME`.
pub(crate) const PORT_OWNED_BY_ME: u32 = 1 << 1;

/// `struct parown_allocate`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Allocate {
    /// Milliseconds to wait at most; 0 waits without limit.
    pub(crate) timeout_ms: u32,
    /// Must be 0.
    pub(crate) flags: u32,
}

impl Allocate {
    /// Size of the C structure.
    pub(crate) const SIZE: usize = 8;

    /// Decodes the structure as user space laid it out.
    pub(crate) fn from_words(words: [u32; 2]) -> Self {
        Self {
            timeout_ms: words[0],
            flags: words[1],
        }
    }
}

/// `struct parown_device`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Device {
    /// The daisy-chain address.
    pub(crate) device: u32,
    /// `PAROWN_END_OF_CHAIN_DEVICE`, `PAROWN_HAVE_PORT_KEEP_PORT`.
    pub(crate) flags: u32,
    /// Milliseconds to wait for the port at most; 0 waits without limit.
    pub(crate) timeout_ms: u32,
    /// Must be 0.
    pub(crate) reserved: u32,
}

impl Device {
    /// Size of the C structure.
    pub(crate) const SIZE: usize = 16;

    /// Decodes the structure as user space laid it out.
    pub(crate) fn from_words(words: [u32; 4]) -> Self {
        Self {
            device: words[0],
            flags: words[1],
            timeout_ms: words[2],
            reserved: words[3],
        }
    }
}

/// `struct parown_port_info`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct PortInfo {
    /// N of parportN.
    pub(crate) port: u32,
    /// `PAROWN_PORT_*` bits.
    pub(crate) flags: u32,
    /// Base I/O address.
    pub(crate) base: u64,
    /// ECP register base, 0 if none.
    pub(crate) base_hi: u64,
    /// IRQ line, -1 if none.
    pub(crate) irq: i32,
    /// DMA channel, -1 if none.
    pub(crate) dma: i32,
    /// `PARPORT_MODE_*` bits.
    pub(crate) modes: u32,
    /// IEEE 1284.3 daisy-chain devices known.
    pub(crate) ieee1284_3_devices: u32,
}

impl PortInfo {
    /// Size of the C structure, including its reserved words.
    pub(crate) const SIZE: usize = 72;

    /// Encodes the structure as user space expects it, reserved words zero.
    pub(crate) fn to_bytes(self) -> [u8; Self::SIZE] {
        let mut out = [0u8; Self::SIZE];
        out[0..4].copy_from_slice(&self.port.to_ne_bytes());
        out[4..8].copy_from_slice(&self.flags.to_ne_bytes());
        out[8..16].copy_from_slice(&self.base.to_ne_bytes());
        out[16..24].copy_from_slice(&self.base_hi.to_ne_bytes());
        out[24..28].copy_from_slice(&self.irq.to_ne_bytes());
        out[28..32].copy_from_slice(&self.dma.to_ne_bytes());
        out[32..36].copy_from_slice(&self.modes.to_ne_bytes());
        out[36..40].copy_from_slice(&self.ieee1284_3_devices.to_ne_bytes());
        out
    }
}

// The path works for both the kernel crate and the host crate; see
// `ownership.rs`.
#[cfg(test)]
#[path = "uapi/tests.rs"]
mod tests;
