#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Turn `cargo test` output (stdin) into KTAP: one result per test. Exits
# non-zero if a test failed, none ran, or a test binary was killed by a
# signal (an abort prints no result for the test that was running, nor
# for those after it).

awk '
/didn.t exit successfully: .*[(]signal: / { died = 1 }
/^test .* \.\.\. (ok|FAILED|ignored)$/ {
	n++
	name = $2
	if ($NF == "ok") { res[n] = "ok " n " " name }
	else if ($NF == "ignored") { res[n] = "ok " n " " name " # SKIP" }
	else { res[n] = "not ok " n " " name; bad++ }
	next
}
{ diag[++d] = "# " $0 }
END {
	if (died) { res[++n] = "not ok " n " a test binary was killed by a signal"; bad++ }
	print "KTAP version 1"
	print "1.." n
	if (bad || n == 0) for (i = 1; i <= d; i++) if (diag[i] != "# ") print diag[i]
	for (i = 1; i <= n; i++) print res[i]
	exit (bad > 0 || n == 0)
}'
