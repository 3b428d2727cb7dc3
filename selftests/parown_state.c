// SPDX-License-Identifier: GPL-2.0
/*
 * The live state (Documentation/parown.rst, "Live state"),
 * /sys/kernel/debug/parown/parportN: the owner, the waiters in order with
 * what they asked for, lp waiting in the parport core, and the counters,
 * checked at each step of a scenario; and a read that does not wait for
 * the owner's write.
 */
#include "kselftest_harness.h"
#include "parown_test.h"

#include "parown_fixture_port0.h"

#define STATE "/sys/kernel/debug/parown/parport0"
#define EOC PAROWN_END_OF_CHAIN_DEVICE

/* The whole view of port 0, NUL-terminated; its length, or -1. */
static int state_read(char *buf, size_t cap)
{
	int fd = open(STATE, O_RDONLY);
	size_t n = 0;
	ssize_t got;

	if (fd < 0)
		return -1;
	while (n + 1 < cap && (got = read(fd, buf + n, cap - n - 1)) > 0)
		n += got;
	close(fd);
	buf[n] = 0;
	return (int)n;
}

/*
 * A copy of the @nth line (from 0) starting with @key, or "" if none;
 * the test's memory, never freed.
 */
static const char *line(const char *view, const char *key, int nth)
{
	const char *p = view;
	size_t klen = strlen(key);

	while (p && *p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (!strncmp(p, key, klen) && nth-- == 0)
			return strndup(p, len);
		p = end ? end + 1 : NULL;
	}
	return "";
}

/* Polls the view until its line @key contains @what; 0, or -1 after 5 s. */
static int wait_view(const char *key, const char *what)
{
	static char view[8192];
	long long end = ms_now() + 5000;

	while (ms_now() < end) {
		if (state_read(view, sizeof(view)) > 0 && strstr(line(view, key, 0), what))
			return 0;
		usleep(10000);
	}
	return -1;
}

/* A child that allocates on its own client of port 0, then frees. */
static pid_t spawn_allocating(unsigned int timeout_ms)
{
	pid_t pid = spawn();

	if (pid == 0) {
		int fd = po_open(0);

		_exit(po_allocate(fd, timeout_ms) == 0 && po_free(fd) == 0 ? 0 : 1);
	}
	return pid;
}

TEST_F(port0, the_view_follows_owner_waiters_and_lp)
{
	char view[8192], want[64];
	const char *owner, *first, *second;
	pid_t b, c, lp;

	ASSERT_LT(0, state_read(view, sizeof(view)));
	EXPECT_STREQ("port: 0", line(view, "port:", 0));
	EXPECT_STREQ("owner: none", line(view, "owner:", 0));
	EXPECT_STREQ("waiters: 0", line(view, "waiters:", 0));

	/* a owns the port: by pid and command. */
	ASSERT_EQ(0, po_allocate(self->a, 0));
	ASSERT_LT(0, state_read(view, sizeof(view)));
	owner = line(view, "owner:", 0);
	snprintf(want, sizeof(want), " pid=%d comm=parown_state", getpid());
	EXPECT_TRUE(strstr(owner, want) != NULL) TH_LOG("%s", owner);
	EXPECT_LT(0, kv_num(owner, "client"));
	EXPECT_STREQ("parown: held", line(view, "parown:", 0));
	EXPECT_STREQ("core-holder: parown", line(view, "core-holder:", 0));
	EXPECT_STREQ("core-waiting: none", line(view, "core-waiting:", 0));
	EXPECT_STREQ("selected: none", line(view, "selected:", 0));

	/* b waits to allocate, then c to lock the end-of-chain device. */
	b = spawn_allocating(0);
	ASSERT_EQ(0, wait_waiters(self->a, 1));
	c = spawn();
	if (c == 0) {
		int fd = po_open(0);

		if (po_dev(fd, PAROWN_LOCK_PORT, 0, EOC, 60000))
			_exit(1);
		_exit(po_dev(fd, PAROWN_UNLOCK_PORT, 0, EOC, 0) ? 1 : 0);
	}
	ASSERT_EQ(0, wait_waiters(self->a, 2));
	usleep(20000);
	ASSERT_LT(0, state_read(view, sizeof(view)));
	EXPECT_STREQ("waiters: 2", line(view, "waiters:", 0));
	first = line(view, "waiter:", 0);
	snprintf(want, sizeof(want), " pid=%d comm=parown_state", b);
	EXPECT_TRUE(strstr(first, want) != NULL) TH_LOG("%s", first);
	EXPECT_TRUE(strstr(first, " asked=allocate waited_ms=") != NULL) TH_LOG("%s", first);
	EXPECT_TRUE(strstr(first, " timeout_ms=none ") != NULL) TH_LOG("%s", first);
	long long first_waited = kv_num(first, "waited_ms");
	long long first_client = kv_num(first, "client");
	second = line(view, "waiter:", 1);
	snprintf(want, sizeof(want), " pid=%d comm=parown_state", c);
	EXPECT_TRUE(strstr(second, want) != NULL) TH_LOG("%s", second);
	EXPECT_TRUE(strstr(second, " asked=lock device=end-of-chain ") != NULL) TH_LOG("%s", second);
	EXPECT_TRUE(strstr(second, " timeout_ms=60000 ") != NULL) TH_LOG("%s", second);
	/* In queue order: b came first, so has waited longer. */
	EXPECT_LE(kv_num(second, "waited_ms"), first_waited);
	EXPECT_NE(first_client, kv_num(second, "client"));

	/* lp waits in the parport core while a owns the port. */
	ASSERT_EQ(0, sh("insmod /lib/modules/lp.ko"));
	lp = spawn();
	if (lp == 0)
		_exit(sh("printf 'from lp\\n' >/dev/lp0"));
	EXPECT_EQ(0, wait_view("core-waiting:", "lp"));

	/* a frees: lp writes, then b and c have their turns, in order. */
	ASSERT_EQ(0, po_free(self->a));
	EXPECT_EQ(0, wait_exit(lp, 10000));
	EXPECT_EQ(0, wait_exit(b, 10000));
	EXPECT_EQ(0, wait_exit(c, 10000));
	EXPECT_EQ(0, sh("rmmod lp"));

	/* One more waits 50 ms in vain. */
	ASSERT_EQ(0, po_allocate(self->a, 0));
	ASSERT_EQ(0, po_allocate(self->b, 50) == -ETIMEDOUT ? 0 : -1);
	ASSERT_EQ(0, po_free(self->a));

	ASSERT_LT(0, state_read(view, sizeof(view)));
	EXPECT_STREQ("owner: none", line(view, "owner:", 0));
	EXPECT_STREQ("waiters: 0", line(view, "waiters:", 0));
	EXPECT_STREQ("core-waiting: none", line(view, "core-waiting:", 0));
	const char *counters = line(view, "counters:", 0);

	TH_LOG("%s", counters);
	/* a twice, b and c: at least those since the port appeared. */
	EXPECT_LE(4, kv_num(counters, "grants"));
	EXPECT_LE(2, kv_num(counters, "hand-overs"));
	EXPECT_LE(1, kv_num(counters, "timeouts"));
	EXPECT_LE(first_waited, kv_num(counters, "longest_wait_ms"));
}

