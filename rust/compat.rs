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

use crate::lines::{
    control,
    status,
    Lines,
    Stop,
    IDLE_CONTROL, //
};

/// Why a write stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Short {
    /// The wait for the peripheral ended; see [`Stop`].
    Waiting(Stop),
    /// The peripheral reports a fault, is off line or out of paper.
    Fault,
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
