// SPDX-License-Identifier: GPL-2.0

//! A client: one open file of `/dev/parownN`, or one in-kernel handle.

use crate::{
    glue::misc::FileOps,
    port::{
        ClientRef,
        Owner,
        Port, //
    },
    request::{
        DeviceRequest,
        Timeout, //
    },
    uapi,
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
    str::CString,
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

/// A client of a port. Dropping it gives up whatever it owned or waited
/// for.
pub(crate) struct Client {
    port: Arc<Port>,
    me: ClientRef,
    /// An in-kernel client's name, for messages.
    name: Option<CString>,
}

impl Client {
    /// A new client of `port`.
    pub(crate) fn new(port: &Arc<Port>, name: Option<CString>) -> Result<Self> {
        let me = ClientRef::new()?;
        port.open()?;
        Ok(Self {
            port: port.clone(),
            me,
            name,
        })
    }

    /// ALLOCATE; see [`Port::allocate`].
    pub(crate) fn allocate(&self, timeout: Timeout) -> Result {
        self.port.allocate(&self.me, timeout)
    }

    /// TRY_ALLOCATE.
    pub(crate) fn try_allocate(&self) -> Result {
        self.port.try_allocate(&self.me)
    }

    /// FREE.
    pub(crate) fn free(&self) -> Result {
        self.port.free(&self.me)
    }

    /// QUERY_WAITERS.
    pub(crate) fn waiters(&self) -> Result<u32> {
        self.port.waiters()
    }

    /// GET_PORT_INFO, as the ABI's structure.
    pub(crate) fn port_info(&self) -> Result<uapi::PortInfo> {
        let status = self.port.status(&self.me)?;
        let info = self.port.info();
        Ok(uapi::PortInfo {
            port: info.number,
            flags: match status.owner {
                Owner::Me => uapi::PORT_OWNED | uapi::PORT_OWNED_BY_ME,
                Owner::Other => uapi::PORT_OWNED,
                Owner::Nobody => 0,
            },
            base: info.base,
            base_hi: info.base_hi,
            irq: info.irq,
            dma: info.dma,
            modes: info.modes,
            ieee1284_3_devices: status.ieee1284_3_devices,
        })
    }

    /// LOCK_PORT (`select`) or LOCK_PORT_NO_SELECT.
    pub(crate) fn lock(&self, req: &DeviceRequest, select: bool) -> Result {
        self.port.lock(&self.me, req, select)
    }

    /// UNLOCK_PORT (`deselect`) or UNLOCK_PORT_NO_DESELECT.
    pub(crate) fn unlock(&self, req: &DeviceRequest, deselect: bool) -> Result {
        self.port.unlock(&self.me, req, deselect)
    }

    /// SELECT_DEVICE.
    pub(crate) fn select(&self, req: &DeviceRequest) -> Result {
        self.port.select(&self.me, req)
    }

    /// DESELECT_DEVICE.
    pub(crate) fn deselect(&self, req: &DeviceRequest) -> Result {
        self.port.deselect(&self.me, req)
    }

    /// INIT_1284_3_BUS: the number of daisy-chain devices found.
    pub(crate) fn init_bus(&self) -> Result<u32> {
        self.port.init_bus(&self.me)
    }

    /// Writes bytes from `source` to the port; see [`Port::write`].
    pub(crate) fn write(
        &self,
        len: usize,
        source: impl FnMut(&mut [u8]) -> Result<usize>,
    ) -> Result<usize> {
        self.port.write(&self.me, len, source)
    }

    fn ioctl(&self, cmd: u32, arg: usize) -> Result<isize> {
        let arg = UserPtr::from_addr(arg);
        match cmd {
            uapi::ALLOCATE => {
                let request = uapi::Allocate::from_words(read_words(arg)?);
                if request.flags != 0 {
                    return Err(EINVAL);
                }
                self.allocate(Timeout::from_ms(request.timeout_ms))?;
            }
            uapi::TRY_ALLOCATE => self.try_allocate()?,
            uapi::FREE => self.free()?,
            uapi::QUERY_WAITERS => {
                let waiters = self.waiters()?;
                UserSlice::new(arg, 4).writer().write(&waiters)?;
            }
            uapi::GET_PORT_INFO => {
                let info = self.port_info()?.to_bytes();
                UserSlice::new(arg, info.len())
                    .writer()
                    .write_slice(&info)?;
            }
            uapi::LOCK_PORT => self.lock(&read_device(arg)?, true)?,
            uapi::LOCK_PORT_NO_SELECT => self.lock(&read_device(arg)?, false)?,
            uapi::UNLOCK_PORT => self.unlock(&read_device(arg)?, true)?,
            uapi::UNLOCK_PORT_NO_DESELECT => self.unlock(&read_device(arg)?, false)?,
            uapi::SELECT_DEVICE => self.select(&read_device(arg)?)?,
            uapi::DESELECT_DEVICE => self.deselect(&read_device(arg)?)?,
            uapi::INIT_1284_3_BUS => {
                let devices = self.init_bus()?;
                UserSlice::new(arg, 4).writer().write(&devices)?;
            }
            _ => return Err(ENOTTY),
        }
        Ok(0)
    }
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

impl Drop for Client {
    fn drop(&mut self) {
        let owned = self.port.close(&self.me);
        // A driver that lets go of a port by closing is worth a word; a
        // process that dies owning one is not.
        if let (true, Some(name)) = (owned, &self.name) {
            pr_info!(
                "parport{}: {} closed its client while owning the port\n",
                self.port.info().number,
                name.to_str().unwrap_or("?")
            );
        }
    }
}

impl FileOps for Client {
    type Data = Arc<Port>;

    fn open(port: &Arc<Port>, _file: &File) -> Result<Pin<KBox<Self>>> {
        Ok(KBox::pin(Self::new(port, None)?, GFP_KERNEL)?)
    }

    fn ioctl(this: Pin<&Self>, _file: &File, cmd: u32, arg: usize) -> Result<isize> {
        this.get_ref().ioctl(cmd, arg)
    }

    fn write(this: Pin<&Self>, iov: &mut IovIterSource<'_>) -> Result<usize> {
        let len = iov.len();
        this.get_ref()
            .write(len, |buf| match iov.copy_from_iter(buf) {
                0 => Err(EFAULT),
                n => Ok(n),
            })
    }
}
