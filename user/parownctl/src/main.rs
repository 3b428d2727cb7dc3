// SPDX-License-Identifier: GPL-2.0

//! parownctl: parown's ports from the shell (see `parownctl --help` and
//! Documentation/parown.rst, "parownctl").

mod chain;
mod cli;
mod exit;
mod inherited;
mod lock;
mod man;
mod out;
mod status;

use out::{
    out,
    outln, //
};

use clap::{
    CommandFactory,
    Parser, //
};
use cli::{
    Cli,
    Command,
    Wait, //
};
use parown::{
    Allocation,
    Device,
    Error,
    Locked,
    Owned,
    Port,
    Result, //
};
use serde_json::json;
use std::{io::Read, process::ExitCode, time::Duration};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.json;
    match cli.command {
        Command::Status { ports } => show(&ports, json),
        Command::Watch {
            ports,
            interval,
            count,
        } => watch(&ports, json, interval, count),
        Command::Info { port } => on_port(port, |p| info(p, json)),
        Command::Waiters { port } => on_port(port, |p| {
            let n = p.waiters()?;
            match json {
                true => outln!("{}", json!({ "waiters": n })),
                false => outln!("{n}"),
            }
        }),
        Command::Hold { port, ms, wait } => on_port(port, |p| hold(p, ms, &wait, json)),
        Command::Write {
            port,
            text,
            device,
            wait,
        } => write(port, text, device, &wait, json),
        Command::Lock {
            port,
            device,
            timeout,
            command,
        } => match inherited::open(port) {
            Ok(p) => lock::run(&p, port, device, cli::limit(timeout), &command),
            Err(err) => exit::open_failed(port, &err),
        },
        Command::Unlock { port } => unlock(port),
        Command::Chain { port, timeout } => {
            on_port(port, |p| chain::list(p, cli::limit(timeout), json))
        }
        Command::Completions { shell } => {
            // Into memory first: clap_complete panics on a failed write.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "parownctl", &mut script);
            match out!("{}", String::from_utf8_lossy(&script)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => exit::fail("stdout", &err),
            }
        }
        Command::Man { dir } => match man::write_pages(&dir) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("parownctl: {}: {err}", dir.display());
                ExitCode::from(exit::FAILURE)
            }
        },
    }
}

/// Runs `f` on port `number` (the port a `lock` above passed down, or a
/// new client), reporting its error.
fn on_port(number: u32, f: impl FnOnce(&Port) -> Result<()>) -> ExitCode {
    let port = match inherited::open(number) {
        Ok(port) => port,
        Err(err) => return exit::open_failed(number, &err),
    };
    match f(&port) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => exit::fail(&format!("parport{number}"), &err),
    }
}

fn allocate<'a>(port: &'a Port, wait: &Wait) -> Result<Allocation<'a>> {
    match wait.no_wait {
        true => port.try_allocate(),
        false => port.allocate(cli::limit(wait.timeout)),
    }
}

fn info(port: &Port, json: bool) -> Result<()> {
    let i = port.info()?;
    if json {
        return outln!(
            "{}",
            json!({
                "port": i.port, "base": i.base, "base_hi": i.base_hi, "irq": i.irq,
                "dma": i.dma, "modes": i.modes, "chain": i.ieee1284_3_devices,
                "owned": i.owned, "owned_by_me": i.owned_by_me,
            })
        );
    }
    let base_hi = match i.base_hi {
        0 => String::new(),
        hi => format!(",0x{hi:x}"),
    };
    outln!(
        "parport{}: io 0x{:x}{base_hi}, irq {}, dma {}, modes 0x{:x}, {} IEEE 1284.3 devices, {}",
        i.port,
        i.base,
        i.irq,
        i.dma,
        i.modes,
        i.ieee1284_3_devices,
        if i.owned { "owned" } else { "free" }
    )
}

