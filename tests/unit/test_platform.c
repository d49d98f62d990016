/*
 * Unit tests for the platform description (hyp/core/platform.c), built on the
 * host. The first test parses the DTB QEMU itself generates for the machine
 * every demo boots (TESSERA_PLATFORM_DTB, set by `make unit`); the others
 * build trees with libfdt's sequential-write API: a board unlike QEMU (two
 * RAM banks, a bus with a ranges offset, sparse MPIDRs, HVC) and one broken
 * tree per error, each checked against its exact message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <drivers/uart.h>
#include "../../hyp/core/platform_internal.h"

static struct platform plat;
static char err[256];

/* ---------------------------------------------------------------- QEMU virt */

static void *read_dtb(const char *path)
{
	FILE *f = fopen(path, "rb");
	static char buf[4 << 20];
	size_t n;

	if (!f)
		fail_msg("cannot open %s (set TESSERA_PLATFORM_DTB or run `make unit`)", path);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_true(n > sizeof(struct fdt_header) && n < sizeof(buf));
	return buf;
}

/* -M virt,virtualization=on,gic-version=3,iommu=smmuv3 -cpu cortex-a76 -smp 4 -m 1G */
static void test_qemu_virt(void **state)
{
	const char *path = getenv("TESSERA_PLATFORM_DTB");
	const void *fdt = read_dtb(path ? path : "build/qemu-virt/platform.dtb");

	(void)state;
	assert_int_equal(platform_parse(fdt, &plat, err, sizeof(err)), 0);
	assert_string_equal(err, "");

	assert_int_equal(plat.ram_count, 1);
	assert_int_equal(plat.ram[0].base, 0x40000000);
	assert_int_equal(plat.ram[0].size, 0x40000000);

	assert_int_equal(plat.cpu_count, 4);
	for (unsigned int i = 0; i < 4; i++)
		assert_int_equal(plat.cpu_mpidr[i], i);

	assert_int_equal(plat.gicd.base, 0x08000000);
	assert_int_equal(plat.gicd.size, 0x10000);
	assert_int_equal(plat.gicr_count, 1);
	assert_int_equal(plat.gicr[0].base, 0x080a0000);
	assert_int_equal(plat.gicr[0].size, 0xf60000);
	assert_int_equal(plat.gic_maint_intid, 25); /* PPI 9 */

	assert_int_equal(plat.uart.kind, UART_PL011);
	assert_int_equal(plat.uart.reg_count, 1);
	assert_int_equal(plat.uart.regs[0].base, 0x09000000);
	assert_int_equal(plat.uart.regs[0].size, 0x1000);
	assert_int_equal(plat.uart_intid, 33); /* SPI 1 */

	assert_int_equal(plat.timer_intid[0], 29);
	assert_int_equal(plat.timer_intid[1], 30);
	assert_int_equal(plat.timer_intid[2], 27);
	assert_int_equal(plat.timer_intid[3], 26);

	/* arm,armv8-pmuv3, PPI 7: the bandwidth regulator counts INST_RETIRED, with QEMU's quirks. */
	assert_int_equal(plat.pmu.intid, 23);
	assert_int_equal(plat.pmu.event, 0x08);
	assert_true(plat.pmu.irq_needs_pmcr_e);
	assert_true(plat.pmu.overflow_at_exception);

	assert_int_equal(plat.psci_conduit, PSCI_CONDUIT_SMC);
	assert_int_equal(plat.psci_cpu_on, 0xC4000003);
	assert_int_equal(plat.psci_system_off, 0x84000008);
}

/* The SMMUv3 and the PCIe host bridge behind it, on the same machine. */
/* An interrupt parent's #address-cells past any sane count is refused, not used as an offset (fuzz_platform). */
static void test_pci_intx_parent_cells_bounded(void **state)
{
	const char *path = getenv("TESSERA_PLATFORM_DTB");
	static char copy[1 << 20];
	const void *fdt = read_dtb(path ? path : "build/qemu-virt/platform.dtb");
	struct pci_intx_entry e;
	int gic;

	(void)state;
	assert_int_equal(fdt_open_into(fdt, copy, sizeof(copy)), 0);
	gic = fdt_path_offset(copy, "/intc@8000000");
	assert_true(gic >= 0);
	assert_int_equal(fdt_setprop_u32(copy, gic, "#address-cells", 0xff000002), 0);
	assert_int_equal(platform_parse(copy, &plat, err, sizeof(err)), 0);
	assert_int_equal(platform_pci_intx(&plat, fdt_path_offset(copy, "/pcie@10000000"), 0, &e), -1);
}

