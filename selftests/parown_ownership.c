// SPDX-License-Identifier: GPL-2.0
/*
 * ALLOCATE, TRY_ALLOCATE, FREE, QUERY_WAITERS, GET_PORT_INFO and write()
 * through /dev/parownN, one rule of Documentation/parown.rst per test.
 *
 * Runs in the test VM, with parport_pc driving QEMU's two ports and
 * parown loaded; each test leaves that state as it found it.
 */
#include <linux/ppdev.h>
#include <signal.h>

#include "kselftest_harness.h"
#include "parown_test.h"

#include "parown_fixture_port0.h"

TEST(port_info_describes_each_port)
{
	/*
	 * The VM's ports, polled, or parport0 on IRQ 7 when the run asked
	 * for it (see scripts/vm/lib.sh).
	 */
	struct {
		__u64 base;
		int irq;
	} want[] = { { 0x378, -1 }, { 0x278, -1 } };
	struct parown_port_info info;
	int port, i;

	if (sh("grep -qx 'PAROWN_IRQ=1' /etc/parown-vm.conf") == 0)
		want[0].irq = 7;

	for (port = 0; port < 2; port++) {
		int fd = po_open(port);

		ASSERT_LE(0, fd);
		ASSERT_EQ(0, po_info(fd, &info));
		EXPECT_EQ((__u32)port, info.port);
		EXPECT_EQ(want[port].base, info.base);
		EXPECT_EQ(want[port].irq, info.irq);
		EXPECT_EQ(-1, info.dma);
		/*
		 * QEMU's port: SPP registers and tristate, no ECP. (parport_pc
		 * reports a fake EPP once the port was probed before.)
		 */
		EXPECT_EQ(PAROWN_MODE_PCSPP | PAROWN_MODE_TRISTATE,
			  info.modes & (PAROWN_MODE_PCSPP | PAROWN_MODE_TRISTATE |
					PAROWN_MODE_ECP));
		/* No ECP registers, so no address for them. */
		EXPECT_EQ(0, info.base_hi);
		EXPECT_EQ(0, info.ieee1284_3_devices);
		EXPECT_EQ(0, info.flags);
		for (i = 0; i < 8; i++)
			EXPECT_EQ(0, info.reserved[i]);
		close(fd);
	}
}

TEST_F(port0, allocate_owns_and_free_gives_up)
{
	ASSERT_EQ(0, po_allocate(self->a, 0));
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, po_flags(self->a));
	EXPECT_EQ(PAROWN_PORT_OWNED, po_flags(self->b));
	ASSERT_EQ(0, po_free(self->a));
	EXPECT_EQ(0, po_flags(self->a));
	EXPECT_EQ(0, po_flags(self->b));
	/* And again, from the other client. */
	ASSERT_EQ(0, po_allocate(self->b, 100));
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, po_flags(self->b));
	ASSERT_EQ(0, po_free(self->b));
}

TEST_F(port0, allocate_by_the_owner_is_edeadlk)
{
	ASSERT_EQ(0, po_allocate(self->a, 0));
	EXPECT_EQ(-EDEADLK, po_allocate(self->a, 0));
	EXPECT_EQ(-EDEADLK, po_try(self->a));
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, po_flags(self->a));
	EXPECT_EQ(0, po_waiters(self->a));
	ASSERT_EQ(0, po_free(self->a));
}

TEST_F(port0, free_by_a_non_owner_is_eperm)
{
	EXPECT_EQ(-EPERM, po_free(self->a));
	ASSERT_EQ(0, po_allocate(self->a, 0));
	EXPECT_EQ(-EPERM, po_free(self->b));
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, po_flags(self->a));
	ASSERT_EQ(0, po_free(self->a));
	EXPECT_EQ(-EPERM, po_free(self->a));
	EXPECT_EQ(0, po_flags(self->a));
}

TEST_F(port0, try_allocate_free_port_then_busy)
{
	ASSERT_EQ(0, po_try(self->a));
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, po_flags(self->a));
	EXPECT_EQ(-EAGAIN, po_try(self->b));
	EXPECT_EQ(0, po_waiters(self->b));
	ASSERT_EQ(0, po_free(self->a));
}

/* A child that allocates port 0 and reports how it went. */
struct outcome {
	int result;
	int flags;
};

static pid_t spawn_allocate(struct outcome *o, unsigned int timeout_ms, int hold)
{
	pid_t pid = spawn();

	if (pid == 0) {
		int fd = po_open(0);

		o->result = po_allocate(fd, timeout_ms);
		o->flags = po_flags(fd);
		if (o->result == 0 && hold)
			pause();
		if (o->result == 0)
			po_free(fd);
		_exit(0);
	}
	return pid;
}

