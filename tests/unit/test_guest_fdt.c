/*
 * Unit tests for the VM device-tree builder (hyp/core/guest_fdt.c), built on
 * the host. Each tree is parsed back with libfdt; expected values are written
 * out literally (names, cells, strings), not taken from guest_fdt.h, so a
 * wrong constant fails here. Every node and every property is accounted for:
 * an extra one fails as surely as a missing one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../hyp/core/guest_fdt_internal.h"

#define BUF_SIZE 0x10000
#define CANARY 0xa5

static unsigned char buf[BUF_SIZE];

static const struct guest_fdt_params base_params = {
	.vm_name = "linux0",
	.memory = { 0x50000000, 0x10000000 },
	.vcpu_count = 2,
	.vuart_base = 0x09000000,
	.bootargs = "console=ttyAMA0 test=selftest",
};

static void build_ok(const struct guest_fdt_params *p)
{
	memset(buf, CANARY, sizeof(buf));
	assert_int_equal(guest_fdt_build(buf, sizeof(buf), p), 0);
	assert_int_equal(fdt_check_header(buf), 0);
	assert_true(fdt_totalsize(buf) <= sizeof(buf));
}

static int node(const char *path)
{
	int off = fdt_path_offset(buf, path);

	if (off < 0)
		fail_msg("node %s: %s", path, fdt_strerror(off));
	return off;
}

static const void *prop(const char *path, const char *name, int *len)
{
	const void *val = fdt_getprop(buf, node(path), name, len);

	if (!val)
		fail_msg("property %s/%s missing", path, name);
	return val;
}

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

/* @path has exactly the properties in @names, in any order. */
static void want_props(const char *path, const char *const *names, size_t n)
{
	size_t count = 0;
	int off;

	fdt_for_each_property_offset(off, buf, node(path)) {
		const char *name;

		assert_non_null(fdt_getprop_by_offset(buf, off, &name, NULL));
		if (!in_list(name, names, n))
			fail_msg("unexpected property %s/%s", path, name);
		count++;
	}
	assert_int_equal(count, n);
}

/* @path has exactly the child nodes in @names, in any order. */
static void want_children(const char *path, const char *const *names, size_t n)
{
	size_t count = 0;
	int off;

	fdt_for_each_subnode(off, buf, node(path)) {
		const char *name = fdt_get_name(buf, off, NULL);

		if (!in_list(name, names, n))
			fail_msg("unexpected node %s/%s", path, name);
		count++;
	}
	assert_int_equal(count, n);
}

static void want_string(const char *path, const char *name, const char *want)
{
	int len;
	const char *val = prop(path, name, &len);

	assert_int_equal(len, strlen(want) + 1);
	assert_string_equal(val, want);
}

/* A string list, given as its bytes with every NUL (so sizeof counts the last one). */
static void want_bytes(const char *path, const char *name, const void *want, int want_len)
{
	int len;
	const void *val = prop(path, name, &len);

	assert_int_equal(len, want_len);
	assert_memory_equal(val, want, want_len);
}

static void want_u32(const char *path, const char *name, uint32_t want)
{
	int len;
	const fdt32_t *val = prop(path, name, &len);

	assert_int_equal(len, 4);
	assert_int_equal(fdt32_to_cpu(*val), want);
}

/* reg with two address and two size cells. */
static void want_reg(const char *path, uint64_t base, uint64_t size)
{
	int len;
	const fdt32_t *c = prop(path, "reg", &len);

	assert_int_equal(len, 16);
	assert_int_equal(fdt32_to_cpu(c[0]), base >> 32);
	assert_int_equal(fdt32_to_cpu(c[1]), base & 0xffffffff);
	assert_int_equal(fdt32_to_cpu(c[2]), size >> 32);
	assert_int_equal(fdt32_to_cpu(c[3]), size & 0xffffffff);
}

/* ------------------------------------------------------------------ tests */

