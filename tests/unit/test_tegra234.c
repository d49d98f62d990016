/*
 * The platform parser (hyp/core/platform.c) against Tegra234 as its device
 * trees describe it:
 *   - Jetson AGX Orin devkit: the real DT, built from Debian's linux-source-6.1
 *     by tools/tegra234-dtb.sh (TESSERA_TEGRA234_DTB, default
 *     build/tegra234/tegra234-p3737-0000+p3701-0000.dtb). Without it (offline,
 *     no package) every AGX test is SKIPPED and says why.
 *   - Jetson Orin Nano: tests/unit/dts/tegra234-orin-nano.dts, written by hand
 *     from the documented facts (TESSERA_ORIN_NANO_DTB, default
 *     build/host/tests/dts/tegra234-orin-nano.dtb).
 * Expected values are the hardware's, from ../shared/reference/orin-hardware.md
 * (sections 2-6) and the DT sources it cites.
 *
 * The trees have no /memory: on Orin RAM comes from the UEFI memory map.
 * test_parse_as_given parses the tree as firmware gives it with RAM from a
 * UEFI-like map; the other tests use a copy with a /memory bank below TZDRAM
 * added (fill_gaps). The console is parsed as firmware gives it: the TCU on
 * its two HSP mailboxes.
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

#define DTB_MAX (1 << 20)
#define FILL_ROOM 4096 /* what the gap fills add */

struct board {
	const char *name;
	const char *env, *default_path, *how_to_make;
	unsigned int cpus;
	struct { u8 cluster, core; } cpu[PLATFORM_MAX_CPUS]; /* in /cpus order */
	u64 absent_mpidr; /* a floorswept or nonexistent CPU: must not be found */

	/* Loaded on first use. */
	bool tried;
	char why[512];              /* why the DTB is unavailable */
	char *fdt;                  /* as built */
	char *filled;               /* with the known gaps filled */
	char gaps[160];             /* which ones, for messages */
	struct platform plat;       /* parsed from filled */
	char err[256];
};

static struct board agx = {
	.name = "AGX Orin devkit (real DT)",
	.env = "TESSERA_TEGRA234_DTB",
	.default_path = "build/tegra234/tegra234-p3737-0000+p3701-0000.dtb",
	.how_to_make = "`make unit` or `bash tools/tegra234-dtb.sh` builds it (network once)",
	/* 3 clusters x 4 cores, tegra234.dtsi cpus (orin-hardware.md section 2). */
	.cpus = 12,
	.cpu = { { 0, 0 }, { 0, 1 }, { 0, 2 }, { 0, 3 }, { 1, 0 }, { 1, 1 },
		 { 1, 2 }, { 1, 3 }, { 2, 0 }, { 2, 1 }, { 2, 2 }, { 2, 3 } },
	.absent_mpidr = 0x30000, /* no cluster 3 */
};

static struct board nano = {
	.name = "Orin Nano (hand-written DT)",
	.env = "TESSERA_ORIN_NANO_DTB",
	.default_path = "build/host/tests/dts/tegra234-orin-nano.dtb",
	.how_to_make = "`make unit` compiles tests/unit/dts/tegra234-orin-nano.dts",
	/* UEFI deleted the floorswept CPUs: cluster 1 keeps cores 2 and 3 (section 2). */
	.cpus = 6,
	.cpu = { { 0, 0 }, { 0, 1 }, { 0, 2 }, { 0, 3 }, { 1, 2 }, { 1, 3 } },
	.absent_mpidr = 0x10000, /* cluster 1 core 0: floorswept */
};

static u64 mpidr_of(unsigned int cluster, unsigned int core)
{
	return (u64)cluster << 16 | (u64)core << 8; /* Aff2 cluster, Aff1 core, Aff0 0 */
}

static char *read_file(const char *path, char *why, size_t why_size)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (!f) {
		/* tools/tegra234-dtb.sh leaves the reason it could not build the DTB. */
		char upath[512], reason[256] = "";
		FILE *u;

		snprintf(upath, sizeof(upath), "%s.unavailable", path);
		u = fopen(upath, "r");
		if (u) {
			if (!fgets(reason, sizeof(reason), u))
				reason[0] = '\0';
			reason[strcspn(reason, "\n")] = '\0';
			fclose(u);
		}
		snprintf(why, why_size, "%s is missing%s%s", path, reason[0] ? ": " : "", reason);
		return NULL;
	}
	buf = malloc(DTB_MAX);
	assert_non_null(buf);
	n = fread(buf, 1, DTB_MAX, f);
	fclose(f);
	if (n <= sizeof(struct fdt_header) || n == DTB_MAX || fdt_check_header(buf)) {
		snprintf(why, why_size, "%s is not a device tree blob", path);
		free(buf);
		return NULL;
	}
	return buf;
}

