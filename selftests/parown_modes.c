// SPDX-License-Identifier: GPL-2.0
/*
 * IEEE 1284 modes: PAROWN_GET_DEVICE_ID on the simulated chain of
 * parown_sim.ko (each device sends its own IEEE 1284 Device ID in nibble
 * mode, "MFG:parown;MDL:sim-dev-N;CMD:TEST;CLS:PRINTER;", the end-of-chain
 * device "...MDL:sim-eoc;..."), and on QEMU's port, which has no IEEE 1284
 * peripheral; ppdev's PPNEGOT and read() in nibble and byte mode.
 */
#include <linux/ppdev.h>
#include <linux/parport.h>

#include "kselftest_harness.h"
#include "parown_test.h"

#define EOC PAROWN_END_OF_CHAIN_DEVICE
#define KEEP PAROWN_HAVE_PORT_KEEP_PORT

/* The Device ID simulated device @target (0-3, SIM_EOC) sends. */
static const char *sim_id(int target)
{
	static char id[64];

	if (target == SIM_EOC)
		return "MFG:parown;MDL:sim-eoc;CMD:TEST;CLS:PRINTER;";
	snprintf(id, sizeof(id), "MFG:parown;MDL:sim-dev-%d;CMD:TEST;CLS:PRINTER;",
		 target);
	return id;
}

/*
 * PAROWN_GET_DEVICE_ID into @buf (@size bytes); the ID's length, or
 * -errno.
 */
static int po_device_id(int fd, __u32 device, __u32 flags, __u32 timeout_ms,
			void *buf, __u32 size)
{
	struct parown_device_id req = {
		.device = device, .flags = flags, .timeout_ms = timeout_ms,
		.size = size, .buffer = (__u64)(uintptr_t)buf,
		.length = 0xdeadbeef,
	};
	int r = ioctl(fd, PAROWN_GET_DEVICE_ID, &req);

	return r < 0 ? -errno : (int)req.length;
}

#include "parown_fixture_chain.h"

TEST_F(chain, each_daisy_device_sends_its_own_id)
{
	char buf[128];
	int k;

	for (k = 0; k < 4; k++) {
		memset(buf, 'x', sizeof(buf));
		ASSERT_EQ((int)strlen(sim_id(k)),
			  po_device_id(self->a, k, 0, 0, buf, sizeof(buf)));
		EXPECT_STREQ(sim_id(k), buf);
		/* Allocated for the request only. */
		EXPECT_EQ(0, po_flags(self->a));
	}
	/* Reading an ID puts no byte on any device's data channel. */
	for (k = 0; k <= SIM_EOC; k++)
		EXPECT_STREQ("", sim_received(k));
}

TEST_F(chain, the_end_of_chain_device_sends_its_id)
{
	char buf[128];

	ASSERT_EQ((int)strlen(sim_id(SIM_EOC)),
		  po_device_id(self->a, 0, EOC, 0, buf, sizeof(buf)));
	EXPECT_STREQ(sim_id(SIM_EOC), buf);
	/* The device number is ignored with EOC. */
	ASSERT_EQ((int)strlen(sim_id(SIM_EOC)),
		  po_device_id(self->a, 3, EOC, 0, buf, sizeof(buf)));
	EXPECT_STREQ(sim_id(SIM_EOC), buf);
}

TEST_F(chain, a_short_buffer_gets_the_start_and_the_full_length)
{
	char buf[16];
	int len = strlen(sim_id(1));

	memset(buf, 'x', sizeof(buf));
	ASSERT_EQ(len, po_device_id(self->a, 1, 0, 0, buf, 10));
	EXPECT_EQ(0, memcmp(buf, sim_id(1), 10));
	EXPECT_EQ('x', buf[10]) TH_LOG("nothing written past size");
	/* Size 0: the length only, the buffer untouched. */
	ASSERT_EQ(len, po_device_id(self->a, 1, 0, 0, NULL, 0));
	/* The device starts from the beginning again next time. */
	ASSERT_EQ(len, po_device_id(self->a, 1, 0, 0, buf, 10));
	EXPECT_EQ(0, memcmp(buf, sim_id(1), 10));
}

