// SPDX-License-Identifier: GPL-2.0

//! A sample in-kernel client of parown, in Rust: a small printer driver.
//!
//! It locks a device of port `port` (`device`: a daisy-chain address, or
//! -1, the default, for the end-of-chain device), reads its status, writes
//! one line to it, reads its IEEE 1284 Device ID if `read_id=1`, and gives
//! the port up. With `timeout_ms`
//! (default 1000) it does that while loading, waiting at most that long
//! in line with every other client, and loading fails if it cannot. With
//! `timeout_ms=0` it asks without blocking the load
//! ([`parown::Client::allocate_async`]) and does it when the port is
//! granted, from the `granted` callback; unloading before then cancels
//! the pending wait ([`parown::Client::cancel`]), and a port that goes
//! away ends it too. Every outcome is logged.
//!
//! The safe binding of the C API is `samples/parown.rs`, meant to be
//! copied into other Rust modules.

#[path = "../rust/kernel_compat.rs"]
mod kernel_compat;
mod parown;

use kernel::prelude::*;
use parown::{
    Client,
    Device,
    Events,
    Owned, //
};

module! {
    type: ParownSample,
    name: "parown_sample",
    authors: ["The parown developers"],
    description: "Sample in-kernel client of parown",
    license: "GPL",
    params: {
        port: u32 {
            default: 0,
            description: "The parport to write to",
        },
        timeout_ms: u32 {
            default: 1000,
            description: "How long loading waits for the port; 0: do not wait, write when granted",
        },
        device: i32 {
            default: -1,
            description: "The IEEE 1284.3 daisy-chain device to lock, 0-3; -1: the end-of-chain device",
        },
        read_id: u32 {
            default: 0,
            description: "1: read and log the device's IEEE 1284 Device ID after writing",
        },
    },
}

/// What the sample writes.
const LINE: &[u8] = b"hello from parown_sample\n";

/// `PARPORT_STATUS_*` bits the sample reports.
const STATUS_BUSY: u8 = 0x80;
const STATUS_PAPEROUT: u8 = 0x20;
const STATUS_ERROR: u8 = 0x08;

/// What the sample does, from its parameters.
#[derive(Clone, Copy)]
struct Job {
    port: u32,
    device: Device,
    read_id: bool,
}

/// The sample's job, with the port owned: report the status, write, and
/// read the Device ID if asked to.
fn print(job: &Job, owned: &Owned<'_>) -> Result<usize> {
    let port = job.port;
    let status = owned.status()?;
    let busy = if status & STATUS_BUSY == 0 {
        " busy"
    } else {
        ""
    };
    let paper_out = if status & STATUS_PAPEROUT != 0 {
        " paper-out"
    } else {
        ""
    };
    let fault = if status & STATUS_ERROR == 0 {
        " fault"
    } else {
        ""
    };
    pr_info!(
        "parport{}: status {:#04x}:{}{}{}\n",
        port,
        status,
        busy,
        paper_out,
        fault
    );
    let wrote = owned.write(LINE)?;
    if job.read_id {
        let mut id = [0u8; 128];
        match owned.device_id(&mut id) {
            Ok(len) => {
                let shown = &id[..len.min(id.len())];
                let shown = core::str::from_utf8(shown).unwrap_or("(not text)");
                pr_info!("parport{}: device ID: {}\n", port, shown);
            }
            Err(e) => pr_info!("parport{}: no device ID: {:?}\n", port, e),
        }
    }
    Ok(wrote)
}

/// The sample's callbacks.
struct Sample {
    job: Job,
}

impl Events for Sample {
    const GRANTED: bool = true;
    const PREEMPT: bool = true;

    fn granted(&self, owned: Result<Owned<'_>>) {
        let port = self.job.port;
        match owned {
            Ok(owned) => match owned
                .select(self.job.device)
                .and_then(|owned| print(&self.job, &owned))
            {
                Ok(wrote) => pr_info!("parport{}: wrote {} bytes\n", port, wrote),
                Err(e) => pr_info!("parport{}: write failed: {:?}\n", port, e),
            },
            Err(e) if e == kernel_compat::code::ecanceled() => {
                pr_info!("parport{}: wait cancelled\n", port)
            }
            Err(e) if e == ENODEV => pr_info!("parport{}: port went away\n", port),
            Err(e) => pr_info!("parport{}: request failed: {:?}\n", port, e),
        }
        // The `Owned` dropped above: the port is free again.
    }

    fn preempt(&self) {
        // The job is one line long: the port is given back right after.
        pr_info!("parport{}: others wait for the port\n", self.job.port);
    }
}

struct ParownSample {
    /// Kept while a granted callback may be due; dropping it closes the
    /// client, which waits for a callback in progress.
    client: Option<Client<Sample>>,
    port: u32,
}

impl kernel::Module for ParownSample {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let port = kernel_compat::param::<u32>(module_parameters::port.value());
        let timeout = kernel_compat::param::<u32>(module_parameters::timeout_ms.value());
        let device = match kernel_compat::param::<i32>(module_parameters::device.value()) {
            -1 => Device::EndOfChain,
            address @ 0..=3 => Device::Daisy(address.unsigned_abs()),
            _ => return Err(EINVAL),
        };
        let read_id = kernel_compat::param::<u32>(module_parameters::read_id.value()) != 0;
        let job = Job {
            port,
            device,
            read_id,
        };
        let client = Client::open(port, c"parown_sample", Sample { job })?;
        if timeout == 0 {
            client.allocate_async()?;
            pr_info!("parport{}: waiting for the port\n", port);
            return Ok(Self {
                client: Some(client),
                port,
            });
        }
        // In line with everyone else, for at most `timeout` ms.
        let owned = client.lock(device, timeout).inspect_err(|e| {
            if *e == ETIMEDOUT {
                pr_info!("parport{}: timed out waiting for the port\n", port);
            }
        })?;
        let wrote = print(&job, &owned);
        // Unlock before reporting: the port is only ours for the job.
        drop(owned);
        pr_info!("parport{}: wrote {} bytes\n", port, wrote?);
        Ok(Self { client: None, port })
    }
}

impl Drop for ParownSample {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            // Ends a wait still pending (reported as cancelled), so that
            // unloading never hangs behind another owner.
            client.cancel();
            drop(client);
            pr_info!("parport{}: closed\n", self.port);
        }
    }
}
