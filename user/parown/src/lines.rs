// SPDX-License-Identifier: GPL-2.0

//! The port's lines, as the owner reads and sets them
//! ([`Owned::read_status`](crate::Owned::read_status),
//! [`Owned::read_control`](crate::Owned::read_control),
//! [`Owned::write_control`](crate::Owned::write_control),
//! [`Owned::frob_control`](crate::Owned::frob_control)): a `u8` of a PC
//! register's bits each, ppdev's `PARPORT_CONTROL_*` and
//! `PARPORT_STATUS_*`.
//!
//! The bits are the register's, not the levels on the wire: the PC
//! inverts some lines, and every low-level driver keeps the PC's layout.
//! Each constant says what a set bit means.
//!
//! ```
//! use parown::lines::{control, status};
//!
//! let ready = |s: u8| s & status::BUSY != 0 && s & status::ERROR != 0;
//! assert!(ready(status::BUSY | status::ERROR | status::SELECT));
//! let strobe = (control::STROBE, control::STROBE); // mask, value
//! # let _ = strobe;
//! ```

/// The control lines (outputs), in the control register.
pub mod control {
    use crate::sys;

    /// nStrobe (pin 1): set, the line is low (strobe asserted).
    pub const STROBE: u8 = sys::PARPORT_CONTROL_STROBE;
    /// nAutoFd (pin 14): set, the line is low (asserted).
    pub const AUTOFD: u8 = sys::PARPORT_CONTROL_AUTOFD;
    /// nInit (pin 16): set, the line is high; clear resets the peripheral.
    pub const INIT: u8 = sys::PARPORT_CONTROL_INIT;
    /// nSelectIn (pin 17): set, the line is low (selected).
    pub const SELECT: u8 = sys::PARPORT_CONTROL_SELECT;
    /// Every control line: the only bits a control write changes (the
    /// driver keeps the register's others, such as the data direction).
    pub const ALL: u8 = STROBE | AUTOFD | INIT | SELECT;
}

/// The status lines (inputs), in the status register.
pub mod status {
    use crate::sys;

    /// nError (pin 15): clear while the peripheral reports an error.
    pub const ERROR: u8 = sys::PARPORT_STATUS_ERROR;
    /// Select (pin 13): set while the peripheral is on line.
    pub const SELECT: u8 = sys::PARPORT_STATUS_SELECT;
    /// PError (pin 12): set while the peripheral is out of paper.
    pub const PAPEROUT: u8 = sys::PARPORT_STATUS_PAPEROUT;
    /// nAck (pin 10): clear while the peripheral acknowledges.
    pub const ACK: u8 = sys::PARPORT_STATUS_ACK;
    /// Busy (pin 11), inverted: set while the peripheral is *not* busy.
    pub const BUSY: u8 = sys::PARPORT_STATUS_BUSY;
    /// Every status line.
    pub const ALL: u8 = ERROR | SELECT | PAPEROUT | ACK | BUSY;
}
