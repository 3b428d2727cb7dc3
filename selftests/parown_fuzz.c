// SPDX-License-Identifier: GPL-2.0
/*
 * A bounded ioctl fuzzer: several processes send 100,000 ioctls to
 * /dev/parownN between them, with command numbers in and around parown's
 * range, wrong sizes and directions, NULL, unmapped, partly mapped and
 * kernel pointers, and random device numbers, flags and timeouts. Unknown
 * commands must get ENOTTY, and each request only the errnos the contract
 * gives it (allowed[]); the runner checks the kernel log.
 *
 * usage: parown_fuzz [CALLS]   (default 100000, shared by the processes)
 */
#include <linux/ppdev.h>
#include <signal.h>

#include "kselftest.h"
#include "parown_test.h"

#define FUZZERS 4

/*
 * The errnos the contract (Documentation/parown.rst, the table of
 * requests, "Bad requests" and "Device selection") gives each request,
 * for what the fuzzer does: EFAULT for a request that reads or writes an
 * argument, EINVAL for a bad argument (flags, device number, reserved
 * field), EINTR for a request that may wait (ualarm() interrupts it). Left
 * out because the fuzzer never brings about their cause: ENODEV (no port
 * goes away) and EALREADY (each client is used by one thread; so no request
 * waits for its client's write either). Any other errno fails the run.
 */
#define MAX_ERRNOS 10
static const struct {
	unsigned int cmd;
	const char *name;
	int errnos[MAX_ERRNOS];
} allowed[] = {
	{ PAROWN_ALLOCATE, "ALLOCATE",
	  { EFAULT, EINVAL, EDEADLK, ETIMEDOUT, EINTR } },
	{ PAROWN_TRY_ALLOCATE, "TRY_ALLOCATE", { EAGAIN, EDEADLK } },
	{ PAROWN_FREE, "FREE", { EPERM } },
	{ PAROWN_QUERY_WAITERS, "QUERY_WAITERS", { EFAULT } },
	{ PAROWN_GET_PORT_INFO, "GET_PORT_INFO", { EFAULT } },
	{ PAROWN_LOCK_PORT, "LOCK_PORT",
	  { EFAULT, EINVAL, EDEADLK, ETIMEDOUT, EINTR, ENXIO, EIO } },
	{ PAROWN_UNLOCK_PORT, "UNLOCK_PORT",
	  { EFAULT, EINVAL, EPERM, ENXIO, EIO } },
	{ PAROWN_LOCK_PORT_NO_SELECT, "LOCK_PORT_NO_SELECT",
	  { EFAULT, EINVAL, EDEADLK, ETIMEDOUT, EINTR, ENXIO } },
	{ PAROWN_UNLOCK_PORT_NO_DESELECT, "UNLOCK_PORT_NO_DESELECT",
	  { EFAULT, EINVAL, EPERM, ENXIO } },
	{ PAROWN_SELECT_DEVICE, "SELECT_DEVICE",
	  { EFAULT, EINVAL, EDEADLK, ETIMEDOUT, EINTR, ENXIO, EIO, EPERM } },
	{ PAROWN_DESELECT_DEVICE, "DESELECT_DEVICE",
	  { EFAULT, EINVAL, EPERM, ENXIO, EIO } },
	{ PAROWN_INIT_1284_3_BUS, "INIT_1284_3_BUS", { EFAULT, EINTR } },
	{ PAROWN_GET_DEVICE_ID, "GET_DEVICE_ID",
	  { EFAULT, EINVAL, EDEADLK, ETIMEDOUT, EINTR, ENXIO, EIO, EPERM, ENODATA } },
	/* ppdev's (Documentation/parown.rst, "ppdev's interface"). */
	{ PPCLAIM, "PPCLAIM", { EDEADLK, EINTR } },
	{ PPRELEASE, "PPRELEASE", { EPERM } },
	{ PPYIELD, "PPYIELD", { EPERM, EINTR } },
	{ PPEXCL, "PPEXCL", { EINVAL } },
	{ PPNEGOT, "PPNEGOT", { EFAULT, EPERM, EIO, ENXIO, ENOSYS, EINTR } },
	{ PPRSTATUS, "PPRSTATUS", { EFAULT, EPERM } },
	{ PPRDATA, "PPRDATA", { EFAULT, EPERM } },
	{ PPWDATA, "PPWDATA", { EFAULT, EPERM } },
	{ PPRCONTROL, "PPRCONTROL", { EFAULT, EPERM } },
	{ PPWCONTROL, "PPWCONTROL", { EFAULT, EPERM } },
	{ PPFCONTROL, "PPFCONTROL", { EFAULT, EPERM } },
	{ PPDATADIR, "PPDATADIR", { EFAULT, EPERM } },
	{ PPSETMODE, "PPSETMODE", { EFAULT, EINTR } },
	{ PPGETMODE, "PPGETMODE", { EFAULT, EINTR } },
	{ PPSETPHASE, "PPSETPHASE", { EFAULT, EINVAL, EINTR } },
	{ PPGETPHASE, "PPGETPHASE", { EFAULT, EINTR } },
	{ PPGETMODES, "PPGETMODES", { EFAULT } },
	{ PPSETFLAGS, "PPSETFLAGS", { EFAULT, EINTR } },
	{ PPGETFLAGS, "PPGETFLAGS", { EFAULT, EINTR } },
	{ PPWCTLONIRQ, "PPWCTLONIRQ", { EFAULT, EPERM } },
	{ PPCLRIRQ, "PPCLRIRQ", { EFAULT, EPERM } },
	{ _IOR(PP_IOCTL, 0x95, __s64[2]), "PPGETTIME64", { EFAULT, EPERM } },
	{ _IOW(PP_IOCTL, 0x96, __s64[2]), "PPSETTIME64", { EFAULT, EPERM, EINVAL } },
	{ _IOR(PP_IOCTL, 0x95, __s32[2]), "PPGETTIME32", { EFAULT, EPERM } },
	{ _IOW(PP_IOCTL, 0x96, __s32[2]), "PPSETTIME32", { EFAULT, EPERM, EINVAL } },
};
#define KNOWN (sizeof(allowed) / sizeof(allowed[0]))

