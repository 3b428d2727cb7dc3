// SPDX-License-Identifier: GPL-2.0

//! A software IEEE 1284.3 daisy chain, as the port's lines see it: up to
//! four daisy-chain devices and the end-of-chain device behind them.
//!
//! It answers the CPP sequences the way real devices do (and the way
//! `drivers/parport/daisy.c` expects): the preamble `AA 55 00 FF 87 78`,
//! address assignment, select and deselect, and a multiplexor query it
//! says no to. A byte strobed in compatibility mode goes to the selected
//! device, or to the end-of-chain device when none is selected.
//!
//! The device on the bus (the selected one, or the end-of-chain device)
//! also speaks IEEE 1284: it answers negotiation (events 0-6) to nibble
//! mode and byte mode, with or without the Device ID flag, refuses every
//! other mode (XFlag low), and terminates back to compatibility mode
//! (events 22-29). In a reverse mode it sends, nibble by nibble or byte by
//! byte, its IEEE 1284 Device ID ([`device_id`]: two length bytes, big
//! endian, counting themselves, then the string) and then reports no more
//! data; or, without the Device ID flag, an endless stream ([`stream_byte`]).
//! It answers at once, on the register write that asks: the host's waits
//! for the peripheral (`parport_wait_peripheral()`, parown's own) find the
//! answer on their first poll.
//!
//! Plain Rust without allocation: the parown_sim test module drives it
//! from its port operations, and parown's host tests drive parown's
//! protocol code against it.

/// Status register bits (`PARPORT_STATUS_*`).
const BUSY: u8 = 0x80;
const ACK: u8 = 0x40;
const PAPEROUT: u8 = 0x20;
const SELECT: u8 = 0x10;
const ERROR: u8 = 0x08;
/// Control register bits (`PARPORT_CONTROL_*`).
const STROBE: u8 = 0x01;
const AUTOFD: u8 = 0x02;
const INIT: u8 = 0x04;
const SELECT_IN: u8 = 0x08;

/// IEEE 1284 extensibility request bits the devices accept.
const XREQ_BYTE: u8 = 0x01;
const XREQ_DEVICE_ID: u8 = 0x04;

/// The IEEE 1284 Device ID strings: devices 0-3, then the end-of-chain
/// device.
const DEVICE_IDS: [&[u8]; 5] = [
    b"MFG:parown;MDL:sim-dev-0;CMD:TEST;CLS:PRINTER;",
    b"MFG:parown;MDL:sim-dev-1;CMD:TEST;CLS:PRINTER;",
    b"MFG:parown;MDL:sim-dev-2;CMD:TEST;CLS:PRINTER;",
    b"MFG:parown;MDL:sim-dev-3;CMD:TEST;CLS:PRINTER;",
    b"MFG:parown;MDL:sim-eoc;CMD:TEST;CLS:PRINTER;",
];

/// The Device ID string of `target`, without its length bytes.
pub(crate) fn device_id(target: Target) -> &'static [u8] {
    DEVICE_IDS[target.index()]
}

/// Byte `n` of the endless stream `target` sends in a reverse mode
/// negotiated without the Device ID flag: `n + 0x40 * index`, modulo 256,
/// so that each device's stream is its own.
pub(crate) fn stream_byte(target: Target, n: usize) -> u8 {
    (n as u8).wrapping_add(0x40u8.wrapping_mul(target.index() as u8))
}

/// The status of an idle chain: not busy, on line, no fault.
const IDLE: u8 = BUSY | ACK | SELECT | ERROR;

/// Where a byte went: a daisy-chain device (0-3) or the end-of-chain
/// device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// The daisy-chain device with this address.
    Device(u8),
    /// The device at the end of the chain.
    EndOfChain,
}

impl Target {
    /// 0-3 for the devices, 4 for the end of the chain.
    pub(crate) fn index(self) -> usize {
        match self {
            Target::Device(n) => usize::from(n),
            Target::EndOfChain => 4,
        }
    }
}

/// Where the command parser is in a CPP sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Parse {
    Idle,
    Aa,
    Aa55,
    Aa5500,
    /// After `AA 55 00 FF`: the chain answers.
    Qualified,
    /// After `87`.
    Qualified87,
    /// After `78`: data bytes are commands, a strobe runs the last one.
    Command(Option<u8>),
    /// A multiplexor query, `AA 55 F0 0F 52 AD x`: how far along.
    Mux(u8),
    /// After a multiplexor query: "no multiplexor".
    MuxAnswered,
}

