// SPDX-License-Identifier: GPL-2.0
/*
 * parown_bench: parown's costs against the floors the machine allows,
 * measured side by side in one run (Documentation/parown-benchmarks.rst).
 * Runs in the test VM; prints its figures as comments and the summary
 * table's rows as "@row|" lines, the latencies as "@csv|" lines and the
 * throughput writes' patterns as "@wire|" lines, which scripts/bench.sh
 * turns into the table, the CSV and SVG, and the wire check.
 *
 *   parown_bench [--quick] [PART...]
 *                                 the parts (default: all): uncontended,
 *                                 kernel, contended, memory, throughput;
 *                                 --quick: one round each (to check the
 *                                 benchmark itself, not to measure)
 *   parown_bench --pattern SEED LEN
 *                                 print the bytes a throughput write of
 *                                 SEED sends (the host's wire check)
 *   parown_bench --spin KEY COUNT  one request pair COUNT times
 *   parown_bench --write parown|lp BYTES
 *                                 one write() of BYTES
 *   parown_bench --handover parown|pipe N
 *                                 one run of N processes passing the port
 *                                 (or a baton round a pipe ring)
 *                                 the last three for scripts/profile.sh
 *
 * Exit status 1 if something broke (a request failed, bytes went
 * missing), never for being slow.
 */
#include <sys/utsname.h>

#include "bench.h"

static const struct part {
	const char *name;
	void (*run)(int rounds);
	int rounds;
} parts[] = {
	{ "uncontended", bench_uncontended, 7 },
	{ "kernel", NULL, 0 },
	{ "contended", bench_contended, 3 },
	{ "memory", bench_memory, 5 },
	{ "throughput", bench_throughput, 2 },
};

static int print_pattern(const char *seed, const char *len)
{
	size_t n = strtoul(len, NULL, 0);
	unsigned char *buf = malloc(n);

	if (!buf)
		return 1;
	pattern(strtoul(seed, NULL, 0), buf, n);
	return fwrite(buf, 1, n, stdout) != n;
}

static bool wanted(const char *name, int argc, char **argv)
{
	if (argc < 1)
		return true;
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], name))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	uint64_t start = now_ns();
	bool quick = false;
	struct utsname u;

	if (argc == 4 && !strcmp(argv[1], "--pattern"))
		return print_pattern(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "--spin"))
		return spin_uncontended(argv[2], atol(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "--write"))
		return spin_write(argv[2], atol(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "--handover"))
		return spin_handover(argv[2], atoi(argv[3]));
	argc--;
	argv++;
	if (argc && !strcmp(argv[0], "--quick")) {
		quick = true;
		argc--;
		argv++;
	}
	uname(&u);
	printf("# parown_bench on %s %s, %ld CPUs\n", u.sysname, u.release,
	       sysconf(_SC_NPROCESSORS_ONLN));
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		uint64_t t = now_ns();

		if (!wanted(parts[i].name, argc, argv))
			continue;
		if (parts[i].run)
			parts[i].run(quick ? 1 : parts[i].rounds);
		else
			bench_kernel();
		printf("# (%s: %.0f s)\n", parts[i].name, (now_ns() - t) / 1e9);
		fflush(stdout);
	}
	printf("# parown_bench: %.0f s in all\n", (now_ns() - start) / 1e9);
	if (bench_broken) {
		printf("parown_bench: SOMETHING BROKE: see the BROKEN lines above\n");
		return 1;
	}
	return 0;
}
