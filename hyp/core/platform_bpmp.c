/*
 * Tegra's BPMP in the boot DT (platform.h struct platform_bpmp): the node,
 * the HSP block its doorbell lives in and the two SYSRAM pools of its IVC
 * channel. Tessera keeps all three; a VM reaches the BPMP through its
 * virtual one (virt/vbpmp.h). A board without a BPMP node leaves it zero.
 *
 * References: Linux bindings firmware/nvidia,tegra186-bpmp.yaml (mboxes =
 * <&hsp TEGRA_HSP_MBOX_TYPE_DB TEGRA_HSP_DB_MASTER_BPMP>, shmem = <&tx &rx>),
 * mailbox/nvidia,tegra186-hsp.yaml (interrupt-names "doorbell", #mbox-cells
 * 2), sram/sram.yaml (pools inside an mmio-sram node, through its ranges).
 */
#include <libfdt.h>
#include <string.h>
#include <tessera/platform.h>

#include "platform_internal.h"

static const char *const bpmp_compatibles[] = { "nvidia,tegra186-bpmp", "nvidia,tegra234-bpmp" };

static const char *const specifier_cells[] = { "#clock-cells", "#reset-cells",
					       "#power-domain-cells" };

/* The HSP binding's mbox specifier: <type master>, type 0 a doorbell. */
#define HSP_MBOX_CELLS 2
#define HSP_MBOX_TYPE_DB 0

static int find_bpmp(const void *fdt)
{
	for (size_t i = 0; i < ARRAY_SIZE(bpmp_compatibles); i++) {
		int node = fdt_node_offset_by_compatible(fdt, -1, bpmp_compatibles[i]);

		if (node >= 0)
			return node;
	}
	return -FDT_ERR_NOTFOUND;
}

/* Index of @name in @node's interrupt-names, or -1. */
static int irq_index_by_name(const void *fdt, int node, const char *name)
{
	int count = fdt_stringlist_count(fdt, node, "interrupt-names");

	for (int i = 0; i < count; i++) {
		const char *s = fdt_stringlist_get(fdt, node, "interrupt-names", i, NULL);

		if (s && !strcmp(s, name))
			return i;
	}
	return -1;
}

static int parse_hsp(struct dt *dt, int bpmp, struct platform_bpmp *out)
{
	int len, hsp, db, n;
	const fdt32_t *mb = fdt_getprop(dt->fdt, bpmp, "mboxes", &len);

	if (!mb || len != (1 + HSP_MBOX_CELLS) * 4)
		return dt_error(dt, "%s: mboxes must be one HSP doorbell, <&hsp 0 master>",
				path_of(dt, bpmp));
	hsp = fdt_node_offset_by_phandle(dt->fdt, fdt32_to_cpu(mb[0]));
	if (hsp < 0 || fdt32_to_cpu(mb[1]) != HSP_MBOX_TYPE_DB)
		return dt_error(dt, "%s: mboxes does not name an HSP doorbell", path_of(dt, bpmp));
	out->db_master = fdt32_to_cpu(mb[2]);
	/* The whole block: its reg is one window on every Tegra (tegra186-hsp.yaml). */
	n = reg_count(dt, hsp);
	if (n != 1 || reg_range(dt, hsp, 0, &out->hsp))
		return n == 1 ? -1 : dt_error(dt, "%s: the BPMP's HSP needs one reg window",
					      path_of(dt, hsp));
	db = irq_index_by_name(dt->fdt, hsp, "doorbell");
	if (db < 0)
		return dt_error(dt, "%s: the BPMP's HSP has no \"doorbell\" interrupt",
				path_of(dt, hsp));
	if (irq_intid(dt, hsp, db, &out->hsp_doorbell_intid))
		return -1;
	if (!intid_is_spi(out->hsp_doorbell_intid))
		return dt_error(dt, "%s: the doorbell interrupt is not an SPI", path_of(dt, hsp));
	return 0;
}

/* A shmem pool: a child of an mmio-sram node, to a CPU address through its ranges. */
static int parse_pool(struct dt *dt, int bpmp, u32 phandle, struct mem_range *out)
{
	int pool = fdt_node_offset_by_phandle(dt->fdt, phandle);

	if (pool < 0 || !fdt_getprop(dt->fdt, pool, "pool", NULL) ||
	    fdt_node_check_compatible(dt->fdt, fdt_parent_offset(dt->fdt, pool), "mmio-sram"))
		return dt_error(dt, "%s: shmem must name two pools of an mmio-sram node",
				path_of(dt, bpmp));
	return reg_range(dt, pool, 0, out);
}

int platform_bpmp_parse(struct dt *dt, struct platform *plat)
{
	struct platform_bpmp *b = &plat->bpmp;
	int len, node = find_bpmp(dt->fdt);
	const fdt32_t *shmem;

	memset(b, 0, sizeof(*b));
	if (node < 0 || !node_usable(dt->fdt, node, false))
		return 0;
	b->node = node;
	b->phandle = fdt_get_phandle(dt->fdt, node);
	if (!b->phandle)
		return dt_error(dt, "%s has no phandle, so no device can name it",
				path_of(dt, node));
	/* Devices' specifiers are read as <&bpmp id> (platform_device.c). */
	for (size_t i = 0; i < ARRAY_SIZE(specifier_cells); i++) {
		const fdt32_t *c = fdt_getprop(dt->fdt, node, specifier_cells[i], &len);

		if (!c || len != 4 || fdt32_to_cpu(*c) != 1)
			return dt_error(dt, "%s: %s must be <1>, the ID", path_of(dt, node),
					specifier_cells[i]);
	}
	shmem = fdt_getprop(dt->fdt, node, "shmem", &len);
	if (!shmem || len != 2 * 4)
		return dt_error(dt, "%s: shmem must be <&tx &rx>", path_of(dt, node));
	if (parse_hsp(dt, node, b) || parse_pool(dt, node, fdt32_to_cpu(shmem[0]), &b->tx) ||
	    parse_pool(dt, node, fdt32_to_cpu(shmem[1]), &b->rx))
		return -1;
	b->present = true;
	return 0;
}
