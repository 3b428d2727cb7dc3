// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of parown's in-kernel API (include/linux/parown.h). They run
 * when the module is loaded, in the test VM where parown serves QEMU's
 * parport0 (at 0x378) and parport1; parown_api.sh checks the results in
 * debugfs and the bytes test_write_reaches_the_port puts on parport0.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/parown.h>
#include <linux/parport.h>
#include <linux/sched/task.h>
#include <linux/spinlock.h>

#define PORT 0

static void open_client(struct kunit *test, struct parown_client *c)
{
	memset(c, 0, sizeof(*c));
	KUNIT_ASSERT_EQ(test, parown_open(c, PORT, "parown_kunit"), 0);
}

/* Wait (up to 5 s) until @c's port has @n waiters. */
static int wait_waiters(struct parown_client *c, int n)
{
	int i;

	for (i = 0; i < 500; i++) {
		if (parown_query_waiters(c) == n)
			return 0;
		msleep(10);
	}
	return -ETIMEDOUT;
}

static void test_open_checks_its_arguments(struct kunit *test)
{
	struct parown_client c = {};

	KUNIT_EXPECT_EQ(test, parown_open(NULL, PORT, "x"), -EINVAL);
	KUNIT_EXPECT_EQ(test, parown_open(&c, 99, "x"), -ENODEV);
	KUNIT_EXPECT_PTR_EQ(test, c.handle, NULL);
	KUNIT_ASSERT_EQ(test, parown_open(&c, PORT, NULL), 0);
	KUNIT_EXPECT_EQ(test, parown_open(&c, PORT, "x"), -EBUSY);
	parown_close(&c);
	KUNIT_EXPECT_PTR_EQ(test, c.handle, NULL);
}

