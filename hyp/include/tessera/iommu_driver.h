/*
 * What an IOMMU driver implements for core/iommu.c, and what the core gives
 * it. A driver knows its hardware; the core knows VMs, stream ownership,
 * the DMA contexts and what to do about a fault.
 *
 * A VM's DMA context (struct iommu_domain) offers two forms of the same
 * address space, so that any IOMMU kind can use one of them:
 *  - s2 and vmid: the VM's own stage-2 tables, for an IOMMU whose stage 2
 *    walks the CPU's stage-2 format (SMMUv3 with S2P);
 *  - s2_pages: a stage-2-format mirror of the VM's memory mappings made of
 *    4 KiB pages only, the same IPA -> PA and rights as s2, for an IOMMU
 *    that walks no blocks (Tegra234's MMU-500); built only when a probed
 *    driver sets needs_s2_pages (has_s2_pages);
 *  - s1 and asid: a mirror of the VM's memory mappings in the EL1&0 stage-1
 *    format (PT_S1_DMA), for an IOMMU with stage 1 only (QEMU's SMMUv3).
 * Both give the same IPA -> PA for the VM's memory and nothing else.
 */
#ifndef TESSERA_IOMMU_DRIVER_H
#define TESSERA_IOMMU_DRIVER_H

#include <arch/pgtable.h>
#include <tessera/platform.h>
#include <tessera/types.h>

struct vm;
struct iommu;

struct iommu_domain {
	struct vm *vm;
	unsigned int index;       /* 0 .. CONFIG_MAX_VMS - 1: a driver's per-context slot */
	u16 vmid;                 /* the VM's VMID, as its stage 2 is tagged */
	u16 asid;                 /* the stage-1 mirror's ASID (= vmid) */
	const struct pgtable *s2; /* the VM's stage-2 tables */
	struct pgtable s1;        /* PT_S1_DMA mirror of its memory mappings */
	struct pgtable s2_pages;  /* PT_STAGE2 pages-only mirror, when has_s2_pages */
	bool has_s2_pages;
	bool blocked;             /* its streams abort: under iommu_lock */
	unsigned int faults_reported;
};

/* A DMA an IOMMU stopped, as its driver decoded it. */
struct iommu_fault {
	u32 sid;
	const char *what; /* "translation fault", "permission fault", ... */
	u64 addr;         /* the input address, when has_addr */
	bool has_addr;
	bool write;       /* when has_dir */
	bool has_dir;
};

struct iommu_driver {
	const char *compatible; /* matched against the node's compatible list */
	const char *prefix;     /* console prefix: "smmu" */
	bool needs_s2_pages;    /* its stage 2 walks 4 KiB pages only: domains get s2_pages */
	/*
	 * Boot: map the registers, reset, every stream aborting, print one line
	 * saying what was found. Returns 0, or -1 with a reason in @err.
	 */
	int (*probe)(struct iommu *iommu, char *err, size_t err_size);
	/*
	 * Boot: streams [sid, sid + count) translate with @dom. Returns 0, or -1
	 * with a reason in @err (nothing changed then).
	 */
	int (*attach)(struct iommu *iommu, u32 sid, u32 count, struct iommu_domain *dom,
		      char *err, size_t err_size);
	/*
	 * Any CPU, under iommu_lock: every stream attached to @dom aborts
	 * (@blocked) or translates again; when it returns, no transaction uses
	 * an old configuration or TLB entry.
	 */
	void (*block)(struct iommu *iommu, struct iommu_domain *dom, bool blocked);
	/* Its interrupt @intid fired: report each recorded fault through iommu_fault(). */
	void (*irq)(struct iommu *iommu, u32 intid);
};

/* One probed IOMMU: core-owned. */
struct iommu {
	const struct iommu_driver *drv;
	const struct platform_iommu *desc; /* registers, interrupts, DT node */
	const void *fdt;                   /* the boot DT */
	char path[64];                     /* its DT node, for messages */
	void *priv;                        /* the driver's instance (static storage) */
};

/* Driver, any CPU: report @f and contain the VM whose stream it is. */
void iommu_fault(struct iommu *iommu, const struct iommu_fault *f);
/* Driver, at probe: its interrupt @index (of desc->intid) is taken on the boot CPU. */
void iommu_route_irq(struct iommu *iommu, unsigned int index);
/* Driver, at probe: the index of the interrupt called @name, or -1. */
int iommu_irq_index(const struct iommu *iommu, const char *name);

#endif
