/*
 * Cache colouring in the config (docs/configuration.md "Cache colouring"):
 * the /cache-coloring node (the last-level cache's geometry when the
 * platform DT has none, the physical memory coloured VMs' pages come from,
 * Tessera's own colours) and a VM's colors and colors-shared. The checker
 * and the hypervisor place every coloured VM here, with tessera/colour.h,
 * so both compute the same pages. Every problem is reported, each with its
 * fix; a VM refused for one is still checked for the others.
 */
#include <stdio.h>
#include <string.h>
#include <tessera/colour.h>

#include "config_internal.h"

#define COLOURING_NODE "/cache-coloring"
#define KNOWN_COLOURING_PROPS "cache-size, cache-ways, cache-line-size, memory, hypervisor-colors"

static bool one_cell(const char *name, int len, const void *val, u32 *out, struct problems *p)
{
	if (len != 4) {
		report(p, COLOURING_NODE, "%s must be one cell; write e.g. %s = <%s>;", name, name,
		       !strcmp(name, "cache-size") ? "0x200000" : !strcmp(name, "cache-ways") ? "16" : "64");
		return false;
	}
	*out = fdt32_to_cpu(*(const fdt32_t *)val);
	return true;
}

void colouring_parse(const void *blob, int node, struct system_config *cfg, int ac, int sc,
		     struct problems *p)
{
	struct colouring_config *col = &cfg->colouring;
	int prop, sub;

	col->present = true;
	col->cache_line = 64;
	fdt_for_each_property_offset(prop, blob, node) {
		const char *name;
		int len;
		const void *val = fdt_getprop_by_offset(blob, prop, &name, &len);
		u32 v;

		if (!val || !name)
			continue;
		if (!strcmp(name, "cache-size")) {
			if (one_cell(name, len, val, &v, p))
				col->cache_size = v;
		} else if (!strcmp(name, "cache-ways")) {
			if (one_cell(name, len, val, &v, p))
				col->cache_ways = v;
		} else if (!strcmp(name, "cache-line-size")) {
			if (one_cell(name, len, val, &v, p))
				col->cache_line = v;
		} else if (!strcmp(name, "memory")) {
			if (len != (ac + sc) * 4) {
				report(p, COLOURING_NODE,
				       "memory must be <base size> (%d cells) of physical RAM for coloured "
				       "VMs' pages; write e.g. memory = <0x0 0x60000000 0x0 0x10000000>;",
				       ac + sc);
				continue;
			}
			col->memory.base = read_cells(val, ac);
			col->memory.size = read_cells((const fdt32_t *)val + ac, sc);
			col->memory_well_formed = true;
		} else if (!strcmp(name, "hypervisor-colors")) {
			const fdt32_t *cells = val;

			for (int i = 0; i < len / 4 || (len % 4 && i == 0); i++) {
				u32 c = len % 4 ? COLOUR_MAX : fdt32_to_cpu(cells[i]);

				if (c >= COLOUR_MAX) {
					report(p, COLOURING_NODE,
					       "hypervisor-colors must be colour numbers below %d, one cell "
					       "each; write e.g. hypervisor-colors = <0>;",
					       COLOUR_MAX);
					break;
				}
				col->hyp_colours |= BIT(c);
			}
		} else {
			report(p, COLOURING_NODE, "unknown property '%s'; known: " KNOWN_COLOURING_PROPS,
			       name);
		}
	}
	fdt_for_each_subnode(sub, blob, node) {
		report(p, COLOURING_NODE, "unknown node '%s'; /cache-coloring has properties only",
		       fdt_get_name(blob, sub, NULL));
	}
}

int colour_parse_prop(const char *name, const void *val, int len, struct vm_config *vm,
		      struct problems *p)
{
	if (!strcmp(name, "colors-shared")) {
		if (len) {
			report(p, vm->node, "colors-shared takes no value; write colors-shared;");
			return 0;
		}
		vm->colours_shared = true;
		return 1;
	}
	if (strcmp(name, "colors"))
		return -1;
	if (len == 0 || len % 4 || len / 4 > COLOUR_MAX) {
		report(p, vm->node,
		       "colors must be 1 to %d colour numbers, one cell each; write e.g. "
		       "colors = <4 5 6 7>;",
		       COLOUR_MAX);
		return 0;
	}
	vm->coloured = true;
	vm->colour_cells = val;
	vm->colour_cell_count = (unsigned int)len / 4;
	return 1;
}

bool colouring_overlaps(const struct system_config *cfg, u64 base, u64 size)
{
	const struct colouring_config *col = &cfg->colouring;

	return col->memory_well_formed && col->memory.size &&
	       ranges_overlap(base, size, col->memory.base, col->memory.size);
}

