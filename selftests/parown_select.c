// SPDX-License-Identifier: GPL-2.0
/*
 * Device selection: LOCK_PORT, UNLOCK_PORT, the NO_SELECT variants,
 * SELECT_DEVICE, DESELECT_DEVICE and INIT_1284_3_BUS, on the simulated
 * IEEE 1284.3 chain of parown_sim.ko (whose debugfs record says which
 * device received which bytes) and on QEMU's port, which has no chain.
 */
#include <pthread.h>
#include <sched.h>

#include "kselftest_harness.h"
#include "parown_test.h"

#define EOC PAROWN_END_OF_CHAIN_DEVICE
#define KEEP PAROWN_HAVE_PORT_KEEP_PORT

#include "parown_fixture_chain.h"

/* Writes @text as the owner @fd; 0 or -1. */
static int say(int fd, const char *text)
{
	return write(fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : -1;
}

/* No state: for tests that load the simulated port several times. */
FIXTURE(reloads) {
};

FIXTURE_SETUP(reloads)
{
}

FIXTURE_TEARDOWN(reloads)
{
}

/* Five module loads: slow on an emulated, loaded machine. */
TEST_F_TIMEOUT(reloads, enumeration_finds_zero_to_four_devices, 120)
{
	int n, fd;

	for (n = 0; n <= 4; n++) {
		ASSERT_EQ(0, sim_load(n));
		fd = po_open(SIM_PORT);
		ASSERT_LE(0, fd);
		EXPECT_EQ(n, po_devices(fd));
		EXPECT_EQ(n, po_init_bus(fd));
		EXPECT_EQ(0, po_flags(fd));
		close(fd);
		ASSERT_EQ(0, sh("rmmod parown_sim"));
	}
}

TEST_F(chain, lock_port_sends_the_bytes_to_that_device_only)
{
	static const char * const text[] = { "zero", "one", "two", "three" };
	int k, t;

	for (k = 0; k < 4; k++) {
		ASSERT_EQ(0, po_dev(self->a, PAROWN_LOCK_PORT, k, 0, 0));
		EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, po_flags(self->a));
		ASSERT_EQ(0, say(self->a, text[k]));
		ASSERT_EQ(0, po_dev(self->a, PAROWN_UNLOCK_PORT, k, 0, 0));
		EXPECT_EQ(0, po_flags(self->a));
	}
	for (t = 0; t < 4; t++)
		EXPECT_STREQ(text[t], sim_received(t));
	EXPECT_STREQ("", sim_received(SIM_EOC));
}

TEST_F(chain, unlock_port_deselects)
{
	ASSERT_EQ(0, po_dev(self->a, PAROWN_LOCK_PORT, 1, 0, 0));
	ASSERT_EQ(0, say(self->a, "one"));
	ASSERT_EQ(0, po_dev(self->a, PAROWN_UNLOCK_PORT, 1, 0, 0));
	/* Nothing selected: a plain owner writes to the end of the chain. */
	ASSERT_EQ(0, po_allocate(self->b, 0));
	ASSERT_EQ(0, say(self->b, "end"));
	ASSERT_EQ(0, po_free(self->b));
	EXPECT_STREQ("one", sim_received(1));
	EXPECT_STREQ("end", sim_received(SIM_EOC));
}

TEST_F(chain, end_of_chain_lock_deselects_the_chain)
{
	ASSERT_EQ(0, po_dev(self->a, PAROWN_SELECT_DEVICE, 2, 0, 0));
	ASSERT_EQ(0, say(self->a, "two"));
	ASSERT_EQ(0, po_free(self->a));
	/* FREE leaves device 2 selected, as on Windows; EOC deselects it. */
	ASSERT_EQ(0, po_dev(self->b, PAROWN_LOCK_PORT, 99, EOC, 0));
	ASSERT_EQ(0, say(self->b, "end"));
	ASSERT_EQ(0, po_dev(self->b, PAROWN_UNLOCK_PORT, 0, EOC, 0));
	EXPECT_STREQ("two", sim_received(2));
	EXPECT_STREQ("end", sim_received(SIM_EOC));
}

