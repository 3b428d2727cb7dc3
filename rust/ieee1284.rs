// SPDX-License-Identifier: GPL-2.0

//! IEEE 1284 negotiation, and the reverse (peripheral to host) transfers
//! of nibble and byte mode, with which a peripheral sends data and its
//! Device ID (and, in [`ecp`], ECP's reverse channel, where the port's
//! driver would let the port go).
//!
//! The steps, events and timing are the parport core's
//! (`drivers/parport/ieee1284.c`, `ieee1284_ops.c`, `probe.c`), so that a
//! ppdev program sees the same lines on parown; the port's mode and phase
//! are the core's `port->ieee1284` (the caller reads and writes them
//! back), as ppdev's `PPGETMODE` and `PPGETPHASE` report them. parown runs
//! them itself instead of calling the core: the core's waits sleep on the
//! port's interrupt and know nothing of parown's removal, and its readers
//! do not stop for a signal between bytes. Plain Rust over [`Lines`],
//! tested on the host against the model chain of the simulated port.

use crate::lines::{
    control,
    status,
    Lines, //
};

/// IEEE 1284 modes and flags (`IEEE1284_MODE_*`, `include/uapi/linux/parport.h`).
pub(crate) mod mode {
    /// Nibble mode (reverse).
    pub(crate) const NIBBLE: i32 = 0;
    /// Byte mode (reverse, bidirectional ports).
    pub(crate) const BYTE: i32 = 1 << 0;
    /// Compatibility mode (forward).
    pub(crate) const COMPAT: i32 = 1 << 8;
    /// Bounded ECP mode: not implemented by the core either.
    pub(crate) const BECP: i32 = 1 << 9;
    /// ECP mode.
    pub(crate) const ECP: i32 = 1 << 4;
    /// ECP mode with run-length encoding.
    pub(crate) const ECPRLE: i32 = ECP | (1 << 5);
    /// Software-emulated ECP mode.
    pub(crate) const ECPSWE: i32 = 1 << 10;
    /// EPP mode.
    pub(crate) const EPP: i32 = 1 << 6;
    /// EPP 1.7 mode.
    pub(crate) const EPPSL: i32 = 1 << 11;
    /// Software-emulated EPP mode.
    pub(crate) const EPPSWE: i32 = 1 << 12;
    /// Flag: ask for the Device ID (nibble or byte mode).
    pub(crate) const DEVICEID: i32 = 1 << 2;
    /// Flag: request the extensibility link.
    pub(crate) const EXT_LINK: i32 = 1 << 14;
    /// Flag: EPP and ECP address (not data) transfers.
    pub(crate) const ADDR: i32 = 1 << 13;

    /// `m` without its Device ID and address flags, as transfers see it.
    pub(crate) const fn without_flags(m: i32) -> i32 {
        m & !(DEVICEID | ADDR)
    }
}

/// IEEE 1284 phases (`enum ieee1284_phase`, `include/linux/parport.h`).
pub(crate) mod phase {
    /// Forward idle.
    pub(crate) const FWD_IDLE: i32 = 1;
    /// Negotiating.
    pub(crate) const NEGOTIATION: i32 = 3;
    /// Reverse idle: the peripheral has no data (or was not asked yet).
    pub(crate) const REV_IDLE: i32 = 5;
    /// Host busy, data available: a reverse read stopped with more data.
    pub(crate) const HBUSY_DAVAIL: i32 = 6;
    /// Reverse data transfer.
    pub(crate) const REV_DATA: i32 = 7;
    /// ECP setup.
    pub(crate) const ECP_SETUP: i32 = 8;
    /// ECP direction unknown: a turn of the bus that did not finish. The
    /// last phase of `enum ieee1284_phase`.
    pub(crate) const ECP_DIR_UNKNOWN: i32 = 11;
}

/// The port's IEEE 1284 state: the core's `port->ieee1284.mode`, `.phase`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct State {
    /// `IEEE1284_MODE_*`, with its flags.
    pub(crate) mode: i32,
    /// `IEEE1284_PH_*`.
    pub(crate) phase: i32,
}

impl State {
    /// Compatibility mode, forward idle: where a port starts.
    pub(crate) const COMPAT: Self = Self {
        mode: mode::COMPAT,
        phase: phase::FWD_IDLE,
    };

    /// The mode without its Device ID and address flags, as transfers see it.
    pub(crate) fn transfer_mode(&self) -> i32 {
        mode::without_flags(self.mode)
    }
}

