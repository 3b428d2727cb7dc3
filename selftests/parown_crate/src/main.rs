// SPDX-License-Identifier: GPL-2.0

//! The `parown` crate against the VM's ports (parport0, and the simulated
//! chain, parport2): each test is a function; the program prints KTAP and
//! exits 0 only if every test passed.

use parown::{
    lines::control,
    state,
    Device,
    Direction,
    Error,
    Mode,
    Port,
    Result, //
};
use std::{
    panic::{
        catch_unwind,
        AssertUnwindSafe, //
    },
    process::Command,
    thread,
    time::{
        Duration,
        Instant, //
    },
};

/// A test's verdict: `Err` says what went wrong.
type Verdict = core::result::Result<(), String>;

/// A test: its name and its function.
type Test = (&'static str, fn() -> Verdict);

/// Fails the test with a message unless `cond`.
macro_rules! check {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(format!($($msg)+));
        }
    };
}

/// `Result` to `Verdict`, naming what failed.
fn ok<T>(what: &str, r: Result<T>) -> core::result::Result<T, String> {
    r.map_err(|err| format!("{what}: {err}"))
}

fn owned(port: &Port) -> core::result::Result<bool, String> {
    ok("GET_PORT_INFO", port.info()).map(|i| i.owned)
}

/// Runs `f`, which must panic, without the panic's message on stderr.
fn panics(f: impl FnOnce()) -> bool {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let panicked = catch_unwind(AssertUnwindSafe(f)).is_err();
    std::panic::set_hook(hook);
    panicked
}

fn allocation_frees_on_drop() -> Verdict {
    let a = ok("open", Port::open(0))?;
    let b = ok("open", Port::open(0))?;
    {
        let _held = ok("ALLOCATE", a.allocate(None))?;
        check!(owned(&b)?, "the port is not owned under the guard");
        check!(
            matches!(b.try_allocate(), Err(Error::Busy)),
            "TRY_ALLOCATE by another client did not say busy"
        );
    }
    check!(!owned(&b)?, "the dropped guard left the port owned");
    ok("TRY_ALLOCATE after the drop", b.try_allocate()).map(drop)
}

fn allocation_frees_on_panic() -> Verdict {
    let a = ok("open", Port::open(0))?;
    let b = ok("open", Port::open(0))?;
    let panicked = panics(|| {
        let _held = a.allocate(None);
        panic!("while owning the port");
    });
    check!(panicked, "the closure did not panic");
    check!(!owned(&b)?, "the port stayed owned after the panic");
    Ok(())
}

fn locked_unlocks_on_drop_and_on_panic() -> Verdict {
    let a = ok("open", Port::open(0))?;
    let b = ok("open", Port::open(0))?;
    {
        let locked = ok("LOCK_PORT", a.lock(Device::EndOfChain, None))?;
        check!(locked.device() == Device::EndOfChain, "wrong device");
        check!(owned(&b)?, "not owned while locked");
    }
    check!(!owned(&b)?, "the dropped lock left the port owned");
    let panicked = panics(|| {
        let _locked = a.lock(Device::EndOfChain, None);
        panic!("while locked");
    });
    check!(panicked, "the closure did not panic");
    check!(!owned(&b)?, "the lock stayed after the panic");
    // UNLOCK_PORT after the guard's own unlock: not the owner's any more.
    let locked = ok("LOCK_PORT", a.lock(Device::EndOfChain, None))?;
    ok("UNLOCK_PORT", locked.unlock())?;
    check!(
        matches!(a.unlock(Device::EndOfChain), Err(Error::NotOwner)),
        "a second unlock did not say not-owner"
    );
    Ok(())
}

fn keep_leaves_the_port_owned() -> Verdict {
    let a = ok("open", Port::open(0))?;
    ok("ALLOCATE", a.allocate(None))?.keep();
    check!(ok("info", a.info())?.owned_by_me, "keep() let the port go");
    ok("FREE", a.free())?;
    match a.free() {
        Err(err @ Error::NotOwner) => {
            check!(
                err.errno() == Some(1),
                "NotOwner's errno is {:?}",
                err.errno()
            )
        }
        other => return Err(format!("a second FREE gave {other:?}")),
    }
    Ok(())
}

fn errors_are_the_contracts() -> Verdict {
    let a = ok("open", Port::open(0))?;
    let b = ok("open", Port::open(0))?;
    let held = ok("ALLOCATE", a.allocate(None))?;
    let again = a.allocate(None);
    check!(
        matches!(again, Err(Error::AlreadyOwner)),
        "ALLOCATE by the owner gave {again:?}"
    );
    let start = Instant::now();
    let timed = b.allocate(Some(Duration::from_millis(50)));
    check!(
        matches!(timed, Err(Error::TimedOut)),
        "a timed ALLOCATE gave {timed:?}"
    );
    check!(
        start.elapsed() >= Duration::from_millis(50),
        "timed out early"
    );
    ok("FREE", held.free())?;
    check!(
        matches!(Port::open(77), Err(Error::Gone)),
        "opening a port that is not there did not say gone"
    );
    Ok(())
}

