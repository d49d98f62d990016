/*
 * Devices given to VMs in the config (docs/configuration.md, "Devices"): a
 * subnode of a VM naming a node of the platform DT. Parsed with the VM,
 * resolved against the platform DT (platform_device_resolve) and checked
 * with it: a device belongs to one VM, its pages to nobody else, its
 * interrupts to that VM alone. Shared by the host checker and the hypervisor.
 */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include <drivers/uart.h>
#include <tessera/config.h>
#include <virt/vbpmp.h>
#include <virt/vpl011.h>

#include "config_internal.h"

#define KNOWN_DEVICE_PROPS "device, map, dma-unconfined"

bool device_parse(const void *blob, int node, struct vm_config *vm, int ac, struct problems *p)
{
	struct device_config *dev;
	int len;
	const char *name = fdt_get_name(blob, node, &len);
	const char *path;
	bool ok = true;

	if (!name)
		return false;
	if (vm->device_count == CONFIG_MAX_DEVICES) {
		report(p, vm->node, "more than %d devices; remove '%s'", CONFIG_MAX_DEVICES, name);
		return false;
	}
	dev = &vm->devices[vm->device_count++];
	if (snprintf(dev->node, sizeof(dev->node), "%s/%.*s", vm->node, len, name) >=
	    (int)sizeof(dev->node)) {
		report(p, dev->node, "the node name is too long; shorten it");
		ok = false;
	}
	if (!known_props(blob, node, dev->node, KNOWN_DEVICE_PROPS, p))
		ok = false;
	path = fdt_getprop(blob, node, "device", &len);
	if (!path || len < 2 || strnlen(path, (size_t)len) != (size_t)len - 1) {
		report(p, dev->node, "device must be the path of a node in the platform DT, e.g. "
				     "device = \"/pl031@9010000\";");
		ok = false;
	}
	dev->path = path;
	/* A boolean: present and empty, said in writing (config_mc.c). */
	dev->dma_unconfined = fdt_getprop(blob, node, "dma-unconfined", &len) != NULL;
	if (dev->dma_unconfined && len != 0) {
		report(p, dev->node, "dma-unconfined takes no value; write dma-unconfined;");
		ok = false;
	}
	const fdt32_t *map = fdt_getprop(blob, node, "map", &len);

	if (map && len != ac * 4) {
		report(p, dev->node, "map must be one address (%d cells): where the device's first "
				     "region appears in the VM, e.g. map = <0x0 0x09010000>;", ac);
		ok = false;
	} else if (map) {
		dev->map = read_cells(map, ac);
		dev->has_map = true;
	}
	dev->well_formed = ok;
	return ok;
}

/*
 * What of Tessera's the pages [base, base + size) hold, or NULL: the GIC, the
 * console device (a UART, or for the TCU the HSP shared mailboxes it writes),
 * an IOMMU, Tegra's memory controller, the BPMP's HSP and SYSRAM pools, the
 * hypervisor, RAM (handed out only as memory).
 */
static const char *region_owner(const struct platform *plat, const struct mem_range *hyp,
				u64 base, u64 size)
{
	for (unsigned int i = 0; i < plat->iommu_count; i++)
		for (unsigned int j = 0; j < plat->iommus[i].reg_count; j++)
			if (ranges_overlap(base, size, plat->iommus[i].regs[j].base,
					   plat->iommus[i].regs[j].size))
				return "an IOMMU's registers";
	for (unsigned int i = 0; i < plat->mc.reg_count; i++)
		if (ranges_overlap(base, size, plat->mc.regs[i].base, plat->mc.regs[i].size))
			return "the memory controller's registers (it sets the stream ID of every "
			       "device's DMA)";
	if (ranges_overlap(base, size, plat->gicd.base, plat->gicd.size))
		return "the GIC distributor";
	for (unsigned int i = 0; i < plat->gicr_count; i++)
		if (ranges_overlap(base, size, plat->gicr[i].base, plat->gicr[i].size))
			return "GIC redistributors";
	for (unsigned int i = 0; i < plat->uart.reg_count; i++)
		if (ranges_overlap(base, size, plat->uart.regs[i].base, plat->uart.regs[i].size))
			return plat->uart.kind == UART_TEGRA_TCU ?
				       "a shared mailbox of Tessera's console (the TCU)" :
				       "Tessera's console UART";
	for (unsigned int i = 0; i < plat->mc.reg_count; i++)
		if (ranges_overlap(base, size, plat->mc.regs[i].base, plat->mc.regs[i].size))
			return "the memory controller's registers (it sets the stream ID of every "
			       "device's DMA)";
	if (plat->bpmp.present) {
		if (ranges_overlap(base, size, plat->bpmp.hsp.base, plat->bpmp.hsp.size))
			return "the BPMP's doorbells (its HSP block; VMs get a virtual one)";
		if (ranges_overlap(base, size, plat->bpmp.tx.base, plat->bpmp.tx.size) ||
		    ranges_overlap(base, size, plat->bpmp.rx.base, plat->bpmp.rx.size))
			return "the BPMP's IVC queues in SYSRAM (VMs get a virtual BPMP's)";
	}
	if (hyp && hyp->size && ranges_overlap(base, size, hyp->base, hyp->size))
		return "the hypervisor";
	for (unsigned int i = 0; i < plat->ram_count; i++)
		if (ranges_overlap(base, size, plat->ram[i].base, plat->ram[i].size))
			return "RAM";
	return NULL;
}

