// SPDX-License-Identifier: GPL-2.0

//! A port's wait queue: the clients' identities, what each sleeps on, and
//! the queue's storage for [`crate::ownership`]; and what an in-kernel
//! client is told without sleeping: its cancellation, and its callbacks
//! (`include/linux/parown.h`), delivered from a work item.

use super::{
    Port,
    PortState, //
};
use crate::{
    glue::{
        c_api::Notifier,
        pid::Process,
        time,
        work, //
    },
    kernel_compat::code,
    live_state::{
        Asked,
        ClientView,
        Comm,
        DriverName,
        Target,
        Who, //
    },
    ppdev::Session,
    wait_queue::{
        SlotQueue,
        Slotted, //
    }, //
};
use kernel::{
    error::to_result,
    new_condvar,
    prelude::*,
    str::CString,
    sync::{
        atomic::{
            ordering::{
                Acquire,
                Full,
                Relaxed,
                Release, //
            },
            Atomic,
        },
        Arc,
        CondVar,
        LockedBy, //
    },
    workqueue::{
        self,
        impl_has_work,
        new_work,
        Work,
        WorkItem, //
    },
};

/// A client as its port sees it: its place in the queue and how to wake
/// it. Compared by identity.
#[derive(Clone)]
pub(crate) struct ClientRef(pub(super) Arc<Waiter>);

/// No result of an asynchronous request is due (errnos are negative).
const NO_RESULT: i32 = 1;

/// [`Waiter::place`] of a client that does not wait.
const NO_SLOT: u32 = u32::MAX;

/// Who opened a client. Two words: every client has one, and a client's
/// [`Waiter`] is sized to its slab.
pub(crate) enum Opener {
    /// A process, through `/dev/parownN`.
    Process(Process),
    /// An in-kernel client, by the name it gave `parown_open()`; without
    /// one for an unnamed client, or a kernel thread that opened
    /// `/dev/parownN`.
    Driver(Option<KBox<CString>>),
}

impl Opener {
    /// The process calling, for a client opened through `/dev/parownN`.
    pub(crate) fn current_process() -> Self {
        Process::current().map_or(Self::Driver(None), Self::Process)
    }

    /// An in-kernel client named `name`.
    pub(crate) fn driver(name: Option<CString>) -> Result<Self> {
        Ok(Self::Driver(
            name.map(|name| KBox::new(name, GFP_KERNEL)).transpose()?,
        ))
    }
}

/// What a waiter asked for and its timeout, as [`Waiter::request`] keeps
/// them in one word.
#[derive(Clone, Copy)]
struct Request {
    asked: Asked,
    timeout_ms: Option<u32>,
}

impl Request {
    /// `kind | device << 8 | timeout_ms << 32`: the device is an address
    /// (up to 254, which no chain reaches), 255 for the end of the chain
    /// or none; a timeout of 0 means none (a timeout is never 0 ms).
    fn pack(self) -> u64 {
        let (kind, target) = match self.asked {
            Asked::Allocate => (0, None),
            Asked::AllocateAsync => (1, None),
            Asked::Lock(t) => (2, Some(t)),
            Asked::Select(t) => (3, Some(t)),
            Asked::DeviceId(t) => (4, Some(t)),
            Asked::InitBus => (5, None),
            Asked::Yield => (6, None),
        };
        let device = match target {
            Some(Target::Daisy(addr)) => u64::from(addr.min(254)),
            Some(Target::EndOfChain) | None => 255,
        };
        kind | device << 8 | u64::from(self.timeout_ms.unwrap_or(0)) << 32
    }

    /// The request [`Self::pack`] packed.
    fn unpack(word: u64) -> Self {
        let target = match (word >> 8) & 0xff {
            255 => Target::EndOfChain,
            addr => Target::Daisy(addr as u32),
        };
        let asked = match word & 0xff {
            1 => Asked::AllocateAsync,
            2 => Asked::Lock(target),
            3 => Asked::Select(target),
            4 => Asked::DeviceId(target),
            5 => Asked::InitBus,
            6 => Asked::Yield,
            _ => Asked::Allocate,
        };
        let timeout_ms = (word >> 32) as u32;
        Self {
            asked,
            timeout_ms: (timeout_ms != 0).then_some(timeout_ms),
        }
    }
}