static void test_qemu_virt_smmu(void **state)
{
	static const char *const names[] = { "eventq", "priq", "cmdq-sync", "gerror" };
	const char *path = getenv("TESSERA_PLATFORM_DTB");
	const void *fdt = read_dtb(path ? path : "build/qemu-virt/platform.dtb");
	const struct platform_iommu *smmu = &plat.iommus[0];
	struct platform_streams streams[4];

	(void)state;
	assert_int_equal(platform_parse(fdt, &plat, err, sizeof(err)), 0);
	assert_int_equal(plat.iommu_count, 1);
	assert_int_equal(fdt_node_check_compatible(fdt, smmu->node, "arm,smmu-v3"), 0);
	assert_int_equal(smmu->cells, 1);
	assert_int_equal(smmu->reg_count, 1);
	assert_int_equal(smmu->regs[0].base, 0x09050000);
	assert_int_equal(smmu->regs[0].size, 0x20000);
	assert_int_equal(smmu->irq_count, 4);
	for (unsigned int i = 0; i < 4; i++) {
		assert_int_equal(smmu->intid[i], 32 + 74 + i); /* SPIs 74-77, edge rising */
		assert_true(smmu->edge[i]);
		assert_string_equal(smmu->irq_name[i], names[i]);
	}
	assert_ptr_equal(platform_iommu_by_phandle(&plat, smmu->phandle), smmu);
	assert_null(platform_iommu_by_phandle(&plat, 0));

	/* iommu-map = <0 &smmu 0 0x10000>: every requester ID is its own stream. */
	assert_int_equal(platform_device_streams(fdt, fdt_path_offset(fdt, "/pcie@10000000"), streams,
						 ARRAY_SIZE(streams), err, sizeof(err)),
			 1);
	assert_int_equal(streams[0].iommu_phandle, smmu->phandle);
	assert_int_equal(streams[0].sid_base, 0);
	assert_int_equal(streams[0].count, 0x10000);
	/* The UART does no DMA. */
	assert_int_equal(platform_device_streams(fdt, fdt_path_offset(fdt, "/pl011@9000000"), streams,
						 ARRAY_SIZE(streams), err, sizeof(err)),
			 0);
}

static void test_cpu_index_and_ram(void **state)
{
	(void)state;
	memset(&plat, 0, sizeof(plat));
	plat.cpu_count = 3;
	plat.cpu_mpidr[0] = 0x0;
	plat.cpu_mpidr[1] = 0x100;
	plat.cpu_mpidr[2] = 0x1000010200ULL;
	plat.ram_count = 2;
	plat.ram[0] = (struct mem_range){ 0x80000000, 0x40000000 };
	plat.ram[1] = (struct mem_range){ 0x100000000ULL, 0x40000000 };

	assert_int_equal(platform_cpu_index(&plat, 0x100), 1);
	/* MPIDR_EL1 as read: bit 31 RES1 and the MT/U bits are not affinity. */
	assert_int_equal(platform_cpu_index(&plat, 0x80000000ULL | 0x100), 1);
	assert_int_equal(platform_cpu_index(&plat, 0x1080010200ULL), 2);
	assert_int_equal(platform_cpu_index(&plat, 0x200), -1);

	assert_true(platform_range_in_ram(&plat, 0x80000000, 0x40000000));
	assert_true(platform_range_in_ram(&plat, 0x100000000ULL, 0x200000));
	assert_false(platform_range_in_ram(&plat, 0xbfe00000, 0x400000)); /* past bank 0 */
	assert_false(platform_range_in_ram(&plat, 0x7fe00000, 0x400000)); /* before it */
	assert_false(platform_range_in_ram(&plat, 0xa0000000, 0));
	assert_false(platform_range_in_ram(&plat, 0xffffffffffe00000ULL, 0x400000)); /* wraps */
}

/* ---------------------------------------------------------------- built trees */

/* What the built tree gets wrong; all zero is a good non-QEMU board. */
struct knobs {
	bool no_memory, overlapping_ram, no_cpus, dup_mpidr, bad_mpidr, no_gic, no_timer;
	bool no_psci, psci_0_1, psci_bad_method, psci_cpu_on, no_chosen, uart_unknown;
	bool uart_irq_ppi, uart_irq_elsewhere, uart_outside_ranges, bus_no_ranges;
	bool iommu_irq_ppi, iommu_two_cells, iommu_map_short;
	bool timer_eppi, uart_irq_espi, device_irq_espi; /* GICv3.1 extended INTIDs */
	bool device_resets; /* the device names a reset controller (the SMMU node stands in) */
	bool orin_nano_cpus; /* the six CPUs UEFI leaves on a floorswept Orin Nano */
	int redist_regions; /* #redistributor-regions, 0: default (property absent) */
	int timer_irqs;     /* 0: all four */
	const char *stdout_path;
};

