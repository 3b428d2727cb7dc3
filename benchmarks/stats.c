// SPDX-License-Identifier: GPL-2.0
/*
 * parown_bench: series of rounds, the summary table's rows, time, and the
 * throughput benchmark's byte pattern (also used on the host to check the
 * wire).
 */
#include <math.h>
#include <stdarg.h>
#include <sys/prctl.h>

#include "bench.h"

void series_add(struct series *s, double v)
{
	if (s->n < MAX_ROUNDS)
		s->v[s->n++] = v;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double sorted_at(const struct series *s, int i)
{
	double v[MAX_ROUNDS];

	if (!s->n)
		return NAN;
	memcpy(v, s->v, s->n * sizeof(v[0]));
	qsort(v, s->n, sizeof(v[0]), cmp_double);
	return v[i < 0 ? s->n - 1 : i];
}

double series_min(const struct series *s)
{
	return sorted_at(s, 0);
}

double series_median(const struct series *s)
{
	return sorted_at(s, s->n / 2);
}

double series_max(const struct series *s)
{
	return sorted_at(s, -1);
}

const char *spread(const struct series *s, double scale, const char *f)
{
	char a[32], b[32], c[32];

	snprintf(a, sizeof(a), f, series_min(s) / scale);
	snprintf(b, sizeof(b), f, series_median(s) / scale);
	snprintf(c, sizeof(c), f, series_max(s) / scale);
	return fmt("min %s, median %s, max %s (%d rounds)", a, b, c, s->n);
}

const char *fmt(const char *format, ...)
{
	static char bufs[16][160];
	static int next;
	char *buf = bufs[next++ % 16];
	va_list ap;

	va_start(ap, format);
	vsnprintf(buf, sizeof(bufs[0]), format, ap);
	va_end(ap);
	return buf;
}

void row(const char *measure, const char *figure, const char *floor,
	 double ratio, const char *target, enum verdict verdict)
{
	static const char * const words[] = {
		[NOT_JUDGED] = "-", [MET] = "met", [NOT_MET] = "NOT met",
	};

	printf("@row|%s|%s|%s|%s|%s|%s\n", measure, figure, floor,
	       isnan(ratio) ? "-" : fmt("%.2fx", ratio), target, words[verdict]);
	fflush(stdout);
}

enum verdict at_most(double ratio, double limit)
{
	return !isnan(ratio) && ratio <= limit ? MET : NOT_MET;
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

void die(const char *what)
{
	fprintf(stdout, "parown_bench: BROKEN: %s: %s\n", what, strerror(errno));
	fflush(stdout);
	exit(1);
}

bool bench_broken;

void broke(const char *format, ...)
{
	va_list ap;

	bench_broken = true;
	printf("parown_bench: BROKEN: ");
	va_start(ap, format);
	vprintf(format, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

void pattern(uint32_t seed, unsigned char *buf, size_t len)
{
	/* xorshift32: no period a dropped or doubled byte could hide in. */
	uint32_t x = seed * 2654435761U + 1;

	for (size_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = x >> 24;
	}
}

void die_with_parent(void)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
}
