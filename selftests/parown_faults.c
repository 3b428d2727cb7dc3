// SPDX-License-Identifier: GPL-2.0
/*
 * parown under faults:
 * - SIGKILL of owners and waiters at random moments, 500 times;
 * - the ports going away and coming back (parport_pc and the simulated
 *   port unloaded and reloaded) under owners and waiters;
 * - allocation failures injected (failslab, /proc/self/fail-nth) into
 *   each of parown's allocations in open() and when a port appears;
 * then a kmemleak scan must find nothing of parown's, and parown must
 * unload cleanly. The kernel log is checked for reports by the runner.
 * On a kernel without failslab or kmemleak (Debian's own) those parts are
 * skipped, with the reason; the kills and removals still run.
 */
#include <linux/ppdev.h>
#include <signal.h>
#include <sys/syscall.h>

#include "kselftest.h"
#include "parown_test.h"

#define PORTS 3
#define KILLS 500
#define CYCLES 10

static int load_sim(void)
{
	return sh("insmod /lib/modules/parown_sim.ko devices=2");
}

/* Every port free, nobody waiting, and a new client can take it. */
static int ports_are_clean(void)
{
	int p, fd, ok = 1;

	for (p = 0; p < PORTS; p++) {
		fd = po_open(p);
		if (fd < 0 || po_flags(fd) != 0 || po_waiters(fd) != 0 || po_try(fd) ||
		    po_free(fd)) {
			ksft_print_msg("port %d is not clean after the faults\n", p);
			ok = 0;
		}
		close(fd);
	}
	return ok;
}

/* A victim: takes or waits for a port, in one of several ways, and stays. */
static void victim(unsigned int seed)
{
	int p = seed % PORTS, fd = po_open(p);

	switch ((seed / PORTS) % 4) {
	case 0:
		po_allocate(fd, 0);
		break;
	case 1:
		po_dev(fd, PAROWN_LOCK_PORT, p == 2 ? seed % 2 : 0,
		       p == 2 ? 0 : PAROWN_END_OF_CHAIN_DEVICE, 0);
		break;
	case 2:
		po_dev(fd, PAROWN_SELECT_DEVICE, 1, p == 2 ? 0 : PAROWN_END_OF_CHAIN_DEVICE, 0);
		break;
	default:
		if (!po_allocate(fd, 0))
			for (;;) {
				write(fd, "victim", 6);
				usleep(200);
			}
	}
	pause();
}

static int test_sigkill(void)
{
	pid_t alive[8] = { 0 };
	int i, slot;

	for (i = 0; i < KILLS; i++) {
		slot = i % 8;
		if (alive[slot]) {
			kill(alive[slot], SIGKILL);
			waitpid(alive[slot], NULL, 0);
		}
		alive[slot] = fork();
		if (alive[slot] == 0)
			victim(i * 2654435761u);
		usleep((i * 7919) % 4000);
	}
	for (slot = 0; slot < 8; slot++) {
		kill(alive[slot], SIGKILL);
		waitpid(alive[slot], NULL, 0);
	}
	ksft_print_msg("owners and waiters killed: %d\n", KILLS);
	return ports_are_clean();
}

/*
 * The simulated port unplugged under an owner and a waiter, then brought
 * back, while QEMU's ports, with an owner and a waiter each too, keep
 * parport_pc loaded and go on serving.
 */
static int test_removal_cycles(void)
{
	int *results = shared(PORTS * 2 * sizeof(int));
	int cycle, p, ok = 1;

	for (cycle = 0; cycle < CYCLES && ok; cycle++) {
		int owner[PORTS];
		pid_t waiter[PORTS];

		for (p = 0; p < PORTS; p++) {
			owner[p] = po_open(p);
			if (po_allocate(owner[p], 0))
				return 0;
			waiter[p] = fork();
			if (waiter[p] == 0) {
				int fd = po_open(p);

				results[p] = po_allocate(fd, 0);
				_exit(0);
			}
			if (wait_waiters(owner[p], 1))
				return 0;
		}
		if (!sh("rmmod parport_pc 2>/dev/null")) {
			ksft_print_msg("cycle %d: parport_pc unloaded under clients\n", cycle);
			return 0;
		}
		if (sim_unplug())
			return 0;
		for (p = 0; p < PORTS; p++) {
			int gone = p == SIM_PORT;
			int want = gone ? -ENODEV : 0;

			if (!gone && po_free(owner[p]))
				ok = 0;
			if (wait_exit(waiter[p], 5000) || results[p] != want ||
			    (gone && (po_free(owner[p]) != -ENODEV ||
				      po_allocate(owner[p], 0) != -ENODEV))) {
				ksft_print_msg("cycle %d port %d: not %s\n", cycle, p,
					       gone ? "ENODEV" : "handed over");
				ok = 0;
			}
			close(owner[p]);
		}
		if (sh("rmmod parown_sim") || load_sim())
			return 0;
		ok = ok && ports_are_clean();
	}
	ksft_print_msg("simulated port unplugged under clients and plugged back: %d times\n",
		       cycle);
	return ok;
}

