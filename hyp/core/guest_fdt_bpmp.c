/*
 * The guest DT nodes of a VM's virtual BPMP (vm_config.vbpmp, virt/vbpmp.h),
 * shaped as the board's own so Linux's stock drivers bind to them:
 *  - hsp@<hsp_ipa>: the emulated HSP (mailbox/nvidia,tegra186-hsp.yaml; its
 *    "doorbell" interrupt, #mbox-cells 2), probed by drivers/mailbox/tegra-hsp.c;
 *  - sram@<sram_ipa>: an mmio-sram (sram/sram.yaml) with the tx and rx pools
 *    as children, so drivers/misc/sram.c makes the gen_pools that
 *    drivers/firmware/tegra/bpmp-tegra186.c takes with of_gen_pool_get(shmem);
 *  - bpmp: the real node's compatibles, mboxes = <&hsp 0 master>, shmem =
 *    <&tx &rx>, one-cell clock, reset and power-domain specifiers
 *    (firmware/nvidia,tegra186-bpmp.yaml). No i2c child: the VM has no BPMP
 *    I2C bus.
 */
#include <libfdt.h>
#include <stdio.h>
#include <tessera/guest_fdt.h>
#include <virt/vbpmp.h>

#include "guest_fdt_internal.h"

/* mailbox/tegra186-hsp.h: TEGRA_HSP_MBOX_TYPE_DB. */
#define HSP_MBOX_TYPE_DB 0

static const char hsp_compatible[] = "nvidia,tegra234-hsp\0nvidia,tegra194-hsp";
static const char sram_compatible[] = "nvidia,tegra234-sysram\0mmio-sram";
static const char bpmp_fallback_compatible[] = "nvidia,tegra186-bpmp";

static int reg64(void *fdt, u64 base, u64 size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	return fdt_property(fdt, "reg", reg, sizeof(reg));
}

static int node_hsp(void *fdt, const struct vbpmp_config *vb)
{
	fdt32_t irq[3];

	FDT_TRY(begin_node_at(fdt, "hsp", vb->hsp_ipa));
	FDT_TRY(fdt_property(fdt, "compatible", hsp_compatible, sizeof(hsp_compatible)));
	FDT_TRY(reg64(fdt, vb->hsp_ipa, VBPMP_HSP_SIZE));
	gic_spec(irq, vb->intid);
	FDT_TRY(fdt_property(fdt, "interrupts", irq, sizeof(irq)));
	FDT_TRY(fdt_property_string(fdt, "interrupt-names", "doorbell"));
	FDT_TRY(fdt_property_u32(fdt, "#mbox-cells", 2));
	FDT_TRY(fdt_property_u32(fdt, "phandle", GUEST_FDT_BPMP_HSP_PHANDLE));
	return fdt_end_node(fdt);
}

static int node_pool(void *fdt, u32 offset, const char *label, u32 phandle)
{
	fdt32_t reg[2] = { cpu_to_fdt32(offset), cpu_to_fdt32(VBPMP_SRAM_POOL_SIZE) };

	FDT_TRY(begin_node_at(fdt, "sram", offset));
	FDT_TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	FDT_TRY(fdt_property_string(fdt, "label", label));
	FDT_TRY(fdt_property(fdt, "pool", NULL, 0));
	FDT_TRY(fdt_property_u32(fdt, "phandle", phandle));
	return fdt_end_node(fdt);
}

/* Children at offsets 0 and 4 KiB (1 address, 1 size cell), as the board's SYSRAM node. */
static int node_sram(void *fdt, const struct vbpmp_config *vb)
{
	fdt32_t ranges[4] = { 0, cpu_to_fdt32((u32)(vb->sram_ipa >> 32)),
			      cpu_to_fdt32((u32)vb->sram_ipa), cpu_to_fdt32(VBPMP_SRAM_SIZE) };

	FDT_TRY(begin_node_at(fdt, "sram", vb->sram_ipa));
	FDT_TRY(fdt_property(fdt, "compatible", sram_compatible, sizeof(sram_compatible)));
	FDT_TRY(reg64(fdt, vb->sram_ipa, VBPMP_SRAM_SIZE));
	FDT_TRY(fdt_property_u32(fdt, "#address-cells", 1));
	FDT_TRY(fdt_property_u32(fdt, "#size-cells", 1));
	FDT_TRY(fdt_property(fdt, "ranges", ranges, sizeof(ranges)));
	/* As the board's: Linux maps it uncached, the BPMP's view of it. */
	FDT_TRY(fdt_property(fdt, "no-memory-wc", NULL, 0));
	FDT_TRY(node_pool(fdt, 0, "cpu-bpmp-tx", GUEST_FDT_BPMP_TX_PHANDLE));
	FDT_TRY(node_pool(fdt, VBPMP_SRAM_POOL_SIZE, "cpu-bpmp-rx", GUEST_FDT_BPMP_RX_PHANDLE));
	return fdt_end_node(fdt);
}

static int node_bpmp(void *fdt, const struct platform *plat)
{
	const fdt32_t mboxes[3] = { cpu_to_fdt32(GUEST_FDT_BPMP_HSP_PHANDLE),
				    cpu_to_fdt32(HSP_MBOX_TYPE_DB),
				    cpu_to_fdt32(plat->bpmp.db_master) };
	const fdt32_t shmem[2] = { cpu_to_fdt32(GUEST_FDT_BPMP_TX_PHANDLE),
				   cpu_to_fdt32(GUEST_FDT_BPMP_RX_PHANDLE) };
	int len;
	const void *compat = fdt_getprop(plat->fdt, plat->bpmp.node, "compatible", &len);

	FDT_TRY(fdt_begin_node(fdt, "bpmp"));
	if (compat)
		FDT_TRY(fdt_property(fdt, "compatible", compat, len));
	else
		FDT_TRY(fdt_property_string(fdt, "compatible", bpmp_fallback_compatible));
	FDT_TRY(fdt_property(fdt, "mboxes", mboxes, sizeof(mboxes)));
	FDT_TRY(fdt_property(fdt, "shmem", shmem, sizeof(shmem)));
	FDT_TRY(fdt_property_u32(fdt, "#clock-cells", 1));
	FDT_TRY(fdt_property_u32(fdt, "#reset-cells", 1));
	FDT_TRY(fdt_property_u32(fdt, "#power-domain-cells", 1));
	FDT_TRY(fdt_property_u32(fdt, "phandle", GUEST_FDT_BPMP_PHANDLE));
	return fdt_end_node(fdt);
}

int guest_fdt_bpmp(void *fdt, const struct guest_fdt_params *p)
{
	const struct vbpmp_config *vb = p->vbpmp;

	if (!vb || !vb->present)
		return 0;
	if (!p->gicd_base || !p->platform || !p->platform->fdt || !p->platform->bpmp.present)
		return -FDT_ERR_BADVALUE;
	FDT_TRY(node_hsp(fdt, vb));
	FDT_TRY(node_sram(fdt, vb));
	return node_bpmp(fdt, p->platform);
}
