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
///   allocate/free cycles stay off the hardware;
/// - `PARKED(t)`: `IDLE`, and the client whose token is `t`, the last
///   owner, may take the port without the port's mutex ([`Self::take_parked`]);
/// - `FAST_HELD(t)`: held for that client, which took the port so; only it
///   ([`Self::release_fast`]) or a holder of the port's mutex
///   ([`Self::unpark`]) changes this state.
///
/// A token is the address of the client's state: not null, a multiple of
/// 8, and unique among the port's open clients. The port's mutex holder
/// creates `PARKED` ([`Self::park`]) and ends both fast states
/// ([`Self::unpark`]) before it looks at anything else, so that, inside
/// the mutex, the states are the five above.
pub(super) struct HwClaim {
    state: Atomic<usize>,
    /// Counts `wakeup` calls, so that a claim that failed while a release
    /// happened is retried instead of sleeping through the release.
    kicks: Atomic<u32>,
    /// Another driver asked for the port while we held it.
    contended: Atomic<bool>,
}

const RELEASED: usize = 0;
const WANTED: usize = 1;
const CLAIMING: usize = 2;
const HELD: usize = 3;
const IDLE: usize = 4;

/// The tag of `PARKED(t)`: `t | PARKED`.
const PARKED: usize = 1;
/// The tag of `FAST_HELD(t)`: `t | FAST_HELD`.
const FAST_HELD: usize = 2;
/// The bits of a state that are the tag; a token has none of them set.
const TAG: usize = 7;

/// Whether `token` can be a client's token: tagging it gives no state of
/// the slow paths.
fn is_token(token: usize) -> bool {
    token > IDLE && token & TAG == 0
}

/// Whether `state` is `PARKED(t)` or `FAST_HELD(t)`, as `tag` says, for
/// some token `t`.
fn is_tagged(state: usize, tag: usize) -> bool {
    state > IDLE && state & TAG == tag
}

/// What [`HwClaim::release_fast`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FastRelease {
    /// The port is `PARKED` for the client again.
    Parked,
    /// As `Parked`, but another driver asked for the port meanwhile: the
    /// caller takes the port's mutex, whose [`HwClaim::unpark`] gives it up.
    Contended,
    /// The client did not hold the port the fast way: the caller takes the
    /// port's mutex and frees it there.
    NotFast,
}

/// What [`HwClaim::unpark`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Unparked {
    /// The client had taken the port: it owns it, and the port is `HELD`.
    Owned,
    /// The port was parked: it is `IDLE` now (or given to a driver that
    /// asked for it, as [`HwClaim::idle`] does).
    Idle,
    /// `preempt` had given the parked port up: it is `RELEASED`.
    Released,
}

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
        let mut now = self.state.load(Relaxed);
        loop {
            if now != IDLE && !is_tagged(now, PARKED) {
                return false;
            }
            now = match self.state.cmpxchg(now, RELEASED, Full) {
                Ok(_) => return true,
                // The last owner took its parked port, or it moved on.
                Err(now) => now,
            };
        }
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
        mut from: usize,
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

    /// A new pardevice is about to be registered (port mutex held, the
    /// last one unregistered): it will hold nothing, whatever the claim of
    /// the last one says. A `wakeup` that raced with that one's
    /// [`Self::retire`] may have claimed the port after it (`HELD`, which
    /// the glue's unregistration gave back) or failed to (`WANTED`), and
    /// no callback of the last pardevice runs any more.
    pub(super) fn restart(&self) {
        self.contended.store(false, Relaxed);
        self.state.store(RELEASED, Release);
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

    /// Parks the port for the client with `token` after its free (port
    /// mutex held, nobody owning or waiting): if parown holds the port
    /// lazily, that client may take it again without the port's mutex.
    /// Returns whether it did.
    pub(super) fn park(&self, token: usize) -> bool {
        is_token(token) && self.state.cmpxchg(IDLE, token | PARKED, Full).is_ok()
    }

    /// The fast ALLOCATE, without the port's mutex: the client with
    /// `token` takes the port parked for it. Returns whether it did; then
    /// it owns the port, and the next holder of the mutex records it
    /// ([`Self::unpark`]).
    #[inline]
    pub(super) fn take_parked(&self, token: usize) -> bool {
        is_token(token)
            && self
                .state
                .cmpxchg(token | PARKED, token | FAST_HELD, Full)
                .is_ok()
    }

    /// The fast FREE, without the port's mutex: the client with `token`
    /// gives back a port it took with [`Self::take_parked`], parked for it
    /// again.
    #[inline]
    pub(super) fn release_fast(&self, token: usize) -> FastRelease {
        if !is_token(token)
            || self
                .state
                .cmpxchg(token | FAST_HELD, token | PARKED, Full)
                .is_err()
        {
            return FastRelease::NotFast;
        }
        // After publishing `PARKED`, with the full barrier above, as `idle`
        // does: a driver refused while the port was held shows here, and
        // one that asks later finds the port parked and takes it.
        if self.contended.load(Relaxed) {
            FastRelease::Contended
        } else {
            FastRelease::Parked
        }
    }

    /// Ends the fast states for the client with `token`, the one parked
    /// for (port mutex held, before anything else looks at the claim):
    /// after this, the states are the ones of the slow paths.
    pub(super) fn unpark<D: CoreClaim + ?Sized>(&self, token: usize, dev: &D) -> Unparked {
        if !is_token(token) {
            return Unparked::Released;
        }
        let mut now = self.state.load(Relaxed);
        loop {
            let owned = if now == token | FAST_HELD {
                true
            } else if now == token | PARKED {
                false
            } else {
                // Only `preempt` ends `PARKED` without the mutex.
                return Unparked::Released;
            };
            // Either way `HELD` for the mutex's holder; the client's fast
            // FREE or `preempt` may change the state first.
            if let Err(changed) = self.state.cmpxchg(now, HELD, Full) {
                now = changed;
                continue;
            }
            if owned {
                return Unparked::Owned;
            }
            // Nobody's: as after a free, keep it lazily or give it to a
            // driver that asked.
            self.idle(dev);
            return Unparked::Idle;
        }
    }

    pub(super) fn contended(&self) -> bool {
        self.contended.load(Acquire)
    }

    /// Whether the port is held for a client (`HELD`, or `FAST_HELD`).
    /// The port's mutex holder, which never sees `FAST_HELD` (see
    /// [`Self::unpark`]), can rely on a `true` and on the core's holder
    /// then: nothing but that mutex holder lets go of a `HELD` port.
    pub(super) fn is_held(&self) -> bool {
        let now = self.state.load(Acquire);
        now == HELD || is_tagged(now, FAST_HELD)
    }
}

// The path works both for the kernel crate, where this file is a plain
// module, and for the host crate, which loads it with `#[path]`.
#[cfg(test)]
#[path = "hw_claim/tests.rs"]
mod tests;
