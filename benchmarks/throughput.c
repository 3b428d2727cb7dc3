// SPDX-License-Identifier: GPL-2.0
/*
 * parown_bench, part 6: 1 MiB written through /dev/parown0 by its owner,
 * against lp writing as much to /dev/lp0 on the same port, as write()s of
 * CHUNK bytes, parown's and lp's alternating, each after the wire settled.
 *
 * Why not one write() of 1 MiB: the VM loops each port's output through a
 * 64 KiB pipe into one of its own serial ports, which drains it at about
 * 14 KB/s, and a full pipe stalls the port; lp, polling, then falls back
 * to 10 ms sleeps and took 8 minutes for 160 KB (parown's single 1 MiB
 * write() took 77 s, the wire's pace). CHUNK fits the pipe: each write()
 * runs at its driver's own pace. A write() is cut after LP_LIMIT_S all the
 * same (a signal ends it with the count so far).
 *
 * Each write's bytes are a pattern of its own seed, announced as an
 * "@wire|" line with the count written: the host compares what left port
 * 0 (the VM runner's lpt0.log) with the patterns, in order.
 */
#include <math.h>
#include <sched.h>
#include <sys/resource.h>

#include "bench.h"

#define LEN (1 << 20)
#define LP_KO "/lib/modules/lp.ko"
/*
 * lp on the VM's polled port can take most of an hour for a MiB: its write
 * is cut after this many seconds (a signal ends it with the count so far).
 */
#define LP_LIMIT_S 45
#define CHUNK (32 << 10)

static volatile sig_atomic_t expired;

static void on_alarm(int sig)
{
	expired = 1;
}

/*
 * Writes @len bytes of @buf to @fd, or what it can in @limit_s seconds
 * (0: no limit). Returns the seconds it took and sets @done to the bytes
 * written, or returns a negative value.
 */
static double write_all(int fd, const unsigned char *buf, size_t len,
			unsigned int limit_s, size_t *done)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	uint64_t start = now_ns();

	*done = 0;
	expired = 0;
	sigaction(SIGALRM, &sa, NULL);
	alarm(limit_s);
	while (*done < len && !expired) {
		ssize_t n = write(fd, buf + *done, len - *done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			alarm(0);
			return -1;
		}
		*done += n;
	}
	alarm(0);
	return (now_ns() - start) / 1e9;
}

static double parown_write(const unsigned char *buf, size_t len, size_t *done)
{
	int fd = po_open(0);
	double s;

	*done = 0;
	if (fd < 0 || po_allocate(fd, 0)) {
		broke("/dev/parown0: open or ALLOCATE: %s", strerror(errno));
		return -1;
	}
	s = write_all(fd, buf, len, 0, done);
	if (s < 0)
		broke("write() to /dev/parown0: %s", strerror(errno));
	if (po_free(fd))
		broke("FREE after the write");
	close(fd);
	return s;
}

/*
 * An open client of /dev/parown0 for the whole part, which keeps parown's
 * pardevice registered, as lp's is from its insmod on. parown registers it
 * at a port's first open; the registration's uevents run the VM's hotplug
 * helper, a shell, alongside the write that follows. Measured pinned to
 * one CPU, 8 pairs: a write after a first open ran at 0.90x lp, 0.95x with
 * the helper switched off; 10 pairs with the pardevice already registered
 * ran at 0.99x. That is the cost of a registration, once per first open,
 * not of writing. Returns the file, or -1.
 */
static int keep_registered(void)
{
	int fd = po_open(0);

	if (fd < 0)
		broke("/dev/parown0: %s", strerror(errno));
	return fd;
}

static double lp_write(const unsigned char *buf, size_t len, size_t *done)
{
	int fd = open("/dev/lp0", O_WRONLY);
	double s;

	*done = 0;
	if (fd < 0) {
		broke("/dev/lp0: %s", strerror(errno));
		return -1;
	}
	s = write_all(fd, buf, len, LP_LIMIT_S, done);
	if (s < 0)
		broke("write() to /dev/lp0: %s", strerror(errno));
	close(fd);
	return s;
}

/* A struct timeval in seconds. */
static double tv_s(const struct timeval *tv)
{
	return tv->tv_sec + tv->tv_usec / 1e6;
}

/*
 * parown_bench --write parown|lp BYTES: one write() of BYTES through
 * /dev/parown0, as its owner, or through /dev/lp0 (lp loaded), once the
 * wire settled, for a profiler to sample (scripts/profile.sh); parown's
 * pardevice kept registered, as in the part. Prints the rate, a hint
 * only, and how much of the write was on the CPU.
 */
