// SPDX-License-Identifier: GPL-2.0

//! ppdev's ioctl numbers (`include/uapi/linux/ppdev.h`), which
//! `/dev/parownN` answers too, encoded like parown's own (see the parent
//! module).
//!
//! `PPGETTIME` and `PPSETTIME` take a `struct timeval`, whose size depends
//! on the process: two 32-bit words for a 32-bit process with a 32-bit
//! `time_t`, two 64-bit words otherwise. The size is part of the ioctl
//! number, so each form has its own number, as in ppdev.c.

use super::{
    _IO,
    _IOR,
    _IOW, //
};

/// `PP_IOCTL`, ppdev's type byte.
pub(crate) const IOC_MAGIC: u32 = b'p' as u32;

/// `PPSETMODE`.
pub(crate) const SETMODE: u32 = _IOW::<i32>(IOC_MAGIC, 0x80);
/// `PPRSTATUS`.
pub(crate) const RSTATUS: u32 = _IOR::<u8>(IOC_MAGIC, 0x81);
/// `PPRCONTROL`.
pub(crate) const RCONTROL: u32 = _IOR::<u8>(IOC_MAGIC, 0x83);
/// `PPWCONTROL`.
pub(crate) const WCONTROL: u32 = _IOW::<u8>(IOC_MAGIC, 0x84);
/// `PPRDATA`.
pub(crate) const RDATA: u32 = _IOR::<u8>(IOC_MAGIC, 0x85);
/// `PPWDATA`.
pub(crate) const WDATA: u32 = _IOW::<u8>(IOC_MAGIC, 0x86);
/// `PPCLAIM`.
pub(crate) const CLAIM: u32 = _IO(IOC_MAGIC, 0x8b);
/// `PPRELEASE`.
pub(crate) const RELEASE: u32 = _IO(IOC_MAGIC, 0x8c);
/// `PPYIELD`.
pub(crate) const YIELD: u32 = _IO(IOC_MAGIC, 0x8d);
/// `PPFCONTROL`, with a `struct ppdev_frob_struct` (mask, value).
pub(crate) const FCONTROL: u32 = _IOW::<[u8; 2]>(IOC_MAGIC, 0x8e);
/// `PPEXCL`.
pub(crate) const EXCL: u32 = _IO(IOC_MAGIC, 0x8f);
/// `PPDATADIR`.
pub(crate) const DATADIR: u32 = _IOW::<i32>(IOC_MAGIC, 0x90);
/// `PPNEGOT`.
pub(crate) const NEGOT: u32 = _IOW::<i32>(IOC_MAGIC, 0x91);
/// `PPWCTLONIRQ`.
pub(crate) const WCTLONIRQ: u32 = _IOW::<u8>(IOC_MAGIC, 0x92);
/// `PPCLRIRQ`.
pub(crate) const CLRIRQ: u32 = _IOR::<i32>(IOC_MAGIC, 0x93);
/// `PPSETPHASE`.
pub(crate) const SETPHASE: u32 = _IOW::<i32>(IOC_MAGIC, 0x94);
/// `PPGETTIME` with a 32-bit `struct timeval`.
pub(crate) const GETTIME32: u32 = _IOR::<[i32; 2]>(IOC_MAGIC, 0x95);
/// `PPSETTIME` with a 32-bit `struct timeval`.
pub(crate) const SETTIME32: u32 = _IOW::<[i32; 2]>(IOC_MAGIC, 0x96);
/// `PPGETTIME` with a 64-bit `struct timeval`.
pub(crate) const GETTIME64: u32 = _IOR::<[i64; 2]>(IOC_MAGIC, 0x95);
/// `PPSETTIME` with a 64-bit `struct timeval`.
pub(crate) const SETTIME64: u32 = _IOW::<[i64; 2]>(IOC_MAGIC, 0x96);
/// `PPGETMODES`.
pub(crate) const GETMODES: u32 = _IOR::<u32>(IOC_MAGIC, 0x97);
/// `PPGETMODE`.
pub(crate) const GETMODE: u32 = _IOR::<i32>(IOC_MAGIC, 0x98);
/// `PPGETPHASE`.
pub(crate) const GETPHASE: u32 = _IOR::<i32>(IOC_MAGIC, 0x99);
/// `PPGETFLAGS`.
pub(crate) const GETFLAGS: u32 = _IOR::<i32>(IOC_MAGIC, 0x9a);
/// `PPSETFLAGS`.
pub(crate) const SETFLAGS: u32 = _IOW::<i32>(IOC_MAGIC, 0x9b);
