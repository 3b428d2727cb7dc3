// SPDX-License-Identifier: GPL-2.0

//! Driving the port: ppdev's requests on `/dev/parownN`
//! (`Documentation/parown.rst`, "ppdev's interface"). The owner's are
//! [`Owned`]'s, which both guards dereference to; the client's IEEE 1284
//! settings, which need no ownership, are [`Port`]'s.
//!
//! Each request of the owner waits for the client's `write()` in progress
//! in another thread, so none changes a line in the middle of a transfer.

use crate::{
    request::{
        get,
        set,
        Getter,
        Setter, //
    },
    sys,
    Error,
    Mode,
    Port,
    Result, //
};
use std::{
    io::{
        Read,
        Write, //
    },
    time::Duration,
};

/// Which way the data lines go ([`Owned::data_direction`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Output: the port drives the data lines.
    Forward,
    /// Input: the peripheral drives them (on a bidirectional port,
    /// `PAROWN_MODE_TRISTATE`).
    Reverse,
}

/// The port as its owner drives it. Only a guard ([`Allocation`],
/// [`Locked`]) gives one, by dereferencing to it, and only while the
/// client owns the port; a request that finds the client not owning it
/// (the port passed on, or a signal ended [`Allocation::yield_port`]) is
/// [`Error::NotOwner`], and touches nothing.
///
/// [`Allocation`]: crate::Allocation
/// [`Allocation::yield_port`]: crate::Allocation::yield_port
/// [`Locked`]: crate::Locked
#[derive(Debug)]
pub struct Owned<'a> {
    port: &'a Port,
}

impl<'a> Owned<'a> {
    /// The owner's view of `port`.
    pub(crate) fn new(port: &'a Port) -> Self {
        Self { port }
    }

