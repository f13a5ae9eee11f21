#!/bin/bash
# scripts/bench.sh: `make bench`. Boots an image whose one guest is bench64
# (guests/bench64/) under Bochs, where the TSC advances one tick per
# instruction, and prints the guest's figures, one per line, "NAME: VALUE
# UNIT" (e.g. "cpuid_roundtrip: 93 ticks"), nothing else on stdout.
#
#   BUILD=build scripts/bench.sh
#
# It boots twice: as configured (the local APIC virtualized where the CPU
# can), then with apicv=off, from which only the local APIC's figures and
# irq_inject_latency are printed, with "_apicv_off" added to their names,
# so that one run shows what APIC virtualization saves.
#
# Exits 0 when bench64 printed its figures and passed both times; otherwise
# says in one line on stderr what is missing (the serial logs are in
# $BUILD/bench/) and exits 1.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=${BUILD:-build}
work=$build/bench
timeout=300
mkdir -p "$work"

# bench NAME CMDLINE: boot bench64 with that hypervisor command line; its
# figures end up in $figures.
bench() {
	local name=$1 cmdline=$2 status=0 serial
	scripts/mkiso.sh "$work/$name.iso" "$build/hypervisor.elf" "$build/hypervisor32.elf" -c "$cmdline" \
		-g "$build/guests/bench64.elf name=bench64 kind=elf mem=4M testdev=on"
	timeout -k 5 "$timeout" scripts/boot.sh -s "$work/$name.serial" -w "$work" bochs "$work/$name.iso" \
		</dev/null >"$work/$name.engine.out" 2>&1 || status=$?

	# The guest's lines reach the console as "[bench64] bench: NAME: VALUE UNIT".
	serial=$(LC_ALL=C tr -d '\r' <"$work/$name.serial")
	figures=$(sed -n -E 's/^\[bench64\] bench: ([a-z0-9_]+: [0-9]+ [a-z]+)$/\1/p' <<<"$serial")
	if [[ -z $figures ]]; then
		if grep -q '^hypervisor: no guests to run yet' <<<"$serial"; then
			echo "bench: the hypervisor does not run guests yet (issue 3); no figures" >&2
		else
			echo "bench: bench64 printed no figures (Bochs status $status); see $work/$name.serial" >&2
		fi
		exit 1
	fi
	if ! grep -q '^\[bench64\] PASS bench64$' <<<"$serial"; then
		printf '%s\n' "$figures"
		echo "bench: bench64 did not pass; see $work/$name.serial" >&2
		exit 1
	fi
}

bench bench ""
printf '%s\n' "$figures"
bench bench-apicv-off "apicv=off"
sed -n -E 's/^((lapic_|irq_)[a-z0-9_]*): /\1_apicv_off: /p' <<<"$figures"