/// A reverse (peripheral to host) transfer mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reverse {
    Nibble,
    Byte,
}

/// Where the device on the bus is in IEEE 1284, as a peripheral.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ieee1284 {
    /// Compatibility mode: strobed bytes are data.
    Compat,
    /// Event 2 answered: negotiating, the extensibility byte on the data
    /// lines.
    Negotiating,
    /// After event 6 with XFlag low for a mode it does not speak: waits
    /// for the host to terminate.
    Refused,
    /// In a reverse mode: `sent` bytes sent so far, `high` whether the low
    /// nibble of the next byte went already. The Device ID or the stream.
    Sending {
        mode: Reverse,
        device_id: bool,
        sent: usize,
        high: bool,
    },
    /// Termination: event 24 answered (nAck low); `acked` after event 27.
    Terminating { acked: bool },
}

/// The chain.
pub(crate) struct Chain {
    /// Daisy-chain devices present, 0-4.
    devices: u8,
    /// Devices that have an address: device `n` has address `n`.
    addressed: u8,
    /// During address assignment, the device waiting for its address.
    cursor: u8,
    selected: Option<u8>,
    /// A device that has stopped answering selects.
    muted: Option<u8>,
    /// The peripherals report busy: no byte is taken.
    busy: bool,
    data: u8,
    control: u8,
    parse: Parse,
    /// The reply to the last command, read while the strobe is high.
    reply: u8,
    /// The IEEE 1284 phase of the device on the bus.
    ieee1284: Ieee1284,
    /// The host turned its data lines around (`data_reverse`).
    reverse: bool,
}

impl Chain {
    /// A chain of `devices` (at most 4) that have no address yet.
    pub(crate) const fn new(devices: u8) -> Self {
        Self {
            devices: if devices > 4 { 4 } else { devices },
            addressed: 0,
            cursor: 0,
            selected: None,
            muted: None,
            busy: false,
            data: 0,
            control: INIT | SELECT_IN,
            parse: Parse::Idle,
            reply: IDLE,
            ieee1284: Ieee1284::Compat,
            reverse: false,
        }
    }

    /// Plugs in a different number of devices (at most 4); they need new
    /// addresses.
    pub(crate) fn set_devices(&mut self, devices: u8) {
        self.devices = devices.min(4);
        self.addressed = 0;
        self.cursor = 0;
        self.selected = None;
    }

    /// Makes device `addr` stop answering selects, or (`None`) all answer.
    pub(crate) fn set_muted(&mut self, addr: Option<u8>) {
        self.muted = addr;
    }

    /// Makes the peripherals report busy (`true`) or ready.
    pub(crate) fn set_busy(&mut self, busy: bool) {
        self.busy = busy;
    }

    /// The selected device, if any.
    #[cfg(test)]
    pub(crate) fn selected(&self) -> Option<u8> {
        self.selected
    }

    /// The host wrote the data register.
    pub(crate) fn write_data(&mut self, byte: u8) {
        self.data = byte;
        self.parse = match (self.parse, byte) {
            (Parse::Command(_), 0xff) => Parse::Idle,
            (Parse::Command(_), cmd) => Parse::Command(Some(cmd)),
            (Parse::Idle, 0xaa) => Parse::Aa,
            (Parse::Aa, 0x55) => Parse::Aa55,
            (Parse::Aa55, 0x00) => Parse::Aa5500,
            (Parse::Aa55, 0xf0) => Parse::Mux(1),
            (Parse::Aa5500, 0xff) if self.devices > 0 => Parse::Qualified,
            (Parse::Qualified, 0x87) => Parse::Qualified87,
            (Parse::Qualified87, 0x78) => {
                self.cursor = 0;
                Parse::Command(None)
            }
            (Parse::Mux(1), 0x0f) => Parse::Mux(2),
            (Parse::Mux(2), 0x52) => Parse::Mux(3),
            (Parse::Mux(3), 0xad) => Parse::Mux(4),
            (Parse::Mux(4), _) => Parse::MuxAnswered,
            (_, 0xaa) => Parse::Aa,
            _ => Parse::Idle,
        };
    }

