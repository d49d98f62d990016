/*
 * The device tree each VM boots with, built by the hypervisor at VM start
 * with libfdt's sequential-write API. It describes only what the VM gets:
 * its RAM, its vCPUs, PSCI by HVC, its virtual GICv3 (no ITS) and timer, the
 * emulated PL011 and its clock, the initrd. Shared with the host unit tests,
 * so no allocation and no board constants.
 */
#ifndef TESSERA_GUEST_FDT_H
#define TESSERA_GUEST_FDT_H

#include <tessera/config.h>
#include <tessera/platform.h>
#include <tessera/types.h>

/* Root #address-cells / #size-cells: every address and size is two cells. */
#define GUEST_FDT_ADDR_CELLS 2
#define GUEST_FDT_SIZE_CELLS 2

/* The emulated PL011: one 4 KiB frame, fed by a fixed 24 MHz clock (as on QEMU virt). */
#define GUEST_FDT_UART_SIZE SZ_4K
#define GUEST_FDT_UART_CLOCK_HZ 24000000U

/*
 * One channel end as the VM sees it (docs/configuration.md, "Channels"): a
 * channel@<map> node, or for a PCI end a pcie@<pci_ecam> host bridge.
 */
struct guest_fdt_channel {
	const char *name;
	const char *peer;
	u64 map, size; /* the shared memory */
	u64 doorbell;  /* its 4 KiB doorbell page (!pci) */
	bool pci;
	u64 pci_ecam;  /* its 1 MiB ECAM (pci) */
	u32 intid;     /* SPI raised when the peer rings (level when pci) */
	bool read_only;
};

/*
 * linux,pci-domain of a PCI channel end: this plus its index among the VM's
 * channels. Not 0, nor near it: a real host bridge given to the VM keeps the
 * domain number its platform DT gives it, and Linux wants them all distinct.
 */
#define GUEST_FDT_PCI_DOMAIN_BASE 0x100

#define GUEST_FDT_MAX_CHANNELS 8

/*
 * A virtio-net device of a network (hyp/virt/vnet.c): a virtio_mmio@<base>
 * node, compatible "virtio,mmio", one CONFIG_VIRTIO_MMIO_SIZE page, an edge
 * SPI, dma-coherent (Tessera's copies are coherent with the VM's caches).
 */
struct guest_fdt_virtio {
	u64 base;
	u32 intid;
};

#define GUEST_FDT_MAX_VIRTIO CONFIG_MAX_NETWORKS

struct guest_fdt_params {
	const char *vm_name;     /* model = "Tessera VM <name>"; NULL reads as "" */
	struct mem_range memory; /* one /memory@<base> node */
	unsigned int vcpu_count; /* /cpus/cpu@i, reg = i (virtual MPIDR Aff0 = i), at least 1 */
	u64 vuart_base;          /* its node's unit address, also /chosen/stdout-path */
	u32 vuart_intid;         /* its SPI (INTID >= 32); 0: no interrupts property */
	const char *bootargs;    /* /chosen/bootargs; NULL reads as "" */
	/* The vGICv3: GICD (64 KiB) and one 128 KiB GICR frame per vCPU. 0: no GIC, no timer. */
	u64 gicd_base, gicr_base;
	struct mem_range initrd;    /* linux,initrd-start/-end in /chosen; size 0: none */
	unsigned int restart_count; /* /chosen/tessera,restart-count */
	u64 manage_page;            /* /chosen/tessera,manage-page (the manager's); 0: none */
	const u8 *rng_seed;         /* /chosen/rng-seed, rng_seed_size bytes; NULL: none */
	unsigned int rng_seed_size;
	const struct guest_fdt_channel *channels; /* /channel@<map>, needs the GIC */
	unsigned int channel_count;
	const struct guest_fdt_virtio *virtio; /* /virtio_mmio@<base>, needs the GIC */
	unsigned int virtio_count;
	/* Platform devices given to the VM: copies of their nodes in @platform's DT. */
	const struct platform *platform;
	const struct device_config *devices;
	unsigned int device_count;
	/* The VM's virtual BPMP (vm_config.vbpmp); NULL or !present: none. Needs the GIC. */
	const struct vbpmp_config *vbpmp;
	/* Its SBSA Generic Watchdog (vm_config.watchdog); NULL or !present: none. Needs the GIC. */
	const struct watchdog_config *watchdog;
};

/*
 * Phandles of the guest DT: the vUART clock, the vGIC, the virtual BPMP's
 * nodes, then device clocks from 0x10. A passed-through device's subnodes
 * keep their platform phandles plus GUEST_FDT_SUBNODE_PHANDLE, clear of these.
 */
#define GUEST_FDT_CLOCK_PHANDLE 1
#define GUEST_FDT_GIC_PHANDLE 2
#define GUEST_FDT_BPMP_HSP_PHANDLE 3
#define GUEST_FDT_BPMP_TX_PHANDLE 4
#define GUEST_FDT_BPMP_RX_PHANDLE 5
#define GUEST_FDT_BPMP_PHANDLE 6
#define GUEST_FDT_DEVICE_CLOCK_PHANDLE 0x10
#define GUEST_FDT_SUBNODE_PHANDLE 0x10000

/* The virtual BPMP's hsp, sram and bpmp nodes (guest_fdt_bpmp.c), inside the root node. */
int guest_fdt_bpmp(void *fdt, const struct guest_fdt_params *p);

/* The passed-through devices' nodes (guest_fdt_device.c), inside the root node. */
int guest_fdt_devices(void *fdt, const struct guest_fdt_params *p);

/* Generic timer PPIs the guest DT names (secure, non-secure physical, virtual, hyp), as INTIDs. */
#define GUEST_FDT_TIMER_PPIS { 29, 30, 27, 26 }

/*
 * Writes the VM's DTB into @buf (@size bytes). Returns 0, or a negative
 * libfdt error: -FDT_ERR_NOSPACE when @buf is too small (its contents are
 * then undefined, but nothing past @size is touched), -FDT_ERR_BADVALUE for
 * parameters no tree can describe (no vCPU, more vCPUs than Aff0 holds,
 * empty memory).
 */
int guest_fdt_build(void *buf, size_t size, const struct guest_fdt_params *p);

#endif
