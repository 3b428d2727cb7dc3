/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parown_bench: what the parts share. Every figure is a series of
 * interleaved rounds (best and spread); every judged figure becomes one
 * row of the summary table, printed as a machine-readable "@row|" line
 * that scripts/bench.sh collects on the host.
 */
#ifndef PAROWN_BENCH_H
#define PAROWN_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include "parown_test.h"

#define MAX_ROUNDS 64

/* The results of one figure, one value a round. */
struct series {
	int n;
	double v[MAX_ROUNDS];
};

void series_add(struct series *s, double v);
double series_min(const struct series *s);
double series_median(const struct series *s);
double series_max(const struct series *s);
/* "min X, median Y, max Z (N rounds)", values divided by @scale. */
const char *spread(const struct series *s, double scale, const char *fmt);

/* A row's verdict. */
enum verdict { NOT_JUDGED, MET, NOT_MET };

/*
 * One row of the summary table: a measure, its figure, its floor (or what
 * it is compared with), the ratio (NaN: none), the target (or "-") and
 * whether the target is met.
 */
void row(const char *measure, const char *figure, const char *floor,
	 double ratio, const char *target, enum verdict verdict);
/* A verdict for "@ratio at most @limit". */
enum verdict at_most(double ratio, double limit);

uint64_t now_ns(void);
void sleep_ms(unsigned int ms);
void die(const char *what) __attribute__((noreturn));
/*
 * Something broke (not slow: wrong): say so loudly and carry on with the
 * other parts; main() then fails the run.
 */
void broke(const char *format, ...) __attribute__((format(printf, 1, 2)));
extern bool bench_broken;
/* A printf into a rotating static buffer, for table cells. */
const char *fmt(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* The bytes a write of the throughput benchmark sends: @len of @seed. */
void pattern(uint32_t seed, unsigned char *buf, size_t len);

/* Children that see the parent die go with it. */
void die_with_parent(void);

/* The parts, in the order main() runs them. */
void bench_uncontended(int rounds);
int spin_uncontended(const char *key, long count);
void bench_kernel(void);
void bench_contended(int rounds);
void bench_throughput(int rounds);
int spin_write(const char *key, long bytes);
int spin_handover(const char *key, int n);
void bench_memory(int rounds);

#endif /* PAROWN_BENCH_H */
