/*
 * Guest DT nodes of the platform devices a VM owns: each a copy of its node
 * in the platform DT, with what points outside the node rewritten for the VM:
 * reg at the VM's addresses, a PCI host bridge's ranges (windows the VM
 * cannot address left out) and interrupt-map aimed at the vGIC, clocks at
 * copies of the fixed clocks or at the virtual BPMP (<&bpmp id>, in the
 * original order), resets, power-domains, assigned-clocks,
 * assigned-clock-parents and nvidia,bpmp at the virtual BPMP (guest_fdt_bpmp.c).
 * What the VM has no counterpart for is dropped: the ITS behind msi-map, the
 * SMMU behind iommu-map (Tessera owns both), the memory controller behind
 * interconnects (Tessera's), and nodes it is not given: PHYs (phys), the
 * XUSB pad controller (nvidia,xusb-padctl), reserved memory (memory-region),
 * a phy-handle outside the node. Subnodes are copied when the node is not a
 * bus (no ranges: an MGBE's mdio and its PHY), with their phandles moved
 * above the guest's own (GUEST_FDT_SUBNODE_PHANDLE). Interrupts keep their
 * specifiers: a passed-through SPI keeps its INTID.
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
	"resets", "power-domains", "assigned-clocks", "assigned-clock-parents", "nvidia,bpmp",
	"phy-handle", "interconnects", "interconnect-names", "phys", "phy-names",
	"nvidia,xusb-padctl", "memory-region",
};

/* <&provider id> pairs whose provider the VM sees as its virtual BPMP. */
static const char *const bpmp_pair_props[] = { "assigned-clocks", "assigned-clock-parents" };

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

