// SPDX-License-Identifier: GPL-2.0

//! A port's wait queue: the clients' identities, what each sleeps on, and
//! the queue's storage for [`crate::ownership`].

use crate::{
    ownership::WaitQueue,
    ppdev::Session, //
};
use kernel::{
    new_condvar,
    new_mutex,
    prelude::*,
    sync::{
        Arc,
        CondVar,
        Mutex, //
    }, //
};

/// A client as its port sees it: its place in the queue and how to wake
/// it. Compared by identity.
#[derive(Clone)]
pub(crate) struct ClientRef(pub(super) Arc<Waiter>);

/// What a waiting client sleeps on.
#[pin_data]
pub(crate) struct Waiter {
    /// Notified when the client is granted the port or the port goes away.
    #[pin]
    pub(super) woken: CondVar,
    /// The client's ppdev state (see [`Session`]), changed only with the
    /// port's mutex held too, so that it is consistent with the port's
    /// ownership.
    #[pin]
    pub(super) session: Mutex<Session>,
}

impl ClientRef {
    /// A new client identity.
    pub(crate) fn new() -> Result<Self> {
        let waiter = Arc::pin_init(
            pin_init!(Waiter {
                woken <- new_condvar!("Waiter::woken"),
                session <- new_mutex!(Session::new(), "Waiter::session"),
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
pub(super) struct Waiters(pub(super) KVec<ClientRef>);

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
