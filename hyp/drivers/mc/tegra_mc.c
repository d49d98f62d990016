/*
 * Tegra memory controller stream-ID fencing (drivers/tegra_mc.h): before a
 * passed-through device's DMA is enabled, each of its MC clients is made to
 * carry the device's stream ID, the one its SMMU context matches. A client
 * firmware locked keeps what it has: fine when that is the device's ID,
 * otherwise the VM is refused (its DMA would carry a stream ID Tessera
 * did not give it).
 *
 * Semantics of the register pair: Linux drivers/memory/tegra/tegra186.c
 * tegra186_mc_client_sid_override(); orin-hardware.md 6.3.
 */
#include <mmio.h>
#include <stdio.h>
#include <drivers/tegra_mc.h>
#include <tessera/mmu.h>

int tegra_mc_set_client_sid(u64 sid_window, const struct tegra_mc_client *c, u32 sid, char *err,
			    size_t err_size)
{
	u64 override = sid_window + c->override, security = override + MC_SID_SECURITY_OFFSET;
	u32 sec = mmio_read32(security), now;

	if (sec & MC_SID_SECURITY_WRITE_DISABLED) {
		now = mmio_read32(override) & MC_SID_STREAMID_MASK;
		if ((sec & MC_SID_SECURITY_OVERRIDE) && now == sid)
			return 0;
		/* Without OVERRIDE the client sends its own ID, which no register tells. */
		snprintf(err, err_size, "MC client %s (0x%x) is locked by firmware %s; its DMA cannot "
			 "be given stream ID 0x%x", c->name, c->id,
			 (sec & MC_SID_SECURITY_OVERRIDE) ? "to another stream ID" :
							    "without the override",
			 sid);
		return -1;
	}
	if (!(sec & MC_SID_SECURITY_OVERRIDE))
		mmio_write32(security, sec | MC_SID_SECURITY_OVERRIDE);
	mmio_write32(override, sid);
	/* Read back: a client whose registers ignore the write would keep another VM's ID. */
	now = mmio_read32(override) & MC_SID_STREAMID_MASK;
	if (!(mmio_read32(security) & MC_SID_SECURITY_OVERRIDE) || now != sid) {
		snprintf(err, err_size, "MC client %s (0x%x) did not take stream ID 0x%x", c->name,
			 c->id, sid);
		return -1;
	}
	return 0;
}

int tegra_mc_fence_device(const struct platform *plat, const struct platform_device *dev,
			  char *err, size_t err_size)
{
	static bool mapped; /* boot only: VMs are created on the boot CPU */
	u32 sid = 0;
	int has_sid;

	if (!plat->mc.present || dev->mc_client_count == 0)
		return 0;
	has_sid = tegra_mc_device_sid(plat->fdt, dev->node, &sid, err, err_size);
	if (has_sid < 0)
		return -1;
	if (!mapped && mmu_map_device(plat->mc.sid.base, plat->mc.sid.size)) {
		snprintf(err, err_size, "the MC's sid window cannot be mapped at EL2");
		return -1;
	}
	mapped = true;
	for (unsigned int i = 0; i < dev->mc_client_count; i++) {
		const struct tegra_mc_client *c = tegra_mc_client(plat, dev->mc_client[i]);

		if (!c) {
			snprintf(err, err_size, "MC client 0x%x is unknown to Tessera",
				 dev->mc_client[i]);
			return -1;
		}
		/* No SID register (the GPU's NVL1): nothing to set; the checker asked for dma-unconfined. */
		if (c->override == 0 || !has_sid)
			continue;
		if ((u64)c->override + MC_SID_SECURITY_OFFSET + 4 > plat->mc.sid.size) {
			snprintf(err, err_size, "MC client %s's registers are beyond the sid window",
				 c->name);
			return -1;
		}
		if (tegra_mc_set_client_sid(plat->mc.sid.base, c, sid, err, err_size))
			return -1;
	}
	return 0;
}