TEST_F(chain, no_select_variants_leave_the_selection_alone)
{
	ASSERT_EQ(0, po_dev(self->a, PAROWN_LOCK_PORT, 2, 0, 0));
	ASSERT_EQ(0, po_dev(self->a, PAROWN_UNLOCK_PORT_NO_DESELECT, 2, 0, 0));
	EXPECT_EQ(0, po_flags(self->a));
	/* Device 2 is still selected: the next lock without select uses it. */
	ASSERT_EQ(0, po_dev(self->b, PAROWN_LOCK_PORT_NO_SELECT, 0, 0, 0));
	ASSERT_EQ(0, say(self->b, "still two"));
	ASSERT_EQ(0, po_dev(self->b, PAROWN_UNLOCK_PORT_NO_DESELECT, 0, 0, 0));
	EXPECT_STREQ("still two", sim_received(2));
	EXPECT_STREQ("", sim_received(0));
}

TEST_F(chain, a_silent_device_gives_eio_and_a_free_port)
{
	ASSERT_EQ(0, sim_set("mute", 1));
	EXPECT_EQ(-EIO, po_dev(self->a, PAROWN_LOCK_PORT, 1, 0, 0));
	EXPECT_EQ(0, po_flags(self->a));
	EXPECT_EQ(0, po_waiters(self->a));
	EXPECT_EQ(-EIO, po_dev(self->a, PAROWN_SELECT_DEVICE, 1, 0, 0));
	EXPECT_EQ(0, po_flags(self->a));
	/* The port is free for anyone. */
	ASSERT_EQ(0, po_try(self->b));
	/* An owner's select that fails keeps it the owner. */
	EXPECT_EQ(-EIO, po_dev(self->b, PAROWN_SELECT_DEVICE, 1, KEEP, 0));
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, po_flags(self->b));
	ASSERT_EQ(0, po_free(self->b));
	ASSERT_EQ(0, sim_set("mute", -1));
	EXPECT_EQ(0, po_dev(self->a, PAROWN_LOCK_PORT, 1, 0, 0));
	EXPECT_EQ(0, po_dev(self->a, PAROWN_UNLOCK_PORT, 1, 0, 0));
}

/* Two processes lock different devices in turn: FIFO, never both. */
TEST_F(chain, two_clients_locking_devices_take_turns)
{
	struct turns {
		pid_t owner;
		int overlaps;
		int done[2];
	} *t = shared(sizeof(*t));
	pid_t kids[2];
	int i, k;

	ASSERT_EQ(0, po_dev(self->a, PAROWN_LOCK_PORT, 3, 0, 0));
	for (k = 0; k < 2; k++) {
		kids[k] = spawn();
		if (kids[k] == 0) {
			int fd = po_open(SIM_PORT);

			for (i = 0; i < 20; i++) {
				if (po_dev(fd, PAROWN_LOCK_PORT, k, 0, 10000))
					_exit(1);
				if (__sync_val_compare_and_swap(&t->owner, 0, getpid()))
					__sync_fetch_and_add(&t->overlaps, 1);
				if (say(fd, k ? "B" : "A"))
					_exit(2);
				t->owner = 0;
				if (po_dev(fd, PAROWN_UNLOCK_PORT, k, 0, 0))
					_exit(3);
				t->done[k]++;
			}
			_exit(0);
		}
		ASSERT_EQ(0, wait_waiters(self->a, k + 1));
	}
	/* While a holds device 3, both wait. */
	ASSERT_EQ(0, say(self->a, "C"));
	EXPECT_EQ(0, t->done[0] + t->done[1]);
	ASSERT_EQ(0, po_dev(self->a, PAROWN_UNLOCK_PORT, 3, 0, 0));
	EXPECT_EQ(0, wait_exit(kids[0], 60000));
	EXPECT_EQ(0, wait_exit(kids[1], 60000));
	EXPECT_EQ(0, t->overlaps);
	EXPECT_STREQ("AAAAAAAAAAAAAAAAAAAA", sim_received(0));
	EXPECT_STREQ("BBBBBBBBBBBBBBBBBBBB", sim_received(1));
	EXPECT_STREQ("C", sim_received(3));
	EXPECT_STREQ("", sim_received(SIM_EOC));
}

TEST_F(chain, closing_a_locked_client_deselects_and_frees)
{
	ASSERT_EQ(0, po_dev(self->a, PAROWN_LOCK_PORT, 2, 0, 0));
	ASSERT_EQ(0, say(self->a, "two"));
	close(self->a);
	self->a = po_open(SIM_PORT);
	ASSERT_EQ(0, po_try(self->b));
	ASSERT_EQ(0, say(self->b, "end"));
	ASSERT_EQ(0, po_free(self->b));
	EXPECT_STREQ("two", sim_received(2));
	EXPECT_STREQ("end", sim_received(SIM_EOC));
}

