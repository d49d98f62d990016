/*
 * The guest DT of a VM given BPMP-backed devices on the real AGX Orin DT
 * (build/tegra234/platform-agx-orin.dtb, as test_config_tegra234.c loads it;
 * SKIPPED with the reason when it cannot be built): the config is checked,
 * then the guest DT built (hyp/core/guest_fdt*.c) and read back with libfdt.
 * Checked: the virtual BPMP's hsp, sram and bpmp nodes are shaped as the
 * board's and their phandles resolve; MGBE0's and the XUSB host's clocks,
 * resets and power domains point at the virtual BPMP with the platform DT's
 * IDs in its order; what names nodes the VM lacks (interconnects, iommus)
 * is gone; MGBE0's mdio PHY comes along and phy-handle finds it.
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
#include <tessera/guest_fdt.h>

#define DTB_MAX (1 << 20)
#define SW(call) assert_int_equal((call), 0)

static char platform_fdt[DTB_MAX];
static struct platform plat;
static struct system_config cfg;
static char blob[1 << 16];
static unsigned char guest[1 << 17];
static const struct mem_range hyp = { 0x80000000, 0x4000000 };

static int setup(void **state)
{
	const char *path = getenv("TESSERA_TEGRA234_PLATFORM_DTB");
	FILE *f = fopen(path ? path : "build/tegra234/platform-agx-orin.dtb", "rb");
	char err[256];

	(void)state;
	if (!f)
		return 0; /* each test skips, saying why */
	size_t n = fread(platform_fdt, 1, sizeof(platform_fdt), f);

	fclose(f);
	if (n <= sizeof(struct fdt_header) || platform_parse(platform_fdt, &plat, err, sizeof(err)))
		fail_msg("the AGX Orin platform DT does not parse: %s", err);
	return 0;
}

static void need_board(void)
{
	if (!plat.fdt) {
		fprintf(stderr, "SKIPPED: build/tegra234/platform-agx-orin.dtb is missing (`make "
				"unit` builds it from Debian's linux-source-6.1, which needs the "
				"network once)\n");
		skip();
	}
}

static void device(const char *name, const char *path)
{
	SW(fdt_begin_node(blob, name));
	SW(fdt_property_string(blob, "device", path));
	/* The GPU's DMA has no IOMMU: the config must say it trusts the VM with it (config_mc.c). */
	if (strstr(path, "/gpu@"))
		SW(fdt_property(blob, "dma-unconfined", NULL, 0));
	SW(fdt_end_node(blob));
}

/* One VM "linux" (CPUs 0-7, 512 MiB at 0x90000000) with @paths as its devices; checked clean. */
static const struct vm_config *vm_with(const char *const *paths, unsigned int n)
{
	static const unsigned char image[64];
	fdt32_t cpus[8];
	const fdt64_t mem[2] = { cpu_to_fdt64(0x90000000), cpu_to_fdt64(0x20000000) };
	struct config_reporter rep = { NULL, NULL, 0 };

	SW(config_blob_begin(blob, sizeof(blob)));
	SW(fdt_begin_node(blob, "linux"));
	for (u32 c = 0; c < 8; c++)
		cpus[c] = cpu_to_fdt32(c);
	SW(fdt_property(blob, "cpus", cpus, sizeof(cpus)));
	SW(fdt_property(blob, "memory", mem, sizeof(mem)));
	SW(fdt_property(blob, "image", image, sizeof(image)));
	SW(fdt_property_u64(blob, "vuart", 0x0c280000));
	for (unsigned int i = 0; i < n; i++) {
		char name[16];

		snprintf(name, sizeof(name), "dev%u", i);
		device(name, paths[i]);
	}
	SW(fdt_end_node(blob));
	SW(fdt_end_node(blob));
	SW(fdt_end_node(blob));
	SW(fdt_finish(blob));
	assert_int_equal(config_parse(blob, &cfg, &rep), 0);
	assert_int_equal(config_validate(&cfg, &plat, &hyp, &rep), 0);
	return &cfg.vms[0];
}

static void build_guest(const struct vm_config *vm)
{
	struct guest_fdt_params p = {
		.vm_name = vm->name,
		.memory = vm->memory,
		.vcpu_count = vm->cpu_count,
		.vuart_base = vm->vuart_base,
		.vuart_intid = 33,
		.gicd_base = plat.gicd.base,
		.gicr_base = plat.gicr[0].base,
		.platform = &plat,
		.devices = vm->devices,
		.device_count = vm->device_count,
		.vbpmp = &vm->vbpmp,
	};

	SW(guest_fdt_build(guest, sizeof(guest), &p));
}

