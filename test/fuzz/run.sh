#!/bin/bash
# test/fuzz/run.sh: the fuzz tier. Runs build/fuzz/fuzz_X (libFuzzer, built by
# the Makefile with clang, ASan and UBSan) for every test/fuzz/fuzz_X.c, from
# its checked-in seeds test/fuzz/corpus_X/ plus what earlier runs found
# (build/fuzz/corpus_X/, where new inputs go; the seeds are never written).
#
#   test/fuzz/run.sh [-r RESULTS] [-t SECONDS]
#
# Each target is one test case: "PASS fuzz/fuzz_X" or "FAIL fuzz/fuzz_X" is
# appended to RESULTS for test/run.sh to count. It fails when the target
# crashes, a sanitizer or one of its own checks fires, or it will not start;
# the input that did it is saved as build/fuzz/crash-* and the log is shown.
# SECONDS (default 15) is how long each target runs.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
build=${BUILD:-build}

results=/dev/null
seconds=15
while getopts "r:t:" opt; do
	case $opt in
	r) results=$OPTARG ;;
	t) seconds=$OPTARG ;;
	*) echo "usage: $0 [-r RESULTS] [-t SECONDS]" >&2; exit 2 ;;
	esac
done

status=0
for src in test/fuzz/fuzz_*.c; do
	[[ -f $src ]] || continue
	name=$(basename "$src" .c)
	bin=$build/fuzz/$name
	seeds=test/fuzz/corpus_${name#fuzz_}
	found=$build/fuzz/corpus_${name#fuzz_}
	log=$build/fuzz/$name.log
	if [[ ! -x $bin ]]; then
		printf '%-6s %s: not built (clang with libFuzzer: scripts/packages.txt)\n' FAIL "$name"
		echo "FAIL fuzz/$name" >>"$results"
		status=1
		continue
	fi
	mkdir -p "$found"
	rc=0
	timeout $((seconds + 60)) "$bin" -max_total_time="$seconds" -print_final_stats=1 \
		-artifact_prefix="$build/fuzz/" "$found" "$seeds" >"$log" 2>&1 || rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	if ((rc == 0)) && [[ -n $runs ]]; then
		printf '%-6s %-22s %s runs in %ss (%s exec/s), %s edges\n' PASS "$name" "$runs" "$seconds" \
			"$rate" "${cov:-?}"
		echo "PASS fuzz/$name" >>"$results"
	else
		printf '%-6s %-22s exit status %d after %s runs\n' FAIL "$name" "$rc" "${runs:-?}"
		grep -v '^#[0-9]' "$log" | tail -n 40 | sed 's/^/  | /'
		echo "FAIL fuzz/$name" >>"$results"
		status=1
	fi
done
exit $status
