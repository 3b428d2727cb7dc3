// SPDX-License-Identifier: GPL-2.0

//! parown's parport driver: one [`Port`] and one `/dev/parownN` per parport.

use crate::{
    client::Client,
    glue::{
        debugfs::{
            StateDir,
            StateFile, //
        },
        misc,
        parport, //
    },
    port::Port, //
};
use kernel::{
    new_mutex,
    prelude::*,
    sync::{
        Arc,
        Mutex, //
    },
};

/// The node of one port: `/dev/parownN`, carrying the port's shared state.
/// Its files are clients, with the file operations of [`crate::file`].
type Node = misc::Registration<Client>;

/// One port parown serves: its node, and its live state in debugfs.
struct Served {
    node: Pin<KBox<Node>>,
    _state: StateFile<Port>,
}

impl Served {
    /// The port's shared state.
    fn data(&self) -> &Arc<Port> {
        self.node.data()
    }
}

/// Node names by parport number. Misc device names must be `'static`, and
/// the parport core gives out numbers from 0 up; like ppdev, parown serves
/// the first `PARPORT_MAX` (16) of them.
const NODE_NAMES: [&CStr; 16] = [
    c"parown0",
    c"parown1",
    c"parown2",
    c"parown3",
    c"parown4",
    c"parown5",
    c"parown6",
    c"parown7",
    c"parown8",
    c"parown9",
    c"parown10",
    c"parown11",
    c"parown12",
    c"parown13",
    c"parown14",
    c"parown15",
];

/// The driver: the ports parown currently serves.
#[pin_data]
pub(crate) struct Parown {
    /// Lock order: the parport core's `registration_lock`, then this, then
    /// the misc device lock (taken by registering and dropping nodes).
    #[pin]
    nodes: Mutex<KVec<Served>>,
    /// The nodes' file operations, which keep the module loaded while a
    /// file is open; kept until the module goes.
    fops: Arc<misc::FileOperations<Client>>,
    /// `parown/` in debugfs, for the ports' live state.
    state_dir: Arc<StateDir<Port>>,
}

impl Parown {
    /// Creates the driver of `module`, with no ports.
    pub(crate) fn new(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        try_pin_init!(Self {
            nodes <- new_mutex!(KVec::new(), "Parown::nodes"),
            fops: Arc::pin_init(misc::FileOperations::new(module), GFP_KERNEL)?,
            state_dir: StateDir::new()?,
        })
    }

    /// The state of parport `number`, if parown serves it.
    pub(crate) fn port(&self, number: u32) -> Option<Arc<Port>> {
        self.nodes
            .lock()
            .iter()
            .map(|node| node.data())
            .find(|port| port.info().number == number)
            .cloned()
    }

    fn add_node(&self, parport: &parport::Port) -> Result {
        let info = parport.info();
        let name = usize::try_from(info.number)
            .ok()
            .and_then(|n| NODE_NAMES.get(n))
            .ok_or(ENOSPC)?;

        let mut nodes = self.nodes.lock();
        if nodes.iter().any(|node| node.data().serves(parport)) {
            return Ok(());
        }
        nodes.reserve(1, GFP_KERNEL)?;
        let port = Port::new(parport)?;
        let node =
            match KBox::pin_init(Node::new(name, port.clone(), self.fops.clone()), GFP_KERNEL) {
                Ok(node) => node,
                Err(err) => {
                    port.remove();
                    return Err(err);
                }
            };
        let state = StateFile::new(&self.state_dir, info.number, port.clone());
        // Cannot fail: room was reserved above.
        nodes
            .push_within_capacity(Served {
                node,
                _state: state,
            })
            .map_err(|_| ENOMEM)?;
        pr_info!(
            "parport{}: /dev/{} (io {:#x}, irq {})\n",
            info.number,
            name.to_str().unwrap_or("?"),
            info.base,
            info.irq
        );
        Ok(())
    }
}

impl parport::Driver for Parown {
    fn attach(&self, parport: &parport::Port) {
        if let Err(err) = self.add_node(parport) {
            pr_err!(
                "parport{}: not served: error {}\n",
                parport.info().number,
                err.to_errno()
            );
        }
    }

    fn detach(&self, parport: &parport::Port) {
        let node = {
            let mut nodes = self.nodes.lock();
            let found = nodes.iter().position(|node| node.data().serves(parport));
            found.and_then(|i| nodes.remove(i).ok())
        };
        if let Some(node) = node {
            Self::remove_node(node);
        }
    }

    fn unregistered(&self) {
        // Taken out first: dropping a node takes the misc device lock,
        // which comes after `nodes` in the lock order.
        let leftovers = core::mem::take(&mut *self.nodes.lock());
        for node in leftovers {
            pr_warn!(
                "parport{}: not detached by the parport core; removing it\n",
                node.data().info().number
            );
            Self::remove_node(node);
        }
    }
}

impl Parown {
    /// Ends a port's node and its state.
    fn remove_node(served: Served) {
        let port = served.data().clone();
        // The node goes first, so that no new client can open it; the state
        // file with it, as it no longer has a node to describe.
        drop(served);
        port.remove();
        pr_info!("parport{}: detached\n", port.info().number);
    }
}
