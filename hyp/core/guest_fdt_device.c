/*
 * Guest DT nodes of the platform devices a VM owns: each a copy of its node
 * in the platform DT, with what points outside the node rewritten for the VM:
 * reg at the VM's addresses, a PCI host bridge's ranges (windows the VM
 * cannot address left out) and interrupt-map aimed at the vGIC, clocks at
 * copies of the fixed clocks. What the VM has no counterpart for (the ITS
 * behind msi-map, the SMMU behind iommu-map: Tessera owns it) is dropped.
 * Interrupts keep their specifiers: a passed-through SPI keeps its INTID.
 */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include <tessera/guest_fdt.h>

#include "guest_fdt_internal.h"

/* arm,gic-v3 interrupt specifier: <type number flags>. */
#define GIC_DT_SPI 0
#define GIC_DT_EDGE_RISING 1
#define GIC_DT_LEVEL_HIGH 4

/* Properties written below, or with no counterpart in a VM. */
static const char *const rewritten_props[] = {
	"reg", "ranges", "interrupt-map", "clocks", "phandle", "linux,phandle", "interrupt-parent",
	"msi-parent", "msi-map", "msi-map-mask", "iommus", "iommu-map", "iommu-map-mask", "status",
};

static bool is_rewritten(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(rewritten_props); i++)
		if (!strcmp(name, rewritten_props[i]))
			return true;
	return false;
}

static u32 clock_phandle(unsigned int device, unsigned int clock)
{
	return GUEST_FDT_DEVICE_CLOCK_PHANDLE + device * PLATFORM_DEVICE_MAX_CLOCKS + clock;
}

/* A fixed clock per clocks entry, so the VM's driver finds its rate (and apb_pclk). */
static int device_clocks(void *fdt, unsigned int d, const struct platform_device *hw)
{
	for (unsigned int c = 0; c < hw->clock_count; c++) {
		char name[NODE_NAME_MAX];

		snprintf(name, sizeof(name), "device%u-clock%u", d, c);
		FDT_TRY(fdt_begin_node(fdt, name));
		FDT_TRY(fdt_property_string(fdt, "compatible", "fixed-clock"));
		FDT_TRY(fdt_property_u32(fdt, "#clock-cells", 0));
		FDT_TRY(fdt_property_u32(fdt, "clock-frequency", hw->clock_hz[c]));
		FDT_TRY(fdt_property_u32(fdt, "phandle", clock_phandle(d, c)));
		FDT_TRY(fdt_end_node(fdt));
	}
	return 0;
}

static int copy_props(void *fdt, const void *pfdt, int node)
{
	int prop;

	fdt_for_each_property_offset(prop, pfdt, node) {
		const char *name;
		int len;
		const void *val = fdt_getprop_by_offset(pfdt, prop, &name, &len);

		if (val && name && !is_rewritten(name))
			FDT_TRY(fdt_property(fdt, name, val, len));
	}
	return 0;
}

/* reg in the guest root's 2 + 2 cells, at the VM's addresses. */
static int device_reg(void *fdt, const struct platform_device *hw)
{
	fdt64_t reg[2 * PLATFORM_DEVICE_MAX_REGIONS];
	unsigned int n = 0;

	for (unsigned int i = 0; i < hw->region_count; i++) {
		if (hw->region[i].window)
			continue;
		reg[n++] = cpu_to_fdt64(hw->region[i].ipa);
		reg[n++] = cpu_to_fdt64(hw->region[i].size);
	}
	return fdt_property(fdt, "reg", reg, (int)(n * sizeof(reg[0])));
}

