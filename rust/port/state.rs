// SPDX-License-Identifier: GPL-2.0

//! A port's live state for its debugfs file ([`crate::glue::debugfs`]):
//! gathered under the port's lock, which nothing holds across a wait or
//! a write, and rendered ([`crate::live_state`]) after it is dropped.

use super::{
    devices,
    Port, //
};
use crate::{
    glue::{
        debugfs::{
            ShowState,
            StateWriter, //
        },
        time,
    },
    live_state::{
        DriverList,
        DriverName,
        Hold,
        OwnerView,
        PortView,
        WaiterView, //
    },
};
use core::fmt::{
    self,
    Write, //
};
use kernel::{
    prelude::*,
    sync::atomic::ordering::Relaxed, //
};

/// Nanoseconds as whole milliseconds.
fn ms(ns: u64) -> u64 {
    ns / 1_000_000
}

impl ShowState for Port {
    fn show(&self, out: &mut StateWriter<'_>) -> fmt::Result {
        // kvmalloc: a thousand waiters take tens of KiB.
        let mut waiters = KVVec::<WaiterView>::new();
        // Taking the lock ends a parking (see `lock_state`): the parked
        // client's next ALLOCATE goes through the lock once.
        let st = self.lock_state();
        waiters
            .reserve(st.own.waiters(), GFP_KERNEL)
            .map_err(|_| fmt::Error)?;
        let now = time::now_ns();
        for waiter in st.own.queue().iter() {
            let (asked, timeout_ms) = waiter.request();
            let view = WaiterView {
                client: waiter.view(),
                asked,
                waited_ms: ms(waiter.waited_ns_at(now)),
                timeout_ms,
            };
            waiters.push_within_capacity(view).map_err(|_| fmt::Error)?;
        }
        let owner = st.own.owner().map(|owner| OwnerView {
            client: owner.view(),
            held_ms: ms(now.saturating_sub(st.owner_since_ns)),
        });
        let hold = match (&st.pardev, self.hw.is_held()) {
            (None, _) => Hold::NotRegistered,
            (Some(_), false) => Hold::Idle,
            (Some(_), true) if owner.is_some() => Hold::Held,
            (Some(_), true) => Hold::HeldLazily,
        };
        let mut counters = st.counters;
        counters.grants += self.fast_grants.load(Relaxed);
        let selected = st
            .sel
            .lock()
            .filter(|lock| lock.selected)
            .map(|lock| devices::target(lock.device));
        let chain = st.sel.known().then(|| u32::from(st.sel.devices()));
        let gone = st.own.is_gone();
        drop(st);

        let mut holder = DriverName::empty();
        let held = self.parport.holder(holder.buffer());
        let mut waiting = DriverList::empty();
        self.parport.waiting(waiting.buffer());
        let view = PortView {
            port: self.info.number,
            gone,
            hold,
            core_holder: held.then(|| holder.filled()),
            core_waiting: waiting.filled(),
            owner,
            selected,
            chain,
            waiters: &waiters,
            counters,
        };
        write!(out, "{view}")
    }
}
