// SPDX-License-Identifier: GPL-2.0
/*
 * parown_bench, part 1: one process, no contention. What a pair of
 * requests costs against two ioctls that do nothing: on /dev/null (the
 * system call floor) and on /dev/parown0 itself (the dispatch floor, an
 * ioctl parown does not know), and against ppdev's PPCLAIM+PPRELEASE. For
 * reference, the dispatch floor of a C driver: the same ioctl on
 * /dev/urandom, whose handler turns it away at once (EINVAL).
 */
#include <linux/ppdev.h>

#include "bench.h"

#define PAIRS 20000

/*
 * Unknown to parown (type 0xB9), to ppdev (type 'p'), which parown also
 * answers, and to the VFS's generic ioctls: ENOTTY everywhere.
 */
#define UNKNOWN_IOCTL _IO('z', 0x7f)

static int null_fd, po_fd, pp_fd, random_fd;

static void two_refused(int fd, int err)
{
	if (ioctl(fd, UNKNOWN_IOCTL) != -1 || errno != err ||
	    ioctl(fd, UNKNOWN_IOCTL) != -1 || errno != err)
		die("unknown ioctl did not give its errno");
}

static void null_pair(void)
{
	two_refused(null_fd, ENOTTY);
}

static void dispatch_pair(void)
{
	two_refused(po_fd, ENOTTY);
}

static void c_dispatch_pair(void)
{
	two_refused(random_fd, EINVAL);
}

static void allocate_free(void)
{
	if (po_allocate(po_fd, 0) || po_free(po_fd))
		die("ALLOCATE/FREE");
}

static void try_free(void)
{
	if (po_try(po_fd) || po_free(po_fd))
		die("TRY_ALLOCATE/FREE");
}

static void two_waiters(void)
{
	if (po_waiters(po_fd) || po_waiters(po_fd))
		die("QUERY_WAITERS");
}

static void claim_release(void)
{
	if (ioctl(pp_fd, PPCLAIM) || ioctl(pp_fd, PPRELEASE))
		die("PPCLAIM/PPRELEASE");
}

static const struct variant {
	const char *name;
	const char *key;	/* for --spin */
	void (*pair)(void);
} variants[] = {
	{ "2 unknown ioctls on /dev/null (syscall floor)", "null", null_pair },
	{ "2 unknown ioctls on /dev/parown0 (dispatch floor)", "unknown", dispatch_pair },
	{ "2 unknown ioctls on /dev/urandom (a C driver's)", "urandom", c_dispatch_pair },
	{ "ALLOCATE+FREE", "allocate", allocate_free },
	{ "TRY_ALLOCATE+FREE", "try", try_free },
	{ "2 QUERY_WAITERS", "query", two_waiters },
	{ "ppdev PPCLAIM+PPRELEASE", "ppdev", claim_release },
};

enum { NULL2, DISPATCH2, C_DISPATCH2, ALLOC_FREE, TRY_FREE, WAITERS2, PPDEV, NVARIANTS };

/* Nanoseconds per call of @pair over PAIRS calls. */
static double ns_per(void (*pair)(void))
{
	uint64_t start = now_ns();

	for (int i = 0; i < PAIRS; i++)
		pair();
	return (double)(now_ns() - start) / PAIRS;
}

static void ratio_row(const char *measure, const struct series *s,
		      const struct series *floor, const char *floor_name,
		      double limit)
{
	double ratio = series_min(s) / series_min(floor);

	row(measure, fmt("%.0f ns/pair", series_min(s)),
	    fmt("%s %.0f ns", floor_name, series_min(floor)), ratio,
	    limit > 0 ? fmt("<= %.1fx", limit) : "-",
	    limit > 0 ? at_most(ratio, limit) : NOT_JUDGED);
}

static void open_all(void)
{
	null_fd = open("/dev/null", O_RDWR);
	po_fd = po_open(0);
	pp_fd = open("/dev/parport0", O_RDWR);
	random_fd = open("/dev/urandom", O_RDONLY);
	if (null_fd < 0 || po_fd < 0 || pp_fd < 0 || random_fd < 0)
		die("open /dev/null, /dev/parown0, /dev/parport0, /dev/urandom");
	/* Warm up; the first PPCLAIM registers ppdev's pardevice. */
	for (int v = 0; v < NVARIANTS; v++)
		variants[v].pair();
}

/*
 * parown_bench --spin KEY COUNT: one pair in a loop, for a profiler to
 * sample (scripts/profile.sh). Prints the time per pair, a hint only.
 */
int spin_uncontended(const char *key, long count)
{
	for (int v = 0; v < NVARIANTS; v++) {
		uint64_t start;

		if (strcmp(variants[v].key, key))
			continue;
		open_all();
		start = now_ns();
		for (long i = 0; i < count; i++)
			variants[v].pair();
		fprintf(stderr, "parown_bench --spin: %s: %.0f ns per pair\n", key,
			(double)(now_ns() - start) / count);
		return 0;
	}
	fprintf(stderr, "parown_bench --spin: KEY COUNT, KEY one of:");
	for (int v = 0; v < NVARIANTS; v++)
		fprintf(stderr, " %s", variants[v].key);
	fprintf(stderr, "\n");
	return 2;
}

void bench_uncontended(int rounds)
{
	struct series s[NVARIANTS] = {};

	open_all();

	/* Interleaved, the order turning, so that drift hits all alike. */
	for (int r = 0; r < rounds; r++)
		for (int i = 0; i < NVARIANTS; i++) {
			int v = (i + r) % NVARIANTS;

			series_add(&s[v], ns_per(variants[v].pair));
		}
	close(random_fd);
	close(pp_fd);
	close(po_fd);
	close(null_fd);

	printf("# 1. uncontended, one process, %d pairs a round, ns per pair\n", PAIRS);
	for (int v = 0; v < NVARIANTS; v++)
		printf("#   %-52s %s\n", variants[v].name, spread(&s[v], 1, "%.0f"));

	ratio_row("1. ALLOCATE+FREE", &s[ALLOC_FREE], &s[NULL2], "syscall floor", 1.4);
	ratio_row("1. dispatch floor (2 unknown ioctls, parown0)", &s[DISPATCH2],
		  &s[NULL2], "syscall floor", 1.1);
	ratio_row("1. dispatch floor vs a C driver's (urandom)", &s[DISPATCH2],
		  &s[C_DISPATCH2], "urandom", 0);
	ratio_row("1. C driver's dispatch (2 on urandom)", &s[C_DISPATCH2], &s[NULL2],
		  "syscall floor", 0);
	ratio_row("1. ALLOCATE+FREE vs parown's dispatch floor", &s[ALLOC_FREE],
		  &s[DISPATCH2], "dispatch floor", 0);
	ratio_row("1. TRY_ALLOCATE+FREE", &s[TRY_FREE], &s[NULL2], "syscall floor", 0);
	ratio_row("1. 2 QUERY_WAITERS", &s[WAITERS2], &s[NULL2], "syscall floor", 0);
	ratio_row("1. ppdev PPCLAIM+PPRELEASE", &s[PPDEV], &s[NULL2], "syscall floor", 0);
	ratio_row("1. ALLOCATE+FREE vs ppdev", &s[ALLOC_FREE], &s[PPDEV], "ppdev", 0);
}