/*
 * failslab counts and fails only allocations with parown's code on the
 * stack: between the first and the last page of parown's text, from its
 * symbols in /proc/kallsyms (/proc/modules gives the size of all of the
 * module's memory, which is not contiguous). And only in slab caches
 * other than kmemleak's own: kmemleak allocates for each object tracked,
 * with the same stack, and a failure there would turn kmemleak off.
 * @on 0 lifts the filters.
 */
static int only_parowns_allocations(int on)
{
	unsigned long long addr, start = ~0ull, end = 0;
	char line[512], sym[256], mod[64], cmd[512], type;
	FILE *f = fopen("/proc/kallsyms", "r");

	while (on && f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s %63s", &addr, &type, sym, mod) != 4 ||
		    strcmp(mod, "[parown]") || (type != 't' && type != 'T'))
			continue;
		if (addr < start)
			start = addr;
		if (addr > end)
			end = addr;
	}
	if (f)
		fclose(f);
	if (on && (!end || start > end))
		return -1;
	snprintf(cmd, sizeof(cmd),
		 "cd /sys/kernel/debug/failslab && echo %llu > require-start && "
		 "echo %llu > require-end && echo %s > cache-filter && "
		 "for c in /sys/kernel/slab/*; do case $c in *kmemleak*) ;; "
		 "*) echo %d > $c/failslab 2>/dev/null;; esac; done; true",
		 on ? start & ~0xfffull : 0, on ? (end | 0xfff) + 1 : ~0ull,
		 on ? "Y" : "N", on);
	return sh(cmd);
}

/*
 * Why allocation failures cannot be injected here (a skip reason), or
 * NULL if the kernel has everything the failslab tests use.
 */
static const char *no_failslab(void)
{
	if (access("/sys/kernel/debug/failslab", F_OK))
		return "kernel has no failslab (CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS)";
	if (access("/proc/thread-self/fail-nth", F_OK))
		return "kernel has no /proc/thread-self/fail-nth (CONFIG_FAULT_INJECTION)";
	if (access("/sys/kernel/debug/failslab/require-start", F_OK))
		return "kernel has no failslab stack-trace filter (CONFIG_FAULT_INJECTION_STACKTRACE_FILTER)";
	return NULL;
}

/* Arms /proc/thread-self/fail-nth: the @n-th allocation from now fails. */
static int arm(int n)
{
	char buf[16];
	int fd = open("/proc/thread-self/fail-nth", O_RDWR), len;

	len = snprintf(buf, sizeof(buf), "%d", n);
	if (fd < 0 || write(fd, buf, len) != len)
		ksft_exit_fail_msg("cannot arm fail-nth\n");
	return fd;
}

/* Disarms fail-nth; returns whether the failure was injected. */
static int injected(int fd)
{
	char buf[16] = "";

	pread(fd, buf, sizeof(buf) - 1, 0);
	write(fd, "0", 1);
	close(fd);
	return atoi(buf) == 0;
}

/* Each of parown's allocations in open(), failed in turn. */
static int test_failslab_open(long *faults)
{
	int p, n, fd, armed, ok = 1;

	for (p = 0; p < PORTS; p++) {
		for (n = 1; n < 1000; n++) {
			armed = arm(n);
			fd = po_open(p);
			if (!injected(armed)) {
				if (fd < 0) {
					ksft_print_msg("open of port %d failed uninjected\n", p);
					ok = 0;
				}
				close(fd);
				break;
			}
			++*faults;
			/*
			 * The first open of a port registers parown's
			 * pardevices, and the driver core does without some
			 * of its allocations (a uevent's, say): an open that
			 * succeeds anyway must give a working client.
			 */
			if (fd < 0 ? errno != ENOMEM : po_allocate(fd, 1000) || po_free(fd)) {
				ksft_print_msg("open of port %d, fault %d: fd %d errno %d\n",
					       p, n, fd, errno);
				ok = 0;
			}
			if (fd >= 0)
				close(fd);
		}
	}
	return ok && ports_are_clean();
}

/*
 * Each of parown's allocations when a port appears (loading the simulated
 * port makes parown attach to it), failed in turn: the port is then not
 * served, and nothing else changes.
 */
static int test_failslab_attach(long *faults)
{
	int n, ko, armed, loaded, served = 0, ok = 1;

	if (sh("rmmod parown_sim"))
		return 0;
	for (n = 1; n < 1000; n++) {
		ko = open("/lib/modules/parown_sim.ko", O_RDONLY);
		armed = arm(n);
		loaded = syscall(SYS_finit_module, ko, "devices=2", 0) == 0;
		close(ko);
		if (!injected(armed)) {
			served = loaded && access("/dev/parown2", F_OK) == 0;
			break;
		}
		++*faults;
		if (!loaded) {
			ksft_print_msg("fault %d: the simulated port did not load\n", n);
			return 0;
		}
		if (sh("rmmod parown_sim") || access("/dev/parown2", F_OK) == 0) {
			ksft_print_msg("fault %d: the port did not go cleanly\n", n);
			ok = 0;
		}
	}
	return ok && served && ports_are_clean();
}