/* Where the VM sees each region; windows beyond the IPA space are left out. */
static bool place_regions(struct device_config *dev, struct problems *p)
{
	struct platform_device *hw = &dev->hw;
	u64 delta = dev->has_map ? dev->map - hw->region[0].pa : 0;
	unsigned int kept = 0;

	if (dev->has_map && hw->pci) {
		report(p, dev->node, "map cannot move a PCI host bridge (its windows carry bus "
				     "addresses); remove map");
		return false;
	}
	for (unsigned int i = 0; i < hw->region_count; i++) {
		struct device_region r = hw->region[i];

		if (!IS_ALIGNED(r.pa, SZ_4K) || !IS_ALIGNED(dev->map, SZ_4K)) {
			report(p, dev->node, "%s region 0x%llx (or map) is not 4 KiB aligned; a VM "
					     "gets whole pages, so this device cannot be given alone",
			       dev->path, (unsigned long long)(r.pa + delta));
			return false;
		}
		r.size = ALIGN_UP(r.size, SZ_4K);
		r.ipa = r.pa + delta;
		if (r.ipa + r.size > CONFIG_IPA_LIMIT || r.ipa + r.size < r.ipa) {
			if (r.window)
				continue; /* a 64-bit PCI window above the VM's address space */
			report(p, dev->node, "%s region " RANGE_FMT " is beyond the VM's %llu GiB "
					     "address space; use map to place it lower",
			       dev->path, RANGE_ARGS(r.ipa, r.size),
			       (unsigned long long)(CONFIG_IPA_LIMIT >> 30));
			return false;
		}
		hw->region[kept++] = r;
	}
	hw->region_count = kept;
	return true;
}

/* @dev's regions (IPAs) against what its VM already has there (memory only once it passed). */
static bool ipas_free(const struct vm_config *vm, const struct device_config *dev,
		      const struct platform *plat, struct problems *p)
{
	for (unsigned int i = 0; i < dev->hw.region_count; i++) {
		const struct device_region *r = &dev->hw.region[i];

		if (vm_ipa_taken(vm, plat, r->ipa, r->size)) {
			report(p, dev->node, "%s at " RANGE_FMT " overlaps VM %s's memory, vUART or "
					     "vGIC; move them apart (map places the device)",
			       dev->path, RANGE_ARGS(r->ipa, r->size), vm->name);
			return false;
		}
		for (const struct device_config *o = vm->devices; o < dev; o++)
			for (unsigned int j = 0; j < o->hw.region_count; j++)
				if (ranges_overlap(r->ipa, r->size, o->hw.region[j].ipa,
						   o->hw.region[j].size)) {
					report(p, dev->node, "%s at " RANGE_FMT " overlaps %s in the "
							     "same VM; give each device its own addresses",
					       dev->path, RANGE_ARGS(r->ipa, r->size), o->path);
					return false;
				}
	}
	return true;
}

