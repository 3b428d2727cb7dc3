// SPDX-License-Identifier: GPL-2.0

use super::*;

const BOTH: PortCaps = PortCaps {
    modes: port_mode::EPP | port_mode::ECP,
    ecp_read_releases: false,
};
const NONE: PortCaps = PortCaps {
    modes: 0,
    ecp_read_releases: false,
};

fn run(op: PortOp, flags: i32) -> Result<Option<HwTransfer>, NotRun> {
    Ok(Some(HwTransfer { op, flags }))
}

#[test]
fn modes_parown_runs_itself_are_not_the_ports() {
    for m in [
        mode::COMPAT,
        mode::NIBBLE,
        mode::BYTE,
        mode::NIBBLE | mode::DEVICEID,
    ] {
        for write in [false, true] {
            assert_eq!(Ok(None), hw_transfer(m, write, PP_FASTWRITE, BOTH));
        }
    }
}

#[test]
fn epp_data_and_address_with_ppdevs_flags() {
    let a = mode::EPP | mode::ADDR;
    assert_eq!(
        run(PortOp::EppWriteData, 0),
        hw_transfer(mode::EPP, true, 0, BOTH)
    );
    assert_eq!(run(PortOp::EppWriteAddr, 0), hw_transfer(a, true, 0, BOTH));
    assert_eq!(
        run(PortOp::EppWriteData, PARPORT_EPP_FAST),
        hw_transfer(mode::EPP, true, PP_FASTWRITE, BOTH)
    );
    assert_eq!(
        run(PortOp::EppWriteAddr, PARPORT_EPP_FAST),
        hw_transfer(a, true, PP_FASTWRITE, BOTH)
    );
    // Read flags do not change a write, as in pp_write().
    assert_eq!(
        run(PortOp::EppWriteData, 0),
        hw_transfer(mode::EPP, true, PP_FASTREAD | PP_W91284PIC, BOTH)
    );
    assert_eq!(
        run(PortOp::EppReadData, 0),
        hw_transfer(mode::EPP, false, 0, BOTH)
    );
    assert_eq!(run(PortOp::EppReadAddr, 0), hw_transfer(a, false, 0, BOTH));
    assert_eq!(
        run(PortOp::EppReadData, PARPORT_EPP_FAST),
        hw_transfer(mode::EPP, false, PP_FASTREAD, BOTH)
    );
    assert_eq!(
        run(PortOp::EppReadAddr, PARPORT_EPP_FAST | PARPORT_W91284PIC),
        hw_transfer(a, false, PP_FASTREAD | PP_W91284PIC, BOTH)
    );
    // The write flag does not change a read, as in pp_read().
    assert_eq!(
        run(PortOp::EppReadData, 0),
        hw_transfer(mode::EPP, false, PP_FASTWRITE, BOTH)
    );
}

#[test]
fn ecp_as_parport_read_and_write() {
    let a = mode::ECP | mode::ADDR;
    assert_eq!(
        run(PortOp::EcpWriteData, 0),
        hw_transfer(mode::ECP, true, PP_FASTWRITE, BOTH)
    );
    assert_eq!(run(PortOp::EcpWriteAddr, 0), hw_transfer(a, true, 0, BOTH));
    assert_eq!(
        run(PortOp::EcpWriteData, 0),
        hw_transfer(mode::ECPRLE, true, 0, BOTH)
    );
    assert_eq!(
        run(PortOp::EcpReadData, 0),
        hw_transfer(mode::ECP, false, PP_FASTREAD, BOTH)
    );
    assert_eq!(run(PortOp::EcpReadData, 0), hw_transfer(a, false, 0, BOTH));
    assert_eq!(
        run(PortOp::EcpReadData, 0),
        hw_transfer(mode::ECPRLE, false, 0, BOTH)
    );
}

#[test]
fn an_ecp_read_that_would_let_the_port_go_is_parowns() {
    let caps = PortCaps {
        ecp_read_releases: true,
        ..BOTH
    };
    assert_eq!(Ok(None), hw_transfer(mode::ECP, false, 0, caps));
    assert_eq!(
        Ok(None),
        hw_transfer(mode::ECPRLE | mode::ADDR, false, 0, caps)
    );
    // Not on a port without ECP hardware.
    let no_ecp = PortCaps {
        modes: port_mode::EPP,
        ..caps
    };
    assert_eq!(
        Err(NotRun::Unsupported),
        hw_transfer(mode::ECP, false, 0, no_ecp)
    );
    // Writes never release the port.
    assert_eq!(
        run(PortOp::EcpWriteData, 0),
        hw_transfer(mode::ECP, true, 0, caps)
    );
}

#[test]
fn a_port_without_the_hardware_is_refused() {
    for m in [mode::EPP, mode::EPP | mode::ADDR, mode::ECP, mode::ECPRLE] {
        for write in [false, true] {
            assert_eq!(Err(NotRun::Unsupported), hw_transfer(m, write, 0, NONE));
        }
    }
    let epp_only = PortCaps {
        modes: port_mode::EPP,
        ..NONE
    };
    assert_eq!(
        Err(NotRun::Unsupported),
        hw_transfer(mode::ECP, true, 0, epp_only)
    );
    assert_eq!(
        run(PortOp::EppWriteData, 0),
        hw_transfer(mode::EPP, true, 0, epp_only)
    );
}

#[test]
fn emulated_and_unknown_modes() {
    for m in [mode::ECPSWE, mode::EPPSWE, mode::EPPSL] {
        assert_eq!(Err(NotRun::Unsupported), hw_transfer(m, true, 0, BOTH));
        assert_eq!(Err(NotRun::Unsupported), hw_transfer(m, false, 0, BOTH));
    }
    assert_eq!(
        Err(NotRun::UnknownMode),
        hw_transfer(mode::BECP, true, 0, BOTH)
    );
    assert_eq!(
        Err(NotRun::UnknownMode),
        hw_transfer(1 << 7, false, 0, BOTH)
    );
}
