// SPDX-License-Identifier: GPL-2.0

//! A client of one port: an open `/dev/parownN`.

use crate::{
    error::check,
    request,
    sys,
    Allocation,
    Error,
    Locked,
    Result, //
};
use std::{
    fs::{
        File,
        OpenOptions, //
    },
    os::fd::{
        AsFd,
        AsRawFd,
        BorrowedFd,
        OwnedFd, //
    },
    time::Duration,
};

/// The parown ports this machine has (the `/dev/parownN` nodes), in
/// order.
pub fn ports() -> Result<Vec<u32>> {
    numbered("/dev", "parown")
}

/// The numbers N of the entries `<prefix>N` of `dir`, in order.
pub(crate) fn numbered(dir: &str, prefix: &str) -> Result<Vec<u32>> {
    let mut numbers: Vec<u32> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            entry
                .file_name()
                .to_str()?
                .strip_prefix(prefix)?
                .parse()
                .ok()
        })
        .collect();
    numbers.sort_unstable();
    Ok(numbers)
}

/// A device on the port's IEEE 1284.3 daisy chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Device {
    /// The daisy-chain device at this address (0 to 3).
    Daisy(u32),
    /// The device at the end of the chain (on a port without a chain, the
    /// peripheral itself).
    EndOfChain,
}

impl Device {
    /// `struct parown_device`'s `device` and `flags` for the device.
    fn raw(self) -> (u32, u32) {
        match self {
            Device::Daisy(addr) => (addr, 0),
            Device::EndOfChain => (0, sys::PAROWN_END_OF_CHAIN_DEVICE),
        }
    }
}

/// What GET_PORT_INFO says of a port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PortInfo {
    /// The parport number, N in `/dev/parownN`.
    pub port: u32,
    /// A parown client owns the port.
    pub owned: bool,
    /// The caller's client owns it.
    pub owned_by_me: bool,
    /// The base I/O address.
    pub base: u64,
    /// The ECP registers' base address, 0 without them.
    pub base_hi: u64,
    /// The interrupt line, negative for none.
    pub irq: i32,
    /// The DMA channel, negative for none.
    pub dma: i32,
    /// The parport core's `PARPORT_MODE_*` bits.
    pub modes: u32,
    /// The IEEE 1284.3 daisy-chain devices found.
    pub ieee1284_3_devices: u32,
}

/// The ABI's timeout: milliseconds, 0 for none; at least 1 ms for a
/// timeout that is not `None`, and at most `u32::MAX` ms.
fn timeout_ms(timeout: Option<Duration>) -> u32 {
    match timeout {
        None => 0,
        Some(t) => u32::try_from(t.as_millis()).unwrap_or(u32::MAX).max(1),
    }
}

/// A client of one port: an open `/dev/parownN`. Several threads may share
/// it, as they may share the file.
#[derive(Debug)]
pub struct Port {
    file: File,
}

impl Port {
    /// Opens `/dev/parown<number>`.
    pub fn open(number: u32) -> Result<Self> {
        Self::open_path(&format!("/dev/parown{number}"))
    }

    /// Opens a parown node by its path.
    pub fn open_path(path: &str) -> Result<Self> {
        let file = OpenOptions::new().read(true).write(true).open(path)?;
        Ok(Self { file })
    }

    /// Takes an open `/dev/parownN` file, such as one a parent process
    /// passed down: the same client, with the ownership, place in the
    /// queue and ppdev state of that open file (see [`Port::adopt`]).
    /// Nothing checks what the file is: requests on another file fail.
    pub fn from_fd(fd: OwnedFd) -> Self {
        Self {
            file: File::from(fd),
        }
    }

    /// The file's descriptor, for `ioctl`.
    pub(crate) fn fd(&self) -> i32 {
        self.file.as_raw_fd()
    }

    /// The open file, for `std::io` (`io::copy` into the port...): its
    /// `read()` and `write()` are [`Owned::read`] and [`Owned::write`],
    /// without a guard (a non-owner's are [`Error::NotOwner`]).
    ///
    /// [`Owned::read`]: crate::Owned::read
    /// [`Owned::write`]: crate::Owned::write
    pub fn as_file(&self) -> &File {
        &self.file
    }

