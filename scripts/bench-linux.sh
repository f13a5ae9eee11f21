#!/bin/bash
# scripts/bench-linux.sh: the Linux figures of `make bench`. Boots the same
# kernel and initramfs (make linux, or LINUX_KERNEL and LINUX_INITRD) under
# Bochs twice, at the same time: by GRUB straight on the machine, and as a
# kind=linux guest of the hypervisor. Prints "NAME: VALUE UNIT" lines:
#
#   linux_boot_native_s: 2.61 s        the kernel's boot to its shell, natively
#   linux_boot_guest_s: 2.75 s         the same, as a guest
#   linux_boot_overhead: 1.05 x        guest / native
#   linux_guest_exits: 12345 exits     the guest's VM exits, then one line per
#   linux_guest_exits_cpuid: 25 exits  reason (its whole run: boot and poweroff)
#
#   BUILD=build [LINUX_KERNEL=bzImage LINUX_INITRD=initrd] scripts/bench-linux.sh
#
# What is timed: the kernel's own clock (its printk timestamp, the TSC since
# its first steps) on the "shell ready" line the initramfs writes to the
# kernel log when its shell starts (guests/linux/profile; hvlab=poweroff then
# ends the run). That is the same stretch in both runs, without the
# firmware, GRUB or the hypervisor's own boot. Under Bochs it is emulated
# time: the TSC and the timers advance with the instructions run (cpu:
# ips=50000000, clock: sync=none), so the figure does not depend on the
# host or its load, and both runs may share the host. Wall time would carry
# the firmware, GRUB and the host's load.
#
# Both runs: 64 MiB of RAM, "quiet" (Bochs' UART sends at the baud rate, the
# hypervisor's does not: printing the whole kernel log would time UARTs).
# Natively, Bochs' CPUID claims a 3.5 GHz TSC that really counts
# instructions at 50 MHz: tsc_early_khz=50000 tells Linux the truth (the
# hypervisor's CPUID tells its guests), and scripts/bochs-linux.msrs adds the
# IA32_MISC_ENABLE Linux reads first (the hypervisor emulates it).
#
# Until the hypervisor runs kind=linux guests, the guest half says on stderr
# that it is not available, and only the native figure is printed. Exits 1
# when the native boot gives no figure (the serial logs are in
# $BUILD/bench-linux/).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=${BUILD:-build}
kernel=${LINUX_KERNEL:-$build/linux/bzImage}
initrd=${LINUX_INITRD:-$build/linux/initramfs.cpio.gz}
work=$build/bench-linux
timeout=900
cmdline="console=ttyS0,115200 quiet hvlab=poweroff"
mkdir -p "$work"

for f in "$kernel" "$initrd"; do
	[[ -f $f ]] || { echo "bench-linux: $f: no such file (make linux)" >&2; exit 1; }
done

# The guest's description; its initrd is a module of its own, named by the
# first word of that module's command line (vm/guest_desc.h).
guest_desc="name=linux kind=linux mem=64M cmdline=\"$cmdline\" initrd=initramfs"

# Both images carry the same files; entry 2 boots Linux, entry 0 the hypervisor.
iso_args=("$build/hypervisor.elf" "$build/hypervisor32.elf"
	-l "$kernel $initrd $cmdline tsc_early_khz=50000")
scripts/mkiso.sh "$work/native.iso" "${iso_args[@]}" -d 2
scripts/mkiso.sh "$work/guest.iso" "${iso_args[@]}" -d 0 -g "$kernel $guest_desc" -g "$initrd initramfs"

# boot NAME BOOT_OPTIONS...: Bochs boots $work/NAME.iso; the serial log is
# $work/NAME.serial.
boot() {
	local name=$1
	shift
	mkdir -p "$work/$name"
	timeout -k 5 "$timeout" scripts/boot.sh -s "$work/$name.serial" -w "$work/$name" "$@" \
		bochs "$work/$name.iso" </dev/null >"$work/$name/engine.out" 2>&1
}
native_status=0 guest_status=0
boot native -m 64 -M scripts/bochs-linux.msrs & native_pid=$!
boot guest & guest_pid=$!
wait "$native_pid" || native_status=$?
wait "$guest_pid" || guest_status=$?

# ready NAME PREFIX: the kernel's time stamp on the "shell ready" line of
# run NAME, "[    2.612345] hvlab-linux: shell ready", in seconds. The
# kernel prints it at once, maybe in the middle of a line the shell is
# still sending.
ready() {
	LC_ALL=C tr -d '\r' <"$work/$1.serial" |
		sed -n -E "s/^$2.*\[ *([0-9]+\.[0-9]+)\] hvlab-linux: shell ready$/\1/p" | head -n 1
}

native=$(ready native "")
if [[ -z $native ]]; then
	echo "bench-linux: the native boot printed no \"shell ready\" line (Bochs status $native_status); see $work/native.serial" >&2
	exit 1
fi
printf 'linux_boot_native_s: %.2f s\n' "$native"

guest=$(ready guest '\[linux\] ')
serial=$(LC_ALL=C tr -d '\r' <"$work/guest.serial")
if [[ -z $guest ]]; then
	why=$(grep -m1 -E "^error: guest 'linux'" <<<"$serial" || true)
	if [[ -n $why ]]; then
		echo "bench-linux: linux_boot_guest_s and linux_boot_overhead not available: the hypervisor refused the guest: $why" >&2
		exit 0
	fi
	echo "bench-linux: the Linux guest printed no \"shell ready\" line (Bochs status $guest_status); see $work/guest.serial" >&2
	exit 1
fi
printf 'linux_boot_guest_s: %.2f s\n' "$guest"
awk -v g="$guest" -v n="$native" 'BEGIN { printf "linux_boot_overhead: %.2f x\n", g / n }'

# "guest linux: 9 exits: CPUID 3, VMCALL 2, I/O instruction 4"
exits=$(sed -n -E 's/^guest linux: ([0-9]+ exits: .*)$/\1/p' <<<"$serial" | tail -n 1)
if [[ -z $exits ]]; then
	echo "bench-linux: the hypervisor printed no exit counts for the Linux guest; see $work/guest.serial" >&2
	exit 1
fi
echo "linux_guest_exits: ${exits%% *} exits"
tr ',' '\n' <<<"${exits#*: }" | while read -r line; do
	count=${line##* } reason=${line% *}
	reason=$(tr 'A-Z' 'a-z' <<<"$reason" | sed -E 's#i/o#io#g; s/[^a-z0-9]+/_/g; s/^_|_$//g')
	echo "linux_guest_exits_$reason: $count exits"
done
