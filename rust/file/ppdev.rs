// SPDX-License-Identifier: GPL-2.0

//! ppdev's ioctls on `/dev/parownN` (`include/uapi/linux/ppdev.h`), with
//! ppdev's numbers and argument layouts, decoded into requests of the
//! client's port. `Documentation/parown.rst` compares each with ppdev's.

use super::{
    decodes_with_type,
    NONE,
    READ,
    WRITE, //
};
use crate::{
    client::Client,
    port::Direction,
    request::Timeout,
    uapi::ppdev as pp, //
};
use kernel::{
    prelude::*,
    uaccess::{
        UserPtr,
        UserSlice, //
    }, //
};

/// Whether `cmd` decodes to direction `dir`, ppdev's type byte, number
/// `nr` and argument size `size`.
const fn decodes_to(cmd: u32, dir: u32, nr: u32, size: usize) -> bool {
    decodes_with_type(cmd, dir, pp::IOC_MAGIC, nr, size)
}

/// Evaluated at build time where [`ioctl`] names it; see the parent's
/// `ABI_NUMBERS_MATCH_THE_HEADER`.
const PPDEV_NUMBERS_MATCH_THE_HEADER: () = {
    assert!(decodes_to(pp::SETMODE, WRITE, 0x80, 4));
    assert!(decodes_to(pp::RSTATUS, READ, 0x81, 1));
    assert!(decodes_to(pp::RCONTROL, READ, 0x83, 1));
    assert!(decodes_to(pp::WCONTROL, WRITE, 0x84, 1));
    assert!(decodes_to(pp::RDATA, READ, 0x85, 1));
    assert!(decodes_to(pp::WDATA, WRITE, 0x86, 1));
    assert!(decodes_to(pp::CLAIM, NONE, 0x8b, 0));
    assert!(decodes_to(pp::RELEASE, NONE, 0x8c, 0));
    assert!(decodes_to(pp::YIELD, NONE, 0x8d, 0));
    assert!(decodes_to(pp::FCONTROL, WRITE, 0x8e, 2));
    assert!(decodes_to(pp::EXCL, NONE, 0x8f, 0));
    assert!(decodes_to(pp::DATADIR, WRITE, 0x90, 4));
    assert!(decodes_to(pp::NEGOT, WRITE, 0x91, 4));
    assert!(decodes_to(pp::WCTLONIRQ, WRITE, 0x92, 1));
    assert!(decodes_to(pp::CLRIRQ, READ, 0x93, 4));
    assert!(decodes_to(pp::SETPHASE, WRITE, 0x94, 4));
    assert!(decodes_to(pp::GETTIME32, READ, 0x95, 8));
    assert!(decodes_to(pp::SETTIME32, WRITE, 0x96, 8));
    assert!(decodes_to(pp::GETTIME64, READ, 0x95, 16));
    assert!(decodes_to(pp::SETTIME64, WRITE, 0x96, 16));
    assert!(decodes_to(pp::GETMODES, READ, 0x97, 4));
    assert!(decodes_to(pp::GETMODE, READ, 0x98, 4));
    assert!(decodes_to(pp::GETPHASE, READ, 0x99, 4));
    assert!(decodes_to(pp::GETFLAGS, READ, 0x9a, 4));
    assert!(decodes_to(pp::SETFLAGS, WRITE, 0x9b, 4));
};

/// Decodes one of ppdev's ioctls into a request of `client`.
pub(super) fn ioctl(client: &Client, cmd: u32, arg: UserPtr) -> Result<isize> {
    #[allow(clippy::let_unit_value)]
    let () = PPDEV_NUMBERS_MATCH_THE_HEADER;
    client.on_port(|port, me| {
        match cmd {
            pp::CLAIM => port.allocate(me, Timeout::Never)?,
            pp::RELEASE => port.free(me)?,
            pp::YIELD => port.yield_port(me)?,
            pp::EXCL => port.exclusive(me)?,

            pp::RSTATUS => write_out(arg, &port.read_status(me)?)?,
            pp::RDATA => write_out(arg, &port.read_data(me)?)?,
            pp::RCONTROL => write_out(arg, &port.read_control(me)?)?,
            pp::WDATA => port.write_data(me, read_in::<u8>(arg)?)?,
            pp::WCONTROL => port.write_control(me, read_in::<u8>(arg)?)?,
            pp::FCONTROL => {
                let [mask, val] = read_in::<[u8; 2]>(arg)?;
                port.frob_control(me, mask, val)?;
            }
            pp::DATADIR => {
                let dir = match read_in::<i32>(arg)? {
                    0 => Direction::Forward,
                    _ => Direction::Reverse,
                };
                port.set_data_direction(me, dir)?;
            }

            pp::NEGOT => port.negotiate(me, read_in::<i32>(arg)?)?,
            pp::SETMODE => port.set_mode(me, read_in::<i32>(arg)?)?,
            pp::GETMODE => write_out(arg, &port.mode(me)?)?,
            pp::SETPHASE => port.set_phase(me, read_in::<i32>(arg)?)?,
            pp::GETPHASE => write_out(arg, &port.phase(me)?)?,
            pp::GETMODES => write_out(arg, &port.info().modes)?,
            pp::SETFLAGS => port.set_flags(me, read_in::<i32>(arg)?)?,
            pp::GETFLAGS => write_out(arg, &port.flags(me)?)?,

            pp::WCTLONIRQ => port.control_on_irq(me, read_in::<u8>(arg)?)?,
            pp::CLRIRQ => {
                // Taking the count loses it: check first that it can be
                // written.
                write_out(arg, &0i32)?;
                let n = port.take_irqs(me)?;
                write_out(arg, &i32::try_from(n).unwrap_or(i32::MAX))?;
            }
            pp::SETTIME32 => {
                let [sec, usec] = read_in::<[i32; 2]>(arg)?;
                port.set_timeout(me, i64::from(sec), i64::from(usec))?;
            }
            pp::SETTIME64 => {
                let [sec, usec] = read_in::<[i64; 2]>(arg)?;
                port.set_timeout(me, sec, usec)?;
            }
            pp::GETTIME32 => {
                let (sec, usec) = port.timeout(me)?;
                // A timeout set through PPSETTIME32 fits; the longest one
                // set through PPSETTIME64 is capped.
                let sec = i32::try_from(sec).unwrap_or(i32::MAX);
                let usec = i32::try_from(usec).unwrap_or(0);
                write_out(arg, &[sec, usec])?;
            }
            pp::GETTIME64 => {
                let (sec, usec) = port.timeout(me)?;
                write_out(arg, &[sec, usec])?;
            }
            _ => return Err(ENOTTY),
        }
        Ok(0)
    })
}

/// Reads an ioctl's argument of type `T` from user space.
fn read_in<T: kernel::transmute::FromBytes>(arg: UserPtr) -> Result<T> {
    UserSlice::new(arg, core::mem::size_of::<T>())
        .reader()
        .read::<T>()
}

/// Writes an ioctl's result to user space.
fn write_out<T: kernel::transmute::AsBytes>(arg: UserPtr, value: &T) -> Result {
    UserSlice::new(arg, core::mem::size_of::<T>())
        .writer()
        .write(value)
}
