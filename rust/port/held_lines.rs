// SPDX-License-Identifier: GPL-2.0

//! The lines of a port parown holds, as the protocol code drives them.

use crate::{
    glue::pardevice::Pardevice,
    lines::{
        Lines,
        Stop, //
    }, //
};
use kernel::{
    current,
    sync::atomic::{
        ordering::Acquire,
        Atomic, //
    },
    time::{
        delay::{
            fsleep,
            udelay, //
        },
        Delta,
        Instant,
        Monotonic, //
    },
};

/// Polls of a busy peripheral spent spinning before the writer starts to
/// sleep between polls, as the parport core's `parport_poll_peripheral()`
/// for its default `spintime` of 500 µs: the first [`QUICK_POLLS`] at once,
/// then [`SPIN_POLL_US`] apart.
const SPIN_POLLS: u32 = 500 / 5 + 2;
/// Polls made at once, without waiting: a peripheral is busy for a few
/// microseconds at most after a byte, and any wait here is paid for every
/// byte.
const QUICK_POLLS: u32 = 2;
/// The time between two later spinning polls.
const SPIN_POLL_US: i64 = 5;
/// The longest sleep between polls.
const MAX_NAP_MS: i64 = 20;
/// How long a peripheral may stay busy before a byte, like the parport
/// core's default inactivity timeout.
const BUSY_TIMEOUT_MS: i64 = 5000;
/// How long a peripheral may take for one step of an IEEE 1284 handshake
/// after the spinning polls: the slow polling of the core's
/// `parport_wait_peripheral()`.
const STEP_TIMEOUT_MS: i64 = 40;

/// A port parown holds for a client, seen as its lines.
pub(crate) struct HeldLines<'a> {
    dev: &'a Pardevice,
    /// Set when the port is going away: waits for the peripheral end.
    cancel: &'a Atomic<bool>,
    /// Whether a busy peripheral is waited for, or ends the wait at once
    /// (after the first spinning polls), as for `O_NONBLOCK`.
    wait: bool,
    busy_since: Instant<Monotonic>,
}

impl<'a> HeldLines<'a> {
    /// The lines of the port `dev` holds; the caller must hold the port
    /// for as long as this exists.
    pub(crate) fn new(dev: &'a Pardevice, cancel: &'a Atomic<bool>) -> Self {
        Self {
            dev,
            cancel,
            wait: true,
            busy_since: Instant::now(),
        }
    }

    /// The same lines, but a peripheral still busy after the spinning
    /// polls ends the wait ([`Stop::WouldBlock`]) instead of sleeping.
    pub(crate) fn without_sleeping(self) -> Self {
        Self {
            wait: false,
            ..self
        }
    }

    /// The start of every pause: the first polls of a step only spin
    /// briefly, and a port being removed ends the wait. `Some` with the
    /// pause's result when that is all of it.
    fn spin_first(&mut self, attempt: u32) -> Option<Result<(), Stop>> {
        if attempt < QUICK_POLLS {
            return Some(Ok(()));
        }
        if attempt < SPIN_POLLS {
            udelay(Delta::from_micros(SPIN_POLL_US));
            return Some(Ok(()));
        }
        // The timeouts count from the end of the spinning, as the core's
        // slow polling does.
        if attempt == SPIN_POLLS {
            self.busy_since = Instant::now();
        }
        if self.cancel.load(Acquire) {
            return Some(Err(Stop::Cancelled));
        }
        None
    }
}

impl Lines for HeldLines<'_> {
    fn status(&mut self) -> u8 {
        self.dev.read_status()
    }

    fn set_data(&mut self, byte: u8) {
        self.dev.write_data(byte);
    }

    fn set_control(&mut self, control: u8) {
        self.dev.write_control(control);
    }

    fn control(&mut self) -> u8 {
        self.dev.read_control()
    }

    fn data(&mut self) -> u8 {
        self.dev.read_data()
    }

    fn data_forward(&mut self) {
        self.dev.data_forward();
    }

    fn data_reverse(&mut self) {
        self.dev.data_reverse();
    }

    fn delay_us(&mut self, us: u32) {
        udelay(Delta::from_micros(i64::from(us)));
    }

    fn pause(&mut self, attempt: u32) -> Result<(), Stop> {
        if let Some(over) = self.spin_first(attempt) {
            return over;
        }
        if !self.wait {
            return Err(Stop::WouldBlock);
        }
        if current!().signal_pending() {
            return Err(Stop::Signal);
        }
        if self.busy_since.elapsed().as_millis() >= BUSY_TIMEOUT_MS {
            return Err(Stop::Timeout);
        }
        let nap = 1i64 << (attempt - SPIN_POLLS).min(5);
        fsleep(Delta::from_millis(nap.min(MAX_NAP_MS)));
        Ok(())
    }

    fn step_pause(&mut self, attempt: u32) -> Result<(), Stop> {
        if let Some(over) = self.spin_first(attempt) {
            return over;
        }
        if current!().signal_pending() {
            return Err(Stop::Signal);
        }
        if self.busy_since.elapsed().as_millis() >= STEP_TIMEOUT_MS {
            return Err(Stop::Timeout);
        }
        fsleep(Delta::from_millis(1));
        Ok(())
    }
}