static void test_null_and_closed_clients_are_refused(struct kunit *test)
{
	struct parown_port_info info;
	struct parown_client c = {};

	parown_close(NULL);
	KUNIT_EXPECT_EQ(test, parown_allocate(NULL, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, parown_try_allocate(NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, parown_free(NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, parown_query_waiters(NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, parown_get_port_info(NULL, &info), -EINVAL);
	KUNIT_EXPECT_EQ(test, parown_write(NULL, "x", 1), -EINVAL);

	/* Never opened. */
	KUNIT_EXPECT_EQ(test, parown_allocate(&c, 0), -EBADF);
	KUNIT_EXPECT_EQ(test, parown_free(&c), -EBADF);

	/* Closed; a second close is logged and ignored. */
	open_client(test, &c);
	parown_close(&c);
	parown_close(&c);
	KUNIT_EXPECT_EQ(test, parown_allocate(&c, 0), -EBADF);
	KUNIT_EXPECT_EQ(test, parown_try_allocate(&c), -EBADF);
	KUNIT_EXPECT_EQ(test, parown_free(&c), -EBADF);
	KUNIT_EXPECT_EQ(test, parown_query_waiters(&c), -EBADF);
	KUNIT_EXPECT_EQ(test, parown_get_port_info(&c, &info), -EBADF);
	KUNIT_EXPECT_EQ(test, parown_write(&c, "x", 1), -EBADF);
}

static void test_allocate_free_and_port_info(struct kunit *test)
{
	struct parown_client a, b;
	struct parown_port_info info;

	open_client(test, &a);
	open_client(test, &b);
	KUNIT_EXPECT_EQ(test, parown_allocate(&a, 0), 0);
	KUNIT_EXPECT_EQ(test, parown_allocate(&a, 0), -EDEADLK);
	KUNIT_EXPECT_EQ(test, parown_try_allocate(&b), -EAGAIN);
	KUNIT_EXPECT_EQ(test, parown_free(&b), -EPERM);

	KUNIT_EXPECT_EQ(test, parown_get_port_info(&a, &info), 0);
	KUNIT_EXPECT_EQ(test, info.port, PORT);
	KUNIT_EXPECT_EQ(test, info.base, 0x378);
	KUNIT_EXPECT_EQ(test, info.flags, PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME);
	KUNIT_EXPECT_EQ(test, parown_get_port_info(&b, &info), 0);
	KUNIT_EXPECT_EQ(test, info.flags, PAROWN_PORT_OWNED);
	KUNIT_EXPECT_EQ(test, parown_get_port_info(&a, NULL), -EINVAL);

	KUNIT_EXPECT_EQ(test, parown_free(&a), 0);
	KUNIT_EXPECT_EQ(test, parown_free(&a), -EPERM);
	KUNIT_EXPECT_EQ(test, parown_try_allocate(&b), 0);
	KUNIT_EXPECT_EQ(test, parown_free(&b), 0);
	parown_close(&a);
	parown_close(&b);
}

static void test_timeout_leaves_the_queue(struct kunit *test)
{
	struct parown_client a, b;
	unsigned long start;

	open_client(test, &a);
	open_client(test, &b);
	KUNIT_ASSERT_EQ(test, parown_allocate(&a, 0), 0);
	start = jiffies;
	KUNIT_EXPECT_EQ(test, parown_allocate(&b, 100), -ETIMEDOUT);
	KUNIT_EXPECT_GE(test, jiffies_to_msecs(jiffies - start), 100);
	KUNIT_EXPECT_EQ(test, parown_query_waiters(&a), 0);
	parown_close(&a);
	parown_close(&b);
}

struct waiter {
	struct parown_client c;
	int result;
	struct completion done;
};

static int waiter_thread(void *data)
{
	struct waiter *w = data;

	w->result = parown_allocate(&w->c, 0);
	complete(&w->done);
	return 0;
}

/* A thread waits for the port; @hand_over gives it up by free or close. */
static void check_hand_over(struct kunit *test, bool by_close)
{
	struct parown_client a;
	struct waiter *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, w);
	init_completion(&w->done);
	open_client(test, &a);
	open_client(test, &w->c);
	KUNIT_ASSERT_EQ(test, parown_allocate(&a, 0), 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(waiter_thread, w, "parown_kunit")));
	KUNIT_EXPECT_EQ(test, wait_waiters(&a, 1), 0);
	if (by_close)
		parown_close(&a);
	else
		KUNIT_EXPECT_EQ(test, parown_free(&a), 0);
	if (!wait_for_completion_timeout(&w->done, 5 * HZ)) {
		KUNIT_FAIL(test, "the waiting thread did not get the port");
		/* Closing @a hands the port over if it was not; then it ends. */
		parown_close(&a);
		wait_for_completion(&w->done);
	}
	if (!by_close)
		parown_close(&a);
	KUNIT_EXPECT_EQ(test, w->result, 0);
	KUNIT_EXPECT_EQ(test, parown_free(&w->c), 0);
	parown_close(&w->c);
}

static void test_free_hands_over_to_a_waiting_thread(struct kunit *test)
{
	check_hand_over(test, false);
}

static void test_close_hands_over_to_a_waiting_thread(struct kunit *test)
{
	check_hand_over(test, true);
}

static void test_write_reaches_the_port(struct kunit *test)
{
	static const char msg[] = "parown_kunit wrote this\n";
	struct parown_client a, b;

	open_client(test, &a);
	open_client(test, &b);
	KUNIT_EXPECT_EQ(test, parown_write(&a, msg, sizeof(msg) - 1), -EPERM);
	KUNIT_ASSERT_EQ(test, parown_allocate(&a, 0), 0);
	KUNIT_EXPECT_EQ(test, parown_write(&b, "x", 1), -EPERM);
	KUNIT_EXPECT_EQ(test, parown_write(&a, NULL, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, parown_write(&a, msg, 0), 0);
	KUNIT_EXPECT_EQ(test, parown_write(&a, msg, sizeof(msg) - 1),
			(ssize_t)sizeof(msg) - 1);
	KUNIT_EXPECT_EQ(test, parown_free(&a), 0);
	parown_close(&a);
	parown_close(&b);
}

/* QEMU's port has no daisy chain: only the end-of-chain device. */
static void test_device_requests(struct kunit *test)
{
	static const char msg[] = "parown_kunit locked the end of the chain\n";
	struct parown_client a, b;

	open_client(test, &a);
	open_client(test, &b);
	KUNIT_EXPECT_EQ(test, parown_init_1284_3_bus(&a), 0);
	KUNIT_EXPECT_EQ(test, parown_lock_port(&a, 4, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, parown_lock_port(&a, 0, 0, 0), -ENXIO);
	KUNIT_EXPECT_EQ(test, parown_lock_port(&a, 0, PAROWN_HAVE_PORT_KEEP_PORT, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, parown_select_device(&a, 0, PAROWN_END_OF_CHAIN_DEVICE |
						   PAROWN_HAVE_PORT_KEEP_PORT, 0), -EPERM);
	KUNIT_EXPECT_EQ(test, parown_unlock_port(&a, 0, PAROWN_END_OF_CHAIN_DEVICE), -EPERM);

	KUNIT_ASSERT_EQ(test, parown_lock_port(&a, 0, PAROWN_END_OF_CHAIN_DEVICE, 0), 0);
	KUNIT_EXPECT_EQ(test, parown_lock_port_no_select(&b, 0, PAROWN_END_OF_CHAIN_DEVICE, 50),
			-ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, parown_deselect_device(&b, 0, PAROWN_END_OF_CHAIN_DEVICE), -EPERM);
	KUNIT_EXPECT_EQ(test, parown_write(&a, msg, sizeof(msg) - 1), (ssize_t)sizeof(msg) - 1);
	KUNIT_EXPECT_EQ(test, parown_unlock_port(&a, 0, PAROWN_END_OF_CHAIN_DEVICE), 0);

	KUNIT_EXPECT_EQ(test, parown_select_device(&b, 0, PAROWN_END_OF_CHAIN_DEVICE, 0), 0);
	KUNIT_EXPECT_EQ(test, parown_deselect_device(&b, 0, PAROWN_END_OF_CHAIN_DEVICE |
						     PAROWN_HAVE_PORT_KEEP_PORT), 0);
	KUNIT_EXPECT_EQ(test, parown_unlock_port_no_deselect(&b, 0, PAROWN_END_OF_CHAIN_DEVICE),
			-EPERM);
	KUNIT_EXPECT_EQ(test, parown_free(&b), 0);
	KUNIT_EXPECT_EQ(test, parown_lock_port_no_select(&b, 0, PAROWN_END_OF_CHAIN_DEVICE, 0), 0);
	KUNIT_EXPECT_EQ(test, parown_unlock_port_no_deselect(&b, 0, PAROWN_END_OF_CHAIN_DEVICE), 0);
	KUNIT_EXPECT_EQ(test, parown_lock_port(NULL, 0, 0, 0), -EINVAL);
	parown_close(&a);
	parown_close(&b);
	KUNIT_EXPECT_EQ(test, parown_init_1284_3_bus(&a), -EBADF);
}

/*
 * Cancellation (parown_cancel(), kthread_stop()) and the callbacks
 * (parown_open_ops()).
 */

/* A kernel thread waiting in parown_allocate(@c, 0), stoppable. */
struct stoppable {
	struct parown_client c;
	struct task_struct *task;
	int result;
	struct completion done;
};

static int stoppable_thread(void *data)
{
	struct stoppable *s = data;

	s->result = parown_allocate(&s->c, 0);
	complete(&s->done);
	/* Exit only when stopped, so that kthread_stop() is always valid. */
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return s->result;
}

static struct stoppable *start_waiter(struct kunit *test, struct parown_client *owner,
				      int waiters)
{
	struct stoppable *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	init_completion(&s->done);
	open_client(test, &s->c);
	s->task = kthread_create(stoppable_thread, s, "parown_kunit_w");
	KUNIT_ASSERT_FALSE(test, IS_ERR(s->task));
	get_task_struct(s->task);
	wake_up_process(s->task);
	/* Unless its wait may end at once (0). */
	if (waiters)
		KUNIT_EXPECT_EQ(test, wait_waiters(owner, waiters), 0);
	return s;
}

static void stop_waiter(struct stoppable *s)
{
	kthread_stop(s->task);
	put_task_struct(s->task);
	parown_close(&s->c);
}

static void test_cancel_ends_a_waiting_thread(struct kunit *test)
{
	static const char byte = 'x';
	struct parown_client a, b;
	struct stoppable *s;
	unsigned long start;

	open_client(test, &a);
	open_client(test, &b);
	KUNIT_ASSERT_EQ(test, parown_allocate(&a, 0), 0);
	s = start_waiter(test, &a, 1);
	start = jiffies;
	KUNIT_EXPECT_EQ(test, parown_cancel(&s->c), 0);
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&s->done, HZ), 0);
	KUNIT_EXPECT_LT(test, jiffies_to_msecs(jiffies - start), 1000);
	KUNIT_EXPECT_EQ(test, s->result, -ECANCELED);
	/* It left the queue; the owner still owns. */
	KUNIT_EXPECT_EQ(test, parown_query_waiters(&a), 0);

	/* Sticky: everything that would own or write fails at once. */
	KUNIT_EXPECT_EQ(test, parown_allocate(&s->c, 0), -ECANCELED);
	KUNIT_EXPECT_EQ(test, parown_allocate(&s->c, 100), -ECANCELED);
	KUNIT_EXPECT_EQ(test, parown_try_allocate(&s->c), -ECANCELED);
	KUNIT_EXPECT_EQ(test, parown_lock_port(&s->c, 0, PAROWN_END_OF_CHAIN_DEVICE, 0),
			-ECANCELED);
	KUNIT_EXPECT_EQ(test, parown_lock_port_no_select(&s->c, 0, PAROWN_END_OF_CHAIN_DEVICE, 0),
			-ECANCELED);
	KUNIT_EXPECT_EQ(test, parown_select_device(&s->c, 0, PAROWN_END_OF_CHAIN_DEVICE, 0),
			-ECANCELED);
	KUNIT_EXPECT_EQ(test, parown_init_1284_3_bus(&s->c), -ECANCELED);
	KUNIT_EXPECT_EQ(test, parown_write(&s->c, &byte, 1), -ECANCELED);
	KUNIT_EXPECT_EQ(test, parown_cancel(&s->c), 0);
	/* Looking and giving up still work. */
	KUNIT_EXPECT_EQ(test, parown_query_waiters(&s->c), 0);
	KUNIT_EXPECT_EQ(test, parown_free(&s->c), -EPERM);
	stop_waiter(s);

	/* Nothing lost: the port passes on as usual. */
	KUNIT_EXPECT_EQ(test, parown_free(&a), 0);
	KUNIT_EXPECT_EQ(test, parown_try_allocate(&b), 0);
	KUNIT_EXPECT_EQ(test, parown_free(&b), 0);
	KUNIT_EXPECT_EQ(test, parown_cancel(NULL), -EINVAL);
	parown_close(&a);
	parown_close(&b);
	KUNIT_EXPECT_EQ(test, parown_cancel(&a), -EBADF);
}

static void test_cancel_of_an_owner_keeps_the_port(struct kunit *test)
{
	static const char byte = 'x';
	struct parown_client a;

	open_client(test, &a);
	KUNIT_ASSERT_EQ(test, parown_allocate(&a, 0), 0);
	KUNIT_EXPECT_EQ(test, parown_cancel(&a), 0);
	KUNIT_EXPECT_EQ(test, parown_write(&a, &byte, 1), -ECANCELED);
	KUNIT_EXPECT_EQ(test, parown_allocate(&a, 0), -ECANCELED);
	KUNIT_EXPECT_EQ(test, parown_free(&a), 0);
	KUNIT_EXPECT_EQ(test, parown_free(&a), -EPERM);
	parown_close(&a);
}

/* Opens @c, whose FREE then parks the port for it. */
static void open_parked_for(struct kunit *test, struct parown_client *c)
{
	open_client(test, c);
	KUNIT_ASSERT_EQ(test, parown_allocate(c, 0), 0);
	KUNIT_ASSERT_EQ(test, parown_free(c), 0);
}

/* A cancelled client's requests that would make it the owner fail. */
static void expect_cancelled(struct kunit *test, struct parown_client *c)
{
	KUNIT_EXPECT_EQ(test, parown_allocate(c, 0), -ECANCELED);
	KUNIT_EXPECT_EQ(test, parown_try_allocate(c), -ECANCELED);
}

/*
 * A client's FREE may park the port for it, so that its next ALLOCATE takes
 * no lock (Documentation/parown.rst, "Fast paths"); cancelling it ends that:
 * its later requests are refused, whether it held the port the fast way
 * or the port was parked for it.
 */
static void test_cancel_of_a_parked_client_refuses_its_next_allocate(struct kunit *test)
{
	struct parown_client a, b;

	/* Parked for a: cancelled while it is. */
	open_parked_for(test, &a);
	KUNIT_EXPECT_EQ(test, parown_cancel(&a), 0);
	expect_cancelled(test, &a);
	parown_close(&a);

	/* Taken the fast way, then cancelled while it owns the port. */
	open_parked_for(test, &b);
	KUNIT_ASSERT_EQ(test, parown_allocate(&b, 0), 0);
	KUNIT_EXPECT_EQ(test, parown_cancel(&b), 0);
	KUNIT_EXPECT_EQ(test, parown_free(&b), 0);
	expect_cancelled(test, &b);
	parown_close(&b);
}

static void test_a_cancelled_waiter_leaves_the_others_in_order(struct kunit *test)
{
	struct parown_client a;
	struct stoppable *w1, *w2, *w3;

	open_client(test, &a);
	KUNIT_ASSERT_EQ(test, parown_allocate(&a, 0), 0);
	w1 = start_waiter(test, &a, 1);
	w2 = start_waiter(test, &a, 2);
	w3 = start_waiter(test, &a, 3);
	KUNIT_EXPECT_EQ(test, parown_cancel(&w2->c), 0);
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&w2->done, HZ), 0);
	KUNIT_EXPECT_EQ(test, w2->result, -ECANCELED);
	KUNIT_EXPECT_EQ(test, parown_query_waiters(&a), 2);

	KUNIT_EXPECT_EQ(test, parown_free(&a), 0);
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&w1->done, 5 * HZ), 0);
	KUNIT_EXPECT_EQ(test, w1->result, 0);
	KUNIT_EXPECT_FALSE(test, completion_done(&w3->done));
	KUNIT_EXPECT_EQ(test, parown_free(&w1->c), 0);
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&w3->done, 5 * HZ), 0);
	KUNIT_EXPECT_EQ(test, w3->result, 0);
	KUNIT_EXPECT_EQ(test, parown_free(&w3->c), 0);
	stop_waiter(w1);
	stop_waiter(w2);
	stop_waiter(w3);
	parown_close(&a);
}

