// SPDX-License-Identifier: GPL-2.0
/*
 * parown_bench: what an allocate/free costs, against ppdev's claim/release
 * on the same port in the same VM, and how fast the port passes between
 * contending processes. Prints results; a benchmark, not a test.
 */
#include <linux/ppdev.h>
#include <sched.h>

#include "parown_test.h"

#define ROUNDS 7
#define PAIRS 20000

static int po = -1, pp = -1;

static void die(const char *what);

static void allocate_free(void)
{
	if (po_allocate(po, 0) || po_free(po))
		die("allocate/free");
}

static void try_free(void)
{
	if (po_try(po) || po_free(po))
		die("try/free");
}

static void claim_release(void)
{
	if (ioctl(pp, PPCLAIM) || ioctl(pp, PPRELEASE))
		die("PPCLAIM/PPRELEASE");
}

/* Nanoseconds per call of @pair over PAIRS calls. */
static double ns_per(void (*pair)(void))
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < PAIRS; i++)
		pair();
	clock_gettime(CLOCK_MONOTONIC, &b);
	return ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / PAIRS;
}

static double min(double a, double b)
{
	return a < b ? a : b;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Handoffs per second among @procs processes looping allocate/free. */
static double handoff_rate(int procs, int seconds)
{
	long *counts = shared(procs * sizeof(long));
	volatile int *go = shared(sizeof(int));
	long total = 0;
	pid_t pids[16];

	for (int p = 0; p < procs; p++) {
		pids[p] = fork();
		if (pids[p] == 0) {
			int fd = po_open(0);

			while (!*go)
				sched_yield();
			while (*go == 1) {
				if (po_allocate(fd, 0) || po_free(fd))
					_exit(1);
				counts[p]++;
			}
			_exit(0);
		}
	}
	*go = 1;
	sleep(seconds);
	*go = 2;
	for (int p = 0; p < procs; p++) {
		waitpid(pids[p], NULL, 0);
		total += counts[p];
	}
	return total / (double)seconds;
}

int main(void)
{
	double parown_ns = 1e30, try_ns = 1e30, ppdev_ns = 1e30, rate1, rate4;

	po = po_open(0);
	pp = open("/dev/parport0", O_RDWR);
	if (po < 0)
		die("/dev/parown0");
	if (pp < 0)
		die("/dev/parport0");
	/* The first PPCLAIM registers ppdev's pardevice; keep it out of the timing. */
	claim_release();

	/* Interleaved, so that drift in the emulator hits all three alike. */
	for (int r = 0; r < ROUNDS; r++) {
		parown_ns = min(parown_ns, ns_per(allocate_free));
		try_ns = min(try_ns, ns_per(try_free));
		ppdev_ns = min(ppdev_ns, ns_per(claim_release));
	}
	close(pp);

	rate1 = handoff_rate(1, 3);
	rate4 = handoff_rate(4, 3);

	printf("# parown_bench: uncontended, best of %d interleaved runs of %d pairs\n",
	       ROUNDS, PAIRS);
	printf("parown ALLOCATE+FREE:        %8.0f ns/pair\n", parown_ns);
	printf("parown TRY_ALLOCATE+FREE:    %8.0f ns/pair\n", try_ns);
	printf("ppdev PPCLAIM+PPRELEASE:     %8.0f ns/pair\n", ppdev_ns);
	printf("ratio parown/ppdev:          %8.2f (target <= 1.00: %s)\n",
	       parown_ns / ppdev_ns, parown_ns <= ppdev_ns ? "met" : "NOT met");
	printf("# parown_bench: port passing between processes looping ALLOCATE/FREE\n");
	printf("1 process:                   %8.0f allocations/s\n", rate1);
	printf("4 processes:                 %8.0f handoffs/s\n", rate4);
	printf("ratio 4 processes/1:         %8.2f\n", rate4 / rate1);
	return 0;
}
