// SPDX-License-Identifier: GPL-2.0

//! `/dev/parownN`, the user-space front door: an open file is a
//! [`Client`], and its ioctls and writes are decoded here into the
//! client's requests.
//!
//! The in-kernel API, [`crate::api`], is the other front door.
//!
//! ppdev's ioctls are decoded in [`ppdev`].

mod ppdev;

use crate::{
    client::Client,
    glue::misc::FileOps,
    port::Port,
    request::{
        DeviceRequest,
        Timeout, //
    },
    uapi, //
};
use kernel::{
    fs::File,
    ioctl::{
        _IO,
        _IOC_DIR,
        _IOC_NR,
        _IOC_SIZE,
        _IOC_TYPE,
        _IOR,
        _IOW, //
    },
    iov::{
        IovIterDest,
        IovIterSource, //
    },
    prelude::*,
    sync::{
        poll::PollTable,
        Arc, //
    },
    uaccess::UserSlice, //
};

// The ABI's ioctl numbers, decoded with this architecture's layout, must
// say what the C header says: direction, type, number and argument size.
// `uapi` builds them with the kernel's own encoding; a number hard-coded
// in another architecture's encoding (asm-generic on powerpc, say) fails
// here at build time.
const NONE: u32 = _IOC_DIR(_IO(0, 0));
const READ: u32 = _IOC_DIR(_IOR::<u8>(0, 0));
const WRITE: u32 = _IOC_DIR(_IOW::<u8>(0, 0));

/// Whether `cmd` decodes to direction `dir`, parown's type byte, number
/// `nr` and argument size `size`.
const fn decodes_to(cmd: u32, dir: u32, nr: u32, size: usize) -> bool {
    decodes_with_type(cmd, dir, uapi::IOC_MAGIC, nr, size)
}

/// Whether `cmd` decodes to direction `dir`, type byte `ty`, number `nr`
/// and argument size `size`.
const fn decodes_with_type(cmd: u32, dir: u32, ty: u32, nr: u32, size: usize) -> bool {
    _IOC_DIR(cmd) == dir && _IOC_TYPE(cmd) == ty && _IOC_NR(cmd) == nr && _IOC_SIZE(cmd) == size
}

/// Evaluated at build time where [`ioctl`] names it (a `const _` would do,
/// but rustc 1.85 then calls the helpers above unused).
const ABI_NUMBERS_MATCH_THE_HEADER: () = {
    assert!(decodes_to(uapi::ALLOCATE, WRITE, 0x01, 8));
    assert!(decodes_to(uapi::TRY_ALLOCATE, NONE, 0x02, 0));
    assert!(decodes_to(uapi::FREE, NONE, 0x03, 0));
    assert!(decodes_to(uapi::QUERY_WAITERS, READ, 0x04, 4));
    assert!(decodes_to(uapi::GET_PORT_INFO, READ, 0x05, 72));
    assert!(decodes_to(uapi::LOCK_PORT, WRITE, 0x06, 16));
    assert!(decodes_to(uapi::UNLOCK_PORT, WRITE, 0x07, 16));
    assert!(decodes_to(uapi::LOCK_PORT_NO_SELECT, WRITE, 0x08, 16));
    assert!(decodes_to(uapi::UNLOCK_PORT_NO_DESELECT, WRITE, 0x09, 16));
    assert!(decodes_to(uapi::SELECT_DEVICE, WRITE, 0x0a, 16));
    assert!(decodes_to(uapi::DESELECT_DEVICE, WRITE, 0x0b, 16));
    assert!(decodes_to(uapi::INIT_1284_3_BUS, READ, 0x0c, 4));
    assert!(decodes_to(uapi::GET_DEVICE_ID, READ | WRITE, 0x0d, 32));
};

impl FileOps for Client {
    type Data = Arc<Port>;

    fn open(port: &Arc<Port>, _file: &File) -> Result<Pin<KBox<Self>>> {
        Ok(KBox::pin(Self::new(port)?, GFP_KERNEL)?)
    }

    fn ioctl(this: Pin<&Self>, _file: &File, cmd: u32, arg: usize) -> Result<isize> {
        ioctl(this.get_ref(), cmd, arg)
    }

    fn write(this: Pin<&Self>, nonblocking: bool, iov: &mut IovIterSource<'_>) -> Result<usize> {
        let len = iov.len();
        this.get_ref()
            .write(len, nonblocking, |buf| match iov.copy_from_iter(buf) {
                0 => Err(EFAULT),
                n => Ok(n),
            })
    }

    fn read(this: Pin<&Self>, nonblocking: bool, iov: &mut IovIterDest<'_>) -> Result<usize> {
        let len = iov.len();
        this.get_ref()
            .read(len, nonblocking, |buf| match iov.copy_to_iter(buf) {
                0 if !buf.is_empty() => Err(EFAULT),
                n => Ok(n),
            })
    }

