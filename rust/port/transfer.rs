// SPDX-License-Identifier: GPL-2.0

//! The owner's IEEE 1284 transfers: negotiation (`PPNEGOT`), `read()` and
//! `write()` in the owner's current mode, and the Device ID of a device on
//! the chain (`PAROWN_GET_DEVICE_ID`).
//!
//! The mode is the port's (the core's `port->ieee1284`), which is the
//! owner's while it owns the port. Every transfer is a use of the port
//! ([`crate::ownership::Ownership::begin_use`]): the owner's other
//! requests, and removal, wait for it. The lines are driven without the
//! port's mutex, with `on_wire` set (as the compatibility writer does), so
//! that a slow peripheral keeps nobody from asking about the port. The
//! protocol is [`crate::ieee1284`]'s, except in ECP and EPP modes, where
//! the port's driver runs the transfers ([`crate::hw_transfer`] says
//! which), in pieces with a look for a signal between them.

use super::{
    devices,
    held_lines::HeldLines,
    ClientRef,
    Port,
    PortState, //
};
use crate::{
    glue::{
        pardevice::Pardevice,
        sched, //
    },
    hw_transfer::{
        hw_transfer,
        HwTransfer,
        NotRun,
        PortCaps,
        PortOp, //
    },
    ieee1284::{
        self,
        mode,
        Negotiation,
        State, //
    },
    kernel_compat::code,
    lines::port_mode,
    live_state::Asked,
    request::DeviceRequest,
    selection::{
        END_OF_CHAIN_DEVICE,
        HAVE_PORT_KEEP_PORT, //
    },
};
use kernel::{
    current,
    prelude::*,
    time::{
        delay::fsleep,
        Delta, //
    },
};

/// The most a `read()` returns, as ppdev's (`PP_BUFFER_SIZE`).
const READ_MAX: usize = 1024;
/// A signal is looked at between pieces of this many bytes.
const READ_PIECE: usize = 64;
/// A `write()` in ECP or EPP mode hands the port's driver this many bytes
/// at a time, and looks for a signal between them.
const HW_WRITE_PIECE: usize = 256;
/// How long a `read()` sleeps between polls of a peripheral that has no
/// data (ppdev spins instead).
const NO_DATA_NAP_MS: i64 = 10;

/// A negotiation's result as a kernel result.
fn negotiated(n: Negotiation) -> Result {
    match n {
        Negotiation::Accepted => Ok(()),
        other => Err(other.into()),
    }
}

impl Port {
    /// Runs `io` as a use of the port by its owner `me`: waits for the
    /// owner's other use to end (`EAGAIN` at once if `nonblocking`), then
    /// keeps the ownership from ending until `io` returns. `EPERM` if `me`
    /// does not own the port, `ENODEV` if it has gone.
    fn use_port<R>(
        &self,
        me: &ClientRef,
        nonblocking: bool,
        io: impl FnOnce() -> Result<R>,
    ) -> Result<R> {
        {
            let mut st = self.lock_state();
            if nonblocking && st.own.is_owner(me) && st.own.in_use() {
                return Err(EAGAIN);
            }
            self.wait_owner_idle(&mut st, me)?;
            st.own.begin_use(me)?;
        }
        let result = io();
        self.lock_state().own.end_use();
        self.io_done.notify_all();
        result
    }

