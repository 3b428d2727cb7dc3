// SPDX-License-Identifier: GPL-2.0

//! A parallel port's lines, as the protocol code drives them: the
//! registers' bits and the trait the protocols are written against.
//!
//! Protocol-neutral: IEEE 1284 compatibility mode ([`crate::compat`]),
//! negotiation and the reverse modes ([`crate::ieee1284`]) and the IEEE
//! 1284.3 daisy-chain protocol ([`crate::ieee1284_3`]) drive a port
//! through [`Lines`]. The kernel implements it over the port parown
//! holds; the host tests over model peripherals.
//!
//! C header: [`include/uapi/linux/parport.h`](srctree/include/uapi/linux/parport.h).

/// Status register bits (`PARPORT_STATUS_*`).
pub(crate) mod status {
    /// Set when the peripheral is *not* busy.
    pub(crate) const BUSY: u8 = 0x80;
    /// Set when nAck is high (not acknowledging).
    pub(crate) const ACK: u8 = 0x40;
    /// Set when the peripheral is out of paper.
    pub(crate) const PAPEROUT: u8 = 0x20;
    /// Set when the peripheral is on line.
    pub(crate) const SELECT: u8 = 0x10;
    /// Set when there is *no* error (nFault high).
    pub(crate) const ERROR: u8 = 0x08;
}

/// Control register bits (`PARPORT_CONTROL_*`).
pub(crate) mod control {
    /// Data strobe.
    pub(crate) const STROBE: u8 = 0x01;
    /// nAutoFd asserted (low): HostBusy low, HostAck, in IEEE 1284 modes.
    pub(crate) const AUTOFD: u8 = 0x02;
    /// nInit held high (not resetting the peripheral).
    pub(crate) const INIT: u8 = 0x04;
    /// nSelectIn asserted.
    pub(crate) const SELECT: u8 = 0x08;
}

/// What a port's hardware can do (`PARPORT_MODE_*`, `port->modes`).
pub(crate) mod port_mode {
    /// The port can turn its data lines around (bidirectional).
    pub(crate) const TRISTATE: u32 = 1 << 1;
    /// The port has EPP hardware.
    pub(crate) const EPP: u32 = 1 << 2;
    /// The port has ECP registers (at `base_hi`) and hardware.
    pub(crate) const ECP: u32 = 1 << 3;
}

/// The control lines between bytes: selected, not in reset, no strobe.
pub(crate) const IDLE_CONTROL: u8 = control::SELECT | control::INIT;

/// Why a wait for the peripheral ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    /// A signal is pending for the writer.
    Signal,
    /// The peripheral stayed busy for too long.
    Timeout,
    /// The port is going away.
    Cancelled,
    /// The peripheral is busy and the writer does not wait for it
    /// (`O_NONBLOCK`).
    WouldBlock,
}

/// A port's lines, as a protocol drives them. The caller holds the port.
pub(crate) trait Lines {
    /// Reads the status register.
    fn status(&mut self) -> u8;
    /// Sets the data lines.
    fn set_data(&mut self, byte: u8);
    /// Sets the control register.
    fn set_control(&mut self, control: u8);
    /// Reads the control register back.
    fn control(&mut self) -> u8;
    /// Reads the data lines: the host's own byte, or the peripheral's
    /// after [`Lines::data_reverse`].
    fn data(&mut self) -> u8;
    /// Turns the data lines to output.
    fn data_forward(&mut self);
    /// Turns the data lines to input (byte mode), on ports that can.
    fn data_reverse(&mut self);
    /// Busy-waits `us` microseconds, for the handshake's timing.
    fn delay_us(&mut self, us: u32);
    /// The peripheral is busy: wait a little before polling again.
    /// `attempt` counts the waits for this byte from 0.
    fn pause(&mut self, attempt: u32) -> Result<(), Stop>;
    /// The peripheral has not yet answered a step of an IEEE 1284
    /// handshake: wait a little before polling again. `attempt` counts
    /// the waits for this step from 0. [`Stop::Timeout`] once the step
    /// took longer than the parport core's `parport_wait_peripheral()`
    /// allows (about 40 ms).
    fn step_pause(&mut self, attempt: u32) -> Result<(), Stop>;
}
