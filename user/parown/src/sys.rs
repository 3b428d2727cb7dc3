// SPDX-License-Identifier: GPL-2.0

//! The raw ABI: `include/uapi/linux/parown.h`'s structures, flags and
//! ioctls, the ppdev ioctls `/dev/parownN` also answers
//! (`<linux/ppdev.h>`), and the line, mode and flag numbers of
//! `<linux/parport.h>` they take, as `nix` defines ioctls.
//! `tests/abi.rs` compares every number with the C headers'.

/// The ioctl type of parown's requests.
pub const PAROWN_IOC_MAGIC: u8 = 0xB9;

/// In [`ParownPortInfo::flags`]: a parown client owns the port...
pub const PAROWN_PORT_OWNED: u32 = 1 << 0;
/// ... and it is the caller.
pub const PAROWN_PORT_OWNED_BY_ME: u32 = 1 << 1;

/// In [`ParownPortInfo::modes`] (and from [`ppgetmodes`]): IBM PC
/// registers.
pub const PAROWN_MODE_PCSPP: u32 = 1 << 0;
/// The data lines can be turned around (byte mode, `PPDATADIR`).
pub const PAROWN_MODE_TRISTATE: u32 = 1 << 1;
/// Hardware EPP.
pub const PAROWN_MODE_EPP: u32 = 1 << 2;
/// Hardware ECP.
pub const PAROWN_MODE_ECP: u32 = 1 << 3;
/// A hardware compatibility-mode ("printer protocol") FIFO.
pub const PAROWN_MODE_COMPAT: u32 = 1 << 4;
/// The hardware can DMA.
pub const PAROWN_MODE_DMA: u32 = 1 << 5;
/// The SPP registers can be used from an interrupt handler.
pub const PAROWN_MODE_SAFEININT: u32 = 1 << 6;

/// In [`ParownDevice::flags`]: the device at the end of the chain.
pub const PAROWN_END_OF_CHAIN_DEVICE: u32 = 1 << 0;
/// In [`ParownDevice::flags`]: the caller owns the port already and keeps
/// it.
pub const PAROWN_HAVE_PORT_KEEP_PORT: u32 = 1 << 1;

/// `struct parown_allocate`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ParownAllocate {
    /// Give up after this many milliseconds; 0 waits without limit.
    pub timeout_ms: u32,
    /// Zero.
    pub flags: u32,
}

/// `struct parown_port_info`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ParownPortInfo {
    /// The parport number.
    pub port: u32,
    /// [`PAROWN_PORT_OWNED`], [`PAROWN_PORT_OWNED_BY_ME`].
    pub flags: u32,
    /// The base I/O address.
    pub base: u64,
    /// The ECP registers' base address, 0 without them.
    pub base_hi: u64,
    /// The interrupt line, -1 for none.
    pub irq: i32,
    /// The DMA channel, -1 for none.
    pub dma: i32,
    /// `PAROWN_MODE_*`: what the hardware can do.
    pub modes: u32,
    /// The IEEE 1284.3 daisy-chain devices known.
    pub ieee1284_3_devices: u32,
    /// Zero.
    pub reserved: [u32; 8],
}

/// `struct parown_device`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ParownDevice {
    /// The daisy-chain address, 0 to 3.
    pub device: u32,
    /// [`PAROWN_END_OF_CHAIN_DEVICE`], [`PAROWN_HAVE_PORT_KEEP_PORT`].
    pub flags: u32,
    /// For the requests that may wait for the port: give up after this
    /// many milliseconds; 0 waits without limit.
    pub timeout_ms: u32,
    /// Zero.
    pub reserved: u32,
}

/// `struct parown_device_id`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ParownDeviceId {
    /// The daisy-chain address, 0 to 3.
    pub device: u32,
    /// [`PAROWN_END_OF_CHAIN_DEVICE`], [`PAROWN_HAVE_PORT_KEEP_PORT`].
    pub flags: u32,
    /// Without [`PAROWN_HAVE_PORT_KEEP_PORT`], give up waiting for the
    /// port after this many milliseconds; 0 waits without limit.
    pub timeout_ms: u32,
    /// The bytes at `buffer`.
    pub size: u32,
    /// Where the Device ID goes: a pointer, as a `u64`.
    pub buffer: u64,
    /// Out: the Device ID's length, which may be more than `size`.
    pub length: u32,
    /// Zero.
    pub reserved: u32,
}

/// `PP_IOCTL`, the ioctl type of ppdev's requests.
pub const PP_IOCTL: u8 = b'p';

