#!/bin/bash
# scripts/linux-debian.sh: fetch Debian's stock kernel for the slow tests
# (test/system/linux-debian-*.test): the package linux-image-amd64 points at,
# downloaded with apt-get and unpacked with dpkg -x, never installed.
#
#   scripts/linux-debian.sh OUT     -> OUT/vmlinuz, and OUT/package naming it
#
# It boots with the initramfs of guests/linux/ (make linux): Debian's kernel
# has the 8250 console, ACPI, gzip initramfs and devtmpfs built in. Once
# OUT/vmlinuz is there and the archive still names the same package, it
# does nothing; apt-cache's lists must be there (apt-get update).
set -euo pipefail

(($# == 1)) || { echo "usage: $0 OUT" >&2; exit 2; }
out=$1
mkdir -p "$out"

command -v apt-cache >/dev/null 2>&1 || { echo "linux-debian: needs apt-cache and dpkg (Debian or Ubuntu)" >&2; exit 1; }

# "Depends: linux-image-6.1.0-56-amd64": the metapackage's current kernel.
package=$(apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n -E 's/^ *Depends: (linux-image-[0-9][^ ]*-amd64)$/\1/p' | head -n 1)
if [[ -z $package ]]; then
	echo "linux-debian: apt-cache knows no linux-image-amd64 (run apt-get update first)" >&2
	exit 1
fi
if [[ -f $out/vmlinuz && $(cat "$out/package" 2>/dev/null) == "$package" ]]; then
	exit 0
fi

echo "  DEBIAN  $package (download and unpack; not installed)"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/linux-debian.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# apt-get download hands the download to the _apt user when it can.
chmod 755 "$tmp"
if ! (cd "$tmp" && apt-get download -q "$package" >"$tmp/download.log" 2>&1); then
	cat "$tmp/download.log" >&2
	echo "linux-debian: apt-get download $package failed (stale lists? apt-get update)" >&2
	exit 1
fi
dpkg -x "$tmp"/"$package"_*.deb "$tmp/root"
vmlinuz=$(find "$tmp/root/boot" -name 'vmlinuz-*' | head -n 1)
[[ -n $vmlinuz ]] || { echo "linux-debian: $package has no /boot/vmlinuz-*" >&2; exit 1; }
cp "$vmlinuz" "$out/vmlinuz.tmp"
mv "$out/vmlinuz.tmp" "$out/vmlinuz"
echo "$package" >"$out/package"
