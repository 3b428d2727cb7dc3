// SPDX-License-Identifier: GPL-2.0
/*
 * parown_bench, part 2: uncontended in the kernel. Loads parown_kbench.ko,
 * which measures parown_allocate() + parown_free() against a bare
 * parport_claim() + parport_release() on port 0 as it loads, and reads
 * its figures from debugfs.
 */
#include <math.h>

#include "bench.h"

#define KBENCH_KO "/lib/modules/parown_kbench.ko"
#define KBENCH_FILE "/sys/kernel/debug/parown_kbench"

void bench_kernel(void)
{
	struct series parown = {}, parport = {};
	unsigned long long po_ns, pp_ns;
	unsigned int r, pairs;
	char line[160];
	double ratio;
	FILE *f;

	printf("# 2. uncontended in the kernel: parown_kbench.ko\n");
	fflush(stdout);
	if (access(KBENCH_KO, R_OK)) {
		printf("#   %s missing\n", KBENCH_KO);
		row("2. in-kernel parown_allocate+parown_free", "not measured (no module)",
		    "-", NAN, "<= 0.3x", NOT_MET);
		return;
	}
	if (sh("insmod " KBENCH_KO " rounds=7 pairs=10000")) {
		broke("insmod parown_kbench.ko failed");
		row("2. in-kernel parown_allocate+parown_free", "BROKEN (insmod)", "-", NAN,
		    "<= 0.3x", NOT_MET);
		return;
	}
	f = fopen(KBENCH_FILE, "r");
	if (!f)
		die(KBENCH_FILE);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "round %u pairs %u parown_ns %llu parport_ns %llu",
			   &r, &pairs, &po_ns, &pp_ns) == 4) {
			series_add(&parown, (double)po_ns / pairs);
			series_add(&parport, (double)pp_ns / pairs);
		} else {
			printf("#   parown_kbench: %s", line);
		}
	}
	fclose(f);
	if (sh("rmmod parown_kbench"))
		broke("rmmod parown_kbench failed");
	if (!parown.n) {
		broke("parown_kbench measured nothing");
		row("2. in-kernel parown_allocate+parown_free", "BROKEN (see above)",
		    "-", NAN, "<= 0.3x", NOT_MET);
		return;
	}
	printf("#   parown_allocate+parown_free    %s ns/pair\n", spread(&parown, 1, "%.0f"));
	printf("#   parport_claim+parport_release  %s ns/pair\n", spread(&parport, 1, "%.0f"));
	ratio = series_min(&parown) / series_min(&parport);
	row("2. in-kernel parown_allocate+parown_free",
	    fmt("%.0f ns/pair", series_min(&parown)),
	    fmt("parport_claim+release %.0f ns", series_min(&parport)),
	    ratio, "<= 0.3x", at_most(ratio, 0.3));
}