/* The geometry: the platform DT's last-level cache, else the config's. */
static bool colouring_geometry(struct colouring_config *col, const struct platform *plat,
			       struct problems *p)
{
	u64 size = col->cache_size;
	u32 ways = col->cache_ways;

	if (plat->llc.size) {
		if ((size && size != plat->llc.size) || (ways && ways != plat->llc.ways)) {
			report(p, COLOURING_NODE,
			       "cache-size 0x%llx and cache-ways %u differ from the platform DT's "
			       "level-%u cache (0x%llx bytes, %u ways); remove them: the DT's "
			       "geometry is used",
			       (unsigned long long)size, ways, plat->llc.level,
			       (unsigned long long)plat->llc.size, plat->llc.ways);
			return false;
		}
		size = plat->llc.size;
		ways = plat->llc.ways;
	} else if (!size || !ways) {
		report(p, COLOURING_NODE,
		       "the platform DT describes no shared cache; give its geometry, e.g. "
		       "cache-size = <0x200000>; cache-ways = <16>; (2 MiB, 16 ways: 32 colours)");
		return false;
	}
	col->colours = colour_count(size, ways);
	if (col->colours < 2 || col->colours > COLOUR_MAX) {
		report(p, COLOURING_NODE,
		       "a cache of 0x%llx bytes and %u ways has %u colours of 4 KiB; Tessera colours "
		       "a way of 8 KiB to 256 KiB (2 to %d colours): check cache-size and cache-ways",
		       (unsigned long long)size, ways, col->colours, COLOUR_MAX);
		col->colours = 0;
		return false;
	}
	return true;
}

void colouring_validate(struct system_config *cfg, const struct platform *plat,
			const struct mem_range *hyp, struct problems *p)
{
	struct colouring_config *col = &cfg->colouring;
	u64 base = col->memory.base, size = col->memory.size;
	bool ok;

	if (!col->present)
		return;
	ok = colouring_geometry(col, plat, p);
	if (!col->memory_well_formed) {
		report(p, COLOURING_NODE,
		       "no memory property; add memory = <base size>, the physical RAM coloured VMs' "
		       "pages come from, e.g. memory = <0x0 0x60000000 0x0 0x10000000>;");
		return;
	}
	/* 2 MiB covers any way size Tessera colours with (at most 256 KiB). */
	if (!size || !IS_ALIGNED(base, SZ_2M) || !IS_ALIGNED(size, SZ_2M) || base + size < base) {
		report(p, COLOURING_NODE,
		       "memory 0x%llx+0x%llx is empty or not 2 MiB aligned; make base and size "
		       "multiples of 0x200000",
		       (unsigned long long)base, (unsigned long long)size);
		col->memory_well_formed = false;
		return;
	}
	if (!platform_range_in_ram(plat, base, size)) {
		report(p, COLOURING_NODE, "memory " RANGE_FMT " is outside RAM; place it in one RAM bank",
		       RANGE_ARGS(base, size));
		ok = false;
	}
	if (hyp && hyp->size && ranges_overlap(base, size, hyp->base, hyp->size)) {
		report(p, COLOURING_NODE,
		       "memory " RANGE_FMT " overlaps the hypervisor (" RANGE_FMT "); move it to "
		       "0x%llx or above",
		       RANGE_ARGS(base, size), RANGE_ARGS(hyp->base, hyp->size),
		       (unsigned long long)ALIGN_UP(hyp->base + hyp->size, SZ_2M));
		ok = false;
	}
	if (col->colours && col->hyp_colours >> col->colours) {
		report(p, COLOURING_NODE,
		       "hypervisor-colors names a colour the cache does not have (it has %u: 0 to "
		       "%u); use colours below %u",
		       col->colours, col->colours - 1, col->colours);
		ok = false;
	}
	col->valid = ok;
}

/* VM @vm's colour numbers into a mask; false after reporting one out of range, twice or Tessera's. */
static bool colour_mask(struct vm_config *vm, const struct colouring_config *col, struct problems *p)
{
	const fdt32_t *cells = vm->colour_cells;
	u64 mask = 0;
	bool ok = true;

	for (unsigned int i = 0; i < vm->colour_cell_count; i++) {
		u32 c = fdt32_to_cpu(cells[i]);

		if (c >= col->colours) {
			report(p, vm->node,
			       "color %u is out of range: the last-level cache has %u colours; use 0 "
			       "to %u",
			       c, col->colours, col->colours - 1);
			ok = false;
		} else if (mask & BIT(c)) {
			report(p, vm->node, "color %u is listed twice; list each colour once", c);
			ok = false;
		} else if (col->hyp_colours & BIT(c)) {
			report(p, vm->node,
			       "color %u is Tessera's own (hypervisor-colors in /cache-coloring); "
			       "give the VM other colours",
			       c);
			ok = false;
		} else {
			mask |= BIT(c);
		}
	}
	/* The good ones even when one is bad: a clash with them is reported in the same run. */
	vm->colours = mask;
	return ok;
}

