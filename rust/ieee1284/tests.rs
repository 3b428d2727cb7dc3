// SPDX-License-Identifier: GPL-2.0

//! IEEE 1284 negotiation and the reverse modes against the model chain of
//! `selftests/sim/chain.rs`, the one the simulated port of the VM tests
//! uses, and against a port with no IEEE 1284 peripheral.

use super::*;
use crate::{
    chain::{
        device_id,
        stream_byte,
        Target, //
    },
    chain_lines::{
        few_step_pauses,
        ChainLines, //
    },
    compat, ieee1284_3,
    lines::{
        Stop,
        IDLE_CONTROL, //
    },
};

/// A chain of `devices`, enumerated, its devices deselected.
fn chain(devices: u8) -> ChainLines {
    let mut lines = ChainLines::new(devices);
    assert_eq!(ieee1284_3::enumerate(&mut lines), devices);
    lines
}

/// The Device ID of the device on the bus, read into a roomy buffer.
fn id_of(lines: &mut ChainLines) -> Vec<u8> {
    let mut st = State::COMPAT;
    let mut buf = [0u8; 256];
    let len = read_device_id(lines, &mut st, &mut buf);
    assert!(len.is_ok(), "the device sends its ID: {len:?}");
    let len = len.unwrap_or_default();
    assert_eq!(st, State::COMPAT, "back in compatibility mode");
    buf[..len].to_vec()
}

#[test]
fn each_selected_device_sends_its_own_device_id() {
    let mut lines = chain(4);
    for addr in 0..4 {
        assert_eq!(ieee1284_3::select(&mut lines, addr), Ok(()));
        assert_eq!(id_of(&mut lines), device_id(Target::Device(addr)));
    }
    assert_eq!(ieee1284_3::deselect_all(&mut lines), Ok(()));
    assert_eq!(id_of(&mut lines), device_id(Target::EndOfChain));
    assert_eq!(
        device_id(Target::Device(2)),
        b"MFG:parown;MDL:sim-dev-2;CMD:TEST;CLS:PRINTER;"
    );
    assert_eq!(lines.step_pauses, 0, "the model answers every step at once");
}

#[test]
fn the_end_of_chain_device_answers_without_a_chain() {
    let mut lines = chain(0);
    assert_eq!(id_of(&mut lines), device_id(Target::EndOfChain));
}

#[test]
fn after_the_device_id_compatibility_writes_reach_the_device() {
    let mut lines = chain(2);
    assert_eq!(ieee1284_3::select(&mut lines, 1), Ok(()));
    id_of(&mut lines);
    assert_eq!(compat::write(&mut lines, b"after"), (5, None));
    assert_eq!(lines.received(Target::Device(1)), b"after");
    assert!(lines.received(Target::EndOfChain).is_empty());
}

#[test]
fn a_short_buffer_gets_the_start_and_the_full_length() {
    let mut lines = chain(1);
    let mut st = State::COMPAT;
    let mut buf = [0u8; 10];
    let id = device_id(Target::EndOfChain);
    assert_eq!(read_device_id(&mut lines, &mut st, &mut buf), Ok(id.len()));
    assert_eq!(&buf[..], &id[..10]);
    // The rest was read too: the next read starts from the beginning.
    assert_eq!(id_of(&mut lines), id);
}

#[test]
fn negotiation_sets_the_mode_and_reverse_idle() {
    let mut lines = chain(0);
    for to in [mode::NIBBLE, mode::BYTE, mode::NIBBLE | mode::DEVICEID] {
        let mut st = State::COMPAT;
        assert_eq!(negotiate(&mut lines, &mut st, to), Negotiation::Accepted);
        // As the core: reverse idle for the plain modes only.
        let phase = if to & mode::DEVICEID == 0 {
            phase::REV_IDLE
        } else {
            phase::FWD_IDLE
        };
        assert_eq!(st, State { mode: to, phase });
        assert_eq!(
            negotiate(&mut lines, &mut st, mode::COMPAT),
            Negotiation::Accepted
        );
        assert_eq!(st, State::COMPAT);
    }
}

#[test]
fn negotiating_the_mode_in_force_does_nothing() {
    let mut lines = chain(0);
    let mut st = State {
        mode: mode::NIBBLE,
        phase: phase::HBUSY_DAVAIL,
    };
    assert_eq!(
        negotiate(&mut lines, &mut st, mode::NIBBLE),
        Negotiation::Accepted
    );
    assert_eq!(st.phase, phase::HBUSY_DAVAIL);
}

#[test]
fn modes_the_devices_do_not_speak_are_refused_and_terminated() {
    let mut lines = chain(0);
    for to in [
        mode::ECP,
        mode::EPP,
        mode::ECPRLE,
        mode::EPP | mode::EXT_LINK,
    ] {
        let mut st = State::COMPAT;
        assert_eq!(
            negotiate(&mut lines, &mut st, to),
            Negotiation::Refused,
            "mode {to:#x}"
        );
        assert_eq!(st, State::COMPAT);
        assert_eq!(compat::write(&mut lines, b"x"), (1, None), "mode {to:#x}");
    }
    assert_eq!(lines.received(Target::EndOfChain), b"xxxx");
    let mut st = State::COMPAT;
    assert_eq!(
        negotiate(&mut lines, &mut st, mode::BECP),
        Negotiation::Unsupported
    );
}

