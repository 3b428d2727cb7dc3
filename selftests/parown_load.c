// SPDX-License-Identifier: GPL-2.0
/*
 * parown under load: eight processes send random requests (every request
 * of the ABI) to QEMU's two ports and the simulated daisy chain, with
 * random timeouts, while another process sends them signals.
 *
 * An independent checker outside the module watches two things:
 * - no two clients own a port at once: each client claims the port's slot
 *   in shared memory (compare-and-swap from free) after acquiring it and
 *   clears it before releasing it;
 * - no lost wake-up: a client waiting without a timeout records since when;
 *   the parent fails the run if a wait outlives any legitimate one (owners
 *   only hold for a bounded time, and only clients that own nothing wait
 *   without a timeout, so nobody waits in a cycle). And a timed wait that
 *   ends in ETIMEDOUT although, for the whole wait, nobody else owned the
 *   port or asked for it is a lost wake-up too (see struct usage).
 * Every reply must be a documented errno for its request, and a client's
 * idea of what it owns must match GET_PORT_INFO. Meanwhile the parent
 * reads each port's live state (debugfs parown/parportN) and checks that
 * it holds together: as many waiter lines as it says, each complete, no
 * client both owner and waiter or waiting twice, and only the workers'
 * processes named.
 *
 * usage: parown_load [REQUESTS_PER_PROCESS]   (default 10000)
 */
#include <signal.h>

#include "kselftest.h"
#include "parown_test.h"

#define WORKERS 8
#define PORTS 3			/* parport0, parport1, the simulated parport2 */
#define LOST_WAKEUP_MS 30000

enum req {
	R_ALLOCATE, R_TRY, R_FREE, R_WAITERS, R_INFO, R_WRITE, R_LOCK,
	R_LOCK_NO_SELECT, R_UNLOCK, R_UNLOCK_NO_DESELECT, R_SELECT,
	R_DESELECT, R_INIT_BUS, R_COUNT
};

static const char * const req_name[R_COUNT] = {
	"ALLOCATE", "TRY_ALLOCATE", "FREE", "QUERY_WAITERS", "GET_PORT_INFO",
	"write", "LOCK_PORT", "LOCK_PORT_NO_SELECT", "UNLOCK_PORT",
	"UNLOCK_PORT_NO_DESELECT", "SELECT_DEVICE", "DESELECT_DEVICE",
	"INIT_1284_3_BUS",
};

/* The errnos each request may return under this load (0: success). */
static const int allowed[R_COUNT][12] = {
	[R_ALLOCATE] = { EDEADLK, ETIMEDOUT, EINTR },
	[R_TRY] = { EAGAIN, EDEADLK },
	[R_FREE] = { EPERM },
	[R_WAITERS] = { 0 },
	[R_INFO] = { 0 },
	[R_WRITE] = { EPERM, EINTR },
	[R_LOCK] = { EDEADLK, ETIMEDOUT, EINTR, EINVAL, ENXIO },
	[R_LOCK_NO_SELECT] = { EDEADLK, ETIMEDOUT, EINTR, EINVAL, ENXIO },
	[R_UNLOCK] = { EPERM, EINVAL, ENXIO },
	[R_UNLOCK_NO_DESELECT] = { EPERM, EINVAL, ENXIO },
	[R_SELECT] = { EDEADLK, ETIMEDOUT, EINTR, EINVAL, ENXIO, EPERM },
	[R_DESELECT] = { EPERM, EINVAL, ENXIO },
	[R_INIT_BUS] = { EINTR },
};

/*
 * Who may own or wait for a port, as one word per port: the number of
 * clients that may (low 16 bits) and a count of changes (the rest). A
 * worker counts itself in before any request that may take the port or
 * wait for it, and out only after a request returned, once it owns the
 * port no more both by its own account and by GET_PORT_INFO's. So the
 * module's owners and waiters are always among those counted. If the word
 * was the same before and after a worker's timed wait, and counted the
 * worker alone, nobody else owned or wanted the port during the whole
 * wait: the module had no reason to let it time out.
 */
