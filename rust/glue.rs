// SPDX-License-Identifier: GPL-2.0

//! The only part of parown that touches C.
//!
//! The declarations of the C glue in `parown_glue.c` and the safe types
//! built on them: the parport binding the kernel crate lacks ([`parport`],
//! [`pardevice`], [`ffi`]), and three small gaps in the kernel crate, kept
//! apart so that they could go upstream: misc devices that carry data for
//! their `open` ([`misc`]), flushing a work item ([`work`]) and
//! `cond_resched()` ([`sched`]).
//!
//! This layer imports nothing from the rest of the crate. Everything
//! `unsafe` lives here, except the in-kernel API's C entry points
//! ([`crate::api`]), whose callers' pointers are checked there; the rest
//! of the crate is safe Rust on top of these types.

mod ffi;
pub(crate) mod misc;
pub(crate) mod pardevice;
pub(crate) mod parport;
pub(crate) mod sched;
pub(crate) mod work;
