// SPDX-License-Identifier: GPL-2.0

//! Misc devices that carry data for their `open`, and keep their module
//! loaded while a file is open.
//!
//! The kernel's [`MiscDeviceRegistration`] gives `open` nothing but the
//! registration itself. parown has one node per port and `open` must find
//! the port, so [`Registration`] keeps the data next to the `struct
//! miscdevice` and `open` recovers it with `container_of!`.
//!
//! Before 7.3 the kernel crate's misc device glue also leaves the files'
//! `file_operations.owner` unset, so nothing keeps the module loaded while
//! a file is open, and unloading it leaves open files calling into freed
//! code. Every node here uses [`FileOperations`] instead: the kernel
//! crate's own operations for [`Adapter`], with `owner` set, on every
//! kernel alike.
//!
//! That is sound because `Adapter` is private to this file: every `struct
//! miscdevice` whose operations are `Adapter<T>`'s is the `inner` field of
//! a [`Registration<T>`].
//!
//! The kernel crate's misc devices have no `poll`; [`FileOperations`] adds
//! it to the copied operations. 32-bit processes reach `ioctl` through the
//! kernel crate's default `compat_ioctl`, `compat_ptr_ioctl()`, as ppdev's
//! do: every argument of parown's and ppdev's ioctls has the same layout
//! for 32- and 64-bit processes, or (ppdev's `PPGETTIME`/`PPSETTIME`) a
//! size that the ioctl number encodes, so nothing needs translating.
//!
//! C header: [`include/linux/miscdevice.h`](srctree/include/linux/miscdevice.h).

use core::{
    marker::PhantomData,
    ptr, //
};
use kernel::{
    bindings,
    error::to_result,
    ffi::c_uint,
    fs::{
        File,
        Kiocb, //
    },
    iov::{
        IovIterDest,
        IovIterSource, //
    },
    miscdevice::{
        MiscDevice,
        MiscDeviceOptions,
        MiscDeviceRegistration, //
    },
    prelude::*,
    sync::{
        poll::PollTable,
        Arc, //
    },
    types::{
        ForeignOwnable,
        Opaque, //
    },
    ThisModule,
};

