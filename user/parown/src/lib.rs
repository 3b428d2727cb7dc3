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
//!
//! While it owns the port, the client drives it with ppdev's requests:
//! both guards dereference to [`Owned`], the owner's lines, direction,
//! negotiation and transfers.
//!
//! ```no_run
//! use parown::{
//!     lines::{control, status},
//!     Direction, Mode, Port,
//! };
//!
//! let port = Port::open(0)?;
//! let owned = port.allocate(None)?;
//! // A byte on the data lines, strobed by hand.
//! owned.data_direction(Direction::Forward)?;
//! owned.write_data(0x55)?;
//! owned.frob_control(control::STROBE, control::STROBE)?;
//! owned.frob_control(control::STROBE, 0)?;
//! let busy = owned.read_status()? & status::BUSY == 0; // BUSY is inverted
//! // What the peripheral sends, in byte mode.
//! owned.negotiate(Mode::BYTE)?;
//! let mut buf = [0u8; 64];
//! let n = owned.read(&mut buf)?;
//! # let _ = (busy, n);
//! # Ok::<(), parown::Error>(())
//! ```
//!
//! The IEEE 1284 mode `read()` and `write()` use without negotiating,
//! [`Port::set_mode`], needs no ownership. A process can pass its open
//! port to another ([`Port::from_fd`]), which takes its ownership over
//! with [`Port::adopt`].

#![warn(missing_docs)]

mod drive;
mod error;
mod guard;
pub mod lines;
mod mode;
mod port;
mod request;
pub mod state;
pub mod sys;

pub use drive::{
    Direction,
    Owned, //
};
pub use error::{
    Error,
    Result, //
};
pub use guard::{
    Allocation,
    Locked, //
};
pub use mode::Mode;
pub use port::{
    ports,
    Device,
    Port,
    PortInfo, //
};
