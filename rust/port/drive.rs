// SPDX-License-Identifier: GPL-2.0

//! The owner drives the port itself, as ppdev's clients do: its lines,
//! its IEEE 1284 state, its interrupts and its inactivity timeout, and
//! PPYIELD. `/dev/parownN` answers ppdev's ioctls with these
//! (`crate::file`).
//!
//! Each client keeps its ppdev state ([`Session`]) whether it owns the
//! port or not. While it owns the port, its mode, phase and timeout are
//! the port's: they are installed when its ownership starts and saved
//! when it ends, as ppdev swaps them at `PPCLAIM` and `PPRELEASE`, so the
//! core's IEEE 1284 functions see the owner's.
//!
//! Requests that drive the lines wait for the owner's use of the port to
//! end first (a `write()` of another of its threads), and then drive them
//! under the port's mutex, so they never interleave with a transfer.
//!
//! Interrupts arrive through the pardevice while parown holds the port in
//! the core: the handler counts them for the current owner, writes the
//! owner's PPWCTLONIRQ byte, and wakes `poll()`. The count passes into
//! the owner's [`Session`] when its ownership ends; the next owner starts
//! from zero.

use super::{
    ClientRef,
    Port,
    PortState, //
};
use crate::{
    glue::{
        pardevice::Pardevice,
        time, //
    },
    live_state::Asked,
    ppdev::{
        self,
        Session, //
    },
    request::Timeout, //
};
use kernel::{
    fs::File,
    prelude::*,
    sync::{
        atomic::{
            ordering::{
                Acquire,
                Full,
                Relaxed,
                Release, //
            },
            Atomic, //
        },
        poll::PollTable, //
    },
};

/// Set in [`Port::irq_control`] while a PPWCTLONIRQ byte waits for an
/// interrupt.
pub(super) const IRQ_CONTROL_ARMED: u32 = 1 << 8;

/// `EPOLLIN | EPOLLRDNORM`.
const POLL_READABLE: u32 = 0x0001 | 0x0040;

/// The data lines' direction, for PPDATADIR.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    /// The host drives the data lines.
    Forward,
    /// The peripheral drives them (if the port can).
    Reverse,
}

impl Port {
    /// The owner's ownership starts (port mutex held, parown holding the
    /// port): install its mode, phase, timeout and PPWCTLONIRQ byte.
    ///
    /// The port's interrupt needs no enabling here: the core's claim of
    /// parown's pardevice, which has an interrupt handler, enables it
    /// (ackIntEn) on ports that have one, as for ppdev's.
    pub(super) fn owner_started(&self, st: &mut PortState, me: &ClientRef) {
        // Borrowed, not cloned: this runs at every grant.
        let Some(pardev) = &st.pardev else {
            return;
        };
        let dev = pardev.device();
        let session = *me.0.session.access(st);
        st.core_ieee1284 = dev.ieee1284();
        if st.core_ieee1284 != (session.mode, session.phase) {
            dev.set_ieee1284(session.mode, session.phase);
        }
        // Only a client that set its own (PPSETTIME, which only an owner
        // can) changes the pardevice's: the core's default is there.
        if let Some(timeout) = session.timeout {
            dev.set_timeout(timeout);
        }
        // Interrupts counted since the last ownership ended are nobody's;
        // a port without an interrupt line counts none.
        if self.has_irq() {
            self.irqs.store(0, Release);
        }
        // The last ownership's end took the byte: only an armed one is put.
        if let Some(control) = session.irq_control {
            self.irq_control.store(armed(control), Release);
        }
        me.0.session.access_mut(st).owned_once = true;
        st.owner_since_ns = time::now_ns();
    }

