// SPDX-License-Identifier: GPL-2.0
/*
 * Device selection: LOCK_PORT, UNLOCK_PORT, the NO_SELECT variants,
 * SELECT_DEVICE, DESELECT_DEVICE and INIT_1284_3_BUS, on the simulated
 * IEEE 1284.3 chain of parown_sim.ko (whose debugfs record says which
 * device received which bytes) and on QEMU's port, which has no chain.
 */
#include "kselftest_harness.h"
#include "parown_test.h"

#define EOC PAROWN_END_OF_CHAIN_DEVICE
#define KEEP PAROWN_HAVE_PORT_KEEP_PORT

/* The simulated port with a chain of four devices, and two clients. */
FIXTURE(chain) {
	int a, b;
};

FIXTURE_SETUP(chain)
{
	ASSERT_EQ(0, sim_load(4));
	self->a = po_open(SIM_PORT);
	self->b = po_open(SIM_PORT);
	ASSERT_LE(0, self->a);
	ASSERT_LE(0, self->b);
}

FIXTURE_TEARDOWN(chain)
{
	reap_children();
	close(self->a);
	close(self->b);
	sh("rmmod parown_sim");
}

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
