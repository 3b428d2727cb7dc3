/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parown: Windows-style parallel port ownership, in-kernel interface.
 *
 * An in-kernel client is a struct parown_client, embedded in the caller's
 * own data, opened on one parallel port. It has the same contract as an
 * open file of /dev/parownN (Documentation/parown.rst): allocate the port
 * (waiting in arrival order with every other client, in-kernel or not),
 * write to it, free it; closing the client gives up whatever it held.
 *
 * All functions but parown_allocate_async() may sleep: call them from
 * process context, without spinlocks held. They return 0 (or a count) on success and a negative
 * errno on failure; a failed call changes nothing.
 *
 * One write at a time: while a parown_write() of a client is in progress,
 * the port cannot change hands, and the client's calls that drive the
 * port or give it up (parown_free(), parown_unlock_port(),
 * parown_unlock_port_no_deselect(), parown_select_device() with
 * PAROWN_HAVE_PORT_KEEP_PORT, parown_deselect_device(),
 * parown_init_1284_3_bus(), another parown_write()), made from other
 * threads, wait until it ends; a signal ends that wait with -EINTR, having
 * changed nothing.
 *
 * Bad arguments: a NULL client gets -EINVAL (parown_close(NULL) does
 * nothing). A client that is not open (never opened, or closed) gets
 * -EBADF, and a second parown_close() is reported in the kernel log and
 * ignored. Calls on one client must not race with its parown_close().
 */
#ifndef _LINUX_PAROWN_H
#define _LINUX_PAROWN_H

#include <linux/types.h>
#include <uapi/linux/parown.h>

/**
 * struct parown_client - an in-kernel client of one parallel port
 * @handle: private to parown; NULL while the client is not open
 *
 * Zero-initialise it (or only use it after parown_open() succeeded).
 */
struct parown_client {
	void *handle;
};

/**
 * parown_open() - open a client on a parallel port
 * @client: the client to open; must not be open already
 * @port: the parport number, N of parportN
 * @name: names the client in kernel messages; may be NULL
 *
 * While a port has clients, parown is present on it in the parport core,
 * which keeps the port's low-level driver loaded.
 *
 * Return: 0, -ENODEV if parown serves no port @port, -EBUSY if @client is
 * open already or another driver holds the port exclusively (ppdev's
 * PPEXCL), -ENOMEM, or -EINVAL.
 */
int parown_open(struct parown_client *client, unsigned int port,
		const char *name);

/**
 * struct parown_client_ops - callbacks of an in-kernel client
 * @granted: reports the result of parown_allocate_async(): 0 once the
 *	client owns the port, or a negative errno if the request ended
 *	without (see parown_allocate_async()). Called exactly once for every
 *	parown_allocate_async() that returned 0, unless the client is closed
 *	first. May be NULL; then parown_allocate_async() is refused.
 * @preempt: asks the owner to give the port up soon (parown_free()),
 *	because other clients wait for it, as the parport core's preempt
 *	callback does. Called at most once each time the client becomes the
 *	owner, when the first other client waits (at once if some wait
 *	already). Advisory: the client keeps the port until it frees it. If the
 *	client freed the port meanwhile, the call is skipped. May be NULL.
 *
 * Context of both callbacks: process context, from the kernel's system
 * workqueue, with no lock of parown held; they may sleep and may call
 * every function of this header on their own client (parown_write(),
 * parown_free(), parown_allocate_async() again, ...) and on other clients,
 * except parown_close() of their own client, which waits for them to
 * return. They are never called concurrently with each other for one
 * client; @granted comes before @preempt when both are due. No callback
 * runs after parown_close() of the client has returned, and
 * parown_close() waits for one that is running. Keep them short: the
 * system workqueue serves the whole kernel.
 */
struct parown_client_ops {
	void (*granted)(struct parown_client *client, int result);
	void (*preempt)(struct parown_client *client);
};

/**
 * parown_open_ops() - open a client that has callbacks
 * @client: as for parown_open()
 * @port: as for parown_open()
 * @name: as for parown_open()
 * @ops: the client's callbacks; must stay valid until parown_close()
 *	(typically a static const structure). NULL is parown_open().
 *
 * The callbacks receive @client; embed it in the driver's data and use
 * container_of() to find that.
 *
 * Return: as parown_open().
 */
int parown_open_ops(struct parown_client *client, unsigned int port,
		    const char *name, const struct parown_client_ops *ops);

