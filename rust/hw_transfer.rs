// SPDX-License-Identifier: GPL-2.0

//! Which of the port's own ECP and EPP operations (`port->ops->epp_*`,
//! `ecp_*`) a `read()` or `write()` in the owner's mode runs, with which
//! flags: ppdev's `pp_read()`/`pp_write()` and the core's
//! `parport_read()`/`parport_write()`, decided here so that `cargo test`
//! checks it on the host. The port's driver runs the transfer itself
//! (`rust/glue/pardevice.rs`); parown calls it in pieces, and looks for a
//! signal between them.

use crate::{
    ieee1284::mode,
    lines::port_mode,
    ppdev::{
        PP_FASTREAD,
        PP_FASTWRITE,
        PP_W91284PIC, //
    },
};

/// `PARPORT_EPP_FAST`: block transfers without a per-byte check.
pub(crate) const PARPORT_EPP_FAST: i32 = 1 << 0;
/// `PARPORT_W91284PIC`: the peripheral is a Warp Nine w91284pic.
pub(crate) const PARPORT_W91284PIC: i32 = 1 << 1;

/// One of the port's ECP and EPP operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PortOp {
    /// `epp_read_data`.
    EppReadData,
    /// `epp_write_data`.
    EppWriteData,
    /// `epp_read_addr`.
    EppReadAddr,
    /// `epp_write_addr`.
    EppWriteAddr,
    /// `ecp_read_data`.
    EcpReadData,
    /// `ecp_write_data`.
    EcpWriteData,
    /// `ecp_write_addr`.
    EcpWriteAddr,
}

/// A transfer the port's driver runs: the operation and its flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct HwTransfer {
    /// The operation.
    pub(crate) op: PortOp,
    /// Its `flags` argument (`PARPORT_EPP_FAST`, `PARPORT_W91284PIC`).
    pub(crate) flags: i32,
}

/// Why a transfer in the owner's mode is not run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NotRun {
    /// The port has no hardware for the mode (`PARPORT_MODE_EPP`,
    /// `PARPORT_MODE_ECP`), or the mode is a software emulation or EPP
    /// 1.7, which parown does not drive (`EOPNOTSUPP`).
    Unsupported,
    /// A mode neither the core nor parown knows (`ENOSYS`, as
    /// `parport_read()` and `parport_write()`).
    UnknownMode,
}

/// What the port offers for a transfer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PortCaps {
    /// `port->modes`.
    pub(crate) modes: u32,
    /// Whether the port's `ecp_read_data` is the core's
    /// `parport_ieee1284_ecp_read_data()` on a port with an interrupt:
    /// while the peripheral has no data, it releases the port, sleeps and
    /// claims it again with `parport_claim_or_block()`, which would hand
    /// parown's owner's port to another driver behind parown's back; so
    /// parown reads ECP itself then ([`crate::ieee1284`]'s ECP reader).
    pub(crate) ecp_read_releases: bool,
}

/// The transfer a `read()` (`write` false) or `write()` (`write` true) in
/// `port_mode` (the port's `ieee1284.mode`, with its flags) runs on the
/// port's driver, with the owner's ppdev flags `pp_flags`. `Ok(None)` for
/// the transfers parown runs itself: compatibility, nibble and byte mode,
/// and ECP reads where the driver's would release the port.
pub(crate) fn hw_transfer(
    port_mode: i32,
    write: bool,
    pp_flags: u32,
    caps: PortCaps,
) -> Result<Option<HwTransfer>, NotRun> {
    let addr = port_mode & mode::ADDR != 0;
    let has = |m: u32| caps.modes & m != 0;
    let (op, flags) = match mode::without_flags(port_mode) {
        mode::COMPAT | mode::NIBBLE | mode::BYTE => return Ok(None),
        mode::EPP if !has(port_mode::EPP) => return Err(NotRun::Unsupported),
        mode::EPP if write => {
            // ppdev passes PARPORT_EPP_FAST with PP_FASTWRITE; otherwise
            // parport_write() passes no flags.
            let flags = if pp_flags & PP_FASTWRITE != 0 {
                PARPORT_EPP_FAST
            } else {
                0
            };
            let op = if addr {
                PortOp::EppWriteAddr
            } else {
                PortOp::EppWriteData
            };
            (op, flags)
        }
        mode::EPP => {
            let mut flags = 0;
            if pp_flags & PP_W91284PIC != 0 {
                flags |= PARPORT_W91284PIC;
            }
            if pp_flags & PP_FASTREAD != 0 {
                flags |= PARPORT_EPP_FAST;
            }
            let op = if addr {
                PortOp::EppReadAddr
            } else {
                PortOp::EppReadData
            };
            (op, flags)
        }
        mode::ECP | mode::ECPRLE if !has(port_mode::ECP) => return Err(NotRun::Unsupported),
        mode::ECP | mode::ECPRLE if write => {
            let op = if addr {
                PortOp::EcpWriteAddr
            } else {
                PortOp::EcpWriteData
            };
            (op, 0)
        }
        mode::ECP | mode::ECPRLE if caps.ecp_read_releases => return Ok(None),
        // parport_read() reads data whether or not IEEE1284_ADDR is set.
        mode::ECP | mode::ECPRLE => (PortOp::EcpReadData, 0),
        mode::ECPSWE | mode::EPPSWE | mode::EPPSL => return Err(NotRun::Unsupported),
        _ => return Err(NotRun::UnknownMode),
    };
    Ok(Some(HwTransfer { op, flags }))
}

#[cfg(test)]
#[path = "hw_transfer/tests.rs"]
mod tests;
