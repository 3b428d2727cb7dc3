// SPDX-License-Identifier: GPL-2.0

//! A sample in-kernel client of parown, in Rust: a small printer driver.
//!
//! It locks the device at the end of the chain of port `port`, reads its
//! status, writes one line to it, and gives the port up. With `timeout_ms`
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
    },
}

/// What the sample writes.
const LINE: &[u8] = b"hello from parown_sample\n";

/// `PARPORT_STATUS_*` bits the sample reports.
const STATUS_BUSY: u8 = 0x80;
const STATUS_PAPEROUT: u8 = 0x20;
const STATUS_ERROR: u8 = 0x08;

/// The sample's job, with the port owned: report the status, write.
fn print(port: u32, owned: &Owned<'_>) -> Result<usize> {
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
    owned.write(LINE)
}

/// The sample's callbacks.
struct Sample {
    port: u32,
}

impl Events for Sample {
    const GRANTED: bool = true;
    const PREEMPT: bool = true;

    fn granted(&self, owned: Result<Owned<'_>>) {
        match owned {
            Ok(owned) => match print(self.port, &owned) {
                Ok(wrote) => pr_info!("parport{}: wrote {} bytes\n", self.port, wrote),
                Err(e) => pr_info!("parport{}: write failed: {:?}\n", self.port, e),
            },
            Err(e) if e == kernel_compat::code::ecanceled() => {
                pr_info!("parport{}: wait cancelled\n", self.port)
            }
            Err(e) if e == ENODEV => pr_info!("parport{}: port went away\n", self.port),
            Err(e) => pr_info!("parport{}: request failed: {:?}\n", self.port, e),
        }
        // The `Owned` dropped above: the port is free again.
    }

    fn preempt(&self) {
        // The job is one line long: the port is given back right after.
        pr_info!("parport{}: others wait for the port\n", self.port);
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
        let client = Client::open(port, c"parown_sample", Sample { port })?;
        if timeout == 0 {
            client.allocate_async()?;
            pr_info!("parport{}: waiting for the port\n", port);
            return Ok(Self {
                client: Some(client),
                port,
            });
        }
        // In line with everyone else, for at most `timeout` ms.
        let owned = client.lock(Device::EndOfChain, timeout).inspect_err(|e| {
            if *e == ETIMEDOUT {
                pr_info!("parport{}: timed out waiting for the port\n", port);
            }
        })?;
        let wrote = print(port, &owned);
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
