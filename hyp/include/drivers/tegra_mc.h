/*
 * Tegra's memory controller (MC) as Tessera fences it (orin-hardware.md 6.3):
 * the MC, not the device, sets the stream ID each client's DMA carries to
 * the SMMUs, from one override register per client in its "sid" window. No
 * VM is given the MC; Tessera writes the override of every client of a
 * device it passes through with that device's stream ID, so a VM cannot make
 * its device present another VM's.
 *  - tegra234_mc_clients.c: which clients have which registers (data);
 *  - platform_mc.c (shared): the MC node, a device's clients and stream ID;
 *  - config_mc.c (shared): what the config checker refuses;
 *  - tegra_mc.c (hypervisor): the register programming.
 */
#ifndef DRIVERS_TEGRA_MC_H
#define DRIVERS_TEGRA_MC_H

#include <tessera/platform.h>

/*
 * A client's register pair in the sid window (Linux
 * drivers/memory/tegra/tegra186.c, tegra186_mc_client_sid_override()):
 * MC_SID_STREAMID_OVERRIDE_CONFIG at .override holds the stream ID in bits
 * [7:0]; MC_SID_STREAMID_SECURITY_CONFIG at .override + 4 has OVERRIDE (bit
 * 8: the MC replaces the client's own ID with the override) and
 * WRITE_ACCESS_DISABLED (bit 16: firmware locked both registers).
 */
#define MC_SID_SECURITY_OFFSET 4
#define MC_SID_SECURITY_OVERRIDE BIT(8)
#define MC_SID_SECURITY_WRITE_DISABLED BIT(16)
#define MC_SID_STREAMID_MASK 0xffU

struct tegra_mc_client {
	u16 id;       /* its client ID: the MC's interconnects cell (dt-bindings tegra234-mc.h) */
	u16 override; /* its override register's offset in the sid window; 0: it has none */
	const char *name;
};

/* Tegra234's client @id, or NULL when Tessera does not know it (tegra234_mc_clients.c). */
const struct tegra_mc_client *tegra234_mc_client(u32 id);

/* Client @id of @plat's MC (only Tegra234's are known), or NULL. */
const struct tegra_mc_client *tegra_mc_client(const struct platform *plat, u32 id);

/*
 * The one stream ID the MC must give @node's clients: its iommus (or
 * iommu-map) stream ID, which must be one and fit the override's 8 bits.
 * Returns 1 with *sid, 0 when the node names no IOMMU, or -1 with a one-line
 * reason naming the node (platform_mc.c).
 */
int tegra_mc_device_sid(const void *fdt, int node, u32 *sid, char *err, size_t err_size);

/*
 * Client @c, behind the sid window mapped at @sid_window, carries @sid from
 * now on: its override is set unless firmware locked it, and a locked client
 * is fine only if it already carries @sid. Returns 0, or -1 with the reason.
 */
int tegra_mc_set_client_sid(u64 sid_window, const struct tegra_mc_client *c, u32 sid, char *err,
			    size_t err_size);

/*
 * Every MC client of @dev (a device given to a VM, checked by config_mc.c)
 * carries the device's stream ID; at boot, before its DMA is enabled. Maps
 * the sid window at EL2 on first use. No MC (QEMU): nothing to do, 0.
 * Returns -1 with the reason when a client cannot be set.
 */
int tegra_mc_fence_device(const struct platform *plat, const struct platform_device *dev,
			  char *err, size_t err_size);

#endif
