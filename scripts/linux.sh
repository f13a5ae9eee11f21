#!/bin/bash
# scripts/linux.sh: build the Linux guest of guests/linux/, a small kernel
# and a busybox initramfs, from Debian's packages. `make linux` calls it
# with the Makefile's dependencies (the fragment, the initramfs files,
# busybox, the source tarball), so a build pays only for what changed.
#
#   scripts/linux.sh unpack    OUT   the kernel source -> OUT/src
#   scripts/linux.sh kernel    OUT   tinyconfig + guests/linux/kernel.config -> OUT/bzImage
#   scripts/linux.sh initramfs OUT   guests/linux/initramfs.list -> OUT/initramfs.cpio.gz
#
# The source is linux-source-6.1 (/usr/src/linux-source-6.1.tar.xz, or
# $LINUX_SOURCE), the shell Debian's busybox-static (/bin/busybox, or
# $BUSYBOX: a static one). The kernel is built out of
# tree in OUT/obj with every CPU (nice'd); its log goes to OUT/kernel.log and
# only its tail is shown when it fails. The first build takes two to four
# minutes on two cores; later ones rebuild what the configuration changed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
guest=$(cd "$here/../guests/linux" && pwd)
tarball=${LINUX_SOURCE:-/usr/src/linux-source-6.1.tar.xz}
busybox=${BUSYBOX:-/bin/busybox}

usage() { sed -n '6,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
(($# == 2)) || usage
what=$1 out=$2
mkdir -p "$out"
out=$(cd "$out" && pwd)
src=$out/src obj=$out/obj

# The kernel's make, on its own: not part of the caller's make (no jobserver,
# none of its command-line variables such as V= or O=).
kmake() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
		nice -n 10 make -C "$src" O="$obj" ARCH=x86_64 "$@"
}

# Runs "$@" with its output in $log; shows the end of it when it fails.
logged() {
	if ! "$@" >>"$log" 2>&1; then
		tail -n 30 "$log" | sed 's/^/  | /' >&2
		echo "linux: failed: $*; the whole log is $log" >&2
		exit 1
	fi
}

unpack() {
	[[ -f $tarball ]] || { echo "linux: no $tarball: install linux-source-6.1 (make deps)" >&2; exit 1; }
	echo "  LINUX   unpack $tarball"
	# A new source means a new tree: the old objects would not match it.
	rm -rf "$src" "$obj"
	mkdir -p "$src"
	tar -xf "$tarball" -C "$src" --strip-components=1
	touch "$src/.unpacked"
}

# Each line of the fragment that sets or unsets a symbol must hold in the
# final .config; Kconfig drops a symbol whose dependencies are missing
# without a word.
check_config() {
	local line sym bad=0
	while IFS= read -r line; do
		[[ $line =~ ^(# )?(CONFIG_[A-Za-z0-9_]+)(=| is not set$) ]] || continue
		sym=${BASH_REMATCH[2]}
		if [[ $line == "#"* ]]; then
			grep -q "^$sym=" "$obj/.config" || continue
		else
			grep -qxF -- "$line" "$obj/.config" && continue
		fi
		echo "linux: guests/linux/kernel.config wants \"$line\"; the kernel's .config has" \
			"\"$(grep -E "^(# )?$sym[= ]" "$obj/.config" || echo "nothing for $sym")\"" >&2
		bad=1
	done <"$guest/kernel.config"
	((!bad)) || { echo "linux: a missing dependency? (see $obj/.config)" >&2; exit 1; }
}

kernel() {
	[[ -f $src/.unpacked ]] || unpack
	log=$out/kernel.log
	: >"$log"
	echo "  LINUX   configure: tinyconfig + guests/linux/kernel.config"
	logged kmake tinyconfig
	logged env ARCH=x86_64 "$src/scripts/kconfig/merge_config.sh" -m -O "$obj" \
		"$obj/.config" "$guest/kernel.config"
	logged kmake olddefconfig
	check_config
	echo "  LINUX   bzImage (the first build takes a few minutes)"
	logged kmake -j"$(nproc)" bzImage
	cp "$obj/arch/x86/boot/bzImage" "$out/bzImage.tmp"
	mv "$out/bzImage.tmp" "$out/bzImage"
}

initramfs() {
	[[ -f $src/.unpacked ]] || unpack
	[[ -x $busybox ]] || { echo "linux: no $busybox: install busybox-static (make deps)" >&2; exit 1; }
	[[ $(ldd "$busybox" 2>&1 || true) == *"not a dynamic executable"* ]] ||
		{ echo "linux: $busybox is not statically linked: install busybox-static" >&2; exit 1; }
	echo "  LINUX   initramfs.cpio.gz"
	# gen_init_cpio writes device nodes without root: one C file of the tree.
	local gen=$out/gen_init_cpio list=$out/initramfs.list
	[[ $gen -nt $src/usr/gen_init_cpio.c ]] || cc -O2 -o "$gen" "$src/usr/gen_init_cpio.c"
	{
		cat "$guest/initramfs.list"
		echo "# busybox applets"
		"$busybox" --list-full | sort | while read -r applet; do
			[[ $applet != bin/busybox ]] || continue
			echo "slink /$applet /bin/busybox 0777 0 0"
		done
	} >"$list"
	# gzip -n and a fixed time: the same inputs make the same archive.
	GUEST=$guest BUSYBOX=$busybox "$gen" -t 0 "$list" | gzip -9 -n >"$out/initramfs.cpio.gz.tmp"
	mv "$out/initramfs.cpio.gz.tmp" "$out/initramfs.cpio.gz"
}

case $what in
unpack) unpack ;;
kernel) kernel ;;
initramfs) initramfs ;;
*) usage ;;
esac