/*
 * Clients that leave from behind a long waiter, again and again, leave
 * slots behind them in the wait queue until it packs its storage: the
 * waiter in front keeps its place through the packings and is the next
 * owner, and every timed-out client left for good.
 */
static void test_a_waiter_keeps_its_place_while_others_come_and_go(struct kunit *test)
{
	struct parown_client a, x;
	struct stoppable *w;
	int i;

	open_client(test, &a);
	open_client(test, &x);
	KUNIT_ASSERT_EQ(test, parown_allocate(&a, 0), 0);
	w = start_waiter(test, &a, 1);
	/* Three clients have five slots: twenty joins pack them several times. */
	for (i = 0; i < 20; i++) {
		KUNIT_EXPECT_EQ(test, parown_allocate(&x, 1), -ETIMEDOUT);
		KUNIT_EXPECT_EQ(test, parown_query_waiters(&a), 1);
	}
	KUNIT_EXPECT_EQ(test, parown_free(&a), 0);
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&w->done, 5 * HZ), 0);
	KUNIT_EXPECT_EQ(test, w->result, 0);
	KUNIT_EXPECT_EQ(test, parown_query_waiters(&a), 0);
	KUNIT_EXPECT_EQ(test, parown_try_allocate(&x), -EAGAIN);
	KUNIT_EXPECT_EQ(test, parown_free(&w->c), 0);
	KUNIT_EXPECT_EQ(test, parown_try_allocate(&x), 0);
	KUNIT_EXPECT_EQ(test, parown_free(&x), 0);
	stop_waiter(w);
	parown_close(&x);
	parown_close(&a);
}