TEST_F(chain, init_bus_sees_a_changed_chain)
{
	EXPECT_EQ(4, po_devices(self->a));
	ASSERT_EQ(0, sim_set("devices", 2));
	/* Not the owner: the port is allocated for the duration. */
	EXPECT_EQ(2, po_init_bus(self->a));
	EXPECT_EQ(0, po_flags(self->a));
	EXPECT_EQ(2, po_devices(self->b));
	EXPECT_EQ(-ENXIO, po_dev(self->a, PAROWN_LOCK_PORT, 2, 0, 0));
	ASSERT_EQ(0, sim_set("devices", 3));
	/* The owner enumerates at once, and keeps the port. */
	ASSERT_EQ(0, po_allocate(self->a, 0));
	EXPECT_EQ(3, po_init_bus(self->a));
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, po_flags(self->a));
	ASSERT_EQ(0, po_free(self->a));
	ASSERT_EQ(0, po_dev(self->a, PAROWN_LOCK_PORT, 2, 0, 0));
	ASSERT_EQ(0, say(self->a, "new two"));
	ASSERT_EQ(0, po_dev(self->a, PAROWN_UNLOCK_PORT, 2, 0, 0));
	EXPECT_STREQ("new two", sim_received(2));
}

TEST_F(chain, bad_device_requests_get_their_errno)
{
	struct parown_device reserved = { .device = 0, .reserved = 1 };

	EXPECT_EQ(-EINVAL, po_dev(self->a, PAROWN_LOCK_PORT, 4, 0, 0));
	EXPECT_EQ(-EINVAL, po_dev(self->a, PAROWN_LOCK_PORT, 0, 0x80, 0));
	EXPECT_EQ(-EINVAL, po_dev(self->a, PAROWN_LOCK_PORT, 0, KEEP, 0));
	EXPECT_EQ(-EINVAL, po_ret(ioctl(self->a, PAROWN_LOCK_PORT, &reserved)));
	EXPECT_EQ(-EFAULT, po_ret(ioctl(self->a, PAROWN_LOCK_PORT, NULL)));
	EXPECT_EQ(-EFAULT, po_ret(ioctl(self->a, PAROWN_INIT_1284_3_BUS, NULL)));
	ASSERT_EQ(0, sim_set("devices", 2));
	ASSERT_EQ(2, po_init_bus(self->a));
	EXPECT_EQ(-ENXIO, po_dev(self->a, PAROWN_LOCK_PORT, 3, 0, 0));
	EXPECT_EQ(-ENXIO, po_dev(self->a, PAROWN_SELECT_DEVICE, 2, 0, 0));
	/* None of these allocated anything. */
	EXPECT_EQ(0, po_flags(self->a));
	EXPECT_EQ(0, po_waiters(self->a));
}

TEST_F(chain, only_the_owner_unlocks_or_deselects_and_only_what_it_locked)
{
	EXPECT_EQ(-EPERM, po_dev(self->a, PAROWN_UNLOCK_PORT, 0, 0, 0));
	ASSERT_EQ(0, po_dev(self->a, PAROWN_LOCK_PORT, 0, 0, 0));
	EXPECT_EQ(-EPERM, po_dev(self->b, PAROWN_UNLOCK_PORT, 0, 0, 0));
	EXPECT_EQ(-EPERM, po_dev(self->b, PAROWN_UNLOCK_PORT_NO_DESELECT, 0, 0, 0));
	EXPECT_EQ(-EPERM, po_dev(self->b, PAROWN_DESELECT_DEVICE, 0, 0, 0));
	EXPECT_EQ(-EPERM, po_dev(self->b, PAROWN_SELECT_DEVICE, 1, KEEP, 0));
	EXPECT_EQ(-EPERM, po_dev(self->a, PAROWN_UNLOCK_PORT, 1, 0, 0));
	EXPECT_EQ(-EPERM, po_dev(self->a, PAROWN_UNLOCK_PORT, 0, EOC, 0));
	EXPECT_EQ(-EDEADLK, po_dev(self->a, PAROWN_LOCK_PORT, 1, 0, 0));
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, po_flags(self->a));
	ASSERT_EQ(0, po_dev(self->a, PAROWN_UNLOCK_PORT, 0, 0, 0));
}

