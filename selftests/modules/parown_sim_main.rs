// SPDX-License-Identifier: GPL-2.0

//! parown_sim: a simulated parallel port with an IEEE 1284.3 daisy chain,
//! for parown's tests (and anyone without 1284.3 hardware). Its devices
//! speak IEEE 1284 too: nibble and byte mode, and each its own Device ID.
//!
//! The port's lines are the chain model of `selftests/sim/chain.rs`, the
//! same one parown's host tests run its protocol against; the C side,
//! `parown_sim_glue.c`, registers the port with the parport core and
//! offers what each device received in debugfs. Test-only: never install.

#[path = "../sim/chain.rs"]
mod chain;
#[path = "../../rust/kernel_compat.rs"]
mod kernel_compat;

use chain::Chain;
use kernel::{
    error::to_result,
    ffi::{
        c_int,
        c_uint,
        c_void, //
    },
    prelude::*, //
};
use kernel_compat::{
    new_irq_spinlock,
    IrqSpinLock, //
};

module! {
    type: ParownSim,
    name: "parown_sim",
    authors: ["The parown developers"],
    description: "parown test: a simulated parallel port with an IEEE 1284.3 daisy chain",
    license: "GPL",
    params: {
        devices: u32 {
            default: 2,
            description: "Daisy-chain devices on the port, 0-4",
        },
        hw_modes: u32 {
            default: 0,
            description: "ECP/EPP hardware the port claims, with recorded operations: 1 EPP, 2 ECP",
        },
    },
}

unsafe extern "C" {
    fn parown_sim_register(ctx: *const c_void, hw_modes: c_uint) -> c_int;
    fn parown_sim_unregister();
}

/// The chain, and every byte each device received (devices 0-3, then the
/// end-of-chain device).
struct State {
    chain: Chain,
    received: [KVec<u8>; 5],
}

/// The simulator the C side's port operations call into.
#[pin_data]
struct Sim {
    /// IRQ-safe: the port's operations run with interrupts off too.
    #[pin]
    state: IrqSpinLock<State>,
}

/// # Invariants
///
/// `sim` is registered with the C side, which calls into it until
/// `parown_sim_unregister()` returns.
struct ParownSim {
    _sim: Pin<KBox<Sim>>,
}

impl kernel::Module for ParownSim {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let devices = u8::try_from(kernel_compat::param::<u32>(
            module_parameters::devices.value(),
        ))
        .unwrap_or(4);
        let sim = KBox::pin_init(
            pin_init!(Sim {
                state <- new_irq_spinlock!(
                    State {
                        chain: Chain::new(devices),
                        received: [KVec::new(), KVec::new(), KVec::new(), KVec::new(), KVec::new()],
                    },
                    "Sim::state"
                ),
            }),
            GFP_KERNEL,
        )?;
        let hw_modes = kernel_compat::param::<u32>(module_parameters::hw_modes.value());
        // SAFETY: `sim` is pinned and outlives the registration, which
        // `Drop` ends before `sim` is freed.
        to_result(unsafe { parown_sim_register(core::ptr::from_ref(&*sim).cast(), hw_modes) })?;
        // INVARIANT: `sim` is registered.
        Ok(Self { _sim: sim })
    }
}

impl Drop for ParownSim {
    fn drop(&mut self) {
        // SAFETY: By the type invariant `sim` is registered; after this the
        // C side no longer calls into it.
        unsafe { parown_sim_unregister() };
    }
}

/// The simulator behind a `ctx` of the C side.
///
/// # Safety
///
/// `ctx` must be the pointer `ParownSim::init` registered, while it is
/// registered.
unsafe fn sim<'a>(ctx: *const c_void) -> &'a Sim {
    // SAFETY: The caller guarantees `ctx` points to the live, registered
    // `Sim`.
    unsafe { &*ctx.cast::<Sim>() }
}

/// The port's data register, read back.
///
/// # Safety
///
/// As for [`sim`].
#[no_mangle]
unsafe extern "C" fn parown_sim_read_data(ctx: *const c_void) -> u8 {
    // SAFETY: The C side passes its registered simulator.
    unsafe { sim(ctx) }.state.lock().chain.read_data()
}

/// The host wrote the data register.
///
/// # Safety
///
/// As for [`sim`].
#[no_mangle]
unsafe extern "C" fn parown_sim_write_data(ctx: *const c_void, data: u8) {
    // SAFETY: The C side passes its registered simulator.
    unsafe { sim(ctx) }.state.lock().chain.write_data(data);
}