/// `status` for the ports asked (none: every port, less any that goes
/// away while it is being read).
fn show(asked: &[u32], json: bool) -> ExitCode {
    let ports = match status::ports(asked) {
        Ok(ports) => ports,
        Err(err) => return exit::fail("ports", &err),
    };
    let mut views = Vec::new();
    for &n in &ports {
        match status::view(n) {
            Ok(view) => views.push((n, view)),
            Err(Error::Gone) if asked.is_empty() => {}
            Err(err) => return exit::fail(&format!("parport{n}"), &err),
        }
    }
    let printed = if json {
        let ports: Vec<_> = views.iter().map(|(n, v)| status::json(*n, v)).collect();
        outln!("{}", json!({ "ports": ports }))
    } else if views.is_empty() {
        outln!("no parown ports")
    } else {
        let texts: Vec<_> = views.iter().map(|(n, v)| status::text(*n, v)).collect();
        out!("{}", texts.join("\n"))
    };
    match printed {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => exit::fail("stdout", &err),
    }
}

fn watch(asked: &[u32], json: bool, interval: u64, count: u64) -> ExitCode {
    let clear = !json && std::io::IsTerminal::is_terminal(&std::io::stdout());
    let mut shown = 0;
    loop {
        if clear {
            if let Err(err) = out!("\x1b[H\x1b[2J") {
                return exit::fail("stdout", &err);
            }
        }
        let code = show(asked, json);
        if code != ExitCode::SUCCESS {
            return code;
        }
        shown += 1;
        if count > 0 && shown >= count {
            return ExitCode::SUCCESS;
        }
        if !clear && !json {
            if let Err(err) = outln!() {
                return exit::fail("stdout", &err);
            }
        }
        std::thread::sleep(Duration::from_millis(interval));
    }
}

fn hold(port: &Port, ms: Option<u64>, wait: &Wait, json: bool) -> Result<()> {
    let owned = allocate(port, wait)?;
    match json {
        true => outln!("{}", json!({ "held": port.info()?.port }))?,
        false => outln!("held")?,
    }
    match ms {
        Some(ms) => std::thread::sleep(Duration::from_millis(ms)),
        // Until killed: closing the file frees the port.
        None => loop {
            std::thread::park();
        },
    }
    owned.free()
}

/// The port, as `write` owns it for one write.
enum Writer<'a> {
    Allocated(Allocation<'a>),
    Locked(Locked<'a>),
    /// Owned already, through the file a `lock` above passed down: kept
    /// owned after the write.
    Adopted(Allocation<'a>),
}

impl Writer<'_> {
    fn owned(&self) -> &Owned<'_> {
        match self {
            Writer::Allocated(a) | Writer::Adopted(a) => a,
            Writer::Locked(l) => l,
        }
    }

    /// Gives back what the write took.
    fn finish(self) -> Result<()> {
        match self {
            Writer::Allocated(a) => a.free(),
            Writer::Locked(l) => l.unlock(),
            Writer::Adopted(a) => {
                a.keep();
                Ok(())
            }
        }
    }
}

fn write(
    number: u32,
    text: Option<String>,
    device: Option<Device>,
    wait: &Wait,
    json: bool,
) -> ExitCode {
    let bytes = match text.as_deref() {
        Some(text) if text != "-" => text.as_bytes().to_vec(),
        _ => {
            let mut bytes = Vec::new();
            if let Err(err) = std::io::stdin().read_to_end(&mut bytes) {
                return exit::fail("stdin", &Error::from(err));
            }
            bytes
        }
    };
    on_port(number, |port| {
        let writer = match (port.info()?.owned_by_me, device) {
            (true, _) => Writer::Adopted(port.adopt()?),
            (false, Some(device)) => Writer::Locked(port.lock(device, cli::limit(wait.timeout))?),
            (false, None) => Writer::Allocated(allocate(port, wait)?),
        };
        // Given back (or, adopted, kept) whether the write worked or not.
        let written = writer.owned().write_all(&bytes);
        let given_back = writer.finish();
        written?;
        given_back?;
        if json {
            outln!("{}", json!({ "written": bytes.len() }))?;
        }
        Ok(())
    })
}

fn unlock(asked: Option<u32>) -> ExitCode {
    let Some((number, device)) = inherited::passed_down() else {
        eprintln!(
            "parownctl: unlock: no port locked for this command \
             (PAROWN_PORT and PAROWN_DEVICE are not set, or not valid)"
        );
        return ExitCode::from(exit::FAILURE);
    };
    if let Some(other) = asked.filter(|&n| n != number) {
        return exit::fail(&format!("parport{other}"), &Error::NotOwner);
    }
    on_port(number, |port| port.adopt_lock(device)?.unlock())
}
