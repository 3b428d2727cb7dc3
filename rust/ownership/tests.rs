// SPDX-License-Identifier: GPL-2.0

//! Host tests of the ownership state machine: the rules one by one, then
//! thousands of random request sequences against a simple reference model.

use super::*;
use std::collections::VecDeque;

/// A queue with a fixed room, like the kernel's reserved vector.
struct Queue {
    items: VecDeque<u32>,
    room: usize,
}

impl Queue {
    fn with_room(room: usize) -> Self {
        Self {
            items: VecDeque::new(),
            room,
        }
    }
}

impl WaitQueue<u32> for Queue {
    fn push_back(&mut self, client: u32) -> Result<(), u32> {
        if self.items.len() == self.room {
            return Err(client);
        }
        self.items.push_back(client);
        Ok(())
    }

    fn pop_front(&mut self) -> Option<u32> {
        self.items.pop_front()
    }

    fn remove(&mut self, client: &u32) -> bool {
        let before = self.items.len();
        self.items.retain(|c| c != client);
        before != self.items.len()
    }

    fn contains(&self, client: &u32) -> bool {
        self.items.contains(client)
    }

    fn len(&self) -> usize {
        self.items.len()
    }

    fn clear(&mut self) {
        self.items.clear();
    }
}

fn port() -> Ownership<u32, Queue> {
    Ownership::new(Queue::with_room(64))
}

/// Allocates for `c` and grants at once, as the kernel does with the
/// hardware at hand.
fn allocate(p: &mut Ownership<u32, Queue>, c: u32) -> Result<(), Refusal> {
    p.enqueue(c)?;
    if p.grant_next().is_some() {
        // The waiting request takes the port up.
        p.end_use();
    }
    Ok(())
}

#[test]
fn a_grant_is_in_use_until_its_request_takes_it_up() {
    let mut p = port();
    assert_eq!(allocate(&mut p, 1), Ok(()));
    assert_eq!(p.enqueue(2), Ok(()));
    assert_eq!(p.release(&1), Ok(()));
    assert_eq!(p.grant_next(), Some(&2));
    assert!(p.in_use());
    // Another thread of client 2 can neither write nor free yet.
    assert_eq!(p.begin_use(&2), Err(Refusal::InUse));
    assert_eq!(p.release(&2), Err(Refusal::InUse));
    p.end_use();
    assert_eq!(p.begin_use(&2), Ok(()));
}

#[test]
fn a_use_pins_the_ownership_it_started_under() {
    let mut p = port();
    assert_eq!(allocate(&mut p, 1), Ok(()));
    assert_eq!(p.enqueue(2), Ok(()));
    assert_eq!(p.begin_use(&2), Err(Refusal::NotOwner));
    assert_eq!(p.begin_use(&1), Ok(()));
    assert_eq!(p.begin_use(&1), Err(Refusal::InUse), "one use at a time");
    assert_eq!(p.release(&1), Err(Refusal::InUse));
    assert_eq!(p.owner(), Some(&1), "a refused free changes nothing");
    assert_eq!(p.grant_next(), None);
    p.end_use();
    assert_eq!(p.release(&1), Ok(()));
    assert_eq!(p.grant_next(), Some(&2));
}

#[test]
fn removal_and_leaving_end_a_use() {
    let mut p = port();
    assert_eq!(allocate(&mut p, 1), Ok(()));
    assert_eq!(p.begin_use(&1), Ok(()));
    assert!(p.leave(&1));
    assert!(!p.in_use());
    assert_eq!(allocate(&mut p, 2), Ok(()));
    assert_eq!(p.begin_use(&2), Ok(()));
    p.remove_port();
    assert!(!p.in_use());
    assert_eq!(p.begin_use(&2), Err(Refusal::Gone));
    assert_eq!(p.broken_invariant(), None);
}

#[test]
fn allocate_on_a_free_port_owns_it() {
    let mut p = port();
    assert!(p.is_free());
    assert_eq!(allocate(&mut p, 1), Ok(()));
    assert_eq!(p.owner(), Some(&1));
    assert_eq!(p.waiters(), 0);
}

