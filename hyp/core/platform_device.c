/*
 * A platform device node as a VM would get it (platform.h,
 * platform_device_resolve): its MMIO regions as CPU physical ranges, its SPIs
 * with their trigger, its clocks (fixed ones, or the BPMP's by ID), its BPMP
 * resets and power domains. A PCI host bridge also brings its
 * ranges windows and the SPIs of its interrupt-map (INTx).
 *
 * References: DTSpec v0.4 2.3.8 (ranges), 2.4.3 (interrupt-map); the PCI bus
 * binding (IEEE Std 1275 PCI supplement: 3-cell addresses, phys.hi space code);
 * Linux bindings interrupt-controller/arm,gic-v3.yaml (cell 2: trigger flags)
 * clock/fixed-clock.yaml and firmware/nvidia,tegra186-bpmp.yaml (#clock-cells,
 * #reset-cells, #power-domain-cells 1: the ID).
 */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include <tessera/platform.h>

#include "platform_internal.h"

/* arm,gic-v3 binding, third cell: IRQ_TYPE_EDGE_RISING (1) or _FALLING (2) means edge. */
#define GIC_DT_FLAGS_EDGE 0x3

/* PCI bus binding: child addresses are 3 cells (phys.hi, phys.mid, phys.lo), sizes 2. */
#define PCI_ADDR_CELLS 3
#define PCI_SIZE_CELLS 2

/* Resources that a VM cannot be given yet: they need a provider Tessera would have to share. */
static const char *const unsupported_props[] = { "interrupts-extended" };

static int add_region(struct dt *dt, int node, struct platform_device *dev,
		      const struct device_region *r)
{
	if (dev->region_count == PLATFORM_DEVICE_MAX_REGIONS)
		return dt_error(dt, "%s has more than %d MMIO regions; Tessera passes at most %d",
				path_of(dt, node), PLATFORM_DEVICE_MAX_REGIONS,
				PLATFORM_DEVICE_MAX_REGIONS);
	dev->region[dev->region_count++] = *r;
	return 0;
}

/* Records an SPI once; a level and an edge use of one line is a conflict. */
static int add_irq(struct dt *dt, int node, struct platform_device *dev, u32 intid, bool edge)
{
	for (unsigned int i = 0; i < dev->irq_count; i++) {
		if (dev->intid[i] != intid)
			continue;
		if (!!(dev->irq_edge & BIT(i)) != edge)
			return dt_error(dt, "%s uses INTID %u both edge- and level-triggered; fix the "
					    "platform DT", path_of(dt, node), intid);
		return 0;
	}
	if (dev->irq_count == PLATFORM_DEVICE_MAX_IRQS)
		return dt_error(dt, "%s has more than %d interrupts; Tessera passes at most %d",
				path_of(dt, node), PLATFORM_DEVICE_MAX_IRQS,
				PLATFORM_DEVICE_MAX_IRQS);
	if (edge)
		dev->irq_edge |= BIT(dev->irq_count);
	dev->intid[dev->irq_count++] = intid;
	return 0;
}

static int resolve_reg(struct dt *dt, int node, struct platform_device *dev)
{
	int n = fdt_getprop(dt->fdt, node, "reg", NULL) ? reg_count(dt, node) : 0;

	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		struct mem_range r;

		if (reg_range(dt, node, i, &r) ||
		    add_region(dt, node, dev, &(struct device_region){ .pa = r.base, .size = r.size }))
			return -1;
	}
	return 0;
}

static int resolve_interrupts(struct dt *dt, int node, struct platform_device *dev)
{
	int n = irq_count(dt, node);
	const fdt32_t *cells = fdt_getprop(dt->fdt, node, "interrupts", NULL);

	if (n < 0)
		return -1;
	if (n > 0 && dt->irq_cells != 3)
		return dt_error(dt, "%s: the GIC has %d-cell interrupt specifiers; VMs get 3-cell ones, "
				    "so this device cannot be given yet", path_of(dt, node), dt->irq_cells);
	for (int i = 0; i < n; i++) {
		u32 intid;

		if (irq_intid(dt, node, i, &intid))
			return -1;
		if (!intid_is_spi(intid))
			return dt_error(dt, "%s: interrupt %d (INTID %u) is a per-CPU interrupt; only "
					    "devices with SPIs can be given to a VM",
					path_of(dt, node), i, intid);
		bool edge = fdt32_to_cpu(cells[i * dt->irq_cells + 2]) & GIC_DT_FLAGS_EDGE;

		if (add_irq(dt, node, dev, intid, edge))
			return -1;
	}
	return 0;
}

