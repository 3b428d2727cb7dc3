// SPDX-License-Identifier: GPL-2.0

//! parownctl's command line: one definition for the parser, `--help`, the
//! man pages and the shell completions.

use clap::{
    Args,
    Parser,
    Subcommand, //
};
use parown::Device;
use std::{
    path::PathBuf,
    time::Duration, //
};

const EXIT_STATUS: &str = "\
Exit status:
  0    success
  1    any other failure (the message says which)
  2    bad command line
  3    timed out waiting for the port (ETIMEDOUT)
  4    the port is busy: owned or waited for, with --no-wait (EAGAIN)
  5    permission denied: the node, or the live state (EACCES)
  6    absent: no such port, the port went away, or no such device on its
       chain (ENOENT, ENODEV, ENXIO)
`lock ... -- COMMAND` exits with COMMAND's status instead, 128+N if a
signal N ended it, 126 if it could not be run and 127 if it was not found.

Environment:
  PAROWN_FD, PAROWN_PORT, PAROWN_DEVICE
       set by `lock` for its command: the locked port's open file (always
       descriptor 3), its number and the device locked. parownctl run by that
       command uses the locked port through them, as the same client.

A client of a port is one open file, so a port held by parownctl is given
back when parownctl ends, however it ends. `lock` gives it back once
COMMAND has ended, even if processes COMMAND left behind still hold
descriptor 3 (if parownctl itself is killed: when the last of them closes
it). The live state (`status`, `watch`) is in debugfs, which only root
can read; without it, `status` shows what GET_PORT_INFO tells everyone.
See Documentation/parown.rst.";

/// Show, hold, lock and write parown's parallel ports (/dev/parownN).
#[derive(Debug, Parser)]
#[command(name = "parownctl", version, after_long_help = EXIT_STATUS)]
pub struct Cli {
    /// Print JSON instead of text (one document; `watch`: one per line).
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Every port (or those named): owner, waiters in queue order, the
    /// other drivers in the parport core, the daisy chain, the counters.
    Status {
        /// Port numbers (N of /dev/parownN); none: every port.
        ports: Vec<u32>,
    },
    /// `status`, refreshed until interrupted.
    Watch {
        /// Port numbers; none: every port.
        ports: Vec<u32>,
        /// Milliseconds between refreshes.
        #[arg(short, long, value_name = "MS", default_value_t = 1000)]
        interval: u64,
        /// Stop after this many views (0: never).
        #[arg(short = 'n', long, default_value_t = 0)]
        count: u64,
    },
    /// One line about the port: addresses, IRQ, DMA, modes, chain, owned.
    Info {
        /// Port number.
        port: u32,
    },
    /// How many clients wait for the port.
    Waiters {
        /// Port number.
        port: u32,
    },
    /// Allocate the port, print "held", hold it, free it.
    Hold {
        /// Port number.
        port: u32,
        /// How long to hold it, in milliseconds; none: until killed (the
        /// port is freed when parownctl exits, however it exits).
        ms: Option<u64>,
        #[command(flatten)]
        wait: Wait,
    },
    /// Allocate the port (or lock a device), write TEXT, give it back.
    Write {
        /// Port number.
        port: u32,
        /// What to write; none or "-": standard input, read to its end
        /// before the port is asked for.
        text: Option<String>,
        /// Lock this device for the write: its address on the IEEE 1284.3
        /// chain (0-3) or "eoc", the device at the end of the chain.
        #[arg(short, long, value_parser = parse_device, conflicts_with = "no_wait")]
        device: Option<Device>,
        #[command(flatten)]
        wait: Wait,
    },
    /// Lock the port for a device, run COMMAND, unlock it after, whatever
    /// COMMAND does.
    #[command(after_long_help = "\
COMMAND gets the locked port as descriptor 3 (PAROWN_FD=3, PAROWN_PORT,
PAROWN_DEVICE): what it writes there goes to the device, and parownctl
run by it (`parownctl write`, `parownctl unlock`) uses the locked port as
the same client. A program that opens /dev/parownN itself is another
client: it waits until COMMAND has ended. SIGTERM and SIGHUP are passed
on to COMMAND; SIGINT and SIGQUIT, which the terminal sends to COMMAND
itself, are not.")]
    Lock {
        /// Port number.
        port: u32,
        /// The device: its address on the IEEE 1284.3 chain (0-3) or "eoc",
        /// the device at the end of the chain (the peripheral itself on a
        /// port without a chain).
        #[arg(short, long, value_parser = parse_device, default_value = "eoc")]
        device: Device,
        /// Milliseconds to wait for the port (0: no limit).
        #[arg(short, long, value_name = "MS", default_value_t = 0)]
        timeout: u32,
        /// The command and its arguments.
        #[arg(last = true, required = true, value_name = "COMMAND")]
        command: Vec<String>,
    },
    /// Unlock the port `lock` passed down to this command, before the
    /// command ends.
    Unlock {
        /// Port number (default: PAROWN_PORT).
        port: Option<u32>,
    },
    /// The IEEE 1284.3 daisy chain: each device and the end-of-chain
    /// device, with its IEEE 1284 Device ID ("-" and why for none).
    Chain {
        /// Port number.
        port: u32,
        /// Milliseconds to wait for the port, for each device (0: no limit).
        #[arg(short, long, value_name = "MS", default_value_t = 0)]
        timeout: u32,
    },
    /// Print a shell's completions for parownctl.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Write parownctl's man pages into DIR (for packaging).
    #[command(hide = true)]
    Man {
        /// The directory.
        dir: PathBuf,
    },
}