static bool has_memory_node(const void *fdt)
{
	int node;

	fdt_for_each_subnode(node, fdt, 0)
		if (prop_is(fdt, node, "device_type", "memory"))
			return true;
	return false;
}

/* The node /chosen/stdout-path names (before any ':options'), or < 0. */
static int stdout_node(const void *fdt)
{
	const char *sp = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path", NULL);

	return sp ? fdt_path_offset_namelen(fdt, sp, (int)strcspn(sp, ":")) : -1;
}

static void set_cells(void *fdt, int node, const char *name, const u32 *v, int n)
{
	fdt32_t cells[8];

	for (int i = 0; i < n; i++)
		cells[i] = cpu_to_fdt32(v[i]);
	assert_int_equal(fdt_setprop(fdt, node, name, cells, n * (int)sizeof(cells[0])), 0);
}

/*
 * A copy of @b's tree with the known gaps filled, only those the parser
 * refuses: RAM 0x80000000 + 992 MiB (DRAM base; seL4's first window, below
 * TZDRAM at 0xbe000000: orin-hardware.md section 1).
 */
static void fill_gaps(struct board *b)
{
	static const u32 ram[] = { 0x0, 0x80000000, 0x0, 0x3e000000 };
	void *fdt;
	int node;

	b->filled = malloc(DTB_MAX);
	assert_non_null(b->filled);
	fdt = b->filled;
	assert_int_equal(fdt_open_into(b->fdt, fdt, (int)fdt_totalsize(b->fdt) + FILL_ROOM), 0);
	if (platform_parse(fdt, &b->plat, b->err, sizeof(b->err)) == 0)
		return; /* nothing to fill: the gaps are closed */
	if (!has_memory_node(fdt)) {
		node = fdt_add_subnode(fdt, 0, "memory@80000000");
		assert_true(node >= 0);
		assert_int_equal(fdt_setprop_string(fdt, node, "device_type", "memory"), 0);
		set_cells(fdt, node, "reg", ram, 4);
		strcat(b->gaps, "/memory added; ");
	}
	if (platform_parse(fdt, &b->plat, b->err, sizeof(b->err)) != 0)
		fail_msg("%s: platform_parse refuses it even with the known gaps filled (%s): %s",
			 b->name, b->gaps, b->err);
}

/* @b loaded and parsed (gaps filled), or the test is skipped saying why. */
static struct board *board(void **state)
{
	struct board *b = *state;

	if (!b->tried) {
		const char *path = getenv(b->env);

		b->tried = true;
		b->fdt = read_file(path ? path : b->default_path, b->why, sizeof(b->why));
		if (b->fdt)
			fill_gaps(b);
		if (b->gaps[0])
			print_message("  %s: the tests below check it with the known gaps filled: %s\n",
				      b->name, b->gaps);
	}
	if (!b->fdt) {
		print_message("SKIPPED %s: %s; %s\n", b->name, b->why, b->how_to_make);
		skip();
	}
	return b;
}

/*
 * The tree exactly as firmware gives it: no /memory, so RAM must come from the
 * UEFI memory map (platform_parse_with_ram, as the EFI entry does). The ranges
 * are the windows around TZDRAM (0xbe000000) orin-hardware.md section 1 gives.
 * Without them the parser must refuse the tree, saying why.
 */
static void test_parse_as_given(void **state)
{
	static const struct mem_range uefi_ram[] = {
		{ 0x80000000, 0x3e000000 }, /* DRAM base up to TZDRAM */
		{ 0xc2000000, 0x3e000000 },
	};
	struct board *b = board(state);
	struct platform p;
	char e[256];

	if (!has_memory_node(b->fdt)) {
		assert_int_not_equal(platform_parse(b->fdt, &p, e, sizeof(e)), 0);
		assert_non_null(strstr(e, "/memory"));
	}
	if (platform_parse_with_ram(b->fdt, uefi_ram, 2, &p, e, sizeof(e)) != 0)
		fail_msg("%s: platform_parse_with_ram refuses the tree as firmware gives it: %s",
			 b->name, e);
	assert_int_equal(p.cpu_count, b->cpus);
	assert_int_equal(p.ram_count, 2);
	assert_int_equal(p.uart.kind, UART_TEGRA_TCU);
}

