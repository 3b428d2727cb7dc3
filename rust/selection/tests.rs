// SPDX-License-Identifier: GPL-2.0

//! The selection state machine, rule by rule.

use super::*;

fn with_devices(n: u8) -> Selection {
    let mut s = Selection::default();
    s.enumerated(n);
    s
}

const LOCK_FLAGS: u32 = END_OF_CHAIN_DEVICE;
const SELECT_FLAGS: u32 = END_OF_CHAIN_DEVICE | HAVE_PORT_KEEP_PORT;

#[test]
fn device_ids_are_checked_against_the_chain() {
    let s = with_devices(2);
    assert_eq!(s.device(0, 0, LOCK_FLAGS), Ok(Device::Daisy(0)));
    assert_eq!(s.device(1, 0, LOCK_FLAGS), Ok(Device::Daisy(1)));
    // In range (0-3) but not on this chain.
    assert_eq!(s.device(2, 0, LOCK_FLAGS), Err(BadDevice::Absent));
    assert_eq!(s.device(3, 0, LOCK_FLAGS), Err(BadDevice::Absent));
    // Out of range.
    assert_eq!(s.device(4, 0, LOCK_FLAGS), Err(BadDevice::Invalid));
    assert_eq!(s.device(u32::MAX, 0, LOCK_FLAGS), Err(BadDevice::Invalid));
}

#[test]
fn the_end_of_chain_flag_ignores_the_id() {
    for n in 0..=4 {
        let s = with_devices(n);
        assert_eq!(
            s.device(0, END_OF_CHAIN_DEVICE, LOCK_FLAGS),
            Ok(Device::EndOfChain)
        );
        assert_eq!(
            s.device(99, END_OF_CHAIN_DEVICE, LOCK_FLAGS),
            Ok(Device::EndOfChain)
        );
    }
}

#[test]
fn flags_a_request_does_not_take_are_invalid() {
    let s = with_devices(1);
    assert_eq!(
        s.device(0, HAVE_PORT_KEEP_PORT, LOCK_FLAGS),
        Err(BadDevice::Invalid)
    );
    assert_eq!(
        s.device(0, HAVE_PORT_KEEP_PORT, SELECT_FLAGS),
        Ok(Device::Daisy(0))
    );
    assert_eq!(s.device(0, 1 << 7, SELECT_FLAGS), Err(BadDevice::Invalid));
}

#[test]
fn without_a_chain_the_end_of_chain_needs_no_bus_cycle() {
    let none = with_devices(0);
    assert!(!none.select_needs_cycle(Device::EndOfChain));
    assert!(!none.deselect_needs_cycle());
    let chain = with_devices(1);
    assert!(chain.select_needs_cycle(Device::EndOfChain));
    assert!(chain.select_needs_cycle(Device::Daisy(0)));
    assert!(chain.deselect_needs_cycle());
}

#[test]
fn only_the_locked_device_can_be_unlocked() {
    let mut s = with_devices(3);
    assert_eq!(s.unlock_check(Device::Daisy(0)), None, "nothing locked");
    s.locked(Device::Daisy(1), true);
    assert_eq!(s.unlock_check(Device::Daisy(0)), None);
    assert_eq!(s.unlock_check(Device::EndOfChain), None);
    assert_eq!(
        s.unlock_check(Device::Daisy(1)),
        Some(Lock {
            device: Device::Daisy(1),
            selected: true
        })
    );
    s.unlocked();
    assert_eq!(s.unlock_check(Device::Daisy(1)), None);
}

#[test]
fn enumeration_deselects_the_locked_device_and_updates_the_count() {
    let mut s = with_devices(2);
    s.locked(Device::Daisy(1), true);
    s.enumerated(4);
    assert_eq!(s.devices(), 4);
    assert_eq!(
        s.lock(),
        Some(Lock {
            device: Device::Daisy(1),
            selected: false
        })
    );
    s.enumerated(9);
    assert_eq!(s.devices(), MAX_DEVICES);
}

#[test]
fn an_enumeration_makes_the_chain_known_even_when_empty() {
    let mut s = Selection::default();
    assert!(!s.known());
    s.enumerated(0);
    assert!(s.known());
    assert_eq!(0, s.devices());
}
