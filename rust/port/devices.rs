// SPDX-License-Identifier: GPL-2.0

//! A port's device requests: the owner's lock on an IEEE 1284.3 daisy-chain
//! device or the end-of-chain device, its select and deselect on the bus,
//! and the chain's enumeration.
//!
//! What a request may name and what the owner holds is
//! [`crate::selection`]'s; the bus cycles are [`crate::ieee1284_3`]'s.

use super::{
    held_lines::HeldLines,
    ClientRef,
    Port,
    PortState, //
};
use crate::{
    ieee1284_3,
    live_state::{
        Asked,
        Target, //
    },
    request::{
        DeviceRequest,
        Timeout, //
    },
    selection::{
        Device,
        END_OF_CHAIN_DEVICE,
        HAVE_PORT_KEEP_PORT, //
    },
};
use kernel::prelude::*;

impl Port {
    /// Counts the daisy chain's devices, if parown can hold the port now
    /// (it usually can, just after the port appeared); otherwise the count
    /// waits for an INIT_1284_3_BUS.
    pub(super) fn enumerate_if_free(&self, st: &mut PortState) {
        if let Some(pardev) = &st.pardev {
            if st.own.is_free() && self.hw.acquire(pardev.device()) {
                let mut lines = HeldLines::new(pardev.device(), &self.removing);
                let devices = ieee1284_3::enumerate(&mut lines);
                st.sel.enumerated(devices);
            }
        }
        self.pump(st);
    }

    /// The device a request names, as `allowed` flags permit.
    pub(super) fn device(st: &PortState, req: &DeviceRequest, allowed: u32) -> Result<Device> {
        Ok(st.sel.device(req.device, req.flags, allowed)?)
    }

    /// Puts `device` on the bus: selects it, or, for the end of the chain,
    /// deselects every daisy device. `EIO` if the chain does not answer.
    pub(super) fn select_on_bus(&self, st: &PortState, device: Device) -> Result {
        if st.sel.select_needs_cycle(device) {
            let mut lines = self.lines(st)?;
            match device {
                Device::Daisy(addr) => ieee1284_3::select(&mut lines, addr)?,
                Device::EndOfChain => ieee1284_3::deselect_all(&mut lines)?,
            }
        }
        self.traced_select(st, device);
        Ok(())
    }

    /// Deselects every daisy device. `EIO` if the chain does not answer.
    pub(super) fn deselect_on_bus(&self, st: &PortState) -> Result {
        if st.sel.deselect_needs_cycle() {
            ieee1284_3::deselect_all(&mut self.lines(st)?)?;
        }
        self.traced_deselect(st);
        Ok(())
    }

    /// ALLOCATE, then put the device on the bus (if `select`); a failed
    /// select gives the port back. LOCK_PORT, LOCK_PORT_NO_SELECT and
    /// SELECT_DEVICE without HAVE_PORT.
    fn allocate_and_select(
        &self,
        me: &ClientRef,
        req: &DeviceRequest,
        allowed: u32,
        select: bool,
        asked: fn(Target) -> Asked,
    ) -> Result {
        // Refuse a bad device before waiting, and check again after: the
        // chain may have been enumerated again meanwhile.
        let device = {
            let st = self.lock_state();
            if st.own.is_gone() {
                return Err(ENODEV);
            }
            Self::device(&st, req, allowed)?
        };
        let mut st = self.allocate_locked(me, req.timeout, asked(target(device)))?;
        let done = Self::device(&st, req, allowed).and_then(|device| {
            if select {
                self.select_on_bus(&st, device)?;
            }
            Ok(device)
        });
        match done {
            Ok(device) => {
                st.sel.locked(device, select);
                Ok(())
            }
            Err(e) => {
                self.give_back(&mut st, me);
                Err(e)
            }
        }
    }

    /// LOCK_PORT (`select`) or LOCK_PORT_NO_SELECT.
    pub(crate) fn lock(&self, me: &ClientRef, req: &DeviceRequest, select: bool) -> Result {
        self.allocate_and_select(me, req, END_OF_CHAIN_DEVICE, select, Asked::Lock)
    }

    /// UNLOCK_PORT (`deselect`) or UNLOCK_PORT_NO_DESELECT: only for the
    /// device the owner locked.
    pub(crate) fn unlock(&self, me: &ClientRef, req: &DeviceRequest, deselect: bool) -> Result {
        let mut st = self.lock_state();
        self.wait_owner_idle(&mut st, me)?;
        let device = Self::device(&st, req, END_OF_CHAIN_DEVICE)?;
        st.sel.unlock_check(device).ok_or(EPERM)?;
        if deselect {
            self.deselect_on_bus(&st)?;
        }
        self.give_back(&mut st, me);
        Ok(())
    }

    /// SELECT_DEVICE: with HAVE_PORT the owner selects; without, the port
    /// is allocated first, and given back if the select fails.
    pub(crate) fn select(&self, me: &ClientRef, req: &DeviceRequest) -> Result {
        const ALLOWED: u32 = END_OF_CHAIN_DEVICE | HAVE_PORT_KEEP_PORT;
        if req.flags & HAVE_PORT_KEEP_PORT == 0 {
            return self.allocate_and_select(me, req, ALLOWED, true, Asked::Select);
        }
        let mut st = self.lock_state();
        self.wait_owner_idle(&mut st, me)?;
        let device = Self::device(&st, req, ALLOWED)?;
        self.select_on_bus(&st, device)?;
        st.sel.locked(device, true);
        Ok(())
    }

    /// DESELECT_DEVICE: the owner deselects, and frees the port unless
    /// KEEP_PORT.
    pub(crate) fn deselect(&self, me: &ClientRef, req: &DeviceRequest) -> Result {
        let mut st = self.lock_state();
        self.wait_owner_idle(&mut st, me)?;
        Self::device(&st, req, END_OF_CHAIN_DEVICE | HAVE_PORT_KEEP_PORT)?;
        self.deselect_on_bus(&st)?;
        st.sel.unlocked();
        if req.flags & HAVE_PORT_KEEP_PORT == 0 {
            self.give_back(&mut st, me);
        }
        Ok(())
    }

    /// INIT_1284_3_BUS: enumerates the chain again and returns the number
    /// of devices. The owner does it at once (after its write in progress);
    /// anyone else waits for the port (ALLOCATE without a timeout) and
    /// gives it back afterwards.
    pub(crate) fn init_bus(&self, me: &ClientRef) -> Result<u32> {
        {
            let mut st = self.lock_state();
            if st.own.is_owner(me) {
                match self.wait_owner_idle(&mut st, me) {
                    Ok(()) => return self.enumerate(&mut st),
                    // Freed by another thread meanwhile: wait like anyone.
                    Err(e) if e == EPERM => {}
                    Err(e) => return Err(e),
                }
            }
        }
        let mut st = self.allocate_locked(me, Timeout::Never, Asked::InitBus)?;
        let devices = self.enumerate(&mut st);
        self.give_back(&mut st, me);
        devices
    }

    fn enumerate(&self, st: &mut PortState) -> Result<u32> {
        let devices = ieee1284_3::enumerate(&mut self.lines(st)?);
        st.sel.enumerated(devices);
        Ok(u32::from(devices))
    }
}

/// A device of the chain as the live state names it.
pub(super) fn target(device: Device) -> Target {
    match device {
        Device::Daisy(addr) => Target::Daisy(u32::from(addr)),
        Device::EndOfChain => Target::EndOfChain,
    }
}
