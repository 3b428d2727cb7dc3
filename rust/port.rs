// SPDX-License-Identifier: GPL-2.0

//! A parallel port as parown serves it.

use crate::glue::parport;
use kernel::{
    prelude::*,
    sync::{
        aref::ARef,
        Arc, //
    },
};

/// The state one parport's clients share.
///
/// It outlives the port's `/dev` node: open files keep it, so a port that
/// goes away leaves its clients something to fail their requests against.
pub(crate) struct Port {
    parport: ARef<parport::Port>,
    info: parport::PortInfo,
}

impl Port {
    /// Creates the shared state for a port the parport core reported.
    pub(crate) fn new(parport: &parport::Port) -> Result<Arc<Self>> {
        Ok(Arc::new(
            Self {
                parport: parport.into(),
                info: parport.info(),
            },
            GFP_KERNEL,
        )?)
    }

    /// Whether this is the state of `parport`.
    pub(crate) fn serves(&self, parport: &parport::Port) -> bool {
        core::ptr::eq(&*self.parport, parport)
    }

    /// The port's fixed description.
    pub(crate) fn info(&self) -> &parport::PortInfo {
        &self.info
    }
}
