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

static struct kunit_case parown_api_cases[] = {
	KUNIT_CASE(test_open_checks_its_arguments),
	KUNIT_CASE(test_null_and_closed_clients_are_refused),
	KUNIT_CASE(test_allocate_free_and_port_info),
	KUNIT_CASE(test_timeout_leaves_the_queue),
	KUNIT_CASE(test_free_hands_over_to_a_waiting_thread),
	KUNIT_CASE(test_close_hands_over_to_a_waiting_thread),
	KUNIT_CASE(test_write_reaches_the_port),
	KUNIT_CASE(test_device_requests),
	{}
};

static struct kunit_suite parown_api_suite = {
	.name = "parown_api",
	.test_cases = parown_api_cases,
};
kunit_test_suite(parown_api_suite);

MODULE_DESCRIPTION("KUnit tests of parown's in-kernel API");
MODULE_LICENSE("GPL");
