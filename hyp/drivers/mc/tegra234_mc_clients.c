/*
 * Tegra234 memory controller clients Tessera can fence (drivers/tegra_mc.h):
 * client ID -> offset of its SID override register in the MC's sid window
 * (the security register follows at +4). Sorted by ID.
 *
 * Sources, read and written out here as our own table:
 *  - client IDs: Linux include/dt-bindings/memory/tegra234-mc.h
 *    (TEGRA234_MEMORY_CLIENT_*);
 *  - offsets: Linux drivers/memory/tegra/tegra234.c (tegra234_mc_clients[],
 *    .regs.sid.override), and for the clients that table leaves out
 *    (HOST1XDMAR, XUSB host and device, EQOS, SDMMC1) NVIDIA's L4T kernel,
 *    "Tegra234 MC StreamID configuration" (tegra234-mc-sid, sid_override_reg[]);
 *  - no SID register: the GPU's NVL1R/NVL1W, which tegra234.c lists as
 *    bandwidth clients only; they carry no stream ID, so no SMMU confines
 *    them (orin-hardware.md 6.3, 8.1).
 * Clients of devices Tessera keeps (the BPMP's) are listed so the platform
 * DT's every interconnects entry is known.
 */
#include <libfdt.h>
#include <drivers/tegra_mc.h>

#define NO_SID 0

static const struct tegra_mc_client tegra234_clients[] = {
	{ 0x15, 0x0a8, "hdar" },
	{ 0x16, 0x0b0, "host1xdmar" },
	{ 0x28, 0x140, "pcie6ar" },
	{ 0x29, 0x148, "pcie6aw" },
	{ 0x2a, 0x150, "pcie7ar" },
	{ 0x30, 0x180, "pcie7aw" },
	{ 0x32, 0x190, "pcie8ar" },
	{ 0x35, 0x1a8, "hdaw" },
	{ 0x3b, 0x1d8, "pcie8aw" },
	{ 0x3c, 0x1e0, "pcie9ar" },
	{ 0x3d, 0x1e8, "pcie6ar1" },
	{ 0x3e, 0x1f0, "pcie9aw" },
	{ 0x3f, 0x1f8, "pcie10ar" },
	{ 0x40, 0x200, "pcie10aw" },
	{ 0x48, 0x240, "pcie10ar1" },
	{ 0x49, 0x248, "pcie7ar1" },
	{ 0x4a, 0x250, "xusb_hostr" },
	{ 0x4b, 0x258, "xusb_hostw" },
	{ 0x4c, 0x260, "xusb_devr" },
	{ 0x4d, 0x268, "xusb_devw" },
	{ 0x58, 0x2c0, "mgbeard" },
	{ 0x59, 0x2c8, "mgbebrd" },
	{ 0x5a, 0x2d0, "mgbecrd" },
	{ 0x5b, 0x2d8, "mgbedrd" },
	{ 0x5c, 0x2e0, "mgbeawr" },
	{ 0x5f, 0x2f8, "mgbebwr" },
	{ 0x60, 0x300, "sdmmcra" },
	{ 0x61, 0x308, "mgbecwr" },
	{ 0x63, 0x318, "sdmmcrab" },
	{ 0x64, 0x320, "sdmmcwa" },
	{ 0x65, 0x328, "mgbedwr" },
	{ 0x67, 0x338, "sdmmcwab" },
	{ 0x6c, 0x360, "vicsrd" },
	{ 0x6d, 0x368, "vicswr" },
	{ 0x8e, 0x470, "eqosr" },
	{ 0x8f, 0x478, "eqosw" },
	{ 0x93, 0x498, "bpmpr" },
	{ 0x94, 0x4a0, "bpmpw" },
	{ 0x95, 0x4a8, "bpmpdmar" },
	{ 0x96, 0x4b0, "bpmpdmaw" },
	{ 0x9f, 0x4f8, "apedmar" },
	{ 0xa0, 0x500, "apedmaw" },
	{ 0xb8, NO_SID, "nvl1r" },
	{ 0xb9, NO_SID, "nvl1w" },
	{ 0xd8, 0x6c0, "pcie0r" },
	{ 0xd9, 0x6c8, "pcie0w" },
	{ 0xda, 0x6d0, "pcie1r" },
	{ 0xdb, 0x6d8, "pcie1w" },
	{ 0xdc, 0x6e0, "pcie2ar" },
	{ 0xdd, 0x6e8, "pcie2aw" },
	{ 0xde, 0x6f0, "pcie3r" },
	{ 0xdf, 0x6f8, "pcie3w" },
	{ 0xe0, 0x700, "pcie4r" },
	{ 0xe1, 0x708, "pcie4w" },
	{ 0xe2, 0x710, "pcie5r" },
	{ 0xe3, 0x718, "pcie5w" },
	{ 0xef, 0x778, "pcie5r1" },
};

const struct tegra_mc_client *tegra234_mc_client(u32 id)
{
	for (size_t i = 0; i < ARRAY_SIZE(tegra234_clients); i++)
		if (tegra234_clients[i].id == id)
			return &tegra234_clients[i];
	return NULL;
}

const struct tegra_mc_client *tegra_mc_client(const struct platform *plat, u32 id)
{
	if (!plat->mc.present || fdt_node_check_compatible(plat->fdt, plat->mc.node,
							   "nvidia,tegra234-mc"))
		return NULL; /* Tegra186's and Tegra194's clients are not tabled (yet) */
	return tegra234_mc_client(id);
}
