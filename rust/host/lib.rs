// SPDX-License-Identifier: GPL-2.0

//! Host build of parown's kernel-independent modules, for `cargo test`.
//!
//! These are the same source files the kernel module compiles; only what
//! needs no kernel crate can be here.

// The kernel calls more of these than the tests do.
#![allow(dead_code)]

#[path = "../ownership.rs"]
mod ownership;

#[path = "../wait_queue.rs"]
mod wait_queue;

/// The kernel's atomics, as host code: `loom`'s in `cargo test`.
#[path = "atomic.rs"]
mod atomic;

#[path = "../port/hw_claim.rs"]
mod hw_claim;

#[path = "../uapi.rs"]
mod uapi;

#[path = "../lines.rs"]
mod lines;

#[path = "../compat.rs"]
mod compat;

#[path = "../ieee1284_3.rs"]
mod ieee1284_3;

/// The model chain the simulated port uses, for the protocol tests.
#[cfg(test)]
#[path = "../../selftests/sim/chain.rs"]
mod chain;

/// The model chain as a port's lines, for the protocol tests.
#[cfg(test)]
mod chain_lines;

#[path = "../ieee1284.rs"]
mod ieee1284;

#[path = "../hw_transfer.rs"]
mod hw_transfer;

#[path = "../selection.rs"]
mod selection;

#[path = "../ppdev.rs"]
mod ppdev;

#[path = "../live_state.rs"]
mod live_state;
