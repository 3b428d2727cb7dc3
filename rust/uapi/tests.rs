// SPDX-License-Identifier: GPL-2.0

//! The Rust view of the ABI must be the C header's: compile a probe
//! against `include/uapi/linux/parown.h` and compare every number.

use super::*;
use std::{
    collections::HashMap,
    path::PathBuf,
    process::Command, //
};

const PROBE: &str = r#"
#include <stddef.h>
#include <stdio.h>
#include <linux/parown.h>
#include <sys/time.h>
#include <linux/ppdev.h>
#define P(x) printf("%s %llu\n", #x, (unsigned long long)(x))
#define O(s, f) printf("%s.%s %zu\n", #s, #f, offsetof(struct s, f))
int main(void)
{
	P(PAROWN_IOC_MAGIC);
	P(PAROWN_ALLOCATE); P(PAROWN_TRY_ALLOCATE); P(PAROWN_FREE);
	P(PAROWN_QUERY_WAITERS); P(PAROWN_GET_PORT_INFO);
	P(PAROWN_PORT_OWNED); P(PAROWN_PORT_OWNED_BY_ME);
	P(PAROWN_LOCK_PORT); P(PAROWN_UNLOCK_PORT); P(PAROWN_LOCK_PORT_NO_SELECT);
	P(PAROWN_UNLOCK_PORT_NO_DESELECT); P(PAROWN_SELECT_DEVICE);
	P(PAROWN_DESELECT_DEVICE); P(PAROWN_INIT_1284_3_BUS);
	P(PAROWN_END_OF_CHAIN_DEVICE); P(PAROWN_HAVE_PORT_KEEP_PORT);
	P(PAROWN_GET_DEVICE_ID); P(sizeof(struct parown_device_id));
	O(parown_device_id, device); O(parown_device_id, flags);
	O(parown_device_id, timeout_ms); O(parown_device_id, size);
	O(parown_device_id, buffer); O(parown_device_id, length);
	O(parown_device_id, reserved);
	P(sizeof(struct parown_allocate)); P(sizeof(struct parown_port_info));
	P(sizeof(struct parown_device));
	O(parown_device, device); O(parown_device, flags);
	O(parown_device, timeout_ms); O(parown_device, reserved);
	O(parown_allocate, timeout_ms); O(parown_allocate, flags);
	O(parown_port_info, port); O(parown_port_info, flags);
	O(parown_port_info, base); O(parown_port_info, base_hi);
	O(parown_port_info, irq); O(parown_port_info, dma);
	O(parown_port_info, modes); O(parown_port_info, ieee1284_3_devices);
	O(parown_port_info, reserved);
	P(PP_IOCTL); P(PPSETMODE); P(PPRSTATUS); P(PPRCONTROL); P(PPWCONTROL);
	P(PPRDATA); P(PPWDATA); P(PPCLAIM); P(PPRELEASE); P(PPYIELD);
	P(PPFCONTROL); P(PPEXCL); P(PPDATADIR); P(PPNEGOT); P(PPWCTLONIRQ);
	P(PPCLRIRQ); P(PPSETPHASE); P(PPGETTIME); P(PPSETTIME); P(PPGETMODES);
	P(PPGETMODE); P(PPGETPHASE); P(PPGETFLAGS); P(PPSETFLAGS);
	P(PP_FLAGMASK); P(sizeof(struct timeval));
	return 0;
}
"#;

/// powerpc's `<asm/ioctl.h>` (`arch/powerpc/include/uapi/asm/ioctl.h`):
/// three direction bits, a 13-bit size, and other direction values.
const POWERPC_ASM_IOCTL_H: &str = r#"
#define _IOC_SIZEBITS	13
#define _IOC_DIRBITS	3
#define _IOC_NONE	1U
#define _IOC_READ	2U
#define _IOC_WRITE	4U
#include <asm-generic/ioctl.h>
"#;