    /// ALLOCATE: waits in arrival order until the client owns the port, at
    /// most `timeout` (`None`: as long as it takes). The port is freed when
    /// the returned guard is dropped.
    pub fn allocate(&self, timeout: Option<Duration>) -> Result<Allocation<'_>> {
        let req = sys::ParownAllocate {
            timeout_ms: timeout_ms(timeout),
            flags: 0,
        };
        request::set(self, sys::parown_allocate, &req)?;
        Ok(Allocation::new(self))
    }

    /// TRY_ALLOCATE: owns the port at once if nobody owns it or waits for
    /// it; [`Error::Busy`] otherwise.
    pub fn try_allocate(&self) -> Result<Allocation<'_>> {
        request::plain(self, sys::parown_try_allocate)?;
        Ok(Allocation::new(self))
    }

    /// A guard for the ownership the client has already, taken without
    /// one: through [`Allocation::keep`], `PPCLAIM`, or by the process
    /// that passed the file down ([`Port::from_fd`]). [`Error::NotOwner`]
    /// if the client does not own the port. The guard frees the port when
    /// dropped (FREE leaves a selected device selected).
    pub fn adopt(&self) -> Result<Allocation<'_>> {
        if !self.info()?.owned_by_me {
            return Err(Error::NotOwner);
        }
        Ok(Allocation::new(self))
    }

    /// A guard for a lock of `device` the client holds already, taken
    /// without one: through [`Locked::keep`], or by the process that
    /// passed the file down. [`Error::NotOwner`] if the client does not
    /// own the port. Which device is locked is not checked (no request
    /// tells): for another, the guard's UNLOCK_PORT fails and the port
    /// stays owned.
    pub fn adopt_lock(&self, device: Device) -> Result<Locked<'_>> {
        if !self.info()?.owned_by_me {
            return Err(Error::NotOwner);
        }
        Ok(Locked::new(self, device))
    }

    /// LOCK_PORT: allocates the port and selects `device` on its chain. The
    /// device is unlocked (deselected) and the port freed when the guard is
    /// dropped.
    pub fn lock(&self, device: Device, timeout: Option<Duration>) -> Result<Locked<'_>> {
        let req = Self::device_request(device, timeout_ms(timeout));
        request::set(self, sys::parown_lock_port, &req)?;
        Ok(Locked::new(self, device))
    }

    /// `struct parown_device` for a request on `device`.
    fn device_request(device: Device, timeout_ms: u32) -> sys::ParownDevice {
        let (device, flags) = device.raw();
        sys::ParownDevice {
            device,
            flags,
            timeout_ms,
            reserved: 0,
        }
    }

    /// FREE, for a client that owns the port without a guard here (through
    /// another handle of the same file, or a guard it forgot).
    pub fn free(&self) -> Result<()> {
        request::plain(self, sys::parown_free)
    }

    /// UNLOCK_PORT, for a client that locked `device` without a guard
    /// here ([`Locked::keep`], [`Port::from_fd`]): deselects it and frees
    /// the port. [`Error::NotOwner`] if the client does not own the port
    /// or `device` is not the one locked.
    pub fn unlock(&self, device: Device) -> Result<()> {
        let req = Self::device_request(device, 0);
        request::set(self, sys::parown_unlock_port, &req)
    }

    /// QUERY_WAITERS: the number of clients waiting for the port.
    pub fn waiters(&self) -> Result<u32> {
        request::get(self, sys::parown_query_waiters)
    }

    /// GET_PORT_INFO.
    pub fn info(&self) -> Result<PortInfo> {
        let raw = request::get(self, sys::parown_get_port_info)?;
        Ok(PortInfo {
            port: raw.port,
            owned: raw.flags & sys::PAROWN_PORT_OWNED != 0,
            owned_by_me: raw.flags & sys::PAROWN_PORT_OWNED_BY_ME != 0,
            base: raw.base,
            base_hi: raw.base_hi,
            irq: raw.irq,
            dma: raw.dma,
            modes: raw.modes,
            ieee1284_3_devices: raw.ieee1284_3_devices,
        })
    }

    /// INIT_1284_3_BUS: enumerates the daisy chain again; the number of
    /// devices found. A client that does not own the port waits for it.
    pub fn init_bus(&self) -> Result<u32> {
        request::get(self, sys::parown_init_1284_3_bus)
    }

    /// GET_DEVICE_ID: the IEEE 1284 Device ID of `device` (without its
    /// two length bytes), waiting at most `timeout` for the port.
    pub fn device_id(&self, device: Device, timeout: Option<Duration>) -> Result<Vec<u8>> {
        // The longest ID GET_DEVICE_ID reads (4095 bytes), and its NUL.
        let mut buf = vec![0u8; 4096];
        let (dev, flags) = device.raw();
        let mut req = sys::ParownDeviceId {
            device: dev,
            flags,
            timeout_ms: timeout_ms(timeout),
            size: buf.len() as u32,
            buffer: buf.as_mut_ptr() as u64,
            length: 0,
            reserved: 0,
        };
        // SAFETY: `req` is a valid `struct parown_device_id` whose buffer
        // is `buf`, writable for `size` bytes, for the call.
        check(unsafe { sys::parown_get_device_id(self.fd(), &mut req) })?;
        buf.truncate((req.length as usize).min(buf.len()));
        // The ID's text ends at its NUL.
        if let Some(end) = buf.iter().position(|&b| b == 0) {
            buf.truncate(end);
        }
        Ok(buf)
    }
}

/// The open file's descriptor: to `poll()` it (readable while the owner's
/// interrupt count is not zero), or to pass it to another process.
impl AsFd for Port {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.file.as_fd()
    }
}