#[test]
fn waiters_are_served_in_arrival_order() {
    let mut p = port();
    assert_eq!(allocate(&mut p, 1), Ok(()));
    for c in [5, 3, 4, 2] {
        assert_eq!(p.enqueue(c), Ok(()));
        assert_eq!(p.grant_next(), None, "nothing is granted while owned");
    }
    assert_eq!(p.waiters(), 4);
    let mut order = vec![];
    let mut owner = 1;
    while p.waiters() > 0 {
        assert_eq!(p.release(&owner), Ok(()));
        owner = p.grant_next().copied().unwrap_or(0);
        p.end_use();
        order.push(owner);
    }
    assert_eq!(order, [5, 3, 4, 2]);
}

#[test]
fn allocate_by_the_owner_is_refused_and_changes_nothing() {
    let mut p = port();
    assert_eq!(allocate(&mut p, 1), Ok(()));
    assert_eq!(p.enqueue(1), Err(Refusal::AlreadyOwner));
    assert_eq!(p.try_take(1), Err(Refusal::AlreadyOwner));
    assert_eq!(p.owner(), Some(&1));
    assert_eq!(p.waiters(), 0);
}

#[test]
fn a_waiter_cannot_queue_twice() {
    let mut p = port();
    assert_eq!(allocate(&mut p, 1), Ok(()));
    assert_eq!(p.enqueue(2), Ok(()));
    assert_eq!(p.enqueue(2), Err(Refusal::AlreadyWaiting));
    assert_eq!(p.waiters(), 1);
}

#[test]
fn try_never_jumps_the_queue() {
    let mut p = port();
    assert_eq!(p.try_take(1), Ok(()));
    assert_eq!(p.try_take(2), Err(Refusal::Busy));
    assert_eq!(p.enqueue(3), Ok(()));
    assert_eq!(p.release(&1), Ok(()));
    // Free for a moment, but 3 waits: a try must not overtake it.
    assert_eq!(p.try_take(2), Err(Refusal::Busy));
    assert!(
        !p.is_waiting(&2),
        "a failed try takes no place in the queue"
    );
    assert_eq!(p.grant_next(), Some(&3));
}

#[test]
fn asking_why_a_try_would_fail_takes_nothing() {
    let mut p = port();
    // Free as far as parown knows (another driver may hold the hardware).
    assert_eq!(p.check_try(&1), Ok(()));
    assert_eq!(p.owner(), None);
    assert_eq!(p.enqueue(1), Ok(()), "asking left no ownership behind");
    assert_eq!(p.check_try(&1), Err(Refusal::AlreadyWaiting));
    assert_eq!(p.grant_next(), Some(&1));
    assert_eq!(p.check_try(&1), Err(Refusal::AlreadyOwner));
    assert_eq!(p.check_try(&2), Err(Refusal::Busy));
    assert_eq!(p.owner(), Some(&1));
}

#[test]
fn free_by_a_non_owner_is_refused_and_changes_nothing() {
    let mut p = port();
    assert_eq!(allocate(&mut p, 1), Ok(()));
    assert_eq!(p.enqueue(2), Ok(()));
    assert_eq!(p.release(&2), Err(Refusal::NotOwner));
    assert_eq!(p.release(&3), Err(Refusal::NotOwner));
    assert_eq!(p.owner(), Some(&1));
    assert_eq!(p.waiters(), 1);
    assert_eq!(p.release(&1), Ok(()));
    assert_eq!(p.release(&1), Err(Refusal::NotOwner), "double free");
}

#[test]
fn cancel_leaves_the_queue_owning_nothing() {
    let mut p = port();
    assert_eq!(allocate(&mut p, 1), Ok(()));
    assert_eq!(p.enqueue(2), Ok(()));
    assert_eq!(p.enqueue(3), Ok(()));
    assert!(p.cancel(&2));
    assert!(!p.cancel(&2));
    assert_eq!(p.release(&1), Ok(()));
    assert_eq!(p.grant_next(), Some(&3));
}

#[test]
fn leaving_owner_hands_over_and_leaving_waiter_just_goes() {
    let mut p = port();
    assert_eq!(allocate(&mut p, 1), Ok(()));
    assert_eq!(p.enqueue(2), Ok(()));
    assert_eq!(p.enqueue(3), Ok(()));
    assert!(!p.leave(&2));
    assert!(p.leave(&1));
    assert!(p.handover_due());
    assert_eq!(p.grant_next(), Some(&3));
}