#define USAGE_ONE	((1ULL << 16) + 1)	/* one more client, one change */
#define USAGE_LESS	((1ULL << 16) - 1)	/* one client less, one change */
#define USAGE_COUNT(u)	((u) & 0xffff)

struct board {
	/* The checker: who holds each port (worker + 1), 0 when free. */
	int slot[PORTS];
	unsigned long long usage[PORTS];
	/* When each worker began an unlimited wait (ms), 0 if not waiting. */
	long long waiting_since[WORKERS];
	long ops[R_COUNT];
	long failures[R_COUNT];
	long violations;	/* two owners at once, or a wrong view */
	long bad_errno;
	long eintr;
	long signals;
	long timed_alone;	/* timed waits with the port to themselves */
	long timed_lost;	/* ... that timed out */
	int done;
	char why[256];
};

static struct board *b;
static int me;			/* worker index */
static unsigned long long rng;

static unsigned int rnd(unsigned int n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng % n;
}

static void on_signal(int sig)
{
	(void)sig;
}

static void complain(const char *fmt, int a, int c)
{
	__sync_fetch_and_add(&b->violations, 1);
	snprintf(b->why, sizeof(b->why), fmt, a, c);
}

static int is_allowed(enum req r, int ret)
{
	int i;

	if (ret >= 0)
		return 1;
	for (i = 0; i < 12 && allowed[r][i]; i++)
		if (-ret == allowed[r][i])
			return 1;
	return 0;
}

/* The checker's side of acquiring and releasing port @p. */
static void took(int p)
{
	if (!__sync_bool_compare_and_swap(&b->slot[p], 0, me + 1))
		complain("port %d taken while worker %d held it", p, b->slot[p] - 1);
}

static void letting_go(int p)
{
	if (!__sync_bool_compare_and_swap(&b->slot[p], me + 1, 0))
		complain("port %d: slot held by worker %d, not me", p, b->slot[p] - 1);
}

/* Whether @r may take the port or wait for it. */
static int may_acquire(enum req r, __u32 flags)
{
	return r == R_ALLOCATE || r == R_TRY || r == R_LOCK ||
	       r == R_LOCK_NO_SELECT || r == R_INIT_BUS ||
	       (r == R_SELECT && !(flags & PAROWN_HAVE_PORT_KEEP_PORT));
}

/* Whether @r waits for the port with a timeout (if @timeout is not 0). */
static int timed_wait(enum req r, __u32 flags)
{
	return r == R_ALLOCATE || r == R_LOCK || r == R_LOCK_NO_SELECT ||
	       (r == R_SELECT && !(flags & PAROWN_HAVE_PORT_KEEP_PORT));
}

