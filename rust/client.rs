// SPDX-License-Identifier: GPL-2.0

//! A client: one open file of `/dev/parownN`.

use crate::{
    glue::misc::FileOps,
    port::Port, //
};
use kernel::{
    fs::File,
    prelude::*,
    sync::Arc, //
};

/// The state of one open file.
pub(crate) struct Client {
    port: Arc<Port>,
}

impl FileOps for Client {
    type Data = Arc<Port>;

    fn open(port: &Arc<Port>, _file: &File) -> Result<Pin<KBox<Self>>> {
        Ok(KBox::pin(Self { port: port.clone() }, GFP_KERNEL)?)
    }

    fn ioctl(this: Pin<&Self>, _file: &File, _cmd: u32, _arg: usize) -> Result<isize> {
        let _ = &this.port;
        Err(ENOTTY)
    }
}