    /// The data register as the host reads it: in byte mode, with the
    /// host's lines turned around, the byte the device presents; else the
    /// host's own.
    pub(crate) fn read_data(&self) -> u8 {
        match self.presenting() {
            Some((Reverse::Byte, byte)) if self.reverse => byte,
            _ => self.data,
        }
    }

    /// The host turned its data lines to input (`true`) or output.
    pub(crate) fn set_reverse(&mut self, reverse: bool) {
        self.reverse = reverse;
    }

    /// The device on the bus.
    fn target(&self) -> Target {
        self.selected.map_or(Target::EndOfChain, Target::Device)
    }

    /// Byte `n` of what the device sends in a reverse mode, if it has one.
    fn byte_to_send(&self, id_mode: bool, n: usize) -> Option<u8> {
        let target = self.target();
        if !id_mode {
            return Some(stream_byte(target, n));
        }
        let id = device_id(target);
        let len = id.len() + 2;
        match n {
            0 => Some((len >> 8) as u8),
            1 => Some(len as u8),
            _ => id.get(n - 2).copied(),
        }
    }

    /// In a reverse mode with the host ready (nAutoFd low) and data to
    /// send: the mode and the byte the device presents.
    fn presenting(&self) -> Option<(Reverse, u8)> {
        match self.ieee1284 {
            Ieee1284::Sending {
                mode,
                device_id,
                sent,
                ..
            } if self.control & AUTOFD != 0 => {
                self.byte_to_send(device_id, sent).map(|b| (mode, b))
            }
            _ => None,
        }
    }

    /// The host changed the control lines from `old`: the IEEE 1284
    /// peripheral's side of negotiation, reverse transfers and
    /// termination.
    fn ieee1284_control(&mut self, old: u8) {
        let control = self.control;
        let fell = |bit: u8| old & bit != 0 && control & bit == 0;
        self.ieee1284 = match self.ieee1284 {
            // Event 1: nSelectIn high and nAutoFd low together.
            Ieee1284::Compat
                if fell(SELECT_IN) && control & AUTOFD != 0 && control & STROBE == 0 =>
            {
                Ieee1284::Negotiating
            }
            // nSelectIn low before event 4: the host gave up (as the core
            // does when event 2 does not come).
            Ieee1284::Negotiating if control & SELECT_IN != 0 => Ieee1284::Compat,
            // Events 4-6: the host released nStrobe and nAutoFd after the
            // strobe that latched the request.
            Ieee1284::Negotiating if control & (STROBE | AUTOFD) == 0 => {
                let request = self.data;
                let mode = if request & !XREQ_DEVICE_ID == XREQ_BYTE {
                    Some(Reverse::Byte)
                } else if request & !XREQ_DEVICE_ID == 0 {
                    Some(Reverse::Nibble)
                } else {
                    None
                };
                match mode {
                    Some(mode) => Ieee1284::Sending {
                        mode,
                        device_id: request & XREQ_DEVICE_ID != 0,
                        sent: 0,
                        high: false,
                    },
                    None => Ieee1284::Refused,
                }
            }
            // Event 22: nSelectIn low ends the mode.
            Ieee1284::Refused | Ieee1284::Sending { .. } if control & SELECT_IN != 0 => {
                Ieee1284::Terminating { acked: false }
            }
            // Event 10: the host took the nibble or byte presented.
            Ieee1284::Sending {
                mode,
                device_id,
                sent,
                high,
            } if fell(AUTOFD) && self.byte_to_send(device_id, sent).is_some() => {
                let (sent, high) = match (mode, high) {
                    (Reverse::Nibble, false) => (sent, true),
                    _ => (sent + 1, false),
                };
                Ieee1284::Sending {
                    mode,
                    device_id,
                    sent,
                    high,
                }
            }
            // Event 25, then event 29.
            Ieee1284::Terminating { acked: false } if control & AUTOFD != 0 => {
                Ieee1284::Terminating { acked: true }
            }
            Ieee1284::Terminating { acked: true } if control & AUTOFD == 0 => Ieee1284::Compat,
            same => same,
        };
    }