/// The number the next client gets (see [`Waiter::id`]).
static NEXT_CLIENT_ID: Atomic<u64> = Atomic::new(1);

/// What a waiting client sleeps on, and what it is told.
#[pin_data]
pub(crate) struct Waiter {
    /// The client's number in trace events: from 1, unique while the
    /// module is loaded (a 64-bit count does not wrap).
    id: u64,
    /// When the client joined the wait queue, on the monotonic clock in
    /// nanoseconds (written under the port's lock).
    queued_at: Atomic<u64>,
    /// What the client asked for when it joined the queue, and its
    /// timeout ([`Request::pack`]; written under the port's lock).
    request: Atomic<u64>,
    /// Who opened the client, for the live state.
    opener: Opener,
    /// Notified when the client is granted the port, is cancelled, or the
    /// port goes away.
    #[pin]
    pub(super) woken: CondVar,
    /// `parown_cancel()`: sticky until the client is closed.
    cancelled: Atomic<bool>,
    /// The client waits in the queue for an asynchronous request (written
    /// under the port's lock).
    pub(super) waits_async: Atomic<bool>,
    /// An asynchronous request was taken and its result not yet reported.
    async_pending: Atomic<bool>,
    /// An asynchronous request waits for the work item to join the queue.
    request_due: Atomic<bool>,
    /// The result to report through `granted`, or [`NO_RESULT`].
    result_due: Atomic<i32>,
    /// `preempt` is due.
    preempt_due: Atomic<bool>,
    /// `preempt` was due during the current ownership already.
    asked: Atomic<bool>,
    /// The client's place in its port's wait queue, or [`NO_SLOT`]
    /// (written under the port's lock; see [`Slotted`]).
    place: Atomic<u32>,
    /// The in-kernel client's callbacks.
    ops: Option<Arc<Notifier>>,
    /// The client's port, for the asynchronous request.
    port: Arc<Port>,
    /// Joins the queue for an asynchronous request and calls the
    /// callbacks, in process context without the port's lock.
    #[pin]
    work: Work<Waiter>,
    /// The client's ppdev state (see [`Session`]), under the port's
    /// mutex, so that it is consistent with the port's ownership and a
    /// grant costs no second lock.
    pub(super) session: LockedBy<Session, PortState>,
}

impl_has_work! {
    impl HasWork<Self> for Waiter { self.work }
}

impl WorkItem for Waiter {
    type Pointer = Arc<Waiter>;

    fn run(this: Arc<Waiter>) {
        let me = ClientRef(this);
        let waiter = &me.0;
        if waiter.request_due.xchg(false, Full) {
            if let Some(result) = waiter.port.join_async(&me) {
                waiter.set_result(result);
            }
        }
        let result = waiter.result_due.xchg(NO_RESULT, Full);
        let preempt = waiter.preempt_due.xchg(false, Full);
        let Some(ops) = &waiter.ops else {
            return;
        };
        if result != NO_RESULT {
            // Before the call, so that the callback may ask again.
            waiter.async_pending.store(false, Release);
            ops.granted(to_result(result));
        }
        // A request to let go is moot once the client did.
        if preempt && waiter.port.owned_by(&me) {
            ops.preempt();
        }
    }
}