static int node(const char *path)
{
	int off = fdt_path_offset(guest, path);

	if (off < 0)
		fail_msg("guest node %s: %s", path, fdt_strerror(off));
	return off;
}

static const fdt32_t *cells(const char *path, const char *name, int want_cells)
{
	int len;
	const fdt32_t *v = fdt_getprop(guest, node(path), name, &len);

	if (!v)
		fail_msg("%s/%s missing", path, name);
	if (len != want_cells * 4)
		fail_msg("%s/%s is %d bytes, want %d cells", path, name, len, want_cells);
	return v;
}

static void want_string_list(const char *path, const char *name, const char *want, int want_len)
{
	int len;
	const void *v = fdt_getprop(guest, node(path), name, &len);

	assert_non_null(v);
	assert_int_equal(len, want_len);
	assert_memory_equal(v, want, (size_t)want_len);
}

static void absent(const char *path, const char *name)
{
	if (fdt_getprop(guest, node(path), name, NULL))
		fail_msg("%s/%s should have been dropped", path, name);
}

/* The node phandle @ph names in the guest DT, by path. */
static void phandle_is(u32 ph, const char *path)
{
	int off = fdt_node_offset_by_phandle(guest, ph);

	if (off != node(path))
		fail_msg("phandle 0x%x names offset %d, not %s", ph, off, path);
}

/* @path's @prop is <&bpmp id>... with the platform node's IDs, in order. */
static void bpmp_pairs_match(const char *path, const char *prop, const char *platform_path)
{
	int len, plen;
	const fdt32_t *v = fdt_getprop(guest, node(path), prop, &len);
	const fdt32_t *pv = fdt_getprop(plat.fdt, fdt_path_offset(plat.fdt, platform_path), prop,
					&plen);

	if (!v || !pv)
		fail_msg("%s/%s: guest %p, platform %p", path, prop, (const void *)v,
			 (const void *)pv);
	assert_int_equal(len, plen);
	for (int i = 0; i < len / 4; i += 2) {
		phandle_is(fdt32_to_cpu(v[i]), "/bpmp");
		assert_int_equal(fdt32_to_cpu(v[i + 1]), fdt32_to_cpu(pv[i + 1]));
	}
}

