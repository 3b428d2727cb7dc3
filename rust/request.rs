// SPDX-License-Identifier: GPL-2.0

//! Requests as a port takes them.
//!
//! The two front doors, the ioctls of `/dev/parownN` ([`crate::file`]) and
//! the in-kernel API ([`crate::api`]), decode their own representations
//! into these, so that the port never sees an ABI structure.

/// How long a request waits for the port at most.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Timeout {
    /// As long as it takes.
    Never,
    /// This many milliseconds, never 0.
    Ms(u32),
}

impl Timeout {
    /// The ABI's timeout: milliseconds, 0 for no limit.
    pub(crate) fn from_ms(ms: u32) -> Self {
        if ms == 0 {
            Self::Never
        } else {
            Self::Ms(ms)
        }
    }

    /// The timeout in milliseconds, `None` for none.
    pub(crate) fn ms(self) -> Option<u32> {
        match self {
            Self::Never => None,
            Self::Ms(ms) => Some(ms),
        }
    }
}

/// A request for a device on the port's chain: LOCK_PORT, UNLOCK_PORT,
/// SELECT_DEVICE and the others.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DeviceRequest {
    /// The daisy-chain address, as the caller gave it; checked by the port
    /// against the chain it knows.
    pub(crate) device: u32,
    /// [`crate::selection::END_OF_CHAIN_DEVICE`],
    /// [`crate::selection::HAVE_PORT_KEEP_PORT`].
    pub(crate) flags: u32,
    /// How long to wait for the port, for the requests that allocate it.
    pub(crate) timeout: Timeout,
}
