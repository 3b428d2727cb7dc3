// SPDX-License-Identifier: GPL-2.0

//! Port ownership: who owns a port, and who waits for it in arrival order.
//!
//! This is the Windows allocate/free contract without its flaws: the owner
//! is recorded, only the owner can free, a second allocate by the owner is
//! refused instead of deadlocking, a failed try never takes a place in the
//! queue, and a client that goes away gives up everything it had.
//!
//! It is plain Rust on purpose: no kernel types, no locking, no allocation,
//! so that `cargo test` checks it on the host. The kernel side serialises
//! calls (the port's mutex), provides the queue's storage with room
//! reserved in advance, sleeps, and owns the hardware: it hands the port to
//! the next waiter with [`Ownership::grant_next`] only once the parport is
//! really held.

/// Why a request was refused. The state is unchanged by a refused request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The client owns the port already.
    AlreadyOwner,
    /// The client waits for the port already.
    AlreadyWaiting,
    /// The port is owned, or others wait for it (only for a try).
    Busy,
    /// The client does not own the port.
    NotOwner,
    /// The port has gone away.
    Gone,
    /// The wait queue has no room: the caller did not reserve it.
    NoRoom,
    /// The owner's port is in use ([`Ownership::begin_use`]): its
    /// ownership cannot end, and nothing else of it can start, until that
    /// use ends.
    InUse,
}

/// The storage of a wait queue, first in, first out.
///
/// The kernel's is a [`crate::wait_queue::SlotQueue`] over a vector
/// reserved when a client opens, so that joining the queue never
/// allocates.
pub(crate) trait WaitQueue<C> {
    /// Appends `client`, or gives it back if there is no room.
    fn push_back(&mut self, client: C) -> Result<(), C>;
    /// Removes and returns the longest waiter.
    fn pop_front(&mut self) -> Option<C>;
    /// Removes `client`; returns whether it was there.
    fn remove(&mut self, client: &C) -> bool;
    /// Whether `client` is in the queue.
    fn contains(&self, client: &C) -> bool;
    /// Number of waiters.
    fn len(&self) -> usize;
    /// Removes every waiter.
    fn clear(&mut self);
}

/// The ownership state of one port.
///
/// # Invariants
///
/// - The owner is never in the queue.
/// - No client is in the queue twice.
/// - Once the port is gone it has no owner and no waiters.
/// - The port is only in use while it has an owner.
pub(crate) struct Ownership<C, Q> {
    owner: Option<C>,
    waiters: Q,
    gone: bool,
    /// The owner uses the port outside the caller's lock: a write, or a
    /// request that was granted the port and has not yet taken it up. The
    /// ownership this use started under cannot end until it ends.
    in_use: bool,
}

impl<C: PartialEq, Q: WaitQueue<C>> Ownership<C, Q> {
    /// A port nobody owns or waits for, using `waiters` as queue storage.
    pub(crate) fn new(waiters: Q) -> Self {
        Self {
            owner: None,
            waiters,
            gone: false,
            in_use: false,
        }
    }

    /// The current owner.
    pub(crate) fn owner(&self) -> Option<&C> {
        self.owner.as_ref()
    }

    /// Whether `client` owns the port.
    pub(crate) fn is_owner(&self, client: &C) -> bool {
        self.owner.as_ref() == Some(client)
    }

    /// Whether `client` waits for the port.
    #[cfg(test)]
    pub(crate) fn is_waiting(&self, client: &C) -> bool {
        self.waiters.contains(client)
    }

    /// Number of clients waiting (QUERY_WAITERS).
    pub(crate) fn waiters(&self) -> usize {
        self.waiters.len()
    }

    /// Whether the port has gone away.
    pub(crate) fn is_gone(&self) -> bool {
        self.gone
    }

    /// The queue's storage.
    pub(crate) fn queue(&self) -> &Q {
        &self.waiters
    }

    /// The queue's storage, for the caller to reserve room in.
    pub(crate) fn queue_mut(&mut self) -> &mut Q {
        &mut self.waiters
    }

    /// ALLOCATE: puts `client` at the end of the queue. It owns the port
    /// once [`Ownership::grant_next`] hands it over, in arrival order.
    pub(crate) fn enqueue(&mut self, client: C) -> Result<(), Refusal> {
        self.check_new_request(&client)?;
        self.waiters.push_back(client).map_err(|_| Refusal::NoRoom)
    }

    /// TRY_ALLOCATE: `client` owns the port at once if nobody owns it and
    /// nobody waits; otherwise nothing changes.
    pub(crate) fn try_take(&mut self, client: C) -> Result<(), Refusal> {
        self.check_try(&client)?;
        self.owner = Some(client);
        Ok(())
    }

    /// Why a TRY_ALLOCATE by `client` would be refused, if it would,
    /// without changing anything.
    pub(crate) fn check_try(&self, client: &C) -> Result<(), Refusal> {
        self.check_new_request(client)?;
        if !self.is_free() {
            return Err(Refusal::Busy);
        }
        Ok(())
    }

    /// Whether nobody owns the port and nobody waits: a try would succeed.
    pub(crate) fn is_free(&self) -> bool {
        !self.gone && self.owner.is_none() && self.waiters.len() == 0
    }

    /// Whether the port should pass to the longest waiter: nobody owns it
    /// and somebody waits.
    pub(crate) fn handover_due(&self) -> bool {
        self.owner.is_none() && self.waiters.len() > 0
    }