/* The device's pages and interrupts against the devices held before it (in file order). */
static bool not_taken(const struct system_config *cfg, unsigned int idx,
		      const struct device_config *dev, struct problems *p)
{
	for (unsigned int v = 0; v <= idx; v++) {
		const struct vm_config *other = &cfg->vms[v];

		for (const struct device_config *o = other->devices;
		     o < other->devices + other->device_count && o != dev; o++) {
			if (!o->held)
				continue;
			for (unsigned int i = 0; i < dev->hw.region_count; i++)
				for (unsigned int j = 0; j < o->hw.region_count; j++)
					if (ranges_overlap(dev->hw.region[i].pa, dev->hw.region[i].size,
							   o->hw.region[j].pa, o->hw.region[j].size)) {
						report(p, dev->node, "%s is already given to VM %s (%s); "
								     "give each device to one VM only",
						       dev->path, other->name, o->node);
						return false;
					}
			for (unsigned int i = 0; v < idx && i < dev->hw.irq_count; i++)
				for (unsigned int j = 0; j < o->hw.irq_count; j++)
					if (dev->hw.intid[i] == o->hw.intid[j]) {
						report(p, dev->node, "%s's interrupt %u is already given "
								     "to VM %s (%s); an interrupt line "
								     "belongs to one VM",
						       dev->path, dev->hw.intid[i], other->name, o->node);
						return false;
					}
		}
	}
	return true;
}

static bool irqs_usable(const struct platform *plat, const struct device_config *dev,
			struct problems *p)
{
	for (unsigned int i = 0; i < dev->hw.irq_count; i++) {
		u32 intid = dev->hw.intid[i];

		/* Every VM has its vUART's interrupt. */
		if (intid > CONFIG_DEVICE_INTID_MAX || intid == VPL011_INTID ||
		    intid == plat->uart_intid) {
			report(p, dev->node, "%s's interrupt %u cannot be passed: VMs get SPIs %d to "
					     "%d, and %d is their vUART's", dev->path, intid,
			       VPL011_INTID + 1, CONFIG_DEVICE_INTID_MAX, VPL011_INTID);
			return false;
		}
	}
	return true;
}

/* Reports and returns true when one of @dev's regions (read so far) holds something of Tessera's. */
static bool holds_tessera(const struct platform *plat, const struct mem_range *hyp,
			  const struct device_config *dev, struct problems *p)
{
	for (unsigned int i = 0; i < dev->hw.region_count; i++) {
		const struct device_region *r = &dev->hw.region[i];
		const char *owner = region_owner(plat, hyp, r->pa, r->size);

		if (owner) {
			report(p, dev->node, "%s (" RANGE_FMT ") holds %s, which Tessera keeps; "
					     "give the VM another device",
			       dev->path, RANGE_ARGS(r->pa, r->size), owner);
			return true;
		}
	}
	return false;
}

static bool check_device(struct system_config *cfg, unsigned int idx, struct device_config *dev,
			 const struct platform *plat, const struct mem_range *hyp, struct problems *p)
{
	char err[200];

	if (platform_device_resolve(plat, dev->path, &dev->hw, err, sizeof(err))) {
		/* What Tessera keeps is the reason that matters, even past a limit of resolve's. */
		if (!holds_tessera(plat, hyp, dev, p))
			report(p, dev->node, "%s", err);
		return false;
	}
	return !holds_tessera(plat, hyp, dev, p) && place_regions(dev, p) &&
	       irqs_usable(plat, dev, p) && ipas_free(&cfg->vms[idx], dev, plat, p) &&
	       not_taken(cfg, idx, dev, p) && device_dma_checked(cfg, idx, dev, plat, p);
}

bool devices_validate(struct system_config *cfg, unsigned int idx, const struct platform *plat,
		      const struct mem_range *hyp, struct problems *p)
{
	struct vm_config *vm = &cfg->vms[idx];
	bool ok = true;

	/* Every device is checked, so one run names every problem. */
	for (unsigned int d = 0; d < vm->device_count; d++) {
		struct device_config *dev = &vm->devices[d];

		/* A malformed one was reported by device_parse(). */
		dev->held = dev->well_formed && check_device(cfg, idx, dev, plat, hyp, p);
		ok &= dev->held;
	}
	return vbpmp_validate(vm, plat, p) && ok;
}

bool device_ipa_clash(const struct vm_config *vm, u64 base, u64 size, u32 intid)
{
	const struct vbpmp_config *vb = &vm->vbpmp;

	if (vb->present && (ranges_overlap(base, size, vb->hsp_ipa, VBPMP_HSP_SIZE) ||
			    ranges_overlap(base, size, vb->sram_ipa, VBPMP_SRAM_SIZE) ||
			    intid == vb->intid))
		return true;
	for (unsigned int d = 0; d < vm->device_count; d++) {
		const struct platform_device *hw = &vm->devices[d].hw;

		for (unsigned int i = 0; i < hw->region_count; i++)
			if (ranges_overlap(base, size, hw->region[i].ipa, hw->region[i].size))
				return true;
		for (unsigned int i = 0; i < hw->irq_count; i++)
			if (hw->intid[i] == intid)
				return true;
	}
	return false;
}
