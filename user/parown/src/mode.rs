// SPDX-License-Identifier: GPL-2.0

//! IEEE 1284 modes, as ppdev's `PPSETMODE`, `PPNEGOT` and `PPGETMODE`
//! take and give them (`Documentation/parown.rst`, "IEEE 1284 modes and
//! the Device ID").

use crate::sys;
use core::fmt;

/// An IEEE 1284 mode: one of the constants below, possibly with a flag
/// ([`Mode::addr`], [`Mode::device_id`]).
///
/// It is the `int` of the ABI, kept whole: `PPSETMODE` does not validate
/// the mode, so [`Port::mode`](crate::Port::mode) may give back any
/// value. The constants work as patterns:
///
/// ```
/// # use parown::Mode;
/// # let mode = Mode::BYTE;
/// let reverse = matches!(mode, Mode::NIBBLE | Mode::BYTE);
/// # assert!(reverse);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mode(i32);

impl Mode {
    /// Compatibility mode (forward), the mode a port starts in.
    pub const COMPAT: Self = Self(sys::IEEE1284_MODE_COMPAT);
    /// Nibble mode (reverse), which every IEEE 1284 peripheral has.
    pub const NIBBLE: Self = Self(sys::IEEE1284_MODE_NIBBLE);
    /// Byte mode (reverse), on a bidirectional port.
    pub const BYTE: Self = Self(sys::IEEE1284_MODE_BYTE);
    /// ECP, on a port with ECP hardware.
    pub const ECP: Self = Self(sys::IEEE1284_MODE_ECP);
    /// ECP with run-length encoding.
    pub const ECPRLE: Self = Self(sys::IEEE1284_MODE_ECPRLE);
    /// Bounded ECP (`ENOSYS` from parown's negotiation).
    pub const BECP: Self = Self(sys::IEEE1284_MODE_BECP);
    /// Software-emulated ECP (`EOPNOTSUPP` from parown's transfers).
    pub const ECPSWE: Self = Self(sys::IEEE1284_MODE_ECPSWE);
    /// EPP, on a port with EPP hardware.
    pub const EPP: Self = Self(sys::IEEE1284_MODE_EPP);
    /// EPP 1.7 (`EOPNOTSUPP` from parown's transfers).
    pub const EPPSL: Self = Self(sys::IEEE1284_MODE_EPPSL);
    /// Software-emulated EPP (`EOPNOTSUPP` from parown's transfers).
    pub const EPPSWE: Self = Self(sys::IEEE1284_MODE_EPPSWE);

    /// The flags [`Mode::base`] takes off.
    const FLAGS: i32 = sys::IEEE1284_ADDR | sys::IEEE1284_DEVICEID;

    /// The mode of an ABI value (`IEEE1284_MODE_*` and flags).
    pub const fn from_raw(raw: i32) -> Self {
        Self(raw)
    }

    /// The ABI value.
    pub const fn raw(self) -> i32 {
        self.0
    }

    /// The mode with `IEEE1284_ADDR`: in EPP, `read()` and `write()` are
    /// address cycles; in ECP, `write()` sends channel addresses.
    pub const fn addr(self) -> Self {
        Self(self.0 | sys::IEEE1284_ADDR)
    }

    /// Whether the mode has `IEEE1284_ADDR`.
    pub const fn is_addr(self) -> bool {
        self.0 & sys::IEEE1284_ADDR != 0
    }

    /// The mode with `IEEE1284_DEVICEID`: negotiating it asks the
    /// peripheral for its Device ID (nibble or byte mode).
    pub const fn device_id(self) -> Self {
        Self(self.0 | sys::IEEE1284_DEVICEID)
    }

    /// Whether the mode has `IEEE1284_DEVICEID`.
    pub const fn is_device_id(self) -> bool {
        self.0 & sys::IEEE1284_DEVICEID != 0
    }

    /// The mode without its `IEEE1284_ADDR` and `IEEE1284_DEVICEID` flags.
    pub const fn base(self) -> Self {
        Self(self.0 & !Self::FLAGS)
    }

    /// The name of the mode without its flags (`"COMPAT"`, `"BYTE"`...),
    /// `None` for a value that is none of the constants.
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.base() {
            Self::COMPAT => "COMPAT",
            Self::NIBBLE => "NIBBLE",
            Self::BYTE => "BYTE",
            Self::ECP => "ECP",
            Self::ECPRLE => "ECPRLE",
            Self::BECP => "BECP",
            Self::ECPSWE => "ECPSWE",
            Self::EPP => "EPP",
            Self::EPPSL => "EPPSL",
            Self::EPPSWE => "EPPSWE",
            _ => return None,
        })
    }
}

/// Compatibility mode, the mode a port starts in.
impl Default for Mode {
    fn default() -> Self {
        Self::COMPAT
    }
}

/// The name and flags (`EPP|ADDR`), or the number in hex for a value that
/// is none of the constants.
impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(name) = self.name() else {
            return write!(f, "{:#x}", self.0);
        };
        f.write_str(name)?;
        if self.is_addr() {
            f.write_str("|ADDR")?;
        }
        if self.is_device_id() {
            f.write_str("|DEVICEID")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mode({self})")
    }
}
