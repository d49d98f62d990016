/*
 * Tegra's memory controller from the boot device tree (platform.h, struct
 * platform_mc), and which of its clients a device's DMA goes through (its
 * interconnects). Shared by the hypervisor and the host checker, like
 * platform.c.
 *
 * References: Linux bindings memory-controllers/nvidia,tegra186-mc.yaml
 * (reg-names "sid", "broadcast", "ch0".., the EMC as a child node,
 * #interconnect-cells = <1>: the client ID) and interconnect/interconnect.txt
 * (interconnects: <&provider cells...> pairs, each provider's
 * #interconnect-cells saying how many cells follow its phandle).
 */
#include <libfdt.h>
#include <string.h>
#include <drivers/tegra_mc.h>
#include <tessera/platform.h>

#include "platform_internal.h"

#define INTERCONNECT_CELLS_MAX 4 /* more than any binding uses: a bound for malformed DTs */

static const char *const mc_compatibles[] = { "nvidia,tegra186-mc", "nvidia,tegra194-mc",
					       "nvidia,tegra234-mc" };

static int find_mc(const void *fdt)
{
	for (size_t i = 0; i < ARRAY_SIZE(mc_compatibles); i++) {
		int node = fdt_node_offset_by_compatible(fdt, -1, mc_compatibles[i]);

		if (node >= 0 && node_usable(fdt, node, false))
			return node;
	}
	return -1;
}

/*
 * Every reg window of @node, appended to mc->regs. With @optional, a node
 * whose reg does not translate is left out: the AGX Orin DT's MC ranges
 * (Linux 6.1 tegra234.dtsi) give 2-cell child addresses high word second,
 * so its EMC has no CPU address here; nor can a VM be given it then
 * (platform_device_resolve translates the same way).
 */
static int add_windows(struct dt *dt, int node, struct platform_mc *mc, bool optional)
{
	struct dt quiet = { .fdt = dt->fdt };
	int n = reg_count(optional ? &quiet : dt, node);
	unsigned int had = mc->reg_count;

	if (n < 0)
		return optional ? 0 : -1;
	for (int i = 0; i < n; i++) {
		if (mc->reg_count == PLATFORM_MC_REGS)
			return dt_error(dt, "%s: the memory controller and its children have more than "
					    "%d register windows", path_of(dt, node), PLATFORM_MC_REGS);
		if (reg_range(optional ? &quiet : dt, node, i, &mc->regs[mc->reg_count++])) {
			if (!optional)
				return -1;
			mc->reg_count = had;
			return 0;
		}
	}
	return 0;
}

int platform_parse_mc(struct dt *dt, struct platform *plat)
{
	struct platform_mc *mc = &plat->mc;
	int node = find_mc(dt->fdt), child, sid;
	unsigned int own;

	if (node < 0)
		return 0; /* not a Tegra: nothing sets stream IDs behind the SMMUs' backs */
	*mc = (struct platform_mc){ .present = true, .node = node };
	mc->phandle = fdt_get_phandle(dt->fdt, node);
	if (add_windows(dt, node, mc, false))
		return -1;
	own = mc->reg_count;
	fdt_for_each_subnode(child, dt->fdt, node)
		if (fdt_getprop(dt->fdt, child, "reg", NULL) && add_windows(dt, child, mc, true))
			return -1;
	/* Without reg-names (the first Tegra186 DTs) the one window starts with the SID registers. */
	sid = fdt_getprop(dt->fdt, node, "reg-names", NULL) ?
		      fdt_stringlist_search(dt->fdt, node, "reg-names", "sid") :
		      0;
	if (sid < 0 || (unsigned int)sid >= own)
		return dt_error(dt, "%s: the memory controller has no \"sid\" register window; fix "
				    "the platform DT", path_of(dt, node));
	mc->sid = mc->regs[sid];
	return 0;
}