static void test_kthread_stop_ends_a_wait(struct kunit *test)
{
	struct parown_client a, b;
	struct stoppable *s;
	unsigned long start;
	int ret;

	open_client(test, &a);
	open_client(test, &b);
	KUNIT_ASSERT_EQ(test, parown_allocate(&a, 0), 0);
	s = start_waiter(test, &a, 1);
	start = jiffies;
	ret = kthread_stop(s->task);
	/* At once, with room for a slow VM. */
	KUNIT_EXPECT_LT(test, jiffies_to_msecs(jiffies - start), 1000);
	KUNIT_EXPECT_EQ(test, ret, -ECANCELED);
	KUNIT_EXPECT_EQ(test, s->result, -ECANCELED);
	KUNIT_EXPECT_EQ(test, parown_query_waiters(&a), 0);
	put_task_struct(s->task);
	/* Not sticky: the client was not cancelled, only its thread stopped. */
	KUNIT_EXPECT_EQ(test, parown_allocate(&s->c, 50), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, parown_free(&a), 0);
	KUNIT_EXPECT_EQ(test, parown_allocate(&s->c, 0), 0);
	KUNIT_EXPECT_EQ(test, parown_free(&s->c), 0);
	parown_close(&s->c);
	parown_close(&a);
	parown_close(&b);
}

