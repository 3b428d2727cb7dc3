// SPDX-License-Identifier: GPL-2.0

//! A port's live state, `/sys/kernel/debug/parown/parportN`
//! (`Documentation/parown.rst`, "Live state"), parsed: who owns the port,
//! who waits and for what, which other driver holds or waits for it in
//! the parport core, and the counters.
//!
//! The format may grow: lines and fields this parser does not know are
//! skipped; a line it needs that is missing or malformed is an error.

use crate::{
    Device,
    Error,
    Result, //
};
use std::{collections::HashMap, time::Duration};

/// Where the live state of port `number` is read.
pub fn path(number: u32) -> String {
    format!("/sys/kernel/debug/parown/parport{number}")
}

/// Reads and parses the live state of port `number` (root only: debugfs).
pub fn read(number: u32) -> Result<PortState> {
    let text = std::fs::read_to_string(path(number))?;
    parse(&text)
}

/// The ports that have a live state, in order.
pub fn ports() -> Result<Vec<u32>> {
    crate::port::numbered("/sys/kernel/debug/parown", "parport")
}

/// Who a client is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Who {
    /// A process that opened `/dev/parownN`: its pid as the reader sees
    /// it (0 if it cannot), and its command (empty once it has exited).
    Process {
        /// The pid, 0 if the reader cannot see the process.
        pid: i32,
        /// The command, empty once the process has exited.
        comm: String,
    },
    /// An in-kernel client, by its name (empty without one).
    Driver(String),
}

/// A client, as the live state names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    /// parown's number for the client (as in the trace events).
    pub id: u64,
    /// The process or driver behind it.
    pub who: Who,
}

/// The owner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owner {
    /// The owning client.
    pub client: Client,
    /// Since its last grant through the port's lock.
    pub held: Duration,
}

/// What a waiter asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Asked {
    /// ALLOCATE (or `PPCLAIM`).
    Allocate,
    /// An in-kernel asynchronous allocation.
    AllocateAsync,
    /// LOCK_PORT of the device.
    Lock(Device),
    /// SELECT_DEVICE of the device.
    Select(Device),
    /// GET_DEVICE_ID of the device.
    DeviceId(Device),
    /// INIT_1284_3_BUS.
    InitBus,
    /// ppdev's `PPYIELD`, waiting to own the port again.
    Yield,
}

impl Asked {
    /// The live state's word for the request (its `asked=`).
    pub fn word(self) -> &'static str {
        match self {
            Asked::Allocate => "allocate",
            Asked::AllocateAsync => "allocate-async",
            Asked::Lock(_) => "lock",
            Asked::Select(_) => "select",
            Asked::DeviceId(_) => "device-id",
            Asked::InitBus => "init-bus",
            Asked::Yield => "yield",
        }
    }

    /// The device the request names, if it names one.
    pub fn device(self) -> Option<Device> {
        match self {
            Asked::Lock(d) | Asked::Select(d) | Asked::DeviceId(d) => Some(d),
            _ => None,
        }
    }
}

/// A waiter, in queue order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiter {
    /// The waiting client.
    pub client: Client,
    /// What it asked for.
    pub asked: Asked,
    /// How long it has waited.
    pub waited: Duration,
    /// `None` for a wait without a timeout.
    pub timeout: Option<Duration>,
}

/// parown's own hold on the port in the parport core.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hold {
    /// No clients: parown has no pardevice on the port.
    NotRegistered,
    /// parown does not hold the port.
    Idle,
    /// parown holds the port, for the owner.
    Held,
    /// Nobody owns the port; parown keeps it until another driver asks.
    HeldLazily,
}

impl Hold {
    /// Every hold.
    pub const ALL: [Hold; 4] = [
        Hold::NotRegistered,
        Hold::Idle,
        Hold::Held,
        Hold::HeldLazily,
    ];

    /// The live state's word for the hold (its `parown:` line).
    pub fn word(self) -> &'static str {
        match self {
            Hold::NotRegistered => "not-registered",
            Hold::Idle => "idle",
            Hold::Held => "held",
            Hold::HeldLazily => "held-lazily",
        }
    }
}

/// The port's counters since it appeared.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Every time a client became the owner.
    pub grants: u64,
    /// Grants to a client that waited in the queue.
    pub handovers: u64,
    /// Waits that timed out.
    pub timeouts: u64,
    /// Waits a signal ended.
    pub interrupted: u64,
    /// Waits cancelled (`parown_cancel()`, a stopped kernel thread).
    pub cancelled: u64,
    /// Waits the port's removal ended.
    pub removed: u64,
    /// The longest wait that ended in a grant.
    pub longest_wait: Duration,
}

/// One port's live state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortState {
    /// The parport number.
    pub port: u32,
    /// The port went away.
    pub gone: bool,
    /// parown's own hold on the port in the parport core.
    pub hold: Hold,
    /// The pardevice the parport core gave the port to.
    pub core_holder: Option<String>,
    /// The pardevices waiting for it in the core, in order.
    pub core_waiting: Vec<String>,
    /// The owner, if any.
    pub owner: Option<Owner>,
    /// The device the owner selected on the IEEE 1284.3 bus, if any.
    pub selected: Option<Device>,
    /// Daisy-chain devices, `None` before an enumeration.
    pub chain: Option<u32>,
    /// The waiters, longest waiter first.
    pub waiters: Vec<Waiter>,
    /// The counters since the port appeared.
    pub counters: Counters,
}

