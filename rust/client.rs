// SPDX-License-Identifier: GPL-2.0

//! A client: one open file of `/dev/parownN` ([`crate::file`]), or one
//! in-kernel handle ([`crate::api`]). Both front doors decode their
//! requests into calls of [`Client`], which passes them to its port.

use crate::{
    glue::c_api::Notifier,
    lines::port_mode,
    port::{
        ClientRef,
        Opener,
        Owner,
        Port, //
    },
    request::{
        DeviceRequest,
        Timeout, //
    },
    uapi, //
};
use kernel::{
    prelude::*,
    str::CString,
    sync::Arc, //
};

/// A client of a port. Dropping it gives up whatever it owned or waited
/// for.
pub(crate) struct Client {
    /// The client's identity, which also keeps its port, and who opened
    /// it: an in-kernel client's name, or the process.
    me: ClientRef,
}

impl Client {
    /// A new client of `port`, opened by the calling process.
    pub(crate) fn new(port: &Arc<Port>) -> Result<Self> {
        Self::open(port, Opener::current_process(), None)
    }

    /// A new in-kernel client of `port` named `name`, with the callbacks
    /// of `ops`.
    pub(crate) fn with_ops(
        port: &Arc<Port>,
        name: Option<CString>,
        ops: Option<Arc<Notifier>>,
    ) -> Result<Self> {
        Self::open(port, Opener::driver(name)?, ops)
    }

    fn open(port: &Arc<Port>, opener: Opener, ops: Option<Arc<Notifier>>) -> Result<Self> {
        let me = ClientRef::new(port, opener, ops)?;
        Port::open(port)?;
        Ok(Self { me })
    }

    /// The client's port.
    fn port(&self) -> &Arc<Port> {
        self.me.port()
    }

    /// ALLOCATE; see [`Port::allocate`].
    pub(crate) fn allocate(&self, timeout: Timeout) -> Result {
        self.port().allocate(&self.me, timeout)
    }

    /// TRY_ALLOCATE.
    pub(crate) fn try_allocate(&self) -> Result {
        self.port().try_allocate(&self.me)
    }

    /// FREE.
    pub(crate) fn free(&self) -> Result {
        self.port().free(&self.me)
    }

    /// QUERY_WAITERS.
    pub(crate) fn waiters(&self) -> Result<u32> {
        self.port().waiters()
    }

    /// GET_PORT_INFO, as the ABI's structure.
    pub(crate) fn port_info(&self) -> Result<uapi::PortInfo> {
        let status = self.port().status(&self.me)?;
        let info = self.port().info();
        Ok(uapi::PortInfo {
            port: info.number,
            flags: match status.owner {
                Owner::Me => uapi::PORT_OWNED | uapi::PORT_OWNED_BY_ME,
                Owner::Other => uapi::PORT_OWNED,
                Owner::Nobody => 0,
            },
            base: info.base,
            // parport_pc records the ECP registers' address it probed
            // whether or not they were there; it only keeps them, and
            // says ECP, if they were.
            base_hi: if info.modes & port_mode::ECP != 0 {
                info.base_hi
            } else {
                0
            },
            irq: info.irq,
            dma: info.dma,
            modes: info.modes,
            ieee1284_3_devices: status.ieee1284_3_devices,
        })
    }

    /// LOCK_PORT (`select`) or LOCK_PORT_NO_SELECT.
    pub(crate) fn lock(&self, req: &DeviceRequest, select: bool) -> Result {
        self.port().lock(&self.me, req, select)
    }

    /// UNLOCK_PORT (`deselect`) or UNLOCK_PORT_NO_DESELECT.
    pub(crate) fn unlock(&self, req: &DeviceRequest, deselect: bool) -> Result {
        self.port().unlock(&self.me, req, deselect)
    }

    /// SELECT_DEVICE.
    pub(crate) fn select(&self, req: &DeviceRequest) -> Result {
        self.port().select(&self.me, req)
    }

    /// DESELECT_DEVICE.
    pub(crate) fn deselect(&self, req: &DeviceRequest) -> Result {
        self.port().deselect(&self.me, req)
    }

    /// INIT_1284_3_BUS: the number of daisy-chain devices found.
    pub(crate) fn init_bus(&self) -> Result<u32> {
        self.port().init_bus(&self.me)
    }

    /// `parown_cancel()`; see [`Port::cancel`].
    pub(crate) fn cancel(&self) {
        self.port().cancel(&self.me);
    }

    /// Waits until the callbacks due to a cancelled client have run (see
    /// [`crate::port::ClientRef::flush`]); nothing if it is not cancelled.
    /// Not from one of its callbacks.
    pub(crate) fn deliver_cancellation(&self) {
        if self.me.is_cancelled() {
            self.me.flush();
        }
    }

    /// `parown_allocate_async()`: never sleeps.
    pub(crate) fn allocate_async(&self) -> Result {
        self.me.allocate_async()
    }

    /// PAROWN_GET_DEVICE_ID: the Device ID of a device on the chain.
    pub(crate) fn device_id(&self, req: &DeviceRequest) -> Result<KVec<u8>> {
        self.port().device_id(&self.me, req)
    }

    /// Runs `f` with the client's port and its identity there, for the
    /// requests that go straight to the port (ppdev's, in `file/ppdev.rs`).
    pub(crate) fn on_port<R>(&self, f: impl FnOnce(&Port, &ClientRef) -> R) -> R {
        f(self.port(), &self.me)
    }

    /// Reads bytes from the port into `sink`, in the client's IEEE 1284
    /// mode; only the owner may read.
    pub(crate) fn read(
        &self,
        len: usize,
        nonblocking: bool,
        sink: impl FnMut(&[u8]) -> Result<usize>,
    ) -> Result<usize> {
        self.port().read(&self.me, len, nonblocking, sink)
    }

    /// Writes bytes from `source` to the port; see [`Port::write`].
    pub(crate) fn write(
        &self,
        len: usize,
        nonblocking: bool,
        source: impl FnMut(&mut [u8]) -> Result<usize>,
    ) -> Result<usize> {
        self.port().write(&self.me, len, nonblocking, source)
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let owned = self.port().close(&self.me);
        // A driver that lets go of a port by closing is worth a word; a
        // process that dies owning one is not.
        if let (true, Some(name)) = (owned, self.me.driver_name()) {
            pr_info!(
                "parport{}: {} closed its client while owning the port\n",
                self.port().info().number,
                name.to_str().unwrap_or("?")
            );
        }
    }
}
