/*
 * The config checker (hyp/core/config*.c) against Tegra234 as the tegra234
 * build checks configs (hyp/platform/tegra234/platform.mk): the board's DT
 * with the build's conservative /memory added, i.e. exactly
 *   build/tegra234/platform-agx-orin.dtb  (the real AGX Orin devkit DT)
 *   build/tegra234/platform-orin-nano.dtb (tests/unit/dts/tegra234-orin-nano.dts)
 * which `make unit` builds (TESSERA_TEGRA234_PLATFORM_DTB and
 * TESSERA_ORIN_NANO_PLATFORM_DTB override). The AGX one needs Debian's
 * linux-source-6.1 once; without it (offline) its tests are SKIPPED, saying
 * why. Checked: the shapes of the configs/tegra234 examples pass (with the
 * virtual BPMP a VM with BPMP-backed devices gets), and a VM given the
 * memory controller (by compatible or by address), an HSP block holding a
 * TCU console mailbox or the BPMP's doorbells, the BPMP or its SYSRAM, the
 * GIC, an SMMU, another VM's device or more BPMP IDs than a virtual BPMP
 * holds is refused, word for word.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../hyp/core/config_internal.h"
#include "config_blob.h"
#include <drivers/uart.h>

#define DTB_MAX (1 << 20)

struct board {
	const char *env, *default_path;
	bool tried;
	char why[512]; /* why it is unavailable */
	char *fdt;
	struct platform plat;
};

static struct board agx = { .env = "TESSERA_TEGRA234_PLATFORM_DTB",
			    .default_path = "build/tegra234/platform-agx-orin.dtb" };
static struct board nano = { .env = "TESSERA_ORIN_NANO_PLATFORM_DTB",
			     .default_path = "build/tegra234/platform-orin-nano.dtb" };

/* platform.mk's HYP_LOAD_ADDR; the size is a small stand-in for the image. */
static const struct mem_range hyp = { 0x80000000, 0x4000000 };

/* @b loaded and parsed, or the test is skipped saying why. */
static const struct platform *board(struct board *b)
{
	if (!b->tried) {
		const char *path = getenv(b->env) ? getenv(b->env) : b->default_path;
		FILE *f = fopen(path, "rb");
		char err[256];

		b->tried = true;
		if (!f) {
			snprintf(b->why, sizeof(b->why), "%s is missing (`make unit` builds it; the "
				 "AGX one from Debian's linux-source-6.1, which needs the network "
				 "once: see build/tegra234/*.unavailable)", path);
		} else {
			b->fdt = malloc(DTB_MAX);
			assert_non_null(b->fdt);
			size_t n = fread(b->fdt, 1, DTB_MAX, f);

			fclose(f);
			if (n <= sizeof(struct fdt_header) || fdt_check_header(b->fdt))
				fail_msg("%s is not a device tree blob", path);
			if (platform_parse(b->fdt, &b->plat, err, sizeof(err)))
				fail_msg("%s does not parse: %s", path, err);
		}
	}
	if (!b->fdt) {
		fprintf(stderr, "SKIPPED: %s\n", b->why);
		skip();
	}
	return &b->plat;
}

/* ---------------------------------------------------------------- config blobs */

static char blob[1 << 16];
static const u8 small_image[64] = { 0x00, 0x00, 0x00, 0x14 };

#define SW(call) assert_int_equal((call), 0)

static void config_begin(void)
{
	SW(config_blob_begin(blob, sizeof(blob)));
}

