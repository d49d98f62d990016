# NVIDIA Tegra234 (Jetson AGX Orin, Orin NX, Orin Nano): what the device tree
# cannot tell the build. The hypervisor binary is the same as on QEMU; at run
# time everything comes from the DT UEFI passes and from the UEFI memory map.
# Sources: ../shared/reference/orin-hardware.md (section numbers below).

# The config checker validates against the board's DT as UEFI gives it, plus
# the one thing that DT lacks at build time: RAM. Orin's DT has no /memory
# (RAM comes from the UEFI memory map, section 1), so the build adds a
# /memory node to a copy of it (tools/dtb-add-memory.sh), in build/tegra234/.
#
# Which board's DT: configs/tegra234/orin-nano-*.dts are checked against the
# Orin Nano test DT (tests/unit/dts/tegra234-orin-nano.dts), every other
# config against the real AGX Orin devkit DT built from Debian's
# linux-source-6.1 (tools/tegra234-dtb.sh). TEGRA234_BOARD=agx-orin|orin-nano
# overrides the choice.
TEGRA234_BOARD ?= $(if $(filter orin-nano-%,$(notdir $(CONFIG))),orin-nano,agx-orin)
# The AGX's: Linux 6.1's devkit DT plus the XUSB host and GPU nodes L4T r36
# has (tegra234-l4t-additions.dtsi; the Makefile makes it).
TEGRA234_BASE_DTB.agx-orin  = $(B)/tegra234/agx-orin-l4t.dtb
TEGRA234_BASE_DTB.orin-nano = $(B)/host/tests/dts/tegra234-orin-nano.dtb

# RAM VMs may be given, conservatively (section 1): DRAM starts at
# 0x80000000 (edk2-nvidia TEGRA_SYSTEM_MEMORY_BASE); TZDRAM, which raises RAS
# errors when touched, sits at 0xbe000000 + 64 MiB on the units seL4's
# authors used (location elsewhere unknown); the other carveouts are placed
# by firmware near the top of DRAM. So only the windows seL4 runs in on
# those units are described: 0x80000000 + 0x3e000000 (992 MiB, below
# TZDRAM) on both boards, and on the AGX (32 or 64 GB) also 0xc2000000 +
# 0x3e000000, above it. On the board the UEFI map is the authority and the
# hypervisor checks the config against it again at boot.
TEGRA234_RAM.agx-orin  = 0x0 0x80000000 0x0 0x3e000000 0x0 0xc2000000 0x0 0x3e000000
TEGRA234_RAM.orin-nano = 0x0 0x80000000 0x0 0x3e000000

# Read by the Makefile: the checker's DT is PLATFORM_BASE_DTB with
# PLATFORM_RAM (cells: base and size, 2 + 2 each) as /memory.
PLATFORM_BASE_DTB = $(TEGRA234_BASE_DTB.$(TEGRA234_BOARD))
PLATFORM_RAM      = $(TEGRA234_RAM.$(TEGRA234_BOARD))
PLATFORM_DTB      = $(B)/tegra234/platform-$(TEGRA234_BOARD).dtb

# UEFI loads the EFI image wherever it likes, so no load address is known at
# build time. For the checker the hypervisor is taken to sit at the base of
# DRAM, [0x80000000, + its image size): configs keep their VMs' memory at
# 0x90000000 and above (256 MiB left to the hypervisor, which also covers
# UEFI's own allocations low in DRAM). At boot the real footprint and the
# UEFI map are checked again.
HYP_LOAD_ADDR := 0x80000000

DEFAULT_CONFIG := configs/tegra234/agx-orin-linux-rt.dts

# No QEMU model of Tegra234: `make run`, `make demo` and boot scenarios are
# for qemu-virt; a tegra234 image is built and checked here, booted on a board
# (docs/orin.md).
