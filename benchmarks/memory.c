// SPDX-License-Identifier: GPL-2.0
/*
 * parown_bench, part 7: kernel memory per open client and per waiter.
 *
 * Per client: the kernel's slab memory in use before and after opening
 * CLIENTS files of /dev/parown0, less the same for CLIENTS files of
 * /dev/null (the file itself is not parown's), in interleaved rounds;
 * every file stays open until the end, so that no round reuses what an
 * earlier one freed. Per waiter: CLIENTS threads, each with its own open
 * client, all blocked in a pipe, then either all waiting in ALLOCATE or
 * all blocked in a second pipe; the difference is what waiting costs.
 *
 * Slab memory in use is counted two ways: the objects in use in every
 * slab cache (SLUB's sysfs, per-CPU caches flushed first: object
 * granularity), and /proc/meminfo's SUnreclaim (slab pages).
 */
#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <sys/resource.h>

#include "bench.h"

#define CLIENTS 1000
#define SLAB_DIR "/sys/kernel/slab"

struct usage {
	long long objects;	/* bytes of slab objects in use, -1 if unknown */
	long long sunreclaim;	/* bytes */
};

static long long read_number(const char *dir, const char *name)
{
	char path[320];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static long long meminfo(const char *key)
{
	char line[128];
	long long kb = -1;
	size_t len = strlen(key);
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		die("/proc/meminfo");
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':')
			kb = atoll(line + len + 1);
	fclose(f);
	return kb * 1024;
}

/* Calls @fn with every slab cache's directory (not the aliases). */
static void for_each_cache(void (*fn)(const char *dir, long long *sum), long long *sum)
{
	DIR *d = opendir(SLAB_DIR);
	struct dirent *e;
	char path[300];
	struct stat st;

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), SLAB_DIR "/%s", e->d_name);
		if (lstat(path, &st) || !S_ISDIR(st.st_mode))
			continue;
		fn(path, sum);
	}
	closedir(d);
}

static void shrink(const char *dir, long long *sum)
{
	char path[320];
	int fd;

	snprintf(path, sizeof(path), "%s/shrink", dir);
	fd = open(path, O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "1", 1) != 1)
			*sum = -1;
		close(fd);
	}
}

static void add_objects(const char *dir, long long *sum)
{
	long long objects = read_number(dir, "objects");
	long long size = read_number(dir, "slab_size");

	if (objects < 0 || size < 0 || *sum < 0)
		*sum = -1;
	else
		*sum += objects * size;
}

static struct usage usage(void)
{
	struct usage u = { 0, 0 };
	long long ignored = 0;

	for_each_cache(shrink, &ignored);
	for_each_cache(add_objects, &u.objects);
	u.sunreclaim = meminfo("SUnreclaim");
	return u;
}

/* Entries of /sys/bus/parport/devices that are pardevices (not ports). */
static int pardevices(void)
{
	DIR *d = opendir("/sys/bus/parport/devices");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && strncmp(e->d_name, "parport", 7))
			n++;
	closedir(d);
	return n;
}

static void open_many(int *fds, const char *path)
{
	for (int i = 0; i < CLIENTS; i++) {
		fds[i] = open(path, O_RDWR);
		if (fds[i] < 0)
			die(path);
	}
}

/* The per-waiter part: threads in a pipe, then in ALLOCATE or a pipe. */
static int stage1[2], stage2[2];
static int ready1, ready2;
static bool allocate;

static void *waiter(void *arg)
{
	int fd = po_open(0);
	char c;

	if (fd < 0)
		die("/dev/parown0 (a waiter)");
	__atomic_fetch_add(&ready1, 1, __ATOMIC_SEQ_CST);
	if (read(stage1[0], &c, 1) != 1)
		die("waiter: read");
	__atomic_fetch_add(&ready2, 1, __ATOMIC_SEQ_CST);
	if (allocate) {
		if (po_allocate(fd, 0) || po_free(fd))
			die("waiter: ALLOCATE/FREE");
	} else if (read(stage2[0], &c, 1) != 1) {
		die("waiter: read");
	}
	close(fd);
	return NULL;
}

static void wait_count(int *count, int n)
{
	while (__atomic_load_n(count, __ATOMIC_SEQ_CST) < n)
		sleep_ms(10);
}

static void write_bytes(int fd, int n)
{
	char buf[CLIENTS] = {};

	if (write(fd, buf, n) != n)
		die("write to a pipe");
}

/* What @CLIENTS threads cost, waiting in ALLOCATE or in a pipe. */
static struct usage waiters(bool in_allocate)
{
	static pthread_t threads[CLIENTS];
	struct usage before, after, d;
	pthread_attr_t attr;
	int owner = po_open(0);

