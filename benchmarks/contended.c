// SPDX-License-Identifier: GPL-2.0
/*
 * parown_bench, parts 3, 4, 5 and 8: processes passing the port.
 *
 * N processes, each with its own client (open file), loop ALLOCATE/FREE
 * on /dev/parown0 (or PPCLAIM/PPRELEASE on /dev/parport0, each its own
 * open file) for a fixed window; the floor is a baton passed one way
 * through a pipe between two processes, in the same rounds, and for
 * reference the same baton passed round a ring of 4, 8 and 64 processes. A watchdog
 * ends a run that makes no progress for HUNG_MS (ppdev deadlocks) with
 * SIGKILL. The 8-process runs also give fairness (Jain's index of the
 * allocations per process, longest against mean wait) and every grant's
 * request-to-grant latency, written to LATENCY_CSV (vm-bench.sh passes it
 * to the host).
 */
#include <linux/ppdev.h>
#include <math.h>

#include "bench.h"

#define WINDOW_MS 1000
#define HUNG_MS 3000
#define LAT_PROCS 8
#define LAT_MAX 20000
#define LATENCY_CSV "/tmp/parown-latency.csv"

enum kind { PIPE, PAROWN, PPDEV };

static const char * const kind_names[] = {
	[PIPE] = "pipe", [PAROWN] = "parown", [PPDEV] = "ppdev",
};

/* One process's figures, written by that process only. */
struct slot {
	long count;		/* grants (passes of the baton) */
	long base;		/* count when the window opened (the parent's) */
	uint64_t wait_sum;	/* request to grant, in the window */
	uint64_t wait_max;
	long waits;
	int nlat;
} __attribute__((aligned(64)));

/* Shared between the parent and the processes of one run. */
struct arena {
	int stop;
	int measuring;
	int last;		/* the process granted last */
	long handovers;		/* grants to another process than the last */
	int ready;
	struct slot slot[];
};

struct run_result {
	bool hung;
	double ns_per_handover;	/* the window over its hand-overs */
	double per_s;		/* hand-overs a second */
	double jain;
	double max_wait, mean_wait;	/* ns */
	int waiters;		/* parown's queue when the window opened */
};

static uint32_t *lat;		/* LAT_PROCS x LAT_MAX, shared */
static FILE *csv;

static long load(long *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void granted(struct arena *a, int me, uint64_t wait)
{
	struct slot *s = &a->slot[me];

	if (__atomic_load_n(&a->last, __ATOMIC_RELAXED) != me) {
		__atomic_store_n(&a->last, me, __ATOMIC_RELAXED);
		__atomic_fetch_add(&a->handovers, 1, __ATOMIC_RELAXED);
	}
	__atomic_store_n(&s->count, s->count + 1, __ATOMIC_RELAXED);
	if (!__atomic_load_n(&a->measuring, __ATOMIC_RELAXED))
		return;
	s->wait_sum += wait;
	if (wait > s->wait_max)
		s->wait_max = wait;
	s->waits++;
	if (lat && me < LAT_PROCS && s->nlat < LAT_MAX)
		lat[me * LAT_MAX + s->nlat++] = wait > UINT32_MAX ? UINT32_MAX : wait;
}

static bool stopping(struct arena *a)
{
	return __atomic_load_n(&a->stop, __ATOMIC_RELAXED);
}

/* Blocks until the parent closes the gate's write end. */
static void wait_gate(struct arena *a, int gate)
{
	char c;

	__atomic_fetch_add(&a->ready, 1, __ATOMIC_SEQ_CST);
	while (read(gate, &c, 1) < 0 && errno == EINTR)
		;
}

static void loop_parown(struct arena *a, int me, int gate)
{
	int fd = po_open(0);

	if (fd < 0)
		_exit(10);
	wait_gate(a, gate);
	while (!stopping(a)) {
		uint64_t t = now_ns();

		if (po_allocate(fd, 0))
			_exit(11);
		granted(a, me, now_ns() - t);
		if (po_free(fd))
			_exit(12);
	}
	_exit(0);
}

static void loop_ppdev(struct arena *a, int me, int gate)
{
	int fd = open("/dev/parport0", O_RDWR);

	if (fd < 0)
		_exit(10);
	wait_gate(a, gate);
	while (!stopping(a)) {
		uint64_t t = now_ns();

		if (ioctl(fd, PPCLAIM))
			_exit(11);
		granted(a, me, now_ns() - t);
		if (ioctl(fd, PPRELEASE))
			_exit(12);
	}
	_exit(0);
}

/*
 * Process @me of a ring reads @in and writes @out, the next one's @in:
 * with two processes, a ping-pong. Process 0 starts the baton.
 */
static void loop_pipe(struct arena *a, int me, int gate, int in, int out)
{
	char c = 0;

	/* The other one may end first: EPIPE, not a death by SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	wait_gate(a, gate);
	if (me == 0 && write(out, &c, 1) != 1)
		_exit(11);
	while (!stopping(a)) {
		uint64_t t = now_ns();

		if (read(in, &c, 1) != 1)
			_exit(0);	/* the other one ended */
		granted(a, me, now_ns() - t);
		if (write(out, &c, 1) != 1)
			_exit(0);
	}
	_exit(0);
}

