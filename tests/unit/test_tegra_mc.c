/*
 * Tegra234 memory-controller stream-ID fencing (drivers/tegra_mc.h) on the
 * real AGX Orin DT (build/tegra234/platform-agx-orin.dtb, which `make unit`
 * builds; TESSERA_TEGRA234_PLATFORM_DTB overrides; SKIPPED without it):
 *  - platform_mc.c: the MC node, the clients devices' interconnects name,
 *    the one stream ID each device's clients must carry;
 *  - tegra_mc.c: programming through a model of the sid window
 *    (mc_model.c), judged by the stream ID the client's DMA then carries;
 *  - config_mc.c: what the checker refuses.
 * Changes to the DT, made here on a copy and said where made: BPMP clocks,
 * resets and power domains are dropped from the devices the checker tests
 * give to VMs (they are another part's concern), and a GPU node like the
 * upstream one (interconnects to NVL1R/NVL1W, no iommus) is added.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mc_model.h"

#include "../../hyp/core/config_internal.h"
#include "config_blob.h"
#include <drivers/tegra_mc.h>
#include <tessera/mmu.h>

#define DTB_MAX (2 << 20)
#define MGBE0 "/bus@0/ethernet@6800000"
#define HDA "/bus@0/hda@3510000"
#define SDMMC4 "/bus@0/mmc@3460000"
#define GPU "/bus@0/gpu@17000000"
#define SID_BASE 0x2c00000ULL /* orin-hardware.md 6.3 */

static char *fdt;
static struct platform plat;
static char why[400];
static struct mc_model model;
static char err[256];
static unsigned int maps;

int mmu_map_device(u64 base, u64 size)
{
	assert_int_equal(base, SID_BASE);
	assert_int_equal(size, 0x10000);
	maps++;
	return 0;
}

static int node(const char *path)
{
	int n = fdt_path_offset(fdt, path);

	if (n < 0)
		fail_msg("%s is not in the DT", path);
	return n;
}

static void drop_bpmp_props(const char *path)
{
	static const char *const props[] = { "clocks", "resets", "power-domains" };

	for (size_t i = 0; i < ARRAY_SIZE(props); i++)
		fdt_delprop(fdt, node(path), props[i]);
}

/* The GPU's interconnects (upstream "Add GPU node on Tegra234"): NVL1R, NVL1W to the EMC. */
static void set_gpu_interconnects(void)
{
	int gpu = node(GPU);
	int mc = fdt_node_offset_by_phandle(fdt, plat.mc.phandle);
	u32 emc = fdt_get_phandle(fdt, fdt_first_subnode(fdt, mc));
	const fdt32_t ic[] = { cpu_to_fdt32(plat.mc.phandle), cpu_to_fdt32(0xb8), cpu_to_fdt32(emc),
			       cpu_to_fdt32(plat.mc.phandle), cpu_to_fdt32(0xb9), cpu_to_fdt32(emc) };

	assert_true(emc != 0);
	assert_int_equal(fdt_setprop(fdt, gpu, "interconnects", ic, sizeof(ic)), 0);
	/* Offsets after the GPU node moved: parse again. */
	if (platform_parse(fdt, &plat, err, sizeof(err)))
		fail_msg("the changed AGX DT does not parse: %s", err);
}

/* The platform DTB has the GPU from the L4T additions; without them, an upstream-style one. */
static void add_gpu(void)
{
	const fdt32_t reg[] = { cpu_to_fdt32(0x17000000), cpu_to_fdt32(0x1000000) };
	int gpu;

	if (fdt_path_offset(fdt, GPU) >= 0)
		return;
	gpu = fdt_add_subnode(fdt, node("/bus@0"), "gpu@17000000");

	assert_true(gpu >= 0);
	assert_int_equal(fdt_setprop_string(fdt, node(GPU), "compatible", "nvidia,ga10b"), 0);
	assert_int_equal(fdt_setprop(fdt, node(GPU), "reg", reg, sizeof(reg)), 0);
	if (platform_parse(fdt, &plat, err, sizeof(err)))
		fail_msg("the changed AGX DT does not parse: %s", err);
	set_gpu_interconnects();
}