fn bad(what: impl std::fmt::Display) -> Error {
    Error::State(what.to_string())
}

/// A client line's fields, and who it is (the name runs to the end).
fn client_fields(text: &str) -> Result<(HashMap<&str, &str>, Client)> {
    let (fields, who) = if let Some(i) = text.find(" comm=") {
        let pid = text[..i]
            .rsplit_once(" pid=")
            .and_then(|(_, pid)| pid.parse().ok())
            .ok_or_else(|| bad(format!("no pid: {text}")))?;
        let comm = text[i + " comm=".len()..].to_string();
        (&text[..i], Who::Process { pid, comm })
    } else if let Some(i) = text.find(" driver=") {
        (
            &text[..i],
            Who::Driver(text[i + " driver=".len()..].to_string()),
        )
    } else {
        return Err(bad(format!("no name: {text}")));
    };
    let map: HashMap<&str, &str> = fields
        .split_whitespace()
        .filter_map(|field| field.split_once('='))
        .collect();
    let id = number(&map, "client")?;
    Ok((map, Client { id, who }))
}

fn number<T: std::str::FromStr>(map: &HashMap<&str, &str>, key: &str) -> Result<T> {
    map.get(key)
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| bad(format!("no {key}")))
}

fn ms(map: &HashMap<&str, &str>, key: &str) -> Result<Duration> {
    number(map, key).map(Duration::from_millis)
}

fn device(value: &str) -> Result<Device> {
    match value {
        "end-of-chain" => Ok(Device::EndOfChain),
        addr => addr
            .parse()
            .map(Device::Daisy)
            .map_err(|_| bad(format!("bad device {addr}"))),
    }
}

/// The request whose word is the waiter's `asked=`, with its `device=`.
fn asked(map: &HashMap<&str, &str>) -> Result<Asked> {
    let word = map.get("asked").copied().unwrap_or("");
    let mut candidates = vec![
        Asked::Allocate,
        Asked::AllocateAsync,
        Asked::InitBus,
        Asked::Yield,
    ];
    if let Some(text) = map.get("device") {
        let d = device(text)?;
        candidates.extend([Asked::Lock(d), Asked::Select(d), Asked::DeviceId(d)]);
    }
    candidates
        .into_iter()
        .find(|a| a.word() == word)
        .ok_or_else(|| bad(format!("unknown request {word}")))
}

/// Parses a port's live state.
pub fn parse(text: &str) -> Result<PortState> {
    let mut lines: HashMap<&str, &str> = HashMap::new();
    let mut waiters = Vec::new();
    for line in text.lines() {
        let Some((key, value)) = line.split_once(": ") else {
            continue;
        };
        if key == "waiter" {
            let (map, client) = client_fields(value)?;
            let timeout = match map.get("timeout_ms") {
                Some(&"none") => None,
                _ => Some(ms(&map, "timeout_ms")?),
            };
            waiters.push(Waiter {
                client,
                asked: asked(&map)?,
                waited: ms(&map, "waited_ms")?,
                timeout,
            });
        } else {
            lines.insert(key, value);
        }
    }
    let get = |key: &str| {
        lines
            .get(key)
            .copied()
            .ok_or_else(|| bad(format!("no {key} line")))
    };
    let none_or = |key: &str| get(key).map(|v| (v != "none").then_some(v));

    let owner = match none_or("owner")? {
        None => None,
        Some(text) => {
            let (map, client) = client_fields(text)?;
            Some(Owner {
                client,
                held: ms(&map, "held_ms")?,
            })
        }
    };
    let selected = match none_or("selected")? {
        None => None,
        Some(text) => Some(device(text.strip_prefix("device=").unwrap_or(text))?),
    };
    let chain = match get("chain")? {
        "unknown" => None,
        text => Some(
            text.strip_prefix("devices=")
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| bad(format!("bad chain {text}")))?,
        ),
    };
    let word = get("parown")?;
    let hold = Hold::ALL
        .into_iter()
        .find(|h| h.word() == word)
        .ok_or_else(|| bad(format!("unknown hold {word}")))?;
    let counters: HashMap<&str, &str> = get("counters")?
        .split_whitespace()
        .filter_map(|field| field.split_once('='))
        .collect();
    let said: usize = get("waiters")?
        .parse()
        .map_err(|_| bad("bad waiters line"))?;
    if said != waiters.len() {
        return Err(bad(format!(
            "{said} waiters said, {} listed",
            waiters.len()
        )));
    }
    Ok(PortState {
        port: get("port")?.parse().map_err(|_| bad("bad port line"))?,
        gone: get("gone")? == "yes",
        hold,
        core_holder: none_or("core-holder")?.map(str::to_string),
        core_waiting: none_or("core-waiting")?
            .map(|v| v.split_whitespace().map(str::to_string).collect())
            .unwrap_or_default(),
        owner,
        selected,
        chain,
        waiters,
        counters: Counters {
            grants: number(&counters, "grants")?,
            handovers: number(&counters, "hand-overs")?,
            timeouts: number(&counters, "timeouts")?,
            interrupted: number(&counters, "interrupted")?,
            cancelled: number(&counters, "cancelled")?,
            removed: number(&counters, "removed")?,
            longest_wait: ms(&counters, "longest_wait_ms")?,
        },
    })
}