/* Process @me of a ring of @n: keeps its own pipe's read end and the next one's write end. */
static void enter_ring(struct arena *a, int me, int n, int gate, int (*ring)[2])
{
	for (int i = 0; i < n; i++) {
		if (i != me)
			close(ring[i][0]);
		if (i != (me + 1) % n)
			close(ring[i][1]);
	}
	loop_pipe(a, me, gate, ring[me][0], ring[(me + 1) % n][1]);
}

static double jain(const long *x, int n)
{
	double sum = 0, sq = 0;

	for (int i = 0; i < n; i++) {
		sum += x[i];
		sq += (double)x[i] * x[i];
	}
	return sq ? sum * sum / (n * sq) : NAN;
}

/* The first line of /proc/@pid/@name into @buf, or "?". */
static void read_proc_line(pid_t pid, const char *name, char *buf, size_t size)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	f = fopen(path, "r");
	if (!f || !fgets(buf, size, f))
		snprintf(buf, size, "?");
	if (f)
		fclose(f);
}

/* Where (up to 4 of) the processes left in @pids sleep. */
static void show_stuck(const pid_t *pids, int n)
{
	int shown = 0;

	for (int i = 0; i < n && shown < 4; i++) {
		char wchan[64], state[256];

		if (!pids[i])
			continue;
		read_proc_line(pids[i], "wchan", wchan, sizeof(wchan));
		read_proc_line(pids[i], "stat", state, sizeof(state));
		printf("#     process %d (pid %d): in %s, stat %.40s\n", i, pids[i], wchan, state);
		shown++;
	}
}

/* Reaps @pids within @ms; kills what is left. Returns false if any broke. */
static bool reap(pid_t *pids, int n, int ms, bool killed)
{
	uint64_t end = now_ns() + ms * 1000000ULL;
	bool ok = true;
	int left = n;

	while (left) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);

		if (pid > 0) {
			for (int i = 0; i < n; i++)
				if (pids[i] == pid)
					pids[i] = 0;
			left--;
			if (!killed && !(WIFEXITED(status) && !WEXITSTATUS(status))) {
				printf("#   a process ended with status 0x%x\n", status);
				ok = false;
			}
			continue;
		}
		if (pid < 0)
			break;
		if (now_ns() > end) {
			if (killed) {
				broke("%d processes survive SIGKILL", left);
				return false;
			}
			printf("#   %d processes did not stop: SIGKILL\n", left);
			show_stuck(pids, n);
			for (int i = 0; i < n; i++)
				if (pids[i])
					kill(pids[i], SIGKILL);
			killed = true;
			ok = false;
			end = now_ns() + 10000000000ULL;
		}
		usleep(2000);
	}
	return ok;
}

/*
 * One run of @n processes of @kind for WINDOW_MS after a warm-up. Returns
 * false if something broke (a request failed, a process would not end).
 */
