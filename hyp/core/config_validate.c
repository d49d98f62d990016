/*
 * The config checked against the platform (config_validate, docs/
 * configuration.md "What the checker refuses"): each VM's CPUs, memory,
 * vUART, console and manager role here; its devices, channels, watchdog,
 * virtual BPMP and DMA in config_device.c, config_channel.c,
 * config_network.c, config_watchdog.c, config_vbpmp.c and config_mc.c. config.c reads the
 * blob. A VM refused for one problem is still checked for the others, so
 * one run names every problem.
 */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include <tessera/config.h>
#include <tessera/manage.h>
#include <virt/vgic.h>
#include <virt/vpl011.h>

#include "config_internal.h"

static bool check_cpus(struct system_config *cfg, unsigned int idx, const struct platform *plat,
		       struct problems *p)
{
	struct vm_config *vm = &cfg->vms[idx];
	bool ok = true;

	if (vm->cpu_count == 0) {
		report(p, vm->node,
		       "cpus is empty; give the VM at least one CPU, e.g. cpus = <1>;");
		return false;
	}
	for (unsigned int i = 0; i < vm->cpu_count; i++) {
		u32 cpu = vm->cpus[i];
		bool seen = false;

		if (cpu >= plat->cpu_count && plat->cpu_count == 1) {
			report(p, vm->node,
			       "CPU %u is not in the platform (it has 1 CPU: 0); use CPU 0", cpu);
			ok = false;
			continue;
		}
		if (cpu >= plat->cpu_count) {
			report(p, vm->node,
			       "CPU %u is not in the platform (it has %u CPUs: 0-%u); "
			       "use CPU indices 0 to %u",
			       cpu, plat->cpu_count, plat->cpu_count - 1, plat->cpu_count - 1);
			ok = false;
			continue;
		}
		for (unsigned int j = 0; j < i; j++)
			seen |= vm->cpus[j] == cpu;
		if (seen) {
			report(p, vm->node, "CPU %u is listed twice; list each CPU once", cpu);
			ok = false;
			continue;
		}
		/* At most one VM before holds it: the others were told so. */
		bool taken = false;

		for (unsigned int v = 0; v < idx && !taken; v++) {
			const struct vm_config *other = &cfg->vms[v];

			taken = other->cpus_held & (1u << cpu);
			if (taken)
				report(p, vm->node,
				       "CPU %u is already given to VM %s; give each CPU to one VM only",
				       cpu, other->name);
		}
		if (taken)
			ok = false;
		else
			vm->cpus_held |= 1u << cpu;
	}
	return ok;
}

/* Where RAM is, for messages: "0x40000000-0x7fffffff, ...". */
static void format_ram(const struct platform *plat, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < plat->ram_count && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s" RANGE_FMT, i ? ", " : "",
					 RANGE_ARGS(plat->ram[i].base, plat->ram[i].size));
}

static bool check_memory(struct system_config *cfg, unsigned int idx, const struct platform *plat,
			 const struct mem_range *hyp, struct problems *p)
{
	struct vm_config *vm = &cfg->vms[idx];
	u64 base = vm->memory.base, size = vm->memory.size;
	bool ok = true;
	char ram[128];

	if (size == 0) {
		report(p, vm->node,
		       "memory size is 0; give the VM at least 4 MiB "
		       "(its image plus the 2 MiB guest DTB slot)");
		return false;
	}
	if (!IS_ALIGNED(base, SZ_2M) || !IS_ALIGNED(size, SZ_2M)) {
		report(p, vm->node,
		       "memory base 0x%llx or size 0x%llx is not 2 MiB aligned; "
		       "make both multiples of 0x200000",
		       (unsigned long long)base, (unsigned long long)size);
		return false;
	}
	if (base + size - 1 < base) {
		report(p, vm->node,
		       "memory 0x%llx+0x%llx runs past the end of the address space; "
		       "place it inside one RAM bank",
		       (unsigned long long)base, (unsigned long long)size);
		return false;
	}
	if (vm->coloured) {
		/* Its IPA range only: its pages come from the colouring memory (config_colour.c). */
		struct mem_range gicd, gicr;

		if (base + size > CONFIG_IPA_LIMIT) {
			report(p, vm->node,
			       "memory " RANGE_FMT " is beyond the VM's 512 GiB address space; "
			       "choose guest addresses below 0x%llx",
			       RANGE_ARGS(base, size), (unsigned long long)CONFIG_IPA_LIMIT);
			return false;
		}
		config_vgic_place(plat, vm->cpu_count, &gicd, &gicr);
		if ((gicd.size && ranges_overlap(base, size, gicd.base, gicd.size)) ||
		    (gicr.size && ranges_overlap(base, size, gicr.base, gicr.size))) {
			report(p, vm->node,
			       "memory " RANGE_FMT " covers the VM's vGIC (distributor " RANGE_FMT
			       ", redistributors " RANGE_FMT "); choose guest addresses clear of both",
			       RANGE_ARGS(base, size), RANGE_ARGS(gicd.base, gicd.size),
			       RANGE_ARGS(gicr.base, gicr.size));
			return false;
		}
		vm->memory_held = true;
		return true;
	}
	if (colouring_overlaps(cfg, base, size)) {
		report(p, vm->node,
		       "memory " RANGE_FMT " overlaps the cache-coloring memory (" RANGE_FMT "), "
		       "where coloured VMs' pages come from; move it",
		       RANGE_ARGS(base, size), RANGE_ARGS(cfg->colouring.memory.base,
							  cfg->colouring.memory.size));
		ok = false;
	}
	if (!platform_range_in_ram(plat, base, size)) {
		format_ram(plat, ram, sizeof(ram));
		report(p, vm->node,
		       "memory " RANGE_FMT " is outside RAM (%s); "
		       "place it inside one RAM bank",
		       RANGE_ARGS(base, size), ram);
		return false;
	}
	if (hyp && hyp->size && ranges_overlap(base, size, hyp->base, hyp->size)) {
		report(p, vm->node,
		       "memory " RANGE_FMT " overlaps the hypervisor (" RANGE_FMT "); "
		       "move it to 0x%llx or above",
		       RANGE_ARGS(base, size), RANGE_ARGS(hyp->base, hyp->size),
		       (unsigned long long)ALIGN_UP(hyp->base + hyp->size, SZ_2M));
		ok = false;
	}
	for (unsigned int v = 0; v < idx; v++) {
		const struct vm_config *other = &cfg->vms[v];

		if (!other->memory_held || other->coloured ||
		    !ranges_overlap(base, size, other->memory.base, other->memory.size))
			continue;
		report(p, vm->node,
		       "memory " RANGE_FMT " overlaps VM %s's memory (" RANGE_FMT "); "
		       "give each VM its own range",
		       RANGE_ARGS(base, size), other->name,
		       RANGE_ARGS(other->memory.base, other->memory.size));
		ok = false;
	}
	vm->memory_held = ok;
	return ok;
}

