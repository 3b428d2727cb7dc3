// SPDX-License-Identifier: GPL-2.0

//! A port's live state as people and `parownctl` read it: who owns the
//! port and since when, who waits and for what, which other driver holds
//! it in the parport core, the daisy chain and the counters. The port
//! fills a [`PortView`] under its lock; this renders it outside, in the
//! text format `Documentation/parown.rst` ("Live state") describes.
//!
//! One `key: value` line per fact, in a fixed order; a client is a list of
//! `key=value` fields ending with its name (`comm=` or `driver=`), which
//! runs to the end of the line and so may hold spaces. No kernel
//! dependency: the format is tested on the host.

use core::fmt::{
    self,
    Display,
    Formatter,
    Write, //
};

/// A short name kept by value (a command, a driver's or pardevice's
/// name), cut at `N` bytes.
#[derive(Clone, Copy)]
pub(crate) struct Name<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> Name<N> {
    /// The empty name.
    pub(crate) const fn empty() -> Self {
        Self {
            bytes: [0; N],
            len: 0,
        }
    }

    /// `bytes`, up to its first NUL, cut at `N` bytes.
    pub(crate) fn new(bytes: &[u8]) -> Self {
        let mut name = Self::empty();
        let bytes = bytes.split(|&b| b == 0).next().unwrap_or(&[]);
        let len = bytes.len().min(N);
        name.bytes[..len].copy_from_slice(&bytes[..len]);
        name.len = len;
        name
    }

    /// The buffer to fill, for C code that writes a NUL-terminated name.
    pub(crate) fn buffer(&mut self) -> &mut [u8; N] {
        &mut self.bytes
    }

    /// Takes the name the buffer now holds, up to its first NUL.
    pub(crate) fn filled(mut self) -> Self {
        self.len = self.bytes.iter().position(|&b| b == 0).unwrap_or(N);
        self
    }

    /// Whether the name has no bytes.
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl<const N: usize> Display for Name<N> {
    /// Printable ASCII as it is, anything else (a line break, a byte of
    /// UTF-8) as `?`: a name never ends its line early.
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for &b in &self.bytes[..self.len] {
            f.write_char(if (0x20..0x7f).contains(&b) {
                b as char
            } else {
                '?'
            })?;
        }
        Ok(())
    }
}

/// A process's command (`TASK_COMM_LEN`).
pub(crate) type Comm = Name<16>;
/// A driver's or pardevice's name, cut.
pub(crate) type DriverName = Name<32>;
/// The pardevices waiting in the parport core, space-separated, cut.
pub(crate) type DriverList = Name<96>;

/// Who a client is.
#[derive(Clone, Copy)]
pub(crate) enum Who {
    /// An open file of `/dev/parownN`: the process that opened it (its
    /// number as the reader sees it, 0 if it is not visible there), and its
    /// command while it runs (empty once it has exited).
    Process { pid: i32, comm: Comm },
    /// An in-kernel client, by the name it gave `parown_open()`.
    Driver(DriverName),
}

/// A device of the chain, as a request names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// The daisy-chain device at this address.
    Daisy(u32),
    /// The end-of-chain device.
    EndOfChain,
}

/// What a waiting client asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Asked {
    /// ALLOCATE (or ppdev's PPCLAIM).
    Allocate,
    /// An in-kernel client's `parown_allocate_async()`.
    AllocateAsync,
    /// LOCK_PORT or LOCK_PORT_NO_SELECT of a device.
    Lock(Target),
    /// SELECT_DEVICE without HAVE_PORT.
    Select(Target),
    /// GET_DEVICE_ID without HAVE_PORT.
    DeviceId(Target),
    /// INIT_1284_3_BUS by a client that does not own the port.
    InitBus,
    /// ppdev's PPYIELD: the owner passed the port on and waits again.
    Yield,
}

/// One client, as a line shows it.
#[derive(Clone, Copy)]
pub(crate) struct ClientView {
    /// parown's number for the client (as in the trace events).
    pub(crate) id: u64,
    /// Who it is.
    pub(crate) who: Who,
}

/// The owner.
#[derive(Clone, Copy)]
pub(crate) struct OwnerView {
    pub(crate) client: ClientView,
    /// Since the client's last grant through the port's lock, in
    /// milliseconds: a client that freed the port and took it back
    /// without the lock (a parked port) keeps that grant's time.
    pub(crate) held_ms: u64,
}

/// A waiter, in queue order.
#[derive(Clone, Copy)]
pub(crate) struct WaiterView {
    pub(crate) client: ClientView,
    pub(crate) asked: Asked,
    /// In the queue for this long, in milliseconds.
    pub(crate) waited_ms: u64,
    /// The request's timeout in milliseconds, `None` for none.
    pub(crate) timeout_ms: Option<u32>,
}

/// parown's own hold on the port in the parport core.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Hold {
    /// parown has no pardevice on the port: it has no clients, or the
    /// port went away.
    NotRegistered,
    /// parown does not hold the port.
    Idle,
    /// parown holds the port for its owner.
    Held,
    /// parown holds the port with nobody owning it, until another driver
    /// asks for it.
    HeldLazily,
}

