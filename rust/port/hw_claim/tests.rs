// SPDX-License-Identifier: GPL-2.0

//! Model checking of [`HwClaim`] with `loom`: every interleaving of
//! parown's side (`acquire`, `idle`, `release`, `retire`, serialised as the
//! port's mutex serialises them) against another driver (`lp`, `ppdev`)
//! that claims and releases the port, with the core calling `preempt` and
//! `wakeup` as `drivers/parport/share.c` does.
//!
//! Each test checks, in every interleaving:
//! - never two holders: whoever uses the port is the core's `cad`;
//! - no lost wake-up: a party that waits for the port (parown's client for
//!   the work a `wakeup` queues, the other driver in
//!   `parport_claim_or_block()`) is woken, or `loom` reports the deadlock;
//! - no hold beyond the lazy one: when everything has settled, parown holds
//!   the port only `IDLE`, never after another driver asked for it, and its
//!   state says whether it holds the port.

use super::*;
use loom::{
    model::Builder,
    sync::{
        atomic::AtomicU8,
        Condvar,
        Mutex,
        RwLock, //
    },
    thread,
};
// Not `loom`'s `Arc`: its `Drop` panics again while a failed check
// unwinds, which aborts the whole test binary instead of failing a test.
use std::sync::{atomic::Ordering::SeqCst, Arc};

/// `m` locked; a lock a failed assertion poisoned is still the model's.
fn locked<T>(m: &Mutex<T>) -> loom::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The pardevices that claim the port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dev {
    /// parown's claimer: a `preempt` callback and no `wakeup`.
    Parown,
    /// Another driver's, sleeping in `parport_claim_or_block()` when the
    /// port is busy; no `preempt` (as `lp`'s and `ppdev`'s), so it keeps
    /// the port until it releases it.
    Other,
}

/// `port->cad` as an unlocked reader sees it.
const NOBODY: u8 = 0;

impl Dev {
    fn seen(dev: Option<Dev>) -> u8 {
        match dev {
            None => NOBODY,
            Some(Dev::Parown) => 1,
            Some(Dev::Other) => 2,
        }
    }
}

/// The core's state, under its `cad_lock` and `waitlist_lock`.
struct Core {
    /// The device holding the port: `port->cad`.
    cad: Option<Dev>,
    /// The other driver is on the core's wait list, asleep in
    /// `parport_claim_or_block()`.
    other_waits: bool,
}

/// A port: the parport core's side, parown's glue and parown's claim.
struct Port {
    core: Mutex<Core>,
    /// `core.cad`, stored under the lock, for `parport_claim()`'s first,
    /// unlocked test.
    cad_unlocked: AtomicU8,
    /// The other driver's `wait_q`.
    other_woken: Condvar,
    /// The glue's `dead` flag: once unregistration has begun no `wakeup`
    /// reaches Rust, and unregistration waits for one that runs.
    glue_dead: RwLock<bool>,
    hw: HwClaim,
    /// parown's work item is queued: a `wakeup` claimed the port for the
    /// waiting client.
    work_queued: Mutex<bool>,
    work_done: Condvar,
}

/// parown's claimer, as [`HwClaim`] sees it.
struct Claimer<'a>(&'a Port);

impl CoreClaim for Claimer<'_> {
    /// The glue's `parown_glue_claim()`: `cad_lock` once, so that a claim
    /// that parown's `preempt` gave the port to has set `cad`, then the
    /// core's claim.
    fn claim(&self) -> bool {
        drop(locked(&self.0.core));
        self.0.claim(Dev::Parown)
    }

    fn release(&self) {
        self.0.release(Dev::Parown)
    }
}

impl Port {
    fn new() -> Self {
        Self {
            core: Mutex::new(Core {
                cad: None,
                other_waits: false,
            }),
            cad_unlocked: AtomicU8::new(NOBODY),
            other_woken: Condvar::new(),
            glue_dead: RwLock::new(false),
            hw: HwClaim::new(),
            work_queued: Mutex::new(false),
            work_done: Condvar::new(),
        }
    }

