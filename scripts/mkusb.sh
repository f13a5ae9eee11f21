#!/bin/bash
# scripts/mkusb.sh: the USB stick image. One raw disk image with a GPT:
#   partition 1  BIOS boot partition (1 MiB): GRUB's core image for BIOS machines
#   partition 2  EFI system partition (FAT): EFI/BOOT/BOOTX64.EFI (our loader,
#                what UEFI firmware boots from removable media),
#                EFI/hvlab/hvlab.cfg (its config, boot/efi/config.h),
#                boot/hypervisor.elf, guests/*, boot/grub/grub.cfg (GRUB, BIOS)
# The protective MBR carries GRUB's boot sector. Built with sgdisk, mtools
# and grub-mkimage: no loop devices, no root.
#
#   scripts/mkusb.sh OUT.img ELF EFI_APP [-c "COMMAND LINE"] [-g "FILE DESCRIPTION"]...
#                    [-k PATH] [-x BYTES]
#
# -c and -g are scripts/mkiso.sh's: the hypervisor's command line, and one
# guest module per -g (FILE is copied to /guests/, DESCRIPTION is its
# module command line). For the tests of the loader's error paths:
#   -k PATH    the config names PATH as the hypervisor (no file is put there)
#   -x BYTES   the hypervisor on the stick is cut to its first BYTES bytes
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() { echo "usage: $0 OUT.img ELF EFI_APP [-c CMDLINE] [-g \"FILE DESCRIPTION\"]... [-k PATH] [-x BYTES]" >&2; exit 2; }
(($# >= 3)) || usage
out=$1 elf=$2 efi=$3
shift 3
cmdline="" guests=() kernel_path=/boot/hypervisor.elf cut=""
while getopts "c:g:k:x:" opt; do
	case $opt in
	c) cmdline=$OPTARG ;;
	g) guests+=("$OPTARG") ;;
	k) kernel_path=$OPTARG ;;
	x) cut=$OPTARG ;;
	*) usage ;;
	esac
done
for f in "$elf" "$efi"; do
	[[ -f $f ]] || { echo "mkusb: $f: no such file" >&2; exit 1; }
done
[[ $cmdline != *$'\n'* ]] || { echo "mkusb: the command line is one line" >&2; exit 1; }
[[ -z $cut || $cut =~ ^[0-9]+$ ]] || usage

# Layout, in 512-byte sectors. The ESP is FAT16 (mtools picks it for this
# size), which UEFI firmware reads on removable media.
bios_start=2048 bios_sectors=2048
esp_start=4096 esp_mib=40
esp_sectors=$((esp_mib * 2048))
total_sectors=$((esp_start + esp_sectors + 2048))   # room for the backup GPT

work=$(mktemp -d "${TMPDIR:-/tmp}/mkusb.XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- the ESP's files ----------------------------------------------------------
mkdir -p "$work/root/EFI/BOOT" "$work/root/EFI/hvlab" "$work/root/boot/grub" "$work/root/guests"
cp "$efi" "$work/root/EFI/BOOT/BOOTX64.EFI"
if [[ -n $cut ]]; then
	head -c "$cut" "$elf" > "$work/root/boot/hypervisor.elf"
else
	cp "$elf" "$work/root/boot/hypervisor.elf"
fi

cfg="# The hvlab UEFI loader's configuration (README: \"The UEFI loader\")."$'\n'
cfg+="kernel  $kernel_path"$'\n'
cfg+="cmdline $cmdline"$'\n'
modules2=""
for g in "${guests[@]}"; do
	read -r file desc <<<"$g"
	[[ -f $file ]] || { echo "mkusb: -g \"$g\": $file: no such file" >&2; exit 1; }
	name=$(basename "$file")
	[[ ! -e $work/root/guests/$name ]] || { echo "mkusb: -g \"$g\": a second guest file named $name" >&2; exit 1; }
	cp "$file" "$work/root/guests/$name"
	cfg+="module  /guests/$name${desc:+ $desc}"$'\n'
	modules2+=$'\t'"module2 /guests/$name${desc:+ $desc}"$'\n'
done
printf '%s' "$cfg" > "$work/root/EFI/hvlab/hvlab.cfg"

# GRUB (BIOS) boots the same hypervisor with Multiboot2; the Multiboot1
# entry of the ISO's menu is left out (the stick has no 32-bit copy).
grub=$(<"$here/grub.cfg.in")
grub=${grub//@DEFAULT@/0}
grub=${grub//@CMDLINE@/"$cmdline"}
grub=${grub//$'\t'@MODULES2@$'\n'/"$modules2"}
grub=${grub%%menuentry \"hypervisor (Multiboot1)\"*}
printf '%s\n' "$grub" > "$work/root/boot/grub/grub.cfg"

# --- the ESP's file system ----------------------------------------------------
esp=$work/esp.img
truncate -s $((esp_sectors * 512)) "$esp"
mformat -i "$esp" -T "$esp_sectors" -h 64 -s 32 -v HVLAB ::
(cd "$work/root" && find . -mindepth 1 -type d | sed 's|^\./||' | sort) | while read -r d; do
	mmd -i "$esp" "::/$d"
done
(cd "$work/root" && find . -type f | sed 's|^\./||' | sort) | while read -r f; do
	mcopy -i "$esp" "$work/root/$f" "::/$f"
done

# --- the disk -----------------------------------------------------------------
img=$work/disk.img
truncate -s $((total_sectors * 512)) "$img"
sgdisk -o \
	-n 1:$bios_start:+$bios_sectors -t 1:EF02 -c 1:"BIOS boot" \
	-n 2:$esp_start:+$esp_sectors -t 2:EF00 -c 2:"hvlab ESP" \
	"$img" >/dev/null
dd if="$esp" of="$img" bs=512 seek=$esp_start conv=notrunc status=none

# GRUB for BIOS, as grub-install would set it up on a GPT disk: boot.img
# in the MBR's code area (up to the disk signature at 440), pointing at
# the core image in the BIOS boot partition (its first sector's LBA at
# offset 0x5C); core.img's first sector (diskboot) lists where the rest
# is (LBA at 0x1F4, the length and segment grub-mkimage wrote stay).
grubdir=/usr/lib/grub/i386-pc
grub-mkimage -O i386-pc -d "$grubdir" -o "$work/core.img" -p "(,gpt2)/boot/grub" \
	biosdisk part_gpt fat normal configfile multiboot2 multiboot serial terminal test echo boot
core_sectors=$((($(stat -c %s "$work/core.img") + 511) / 512))
((core_sectors <= bios_sectors)) || { echo "mkusb: GRUB's core image does not fit its partition" >&2; exit 1; }
le64() { printf '%016x' "$1" | sed -E 's/(..)(..)(..)(..)(..)(..)(..)(..)/\\x\8\\x\7\\x\6\\x\5\\x\4\\x\3\\x\2\\x\1/'; }
cp "$grubdir/boot.img" "$work/boot.img"
printf "$(le64 $bios_start)" | dd of="$work/boot.img" bs=1 seek=$((0x5C)) conv=notrunc status=none
dd if="$work/boot.img" of="$img" bs=440 count=1 conv=notrunc status=none
printf "$(le64 $((bios_start + 1)))" | dd of="$work/core.img" bs=1 seek=$((0x1F4)) conv=notrunc status=none
dd if="$work/core.img" of="$img" bs=512 seek=$bios_start conv=notrunc status=none

mkdir -p "$(dirname "$out")"
mv "$img" "$out"