int spin_write(const char *key, long bytes)
{
	bool is_lp = !strcmp(key, "lp");
	struct rusage before, after;
	unsigned char *buf;
	size_t done;
	double s, cpu;
	int keeper;

	if ((!is_lp && strcmp(key, "parown")) || bytes <= 0 || bytes > LEN) {
		fprintf(stderr, "parown_bench --write parown|lp BYTES (at most %d)\n", LEN);
		return 2;
	}
	buf = malloc(bytes);
	if (!buf)
		die("malloc");
	pattern(1, buf, bytes);
	keeper = is_lp ? -1 : keep_registered();
	if (wire_settle(0))
		fprintf(stderr, "parown_bench --write: the wire does not settle\n");
	getrusage(RUSAGE_SELF, &before);
	s = is_lp ? lp_write(buf, bytes, &done) : parown_write(buf, bytes, &done);
	getrusage(RUSAGE_SELF, &after);
	if (keeper >= 0)
		close(keeper);
	free(buf);
	if (s <= 0 || done != (size_t)bytes)
		return 1;
	/*
	 * The profile samples only time on the CPU: how much of the write()
	 * that was, and how often it left the CPU.
	 */
	cpu = tv_s(&after.ru_utime) - tv_s(&before.ru_utime) +
	      tv_s(&after.ru_stime) - tv_s(&before.ru_stime);
	fprintf(stderr,
		"parown_bench --write: %s: %zu bytes at %.0f bytes/s, on the CPU %.0f%% of it, "
		"%ld voluntary and %ld involuntary context switches\n",
		key, done, done / s, 100 * cpu / s, after.ru_nvcsw - before.ru_nvcsw,
		after.ru_nivcsw - before.ru_nivcsw);
	return 0;
}

/* @rounds: 1 (--quick) writes 2 chunks each; more, the whole LEN each. */
void bench_throughput(int rounds)
{
	struct series po = {}, lp = {};
	unsigned char *buf = malloc(CHUNK);
	uint64_t start = now_ns();
	double po_s = 0, lp_s = 0, ratio;
	size_t po_bytes = 0, lp_bytes = 0;
	cpu_set_t was, pinned;
	int keeper;

	printf("# 6. throughput: %d bytes each, as %d write()s of %d, interleaved\n",
	       LEN, LEN / CHUNK, CHUNK);
	fflush(stdout);
	if (!buf)
		die("malloc");
	if (sh("insmod " LP_KO)) {
		broke("insmod lp.ko failed");
		free(buf);
		return;
	}
	for (int i = 0; i < 50 && access("/dev/lp0", W_OK); i++)
		sleep_ms(100);

	/*
	 * Both drivers' writes on the same CPU: under TCG one virtual CPU
	 * runs a write up to 15% faster than the other (measured with
	 * taskset), and where the scheduler puts each write would otherwise
	 * decide the ratio.
	 */
	CPU_ZERO(&pinned);
	CPU_SET(sysconf(_SC_NPROCESSORS_ONLN) - 1, &pinned);
	if (sched_getaffinity(0, sizeof(was), &was) || sched_setaffinity(0, sizeof(pinned), &pinned))
		printf("#   could not pin the writes to one CPU: %s\n", strerror(errno));
	keeper = keep_registered();

	/*
	 * Each write after the wire settled (see the top of this file): the
	 * drivers' own pace, not the wire's. A chunk is a round.
	 */
	for (int r = 0; r < (rounds > 1 ? LEN / CHUNK : 2); r++) {
		for (int i = 0; i < 2; i++) {
			bool is_lp = (i + r) % 2;
			uint32_t seed = 1000 + 2 * r + is_lp;
			size_t done;
			double s;

			pattern(seed, buf, CHUNK);
			if (wire_settle(0))
				printf("#   the wire does not settle\n");
			s = is_lp ? lp_write(buf, CHUNK, &done) : parown_write(buf, CHUNK, &done);
			/* What the host checks, in the order it left the port. */
			printf("@wire|%s|%u|%zu\n", is_lp ? "lp" : "parown", seed, done);
			if (s > 0 && done) {
				series_add(is_lp ? &lp : &po, done / s);
				*(is_lp ? &lp_s : &po_s) += s;
				*(is_lp ? &lp_bytes : &po_bytes) += done;
			}
		}
	}
	wire_settle(0);
	if (keeper >= 0)
		close(keeper);
	sched_setaffinity(0, sizeof(was), &was);
	if (sh("rmmod lp"))
		broke("rmmod lp failed");
	free(buf);
	printf("#   parown: %zu bytes in %.1f s of write(); a write() of %d: %s bytes/s\n",
	       po_bytes, po_s, CHUNK, spread(&po, 1, "%.0f"));
	printf("#   lp:     %zu bytes in %.1f s of write(); a write() of %d: %s bytes/s\n",
	       lp_bytes, lp_s, CHUNK, spread(&lp, 1, "%.0f"));
	printf("#   the part took %.0f s\n", (now_ns() - start) / 1e9);
	ratio = po_s && lp_s ? (po_bytes / po_s) / (lp_bytes / lp_s) : NAN;
	row("6. write() 1 MiB (32 x 32 KiB), parown0 owner",
	    po_s ? fmt("%.0f bytes/s", po_bytes / po_s) : "no figure",
	    lp_s ? fmt("lp %.0f bytes/s", lp_bytes / lp_s) : "lp: no figure",
	    ratio, ">= 1.0x", !isnan(ratio) && ratio >= 1.0 ? MET : NOT_MET);
}
