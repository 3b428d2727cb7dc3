// SPDX-License-Identifier: GPL-2.0
/*
 * parownctl: parown's requests from the shell.
 *
 *   parownctl info PORT             describe /dev/parownPORT
 *   parownctl waiters PORT          how many clients wait for it
 *   parownctl hold PORT MS          allocate, print "held", hold MS ms, free
 *   parownctl write PORT TEXT [MS [DEVICE]]
 *                                   allocate (waiting at most MS ms; 0 or
 *                                   none: no limit), write TEXT, free; with
 *                                   DEVICE (0-3, or eoc), lock the port for
 *                                   that IEEE 1284.3 device and unlock it
 *   parownctl chain PORT [MS]       list the IEEE 1284.3 chain and the
 *                                   end-of-chain device, each with its IEEE
 *                                   1284 Device ID (waiting at most MS ms
 *                                   for the port each time; 0 or none: no
 *                                   limit); "-" for a device that sends none
 *
 * A client is an open file, so ownership lasts as long as one command.
 * Exits 0 on success, 1 with the error on stderr otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/parown.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int fail(const char *what)
{
	fprintf(stderr, "parownctl: %s: %s\n", what, strerror(errno));
	return 1;
}

static int allocate(int fd, unsigned int timeout_ms)
{
	struct parown_allocate req = { .timeout_ms = timeout_ms };

	return ioctl(fd, PAROWN_ALLOCATE, &req);
}

/*
 * Prints one line of the chain: NAME, then its Device ID or "-" and why
 * not. Returns 0, or 1 if the port cannot be asked at all.
 */
static int print_device(int fd, const char *name, __u32 device, __u32 flags,
			__u32 timeout_ms)
{
	char id[4096];
	struct parown_device_id req = {
		.device = device, .flags = flags, .timeout_ms = timeout_ms,
		.size = sizeof(id), .buffer = (__u64)(uintptr_t)id,
	};

	if (ioctl(fd, PAROWN_GET_DEVICE_ID, &req) == 0) {
		printf("%s: %s\n", name, id);
		return 0;
	}
	printf("%s: - (%s)\n", name, strerror(errno));
	return errno == ENODEV || errno == ETIMEDOUT || errno == EINTR;
}

static int list_chain(int fd, __u32 timeout_ms)
{
	struct parown_port_info info;
	char name[24];
	__u32 k;
	int bad = 0;

	if (ioctl(fd, PAROWN_GET_PORT_INFO, &info))
		return fail("GET_PORT_INFO");
	for (k = 0; k < info.ieee1284_3_devices && !bad; k++) {
		snprintf(name, sizeof(name), "device %u", k);
		bad = print_device(fd, name, k, 0, timeout_ms);
	}
	if (!bad)
		bad = print_device(fd, "end of chain", 0,
				   PAROWN_END_OF_CHAIN_DEVICE, timeout_ms);
	return bad;
}

int main(int argc, char **argv)
{
	struct parown_port_info info;
	char path[32];
	__u32 waiters;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: parownctl info|waiters|hold|write|chain PORT [ARGS]\n");
		return 2;
	}
	snprintf(path, sizeof(path), "/dev/parown%s", argv[2]);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return fail(path);

	if (!strcmp(argv[1], "info")) {
		if (ioctl(fd, PAROWN_GET_PORT_INFO, &info))
			return fail("GET_PORT_INFO");
		printf("parport%u: io 0x%llx", info.port, (unsigned long long)info.base);
		if (info.base_hi)
			printf(",0x%llx", (unsigned long long)info.base_hi);
		printf(", irq %d, dma %d, modes 0x%x, %u IEEE 1284.3 devices, %s\n",
		       info.irq, info.dma, info.modes, info.ieee1284_3_devices,
		       info.flags & PAROWN_PORT_OWNED ? "owned" : "free");
	} else if (!strcmp(argv[1], "waiters")) {
		if (ioctl(fd, PAROWN_QUERY_WAITERS, &waiters))
			return fail("QUERY_WAITERS");
		printf("%u\n", waiters);
	} else if (!strcmp(argv[1], "hold") && argc == 4) {
		if (allocate(fd, 0))
			return fail("ALLOCATE");
		printf("held\n");
		fflush(stdout);
		usleep(atoi(argv[3]) * 1000);
		if (ioctl(fd, PAROWN_FREE))
			return fail("FREE");
	} else if (!strcmp(argv[1], "write") && argc >= 4 && argc <= 6) {
		size_t len = strlen(argv[3]);
		struct parown_device dev = {
			.timeout_ms = argc >= 5 ? atoi(argv[4]) : 0,
		};

		if (argc == 6 && !strcmp(argv[5], "eoc"))
			dev.flags = PAROWN_END_OF_CHAIN_DEVICE;
		else if (argc == 6)
			dev.device = atoi(argv[5]);
		if (argc == 6 ? ioctl(fd, PAROWN_LOCK_PORT, &dev) : allocate(fd, dev.timeout_ms))
			return fail(argc == 6 ? "LOCK_PORT" : "ALLOCATE");
		if (write(fd, argv[3], len) != (ssize_t)len)
			return fail("write");
		if (argc == 6 ? ioctl(fd, PAROWN_UNLOCK_PORT, &dev) : ioctl(fd, PAROWN_FREE))
			return fail(argc == 6 ? "UNLOCK_PORT" : "FREE");
	} else if (!strcmp(argv[1], "chain") && argc <= 4) {
		return list_chain(fd, argc == 4 ? atoi(argv[3]) : 0);
	} else {
		fprintf(stderr, "parownctl: bad request\n");
		return 2;
	}
	return 0;
}
