/*
 * Reading the guest's device tree: /chosen (bootargs, stdout-path), /memory,
 * /psci, /cpus; the GIC and the timer interrupt in dt_gic.c. Works on QEMU's
 * own tree, on the minimal one Tessera generates (hyp/core/guest_fdt.c) and on
 * a Xen dom0less DomU's. Runs with the DTB mapped Normal (mmu.c).
 */
#include <libfdt.h>
#include <string.h>

#include "dt.h"

bool dt_reg(const void *fdt, int node, int idx, struct range *r)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac = parent >= 0 ? fdt_address_cells(fdt, parent) : -1;
	int sc = parent >= 0 ? fdt_size_cells(fdt, parent) : -1;
	const fdt32_t *cells;
	int len;

	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return false;
	cells = fdt_getprop(fdt, node, "reg", &len);
	if (!cells || len < (idx + 1) * (ac + sc) * (int)sizeof(fdt32_t))
		return false;
	cells += idx * (ac + sc);
	r->base = fdt32_ld(cells);
	if (ac == 2)
		r->base = r->base << 32 | fdt32_ld(cells + 1);
	cells += ac;
	r->size = fdt32_ld(cells);
	if (sc == 2)
		r->size = r->size << 32 | fdt32_ld(cells + 1);
	return true;
}

/* The bank holding @addr among the device_type = "memory" nodes. */
static bool dt_memory(const void *fdt, u64 addr, struct range *bank)
{
	int node = -1;

	while ((node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory",
						     sizeof("memory"))) >= 0) {
		struct range r;

		for (int i = 0; dt_reg(fdt, node, i, &r); i++) {
			if (addr >= r.base && addr - r.base < r.size) {
				*bank = r;
				return true;
			}
		}
	}
	return false;
}

/* The node /chosen/stdout-path names, ":options" stripped, aliases resolved. */
static int dt_stdout_node(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *path = chosen >= 0 ? fdt_getprop(fdt, chosen, "stdout-path", NULL) : NULL;
	const char *colon;

	if (!path)
		return -FDT_ERR_NOTFOUND;
	colon = strchr(path, ':');
	/* A path without a leading '/' is an alias: libfdt resolves it. */
	return fdt_path_offset_namelen(fdt, path, colon ? (int)(colon - path) : (int)strlen(path));
}

static enum smccc_conduit dt_psci(const void *fdt)
{
	static const char *const compat[] = { "arm,psci-1.0", "arm,psci-0.2", "arm,psci" };
	int node = fdt_path_offset(fdt, "/psci");
	const char *method;

	for (unsigned int i = 0; node < 0 && i < ARRAY_SIZE(compat); i++)
		node = fdt_node_offset_by_compatible(fdt, -1, compat[i]);
	method = node >= 0 ? fdt_getprop(fdt, node, "method", NULL) : NULL;
	if (method && !strcmp(method, "hvc"))
		return CONDUIT_HVC;
	if (method && !strcmp(method, "smc"))
		return CONDUIT_SMC;
	return CONDUIT_NONE;
}

/* The reg of each device_type = "cpu" node under /cpus (arm/cpus.yaml: #size-cells = 0). */
static void dt_cpus(const void *fdt, struct dt_info *info)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	int ac = cpus >= 0 ? fdt_address_cells(fdt, cpus) : -1;
	int node;

	info->cpu_count = 0;
	if (ac < 1 || ac > 2)
		return;
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		const fdt32_t *reg;
		int len;
		u64 mpidr;

		if (!type || strcmp(type, "cpu") || info->cpu_count == DT_CPUS_MAX)
			continue;
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg || len < ac * (int)sizeof(*reg))
			continue;
		mpidr = fdt32_ld(reg);
		if (ac == 2)
			mpidr = mpidr << 32 | fdt32_ld(reg + 1);
		info->cpu_mpidr[info->cpu_count++] = mpidr;
	}
}

/* /chosen/tessera,restart-count: how often Tessera has restarted this VM (0 when absent). */
static u32 restart_count(const void *fdt, int chosen)
{
	int len;
	const fdt32_t *n = chosen >= 0 ? fdt_getprop(fdt, chosen, "tessera,restart-count", &len)
				       : NULL;

	return n && len == 4 ? fdt32_ld(n) : 0;
}

const char *dt_read(u64 fdt_pa, struct dt_info *info)
{
	const void *fdt = (const void *)(uintptr_t)fdt_pa;
	int chosen, node;

	if (!fdt_pa || fdt_check_header(fdt))
		return "no valid DTB at x0";
	info->fdt = fdt_pa;
	info->fdt_size = fdt_totalsize(fdt);

	chosen = fdt_path_offset(fdt, "/chosen");
	info->bootargs = chosen >= 0 ? fdt_getprop(fdt, chosen, "bootargs", NULL) : NULL;
	if (!info->bootargs)
		info->bootargs = "";
	info->restart_count = restart_count(fdt, chosen);

	node = dt_stdout_node(fdt);
	if (node < 0) /* no usable stdout-path: take the first PL011 */
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl011");
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,sbsa-uart");
	if (node < 0 || (fdt_node_check_compatible(fdt, node, "arm,pl011") &&
			 fdt_node_check_compatible(fdt, node, "arm,sbsa-uart")))
		return "/chosen/stdout-path names no arm,pl011 (or arm,sbsa-uart) node";
	if (!dt_reg(fdt, node, 0, &info->uart))
		return "the PL011 node has no usable reg";
	/* The PL011 first: the caller can then say what else is wrong. */
	if (!dt_memory(fdt, (u64)(uintptr_t)_start, &info->memory))
		return "no /memory node holds the image";

	info->psci = dt_psci(fdt);
	dt_cpus(fdt, info);
	dt_read_irq(fdt, info);
	return NULL;
}