    /// After `me`'s FREE, with nobody owning or waiting (port mutex held):
    /// parks the port for `me` if its next ownership needs nothing from
    /// [`Self::owner_started`], so that it can take the port without the
    /// lock (see [`HwClaim::park`](super::hw_claim::HwClaim::park)). Not on
    /// a port with an interrupt line, whose interrupts are counted per
    /// ownership, nor for a client with a `preempt` callback, which is
    /// asked once per ownership, nor for a cancelled client: the fast
    /// ALLOCATE does not look at the cancellation, which is safe because
    /// [`Port::cancel`] sets it before it takes the lock, and taking the
    /// lock ends any parking.
    pub(super) fn park_for(&self, st: &mut PortState, me: &ClientRef) {
        if self.has_irq() || me.has_preempt() || me.is_cancelled() || !st.own.is_free() {
            return;
        }
        let session = me.0.session.access(st);
        let nothing_to_install = session.owned_once
            && session.timeout.is_none()
            && session.irq_control.is_none()
            && (session.mode, session.phase) == st.core_ieee1284;
        if nothing_to_install && self.hw.park(me.token()) {
            st.parked = Some(me.clone());
        }
    }

    /// The owner's ownership ends (port mutex held, parown still holding
    /// the port): save its mode, phase, interrupt count and unused
    /// PPWCTLONIRQ byte, and give the core back its own mode and phase.
    pub(super) fn owner_ending(&self, st: &mut PortState, me: &ClientRef) {
        let Some(pardev) = &st.pardev else {
            return;
        };
        // A port that went away ended every ownership there and then.
        if st.own.is_gone() {
            return;
        }
        self.traced_free(me);
        let dev = pardev.device();
        let mut session = *me.0.session.access(st);
        let ieee1284 = dev.ieee1284();
        (session.mode, session.phase) = ieee1284;
        if self.has_irq() {
            session.irqs = session.irqs.saturating_add(take(&self.irqs));
        }
        let control = take(&self.irq_control);
        session.irq_control = (control & IRQ_CONTROL_ARMED != 0).then_some(control as u8);
        if ieee1284 != st.core_ieee1284 {
            dev.set_ieee1284(st.core_ieee1284.0, st.core_ieee1284.1);
        }
        if session.timeout.is_some() {
            dev.set_timeout(st.default_timeout);
        }
        *me.0.session.access_mut(st) = session;
    }

    /// Whether the port has an interrupt line, so that interrupts can be
    /// counted ([`Port::interrupted`]); fixed while the port exists.
    fn has_irq(&self) -> bool {
        self.info.irq >= 0
    }

    /// The port interrupted while parown holds it (hard interrupt
    /// context): count it, answer with the PPWCTLONIRQ byte if one is
    /// armed, and wake `poll()`.
    pub(super) fn interrupted(&self, dev: &Pardevice) {
        let control = self.irq_control.xchg(0, Full);
        if control & IRQ_CONTROL_ARMED != 0 {
            dev.write_control(control as u8);
        }
        self.irqs.fetch_add(1, Full);
        self.irq_wait.notify_all();
    }

    /// Runs `f` on the port's lines once `me` owns the port and nothing
    /// else of `me` uses it (see [`Port::wait_owner_idle`]), under the
    /// port's mutex. `EPERM` if `me` does not own the port.
    fn with_owned<R>(&self, me: &ClientRef, f: impl FnOnce(&Pardevice) -> R) -> Result<R> {
        let mut st = self.lock_state();
        self.wait_owner_idle(&mut st, me)?;
        let pardev = st.pardev.as_ref().ok_or(ENODEV)?;
        Ok(f(pardev.device()))
    }

    /// PPRSTATUS: the status register.
    pub(crate) fn read_status(&self, me: &ClientRef) -> Result<u8> {
        self.with_owned(me, |dev| dev.read_status())
    }

    /// PPRDATA: the data register.
    pub(crate) fn read_data(&self, me: &ClientRef) -> Result<u8> {
        self.with_owned(me, |dev| dev.read_data())
    }

    /// PPWDATA: sets the data lines.
    pub(crate) fn write_data(&self, me: &ClientRef, data: u8) -> Result {
        self.with_owned(me, |dev| dev.write_data(data))
    }

    /// PPRCONTROL: the control register.
    pub(crate) fn read_control(&self, me: &ClientRef) -> Result<u8> {
        self.with_owned(me, |dev| dev.read_control())
    }