static void test_root(void **state)
{
	static const char *const props[] = { "#address-cells", "#size-cells", "compatible",
					     "model" };
	static const char *const children[] = { "chosen", "memory@50000000", "cpus",
						"psci", "apb-pclk", "pl011@9000000" };

	(void)state;
	build_ok(&base_params);
	want_props("/", props, 4);
	want_u32("/", "#address-cells", 2);
	want_u32("/", "#size-cells", 2);
	want_string("/", "compatible", "tessera,vm");
	want_string("/", "model", "Tessera VM linux0");
	want_children("/", children, 6);
	assert_int_equal(fdt_num_mem_rsv(buf), 0);
}

static void test_chosen(void **state)
{
	static const char *const props[] = { "bootargs", "stdout-path", "tessera,restart-count" };

	(void)state;
	build_ok(&base_params);
	want_props("/chosen", props, 3);
	want_u32("/chosen", "tessera,restart-count", 0);
	want_children("/chosen", NULL, 0);
	want_string("/chosen", "bootargs", "console=ttyAMA0 test=selftest");
	want_string("/chosen", "stdout-path", "/pl011@9000000");
	/* stdout-path names the PL011 node itself. */
	assert_int_equal(node(prop("/chosen", "stdout-path", NULL)), node("/pl011@9000000"));
}

static void test_memory(void **state)
{
	static const char *const props[] = { "device_type", "reg" };

	(void)state;
	build_ok(&base_params);
	want_props("/memory@50000000", props, 2);
	want_children("/memory@50000000", NULL, 0);
	want_string("/memory@50000000", "device_type", "memory");
	want_reg("/memory@50000000", 0x50000000, 0x10000000);
}

static void test_memory_above_4g(void **state)
{
	struct guest_fdt_params p = base_params;

	(void)state;
	p.memory = (struct mem_range){ 0x880000000ULL, 0x140000000ULL };
	build_ok(&p);
	want_string("/memory@880000000", "device_type", "memory");
	want_reg("/memory@880000000", 0x880000000ULL, 0x140000000ULL);
}

static void want_cpu(unsigned int i)
{
	static const char *const props[] = { "device_type", "compatible", "reg",
					     "enable-method" };
	char path[32];

	snprintf(path, sizeof(path), "/cpus/cpu@%x", i);
	want_props(path, props, 4);
	want_children(path, NULL, 0);
	want_string(path, "device_type", "cpu");
	want_string(path, "compatible", "arm,armv8");
	want_u32(path, "reg", i);
	want_string(path, "enable-method", "psci");
}

static void test_cpus(void **state)
{
	static const char *const props[] = { "#address-cells", "#size-cells" };
	static const char *const one[] = { "cpu@0" };
	static const char *const four[] = { "cpu@0", "cpu@1", "cpu@2", "cpu@3" };
	struct guest_fdt_params p = base_params;

	(void)state;
	p.vcpu_count = 1;
	build_ok(&p);
	want_props("/cpus", props, 2);
	want_u32("/cpus", "#address-cells", 1);
	want_u32("/cpus", "#size-cells", 0);
	want_children("/cpus", one, 1);
	want_cpu(0);

	p.vcpu_count = 4;
	build_ok(&p);
	want_children("/cpus", four, 4);
	for (unsigned int i = 0; i < 4; i++)
		want_cpu(i);
}

static void test_cpus_aff0_limit(void **state)
{
	struct guest_fdt_params p = base_params;

	(void)state;
	p.vcpu_count = 256;
	build_ok(&p);
	want_cpu(255);
	p.vcpu_count = 257;
	assert_int_equal(guest_fdt_build(buf, sizeof(buf), &p), -FDT_ERR_BADVALUE);
}

static void test_psci(void **state)
{
	static const char *const props[] = { "compatible", "method" };
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";

	(void)state;
	build_ok(&base_params);
	want_props("/psci", props, 2);
	want_children("/psci", NULL, 0);
	want_bytes("/psci", "compatible", compat, sizeof(compat));
	want_string("/psci", "method", "hvc");
}

static void test_clock(void **state)
{
	static const char *const props[] = { "compatible", "#clock-cells", "clock-frequency",
					     "clock-output-names", "phandle" };

	(void)state;
	build_ok(&base_params);
	want_props("/apb-pclk", props, 5);
	want_children("/apb-pclk", NULL, 0);
	want_string("/apb-pclk", "compatible", "fixed-clock");
	want_u32("/apb-pclk", "#clock-cells", 0);
	want_u32("/apb-pclk", "clock-frequency", 24000000);
	want_string("/apb-pclk", "clock-output-names", "clk24mhz");
	assert_int_not_equal(fdt_get_phandle(buf, node("/apb-pclk")), 0);
}

