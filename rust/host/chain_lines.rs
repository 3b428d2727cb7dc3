// SPDX-License-Identifier: GPL-2.0

//! The lines of a port with the model chain of `selftests/sim/chain.rs` on
//! it, the one the simulated port of the VM tests uses: what the protocol
//! tests drive.

use crate::{
    chain::{
        Chain,
        Target, //
    },
    lines::{
        Lines,
        Stop, //
    },
};

/// A port with a model chain on it; records every delivered byte. The
/// chain answers at once, so a wait for it is a failure.
pub(crate) struct ChainLines {
    pub(crate) chain: Chain,
    pub(crate) delivered: Vec<(Target, u8)>,
    /// Waits for a handshake step so far; they all time out.
    pub(crate) step_pauses: u32,
}

impl ChainLines {
    /// A port with a chain of `devices` that have no address yet.
    pub(crate) fn new(devices: u8) -> Self {
        Self {
            chain: Chain::new(devices),
            delivered: vec![],
            step_pauses: 0,
        }
    }

    /// Every byte `target` received, in order.
    pub(crate) fn received(&self, target: Target) -> Vec<u8> {
        self.delivered
            .iter()
            .filter(|(t, _)| *t == target)
            .map(|(_, b)| *b)
            .collect()
    }
}

impl Lines for ChainLines {
    fn status(&mut self) -> u8 {
        self.chain.read_status()
    }

    fn set_data(&mut self, byte: u8) {
        self.chain.write_data(byte);
    }

    fn set_control(&mut self, control: u8) {
        if let Some(delivery) = self.chain.write_control(control) {
            self.delivered.push(delivery);
        }
    }

    fn control(&mut self) -> u8 {
        self.chain.read_control()
    }

    fn data(&mut self) -> u8 {
        self.chain.read_data()
    }

    fn data_forward(&mut self) {
        self.chain.set_reverse(false);
    }

    fn data_reverse(&mut self) {
        self.chain.set_reverse(true);
    }

    fn delay_us(&mut self, _us: u32) {}

    fn pause(&mut self, _attempt: u32) -> Result<(), Stop> {
        Err(Stop::Timeout)
    }

    fn step_pause(&mut self, _attempt: u32) -> Result<(), Stop> {
        self.step_pauses += 1;
        Err(Stop::Timeout)
    }
}

/// A model peripheral's `step_pause`: a few waits, then the step times
/// out, as `parport_wait_peripheral()` would for a peripheral that stays
/// silent.
pub(crate) fn few_step_pauses(attempt: u32) -> Result<(), Stop> {
    if attempt < 3 {
        Ok(())
    } else {
        Err(Stop::Timeout)
    }
}
