/*
 * DMA isolation, driver-independent (tessera/iommu.h): which IOMMUs exist,
 * which VM owns which streams, each VM's DMA context, and what a fault does.
 * The drivers (tessera/iommu_driver.h) program the hardware.
 */
#include <drivers/gicv3.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include <tessera/console.h>
#include <tessera/cpu.h>
#include <tessera/iommu.h>
#include <tessera/iommu_driver.h>
#include <tessera/spinlock.h>
#include <tessera/vm.h>

#define IOMMU_MAX_OWNED 16      /* stream ranges given to VMs, all IOMMUs together */
#define IOMMU_TABLE_PAGES 32    /* the VMs' stage-1 mirrors: about 3 pages per VM */
#define IOMMU_FAULTS_SHOWN 4    /* per VM: the first stops its DMA; a burst may follow */
/*
 * The pages-only stage-2 mirrors (iommu_domain.s2_pages): one level-3 table
 * per 2 MiB of a VM's memory, plus a root and a level-2 table per GiB
 * touched. Tegra234's configs: 512 + 32 MiB (276 pages) or 2 x 320 MiB
 * (324 pages); 336 pages = 1.3 MiB of .bss.
 */
#define IOMMU_S2_PAGE_TABLES 336

extern const struct iommu_driver smmuv3_driver;
extern const struct iommu_driver mmu500_driver, nvidia_mmu500_driver;

/* Table-driven: a node is handled by the first driver whose compatible it lists. */
static const struct iommu_driver *const drivers[] = {
	&smmuv3_driver,
	&nvidia_mmu500_driver, /* before arm,mmu-500, which its nodes may list too */
	&mmu500_driver,
};

/* Streams [sid, sid + count) of @iommu carry @dom's DMA. */
struct owned_streams {
	struct iommu *iommu;
	u32 sid, count;
	struct iommu_domain *dom;
};

static struct iommu iommus[PLATFORM_MAX_IOMMUS];
static unsigned int iommu_count;
static u64 irq_target;
static struct iommu_domain domains[CONFIG_MAX_VMS];
static struct owned_streams owned[IOMMU_MAX_OWNED];
static unsigned int owned_count;
static u64 table_pages[IOMMU_TABLE_PAGES][PT_ENTRIES] __aligned(4096);
static struct pt_pool table_pool = { table_pages, IOMMU_TABLE_PAGES, 0 };
static u64 s2_page_tables[IOMMU_S2_PAGE_TABLES][PT_ENTRIES] __aligned(4096);
static struct pt_pool s2_page_pool = { s2_page_tables, IOMMU_S2_PAGE_TABLES, 0 };
/* Domains' blocked state and every driver's block(): stops can come from any CPU. */
static struct spinlock iommu_lock;

static const struct iommu_driver *driver_for(const void *fdt, int node)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(drivers); i++)
		if (fdt_node_check_compatible(fdt, node, drivers[i]->compatible) == 0)
			return drivers[i];
	return NULL;
}

void iommu_probe(const struct platform *plat, u64 irq_mpidr)
{
	const void *fdt = plat->fdt;
	char err[120];

	irq_target = irq_mpidr;
	for (unsigned int i = 0; i < plat->iommu_count; i++) {
		const struct platform_iommu *desc = &plat->iommus[i];
		struct iommu *iommu = &iommus[iommu_count];
		const char *compat = fdt_getprop(fdt, desc->node, "compatible", NULL);

		*iommu = (struct iommu){ .drv = driver_for(fdt, desc->node), .desc = desc, .fdt = fdt };
		if (fdt_get_path(fdt, desc->node, iommu->path, sizeof(iommu->path)))
			snprintf(iommu->path, sizeof(iommu->path), "?");
		if (!iommu->drv) {
			printk("iommu: %s (%s): no driver; DMA through it is not isolated\n",
			       iommu->path, compat ? compat : "no compatible");
			continue;
		}
		if (iommu->drv->probe(iommu, err, sizeof(err))) {
			printk("%s: %s: %s; DMA through it is not isolated\n", iommu->drv->prefix,
			       iommu->path, err);
			continue;
		}
		iommu_count++;
	}
}

int iommu_irq_index(const struct iommu *iommu, const char *name)
{
	for (unsigned int i = 0; i < iommu->desc->irq_count; i++)
		if (!strcmp(iommu->desc->irq_name[i], name))
			return (int)i;
	return -1;
}