static void test_virtual_bpmp_nodes(void **state)
{
	static const char *const devs[] = { "/bus@0/usb@3610000", "/bus@0/ethernet@6800000" };
	static const char hsp_compat[] = "nvidia,tegra234-hsp\0nvidia,tegra194-hsp";
	static const char sram_compat[] = "nvidia,tegra234-sysram\0mmio-sram";
	static const char bpmp_compat[] = "nvidia,tegra234-bpmp\0nvidia,tegra186-bpmp";
	const fdt32_t *v;

	(void)state;
	need_board();
	build_guest(vm_with(devs, 2));
	/* hsp@3c00000: 128 KiB, doorbell SPI 176 level-high, 2 mbox cells. */
	want_string_list("/hsp@3c00000", "compatible", hsp_compat, sizeof(hsp_compat));
	v = cells("/hsp@3c00000", "reg", 4);
	assert_int_equal(fdt32_to_cpu(v[1]), 0x3c00000);
	assert_int_equal(fdt32_to_cpu(v[3]), 0x20000);
	v = cells("/hsp@3c00000", "interrupts", 3);
	assert_int_equal(fdt32_to_cpu(v[0]), 0);
	assert_int_equal(fdt32_to_cpu(v[1]), 0xb0);
	assert_int_equal(fdt32_to_cpu(v[2]), 4);
	want_string_list("/hsp@3c00000", "interrupt-names", "doorbell", sizeof("doorbell"));
	assert_int_equal(fdt32_to_cpu(*cells("/hsp@3c00000", "#mbox-cells", 1)), 2);
	/* sram@40070000: 8 KiB mmio-sram, the two pools at 0 and 4 KiB. */
	want_string_list("/sram@40070000", "compatible", sram_compat, sizeof(sram_compat));
	v = cells("/sram@40070000", "ranges", 4);
	assert_int_equal(fdt32_to_cpu(v[0]), 0);
	assert_int_equal(fdt32_to_cpu(v[2]), 0x40070000);
	assert_int_equal(fdt32_to_cpu(v[3]), 0x2000);
	v = cells("/sram@40070000/sram@1000", "reg", 2);
	assert_int_equal(fdt32_to_cpu(v[0]), 0x1000);
	assert_int_equal(fdt32_to_cpu(v[1]), 0x1000);
	want_string_list("/sram@40070000/sram@0", "label", "cpu-bpmp-tx", sizeof("cpu-bpmp-tx"));
	want_string_list("/sram@40070000/sram@1000", "label", "cpu-bpmp-rx", sizeof("cpu-bpmp-rx"));
	assert_non_null(fdt_getprop(guest, node("/sram@40070000/sram@0"), "pool", NULL));
	/* bpmp: the board's compatibles; mboxes and shmem resolve to the nodes above. */
	want_string_list("/bpmp", "compatible", bpmp_compat, sizeof(bpmp_compat));
	v = cells("/bpmp", "mboxes", 3);
	phandle_is(fdt32_to_cpu(v[0]), "/hsp@3c00000");
	assert_int_equal(fdt32_to_cpu(v[1]), 0);
	assert_int_equal(fdt32_to_cpu(v[2]), 19);
	v = cells("/bpmp", "shmem", 2);
	phandle_is(fdt32_to_cpu(v[0]), "/sram@40070000/sram@0");
	phandle_is(fdt32_to_cpu(v[1]), "/sram@40070000/sram@1000");
	for (const char *const *c = (const char *const[]){ "#clock-cells", "#reset-cells",
							    "#power-domain-cells", NULL };
	     *c; c++)
		assert_int_equal(fdt32_to_cpu(*cells("/bpmp", *c, 1)), 1);
	if (fdt_subnode_offset(guest, node("/bpmp"), "i2c") >= 0)
		fail_msg("/bpmp/i2c: the VM has no BPMP I2C bus");
}

static void test_devices_point_at_the_virtual_bpmp(void **state)
{
	static const char *const devs[] = { "/bus@0/usb@3610000", "/bus@0/ethernet@6800000" };
	static const char *const dropped[] = { "interconnects", "interconnect-names", "iommus" };
	const char *eth = "/ethernet@6800000", *usb = "/usb@3610000";
	const fdt32_t *ph;

	(void)state;
	need_board();
	build_guest(vm_with(devs, 2));
	bpmp_pairs_match(eth, "clocks", devs[1]);
	bpmp_pairs_match(eth, "resets", devs[1]);
	bpmp_pairs_match(eth, "power-domains", devs[1]);
	bpmp_pairs_match(usb, "clocks", devs[0]);
	bpmp_pairs_match(usb, "power-domains", devs[0]);
	for (size_t i = 0; i < ARRAY_SIZE(dropped); i++) {
		absent(eth, dropped[i]);
		absent(usb, dropped[i]);
	}
	/* MGBE0's PHY is its own subnode: copied, and phy-handle still finds it. */
	ph = cells(eth, "phy-handle", 1);
	phandle_is(fdt32_to_cpu(*ph), "/ethernet@6800000/mdio/phy@0");
	assert_int_equal(fdt32_to_cpu(*cells("/ethernet@6800000/mdio/phy@0", "reg", 1)), 0);
}

/* The GPU: nvidia,bpmp names the virtual BPMP; host1x, a bus, keeps no children (its VIC is not given). */
static void test_gpu_vm(void **state)
{
	static const char *const devs[] = { "/bus@0/gpu@17000000", "/bus@0/host1x@13e00000" };

	(void)state;
	need_board();
	build_guest(vm_with(devs, 2));
	phandle_is(fdt32_to_cpu(*cells("/gpu@17000000", "nvidia,bpmp", 1)), "/bpmp");
	bpmp_pairs_match("/gpu@17000000", "resets", devs[0]);
	bpmp_pairs_match("/host1x@13e00000", "clocks", devs[1]);
	absent("/host1x@13e00000", "iommu-map");
	if (fdt_first_subnode(guest, node("/host1x@13e00000")) >= 0)
		fail_msg("host1x's VIC was copied, but the VM has not got it");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_virtual_bpmp_nodes),
		cmocka_unit_test(test_devices_point_at_the_virtual_bpmp),
		cmocka_unit_test(test_gpu_vm),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