/* A PCI host bridge's windows: each ranges entry, on the CPU side, with its bus address. */
static int resolve_pci_windows(struct dt *dt, int node, struct platform_device *dev)
{
	int len, parent_ac = fdt_address_cells(dt->fdt, fdt_parent_offset(dt->fdt, node));
	const fdt32_t *r = fdt_getprop(dt->fdt, node, "ranges", &len);
	int entry = PCI_ADDR_CELLS + parent_ac + PCI_SIZE_CELLS;

	if (fdt_address_cells(dt->fdt, node) != PCI_ADDR_CELLS ||
	    fdt_size_cells(dt->fdt, node) != PCI_SIZE_CELLS || parent_ac < 1 || parent_ac > 2)
		return dt_error(dt, "%s: a PCI host bridge needs #address-cells = <3> and "
				    "#size-cells = <2>", path_of(dt, node));
	if (!r || len == 0 || len % (entry * 4))
		return dt_error(dt, "%s: ranges is missing or not a multiple of %d cells",
				path_of(dt, node), entry);
	for (int i = 0; i < len / 4; i += entry) {
		struct device_region w = {
			.window = true,
			.pci_hi = fdt32_to_cpu(r[i]),
			.pci_addr = read_cells(r + i + 1, 2),
			.pa = read_cells(r + i + PCI_ADDR_CELLS, parent_ac),
			.size = read_cells(r + i + PCI_ADDR_CELLS + parent_ac, PCI_SIZE_CELLS),
		};

		if (w.size == 0 || w.pa + w.size - 1 < w.pa || translate(dt, node, &w.pa, w.size) ||
		    add_region(dt, node, dev, &w))
			return dt_error(dt, "%s: ranges entry %d is empty, wraps or cannot be "
					    "translated", path_of(dt, node), i / entry);
	}
	return 0;
}

/* Entry @index of interrupt-map with a struct dt already set up (GIC found). */
static int pci_intx(struct dt *dt, int node, int index, struct pci_intx_entry *e)
{
	int len, child = PCI_ADDR_CELLS + 1;
	const fdt32_t *map = fdt_getprop(dt->fdt, node, "interrupt-map", &len);
	const fdt32_t *cells = fdt_getprop(dt->fdt, node, "#interrupt-cells", NULL);
	int pos = 0, n = map ? len / 4 : 0;

	if (!map)
		return 0;
	if (!cells || fdt32_to_cpu(*cells) != 1)
		return dt_error(dt, "%s: a PCI host bridge needs #interrupt-cells = <1>",
				path_of(dt, node));
	for (int i = 0; pos < n; i++) {
		if (pos + child + 1 > n)
			break;
		int parent = fdt_node_offset_by_phandle(dt->fdt, fdt32_to_cpu(map[pos + child]));
		const fdt32_t *ac = parent >= 0 ? fdt_getprop(dt->fdt, parent, "#address-cells", NULL)
						: NULL;
		/* A missing #address-cells in an interrupt parent means 0 cells here (Linux does the same). */
		u32 parent_cells = ac ? fdt32_to_cpu(*ac) : 0;
		int spec;

		if (parent != dt->gic)
			return dt_error(dt, "%s: interrupt-map entry %d does not go to the GICv3",
					path_of(dt, node), i);
		/* DT spec 2.3.5: 1 to 3 in practice; a larger value would run the entry off the map. */
		if (parent_cells > 4)
			return dt_error(dt, "%s: the GICv3's #address-cells is %u; at most 4",
					path_of(dt, node), parent_cells);
		spec = pos + child + 1 + (int)parent_cells;
		if (spec + dt->irq_cells > n)
			break;
		if (i == index) {
			u32 type = fdt32_to_cpu(map[spec]), num = fdt32_to_cpu(map[spec + 1]);

			if (type != GIC_SPI || num >= 988)
				return dt_error(dt, "%s: interrupt-map entry %d is not an SPI",
						path_of(dt, node), i);
			for (int c = 0; c < child; c++)
				e->child[c] = fdt32_to_cpu(map[pos + c]);
			e->intid = 32 + num;
			e->edge = fdt32_to_cpu(map[spec + 2]) & GIC_DT_FLAGS_EDGE;
			return 1;
		}
		pos = spec + dt->irq_cells;
	}
	if (pos != n)
		return dt_error(dt, "%s: interrupt-map is cut short", path_of(dt, node));
	return 0;
}