TEST_F(chain, select_and_deselect_device)
{
	/* Without HAVE_PORT, SELECT allocates. */
	ASSERT_EQ(0, po_dev(self->a, PAROWN_SELECT_DEVICE, 1, 0, 0));
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, po_flags(self->a));
	ASSERT_EQ(0, say(self->a, "one"));
	/* KEEP_PORT: deselected, still the owner. */
	ASSERT_EQ(0, po_dev(self->a, PAROWN_DESELECT_DEVICE, 1, KEEP, 0));
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, po_flags(self->a));
	ASSERT_EQ(0, say(self->a, "end"));
	/* HAVE_PORT: the owner selects without allocating again. */
	ASSERT_EQ(0, po_dev(self->a, PAROWN_SELECT_DEVICE, 3, KEEP, 0));
	ASSERT_EQ(0, say(self->a, "three"));
	/* Without KEEP_PORT, DESELECT frees. */
	ASSERT_EQ(0, po_dev(self->a, PAROWN_DESELECT_DEVICE, 3, 0, 0));
	EXPECT_EQ(0, po_flags(self->a));
	EXPECT_STREQ("one", sim_received(1));
	EXPECT_STREQ("three", sim_received(3));
	EXPECT_STREQ("end", sim_received(SIM_EOC));
}

TEST_F(chain, a_lock_waits_and_times_out_like_allocate)
{
	long long start = ms_now();

	ASSERT_EQ(0, po_allocate(self->a, 0));
	EXPECT_EQ(-ETIMEDOUT, po_dev(self->b, PAROWN_LOCK_PORT, 0, 0, 200));
	EXPECT_LE(190, ms_now() - start);
	EXPECT_EQ(0, po_waiters(self->a));
	ASSERT_EQ(0, po_free(self->a));
}

TEST_F(chain, removal_of_the_port_fails_locks_with_enodev)
{
	struct outcome { int result; } *o = shared(sizeof(*o));
	pid_t waiter;

	ASSERT_EQ(0, po_dev(self->a, PAROWN_LOCK_PORT, 1, 0, 0));
	waiter = spawn();
	if (waiter == 0) {
		int fd = po_open(SIM_PORT);

		o->result = po_dev(fd, PAROWN_LOCK_PORT, 2, 0, 0);
		_exit(0);
	}
	ASSERT_EQ(0, wait_waiters(self->a, 1));
	/* parown pins the port's driver while it has clients: unplug it. */
	EXPECT_NE(0, sh("rmmod parown_sim 2>/dev/null"));
	ASSERT_EQ(0, sim_unplug());
	EXPECT_EQ(0, wait_exit(waiter, 5000));
	EXPECT_EQ(-ENODEV, o->result);
	EXPECT_EQ(-ENODEV, po_dev(self->a, PAROWN_UNLOCK_PORT, 1, 0, 0));
	EXPECT_EQ(-ENODEV, po_init_bus(self->a));
	EXPECT_EQ(-1, access("/dev/parown2", F_OK));
}

/*
 * Everything simulated device @target (0-3, SIM_EOC) received, into @buf
 * (at most @cap bytes); returns how many bytes it received, or -1.
 */
static long sim_received_all(int target, char *buf, size_t cap)
{
	static const char * const names[] = { "dev0", "dev1", "dev2", "dev3", "eoc" };
	char path[64];
	size_t n = 0, got;
	FILE *f;

	snprintf(path, sizeof(path), SIM_DEBUGFS "%s", names[target]);
	f = fopen(path, "rb");
	if (!f)
		return -1;
	while (n < cap && (got = fread(buf + n, 1, cap - n, f)) > 0)
		n += got;
	fclose(f);
	return (long)n;
}

/*
 * One client, two threads: while the client does not own the port, one
 * thread makes a request that takes the port on the client's behalf and
 * gives it back, and the other writes as soon as the client owns the
 * port. A third party waits in ALLOCATE meanwhile.
 *
 * Both threads run on CPU 1, the request's at SCHED_IDLE, so that once the
 * request is granted the port, the writer (spinning on EPERM until then)
 * runs before the request's thread wakes: the window a real scheduler
 * may open at any time, held open.
 */