TEST_F(port0, try_never_jumps_the_queue)
{
	struct outcome *o = shared(sizeof(*o));
	pid_t child;

	ASSERT_EQ(0, po_allocate(self->a, 0));
	child = spawn_allocate(o, 0, 1);
	ASSERT_EQ(0, wait_waiters(self->a, 1));
	EXPECT_EQ(-EAGAIN, po_try(self->b));
	ASSERT_EQ(0, po_free(self->a));
	/* The port went to the waiter, not to a try. */
	EXPECT_EQ(-EAGAIN, po_try(self->b));
	ASSERT_EQ(0, wait_waiters(self->a, 0));
	EXPECT_EQ(PAROWN_PORT_OWNED, po_flags(self->b));
	kill(child, SIGKILL);
	EXPECT_EQ(0, wait_killed(child, 5000));
	EXPECT_EQ(0, o->result);
	/* Its owner died: the port is free again. */
	EXPECT_EQ(0, po_flags(self->a));
}

/* Five processes, queued in a known order, get the port in that order. */
TEST_F(port0, five_waiters_served_in_arrival_order)
{
	struct fifo {
		int next;
		int order[5];
		pid_t owner;
		int overlaps;
	} *f = shared(sizeof(*f));
	pid_t pids[5];
	int i;

	ASSERT_EQ(0, po_allocate(self->a, 0));
	for (i = 0; i < 5; i++) {
		pids[i] = spawn();
		if (pids[i] == 0) {
			int fd = po_open(0);

			if (po_allocate(fd, 0))
				_exit(1);
			if (__sync_val_compare_and_swap(&f->owner, 0, getpid()))
				__sync_fetch_and_add(&f->overlaps, 1);
			f->order[__sync_fetch_and_add(&f->next, 1)] = i;
			usleep(20000);
			f->owner = 0;
			_exit(po_free(fd) ? 2 : 0);
		}
		/* Let child i queue before child i + 1 starts. */
		ASSERT_EQ(0, wait_waiters(self->a, i + 1));
	}
	ASSERT_EQ(0, po_free(self->a));
	for (i = 0; i < 5; i++)
		EXPECT_EQ(0, wait_exit(pids[i], 10000));
	EXPECT_EQ(5, f->next);
	EXPECT_EQ(0, f->overlaps);
	for (i = 0; i < 5; i++)
		EXPECT_EQ(i, f->order[i]);
}

TEST_F(port0, close_while_owning_hands_over)
{
	struct outcome *o = shared(sizeof(*o));
	pid_t child;

	ASSERT_EQ(0, po_allocate(self->a, 0));
	child = spawn_allocate(o, 0, 0);
	ASSERT_EQ(0, wait_waiters(self->b, 1));
	close(self->a);
	self->a = po_open(0);
	EXPECT_EQ(0, wait_exit(child, 10000));
	EXPECT_EQ(0, o->result);
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, o->flags);
}

TEST_F(port0, sigkill_of_the_owner_hands_over)
{
	struct outcome *owner = shared(sizeof(*owner));
	struct outcome *next = shared(sizeof(*next));
	pid_t killed, waiter;

	killed = spawn_allocate(owner, 0, 1);
	ASSERT_EQ(0, wait_flags(self->a, PAROWN_PORT_OWNED));
	waiter = spawn_allocate(next, 0, 0);
	ASSERT_EQ(0, wait_waiters(self->a, 1));
	kill(killed, SIGKILL);
	EXPECT_EQ(0, wait_killed(killed, 5000));
	EXPECT_EQ(0, wait_exit(waiter, 10000));
	EXPECT_EQ(0, next->result);
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, next->flags);
	EXPECT_EQ(0, po_flags(self->a));
}

TEST_F(port0, sigkill_of_a_waiter_leaves_the_queue)
{
	struct outcome *o = shared(sizeof(*o));
	pid_t child;

	ASSERT_EQ(0, po_allocate(self->a, 0));
	child = spawn_allocate(o, 0, 0);
	ASSERT_EQ(0, wait_waiters(self->a, 1));
	kill(child, SIGKILL);
	EXPECT_EQ(0, wait_killed(child, 5000));
	EXPECT_EQ(0, wait_waiters(self->a, 0));
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, po_flags(self->a));
	ASSERT_EQ(0, po_free(self->a));
	EXPECT_EQ(0, po_flags(self->a));
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* A waiting child gets SIGUSR1; @restart picks SA_RESTART. */
static pid_t spawn_signalled_waiter(struct outcome *o, int restart)
{
	pid_t pid = spawn();

	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_usr1 };
		int fd = po_open(0);

		sa.sa_flags = restart ? SA_RESTART : 0;
		sigaction(SIGUSR1, &sa, NULL);
		o->result = po_allocate(fd, 0);
		o->flags = po_flags(fd);
		_exit(0);
	}
	return pid;
}

