// SPDX-License-Identifier: GPL-2.0

//! `chain`: the IEEE 1284.3 daisy chain and the end-of-chain device, each
//! with its IEEE 1284 Device ID.

use crate::{
    out::outln,
    status::device_json, //
};
use parown::{
    Device,
    Error,
    Port,
    Result, //
};
use serde_json::json;
use std::time::Duration;

/// Prints the chain: one line per device, "NAME: ID", or "NAME: - (why)"
/// for a device that sends none. Fails if the port cannot be asked at
/// all (it went away, or the wait for it ran out or was interrupted).
pub fn list(port: &Port, timeout: Option<Duration>, json: bool) -> Result<()> {
    let n = port.info()?.ieee1284_3_devices;
    let devices = (0..n)
        .map(Device::Daisy)
        .chain(std::iter::once(Device::EndOfChain));
    let mut listed = Vec::new();
    for device in devices {
        let name = match device {
            Device::Daisy(addr) => format!("device {addr}"),
            Device::EndOfChain => "end of chain".to_string(),
        };
        let id = port.device_id(device, timeout);
        let fatal = matches!(
            id,
            Err(Error::Gone | Error::TimedOut | Error::Interrupted | Error::Cancelled)
        );
        match (&id, json) {
            (Ok(id), false) => outln!("{name}: {}", String::from_utf8_lossy(id))?,
            (Err(err), false) => outln!("{name}: - ({err})")?,
            (_, true) => listed.push(json!({
                "device": device_json(device),
                "id": id.as_ref().ok().map(|id| String::from_utf8_lossy(id).into_owned()),
                "error": id.as_ref().err().map(|err| err.to_string()),
            })),
        }
        if fatal {
            // What was listed, then why the rest could not be.
            if json {
                outln!("{}", json!({ "chain": listed }))?;
            }
            return id.map(drop);
        }
    }
    if json {
        outln!("{}", json!({ "chain": listed }))?;
    }
    Ok(())
}
