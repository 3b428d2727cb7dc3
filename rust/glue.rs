// SPDX-License-Identifier: GPL-2.0

//! The only part of parown that touches C.
//!
//! The declarations of the C glue in `parown_glue.c` and the safe types
//! built on them: the parport binding the kernel crate lacks ([`parport`],
//! [`pardevice`], [`ffi`]), and the small gaps in the kernel crate, kept
//! apart so that they could go upstream: misc devices that carry data for
//! their `open` ([`misc`]), flushing a work item ([`work`]),
//! `cond_resched()` ([`sched`]), jiffies as `struct timeval` and the
//! monotonic clock ([`time`]); and parown's trace events ([`trace`]),
//! which only C can define.
//!
//! This layer imports nothing from the rest of the crate, and everything
//! `unsafe` lives here: the parport binding, the misc device gaps, and the
//! C side of the in-kernel API ([`c_api`]), whose entry points check their
//! callers' pointers and call a safe trait. The rest of the crate is safe
//! Rust on top of these types.

pub(crate) mod c_api;
pub(crate) mod debugfs;
mod ffi;
pub(crate) mod misc;
pub(crate) mod pardevice;
pub(crate) mod parport;
pub(crate) mod pid;
pub(crate) mod sched;
pub(crate) mod time;
pub(crate) mod trace;
pub(crate) mod work;