#define HANDOVER_WRITE (256 * 1024)
#define HANDOVER_MARK 64

struct handover {
	int fd;
	int (*request)(int fd);
	int request_result;
	int stop;
	/* The write that succeeded: its count (or -errno) and its end. */
	long written;
	long long write_end;
	char buf[HANDOVER_WRITE];
};

/* What the waiting third party saw. */
struct third {
	int allocated;
	long long granted;
	ssize_t wrote;
	int freed;
};

/* Runs the calling thread on CPU 1, at SCHED_IDLE if @idle. */
static void to_cpu1(int idle)
{
	struct sched_param param = { 0 };
	cpu_set_t cpus;

	CPU_ZERO(&cpus);
	CPU_SET(1, &cpus);
	pthread_setaffinity_np(pthread_self(), sizeof(cpus), &cpus);
	if (idle)
		pthread_setschedparam(pthread_self(), SCHED_IDLE, &param);
}

static void *handover_request(void *arg)
{
	struct handover *h = arg;

	to_cpu1(1);
	h->request_result = h->request(h->fd);
	return NULL;
}

static void *handover_writer(void *arg)
{
	struct handover *h = arg;

	to_cpu1(0);
	while (!__atomic_load_n(&h->stop, __ATOMIC_SEQ_CST)) {
		ssize_t n = write(h->fd, h->buf, sizeof(h->buf));

		if (n > 0 || errno != EPERM) {
			h->write_end = ms_now();
			h->written = n > 0 ? (long)n : -errno;
			break;
		}
	}
	return NULL;
}

static int init_bus_request(int fd)
{
	return po_init_bus(fd);
}

/* Device 1 is muted: its select fails. */
static int failing_lock_request(int fd)
{
	return po_dev(fd, PAROWN_LOCK_PORT, 1, 0, 0);
}

/*
 * Runs the sequence with @request on the chain fixture (self->a holds the
 * port to begin with); returns the outcome in @h and @t.
 */
static void run_handover(struct __test_metadata *_metadata, int holder,
			 struct handover *h, struct third *t)
{
	pthread_t req, writer;
	char mark[HANDOVER_MARK];
	pid_t third;
	size_t i;

	for (i = 0; i < sizeof(h->buf); i++)
		h->buf[i] = 'a' + i % 26;
	memset(mark, 'D', sizeof(mark));
	ASSERT_EQ(0, po_allocate(holder, 0));
	ASSERT_EQ(0, sim_set("forget", 1));
	h->fd = po_open(SIM_PORT);
	ASSERT_LE(0, h->fd);
	ASSERT_EQ(0, pthread_create(&req, NULL, handover_request, h));
	ASSERT_EQ(0, wait_waiters(holder, 1));
	ASSERT_EQ(0, pthread_create(&writer, NULL, handover_writer, h));
	third = spawn();
	if (third == 0) {
		int fd = po_open(SIM_PORT);

		t->allocated = po_allocate(fd, 0);
		t->granted = ms_now();
		t->wrote = write(fd, mark, sizeof(mark));
		t->freed = po_free(fd);
		_exit(0);
	}
	ASSERT_EQ(0, wait_waiters(holder, 2));
	ASSERT_EQ(0, po_free(holder));
	EXPECT_EQ(0, wait_exit(third, 30000));
	__atomic_store_n(&h->stop, 1, __ATOMIC_SEQ_CST);
	pthread_join(writer, NULL);
	pthread_join(req, NULL);
	close(h->fd);
}

/* The checks common to both requests. */
static void check_handover(struct __test_metadata *_metadata,
			   struct handover *h, struct third *t)
{
	static char got[HANDOVER_WRITE + HANDOVER_MARK + 1];
	long a = h->written > 0 ? h->written : 0;
	long n = sim_received_all(SIM_EOC, got, sizeof(got));
	long i;

	TH_LOG("client's write: %ld (ended at %lld ms), request: %d, third party granted at %lld ms, wrote %zd",
	       h->written, h->write_end, h->request_result, t->granted, t->wrote);
	EXPECT_EQ(0, t->allocated);
	/* The new owner never wrote before: its write and FREE just work. */
	EXPECT_EQ(HANDOVER_MARK, t->wrote);
	EXPECT_EQ(0, t->freed);
	/* If the client's write went out, the port passed on after it. */
	if (h->written > 0)
		EXPECT_LE(h->write_end, t->granted);
	/* One party at a time on the wire: the client's bytes, then the mark. */
	EXPECT_EQ(a + HANDOVER_MARK, n);
	for (i = 0; i < n && i < a; i++)
		if (got[i] != h->buf[i])
			break;
	EXPECT_EQ(a, i);
	for (; i < n; i++)
		if (got[i] != 'D')
			break;
	EXPECT_EQ(n, i);
}

