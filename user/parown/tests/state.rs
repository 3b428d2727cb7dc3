// SPDX-License-Identifier: GPL-2.0

//! The parser reads what the module writes: the module's own renderer
//! (`rust/live_state.rs`, plain Rust) renders views, this crate parses
//! them back.

#![allow(dead_code)]

#[path = "../../../rust/live_state.rs"]
mod live_state;

use live_state::{
    Asked as KAsked, ClientView, Comm, Counters as KCounters, DriverList, DriverName,
    Hold as KHold, OwnerView, PortView, Target, WaiterView, Who as KWho,
};
use parown::{
    state::{self, Asked, Client, Counters, Hold, Owner, PortState, Waiter, Who},
    Device,
};
use std::time::Duration;

fn process(id: u64, pid: i32, comm: &[u8]) -> ClientView {
    ClientView {
        id,
        who: KWho::Process {
            pid,
            comm: Comm::new(comm),
        },
    }
}

#[test]
fn a_busy_port_reads_back() {
    let waiters = [
        WaiterView {
            client: process(8, 315, b"jtag tool"),
            asked: KAsked::Allocate,
            waited_ms: 126,
            timeout_ms: None,
        },
        WaiterView {
            client: ClientView {
                id: 9,
                who: KWho::Driver(DriverName::new(b"parown_sample")),
            },
            asked: KAsked::Lock(Target::Daisy(2)),
            waited_ms: 12,
            timeout_ms: Some(5000),
        },
        WaiterView {
            client: process(10, 320, b"x"),
            asked: KAsked::DeviceId(Target::EndOfChain),
            waited_ms: 0,
            timeout_ms: Some(1),
        },
    ];
    let view = PortView {
        port: 2,
        gone: false,
        hold: KHold::Held,
        core_holder: Some(DriverName::new(b"parown")),
        core_waiting: DriverList::new(b"lp ppdev"),
        owner: Some(OwnerView {
            client: process(7, 312, b"parownctl"),
            held_ms: 1532,
        }),
        selected: Some(Target::EndOfChain),
        chain: Some(3),
        waiters: &waiters,
        counters: KCounters {
            grants: 12,
            handovers: 3,
            timeouts: 1,
            interrupted: 2,
            cancelled: 4,
            removed: 5,
            longest_wait_ns: 343_999_999,
        },
    };
    let parsed = state::parse(&view.to_string()).unwrap();
    let client = |id, pid, comm: &str| Client {
        id,
        who: Who::Process {
            pid,
            comm: comm.to_string(),
        },
    };
    assert_eq!(
        parsed,
        PortState {
            port: 2,
            gone: false,
            hold: Hold::Held,
            core_holder: Some("parown".to_string()),
            core_waiting: vec!["lp".to_string(), "ppdev".to_string()],
            owner: Some(Owner {
                client: client(7, 312, "parownctl"),
                held: Duration::from_millis(1532),
            }),
            selected: Some(Device::EndOfChain),
            chain: Some(3),
            waiters: vec![
                Waiter {
                    client: client(8, 315, "jtag tool"),
                    asked: Asked::Allocate,
                    waited: Duration::from_millis(126),
                    timeout: None,
                },
                Waiter {
                    client: Client {
                        id: 9,
                        who: Who::Driver("parown_sample".to_string()),
                    },
                    asked: Asked::Lock(Device::Daisy(2)),
                    waited: Duration::from_millis(12),
                    timeout: Some(Duration::from_millis(5000)),
                },
                Waiter {
                    client: client(10, 320, "x"),
                    asked: Asked::DeviceId(Device::EndOfChain),
                    waited: Duration::ZERO,
                    timeout: Some(Duration::from_millis(1)),
                },
            ],
            counters: Counters {
                grants: 12,
                handovers: 3,
                timeouts: 1,
                interrupted: 2,
                cancelled: 4,
                removed: 5,
                longest_wait: Duration::from_millis(343),
            },
        }
    );
}

#[test]
fn an_unused_port_reads_back() {
    let view = PortView {
        port: 0,
        gone: true,
        hold: KHold::NotRegistered,
        core_holder: None,
        core_waiting: DriverList::empty(),
        owner: None,
        selected: None,
        chain: None,
        waiters: &[],
        counters: KCounters::default(),
    };
    let parsed = state::parse(&view.to_string()).unwrap();
    assert!(parsed.gone);
    assert_eq!(parsed.hold, Hold::NotRegistered);
    assert_eq!(
        (parsed.core_holder, parsed.core_waiting, parsed.owner),
        (None, vec![], None)
    );
    assert_eq!((parsed.selected, parsed.chain), (None, None));
    assert!(parsed.waiters.is_empty());
    assert_eq!(parsed.counters, Counters::default());
}

#[test]
fn a_view_that_lost_a_waiter_line_is_refused() {
    let text = "port: 0\ngone: no\nparown: held\ncore-holder: parown\ncore-waiting: none\n\
                owner: none\nselected: none\nchain: unknown\nwaiters: 1\n\
                counters: grants=0 hand-overs=0 timeouts=0 interrupted=0 cancelled=0 \
                removed=0 longest_wait_ms=0\n";
    let err = state::parse(text).unwrap_err();
    assert!(
        err.to_string().contains("1 waiters said, 0 listed"),
        "{err}"
    );
    assert_eq!(err.errno(), None);
}

#[test]
fn unknown_lines_and_fields_are_skipped() {
    let text = "port: 1\ngone: no\nparown: idle\ncore-holder: lp\ncore-waiting: none\n\
                new-line: something\n\
                owner: client=3 held_ms=5 future=1 pid=0 comm=\nselected: device=0\n\
                chain: devices=1\nwaiters: 0\ncounters: grants=1 hand-overs=0 timeouts=0 \
                interrupted=0 cancelled=0 removed=0 longest_wait_ms=0 more=9\n";
    let parsed = state::parse(text).unwrap();
    assert_eq!(parsed.core_holder.as_deref(), Some("lp"));
    let owner = parsed.owner.unwrap();
    assert_eq!(
        owner.client.who,
        Who::Process {
            pid: 0,
            comm: String::new()
        }
    );
    assert_eq!(parsed.selected, Some(Device::Daisy(0)));
}
