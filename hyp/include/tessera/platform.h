/*
 * The machine as the boot device tree describes it. Parsed with libfdt by
 * platform_parse(), which runs both in the hypervisor (on the DTB the loader
 * passes in x0) and on the host (in the config checker and the unit tests).
 * Anything the DTB cannot say lives in hyp/platform/<board>/.
 */
#ifndef TESSERA_PLATFORM_H
#define TESSERA_PLATFORM_H

#include <tessera/types.h>

#define PLATFORM_MAX_CPUS 16
#define PLATFORM_MAX_RAM 8
#define PLATFORM_MAX_GICR_REGIONS 4

enum psci_conduit {
	PSCI_CONDUIT_NONE,
	PSCI_CONDUIT_SMC,
	PSCI_CONDUIT_HVC,
};

struct platform {
	struct mem_range ram[PLATFORM_MAX_RAM]; /* sorted by base, from /memory nodes */
	unsigned int ram_count;

	/* CPUs in /cpus order; the index is Tessera's physical CPU number. */
	u64 cpu_mpidr[PLATFORM_MAX_CPUS]; /* affinity fields only (MPIDR_AFF_MASK) */
	unsigned int cpu_count;

	/* GICv3 ("arm,gic-v3"): distributor and redistributor regions. */
	struct mem_range gicd;
	struct mem_range gicr[PLATFORM_MAX_GICR_REGIONS];
	unsigned int gicr_count;
	u32 gic_maint_intid; /* maintenance interrupt INTID, 0 when the DT gives none */

	/* Hypervisor console: the UART /chosen/stdout-path names ("arm,pl011"). */
	struct mem_range uart;
	u32 uart_intid; /* 0 when the DT gives none */

	/* Generic timer PPIs (INTIDs): secure phys, non-secure phys, virtual, hyp. */
	u32 timer_intid[4];

	enum psci_conduit psci_conduit;
	u32 psci_cpu_on; /* CPU_ON function ID (64-bit SMCCC by default) */
	u32 psci_system_off;
};

/*
 * Fills @plat from @fdt. Returns 0, or -1 with a one-line reason in @err
 * (naming the node) when something Tessera needs is missing or malformed.
 */
int platform_parse(const void *fdt, struct platform *plat, char *err, size_t err_size);

/* Index of the CPU with this MPIDR (affinity fields compared), or -1. */
int platform_cpu_index(const struct platform *plat, u64 mpidr);

/* True when [base, base+size) lies inside one RAM bank. */
bool platform_range_in_ram(const struct platform *plat, u64 base, u64 size);

#define MPIDR_AFF_MASK 0xff00ffffffULL /* Aff3 [39:32], Aff2..Aff0 [23:0]; DDI 0487 J.a D19.2.104 */

#endif
