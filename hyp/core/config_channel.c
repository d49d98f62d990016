/*
 * Channels between VMs in the config (docs/configuration.md, "Channels"):
 * parsed after /vms, checked after the VMs. Same rules as config.c: shared by
 * the host checker and the hypervisor, every property length checked.
 */
#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include <tessera/config.h>
#include <virt/vgic.h>
#include <virt/vpl011.h>

#include "config_internal.h"

/* Doorbell SPIs are the vGIC's, and never the vUART's (tessera/config.h). */
_Static_assert(CONFIG_CHANNEL_INTID_MIN > VPL011_INTID &&
		       CONFIG_CHANNEL_INTID_MAX < VGIC_MIN_IRQS,
	       "channel INTIDs: SPIs every vGIC implements, above the vUART's");

#define KNOWN_CHANNEL_PROPS "memory"
#define KNOWN_END_PROPS "map, doorbell, pci-ecam, interrupt, read-only"

int vm_by_name(const struct system_config *cfg, const char *name, int len)
{
	for (unsigned int i = 0; i < cfg->vm_count; i++)
		if ((int)strlen(cfg->vms[i].name) == len && !strncmp(cfg->vms[i].name, name, (size_t)len))
			return (int)i;
	return -1;
}

bool address_prop(const void *blob, int node, const char *prop, int ac, u64 *out)
{
	int len;
	const fdt32_t *cells = fdt_getprop(blob, node, prop, &len);

	if (!cells || len != ac * 4)
		return false;
	*out = read_cells(cells, ac);
	return true;
}

/*
 * Whether @name is one of @known's names, each followed by ", " or the end
 * ("a, b, c"); a name may hold a comma ("tessera,version"), not ", ".
 */
static bool in_list(const char *known, const char *name)
{
	size_t n = strlen(name);

	for (const char *k = known; *k;) {
		const char *end = k;

		while (*end && !(end[0] == ',' && end[1] == ' '))
			end++;
		if ((size_t)(end - k) == n && !strncmp(k, name, n))
			return true;
		k = *end ? end + 2 : end; /* past ", " */
	}
	return false;
}

bool known_props(const void *blob, int node, const char *path, const char *known, struct problems *p)
{
	bool ok = true;
	int prop;

	fdt_for_each_property_offset(prop, blob, node) {
		const char *pname;

		fdt_getprop_by_offset(blob, prop, &pname, NULL);
		if (pname && !in_list(known, pname)) {
			report(p, path, "unknown property '%s'; known: %s", pname, known);
			ok = false;
		}
	}
	return ok;
}

bool intid_prop(const void *blob, int node, u32 *out)
{
	int len;
	const fdt32_t *cell = fdt_getprop(blob, node, "interrupt", &len);

	if (!cell || len != 4)
		return false;
	*out = fdt32_to_cpu(*cell);
	return true;
}

/*
 * One end node (named after its VM) into @end; false when malformed.
 * end->well_formed: its VM exists and its values were read (an unknown
 * property alone leaves them checkable).
 */
static bool parse_end(const void *blob, int node, const struct system_config *cfg,
		      struct channel_config *c, struct channel_end_config *end, int ac,
		      struct problems *p)
{
	int len, vm;
	const char *name = fdt_get_name(blob, node, &len);
	bool ok = true, known;

