/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for parown's selftests in the test VM: the ioctls as functions
 * returning 0 or -errno, waiting for a queue length, and the wire views
 * (/tmp/wireN hold every byte that left QEMU's parallel port N).
 */
#ifndef PAROWN_TEST_H
#define PAROWN_TEST_H

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <linux/parown.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static inline int po_open(int port)
{
	char path[32];

	snprintf(path, sizeof(path), "/dev/parown%d", port);
	return open(path, O_RDWR);
}

static inline int po_ret(int r)
{
	return r < 0 ? -errno : r;
}

static inline int po_allocate(int fd, unsigned int timeout_ms)
{
	struct parown_allocate a = { .timeout_ms = timeout_ms };

	return po_ret(ioctl(fd, PAROWN_ALLOCATE, &a));
}

static inline int po_try(int fd)
{
	return po_ret(ioctl(fd, PAROWN_TRY_ALLOCATE));
}

static inline int po_free(int fd)
{
	return po_ret(ioctl(fd, PAROWN_FREE));
}

/* The number of waiters, or -errno. */
static inline int po_waiters(int fd)
{
	__u32 n;
	int r = ioctl(fd, PAROWN_QUERY_WAITERS, &n);

	return r < 0 ? -errno : (int)n;
}

static inline int po_info(int fd, struct parown_port_info *info)
{
	memset(info, 0xff, sizeof(*info));
	return po_ret(ioctl(fd, PAROWN_GET_PORT_INFO, info));
}

/* PAROWN_PORT_* flags, or -errno. */
static inline int po_flags(int fd)
{
	struct parown_port_info info;
	int r = po_info(fd, &info);

	return r < 0 ? r : (int)info.flags;
}

static inline long long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Wait (up to 10 s) until the port has @n waiters; returns 0 or -1. */
static inline int wait_waiters(int fd, int n)
{
	long long end = ms_now() + 10000;

	while (po_waiters(fd) != n) {
		if (ms_now() > end)
			return -1;
		usleep(2000);
	}
	return 0;
}

/* Wait (up to 10 s) until GET_PORT_INFO gives @flags; returns 0 or -1. */
static inline int wait_flags(int fd, int flags)
{
	long long end = ms_now() + 10000;

	while (po_flags(fd) != flags) {
		if (ms_now() > end)
			return -1;
		usleep(2000);
	}
	return 0;
}

/* Memory shared with forked children. */
static inline void *shared(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	memset(p, 0, size);
	return p;
}

/* Children of the current test, killed by reap_children(). */
static pid_t test_children[32];
static int test_nchildren;

/*
 * fork() for tests: the child closes every file it inherited (so that a
 * parent's close() really releases its client) and the parent records it
 * for reap_children(). Returns like fork().
 */
static inline pid_t spawn(void)
{
	pid_t pid = fork();
	int fd;

	if (pid == 0) {
		for (fd = 3; fd < 256; fd++)
			close(fd);
	} else if (pid > 0 && test_nchildren < 32) {
		test_children[test_nchildren++] = pid;
	}
	return pid;
}

/* Kill and reap whatever children a test left behind. */
static inline void reap_children(void)
{
	while (test_nchildren > 0) {
		pid_t pid = test_children[--test_nchildren];

		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

/* Exit status of @pid, or -1 if it did not exit normally in @ms. */
static inline int wait_exit(pid_t pid, int ms)
{
	long long end = ms_now() + ms;
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		if (r < 0 || ms_now() > end)
			return -1;
		usleep(2000);
	}
}

/* 0 if @pid was killed by a signal within @ms, -1 otherwise. */
static inline int wait_killed(pid_t pid, int ms)
{
	long long end = ms_now() + ms;
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return WIFSIGNALED(status) ? 0 : -1;
		if (r < 0 || ms_now() > end)
			return -1;
		usleep(2000);
	}
}

/* Whether @pid is still running after @ms. */
static inline int still_running(pid_t pid, int ms)
{
	usleep(ms * 1000);
	return waitpid(pid, NULL, WNOHANG) == 0;
}

static inline long wire_mark(int n)
{
	char path[32];
	struct stat st;

	snprintf(path, sizeof(path), "/tmp/wire%d", n);
	return stat(path, &st) ? -1 : (long)st.st_size;
}

/*
 * Wait (up to @ms) until wire @n has seen @len bytes since @mark, then
 * 200 ms more, and read what it saw since @mark into @buf (at most @len
 * bytes). Returns the number of bytes the wire has seen since @mark (more
 * than @len if it saw too many), or -1.
 */
static inline long wire_read(int n, long mark, void *buf, size_t len, int ms)
{
	long long end = ms_now() + ms;
	char path[32];
	long have;
	size_t got;
	FILE *f;

	while ((have = wire_mark(n)) < mark + (long)len && ms_now() < end)
		usleep(10000);
	usleep(200000);
	have = wire_mark(n);
	snprintf(path, sizeof(path), "/tmp/wire%d", n);
	f = fopen(path, "rb");
	if (have < mark || !f || fseek(f, mark, SEEK_SET)) {
		if (f)
			fclose(f);
		return -1;
	}
	got = fread(buf, 1, len, f);
	fclose(f);
	return got < len && have - mark >= (long)len ? -1 : have - mark;
}

/*
 * Wait until wire @n has seen exactly @len bytes since @mark, equal to
 * @data, and nothing more (checked 200 ms after they arrived). Returns 0,
 * or -1 with a diagnostic on stderr.
 */
static inline int wire_expect(int n, long mark, const void *data, size_t len)
{
	char *got = malloc(len + 1);
	long have = got ? wire_read(n, mark, got, len, 10000) : -1;
	int ret = -1;

	if (have != (long)len)
		fprintf(stderr, "# wire%d: %ld bytes since mark, expected %zu\n",
			n, have, len);
	else if (memcmp(got, data, len))
		fprintf(stderr, "# wire%d: bytes differ\n", n);
	else
		ret = 0;
	free(got);
	return ret;
}

/*
 * Wait (up to 10 s) until wire @n has not grown for 500 ms, so that the
 * next test's wire_mark() is not taken while earlier bytes still arrive.
 * Returns 0 or -1.
 */
static inline int wire_settle(int n)
{
	long long end = ms_now() + 10000;
	long last = wire_mark(n);

	for (;;) {
		usleep(500000);
		if (wire_mark(n) == last)
			return 0;
		if (ms_now() > end)
			return -1;
		last = wire_mark(n);
	}
}

/* A device request (LOCK_PORT, ...); 0 or -errno. */
static inline int po_dev(int fd, unsigned long cmd, __u32 device, __u32 flags,
			 __u32 timeout_ms)
{
	struct parown_device d = {
		.device = device, .flags = flags, .timeout_ms = timeout_ms,
	};

	return po_ret(ioctl(fd, cmd, &d));
}

/* INIT_1284_3_BUS: the device count, or -errno. */
static inline int po_init_bus(int fd)
{
	__u32 n;
	int r = ioctl(fd, PAROWN_INIT_1284_3_BUS, &n);

	return r < 0 ? -errno : (int)n;
}

/* IEEE 1284.3 devices GET_PORT_INFO reports, or -errno. */
static inline int po_devices(int fd)
{
	struct parown_port_info info;
	int r = po_info(fd, &info);

	return r < 0 ? r : (int)info.ieee1284_3_devices;
}

/*
 * The simulated port (parown_sim.ko): parport2, /dev/parown2, with its
 * record of what each device received in debugfs.
 */
#define SIM_PORT 2
#define SIM_DEBUGFS "/sys/kernel/debug/parown_sim/"
#define SIM_EOC 4

/* What simulated device @target (0-3, SIM_EOC) received; NUL-terminated. */
static inline const char *sim_received(int target)
{
	static const char * const names[] = { "dev0", "dev1", "dev2", "dev3", "eoc" };
	static char buf[4096];
	char path[64];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), SIM_DEBUGFS "%s", names[target]);
	f = fopen(path, "rb");
	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = 0;
	return buf;
}

