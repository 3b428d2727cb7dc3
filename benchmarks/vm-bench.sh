#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In the benchmark VM (scripts/bench.sh runs it through scripts/vm-run.sh):
# parown_bench, then its latency CSV, gzipped and in base64 on "@csvz|"
# lines, for scripts/bench.sh to unpack on the host.

cd "$(dirname "$0")" || exit 1
rm -f /tmp/parown-latency.csv
./parown_bench "$@"
status=$?
if [ -s /tmp/parown-latency.csv ]; then
	echo "# the latency CSV, $(wc -l </tmp/parown-latency.csv) lines, gzip and base64:"
	gzip -c /tmp/parown-latency.csv | base64 -w 8000 | sed 's/^/@csvz|/'
fi
exit $status