static int setup(void **state)
{
	const char *path = getenv("TESSERA_TEGRA234_PLATFORM_DTB");
	FILE *f = fopen(path ? path : "build/tegra234/platform-agx-orin.dtb", "rb");
	static char raw[DTB_MAX];

	(void)state;
	if (!f) {
		snprintf(why, sizeof(why), "build/tegra234/platform-agx-orin.dtb is missing (`make "
			 "unit` builds it from Debian's linux-source-6.1, which needs the network once)");
		return 0;
	}
	size_t n = fread(raw, 1, sizeof(raw), f);

	fclose(f);
	fdt = malloc(DTB_MAX);
	assert_true(n > sizeof(struct fdt_header) && fdt && !fdt_open_into(raw, fdt, DTB_MAX));
	if (platform_parse(fdt, &plat, err, sizeof(err)))
		fail_msg("the AGX DT does not parse: %s", err);
	drop_bpmp_props(MGBE0);
	drop_bpmp_props(HDA);
	drop_bpmp_props(SDMMC4);
	add_gpu();
	return 0;
}

static void need_dt(void)
{
	if (!fdt) {
		fprintf(stderr, "SKIPPED: %s\n", why);
		skip();
	}
}

/* A device as devices_create() gets it: node and MC clients (what the fence reads). */
static struct platform_device device_of(const char *path)
{
	struct platform_device dev = { .node = node(path) };

	if (platform_device_mc_clients(&plat, dev.node, &dev, err, sizeof(err)))
		fail_msg("%s: %s", path, err);
	return dev;
}

/* ---------------------------------------------------------------- parsing */

static void test_mc_parsed(void **state)
{
	(void)state;
	need_dt();
	assert_true(plat.mc.present);
	assert_int_equal(plat.mc.node, node("/bus@0/memory-controller@2c00000"));
	assert_int_equal(plat.mc.phandle, fdt_get_phandle(fdt, plat.mc.node));
	assert_int_equal(plat.mc.sid.base, SID_BASE);
	assert_int_equal(plat.mc.sid.size, 0x10000);
	/* sid, broadcast, ch0-15; the EMC's reg does not translate through the MC's ranges. */
	assert_int_equal(plat.mc.reg_count, 18);
	assert_int_equal(plat.mc.regs[17].base, 0x1770000);
	/* The SMMUs' stream-match-mask (orin-hardware.md 6.1). */
	for (unsigned int i = 0; i < plat.iommu_count; i++)
		assert_int_equal(plat.iommus[i].stream_match_mask, 0x7f80);
}

static void test_device_clients_and_sid(void **state)
{
	struct platform_device mgbe, mmc;
	u32 sid = 0;

	(void)state;
	need_dt();
	mgbe = device_of(MGBE0);
	assert_int_equal(mgbe.mc_client_count, 2);
	assert_int_equal(mgbe.mc_client[0], 0x58); /* MGBEARD */
	assert_int_equal(mgbe.mc_client[1], 0x5c); /* MGBEAWR */
	assert_int_equal(tegra_mc_device_sid(fdt, mgbe.node, &sid, err, sizeof(err)), 1);
	assert_int_equal(sid, 0x06); /* TEGRA234_SID_MGBE */
	mmc = device_of(SDMMC4);
	assert_int_equal(mmc.mc_client_count, 2);
	assert_int_equal(mmc.mc_client[0], 0x63);
	assert_int_equal(mmc.mc_client[1], 0x67);
	assert_int_equal(tegra_mc_device_sid(fdt, mmc.node, &sid, err, sizeof(err)), 1);
	assert_int_equal(sid, 0x02); /* TEGRA234_SID_SDMMC4 */
	assert_int_equal(tegra_mc_device_sid(fdt, node(GPU), &sid, err, sizeof(err)), 0);
	/* host1x: its own iommus ID, not the 16 context devices' of its iommu-map. */
	assert_int_equal(tegra_mc_device_sid(fdt, node("/bus@0/host1x@13e00000"), &sid, err,
					     sizeof(err)), 1);
	assert_int_equal(sid, 0x27); /* TEGRA234_SID_HOST1X */
}

