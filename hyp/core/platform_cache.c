/*
 * The shared last-level cache from the boot DT, for cache colouring
 * (tessera/colour.h): the unified cache node of the highest cache-level
 * (DTSpec v0.4 3.8.2 and 3.9: cache-unified, cache-size, cache-sets,
 * cache-line-size, cache-level). Its ways are size / (sets x line). Several
 * nodes of that level (Tegra234's l3c0/1/2, one per cluster) must agree:
 * colours are one geometry for the whole machine. A DT with no such node
 * (QEMU virt), an incomplete one or disagreeing ones leave plat->llc zero,
 * and the config must give the geometry: nothing else depends on it, so the
 * boot is not refused for it.
 */
#include <libfdt.h>
#include <tessera/platform.h>

#include "platform_internal.h"

static u32 prop_u32(const void *fdt, int node, const char *name)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, node, name, &len);

	return v && len == 4 ? fdt32_to_cpu(*v) : 0;
}

int platform_llc_parse(struct dt *dt, struct platform *plat)
{
	struct platform_llc best = { 0 };
	bool mixed = false;
	int node;

	for (node = fdt_next_node(dt->fdt, -1, NULL); node >= 0;
	     node = fdt_next_node(dt->fdt, node, NULL)) {
		u32 level = prop_u32(dt->fdt, node, "cache-level");
		u32 size = prop_u32(dt->fdt, node, "cache-size");
		u32 sets = prop_u32(dt->fdt, node, "cache-sets");
		u32 line = prop_u32(dt->fdt, node, "cache-line-size");
		struct platform_llc llc;

		if (!level || !fdt_getprop(dt->fdt, node, "cache-unified", NULL) ||
		    !node_usable(dt->fdt, node, false))
			continue;
		if (!size || !sets || !line || size % ((u64)sets * line))
			continue;
		llc = (struct platform_llc){ size, (u32)(size / ((u64)sets * line)), line, level };
		if (level < best.level)
			continue;
		if (level == best.level &&
		    (llc.size != best.size || llc.ways != best.ways || llc.line != best.line))
			mixed = true;
		else if (level > best.level)
			mixed = false;
		best = llc;
	}
	if (!mixed)
		plat->llc = best;
	return 0;
}