/* Writes @text to the file @path (sysfs, debugfs, tracefs); 0 or -1. */
static inline int write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f) ? -1 : 0;
}

/* Writes @value to the simulator's debugfs file @name; 0 or -1. */
static inline int sim_set(const char *name, int value)
{
	char path[64], text[16];

	snprintf(path, sizeof(path), SIM_DEBUGFS "%s", name);
	snprintf(text, sizeof(text), "%d\n", value);
	return write_text(path, text);
}

/*
 * The number after " @key=" in @text (a line of parown's live state or of
 * a trace event), or -1 if there is none.
 */
static inline long long kv_num(const char *text, const char *key)
{
	char pat[32];
	const char *p;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(text, pat);
	return p ? strtoll(p + strlen(pat), NULL, 10) : -1;
}

/* Run a shell command; returns its exit status. */
static inline int sh(const char *cmd)
{
	int status = system(cmd);

	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Loads the simulated port with a chain of @devices; the exit status. */
static inline int sim_load(int devices)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "insmod /lib/modules/parown_sim.ko devices=%d", devices);
	return sh(cmd);
}

/*
 * The simulated port goes away as unplugged hardware does, with
 * parown_sim.ko still loaded; 0 or -1.
 */
static inline int sim_unplug(void)
{
	return sim_set("unplug", 1);
}


#endif /* PAROWN_TEST_H */
