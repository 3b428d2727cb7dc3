// SPDX-License-Identifier: GPL-2.0

//! IEEE 1284 compatibility mode ("Centronics"): how a byte is handed to
//! the peripheral on the port's lines.
//!
//! parown writes through this instead of the parport core's
//! `parport_write()`, whose compatibility writer gives the port away in the
//! middle of a write (`parport_yield_blocking()`, and a release while the
//! peripheral is busy on a polled port): an owner's bytes must never be
//! interleaved with another driver's. Plain Rust over [`Lines`], so the
//! handshake is tested on the host against a model printer.

/// Status register bits (`PARPORT_STATUS_*`).
pub(crate) mod status {
    /// Set when the peripheral is *not* busy.
    pub(crate) const BUSY: u8 = 0x80;
    /// Set when the peripheral is out of paper.
    pub(crate) const PAPEROUT: u8 = 0x20;
    /// Set when the peripheral is on line.
    pub(crate) const SELECT: u8 = 0x10;
    /// Set when there is *no* error (nFault high).
    pub(crate) const ERROR: u8 = 0x08;
}

/// Control register bits (`PARPORT_CONTROL_*`).
pub(crate) mod control {
    /// Data strobe.
    pub(crate) const STROBE: u8 = 0x01;
    /// nInit held high (not resetting the peripheral).
    pub(crate) const INIT: u8 = 0x04;
    /// nSelectIn asserted.
    pub(crate) const SELECT: u8 = 0x08;
}

/// The control lines between bytes: selected, not in reset, no strobe.
pub(crate) const IDLE_CONTROL: u8 = control::SELECT | control::INIT;

/// Why a wait for the peripheral ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    /// A signal is pending for the writer.
    Signal,
    /// The peripheral stayed busy for too long.
    Timeout,
    /// The port is going away.
    Cancelled,
}

/// Why a write stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Short {
    /// The wait for the peripheral ended; see [`Stop`].
    Waiting(Stop),
    /// The peripheral reports a fault, is off line or out of paper.
    Fault,
}

/// A port's lines, as a compatibility-mode writer drives them. The caller
/// holds the port.
pub(crate) trait Lines {
    /// Reads the status register.
    fn status(&mut self) -> u8;
    /// Sets the data lines.
    fn set_data(&mut self, byte: u8);
    /// Sets the control register.
    fn set_control(&mut self, control: u8);
    /// Turns the data lines to output.
    fn data_forward(&mut self);
    /// Busy-waits `us` microseconds, for the handshake's timing.
    fn delay_us(&mut self, us: u32);
    /// The peripheral is busy: wait a little before polling again.
    /// `attempt` counts the waits for this byte from 0.
    fn pause(&mut self, attempt: u32) -> Result<(), Stop>;
}

/// Writes `data` in compatibility mode; returns how many bytes the
/// peripheral took, and why it stopped if it did not take them all.
pub(crate) fn write(lines: &mut impl Lines, data: &[u8]) -> (usize, Option<Short>) {
    const READY: u8 = status::ERROR | status::BUSY;
    const ON_LINE: u8 = status::SELECT | status::ERROR;
    const ON_LINE_MASK: u8 = status::PAPEROUT | status::SELECT | status::ERROR;

    lines.set_control(IDLE_CONTROL);
    lines.data_forward();
    for (done, &byte) in data.iter().enumerate() {
        let mut attempt = 0;
        loop {
            let status = lines.status();
            if status & READY == READY {
                break;
            }
            if status & ON_LINE_MASK != ON_LINE {
                return (done, Some(Short::Fault));
            }
            if let Err(stop) = lines.pause(attempt) {
                return (done, Some(Short::Waiting(stop)));
            }
            attempt += 1;
        }
        lines.set_data(byte);
        lines.delay_us(1);
        lines.set_control(IDLE_CONTROL | control::STROBE);
        lines.delay_us(1);
        lines.set_control(IDLE_CONTROL);
        lines.delay_us(1);
    }
    (data.len(), None)
}

// The path works for both the kernel crate and the host crate; see
// `ownership.rs`.
#[cfg(test)]
#[path = "compat/tests.rs"]
mod tests;
