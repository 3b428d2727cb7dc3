// SPDX-License-Identifier: GPL-2.0

//! A parallel port as parown serves it: who owns it, who waits for it, and
//! parown's own claim on it in the parport core.
//!
//! Ownership among parown's clients is the state machine of
//! [`crate::ownership`], under the port's mutex. Underneath, parown is
//! present in the parport core while it has clients on the port (from the
//! first open to the last close, as ppdev is from its first claim to
//! close), and holds the port there whenever a client owns it, and lazily
//! after the last free, until `lp`, `ppdev` or another driver asks for it;
//! see [`HwClaim`].
//!
//! This file is the core: creating and removing a port, clients opening
//! and closing, ALLOCATE, TRY_ALLOCATE and FREE, and handing the port
//! over. The rest is split by concern:
//!
//! - [`waiters`]: the wait queue and what each client sleeps on;
//! - [`hw_claim`]: the lock-free claim in the parport core;
//! - [`core_claim`]: the core's claim and release it calls, the pardevice's;
//! - [`devices`]: the device requests (LOCK_PORT and the others);
//! - [`io`]: the owner's write in compatibility mode;
//! - [`transfer`]: the owner's IEEE 1284 negotiation, reads and writes in
//!   its mode, and the Device ID of a device on the chain;
//! - [`drive`]: the owner's direct use of the lines, ppdev's state and
//!   interrupts, PPYIELD;
//! - [`held_lines`]: the held port's lines, for the protocols.

mod core_claim;
mod devices;
mod drive;
mod events;
mod held_lines;
mod hw_claim;
mod io;
mod state;
mod transfer;
mod waiters;

pub(crate) use drive::Direction;
pub(crate) use waiters::{
    ClientRef,
    Opener, //
};

use crate::{
    glue::{
        pardevice::{
            self,
            Pardevice, //
        },
        parport,
        sched,
        work, //
    },
    ieee1284::State,
    kernel_compat::code,
    live_state::{
        Asked,
        Counters, //
    },
    ownership::{
        Ownership,
        Refusal, //
    },
    request::Timeout,
    selection::Selection, //
};
use events::Grant;
use hw_claim::{
    FastRelease,
    HwClaim,
    Unparked, //
};
use kernel::{
    new_condvar,
    new_mutex,
    new_poll_condvar,
    prelude::*,
    sync::{
        aref::ARef,
        atomic::{
            ordering::{
                Relaxed,
                Release, //
            },
            Atomic, //
        },
        poll::PollCondVar,
        Arc,
        ArcBorrow,
        CondVar,
        CondVarTimeoutResult,
        Mutex,
        MutexGuard, //
    },
    time::{
        msecs_to_jiffies,
        Jiffies, //
    },
    workqueue::{
        self,
        impl_has_work,
        new_work,
        Work,
        WorkItem, //
    }, //
};
use waiters::Waiters;

/// Who owns a port, as a client sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Owner {
    /// Nobody.
    Nobody,
    /// Another client.
    Other,
    /// The client who asks.
    Me,
}

/// What changes about a port while it exists, for GET_PORT_INFO.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Status {
    /// Who owns the port.
    pub(crate) owner: Owner,
    /// IEEE 1284.3 daisy-chain devices known.
    pub(crate) ieee1284_3_devices: u32,
}

/// The thread granted the port, to be woken once the port's lock is
/// dropped (see [`Port::free`]); [`Wake::now`] wakes it.
#[must_use]
struct Wake(Option<ClientRef>);

impl Wake {
    /// Wakes the thread granted the port. Under the lock or not: it looks
    /// at its grant under the lock, and went to sleep holding it.
    fn now(self) {
        if let Some(client) = self.0 {
            client.wake();
        }
    }
}

