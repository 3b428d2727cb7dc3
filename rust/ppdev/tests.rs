// SPDX-License-Identifier: GPL-2.0

//! ppdev's state rules, as ppdev applies them.

use super::*;

#[test]
fn a_new_client_is_in_compatibility_mode_forward_idle() {
    let s = Session::new();
    assert_eq!(s.mode, mode::COMPAT);
    assert_eq!(s.phase, phase::FWD_IDLE);
    assert_eq!(s.flags, 0);
    assert_eq!(s.timeout, None);
    assert_eq!(s.irq_control, None);
    assert!(!s.exclusive);
}

#[test]
fn reverse_modes_start_reverse_idle_whatever_their_flags() {
    for mode in [
        mode::NIBBLE,
        mode::BYTE,
        mode::NIBBLE | mode::DEVICEID,
        mode::BYTE | mode::ADDR,
    ] {
        assert_eq!(initial_phase(mode), phase::REV_IDLE, "mode {mode:#x}");
    }
    // ECP, EPP, compatibility.
    for mode in [1 << 4, 1 << 6, mode::COMPAT, (1 << 6) | mode::ADDR] {
        assert_eq!(initial_phase(mode), phase::FWD_IDLE, "mode {mode:#x}");
    }
}

#[test]
fn set_mode_resets_the_phase() {
    let mut s = Session::new();
    s.phase = 7;
    s.set_mode(mode::NIBBLE);
    assert_eq!((s.mode, s.phase), (mode::NIBBLE, phase::REV_IDLE));
    s.set_mode(mode::COMPAT);
    assert_eq!((s.mode, s.phase), (mode::COMPAT, phase::FWD_IDLE));
}

#[test]
fn set_flags_keeps_only_the_visible_flags() {
    let mut s = Session::new();
    s.set_flags(-1);
    assert_eq!(s.flags, FLAG_MASK);
    s.set_flags(1 << 2 | 1 << 0 | 1 << 30);
    assert_eq!(s.flags, 1 << 2);
    s.set_flags(0);
    assert_eq!(s.flags, 0);
}

#[test]
fn phases_are_those_of_the_core() {
    assert!(valid_phase(0));
    assert!(valid_phase(phase::ECP_DIR_UNKNOWN));
    assert!(!valid_phase(-1));
    assert!(!valid_phase(phase::ECP_DIR_UNKNOWN + 1));
}

#[test]
fn timevals_are_checked_as_ppdev_does() {
    assert!(valid_timeval(0, 0));
    assert!(valid_timeval(5, 999_999));
    assert!(!valid_timeval(-1, 0));
    assert!(!valid_timeval(0, -1));
    assert!(!valid_timeval(0, 1_000_000));
}
