#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: parown's benchmarks against the floors the machine allows
# (Documentation/parown-benchmarks.rst), on a kernel without the debugging
# machinery (benchmarks/config), in the test VM. Prints the figures, then
# one summary table; keeps the run's files (the VM's output and kernel log,
# the bytes that left each port, the latency CSV and its SVG plot, the
# table) in $CACHE_DIR/bench/results/<date>, and links ../latest to it.
#
# usage: scripts/bench.sh [PART...]   (parts: uncontended kernel contended
#                                      memory throughput; default all)
#
# PAROWN_BENCH_KDIR=<kernel build dir> takes that kernel instead of
# building the benchmark kernel (e.g. the debug test kernel, to check the
# benchmark itself; its figures are then worth nothing).
#
# A benchmark never fails for being slow: the exit status is non-zero only
# if something broke (a request failed, the VM failed, the bytes on the
# wire differ from those written).

set -eu

. "$(dirname "$0")/lib.sh"

started=$(date +%s)
"$PAROWN_TOP/scripts/provision.sh" >&2
KDIR=${PAROWN_BENCH_KDIR:-$("$PAROWN_TOP/scripts/build-kernel.sh" \
	"$PAROWN_TOP/selftests/config" "$PAROWN_TOP/benchmarks/config")}

out=$CACHE_DIR/bench/$(basename "$KDIR")
log "building parown.ko and parown_kbench.ko for the benchmark kernel"
build_module_copy "$KDIR" "$out"
build_kbench_copy "$KDIR" "$out"
make -s -C "$PAROWN_TOP/benchmarks" OUTPUT="$out/bin" >&2
cp "$PAROWN_TOP/benchmarks/vm-bench.sh" "$out/bin/"

results=$CACHE_DIR/bench/results
run=$results/$(date +%Y%m%d-%H%M%S)
mkdir -p "$run"
ln -sfn "$(basename "$run")" "$results/latest"

vm_started=$(date +%s)
status=0
# The latency CSV travels in @csvz lines, which output.log keeps: not shown.
{
	"$PAROWN_TOP/scripts/vm-run.sh" --kdir "$KDIR" --modules "$out" \
		--ko "$out/benchmarks/kbench/parown_kbench.ko" -t 900 -o "$run" \
		-f "$out/bin/parown_bench" -f "$out/bin/vm-bench.sh" -- ./vm-bench.sh "$@" ||
		echo $? >"$run/vm-status"
} | grep --line-buffered -v '^@csvz|' || true
status=$(cat "$run/vm-status" 2>/dev/null || echo 0)
vm_s=$(($(date +%s) - vm_started))
[ -f "$run/output.log" ] || die "the VM left no output (status $status)"

# The latency CSV, and its plot: a CDF per variant that has figures.
csv=$run/latency.csv
svg=$run/latency.svg
sed -n 's/^@csvz|//p' "$run/output.log" | tr -d '\n' | base64 -d 2>/dev/null |
	gzip -dc >"$csv" 2>/dev/null || true
plots=
for v in parown ppdev; do
	awk -F, -v v="$v" '$1 == v { print $4 / 1000 }' "$csv" 2>/dev/null | sort -g |
		awk '{ x[NR] = $1 } END {
			step = int(NR / 2000) + 1
			for (i = 1; i <= NR; i++) if (i % step == 0 || i == NR) print x[i], i / NR
		}' >"$run/$v.cdf"
	if [ -s "$run/$v.cdf" ]; then
		plots="$plots${plots:+, }'$run/$v.cdf' using 1:2 with lines lw 2 title '$v'"
	fi
done
if [ -n "$plots" ] && command -v gnuplot >/dev/null; then
	gnuplot <<EOG || log "gnuplot failed"
set terminal svg size 900,560 dynamic enhanced font "sans,12" background "white"
set output '$svg'
set title "Request-to-grant latency, 8 processes looping allocate/free on one port"
set xlabel "latency (microseconds, log scale)"
set ylabel "fraction of grants at or below"
set logscale x
set grid
set key bottom right
set yrange [0:1]
plot $plots
EOG
fi

# The wire: what left port 0 (every byte, in lpt0.log) must be the
# throughput writes' patterns, in order.
wire_row=
if grep -q '^@wire|' "$run/output.log"; then
	: >"$run/expected0.bin"
	sed -n 's/^@wire|//p' "$run/output.log" | while IFS='|' read -r _ seed len; do
		"$out/bin/parown_bench" --pattern "$seed" "$len" >>"$run/expected0.bin"
	done
	verdicts=
	for who in parown lp; do
		verdict=identical
		offset=0
		while IFS='|' read -r name _ len; do
			if [ "$name" = "$who" ] && ! cmp -s -n "$len" -i "$offset:$offset" \
				"$run/lpt0.log" "$run/expected0.bin"; then
				verdict=DIFFERENT
			fi
			offset=$((offset + len))
		done <<EOW
$(sed -n 's/^@wire|//p' "$run/output.log")
EOW
		verdicts="$verdicts${verdicts:+, }$who $verdict"
	done
	have=$(stat -c %s "$run/lpt0.log" 2>/dev/null || echo 0)
	want=$(stat -c %s "$run/expected0.bin")
	[ "$have" -eq "$want" ] || verdicts="$verdicts; $have bytes left port 0, $want written"
	case "$verdicts" in
	*DIFFERENT*|*written)
		log "BROKEN: THE BYTES ON THE WIRE DIFFER FROM THOSE WRITTEN ($verdicts);" \
			"compare $run/lpt0.log with $run/expected0.bin"
		wire_row="@row|6. bytes on the wire (lpt0.log)|$verdicts|the bytes written|-|identical|NOT met"
		[ "$status" -ne 0 ] || status=1 ;;
	*)
		wire_row="@row|6. bytes on the wire (lpt0.log)|$verdicts|the bytes written|-|identical|met" ;;
	esac
	rm -f "$run/expected0.bin"
fi

# The summary table.
{
	grep '^@row|' "$run/output.log" || true
	[ -z "$wire_row" ] || echo "$wire_row"
} | awk -F'|' '
	{ n++; for (i = 2; i <= 7; i++) { c[n, i] = $i; if (length($i) > w[i]) w[i] = length($i) } }
	END {
		split("measure|figure|floor|ratio|target|met", h, "|")
		for (i = 2; i <= 7; i++) if (length(h[i - 1]) > w[i]) w[i] = length(h[i - 1])
		line = ""
		for (i = 2; i <= 7; i++) {
			f[i] = "%-" w[i] "s"
			line = line sprintf(f[i], h[i - 1]) (i < 7 ? " | " : "\n")
		}
		printf "%s", line
		for (i = 2; i <= 7; i++) {
			s = ""; for (k = 0; k < w[i]; k++) s = s "-"
			printf "%s%s", s, (i < 7 ? "-|-" : "\n")
		}
		for (r = 1; r <= n; r++)
			for (i = 2; i <= 7; i++) printf f[i] (i < 7 ? " | " : "\n"), c[r, i]
	}' >"$run/summary.txt"

echo
echo "parown benchmark summary ($(sed -n 's/^# parown_bench on //p' "$run/output.log"))"
cat "$run/summary.txt"
echo
echo "latency CSV: $csv"
if [ -s "$svg" ]; then echo "latency SVG: $svg"; else echo "latency SVG: none (no figures or no gnuplot)"; fi
echo "all of this run: $run"
echo "time: $(($(date +%s) - started)) s in all, the VM $vm_s s"
[ "$status" -eq 0 ] || log "something broke (status $status): see BROKEN above"
exit "$status"
