// SPDX-License-Identifier: GPL-2.0

//! `lock PORT -- COMMAND`: the port locked for a device while COMMAND
//! runs, and unlocked after, however COMMAND ends.
//!
//! COMMAND is started with `posix_spawnp`, which puts the port on its
//! descriptor 3 and gives it an empty signal mask, while parownctl keeps
//! the signals it cares about blocked and takes them with `sigwait`: no
//! handler, no thread, no socket (a kernel without `CONFIG_NET` runs it
//! too), and no signal lost between the spawn and the wait.

use crate::{
    exit,
    inherited, //
};
use nix::{
    errno::Errno,
    fcntl::{
        fcntl,
        FcntlArg,
        FdFlag, //
    },
    spawn::{
        posix_spawnp,
        PosixSpawnAttr,
        PosixSpawnFileActions,
        PosixSpawnFlags, //
    },
    sys::{
        signal::{
            kill,
            signal,
            SigHandler,
            SigSet,
            Signal, //
        },
        wait::{
            waitpid,
            WaitPidFlag,
            WaitStatus, //
        },
    },
    unistd::Pid,
};
use parown::{
    Device,
    Error,
    Port, //
};
use std::{
    ffi::CString,
    os::{
        fd::{
            AsFd,
            AsRawFd, //
        },
        unix::ffi::OsStrExt,
    },
    process::ExitCode,
    time::Duration,
};

/// COMMAND could not be run.
const CANNOT_RUN: u8 = 126;
/// COMMAND was not found.
const NOT_FOUND: u8 = 127;

/// Locks `device` of port `number`, runs `command` with the port as
/// descriptor 3, gives the port back, and exits as `command` did.
pub fn run(
    port: &Port,
    number: u32,
    device: Device,
    timeout: Option<Duration>,
    command: &[String],
) -> ExitCode {
    let locked = match port.lock(device, timeout) {
        Ok(locked) => locked,
        Err(err) => return exit::fail("lock", &err),
    };
    let status = run_command(port, number, device, command);
    // COMMAND may have unlocked already (`parownctl unlock`), or freed
    // the port, or the port went away: give back only what this client
    // still owns.
    let owned = match port.info() {
        Ok(info) => info.owned_by_me,
        Err(Error::Gone) => false,
        Err(_) => true,
    };
    if !owned {
        locked.keep();
    } else if let Err(err) = locked.unlock() {
        // UNLOCK refuses a device COMMAND locked in its place.
        match port.free() {
            Ok(()) | Err(Error::Gone) => {}
            Err(_) => return exit::fail("unlock", &err),
        }
    }
    status
}

/// The signals parownctl takes while COMMAND runs.
fn taken() -> SigSet {
    let mut set = SigSet::empty();
    for sig in [
        Signal::SIGCHLD,
        Signal::SIGTERM,
        Signal::SIGHUP,
        Signal::SIGINT,
        Signal::SIGQUIT,
    ] {
        set.add(sig);
    }
    set
}

/// `text` as C wants it; a NUL in it is EINVAL.
fn c_string(text: impl Into<Vec<u8>>) -> nix::Result<CString> {
    CString::new(text).map_err(|_| Errno::EINVAL)
}

/// COMMAND's environment: parownctl's, with the port's variables.
fn environment(number: u32, device: Device) -> nix::Result<Vec<CString>> {
    let ours = inherited::env(number, device);
    let mut env = Vec::new();
    for (key, value) in std::env::vars_os() {
        if ours
            .iter()
            .all(|(name, _)| key.as_bytes() != name.as_bytes())
        {
            let mut pair = key.as_bytes().to_vec();
            pair.push(b'=');
            pair.extend_from_slice(value.as_bytes());
            env.push(c_string(pair)?);
        }
    }
    for (name, value) in ours {
        env.push(c_string(format!("{name}={value}"))?);
    }
    Ok(env)
}

