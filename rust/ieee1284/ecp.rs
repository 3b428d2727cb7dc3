// SPDX-License-Identifier: GPL-2.0

//! ECP mode's reverse channel (peripheral to host), run by parown over the
//! port's lines: the parport core's `parport_ieee1284_ecp_read_data()`,
//! step for step, except that while the peripheral has no data it returns
//! what it has (possibly nothing) instead of releasing the port and
//! sleeping with the port given up, as the core's does on a port with an
//! interrupt. The caller waits and asks again, keeping the port.

use super::{
    frob,
    mode,
    phase,
    wait,
    State, //
};
use crate::lines::{
    control,
    status,
    Lines, //
};

/// A command byte with this bit is a channel address (not a run length).
const CHANNEL_ADDRESS: u8 = 0x80;

/// Events 38 to 40: the host turns the bus around; `false` if the
/// peripheral does not follow (the phase then says the direction is
/// unknown).
fn forward_to_reverse(lines: &mut impl Lines, st: &mut State) -> bool {
    // Event 38: nAutoFd low.
    frob(lines, control::AUTOFD, control::AUTOFD);
    lines.data_reverse();
    lines.delay_us(5);
    // Event 39: nInit low asks for the reversal; event 40: PError low.
    frob(lines, control::INIT, 0);
    if wait(lines, status::PAPEROUT, 0) {
        st.phase = phase::REV_IDLE;
        true
    } else {
        st.phase = phase::ECP_DIR_UNKNOWN;
        false
    }
}

/// Reads up to `buf.len()` bytes in ECP mode (with or without run-length
/// encoding); returns how many came, 0 if the peripheral has none now.
/// Stops short at a channel address the peripheral sends (which stays
/// unread, as in the core), and leaves a run longer than the rest of
/// `buf` for the next read.
pub(crate) fn read_ecp(lines: &mut impl Lines, st: &mut State, buf: &mut [u8]) -> usize {
    if st.phase != phase::REV_IDLE && !forward_to_reverse(lines, st) {
        return 0;
    }
    st.phase = phase::REV_DATA;
    // HostAck (nAutoFd) low: ready for data.
    let ctl = lines.control() & !(control::STROBE | control::INIT | control::AUTOFD);
    lines.set_control(ctl | control::AUTOFD);

    let mut count = 0;
    // A run-length count came: the next byte is its data.
    let mut run: Option<usize> = None;
    while count < buf.len() {
        // Event 43: nAck low, a byte is on the lines.
        if !wait(lines, status::ACK, 0) {
            break;
        }
        // After a run-length count the byte is data, whatever Busy says.
        let command = run.is_none() && lines.status() & status::BUSY != 0;
        let byte = lines.data();
        if command {
            if byte & CHANNEL_ADDRESS != 0 {
                break;
            }
            let len = usize::from(byte) + 1;
            if len > buf.len() - count {
                // The run is left for the next read.
                break;
            }
            run = Some(len);
        }
        // Event 44: HostAck high; event 45: nAck high.
        lines.set_control(ctl);
        if !wait(lines, status::ACK, status::ACK) {
            break;
        }
        // Event 46: HostAck low, the byte is taken.
        lines.set_control(ctl | control::AUTOFD);
        if command {
            continue;
        }
        let len = run.take().unwrap_or(1);
        buf[count..count + len].fill(byte);
        count += len;
    }
    st.phase = phase::REV_IDLE;
    count
}

/// Whether `m` (without flags) is an ECP mode [`read_ecp`] reads in.
pub(crate) fn is_ecp(m: i32) -> bool {
    matches!(m, mode::ECP | mode::ECPRLE)
}

#[cfg(test)]
#[path = "ecp_tests.rs"]
mod tests;