/// The fields of [`Port`] under its mutex.
struct PortState {
    own: Ownership<ClientRef, Waiters>,
    /// The daisy chain, and what the owner locked on it.
    sel: Selection,
    /// Open clients: the wait queue has room for all of them.
    clients: usize,
    /// The owner's `write()` drives the port, outside the lock; removal
    /// waits for it. Never set while user memory is being copied, which
    /// may block for as long as user space likes.
    on_wire: bool,
    /// parown's pardevice, while the port has clients and has not gone.
    /// Shared so that a write can use it without the lock, while `on_wire`
    /// is set.
    pardev: Option<Arc<pardevice::Registration<Port>>>,
    /// The core's IEEE 1284 mode and phase before the current owner's
    /// were installed; put back when its ownership ends.
    core_ieee1284: (i32, i32),
    /// The pardevice's inactivity timeout as the core set it, in jiffies:
    /// the owner's unless it set its own (PPSETTIME).
    default_timeout: isize,
    /// The client the port is parked for (see [`HwClaim::park`]): nobody
    /// owns or waits, and it may take the port without this lock. It may
    /// have done so: [`Port::lock_state`] records it as the owner then.
    parked: Option<ClientRef>,
    /// The live state's counters, but for the grants of a parked port
    /// ([`Port::fast_grants`]).
    counters: Counters,
    /// When the current owner's ownership began, on the monotonic clock in
    /// nanoseconds (see [`crate::live_state::OwnerView::held_ms`]).
    owner_since_ns: u64,
}

/// The state one parport's clients share.
///
/// It outlives the port's `/dev` node: open files keep it, so a port that
/// goes away leaves its clients something to fail their requests against.
/// The pardevice keeps a reference to the port for its callbacks; that
/// cycle is broken by the last [`Port::close`], and by [`Port::remove`],
/// which the driver calls for every port it attached.
#[pin_data]
pub(crate) struct Port {
    parport: ARef<parport::Port>,
    info: parport::PortInfo,
    #[pin]
    state: Mutex<PortState>,
    /// Notified when the owner's I/O stops driving the port, for
    /// [`Port::remove`], and when the owner's use of the port ends (see
    /// [`Ownership::begin_use`]), for its other requests.
    #[pin]
    io_done: CondVar,
    hw: HwClaim,
    /// Set when the port goes away, so that an owner's write waiting for a
    /// busy peripheral stops at once.
    removing: Atomic<bool>,
    /// Hands the port to a waiter after `wakeup` claimed it for them.
    #[pin]
    work: Work<Port>,
    /// Interrupts since the current owner got the port (see
    /// [`drive`]); counted in interrupt context.
    irqs: Atomic<u32>,
    /// The owner's PPWCTLONIRQ byte, with [`drive::IRQ_CONTROL_ARMED`]
    /// set until an interrupt writes it; 0 for none.
    irq_control: Atomic<u32>,
    /// Notified at every interrupt, for `poll()`.
    #[pin]
    irq_wait: PollCondVar,
    /// Grants of a parked port, taken without the lock (see
    /// [`Port::allocate`]).
    fast_grants: Atomic<u64>,
}

impl_has_work! {
    impl HasWork<Self> for Port { self.work }
}

impl WorkItem for Port {
    type Pointer = Arc<Port>;

    fn run(this: Arc<Port>) {
        let mut st = this.lock_state();
        this.pump(&mut st);
    }
}

impl pardevice::Callbacks for Port {
    fn preempt(&self) -> bool {
        self.hw.preempt()
    }

    fn wakeup(this: ArcBorrow<'_, Self>, dev: &Pardevice) {
        if this.hw.wakeup(dev) {
            // Already queued is fine: it will see the port held.
            let _ = workqueue::system().enqueue(Arc::<Port>::from(this));
        }
    }

    fn irq(&self, dev: &Pardevice) {
        self.interrupted(dev);
    }
}

impl Port {
    /// Creates the state of a port the parport core reported. The caller
    /// must call [`Port::remove`] eventually.
    pub(crate) fn new(parport: &parport::Port) -> Result<Arc<Self>> {
        Arc::pin_init(
            try_pin_init!(Self {
                parport: parport.into(),
                info: parport.info(),
                state <- new_mutex!(
                    PortState {
                        own: Ownership::new(Waiters::new(KVec::new())),
                        sel: Selection::default(),
                        clients: 0,
                        on_wire: false,
                        pardev: None,
                        core_ieee1284: (State::COMPAT.mode, State::COMPAT.phase),
                        default_timeout: 0,
                        parked: None,
                        counters: Counters::default(),
                        owner_since_ns: 0,
                    },
                    "Port::state"
                ),
                io_done <- new_condvar!("Port::io_done"),
                hw: HwClaim::new(),
                removing: Atomic::new(false),
                work <- new_work!("Port::work"),
                irqs: Atomic::new(0),
                irq_control: Atomic::new(0),
                irq_wait <- new_poll_condvar!("Port::irq_wait"),
                fast_grants: Atomic::new(0),
            }),
            GFP_KERNEL,
        )
    }