TEST_F_TIMEOUT(chain, init_bus_for_a_non_owner_never_hands_over_under_its_write, 120)
{
	struct handover *h = shared(sizeof(*h));
	struct third *t = shared(sizeof(*t));

	h->request = init_bus_request;
	run_handover(_metadata, self->a, h, t);
	EXPECT_EQ(4, h->request_result);
	check_handover(_metadata, h, t);
}

TEST_F_TIMEOUT(chain, a_failed_lock_never_hands_over_under_its_write, 120)
{
	struct handover *h = shared(sizeof(*h));
	struct third *t = shared(sizeof(*t));

	ASSERT_EQ(0, sim_set("mute", 1));
	h->request = failing_lock_request;
	run_handover(_metadata, self->a, h, t);
	EXPECT_EQ(-EIO, h->request_result);
	check_handover(_metadata, h, t);
	ASSERT_EQ(0, sim_set("mute", -1));
}

/*
 * The owner's requests made while another of its threads writes wait for
 * the write to end, and then do what they do: none gets EBUSY, and the
 * write's bytes all reach the device they were written to.
 */
#define OWNER_WRITE (32 * 1024)

struct owner_write {
	int fd;
	int started;
	ssize_t result;
	char buf[OWNER_WRITE];
};

static void *owner_writer(void *arg)
{
	struct owner_write *w = arg;

	__atomic_store_n(&w->started, 1, __ATOMIC_SEQ_CST);
	w->result = write(w->fd, w->buf, sizeof(w->buf));
	return NULL;
}

/* Lets the peripherals go on after a moment, from another thread. */
static void *ready_later(void *unused)
{
	usleep(300000);
	sim_set("busy", 0);
	return NULL;
}

enum owner_request {
	REQ_UNLOCK, REQ_UNLOCK_NO_DESELECT, REQ_DESELECT, REQ_SELECT_KEEP,
	REQ_INIT_BUS, REQ_FREE, REQ_WRITE, REQ_COUNT
};

TEST_F_TIMEOUT(chain, owner_requests_wait_for_the_owners_write, 300)
{
	static const char * const names[] = {
		"UNLOCK_PORT", "UNLOCK_PORT_NO_DESELECT", "DESELECT_DEVICE",
		"SELECT_DEVICE with HAVE_PORT_KEEP_PORT", "INIT_1284_3_BUS",
		"FREE", "a second write()",
	};
	struct owner_write *w = shared(sizeof(*w));
	static char got[2 * OWNER_WRITE];
	int req;

	memset(w->buf, 'w', sizeof(w->buf));
	w->fd = self->a;
	for (req = 0; req < REQ_COUNT; req++) {
		/* Device 0 locked, or the end of the chain. */
		int locked = req <= REQ_SELECT_KEEP;
		int target = locked ? 0 : SIM_EOC;
		pthread_t writer, readier;
		int r, want = 0;

		TH_LOG("%s", names[req]);
		ASSERT_EQ(0, sim_set("forget", 1));
		if (locked) {
			ASSERT_EQ(0, po_dev(self->a, PAROWN_LOCK_PORT, 0, 0, 0));
		} else {
			ASSERT_EQ(0, po_dev(self->a, PAROWN_LOCK_PORT, 0, EOC, 0));
		}
		/*
		 * The request is made while the write is under way: the
		 * peripherals hold it up until a moment after the request.
		 */
		ASSERT_EQ(0, sim_set("busy", 1));
		w->started = 0;
		ASSERT_EQ(0, pthread_create(&writer, NULL, owner_writer, w));
		while (!__atomic_load_n(&w->started, __ATOMIC_SEQ_CST))
			usleep(1000);
		usleep(100000);
		EXPECT_GT(OWNER_WRITE, sim_received_all(target, got, sizeof(got)));
		ASSERT_EQ(0, pthread_create(&readier, NULL, ready_later, NULL));
		switch (req) {
		case REQ_UNLOCK:
			r = po_dev(self->a, PAROWN_UNLOCK_PORT, 0, 0, 0);
			break;
		case REQ_UNLOCK_NO_DESELECT:
			r = po_dev(self->a, PAROWN_UNLOCK_PORT_NO_DESELECT, 0, 0, 0);
			break;
		case REQ_DESELECT:
			r = po_dev(self->a, PAROWN_DESELECT_DEVICE, 0, 0, 0);
			break;
		case REQ_SELECT_KEEP:
			r = po_dev(self->a, PAROWN_SELECT_DEVICE, 1, KEEP, 0);
			break;
		case REQ_INIT_BUS:
			want = 4;
			r = po_init_bus(self->a);
			break;
		case REQ_FREE:
			r = po_free(self->a);
			break;
		default:
			want = 1;
			r = (int)write(self->a, "x", 1);
			if (r < 0)
				r = -errno;
			break;
		}
		/*
		 * It returned after the write ended: the write went out whole,
		 * to the device it was written to, before the request's effect.
		 */
		EXPECT_EQ(OWNER_WRITE + (req == REQ_WRITE),
			  sim_received_all(target, got, sizeof(got)));
		if (req == REQ_WRITE)
			EXPECT_EQ('x', got[OWNER_WRITE]);
		pthread_join(readier, NULL);
		pthread_join(writer, NULL);
		EXPECT_EQ(want, r);
		EXPECT_EQ(OWNER_WRITE, w->result);
		/* Leave the port free for the next round. */
		if (po_flags(self->a) == (PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME))
			ASSERT_EQ(0, po_free(self->a));
	}
}

