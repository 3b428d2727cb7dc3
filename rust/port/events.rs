// SPDX-License-Identifier: GPL-2.0

//! What happens to a port's ownership, recorded twice: as trace events
//! (`parown:allocate`, `grant`, `free`, `timeout`, `interrupt`, `cancel`,
//! `select`, `deselect` and `remove`; see [`crate::glue::trace`]) and in
//! the counters of the live state ([`crate::live_state::Counters`]).
//! Named after what happened to the port rather than after the call that
//! records it.

use super::{
    ClientRef,
    Port,
    PortState, //
};
use crate::{
    glue::trace,
    kernel_compat::code,
    selection::Device, //
};
use kernel::{
    prelude::*,
    sync::atomic::ordering::Relaxed, //
};

/// How a client came to own the port, for `parown:grant`.
#[derive(Clone, Copy)]
pub(super) enum Grant {
    /// At once, in the client's own request.
    AtOnce,
    /// After waiting in the queue, taken up by the waiting thread.
    Waited,
    /// After waiting in the queue, for an asynchronous request: granted in
    /// the context of whoever let the port go.
    WaitedAsync,
    /// At once, for an asynchronous request, in its work item.
    AtOnceAsync,
}

impl Port {
    /// `me` asks to own the port (ALLOCATE, LOCK_PORT, an asynchronous
    /// request).
    pub(super) fn traced_request(&self, me: &ClientRef) {
        trace::allocate(self.info.number, me.id());
    }

    /// `me` owns the port now (port mutex held).
    pub(super) fn traced_grant(&self, st: &mut PortState, me: &ClientRef, how: Grant) {
        let (wait_ns, in_context) = match how {
            Grant::AtOnce => (0, true),
            Grant::Waited => (me.waited_ns(), true),
            Grant::WaitedAsync => (me.waited_ns(), false),
            Grant::AtOnceAsync => (0, false),
        };
        trace::grant(self.info.number, me.id(), wait_ns, in_context);
        let counters = &mut st.counters;
        counters.grants += 1;
        if matches!(how, Grant::Waited | Grant::WaitedAsync) {
            counters.handovers += 1;
            counters.longest_wait_ns = counters.longest_wait_ns.max(wait_ns);
        }
    }

    /// `me` took the port parked for it, without the port's lock.
    pub(super) fn traced_fast_grant(&self, me: &ClientRef) {
        trace::grant(self.info.number, me.id(), 0, true);
        self.fast_grants.fetch_add(1, Relaxed);
    }

    /// `me`'s wait in the queue ended with `err` before it was granted
    /// (port mutex held). A port that went away says so in
    /// `parown:remove` instead.
    pub(super) fn traced_wait_failure(&self, st: &mut PortState, me: &ClientRef, err: Error) {
        let (port, id, wait_ns) = (self.info.number, me.id(), me.waited_ns());
        if err == ETIMEDOUT {
            trace::timeout(port, id, wait_ns);
            st.counters.timeouts += 1;
        } else if err == code::ecanceled() {
            trace::cancel(port, id, wait_ns);
            st.counters.cancelled += 1;
        } else if err == EINTR || err == ERESTARTSYS {
            trace::interrupt(port, id, wait_ns);
            st.counters.interrupted += 1;
        }
    }

    /// The owner `me` lets the port go.
    pub(super) fn traced_free(&self, me: &ClientRef) {
        trace::free(self.info.number, me.id());
    }

    /// The owner put `device` on the IEEE 1284.3 bus.
    pub(super) fn traced_select(&self, st: &PortState, device: Device) {
        let address = match device {
            Device::Daisy(addr) => i32::from(addr),
            Device::EndOfChain => -1,
        };
        trace::select(self.info.number, Self::owner_id(st), address);
    }

    /// The owner deselected every daisy-chain device.
    pub(super) fn traced_deselect(&self, st: &PortState) {
        trace::deselect(self.info.number, Self::owner_id(st));
    }

    /// The owner's number in trace events; 0 for none.
    fn owner_id(st: &PortState) -> u64 {
        st.own.owner().map_or(0, ClientRef::id)
    }

    /// The port goes away, failing its waiters (port mutex held).
    pub(super) fn traced_removal(&self, st: &mut PortState) {
        let waiters = st.own.waiters();
        trace::remove(self.info.number, u32::try_from(waiters).unwrap_or(u32::MAX));
        st.counters.removed += waiters as u64;
    }
}
