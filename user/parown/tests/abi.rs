// SPDX-License-Identifier: GPL-2.0

//! The crate's ABI must be the C headers': compile a probe against
//! `include/uapi/linux/parown.h` and the system's `<linux/ppdev.h>` and
//! `<linux/parport.h>`, and compare every number, as the module's own test
//! does (`rust/uapi/tests.rs`). The probe prints what the lists below name,
//! so nothing in them goes unchecked.

use parown::sys::*;
use std::{
    collections::HashMap,
    mem::{
        offset_of,
        size_of, //
    },
    path::PathBuf,
    process::Command,
    sync::OnceLock,
};

/// The probe's headers, and `PPGETTIME`/`PPSETTIME` in both sizes of
/// `struct timeval`, defined as `drivers/char/ppdev.c` defines them.
const PROBE_HEAD: &str = r#"
#include <stddef.h>
#include <stdio.h>
#include <sys/time.h>
#include <linux/parown.h>
#include <linux/ppdev.h>
#include <linux/parport.h>
#define PPGETTIME32 _IOR(PP_IOCTL, 0x95, __s32[2])
#define PPSETTIME32 _IOW(PP_IOCTL, 0x96, __s32[2])
#define PPGETTIME64 _IOR(PP_IOCTL, 0x95, __s64[2])
#define PPSETTIME64 _IOW(PP_IOCTL, 0x96, __s64[2])
#define P(x) printf("%s %llu\n", #x, (unsigned long long)(x))
#define O(s, f) printf("%s.%s %zu\n", #s, #f, offsetof(struct s, f))
int main(void)
{
"#;

/// What the probe prints besides the lists: the native `PPGETTIME` and
/// `PPSETTIME`, `struct timeval`, and parport.h's names of parown.h's
/// `PAROWN_MODE_*`.
const PROBE_EXTRA: &str = r#"
	P(PPGETTIME); P(PPSETTIME); P(sizeof(struct timeval));
	O(timeval, tv_sec); O(timeval, tv_usec);
	P(PARPORT_MODE_PCSPP); P(PARPORT_MODE_TRISTATE); P(PARPORT_MODE_EPP);
	P(PARPORT_MODE_ECP); P(PARPORT_MODE_COMPAT); P(PARPORT_MODE_DMA);
	P(PARPORT_MODE_SAFEININT);
	return 0;
}
"#;

/// Constants by name, the same in Rust and C.
macro_rules! constants {
    ($($name:ident),* $(,)?) => {
        &[$((stringify!($name), $name as i64)),*]
    };
}

/// Every constant of `sys`, which the C headers must define alike.
const CONSTANTS: &[(&str, i64)] = constants![
    PAROWN_IOC_MAGIC,
    PAROWN_PORT_OWNED,
    PAROWN_PORT_OWNED_BY_ME,
    PAROWN_MODE_PCSPP,
    PAROWN_MODE_TRISTATE,
    PAROWN_MODE_EPP,
    PAROWN_MODE_ECP,
    PAROWN_MODE_COMPAT,
    PAROWN_MODE_DMA,
    PAROWN_MODE_SAFEININT,
    PAROWN_END_OF_CHAIN_DEVICE,
    PAROWN_HAVE_PORT_KEEP_PORT,
    PP_IOCTL,
    PP_FASTWRITE,
    PP_FASTREAD,
    PP_W91284PIC,
    PP_FLAGMASK,
    PARPORT_CONTROL_STROBE,
    PARPORT_CONTROL_AUTOFD,
    PARPORT_CONTROL_INIT,
    PARPORT_CONTROL_SELECT,
    PARPORT_STATUS_ERROR,
    PARPORT_STATUS_SELECT,
    PARPORT_STATUS_PAPEROUT,
    PARPORT_STATUS_ACK,
    PARPORT_STATUS_BUSY,
    IEEE1284_MODE_NIBBLE,
    IEEE1284_MODE_BYTE,
    IEEE1284_MODE_COMPAT,
    IEEE1284_MODE_BECP,
    IEEE1284_MODE_ECP,
    IEEE1284_MODE_ECPRLE,
    IEEE1284_MODE_ECPSWE,
    IEEE1284_MODE_EPP,
    IEEE1284_MODE_EPPSL,
    IEEE1284_MODE_EPPSWE,
    IEEE1284_DEVICEID,
    IEEE1284_EXT_LINK,
    IEEE1284_ADDR,
    IEEE1284_DATA,
];

/// A C structure's size and field offsets, with the Rust structure's:
/// (the probe's line, what it prints, the Rust value).
macro_rules! layouts {
    ($($c:ident = $rust:ty { $($field:ident),* $(,)? })*) => {
        vec![$(
            (
                concat!("P(sizeof(struct ", stringify!($c), "));"),
                concat!("sizeof(struct ", stringify!($c), ")"),
                size_of::<$rust>(),
            ),
            $((
                concat!("O(", stringify!($c), ", ", stringify!($field), ");"),
                concat!(stringify!($c), ".", stringify!($field)),
                offset_of!($rust, $field),
            ),)*
        )*]
    };
}

