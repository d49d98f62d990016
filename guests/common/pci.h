/*
 * A PCI host bridge with ECAM configuration space, as a device tree
 * describes it (Linux bindings pci/host-generic-pci.yaml, "pci-host-ecam-
 * generic"; ranges and BARs per the PCI Local Bus Specification 3.0 and the
 * IEEE 1275 PCI binding): enough for a bare-metal guest that owns the bridge
 * to find a device, give its BAR an address and let it master the bus.
 */
#ifndef GUEST_PCI_H
#define GUEST_PCI_H

#include "guest.h"

/* Type 0 configuration header offsets and Command register bits. */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_COMMAND_MEMORY 0x2 /* respond to memory space accesses */
#define PCI_COMMAND_MASTER 0x4 /* bus master: the device may DMA */
#define PCI_BAR0 0x10
#define PCI_BAR_IO 0x1
#define PCI_BAR_TYPE_MASK 0x6
#define PCI_BAR_TYPE_64 0x4
#define PCI_BAR_ADDR_MASK 0xfffffff0U
#define PCI_VENDOR_NONE 0xffff

struct pci_host {
	u64 ecam;        /* configuration space of bus bus_first */
	u32 bus_first, bus_last;
	struct range mem32; /* the 32-bit memory window, CPU addresses */
	u64 mem32_pci;   /* its first PCI bus address */
	u64 mem32_next;  /* first CPU address no BAR has been given yet */
};

/* The first pci-host-ecam-generic node of @fdt; NULL, or why it cannot be used. */
const char *pci_host_find(const void *fdt, struct pci_host *h);

/* Configuration space of bus:dev.fn (ECAM: 1 MiB per bus, 32 KiB per device, 4 KiB per fn). */
u64 pci_cfg(const struct pci_host *h, u32 bus, u32 dev, u32 fn);
u32 pci_cfg_read32(u64 cfg, u32 off);
void pci_cfg_write32(u64 cfg, u32 off, u32 v);

/* The first function on bus @bus with this vendor and device ID: its devfn, or -1. */
int pci_find(const struct pci_host *h, u32 bus, u32 vendor, u32 device);

/*
 * Sizes 32-bit memory BAR @bar of the function at @cfg and gives it the next
 * naturally aligned addresses in the 32-bit window. Returns its CPU address,
 * or 0 (with *why set) when it is not such a BAR or does not fit.
 */
u64 pci_bar_assign(struct pci_host *h, u64 cfg, unsigned int bar, u64 *size, const char **why);

#endif
