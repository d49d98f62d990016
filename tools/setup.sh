#!/usr/bin/env bash
# Install the Debian packages Tessera builds and tests with. Idempotent: when
# everything is present it only checks and returns. Works as root or via sudo;
# as another user without sudo it says what to run as root.
#   setup.sh         what make, make test and make demo need
#   setup.sh bench   also what make bench needs (plots)
set -euo pipefail

host_pkgs=(make gcc libc6-dev gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
           qemu-system-arm device-tree-compiler libfdt-dev libcmocka-dev cppcheck cpio
           libc6-dev-arm64-cross kmod expect
           qemu-efi-aarch64 mtools dosfstools # the uefi-* scenarios: AAVMF, a FAT disk
           u-boot-qemu u-boot-tools # the uboot-* scenarios: firmware, mkenvimage
           xz-utils # tools/tegra234-dtb.sh: linux-source-6.1's tarball is .tar.xz
           clang-14 libclang-rt-14-dev) # make fuzz: libFuzzer and the sanitizers' runtimes
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
arm64_enabled() { dpkg --print-foreign-architectures | grep -qx arm64; }
[ ${#missing[@]} -eq 0 ] && have_arm64_fdt && arm64_enabled && exit 0

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null; then
		SUDO=sudo
	elif [ ${#missing[@]} -gt 0 ] || ! arm64_enabled; then
		echo "setup: Tessera needs Debian packages that are not installed, and installing them takes root." >&2
		echo "setup: as root, run:  dpkg --add-architecture arm64 && apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
		exit 1
	fi
fi
export DEBIAN_FRONTEND=noninteractive
updated=
apt_update() { [ -n "$updated" ] || $SUDO apt-get update -q; updated=1; }
if ! arm64_enabled; then
	echo "setup: enabling the arm64 architecture (the Linux guest and libfdt for the hypervisor come from arm64 packages)"
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
	trap 'rm -rf "$tmp"' EXIT
	# As root, apt downloads as the _apt user: let it write the directory
	# (otherwise apt warns that the download is performed unsandboxed).
	if [ "$(id -u)" -eq 0 ] && id -u _apt >/dev/null 2>&1; then
		chown _apt "$tmp"
	fi
	( cd "$tmp" && apt-get download -q "$ARM64_FDT_PKG" ) ||
		{ apt_update; ( cd "$tmp" && apt-get download -q "$ARM64_FDT_PKG" ); }
	mkdir -p "$DEPS_DIR/arm64"
	dpkg -x "$tmp"/libfdt-dev_*_arm64.deb "$DEPS_DIR/arm64"
fi