    /// Whether this is the state of `parport`.
    pub(crate) fn serves(&self, parport: &parport::Port) -> bool {
        core::ptr::eq(&*self.parport, parport)
    }

    /// The port's mutex. Every request takes it here, which first ends the
    /// fast path's states: a client that took the parked port without the
    /// lock becomes the recorded owner, and a parked port idles. Inside the
    /// lock, ownership is [`Ownership`]'s alone.
    fn lock_state(&self) -> MutexGuard<'_, PortState> {
        let mut st = self.state.lock();
        self.settle(&mut st);
        st
    }

    /// Ends the fast path's states (see [`Port::lock_state`]).
    fn settle(&self, st: &mut PortState) {
        let Some(parked) = st.parked.take() else {
            return;
        };
        let Some(pardev) = &st.pardev else {
            return;
        };
        if self.hw.unpark(parked.token(), pardev.device()) == Unparked::Owned
            && st.own.try_take(parked).is_err()
        {
            pr_err!(
                "parport{}: inconsistent: owned while parked\n",
                self.info.number
            );
            kernel::warn_on!(true);
        }
    }

    /// The port's fixed description.
    pub(crate) fn info(&self) -> &parport::PortInfo {
        &self.info
    }

    /// The port went away: fail every waiter and every later request, wait
    /// for the owner's I/O to stop, and give up the pardevice.
    pub(crate) fn remove(&self) {
        self.removing.store(true, Release);
        let pardev = {
            let mut st = self.lock_state();
            self.traced_removal(&mut st);
            for waiter in st.own.queue().iter() {
                waiter.end_wait(Err(ENODEV));
            }
            st.own.remove_port();
            st.sel.unlocked();
            // Requests of the owner waiting for its use to end: it has.
            self.io_done.notify_all();
            // From here on nothing but this function touches the claim
            // (`pump` and the others leave a gone port alone), so an owner
            // still strobing a byte keeps the port until it stops.
            while st.on_wire {
                self.io_done.wait(&mut st);
            }
            let pardev = st.pardev.take();
            if let Some(pardev) = &pardev {
                self.hw.retire(pardev.device());
            }
            pardev
        };
        // Unregistering stops the callbacks; one that claimed the port
        // meanwhile is released there.
        drop(pardev);
        work::flush(&self.work);
    }

    /// A client opens: make room for it in the wait queue. The first one
    /// registers parown's pardevice, which fails with `EBUSY` while another
    /// driver holds the port exclusively, and enumerates the daisy chain if
    /// that never happened.
    pub(crate) fn open(this: &Arc<Self>) -> Result {
        let mut st = this.lock_state();
        if st.own.is_gone() {
            return Err(ENODEV);
        }
        let room = st.clients + 1;
        st.own.queue_mut().reserve(room)?;
        if st.pardev.is_none() {
            // Under the lock, so that it never overlaps the last close's
            // unregistration: the core names both `parown.<id>`.
            this.hw.restart();
            let pardev = pardevice::Registration::new(&this.parport, this.clone())?;
            st.default_timeout = pardev.device().timeout();
            st.pardev = Some(Arc::new(pardev, GFP_KERNEL)?);
            if !st.sel.known() {
                this.enumerate_if_free(&mut st);
            }
        }
        st.clients = room;
        Ok(())
    }

    /// A client goes away: it gives up the port and its place in the
    /// queue. Returns whether it owned the port.
    pub(crate) fn close(&self, me: &ClientRef) -> bool {
        let mut st = self.lock_state();
        st.clients = st.clients.saturating_sub(1);
        // Leave the peripheral in compatibility mode, as ppdev's close
        // does, and nothing selected. The port goes on regardless.
        if st.own.is_owner(me) {
            if !st.own.is_gone() {
                self.back_to_compat(&st);
            }
            if st.sel.lock().is_some_and(|lock| lock.selected) {
                let _ = self.deselect_on_bus(&st);
            }
            self.owner_ending(&mut st, me);
        }
        // An asynchronous request the work item has not taken up yet must
        // not make the closed client the owner once it has left: under the
        // lock, as `join_async` looks under it.
        me.set_cancelled();
        let owned = st.own.leave(me);
        me.0.waits_async.store(false, Relaxed);
        if owned {
            self.handed_back(&mut st);
        } else {
            self.pump(&mut st);
        }
        if st.clients == 0 {
            // The last client: parown leaves the port to other drivers and
            // stops pinning its low-level driver. Unregistering under the
            // lock calls back into nothing that takes it.
            if let Some(pardev) = st.pardev.take() {
                self.hw.retire(pardev.device());
            }
        }
        drop(st);
        // Out of the queue and owning nothing, nothing queues the client's
        // work item again: let the one in flight finish.
        me.flush();
        owned
    }

    /// ALLOCATE: waits, in arrival order, until `me` owns the port.
    ///
    /// A signal ends an untimed wait with `ERESTARTSYS`, so that a handler
    /// installed with `SA_RESTART` restarts it (queueing again at the
    /// back), and a timed wait with `EINTR`, never restarted: a restart
    /// would start the full timeout again, so a caller signalled more
    /// often than its timeout would wait for ever. This is the rule of
    /// Linux's own timed waits (`SO_RCVTIMEO` sockets, `poll`, `nanosleep`
    /// with handlers; see `signal(7)`).
    ///
    /// `ECANCELED` if the client is cancelled (see [`Port::cancel`]), or
    /// the calling kernel thread is being stopped: then it starts no wait,
    /// and a wait ends at once.
    ///
    /// A port parked for `me` (see [`Port::park_for`]) is taken without the
    /// port's lock. A cancelled client is never parked for, so only the
    /// kernel thread's check comes first.
    pub(crate) fn allocate(&self, me: &ClientRef, timeout: Timeout) -> Result {
        self.traced_request(me);
        if !sched::kthread_should_stop() && self.hw.take_parked(me.token()) {
            self.traced_fast_grant(me);
            return Ok(());
        }
        self.wait_for_grant(me, timeout, Asked::Allocate).map(drop)
    }

    /// ALLOCATE, returning with the port's lock held so that the caller
    /// can use the port before anything else happens to it.
    /// `asked` says what for, in the live state.
    fn allocate_locked(
        &self,
        me: &ClientRef,
        timeout: Timeout,
        asked: Asked,
    ) -> Result<MutexGuard<'_, PortState>> {
        self.traced_request(me);
        self.wait_for_grant(me, timeout, asked)
    }

    /// [`Self::allocate_locked`] after the request's trace event.
    fn wait_for_grant(
        &self,
        me: &ClientRef,
        timeout: Timeout,
        asked: Asked,
    ) -> Result<MutexGuard<'_, PortState>> {
        if me.is_cancelled() || sched::kthread_should_stop() {
            return Err(code::ecanceled());
        }
        let mut st = self.lock_state();
        // A free port is taken at once, without queueing and waking.
        if self.take_if_free(&mut st, me, Grant::AtOnce) {
            return Ok(st);
        }
        st.own.enqueue(me.clone())?;
        me.mark_queued(asked, timeout.ms());
        self.pump(&mut st);
        let interrupted = match timeout {
            Timeout::Never => ERESTARTSYS,
            Timeout::Ms(_) => EINTR,
        };
        self.await_grant(st, me, timeout, interrupted)
    }

    /// Waits, in the queue, until `me` is granted the port, and takes it
    /// up. A signal ends the wait with `interrupted`, a timeout with
    /// `ETIMEDOUT`; either takes `me` out of the queue.
    fn await_grant<'a>(
        &'a self,
        mut st: MutexGuard<'a, PortState>,
        me: &ClientRef,
        timeout: Timeout,
        interrupted: Error,
    ) -> Result<MutexGuard<'a, PortState>> {
        let mut left: Jiffies = match timeout {
            Timeout::Never => Jiffies::MAX,
            Timeout::Ms(ms) => msecs_to_jiffies(ms),
        };
        let mut ended = None;
        loop {
            // Cancelled just as it was granted: the grant, not yet taken
            // up, passes on, and nothing is lost.
            if me.is_cancelled() && st.own.abandon_grant(me) {
                self.traced_wait_failure(&mut st, me, code::ecanceled());
                self.io_done.notify_all();
                self.handed_back(&mut st);
                return Err(code::ecanceled());
            }
            // Granted, even at the moment the wait ended: it succeeded.
            if st.own.is_owner(me) {
                // Take the grant up. Until now the port was in use, so no
                // other thread of this client could write or free it
                // before this request had its go at the port.
                st.own.end_use();
                self.owner_started(&mut st, me);
                self.traced_grant(&mut st, me, Grant::Waited);
                self.io_done.notify_all();
                return Ok(st);
            }
            if st.own.is_gone() {
                return Err(ENODEV);
            }
            if ended.is_none() && me.is_cancelled() {
                ended = Some(code::ecanceled());
            }
            if let Some(err) = ended {
                self.traced_wait_failure(&mut st, me, err);
                st.own.cancel(me);
                self.pump(&mut st);
                return Err(err);
            }
            ended = match me.0.woken.wait_interruptible_timeout(&mut st, left) {
                CondVarTimeoutResult::Woken { jiffies } => {
                    left = jiffies;
                    None
                }
                CondVarTimeoutResult::Timeout => Some(ETIMEDOUT),
                // `kthread_stop()` interrupts the thread's sleep as a
                // signal would (`TIF_NOTIFY_SIGNAL`), and for good.
                CondVarTimeoutResult::Signal { .. } if sched::kthread_should_stop() => {
                    Some(code::ecanceled())
                }
                CondVarTimeoutResult::Signal { .. } => Some(interrupted),
            };
        }
    }

    /// TRY_ALLOCATE: owns the port at once if nobody owns it or waits for
    /// it and parown can hold it now; `EAGAIN` otherwise.
    pub(crate) fn try_allocate(&self, me: &ClientRef) -> Result {
        // Never parked for a cancelled client: see `allocate`.
        if self.hw.take_parked(me.token()) {
            self.traced_fast_grant(me);
            return Ok(());
        }
        if me.is_cancelled() {
            return Err(code::ecanceled());
        }
        let mut st = self.lock_state();
        if self.take_if_free(&mut st, me, Grant::AtOnce) {
            return Ok(());
        }
        // Say why not: the port is owned, waited for or gone, or, if none
        // of these, another driver holds it. Asking must not take it.
        let refused = st.own.check_try(me).err().unwrap_or(Refusal::Busy);
        self.pump(&mut st);
        Err(refused.into())
    }

    /// Makes `me` the owner if nobody owns or waits for the port and
    /// parown can hold it now, recording the grant as `how`; returns
    /// whether it did.
    fn take_if_free(&self, st: &mut PortState, me: &ClientRef, how: Grant) -> bool {
        let Some(pardev) = &st.pardev else {
            return false;
        };
        if !st.own.is_free() || !self.hw.acquire(pardev.device()) {
            return false;
        }
        // Cannot be refused: the port is free.
        let taken = st.own.try_take(me.clone()).is_ok();
        if taken {
            me.became_owner();
            self.owner_started(st, me);
            self.traced_grant(st, me, how);
        }
        self.check(st);
        taken
    }

    /// The work item of `me`'s asynchronous request joins the queue, or
    /// takes the port if it is free. Returns the result to report now, or
    /// `None` if `me` waits: the grant or the removal reports it.
    pub(super) fn join_async(&self, me: &ClientRef) -> Option<Result> {
        let mut st = self.lock_state();
        if me.is_cancelled() {
            return Some(Err(code::ecanceled()));
        }
        if self.take_if_free(&mut st, me, Grant::AtOnceAsync) {
            return Some(Ok(()));
        }
        if let Err(refusal) = st.own.enqueue(me.clone()) {
            return Some(Err(refusal.into()));
        }
        me.mark_queued(Asked::AllocateAsync, None);
        me.0.waits_async.store(true, Relaxed);
        self.pump(&mut st);
        None
    }

    /// Whether `me` owns the port.
    pub(super) fn owned_by(&self, me: &ClientRef) -> bool {
        self.lock_state().own.is_owner(me)
    }

    /// `parown_cancel()`: ends `me`'s waits and fails its later requests
    /// that would make it the owner, or write, with `ECANCELED`, until it
    /// is closed. A waiting thread leaves the queue itself when woken; an
    /// asynchronous request leaves it here and is reported.
    pub(crate) fn cancel(&self, me: &ClientRef) {
        me.set_cancelled();
        let mut st = self.lock_state();
        if me.end_wait(Err(code::ecanceled())) {
            self.traced_wait_failure(&mut st, me, code::ecanceled());
            st.own.cancel(me);
            self.pump(&mut st);
        }
    }

    /// FREE: `me` gives the port up; it passes to the longest waiter. A
    /// write of `me` in progress is waited for.
    ///
    /// The new owner is woken after the port's lock is dropped, so that it
    /// does not wake only to sleep again on the lock its waker holds.
    ///
    /// If nobody waits, the port is parked for `me` when its ownership
    /// needs nothing installed (see [`Port::park_for`]): its next ALLOCATE
    /// or TRY_ALLOCATE and FREE then take no lock, as long as nothing else
    /// happens to the port.
    pub(crate) fn free(&self, me: &ClientRef) -> Result {
        match self.hw.release_fast(me.token()) {
            FastRelease::Parked => {
                self.traced_free(me);
                return Ok(());
            }
            // Another driver asked for the port meanwhile: the lock's
            // `settle` gives it up.
            FastRelease::Contended => {
                self.traced_free(me);
                drop(self.lock_state());
                return Ok(());
            }
            FastRelease::NotFast => {}
        }
        let mut st = self.lock_state();
        self.wait_owner_idle(&mut st, me)?;
        st.own.release(me)?;
        self.owner_ending(&mut st, me);
        let wake = self.let_go(&mut st);
        self.park_for(&mut st, me);
        drop(st);
        wake.now();
        Ok(())
    }

    /// After the owner let go of the port (port mutex held): nothing is
    /// locked any more, and the port passes on.
    fn handed_back(&self, st: &mut PortState) {
        self.let_go(st).now();
    }

    /// [`Self::handed_back`], leaving the new owner's wake-up to the
    /// caller.
    fn let_go(&self, st: &mut PortState) -> Wake {
        st.sel.unlocked();
        // With nobody waiting, the port idles, which gives it to a driver
        // that asked for it.
        if st.own.waiters() > 0 {
            self.yield_to_other_drivers(st);
        }
        self.hand_over(st)
    }

    /// The owner gives the port up at the end of a request. Its callers
    /// waited for the owner's use of the port to end ([`Self::wait_owner_idle`]
    /// or [`Self::allocate_locked`]) without letting go of the lock since.
    fn give_back(&self, st: &mut PortState, me: &ClientRef) {
        match st.own.release(me) {
            Ok(()) => {
                self.owner_ending(st, me);
                self.handed_back(st);
            }
            Err(Refusal::InUse) => {
                pr_err!(
                    "parport{}: inconsistent: given back in use\n",
                    self.info.number
                );
                kernel::warn_on!(true);
            }
            Err(_) => {}
        }
    }

    /// Waits until `me` owns the port and nothing else of `me` uses it: a
    /// write of another of its threads, or a request that was granted the
    /// port and has not yet taken it up. Every request of the owner that
    /// drives the port or ends its ownership waits here, so the ownership
    /// a use started under lasts until that use ends.
    ///
    /// `EPERM` if `me` does not own the port (any more), `ENODEV` if it has
    /// gone, `ERESTARTSYS` if a signal ends the wait.
    fn wait_owner_idle(&self, st: &mut MutexGuard<'_, PortState>, me: &ClientRef) -> Result {
        loop {
            if st.own.is_gone() {
                return Err(ENODEV);
            }
            if !st.own.is_owner(me) {
                return Err(EPERM);
            }
            if !st.own.in_use() {
                return Ok(());
            }
            if self.io_done.wait_interruptible(st) {
                return Err(ERESTARTSYS);
            }
        }
    }

    /// QUERY_WAITERS: the number of clients waiting.
    pub(crate) fn waiters(&self) -> Result<u32> {
        let st = self.lock_state();
        if st.own.is_gone() {
            return Err(ENODEV);
        }
        Ok(u32::try_from(st.own.waiters()).unwrap_or(u32::MAX))
    }

    /// GET_PORT_INFO's changing part, as `me` sees it.
    pub(crate) fn status(&self, me: &ClientRef) -> Result<Status> {
        let st = self.lock_state();
        if st.own.is_gone() {
            return Err(ENODEV);
        }
        let owner = match st.own.owner() {
            Some(owner) if owner == me => Owner::Me,
            Some(_) => Owner::Other,
            None => Owner::Nobody,
        };
        Ok(Status {
            owner,
            ieee1284_3_devices: u32::from(st.sel.devices()),
        })
    }

    /// After a free: if another driver waits for the port, give the
    /// hardware up now, even if clients wait, so that parown does not keep
    /// other drivers out; the waiters get it back through `wakeup`.
    fn yield_to_other_drivers(&self, st: &mut PortState) {
        if st.own.is_gone() {
            return;
        }
        if let Some(pardev) = &st.pardev {
            if self.hw.contended() {
                self.hw.release(pardev.device());
            }
        }
    }

    /// Brings the port to where its state says it should be (port mutex
    /// held): hands it to the longest waiter once parown holds it, or lets
    /// it idle when nobody owns or waits.
    fn pump(&self, st: &mut PortState) {
        self.hand_over(st).now();
    }

    /// [`Self::pump`], leaving the new owner's wake-up to the caller.
    fn hand_over(&self, st: &mut PortState) -> Wake {
        let mut wake = Wake(None);
        // `remove` alone gives a gone port back, once no write drives it.
        let pardev = st.pardev.as_ref().filter(|_| !st.own.is_gone());
        if let Some(pardev) = pardev {
            let dev = pardev.device();
            if st.own.handover_due() {
                if self.hw.acquire(dev) {
                    if let Some(next) = st.own.grant_next().cloned() {
                        next.became_owner();
                        if next.end_async_wait(Ok(())) {
                            // No thread takes an asynchronous grant up:
                            // the client owns the port from here.
                            st.own.end_use();
                            self.owner_started(st, &next);
                            self.traced_grant(st, &next, Grant::WaitedAsync);
                        } else {
                            wake = Wake(Some(next));
                        }
                    }
                }
            } else if st.own.owner().is_none() {
                self.hw.idle(dev);
            }
        }
        if st.own.waiters() > 0 {
            if let Some(owner) = st.own.owner() {
                owner.ask_to_let_go();
            }
        }
        self.check(st);
        wake
    }

    /// Internal consistency checks, on in debug builds (the test kernel).
    fn check(&self, st: &PortState) {
        if cfg!(CONFIG_RUST_DEBUG_ASSERTIONS) {
            if let Some(what) = st.own.broken_invariant() {
                pr_err!("parport{}: inconsistent: {}\n", self.info.number, what);
                kernel::warn_on!(true);
            }
            if let Some(what) = st.own.queue().broken_invariant() {
                pr_err!("parport{}: inconsistent: {}\n", self.info.number, what);
                kernel::warn_on!(true);
            }
            if st.parked.is_some() && !st.own.is_free() {
                pr_err!(
                    "parport{}: inconsistent: parked while owned or waited for\n",
                    self.info.number
                );
                kernel::warn_on!(true);
            }
            // Stable while held: see `HwClaim::is_held`.
            if self.hw.is_held() && st.pardev.as_ref().is_some_and(|p| !p.device().holds_port()) {
                pr_err!(
                    "parport{}: inconsistent: held, but not in the parport core\n",
                    self.info.number
                );
                kernel::warn_on!(true);
            }
            if st.own.owner().is_some() && !self.hw.is_held() {
                pr_err!(
                    "parport{}: inconsistent: owned but not held\n",
                    self.info.number
                );
                kernel::warn_on!(true);
            }
        }
    }
}
