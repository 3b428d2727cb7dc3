// SPDX-License-Identifier: GPL-2.0

//! The compatibility-mode writer against a model printer.

use super::*;

/// A printer on the lines: it latches the data lines on the rising edge of
/// STROBE (while selected and not in reset), then stays busy for
/// `busy_polls` status reads.
#[derive(Default)]
struct Printer {
    data: u8,
    control: u8,
    forward: bool,
    received: Vec<u8>,
    busy_polls: u32,
    busy_left: u32,
    paper_out: bool,
    /// `pause` fails with this after this many waits for one byte.
    give_up: Option<(u32, Stop)>,
    pauses: u32,
}

impl Lines for Printer {
    fn status(&mut self) -> u8 {
        let mut s = status::SELECT | status::ERROR;
        if self.paper_out {
            s |= status::PAPEROUT;
            s &= !status::ERROR;
        } else if self.busy_left > 0 {
            self.busy_left -= 1;
        } else {
            s |= status::BUSY;
        }
        s
    }

    fn set_data(&mut self, byte: u8) {
        self.data = byte;
    }

    fn set_control(&mut self, control: u8) {
        let rising = control & control::STROBE != 0 && self.control & control::STROBE == 0;
        let selected = control & IDLE_CONTROL == IDLE_CONTROL;
        if rising && selected {
            assert!(self.forward, "strobed before the data lines were output");
            self.received.push(self.data);
            self.busy_left = self.busy_polls;
        }
        self.control = control;
    }

    fn control(&mut self) -> u8 {
        self.control
    }

    fn data(&mut self) -> u8 {
        self.data
    }

    fn data_forward(&mut self) {
        self.forward = true;
    }

    fn data_reverse(&mut self) {
        self.forward = false;
    }

    fn delay_us(&mut self, _us: u32) {}

    fn pause(&mut self, attempt: u32) -> Result<(), Stop> {
        self.pauses += 1;
        match self.give_up {
            Some((after, stop)) if attempt >= after => Err(stop),
            _ => Ok(()),
        }
    }

    fn step_pause(&mut self, _attempt: u32) -> Result<(), Stop> {
        Err(Stop::Timeout)
    }
}

#[test]
fn a_ready_printer_gets_every_byte_in_order() {
    let mut p = Printer::default();
    let data: Vec<u8> = (0..=255).collect();
    assert_eq!(write(&mut p, &data), (256, None));
    assert_eq!(p.received, data);
    assert_eq!(p.pauses, 0);
    assert_eq!(p.control, IDLE_CONTROL, "strobe released at the end");
}

#[test]
fn a_busy_printer_is_waited_for() {
    let mut p = Printer {
        busy_polls: 3,
        ..Default::default()
    };
    assert_eq!(write(&mut p, b"slow"), (4, None));
    assert_eq!(p.received, b"slow");
    assert_eq!(
        p.pauses,
        3 * 3,
        "three busy polls after each of the first three bytes"
    );
}

#[test]
fn paper_out_stops_the_write() {
    let mut p = Printer {
        paper_out: true,
        ..Default::default()
    };
    assert_eq!(write(&mut p, b"x"), (0, Some(Short::Fault)));
    assert!(p.received.is_empty());
}

#[test]
fn a_stuck_printer_times_out_after_what_it_took() {
    let mut p = Printer {
        busy_polls: u32::MAX,
        give_up: Some((5, Stop::Timeout)),
        ..Default::default()
    };
    assert_eq!(
        write(&mut p, b"ab"),
        (1, Some(Short::Waiting(Stop::Timeout)))
    );
    assert_eq!(p.received, b"a");
}

#[test]
fn a_signal_stops_the_wait() {
    let mut p = Printer {
        busy_polls: 10,
        give_up: Some((2, Stop::Signal)),
        ..Default::default()
    };
    assert_eq!(
        write(&mut p, b"ab"),
        (1, Some(Short::Waiting(Stop::Signal)))
    );
}