TEST_F(port0, signal_during_allocate_is_eintr_and_leaves_the_queue)
{
	struct outcome *o = shared(sizeof(*o));
	pid_t child;

	ASSERT_EQ(0, po_allocate(self->a, 0));
	child = spawn_signalled_waiter(o, 0);
	ASSERT_EQ(0, wait_waiters(self->a, 1));
	kill(child, SIGUSR1);
	EXPECT_EQ(0, wait_exit(child, 5000));
	EXPECT_EQ(-EINTR, o->result);
	EXPECT_EQ(PAROWN_PORT_OWNED, o->flags);
	EXPECT_EQ(0, po_waiters(self->a));
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, po_flags(self->a));
	ASSERT_EQ(0, po_free(self->a));
}

TEST_F(port0, signal_with_sa_restart_restarts_the_wait)
{
	struct outcome *o = shared(sizeof(*o));
	pid_t child;

	ASSERT_EQ(0, po_allocate(self->a, 0));
	child = spawn_signalled_waiter(o, 1);
	ASSERT_EQ(0, wait_waiters(self->a, 1));
	kill(child, SIGUSR1);
	/* Restarted: queued again, still waiting. */
	EXPECT_TRUE(still_running(child, 200));
	ASSERT_EQ(0, wait_waiters(self->a, 1));
	ASSERT_EQ(0, po_free(self->a));
	EXPECT_EQ(0, wait_exit(child, 5000));
	EXPECT_EQ(0, o->result);
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, o->flags);
}

/*
 * A timed wait interrupted by a signal ends with EINTR, even under an
 * SA_RESTART handler: restarted, it would start its full timeout again,
 * and a caller signalled more often than its timeout would wait for ever.
 * ALLOCATE and LOCK_PORT with a 300 ms timeout, a signal every 50 ms.
 */
TEST_F_TIMEOUT(port0, timed_waits_are_not_restarted_after_a_signal, 60)
{
	struct {
		int done;
		int result[2];
		long long took[2];
		int waiters, flags;
	} *o = shared(sizeof(*o));
	long long start;
	pid_t child;
	int i;

	ASSERT_EQ(0, po_allocate(self->a, 0));
	child = spawn();
	if (child == 0) {
		struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
		int fd = po_open(0);

		sigaction(SIGUSR1, &sa, NULL);
		for (i = 0; i < 2; i++) {
			long long begin = ms_now();

			o->result[i] = i == 0 ? po_allocate(fd, 300) :
				po_dev(fd, PAROWN_LOCK_PORT, 0,
				       PAROWN_END_OF_CHAIN_DEVICE, 300);
			o->took[i] = ms_now() - begin;
		}
		o->flags = po_flags(fd);
		__atomic_store_n(&o->done, 1, __ATOMIC_SEQ_CST);
		_exit(0);
	}
	ASSERT_EQ(0, wait_waiters(self->a, 1));
	/* Signals every 50 ms for 5 s at most, or until both waits ended. */
	start = ms_now();
	while (!__atomic_load_n(&o->done, __ATOMIC_SEQ_CST) && ms_now() - start < 5000) {
		kill(child, SIGUSR1);
		usleep(50000);
	}
	EXPECT_EQ(0, wait_exit(child, 5000));
	for (i = 0; i < 2; i++) {
		TH_LOG("%s: %d after %lld ms", i ? "LOCK_PORT" : "ALLOCATE",
		       o->result[i], o->took[i]);
		EXPECT_EQ(-EINTR, o->result[i]);
		/* The first signal ends it; restarted, it would last 5 s. */
		EXPECT_GT(2000, o->took[i]);
	}
	EXPECT_EQ(PAROWN_PORT_OWNED, o->flags);
	EXPECT_EQ(0, po_waiters(self->a));
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, po_flags(self->a));
	ASSERT_EQ(0, po_free(self->a));
}

TEST_F(port0, timeout_is_etimedout_and_leaves_the_queue)
{
	long long start, took;

	ASSERT_EQ(0, po_allocate(self->a, 0));
	start = ms_now();
	EXPECT_EQ(-ETIMEDOUT, po_allocate(self->b, 300));
	took = ms_now() - start;
	EXPECT_LE(290, took);
	EXPECT_GT(5000, took);
	EXPECT_EQ(0, po_waiters(self->a));
	EXPECT_EQ(PAROWN_PORT_OWNED, po_flags(self->b));
	ASSERT_EQ(0, po_free(self->a));
}

