// SPDX-License-Identifier: GPL-2.0

//! parown's claim on a port in the parport core, kept without locks so
//! that the core's callbacks can change it.

use crate::glue::pardevice::Pardevice;
use kernel::sync::atomic::{
    ordering::{
        Acquire,
        Full,
        Relaxed,
        Release, //
    },
    Atomic, //
};

/// parown's claim on the port in the parport core.
///
/// The core's `preempt` and `wakeup` callbacks may not sleep or take a
/// mutex, so this is lock-free; process context changes it only with the
/// port's mutex held, which serialises those changes against each other.
///
/// States:
/// - `RELEASED`: not held, and no client needs it;
/// - `WANTED`: not held, clients wait, and the pardevice is queued in the
///   core, so the next release calls `wakeup`;
/// - `CLAIMING`: somebody is in `parport_claim()` for us right now;
/// - `HELD`: held for a client, who owns it or is being handed it;
///   `preempt` refuses;
/// - `IDLE`: held lazily, no client owns it; `preempt` gives it up, so
///   allocate/free cycles stay off the hardware.
pub(super) struct HwClaim {
    state: Atomic<i32>,
    /// Counts `wakeup` calls, so that a claim that failed while a release
    /// happened is retried instead of sleeping through the release.
    kicks: Atomic<u32>,
    /// Another driver asked for the port while we held it.
    contended: Atomic<bool>,
}

const RELEASED: i32 = 0;
const WANTED: i32 = 1;
const CLAIMING: i32 = 2;
const HELD: i32 = 3;
const IDLE: i32 = 4;

impl HwClaim {
    pub(super) fn new() -> Self {
        Self {
            state: Atomic::new(RELEASED),
            kicks: Atomic::new(0),
            contended: Atomic::new(false),
        }
    }

    /// Another device wants the port: give up a lazy hold only.
    pub(super) fn preempt(&self) -> bool {
        // Say so before looking at the state, with a full barrier: `idle`
        // stores `IDLE` before it looks at `contended`, so one of the two
        // sees the other and the asking driver never waits on an idle
        // port.
        self.contended.xchg(true, Full);
        self.state.cmpxchg(IDLE, RELEASED, Full).is_ok()
    }

    /// The port was released: claim it at once for waiting clients, before
    /// the releaser can take it back. Returns whether we now hold it for
    /// them.
    pub(super) fn wakeup(&self, dev: &Pardevice) -> bool {
        let mut kicks = self.kicks.fetch_add(1, Full).wrapping_add(1);
        loop {
            if self.state.cmpxchg(WANTED, CLAIMING, Full).is_err() {
                return false;
            }
            // Nobody can ask us for a port we do not hold yet.
            self.contended.store(false, Relaxed);
            if dev.claim() {
                self.state.store(HELD, Release);
                return true;
            }
            // Somebody else took it. If they released it again while we
            // were `CLAIMING`, their `wakeup` found nothing to do: retry,
            // as `acquire` does.
            self.state.xchg(WANTED, Full);
            let now = self.kicks.load(Relaxed);
            if now == kicks {
                return false;
            }
            kicks = now;
        }
    }

    /// Gets the port for a client (port mutex held). Returns whether parown
    /// holds it; if not, the pardevice is queued in the core and `wakeup`
    /// will claim it.
    pub(super) fn acquire(&self, dev: &Pardevice) -> bool {
        loop {
            let kicks = self.kicks.load(Acquire);
            match self.state.load(Acquire) {
                HELD => return true,
                IDLE => {
                    if self.state.cmpxchg(IDLE, HELD, Full).is_ok() {
                        return true;
                    }
                }
                // `wakeup` is claiming; if it succeeds it queues the work.
                CLAIMING => return false,
                now => {
                    if self.state.cmpxchg(now, CLAIMING, Full).is_err() {
                        continue;
                    }
                    self.contended.store(false, Relaxed);
                    if dev.claim() {
                        self.state.store(HELD, Release);
                        return true;
                    }
                    // A full barrier between publishing `WANTED` and
                    // reading `kicks`, as `wakeup` has between its
                    // increment and its look at the state: a release
                    // either finds us wanting or makes us try again.
                    self.state.xchg(WANTED, Full);
                    if self.kicks.load(Relaxed) == kicks {
                        return false;
                    }
                }
            }
        }
    }

    /// Nobody owns or waits (port mutex held): keep the port lazily, or
    /// give it to the driver that asked for it.
    pub(super) fn idle(&self, dev: &Pardevice) {
        match self.state.load(Acquire) {
            WANTED => {
                let _ = self.state.cmpxchg(WANTED, RELEASED, Full);
            }
            HELD => {
                // Publish `IDLE`, then look for a driver that asked while
                // the port was `HELD` (see `preempt`): it was refused and
                // waits for a release.
                self.state.xchg(IDLE, Full);
                if self.contended.load(Relaxed) {
                    self.release(dev);
                }
            }
            _ => {}
        }
    }

    /// The port is going away (port mutex held): give it back whatever
    /// state the claim is in, and want it no more.
    pub(super) fn retire(&self, dev: &Pardevice) {
        let _ = self.state.cmpxchg(WANTED, RELEASED, Full);
        self.release(dev);
    }

    /// Gives the port back to the core now (port mutex held), so that a
    /// driver waiting for it gets it.
    pub(super) fn release(&self, dev: &Pardevice) {
        self.contended.store(false, Relaxed);
        let held = match self.state.load(Acquire) {
            HELD => {
                self.state.store(RELEASED, Release);
                true
            }
            // `preempt` may take a lazy hold at the same moment.
            IDLE => self.state.cmpxchg(IDLE, RELEASED, Full).is_ok(),
            _ => false,
        };
        if held {
            dev.release();
        }
    }

    pub(super) fn contended(&self) -> bool {
        self.contended.load(Acquire)
    }

    pub(super) fn is_held(&self) -> bool {
        self.state.load(Acquire) == HELD
    }
}
