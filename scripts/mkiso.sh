#!/bin/bash
# scripts/mkiso.sh: wrap the hypervisor ELF in a hybrid BIOS+UEFI GRUB image,
# bootable from CD, from a disk or USB stick it is dd'ed to, and by OVMF.
#
#   scripts/mkiso.sh OUT.iso ELF ELF32 [-d ENTRY] [-c "COMMAND LINE"] [-g "FILE DESCRIPTION"]...
#                    [-l "BZIMAGE INITRD [LINUX COMMAND LINE]"]
#
# ELF is the hypervisor, booted with Multiboot2; ELF32 its elf32-i386 copy,
# booted with Multiboot1 (GRUB 2.06's "multiboot" fails on the 64-bit ELF
# with "premature end of file"). ENTRY is the GRUB menu entry booted:
# 0 = Multiboot2 (default), 1 = Multiboot1, 2 = the Linux of -l. The test
# rig makes variant images this way without rebuilding the kernel.
#
# -l adds menu entry 2: a Linux kernel and its initramfs booted by GRUB
# straight on the machine, without the hypervisor (the native half of the
# Linux figures of `make bench`, and test/system/linux-native.test).
#
# Each -g adds a guest: FILE is copied to /guests/ on the image (once when
# several guests run the same file) and both entries load it as a boot
# module whose command line is DESCRIPTION (the guest description of
# vm/guest_desc.h), "module2 /guests/NAME DESCRIPTION" under Multiboot2 and
# "module /guests/NAME DESCRIPTION" under Multiboot1.
# DESCRIPTION is GRUB script, copied as it is: GRUB splits it into words,
# removing quotes, and hands the module a command line in which a word with
# a space is wrapped in double quotes again: cmdline="a b" arrives as
# "cmdline=a b". Guests of the same FILE share one copy. For example:
#   -g "build/guests/hello32.elf name=hello32 kind=multiboot cmdline=\"a b\""
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() { echo "usage: $0 OUT.iso ELF ELF32 [-d ENTRY] [-c CMDLINE] [-g \"FILE DESCRIPTION\"]... [-l \"BZIMAGE INITRD [CMDLINE]\"]" >&2; exit 2; }
(($# >= 3)) || usage
out=$1 elf=$2 elf32=$3
shift 3
entry=0 cmdline="" guests=() linux=""
while getopts "d:c:g:l:" opt; do
	case $opt in
	d) entry=$OPTARG ;;
	c) cmdline=$OPTARG ;;
	g) guests+=("$OPTARG") ;;
	l) linux=$OPTARG ;;
	*) usage ;;
	esac
done
[[ $entry =~ ^[01]$ || ($entry == 2 && -n $linux) ]] || usage
for f in "$elf" "$elf32"; do
	[[ -f $f ]] || { echo "mkiso: $f: no such file" >&2; exit 1; }
done
[[ $cmdline != *$'\n'* ]] || { echo "mkiso: the command line is one line" >&2; exit 1; }

# The guests' module lines, and the files they name.
modules1="" modules2="" files=()
for g in "${guests[@]}"; do
	read -r file desc <<<"$g"
	[[ $g != *$'\n'* ]] || { echo "mkiso: -g \"$g\": the description is one line" >&2; exit 1; }
	[[ -f $file ]] || { echo "mkiso: -g \"$g\": $file: no such file" >&2; exit 1; }
	name=$(basename "$file")
	# one file may be several guests; two files may not share a name
	seen=0
	for f in "${files[@]}"; do
		[[ $(basename "$f") == "$name" ]] || continue
		[[ $f -ef $file ]] || { echo "mkiso: -g \"$g\": a second guest file named $name" >&2; exit 1; }
		seen=1
	done
	((seen)) || files+=("$file")
	modules2+=$'\t'"module2 /guests/$name${desc:+ $desc}"$'\n'
	modules1+=$'\t'"module /guests/$name${desc:+ $desc}"$'\n'
done

# Linux without the hypervisor (-l): its files go to /boot/linux/.
linux_entry=""
if [[ -n $linux ]]; then
	read -r bzimage initrd linux_cmdline <<<"$linux"
	for f in "$bzimage" "$initrd"; do
		[[ -f $f ]] || { echo "mkiso: -l \"$linux\": $f: no such file" >&2; exit 1; }
	done
	[[ $linux != *$'\n'* ]] || { echo "mkiso: -l \"$linux\": the command line is one line" >&2; exit 1; }
	[[ $(basename "$bzimage") != "$(basename "$initrd")" ]] ||
		{ echo "mkiso: -l \"$linux\": the kernel and the initramfs have the same file name" >&2; exit 1; }
	linux_entry=$'menuentry "Linux, without the hypervisor" {\n'
	linux_entry+=$'\tlinux /boot/linux/'"$(basename "$bzimage")${linux_cmdline:+ $linux_cmdline}"$'\n'
	linux_entry+=$'\tinitrd /boot/linux/'"$(basename "$initrd")"$'\n\tboot\n}'
fi

root=$(mktemp -d "${TMPDIR:-/tmp}/mkiso.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/boot/grub" "$(dirname "$out")"
cp "$elf" "$root/boot/hypervisor.elf"
cp "$elf32" "$root/boot/hypervisor32.elf"
if ((${#files[@]})); then
	mkdir -p "$root/guests"
	cp "${files[@]}" "$root/guests/"
fi
if [[ -n $linux ]]; then
	mkdir -p "$root/boot/linux"
	cp "$bzimage" "$initrd" "$root/boot/linux/"
fi
cfg=$(<"$here/grub.cfg.in")
cfg=${cfg//@DEFAULT@/"$entry"}
cfg=${cfg//@CMDLINE@/"$cmdline"}
cfg=${cfg//$'\t'@MODULES2@$'\n'/"$modules2"}
cfg=${cfg//$'\t'@MODULES1@$'\n'/"$modules1"}
cfg=${cfg//@LINUX_ENTRY@/"$linux_entry"}
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
