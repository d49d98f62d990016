/*
 * The platform DT readers (hyp/core/platform*.c) on a fuzzed firmware DTB,
 * then the guest DT builder (hyp/core/guest_fdt*.c) copying the devices it
 * resolved into a VM's DT, as a config passing them through would.
 *
 * platform_parse() runs in the hypervisor on whatever DTB the loader hands
 * it, so no blob may make it (or what reads the parsed platform after it)
 * read or write out of bounds. Checked too: what it accepts is usable (CPUs,
 * RAM banks sorted and non-empty, a GIC); a device it resolves has regions
 * and SPIs within its limits; the guest DT built from such devices is well
 * formed, fits and writes nothing past its buffer.
 */
#include "fuzz.h"

#include <libfdt.h>
#include <tessera/config.h>
#include <tessera/guest_fdt.h>
#include <tessera/platform.h>


#define DTB_SIZE 0x20000

static struct platform plat;
static struct device_config devices[CONFIG_MAX_DEVICES];
static char paths[CONFIG_MAX_DEVICES][256];
static unsigned char dtb[DTB_SIZE + 64];

static void check_platform(void)
{
	FUZZ_CHECK(plat.cpu_count >= 1 && plat.cpu_count <= PLATFORM_MAX_CPUS);
	FUZZ_CHECK(plat.ram_count >= 1 && plat.ram_count <= PLATFORM_MAX_RAM);
	for (unsigned int i = 0; i < plat.ram_count; i++) {
		FUZZ_CHECK(plat.ram[i].size != 0);
		FUZZ_CHECK(i == 0 || plat.ram[i - 1].base < plat.ram[i].base);
	}
	FUZZ_CHECK(plat.gicr_count <= PLATFORM_MAX_GICR_REGIONS);
	FUZZ_CHECK(plat.iommu_count <= PLATFORM_MAX_IOMMUS);
	for (unsigned int i = 0; i < plat.iommu_count; i++)
		FUZZ_CHECK(plat.iommus[i].reg_count <= PLATFORM_IOMMU_REGS &&
			   plat.iommus[i].irq_count <= PLATFORM_IOMMU_IRQS);
	FUZZ_CHECK(plat.uart.reg_count <= PLATFORM_UART_REGS);
	for (unsigned int i = 0; i < plat.cpu_count; i++)
		FUZZ_CHECK(platform_cpu_index(&plat, plat.cpu_mpidr[i]) >= 0);
}

/* Every node as a device a VM could be given; the first few that resolve are kept. */
static unsigned int resolve_all(const void *fdt)
{
	struct platform_streams streams[8];
	unsigned int kept = 0;
	char err[256];
	int node;

	for (node = fdt_next_node(fdt, -1, NULL); node >= 0; node = fdt_next_node(fdt, node, NULL)) {
		struct platform_device hw;
		char *path = paths[kept < CONFIG_MAX_DEVICES ? kept : 0];
		int n;

		if (fdt_get_path(fdt, node, path, sizeof(paths[0])))
			continue;
		n = platform_device_streams(fdt, node, streams, ARRAY_SIZE(streams), err, sizeof(err));
		FUZZ_CHECK(n >= -1 && n <= (int)ARRAY_SIZE(streams));
		if (n < 0)
			FUZZ_CHECK(err[0]);
		memset(&hw, 0x5a, sizeof(hw));
		if (platform_device_resolve(&plat, path, &hw, err, sizeof(err))) {
			FUZZ_CHECK(err[0]);
			continue;
		}
		FUZZ_CHECK(hw.region_count <= PLATFORM_DEVICE_MAX_REGIONS);
		FUZZ_CHECK(hw.irq_count <= PLATFORM_DEVICE_MAX_IRQS);
		FUZZ_CHECK(hw.clock_count <= PLATFORM_DEVICE_MAX_CLOCKS);
		for (unsigned int i = 0; i < hw.irq_count; i++)
			FUZZ_CHECK(hw.intid[i] >= 32 && hw.intid[i] < 1020);
		for (int i = 0; hw.pci && i < 64; i++) {
			struct pci_intx_entry e;

			if (platform_pci_intx(&plat, hw.node, i, &e) != 1)
				break;
		}
		if (kept < CONFIG_MAX_DEVICES) {
			for (unsigned int r = 0; r < hw.region_count; r++)
				hw.region[r].ipa = hw.region[r].pa; /* 1:1, as a config without map gives */
			devices[kept] = (struct device_config){ .path = path, .well_formed = true,
								 .held = true, .hw = hw };
			snprintf(devices[kept].node, sizeof(devices[kept].node), "/vms/vm/dev%u", kept);
			kept++;
		}
	}
	return kept;
}

static void build_guest_dt(unsigned int device_count)
{
	const struct guest_fdt_params p = {
		.vm_name = "fuzz",
		.memory = { 0x50000000, 0x10000000 },
		.vcpu_count = 2,
		.vuart_base = 0x09000000,
		.vuart_intid = 33,
		.bootargs = "console=ttyAMA0",
		.gicd_base = 0x08000000,
		.gicr_base = 0x080a0000,
		.platform = &plat,
		.devices = devices,
		.device_count = device_count,
	};
	int rc;

	memset(dtb + DTB_SIZE, 0xa5, sizeof(dtb) - DTB_SIZE);
	rc = guest_fdt_build(dtb, DTB_SIZE, &p);
	for (size_t i = DTB_SIZE; i < sizeof(dtb); i++)
		FUZZ_CHECK(dtb[i] == 0xa5);
	FUZZ_CHECK(rc <= 0);
	if (rc == 0)
		FUZZ_CHECK(fdt_check_full(dtb, DTB_SIZE) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	void *fdt;

	/* What the loader could hand over: a header that passes, the blob exactly as long as it says. */
	if (size < sizeof(struct fdt_header) || fdt_check_header(data) || fdt_totalsize(data) > size)
		return 0;
	fdt = malloc(fdt_totalsize(data));
	memcpy(fdt, data, fdt_totalsize(data));
	memset(&plat, 0, sizeof(plat));
	err[0] = '\0';
	if (platform_parse(fdt, &plat, err, sizeof(err)) == 0) {
		check_platform();
		build_guest_dt(resolve_all(fdt));
	} else {
		FUZZ_CHECK(err[0] && strlen(err) < sizeof(err));
	}
	free(fdt);
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init(NULL);
	return 0;
}