void iommu_route_irq(struct iommu *iommu, unsigned int index)
{
	u32 intid = iommu->desc->intid[index];

	gic_set_spi_trigger(intid, iommu->desc->edge[index]);
	gic_enable_spi(intid, irq_target);
}

bool iommu_irq(u32 intid)
{
	for (unsigned int i = 0; i < iommu_count; i++)
		for (unsigned int j = 0; j < iommus[i].desc->irq_count; j++)
			if (iommus[i].desc->intid[j] == intid) {
				iommus[i].drv->irq(&iommus[i], intid);
				return true;
			}
	return false;
}

/* A probed IOMMU walks 4 KiB stage-2 pages only: domains need s2_pages. */
static bool s2_pages_needed(void)
{
	for (unsigned int i = 0; i < iommu_count; i++)
		if (iommus[i].drv->needs_s2_pages)
			return true;
	return false;
}

/* @vm's DMA context, its mirror tables started on first use. */
static struct iommu_domain *domain_of(struct vm *vm)
{
	struct iommu_domain *dom = &domains[vm - vms];

	if (dom->vm)
		return dom;
	if (pt_init(&dom->s1, PT_S1_DMA, &table_pool))
		return NULL;
	if (s2_pages_needed()) {
		if (pt_init_pages(&dom->s2_pages, PT_STAGE2, &s2_page_pool))
			return NULL;
		dom->has_s2_pages = true;
	}
	dom->vm = vm;
	dom->index = (unsigned int)(vm - vms);
	dom->vmid = (u16)vm->vmid;
	dom->asid = (u16)vm->vmid;
	dom->s2 = &vm->s2;
	return dom;
}

int iommu_vm_map(struct vm *vm, u64 ipa, u64 pa, u64 size, unsigned int prot)
{
	struct iommu_domain *dom;

	if (!iommu_count)
		return 0; /* nothing can use the mirror */
	dom = domain_of(vm);
	/* The pages-only mirror copies the VM's stage 2, already mapped by the caller. */
	if (!dom || pt_map(&dom->s1, ipa, pa, size, prot & (PT_R | PT_W)) ||
	    (dom->has_s2_pages && pt_copy_range(&dom->s2_pages, dom->s2, ipa, size))) {
		printk("iommu: VM %s: no table memory left for its DMA view of 0x%llx-0x%llx\n",
		       vm->name, (unsigned long long)ipa, (unsigned long long)(ipa + size - 1));
		return -1;
	}
	/* A non-coherent IOMMU reads the tables from memory. */
	dsb(ishst);
	dcache_clean_poc((u64)table_pages, (u64)table_pages + sizeof(table_pages));
	if (s2_page_pool.used)
		dcache_clean_poc((u64)s2_page_tables,
				 (u64)s2_page_tables[s2_page_pool.used - 1] + PT_PAGE_SIZE);
	return 0;
}

static struct iommu *iommu_by_phandle(u32 phandle)
{
	for (unsigned int i = 0; i < iommu_count; i++)
		if (phandle && iommus[i].desc->phandle == phandle)
			return &iommus[i];
	return NULL;
}

static struct owned_streams *owner_of(const struct iommu *iommu, u32 sid, u32 count)
{
	for (unsigned int i = 0; i < owned_count; i++)
		if (owned[i].iommu == iommu && ranges_overlap(sid, count, owned[i].sid, owned[i].count))
			return &owned[i];
	return NULL;
}

int iommu_attach_streams(struct vm *vm, u32 iommu_phandle, u32 sid_base, u32 count)
{
	struct iommu *iommu = iommu_by_phandle(iommu_phandle);
	const struct owned_streams *other;
	struct iommu_domain *dom;
	char err[120];

	if (!iommu) {
		printk("iommu: VM %s: streams 0x%x-0x%x: no usable IOMMU with phandle 0x%x\n",
		       vm->name, sid_base, sid_base + count - 1, iommu_phandle);
		return -1;
	}
	other = owner_of(iommu, sid_base, count);
	if (other) {
		printk("%s: VM %s: streams 0x%x-0x%x: already VM %s's\n", iommu->drv->prefix,
		       vm->name, sid_base, sid_base + count - 1, other->dom->vm->name);
		return -1;
	}
	dom = domain_of(vm);
	if (owned_count == IOMMU_MAX_OWNED || !dom) {
		printk("%s: VM %s: streams 0x%x-0x%x: %s\n", iommu->drv->prefix, vm->name, sid_base,
		       sid_base + count - 1,
		       dom ? "too many stream ranges given to VMs" : "no table memory left");
		return -1;
	}
	if (iommu->drv->attach(iommu, sid_base, count, dom, err, sizeof(err))) {
		printk("%s: VM %s: streams 0x%x-0x%x: %s\n", iommu->drv->prefix, vm->name, sid_base,
		       sid_base + count - 1, err);
		return -1;
	}
	owned[owned_count++] = (struct owned_streams){ iommu, sid_base, count, dom };
	printk("%s: %s streams 0x%x-0x%x: VM %s's DMA (ASID %u)\n", iommu->drv->prefix, iommu->path,
	       sid_base, sid_base + count - 1, vm->name, dom->asid);
	return 0;
}