int platform_pci_intx(const struct platform *plat, int node, int index, struct pci_intx_entry *e)
{
	struct dt dt = { .fdt = plat->fdt };

	if (dt_find_gic(&dt))
		return -1;
	return pci_intx(&dt, node, index, e);
}

static int resolve_pci_intx(struct dt *dt, int node, struct platform_device *dev)
{
	struct pci_intx_entry e = { 0 };
	int rc;

	for (int i = 0; (rc = pci_intx(dt, node, i, &e)) == 1; i++)
		if (add_irq(dt, node, dev, e.intid, e.edge))
			return -1;
	return rc;
}

/*
 * True when @phandle is the BPMP's: a clock, reset or power domain of it is
 * given to a VM through the VM's virtual BPMP (virt/vbpmp.h), by its ID.
 */
static bool is_bpmp(const struct platform *plat, u32 phandle)
{
	return plat->bpmp.present && phandle == plat->bpmp.phandle;
}

/*
 * Each clocks entry: a fixed clock without specifier cells (the VM gets a
 * copy of it), or a BPMP clock <&bpmp id> (#clock-cells = <1>; the VM's
 * virtual BPMP serves it).
 */
static int resolve_clocks(const struct platform *plat, struct dt *dt, int node,
			  struct platform_device *dev)
{
	int len;
	const fdt32_t *clocks = fdt_getprop(dt->fdt, node, "clocks", &len);
	int count = clocks ? len / 4 : 0;

	for (int i = 0, c = 0; i < count; c++) {
		u32 ph = fdt32_to_cpu(clocks[i]);
		int clk = fdt_node_offset_by_phandle(dt->fdt, ph);
		const fdt32_t *hz = clk >= 0 ? fdt_getprop(dt->fdt, clk, "clock-frequency", &len) : NULL;
		const fdt32_t *cells = clk >= 0 ? fdt_getprop(dt->fdt, clk, "#clock-cells", NULL) : NULL;
		bool bpmp = is_bpmp(plat, ph);

		if (dev->clock_count == PLATFORM_DEVICE_MAX_CLOCKS)
			return dt_error(dt, "%s has more than %d clocks", path_of(dt, node),
					PLATFORM_DEVICE_MAX_CLOCKS);
		if (bpmp && i + 1 < count) {
			dev->clock_bpmp |= BIT(dev->clock_count);
			dev->clock_hz[dev->clock_count++] = fdt32_to_cpu(clocks[i + 1]);
			i += 2;
			continue;
		}
		if (!hz || len != 4 || !cells || fdt32_to_cpu(*cells) != 0 ||
		    fdt_node_check_compatible(dt->fdt, clk, "fixed-clock"))
			return dt_error(dt, "%s: clock %d is neither a fixed-clock nor the BPMP's; "
					    "Tessera gives VMs those only", path_of(dt, node), c);
		dev->clock_hz[dev->clock_count++] = fdt32_to_cpu(*hz);
		i++;
	}
	return 0;
}

/*
 * resets or power-domains (@prop): each <&bpmp id>, into @ids. Any other
 * provider (a reset controller or power domain Tessera would share) is refused.
 */
static int resolve_bpmp_ids(const struct platform *plat, struct dt *dt, int node,
			    const char *prop, u32 *ids, unsigned int *count, unsigned int max)
{
	int len;
	const fdt32_t *v = fdt_getprop(dt->fdt, node, prop, &len);

	for (int i = 0; v && i < len / 4; i += 2) {
		if (!is_bpmp(plat, fdt32_to_cpu(v[i])) || i + 1 >= len / 4)
			return dt_error(dt, "%s: %s entry %d is not the BPMP's; Tessera gives VMs "
					    "BPMP %s only (through their virtual BPMP)",
					path_of(dt, node), prop, i / 2, prop);
		if (*count == max)
			return dt_error(dt, "%s has more than %u %s", path_of(dt, node), max, prop);
		ids[(*count)++] = fdt32_to_cpu(v[i + 1]);
	}
	return 0;
}

/*
 * assigned-clocks and assigned-clock-parents: Linux sets them through the
 * BPMP when the driver probes, so the VM's allow-list takes their IDs
 * (config_vbpmp.c reads them); only BPMP entries can be honoured.
 */
