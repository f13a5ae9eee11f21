#!/bin/bash
# scripts/deps.sh: install whatever the build, `make run` and `make test` need
# and this machine lacks. The list lives in scripts/packages.txt, nowhere else.
#
#   scripts/deps.sh            check every package; install the missing ones
#   scripts/deps.sh PKG...     the same for just these (they need not be listed)
#
# Installs with apt-get when run as root, through sudo otherwise, and stops with
# a message naming the packages when it can do neither. Prints nothing and
# returns at once when everything is already there.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if (($#)); then
	wanted=("$@")
else
	mapfile -t wanted < <(sed 's/#.*//; s/[[:space:]]//g; /^$/d' "$here/packages.txt")
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "deps: no dpkg here; install by hand the equivalents of: ${wanted[*]}" >&2
	exit 0
fi

# dpkg-query lists installed packages as "ii"; anything else (or unknown) is missing.
missing=()
for pkg in "${wanted[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
	[[ $status == ii* ]] || missing+=("$pkg")
done
((${#missing[@]})) || exit 0

if ((EUID == 0)); then
	as_root=()
elif command -v sudo >/dev/null 2>&1 && { [[ -t 0 ]] || sudo -n true 2>/dev/null; }; then
	as_root=(sudo)
else
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: cannot install them: not root, and sudo is unavailable or wants a password" >&2
	echo "deps: run as root:  apt-get install ${missing[*]}" >&2
	exit 1
fi

echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt_get=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Use-Pty=0)
"${apt_get[@]}" update
"${apt_get[@]}" install --no-install-recommends "${missing[@]}"
