// SPDX-License-Identifier: GPL-2.0
/*
 * parown_bench, part 6: write() of 1 MiB through /dev/parown0 by its
 * owner, against lp writing the same amount to /dev/lp0 on the same port,
 * in interleaved rounds (lp's cut after LP_LIMIT_S). Each write's bytes are a pattern of its own seed,
 * announced as an "@wire|" line: the host compares what left port 0 (the
 * VM runner's lpt0.log) with the patterns, in order.
 */
#include <math.h>

#include "bench.h"

#define LEN (1 << 20)
#define LP_KO "/lib/modules/lp.ko"
/*
 * lp on the VM's polled port can take most of an hour for a MiB: its write
 * is cut after this many seconds (a signal ends it with the count so far).
 */
#define LP_LIMIT_S 45
#define SMALL (32 << 10)
#define SMALL_ROUNDS 3

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

void bench_throughput(int rounds)
{
	struct series po = {}, lp = {}, po_small = {}, lp_small = {};
	bool lp_cut = false;
	unsigned char *buf = malloc(LEN);
	uint64_t start = now_ns();
	double ratio;

	printf("# 6. throughput: write() of %d bytes, %d rounds\n", LEN, rounds);
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
	 * First writes small enough for the wire's buffer (the VM loops each
	 * port's output through a 64 KiB pipe into a serial port, which
	 * drains it at about 14 KB/s; a full pipe stalls the port), each
	 * after the wire settled: the drivers' own pace.
	 */
	for (int r = 0; r < SMALL_ROUNDS; r++) {
		for (int i = 0; i < 2; i++) {
			bool is_lp = (i + r) % 2;
			uint32_t seed = 2000 + 2 * r + is_lp;
			size_t done;
			double s;

			pattern(seed, buf, SMALL);
			if (wire_settle(0))
				printf("#   the wire does not settle\n");
			s = is_lp ? lp_write(buf, SMALL, &done) : parown_write(buf, SMALL, &done);
			printf("@wire|%s|%u|%zu\n", is_lp ? "lp" : "parown", seed, done);
			if (s > 0 && done)
				series_add(is_lp ? &lp_small : &po_small, done / s);
		}
	}
	printf("#   %d KiB: parown %s bytes/s\n", SMALL / 1024, spread(&po_small, 1, "%.0f"));
	printf("#   %d KiB: lp     %s bytes/s\n", SMALL / 1024, spread(&lp_small, 1, "%.0f"));
	wire_settle(0);

	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < 2; i++) {
			bool is_lp = (i + r) % 2;
			uint32_t seed = 1000 + 2 * r + is_lp;
			size_t done;
			double s;

			pattern(seed, buf, LEN);
			s = is_lp ? lp_write(buf, LEN, &done) : parown_write(buf, LEN, &done);
			/* What the host checks, in the order it left the port. */
			printf("@wire|%s|%u|%zu\n", is_lp ? "lp" : "parown", seed, done);
			lp_cut |= is_lp && done < LEN;
			if (s > 0 && done) {
				series_add(is_lp ? &lp : &po, done / s);
				printf("#   round %d: %s %.0f bytes/s (%zu bytes in %.1f s%s)\n", r,
				       is_lp ? "lp    " : "parown", done / s, done, s,
				       done < LEN ? ", cut short" : "");
			}
			fflush(stdout);
		}
	}
	if (sh("rmmod lp"))
		broke("rmmod lp failed");
	free(buf);
	printf("#   parown %s bytes/s\n", spread(&po, 1, "%.0f"));
	printf("#   lp     %s bytes/s\n", spread(&lp, 1, "%.0f"));
	printf("#   the writes took %.0f s in all\n", (now_ns() - start) / 1e9);
	ratio = series_max(&po_small) / series_max(&lp_small);
	row("6. write() 32 KiB (wire not full), parown0",
	    po_small.n ? fmt("%.0f bytes/s", series_max(&po_small)) : "no figure",
	    lp_small.n ? fmt("lp %.0f bytes/s", series_max(&lp_small)) : "lp: no figure",
	    ratio, "-", NOT_JUDGED);
	ratio = series_max(&po) / series_max(&lp);
	row("6. write() 1 MiB, /dev/parown0 (owner)",
	    po.n ? fmt("%.0f bytes/s", series_max(&po)) : "no figure",
	    lp.n ? fmt("lp %.0f bytes/s%s", series_max(&lp),
		       lp_cut ? fmt(" (cut at %d s)", LP_LIMIT_S) : "") : "lp: no figure",
	    ratio, ">= 1.0x", !isnan(ratio) && ratio >= 1.0 ? MET : NOT_MET);
}