/// Compiles and runs the probe for `bits` (32 or 64) and returns what it
/// printed, name to value. With `asm_ioctl_h`, that text replaces the
/// host's `<asm/ioctl.h>`, i.e. the ioctl encoding.
fn probe(bits: u32, asm_ioctl_h: Option<&str>) -> Result<HashMap<String, u64>, String> {
    let top = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!(
        "parown-uapi-probe-{}-{bits}-{}",
        std::process::id(),
        asm_ioctl_h.is_some()
    ));
    let src = dir.join("probe.c");
    let exe = dir.join("probe");
    std::fs::create_dir_all(dir.join("asm")).map_err(|e| e.to_string())?;
    std::fs::write(&src, PROBE).map_err(|e| e.to_string())?;
    if let Some(text) = asm_ioctl_h {
        std::fs::write(dir.join("asm/ioctl.h"), text).map_err(|e| e.to_string())?;
    }
    let built = Command::new("gcc")
        .arg(format!("-m{bits}"))
        .arg("-Wall")
        .arg("-Werror")
        .arg("-I")
        .arg(&dir)
        .arg("-I")
        .arg(top.join("include/uapi"))
        .arg("-o")
        .arg(&exe)
        .arg(&src)
        .status()
        .map_err(|e| format!("gcc: {e}"))?;
    if !built.success() {
        return Err(format!(
            "gcc cannot build the {bits}-bit probe (for 32: gcc-multilib)"
        ));
    }
    let out = Command::new(&exe).output().map_err(|e| e.to_string())?;
    std::fs::remove_dir_all(&dir).ok();
    let text = String::from_utf8(out.stdout).map_err(|e| e.to_string())?;
    text.lines()
        .map(|l| {
            let (k, v) = l.rsplit_once(' ').ok_or(format!("bad probe line {l}"))?;
            let v = v.parse().map_err(|_| format!("bad probe value {l}"))?;
            Ok((k.to_string(), v))
        })
        .collect()
}