#[test]
fn a_removed_port_refuses_everything() {
    let mut p = port();
    assert_eq!(allocate(&mut p, 1), Ok(()));
    assert_eq!(p.enqueue(2), Ok(()));
    p.remove_port();
    assert_eq!(p.owner(), None);
    assert_eq!(p.waiters(), 0);
    assert_eq!(p.enqueue(3), Err(Refusal::Gone));
    assert_eq!(p.try_take(3), Err(Refusal::Gone));
    assert_eq!(p.release(&1), Err(Refusal::Gone));
    assert!(!p.leave(&1));
    assert_eq!(p.broken_invariant(), None);
}

#[test]
fn a_full_queue_refuses_without_change() {
    let mut p = Ownership::new(Queue::with_room(1));
    assert_eq!(allocate(&mut p, 1), Ok(()));
    assert_eq!(p.enqueue(2), Ok(()));
    assert_eq!(p.enqueue(3), Err(Refusal::NoRoom));
    assert_eq!(p.waiters(), 1);
}

/// A deliberately naive model of the contract, to compare against.
#[derive(Default)]
struct Model {
    owner: Option<u32>,
    queue: Vec<u32>,
    gone: bool,
    in_use: bool,
}

impl Model {
    fn new_request(&self, c: u32) -> Result<(), Refusal> {
        if self.gone {
            Err(Refusal::Gone)
        } else if self.owner == Some(c) {
            Err(Refusal::AlreadyOwner)
        } else if self.queue.contains(&c) {
            Err(Refusal::AlreadyWaiting)
        } else {
            Ok(())
        }
    }
}

/// xorshift64*: deterministic, no dependencies.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[test]
fn random_sequences_match_the_model() {
    const SEQUENCES: u64 = 5000;
    const STEPS: usize = 200;
    const CLIENTS: u64 = 6;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for seq in 0..SEQUENCES {
        let mut p = port();
        let mut m = Model::default();
        let mut granted = vec![];
        let mut model_granted = vec![];
        for step in 0..STEPS {
            let c = rng.below(CLIENTS) as u32;
            let what = rng.below(100);
            let ctx = format!("sequence {seq} step {step}: op {what} client {c}");
            match what {
                0..=29 => {
                    let want = m.new_request(c).map(|()| m.queue.push(c));
                    assert_eq!(p.enqueue(c), want, "{ctx}");
                }
                30..=39 => {
                    let want = m.new_request(c).and_then(|()| {
                        if m.owner.is_none() && m.queue.is_empty() {
                            Ok(())
                        } else {
                            Err(Refusal::Busy)
                        }
                    });
                    // Asking changes nothing (the checks below see to it);
                    // the kernel asks when the hardware is busy.
                    assert_eq!(p.check_try(&c), want, "{ctx}");
                    if rng.below(4) != 0 {
                        if want.is_ok() {
                            m.owner = Some(c);
                        }
                        assert_eq!(p.try_take(c), want, "{ctx}");
                    }
                }
                40..=44 => {
                    // The owner, or another client, starts or ends a use.
                    if m.in_use {
                        m.in_use = false;
                        p.end_use();
                    } else {
                        let want = if m.gone {
                            Err(Refusal::Gone)
                        } else if m.owner == Some(c) {
                            m.in_use = true;
                            Ok(())
                        } else {
                            Err(Refusal::NotOwner)
                        };
                        assert_eq!(p.begin_use(&c), want, "{ctx}");
                    }
                }
                45..=64 => {
                    // Free by a random client (often not the owner).
                    let c = if rng.below(2) == 0 {
                        m.owner.unwrap_or(c)
                    } else {
                        c
                    };
                    let want = if m.gone {
                        Err(Refusal::Gone)
                    } else if m.owner != Some(c) {
                        Err(Refusal::NotOwner)
                    } else if m.in_use {
                        Err(Refusal::InUse)
                    } else {
                        m.owner = None;
                        Ok(())
                    };
                    assert_eq!(p.release(&c), want, "{ctx}");
                }
                65..=79 => {
                    let was = m.queue.contains(&c);
                    m.queue.retain(|&w| w != c);
                    assert_eq!(p.cancel(&c), was, "{ctx}");
                }
                80..=97 => {
                    m.queue.retain(|&w| w != c);
                    let owned = m.owner == Some(c);
                    if owned {
                        m.owner = None;
                        m.in_use = false;
                    }
                    assert_eq!(p.leave(&c), owned, "{ctx}");
                }
                _ => {
                    m.gone = true;
                    m.owner = None;
                    m.in_use = false;
                    m.queue.clear();
                    p.remove_port();
                }
            }
            // The kernel hands over whenever the port is due.
            if m.owner.is_none() && !m.queue.is_empty() {
                m.owner = Some(m.queue.remove(0));
                m.in_use = true;
                model_granted.push(m.owner);
            }
            if p.handover_due() {
                granted.push(p.grant_next().copied());
            }
            // Usually the granted request takes the port up at once.
            if m.in_use && rng.below(4) != 0 {
                m.in_use = false;
                p.end_use();
            }
            assert_eq!(p.owner(), m.owner.as_ref(), "{ctx}");
            assert_eq!(p.waiters(), m.queue.len(), "{ctx}");
            assert_eq!(p.is_gone(), m.gone, "{ctx}");
            assert_eq!(p.in_use(), m.in_use, "{ctx}");
            assert_eq!(p.broken_invariant(), None, "{ctx}");
            for w in 0..CLIENTS as u32 {
                assert_eq!(p.is_waiting(&w), m.queue.contains(&w), "{ctx}");
            }
        }
        assert_eq!(granted, model_granted, "sequence {seq}: grant order");
    }
}

