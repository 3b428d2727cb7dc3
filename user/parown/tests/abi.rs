// SPDX-License-Identifier: GPL-2.0

//! The crate's ABI must be the C header's: compile a probe against
//! `include/uapi/linux/parown.h` and compare every number, as the module's
//! own test does (`rust/uapi/tests.rs`).

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

const PROBE: &str = r#"
#include <stddef.h>
#include <stdio.h>
#include <linux/parown.h>
#define P(x) printf("%s %llu\n", #x, (unsigned long long)(x))
#define O(s, f) printf("%s.%s %zu\n", #s, #f, offsetof(struct s, f))
int main(void)
{
	P(PAROWN_IOC_MAGIC); P(PAROWN_PORT_OWNED); P(PAROWN_PORT_OWNED_BY_ME);
	P(PAROWN_END_OF_CHAIN_DEVICE); P(PAROWN_HAVE_PORT_KEEP_PORT);
	P(PAROWN_ALLOCATE); P(PAROWN_TRY_ALLOCATE); P(PAROWN_FREE);
	P(PAROWN_QUERY_WAITERS); P(PAROWN_GET_PORT_INFO); P(PAROWN_LOCK_PORT);
	P(PAROWN_UNLOCK_PORT); P(PAROWN_LOCK_PORT_NO_SELECT);
	P(PAROWN_UNLOCK_PORT_NO_DESELECT); P(PAROWN_SELECT_DEVICE);
	P(PAROWN_DESELECT_DEVICE); P(PAROWN_INIT_1284_3_BUS);
	P(PAROWN_GET_DEVICE_ID);
	P(sizeof(struct parown_allocate)); P(sizeof(struct parown_port_info));
	P(sizeof(struct parown_device)); P(sizeof(struct parown_device_id));
	O(parown_allocate, timeout_ms); O(parown_allocate, flags);
	O(parown_port_info, port); O(parown_port_info, flags);
	O(parown_port_info, base); O(parown_port_info, base_hi);
	O(parown_port_info, irq); O(parown_port_info, dma);
	O(parown_port_info, modes); O(parown_port_info, ieee1284_3_devices);
	O(parown_port_info, reserved);
	O(parown_device, device); O(parown_device, flags);
	O(parown_device, timeout_ms); O(parown_device, reserved);
	O(parown_device_id, device); O(parown_device_id, flags);
	O(parown_device_id, timeout_ms); O(parown_device_id, size);
	O(parown_device_id, buffer); O(parown_device_id, length);
	O(parown_device_id, reserved);
	return 0;
}
"#;

/// The header's numbers, by name: the probe is built and run once.
fn header() -> &'static HashMap<String, u64> {
    static NUMBERS: OnceLock<HashMap<String, u64>> = OnceLock::new();
    NUMBERS.get_or_init(probe)
}

fn probe() -> HashMap<String, u64> {
    let dir = std::env::temp_dir().join(format!("parown-abi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (src, bin) = (dir.join("probe.c"), dir.join("probe"));
    std::fs::write(&src, PROBE).unwrap();
    let uapi = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../include/uapi");
    let cc = Command::new("cc")
        .arg("-I")
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
fn every_ioctl_number_and_flag_is_the_headers() {
    let c = header();
    for (name, number) in REQUESTS {
        // An ioctl number is a `c_ulong`: 32 bits on 32-bit targets.
        #[allow(clippy::useless_conversion)]
        let number = u64::from(number);
        assert_eq!(c[name], number, "{name}");
    }
    assert_eq!(c["PAROWN_IOC_MAGIC"], u64::from(PAROWN_IOC_MAGIC));
    assert_eq!(c["PAROWN_PORT_OWNED"], u64::from(PAROWN_PORT_OWNED));
    assert_eq!(
        c["PAROWN_PORT_OWNED_BY_ME"],
        u64::from(PAROWN_PORT_OWNED_BY_ME)
    );
    assert_eq!(
        c["PAROWN_END_OF_CHAIN_DEVICE"],
        u64::from(PAROWN_END_OF_CHAIN_DEVICE)
    );
    assert_eq!(
        c["PAROWN_HAVE_PORT_KEEP_PORT"],
        u64::from(PAROWN_HAVE_PORT_KEEP_PORT)
    );
}

#[test]
fn every_structure_has_the_headers_layout() {
    let c = header();
    let check = |name: &str, rust: usize| assert_eq!(c[name], rust as u64, "{name}");
    check(
        "sizeof(struct parown_allocate)",
        size_of::<ParownAllocate>(),
    );
    check(
        "sizeof(struct parown_port_info)",
        size_of::<ParownPortInfo>(),
    );
    check("sizeof(struct parown_device)", size_of::<ParownDevice>());
    check(
        "sizeof(struct parown_device_id)",
        size_of::<ParownDeviceId>(),
    );
    check(
        "parown_allocate.timeout_ms",
        offset_of!(ParownAllocate, timeout_ms),
    );
    check("parown_allocate.flags", offset_of!(ParownAllocate, flags));
    check("parown_port_info.port", offset_of!(ParownPortInfo, port));
    check("parown_port_info.flags", offset_of!(ParownPortInfo, flags));
    check("parown_port_info.base", offset_of!(ParownPortInfo, base));
    check(
        "parown_port_info.base_hi",
        offset_of!(ParownPortInfo, base_hi),
    );
    check("parown_port_info.irq", offset_of!(ParownPortInfo, irq));
    check("parown_port_info.dma", offset_of!(ParownPortInfo, dma));
    check("parown_port_info.modes", offset_of!(ParownPortInfo, modes));
    check(
        "parown_port_info.ieee1284_3_devices",
        offset_of!(ParownPortInfo, ieee1284_3_devices),
    );
    check(
        "parown_port_info.reserved",
        offset_of!(ParownPortInfo, reserved),
    );
    check("parown_device.device", offset_of!(ParownDevice, device));
    check("parown_device.flags", offset_of!(ParownDevice, flags));
    check(
        "parown_device.timeout_ms",
        offset_of!(ParownDevice, timeout_ms),
    );
    check("parown_device.reserved", offset_of!(ParownDevice, reserved));
    check(
        "parown_device_id.device",
        offset_of!(ParownDeviceId, device),
    );
    check("parown_device_id.flags", offset_of!(ParownDeviceId, flags));
    check(
        "parown_device_id.timeout_ms",
        offset_of!(ParownDeviceId, timeout_ms),
    );
    check("parown_device_id.size", offset_of!(ParownDeviceId, size));
    check(
        "parown_device_id.buffer",
        offset_of!(ParownDeviceId, buffer),
    );
    check(
        "parown_device_id.length",
        offset_of!(ParownDeviceId, length),
    );
    check(
        "parown_device_id.reserved",
        offset_of!(ParownDeviceId, reserved),
    );
}
