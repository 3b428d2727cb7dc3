// SPDX-License-Identifier: GPL-2.0

//! The only part of parown that touches C.
//!
//! Everything `unsafe` in the module lives under this module: the
//! declarations of the C glue in `parown_glue.c` and the safe types built on
//! them. The rest of the crate is safe Rust on top of these types.

pub(crate) mod api;
mod ffi;
pub(crate) mod misc;
pub(crate) mod pardevice;
pub(crate) mod parport;
pub(crate) mod work;