/// The port's counters since it appeared.
#[derive(Clone, Copy, Default)]
pub(crate) struct Counters {
    /// Grants: ALLOCATE and the requests that allocate, TRY_ALLOCATE,
    /// asynchronous requests.
    pub(crate) grants: u64,
    /// Grants to a client that waited in the queue.
    pub(crate) handovers: u64,
    pub(crate) timeouts: u64,
    pub(crate) interrupted: u64,
    pub(crate) cancelled: u64,
    /// Waits that the port's removal ended.
    pub(crate) removed: u64,
    /// The longest wait in the queue that ended in a grant, nanoseconds.
    pub(crate) longest_wait_ns: u64,
}

/// Everything the live view shows of one port.
pub(crate) struct PortView<'a> {
    /// The parport's number.
    pub(crate) port: u32,
    /// The port went away; its clients get `ENODEV`.
    pub(crate) gone: bool,
    pub(crate) hold: Hold,
    /// The pardevice the parport core gave the port to (`port->cad`).
    pub(crate) core_holder: Option<DriverName>,
    /// The pardevices waiting for it in the parport core.
    pub(crate) core_waiting: DriverList,
    pub(crate) owner: Option<OwnerView>,
    /// The device the owner selected (or locked without selecting).
    pub(crate) selected: Option<Target>,
    /// The daisy-chain devices found, `None` before an enumeration.
    pub(crate) chain: Option<u32>,
    pub(crate) waiters: &'a [WaiterView],
    pub(crate) counters: Counters,
}

impl Display for Target {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Target::Daisy(addr) => write!(f, "device={addr}"),
            Target::EndOfChain => f.write_str("device=end-of-chain"),
        }
    }
}

impl Display for Asked {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Asked::Allocate => f.write_str("asked=allocate"),
            Asked::AllocateAsync => f.write_str("asked=allocate-async"),
            Asked::Lock(t) => write!(f, "asked=lock {t}"),
            Asked::Select(t) => write!(f, "asked=select {t}"),
            Asked::DeviceId(t) => write!(f, "asked=device-id {t}"),
            Asked::InitBus => f.write_str("asked=init-bus"),
            Asked::Yield => f.write_str("asked=yield"),
        }
    }
}

impl ClientView {
    /// `client=N <fields> pid=P comm=C`, or `... driver=D`: the name last.
    fn fmt_with(&self, f: &mut Formatter<'_>, fields: fmt::Arguments<'_>) -> fmt::Result {
        write!(f, "client={} {fields}", self.id)?;
        match &self.who {
            Who::Process { pid, comm } => writeln!(f, " pid={pid} comm={comm}"),
            Who::Driver(name) => writeln!(f, " driver={name}"),
        }
    }
}

impl Display for PortView<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        writeln!(f, "port: {}", self.port)?;
        writeln!(f, "gone: {}", if self.gone { "yes" } else { "no" })?;
        match self.hold {
            Hold::NotRegistered => writeln!(f, "parown: not-registered")?,
            Hold::Idle => writeln!(f, "parown: idle")?,
            Hold::Held => writeln!(f, "parown: held")?,
            Hold::HeldLazily => writeln!(f, "parown: held-lazily")?,
        }
        match &self.core_holder {
            Some(name) => writeln!(f, "core-holder: {name}")?,
            None => writeln!(f, "core-holder: none")?,
        }
        if self.core_waiting.is_empty() {
            writeln!(f, "core-waiting: none")?;
        } else {
            writeln!(f, "core-waiting: {}", self.core_waiting)?;
        }
        match &self.owner {
            Some(o) => {
                f.write_str("owner: ")?;
                o.client
                    .fmt_with(f, format_args!("held_ms={}", o.held_ms))?;
            }
            None => writeln!(f, "owner: none")?,
        }
        match &self.selected {
            Some(t) => writeln!(f, "selected: {t}")?,
            None => writeln!(f, "selected: none")?,
        }
        match self.chain {
            Some(n) => writeln!(f, "chain: devices={n}")?,
            None => writeln!(f, "chain: unknown")?,
        }
        writeln!(f, "waiters: {}", self.waiters.len())?;
        for w in self.waiters {
            f.write_str("waiter: ")?;
            let timeout = Timeout(w.timeout_ms);
            w.client.fmt_with(
                f,
                format_args!("{} waited_ms={} timeout_ms={timeout}", w.asked, w.waited_ms),
            )?;
        }
        let c = &self.counters;
        writeln!(
            f,
            "counters: grants={} hand-overs={} timeouts={} interrupted={} cancelled={} \
             removed={} longest_wait_ms={}",
            c.grants,
            c.handovers,
            c.timeouts,
            c.interrupted,
            c.cancelled,
            c.removed,
            c.longest_wait_ns / 1_000_000
        )
    }
}

/// A timeout as the view prints it: milliseconds, or `none`.
struct Timeout(Option<u32>);

impl Display for Timeout {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(ms) => write!(f, "{ms}"),
            None => f.write_str("none"),
        }
    }
}

#[cfg(test)]
#[path = "live_state/tests.rs"]
mod tests;
