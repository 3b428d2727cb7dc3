// SPDX-License-Identifier: GPL-2.0
/*
 * parown_spin: one request pair in a loop, for a profiler to sample
 * (scripts/profile.sh). Not a benchmark: it prints nothing but errors.
 *
 * usage: parown_spin allocate|try|query|unknown|null COUNT
 */
#include "parown_test.h"

/* A number neither parown (type 0xb9) nor ppdev (type 'p') knows. */
#define UNKNOWN_IOCTL _IO(0xf7, 0x7f)

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "allocate";
	long count = argc > 2 ? atol(argv[2]) : 1000000;
	int null = open("/dev/null", O_RDWR);
	int fd = po_open(0);

	if (fd < 0 || null < 0) {
		perror("open");
		return 1;
	}
	for (long i = 0; i < count; i++) {
		int bad = 0;

		if (!strcmp(what, "allocate"))
			bad = po_allocate(fd, 0) || po_free(fd);
		else if (!strcmp(what, "try"))
			bad = po_try(fd) || po_free(fd);
		else if (!strcmp(what, "query"))
			bad = po_waiters(fd) < 0 || po_waiters(fd) < 0;
		else if (!strcmp(what, "unknown"))
			bad = ioctl(fd, UNKNOWN_IOCTL) != -1 || ioctl(fd, UNKNOWN_IOCTL) != -1;
		else
			bad = ioctl(null, UNKNOWN_IOCTL) != -1 || ioctl(null, UNKNOWN_IOCTL) != -1;
		if (bad) {
			perror(what);
			return 1;
		}
	}
	return 0;
}
