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
const INIT: u8 = 0x04;
const SELECT_IN: u8 = 0x08;

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

    /// The data register as the host reads it back.
    pub(crate) fn read_data(&self) -> u8 {
        self.data
    }

    /// The host wrote the control register. Returns the byte delivered,
    /// and where, if this was a data strobe.
    pub(crate) fn write_control(&mut self, control: u8) -> Option<(Target, u8)> {
        let rising = control & STROBE != 0 && self.control & STROBE == 0;
        self.control = control;
        if control & INIT == 0 {
            // nInit low resets the interface, not the addresses.
            self.parse = Parse::Idle;
            return None;
        }
        if !rising {
            return None;
        }
        if let Parse::Command(cmd) = self.parse {
            self.run(cmd);
            return None;
        }
        if control & SELECT_IN == 0 {
            return None;
        }
        let target = self.selected.map_or(Target::EndOfChain, Target::Device);
        Some((target, self.data))
    }

    /// The control register as the host reads it back.
    pub(crate) fn read_control(&self) -> u8 {
        self.control
    }

    /// The status register.
    pub(crate) fn read_status(&self) -> u8 {
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