    fn claimer(&self) -> Claimer<'_> {
        Claimer(self)
    }

    // The parport core.

    /// `parport_claim()`: the port is taken if it is free or its holder's
    /// `preempt`, called under `cad_lock`, gives it up. Otherwise a device
    /// in `parport_claim_or_block()` joins the wait list; parown's claimer
    /// (no `wakeup`) does not.
    fn claim(&self, dev: Dev) -> bool {
        // First, without the lock: the holder is told it holds the port.
        if self.cad_unlocked.load(SeqCst) == Dev::seen(Some(dev)) {
            return true;
        }
        let mut core = locked(&self.core);
        let taken = match core.cad {
            None => true,
            Some(holder) => {
                assert_ne!(holder, dev, "{dev:?} claims the port it holds");
                holder == Dev::Parown && self.hw.preempt()
            }
        };
        if taken {
            self.set_cad(&mut core, Some(dev));
            if dev == Dev::Other {
                core.other_waits = false;
            }
        } else if dev == Dev::Other {
            core.other_waits = true;
        }
        taken
    }

    /// `parport_release()`: the port goes to the longest waiter in
    /// `parport_claim_or_block()`; if nobody waits there, every device
    /// with a `wakeup` but the releaser is called while the port stays
    /// free: parown's second pardevice, whichever device released.
    fn release(&self, dev: Dev) {
        {
            let mut core = locked(&self.core);
            assert_eq!(
                core.cad,
                Some(dev),
                "{dev:?} releases a port it does not hold"
            );
            self.set_cad(&mut core, None);
        }
        let other_waits = locked(&self.core).other_waits;
        if other_waits {
            // Claimed on its behalf; if that fails it stays queued for the
            // next release.
            self.claim(Dev::Other);
            self.other_woken.notify_all();
            return;
        }
        let free = locked(&self.core).cad.is_none();
        if free {
            self.notifier_wakeup();
        }
    }

    fn set_cad(&self, core: &mut Core, cad: Option<Dev>) {
        core.cad = cad;
        self.cad_unlocked.store(Dev::seen(cad), SeqCst);
    }

    // parown's glue and callbacks.

    /// The glue's `parown_wakeup()`, then `Port::wakeup`: claim for the
    /// waiting client and queue the work that hands the port over.
    fn notifier_wakeup(&self) {
        let dead = self.glue_dead.read().unwrap();
        if !*dead && self.hw.wakeup(&self.claimer()) {
            *locked(&self.work_queued) = true;
            self.work_done.notify_all();
        }
    }

    /// The glue's unregistration: no `wakeup` runs after it, and a port
    /// the claimer still holds is released. The glue reads `cad` without
    /// the lock, after waiting for `cad_lock` as its claims do.
    fn unregister(&self) {
        *self.glue_dead.write().unwrap() = true;
        drop(locked(&self.core));
        let held = self.cad_unlocked.load(SeqCst) == Dev::seen(Some(Dev::Parown));
        if held {
            self.release(Dev::Parown);
        }
    }

    /// The next client's open (`Port::open`): the claim restarts, then
    /// a new pardevice registers, whose gate is open.
    fn reopen(&self) {
        self.hw.restart();
        *self.glue_dead.write().unwrap() = false;
    }

    // parown's process side: one thread, as the port's mutex makes it.

    /// ALLOCATE: `take_if_free`, then `pump` each time the work runs,
    /// until parown holds the port for the client.
    fn allocate(&self) {
        while !self.hw.acquire(&self.claimer()) {
            let mut queued = locked(&self.work_queued);
            while !*queued {
                queued = self.work_done.wait(queued).unwrap();
            }
            *queued = false;
        }
        self.assert_holder(Dev::Parown);
    }

    /// TRY_ALLOCATE: the port at once, or `EAGAIN` and `pump` (nobody owns
    /// or waits: `idle`). Returns whether the client owns the port.
    fn try_allocate(&self) -> bool {
        if self.hw.acquire(&self.claimer()) {
            self.assert_holder(Dev::Parown);
            true
        } else {
            self.hw.idle(&self.claimer());
            false
        }
    }

    /// FREE with nobody waiting: `yield_to_other_drivers`, then `pump`.
    fn free(&self) {
        self.assert_holder(Dev::Parown);
        if self.hw.contended() {
            self.hw.release(&self.claimer());
        }
        self.hw.idle(&self.claimer());
    }

    /// The queued work, if any, when no client owns or waits: `pump`.
    fn run_queued_work(&self) {
        let queued = core::mem::replace(&mut *locked(&self.work_queued), false);
        if queued {
            self.hw.idle(&self.claimer());
        }
    }

    // The other driver.

    /// `parport_claim_or_block()`, using the port, `parport_release()`.
    fn other_claims_and_releases(&self) {
        if !self.claim(Dev::Other) {
            let mut core = locked(&self.core);
            while core.other_waits {
                core = self.other_woken.wait(core).unwrap();
            }
        }
        self.assert_holder(Dev::Other);
        self.release(Dev::Other);
    }

    // Checks.

    /// Whoever uses the port holds it in the core.
    fn assert_holder(&self, dev: Dev) {
        let cad = locked(&self.core).cad;
        assert_eq!(cad, Some(dev), "{dev:?} uses the port {cad:?} holds");
    }

    /// Everything settled and no client owns or waits: the other driver
    /// had its turn, parown holds the port lazily or not at all, and not
    /// after another driver asked for it.
    fn assert_settled(&self) {
        let core = locked(&self.core);
        let state = self.hw.state.load(Relaxed);
        assert!(!core.other_waits, "the other driver still waits");
        assert_ne!(
            core.cad,
            Some(Dev::Other),
            "the other driver never released"
        );
        assert!(
            state == RELEASED || state == IDLE,
            "claim state {state} with no client"
        );
        assert_eq!(
            state == IDLE,
            core.cad == Some(Dev::Parown),
            "claim state {state}, but the core's holder is {:?}",
            core.cad
        );
        assert!(
            !(state == IDLE && self.hw.contended.load(Relaxed)),
            "held lazily after another driver asked"
        );
    }
}