    /// The client (for [`Port::set_mode`], [`Port::waiters`]...).
    pub fn port(&self) -> &'a Port {
        self.port
    }

    /// `write()`: sends `bytes` to the peripheral (the device selected)
    /// in the client's mode: compatibility mode (from nibble or byte mode
    /// the port goes back to it first), or EPP or ECP on the port's
    /// hardware. The count the peripheral took.
    pub fn write(&self, bytes: &[u8]) -> Result<usize> {
        Ok(self.port.as_file().write(bytes)?)
    }

    /// [`Self::write`] until the peripheral took all of `bytes`, as
    /// `std::io::Write::write_all` (a write that takes nothing is
    /// [`Error::Os`] with `EIO`).
    pub fn write_all(&self, bytes: &[u8]) -> Result<()> {
        Ok(self.port.as_file().write_all(bytes)?)
    }

    /// `read()`: what the peripheral sends, in the client's mode; from
    /// compatibility mode it negotiates byte mode, or else nibble mode,
    /// first. At most 1024 bytes a call; it returns once some came, and
    /// waits while none do. The count read.
    pub fn read(&self, buf: &mut [u8]) -> Result<usize> {
        Ok(self.port.as_file().read(buf)?)
    }

    /// `PPRSTATUS`: the status register (see [`crate::lines::status`]).
    pub fn read_status(&self) -> Result<u8> {
        self.get(sys::pprstatus)
    }

    /// `PPRCONTROL`: the control register, as the low-level driver last
    /// set it (see [`crate::lines::control`]).
    pub fn read_control(&self) -> Result<u8> {
        self.get(sys::pprcontrol)
    }

    /// `PPWCONTROL`: sets the control lines (see
    /// [`crate::lines::control`]; the driver keeps the register's other
    /// bits).
    pub fn write_control(&self, control: u8) -> Result<()> {
        self.set(sys::ppwcontrol, &control)
    }

    /// `PPFCONTROL`: sets the control lines of `mask` to those of `val`,
    /// leaving the others.
    pub fn frob_control(&self, mask: u8, val: u8) -> Result<()> {
        self.set(sys::ppfcontrol, &sys::PpdevFrobStruct { mask, val })
    }

    /// `PPRDATA`: the data register (the lines' levels in
    /// [`Direction::Reverse`]).
    pub fn read_data(&self) -> Result<u8> {
        self.get(sys::pprdata)
    }

    /// `PPWDATA`: sets the data register.
    pub fn write_data(&self, data: u8) -> Result<()> {
        self.set(sys::ppwdata, &data)
    }

    /// `PPDATADIR`: turns the data lines around.
    pub fn data_direction(&self, direction: Direction) -> Result<()> {
        let reverse = i32::from(direction == Direction::Reverse);
        self.set(sys::ppdatadir, &reverse)
    }

    /// `PPNEGOT`: negotiates `mode` with the peripheral, ending the
    /// current mode first; the mode in force already is no negotiation.
    /// `EIO` ([`Error::Os`]) if no IEEE 1284 peripheral answers,
    /// [`Error::ModeRefused`] if it refuses the mode (the port is then in
    /// compatibility mode), `ENOSYS` for bounded ECP or an unknown mode.
    pub fn negotiate(&self, mode: Mode) -> Result<()> {
        self.set(sys::ppnegot, &mode.raw()).map_err(|e| match e {
            Error::NoSuchDevice => Error::ModeRefused,
            e => e,
        })
    }

    /// `PPGETTIME`: how long an IEEE 1284 transfer waits for each
    /// handshake of the peripheral (5 s until set).
    pub fn timeout(&self) -> Result<Duration> {
        let tv: sys::Timeval64 = self.get(sys::ppgettime64)?;
        let secs = u64::try_from(tv.tv_sec).unwrap_or(0);
        let micros = u32::try_from(tv.tv_usec).unwrap_or(0).min(999_999);
        Ok(Duration::new(secs, micros * 1000))
    }

    /// `PPSETTIME`: sets [`Owned::timeout`], to the microsecond; `EINVAL`
    /// ([`Error::Os`]) for one shorter than a jiffy. The client keeps it
    /// across its ownerships.
    pub fn set_timeout(&self, timeout: Duration) -> Result<()> {
        let tv = sys::Timeval64 {
            tv_sec: i64::try_from(timeout.as_secs()).unwrap_or(i64::MAX),
            tv_usec: i64::from(timeout.subsec_micros()),
        };
        self.set(sys::ppsettime64, &tv)
    }

    /// `PPWCTLONIRQ`: the control lines to set at the next interrupt,
    /// once (kept across a release until an interrupt uses them).
    pub fn control_on_irq(&self, control: u8) -> Result<()> {
        self.set(sys::ppwctlonirq, &control)
    }

    /// `PPCLRIRQ`: the interrupts that arrived while the client owned the
    /// port since the last call, and clears the count. The file polls
    /// readable while it is not zero.
    pub fn take_irqs(&self) -> Result<u32> {
        let n: i32 = self.get(sys::ppclrirq)?;
        Ok(u32::try_from(n).unwrap_or(0))
    }

    /// Runs a ppdev request that writes a `T` out.
    fn get<T: Default>(&self, ioctl: Getter<T>) -> Result<T> {
        get(self.port, ioctl)
    }

    /// Runs a ppdev request that reads `arg` in.
    fn set<T>(&self, ioctl: Setter<T>, arg: &T) -> Result<()> {
        set(self.port, ioctl, arg)
    }
}

/// The client's IEEE 1284 settings, which need no ownership: while the
/// client owns the port they are the port's, and otherwise they are
/// installed when its ownership starts.
impl Port {
    /// `PPSETMODE`: the mode `read()` and `write()` transfer in, without
    /// telling the peripheral (see [`Owned::negotiate`]); the phase goes
    /// with it. Not validated.
    pub fn set_mode(&self, mode: Mode) -> Result<()> {
        set(self, sys::ppsetmode, &mode.raw())
    }

    /// `PPGETMODE`: the client's mode, the port's while the client owns it
    /// (after a negotiation, the negotiated one).
    pub fn mode(&self) -> Result<Mode> {
        get(self, sys::ppgetmode).map(Mode::from_raw)
    }

    /// `PPSETPHASE`: the IEEE 1284 phase, one of the parport core's
    /// `enum ieee1284_phase` (0 to 11).
    pub fn set_phase(&self, phase: i32) -> Result<()> {
        set(self, sys::ppsetphase, &phase)
    }

    /// `PPGETPHASE`: the IEEE 1284 phase, the port's while owned.
    pub fn phase(&self) -> Result<i32> {
        get(self, sys::ppgetphase)
    }

    /// `PPSETFLAGS`: the client's transfer flags (`sys::PP_FASTWRITE`,
    /// `sys::PP_FASTREAD`, `sys::PP_W91284PIC`; other bits are ignored).
    pub fn set_flags(&self, flags: i32) -> Result<()> {
        set(self, sys::ppsetflags, &flags)
    }

    /// `PPGETFLAGS`: the client's transfer flags.
    pub fn flags(&self) -> Result<i32> {
        get(self, sys::ppgetflags)
    }
}
