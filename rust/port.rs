// SPDX-License-Identifier: GPL-2.0

//! A parallel port as parown serves it: who owns it, who waits for it, and
//! parown's own claim on it in the parport core.
//!
//! Ownership among parown's clients is the state machine of
//! [`crate::ownership`], under the port's mutex. Underneath, parown holds
//! the port in the parport core with one pardevice whenever a client owns
//! it, and lazily after the last free, until `lp`, `ppdev` or another
//! driver asks for it; see [`HwClaim`].

use crate::{
    compat,
    glue::{
        pardevice::{
            self,
            Pardevice, //
        },
        parport,
        work, //
    },
    ieee1284_3,
    ownership::{
        Ownership,
        Refusal,
        WaitQueue, //
    },
    request::{
        DeviceRequest,
        Timeout, //
    },
    selection::{
        Device,
        Selection,
        END_OF_CHAIN_DEVICE,
        HAVE_PORT_KEEP_PORT, //
    },
};
use held_lines::HeldLines;
use kernel::{
    new_condvar,
    new_mutex,
    prelude::*,
    sync::{
        aref::ARef,
        atomic::{
            ordering::{
                Acquire,
                Full,
                Relaxed,
                Release, //
            },
            Atomic, //
        },
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

mod held_lines;

/// A client as its port sees it: its place in the queue and how to wake
/// it. Compared by identity.
#[derive(Clone)]
pub(crate) struct ClientRef(Arc<Waiter>);

/// What a waiting client sleeps on.
#[pin_data]
pub(crate) struct Waiter {
    /// Notified when the client is granted the port or the port goes away.
    #[pin]
    woken: CondVar,
}

impl ClientRef {
    /// A new client identity.
    pub(crate) fn new() -> Result<Self> {
        let waiter = Arc::pin_init(
            pin_init!(Waiter {
                woken <- new_condvar!("Waiter::woken"),
            }),
            GFP_KERNEL,
        )?;
        Ok(Self(waiter))
    }
}

impl PartialEq for ClientRef {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// The wait queue's storage: a vector with room reserved for every open
/// client, so joining the queue never allocates.
struct Waiters(KVec<ClientRef>);

impl WaitQueue<ClientRef> for Waiters {
    fn push_back(&mut self, client: ClientRef) -> Result<(), ClientRef> {
        self.0.push_within_capacity(client).map_err(|e| e.0)
    }

    fn pop_front(&mut self) -> Option<ClientRef> {
        if self.0.is_empty() {
            None
        } else {
            self.0.remove(0).ok()
        }
    }

    fn remove(&mut self, client: &ClientRef) -> bool {
        match self.0.iter().position(|w| w == client) {
            Some(i) => self.0.remove(i).is_ok(),
            None => false,
        }
    }

    fn contains(&self, client: &ClientRef) -> bool {
        self.0.iter().any(|w| w == client)
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    fn clear(&mut self) {
        self.0.clear();
    }
}

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
struct HwClaim {
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
    fn new() -> Self {
        Self {
            state: Atomic::new(RELEASED),
            kicks: Atomic::new(0),
            contended: Atomic::new(false),
        }
    }

    /// Another device wants the port: give up a lazy hold only.
    fn preempt(&self) -> bool {
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
    fn wakeup(&self, dev: &Pardevice) -> bool {
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
    fn acquire(&self, dev: &Pardevice) -> bool {
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
    fn idle(&self, dev: &Pardevice) {
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
    fn retire(&self, dev: &Pardevice) {
        let _ = self.state.cmpxchg(WANTED, RELEASED, Full);
        self.release(dev);
    }

    /// Gives the port back to the core now (port mutex held), so that a
    /// driver waiting for it gets it.
    fn release(&self, dev: &Pardevice) {
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

    fn contended(&self) -> bool {
        self.contended.load(Acquire)
    }

    fn is_held(&self) -> bool {
        self.state.load(Acquire) == HELD
    }
}

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

/// The fields of [`Port`] under its mutex.
struct PortState {
    own: Ownership<ClientRef, Waiters>,
    /// The daisy chain, and what the owner locked on it.
    sel: Selection,
    /// Open clients: the wait queue has room for all of them.
    clients: usize,
    /// The owner is in `write()`: its other requests get `EBUSY`.
    io_busy: bool,
    /// The owner's `write()` drives the port, outside the lock; removal
    /// waits for it. Never set while user memory is being copied, which
    /// may block for as long as user space likes.
    on_wire: bool,
    /// parown's pardevice; `None` once the port has gone. Shared so that a
    /// write can use it without the lock, while `on_wire` is set.
    pardev: Option<Arc<pardevice::Registration<Port>>>,
}

/// The state one parport's clients share.
///
/// It outlives the port's `/dev` node: open files keep it, so a port that
/// goes away leaves its clients something to fail their requests against.
/// The pardevice keeps a reference to the port for its callbacks; that
/// cycle is broken by [`Port::remove`], which the driver calls for every
/// port it attached.
#[pin_data]
pub(crate) struct Port {
    parport: ARef<parport::Port>,
    info: parport::PortInfo,
    #[pin]
    state: Mutex<PortState>,
    /// Notified when the owner's I/O ends, for [`Port::remove`].
    #[pin]
    io_done: CondVar,
    hw: HwClaim,
    /// Set when the port goes away, so that an owner's write waiting for a
    /// busy peripheral stops at once.
    removing: Atomic<bool>,
    /// Hands the port to a waiter after `wakeup` claimed it for them.
    #[pin]
    work: Work<Port>,
}

impl_has_work! {
    impl HasWork<Self> for Port { self.work }
}

impl WorkItem for Port {
    type Pointer = Arc<Port>;

    fn run(this: Arc<Port>) {
        let mut st = this.state.lock();
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
}

/// The size of the bounce buffer writes go through.
const WRITE_CHUNK: usize = 256;

impl Port {
    /// Creates the state of a port the parport core reported, and parown's
    /// pardevice on it. The caller must call [`Port::remove`] eventually.
    pub(crate) fn new(parport: &parport::Port) -> Result<Arc<Self>> {
        let port = Arc::pin_init(
            try_pin_init!(Self {
                parport: parport.into(),
                info: parport.info(),
                state <- new_mutex!(
                    PortState {
                        own: Ownership::new(Waiters(KVec::new())),
                        sel: Selection::default(),
                        clients: 0,
                        io_busy: false,
                        on_wire: false,
                        pardev: None,
                    },
                    "Port::state"
                ),
                io_done <- new_condvar!("Port::io_done"),
                hw: HwClaim::new(),
                removing: Atomic::new(false),
                work <- new_work!("Port::work"),
            }),
            GFP_KERNEL,
        )?;
        let pardev = Arc::new(
            pardevice::Registration::new(parport, port.clone())?,
            GFP_KERNEL,
        )?;
        let mut st = port.state.lock();
        st.pardev = Some(pardev);
        port.enumerate_if_free(&mut st);
        drop(st);
        Ok(port)
    }

    /// Counts the daisy chain's devices, if parown can hold the port now
    /// (it usually can, just after the port appeared); otherwise the count
    /// waits for an INIT_1284_3_BUS.
    fn enumerate_if_free(&self, st: &mut PortState) {
        if let Some(pardev) = &st.pardev {
            if st.own.is_free() && self.hw.acquire(pardev.device()) {
                let mut lines = HeldLines::new(pardev.device(), &self.removing);
                let devices = ieee1284_3::enumerate(&mut lines);
                st.sel.enumerated(devices);
            }
        }
        self.pump(st);
    }

    /// Whether this is the state of `parport`.
    pub(crate) fn serves(&self, parport: &parport::Port) -> bool {
        core::ptr::eq(&*self.parport, parport)
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
            let mut st = self.state.lock();
            for waiter in st.own.queue_mut().0.iter() {
                waiter.0.woken.notify_one();
            }
            st.own.remove_port();
            st.sel.unlocked();
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

    /// A client opens: make room for it in the wait queue.
    pub(crate) fn open(&self) -> Result {
        let mut st = self.state.lock();
        if st.own.is_gone() {
            return Err(ENODEV);
        }
        let room = st.clients + 1;
        let queue = &mut st.own.queue_mut().0;
        queue.reserve(room.saturating_sub(queue.len()), GFP_KERNEL)?;
        st.clients = room;
        Ok(())
    }

    /// A client goes away: it gives up the port and its place in the
    /// queue. Returns whether it owned the port.
    pub(crate) fn close(&self, me: &ClientRef) -> bool {
        let mut st = self.state.lock();
        st.clients = st.clients.saturating_sub(1);
        // Leave nothing selected. The port goes on regardless.
        if st.own.is_owner(me) && st.sel.lock().is_some_and(|lock| lock.selected) {
            let _ = self.deselect_on_bus(&st);
        }
        let owned = st.own.leave(me);
        if owned {
            self.handed_back(&mut st);
        } else {
            self.pump(&mut st);
        }
        owned
    }

    /// ALLOCATE: waits, in arrival order, until `me` owns the port.
    ///
    /// A signal ends the wait with `ERESTARTSYS`.
    pub(crate) fn allocate(&self, me: &ClientRef, timeout: Timeout) -> Result {
        self.allocate_locked(me, timeout).map(drop)
    }

    /// ALLOCATE, returning with the port's lock held so that the caller
    /// can use the port before anything else happens to it.
    fn allocate_locked(
        &self,
        me: &ClientRef,
        timeout: Timeout,
    ) -> Result<MutexGuard<'_, PortState>> {
        let mut st = self.state.lock();
        // A free port is taken at once, without queueing and waking.
        if self.take_if_free(&mut st, me) {
            return Ok(st);
        }
        st.own.enqueue(me.clone())?;
        self.pump(&mut st);
        let mut left: Jiffies = match timeout {
            Timeout::Never => Jiffies::MAX,
            Timeout::Ms(ms) => msecs_to_jiffies(ms),
        };
        let mut ended = None;
        loop {
            // Granted, even at the moment the wait ended: it succeeded.
            if st.own.is_owner(me) {
                return Ok(st);
            }
            if st.own.is_gone() {
                return Err(ENODEV);
            }
            if let Some(err) = ended {
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
                CondVarTimeoutResult::Signal { .. } => Some(ERESTARTSYS),
            };
        }
    }

    /// TRY_ALLOCATE: owns the port at once if nobody owns it or waits for
    /// it and parown can hold it now; `EAGAIN` otherwise.
    pub(crate) fn try_allocate(&self, me: &ClientRef) -> Result {
        let mut st = self.state.lock();
        if self.take_if_free(&mut st, me) {
            return Ok(());
        }
        // Say why not: the port is owned, waited for or gone, or, if none
        // of these, another driver holds it. Asking must not take it.
        let refused = st.own.check_try(me).err().unwrap_or(Refusal::Busy);
        self.pump(&mut st);
        Err(refused.into())
    }

    /// Makes `me` the owner if nobody owns or waits for the port and
    /// parown can hold it now; returns whether it did.
    fn take_if_free(&self, st: &mut PortState, me: &ClientRef) -> bool {
        let Some(pardev) = &st.pardev else {
            return false;
        };
        if !st.own.is_free() || !self.hw.acquire(pardev.device()) {
            return false;
        }
        // Cannot be refused: the port is free.
        let taken = st.own.try_take(me.clone()).is_ok();
        self.check(st);
        taken
    }

    /// FREE: `me` gives the port up; it passes to the longest waiter.
    pub(crate) fn free(&self, me: &ClientRef) -> Result {
        let mut st = self.state.lock();
        Self::check_owner(&st, me)?;
        st.own.release(me)?;
        self.handed_back(&mut st);
        Ok(())
    }

    /// After the owner let go of the port (port mutex held): nothing is
    /// locked any more, and the port passes on.
    fn handed_back(&self, st: &mut PortState) {
        st.sel.unlocked();
        self.yield_to_other_drivers(st);
        self.pump(st);
    }

    /// The owner gives the port up after a request failed half-way.
    fn give_back(&self, st: &mut PortState, me: &ClientRef) {
        if st.own.release(me).is_ok() {
            self.handed_back(st);
        }
    }

    /// Checks that `me` owns the port and has no write in progress.
    fn check_owner(st: &PortState, me: &ClientRef) -> Result {
        if st.own.is_gone() {
            Err(ENODEV)
        } else if !st.own.is_owner(me) {
            Err(EPERM)
        } else if st.io_busy {
            Err(EBUSY)
        } else {
            Ok(())
        }
    }

    /// The device a request names, as `allowed` flags permit.
    fn device(st: &PortState, req: &DeviceRequest, allowed: u32) -> Result<Device> {
        Ok(st.sel.device(req.device, req.flags, allowed)?)
    }

    /// The lines of the port, which a client owns (port mutex held).
    fn lines<'a>(&'a self, st: &'a PortState) -> Result<HeldLines<'a>> {
        let pardev = st.pardev.as_ref().ok_or(ENODEV)?;
        Ok(HeldLines::new(pardev.device(), &self.removing))
    }

    /// Puts `device` on the bus: selects it, or, for the end of the chain,
    /// deselects every daisy device. `EIO` if the chain does not answer.
    fn select_on_bus(&self, st: &PortState, device: Device) -> Result {
        if !st.sel.select_needs_cycle(device) {
            return Ok(());
        }
        let mut lines = self.lines(st)?;
        let done = match device {
            Device::Daisy(addr) => ieee1284_3::select(&mut lines, addr),
            Device::EndOfChain => ieee1284_3::deselect_all(&mut lines),
        };
        Ok(done?)
    }

    /// Deselects every daisy device. `EIO` if the chain does not answer.
    fn deselect_on_bus(&self, st: &PortState) -> Result {
        if !st.sel.deselect_needs_cycle() {
            return Ok(());
        }
        Ok(ieee1284_3::deselect_all(&mut self.lines(st)?)?)
    }

    /// ALLOCATE, then put the device on the bus (if `select`); a failed
    /// select gives the port back. LOCK_PORT, LOCK_PORT_NO_SELECT and
    /// SELECT_DEVICE without HAVE_PORT.
    fn allocate_and_select(
        &self,
        me: &ClientRef,
        req: &DeviceRequest,
        allowed: u32,
        select: bool,
    ) -> Result {
        // Refuse a bad device before waiting, and check again after: the
        // chain may have been enumerated again meanwhile.
        {
            let st = self.state.lock();
            if st.own.is_gone() {
                return Err(ENODEV);
            }
            Self::device(&st, req, allowed)?;
        }
        let mut st = self.allocate_locked(me, req.timeout)?;
        let done = Self::device(&st, req, allowed).and_then(|device| {
            if select {
                self.select_on_bus(&st, device)?;
            }
            Ok(device)
        });
        match done {
            Ok(device) => {
                st.sel.locked(device, select);
                Ok(())
            }
            Err(e) => {
                self.give_back(&mut st, me);
                Err(e)
            }
        }
    }

    /// LOCK_PORT (`select`) or LOCK_PORT_NO_SELECT.
    pub(crate) fn lock(&self, me: &ClientRef, req: &DeviceRequest, select: bool) -> Result {
        self.allocate_and_select(me, req, END_OF_CHAIN_DEVICE, select)
    }

    /// UNLOCK_PORT (`deselect`) or UNLOCK_PORT_NO_DESELECT: only for the
    /// device the owner locked.
    pub(crate) fn unlock(&self, me: &ClientRef, req: &DeviceRequest, deselect: bool) -> Result {
        let mut st = self.state.lock();
        Self::check_owner(&st, me)?;
        let device = Self::device(&st, req, END_OF_CHAIN_DEVICE)?;
        st.sel.unlock_check(device).ok_or(EPERM)?;
        if deselect {
            self.deselect_on_bus(&st)?;
        }
        self.give_back(&mut st, me);
        Ok(())
    }

    /// SELECT_DEVICE: with HAVE_PORT the owner selects; without, the port
    /// is allocated first, and given back if the select fails.
    pub(crate) fn select(&self, me: &ClientRef, req: &DeviceRequest) -> Result {
        const ALLOWED: u32 = END_OF_CHAIN_DEVICE | HAVE_PORT_KEEP_PORT;
        if req.flags & HAVE_PORT_KEEP_PORT == 0 {
            return self.allocate_and_select(me, req, ALLOWED, true);
        }
        let mut st = self.state.lock();
        Self::check_owner(&st, me)?;
        let device = Self::device(&st, req, ALLOWED)?;
        self.select_on_bus(&st, device)?;
        st.sel.locked(device, true);
        Ok(())
    }

    /// DESELECT_DEVICE: the owner deselects, and frees the port unless
    /// KEEP_PORT.
    pub(crate) fn deselect(&self, me: &ClientRef, req: &DeviceRequest) -> Result {
        let mut st = self.state.lock();
        Self::check_owner(&st, me)?;
        Self::device(&st, req, END_OF_CHAIN_DEVICE | HAVE_PORT_KEEP_PORT)?;
        self.deselect_on_bus(&st)?;
        st.sel.unlocked();
        if req.flags & HAVE_PORT_KEEP_PORT == 0 {
            self.give_back(&mut st, me);
        }
        Ok(())
    }

    /// INIT_1284_3_BUS: enumerates the chain again and returns the number
    /// of devices. The owner does it at once; anyone else waits for the
    /// port (ALLOCATE without a timeout) and gives it back afterwards.
    pub(crate) fn init_bus(&self, me: &ClientRef) -> Result<u32> {
        {
            let mut st = self.state.lock();
            if st.own.is_owner(me) {
                Self::check_owner(&st, me)?;
                return self.enumerate(&mut st);
            }
        }
        let mut st = self.allocate_locked(me, Timeout::Never)?;
        let devices = self.enumerate(&mut st);
        self.give_back(&mut st, me);
        devices
    }

    fn enumerate(&self, st: &mut PortState) -> Result<u32> {
        let devices = ieee1284_3::enumerate(&mut self.lines(st)?);
        st.sel.enumerated(devices);
        Ok(u32::from(devices))
    }

    /// QUERY_WAITERS: the number of clients waiting.
    pub(crate) fn waiters(&self) -> Result<u32> {
        let st = self.state.lock();
        if st.own.is_gone() {
            return Err(ENODEV);
        }
        Ok(u32::try_from(st.own.waiters()).unwrap_or(u32::MAX))
    }

    /// GET_PORT_INFO's changing part, as `me` sees it.
    pub(crate) fn status(&self, me: &ClientRef) -> Result<Status> {
        let st = self.state.lock();
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

    /// Writes `len` bytes, taken from `source` a chunk at a time, to the
    /// port in compatibility mode. Only the owner may write. Returns the
    /// number of bytes the peripheral took; `source` returns how many bytes
    /// it put in the buffer, never 0.
    pub(crate) fn write(
        &self,
        me: &ClientRef,
        len: usize,
        mut source: impl FnMut(&mut [u8]) -> Result<usize>,
    ) -> Result<usize> {
        {
            let mut st = self.state.lock();
            Self::check_owner(&st, me)?;
            st.io_busy = true;
        }

        let mut done = 0;
        let mut result = Ok(());
        let mut buf = [0u8; WRITE_CHUNK];
        while done < len {
            // Copy before taking the port: a page fault on user memory may
            // take any time, and removal must not wait for it.
            let want = (len - done).min(WRITE_CHUNK);
            let got = match source(&mut buf[..want]) {
                Ok(got) => got,
                Err(e) => {
                    result = Err(e);
                    break;
                }
            };
            let (wrote, short) = match self.put_on_wire(&buf[..got]) {
                Ok(put) => put,
                Err(e) => {
                    result = Err(e);
                    break;
                }
            };
            done += wrote;
            if let Some(short) = short {
                result = Err(short.into());
                break;
            }
        }

        self.state.lock().io_busy = false;

        // Bytes that left the port are reported even if the rest failed.
        match result {
            Err(e) if done == 0 => Err(e),
            _ => Ok(done),
        }
    }

    /// Sends one chunk of the owner's write, unless the port went away.
    fn put_on_wire(&self, bytes: &[u8]) -> Result<(usize, Option<compat::Short>)> {
        let pardev = {
            let mut st = self.state.lock();
            if st.own.is_gone() {
                return Err(ENODEV);
            }
            let pardev = st.pardev.clone().ok_or(ENODEV)?;
            st.on_wire = true;
            pardev
        };
        let put = compat::write(&mut HeldLines::new(pardev.device(), &self.removing), bytes);
        // Gone before `on_wire` is, so that removal drops the last
        // reference and unregisters the pardevice itself.
        drop(pardev);
        self.state.lock().on_wire = false;
        self.io_done.notify_all();
        Ok(put)
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
        // `remove` alone gives a gone port back, once no write drives it.
        let pardev = st.pardev.as_ref().filter(|_| !st.own.is_gone());
        if let Some(pardev) = pardev {
            let dev = pardev.device();
            if st.own.handover_due() {
                if self.hw.acquire(dev) {
                    if let Some(next) = st.own.grant_next() {
                        next.0.woken.notify_one();
                    }
                }
            } else if st.own.owner().is_none() {
                self.hw.idle(dev);
            }
        }
        self.check(st);
    }

    /// Internal consistency checks, on in debug builds (the test kernel).
    fn check(&self, st: &PortState) {
        if cfg!(CONFIG_RUST_DEBUG_ASSERTIONS) {
            if let Some(what) = st.own.broken_invariant() {
                pr_err!("parport{}: inconsistent: {}\n", self.info.number, what);
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