/// Runs `parown` on the model's main thread against the other driver's
/// claim and release on a second thread, from the state `setup` leaves,
/// in every interleaving with at most `preemptions` preemptions (`None`:
/// every interleaving); then `settled` checks, once all threads are done.
fn explore(preemptions: Option<usize>, setup: fn(&Port), parown: fn(&Port), settled: fn(&Port)) {
    explore_rounds(preemptions, 1, setup, parown, settled);
}

/// As [`explore`], with the other driver claiming and releasing `rounds`
/// times.
fn explore_rounds(
    preemptions: Option<usize>,
    rounds: usize,
    setup: fn(&Port),
    parown: fn(&Port),
    settled: fn(&Port),
) {
    let mut builder = Builder::new();
    builder.preemption_bound = preemptions;
    builder.check(move || {
        let port = Arc::new(Port::new());
        setup(&port);
        let other = {
            let port = port.clone();
            thread::spawn(move || {
                for _ in 0..rounds {
                    port.other_claims_and_releases();
                }
            })
        };
        parown(&port);
        other.join().unwrap();
        settled(&port);
    });
}

fn nothing(_: &Port) {}

fn allocate_and_free(port: &Port) {
    port.allocate();
    port.free();
}

fn settle(port: &Port) {
    port.run_queued_work();
    port.assert_settled();
}

#[test]
fn allocate_and_free_against_another_driver() {
    explore(None, nothing, allocate_and_free, settle);
}

#[test]
fn allocate_and_free_against_another_driver_twice() {
    // A `wakeup` whose claim fails because the driver took the port back,
    // and a second release while parown claims. At most 5 preemptions, to
    // keep it to a second or two (6 takes four times as long).
    explore_rounds(Some(5), 2, nothing, allocate_and_free, settle);
}

#[test]
fn allocate_from_a_lazy_hold_against_another_driver() {
    explore(None, allocate_and_free, allocate_and_free, settle);
}