static int check_assigned_clocks(const struct platform *plat, struct dt *dt, int node)
{
	static const char *const props[] = { "assigned-clocks", "assigned-clock-parents" };

	for (size_t p = 0; p < ARRAY_SIZE(props); p++) {
		int len;
		const fdt32_t *v = fdt_getprop(dt->fdt, node, props[p], &len);

		for (int i = 0; v && i < len / 4; i += 2)
			if (!is_bpmp(plat, fdt32_to_cpu(v[i])) || i + 1 >= len / 4)
				return dt_error(dt, "%s: %s entry %d is not a BPMP clock; Tessera "
						    "can set BPMP clocks only", path_of(dt, node),
						props[p], i / 2);
	}
	return 0;
}

int platform_device_resolve(const struct platform *plat, const char *path,
			    struct platform_device *dev, char *err, size_t err_size)
{
	struct dt dt = { .fdt = plat->fdt, .err = err, .err_size = err_size };
	int node;

	memset(dev, 0, sizeof(*dev));
	if (!plat->fdt || dt_find_gic(&dt))
		return dt_error(&dt, "the platform DT has no GICv3");
	node = path[0] == '/' ? fdt_path_offset(plat->fdt, path) : -FDT_ERR_BADPATH;
	if (node < 0)
		return dt_error(&dt, "the platform DT has no node %s; give the full path of a device "
				     "node, e.g. \"/pl031@9010000\"", path);
	dev->node = node;
	if (!node_usable(plat->fdt, node, false))
		return dt_error(&dt, "%s is disabled in the platform DT; give an enabled device",
				path_of(&dt, node));
	if (fdt_getprop(plat->fdt, node, "interrupt-controller", NULL) ||
	    fdt_getprop(plat->fdt, fdt_parent_offset(plat->fdt, node), "interrupt-controller", NULL))
		return dt_error(&dt, "%s is an interrupt controller, which Tessera keeps; remove it "
				     "from the VM",
				path_of(&dt, node));
	if (fdt_getprop(plat->fdt, node, "#iommu-cells", NULL))
		return dt_error(&dt, "%s is an IOMMU, which Tessera keeps (it isolates the VMs' "
				     "DMA); remove it from the VM",
				path_of(&dt, node));
	if (plat->bpmp.present && node == plat->bpmp.node)
		return dt_error(&dt, "%s is the BPMP, which Tessera keeps (it owns every clock, "
				     "reset and power domain of the SoC); give the VM the devices "
				     "that need it: they get a virtual BPMP", path_of(&dt, node));
	/* platform_mc.c: the MC sets the stream ID each device's DMA carries to the SMMUs. */
	if (plat->mc.present && node == plat->mc.node)
		return dt_error(&dt, "%s is the memory controller, which Tessera keeps (it sets the "
				     "stream ID of every device's DMA: a VM holding it could take "
				     "another VM's); remove it from the VM", path_of(&dt, node));
	for (size_t i = 0; i < ARRAY_SIZE(unsupported_props); i++)
		if (fdt_getprop(plat->fdt, node, unsupported_props[i], NULL))
			return dt_error(&dt, "%s has %s, which Tessera cannot give a VM yet",
					path_of(&dt, node), unsupported_props[i]);
	dev->pci = prop_is(plat->fdt, node, "device_type", "pci");
	if (resolve_reg(&dt, node, dev) || resolve_interrupts(&dt, node, dev) ||
	    (dev->pci && (resolve_pci_windows(&dt, node, dev) || resolve_pci_intx(&dt, node, dev))) ||
	    resolve_clocks(plat, &dt, node, dev) ||
	    resolve_bpmp_ids(plat, &dt, node, "resets", dev->reset_id, &dev->reset_count,
			     PLATFORM_DEVICE_MAX_RESETS) ||
	    resolve_bpmp_ids(plat, &dt, node, "power-domains", dev->power_domain_id,
			     &dev->power_domain_count, PLATFORM_DEVICE_MAX_POWER_DOMAINS) ||
	    check_assigned_clocks(plat, &dt, node) ||
	    platform_device_mc_clients(plat, node, dev, err, err_size))
		return -1;
	if (dev->region_count == 0)
		return dt_error(&dt, "%s has no reg; only memory-mapped devices can be given to a VM",
				path_of(&dt, node));
	return 0;
}
