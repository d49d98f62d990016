/* Shared by the platform DT readers (platform.c, platform_device.c); not an interface. */
#ifndef CORE_PLATFORM_INTERNAL_H
#define CORE_PLATFORM_INTERNAL_H

#include <libfdt.h>
#include <tessera/platform.h>

#include "dt_cells.h"

/* GICv3 binding, first interrupt cell: the kind of interrupt. */
enum gic_irq_type { GIC_SPI = 0, GIC_PPI = 1, GIC_ESPI = 2, GIC_EPPI = 3 };

/* What every helper needs: the tree, the GIC, and where to write the reason. */
struct dt {
	const void *fdt;
	int gic;       /* offset of the "arm,gic-v3" node */
	int uart;      /* offset of the console UART node */
	int irq_cells; /* its #interrupt-cells */
	char *err;
	size_t err_size;
	char path[128]; /* scratch for node paths in messages */
};
/* Each returns -1 after writing the reason (naming the node) into dt->err. */
int dt_error(struct dt *dt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The node's full path for a message (in dt->path); its bare name if too long. */
const char *path_of(struct dt *dt, int node);
/* True when string property @name of @node is exactly @value. */
bool prop_is(const void *fdt, int node, const char *name, const char *value);
/* Status absent or "okay" (for CPUs: anything but "fail*"). */
bool node_usable(const void *fdt, int node, bool is_cpu);
/* #address-cells and #size-cells that @bus gives its children, each 1 or 2. */
int bus_cells(struct dt *dt, int bus, int *ac, int *sc);
/* An address on @node's parent bus to a CPU physical address (DTSpec 2.3.8). */
int translate(struct dt *dt, int node, u64 *addr, u64 size);
/* Number of entries in @node's reg; entry @index as a CPU physical range. */
int reg_count(struct dt *dt, int node);
int reg_range(struct dt *dt, int node, int index, struct mem_range *out);
/* The interrupt controller @node's interrupts go to (DTSpec 2.4.1), or < 0. */
int interrupt_parent(const void *fdt, int node);
bool intid_is_ppi(u32 id);
bool intid_is_spi(u32 id);
/* Entries in @node's interrupts (0 when none); needs dt->gic and dt->irq_cells. */
int irq_count(struct dt *dt, int node);
/* INTID of interrupt @index of @node. */
int irq_intid(struct dt *dt, int node, int index, u32 *intid);
/* dt->gic and dt->irq_cells from the "arm,gic-v3" node. */
int dt_find_gic(struct dt *dt);
/* plat->mc from the Tegra memory controller node, when there is one (platform_mc.c). */
int platform_parse_mc(struct dt *dt, struct platform *plat);
/* plat->bpmp (platform_bpmp.c): zero when the board has no BPMP; needs dt->gic. */
int platform_bpmp_parse(struct dt *dt, struct platform *plat);
/* plat->llc (platform_cache.c): zero when the DT has no unified cache node. */
int platform_llc_parse(struct dt *dt, struct platform *plat);
/* plat->pmu (platform_pmu.c): zero when the board has no PMU the regulator can use. */
int platform_pmu_parse(struct dt *dt, struct platform *plat);

#endif