/// How to wait for the port.
#[derive(Debug, Args)]
pub struct Wait {
    /// Milliseconds to wait for the port (0: no limit).
    #[arg(short, long, value_name = "MS", default_value_t = 0)]
    pub timeout: u32,
    /// Do not wait: fail with "busy" if the port is owned or waited for.
    #[arg(long, conflicts_with = "timeout")]
    pub no_wait: bool,
}

/// The wait `-t MS` asks for: `None` (no limit) for 0.
pub fn limit(ms: u32) -> Option<Duration> {
    (ms > 0).then(|| Duration::from_millis(ms.into()))
}

/// A device as the command line names it: "0"-"3" or "eoc".
fn parse_device(text: &str) -> Result<Device, String> {
    match text {
        "eoc" | "end-of-chain" => Ok(Device::EndOfChain),
        addr => match addr.parse() {
            Ok(n @ 0..=3) => Ok(Device::Daisy(n)),
            _ => Err("a daisy-chain address 0-3, or eoc".into()),
        },
    }
}

/// How the environment and the output name a device.
pub fn device_name(device: Device) -> String {
    match device {
        Device::Daisy(addr) => addr.to_string(),
        Device::EndOfChain => "eoc".into(),
    }
}

/// `device_name`'s inverse, for PAROWN_DEVICE.
pub fn device_from_name(text: &str) -> Option<Device> {
    parse_device(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_definitions_hold_together() {
        Cli::command().debug_assert();
    }

    #[test]
    fn devices_are_an_address_or_eoc() {
        assert_eq!(parse_device("0"), Ok(Device::Daisy(0)));
        assert_eq!(parse_device("3"), Ok(Device::Daisy(3)));
        assert_eq!(parse_device("eoc"), Ok(Device::EndOfChain));
        assert_eq!(parse_device("end-of-chain"), Ok(Device::EndOfChain));
        for bad in ["4", "-1", "x", ""] {
            assert!(parse_device(bad).is_err(), "{bad} accepted");
        }
        for d in [Device::Daisy(2), Device::EndOfChain] {
            assert_eq!(device_from_name(&device_name(d)), Some(d));
        }
    }

    #[test]
    fn lock_needs_a_command_and_json_goes_anywhere() {
        assert!(Cli::try_parse_from(["parownctl", "lock", "0"]).is_err());
        let cli = Cli::try_parse_from(["parownctl", "lock", "0", "-d", "2", "--", "x", "-y"])
            .expect("a lock with a command");
        match cli.command {
            Command::Lock {
                device, command, ..
            } => {
                assert_eq!(device, Device::Daisy(2));
                assert_eq!(command, ["x", "-y"]);
            }
            other => panic!("{other:?}"),
        }
        let cli = Cli::try_parse_from(["parownctl", "status", "--json"]).expect("status");
        assert!(cli.json);
        assert!(
            Cli::try_parse_from(["parownctl", "write", "0", "x", "-d", "1", "--no-wait"]).is_err()
        );
    }
}
