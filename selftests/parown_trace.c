// SPDX-License-Identifier: GPL-2.0
/*
 * parown's trace events (Documentation/parown.rst, "Trace events"),
 * enabled through tracefs: a known scenario on the simulated chain must
 * produce exactly its events, in order, with the right processes,
 * clients and wait times.
 */
#include <sys/mount.h>

#include "kselftest_harness.h"
#include "parown_test.h"

#include "parown_fixture_chain.h"

#define TRACEFS "/sys/kernel/tracing/"

/* Writes @text to the tracefs file @name; 0 or -1. */
static int tracefs_write(const char *name, const char *text)
{
	char path[128];

	snprintf(path, sizeof(path), TRACEFS "%s", name);
	return write_text(path, text);
}

/*
 * Mounts tracefs if it is not, and starts recording parown's events alone
 * into an empty buffer; 0, or -1 if this kernel has no parown events.
 */
static int trace_start(void)
{
	if (access(TRACEFS "events", F_OK) != 0)
		mount("tracefs", TRACEFS, "tracefs", 0, NULL);
	if (access(TRACEFS "events/parown/enable", F_OK) != 0)
		return -1;
	if (tracefs_write("tracing_on", "0") || tracefs_write("events/enable", "0") ||
	    tracefs_write("trace", "") || tracefs_write("events/parown/enable", "1") ||
	    tracefs_write("tracing_on", "1"))
		return -1;
	return 0;
}

/* Stops recording and switches parown's events off again. */
static void trace_stop(void)
{
	tracefs_write("tracing_on", "0");
	tracefs_write("events/parown/enable", "0");
}

/* One recorded event: its name and fields (-1 for a field it lacks). */
struct event {
	char name[16];
	long long port, client, pid, wait_ns, device, waiters;
};

/*
 * The recorded events of port @port, in order, into @ev (at most @cap);
 * returns how many, or -1. Each trace line reads
 * "<task>-<tid> [cpu] <flags> <time>: <event>: port=... ...".
 */
static int trace_read(int port, struct event *ev, int cap)
{
	char line[512];
	FILE *f = fopen(TRACEFS "trace", "r");
	int n = 0;

	if (!f)
		return -1;
	while (n < cap && fgets(line, sizeof(line), f)) {
		char *fields = strstr(line, ": port=");
		char *name;

		if (line[0] == '#' || !fields)
			continue;
		*fields = 0;
		name = strrchr(line, ' ');
		if (!name)
			continue;
		*fields = ':';
		if (kv_num(fields, "port") != port)
			continue;
		snprintf(ev[n].name, sizeof(ev[n].name), "%.*s", (int)(fields - name - 1),
			 name + 1);
		ev[n].port = port;
		ev[n].client = kv_num(fields, "client");
		ev[n].pid = kv_num(fields, "pid");
		ev[n].wait_ns = kv_num(fields, "wait_ns");
		ev[n].device = kv_num(fields, "device");
		ev[n].waiters = kv_num(fields, "waiters");
		n++;
	}
	fclose(f);
	return n;
}

static void interrupted(int sig)
{
	(void)sig;
}

/* A child that opens its own client of the simulated port and allocates. */
static pid_t spawn_allocating(unsigned int timeout_ms, volatile int *result)
{
	pid_t pid = spawn();

	if (pid == 0) {
		int fd = po_open(SIM_PORT);

		*result = po_allocate(fd, timeout_ms);
		if (*result == 0)
			*result = po_free(fd);
		_exit(0);
	}
	return pid;
}

/* The events the scenario below must produce, in order. */
enum actor { A, B, C, D, E, NONE };

static const struct expected {
	const char *name;
	enum actor who;
	int waited;	/* wait_ns: 0 none, 1 more than zero, 2 the timeout's */
} expected[] = {
	{ "allocate", A, 0 }, { "grant", A, 0 }, { "select", A, 0 },
	{ "allocate", B, 0 },
	{ "allocate", C, 0 }, { "timeout", C, 2 },
	{ "allocate", D, 0 }, { "interrupt", D, 1 },
	{ "deselect", A, 0 }, { "free", A, 0 },
	{ "grant", B, 1 }, { "free", B, 0 },
	{ "allocate", A, 0 }, { "grant", A, 0 },
	{ "allocate", E, 0 },
	{ "remove", NONE, 0 },
};