    /// Drives the held port's lines with `io`, given the port's IEEE 1284
    /// state, which `io` updates; within a use of the port, without the
    /// mutex; `ENODEV` if the port has gone.
    fn drive<R>(&self, io: impl FnOnce(&mut HeldLines<'_>, &mut State) -> R) -> Result<R> {
        self.on_wire(|dev| self.with_ieee1284(dev, io))
    }

    /// Runs `io` on the lines of the held port `dev`, given the port's
    /// IEEE 1284 state, which `io` updates.
    fn with_ieee1284<R>(
        &self,
        dev: &Pardevice,
        io: impl FnOnce(&mut HeldLines<'_>, &mut State) -> R,
    ) -> R {
        let (mode, phase) = dev.ieee1284();
        let mut ieee = State { mode, phase };
        let result = io(&mut HeldLines::new(dev, &self.removing), &mut ieee);
        dev.set_ieee1284(ieee.mode, ieee.phase);
        result
    }

    /// The transfer of the port's driver that a `read()` (`write` false)
    /// or `write()` by the owner `me` runs in the port's mode, with `me`'s
    /// ppdev flags; `None` in the modes parown runs itself. Within a use
    /// of the port.
    fn hw_plan(&self, me: &ClientRef, write: bool) -> Result<Option<HwTransfer>> {
        let pp_flags = {
            let st = self.lock_state();
            me.0.session.access(&st).flags
        };
        let modes = self.info.modes;
        let plan = self.on_wire(|dev| {
            let caps = PortCaps {
                modes,
                ecp_read_releases: dev.ecp_read_releases(),
            };
            hw_transfer(dev.ieee1284().0, write, pp_flags, caps)
        })?;
        Ok(plan?)
    }

    /// A `write()` of `len` bytes from `source` with the port's driver's
    /// `hw` transfer, a piece at a time; within a use of the port. Ends
    /// when the driver takes fewer bytes than it was given (as ppdev's,
    /// with the count so far, 0 if none), after the first piece with
    /// `nonblocking`, and between pieces for a signal or a cancel.
    fn hw_write(
        &self,
        me: &ClientRef,
        hw: HwTransfer,
        len: usize,
        nonblocking: bool,
        source: &mut impl FnMut(&mut [u8]) -> Result<usize>,
    ) -> Result<usize> {
        let mut done = 0;
        let mut buf = [0u8; HW_WRITE_PIECE];
        while done < len {
            let want = (len - done).min(HW_WRITE_PIECE);
            // Copied before the port's lines are taken, as in compatibility mode.
            let got = match source(&mut buf[..want]) {
                Ok(got) => got,
                Err(e) if done == 0 => return Err(e),
                Err(_) => break,
            };
            if got == 0 {
                break;
            }
            let wrote = match self.on_wire(|dev| run_hw(dev, hw, &mut buf[..got])) {
                Ok(Ok(wrote)) => wrote,
                Ok(Err(e)) | Err(e) if done == 0 => return Err(e),
                _ => break,
            };
            done += wrote;
            if wrote < got || nonblocking || done == len {
                break;
            }
            if current!().signal_pending() || me.is_cancelled() {
                break;
            }
            sched::cond_resched();
        }
        Ok(done)
    }

    /// PPNEGOT: the owner negotiates IEEE 1284 mode `to` (with its flags)
    /// with the peripheral, from the mode it is in. `EIO` if no IEEE 1284
    /// peripheral answers, `ENXIO` if it refuses the mode, `ENOSYS` for
    /// bounded ECP; the port is in compatibility mode after a failure.
    pub(crate) fn negotiate(&self, me: &ClientRef, to: i32) -> Result {
        self.use_port(me, false, || {
            negotiated(self.drive(|lines, st| ieee1284::negotiate(lines, st, to))?)
        })
    }

    /// The owner goes away (port mutex held, no use in progress): a
    /// peripheral left in another IEEE 1284 mode goes back to
    /// compatibility mode, so that the next owner's bytes reach it.
    pub(super) fn back_to_compat(&self, st: &PortState) {
        if let Some(pardev) = &st.pardev {
            self.with_ieee1284(pardev.device(), |lines, st| ieee1284::to_compat(lines, st));
        }
    }

    /// `read()`: the owner reads up to `len` bytes (at most 1024, as from
    /// ppdev) in its current mode, and hands them to `sink` as they come.
    /// `sink` returns how many of the bytes it took; fewer ends the read.
    /// In compatibility mode it first negotiates byte mode, if the port is
    /// bidirectional and the peripheral agrees, or else nibble mode (`EIO`
    /// if neither), and stays in it, as the core's `parport_read()` does.
    ///
    /// Returns once some bytes came. While the peripheral has none it
    /// waits, like ppdev: `EAGAIN` at once with `nonblocking`,
    /// `ERESTARTSYS` for a signal. A signal also ends a read between
    /// pieces of 64 bytes, with the count so far.
    ///
    /// In EPP mode and ECP mode the port's driver reads (see
    /// [`crate::hw_transfer`] for which operation and flags), if the port
    /// has the hardware for the mode, else `EOPNOTSUPP`; on a port whose
    /// driver would let the port go while it waits for ECP data (the
    /// core's reader, on a port with an interrupt), parown's own ECP
    /// reader ([`crate::ieee1284`]) instead.
    pub(crate) fn read(
        &self,
        me: &ClientRef,
        len: usize,
        nonblocking: bool,
        mut sink: impl FnMut(&[u8]) -> Result<usize>,
    ) -> Result<usize> {
        let len = len.min(READ_MAX);
        let tristate = self.info.modes & port_mode::TRISTATE != 0;
        self.use_port(me, nonblocking, || {
            // Only the owner may read even nothing, as from ppdev.
            if len == 0 {
                return Ok(0);
            }
            let hw = self.hw_plan(me, false)?;
            let mut done = 0;
            let mut buf = [0u8; READ_PIECE];
            loop {
                let want = (len - done).min(READ_PIECE);
                let piece = &mut buf[..want];
                let piece = match hw {
                    Some(hw) => self.on_wire(|dev| run_hw(dev, hw, piece)),
                    None => self.drive(|lines, st| read_piece(lines, st, tristate, piece)),
                };
                let got = match piece.and_then(|got| got) {
                    Ok(got) => got,
                    // Bytes already handed to `sink` are reported.
                    Err(_) if done > 0 => return Ok(done),
                    Err(e) => return Err(e),
                };
                if got > 0 {
                    let copied = sink(&buf[..got])?;
                    done += copied;
                    if copied < got {
                        // The rest of the buffer cannot be written.
                        return if done > 0 { Ok(done) } else { Err(EFAULT) };
                    }
                }
                if done == len || (done > 0 && got < want) {
                    return Ok(done);
                }
                if current!().signal_pending() {
                    return if done > 0 { Ok(done) } else { Err(ERESTARTSYS) };
                }
                if got == 0 {
                    if nonblocking {
                        return Err(EAGAIN);
                    }
                    fsleep(Delta::from_millis(NO_DATA_NAP_MS));
                }
            }
        })
    }

    /// `write()` in the owner's current mode: in compatibility mode the
    /// compatibility writer ([`Port::write_compat`]); from nibble or byte
    /// mode the port goes back to compatibility mode first, as the core's
    /// `parport_write()` does.
    ///
    /// In EPP mode and ECP mode the port's driver writes (see
    /// [`crate::hw_transfer`] for which operation and flags:
    /// `PP_FASTWRITE` makes EPP writes fast, `IEEE1284_ADDR` in the mode
    /// makes them address cycles), in pieces of 256 bytes: a signal ends
    /// the write between pieces with the count so far, `nonblocking`
    /// after the first piece, and a piece the peripheral did not take
    /// completely ends it with the count so far (0 if none: ppdev's
    /// result). `EOPNOTSUPP` if the port has no hardware for the mode.
    pub(crate) fn write(
        &self,
        me: &ClientRef,
        len: usize,
        nonblocking: bool,
        mut source: impl FnMut(&mut [u8]) -> Result<usize>,
    ) -> Result<usize> {
        // No write after `parown_cancel()`.
        if me.is_cancelled() {
            return Err(code::ecanceled());
        }
        // One use of the port from the mode's check to the last byte: no
        // other thread of the owner changes the mode in between.
        self.use_port(me, nonblocking, || {
            if let Some(hw) = self.hw_plan(me, true)? {
                return self.hw_write(me, hw, len, nonblocking, &mut source);
            }
            self.drive(|lines, st| match st.transfer_mode() {
                mode::COMPAT | mode::NIBBLE | mode::BYTE => {
                    ieee1284::to_compat(lines, st);
                    Ok(())
                }
                // [`hw_transfer`] sorted out every other mode.
                _ => Err(Error::from(NotRun::UnknownMode)),
            })??;
            self.write_compat(me, len, nonblocking, &mut source)
        })
    }

    /// PAROWN_GET_DEVICE_ID: the IEEE 1284 Device ID of the device `req`
    /// names (without its two length bytes), read by putting it on the bus
    /// and negotiating nibble mode with the Device ID flag.
    ///
    /// With SELECT_DEVICE's rules: with `PAROWN_HAVE_PORT_KEEP_PORT` the
    /// owner asks, and the device stays selected, the port in
    /// compatibility mode; without, the port is allocated first (waiting
    /// up to the request's timeout), and deselected and freed again
    /// afterwards. `EIO` if the chain does not answer the select or the
    /// device does not negotiate, `ENODATA` if it refuses to send an ID.
    pub(crate) fn device_id(&self, me: &ClientRef, req: &DeviceRequest) -> Result<KVec<u8>> {
        const ALLOWED: u32 = END_OF_CHAIN_DEVICE | HAVE_PORT_KEEP_PORT;
        let mut id = KVec::from_elem(0u8, ieee1284::MAX_DEVICE_ID, GFP_KERNEL)?;
        let keep = req.flags & HAVE_PORT_KEEP_PORT != 0;
        {
            let mut st = if keep {
                let mut st = self.lock_state();
                self.wait_owner_idle(&mut st, me)?;
                st
            } else {
                // As LOCK_PORT: a bad device is refused before the wait,
                // and checked again after it.
                let device = {
                    let st = self.lock_state();
                    if st.own.is_gone() {
                        return Err(ENODEV);
                    }
                    Self::device(&st, req, ALLOWED)?
                };
                let asked = Asked::DeviceId(devices::target(device));
                self.allocate_locked(me, req.timeout, asked)?
            };
            let selected = Self::device(&st, req, ALLOWED).and_then(|device| {
                self.select_on_bus(&st, device)?;
                Ok(device)
            });
            let device = match selected {
                Ok(device) => device,
                Err(e) => {
                    if !keep {
                        self.give_back(&mut st, me);
                    }
                    return Err(e);
                }
            };
            st.sel.locked(device, true);
            st.own.begin_use(me)?;
        }

        let read = self.drive(|lines, st| ieee1284::read_device_id(lines, st, &mut id));

        let mut st = self.lock_state();
        st.own.end_use();
        self.io_done.notify_all();
        if !keep && st.own.is_owner(me) {
            let _ = self.deselect_on_bus(&st);
            self.give_back(&mut st, me);
        }
        drop(st);
        let len = read??;
        id.truncate(len.min(ieee1284::MAX_DEVICE_ID));
        Ok(id)
    }
}

/// One piece of a `read()`: auto-negotiates from compatibility mode, then
/// reads in the reverse mode.
fn read_piece(
    lines: &mut HeldLines<'_>,
    st: &mut State,
    tristate: bool,
    buf: &mut [u8],
) -> Result<usize> {
    if st.transfer_mode() == mode::COMPAT {
        let byte = tristate && ieee1284::negotiate(lines, st, mode::BYTE) == Negotiation::Accepted;
        if !byte && ieee1284::negotiate(lines, st, mode::NIBBLE) != Negotiation::Accepted {
            return Err(EIO);
        }
    }
    // [`hw_transfer`] sorted out the modes `read_reverse` does not run.
    ieee1284::read_reverse(lines, st, buf).ok_or_else(|| NotRun::UnknownMode.into())
}

/// One call of the port driver's transfer `hw` on `buf`: reads into it or
/// writes from it.
fn run_hw(dev: &Pardevice, hw: HwTransfer, buf: &mut [u8]) -> Result<usize> {
    match hw.op {
        PortOp::EppReadData => dev.epp_read(false, buf, hw.flags),
        PortOp::EppReadAddr => dev.epp_read(true, buf, hw.flags),
        PortOp::EppWriteData => dev.epp_write(false, buf, hw.flags),
        PortOp::EppWriteAddr => dev.epp_write(true, buf, hw.flags),
        PortOp::EcpReadData => dev.ecp_read(buf),
        PortOp::EcpWriteData => dev.ecp_write(false, buf),
        PortOp::EcpWriteAddr => dev.ecp_write(true, buf),
    }
}