TEST_F(chain, the_owner_keeps_the_port_and_the_device_selected)
{
	char buf[128];

	ASSERT_EQ(0, po_allocate(self->a, 0));
	ASSERT_EQ((int)strlen(sim_id(2)),
		  po_device_id(self->a, 2, KEEP, 0, buf, sizeof(buf)));
	EXPECT_STREQ(sim_id(2), buf);
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, po_flags(self->a));
	/* Back in compatibility mode, device 2 on the bus. */
	ASSERT_EQ(5, write(self->a, "after", 5));
	EXPECT_STREQ("after", sim_received(2));
	EXPECT_STREQ("", sim_received(SIM_EOC));
	/* As after SELECT_DEVICE: DESELECT_DEVICE frees. */
	EXPECT_EQ(0, po_dev(self->a, PAROWN_DESELECT_DEVICE, 2, 0, 0));
	EXPECT_EQ(0, po_flags(self->a));
}

TEST_F(chain, after_an_id_the_devices_take_compatibility_mode_bytes)
{
	char buf[128];

	ASSERT_LT(0, po_device_id(self->a, 3, 0, 0, buf, sizeof(buf)));
	ASSERT_EQ(0, po_dev(self->a, PAROWN_LOCK_PORT, 3, 0, 0));
	ASSERT_EQ(3, write(self->a, "abc", 3));
	ASSERT_EQ(0, po_dev(self->a, PAROWN_UNLOCK_PORT, 3, 0, 0));
	EXPECT_STREQ("abc", sim_received(3));
	EXPECT_STREQ("", sim_received(SIM_EOC));
}

TEST_F(chain, a_non_owner_is_refused_or_waits)
{
	char buf[128];
	long long t0;

	ASSERT_EQ(0, po_allocate(self->a, 0));
	EXPECT_EQ(-EPERM, po_device_id(self->b, 0, KEEP, 0, buf, sizeof(buf)));
	t0 = ms_now();
	EXPECT_EQ(-ETIMEDOUT, po_device_id(self->b, 0, 0, 200, buf, sizeof(buf)));
	EXPECT_LE(190, ms_now() - t0);
	EXPECT_EQ(0, po_waiters(self->a));
	/* Without KEEP, it waits in the queue and gets its turn. */
	if (spawn() == 0) {
		int fd = po_open(SIM_PORT);

		_exit(po_device_id(fd, 1, 0, 0, buf, sizeof(buf)) ==
		      (int)strlen(sim_id(1)) && !strcmp(buf, sim_id(1)) ? 0 : 1);
	}
	ASSERT_EQ(0, wait_waiters(self->a, 1));
	ASSERT_EQ(0, po_free(self->a));
	EXPECT_EQ(0, wait_exit(test_children[0], 10000));
	EXPECT_EQ(0, po_flags(self->a));
}

TEST_F(chain, bad_requests_fail_before_anything_changes)
{
	struct parown_device_id req = { .size = 8, .buffer = 0 };
	char buf[128];

	EXPECT_EQ(-EINVAL, po_device_id(self->a, 4, 0, 0, buf, sizeof(buf)));
	EXPECT_EQ(-EINVAL, po_device_id(self->a, 0, 1u << 7, 0, buf, sizeof(buf)));
	req.buffer = (__u64)(uintptr_t)buf;
	req.reserved = 1;
	EXPECT_EQ(-1, ioctl(self->a, PAROWN_GET_DEVICE_ID, &req));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-EFAULT, po_device_id(self->a, 0, 0, 0, (void *)8, 64));
	EXPECT_EQ(-1, ioctl(self->a, PAROWN_GET_DEVICE_ID, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0, po_flags(self->a));
	EXPECT_EQ(0, po_waiters(self->a));
}

TEST_F(chain, a_device_not_on_the_chain_is_enxio)
{
	char buf[128];

	ASSERT_EQ(0, sim_set("devices", 2));
	ASSERT_EQ(2, po_init_bus(self->a));
	EXPECT_EQ(-ENXIO, po_device_id(self->a, 2, 0, 0, buf, sizeof(buf)));
	EXPECT_EQ(-ENXIO, po_device_id(self->a, 3, 0, 0, buf, sizeof(buf)));
	EXPECT_EQ((int)strlen(sim_id(1)),
		  po_device_id(self->a, 1, 0, 0, buf, sizeof(buf)));
	EXPECT_EQ(0, po_flags(self->a));
}

