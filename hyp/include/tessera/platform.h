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
#define PLATFORM_MAX_IOMMUS 4
#define PLATFORM_IOMMU_REGS 2  /* Tegra234's MMU-500 pairs: two instances programmed alike */
#define PLATFORM_IOMMU_IRQS 4  /* the first ones: SMMUv3 has at most 4, MMU-500 global first */
#define PLATFORM_IRQ_NAME_MAX 16

#define PLATFORM_UART_REGS 2 /* the TCU: its TX and RX mailboxes */
#define PLATFORM_MC_REGS 24   /* Tegra234's MC: sid, broadcast, 16 channels; the EMC's 2 */

/*
 * The console device: its driver (enum uart_kind, drivers/uart.h) and the
 * register pages it uses, which EL2 maps and no VM is given. All zero until
 * the stdout-path node was read whole.
 */
struct platform_uart {
	unsigned int kind;
	struct mem_range regs[PLATFORM_UART_REGS]; /* TCU: TX mailbox, then RX mailbox */
	unsigned int reg_count;
	u32 reg_shift;    /* 16550: reg-shift (0 when absent) */
	u32 reg_io_width; /* 16550: reg-io-width, 1 or 4 */
};

/*
 * Tegra's memory controller (nvidia,tegra186/194/234-mc; orin-hardware.md
 * 6.3): it sets the stream ID each client's DMA carries, through the
 * per-client override registers of its "sid" window. No VM is given any of
 * it (regs: every window of the MC and of its EMC child); Tessera programs
 * the clients of the devices it passes through (drivers/tegra_mc.h).
 */
struct platform_mc {
	bool present;
	int node;              /* offset in the boot DTB */
	u32 phandle;           /* what devices' interconnects name */
	struct mem_range sid;  /* the "sid" window (reg-names), holding the override registers */
	struct mem_range regs[PLATFORM_MC_REGS]; /* all of the MC's and the EMC's windows */
	unsigned int reg_count;
};

/*
 * Tegra's BPMP (nvidia,tegra186-bpmp and later): the coprocessor that owns
 * clocks, resets and power domains. The CPU talks to it through an HSP
 * doorbell (mboxes) and an IVC queue pair in SYSRAM (shmem): Tessera keeps
 * both, and VMs reach the BPMP through their virtual BPMP (virt/vbpmp.h).
 */
struct platform_bpmp {
	bool present;
	int node;               /* offset in the boot DTB */
	u32 phandle;            /* what devices' clocks, resets and power-domains name */
	struct mem_range hsp;   /* the HSP block its mboxes name (all of its reg) */
	u32 hsp_doorbell_intid; /* that HSP's "doorbell" interrupt: the BPMP rang the CPU */
	u32 db_master;          /* mboxes cell 2: the BPMP's doorbell master (19 on Tegra234) */
	struct mem_range tx, rx; /* shmem: the CPU-to-BPMP and BPMP-to-CPU SYSRAM pools */
};

/*
 * The shared last-level cache, for cache colouring (tessera/colour.h): the
 * highest-level unified cache node of the DT (DTSpec 3.9 "Multi-level and
 * Shared Cache Nodes": cache-level, cache-unified, cache-size, cache-sets,
 * cache-line-size). Tegra234's l3c0/1/2: 2 MiB, 2048 sets of 64 B lines, so
 * 16 ways. All zero when the DT describes none (QEMU virt).
 */
struct platform_llc {
	u64 size;  /* bytes */
	u32 ways;  /* size / (sets * line) */
	u32 line;  /* bytes */
	u32 level; /* cache-level */
};

enum psci_conduit {
	PSCI_CONDUIT_NONE,
	PSCI_CONDUIT_SMC,
	PSCI_CONDUIT_HVC,
};

/*
 * An IOMMU: a node with #iommu-cells (Linux bindings iommu/iommu.txt), its
 * registers and interrupts. Core/iommu.c picks the driver by compatible.
 */