static unsigned long long rng;

static unsigned long long rnd64(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned int rnd(unsigned int n)
{
	return rnd64() % n;
}

/* The index of @cmd in allowed[], or -1 if it is not parown's. */
static int known_index(unsigned int cmd)
{
	for (unsigned int i = 0; i < KNOWN; i++)
		if (allowed[i].cmd == cmd)
			return i;
	return -1;
}

static int is_allowed(int k, int err)
{
	for (int i = 0; i < MAX_ERRNOS && allowed[k].errnos[i]; i++)
		if (err == allowed[k].errnos[i])
			return 1;
	return 0;
}

/*
 * Types the VFS answers itself before the driver sees the ioctl
 * (do_vfs_ioctl(): FIOCLEX, FIGETBSZ, FIFREEZE, FICLONE, FS_IOC_*...).
 * Freezing devtmpfs is not what this is about: leave them out.
 */
static int vfs_handles(unsigned int cmd)
{
	unsigned int type = _IOC_TYPE(cmd);

	return type == 0 || type == 'T' || type == 'f' || type == 0x94 ||
	       type == 'X' || type == 0x15 || type == 0x12;
}

static unsigned int random_cmd(void)
{
	unsigned int cmd = allowed[rnd(KNOWN)].cmd;

	switch (rnd(10)) {
	case 0:	/* a known request with the wrong size */
		return _IOC(_IOC_DIR(cmd), PAROWN_IOC_MAGIC, _IOC_NR(cmd), rnd(64));
	case 1:	/* ... or the wrong direction */
		return _IOC(rnd(4), PAROWN_IOC_MAGIC, _IOC_NR(cmd), _IOC_SIZE(cmd));
	case 2:	/* any number of parown's type */
		return _IOC(rnd(4), PAROWN_IOC_MAGIC, rnd(64), rnd(80));
	case 3:	/* the neighbours' types */
		return _IOC(rnd(4), PAROWN_IOC_MAGIC - 1 + 2 * rnd(2), rnd(64), rnd(80));
	case 4:	/* ppdev's */
		return _IOC(rnd(4), 'p', 0x80 + rnd(32), rnd(16));
	case 5:
		return rnd64();
	default:
		return cmd;
	}
}

static void *random_arg(char *page, char *edge)
{
	switch (rnd(8)) {
	case 0:
		return NULL;
	case 1:
		return (void *)0x1000;			/* unmapped */
	case 2:
		return (void *)0xffff888000001000ull;	/* kernel */
	case 3:
		return (void *)0xffffffff81000000ull;	/* kernel text */
	case 4:
		return edge - rnd(16);			/* runs into a guard page */
	case 5:
		return (void *)rnd64();
	default:
		return page;
	}
}

/* Random bytes, but waits stay short and devices plausible. */
static void fill(char *page, unsigned int cmd)
{
	for (int i = 0; i < 96; i++)
		page[i] = rnd(256);
	if (cmd == PAROWN_ALLOCATE || cmd == PAROWN_LOCK_PORT ||
	    cmd == PAROWN_LOCK_PORT_NO_SELECT || cmd == PAROWN_SELECT_DEVICE) {
		struct parown_device *d = (void *)page;

		d->device = rnd(2) ? rnd(6) : d->device;
		d->flags = rnd(2) ? rnd(4) : d->flags;
		if (cmd == PAROWN_ALLOCATE) {
			((struct parown_allocate *)page)->timeout_ms = 1 + rnd(10);
			((struct parown_allocate *)page)->flags = rnd(4) ? 0 : rnd64();
		} else {
			d->timeout_ms = 1 + rnd(10);
			d->reserved = rnd(4) ? 0 : rnd64();
		}
	}
}

static void on_alarm(int sig)
{
	(void)sig;
}

static int fuzz(int id, long calls, long *bad, long *done, int *why)
{
	char *map = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *page = map, *edge;
	int fd[3];

	/* No SA_RESTART: an interrupted wait must come back. */
	struct sigaction sa = { .sa_handler = on_alarm };

	rng = 0x2545f4914f6cdd1dULL * (id + 1);
	mprotect(map + 4096, 4096, PROT_NONE);
	edge = map + 4096;
	sigaction(SIGALRM, &sa, NULL);
	for (int p = 0; p < 3; p++)
		fd[p] = po_open(p);

	for (long made = 0; made < calls; made++) {
		unsigned int cmd = random_cmd();
		int p = rnd(3), ret, k;

		/* Draw again: these never reach the driver. */
		while (vfs_handles(cmd))
			cmd = random_cmd();
		fill(page, cmd);
		/* A stray wait must not hang the fuzzer. */
		ualarm(200000, 0);
		ret = ioctl(fd[p], cmd, random_arg(page, edge)) < 0 ? errno : 0;
		ualarm(0, 0);
		__sync_fetch_and_add(done, 1);
		k = known_index(cmd);
		if (k < 0) {
			if (ret != ENOTTY) {
				__sync_fetch_and_add(bad, 1);
				why[0] = cmd;
				why[1] = ret;
			}
			continue;
		}
		if (ret && !is_allowed(k, ret)) {
			__sync_fetch_and_add(bad, 1);
			why[0] = cmd;
			why[1] = ret;
		}
		/* Give the port back now and then, so everyone gets it. */
		if (!rnd(4))
			po_free(fd[p]);
	}
	return 0;
}

int main(int argc, char **argv)
{
	long calls = argc > 1 ? atol(argv[1]) : 100000;
	long *bad = shared(2 * sizeof(long)), *done = bad + 1;
	int *why = shared(2 * sizeof(int));
	pid_t pids[FUZZERS];

	ksft_print_header();
	ksft_set_plan(2);
	if (sh("insmod /lib/modules/parown_sim.ko devices=3"))
		ksft_exit_fail_msg("cannot load parown_sim\n");
	for (int f = 0; f < FUZZERS; f++) {
		pids[f] = fork();
		if (pids[f] == 0)
			_exit(fuzz(f, calls / FUZZERS + 1, bad, done, why));
	}
	for (int f = 0; f < FUZZERS; f++)
		waitpid(pids[f], NULL, 0);
	sh("rmmod parown_sim");

	ksft_print_msg("fuzz calls: %ld by %d processes\n", *done, FUZZERS);
	ksft_print_msg("undocumented errnos: %ld\n", *bad);
	if (*bad)
		ksft_print_msg("e.g. ioctl %#x (%s) gave errno %d (%s)\n", why[0],
			       known_index(why[0]) < 0 ? "not parown's" :
			       allowed[known_index(why[0])].name, why[1], strerror(why[1]));
	ksft_test_result(*done >= calls, "at least %ld calls made\n", calls);
	ksft_test_result(*bad == 0, "each request only its documented errnos\n");
	ksft_finished();
}
