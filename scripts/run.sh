#!/bin/bash
# scripts/run.sh: `make run`. Boots the default image with its serial console
# on this terminal, in the best engine this machine has.
#
#   scripts/run.sh [auto|qemu|bochs|qemu-uefi|qemu-kernel]
#
# auto: QEMU with KVM when /dev/kvm can give a guest VMX (an Intel host whose
# kvm_intel has nested=Y), otherwise Bochs, which emulates VMX.
# qemu: QEMU with KVM if usable, else TCG (the hypervisor then says VMX is
# unavailable and stops). qemu-uefi: the same with OVMF UEFI firmware.
# qemu-kernel: QEMU's -kernel Multiboot1 loader. bochs: Bochs.
#
# Exits 0 when the hypervisor stopped cleanly (done, or no VMX), non-zero on
# a panic, a reset or an engine failure.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=${BUILD:-build}
engine=${1:-auto}

# Can KVM run a guest that itself uses VMX?
kvm_nested_vmx() {
	local nested
	grep -qw vmx /proc/cpuinfo 2>/dev/null || return 1
	nested=$(cat /sys/module/kvm_intel/parameters/nested 2>/dev/null) || return 1
	[[ $nested == Y || $nested == 1 ]] || return 1
	{ exec 3<>/dev/kvm; } 2>/dev/null || return 1
	exec 3<&-
}

# Can KVM run a guest at all? (QEMU forced on an AMD host, say.)
kvm_usable() {
	[[ -e /dev/kvm ]] && { exec 3<>/dev/kvm; } 2>/dev/null && exec 3<&-
}

kvm=()
case $engine in
auto)
	if kvm_nested_vmx; then
		engine=qemu-bios kvm=(-k)
		echo "run: QEMU with KVM (nested VMX available)" >&2
	else
		engine=bochs
		echo "run: Bochs (no KVM with nested VMX here; ENGINE=qemu forces QEMU)" >&2
	fi ;;
qemu | qemu-uefi | qemu-kernel)
	[[ $engine != qemu ]] || engine=qemu-bios
	if kvm_nested_vmx; then
		kvm=(-k)
		echo "run: QEMU with KVM (nested VMX available)" >&2
	elif kvm_usable && grep -qw vmx /proc/cpuinfo; then
		kvm=(-k)
		echo "run: QEMU with KVM, but kvm_intel has nested VMX off: the hypervisor will find no VMX" >&2
	else
		echo "run: QEMU without KVM (TCG): the hypervisor will find no VMX and stop" >&2
	fi ;;
bochs) ;;
*)
	echo "run: ENGINE must be auto, qemu, qemu-uefi, qemu-kernel or bochs, not '$engine'" >&2
	exit 2 ;;
esac
[[ $engine == bochs ]] || echo "run: Ctrl-A X quits QEMU" >&2

image=$build/hypervisor.iso
[[ $engine != qemu-kernel ]] || image=$build/hypervisor32.elf

status=0
scripts/boot.sh "${kvm[@]}" -m 512 -w "$build/run" "$engine" "$image" || status=$?

case $engine:$status in
qemu*:33 | bochs:0) echo "run: the hypervisor stopped" >&2 ;;
qemu*:35) echo "run: the hypervisor stopped: no usable VMX" >&2 ;;
qemu*:37) echo "run: the hypervisor panicked" >&2; exit 1 ;;
qemu*:0) echo "run: the machine reset (a triple fault?)" >&2; exit 1 ;;
bochs:1) echo "run: Bochs stopped on an error or a triple fault; see $build/run/bochs.log" >&2; exit 1 ;;
*) echo "run: $engine exited with status $status" >&2; exit "$status" ;;
esac
