// SPDX-License-Identifier: GPL-2.0

//! parown's claim on a port in the parport core, kept without locks so
//! that the core's callbacks can change it.
//!
//! The file needs no kernel crate: the core's claim and release come in
//! through [`CoreClaim`], and the atomics are `crate::atomic`, the kernel's
//! in the module and a stand-in over `loom` in `cargo test` (see
//! `rust/host/atomic.rs`). The tests in `hw_claim/tests.rs` model the
//! parport core and, with `loom`, explore the interleavings of the claim's
//! operations against another driver's claim and release.

use crate::atomic::{
    ordering::{
        Acquire,
        Full,
        Relaxed,
        Release, //
    },
    Atomic, //
};

/// The parport core's claim and release of the port for parown's
/// pardevice (the claimer, which has a `preempt` callback and no `wakeup`).
pub(crate) trait CoreClaim {
    /// `parport_claim()`: takes the port if nobody holds it or its holder
    /// gives it up; otherwise returns `false` without queueing in the core
    /// (a later release calls `wakeup` unless a driver waiting in the core
    /// takes the port first). Never sleeps.
    fn claim(&self) -> bool;

    /// `parport_release()`: gives the port up, handing it to the core's
    /// longest waiter, or calling the `wakeup`s if nobody waits. The caller
    /// must hold the port.
    fn release(&self);
}

/// What [`HwClaim::claim_or_want`] ended with.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Claim {
    /// The port is ours: `HELD`.
    Held,
    /// Another device holds it: `WANTED`, and no release was missed, so a
    /// later one calls `wakeup`.
    Wanted,
    /// The state was not the one to claim from: somebody else is claiming
    /// or holds it for us.
    Raced,
}

/// parown's claim on the port in the parport core.
///
/// The core's `preempt` (called under its `cad_lock`, interrupts off) and
/// `wakeup` (called by whoever releases the port, perhaps in interrupt
/// context) may not sleep or take a mutex, so this is lock-free; process
/// context changes it only with the port's mutex held, which serialises
/// those changes against each other.
///
/// States:
/// - `RELEASED`: not held, and no client needs it;
/// - `WANTED`: not held, and clients wait. parown's claimer is not on the
///   core's wait list (it has no `wakeup`), so a driver waiting there gets
///   the port first; the first release that leaves the port free calls
///   `wakeup` (of parown's second pardevice), which claims it;
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
    pub(super) fn wakeup<D: CoreClaim + ?Sized>(&self, dev: &D) -> bool {
        let kicks = self.kicks.fetch_add(1, Full).wrapping_add(1);
        self.claim_or_want(dev, WANTED, kicks) == Claim::Held
    }

    /// Gets the port for a client (port mutex held). Returns whether parown
    /// holds it; if not, it is `WANTED` (or `wakeup` is claiming it), and
    /// the next release calls `wakeup`, which claims it.
    pub(super) fn acquire<D: CoreClaim + ?Sized>(&self, dev: &D) -> bool {
        // The common case first, in one step: parown holds the port lazily.
        let mut now = match self.state.cmpxchg(IDLE, HELD, Full) {
            Ok(_) => return true,
            Err(now) => now,
        };
        loop {
            now = match now {
                HELD => return true,
                IDLE => match self.state.cmpxchg(IDLE, HELD, Full) {
                    Ok(_) => return true,
                    Err(now) => now,
                },
                // `wakeup` is claiming; if it succeeds it queues the work.
                CLAIMING => return false,
                // The kicks before the claim: one after it shows there.
                from => match self.claim_or_want(dev, from, self.kicks.load(Acquire)) {
                    Claim::Held => return true,
                    Claim::Wanted => return false,
                    // Look again.
                    Claim::Raced => self.state.load(Acquire),
                },
            }
        }
    }

    /// Claims the port in the core, from `from` (`RELEASED` or `WANTED`),
    /// for `acquire` and `wakeup`; `kicks` is the count of `wakeup` calls
    /// the caller knows of.
    ///
    /// When the core refuses, the state becomes `WANTED` so that the next
    /// release's `wakeup` claims the port. A release that came while we
    /// were `CLAIMING` found nothing to do: it shows only as a new `kick`,
    /// and then we try again rather than sleep through it.
    fn claim_or_want<D: CoreClaim + ?Sized>(
        &self,
        dev: &D,
        mut from: i32,
        mut kicks: u32,
    ) -> Claim {
        loop {
            if self.state.cmpxchg(from, CLAIMING, Full).is_err() {
                return Claim::Raced;
            }
            // Nobody can ask us for a port we do not hold yet.
            self.contended.store(false, Relaxed);
            if dev.claim() {
                self.state.store(HELD, Release);
                return Claim::Held;
            }
            // A full barrier between publishing `WANTED` and reading
            // `kicks`, as `wakeup` has between its increment and its look
            // at the state: a release either finds us wanting or makes us
            // try again.
            self.state.xchg(WANTED, Full);
            let now = self.kicks.load(Relaxed);
            if now == kicks {
                return Claim::Wanted;
            }
            kicks = now;
            from = WANTED;
        }
    }

    /// Nobody owns or waits (port mutex held): keep the port lazily, or
    /// give it to the driver that asked for it.
    pub(super) fn idle<D: CoreClaim + ?Sized>(&self, dev: &D) {
        // Publish `IDLE` if held, then look for a driver that asked while
        // the port was `HELD` (see `preempt`): it was refused and waits for
        // a release. Nothing else changes a `HELD` state.
        match self.state.cmpxchg(HELD, IDLE, Full) {
            Ok(_) => {
                if self.contended.load(Relaxed) {
                    self.release(dev);
                }
            }
            Err(WANTED) => {
                let _ = self.state.cmpxchg(WANTED, RELEASED, Full);
            }
            Err(_) => {}
        }
    }

    /// The port is going away (port mutex held): give it back whatever
    /// state the claim is in, and want it no more. A `wakeup` already
    /// claiming may still take the port; unregistering the pardevice
    /// releases it.
    pub(super) fn retire<D: CoreClaim + ?Sized>(&self, dev: &D) {
        let _ = self.state.cmpxchg(WANTED, RELEASED, Full);
        self.release(dev);
    }

    /// Gives the port back to the core now (port mutex held), so that a
    /// driver waiting for it gets it.
    pub(super) fn release<D: CoreClaim + ?Sized>(&self, dev: &D) {
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

// The path works both for the kernel crate, where this file is a plain
// module, and for the host crate, which loads it with `#[path]`.
#[cfg(test)]
#[path = "hw_claim/tests.rs"]
mod tests;
