#!/bin/bash
# test/run.sh: run test tiers and end with one summary line, the last line of
# the output: "N passed, N failed" (", N skipped" when some were).
#
#   test/run.sh [-s] TIER...      TIER: unit, fuzz, system; -s adds the slow tests
#
# The fuzz tier runs each fuzz target FUZZ_TIME seconds (default 15).
#
# Exits non-zero when any test failed. The Makefile builds what the tiers need
# first (`make test`, `make test-unit`, `make test-system`, `make test-slow`).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

slow=()
if [[ ${1:-} == -s ]]; then
	slow=(-s)
	shift
fi
(($#)) || set -- unit system

results=$(mktemp "${TMPDIR:-/tmp}/test-results.XXXXXX")
trap 'rm -f "$results"' EXIT

for tier in "$@"; do
	echo "--- $tier tests"
	case $tier in
	unit) test/unit/run.sh -r "$results" || echo "FAIL unit-tier" >>"$results" ;;
	fuzz) test/fuzz/run.sh -r "$results" -t "${FUZZ_TIME:-15}" || true ;;
	system) test/system/run.sh -r "$results" "${slow[@]}" || echo "FAIL system-tier" >>"$results" ;;
	*) echo "test/run.sh: no tier '$tier'" >&2; echo "FAIL $tier" >>"$results" ;;
	esac
done

passed=$(grep -c '^PASS ' "$results" || true)
failed=$(grep -c '^FAIL ' "$results" || true)
skipped=$(grep -c '^SKIP ' "$results" || true)
summary="$passed passed, $failed failed"
((skipped == 0)) || summary+=", $skipped skipped"
echo "$summary"
((failed == 0))