/// The file operations of a misc device with data, implemented by the
/// per-open state of the file.
pub(crate) trait FileOps: Sized + Send + Sync + 'static {
    /// The data shared by every open of one node.
    type Data: Send + Sync;

    /// Called when the node is opened; returns the file's state.
    fn open(data: &Self::Data, file: &File) -> Result<Pin<KBox<Self>>>;

    /// Handles an ioctl on an open file.
    fn ioctl(this: Pin<&Self>, file: &File, cmd: u32, arg: usize) -> Result<isize>;

    /// Handles a write on an open file; returns the bytes taken.
    /// `nonblocking`: the file was opened or set `O_NONBLOCK`.
    fn write(this: Pin<&Self>, nonblocking: bool, iov: &mut IovIterSource<'_>) -> Result<usize>;

    /// Handles a read on an open file; returns the bytes given.
    /// `nonblocking`: the file was opened or set `O_NONBLOCK`.
    fn read(this: Pin<&Self>, nonblocking: bool, iov: &mut IovIterDest<'_>) -> Result<usize>;

    /// Handles `poll()`: registers `table` with what the file's readiness
    /// waits on, and returns the `EPOLL*` bits that hold now.
    fn poll(this: Pin<&Self>, file: &File, table: &PollTable<'_>) -> u32;
}

/// The file operations of every node of one [`FileOps`] type: the kernel
/// crate's for [`Adapter<T>`], with `owner` set.
///
/// The VFS keeps `owner` loaded while a file is open, so these outlive
/// every file as long as they live as long as the module: the driver keeps
/// them until it is dropped at module exit.
///
/// # Invariants
///
/// `fops` holds the kernel crate's `file_operations` for `Adapter<T>`,
/// with `owner` the module given to [`FileOperations::new`].
#[pin_data]
pub(crate) struct FileOperations<T: FileOps> {
    #[pin]
    fops: Opaque<bindings::file_operations>,
    _t: PhantomData<T>,
}

// SAFETY: The operations are never changed after `new`, so sharing them
// between threads is reading constant data.
unsafe impl<T: FileOps> Send for FileOperations<T> {}
// SAFETY: See `Send`.
unsafe impl<T: FileOps> Sync for FileOperations<T> {}

impl<T: FileOps> FileOperations<T> {
    /// The operations of `T`'s nodes, keeping `module` loaded while a file
    /// is open.
    pub(crate) fn new(module: &'static ThisModule) -> impl PinInit<Self> {
        pin_init!(Self {
            fops <- Opaque::ffi_init(move |slot: *mut bindings::file_operations| {
                let misc = MiscDeviceOptions { name: c"" }.into_raw::<Adapter<T>>();
                // SAFETY: `into_raw` points `misc.fops` at the kernel crate's
                // static operations for `Adapter<T>`, which are valid for
                // reads; `slot` is valid for writes. The copy is a plain
                // struct of function pointers and integers.
                unsafe { slot.write(ptr::read(misc.fops)) };
                // INVARIANT: The kernel crate's operations, with `owner` set.
                // SAFETY: `slot` was initialised just above.
                unsafe { (*slot).owner = module.as_ptr() };
                // SAFETY: As above. `poll::<T>` expects the private data
                // that the kernel crate's `open` for `Adapter<T>` stores.
                unsafe { (*slot).poll = Some(poll::<T>) };
            }),
            _t: PhantomData,
        })
    }
}

/// `file_operations.poll` for `T`'s files.
///
/// # Safety
///
/// `file` must be a file of a node registered with `FileOperations<T>`,
/// during a `poll` call, and `table` null or a valid poll table for the
/// call.
unsafe extern "C" fn poll<T: FileOps>(
    file: *mut bindings::file,
    table: *mut bindings::poll_table_struct,
) -> c_uint {
    // SAFETY: The poll call of a file can access its private data.
    let private = unsafe { (*file).private_data };
    // SAFETY: The kernel crate's `open` for `Adapter<T>` stored a
    // `Pin<KBox<T>>` there with `into_foreign`, and its `release`, which
    // takes it back, does not run during a `poll` call.
    let this = unsafe { <Pin<KBox<T>> as ForeignOwnable>::borrow(private.cast()) };
    // `File` rules out another thread in an `fdget_pos` region without
    // `f_pos_lock`, to protect the position; parown never uses the position
    // (no llseek; reads and writes ignore `ki_pos`), and `T::poll` uses the
    // file only to register the wait. Binder's poll makes the same call.
    //
    // SAFETY: The file is valid for the duration of this call, and the
    // position rule above does not matter to it.
    let file = unsafe { File::from_raw_file(file) };
    // SAFETY: The caller passes a null or valid table for this call.
    let table = unsafe { PollTable::from_raw(table) };
    T::poll(this, file, &table)
}

/// A registered misc device and the data its files' `open` receives.
///
/// # Invariants
///
/// `inner` is registered with `misc_register()`, with the operations in
/// `fops`, until `drop`.
#[pin_data(PinnedDrop)]
pub(crate) struct Registration<T: FileOps> {
    #[pin]
    inner: Opaque<bindings::miscdevice>,
    data: T::Data,
    fops: Arc<FileOperations<T>>,
}

// SAFETY: `misc_deregister()` may be called from any thread, and the other
// fields are `Send`.
unsafe impl<T: FileOps> Send for Registration<T> {}
// SAFETY: `&self` only gives out `data`, which is `Sync`.
unsafe impl<T: FileOps> Sync for Registration<T> {}

impl<T: FileOps> Registration<T> {
    /// Registers a misc device named `name`, with the operations `fops`,
    /// whose files get `data` on open.
    pub(crate) fn new(
        name: &'static CStr,
        data: T::Data,
        fops: Arc<FileOperations<T>>,
    ) -> impl PinInit<Self, Error> {
        let ops = fops.fops.get().cast_const();
        // `data` and `fops` are initialised before the node exists, since
        // an `open` may come as soon as `misc_register()` returns.
        try_pin_init!(Self {
            data,
            fops,
            inner <- Opaque::try_ffi_init(move |slot: *mut bindings::miscdevice| {
                let mut misc = MiscDeviceOptions { name }.into_raw::<Adapter<T>>();
                misc.fops = ops;
                // SAFETY: `slot` is valid for writes.
                unsafe { slot.write(misc) };
                // INVARIANT: Registered with the operations of `fops`, until
                // `drop`; the memory is pinned.
                // SAFETY: `slot` holds a `struct miscdevice` ready for
                // registration, and stays where it is until `drop`
                // deregisters it.
                to_result(unsafe { bindings::misc_register(slot) })
            }),
        })
    }

    /// The data given to `open`.
    pub(crate) fn data(&self) -> &T::Data {
        &self.data
    }
}

#[pinned_drop]
impl<T: FileOps> PinnedDrop for Registration<T> {
    fn drop(self: Pin<&mut Self>) {
        // SAFETY: By the type invariant `inner` is registered. Afterwards
        // no `open` can reach `data`; open files keep using `fops`' copy,
        // which the module keeps.
        unsafe { bindings::misc_deregister(self.inner.get()) };
    }
}

/// The kernel's view of a [`FileOps`] type; see the module documentation for
/// why this must stay private.
struct Adapter<T>(PhantomData<T>);

#[vtable]
impl<T: FileOps> MiscDevice for Adapter<T> {
    type Ptr = Pin<KBox<T>>;

    fn open(file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<Self::Ptr> {
        // The kernel crate hands over the `struct miscdevice` that
        // `misc_open()` found as a `MiscDeviceRegistration`, which is
        // `#[repr(transparent)]` over it.
        let field = ptr::from_ref(misc)
            .cast::<Opaque<bindings::miscdevice>>()
            .cast_mut();
        // SAFETY: `Adapter` is private to this file and only `Registration`
        // registers a misc device with `Adapter<T>`'s operations, so `misc`
        // is the `inner` field of a pinned `Registration<T>`, which
        // outlives this call because `misc_open()` holds the misc lock,
        // which `misc_deregister()` takes, across it.
        let registration = unsafe { &*kernel::container_of!(field, Registration<T>, inner) };
        T::open(&registration.data, file)
    }

    fn ioctl(this: Pin<&T>, file: &File, cmd: u32, arg: usize) -> Result<isize> {
        T::ioctl(this, file, cmd, arg)
    }

    fn write_iter(kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterSource<'_>) -> Result<usize> {
        let nonblocking = nonblocking(&kiocb);
        T::write(kiocb.file(), nonblocking, iov)
    }

    fn read_iter(kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        let nonblocking = nonblocking(&kiocb);
        T::read(kiocb.file(), nonblocking, iov)
    }
}

/// Whether the read or write of `kiocb` is `O_NONBLOCK`. Reads the file's
/// flags alone, as `LocalFile::flags` does, without making a `File`
/// reference: another thread's `read(2)` of the same file may be inside
/// an `fdget_pos` region that took no lock (a character device's files
/// have no `FMODE_ATOMIC_POS`), which `File::from_raw_file` rules out.
fn nonblocking<T: ForeignOwnable>(kiocb: &Kiocb<'_, T>) -> bool {
    // SAFETY: `as_raw` is the kiocb of this call, valid for the call, and
    // its `ki_filp` is the file of the call, which the call holds. The
    // flags may change concurrently (`fcntl`): read them once, volatile,
    // as the kernel crate does.
    let flags = unsafe { ptr::addr_of!((*(*kiocb.as_raw()).ki_filp).f_flags).read_volatile() };
    flags & kernel::fs::file::flags::O_NONBLOCK != 0
}
