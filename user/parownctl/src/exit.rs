// SPDX-License-Identifier: GPL-2.0

//! parownctl's exit statuses (the man page's "Exit status", in `cli.rs`):
//! a script tells a timeout, a busy port, a refusal and an absent port
//! apart without parsing messages.

use parown::Error;
use std::process::ExitCode;

/// Any other failure.
pub const FAILURE: u8 = 1;
/// The wait for the port ran out.
pub const TIMED_OUT: u8 = 3;
/// The port is owned or waited for (`--no-wait`).
pub const BUSY: u8 = 4;
/// The node or the live state refused the caller.
pub const PERMISSION: u8 = 5;
/// No such port, or device; or the port went away.
pub const ABSENT: u8 = 6;

/// The exit status for a failed request.
pub fn status(err: &Error) -> u8 {
    match err {
        Error::TimedOut => TIMED_OUT,
        Error::Busy => BUSY,
        Error::PermissionDenied => PERMISSION,
        Error::Gone | Error::NoSuchDevice => ABSENT,
        _ => FAILURE,
    }
}

/// Reports `err` on standard error, as "parownctl: WHAT: ERR", and gives
/// its exit status.
pub fn fail(what: &str, err: &Error) -> ExitCode {
    eprintln!("parownctl: {what}: {err}");
    ExitCode::from(status(err))
}

/// Reports that `/dev/parown<number>` could not be opened.
pub fn open_failed(number: u32, err: &Error) -> ExitCode {
    match err {
        Error::Gone => {
            eprintln!("parownctl: /dev/parown{number}: no such port");
            ExitCode::from(ABSENT)
        }
        _ => fail(&format!("/dev/parown{number}"), err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_documented_status_has_its_errors() {
        assert_eq!(status(&Error::TimedOut), TIMED_OUT);
        assert_eq!(status(&Error::Busy), BUSY);
        assert_eq!(status(&Error::PermissionDenied), PERMISSION);
        assert_eq!(status(&Error::Gone), ABSENT);
        assert_eq!(status(&Error::NoSuchDevice), ABSENT);
        for other in [Error::NotOwner, Error::Interrupted, Error::AlreadyOwner] {
            assert_eq!(status(&other), FAILURE, "{other:?}");
        }
        // The statuses the man page gives.
        assert_eq!(
            [FAILURE, TIMED_OUT, BUSY, PERMISSION, ABSENT],
            [1, 3, 4, 5, 6]
        );
    }
}