static void test_pl011(void **state)
{
	static const char *const props[] = { "compatible", "reg", "clock-names", "clocks" };
	static const char compat[] = "arm,pl011\0arm,primecell";
	static const char clock_names[] = "uartclk\0apb_pclk";
	const fdt32_t *clocks;
	int len;

	(void)state;
	build_ok(&base_params);
	want_props("/pl011@9000000", props, 4);
	want_children("/pl011@9000000", NULL, 0);
	want_bytes("/pl011@9000000", "compatible", compat, sizeof(compat));
	want_reg("/pl011@9000000", 0x09000000, 0x1000);
	want_bytes("/pl011@9000000", "clock-names", clock_names, sizeof(clock_names));
	/* Both clocks are the fixed clock, by its phandle (#clock-cells = 0). */
	clocks = prop("/pl011@9000000", "clocks", &len);
	assert_int_equal(len, 8);
	for (int i = 0; i < 2; i++)
		assert_int_equal(fdt_node_offset_by_phandle(buf, fdt32_to_cpu(clocks[i])),
				 node("/apb-pclk"));
}

static void test_uart_above_4g(void **state)
{
	struct guest_fdt_params p = base_params;

	(void)state;
	p.vuart_base = 0x1009000000ULL;
	build_ok(&p);
	want_reg("/pl011@1009000000", 0x1009000000ULL, 0x1000);
	want_string("/chosen", "stdout-path", "/pl011@1009000000");
}

/* Without a GIC base there is no GIC, timer or interrupt wiring: nothing may claim otherwise. */
static void test_no_gic_no_interrupts(void **state)
{
	(void)state;
	build_ok(&base_params);
	assert_int_equal(fdt_node_offset_by_prop_value(buf, -1, "interrupt-controller", NULL, 0),
			 -FDT_ERR_NOTFOUND);
	assert_int_equal(fdt_node_offset_by_compatible(buf, -1, "arm,armv8-timer"),
			 -FDT_ERR_NOTFOUND);
	assert_null(fdt_getprop(buf, 0, "interrupt-parent", NULL));
	assert_null(fdt_getprop(buf, node("/pl011@9000000"), "interrupts", NULL));
}

static const struct guest_fdt_params gic_params = {
	.vm_name = "linux",
	.memory = { 0x50000000, 0x10000000 },
	.vcpu_count = 2,
	.vuart_base = 0x09000000,
	.vuart_intid = 33,
	.bootargs = "console=ttyAMA0",
	.gicd_base = 0x08000000,
	.gicr_base = 0x080a0000,
	.initrd = { 0x5f000000, 0x123456 },
	.restart_count = 3,
};

static void want_cells(const char *path, const char *name, const uint32_t *want, int n)
{
	int len;
	const fdt32_t *c = prop(path, name, &len);

	assert_int_equal(len, 4 * n);
	for (int i = 0; i < n; i++)
		assert_int_equal(fdt32_to_cpu(c[i]), want[i]);
}

static void test_gic(void **state)
{
	static const char *const props[] = { "compatible", "#interrupt-cells", "#address-cells",
					     "interrupt-controller", "#redistributor-regions",
					     "reg", "phandle" };
	static const char *const children[] = { "chosen", "memory@50000000", "cpus", "psci",
						"interrupt-controller@8000000", "timer",
						"apb-pclk", "pl011@9000000" };
	/* GICD 64 KiB, then 2 vCPUs x 128 KiB of redistributor frames. */
	static const uint32_t reg[] = { 0, 0x08000000, 0, 0x10000, 0, 0x080a0000, 0, 0x40000 };
	const char *gic = "/interrupt-controller@8000000";

	(void)state;
	build_ok(&gic_params);
	want_children("/", children, 8);
	want_props(gic, props, 7);
	want_string(gic, "compatible", "arm,gic-v3");
	want_u32(gic, "#interrupt-cells", 3);
	want_u32(gic, "#address-cells", 0); /* interrupt-map entries name no parent unit address */
	want_u32(gic, "#redistributor-regions", 1);
	want_cells(gic, "reg", reg, 8);
	/* The root's interrupt-parent is the GIC. */
	assert_int_equal(fdt_node_offset_by_phandle(buf, fdt32_to_cpu(*(const fdt32_t *)prop(
								 "/", "interrupt-parent", NULL))),
			 node(gic));
}