/* An open VM node: CPUs @first..@last, memory, a small image, the vUART at UARTC's address. */
static void vm_begin(const char *name, u32 first, u32 last, u64 base, u64 size)
{
	fdt32_t cpus[PLATFORM_MAX_CPUS];
	const fdt64_t mem[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	SW(fdt_begin_node(blob, name));
	for (u32 c = first; c <= last; c++)
		cpus[c - first] = cpu_to_fdt32(c);
	SW(fdt_property(blob, "cpus", cpus, (int)(last - first + 1) * 4));
	SW(fdt_property(blob, "memory", mem, sizeof(mem)));
	SW(fdt_property(blob, "image", small_image, sizeof(small_image)));
	SW(fdt_property_u64(blob, "vuart", 0x0c280000));
}

static void device(const char *name, const char *path)
{
	SW(fdt_begin_node(blob, name));
	SW(fdt_property_string(blob, "device", path));
	SW(fdt_end_node(blob));
}

/* A device whose DMA no IOMMU confines (the GPU): dma-unconfined. */
static void device_unconfined(const char *name, const char *path)
{
	SW(fdt_begin_node(blob, name));
	SW(fdt_property_string(blob, "device", path));
	SW(fdt_property(blob, "dma-unconfined", NULL, 0));
	SW(fdt_end_node(blob));
}

#define MAX_REPORTS 8
static unsigned int report_count;
static char reports[MAX_REPORTS][320];

static void capture(void *ctx, const char *node, const char *msg)
{
	(void)ctx;
	if (report_count < MAX_REPORTS)
		snprintf(reports[report_count], sizeof(reports[0]), "%s: %s", node, msg);
	report_count++;
}

/* Closes the blob and checks it against @plat; returns the number of problems. */
static struct system_config cfg; /* the last config check() read */

static int check(const struct platform *plat)
{
	struct config_reporter rep = { capture, NULL, 0 };
	int n;

	SW(fdt_end_node(blob)); /* vms */
	SW(fdt_end_node(blob)); /* root */
	SW(fdt_finish(blob));
	report_count = 0;
	n = config_parse(blob, &cfg, &rep);
	return n < 0 ? n : n + config_validate(&cfg, plat, &hyp, &rep);
}

static void expect_report(unsigned int i, const char *want)
{
	if (i >= report_count)
		fail_msg("report %u missing; wanted %s", i, want);
	if (strcmp(reports[i], want))
		fail_msg("report %u:\n  got  %s\n  want %s", i, reports[i], want);
}

/* ---------------------------------------------------------------- good configs */

/* configs/tegra234/agx-orin-linux-rt.dts: Linux on CPUs 0-7, rt on CPU 8 above TZDRAM. */
static void test_agx_linux_rt_shape(void **state)
{
	const struct platform *plat = board(&agx);

	(void)state;
	config_begin();
	vm_begin("linux", 0, 7, 0x90000000, 0x20000000);
	SW(fdt_end_node(blob));
	vm_begin("rt", 8, 8, 0xc2000000, 0x2000000);
	SW(fdt_end_node(blob));
	assert_int_equal(check(plat), 0);
}

/* configs/tegra234/orin-nano-two-linux.dts: one VM per cluster (CPUs 0-3, 4-5). */
static void test_nano_two_linux_shape(void **state)
{
	const struct platform *plat = board(&nano);

	(void)state;
	config_begin();
	vm_begin("linux0", 0, 3, 0x90000000, 0x14000000);
	SW(fdt_end_node(blob));
	vm_begin("linux1", 4, 5, 0xa8000000, 0x14000000);
	SW(fdt_end_node(blob));
	assert_int_equal(check(plat), 0);
}

/* ---------------------------------------------------------------- refused */

/* The build's RAM stops below TZDRAM (0xbe000000): memory there is refused. */
static void test_nano_tzdram_is_not_ram(void **state)
{
	const struct platform *plat = board(&nano);

	(void)state;
	config_begin();
	vm_begin("alpha", 0, 0, 0xbc000000, 0x4000000);
	SW(fdt_end_node(blob));
	assert_int_equal(check(plat), 1);
	expect_report(0, "/vms/alpha: memory 0xbc000000-0xbfffffff is outside RAM "
			 "(0x80000000-0xbdffffff); place it inside one RAM bank");
}

/* The Nano has 6 CPUs (floorswept): index 6 does not exist. */
static void test_nano_cpu6_absent(void **state)
{
	const struct platform *plat = board(&nano);

	(void)state;
	config_begin();
	vm_begin("alpha", 6, 6, 0x90000000, 0x2000000);
	SW(fdt_end_node(blob));
	assert_int_equal(check(plat), 1);
	expect_report(0, "/vms/alpha: CPU 6 is not in the platform (it has 6 CPUs: 0-5); use CPU "
			 "indices 0 to 5");
}

static void test_agx_refuses_what_tessera_keeps(void **state)
{
	const struct platform *plat = board(&agx);

	(void)state;
	config_begin();
	vm_begin("alpha", 8, 8, 0x90000000, 0x2000000);
	device("mc", "/bus@0/memory-controller@2c00000");
	device("hsp-aon", "/bus@0/hsp@c150000");
	device("hsp-top0", "/bus@0/hsp@3c00000");
	SW(fdt_end_node(blob));
	vm_begin("beta", 9, 9, 0x92000000, 0x2000000);
	device("gic", "/bus@0/interrupt-controller@f400000");
	device("smmu", "/bus@0/iommu@12000000");
	SW(fdt_end_node(blob));
	assert_int_equal(check(plat), 5);
	expect_report(0, "/vms/alpha/mc: /bus@0/memory-controller@2c00000 is the memory "
			 "controller, which Tessera keeps (it sets the stream ID of every device's "
			 "DMA: a VM holding it could take another VM's); remove it from the VM");
	/* The TCU's TX mailbox is AON HSP shared mailbox 1, RX is TOP0's 0 (orin-hardware.md 5.2). */
	expect_report(1, "/vms/alpha/hsp-aon: /bus@0/hsp@c150000 (0xc150000-0xc1dffff) holds a "
			 "shared mailbox of Tessera's console (the TCU), which Tessera keeps; give "
			 "the VM another device");
	expect_report(2, "/vms/alpha/hsp-top0: /bus@0/hsp@3c00000 (0x3c00000-0x3c9ffff) holds a "
			 "shared mailbox of Tessera's console (the TCU), which Tessera keeps; give "
			 "the VM another device");
	expect_report(3, "/vms/beta/gic: /bus@0/interrupt-controller@f400000 is an interrupt "
			 "controller, which Tessera keeps; remove it from the VM");
	expect_report(4, "/vms/beta/smmu: /bus@0/iommu@12000000 is an IOMMU, which Tessera keeps "
			 "(it isolates the VMs' DMA); remove it from the VM");
}

/* Every SMMU instance of the DT is Tessera's: the three MMU-500 nodes (orin-hardware.md 6.1). */
static void test_agx_every_smmu_refused(void **state)
{
	static const char *const smmus[] = { "/bus@0/iommu@8000000", "/bus@0/iommu@10000000",
					     "/bus@0/iommu@12000000" };
	const struct platform *plat = board(&agx);

	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(smmus); i++) {
		config_begin();
		vm_begin("alpha", 8, 8, 0x90000000, 0x2000000);
		device("smmu", smmus[i]);
		SW(fdt_end_node(blob));
		assert_int_equal(check(plat), 1);
		assert_non_null(strstr(reports[0], "is an IOMMU, which Tessera keeps"));
	}
}