/* Free and cancel back to back: the waiter owns, or nobody does. */
static void test_cancel_racing_with_a_grant_loses_nothing(struct kunit *test)
{
	struct parown_client a, b;
	int i, owned = 0, cancelled = 0;

	open_client(test, &a);
	open_client(test, &b);
	for (i = 0; i < 30; i++) {
		struct stoppable *s;

		KUNIT_ASSERT_EQ(test, parown_allocate(&a, 0), 0);
		s = start_waiter(test, &a, 1);
		KUNIT_EXPECT_EQ(test, parown_free(&a), 0);
		KUNIT_EXPECT_EQ(test, parown_cancel(&s->c), 0);
		KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&s->done, 5 * HZ), 0);
		if (s->result == 0) {
			owned++;
			KUNIT_EXPECT_EQ(test, parown_free(&s->c), 0);
		} else {
			cancelled++;
			KUNIT_EXPECT_EQ(test, s->result, -ECANCELED);
			KUNIT_EXPECT_EQ(test, parown_free(&s->c), -EPERM);
		}
		/* Either way the port is free again. */
		KUNIT_EXPECT_EQ(test, parown_query_waiters(&a), 0);
		KUNIT_EXPECT_EQ(test, parown_try_allocate(&b), 0);
		KUNIT_EXPECT_EQ(test, parown_free(&b), 0);
		stop_waiter(s);
	}
	kunit_info(test, "%d granted first, %d cancelled first\n", owned, cancelled);
	parown_close(&a);
	parown_close(&b);
}

/* A client with callbacks, and what they saw. */
struct cb_client {
	struct parown_client c;
	spinlock_t lock;
	char log[16];		/* 'g' granted, 'p' preempt, in order */
	int n;
	int granted_result;
	bool atomic_context;	/* a callback ran where it may not sleep */
	bool saw_owner;		/* granted(0) found the client owning */
	unsigned int sleep_ms;	/* granted sleeps this long */
	bool free_on_preempt;
	struct completion called;
	struct completion started;
	bool finished;
};

static struct cb_client *cb_of(struct parown_client *c)
{
	return container_of(c, struct cb_client, c);
}

static void cb_record(struct cb_client *cb, char what)
{
	if (!in_task() || irqs_disabled() || in_atomic())
		cb->atomic_context = true;
	spin_lock(&cb->lock);
	if (cb->n < (int)sizeof(cb->log) - 1)
		cb->log[cb->n++] = what;
	spin_unlock(&cb->lock);
}

static void cb_granted(struct parown_client *c, int result)
{
	struct cb_client *cb = cb_of(c);
	struct parown_port_info info;

	cb_record(cb, 'g');
	cb->granted_result = result;
	/* Callbacks may call parown, and sleep. */
	if (result == 0 && parown_get_port_info(c, &info) == 0)
		cb->saw_owner = info.flags & PAROWN_PORT_OWNED_BY_ME;
	complete(&cb->started);
	if (cb->sleep_ms)
		msleep(cb->sleep_ms);
	cb->finished = true;
	complete(&cb->called);
}

static void cb_preempt(struct parown_client *c)
{
	struct cb_client *cb = cb_of(c);

	cb_record(cb, 'p');
	if (cb->free_on_preempt)
		parown_free(c);
	complete(&cb->called);
}

static const struct parown_client_ops cb_ops = {
	.granted = cb_granted,
	.preempt = cb_preempt,
};

static const struct parown_client_ops preempt_only_ops = {
	.preempt = cb_preempt,
};

static struct cb_client *open_cb_client(struct kunit *test,
					const struct parown_client_ops *ops)
{
	struct cb_client *cb = kunit_kzalloc(test, sizeof(*cb), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, cb);
	spin_lock_init(&cb->lock);
	init_completion(&cb->called);
	init_completion(&cb->started);
	KUNIT_ASSERT_EQ(test, parown_open_ops(&cb->c, PORT, "parown_kunit_cb", ops), 0);
	return cb;
}