    /// PPWCONTROL: sets the control lines.
    pub(crate) fn write_control(&self, me: &ClientRef, control: u8) -> Result {
        self.with_owned(me, |dev| dev.write_control(control))
    }

    /// PPFCONTROL: changes the control lines in `mask` to `val`'s.
    pub(crate) fn frob_control(&self, me: &ClientRef, mask: u8, val: u8) -> Result {
        self.with_owned(me, |dev| {
            dev.frob_control(mask, val);
        })
    }

    /// PPDATADIR: turns the data lines.
    pub(crate) fn set_data_direction(&self, me: &ClientRef, dir: Direction) -> Result {
        self.with_owned(me, |dev| match dir {
            Direction::Forward => dev.data_forward(),
            Direction::Reverse => dev.data_reverse(),
        })
    }

    /// Runs `f` on `me`'s ppdev state and, if `me` owns the port, the
    /// port's lines, once nothing else of `me` uses the port. Needs no
    /// ownership, as ppdev's mode requests do.
    fn with_session<R>(
        &self,
        me: &ClientRef,
        f: impl FnOnce(&mut Session, Option<&Pardevice>) -> Result<R>,
    ) -> Result<R> {
        let mut st = self.lock_state();
        let owner = st.own.is_owner(me);
        if owner {
            // Not while a transfer of `me` uses the port's state.
            self.wait_owner_idle(&mut st, me)?;
        }
        let mut session = *me.0.session.access(&st);
        // An owner's port has not gone: `wait_owner_idle` said so.
        let dev = st.pardev.as_ref().filter(|_| owner).map(|p| p.device());
        let result = f(&mut session, dev);
        *me.0.session.access_mut(&mut st) = session;
        result
    }

    /// PPSETMODE: `me`'s mode for transfers, and the phase that goes with
    /// it; the port's too while `me` owns it.
    pub(crate) fn set_mode(&self, me: &ClientRef, mode: i32) -> Result {
        self.with_session(me, |s, dev| {
            s.set_mode(mode);
            if let Some(dev) = dev {
                dev.set_ieee1284(s.mode, s.phase);
            }
            Ok(())
        })
    }

    /// PPGETMODE: the port's mode while `me` owns it (a negotiation may
    /// have changed it), `me`'s otherwise.
    pub(crate) fn mode(&self, me: &ClientRef) -> Result<i32> {
        self.with_session(me, |s, dev| Ok(dev.map_or(s.mode, |d| d.ieee1284().0)))
    }

    /// PPSETPHASE: `EINVAL` for a phase the core does not know.
    pub(crate) fn set_phase(&self, me: &ClientRef, phase: i32) -> Result {
        if !ppdev::valid_phase(phase) {
            return Err(EINVAL);
        }
        self.with_session(me, |s, dev| {
            s.phase = phase;
            if let Some(dev) = dev {
                let (mode, _) = dev.ieee1284();
                dev.set_ieee1284(mode, phase);
            }
            Ok(())
        })
    }

    /// PPGETPHASE: as [`Port::mode`].
    pub(crate) fn phase(&self, me: &ClientRef) -> Result<i32> {
        self.with_session(me, |s, dev| Ok(dev.map_or(s.phase, |d| d.ieee1284().1)))
    }

    /// PPSETFLAGS.
    pub(crate) fn set_flags(&self, me: &ClientRef, flags: i32) -> Result {
        self.with_session(me, |s, _| {
            s.set_flags(flags);
            Ok(())
        })
    }

    /// PPGETFLAGS.
    pub(crate) fn flags(&self, me: &ClientRef) -> Result<u32> {
        self.with_session(me, |s, _| Ok(s.flags))
    }

    /// PPEXCL: recorded, as ppdev does, before the client's first claim;
    /// `EINVAL` afterwards unless it was already asked for. See
    /// `Documentation/parown.rst` for what it guarantees on parown.
    pub(crate) fn exclusive(&self, me: &ClientRef) -> Result {
        self.with_session(me, |s, _| {
            if s.owned_once && !s.exclusive {
                return Err(EINVAL);
            }
            s.exclusive = true;
            Ok(())
        })
    }