/* MPIDRs as the DT gives them, gaps and all, in /cpus order (section 2). */
static void test_cpus(void **state)
{
	struct board *b = board(state);
	const struct platform *p = &b->plat;

	assert_int_equal(p->cpu_count, b->cpus);
	for (unsigned int i = 0; i < b->cpus; i++) {
		u64 mpidr = mpidr_of(b->cpu[i].cluster, b->cpu[i].core);

		assert_int_equal(p->cpu_mpidr[i], mpidr);
		/* As MPIDR_EL1 reads on that CPU: bit 31 is RES1 (DDI 0487 D19.2.104). */
		assert_int_equal(platform_cpu_index(p, mpidr | 0x80000000ULL), (int)i);
	}
	assert_int_equal(platform_cpu_index(p, b->absent_mpidr), -1);
}

/* GICv3 at 0x0f400000; one redistributor region of 16 128 KiB frames (section 3). */
static void test_gic(void **state)
{
	const struct platform *p = &board(state)->plat;

	assert_int_equal(p->gicd.base, 0x0f400000);
	assert_int_equal(p->gicd.size, 0x10000);
	assert_int_equal(p->gicr_count, 1);
	assert_int_equal(p->gicr[0].base, 0x0f440000);
	assert_int_equal(p->gicr[0].size, 16 * 0x20000); /* RD_base + SGI_base each, no VLPI */
	assert_int_equal(p->gic_maint_intid, 25);        /* PPI 9 */
}

/* Secure phys, non-secure phys, virtual, hyp: PPIs 13, 14, 11, 10 (section 4). */
static void test_timer(void **state)
{
	const struct platform *p = &board(state)->plat;

	assert_int_equal(p->timer_intid[0], 29);
	assert_int_equal(p->timer_intid[1], 30);
	assert_int_equal(p->timer_intid[2], 27);
	assert_int_equal(p->timer_intid[3], 26);
}

/* The CPU PMU (section 4: arm,cortex-a78-pmu, PPI 7): the bandwidth regulator counts L3D_CACHE_REFILL. */
static void test_pmu(void **state)
{
	const struct platform *p = &board(state)->plat;

	assert_int_equal(p->pmu.intid, 23);
	assert_int_equal(p->pmu.event, 0x2a);
	assert_string_equal(p->pmu.event_name, "L3D_CACHE_REFILL");
	assert_false(p->pmu.irq_needs_pmcr_e);
	assert_false(p->pmu.overflow_at_exception);
}

/* PSCI 1.x in TF-A over SMC, standard function IDs (section 2; DEN0022 5.1). */
static void test_psci(void **state)
{
	const struct platform *p = &board(state)->plat;

	assert_int_equal(p->psci_conduit, PSCI_CONDUIT_SMC);
	assert_int_equal(p->psci_cpu_on, 0xC4000003);
	assert_int_equal(p->psci_system_off, 0x84000008);
}

/*
 * Three MMU-500 nodes: niso1 and niso0 are mirrored pairs (two reg entries),
 * iso one instance; their global interrupts are SPIs 238/242, 240, 170/232,
 * i.e. INTIDs far past 127 (section 6.1).
 */
