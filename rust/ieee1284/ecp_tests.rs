// SPDX-License-Identifier: GPL-2.0

//! ECP's reverse channel against a model ECP peripheral.

use super::*;
use crate::{
    chain_lines::few_step_pauses,
    ieee1284::read_reverse,
    lines::{
        Stop,
        IDLE_CONTROL, //
    },
};
use std::collections::VecDeque;

/// An ECP peripheral in ECP mode, with bytes to send: `(byte, command)`.
struct EcpPeripheral {
    control: u8,
    reverse: bool,
    /// The peripheral turns the bus around when asked (event 40).
    turns_around: bool,
    queue: VecDeque<(u8, bool)>,
    /// The front of the queue is on the lines, nAck low.
    presenting: bool,
    /// Bytes the host took (acknowledged), in order.
    taken: usize,
}

impl EcpPeripheral {
    fn new(queue: &[(u8, bool)]) -> Self {
        Self {
            control: IDLE_CONTROL,
            reverse: false,
            turns_around: true,
            queue: queue.iter().copied().collect(),
            presenting: false,
            taken: 0,
        }
    }

    fn data(bytes: &[u8]) -> Self {
        Self::new(&bytes.iter().map(|&b| (b, false)).collect::<Vec<_>>())
    }

    /// The peripheral's side of the handshake, run when the host looks.
    fn step(&mut self) {
        let reversed = self.reverse && self.turns_around && self.control & control::INIT == 0;
        let host_ready = self.control & control::AUTOFD != 0;
        if self.presenting && !host_ready {
            // Event 45 after the host's event 44: the byte is taken.
            self.queue.pop_front();
            self.presenting = false;
            self.taken += 1;
        } else if !self.presenting && reversed && host_ready && !self.queue.is_empty() {
            // Event 43.
            self.presenting = true;
        }
    }
}

impl Lines for EcpPeripheral {
    fn status(&mut self) -> u8 {
        self.step();
        let reversed = self.reverse && self.turns_around && self.control & control::INIT == 0;
        let mut s = status::SELECT | status::ERROR;
        if !reversed {
            s |= status::PAPEROUT;
        }
        if !self.presenting {
            s |= status::ACK;
        } else if self.queue.front().is_some_and(|&(_, command)| command) {
            s |= status::BUSY;
        }
        s
    }
    fn set_data(&mut self, _byte: u8) {}
    fn set_control(&mut self, control: u8) {
        self.control = control;
    }
    fn control(&mut self) -> u8 {
        self.control
    }
    fn data(&mut self) -> u8 {
        match self.queue.front() {
            Some(&(byte, _)) if self.presenting => byte,
            _ => 0xff,
        }
    }
    fn data_forward(&mut self) {
        self.reverse = false;
    }
    fn data_reverse(&mut self) {
        self.reverse = true;
    }
    fn delay_us(&mut self, _us: u32) {}
    fn pause(&mut self, attempt: u32) -> Result<(), Stop> {
        self.step_pause(attempt)
    }
    fn step_pause(&mut self, attempt: u32) -> Result<(), Stop> {
        few_step_pauses(attempt)
    }
}

fn ecp() -> State {
    State {
        mode: mode::ECP,
        phase: phase::FWD_IDLE,
    }
}

#[test]
fn data_bytes_come_in_order_after_the_bus_turns_around() {
    let mut p = EcpPeripheral::data(b"hello");
    let mut st = ecp();
    let mut buf = [0u8; 3];
    assert_eq!(read_ecp(&mut p, &mut st, &mut buf), 3);
    assert_eq!(&buf, b"hel");
    assert_eq!(st.phase, phase::REV_IDLE);
    assert!(p.reverse, "data lines turned to input");
    let mut buf = [0u8; 8];
    assert_eq!(read_ecp(&mut p, &mut st, &mut buf), 2);
    assert_eq!(&buf[..2], b"lo");
    assert_eq!(p.taken, 5);
    // Nothing more: nothing read, still reverse idle, ready for more.
    assert_eq!(read_ecp(&mut p, &mut st, &mut buf), 0);
    assert_eq!(st.phase, phase::REV_IDLE);
    assert_ne!(p.control & control::AUTOFD, 0, "HostAck low");
}

#[test]
fn a_run_length_count_repeats_the_next_byte() {
    let mut p = EcpPeripheral::new(&[(b'a', false), (4, true), (b'x', false), (b'b', false)]);
    let mut st = State {
        mode: mode::ECPRLE,
        ..ecp()
    };
    let mut buf = [0u8; 16];
    assert_eq!(read_ecp(&mut p, &mut st, &mut buf), 7);
    assert_eq!(&buf[..7], b"axxxxxb");
}

#[test]
fn a_run_longer_than_the_buffer_is_left_for_the_next_read() {
    let mut p = EcpPeripheral::new(&[(b'a', false), (4, true), (b'x', false)]);
    let mut st = ecp();
    let mut buf = [0u8; 3];
    assert_eq!(read_ecp(&mut p, &mut st, &mut buf), 1);
    assert_eq!(p.taken, 1, "the run's count stays unread");
    let mut buf = [0u8; 5];
    assert_eq!(read_ecp(&mut p, &mut st, &mut buf), 5);
    assert_eq!(&buf, b"xxxxx");
}

#[test]
fn a_channel_address_ends_the_read_unread() {
    let mut p = EcpPeripheral::new(&[(b'a', false), (0x81, true), (b'b', false)]);
    let mut st = ecp();
    let mut buf = [0u8; 8];
    assert_eq!(read_ecp(&mut p, &mut st, &mut buf), 1);
    assert_eq!(buf[0], b'a');
    assert_eq!(p.taken, 1);
    assert_eq!(st.phase, phase::REV_IDLE);
}

#[test]
fn a_peripheral_that_does_not_turn_around_gives_nothing() {
    let mut p = EcpPeripheral::data(b"a");
    p.turns_around = false;
    let mut st = ecp();
    let mut buf = [0u8; 4];
    assert_eq!(read_ecp(&mut p, &mut st, &mut buf), 0);
    assert_eq!(st.phase, phase::ECP_DIR_UNKNOWN);
    assert_eq!(p.taken, 0);
}

#[test]
fn read_reverse_reads_ecp_modes_only_among_the_others() {
    let mut p = EcpPeripheral::data(b"z");
    let mut st = State {
        mode: mode::ECP | mode::ADDR,
        ..ecp()
    };
    let mut buf = [0u8; 1];
    assert_eq!(read_reverse(&mut p, &mut st, &mut buf), Some(1));
    assert_eq!(&buf, b"z");
    for m in [mode::EPP, mode::ECPSWE, mode::COMPAT] {
        let mut st = State { mode: m, ..ecp() };
        assert_eq!(read_reverse(&mut p, &mut st, &mut buf), None);
    }
}