	if (!name)
		return false;
	snprintf(end->node, sizeof(end->node), "%s/%.*s", c->node, len, name);
	vm = vm_by_name(cfg, name, len);
	if (vm < 0) {
		report(p, end->node, "no VM named '%.*s'; name each end after a VM under /vms", len, name);
		return false;
	}
	end->vm = (unsigned int)vm;
	known = known_props(blob, node, end->node, KNOWN_END_PROPS, p);
	if (!address_prop(blob, node, "map", ac, &end->map)) {
		report(p, end->node, "map must be one address (%d cells): where the shared memory "
				     "appears in this VM, e.g. map = <0x0 0x70000000>;", ac);
		ok = false;
	}
	end->pci = fdt_getprop(blob, node, "pci-ecam", NULL) != NULL;
	if (end->pci && !address_prop(blob, node, "pci-ecam", ac, &end->pci_ecam)) {
		report(p, end->node, "pci-ecam must be one address (%d cells): the 1 MiB configuration "
				     "space of the end's PCI bus, e.g. pci-ecam = <0x0 0x30000000>;", ac);
		ok = false;
	}
	/* A PCI end rings through its configuration space: one way to ring, not two. */
	if (end->pci && fdt_getprop(blob, node, "doorbell", NULL)) {
		report(p, end->node, "doorbell and pci-ecam exclude each other (a PCI end rings "
				     "through its configuration space); remove doorbell");
		ok = false;
	} else if (!end->pci && !address_prop(blob, node, "doorbell", ac, &end->doorbell)) {
		report(p, end->node, "doorbell must be one address (%d cells): the 4 KiB page whose "
				     "writes ring the peer, e.g. doorbell = <0x0 0x0a000000>;", ac);
		ok = false;
	}
	if (!intid_prop(blob, node, &end->intid)) {
		report(p, end->node, "interrupt must be one INTID (the SPI this VM gets when its peer "
				     "rings), e.g. interrupt = <40>;");
		ok = false;
	}
	end->read_only = fdt_getprop(blob, node, "read-only", NULL) != NULL;
	end->well_formed = ok;
	return ok && known;
}

void channels_parse(const void *blob, int node, struct system_config *cfg, int ac, int sc,
		    struct problems *p)
{
	int ch;

	fdt_for_each_subnode(ch, blob, node) {
		struct channel_config *c;
		int len, sub, ends = 0;
		const char *name = fdt_get_name(blob, ch, &len);
		const fdt32_t *mem;

		if (cfg->channel_count == CONFIG_MAX_CHANNELS) {
			report(p, "/channels", "more than %d channels; remove '%s'", CONFIG_MAX_CHANNELS,
			       name ? name : "?");
			continue;
		}
		c = &cfg->channels[cfg->channel_count++];
		snprintf(c->node, sizeof(c->node), "/channels/%.*s", len, name ? name : "?");
		snprintf(c->name, sizeof(c->name), "%.*s", len, name ? name : "?");
		/* Valid until a problem; config_validate() checks the rest. */
		c->valid = known_props(blob, ch, c->node, KNOWN_CHANNEL_PROPS, p);
		mem = fdt_getprop(blob, ch, "memory", &len);
		if (!mem || len != (ac + sc) * 4) {
			report(p, c->node, "memory must be <base size> of physical RAM shared by the "
					   "two ends, e.g. memory = <0x0 0x58000000 0x0 0x200000>;");
			c->valid = false;
		} else {
			c->memory.base = read_cells(mem, ac);
			c->memory.size = read_cells(mem + ac, sc);
			c->memory_well_formed = true;
		}
		fdt_for_each_subnode(sub, blob, ch) {
			if (ends == 2) {
				report(p, c->node, "more than two ends; a channel joins two VMs");
				c->valid = false;
				break;
			}
			if (!parse_end(blob, sub, cfg, c, &c->end[ends++], ac, p))
				c->valid = false;
		}
		if (ends < 2) {
			report(p, c->node, "a channel needs two ends, one subnode named after each VM");
			c->valid = false;
		}
	}
}

/* Where an end's registers are: its ECAM, or its doorbell page. */
static u64 regs_base(const struct channel_end_config *end)
{
	return end->pci ? end->pci_ecam : end->doorbell;
}

static u64 regs_size(const struct channel_end_config *end)
{
	return end->pci ? CONFIG_PCI_ECAM_SIZE : SZ_4K;
}

const struct channel_config *channel_clash(const struct system_config *cfg, unsigned int vm,
					   const struct channel_config *upto, u64 base, u64 size,
					   u32 intid)
{
	const struct channel_config *end = upto ? upto : cfg->channels + cfg->channel_count;

	for (const struct channel_config *o = cfg->channels; o < end; o++) {
		for (unsigned int e = 0; e < 2 && o->valid; e++) {
			const struct channel_end_config *oe = &o->end[e];

			if (oe->vm == vm && (ranges_overlap(base, size, oe->map, o->memory.size) ||
					     ranges_overlap(base, size, regs_base(oe), regs_size(oe)) ||
					     oe->intid == intid))
				return o;
		}
	}
	return NULL;
}