/// How a negotiation ended (`parport_negotiate()`'s results).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Negotiation {
    /// In the mode now (0).
    Accepted,
    /// No IEEE 1284 peripheral answered (-1; ppdev's `EIO`).
    NotCompliant,
    /// The peripheral refused the mode (1; ppdev's `ENXIO`).
    Refused,
    /// Bounded ECP, which nobody implements (`-ENOSYS`).
    Unsupported,
}

/// `parport_frob_control()`: the control bits in `mask` become `val`.
fn frob(lines: &mut impl Lines, mask: u8, val: u8) {
    let c = (lines.control() & !mask) ^ val;
    lines.set_control(c);
}

/// `parport_wait_peripheral()`: waits until the status bits in `mask` are
/// `val`; `false` if the peripheral did not get there in time (or a signal
/// or removal ended the wait, which the core takes for a timeout too).
fn wait(lines: &mut impl Lines, mask: u8, val: u8) -> bool {
    let mut attempt = 0;
    loop {
        if lines.status() & mask == val {
            return true;
        }
        if lines.step_pause(attempt).is_err() {
            return false;
        }
        attempt += 1;
    }
}

/// Ends the current mode: back to compatibility mode, forward idle
/// (`parport_ieee1284_terminate()`).
pub(crate) fn terminate(lines: &mut impl Lines, st: &mut State) {
    match st.mode {
        mode::EPP | mode::EPPSL | mode::EPPSWE => {
            // Event 68: nInit low; event 69: nInit high, nSelectIn low.
            frob(lines, control::INIT, 0);
            lines.delay_us(50);
            frob(
                lines,
                control::SELECT | control::INIT,
                control::SELECT | control::INIT,
            );
        }
        m => {
            if matches!(m, mode::ECP | mode::ECPRLE | mode::ECPSWE) && st.phase != phase::FWD_IDLE {
                // Events 47 and 49: back to forward first.
                frob(
                    lines,
                    control::INIT | control::AUTOFD,
                    control::INIT | control::AUTOFD,
                );
                wait(lines, status::PAPEROUT, status::PAPEROUT);
                lines.data_forward();
                st.phase = phase::FWD_IDLE;
            }
            // Event 22: nSelectIn low, nAutoFd high; 24: nAck low.
            frob(lines, control::SELECT | control::AUTOFD, control::SELECT);
            wait(lines, status::ACK, 0);
            // Event 25: nAutoFd low; 27: nAck high; 29: nAutoFd high.
            frob(lines, control::AUTOFD, control::AUTOFD);
            wait(lines, status::ACK, status::ACK);
            frob(lines, control::AUTOFD, 0);
        }
    }
    *st = State::COMPAT;
}

/// Back to compatibility mode from whatever mode the port is in: what
/// `negotiate(lines, st, mode::COMPAT)` does, which the peripheral cannot
/// refuse.
pub(crate) fn to_compat(lines: &mut impl Lines, st: &mut State) {
    if st.mode & !mode::ADDR == mode::COMPAT {
        st.mode = mode::COMPAT;
    } else {
        terminate(lines, st);
    }
}

