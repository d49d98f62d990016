/*
 * The system configuration: which VMs exist and what each owns. Written by
 * users as device-tree source (the .dts files under configs/<board>, format in
 * docs/configuration.md), compiled by dtc with the guest images embedded via
 * /incbin/, checked on the host by tools/tessera-config and again by the
 * hypervisor at boot. Both run the same config_parse() and config_validate().
 */
#ifndef TESSERA_CONFIG_H
#define TESSERA_CONFIG_H

#include <tessera/platform.h>
#include <tessera/types.h>
#include <tessera/vm_control.h>
#include <virt/vbpmp_filter.h>

#define CONFIG_MAX_VMS 8
#define CONFIG_NAME_MAX 32
#define CONFIG_PATH_MAX 96
#define CONFIG_VERSION 1

/* Guest DTB slot: the last 2 MiB of a VM's memory (Linux: dtb <= 2 MiB, 8-byte aligned). */
#define GUEST_DTB_SLOT SZ_2M

/*
 * Guest physical addresses end here: the stage-2 input size (arch/pgtable.h
 * PT_IA_BITS). A PCI window beyond it is left out of the VM's view.
 */
#define CONFIG_IPA_LIMIT (1ULL << 39)

#define CONFIG_MAX_DEVICES 8 /* per VM */
/*
 * Passed-through interrupts keep their INTID: any SPI (IHI 0069H 2.2.1, up to
 * 1019); the VM's vGIC grows to cover it (virt/vgic.h vgic_nr_irqs).
 */
#define CONFIG_DEVICE_INTID_MAX 1019

/* A platform device given to a VM (docs/configuration.md, "Devices"). */
struct device_config {
	char node[CONFIG_PATH_MAX]; /* the config node, for messages */
	const char *path;           /* its node in the platform DT; in the config blob */
	u64 map;                    /* IPA of its first region; 0 with !has_map: 1:1 */
	bool has_map;
	bool dma_unconfined;        /* dma-unconfined: the VM may reach all memory by its DMA */
	bool well_formed;          /* config_parse() read device and map */
	bool held;                 /* config_validate(): it passed, so no other VM may have it */
	struct platform_device hw; /* resolved by config_validate() */
};

/*
 * What a VM's access to an address it has no right to gets (vm_config.fault_policy,
 * docs/configuration.md): a synchronous external abort, as hardware gives, or a stop.
 */
enum fault_policy {
	FAULT_POLICY_INJECT, /* the default */
	FAULT_POLICY_STOP,
};

/* vm_config.well_formed: the properties config_parse() read without a problem. */
#define VM_HAS_CPUS (1u << 0)
#define VM_HAS_MEMORY (1u << 1)
#define VM_HAS_IMAGE (1u << 2)
#define VM_HAS_VUART (1u << 3)

struct vm_config {
	char name[CONFIG_NAME_MAX];
	char node[CONFIG_PATH_MAX]; /* node path in the config, for messages */

	u32 cpus[PLATFORM_MAX_CPUS]; /* physical CPU indices; vCPU i runs on cpus[i] */
	unsigned int cpu_count;

	/*
	 * Guest RAM. IPA == PA, unless the VM is coloured (colours != 0): then
	 * this is its IPA range only, and its pages come from the colouring
	 * memory (tessera/colour.h, config_colour.c).
	 */
	struct mem_range memory;
	bool coloured;        /* has colors */
	const void *colour_cells; /* colors: colour numbers, one cell each, in the blob */
	unsigned int colour_cell_count;
	u64 colours;          /* their mask, once config_validate() found them in range */
	bool colours_shared;  /* colors-shared: other VMs that say so may share its colours */
	u64 colour_row;       /* placement (config_validate): its first row of the colouring memory */
	bool colour_placed;   /* config_validate() placed it: later VMs' pages start past its rows */

	const void *image; /* points into the config blob */
	u64 image_size;    /* bytes of the file */
	u64 image_load;    /* where the image goes (IPA): see image_place() */
	u64 image_span;    /* bytes it occupies once loaded, bss included */

	const void *initrd; /* optional initial ramdisk, in the blob */
	u64 initrd_size;    /* 0 when absent */
	u64 initrd_load;    /* IPA: right below the guest DTB slot */

	const char *bootargs; /* NUL-terminated, in the blob; "" when absent */
	u64 vuart_base;       /* IPA of the emulated PL011 (4 KiB) */
	bool console_input;   /* takes console input first */
	enum fault_policy fault_policy;
	/*
	 * Restart policies (config_policy.c): what vm_event() does for
	 * VM_EVENT_FAULT .. VM_EVENT_SYSTEM_OFF, indexed by enum vm_event.
	 */
#define VM_POLICY_EVENTS (VM_EVENT_SYSTEM_OFF + 1)
	enum vm_action policy[VM_POLICY_EVENTS];
	u32 restart_limit;      /* policy restarts in a row before it is stopped; 0: no limit */
	u32 restart_backoff_ms; /* delay before a policy restart */
	bool power_off_when_stopped;
	bool manager;      /* may call the management API (core/manage.c); at most one VM */
	u64 manager_page;  /* IPA of its management page (MANAGE_PAGE_SIZE); 0: HVC calls only */

