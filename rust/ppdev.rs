// SPDX-License-Identifier: GPL-2.0

//! What a client of `/dev/parownN` keeps for ppdev's interface
//! (`include/uapi/linux/ppdev.h`): its IEEE 1284 mode and phase, its
//! transfer flags, its inactivity timeout and its interrupt bookkeeping,
//! and the rules for changing them.
//!
//! ppdev keeps these per open file, and installs the mode and phase into
//! the port (`port->ieee1284`) while the file has the port claimed; parown
//! does the same while the client owns the port (see `port/drive.rs`).
//!
//! Plain Rust, so that `cargo test` checks it on the host.

use crate::ieee1284::{mode, phase};

/// `PP_FASTWRITE`: fast EPP writes.
pub(crate) const PP_FASTWRITE: u32 = 1 << 2;
/// `PP_FASTREAD`: fast EPP reads.
pub(crate) const PP_FASTREAD: u32 = 1 << 3;
/// `PP_W91284PIC`: the peripheral is a Warp Nine w91284pic.
pub(crate) const PP_W91284PIC: u32 = 1 << 4;
/// The flags that `PPSETFLAGS` keeps (`PP_FLAGMASK`); it ignores the
/// other bits, as ppdev does.
pub(crate) const FLAG_MASK: u32 = PP_FASTWRITE | PP_FASTREAD | PP_W91284PIC;

/// The phase a port is in right after a client sets `mode`: reverse idle
/// for the reverse-only modes, forward idle otherwise (ppdev's
/// `init_phase()`).
pub(crate) fn initial_phase(mode: i32) -> i32 {
    match mode::without_flags(mode) {
        mode::NIBBLE | mode::BYTE => phase::REV_IDLE,
        _ => phase::FWD_IDLE,
    }
}

/// Whether `phase` is one of `enum ieee1284_phase`. ppdev stores any
/// value; parown refuses others with `EINVAL`, since the core's protocol
/// code switches on the phase.
pub(crate) fn valid_phase(phase: i32) -> bool {
    (0..=phase::ECP_DIR_UNKNOWN).contains(&phase)
}

/// A `struct timeval` that `PPSETTIME` may set: no negative field, fewer
/// than a million microseconds (ppdev's `pp_set_timeout()`). The caller
/// also refuses one that rounds to no jiffies.
pub(crate) fn valid_timeval(sec: i64, usec: i64) -> bool {
    sec >= 0 && (0..1_000_000).contains(&usec)
}

/// A client's ppdev state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Session {
    /// `PPSETMODE`'s mode, and the port's while the client owns it.
    pub(crate) mode: i32,
    /// `PPSETPHASE`'s phase, and the port's while the client owns it.
    pub(crate) phase: i32,
    /// `PPSETFLAGS`' flags, within [`FLAG_MASK`].
    pub(crate) flags: u32,
    /// `PPSETTIME`'s inactivity timeout in jiffies; `None` for the parport
    /// core's default.
    pub(crate) timeout: Option<isize>,
    /// `PPWCTLONIRQ`: the control byte to write at the next interrupt
    /// while the client owns the port, until one has arrived.
    pub(crate) irq_control: Option<u8>,
    /// Interrupts counted while the client owned the port and not yet
    /// taken by `PPCLRIRQ`, up to its last handover (the port counts those
    /// of the current owner).
    pub(crate) irqs: u32,
    /// `PPEXCL` was asked for.
    pub(crate) exclusive: bool,
    /// The client has owned the port (ppdev registers its device at the
    /// first `PPCLAIM`, after which `PPEXCL` is too late).
    pub(crate) owned_once: bool,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    /// A new client's state: compatibility mode, as ppdev's `open`.
    pub(crate) const fn new() -> Self {
        Self {
            mode: mode::COMPAT,
            phase: phase::FWD_IDLE,
            flags: 0,
            timeout: None,
            irq_control: None,
            irqs: 0,
            exclusive: false,
            owned_once: false,
        }
    }

    /// `PPSETMODE`: the mode, and the phase that goes with it.
    pub(crate) fn set_mode(&mut self, mode: i32) {
        self.mode = mode;
        self.phase = initial_phase(mode);
    }

    /// `PPSETFLAGS`: keeps the known flags, ignores the rest.
    pub(crate) fn set_flags(&mut self, flags: i32) {
        // The bits as they are: a negative value sets its low bits.
        self.flags = u32::from_ne_bytes(flags.to_ne_bytes()) & FLAG_MASK;
    }
}

#[cfg(test)]
#[path = "ppdev/tests.rs"]
mod tests;