    /// PPWCTLONIRQ: the control byte to write at the next interrupt while
    /// `me` owns the port.
    pub(crate) fn control_on_irq(&self, me: &ClientRef, control: u8) -> Result {
        self.with_owned(me, |_| {
            self.irq_control.store(armed(control), Release);
        })
    }

    /// PPCLRIRQ: the interrupts counted for `me` since the last call, which
    /// it takes.
    pub(crate) fn take_irqs(&self, me: &ClientRef) -> Result<u32> {
        let mut st = self.lock_state();
        self.wait_owner_idle(&mut st, me)?;
        let session = me.0.session.access_mut(&mut st);
        let n = session.irqs.saturating_add(self.irqs.xchg(0, Full));
        session.irqs = 0;
        Ok(n)
    }

    /// `poll()`: readable once an interrupt was counted for `me` and not
    /// yet taken by PPCLRIRQ.
    pub(crate) fn poll(&self, me: &ClientRef, file: &File, table: &PollTable<'_>) -> u32 {
        table.register_wait(file, &self.irq_wait);
        let st = self.lock_state();
        let pending = st.own.is_owner(me) && self.irqs.load(Acquire) != 0;
        if pending || me.0.session.access(&st).irqs != 0 {
            POLL_READABLE
        } else {
            0
        }
    }

    /// PPGETTIME: the owner's inactivity timeout as seconds and
    /// microseconds.
    pub(crate) fn timeout(&self, me: &ClientRef) -> Result<(i64, i64)> {
        self.with_owned(me, |dev| {
            time::jiffies_to_timeval(usize::try_from(dev.timeout()).unwrap_or(0))
        })
    }

    /// PPSETTIME: `EINVAL` for a negative field, a microsecond count of a
    /// second or more, or a timeout that rounds to no jiffies.
    pub(crate) fn set_timeout(&self, me: &ClientRef, sec: i64, usec: i64) -> Result {
        if !ppdev::valid_timeval(sec, usec) {
            return Err(EINVAL);
        }
        let jiffies = isize::try_from(time::timeval_to_jiffies(sec, usec)).unwrap_or(isize::MAX);
        if jiffies <= 0 {
            return Err(EINVAL);
        }
        let mut st = self.lock_state();
        self.wait_owner_idle(&mut st, me)?;
        me.0.session.access_mut(&mut st).timeout = Some(jiffies);
        let pardev = st.pardev.as_ref().ok_or(ENODEV)?;
        pardev.device().set_timeout(jiffies);
        Ok(())
    }

    /// PPYIELD: if another client or another driver waits for the port,
    /// `me` passes it on and waits at the back of the queue until it owns
    /// it again; otherwise nothing happens.
    ///
    /// A signal during that wait ends it with `EINTR`, and `me` no longer
    /// owns the port (never restarted: a restarted PPYIELD of a non-owner
    /// would fail with `EPERM`).
    pub(crate) fn yield_port(&self, me: &ClientRef) -> Result {
        let mut st = self.lock_state();
        self.wait_owner_idle(&mut st, me)?;
        if st.own.waiters() == 0 && !self.hw.contended() {
            return Ok(());
        }
        st.own.requeue(me)?;
        self.owner_ending(&mut st, me);
        self.traced_request(me);
        me.mark_queued(Asked::Yield, None);
        self.handed_back(&mut st);
        self.await_grant(st, me, Timeout::Never, EINTR).map(drop)
    }
}

/// Takes the count or byte in `value` (port mutex held, at the end of an
/// ownership). Without an atomic exchange when there is nothing to take:
/// an interrupt only ever adds to the count and takes the byte, and one
/// that comes after this look came after the ownership ended.
fn take(value: &Atomic<u32>) -> u32 {
    if value.load(Relaxed) == 0 {
        0
    } else {
        value.xchg(0, Full)
    }
}

/// `control` as stored in [`Port::irq_control`], armed.
fn armed(control: u8) -> u32 {
    IRQ_CONTROL_ARMED | u32::from(control)
}