    /// The status lines of the device in IEEE 1284 mode, or `None` in
    /// compatibility mode.
    fn ieee1284_status(&self) -> Option<u8> {
        const NIBBLE_LINES: [u8; 4] = [ERROR, SELECT, PAPEROUT, BUSY];
        let status = match self.ieee1284 {
            Ieee1284::Compat => return None,
            // Event 2: PError, Select, nFault high, nAck low.
            Ieee1284::Negotiating => BUSY | PAPEROUT | SELECT | ERROR,
            // Event 6, XFlag (Select) low: refused.
            Ieee1284::Refused => BUSY | ACK | PAPEROUT | ERROR,
            Ieee1284::Sending {
                mode,
                device_id,
                sent,
                high,
            } => {
                // XFlag high for every mode but plain nibble mode.
                let xflag = if mode == Reverse::Byte || device_id {
                    SELECT
                } else {
                    0
                };
                match (self.presenting(), mode) {
                    // Event 9: a nibble on the status lines, nAck low
                    // (nBusy inverted by the port, as the core reads it).
                    (Some((_, byte)), Reverse::Nibble) => {
                        let nibble = if high { byte >> 4 } else { byte & 0x0f };
                        NIBBLE_LINES
                            .iter()
                            .enumerate()
                            .filter(|(bit, _)| nibble & (1 << bit) != 0)
                            .fold(BUSY, |s, (_, line)| s ^ line)
                    }
                    // Event 9: the byte on the data lines, nAck low.
                    (Some(_), Reverse::Byte) => BUSY | PAPEROUT | xflag,
                    // Reverse idle: nDataAvail (nFault) low while there
                    // is data.
                    (None, _) => {
                        let avail = self.byte_to_send(device_id, sent).is_some();
                        BUSY | ACK | PAPEROUT | xflag | if avail { 0 } else { ERROR }
                    }
                }
            }
            // Event 24, then event 27.
            Ieee1284::Terminating { acked } => {
                PAPEROUT | SELECT | ERROR | if acked { ACK } else { 0 }
            }
        };
        Some(status)
    }

    /// The host wrote the control register. Returns the byte delivered,
    /// and where, if this was a data strobe.
    pub(crate) fn write_control(&mut self, control: u8) -> Option<(Target, u8)> {
        let rising = control & STROBE != 0 && self.control & STROBE == 0;
        let old = self.control;
        self.control = control;
        if control & INIT == 0 {
            // nInit low resets the interface, not the addresses.
            self.parse = Parse::Idle;
            self.ieee1284 = Ieee1284::Compat;
            return None;
        }
        self.ieee1284_control(old);
        if !rising || self.ieee1284 != Ieee1284::Compat {
            return None;
        }
        if let Parse::Command(cmd) = self.parse {
            self.run(cmd);
            return None;
        }
        if control & SELECT_IN == 0 {
            return None;
        }
        Some((self.target(), self.data))
    }

    /// The control register as the host reads it back.
    pub(crate) fn read_control(&self) -> u8 {
        self.control
    }

    /// The status register.
    pub(crate) fn read_status(&self) -> u8 {
        if let Some(status) = self.ieee1284_status() {
            return status;
        }
        match self.parse {
            Parse::Command(_) if self.control & STROBE != 0 => self.reply,
            Parse::Command(_) if self.cursor < self.devices => {
                // Waiting for an address; BUSY clear means "I am the last".
                let last = self.cursor + 1 == self.devices;
                ACK | PAPEROUT | SELECT | ERROR | if last { 0 } else { BUSY }
            }
            Parse::Command(_) => ACK | ERROR,
            Parse::Qualified => BUSY | ACK | PAPEROUT | SELECT | ERROR,
            Parse::Qualified87 => ACK | SELECT | ERROR,
            Parse::MuxAnswered => SELECT | ERROR,
            _ if self.busy => IDLE & !BUSY,
            _ => IDLE,
        }
    }

    fn run(&mut self, cmd: Option<u8>) {
        let Some(cmd) = cmd else {
            return;
        };
        self.reply = ACK;
        match cmd {
            // Assign an address to the device waiting for one.
            0x00..=0x03 if self.cursor < self.devices => {
                self.cursor += 1;
                self.addressed = self.cursor;
            }
            0x30 => self.selected = None,
            // Select for compatibility, EPP or ECP mode.
            0xe0..=0xe3 | 0x20..=0x23 | 0xd0..=0xd3 => {
                let addr = cmd & 0x03;
                if addr < self.addressed && self.muted != Some(addr) {
                    self.selected = Some(addr);
                    self.reply = IDLE;
                }
            }
            _ => {}
        }
    }
}