#[test]
fn free_while_another_driver_asks() {
    explore(None, Port::allocate, Port::free, settle);
}

#[test]
fn try_allocate_against_another_driver() {
    explore(
        None,
        nothing,
        |port| {
            if port.try_allocate() {
                port.free();
            }
        },
        settle,
    );
}

#[test]
fn try_allocate_from_a_lazy_hold_against_another_driver() {
    explore(
        None,
        allocate_and_free,
        |port| {
            if port.try_allocate() {
                port.free();
            }
        },
        settle,
    );
}

/// The last client's close: the claim is given back, then the glue
/// unregisters.
fn retire_and_unregister(port: &Port) {
    port.hw.retire(&port.claimer());
    port.unregister();
}

/// After the pardevice went: the other driver had its turn, and nobody
/// holds the port.
fn nobody_holds_or_waits(port: &Port) {
    let core = locked(&port.core);
    assert!(!core.other_waits, "the other driver still waits");
    assert_eq!(core.cad, None, "the port is still held");
}

#[test]
fn retire_against_another_driver() {
    // The port goes away while a client owns it or waits for it: the claim
    // is given back and, with what a racing `wakeup` took, released when
    // the glue unregisters. At most 5 preemptions: every interleaving
    // would take minutes.
    explore(
        Some(5),
        allocate_and_free,
        |port| {
            let _ = port.hw.acquire(&port.claimer());
            retire_and_unregister(port);
        },
        nobody_holds_or_waits,
    );
}

#[test]
fn the_last_close_while_another_driver_takes_the_lazy_hold() {
    // The driver's claim has been given the idle port by `preempt` but has
    // not yet made itself the holder when the last client's close retires
    // the claim and unregisters: the glue must not release a port that is
    // no longer parown's.
    explore(
        None,
        allocate_and_free,
        retire_and_unregister,
        nobody_holds_or_waits,
    );
}

#[test]
fn a_new_pardevice_holds_nothing_of_the_last() {
    // The last client goes while it waits, as the other driver releases:
    // the `wakeup` this calls may claim the port after `retire`, and the
    // glue's unregistration gives it back. The next client's pardevice
    // must start from a claim that holds nothing, or its first ALLOCATE
    // takes a port the core gave nobody (`allocate` checks the holder).
    explore(
        Some(5),
        nothing,
        |port| {
            let _ = port.hw.acquire(&port.claimer());
            port.hw.idle(&port.claimer());
            retire_and_unregister(port);
        },
        |port| {
            port.reopen();
            allocate_and_free(port);
            settle(port);
        },
    );
}

// The fast paths: a client takes and gives back the port parked for it
// without the port's mutex, against another driver and against the next
// holder of the mutex.

/// The parked client's token: an address, a multiple of 8.
const TOKEN: usize = 0x1000;

impl Port {
    /// The slow FREE by the parked client, nobody waiting: `free`, then
    /// `park`.
    fn free_and_park(&self) {
        self.free();
        let _ = self.hw.park(TOKEN);
    }

    /// The next holder of the port's mutex: `unpark`, then whatever the
    /// queued work would do if the client does not own the port.
    fn settle_parked(&self) -> Unparked {
        let unparked = self.hw.unpark(TOKEN, &self.claimer());
        if unparked == Unparked::Owned {
            self.assert_holder(Dev::Parown);
        }
        unparked
    }

    /// ALLOCATE and FREE by the parked client, the fast way when it can,
    /// else through the mutex (`unpark`, `allocate`, `free_and_park`).
    fn fast_cycle(&self) {
        if self.hw.take_parked(TOKEN) {
            self.assert_holder(Dev::Parown);
            match self.hw.release_fast(TOKEN) {
                FastRelease::Parked => {}
                // The mutex's holder gives the port to the driver, unless
                // its `preempt` took it parked already.
                FastRelease::Contended => {
                    assert_ne!(self.settle_parked(), Unparked::Owned);
                }
                FastRelease::NotFast => panic!("the fast owner could not give the port back"),
            }
        } else {
            assert_ne!(self.settle_parked(), Unparked::Owned);
            self.allocate();
            self.free_and_park();
        }
    }
}