/* A host bridge's windows: <phys.hi phys.mid phys.lo  cpu (2)  size (2)>, 7 cells each. */
static int pci_ranges(void *fdt, const struct platform_device *hw)
{
	fdt32_t r[7 * PLATFORM_DEVICE_MAX_REGIONS];
	unsigned int n = 0;

	for (unsigned int i = 0; i < hw->region_count; i++) {
		const struct device_region *w = &hw->region[i];

		if (!w->window)
			continue;
		r[n++] = cpu_to_fdt32(w->pci_hi);
		r[n++] = cpu_to_fdt32((u32)(w->pci_addr >> 32));
		r[n++] = cpu_to_fdt32((u32)w->pci_addr);
		r[n++] = cpu_to_fdt32((u32)(w->ipa >> 32));
		r[n++] = cpu_to_fdt32((u32)w->ipa);
		r[n++] = cpu_to_fdt32((u32)(w->size >> 32));
		r[n++] = cpu_to_fdt32((u32)w->size);
	}
	return fdt_property(fdt, "ranges", r, (int)(n * sizeof(r[0])));
}

/* interrupt-map: each INTx entry aimed at the vGIC, which takes no parent unit address. */
static int pci_interrupt_map(void *fdt, const struct platform *plat,
			     const struct platform_device *hw)
{
	enum { CELLS = 4 + 1 + 3 }; /* child address + pin, phandle, GIC specifier */
	struct pci_intx_entry e;
	fdt32_t *map;
	int count = 0, rc;

	while ((rc = platform_pci_intx(plat, hw->node, count, &e)) == 1)
		count++;
	if (rc < 0)
		return -FDT_ERR_BADVALUE;
	if (count == 0)
		return 0;
	FDT_TRY(fdt_property_placeholder(fdt, "interrupt-map", count * CELLS * 4, (void **)&map));
	for (int i = 0; i < count; i++, map += CELLS) {
		platform_pci_intx(plat, hw->node, i, &e);
		for (int c = 0; c < 4; c++)
			map[c] = cpu_to_fdt32(e.child[c]);
		map[4] = cpu_to_fdt32(GUEST_FDT_GIC_PHANDLE);
		map[5] = cpu_to_fdt32(GIC_DT_SPI);
		map[6] = cpu_to_fdt32(e.intid - 32);
		map[7] = cpu_to_fdt32(e.edge ? GIC_DT_EDGE_RISING : GIC_DT_LEVEL_HIGH);
	}
	return 0;
}

static int device_node(void *fdt, const struct guest_fdt_params *p, unsigned int d)
{
	const struct platform_device *hw = &p->devices[d].hw;
	const void *pfdt = p->platform->fdt;
	int len;
	const char *name = fdt_get_name(pfdt, hw->node, &len);
	const char *at = name ? memchr(name, '@', (size_t)len) : NULL;
	char base[NODE_NAME_MAX];

	if (!name)
		return -FDT_ERR_BADSTRUCTURE;
	snprintf(base, sizeof(base), "%.*s", at ? (int)(at - name) : len, name);
	FDT_TRY(begin_node_at(fdt, base, hw->region[0].ipa));
	FDT_TRY(copy_props(fdt, pfdt, hw->node));
	FDT_TRY(device_reg(fdt, hw));
	if (hw->pci) {
		FDT_TRY(pci_ranges(fdt, hw));
		FDT_TRY(pci_interrupt_map(fdt, p->platform, hw));
	}
	if (hw->clock_count) {
		fdt32_t clocks[PLATFORM_DEVICE_MAX_CLOCKS];

		for (unsigned int c = 0; c < hw->clock_count; c++)
			clocks[c] = cpu_to_fdt32(clock_phandle(d, c));
		FDT_TRY(fdt_property(fdt, "clocks", clocks, (int)(hw->clock_count * sizeof(clocks[0]))));
	}
	return fdt_end_node(fdt);
}

int guest_fdt_devices(void *fdt, const struct guest_fdt_params *p)
{
	if (p->device_count && (!p->platform || !p->platform->fdt || !p->gicd_base))
		return -FDT_ERR_BADVALUE;
	for (unsigned int d = 0; d < p->device_count; d++) {
		FDT_TRY(device_clocks(fdt, d, &p->devices[d].hw));
		FDT_TRY(device_node(fdt, p, d));
	}
	return 0;
}