TEST_F(port0, bad_requests_get_their_errno)
{
	struct parown_allocate bad_flags = { .flags = 1 };

	EXPECT_EQ(-ENOTTY, po_ret(ioctl(self->a, _IO(PAROWN_IOC_MAGIC, 0x7f))));
	/* Another driver's ioctl (a terminal's; ppdev's are parown's too). */
	EXPECT_EQ(-ENOTTY, po_ret(ioctl(self->a, TIOCGWINSZ, &(struct winsize){ 0 })));
	/* A wrong size is a different command. */
	EXPECT_EQ(-ENOTTY, po_ret(ioctl(self->a, _IOW(PAROWN_IOC_MAGIC, 0x01, __u64[2]))));
	EXPECT_EQ(-EFAULT, po_ret(ioctl(self->a, PAROWN_ALLOCATE, NULL)));
	EXPECT_EQ(-EFAULT, po_ret(ioctl(self->a, PAROWN_GET_PORT_INFO, NULL)));
	EXPECT_EQ(-EFAULT, po_ret(ioctl(self->a, PAROWN_QUERY_WAITERS, (void *)8)));
	EXPECT_EQ(-EINVAL, po_ret(ioctl(self->a, PAROWN_ALLOCATE, &bad_flags)));
	/* None of these changed anything. */
	EXPECT_EQ(0, po_flags(self->a));
	EXPECT_EQ(0, po_waiters(self->a));
}

TEST_F(port0, owner_write_reaches_the_wire_byte_for_byte)
{
	unsigned char data[1000];
	long mark = wire_mark(0);
	size_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 7 + 3);
	ASSERT_EQ(0, po_allocate(self->a, 0));
	ASSERT_EQ((ssize_t)sizeof(data), write(self->a, data, sizeof(data)));
	EXPECT_EQ(0, wire_expect(0, mark, data, sizeof(data)));
	ASSERT_EQ(0, po_free(self->a));
}

TEST_F(port0, non_owner_write_is_eperm_and_silent)
{
	long mark = wire_mark(0);

	EXPECT_EQ(-1, write(self->b, "nobody", 6));
	EXPECT_EQ(EPERM, errno);
	ASSERT_EQ(0, po_allocate(self->a, 0));
	EXPECT_EQ(-1, write(self->b, "not me", 6));
	EXPECT_EQ(EPERM, errno);
	ASSERT_EQ(4, write(self->a, "mine", 4));
	EXPECT_EQ(0, wire_expect(0, mark, "mine", 4));
	ASSERT_EQ(0, po_free(self->a));
}

/*
 * A long write to a peripheral that is always ready (QEMU's), which never
 * waits for it. 48 KiB take seconds under TCG; much more cannot be used:
 * QEMU stalls once some 64 KiB are on their way to the guest's view of
 * the wire (the pipe between its parallel and its serial port is full).
 */
#define LONG_WRITE (48 * 1024)

/* What a child's long write returned, and its errno. */
struct long_write {
	int started;
	ssize_t result;
	int error;
};

/*
 * A child that owns port 0 and writes @buf (LONG_WRITE bytes); with
 * @on_signal, SIGUSR1 has that handler, installed without SA_RESTART.
 */
static pid_t spawn_long_writer(struct long_write *w, const char *buf,
			       void (*on_signal)(int))
{
	pid_t pid = spawn();

	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_signal };
		int fd = po_open(0);

		if (on_signal)
			sigaction(SIGUSR1, &sa, NULL);
		if (po_allocate(fd, 0))
			_exit(1);
		__atomic_store_n(&w->started, 1, __ATOMIC_SEQ_CST);
		w->result = write(fd, buf, LONG_WRITE);
		w->error = errno;
		_exit(0);
	}
	return pid;
}

/* Wait (up to 10 s) for the child's write to start, then 200 ms more. */
static int long_write_underway(struct long_write *w)
{
	long long end = ms_now() + 10000;

	while (!__atomic_load_n(&w->started, __ATOMIC_SEQ_CST)) {
		if (ms_now() > end)
			return -1;
		usleep(1000);
	}
	usleep(200000);
	return 0;
}

TEST_F_TIMEOUT(port0, sigkill_ends_a_long_write_at_once, 60)
{
	struct long_write *w = shared(sizeof(*w));
	static char buf[LONG_WRITE];
	pid_t writer;

	memset(buf, 'k', sizeof(buf));
	writer = spawn_long_writer(w, buf, NULL);
	ASSERT_EQ(0, long_write_underway(w));
	/* Still writing, or the test proves nothing. */
	ASSERT_EQ(0, waitpid(writer, NULL, WNOHANG));
	kill(writer, SIGKILL);
	EXPECT_EQ(0, wait_killed(writer, 1000));
	/* If it was not, wait for the end of its write. */
	waitpid(writer, NULL, 0);
	/* The dead owner's port is free for anybody. */
	EXPECT_EQ(0, po_try(self->b));
	EXPECT_EQ(0, po_free(self->b));
	EXPECT_EQ(0, wire_settle(0));
}

