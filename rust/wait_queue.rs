// SPDX-License-Identifier: GPL-2.0

//! A first-in, first-out wait queue whose every operation costs O(1):
//! joining, leaving from any place, the longest waiter's turn, and asking
//! whether a client waits.
//!
//! A port's queue may hold a thousand clients, and a hand-over must not
//! grow slower with them. Each client keeps its own place in the queue
//! ([`Slotted`]), so nothing is ever searched for; a client that leaves
//! from the middle leaves an empty slot behind, which the longest waiter's
//! turn steps over, and the slots are packed again only when the end of
//! the storage is reached. With storage of half as many slots again as the
//! most clients that can wait, at least a third of the storage's length in
//! joins comes between two packings, which each cost that length: a join
//! costs O(1) amortised.
//!
//! Plain Rust, so that `cargo test` checks it against a simple model; the
//! kernel provides the storage, reserved when a client opens, so that
//! joining never allocates.

use crate::ownership::WaitQueue;
use core::ops::DerefMut;

/// A client that records where it is in a [`SlotQueue`]. A client is in
/// one queue at most; only that queue changes the record, under the lock
/// that serialises the queue.
pub(crate) trait Slotted {
    /// The client's slot, if it is in the queue.
    fn slot(&self) -> Option<usize>;
    /// Records the client's slot.
    fn set_slot(&self, slot: Option<usize>);
}

/// The wait queue, in `slots`.
///
/// # Invariants
///
/// - Every client in `slots[head..tail]` records its own index there, and
///   every client recorded as in the queue is there: `slots` outside that
///   range is empty.
/// - `len` is the number of clients in `slots[head..tail]`; the queue's
///   order is their order there.
/// - With `len == 0`, `head == tail == 0`.
pub(crate) struct SlotQueue<S> {
    slots: S,
    head: usize,
    tail: usize,
    len: usize,
}

impl<C, S> SlotQueue<S>
where
    C: Slotted + PartialEq,
    S: DerefMut<Target = [Option<C>]>,
{
    /// An empty queue over `slots`, which must all be empty.
    pub(crate) fn new(slots: S) -> Self {
        Self {
            slots,
            head: 0,
            tail: 0,
            len: 0,
        }
    }

    /// The storage, for the caller to add empty slots at its end. It must
    /// not touch the slots in use.
    pub(crate) fn storage_mut(&mut self) -> &mut S {
        &mut self.slots
    }

    /// Number of slots of storage.
    pub(crate) fn room(&self) -> usize {
        self.slots.len()
    }

    /// The waiters, longest first.
    pub(crate) fn iter<'a>(&'a self) -> impl Iterator<Item = &'a C>
    where
        C: 'a,
    {
        self.slots
            .get(self.head..self.tail)
            .unwrap_or_default()
            .iter()
            .flatten()
    }

    /// `client` has left its slot: it no longer counts.
    fn forget(&mut self, client: &C) {
        client.set_slot(None);
        self.len -= 1;
        if self.len == 0 {
            // Every slot in use is empty: start again at the front.
            self.head = 0;
            self.tail = 0;
        }
    }

    /// Moves the waiters to the front of the storage, in order, dropping
    /// the empty slots left by those who left.
    fn pack(&mut self) {
        let mut to = 0;
        for from in self.head..self.tail {
            let Some(client) = self.slots.get_mut(from).and_then(Option::take) else {
                continue;
            };
            client.set_slot(Some(to));
            if let Some(slot) = self.slots.get_mut(to) {
                *slot = Some(client);
            }
            to += 1;
        }
        self.head = 0;
        self.tail = to;
    }

    /// Checks the type invariants; returns the first one broken.
    pub(crate) fn broken_invariant(&self) -> Option<&'static str> {
        let mut live = 0;
        for (i, slot) in self.slots.iter().enumerate() {
            let Some(client) = slot else {
                continue;
            };
            if i < self.head || i >= self.tail {
                return Some("a waiter outside the queue's slots");
            }
            if client.slot() != Some(i) {
                return Some("a waiter does not know its slot");
            }
            live += 1;
        }
        if live != self.len {
            Some("the count of waiters is wrong")
        } else if self.len == 0 && (self.head, self.tail) != (0, 0) {
            Some("an empty queue does not start at the front")
        } else {
            None
        }
    }
}

impl<C, S> WaitQueue<C> for SlotQueue<S>
where
    C: Slotted + PartialEq,
    S: DerefMut<Target = [Option<C>]>,
{
    fn push_back(&mut self, client: C) -> Result<(), C> {
        if self.tail == self.slots.len() {
            self.pack();
        }
        let Some(slot) = self.slots.get_mut(self.tail) else {
            return Err(client);
        };
        client.set_slot(Some(self.tail));
        *slot = Some(client);
        self.tail += 1;
        self.len += 1;
        Ok(())
    }

    fn pop_front(&mut self) -> Option<C> {
        while self.head < self.tail {
            let taken = self.slots.get_mut(self.head).and_then(Option::take);
            self.head += 1;
            if let Some(client) = taken {
                self.forget(&client);
                return Some(client);
            }
        }
        None
    }

    fn remove(&mut self, client: &C) -> bool {
        let Some(slot) = client.slot().and_then(|i| self.slots.get_mut(i)) else {
            return false;
        };
        if slot.as_ref() != Some(client) {
            return false;
        }
        if let Some(client) = slot.take() {
            self.forget(&client);
        }
        true
    }

    fn contains(&self, client: &C) -> bool {
        client
            .slot()
            .and_then(|i| self.slots.get(i))
            .is_some_and(|slot| slot.as_ref() == Some(client))
    }

    fn len(&self) -> usize {
        self.len
    }

    fn clear(&mut self) {
        while self.pop_front().is_some() {}
    }
}

// The path works for both the kernel crate and the host crate; see
// `ownership.rs`.
#[cfg(test)]
#[path = "wait_queue/tests.rs"]
mod tests;