static int worker(int requests)
{
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */
	int fd[PORTS], owns[PORTS] = { 0 };
	int locked[PORTS] = { -1, -1, -1 };	/* device the owner locked, or -1 */
	int counted[PORTS] = { 0 };		/* counted in b->usage[] */
	int i, p;

	sigaction(SIGUSR1, &sa, NULL);
	rng = 0x9e3779b97f4a7c15ULL * (me + 1);
	for (p = 0; p < PORTS; p++) {
		fd[p] = po_open(p);
		if (fd[p] < 0)
			return 1;
	}

	for (i = 0; i < requests && !b->done; i++) {
		enum req r = rnd(R_COUNT);
		int own_any = owns[0] || owns[1] || owns[2];
		/* Only a client that owns nothing may wait without limit. */
		unsigned int timeout = !own_any && !rnd(4) ? 0 : 1 + rnd(30);
		__u32 dev = rnd(6) == 0 ? 0 : rnd(5);
		__u32 flags = rnd(4) == 0 ? PAROWN_END_OF_CHAIN_DEVICE : 0;
		int ret = 0, acquires = 0, releases = 0;
		unsigned long long before = 0;
		struct parown_port_info info;

		p = rnd(PORTS);
		if (r == R_INIT_BUS && p != 2)
			r = R_INFO;
		/* The sim has 3 devices; QEMU's ports none. */
		if (p != 2 && !flags && rnd(2))
			flags = PAROWN_END_OF_CHAIN_DEVICE;
		if ((r == R_SELECT || r == R_DESELECT) && rnd(2))
			flags |= PAROWN_HAVE_PORT_KEEP_PORT;

		/* The checker lets go before the request that releases. */
		if (owns[p] && (r == R_FREE ||
				((r == R_UNLOCK || r == R_UNLOCK_NO_DESELECT) && locked[p] >= 0 &&
				 (flags ? locked[p] == 4 : (int)dev == locked[p])) ||
				(r == R_DESELECT && !(flags & PAROWN_HAVE_PORT_KEEP_PORT)))) {
			letting_go(p);
			releases = 1;
		}
		if (may_acquire(r, flags) && !counted[p]) {
			__atomic_add_fetch(&b->usage[p], USAGE_ONE, __ATOMIC_SEQ_CST);
			counted[p] = 1;
		}
		if (counted[p])
			before = __atomic_load_n(&b->usage[p], __ATOMIC_SEQ_CST);
		if (timeout == 0)
			b->waiting_since[me] = ms_now();

		switch (r) {
		case R_ALLOCATE:
			ret = po_allocate(fd[p], timeout);
			acquires = 1;
			break;
		case R_TRY:
			ret = po_try(fd[p]);
			acquires = 1;
			break;
		case R_FREE:
			ret = po_free(fd[p]);
			break;
		case R_WAITERS:
			ret = po_waiters(fd[p]);
			break;
		case R_INFO:
			ret = po_info(fd[p], &info);
			break;
		case R_WRITE:
			ret = write(fd[p], "load", 4) < 0 ? -errno : 0;
			break;
		case R_LOCK:
			ret = po_dev(fd[p], PAROWN_LOCK_PORT, dev, flags, timeout);
			acquires = 1;
			break;
		case R_LOCK_NO_SELECT:
			ret = po_dev(fd[p], PAROWN_LOCK_PORT_NO_SELECT, dev, flags, timeout);
			acquires = 1;
			break;
		case R_UNLOCK:
			ret = po_dev(fd[p], PAROWN_UNLOCK_PORT, dev, flags, 0);
			break;
		case R_UNLOCK_NO_DESELECT:
			ret = po_dev(fd[p], PAROWN_UNLOCK_PORT_NO_DESELECT, dev, flags, 0);
			break;
		case R_SELECT:
			acquires = !(flags & PAROWN_HAVE_PORT_KEEP_PORT);
			ret = po_dev(fd[p], PAROWN_SELECT_DEVICE, dev, flags, timeout);
			break;
		case R_DESELECT:
			ret = po_dev(fd[p], PAROWN_DESELECT_DEVICE, dev, flags, 0);
			break;
		case R_INIT_BUS:
			ret = po_init_bus(fd[p]);
			break;
		default:
			break;
		}
		b->waiting_since[me] = 0;
		if (timed_wait(r, flags) && timeout && counted[p] &&
		    USAGE_COUNT(before) == 1 &&
		    __atomic_load_n(&b->usage[p], __ATOMIC_SEQ_CST) == before) {
			__sync_fetch_and_add(&b->timed_alone, 1);
			if (ret == -ETIMEDOUT) {
				__sync_fetch_and_add(&b->timed_lost, 1);
				snprintf(b->why, sizeof(b->why),
					 "%s on port %d timed out after %u ms, nobody else using it",
					 req_name[r], p, timeout);
			}
		}
		__sync_fetch_and_add(&b->ops[r], 1);
		if (ret < 0)
			__sync_fetch_and_add(&b->failures[r], 1);
		if (ret == -EINTR)
			__sync_fetch_and_add(&b->eintr, 1);
		if (!is_allowed(r, ret)) {
			__sync_fetch_and_add(&b->bad_errno, 1);
			snprintf(b->why, sizeof(b->why), "%s on port %d: errno %d",
				 req_name[r], p, -ret);
		}

		if (acquires && ret == 0 && !owns[p]) {
			owns[p] = 1;
			took(p);
		}
		if (ret == 0 && (r == R_LOCK || r == R_LOCK_NO_SELECT ||
				 (r == R_SELECT && owns[p])))
			locked[p] = flags & PAROWN_END_OF_CHAIN_DEVICE ? 4 : (int)dev;
		if (releases) {
			if (ret == 0) {
				owns[p] = 0;
				locked[p] = -1;
			} else {
				took(p);	/* it failed: still ours */
			}
		} else if (ret == 0 && (r == R_DESELECT)) {
			locked[p] = -1;
		}

		/* Count out once we own the port no more, by both views. */
		if (counted[p] && !owns[p]) {
			int f = po_flags(fd[p]);

			if (f < 0 || (f & PAROWN_PORT_OWNED_BY_ME)) {
				complain("port %d: GET_PORT_INFO disagrees (flags %d)", p, f);
			} else {
				__atomic_add_fetch(&b->usage[p], USAGE_LESS, __ATOMIC_SEQ_CST);
				counted[p] = 0;
			}
		}

		/* The module's view must be ours. */
		if (!rnd(8)) {
			int f = po_flags(fd[p]);

			if (f < 0 || !!(f & PAROWN_PORT_OWNED_BY_ME) != owns[p])
				complain("port %d: GET_PORT_INFO disagrees (flags %d)", p, f);
		}
		/* Owners hold a little, to make others queue. */
		if (owns[p] && !rnd(4))
			usleep(rnd(1500));
	}
	for (p = 0; p < PORTS; p++) {
		if (owns[p])
			letting_go(p);
		close(fd[p]);
		if (counted[p])
			__atomic_add_fetch(&b->usage[p], USAGE_LESS, __ATOMIC_SEQ_CST);
	}
	return 0;
}