/* Counters only grow: a second scenario adds exactly its own events. */
TEST_F(port0, the_counters_count_each_event_once)
{
	char before[8192], after[8192];
	const char *cb, *ca;
	pid_t w;

	ASSERT_LT(0, state_read(before, sizeof(before)));
	ASSERT_EQ(0, po_allocate(self->a, 0));
	w = spawn_allocating(0);
	ASSERT_EQ(0, wait_waiters(self->a, 1));
	EXPECT_EQ(-ETIMEDOUT, po_allocate(self->b, 30));
	ASSERT_EQ(0, po_free(self->a));
	ASSERT_EQ(0, wait_exit(w, 5000));
	ASSERT_LT(0, state_read(after, sizeof(after)));
	cb = line(before, "counters:", 0);
	ca = line(after, "counters:", 0);
	TH_LOG("before: %s", cb);
	TH_LOG("after:  %s", ca);
	/* a's grant and w's (a hand-over); b's timeout. */
	EXPECT_EQ(kv_num(cb, "grants") + 2, kv_num(ca, "grants"));
	EXPECT_EQ(kv_num(cb, "hand-overs") + 1, kv_num(ca, "hand-overs"));
	EXPECT_EQ(kv_num(cb, "timeouts") + 1, kv_num(ca, "timeouts"));
	EXPECT_EQ(kv_num(cb, "interrupted"), kv_num(ca, "interrupted"));
	EXPECT_EQ(kv_num(cb, "cancelled"), kv_num(ca, "cancelled"));
}

/* A read while the owner writes returns before the write ends. */
TEST_F(port0, reading_does_not_wait_for_the_owners_write)
{
	enum { LEN = 48 * 1024 };
	char view[8192];
	pid_t writer;

	writer = spawn();
	if (writer == 0) {
		static char buf[LEN];
		int fd = po_open(0);

		memset(buf, 'w', sizeof(buf));
		if (po_allocate(fd, 0))
			_exit(1);
		_exit(write(fd, buf, sizeof(buf)) == LEN ? 0 : 1);
	}
	ASSERT_EQ(0, wait_view("owner:", " comm=parown_state"));
	/* The view is read while the 48 KiB are still going out. */
	ASSERT_LT(0, state_read(view, sizeof(view)));
	EXPECT_TRUE(still_running(writer, 0));
	EXPECT_TRUE(strstr(line(view, "owner:", 0), " comm=parown_state") != NULL);
	EXPECT_EQ(0, wait_exit(writer, 60000));
	EXPECT_EQ(0, wire_settle(0));
}

TEST_HARNESS_MAIN