/// Negotiates `to` (`IEEE1284_MODE_*` with flags), from whatever mode the
/// port is in (`parport_negotiate()`, step for step).
pub(crate) fn negotiate(lines: &mut impl Lines, st: &mut State, to: i32) -> Negotiation {
    if st.mode == to {
        return Negotiation::Accepted;
    }
    // Only the address bit differs: nothing to tell the peripheral.
    if st.mode & !mode::ADDR == to & !mode::ADDR {
        st.mode = to;
        return Negotiation::Accepted;
    }
    if st.mode != mode::COMPAT {
        terminate(lines, st);
    }
    if to == mode::COMPAT {
        return Negotiation::Accepted;
    }
    let mut m = match to {
        mode::ECPSWE => mode::ECP,
        mode::EPPSL | mode::EPPSWE => mode::EPP,
        mode::BECP => return Negotiation::Unsupported,
        _ => to & !mode::ADDR,
    };
    if to & mode::EXT_LINK != 0 {
        m = 1 << 7;
    }
    st.phase = phase::NEGOTIATION;

    // nStrobe and nAutoFd high, nSelectIn low.
    frob(
        lines,
        control::STROBE | control::AUTOFD | control::SELECT,
        control::SELECT,
    );
    lines.delay_us(1);
    // Event 0: the extensibility request byte.
    lines.data_forward();
    lines.set_data(m as u8);
    lines.delay_us(400);
    // Event 1: nSelectIn high, nAutoFd low.
    frob(lines, control::SELECT | control::AUTOFD, control::AUTOFD);
    // Event 2: PError, Select, nFault high, nAck low.
    const EVENT2_MASK: u8 = status::ERROR | status::SELECT | status::PAPEROUT | status::ACK;
    if !wait(
        lines,
        EVENT2_MASK,
        status::ERROR | status::SELECT | status::PAPEROUT,
    ) {
        frob(lines, control::SELECT | control::AUTOFD, control::SELECT);
        st.phase = phase::FWD_IDLE;
        return Negotiation::NotCompliant;
    }
    // Event 3: nStrobe low; event 4: nStrobe and nAutoFd high.
    frob(lines, control::STROBE, control::STROBE);
    lines.delay_us(5);
    frob(lines, control::STROBE | control::AUTOFD, 0);
    // Event 6: nAck high.
    if !wait(lines, status::ACK, status::ACK) {
        terminate(lines, st);
        return Negotiation::Refused;
    }
    // XFlag (Select) is high for every mode but nibble mode.
    let xflag = lines.status() & status::SELECT != 0;
    if to != mode::NIBBLE && !xflag {
        terminate(lines, st);
        return Negotiation::Refused;
    }
    if to & mode::EXT_LINK != 0 && !extensibility_link(lines, to) {
        terminate(lines, st);
        return Negotiation::Refused;
    }
    st.mode = to;
    if to & mode::EXT_LINK == 0 && m & mode::ECP != 0 {
        // Events 30 and 31: ECP setup.
        st.phase = phase::ECP_SETUP;
        frob(lines, control::AUTOFD, control::AUTOFD);
        wait(lines, status::PAPEROUT, status::PAPEROUT);
        st.phase = phase::FWD_IDLE;
    } else {
        st.phase = match to {
            mode::NIBBLE | mode::BYTE => phase::REV_IDLE,
            _ => phase::FWD_IDLE,
        };
    }
    Negotiation::Accepted
}

/// Events 51-55: the extensibility link's request byte; whether the
/// peripheral supports it.
fn extensibility_link(lines: &mut impl Lines, to: i32) -> bool {
    lines.delay_us(1);
    lines.set_data((to & 0x7f) as u8);
    lines.delay_us(1);
    frob(lines, control::STROBE, control::STROBE);
    if !wait(lines, status::ACK, 0) {
        return false;
    }
    frob(lines, control::STROBE, 0);
    if !wait(lines, status::ACK, status::ACK) {
        return false;
    }
    lines.status() & status::SELECT != 0
}

/// The peripheral's "no more data" (nDataAvail, on nFault, high).
fn no_data(lines: &mut impl Lines) -> bool {
    lines.status() & status::ERROR != 0
}

/// After a reverse read that filled its buffer: the phase says whether the
/// peripheral has more.
fn end_of_read(lines: &mut impl Lines, st: &mut State) {
    if no_data(lines) {
        // Reverse idle: nAutoFd low.
        frob(lines, control::AUTOFD, control::AUTOFD);
        st.phase = phase::REV_IDLE;
    } else {
        st.phase = phase::HBUSY_DAVAIL;
    }
}

/// Reads up to `buf.len()` bytes in nibble mode
/// (`parport_ieee1284_read_nibble()`); returns how many came. Fewer when
/// the peripheral has no more data (phase reverse idle) or stopped
/// answering.
pub(crate) fn read_nibble(lines: &mut impl Lines, st: &mut State, buf: &mut [u8]) -> usize {
    for (done, slot) in buf.iter_mut().enumerate() {
        let mut byte = 0;
        for high in [false, true] {
            if !high && no_data(lines) {
                frob(lines, control::AUTOFD, control::AUTOFD);
                st.phase = phase::REV_IDLE;
                return done;
            }
            // Event 7: nAutoFd low; event 9: nAck low, a nibble.
            frob(lines, control::AUTOFD, control::AUTOFD);
            st.phase = phase::REV_DATA;
            if !wait(lines, status::ACK, 0) {
                frob(lines, control::AUTOFD, 0);
                return done;
            }
            let s = lines.status();
            let nibble = ((s >> 3) & 0x07) | if s & status::BUSY == 0 { 0x08 } else { 0 };
            // Event 10: nAutoFd high; event 11: nAck high.
            frob(lines, control::AUTOFD, 0);
            if !wait(lines, status::ACK, status::ACK) {
                return done;
            }
            byte |= if high { nibble << 4 } else { nibble };
        }
        *slot = byte;
    }
    end_of_read(lines, st);
    buf.len()
}

