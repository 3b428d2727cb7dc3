/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * parown: Windows-style parallel port ownership, user-space interface.
 *
 * Each parallel port parportN has a node /dev/parownN. An open file of it
 * is a client. Clients allocate the port (waiting in arrival order), use
 * it, and free it; see Documentation/parown.rst for the full contract.
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
 * @base_hi: base address of the ECP registers, 0 if none
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

/*
 * Wait, in arrival order, until the caller owns the port. EDEADLK if it
 * owns the port already, EALREADY if it waits already (another thread),
 * ETIMEDOUT when the timeout ends the wait, EINTR on a signal (or a
 * restart, for SA_RESTART handlers), ENODEV if the port has gone.
 */
#define PAROWN_ALLOCATE		_IOW(PAROWN_IOC_MAGIC, 0x01, struct parown_allocate)
/* Own the port if it is free and nobody waits; EAGAIN otherwise. */
#define PAROWN_TRY_ALLOCATE	_IO(PAROWN_IOC_MAGIC, 0x02)
/* Give the port up; it passes to the longest waiter. EPERM if not owner. */
#define PAROWN_FREE		_IO(PAROWN_IOC_MAGIC, 0x03)
/* The number of clients waiting for the port. */
#define PAROWN_QUERY_WAITERS	_IOR(PAROWN_IOC_MAGIC, 0x04, __u32)
/* Describe the port. */
#define PAROWN_GET_PORT_INFO	_IOR(PAROWN_IOC_MAGIC, 0x05, struct parown_port_info)

#endif /* _UAPI_LINUX_PAROWN_H */
