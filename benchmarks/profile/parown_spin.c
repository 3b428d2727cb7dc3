// SPDX-License-Identifier: GPL-2.0
/*
 * parown_spin: one request pair in a loop, for a profiler to sample
 * (scripts/profile.sh). Prints the time per pair, one run's, as a hint:
 * the benchmarks (make bench) are where figures come from.
 *
 * usage: parown_spin allocate|try|query|unknown|null COUNT
 */
#include <time.h>

#include "parown_test.h"

/* A number neither parown (type 0xb9) nor ppdev (type 'p') knows. */
#define UNKNOWN_IOCTL _IO(0xf7, 0x7f)

static int fd, null;

static int allocate_free(void)
{
	return po_allocate(fd, 0) || po_free(fd);
}

static int try_free(void)
{
	return po_try(fd) || po_free(fd);
}

static int two_queries(void)
{
	return po_waiters(fd) < 0 || po_waiters(fd) < 0;
}

static int two_unknown(void)
{
	return ioctl(fd, UNKNOWN_IOCTL) != -1 || ioctl(fd, UNKNOWN_IOCTL) != -1;
}

static int two_on_null(void)
{
	return ioctl(null, UNKNOWN_IOCTL) != -1 || ioctl(null, UNKNOWN_IOCTL) != -1;
}

static const struct {
	const char *name;
	int (*pair)(void);
} pairs[] = {
	{ "allocate", allocate_free },
	{ "try", try_free },
	{ "query", two_queries },
	{ "unknown", two_unknown },
	{ "null", two_on_null },
};

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "allocate";
	long count = argc > 2 ? atol(argv[2]) : 1000000;
	int (*pair)(void) = NULL;
	struct timespec a, b;

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (!strcmp(what, pairs[i].name))
			pair = pairs[i].pair;
	null = open("/dev/null", O_RDWR);
	fd = po_open(0);
	if (!pair || fd < 0 || null < 0) {
		fprintf(stderr, "usage: parown_spin allocate|try|query|unknown|null COUNT\n");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < count; i++) {
		if (pair()) {
			perror(what);
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	fprintf(stderr, "parown_spin: %s: %.0f ns per pair\n", what,
		((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / count);
	return 0;
}