/// Reads up to `buf.len()` bytes in byte mode
/// (`parport_ieee1284_read_byte()`); as [`read_nibble`].
pub(crate) fn read_byte(lines: &mut impl Lines, st: &mut State, buf: &mut [u8]) -> usize {
    for (done, slot) in buf.iter_mut().enumerate() {
        if no_data(lines) {
            frob(lines, control::AUTOFD, control::AUTOFD);
            st.phase = phase::REV_IDLE;
            return done;
        }
        // Event 14: data lines to input; 7: nAutoFd low; 9: nAck low.
        lines.data_reverse();
        frob(lines, control::AUTOFD, control::AUTOFD);
        st.phase = phase::REV_DATA;
        if !wait(lines, status::ACK, 0) {
            frob(lines, control::AUTOFD, 0);
            return done;
        }
        *slot = lines.data();
        // Event 10: nAutoFd high; 11: nAck high.
        frob(lines, control::AUTOFD, 0);
        if !wait(lines, status::ACK, status::ACK) {
            // The core does not count this byte either.
            return done;
        }
        // Events 16 and 17: the HostClk pulse.
        frob(lines, control::STROBE, control::STROBE);
        lines.delay_us(5);
        frob(lines, control::STROBE, 0);
    }
    end_of_read(lines, st);
    buf.len()
}

/// Reads in the reverse mode `st` is in (nibble, byte, or ECP's reverse
/// channel); `None` in any other mode.
pub(crate) fn read_reverse(
    lines: &mut impl Lines,
    st: &mut State,
    buf: &mut [u8],
) -> Option<usize> {
    match st.transfer_mode() {
        mode::NIBBLE => Some(read_nibble(lines, st, buf)),
        mode::BYTE => Some(read_byte(lines, st, buf)),
        m if ecp::is_ecp(m) => Some(ecp::read_ecp(lines, st, buf)),
        _ => None,
    }
}

/// The longest Device ID parown reads (IEEE 1284 allows 65535 bytes; the
/// core gives up on lengths above 0xfff as broken).
pub(crate) const MAX_DEVICE_ID: usize = 0xfff;

/// Why a Device ID could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IdFailure {
    /// Negotiating the Device ID in nibble mode failed.
    Negotiation(Negotiation),
    /// The peripheral sent no usable length.
    BadLength,
}

/// Reads the IEEE 1284 Device ID of the peripheral on the bus into `buf`
/// (without its two length bytes) and returns its length, which may be
/// more than `buf` holds; the port is in compatibility mode afterwards.
///
/// As the core's `parport_device_id()`: negotiates nibble mode with the
/// Device ID flag, reads the two length bytes (big endian, counting
/// themselves; some peripherals send them little endian, which is taken
/// when big endian gives no sensible length) and the string, all of it
/// (some peripherals otherwise continue where they stopped next time),
/// stopping early if the peripheral says it has no more.
pub(crate) fn read_device_id(
    lines: &mut impl Lines,
    st: &mut State,
    buf: &mut [u8],
) -> Result<usize, IdFailure> {
    let result = read_device_id_in_nibble_mode(lines, st, buf);
    to_compat(lines, st);
    result
}

fn read_device_id_in_nibble_mode(
    lines: &mut impl Lines,
    st: &mut State,
    buf: &mut [u8],
) -> Result<usize, IdFailure> {
    to_compat(lines, st);
    match negotiate(lines, st, mode::NIBBLE | mode::DEVICEID) {
        Negotiation::Accepted => {}
        other => return Err(IdFailure::Negotiation(other)),
    }
    let mut length = [0u8; 2];
    if read_nibble(lines, st, &mut length) != 2 {
        return Err(IdFailure::BadLength);
    }
    let sensible = |n: usize| (3..=MAX_DEVICE_ID + 2).contains(&n);
    let big = usize::from(u16::from_be_bytes(length));
    let little = usize::from(u16::from_le_bytes(length));
    let total = if sensible(big) {
        big
    } else if sensible(little) {
        little
    } else {
        return Err(IdFailure::BadLength);
    };
    let want = total - 2;
    let mut got = 0;
    let mut scratch = [0u8; 16];
    while got < want {
        // Into the buffer while it has room, then read and drop the rest.
        let room = buf.len();
        let chunk = if got < room {
            &mut buf[got..want.min(room)]
        } else {
            let n = (want - got).min(scratch.len());
            &mut scratch[..n]
        };
        let n = read_nibble(lines, st, chunk);
        got += n;
        if n < chunk.len() || st.phase != phase::HBUSY_DAVAIL {
            break;
        }
    }
    Ok(got)
}

// The path works for both the kernel crate and the host crate; see
// `ownership.rs`.
#[path = "ieee1284/ecp.rs"]
mod ecp;

// The path works for both the kernel crate and the host crate; see
// `ownership.rs`.
#[cfg(test)]
#[path = "ieee1284/tests.rs"]
mod tests;