TEST_F_TIMEOUT(port0, signal_ends_a_long_write_with_the_count_written, 60)
{
	struct long_write *w = shared(sizeof(*w));
	static char buf[LONG_WRITE];
	long mark = wire_mark(0);
	size_t i, sent;
	pid_t writer;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 7 + i / 256);
	writer = spawn_long_writer(w, buf, on_usr1);
	ASSERT_EQ(0, long_write_underway(w));
	ASSERT_EQ(0, waitpid(writer, NULL, WNOHANG));
	kill(writer, SIGUSR1);
	EXPECT_EQ(0, wait_exit(writer, 1000));
	waitpid(writer, NULL, 0);
	if (w->result < 0) {
		EXPECT_EQ(EINTR, w->error);
		sent = 0;
	} else {
		EXPECT_LT(0, w->result);
		EXPECT_GT(LONG_WRITE, w->result);
		sent = (size_t)w->result;
	}
	/* What the count says left the port, and nothing more. */
	EXPECT_EQ(0, wire_expect(0, mark, buf, sent));
	EXPECT_EQ(0, wire_settle(0));
}

/* lp waits while a parown client owns the port, and writes after FREE. */
TEST_F(port0, lp_waits_while_owned_and_follows_the_free)
{
	long mark = wire_mark(0);
	pid_t lp;

	ASSERT_EQ(0, sh("insmod /lib/modules/lp.ko"));
	ASSERT_EQ(0, po_allocate(self->a, 0));
	lp = spawn();
	if (lp == 0)
		_exit(sh("printf 'from lp\\n' >/dev/lp0"));
	EXPECT_TRUE(still_running(lp, 500));
	ASSERT_EQ(12, write(self->a, "from parown\n", 12));
	EXPECT_TRUE(still_running(lp, 100));
	ASSERT_EQ(0, po_free(self->a));
	EXPECT_EQ(0, wait_exit(lp, 10000));
	EXPECT_EQ(0, wire_expect(0, mark, "from parown\nfrom lp\n", 20));
	EXPECT_EQ(0, sh("rmmod lp"));
}

/*
 * A port parked for its last owner (Documentation/parown.rst, "Fast
 * paths"): the owner takes it again without the port's lock, and every
 * other request still sees the true owner, in the order of the contract.
 */
TEST_F(port0, a_port_parked_for_its_last_owner_keeps_the_contract)
{
	pid_t waiter;

	/* Parked for a by its free; a takes it again, the fast way. */
	ASSERT_EQ(0, po_allocate(self->a, 0));
	ASSERT_EQ(0, po_free(self->a));
	ASSERT_EQ(0, po_allocate(self->a, 0));
	/* b sees a own it, and the owner's rules hold for both. */
	EXPECT_EQ(PAROWN_PORT_OWNED, po_flags(self->b));
	EXPECT_EQ(-EAGAIN, po_try(self->b));
	EXPECT_EQ(-EPERM, po_free(self->b));
	EXPECT_EQ(-EDEADLK, po_allocate(self->a, 0));
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, po_flags(self->a));
	ASSERT_EQ(0, po_free(self->a));
	EXPECT_EQ(-EPERM, po_free(self->a));

	/* Parked for a again: b, not parked for, takes it through the lock. */
	ASSERT_EQ(0, po_allocate(self->a, 0));
	ASSERT_EQ(0, po_free(self->a));
	ASSERT_EQ(0, po_try(self->b));
	EXPECT_EQ(PAROWN_PORT_OWNED, po_flags(self->a));
	EXPECT_EQ(-EAGAIN, po_try(self->a));
	ASSERT_EQ(0, po_free(self->b));

	/*
	 * Parked for b, which takes it the fast way; a waiter that comes
	 * meanwhile queues behind b, the recorded owner, and gets the port at
	 * b's FREE, which then goes through the lock.
	 */
	ASSERT_EQ(0, po_allocate(self->b, 0));
	waiter = spawn();
	if (waiter == 0) {
		int fd = po_open(0);

		_exit(fd < 0 || po_allocate(fd, 10000) || po_flags(fd) !=
			(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME) ||
			po_free(fd) ? 1 : 0);
	}
	ASSERT_EQ(0, wait_waiters(self->a, 1));
	EXPECT_TRUE(still_running(waiter, 200));
	ASSERT_EQ(0, po_free(self->b));
	EXPECT_EQ(0, wait_exit(waiter, 10000));
	EXPECT_EQ(0, po_waiters(self->a));
	EXPECT_EQ(0, po_flags(self->a));
}

/*
 * A client looping ALLOCATE and FREE on a port parked for it never keeps
 * lp out: lp gets the port at the next FREE, and the client gets it back
 * after lp.
 */