/// The control register, read back.
///
/// # Safety
///
/// As for [`sim`].
#[no_mangle]
unsafe extern "C" fn parown_sim_read_control(ctx: *const c_void) -> u8 {
    // SAFETY: The C side passes its registered simulator.
    unsafe { sim(ctx) }.state.lock().chain.read_control()
}

/// The host wrote the control register: a strobe may deliver a byte.
///
/// # Safety
///
/// As for [`sim`].
#[no_mangle]
unsafe extern "C" fn parown_sim_write_control(ctx: *const c_void, control: u8) {
    // SAFETY: The C side passes its registered simulator.
    let mut state = unsafe { sim(ctx) }.state.lock();
    if let Some((target, byte)) = state.chain.write_control(control) {
        // Interrupts may be off: no sleeping allocation. A lost byte shows
        // in the record as a missing one, which fails the test reading it.
        let _ = state.received[target.index()].push(byte, GFP_ATOMIC);
    }
}

/// The host turned its data lines to input (non-zero) or output.
///
/// # Safety
///
/// As for [`sim`].
#[no_mangle]
unsafe extern "C" fn parown_sim_set_reverse(ctx: *const c_void, reverse: c_int) {
    // SAFETY: The C side passes its registered simulator.
    unsafe { sim(ctx) }
        .state
        .lock()
        .chain
        .set_reverse(reverse != 0);
}

/// The status register.
///
/// # Safety
///
/// As for [`sim`].
#[no_mangle]
unsafe extern "C" fn parown_sim_read_status(ctx: *const c_void) -> u8 {
    // SAFETY: The C side passes its registered simulator.
    unsafe { sim(ctx) }.state.lock().chain.read_status()
}

/// Copies up to `len` of the bytes `target` received into `buf`; returns
/// how many it received in all.
///
/// # Safety
///
/// As for [`sim`]; `buf` is writable for `len` bytes (or `len` is 0).
#[no_mangle]
unsafe extern "C" fn parown_sim_received(
    ctx: *const c_void,
    target: c_uint,
    buf: *mut u8,
    len: usize,
) -> usize {
    // SAFETY: The C side passes its registered simulator.
    let state = unsafe { sim(ctx) }.state.lock();
    let Some(received) = usize::try_from(target)
        .ok()
        .and_then(|t| state.received.get(t))
    else {
        return 0;
    };
    let n = received.len().min(len);
    if n > 0 {
        // SAFETY: `buf` is writable for `len >= n` bytes and is not ours.
        unsafe { core::ptr::copy_nonoverlapping(received.as_ptr(), buf, n) };
    }
    received.len()
}

/// Plugs in a chain of `devices` (they need enumerating).
///
/// # Safety
///
/// As for [`sim`].
#[no_mangle]
unsafe extern "C" fn parown_sim_set_devices(ctx: *const c_void, devices: c_uint) {
    let devices = u8::try_from(devices).unwrap_or(4);
    // SAFETY: The C side passes its registered simulator.
    unsafe { sim(ctx) }.state.lock().chain.set_devices(devices);
}

/// Makes device `addr` stop answering selects (-1: all answer).
///
/// # Safety
///
/// As for [`sim`].
#[no_mangle]
unsafe extern "C" fn parown_sim_set_muted(ctx: *const c_void, addr: c_int) {
    // SAFETY: The C side passes its registered simulator.
    unsafe { sim(ctx) }
        .state
        .lock()
        .chain
        .set_muted(u8::try_from(addr).ok());
}

/// Makes the peripherals report busy (non-zero) or ready (0).
///
/// # Safety
///
/// As for [`sim`].
#[no_mangle]
unsafe extern "C" fn parown_sim_set_busy(ctx: *const c_void, busy: c_int) {
    // SAFETY: The C side passes its registered simulator.
    unsafe { sim(ctx) }.state.lock().chain.set_busy(busy != 0);
}

/// Empties the records.
///
/// # Safety
///
/// As for [`sim`].
#[no_mangle]
unsafe extern "C" fn parown_sim_forget(ctx: *const c_void) {
    // SAFETY: The C side passes its registered simulator.
    for received in unsafe { sim(ctx) }.state.lock().received.iter_mut() {
        received.clear();
    }
}