/**
 * parown_close() - close a client, giving up everything it held
 * @client: the client; NULL does nothing
 *
 * If the client owns the port, the port passes to the longest waiter. A
 * request still pending (parown_allocate_async()) is dropped: the client
 * never becomes the owner. If the client was cancelled, the ->granted()
 * report of its cancelled request (-ECANCELED) runs before parown_close()
 * returns; otherwise a callback not yet started is not called.
 */
void parown_close(struct parown_client *client);

/**
 * parown_allocate() - wait until the client owns its port
 * @client: the client
 * @timeout_ms: give up after this many milliseconds; 0 waits without limit
 *
 * Waiters are served in the order they asked.
 *
 * Return: 0 once the client owns the port; -EDEADLK if it owns it already;
 * -EALREADY if it waits already; -ETIMEDOUT; -EINTR if a signal ended the
 * wait (timed or not: an in-kernel wait is never restarted); -ECANCELED if
 * parown_cancel() ended it or came before, or the calling kernel thread is
 * being stopped (see parown_cancel()); -ENODEV if the port has gone. On
 * error the client owns nothing.
 */
int parown_allocate(struct parown_client *client, unsigned int timeout_ms);

/**
 * parown_allocate_async() - join the queue for the port without sleeping
 * @client: the client, opened with a ->granted() callback (parown_open_ops())
 *
 * May be called in any context, atomic and interrupt context included
 * (it only sets a flag and queues work). The request is processed in the
 * system workqueue, as parown_allocate() without a timeout would be, in
 * arrival order with every other client; its result comes through
 * ->granted(): 0 once the client owns the port (with the port taken up: the
 * client may use it at once, from any context that may sleep), or
 * -EDEADLK (it owns the port already), -EALREADY (it waits in
 * parown_allocate() already), -ECANCELED (parown_cancel()), -ENODEV (the
 * port went away, also while waiting).
 *
 * Return: 0 if the request was taken (->granted() will report it), -EINVAL if
 * the client has no ->granted() callback, -EALREADY if a previous request's
 * result has not been reported yet, -ECANCELED if the client was
 * cancelled, and the errors of a bad client (-EINVAL, -EBADF).
 */
int parown_allocate_async(struct parown_client *client);

/**
 * parown_cancel() - end the client's waits, now and until it is closed
 * @client: the client
 *
 * For a driver's remove() or a kernel thread's stop, which must not hang
 * behind a wait (kernel threads get no signals). Cancelling is sticky:
 * from this call until parown_close(), every request of @client that
 * would make it the owner, or write, fails with -ECANCELED without
 * waiting: parown_allocate(), parown_try_allocate(),
 * parown_allocate_async(), parown_lock_port(), parown_lock_port_no_select(),
 * parown_select_device() without PAROWN_HAVE_PORT_KEEP_PORT,
 * parown_init_1284_3_bus() when the client does not own the port, and
 * parown_write(). Such a request waiting when parown_cancel() is called
 * returns -ECANCELED: it leaves the queue (the others keep their order)
 * and owns nothing, even if the port was granted to it at that moment (the
 * port then passes to the next waiter). A queued parown_allocate_async()
 * is reported to ->granted() with -ECANCELED. A parown_write() in progress
 * stops before its next chunk of 256 bytes (a byte the peripheral is busy
 * for may still take up to its 5 s timeout) and returns the count so far,
 * or -ECANCELED if it wrote nothing. An owner keeps the port: everything
 * that gives it up or looks (parown_free(), parown_unlock_port(),
 * parown_unlock_port_no_deselect(), parown_deselect_device(),
 * parown_query_waiters(), parown_get_port_info(), parown_close()) works
 * as before, as does what the owner does without waiting for the port
 * (parown_select_device() with PAROWN_HAVE_PORT_KEEP_PORT,
 * parown_init_1284_3_bus() by the owner).
 *
 * May sleep (briefly: it takes the port's lock); may be called while
 * other threads are in requests of @client, but not concurrently with its
 * parown_close(). Cancelling twice is harmless.
 *
 * Kernel threads also need no parown_cancel() to be stopped: a wait for
 * the port (parown_allocate() and the requests that allocate) in a kernel
 * thread that kthread_stop() stops ends at once with -ECANCELED, and such
 * a thread starts no new wait (-ECANCELED). That is not sticky: it is the
 * thread that stops, not the client. Its other waits (for its own write
 * in progress, for a busy peripheral) end as for a signal, with -EINTR or
 * a short count: kthread_stop() interrupts a thread's sleeps as a signal
 * would.
 *
 * Return: 0, or -EINVAL / -EBADF for a bad client.
 */