static bool run(enum kind kind, int n, struct run_result *res)
{
	size_t size = sizeof(struct arena) + n * sizeof(struct slot);
	struct arena *a = shared(size);
	int gate[2], (*ring)[2] = kind == PIPE ? calloc(n, sizeof(*ring)) : NULL;
	uint64_t start, t0 = 0, t1 = 0, last_progress;
	long h0 = 0, h1, last_h = -1, *counts;
	pid_t *pids = calloc(n, sizeof(*pids));
	int qfd = kind == PAROWN ? po_open(0) : -1;
	bool ok;

	memset(res, 0, sizeof(*res));
	if (!pids || pipe(gate) || (kind == PIPE && !ring))
		die("run setup");
	for (int i = 0; i < n && kind == PIPE; i++)
		if (pipe(ring[i]))
			die("run setup: pipe");
	if (lat)
		memset(lat, 0, LAT_PROCS * LAT_MAX * sizeof(*lat));
	fflush(stdout);
	if (csv)
		fflush(csv);
	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (pids[i])
			continue;
		die_with_parent();
		close(gate[1]);
		if (qfd >= 0)
			close(qfd);
		if (kind == PAROWN)
			loop_parown(a, i, gate[0]);
		if (kind == PPDEV)
			loop_ppdev(a, i, gate[0]);
		enter_ring(a, i, n, gate[0], ring);
	}
	close(gate[0]);
	for (int i = 0; i < n && kind == PIPE; i++) {
		close(ring[i][0]);
		close(ring[i][1]);
	}
	free(ring);
	start = now_ns();
	while (__atomic_load_n(&a->ready, __ATOMIC_SEQ_CST) < n) {
		if (now_ns() - start > 60000000000ULL) {
			printf("#   only %d of %d processes started\n", a->ready, n);
			close(gate[1]);
			__atomic_store_n(&a->stop, 1, __ATOMIC_RELAXED);
			reap(pids, n, 1, false);
			return false;
		}
		usleep(1000);
	}
	/* Go; warm up until the queue is full, then the window. */
	close(gate[1]);
	start = last_progress = now_ns();
	for (;;) {
		uint64_t now = now_ns();
		long h = load(&a->handovers);

		if (h != last_h) {
			last_h = h;
			last_progress = now;
		} else if (now - last_progress > HUNG_MS * 1000000ULL) {
			res->hung = true;
			break;
		}
		if (!t0 && now - start > (200 + n / 2) * 1000000ULL &&
		    (qfd < 0 || po_waiters(qfd) >= n * 9 / 10 ||
		     now - start > 5000000000ULL)) {
			res->waiters = qfd >= 0 ? po_waiters(qfd) : -1;
			for (int i = 0; i < n; i++)
				a->slot[i].base = load(&a->slot[i].count);
			h0 = load(&a->handovers);
			__atomic_store_n(&a->measuring, 1, __ATOMIC_RELAXED);
			t0 = now_ns();
			usleep(20000);
			continue;
		}
		/* A window without a hand-over waits for progress or HUNG_MS. */
		if (t0 && now - t0 >= WINDOW_MS * 1000000ULL && h > h0)
			break;
		usleep(20000);
	}
	__atomic_store_n(&a->measuring, 0, __ATOMIC_RELAXED);
	t1 = now_ns();
	h1 = load(&a->handovers);
	__atomic_store_n(&a->stop, 1, __ATOMIC_RELAXED);
	if (res->hung) {
		res->per_s = 0;
		for (int i = 0; i < n; i++)
			kill(pids[i], SIGKILL);
		ok = reap(pids, n, 10000, true);
	} else {
		ok = reap(pids, n, 10000 + 20 * n, false);
	}
	if (qfd >= 0)
		close(qfd);
	if (!res->hung && t0 && h1 > h0) {
		uint64_t waits = 0, sum = 0, max = 0;

		counts = calloc(n, sizeof(*counts));
		for (int i = 0; i < n; i++) {
			struct slot *s = &a->slot[i];

			counts[i] = s->count - s->base;
			sum += s->wait_sum;
			waits += s->waits;
			if (s->wait_max > max)
				max = s->wait_max;
		}
		res->ns_per_handover = (double)(t1 - t0) / (h1 - h0);
		res->per_s = (h1 - h0) * 1e9 / (t1 - t0);
		res->jain = jain(counts, n);
		res->max_wait = max;
		res->mean_wait = waits ? (double)sum / waits : NAN;
		free(counts);
	} else if (!res->hung) {
		printf("#   %s with %d processes passed nothing\n", kind_names[kind], n);
		ok = false;
	}
	munmap(a, size);
	free(pids);
	return ok;
}

/*
 * parown_bench --handover parown|pipe N: one run of N processes passing the
 * port, or a baton round a ring of N pipes, for a profiler to sample
 * (scripts/profile.sh). Prints the time per hand-over, a hint only.
 */
int spin_handover(const char *key, int n)
{
	enum kind kind = !strcmp(key, "parown") ? PAROWN : PIPE;
	struct run_result res;

	if ((kind == PIPE && strcmp(key, "pipe")) || n < 2 || n > 1000) {
		fprintf(stderr, "parown_bench --handover parown|pipe N (2 to 1000)\n");
		return 2;
	}
	if (!run(kind, n, &res) || res.hung)
		return 1;
	fprintf(stderr, "parown_bench --handover: %s, %d processes: %.0f ns per hand-over\n",
		key, n, res.ns_per_handover);
	return 0;
}