/* Records MC client @id once in @dev. */
static int add_client(struct dt *dt, int node, struct platform_device *dev, u32 id)
{
	for (unsigned int i = 0; i < dev->mc_client_count; i++)
		if (dev->mc_client[i] == id)
			return 0;
	if (dev->mc_client_count == PLATFORM_DEVICE_MAX_MC_CLIENTS)
		return dt_error(dt, "%s has more than %d memory controller clients; Tessera passes "
				    "at most %d", path_of(dt, node), PLATFORM_DEVICE_MAX_MC_CLIENTS,
				PLATFORM_DEVICE_MAX_MC_CLIENTS);
	dev->mc_client[dev->mc_client_count++] = id;
	return 0;
}

int platform_device_mc_clients(const struct platform *plat, int node, struct platform_device *dev,
			       char *err, size_t err_size)
{
	struct dt dt = { .fdt = plat->fdt, .err = err, .err_size = err_size };
	int len;
	const fdt32_t *p = fdt_getprop(plat->fdt, node, "interconnects", &len);

	dev->mc_client_count = 0;
	if (!p)
		return 0;
	if (len % 4)
		return dt_error(&dt, "%s: interconnects is not a list of cells; fix the platform DT",
				path_of(&dt, node));
	for (int i = 0, n = len / 4; i < n;) {
		u32 phandle = fdt32_to_cpu(p[i++]);
		int provider = fdt_node_offset_by_phandle(plat->fdt, phandle), clen;
		const fdt32_t *cells = provider >= 0 ? fdt_getprop(plat->fdt, provider,
								   "#interconnect-cells", &clen)
						     : NULL;
		u32 count = cells && clen == 4 ? fdt32_to_cpu(*cells) : INTERCONNECT_CELLS_MAX + 1;

		if (count > INTERCONNECT_CELLS_MAX || (u32)(n - i) < count)
			return dt_error(&dt, "%s: interconnects entry at cell %d names no interconnect "
					     "provider or is cut short; fix the platform DT",
					path_of(&dt, node), i - 1);
		if (plat->mc.present && provider == plat->mc.node) {
			if (count != 1)
				return dt_error(&dt, "%s: the memory controller has "
						     "#interconnect-cells = <%u>, not <1> (the client "
						     "ID); fix the platform DT",
						path_of(&dt, node), count);
			if (add_client(&dt, node, dev, fdt32_to_cpu(p[i])))
				return -1;
		}
		i += (int)count;
	}
	return 0;
}

int tegra_mc_device_sid(const void *fdt, int node, u32 *sid, char *err, size_t err_size)
{
	struct platform_streams s[PLATFORM_DEVICE_MAX_STREAM_RANGES];
	struct dt dt = { .fdt = fdt, .err = err, .err_size = err_size };
	int len, n = platform_device_streams(fdt, node, s, ARRAY_SIZE(s), err, err_size);

	if (n <= 0)
		return n;
	/*
	 * Only the iommus entries, which platform_device_streams() puts first:
	 * an iommu-map names IDs the device itself gives its requesters (PCI
	 * RIDs, host1x's context devices), not what the MC override sets.
	 */
	if (!fdt_getprop(fdt, node, "iommus", &len))
		return 0;
	if (n > len / 8)
		n = len / 8;
	/* The MC gives all of a device's clients one ID each; a device naming several is ambiguous. */
	for (int i = 1; i < n; i++)
		if (s[i].sid_base != s[0].sid_base)
			return dt_error(&dt, "%s names stream IDs 0x%x and 0x%x; Tessera cannot tell "
					     "which of its memory controller clients carries which",
					path_of(&dt, node), s[0].sid_base, s[i].sid_base);
	if (s[0].sid_base > MC_SID_STREAMID_MASK)
		return dt_error(&dt, "%s: stream ID 0x%x does not fit the memory controller's 8-bit "
				     "override; fix the platform DT",
				path_of(&dt, node), s[0].sid_base);
	*sid = s[0].sid_base;
	return 1;
}