struct platform_iommu {
	int node;    /* offset in the boot DTB, for the compatible and driver-specific properties */
	u32 phandle; /* what masters' iommus and iommu-map name; 0 when it has none */
	u32 cells;   /* #iommu-cells */
	u32 stream_match_mask; /* stream-match-mask (arm,smmu binding): ID bits SMRs ignore; 0 */
	struct mem_range regs[PLATFORM_IOMMU_REGS];
	unsigned int reg_count;
	u32 intid[PLATFORM_IOMMU_IRQS];
	bool edge[PLATFORM_IOMMU_IRQS]; /* edge-triggered, else level */
	char irq_name[PLATFORM_IOMMU_IRQS][PLATFORM_IRQ_NAME_MAX]; /* interrupt-names, or "" */
	unsigned int irq_count;
};

/* A range of stream IDs a device's DMA uses on one IOMMU. */
struct platform_streams {
	u32 iommu_phandle;
	u32 sid_base;
	u32 count;
};

/*
 * The CPU PMU (platform_pmu.c): its overflow PPI and the event the
 * memory-bandwidth regulator counts on this board; event 0: none.
 */
struct platform_pmu {
	u32 intid;
	u32 event;
	const char *event_name;
	bool irq_needs_pmcr_e; /* QEMU: the overflow interrupt needs PMCR_EL0.E */
	bool overflow_at_exception; /* QEMU: an overflow is seen only at the CPU's next exception */
};

struct platform {
	const void *fdt; /* the DT it was parsed from; devices given to VMs are looked up in it */
	struct mem_range ram[PLATFORM_MAX_RAM]; /* sorted by base, from /memory or the EFI map */
	unsigned int ram_count;

	/* CPUs in /cpus order; the index is Tessera's physical CPU number. */
	u64 cpu_mpidr[PLATFORM_MAX_CPUS]; /* affinity fields only (MPIDR_AFF_MASK) */
	unsigned int cpu_count;

	/* GICv3 ("arm,gic-v3"): distributor and redistributor regions. */
	struct mem_range gicd;
	struct mem_range gicr[PLATFORM_MAX_GICR_REGIONS];
	unsigned int gicr_count;
	u32 gic_maint_intid; /* maintenance interrupt INTID, 0 when the DT gives none */

	/* Hypervisor console: the device /chosen/stdout-path names (drivers/uart.h). */
	struct platform_uart uart;
	u32 uart_intid; /* 0 when the DT gives none */

	/* Generic timer PPIs (INTIDs): secure phys, non-secure phys, virtual, hyp. */
	u32 timer_intid[4];

	struct platform_pmu pmu;

	enum psci_conduit psci_conduit;
	u32 psci_cpu_on; /* CPU_ON function ID (64-bit SMCCC by default) */
	u32 psci_system_off;

	/* IOMMUs, in DT order (none is fine: then nothing isolates DMA). */
	struct platform_iommu iommus[PLATFORM_MAX_IOMMUS];
	unsigned int iommu_count;

	/* Tegra's memory controller and BPMP; both absent (zero) on other machines. */
	struct platform_mc mc;
	struct platform_bpmp bpmp;

	/* The last-level cache, when the DT describes one (platform_cache.c). */
	struct platform_llc llc;
};

#define PLATFORM_DEVICE_MAX_REGIONS 6
#define PLATFORM_DEVICE_MAX_IRQS 12  /* Tegra234 host1x has 9 */
#define PLATFORM_DEVICE_MAX_CLOCKS 16 /* Tegra234 MGBE has 12 */
#define PLATFORM_DEVICE_MAX_RESETS 8
#define PLATFORM_DEVICE_MAX_POWER_DOMAINS 4
#define PLATFORM_DEVICE_MAX_MC_CLIENTS 8
/* Stream ID ranges of one device: Tegra234 host1x has its own and 16 context devices' */
#define PLATFORM_DEVICE_MAX_STREAM_RANGES 24

/*
 * One MMIO region of a device: a reg entry, or for a PCI host bridge one of
 * its ranges windows (then pci_hi and pci_addr give the bus side: the
 * phys.hi cell and the 64-bit address of the 3-cell PCI address).
 */
struct device_region {
	u64 pa, ipa, size; /* ipa: where a VM sees it, set by the config check */
	bool window;
	u32 pci_hi;
	u64 pci_addr;
};