/* A write of a few bytes, in another thread. */
struct small_write {
	int fd;
	int started;
	ssize_t result;
};

static void *small_writer(void *arg)
{
	struct small_write *w = arg;

	__atomic_store_n(&w->started, 1, __ATOMIC_SEQ_CST);
	w->result = write(w->fd, "late", 4);
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
}

static void *signal_thread_later(void *arg)
{
	usleep(300000);
	pthread_kill(*(pthread_t *)arg, SIGUSR1);
	return NULL;
}

/*
 * A request of the owner waiting for its write in progress (FREE here) is
 * ended by a signal with EINTR, having changed nothing: the write goes on
 * and the client still owns the port.
 */
TEST_F_TIMEOUT(chain, a_signal_ends_the_wait_for_the_owners_write, 60)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct small_write w = { .fd = self->a };
	pthread_t writer, signaller, me = pthread_self();
	long long start;
	char got[16];

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, po_dev(self->a, PAROWN_LOCK_PORT, 0, EOC, 0));
	ASSERT_EQ(0, sim_set("forget", 1));
	ASSERT_EQ(0, sim_set("busy", 1));
	ASSERT_EQ(0, pthread_create(&writer, NULL, small_writer, &w));
	while (!__atomic_load_n(&w.started, __ATOMIC_SEQ_CST))
		usleep(1000);
	usleep(100000);
	ASSERT_EQ(0, pthread_create(&signaller, NULL, signal_thread_later, &me));
	start = ms_now();
	EXPECT_EQ(-EINTR, po_free(self->a));
	/* Ended by the signal, well before the peripheral's 5 s. */
	EXPECT_GT(2000, ms_now() - start);
	pthread_join(signaller, NULL);
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, po_flags(self->a));
	ASSERT_EQ(0, sim_set("busy", 0));
	pthread_join(writer, NULL);
	EXPECT_EQ(4, w.result);
	EXPECT_EQ(4, sim_received_all(SIM_EOC, got, sizeof(got)));
	EXPECT_EQ(0, po_dev(self->a, PAROWN_UNLOCK_PORT, 0, EOC, 0));
}

/*
 * O_NONBLOCK: a write to a busy peripheral gets EAGAIN at once, instead of
 * sleeping until the peripheral is ready (or for 5 s, ETIMEDOUT), and so
 * does one made while another write of the client waits for it.
 */
