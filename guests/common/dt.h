/* What the bare-metal guests learn from their device tree (libfdt, read-only). */
#ifndef GUEST_DT_H
#define GUEST_DT_H

#include "guest.h"
#include "psci.h"

/* The most redistributor regions taken from an arm,gic-v3 node. */
#define DT_GICR_REGIONS_MAX 4
/* The most CPUs taken from /cpus. */
#define DT_CPUS_MAX 8

/* The "arm,gic-v3" node (Linux Documentation/devicetree/bindings/interrupt-controller/arm,gic-v3.yaml). */
struct dt_gic {
	bool present;        /* there is an arm,gic-v3 node */
	const char *err;     /* why it cannot be used, or NULL */
	struct range dist;   /* reg[0]: GICD */
	struct range redist[DT_GICR_REGIONS_MAX]; /* reg[1..#redistributor-regions]: GICR */
	unsigned int redist_count;
};

struct dt_info {
	u64 fdt;                  /* physical address of the DTB */
	u64 fdt_size;             /* header totalsize */
	const char *bootargs;     /* /chosen/bootargs, "" when absent */
	u32 restart_count;        /* /chosen/tessera,restart-count: Tessera's restarts of this VM, 0 when absent */
	struct range memory;      /* the /memory bank holding the image */
	struct range uart;        /* the PL011 (or SBSA UART) /chosen/stdout-path names */
	enum smccc_conduit psci;  /* /psci method, CONDUIT_NONE when absent */
	struct dt_gic gic;
	u32 vtimer_intid;         /* the virtual timer's PPI as an INTID, 0 when unknown */
	const char *vtimer_err;   /* why vtimer_intid is 0 (no timer node, not a PPI of the GIC...) */
	u32 cpu_count;            /* device_type = "cpu" nodes under /cpus, at most DT_CPUS_MAX */
	u64 cpu_mpidr[DT_CPUS_MAX]; /* their reg: the MPIDR_EL1 affinity fields, in DT order */
};

/*
 * Reads @fdt. Returns NULL, or a short reason (naming the node) when the
 * tree cannot be used: bad header, no memory holding the image, no PL011.
 * Without /chosen/stdout-path the first "arm,pl011" node is taken, else the
 * first "arm,sbsa-uart" (Xen's vpl011: a PL011 subset that polled output suits).
 */
const char *dt_read(u64 fdt, struct dt_info *info);

/* Entry @idx of @node's reg, in the cell sizes of its parent; no "ranges" translation. */
bool dt_reg(const void *fdt, int node, int idx, struct range *r);

/*
 * The GIC node and the virtual timer's interrupt (dt_gic.c). Never fails:
 * what is missing or unusable is left in info->gic.err and info->vtimer_err.
 */
void dt_read_irq(const void *fdt, struct dt_info *info);

#endif