#define GIC_PHANDLE 1
#define OTHER_IRQCHIP_PHANDLE 2
#define SMMU_PHANDLE 3

static char tree[8192];

#define SW(call) assert_int_equal((call), 0)

static void prop_cells(const char *name, const u32 *cells, int n)
{
	fdt32_t be[32];

	assert_true(n <= 32);
	for (int i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(cells[i]);
	SW(fdt_property(tree, name, be, n * 4));
}

#define CELLS(name, ...)                                   \
	do {                                               \
		const u32 c_[] = { __VA_ARGS__ };          \
		prop_cells(name, c_, (int)ARRAY_SIZE(c_)); \
	} while (0)
/* A string list: the literal's embedded NULs separate the entries. */
#define STRINGS(name, lit) SW(fdt_property(tree, name, lit, sizeof(lit)))

static void build_memory(const struct knobs *k)
{
	if (k->no_memory)
		return;
	/* The high bank first: the parser must sort. */
	SW(fdt_begin_node(tree, "memory@100000000"));
	STRINGS("device_type", "memory");
	CELLS("reg", 0x1, 0x0, 0x0, 0x40000000);
	SW(fdt_end_node(tree));
	/* Two touching banks that become one, and an empty one that is skipped. */
	SW(fdt_begin_node(tree, "memory@80000000"));
	STRINGS("device_type", "memory");
	CELLS("reg", 0x0, 0x80000000, 0x0, 0x20000000, 0x0, 0xa0000000, 0x0, 0x20000000, 0x0,
	      0xf0000000, 0x0, 0x0);
	SW(fdt_end_node(tree));
	if (k->overlapping_ram) {
		SW(fdt_begin_node(tree, "memory@90000000"));
		STRINGS("device_type", "memory");
		CELLS("reg", 0x0, 0x90000000, 0x0, 0x1000000);
		SW(fdt_end_node(tree));
	}
}

static void build_cpu(const char *name, u32 mpidr, const char *status)
{
	SW(fdt_begin_node(tree, name));
	STRINGS("device_type", "cpu");
	STRINGS("compatible", "arm,cortex-a78");
	CELLS("reg", 0x0, mpidr);
	if (status)
		SW(fdt_property_string(tree, "status", status));
	SW(fdt_end_node(tree));
}

static void build_cpus(const struct knobs *k)
{
	if (k->no_cpus)
		return;
	SW(fdt_begin_node(tree, "cpus"));
	CELLS("#address-cells", 2);
	CELLS("#size-cells", 0);
	SW(fdt_begin_node(tree, "cpu-map")); /* no device_type: not a CPU */
	SW(fdt_end_node(tree));
	if (k->orin_nano_cpus) {
		static const u32 nano[] = { 0x0, 0x100, 0x200, 0x300, 0x10200, 0x10300 };
		char name[16];

		for (unsigned int i = 0; i < ARRAY_SIZE(nano); i++) {
			snprintf(name, sizeof(name), "cpu@%x", nano[i]);
			build_cpu(name, nano[i], NULL);
		}
		SW(fdt_end_node(tree));
		return;
	}
	build_cpu("cpu@0", 0x0, NULL);
	build_cpu("cpu@100", 0x100, "okay");
	build_cpu("cpu@200", 0x200, "fail"); /* broken: skipped */
	build_cpu("cpu@10200", k->bad_mpidr ? 0x1010200 : 0x10200, "disabled"); /* quiescent */
	if (k->dup_mpidr)
		build_cpu("cpu@10201", 0x100, NULL);
	SW(fdt_end_node(tree));
}

/* A bus whose child address 0 is CPU address 0x10000000. */
static void build_soc(const struct knobs *k)
{
	SW(fdt_begin_node(tree, "soc"));
	STRINGS("compatible", "simple-bus");
	CELLS("#address-cells", 1);
	CELLS("#size-cells", 1);
	if (!k->bus_no_ranges)
		CELLS("ranges", 0x0, 0x0, 0x10000000, 0x10000000);

	if (!k->no_gic) {
		SW(fdt_begin_node(tree, "interrupt-controller@f400000"));
		STRINGS("compatible", "arm,gic-v3");
		SW(fdt_property(tree, "interrupt-controller", NULL, 0));
		CELLS("#interrupt-cells", 3);
		CELLS("reg", 0x0f400000, 0x10000, 0x0f440000, 0x100000, 0x0f540000, 0x100000);
		if (k->redist_regions)
			CELLS("#redistributor-regions", (u32)k->redist_regions);
		CELLS("interrupts", 1, 9, 4);
		CELLS("phandle", GIC_PHANDLE);
		SW(fdt_end_node(tree));
	}

	SW(fdt_begin_node(tree, "serial@31d0000"));
	if (k->uart_unknown)
		STRINGS("compatible", "xlnx,xuartps");
	else
		STRINGS("compatible", "arm,pl011\0arm,primecell");
	CELLS("reg", k->uart_outside_ranges ? 0x0ffff000 : 0x031d0000, 0x10000);
	if (k->uart_irq_espi)
		CELLS("interrupts", 2, 5, 4); /* ESPI 5: INTID 4101 */
	else
		CELLS("interrupts", k->uart_irq_ppi ? 1 : 0, k->uart_irq_ppi ? 13 : 285, 4);
	if (k->uart_irq_elsewhere)
		CELLS("interrupt-parent", OTHER_IRQCHIP_PHANDLE);
	SW(fdt_end_node(tree));

	/* An Orin-like MMU-500 pair (two reg entries), a master, a PCI host bridge. */
	SW(fdt_begin_node(tree, "iommu@2000000"));
	STRINGS("compatible", "nvidia,tegra234-smmu\0nvidia,smmu-500");
	CELLS("reg", 0x02000000, 0x1000000, 0x01000000, 0x1000000);
	CELLS("interrupts", 0, 170, 4, k->iommu_irq_ppi ? 1 : 0, k->iommu_irq_ppi ? 8 : 232, 4, 0,
	      170, 4);
	CELLS("#iommu-cells", k->iommu_two_cells ? 2 : 1);
	CELLS("phandle", SMMU_PHANDLE);
	SW(fdt_end_node(tree));
	SW(fdt_begin_node(tree, "ethernet@6800000"));
	CELLS("reg", 0x06800000, 0x10000);
	CELLS("iommus", SMMU_PHANDLE, 0x6, SMMU_PHANDLE, 0x49);
	if (k->device_resets)
		CELLS("resets", SMMU_PHANDLE, 7);
	if (k->device_irq_espi)
		CELLS("interrupts", 0, 600, 4, 2, 1023, 4); /* SPI 600, then ESPI 1023: INTID 5119 */
	else
		CELLS("interrupts", 0, 600, 4); /* INTID 632: above Orin's highest (581) */
	SW(fdt_end_node(tree));
	SW(fdt_begin_node(tree, "pcie@14100000"));
	STRINGS("device_type", "pci");
	CELLS("reg", 0x04100000, 0x20000);
	if (k->iommu_map_short)
		CELLS("iommu-map", 0x0, SMMU_PHANDLE, 0xe0);
	else
		CELLS("iommu-map", 0x0, SMMU_PHANDLE, 0xe0, 0x1000);
	SW(fdt_end_node(tree));

	SW(fdt_begin_node(tree, "interrupt-controller@2a41000")); /* a second irqchip */
	STRINGS("compatible", "nvidia,tegra234-agic");
	SW(fdt_property(tree, "interrupt-controller", NULL, 0));
	CELLS("phandle", OTHER_IRQCHIP_PHANDLE);
	SW(fdt_end_node(tree));
	SW(fdt_end_node(tree));
}

static void build_timer_psci_chosen(const struct knobs *k)
{
	if (!k->no_timer) {
		u32 irqs[] = { 1, 13, 8, 1, 14, 8, 1, 11, 8, 1, 10, 8 };

		/* The virtual timer as EPPI 2, INTID 1058: past the vGIC's 32 private INTIDs. */
		if (k->timer_eppi)
			irqs[6] = 3, irqs[7] = 2;

		SW(fdt_begin_node(tree, "timer"));
		STRINGS("compatible", "arm,armv8-timer\0arm,armv7-timer");
		prop_cells("interrupts", irqs, (k->timer_irqs ? k->timer_irqs : 4) * 3);
		SW(fdt_end_node(tree));
	}
	if (!k->no_psci) {
		SW(fdt_begin_node(tree, "psci"));
		if (k->psci_0_1)
			STRINGS("compatible", "arm,psci");
		else
			STRINGS("compatible", "arm,psci-1.0");
		SW(fdt_property_string(tree, "method", k->psci_bad_method ? "svc" : "hvc"));
		if (k->psci_cpu_on)
			CELLS("cpu_on", 0x95c1ba5e);
		SW(fdt_end_node(tree));
	}
	SW(fdt_begin_node(tree, "aliases"));
	SW(fdt_property_string(tree, "serial0", "/soc/serial@31d0000"));
	SW(fdt_end_node(tree));
	if (!k->no_chosen) {
		SW(fdt_begin_node(tree, "chosen"));
		SW(fdt_property_string(tree, "stdout-path",
				       k->stdout_path ? k->stdout_path : "serial0:115200n8"));
		SW(fdt_end_node(tree));
	}
}

static const void *build(const struct knobs *k)
{
	SW(fdt_create(tree, sizeof(tree)));
	SW(fdt_finish_reservemap(tree));
	SW(fdt_begin_node(tree, ""));
	CELLS("#address-cells", 2);
	CELLS("#size-cells", 2);
	CELLS("interrupt-parent", GIC_PHANDLE);
	build_memory(k);
	build_cpus(k);
	build_soc(k);
	build_timer_psci_chosen(k);
	SW(fdt_end_node(tree));
	SW(fdt_finish(tree));
	return tree;
}

static void test_other_board(void **state)
{
	const struct knobs k = { .redist_regions = 2 };

	(void)state;
	assert_int_equal(platform_parse(build(&k), &plat, err, sizeof(err)), 0);

	assert_int_equal(plat.ram_count, 2);
	assert_int_equal(plat.ram[0].base, 0x80000000);
	assert_int_equal(plat.ram[0].size, 0x40000000); /* two touching banks, merged */
	assert_int_equal(plat.ram[1].base, 0x100000000ULL);
	assert_int_equal(plat.ram[1].size, 0x40000000);

	assert_int_equal(plat.cpu_count, 3);
	assert_int_equal(plat.cpu_mpidr[0], 0x0);
	assert_int_equal(plat.cpu_mpidr[1], 0x100);
	assert_int_equal(plat.cpu_mpidr[2], 0x10200);

	/* Addresses went through the bus's ranges: +0x10000000. */
	assert_int_equal(plat.gicd.base, 0x1f400000);
	assert_int_equal(plat.gicr_count, 2);
	assert_int_equal(plat.gicr[0].base, 0x1f440000);
	assert_int_equal(plat.gicr[1].base, 0x1f540000);
	assert_int_equal(plat.gicr[1].size, 0x100000);
	assert_int_equal(plat.gic_maint_intid, 25);
	assert_int_equal(plat.uart.regs[0].base, 0x131d0000);
	assert_int_equal(plat.uart_intid, 317); /* SPI 285 */
	assert_int_equal(plat.timer_intid[1], 30);
	assert_int_equal(plat.psci_conduit, PSCI_CONDUIT_HVC);
	assert_int_equal(plat.psci_cpu_on, 0xC4000003);

	assert_int_equal(plat.iommu_count, 1);
	assert_int_equal(plat.iommus[0].phandle, SMMU_PHANDLE);
	assert_int_equal(plat.iommus[0].reg_count, 2);
	assert_int_equal(plat.iommus[0].regs[0].base, 0x12000000);
	assert_int_equal(plat.iommus[0].regs[1].base, 0x11000000);
	assert_int_equal(plat.iommus[0].irq_count, 3);
	assert_int_equal(plat.iommus[0].intid[1], 264); /* SPI 232 */
	assert_false(plat.iommus[0].edge[1]);
	assert_string_equal(plat.iommus[0].irq_name[0], "");
}

static void test_device_streams(void **state)
{
	struct knobs k = { 0 };
	struct platform_streams s[2];
	const void *fdt = build(&k);

	(void)state;
	assert_int_equal(platform_device_streams(fdt, fdt_path_offset(fdt, "/soc/ethernet@6800000"),
						 s, 2, err, sizeof(err)),
			 2);
	assert_int_equal(s[0].iommu_phandle, SMMU_PHANDLE);
	assert_int_equal(s[0].sid_base, 0x6);
	assert_int_equal(s[0].count, 1);
	assert_int_equal(s[1].sid_base, 0x49);
	assert_int_equal(platform_device_streams(fdt, fdt_path_offset(fdt, "/soc/pcie@14100000"), s,
						 2, err, sizeof(err)),
			 1);
	assert_int_equal(s[0].sid_base, 0xe0);
	assert_int_equal(s[0].count, 0x1000);

	/* Refusals name the node and say why. */
	assert_int_equal(platform_device_streams(fdt, fdt_path_offset(fdt, "/soc/ethernet@6800000"),
						 s, 1, err, sizeof(err)),
			 -1);
	assert_string_equal(err, "/soc/ethernet@6800000: uses more stream ID ranges than Tessera keeps");
	k.iommu_two_cells = true;
	fdt = build(&k);
	assert_int_equal(platform_device_streams(fdt, fdt_path_offset(fdt, "/soc/ethernet@6800000"),
						 s, 2, err, sizeof(err)),
			 -1);
	assert_string_equal(err, "/soc/ethernet@6800000: its IOMMU has #iommu-cells other than 1; "
				 "Tessera reads one-cell stream IDs only");
	k = (struct knobs){ .iommu_map_short = true };
	fdt = build(&k);
	assert_int_equal(platform_device_streams(fdt, fdt_path_offset(fdt, "/soc/pcie@14100000"), s,
						 2, err, sizeof(err)),
			 -1);
	assert_string_equal(err, "/soc/pcie@14100000: iommu-map is not a list of "
				 "<rid-base &iommu sid-base length>");
}

static void test_stdout_path_forms(void **state)
{
	struct knobs k = { .stdout_path = "/soc/serial@31d0000" };

	(void)state;
	assert_int_equal(platform_parse(build(&k), &plat, err, sizeof(err)), 0);
	assert_int_equal(plat.uart.regs[0].base, 0x131d0000);
	k.stdout_path = "serial0";
	assert_int_equal(platform_parse(build(&k), &plat, err, sizeof(err)), 0);
	assert_int_equal(plat.uart.regs[0].base, 0x131d0000);
}

static void test_psci_variants(void **state)
{
	struct knobs k = { .psci_cpu_on = true };

	(void)state;
	/* A cpu_on property overrides the standard ID. */
	assert_int_equal(platform_parse(build(&k), &plat, err, sizeof(err)), 0);
	assert_int_equal(plat.psci_cpu_on, 0x95c1ba5e);
	/* PSCI 0.1 works when it names its function. */
	k.psci_0_1 = true;
	assert_int_equal(platform_parse(build(&k), &plat, err, sizeof(err)), 0);
	assert_int_equal(plat.psci_cpu_on, 0x95c1ba5e);
	assert_int_equal(plat.psci_system_off, 0x84000008);
}

struct bad_tree {
	struct knobs knobs;
	const char *message;
};

static const struct bad_tree bad_trees[] = {
	{ { .no_memory = true },
	  "/memory: no RAM (no node with device_type \"memory\" and a reg)" },
	{ { .overlapping_ram = true }, "/memory: RAM banks at 0x80000000 and 0x90000000 overlap" },
	{ { .no_cpus = true }, "/cpus: missing" },
	{ { .dup_mpidr = true }, "/cpus/cpu@10201: MPIDR 0x100 appears twice" },
	{ { .bad_mpidr = true },
	  "/cpus/cpu@10200: reg 0x1010200 has bits outside MPIDR Aff3..Aff0" },
	{ { .no_gic = true }, "/: no interrupt controller compatible with \"arm,gic-v3\"" },
	{ { .redist_regions = 3 },
	  "/soc/interrupt-controller@f400000: reg has 3 entries, Tessera needs at least 4" },
	{ { .redist_regions = 9 },
	  "/soc/interrupt-controller@f400000: #redistributor-regions = 9; Tessera handles 1 to 4" },
	{ { .no_chosen = true }, "/chosen: no stdout-path naming the console UART" },
	{ { .stdout_path = "serial1:115200n8" }, "/chosen: stdout-path \"serial1\" names no node" },
	{ { .uart_unknown = true },
	  "/soc/serial@31d0000: no console driver for its compatible (Tessera drives a PL011, "
	  "a 16550 or the Tegra TCU)" },
	{ { .uart_irq_ppi = true }, "/soc/serial@31d0000: interrupt INTID 29 is not an SPI" },
	{ { .uart_irq_elsewhere = true },
	  "/soc/serial@31d0000: its interrupt-parent is not the GICv3" },
	{ { .uart_outside_ranges = true },
	  "/soc: 0xffff000+0x10000 of serial@31d0000 is outside its ranges" },
	{ { .bus_no_ranges = true },
	  "/soc: no ranges property, so serial@31d0000 has no CPU address" },
	{ { .no_timer = true }, "/: no timer compatible with \"arm,armv8-timer\"" },
	{ { .timer_irqs = 3 }, "/timer: 3 interrupts; the generic timer needs 4 PPIs" },
	{ { .no_psci = true },
	  "/psci: missing (no node compatible with \"arm,psci-1.0\", \"arm,psci-0.2\" or "
	  "\"arm,psci\")" },
	{ { .psci_bad_method = true }, "/psci: method must be \"smc\" or \"hvc\"" },
	{ { .psci_0_1 = true }, "/psci: PSCI 0.1 needs a one-cell cpu_on function ID" },
	{ { .iommu_irq_ppi = true }, "/soc/iommu@2000000: interrupt 1 (INTID 24) is not an SPI" },
	{ { .timer_eppi = true },
	  "/timer: interrupt 2 <3 2> is in the GICv3.1 extended PPI range; Tessera uses SPIs "
	  "32-1019 and PPIs 16-31 only" },
	{ { .uart_irq_espi = true },
	  "/soc/serial@31d0000: interrupt 0 <2 5> is in the GICv3.1 extended SPI range; Tessera "
	  "uses SPIs 32-1019 and PPIs 16-31 only" },
};

/* Orin Nano: MPIDRs with a gap and a second cluster, kept as the DT gives them, in DT order. */
static void test_orin_nano_mpidrs(void **state)
{
	static const u64 nano[] = { 0x0, 0x100, 0x200, 0x300, 0x10200, 0x10300 };
	const struct knobs k = { .orin_nano_cpus = true };

	(void)state;
	assert_int_equal(platform_parse(build(&k), &plat, err, sizeof(err)), 0);
	assert_int_equal(plat.cpu_count, 6);
	for (unsigned int i = 0; i < ARRAY_SIZE(nano); i++)
		assert_int_equal(plat.cpu_mpidr[i], nano[i]);
	/* MPIDR_EL1 as a CPU reads it (bit 31 RES1) finds its index; a floorswept one none. */
	assert_int_equal(platform_cpu_index(&plat, 0x80010300), 5);
	assert_int_equal(platform_cpu_index(&plat, 0x80010200), 4);
	assert_int_equal(platform_cpu_index(&plat, 0x80010000), -1);
}

/* The extended ranges are no INTIDs for Tessera, whoever asks (IHI 0069H 2.2.1). */
static void test_extended_intids_refused(void **state)
{
	(void)state;
	assert_true(intid_is_ppi(16) && intid_is_ppi(31));
	assert_false(intid_is_ppi(1056) || intid_is_ppi(1119) || intid_is_ppi(32));
	assert_true(intid_is_spi(32) && intid_is_spi(1019));
	assert_false(intid_is_spi(1020) || intid_is_spi(4096) || intid_is_spi(5119));
}

/* A device given to a VM: an SPI up to 1019 passes, an ESPI is refused by name. */
static void test_device_spi_range(void **state)
{
	struct knobs k = { 0 };
	struct platform_device dev;

	(void)state;
	assert_int_equal(platform_parse(build(&k), &plat, err, sizeof(err)), 0);
	assert_int_equal(platform_device_resolve(&plat, "/soc/ethernet@6800000", &dev, err,
						 sizeof(err)),
			 0);
	assert_int_equal(dev.irq_count, 1);
	assert_int_equal(dev.intid[0], 632);
	k.device_irq_espi = true;
	assert_int_equal(platform_parse(build(&k), &plat, err, sizeof(err)), 0);
	assert_int_equal(platform_device_resolve(&plat, "/soc/ethernet@6800000", &dev, err,
						 sizeof(err)),
			 -1);
	assert_string_equal(err, "/soc/ethernet@6800000: interrupt 1 <2 1023> is in the GICv3.1 "
				 "extended SPI range; Tessera uses SPIs 32-1019 and PPIs 16-31 only");
}

/*
 * On a board without a BPMP (this one) a device's resets are nobody a VM can
 * be given: refused, naming the entry; the BPMP's own are tested on the AGX
 * Orin DT (test_config_tegra234.c).
 */
static void test_device_resets_need_the_bpmp(void **state)
{
	struct knobs k = { .device_resets = true };
	struct platform_device dev;

	(void)state;
	assert_int_equal(platform_parse(build(&k), &plat, err, sizeof(err)), 0);
	assert_false(plat.bpmp.present);
	assert_int_equal(platform_device_resolve(&plat, "/soc/ethernet@6800000", &dev, err,
						 sizeof(err)),
			 -1);
	assert_string_equal(err, "/soc/ethernet@6800000: resets entry 0 is not the BPMP's; Tessera "
				 "gives VMs BPMP resets only (through their virtual BPMP)");
}

static void test_bad_trees(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(bad_trees); i++) {
		memset(err, 0, sizeof(err));
		if (platform_parse(build(&bad_trees[i].knobs), &plat, err, sizeof(err)) != -1)
			fail_msg("bad tree %u (%s) was accepted", i, bad_trees[i].message);
		if (strcmp(err, bad_trees[i].message) != 0)
			fail_msg("bad tree %u:\n  got  %s\n  want %s", i, err,
				 bad_trees[i].message);
	}
}

