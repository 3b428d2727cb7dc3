// SPDX-License-Identifier: GPL-2.0

//! The parport core's claim and release for [`HwClaim`]: parown's
//! pardevice. Kept apart from `hw_claim.rs`, which the host tests build
//! with a model of the core instead.
//!
//! [`HwClaim`]: super::hw_claim::HwClaim

use super::hw_claim::CoreClaim;
use crate::glue::pardevice::Pardevice;

impl CoreClaim for Pardevice {
    fn claim(&self) -> bool {
        Pardevice::claim(self)
    }

    fn release(&self) {
        Pardevice::release(self)
    }
}