	/*
	 * Its SBSA Generic Watchdog (virt/vwdt.h), when the config gives one:
	 * watchdog = <refresh-frame control-frame>, watchdog-interrupt = <WS0 SPI>.
	 */
	struct watchdog_config {
		bool present;   /* both properties read */
		u64 refresh;    /* IPA of the refresh frame (4 KiB) */
		u64 control;    /* IPA of the control frame (4 KiB) */
		u32 intid;      /* WS0's SPI (level) */
		bool has_frames, has_intid;
	} watchdog;

	/* Memory-bandwidth budget of each of its CPUs (core/bwreg.c): bandwidth-budget. */
	struct bandwidth_config {
		bool present;
		u32 budget;    /* PMU events (the platform's, platform_pmu.c) per period */
		u32 period_us;
	} bandwidth;

	struct device_config devices[CONFIG_MAX_DEVICES];
	unsigned int device_count;

	/*
	 * Its virtual BPMP (virt/vbpmp.h): present when a device given to it
	 * has BPMP clocks, resets or power domains; then allow holds their IDs.
	 * Placed by config_validate() where the board has its BPMP's HSP and
	 * SYSRAM pools (vbpmp.h VBPMP_*), interrupt = the HSP's doorbell one.
	 */
	struct vbpmp_config {
		bool present;
		u64 hsp_ipa;  /* VBPMP_HSP_SIZE of emulated HSP registers */
		u64 sram_ipa; /* VBPMP_SRAM_SIZE: the tx pool, then the rx pool */
		u32 intid;    /* the virtual HSP's doorbell interrupt (level) */
		struct vbpmp_allow allow;
	} vbpmp;

	/*
	 * What config_validate() checks: a VM refused for one problem is still
	 * checked for the others, and what it asked for correctly (CPUs, memory)
	 * it holds, so a clash with it is reported in the same run.
	 */
	unsigned int well_formed; /* VM_HAS_*, from config_parse() */
	u32 cpus_held;            /* bit i: CPU index i is this VM's */
	bool memory_held;         /* its memory passed its checks: no one else may have it */

	bool valid; /* set by config_validate(): this VM may start */
};

#define CONFIG_MAX_CHANNELS 8
/* Doorbell interrupts: SPIs the vGIC implements, except the vPL011's (INTID 33). */
#define CONFIG_CHANNEL_INTID_MIN 34
#define CONFIG_CHANNEL_INTID_MAX 127

/*
 * A PCI end's configuration space: bus 0 only, 32 devices x 8 functions x
 * 4 KiB (PCIe Base Spec 4.0 7.2.2, "PCI Express Enhanced Configuration Access
 * Mechanism"), so 1 MiB, 1 MiB aligned.
 */
#define CONFIG_PCI_ECAM_SIZE SZ_1M

/*
 * One end of a channel: how the shared memory and the doorbell appear in that
 * VM. Either a doorbell page (the guest DT's channel@ node), or, with
 * pci-ecam, a PCI function on a host bridge of its own (hyp/virt/vpci.c).
 */
struct channel_end_config {
	char node[CONFIG_PATH_MAX];
	unsigned int vm;  /* index in system_config.vms */
	u64 map;          /* IPA of the shared memory in that VM */
	u64 doorbell;     /* IPA of its 4 KiB doorbell page: a write rings the peer (!pci) */
	u64 pci_ecam;     /* IPA of its ECAM (CONFIG_PCI_ECAM_SIZE) when pci */
	bool pci;         /* presented as a PCI function, not a doorbell page */
	u32 intid;        /* SPI raised in this VM when the peer rings (level when pci) */
	bool read_only;   /* this VM may only read the shared memory */
	bool well_formed; /* config_parse(): its VM exists and its values were read */
};

/* A shared-memory channel between two VMs, with a doorbell each way. */
struct channel_config {
	char name[CONFIG_NAME_MAX];
	char node[CONFIG_PATH_MAX];
	struct mem_range memory; /* physical, 2 MiB aligned, in no VM's memory */
	bool memory_well_formed; /* config_parse() read memory */
	struct channel_end_config end[2];
	bool valid; /* set by config_validate(): both ends may use it */
};

