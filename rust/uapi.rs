// SPDX-License-Identifier: GPL-2.0

//! The user-space ABI: ioctl numbers and structures.
//!
//! C header: `include/uapi/linux/parown.h`. The host tests compile a probe
//! against that header and compare every number, size and offset with
//! this file; the module encodes the ioctl numbers with the kernel's own
//! `_IO*` (see below).
//!
//! Structures are read and written as byte arrays in native byte order,
//! field by field, so no `unsafe` transmutation is needed.

/// The ioctl type byte.
pub(crate) const IOC_MAGIC: u32 = 0xB9;

// How an ioctl number is encoded differs between architectures (powerpc,
// mips, sparc, alpha and parisc have their own direction bits and size
// width), so the module takes the kernel's own `_IO*`, built from the
// architecture's constants. The host tests, which check these numbers
// against the C header compiled for x86-64 and i386, have no kernel
// crate: they use the asm-generic encoding, which is those
// architectures'. This is the only place that tells the two apart.
#[cfg(test)]
use generic_ioctl::{
    _IO,
    _IOR,
    _IOW,
    _IOWR, //
};
#[cfg(not(test))]
use kernel::ioctl::{
    _IO,
    _IOR,
    _IOW,
    _IOWR, //
};

/// `_IO*()` as in `include/uapi/asm-generic/ioctl.h`, for the host tests
/// only (see above).
#[cfg(test)]
#[allow(non_snake_case)]
mod generic_ioctl {
    const IOC_NONE: u32 = 0;
    const IOC_WRITE: u32 = 1;
    const IOC_READ: u32 = 2;

    const fn ioc(dir: u32, ty: u32, nr: u32, size: usize) -> u32 {
        (dir << 30) | ((size as u32) << 16) | (ty << 8) | nr
    }

    pub(super) const fn _IO(ty: u32, nr: u32) -> u32 {
        ioc(IOC_NONE, ty, nr, 0)
    }

    pub(super) const fn _IOR<T>(ty: u32, nr: u32) -> u32 {
        ioc(IOC_READ, ty, nr, core::mem::size_of::<T>())
    }

    pub(super) const fn _IOW<T>(ty: u32, nr: u32) -> u32 {
        ioc(IOC_WRITE, ty, nr, core::mem::size_of::<T>())
    }

    pub(super) const fn _IOWR<T>(ty: u32, nr: u32) -> u32 {
        ioc(IOC_READ | IOC_WRITE, ty, nr, core::mem::size_of::<T>())
    }
}

/// ppdev's ioctls, which parown's nodes answer too.
#[path = "uapi/ppdev.rs"]
pub(crate) mod ppdev;

/// `PAROWN_ALLOCATE`.
pub(crate) const ALLOCATE: u32 = _IOW::<[u8; Allocate::SIZE]>(IOC_MAGIC, 0x01);
/// `PAROWN_TRY_ALLOCATE`.
pub(crate) const TRY_ALLOCATE: u32 = _IO(IOC_MAGIC, 0x02);
/// `PAROWN_FREE`.
pub(crate) const FREE: u32 = _IO(IOC_MAGIC, 0x03);
/// `PAROWN_QUERY_WAITERS`.
pub(crate) const QUERY_WAITERS: u32 = _IOR::<u32>(IOC_MAGIC, 0x04);
/// `PAROWN_GET_PORT_INFO`.
pub(crate) const GET_PORT_INFO: u32 = _IOR::<[u8; PortInfo::SIZE]>(IOC_MAGIC, 0x05);

/// `PAROWN_LOCK_PORT`.
pub(crate) const LOCK_PORT: u32 = _IOW::<[u8; Device::SIZE]>(IOC_MAGIC, 0x06);
/// `PAROWN_UNLOCK_PORT`.
pub(crate) const UNLOCK_PORT: u32 = _IOW::<[u8; Device::SIZE]>(IOC_MAGIC, 0x07);
/// `PAROWN_LOCK_PORT_NO_SELECT`.
pub(crate) const LOCK_PORT_NO_SELECT: u32 = _IOW::<[u8; Device::SIZE]>(IOC_MAGIC, 0x08);
/// `PAROWN_UNLOCK_PORT_NO_DESELECT`.
pub(crate) const UNLOCK_PORT_NO_DESELECT: u32 = _IOW::<[u8; Device::SIZE]>(IOC_MAGIC, 0x09);
/// `PAROWN_SELECT_DEVICE`.
pub(crate) const SELECT_DEVICE: u32 = _IOW::<[u8; Device::SIZE]>(IOC_MAGIC, 0x0a);
/// `PAROWN_DESELECT_DEVICE`.
pub(crate) const DESELECT_DEVICE: u32 = _IOW::<[u8; Device::SIZE]>(IOC_MAGIC, 0x0b);
/// `PAROWN_INIT_1284_3_BUS`.
pub(crate) const INIT_1284_3_BUS: u32 = _IOR::<u32>(IOC_MAGIC, 0x0c);

/// `PAROWN_GET_DEVICE_ID`.
pub(crate) const GET_DEVICE_ID: u32 = _IOWR::<[u8; DeviceId::SIZE]>(IOC_MAGIC, 0x0d);

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

/// `struct parown_device_id`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct DeviceId {
    /// The daisy-chain address.
    pub(crate) device: u32,
    /// `PAROWN_END_OF_CHAIN_DEVICE`, `PAROWN_HAVE_PORT_KEEP_PORT`.
    pub(crate) flags: u32,
    /// Milliseconds to wait for the port at most; 0 waits without limit.
    pub(crate) timeout_ms: u32,
    /// Bytes at `buffer`.
    pub(crate) size: u32,
    /// The user pointer of the buffer.
    pub(crate) buffer: u64,
    /// Out: the length of the Device ID.
    pub(crate) length: u32,
    /// Must be 0.
    pub(crate) reserved: u32,
}

impl DeviceId {
    /// Size of the C structure.
    pub(crate) const SIZE: usize = 32;

    /// Decodes the structure as user space laid it out.
    pub(crate) fn from_bytes(b: [u8; Self::SIZE]) -> Self {
        let word = |at: usize| u32::from_ne_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
        Self {
            device: word(0),
            flags: word(4),
            timeout_ms: word(8),
            size: word(12),
            buffer: u64::from_ne_bytes([b[16], b[17], b[18], b[19], b[20], b[21], b[22], b[23]]),
            length: word(24),
            reserved: word(28),
        }
    }

    /// Encodes the structure as user space lays it out.
    pub(crate) fn to_bytes(self) -> [u8; Self::SIZE] {
        let mut out = [0u8; Self::SIZE];
        out[0..4].copy_from_slice(&self.device.to_ne_bytes());
        out[4..8].copy_from_slice(&self.flags.to_ne_bytes());
        out[8..12].copy_from_slice(&self.timeout_ms.to_ne_bytes());
        out[12..16].copy_from_slice(&self.size.to_ne_bytes());
        out[16..24].copy_from_slice(&self.buffer.to_ne_bytes());
        out[24..28].copy_from_slice(&self.length.to_ne_bytes());
        out[28..32].copy_from_slice(&self.reserved.to_ne_bytes());
        out
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