/* Devices of a coloured VM: its DMA must be translated (IPA != PA), so only behind an IOMMU. */
static bool colour_devices_ok(const struct vm_config *vm, const struct platform *plat,
			      struct problems *p)
{
	bool ok = true;

	for (unsigned int d = 0; d < vm->device_count; d++) {
		const struct device_config *dev = &vm->devices[d];
		struct platform_streams s[1];
		char err[128];

		if (!dev->held)
			continue;
		if (dev->dma_unconfined ||
		    platform_device_streams(plat->fdt, dev->hw.node, s, ARRAY_SIZE(s), err,
					    sizeof(err)) <= 0) {
			report(p, dev->node,
			       "%s's DMA is not translated by an IOMMU%s, but a coloured VM's memory is "
			       "not at its guest addresses (IPA != PA): its DMA would reach other "
			       "memory; give the device to an uncoloured VM, or remove colors",
			       dev->path, dev->dma_unconfined ? " (dma-unconfined)" : "");
			ok = false;
		}
	}
	return ok;
}

bool colour_vm_validate(struct system_config *cfg, unsigned int idx, const struct platform *plat,
			bool memory_ok, struct problems *p)
{
	const struct colouring_config *col = &cfg->colouring;
	struct vm_config *vm = &cfg->vms[idx];
	u64 first = 0, rows, pool_rows, tables = 0;
	char list[96], shared[96];
	bool ok;

	if (!vm->coloured)
		return true;
	if (!col->present) {
		report(p, vm->node,
		       "colors needs a /cache-coloring node: the physical memory coloured VMs' pages "
		       "come from (docs/configuration.md, \"Cache colouring\"); add one");
		return false;
	}
	if (!col->colours)
		return false; /* the geometry's problem was reported on /cache-coloring */
	ok = colour_mask(vm, col, p);
	ok &= colour_devices_ok(vm, plat, p);
	for (unsigned int v = 0; v < idx && vm->colours; v++) {
		const struct vm_config *o = &cfg->vms[v];
		u64 common = o->colours & vm->colours;

		if (!common || (vm->colours_shared && o->colours_shared))
			continue;
		colour_format(common, shared, sizeof(shared));
		report(p, vm->node,
		       "colors %s are VM %s's too; give each VM its own colours, or write "
		       "colors-shared; in both VMs to let them share",
		       shared, o->name);
		ok = false;
	}
	if (!ok || !memory_ok || !col->valid)
		return false;
	/* Its first row: past every row an earlier VM used in one of its colours. */
	for (unsigned int v = 0; v < idx; v++) {
		const struct vm_config *o = &cfg->vms[v];
		u64 end = o->colour_row + colour_rows_needed(o->memory.size, o->colours);

		if (o->colour_placed && (o->colours & vm->colours) && end > first)
			first = end;
		if (o->colour_placed)
			tables += colour_table_pages(o->memory.base, o->memory.size);
	}
	rows = colour_rows_needed(vm->memory.size, vm->colours);
	pool_rows = col->memory.size / (col->colours * COLOUR_PAGE);
	colour_format(vm->colours, list, sizeof(list));
	if (first + rows > pool_rows) {
		u64 room = first < pool_rows ? (pool_rows - first) * colour_weight(vm->colours) *
						       COLOUR_PAGE : 0;

		report(p, vm->node,
		       "colors %s hold 0x%llx bytes of the cache-coloring memory (" RANGE_FMT ")%s, "
		       "but the VM's memory is 0x%llx; give it more colours or /cache-coloring more "
		       "memory",
		       list, (unsigned long long)room, RANGE_ARGS(col->memory.base, col->memory.size),
		       first ? " after the VMs before it" : "", (unsigned long long)vm->memory.size);
		return false;
	}
	tables += colour_table_pages(vm->memory.base, vm->memory.size);
	if (tables > COLOUR_TABLE_PAGES) {
		report(p, vm->node,
		       "coloured VMs' stage-2 tables would need %llu pages, more than Tessera's %d "
		       "(about 1 GiB of coloured RAM); give coloured VMs less memory",
		       (unsigned long long)tables, COLOUR_TABLE_PAGES);
		return false;
	}
	vm->colour_row = first;
	vm->colour_placed = true;
	return true;
}