void config_vgic_place(const struct platform *plat, unsigned int cpu_count,
		       struct mem_range *gicd, struct mem_range *gicr)
{
	bool gic = plat->gicr_count;

	*gicd = (struct mem_range){ plat->gicd.base, gic ? VGIC_GICD_SIZE : 0 };
	*gicr = (struct mem_range){ plat->gicr[0].base, gic ? VGIC_GICR_FRAME_SIZE * cpu_count : 0 };
}

bool vm_ipa_taken(const struct vm_config *vm, const struct platform *plat, u64 base, u64 size)
{
	struct mem_range gicd, gicr;

	config_vgic_place(plat, vm->cpu_count, &gicd, &gicr);
	return (vm->memory_held && ranges_overlap(base, size, vm->memory.base, vm->memory.size)) ||
	       ((vm->well_formed & VM_HAS_VUART) &&
		ranges_overlap(base, size, vm->vuart_base, VPL011_SIZE)) ||
	       (vm->manager_page && ranges_overlap(base, size, vm->manager_page, MANAGE_PAGE_SIZE)) ||
	       (gicd.size && ranges_overlap(base, size, gicd.base, gicd.size)) ||
	       (gicr.size && ranges_overlap(base, size, gicr.base, gicr.size));
}

/* The vUART: a page of its own, outside the VM's memory and its vGIC. */
static bool check_vuart(struct vm_config *vm, const struct platform *plat, bool memory_ok,
			struct problems *p)
{
	struct mem_range gicd, gicr;

	if (!IS_ALIGNED(vm->vuart_base, SZ_4K) || vm->vuart_base + VPL011_SIZE < vm->vuart_base) {
		report(p, vm->node,
		       "vuart 0x%llx is not a 4 KiB aligned page; "
		       "use an address that is a multiple of 0x1000",
		       (unsigned long long)vm->vuart_base);
		return false;
	}
	if (memory_ok &&
	    ranges_overlap(vm->vuart_base, VPL011_SIZE, vm->memory.base, vm->memory.size)) {
		report(p, vm->node,
		       "vuart 0x%llx lies inside the VM's memory (" RANGE_FMT "); "
		       "move it outside that range",
		       (unsigned long long)vm->vuart_base,
		       RANGE_ARGS(vm->memory.base, vm->memory.size));
		return false;
	}
	config_vgic_place(plat, vm->cpu_count, &gicd, &gicr);
	if ((gicd.size && ranges_overlap(vm->vuart_base, VPL011_SIZE, gicd.base, gicd.size)) ||
	    (gicr.size && ranges_overlap(vm->vuart_base, VPL011_SIZE, gicr.base, gicr.size))) {
		report(p, vm->node,
		       "vuart 0x%llx lies in the VM's vGIC (distributor " RANGE_FMT
		       ", redistributors " RANGE_FMT "); move it outside both",
		       (unsigned long long)vm->vuart_base, RANGE_ARGS(gicd.base, gicd.size),
		       RANGE_ARGS(gicr.base, gicr.size));
		return false;
	}
	return true;
}