/* Every client the AGX DT's interconnects name is in the table. */
static void test_every_dt_client_known(void **state)
{
	unsigned int seen = 0;

	(void)state;
	need_dt();
	for (int n = fdt_next_node(fdt, -1, NULL); n >= 0; n = fdt_next_node(fdt, n, NULL)) {
		struct platform_device dev = { .node = n };

		if (!fdt_getprop(fdt, n, "interconnects", NULL))
			continue;
		if (platform_device_mc_clients(&plat, n, &dev, err, sizeof(err)))
			fail_msg("%s", err);
		for (unsigned int i = 0; i < dev.mc_client_count; i++, seen++)
			if (!tegra_mc_client(&plat, dev.mc_client[i]))
				fail_msg("client 0x%x of %s is not tabled", dev.mc_client[i],
					 fdt_get_name(fdt, n, NULL));
	}
	assert_true(seen >= 50);
	/* XUSB host and device: their DT nodes come with later kernels. */
	for (u32 id = 0x4a; id <= 0x4d; id++)
		assert_non_null(tegra_mc_client(&plat, id));
}

static void test_interconnects_malformed(void **state)
{
	struct platform_device dev = { 0 };
	const fdt32_t cut[] = { cpu_to_fdt32(plat.mc.phandle) };
	int gpu;

	(void)state;
	need_dt();
	gpu = node(GPU);
	assert_int_equal(fdt_setprop(fdt, gpu, "interconnects", cut, sizeof(cut)), 0);
	assert_int_equal(platform_device_mc_clients(&plat, gpu, &dev, err, sizeof(err)), -1);
	assert_string_equal(err, GPU ": interconnects entry at cell 0 names no interconnect "
				 "provider or is cut short; fix the platform DT");
	set_gpu_interconnects();
}

/* ---------------------------------------------------------------- programming */

static void test_fence_sets_override(void **state)
{
	struct platform_device dev;

	(void)state;
	need_dt();
	dev = device_of(MGBE0);
	mc_model_init(&model, SID_BASE);
	/* Before: the clients carry their own IDs, whatever those are. */
	assert_int_equal(mc_model_dma_sid(&model, 0x2c0, 0x49), 0x49);
	assert_int_equal(tegra_mc_fence_device(&plat, &dev, err, sizeof(err)), 0);
	assert_int_equal(mc_model_dma_sid(&model, 0x2c0, 0x49), 0x06); /* MGBEARD */
	assert_int_equal(mc_model_dma_sid(&model, 0x2e0, 0x49), 0x06); /* MGBEAWR */
	/* Nobody else's registers were touched. */
	assert_int_equal(mc_model_writes_to(&model, 0x2c0) + mc_model_writes_to(&model, 0x2e0),
			 model.write_count);
	assert_int_equal(maps, 1);

	dev = device_of(SDMMC4);
	assert_int_equal(tegra_mc_fence_device(&plat, &dev, err, sizeof(err)), 0);
	assert_int_equal(mc_model_dma_sid(&model, 0x318, 0x7f), 0x02); /* SDMMCRAB */
	assert_int_equal(mc_model_dma_sid(&model, 0x338, 0x7f), 0x02); /* SDMMCWAB */
	assert_int_equal(maps, 1); /* mapped once */
}

static void test_fence_locked_same_sid_ok(void **state)
{
	struct platform_device dev;

	(void)state;
	need_dt();
	dev = device_of(MGBE0);
	mc_model_init(&model, SID_BASE);
	mc_model_lock(&model, 0x2c0, 0x06, true);
	assert_int_equal(tegra_mc_fence_device(&plat, &dev, err, sizeof(err)), 0);
	assert_int_equal(mc_model_writes_to(&model, 0x2c0), 0);
	assert_int_equal(mc_model_dma_sid(&model, 0x2c0, 0), 0x06);
	assert_int_equal(mc_model_dma_sid(&model, 0x2e0, 0), 0x06);
}

