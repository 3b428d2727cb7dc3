// SPDX-License-Identifier: GPL-2.0

//! Misc devices that carry data for their `open`.
//!
//! The kernel's [`MiscDeviceRegistration`] gives `open` nothing but the
//! registration itself. parown has one node per port and `open` must find
//! the port, so [`Registration`] keeps the data next to the kernel's
//! registration and `open` recovers it with `container_of!`. That is sound
//! because the `MiscDevice` implementation, [`Adapter`], is private to this
//! file: every `MiscDeviceRegistration<Adapter<T>>` in existence is the
//! `inner` field of a [`Registration<T>`].
//!
//! C header: [`include/linux/miscdevice.h`](srctree/include/linux/miscdevice.h).

use core::{
    marker::PhantomData,
    ptr, //
};
use kernel::{
    fs::{
        File,
        Kiocb, //
    },
    iov::IovIterSource,
    miscdevice::{
        MiscDevice,
        MiscDeviceOptions,
        MiscDeviceRegistration, //
    },
    prelude::*,
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
    fn write(this: Pin<&Self>, iov: &mut IovIterSource<'_>) -> Result<usize>;
}

/// A registered misc device and the data its files' `open` receives.
///
/// Fields drop in declaration order: the node goes away first, so no
/// `open` can see `data` being dropped.
#[pin_data]
pub(crate) struct Registration<T: FileOps> {
    #[pin]
    inner: MiscDeviceRegistration<Adapter<T>>,
    data: T::Data,
}

impl<T: FileOps> Registration<T> {
    /// Registers a misc device named `name` whose files get `data` on open.
    pub(crate) fn new(name: &'static CStr, data: T::Data) -> impl PinInit<Self, Error> {
        // `data` is initialised before the node exists, since an `open` may
        // come as soon as `misc_register()` returns.
        try_pin_init!(Self {
            data,
            inner <- MiscDeviceRegistration::register(MiscDeviceOptions { name }),
        })
    }

    /// The data given to `open`.
    pub(crate) fn data(&self) -> &T::Data {
        &self.data
    }
}

/// The kernel's view of a [`FileOps`] type; see the module documentation for
/// why this must stay private.
struct Adapter<T>(PhantomData<T>);

#[vtable]
impl<T: FileOps> MiscDevice for Adapter<T> {
    type Ptr = Pin<KBox<T>>;

    fn open(file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<Self::Ptr> {
        let field = ptr::from_ref(misc).cast_mut();
        // SAFETY: `Adapter` is private to this file and only `Registration`
        // registers `MiscDeviceRegistration<Adapter<T>>`, so `misc` is the
        // `inner` field of a pinned `Registration<T>`, which outlives this
        // call because `misc_open()` holds the misc lock across it.
        let registration = unsafe { &*kernel::container_of!(field, Registration<T>, inner) };
        T::open(&registration.data, file)
    }

    fn ioctl(this: Pin<&T>, file: &File, cmd: u32, arg: usize) -> Result<isize> {
        T::ioctl(this, file, cmd, arg)
    }

    fn write_iter(kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterSource<'_>) -> Result<usize> {
        T::write(kiocb.file(), iov)
    }
}
