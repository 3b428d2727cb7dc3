// SPDX-License-Identifier: GPL-2.0

//! `status` and `watch`: each port's live state as text or JSON, or, for
//! a reader debugfs refuses, what GET_PORT_INFO tells everyone.

use crate::cli::device_name;
use parown::{
    state::{
        self,
        Asked,
        Client,
        PortState,
        Who, //
    },
    Device,
    Error,
    Port,
    PortInfo,
    Result, //
};
use serde_json::{
    json,
    Value, //
};
use std::fmt::Write;

/// What can be known of one port.
pub enum View {
    /// Its live state.
    Live(PortState),
    /// Only GET_PORT_INFO and QUERY_WAITERS: the live state is root's.
    Info { info: PortInfo, waiters: u32 },
}

/// The ports to show: `asked`, or every port there is.
pub fn ports(asked: &[u32]) -> Result<Vec<u32>> {
    if !asked.is_empty() {
        return Ok(asked.to_vec());
    }
    // No debugfs, or not root: the nodes say which ports there are.
    state::ports().or_else(|_| parown::ports())
}

/// Port `number`'s view: its live state if this reader may read it.
pub fn view(number: u32) -> Result<View> {
    match state::read(number) {
        Ok(live) => Ok(View::Live(live)),
        // Not root, or no debugfs: ask the port itself.
        Err(Error::PermissionDenied | Error::Gone | Error::NotOwner) => {
            let port = Port::open(number)?;
            Ok(View::Info {
                info: port.info()?,
                waiters: port.waiters()?,
            })
        }
        Err(err) => Err(err),
    }
}

fn who(who: &Who) -> String {
    match who {
        Who::Process { pid, comm } => format!("pid {pid} ({comm})"),
        Who::Driver(name) => format!("driver {name}"),
    }
}

fn client(c: &Client) -> String {
    format!("{}, client {}", who(&c.who), c.id)
}

fn asked(asked: Asked) -> String {
    match asked.device() {
        Some(d) => format!("{} {}", asked.word(), device_name(d)),
        None => asked.word().into(),
    }
}

/// The text of one port's view.
pub fn text(number: u32, view: &View) -> String {
    let mut out = String::new();
    match view {
        View::Live(s) => live_text(&mut out, s),
        View::Info { info, waiters } => {
            // A new client of the port cannot own it: only whether somebody does.
            let owner = match info.owned {
                false => "none",
                true => "a client (the live state, root's, says which)",
            };
            let _ = writeln!(out, "parport{number}");
            let _ = writeln!(out, "  owner:    {owner}");
            let _ = writeln!(out, "  waiters:  {waiters}");
            let _ = writeln!(out, "  chain:    {} devices", info.ieee1284_3_devices);
        }
    }
    out
}

fn live_text(out: &mut String, s: &PortState) {
    let gone = if s.gone { " (gone)" } else { "" };
    let _ = writeln!(out, "parport{}{gone}", s.port);
    match &s.owner {
        None => {
            let _ = writeln!(out, "  owner:    none");
        }
        Some(o) => {
            let _ = writeln!(
                out,
                "  owner:    {}, for {} ms",
                client(&o.client),
                o.held.as_millis()
            );
        }
    }
    let _ = writeln!(out, "  waiters:  {}", s.waiters.len());
    for (i, w) in s.waiters.iter().enumerate() {
        let timeout = match w.timeout {
            None => "no timeout".to_string(),
            Some(t) => format!("timeout {} ms", t.as_millis()),
        };
        let _ = writeln!(
            out,
            "    {}. {}: {}, waiting {} ms, {timeout}",
            i + 1,
            client(&w.client),
            asked(w.asked),
            w.waited.as_millis()
        );
    }
    let holder = s.core_holder.as_deref().unwrap_or("nobody");
    let waiting = match s.core_waiting.is_empty() {
        true => "nobody".to_string(),
        false => s.core_waiting.join(", "),
    };
    let _ = writeln!(
        out,
        "  core:     held by {holder}, waiting: {waiting} (parown: {})",
        s.hold.word()
    );
    let chain = match s.chain {
        None => "not enumerated".to_string(),
        Some(n) => format!("{n} devices"),
    };
    let selected = s.selected.map_or("none".to_string(), device_name);
    let _ = writeln!(out, "  chain:    {chain}, selected: {selected}");
    let c = &s.counters;
    let _ = writeln!(
        out,
        "  counters: {} grants, {} hand-overs, {} timeouts, {} interrupted, \
         {} cancelled, {} removed, longest wait {} ms",
        c.grants,
        c.handovers,
        c.timeouts,
        c.interrupted,
        c.cancelled,
        c.removed,
        c.longest_wait.as_millis()
    );
}

/// A device in JSON: its address, or "eoc".
pub fn device_json(device: Device) -> Value {
    match device {
        Device::Daisy(addr) => json!(addr),
        Device::EndOfChain => json!("eoc"),
    }
}