static void test_fence_locked_other_sid_refused(void **state)
{
	struct platform_device dev;

	(void)state;
	need_dt();
	dev = device_of(MGBE0);
	mc_model_init(&model, SID_BASE);
	mc_model_lock(&model, 0x2e0, 0x10, true); /* firmware gave MGBEAWR the BPMP's ID */
	assert_int_equal(tegra_mc_fence_device(&plat, &dev, err, sizeof(err)), -1);
	assert_string_equal(err, "MC client mgbeawr (0x5c) is locked by firmware to another "
				 "stream ID; its DMA cannot be given stream ID 0x6");
	assert_int_equal(mc_model_dma_sid(&model, 0x2e0, 0), 0x10);

	mc_model_init(&model, SID_BASE);
	mc_model_lock(&model, 0x2c0, 0x06, false); /* locked, sending its own ID */
	assert_int_equal(tegra_mc_fence_device(&plat, &dev, err, sizeof(err)), -1);
	assert_string_equal(err, "MC client mgbeard (0x58) is locked by firmware without the "
				 "override; its DMA cannot be given stream ID 0x6");
}

static void test_fence_unknown_client_refused(void **state)
{
	struct platform_device dev;

	(void)state;
	need_dt();
	dev = device_of(MGBE0);
	dev.mc_client[1] = 0x01; /* MIU7R: an MC-internal client, not tabled */
	mc_model_init(&model, SID_BASE);
	assert_int_equal(tegra_mc_fence_device(&plat, &dev, err, sizeof(err)), -1);
	assert_string_equal(err, "MC client 0x1 is unknown to Tessera");
}

static void test_fence_gpu_left_alone(void **state)
{
	struct platform_device dev;

	(void)state;
	need_dt();
	dev = device_of(GPU);
	assert_int_equal(dev.mc_client_count, 2);
	assert_int_equal(tegra_mc_client(&plat, 0xb8)->override, 0); /* NVL1R: no SID register */
	mc_model_init(&model, SID_BASE);
	assert_int_equal(tegra_mc_fence_device(&plat, &dev, err, sizeof(err)), 0);
	assert_int_equal(model.write_count, 0);
}

/* ---------------------------------------------------------------- the checker */

static char blob[1 << 16];
static unsigned int report_count;
static char reports[4][400];

#define SW(call) assert_int_equal((call), 0)

static void capture(void *ctx, const char *where, const char *msg)
{
	(void)ctx;
	if (report_count < ARRAY_SIZE(reports))
		snprintf(reports[report_count], sizeof(reports[0]), "%s: %s", where, msg);
	report_count++;
}

static void config_begin(void)
{
	SW(config_blob_begin(blob, sizeof(blob)));
}

/* VM @name on CPU @cpu with 32 MiB at @base and one device, @unconfined saying dma-unconfined. */
static void vm(const char *name, u32 cpu, u64 base, const char *path, bool unconfined)
{
	static const u8 image[64] = { 0x00, 0x00, 0x00, 0x14 };
	const fdt64_t mem[2] = { cpu_to_fdt64(base), cpu_to_fdt64(0x2000000) };

	SW(fdt_begin_node(blob, name));
	SW(fdt_property_u32(blob, "cpus", cpu));
	SW(fdt_property(blob, "memory", mem, sizeof(mem)));
	SW(fdt_property(blob, "image", image, sizeof(image)));
	SW(fdt_property_u64(blob, "vuart", 0x0c280000));
	SW(fdt_begin_node(blob, "dev"));
	SW(fdt_property_string(blob, "device", path));
	if (unconfined)
		SW(fdt_property(blob, "dma-unconfined", NULL, 0));
	SW(fdt_end_node(blob));
	SW(fdt_end_node(blob));
}

static int check(void)
{
	static struct system_config cfg;
	static const struct mem_range hyp = { 0x80000000, 0x4000000 };
	struct config_reporter rep = { capture, NULL, 0 };
	int n;

	SW(fdt_end_node(blob));
	SW(fdt_end_node(blob));
	SW(fdt_finish(blob));
	report_count = 0;
	n = config_parse(blob, &cfg, &rep);
	return n < 0 ? n : n + config_validate(&cfg, &plat, &hyp, &rep);
}

