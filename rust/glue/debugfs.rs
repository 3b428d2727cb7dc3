// SPDX-License-Identifier: GPL-2.0

//! The live state's debugfs files, `/sys/kernel/debug/parown/parportN`:
//! each read asks a [`ShowState`] for its text. The kernel crate's debugfs
//! binding changes between the kernels parown supports, so this goes
//! through the C glue (`parown_debugfs.c`), which keeps to the long-stable
//! `seq_file` calls.
//!
//! C headers: [`include/linux/debugfs.h`](srctree/include/linux/debugfs.h),
//! [`include/linux/seq_file.h`](srctree/include/linux/seq_file.h).

use super::ffi;
use core::{
    fmt,
    marker::PhantomData,
    ptr::NonNull, //
};
use kernel::{
    ffi::{
        c_int,
        c_void, //
    },
    prelude::*,
    sync::Arc,
};

/// What a state file shows.
pub(crate) trait ShowState: Send + Sync {
    /// Writes the state's text to `out`.
    fn show(&self, out: &mut StateWriter<'_>) -> fmt::Result;
}

/// Where a read of a state file goes: its `seq_file`.
///
/// # Invariants
///
/// `m` is the `seq_file` of a read in progress, for `'a`.
pub(crate) struct StateWriter<'a> {
    m: NonNull<ffi::seq_file>,
    _read: PhantomData<&'a mut ffi::seq_file>,
}

impl fmt::Write for StateWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        // SAFETY: by the type invariant, `m` is a `seq_file` being read;
        // `s` is valid for `s.len()` bytes. An overflow is `seq_file`'s to
        // handle: it reads again with a larger buffer.
        unsafe { ffi::parown_glue_seq_write(self.m.as_ptr(), s.as_ptr(), s.len()) };
        Ok(())
    }
}

/// parown's debugfs directory, `parown/`, whose files show a `T`. One per
/// module: the C glue keeps one directory.
pub(crate) struct StateDir<T: ShowState>(PhantomData<T>);

impl<T: ShowState> StateDir<T> {
    const OPS: ffi::parown_glue_state_ops = ffi::parown_glue_state_ops { show: Self::show };

    /// Creates the directory (nothing if debugfs is not there: debugfs
    /// users go on without it).
    pub(crate) fn new() -> Result<Arc<Self>> {
        // Allocated first: once the directory exists, only `drop` may
        // remove it.
        let dir = Arc::new(Self(PhantomData), GFP_KERNEL)?;
        // SAFETY: `OPS` is static and its callback expects the `ctx` of
        // `StateFile<T>`, the only files created under this directory.
        unsafe { ffi::parown_glue_debugfs_init(&Self::OPS) };
        Ok(dir)
    }

    /// # Safety
    ///
    /// `ctx` must be the `ctx` of a [`StateFile<T>`] that is not dropped
    /// yet, and `m` a `seq_file` being read.
    unsafe extern "C" fn show(ctx: *const c_void, m: *mut ffi::seq_file) -> c_int {
        // SAFETY: the glue reads a file only until
        // `parown_glue_debugfs_remove()` returns, which `StateFile::drop`
        // calls before it drops the `Arc<T>` that `ctx` points into.
        let this = unsafe { &*ctx.cast::<T>() };
        let Some(m) = NonNull::new(m) else {
            return EINVAL.to_errno();
        };
        // INVARIANT: `m` is the `seq_file` of this read.
        let mut out = StateWriter {
            m,
            _read: PhantomData,
        };
        match this.show(&mut out) {
            Ok(()) => 0,
            Err(fmt::Error) => ENOMEM.to_errno(),
        }
    }
}

impl<T: ShowState> Drop for StateDir<T> {
    fn drop(&mut self) {
        // SAFETY: every `StateFile` keeps its directory alive, so none is
        // left; removing the directory removes nothing else.
        unsafe { ffi::parown_glue_debugfs_exit() };
    }
}

/// One port's state file, `parown/parportN`.
///
/// # Invariants
///
/// `dentry` is the file `parown_glue_debugfs_port()` returned (possibly an
/// error or null, which debugfs accepts back), with `_data`'s pointer as its
/// `ctx`, under `_dir`.
pub(crate) struct StateFile<T: ShowState> {
    dentry: *mut ffi::dentry,
    /// What the file shows; dropped after `drop` removed the file.
    _data: Arc<T>,
    _dir: Arc<StateDir<T>>,
}

// SAFETY: the dentry is only passed back to debugfs, from any thread;
// `T` is `Send + Sync`.
unsafe impl<T: ShowState> Send for StateFile<T> {}
// SAFETY: `&StateFile` gives access to nothing.
unsafe impl<T: ShowState> Sync for StateFile<T> {}

impl<T: ShowState> StateFile<T> {
    /// Creates `parport<number>` under `dir`, showing `data`.
    pub(crate) fn new(dir: &Arc<StateDir<T>>, number: u32, data: Arc<T>) -> Self {
        let ctx = Arc::as_ptr(&data).cast::<c_void>();
        // SAFETY: `ctx` stays valid until `drop` has removed the file:
        // `_data` holds it.
        let dentry = unsafe { ffi::parown_glue_debugfs_port(number, ctx) };
        // INVARIANT: the file of `data`, under `dir`.
        Self {
            dentry,
            _data: data,
            _dir: dir.clone(),
        }
    }
}

impl<T: ShowState> Drop for StateFile<T> {
    fn drop(&mut self) {
        // SAFETY: by the type invariant `dentry` is this file's; the call
        // returns once no read of it runs, before `_data` is dropped.
        unsafe { ffi::parown_glue_debugfs_remove(self.dentry) };
    }
}
