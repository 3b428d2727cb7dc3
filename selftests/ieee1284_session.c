// SPDX-License-Identifier: GPL-2.0
/*
 * A session of an ordinary libieee1284 program, for the differential and
 * contention tests (parown_programs.sh): linked dynamically against
 * Debian's libieee1284, as programs that use it are, and using only the
 * library's API. It finds the ports, opens one, claims it, reads status,
 * control and data, writes data and bytes in compatibility mode,
 * negotiates nibble mode, releases, closes, then reads the Device ID
 * afresh (F1284_FRESH: the library negotiates for it). It prints every
 * result, and only what does not depend on the kernel driver behind
 * /dev/parportN, so that ppdev and parown give the same output.
 *
 * libieee1284 finds ports in /proc/sys/dev/parport/parportN and opens
 * /dev/parportN through ppdev's ioctls (it falls back to raw port I/O only
 * when it cannot open that node, which this program refuses: see
 * kernel_device()).
 *
 * usage: ieee1284_session [PORT [TEXT [HOLD_MS]]]
 *   PORT     the port's name (default parport0)
 *   TEXT     the bytes to write in compatibility mode (default a line
 *            naming the program)
 *   HOLD_MS  keep the port claimed this long before releasing it, or
 *            until SIGUSR1 comes (the contention test's overlap, which
 *            the test ends when the other program waits; default 0)
 */
#include <ieee1284.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* libieee1284's E1284_* codes by name, so that the output reads. */
static const char *e1284(int rc)
{
	switch (rc) {
	case E1284_OK: return "E1284_OK";
	case E1284_NOTIMPL: return "E1284_NOTIMPL";
	case E1284_NOTAVAIL: return "E1284_NOTAVAIL";
	case E1284_TIMEDOUT: return "E1284_TIMEDOUT";
	case E1284_REJECTED: return "E1284_REJECTED";
	case E1284_NEGFAILED: return "E1284_NEGFAILED";
	case E1284_NOMEM: return "E1284_NOMEM";
	case E1284_INIT: return "E1284_INIT";
	case E1284_SYS: return "E1284_SYS";
	case E1284_NOID: return "E1284_NOID";
	case E1284_INVALIDPORT: return "E1284_INVALIDPORT";
	}
	return rc > 0 ? "positive" : "unknown";
}

/*
 * The library talks to a kernel driver through a character device, and
 * not to the hardware by raw port I/O (which it falls back to, as root,
 * when opening /dev/parportN fails): a differential test of raw I/O would
 * prove nothing.
 */
static int kernel_device(struct parport *port)
{
	struct stat st;
	int fd = ieee1284_get_irq_fd(port);

	return fd >= 0 && fstat(fd, &st) == 0 && S_ISCHR(st.st_mode);
}

/* SIGUSR1 only interrupts the hold's sleep. */
static void end_hold(int sig)
{
}

int main(int argc, char **argv)
{
	const char *want = argc > 1 ? argv[1] : "parport0";
	const char *text = argc > 2 ? argv[2] : "ieee1284_session: compat write\n";
	long hold_ms = argc > 3 ? strtol(argv[3], NULL, 0) : 0;
	struct parport_list list = { 0 };
	struct parport *port = NULL;
	char id[256];
	int caps = 0;
	int rc, i;
	ssize_t n;
	struct sigaction sa = { .sa_handler = end_hold };

	/* Without SA_RESTART: the signal ends nanosleep() early. */
	sigaction(SIGUSR1, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	rc = ieee1284_find_ports(&list, 0);
	printf("find_ports: %s, %d ports\n", e1284(rc), list.portc);
	for (i = 0; i < list.portc; i++) {
		printf("port %s base %#lx\n", list.portv[i]->name,
		       list.portv[i]->base_addr);
		if (!strcmp(list.portv[i]->name, want))
			port = list.portv[i];
	}
	if (!port) {
		printf("no port %s\n", want);
		return 1;
	}

	rc = ieee1284_open(port, 0, &caps);
	printf("open: %s, capabilities %#x\n", e1284(rc), caps);
	if (rc != E1284_OK)
		return 1;
	if (!kernel_device(port)) {
		printf("not through a kernel device: refusing raw port I/O\n");
		return 1;
	}
	printf("through a kernel character device\n");

	rc = ieee1284_claim(port);
	printf("claim: %s\n", e1284(rc));
	if (rc != E1284_OK)
		return 1;
	/* S1284_* bits, the library's inversion of the busy line applied. */
	printf("status: %#04x\n", ieee1284_read_status(port));
	printf("control: %#04x\n", ieee1284_read_control(port));
	ieee1284_write_data(port, 0x5a);
	printf("data after writing 0x5a: %#04x\n", ieee1284_read_data(port));
	ieee1284_write_data(port, 0xa5);
	printf("data after writing 0xa5: %#04x\n", ieee1284_read_data(port));

	n = ieee1284_compat_write(port, 0, text, strlen(text));
	printf("compat_write: %zd of %zu bytes\n", n, strlen(text));

	rc = ieee1284_negotiate(port, M1284_NIBBLE);
	printf("negotiate nibble: %s\n", e1284(rc));
	ieee1284_terminate(port);
	printf("status after terminate: %#04x\n", ieee1284_read_status(port));

	if (hold_ms > 0) {
		struct timespec ts = { hold_ms / 1000, (hold_ms % 1000) * 1000000 };

		nanosleep(&ts, NULL);
	}
	ieee1284_release(port);
	printf("released\n");
	rc = ieee1284_close(port);
	printf("close: %s\n", e1284(rc));

	n = ieee1284_get_deviceid(port, -1, F1284_FRESH, id, sizeof(id));
	if (n > 2) {
		/* Two bytes of length, then the ID. */
		id[n < (ssize_t)sizeof(id) ? n : (ssize_t)sizeof(id) - 1] = '\0';
		printf("device id (%zd bytes): %s\n", n, id + 2);
	} else {
		printf("device id: %s\n", e1284((int)n));
	}

	ieee1284_free_ports(&list);
	printf("done\n");
	return 0;
}