fn allocate_free_and_park(port: &Port) {
    port.allocate();
    port.free_and_park();
}

/// Settled as after the next request through the mutex.
fn unpark_and_settle(port: &Port) {
    assert_ne!(port.settle_parked(), Unparked::Owned);
    settle(port);
}

#[test]
fn fast_allocate_and_free_against_another_driver() {
    explore(
        None,
        allocate_free_and_park,
        Port::fast_cycle,
        unpark_and_settle,
    );
}

#[test]
fn fast_cycles_against_another_driver_twice() {
    explore_rounds(
        Some(4),
        2,
        allocate_free_and_park,
        |port| {
            port.fast_cycle();
            port.fast_cycle();
        },
        unpark_and_settle,
    );
}

#[test]
fn a_driver_asks_while_the_fast_owner_holds_the_port() {
    explore(
        None,
        |port| {
            allocate_free_and_park(port);
            assert!(port.hw.take_parked(TOKEN));
        },
        |port| match port.hw.release_fast(TOKEN) {
            FastRelease::Parked => {}
            FastRelease::Contended => {
                assert_ne!(port.settle_parked(), Unparked::Owned);
            }
            FastRelease::NotFast => panic!("the fast owner could not give the port back"),
        },
        unpark_and_settle,
    );
}

#[test]
fn the_mutex_holder_records_a_fast_owner() {
    // The parked client takes and gives back the port on one thread; on
    // another, the next holder of the port's mutex ends the fast states.
    // Whatever the order, exactly one of them ends the fast ownership: the
    // client gives the port back the fast way, or the mutex's holder finds
    // it the owner and its fast FREE falls back to the mutex.
    loom::model(|| {
        let port = Arc::new(Port::new());
        allocate_free_and_park(&port);
        let client = {
            let port = port.clone();
            thread::spawn(move || {
                let took = port.hw.take_parked(TOKEN);
                let released = took.then(|| port.hw.release_fast(TOKEN));
                (took, released)
            })
        };
        let unparked = port.settle_parked();
        let (took, released) = client.join().unwrap();
        let state = port.hw.state.load(Relaxed);
        match unparked {
            Unparked::Owned => {
                assert!(took);
                assert_eq!(released, Some(FastRelease::NotFast));
                assert_eq!(state, HELD, "recorded owner, port not held");
                // The owner's FREE through the mutex.
                port.free();
            }
            Unparked::Idle => {
                assert_ne!(released, Some(FastRelease::NotFast));
                assert_eq!(state, IDLE);
            }
            Unparked::Released => panic!("released with no other driver"),
        }
        port.assert_settled();
        assert!(!port.hw.take_parked(TOKEN), "still parked after unpark");
    });
}

#[test]
fn only_the_parked_client_takes_the_port_fast() {
    loom::model(only_the_parked_client_takes_the_port_fast_once);
}

fn only_the_parked_client_takes_the_port_fast_once() {
    let hw = HwClaim::new();
    hw.state.store(IDLE, Relaxed);
    assert!(!hw.park(0), "a null token");
    assert!(!hw.park(TOKEN | 4), "a token with tag bits");
    assert!(!hw.take_parked(TOKEN), "nothing is parked");
    assert!(hw.park(TOKEN));
    assert!(!hw.take_parked(TOKEN + 8), "another client");
    assert_eq!(hw.release_fast(TOKEN), FastRelease::NotFast);
    assert!(hw.take_parked(TOKEN));
    assert!(hw.is_held());
    assert!(!hw.take_parked(TOKEN), "taken twice");
    assert_eq!(hw.release_fast(TOKEN + 8), FastRelease::NotFast);
    assert_eq!(hw.release_fast(TOKEN), FastRelease::Parked);
    assert!(!hw.is_held());
    // A parked port is held lazily: another driver may have it.
    assert!(hw.preempt());
    assert!(!hw.take_parked(TOKEN));
}
