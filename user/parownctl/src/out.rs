// SPDX-License-Identifier: GPL-2.0

//! Standard output without panics: `println!` panics when the write fails
//! (a closed pipe, a full disk), which would end parownctl with status 101
//! and, for `hold`, give the port back early. Here a failed write is an
//! error like any other (exit status 1).

use parown::{
    Error,
    Result, //
};
use std::io::Write;

/// Writes `args` and a newline to standard output, and flushes it.
pub fn line(args: std::fmt::Arguments<'_>) -> Result<()> {
    text(format_args!("{args}\n"))
}

/// Writes `args` to standard output, and flushes it.
pub fn text(args: std::fmt::Arguments<'_>) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_fmt(args)
        .and_then(|()| out.flush())
        .map_err(Error::from)
}

/// `println!`, failing instead of panicking.
macro_rules! outln {
    () => {
        $crate::out::text(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::out::line(format_args!($($arg)*))
    };
}

/// `print!`, failing instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::out::text(format_args!($($arg)*))
    };
}

pub(crate) use out;
pub(crate) use outln;
