// SPDX-License-Identifier: GPL-2.0
/*
 * Built as a 32-bit program: parown's ioctls from 32-bit user space go
 * through compat_ptr_ioctl untranslated, so the structures must have the
 * same layout; this checks the answers a 32-bit client gets.
 */
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

TEST_HARNESS_MAIN
