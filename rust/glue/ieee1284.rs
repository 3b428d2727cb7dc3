// SPDX-License-Identifier: GPL-2.0

//! The port access IEEE 1284 transfers need beyond the compatibility
//! writer's: reading the control and data registers back, turning the data
//! lines around, and the port's IEEE 1284 mode and phase (the core's
//! `port->ieee1284`, which ppdev and `parport_read()` read too).
//!
//! C header: [`include/linux/parport.h`](srctree/include/linux/parport.h).

use super::{
    ffi::parown_glue_pardev,
    pardevice::Pardevice, //
};
use kernel::ffi::c_int;

unsafe extern "C" {
    fn parown_glue_read_control(pd: *mut parown_glue_pardev) -> u8;
    fn parown_glue_read_data(pd: *mut parown_glue_pardev) -> u8;
    fn parown_glue_data_reverse(pd: *mut parown_glue_pardev);
    fn parown_glue_get_ieee1284(pd: *mut parown_glue_pardev, mode: *mut c_int, phase: *mut c_int);
    fn parown_glue_set_ieee1284(pd: *mut parown_glue_pardev, mode: c_int, phase: c_int);
}

impl Pardevice {
    /// Reads the control register back. The caller must hold the port.
    pub(crate) fn read_control(&self) -> u8 {
        // SAFETY: By the type invariant the pardevice is registered.
        unsafe { parown_glue_read_control(self.as_raw()) }
    }

    /// Reads the data lines. The caller must hold the port.
    pub(crate) fn read_data(&self) -> u8 {
        // SAFETY: By the type invariant the pardevice is registered.
        unsafe { parown_glue_read_data(self.as_raw()) }
    }

    /// Turns the data lines to input. The caller must hold the port.
    pub(crate) fn data_reverse(&self) {
        // SAFETY: By the type invariant the pardevice is registered.
        unsafe { parown_glue_data_reverse(self.as_raw()) };
    }

    /// The port's IEEE 1284 mode (`IEEE1284_MODE_*`) and phase
    /// (`IEEE1284_PH_*`). The caller must hold the port: its holder alone
    /// changes them.
    pub(crate) fn ieee1284(&self) -> (i32, i32) {
        let mut mode: c_int = 0;
        let mut phase: c_int = 0;
        // SAFETY: By the type invariant the pardevice is registered; both
        // pointers are to locals, valid for writes.
        unsafe { parown_glue_get_ieee1284(self.as_raw(), &mut mode, &mut phase) };
        (mode, phase)
    }

    /// Sets the port's IEEE 1284 mode and phase. The caller must hold the
    /// port.
    pub(crate) fn set_ieee1284(&self, mode: i32, phase: i32) {
        // SAFETY: By the type invariant the pardevice is registered.
        unsafe { parown_glue_set_ieee1284(self.as_raw(), mode, phase) };
    }
}
