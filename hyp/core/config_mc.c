/*
 * What a device's DMA may reach, as the config checker sees it: the stream
 * IDs it carries (its iommus or iommu-map) and, on Tegra, the memory
 * controller clients that set them (drivers/tegra_mc.h). Refused:
 *  - a client whose stream ID register Tessera does not know: it could not
 *    fence it;
 *  - DMA through the MC that no IOMMU confines (no iommus, or a client with
 *    no stream ID at all: the GPU), unless the config says dma-unconfined;
 *  - a stream ID that another VM's device carries on the same IOMMU,
 *    compared under the IOMMU's stream-match-mask as its SMRs compare.
 * Shared by the host checker and the hypervisor.
 */
#include <stdio.h>
#include <string.h>
#include <drivers/tegra_mc.h>

#include "config_internal.h"

#define SMR_ID_BITS 15 /* SMMUv2 SMRn.ID and SMRn.MASK are 15 bits (IHI 0062D.c, SMRn) */

static bool mc_clients_known(const struct platform *plat, const struct device_config *dev,
			     bool *unconfined, struct problems *p)
{
	for (unsigned int i = 0; i < dev->hw.mc_client_count; i++) {
		const struct tegra_mc_client *c = tegra_mc_client(plat, dev->hw.mc_client[i]);

		if (!c) {
			report(p, dev->node, "%s's interconnects name memory controller client 0x%x, "
					     "whose stream ID register Tessera does not know, so it "
					     "cannot fence its DMA; give the VM another device",
			       dev->path, dev->hw.mc_client[i]);
			return false;
		}
		if (c->override == 0)
			*unconfined = true; /* it carries no stream ID: no SMMU sees its DMA */
	}
	return true;
}

/* True when some ID of [a, a + na) and some of [b, b + nb) match one SMR with MASK @mask. */
static bool streams_collide(u32 a, u32 na, u32 b, u32 nb, u32 mask)
{
	static u32 seen[(1U << SMR_ID_BITS) / 32]; /* masked IDs of a; boot/checker only */
	const u32 keep = ~mask & ((1U << SMR_ID_BITS) - 1);

	if (!mask)
		return ranges_overlap(a, na, b, nb);
	memset(seen, 0, sizeof(seen));
	for (u32 i = 0; i < na && i < (1U << SMR_ID_BITS); i++)
		seen[((a + i) & keep) / 32] |= BIT(((a + i) & keep) % 32);
	for (u32 i = 0; i < nb && i < (1U << SMR_ID_BITS); i++)
		if (seen[((b + i) & keep) / 32] & BIT(((b + i) & keep) % 32))
			return true;
	return false;
}

/* @dev's streams against those of the devices other VMs before it hold. */
static bool streams_free(const struct system_config *cfg, unsigned int idx,
			 const struct device_config *dev, const struct platform *plat,
			 const struct platform_streams *s, int n, struct problems *p)
{
	struct platform_streams o[PLATFORM_DEVICE_MAX_STREAM_RANGES];
	char err[160];

	for (unsigned int v = 0; v < idx; v++)
		for (const struct device_config *od = cfg->vms[v].devices;
		     od < cfg->vms[v].devices + cfg->vms[v].device_count; od++) {
			int on = od->held ? platform_device_streams(plat->fdt, od->hw.node, o,
								    ARRAY_SIZE(o), err, sizeof(err))
					  : 0;

			for (int i = 0; i < n; i++)
				for (int j = 0; j < on; j++) {
					const struct platform_iommu *io =
						platform_iommu_by_phandle(plat, s[i].iommu_phandle);

					if (s[i].iommu_phandle != o[j].iommu_phandle ||
					    !streams_collide(s[i].sid_base, s[i].count, o[j].sid_base,
							     o[j].count,
							     io ? io->stream_match_mask : 0))
						continue;
					report(p, dev->node, "%s's stream ID 0x%x matches %s's (0x%x) "
							     "on the same IOMMU, and %s is VM %s's; "
							     "a stream ID's DMA belongs to one VM",
					       dev->path, s[i].sid_base, od->path, o[j].sid_base,
					       od->path, cfg->vms[v].name);
					return false;
				}
		}
	return true;
}

bool device_dma_checked(const struct system_config *cfg, unsigned int idx,
			const struct device_config *dev, const struct platform *plat,
			struct problems *p)
{
	struct platform_streams s[PLATFORM_DEVICE_MAX_STREAM_RANGES];
	bool unconfined = false;
	char err[200];
	u32 sid;
	int n = platform_device_streams(plat->fdt, dev->hw.node, s, ARRAY_SIZE(s), err, sizeof(err));

	if (n < 0 || (dev->hw.mc_client_count && tegra_mc_device_sid(plat->fdt, dev->hw.node, &sid,
								     err, sizeof(err)) < 0)) {
		report(p, dev->node, "%s", err);
		return false;
	}
	if (!mc_clients_known(plat, dev, &unconfined, p))
		return false;
	if (dev->hw.mc_client_count && (n == 0 || unconfined) && !dev->dma_unconfined) {
		report(p, dev->node, "%s does DMA through the memory controller that no IOMMU "
				     "confines (%s), so the VM could reach all of memory; say "
				     "dma-unconfined; in this node if you trust it that far, or give "
				     "another device",
		       dev->path, n == 0 ? "it names no iommus or iommu-map" :
					   "a client of it carries no stream ID");
		return false;
	}
	return streams_free(cfg, idx, dev, plat, s, n, p);
}