int parown_cancel(struct parown_client *client);

/**
 * parown_try_allocate() - own the port if it is free and nobody waits
 * @client: the client
 *
 * Return: 0, or -EAGAIN if the port is owned, others wait for it (a try
 * never jumps the queue) or another driver (lp, ppdev) holds it; -EDEADLK
 * if the client owns it already, -EALREADY if it waits for it, -ENODEV.
 * A failed try changes nothing.
 */
int parown_try_allocate(struct parown_client *client);

/**
 * parown_free() - give the port up; it passes to the longest waiter
 * @client: the client
 *
 * Return: 0, -EPERM if the client does not own the port, -EINTR if a
 * signal ended the wait for the client's write in progress, -ENODEV.
 */
int parown_free(struct parown_client *client);

/**
 * parown_query_waiters() - how many clients wait for the port
 * @client: the client
 *
 * Return: the number of waiting clients, or -ENODEV.
 */
int parown_query_waiters(struct parown_client *client);

/**
 * parown_get_port_info() - describe the client's port
 * @client: the client
 * @info: filled in on success
 *
 * Return: 0 or -ENODEV.
 */
int parown_get_port_info(struct parown_client *client,
			 struct parown_port_info *info);

/**
 * parown_write() - write bytes to the port in the client's mode
 * @client: the client, which must own the port
 * @buf: the bytes
 * @len: how many
 *
 * In compatibility mode, the client's mode unless parown_set_mode() or
 * parown_negotiate() changed it; from nibble or byte mode the port goes
 * back to compatibility mode first (as ppdev's write() does). In EPP and
 * ECP modes (IEEE1284_MODE_EPP, _ECP, _ECPRLE) the port driver's
 * epp_write_data/ecp_write_data runs, or epp_write_addr/ecp_write_addr
 * when the mode has IEEE1284_ADDR, without flags (an in-kernel client has
 * no PP_FASTWRITE), in 256-byte pieces; only on a port with the hardware
 * (PARPORT_MODE_EPP, PARPORT_MODE_ECP in parown_get_port_info()'s modes),
 * -EOPNOTSUPP otherwise and in the software-emulated modes and EPP 1.7;
 * -ENOSYS for a mode the core does not know. A piece the peripheral did
 * not take completely ends the write with the count so far (0 if none,
 * as from ppdev), and so does a signal or parown_cancel() between pieces.
 *
 * May sleep. A pending signal ends the write within a few hundred bytes,
 * even when the peripheral is always ready, with the count written so far.
 *
 * Return: the number of bytes the peripheral took, or -EPERM if the client
 * does not own the port, -EINTR (also if a signal ended the wait for
 * another write of the client in progress), -ETIMEDOUT if the peripheral stayed busy for 5
 * seconds, -EIO if it reported a fault, -ENODEV; the errors only if the
 * peripheral took nothing.
 */
ssize_t parown_write(struct parown_client *client, const void *buf, size_t len);

/*
 * Device selection (IEEE 1284.3 daisy chains). @device is the daisy-chain
 * address, 0-3; @flags takes PAROWN_END_OF_CHAIN_DEVICE (the device behind
 * the chain; @device is ignored) and, for select and deselect,
 * PAROWN_HAVE_PORT_KEEP_PORT. A device out of range gets -EINVAL, one in
 * range but not on the chain -ENXIO, one that does not answer -EIO, and
 * the request then changes nothing. Requests that allocate the port
 * return what parown_allocate() does as well.
 */

/**
 * parown_lock_port() - allocate the port and select a device
 * @client: the client
 * @device: the device's daisy-chain address
 * @flags: 0 or PAROWN_END_OF_CHAIN_DEVICE
 * @timeout_ms: as for parown_allocate()
 *
 * Return: 0 once the client owns the port with the device selected.
 */
int parown_lock_port(struct parown_client *client, unsigned int device,
		     unsigned int flags, unsigned int timeout_ms);

/**
 * parown_unlock_port() - deselect the locked device and free the port
 * @client: the client, which locked @device
 * @device: the device's daisy-chain address
 * @flags: 0 or PAROWN_END_OF_CHAIN_DEVICE
 *
 * Return: 0, or -EPERM if the client does not own the port or did not lock
 * @device, -EINTR if a signal ended the wait for a write of the client.
 */
int parown_unlock_port(struct parown_client *client, unsigned int device,
		       unsigned int flags);