fn client_json(c: &Client) -> Value {
    match &c.who {
        Who::Process { pid, comm } => json!({ "client": c.id, "pid": pid, "comm": comm }),
        Who::Driver(name) => json!({ "client": c.id, "driver": name }),
    }
}

/// One port's view as JSON: the live state's facts, with `live: false`
/// and only GET_PORT_INFO's facts for a reader debugfs refuses.
pub fn json(number: u32, view: &View) -> Value {
    let s = match view {
        View::Info { info, waiters } => {
            return json!({
                "port": number,
                "live": false,
                "owned": info.owned,
                "owned_by_me": info.owned_by_me,
                "waiters": waiters,
                "chain": info.ieee1284_3_devices,
            })
        }
        View::Live(s) => s,
    };
    let owner = s.owner.as_ref().map(|o| {
        let mut v = client_json(&o.client);
        v["held_ms"] = json!(o.held.as_millis() as u64);
        v
    });
    let waiters: Vec<Value> = s
        .waiters
        .iter()
        .map(|w| {
            let mut v = client_json(&w.client);
            v["asked"] = json!(w.asked.word());
            v["device"] = json!(w.asked.device().map(device_json));
            v["waited_ms"] = json!(w.waited.as_millis() as u64);
            v["timeout_ms"] = json!(w.timeout.map(|t| t.as_millis() as u64));
            v
        })
        .collect();
    let c = &s.counters;
    json!({
        "port": s.port,
        "live": true,
        "gone": s.gone,
        "parown": s.hold.word(),
        "core_holder": s.core_holder,
        "core_waiting": s.core_waiting,
        "owner": owner,
        "selected": s.selected.map(device_json),
        "chain": s.chain,
        "waiters": waiters,
        "counters": {
            "grants": c.grants,
            "hand_overs": c.handovers,
            "timeouts": c.timeouts,
            "interrupted": c.interrupted,
            "cancelled": c.cancelled,
            "removed": c.removed,
            "longest_wait_ms": c.longest_wait.as_millis() as u64,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A busy port's live state, as the module writes it.
    const BUSY: &str = "port: 0
gone: no
parown: held
core-holder: parown
core-waiting: lp
owner: client=7 held_ms=1532 pid=312 comm=parownctl
selected: none
chain: devices=0
waiters: 2
waiter: client=8 asked=allocate waited_ms=126 timeout_ms=none pid=315 comm=jtag tool
waiter: client=9 asked=lock device=end-of-chain waited_ms=12 timeout_ms=5000 driver=parown_sample
counters: grants=12 hand-overs=3 timeouts=1 interrupted=2 cancelled=0 removed=0 longest_wait_ms=343
";

    fn busy() -> View {
        View::Live(state::parse(BUSY).expect("the fixture parses"))
    }

    #[test]
    fn text_names_owner_waiters_in_order_and_the_core() {
        let text = text(0, &busy());
        let want = "parport0
  owner:    pid 312 (parownctl), client 7, for 1532 ms
  waiters:  2
    1. pid 315 (jtag tool), client 8: allocate, waiting 126 ms, no timeout
    2. driver parown_sample, client 9: lock eoc, waiting 12 ms, timeout 5000 ms
  core:     held by parown, waiting: lp (parown: held)
  chain:    0 devices, selected: none
  counters: 12 grants, 3 hand-overs, 1 timeouts, 2 interrupted, 0 cancelled, 0 removed, longest wait 343 ms
";
        assert_eq!(text, want);
    }

    #[test]
    fn json_has_the_same_facts() {
        let v = json(0, &busy());
        assert_eq!(v["live"], true);
        assert_eq!(v["owner"]["pid"], 312);
        assert_eq!(v["owner"]["held_ms"], 1532);
        assert_eq!(v["waiters"][0]["comm"], "jtag tool");
        assert_eq!(v["waiters"][0]["timeout_ms"], Value::Null);
        assert_eq!(v["waiters"][1]["driver"], "parown_sample");
        assert_eq!(v["waiters"][1]["asked"], "lock");
        assert_eq!(v["waiters"][1]["device"], "eoc");
        assert_eq!(v["core_waiting"][0], "lp");
        assert_eq!(v["counters"]["hand_overs"], 3);
        assert_eq!(v["selected"], Value::Null);
    }

    #[test]
    fn the_view_without_debugfs_says_so() {
        let info = PortInfo {
            port: 1,
            owned: true,
            owned_by_me: false,
            base: 0x278,
            base_hi: 0,
            irq: -1,
            dma: -1,
            modes: 0,
            ieee1284_3_devices: 0,
        };
        let view = View::Info { info, waiters: 1 };
        assert_eq!(json(1, &view)["live"], false);
        assert!(text(1, &view).contains("  waiters:  1\n"));
    }
}