/*
 * A channel end with a doorbell page is a channel@ node; a PCI end a generic
 * ECAM host bridge whose only window is the shared memory and whose INTA is
 * the end's SPI, level-high.
 */
static void test_channels(void **state)
{
	static const struct guest_fdt_channel chans[] = {
		{ .name = "ping", .peer = "rt", .map = 0x70000000, .size = 0x200000,
		  .doorbell = 0x0a000000, .intid = 40 },
		{ .name = "pong", .peer = "rt", .map = 0x80000000, .size = 0x200000, .pci = true,
		  .pci_ecam = 0x30000000, .intid = 41, .read_only = true },
		{ .name = "far", .peer = "rt", .map = 0x1000000000, .size = 0x400000, .pci = true,
		  .pci_ecam = 0x30100000, .intid = 42 },
	};
	static const char *const chan_props[] = { "compatible", "reg", "interrupts", "tessera,name",
						  "tessera,peer" };
	static const char *const pci_props[] = { "compatible", "device_type", "reg", "bus-range",
						 "linux,pci-domain", "#address-cells", "#size-cells",
						 "ranges", "#interrupt-cells", "interrupt-map-mask",
						 "interrupt-map" };
	static const char *const fn_props[] = { "reg", "tessera,name", "tessera,peer",
						"tessera,read-only" };
	static const char *const fn[] = { "channel@0,0" };
	static const uint32_t chan_reg[] = { 0, 0x70000000, 0, 0x200000, 0, 0x0a000000, 0, 0x1000 };
	static const uint32_t chan_irq[] = { 0, 8, 1 }; /* SPI 8, edge rising */
	static const uint32_t bus_range[] = { 0, 0 };
	/* 32-bit memory, non-prefetchable; PCI address = CPU address = map */
	static const uint32_t ranges[] = { 0x02000000, 0, 0x80000000, 0, 0x80000000, 0, 0x200000 };
	static const uint32_t ranges64[] = { 0x03000000, 0x10, 0, 0x10, 0, 0, 0x400000 };
	static const uint32_t map_mask[] = { 0, 0, 0, 7 };
	/* device 0 INTA -> the GIC (phandle 2), SPI 9, level-high; the GIC has #address-cells 0 */
	static const uint32_t map[] = { 0, 0, 0, 1, 2, 0, 9, 4 };
	static const uint32_t fn_reg[] = { 0, 0, 0, 0, 0 };
	struct guest_fdt_params p = gic_params;
	const char *pci = "/pcie@30000000";

	(void)state;
	p.channels = chans;
	p.channel_count = 3;
	build_ok(&p);
	want_props("/channel@70000000", chan_props, 5);
	want_string("/channel@70000000", "compatible", "tessera,channel");
	want_cells("/channel@70000000", "reg", chan_reg, 8);
	want_cells("/channel@70000000", "interrupts", chan_irq, 3);
	want_props(pci, pci_props, 11);
	want_string(pci, "compatible", "pci-host-ecam-generic");
	want_string(pci, "device_type", "pci");
	want_reg(pci, 0x30000000, 0x100000);
	want_cells(pci, "bus-range", bus_range, 2);
	want_u32(pci, "linux,pci-domain", 0x101); /* the base, plus its index */
	want_u32(pci, "#address-cells", 3);
	want_u32(pci, "#size-cells", 2);
	want_u32(pci, "#interrupt-cells", 1);
	want_cells(pci, "ranges", ranges, 7);
	want_cells(pci, "interrupt-map-mask", map_mask, 4);
	want_cells(pci, "interrupt-map", map, 8);
	want_children(pci, fn, 1);
	want_props("/pcie@30000000/channel@0,0", fn_props, 4);
	want_cells("/pcie@30000000/channel@0,0", "reg", fn_reg, 5);
	want_string("/pcie@30000000/channel@0,0", "tessera,name", "pong");
	want_string("/pcie@30000000/channel@0,0", "tessera,peer", "rt");
	want_cells("/pcie@30100000", "ranges", ranges64, 7);
	want_u32("/pcie@30100000", "linux,pci-domain", 0x102);
}

