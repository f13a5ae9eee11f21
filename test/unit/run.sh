#!/bin/bash
# test/unit/run.sh: the host unit test tier. Runs build/unit/test_X for every
# test/unit/test_X.c (the Makefile builds them, with ASan and UBSan) and counts
# cmocka's individual test cases through its TAP output.
#
#   test/unit/run.sh -r RESULTS
#
# Appends "PASS binary/case" or "FAIL binary/case" per test case to RESULTS
# for test/run.sh to count. A binary that dies (a sanitizer report, a crash)
# fails the cases it did not finish, or one case if it never said how many;
# its output is shown.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
build=${BUILD:-build}

results=""
while getopts "r:" opt; do
	case $opt in
	r) results=$OPTARG ;;
	*) echo "usage: $0 -r RESULTS" >&2; exit 2 ;;
	esac
done
[[ -n $results ]] || { echo "usage: $0 -r RESULTS" >&2; exit 2; }

for src in test/unit/test_*.c; do
	[[ -f $src ]] || continue
	name=$(basename "$src" .c)
	bin=$build/unit/$name
	log=$build/unit/$name.log
	if [[ ! -x $bin ]]; then
		printf '%-6s %s: not built\n' FAIL "$name"
		echo "FAIL $name" >>"$results"
		continue
	fi
	rc=0
	CMOCKA_MESSAGE_OUTPUT=TAP timeout 60 "$bin" >"$log" 2>&1 || rc=$?
	planned=$(sed -n 's/^1\.\.\([0-9]\+\)$/\1/p' "$log" | head -n 1)
	passed=$(grep -c '^ok ' "$log" || true)
	failed=$(grep -c '^not ok ' "$log" || true)
	grep '^ok ' "$log" | sed "s/^ok [0-9]* - /PASS $name\\//" >>"$results" || true
	grep '^not ok ' "$log" | sed "s/^not ok [0-9]* - /FAIL $name\\//" >>"$results" || true
	# cases the binary never reported on, because it died first
	lost=$((${planned:-0} - passed - failed))
	if ((rc != 0 && failed == 0 && lost <= 0)); then
		lost=1
	fi
	for ((i = 0; i < lost; i++)); do echo "FAIL $name/unfinished-$((i + 1))" >>"$results"; done
	failed=$((failed + (lost > 0 ? lost : 0)))

	if ((failed == 0 && rc == 0)); then
		printf '%-6s %-22s %d cases\n' PASS "$name" "$passed"
	else
		printf '%-6s %-22s %d of %s cases passed; exit status %d\n' FAIL "$name" "$passed" "${planned:-?}" "$rc"
		sed 's/^/  | /' "$log"
	fi
done
