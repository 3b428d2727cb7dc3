// SPDX-License-Identifier: GPL-2.0

//! The raw ABI: `include/uapi/linux/parown.h`'s structures, flags and
//! ioctls, as `nix` defines ioctls. `tests/abi.rs` compares every number
//! with the C header's.

/// The ioctl type of parown's requests.
pub const PAROWN_IOC_MAGIC: u8 = 0xB9;

/// In [`PortInfo::flags`]: a parown client owns the port...
pub const PAROWN_PORT_OWNED: u32 = 1 << 0;
/// ... and it is the caller.
pub const PAROWN_PORT_OWNED_BY_ME: u32 = 1 << 1;

/// In [`ParownDevice::flags`]: the device at the end of the chain.
pub const PAROWN_END_OF_CHAIN_DEVICE: u32 = 1 << 0;
/// In [`ParownDevice::flags`]: the caller owns the port already and keeps
/// it.
pub const PAROWN_HAVE_PORT_KEEP_PORT: u32 = 1 << 1;

/// `struct parown_allocate`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ParownAllocate {
    pub timeout_ms: u32,
    pub flags: u32,
}

/// `struct parown_port_info`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ParownPortInfo {
    pub port: u32,
    pub flags: u32,
    pub base: u64,
    pub base_hi: u64,
    pub irq: i32,
    pub dma: i32,
    pub modes: u32,
    pub ieee1284_3_devices: u32,
    pub reserved: [u32; 8],
}

/// `struct parown_device`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ParownDevice {
    pub device: u32,
    pub flags: u32,
    pub timeout_ms: u32,
    pub reserved: u32,
}

/// `struct parown_device_id`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ParownDeviceId {
    pub device: u32,
    pub flags: u32,
    pub timeout_ms: u32,
    pub size: u32,
    pub buffer: u64,
    pub length: u32,
    pub reserved: u32,
}

nix::ioctl_write_ptr!(parown_allocate, PAROWN_IOC_MAGIC, 0x01, ParownAllocate);
nix::ioctl_none!(parown_try_allocate, PAROWN_IOC_MAGIC, 0x02);
nix::ioctl_none!(parown_free, PAROWN_IOC_MAGIC, 0x03);
nix::ioctl_read!(parown_query_waiters, PAROWN_IOC_MAGIC, 0x04, u32);
nix::ioctl_read!(parown_get_port_info, PAROWN_IOC_MAGIC, 0x05, ParownPortInfo);
nix::ioctl_write_ptr!(parown_lock_port, PAROWN_IOC_MAGIC, 0x06, ParownDevice);
nix::ioctl_write_ptr!(parown_unlock_port, PAROWN_IOC_MAGIC, 0x07, ParownDevice);
nix::ioctl_write_ptr!(
    parown_lock_port_no_select,
    PAROWN_IOC_MAGIC,
    0x08,
    ParownDevice
);
nix::ioctl_write_ptr!(
    parown_unlock_port_no_deselect,
    PAROWN_IOC_MAGIC,
    0x09,
    ParownDevice
);
nix::ioctl_write_ptr!(parown_select_device, PAROWN_IOC_MAGIC, 0x0a, ParownDevice);
nix::ioctl_write_ptr!(parown_deselect_device, PAROWN_IOC_MAGIC, 0x0b, ParownDevice);
nix::ioctl_read!(parown_init_1284_3_bus, PAROWN_IOC_MAGIC, 0x0c, u32);
nix::ioctl_readwrite!(parown_get_device_id, PAROWN_IOC_MAGIC, 0x0d, ParownDeviceId);

/// The ioctl numbers, by the header's names, for the ABI test.
pub const REQUESTS: [(&str, nix::sys::ioctl::ioctl_num_type); 13] = {
    use core::mem::size_of;
    use nix::{
        request_code_none,
        request_code_read,
        request_code_readwrite,
        request_code_write, //
    };
    let m = PAROWN_IOC_MAGIC;
    [
        (
            "PAROWN_ALLOCATE",
            request_code_write!(m, 0x01, size_of::<ParownAllocate>()) as u64,
        ),
        ("PAROWN_TRY_ALLOCATE", request_code_none!(m, 0x02)),
        ("PAROWN_FREE", request_code_none!(m, 0x03)),
        (
            "PAROWN_QUERY_WAITERS",
            request_code_read!(m, 0x04, size_of::<u32>()) as u64,
        ),
        (
            "PAROWN_GET_PORT_INFO",
            request_code_read!(m, 0x05, size_of::<ParownPortInfo>()) as u64,
        ),
        (
            "PAROWN_LOCK_PORT",
            request_code_write!(m, 0x06, size_of::<ParownDevice>()) as u64,
        ),
        (
            "PAROWN_UNLOCK_PORT",
            request_code_write!(m, 0x07, size_of::<ParownDevice>()) as u64,
        ),
        (
            "PAROWN_LOCK_PORT_NO_SELECT",
            request_code_write!(m, 0x08, size_of::<ParownDevice>()) as u64,
        ),
        (
            "PAROWN_UNLOCK_PORT_NO_DESELECT",
            request_code_write!(m, 0x09, size_of::<ParownDevice>()) as u64,
        ),
        (
            "PAROWN_SELECT_DEVICE",
            request_code_write!(m, 0x0a, size_of::<ParownDevice>()) as u64,
        ),
        (
            "PAROWN_DESELECT_DEVICE",
            request_code_write!(m, 0x0b, size_of::<ParownDevice>()) as u64,
        ),
        (
            "PAROWN_INIT_1284_3_BUS",
            request_code_read!(m, 0x0c, size_of::<u32>()) as u64,
        ),
        (
            "PAROWN_GET_DEVICE_ID",
            request_code_readwrite!(m, 0x0d, size_of::<ParownDeviceId>()) as u64,
        ),
    ]
};