/// `struct ppdev_frob_struct`, the argument of [`ppfcontrol`].
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct PpdevFrobStruct {
    /// The control lines to change.
    pub mask: u8,
    /// Their new values.
    pub val: u8,
}

/// `struct timeval` of a 32-bit process with a 32-bit `time_t`: the
/// argument of [`ppgettime32`] and [`ppsettime32`].
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Timeval32 {
    /// Seconds.
    pub tv_sec: i32,
    /// Microseconds, below 1 000 000.
    pub tv_usec: i32,
}

/// `struct timeval` with a 64-bit `time_t` (every 64-bit process): the
/// argument of [`ppgettime64`] and [`ppsettime64`], which parown takes
/// from 32-bit processes too.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Timeval64 {
    /// Seconds.
    pub tv_sec: i64,
    /// Microseconds, below 1 000 000.
    pub tv_usec: i64,
}

/// ppdev's flag (`PPSETFLAGS`): fast EPP writes (`PARPORT_EPP_FAST`).
pub const PP_FASTWRITE: i32 = 1 << 2;
/// ppdev's flag: fast EPP reads (`PARPORT_EPP_FAST`).
pub const PP_FASTREAD: i32 = 1 << 3;
/// ppdev's flag: a Warp Nine w91284pic on the port, for EPP reads.
pub const PP_W91284PIC: i32 = 1 << 4;
/// Every flag `PPSETFLAGS` keeps.
pub const PP_FLAGMASK: i32 = PP_FASTWRITE | PP_FASTREAD | PP_W91284PIC;

/// Control register bit: nStrobe (inverted: set asserts the line, low).
pub const PARPORT_CONTROL_STROBE: u8 = 0x1;
/// Control register bit: nAutoFd (inverted: set asserts the line, low).
pub const PARPORT_CONTROL_AUTOFD: u8 = 0x2;
/// Control register bit: nInit (not inverted: clear asserts the line).
pub const PARPORT_CONTROL_INIT: u8 = 0x4;
/// Control register bit: nSelectIn (inverted: set asserts the line, low).
pub const PARPORT_CONTROL_SELECT: u8 = 0x8;

/// Status register bit: nError (clear while the peripheral reports one).
pub const PARPORT_STATUS_ERROR: u8 = 0x8;
/// Status register bit: Select (set while the peripheral is on line).
pub const PARPORT_STATUS_SELECT: u8 = 0x10;
/// Status register bit: PError (set while the peripheral is out of paper).
pub const PARPORT_STATUS_PAPEROUT: u8 = 0x20;
/// Status register bit: nAck (clear while the peripheral acknowledges).
pub const PARPORT_STATUS_ACK: u8 = 0x40;
/// Status register bit: Busy, inverted (clear while the peripheral is
/// busy).
pub const PARPORT_STATUS_BUSY: u8 = 0x80;

/// IEEE 1284 nibble mode (reverse).
pub const IEEE1284_MODE_NIBBLE: i32 = 0;
/// IEEE 1284 byte mode (reverse, needs [`PAROWN_MODE_TRISTATE`]).
pub const IEEE1284_MODE_BYTE: i32 = 1 << 0;
/// IEEE 1284 compatibility mode (forward), the mode a port starts in.
pub const IEEE1284_MODE_COMPAT: i32 = 1 << 8;
/// Bounded ECP.
pub const IEEE1284_MODE_BECP: i32 = 1 << 9;
/// ECP.
pub const IEEE1284_MODE_ECP: i32 = 1 << 4;
/// ECP with run-length encoding.
pub const IEEE1284_MODE_ECPRLE: i32 = IEEE1284_MODE_ECP | (1 << 5);
/// Software-emulated ECP.
pub const IEEE1284_MODE_ECPSWE: i32 = 1 << 10;
/// EPP.
pub const IEEE1284_MODE_EPP: i32 = 1 << 6;
/// EPP 1.7.
pub const IEEE1284_MODE_EPPSL: i32 = 1 << 11;
/// Software-emulated EPP.
pub const IEEE1284_MODE_EPPSWE: i32 = 1 << 12;
/// Mode flag: the negotiation asks for the Device ID.
pub const IEEE1284_DEVICEID: i32 = 1 << 2;
/// Mode flag: request the extensibility link, bits 0 to 6 the request.
pub const IEEE1284_EXT_LINK: i32 = 1 << 14;
/// Mode flag: transfers are address (EPP) or channel (ECP) cycles.
pub const IEEE1284_ADDR: i32 = 1 << 13;
/// Mode flag: transfers are data cycles (no bit: the default).
pub const IEEE1284_DATA: i32 = 0;

