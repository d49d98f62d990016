/*
 * The interrupt side of the device tree: the "arm,gic-v3" node and the
 * virtual timer's interrupt in the "arm,armv8-timer" node. Bindings: Linux
 * Documentation/devicetree/bindings/interrupt-controller/arm,gic-v3.yaml and
 * .../timer/arm,arch_timer.yaml.
 */
#include <libfdt.h>

#include "dt.h"

#define GIC_INTERRUPT_CELLS 3 /* <type number flags> */
#define GIC_SPEC_PPI 1        /* type cell: 0 SPI, 1 PPI */
#define GIC_PPI_BASE 16       /* PPI n is INTID 16 + n (GIC IHI 0069H 2.2) */
#define GIC_PPI_COUNT 16
#define TIMER_IRQ_PHYS 1      /* interrupts: secure phys, non-secure phys, virtual, hyp phys */
#define TIMER_IRQ_VIRT 2
#define GICD_MIN_SIZE 0x10000ULL /* 64 KiB */
#define GICR_MIN_SIZE 0x20000ULL /* one RD_base + SGI_base frame pair */

static u32 prop_u32(const void *fdt, int node, const char *name, u32 dflt)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	return p && len == (int)sizeof(*p) ? fdt32_ld(p) : dflt;
}

static const char *read_gic(const void *fdt, int node, struct dt_gic *gic)
{
	u32 regions = prop_u32(fdt, node, "#redistributor-regions", 1);

	if (prop_u32(fdt, node, "#interrupt-cells", 0) != GIC_INTERRUPT_CELLS)
		return "the arm,gic-v3 node's #interrupt-cells is not 3";
	if (!dt_reg(fdt, node, 0, &gic->dist) || gic->dist.size < GICD_MIN_SIZE)
		return "the arm,gic-v3 node has no usable GICD reg (64 KiB)";
	if (regions == 0 || regions > DT_GICR_REGIONS_MAX)
		return "the arm,gic-v3 node's #redistributor-regions is 0 or more than 4";
	for (u32 i = 0; i < regions; i++) {
		struct range *r = &gic->redist[i];

		if (!dt_reg(fdt, node, (int)i + 1, r) || r->size < GICR_MIN_SIZE)
			return "the arm,gic-v3 node has no usable GICR reg (128 KiB or more)";
	}
	gic->redist_count = regions;
	return NULL;
}

/* The node @node's interrupt-parent names, inherited from its ancestors; <0 when none. */
static int interrupt_parent(const void *fdt, int node)
{
	for (int n = node; n >= 0; n = fdt_parent_offset(fdt, n)) {
		int len;
		const fdt32_t *p = fdt_getprop(fdt, n, "interrupt-parent", &len);

		if (p && len == (int)sizeof(*p))
			return fdt_node_offset_by_phandle(fdt, fdt32_ld(p));
	}
	return -FDT_ERR_NOTFOUND;
}

/* The timer's interrupt @index as an INTID (@index 1: EL1 physical, 2: virtual). */
static const char *read_timer_ppi(const void *fdt, int gic_node, int index, u32 *intid)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer");
	const fdt32_t *cells;
	int len;
	u32 type, num;

	if (node < 0)
		return "no arm,armv8-timer node";
	if (interrupt_parent(fdt, node) != gic_node)
		return "the timer's interrupt-parent is not the arm,gic-v3 node";
	cells = fdt_getprop(fdt, node, "interrupts", &len);
	if (!cells || len < (index + 1) * GIC_INTERRUPT_CELLS * (int)sizeof(fdt32_t))
		return index == TIMER_IRQ_VIRT ? "the timer node has fewer than 3 interrupts"
					       : "the timer node has fewer than 2 interrupts";
	cells += index * GIC_INTERRUPT_CELLS;
	type = fdt32_ld(cells);
	num = fdt32_ld(cells + 1);
	if (type != GIC_SPEC_PPI || num >= GIC_PPI_COUNT)
		return index == TIMER_IRQ_VIRT ? "the timer's third interrupt (virtual timer) is not a PPI"
					       : "the timer's second interrupt (EL1 physical timer) is not a PPI";
	*intid = GIC_PPI_BASE + num;
	return NULL;
}

void dt_read_irq(const void *fdt, struct dt_info *info)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");

	info->vtimer_intid = info->ptimer_intid = 0;
	info->gic.present = node >= 0;
	if (!info->gic.present) {
		info->vtimer_err = info->ptimer_err = "no arm,gic-v3 node";
		return;
	}
	info->gic.err = read_gic(fdt, node, &info->gic);
	info->vtimer_err = read_timer_ppi(fdt, node, TIMER_IRQ_VIRT, &info->vtimer_intid);
	info->ptimer_err = read_timer_ppi(fdt, node, TIMER_IRQ_PHYS, &info->ptimer_intid);
}
