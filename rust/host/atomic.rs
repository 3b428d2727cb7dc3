// SPDX-License-Identifier: GPL-2.0

//! The host's stand-in for `kernel::sync::atomic`, for code shared with the
//! module that uses atomics (`crate::atomic::{Atomic, ordering}`).
//!
//! The module's crate root makes `crate::atomic` the kernel's own module;
//! the host crate root includes this file under the same name. That is the
//! whole kernel-versus-host choice. Here, `cargo test` builds on `loom`'s
//! atomics, so that the tests' `loom::model` explores every interleaving
//! and every value the memory model lets a load see; other host builds
//! (no dev-dependencies) use `core`'s.
//!
//! The API is the part of the kernel's that shared code uses, with the same
//! restrictions (`load` takes `Acquire` or `Relaxed`, `store` `Release` or
//! `Relaxed`). The orderings mean what the kernel's mean (LKMM), modelled
//! no stronger than the kernel promises:
//!
//! - `Relaxed`, `Acquire`, `Release`: the C11 orderings of the same name;
//! - `Full` on a read-modify-write: the operation with acquire and release
//!   semantics, then a `SeqCst` fence, which orders everything before it
//!   against everything after it as the kernel's full barrier does (loom
//!   models `SeqCst` fences exactly, but `SeqCst` accesses only as
//!   acquire-release). The kernel also puts a full barrier before the
//!   operation; leaving it out makes the model weaker, so a claim that
//!   passes here holds with it too;
//! - a failed `cmpxchg` is a `Relaxed` load whatever its ordering, as in
//!   the kernel.

#[cfg(test)]
use loom::sync::atomic::{
    fence,
    AtomicBool,
    AtomicI32,
    AtomicU32,
    AtomicUsize, //
};

#[cfg(not(test))]
use core::sync::atomic::{
    fence,
    AtomicBool,
    AtomicI32,
    AtomicU32,
    AtomicUsize, //
};

use core::sync::atomic::Ordering as Std;

/// The kernel's ordering annotations.
pub(crate) mod ordering {
    use super::Std;

    /// No ordering.
    pub(crate) struct Relaxed;
    /// Later accesses stay after the load.
    pub(crate) struct Acquire;
    /// Earlier accesses stay before the store.
    pub(crate) struct Release;
    /// A full barrier on each side of the operation.
    pub(crate) struct Full;

    /// An ordering annotation.
    pub(crate) trait Ordering {
        /// The C11 ordering of the access itself.
        const ACCESS: Std;
        /// Whether a successful read-modify-write ends with a full barrier.
        const FENCE: bool;
    }

    impl Ordering for Relaxed {
        const ACCESS: Std = Std::Relaxed;
        const FENCE: bool = false;
    }

    impl Ordering for Acquire {
        const ACCESS: Std = Std::Acquire;
        const FENCE: bool = false;
    }

    impl Ordering for Release {
        const ACCESS: Std = Std::Release;
        const FENCE: bool = false;
    }

    impl Ordering for Full {
        const ACCESS: Std = Std::AcqRel;
        const FENCE: bool = true;
    }

    /// The orderings a load may have.
    pub(crate) trait AcquireOrRelaxed: Ordering {}
    impl AcquireOrRelaxed for Acquire {}
    impl AcquireOrRelaxed for Relaxed {}

    /// The orderings a store may have.
    pub(crate) trait ReleaseOrRelaxed: Ordering {}
    impl ReleaseOrRelaxed for Release {}
    impl ReleaseOrRelaxed for Relaxed {}
}

use ordering::{
    AcquireOrRelaxed,
    Ordering,
    ReleaseOrRelaxed, //
};

/// A type with an atomic counterpart.
pub(crate) trait AtomicType: Copy + PartialEq {
    /// The atomic that holds it.
    type Repr;
    /// A new atomic holding `v`.
    fn new(v: Self) -> Self::Repr;
    /// `load`.
    fn load(a: &Self::Repr, o: Std) -> Self;
    /// `store`.
    fn store(a: &Self::Repr, v: Self, o: Std);
    /// `swap`.
    fn swap(a: &Self::Repr, v: Self, o: Std) -> Self;
    /// `compare_exchange`, relaxed on failure.
    fn compare_exchange(a: &Self::Repr, old: Self, new: Self, o: Std) -> Result<Self, Self>;
}

/// An integer type with an atomic addition.
pub(crate) trait AtomicAdd: AtomicType {
    /// `fetch_add`, wrapping.
    fn fetch_add(a: &Self::Repr, v: Self, o: Std) -> Self;
}

macro_rules! atomic_type {
    ($t:ty, $repr:ty) => {
        impl AtomicType for $t {
            type Repr = $repr;
            fn new(v: Self) -> Self::Repr {
                <$repr>::new(v)
            }
            fn load(a: &Self::Repr, o: Std) -> Self {
                a.load(o)
            }
            fn store(a: &Self::Repr, v: Self, o: Std) {
                a.store(v, o)
            }
            fn swap(a: &Self::Repr, v: Self, o: Std) -> Self {
                a.swap(v, o)
            }
            fn compare_exchange(
                a: &Self::Repr,
                old: Self,
                new: Self,
                o: Std,
            ) -> Result<Self, Self> {
                a.compare_exchange(old, new, o, Std::Relaxed)
            }
        }
    };
}

atomic_type!(bool, AtomicBool);
atomic_type!(i32, AtomicI32);
atomic_type!(u32, AtomicU32);
atomic_type!(usize, AtomicUsize);

impl AtomicAdd for u32 {
    fn fetch_add(a: &Self::Repr, v: Self, o: Std) -> Self {
        a.fetch_add(v, o)
    }
}

/// A successful read-modify-write with ordering `O` is done: add the
/// barrier after it, if `O` has one.
fn after<O: Ordering>() {
    if O::FENCE {
        fence(Std::SeqCst);
    }
}

/// The kernel's `Atomic<T>`, as far as shared code uses it.
pub(crate) struct Atomic<T: AtomicType>(T::Repr);

impl<T: AtomicType> Atomic<T> {
    /// A new atomic holding `v`.
    pub(crate) fn new(v: T) -> Self {
        Self(T::new(v))
    }

    /// Reads the value.
    pub(crate) fn load<O: AcquireOrRelaxed>(&self, _: O) -> T {
        T::load(&self.0, O::ACCESS)
    }

    /// Writes `v`.
    pub(crate) fn store<O: ReleaseOrRelaxed>(&self, v: T, _: O) {
        T::store(&self.0, v, O::ACCESS)
    }

    /// Writes `v`, returning the old value.
    pub(crate) fn xchg<O: Ordering>(&self, v: T, _: O) -> T {
        let old = T::swap(&self.0, v, O::ACCESS);
        after::<O>();
        old
    }

    /// Writes `new` if the value is `old`: `Ok(old)` then, otherwise
    /// `Err(current)`, with no ordering.
    pub(crate) fn cmpxchg<O: Ordering>(&self, old: T, new: T, _: O) -> Result<T, T> {
        let done = T::compare_exchange(&self.0, old, new, O::ACCESS);
        if done.is_ok() {
            after::<O>();
        }
        done
    }
}

impl<T: AtomicAdd> Atomic<T> {
    /// Adds `v`, wrapping, returning the old value.
    pub(crate) fn fetch_add<O: Ordering>(&self, v: T, _: O) -> T {
        let old = T::fetch_add(&self.0, v, O::ACCESS);
        after::<O>();
        old
    }
}
