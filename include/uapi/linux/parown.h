/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * parown: Windows-style parallel port ownership, user-space interface.
 *
 * Each parallel port parportN has a node /dev/parownN. An open file of it
 * is a client. Clients allocate the port (waiting in arrival order), use
 * it, and free it; see Documentation/parown.rst for the full contract.
 * The owner's write() sends bytes in IEEE 1284 compatibility mode; a
 * signal ends it within a few hundred bytes, with the count written so
 * far (EINTR if none). With O_NONBLOCK it never sleeps: a peripheral still
 * busy after half a millisecond of polling, or another write of the client
 * in progress, ends it with the count so far, or EAGAIN if none.
 * (That is compatibility mode, the mode a port starts in; a client that
 * negotiates another IEEE 1284 mode with ppdev's PPNEGOT reads and writes
 * in that mode, as from ppdev; see Documentation/parown.rst.)
 *
 * A non-owner's read() or write() gets EPERM and nothing touches the port.
 *
 * The node also answers every ioctl of ppdev's <linux/ppdev.h>, with
 * ppdev's numbers and layouts (PPCLAIM is ALLOCATE without a timeout,
 * PPRELEASE is FREE, the line requests are the owner's); where ppdev says
 * EINVAL for a file without the port claimed, parown says EPERM, and
 * PPCLAIM by the owner is EDEADLK. See "ppdev's interface" in
 * Documentation/parown.rst.
 *
 * One write at a time: while a write() of a client is in progress, the
 * port cannot change hands, and the client's requests that drive the port
 * or give it up (FREE, UNLOCK_PORT, UNLOCK_PORT_NO_DESELECT, SELECT_DEVICE
 * with HAVE_PORT_KEEP_PORT, DESELECT_DEVICE, INIT_1284_3_BUS, ppdev's
 * requests but PPCLAIM and PPGETMODES, a second write()) wait, in other
 * threads, until it ends. A signal ends that wait with EINTR (or a
 * restart, for SA_RESTART handlers); then nothing changed.
 *
 * open() fails with EBUSY while another driver holds the port exclusively
 * (ppdev's PPEXCL), and with ENODEV once the port has gone. While a port
 * has clients it keeps its low-level driver (parport_pc) loaded.
 *
 * Every structure has fixed-size fields and explicit reserved space, the
 * same layout for 32- and 64-bit user space. Reserved fields must be zero
 * on input and are zero on output.
 */
#ifndef _UAPI_LINUX_PAROWN_H
#define _UAPI_LINUX_PAROWN_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* The ioctl type byte, 0xB9 (free in Documentation/userspace-api/ioctl). */
#define PAROWN_IOC_MAGIC	0xB9

/**
 * struct parown_allocate - argument of PAROWN_ALLOCATE
 * @timeout_ms: give up after this many milliseconds (ETIMEDOUT); 0 waits
 *	without limit
 * @flags: must be 0
 */
struct parown_allocate {
	__u32 timeout_ms;
	__u32 flags;
};

/* In struct parown_port_info.flags. */
#define PAROWN_PORT_OWNED	(1U << 0)	/* a parown client owns the port */
#define PAROWN_PORT_OWNED_BY_ME	(1U << 1)	/* ... and it is the caller */

/* In struct parown_port_info.modes: the parport core's PARPORT_MODE_* bits. */
#define PAROWN_MODE_PCSPP	(1U << 0)
#define PAROWN_MODE_TRISTATE	(1U << 1)
#define PAROWN_MODE_EPP		(1U << 2)
#define PAROWN_MODE_ECP		(1U << 3)
#define PAROWN_MODE_COMPAT	(1U << 4)
#define PAROWN_MODE_DMA		(1U << 5)
#define PAROWN_MODE_SAFEININT	(1U << 6)

/**
 * struct parown_port_info - result of PAROWN_GET_PORT_INFO
 * @port: the parport number, N in parportN and /dev/parownN
 * @flags: PAROWN_PORT_* bits
 * @base: base I/O address
 * @base_hi: base address of the ECP registers, 0 if none (reported only
 *	when @modes has PAROWN_MODE_ECP)
 * @irq: IRQ line, -1 if the port is polled
 * @dma: DMA channel, -1 if none
 * @modes: PAROWN_MODE_* bits, the modes the hardware supports
 * @ieee1284_3_devices: IEEE 1284.3 daisy-chain devices known on the port
 * @reserved: zero
 */
struct parown_port_info {
	__u32 port;
	__u32 flags;
	__u64 base;
	__u64 base_hi;
	__s32 irq;
	__s32 dma;
	__u32 modes;
	__u32 ieee1284_3_devices;
	__u32 reserved[8];
};

/* In struct parown_device.flags. */
/* The device at the end of the chain; @device is ignored. */
#define PAROWN_END_OF_CHAIN_DEVICE	(1U << 0)
/* SELECT_DEVICE: the caller owns the port; DESELECT_DEVICE: keep it. */
#define PAROWN_HAVE_PORT_KEEP_PORT	(1U << 1)

/**
 * struct parown_device - argument of the device requests
 * @device: the IEEE 1284.3 daisy-chain address of the device, 0-3
 * @flags: PAROWN_END_OF_CHAIN_DEVICE, PAROWN_HAVE_PORT_KEEP_PORT
 * @timeout_ms: for the requests that may wait for the port (LOCK_PORT,
 *	LOCK_PORT_NO_SELECT, SELECT_DEVICE without HAVE_PORT): give up after
 *	this many milliseconds; 0 waits without limit. Ignored by the others.
 * @reserved: zero
 */
struct parown_device {
	__u32 device;
	__u32 flags;
	__u32 timeout_ms;
	__u32 reserved;
};

/*
 * Wait, in arrival order, until the caller owns the port. EDEADLK if it
 * owns the port already, EALREADY if it waits already (another thread),
 * ETIMEDOUT when the timeout ends the wait, ENODEV if the port has gone.
 * A signal ends the wait with EINTR. Only an untimed wait (timeout_ms 0)
 * is restarted for SA_RESTART handlers, and then queues again at the
 * back; a timed wait never is (its timeout would start again), like
 * Linux's other timed waits. The same holds for the device requests that
 * wait for the port (LOCK_PORT, LOCK_PORT_NO_SELECT, SELECT_DEVICE
 * without HAVE_PORT_KEEP_PORT) and for INIT_1284_3_BUS (untimed).
 */
#define PAROWN_ALLOCATE		_IOW(PAROWN_IOC_MAGIC, 0x01, struct parown_allocate)
/* Own the port if it is free and nobody waits; EAGAIN otherwise, at once. */
#define PAROWN_TRY_ALLOCATE	_IO(PAROWN_IOC_MAGIC, 0x02)
/*
 * Give the port up; it passes to the longest waiter. EPERM if not owner.
 * Waits for the client's write() in progress, if any (see above).
 */
#define PAROWN_FREE		_IO(PAROWN_IOC_MAGIC, 0x03)
/* The number of clients waiting for the port. */
#define PAROWN_QUERY_WAITERS	_IOR(PAROWN_IOC_MAGIC, 0x04, __u32)
/* Describe the port. */
#define PAROWN_GET_PORT_INFO	_IOR(PAROWN_IOC_MAGIC, 0x05, struct parown_port_info)

/*
 * Device selection. A device number outside 0-3 is EINVAL, one in range
 * but not on the chain ENXIO, a device that does not answer its select
 * EIO (and the request changes nothing). See Documentation/parown.rst.
 */
/* ALLOCATE (same queue), then select the device; EIO frees it again. */
#define PAROWN_LOCK_PORT		_IOW(PAROWN_IOC_MAGIC, 0x06, struct parown_device)
/* Deselect the locked device, then FREE. EPERM if it is not locked. */
#define PAROWN_UNLOCK_PORT		_IOW(PAROWN_IOC_MAGIC, 0x07, struct parown_device)
/* LOCK_PORT and UNLOCK_PORT without touching the selection. */
#define PAROWN_LOCK_PORT_NO_SELECT	_IOW(PAROWN_IOC_MAGIC, 0x08, struct parown_device)
#define PAROWN_UNLOCK_PORT_NO_DESELECT	_IOW(PAROWN_IOC_MAGIC, 0x09, struct parown_device)
/* Select; allocates first unless PAROWN_HAVE_PORT_KEEP_PORT (owner only). */
#define PAROWN_SELECT_DEVICE		_IOW(PAROWN_IOC_MAGIC, 0x0a, struct parown_device)
/* Deselect; frees unless PAROWN_HAVE_PORT_KEEP_PORT. Owner only. */
#define PAROWN_DESELECT_DEVICE		_IOW(PAROWN_IOC_MAGIC, 0x0b, struct parown_device)
/*
 * Enumerate the chain again; the device count comes back in the __u32. A
 * bad pointer is EFAULT before anything is enumerated.
 */
#define PAROWN_INIT_1284_3_BUS		_IOR(PAROWN_IOC_MAGIC, 0x0c, __u32)

/**
 * struct parown_device_id - argument of PAROWN_GET_DEVICE_ID
 * @device: the IEEE 1284.3 daisy-chain address of the device, 0-3
 * @flags: PAROWN_END_OF_CHAIN_DEVICE, PAROWN_HAVE_PORT_KEEP_PORT
 * @timeout_ms: without PAROWN_HAVE_PORT_KEEP_PORT, give up waiting for the
 *	port after this many milliseconds; 0 waits without limit
 * @size: bytes at @buffer
 * @buffer: where the Device ID goes, a user pointer as a __u64 (the same
 *	layout for 32- and 64-bit processes)
 * @length: out: the length of the Device ID, which may be more than @size
 * @reserved: zero
 */
struct parown_device_id {
	__u32 device;
	__u32 flags;
	__u32 timeout_ms;
	__u32 size;
	__u64 buffer;
	__u32 length;
	__u32 reserved;
};

/*
 * Read the IEEE 1284 Device ID of a daisy-chain device, or of the
 * end-of-chain device with PAROWN_END_OF_CHAIN_DEVICE: the device is put on
 * the bus (selected, or every daisy device deselected), nibble mode with
 * the Device ID flag is negotiated, the ID is read, and the port goes back
 * to compatibility mode. The ID is the string the device sends after its
 * two length bytes ("MFG:...;MDL:...;..."); the first @size bytes of it go
 * to @buffer, followed by a NUL if there is room, and @length says how
 * long it is (at most 4095 bytes are read).
 *
 * Ownership as for SELECT_DEVICE: with PAROWN_HAVE_PORT_KEEP_PORT the
 * caller owns the port (EPERM if not) and keeps it, with the device
 * selected; without, the port is allocated first (the same queue and
 * errors as ALLOCATE, with @timeout_ms), and deselected and freed again
 * before the request returns.
 *
 * EINVAL for a bad device number, unknown flags or non-zero @reserved,
 * ENXIO for a device not on the chain, EIO if the chain does not answer
 * the select or nothing IEEE 1284 answers the negotiation (or the length
 * bytes make no sense), ENODATA if the device refuses to send a Device
 * ID, EFAULT for a bad @buffer (checked before anything is done),
 * ENODEV once the port has gone.
 */
#define PAROWN_GET_DEVICE_ID	_IOWR(PAROWN_IOC_MAGIC, 0x0d, struct parown_device_id)

#endif /* _UAPI_LINUX_PAROWN_H */