    /// Hands the port to the longest waiter if nobody owns it; returns a
    /// reference to the new owner.
    ///
    /// The new owner's port is in use until its waiting request takes it
    /// up with [`Ownership::end_use`]: that request, not another thread of
    /// the same client, has the first go at the port.
    pub(crate) fn grant_next(&mut self) -> Option<&C> {
        if self.owner.is_none() {
            self.owner = self.waiters.pop_front();
            self.in_use = self.owner.is_some();
            self.owner.as_ref()
        } else {
            None
        }
    }

    /// Whether the owner's port is in use; see [`Ownership::begin_use`].
    pub(crate) fn in_use(&self) -> bool {
        self.in_use
    }

    /// `client`, the owner, starts to use the port outside the caller's
    /// lock (a write). Until [`Ownership::end_use`], its ownership cannot
    /// end (FREE is refused with [`Refusal::InUse`]) and no other use can
    /// start.
    pub(crate) fn begin_use(&mut self, client: &C) -> Result<(), Refusal> {
        if self.gone {
            Err(Refusal::Gone)
        } else if !self.is_owner(client) {
            Err(Refusal::NotOwner)
        } else if self.in_use {
            Err(Refusal::InUse)
        } else {
            self.in_use = true;
            Ok(())
        }
    }

    /// The owner's use of the port ended (or, after a grant, its request
    /// took the port up).
    pub(crate) fn end_use(&mut self) {
        self.in_use = false;
    }

    /// Whether `client` may give the port up now: it owns the port, which
    /// has not gone and is not in use.
    fn check_idle_owner(&self, client: &C) -> Result<(), Refusal> {
        if self.gone {
            return Err(Refusal::Gone);
        }
        if !self.is_owner(client) {
            return Err(Refusal::NotOwner);
        }
        if self.in_use {
            return Err(Refusal::InUse);
        }
        Ok(())
    }

    /// FREE: `client` gives the port up. The caller then hands it on with
    /// [`Ownership::grant_next`]. Refused while the port is in use.
    pub(crate) fn release(&mut self, client: &C) -> Result<(), Refusal> {
        self.check_idle_owner(client)?;
        self.owner = None;
        Ok(())
    }

    /// PPYIELD: `client`, the owner, gives the port up and waits for it
    /// again at the back of the queue. The caller then hands the port on
    /// with [`Ownership::grant_next`]; the client owns it again after
    /// everyone who waited before it. Refused while the port is in use.
    pub(crate) fn requeue(&mut self, client: &C) -> Result<(), Refusal> {
        self.check_idle_owner(client)?;
        // The owner, as just checked.
        if let Some(owner) = self.owner.take() {
            if let Err(owner) = self.waiters.push_back(owner) {
                self.owner = Some(owner);
                return Err(Refusal::NoRoom);
            }
        }
        Ok(())
    }

    /// Takes `client` out of the queue (a signal or a timeout ended its
    /// wait); returns whether it was waiting.
    pub(crate) fn cancel(&mut self, client: &C) -> bool {
        self.waiters.remove(client)
    }

    /// `client`'s waiting request was cancelled just as the port was
    /// granted to it, before it took the grant up: it gives the port up,
    /// and the caller hands it on with [`Ownership::grant_next`]. Returns
    /// whether `client` had such a grant; otherwise nothing changes (an
    /// owner that took its grant up keeps the port).
    pub(crate) fn abandon_grant(&mut self, client: &C) -> bool {
        if self.is_owner(client) && self.in_use {
            self.owner = None;
            self.in_use = false;
            true
        } else {
            false
        }
    }

    /// `client` goes away (close, death, release of an in-kernel handle):
    /// it leaves the queue and gives up the port. Returns whether it owned
    /// the port, in which case the caller hands it on.
    ///
    /// No request of a client that goes away is in progress (an open file
    /// is not released during its system calls; in-kernel callers must
    /// not race their close), so its port is not in use.
    pub(crate) fn leave(&mut self, client: &C) -> bool {
        self.waiters.remove(client);
        if self.is_owner(client) {
            self.owner = None;
            self.in_use = false;
            true
        } else {
            false
        }
    }

    /// The port has gone away: nobody owns or waits any more, and every
    /// later request is refused with [`Refusal::Gone`].
    pub(crate) fn remove_port(&mut self) {
        self.gone = true;
        self.owner = None;
        self.in_use = false;
        self.waiters.clear();
    }

    fn check_new_request(&self, client: &C) -> Result<(), Refusal> {
        if self.gone {
            Err(Refusal::Gone)
        } else if self.is_owner(client) {
            Err(Refusal::AlreadyOwner)
        } else if self.waiters.contains(client) {
            Err(Refusal::AlreadyWaiting)
        } else {
            Ok(())
        }
    }

    /// Checks the type invariants; returns the first one broken. Test
    /// builds run this after every change.
    pub(crate) fn broken_invariant(&self) -> Option<&'static str> {
        if self
            .owner
            .as_ref()
            .is_some_and(|o| self.waiters.contains(o))
        {
            Some("the owner is in the wait queue")
        } else if self.gone && (self.owner.is_some() || self.waiters.len() > 0) {
            Some("a removed port has an owner or waiters")
        } else if self.in_use && self.owner.is_none() {
            Some("the port is in use with no owner")
        } else {
            None
        }
    }
}

// The path works both for the kernel crate, where this file is a plain
// module, and for the host crate, which loads it with `#[path]`.
#[cfg(test)]
#[path = "ownership/tests.rs"]
mod tests;