/* ---------------------------------------------------------------- BPMP-backed devices */

static void expect_ids(const struct vbpmp_id_list *list, const u32 *want, u32 n)
{
	assert_int_equal(list->count, n);
	for (u32 i = 0; i < n; i++)
		if (list->ids[i] != want[i])
			fail_msg("ID %u: got %u, want %u", i, list->ids[i], want[i]);
}

/*
 * configs/tegra234/agx-orin-usb-eth.dts: XUSB host + MGBE0 in one VM. Its
 * virtual BPMP sits where the board's is (HSP 0x3c00000, doorbell SPI 176,
 * tx pool 0x40070000) and allows the two devices' IDs, each once (CLK_M
 * twice in the XUSB host's clocks), in the DT's order.
 */
static void test_agx_usb_eth_shape(void **state)
{
	static const u32 clocks[] = { 267, 269, 268, 275, 14, 272, 103, 100, /* XUSB host */
				      0x17c, 0x179, 0x178, 0x17d, 0x165, 0xf8, 0x176, 0x17b,
				      0x171, 0x169, 0x175, 0x177 }; /* MGBE0 */
	static const u32 resets[] = { 0x2e, 0x2d }, pds[] = { 34, 32, 17 };
	const struct platform *plat = board(&agx);
	const struct vbpmp_config *vb = &cfg.vms[0].vbpmp;

	(void)state;
	config_begin();
	vm_begin("linux", 0, 7, 0x90000000, 0x20000000);
	device("usb", "/bus@0/usb@3610000");
	device("eth", "/bus@0/ethernet@6800000");
	SW(fdt_end_node(blob));
	vm_begin("rt", 8, 8, 0xc2000000, 0x2000000);
	SW(fdt_end_node(blob));
	/* platform_bpmp.c: mboxes = <&hsp_top0 0 19>, shmem = the two SYSRAM pools. */
	assert_true(plat->bpmp.present);
	assert_int_equal(plat->bpmp.hsp.base, 0x3c00000);
	assert_int_equal(plat->bpmp.hsp.size, 0xa0000);
	assert_int_equal(plat->bpmp.db_master, 19);
	assert_int_equal(plat->bpmp.tx.base, 0x40070000);
	assert_int_equal(plat->bpmp.rx.base, 0x40071000);
	assert_int_equal(plat->bpmp.rx.size, 0x1000);
	assert_int_equal(check(plat), 0);
	assert_true(vb->present);
	assert_int_equal(vb->hsp_ipa, 0x3c00000);
	assert_int_equal(vb->sram_ipa, 0x40070000);
	assert_int_equal(vb->intid, 32 + 0xb0);
	expect_ids(&vb->allow.clocks, clocks, ARRAY_SIZE(clocks));
	expect_ids(&vb->allow.resets, resets, ARRAY_SIZE(resets));
	expect_ids(&vb->allow.power_domains, pds, ARRAY_SIZE(pds));
	assert_false(cfg.vms[1].vbpmp.present); /* no device, no virtual BPMP */
}

