// SPDX-License-Identifier: GPL-2.0

//! What a request can fail with, by what it means: each errno the
//! contract gives (`Documentation/parown.rst`, "The contract") is a
//! variant, and every error still says its errno ([`Error::errno`]).

use nix::errno::Errno;

/// A failed request.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `EPERM`: the client does not own the port (FREE, UNLOCK, a write).
    #[error("the port is not this client's (EPERM)")]
    NotOwner,
    /// `ETIMEDOUT`: the wait for the port ran out.
    #[error("timed out waiting for the port (ETIMEDOUT)")]
    TimedOut,
    /// `EAGAIN`: TRY_ALLOCATE found the port owned or waited for, or
    /// another driver holds it.
    #[error("the port is busy (EAGAIN)")]
    Busy,
    /// `EINTR`: a signal ended the wait.
    #[error("interrupted by a signal (EINTR)")]
    Interrupted,
    /// `ENODEV`: the port went away (or never was).
    #[error("the port is gone (ENODEV)")]
    Gone,
    /// `EDEADLK`: the client owns the port already.
    #[error("this client owns the port already (EDEADLK)")]
    AlreadyOwner,
    /// `EALREADY`: another thread of the client waits for the port.
    #[error("this client waits for the port already (EALREADY)")]
    AlreadyWaiting,
    /// `ENXIO`: no such device on the port's daisy chain.
    #[error("no such device on the chain (ENXIO)")]
    NoSuchDevice,
    /// `EACCES`: the node's permissions refuse the caller.
    #[error("permission denied (EACCES)")]
    PermissionDenied,
    /// `ECANCELED`: the request was cancelled.
    #[error("cancelled (ECANCELED)")]
    Cancelled,
    /// `ENXIO` from a negotiation ([`Owned::negotiate`]): the peripheral
    /// refused the mode, and the port is back in compatibility mode.
    ///
    /// [`Owned::negotiate`]: crate::Owned::negotiate
    #[error("the peripheral refused the mode (ENXIO)")]
    ModeRefused,
    /// Any other errno.
    #[error("{0}")]
    Os(Errno),
    /// Reading the live state failed, or it did not parse.
    #[error("live state: {0}")]
    State(String),
}

/// A result with [`Error`].
pub type Result<T> = core::result::Result<T, Error>;

/// Turns the errno of an ioctl of `nix`'s into [`Error`].
pub(crate) fn check(result: nix::Result<i32>) -> Result<i32> {
    result.map_err(Error::from)
}

impl From<Errno> for Error {
    fn from(errno: Errno) -> Self {
        match errno {
            Errno::EPERM => Self::NotOwner,
            Errno::ETIMEDOUT => Self::TimedOut,
            Errno::EAGAIN => Self::Busy,
            Errno::EINTR => Self::Interrupted,
            Errno::ENODEV | Errno::ENOENT => Self::Gone,
            Errno::EDEADLK => Self::AlreadyOwner,
            Errno::EALREADY => Self::AlreadyWaiting,
            Errno::ENXIO => Self::NoSuchDevice,
            Errno::EACCES => Self::PermissionDenied,
            Errno::ECANCELED => Self::Cancelled,
            other => Self::Os(other),
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        match err.raw_os_error() {
            Some(errno) => Errno::from_raw(errno).into(),
            None => Self::Os(Errno::EIO),
        }
    }
}

impl Error {
    /// The errno behind the error; `None` for a live state that did not
    /// parse.
    pub fn errno(&self) -> Option<i32> {
        let errno = match self {
            Self::NotOwner => Errno::EPERM,
            Self::TimedOut => Errno::ETIMEDOUT,
            Self::Busy => Errno::EAGAIN,
            Self::Interrupted => Errno::EINTR,
            Self::Gone => Errno::ENODEV,
            Self::AlreadyOwner => Errno::EDEADLK,
            Self::AlreadyWaiting => Errno::EALREADY,
            Self::NoSuchDevice | Self::ModeRefused => Errno::ENXIO,
            Self::PermissionDenied => Errno::EACCES,
            Self::Cancelled => Errno::ECANCELED,
            Self::Os(errno) => *errno,
            Self::State(_) => return None,
        };
        Some(errno as i32)
    }
}