/* The latencies the last run recorded, into the CSV and @all. */
static void emit_latencies(const char *variant, int round, double **all, long *nall)
{
	for (int p = 0; p < LAT_PROCS; p++) {
		for (int i = 0; i < LAT_MAX && lat[p * LAT_MAX + i]; i++) {
			uint32_t ns = lat[p * LAT_MAX + i];

			fprintf(csv, "%s,%d,%d,%u\n", variant, round, p, ns);
			*all = realloc(*all, (*nall + 1) * sizeof(**all));
			if (!*all)
				die("realloc");
			(*all)[(*nall)++] = ns;
		}
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static const char *percentiles(double *v, long n)
{
	if (!n)
		return "none";
	qsort(v, n, sizeof(*v), cmp_double);
	return fmt("p50 %.0f, p99 %.0f, max %.0f us (%ld)",
		   v[n / 2] / 1e3, v[n * 99 / 100] / 1e3, v[n - 1] / 1e3, n);
}

static const struct variant {
	enum kind kind;
	int procs;
} variants[] = {
	{ PIPE, 2 }, { PIPE, 4 }, { PIPE, 8 }, { PIPE, 64 },
	{ PAROWN, 2 }, { PAROWN, 4 }, { PAROWN, 8 }, { PAROWN, 64 }, { PAROWN, 1000 },
	{ PPDEV, 2 }, { PPDEV, 8 },
};

#define NVARIANTS (int)(sizeof(variants) / sizeof(variants[0]))

/* The index of the variant of @kind with @procs processes, or -1. */
static int variant_of(enum kind kind, int procs)
{
	for (int v = 0; v < NVARIANTS; v++)
		if (variants[v].kind == kind && variants[v].procs == procs)
			return v;
	return -1;
}

void bench_contended(int rounds)
{
	struct series ns[NVARIANTS] = {}, rate[NVARIANTS] = {};
	struct series jains = {}, max_wait = {}, mean_wait = {}, waiters[NVARIANTS] = {};
	int hung[NVARIANTS] = {}, tried[NVARIANTS] = {}, failed[NVARIANTS] = {};
	double *all[2] = {};
	long nall[2] = {};
	double floor, slowest = 0;
	int two;

	lat = shared(LAT_PROCS * LAT_MAX * sizeof(*lat));
	printf("# 3-5, 8. contention: %d ms windows, %d rounds\n", WINDOW_MS, rounds);
	csv = fopen(LATENCY_CSV, "w");
	if (!csv)
		die(LATENCY_CSV);
	fprintf(csv, "variant,round,process,latency_ns\n");
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < NVARIANTS; i++) {
			int v = (i + r) % NVARIANTS;
			const struct variant *var = &variants[v];
			struct run_result res;
			bool ok;

			/* A deadlock stays one: try ppdev again only if it passed. */
			if (hung[v] || failed[v])
				continue;
			tried[v]++;
			ok = run(var->kind, var->procs, &res);
			if (!ok && var->kind == PPDEV)
				failed[v]++;
			else if (!ok)
				broke("%s, %d processes, round %d (see above)",
				      kind_names[var->kind], var->procs, r);
			if (res.hung) {
				hung[v]++;
				printf("#   round %d: %s, %d processes: hung (no progress for %d ms)\n",
				       r, kind_names[var->kind], var->procs, HUNG_MS);
				continue;
			}
			if (!ok)
				continue;
			printf("#   round %d: %s, %d processes: %.0f ns a hand-over, %.0f/s, Jain %.4f%s\n",
			       r, kind_names[var->kind], var->procs, res.ns_per_handover,
			       res.per_s, res.jain,
			       res.waiters >= 0 ? fmt(", %d waiting", res.waiters) : "");
			series_add(&ns[v], res.ns_per_handover);
			series_add(&rate[v], res.per_s);
			if (res.waiters >= 0)
				series_add(&waiters[v], res.waiters);
			if (var->procs == LAT_PROCS && var->kind != PIPE) {
				int k = var->kind == PPDEV;

				emit_latencies(kind_names[var->kind], r, &all[k], &nall[k]);
				if (var->kind == PAROWN) {
					series_add(&jains, res.jain);
					series_add(&max_wait, res.max_wait);
					series_add(&mean_wait, res.mean_wait);
				}
			}
		}
	}

	for (int v = 0; v < NVARIANTS; v++) {
		if (ns[v].n)
			printf("#   %-6s %4d processes: %s ns a hand-over\n", kind_names[variants[v].kind],
			       variants[v].procs, spread(&ns[v], 1, "%.0f"));
		if (waiters[v].n)
			printf("#   %-6s %4d processes: queue when measuring: %s\n",
			       kind_names[variants[v].kind], variants[v].procs,
			       spread(&waiters[v], 1, "%.0f"));
	}

	floor = series_min(&ns[variant_of(PIPE, 2)]);
	two = variant_of(PAROWN, 2);
	for (int v = 0; v < NVARIANTS; v++) {
		const struct variant *var = &variants[v];
		double ratio = series_min(&ns[v]) / floor;
		int ring = variant_of(PIPE, var->procs);

		if (var->kind != PAROWN)
			continue;
		if (!ns[v].n) {
			row(fmt("3. hand-over, %d processes", var->procs), "no figure (see above)",
			    "-", NAN, "<= 1.2x", NOT_MET);
			continue;
		}
		if (var->procs > 2 && ns[two].n && series_min(&ns[v]) / series_min(&ns[two]) > slowest)
			slowest = series_min(&ns[v]) / series_min(&ns[two]);
		row(fmt("3. hand-over, %d %s", var->procs,
			var->procs > 64 ? "waiting processes" : "processes"),
		    fmt("%.0f ns", series_min(&ns[v])),
		    fmt("pipe one-way %.0f ns", floor), ratio, "<= 1.2x", at_most(ratio, 1.2));
		/* The same baton passed round a ring of as many processes. */
		if (var->procs > 2 && ring >= 0 && ns[ring].n)
			row(fmt("3. hand-over, %d processes, vs a pipe ring", var->procs),
			    fmt("%.0f ns", series_min(&ns[v])),
			    fmt("ring of %d: %.0f ns", var->procs, series_min(&ns[ring])),
			    series_min(&ns[v]) / series_min(&ns[ring]), "-", NOT_JUDGED);
	}
	row("3. flat: slowest of 4..1000 against 2 processes",
	    slowest ? fmt("%.2fx", slowest) : "-", "2 processes", slowest ? slowest : NAN,
	    "<= 1.2x", slowest ? at_most(slowest, 1.2) : NOT_MET);

	if (jains.n) {
		printf("#   Jain's index, 8 processes: %s\n", spread(&jains, 1, "%.4f"));
		printf("#   longest wait, 8 processes: %s us\n", spread(&max_wait, 1e3, "%.0f"));
		printf("#   mean wait, 8 processes:    %s us\n", spread(&mean_wait, 1e3, "%.0f"));
		row("4. fairness, Jain's index, 8 processes",
		    fmt("%.4f (worst %.4f)", series_max(&jains), series_min(&jains)), "-", NAN,
		    ">= 0.99", series_max(&jains) >= 0.99 ? MET : NOT_MET);
		row("4. longest wait / mean wait, 8 processes",
		    fmt("%.0f us / %.0f us", series_min(&max_wait) / 1e3,
			series_min(&mean_wait) / 1e3),
		    "-", series_min(&max_wait) / series_min(&mean_wait), "-", NOT_JUDGED);
	} else {
		row("4. fairness, Jain's index, 8 processes", "no figure", "-", NAN, ">= 0.99",
		    NOT_MET);
	}

	for (int v = 0; v < NVARIANTS; v++) {
		const struct variant *var = &variants[v];
		int parown_v = var->procs == 2 ? 1 : 3;

		if (var->kind != PPDEV)
			continue;
		row(fmt("5. ppdev PPCLAIM/PPRELEASE, %d processes", var->procs),
		    hung[v] ? fmt("hung (%d of %d rounds)", hung[v], tried[v]) :
		    failed[v] ? "failed (see above)" :
		    rate[v].n ? fmt("%.0f hand-overs/s", series_max(&rate[v])) : "no figure",
		    fmt("parown %.0f hand-overs/s", series_max(&rate[parown_v])),
		    hung[v] || !rate[v].n ? NAN :
		    series_max(&rate[v]) / series_max(&rate[parown_v]), "-", NOT_JUDGED);
	}

	printf("#   request-to-grant latency, parown, 8 processes: %s\n",
	       percentiles(all[0], nall[0]));
	printf("#   request-to-grant latency, ppdev, 8 processes: %s\n",
	       nall[1] ? percentiles(all[1], nall[1]) : "none (it hung)");
	row("8. latency, 8 processes (CSV, SVG)", percentiles(all[0], nall[0]),
	    nall[1] ? fmt("ppdev %s", percentiles(all[1], nall[1])) : "ppdev: hung", NAN,
	    "-", NOT_JUDGED);
	free(all[0]);
	free(all[1]);
	if (fclose(csv))
		broke("writing " LATENCY_CSV);
	munmap(lat, LAT_PROCS * LAT_MAX * sizeof(*lat));
	lat = NULL;
}