/* configs/tegra234/agx-orin-gpu-vm.dts: GA10B (3 windows, 4 SPIs) and host1x. */
static void test_agx_gpu_vm_shape(void **state)
{
	static const u32 clocks[] = { 0x130, 0x29, 0xec, 0x2e }, resets[] = { 19 }, pds[] = { 35 };
	const struct platform *plat = board(&agx);
	const struct vm_config *gpu = &cfg.vms[0];

	(void)state;
	config_begin();
	vm_begin("gpu", 0, 7, 0xc2000000, 0x3c000000);
	device_unconfined("gpu", "/bus@0/gpu@17000000");
	device("host1x", "/bus@0/host1x@13e00000");
	SW(fdt_end_node(blob));
	vm_begin("rt", 8, 8, 0x90000000, 0x2000000);
	SW(fdt_end_node(blob));
	assert_int_equal(check(plat), 0);
	assert_int_equal(gpu->devices[0].hw.region_count, 3);
	assert_int_equal(gpu->devices[0].hw.region[2].pa, 0x03b41000);
	assert_int_equal(gpu->devices[0].hw.irq_count, 4);
	assert_true(gpu->vbpmp.present);
	expect_ids(&gpu->vbpmp.allow.clocks, clocks, ARRAY_SIZE(clocks));
	expect_ids(&gpu->vbpmp.allow.resets, resets, ARRAY_SIZE(resets));
	expect_ids(&gpu->vbpmp.allow.power_domains, pds, ARRAY_SIZE(pds));
}

/* The BPMP node itself, its SYSRAM pools, a device held by another VM: refused, word for word. */
static void test_agx_refuses_bpmp_and_others_devices(void **state)
{
	const struct platform *plat = board(&agx);

	(void)state;
	config_begin();
	vm_begin("alpha", 0, 3, 0x90000000, 0x4000000);
	device("eth", "/bus@0/ethernet@6800000");
	device("bpmp", "/bpmp");
	device("sysram", "/sram@40000000");
	SW(fdt_end_node(blob));
	vm_begin("beta", 4, 7, 0x94000000, 0x4000000);
	device("eth", "/bus@0/ethernet@6800000");
	SW(fdt_end_node(blob));
	assert_int_equal(check(plat), 3);
	expect_report(0, "/vms/alpha/bpmp: /bpmp is the BPMP, which Tessera keeps (it owns every "
			 "clock, reset and power domain of the SoC); give the VM the devices that "
			 "need it: they get a virtual BPMP");
	expect_report(1, "/vms/alpha/sysram: /sram@40000000 (0x40000000-0x4007ffff) holds the "
			 "BPMP's IVC queues in SYSRAM (VMs get a virtual BPMP's), which Tessera "
			 "keeps; give the VM another device");
	expect_report(2, "/vms/beta/eth: /bus@0/ethernet@6800000 is already given to VM alpha "
			 "(/vms/alpha/eth); give each device to one VM only");
	assert_true(cfg.vms[0].vbpmp.present); /* alpha's MGBE0 still gets its virtual BPMP */
	assert_false(cfg.vms[1].vbpmp.present);
}

/*
 * The BPMP's HSP block. On the AGX it also holds the TCU's RX mailbox, and
 * that reason is named first; on the same board with a UART console
 * (UARTC, 16550) the BPMP's doorbells are the reason.
 */
static void test_agx_refuses_bpmp_hsp(void **state)
{
	static struct platform uart_console;

	(void)state;
	uart_console = *board(&agx);
	uart_console.uart.kind = UART_16550;
	uart_console.uart.regs[0] = (struct mem_range){ 0x0c280000, 0x10000 };
	uart_console.uart.reg_count = 1;
	config_begin();
	vm_begin("alpha", 0, 3, 0x90000000, 0x4000000);
	SW(fdt_property_u64(blob, "vuart", 0x0c300000)); /* off UARTC, Tessera's console here */
	device("hsp", "/bus@0/hsp@3c00000");
	SW(fdt_end_node(blob));
	assert_int_equal(check(&uart_console), 1);
	expect_report(0, "/vms/alpha/hsp: /bus@0/hsp@3c00000 (0x3c00000-0x3c9ffff) holds the "
			 "BPMP's doorbells (its HSP block; VMs get a virtual one), which Tessera "
			 "keeps; give the VM another device");
}

