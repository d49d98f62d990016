#!/usr/bin/env bash
# Install the Debian packages Tessera builds and tests with. Idempotent: when
# everything is present it only checks and returns. Works as root or via sudo.
set -euo pipefail

host_pkgs=(make gcc libc6-dev gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
           qemu-system-arm device-tree-compiler libfdt-dev libcmocka-dev cppcheck cpio
           libc6-dev-arm64-cross kmod)
# `setup.sh bench`: also what make bench needs (plots).
[ "${1:-}" = bench ] && host_pkgs+=(gnuplot-nox)
# libfdt-dev:arm64 conflicts with the host's libfdt-dev, so it is not
# installed: its package is downloaded and unpacked into build/deps/ instead.
ARM64_FDT_PKG=libfdt-dev:arm64
DEPS_DIR=${DEPS_DIR:-$(cd "$(dirname "$0")/.." && pwd)/build/deps}

missing=()
for p in "${host_pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
have_arm64_fdt() { [ -f "$DEPS_DIR/arm64/usr/lib/aarch64-linux-gnu/libfdt.a" ]; }
[ ${#missing[@]} -eq 0 ] && have_arm64_fdt && exit 0

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
updated=
apt_update() { [ -n "$updated" ] || $SUDO apt-get update -q; updated=1; }
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	$SUDO dpkg --add-architecture arm64
	apt_update
fi
if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing ${missing[*]}"
	apt_update
	$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
if ! have_arm64_fdt; then
	echo "setup: unpacking $ARM64_FDT_PKG into $DEPS_DIR/arm64"
	tmp=$(mktemp -d)
	( cd "$tmp" && apt-get download "$ARM64_FDT_PKG" ) || { apt_update; ( cd "$tmp" && apt-get download "$ARM64_FDT_PKG" ); }
	mkdir -p "$DEPS_DIR/arm64"
	dpkg -x "$tmp"/libfdt-dev_*_arm64.deb "$DEPS_DIR/arm64"
	rm -rf "$tmp"
fi
