// SPDX-License-Identifier: GPL-2.0
/*
 * Built as a 32-bit program: parown's ioctls from 32-bit user space go
 * through compat_ptr_ioctl untranslated, so the structures must have the
 * same layout; this checks the answers a 32-bit client gets, also to a
 * threaded 32-bit program (threads need the kernel's 32-bit futex calls,
 * CONFIG_COMPAT_32BIT_TIME).
 */
#include <pthread.h>

#include "kselftest_harness.h"
#include "parown_test.h"

TEST(requests_from_a_32_bit_process)
{
	struct parown_port_info info;
	int fd = po_open(0);

	ASSERT_EQ(4, (int)sizeof(void *));
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, po_info(fd, &info));
	EXPECT_EQ(0x378, info.base);
	EXPECT_EQ(0, info.flags);
	ASSERT_EQ(0, po_allocate(fd, 1000));
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, po_flags(fd));
	EXPECT_EQ(0, po_waiters(fd));
	EXPECT_EQ(-EDEADLK, po_allocate(fd, 1000));
	ASSERT_EQ(0, po_free(fd));
	ASSERT_EQ(0, po_dev(fd, PAROWN_LOCK_PORT, 0, PAROWN_END_OF_CHAIN_DEVICE, 1000));
	EXPECT_EQ(0, po_init_bus(fd));
	ASSERT_EQ(0, po_dev(fd, PAROWN_UNLOCK_PORT, 0, PAROWN_END_OF_CHAIN_DEVICE, 0));
	EXPECT_EQ(-ENOTTY, po_ret(ioctl(fd, _IO(PAROWN_IOC_MAGIC, 0x3f))));
	close(fd);
}

/* The second thread's client: what its ALLOCATE returned, and when. */
struct waiter {
	int fd;
	int allocated;
	int flags;
	long long granted_ms;
};

static void *allocate_and_free(void *arg)
{
	struct waiter *w = arg;

	w->allocated = po_allocate(w->fd, 10000);
	w->granted_ms = ms_now();
	w->flags = po_flags(w->fd);
	if (w->allocated == 0)
		po_free(w->fd);
	return NULL;
}

/*
 * Two threads of one 32-bit process, each with its own client: the main
 * thread allocates and holds, the second thread's ALLOCATE waits and is
 * granted after the main thread's FREE, and pthread_join() (a futex wait)
 * returns.
 */
TEST(threads_of_a_32_bit_process_take_turns)
{
	struct waiter w = { .allocated = 1, .flags = -1 };
	long long freed_ms;
	pthread_t thread;
	int fd = po_open(0);

	ASSERT_LE(0, fd);
	w.fd = po_open(0);
	ASSERT_LE(0, w.fd);
	ASSERT_EQ(0, po_allocate(fd, 1000));
	ASSERT_EQ(0, pthread_create(&thread, NULL, allocate_and_free, &w));
	ASSERT_EQ(0, wait_waiters(fd, 1));
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, po_flags(fd));
	freed_ms = ms_now();
	ASSERT_EQ(0, po_free(fd));
	ASSERT_EQ(0, pthread_join(thread, NULL));
	EXPECT_EQ(0, w.allocated);
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, w.flags);
	EXPECT_LE(freed_ms, w.granted_ms);
	EXPECT_EQ(0, po_flags(fd));
	close(w.fd);
	close(fd);
}

TEST_HARNESS_MAIN