/* Devices given to the VM, copied from QEMU's own DT (make unit sets TESSERA_PLATFORM_DTB). */
static void test_devices(void **state)
{
	static char dtb[1 << 20];
	static struct platform plat;
	static struct device_config devs[2];
	const char *path = getenv("TESSERA_PLATFORM_DTB");
	FILE *f = fopen(path ? path : "build/qemu-virt/platform.dtb", "rb");
	char err[160];
	struct guest_fdt_params p = gic_params;
	static const char *const rtc_props[] = { "compatible", "clock-names", "clocks",
						 "interrupts", "reg" };
	static const uint32_t rtc_irq[] = { 0, 2, 4 };
	static const uint32_t rtc_clocks[] = { 0x10 };
	/* I/O window, then the 32-bit memory window, at the same CPU addresses. */
	static const uint32_t ranges[] = { 0x01000000, 0, 0, 0, 0x3eff0000, 0, 0x10000,
					   0x02000000, 0, 0x10000000, 0, 0x10000000, 0, 0x2eff0000 };
	/* Slot 0, INTA: the vGIC (phandle 2, no parent address), SPI 3 level high. */
	static const uint32_t map0[] = { 0, 0, 0, 1, 2, 0, 3, 4 };
	int len;

	(void)state;
	assert_non_null(f);
	assert_true(fread(dtb, 1, sizeof(dtb), f) > 0);
	fclose(f);
	if (platform_parse(dtb, &plat, err, sizeof(err)) ||
	    platform_device_resolve(&plat, "/pl031@9010000", &devs[0].hw, err, sizeof(err)) ||
	    platform_device_resolve(&plat, "/pcie@10000000", &devs[1].hw, err, sizeof(err)))
		fail_msg("%s", err);
	devs[0].hw.region[0].ipa = 0x0a000000; /* as config_validate places map = <0 0x0a000000> */
	devs[1].hw.region_count = 3;            /* the 64-bit window is beyond the VM's IPA space */
	for (unsigned int i = 0; i < 3; i++)
		devs[1].hw.region[i].ipa = devs[1].hw.region[i].pa;
	p.platform = &plat;
	p.devices = devs;
	p.device_count = 2;
	build_ok(&p);

	want_props("/pl031@a000000", rtc_props, 5);
	want_bytes("/pl031@a000000", "compatible", "arm,pl031\0arm,primecell", 24);
	want_reg("/pl031@a000000", 0x0a000000, 0x1000);
	want_cells("/pl031@a000000", "interrupts", rtc_irq, 3);
	want_cells("/pl031@a000000", "clocks", rtc_clocks, 1);
	want_u32("/device0-clock0", "clock-frequency", 24000000);
	want_u32("/device0-clock0", "phandle", 0x10);

	/* The host bridge keeps its bus properties; the ITS and SMMU links are gone. */
	want_string("/pcie@4010000000", "device_type", "pci");
	want_string("/pcie@4010000000", "compatible", "pci-host-ecam-generic");
	want_reg("/pcie@4010000000", 0x4010000000, 0x10000000);
	want_cells("/pcie@4010000000", "ranges", ranges, 14);
	const fdt32_t *map = prop("/pcie@4010000000", "interrupt-map", &len);

	assert_int_equal(len, 16 * 8 * 4); /* 4 slots x 4 pins, 8 cells each */
	for (int i = 0; i < 8; i++)
		assert_int_equal(fdt32_to_cpu(map[i]), map0[i]);
	assert_null(fdt_getprop(buf, node("/pcie@4010000000"), "msi-map", NULL));
	assert_null(fdt_getprop(buf, node("/pcie@4010000000"), "iommu-map", NULL));
}