static void test_checker_passes_fenceable_devices(void **state)
{
	(void)state;
	need_dt();
	config_begin();
	vm("alpha", 8, 0x90000000, MGBE0, false);
	vm("beta", 9, 0x92000000, HDA, false);
	assert_int_equal(check(), 0);
}

static void test_checker_refuses_unknown_client(void **state)
{
	const fdt32_t *ic = fdt_getprop(fdt, node(SDMMC4), "interconnects", NULL);
	fdt32_t changed[6];

	(void)state;
	need_dt();
	memcpy(changed, ic, sizeof(changed));
	changed[4] = cpu_to_fdt32(0x01); /* SDMMCWAB -> MIU7R */
	SW(fdt_setprop_inplace(fdt, node(SDMMC4), "interconnects", changed, sizeof(changed)));
	config_begin();
	vm("alpha", 8, 0x90000000, SDMMC4, false);
	assert_int_equal(check(), 1);
	assert_string_equal(reports[0], "/vms/alpha/dev: " SDMMC4 "'s interconnects name memory "
			    "controller client 0x1, whose stream ID register Tessera does not know, "
			    "so it cannot fence its DMA; give the VM another device");
	changed[4] = cpu_to_fdt32(0x67);
	SW(fdt_setprop_inplace(fdt, node(SDMMC4), "interconnects", changed, sizeof(changed)));
}

static void test_checker_gpu_needs_dma_unconfined(void **state)
{
	(void)state;
	need_dt();
	config_begin();
	vm("gpu", 8, 0x90000000, GPU, false);
	assert_int_equal(check(), 1);
	assert_string_equal(reports[0], "/vms/gpu/dev: " GPU " does DMA through the memory "
			    "controller that no IOMMU confines (it names no iommus or iommu-map), so "
			    "the VM could reach all of memory; say dma-unconfined; in this node if you "
			    "trust it that far, or give another device");
	config_begin();
	vm("gpu", 8, 0x90000000, GPU, true);
	assert_int_equal(check(), 0);
}

/* HDA given 0x86: under stream-match-mask 0x7f80 one SMR matches it and MGBE0's 0x06. */
static void test_checker_refuses_masked_sid_clash(void **state)
{
	const fdt32_t *io = fdt_getprop(fdt, node(HDA), "iommus", NULL);
	fdt32_t changed[2] = { io[0], cpu_to_fdt32(0x86) }, orig[2] = { io[0], io[1] };

	(void)state;
	need_dt();
	SW(fdt_setprop_inplace(fdt, node(HDA), "iommus", changed, sizeof(changed)));
	config_begin();
	vm("alpha", 8, 0x90000000, MGBE0, false);
	vm("beta", 9, 0x92000000, HDA, false);
	assert_int_equal(check(), 1);
	assert_string_equal(reports[0], "/vms/beta/dev: " HDA "'s stream ID 0x86 matches " MGBE0
			    "'s (0x6) on the same IOMMU, and " MGBE0 " is VM alpha's; a stream ID's "
			    "DMA belongs to one VM");
	SW(fdt_setprop_inplace(fdt, node(HDA), "iommus", orig, sizeof(orig)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mc_parsed),
		cmocka_unit_test(test_device_clients_and_sid),
		cmocka_unit_test(test_every_dt_client_known),
		cmocka_unit_test(test_interconnects_malformed),
		cmocka_unit_test(test_fence_sets_override),
		cmocka_unit_test(test_fence_locked_same_sid_ok),
		cmocka_unit_test(test_fence_locked_other_sid_refused),
		cmocka_unit_test(test_fence_unknown_client_refused),
		cmocka_unit_test(test_fence_gpu_left_alone),
		cmocka_unit_test(test_checker_passes_fenceable_devices),
		cmocka_unit_test(test_checker_refuses_unknown_client),
		cmocka_unit_test(test_checker_gpu_needs_dma_unconfined),
		cmocka_unit_test(test_checker_refuses_masked_sid_clash),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