/* A fixed clock per fixed clocks entry, so the VM's driver finds its rate (and apb_pclk). */
static int device_clocks(void *fdt, unsigned int d, const struct platform_device *hw)
{
	for (unsigned int c = 0; c < hw->clock_count; c++) {
		char name[NODE_NAME_MAX];

		if (hw->clock_bpmp & BIT(c))
			continue;

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

/* Written for a subnode by copy_subnodes(); the rest of a subnode is local to the device. */
static bool is_rewritten_in_subnode(const char *name)
{
	return !strcmp(name, "phandle") || !strcmp(name, "linux,phandle") ||
	       !strcmp(name, "phy-handle");
}

static int copy_props(void *fdt, const void *pfdt, int node, bool subnode)
{
	int prop;

	fdt_for_each_property_offset(prop, pfdt, node) {
		const char *name;
		int len;
		const void *val = fdt_getprop_by_offset(pfdt, prop, &name, &len);

		if (val && name &&
		    !(subnode ? is_rewritten_in_subnode(name) : is_rewritten(name)))
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

/* clocks: a fixed clock's copy, or <&bpmp id>; in the platform DT's order. */
static int device_clock_refs(void *fdt, unsigned int d, const struct platform_device *hw)
{
	fdt32_t clocks[2 * PLATFORM_DEVICE_MAX_CLOCKS];
	unsigned int n = 0;

	for (unsigned int c = 0; c < hw->clock_count; c++) {
		if (hw->clock_bpmp & BIT(c)) {
			clocks[n++] = cpu_to_fdt32(GUEST_FDT_BPMP_PHANDLE);
			clocks[n++] = cpu_to_fdt32(hw->clock_hz[c]);
		} else {
			clocks[n++] = cpu_to_fdt32(clock_phandle(d, c));
		}
	}
	return n ? fdt_property(fdt, "clocks", clocks, (int)(n * sizeof(clocks[0]))) : 0;
}

/* <&bpmp id> for each of @ids, as property @name (none when @count is 0). */
static int bpmp_list(void *fdt, const char *name, const u32 *ids, unsigned int count)
{
	fdt32_t *v;

	if (!count)
		return 0;
	FDT_TRY(fdt_property_placeholder(fdt, name, (int)(count * 8), (void **)&v));
	for (unsigned int i = 0; i < count; i++) {
		v[2 * i] = cpu_to_fdt32(GUEST_FDT_BPMP_PHANDLE);
		v[2 * i + 1] = cpu_to_fdt32(ids[i]);
	}
	return 0;
}

/*
 * resets and power-domains from the resolved IDs; assigned-clocks,
 * assigned-clock-parents (BPMP pairs only: platform_device_resolve) and
 * nvidia,bpmp (<&bpmp> and any argument cells) with the phandle replaced.
 */
static int bpmp_refs(void *fdt, const void *pfdt, const struct platform_device *hw)
{
	int len;
	const fdt32_t *src;
	fdt32_t *v;

	FDT_TRY(bpmp_list(fdt, "resets", hw->reset_id, hw->reset_count));
	FDT_TRY(bpmp_list(fdt, "power-domains", hw->power_domain_id, hw->power_domain_count));
	for (size_t p = 0; p < ARRAY_SIZE(bpmp_pair_props); p++) {
		src = fdt_getprop(pfdt, hw->node, bpmp_pair_props[p], &len);
		if (!src || len < 8)
			continue;
		len -= len % 8;
		FDT_TRY(fdt_property_placeholder(fdt, bpmp_pair_props[p], len, (void **)&v));
		for (int i = 0; i < len / 4; i += 2) {
			v[i] = cpu_to_fdt32(GUEST_FDT_BPMP_PHANDLE);
			v[i + 1] = src[i + 1];
		}
	}
	src = fdt_getprop(pfdt, hw->node, "nvidia,bpmp", &len);
	if (src && len >= 4) {
		FDT_TRY(fdt_property_placeholder(fdt, "nvidia,bpmp", len - len % 4, (void **)&v));
		v[0] = cpu_to_fdt32(GUEST_FDT_BPMP_PHANDLE);
		for (int i = 1; i < len / 4; i++)
			v[i] = src[i];
	}
	return 0;
}

/* True when @node is @top or below it. */
static bool within(const void *pfdt, int top, int node)
{
	for (; node >= 0; node = fdt_parent_offset(pfdt, node))
		if (node == top)
			return true;
	return false;
}

/* phy-handle, kept only when it names a node the VM gets (one of the device's subnodes). */
static int phy_handle(void *fdt, const void *pfdt, int node)
{
	int len;
	const fdt32_t *ph = fdt_getprop(pfdt, node, "phy-handle", &len);
	int target = ph && len == 4 ? fdt_node_offset_by_phandle(pfdt, fdt32_to_cpu(*ph)) : -1;

	if (target < 0 || target == node || !within(pfdt, node, target))
		return 0;
	return fdt_property_u32(fdt, "phy-handle", fdt32_to_cpu(*ph) + GUEST_FDT_SUBNODE_PHANDLE);
}

/* How deep copy_subnodes() goes (an MGBE's mdio/phy@0 is 2): a bound on EL2 stack use. */
#define SUBNODE_DEPTH_MAX 4

/* The device's subnodes, whole: their own properties, phandles moved, phy-handle kept inside. */
static int copy_subnodes(void *fdt, const void *pfdt, int top, int depth)
{
	int child;

	if (depth > SUBNODE_DEPTH_MAX)
		return -FDT_ERR_BADSTRUCTURE;

	fdt_for_each_subnode(child, pfdt, top) {
		const char *name = fdt_get_name(pfdt, child, NULL);
		u32 ph = fdt_get_phandle(pfdt, child);

		if (!name)
			return -FDT_ERR_BADSTRUCTURE;
		FDT_TRY(fdt_begin_node(fdt, name));
		FDT_TRY(copy_props(fdt, pfdt, child, true));
		if (ph)
			FDT_TRY(fdt_property_u32(fdt, "phandle", ph + GUEST_FDT_SUBNODE_PHANDLE));
		FDT_TRY(phy_handle(fdt, pfdt, child));
		FDT_TRY(copy_subnodes(fdt, pfdt, child, depth + 1));
		FDT_TRY(fdt_end_node(fdt));
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
	FDT_TRY(copy_props(fdt, pfdt, hw->node, false));
	FDT_TRY(device_reg(fdt, hw));
	if (hw->pci) {
		FDT_TRY(pci_ranges(fdt, hw));
		FDT_TRY(pci_interrupt_map(fdt, p->platform, hw));
	}
	FDT_TRY(device_clock_refs(fdt, d, hw));
	FDT_TRY(bpmp_refs(fdt, pfdt, hw));
	FDT_TRY(phy_handle(fdt, pfdt, hw->node));
	if (!fdt_getprop(pfdt, hw->node, "ranges", NULL))
		FDT_TRY(copy_subnodes(fdt, pfdt, hw->node, 1));
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