impl ClientRef {
    /// A new client identity on `port`, with the callbacks `ops` of an
    /// in-kernel client.
    pub(crate) fn new(
        port: &Arc<Port>,
        opener: Opener,
        ops: Option<Arc<Notifier>>,
    ) -> Result<Self> {
        let waiter = Arc::pin_init(
            pin_init!(Waiter {
                id: NEXT_CLIENT_ID.fetch_add(1, Relaxed),
                queued_at: Atomic::new(0),
                request: Atomic::new(0),
                opener,
                woken <- new_condvar!("Waiter::woken"),
                cancelled: Atomic::new(false),
                waits_async: Atomic::new(false),
                async_pending: Atomic::new(false),
                request_due: Atomic::new(false),
                result_due: Atomic::new(NO_RESULT),
                preempt_due: Atomic::new(false),
                asked: Atomic::new(false),
                place: Atomic::new(NO_SLOT),
                ops,
                port: port.clone(),
                work <- new_work!("Waiter::work"),
                session: LockedBy::new(&port.state, Session::new()),
            }),
            GFP_KERNEL,
        )?;
        Ok(Self(waiter))
    }

    /// The client's port.
    pub(crate) fn port(&self) -> &Arc<Port> {
        &self.0.port
    }

    /// The client's token for [`HwClaim`](super::hw_claim::HwClaim)'s fast
    /// path: the address of its state, unique among open clients and a
    /// multiple of 8.
    #[inline]
    pub(super) fn token(&self) -> usize {
        core::ptr::from_ref::<Waiter>(&self.0).addr()
    }

    /// The client's number in trace events.
    pub(super) fn id(&self) -> u64 {
        self.0.id
    }

    /// The client joins the wait queue now, for `asked` with `timeout_ms`
    /// (`None` for none; port mutex held).
    pub(super) fn mark_queued(&self, asked: Asked, timeout_ms: Option<u32>) {
        self.0.queued_at.store(time::now_ns(), Relaxed);
        let request = Request { asked, timeout_ms };
        self.0.request.store(request.pack(), Relaxed);
    }

    /// What the client asked for when it joined the queue, and its
    /// timeout (port mutex held, the client queued).
    pub(super) fn request(&self) -> (Asked, Option<u32>) {
        let request = Request::unpack(self.0.request.load(Relaxed));
        (request.asked, request.timeout_ms)
    }

    /// The client as the live state shows it.
    pub(super) fn view(&self) -> ClientView {
        let who = match &self.0.opener {
            Opener::Process(process) => {
                let mut comm = Comm::empty();
                let pid = process.describe(comm.buffer());
                Who::Process {
                    pid,
                    comm: comm.filled(),
                }
            }
            Opener::Driver(Some(name)) => Who::Driver(DriverName::new(name.to_bytes())),
            Opener::Driver(None) => Who::Driver(DriverName::empty()),
        };
        ClientView { id: self.id(), who }
    }

    /// An in-kernel client's name.
    pub(crate) fn driver_name(&self) -> Option<&CStr> {
        match &self.0.opener {
            Opener::Driver(Some(name)) => Some(name),
            _ => None,
        }
    }

    /// How long the client has been waiting in the queue, in nanoseconds
    /// (port mutex held, the client queued).
    pub(super) fn waited_ns(&self) -> u64 {
        self.waited_ns_at(time::now_ns())
    }

    /// How long the client had been waiting at `now` (a `time::now_ns()`
    /// taken with the port mutex held, the client queued): one `now` for
    /// every waiter of a view keeps their waits in queue order.
    pub(super) fn waited_ns_at(&self, now: u64) -> u64 {
        now.saturating_sub(self.0.queued_at.load(Relaxed))
    }

    /// Whether `parown_cancel()` cancelled the client.
    pub(crate) fn is_cancelled(&self) -> bool {
        self.0.cancelled.load(Acquire)
    }

    /// Ends the client's wait in the queue with `outcome` (port mutex
    /// held): an asynchronous request is reported through `granted` and
    /// `true` returned; a waiting thread is woken to see for itself.
    pub(super) fn end_wait(&self, outcome: Result) -> bool {
        let reported = self.end_async_wait(outcome);
        if !reported {
            self.wake();
        }
        reported
    }

    /// Ends the client's asynchronous request with `outcome`, if one waits
    /// in the queue (port mutex held), and returns `true`; otherwise a
    /// thread of the client waits, which the caller wakes with
    /// [`Self::wake`].
    pub(super) fn end_async_wait(&self, outcome: Result) -> bool {
        // Written only under the port's lock, which the caller holds: no
        // locked exchange needed.
        let waits_async = self.0.waits_async.load(Relaxed);
        if waits_async {
            self.0.waits_async.store(false, Relaxed);
            self.report(outcome);
        }
        waits_async
    }

