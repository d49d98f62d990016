# QEMU virt: what the device tree cannot tell the build.

# The machine every demo and test boots. The platform DTB the config checker
# validates against is dumped from exactly this machine. iommu=smmuv3 puts
# the PCIe host bridge's devices behind an SMMUv3 (0x09050000), which Tessera
# resets with every stream aborting until a VM is given one.
QEMU_SYSTEM  := qemu-system-aarch64
QEMU_MACHINE := virt,virtualization=on,gic-version=3,iommu=smmuv3
QEMU_OPTS    := -cpu cortex-a76 -smp 4 -m 1G

# QEMU 7.2 -kernel loads an arm64 Image at the RAM base + 2 MiB + text_offset (0).
HYP_LOAD_ADDR := 0x40200000

DEFAULT_CONFIG := configs/qemu-virt/linux-rt.dts
