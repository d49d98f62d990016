/*
 * A VM's virtual BPMP (vm_config.vbpmp, virt/vbpmp.h), built while its
 * devices are checked: present when a device it holds has BPMP clocks,
 * resets or power domains; its allow-list is the union of their IDs, with
 * the clocks a driver's assigned-clocks and assigned-clock-parents name
 * (Linux sets them through the BPMP at probe, drivers/clk/clk-conf.c).
 * Placed where the board has the real BPMP's HSP and SYSRAM pools, so the
 * guest finds them where L4T's DT puts them.
 */
#include <libfdt.h>
#include <string.h>
#include <tessera/config.h>
#include <virt/vbpmp.h>

#include "config_internal.h"

static const char *const assigned_clock_props[] = { "assigned-clocks", "assigned-clock-parents" };

/* Adds @id once; false when @list is full. */
static bool allow_add(struct vbpmp_id_list *list, u32 id)
{
	for (u32 i = 0; i < list->count; i++)
		if (list->ids[i] == id)
			return true;
	if (list->count == VBPMP_MAX_IDS)
		return false;
	list->ids[list->count++] = id;
	return true;
}

/* @hw's BPMP IDs into @allow; false (nothing reported) when a list is full. */
static bool allow_device(struct vbpmp_allow *allow, const struct platform *plat,
			 const struct platform_device *hw)
{
	bool ok = true;

	for (unsigned int c = 0; c < hw->clock_count; c++)
		if (hw->clock_bpmp & BIT(c))
			ok &= allow_add(&allow->clocks, hw->clock_hz[c]);
	for (unsigned int r = 0; r < hw->reset_count; r++)
		ok &= allow_add(&allow->resets, hw->reset_id[r]);
	for (unsigned int d = 0; d < hw->power_domain_count; d++)
		ok &= allow_add(&allow->power_domains, hw->power_domain_id[d]);
	/* platform_device_resolve() accepted only <&bpmp id> pairs in these. */
	for (size_t p = 0; p < ARRAY_SIZE(assigned_clock_props); p++) {
		int len;
		const fdt32_t *v = fdt_getprop(plat->fdt, hw->node, assigned_clock_props[p], &len);

		for (int i = 0; v && i + 1 < len / 4; i += 2)
			ok &= allow_add(&allow->clocks, fdt32_to_cpu(v[i + 1]));
	}
	return ok;
}

static bool needs_bpmp(const struct platform_device *hw)
{
	return hw->clock_bpmp || hw->reset_count || hw->power_domain_count;
}

static bool place_free(const struct vm_config *vm, const struct platform *plat, const char *what,
		       u64 base, u64 size, struct problems *p)
{
	if (!vm_ipa_taken(vm, plat, base, size) && !device_ipa_clash(vm, base, size, 0))
		return true;
	report(p, vm->node, "the virtual BPMP's %s at " RANGE_FMT " (where the board's BPMP has "
			    "it) overlaps the VM's memory, vUART, vGIC or a device; move them apart",
	       what, RANGE_ARGS(base, size));
	return false;
}

bool vbpmp_validate(struct vm_config *vm, const struct platform *plat, struct problems *p)
{
	struct vbpmp_config *vb = &vm->vbpmp;
	bool needed = false;

	memset(vb, 0, sizeof(*vb));
	for (unsigned int d = 0; d < vm->device_count; d++) {
		const struct device_config *dev = &vm->devices[d];

		if (!dev->held || !needs_bpmp(&dev->hw))
			continue;
		needed = true;
		if (!allow_device(&vb->allow, plat, &dev->hw)) {
			report(p, dev->node, "%s brings the VM's BPMP clocks, resets or power "
					     "domains past %u of a kind, the most a virtual BPMP "
					     "allows; give this device to another VM",
			       dev->path, VBPMP_MAX_IDS);
			return false;
		}
	}
	if (!needed)
		return true;
	/* platform_device_resolve() refuses BPMP resources on a board without a BPMP. */
	vb->hsp_ipa = plat->bpmp.hsp.base;
	/*
	 * The pools are Tessera's pages, not the real SYSRAM: tx then rx, one
	 * page each, from the tx pool's address (on Tegra234 the real rx pool
	 * is the next page too, 0x40070000 and 0x40071000).
	 */
	vb->sram_ipa = plat->bpmp.tx.base;
	vb->intid = plat->bpmp.hsp_doorbell_intid;
	if (!place_free(vm, plat, "HSP", vb->hsp_ipa, VBPMP_HSP_SIZE, p) ||
	    !place_free(vm, plat, "SYSRAM pools", vb->sram_ipa, VBPMP_SRAM_SIZE, p))
		return false;
	if (device_ipa_clash(vm, 0, 0, vb->intid)) {
		report(p, vm->node, "the virtual BPMP's doorbell interrupt %u (the board's BPMP "
				    "HSP's) is also a device's of the VM; remove that device",
		       vb->intid);
		return false;
	}
	vb->present = true;
	return true;
}
