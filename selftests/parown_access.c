// SPDX-License-Identifier: GPL-2.0
/*
 * Who may use /dev/parownN: udev/60-parown.rules gives the nodes to group
 * lp, mode 0660, as Debian does for /dev/parport*; the test VM applies the
 * same rule with its uevent helper, scripts/vm/hotplug. Without the rule a
 * node is root's alone. Whatever the permissions, a client cannot free,
 * unlock or deselect what another client owns.
 *
 * A kernel without a uevent helper (CONFIG_UEVENT_HELPER unset, as in
 * Debian's) runs no scripts/vm/hotplug: there the tests do what the rule
 * does themselves, as udev would, once a node appears, so what they test
 * is still the module's part (the node it creates, and who may use it).
 * Only the test that the helper applies the rule is skipped there.
 */
#include <grp.h>

#include "kselftest_harness.h"
#include "parown_test.h"

#define LP_GID 7
#define MEMBER 1000		/* a user in group lp */
#define OUTSIDER 1001		/* a user who is not */

/* Runs @fn(@port) in a child with the identity of @uid (in lp if @lp). */
static int as_user(uid_t uid, int lp, int (*fn)(int), int port)
{
	gid_t groups[] = { LP_GID };
	pid_t pid = spawn();

	if (pid == 0) {
		if (setgroups(lp ? 1 : 0, groups) || setgid(uid) || setuid(uid))
			_exit(100);
		_exit(fn(port));
	}
	return wait_exit(pid, 10000);
}

/* Exit codes: 0 used the port, 1 open refused with EACCES, 2 other. */
static int open_and_use(int port)
{
	int fd = po_open(port), ret;

	if (fd < 0)
		return errno == EACCES ? 1 : 2;
	ret = po_allocate(fd, 1000) || po_free(fd) ? 2 : 0;
	close(fd);
	return ret;
}

/* Exit code 0 if freeing, unlocking and deselecting are all EPERM. */
static int try_to_take_over(int port)
{
	int fd = po_open(port);

	int ret = 0;

	if (fd < 0)
		return 3;
	if (po_free(fd) != -EPERM ||
	    po_dev(fd, PAROWN_UNLOCK_PORT, 0, PAROWN_END_OF_CHAIN_DEVICE, 0) != -EPERM ||
	    po_dev(fd, PAROWN_UNLOCK_PORT_NO_DESELECT, 0, PAROWN_END_OF_CHAIN_DEVICE, 0) != -EPERM ||
	    po_dev(fd, PAROWN_DESELECT_DEVICE, 0, PAROWN_END_OF_CHAIN_DEVICE, 0) != -EPERM)
		ret = 4;
	close(fd);
	return ret;
}

/* Waits (5 s) until /dev/parownN has @mode and @gid; 0 or -1. */
static int node_becomes(int port, mode_t mode, gid_t gid)
{
	char path[32];
	struct stat st;
	int i;

	snprintf(path, sizeof(path), "/dev/parown%d", port);
	for (i = 0; i < 500; i++) {
		if (!stat(path, &st) && (st.st_mode & 0777) == mode && st.st_gid == gid &&
		    st.st_uid == 0)
			return 0;
		usleep(10000);
	}
	return -1;
}

/* Whether the kernel runs the VM's uevent helper (CONFIG_UEVENT_HELPER). */
static int have_uevent_helper(void)
{
	return access("/proc/sys/kernel/hotplug", F_OK) == 0;
}

/*
 * Without the uevent helper: what the rule does to /dev/parown0 and 1,
 * done here, as udev would, once they appear (5 s). With it, nothing: the
 * helper does it. 0 or -1.
 */
static int apply_the_rule(void)
{
	int i;

	if (have_uevent_helper())
		return 0;
	for (i = 0; i < 500; i++) {
		if (!access("/dev/parown0", F_OK) && !access("/dev/parown1", F_OK))
			return sh("chgrp lp /dev/parown0 /dev/parown1 && "
				  "chmod 0660 /dev/parown0 /dev/parown1");
		usleep(10000);
	}
	return -1;
}

TEST(the_rule_gives_the_nodes_to_group_lp)
{
	/* The helper applying the rule is the test; no helper, no test. */
	if (!have_uevent_helper())
		SKIP(return, "kernel has no uevent helper (CONFIG_UEVENT_HELPER)");
	EXPECT_EQ(0, node_becomes(0, 0660, LP_GID));
	EXPECT_EQ(0, node_becomes(1, 0660, LP_GID));
}

TEST(a_member_of_lp_can_use_a_port)
{
	ASSERT_EQ(0, apply_the_rule());
	EXPECT_EQ(0, as_user(MEMBER, 1, open_and_use, 0));
}

TEST(others_cannot_open_the_node)
{
	ASSERT_EQ(0, apply_the_rule());
	EXPECT_EQ(1, as_user(OUTSIDER, 0, open_and_use, 0));
}

/*
 * The module's own mode for its nodes. Without a uevent helper there is
 * nothing to turn off: a reloaded parown's nodes are as the module makes
 * them, and the test then applies the rule itself to restore the VM's
 * state, where the helper would.
 */
TEST(without_the_rule_the_node_is_root_only)
{
	int helper = have_uevent_helper();

	ASSERT_EQ(0, helper ? sh("echo > /proc/sys/kernel/hotplug") : 0);
	ASSERT_EQ(0, sh("rmmod parown && . /usr/lib/parown/lib.sh && vm_load_parown"));
	EXPECT_EQ(0, node_becomes(0, 0600, 0));
	EXPECT_EQ(1, as_user(MEMBER, 1, open_and_use, 0));
	EXPECT_EQ(0, open_and_use(0));
	/*
	 * Back to the VM's normal state: the rule applied. (Braces: an
	 * ASSERT is more than one statement.)
	 */
	if (helper) {
		ASSERT_EQ(0, sh("echo /bin/hotplug > /proc/sys/kernel/hotplug && rmmod parown && "
				". /usr/lib/parown/lib.sh && vm_load_parown"));
	} else {
		ASSERT_EQ(0, apply_the_rule());
	}
	EXPECT_EQ(0, node_becomes(0, 0660, LP_GID));
}

TEST(a_client_cannot_release_what_another_owns)
{
	int fd;

	ASSERT_EQ(0, apply_the_rule());
	fd = po_open(0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, po_allocate(fd, 1000));
	EXPECT_EQ(0, as_user(MEMBER, 1, try_to_take_over, 0));
	EXPECT_EQ(0, try_to_take_over(0));	/* another client of root's */
	ASSERT_EQ(0, po_free(fd));
	ASSERT_EQ(0, po_dev(fd, PAROWN_LOCK_PORT, 0, PAROWN_END_OF_CHAIN_DEVICE, 0));
	EXPECT_EQ(0, as_user(MEMBER, 1, try_to_take_over, 0));
	EXPECT_EQ(PAROWN_PORT_OWNED | PAROWN_PORT_OWNED_BY_ME, po_flags(fd));
	ASSERT_EQ(0, po_dev(fd, PAROWN_UNLOCK_PORT, 0, PAROWN_END_OF_CHAIN_DEVICE, 0));
	close(fd);
}

TEST_HARNESS_MAIN