/* The console comes first and whole, so the hypervisor can say what else is wrong. */
static void test_console_survives_failure(void **state)
{
	struct knobs k = { .no_memory = true };

	(void)state;
	assert_int_equal(platform_parse(build(&k), &plat, err, sizeof(err)), -1);
	assert_int_equal(plat.uart.regs[0].base, 0x131d0000);
	assert_int_equal(plat.uart.regs[0].size, 0x10000);

	/* A console address that did not translate is not half set. */
	k = (struct knobs){ .uart_outside_ranges = true };
	assert_int_equal(platform_parse(build(&k), &plat, err, sizeof(err)), -1);
	assert_int_equal(plat.uart.regs[0].base, 0);
	assert_int_equal(plat.uart.regs[0].size, 0);
}

static void test_not_a_tree(void **state)
{
	static const char junk[64] = "not a device tree";

	(void)state;
	assert_int_equal(platform_parse(junk, &plat, err, sizeof(err)), -1);
	assert_string_equal(err, "/: not a valid device tree (libfdt: FDT_ERR_BADMAGIC)");
	/* A short buffer still gets a terminated, truncated reason; none at all is fine. */
	assert_int_equal(platform_parse(junk, &plat, err, 8), -1);
	assert_string_equal(err, "/: not "); /* 7 characters and the NUL */
	assert_int_equal(platform_parse(junk, &plat, NULL, 0), -1);
}