/* kmemleak: anything unreferenced that parown allocated? */
static int test_no_leaks(void)
{
	char line[512];
	int leaks = 0, in_report = 0, ours = 0;
	FILE *f;

	/* Twice: kmemleak reports an object only after two scans see it. */
	sh("echo scan > /sys/kernel/debug/kmemleak; sleep 1; echo scan > /sys/kernel/debug/kmemleak");
	f = fopen("/sys/kernel/debug/kmemleak", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "unreferenced object")) {
			leaks += ours;
			in_report = 1;
			ours = 0;
		}
		if (in_report && strstr(line, "parown"))
			ours = 1;
	}
	leaks += ours;
	fclose(f);
	ksft_print_msg("leaks of parown's: %d\n", leaks);
	return leaks == 0;
}

/*
 * parown's pardevices come and go with its clients (each first open
 * registers them, each last close unregisters them) while ppdev claims and
 * releases the same port on the other CPU: every release walks the port's
 * devices without a lock and may call parown's wakeup just as it goes.
 * KASAN, lockdep and the kernel-report check of the run are the oracle;
 * both sides must also make progress.
 */
#define CHURN_MS 5000

static int test_pardevice_churn(void)
{
	long *rounds = shared(2 * sizeof(long));
	long long end = ms_now() + CHURN_MS;
	pid_t pid[2];
	int i, ok = 1;

	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		if (pid[i] == 0) {
			int pp = i ? open("/dev/parport1", O_RDWR) : -1;

			while (ms_now() < end) {
				if (i == 0) {
					int fd = po_open(1);

					if (fd < 0)
						_exit(1);
					po_try(fd);
					close(fd);
				} else if (ioctl(pp, PPCLAIM) || ioctl(pp, PPRELEASE)) {
					_exit(1);
				}
				rounds[i]++;
			}
			_exit(0);
		}
	}
	for (i = 0; i < 2; i++)
		if (wait_exit(pid[i], CHURN_MS + 30000) || rounds[i] == 0)
			ok = 0;
	ksft_print_msg("parown open/close rounds: %ld, ppdev claim/release rounds: %ld\n",
		       rounds[0], rounds[1]);
	return ok && ports_are_clean();
}

#define OPEN_FAULTS "failed allocations in open: ENOMEM, nothing broken"
#define ATTACH_FAULTS "failed allocations when a port appears: not served, nothing broken"
#define NO_LEAKS "kmemleak finds nothing of parown's"

int main(void)
{
	const char *no_fs = no_failslab();
	long open_faults = 0, attach_faults = 0;
	int fd;

	ksft_print_header();
	ksft_set_plan(7);
	/* Fail GFP_KERNEL allocations too, quietly. */
	if (!no_fs && sh("echo N > /sys/kernel/debug/failslab/ignore-gfp-wait && "
			 "echo 0 > /sys/kernel/debug/failslab/verbose"))
		ksft_exit_fail_msg("cannot set up failslab\n");
	if (load_sim())
		ksft_exit_fail_msg("cannot load parown_sim\n");
	signal(SIGPIPE, SIG_IGN);

	ksft_test_result(test_sigkill(), "SIGKILL of owners and waiters hands over\n");
	ksft_test_result(test_removal_cycles(),
			 "ports removed under owners and waiters: ENODEV, then work again\n");
	ksft_test_result(test_pardevice_churn(),
			 "pardevices come and go while ppdev releases the port\n");
	if (no_fs) {
		ksft_test_result_code(KSFT_SKIP, OPEN_FAULTS, "%s", no_fs);
		ksft_test_result_code(KSFT_SKIP, ATTACH_FAULTS, "%s", no_fs);
	} else {
		if (only_parowns_allocations(1))
			ksft_exit_fail_msg("cannot aim failslab at parown\n");
		ksft_test_result(test_failslab_open(&open_faults), OPEN_FAULTS "\n");
		ksft_print_msg("allocation failures injected into open: %ld\n", open_faults);
		ksft_test_result(test_failslab_attach(&attach_faults), ATTACH_FAULTS "\n");
		ksft_print_msg("allocation failures injected into attach: %ld\n",
			       attach_faults);
		only_parowns_allocations(0);
	}
	ksft_print_msg("faults injected: %d kills, %d removals, %ld allocation failures\n",
		       KILLS, CYCLES, open_faults + attach_faults);
	sh("rmmod parown_sim");
	if (access("/sys/kernel/debug/kmemleak", F_OK))
		ksft_test_result_code(KSFT_SKIP, NO_LEAKS, "%s",
				      "kernel has no kmemleak (CONFIG_DEBUG_KMEMLEAK)");
	else
		ksft_test_result(test_no_leaks(), NO_LEAKS "\n");

	/* And parown still unloads and loads cleanly. */
	fd = sh("rmmod parown && . /usr/lib/parown/lib.sh && vm_load_parown");
	ksft_test_result(fd == 0, "parown unloads cleanly after all this\n");
	ksft_finished();
}