/* What a device node asks for, in CPU terms (platform_device_resolve). */
struct platform_device {
	int node; /* offset in platform.fdt */
	bool pci; /* device_type = "pci": a host bridge, with its windows and INTx */
	struct device_region region[PLATFORM_DEVICE_MAX_REGIONS]; /* reg entries, then windows */
	unsigned int region_count;
	u32 intid[PLATFORM_DEVICE_MAX_IRQS]; /* SPIs, each once: interrupts, or interrupt-map */
	u32 irq_edge;                         /* bit i: intid[i] is edge-triggered */
	unsigned int irq_count;
	/*
	 * clocks, in order: a fixed clock's rate, or for a clock of the BPMP
	 * (bit i of clock_bpmp) its BPMP clock ID.
	 */
	u32 clock_hz[PLATFORM_DEVICE_MAX_CLOCKS];
	u32 clock_bpmp;
	unsigned int clock_count;
	/* resets and power-domains: BPMP IDs (no other provider can be given to a VM) */
	u32 reset_id[PLATFORM_DEVICE_MAX_RESETS];
	unsigned int reset_count;
	u32 power_domain_id[PLATFORM_DEVICE_MAX_POWER_DOMAINS];
	unsigned int power_domain_count;
	/* interconnects to the memory controller: its client IDs (the MC's cell), each once */
	u32 mc_client[PLATFORM_DEVICE_MAX_MC_CLIENTS];
	unsigned int mc_client_count;
};

/* One INTx entry of a PCI host bridge's interrupt-map. */
struct pci_intx_entry {
	u32 child[4]; /* PCI address (3 cells) and pin (1 cell), as numbers */
	u32 intid;
	bool edge;
};

/*
 * Fills @plat from @fdt. Returns 0, or -1 with a one-line reason in @err
 * (naming the node) when something Tessera needs is missing or malformed.
 */
int platform_parse(const void *fdt, struct platform *plat, char *err, size_t err_size);

/*
 * The same, with RAM given by the caller (@ram_count ranges; the UEFI memory
 * map, tessera/efi.h) instead of the /memory nodes, which are then ignored:
 * a UEFI device tree may have none, or name memory firmware keeps.
 */
int platform_parse_with_ram(const void *fdt, const struct mem_range *ram, unsigned int ram_count,
			    struct platform *plat, char *err, size_t err_size);

/*
 * Reads the device node at @path of @plat->fdt for passing it to a VM: its
 * reg regions (and PCI windows), its SPIs with their trigger, its fixed
 * clocks. Returns 0, or -1 with "what is wrong; how to fix it" in @err when
 * the node is missing, disabled, or needs something Tessera cannot give a VM
 * (a PPI, a non-fixed clock, power domains, resets, another interrupt parent).
 */
int platform_device_resolve(const struct platform *plat, const char *path,
			    struct platform_device *dev, char *err, size_t err_size);

/* Entry @index of PCI host bridge @node's interrupt-map: 1, 0 past the end, -1 malformed. */
int platform_pci_intx(const struct platform *plat, int node, int index, struct pci_intx_entry *e);

/*
 * The stream IDs @node's DMA uses (platform_streams.c): one per entry of
 * its iommus (<&iommu sid>), and for a PCI host bridge every iommu-map entry
 * (<rid-base &iommu sid-base length>: Linux bindings pci/pci-iommu.txt).
 * Returns how many ranges were stored (at most @max; 0 when the node names
 * no IOMMU), or -1 with a one-line reason in @err.
 */
int platform_device_streams(const void *fdt, int node, struct platform_streams *out,
			    unsigned int max, char *err, size_t err_size);

/*
 * The memory controller clients @node's DMA goes through (platform_mc.c):
 * the client ID cell of each interconnects entry naming plat->mc, each once,
 * into dev->mc_client. Returns 0 (none when there is no MC), or -1 with a
 * one-line reason naming the node when interconnects is malformed.
 */
int platform_device_mc_clients(const struct platform *plat, int node, struct platform_device *dev,
			       char *err, size_t err_size);

/* The IOMMU with this phandle, or NULL. */
const struct platform_iommu *platform_iommu_by_phandle(const struct platform *plat, u32 phandle);

/* Index of the CPU with this MPIDR (affinity fields compared), or -1. */
int platform_cpu_index(const struct platform *plat, u64 mpidr);

/* True when [base, base+size) lies inside one RAM bank. */
bool platform_range_in_ram(const struct platform *plat, u64 base, u64 size);

#define MPIDR_AFF_MASK 0xff00ffffffULL /* Aff3 [39:32], Aff2..Aff0 [23:0]; DDI 0487 J.a D19.2.104 */

#endif