int iommu_attach_device(struct vm *vm, const void *fdt, int node)
{
	struct platform_streams streams[PLATFORM_DEVICE_MAX_STREAM_RANGES];
	const char *type;
	char err[160];
	int n = platform_device_streams(fdt, node, streams, ARRAY_SIZE(streams), err, sizeof(err));

	if (n < 0) {
		printk("iommu: VM %s: %s\n", vm->name, err);
		return -1;
	}
	/* A host bridge's devices may all master the bus: say when nothing isolates them. */
	type = fdt_getprop(fdt, node, "device_type", NULL);
	if (n == 0 && type && !strcmp(type, "pci") && !fdt_get_path(fdt, node, err, sizeof(err)))
		printk("iommu: VM %s: %s names no IOMMU: DMA behind it is not isolated\n", vm->name,
		       err);
	for (int i = 0; i < n; i++)
		if (iommu_attach_streams(vm, streams[i].iommu_phandle, streams[i].sid_base,
					 streams[i].count))
			return -1;
	return 0;
}

/* Every IOMMU carrying @dom's streams blocks or unblocks them; under iommu_lock. */
static void domain_block(struct iommu_domain *dom, bool blocked)
{
	if (dom->blocked == blocked)
		return;
	dom->blocked = blocked;
	for (unsigned int i = 0; i < iommu_count; i++)
		for (unsigned int j = 0; j < owned_count; j++)
			if (owned[j].dom == dom && owned[j].iommu == &iommus[i]) {
				iommus[i].drv->block(&iommus[i], dom, blocked);
				break;
			}
}

void iommu_vm_stop(struct vm *vm)
{
	struct iommu_domain *dom = &domains[vm - vms];

	if (!dom->vm)
		return;
	spin_lock(&iommu_lock);
	domain_block(dom, true);
	spin_unlock(&iommu_lock);
}

void iommu_vm_start(struct vm *vm)
{
	struct iommu_domain *dom = &domains[vm - vms];

	if (!dom->vm)
		return;
	spin_lock(&iommu_lock);
	domain_block(dom, false);
	spin_unlock(&iommu_lock);
}

/* "translation fault at 0x52100000 (write)", or just the fault when it has no address. */
static void fault_text(const struct iommu_fault *f, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s", f->what);

	if (f->has_addr && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " at 0x%llx", (unsigned long long)f->addr);
	if (f->has_dir && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " (%s)", f->write ? "write" : "read");
}

void iommu_fault(struct iommu *iommu, const struct iommu_fault *f)
{
	const struct owned_streams *own = owner_of(iommu, f->sid, 1);
	struct iommu_domain *dom = own ? own->dom : NULL;
	char text[96], reason[64];
	bool first;

	fault_text(f, text, sizeof(text));
	if (!dom) {
		printk("%s: stream 0x%x (no VM's): %s; aborted\n", iommu->drv->prefix, f->sid, text);
		return;
	}
	spin_lock(&iommu_lock);
	/* Faults of transactions already under way when its DMA was stopped: a few shown. */
	first = !dom->blocked;
	if (dom->faults_reported++ < IOMMU_FAULTS_SHOWN)
		printk("%s: VM %s stream 0x%x: %s%s\n", iommu->drv->prefix, dom->vm->name, f->sid,
		       text, first ? "; DMA stopped" : "");
	else if (dom->faults_reported == IOMMU_FAULTS_SHOWN + 1)
		printk("%s: VM %s: further DMA faults not shown\n", iommu->drv->prefix,
		       dom->vm->name);
	domain_block(dom, true);
	spin_unlock(&iommu_lock);
	if (first) {
		snprintf(reason, sizeof(reason), "DMA fault on stream 0x%x", f->sid);
		vm_event(dom->vm, VM_EVENT_FAULT, reason); /* its on-fault policy */
	}
}
