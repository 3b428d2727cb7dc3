// SPDX-License-Identifier: GPL-2.0

//! Host tests of the wait queue: the rules one by one, then long random
//! sequences against `VecDeque`, checking the invariants after every step
//! and that no operation ever searches.

use super::*;
use std::{
    cell::Cell,
    collections::VecDeque,
    rc::Rc, //
};

/// A client: an identity and the slot it records.
#[derive(Debug)]
struct Client {
    id: u32,
    slot: Cell<Option<usize>>,
    /// How many times the queue recorded a slot for it.
    given: Cell<u64>,
}

#[derive(Clone, Debug)]
struct Ref(Rc<Client>);

impl PartialEq for Ref {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Slotted for Ref {
    fn slot(&self) -> Option<usize> {
        self.0.slot.get()
    }
    fn set_slot(&self, slot: Option<usize>) {
        self.0.slot.set(slot);
        self.0.given.set(self.0.given.get() + 1);
    }
}

fn clients(n: u32) -> Vec<Ref> {
    (0..n)
        .map(|id| {
            Ref(Rc::new(Client {
                id,
                slot: Cell::new(None),
                given: Cell::new(0),
            }))
        })
        .collect()
}

/// A queue with room for `clients` waiters, as the kernel reserves it.
fn queue(clients: usize) -> SlotQueue<Vec<Option<Ref>>> {
    SlotQueue::new(vec![None; clients + clients / 2 + 1])
}

fn ids(q: &SlotQueue<Vec<Option<Ref>>>) -> Vec<u32> {
    q.iter().map(|c| c.0.id).collect()
}

#[test]
fn first_in_first_out() {
    let c = clients(3);
    let mut q = queue(3);
    for client in &c {
        assert!(q.push_back(client.clone()).is_ok());
    }
    assert_eq!(ids(&q), [0, 1, 2]);
    assert_eq!(q.pop_front().map(|c| c.0.id), Some(0));
    assert_eq!(q.pop_front().map(|c| c.0.id), Some(1));
    assert_eq!(q.pop_front().map(|c| c.0.id), Some(2));
    assert!(q.pop_front().is_none());
    assert_eq!(q.broken_invariant(), None);
}

#[test]
fn removal_from_the_middle_keeps_the_order() {
    let c = clients(4);
    let mut q = queue(4);
    for client in &c {
        assert!(q.push_back(client.clone()).is_ok());
    }
    assert!(q.remove(&c[1]));
    assert!(!q.remove(&c[1]));
    assert!(!q.contains(&c[1]));
    assert_eq!(q.len(), 3);
    assert_eq!(ids(&q), [0, 2, 3]);
    assert_eq!(q.pop_front().map(|c| c.0.id), Some(0));
    assert_eq!(q.pop_front().map(|c| c.0.id), Some(2));
    assert_eq!(q.broken_invariant(), None);
}

#[test]
fn a_client_of_another_queue_is_not_here() {
    let c = clients(2);
    let mut here = queue(2);
    let mut there = queue(2);
    assert!(there.push_back(c[0].clone()).is_ok());
    assert!(here.push_back(c[1].clone()).is_ok());
    // Both record slot 0.
    assert!(!here.contains(&c[0]));
    assert!(!here.remove(&c[0]));
    assert!(here.contains(&c[1]));
    assert!(there.contains(&c[0]));
}

#[test]
fn a_full_queue_gives_the_client_back() {
    let c = clients(3);
    let mut q = SlotQueue::new(vec![None; 2]);
    assert!(q.push_back(c[0].clone()).is_ok());
    assert!(q.push_back(c[1].clone()).is_ok());
    assert_eq!(q.push_back(c[2].clone()).map_err(|c| c.0.id), Err(2));
    assert_eq!(c[2].slot(), None);
    assert_eq!(q.broken_invariant(), None);
}

#[test]
fn slots_left_behind_are_reused() {
    // One client in a queue of room 2 joins and leaves for ever: the
    // storage is packed, never exhausted.
    let c = clients(2);
    let mut q = queue(1);
    assert!(q.push_back(c[1].clone()).is_ok());
    for _ in 0..100 {
        assert!(q.push_back(c[0].clone()).is_ok());
        assert!(q.remove(&c[0]));
        assert_eq!(q.broken_invariant(), None);
    }
    assert_eq!(ids(&q), [1]);
}

#[test]
fn clear_empties_and_forgets() {
    let c = clients(3);
    let mut q = queue(3);
    for client in &c {
        assert!(q.push_back(client.clone()).is_ok());
    }
    q.clear();
    assert_eq!(q.len(), 0);
    assert!(c.iter().all(|c| c.slot().is_none()));
    assert_eq!(q.broken_invariant(), None);
}

#[test]
fn storage_can_grow_while_clients_wait() {
    let c = clients(4);
    let mut q = queue(1);
    assert!(q.push_back(c[0].clone()).is_ok());
    assert!(q.push_back(c[1].clone()).is_ok());
    assert!(q.push_back(c[2].clone()).is_err());
    q.storage_mut().resize(8, None);
    assert!(q.push_back(c[2].clone()).is_ok());
    assert_eq!(ids(&q), [0, 1, 2]);
    assert_eq!(q.broken_invariant(), None);
}

#[test]
fn a_thousand_waiters_take_turns_in_constant_time() {
    // As a port with a thousand clients looping ALLOCATE/FREE: the longest
    // waiter's turn, then it joins at the back. Every slot a client is given
    // (joins and packing) counts as work; it must not grow with the queue.
    let c = clients(1000);
    let mut q = queue(1000);
    for client in &c {
        assert!(q.push_back(client.clone()).is_ok());
    }
    let before = slots_given(&c);
    const TURNS: u64 = 100_000;
    for _ in 0..TURNS {
        let Some(next) = q.pop_front() else {
            panic!("the queue ran dry");
        };
        assert!(q.push_back(next).is_ok());
    }
    let moves = slots_given(&c) - before;
    assert_eq!(q.iter().count(), 1000);
    assert_eq!(q.broken_invariant(), None);
    // A pop and a join give two slots (the pop's "none"); packing gives
    // each waiter a slot once per third of the storage's length in joins.
    assert!(moves <= 5 * TURNS, "{moves} slot changes for {TURNS} turns");
}

/// How many times the clients were given a slot, so far.
fn slots_given(c: &[Ref]) -> u64 {
    c.iter().map(|c| c.0.given.get()).sum()
}

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn random_sequences_behave_as_a_deque() {
    const CLIENTS: u32 = 12;
    for seed in 1..200u64 {
        let c = clients(CLIENTS);
        let mut q = queue(CLIENTS as usize);
        let mut model: VecDeque<u32> = VecDeque::new();
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        for _ in 0..500 {
            let who = &c[rng.below(u64::from(CLIENTS)) as usize];
            match rng.below(4) {
                0 | 1 => {
                    if !model.contains(&who.0.id) {
                        assert!(q.push_back(who.clone()).is_ok(), "seed {seed}");
                        model.push_back(who.0.id);
                    }
                }
                2 => assert_eq!(q.pop_front().map(|c| c.0.id), model.pop_front()),
                _ => {
                    let there = model.contains(&who.0.id);
                    model.retain(|&id| id != who.0.id);
                    assert_eq!(q.remove(who), there, "seed {seed}");
                }
            }
            assert_eq!(q.broken_invariant(), None, "seed {seed}");
            assert_eq!(q.len(), model.len());
            assert_eq!(ids(&q), Vec::from(model.clone()), "seed {seed}");
            for client in &c {
                assert_eq!(q.contains(client), model.contains(&client.0.id));
            }
        }
    }
}