fn check(c: &HashMap<String, u64>) {
    let v = |k: &str| {
        assert!(c.contains_key(k), "the probe lacks {k}");
        c.get(k).copied().unwrap_or_default()
    };
    assert_eq!(v("PAROWN_IOC_MAGIC"), u64::from(IOC_MAGIC));
    assert_eq!(v("PAROWN_ALLOCATE"), u64::from(ALLOCATE));
    assert_eq!(v("PAROWN_TRY_ALLOCATE"), u64::from(TRY_ALLOCATE));
    assert_eq!(v("PAROWN_FREE"), u64::from(FREE));
    assert_eq!(v("PAROWN_QUERY_WAITERS"), u64::from(QUERY_WAITERS));
    assert_eq!(v("PAROWN_GET_PORT_INFO"), u64::from(GET_PORT_INFO));
    assert_eq!(v("PAROWN_PORT_OWNED"), u64::from(PORT_OWNED));
    assert_eq!(v("PAROWN_PORT_OWNED_BY_ME"), u64::from(PORT_OWNED_BY_ME));
    assert_eq!(v("PAROWN_LOCK_PORT"), u64::from(LOCK_PORT));
    assert_eq!(v("PAROWN_UNLOCK_PORT"), u64::from(UNLOCK_PORT));
    assert_eq!(
        v("PAROWN_LOCK_PORT_NO_SELECT"),
        u64::from(LOCK_PORT_NO_SELECT)
    );
    assert_eq!(
        v("PAROWN_UNLOCK_PORT_NO_DESELECT"),
        u64::from(UNLOCK_PORT_NO_DESELECT)
    );
    assert_eq!(v("PAROWN_SELECT_DEVICE"), u64::from(SELECT_DEVICE));
    assert_eq!(v("PAROWN_DESELECT_DEVICE"), u64::from(DESELECT_DEVICE));
    assert_eq!(v("PAROWN_INIT_1284_3_BUS"), u64::from(INIT_1284_3_BUS));
    assert_eq!(
        v("PAROWN_END_OF_CHAIN_DEVICE"),
        u64::from(crate::selection::END_OF_CHAIN_DEVICE)
    );
    assert_eq!(
        v("PAROWN_HAVE_PORT_KEEP_PORT"),
        u64::from(crate::selection::HAVE_PORT_KEEP_PORT)
    );
    assert_eq!(v("PAROWN_GET_DEVICE_ID"), u64::from(GET_DEVICE_ID));
    assert_eq!(v("sizeof(struct parown_device_id)"), DeviceId::SIZE as u64);
    let offsets: Vec<u64> = [
        "device",
        "flags",
        "timeout_ms",
        "size",
        "buffer",
        "length",
        "reserved",
    ]
    .iter()
    .map(|f| v(&format!("parown_device_id.{f}")))
    .collect();
    assert_eq!(offsets, [0, 4, 8, 12, 16, 24, 28]);
    check_ppdev(&v);
    assert_eq!(v("sizeof(struct parown_device)"), Device::SIZE as u64);
    assert_eq!(
        Device::from_words([
            v("parown_device.device") as u32,
            v("parown_device.flags") as u32,
            v("parown_device.timeout_ms") as u32,
            v("parown_device.reserved") as u32,
        ]),
        Device {
            device: 0,
            flags: 4,
            timeout_ms: 8,
            reserved: 12
        },
        "fields in order at offsets 0, 4, 8, 12"
    );
    assert_eq!(v("sizeof(struct parown_allocate)"), Allocate::SIZE as u64);
    assert_eq!(v("sizeof(struct parown_port_info)"), PortInfo::SIZE as u64);

    assert_eq!(v("parown_allocate.timeout_ms"), 0);
    assert_eq!(v("parown_allocate.flags"), 4);
    assert_eq!(
        Allocate::from_words([7, 9]),
        Allocate {
            timeout_ms: 7,
            flags: 9
        }
    );

    // Give every field a distinct value and find it where C has it.
    let info = PortInfo {
        port: 0x1111_1111,
        flags: 0x2222_2222,
        base: 0x3333_3333_3333_3333,
        base_hi: 0x4444_4444_4444_4444,
        irq: 0x5555_5555,
        dma: 0x6666_6666,
        modes: 0x7777_7777,
        ieee1284_3_devices: 0x0888_8888,
    };
    let bytes = info.to_bytes();
    let at = |field: &str, value: &[u8]| {
        let off = v(&format!("parown_port_info.{field}")) as usize;
        assert_eq!(&bytes[off..off + value.len()], value, "field {field}");
    };
    at("port", &info.port.to_ne_bytes());
    at("flags", &info.flags.to_ne_bytes());
    at("base", &info.base.to_ne_bytes());
    at("base_hi", &info.base_hi.to_ne_bytes());
    at("irq", &info.irq.to_ne_bytes());
    at("dma", &info.dma.to_ne_bytes());
    at("modes", &info.modes.to_ne_bytes());
    at("ieee1284_3_devices", &info.ieee1284_3_devices.to_ne_bytes());
    let reserved = v("parown_port_info.reserved") as usize;
    assert!(
        bytes[reserved..].iter().all(|&b| b == 0),
        "reserved words are zero"
    );
}

/// ppdev's numbers as `<linux/ppdev.h>` has them: `PPGETTIME` and
/// `PPSETTIME` are the 32- or 64-bit form, as `struct timeval` is.
fn check_ppdev(v: &dyn Fn(&str) -> u64) {
    use ppdev::*;
    assert_eq!(v("PP_IOCTL"), u64::from(IOC_MAGIC));
    for (name, ours) in [
        ("PPSETMODE", SETMODE),
        ("PPRSTATUS", RSTATUS),
        ("PPRCONTROL", RCONTROL),
        ("PPWCONTROL", WCONTROL),
        ("PPRDATA", RDATA),
        ("PPWDATA", WDATA),
        ("PPCLAIM", CLAIM),
        ("PPRELEASE", RELEASE),
        ("PPYIELD", YIELD),
        ("PPFCONTROL", FCONTROL),
        ("PPEXCL", EXCL),
        ("PPDATADIR", DATADIR),
        ("PPNEGOT", NEGOT),
        ("PPWCTLONIRQ", WCTLONIRQ),
        ("PPCLRIRQ", CLRIRQ),
        ("PPSETPHASE", SETPHASE),
        ("PPGETMODES", GETMODES),
        ("PPGETMODE", GETMODE),
        ("PPGETPHASE", GETPHASE),
        ("PPGETFLAGS", GETFLAGS),
        ("PPSETFLAGS", SETFLAGS),
    ] {
        assert_eq!(v(name), u64::from(ours), "{name}");
    }
    let (get, set) = match v("sizeof(struct timeval)") {
        8 => (GETTIME32, SETTIME32),
        _ => (GETTIME64, SETTIME64),
    };
    assert_eq!(v("PPGETTIME"), u64::from(get));
    assert_eq!(v("PPSETTIME"), u64::from(set));
    assert_eq!(v("PP_FLAGMASK"), u64::from(crate::ppdev::FLAG_MASK));
}

