// SPDX-License-Identifier: GPL-2.0

//! The CPP protocol against the model chain of `selftests/sim/chain.rs`,
//! the one the simulated port of the VM tests uses.

use super::*;
use crate::{
    chain::Target,
    chain_lines::ChainLines,
    compat, //
};

#[test]
fn enumeration_counts_zero_to_four_devices() {
    for devices in 0..=4 {
        let mut lines = ChainLines::new(devices);
        assert_eq!(enumerate(&mut lines), devices, "{devices} devices");
        assert_eq!(
            lines.chain.selected(),
            None,
            "enumeration leaves all deselected"
        );
        assert!(
            lines.delivered.is_empty(),
            "no data strobes while enumerating"
        );
    }
}

#[test]
fn no_chain_means_no_select_and_no_deselect() {
    let mut lines = ChainLines::new(0);
    assert_eq!(enumerate(&mut lines), 0);
    assert_eq!(select(&mut lines, 0), Err(Failure::NoChain));
    assert_eq!(deselect_all(&mut lines), Err(Failure::NoChain));
}

#[test]
fn a_selected_device_gets_the_data_and_nobody_else() {
    let mut lines = ChainLines::new(3);
    assert_eq!(enumerate(&mut lines), 3);
    for addr in 0..3 {
        assert_eq!(select(&mut lines, addr), Ok(()));
        assert_eq!(lines.chain.selected(), Some(addr));
        let data = [b'0' + addr; 5];
        assert_eq!(compat::write(&mut lines, &data), (5, None));
    }
    assert_eq!(deselect_all(&mut lines), Ok(()));
    assert_eq!(lines.chain.selected(), None);
    assert_eq!(compat::write(&mut lines, b"eoc"), (3, None));
    assert_eq!(lines.received(Target::Device(0)), b"00000");
    assert_eq!(lines.received(Target::Device(1)), b"11111");
    assert_eq!(lines.received(Target::Device(2)), b"22222");
    assert_eq!(lines.received(Target::Device(3)), b"");
    assert_eq!(lines.received(Target::EndOfChain), b"eoc");
}

#[test]
fn a_device_that_is_not_there_does_not_answer() {
    let mut lines = ChainLines::new(2);
    assert_eq!(enumerate(&mut lines), 2);
    assert_eq!(select(&mut lines, 2), Err(Failure::NoAnswer));
    assert_eq!(select(&mut lines, 3), Err(Failure::NoAnswer));
    assert_eq!(lines.chain.selected(), None);
}

#[test]
fn a_silent_device_is_not_taken_for_selected() {
    let mut lines = ChainLines::new(2);
    enumerate(&mut lines);
    lines.chain.set_muted(Some(1));
    assert_eq!(select(&mut lines, 1), Err(Failure::NoAnswer));
    assert_eq!(lines.chain.selected(), None);
    assert_eq!(select(&mut lines, 0), Ok(()));
}

#[test]
fn devices_without_addresses_do_not_answer_until_enumerated() {
    let mut lines = ChainLines::new(2);
    assert_eq!(select(&mut lines, 0), Err(Failure::NoAnswer));
    enumerate(&mut lines);
    lines.chain.set_devices(4);
    assert_eq!(select(&mut lines, 3), Err(Failure::NoAnswer));
    assert_eq!(enumerate(&mut lines), 4);
    assert_eq!(select(&mut lines, 3), Ok(()));
}