#[test]
fn a_yielding_owner_gets_the_port_back_after_the_earlier_waiters() {
    let mut p = port();
    assert_eq!(allocate(&mut p, 1), Ok(()));
    assert_eq!(p.enqueue(2), Ok(()));
    assert_eq!(p.enqueue(3), Ok(()));
    assert_eq!(p.requeue(&1), Ok(()));
    assert!(p.is_waiting(&1));
    assert_eq!(p.owner(), None);
    assert_eq!(p.broken_invariant(), None);
    // The longest waiter first, the yielding owner last.
    assert_eq!(p.grant_next(), Some(&2));
    p.end_use();
    assert_eq!(p.enqueue(4), Ok(()));
    assert_eq!(p.release(&2), Ok(()));
    assert_eq!(p.grant_next(), Some(&3));
    p.end_use();
    assert_eq!(p.release(&3), Ok(()));
    assert_eq!(p.grant_next(), Some(&1));
    p.end_use();
    assert_eq!(p.release(&1), Ok(()));
    assert_eq!(p.grant_next(), Some(&4));
}

#[test]
fn a_yield_with_nobody_waiting_gives_the_port_straight_back() {
    let mut p = port();
    assert_eq!(allocate(&mut p, 1), Ok(()));
    assert_eq!(p.requeue(&1), Ok(()));
    assert_eq!(p.waiters(), 1);
    assert_eq!(p.grant_next(), Some(&1));
}

#[test]
fn only_the_idle_owner_of_a_present_port_can_yield() {
    let mut p = port();
    assert_eq!(p.requeue(&1), Err(Refusal::NotOwner));
    assert_eq!(allocate(&mut p, 1), Ok(()));
    assert_eq!(p.enqueue(2), Ok(()));
    assert_eq!(p.requeue(&2), Err(Refusal::NotOwner));
    assert_eq!(p.begin_use(&1), Ok(()));
    assert_eq!(p.requeue(&1), Err(Refusal::InUse));
    p.end_use();
    p.remove_port();
    assert_eq!(p.requeue(&1), Err(Refusal::Gone));
}

#[test]
fn a_refused_yield_changes_nothing() {
    let mut p = Ownership::new(Queue::with_room(1));
    assert_eq!(allocate(&mut p, 1), Ok(()));
    assert_eq!(p.enqueue(2), Ok(()));
    assert_eq!(p.requeue(&1), Err(Refusal::NoRoom));
    assert!(p.is_owner(&1));
    assert_eq!(p.waiters(), 1);
    assert_eq!(p.broken_invariant(), None);
}