static void test_granted_callback(struct kunit *test)
{
	struct parown_client a, plain;
	struct cb_client *cb = open_cb_client(test, &cb_ops);
	struct cb_client *nog = open_cb_client(test, &preempt_only_ops);
	unsigned long flags;
	int ret;

	open_client(test, &a);
	open_client(test, &plain);
	KUNIT_EXPECT_EQ(test, parown_allocate_async(&plain), -EINVAL);
	KUNIT_EXPECT_EQ(test, parown_allocate_async(&nog->c), -EINVAL);
	KUNIT_EXPECT_EQ(test, parown_allocate_async(NULL), -EINVAL);

	/* Asked with interrupts off, as from an interrupt handler. */
	KUNIT_ASSERT_EQ(test, parown_allocate(&a, 0), 0);
	local_irq_save(flags);
	ret = parown_allocate_async(&cb->c);
	local_irq_restore(flags);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, parown_allocate_async(&cb->c), -EALREADY);
	KUNIT_EXPECT_EQ(test, wait_waiters(&a, 1), 0);
	msleep(50);
	KUNIT_EXPECT_EQ(test, cb->n, 0);

	/* Granted when the owner frees, in process context. */
	KUNIT_EXPECT_EQ(test, parown_free(&a), 0);
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&cb->called, 5 * HZ), 0);
	KUNIT_EXPECT_EQ(test, cb->granted_result, 0);
	KUNIT_EXPECT_TRUE(test, cb->saw_owner);
	KUNIT_EXPECT_FALSE(test, cb->atomic_context);
	KUNIT_EXPECT_EQ(test, parown_try_allocate(&a), -EAGAIN);
	/* A request of the owner is reported too: it owns the port already. */
	KUNIT_EXPECT_EQ(test, parown_allocate_async(&cb->c), 0);
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&cb->called, 5 * HZ), 0);
	KUNIT_EXPECT_EQ(test, cb->granted_result, -EDEADLK);
	KUNIT_EXPECT_EQ(test, parown_free(&cb->c), 0);

	/* A free port is granted at once. */
	KUNIT_EXPECT_EQ(test, parown_allocate_async(&cb->c), 0);
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&cb->called, 5 * HZ), 0);
	KUNIT_EXPECT_EQ(test, cb->granted_result, 0);
	KUNIT_EXPECT_EQ(test, parown_free(&cb->c), 0);
	KUNIT_EXPECT_EQ(test, cb->n, 3);
	KUNIT_EXPECT_STREQ(test, cb->log, "ggg");

	parown_close(&cb->c);
	parown_close(&nog->c);
	parown_close(&a);
	parown_close(&plain);
}

static void test_a_cancelled_async_request_is_reported(struct kunit *test)
{
	struct parown_client a;
	struct cb_client *cb = open_cb_client(test, &cb_ops);

	open_client(test, &a);
	KUNIT_ASSERT_EQ(test, parown_allocate(&a, 0), 0);
	KUNIT_EXPECT_EQ(test, parown_allocate_async(&cb->c), 0);
	KUNIT_EXPECT_EQ(test, wait_waiters(&a, 1), 0);
	KUNIT_EXPECT_EQ(test, parown_cancel(&cb->c), 0);
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&cb->called, 5 * HZ), 0);
	KUNIT_EXPECT_EQ(test, cb->granted_result, -ECANCELED);
	KUNIT_EXPECT_EQ(test, parown_query_waiters(&a), 0);
	KUNIT_EXPECT_EQ(test, parown_allocate_async(&cb->c), -ECANCELED);
	KUNIT_EXPECT_EQ(test, parown_free(&a), 0);
	msleep(50);
	KUNIT_EXPECT_EQ(test, cb->n, 1);
	parown_close(&cb->c);
	parown_close(&a);
}

/*
 * parown_close() right after parown_cancel() still delivers the cancelled
 * request's report, as parown_cancel() promises, whether or not the work
 * item had taken the request up: close runs the report before it disables
 * the callbacks.
 */
static void test_close_right_after_cancel_reports_it(struct kunit *test)
{
	struct parown_client a;
	int round;

	open_client(test, &a);
	KUNIT_ASSERT_EQ(test, parown_allocate(&a, 0), 0);
	for (round = 0; round < 2; round++) {
		struct cb_client *cb = open_cb_client(test, &cb_ops);

		KUNIT_EXPECT_EQ(test, parown_allocate_async(&cb->c), 0);
		/* The second time in the queue already, the first maybe not. */
		if (round == 1)
			KUNIT_EXPECT_EQ(test, wait_waiters(&a, 1), 0);
		KUNIT_EXPECT_EQ(test, parown_cancel(&cb->c), 0);
		parown_close(&cb->c);
		KUNIT_EXPECT_EQ(test, cb->n, 1);
		KUNIT_EXPECT_EQ(test, cb->granted_result, -ECANCELED);
	}
	KUNIT_EXPECT_EQ(test, parown_query_waiters(&a), 0);
	KUNIT_EXPECT_EQ(test, parown_free(&a), 0);
	parown_close(&a);
}

/*
 * A client closed with its asynchronous request still pending owns
 * nothing afterwards: the work item that takes the request up after the
 * client has left must not make it the owner of a free port.
 */
static void test_close_with_a_pending_request_leaves_the_port_free(struct kunit *test)
{
	struct parown_client a;
	int round;

	open_client(test, &a);
	for (round = 0; round < 50; round++) {
		struct cb_client *cb = open_cb_client(test, &cb_ops);

		KUNIT_EXPECT_EQ(test, parown_allocate_async(&cb->c), 0);
		parown_close(&cb->c);
		KUNIT_ASSERT_EQ_MSG(test, parown_try_allocate(&a), 0, "round %d", round);
		KUNIT_ASSERT_EQ(test, parown_free(&a), 0);
	}
	parown_close(&a);
}