TEST_F(chain, a_silent_device_is_eio_and_the_port_is_freed)
{
	char buf[128];

	ASSERT_EQ(0, sim_set("mute", 0));
	EXPECT_EQ(-EIO, po_device_id(self->a, 0, 0, 0, buf, sizeof(buf)));
	EXPECT_EQ(0, po_flags(self->a));
	ASSERT_EQ(0, sim_set("mute", -1));
	EXPECT_EQ((int)strlen(sim_id(0)),
		  po_device_id(self->a, 0, 0, 0, buf, sizeof(buf)));
}

TEST_F(chain, a_removed_port_is_enodev)
{
	char buf[128];

	ASSERT_EQ(0, sim_unplug());
	EXPECT_EQ(-ENODEV, po_device_id(self->a, 0, 0, 0, buf, sizeof(buf)));
	EXPECT_EQ(-ENODEV, po_device_id(self->a, 0, EOC | KEEP, 0, buf,
					sizeof(buf)));
}

TEST_F(chain, parownctl_lists_the_chain_with_each_id)
{
	char exe[256], cmd[320], out[1024], want[1024] = "";
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	FILE *f;
	int k;

	ASSERT_LT(0, n);
	exe[n] = 0;
	*strrchr(exe, '/') = 0;
	snprintf(cmd, sizeof(cmd), "%s/parownctl chain %d >/tmp/chain.out", exe,
		 SIM_PORT);
	ASSERT_EQ(0, sh(cmd));
	f = fopen("/tmp/chain.out", "r");
	ASSERT_TRUE(f != NULL);
	n = fread(out, 1, sizeof(out) - 1, f);
	fclose(f);
	out[n] = 0;
	for (k = 0; k < 4; k++)
		snprintf(want + strlen(want), sizeof(want) - strlen(want),
			 "device %d: %s\n", k, sim_id(k));
	snprintf(want + strlen(want), sizeof(want) - strlen(want),
		 "end of chain: %s\n", sim_id(SIM_EOC));
	EXPECT_STREQ(want, out);
}

/* An int ioctl (PPNEGOT, PPSETMODE); 0 or -errno. */
static int pp_int(int fd, unsigned long cmd, int value)
{
	return po_ret(ioctl(fd, cmd, &value));
}

/* PPGETMODE, or -errno. */
static int pp_mode(int fd)
{
	int mode;

	return ioctl(fd, PPGETMODE, &mode) < 0 ? -errno : mode;
}

/* Byte @n of the stream simulated device @target sends without Device ID. */
static unsigned char sim_stream(int target, int n)
{
	return (unsigned char)(n + 0x40 * target);
}

/* Whether @buf holds bytes @from.. of @target's stream; 0 or -1. */
static int is_stream(int target, const unsigned char *buf, int from, int len)
{
	int k;

	for (k = 0; k < len; k++)
		if (buf[k] != sim_stream(target, from + k))
			return -1;
	return 0;
}

TEST_F(chain, nibble_and_byte_mode_reads_get_the_devices_data)
{
	static const int modes[] = { IEEE1284_MODE_NIBBLE, IEEE1284_MODE_BYTE };
	unsigned char buf[300];
	int m;

	for (m = 0; m < 2; m++) {
		ASSERT_EQ(0, po_dev(self->a, PAROWN_LOCK_PORT, 2, 0, 0));
		ASSERT_EQ(0, pp_int(self->a, PPNEGOT, modes[m]));
		EXPECT_EQ(modes[m], pp_mode(self->a));
		ASSERT_EQ(100, read(self->a, buf, 100));
		EXPECT_EQ(0, is_stream(2, buf, 0, 100));
		ASSERT_EQ(200, read(self->a, buf, 200));
		EXPECT_EQ(0, is_stream(2, buf, 100, 200));
		/* Back to compatibility mode for the unlock's deselect. */
		ASSERT_EQ(0, pp_int(self->a, PPNEGOT, IEEE1284_MODE_COMPAT));
		ASSERT_EQ(0, po_dev(self->a, PAROWN_UNLOCK_PORT, 2, 0, 0));
	}
	/* The end-of-chain device's stream is its own. */
	ASSERT_EQ(0, po_allocate(self->a, 0));
	ASSERT_EQ(0, pp_int(self->a, PPNEGOT, IEEE1284_MODE_NIBBLE));
	ASSERT_EQ(50, read(self->a, buf, 50));
	EXPECT_EQ(0, is_stream(SIM_EOC, buf, 0, 50));
}

