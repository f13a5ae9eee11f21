#!/bin/bash
# scripts/boot.sh: boot one hypervisor image in one engine, and nothing else.
# Used by `make run` (scripts/run.sh) and by the system tests (test/system/).
#
#   scripts/boot.sh [-k] [-u] [-s SERIAL | -t PORT] [-w DIR] [-m MiB] [-M MSRS] ENGINE IMAGE [CMDLINE]
#
# ENGINE and IMAGE:
#   qemu-kernel ELF32   QEMU's own Multiboot1 loader (-kernel; CMDLINE is -append)
#   qemu-bios   ISO     QEMU, BIOS firmware, GRUB from the ISO
#   qemu-uefi   ISO     QEMU, OVMF UEFI firmware, GRUB from the ISO
#   bochs       ISO     Bochs (emulates VMX), BIOS, GRUB from the ISO
# Options:
#   -k          QEMU uses KVM with -cpu host (default: TCG, no VMX for guests)
#   -u          QEMU sees IMAGE as a USB stick it was dd'ed to, not a CD: the
#               ISO, or the stick image of `make usb` (scripts/mkusb.sh)
#   -s SERIAL   the serial port goes to this file (default: this terminal)
#   -t PORT     the serial port connects to TCP 127.0.0.1:PORT, both ways (the
#               system tests' test/system/serial_io.py listens there)
#   -w DIR      scratch folder: OVMF variables, bochsrc, Bochs log (default: build/boot)
#   -m MiB      guest memory (default: 256)
#   -M MSRS     Bochs also has the MSRs this file defines (Bochs' msrs format),
#               e.g. scripts/bochs-linux.msrs for Linux without the hypervisor
#
# The exit status is the engine's. QEMU has the isa-debug-exit device, so the
# hypervisor's kernel/power.h codes come back as (code << 1) | 1: 33 done,
# 35 no VMX, 37 panic; 0 means the machine reset (-no-reboot: a triple fault?).
# Bochs quits with 0 at the hypervisor's final magic breakpoint and with 1 on a
# triple fault or a Bochs panic (see the Bochs log in DIR).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
	sed -n '4,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

kvm=0 usb=0 serial="" tcp="" work=build/boot megs=256 msrs=""
while getopts "kus:t:w:m:M:" opt; do
	case $opt in
	k) kvm=1 ;;
	u) usb=1 ;;
	s) serial=$OPTARG ;;
	t) tcp=$OPTARG ;;
	w) work=$OPTARG ;;
	m) megs=$OPTARG ;;
	M) msrs=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
(($# == 2 || $# == 3)) || usage
engine=$1 image=$2 cmdline=${3:-}
[[ -f $image ]] || { echo "boot: $image: no such file" >&2; exit 2; }
mkdir -p "$work"

# --- QEMU ---------------------------------------------------------------------

# The OVMF build without Secure Boot, and its matching variable store: Debian
# ships 4 MiB flash images (OVMF_*_4M.fd), older releases 2 MiB ones.
ovmf_files() {
	local d
	for d in /usr/share/OVMF /usr/share/ovmf /usr/share/qemu; do
		if [[ -f $d/OVMF_CODE_4M.fd && -f $d/OVMF_VARS_4M.fd ]]; then
			echo "$d/OVMF_CODE_4M.fd $d/OVMF_VARS_4M.fd"
			return
		fi
		if [[ -f $d/OVMF_CODE.fd && -f $d/OVMF_VARS.fd ]]; then
			echo "$d/OVMF_CODE.fd $d/OVMF_VARS.fd"
			return
		fi
	done
	echo "boot: no OVMF firmware found (Debian package ovmf)" >&2
	exit 2
}

run_qemu() {
	local args=(-m "$megs" -smp 2 -no-reboot -display none
		-device isa-debug-exit,iobase=0xf4,iosize=0x04)

	if ((kvm)); then
		args+=(-enable-kvm -cpu host)
	else
		args+=(-accel tcg)
	fi
	if [[ -n $tcp ]]; then
		args+=(-chardev "socket,id=com1,host=127.0.0.1,port=$tcp,server=off" -serial chardev:com1 -monitor none)
	elif [[ -n $serial ]]; then
		args+=(-serial "file:$serial" -monitor none)
	else
		# Ctrl-A X quits, Ctrl-A C switches to QEMU's monitor.
		args+=(-serial mon:stdio)
	fi
	local media=(-cdrom "$image")
	if ((usb)); then
		# No network card: a firmware that cannot boot the stick goes on
		# to its next boot option, and network boot would wait minutes.
		media=(-drive "if=none,id=stick,format=raw,readonly=on,file=$image"
			-device qemu-xhci -device usb-storage,drive=stick -nic none)
	fi
	case $engine in
	qemu-kernel)
		args+=(-kernel "$image")
		[[ -z $cmdline ]] || args+=(-append "$cmdline")
		;;
	qemu-bios)
		args+=("${media[@]}")
		;;
	qemu-uefi)
		local code vars
		read -r code vars < <(ovmf_files)
		# UEFI writes its boot entries into the variable store: a fresh
		# copy per run keeps runs independent of each other.
		cp "$vars" "$work/ovmf-vars.fd"
		args+=(-machine q35
			-drive "if=pflash,format=raw,unit=0,readonly=on,file=$code"
			-drive "if=pflash,format=raw,unit=1,file=$work/ovmf-vars.fd"
			"${media[@]}")
		;;
	esac
	[[ -z $cmdline || $engine == qemu-kernel ]] ||
		echo "boot: $engine takes the command line from the image's grub.cfg; ignoring \"$cmdline\"" >&2
	exec qemu-system-x86_64 "${args[@]}"
}