static void test_preempt_callback(struct kunit *test)
{
	struct cb_client *cb = open_cb_client(test, &cb_ops);
	struct stoppable *s;

	/* An owner nobody waits behind is not asked. */
	KUNIT_ASSERT_EQ(test, parown_allocate(&cb->c, 0), 0);
	msleep(50);
	KUNIT_EXPECT_EQ(test, cb->n, 0);

	/* Asked once when another client waits; it frees from the callback. */
	cb->free_on_preempt = true;
	s = start_waiter(test, &cb->c, 0);
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&cb->called, 5 * HZ), 0);
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&s->done, 5 * HZ), 0);
	KUNIT_EXPECT_EQ(test, s->result, 0);
	KUNIT_EXPECT_FALSE(test, cb->atomic_context);
	KUNIT_EXPECT_STREQ(test, cb->log, "p");

	/* Granted with a waiter behind it: granted, then preempt. */
	cb->free_on_preempt = false;
	KUNIT_EXPECT_EQ(test, parown_allocate_async(&cb->c), 0);
	KUNIT_EXPECT_EQ(test, wait_waiters(&s->c, 1), 0);
	/* Another waiter behind the callback client. */
	{
		struct stoppable *t = start_waiter(test, &s->c, 2);

		KUNIT_EXPECT_EQ(test, parown_free(&s->c), 0);
		KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&cb->called, 5 * HZ), 0);
		KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&cb->called, 5 * HZ), 0);
		KUNIT_EXPECT_STREQ(test, cb->log, "pgp");
		KUNIT_EXPECT_EQ(test, cb->granted_result, 0);
		/* Once per ownership: no second request while it keeps it. */
		msleep(50);
		KUNIT_EXPECT_EQ(test, cb->n, 3);
		KUNIT_EXPECT_EQ(test, parown_free(&cb->c), 0);
		KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&t->done, 5 * HZ), 0);
		KUNIT_EXPECT_EQ(test, t->result, 0);
		KUNIT_EXPECT_EQ(test, parown_free(&t->c), 0);
		stop_waiter(t);
	}
	stop_waiter(s);
	parown_close(&cb->c);
}

static void test_no_callback_after_close(struct kunit *test)
{
	struct parown_client a;
	struct cb_client *cb = open_cb_client(test, &cb_ops);
	struct cb_client *slow = open_cb_client(test, &cb_ops);

	/* A queued request of a client closed is never reported. */
	open_client(test, &a);
	KUNIT_ASSERT_EQ(test, parown_allocate(&a, 0), 0);
	KUNIT_EXPECT_EQ(test, parown_allocate_async(&cb->c), 0);
	KUNIT_EXPECT_EQ(test, wait_waiters(&a, 1), 0);
	parown_close(&cb->c);
	KUNIT_EXPECT_EQ(test, parown_query_waiters(&a), 0);
	KUNIT_EXPECT_EQ(test, parown_free(&a), 0);
	msleep(100);
	KUNIT_EXPECT_EQ(test, cb->n, 0);

	/* parown_close() waits for a callback in progress. */
	slow->sleep_ms = 200;
	KUNIT_EXPECT_EQ(test, parown_allocate_async(&slow->c), 0);
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&slow->started, 5 * HZ), 0);
	parown_close(&slow->c);
	KUNIT_EXPECT_TRUE(test, slow->finished);
	KUNIT_EXPECT_EQ(test, slow->n, 1);
	/* Closing while owning handed the port on. */
	KUNIT_EXPECT_EQ(test, parown_try_allocate(&a), 0);
	KUNIT_EXPECT_EQ(test, parown_free(&a), 0);
	parown_close(&a);
}