TEST_F(port0, lp_gets_a_port_its_last_owner_keeps_taking_again)
{
	long mark = wire_mark(0);
	long long end;
	pid_t lp;
	int i, failed = 0, status = 0;

	ASSERT_EQ(0, sh("insmod /lib/modules/lp.ko"));
	ASSERT_EQ(0, po_allocate(self->a, 0));
	ASSERT_EQ(0, po_free(self->a));
	lp = spawn();
	if (lp == 0)
		_exit(sh("printf 'from lp\\n' >/dev/lp0"));
	/* The client keeps taking the port until lp is done, 10 s at most. */
	end = ms_now() + 10000;
	for (i = 0; ms_now() < end; i++) {
		if (po_allocate(self->a, 10000) || po_free(self->a))
			failed++;
		if (waitpid(lp, &status, WNOHANG) == lp)
			break;
	}
	EXPECT_EQ(0, failed);
	ASSERT_TRUE(ms_now() < end) TH_LOG("lp still waits after %d rounds", i);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(0, wire_expect(0, mark, "from lp\n", 8));
	/* And the client still owns and frees as before. */
	ASSERT_EQ(0, po_allocate(self->a, 5000));
	ASSERT_EQ(12, write(self->a, "from parown\n", 12));
	ASSERT_EQ(0, po_free(self->a));
	EXPECT_EQ(0, sh("rmmod lp"));
}

/*
 * While a parown client owns the port, ppdev's PPCLAIM blocks; it gets the
 * port within moments of the FREE.
 */
TEST_F(port0, ppclaim_blocks_while_a_parown_client_owns)
{
	struct {
		int opened;
		int claimed;
		long long at;
	} *s = shared(sizeof(*s));
	long long freed;
	pid_t pp;

	ASSERT_EQ(0, po_allocate(self->a, 0));
	pp = spawn();
	if (pp == 0) {
		int fd = open("/dev/parport0", O_RDWR);

		if (fd < 0)
			_exit(2);
		__atomic_store_n(&s->opened, 1, __ATOMIC_SEQ_CST);
		if (ioctl(fd, PPCLAIM))
			_exit(1);
		s->at = ms_now();
		__atomic_store_n(&s->claimed, 1, __ATOMIC_SEQ_CST);
		_exit(ioctl(fd, PPRELEASE) ? 3 : 0);
	}
	while (!__atomic_load_n(&s->opened, __ATOMIC_SEQ_CST) && still_running(pp, 1))
		;
	/* Blocked in PPCLAIM, 300 ms on. */
	EXPECT_TRUE(still_running(pp, 300));
	EXPECT_EQ(0, __atomic_load_n(&s->claimed, __ATOMIC_SEQ_CST));
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, po_flags(self->a));
	freed = ms_now();
	ASSERT_EQ(0, po_free(self->a));
	EXPECT_EQ(0, wait_exit(pp, 2000));
	EXPECT_EQ(1, s->claimed);
	EXPECT_GE(s->at, freed);
	EXPECT_GT(freed + 2000, s->at);
}

/*
 * ppdev and parown take turns on port 0, each writing a recognisable block
 * per turn: both make progress, neither gets the port while the other
 * holds it (a shared-memory slot, claimed after acquiring and cleared
 * before letting go), and each block leaves the port unbroken.
 */
#define TURNS 300
#define BLOCK 32

/* Party @who's block for turn @turn: "P042" or "O042", then filler. */
static void turn_block(char *b, char who, int turn)
{
	snprintf(b, BLOCK, "%c%03d", who, turn);
	memset(b + 4, who == 'P' ? 'p' : 'o', BLOCK - 5);
	b[BLOCK - 1] = '\n';
}

