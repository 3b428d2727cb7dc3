// SPDX-License-Identifier: GPL-2.0

//! IEEE 1284.3 daisy chains: the CPP command protocol that assigns
//! addresses to the devices on a chain and selects one of them.
//!
//! parown runs it itself, because the parport core's daisy-chain helpers
//! are not exported to modules, and because it checks the replies: a
//! device that does not answer is not selected. (The core's
//! `parport_daisy_select()` takes the -ENXIO of a silent chain for
//! success.) The byte sequences are the core's (`drivers/parport/daisy.c`)
//! and Windows' (`ModeQualifier`): `AA 55 00 FF 87 78`, a command, a
//! strobe. Plain Rust over [`Lines`], tested on the host against a model
//! chain.

use crate::lines::{
    control,
    status,
    Lines,
    IDLE_CONTROL, //
};

/// The most devices a chain can have; addresses are `0..MAX_DEVICES`.
pub(crate) const MAX_DEVICES: u8 = 4;

/// CPP command: deselect every device, so the bus passes through to the
/// end-of-chain device.
pub(crate) const CMD_DESELECT_ALL: u8 = 0x30;

/// CPP command: select device `addr` for compatibility-mode transfers.
pub(crate) const fn cmd_select(addr: u8) -> u8 {
    0xe0 | addr
}

/// Why a command failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// Nothing answered the command preamble: there is no chain.
    NoChain,
    /// The chain answered, but the addressed device did not.
    NoAnswer,
}

/// The status bits the preamble checks.
const PREAMBLE_MASK: u8 = status::BUSY | status::PAPEROUT | status::SELECT | status::ERROR;

/// Sends the command preamble (`AA 55 00 FF 87 78`), checking that the
/// chain answers the two steps it must.
fn preamble(lines: &mut impl Lines) -> Result<(), Failure> {
    lines.set_control(IDLE_CONTROL);
    lines.data_forward();
    for byte in [0xaa, 0x55, 0x00, 0xff] {
        send(lines, byte);
    }
    if lines.status() & PREAMBLE_MASK != PREAMBLE_MASK {
        return Err(Failure::NoChain);
    }
    send(lines, 0x87);
    if lines.status() & PREAMBLE_MASK != status::SELECT | status::ERROR {
        return Err(Failure::NoChain);
    }
    send(lines, 0x78);
    Ok(())
}

fn send(lines: &mut impl Lines, byte: u8) {
    lines.set_data(byte);
    lines.delay_us(2);
}

fn strobe(lines: &mut impl Lines) {
    lines.set_control(IDLE_CONTROL | control::STROBE);
    lines.delay_us(1);
}

fn unstrobe(lines: &mut impl Lines) {
    lines.set_control(IDLE_CONTROL);
    lines.delay_us(1);
}

/// Sends CPP command `cmd` and returns the status the chain replied with,
/// read while the strobe is asserted.
fn command(lines: &mut impl Lines, cmd: u8) -> Result<u8, Failure> {
    preamble(lines)?;
    send(lines, cmd);
    strobe(lines);
    let reply = lines.status();
    unstrobe(lines);
    send(lines, 0xff);
    Ok(reply)
}

/// Selects device `addr`: from now on data goes to it. Succeeds only if
/// the device acknowledged (nFault high in its reply).
pub(crate) fn select(lines: &mut impl Lines, addr: u8) -> Result<(), Failure> {
    let reply = command(lines, cmd_select(addr))?;
    if reply & status::ERROR != 0 {
        Ok(())
    } else {
        Err(Failure::NoAnswer)
    }
}

/// Deselects every device; data then goes to the end-of-chain device.
pub(crate) fn deselect_all(lines: &mut impl Lines) -> Result<(), Failure> {
    command(lines, CMD_DESELECT_ALL).map(|_| ())
}

/// Gives the devices on the chain the addresses 0, 1, ... in chain order
/// and returns how many there are (0 if there is no chain).
pub(crate) fn assign_addresses(lines: &mut impl Lines) -> u8 {
    const WAITING: u8 = status::PAPEROUT | status::SELECT;

    if preamble(lines).is_err() {
        return 0;
    }
    let mut count = 0;
    let mut s = lines.status();
    while count < MAX_DEVICES && s & WAITING == WAITING {
        // The device waiting for an address takes `count`.
        send(lines, count);
        strobe(lines);
        unstrobe(lines);
        count += 1;
        // BUSY clear before the strobe: that was the last device.
        if s & status::BUSY == 0 {
            break;
        }
        s = lines.status();
    }
    send(lines, 0xff);
    count
}

/// Enumerates the chain: deselects everything and assigns addresses until
/// two passes agree on the count (at most three passes, as Windows does for
/// flaky chains). Leaves every device deselected.
pub(crate) fn enumerate(lines: &mut impl Lines) -> u8 {
    let _ = deselect_all(lines);
    let mut count = assign_addresses(lines);
    for _ in 0..2 {
        let again = assign_addresses(lines);
        if again == count {
            break;
        }
        count = again;
    }
    let _ = deselect_all(lines);
    count
}

// The path works for both the kernel crate and the host crate; see
// `ownership.rs`.
#[cfg(test)]
#[path = "ieee1284_3/tests.rs"]
mod tests;