/**
 * parown_lock_port_no_select() - allocate the port for a device, selecting
 * nothing (for devices with their own selection scheme)
 * @client: the client
 * @device: the device's daisy-chain address
 * @flags: 0 or PAROWN_END_OF_CHAIN_DEVICE
 * @timeout_ms: as for parown_allocate()
 *
 * Return: 0 once the client owns the port.
 */
int parown_lock_port_no_select(struct parown_client *client, unsigned int device,
			       unsigned int flags, unsigned int timeout_ms);

/**
 * parown_unlock_port_no_deselect() - free the port, leaving the selection
 * @client: the client, which locked @device
 * @device: the device's daisy-chain address
 * @flags: 0 or PAROWN_END_OF_CHAIN_DEVICE
 *
 * Return: as parown_unlock_port().
 */
int parown_unlock_port_no_deselect(struct parown_client *client,
				   unsigned int device, unsigned int flags);

/**
 * parown_select_device() - select a device, allocating the port first
 * @client: the client
 * @device: the device's daisy-chain address
 * @flags: PAROWN_END_OF_CHAIN_DEVICE, PAROWN_HAVE_PORT_KEEP_PORT (the client
 *	owns the port already; -EPERM if it does not)
 * @timeout_ms: as for parown_allocate(), without PAROWN_HAVE_PORT_KEEP_PORT
 *
 * Return: 0 once the client owns the port with the device selected. A
 * failed select leaves ownership as it was before the call.
 */
int parown_select_device(struct parown_client *client, unsigned int device,
			 unsigned int flags, unsigned int timeout_ms);

/**
 * parown_deselect_device() - deselect, and free the port unless told not to
 * @client: the client, which owns the port
 * @device: the device's daisy-chain address
 * @flags: PAROWN_END_OF_CHAIN_DEVICE, PAROWN_HAVE_PORT_KEEP_PORT (keep the port)
 *
 * Return: 0, -EPERM if the client does not own the port, -EINTR as for
 * parown_unlock_port().
 */
int parown_deselect_device(struct parown_client *client, unsigned int device,
			   unsigned int flags);

/**
 * parown_init_1284_3_bus() - enumerate the daisy chain again
 * @client: the client; if it does not own the port, the port is allocated
 *	(waiting without limit) for the duration
 *
 * Return: the number of daisy-chain devices found, or a negative errno.
 */
int parown_init_1284_3_bus(struct parown_client *client);

/*
 * Driving the port. While a client owns the port it drives the lines and
 * transfers itself, with the implementation of ppdev's ioctls on
 * /dev/parownN (Documentation/parown.rst has the table): these are
 * PPRSTATUS, PPRDATA, PPWDATA, PPRCONTROL, PPWCONTROL, PPFCONTROL,
 * PPDATADIR, PPSETMODE, PPGETMODE, PPNEGOT, read() and write() (parown_write()
 * writes in the client's mode, as write() does), and PAROWN_GET_DEVICE_ID.
 * Only the owner may drive the
 * lines or read: any other client gets -EPERM and nothing touches the
 * port. Like the owner's other requests, they wait for a parown_write() or
 * parown_read() of the same client in progress in another thread (-EINTR
 * if a signal ends that wait). -ENODEV once the port has gone. They do not
 * sleep otherwise (the line functions take the port's mutex), and work
 * after parown_cancel() (the owner keeps the port until it frees it).
 * Register bits are those of <uapi/linux/parport.h> (PARPORT_STATUS_*,
 * PARPORT_CONTROL_*); the mode numbers its IEEE1284_MODE_* ones.
 */

/**
 * parown_read_status() - read the status lines
 * @client: the client, which must own the port
 *
 * Return: the status register (0-255), or a negative errno.
 */
int parown_read_status(struct parown_client *client);

/**
 * parown_read_data() - read the data lines
 * @client: the client, which must own the port
 *
 * Return: the data register (0-255), or a negative errno.
 */
int parown_read_data(struct parown_client *client);

/**
 * parown_write_data() - set the data lines
 * @client: the client, which must own the port
 * @data: the byte
 *
 * Return: 0, or a negative errno.
 */
int parown_write_data(struct parown_client *client, u8 data);

/**
 * parown_read_control() - read the control lines
 * @client: the client, which must own the port
 *
 * Return: the control register (0-255), or a negative errno.
 */
int parown_read_control(struct parown_client *client);

/**
 * parown_write_control() - set the control lines
 * @client: the client, which must own the port
 * @control: the control register's new value
 *
 * Return: 0, or a negative errno.
 */
int parown_write_control(struct parown_client *client, u8 control);

