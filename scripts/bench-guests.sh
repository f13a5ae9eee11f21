#!/bin/bash
# scripts/bench-guests.sh: the figures of `make bench` about many guests,
# under Bochs (its TSC advances one tick per instruction), one per line,
# "NAME: VALUE UNIT", nothing else on stdout:
#
#   machine_switch: N ticks    a guest-to-guest switch, timed from inside two
#                              pingpong64 guests that hand the CPU to each
#                              other with HC_YIELD, less a hypercall's own
#                              round trip (guests/pingpong64/main.c)
#   yield_handoff: N ticks     the same switch with its hypercall: one guest's
#                              VMCALL to the other guest running
#   guests_max: N guests       how many 4 MiB guests (hello64) start and run
#                              to their end on a 128 MiB machine
#   guest_overhead_kib: N KiB  the hypervisor's memory per guest beyond its
#                              RAM and EPT tables, with that many guests
#
#   BUILD=build scripts/bench-guests.sh
#
# guests_max takes a few boots: one with GUEST_MAX guests, which stops at
# the first guest that no longer fits, then with as many as fitted, one
# more each time until one does not fit (fewer boot modules leave a little
# more memory). Exits 0 with every figure; otherwise says in one line on
# stderr what is missing (serial logs in $BUILD/bench-guests/) and exits 1.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=${BUILD:-build}
work=$build/bench-guests
timeout=600
megs=128
mkdir -p "$work"
guest_max=$(sed -n -E 's/^#define GUEST_MAX +([0-9]+).*/\1/p' vm/guest_desc.h)

# boot NAME MiB -g "FILE DESC"...: an image with these guests, booted under
# Bochs with MiB of memory; its serial log, without carriage returns, in
# $work/NAME.serial.
boot() {
	local name=$1 mib=$2
	shift 2
	scripts/mkiso.sh "$work/$name.iso" "$build/hypervisor.elf" "$build/hypervisor32.elf" "$@" >/dev/null
	mkdir -p "$work/$name"
	timeout -k 5 "$timeout" scripts/boot.sh -m "$mib" -s "$work/$name/serial" -w "$work/$name" \
		bochs "$work/$name.iso" </dev/null >"$work/$name/engine.out" 2>&1 || true
	LC_ALL=C tr -d '\r' <"$work/$name/serial" >"$work/$name.serial"
}

fail() {
	echo "bench-guests: $*" >&2
	exit 1
}

# --- machine_switch ---------------------------------------------------------

boot switch 256 -g "$build/guests/pingpong64.elf name=ping kind=elf mem=4M" \
	-g "$build/guests/pingpong64.elf name=pong kind=elf mem=4M"
for f in machine_switch yield_handoff; do
	line=$(sed -n -E "s/^\[ping\] bench: ($f: [0-9]+ ticks)$/\1/p" "$work/switch.serial")
	[[ -n $line ]] || fail "pingpong64 printed no $f; see $work/switch.serial"
	echo "$line"
done

# --- guests_max and guest_overhead_kib -------------------------------------

# A stripped copy: the guests' images are boot modules in the same 128 MiB.
objcopy --strip-debug "$build/guests/hello64.elf" "$work/tiny64.elf"

# fits N: do N hello64 guests start and all end? Sets $fitted (the guests
# set up before one did not fit) and $overhead (KiB a guest, when they did).
fits() {
	local n=$1 g=() i serial=$work/max$1.serial
	for ((i = 0; i < n; i++)); do g+=(-g "$work/tiny64.elf name=g$i kind=elf mem=4M"); done
	boot "max$n" "$megs" "${g[@]}"
	overhead=$(sed -n -E 's/^hypervisor: .* ([0-9]+) KiB a guest$/\1/p' "$serial")
	if [[ -n $overhead ]] && grep -q '^hypervisor: all guests have ended$' "$serial" &&
		(($(grep -c '^guest g[0-9]*: exited with code 0$' "$serial") == n)); then
		fitted=$n
		return 0
	fi
	fitted=$(sed -n -E "s/^error: hypervisor: no guest started: guest 'g([0-9]+)' could not be set up$/\1/p" "$serial")
	[[ -n $fitted ]] || fail "$n guests on $megs MiB neither ran nor stopped at one that did not fit; see $serial"
	return 1
}

if fits "$guest_max"; then
	max=$guest_max per_guest=$overhead
else
	max=0 per_guest=""
	n=$fitted
	while ((n <= guest_max)) && fits "$n"; do
		max=$n per_guest=$overhead
		n=$((n + 1))
	done
	((max > 0)) || fail "not even $fitted guests ran on $megs MiB; see $work/max$fitted.serial"
fi
echo "guests_max: $max guests"
echo "guest_overhead_kib: $per_guest KiB"