/// Starts COMMAND: the port on descriptor 3, the default action for
/// SIGPIPE (which Rust programs ignore), and no signal blocked.
fn spawn(port: &Port, number: u32, device: Device, command: &[String]) -> nix::Result<Pid> {
    let args = command
        .iter()
        .map(|arg| c_string(arg.as_str()))
        .collect::<nix::Result<Vec<_>>>()?;
    let program = args.first().ok_or(Errno::EINVAL)?;
    // A copy of the port's file: never descriptor 3 itself unless 3 was
    // free, so the dup2 below always clears close-on-exec.
    let copy = port
        .as_fd()
        .try_clone_to_owned()
        .map_err(|_| Errno::EMFILE)?;
    let mut actions = PosixSpawnFileActions::init()?;
    if copy.as_raw_fd() == inherited::FD {
        fcntl(&copy, FcntlArg::F_SETFD(FdFlag::empty()))?;
    } else {
        actions.add_dup2(copy.as_raw_fd(), inherited::FD)?;
    }
    let mut attr = PosixSpawnAttr::init()?;
    let mut sigpipe = SigSet::empty();
    sigpipe.add(Signal::SIGPIPE);
    attr.set_sigdefault(&sigpipe)?;
    attr.set_sigmask(&SigSet::empty())?;
    attr.set_flags(
        PosixSpawnFlags::POSIX_SPAWN_SETSIGDEF | PosixSpawnFlags::POSIX_SPAWN_SETSIGMASK,
    )?;
    posix_spawnp(
        program,
        &actions,
        &attr,
        &args,
        &environment(number, device)?,
    )
}

fn run_command(port: &Port, number: u32, device: Device, command: &[String]) -> ExitCode {
    let program = command.first().map_or("", String::as_str);
    // An inherited ignored SIGCHLD would have the kernel reap COMMAND
    // itself, and waitpid() find no child to report COMMAND's status.
    // SAFETY: the default action installs no handler: nothing runs in
    // signal context.
    if let Err(err) = unsafe { signal(Signal::SIGCHLD, SigHandler::SigDfl) } {
        return exit::fail("signals", &Error::from(err));
    }
    let signals = taken();
    // Blocked before the spawn so that none is lost.
    let mut old = SigSet::empty();
    if let Err(err) = nix::sys::signal::pthread_sigmask(
        nix::sys::signal::SigmaskHow::SIG_BLOCK,
        Some(&signals),
        Some(&mut old),
    ) {
        return exit::fail("signals", &Error::from(err));
    }
    let status = match spawn(port, number, device, command) {
        Ok(pid) => wait(pid, &signals),
        Err(err) => {
            eprintln!("parownctl: {program}: {}", std::io::Error::from(err));
            ExitCode::from(match err {
                Errno::ENOENT => NOT_FOUND,
                _ => CANNOT_RUN,
            })
        }
    };
    let _ = old.thread_set_mask();
    status
}

/// Waits for COMMAND: SIGTERM and SIGHUP go on to it; SIGINT and SIGQUIT,
/// which the terminal sends to COMMAND itself, are dropped.
fn wait(pid: Pid, signals: &SigSet) -> ExitCode {
    loop {
        match waitpid(pid, Some(WaitPidFlag::WNOHANG)) {
            Ok(WaitStatus::Exited(_, code)) => return ExitCode::from(code as u8),
            Ok(WaitStatus::Signaled(_, sig, _)) => {
                return ExitCode::from(128u8.wrapping_add(sig as u8))
            }
            Ok(_) => {}
            Err(err) => return exit::fail("wait", &Error::from(err)),
        }
        match signals.wait() {
            Ok(sig @ (Signal::SIGTERM | Signal::SIGHUP)) => {
                let _ = kill(pid, sig);
            }
            Ok(_) => {}
            Err(err) => return exit::fail("sigwait", &Error::from(err)),
        }
    }
}