/*
 * Whether the live view of port @port holds together (see the top); its
 * problem into @why otherwise. The workers are @pids.
 */
static int view_consistent(int port, const pid_t *pids, char *why, size_t len)
{
	static char view[16384];
	long long seen[WORKERS + 1];
	int n = 0, lines = 0, said = -1, fd, w, i;
	char path[64], *p, *end;
	ssize_t got;
	size_t used = 0;

	snprintf(path, sizeof(path), "/sys/kernel/debug/parown/parport%d", port);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		snprintf(why, len, "port %d: no live view (%s)", port, strerror(errno));
		return 0;
	}
	while (used + 1 < sizeof(view) && (got = read(fd, view + used, sizeof(view) - used - 1)) > 0)
		used += got;
	close(fd);
	view[used] = 0;
	for (p = view; *p; p = end + 1) {
		int is_owner = !strncmp(p, "owner: client=", 14);
		int is_waiter = !strncmp(p, "waiter: ", 8);
		long long client, pid;
		char *q;

		end = strchr(p, '\n');
		if (!end)
			break;
		*end = 0;
		if (!strncmp(p, "waiters: ", 9))
			said = atoi(p + 9);
		if (is_waiter)
			lines++;
		if (is_waiter && (!strstr(p, " asked=") || !strstr(p, " waited_ms=") ||
				  !strstr(p, " timeout_ms="))) {
			snprintf(why, len, "port %d: incomplete: %.200s", port, p);
			return 0;
		}
		if (!is_owner && !is_waiter)
			continue;
		q = strstr(p, "client=");
		client = q ? atoll(q + 7) : -1;
		q = strstr(p, " pid=");
		pid = q ? atoll(q + 5) : -1;
		for (w = 0; w < WORKERS && pids[w] != pid; w++)
			;
		if (client <= 0 || w == WORKERS || !strstr(p, " comm=parown_load")) {
			snprintf(why, len, "port %d: not a worker's client: %.200s", port, p);
			return 0;
		}
		for (i = 0; i < n; i++) {
			if (seen[i] == client) {
				snprintf(why, len, "port %d: client %lld twice", port, client);
				return 0;
			}
		}
		if (n <= WORKERS)
			seen[n++] = client;
	}
	if (said < 0 || said != lines) {
		snprintf(why, len, "port %d: says %d waiters, lists %d", port, said, lines);
		return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	int requests = argc > 1 ? atoi(argv[1]) : 10000;
	pid_t pids[WORKERS], signaller;
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */
	long total = 0, fail = 0, views = 0;
	int w, r, status, stuck = 0, torn = 0;
	char why[512] = "";

	ksft_print_header();
	ksft_set_plan(5);
	if (sh("insmod /lib/modules/parown_sim.ko devices=3"))
		ksft_exit_fail_msg("cannot load parown_sim\n");
	b = shared(sizeof(*b));
	/*
	 * The workers inherit the handler: a signal that arrives before a
	 * worker ran its first line must not kill it.
	 */
	sigaction(SIGUSR1, &sa, NULL);

	for (w = 0; w < WORKERS; w++) {
		pids[w] = fork();
		if (pids[w] == 0) {
			me = w;
			_exit(worker(requests));
		}
	}
	signaller = fork();
	if (signaller == 0) {
		rng = 42;
		while (!b->done) {
			usleep(500 + rnd(3000));
			kill(pids[rnd(WORKERS)], SIGUSR1);
			__sync_fetch_and_add(&b->signals, 1);
		}
		_exit(0);
	}

	/* Watch for lost wake-ups until the workers are done. */
	for (w = 0; w < WORKERS;) {
		pid_t pid = waitpid(-1, &status, WNOHANG);

		if (pid > 0 && pid != signaller) {
			if (!WIFEXITED(status) || WEXITSTATUS(status))
				ksft_print_msg("worker %d ended badly (status %#x)\n", pid, status);
			w++;
			continue;
		}
		for (r = 0; r < WORKERS; r++) {
			long long since = b->waiting_since[r];

			if (since && ms_now() - since > LOST_WAKEUP_MS && !stuck) {
				ksft_print_msg("worker %d waited %lld ms: lost wake-up\n",
					       r, ms_now() - since);
				stuck = 1;
				b->done = 1;
				for (w = 0; w < WORKERS; w++)
					kill(pids[w], SIGKILL);
			}
		}
		for (r = 0; r < PORTS && !torn; r++, views++)
			torn = !view_consistent(r, pids, why, sizeof(why));
		usleep(20000);
	}
	b->done = 1;
	waitpid(signaller, NULL, 0);

	for (r = 0; r < R_COUNT; r++) {
		ksft_print_msg("%-24s %7ld requests, %7ld refused\n", req_name[r],
			       b->ops[r], b->failures[r]);
		total += b->ops[r];
		fail += b->failures[r];
	}
	ksft_print_msg("operations run: %ld by %d processes (%ld refused, %ld by EINTR)\n",
		       total, WORKERS, fail, b->eintr);
	ksft_print_msg("signals sent: %ld\n", b->signals);
	ksft_print_msg("owner-invariant violations: %ld%s%s\n", b->violations,
		       b->violations ? ": " : "", b->violations ? b->why : "");
	ksft_print_msg("undocumented errnos: %ld%s%s\n", b->bad_errno,
		       b->bad_errno ? ": " : "", b->bad_errno ? b->why : "");
	ksft_print_msg("lost wake-ups: %d untimed, %ld timed (of %ld timed waits alone on a port)%s%s\n",
		       stuck, b->timed_lost, b->timed_alone,
		       b->timed_lost ? ": " : "", b->timed_lost ? b->why : "");

	ksft_test_result(total >= (long)WORKERS * requests, "every request ran (%ld)\n", total);
	ksft_test_result(b->violations == 0, "never two owners, and the module agrees\n");
	ksft_test_result(b->bad_errno == 0, "only documented errnos\n");
	ksft_test_result(!stuck && b->timed_lost == 0, "no lost wake-up\n");
	if (torn)
		ksft_print_msg("live view: %s\n", why);
	ksft_test_result(!torn, "the live view holds together (%ld reads)\n", views);
	sh("rmmod parown_sim");
	ksft_finished();
}