/// Every structure of `sys` but the `struct timeval`s (see
/// `ppgettime_and_ppsettime_are_the_processes`).
fn layouts() -> Vec<(&'static str, &'static str, usize)> {
    layouts! {
        parown_allocate = ParownAllocate { timeout_ms, flags }
        parown_port_info = ParownPortInfo {
            port, flags, base, base_hi, irq, dma, modes, ieee1284_3_devices, reserved
        }
        parown_device = ParownDevice { device, flags, timeout_ms, reserved }
        parown_device_id = ParownDeviceId {
            device, flags, timeout_ms, size, buffer, length, reserved
        }
        ppdev_frob_struct = PpdevFrobStruct { mask, val }
    }
}

/// The probe's source: everything the lists name, then the extras.
fn probe_source() -> String {
    let mut src = String::from(PROBE_HEAD);
    let names = REQUESTS
        .iter()
        .map(|r| r.0)
        .chain(CONSTANTS.iter().map(|c| c.0));
    for name in names {
        src += &format!("\tP({name});\n");
    }
    for (line, _, _) in layouts() {
        src += &format!("\t{line}\n");
    }
    src + PROBE_EXTRA
}

/// The headers' numbers, by name: the probe is built and run once.
fn header() -> &'static HashMap<String, u64> {
    static NUMBERS: OnceLock<HashMap<String, u64>> = OnceLock::new();
    NUMBERS.get_or_init(probe)
}

/// The headers' value of `name`.
fn c(name: &str) -> u64 {
    *header()
        .get(name)
        .unwrap_or_else(|| panic!("the probe did not print {name}"))
}

fn probe() -> HashMap<String, u64> {
    let dir = std::env::temp_dir().join(format!("parown-abi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (src, bin) = (dir.join("probe.c"), dir.join("probe"));
    std::fs::write(&src, probe_source()).unwrap();
    let uapi = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../include/uapi");
    let cc = Command::new("cc")
        .args(["-Wall", "-Werror", "-I"])
        .arg(&uapi)
        .arg("-o")
        .arg(&bin)
        .arg(&src)
        .status()
        .unwrap();
    assert!(cc.success(), "the probe did not build");
    let out = Command::new(&bin).output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|line| line.rsplit_once(' '))
        .map(|(name, n)| (name.to_string(), n.parse().unwrap()))
        .collect()
}

#[test]
fn every_ioctl_number_is_the_headers() {
    for &(name, number) in REQUESTS {
        // An ioctl number is a `c_ulong`: 32 bits on 32-bit targets.
        #[allow(clippy::useless_conversion)]
        let number = u64::from(number);
        assert_eq!(c(name), number, "{name}");
    }
}

#[test]
fn every_constant_is_the_headers() {
    for &(name, value) in CONSTANTS {
        assert_eq!(Ok(c(name)), u64::try_from(value), "{name}");
    }
    for (parport, parown) in [
        ("PARPORT_MODE_PCSPP", PAROWN_MODE_PCSPP),
        ("PARPORT_MODE_TRISTATE", PAROWN_MODE_TRISTATE),
        ("PARPORT_MODE_EPP", PAROWN_MODE_EPP),
        ("PARPORT_MODE_ECP", PAROWN_MODE_ECP),
        ("PARPORT_MODE_COMPAT", PAROWN_MODE_COMPAT),
        ("PARPORT_MODE_DMA", PAROWN_MODE_DMA),
        ("PARPORT_MODE_SAFEININT", PAROWN_MODE_SAFEININT),
    ] {
        assert_eq!(c(parport), u64::from(parown), "{parport}");
    }
}

#[test]
fn every_structure_has_the_headers_layout() {
    for (_, name, rust) in layouts() {
        assert_eq!(c(name), rust as u64, "{name}");
    }
}

/// The header's `PPGETTIME` and `PPSETTIME` are the form of the process's
/// `struct timeval`, whose layout is that form's structure.
#[test]
fn ppgettime_and_ppsettime_are_the_processes() {
    let (get, set, size, sec, usec) = match c("sizeof(struct timeval)") {
        8 => (
            "PPGETTIME32",
            "PPSETTIME32",
            size_of::<Timeval32>(),
            offset_of!(Timeval32, tv_sec),
            offset_of!(Timeval32, tv_usec),
        ),
        _ => (
            "PPGETTIME64",
            "PPSETTIME64",
            size_of::<Timeval64>(),
            offset_of!(Timeval64, tv_sec),
            offset_of!(Timeval64, tv_usec),
        ),
    };
    assert_eq!(c("PPGETTIME"), c(get));
    assert_eq!(c("PPSETTIME"), c(set));
    assert_eq!(c("sizeof(struct timeval)"), size as u64);
    assert_eq!(c("timeval.tv_sec"), sec as u64);
    assert_eq!(c("timeval.tv_usec"), usec as u64);
}