/// Defines each ioctl's function with `nix`'s macro for its direction and,
/// from the same line, its number in [`REQUESTS`] under the header's name:
/// the number the ABI test checks is the one the function uses.
macro_rules! ioctls {
    ($(
        $(#[$attr:meta])*
        $dir:ident $name:ident = $header:literal ($ioty:expr, $nr:expr $(, $arg:ty)?);
    )*) => {
        $( ioctls!(@fn $dir $(#[$attr])* $name, $ioty, $nr $(, $arg)?); )*

        /// The ioctl numbers, by the headers' names, for the ABI test.
        pub const REQUESTS: &[(&str, nix::sys::ioctl::ioctl_num_type)] = &[
            $( ($header, ioctls!(@code $dir, $ioty, $nr $(, $arg)?)), )*
        ];
    };
    (@fn none $(#[$attr:meta])* $name:ident, $ioty:expr, $nr:expr) => {
        nix::ioctl_none!($(#[$attr])* $name, $ioty, $nr);
    };
    (@fn read $(#[$attr:meta])* $name:ident, $ioty:expr, $nr:expr, $arg:ty) => {
        nix::ioctl_read!($(#[$attr])* $name, $ioty, $nr, $arg);
    };
    (@fn write $(#[$attr:meta])* $name:ident, $ioty:expr, $nr:expr, $arg:ty) => {
        nix::ioctl_write_ptr!($(#[$attr])* $name, $ioty, $nr, $arg);
    };
    (@fn readwrite $(#[$attr:meta])* $name:ident, $ioty:expr, $nr:expr, $arg:ty) => {
        nix::ioctl_readwrite!($(#[$attr])* $name, $ioty, $nr, $arg);
    };
    (@code none, $ioty:expr, $nr:expr) => {
        nix::request_code_none!($ioty, $nr)
    };
    (@code read, $ioty:expr, $nr:expr, $arg:ty) => {
        nix::request_code_read!($ioty, $nr, core::mem::size_of::<$arg>())
    };
    (@code write, $ioty:expr, $nr:expr, $arg:ty) => {
        nix::request_code_write!($ioty, $nr, core::mem::size_of::<$arg>())
    };
    (@code readwrite, $ioty:expr, $nr:expr, $arg:ty) => {
        nix::request_code_readwrite!($ioty, $nr, core::mem::size_of::<$arg>())
    };
}

ioctls! {
    /// `PAROWN_ALLOCATE`.
    write parown_allocate = "PAROWN_ALLOCATE" (PAROWN_IOC_MAGIC, 0x01, ParownAllocate);
    /// `PAROWN_TRY_ALLOCATE`.
    none parown_try_allocate = "PAROWN_TRY_ALLOCATE" (PAROWN_IOC_MAGIC, 0x02);
    /// `PAROWN_FREE`.
    none parown_free = "PAROWN_FREE" (PAROWN_IOC_MAGIC, 0x03);
    /// `PAROWN_QUERY_WAITERS`.
    read parown_query_waiters = "PAROWN_QUERY_WAITERS" (PAROWN_IOC_MAGIC, 0x04, u32);
    /// `PAROWN_GET_PORT_INFO`.
    read parown_get_port_info = "PAROWN_GET_PORT_INFO" (PAROWN_IOC_MAGIC, 0x05, ParownPortInfo);
    /// `PAROWN_LOCK_PORT`.
    write parown_lock_port = "PAROWN_LOCK_PORT" (PAROWN_IOC_MAGIC, 0x06, ParownDevice);
    /// `PAROWN_UNLOCK_PORT`.
    write parown_unlock_port = "PAROWN_UNLOCK_PORT" (PAROWN_IOC_MAGIC, 0x07, ParownDevice);
    /// `PAROWN_LOCK_PORT_NO_SELECT`.
    write parown_lock_port_no_select = "PAROWN_LOCK_PORT_NO_SELECT"
        (PAROWN_IOC_MAGIC, 0x08, ParownDevice);
    /// `PAROWN_UNLOCK_PORT_NO_DESELECT`.
    write parown_unlock_port_no_deselect = "PAROWN_UNLOCK_PORT_NO_DESELECT"
        (PAROWN_IOC_MAGIC, 0x09, ParownDevice);
    /// `PAROWN_SELECT_DEVICE`.
    write parown_select_device = "PAROWN_SELECT_DEVICE" (PAROWN_IOC_MAGIC, 0x0a, ParownDevice);
    /// `PAROWN_DESELECT_DEVICE`.
    write parown_deselect_device = "PAROWN_DESELECT_DEVICE" (PAROWN_IOC_MAGIC, 0x0b, ParownDevice);
    /// `PAROWN_INIT_1284_3_BUS`.
    read parown_init_1284_3_bus = "PAROWN_INIT_1284_3_BUS" (PAROWN_IOC_MAGIC, 0x0c, u32);
    /// `PAROWN_GET_DEVICE_ID`.
    readwrite parown_get_device_id = "PAROWN_GET_DEVICE_ID"
        (PAROWN_IOC_MAGIC, 0x0d, ParownDeviceId);

    /// `PPSETMODE`: the client's IEEE 1284 mode, without negotiating it.
    write ppsetmode = "PPSETMODE" (PP_IOCTL, 0x80, i32);
    /// `PPRSTATUS`: the status register (owner only).
    read pprstatus = "PPRSTATUS" (PP_IOCTL, 0x81, u8);
    /// `PPRCONTROL`: the control register (owner only).
    read pprcontrol = "PPRCONTROL" (PP_IOCTL, 0x83, u8);
    /// `PPWCONTROL`: sets the control register (owner only).
    write ppwcontrol = "PPWCONTROL" (PP_IOCTL, 0x84, u8);
    /// `PPRDATA`: the data register (owner only).
    read pprdata = "PPRDATA" (PP_IOCTL, 0x85, u8);
    /// `PPWDATA`: sets the data register (owner only).
    write ppwdata = "PPWDATA" (PP_IOCTL, 0x86, u8);
    /// `PPCLAIM`: ALLOCATE without a timeout.
    none ppclaim = "PPCLAIM" (PP_IOCTL, 0x8b);
    /// `PPRELEASE`: FREE.
    none pprelease = "PPRELEASE" (PP_IOCTL, 0x8c);
    /// `PPYIELD`: passes the port on if others wait, and owns it again.
    none ppyield = "PPYIELD" (PP_IOCTL, 0x8d);
    /// `PPFCONTROL`: changes the control lines of a mask (owner only).
    write ppfcontrol = "PPFCONTROL" (PP_IOCTL, 0x8e, PpdevFrobStruct);
    /// `PPEXCL`: accepted before the first ownership; registers nothing.
    none ppexcl = "PPEXCL" (PP_IOCTL, 0x8f);
    /// `PPDATADIR`: non-zero turns the data lines to input (owner only).
    write ppdatadir = "PPDATADIR" (PP_IOCTL, 0x90, i32);
    /// `PPNEGOT`: negotiates an IEEE 1284 mode (owner only).
    write ppnegot = "PPNEGOT" (PP_IOCTL, 0x91, i32);
    /// `PPWCTLONIRQ`: the control byte to write at the next interrupt.
    write ppwctlonirq = "PPWCTLONIRQ" (PP_IOCTL, 0x92, u8);
    /// `PPCLRIRQ`: the interrupts counted, cleared (owner only).
    read ppclrirq = "PPCLRIRQ" (PP_IOCTL, 0x93, i32);
    /// `PPSETPHASE`: the client's IEEE 1284 phase.
    write ppsetphase = "PPSETPHASE" (PP_IOCTL, 0x94, i32);
    /// `PPGETTIME` of a 32-bit `struct timeval` (owner only).
    read ppgettime32 = "PPGETTIME32" (PP_IOCTL, 0x95, Timeval32);
    /// `PPSETTIME` of a 32-bit `struct timeval` (owner only).
    write ppsettime32 = "PPSETTIME32" (PP_IOCTL, 0x96, Timeval32);
    /// `PPGETTIME` of a 64-bit `struct timeval` (owner only).
    read ppgettime64 = "PPGETTIME64" (PP_IOCTL, 0x95, Timeval64);
    /// `PPSETTIME` of a 64-bit `struct timeval` (owner only).
    write ppsettime64 = "PPSETTIME64" (PP_IOCTL, 0x96, Timeval64);
    /// `PPGETMODES`: what the hardware can do, `PAROWN_MODE_*`.
    read ppgetmodes = "PPGETMODES" (PP_IOCTL, 0x97, u32);
    /// `PPGETMODE`: the IEEE 1284 mode, the port's while owned.
    read ppgetmode = "PPGETMODE" (PP_IOCTL, 0x98, i32);
    /// `PPGETPHASE`: the IEEE 1284 phase, the port's while owned.
    read ppgetphase = "PPGETPHASE" (PP_IOCTL, 0x99, i32);
    /// `PPGETFLAGS`: the client's `PP_*` flags.
    read ppgetflags = "PPGETFLAGS" (PP_IOCTL, 0x9a, i32);
    /// `PPSETFLAGS`: the client's `PP_*` flags, within [`PP_FLAGMASK`].
    write ppsetflags = "PPSETFLAGS" (PP_IOCTL, 0x9b, i32);
}