/* [base, base+size) against everything else at that VM's IPAs. */
static bool ipa_free(const struct system_config *cfg, const struct platform *plat,
		     const struct channel_config *c, const struct channel_end_config *end,
		     u64 base, u64 size, const char *what, struct problems *p)
{
	const struct vm_config *vm = &cfg->vms[end->vm];
	const struct channel_config *other;

	if (!IS_ALIGNED(base, SZ_4K) || base + size - 1 < base) {
		report(p, end->node, "%s 0x%llx is not a 4 KiB aligned address; use a multiple of 0x1000",
		       what, (unsigned long long)base);
		return false;
	}
	/* The VM's stage 2 ends there (tessera/config.h CONFIG_IPA_LIMIT). */
	if (base + size > CONFIG_IPA_LIMIT) {
		report(p, end->node, "%s " RANGE_FMT " is beyond the VM's %llu GiB address space; "
				     "choose an address below 0x%llx",
		       what, RANGE_ARGS(base, size), (unsigned long long)(CONFIG_IPA_LIMIT >> 30),
		       (unsigned long long)CONFIG_IPA_LIMIT);
		return false;
	}
	/* Its memory even when the VM is refused for it: the end is checked all the same. */
	if (ranges_overlap(base, size, vm->memory.base, vm->memory.size) ||
	    vm_ipa_taken(vm, plat, base, size)) {
		report(p, end->node, "%s " RANGE_FMT " overlaps VM %s's memory, vUART or vGIC; "
				     "choose a free address in that VM",
		       what, RANGE_ARGS(base, size), vm->name);
		return false;
	}
	if (watchdog_clash(vm, base, size, end->intid)) {
		report(p, end->node, "%s " RANGE_FMT " or interrupt %u clashes with VM %s's watchdog; "
				     "choose a free address and INTID",
		       what, RANGE_ARGS(base, size), end->intid, vm->name);
		return false;
	}
	if (device_ipa_clash(vm, base, size, end->intid)) {
		report(p, end->node, "%s " RANGE_FMT " or interrupt %u clashes with a device given to "
				     "VM %s; choose a free address and INTID",
		       what, RANGE_ARGS(base, size), end->intid, vm->name);
		return false;
	}
	other = channel_clash(cfg, end->vm, c, base, size, end->intid);
	if (other) {
		report(p, end->node, "%s or interrupt clashes with channel %s in VM %s; "
				     "give each channel its own addresses and INTID",
		       what, other->name, vm->name);
		return false;
	}
	return true;
}

/*
 * The shared memory is the function's BAR, which is naturally aligned and a
 * power of two in size (PCI Local Bus Spec 3.0, 6.2.5.1); the ECAM is bus 0's.
 */
static bool pci_end_ok(const struct channel_config *c, const struct channel_end_config *end,
		       struct problems *p)
{
	u64 size = c->memory.size;

	if (!IS_ALIGNED(end->pci_ecam, CONFIG_PCI_ECAM_SIZE)) {
		report(p, end->node, "pci-ecam 0x%llx is not 1 MiB aligned; use a multiple of 0x100000",
		       (unsigned long long)end->pci_ecam);
		return false;
	}
	if ((size & (size - 1)) || !IS_ALIGNED(end->map, size)) {
		report(p, end->node, "a PCI end's shared memory is a BAR: the channel's memory size "
				     "(0x%llx) must be a power of two and map (0x%llx) a multiple of it",
		       (unsigned long long)size, (unsigned long long)end->map);
		return false;
	}
	return true;
}

static bool check_channel_end(const struct system_config *cfg, const struct platform *plat,
		      const struct channel_config *c, const struct channel_end_config *end,
		      struct problems *p)
{
	const struct vm_config *vm = &cfg->vms[end->vm];
	bool vm_ok = vm->valid;