/* A tree whose structure lies about its size must be refused before any walk. */
static void test_truncated_tree(void **state)
{
	const struct knobs k = { 0 };
	struct fdt_header *h = (struct fdt_header *)tree;

	(void)state;
	build(&k);
	h->size_dt_struct = cpu_to_fdt32(fdt_size_dt_struct(tree) + 4096);
	assert_int_equal(platform_parse(tree, &plat, err, sizeof(err)), -1);
	assert_true(strncmp(err, "/: not a valid device tree (libfdt: ", 36) == 0);
}

/*
 * A pre-16 layout (version 15) is refused before fdt_check_full(), which in
 * libfdt 1.6.1 dereferences the NULL fdt_get_name() returns for its root
 * node named "" (found by tests/fuzz/fuzz_config.c on a config blob; a
 * firmware DTB takes the same path at boot).
 */
static void test_old_tree_version(void **state)
{
	const struct knobs k = { 0 };

	(void)state;
	build(&k);
	fdt_set_version(tree, 15);
	fdt_set_last_comp_version(tree, 0);
	assert_int_equal(platform_parse(tree, &plat, err, sizeof(err)), -1);
	assert_string_equal(err, "/: not a valid device tree (libfdt: FDT_ERR_BADVERSION)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_virt),
		cmocka_unit_test(test_qemu_virt_smmu),
		cmocka_unit_test(test_pci_intx_parent_cells_bounded),
		cmocka_unit_test(test_cpu_index_and_ram),
		cmocka_unit_test(test_other_board),
		cmocka_unit_test(test_orin_nano_mpidrs),
		cmocka_unit_test(test_extended_intids_refused),
		cmocka_unit_test(test_device_spi_range),
		cmocka_unit_test(test_device_streams),
		cmocka_unit_test(test_stdout_path_forms),
		cmocka_unit_test(test_psci_variants),
		cmocka_unit_test(test_bad_trees),
		cmocka_unit_test(test_device_resets_need_the_bpmp),
		cmocka_unit_test(test_console_survives_failure),
		cmocka_unit_test(test_not_a_tree),
		cmocka_unit_test(test_truncated_tree),
		cmocka_unit_test(test_old_tree_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