TEST_F_TIMEOUT(port0, ppdev_and_parown_both_make_progress, 120)
{
	struct {
		int rounds[2];
		int holder;	/* 'P' or 'O' while one of them holds the port */
		int overlaps;
	} *s = shared(sizeof(*s));
	/* Room for the core's repeated bytes (below) after the blocks. */
	static char wire[2 * TURNS * BLOCK + 64 + 1];
	char block[BLOCK];
	int next[2] = { 0, 0 }, broken = -1, repeats = 0;
	long mark = wire_mark(0), seen, off;
	pid_t pp, po;
	int i;

	pp = spawn();
	if (pp == 0) {
		int fd = open("/dev/parport0", O_RDWR);

		for (i = 0; fd >= 0 && i < TURNS; i++) {
			if (ioctl(fd, PPCLAIM))
				_exit(1);
			if (!__sync_bool_compare_and_swap(&s->holder, 0, 'P'))
				__sync_fetch_and_add(&s->overlaps, 1);
			turn_block(block, 'P', i);
			if (write(fd, block, BLOCK) != BLOCK)
				_exit(3);
			__sync_bool_compare_and_swap(&s->holder, 'P', 0);
			if (ioctl(fd, PPRELEASE))
				_exit(1);
			s->rounds[0]++;
		}
		_exit(fd < 0 ? 2 : 0);
	}
	po = spawn();
	if (po == 0) {
		int fd = po_open(0);

		for (i = 0; i < TURNS; i++) {
			if (po_allocate(fd, 20000))
				_exit(1);
			if (!__sync_bool_compare_and_swap(&s->holder, 0, 'O'))
				__sync_fetch_and_add(&s->overlaps, 1);
			turn_block(block, 'O', i);
			if (write(fd, block, BLOCK) != BLOCK)
				_exit(3);
			__sync_bool_compare_and_swap(&s->holder, 'O', 0);
			if (po_free(fd))
				_exit(1);
			s->rounds[1]++;
		}
		_exit(0);
	}
	EXPECT_EQ(0, wait_exit(pp, 100000));
	EXPECT_EQ(0, wait_exit(po, 100000));
	EXPECT_EQ(TURNS, s->rounds[0]);
	EXPECT_EQ(TURNS, s->rounds[1]);
	EXPECT_EQ(0, s->overlaps);

	/*
	 * The wire: the blocks of both, each whole, each party's in order.
	 * One thing may come between two blocks: a repeat of the last byte
	 * before ppdev's next block, the parport core's release race
	 * (Documentation/parown.rst, "Known parport core issues"), which a
	 * preemption of the releasing CPU can open on a polled port too. It
	 * is counted and logged, and nothing else is let through.
	 */
	seen = wire_read(0, mark, wire, 2 * TURNS * BLOCK, 20000);
	if (seen > 2 * TURNS * BLOCK && seen < (long)sizeof(wire))
		seen = wire_read(0, mark, wire, seen, 1000);
	for (off = 0; off + BLOCK <= seen && off + BLOCK <= (long)sizeof(wire) - 1;
	     off += BLOCK) {
		int who;

		if (off > 0 && wire[off] == wire[off - 1] && wire[off + 1] == 'P') {
			TH_LOG("core release race: byte %ld repeats the one before", off);
			repeats++;
			off++;
		}
		who = wire[off] == 'O';
		if (next[who] >= TURNS)
			break;
		turn_block(block, who ? 'O' : 'P', next[who]);
		if (memcmp(wire + off, block, BLOCK))
			break;
		next[who]++;
	}
	EXPECT_EQ(2 * TURNS * BLOCK + repeats, seen);
	if (off != 2 * TURNS * BLOCK + repeats) {
		broken = off;
		TH_LOG("wire broken at byte %ld of %ld: \"%.*s\"", off, seen,
		       BLOCK, wire + off);
	}
	EXPECT_EQ(-1, broken);
	EXPECT_EQ(TURNS, next[0]);
	EXPECT_EQ(TURNS, next[1]);
}

/*
 * While another driver holds the port, TRY_ALLOCATE says EAGAIN and takes
 * nothing: the client owns nothing, and can allocate once the driver lets
 * go.
 */
TEST_F(port0, try_while_another_driver_holds_the_port_takes_nothing)
{
	int pp = open("/dev/parport0", O_RDWR);

	ASSERT_LE(0, pp);
	ASSERT_EQ(0, ioctl(pp, PPCLAIM));
	EXPECT_EQ(-EAGAIN, po_try(self->a));
	EXPECT_EQ(0, po_flags(self->a));
	EXPECT_EQ(-EPERM, po_free(self->a));
	EXPECT_EQ(-ETIMEDOUT, po_allocate(self->a, 100));
	EXPECT_EQ(0, po_flags(self->a));
	EXPECT_EQ(0, ioctl(pp, PPRELEASE));
	EXPECT_EQ(0, po_allocate(self->a, 5000));
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, po_flags(self->a));
	EXPECT_EQ(0, po_free(self->a));
	close(pp);
}

/*
 * parown's clients keep the port's low-level driver loaded, as lp's and
 * ppdev's do: rmmod parport_pc is refused while a client has a port open,
 * also one that owns nothing, and works once the last one closed.
 */
TEST(rmmod_of_parport_pc_waits_for_the_last_close)
{
	int fd = po_open(1);

	ASSERT_LE(0, fd);
	EXPECT_NE(0, sh("rmmod parport_pc 2>/dev/null"));
	EXPECT_EQ(0, access("/dev/parown1", F_OK));
	EXPECT_EQ(0, po_allocate(fd, 1000));
	EXPECT_EQ(0, po_free(fd));
	close(fd);
	ASSERT_EQ(0, sh("rmmod parport_pc"));
	EXPECT_EQ(-1, access("/dev/parown1", F_OK));
	ASSERT_EQ(0, sh(". /usr/lib/parown/lib.sh && vm_load_parport"));
	fd = po_open(1);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, po_allocate(fd, 1000));
	close(fd);
}

/*
 * ppdev's exclusive access (PPEXCL) needs a port no other driver uses:
 * parown does not stand in its way while it has no clients on the port,
 * and a client's open then fails with EBUSY until ppdev lets go.
 */