TEST_F_TIMEOUT(chain, nonblocking_write_never_sleeps, 60)
{
	struct small_write w = { .fd = self->a };
	int flags = fcntl(self->a, F_GETFL);
	long long start;
	pthread_t writer;
	char got[16];

	ASSERT_LE(0, flags);
	ASSERT_EQ(0, po_dev(self->a, PAROWN_LOCK_PORT, 0, EOC, 0));
	ASSERT_EQ(0, sim_set("forget", 1));
	ASSERT_EQ(0, sim_set("busy", 1));
	ASSERT_EQ(0, fcntl(self->a, F_SETFL, flags | O_NONBLOCK));
	start = ms_now();
	EXPECT_EQ(-1, write(self->a, "abc", 3));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_GT(1000, ms_now() - start);

	/* A blocking write waits for the peripheral... */
	ASSERT_EQ(0, fcntl(self->a, F_SETFL, flags));
	ASSERT_EQ(0, pthread_create(&writer, NULL, small_writer, &w));
	while (!__atomic_load_n(&w.started, __ATOMIC_SEQ_CST))
		usleep(1000);
	usleep(200000);
	/* ... and a non-blocking one does not wait for it. */
	ASSERT_EQ(0, fcntl(self->a, F_SETFL, flags | O_NONBLOCK));
	start = ms_now();
	EXPECT_EQ(-1, write(self->a, "xyz", 3));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_GT(1000, ms_now() - start);
	EXPECT_EQ(0, sim_received_all(SIM_EOC, got, sizeof(got)));

	/* Ready again: the waiting write goes out, then a non-blocking one. */
	ASSERT_EQ(0, sim_set("busy", 0));
	pthread_join(writer, NULL);
	EXPECT_EQ(4, w.result);
	EXPECT_EQ(3, write(self->a, "now", 3));
	ASSERT_EQ(0, fcntl(self->a, F_SETFL, flags));
	ASSERT_EQ(7, sim_received_all(SIM_EOC, got, sizeof(got)));
	EXPECT_EQ(0, memcmp(got, "latenow", 7));
	ASSERT_EQ(0, po_dev(self->a, PAROWN_UNLOCK_PORT, 0, EOC, 0));
}

/*
 * INIT_1284_3_BUS with a bad pointer fails with EFAULT before it
 * enumerates: the device selected stays selected, for the owner's request
 * and for a non-owner's (which would take the port for the duration).
 */
TEST_F(chain, init_bus_with_a_bad_pointer_changes_nothing)
{
	ASSERT_EQ(0, po_dev(self->a, PAROWN_LOCK_PORT, 2, 0, 0));
	EXPECT_EQ(-EFAULT, po_ret(ioctl(self->a, PAROWN_INIT_1284_3_BUS, NULL)));
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, po_flags(self->a));
	ASSERT_EQ(0, say(self->a, "still two"));
	/* Free, with device 2 left selected. */
	ASSERT_EQ(0, po_dev(self->a, PAROWN_UNLOCK_PORT_NO_DESELECT, 2, 0, 0));
	EXPECT_EQ(-EFAULT, po_ret(ioctl(self->b, PAROWN_INIT_1284_3_BUS, NULL)));
	EXPECT_EQ(0, po_flags(self->b));
	ASSERT_EQ(0, po_dev(self->a, PAROWN_LOCK_PORT_NO_SELECT, 2, 0, 0));
	ASSERT_EQ(0, say(self->a, ", and again"));
	EXPECT_EQ(0, po_dev(self->a, PAROWN_UNLOCK_PORT, 2, 0, 0));
	EXPECT_STREQ("still two, and again", sim_received(2));
	EXPECT_STREQ("", sim_received(SIM_EOC));
}

/* QEMU's port: no chain, so only the end-of-chain device. */
TEST(qemu_port_has_only_the_end_of_chain_device)
{
	const char *text = "via the end-of-chain lock\n";
	long mark = wire_mark(0);
	int fd = po_open(0);

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, po_devices(fd));
	EXPECT_EQ(0, po_init_bus(fd));
	EXPECT_EQ(-ENXIO, po_dev(fd, PAROWN_LOCK_PORT, 0, 0, 0));
	ASSERT_EQ(0, po_dev(fd, PAROWN_LOCK_PORT, 0, EOC, 0));
	ASSERT_EQ((ssize_t)strlen(text), write(fd, text, strlen(text)));
	ASSERT_EQ(0, po_dev(fd, PAROWN_UNLOCK_PORT, 0, EOC, 0));
	EXPECT_EQ(0, po_flags(fd));
	EXPECT_EQ(0, wire_expect(0, mark, text, strlen(text)));
	close(fd);
}

TEST_HARNESS_MAIN