# --- Bochs --------------------------------------------------------------------

run_bochs() {
	local rc=$work/bochsrc out=${serial:-$work/serial} cfg

	[[ -z $cmdline ]] ||
		echo "boot: bochs takes the command line from the image's grub.cfg; ignoring \"$cmdline\"" >&2
	cfg=$(<"$here/bochsrc.in")
	cfg=${cfg//@MEGS@/"$megs"}
	cfg=${cfg//@MSRS@/"${msrs:+, msrs=\"$(realpath "$msrs")\"}"}
	cfg=${cfg//@ISO@/"$(realpath "$image")"}
	if [[ -n $tcp ]]; then
		cfg=${cfg//@COM1@/"mode=socket-client, dev=\"127.0.0.1:$tcp\""}
	else
		cfg=${cfg//@COM1@/"mode=file, dev=\"$(realpath -m "$out")\""}
	fi
	cfg=${cfg//@LOG@/"$(realpath -m "$work/bochs.log")"}
	printf '%s\n' "$cfg" > "$rc"
	# The debugger Debian's Bochs has built in runs these commands: continue
	# until the magic breakpoint, then quit with status 0. Its stdin must not
	# be a terminal it would wait on.
	printf 'c\nq\n' > "$work/bochs.rc"
	[[ -n $tcp ]] || : > "$out"

	if [[ -n $serial || -n $tcp ]]; then
		# Bochs' VNC display must bind a port in 5900-5949 before anything
		# boots; when none is free for a moment it panics at once. That is the
		# machine, not the image: start it again, a few times at most.
		local attempt status
		for attempt in 1 2 3; do
			status=0
			bochs -q -f "$rc" -rc "$work/bochs.rc" </dev/null >"$work/bochs.out" 2>&1 || status=$?
			grep -q 'RFB could not bind any port' "$work/bochs.log" 2>/dev/null || return $status
			echo "boot: Bochs found no free VNC port (attempt $attempt); starting it again" >&2
			[[ -n $tcp ]] || : > "$out"
			sleep 2
		done
		return $status
	fi
	# Interactive: the terminal is the serial port, both ways, through
	# test/system/serial_io.py (Bochs connects to it as a socket client).
	echo "boot: Bochs is running; its screen is on VNC localhost:5900 (or the next port)," \
		"its log in $work/bochs.log" >&2
	if [[ -t 0 ]] && command -v python3 >/dev/null; then
		echo "boot: the terminal is the serial console; Ctrl-] ends Bochs" >&2
		exec python3 "$here/../test/system/serial_io.py" -i -l "$out" -- \
			"${BASH_SOURCE[0]}" -w "$work" -m "$megs" -t "{port}" bochs "$image"
	fi
	# Output only: show the serial file as Bochs writes it.
	bochs -q -f "$rc" -rc "$work/bochs.rc" </dev/null >"$work/bochs.out" 2>&1 &
	local pid=$! status=0
	tail -n +1 -F --pid=$pid "$out" 2>/dev/null || true
	wait $pid || status=$?
	[[ -z $(tail -c 1 "$out") ]] || echo   # the last line may lack its newline
	return $status
}

case $engine in
qemu-kernel | qemu-bios | qemu-uefi) run_qemu ;;
bochs) run_bochs ;;
*) usage ;;
esac