    /// Wakes the client's thread waiting in the queue, if there is one.
    pub(super) fn wake(&self) {
        self.0.woken.notify_one();
    }

    /// Marks the client cancelled; the caller wakes its waits.
    pub(super) fn set_cancelled(&self) {
        self.0.cancelled.store(true, Release);
    }

    /// `parown_allocate_async()`: takes the request for the work item,
    /// without sleeping. `EINVAL` without a `granted` callback, `EALREADY`
    /// while an earlier request is unreported, `ECANCELED` once cancelled.
    pub(crate) fn allocate_async(&self) -> Result {
        if !self.0.ops.as_ref().is_some_and(|ops| ops.has_granted()) {
            return Err(EINVAL);
        }
        if self.is_cancelled() {
            return Err(code::ecanceled());
        }
        if self.0.async_pending.cmpxchg(false, true, Full).is_err() {
            return Err(code::ealready());
        }
        self.0.request_due.store(true, Release);
        self.kick();
        Ok(())
    }

    /// The client became the owner: a new ownership, which may be asked
    /// to end once.
    pub(super) fn became_owner(&self) {
        // Only `ask_to_let_go` reads it, for a client with `preempt`.
        if self.has_preempt() {
            self.0.asked.store(false, Relaxed);
        }
    }

    /// Whether the client has a `preempt` callback.
    pub(super) fn has_preempt(&self) -> bool {
        self.0.ops.as_ref().is_some_and(|ops| ops.has_preempt())
    }

    /// Reports the result of the client's asynchronous request through
    /// `granted`, from the work item.
    pub(super) fn report(&self, result: Result) {
        self.0.set_result(result);
        self.kick();
    }

    /// Others wait for the port this client owns: asks it through
    /// `preempt`, once per ownership.
    pub(super) fn ask_to_let_go(&self) {
        if self.has_preempt() && !self.0.asked.xchg(true, Relaxed) {
            self.0.preempt_due.store(true, Release);
            self.kick();
        }
    }

    /// Waits until the work item is idle; the client has left its port, so
    /// nothing queues it again. Not from the work item itself.
    pub(crate) fn flush(&self) {
        if self.0.ops.is_some() {
            work::flush(&self.0.work);
        }
    }

    /// Queues the work item; one already queued will see what is due.
    fn kick(&self) {
        let _ = workqueue::system().enqueue(self.0.clone());
    }
}

impl Waiter {
    fn set_result(&self, result: Result) {
        let result = match result {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        };
        self.result_due.store(result, Release);
    }
}

impl PartialEq for ClientRef {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Slotted for ClientRef {
    fn slot(&self) -> Option<usize> {
        match self.0.place.load(Relaxed) {
            NO_SLOT => None,
            slot => usize::try_from(slot).ok(),
        }
    }

    fn set_slot(&self, slot: Option<usize>) {
        // `Waiters::reserve` keeps every index below `NO_SLOT`.
        let slot = slot.map_or(NO_SLOT, |i| u32::try_from(i).unwrap_or(NO_SLOT));
        self.0.place.store(slot, Relaxed);
    }
}

/// The wait queue, with room reserved for every open client so that
/// joining it never allocates: half as many slots again as clients, so
/// that clients leaving from the middle cost O(1) amortised (see
/// [`SlotQueue`]).
pub(super) type Waiters = SlotQueue<KVec<Option<ClientRef>>>;

impl Waiters {
    /// Makes room for `clients` open clients.
    pub(super) fn reserve(&mut self, clients: usize) -> Result {
        let room = clients
            .checked_add(clients / 2 + 1)
            .filter(|&room| room < NO_SLOT as usize)
            .ok_or(ENOMEM)?;
        if room > self.room() {
            self.storage_mut().resize(room, None, GFP_KERNEL)?;
        }
        Ok(())
    }
}