static void test_timer_and_uart_interrupts(void **state)
{
	/* PPI 13, 14, 11, 10 (INTIDs 29, 30, 27, 26), level high; the UART on SPI 1. */
	static const uint32_t timer[] = { 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4 };
	static const uint32_t uart[] = { 0, 1, 4 };
	static const char *const timer_props[] = { "compatible", "interrupts" };

	(void)state;
	build_ok(&gic_params);
	want_props("/timer", timer_props, 2);
	want_string("/timer", "compatible", "arm,armv8-timer");
	want_cells("/timer", "interrupts", timer, 12);
	want_cells("/pl011@9000000", "interrupts", uart, 3);
}

/* The SBSA Generic Watchdog: reg 0 the control frame, reg 1 the refresh frame (sbsa_gwdt). */
static void test_watchdog(void **state)
{
	static const struct watchdog_config wdt = {
		.present = true, .refresh = 0x09100000, .control = 0x09110000, .intid = 48,
	};
	static const uint32_t reg[] = { 0, 0x09110000, 0, 0x1000, 0, 0x09100000, 0, 0x1000 };
	static const uint32_t irq[] = { 0, 16, 4 };
	static const char *const props[] = { "compatible", "reg", "interrupts" };
	struct guest_fdt_params p = gic_params;

	(void)state;
	build_ok(&p);
	assert_int_equal(fdt_path_offset(buf, "/watchdog@9110000"), -FDT_ERR_NOTFOUND);
	p.watchdog = &wdt;
	build_ok(&p);
	want_props("/watchdog@9110000", props, 3);
	want_string("/watchdog@9110000", "compatible", "arm,sbsa-gwdt");
	want_cells("/watchdog@9110000", "reg", reg, 8);
	want_cells("/watchdog@9110000", "interrupts", irq, 3);
	p.gicd_base = 0; /* no GIC, no interrupt for it: no node */
	build_ok(&p);
	assert_int_equal(fdt_path_offset(buf, "/watchdog@9110000"), -FDT_ERR_NOTFOUND);
}

/* Network devices (virtio/mmio.yaml): one node each, its edge SPI on the vGIC (the root's parent). */
static void test_virtio(void **state)
{
	static const struct guest_fdt_virtio devs[] = {
		{ .base = 0x0a001000, .intid = 48 },
		{ .base = 0x1000002000, .intid = 127 },
	};
	static const char *const props[] = { "compatible", "reg", "interrupts", "dma-coherent" };
	static const uint32_t irq0[] = { 0, 16, 1 };  /* SPI 16, edge rising */
	static const uint32_t irq1[] = { 0, 95, 1 };
	struct guest_fdt_params p = gic_params;

	(void)state;
	build_ok(&p);
	assert_int_equal(fdt_node_offset_by_compatible(buf, -1, "virtio,mmio"), -FDT_ERR_NOTFOUND);
	p.virtio = devs;
	p.virtio_count = 2;
	build_ok(&p);
	want_props("/virtio_mmio@a001000", props, 4);
	want_string("/virtio_mmio@a001000", "compatible", "virtio,mmio");
	want_reg("/virtio_mmio@a001000", 0x0a001000, 0x1000);
	want_cells("/virtio_mmio@a001000", "interrupts", irq0, 3);
	want_u32("/", "interrupt-parent", GUEST_FDT_GIC_PHANDLE);
	want_reg("/virtio_mmio@1000002000", 0x1000002000, 0x1000);
	want_cells("/virtio_mmio@1000002000", "interrupts", irq1, 3);
	p.gicd_base = 0; /* no GIC to signal it: no device */
	build_ok(&p);
	assert_int_equal(fdt_node_offset_by_compatible(buf, -1, "virtio,mmio"), -FDT_ERR_NOTFOUND);
}

static void test_initrd_and_restart_count(void **state)
{
	static const uint32_t start[] = { 0, 0x5f000000 };
	static const uint32_t end[] = { 0, 0x5f123456 };

	(void)state;
	build_ok(&gic_params);
	want_cells("/chosen", "linux,initrd-start", start, 2);
	want_cells("/chosen", "linux,initrd-end", end, 2);
	want_u32("/chosen", "tessera,restart-count", 3);
}