#define TIMEOUT_MS 100

/*
 * a locks device 1; b waits; c times out; d is interrupted; a unlocks and
 * the port passes to b, who frees it; a allocates again, e waits, and the
 * port is unplugged.
 */
TEST_F(chain, a_scenario_produces_its_events_in_order)
{
	volatile struct { int b, c, d, e; } *r = shared(sizeof(*r));
	struct sigaction sa = { .sa_handler = interrupted };
	const int n_expected = sizeof(expected) / sizeof(expected[0]);
	struct event ev[64];
	pid_t pid[NONE];
	long long client[NONE];
	int n, i;

	if (trace_start())
		SKIP(return, "no parown trace events (CONFIG_TRACEPOINTS off?)");
	pid[A] = getpid();

	ASSERT_EQ(0, po_dev(self->a, PAROWN_LOCK_PORT, 1, 0, 0));
	pid[B] = spawn_allocating(0, &r->b);
	ASSERT_EQ(0, wait_waiters(self->a, 1));
	pid[C] = spawn_allocating(TIMEOUT_MS, &r->c);
	ASSERT_EQ(0, wait_exit(pid[C], 5000));
	EXPECT_EQ(-ETIMEDOUT, r->c);

	pid[D] = spawn();
	if (pid[D] == 0) {
		int fd = po_open(SIM_PORT);

		sigaction(SIGUSR1, &sa, NULL);
		r->d = po_allocate(fd, 60000);
		_exit(0);
	}
	ASSERT_EQ(0, wait_waiters(self->a, 2));
	kill(pid[D], SIGUSR1);
	ASSERT_EQ(0, wait_exit(pid[D], 5000));
	EXPECT_EQ(-EINTR, r->d);

	ASSERT_EQ(0, po_dev(self->a, PAROWN_UNLOCK_PORT, 1, 0, 0));
	ASSERT_EQ(0, wait_exit(pid[B], 5000));
	EXPECT_EQ(0, r->b);

	ASSERT_EQ(0, po_allocate(self->a, 0));
	pid[E] = spawn_allocating(0, &r->e);
	ASSERT_EQ(0, wait_waiters(self->a, 1));
	ASSERT_EQ(0, sim_unplug());
	ASSERT_EQ(0, wait_exit(pid[E], 5000));
	EXPECT_EQ(-ENODEV, r->e);

	n = trace_read(SIM_PORT, ev, 64);
	trace_stop();
	for (i = 0; i < n; i++)
		TH_LOG("%s client=%lld pid=%lld wait_ns=%lld device=%lld waiters=%lld",
		       ev[i].name, ev[i].client, ev[i].pid, ev[i].wait_ns, ev[i].device,
		       ev[i].waiters);
	ASSERT_EQ(n_expected, n);

	memset(client, 0, sizeof(client));
	for (i = 0; i < n; i++) {
		const struct expected *x = &expected[i];

		EXPECT_STREQ(x->name, ev[i].name) TH_LOG("event %d", i);
		if (x->who == NONE) {
			EXPECT_EQ(1, ev[i].waiters);
			continue;
		}
		EXPECT_EQ(pid[x->who], ev[i].pid) TH_LOG("event %d", i);
		/* Each process is one client, with one number throughout. */
		EXPECT_LT(0, ev[i].client);
		if (!client[x->who])
			client[x->who] = ev[i].client;
		EXPECT_EQ(client[x->who], ev[i].client) TH_LOG("event %d", i);
		if (x->waited == 0 && ev[i].wait_ns >= 0)
			EXPECT_EQ(0, ev[i].wait_ns) TH_LOG("event %d", i);
		if (x->waited == 1)
			EXPECT_LT(0, ev[i].wait_ns) TH_LOG("event %d", i);
		/* A timeout in jiffies may end up to a tick early. */
		if (x->waited == 2)
			EXPECT_LE(TIMEOUT_MS * 900000LL, ev[i].wait_ns) TH_LOG("event %d", i);
	}
	EXPECT_EQ(1, ev[2].device);
	for (i = A; i < NONE; i++)
		for (n = i + 1; n < NONE; n++)
			EXPECT_NE(client[i], client[n]);
}

TEST_HARNESS_MAIN