static void test_smmus(void **state)
{
	static const struct {
		u64 base[2];
		unsigned int regs;
		u32 global[2];
		unsigned int globals;
	} want[] = {
		{ { 0x08000000, 0x07000000 }, 2, { 32 + 238, 32 + 242 }, 2 }, /* niso1 */
		{ { 0x10000000, 0 }, 1, { 32 + 240, 0 }, 1 },                 /* iso */
		{ { 0x12000000, 0x11000000 }, 2, { 32 + 170, 32 + 232 }, 2 }, /* niso0 */
	};
	struct board *b = board(state);
	const struct platform *p = &b->plat;

	assert_int_equal(p->iommu_count, ARRAY_SIZE(want));
	for (unsigned int i = 0; i < ARRAY_SIZE(want); i++) {
		const struct platform_iommu *m = &p->iommus[i];

		assert_int_equal(fdt_node_check_compatible(b->filled, m->node, "nvidia,smmu-500"), 0);
		assert_int_equal(m->cells, 1);
		assert_int_equal(m->reg_count, want[i].regs);
		for (unsigned int r = 0; r < want[i].regs; r++) {
			assert_int_equal(m->regs[r].base, want[i].base[r]);
			assert_int_equal(m->regs[r].size, 0x1000000);
		}
		assert_true(m->irq_count >= want[i].globals);
		for (unsigned int g = 0; g < want[i].globals; g++) {
			assert_int_equal(m->intid[g], want[i].global[g]);
			assert_false(m->edge[g]); /* IRQ_TYPE_LEVEL_HIGH */
		}
	}
}

/*
 * The console the DT names: the TCU, whose TX is AON HSP shared mailbox 1 at
 * 0x0c168000 and RX TOP0 HSP shared mailbox 0 at 0x03c10000 (section 5.2:
 * HSP base + 64 KiB + n * 32 KiB). Read from the DT alone; what a console
 * driver needs. Then the gap-filled parse: the PL011 at UARTI on SPI 285,
 * INTID 317, taken as an SPI.
 */
static void test_console(void **state)
{
	static const u64 want_mbox[2] = { 0x03c10000, 0x0c168000 }; /* rx, tx */
	struct board *b = board(state);
	const void *fdt = b->fdt;
	int tcu = stdout_node(fdt), len;
	const fdt32_t *mboxes;

	assert_true(tcu >= 0);
	assert_int_equal(fdt_node_check_compatible(fdt, tcu, "nvidia,tegra194-tcu"), 0);
	mboxes = fdt_getprop(fdt, tcu, "mboxes", &len);
	assert_non_null(mboxes);
	assert_int_equal(len, 2 * 3 * 4); /* <&hsp type arg> twice: #mbox-cells = 2 */
	for (int i = 0; i < 2; i++) {
		int hsp = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(mboxes[i * 3]));
		u32 arg = fdt32_to_cpu(mboxes[i * 3 + 2]);
		const fdt32_t *reg = fdt_getprop(fdt, hsp, "reg", NULL);

		assert_true(hsp >= 0);
		assert_non_null(reg);
		assert_int_equal(fdt32_to_cpu(mboxes[i * 3 + 1]), 1); /* TEGRA_HSP_MBOX_TYPE_SM */
		/* bus@0 maps 1:1 (ranges <0 0 0 0x40000000>); bit 31 of arg marks TX */
		assert_int_equal(fdt32_to_cpu(reg[0]) + 0x10000 + (arg & 0xff) * 0x8000, want_mbox[i]);
	}

	/* The parser drives the TCU: TX mailbox first, then RX (tessera/platform.h). */
	assert_int_equal(b->plat.uart.kind, UART_TEGRA_TCU);
	assert_int_equal(b->plat.uart.reg_count, 2);
	assert_int_equal(b->plat.uart.regs[0].base, want_mbox[1]);
	assert_int_equal(b->plat.uart.regs[1].base, want_mbox[0]);
}

#define BOARD_TESTS(b)                                                     \
	cmocka_unit_test_prestate(test_parse_as_given, &(b)),              \
		cmocka_unit_test_prestate(test_cpus, &(b)),                \
		cmocka_unit_test_prestate(test_gic, &(b)),                 \
		cmocka_unit_test_prestate(test_timer, &(b)),               \
		cmocka_unit_test_prestate(test_pmu, &(b)),                 \
		cmocka_unit_test_prestate(test_psci, &(b)),                \
		cmocka_unit_test_prestate(test_smmus, &(b)),               \
		cmocka_unit_test_prestate(test_console, &(b))

int main(void)
{
	const struct CMUnitTest agx_tests[] = { BOARD_TESTS(agx) };
	const struct CMUnitTest nano_tests[] = { BOARD_TESTS(nano) };
	int failed = cmocka_run_group_tests_name("tegra234 AGX Orin", agx_tests, NULL, NULL);

	return failed + cmocka_run_group_tests_name("tegra234 Orin Nano", nano_tests, NULL, NULL);
}