TEST_F(chain, a_read_returns_at_most_1024_bytes_as_from_ppdev)
{
	static unsigned char buf[4096];

	ASSERT_EQ(0, po_allocate(self->a, 0));
	ASSERT_EQ(0, pp_int(self->a, PPNEGOT, IEEE1284_MODE_BYTE));
	ASSERT_EQ(1024, read(self->a, buf, sizeof(buf)));
	EXPECT_EQ(0, is_stream(SIM_EOC, buf, 0, 1024));
}

TEST_F(chain, a_compatibility_mode_read_negotiates_byte_mode)
{
	unsigned char buf[8];

	ASSERT_EQ(0, po_allocate(self->a, 0));
	EXPECT_EQ(IEEE1284_MODE_COMPAT, pp_mode(self->a));
	ASSERT_EQ(8, read(self->a, buf, 8));
	EXPECT_EQ(0, is_stream(SIM_EOC, buf, 0, 8));
	/* The simulated port is bidirectional (PARPORT_MODE_TRISTATE). */
	EXPECT_EQ(IEEE1284_MODE_BYTE, pp_mode(self->a));
}

TEST_F(chain, the_device_id_through_ppnegot_and_read)
{
	const char *id = sim_id(1);
	int len = strlen(id) + 2;
	unsigned char buf[128];

	ASSERT_EQ(0, po_dev(self->a, PAROWN_LOCK_PORT, 1, 0, 0));
	ASSERT_EQ(0, pp_int(self->a, PPNEGOT,
			    IEEE1284_MODE_NIBBLE | IEEE1284_DEVICEID));
	ASSERT_EQ(len, read(self->a, buf, sizeof(buf)));
	EXPECT_EQ(len, buf[0] << 8 | buf[1]) TH_LOG("big-endian length");
	EXPECT_EQ(0, memcmp(buf + 2, id, len - 2));
	/* No more data: a non-blocking read says so at once. */
	ASSERT_EQ(0, fcntl(self->a, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(-1, read(self->a, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
}

static void on_alarm(int sig)
{
}

TEST_F(chain, a_signal_ends_a_read_that_waits_for_data)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	unsigned char buf[128];
	long long t0;

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	ASSERT_EQ(0, po_allocate(self->a, 0));
	ASSERT_EQ(0, pp_int(self->a, PPNEGOT,
			    IEEE1284_MODE_NIBBLE | IEEE1284_DEVICEID));
	ASSERT_LT(0, read(self->a, buf, sizeof(buf)));
	/* The ID was all: the next read waits, until the signal. */
	t0 = ms_now();
	alarm(1);
	EXPECT_EQ(-1, read(self->a, buf, sizeof(buf)));
	EXPECT_EQ(EINTR, errno);
	EXPECT_GT(5000, ms_now() - t0);
	/* Still the owner, and the port still works. */
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, po_flags(self->a));
	ASSERT_EQ(0, pp_int(self->a, PPNEGOT, IEEE1284_MODE_NIBBLE));
	ASSERT_EQ(4, read(self->a, buf, 4));
	EXPECT_EQ(0, is_stream(SIM_EOC, buf, 0, 4));
}

TEST_F(chain, a_write_in_nibble_mode_goes_back_to_compatibility_mode)
{
	ASSERT_EQ(0, po_allocate(self->a, 0));
	ASSERT_EQ(0, pp_int(self->a, PPNEGOT, IEEE1284_MODE_NIBBLE));
	ASSERT_EQ(3, write(self->a, "hey", 3));
	EXPECT_EQ(IEEE1284_MODE_COMPAT, pp_mode(self->a));
	EXPECT_STREQ("hey", sim_received(SIM_EOC));
}

TEST_F(chain, closing_in_nibble_mode_leaves_the_device_in_compatibility_mode)
{
	unsigned char buf[4];

	ASSERT_EQ(0, po_allocate(self->a, 0));
	ASSERT_EQ(0, pp_int(self->a, PPNEGOT, IEEE1284_MODE_NIBBLE));
	ASSERT_EQ(4, read(self->a, buf, 4));
	close(self->a);
	self->a = po_open(SIM_PORT);
	ASSERT_EQ(0, po_allocate(self->b, 1000));
	EXPECT_EQ(IEEE1284_MODE_COMPAT, pp_mode(self->b));
	ASSERT_EQ(2, write(self->b, "ok", 2));
	EXPECT_STREQ("ok", sim_received(SIM_EOC));
}

TEST_F(chain, refused_and_unsupported_modes)
{
	char buf[8];

	ASSERT_EQ(0, po_allocate(self->a, 0));
	/* The simulated devices speak neither ECP nor EPP. */
	EXPECT_EQ(-ENXIO, pp_int(self->a, PPNEGOT, IEEE1284_MODE_ECP));
	EXPECT_EQ(IEEE1284_MODE_COMPAT, pp_mode(self->a));
	EXPECT_EQ(-ENXIO, pp_int(self->a, PPNEGOT, IEEE1284_MODE_EPP));
	EXPECT_EQ(-ENOSYS, pp_int(self->a, PPNEGOT, IEEE1284_MODE_BECP));
	/* ECP and EPP transfers: not driven by parown. */
	ASSERT_EQ(0, pp_int(self->a, PPSETMODE, IEEE1284_MODE_EPP));
	EXPECT_EQ(-1, read(self->a, buf, sizeof(buf)));
	EXPECT_EQ(EOPNOTSUPP, errno);
	EXPECT_EQ(-1, write(self->a, "x", 1));
	EXPECT_EQ(EOPNOTSUPP, errno);
	ASSERT_EQ(0, pp_int(self->a, PPSETMODE, IEEE1284_MODE_COMPAT));
	EXPECT_EQ(1, write(self->a, "y", 1));
	EXPECT_STREQ("y", sim_received(SIM_EOC));
}

TEST_F(chain, transfers_of_a_non_owner_and_of_a_removed_port)
{
	char buf[8];

	EXPECT_EQ(-EPERM, pp_int(self->a, PPNEGOT, IEEE1284_MODE_NIBBLE));
	ASSERT_EQ(0, po_allocate(self->b, 0));
	EXPECT_EQ(-EPERM, pp_int(self->a, PPNEGOT, IEEE1284_MODE_NIBBLE));
	EXPECT_EQ(-1, read(self->a, buf, sizeof(buf)));
	EXPECT_EQ(EPERM, errno);
	ASSERT_EQ(0, sim_unplug());
	EXPECT_EQ(-ENODEV, pp_int(self->b, PPNEGOT, IEEE1284_MODE_NIBBLE));
	EXPECT_EQ(-1, read(self->b, buf, sizeof(buf)));
	EXPECT_EQ(ENODEV, errno);
}

/* QEMU's port 0: nothing IEEE 1284 answers the negotiation. */
TEST(qemu_port_has_no_ieee1284_peripheral)
{
	int fd = po_open(0);
	char buf[64];

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EIO, po_device_id(fd, 0, EOC, 0, buf, sizeof(buf)));
	EXPECT_EQ(0, po_flags(fd));
	/* Daisy devices: QEMU has no chain. */
	EXPECT_EQ(-ENXIO, po_device_id(fd, 0, 0, 0, buf, sizeof(buf)));
	/* PPNEGOT as ppdev's there: EIO; a read cannot negotiate either. */
	ASSERT_EQ(0, po_allocate(fd, 0));
	EXPECT_EQ(-EIO, pp_int(fd, PPNEGOT, IEEE1284_MODE_NIBBLE));
	EXPECT_EQ(IEEE1284_MODE_COMPAT, pp_mode(fd));
	EXPECT_EQ(-1, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(EIO, errno);
	EXPECT_EQ(0, po_free(fd));
	close(fd);
}

TEST_HARNESS_MAIN