	if (owner < 0 || po_allocate(owner, 0))
		die("the owner of the waiters' port");
	if (pipe(stage1) || pipe(stage2))
		die("pipe");
	allocate = in_allocate;
	ready1 = ready2 = 0;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (int i = 0; i < CLIENTS; i++)
		if (pthread_create(&threads[i], &attr, waiter, NULL))
			die("pthread_create");
	wait_count(&ready1, CLIENTS);
	sleep_ms(300);
	before = usage();
	write_bytes(stage1[1], CLIENTS);
	wait_count(&ready2, CLIENTS);
	if (in_allocate && wait_waiters(owner, CLIENTS))
		broke("%d clients do not all wait in ALLOCATE (%d do)", CLIENTS, po_waiters(owner));
	sleep_ms(300);
	after = usage();
	d.objects = after.objects - before.objects;
	d.sunreclaim = after.sunreclaim - before.sunreclaim;
	if (!in_allocate)
		write_bytes(stage2[1], CLIENTS);
	if (po_free(owner))
		die("the owner's FREE");
	for (int i = 0; i < CLIENTS; i++)
		pthread_join(threads[i], NULL);
	close(owner);
	for (int i = 0; i < 2; i++) {
		close(stage1[i]);
		close(stage2[i]);
	}
	pthread_attr_destroy(&attr);
	return d;
}

static void memory_row(const char *measure, const struct series *s, const char *what)
{
	double per = series_median(s);

	row(measure, fmt("%.0f B (%s)", per, what), "/dev/null open or pipe wait",
	    NAN, "<= 256 B", per <= 256 ? MET : NOT_MET);
}

void bench_memory(int rounds)
{
	struct series client_obj = {}, client_su = {}, wait_obj = {}, wait_su = {};
	struct rlimit rl = { 4 * CLIENTS * (rounds + 2), 4 * CLIENTS * (rounds + 2) };
	int *fds = calloc(2 * rounds * CLIENTS, sizeof(*fds));
	int devices_before, devices_during, have_objects, first;

	printf("# 7. kernel memory: %d clients, %d rounds\n", CLIENTS, rounds);
	fflush(stdout);
	if (!fds || setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit/calloc");
	/* Grow the file table once, outside the measurements. */
	if (dup2(0, rl.rlim_cur - 1) < 0)
		die("dup2");
	close(rl.rlim_cur - 1);
	/* parown is on the port (one pardevice) while it has a client. */
	first = po_open(0);
	if (first < 0)
		die("/dev/parown0");
	devices_before = pardevices();
	have_objects = usage().objects >= 0;

	for (int r = 0; r < rounds; r++) {
		long long d_obj[2], d_su[2];

		for (int i = 0; i < 2; i++) {
			int v = (i + r) % 2;	/* 0: parown, 1: null */
			struct usage before = usage(), after;

			open_many(fds + (2 * r + v) * CLIENTS, v ? "/dev/null" : "/dev/parown0");
			after = usage();
			d_obj[v] = after.objects - before.objects;
			d_su[v] = after.sunreclaim - before.sunreclaim;
		}
		series_add(&client_obj, (double)(d_obj[0] - d_obj[1]) / CLIENTS);
		series_add(&client_su, (double)(d_su[0] - d_su[1]) / CLIENTS);
		printf("#   round %d: %d opens: parown0 %+lld B, null %+lld B objects; "
		       "parown0 %+lld B, null %+lld B SUnreclaim\n",
		       r, CLIENTS, d_obj[0], d_obj[1], d_su[0], d_su[1]);
	}
	devices_during = pardevices();
	for (int i = 0; i < 2 * rounds * CLIENTS; i++)
		close(fds[i]);
	close(first);
	free(fds);

	for (int r = 0; r < rounds; r++) {
		struct usage d[2];

		for (int i = 0; i < 2; i++) {
			int v = (i + r) % 2;	/* 0: ALLOCATE, 1: pipe */

			d[v] = waiters(!v);
		}
		series_add(&wait_obj, (double)(d[0].objects - d[1].objects) / CLIENTS);
		series_add(&wait_su, (double)(d[0].sunreclaim - d[1].sunreclaim) / CLIENTS);
		printf("#   round %d: %d waiters: ALLOCATE %+lld B, pipe %+lld B objects; "
		       "ALLOCATE %+lld B, pipe %+lld B SUnreclaim\n", r, CLIENTS,
		       d[0].objects, d[1].objects, d[0].sunreclaim, d[1].sunreclaim);
	}

	printf("#   per client, slab objects: %s B\n", spread(&client_obj, 1, "%.0f"));
	printf("#   per client, SUnreclaim:   %s B\n", spread(&client_su, 1, "%.0f"));
	printf("#   per waiter, slab objects: %s B\n", spread(&wait_obj, 1, "%.0f"));
	printf("#   per waiter, SUnreclaim:   %s B\n", spread(&wait_su, 1, "%.0f"));
	printf("#   pardevices on the bus: %d with 1 client open, %d with %d\n",
	       devices_before, devices_during, rounds * CLIENTS + 1);
	if (have_objects) {
		memory_row("7. kernel memory per open client", &client_obj, "slab objects");
		memory_row("7. kernel memory per waiter", &wait_obj, "slab objects");
	}
	memory_row("7. kernel memory per open client", &client_su, "SUnreclaim");
	memory_row("7. kernel memory per waiter", &wait_su, "SUnreclaim");
	row("7. pardevices per open client", fmt("%+d for %d more clients",
						 devices_during - devices_before,
						 rounds * CLIENTS),
	    "-", NAN, "0", devices_during == devices_before ? MET : NOT_MET);
}
