/*
 * A PCI channel end in the guest DT: a generic ECAM host bridge of its own
 * (Linux: pci/host-generic-pci.yaml, on pci/pci-bus.yaml; addresses per the
 * PCI Bus Binding to IEEE 1275, rev 2.1) with the one function hyp/virt/vpci.c
 * emulates. Its only memory window is the shared memory, exactly: a guest
 * that assigns BARs itself (Linux on arm64 without firmware does) can then
 * only put BAR 0 where the memory is mapped.
 */
#include <tessera/config.h>

#include "guest_fdt_internal.h"

/* phys.hi of a PCI address (IEEE 1275 PCI binding 2.2.1.1): npt000ss bbbbbbbb dddddfff rrrrrrrr */
#define PCI_SPACE_MEM32 (2u << 24)
#define PCI_SPACE_MEM64 (3u << 24)
#define PCI_ADDR_CELLS 3
#define PCI_SIZE_CELLS 2
#define PCI_INTA 1
#define PCI_IRQ_MASK_PIN 7 /* interrupt-map-mask: match on the pin only (one device) */

static void cells64(fdt32_t *cells, u64 v)
{
	cells[0] = cpu_to_fdt32((u32)(v >> 32));
	cells[1] = cpu_to_fdt32((u32)v);
}

/* Device 00.0 (pci-bus.yaml: unit address "DEV,FN", reg's phys.hi names it): who it joins. */
static int node_function(void *fdt, const struct guest_fdt_channel *c)
{
	fdt32_t reg[PCI_ADDR_CELLS + PCI_SIZE_CELLS] = { 0 };

	FDT_TRY(fdt_begin_node(fdt, "channel@0,0"));
	FDT_TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	FDT_TRY(channel_names(fdt, c));
	return fdt_end_node(fdt);
}

int node_pci_channel(void *fdt, const struct guest_fdt_channel *c, u32 domain)
{
	fdt64_t reg[2] = { cpu_to_fdt64(c->pci_ecam), cpu_to_fdt64(CONFIG_PCI_ECAM_SIZE) };
	fdt32_t bus_range[2] = { 0, 0 };
	fdt32_t ranges[PCI_ADDR_CELLS + GUEST_FDT_ADDR_CELLS + PCI_SIZE_CELLS];
	/* child unit address (3), child pin (1), parent phandle, parent specifier (3; #address-cells 0) */
	fdt32_t map[PCI_ADDR_CELLS + 1 + 1 + 3] = { 0 };
	fdt32_t map_mask[PCI_ADDR_CELLS + 1] = { 0, 0, 0, cpu_to_fdt32(PCI_IRQ_MASK_PIN) };
	bool high = c->map + c->size > (1ULL << 32);

	/* Non-prefetchable, so Linux takes it as the bridge's required one; BAR 0 fits either. */
	ranges[0] = cpu_to_fdt32(high ? PCI_SPACE_MEM64 : PCI_SPACE_MEM32);
	cells64(&ranges[1], c->map); /* PCI address = CPU address */
	cells64(&ranges[3], c->map);
	cells64(&ranges[5], c->size);
	map[3] = cpu_to_fdt32(PCI_INTA);
	map[4] = cpu_to_fdt32(GUEST_FDT_GIC_PHANDLE);
	gic_spec(&map[5], c->intid);

	FDT_TRY(begin_node_at(fdt, "pcie", c->pci_ecam));
	FDT_TRY(fdt_property_string(fdt, "compatible", "pci-host-ecam-generic"));
	FDT_TRY(fdt_property_string(fdt, "device_type", "pci"));
	FDT_TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	FDT_TRY(fdt_property(fdt, "bus-range", bus_range, sizeof(bus_range)));
	FDT_TRY(fdt_property_u32(fdt, "linux,pci-domain", domain));
	FDT_TRY(fdt_property_u32(fdt, "#address-cells", PCI_ADDR_CELLS));
	FDT_TRY(fdt_property_u32(fdt, "#size-cells", PCI_SIZE_CELLS));
	FDT_TRY(fdt_property(fdt, "ranges", ranges, sizeof(ranges)));
	FDT_TRY(fdt_property_u32(fdt, "#interrupt-cells", 1));
	FDT_TRY(fdt_property(fdt, "interrupt-map-mask", map_mask, sizeof(map_mask)));
	FDT_TRY(fdt_property(fdt, "interrupt-map", map, sizeof(map)));
	FDT_TRY(node_function(fdt, c));
	return fdt_end_node(fdt);
}
