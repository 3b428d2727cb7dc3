// SPDX-License-Identifier: GPL-2.0

//! parown: the Windows parallel-port ownership model for Linux.
//!
//! parown registers one parport driver with the parport core and gives each
//! parallel port a misc device, `/dev/parownN`. See
//! `Documentation/parown.rst`.

mod api;
mod client;
mod compat;
mod driver;
mod errno;
mod file;
mod glue;
mod hw_transfer;
mod ieee1284;
mod ieee1284_3;
mod kernel_compat;
mod lines;
mod live_state;
mod ownership;
mod port;
mod ppdev;
mod request;
mod selection;
mod uapi;
mod wait_queue;

use kernel::{
    prelude::*,
    sync::Arc, //
};

// The atomics of code shared with the host tests, as `crate::atomic`; the
// host crate includes its stand-in, `rust/host/atomic.rs`, under that name.
use kernel::sync::atomic;

module! {
    type: ParownModule,
    name: "parown",
    authors: ["The parown developers"],
    description: "Windows-style parallel port ownership (allocate, free, lock, select)",
    license: "GPL",
}

/// The loaded module. Fields drop in declaration order: the in-kernel API
/// lets go of the driver first, then the driver detaches from every port.
struct ParownModule {
    _api: api::Registration,
    _driver: glue::parport::Registration<driver::Parown>,
}

impl kernel::Module for ParownModule {
    fn init(module: &'static ThisModule) -> Result<Self> {
        let parown = Arc::pin_init(driver::Parown::new(module), GFP_KERNEL)?;
        let driver = glue::parport::Registration::new(parown.clone())?;
        Ok(Self {
            _api: api::Registration::new(parown),
            _driver: driver,
        })
    }
}