/**
 * parown_frob_control() - change some control lines
 * @client: the client, which must own the port
 * @mask: the lines to change
 * @val: their new values (bits outside @mask are ignored)
 *
 * Return: 0, or a negative errno.
 */
int parown_frob_control(struct parown_client *client, u8 mask, u8 val);

/**
 * parown_data_dir() - turn the data lines
 * @client: the client, which must own the port
 * @reverse: true: the peripheral drives them (on a port that can), false:
 *	the host does
 *
 * Return: 0, or a negative errno.
 */
int parown_data_dir(struct parown_client *client, bool reverse);

/**
 * parown_set_mode() - set the client's IEEE 1284 mode for transfers
 * @client: the client; need not own the port (the mode is the client's,
 *	and becomes the port's while it owns it, as with ppdev's PPSETMODE)
 * @mode: an IEEE1284_MODE_* value
 *
 * Return: 0, or a negative errno.
 */
int parown_set_mode(struct parown_client *client, int mode);

/**
 * parown_get_mode() - the client's IEEE 1284 mode
 * @client: the client; while it owns the port, the port's mode (which a
 *	negotiation may have changed), its own otherwise
 *
 * Return: the mode (>= 0), or a negative errno.
 */
int parown_get_mode(struct parown_client *client);

/**
 * parown_negotiate() - negotiate an IEEE 1284 mode with the peripheral
 * @client: the client, which must own the port
 * @mode: the IEEE1284_MODE_* to negotiate (with its flags)
 *
 * As ppdev's PPNEGOT: from the mode the port is in; after a failure the
 * port is in compatibility mode.
 *
 * Return: 0; -EIO if no IEEE 1284 peripheral answers, -ENXIO if it
 * refuses the mode, -ENOSYS for bounded ECP, or the errors above.
 */
int parown_negotiate(struct parown_client *client, int mode);

/**
 * parown_get_device_id() - read a device's IEEE 1284 Device ID
 * @client: the client
 * @device: the device's daisy-chain address, 0-3
 * @flags: PAROWN_END_OF_CHAIN_DEVICE, PAROWN_HAVE_PORT_KEEP_PORT
 * @timeout_ms: without PAROWN_HAVE_PORT_KEEP_PORT, as for parown_allocate()
 * @buf: where the ID goes: its first @size bytes, then a NUL if there is
 *	room
 * @size: bytes at @buf
 *
 * As PAROWN_GET_DEVICE_ID (include/uapi/linux/parown.h): the device is put
 * on the bus, nibble mode with the Device ID flag is negotiated, the ID
 * ("MFG:...;MDL:...;", without its two length bytes) is read and the port
 * goes back to compatibility mode. With PAROWN_HAVE_PORT_KEEP_PORT the
 * client must own the port (-EPERM otherwise) and keeps it, with the
 * device selected (locked for it, as parown_select_device() does); without,
 * the port is allocated for the duration, as by parown_lock_port().
 *
 * Return: the length of the Device ID (which may exceed @size), or -EINVAL
 * (bad device or flags), -ENXIO (not on the chain), -EIO (no answer),
 * -ENODATA (the device sends no ID), the errors of parown_allocate(), or
 * -ENODEV.
 */
ssize_t parown_get_device_id(struct parown_client *client, unsigned int device,
			     unsigned int flags, unsigned int timeout_ms,
			     char *buf, size_t size);

/**
 * parown_read() - read from the peripheral in the client's current mode
 * @client: the client, which must own the port
 * @buf: where the bytes go
 * @len: at most this many
 *
 * As read() on /dev/parownN (ppdev's read()): in compatibility mode it
 * first negotiates byte mode (on a bidirectional port whose peripheral
 * agrees) or else nibble mode, and stays in it; -EIO if neither. It
 * returns once some bytes came, waiting while the peripheral has none (a
 * signal ends that wait with -EINTR). In EPP mode the port driver's
 * epp_read_data runs (epp_read_addr with IEEE1284_ADDR), in ECP mode its
 * ecp_read_data, without flags, 64 bytes at a time; only on a port with
 * the hardware, -EOPNOTSUPP otherwise, in the software-emulated modes and
 * EPP 1.7; -ENOSYS for an unknown mode. On a port whose ecp_read_data is
 * the core's parport_ieee1284_ecp_read_data() and that has an interrupt
 * (which would let the port go while it waits), parown reads ECP's
 * reverse channel itself, keeping the port.
 *
 * Return: the number of bytes read, or a negative errno.
 */
ssize_t parown_read(struct parown_client *client, void *buf, size_t len);

#endif /* _LINUX_PAROWN_H */
