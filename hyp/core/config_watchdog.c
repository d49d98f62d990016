/*
 * A VM's SBSA Generic Watchdog in the config (docs/configuration.md,
 * "Watchdog"): watchdog = <refresh-frame control-frame>, each one address
 * of #address-cells, and watchdog-interrupt = <WS0's SPI>. Both or neither.
 */
#include <string.h>
#include <virt/vwdt.h>

#include "config_internal.h"

bool watchdog_parse_prop(const char *name, const void *val, int len, struct vm_config *vm, int ac,
			 struct problems *p)
{
	const fdt32_t *cells = val;
	struct watchdog_config *w = &vm->watchdog;

	if (!strcmp(name, "watchdog")) {
		if (len != 2 * ac * 4) {
			report(p, vm->node,
			       "watchdog must be <refresh-frame control-frame>, two addresses of %d "
			       "cells (#address-cells = <%d>); write e.g. watchdog = <0x0 0x09040000 "
			       "0x0 0x09050000>;",
			       ac, ac);
			return false;
		}
		w->refresh = read_cells(cells, ac);
		w->control = read_cells(cells + ac, ac);
		w->has_frames = true;
	} else {
		if (len != 4) {
			report(p, vm->node,
			       "watchdog-interrupt must be one cell, the INTID of WS0's SPI; "
			       "write e.g. watchdog-interrupt = <48>;");
			return false;
		}
		w->intid = fdt32_to_cpu(cells[0]);
		w->has_intid = true;
	}
	w->present = w->has_frames && w->has_intid;
	return true;
}

bool watchdog_clash(const struct vm_config *vm, u64 base, u64 size, u32 intid)
{
	const struct watchdog_config *w = &vm->watchdog;

	return w->present && (ranges_overlap(base, size, w->refresh, VWDT_FRAME_SIZE) ||
			      ranges_overlap(base, size, w->control, VWDT_FRAME_SIZE) ||
			      intid == w->intid);
}

/* One frame: a 4 KiB page, not the VM's memory, vUART or vGIC, nor a device's. */
static bool frame_ok(struct vm_config *vm, const struct platform *plat, const char *what, u64 ipa,
		     struct problems *p)
{
	if (!IS_ALIGNED(ipa, SZ_4K) || ipa + VWDT_FRAME_SIZE < ipa ||
	    ipa + VWDT_FRAME_SIZE > CONFIG_IPA_LIMIT) {
		report(p, vm->node,
		       "watchdog %s frame 0x%llx is not a 4 KiB aligned page below 0x%llx; use an "
		       "address that is a multiple of 0x1000",
		       what, (unsigned long long)ipa, (unsigned long long)CONFIG_IPA_LIMIT);
		return false;
	}
	if (ranges_overlap(ipa, VWDT_FRAME_SIZE, vm->memory.base, vm->memory.size) ||
	    vm_ipa_taken(vm, plat, ipa, VWDT_FRAME_SIZE) ||
	    device_ipa_clash(vm, ipa, VWDT_FRAME_SIZE, 0)) {
		report(p, vm->node,
		       "watchdog %s frame 0x%llx overlaps the VM's memory, vUART, vGIC or a device "
		       "given to it; choose a free page",
		       what, (unsigned long long)ipa);
		return false;
	}
	return true;
}

bool watchdog_validate(struct vm_config *vm, const struct platform *plat, struct problems *p)
{
	struct watchdog_config *w = &vm->watchdog;
	bool ok = true;

	if (!w->has_frames && !w->has_intid)
		return true;
	if (!w->present) {
		report(p, vm->node,
		       "a watchdog needs both watchdog = <refresh-frame control-frame> and "
		       "watchdog-interrupt = <SPI>; add the missing one");
		return false;
	}
	ok &= frame_ok(vm, plat, "refresh", w->refresh, p);
	ok &= frame_ok(vm, plat, "control", w->control, p);
	if (ok && w->refresh == w->control) {
		report(p, vm->node, "watchdog's refresh and control frames are one page; give each its own");
		ok = false;
	}
	if (w->intid < CONFIG_CHANNEL_INTID_MIN || w->intid > CONFIG_CHANNEL_INTID_MAX) {
		report(p, vm->node,
		       "watchdog-interrupt %u is not an SPI the vGIC offers; use %d to %d",
		       w->intid, CONFIG_CHANNEL_INTID_MIN, CONFIG_CHANNEL_INTID_MAX);
		ok = false;
	} else if (device_ipa_clash(vm, 0, 0, w->intid)) {
		report(p, vm->node,
		       "watchdog-interrupt %u is a device's or the virtual BPMP's interrupt in "
		       "this VM; choose a free SPI",
		       w->intid);
		ok = false;
	}
	return ok;
}