#[test]
fn abi_matches_the_c_header_64_bit() -> Result<(), String> {
    check(&probe(64, None)?);
    Ok(())
}

/// Same layout for 32-bit user space, so compat ioctls need no conversion.
#[test]
fn abi_matches_the_c_header_32_bit() -> Result<(), String> {
    check(&probe(32, None)?);
    Ok(())
}

/// Why the module takes the kernel's `_IO*` and these tests alone the
/// asm-generic encoding: the header's numbers depend on the architecture.
/// Compiled with powerpc's encoding, not one of them is what the generic
/// encoding gives, so a module with hard-coded generic numbers would not
/// understand a single request there (the module's build-time assertions
/// in `file.rs` refuse such numbers on that architecture).
#[test]
fn abi_numbers_depend_on_the_architecture() -> Result<(), String> {
    let powerpc = probe(64, Some(POWERPC_ASM_IOCTL_H))?;
    let generic = [
        ("PAROWN_ALLOCATE", ALLOCATE),
        ("PAROWN_TRY_ALLOCATE", TRY_ALLOCATE),
        ("PAROWN_FREE", FREE),
        ("PAROWN_QUERY_WAITERS", QUERY_WAITERS),
        ("PAROWN_GET_PORT_INFO", GET_PORT_INFO),
        ("PAROWN_LOCK_PORT", LOCK_PORT),
        ("PAROWN_UNLOCK_PORT", UNLOCK_PORT),
        ("PAROWN_LOCK_PORT_NO_SELECT", LOCK_PORT_NO_SELECT),
        ("PAROWN_UNLOCK_PORT_NO_DESELECT", UNLOCK_PORT_NO_DESELECT),
        ("PAROWN_SELECT_DEVICE", SELECT_DEVICE),
        ("PAROWN_DESELECT_DEVICE", DESELECT_DEVICE),
        ("PAROWN_INIT_1284_3_BUS", INIT_1284_3_BUS),
    ];
    for (name, number) in generic {
        let on_powerpc = powerpc.get(name).copied();
        assert!(on_powerpc.is_some(), "the probe lacks {name}");
        assert_ne!(on_powerpc, Some(u64::from(number)), "{name}");
    }
    // The same request, decoded with powerpc's layout: direction WRITE (4)
    // in the top three bits, the size in the 13 below them.
    let allocate = powerpc.get("PAROWN_ALLOCATE").copied().unwrap_or_default();
    assert_eq!(allocate >> 29, 4);
    assert_eq!((allocate >> 16) & 0x1fff, Allocate::SIZE as u64);
    assert_eq!((allocate >> 8) & 0xff, u64::from(IOC_MAGIC));
    Ok(())
}

#[test]
fn device_id_request_decodes_field_by_field() {
    let mut b = [0u8; DeviceId::SIZE];
    for (at, v) in [(0, 3u32), (4, 1), (8, 500), (12, 64), (24, 9), (28, 0)] {
        b[at..at + 4].copy_from_slice(&v.to_ne_bytes());
    }
    b[16..24].copy_from_slice(&0x1234_5678_9abc_def0u64.to_ne_bytes());
    assert_eq!(DeviceId::from_bytes(b).to_bytes(), b, "encodes back");
    assert_eq!(
        DeviceId::from_bytes(b),
        DeviceId {
            device: 3,
            flags: 1,
            timeout_ms: 500,
            size: 64,
            buffer: 0x1234_5678_9abc_def0,
            length: 9,
            reserved: 0,
        }
    );
}