    fn poll(this: Pin<&Self>, file: &File, table: &PollTable<'_>) -> u32 {
        this.get_ref()
            .on_port(|port, me| port.poll(me, file, table))
    }
}

/// Decodes an ioctl of `/dev/parownN` into a request of `client`.
fn ioctl(client: &Client, cmd: u32, arg: usize) -> Result<isize> {
    #[allow(clippy::let_unit_value)]
    let () = ABI_NUMBERS_MATCH_THE_HEADER;
    let arg = UserPtr::from_addr(arg);
    match cmd {
        uapi::ALLOCATE => {
            let request = uapi::Allocate::from_words(read_words(arg)?);
            if request.flags != 0 {
                return Err(EINVAL);
            }
            client.allocate(Timeout::from_ms(request.timeout_ms))?;
        }
        uapi::TRY_ALLOCATE => client.try_allocate()?,
        uapi::FREE => client.free()?,
        uapi::QUERY_WAITERS => {
            let waiters = client.waiters()?;
            UserSlice::new(arg, 4).writer().write(&waiters)?;
        }
        uapi::GET_PORT_INFO => {
            let info = client.port_info()?.to_bytes();
            UserSlice::new(arg, info.len())
                .writer()
                .write_slice(&info)?;
        }
        uapi::LOCK_PORT => client.lock(&read_device(arg)?, true)?,
        uapi::LOCK_PORT_NO_SELECT => client.lock(&read_device(arg)?, false)?,
        uapi::UNLOCK_PORT => client.unlock(&read_device(arg)?, true)?,
        uapi::UNLOCK_PORT_NO_DESELECT => client.unlock(&read_device(arg)?, false)?,
        uapi::SELECT_DEVICE => client.select(&read_device(arg)?)?,
        uapi::DESELECT_DEVICE => client.deselect(&read_device(arg)?)?,
        uapi::INIT_1284_3_BUS => {
            // The only request that changes state before it writes its
            // result: check that the result can be written first, so that
            // a bad pointer fails it before anything changed.
            UserSlice::new(arg, 4).writer().write(&0u32)?;
            let devices = client.init_bus()?;
            UserSlice::new(arg, 4).writer().write(&devices)?;
        }
        uapi::GET_DEVICE_ID => get_device_id(client, arg)?,
        _ if _IOC_TYPE(cmd) == uapi::ppdev::IOC_MAGIC => return ppdev::ioctl(client, cmd, arg),
        _ => return Err(ENOTTY),
    }
    Ok(0)
}

/// PAROWN_GET_DEVICE_ID: reads `struct parown_device_id`, checks that the
/// buffer and the structure can be written before the device is asked,
/// then writes the Device ID and the structure with its length.
fn get_device_id(client: &Client, arg: UserPtr) -> Result {
    let mut req = uapi::DeviceId::from_bytes(
        UserSlice::new(arg, uapi::DeviceId::SIZE)
            .reader()
            .read::<[u8; uapi::DeviceId::SIZE]>()?,
    );
    if req.reserved != 0 {
        return Err(EINVAL);
    }
    let size = usize::try_from(req.size).map_err(|_| EINVAL)?;
    let buffer = UserPtr::from_addr(usize::try_from(req.buffer).map_err(|_| EFAULT)?);
    UserSlice::new(arg, uapi::DeviceId::SIZE)
        .writer()
        .write_slice(&req.to_bytes())?;
    if size > 0 {
        UserSlice::new(buffer, 1).writer().write(&0u8)?;
    }
    let id = client.device_id(&DeviceRequest {
        device: req.device,
        flags: req.flags,
        timeout: Timeout::from_ms(req.timeout_ms),
    })?;
    let copied = id.len().min(size);
    let mut out = UserSlice::new(buffer, size).writer();
    out.write_slice(&id[..copied])?;
    if copied < size {
        out.write(&0u8)?;
    }
    req.length = u32::try_from(id.len()).unwrap_or(u32::MAX);
    UserSlice::new(arg, uapi::DeviceId::SIZE)
        .writer()
        .write_slice(&req.to_bytes())
}

/// Reads an ioctl's argument of `N` 32-bit words from user space.
fn read_words<const N: usize>(arg: UserPtr) -> Result<[u32; N]> {
    UserSlice::new(arg, N * 4).reader().read::<[u32; N]>()
}

/// Reads a `struct parown_device` from user space.
fn read_device(arg: UserPtr) -> Result<DeviceRequest> {
    let req = uapi::Device::from_words(read_words(arg)?);
    if req.reserved != 0 {
        return Err(EINVAL);
    }
    Ok(DeviceRequest {
        device: req.device,
        flags: req.flags,
        timeout: Timeout::from_ms(req.timeout_ms),
    })
}