TEST(ppdev_exclusive_access_while_parown_has_no_clients)
{
	int pp, fd;

	/* lp uses every port while it is loaded. */
	sh("rmmod lp 2>/dev/null");
	pp = open("/dev/parport1", O_RDWR);
	ASSERT_LE(0, pp);
	ASSERT_EQ(0, ioctl(pp, PPEXCL));
	ASSERT_EQ(0, ioctl(pp, PPCLAIM));
	errno = 0;
	EXPECT_EQ(-1, open("/dev/parown1", O_RDWR));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(0, ioctl(pp, PPRELEASE));
	close(pp);
	fd = po_open(1);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, po_allocate(fd, 1000));
	EXPECT_EQ(0, po_free(fd));
	/* And the other way round: with a parown client, PPEXCL is refused. */
	pp = open("/dev/parport1", O_RDWR);
	ASSERT_LE(0, pp);
	ASSERT_EQ(0, ioctl(pp, PPEXCL));
	EXPECT_NE(0, ioctl(pp, PPCLAIM));
	close(pp);
	close(fd);
}

/*
 * The port goes away (the simulated port unplugged, as hot-plugged
 * hardware goes) under one owner and two waiters: the waiters wake with
 * ENODEV, the owner gets ENODEV for everything but close, and a port
 * plugged in again works.
 */
TEST(port_removal_fails_owner_and_waiters_with_enodev)
{
	struct outcome *w1 = shared(sizeof(*w1)), *w2 = shared(sizeof(*w2));
	int owner, fd;
	pid_t c1, c2;

	ASSERT_EQ(0, sim_load(0));
	owner = po_open(SIM_PORT);
	ASSERT_LE(0, owner);
	ASSERT_EQ(0, po_allocate(owner, 0));
	c1 = spawn();
	if (c1 == 0) {
		fd = po_open(SIM_PORT);
		w1->result = po_allocate(fd, 0);
		_exit(0);
	}
	ASSERT_EQ(0, wait_waiters(owner, 1));
	c2 = spawn();
	if (c2 == 0) {
		fd = po_open(SIM_PORT);
		w2->result = po_allocate(fd, 0);
		_exit(0);
	}
	ASSERT_EQ(0, wait_waiters(owner, 2));

	ASSERT_EQ(0, sim_unplug());
	EXPECT_EQ(0, wait_exit(c1, 5000));
	EXPECT_EQ(0, wait_exit(c2, 5000));
	EXPECT_EQ(-ENODEV, w1->result);
	EXPECT_EQ(-ENODEV, w2->result);
	EXPECT_EQ(-ENODEV, po_free(owner));
	EXPECT_EQ(-ENODEV, po_allocate(owner, 0));
	EXPECT_EQ(-ENODEV, po_try(owner));
	EXPECT_EQ(-ENODEV, po_waiters(owner));
	EXPECT_EQ(-ENODEV, po_flags(owner));
	EXPECT_EQ(-1, write(owner, "x", 1));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, access("/dev/parown2", F_OK));
	/* A client of a gone port does not pin its driver. */
	EXPECT_EQ(0, sh("rmmod parown_sim"));
	EXPECT_EQ(0, close(owner));

	ASSERT_EQ(0, sim_load(0));
	fd = po_open(SIM_PORT);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, po_allocate(fd, 1000));
	EXPECT_EQ(0, po_free(fd));
	close(fd);
	reap_children();
	EXPECT_EQ(0, sh("rmmod parown_sim"));
}

/*
 * The port goes away while its owner writes: the write stops (a short
 * count, then ENODEV) within moments, and removal does not wait for the
 * writer's next buffer.
 */
TEST(port_removal_stops_an_owners_write)
{
	struct {
		long written;
		int error;
	} *w = shared(sizeof(*w));
	static char buf[4 * 1024];
	pid_t writer;

	ASSERT_EQ(0, sim_load(0));
	memset(buf, 'w', sizeof(buf));
	writer = spawn();
	if (writer == 0) {
		int fd = po_open(SIM_PORT);
		ssize_t n;

		if (po_allocate(fd, 0))
			_exit(1);
		while ((n = write(fd, buf, sizeof(buf))) > 0)
			__atomic_add_fetch(&w->written, n, __ATOMIC_SEQ_CST);
		w->error = n < 0 ? errno : 0;
		_exit(0);
	}
	while (__atomic_load_n(&w->written, __ATOMIC_SEQ_CST) == 0 && still_running(writer, 1))
		;

	ASSERT_EQ(0, sim_unplug());
	EXPECT_EQ(0, wait_exit(writer, 5000));
	EXPECT_EQ(ENODEV, w->error);
	EXPECT_LT(0, w->written);
	reap_children();
	EXPECT_EQ(0, sh("rmmod parown_sim"));
}

TEST_HARNESS_MAIN
