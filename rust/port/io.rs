// SPDX-License-Identifier: GPL-2.0

//! An owner's I/O on its port: the compatibility-mode write, and the lines
//! of the held port that the device requests drive too.
//!
//! A write copies each chunk before it takes the port's lines, and drives
//! them without the port's mutex, with `on_wire` set so that removal waits
//! for the byte being strobed. Between chunks it stops for a signal and
//! lets other tasks run, as `lp` does: a peripheral that is always ready
//! never makes it wait, and so never makes it look at signals or sleep.

use super::{
    held_lines::HeldLines,
    ClientRef,
    Port,
    PortState, //
};
use crate::{
    compat::{
        self,
        Short, //
    },
    glue::{
        pardevice::Pardevice,
        sched, //
    },
    kernel_compat::code,
    lines::Stop, //
};
use kernel::{
    current,
    prelude::*, //
};

/// The size of the bounce buffer writes go through.
const WRITE_CHUNK: usize = 256;

impl Port {
    /// The lines of the port, which a client owns (port mutex held).
    pub(super) fn lines<'a>(&'a self, st: &'a PortState) -> Result<HeldLines<'a>> {
        let pardev = st.pardev.as_ref().ok_or(ENODEV)?;
        Ok(HeldLines::new(pardev.device(), &self.removing))
    }

    /// Writes `len` bytes, taken from `source` a chunk at a time, to the
    /// port in compatibility mode, within the owner `me`'s use of the port
    /// (see [`Port::write`], which puts the port in compatibility mode
    /// first). Returns the number of bytes the peripheral took; `source`
    /// returns how many bytes it put in the buffer, never 0. A pending
    /// signal, or `parown_cancel()`, ends the write between chunks, with
    /// the count so far.
    ///
    /// With `nonblocking` (`O_NONBLOCK`), the write sleeps for nothing: a
    /// peripheral still busy after the first polls ends it, with the count
    /// so far or `EAGAIN`.
    pub(super) fn write_compat(
        &self,
        me: &ClientRef,
        len: usize,
        nonblocking: bool,
        source: &mut impl FnMut(&mut [u8]) -> Result<usize>,
    ) -> Result<usize> {
        let mut done = 0;
        let mut result = Ok(());
        let mut buf = [0u8; WRITE_CHUNK];
        while done < len {
            // Copy before taking the port: a page fault on user memory may
            // take any time, and removal must not wait for it.
            let want = (len - done).min(WRITE_CHUNK);
            let got = match source(&mut buf[..want]) {
                Ok(got) => got,
                Err(e) => {
                    result = Err(e);
                    break;
                }
            };
            let (wrote, short) = match self.put_on_wire(&buf[..got], nonblocking) {
                Ok(put) => put,
                Err(e) => {
                    result = Err(e);
                    break;
                }
            };
            done += wrote;
            if let Some(short) = short {
                result = Err(short.into());
                break;
            }
            if done < len {
                // A fatal signal too: the write must not outlast SIGKILL.
                if current!().signal_pending() {
                    result = Err(Short::Waiting(Stop::Signal).into());
                    break;
                }
                // `parown_cancel()` of an in-kernel client, likewise.
                if me.is_cancelled() {
                    result = Err(code::ecanceled());
                    break;
                }
                sched::cond_resched();
            }
        }

        // Bytes that left the port are reported even if the rest failed.
        match result {
            Err(e) if done == 0 => Err(e),
            _ => Ok(done),
        }
    }

    /// Sends one chunk of the owner's write, unless the port went away;
    /// without sleeping for a busy peripheral if `nonblocking`.
    fn put_on_wire(
        &self,
        bytes: &[u8],
        nonblocking: bool,
    ) -> Result<(usize, Option<compat::Short>)> {
        self.on_wire(|dev| {
            let mut lines = HeldLines::new(dev, &self.removing);
            if nonblocking {
                lines = lines.without_sleeping();
            }
            compat::write(&mut lines, bytes)
        })
    }

    /// Runs `io` on the held port's pardevice without the port's mutex,
    /// with `on_wire` set so that removal waits for it to end; `ENODEV` if
    /// the port has gone. The caller is the owner, within a use of the
    /// port.
    pub(super) fn on_wire<R>(&self, io: impl FnOnce(&Pardevice) -> R) -> Result<R> {
        let pardev = {
            let mut st = self.lock_state();
            if st.own.is_gone() {
                return Err(ENODEV);
            }
            let pardev = st.pardev.clone().ok_or(ENODEV)?;
            st.on_wire = true;
            pardev
        };
        let result = io(pardev.device());
        // Gone before `on_wire` is, so that removal drops the last
        // reference and unregisters the pardevice itself.
        drop(pardev);
        self.lock_state().on_wire = false;
        self.io_done.notify_all();
        Ok(result)
    }
}