/*
 * Virtual LANs between VMs (docs/configuration.md, "Networks"; hyp/virt/vnet.c):
 * /networks/<name>/<vm> gives that VM a virtio-net device (virtio-mmio,
 * virtio 1.x) on the network. Tessera is the device and the switch: no VM
 * maps another's memory.
 */
#define CONFIG_MAX_NETWORKS 4
#define CONFIG_MAX_NET_MEMBERS 8 /* per network; a VM has at most one port per network */
#define CONFIG_MAX_NET_PORTS 16  /* over all networks: hyp/virt/vnet.c's ports */
#define CONFIG_VIRTIO_MMIO_SIZE SZ_4K /* one page per device (virtio 1.2, 4.2.2: 0x100 + config) */
#define CONFIG_MAC_LEN 6

struct net_member_config {
	char node[CONFIG_PATH_MAX];
	unsigned int vm;         /* index in system_config.vms */
	u64 base;                /* IPA of its virtio-mmio page (CONFIG_VIRTIO_MMIO_SIZE) */
	u32 intid;               /* its SPI, CONFIG_CHANNEL_INTID_MIN..MAX, edge */
	u8 mac[CONFIG_MAC_LEN];  /* given (mac = [..]) or generated from the names, stable */
	bool mac_given;
	bool well_formed;        /* config_parse(): its VM exists and its values were read */
};

struct network_config {
	char name[CONFIG_NAME_MAX];
	char node[CONFIG_PATH_MAX];
	struct net_member_config member[CONFIG_MAX_NET_MEMBERS];
	unsigned int member_count;
	bool valid; /* set by config_validate(): every member may use it */
};

/*
 * The /cache-coloring node (config_colour.c, docs/configuration.md "Cache
 * colouring"): the last-level cache's geometry when the platform DT has
 * none, the physical memory coloured VMs' pages come from, Tessera's own
 * colours.
 */
struct colouring_config {
	bool present;
	u64 cache_size;          /* cache-size: 0 when not given */
	u32 cache_ways;          /* cache-ways */
	u32 cache_line;          /* cache-line-size, 64 when not given */
	struct mem_range memory; /* physical, W-aligned (W = way size) */
	bool memory_well_formed;
	u64 hyp_colours;         /* hypervisor-colors: reserved, no VM may have them */
	/* Set by config_validate(): */
	unsigned int colours;    /* way size / 4 KiB, from the platform DT or the config */
	bool valid;              /* geometry and memory passed: coloured VMs may be placed */
};

struct system_config {
	struct colouring_config colouring;
	struct vm_config vms[CONFIG_MAX_VMS];
	unsigned int vm_count;
	struct channel_config channels[CONFIG_MAX_CHANNELS];
	unsigned int channel_count;
	struct network_config networks[CONFIG_MAX_NETWORKS];
	unsigned int network_count;
};

/*
 * Problems are reported through this callback, one call per problem, with the
 * node path and a message that says what is wrong and how to fix it.
 */
typedef void (*config_report_fn)(void *ctx, const char *node, const char *msg);

struct config_reporter {
	config_report_fn report;
	void *ctx;
	unsigned int errors;
};

/*
 * Reads the config blob into @cfg. Malformed nodes are reported and left
 * invalid (their vm_config.valid stays false); returns the number of problems.
 * A blob that is not a Tessera config at all (bad header, no /vms, wrong
 * version) returns -1 after reporting.
 */
int config_parse(const void *blob, struct system_config *cfg, struct config_reporter *rep);

/*
 * Checks every parsed VM against the platform, the hypervisor's own footprint
 * and the VMs before it: memory in RAM and disjoint, CPUs present and not
 * shared, image fits, vUART placement. Sets vm_config.valid for the VMs that
 * pass; a VM that conflicts with an earlier valid VM is the one refused.
 * Returns the number of problems.
 */
int config_validate(struct system_config *cfg, const struct platform *plat,
		    const struct mem_range *hyp_footprint, struct config_reporter *rep);

/*
 * Where a VM with @cpu_count vCPUs sees its vGIC: the distributor where the
 * machine has its GICD, one redistributor frame per vCPU from the machine's
 * first GICR address (the guest DT says the same). The checker and the VM
 * builder both place it with this. Without a GICR region both are empty.
 */
void config_vgic_place(const struct platform *plat, unsigned int cpu_count,
		       struct mem_range *gicd, struct mem_range *gicr);

/*
 * Where an image goes in a VM: an arm64 Linux Image ("ARM\x64" at 0x38) is
 * placed at the 2 MiB-aligned RAM base + text_offset and spans its image_size
 * (zero image_size means the file size); anything else is placed at the RAM
 * base and spans its file size. Returns false when the header is inconsistent.
 */
bool image_place(const void *image, u64 image_size, u64 ram_base, u64 *load, u64 *span);

#endif
