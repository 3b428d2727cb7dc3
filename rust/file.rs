// SPDX-License-Identifier: GPL-2.0

//! `/dev/parownN`, the user-space front door: an open file is a
//! [`Client`], and its ioctls and writes are decoded here into the
//! client's requests.
//!
//! The in-kernel API, [`crate::api`], is the other front door.

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
        _IOR,
        _IOW, //
    },
    iov::IovIterSource,
    prelude::*,
    sync::Arc,
    uaccess::UserSlice, //
};

// The ABI's ioctl numbers are computed in `uapi`, so that the host tests
// can check them against the C header; here they must equal the kernel's
// own encoding on this architecture.
kernel::static_assert!(uapi::ALLOCATE == _IOW::<[u32; 2]>(uapi::IOC_MAGIC, 0x01));
kernel::static_assert!(uapi::TRY_ALLOCATE == _IO(uapi::IOC_MAGIC, 0x02));
kernel::static_assert!(uapi::FREE == _IO(uapi::IOC_MAGIC, 0x03));
kernel::static_assert!(uapi::QUERY_WAITERS == _IOR::<u32>(uapi::IOC_MAGIC, 0x04));
kernel::static_assert!(
    uapi::GET_PORT_INFO == _IOR::<[u8; uapi::PortInfo::SIZE]>(uapi::IOC_MAGIC, 0x05)
);
kernel::static_assert!(uapi::LOCK_PORT == _IOW::<[u32; 4]>(uapi::IOC_MAGIC, 0x06));
kernel::static_assert!(uapi::UNLOCK_PORT == _IOW::<[u32; 4]>(uapi::IOC_MAGIC, 0x07));
kernel::static_assert!(uapi::LOCK_PORT_NO_SELECT == _IOW::<[u32; 4]>(uapi::IOC_MAGIC, 0x08));
kernel::static_assert!(uapi::UNLOCK_PORT_NO_DESELECT == _IOW::<[u32; 4]>(uapi::IOC_MAGIC, 0x09));
kernel::static_assert!(uapi::SELECT_DEVICE == _IOW::<[u32; 4]>(uapi::IOC_MAGIC, 0x0a));
kernel::static_assert!(uapi::DESELECT_DEVICE == _IOW::<[u32; 4]>(uapi::IOC_MAGIC, 0x0b));
kernel::static_assert!(uapi::INIT_1284_3_BUS == _IOR::<u32>(uapi::IOC_MAGIC, 0x0c));

impl FileOps for Client {
    type Data = Arc<Port>;

    fn open(port: &Arc<Port>, _file: &File) -> Result<Pin<KBox<Self>>> {
        Ok(KBox::pin(Self::new(port, None)?, GFP_KERNEL)?)
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
}

/// Decodes an ioctl of `/dev/parownN` into a request of `client`.
fn ioctl(client: &Client, cmd: u32, arg: usize) -> Result<isize> {
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
        _ => return Err(ENOTTY),
    }
    Ok(0)
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