#[test]
fn nibble_and_byte_mode_read_the_stream_in_pieces() {
    for to in [mode::NIBBLE, mode::BYTE] {
        let mut lines = chain(2);
        assert_eq!(ieee1284_3::select(&mut lines, 1), Ok(()));
        let mut st = State::COMPAT;
        assert_eq!(negotiate(&mut lines, &mut st, to), Negotiation::Accepted);
        let mut got = vec![];
        for size in [1, 7, 300] {
            let mut buf = vec![0u8; size];
            assert_eq!(read_reverse(&mut lines, &mut st, &mut buf), Some(size));
            assert_eq!(st.phase, phase::HBUSY_DAVAIL, "more to come");
            got.extend_from_slice(&buf);
        }
        let want: Vec<u8> = (0..got.len())
            .map(|n| stream_byte(Target::Device(1), n))
            .collect();
        assert_eq!(got, want, "mode {to:#x}");
    }
}

#[test]
fn a_read_past_the_device_id_stops_at_its_end() {
    let mut lines = chain(0);
    let mut st = State::COMPAT;
    assert_eq!(
        negotiate(&mut lines, &mut st, mode::BYTE | mode::DEVICEID),
        Negotiation::Accepted
    );
    let id = device_id(Target::EndOfChain);
    let mut buf = [0u8; 200];
    let n = id.len() + 2;
    assert_eq!(read_reverse(&mut lines, &mut st, &mut buf), Some(n));
    assert_eq!(usize::from(u16::from_be_bytes([buf[0], buf[1]])), n);
    assert_eq!(&buf[2..n], id);
    assert_eq!(st.phase, phase::REV_IDLE);
    // Nothing more, at once.
    assert_eq!(read_reverse(&mut lines, &mut st, &mut buf), Some(0));
}

#[test]
fn compatibility_mode_has_no_reverse_read() {
    let mut lines = chain(0);
    let mut st = State::COMPAT;
    assert_eq!(read_reverse(&mut lines, &mut st, &mut [0u8; 4]), None);
}

/// A port with nothing IEEE 1284 on it: the status lines never move (as
/// QEMU's port without a peripheral).
struct Silent {
    control: u8,
    step_pauses: u32,
}

impl Lines for Silent {
    fn status(&mut self) -> u8 {
        status::BUSY | status::ACK | status::SELECT | status::ERROR
    }
    fn set_data(&mut self, _byte: u8) {}
    fn set_control(&mut self, control: u8) {
        self.control = control;
    }
    fn control(&mut self) -> u8 {
        self.control
    }
    fn data(&mut self) -> u8 {
        0
    }
    fn data_forward(&mut self) {}
    fn data_reverse(&mut self) {}
    fn delay_us(&mut self, _us: u32) {}
    fn pause(&mut self, _attempt: u32) -> Result<(), Stop> {
        Err(Stop::Timeout)
    }
    fn step_pause(&mut self, attempt: u32) -> Result<(), Stop> {
        self.step_pauses += 1;
        few_step_pauses(attempt)
    }
}

#[test]
fn without_a_peripheral_negotiation_fails_as_not_compliant() {
    let mut lines = Silent {
        control: IDLE_CONTROL,
        step_pauses: 0,
    };
    let mut st = State::COMPAT;
    assert_eq!(
        negotiate(&mut lines, &mut st, mode::NIBBLE),
        Negotiation::NotCompliant
    );
    assert_eq!(st, State::COMPAT);
    assert_eq!(
        lines.step_pauses, 4,
        "waited for event 2 until it timed out"
    );
    assert_eq!(
        lines.control, IDLE_CONTROL,
        "lines back to compatibility idle"
    );
    assert_eq!(
        read_device_id(&mut lines, &mut st, &mut [0u8; 8]),
        Err(IdFailure::Negotiation(Negotiation::NotCompliant))
    );
}

/// The model's own answers, event by event, without the protocol code:
/// what `parport_negotiate()` and the nibble reader of the parport core
/// (which the simulated port also serves) wait for.
#[test]
fn the_model_answers_negotiation_and_nibbles_event_by_event() {
    const EVENT2: u8 = status::ERROR | status::SELECT | status::PAPEROUT;
    let mut lines = chain(0);
    let idle = IDLE_CONTROL;
    lines.set_control(idle);
    // Event 0: the request; event 1: nSelectIn high, nAutoFd low.
    lines.set_data(0x04);
    lines.set_control(control::INIT | control::AUTOFD);
    let s = lines.status();
    assert_eq!(s & (EVENT2 | status::ACK), EVENT2, "event 2");
    // Events 3 and 4; 5 and 6: nAck high, XFlag high, data available.
    lines.set_control(control::INIT | control::AUTOFD | control::STROBE);
    lines.set_control(control::INIT);
    let s = lines.status();
    assert_ne!(s & status::ACK, 0, "event 6");
    assert_ne!(s & status::SELECT, 0, "XFlag for a Device ID request");
    assert_eq!(s & status::ERROR, 0, "nDataAvail low");
    // Events 7 and 9: the low nibble of the first length byte (0).
    lines.set_control(control::INIT | control::AUTOFD);
    let s = lines.status();
    assert_eq!(s & status::ACK, 0, "event 9");
    assert_eq!(
        s & (status::ERROR | status::SELECT | status::PAPEROUT),
        0,
        "nibble 0 on nFault, Select, PError"
    );
    assert_ne!(s & status::BUSY, 0, "nibble bit 3 clear: Busy low");
    // Events 10 and 11.
    lines.set_control(control::INIT);
    assert_ne!(lines.status() & status::ACK, 0, "event 11");
    // Termination: events 22 to 29, then compatibility mode takes bytes.
    lines.set_control(idle);
    assert_eq!(lines.status() & status::ACK, 0, "event 24");
    lines.set_control(idle | control::AUTOFD);
    assert_ne!(lines.status() & status::ACK, 0, "event 27");
    lines.set_control(idle);
    assert_eq!(compat::write(&mut lines, b"c"), (1, None));
    assert_eq!(lines.received(Target::EndOfChain), b"c");
}
