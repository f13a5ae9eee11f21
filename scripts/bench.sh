#!/bin/bash
# scripts/bench.sh: `make bench`. Boots an image whose one guest is bench64
# (guests/bench64/) under Bochs, where the TSC advances one tick per
# instruction, and prints the guest's figures, one per line, "NAME: VALUE
# UNIT" (e.g. "cpuid_roundtrip: 93 ticks"), nothing else on stdout.
#
#   BUILD=build scripts/bench.sh
#
# Exits 0 when bench64 printed its figures and passed; otherwise says in one
# line on stderr what is missing (the serial log is in $BUILD/bench/) and
# exits 1.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=${BUILD:-build}
work=$build/bench
timeout=300
mkdir -p "$work"

scripts/mkiso.sh "$work/bench.iso" "$build/hypervisor.elf" "$build/hypervisor32.elf" \
	-g "$build/guests/bench64.elf name=bench64 kind=elf mem=4M testdev=on"
status=0
timeout -k 5 "$timeout" scripts/boot.sh -s "$work/serial" -w "$work" bochs "$work/bench.iso" \
	</dev/null >"$work/engine.out" 2>&1 || status=$?

# The guest's lines reach the console as "[bench64] bench: NAME: VALUE UNIT".
serial=$(LC_ALL=C tr -d '\r' <"$work/serial")
figures=$(sed -n -E 's/^\[bench64\] bench: ([a-z0-9_]+: [0-9]+ [a-z]+)$/\1/p' <<<"$serial")
if [[ -z $figures ]]; then
	if grep -q '^hypervisor: no guests to run yet' <<<"$serial"; then
		echo "bench: the hypervisor does not run guests yet (issue 3); no figures" >&2
	else
		echo "bench: bench64 printed no figures (Bochs status $status); see $work/serial" >&2
	fi
	exit 1
fi
printf '%s\n' "$figures"
if ! grep -q '^\[bench64\] PASS bench64$' <<<"$serial"; then
	echo "bench: bench64 did not pass; see $work/serial" >&2
	exit 1
fi