/* The seed given is /chosen/rng-seed, byte for byte; with none there is no property (test_chosen). */
static void test_rng_seed(void **state)
{
	static const unsigned char seed[64] = { 0x01, 0x02, 0x03, [31] = 0x20, [63] = 0x40 };
	static const char *const props[] = { "bootargs", "stdout-path", "tessera,restart-count", "rng-seed" };
	struct guest_fdt_params p = base_params;

	(void)state;
	p.rng_seed = seed;
	p.rng_seed_size = sizeof(seed);
	build_ok(&p);
	want_props("/chosen", props, 4);
	want_bytes("/chosen", "rng-seed", seed, sizeof(seed));
	/* A size of 0 gives none, whatever the pointer. */
	p.rng_seed_size = 0;
	build_ok(&p);
	want_props("/chosen", props, 3);
}

static void test_null_strings(void **state)
{
	struct guest_fdt_params p = base_params;

	(void)state;
	p.vm_name = NULL;
	p.bootargs = NULL;
	build_ok(&p);
	want_string("/", "model", "Tessera VM ");
	want_string("/chosen", "bootargs", "");
}

static void test_long_strings(void **state)
{
	static char name[200], args[2048];
	char model[sizeof(name) + 16];
	struct guest_fdt_params p = base_params;

	(void)state;
	memset(name, 'n', sizeof(name) - 1);
	memset(args, 'a', sizeof(args) - 1);
	p.vm_name = name;
	p.bootargs = args;
	build_ok(&p);
	snprintf(model, sizeof(model), "Tessera VM %s", name);
	want_string("/", "model", model);
	want_string("/chosen", "bootargs", args);
}

static void test_bad_params(void **state)
{
	struct guest_fdt_params p = base_params;

	(void)state;
	assert_int_equal(guest_fdt_build(NULL, sizeof(buf), &p), -FDT_ERR_BADVALUE);
	assert_int_equal(guest_fdt_build(buf, sizeof(buf), NULL), -FDT_ERR_BADVALUE);
	p.vcpu_count = 0;
	assert_int_equal(guest_fdt_build(buf, sizeof(buf), &p), -FDT_ERR_BADVALUE);
	p = base_params;
	p.memory.size = 0;
	assert_int_equal(guest_fdt_build(buf, sizeof(buf), &p), -FDT_ERR_BADVALUE);
}

/* Every size short of the tree fails with NOSPACE and writes nothing past the buffer. */
static void test_too_small(void **state)
{
	size_t need;

	(void)state;
	build_ok(&base_params);
	need = fdt_totalsize(buf);
	assert_true(need > 64 && need < 2048);
	for (size_t size = 0; size < need; size++) {
		memset(buf, CANARY, sizeof(buf));
		assert_int_equal(guest_fdt_build(buf, size, &base_params), -FDT_ERR_NOSPACE);
		for (size_t i = size; i < need + 64; i++)
			if (buf[i] != CANARY)
				fail_msg("size %zu: byte %zu written", size, i);
	}
	/* Exactly the tree's size is enough. */
	memset(buf, CANARY, sizeof(buf));
	assert_int_equal(guest_fdt_build(buf, need, &base_params), 0);
	assert_int_equal(fdt_totalsize(buf), need);
	assert_int_equal(buf[need], CANARY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root),
		cmocka_unit_test(test_chosen),
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_memory_above_4g),
		cmocka_unit_test(test_cpus),
		cmocka_unit_test(test_cpus_aff0_limit),
		cmocka_unit_test(test_psci),
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_pl011),
		cmocka_unit_test(test_uart_above_4g),
		cmocka_unit_test(test_no_gic_no_interrupts),
		cmocka_unit_test(test_gic),
		cmocka_unit_test(test_timer_and_uart_interrupts),
		cmocka_unit_test(test_watchdog),
		cmocka_unit_test(test_virtio),
		cmocka_unit_test(test_initrd_and_restart_count),
		cmocka_unit_test(test_rng_seed),
		cmocka_unit_test(test_null_strings),
		cmocka_unit_test(test_long_strings),
		cmocka_unit_test(test_bad_params),
		cmocka_unit_test(test_devices),
		cmocka_unit_test(test_channels),
		cmocka_unit_test(test_too_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
