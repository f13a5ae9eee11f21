#!/bin/bash
# scripts/mkiso.sh: wrap the hypervisor ELF in a hybrid BIOS+UEFI GRUB image,
# bootable from CD, from a disk or USB stick it is dd'ed to, and by OVMF.
#
#   scripts/mkiso.sh OUT.iso ELF ELF32 [-d ENTRY] [-c "COMMAND LINE"]
#
# ELF is the hypervisor, booted with Multiboot2; ELF32 its elf32-i386 copy,
# booted with Multiboot1 (GRUB 2.06's "multiboot" fails on the 64-bit ELF
# with "premature end of file"). ENTRY is the GRUB menu entry booted:
# 0 = Multiboot2 (default), 1 = Multiboot1. The test rig makes variant images
# this way without rebuilding the kernel.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() { echo "usage: $0 OUT.iso ELF ELF32 [-d ENTRY] [-c CMDLINE]" >&2; exit 2; }
(($# >= 3)) || usage
out=$1 elf=$2 elf32=$3
shift 3
entry=0 cmdline=""
while getopts "d:c:" opt; do
	case $opt in
	d) entry=$OPTARG ;;
	c) cmdline=$OPTARG ;;
	*) usage ;;
	esac
done
[[ $entry =~ ^[01]$ ]] || usage
for f in "$elf" "$elf32"; do
	[[ -f $f ]] || { echo "mkiso: $f: no such file" >&2; exit 1; }
done
[[ $cmdline != *$'\n'* ]] || { echo "mkiso: the command line is one line" >&2; exit 1; }

root=$(mktemp -d "${TMPDIR:-/tmp}/mkiso.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/boot/grub" "$(dirname "$out")"
cp "$elf" "$root/boot/hypervisor.elf"
cp "$elf32" "$root/boot/hypervisor32.elf"
cfg=$(<"$here/grub.cfg.in")
cfg=${cfg//@DEFAULT@/"$entry"}
cfg=${cfg//@CMDLINE@/"$cmdline"}
printf '%s\n' "$cfg" > "$root/boot/grub/grub.cfg"

# grub-mkrescue puts BIOS (El Torito + MBR) and UEFI (EFI system partition)
# boot records into one image when grub-pc-bin and grub-efi-amd64-bin are
# both installed. Its chatter is shown only when it fails.
log=$root.log
if ! grub-mkrescue -o "$out.tmp" "$root" >"$log" 2>&1; then
	cat "$log" >&2
	rm -f "$log" "$out.tmp"
	exit 1
fi
rm -f "$log"
mv "$out.tmp" "$out"