/* QEMU's port reads back its data and control registers. */
static void test_owner_drives_the_lines(struct kunit *test)
{
	struct parown_client a, b;
	u8 buf[4];
	int status;

	open_client(test, &a);
	open_client(test, &b);
	KUNIT_EXPECT_EQ(test, parown_read_status(NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, parown_read_status(&a), -EPERM);
	KUNIT_EXPECT_EQ(test, parown_read_data(&a), -EPERM);
	KUNIT_EXPECT_EQ(test, parown_write_data(&a, 1), -EPERM);
	KUNIT_EXPECT_EQ(test, parown_read_control(&a), -EPERM);
	KUNIT_EXPECT_EQ(test, parown_write_control(&a, 0x0c), -EPERM);
	KUNIT_EXPECT_EQ(test, parown_frob_control(&a, 0x02, 0x02), -EPERM);
	KUNIT_EXPECT_EQ(test, parown_data_dir(&a, true), -EPERM);
	KUNIT_EXPECT_EQ(test, parown_read(&a, buf, sizeof(buf)), -EPERM);

	KUNIT_ASSERT_EQ(test, parown_allocate(&a, 0), 0);
	KUNIT_EXPECT_EQ(test, parown_read_status(&b), -EPERM);
	KUNIT_EXPECT_EQ(test, parown_write_data(&b, 1), -EPERM);
	status = parown_read_status(&a);
	KUNIT_EXPECT_GE(test, status, 0);
	KUNIT_EXPECT_LE(test, status, 0xff);
	KUNIT_EXPECT_EQ(test, parown_write_data(&a, 0x55), 0);
	KUNIT_EXPECT_EQ(test, parown_read_data(&a), 0x55);
	KUNIT_EXPECT_EQ(test, parown_write_data(&a, 0xaa), 0);
	KUNIT_EXPECT_EQ(test, parown_read_data(&a), 0xaa);
	/* Selected, not in reset, no strobe: nothing reaches the wire. */
	KUNIT_EXPECT_EQ(test, parown_write_control(&a, 0x0c), 0);
	KUNIT_EXPECT_EQ(test, parown_read_control(&a), 0x0c);
	KUNIT_EXPECT_EQ(test, parown_frob_control(&a, PARPORT_CONTROL_AUTOFD,
						  PARPORT_CONTROL_AUTOFD), 0);
	KUNIT_EXPECT_EQ(test, parown_read_control(&a), 0x0e);
	KUNIT_EXPECT_EQ(test, parown_frob_control(&a, PARPORT_CONTROL_AUTOFD, 0), 0);
	KUNIT_EXPECT_EQ(test, parown_read_control(&a), 0x0c);
	/* Turned around, the data lines read what nobody drives. */
	KUNIT_EXPECT_EQ(test, parown_data_dir(&a, true), 0);
	KUNIT_EXPECT_EQ(test, parown_read_data(&a), 0xff);
	KUNIT_EXPECT_EQ(test, parown_data_dir(&a, false), 0);
	KUNIT_EXPECT_EQ(test, parown_read_data(&a), 0xaa);

	/* The mode is the client's, owner or not. */
	KUNIT_EXPECT_EQ(test, parown_get_mode(&b), IEEE1284_MODE_COMPAT);
	KUNIT_EXPECT_EQ(test, parown_set_mode(&b, IEEE1284_MODE_BYTE), 0);
	KUNIT_EXPECT_EQ(test, parown_get_mode(&b), IEEE1284_MODE_BYTE);
	KUNIT_EXPECT_EQ(test, parown_get_mode(&a), IEEE1284_MODE_COMPAT);

	/* IEEE 1284: only the owner negotiates or asks with KEEP_PORT. */
	KUNIT_EXPECT_EQ(test, parown_negotiate(&b, IEEE1284_MODE_NIBBLE), -EPERM);
	KUNIT_EXPECT_EQ(test, parown_get_device_id(&b, 0, PAROWN_END_OF_CHAIN_DEVICE |
						   PAROWN_HAVE_PORT_KEEP_PORT, 0, buf, sizeof(buf)),
			-EPERM);
	KUNIT_EXPECT_EQ(test, parown_get_device_id(&b, 4, 0, 0, buf, sizeof(buf)), -EINVAL);
	/* QEMU's port has no daisy chain. */
	KUNIT_EXPECT_EQ(test, parown_get_device_id(&b, 0, 0, 0, buf, sizeof(buf)), -ENXIO);
	KUNIT_EXPECT_EQ(test, parown_get_device_id(&a, 0, PAROWN_END_OF_CHAIN_DEVICE, 0,
						   NULL, 1), -EINVAL);

	KUNIT_EXPECT_EQ(test, parown_free(&a), 0);
	KUNIT_EXPECT_EQ(test, parown_read_status(&a), -EPERM);
	KUNIT_EXPECT_EQ(test, parown_cancel(&b), 0);
	KUNIT_EXPECT_EQ(test, parown_get_device_id(&b, 0, PAROWN_END_OF_CHAIN_DEVICE, 0,
						   buf, sizeof(buf)), -ECANCELED);
	parown_close(&a);
	parown_close(&b);
	KUNIT_EXPECT_EQ(test, parown_read_status(&a), -EBADF);
}

static struct kunit_case parown_api_cases[] = {
	KUNIT_CASE(test_open_checks_its_arguments),
	KUNIT_CASE(test_null_and_closed_clients_are_refused),
	KUNIT_CASE(test_allocate_free_and_port_info),
	KUNIT_CASE(test_timeout_leaves_the_queue),
	KUNIT_CASE(test_free_hands_over_to_a_waiting_thread),
	KUNIT_CASE(test_close_hands_over_to_a_waiting_thread),
	KUNIT_CASE(test_write_reaches_the_port),
	KUNIT_CASE(test_device_requests),
	KUNIT_CASE(test_cancel_ends_a_waiting_thread),
	KUNIT_CASE(test_cancel_of_an_owner_keeps_the_port),
	KUNIT_CASE(test_cancel_of_a_parked_client_refuses_its_next_allocate),
	KUNIT_CASE(test_a_cancelled_waiter_leaves_the_others_in_order),
	KUNIT_CASE(test_a_waiter_keeps_its_place_while_others_come_and_go),
	KUNIT_CASE(test_kthread_stop_ends_a_wait),
	KUNIT_CASE(test_cancel_racing_with_a_grant_loses_nothing),
	KUNIT_CASE(test_granted_callback),
	KUNIT_CASE(test_a_cancelled_async_request_is_reported),
	KUNIT_CASE(test_close_right_after_cancel_reports_it),
	KUNIT_CASE(test_close_with_a_pending_request_leaves_the_port_free),
	KUNIT_CASE(test_preempt_callback),
	KUNIT_CASE(test_no_callback_after_close),
	KUNIT_CASE(test_owner_drives_the_lines),
	{}
};

static struct kunit_suite parown_api_suite = {
	.name = "parown_api",
	.test_cases = parown_api_cases,
};
kunit_test_suite(parown_api_suite);

MODULE_DESCRIPTION("KUnit tests of parown's in-kernel API");
MODULE_LICENSE("GPL");