fn live_state_shows_owner_and_waiter() -> Verdict {
    let a = ok("open", Port::open(0))?;
    let b = ok("open", Port::open(0))?;
    let held = ok("ALLOCATE", a.allocate(None))?;
    let me = std::process::id() as i32;
    thread::scope(|s| {
        let waiter = s.spawn(|| b.allocate(Some(Duration::from_secs(10))).map(drop));
        let deadline = Instant::now() + Duration::from_secs(5);
        let view = loop {
            let view = ok("live state", state::read(0))?;
            if view.waiters.len() == 1 || Instant::now() > deadline {
                break view;
            }
            thread::sleep(Duration::from_millis(10));
        };
        let owner = view.owner.ok_or("no owner in the view")?;
        check!(
            matches!(owner.client.who, state::Who::Process { pid, .. } if pid == me),
            "the owner is {owner:?}"
        );
        check!(view.waiters.len() == 1, "{} waiters", view.waiters.len());
        let w = &view.waiters[0];
        check!(w.asked == state::Asked::Allocate, "asked {:?}", w.asked);
        check!(
            w.timeout == Some(Duration::from_secs(10)),
            "timeout {:?}",
            w.timeout
        );
        check!(w.client.id != owner.client.id, "the waiter is the owner");
        drop(held);
        let granted = waiter
            .join()
            .map_err(|_| "the waiter panicked".to_string())?;
        ok("the waiter's ALLOCATE", granted)
    })
}

fn the_owner_drives_the_lines() -> Verdict {
    let a = ok("open", Port::open(0))?;
    let b = ok("open", Port::open(0))?;
    let owned = ok("ALLOCATE", a.allocate(None))?;
    ok("PPWDATA", owned.write_data(0x5a))?;
    check!(
        ok("PPRDATA", owned.read_data())? == 0x5a,
        "data did not read back"
    );
    let lines = control::SELECT | control::INIT;
    ok("PPWCONTROL", owned.write_control(lines))?;
    check!(
        ok("PPRCONTROL", owned.read_control())? == lines,
        "control did not read back"
    );
    ok("PPFCONTROL", owned.frob_control(control::SELECT, 0))?;
    check!(
        ok("PPRCONTROL", owned.read_control())? == control::INIT,
        "the frob changed more than SELECT"
    );
    ok("PPWCONTROL", owned.write_control(lines))?;
    // Reversed, QEMU's port reads its input latch: 0xff.
    ok("PPDATADIR", owned.data_direction(Direction::Reverse))?;
    check!(ok("PPRDATA", owned.read_data())? == 0xff, "reverse read");
    ok("PPDATADIR", owned.data_direction(Direction::Forward))?;
    check!(ok("PPRDATA", owned.read_data())? == 0x5a, "forward again");
    ok("PPNEGOT", owned.negotiate(Mode::COMPAT))?;
    check!(ok("PPGETMODE", a.mode())? == Mode::COMPAT, "mode");
    // The lines are the owner's: another client gets EPERM.
    let other = b.adopt();
    check!(
        matches!(other, Err(Error::NotOwner)),
        "another client adopted the port: {other:?}"
    );
    ok("FREE", owned.free())
}

/// Loads the simulated chain of 4 devices as parport2.
fn sim_load() -> Verdict {
    let status = Command::new("insmod")
        .args(["/lib/modules/parown_sim.ko", "devices=4"])
        .status()
        .map_err(|err| format!("insmod: {err}"))?;
    check!(status.success(), "insmod parown_sim: {status}");
    Ok(())
}

fn sim_unload() {
    let _ = Command::new("rmmod").arg("parown_sim").status();
}

fn sim_received(target: &str) -> String {
    std::fs::read_to_string(format!("/sys/kernel/debug/parown_sim/{target}")).unwrap_or_default()
}

fn locked_writes_reach_the_device() -> Verdict {
    sim_load()?;
    let verdict = (|| {
        let port = ok("open", Port::open(2))?;
        check!(
            ok("info", port.info())?.ieee1284_3_devices == 4,
            "no chain of 4"
        );
        let locked = ok("LOCK_PORT 2", port.lock(Device::Daisy(2), None))?;
        let n = ok("write", locked.write(b"to device 2"))?;
        check!(n == 11, "wrote {n}");
        let view = ok("live state", state::read(2))?;
        check!(
            view.selected == Some(Device::Daisy(2)),
            "selected {:?}",
            view.selected
        );
        ok("UNLOCK_PORT", locked.unlock())?;
        let got = sim_received("dev2");
        check!(got == "to device 2", "device 2 received {got:?}");
        let others = ["dev0", "dev1", "dev3", "eoc"].map(sim_received).concat();
        check!(others.is_empty(), "other devices received {others:?}");
        let view = ok("live state", state::read(2))?;
        check!(
            view.selected.is_none(),
            "still selected: {:?}",
            view.selected
        );
        Ok(())
    })();
    sim_unload();
    verdict
}

const TESTS: &[Test] = &[
    (
        "an allocation frees the port when dropped",
        allocation_frees_on_drop,
    ),
    (
        "an allocation frees the port while a panic unwinds",
        allocation_frees_on_panic,
    ),
    (
        "a lock unlocks when dropped and on panic, once",
        locked_unlocks_on_drop_and_on_panic,
    ),
    (
        "keep() leaves the port owned; FREE after is the owner's",
        keep_leaves_the_port_owned,
    ),
    (
        "errors are the contract's variants",
        errors_are_the_contracts,
    ),
    (
        "the live state names the owner and the waiter",
        live_state_shows_owner_and_waiter,
    ),
    (
        "the owner drives the lines, nobody else",
        the_owner_drives_the_lines,
    ),
    (
        "a locked device gets the writes, and only it",
        locked_writes_reach_the_device,
    ),
];

fn main() -> std::process::ExitCode {
    println!("KTAP version 1");
    println!("1..{}", TESTS.len());
    let mut failed = 0;
    for (i, (name, test)) in TESTS.iter().enumerate() {
        match test() {
            Ok(()) => println!("ok {} {name}", i + 1),
            Err(why) => {
                failed += 1;
                println!("# {why}");
                println!("not ok {} {name}", i + 1);
            }
        }
    }
    println!("# Totals: pass:{} fail:{failed}", TESTS.len() - failed);
    match failed {
        0 => std::process::ExitCode::SUCCESS,
        _ => std::process::ExitCode::FAILURE,
    }
}