/*
 * The memory controller by address, not by its compatible: in a copy of the
 * DT whose MC node says something the checker does not know, its windows
 * are still refused, from platform.mc.regs (which the MC parser fills;
 * set here as it does, with the MC's "sid" and "broadcast" windows).
 */
static void test_agx_refuses_mc_window_by_address(void **state)
{
	static struct platform with_mc;
	static char fdt[DTB_MAX];

	(void)state;
	with_mc = *board(&agx);
	SW(fdt_open_into(with_mc.fdt, fdt, sizeof(fdt)));
	SW(fdt_setprop_string(fdt, fdt_path_offset(fdt, "/bus@0/memory-controller@2c00000"),
			      "compatible", "vendor,unknown-mc"));
	with_mc.fdt = fdt;
	with_mc.bpmp.node = fdt_path_offset(fdt, "/bpmp");
	with_mc.mc.present = true;
	with_mc.mc.node = -1; /* not recognised as the MC node itself: only its windows are known */
	with_mc.mc.regs[0] = (struct mem_range){ 0x2c00000, 0x10000 };
	with_mc.mc.regs[1] = (struct mem_range){ 0x2c10000, 0x10000 };
	with_mc.mc.reg_count = 2;
	config_begin();
	vm_begin("alpha", 0, 3, 0x90000000, 0x4000000);
	device("mc", "/bus@0/memory-controller@2c00000");
	SW(fdt_end_node(blob));
	assert_int_equal(check(&with_mc), 1);
	expect_report(0, "/vms/alpha/mc: /bus@0/memory-controller@2c00000 (0x2c00000-0x2c0ffff) "
			 "holds the memory controller's registers (it sets the stream ID of every "
			 "device's DMA), which Tessera keeps; give the VM another device");
}

/*
 * More BPMP IDs of a kind than a virtual BPMP holds (32): MGBE0-2, 12
 * clocks each (MGBE1 and MGBE2 enabled in a copy of the DT, as a board using
 * them has them): the third is refused, naming the limit and the fix.
 */
static void test_agx_refuses_allow_list_too_long(void **state)
{
	static const char *const enable[] = { "/bus@0/ethernet@6900000", "/bus@0/ethernet@6a00000" };
	static struct platform three_mgbe;
	static char fdt[DTB_MAX];

	(void)state;
	three_mgbe = *board(&agx);
	SW(fdt_open_into(three_mgbe.fdt, fdt, sizeof(fdt)));
	for (size_t i = 0; i < ARRAY_SIZE(enable); i++)
		SW(fdt_setprop_string(fdt, fdt_path_offset(fdt, enable[i]), "status", "okay"));
	three_mgbe.fdt = fdt;
	/* Offsets in the copy differ: the BPMP node's is re-read. */
	three_mgbe.bpmp.node = fdt_path_offset(fdt, "/bpmp");
	config_begin();
	vm_begin("alpha", 0, 7, 0x90000000, 0x20000000);
	device("eth0", "/bus@0/ethernet@6800000");
	device("eth1", "/bus@0/ethernet@6900000");
	device("eth2", "/bus@0/ethernet@6a00000");
	SW(fdt_end_node(blob));
	assert_int_equal(check(&three_mgbe), 1);
	expect_report(0, "/vms/alpha/eth2: /bus@0/ethernet@6a00000 brings the VM's BPMP clocks, "
			 "resets or power domains past 32 of a kind, the most a virtual BPMP allows; "
			 "give this device to another VM");
	assert_false(cfg.vms[0].vbpmp.present);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agx_linux_rt_shape),
		cmocka_unit_test(test_nano_two_linux_shape),
		cmocka_unit_test(test_nano_tzdram_is_not_ram),
		cmocka_unit_test(test_nano_cpu6_absent),
		cmocka_unit_test(test_agx_refuses_what_tessera_keeps),
		cmocka_unit_test(test_agx_every_smmu_refused),
		cmocka_unit_test(test_agx_usb_eth_shape),
		cmocka_unit_test(test_agx_gpu_vm_shape),
		cmocka_unit_test(test_agx_refuses_bpmp_and_others_devices),
		cmocka_unit_test(test_agx_refuses_bpmp_hsp),
		cmocka_unit_test(test_agx_refuses_mc_window_by_address),
		cmocka_unit_test(test_agx_refuses_allow_list_too_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
