// SPDX-License-Identifier: GPL-2.0

//! parown from user space: the ABI of `/dev/parownN`
//! (`include/uapi/linux/parown.h`, `Documentation/parown.rst`) wrapped
//! safely.
//!
//! ```no_run
//! use std::time::Duration;
//!
//! let port = parown::Port::open(0)?;
//! let owned = port.allocate(Some(Duration::from_secs(5)))?;
//! owned.write(b"hello\n")?;
//! drop(owned); // FREE
//! # Ok::<(), parown::Error>(())
//! ```
//!
//! Ownership is a guard: [`Allocation`] frees the port when dropped (also
//! while unwinding from a panic), [`Locked`] unlocks its device. The live
//! state of a port, who owns it and who waits, is [`state::read`].

mod error;
mod port;
pub mod state;
pub mod sys;

pub use error::{
    Error,
    Result, //
};
pub use port::{
    Allocation,
    Device,
    Locked,
    Port,
    PortInfo, //
};
