// SPDX-License-Identifier: GPL-2.0

//! The port `parownctl lock` passes down to its command: descriptor 3,
//! named by PAROWN_FD, PAROWN_PORT and PAROWN_DEVICE. A parownctl run by that
//! command uses it, as the same client, instead of opening the port again
//! (which would make a new client, waiting behind the lock).

use crate::cli::{
    device_from_name,
    device_name, //
};
use parown::{
    Device,
    Port,
    Result, //
};
use std::os::fd::{
    FromRawFd,
    OwnedFd,
    RawFd, //
};

/// The descriptor `lock`'s command gets the port on.
pub const FD: RawFd = 3;

/// The environment `lock` gives its command.
pub fn env(port: u32, device: Device) -> [(&'static str, String); 3] {
    [
        ("PAROWN_FD", FD.to_string()),
        ("PAROWN_PORT", port.to_string()),
        ("PAROWN_DEVICE", device_name(device)),
    ]
}

/// The port number and device a `lock` above this process passed down.
pub fn passed_down() -> Option<(u32, Device)> {
    let port = std::env::var("PAROWN_PORT").ok()?.parse().ok()?;
    let device = device_from_name(&std::env::var("PAROWN_DEVICE").ok()?)?;
    Some((port, device))
}

/// Port `number`: the file `lock` passed down if it is that port's, else
/// a new client of it.
pub fn open(number: u32) -> Result<Port> {
    if let Some(fd) = passed_down_fd(number) {
        // SAFETY: PAROWN_FD names the descriptor `lock` left open for this
        // process, and PAROWN_PORT says it is port `number`'s. Nothing else
        // in parownctl owns it, and it is taken here once: `main` opens a
        // port once per run.
        let port = Port::from_fd(unsafe { OwnedFd::from_raw_fd(fd) });
        // A descriptor closed or reused since is not the port: check.
        if port.info().is_ok_and(|info| info.port == number) {
            return Ok(port);
        }
        // Not ours to close.
        std::mem::forget(port);
    }
    Port::open(number)
}

fn passed_down_fd(number: u32) -> Option<RawFd> {
    let (port, _) = passed_down()?;
    let fd: RawFd = std::env::var("PAROWN_FD").ok()?.parse().ok()?;
    (port == number && fd >= 0).then_some(fd)
}