	/* The end's own problems are reported too: fixing the VM would show them next. */
	if (!vm_ok)
		report(p, end->node, "VM %s is refused, so the channel cannot be set up; fix that VM",
		       vm->name);
	if (end->intid < CONFIG_CHANNEL_INTID_MIN || end->intid > CONFIG_CHANNEL_INTID_MAX) {
		report(p, end->node, "interrupt %u is not an SPI the vGIC offers for channels; use "
				     "%d to %d", end->intid, CONFIG_CHANNEL_INTID_MIN,
		       CONFIG_CHANNEL_INTID_MAX);
		return false;
	}
	if (end->pci && !pci_end_ok(c, end, p))
		return false;
	if (ranges_overlap(end->map, c->memory.size, regs_base(end), regs_size(end))) {
		report(p, end->node, "map and %s overlap; put the %s elsewhere",
		       end->pci ? "pci-ecam" : "doorbell", end->pci ? "ECAM" : "doorbell page");
		return false;
	}
	return ipa_free(cfg, plat, c, end, end->map, c->memory.size, "map", p) &&
	       ipa_free(cfg, plat, c, end, regs_base(end), regs_size(end),
			end->pci ? "pci-ecam" : "doorbell", p) && vm_ok;
}

static bool check_channel_memory(const struct system_config *cfg, const struct platform *plat,
			 const struct mem_range *hyp, const struct channel_config *c,
			 struct problems *p)
{
	u64 base = c->memory.base, size = c->memory.size;

	if (!size || !IS_ALIGNED(base, SZ_2M) || !IS_ALIGNED(size, SZ_2M)) {
		report(p, c->node, "memory 0x%llx+0x%llx is empty or not 2 MiB aligned; make base and "
				   "size multiples of 0x200000", (unsigned long long)base,
		       (unsigned long long)size);
		return false;
	}
	if (!platform_range_in_ram(plat, base, size)) {
		report(p, c->node, "memory " RANGE_FMT " is outside RAM; place it in one RAM bank",
		       RANGE_ARGS(base, size));
		return false;
	}
	if (hyp && hyp->size && ranges_overlap(base, size, hyp->base, hyp->size)) {
		report(p, c->node, "memory " RANGE_FMT " overlaps the hypervisor; move it",
		       RANGE_ARGS(base, size));
		return false;
	}
	for (unsigned int v = 0; v < cfg->vm_count; v++) {
		const struct vm_config *vm = &cfg->vms[v];

		if (vm->memory_held && !vm->coloured &&
		    ranges_overlap(base, size, vm->memory.base, vm->memory.size)) {
			report(p, c->node, "memory " RANGE_FMT " overlaps VM %s's memory; shared memory "
					   "must be outside every VM's own memory",
			       RANGE_ARGS(base, size), vm->name);
			return false;
		}
	}
	if (colouring_overlaps(cfg, base, size)) {
		report(p, c->node, "memory " RANGE_FMT " overlaps the cache-coloring memory, where "
				   "coloured VMs' pages come from; move it", RANGE_ARGS(base, size));
		return false;
	}
	for (const struct channel_config *o = cfg->channels; o < c; o++) {
		if (o->valid && ranges_overlap(base, size, o->memory.base, o->memory.size)) {
			report(p, c->node, "memory " RANGE_FMT " overlaps channel %s's; give each "
					   "channel its own range", RANGE_ARGS(base, size), o->name);
			return false;
		}
	}
	return true;
}

void channels_validate(struct system_config *cfg, const struct platform *plat,
		       const struct mem_range *hyp, struct problems *p)
{
	for (unsigned int i = 0; i < cfg->channel_count; i++) {
		struct channel_config *c = &cfg->channels[i];

		const struct channel_end_config *e0 = &c->end[0], *e1 = &c->end[1];

		if (e0->well_formed && e1->well_formed && e0->vm == e1->vm) {
			report(p, c->node, "both ends are VM %s; a channel joins two VMs",
			       cfg->vms[e0->vm].name);
			c->valid = false;
			continue;
		}
		/*
		 * A channel config_parse() found malformed stays refused, but what was
		 * read is checked, so one run names every problem. The ends need only
		 * the memory's size (their map spans it), not its place.
		 */
		bool memory_ok = c->memory_well_formed && check_channel_memory(cfg, plat, hyp, c, p);
		bool size_ok = c->memory_well_formed && c->memory.size;
		bool end0_ok = size_ok && e0->well_formed && check_channel_end(cfg, plat, c, e0, p);
		bool end1_ok = size_ok && e1->well_formed && check_channel_end(cfg, plat, c, e1, p);

		c->valid = c->valid && memory_ok && end0_ok && end1_ok;
	}
}