static bool check_console(struct system_config *cfg, unsigned int idx, struct problems *p)
{
	struct vm_config *vm = &cfg->vms[idx];

	if (!vm->console_input)
		return true;
	for (unsigned int v = 0; v < idx; v++) {
		if (cfg->vms[v].console_input) {
			report(p, vm->node,
			       "console-input is already set on VM %s; "
			       "keep it on one VM only",
			       cfg->vms[v].name);
			return false;
		}
	}
	return true;
}

/*
 * The manager: one VM at most (the API acts on every other VM), and its
 * management page a page of its own, outside its memory, vUART and vGIC.
 */
static bool check_manager(struct system_config *cfg, unsigned int idx, const struct platform *plat,
			  bool memory_ok, struct problems *p)
{
	struct vm_config *vm = &cfg->vms[idx];
	u64 page = vm->manager_page;
	struct mem_range gicd, gicr;
	bool ok = true;

	if (!vm->manager)
		return true;
	for (unsigned int v = 0; v < idx; v++) {
		if (cfg->vms[v].manager) {
			report(p, vm->node,
			       "manager is set on VM %s and on VM %s; keep it on one VM only",
			       cfg->vms[v].name, vm->name);
			ok = false;
		}
	}
	if (!page)
		return ok;
	config_vgic_place(plat, vm->cpu_count, &gicd, &gicr);
	if (!IS_ALIGNED(page, MANAGE_PAGE_SIZE) || page + MANAGE_PAGE_SIZE < page ||
	    page + MANAGE_PAGE_SIZE > CONFIG_IPA_LIMIT) {
		report(p, vm->node,
		       "manager page 0x%llx is not a 4 KiB aligned page below 0x%llx; "
		       "use an address that is a multiple of 0x1000",
		       (unsigned long long)page, (unsigned long long)CONFIG_IPA_LIMIT);
		return false;
	}
	if ((memory_ok && ranges_overlap(page, MANAGE_PAGE_SIZE, vm->memory.base, vm->memory.size)) ||
	    ((vm->well_formed & VM_HAS_VUART) && ranges_overlap(page, MANAGE_PAGE_SIZE, vm->vuart_base, VPL011_SIZE)) ||
	    (gicd.size && ranges_overlap(page, MANAGE_PAGE_SIZE, gicd.base, gicd.size)) ||
	    (gicr.size && ranges_overlap(page, MANAGE_PAGE_SIZE, gicr.base, gicr.size))) {
		report(p, vm->node,
		       "manager page 0x%llx lies in the VM's memory, vUART or vGIC; "
		       "give it a page of its own, e.g. 0x0a100000",
		       (unsigned long long)page);
		return false;
	}
	return ok;
}

int config_validate(struct system_config *cfg, const struct platform *plat,
		    const struct mem_range *hyp_footprint, struct config_reporter *rep)
{
	struct problems p = { rep, 0 };

	if (cfg->vm_count == 0)
		report(&p, "/vms",
		       "no VMs; add one node per VM under /vms (docs/configuration.md)");
	colouring_validate(cfg, plat, hyp_footprint, &p);
	/*
	 * VMs are checked in order; each holds the CPUs and memory that pass their
	 * checks. A VM config_parse() found malformed (it said why) is refused, but
	 * its well-formed properties are checked too, so one run reports every
	 * problem; only a check that needs a malformed value is skipped.
	 */
	for (unsigned int i = 0; i < cfg->vm_count; i++) {
		struct vm_config *vm = &cfg->vms[i];
		bool parsed_ok = vm->valid;
		bool cpus_ok = (vm->well_formed & VM_HAS_CPUS) && check_cpus(cfg, i, plat, &p);
		bool memory_ok = (vm->well_formed & VM_HAS_MEMORY) &&
				 check_memory(cfg, i, plat, hyp_footprint, &p);
		bool image_ok = (vm->well_formed & VM_HAS_IMAGE) && check_image(vm, memory_ok, &p);
		bool vuart_ok = (vm->well_formed & VM_HAS_VUART) && check_vuart(vm, plat, memory_ok, &p);
		bool console_ok = check_console(cfg, i, &p);
		bool manager_ok = check_manager(cfg, i, plat, memory_ok, &p);
		bool devices_ok = devices_validate(cfg, i, plat, hyp_footprint, &p);
		bool watchdog_ok = watchdog_validate(vm, plat, &p);
		bool colours_ok = colour_vm_validate(cfg, i, plat, memory_ok, &p);
		bool bandwidth_ok = bwreg_validate(vm, plat, &p);

		vm->valid = parsed_ok && cpus_ok && memory_ok && image_ok && vuart_ok && console_ok &&
			    manager_ok && devices_ok && watchdog_ok && colours_ok && bandwidth_ok;
	}
	channels_validate(cfg, plat, hyp_footprint, &p);
	networks_validate(cfg, plat, &p);
	return p.count;
}
