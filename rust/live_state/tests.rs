// SPDX-License-Identifier: GPL-2.0

//! The live view's text: every line, in order, for a busy port and an idle
//! one, and names that cannot break a line.

use super::*;

fn process(id: u64, pid: i32, comm: &[u8]) -> ClientView {
    ClientView {
        id,
        who: Who::Process {
            pid,
            comm: Comm::new(comm),
        },
    }
}

fn render(view: &PortView<'_>) -> String {
    format!("{view}")
}

/// A port nobody uses, with parown's hold `hold`.
fn unused(port: u32, gone: bool, hold: Hold) -> PortView<'static> {
    PortView {
        port,
        gone,
        hold,
        core_holder: None,
        core_waiting: DriverList::empty(),
        owner: None,
        selected: None,
        chain: None,
        waiters: &[],
        counters: Counters::default(),
    }
}

#[test]
fn a_busy_port_shows_owner_waiters_in_order_and_other_drivers() {
    let waiters = [
        WaiterView {
            client: process(8, 315, b"jtag tool"),
            asked: Asked::Allocate,
            waited_ms: 126,
            timeout_ms: None,
        },
        WaiterView {
            client: ClientView {
                id: 9,
                who: Who::Driver(DriverName::new(b"parown_sample")),
            },
            asked: Asked::Lock(Target::Daisy(2)),
            waited_ms: 12,
            timeout_ms: Some(5000),
        },
        WaiterView {
            client: process(10, 320, b"x"),
            asked: Asked::Select(Target::EndOfChain),
            waited_ms: 0,
            timeout_ms: Some(1),
        },
    ];
    let view = PortView {
        port: 0,
        gone: false,
        hold: Hold::Held,
        core_holder: Some(DriverName::new(b"parown")),
        core_waiting: DriverList::new(b"lp"),
        owner: Some(OwnerView {
            client: process(7, 312, b"parownctl"),
            held_ms: 1532,
        }),
        selected: Some(Target::Daisy(1)),
        chain: Some(4),
        waiters: &waiters,
        counters: Counters {
            grants: 12,
            handovers: 3,
            timeouts: 1,
            interrupted: 2,
            cancelled: 0,
            removed: 0,
            longest_wait_ns: 343_999_999,
        },
    };
    assert_eq!(
        render(&view),
        "port: 0\n\
         gone: no\n\
         parown: held\n\
         core-holder: parown\n\
         core-waiting: lp\n\
         owner: client=7 held_ms=1532 pid=312 comm=parownctl\n\
         selected: device=1\n\
         chain: devices=4\n\
         waiters: 3\n\
         waiter: client=8 asked=allocate waited_ms=126 timeout_ms=none pid=315 comm=jtag tool\n\
         waiter: client=9 asked=lock device=2 waited_ms=12 timeout_ms=5000 driver=parown_sample\n\
         waiter: client=10 asked=select device=end-of-chain waited_ms=0 timeout_ms=1 pid=320 comm=x\n\
         counters: grants=12 hand-overs=3 timeouts=1 interrupted=2 cancelled=0 removed=0 \
         longest_wait_ms=343\n"
    );
}

#[test]
fn an_idle_port_says_none_everywhere() {
    assert_eq!(
        render(&unused(3, true, Hold::NotRegistered)),
        "port: 3\n\
         gone: yes\n\
         parown: not-registered\n\
         core-holder: none\n\
         core-waiting: none\n\
         owner: none\n\
         selected: none\n\
         chain: unknown\n\
         waiters: 0\n\
         counters: grants=0 hand-overs=0 timeouts=0 interrupted=0 cancelled=0 removed=0 \
         longest_wait_ms=0\n"
    );
}

#[test]
fn every_hold_and_request_has_its_word() {
    let words: Vec<String> = [Hold::Idle, Hold::HeldLazily]
        .iter()
        .map(|&hold| {
            let view = render(&unused(0, false, hold));
            view.lines().nth(2).unwrap_or("").to_string()
        })
        .collect();
    assert_eq!(words, ["parown: idle", "parown: held-lazily"]);
    let asked: Vec<String> = [
        Asked::AllocateAsync,
        Asked::DeviceId(Target::Daisy(0)),
        Asked::InitBus,
        Asked::Yield,
    ]
    .iter()
    .map(|a| a.to_string())
    .collect();
    assert_eq!(
        asked,
        [
            "asked=allocate-async",
            "asked=device-id device=0",
            "asked=init-bus",
            "asked=yield"
        ]
    );
}

#[test]
fn names_are_cut_and_never_break_the_line() {
    assert_eq!(Comm::new(b"a\nb\xc3\xa9c\0junk").to_string(), "a?b??c");
    assert_eq!(Comm::new(&[b'x'; 40]).to_string(), "x".repeat(16));
    let mut filled = Comm::empty();
    filled.buffer()[..3].copy_from_slice(b"lp\0");
    assert_eq!(filled.filled().to_string(), "lp");
    assert!(Comm::new(b"\0").is_empty());
}
